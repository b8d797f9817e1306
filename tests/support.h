/* Helpers shared by the test programs. */
#ifndef GRIDRL_TESTS_SUPPORT_H
#define GRIDRL_TESTS_SUPPORT_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* cmocka 1.1.5 compares floats in single precision; this states its double tolerance. */
#define assert_close(actual, expected, tolerance)                                          \
    do {                                                                                   \
        double a_ = (actual), e_ = (expected), t_ = (tolerance);                           \
        if (!(fabs(a_ - e_) <= t_))                                                        \
            fail_msg("%s = %.12g, expected %.12g within %g", #actual, a_, e_, t_);         \
    } while (0)

/* Checks that haystack contains needle, printing both when it does not. */
#define assert_contains(haystack, needle)                                                  \
    do {                                                                                   \
        const char *h_ = (haystack), *n_ = (needle);                                       \
        if (!h_ || !strstr(h_, n_))                                                        \
            fail_msg("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_);            \
    } while (0)

#endif

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

#include "rl/mdp.h"

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

/* rl_mdp_alloc returning the model (NULL on failure), for tests that build one by hand. */
static inline rl_mdp *test_mdp_alloc(size_t rows, size_t cols, size_t n_actions,
                                     rl_error *err)
{
    rl_mdp *m;
    rl_mdp_alloc(rows, cols, n_actions, &m, err);
    return m;
}

/* The space of model m, kept in one of a few rotating slots, for tests that hand a learner
 * (which may keep the pointer) a model they built themselves. Valid for the next 15 calls. */
static inline const rl_space *test_space_of(const rl_mdp *m)
{
    static rl_space slots[16];
    static size_t next;
    rl_space *sp = &slots[next++ % 16];
    *sp = rl_mdp_space(m);
    return sp;
}

#endif

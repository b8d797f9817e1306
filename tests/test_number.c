/* Tests of the fast number formatting (experiments/io/number.c) against the C library: every
 * string must equal snprintf's "%.12g" of x + 0.0 (or "%zu") byte for byte. The values come
 * from a fixed-seed SplitMix64 stream, drawn where formatting is hard: every bit pattern, the
 * magnitudes result files hold, decimals with 13 significant digits ending in 5 (the 12-digit
 * rounding sits on or next to a half), neighbours of powers of ten and of 10^12, and integers.
 */
#include "tests/support.h"

#include <float.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/io/number.h"

static uint64_t splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform on [0, 1). */
static double uniform(uint64_t *state) { return (double)(splitmix(state) >> 11) * 0x1p-53; }

static size_t mismatches;

static void check(double x)
{
    char want[64], got[RL_NUMBER_MAX + 8];
    memset(got, 'Z', sizeof got);
    int n = snprintf(want, sizeof want, "%.12g", x + 0.0);
    size_t len = rl_number_g12(x, got);
    if ((size_t)n != len || strcmp(want, got) != 0) {
        if (mismatches++ < 10)
            print_message("%a: snprintf '%s', rl_number_g12 '%s' (length %zu)\n", x, want, got,
                          len);
    }
}

static void expect_no_mismatch(const char *what)
{
    if (mismatches)
        fail_msg("%s: %zu values formatted differently from snprintf", what, mismatches);
}

static void test_bit_patterns(void **state)
{
    (void)state;
    uint64_t s = 1;
    mismatches = 0;
    for (size_t i = 0; i < 1000000; i++) {
        uint64_t bits = splitmix(&s);
        double x;
        memcpy(&x, &bits, sizeof x);
        if (x == x) /* NaN aside: the files write it as an empty field */
            check(x);
    }
    expect_no_mismatch("random bit patterns");
}

/* Magnitudes from 1e-30 to 1e30, log-uniform, both signs: returns, values, errors. */
static void test_result_magnitudes(void **state)
{
    (void)state;
    uint64_t s = 2;
    mismatches = 0;
    for (size_t i = 0; i < 2000000; i++) {
        double x = pow(10.0, -30.0 + 60.0 * uniform(&s));
        check(splitmix(&s) & 1 ? -x : x);
    }
    /* Sums and means of a few thousand small integers and thirds, as summary rows hold. */
    for (size_t i = 0; i < 500000; i++) {
        double k = (double)(splitmix(&s) % 200000) - 100000.0;
        double d = (double)(1 + splitmix(&s) % 3000);
        check(k / d);
    }
    expect_no_mismatch("result magnitudes");
}

/* m * 10^-j with m a 13-digit integer ending in 5: the 13th digit is a 5, so the rounding to
 * 12 digits is a half in decimal and on either side of it in binary. */
static void test_near_halves(void **state)
{
    (void)state;
    uint64_t s = 3;
    mismatches = 0;
    for (size_t i = 0; i < 1000000; i++) {
        uint64_t m = 1000000000000ULL + splitmix(&s) % 9000000000000ULL;
        m = m / 10 * 10 + 5;
        int j = (int)(splitmix(&s) % 40) - 10;
        double x = (double)m * pow(10.0, -(double)j);
        check(x);
        check(nextafter(x, 0.0));
        check(nextafter(x, HUGE_VAL));
    }
    expect_no_mismatch("13-digit halves");
}

/* Powers of ten, 10^12 - 1 and 999999999999.5 with their neighbours, integers. */
static void test_boundaries(void **state)
{
    (void)state;
    mismatches = 0;
    for (int k = -320; k <= 308; k++) {
        double x = pow(10.0, k);
        for (int side = 0; side < 3; side++) {
            double y = x;
            for (int step = 0; step < 4; step++) {
                check(y);
                check(-y);
                y = side == 0 ? nextafter(y, 0.0) : side == 1 ? nextafter(y, HUGE_VAL) : y;
            }
        }
        check(9.999999999995 * x);
        check(9.9999999999949 * x);
        check(9.9999999999951 * x);
    }
    const double specials[] = {0.0,        -0.0,         1.0,         -1.0,   0.5,
                               1e12,       1e12 - 1,     1e12 + 1,    1e11,   999999999999.5,
                               999999999999.4, 1e-4,     1e-5,        0.0001234567890125,
                               DBL_MAX,    DBL_MIN,      DBL_TRUE_MIN, HUGE_VAL, -HUGE_VAL,
                               123456789012.5, 0.1,      0.2,         0.3,    1.0 / 3.0,
                               -20.7077,   5.832,        -3.8463};
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++)
        check(specials[i]);
    uint64_t s = 4;
    for (size_t i = 0; i < 300000; i++)
        check((double)(int64_t)(splitmix(&s) % 4000000000000ULL) - 2e12);
    expect_no_mismatch("boundaries");
    /* -0 is written as 0, as x + 0.0 makes it. */
    char buf[RL_NUMBER_MAX];
    assert_int_equal(rl_number_g12(-0.0, buf), 1);
    assert_string_equal(buf, "0");
}

static void test_sizes(void **state)
{
    (void)state;
    uint64_t s = 5;
    char want[32], got[RL_NUMBER_MAX];
    const size_t fixed[] = {0, 9, 10, 99, 100, 101, 999999, SIZE_MAX};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        snprintf(want, sizeof want, "%zu", fixed[i]);
        assert_int_equal(rl_number_size(fixed[i], got), strlen(want));
        assert_string_equal(got, want);
    }
    for (size_t i = 0; i < 200000; i++) {
        size_t n = (size_t)(splitmix(&s) >> (splitmix(&s) % 64));
        snprintf(want, sizeof want, "%zu", n);
        assert_int_equal(rl_number_size(n, got), strlen(want));
        assert_string_equal(got, want);
    }
}

static void check_parse(const char *text)
{
    char *end;
    double want = strtod(text, &end);
    bool want_ok = end != text && *end == '\0';
    double got = 12345.0;
    bool ok = rl_number_parse(text, &got);
    bool same = ok == want_ok && (!ok || memcmp(&got, &want, sizeof got) == 0 ||
                                  (got != got && want != want));
    if (!same && mismatches++ < 10)
        print_message("'%s': strtod %a (%s), rl_number_parse %a (%s)\n", text, want,
                      want_ok ? "whole" : "not whole", got, ok ? "whole" : "not whole");
}

/* Reading back: what "%.12g" and "%.17g" write, random digit strings with signs, points and
 * exponents, and text strtod reads only in part or in its own ways (hex, inf, spaces). */
static void test_parse(void **state)
{
    (void)state;
    uint64_t s = 6;
    mismatches = 0;
    char text[64];
    for (size_t i = 0; i < 1000000; i++) {
        double x = pow(10.0, -30.0 + 60.0 * uniform(&s)) * (splitmix(&s) & 1 ? -1.0 : 1.0);
        rl_number_g12(x, text);
        check_parse(text);
        snprintf(text, sizeof text, "%.17g", x);
        check_parse(text);
        uint64_t bits = splitmix(&s);
        memcpy(&x, &bits, sizeof x);
        snprintf(text, sizeof text, "%.12g", x);
        check_parse(text);
    }
    static const char alphabet[] = "0123456789012345678901234567890123456789.-+eE";
    for (size_t i = 0; i < 1000000; i++) {
        size_t len = 1 + splitmix(&s) % 24;
        for (size_t j = 0; j < len; j++)
            text[j] = alphabet[splitmix(&s) % (sizeof alphabet - 1)];
        text[len] = '\0';
        check_parse(text);
    }
    static const char *const odd[] = {
        "", "-", "+", ".", "-.", "e5", "1e", "1e+", "1e-", " 1", "1 ", "inf", "-inf",
        "nan", "NAN", "0x1p3", "0x10", "1.5x", "+.5", "5.", "-.e1", "0", "-0", "-0.0",
        "0e99999", "1e99999", "1e-99999", "00000000000000000000001", "123456789012345",
        "1234567890123456", "0.1", "1e22", "1e23", "1e-22", "1e-23", "9007199254740993",
        "4.9406564584124654e-324", "2.2250738585072011e-308", "1.7976931348623157e308",
        "-20.7077", "1,5"};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
        check_parse(odd[i]);
    expect_no_mismatch("parsing");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bit_patterns),   cmocka_unit_test(test_result_magnitudes),
        cmocka_unit_test(test_near_halves),    cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_sizes),          cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

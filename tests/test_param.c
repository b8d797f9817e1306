/* Tests for typed parameter tables (rl/param.h): parsing of every kind, range checks at
 * open and closed bounds, the messages users see, defaults, is_set/has, and the value set.
 *
 * Expected values are the literal inputs (a parsed "0.25" must be the double 0.25) or
 * written out by hand from the spec table below.
 */
#include "tests/support.h"

#include <limits.h>

#include "rl/param.h"

/* A table with one entry of every kind and every kind of bound. */
static const rl_param_spec table[] = {
    {"flag", RL_PARAM_BOOL, "false", 0, 0, 0, NULL, "a switch"},
    {"count", RL_PARAM_INT, "10", 1, 100, 0, NULL, "closed [1, 100]"},
    {"steps", RL_PARAM_INT, NULL, 1, HUGE_VAL, 0, NULL, "no default, >= 1"},
    {"offset", RL_PARAM_INT, "0", -HUGE_VAL, HUGE_VAL, 0, NULL, "any integer"},
    {"alpha", RL_PARAM_DOUBLE, "0.1", 0, 0.25, RL_PARAM_MIN_OPEN, NULL, "(0, 0.25]"},
    {"gamma", RL_PARAM_DOUBLE, "1", 0, 1, 0, NULL, "[0, 1]"},
    {"rate", RL_PARAM_DOUBLE, NULL, 0, 1, RL_PARAM_MIN_OPEN | RL_PARAM_MAX_OPEN, NULL,
     "(0, 1)"},
    {"reward", RL_PARAM_DOUBLE, "-1", -HUGE_VAL, HUGE_VAL, 0, NULL, "any real"},
    {"cap", RL_PARAM_DOUBLE, NULL, -HUGE_VAL, 3, 0, NULL, "<= 3"},
    {"below", RL_PARAM_DOUBLE, NULL, -HUGE_VAL, 3, RL_PARAM_MAX_OPEN, NULL, "< 3"},
    {"above", RL_PARAM_DOUBLE, NULL, 2, HUGE_VAL, RL_PARAM_MIN_OPEN, NULL, "> 2"},
    {"mode", RL_PARAM_CHOICE, "fast", 0, 0, 0, "fast|slow|exact", "a choice"},
    {"path", RL_PARAM_STRING, NULL, 0, 0, RL_PARAM_NO_SWEEP, NULL, "a file"},
    {"wind", RL_PARAM_STRING, "", 0, 0, RL_PARAM_NO_SWEEP, NULL, "empty default"},
    {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
};
#define N_TABLE 14 /* counted by hand above */

static const rl_param_spec *spec(const char *name)
{
    const rl_param_spec *s = rl_param_find(table, name);
    assert_non_null(s);
    return s;
}

/* Parses text for name and checks that it fails with code, key name and message parts. */
static void expect_fail(const char *name, const char *text, int code, const char *part1,
                        const char *part2)
{
    rl_error err;
    rl_param_value v;
    rl_error_clear(&err);
    assert_int_equal(rl_param_parse(spec(name), text, &v, &err), code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.key, name);
    assert_contains(err.message, part1);
    if (part2)
        assert_contains(err.message, part2);
}

static void test_find_and_count(void **state)
{
    (void)state;
    assert_int_equal(rl_param_count(table), N_TABLE);
    assert_ptr_equal(rl_param_find(table, "alpha"), &table[4]);
    assert_ptr_equal(rl_param_find(table, "wind"), &table[13]);
    assert_null(rl_param_find(table, "alph"));
    assert_null(rl_param_find(table, "alphaa"));
    assert_null(rl_param_find(table, ""));
    static const rl_param_spec empty[] = {{NULL, 0, NULL, 0, 0, 0, NULL, NULL}};
    assert_int_equal(rl_param_count(empty), 0);
    assert_null(rl_param_find(empty, "alpha"));
}

static void test_parse_bool(void **state)
{
    (void)state;
    rl_param_value v;
    v.b = false;
    assert_int_equal(rl_param_parse(spec("flag"), "true", &v, NULL), RL_OK);
    assert_true(v.b);
    assert_int_equal(rl_param_parse(spec("flag"), "false", &v, NULL), RL_OK);
    assert_false(v.b);
    assert_int_equal(rl_param_parse(spec("flag"), "  true\t", &v, NULL), RL_OK);
    assert_true(v.b);
    /* Only the two words: no numbers, no other spellings or cases. */
    expect_fail("flag", "1", RL_EINVAL, "true or false", "'1'");
    expect_fail("flag", "0", RL_EINVAL, "true or false", "'0'");
    expect_fail("flag", "yes", RL_EINVAL, "true or false", "'yes'");
    expect_fail("flag", "True", RL_EINVAL, "true or false", "'True'");
    expect_fail("flag", "truex", RL_EINVAL, "true or false", "'truex'");
    expect_fail("flag", "", RL_EINVAL, "true or false", "''");
}

static void test_parse_int(void **state)
{
    (void)state;
    rl_param_value v;
    assert_int_equal(rl_param_parse(spec("count"), "42", &v, NULL), RL_OK);
    assert_int_equal(v.i, 42);
    assert_int_equal(rl_param_parse(spec("count"), " 7 ", &v, NULL), RL_OK);
    assert_int_equal(v.i, 7);
    assert_int_equal(rl_param_parse(spec("offset"), "-12", &v, NULL), RL_OK);
    assert_int_equal(v.i, -12);
    assert_int_equal(rl_param_parse(spec("offset"), "+5", &v, NULL), RL_OK);
    assert_int_equal(v.i, 5);
    /* Leading zeros are decimal, not octal. */
    assert_int_equal(rl_param_parse(spec("offset"), "010", &v, NULL), RL_OK);
    assert_int_equal(v.i, 10);

    expect_fail("count", "abc", RL_EINVAL, "expected an integer in [1, 100]", "got 'abc'");
    expect_fail("count", "1.5", RL_EINVAL, "expected an integer", "'1.5'");
    expect_fail("count", "12abc", RL_EINVAL, "expected an integer", "'12abc'");
    expect_fail("count", "1 2", RL_EINVAL, "expected an integer", "'1 2'");
    expect_fail("count", "0x10", RL_EINVAL, "expected an integer", "'0x10'");
    expect_fail("count", "1e2", RL_EINVAL, "expected an integer", "'1e2'");
    expect_fail("count", "", RL_EINVAL, "expected an integer", "''");
    expect_fail("count", "   ", RL_EINVAL, "expected an integer", "''");
    expect_fail("steps", "x", RL_EINVAL, "expected an integer >= 1", "'x'");
    /* An unbounded integer says no range. */
    expect_fail("offset", "x", RL_EINVAL, "expected an integer, got 'x'", NULL);
    /* Trimmed text is quoted, so users see their value without the stray spaces. */
    expect_fail("count", "  abc  ", RL_EINVAL, "got 'abc'", NULL);
}

static void test_int_bounds(void **state)
{
    (void)state;
    rl_param_value v;
    /* Closed [1, 100]: both ends accepted, one past either end rejected. */
    assert_int_equal(rl_param_parse(spec("count"), "1", &v, NULL), RL_OK);
    assert_int_equal(v.i, 1);
    assert_int_equal(rl_param_parse(spec("count"), "100", &v, NULL), RL_OK);
    assert_int_equal(v.i, 100);
    expect_fail("count", "0", RL_ERANGE, "0 is outside [1, 100]", NULL);
    expect_fail("count", "101", RL_ERANGE, "101 is outside [1, 100]", NULL);
    expect_fail("count", "-5", RL_ERANGE, "-5 is outside [1, 100]", NULL);
    /* One-sided bound. */
    assert_int_equal(rl_param_parse(spec("steps"), "1", &v, NULL), RL_OK);
    assert_int_equal(rl_param_parse(spec("steps"), "2000000000", &v, NULL), RL_OK);
    assert_int_equal(v.i, 2000000000L);
    expect_fail("steps", "0", RL_ERANGE, "0 is not >= 1", NULL);
    /* Too large for a long (a 22-digit number exceeds 2^63 ~ 9.2e18): a range error, and
     * the message must not claim it is below the minimum. */
    expect_fail("steps", "9999999999999999999999", RL_ERANGE, "too large", ">= 1");
    expect_fail("offset", "-9999999999999999999999", RL_ERANGE, "too large", NULL);
}

static void test_parse_double(void **state)
{
    (void)state;
    rl_param_value v;
    assert_int_equal(rl_param_parse(spec("reward"), "-100", &v, NULL), RL_OK);
    assert_true(v.d == -100.0);
    assert_int_equal(rl_param_parse(spec("reward"), "2.5e-3", &v, NULL), RL_OK);
    assert_true(v.d == 0.0025);
    assert_int_equal(rl_param_parse(spec("reward"), " 0.5\n", &v, NULL), RL_OK);
    assert_true(v.d == 0.5);
    assert_int_equal(rl_param_parse(spec("gamma"), ".9", &v, NULL), RL_OK);
    assert_true(v.d == 0.9);

    expect_fail("reward", "abc", RL_EINVAL, "expected a number, got 'abc'", NULL);
    expect_fail("alpha", "abc", RL_EINVAL, "expected a number in (0, 0.25]", "got 'abc'");
    expect_fail("above", "abc", RL_EINVAL, "expected a number > 2", "'abc'");
    expect_fail("reward", "0.5x", RL_EINVAL, "expected a number", "'0.5x'");
    expect_fail("reward", "0.5 0.6", RL_EINVAL, "expected a number", "'0.5 0.6'");
    expect_fail("reward", "1,2", RL_EINVAL, "expected a number", "'1,2'");
    expect_fail("reward", "", RL_EINVAL, "expected a number", "''");
    /* strtod reads these, but they are not finite values. */
    expect_fail("reward", "inf", RL_EINVAL, "finite", "'inf'");
    expect_fail("reward", "-infinity", RL_EINVAL, "finite", "'-infinity'");
    expect_fail("reward", "nan", RL_EINVAL, "finite", "'nan'");
    /* Overflow past DBL_MAX (~1.8e308). */
    expect_fail("reward", "1e999", RL_ERANGE, "1e999", "too large");
    expect_fail("gamma", "-1e999", RL_ERANGE, "too large", "[0, 1]");
}

static void test_double_bounds(void **state)
{
    (void)state;
    rl_param_value v;
    /* (0, 0.25]: 0 excluded, 0.25 included; the brief's message example. */
    expect_fail("alpha", "0", RL_ERANGE, "0 is outside (0, 0.25]", NULL);
    expect_fail("alpha", "0.5", RL_ERANGE, "0.5 is outside (0, 0.25]", NULL);
    expect_fail("alpha", "-0.1", RL_ERANGE, "-0.1 is outside (0, 0.25]", NULL);
    assert_int_equal(rl_param_parse(spec("alpha"), "0.25", &v, NULL), RL_OK);
    assert_true(v.d == 0.25);
    assert_int_equal(rl_param_parse(spec("alpha"), "1e-300", &v, NULL), RL_OK);
    assert_true(v.d == 1e-300);
    /* The next double above 0.25 is 0.25 + 2^-54 (~0.25 + 5.55e-17); 0.25 + 5e-17 rounds to
     * it, not to 0.25, so the check sees a value just past the closed end. */
    assert_int_equal(rl_param_parse(spec("alpha"), "0.25000000000000005", &v, NULL),
                     RL_ERANGE);
    /* [0, 1]: both ends included. */
    assert_int_equal(rl_param_parse(spec("gamma"), "0", &v, NULL), RL_OK);
    assert_true(v.d == 0.0);
    assert_int_equal(rl_param_parse(spec("gamma"), "1", &v, NULL), RL_OK);
    assert_true(v.d == 1.0);
    assert_int_equal(rl_param_parse(spec("gamma"), "-0", &v, NULL), RL_OK);
    expect_fail("gamma", "1.0001", RL_ERANGE, "1.0001 is outside [0, 1]", NULL);
    /* (0, 1): both ends excluded. */
    expect_fail("rate", "0", RL_ERANGE, "0 is outside (0, 1)", NULL);
    expect_fail("rate", "1", RL_ERANGE, "1 is outside (0, 1)", NULL);
    assert_int_equal(rl_param_parse(spec("rate"), "0.999", &v, NULL), RL_OK);
    /* One-sided, closed and open. */
    assert_int_equal(rl_param_parse(spec("cap"), "3", &v, NULL), RL_OK);
    assert_int_equal(rl_param_parse(spec("cap"), "-1e300", &v, NULL), RL_OK);
    expect_fail("cap", "3.5", RL_ERANGE, "3.5 is not <= 3", NULL);
    expect_fail("below", "3", RL_ERANGE, "3 is not < 3", NULL);
    assert_int_equal(rl_param_parse(spec("below"), "2.999", &v, NULL), RL_OK);
    expect_fail("above", "2", RL_ERANGE, "2 is not > 2", NULL);
    assert_int_equal(rl_param_parse(spec("above"), "2.001", &v, NULL), RL_OK);
    /* No bound: the largest finite double is accepted. */
    assert_int_equal(rl_param_parse(spec("reward"), "1.7976931348623157e308", &v, NULL),
                     RL_OK);
}

static void test_parse_choice_and_string(void **state)
{
    (void)state;
    rl_param_value v;
    const char *text = "slow";
    assert_int_equal(rl_param_parse(spec("mode"), text, &v, NULL), RL_OK);
    assert_ptr_equal(v.s, text);
    assert_int_equal(rl_param_parse(spec("mode"), "fast", &v, NULL), RL_OK);
    assert_string_equal(v.s, "fast");
    assert_int_equal(rl_param_parse(spec("mode"), "exact", &v, NULL), RL_OK);
    assert_int_equal(rl_param_parse(spec("mode"), " exact ", &v, NULL), RL_OK);
    /* Whole words only: prefixes, extensions and the separator are not choices. */
    expect_fail("mode", "fas", RL_EINVAL, "expected one of fast|slow|exact", "got 'fas'");
    expect_fail("mode", "fastslow", RL_EINVAL, "fast|slow|exact", "'fastslow'");
    expect_fail("mode", "fast|slow", RL_EINVAL, "fast|slow|exact", "'fast|slow'");
    expect_fail("mode", "xact", RL_EINVAL, "fast|slow|exact", "'xact'");
    expect_fail("mode", "", RL_EINVAL, "fast|slow|exact", "''");
    expect_fail("mode", "Fast", RL_EINVAL, "fast|slow|exact", "'Fast'");

    const char *path = "maps/a b.map";
    assert_int_equal(rl_param_parse(spec("path"), path, &v, NULL), RL_OK);
    assert_ptr_equal(v.s, path);
    assert_int_equal(rl_param_parse(spec("wind"), "", &v, NULL), RL_OK);
    assert_string_equal(v.s, "");
}

static void test_parse_null_err(void **state)
{
    (void)state;
    /* A NULL err is allowed on failure too. */
    rl_param_value v;
    assert_int_equal(rl_param_parse(spec("count"), "abc", &v, NULL), RL_EINVAL);
    assert_int_equal(rl_param_parse(spec("count"), "0", &v, NULL), RL_ERANGE);
    assert_int_equal(rl_param_parse(spec("mode"), "x", &v, NULL), RL_EINVAL);
    assert_int_equal(rl_param_parse(spec("flag"), "x", &v, NULL), RL_EINVAL);
    /* A NULL text is an error, not a crash. */
    rl_error err;
    assert_int_equal(rl_param_parse(spec("count"), NULL, &v, &err), RL_EINVAL);
    assert_string_equal(err.key, "count");
}

static void describe(const char *name, const char *expected)
{
    char buf[64];
    rl_param_describe_range(spec(name), buf, sizeof buf);
    assert_string_equal(buf, expected);
}

static void test_describe_range(void **state)
{
    (void)state;
    describe("flag", "true|false");
    describe("count", "[1, 100]");
    describe("steps", ">= 1");
    describe("offset", "any");
    describe("alpha", "(0, 0.25]");
    describe("gamma", "[0, 1]");
    describe("rate", "(0, 1)");
    describe("reward", "any");
    describe("cap", "<= 3");
    describe("below", "< 3");
    describe("above", "> 2");
    describe("mode", "fast|slow|exact");
    describe("path", "text");
    /* Integral bounds print without an exponent, fractions without noise. */
    rl_param_spec big = {"n", RL_PARAM_INT, NULL, 0, 1000000, 0, NULL, NULL};
    char buf[64];
    rl_param_describe_range(&big, buf, sizeof buf);
    assert_string_equal(buf, "[0, 1000000]");
    rl_param_spec tenth = {"x", RL_PARAM_DOUBLE, NULL, 0.1, 0.3, 0, NULL, NULL};
    rl_param_describe_range(&tenth, buf, sizeof buf);
    assert_string_equal(buf, "[0.1, 0.3]");
    /* A short buffer is truncated and terminated: "[1, 100]" cut to 4 characters. */
    char small[5];
    rl_param_describe_range(spec("count"), small, sizeof small);
    assert_string_equal(small, "[1, ");
}

static void test_params_defaults(void **state)
{
    (void)state;
    rl_params *p = rl_params_alloc(table);
    assert_non_null(p);
    assert_ptr_equal(rl_params_table(p), table);
    /* Defaults from the table, typed. */
    assert_false(rl_params_bool(p, "flag"));
    assert_int_equal(rl_params_int(p, "count"), 10);
    assert_int_equal(rl_params_int(p, "offset"), 0);
    assert_true(rl_params_double(p, "alpha") == 0.1);
    assert_true(rl_params_double(p, "gamma") == 1.0);
    assert_true(rl_params_double(p, "reward") == -1.0);
    assert_string_equal(rl_params_string(p, "mode"), "fast");
    assert_string_equal(rl_params_string(p, "wind"), "");
    assert_string_equal(rl_params_text(p, "alpha"), "0.1");
    assert_string_equal(rl_params_text(p, "flag"), "false");
    /* Defaults count as values but not as set. */
    assert_true(rl_params_has(p, "alpha"));
    assert_false(rl_params_is_set(p, "alpha"));
    assert_true(rl_params_has(p, "wind")); /* the empty default is still a value */
    /* Keys without a default have no value: 0 / NULL / "". */
    assert_false(rl_params_has(p, "steps"));
    assert_false(rl_params_is_set(p, "steps"));
    assert_int_equal(rl_params_int(p, "steps"), 0);
    assert_true(rl_params_double(p, "rate") == 0.0);
    assert_null(rl_params_string(p, "path"));
    assert_string_equal(rl_params_text(p, "path"), "");
    /* Unknown keys are neither set nor present. */
    assert_false(rl_params_has(p, "nope"));
    assert_false(rl_params_is_set(p, "nope"));
    assert_string_equal(rl_params_text(p, "nope"), "");
    rl_params_free(p);
    rl_params_free(NULL);
}

static void test_params_set(void **state)
{
    (void)state;
    rl_params *p = rl_params_alloc(table);
    assert_non_null(p);
    rl_error err;
    assert_int_equal(rl_params_set(p, "alpha", "0.2", &err), RL_OK);
    assert_true(rl_params_double(p, "alpha") == 0.2);
    assert_true(rl_params_is_set(p, "alpha"));
    assert_false(rl_params_is_set(p, "gamma"));
    assert_int_equal(rl_params_set(p, "steps", "500", &err), RL_OK);
    assert_true(rl_params_has(p, "steps"));
    assert_int_equal(rl_params_int(p, "steps"), 500);
    assert_int_equal(rl_params_set(p, "flag", "true", NULL), RL_OK);
    assert_true(rl_params_bool(p, "flag"));
    /* Stored text is a trimmed copy: the caller's buffer may change afterwards. */
    char buf[32];
    snprintf(buf, sizeof buf, "  slow ");
    assert_int_equal(rl_params_set(p, "mode", buf, &err), RL_OK);
    memset(buf, 'x', sizeof buf - 1);
    assert_string_equal(rl_params_string(p, "mode"), "slow");
    assert_string_equal(rl_params_text(p, "mode"), "slow");
    snprintf(buf, sizeof buf, "maps/x.map");
    assert_int_equal(rl_params_set(p, "path", buf, &err), RL_OK);
    buf[0] = 'Z';
    assert_string_equal(rl_params_string(p, "path"), "maps/x.map");
    /* Setting again replaces the value (the old copy is freed: ASan checks the leak). */
    assert_int_equal(rl_params_set(p, "path", "maps/y.map", &err), RL_OK);
    assert_string_equal(rl_params_string(p, "path"), "maps/y.map");

    /* A rejected value keeps the previous one and names the key. */
    assert_int_equal(rl_params_set(p, "alpha", "0.5", &err), RL_ERANGE);
    assert_int_equal(err.code, RL_ERANGE);
    assert_string_equal(err.key, "alpha");
    assert_contains(err.message, "0.5 is outside (0, 0.25]");
    assert_true(rl_params_double(p, "alpha") == 0.2);
    assert_string_equal(rl_params_text(p, "alpha"), "0.2");
    assert_int_equal(rl_params_set(p, "count", "many", &err), RL_EINVAL);
    assert_string_equal(err.key, "count");
    assert_contains(err.message, "got 'many'");
    assert_int_equal(rl_params_int(p, "count"), 10);
    assert_false(rl_params_is_set(p, "count"));
    assert_int_equal(rl_params_set(p, "mode", "medium", &err), RL_EINVAL);
    assert_string_equal(err.key, "mode");
    assert_contains(err.message, "fast|slow|exact");
    assert_string_equal(rl_params_string(p, "mode"), "slow");
    assert_int_equal(rl_params_set(p, "count", NULL, &err), RL_EINVAL);
    assert_string_equal(err.key, "count");
    rl_params_free(p);
}

static void test_params_unknown_key(void **state)
{
    (void)state;
    rl_params *p = rl_params_alloc(table);
    assert_non_null(p);
    rl_error err;
    assert_int_equal(rl_params_set(p, "alpah", "0.1", &err), RL_ENOTFOUND);
    assert_int_equal(err.code, RL_ENOTFOUND);
    assert_string_equal(err.key, "alpah");
    assert_contains(err.message, "alpah");
    /* Every valid name, in table order, separated as rl_names_append does. */
    assert_contains(err.message, "flag, count, steps, offset, alpha, gamma, rate, reward, "
                                 "cap, below, above, mode, path, wind");
    assert_int_equal(rl_params_set(p, "alpah", "0.1", NULL), RL_ENOTFOUND);
    assert_false(rl_params_has(p, "alpah"));
    rl_params_free(p);

    /* A table with no entries still answers. */
    static const rl_param_spec empty[] = {{NULL, 0, NULL, 0, 0, 0, NULL, NULL}};
    p = rl_params_alloc(empty);
    assert_non_null(p);
    assert_int_equal(rl_params_set(p, "x", "1", &err), RL_ENOTFOUND);
    assert_string_equal(err.key, "x");
    rl_params_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_and_count),
        cmocka_unit_test(test_parse_bool),
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_int_bounds),
        cmocka_unit_test(test_parse_double),
        cmocka_unit_test(test_double_bounds),
        cmocka_unit_test(test_parse_choice_and_string),
        cmocka_unit_test(test_parse_null_err),
        cmocka_unit_test(test_describe_range),
        cmocka_unit_test(test_params_defaults),
        cmocka_unit_test(test_params_set),
        cmocka_unit_test(test_params_unknown_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

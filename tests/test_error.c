/* Tests for error records (rl/error.h): rl_strerror covers every code, rl_error_set and
 * rl_error_locate fill the record (or accept NULL), rl_error_format prints
 * "file:line:col: key: message" with only the parts that are set, and rl_names_append
 * builds ", "-separated lists without overrunning its buffer; an error list keeps each error
 * once, sorts them as a reader goes through the input and counts what it cannot keep.
 * Expected strings are written out by hand.
 */
#include "tests/support.h"

#include "rl/error.h"

static void test_strerror(void **state)
{
    (void)state;
    static const int codes[] = {RL_OK,     RL_CONTINUE,  RL_EINVAL,    RL_ENOMEM,
                                RL_EIO,    RL_EPARSE,    RL_ERANGE,    RL_ENOTFOUND,
                                RL_ESINGULAR, RL_EDIVERGED, RL_EUNSUPPORTED};
    const size_t n = sizeof codes / sizeof codes[0];
    assert_int_equal(n, 11); /* every code in error.h, counted by hand */
    const char *unknown = rl_strerror(-1000);
    assert_non_null(unknown);
    assert_true(unknown[0] != '\0');
    assert_string_equal(rl_strerror(42), unknown);
    for (size_t i = 0; i < n; i++) {
        const char *s = rl_strerror(codes[i]);
        assert_non_null(s);
        assert_true(s[0] != '\0');
        /* Each known code has its own description, distinct from the fallback. */
        assert_string_not_equal(s, unknown);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(s, rl_strerror(codes[j]));
    }
    assert_contains(rl_strerror(RL_ENOMEM), "memory");
}

static void test_set(void **state)
{
    (void)state;
    rl_error err;
    assert_int_equal(rl_error_set(&err, RL_ERANGE, "%s = %d is too big", "n", 7), RL_ERANGE);
    assert_int_equal(err.code, RL_ERANGE);
    assert_string_equal(err.message, "n = 7 is too big");
    assert_string_equal(err.file, "");
    assert_string_equal(err.key, "");
    assert_int_equal(err.line, 0);
    assert_int_equal(err.column, 0);

    /* A new error replaces the old one entirely, location included. */
    rl_error_locate(&err, RL_EPARSE, "a.ini", 3, 4, "k");
    rl_error_set(&err, RL_EIO, "cannot read");
    assert_int_equal(err.code, RL_EIO);
    assert_string_equal(err.message, "cannot read");
    assert_string_equal(err.file, "");
    assert_string_equal(err.key, "");
    assert_int_equal(err.line, 0);

    /* NULL is allowed and still yields the code, so "return rl_error_set(...)" works. */
    assert_int_equal(rl_error_set(NULL, RL_ENOMEM, "out of %s", "memory"), RL_ENOMEM);

    /* A long message is cut to the buffer and stays terminated. */
    char longer[2 * RL_ERROR_MESSAGE_MAX];
    memset(longer, 'm', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    rl_error_set(&err, RL_EPARSE, "%s", longer);
    assert_int_equal(strlen(err.message), RL_ERROR_MESSAGE_MAX - 1);

    rl_error_clear(&err);
    assert_int_equal(err.code, RL_OK);
    assert_string_equal(err.message, "");
    rl_error_clear(NULL);
}

static void test_locate(void **state)
{
    (void)state;
    rl_error err;
    rl_error_set(&err, RL_EPARSE, "bad line");
    assert_int_equal(rl_error_locate(&err, RL_EPARSE, "cfg.ini", 12, 5, "env.slip"), RL_EPARSE);
    assert_string_equal(err.file, "cfg.ini");
    assert_int_equal(err.line, 12);
    assert_int_equal(err.column, 5);
    assert_string_equal(err.key, "env.slip");
    /* NULL and 0 leave those parts as they were: a caller can add the file later. */
    assert_int_equal(rl_error_locate(&err, RL_EPARSE, NULL, 0, 0, "agent.alpha"), RL_EPARSE);
    assert_string_equal(err.file, "cfg.ini");
    assert_int_equal(err.line, 12);
    assert_int_equal(err.column, 5);
    assert_string_equal(err.key, "agent.alpha");
    rl_error_locate(&err, RL_EPARSE, "other.ini", 0, 0, NULL);
    assert_string_equal(err.file, "other.ini");
    assert_int_equal(err.line, 12);
    assert_string_equal(err.key, "agent.alpha");
    /* A too-long key is cut to the buffer and terminated. */
    char key[2 * RL_ERROR_KEY_MAX];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    rl_error_locate(&err, RL_EPARSE, NULL, 0, 0, key);
    assert_int_equal(strlen(err.key), RL_ERROR_KEY_MAX - 1);
    /* No record: nothing to fill, no crash, and the code comes back all the same. */
    assert_int_equal(rl_error_locate(NULL, RL_EIO, "x", 1, 1, "k"), RL_EIO);
}

/* Formats err into a buffer of the given size and compares. */
static void expect_format(const rl_error *err, size_t size, const char *expected)
{
    char buf[256];
    assert_true(size <= sizeof buf);
    memset(buf, '#', sizeof buf);
    rl_error_format(err, buf, size);
    assert_string_equal(buf, expected);
    /* Nothing written past the buffer the caller named. */
    if (size < sizeof buf)
        assert_int_equal(buf[size], '#');
}

static void test_format(void **state)
{
    (void)state;
    rl_error err;
    rl_error_set(&err, RL_ERANGE, "0.5 is outside (0, 0.25]");
    expect_format(&err, 256, "0.5 is outside (0, 0.25]");
    rl_error_locate(&err, RL_EPARSE, NULL, 0, 0, "agent.alpha");
    expect_format(&err, 256, "agent.alpha: 0.5 is outside (0, 0.25]");
    rl_error_locate(&err, RL_EPARSE, "run.ini", 0, 0, NULL);
    expect_format(&err, 256, "run.ini: agent.alpha: 0.5 is outside (0, 0.25]");
    rl_error_locate(&err, RL_EPARSE, NULL, 7, 0, NULL);
    expect_format(&err, 256, "run.ini:7: agent.alpha: 0.5 is outside (0, 0.25]");
    rl_error_locate(&err, RL_EPARSE, NULL, 0, 9, NULL);
    expect_format(&err, 256, "run.ini:7:9: agent.alpha: 0.5 is outside (0, 0.25]");

    /* File, line and column without a key (a map file error). */
    rl_error_set(&err, RL_EPARSE, "unknown cell 'Q'");
    rl_error_locate(&err, RL_EPARSE, "maps/a.map", 2, 5, NULL);
    expect_format(&err, 256, "maps/a.map:2:5: unknown cell 'Q'");

    /* No message: the code's description stands in. */
    rl_error_clear(&err);
    err.code = RL_ENOMEM;
    expect_format(&err, 256, rl_strerror(RL_ENOMEM));
    rl_error_locate(&err, RL_EPARSE, NULL, 0, 0, "env");
    char expected[64];
    snprintf(expected, sizeof expected, "env: %s", rl_strerror(RL_ENOMEM));
    expect_format(&err, 256, expected);

    /* Truncation: "run.ini:7: k: message" cut to 9 characters plus the terminator. */
    rl_error_set(&err, RL_EINVAL, "message");
    rl_error_locate(&err, RL_EPARSE, "run.ini", 7, 0, "k");
    expect_format(&err, 256, "run.ini:7: k: message");
    expect_format(&err, 10, "run.ini:7");
    expect_format(&err, 1, "");
    /* Cut exactly after the key part: 14 characters fit in 15. */
    expect_format(&err, 15, "run.ini:7: k: ");

    /* A NULL record formats as the empty string; a zero size writes nothing. */
    expect_format(NULL, 256, "");
    char one = 'z';
    rl_error_format(&err, &one, 0);
    assert_int_equal(one, 'z');
}

static void test_names_append(void **state)
{
    (void)state;
    char buf[64] = "";
    rl_names_append(buf, sizeof buf, "sarsa");
    assert_string_equal(buf, "sarsa");
    rl_names_append(buf, sizeof buf, "q_learning");
    rl_names_append(buf, sizeof buf, "td0");
    assert_string_equal(buf, "sarsa, q_learning, td0");

    /* A short buffer keeps a terminated prefix: "ab, cdefgh" cut to 7 characters. */
    char small[8] = "";
    rl_names_append(small, sizeof small, "ab");
    rl_names_append(small, sizeof small, "cdefgh");
    assert_string_equal(small, "ab, cde");
    /* A full buffer ignores further names. */
    rl_names_append(small, sizeof small, "x");
    assert_string_equal(small, "ab, cde");
}


static rl_error located(int code, const char *file, int line, const char *message)
{
    rl_error e;
    rl_error_set(&e, code, "%s", message);
    rl_error_locate(&e, code, file, line, 0, NULL);
    return e;
}

static void test_error_list(void **state)
{
    (void)state;
    rl_error_list list = {0};
    assert_int_equal(rl_error_list_code(&list), RL_OK);
    /* Discovered out of order: a map's error, the command line's, the config's lines 9
     * and 2, and line 9's error again (several configurations share it). */
    rl_error e[] = {located(RL_EIO, "m.map", 1, "ragged"),
                    located(RL_EINVAL, RL_ERROR_COMMAND_LINE, 0, "twice"),
                    located(RL_ERANGE, "c.ini", 9, "too big"),
                    located(RL_EPARSE, "c.ini", 2, "syntax"),
                    located(RL_ERANGE, "c.ini", 9, "too big")};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(rl_error_list_add(&list, &e[i]), e[i].code);
    assert_int_equal(list.n, 4); /* the repeated one kept once */
    assert_int_equal(list.more, 0);
    rl_error_list_sort(&list, "c.ini");
    /* The config by line, then the command line, then other files. */
    assert_string_equal(list.items[0].message, "syntax");
    assert_string_equal(list.items[1].message, "too big");
    assert_string_equal(list.items[2].message, "twice");
    assert_string_equal(list.items[3].message, "ragged");
    assert_int_equal(rl_error_list_code(&list), RL_EPARSE);
    /* Same place, another message: a second error, kept. */
    rl_error other = located(RL_ERANGE, "c.ini", 9, "too small");
    rl_error_list_add(&list, &other);
    assert_int_equal(list.n, 5);
    /* At most RL_ERROR_LIST_MAX are kept; the rest are counted. */
    for (int i = 0; i < RL_ERROR_LIST_MAX + 10; i++) {
        rl_error x = located(RL_EINVAL, "c.ini", 100 + i, "x");
        rl_error_list_add(&list, &x);
    }
    assert_int_equal(list.n, RL_ERROR_LIST_MAX);
    assert_int_equal(list.more, 5 + RL_ERROR_LIST_MAX + 10 - RL_ERROR_LIST_MAX);
    rl_error_list_free(&list);
    assert_int_equal(list.n, 0);
    assert_null(list.items);
    rl_error_list_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_locate),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_names_append),
        cmocka_unit_test(test_error_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

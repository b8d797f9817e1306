/* Tests of the map parser and loader (envs/map.h, README.md "Writing a map").
 *
 * Good maps: every cell of small maps checked against the text by hand; "\r\n", mixed line
 * ends and a missing final newline give the same map. Bad maps: every error is provoked on
 * purpose and its code, exact message, file, line and column checked; the line and column
 * are counted by hand in a comment. Files: a missing file, a directory, a real file written
 * with mkstemp (same map as parsing its text), and the size limits.
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/support.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "envs/map.h"

#define SOURCE "test.map"
#define ALLOWED "(allowed: . S G X # C H)"
#define SIDE 4096 /* the documented per-side limit of map.c */

/* ---- helpers ---------------------------------------------------------------------- */

static char tmpdir[256];

static int group_setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/test_map.XXXXXX", base && base[0] ? base : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

/* Removes the directory, and any file a failed test left behind. */
static int group_teardown(void **state)
{
    (void)state;
    DIR *dir = opendir(tmpdir);
    if (dir) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(dir)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
            unlink(path);
        }
        closedir(dir);
    }
    return rmdir(tmpdir);
}

/* Writes len bytes to a new file in tmpdir and puts its name in path. */
static void write_temp(const void *bytes, size_t len, char *path, size_t size)
{
    snprintf(path, size, "%s/mapXXXXXX", tmpdir);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static rl_map *parse_ok(const char *text)
{
    rl_map *map = NULL;
    rl_error err;
    rl_error_clear(&err);
    int rc = rl_map_parse(text, SOURCE, &map, &err);
    if (rc != RL_OK)
        fail_msg("parse of \"%s\" failed: %d %s", text, rc, err.message);
    assert_non_null(map);
    return map;
}

/* Checks a map against rows strings given by hand. */
static void expect_cells(const rl_map *map, size_t rows, size_t cols, const char *const *want)
{
    assert_int_equal(map->rows, rows);
    assert_int_equal(map->cols, cols);
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++) {
            if (rl_map_at(map, r, c) != want[r][c])
                fail_msg("cell (%zu, %zu) is '%c', expected '%c'", r, c, rl_map_at(map, r, c),
                         want[r][c]);
            /* Row-major storage, as the header documents. */
            assert_int_equal(map->cells[r * cols + c], want[r][c]);
        }
}

static void expect_error(int rc, const rl_error *err, rl_map *map, int code, const char *file,
                         const char *message, int line, int column)
{
    assert_int_equal(rc, code);
    assert_int_equal(err->code, code);
    assert_null(map);
    assert_string_equal(err->message, message);
    assert_string_equal(err->file, file);
    assert_int_equal(err->line, line);
    assert_int_equal(err->column, column);
    assert_string_equal(err->key, "");
}

/* Parses text that must fail with exactly this code, message and place. */
static void expect_parse_error(const char *text, int code, const char *message, int line,
                               int column)
{
    rl_map *map = (rl_map *)&map; /* not NULL, so the test sees *out being cleared */
    rl_error err;
    rl_error_clear(&err);
    int rc = rl_map_parse(text, SOURCE, &map, &err);
    expect_error(rc, &err, map, code, SOURCE, message, line, column);
}

/* ---- good maps -------------------------------------------------------------------- */

/* 3 rows x 2 columns; cells read off the text by hand. */
static const char *const hand3x2[] = {"S.", "G#", "CH"};

static void test_parse_3x2(void **state)
{
    (void)state;
    rl_map *map = parse_ok("S.\nG#\nCH\n");
    expect_cells(map, 3, 2, hand3x2);
    /* Spot checks written out, independent of the table above. */
    assert_int_equal(rl_map_at(map, 0, 0), 'S');
    assert_int_equal(rl_map_at(map, 1, 1), '#');
    assert_int_equal(rl_map_at(map, 2, 1), 'H');
    assert_int_equal(map->cells[4], 'C'); /* row 2, col 0: 2 * 2 + 0 */
    rl_map_free(map);
}

static void test_parse_all_characters(void **state)
{
    (void)state;
    /* The seven characters of the README's map table, one row. */
    rl_map *map = parse_ok(".SGX#CH");
    expect_cells(map, 1, 7, (const char *const[]){".SGX#CH"});
    rl_map_free(map);
}

static void test_crlf_and_final_newline(void **state)
{
    (void)state;
    const char *const variants[] = {
        "S.\r\nG#\r\nCH\r\n", /* CRLF */
        "S.\r\nG#\r\nCH",     /* CRLF, no final newline */
        "S.\nG#\nCH",         /* LF, no final newline */
        "S.\r\nG#\nCH\r\n",   /* mixed */
    };
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        rl_map *map = parse_ok(variants[i]);
        expect_cells(map, 3, 2, hand3x2);
        rl_map_free(map);
    }
}

static void test_start_rule(void **state)
{
    (void)state;
    /* An S alone, or a plain '.' alone, is enough for a start. */
    rl_map *map = parse_ok("S#\nGH\n");
    rl_map_free(map);
    map = parse_ok(".#\nGH\n");
    rl_map_free(map);
    /* A single cell map. */
    map = parse_ok("S");
    expect_cells(map, 1, 1, (const char *const[]){"S"});
    rl_map_free(map);
}

static void test_null_arguments(void **state)
{
    (void)state;
    rl_map *map = (rl_map *)&map;
    rl_error err;
    assert_int_equal(rl_map_parse(NULL, SOURCE, &map, &err), RL_EINVAL);
    assert_null(map);
    assert_int_equal(err.code, RL_EINVAL);
    assert_int_equal(rl_map_parse("S", SOURCE, NULL, &err), RL_EINVAL);
    assert_int_equal(rl_map_load(NULL, &map, NULL), RL_EINVAL);
    /* A NULL error record is allowed on every path. */
    assert_int_equal(rl_map_parse("q", SOURCE, &map, NULL), RL_EPARSE);
    assert_null(map);
    rl_map_free(NULL);
}

/* ---- parse errors ----------------------------------------------------------------- */

static void test_empty_map(void **state)
{
    (void)state;
    expect_parse_error("", RL_EPARSE, "empty map", 1, 1);
    expect_parse_error("\n", RL_EPARSE, "empty map", 1, 1);
    expect_parse_error("\r\n\n\r\n", RL_EPARSE, "empty map", 1, 1);
}

static void test_unknown_character(void **state)
{
    (void)state;
    /* 'q' is the 2nd character of the 2nd line. */
    expect_parse_error("S.\n.q\n", RL_EPARSE, "unknown map character 'q' " ALLOWED, 2, 2);
    /* A space is printable: trailing blanks are the usual culprit (line 1, column 3). */
    expect_parse_error("S. \n...\n", RL_EPARSE, "unknown map character ' ' " ALLOWED, 1, 3);
    /* Non-printable bytes as \xNN: tab (0x09) at line 3 column 1. */
    expect_parse_error("S.\n..\n\t.\n", RL_EPARSE, "unknown map character '\\x09' " ALLOWED, 3,
                       1);
    /* A bare CR (0x0D) is not a line end: line 1, column 3. */
    expect_parse_error("S.\r..\n", RL_EPARSE, "unknown map character '\\x0D' " ALLOWED, 1, 3);
    /* A byte above 0x7F (first byte of UTF-8 'é'): line 1, column 2. */
    expect_parse_error("S\xc3\xa9\n", RL_EPARSE, "unknown map character '\\xC3' " ALLOWED, 1, 2);
    /* Lower case is not the same character. */
    expect_parse_error("s.\n", RL_EPARSE, "unknown map character 's' " ALLOWED, 1, 1);
}

static void test_ragged_rows(void **state)
{
    (void)state;
    /* Row 3 ends after 4 of 5 cells: it ends at column 5. */
    expect_parse_error("S....\n.....\n....\n", RL_EPARSE,
                       "row 3 has 4 cells, expected 5 (rows must all be the same width)", 3, 5);
    /* Row 2 has a 4th cell where 3 are expected: column 4 overflows. */
    expect_parse_error("S..\n....\n...\n", RL_EPARSE,
                       "row 2 has 4 cells, expected 3 (rows must all be the same width)", 2, 4);
    /* The same with CRLF: the CR is part of the line end, not a cell. */
    expect_parse_error("S..\r\n..\r\n", RL_EPARSE,
                       "row 2 has 2 cells, expected 3 (rows must all be the same width)", 2, 3);
    /* Last row without a final newline, too long. */
    expect_parse_error("S.\n...", RL_EPARSE,
                       "row 2 has 3 cells, expected 2 (rows must all be the same width)", 2, 3);
}

static void test_blank_lines(void **state)
{
    (void)state;
    /* A blank line in the middle is a zero-width row 2. */
    expect_parse_error("S.\n\n..\n", RL_EPARSE,
                       "row 2 has 0 cells, expected 2 (rows must all be the same width)", 2, 1);
    expect_parse_error("S.\r\n\r\n..\r\n", RL_EPARSE,
                       "row 2 has 0 cells, expected 2 (rows must all be the same width)", 2, 1);
    /* A blank first line: the width expected is the first non-empty row's. */
    expect_parse_error("\nS.\n", RL_EPARSE,
                       "row 1 has 0 cells, expected 2 (rows must all be the same width)", 1, 1);
    /* Only one final newline is optional; a second one opens an empty row 2. */
    expect_parse_error("S.\n\n", RL_EPARSE,
                       "row 2 has 0 cells, expected 2 (rows must all be the same width)", 2, 1);
}

static void test_no_open_cell(void **state)
{
    (void)state;
    rl_map *map = (rl_map *)&map;
    rl_error err;
    int rc = rl_map_parse("##\n##\n", SOURCE, &map, &err);
    /* A whole-map property: no line or column. */
    expect_error(rc, &err, map, RL_EPARSE, SOURCE, "map has no open cell", 0, 0);
}

static void test_no_start_cell(void **state)
{
    (void)state;
    rl_map *map = (rl_map *)&map;
    rl_error err;
    /* Open cells, but none is S or '.'. */
    int rc = rl_map_parse("GX\nC#\nH#\n", SOURCE, &map, &err);
    expect_error(rc, &err, map, RL_EPARSE, SOURCE,
                 "map has no start cell: add an S or a plain . cell", 0, 0);
}

static void test_size_limits(void **state)
{
    (void)state;
    /* SIDE cells wide and SIDE rows high are accepted; one more is RL_ERANGE. */
    char *text = malloc(2 * (SIDE + 1) + 2);
    assert_non_null(text);
    memset(text, '.', SIDE);
    text[SIDE] = '\0';
    rl_map *map = parse_ok(text);
    assert_int_equal(map->cols, SIDE);
    rl_map_free(map);
    text[SIDE] = '.';
    text[SIDE + 1] = '\0';
    expect_parse_error(text, RL_ERANGE, "row 1 has more than 4096 cells (the limit)", 1,
                       SIDE + 1);

    /* ".\n" repeated: SIDE rows fine, SIDE + 1 rows refused at line SIDE + 1. */
    for (size_t r = 0; r <= SIDE; r++) {
        text[2 * r] = '.';
        text[2 * r + 1] = '\n';
    }
    text[2 * SIDE] = '\0';
    map = parse_ok(text);
    assert_int_equal(map->rows, SIDE);
    assert_int_equal(map->cols, 1);
    rl_map_free(map);
    text[2 * SIDE] = '.';
    text[2 * (SIDE + 1)] = '\0';
    expect_parse_error(text, RL_ERANGE, "map has more than 4096 rows (the limit)", SIDE + 1, 1);
    free(text);
}

/* ---- files ------------------------------------------------------------------------ */

static void test_load_missing_file(void **state)
{
    (void)state;
    char path[320], want[512];
    snprintf(path, sizeof path, "%s/no-such.map", tmpdir);
    snprintf(want, sizeof want, "cannot read map file '%s': %s", path, strerror(ENOENT));
    rl_map *map = (rl_map *)&map;
    rl_error err;
    int rc = rl_map_load(path, &map, &err);
    expect_error(rc, &err, map, RL_EIO, path, want, 0, 0);
    assert_contains(err.message, "No such file");
}

static void test_load_directory(void **state)
{
    (void)state;
    /* fopen succeeds on a directory on Linux; the read fails with EISDIR. */
    char want[512];
    snprintf(want, sizeof want, "cannot read map file '%s': %s", tmpdir, strerror(EISDIR));
    rl_map *map = (rl_map *)&map;
    rl_error err;
    int rc = rl_map_load(tmpdir, &map, &err);
    expect_error(rc, &err, map, RL_EIO, tmpdir, want, 0, 0);
}

static void test_load_matches_parse(void **state)
{
    (void)state;
    const char *const texts[] = {"S.\nG#\nCH\n", "S.\r\nG#\r\nCH", "S....\n.XX#.\n...CG"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char path[320];
        write_temp(texts[i], strlen(texts[i]), path, sizeof path);
        rl_map *loaded = NULL, *parsed = parse_ok(texts[i]);
        rl_error err;
        int rc = rl_map_load(path, &loaded, &err);
        if (rc != RL_OK)
            fail_msg("load %s: %s", path, err.message);
        assert_int_equal(loaded->rows, parsed->rows);
        assert_int_equal(loaded->cols, parsed->cols);
        assert_memory_equal(loaded->cells, parsed->cells, parsed->rows * parsed->cols);
        rl_map_free(loaded);
        rl_map_free(parsed);
        assert_int_equal(unlink(path), 0);
    }
    /* The first two are the hand-checked 3x2 map. */
    char path[320];
    write_temp(texts[1], strlen(texts[1]), path, sizeof path);
    rl_map *map = NULL;
    assert_int_equal(rl_map_load(path, &map, NULL), RL_OK);
    expect_cells(map, 3, 2, hand3x2);
    rl_map_free(map);
    assert_int_equal(unlink(path), 0);
}

static void test_load_parse_error_names_file(void **state)
{
    (void)state;
    /* A NUL byte, which a C string could not carry: line 2, column 2. */
    static const char bytes[] = {'S', '.', '\n', '.', '\0', '\n'};
    char path[320];
    write_temp(bytes, sizeof bytes, path, sizeof path);
    rl_map *map = (rl_map *)&map;
    rl_error err;
    int rc = rl_map_load(path, &map, &err);
    expect_error(rc, &err, map, RL_EPARSE, path, "unknown map character '\\x00' " ALLOWED, 2, 2);
    assert_int_equal(unlink(path), 0);

    /* A ragged row in a file: row 2 has one cell (singular in the message), so it ends at
     * column 2; then a row 2 one cell too long, overflowing at column 2. */
    write_temp("S.\n.\n", 5, path, sizeof path);
    rc = rl_map_load(path, &map, &err);
    expect_error(rc, &err, map, RL_EPARSE, path,
                 "row 2 has 1 cell, expected 2 (rows must all be the same width)", 2, 2);
    assert_int_equal(unlink(path), 0);
    write_temp("S\n..\n", 5, path, sizeof path);
    rc = rl_map_load(path, &map, &err);
    expect_error(rc, &err, map, RL_EPARSE, path,
                 "row 2 has 2 cells, expected 1 (rows must all be the same width)", 2, 2);
    assert_int_equal(unlink(path), 0);

    /* An empty file. */
    write_temp("", 0, path, sizeof path);
    rc = rl_map_load(path, &map, &err);
    expect_error(rc, &err, map, RL_EPARSE, path, "empty map", 1, 1);
    assert_int_equal(unlink(path), 0);
}

static void test_load_size_limit(void **state)
{
    (void)state;
    /* The largest map, SIDE x SIDE with "\r\n" line ends, is SIDE * (SIDE + 2) bytes and
     * loads; one byte more is refused before parsing. */
    size_t max_bytes = (size_t)SIDE * (SIDE + 2);
    char *bytes = malloc(max_bytes + 1);
    assert_non_null(bytes);
    for (size_t r = 0; r < SIDE; r++) {
        char *row = bytes + r * (SIDE + 2);
        memset(row, '.', SIDE);
        row[SIDE] = '\r';
        row[SIDE + 1] = '\n';
    }
    bytes[0] = 'S';
    char path[320];
    write_temp(bytes, max_bytes, path, sizeof path);
    rl_map *map = NULL;
    rl_error err;
    if (rl_map_load(path, &map, &err) != RL_OK)
        fail_msg("largest map: %s", err.message);
    assert_int_equal(map->rows, SIDE);
    assert_int_equal(map->cols, SIDE);
    assert_int_equal(rl_map_at(map, 0, 0), 'S');
    assert_int_equal(rl_map_at(map, SIDE - 1, SIDE - 1), '.');
    rl_map_free(map);
    assert_int_equal(unlink(path), 0);

    bytes[max_bytes] = '.';
    write_temp(bytes, max_bytes + 1, path, sizeof path);
    map = (rl_map *)&map;
    char want[512];
    snprintf(want, sizeof want,
             "map file '%s' is larger than %zu bytes (maps are limited to 4096 x 4096 cells)",
             path, max_bytes);
    int rc = rl_map_load(path, &map, &err);
    expect_error(rc, &err, map, RL_ERANGE, path, want, 0, 0);
    assert_int_equal(unlink(path), 0);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_3x2),
        cmocka_unit_test(test_parse_all_characters),
        cmocka_unit_test(test_crlf_and_final_newline),
        cmocka_unit_test(test_start_rule),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_empty_map),
        cmocka_unit_test(test_unknown_character),
        cmocka_unit_test(test_ragged_rows),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_no_open_cell),
        cmocka_unit_test(test_no_start_cell),
        cmocka_unit_test(test_size_limits),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_load_directory),
        cmocka_unit_test(test_load_matches_parse),
        cmocka_unit_test(test_load_parse_error_names_file),
        cmocka_unit_test(test_load_size_limit),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

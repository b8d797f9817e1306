/* Tests of `gridrl run`: runs the built program (GRIDRL_BINARY) in a temporary directory and
 * checks the files it writes against the output files README.md lists ("Running experiments") and the books.
 *
 * Known answers: Zhao's Fig 3.4(a) optimal values (as printed in the book, copied below), and for the
 * target cell, which is not terminal and where staying is optimal, v = r_target / (1 - gamma)
 * = 1 / (1 - gamma): 2 for gamma = 0.5 and 10 for gamma = 0.9.
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/process.h"
#include "tests/support.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>

static char tmpdir[256];

/* Zhao Fig 3.4(a), row-major (as printed in the book). */
static const double ZHAO_V_STAR[25] = {
    5.832, 5.58, 6.2, 6.48, 5.832, /* row 0 */
    6.48,  7.2,  8.0, 7.2,  6.48,  /* row 1 */
    7.2,   8.0,  10,  8.0,  7.2,   /* row 2 */
    8.0,   10,   10,  10,   8.0,   /* row 3 */
    7.2,   9.0,  10,  9.0,  8.1,   /* row 4 */
};

/* Zhao's 5x5 world (ch. 2, 0-based): forbidden (1,1),(1,2),(2,2),(3,1),(3,3),(4,1); target (3,2). */
static char zhao_cell(size_t r, size_t c)
{
    static const size_t forbidden[][2] = {{1, 1}, {1, 2}, {2, 2}, {3, 1}, {3, 3}, {4, 1}};
    for (size_t k = 0; k < 6; k++)
        if (forbidden[k][0] == r && forbidden[k][1] == c)
            return 'X';
    return r == 3 && c == 2 ? 'G' : '.';
}

/* Value iteration on Zhao's world with the baseline rewards (Fig 3.4a). Lines: 1 comment,
 * 2 [experiment], 3 name, 4 [env], 5 preset, 6 [agent], 7 algorithm, 8 gamma, 9 theta. */
#define ZHAO_CONFIG                                                                         \
    "; Zhao Fig 3.4(a)\n"                                                                   \
    "[experiment]\n"                                                                        \
    "name = small\n"                                                                        \
    "[env]\n"                                                                               \
    "preset = zhao5x5\n"                                                                    \
    "[agent]\n"                                                                             \
    "algorithm = value_iteration\n"                                                         \
    "gamma = 0.9\n"                                                                         \
    "theta = 1e-10\n"

/* ---- helpers ---------------------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    return tmp_dir_make(tmpdir, sizeof tmpdir, "test_run.") ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    remove_tree(tmpdir);
    return 0;
}

/* tmpdir/name, in a rotating set of buffers so that a few can be used at once. */
static const char *tmp_path(const char *name)
{
    static char paths[8][PATH_SIZE];
    static size_t next;
    char *p = paths[next++ % 8];
    snprintf(p, PATH_SIZE, "%s/%s", tmpdir, name);
    return p;
}

static void make_dir(const char *name)
{
    if (mkdir(tmp_path(name), 0700) != 0)
        fail_msg("mkdir %s: %s", tmp_path(name), strerror(errno));
}

/* The contents of dir/name; fails the test if it cannot be read. */
static char *read_output(const char *dir, const char *name)
{
    char path[2 * PATH_SIZE];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = slurp(path);
    if (!text)
        fail_msg("cannot read %s: %s", path, strerror(errno));
    return text;
}

/* Fails unless r exited with 0; frees r first then, so a failure leaks nothing. */
static void expect_success(result *r)
{
    if (r->status != 0) {
        static char message[4096];
        snprintf(message, sizeof message, "%s", r->err);
        int status = r->status;
        result_free(r);
        fail_msg("exit status %d; stderr:\n%s", status, message);
    }
}

/* Splits the CSV text into lines (in place); returns how many, header included. */
static size_t csv_lines(char *text, char **lines, size_t max)
{
    size_t n = 0;
    for (char *p = text; *p && n < max;) {
        lines[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    return n;
}

/* Splits one CSV line (in place, no quoting) into fields; returns how many. */
static size_t csv_fields(char *line, char **fields, size_t max)
{
    size_t n = 0;
    for (char *p = line; n < max;) {
        fields[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

/* Parses a whole field as a double. */
static double number(const char *field)
{
    char *end;
    double x = strtod(field, &end);
    if (!field[0] || *end)
        fail_msg("'%s' is not a number", field);
    return x;
}

/* The names in dir, sorted, joined with spaces (dot files included). */
static void list_dir(const char *dir, char *out, size_t size)
{
    char names[64][256];
    size_t n = 0;
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s: %s", dir, strerror(errno));
    for (struct dirent *e; (e = readdir(d)) && n < 64;)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            snprintf(names[n++], 256, "%s", e->d_name);
    closedir(d);
    for (size_t i = 1; i < n; i++) /* insertion sort */
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char t[256];
            memcpy(t, names[j], 256);
            memcpy(names[j], names[j - 1], 256);
            memcpy(names[j - 1], t, 256);
        }
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(out, i ? " " : "", size - strlen(out) - 1);
        strncat(out, names[i], size - strlen(out) - 1);
    }
}

/* Fails if dir or any directory below it holds a temporary file (a dot file or *.tmp). */
static void expect_no_temporary(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s: %s", dir, strerror(errno));
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || (len > 4 && strcmp(e->d_name + len - 4, ".tmp") == 0))
            fail_msg("temporary file %s/%s left behind", dir, e->d_name);
        char path[2 * PATH_SIZE];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            expect_no_temporary(path);
    }
    closedir(d);
}

/* The value column of values.csv for (run, row, col); fails if absent. */
static double value_at(const char *values_csv, size_t run, size_t row, size_t col)
{
    char *text = strdup(values_csv);
    assert_non_null(text);
    char *lines[4096];
    size_t n = csv_lines(text, lines, 4096);
    for (size_t i = 1; i < n; i++) {
        char *f[8] = {0};
        if (csv_fields(lines[i], f, 8) != 6)
            continue;
        if (strtoul(f[0], NULL, 10) == run && strtoul(f[2], NULL, 10) == row &&
            strtoul(f[3], NULL, 10) == col) {
            double v = number(f[5]);
            free(text);
            return v;
        }
    }
    free(text);
    fail_msg("no value for run %zu at (%zu, %zu)", run, row, col);
    return 0;
}

/* Files a run writes that must not depend on anything but the config. */
static const char *const DETERMINISTIC[] = {"values.csv",  "policy.csv",  "iterations.csv",
                                            "runs.csv",    "configs.csv", "config.ini"};

static void expect_same_file(const char *dir_a, const char *dir_b, const char *name)
{
    char *a = read_output(dir_a, name), *b = read_output(dir_b, name);
    if (strcmp(a, b) != 0)
        fail_msg("%s differs between %s and %s:\n%s\n----\n%s", name, dir_a, dir_b, a, b);
    free(a);
    free(b);
}

/* ---- tests -------------------------------------------------------------------------- */

static void test_small_run(void **state)
{
    (void)state;
    const char *config = write_file(tmp_path("small.ini"), ZHAO_CONFIG);
    char dir[PATH_SIZE];
    snprintf(dir, sizeof dir, "%s", tmp_path("small_out"));
    result r = RUN("run", config, "-o", dir);
    expect_success(&r);
    assert_string_equal(r.err, "");
    assert_contains(r.out, dir); /* "wrote 1 run of small to DIR/" */
    result_free(&r);

    /* the documented files, each row once (no runs/ once finished); nothing temporary left
     * behind */
    char listing[2048];
    list_dir(dir, listing, sizeof listing);
    assert_string_equal(listing, "config.ini configs.csv iterations.csv manifest.txt "
                                 "policy.csv runs.csv timing.csv values.csv");
    expect_no_temporary(dir);

    /* values.csv: 25 cells + header, each at Zhao's value; (3,2) is 10 */
    char *values = read_output(dir, "values.csv");
    char *lines[256] = {0};
    char *copy = strdup(values);
    size_t n = csv_lines(copy, lines, 256);
    assert_int_equal(n, 26);
    assert_string_equal(lines[0], "run,state,row,col,cell,value");
    for (size_t i = 1; i < n; i++) {
        char *f[8] = {0};
        assert_int_equal(csv_fields(lines[i], f, 8), 6);
        size_t s = i - 1, row = s / 5, col = s % 5;
        assert_string_equal(f[0], "0");
        assert_int_equal(strtoul(f[1], NULL, 10), s);
        assert_int_equal(strtoul(f[2], NULL, 10), row);
        assert_int_equal(strtoul(f[3], NULL, 10), col);
        assert_int_equal(strlen(f[4]), 1);
        assert_int_equal(f[4][0], zhao_cell(row, col));
        /* theta = 1e-10 leaves an error below gamma theta / (1 - gamma) = 1e-9 */
        assert_close(number(f[5]), ZHAO_V_STAR[s], 1e-6);
    }
    free(copy);
    assert_close(value_at(values, 0, 3, 2), 10.0, 1e-6);
    free(values);

    /* policy.csv: 25 decision states x 5 actions; each state's probabilities sum to 1, and
     * at the target the optimal action is to stay (Fig 3.4a) */
    char *policy = read_output(dir, "policy.csv");
    n = csv_lines(policy, lines, 256);
    assert_int_equal(n, 1 + 25 * 5);
    assert_string_equal(lines[0], "run,state,row,col,action,probability");
    static const char *const actions[] = {"up", "right", "down", "left", "stay"};
    for (size_t s = 0; s < 25; s++) {
        double sum = 0;
        for (size_t a = 0; a < 5; a++) {
            char *f[8] = {0};
            assert_int_equal(csv_fields(lines[1 + 5 * s + a], f, 8), 6);
            assert_int_equal(strtoul(f[1], NULL, 10), s);
            assert_string_equal(f[4], actions[a]);
            double p = number(f[5]);
            assert_true(p >= 0 && p <= 1);
            sum += p;
            if (s == 3 * 5 + 2)
                assert_close(p, a == 4 ? 1.0 : 0.0, 0);
        }
        assert_close(sum, 1.0, 1e-12);
    }
    free(policy);

    /* iterations.csv: value iteration's deltas shrink by about gamma per sweep at the end;
     * it stops once a sweep changes no value by theta, and is then within 1e-6 of v* */
    char *iterations = read_output(dir, "iterations.csv");
    static char *ilines[100000];
    n = csv_lines(iterations, ilines, 100000);
    assert_string_equal(ilines[0], "run,iteration,delta,value_rmse,policy_changes");
    assert_true(n > 20);
    double previous = HUGE_VAL, last_rmse = HUGE_VAL, last_delta = HUGE_VAL;
    for (size_t i = 1; i < n; i++) {
        char *f[8] = {0};
        assert_int_equal(csv_fields(ilines[i], f, 8), 5);
        assert_int_equal(strtoul(f[1], NULL, 10), i);
        double delta = number(f[2]);
        if (i >= n - 10) {
            if (!(delta < previous))
                fail_msg("delta %g at iteration %zu is not below %g", delta, i, previous);
            /* The Bellman optimality operator is a gamma-contraction in the max norm, so
             * each delta is at most 0.9 times the one before, up to rounding: values are
             * below 10, so a few ulps of 10 (2e-15 each) are allowed. */
            if (previous < HUGE_VAL && !(delta <= 0.9 * previous + 1e-13))
                fail_msg("delta %.17g at iteration %zu exceeds 0.9 x %.17g", delta, i,
                         previous);
        }
        previous = last_delta = delta;
        last_rmse = number(f[3]);
    }
    assert_true(last_delta < 1e-10);
    assert_true(last_rmse < 1e-6);
    free(iterations);

    /* runs.csv: one converged run; configs.csv: one configuration */
    char *runs = read_output(dir, "runs.csv");
    n = csv_lines(runs, lines, 256);
    assert_int_equal(n, 2);
    assert_contains(lines[0], "run,config,replicate,rng_seed,status,episodes,steps");
    char *f[16] = {0};
    assert_true(csv_fields(lines[1], f, 16) >= 7);
    assert_string_equal(f[0], "0");
    assert_string_equal(f[1], "0");
    assert_string_equal(f[2], "0");
    assert_string_equal(f[4], "converged");
    free(runs);
    char *configs = read_output(dir, "configs.csv");
    assert_string_equal(configs, "config,algorithm\n0,value_iteration\n");
    free(configs);
    char *timing = read_output(dir, "timing.csv");
    n = csv_lines(timing, lines, 256);
    assert_int_equal(n, 2);
    assert_contains(lines[0], "run,seconds,steps_per_second");
    free(timing);
    char *manifest = read_output(dir, "manifest.txt");
    assert_contains(manifest, "command: gridrl run ");
    assert_contains(manifest, "version: ");
    assert_contains(manifest, "commit: ");
    assert_contains(manifest, "date: ");
    assert_contains(manifest, "host: ");
    free(manifest);
    char *ini = read_output(dir, "config.ini");
    assert_contains(ini, "[agent]\nalgorithm = value_iteration\n");
    assert_contains(ini, "preset = zhao5x5\n");
    assert_contains(ini, "reward_forbidden = -1\n"); /* a preset value, written out */
    assert_contains(ini, "max_iterations = 100000\n"); /* a default, written out */
    free(ini);

    /* --quiet prints nothing */
    r = RUN("run", config, "-o", dir, "--force", "--quiet");
    expect_success(&r);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "");
    result_free(&r);
}

static void test_config_error_writes_nothing(void **state)
{
    (void)state;
    /* gamma = 1 on line 8: Zhao's world has no terminal state, so v is infinite */
    char text[1024];
    snprintf(text, sizeof text, "%s", ZHAO_CONFIG);
    char *gamma = strstr(text, "gamma = 0.9");
    memcpy(gamma, "gamma = 1  ", strlen("gamma = 0.9"));
    const char *config = write_file(tmp_path("gamma1.ini"), text);
    const char *dir = tmp_path("gamma1_out/nested");
    result r = RUN("run", config, "-o", dir);
    char where[PATH_SIZE + 16];
    snprintf(where, sizeof where, "%s:8:", config);
    assert_contains(r.err, where);
    assert_contains(r.err, "agent.gamma");
    assert_string_equal(r.out, "");
    assert_false(exists(dir));
    assert_false(exists(tmp_path("gamma1_out")));
    int status = r.status;
    result_free(&r);
    assert_int_equal(status, 2); /* the user's input is wrong (cli.h) */

    /* a plain value error: line 9 theta */
    snprintf(text, sizeof text, "%s", ZHAO_CONFIG);
    memcpy(strstr(text, "theta = 1e-10"), "theta = 0    ", strlen("theta = 1e-10"));
    config = write_file(tmp_path("theta0.ini"), text);
    dir = tmp_path("theta0_out");
    r = RUN("run", config, "-o", dir);
    assert_int_equal(r.status, 2);
    snprintf(where, sizeof where, "%s:9:", config);
    assert_contains(r.err, where);
    assert_contains(r.err, "agent.theta");
    assert_false(exists(dir));
    result_free(&r);

    /* a bad override */
    config = write_file(tmp_path("small.ini"), ZHAO_CONFIG);
    r = RUN("run", config, "-o", dir, "-s", "agent.gamma=2");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "command line");
    assert_contains(r.err, "agent.gamma");
    assert_false(exists(dir));
    result_free(&r);
}

static void test_nonempty_dir(void **state)
{
    (void)state;
    const char *config = write_file(tmp_path("small.ini"), ZHAO_CONFIG);
    make_dir("full");
    char dir[PATH_SIZE];
    snprintf(dir, sizeof dir, "%s", tmp_path("full"));
    write_file(tmp_path("full/notes.txt"), "precious\n");
    write_file(tmp_path("full/values.csv"), "not overwritten\n");

    result r = RUN("run", config, "-o", dir);
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "not empty");
    assert_contains(r.err, "--force");
    result_free(&r);
    char listing[2048];
    list_dir(dir, listing, sizeof listing);
    assert_string_equal(listing, "notes.txt values.csv");
    char *text = read_output(dir, "values.csv");
    assert_string_equal(text, "not overwritten\n");
    free(text);

    r = RUN("run", config, "-o", dir, "--force");
    expect_success(&r);
    result_free(&r);
    text = read_output(dir, "values.csv");
    assert_close(value_at(text, 0, 3, 2), 10.0, 1e-6);
    free(text);
    text = read_output(dir, "notes.txt"); /* --force overwrites, it does not clear */
    assert_string_equal(text, "precious\n");
    free(text);
    expect_no_temporary(dir);

    /* A finished run's directory is refused too, and keeps its results. */
    char *before = read_output(dir, "values.csv");
    r = RUN("run", config, "-o", dir, "-s", "agent.gamma=0.5");
    assert_int_equal(r.status, 2);
    result_free(&r);
    char *after = read_output(dir, "values.csv");
    assert_string_equal(after, before);
    free(before);
    free(after);
}

static void test_default_config(void **state)
{
    (void)state;
    make_dir("default_cwd");
    const char *cwd = tmp_path("default_cwd");
    result r = RUN_IN(cwd, "run");
    expect_success(&r);
    result_free(&r);
    char dir[PATH_SIZE];
    snprintf(dir, sizeof dir, "%s/results/zhao_fig3_4a", cwd);
    char *values = read_output(dir, "values.csv");
    for (size_t s = 0; s < 25; s++)
        assert_close(value_at(values, 0, s / 5, s % 5), ZHAO_V_STAR[s], 1e-6);
    free(values);
}

static void test_sweep_override(void **state)
{
    (void)state;
    const char *config = write_file(tmp_path("small.ini"), ZHAO_CONFIG);
    char dir[PATH_SIZE];
    snprintf(dir, sizeof dir, "%s", tmp_path("sweep_out"));
    result r = RUN("run", "-s", "agent.gamma=0.5,0.9", config, "-o", dir);
    expect_success(&r);
    result_free(&r);
    char *configs = read_output(dir, "configs.csv");
    assert_string_equal(configs, "config,algorithm,gamma\n"
                                 "0,value_iteration,0.5\n"
                                 "1,value_iteration,0.9\n");
    free(configs);
    char *values = read_output(dir, "values.csv");
    char *copy = strdup(values), *lines[256];
    assert_int_equal(csv_lines(copy, lines, 256), 1 + 2 * 25);
    free(copy);
    assert_close(value_at(values, 0, 3, 2), 1 / (1 - 0.5), 1e-6);
    assert_close(value_at(values, 1, 3, 2), 1 / (1 - 0.9), 1e-6);
    free(values);
    char *runs = read_output(dir, "runs.csv");
    copy = strdup(runs);
    assert_int_equal(csv_lines(copy, lines, 256), 3);
    free(copy);
    free(runs);
}

static void test_deterministic(void **state)
{
    (void)state;
    const char *config = write_file(tmp_path("det.ini"),
                                    "[experiment]\nseeds = 2\n"
                                    "[env]\npreset = zhao5x5\n[agent]\n"
                                    "algorithm = value_iteration, policy_iteration\n"
                                    "gamma = 0.5, 0.9\n");
    char dir_a[PATH_SIZE], dir_b[PATH_SIZE];
    snprintf(dir_a, sizeof dir_a, "%s", tmp_path("det_a"));
    snprintf(dir_b, sizeof dir_b, "%s", tmp_path("det_b"));
    /* one thread and two (README.md: byte-identical for any number of threads) */
    result r = RUN("run", config, "-o", dir_a, "--quiet", "-j", "1");
    expect_success(&r);
    result_free(&r);
    r = RUN("run", config, "-o", dir_b, "--quiet", "-j", "2");
    expect_success(&r);
    result_free(&r);
    for (size_t i = 0; i < sizeof DETERMINISTIC / sizeof *DETERMINISTIC; i++)
        expect_same_file(dir_a, dir_b, DETERMINISTIC[i]);
    /* 4 configurations x 2 seeds */
    char *runs = read_output(dir_a, "runs.csv"), *lines[64];
    assert_int_equal(csv_lines(runs, lines, 64), 1 + 8);
    free(runs);
}

static void test_rerun_config_ini(void **state)
{
    (void)state;
    /* the small run, and a sweep */
    const char *config = write_file(tmp_path("small.ini"), ZHAO_CONFIG);
    const char *runs[][4] = {{"rerun_a", "rerun_a2", NULL, NULL},
                             {"rerun_b", "rerun_b2", "-s", "agent.gamma=0.5,0.9"}};
    for (size_t i = 0; i < 2; i++) {
        char dir[PATH_SIZE], dir2[PATH_SIZE], again[PATH_SIZE + 32];
        snprintf(dir, sizeof dir, "%s", tmp_path(runs[i][0]));
        snprintf(dir2, sizeof dir2, "%s", tmp_path(runs[i][1]));
        result r = runs[i][2] ? RUN("run", config, "-o", dir, runs[i][2], runs[i][3])
                              : RUN("run", config, "-o", dir);
        expect_success(&r);
        result_free(&r);
        snprintf(again, sizeof again, "%s/config.ini", dir);
        r = RUN("run", again, "-o", dir2);
        expect_success(&r);
        result_free(&r);
        expect_same_file(dir, dir2, "values.csv");
        expect_same_file(dir, dir2, "configs.csv");
    }
}

static void test_rerun_config_ini_with_map(void **state)
{
    (void)state;
    /* A map file named relative to a config given by a relative path: the written
     * config.ini must still find it when run from its own directory. */
    make_dir("mapcfg");
    write_file(tmp_path("mapcfg/zhao.map"), ".....\n.XX..\n..X..\n.XGX.\n.X...\n");
    write_file(tmp_path("mapcfg/m.ini"),
               "[env]\nmap = zhao.map\n[agent]\nalgorithm = value_iteration\n");
    result r = RUN_IN(tmpdir, "run", "mapcfg/m.ini", "-o", "map_out", "--quiet");
    expect_success(&r);
    result_free(&r);
    r = RUN_IN(tmpdir, "run", "map_out/config.ini", "-o", "map_out2", "--quiet");
    expect_success(&r);
    result_free(&r);
    char dir[PATH_SIZE], dir2[PATH_SIZE];
    snprintf(dir, sizeof dir, "%s", tmp_path("map_out"));
    snprintf(dir2, sizeof dir2, "%s", tmp_path("map_out2"));
    expect_same_file(dir, dir2, "values.csv");
    char *values = read_output(dir, "values.csv");
    assert_close(value_at(values, 0, 3, 2), 10.0, 1e-6); /* the map's defaults are Zhao's */
    free(values);
}


/* Every error of a config and its overrides at once, in the file's line order and then the
 * command line's, with exit status 2 and nothing written. */
static void test_every_error_at_once(void **state)
{
    (void)state;
    /* Lines: 1 comment 2 [experiment] 3 name 4 [env] 5 preset 6 [agent] 7 algorithm
     * 8 gamma 9 theta; then 10 [agent2] (empty), 11 a line without '=', 12 [agent] 13 gamma
     * again, 14 max_iterations out of range. */
    const char *config = write_file(tmp_path("many.ini"),
                                    ZHAO_CONFIG "[agent2]\nwhat is this\n[agent]\ngamma = 0.5\n"
                                                "max_iterations = 0\n");
    const char *dir = tmp_path("many_out");
    result r = RUN("run", config, "-o", dir, "-s", "agent.theta=1", "--set", "agent.theta=2",
                   "agent.nosuch=1");
    assert_int_equal(r.status, 2);
    const char *want[] = {":10: unknown section [agent2]", ":11: syntax error",
                          ":13: agent.gamma: key given twice (first on line 8)",
                          ":14: agent.max_iterations: 0 is outside",
                          "command line: agent.theta: key given twice on the command line",
                          "command line: agent.nosuch: unknown key 'nosuch'"};
    const char *at = r.err;
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const char *found = strstr(at, want[i]);
        if (!found)
            fail_msg("'%s' is not in order in:\n%s", want[i], r.err);
        at = found;
    }
    /* One line per error. */
    size_t lines = 0;
    for (const char *c = r.err; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 6);
    assert_string_equal(r.out, "");
    assert_false(exists(dir));
    result_free(&r);
}

/* section.key=value without -s is an override (Hydra's style), as -s and --set are. */
static void test_override_arguments(void **state)
{
    (void)state;
    const char *config = write_file(tmp_path("small.ini"), ZHAO_CONFIG);
    char dir[PATH_SIZE];
    snprintf(dir, sizeof dir, "%s", tmp_path("hydra_out"));
    result r = RUN("run", config, "agent.gamma=0.5", "-o", dir, "--quiet");
    expect_success(&r);
    result_free(&r);
    char *values = read_output(dir, "values.csv");
    assert_close(value_at(values, 0, 3, 2), 1 / (1 - 0.5), 1e-6); /* the target's 1/(1-gamma) */
    free(values);
    r = RUN("run", config, "--set", "agent.gamma=0.5", "-o", dir, "--quiet", "--force");
    expect_success(&r);
    result_free(&r);
    /* The argument and -s give the same key: twice, an error. */
    r = RUN("run", config, "agent.gamma=0.5", "-s", "agent.gamma=0.6", "-o", dir, "--force");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "key given twice on the command line");
    result_free(&r);
    /* Two configs are a usage error. */
    r = RUN("run", config, config, "-o", dir, "--force");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "more than one CONFIG");
    result_free(&r);
}

/* A planner sweep of more than four configurations: one line each, no grids. */
static void test_many_planner_lines(void **state)
{
    (void)state;
    const char *config = write_file(tmp_path("small.ini"), ZHAO_CONFIG);
    char dir[PATH_SIZE];
    snprintf(dir, sizeof dir, "%s", tmp_path("many_lines"));
    result r = RUN("run", config, "-s", "agent.gamma=0.1,0.2,0.3,0.5,0.9", "-o", dir);
    expect_success(&r);
    assert_null(strstr(r.out, "legend:"));
    static const char *const GAMMA[] = {"0.1", "0.2", "0.3", "0.5", "0.9"};
    for (size_t k = 0; k < 5; k++) {
        char line[128];
        snprintf(line, sizeof line, "\nconfiguration %zu (value_iteration, gamma = %s): converged",
                 k, GAMMA[k]);
        assert_contains(r.out, line);
    }
    result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_run),
        cmocka_unit_test(test_config_error_writes_nothing),
        cmocka_unit_test(test_nonempty_dir),
        cmocka_unit_test(test_default_config),
        cmocka_unit_test(test_sweep_override),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_rerun_config_ini),
        cmocka_unit_test(test_rerun_config_ini_with_map),
        cmocka_unit_test(test_every_error_at_once),
        cmocka_unit_test(test_override_arguments),
        cmocka_unit_test(test_many_planner_lines),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

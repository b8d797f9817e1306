/* Tests of shards and merging (experiments/runner/shard.h, merge.h; `gridrl run --shard K/N`,
 * `gridrl merge DIR`): a plan split into shards run in any order, or at once, then merged,
 * gives the same bytes as `gridrl run -j 1` (the reference: one process doing every run); a
 * merge with runs missing names them and writes nothing; a shard never joins a folder of
 * another config and changes nothing when refused; --resume per shard and for the whole
 * folder; a partial plan ([experiment] only) in shards needs only its own runs; creating the
 * shared folder is race-free.
 *
 * The sweep has 5 configurations x 5 seeds = 25 runs, so shards of 3 hold 9, 8 and 8 runs
 * (run % 3 == 0: 0, 3, ..., 24; == 1: 1, 4, ..., 22; == 2: 2, 5, ..., 23), counted by hand.
 */
#define _XOPEN_SOURCE 700 /* symlink */

#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/process.h"
#include "tests/support.h"
#include "tests/tree.h"

#include "experiments/runner/config.h"
#include "experiments/runner/merge.h"
#include "experiments/runner/plan.h"
#include "experiments/runner/shard.h"
#include "rl/rng.h"

static char tmpdir[PATH_SIZE];

#define PATHF(buf, ...)                                                                    \
    do {                                                                                   \
        if (snprintf(buf, sizeof buf, __VA_ARGS__) >= (int)sizeof buf)                     \
            fail_msg("path too long: %s", #buf);                                           \
    } while (0)

static void expect_status(const result *r, int status)
{
    if (r->status != status)
        fail_msg("exit status %d, expected %d\nstdout:\n%s\nstderr:\n%s", r->status, status,
                 r->out, r->err);
}

/* tmpdir/name, in one of a few rotating buffers. */
static const char *at(const char *name)
{
    static char bufs[8][PATH_SIZE];
    static size_t next;
    char *buf = bufs[next++ % 8];
    if (snprintf(buf, PATH_SIZE, "%s/%s", tmpdir, name) >= PATH_SIZE)
        fail_msg("path too long: %s", name);
    return buf;
}

static const char SWEEP_INI[] = "[experiment]\n"
                                "name = shards\n"
                                "episodes = 20\n"
                                "seeds = 5\n"
                                "\n"
                                "[env]\n"
                                "preset = cliff_walking\n"
                                "\n"
                                "[agent]\n"
                                "algorithm = q_learning, sarsa, expected_sarsa, "
                                "double_q_learning, n_step_sarsa\n"
                                "alpha = 0.5\n"
                                "epsilon = 0.1\n"
                                "gamma = 1\n";

static char sweep[PATH_SIZE], reference[PATH_SIZE];

/* The reference: every run in one process, one thread. */
static int setup(void **state)
{
    (void)state;
    PATHF(sweep, "%s", at("sweep.ini"));
    write_file(sweep, SWEEP_INI);
    PATHF(reference, "%s", at("j1"));
    result r = RUN("run", sweep, "-o", reference, "-j", "1", "--quiet");
    int status = r.status;
    result_free(&r);
    return status;
}

static void run_shard(const char *dir, const char *shard, int status)
{
    result r = RUN("run", sweep, "-o", dir, "--shard", shard, "--quiet");
    expect_status(&r, status);
    result_free(&r);
}

static void merge(const char *dir, int status)
{
    result r = RUN("merge", dir, "--quiet");
    expect_status(&r, status);
    result_free(&r);
}

/* ---- K/N ------------------------------------------------------------------------------- */

static void test_parse(void **state)
{
    (void)state;
    rl_shard s;
    rl_error err;
    assert_int_equal(rl_shard_parse("0/3", &s, &err), RL_OK);
    assert_int_equal(s.index, 0);
    assert_int_equal(s.count, 3);
    assert_int_equal(rl_shard_parse("2/3", &s, &err), RL_OK);
    assert_int_equal(s.index, 2);
    assert_int_equal(rl_shard_parse("3/3", &s, &err), RL_EINVAL);
    assert_contains(err.message, "K must be less than N");
    assert_int_equal(rl_shard_parse("0/0", &s, &err), RL_EINVAL);
    assert_contains(err.message, "N must be 1 to");
    static const char *const BAD[] = {"", "1", "/3", "1/", "-1/3", "+1/3", " 1/3", "1/3 ",
                                      "1/3/4", "a/b", "0x1/3", "1/123456789", NULL};
    for (const char *const *b = BAD; *b; b++) {
        if (rl_shard_parse(*b, &s, &err) != RL_EINVAL)
            fail_msg("'%s' was taken as a shard", *b);
    }
    /* 25 runs in 3 shards: 9 + 8 + 8 (run % 3 == 0 has 0, 3, ..., 24). 40 shards of 25
     * runs: shards 0-24 hold one run each, the rest none. */
    assert_int_equal(rl_shard_runs(&(rl_shard){0, 3}, 25), 9);
    assert_int_equal(rl_shard_runs(&(rl_shard){1, 3}, 25), 8);
    assert_int_equal(rl_shard_runs(&(rl_shard){2, 3}, 25), 8);
    assert_int_equal(rl_shard_runs(&(rl_shard){24, 40}, 25), 1);
    assert_int_equal(rl_shard_runs(&(rl_shard){25, 40}, 25), 0);
    assert_int_equal(rl_shard_runs(NULL, 25), 25);
    assert_true(rl_shard_has(&(rl_shard){1, 3}, 22));
    assert_false(rl_shard_has(&(rl_shard){1, 3}, 23));

    result r = RUN("run", sweep, "-o", at("never"), "--shard", "3/3");
    expect_status(&r, 2);
    assert_contains(r.err, "K must be less than N");
    result_free(&r);
    r = RUN("run", sweep, "-o", at("never"), "--shard", "0/2", "--force");
    expect_status(&r, 2);
    assert_contains(r.err, "--shard and --force exclude each other");
    result_free(&r);
    assert_false(exists(at("never")));
}

/* ---- shards, then merge ------------------------------------------------------------------ */

/* In the order and another, and then all three at once: the same bytes as -j 1. */
static void test_shards_merge(void **state)
{
    (void)state;
    static const char *const ORDERS[][3] = {{"0/3", "1/3", "2/3"}, {"2/3", "0/3", "1/3"}};
    static const char *const DIRS[] = {"order_a", "order_b"};
    for (size_t i = 0; i < 2; i++) {
        char dir[PATH_SIZE];
        PATHF(dir, "%s", at(DIRS[i]));
        for (size_t k = 0; k < 3; k++)
            run_shard(dir, ORDERS[i][k], 0);
        char path[PATH_SIZE];
        PATHF(path, "%s/runs.csv", dir);
        assert_false(exists(path)); /* a shard never merges */
        merge(dir, 0);
        /* config.ini, configs.csv and the merged runs, episodes, values, policy, summary,
         * scores: all but timing.csv and manifest.txt, byte for byte. */
        assert_int_equal(compare_trees(reference, dir), 8);
    }

    /* The three at once into a folder none has made: one creates it, the others join. */
    const char *dir = at("at_once");
    process p[3];
    static const char *const SHARDS[] = {"0/3", "1/3", "2/3"};
    for (size_t k = 0; k < 3; k++)
        p[k] = start(NULL, (const char *const[]){"run", sweep, "-o", dir, "--shard", SHARDS[k],
                                                 "--quiet", NULL});
    for (size_t k = 0; k < 3; k++) {
        result r = finish(&p[k]);
        expect_status(&r, 0);
        result_free(&r);
    }
    merge(dir, 0);
    assert_int_equal(compare_trees(reference, dir), 8);

    /* A merged folder: merge again has nothing to do; a shard has nothing to run. */
    char *before = tree_state(dir);
    result r = RUN("merge", dir);
    expect_status(&r, 0);
    assert_contains(r.out, "merged already");
    result_free(&r);
    run_shard(dir, "1/3", 2);
    r = RUN("run", sweep, "-o", dir, "--shard", "1/3", "--resume");
    expect_status(&r, 0);
    assert_contains(r.out, "finished");
    result_free(&r);
    char *after = tree_state(dir);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* A shard missing: merge exits 2, names exactly its runs (1, 4, ..., 22) and the command that
 * completes them, and writes nothing; that command then completes the experiment. */
static void test_merge_missing(void **state)
{
    (void)state;
    const char *dir = at("missing");
    run_shard(dir, "0/3", 0);
    run_shard(dir, "2/3", 0);
    char *before = tree_state(dir);
    result r = RUN("merge", dir);
    expect_status(&r, 2);
    assert_contains(r.err, "8 of its 25 runs are missing: runs 1, 4, 7, 10, 13, 16, 19, 22\n");
    char config[PATH_SIZE], command[3 * PATH_SIZE];
    PATHF(config, "%s/config.ini", dir);
    PATHF(command, "gridrl run %s -o %s --resume", config, dir);
    assert_contains(r.err, command);
    result_free(&r);
    char *after = tree_state(dir);
    assert_string_equal(before, after);
    free(before);
    free(after);

    /* --shards 3: the shard that holds them, and its command (which completes them). */
    r = RUN("merge", dir, "--shards", "3");
    expect_status(&r, 2);
    char shard_command[3 * PATH_SIZE];
    PATHF(shard_command, "gridrl run %s -o %s --shard 1/3 --resume\n", config, dir);
    assert_contains(r.err, "or run again shard 1/3, which holds them:\n");
    assert_contains(r.err, shard_command);
    result_free(&r);
    r = RUN("merge", dir, "--shards", "5");
    expect_status(&r, 2);
    /* Of 5 shards, runs 1, 4, ..., 22 fall in 1, 4, 2, 0, 3, 1, 4, 2: every shard. */
    assert_contains(r.err, "the 5 shards of 5 that hold them (K = 0-4)");
    result_free(&r);

    /* More than the message lists: the first 16, then "...". */
    const char *sparse = at("sparse");
    run_shard(sparse, "0/25", 0);
    r = RUN("merge", sparse);
    expect_status(&r, 2);
    assert_contains(r.err, "24 of its 25 runs are missing: runs 1-16, ...\n");
    result_free(&r);

    /* The command merge gave completes the runs here and merges. */
    r = RUN("run", config, "-o", dir, "--resume", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    assert_int_equal(compare_trees(reference, dir), 8);
}

/* A partial plan (--only 1,3: configurations 1 and 3, runs 5-9 and 15-19) in 2 shards: shard
 * 0/2 runs the even ones of those (6, 8, 16, 18), so merge names exactly the 6 odd ones of
 * the 10 it needs, none of the unselected configurations'; after shard 1/2 it merges the
 * same bytes as the partial plan run in one process. */
static void test_partial_plan(void **state)
{
    (void)state;
    const char *whole = at("partial_j1"), *dir = at("partial");
    result r = RUN("run", sweep, "-o", whole, "--only", "1,3", "-j", "1", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    r = RUN("run", sweep, "-o", dir, "--only", "1,3", "--shard", "0/2");
    expect_status(&r, 0);
    assert_contains(r.out, "shard 0/2: 4 runs (0 already complete)");
    assert_contains(r.out, "4 of the experiment's 10 runs are complete");
    result_free(&r);
    r = RUN("merge", dir);
    expect_status(&r, 2);
    assert_contains(r.err, "6 of its 10 runs are missing: runs 5, 7, 9, 15, 17, 19\n");
    result_free(&r);
    r = RUN("run", sweep, "-o", dir, "--only", "1,3", "--shard", "1/2", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    r = RUN("merge", dir);
    expect_status(&r, 0);
    assert_contains(r.out, "10 runs merged");
    result_free(&r);
    assert_int_equal(compare_trees(whole, dir), 8);
}

/* A shard of another config (alpha 0.4 instead of 0.5) is refused, exit 2, naming the
 * config.ini line that differs, and the folder is as it was. */
static void test_other_config(void **state)
{
    (void)state;
    const char *dir = at("other");
    run_shard(dir, "0/3", 0);
    char *before = tree_state(dir);
    result r = RUN("run", sweep, "-o", dir, "--shard", "1/3", "-s", "agent.alpha=0.4");
    expect_status(&r, 2);
    assert_contains(r.err, "config.ini:");
    assert_contains(r.err, "cannot join the experiment in");
    assert_contains(r.err, "comes from another config");
    result_free(&r);
    /* -s experiment.seeds=6 too: a different plan, another line. */
    r = RUN("run", sweep, "-o", dir, "--shard", "1/3", "-s", "experiment.seeds=6");
    expect_status(&r, 2);
    assert_contains(r.err, "comes from another config");
    result_free(&r);
    /* A folder of other files is no experiment to join. */
    const char *stray = at("stray");
    assert_int_equal(mkdir(stray, 0777), 0);
    char path[PATH_SIZE];
    PATHF(path, "%s/notes.txt", stray);
    write_file(path, "mine\n");
    char *stray_before = tree_state(stray);
    r = RUN("run", sweep, "-o", stray, "--shard", "0/2");
    expect_status(&r, 2);
    assert_contains(r.err, "not empty and holds no experiment");
    result_free(&r);
    char *after = tree_state(dir), *stray_after = tree_state(stray);
    assert_string_equal(before, after);
    assert_string_equal(stray_before, stray_after);
    free(before);
    free(after);
    free(stray_before);
    free(stray_after);
}

/* --resume per shard: a shard with complete runs is refused without it (nothing changes),
 * and with it runs only its missing runs (the others' files keep their inodes). */
static void test_shard_resume(void **state)
{
    (void)state;
    const char *dir = at("resume");
    for (size_t k = 0; k < 3; k++) {
        char shard[8];
        snprintf(shard, sizeof shard, "%zu/3", k);
        run_shard(dir, shard, 0);
    }
    char path[PATH_SIZE];
    PATHF(path, "%s/runs/000004.rows", dir);
    assert_int_equal(unlink(path), 0);
    char *before = tree_state(dir);
    result r = RUN("run", sweep, "-o", dir, "--shard", "1/3");
    expect_status(&r, 2);
    /* Shard 1/3 holds 1, 4, ..., 22: all but 4 are complete. */
    assert_contains(r.err, "runs 1, 7, 10, 13, 16, 19, 22 (7 of its 8) are already complete");
    assert_contains(r.err, "--resume");
    result_free(&r);
    char *after = tree_state(dir);
    assert_string_equal(before, after);
    free(before);
    free(after);

    struct stat st;
    PATHF(path, "%s/runs/000007.rows", dir);
    assert_int_equal(stat(path, &st), 0);
    ino_t kept = st.st_ino;
    r = RUN("run", sweep, "-o", dir, "--shard", "1/3", "--resume");
    expect_status(&r, 0);
    assert_contains(r.out, "shard 1/3: 8 runs (7 already complete)");
    assert_contains(r.out, "all 25 runs of the experiment are complete");
    result_free(&r);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_ino == kept);
    merge(dir, 0);
    assert_int_equal(compare_trees(reference, dir), 8);

    /* --resume of the whole folder after two of three shards: the third's runs, then the
     * merge. */
    const char *whole = at("whole");
    run_shard(whole, "0/3", 0);
    run_shard(whole, "2/3", 0);
    r = RUN("run", sweep, "-o", whole, "--resume");
    expect_status(&r, 0);
    assert_contains(r.out, "25 runs (17 already complete)");
    result_free(&r);
    assert_int_equal(compare_trees(reference, whole), 8);
}

/* ---- the shared folder, at library level ---------------------------------------------- */

static rl_plan *plan_of(const char *text, rl_config **config)
{
    rl_error err;
    if (rl_config_load_string(text, "test.ini", tmpdir, config, &err) != RL_OK)
        fail_msg("config: %s", err.message);
    rl_plan *p;
    if (rl_plan_build(*config, &p, &err) != RL_OK)
        fail_msg("plan: %s", err.message);
    return p;
}

/* The first shard creates, the next joins; a link planted as config.ini is not followed;
 * eight processes joining a new folder at once: exactly one creates it, all join. */
static void test_join(void **state)
{
    (void)state;
    rl_config *config;
    rl_plan *p = plan_of(SWEEP_INI, &config);
    rl_error err;
    bool created;
    const char *dir = at("join/deep");
    assert_int_equal(rl_shard_join(p, dir, &created, &err), RL_OK);
    assert_true(created);
    assert_int_equal(rl_shard_join(p, dir, &created, &err), RL_OK);
    assert_false(created);
    char a[PATH_SIZE], b[PATH_SIZE];
    PATHF(a, "%s/config.ini", dir);
    PATHF(b, "%s/config.ini", reference);
    char *x = slurp(a), *y = slurp(b);
    assert_non_null(x);
    assert_non_null(y);
    assert_string_equal(x, y); /* what a whole run writes */
    free(x);
    free(y);

    /* config.ini -> a copy of the right config elsewhere: a link is not followed. */
    const char *linked = at("linked");
    assert_int_equal(mkdir(linked, 0777), 0);
    char link_path[PATH_SIZE];
    PATHF(link_path, "%s/config.ini", linked);
    assert_int_equal(symlink(b, link_path), 0);
    assert_int_equal(rl_shard_join(p, linked, &created, &err), RL_EIO);
    assert_contains(err.message, "symbolic link");

    /* The race: every child joins the same new folder at the same moment. */
    const char *raced = at("raced");
    enum { CHILDREN = 8 };
    int go[2];
    assert_int_equal(pipe(go), 0);
    pid_t pids[CHILDREN];
    for (int i = 0; i < CHILDREN; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            close(go[1]);
            char byte;
            ssize_t got = read(go[0], &byte, 1); /* all wait for the start */
            (void)got;
            bool mine = false;
            int rc = rl_shard_join(p, raced, &mine, NULL);
            _exit(rc != RL_OK ? 3 : mine ? 1 : 0);
        }
    }
    close(go[0]);
    close(go[1]); /* end of file: go */
    int creators = 0;
    for (int i = 0; i < CHILDREN; i++) {
        int status;
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status));
        assert_true(WEXITSTATUS(status) <= 1); /* 3: a join failed */
        creators += WEXITSTATUS(status);
    }
    assert_int_equal(creators, 1);
    file_list files = list_files(raced);
    assert_int_equal(files.n, 2); /* config.ini, configs.csv: no temporary left */
    assert_string_equal(files.paths[0], "config.ini");
    assert_string_equal(files.paths[1], "configs.csv");
    list_free(&files);
    rl_plan_free(p);
    rl_config_free(config);
}

/* ---- merge's own checks ------------------------------------------------------------------- */

/* A folder without an experiment, and a config.ini edited since the runs, are refused with
 * exit 2; a sweep whose values fill more than one config line merges like any other. */
static void test_merge_checks(void **state)
{
    (void)state;
    result r = RUN("merge", at("nowhere"));
    expect_status(&r, 2);
    assert_contains(r.err, "holds no experiment");
    result_free(&r);
    r = RUN("merge");
    expect_status(&r, 2);
    result_free(&r);

    /* config.ini no longer what its plan writes (as when a map file changed since the runs:
     * the hash in line 3 is not the map's): refused, naming that line. */
    const char *dir = at("edited");
    run_shard(dir, "0/1", 0);
    char path[PATH_SIZE];
    PATHF(path, "%s/config.ini", dir);
    char *text = slurp(path);
    assert_non_null(text);
    char *hash = strstr(text, "fnv1a64 ");
    assert_non_null(hash);
    hash[8] = hash[8] == '0' ? '1' : '0';
    write_file(path, text);
    free(text);
    char *before = tree_state(dir);
    r = RUN("merge", dir);
    expect_status(&r, 2);
    assert_contains(r.err, "config.ini:3:");
    assert_contains(r.err, "does not give its own plan back");
    result_free(&r);
    /* A value that is no longer valid: the config error, located in config.ini. */
    text = slurp(path);
    char *alpha = strstr(text, "\nalpha = 0.5\n");
    assert_non_null(alpha);
    memcpy(alpha + 9, "x.5", 3);
    write_file(path, text);
    free(text);
    r = RUN("merge", dir);
    expect_status(&r, 2);
    assert_contains(r.err, "config.ini:");
    assert_contains(r.err, "alpha");
    result_free(&r);
    char *after = tree_state(dir);
    /* Only config.ini changed, by this test's own writes. */
    assert_true(strlen(before) == strlen(after));
    free(before);
    free(after);

    /* 60 values of alpha: more than one 199-character line of config.ini. */
    char values[1024] = "agent.alpha=";
    for (int i = 1; i <= 60; i++)
        snprintf(values + strlen(values), sizeof values - strlen(values), "%s0.%03d",
                 i > 1 ? "," : "", 5 * i);
    const char *one = at("long_j1"), *sharded = at("long_shards");
    r = RUN("run", sweep, "-o", one, "-s", values, "-s", "agent.algorithm=q_learning", "-s",
            "experiment.seeds=1", "-s", "experiment.episodes=3", "-j", "1", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    for (int k = 0; k < 2; k++) {
        r = RUN("run", sweep, "-o", sharded, "-s", values, "-s", "agent.algorithm=q_learning",
                "-s", "experiment.seeds=1", "-s", "experiment.episodes=3", "--shard",
                k ? "1/2" : "0/2", "--quiet");
        expect_status(&r, 0);
        result_free(&r);
    }
    PATHF(path, "%s/config.ini", sharded);
    text = slurp(path);
    assert_non_null(text);
    for (char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        if (len > RL_CONFIG_LINE_MAX)
            fail_msg("config.ini has a line of %zu characters: %.60s...", len, line);
        line += len + (line[len] == '\n');
    }
    assert_contains(text, "\n    0.");
    free(text);
    merge(sharded, 0);
    assert_int_equal(compare_trees(one, sharded), 8);
}

int main(void)
{
    rl_gsl_init();
    if (!tmp_dir_make(tmpdir, sizeof tmpdir, "gridrl_test_shard_")) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_shards_merge),
        cmocka_unit_test(test_merge_missing),
        cmocka_unit_test(test_partial_plan),
        cmocka_unit_test(test_other_config),
        cmocka_unit_test(test_shard_resume),
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_merge_checks),
    };
    int failed = cmocka_run_group_tests(tests, setup, NULL);
    remove_tree(tmpdir);
    return failed;
}

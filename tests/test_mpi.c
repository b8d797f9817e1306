/* Tests of `mpirun -n N gridrl run` (experiments/cli/run_ranks.c): rank r runs shard r/N, rank
 * 0 merges; the files are the same bytes as `gridrl run -j 1` (the reference: one process
 * doing every run) for rank counts that do not divide the run count; a failure on any rank
 * and a config error are reported once; --resume completes a folder that shards started.
 * Built only with MPI (GRIDRL_MPI); runs OpenMPI's mpirun (GRIDRL_MPIEXEC) with
 * --oversubscribe (more ranks than cores) and --allow-run-as-root (CI runs as root).
 *
 * The sweep has 5 configurations x 5 seeds = 25 runs: 13 + 12 on 2 ranks, 9 + 8 + 8 on 3.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/process.h"
#include "tests/support.h"
#include "tests/tree.h"

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

static const char *at(const char *name)
{
    static char bufs[8][PATH_SIZE];
    static size_t next;
    char *buf = bufs[next++ % 8];
    if (snprintf(buf, PATH_SIZE, "%s/%s", tmpdir, name) >= PATH_SIZE)
        fail_msg("path too long: %s", name);
    return buf;
}

/* How many times needle occurs in text. */
static size_t occurrences(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* mpirun -n ranks gridrl ARGS... */
#define MPIRUN(ranks, ...)                                                                 \
    finish_mpirun(start_program(NULL, GRIDRL_MPIEXEC, "mpirun",                            \
                                (const char *const[]){"-n", ranks, "--oversubscribe",     \
                                                      "--allow-run-as-root", GRIDRL_BINARY, \
                                                      __VA_ARGS__, NULL}))

static result finish_mpirun(process p)
{
    return finish(&p);
}

static const char SWEEP_INI[] = "[experiment]\n"
                                "name = ranks\n"
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

static int setup(void **state)
{
    (void)state;
    PATHF(sweep, "%s", at("sweep.ini"));
    write_file(sweep, SWEEP_INI);
    PATHF(reference, "%s", at("j1"));
    /* mpirun -n 1 is gridrl run alone (ranks.h), here -j 1. Started through mpirun like the
     * ranks, so that under tests/memcheck.sh (which leaves mpirun and its processes alone)
     * both sides run natively: valgrind's x87 arithmetic keeps 64 bits where the machine
     * keeps 80, which can change a last printed digit. */
    result r = MPIRUN("1", "run", sweep, "-o", reference, "-j", "1", "--quiet");
    int status = r.status;
    result_free(&r);
    return status;
}

/* 2 and 3 ranks (25 runs: a multiple of neither), 1 thread each, then 2 ranks of 2 threads:
 * the reference's bytes, and the summary, from rank 0 only. */
static void test_same_bytes(void **state)
{
    (void)state;
    static const struct {
        const char *ranks, *threads, *dir;
    } CASES[] = {{"2", "1", "n2"}, {"3", "1", "n3"}, {"2", "2", "n2j2"}};
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        const char *dir = at(CASES[i].dir);
        result r = MPIRUN(CASES[i].ranks, "run", sweep, "-o", dir, "-j", CASES[i].threads);
        expect_status(&r, 0);
        char line[64];
        snprintf(line, sizeof line, "ranks: 25 runs (0 already complete) on %s ranks",
                 CASES[i].ranks);
        /* Printed once (rank 0), after the learners' scores: a line for each of the 5
         * configurations under a header and a title. */
        assert_int_equal(occurrences(r.out, line), 1);
        assert_int_equal(occurrences(r.out, "scores (a run's score"), 1);
        assert_int_equal(occurrences(r.out, " completed  "), 5);
        assert_string_equal(r.err, "");
        result_free(&r);
        /* config.ini, configs.csv, runs, episodes, values, policy, summary, scores. */
        assert_int_equal(compare_trees(reference, dir), 8);
    }
}

/* Run 4's file cannot be written (a folder is in its place): on 3 ranks it is rank 1's
 * (4 % 3), on 2 ranks rank 0's. Reported once, with rank and run, and the resume command;
 * exit status 1 (an I/O failure); no merged file written. */
static void test_failure_once(void **state)
{
    (void)state;
    static const struct {
        const char *ranks, *dir, *said;
    } CASES[] = {{"3", "fail3", "gridrl: rank 1: run 4: "},
                 {"2", "fail2", "gridrl: rank 0: run 4: "}};
    for (size_t i = 0; i < 2; i++) {
        const char *dir = at(CASES[i].dir);
        result r = RUN("run", sweep, "-o", dir, "--shard", "0/1", "--quiet");
        expect_status(&r, 0);
        result_free(&r);
        char path[PATH_SIZE];
        PATHF(path, "%s/runs/000004.rows", dir);
        assert_int_equal(unlink(path), 0);
        assert_int_equal(mkdir(path, 0777), 0);
        r = MPIRUN(CASES[i].ranks, "run", sweep, "-o", dir, "--resume");
        expect_status(&r, 1);
        assert_int_equal(occurrences(r.err, CASES[i].said), 1);
        assert_int_equal(occurrences(r.err, "gridrl:"), 2);
        assert_contains(r.err, "Is a directory");
        assert_contains(r.err, "24 of 25 runs are complete");
        assert_int_equal(occurrences(r.err, "--resume\n"), 1);
        assert_string_equal(r.out, "");
        result_free(&r);
        PATHF(path, "%s/runs.csv", dir);
        assert_false(exists(path));
    }
}

/* Errors of the input are the same on every rank: printed once, exit 2, nothing written. */
static void test_errors_once(void **state)
{
    (void)state;
    const char *dir = at("never");
    result r = MPIRUN("3", "run", sweep, "-o", dir, "-s", "agent.alpah=0.5");
    expect_status(&r, 2);
    assert_int_equal(occurrences(r.err, "unknown key 'alpah'"), 1);
    result_free(&r);
    r = MPIRUN("2", "run", sweep, "-o", dir, "--shard", "0/2");
    expect_status(&r, 2);
    assert_int_equal(occurrences(r.err, "every rank is a shard already"), 1);
    result_free(&r);
    r = MPIRUN("2", "run", sweep, "-o", dir, "--jobs", "zero");
    expect_status(&r, 2);
    assert_int_equal(occurrences(r.err, "usage: gridrl run"), 1);
    result_free(&r);
    r = MPIRUN("2", "run", "--help");
    expect_status(&r, 0);
    assert_int_equal(occurrences(r.out, "usage: gridrl run"), 1);
    result_free(&r);
    assert_false(exists(dir));
    /* A folder of another experiment: rank 0 refuses it once. */
    r = MPIRUN("2", "run", sweep, "-o", reference);
    expect_status(&r, 2);
    assert_int_equal(occurrences(r.err, "is not empty"), 1);
    result_free(&r);
}

/* --resume under mpirun: a folder where shard 0/3 ran (9 runs) is completed by 2 ranks and
 * merged; once finished, --resume has nothing to do. */
static void test_resume(void **state)
{
    (void)state;
    const char *dir = at("resumed");
    result r = RUN("run", sweep, "-o", dir, "--shard", "0/3", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    r = MPIRUN("2", "run", sweep, "-o", dir, "--resume");
    expect_status(&r, 0);
    assert_contains(r.out, "25 runs (9 already complete) on 2 ranks");
    result_free(&r);
    assert_int_equal(compare_trees(reference, dir), 8);
    char *before = tree_state(dir);
    r = MPIRUN("2", "run", sweep, "-o", dir, "--resume");
    expect_status(&r, 0);
    assert_contains(r.out, "is finished");
    result_free(&r);
    char *after = tree_state(dir);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

int main(void)
{
    rl_gsl_init();
    if (!tmp_dir_make(tmpdir, sizeof tmpdir, "gridrl_test_mpi_")) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes),
        cmocka_unit_test(test_failure_once),
        cmocka_unit_test(test_errors_once),
        cmocka_unit_test(test_resume),
    };
    int failed = cmocka_run_group_tests(tests, setup, NULL);
    remove_tree(tmpdir);
    return failed;
}

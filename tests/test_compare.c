/* Tests of `gridrl compare` (experiments/compare/compare.h) on hand-written results: the
 * ranking, runs, mean, IQM and P(best > other) against hand computations, the intervals
 * where the bootstrap's outcome is known exactly, the CSV file and the terminal table, and
 * result files that are wrong in the ways a reader must catch.
 *
 * Experiment A (written below): configurations 0 sarsa 0.1: scores 1 2 3 4; 1 sarsa 0.5:
 * 10 2 0 5 2; 2 q_learning 0.1: 1 1 1 and a run without a score; 3 q_learning 0.5: no run
 * (a partial experiment). By hand:
 *   config 1: mean 19/5 = 3.8; sorted 0 2 2 5 10, IQM drops floor(5/4) = 1 each end:
 *             (2 + 2 + 5) / 3 = 3
 *   config 0: mean 2.5; IQM drops 1 each end of 1 2 3 4: (2 + 3) / 2 = 2.5
 *   config 2: mean and IQM 1; every resample is 1 1 1: interval [1, 1]
 * so the order is 1, 0, 2, and P(1 > 0) = 11/20 = 0.55, P(1 > 2) = 12/15 = 0.8 (pairs
 * counted in test_stats.c). Experiment B: one configuration, random, scores 100 100: above
 * every score of A, so with both it is the best, every P(B > other) is 1 and each resample
 * gives 1: [1, 1]; its IQM interval is [100, 100].
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/process.h"
#include "tests/support.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "experiments/compare/compare.h"

static char tmpdir[PATH_SIZE], dir_a[PATH_SIZE], dir_b[PATH_SIZE];

#define PATHF(buf, ...)                                                                    \
    do {                                                                                   \
        if (snprintf(buf, sizeof buf, __VA_ARGS__) >= (int)sizeof buf)                     \
            fail_msg("path too long: %s", #buf);                                           \
    } while (0)

static void write_in(const char *dir, const char *name, const char *text)
{
    char path[PATH_SIZE];
    PATHF(path, "%s/%s", dir, name);
    write_file(path, text);
}

static const char CONFIGS_A[] = "config,algorithm,alpha\n0,sarsa,0.1\n1,sarsa,0.5\n"
                                "2,q_learning,0.1\n3,q_learning,0.5\n";
static const char RUNS_HEADER[] =
    "run,config,replicate,rng_seed,status,episodes,steps,iterations,diverged_step,score\n";
static const char RUNS_A[] = "0,0,0,1,completed,5,9,0,,1\n1,0,1,1,completed,5,9,0,,2\n"
                             "2,0,2,1,completed,5,9,0,,3\n3,0,3,1,completed,5,9,0,,4\n"
                             "5,1,0,1,completed,5,9,0,,10\n6,1,1,1,completed,5,9,0,,2\n"
                             "7,1,2,1,completed,5,9,0,,0\n8,1,3,1,completed,5,9,0,,5\n"
                             "9,1,4,1,completed,5,9,0,,2\n10,2,0,1,completed,5,9,0,,1\n"
                             "11,2,1,1,completed,5,9,0,,1\n12,2,2,1,diverged,5,9,0,4,\n"
                             "13,2,3,1,completed,5,9,0,,1\n";

static void write_a(void)
{
    char runs[2048];
    PATHF(runs, "%s%s", RUNS_HEADER, RUNS_A);
    write_in(dir_a, "configs.csv", CONFIGS_A);
    write_in(dir_a, "runs.csv", runs);
    write_in(dir_a, "scores.csv", "config,runs,score,mean,iqm,iqm_ci95_low,iqm_ci95_high,"
                                  "algorithm,alpha\n0,4,mean return over all episodes,,,,,"
                                  "sarsa,0.1\n");
}

static int group_setup(void **state)
{
    (void)state;
    if (!tmp_dir_make(tmpdir, sizeof tmpdir, "gridrl_test_compare_"))
        return -1;
    if (snprintf(dir_a, sizeof dir_a, "%s/a", tmpdir) >= (int)sizeof dir_a ||
        snprintf(dir_b, sizeof dir_b, "%s/b", tmpdir) >= (int)sizeof dir_b ||
        mkdir(dir_a, 0700) != 0 || mkdir(dir_b, 0700) != 0)
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    remove_tree(tmpdir);
    return 0;
}

static rl_compare_table *read_table(const char *const *dirs, size_t n)
{
    rl_compare_table *t = NULL;
    rl_error err;
    rl_error_clear(&err);
    if (rl_compare_read(dirs, n, &t, &err) != RL_OK)
        fail_msg("compare: %s:%d: %s", err.file, err.line, err.message);
    return t;
}

static void test_one_experiment(void **state)
{
    (void)state;
    write_a();
    const char *dirs[] = {dir_a};
    rl_compare_table *t = read_table(dirs, 1);
    assert_int_equal(t->n_rows, 3); /* configuration 3 has no run */
    assert_string_equal(t->experiments[0].score, "mean return over all episodes");
    const size_t order[] = {1, 0, 2}, runs[] = {5, 4, 4}, scored[] = {5, 4, 3};
    const double mean[] = {3.8, 2.5, 1}, iqm[] = {3, 2.5, 1};
    for (size_t i = 0; i < 3; i++) {
        const rl_compare_row *r = &t->rows[i];
        assert_int_equal(r->config, order[i]);
        assert_int_equal(r->runs, runs[i]);
        assert_int_equal(r->n, scored[i]);
        assert_close(r->mean, mean[i], 1e-15);
        assert_close(r->iqm, iqm[i], 1e-15);
        /* A percentile interval of resampled IQMs lies within the scores' range. */
        assert_true(r->iqm_low <= r->iqm && r->iqm <= r->iqm_high);
    }
    assert_string_equal(t->rows[0].algorithm, "sarsa");
    assert_string_equal(t->rows[0].values, "alpha=0.5");
    assert_true(t->rows[0].iqm_low >= 0 && t->rows[0].iqm_high <= 10);
    assert_string_equal(t->rows[0].status, "5 completed");
    assert_string_equal(t->rows[2].status, "3 completed, 1 diverged");
    assert_close(t->rows[2].iqm_low, 1, 0);
    assert_close(t->rows[2].iqm_high, 1, 0);
    /* The best has no probability of improvement over itself. */
    assert_true(isnan(t->rows[0].p) && isnan(t->rows[0].p_low) && isnan(t->rows[0].p_high));
    assert_close(t->rows[1].p, 0.55, 1e-15);
    assert_close(t->rows[2].p, 0.8, 1e-15);
    for (size_t i = 1; i < 3; i++)
        assert_true(0 <= t->rows[i].p_low && t->rows[i].p_low <= t->rows[i].p &&
                    t->rows[i].p <= t->rows[i].p_high && t->rows[i].p_high <= 1);
    /* The same scores, the same table: the bootstraps' seeds are fixed. */
    rl_compare_table *again = read_table(dirs, 1);
    for (size_t i = 0; i < 3; i++) {
        assert_memory_equal(&again->rows[i].iqm_low, &t->rows[i].iqm_low, sizeof(double));
        assert_memory_equal(&again->rows[i].p_high, &t->rows[i].p_high, sizeof(double));
    }
    rl_compare_free(again);
    rl_compare_free(t);
}

static void test_two_experiments_and_csv(void **state)
{
    (void)state;
    write_a();
    write_in(dir_b, "configs.csv", "config,algorithm\n0,random\n");
    char runs[1024];
    PATHF(runs, "%s0,0,0,1,completed,5,9,0,,100\n1,0,1,1,completed,5,9,0,,100\n", RUNS_HEADER);
    write_in(dir_b, "runs.csv", runs);
    char csv[PATH_SIZE];
    PATHF(csv, "%s/table.csv", tmpdir);
    result r = RUN("compare", dir_a, dir_b, "-o", csv);
    if (r.status != 0)
        fail_msg("gridrl compare: %d: %s", r.status, r.err);
    /* The terminal: best first, B's configuration named with its folder. */
    assert_contains(r.out, "4 configurations of 2 experiments");
    assert_contains(r.out, "as each experiment's scores.csv says (they differ)");
    const char *best = strstr(r.out, "random");
    assert_non_null(best);
    assert_true(best < strstr(r.out, "sarsa alpha=0.5"));
    assert_contains(r.out, "1.000 [1.000, 1.000]");
    assert_contains(r.out, "100 [100, 100]");
    result_free(&r);
    char *text = slurp(csv);
    assert_non_null(text);
    char expected[2048];
    PATHF(expected,
          "rank,experiment,config,algorithm,values,runs,scored,mean,iqm,iqm_ci95_low,"
          "iqm_ci95_high,p_improvement,p_ci95_low,p_ci95_high\n"
          "1,%s,0,random,,2,2,100,100,100,100,,,\n",
          dir_b);
    if (strncmp(text, expected, strlen(expected)) != 0)
        fail_msg("table.csv starts:\n%s\nexpected:\n%s", text, expected);
    /* Rank 2: A's configuration 1, P(B > it) = 1 with [1, 1]. */
    char row[512];
    PATHF(row, "\n2,%s,1,sarsa,alpha=0.5,5,5,3.8,3,", dir_a);
    assert_contains(text, row);
    assert_contains(text, ",1,1,1\n3,");
    PATHF(row, "\n4,%s,2,q_learning,alpha=0.1,4,3,1,1,1,1,1,1,1\n", dir_a);
    assert_contains(text, row);
    free(text);
}

/* Result files a reader must not trust. */
static void test_bad_results(void **state)
{
    (void)state;
    write_a();
    const char *dirs[] = {dir_a};
    rl_compare_table *t = NULL;
    rl_error err;
    char runs[2048];
    /* A run of a configuration configs.csv does not list (line 3 of runs.csv). */
    PATHF(runs, "%s0,0,0,1,completed,5,9,0,,1\n1,7,0,1,completed,5,9,0,,2\n", RUNS_HEADER);
    write_in(dir_a, "runs.csv", runs);
    assert_int_equal(rl_compare_read(dirs, 1, &t, &err), RL_EPARSE);
    assert_null(t);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.key, "config");
    assert_contains(err.message, "not a configuration of configs.csv");
    /* A score that is not a number. */
    PATHF(runs, "%s0,0,0,1,completed,5,9,0,,lots\n", RUNS_HEADER);
    write_in(dir_a, "runs.csv", runs);
    assert_int_equal(rl_compare_read(dirs, 1, &t, &err), RL_EPARSE);
    assert_string_equal(err.key, "score");
    /* No score column: planners only, or results older than compare. */
    write_in(dir_a, "runs.csv", "run,config,replicate,rng_seed,status,episodes,steps,"
                                "iterations,diverged_step\n0,0,0,1,converged,0,0,5,\n");
    assert_int_equal(rl_compare_read(dirs, 1, &t, &err), RL_EUNSUPPORTED);
    assert_contains(err.message, "no score column");
    /* configs.csv out of order. */
    write_in(dir_a, "configs.csv", "config,algorithm\n1,sarsa\n0,sarsa\n");
    assert_int_equal(rl_compare_read(dirs, 1, &t, &err), RL_EPARSE);
    assert_contains(err.message, "configuration 0 was expected");
    /* No such folder: exit 2 from the program. */
    char missing[PATH_SIZE];
    PATHF(missing, "%s/nothere", tmpdir);
    result r = RUN("compare", missing);
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "configs.csv");
    result_free(&r);
    r = RUN("compare");
    assert_int_equal(r.status, 2);
    result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_experiment),
        cmocka_unit_test(test_two_experiments_and_csv),
        cmocka_unit_test(test_bad_results),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

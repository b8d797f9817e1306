/* Tests of `gridrl run` as a sweep runner: runs the built program (GRIDRL_BINARY) with its
 * output captured into a temporary directory and checks the contracts of README.md ("Running
 * experiments", "Outputs"): plan numbering, files byte-identical for any thread count, --resume
 * re-running exactly the missing runs, SIGINT leaving only complete run files, and
 * config errors of the runner's keys writing nothing.
 */
#define _XOPEN_SOURCE 700 /* nanosleep, kill */

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/process.h"
#include "tests/tree.h"
#include "tests/support.h"

#include "rl/rng.h"

static char tmpdir[PATH_SIZE];

/* snprintf into an array that fails the test instead of truncating. */
#define PATHF(buf, ...)                                                                    \
    do {                                                                                   \
        if (snprintf(buf, sizeof buf, __VA_ARGS__) >= (int)sizeof buf)                     \
            fail_msg("path too long: %s", #buf);                                           \
    } while (0)

/* ---- running the program -------------------------------------------------------------- */

/* Fails with the program's output when the status is not the expected one. */
static void expect_status(const result *r, int status)
{
    if (r->status != status)
        fail_msg("exit status %d, expected %d\nstdout:\n%s\nstderr:\n%s", r->status, status,
                 r->out, r->err);
}

/* ---- files ------------------------------------------------------------------------------ */

static const char *in_tmp(char *buf, const char *name)
{
    if (snprintf(buf, PATH_SIZE, "%s/%s", tmpdir, name) >= PATH_SIZE)
        fail_msg("path too long: %s", name);
    return buf;
}

static size_t count_lines(const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

/* The n-th (0-based) line of text, copied into line without its newline. */
static bool nth_line(const char *text, size_t n, char *line, size_t size)
{
    const char *p = text;
    for (size_t i = 0; i < n && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p || !*p)
        return false;
    size_t len = strcspn(p, "\n");
    snprintf(line, size, "%.*s", (int)len, p);
    return true;
}

/* ---- the sweep ------------------------------------------------------------------ */

static const char SWEEP_INI[] = "[experiment]\n"
                                "name = sweep\n"
                                "episodes = 50\n"
                                "seeds = 20\n"
                                "max_steps = 100\n"
                                "\n"
                                "[env]\n"
                                "preset = frozenlake4x4\n"
                                "slip = 0, 0.1, 0.2\n"
                                "\n"
                                "[agent]\n"
                                "algorithm = random\n";

static const char *const MERGED[] = {"runs.csv",    "timing.csv",  "episodes.csv",
                                     "values.csv",  "policy.csv",  "summary.csv",
                                     "scores.csv",  "manifest.txt"};

/* The sections of a learner's run file (run_files.h), in this order. */
static const char *const RUN_FILES[] = {"runs.csv",   "timing.csv", "iterations.csv",
                                        "episodes.csv", "steps.csv", "values.csv",
                                        "policy.csv", "score.csv"};
#define N_RUN_FILES (sizeof RUN_FILES / sizeof *RUN_FILES)

static void check_run_dir(const char *file)
{
    char *text = slurp(file);
    if (!text)
        fail_msg("no run file %s", file);
    const char *p = text;
    for (size_t i = 0; i < N_RUN_FILES; i++) {
        char name[64];
        size_t size;
        int used = 0;
        if (sscanf(p, "== %63s %zu%n", name, &size, &used) != 2 ||
            strcmp(name, RUN_FILES[i]) != 0)
            fail_msg("run file %s: section %zu is not %s", file, i, RUN_FILES[i]);
        p += used + 1 + size;
    }
    if (*p)
        fail_msg("run file %s has more than its %zu sections", file, N_RUN_FILES);
    free(text);
}

static void check_sweep_plan(const char *dir)
{
    char path[PATH_SIZE], line[512];
    /* configs.csv: one row per slip value, in the file's order. */
    PATHF(path, "%s/configs.csv", dir);
    char *configs = slurp(path);
    assert_non_null(configs);
    assert_string_equal(configs, "config,algorithm,slip\n"
                                 "0,random,0\n"
                                 "1,random,0.1\n"
                                 "2,random,0.2\n");
    free(configs);

    /* runs.csv: 60 rows, run = config * 20 + replicate, seeds derived from (seed 1,
     * replicate); steps = the sum of the run's episode lengths. */
    PATHF(path, "%s/runs.csv", dir);
    char *runs = slurp(path);
    assert_non_null(runs);
    assert_int_equal(count_lines(runs), 61);
    assert_true(nth_line(runs, 0, line, sizeof line));
    assert_string_equal(line,
                        "run,config,replicate,rng_seed,status,episodes,steps,iterations,"
                        "diverged_step,score");
    PATHF(path, "%s/episodes.csv", dir);
    char *episodes = slurp(path);
    assert_non_null(episodes);
    assert_int_equal(count_lines(episodes), 1 + 60 * 50);
    /* Each row ends with its configuration: number, algorithm, slip. */
    assert_true(nth_line(episodes, 0, line, sizeof line));
    assert_string_equal(line, "run,episode,return,discounted_return,length,outcome,value_rmse,"
                              "config,algorithm,slip");
    static const char *const SLIP[] = {"0", "0.1", "0.2"};
    size_t lengths[60] = {0};
    for (size_t i = 1; i <= 60 * 50; i++) {
        assert_true(nth_line(episodes, i, line, sizeof line));
        size_t run, ep, length, config;
        double ret, disc;
        char outcome[32], label[64];
        int used = 0;
        if (sscanf(line, "%zu,%zu,%lf,%lf,%zu,%31[a-z],,%zu,%63s%n", &run, &ep, &ret, &disc,
                   &length, outcome, &config, label, &used) != 8 || line[used] != '\0')
            fail_msg("episodes.csv line %zu: '%s'", i, line);
        char expected[64];
        PATHF(expected, "random,%s", SLIP[(i - 1) / 50 / 20]);
        assert_int_equal(config, (i - 1) / 50 / 20);
        assert_string_equal(label, expected);
        /* Rows in run order, episodes 1..50 in each. */
        assert_int_equal(run, (i - 1) / 50);
        assert_int_equal(ep, (i - 1) % 50 + 1);
        assert_true(ret == 0.0 || ret == 1.0);
        assert_true(length >= 1 && length <= 100);
        if (strcmp(outcome, "truncated") == 0) {
            assert_int_equal(length, 100);
        } else {
            assert_string_equal(outcome, "terminated");
        }
        lengths[run] += length;
    }
    unsigned long seeds[60];
    for (size_t i = 0; i < 60; i++) {
        assert_true(nth_line(runs, i + 1, line, sizeof line));
        size_t run, config, replicate, eps, steps, iterations;
        unsigned long seed;
        char status[32];
        if (sscanf(line, "%zu,%zu,%zu,%lu,%31[a-z],%zu,%zu,%zu", &run, &config, &replicate,
                   &seed, status, &eps, &steps, &iterations) != 8)
            fail_msg("runs.csv line %zu: '%s'", i + 1, line);
        assert_int_equal(run, i);
        assert_int_equal(config, i / 20);
        assert_int_equal(replicate, i % 20);
        assert_int_equal(run, config * 20 + replicate);
        assert_string_equal(status, "completed");
        assert_int_equal(eps, 50);
        assert_int_equal(steps, lengths[i]);
        assert_int_equal(iterations, 0);
        /* The run's seed: from the experiment's seed (1) and the replicate alone, the same
         * for each configuration's run of a replicate (common random numbers), different
         * between replicates. */
        assert_int_equal(seed, rl_rng_run_seed(1, replicate));
        for (size_t j = 0; j < i; j++)
            if ((seeds[j] == seed) != (j % 20 == replicate))
                fail_msg("runs %zu and %zu: rng_seed %lu and %lu", j, i, seeds[j], seed);
        seeds[i] = seed;
    }
    free(runs);
    free(episodes);

    /* Learners write no iterations.csv, and no steps.csv without log_every_steps. */
    PATHF(path, "%s/iterations.csv", dir);
    assert_false(exists(path));
    PATHF(path, "%s/steps.csv", dir);
    assert_false(exists(path));
    for (size_t i = 0; i < sizeof MERGED / sizeof *MERGED; i++) {
        PATHF(path, "%s/%s", dir, MERGED[i]);
        if (!exists(path))
            fail_msg("%s is missing", path);
    }
    for (size_t run = 0; run < 60; run++) {
        PATHF(path, "%s/runs/%06zu.rows", dir, run);
        check_run_dir(path);
    }
}

static char sweep_ini[PATH_SIZE], sweep_j1[PATH_SIZE], sweep_j2[PATH_SIZE];

static void test_sweep_threads(void **state)
{
    (void)state;
    in_tmp(sweep_ini, "sweep.ini");
    write_file(sweep_ini, SWEEP_INI);
    in_tmp(sweep_j1, "sweep_j1");
    in_tmp(sweep_j2, "sweep_j2");
    result r = RUN("run", sweep_ini, "-o", sweep_j1, "-j", "1", "--keep-runs", "--quiet");
    expect_status(&r, 0);
    assert_string_equal(r.out, "");
    result_free(&r);
    r = RUN("run", sweep_ini, "-o", sweep_j2, "-j2", "--keep-runs", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    check_sweep_plan(sweep_j1);
    /* All but the timing file and the manifest: 60 run files, config.ini, configs.csv and 6
     * merged files. */
    assert_int_equal(compare_trees(sweep_j1, sweep_j2), 60 + 2 + 6);

    /* Without --keep-runs the rows are stored once: no runs/, the same experiment files. */
    char once[PATH_SIZE], path[PATH_SIZE];
    in_tmp(once, "sweep_once");
    r = RUN("run", sweep_ini, "-o", once, "-j2", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    PATHF(path, "%s/runs", once);
    assert_false(exists(path));
    for (size_t i = 0; i < sizeof MERGED / sizeof *MERGED; i++) {
        char a[PATH_SIZE], b[PATH_SIZE];
        PATHF(a, "%s/%s", once, MERGED[i]);
        PATHF(b, "%s/%s", sweep_j2, MERGED[i]);
        char *x = slurp(a), *y = slurp(b);
        assert_non_null(x);
        assert_non_null(y);
        if (!may_differ(MERGED[i]) && strcmp(x, y) != 0)
            fail_msg("%s differs with and without --keep-runs", MERGED[i]);
        free(x);
        free(y);
    }
    /* --resume on a finished experiment has nothing to do and says so. */
    r = RUN("run", sweep_ini, "-o", once, "--resume");
    expect_status(&r, 0);
    assert_contains(r.out, "60 runs (60 already complete)");
    assert_contains(r.out, "finished");
    result_free(&r);
    PATHF(path, "%s/runs", once);
    assert_false(exists(path));
}

/* Saves every file of a tree (path -> contents) to compare after a resume. */
typedef struct snapshot {
    file_list files;
    char **contents;
    ino_t *inodes; /* of each run's file, by run */
} snapshot;

static snapshot take_snapshot(const char *dir, size_t runs)
{
    snapshot s = {list_files(dir), NULL, NULL};
    s.contents = calloc(s.files.n, sizeof *s.contents);
    s.inodes = calloc(runs, sizeof *s.inodes);
    assert_true(s.contents && s.inodes);
    for (size_t i = 0; i < s.files.n; i++) {
        char path[PATH_SIZE];
        PATHF(path, "%s/%s", dir, s.files.paths[i]);
        s.contents[i] = slurp(path);
        assert_non_null(s.contents[i]);
    }
    for (size_t run = 0; run < runs; run++) {
        char path[PATH_SIZE];
        struct stat st;
        PATHF(path, "%s/runs/%06zu.rows", dir, run);
        assert_int_equal(stat(path, &st), 0);
        s.inodes[run] = st.st_ino;
    }
    return s;
}

static void snapshot_free(snapshot *s)
{
    for (size_t i = 0; i < s->files.n; i++)
        free(s->contents[i]);
    free(s->contents);
    free(s->inodes);
    list_free(&s->files);
}

static void test_sweep_resume(void **state)
{
    (void)state;
    if (!exists(sweep_j1))
        fail_msg("test_sweep_threads did not leave %s", sweep_j1);
    snapshot before = take_snapshot(sweep_j1, 60);
    char path[PATH_SIZE];
    PATHF(path, "%s/runs/000013.rows", sweep_j1);
    assert_int_equal(unlink(path), 0);
    for (size_t i = 0; i < sizeof MERGED / sizeof *MERGED; i++) {
        PATHF(path, "%s/%s", sweep_j1, MERGED[i]);
        assert_int_equal(unlink(path), 0);
    }

    /* A different config is refused, naming config.ini, and changes nothing. */
    result r = RUN("run", sweep_ini, "-o", sweep_j1, "-s", "env.slip=0.3", "--resume");
    expect_status(&r, 2);
    assert_contains(r.err, "config.ini");
    assert_contains(r.err, "resume");
    /* It names the line that differs, and quotes both versions of it. */
    assert_contains(r.err, "'slip = 0, 0.1, 0.2'");
    assert_contains(r.err, "'slip = 0.3'");
    result_free(&r);
    PATHF(path, "%s/runs/000013.rows", sweep_j1);
    assert_false(exists(path));
    PATHF(path, "%s/runs.csv", sweep_j1);
    assert_false(exists(path));

    r = RUN("run", sweep_ini, "-o", sweep_j1, "-j", "2", "--resume", "--keep-runs");
    expect_status(&r, 0);
    assert_contains(r.out, "60 runs (59 already complete)");
    result_free(&r);

    /* Exactly run 13 ran again: every other run's file is the same file (inode) with the same
     * timing section (a rerun would measure a different time); run 13's is new. */
    snapshot after = take_snapshot(sweep_j1, 60);
    assert_int_equal(after.files.n, before.files.n);
    for (size_t i = 0; i < before.files.n; i++) {
        const char *rel = before.files.paths[i];
        assert_string_equal(rel, after.files.paths[i]);
        /* Run 13 ran again: its file differs in its timing at most. Every other run's file,
         * timing included, is the same: it was not run again. */
        if (strcmp(rel, "runs/000013.rows") == 0) {
            drop_timing(before.contents[i]);
            drop_timing(after.contents[i]);
        } else if (may_differ(rel)) {
            continue;
        }
        if (strcmp(before.contents[i], after.contents[i]) != 0)
            fail_msg("%s changed across the resume", rel);
    }
    for (size_t run = 0; run < 60; run++)
        if (run != 13 && before.inodes[run] != after.inodes[run])
            fail_msg("run %zu was rewritten by --resume", run);
    snapshot_free(&before);
    snapshot_free(&after);

    /* The resumed tree still matches the -j 2 tree of the first test. */
    compare_trees(sweep_j1, sweep_j2);

    /* Nothing left to do: a second resume runs nothing and leaves the files alone. */
    r = RUN("run", sweep_ini, "-o", sweep_j1, "--resume");
    expect_status(&r, 0);
    assert_contains(r.out, "60 runs (60 already complete)");
    result_free(&r);
    compare_trees(sweep_j1, sweep_j2);
}

/* ---- interruption ------------------------------------------------------------------------ */

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void pause_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* The number of run files in dir/runs, failing on anything else found there (a
 * leftover temporary directory). */
static size_t complete_runs(const char *dir, bool check)
{
    char path[PATH_SIZE];
    PATHF(path, "%s/runs", dir);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t len = strlen(e->d_name);
        bool numbered = len == 11 && strspn(e->d_name, "0123456789") == 6 &&
                        strcmp(e->d_name + 6, ".rows") == 0;
        if (!numbered) {
            if (check)
                fail_msg("%s/%s is not a run's file (left over?)", path, e->d_name);
            continue;
        }
        if (check) {
            char run[PATH_SIZE];
            PATHF(run, "%s/%s", path, e->d_name);
            check_run_dir(run);
        }
        n++;
    }
    closedir(d);
    return n;
}

/* Seconds per run of `episodes` random-agent episodes on FrozenLake 8x8, from timing.csv. */
static double seconds_per_run(const char *ini, size_t episodes)
{
    char text[512], out[PATH_SIZE], path[PATH_SIZE], count[32];
    PATHF(text,
             "[experiment]\nname = calibrate\nseeds = 1\n[env]\npreset = frozenlake8x8\n"
             "[agent]\nalgorithm = random\n");
    write_file(ini, text);
    in_tmp(out, "calibrate");
    PATHF(count, "experiment.episodes=%zu", episodes);
    result r = RUN("run", ini, "-o", out, "-s", count, "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    PATHF(path, "%s/timing.csv", out);
    char *timing = slurp(path);
    assert_non_null(timing);
    double seconds = 0;
    assert_int_equal(sscanf(timing, "run,seconds,steps_per_second\n0,%lf,", &seconds), 1);
    free(timing);
    remove_tree(out);
    return seconds;
}

static void test_interrupt(void **state)
{
    (void)state;
    char ini[PATH_SIZE], out[PATH_SIZE], text[512], path[PATH_SIZE];
    in_tmp(ini, "long.ini");
    in_tmp(out, "long");
    /* Size the runs to about 0.15 s each on this machine (at most 100000 episodes, whose
     * rows the resume merges): once the first run is on disk, at least 6 runs of that
     * length remain for 2 threads, so the signal lands in the middle of the sweep. */
    double calibration = seconds_per_run(ini, 20000);
    double scaled = 20000.0 * 0.15 / (calibration > 1e-3 ? calibration : 1e-3);
    size_t episodes = scaled < 10000 ? 10000 : scaled > 1e5 ? 100000 : (size_t)scaled;
    PATHF(text,
             "[experiment]\nname = long\nepisodes = %zu\nseeds = 8\n[env]\n"
             "preset = frozenlake8x8\n[agent]\nalgorithm = random\n",
             episodes);
    write_file(ini, text);

    /* Interrupt once the first run is on disk (at most 15 s in), with the others pending
     * or in flight. */
    print_message("interrupt: calibration %.3f s per 20000 episodes\n", calibration);
    double t0 = now_seconds();
    process p = start(NULL, (const char *const[]){"run", ini, "-o", out, "-j", "2", "--quiet",
                                                  NULL});
    size_t seen = 0;
    while ((seen = complete_runs(out, false)) == 0 && now_seconds() - t0 < 15)
        pause_ms(10);
    double signalled = now_seconds();
    assert_int_equal(kill(p.pid, SIGINT), 0);
    result r = finish(&p);
    double stopped = now_seconds() - signalled;
    expect_status(&r, 130);
    assert_contains(r.err, "--resume");
    assert_contains(r.err, "interrupted");
    result_free(&r);
    /* The program stops promptly (runs in flight are abandoned at their next episode;
     * the pending ones, at least 6 runs, never start). */
    if (stopped > 2.0)
        fail_msg("the program took %.2f s to stop after SIGINT", stopped);

    /* Only complete run files, no leftovers, no merged files. */
    size_t done = complete_runs(out, true);
    /* Abandoned, not finished: when the signal came, `seen` runs were on disk, the thread
     * that wrote the last of them had just started another run, and the other thread was
     * at most finishing one (a run being written completes). Finishing the runs in flight
     * instead would leave seen + 2. */
    if (done > seen + 1)
        fail_msg("%zu runs on disk at SIGINT, %zu after: runs in flight were finished", seen,
                 done);
    print_message("interrupt: %zu episodes per run, %zu of 8 runs complete, stopped in %.2f s\n",
                  episodes, done, stopped);
    if (done == 0 || done >= 8)
        fail_msg("%zu of 8 runs complete after the interruption", done);
    PATHF(path, "%s/episodes.csv", out);
    assert_false(exists(path));
    PATHF(path, "%s/runs.csv", out);
    assert_false(exists(path));
    PATHF(path, "%s/config.ini", out);
    assert_true(exists(path));

    r = RUN("run", ini, "-o", out, "-j", "2", "--resume", "--keep-runs");
    expect_status(&r, 0);
    char expected[64];
    PATHF(expected, "8 runs (%zu already complete)", done);
    assert_contains(r.out, expected);
    result_free(&r);
    assert_int_equal(complete_runs(out, true), 8);
    PATHF(path, "%s/runs.csv", out);
    char *runs = slurp(path);
    assert_non_null(runs);
    assert_int_equal(count_lines(runs), 9);
    free(runs);
    remove_tree(out);
}

/* ---- config errors write nothing ---------------------------------------------------------- */

/* Runs gridrl run on a config with the given [experiment] lines plus extra arguments, into a
 * fresh output directory; expects exit 2, every needle in stderr, and no directory. */
static void expect_config_error(const char *experiment, const char *arg1, const char *arg2,
                                const char *needle1, const char *needle2)
{
    static int counter;
    char ini[PATH_SIZE], out[PATH_SIZE], text[512], name[32];
    PATHF(name, "bad%d.ini", counter);
    in_tmp(ini, name);
    PATHF(name, "bad%d_out", counter++);
    in_tmp(out, name);
    PATHF(text,
             "[experiment]\nname = bad\n%s\n[env]\npreset = frozenlake4x4\n"
             "[agent]\nalgorithm = random\n",
             experiment);
    write_file(ini, text);
    result r = RUN("run", ini, "-o", out, arg1 ? arg1 : "--quiet", arg2 ? arg2 : "--quiet");
    expect_status(&r, 2);
    assert_contains(r.err, needle1);
    if (needle2)
        assert_contains(r.err, needle2);
    assert_string_equal(r.out, "");
    if (exists(out))
        fail_msg("%s was created for a config error (%s)", out, r.err);
    result_free(&r);
}

static void test_config_errors(void **state)
{
    (void)state;
    /* Located at the file's line 3, the [experiment] key. */
    expect_config_error("start = 9 9", NULL, NULL, "experiment.start", ":3");
    expect_config_error("start = foo", NULL, NULL, "experiment.start", "foo");
    expect_config_error("episodes = 0", NULL, NULL, "experiment.episodes", ":3");
    expect_config_error("steps = 0", NULL, NULL, "experiment.steps", ":3");
    expect_config_error("episodes = 5\nseeds = 0", NULL, NULL, "experiment.seeds", ":4");
    expect_config_error("episodes = 5\nmax_steps = -1", NULL, NULL, "experiment.max_steps",
                        ":4");
    expect_config_error("episodes = 5, 6", NULL, NULL, "experiment.episodes", "sweep");
    /* The random agent never converges: it needs a budget. */
    expect_config_error("seeds = 2", NULL, NULL, "episodes", "steps");
    /* Options. */
    expect_config_error("episodes = 5", "-j", "0", "-j", NULL);
    expect_config_error("episodes = 5", "-j", "x", "-j", NULL);
    expect_config_error("episodes = 5", "--resume", "--force", "--resume", "--force");
    expect_config_error("episodes = 5", "-s", "experiment.start=9 9", "experiment.start",
                        "command line");
}

/* An output directory that cannot be created is an error naming it; nothing is written. */
static void test_output_dir(void **state)
{
    (void)state;
    char ini[PATH_SIZE], file[PATH_SIZE], out[PATH_SIZE], deep[PATH_SIZE];
    in_tmp(ini, "small.ini");
    write_file(ini, "[experiment]\nname = small\nepisodes = 3\n[env]\npreset = frozenlake4x4\n"
                    "[agent]\nalgorithm = random\n");
    result r = RUN("run", ini, "-o", "/proc/gridrl_x", "--quiet");
    if (r.status == 0)
        fail_msg("-o /proc/gridrl_x succeeded");
    assert_contains(r.err, "/proc/gridrl_x");
    assert_false(exists("/proc/gridrl_x"));
    result_free(&r);

    /* A parent that is a regular file. */
    in_tmp(file, "plain_file");
    write_file(file, "not a directory\n");
    PATHF(out, "%s/out", file);
    r = RUN("run", ini, "-o", out, "--quiet");
    if (r.status == 0)
        fail_msg("-o %s succeeded", out);
    assert_contains(r.err, file);
    result_free(&r);
    char *kept = slurp(file);
    assert_non_null(kept);
    assert_string_equal(kept, "not a directory\n");
    free(kept);

    /* Missing parents are created (output.h: "Creates dir (and its parents)"). */
    in_tmp(deep, "new/deeper/out");
    r = RUN("run", ini, "-o", deep, "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    char path[PATH_SIZE];
    PATHF(path, "%s/episodes.csv", deep);
    char *episodes = slurp(path);
    assert_non_null(episodes);
    assert_int_equal(count_lines(episodes), 1 + 3);
    free(episodes);
}

/* ---- part of a plan: --only ---------------------------------------------------------------- */

/* The data lines of DIR/NAME whose first field is one of keep (a NULL-terminated list), in
 * order. */
static char *lines_with_first(const char *dir, const char *name, const char *const *keep)
{
    char path[PATH_SIZE];
    PATHF(path, "%s/%s", dir, name);
    char *text = slurp(path);
    if (!text)
        fail_msg("no %s", path);
    char *out = calloc(strlen(text) + 1, 1);
    assert_non_null(out);
    const char *line = strchr(text, '\n') + 1; /* after the header */
    while (*line) {
        size_t len = strcspn(line, "\n"), first = strcspn(line, ",\n");
        for (const char *const *k = keep; *k; k++)
            if (strlen(*k) == first && strncmp(line, *k, first) == 0)
                strncat(out, line, len + 1);
        line += len + (line[len] == '\n');
    }
    free(text);
    return out;
}

/* Everything after the header of DIR/NAME. */
static char *data_lines(const char *dir, const char *name)
{
    char path[PATH_SIZE];
    PATHF(path, "%s/%s", dir, name);
    char *text = slurp(path);
    if (!text)
        fail_msg("no %s", path);
    char *rows = strdup(strchr(text, '\n') + 1);
    free(text);
    return rows;
}

static void test_only(void **state)
{
    (void)state;
    char ini[PATH_SIZE], full[PATH_SIZE], part[PATH_SIZE], again[PATH_SIZE], part_ini[PATH_SIZE];
    in_tmp(ini, "only.ini");
    in_tmp(full, "only_full");
    in_tmp(part, "only_part");
    in_tmp(again, "only_again");
    write_file(ini, "[experiment]\nepisodes = 5\nseeds = 3\n[env]\npreset = cliff_walking\n"
                    "[agent]\nalgorithm = sarsa, q_learning\nalpha = 0.1, 0.5\n");
    result r = RUN("run", ini, "-o", full, "-q");
    expect_status(&r, 0);
    result_free(&r);
    /* q_learning with alpha 0.5 is configuration 3 (1 x 2 + 1), runs 9, 10, 11. */
    r = RUN("run", ini, "-o", part, "--only", "algorithm=q_learning", "--only", "alpha=0.5");
    expect_status(&r, 0);
    assert_contains(r.out, "3 runs");
    result_free(&r);
    const char *const runs[] = {"9", "10", "11", NULL}, *const configs[] = {"3", NULL};
    static const char *const BY_RUN[] = {"runs.csv", "episodes.csv", "values.csv",
                                         "policy.csv"};
    static const char *const BY_CONFIG[] = {"summary.csv", "scores.csv"};
    for (size_t i = 0; i < 6; i++) {
        const char *name = i < 4 ? BY_RUN[i] : BY_CONFIG[i - 4];
        char *expected = lines_with_first(full, name, i < 4 ? runs : configs);
        char *got = data_lines(part, name);
        assert_true(expected[0] != '\0');
        if (strcmp(expected, got) != 0)
            fail_msg("%s of the partial run is not the full run's rows:\n%s---\n%s", name,
                     got, expected);
        free(expected);
        free(got);
    }
    /* configs.csv lists the whole plan; config.ini says which part ran, and runs it again. */
    char *a = data_lines(full, "configs.csv"), *b = data_lines(part, "configs.csv");
    assert_string_equal(a, b);
    free(a);
    free(b);
    PATHF(part_ini, "%s/config.ini", part);
    char *text = slurp(part_ini);
    assert_contains(text, "\nonly = algorithm=q_learning alpha=0.5\n");
    free(text);
    r = RUN("run", part_ini, "-o", again, "-q");
    expect_status(&r, 0);
    result_free(&r);
    a = data_lines(part, "episodes.csv");
    b = data_lines(again, "episodes.csv");
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* Resuming with another part is resuming another experiment. */
    r = RUN("run", ini, "-o", part, "--only", "2", "--resume");
    expect_status(&r, 2);
    assert_contains(r.err, "only = ");
    result_free(&r);
    /* A selection that matches nothing is a config error. */
    r = RUN("run", ini, "-o", again, "--force", "--only", "alpha=0.3");
    expect_status(&r, 2);
    assert_contains(r.err, "command line: experiment.only: 'alpha=0.3' selects no configuration");
    result_free(&r);
}

/* ---- the summary after a run ------------------------------------------------------------ */

/* The field of DIR/scores.csv's row for configuration k in column (0-based). */
static double scores_field(const char *dir, size_t k, size_t column)
{
    char path[PATH_SIZE], line[512], prefix[32];
    PATHF(path, "%s/scores.csv", dir);
    char *text = slurp(path);
    assert_non_null(text);
    PATHF(prefix, "%zu,", k);
    double x = NAN;
    for (size_t i = 1; nth_line(text, i, line, sizeof line); i++) {
        if (strncmp(line, prefix, strlen(prefix)) != 0)
            continue;
        const char *field = line;
        for (size_t c = 0; c < column; c++)
            field = strchr(field, ',') + 1;
        x = strtod(field, NULL);
    }
    free(text);
    return x;
}

/* Six learner configurations: no grids, one line each with its runs, mean and IQM as
 * scores.csv has them (4 significant digits); two: their grids too. --no-progress keeps
 * the summary, --quiet drops it. */
static void test_summary(void **state)
{
    (void)state;
    char ini[PATH_SIZE], out[PATH_SIZE];
    in_tmp(ini, "summary.ini");
    in_tmp(out, "summary_out");
    write_file(ini, "[experiment]\nepisodes = 5\nseeds = 3\n[env]\npreset = cliff_walking\n"
                    "[agent]\nalgorithm = sarsa, q_learning\nalpha = 0.1, 0.2, 0.5\n");
    result r = RUN("run", ini, "-o", out, "--no-progress");
    expect_status(&r, 0);
    assert_string_equal(r.err, "");
    assert_null(strstr(r.out, "legend:"));
    assert_contains(r.out, "scores (a run's score: mean return over all episodes):");
    assert_contains(r.out, "config  algorithm alpha");
    for (size_t k = 0; k < 6; k++) {
        char line[256];
        PATHF(line, "\n  %zu       %s %s ", k, k < 3 ? "sarsa" : "q_learning",
              (const char *const[]){"0.1", "0.2", "0.5"}[k % 3]);
        const char *at = strstr(r.out, line);
        if (!at)
            fail_msg("no line '%s' in:\n%s", line + 1, r.out);
        char mean[32], iqm[32];
        PATHF(mean, "  %.4g  ", scores_field(out, k, 3));
        PATHF(iqm, "%.4g [", scores_field(out, k, 4));
        const char *end = strchr(at + 1, '\n');
        assert_true(strstr(at, "3 completed") < end);
        if (!strstr(at, mean) || strstr(at, mean) > end || !strstr(at, iqm) ||
            strstr(at, iqm) > end)
            fail_msg("line '%.*s' lacks mean%s or IQM %s", (int)(end - at - 1), at + 1, mean,
                     iqm);
    }
    result_free(&r);
    /* Two configurations: each drawn. */
    r = RUN("run", ini, "-o", out, "--force", "--only", "alpha=0.5", "--no-progress");
    expect_status(&r, 0);
    assert_contains(r.out, "configuration 2 (sarsa, alpha = 0.5): run 0 completed");
    assert_contains(r.out, "legend:");
    const char *five = strstr(r.out, "\n  5       q_learning 0.5 ");
    assert_non_null(five);
    assert_true(strstr(five, "3 completed") < strchr(five + 1, '\n'));
    result_free(&r);
    r = RUN("run", ini, "-o", out, "--force", "--quiet");
    expect_status(&r, 0);
    assert_string_equal(r.out, "");
    result_free(&r);
}

/* ---- a run is its configuration's, whatever the plan --------------------------------------- */

/* The rows of DIR/episodes.csv (runs.csv) of the configurations whose alpha is the given one
 * (all of them when alpha is not swept), each without the run and config numbers, which are
 * positions in the plan, and without episodes.csv's label: "episode,...,value_rmse" for
 * episodes.csv, "replicate,rng_seed,...,score" for runs.csv. */
static char *rows_of_alpha(const char *dir, const char *name, const char *alpha)
{
    char path[PATH_SIZE], line[512];
    PATHF(path, "%s/configs.csv", dir);
    char *configs = slurp(path);
    assert_non_null(configs);
    bool swept = nth_line(configs, 0, line, sizeof line) && strstr(line, ",alpha");
    bool mine[8] = {false};
    for (size_t i = 1; i <= 8 && nth_line(configs, i, line, sizeof line); i++)
        mine[i - 1] = !swept || strcmp(strrchr(line, ',') + 1, alpha) == 0;
    free(configs);
    PATHF(path, "%s/%s", dir, name);
    char *text = slurp(path);
    if (!text)
        fail_msg("no %s", path);
    bool episodes = strcmp(name, "episodes.csv") == 0;
    char *out = calloc(strlen(text) + 1, 1);
    assert_non_null(out);
    for (size_t i = 1; nth_line(text, i, line, sizeof line); i++) {
        /* episodes.csv: run,episode,...,value_rmse,config,label; runs.csv: run,config,... */
        char *field[32];
        size_t n = 0;
        for (char *c = line; n < 32; c++) {
            field[n++] = c;
            c = strchr(c, ',');
            if (!c)
                break;
            *c = '\0';
        }
        size_t config = strtoul(field[episodes ? 7 : 1], NULL, 10);
        if (config >= 8 || !mine[config])
            continue;
        size_t from = episodes ? 1 : 2, to = episodes ? 7 : n;
        for (size_t j = from; j < to; j++) {
            strcat(out, field[j]);
            strcat(out, j + 1 < to ? "," : "\n");
        }
    }
    free(text);
    return out;
}

/* Seeds from values (README.md, "Running experiments"): alpha 0.1's runs are the same in a
 * sweep of alpha 0.1, 0.2 (configuration 0), alone, in the sweep extended to 0.05, 0.1, 0.2
 * (configuration 1) and in a partial run of it (--only alpha=0.1): the same returns, lengths,
 * value errors and seeds, episode for episode, on a slippery map where the env draws too. */
static void test_seeds_from_values(void **state)
{
    (void)state;
    char ini[PATH_SIZE], dirs[4][PATH_SIZE];
    in_tmp(ini, "values.ini");
    static const char *const NAMES[] = {"values_sweep", "values_alone", "values_extended",
                                        "values_only"};
    for (size_t i = 0; i < 4; i++)
        in_tmp(dirs[i], NAMES[i]);
    write_file(ini, "[experiment]\nepisodes = 30\nseeds = 4\n[env]\npreset = frozenlake4x4\n"
                    "[agent]\nalgorithm = q_learning\nepsilon = 0.2\nalpha = 0.1, 0.2\n");
    result r = RUN("run", ini, "-o", dirs[0], "-q");
    expect_status(&r, 0);
    result_free(&r);
    r = RUN("run", ini, "-o", dirs[1], "-q", "-s", "agent.alpha=0.1");
    expect_status(&r, 0);
    result_free(&r);
    r = RUN("run", ini, "-o", dirs[2], "-q", "-s", "agent.alpha=0.05,0.1,0.2");
    expect_status(&r, 0);
    result_free(&r);
    r = RUN("run", ini, "-o", dirs[3], "-q", "-s", "agent.alpha=0.05,0.1,0.2", "--only",
            "alpha=0.1");
    expect_status(&r, 0);
    result_free(&r);
    static const char *const FILES[] = {"episodes.csv", "runs.csv"};
    for (size_t f = 0; f < 2; f++) {
        char *sweep = rows_of_alpha(dirs[0], FILES[f], "0.1");
        assert_int_equal(count_lines(sweep), f ? 4 : 4 * 30);
        for (size_t i = 1; i < 4; i++) {
            char *other = rows_of_alpha(dirs[i], FILES[f], "0.1");
            if (strcmp(sweep, other) != 0)
                fail_msg("alpha 0.1's %s rows differ between %s and %s:\n%s---\n%s", FILES[f],
                         NAMES[0], NAMES[i], sweep, other);
            free(other);
        }
        free(sweep);
    }
    /* The configurations of a replicate share its seed, and the two alphas learn apart. */
    char *a = rows_of_alpha(dirs[0], "episodes.csv", "0.1");
    char *b = rows_of_alpha(dirs[0], "episodes.csv", "0.2");
    assert_true(strcmp(a, b) != 0);
    free(a);
    free(b);
}

int main(void)
{
    rl_gsl_init();
    if (!tmp_dir_make(tmpdir, sizeof tmpdir, "gridrl_test_sweep_")) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_threads),
        cmocka_unit_test(test_sweep_resume),
        cmocka_unit_test(test_only),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_seeds_from_values),
        cmocka_unit_test(test_interrupt),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_output_dir),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    remove_tree(tmpdir);
    return failed;
}

/* Tests of the Slurm example (examples/slurm/: submit.sh, shards.sbatch, merge.sbatch) with a
 * stand-in for sbatch that runs each job at once on this machine, an array's tasks in
 * reverse order: the sweep comes out as the same bytes as `gridrl run -j 1` (the reference);
 * a task that fails leaves the merge naming its shard (exit 2), and resubmitting that one
 * task, then the merge, completes the experiment.
 */
#define _POSIX_C_SOURCE 200809L /* setenv */

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

/* sbatch as the scripts use it (--parsable, --array=A-B or --array=K, --dependency=...,
 * then the script and its arguments): runs the job now, with the variables Slurm sets, and
 * prints a job id. Jobs are listed in $JOBS, their output appended to $LOG; the array task
 * $FAIL_TASK is not run (as if it failed). */
static const char FAKE_SBATCH[] =
    "#!/bin/bash\n"
    "array='' dependency=''\n"
    "while [ $# -gt 0 ]; do\n"
    "    case $1 in\n"
    "    --array=*) array=${1#--array=} ;;\n"
    "    --dependency=*) dependency=${1#--dependency=} ;;\n"
    "    --*) ;;\n"
    "    *) break ;;\n"
    "    esac\n"
    "    shift\n"
    "done\n"
    "script=$1\n"
    "shift\n"
    "id=$((1000 + $(wc -l < \"$JOBS\")))\n"
    "echo \"$id array=$array dependency=$dependency $(basename \"$script\")\" >> \"$JOBS\"\n"
    "export SLURM_CPUS_PER_TASK=1\n"
    "if [ -n \"$array\" ]; then\n"
    "    for ((k = ${array#*-}; k >= ${array%-*}; k--)); do\n"
    "        [ \"$k\" = \"${FAIL_TASK:-}\" ] && continue\n"
    "        SLURM_ARRAY_TASK_ID=$k bash \"$script\" \"$@\" >> \"$LOG\" 2>&1 ||\n"
    "            echo \"task $k: exit $?\" >> \"$LOG\"\n"
    "    done\n"
    "else\n"
    "    bash \"$script\" \"$@\" >> \"$LOG\" 2>&1 || echo \"job $id: exit $?\" >> \"$LOG\"\n"
    "fi\n"
    "echo \"$id\"\n";

static const char SWEEP_INI[] = "[experiment]\n"
                                "name = slurm\n"
                                "episodes = 20\n"
                                "seeds = 4\n"
                                "\n"
                                "[env]\n"
                                "preset = cliff_walking\n"
                                "\n"
                                "[agent]\n"
                                "algorithm = q_learning, sarsa\n"
                                "alpha = 0.1, 0.5\n"
                                "epsilon = 0.1\n"
                                "gamma = 1\n";

static char sweep[PATH_SIZE], reference[PATH_SIZE], jobs[PATH_SIZE], log_path[PATH_SIZE];

static int setup(void **state)
{
    (void)state;
    PATHF(sweep, "%s", at("sweep.ini"));
    write_file(sweep, SWEEP_INI);
    PATHF(reference, "%s", at("j1"));
    /* Started through bash like the jobs, so that under tests/memcheck.sh (which leaves the
     * shell and what it starts alone) both sides run natively: valgrind's x87 arithmetic
     * keeps 64 bits where the machine keeps 80, which can change a last printed digit. */
    static const char COMMAND[] = "exec \"$0\" run \"$1\" -o \"$2\" -j 1 --quiet";
    process p = start_program(NULL, "/bin/bash", "bash",
                              (const char *const[]){"-c", COMMAND, GRIDRL_BINARY, sweep,
                                                    reference, NULL});
    result r = finish(&p);
    int status = r.status;
    result_free(&r);
    char bin[PATH_SIZE], sbatch[PATH_SIZE], path[4 * PATH_SIZE];
    PATHF(bin, "%s", at("bin"));
    PATHF(sbatch, "%s/sbatch", bin);
    PATHF(jobs, "%s", at("jobs.txt"));
    PATHF(log_path, "%s", at("log.txt"));
    const char *old_path = getenv("PATH");
    PATHF(path, "%s:%s", bin, old_path ? old_path : "/usr/bin:/bin");
    if (mkdir(bin, 0777) != 0 || !write_file(sbatch, FAKE_SBATCH) || chmod(sbatch, 0755) != 0)
        return 1;
    setenv("PATH", path, 1);
    setenv("GRIDRL", GRIDRL_BINARY, 1);
    setenv("JOBS", jobs, 1);
    setenv("LOG", log_path, 1);
    return status;
}

/* bash SCRIPT ARGS... in the source tree's examples/slurm. */
static result bash(const char *script, const char *const *args)
{
    char path[PATH_SIZE];
    PATHF(path, "%s/examples/slurm/%s", GRIDRL_SOURCE_DIR, script);
    const char *argv[16] = {path};
    for (size_t i = 0; args[i]; i++)
        argv[i + 1] = args[i];
    process p = start_program(tmpdir, "/bin/bash", "bash", argv);
    return finish(&p);
}

#define BASH(script, ...) bash(script, (const char *const[]){__VA_ARGS__, NULL})

static void test_submit(void **state)
{
    (void)state;
    write_file(jobs, "");
    write_file(log_path, "");
    const char *dir = at("sweep_out");
    /* 16 runs in 3 shards of 6, 5 and 5, run as tasks 2, 1, 0, then the merge. */
    result r = BASH("submit.sh", sweep, dir, "3", "--account=test");
    expect_status(&r, 0);
    assert_string_equal(r.out, "shards: job array 1000 (tasks 0-2); merge: job 1001\n");
    result_free(&r);
    char *listed = slurp(jobs);
    assert_string_equal(listed, "1000 array=0-2 dependency= shards.sbatch\n"
                                "1001 array= dependency=afterany:1000 merge.sbatch\n");
    free(listed);
    char *log = slurp(log_path);
    assert_contains(log, "shard 0/3: 6 runs");
    assert_contains(log, "shard 2/3: 5 runs");
    assert_contains(log, "slurm: 16 runs merged");
    free(log);
    /* config.ini, configs.csv, runs, episodes, values, policy, summary, scores. */
    assert_int_equal(compare_trees(reference, dir), 8);
}

/* Task 1 fails: the merge names shard 1/3 and exits 2; resubmitting task 1 and the merge, as
 * merge.sbatch says, completes it. */
static void test_failed_task(void **state)
{
    (void)state;
    write_file(jobs, "");
    write_file(log_path, "");
    const char *dir = at("failed_out");
    setenv("FAIL_TASK", "1", 1);
    result r = BASH("submit.sh", sweep, dir, "3");
    unsetenv("FAIL_TASK");
    expect_status(&r, 0);
    result_free(&r);
    char *log = slurp(log_path);
    assert_contains(log, "5 of its 16 runs are missing: runs 1, 4, 7, 10, 13");
    assert_contains(log, "or run again shard 1/3, which holds them");
    assert_contains(log, "job 1001: exit 2");
    free(log);
    char path[PATH_SIZE];
    PATHF(path, "%s/runs.csv", dir);
    assert_false(exists(path));

    char script[PATH_SIZE];
    PATHF(script, "%s/examples/slurm/shards.sbatch", GRIDRL_SOURCE_DIR);
    process p = start_program(
        tmpdir, "/bin/bash", "bash",
        (const char *const[]){"-c", "sbatch --array=1 \"$0\" \"$1\" \"$2\" 3", script, sweep,
                              dir, NULL});
    r = finish(&p);
    expect_status(&r, 0);
    result_free(&r);
    r = BASH("merge.sbatch", dir, "3");
    expect_status(&r, 0);
    result_free(&r);
    assert_int_equal(compare_trees(reference, dir), 8);
}

int main(void)
{
    rl_gsl_init();
    if (!tmp_dir_make(tmpdir, sizeof tmpdir, "gridrl_test_slurm_")) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_submit),
        cmocka_unit_test(test_failed_task),
    };
    int failed = cmocka_run_group_tests(tests, setup, NULL);
    remove_tree(tmpdir);
    return failed;
}

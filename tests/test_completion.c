/* Tests of the bash completion script (completions/gridrl.bash): bash sources it and calls
 * its function as bash would on <TAB>, with COMP_LINE and COMP_POINT set, and the test reads
 * COMPREPLY. The expected words are written out here by hand (the commands of `gridrl help`,
 * the presets and aliases the README lists, the algorithms whose names start with q_), so a
 * completion that went stale or broke fails.
 *
 * The script's path, the program's and the command line reach bash as positional arguments,
 * never as shell code. Skipped when there is no bash.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/process.h"
#include "tests/support.h"

#define BASH "/bin/bash"

static char tmpdir[PATH_SIZE];

/* Sources the script, completes line (typed after the program's name, the cursor at its
 * end) in directory tmpdir, and returns COMPREPLY's words sorted, one a line (free it). */
static char *complete_line(const char *line)
{
    static const char driver[] =
        "source \"$1\" || exit 3\n"
        "complete -p gridrl >/dev/null || exit 4\n"
        "COMP_LINE=\"$2 $3\"; COMP_POINT=${#COMP_LINE}\n"
        "COMP_WORDS=($COMP_LINE); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
        "COMPREPLY=(); _gridrl\n"
        "printf '%s\\n' \"${COMPREPLY[@]}\" | LC_ALL=C sort\n";
    char script[PATH_SIZE];
    snprintf(script, sizeof script, "%s/completions/gridrl.bash", GRIDRL_SOURCE_DIR);
    FILE *out = tmpfile();
    assert_non_null(out);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null < 0 || dup2(null, 0) < 0 || dup2(fileno(out), 1) < 0 || chdir(tmpdir) != 0)
            _exit(126);
        execl(BASH, "bash", "--norc", "--noprofile", "-c", driver, "bash", script,
              GRIDRL_BINARY, line, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("bash completing '%s' ended with status %d", line, WEXITSTATUS(status));
    rewind(out);
    char *text = calloc(1, 8192);
    assert_non_null(text);
    size_t n = fread(text, 1, 8191, out);
    text[n] = '\0';
    fclose(out);
    return text;
}

static void expect_completion(const char *line, const char *expected)
{
    char *got = complete_line(line);
    if (strcmp(got, expected) != 0)
        fail_msg("completing 'gridrl %s' gave\n%s\nexpected\n%s", line, got, expected);
    free(got);
}

static void need_bash(void)
{
    if (access(BASH, X_OK) != 0)
        skip();
}

static void test_commands(void **state)
{
    (void)state;
    need_bash();
    expect_completion("", "bench\ncompare\nhelp\nlist\nmerge\nplot\nrun\nshow\n");
    expect_completion("pl", "plot\n");
    expect_completion("help r", "run\n");
    expect_completion("list pre", "presets\n");
    expect_completion("bench ", "dp\ndqn\nlinear\nrun\ntd\n");
}

static void test_options(void **state)
{
    (void)state;
    need_bash();
    expect_completion("plot DIR --fo", "--format\n");
    expect_completion("plot DIR --format ", "pdf\npng\nsvg\n");
    /* --what is a comma list: its last item is completed. */
    expect_completion("plot DIR --what curves,gr", "curves,grid\n");
    expect_completion("plot DIR --what up", "updates\n");
    expect_completion("run x.ini --res", "--resume\n");
    expect_completion("run x.ini --li", "--live\n");
    expect_completion("run x.ini --sha", "--shard\n");
    expect_completion("merge DIR --sha", "--shards\n");
    expect_completion("list --na", "--names\n");
}

/* Names a config uses, from `gridrl list --names`: presets with Gymnasium's aliases, env
 * types inside -s env.type=, and algorithms inside -s agent.algorithm=. */
static void test_names(void **state)
{
    (void)state;
    need_bash();
    expect_completion("show Froz", "FrozenLake-v1\nFrozenLake8x8-v1\n");
    expect_completion("show cl", "cliff_walking\n");
    /* bash replaces the word after '=', so the replies are the values alone. */
    expect_completion("run x.ini -s agent.algorithm=q_", "q_learning\nq_learning_linear\n");
    expect_completion("run x.ini -s env.preset=zhao", "zhao5x5\n");
    /* The planning presets and learners, and the env types (gridworld, an MDP file). */
    expect_completion("show b", "blocking_maze\n");
    expect_completion("run x.ini -s env.preset=sh", "shortcut_maze\n");
    expect_completion("run x.ini -s agent.algorithm=dyna", "dyna_q\ndyna_q_plus\n");
    expect_completion("run x.ini -s env.type=", "gridworld\nmdp\n");
    expect_completion("run x.ini -s env.t", "env.type=\n");
    expect_completion("run x.ini -s experiment.seed", "experiment.seed=\nexperiment.seeds=\n");
}

/* Files: configs for run, maps and configs (and presets) for show, directories for plot and
 * merge. */
static void test_files(void **state)
{
    (void)state;
    need_bash();
    char path[PATH_SIZE + 32];
    snprintf(path, sizeof path, "%s/a.ini", tmpdir);
    write_file(path, "");
    snprintf(path, sizeof path, "%s/maze.map", tmpdir);
    write_file(path, "SG\n");
    snprintf(path, sizeof path, "%s/notes.txt", tmpdir);
    write_file(path, "");
    snprintf(path, sizeof path, "%s/results", tmpdir);
    mkdir(path, 0777);
    expect_completion("run ", "a.ini\nresults\n");
    expect_completion("show ma", "maze.map\n");
    expect_completion("plot ", "results\n");
    expect_completion("merge ", "results\n");
}

int main(void)
{
    if (!tmp_dir_make(tmpdir, sizeof tmpdir, "gridrl_test_completion_")) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commands),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_files),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (!failed)
        remove_tree(tmpdir);
    return failed;
}

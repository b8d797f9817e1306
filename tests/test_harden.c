/* Regression tests of the hardening issue: hostile output folders, crafted inputs, runaway
 * inputs and interrupts, each driven through the built gridrl program (GRIDRL_BINARY) the
 * way a user or an attacker would, with the expected outcome derived by hand: exit status,
 * message, and which files exist afterwards (inside and outside the output folder).
 */
#define _XOPEN_SOURCE 700 /* nanosleep, kill, symlink */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/process.h"
#include "tests/support.h"

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
    static char slots[32][PATH_SIZE];
    static size_t next;
    char *buf = slots[next++ % 32];
    if (snprintf(buf, PATH_SIZE, "%s/%s", tmpdir, name) >= PATH_SIZE)
        fail_msg("path too long: %s", name);
    return buf;
}

/* A small planner config (value iteration on Zhao's 5x5 grid) in tmpdir/name. */
static const char *small_config(const char *name)
{
    return write_file(at(name), "[experiment]\nname = small\n\n[env]\npreset = zhao5x5\n\n"
                                "[agent]\nalgorithm = value_iteration\ngamma = 0.9\n");
}

/* Waits at most seconds for p to exit: its result, or a failed test (after killing it) when
 * it is still running then. */
static result finish_within(process *p, double seconds)
{
    for (double waited = 0; waited < seconds; waited += 0.05) {
        siginfo_t info = {0};
        if (waitid(P_PID, (id_t)p->pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == p->pid)
            return finish(p);
        struct timespec pause = {0, 50000000};
        nanosleep(&pause, NULL);
    }
    kill(p->pid, SIGKILL);
    result r = finish(p);
    fail_msg("gridrl still running after %.0f s (killed)\nstderr:\n%s", seconds, r.err);
    return r;
}

/* ---- output folders ------------------------------------------------------------------- */

/* -o '' used to scan the path from its second byte, past the terminating NUL (issue item 8):
 * an empty name is bad input, refused before anything is read or written. */
static void test_empty_output_name(void **state)
{
    (void)state;
    const char *config = small_config("empty_out.ini");
    result r = RUN_IN(tmpdir, "run", config, "-o", "", "--quiet");
    expect_status(&r, 2);
    assert_contains(r.err, "gridrl: the output directory's name is empty");
    result_free(&r);
    r = RUN_IN(tmpdir, "run", config, "-o", "", "--resume", "--quiet");
    expect_status(&r, 2);
    assert_contains(r.err, "gridrl: the output directory's name is empty");
    result_free(&r);
    /* A file where the folder should be is bad input too (exit 2, not an I/O failure),
     * and stays as it was. */
    write_file(at("a_file"), "mine\n");
    r = RUN_IN(tmpdir, "run", config, "-o", at("a_file"), "--quiet");
    expect_status(&r, 2);
    assert_contains(r.err, "a_file' exists and is not a directory");
    result_free(&r);
    char *text = slurp(at("a_file"));
    assert_string_equal(text, "mine\n");
    free(text);
}

/* A name is one path component of safe characters (issue item 10): "../../x" wrote outside
 * the results folder, an empty name into results/ itself. Each is refused at
 * experiment.name with exit 2, and nothing is created: not results/, not the escape. */
static void test_experiment_name(void **state)
{
    (void)state;
    static const char *const BAD[] = {"../../escaped", "", ".", "..", "a/b", "-rf", ".hidden",
                                      "a b", "caf\xc3\xa9"};
    char cwd[PATH_SIZE], config[PATH_SIZE + 64];
    PATHF(cwd, "%s/names/deep", tmpdir);
    mkdir(at("names"), 0777);
    mkdir(cwd, 0777);
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        char text[512];
        PATHF(text, "[experiment]\nname = %s\n\n[env]\npreset = zhao5x5\n\n[agent]\n"
                    "algorithm = value_iteration\n", BAD[i]);
        PATHF(config, "%s/bad_name.ini", cwd);
        write_file(config, text);
        result r = RUN_IN(cwd, "run", "bad_name.ini", "--quiet");
        expect_status(&r, 2);
        assert_contains(r.err, "bad_name.ini:2: experiment.name: the experiment's name");
        assert_contains(r.err, "is not a folder name");
        result_free(&r);
        char results[PATH_SIZE + 16];
        PATHF(results, "%s/results", cwd);
        assert_false(exists(results));
        assert_false(exists(at("escaped")));
        assert_false(exists(at("names/escaped")));
    }
    /* The default name comes from the config file's name: the same rule, said so. */
    PATHF(config, "%s/has space.ini", cwd);
    write_file(config, "[env]\npreset = zhao5x5\n[agent]\nalgorithm = value_iteration\n");
    result r = RUN_IN(cwd, "run", "has space.ini", "--quiet");
    expect_status(&r, 2);
    assert_contains(r.err, "(from the config file's name)");
    result_free(&r);
    /* Names as the shipped configs write them still run. */
    PATHF(config, "%s/ok.ini", cwd);
    write_file(config, "[experiment]\nname = zhao_fig3.4a-v2+x\n[env]\npreset = zhao5x5\n"
                       "[agent]\nalgorithm = value_iteration\n");
    r = RUN_IN(cwd, "run", "ok.ini", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    PATHF(config, "%s/results/zhao_fig3.4a-v2+x/values.csv", cwd);
    assert_true(exists(config));
}

static int count_entries(const char *dir);

/* ---- planted links --------------------------------------------------------------------- */

/* Creates tmpdir/name holding one file, data, with the given text; returns tmpdir/name. */
static const char *bystander(const char *name, const char *text)
{
    const char *dir = at(name);
    mkdir(dir, 0777);
    char path[PATH_SIZE];
    PATHF(path, "%s/data", dir);
    write_file(path, text);
    return dir;
}

/* Whether tmpdir/name/data still holds text. */
static void expect_intact(const char *name, const char *text)
{
    char path[PATH_SIZE];
    PATHF(path, "%s/%s/data", tmpdir, name);
    char *got = slurp(path);
    if (!got || strcmp(got, text) != 0)
        fail_msg("%s was changed: '%s'", path, got ? got : "(missing)");
    free(got);
}

static void plant_link(const char *target, const char *at_path)
{
    if (symlink(target, at_path) != 0)
        fail_msg("symlink %s -> %s failed", at_path, target);
}

/* Links planted in an output folder made a run destroy files outside it (issue item 2): each
 * case of the issue, and a link for the pictures' folder. Temporary files are created
 * exclusively, never through a link, and trees are removed without following links; the
 * files outside stay as they were. */
static void test_planted_links(void **state)
{
    (void)state;
    char config[PATH_SIZE], path[PATH_SIZE];
    PATHF(config, "%s", at("links.ini"));
    write_file(config, "[experiment]\nname = links\nseeds = 2\n[env]\n"
                       "preset = zhao5x5\n[agent]\nalgorithm = value_iteration\n");

    /* out/.write-test.tmp -> ../victim: --force truncated the victim. */
    bystander("victim", "precious\n");
    mkdir(at("out1"), 0777);
    plant_link("../victim/data", at("out1/.write-test.tmp"));
    result r = RUN_IN(tmpdir, "run", config, "-o", at("out1"), "--force", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    expect_intact("victim", "precious\n");

    /* out/.config.ini.tmp -> ../victim2: the config was written through it. */
    bystander("victim2", "precious 2\n");
    mkdir(at("out2"), 0777);
    plant_link("../victim2/data", at("out2/.config.ini.tmp"));
    r = RUN_IN(tmpdir, "run", config, "-o", at("out2"), "--force", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    expect_intact("victim2", "precious 2\n");
    PATHF(path, "%s/config.ini", at("out2"));
    char *text = slurp(path);
    assert_non_null(text);
    assert_contains(text, "name = links");
    free(text);

    /* out/runs -> ../keep: --force deleted every file of keep/. */
    bystander("keep", "kept\n");
    mkdir(at("out3"), 0777);
    plant_link("../keep", at("out3/runs"));
    r = RUN_IN(tmpdir, "run", config, "-o", at("out3"), "--force", "--keep-runs", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    expect_intact("keep", "kept\n");
    assert_int_equal(count_entries(at("keep")), 1);
    struct stat st;
    assert_int_equal(lstat(at("out3/runs"), &st), 0);
    assert_true(S_ISDIR(st.st_mode)); /* a real folder now, not the link */

    /* out/runs/.000001.rows.tmp -> ../../keep2: --resume emptied keep2 (when runs were
     * folders, .000001.tmp). Temporary names are now the writer's own
     * (.000001.rows.HOST.PID.tmp, created exclusively): the planted link is left alone. */
    bystander("keep2", "kept 2\n");
    r = RUN_IN(tmpdir, "run", config, "-o", at("out4"), "--keep-runs", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    assert_int_equal(unlink(at("out4/runs/000001.rows")), 0);
    assert_int_equal(unlink(at("out4/manifest.txt")), 0); /* unfinished again */
    plant_link("../../keep2/data", at("out4/runs/.000001.rows.tmp"));
    r = RUN_IN(tmpdir, "run", config, "-o", at("out4"), "--resume", "--keep-runs", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    expect_intact("keep2", "kept 2\n");
    assert_int_equal(count_entries(at("keep2")), 1);
    assert_int_equal(lstat(at("out4/runs/000001.rows"), &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(lstat(at("out4/runs/.000001.rows.tmp"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));

    /* A link in place of runs/ with --resume is refused, nothing written through it. */
    bystander("keep3", "kept 3\n");
    assert_int_equal(remove_tree(at("out4/runs")), 0);
    assert_int_equal(unlink(at("out4/manifest.txt")), 0); /* unfinished again */
    plant_link("../keep3", at("out4/runs"));
    r = RUN_IN(tmpdir, "run", config, "-o", at("out4"), "--resume", "--quiet");
    expect_status(&r, 1);
    assert_contains(r.err, "runs': it exists and is not a directory");
    result_free(&r);
    assert_int_equal(count_entries(at("keep3")), 1);

    /* The pictures' folder: gridrl plot does not write through a link either. */
    bystander("keep4", "kept 4\n");
    plant_link("../keep4", at("out2/plots"));
    r = RUN_IN(tmpdir, "plot", at("out2"), "--what", "grid");
    assert_int_not_equal(r.status, 0);
    assert_contains(r.err, "plots': it exists and is not a directory");
    result_free(&r);
    assert_int_equal(count_entries(at("keep4")), 1);
    expect_intact("keep4", "kept 4\n");
}

/* The number of entries in dir (not . and ..), -1 when it cannot be opened. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* --resume into a non-empty folder that holds no experiment wrote into it (issue item 13):
 * it is refused, and the folder keeps exactly its own files. An empty or missing folder
 * still starts afresh, as --resume promises after an interrupt before any run. */
static void test_resume_foreign_folder(void **state)
{
    (void)state;
    const char *config = small_config("resume_foreign.ini");
    const char *dir = at("foreign");
    mkdir(dir, 0777);
    char path[PATH_SIZE];
    PATHF(path, "%s/thesis.tex", dir);
    write_file(path, "my thesis\n");
    result r = RUN_IN(tmpdir, "run", config, "-o", dir, "--resume", "--quiet");
    expect_status(&r, 2);
    assert_contains(r.err, "cannot resume: '");
    assert_contains(r.err, "foreign' is not empty and holds no experiment (no config.ini)");
    result_free(&r);
    assert_int_equal(count_entries(dir), 1);
    char *text = slurp(path);
    assert_string_equal(text, "my thesis\n");
    free(text);

    const char *fresh = at("resume_fresh");
    r = RUN_IN(tmpdir, "run", config, "-o", fresh, "--resume", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    PATHF(path, "%s/values.csv", fresh);
    assert_true(exists(path));
    mkdir(at("resume_empty"), 0777);
    r = RUN_IN(tmpdir, "run", config, "-o", at("resume_empty"), "--resume", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
}

/* Runs gridrl with args under a file size limit of limit bytes (RLIMIT_FSIZE, as `ulimit
 * -f` sets it), SIGXFSZ at its default: exit status (-1: killed by a signal), stderr. */
static result run_with_file_limit(rlim_t limit, const char *const *args)
{
    FILE *err = tmpfile();
    assert_non_null(err);
    const char *argv[16] = {"gridrl"};
    size_t n = 1;
    for (; args[n - 1] && n < 15; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit rl = {limit, limit};
        signal(SIGXFSZ, SIG_DFL);
        int null = open("/dev/null", O_RDWR);
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0 || null < 0 || dup2(null, 0) < 0 ||
            dup2(null, 1) < 0 || dup2(fileno(err), 2) < 0)
            _exit(126);
        execv(GRIDRL_BINARY, (char *const *)argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        assert_true(errno == EINTR);
    result r = {WIFEXITED(status) ? WEXITSTATUS(status) : -1, strdup(""), NULL};
    rewind(err);
    char buf[4096];
    size_t got = fread(buf, 1, sizeof buf - 1, err);
    buf[got] = '\0';
    r.err = strdup(buf);
    fclose(err);
    return r;
}

/* Whether a hidden temporary (.NAME.tmp) is anywhere under dir. */
static bool has_temporary(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool found = false;
    for (struct dirent *e; !found && (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t len = strlen(e->d_name);
        found = e->d_name[0] == '.' && len > 4 && strcmp(e->d_name + len - 4, ".tmp") == 0;
        char child[PATH_SIZE];
        PATHF(child, "%s/%s", dir, e->d_name);
        struct stat st;
        if (!found && lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
            found = has_temporary(child);
    }
    closedir(d);
    return found;
}

/* A full disk was reported as bad input (exit 2) and left an empty folder; past a file size
 * limit SIGXFSZ killed the program silently and left a hidden .tmp (issue item 14). Writes
 * that fail are I/O failures: exit 1 with the reason, and nothing half-made. config.ini of
 * this experiment is 640 bytes and a run's iterations.csv about 9 kB, so a limit of 512
 * bytes stops the setup (the folders it made are removed again) and one of 4096 bytes the
 * first run (its temporary folder is removed; the experiment can be resumed). */
static void test_write_failures(void **state)
{
    (void)state;
    char config[PATH_SIZE], out[PATH_SIZE];
    PATHF(config, "%s", small_config("limited.ini"));
    PATHF(out, "%s/limited/deep/out", tmpdir);
    result r = run_with_file_limit(512, (const char *const[]){"run", config, "-o", out,
                                                              "--quiet", NULL});
    expect_status(&r, 1);
    assert_contains(r.err, "config.ini': File too large");
    result_free(&r);
    assert_false(exists(at("limited")));

    r = run_with_file_limit(4096, (const char *const[]){"run", config, "-o", out, "--quiet",
                                                        NULL});
    expect_status(&r, 1);
    assert_contains(r.err, "runs/.000000.rows.");
    assert_contains(r.err, ".tmp': File too large");
    result_free(&r);
    assert_false(has_temporary(at("limited")));
    char path[PATH_SIZE + 32];
    PATHF(path, "%s/runs", out);
    assert_int_equal(count_entries(path), 0);
    /* Room again: --resume finishes it. */
    r = RUN_IN(tmpdir, "run", config, "-o", out, "--resume", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    PATHF(path, "%s/values.csv", out);
    assert_true(exists(path));
}

/* ---- inputs ----------------------------------------------------------------------------- */

/* A newline in a -s value was written raw into config.ini (which then failed to load) and
 * manifest.txt (issue item 12): wind "0 0 0 0\n0" parses as five columns, so only the
 * control-character check can refuse it. Control characters in a config file's values are
 * refused the same way, at file:line. */
static void test_control_characters(void **state)
{
    (void)state;
    const char *config = small_config("control.ini");
    const char *out = at("control_out");
    result r = RUN_IN(tmpdir, "run", config, "-o", out, "-s", "env.wind=0 0 0 0\n0",
                      "--quiet");
    expect_status(&r, 2);
    assert_contains(r.err, "gridrl: command line: env.wind: the value holds a control "
                           "character (byte 0x0a)");
    result_free(&r);
    assert_false(exists(out));
    r = RUN_IN(tmpdir, "run", config, "-o", out, "-s", "experiment.start=env\r", "--quiet");
    expect_status(&r, 2);
    assert_contains(r.err, "experiment.start: the value holds a control character (byte 0x0d)");
    result_free(&r);
    assert_false(exists(out));

    config = write_file(at("control_file.ini"), "[experiment]\nname = c\n[env]\n"
                                                "preset = zhao5x5\nwind = 0 0\x1b 0 0 0\n"
                                                "[agent]\nalgorithm = value_iteration\n");
    r = RUN_IN(tmpdir, "run", config, "-o", out, "--quiet");
    expect_status(&r, 2);
    assert_contains(r.err, "control_file.ini:5: env.wind: the value holds a control character "
                           "(byte 0x1b)");
    result_free(&r);
    assert_false(exists(out));

    /* A tab is text: the same run with a tab between two wind values works. */
    config = small_config("control_tab.ini");
    r = RUN_IN(tmpdir, "run", config, "-o", out, "-s", "env.wind=0 0\t0 0 0", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
}

/* Config files are read up to a limit, as map files are (issue item 5): /dev/zero grew the
 * program by 400 MB/s, and a config file of 2 MiB (a valid experiment padded with comment
 * lines) was read whole. Both are refused at once, with exit 2. */
static void test_config_size_limit(void **state)
{
    (void)state;
    process p = start(tmpdir, (const char *const[]){"run", "/dev/zero", "-o", at("zero"),
                                                    NULL});
    result r = finish_within(&p, 20);
    expect_status(&r, 2);
    assert_contains(r.err, "gridrl: /dev/zero: config file is larger than 1048576 bytes");
    result_free(&r);
    assert_false(exists(at("zero")));

    const char *path = at("padded.ini");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("[experiment]\nname = padded\n[env]\npreset = zhao5x5\n[agent]\n"
          "algorithm = value_iteration\n",
          f);
    for (int i = 0; i < (2 << 20) / 64; i++)
        fprintf(f, "; %061d\n", i); /* 64 bytes a line */
    assert_int_equal(fclose(f), 0);
    r = RUN_IN(tmpdir, "run", path, "-o", at("padded"), "--quiet");
    expect_status(&r, 2);
    assert_contains(r.err, "padded.ini: config file is larger than 1048576 bytes");
    result_free(&r);
    assert_false(exists(at("padded")));

    /* A folder given as the config: the reason is said (issue item 15). */
    r = RUN_IN(tmpdir, "run", tmpdir, "-o", at("padded"), "--quiet");
    expect_status(&r, 2);
    assert_contains(r.err, "': Is a directory");
    result_free(&r);
    assert_false(exists(at("padded")));

    /* Just under the limit is read. */
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("[experiment]\nname = padded\n[env]\npreset = zhao5x5\n[agent]\n"
          "algorithm = value_iteration\n",
          f);
    for (int i = 0; i < (1 << 20) / 64 - 2; i++)
        fprintf(f, "; %061d\n", i);
    assert_int_equal(fclose(f), 0);
    r = RUN_IN(tmpdir, "run", path, "-o", at("padded"), "--quiet");
    expect_status(&r, 0);
    result_free(&r);
}

/* "-s section.key=V,V,...,V" with n copies of value (malloc'd). */
static char *sweep_of(const char *key, const char *value, size_t n)
{
    size_t len = strlen(key) + 1 + n * (strlen(value) + 1) + 1;
    char *s = malloc(len);
    assert_non_null(s);
    char *p = s + sprintf(s, "%s=", key);
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s%s", i ? "," : "", value);
    return s;
}

/* The number of configurations is checked before anything is allocated for them (issue
 * item 9): four axes of 2^16 values made 2^64 configurations, which wrapped to 0 runs and
 * exit 0; two axes of 2,000 values took 4.5 GB before writing anything. Both are refused at
 * the axis that goes past the limit, at once. */
static void test_configuration_count(void **state)
{
    (void)state;
    const char *config = write_file(at("many.ini"),
                                    "[experiment]\nname = many\nepisodes = 1\n[env]\n"
                                    "preset = zhao5x5\n[agent]\nalgorithm = q_learning\n");
    /* 2^16 values a key need more than one argument may hold: a config file, each list
     * continued on indented lines of 64 values: epsilon starts on line 7 + 1024 + 1. */
    const char *huge = at("huge.ini");
    FILE *f = fopen(huge, "w");
    assert_non_null(f);
    fputs("[experiment]\nname = huge\nepisodes = 1\n[env]\npreset = zhao5x5\n[agent]\n"
          "algorithm = q_learning\n",
          f);
    static const char *const KEYS[4][2] = {{"alpha", "1"}, {"epsilon", "0"}, {"gamma", "1"},
                                           {"q0", "0"}};
    for (int k = 0; k < 4; k++) {
        fprintf(f, "%s = %s", KEYS[k][0], KEYS[k][1]);
        for (int i = 1; i < 65536; i++)
            fprintf(f, "%s,%s", i % 64 == 0 ? "\n  " : "", KEYS[k][1]);
        fputc('\n', f);
    }
    assert_int_equal(fclose(f), 0);
    process p = start(tmpdir, (const char *const[]){"run", huge, "-o", at("many"), NULL});
    result r = finish_within(&p, 60);
    expect_status(&r, 2);
    assert_contains(r.err, "huge.ini:1032: agent.epsilon: the sweep has too many configurations: "
                           "with this axis's 65536 values there are 4294967296, and a plan has "
                           "at most 100000");
    result_free(&r);
    assert_false(exists(at("many")));

    char *alpha, *eps;
    alpha = sweep_of("agent.alpha", "0.5", 2000);
    eps = sweep_of("agent.epsilon", "0.1", 2000);
    p = start(tmpdir, (const char *const[]){"run", config, "-o", at("many"), "-s", alpha, "-s",
                                            eps, NULL});
    r = finish_within(&p, 60);
    expect_status(&r, 2);
    assert_contains(r.err, "there are 4000000, and a plan has at most 100000");
    result_free(&r);
    assert_false(exists(at("many")));
    free(alpha);
    free(eps);

    /* Runs: configurations x seeds. */
    alpha = sweep_of("agent.alpha", "0.5", 20);
    r = RUN_IN(tmpdir, "run", config, "-o", at("many"), "-s", alpha, "-s",
               "experiment.seeds=1000000");
    expect_status(&r, 2);
    assert_contains(r.err, "command line: experiment.seeds: the plan has too many runs: 20 "
                           "configurations x 1000000 seeds, and a plan has at most 10000000");
    result_free(&r);
    free(alpha);
    assert_false(exists(at("many")));
}

/* ---- plot scripts ------------------------------------------------------------------------ */

/* Runs gnuplot (GNUPLOT or gnuplot on PATH) with -e assignments script in directory cwd,
 * without a shell: its exit status. */
static int run_gnuplot(const char *cwd, const char *assignments, const char *script)
{
    const char *g = getenv("GNUPLOT");
    const char *program = g && g[0] ? g : "gnuplot";
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (chdir(cwd) != 0 || null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
            dup2(null, 2) < 0)
            _exit(126);
        execlp(program, program, "-e", assignments, script, (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        assert_true(errno == EINTR);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* plots/learning_curve.gp and plots/convergence.gp made DIR/plots with
 * system("mkdir -p 'DIR/plots'"): run on their own, as the README shows, a folder named with a
 * quote ran arbitrary commands (issue item 11). Here the results folder is called
 * x'; touch pwned; 'y: nothing may create pwned, and the pictures are drawn (into the current
 * directory, the scripts' default without out). */
static void test_scripts_run_no_shell(void **state)
{
    (void)state;
    if (system("command -v gnuplot > /dev/null 2>&1") != 0 && !getenv("GNUPLOT"))
        skip();
    char config[PATH_SIZE];
    PATHF(config, "%s", at("learner.ini"));
    write_file(config, "[experiment]\nname = learner\nepisodes = 20\nseeds = 2\n[env]\n"
                       "preset = zhao5x5\ngoal_terminal = true\n[agent]\nalgorithm = random\n");
    mkdir(at("shell"), 0777);
    const char *evil = "x'; touch pwned; 'y";
    char out[PATH_SIZE];
    PATHF(out, "%s/shell/%s", tmpdir, evil);
    result r = RUN_IN(tmpdir, "run", config, "-o", out, "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    /* dir = '<tmpdir>/shell/x''; touch pwned; ''y' in gnuplot's quoting. */
    char assignments[2 * PATH_SIZE], script[PATH_SIZE];
    PATHF(assignments, "dir='%s/shell/x''; touch pwned; ''y'", tmpdir);
    PATHF(script, "%s/plots/learning_curve.gp", GRIDRL_SOURCE_DIR);
    int status = run_gnuplot(at("shell"), assignments, script);
    assert_false(exists(at("shell/pwned")));
    assert_false(exists(at("pwned")));
    assert_int_equal(status, 0);
    assert_true(exists(at("shell/learning_curve_return.png")));

    PATHF(out, "%s/shell/%s", tmpdir, "p'; touch pwned; 'q");
    r = RUN_IN(tmpdir, "run", small_config("planner.ini"), "-o", out, "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    PATHF(assignments, "dir='%s/shell/p''; touch pwned; ''q'", tmpdir);
    PATHF(script, "%s/plots/convergence.gp", GRIDRL_SOURCE_DIR);
    status = run_gnuplot(at("shell"), assignments, script);
    assert_false(exists(at("shell/pwned")));
    assert_int_equal(status, 0);
    assert_true(exists(at("shell/convergence.png")));

    /* No script can reach a shell at all: gnuplot's system(), its backquote substitution
     * and pipes in file names (load "<cmd", set output "|cmd") are absent from plots/. */
    static const char *const SCRIPTS[] = {"learning_curve", "convergence", "grid", "sweep"};
    for (size_t i = 0; i < sizeof SCRIPTS / sizeof SCRIPTS[0]; i++) {
        PATHF(script, "%s/plots/%s.gp", GRIDRL_SOURCE_DIR, SCRIPTS[i]);
        char *text = slurp(script);
        assert_non_null(text);
        bool shell = false;
        for (char *line = text; line && *line;) {
            char *end = strchr(line, '\n');
            if (end)
                *end = '\0';
            if (line[strspn(line, " \t")] != '#') /* comments may say anything */
                shell |= strstr(line, "system") || strchr(line, '`') || strstr(line, "'<") ||
                         strstr(line, "\"<") || strstr(line, "'|") || strstr(line, "\"|");
            line = end ? end + 1 : NULL;
        }
        free(text);
        if (shell)
            fail_msg("%s can start a shell", script);
    }
}

/* ---- runaway runs ------------------------------------------------------------------------ */

/* The item 3: rewards of -1e308 on Zhao's grid, the target terminal, Q-learning with
 * alpha 1, epsilon 0, gamma 1. Returns overflow to -inf and q-values to -inf and NaN within
 * a few episodes; the run hung in episode 5, and when it ended, its -inf returns in
 * episodes.csv could not be read back for summary.csv (exit 2). It must finish at once with
 * status diverged and its step, every field a number or empty. */
static void test_overflowing_rewards_diverge(void **state)
{
    (void)state;
    const char *config = write_file(at("overflow.ini"),
                                    "[experiment]\nname = overflow\nepisodes = 10\nseeds = 3\n"
                                    "[env]\npreset = zhao5x5\nreward_step = -1e308\n"
                                    "reward_bump = -1e308\nreward_forbidden = -1e308\n"
                                    "reward_goal = -1e308\ngoal_terminal = true\n"
                                    "[agent]\nalgorithm = q_learning\nalpha = 1\nepsilon = 0\n"
                                    "gamma = 1\n");
    char out[PATH_SIZE], path[PATH_SIZE + 32];
    PATHF(out, "%s", at("overflow"));
    process p = start(tmpdir, (const char *const[]){"run", config, "-o", out, "--quiet", NULL});
    result r = finish_within(&p, 30);
    expect_status(&r, 0);
    result_free(&r);
    PATHF(path, "%s/runs.csv", out);
    char *runs = slurp(path);
    assert_non_null(runs);
    /* Three runs, each "diverged" with a diverged_step (the 9th field) that is a number;
     * the score (the 10th) is empty or a number, never inf or nan. */
    assert_true(strncmp(runs, "run,config,replicate,rng_seed,status,episodes,steps,"
                              "iterations,diverged_step,score\n", 83) == 0);
    size_t n = 0;
    for (char *line = strchr(runs, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        n++;
        assert_non_null(strstr(line, ",diverged,"));
        const char *field = line + 1;
        for (int i = 0; i < 8; i++)
            field = strchr(field, ',') + 1;
        assert_true(*field >= '0' && *field <= '9');
    }
    assert_int_equal(n, 3);
    assert_null(strstr(runs, "inf"));
    assert_null(strstr(runs, "nan"));
    free(runs);
    PATHF(path, "%s/episodes.csv", out);
    char *episodes = slurp(path);
    assert_non_null(episodes);
    assert_null(strstr(episodes, "inf"));
    assert_null(strstr(episodes, "nan"));
    free(episodes);
}

/* A planner whose ground truth overflows (reward_step = 1e308) aborted the whole sweep and
 * named the wrong key, env.preset (issue item 4). Configurations are algorithm (value
 * iteration, policy iteration, policy evaluation) x reward_step (0, 1e308), the last
 * fastest: the three runs with 1e308 are diverged, the three healthy ones converge. */
static void test_planner_truth_overflow(void **state)
{
    (void)state;
    const char *config = small_config("planner_overflow.ini");
    char out[PATH_SIZE], path[PATH_SIZE + 32];
    PATHF(out, "%s", at("planner_overflow"));
    result r = RUN_IN(tmpdir, "run", config, "-o", out, "--quiet", "-s",
                      "agent.algorithm=value_iteration,policy_iteration,policy_evaluation",
                      "-s", "env.reward_step=0,1e308");
    expect_status(&r, 0);
    result_free(&r);
    PATHF(path, "%s/runs.csv", out);
    char *runs = slurp(path);
    assert_non_null(runs);
    static const char *const STATUS[6] = {"converged", "diverged", "converged",
                                          "diverged",  "converged", "diverged"};
    char *line = strchr(runs, '\n');
    for (size_t k = 0; k < 6; k++) {
        assert_non_null(line);
        char expected[64];
        PATHF(expected, "\n%zu,%zu,0,", k, k);
        assert_true(strncmp(line, expected, strlen(expected)) == 0);
        char *status = line + strlen(expected);
        status = strchr(status, ',') + 1; /* past rng_seed */
        assert_true(strncmp(status, STATUS[k], strlen(STATUS[k])) == 0);
        line = strchr(line + 1, '\n');
    }
    free(runs);
}

/* SIGINT was ignored during planner runs and the ground truth (issue item 7: a 1000x1000
 * value iteration ran 65 s past the second Ctrl-C). A 400x400 open map with gamma 0.99999
 * and no terminal state: the truth alone needs millions of sweeps. The program must stop
 * within a few seconds of SIGINT (exit 130) and of SIGTERM (exit 143). */
static void test_interrupt_planner(void **state)
{
    (void)state;
    char map[PATH_SIZE], config[PATH_SIZE], out[PATH_SIZE], ini[PATH_SIZE + 32];
    PATHF(map, "%s", at("open400.map"));
    FILE *f = fopen(map, "w");
    assert_non_null(f);
    for (int r = 0; r < 400; r++) {
        for (int c = 0; c < 400; c++)
            fputc(r == 200 && c == 200 ? 'G' : '.', f);
        fputc('\n', f);
    }
    assert_int_equal(fclose(f), 0);
    PATHF(config, "%s", at("open400.ini"));
    write_file(config, "[experiment]\nname = open400\n[env]\nmap = open400.map\n"
                       "slip = 0.2\n[agent]\nalgorithm = value_iteration\ngamma = 0.99999\n"
                       "theta = 1e-12\n");
    static const int SIGNALS[2] = {SIGINT, SIGTERM};
    for (int i = 0; i < 2; i++) {
        PATHF(out, "%s/open400_%d", tmpdir, i);
        PATHF(ini, "%s/config.ini", out);
        process p = start(tmpdir, (const char *const[]){"run", config, "-o", out, "--quiet",
                                                        NULL});
        for (int k = 0; k < 3000 && !exists(ini); k++) {
            struct timespec pause = {0, 10000000};
            nanosleep(&pause, NULL);
        }
        assert_true(exists(ini));
        struct timespec pause = {0, 500000000}; /* into the truth's sweeps */
        nanosleep(&pause, NULL);
        assert_int_equal(kill(p.pid, SIGNALS[i]), 0);
        result r = finish_within(&p, 10);
        expect_status(&r, 128 + SIGNALS[i]);
        assert_contains(r.err, "interrupted: 0 of 1 runs are complete");
        result_free(&r);
    }
}

/* ---- messages ---------------------------------------------------------------------------- */

/* A policy_file that is a folder said "0 rows" (issue item 15): it says why it cannot be
 * read. */
static void test_policy_file_folder(void **state)
{
    (void)state;
    mkdir(at("policy_folder"), 0777);
    const char *config = write_file(at("policy_folder.ini"),
                                    "[experiment]\nname = pf\n[env]\npreset = zhao5x5\n"
                                    "[agent]\nalgorithm = policy_evaluation\npolicy = file\n"
                                    "policy_file = policy_folder\n");
    result r = RUN_IN(tmpdir, "run", config, "-o", at("pf"), "--quiet");
    expect_status(&r, 2);
    assert_contains(r.err, "policy_folder': Is a directory");
    assert_contains(r.err, "agent.policy_file");
    assert_true(strstr(r.err, "0 rows") == NULL);
    result_free(&r);
    assert_false(exists(at("pf")));
}

/* SIGTERM exited 130, SIGINT's code, and the resume hint was not quoted for the shell (issue
 * item 15). SIGTERM now exits 143 (128 + 15); the hint, run by the shell as printed, finishes
 * the experiment in a folder whose name holds a space and a quote. */
static void test_sigterm_and_resume_hint(void **state)
{
    (void)state;
    char config[PATH_SIZE], out[PATH_SIZE];
    PATHF(config, "%s", at("term.ini"));
    write_file(config, "[experiment]\nname = term\nepisodes = 200000\nseeds = 4\n[env]\n"
                       "preset = frozenlake8x8\n[agent]\nalgorithm = random\n");
    PATHF(out, "%s", at("it's my dir"));
    process p = start(tmpdir, (const char *const[]){"run", config, "-o", out, "-j", "1",
                                                    "--quiet", NULL});
    char first_run[PATH_SIZE + 32];
    PATHF(first_run, "%s/config.ini", out);
    for (int i = 0; i < 400 && !exists(first_run); i++) {
        struct timespec pause = {0, 10000000};
        nanosleep(&pause, NULL);
    }
    struct timespec pause = {0, 100000000};
    nanosleep(&pause, NULL);
    assert_int_equal(kill(p.pid, SIGTERM), 0);
    result r = finish_within(&p, 20);
    expect_status(&r, 143);
    assert_contains(r.err, "finish them with\n  gridrl run");
    assert_contains(r.err, "'\\''s my dir'"); /* it'\''s my dir, quoted */
    /* The hint, as the shell reads it, with gridrl spelled as the binary's path. */
    char *hint = strstr(r.err, "  gridrl run");
    assert_non_null(hint);
    hint += strlen("  gridrl");
    hint[strcspn(hint, "\n")] = '\0';
    char command[4 * PATH_SIZE];
    PATHF(command, "cd '%s' && '%s'%s > /dev/null 2>&1", tmpdir, GRIDRL_BINARY, hint);
    result_free(&r);
    assert_int_equal(system(command), 0);
    char values[PATH_SIZE + 32];
    PATHF(values, "%s/episodes.csv", out);
    assert_true(exists(values));
}

/* `-o -persist`: the script's path went to gnuplot as its option -persist (issue item 15);
 * the pictures are drawn. */
static void test_dash_folder_plot(void **state)
{
    (void)state;
    if (system("command -v gnuplot > /dev/null 2>&1") != 0 && !getenv("GNUPLOT"))
        skip();
    const char *config = small_config("dash.ini");
    result r = RUN_IN(tmpdir, "run", config, "-o", "-persist", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    r = RUN_IN(tmpdir, "plot", "--what", "grid", "--", "-persist");
    expect_status(&r, 0);
    result_free(&r);
    assert_true(exists(at("-persist/plots/grid_0.png")));
    r = RUN_IN(tmpdir, "run", config, "-o", "-persist", "--force", "--quiet", "-s",
               "experiment.plot=true");
    expect_status(&r, 0);
    assert_true(strstr(r.err, "no plots") == NULL);
    result_free(&r);
}

static int group_setup(void **state)
{
    (void)state;
    rl_gsl_init();
    return tmp_dir_make(tmpdir, sizeof tmpdir, "gridrl_test_harden_") ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    remove_tree(tmpdir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_output_name),
        cmocka_unit_test(test_experiment_name),
        cmocka_unit_test(test_resume_foreign_folder),
        cmocka_unit_test(test_planted_links),
        cmocka_unit_test(test_write_failures),
        cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_config_size_limit),
        cmocka_unit_test(test_overflowing_rewards_diverge),
        cmocka_unit_test(test_planner_truth_overflow),
        cmocka_unit_test(test_interrupt_planner),
        cmocka_unit_test(test_policy_file_folder),
        cmocka_unit_test(test_sigterm_and_resume_hint),
        cmocka_unit_test(test_dash_folder_plot),
        cmocka_unit_test(test_scripts_run_no_shell),
        cmocka_unit_test(test_configuration_count),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/* Tests of the live view (experiments/plot/live.h) through `gridrl run --live`, with
 * gnuplot's dumb terminal: the test reads the text it draws.
 *
 * The experiment makes every return known in advance: a map of one cell with four actions,
 * so every action bumps, and reward_bump swept over -1 and -2 with episodes cut at 4 steps:
 * every episode of configuration 0 returns exactly -4, of configuration 1 exactly -8. The
 * frame's curves must then lie on the rows of the y axis at -4 and -8, which the test finds
 * from the axis's own tick labels, also when episodes.csv keeps only every third episode.
 * Another experiment, long enough to interrupt, checks that Ctrl-C ends the view with the
 * run. Skipped when gnuplot is not installed.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/process.h"
#include "tests/support.h"

#include "experiments/plot/gnuplot.h"

static char tmpdir[PATH_SIZE];
static char gnuplot[PATH_SIZE];
static bool have_gnuplot;

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

static const char known_config[] = "[experiment]\n"
                                   "name = known\n"
                                   "episodes = 30\n"
                                   "seeds = 3\n"
                                   "max_steps = 4\n"
                                   "\n"
                                   "[env]\n"
                                   "map = one.map\n"
                                   "actions = 4\n"
                                   "reward_bump = -1, -2\n"
                                   "\n"
                                   "[agent]\n"
                                   "algorithm = random\n";

/* The last frame: the text after the last form feed (the dumb terminal starts each page
 * with one). */
static const char *last_frame(const char *out)
{
    const char *frame = strrchr(out, '\f');
    if (!frame)
        fail_msg("no frame drawn in:\n%s", out);
    return frame + 1;
}

/* The y value of the frame's first line holding mark inside the plot's frame, from the two
 * nearest labelled tick rows ("  -4.5 |-+ ...": a number, then the left border). */
static double row_value(const char *frame, char mark)
{
    double tick_value[64];
    int tick_row[64], n_ticks = 0, mark_row = -1, row = 0;
    for (const char *line = frame; *line; row++) {
        size_t len = strcspn(line, "\n");
        double v;
        int used = 0;
        if (n_ticks < 64 && sscanf(line, " %lf %n", &v, &used) == 1 && used > 0 &&
            (line[used] == '|' || line[used] == '+')) {
            tick_value[n_ticks] = v;
            tick_row[n_ticks++] = row;
        }
        /* The mark inside the frame: between the first and last '|' of the line. */
        const char *left = memchr(line, '|', len);
        if (mark_row < 0 && left) {
            const char *right = left + 1;
            for (const char *c = left + 1; c < line + len; c++)
                if (*c == '|')
                    right = c;
            if (memchr(left + 1, mark, (size_t)(right - left - 1)))
                mark_row = row;
        }
        line += len + (line[len] == '\n');
    }
    if (mark_row < 0 || n_ticks < 2)
        fail_msg("no '%c' curve or no y axis in the frame:\n%s", mark, frame);
    /* Rows grow downwards, values upwards: interpolate between the first and last tick. */
    double slope = (tick_value[n_ticks - 1] - tick_value[0]) /
                   (double)(tick_row[n_ticks - 1] - tick_row[0]);
    return tick_value[0] + slope * (double)(mark_row - tick_row[0]);
}

/* The tick spacing in value per row of the frame, for the tolerance. */
static double value_per_row(const char *frame)
{
    double first = NAN, last = NAN;
    int first_row = -1, last_row = -1, row = 0;
    for (const char *line = frame; *line; row++) {
        size_t len = strcspn(line, "\n");
        double v;
        int used = 0;
        if (sscanf(line, " %lf %n", &v, &used) == 1 && used > 0 &&
            (line[used] == '|' || line[used] == '+')) {
            if (first_row < 0) {
                first = v;
                first_row = row;
            }
            last = v;
            last_row = row;
        }
        line += len + (line[len] == '\n');
    }
    assert_true(last_row > first_row);
    return fabs(last - first) / (double)(last_row - first_row);
}

static int setup(void **state)
{
    (void)state;
    have_gnuplot = rl_gnuplot_find(NULL, gnuplot, sizeof gnuplot, NULL) == RL_OK;
    char path[PATH_SIZE + 32];
    PATHF(path, "%s/one.map", tmpdir);
    write_file(path, "S\n");
    PATHF(path, "%s/known.ini", tmpdir);
    write_file(path, known_config);
    return 0;
}

static void test_known_curves(void **state)
{
    (void)state;
    if (!have_gnuplot)
        skip();
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    result r = RUN_IN(tmpdir, "run", "known.ini", "-o", "known", "--live");
    expect_status(&r, 0);
    const char *frame = last_frame(r.out);
    /* The last frame is drawn after the last run: all 2 x 3 runs. */
    assert_contains(frame, "known on one.map: mean return of 6/6 finished runs");
    /* Labels: the algorithm and the swept value; dumb gnuplot draws lines 1 and 2 with '*'
     * and '#'. */
    assert_contains(frame, "random, reward_bump = -1 *");
    assert_contains(frame, "random, reward_bump = -2 #");
    double per_row = value_per_row(frame);
    assert_close(row_value(frame, '*'), -4.0, per_row);
    assert_close(row_value(frame, '#'), -8.0, per_row);
    /* After the view, the run's own report. */
    assert_contains(r.out, "known: 6 runs");
    result_free(&r);

    /* Episodes thinned by log_every_episodes (3, 6, ..., 30 kept): the same two lines. */
    r = RUN_IN(tmpdir, "run", "known.ini", "-o", "thinned", "--live", "-s",
               "experiment.log_every_episodes=3");
    expect_status(&r, 0);
    frame = last_frame(r.out);
    assert_contains(frame, "6/6 finished runs");
    per_row = value_per_row(frame);
    assert_close(row_value(frame, '*'), -4.0, per_row);
    assert_close(row_value(frame, '#'), -8.0, per_row);
    result_free(&r);

    /* The same from the config's own key. */
    char path[PATH_SIZE + 32], *text;
    PATHF(path, "%s/keyed.ini", tmpdir);
    size_t len = strlen(known_config) + 32;
    text = malloc(len);
    assert_non_null(text);
    snprintf(text, len, "%s", known_config);
    char *experiment_end = strstr(text, "\n\n[env]");
    assert_non_null(experiment_end);
    memmove(experiment_end + strlen("\nlive = true"), experiment_end, strlen(experiment_end) + 1);
    memcpy(experiment_end, "\nlive = true", strlen("\nlive = true"));
    write_file(path, text);
    free(text);
    r = RUN_IN(tmpdir, "run", "keyed.ini", "-o", "keyed");
    expect_status(&r, 0);
    assert_contains(last_frame(r.out), "6/6 finished runs");
    result_free(&r);
    /* --quiet wins over the key; with --live it is a usage error. */
    r = RUN_IN(tmpdir, "run", "keyed.ini", "-o", "keyed", "--force", "--quiet");
    expect_status(&r, 0);
    assert_string_equal(r.out, "");
    result_free(&r);
    r = RUN_IN(tmpdir, "run", "known.ini", "-o", "known", "--force", "--quiet", "--live");
    expect_status(&r, 2);
    assert_contains(r.err, "--live and --quiet");
    result_free(&r);
}

/* A display named but no window terminal in this gnuplot (Debian's gnuplot-nox): the view
 * says so and draws text. */
static void test_no_window_terminal(void **state)
{
    (void)state;
    if (!have_gnuplot || rl_gnuplot_has_terminal(gnuplot, "qt") ||
        rl_gnuplot_has_terminal(gnuplot, "wxt") || rl_gnuplot_has_terminal(gnuplot, "x11"))
        skip();
    setenv("DISPLAY", ":77", 1);
    result r = RUN_IN(tmpdir, "run", "known.ini", "-o", "display", "--live");
    unsetenv("DISPLAY");
    expect_status(&r, 0);
    assert_contains(r.err, "no gnuplot window terminal");
    assert_contains(last_frame(r.out), "6/6 finished runs");
    result_free(&r);
}

/* No gnuplot: the runs go on, with a note. */
static void test_no_gnuplot(void **state)
{
    (void)state;
    setenv("GNUPLOT", "/nonexistent/gnuplot", 1);
    result r = RUN_IN(tmpdir, "run", "known.ini", "-o", "nognuplot", "--live");
    unsetenv("GNUPLOT");
    expect_status(&r, 0);
    assert_contains(r.err, "no live view: gnuplot not found");
    assert_contains(r.out, "known: 6 runs");
    result_free(&r);
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Ctrl-C while the view draws: the program ends promptly with the shell's status for
 * SIGINT, having drawn at least one frame (or said that no run has finished yet), and
 * leaves no gnuplot behind (its output file closes, which finish() waits for). */
static void test_interrupt(void **state)
{
    (void)state;
    if (!have_gnuplot)
        skip();
    char path[PATH_SIZE + 32];
    PATHF(path, "%s/long.ini", tmpdir);
    /* 4 configurations x 2 seeds of 2 x 10^8 steps (episodes of 1000): seconds per run on
     * any machine, and the runner looks at the signal between episodes. */
    write_file(path, "[experiment]\nname = long\nepisodes = 200000\nseeds = 2\n"
                     "max_steps = 1000\n"
                     "[env]\nmap = one.map\nactions = 4\nreward_bump = -1, -2, -3, -4\n"
                     "[agent]\nalgorithm = random\n");
    process p = start(tmpdir, (const char *const[]){"run", "long.ini", "-o", "long", "-j", "2",
                                                    "--live", NULL});
    struct timespec wait = {3, 0};
    nanosleep(&wait, NULL);
    double signalled = now_seconds();
    assert_int_equal(kill(p.pid, SIGINT), 0);
    result r = finish(&p);
    double stopped = now_seconds() - signalled;
    expect_status(&r, 130);
    assert_contains(r.err, "interrupted");
    /* The first frame comes after 2 s. */
    if (!strstr(r.out, "finished runs") && !strstr(r.out, "no learning curve yet"))
        fail_msg("nothing drawn in 3 s:\n%s", r.out);
    if (stopped > 3.0)
        fail_msg("the program took %.2f s to stop after SIGINT", stopped);
    result_free(&r);
}

int main(void)
{
    if (!tmp_dir_make(tmpdir, sizeof tmpdir, "gridrl_test_live_")) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_curves),
        cmocka_unit_test(test_no_window_terminal),
        cmocka_unit_test(test_no_gnuplot),
        cmocka_unit_test(test_interrupt),
    };
    int failed = cmocka_run_group_tests(tests, setup, NULL);
    if (!failed)
        remove_tree(tmpdir);
    return failed;
}

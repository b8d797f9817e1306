/* Tests of `gridrl plot` (experiments/plot.h) and of the data files it feeds gnuplot
 * (experiments/plot_data.h).
 *
 * The group setup runs the built program (GRIDRL_BINARY) on three small experiments in a
 * temporary directory: value iteration on Zhao's 5x5 grid (a planner), the random agent on
 * the same grid with the target terminal, swept over reward_forbidden (2 configurations x 3
 * seeds, a learner), off-policy Q-learning logging its value error every 200 steps (2
 * values of q0 x 3 seeds), and offline DQN logging its loss and value error every 5 training
 * updates (2 learning rates x 3 seeds). The tests plot them and check that each picture is a real file of
 * the requested format, that the numbers given to gnuplot are the results' numbers
 * (recomputed here from policy.csv, summary.csv, episodes.csv, steps.csv and updates.csv),
 * and the error
 * paths: no gnuplot, an empty directory, nothing that applies, bad options. Data files
 * written by hand check the arrow geometry of every action name, the sweep statistics and
 * the per-step summary against hand computations.
 *
 * Tests that need gnuplot are skipped when it is not installed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/process.h"
#include "tests/support.h"

#include "experiments/plot/plot.h"
#include "experiments/plot/plot_data.h"
#include "experiments/plot/plot_surface.h"
#include "rl/rng.h"

/* 1 / sqrt(2), the components of a diagonal unit vector (SQRT1_2 is not C11). */
#define SQRT1_2 0.70710678118654752440

static char tmpdir[PATH_SIZE], vi_dir[PATH_SIZE], random_dir[PATH_SIZE], steps_dir[PATH_SIZE],
    linear_dir[PATH_SIZE], updates_dir[PATH_SIZE];
static bool have_gnuplot;

/* snprintf into an array that fails the test instead of truncating. */
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

static void need_gnuplot(void)
{
    if (!have_gnuplot)
        skip();
}

/* ---- CSV files read back -------------------------------------------------------------- */

/* A whole CSV file: the header's names and every row's fields. */
typedef struct table {
    char *text;
    size_t n_columns, n_rows;
    char **cells; /* (n_rows + 1) * n_columns: the header first */
} table;

static table table_read(const char *path)
{
    table t = {0};
    t.text = slurp(path);
    if (!t.text)
        fail_msg("cannot read %s", path);
    size_t capacity = 0, n_cells = 0;
    for (char *line = t.text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t fields = 0;
        for (char *p = line;; fields++) {
            if (n_cells == capacity) {
                capacity = capacity ? 2 * capacity : 1024;
                t.cells = realloc(t.cells, capacity * sizeof *t.cells);
                assert_non_null(t.cells);
            }
            t.cells[n_cells++] = p;
            char *comma = strchr(p, ',');
            if (!comma) {
                fields++;
                break;
            }
            *comma = '\0';
            p = comma + 1;
        }
        if (!t.n_columns)
            t.n_columns = fields;
        else if (fields != t.n_columns)
            fail_msg("%s: a row of %zu fields, header %zu", path, fields, t.n_columns);
        else
            t.n_rows++;
    }
    return t;
}

static void table_free(table *t)
{
    free(t->text);
    free(t->cells);
}

static size_t column(const table *t, const char *name)
{
    for (size_t j = 0; j < t->n_columns; j++)
        if (strcmp(t->cells[j], name) == 0)
            return j;
    fail_msg("no column %s", name);
    return 0;
}

static const char *text_at(const table *t, size_t row, const char *name)
{
    return t->cells[(row + 1) * t->n_columns + column(t, name)];
}

static double number_at(const table *t, size_t row, const char *name)
{
    const char *text = text_at(t, row, name);
    return text[0] ? strtod(text, NULL) : NAN;
}

/* ---- pictures -------------------------------------------------------------------------- */

/* Checks that path is a file of the format (its signature) and larger than 2 KB, which no
 * picture with axes, cells or curves is below. */
static void expect_picture_file(const char *path, rl_plot_format format)
{
    struct stat st;
    if (stat(path, &st) != 0)
        fail_msg("no picture %s", path);
    if (st.st_size <= 2048)
        fail_msg("%s has %lld bytes, expected more than 2 KB", path, (long long)st.st_size);
    unsigned char head[16] = {0};
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    assert_true(n >= 8);
    if (format == RL_PLOT_PNG)
        assert_memory_equal(head, "\x89PNG\r\n\x1a\n", 8);
    else if (format == RL_PLOT_SVG)
        assert_true(memcmp(head, "<?xml", 5) == 0 || memcmp(head, "<svg", 4) == 0);
    else
        assert_memory_equal(head, "%PDF", 4);
}

static void expect_picture(const char *dir, const char *name, rl_plot_format format)
{
    char path[PATH_SIZE];
    PATHF(path, "%s/plots/%s", dir, name);
    expect_picture_file(path, format);
}

static void expect_no_file(const char *dir, const char *name)
{
    char path[PATH_SIZE];
    PATHF(path, "%s/plots/%s", dir, name);
    if (exists(path))
        fail_msg("%s should not exist", path);
}

/* ---- the data writers on one experiment ------------------------------------------------ */

/* DIR/plots, the default picture folder (one static buffer per call site is not needed:
 * callers use it at once). */
static const char *plots_of(const char *dir)
{
    static char plots[4][PATH_SIZE + 16];
    static int next;
    char *p = plots[next++ % 4];
    snprintf(p, PATH_SIZE + 16, "%s/plots", dir);
    return p;
}

/* The experiment in dir with every configuration selected; fails the test if unreadable. */
static rl_plot_experiment experiment(const char *dir)
{
    rl_plot_experiment e;
    rl_error err;
    rl_error_clear(&err);
    if (rl_plot_experiment_read(dir, &e, &err) != RL_OK)
        fail_msg("cannot read the experiment in %s: %s", dir, err.message);
    return e;
}

static int write_sweep(const char *dir, rl_plot_metric metric, size_t first, size_t last,
                       rl_plot_sweep_info *info, rl_error *err)
{
    rl_plot_experiment e = experiment(dir);
    int rc = rl_plot_write_sweep(&e, 1, plots_of(dir), metric, RL_PLOT_MEAN, first, last, info,
                                 err);
    free(info->line_experiment);
    free(info->line_config);
    info->line_experiment = info->line_config = NULL;
    rl_plot_experiment_free(&e);
    return rc;
}

static int write_curves(const char *dir, rl_plot_metric metric, size_t smooth,
                        rl_plot_curves_info *info, rl_error *err)
{
    rl_plot_experiment e = experiment(dir);
    int rc = rl_plot_write_curves(&e, 1, plots_of(dir), metric, RL_PLOT_MEAN, smooth, true,
                                  info, err);
    rl_plot_experiment_free(&e);
    return rc;
}

static int write_steps(const char *dir, rl_plot_curves_info *info, rl_error *err)
{
    rl_plot_experiment e = experiment(dir);
    int rc = rl_plot_write_steps(&e, 1, plots_of(dir), true, info, err);
    rl_plot_experiment_free(&e);
    return rc;
}

static int write_updates(const char *dir, const char *column, rl_plot_curves_info *info,
                         rl_error *err)
{
    rl_plot_experiment e = experiment(dir);
    int rc = rl_plot_write_updates(&e, 1, plots_of(dir), column, true, info, err);
    rl_plot_experiment_free(&e);
    return rc;
}

/* ---- the experiments ------------------------------------------------------------------- */

static const char vi_config[] = "[experiment]\n"
                                "name = vi\n"
                                "\n"
                                "[env]\n"
                                "preset = zhao5x5\n"
                                "\n"
                                "[agent]\n"
                                "algorithm = value_iteration\n"
                                "gamma = 0.9\n";

/* The random agent stops at the target (or after 30 steps); forbidden cells cost -1 or -10,
 * so the two configurations' returns differ. */
static const char random_config[] = "[experiment]\n"
                                    "name = random\n"
                                    "episodes = 12\n"
                                    "seeds = 3\n"
                                    "max_steps = 30\n"
                                    "\n"
                                    "[env]\n"
                                    "preset = zhao5x5\n"
                                    "goal_terminal = true\n"
                                    "reward_forbidden = -1, -10\n"
                                    "\n"
                                    "[agent]\n"
                                    "algorithm = random\n"
                                    "gamma = 0.9\n";

/* Zhao's Fig 7.4 in small: one episode of 2000 steps under the uniform behaviour policy,
 * value_rmse logged at steps 200, 400, ..., 2000. */
static const char steps_config[] = "[experiment]\n"
                                   "name = steps\n"
                                   "steps = 2000\n"
                                   "seeds = 3\n"
                                   "start = uniform\n"
                                   "log_every_steps = 200\n"
                                   "\n"
                                   "[env]\n"
                                   "preset = zhao5x5\n"
                                   "\n"
                                   "[agent]\n"
                                   "algorithm = q_learning\n"
                                   "behavior = uniform\n"
                                   "alpha = 0.1\n"
                                   "gamma = 0.9\n"
                                   "q0 = 0, 10\n";

/* TD-Linear on Zhao's grid world: a surface's estimate and exact values (Fig 8.8). */
static const char linear_config[] = "[experiment]\n"
                                    "name = linear\n"
                                    "episodes = 3\n"
                                    "seeds = 2\n"
                                    "max_steps = 50\n"
                                    "start = uniform\n"
                                    "\n"
                                    "[env]\n"
                                    "preset = zhao5x5\n"
                                    "\n"
                                    "[agent]\n"
                                    "algorithm = td_linear\n"
                                    "features = polynomial\n"
                                    "order = 1, 2\n"
                                    "alpha = 0.01\n"
                                    "gamma = 0.9\n";
/* Zhao's Fig 8.11 in small: one uniform episode of 60 steps, then 20 updates of a small
 * network, loss and value_rmse logged at updates 5, 10, 15, 20. */
static const char updates_config[] = "[experiment]\n"
                                     "name = updates\n"
                                     "episodes = 1\n"
                                     "max_steps = 60\n"
                                     "seeds = 3\n"
                                     "start = 0 0\n"
                                     "log_every_updates = 5\n"
                                     "\n"
                                     "[env]\n"
                                     "preset = zhao5x5\n"
                                     "\n"
                                     "[agent]\n"
                                     "algorithm = dqn\n"
                                     "behavior = uniform\n"
                                     "hidden = 8\n"
                                     "batch = 8\n"
                                     "warmup = 0\n"
                                     "updates = 20\n"
                                     "lr = 0.001, 0.01\n";

static bool on_path(const char *name)
{
    const char *path = getenv("PATH");
    for (const char *p = path ? path : ""; *p;) {
        size_t len = strcspn(p, ":");
        char full[PATH_SIZE];
        if (snprintf(full, sizeof full, "%.*s/%s", (int)len, p, name) < (int)sizeof full &&
            access(full, X_OK) == 0)
            return true;
        p += len + (p[len] == ':');
    }
    return false;
}

static int setup(void **state)
{
    (void)state;
    const char *g = getenv("GNUPLOT");
    have_gnuplot = g && g[0] ? access(g, X_OK) == 0 : on_path("gnuplot");
    char config[PATH_SIZE];
    PATHF(config, "%s/vi.ini", tmpdir);
    write_file(config, vi_config);
    PATHF(vi_dir, "%s/vi", tmpdir);
    result r = RUN("run", config, "-o", vi_dir, "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    PATHF(config, "%s/random.ini", tmpdir);
    write_file(config, random_config);
    PATHF(random_dir, "%s/random", tmpdir);
    r = RUN("run", config, "-o", random_dir, "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    PATHF(config, "%s/steps.ini", tmpdir);
    write_file(config, steps_config);
    PATHF(steps_dir, "%s/steps", tmpdir);
    r = RUN("run", config, "-o", steps_dir, "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    PATHF(config, "%s/linear.ini", tmpdir);
    write_file(config, linear_config);
    PATHF(linear_dir, "%s/linear", tmpdir);
    r = RUN("run", config, "-o", linear_dir, "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    PATHF(config, "%s/updates.ini", tmpdir);
    write_file(config, updates_config);
    PATHF(updates_dir, "%s/updates", tmpdir);
    r = RUN("run", config, "-o", updates_dir, "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    return 0;
}

/* ---- pictures of each kind -------------------------------------------------------------- */

static void test_planner_pictures(void **state)
{
    (void)state;
    need_gnuplot();
    result r = RUN("plot", vi_dir);
    expect_status(&r, 0);
    /* A planner has no episodes: no learning curves, no sweep, each with a note. */
    assert_contains(r.out, "skipped learning curves");
    assert_contains(r.out, "skipped sweep");
    assert_contains(r.out, "grid_0.png");
    result_free(&r);
    expect_picture(vi_dir, "grid_0.png", RL_PLOT_PNG);
    expect_picture(vi_dir, "convergence.png", RL_PLOT_PNG);
    expect_no_file(vi_dir, "learning_curve_return.png");
    expect_no_file(vi_dir, "grid_1.png"); /* one configuration */

    /* The scripts that drew them are the shipped ones, byte for byte. */
    const char *const scripts[] = {"grid.gp", "convergence.gp"};
    for (int i = 0; i < 2; i++) {
        char shipped[PATH_SIZE], written[PATH_SIZE];
        PATHF(shipped, "%s/plots/%s", GRIDRL_SOURCE_DIR, scripts[i]);
        PATHF(written, "%s/plots/%s", vi_dir, scripts[i]);
        char *a = slurp(shipped), *b = slurp(written);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
}

static void test_learner_pictures(void **state)
{
    (void)state;
    need_gnuplot();
    result r = RUN("plot", random_dir);
    expect_status(&r, 0);
    assert_contains(r.out, "skipped convergence");
    assert_contains(r.out, "skipped per-step curve: no steps.csv");
    result_free(&r);
    expect_picture(random_dir, "learning_curve_return.png", RL_PLOT_PNG);
    expect_picture(random_dir, "sweep_return.png", RL_PLOT_PNG);
    expect_picture(random_dir, "grid_0.png", RL_PLOT_PNG);
    expect_picture(random_dir, "grid_1.png", RL_PLOT_PNG);
    expect_no_file(random_dir, "convergence.png");
}

static void test_formats(void **state)
{
    (void)state;
    need_gnuplot();
    result r = RUN("plot", random_dir, "--format", "svg", "--what",
                   "curves,grid", "--metric", "length");
    expect_status(&r, 0);
    result_free(&r);
    expect_picture(random_dir, "learning_curve_length.svg", RL_PLOT_SVG);
    expect_picture(random_dir, "grid_1.svg", RL_PLOT_SVG);
    expect_no_file(random_dir, "sweep_length.svg"); /* not asked for */

    r = RUN("plot", vi_dir, "--format=pdf", "--what", "grid", "--heat");
    expect_status(&r, 0);
    result_free(&r);
    expect_picture(vi_dir, "grid_0.pdf", RL_PLOT_PDF);
    expect_no_file(vi_dir, "convergence.pdf");

    r = RUN("plot", vi_dir, "--format", "pdf", "--what", "convergence");
    expect_status(&r, 0);
    result_free(&r);
    expect_picture(vi_dir, "convergence.pdf", RL_PLOT_PDF);
}

/* The text of every <text> element of an SVG picture gnuplot drew, one a line, with '^'
 * before a raised part (enhanced text: 10^{-2} is "10" then a raised "-2"). */
static char *svg_texts(const char *path)
{
    char *svg = slurp(path);
    if (!svg)
        fail_msg("cannot read %s", path);
    char *out = calloc(strlen(svg) + 1, 1);
    assert_non_null(out);
    size_t n = 0;
    for (const char *t = svg; (t = strstr(t, "<text>"));) {
        const char *end = strstr(t, "</text>");
        assert_non_null(end);
        if (t[6] != '<') /* plain text, no parts */
            for (const char *c = t + 6; c < end; c++)
                out[n++] = *c;
        for (const char *span = t; (span = strstr(span, "<tspan")) && span < end;) {
            const char *close = strchr(span, '>');
            const char *raised = strstr(span, "dy=\"-");
            if (raised && raised < close)
                out[n++] = '^';
            for (const char *c = close + 1; *c && *c != '<'; c++)
                out[n++] = *c;
            span = close;
        }
        out[n++] = '\n';
        t = end;
    }
    free(svg);
    return out;
}

/* Log axes are labelled one way, in powers of ten: the steps picture's y axis (value errors
 * from about 10 down to 10^-2 here) and a sweep's x axis over step sizes 0.001, 0.01, 0.1
 * (two decades: also 2 and 5 times the powers). No tick reads 0.01 or 1e-05. */
static void test_log_ticks(void **state)
{
    (void)state;
    need_gnuplot();
    result r = RUN("plot", steps_dir, "--what", "steps", "--format", "svg");
    expect_status(&r, 0);
    result_free(&r);
    char path[PATH_SIZE];
    PATHF(path, "%s/plots/steps_value_rmse.svg", steps_dir);
    char *texts = svg_texts(path);
    assert_contains(texts, "\n10^0\n");
    assert_contains(texts, "\n10^1\n");
    assert_true(strstr(texts, "\n0.1\n") == NULL && strstr(texts, "e-0") == NULL &&
                strstr(texts, "e+0") == NULL);
    free(texts);

    char config[PATH_SIZE], dir[PATH_SIZE];
    PATHF(config, "%s/logx.ini", tmpdir);
    write_file(config, "[experiment]\nname = logx\nepisodes = 4\nseeds = 2\nmax_steps = 20\n"
                       "[env]\npreset = zhao5x5\n"
                       "[agent]\nalgorithm = q_learning\nalpha = 0.001, 0.01, 0.1\n");
    PATHF(dir, "%s/logx", tmpdir);
    r = RUN("run", config, "-o", dir, "--quiet");
    expect_status(&r, 0);
    result_free(&r);
    r = RUN("plot", dir, "--what", "sweep", "--format", "svg");
    expect_status(&r, 0);
    result_free(&r);
    PATHF(path, "%s/plots/sweep_return.svg", dir);
    texts = svg_texts(path);
    assert_contains(texts, "\n10^-3\n");
    assert_contains(texts, "\n10^-2\n");
    assert_contains(texts, "\n10^-1\n");
    assert_contains(texts, "\n2·10^-3\n");
    assert_contains(texts, "\n5·10^-2\n");
    assert_true(strstr(texts, "\n0.01\n") == NULL && strstr(texts, "\n0.001\n") == NULL);
    /* Names keep their underscores (no enhanced-text subscripts): the legend. */
    assert_contains(texts, "Q-learning");
    free(texts);
}

/* The library entry point the runner calls, with the defaults. */
static void test_plot_dir_function(void **state)
{
    (void)state;
    need_gnuplot();
    rl_plot_options o = RL_PLOT_OPTIONS_DEFAULT;
    o.what = RL_PLOT_CONVERGENCE;
    rl_error err;
    rl_error_clear(&err);
    char picture[PATH_SIZE];
    PATHF(picture, "%s/plots/convergence.png", vi_dir);
    remove(picture);
    assert_int_equal(rl_plot_dir(vi_dir, &o, &err), RL_OK);
    expect_picture(vi_dir, "convergence.png", RL_PLOT_PNG);
    assert_int_equal(rl_plot_dir(vi_dir, NULL, &err), RL_OK);
    expect_picture(vi_dir, "grid_0.png", RL_PLOT_PNG);

    o.gnuplot = "/nonexistent/gnuplot";
    assert_int_equal(rl_plot_dir(vi_dir, &o, &err), RL_ENOTFOUND);
    assert_contains(err.message, "gnuplot");
}

/* ---- the arrows given to gnuplot --------------------------------------------------------- */

/* The unit direction of each action as the book draws it, rows growing downwards. */
static void direction(const char *action, double *ux, double *uy)
{
    static const struct {
        const char *name;
        double ux, uy;
    } D[] = {
        {"up", 0, -1},       {"right", 1, 0},
        {"down", 0, 1},      {"left", -1, 0},
        {"stay", 0, 0},      {"up_right", SQRT1_2, -SQRT1_2},
        {"down_right", SQRT1_2, SQRT1_2}, {"down_left", -SQRT1_2, SQRT1_2},
        {"up_left", -SQRT1_2, -SQRT1_2},
    };
    for (size_t i = 0; i < sizeof D / sizeof D[0]; i++)
        if (strcmp(D[i].name, action) == 0) {
            *ux = D[i].ux;
            *uy = D[i].uy;
            return;
        }
    fail_msg("unexpected action %s", action);
}

/* Every policy.csv row of a replicate-0 run (run = config * seeds) has its arrow, in order:
 * x = col, y = row, (dx, dy) = probability * 0.42 * the action's direction. */
static void check_arrows(const char *dir, size_t seeds, size_t expected_rows)
{
    char path[PATH_SIZE];
    PATHF(path, "%s/policy.csv", dir);
    table policy = table_read(path);
    PATHF(path, "%s/plots/arrows.csv", dir);
    table arrows = table_read(path);
    assert_int_equal(arrows.n_rows, expected_rows);
    size_t a = 0;
    for (size_t i = 0; i < policy.n_rows; i++) {
        size_t run = (size_t)number_at(&policy, i, "run");
        if (run % seeds != 0)
            continue;
        assert_true(a < arrows.n_rows);
        assert_int_equal((size_t)number_at(&arrows, a, "config"), run / seeds);
        assert_int_equal((size_t)number_at(&arrows, a, "run"), run);
        assert_string_equal(text_at(&arrows, a, "action"), text_at(&policy, i, "action"));
        assert_close(number_at(&arrows, a, "x"), number_at(&policy, i, "col"), 0);
        assert_close(number_at(&arrows, a, "y"), number_at(&policy, i, "row"), 0);
        double p = number_at(&policy, i, "probability"), ux = 0.0, uy = 0.0;
        assert_close(number_at(&arrows, a, "probability"), p, 0);
        direction(text_at(&policy, i, "action"), &ux, &uy);
        assert_close(number_at(&arrows, a, "dx"), 0.42 * p * ux, 1e-11);
        assert_close(number_at(&arrows, a, "dy"), 0.42 * p * uy, 1e-11);
        /* The tail: half the arrow back from the centre for a sure action (centred), the
         * centre for one of several. */
        double back = p >= 1 ? 0.21 : 0.0;
        assert_close(number_at(&arrows, a, "x0"), number_at(&policy, i, "col") - back * ux,
                     1e-11);
        assert_close(number_at(&arrows, a, "y0"), number_at(&policy, i, "row") - back * uy,
                     1e-11);
        a++;
    }
    assert_int_equal(a, arrows.n_rows);
    table_free(&policy);
    table_free(&arrows);
}

static void test_arrows_match_policy(void **state)
{
    (void)state;
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(rl_plot_write_arrows(vi_dir, plots_of(vi_dir), &err), RL_OK);
    /* 25 cells, none a wall or terminal (the target is not terminal here), 5 actions. */
    check_arrows(vi_dir, 1, 125);

    /* Fig 3.4(a)'s optimal policy at the top-right cell (0, 4) is "down"; its arrow is a
     * full-length one pointing down. */
    char path[PATH_SIZE];
    PATHF(path, "%s/plots/arrows.csv", vi_dir);
    table arrows = table_read(path);
    bool found = false;
    for (size_t i = 0; i < arrows.n_rows; i++)
        if (number_at(&arrows, i, "row") == 0 && number_at(&arrows, i, "col") == 4 &&
            strcmp(text_at(&arrows, i, "action"), "down") == 0) {
            assert_close(number_at(&arrows, i, "dy"), 0.42, 1e-12);
            found = true;
        }
    assert_true(found);
    table_free(&arrows);

    /* The random agent: replicates 0 of configurations 0 and 1 (runs 0 and 3); 24 decision
     * cells (the target is terminal) x 5 actions each; every arrow 0.2 * 0.42 long. */
    assert_int_equal(rl_plot_write_arrows(random_dir, plots_of(random_dir), &err), RL_OK);
    check_arrows(random_dir, 3, 2 * 24 * 5);
}

/* Hand-written results with king's moves: every direction, and a bad action name. */
static void test_arrow_directions(void **state)
{
    (void)state;
    char dir[PATH_SIZE], path[PATH_SIZE];
    PATHF(dir, "%s/kings", tmpdir);
    mkdir(dir, 0777);
    PATHF(path, "%s/plots", dir);
    mkdir(path, 0777);
    PATHF(path, "%s/configs.csv", dir);
    write_file(path, "config,algorithm\n0,value_iteration\n");
    PATHF(path, "%s/runs.csv", dir);
    write_file(path, "run,config,replicate,rng_seed,status,episodes,steps,iterations\n"
                     "0,0,0,1,converged,0,0,1\n"
                     "1,0,1,2,converged,0,0,1\n");
    PATHF(path, "%s/policy.csv", dir);
    write_file(path, "run,state,row,col,action,probability\n"
                     "0,7,1,2,up,0.5\n"
                     "0,7,1,2,right,0.25\n"
                     "0,7,1,2,down,0\n"
                     "0,7,1,2,left,0\n"
                     "0,7,1,2,up_right,0.125\n"
                     "0,7,1,2,down_right,0\n"
                     "0,7,1,2,down_left,0.125\n"
                     "0,7,1,2,up_left,0\n"
                     "0,7,1,2,stay,0\n"
                     "1,7,1,2,up,1\n");
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(rl_plot_write_arrows(dir, plots_of(dir), &err), RL_OK);
    PATHF(path, "%s/plots/arrows.csv", dir);
    table t = table_read(path);
    assert_int_equal(t.n_rows, 9); /* run 1 is replicate 1: left out */
    /* up 0.5: 0.21 cells up; right 0.25: 0.105 right; up_right 0.125: 0.0525 cells along
     * the diagonal, 0.0525 / sqrt(2) = 0.0371231 on each axis; down_left the same, mirrored. */
    const double dx[9] = {0, 0.105, 0, 0, 0.0525 * SQRT1_2, 0, -0.0525 * SQRT1_2, 0, 0};
    const double dy[9] = {-0.21, 0, 0, 0, -0.0525 * SQRT1_2, 0, 0.0525 * SQRT1_2, 0, 0};
    for (size_t i = 0; i < 9; i++) {
        assert_close(number_at(&t, i, "x"), 2, 0);
        assert_close(number_at(&t, i, "y"), 1, 0);
        assert_close(number_at(&t, i, "dx"), dx[i], 1e-12);
        assert_close(number_at(&t, i, "dy"), dy[i], 1e-12);
    }
    table_free(&t);

    PATHF(path, "%s/policy.csv", dir);
    write_file(path, "run,state,row,col,action,probability\n"
                     "0,7,1,2,up,0.5\n"
                     "0,7,1,2,jump,0.5\n");
    /* Not a move on a grid (an MDP file's action): unsupported, the grid picture skipped. */
    assert_int_equal(rl_plot_write_arrows(dir, plots_of(dir), &err), RL_EUNSUPPORTED);
    assert_contains(err.message, "'jump'");
    assert_contains(err.file, "policy.csv");
    assert_int_equal(err.line, 3);
}

/* ---- the sweep's numbers ------------------------------------------------------------------ */

/* Student's t quantile t_{0.975, n - 1}, from tables: n = 2 and n = 3. */
static double t975(size_t n)
{
    return n == 2 ? 12.706204736174698 : 4.302652729911275;
}

/* The mean, and the 95% t-interval's half width, of x[0..n). */
static void mean_interval(const double *x, size_t n, double *mean, double *half)
{
    double sum = 0, squares = 0;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    *mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        squares += (x[i] - *mean) * (x[i] - *mean);
    *half = t975(n) * sqrt(squares / (double)(n - 1)) / sqrt((double)n);
}

/* Hand-written results: 2 algorithms x alpha in {0.5, 0.1}, 2 runs each, 3 episodes each. */
static void write_sweep_fixture(const char *dir, bool with_score_episodes)
{
    char path[PATH_SIZE];
    mkdir(dir, 0777);
    PATHF(path, "%s/plots", dir);
    mkdir(path, 0777);
    PATHF(path, "%s/configs.csv", dir);
    write_file(path, "config,algorithm,alpha\n"
                     "0,sarsa,0.5\n"
                     "1,sarsa,0.1\n"
                     "2,q_learning,0.5\n"
                     "3,q_learning,0.1\n");
    PATHF(path, "%s/runs.csv", dir);
    write_file(path, "run,config,replicate,rng_seed,status,episodes,steps,iterations\n"
                     "0,0,0,1,completed,3,9,0\n1,0,1,1,completed,3,9,0\n"
                     "2,1,0,1,completed,3,9,0\n3,1,1,1,completed,3,9,0\n"
                     "4,2,0,1,completed,3,9,0\n5,2,1,1,completed,3,9,0\n"
                     "6,3,0,1,completed,3,9,0\n7,3,1,1,completed,3,9,0\n");
    /* Returns per run: episodes 1, 2, 3. */
    static const double R[8][3] = {{-10, -4, -1}, {-8, -6, -3}, {-20, -10, -5}, {-30, -9, -6},
                                   {-12, -2, -2}, {-6, -4, -4}, {-40, -20, -1}, {-2, -2, -2}};
    char text[4096] = "run,episode,return,discounted_return,length,outcome,value_rmse\n";
    for (int run = 0; run < 8; run++)
        for (int e = 0; e < 3; e++) {
            char line[128];
            snprintf(line, sizeof line, "%d,%d,%g,%g,%d,terminated,\n", run, e + 1, R[run][e],
                     R[run][e], 3);
            strcat(text, line);
        }
    PATHF(path, "%s/episodes.csv", dir);
    write_file(path, text);
    PATHF(path, "%s/config.ini", dir);
    write_file(path, with_score_episodes ? "[experiment]\nname = s\nscore_episodes = 1\n"
                                           "[agent]\nscore_episodes = 3\n"
                                         : "[experiment]\nname = s\n");
}

/* The expected sweep row of configuration k for the window [from, to) of episode indices. */
static void expected_row(int k, int from, int to, double *mean, double *half)
{
    static const double R[8][3] = {{-10, -4, -1}, {-8, -6, -3}, {-20, -10, -5}, {-30, -9, -6},
                                   {-12, -2, -2}, {-6, -4, -4}, {-40, -20, -1}, {-2, -2, -2}};
    double score[2];
    for (int i = 0; i < 2; i++) {
        double sum = 0;
        for (int e = from; e < to; e++)
            sum += R[2 * k + i][e];
        score[i] = sum / (to - from);
    }
    mean_interval(score, 2, mean, half);
}

static void check_sweep(const char *dir, int from, int to, const char *summary)
{
    char path[PATH_SIZE];
    PATHF(path, "%s/plots/sweep_return.csv", dir);
    table t = table_read(path);
    assert_int_equal(t.n_rows, 4);
    /* Ordered by line (sarsa 0, q_learning 1), then by alpha: configs 1, 0, 3, 2. */
    const int config[4] = {1, 0, 3, 2}, line[4] = {0, 0, 1, 1};
    const double x[4] = {0.1, 0.5, 0.1, 0.5};
    for (size_t i = 0; i < 4; i++) {
        double mean, half;
        expected_row(config[i], from, to, &mean, &half);
        assert_close(number_at(&t, i, "config"), config[i], 0);
        assert_close(number_at(&t, i, "line"), line[i], 0);
        assert_close(number_at(&t, i, "x"), x[i], 1e-15);
        assert_string_equal(text_at(&t, i, "key"), "alpha");
        assert_close(number_at(&t, i, "runs"), 2, 0);
        assert_close(number_at(&t, i, "mean"), mean, 1e-9);
        assert_close(number_at(&t, i, "ci95_low"), mean - half, 1e-9);
        assert_close(number_at(&t, i, "ci95_high"), mean + half, 1e-9);
        assert_string_equal(text_at(&t, i, "summary"), summary);
    }
    table_free(&t);
}

static void test_sweep_numbers(void **state)
{
    (void)state;
    char dir[PATH_SIZE];
    PATHF(dir, "%s/sweep", tmpdir);
    write_sweep_fixture(dir, false);
    rl_plot_sweep_info info;
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(write_sweep(dir, RL_PLOT_RETURN, 0, 0, &info, &err), RL_OK);
    assert_int_equal(info.n_rows, 4);
    assert_int_equal(info.n_lines, 2);
    assert_string_equal(info.key, "alpha");
    /* E.g. configuration 0 (runs 0, 1): run means -5 and -17/3, mean -16/3. */
    check_sweep(dir, 0, 3, "mean return over all episodes");
    assert_int_equal(write_sweep(dir, RL_PLOT_RETURN, 2, 0, &info, &err), RL_OK);
    check_sweep(dir, 0, 2, "mean return over the first 2 episodes");
    assert_int_equal(write_sweep(dir, RL_PLOT_RETURN, 0, 2, &info, &err), RL_OK);
    check_sweep(dir, 1, 3, "mean return over the last 2 episodes");

    /* Without --first or --last: the experiment's score_episodes (1 here), as scores.csv. */
    write_sweep_fixture(dir, true);
    assert_int_equal(write_sweep(dir, RL_PLOT_RETURN, 0, 0, &info, &err), RL_OK);
    check_sweep(dir, 2, 3, "mean return over the last episode");

    /* value_rmse is empty throughout: nothing to draw. */
    assert_int_equal(write_sweep(dir, RL_PLOT_VALUE_RMSE, 0, 0, &info, &err),
                     RL_EUNSUPPORTED);
    assert_contains(err.message, "value_rmse");

    /* Only the algorithm varies: no sweep. */
    char path[PATH_SIZE];
    PATHF(path, "%s/configs.csv", dir);
    write_file(path, "config,algorithm\n0,sarsa\n1,sarsa\n2,q_learning\n3,q_learning\n");
    assert_int_equal(write_sweep(dir, RL_PLOT_RETURN, 0, 0, &info, &err),
                     RL_EUNSUPPORTED);
    assert_contains(err.message, "no swept parameter");
}

/* The sweep of a real run: each configuration's mean over its 3 runs of their mean length,
 * recomputed from episodes.csv, against reward_forbidden. */

/* A partial experiment (--only q_learning): runs 4 to 7 of configurations 2 and 3 only,
 * with the whole plan's numbers; configs.csv still lists the plan. The sweep has the same
 * rows for them, on line 0 (the only line with points). */
static void test_sweep_partial(void **state)
{
    (void)state;
    char dir[PATH_SIZE], path[PATH_SIZE];
    PATHF(dir, "%s/sweep_partial", tmpdir);
    write_sweep_fixture(dir, false);
    PATHF(path, "%s/runs.csv", dir);
    write_file(path, "run,config,replicate,rng_seed,status,episodes,steps,iterations\n"
                     "4,2,0,1,completed,3,9,0\n5,2,1,1,completed,3,9,0\n"
                     "6,3,0,1,completed,3,9,0\n7,3,1,1,completed,3,9,0\n");
    PATHF(path, "%s/episodes.csv", dir);
    char *episodes = slurp(path);
    assert_non_null(episodes);
    char *from = strstr(episodes, "\n4,1,"); /* the first row of run 4 */
    assert_non_null(from);
    char text[4096];
    snprintf(text, sizeof text, "run,episode,return,discounted_return,length,outcome,"
                                "value_rmse%s", from);
    write_file(path, text);
    free(episodes);
    rl_plot_sweep_info info;
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(write_sweep(dir, RL_PLOT_RETURN, 0, 0, &info, &err), RL_OK);
    assert_int_equal(info.n_rows, 2);
    assert_int_equal(info.n_lines, 1);
    PATHF(path, "%s/plots/sweep_return.csv", dir);
    table t = table_read(path);
    const int config[2] = {3, 2};
    for (size_t i = 0; i < 2; i++) {
        double mean, half;
        expected_row(config[i], 0, 3, &mean, &half);
        assert_close(number_at(&t, i, "config"), config[i], 0);
        assert_close(number_at(&t, i, "line"), 0, 0);
        assert_close(number_at(&t, i, "mean"), mean, 1e-9);
    }
    table_free(&t);
    /* Runs must still come in order, each once. */
    PATHF(path, "%s/runs.csv", dir);
    write_file(path, "run,config,replicate,rng_seed,status,episodes,steps,iterations\n"
                     "5,2,1,1,completed,3,9,0\n4,2,0,1,completed,3,9,0\n");
    assert_int_equal(write_sweep(dir, RL_PLOT_RETURN, 0, 0, &info, &err), RL_EPARSE);
    assert_contains(err.message, "run 4 where a run from 6 on was expected");
}

static void test_sweep_from_run(void **state)
{
    (void)state;
    rl_plot_sweep_info info;
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(write_sweep(random_dir, RL_PLOT_LENGTH, 0, 0, &info, &err), RL_OK);
    assert_string_equal(info.key, "reward_forbidden");
    assert_int_equal(info.n_lines, 1);
    char path[PATH_SIZE];
    PATHF(path, "%s/episodes.csv", random_dir);
    table episodes = table_read(path);
    double sum[6] = {0}, count[6] = {0};
    for (size_t i = 0; i < episodes.n_rows; i++) {
        size_t run = (size_t)number_at(&episodes, i, "run");
        assert_true(run < 6);
        sum[run] += number_at(&episodes, i, "length");
        count[run]++;
    }
    table_free(&episodes);
    PATHF(path, "%s/plots/sweep_length.csv", random_dir);
    table t = table_read(path);
    assert_int_equal(t.n_rows, 2);
    /* Sorted by x: -10 (configuration 1, runs 3-5) before -1 (configuration 0, runs 0-2). */
    for (size_t i = 0; i < 2; i++) {
        size_t k = 1 - i;
        double score[3], mean, half;
        for (size_t r = 0; r < 3; r++) {
            assert_close(count[3 * k + r], 12, 0);
            score[r] = sum[3 * k + r] / count[3 * k + r];
        }
        mean_interval(score, 3, &mean, &half);
        assert_close(number_at(&t, i, "config"), k, 0);
        assert_close(number_at(&t, i, "x"), k ? -10 : -1, 0);
        assert_close(number_at(&t, i, "mean"), mean, 1e-9);
        assert_close(number_at(&t, i, "ci95_high"), mean + half, 1e-9);
    }
    table_free(&t);
}

/* ---- learning curves ------------------------------------------------------------------------ */

/* curves_return.csv is summary.csv's mean and interval, smoothed: point e is the mean of
 * points max(1, e - 3) .. e for --smooth 4. */
static void test_curves_smoothing(void **state)
{
    (void)state;
    rl_error err;
    rl_error_clear(&err);
    rl_plot_curves_info info;
    char path[PATH_SIZE];
    PATHF(path, "%s/summary.csv", random_dir);
    table summary = table_read(path);
    PATHF(path, "%s/plots/curves_return.csv", random_dir);
    const char *const columns[3] = {"mean_return", "ci95_low_return", "ci95_high_return"};
    for (size_t smooth = 0; smooth <= 4; smooth += 4) {
        assert_int_equal(write_curves(random_dir, RL_PLOT_RETURN, smooth, &info, &err),
                         RL_OK);
        assert_int_equal(info.n_defined, 24); /* 2 configurations x 12 episodes */
        assert_int_equal(info.longest, 12);
        table curves = table_read(path);
        assert_int_equal(curves.n_rows, summary.n_rows);
        for (size_t i = 0; i < curves.n_rows; i++) {
            assert_string_equal(text_at(&curves, i, "series"), text_at(&summary, i, "config"));
            assert_string_equal(text_at(&curves, i, "episode"), text_at(&summary, i, "episode"));
            size_t episode = (size_t)number_at(&summary, i, "episode");
            size_t width = smooth && episode > smooth ? smooth : (smooth ? episode : 1);
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                for (size_t j = 0; j < width; j++)
                    sum += number_at(&summary, i - j, columns[c]);
                assert_close(number_at(&curves, i, columns[c]), sum / (double)width, 1e-9);
            }
        }
        table_free(&curves);
    }
    table_free(&summary);

    /* The random agent has no values to compare with a ground truth: summary.csv's
     * value_rmse columns are empty, so there is nothing to draw, and plot says so. */
    assert_int_equal(write_curves(random_dir, RL_PLOT_VALUE_RMSE, 0, &info, &err),
                     RL_OK);
    assert_int_equal(info.n_defined, 0);
    if (have_gnuplot) {
        result r = RUN("plot", random_dir, "--what", "curves", "--metric", "value_rmse");
        expect_status(&r, 2);
        assert_contains(r.out, "skipped learning curves of value_rmse");
        assert_contains(r.err, "nothing to plot");
        result_free(&r);
    }
}

/* ---- the value error per logged step ------------------------------------------------------ */

/* steps_value_rmse.csv of the Q-learning runs: for each configuration (run / 3: seeds = 3)
 * and logged step, the mean of the 3 runs' value_rmse summed here from steps.csv, and the
 * 95% t-interval mean +- t_{0.975,2} sd / sqrt(3). */
static void test_steps_numbers(void **state)
{
    (void)state;
    rl_plot_curves_info info;
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(write_steps(steps_dir, &info, &err), RL_OK);
    assert_int_equal(info.longest, 10);   /* 2000 / 200 logged steps per run */
    assert_int_equal(info.n_defined, 20); /* x 2 configurations */
    assert_true(info.positive);           /* Q-learning is far from q* after 2000 steps */

    char path[PATH_SIZE];
    PATHF(path, "%s/steps.csv", steps_dir);
    table steps = table_read(path);
    assert_int_equal(steps.n_rows, 60); /* 6 runs x 10 logged steps */
    double value[2][10][3];
    size_t seen[2][10] = {{0}};
    for (size_t i = 0; i < steps.n_rows; i++) {
        size_t run = (size_t)number_at(&steps, i, "run");
        size_t step = (size_t)number_at(&steps, i, "step");
        assert_true(run < 6);
        assert_true(step % 200 == 0 && step >= 200 && step <= 2000);
        size_t k = run / 3, j = step / 200 - 1;
        assert_true(seen[k][j] < 3);
        value[k][j][seen[k][j]++] = number_at(&steps, i, "value_rmse");
    }
    table_free(&steps);

    PATHF(path, "%s/plots/steps_value_rmse.csv", steps_dir);
    table t = table_read(path);
    assert_string_equal(t.cells[1], "step");
    assert_int_equal(t.n_rows, 20);
    for (size_t i = 0; i < t.n_rows; i++) {
        size_t k = i / 10, j = i % 10;
        double sum = 0;
        assert_int_equal(seen[k][j], 3);
        for (size_t r = 0; r < 3; r++)
            sum += value[k][j][r];
        assert_close(number_at(&t, i, "series"), k, 0);
        assert_close(number_at(&t, i, "step"), 200 * (j + 1), 0);
        assert_close(number_at(&t, i, "runs"), 3, 0);
        assert_close(number_at(&t, i, "mean_value_rmse"), sum / 3, 1e-9);
    }
    /* One row's interval by hand: configuration 1 (q0 = 10), step 1000 (row 14). */
    double mean, half;
    mean_interval(value[1][4], 3, &mean, &half);
    assert_close(number_at(&t, 14, "step"), 1000, 0);
    assert_close(number_at(&t, 14, "mean_value_rmse"), mean, 1e-9);
    assert_close(number_at(&t, 14, "ci95_low_value_rmse"), mean - half, 1e-9);
    assert_close(number_at(&t, 14, "ci95_high_value_rmse"), mean + half, 1e-9);
    assert_true(half > 0);
    table_free(&t);
}

static void test_steps_picture(void **state)
{
    (void)state;
    need_gnuplot();
    result r = RUN("plot", steps_dir, "--what", "steps");
    expect_status(&r, 0);
    assert_contains(r.out, "steps_value_rmse.png");
    /* Every mean and bound is > 0 (test_steps_numbers): a log y axis by default. */
    assert_contains(r.out, "log y axis");
    result_free(&r);
    expect_picture(steps_dir, "steps_value_rmse.png", RL_PLOT_PNG);
    expect_no_file(steps_dir, "learning_curve_return.png"); /* not asked for */

    r = RUN("plot", steps_dir, "--what", "steps", "--yscale", "linear", "--format", "svg");
    expect_status(&r, 0);
    assert_true(strstr(r.out, "log y axis") == NULL);
    result_free(&r);
    expect_picture(steps_dir, "steps_value_rmse.svg", RL_PLOT_SVG);

    /* All of them: the per-episode curves are skipped (one episode of 2000 steps per run),
     * the per-step curve drawn. */
    r = RUN("plot", steps_dir);
    expect_status(&r, 0);
    assert_contains(r.out, "skipped learning curves: one episode per run");
    assert_contains(r.out, "steps_value_rmse.png");
    result_free(&r);

    /* The random agent logs no steps. */
    r = RUN("plot", random_dir, "--what", "steps");
    expect_status(&r, 2);
    assert_contains(r.out, "skipped per-step curve: no steps.csv");
    assert_contains(r.err, "nothing to plot");
    result_free(&r);
}

/* ---- the loss and value error per logged update ------------------------------------------ */

/* updates_loss.csv and updates_value_rmse.csv of the DQN runs: for each configuration (run /
 * 3) and logged update, the mean of the 3 runs' values summed here from updates.csv, and the
 * 95% t-interval of one row by hand. */
static void test_updates_numbers(void **state)
{
    (void)state;
    char path[PATH_SIZE];
    PATHF(path, "%s/updates.csv", updates_dir);
    table updates = table_read(path);
    assert_int_equal(updates.n_rows, 24); /* 6 runs x 4 logged updates */
    const char *const columns[] = {"loss", "value_rmse"};
    for (int c = 0; c < 2; c++) {
        double value[2][4][3];
        size_t seen[2][4] = {{0}};
        for (size_t i = 0; i < updates.n_rows; i++) {
            size_t run = (size_t)number_at(&updates, i, "run");
            size_t update = (size_t)number_at(&updates, i, "update");
            assert_true(run < 6);
            assert_true(update % 5 == 0 && update >= 5 && update <= 20);
            assert_close(number_at(&updates, i, "episode"), 1, 0);
            size_t k = run / 3, j = update / 5 - 1;
            assert_true(seen[k][j] < 3);
            value[k][j][seen[k][j]++] = number_at(&updates, i, columns[c]);
        }
        rl_plot_curves_info info;
        rl_error err;
        rl_error_clear(&err);
        if (write_updates(updates_dir, columns[c], &info, &err) != RL_OK)
            fail_msg("%s: %s", columns[c], err.message);
        assert_int_equal(info.longest, 4);
        assert_int_equal(info.n_defined, 8);
        PATHF(path, "%s/plots/updates_%s.csv", updates_dir, columns[c]);
        table t = table_read(path);
        assert_string_equal(t.cells[1], "update");
        assert_int_equal(t.n_rows, 8);
        char mean_name[64], low_name[64], high_name[64];
        snprintf(mean_name, sizeof mean_name, "mean_%s", columns[c]);
        snprintf(low_name, sizeof low_name, "ci95_low_%s", columns[c]);
        snprintf(high_name, sizeof high_name, "ci95_high_%s", columns[c]);
        for (size_t i = 0; i < t.n_rows; i++) {
            size_t k = i / 4, j = i % 4;
            assert_int_equal(seen[k][j], 3);
            assert_close(number_at(&t, i, "series"), k, 0);
            assert_close(number_at(&t, i, "update"), 5 * (j + 1), 0);
            assert_close(number_at(&t, i, "runs"), 3, 0);
            double mean, half;
            mean_interval(value[k][j], 3, &mean, &half);
            assert_close(number_at(&t, i, mean_name), mean, 1e-9 * (1 + fabs(mean)));
            assert_close(number_at(&t, i, low_name), mean - half, 1e-9 * (1 + fabs(mean)));
            assert_close(number_at(&t, i, high_name), mean + half, 1e-9 * (1 + fabs(mean)));
            assert_true(half > 0);
        }
        table_free(&t);
    }
    table_free(&updates);
    rl_plot_curves_info info;
    rl_error err;
    assert_int_equal(write_updates(updates_dir, "return", &info, &err), RL_EINVAL);
    assert_contains(err.message, "updates.csv has no curve 'return' (loss, value_rmse)");
}

static void test_updates_picture(void **state)
{
    (void)state;
    need_gnuplot();
    result r = RUN("plot", updates_dir, "--what", "updates");
    expect_status(&r, 0);
    assert_contains(r.out, "updates_loss.png");
    /* The value errors, 20 updates into training, and their intervals are all > 0: a log y
     * axis by default, as for steps. */
    rl_plot_curves_info info;
    assert_int_equal(write_updates(updates_dir, "value_rmse", &info, NULL), RL_OK);
    assert_true(info.positive);
    assert_contains(r.out, "updates_value_rmse.png (log y axis: every value is > 0)");
    result_free(&r);
    expect_picture(updates_dir, "updates_loss.png", RL_PLOT_PNG);
    expect_picture(updates_dir, "updates_value_rmse.png", RL_PLOT_PNG);
    expect_no_file(updates_dir, "grid_0.png"); /* not asked for */
    r = RUN("plot", updates_dir, "--what", "updates", "--format", "svg", "--yscale", "log");
    expect_status(&r, 0);
    assert_contains(r.out, "updates_loss.svg (log y axis)");
    result_free(&r);
    expect_picture(updates_dir, "updates_loss.svg", RL_PLOT_SVG);

    /* The random agent trains on no stored data. */
    r = RUN("plot", random_dir, "--what", "updates");
    expect_status(&r, 2);
    assert_contains(r.out, "skipped update curves: no updates.csv");
    assert_contains(r.err, "nothing to plot");
    result_free(&r);
}

/* Hand-written steps.csv: empty values, a run that logged fewer steps, zeros. */
static void test_steps_fixture(void **state)
{
    (void)state;
    char dir[PATH_SIZE], path[PATH_SIZE];
    PATHF(dir, "%s/steps_fixture", tmpdir);
    mkdir(dir, 0777);
    PATHF(path, "%s/configs.csv", dir);
    write_file(path, "config,algorithm,alpha\n0,q_learning,0.1\n1,q_learning,0.5\n");
    PATHF(path, "%s/summary.csv", dir);
    write_file(path, "config,episode,runs,mean_return,sd_return,ci95_low_return,"
                     "ci95_high_return\n");
    PATHF(path, "%s/runs.csv", dir);
    write_file(path, "run,config,replicate,rng_seed,status,episodes,steps,iterations\n"
                     "0,0,0,1,completed,2,30,0\n1,0,1,2,completed,1,30,0\n"
                     "2,1,0,3,completed,1,30,0\n3,1,1,4,completed,1,10,0\n");
    PATHF(path, "%s/steps.csv", dir);
    write_file(path, "run,step,episode,value_rmse\n"
                     "0,10,1,4\n0,20,1,2\n0,30,2,1\n"
                     "1,10,1,6\n1,20,1,\n1,30,1,3\n"
                     "2,10,1,0.5\n2,20,1,0\n2,30,1,\n"
                     "3,10,1,1.5\n");
    rl_plot_curves_info info;
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(write_steps(dir, &info, &err), RL_OK);
    assert_int_equal(info.longest, 3);
    assert_int_equal(info.n_defined, 5); /* all but configuration 1, step 30 */
    assert_false(info.positive);
    PATHF(path, "%s/plots/steps_value_rmse.csv", dir);
    table t = table_read(path);
    assert_int_equal(t.n_rows, 6);
    /* Two values a, b: mean (a + b) / 2, sd |a - b| / sqrt(2), half width
     * t_{0.975,1} sd / sqrt(2) = 12.7062 |a - b| / 2. One value: no interval. */
    /* Run 3 logged step 10 only. */
    const double runs[6] = {2, 2, 2, 2, 1, 1}, step[6] = {10, 20, 30, 10, 20, 30};
    const double mean[6] = {5, 2, 2, 1, 0, NAN};
    const double half[6] = {12.706204736174698, NAN, 12.706204736174698,
                            12.706204736174698 / 2, NAN, NAN};
    for (size_t i = 0; i < 6; i++) {
        assert_close(number_at(&t, i, "series"), i / 3, 0);
        assert_close(number_at(&t, i, "step"), step[i], 0);
        assert_close(number_at(&t, i, "runs"), runs[i], 0);
        if (isnan(mean[i]))
            assert_true(isnan(number_at(&t, i, "mean_value_rmse")));
        else
            assert_close(number_at(&t, i, "mean_value_rmse"), mean[i], 1e-12);
        if (isnan(half[i])) {
            assert_string_equal(text_at(&t, i, "ci95_low_value_rmse"), "");
            assert_string_equal(text_at(&t, i, "ci95_high_value_rmse"), "");
        } else {
            assert_close(number_at(&t, i, "ci95_low_value_rmse"), mean[i] - half[i], 1e-9);
            assert_close(number_at(&t, i, "ci95_high_value_rmse"), mean[i] + half[i], 1e-9);
        }
    }
    table_free(&t);

    /* Values <= 0 (a zero mean, negative bounds): by default a linear y axis. */
    if (have_gnuplot) {
        result r = RUN("plot", dir, "--what", "steps");
        expect_status(&r, 0);
        assert_contains(r.out, "steps_value_rmse.png");
        assert_true(strstr(r.out, "log y axis") == NULL);
        result_free(&r);
    }

    /* A run of configuration 0 after configuration 1's, and a step logged twice. */
    PATHF(path, "%s/steps.csv", dir);
    write_file(path, "run,step,episode,value_rmse\n0,10,1,4\n2,10,1,1\n1,10,1,2\n");
    assert_int_equal(write_steps(dir, &info, &err), RL_EPARSE);
    assert_contains(err.message, "by run");
    assert_int_equal(err.line, 4);
    write_file(path, "run,step,episode,value_rmse\n0,10,1,4\n0,10,1,2\n");
    assert_int_equal(write_steps(dir, &info, &err), RL_EPARSE);
    assert_contains(err.message, "twice");
}

/* ---- the default y range, IQM curves, several experiments ------------------------------- */

/* rl_plot_range by hand. A curve of 20 points: the first 10% (points 0 and 1) at -1000 and
 * -500 are not "later"; points 2..19 are -2..-19. Sorted, the later values are -19..-2 (18
 * of them): the 1% quantile sits at h = 17 * 0.01 = 0.17 between -19 and -18: -18.83; the
 * 99% at h = 17 * 0.99 = 16.83 between -3 and -2: -2.17. Half their span, 8.33, widens them
 * to -27.16 and 6.16; the top is cut at the largest value, -2. A 5% margin of the span 25.16
 * (1.258) gives -28.418 and -0.742. */
static void test_default_range(void **state)
{
    (void)state;
    rl_plot_range r;
    rl_plot_range_init(&r);
    double low, high;
    assert_false(rl_plot_range_get(&r, &low, &high));
    for (size_t k = 0; k < 20; k++) {
        double v = k == 0 ? -1000 : k == 1 ? -500 : -(double)k;
        assert_int_equal(rl_plot_range_add(&r, v, rl_plot_is_later(k, 20), NULL), RL_OK);
    }
    assert_int_equal(rl_plot_range_add(&r, NAN, true, NULL), RL_OK); /* left out */
    assert_true(rl_plot_range_get(&r, &low, &high));
    assert_close(low, -28.418, 1e-9);
    assert_close(high, -0.742, 1e-9);
    rl_plot_range_free(&r);

    /* A flat curve: no span, so one unit either side (10% of 5 is less), then 5% of 2. */
    rl_plot_range_init(&r);
    for (size_t k = 0; k < 10; k++)
        rl_plot_range_add(&r, 5.0, rl_plot_is_later(k, 10), NULL);
    assert_true(rl_plot_range_get(&r, &low, &high));
    assert_close(low, 3.9, 1e-12);
    assert_close(high, 6.1, 1e-12);
    rl_plot_range_free(&r);
}

/* Hand-written results: one configuration, five runs of two episodes. Episode 1's returns
 * 1, 2, 3, 4, 100: the IQM drops floor(5/4) = 1 value from each end, (2 + 3 + 4) / 3 = 3
 * (the mean, 22, would be pulled up by the 100). Episode 2: 10 everywhere, IQM 10 and every
 * bootstrap resample's IQM 10. */
static void write_iqm_fixture(const char *dir)
{
    char path[PATH_SIZE + 32];
    mkdir(dir, 0777);
    PATHF(path, "%s/configs.csv", dir);
    write_file(path, "config,algorithm\n0,sarsa\n");
    PATHF(path, "%s/summary.csv", dir); /* what marks a learner's results */
    write_file(path, "config,episode,runs,mean_return,sd_return,ci95_low_return,"
                     "ci95_high_return\n");
    PATHF(path, "%s/runs.csv", dir);
    write_file(path, "run,config,replicate,rng_seed,status,episodes,steps,iterations\n"
                     "0,0,0,1,completed,2,4,0\n1,0,1,1,completed,2,4,0\n"
                     "2,0,2,1,completed,2,4,0\n3,0,3,1,completed,2,4,0\n"
                     "4,0,4,1,completed,2,4,0\n");
    PATHF(path, "%s/episodes.csv", dir);
    write_file(path, "run,episode,return,discounted_return,length,outcome,value_rmse\n"
                     "0,1,1,1,2,terminated,\n0,2,10,10,2,terminated,\n"
                     "1,1,100,1,2,terminated,\n1,2,10,10,2,terminated,\n"
                     "2,1,3,1,2,terminated,\n2,2,10,10,2,terminated,\n"
                     "3,1,2,1,2,terminated,\n3,2,10,10,2,terminated,\n"
                     "4,1,4,1,2,terminated,\n4,2,10,10,2,terminated,\n");
}

static void test_iqm_curves(void **state)
{
    (void)state;
    char dir[PATH_SIZE], path[PATH_SIZE + 32];
    PATHF(dir, "%s/iqm", tmpdir);
    write_iqm_fixture(dir);
    rl_plot_experiment e = experiment(dir);
    rl_plot_curves_info info;
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(rl_plot_write_curves(&e, 1, plots_of(dir), RL_PLOT_RETURN, RL_PLOT_IQM, 0,
                                          true, &info, &err),
                     RL_OK);
    assert_int_equal(info.longest, 2);
    PATHF(path, "%s/plots/curves_return.csv", dir);
    table t = table_read(path);
    assert_string_equal(t.cells[3], "iqm_return");
    assert_int_equal(t.n_rows, 2);
    assert_close(number_at(&t, 0, "runs"), 5, 0);
    assert_close(number_at(&t, 0, "iqm_return"), 3, 1e-12);
    /* A bootstrap interval lies within the values resampled, around no value in particular;
     * for a constant it is that constant. */
    double low = number_at(&t, 0, "ci95_low_return"), high = number_at(&t, 0, "ci95_high_return");
    assert_true(1 <= low && low <= 3 && 3 <= high && high <= 100);
    assert_close(number_at(&t, 1, "iqm_return"), 10, 1e-12);
    assert_close(number_at(&t, 1, "ci95_low_return"), 10, 1e-12);
    assert_close(number_at(&t, 1, "ci95_high_return"), 10, 1e-12);
    table_free(&t);
    /* The same file again: seeded per (configuration, episode). */
    char *first = slurp(path);
    assert_int_equal(rl_plot_write_curves(&e, 1, plots_of(dir), RL_PLOT_RETURN, RL_PLOT_IQM, 0,
                                          true, &info, &err),
                     RL_OK);
    char *second = slurp(path);
    assert_string_equal(first, second);
    free(first);
    free(second);
    /* Without bands, no interval. */
    assert_int_equal(rl_plot_write_curves(&e, 1, plots_of(dir), RL_PLOT_RETURN, RL_PLOT_IQM, 0,
                                          false, &info, &err),
                     RL_OK);
    t = table_read(path);
    assert_string_equal(text_at(&t, 0, "ci95_low_return"), "");
    table_free(&t);

    /* IQM sweeps: runs' scores over both episodes: 5.5, 55, 6.5, 6, 7; IQM of the sorted
     * 5.5, 6, 6.5, 7, 55 drops one from each end: 6.5. (A second configuration, without
     * runs, makes alpha a swept key.) */
    PATHF(path, "%s/configs.csv", dir);
    write_file(path, "config,algorithm,alpha\n0,sarsa,0.5\n1,sarsa,0.9\n");
    rl_plot_experiment_free(&e);
    e = experiment(dir);
    rl_plot_sweep_info sweep;
    assert_int_equal(rl_plot_write_sweep(&e, 1, plots_of(dir), RL_PLOT_RETURN, RL_PLOT_IQM, 0, 0,
                                         &sweep, &err),
                     RL_OK);
    free(sweep.line_experiment);
    free(sweep.line_config);
    PATHF(path, "%s/plots/sweep_return.csv", dir);
    t = table_read(path);
    assert_close(number_at(&t, 0, "iqm"), 6.5, 1e-12);
    assert_contains(text_at(&t, 0, "summary"), "IQM of the runs' mean return");
    table_free(&t);
    rl_plot_experiment_free(&e);

    /* Through the program: the per-episode IQM from episodes.csv. */
    if (have_gnuplot) {
        result r = RUN("plot", dir, "--what", "curves", "--stat", "iqm");
        expect_status(&r, 0);
        assert_contains(r.out, "learning_curve_return.png");
        result_free(&r);
    }
}

/* Two experiments in one picture: each one's configurations are series, numbered on from
 * the configurations before them (the random sweep twice: 0, 1, then 2, 3). */
static void test_overlay_data(void **state)
{
    (void)state;
    char out[PATH_SIZE], path[PATH_SIZE + 32];
    PATHF(out, "%s/overlay", tmpdir);
    mkdir(out, 0777);
    rl_plot_experiment e[2] = {experiment(random_dir), experiment(random_dir)};
    e[1].first_id = e[0].n_configs;
    rl_plot_curves_info info;
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(rl_plot_write_curves(e, 2, out, RL_PLOT_RETURN, RL_PLOT_MEAN, 0, true,
                                          &info, &err),
                     RL_OK);
    assert_int_equal(info.n_defined, 48); /* 2 experiments x 2 configurations x 12 */
    PATHF(path, "%s/curves_return.csv", out);
    table t = table_read(path);
    assert_int_equal(t.n_rows, 48);
    for (size_t i = 0; i < 24; i++) {
        assert_close(number_at(&t, i, "series"), i / 12, 0);
        assert_close(number_at(&t, 24 + i, "series"), 2 + i / 12, 0);
        assert_string_equal(text_at(&t, 24 + i, "mean_return"), text_at(&t, i, "mean_return"));
    }
    table_free(&t);

    /* --configs 1 in both: series 1 and 3 only. */
    assert_int_equal(rl_plot_select(e, 2, "1", &err), RL_OK);
    assert_int_equal(rl_plot_write_curves(e, 2, out, RL_PLOT_RETURN, RL_PLOT_MEAN, 0, true,
                                          &info, &err),
                     RL_OK);
    t = table_read(path);
    assert_int_equal(t.n_rows, 24);
    assert_close(number_at(&t, 0, "series"), 1, 0);
    assert_close(number_at(&t, 12, "series"), 3, 0);
    table_free(&t);

    /* Sweeps: each experiment's line numbered on (one line per experiment here). */
    assert_int_equal(rl_plot_select(e, 2, "0-1", &err), RL_OK);
    rl_plot_sweep_info sweep;
    assert_int_equal(rl_plot_write_sweep(e, 2, out, RL_PLOT_LENGTH, RL_PLOT_MEAN, 0, 0, &sweep,
                                         &err),
                     RL_OK);
    assert_int_equal(sweep.n_lines, 2);
    assert_int_equal(sweep.n_rows, 4);
    assert_int_equal(sweep.line_experiment[0], 0);
    assert_int_equal(sweep.line_experiment[1], 1);
    assert_true(sweep.same_summary);
    free(sweep.line_experiment);
    free(sweep.line_config);
    rl_plot_experiment_free(&e[0]);
    rl_plot_experiment_free(&e[1]);

    /* Planners: replicate 0's sweeps of each configuration, as iterations.csv has them. */
    rl_plot_experiment vi = experiment(vi_dir);
    size_t n_series;
    assert_int_equal(rl_plot_write_convergence(&vi, 1, out, &n_series, &err), RL_OK);
    assert_int_equal(n_series, 1);
    PATHF(path, "%s/iterations.csv", vi_dir);
    table iterations = table_read(path);
    PATHF(path, "%s/convergence.csv", out);
    t = table_read(path);
    assert_int_equal(t.n_rows, iterations.n_rows); /* one seed: every row is run 0's */
    for (size_t i = 0; i < t.n_rows; i++) {
        assert_string_equal(text_at(&t, i, "iteration"), text_at(&iterations, i, "iteration"));
        assert_string_equal(text_at(&t, i, "delta"), text_at(&iterations, i, "delta"));
    }
    table_free(&t);
    table_free(&iterations);
    rl_plot_experiment_free(&vi);
}

/* The options of several experiments, panels, --configs, --bands through the program. */
static void test_overlay_pictures(void **state)
{
    (void)state;
    need_gnuplot();
    char out[PATH_SIZE], path[PATH_SIZE + 64];
    PATHF(out, "%s/together", tmpdir);
    result r = RUN("plot", random_dir, random_dir, "--what", "curves,sweep,grid");
    expect_status(&r, 2);
    assert_contains(r.err, "-o OUT");
    result_free(&r);

    r = RUN("plot", random_dir, steps_dir, "-o", out, "--what", "curves,grid");
    expect_status(&r, 0);
    assert_contains(r.out, "skipped grids: one experiment at a time");
    /* The steps experiment has one episode per run: the overlay still draws. */
    result_free(&r);
    r = RUN("plot", random_dir, random_dir, "-o", out, "--what", "curves,sweep",
            "--metric", "return,length", "--bands", "none", "--configs", "algorithm=random");
    expect_status(&r, 0);
    result_free(&r);
    PATHF(path, "%s/learning_curve_return_length.png", out);
    expect_picture_file(path, RL_PLOT_PNG);
    PATHF(path, "%s/sweep_return_length.png", out);
    expect_picture_file(path, RL_PLOT_PNG);
    /* The legend names each experiment. */
    PATHF(path, "%s/curves_series.tsv", out);
    char *series = slurp(path);
    assert_non_null(series);
    assert_contains(series, "random, reward_forbidden = -10 (random)\t");
    free(series);

    static const struct {
        const char *args[4];
        const char *message;
    } CASES[] = {
        {{"--metric", "return,return"}, "given twice"},
        {{"--metric", "return,score"}, "'score' is not"},
        {{"--metric", "return,length", "--ymin", "0"}, "one --metric"},
        {{"--stat", "median"}, "mean or iqm"},
        {{"--bands", "some"}, "ci or none"},
        {{"--configs", "7"}, "no configuration 7"},
        {{"--configs", "gamma=1"}, "no swept key 'gamma'"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const char *args[8] = {"plot", random_dir};
        size_t n = 2;
        for (size_t j = 0; j < 4 && CASES[i].args[j]; j++)
            args[n++] = CASES[i].args[j];
        args[n] = NULL;
        result bad = run(args);
        expect_status(&bad, 2);
        assert_contains(bad.err, CASES[i].message);
        result_free(&bad);
    }
}

/* ---- episodes thinned by log_every_episodes --------------------------------------------- */

/* The random agent on Zhao's grid, 12 episodes x 4 runs of two configurations, scored over
 * the last 6 episodes; run once as is and once keeping every 4th episode (episodes 4, 8,
 * 12). Thinning changes what is written, never what is drawn, so the thinned experiment's
 * numbers can be checked against the full one's files. */
static const char thinned_config[] = "[experiment]\n"
                                     "name = thinned\n"
                                     "episodes = 12\n"
                                     "seeds = 4\n"
                                     "max_steps = 30\n"
                                     "score_episodes = 6\n"
                                     "\n"
                                     "[env]\n"
                                     "preset = zhao5x5\n"
                                     "goal_terminal = true\n"
                                     "reward_forbidden = -1, -10\n"
                                     "\n"
                                     "[agent]\n"
                                     "algorithm = random\n"
                                     "gamma = 0.9\n";

/* Runs thinned_config into tmpdir/NAME with log_every_episodes = every. */
static void run_thinned(const char *name, const char *every, char *dir, size_t size)
{
    char config[PATH_SIZE], set[64];
    PATHF(config, "%s/thinned.ini", tmpdir);
    write_file(config, thinned_config);
    if (snprintf(dir, size, "%s/%s", tmpdir, name) >= (int)size)
        fail_msg("path too long");
    snprintf(set, sizeof set, "experiment.log_every_episodes=%s", every);
    result r = RUN("run", config, "-o", dir, "-s", set, "--force", "--quiet");
    expect_status(&r, 0);
    result_free(&r);
}

/* The sweep of a thinned experiment is scores.csv's: each configuration's mean over its 4
 * runs of their mean return over the last 6 episodes, summed here from the full
 * experiment's episodes.csv; the mean has no interval (scores.csv keeps no spread), the IQM
 * (of 4 values: the middle two, by hand) has scores.csv's bootstrap interval. Any other
 * metric or window is refused, saying why. */
static void test_thinned_sweep(void **state)
{
    (void)state;
    char full[PATH_SIZE], thin[PATH_SIZE], path[PATH_SIZE];
    run_thinned("thin_full", "1", full, sizeof full);
    run_thinned("thin_4", "4", thin, sizeof thin);
    PATHF(path, "%s/episodes.csv", thin);
    table episodes = table_read(path);
    assert_int_equal(episodes.n_rows, 8 * 3); /* 8 runs x episodes 4, 8, 12 */
    table_free(&episodes);

    PATHF(path, "%s/episodes.csv", full);
    episodes = table_read(path);
    assert_int_equal(episodes.n_rows, 8 * 12);
    double score[8] = {0};
    for (size_t i = 0; i < episodes.n_rows; i++) {
        size_t run = (size_t)number_at(&episodes, i, "run");
        assert_true(run < 8);
        if (number_at(&episodes, i, "episode") > 6)
            score[run] += number_at(&episodes, i, "return") / 6;
    }
    table_free(&episodes);

    rl_plot_sweep_info info;
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(write_sweep(thin, RL_PLOT_RETURN, 0, 0, &info, &err), RL_OK);
    PATHF(path, "%s/plots/sweep_return.csv", thin);
    table t = table_read(path);
    assert_int_equal(t.n_rows, 2);
    for (size_t i = 0; i < 2; i++) {
        size_t k = 1 - i; /* by x: reward_forbidden -10 (configuration 1) first */
        const double *s4 = &score[4 * k];
        double mean = (s4[0] + s4[1] + s4[2] + s4[3]) / 4;
        assert_close(number_at(&t, i, "config"), k, 0);
        assert_close(number_at(&t, i, "runs"), 4, 0);
        assert_close(number_at(&t, i, "mean"), mean, 1e-9 * (1 + fabs(mean)));
        assert_string_equal(text_at(&t, i, "ci95_low"), "");
        assert_string_equal(text_at(&t, i, "ci95_high"), "");
        assert_string_equal(text_at(&t, i, "summary"), "mean return over the last 6 episodes");
    }
    table_free(&t);

    rl_plot_experiment e = experiment(thin);
    assert_int_equal(e.log_every_episodes, 4);
    assert_int_equal(e.score_episodes, 6);
    assert_int_equal(rl_plot_write_sweep(&e, 1, plots_of(thin), RL_PLOT_RETURN, RL_PLOT_IQM, 0,
                                         0, &info, &err),
                     RL_OK);
    assert_true(info.from_scores);
    free(info.line_experiment);
    free(info.line_config);
    PATHF(path, "%s/scores.csv", thin);
    table scores = table_read(path);
    PATHF(path, "%s/plots/sweep_return.csv", thin);
    t = table_read(path);
    for (size_t i = 0; i < 2; i++) {
        size_t k = 1 - i;
        double s4[4];
        memcpy(s4, &score[4 * k], sizeof s4);
        for (size_t a = 0; a < 4; a++) /* sorted by hand: insertion */
            for (size_t b = a; b > 0 && s4[b] < s4[b - 1]; b--) {
                double tmp = s4[b];
                s4[b] = s4[b - 1];
                s4[b - 1] = tmp;
            }
        double iqm = (s4[1] + s4[2]) / 2;
        assert_close(number_at(&t, i, "iqm"), iqm, 1e-9 * (1 + fabs(iqm)));
        assert_close(number_at(&t, i, "ci95_low"), number_at(&scores, k, "iqm_ci95_low"), 0);
        assert_close(number_at(&t, i, "ci95_high"), number_at(&scores, k, "iqm_ci95_high"), 0);
        assert_true(number_at(&t, i, "ci95_low") <= iqm && iqm <= number_at(&t, i, "ci95_high"));
    }
    table_free(&t);
    table_free(&scores);

    /* What the logged episodes cannot give. */
    const struct {
        rl_plot_metric metric;
        size_t first, last;
    } REFUSED[] = {{RL_PLOT_RETURN, 4, 0}, {RL_PLOT_RETURN, 0, 3}, {RL_PLOT_LENGTH, 0, 0}};
    for (size_t i = 0; i < 3; i++) {
        rl_error_clear(&err);
        assert_int_equal(rl_plot_write_sweep(&e, 1, plots_of(thin), REFUSED[i].metric,
                                             RL_PLOT_MEAN, REFUSED[i].first, REFUSED[i].last,
                                             &info, &err),
                         RL_EUNSUPPORTED);
        assert_contains(err.message, "thinned keeps one episode in 4 in episodes.csv "
                                     "(log_every_episodes = 4)");
        assert_contains(err.message, "the mean return over the last 6 episodes (scores.csv)");
    }
    /* --last equal to the score window is the score. */
    assert_int_equal(rl_plot_write_sweep(&e, 1, plots_of(thin), RL_PLOT_RETURN, RL_PLOT_MEAN, 0,
                                         6, &info, &err),
                     RL_OK);
    free(info.line_experiment);
    free(info.line_config);
    rl_plot_experiment_free(&e);

    /* Through the program: drawn, and the log says where the scores came from. */
    if (have_gnuplot) {
        result r = RUN("plot", thin, "--what", "sweep");
        expect_status(&r, 0);
        assert_contains(r.out, "sweep_return.png (thinned episodes: scores from scores.csv, "
                               "whose means have no interval)");
        result_free(&r);
        r = RUN("plot", thin, "--what", "sweep", "--first", "4");
        expect_status(&r, 2);
        assert_contains(r.out, "skipped sweep: thinned keeps one episode in 4");
        result_free(&r);
    }
}

/* The learning curves of the thinned experiment: points at episodes 4, 8 and 12 with the
 * full experiment's summary.csv values there; smoothed over 8 episodes, point e is the mean
 * of the logged points among episodes e - 7 .. e (4: itself; 8: 4 and 8; 12: 8 and 12), not
 * of 8 points. With log_every_episodes = 0 there is no curve, and the sweep still draws. */
static void test_thinned_curves(void **state)
{
    (void)state;
    char full[PATH_SIZE], thin[PATH_SIZE], none[PATH_SIZE], path[PATH_SIZE];
    run_thinned("thin_full", "1", full, sizeof full);
    run_thinned("thin_4", "4", thin, sizeof thin);
    PATHF(path, "%s/summary.csv", full);
    table summary = table_read(path);
    assert_int_equal(summary.n_rows, 24);
    rl_plot_curves_info info;
    rl_error err;
    rl_error_clear(&err);
    for (size_t smooth = 0; smooth <= 8; smooth += 8) {
        assert_int_equal(write_curves(thin, RL_PLOT_RETURN, smooth, &info, &err), RL_OK);
        assert_int_equal(info.longest, 3);
        assert_int_equal(info.n_defined, 6);
        PATHF(path, "%s/plots/curves_return.csv", thin);
        table t = table_read(path);
        assert_int_equal(t.n_rows, 6);
        for (size_t i = 0; i < 6; i++) {
            size_t k = i / 3, episode = 4 * (i % 3 + 1);
            assert_close(number_at(&t, i, "series"), k, 0);
            assert_close(number_at(&t, i, "episode"), episode, 0);
            assert_close(number_at(&t, i, "runs"), 4, 0);
            /* summary.csv's row of (k, episode) is 12 k + episode - 1. */
            double expected = number_at(&summary, 12 * k + episode - 1, "mean_return");
            if (smooth && episode > 4)
                expected = (expected + number_at(&summary, 12 * k + episode - 5, "mean_return")) / 2;
            assert_close(number_at(&t, i, "mean_return"), expected, 1e-9 * (1 + fabs(expected)));
        }
        table_free(&t);
    }
    table_free(&summary);

    /* IQM curves read the thinned episodes.csv the same way. */
    rl_plot_experiment e = experiment(thin);
    assert_int_equal(rl_plot_write_curves(&e, 1, plots_of(thin), RL_PLOT_RETURN, RL_PLOT_IQM, 0,
                                          true, &info, &err),
                     RL_OK);
    rl_plot_experiment_free(&e);
    assert_int_equal(info.longest, 3);

    run_thinned("thin_0", "0", none, sizeof none);
    assert_int_equal(write_curves(none, RL_PLOT_RETURN, 0, &info, &err), RL_OK);
    assert_int_equal(info.longest, 0);
    if (have_gnuplot) {
        result r = RUN("plot", none, "--what", "curves,sweep");
        expect_status(&r, 0);
        assert_contains(r.out, "skipped learning curves: no episodes to draw "
                               "(log_every_episodes = 0 keeps none");
        assert_contains(r.out, "sweep_return.png (thinned episodes");
        result_free(&r);
    }
}

/* scores.csv read back as untrusted: a configuration configs.csv does not list, one given
 * twice, more runs than runs.csv has of it; each refused at its line. */
static void test_crafted_scores(void **state)
{
    (void)state;
    char thin[PATH_SIZE], path[PATH_SIZE];
    run_thinned("thin_crafted", "4", thin, sizeof thin);
    PATHF(path, "%s/scores.csv", thin);
    static const char header[] = "config,runs,score,mean,iqm,iqm_ci95_low,iqm_ci95_high\n";
    const struct {
        const char *rows, *message;
        int line;
    } CASES[] = {
        {"0,4,s,-1,-1,-2,0\n2,4,s,-1,-1,-2,0\n", "configuration 2 is not in configs.csv", 3},
        {"0,4,s,-1,-1,-2,0\n0,4,s,-1,-1,-2,0\n", "configuration 0 has a second row", 3},
        {"0,5,s,-1,-1,-2,0\n", "5 runs, but runs.csv has 4 of configuration 0", 2},
        {"18446744073709551616,4,s,-1,-1,-2,0\n", "is not a whole number", 2},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "%s%s", header, CASES[i].rows);
        write_file(path, text);
        rl_plot_sweep_info info;
        rl_error err;
        rl_error_clear(&err);
        assert_int_equal(write_sweep(thin, RL_PLOT_RETURN, 0, 0, &info, &err), RL_EPARSE);
        assert_contains(err.message, CASES[i].message);
        assert_int_equal(err.line, CASES[i].line);
        assert_contains(err.file, "scores.csv");
    }
}

/* ---- crafted result files ------------------------------------------------------------------ */

/* Every number read from a result file is untrusted. The reproducer: runs.csv names
 * configuration 2^64 - 1, which configs.csv (one configuration) does not list; counting
 * configurations as config + 1 wrapped to 0 and the per-configuration array was written out
 * of bounds. It must be refused at runs.csv line 2, column config. */
static void test_crafted_config_number(void **state)
{
    (void)state;
    char dir[PATH_SIZE], path[PATH_SIZE];
    PATHF(dir, "%s/crafted_config", tmpdir);
    mkdir(dir, 0777);
    PATHF(path, "%s/configs.csv", dir);
    write_file(path, "config,algorithm\n0,q_learning\n");
    PATHF(path, "%s/runs.csv", dir);
    write_file(path, "run,config,replicate,rng_seed,status,episodes,steps,iterations\n"
                     "0,18446744073709551615,0,1,completed,1,10,0\n"
                     "1,0,1,1,completed,1,10,0\n");
    PATHF(path, "%s/steps.csv", dir);
    write_file(path, "run,step,episode,value_rmse\n0,5,1,0.5\n1,5,1,0.5\n");
    PATHF(path, "%s/values.csv", dir);
    write_file(path, "run,state,row,col,cell,value\n0,0,0,0,.,0\n");

    result r = RUN_IN(dir, "plot", ".", "--what", "steps");
    expect_status(&r, 2);
    assert_contains(r.err, "runs.csv:2:2: config: configuration 18446744073709551615 is not "
                           "in configs.csv");
    result_free(&r);

    /* The same through each reader that indexes by configuration. */
    rl_error err;
    rl_plot_curves_info info;
    rl_error_clear(&err);
    assert_int_equal(write_steps(dir, &info, &err), RL_EPARSE);
    assert_int_equal(err.line, 2);
    rl_error_clear(&err);
    assert_int_equal(rl_plot_write_arrows(dir, plots_of(dir), &err), RL_EPARSE);
    assert_int_equal(err.line, 2);

    /* A configuration one past the last listed is refused as well (configs.csv has 0). */
    PATHF(path, "%s/runs.csv", dir);
    write_file(path, "run,config,replicate,rng_seed,status,episodes,steps,iterations\n"
                     "0,0,0,1,completed,1,10,0\n1,1,0,1,completed,1,10,0\n");
    rl_error_clear(&err);
    assert_int_equal(write_steps(dir, &info, &err), RL_EPARSE);
    assert_int_equal(err.line, 3);
    assert_contains(err.message, "configuration 1 is not in configs.csv");
}

/* values.csv coordinates near 2^64 make the map too large to draw (the count of cells must
 * not wrap around to a small number), and a crafted episode count in runs.csv does not size
 * the sweep's window. */
static void test_crafted_sizes(void **state)
{
    (void)state;
    char dir[PATH_SIZE], path[PATH_SIZE];
    PATHF(dir, "%s/crafted_sizes", tmpdir);
    mkdir(dir, 0777);
    PATHF(path, "%s/configs.csv", dir);
    write_file(path, "config,algorithm,alpha\n0,q_learning,0.1\n1,q_learning,0.5\n");
    PATHF(path, "%s/values.csv", dir);
    write_file(path, "run,state,row,col,cell,value\n0,0,18446744073709551615,1,.,0\n");
    size_t cells;
    assert_int_equal(rl_plot_count_configs(dir, &cells), 2);
    assert_true(cells == SIZE_MAX);
    write_file(path, "run,state,row,col,cell,value\n0,0,4294967296,4294967296,.,0\n");
    assert_int_equal(rl_plot_count_configs(dir, &cells), 2);
    assert_true(cells == SIZE_MAX);

    /* runs.csv claims 2^62 episodes: the mean over the last 2^62 episodes of each run is the
     * mean over all its episodes, (1 + 3) / 2 = 2 and 5. */
    PATHF(path, "%s/runs.csv", dir);
    write_file(path, "run,config,replicate,rng_seed,status,episodes,steps,iterations\n"
                     "0,0,0,1,completed,4611686018427387904,10,0\n"
                     "1,1,0,1,completed,1,10,0\n");
    PATHF(path, "%s/episodes.csv", dir);
    write_file(path, "run,episode,return,discounted_return,length,outcome,value_rmse\n"
                     "0,1,1,1,1,terminated,\n0,2,3,3,1,terminated,\n"
                     "1,1,5,5,1,terminated,\n");
    rl_plot_sweep_info info;
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(write_sweep(dir, RL_PLOT_RETURN, 0, 4611686018427387904ull, &info, &err),
                     RL_OK);
    PATHF(path, "%s/plots/sweep_return.csv", dir);
    table t = table_read(path);
    assert_int_equal(t.n_rows, 2);
    assert_close(number_at(&t, 0, "mean"), 2, 1e-12);
    assert_close(number_at(&t, 1, "mean"), 5, 1e-12);
    table_free(&t);
}

/* steps.csv with cumulative_reward (log_cumulative_reward) and choices.csv (an env with
 * counted choices): summarised per series and x like value_rmse; two runs a, b give mean
 * (a + b) / 2 and half width t_{0.975,1} |a - b| / 2. Two experiments overlay as series
 * 0, 1 and 2, 3. Without the column in any experiment the cumulative reward is RL_ENOTFOUND
 * (not drawn), in only some RL_EUNSUPPORTED naming the one without; without it choices.csv
 * is malformed. */
static void test_cumulative_reward_and_choices(void **state)
{
    (void)state;
    char dir[PATH_SIZE], other[PATH_SIZE], out[PATH_SIZE], path[PATH_SIZE + 32];
    PATHF(dir, "%s/reward_choices", tmpdir);
    PATHF(other, "%s/reward_choices_other", tmpdir);
    PATHF(out, "%s/reward_choices_overlay", tmpdir);
    mkdir(out, 0777);
    for (int k = 0; k < 2; k++) {
        const char *d = k ? other : dir;
        mkdir(d, 0777);
        PATHF(path, "%s/configs.csv", d);
        write_file(path, "config,algorithm\n0,dyna_q\n1,dyna_q_plus\n");
        PATHF(path, "%s/summary.csv", d);
        write_file(path, "config,episode,runs,mean_return,sd_return,ci95_low_return,"
                         "ci95_high_return\n");
        PATHF(path, "%s/runs.csv", d);
        write_file(path, "run,config,replicate,rng_seed,status,episodes,steps,iterations\n"
                         "0,0,0,1,completed,2,20,0\n1,0,1,2,completed,1,20,0\n"
                         "2,1,0,3,completed,1,20,0\n3,1,1,4,completed,1,20,0\n");
        PATHF(path, "%s/steps.csv", d);
        write_file(path, "run,step,episode,value_rmse,cumulative_reward\n"
                         "0,10,1,,1\n0,20,2,,3\n1,10,1,,0\n1,20,1,,1\n"
                         "2,10,1,,2\n2,20,1,,2\n3,10,1,,4\n3,20,1,,6\n");
    }
    rl_plot_experiment e = experiment(dir);
    rl_plot_curves_info info;
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(rl_plot_write_cumulative_reward(&e, 1, plots_of(dir), true, &info, &err),
                     RL_OK);
    assert_int_equal(info.longest, 2);
    assert_int_equal(info.n_defined, 4);
    PATHF(path, "%s/plots/steps_cumulative_reward.csv", dir);
    table t = table_read(path);
    assert_int_equal(t.n_rows, 4);
    const double mean[4] = {0.5, 2, 3, 4}, spread[4] = {1, 2, 2, 4};
    for (size_t i = 0; i < 4; i++) {
        assert_close(number_at(&t, i, "series"), i / 2, 0);
        assert_close(number_at(&t, i, "step"), i % 2 ? 20 : 10, 0);
        assert_close(number_at(&t, i, "mean_cumulative_reward"), mean[i], 1e-12);
        double half = 12.706204736174698 * spread[i] / 2;
        assert_close(number_at(&t, i, "ci95_high_cumulative_reward"), mean[i] + half, 1e-9);
    }
    table_free(&t);
    /* The default y range, lines only: the later points (each series' second) 2 and 4 have
     * the 1% and 99% quantiles 2.02 and 3.98, widened by half their span 0.98 to 1.04 and
     * 4.96, which the largest value 4 caps; 5% of the span 2.96 on each side. */
    assert_int_equal(rl_plot_write_cumulative_reward(&e, 1, plots_of(dir), false, &info, &err),
                     RL_OK);
    assert_close(info.low, 1.04 - 0.148, 1e-12);
    assert_close(info.high, 4 + 0.148, 1e-12);

    /* Two experiments: the second's configurations are series 2 and 3, with its values. */
    rl_plot_experiment both[2] = {experiment(dir), experiment(other)};
    both[1].first_id = both[0].n_configs;
    assert_int_equal(rl_plot_write_cumulative_reward(both, 2, out, true, &info, &err), RL_OK);
    PATHF(path, "%s/steps_cumulative_reward.csv", out);
    t = table_read(path);
    assert_int_equal(t.n_rows, 8);
    for (size_t i = 0; i < 8; i++) {
        assert_close(number_at(&t, i, "series"), i / 2, 0);
        assert_close(number_at(&t, i, "mean_cumulative_reward"), mean[i % 4], 1e-12);
    }
    table_free(&t);

    PATHF(path, "%s/choices.csv", dir);
    write_file(path, "run,episode,decisions,chosen,fraction\n"
                     "0,1,1,1,1\n0,2,1,0,0\n1,1,1,1,1\n1,2,1,1,1\n"
                     "2,1,1,0,0\n2,2,2,1,0.5\n3,1,0,0,\n3,2,1,0,0\n");
    assert_int_equal(rl_plot_write_choices(&e, 1, plots_of(dir), true, &info, &err), RL_OK);
    PATHF(path, "%s/plots/choices_fraction.csv", dir);
    t = table_read(path);
    assert_int_equal(t.n_rows, 4);
    /* series 1, episode 1: one defined value (run 3 took no counted decision) */
    const double fraction[4] = {1, 0.5, 0, 0.25};
    for (size_t i = 0; i < 4; i++) {
        assert_close(number_at(&t, i, "series"), i / 2, 0);
        assert_close(number_at(&t, i, "episode"), i % 2 + 1, 0);
        assert_close(number_at(&t, i, "mean_fraction"), fraction[i], 1e-12);
    }
    assert_string_equal(text_at(&t, 2, "ci95_low_fraction"), "");
    table_free(&t);
    if (have_gnuplot) {
        result r = RUN("plot", dir, "--what", "curves,steps");
        expect_status(&r, 0);
        assert_contains(r.out, "choices_fraction.png");
        assert_contains(r.out, "steps_cumulative_reward.png");
        result_free(&r);
        /* The legend names the algorithms (series.h), as for every other curve. */
        PATHF(path, "%s/plots/choices_series.tsv", dir);
        char *series = slurp(path);
        assert_non_null(series);
        assert_contains(series, "\tDyna-Q\t");
        assert_contains(series, "\tDyna-Q+\t");
        free(series);
        /* The other experiment has no choices.csv: said, and the rest drawn. */
        r = RUN("plot", dir, other, "-o", out, "--what", "curves,steps");
        expect_status(&r, 0);
        assert_contains(r.out, "skipped choices: no choices.csv in ");
        assert_contains(r.out, "steps_cumulative_reward.png");
        result_free(&r);
    }
    PATHF(path, "%s/steps.csv", other);
    write_file(path, "run,step,episode,value_rmse\n0,10,1,\n");
    assert_int_equal(rl_plot_write_cumulative_reward(both, 2, out, true, &info, &err),
                     RL_EUNSUPPORTED);
    assert_contains(err.message, other);
    assert_contains(err.message, "log_cumulative_reward");
    assert_int_equal(rl_plot_write_cumulative_reward(&both[1], 1, out, true, &info, &err),
                     RL_ENOTFOUND);
    assert_contains(err.message, "cumulative_reward");
    PATHF(path, "%s/choices.csv", dir);
    write_file(path, "run,episode,decisions,chosen\n0,1,1,1\n");
    assert_int_equal(rl_plot_write_choices(&e, 1, plots_of(dir), true, &info, &err),
                     RL_EPARSE);
    rl_plot_experiment_free(&e);
    rl_plot_experiment_free(&both[0]);
    rl_plot_experiment_free(&both[1]);
}

/* ---- errors --------------------------------------------------------------------------------- */

/* Zhao Fig 8.6(b): the uniform policy's values on the 5x5 grid world (baseline rewards,
 * gamma 0.9), as printed, 4 decimals. */
static const double ZHAO_FIG_8_6B[25] = {
    -3.8463, -3.8138, -3.6442, -3.1209, -3.2350, -3.7936, -3.8473, -3.8004, -3.1063,
    -2.9241, -3.5724, -3.8965, -3.3817, -3.1944, -2.9444, -3.9008, -3.6159, -3.4031,
    -2.8976, -3.2393, -4.4589, -4.1608, -3.3858, -3.3634, -3.4532};

/* surface_K.csv: each cell's estimate is replicate 0's value in values.csv, and its truth
 * the book's v_pi (to half a unit of the printed 4th decimal); a blank line ends each row. */
static void test_surface_numbers(void **state)
{
    (void)state;
    for (size_t k = 0; k < 2; k++) {
        rl_plot_surface_info info;
        rl_error err;
        assert_int_equal(rl_plot_write_surface(linear_dir, plots_of(linear_dir), k, &info, &err), RL_OK);
        assert_true(info.has_truth);
        assert_int_equal(info.rows, 5);
        assert_int_equal(info.cols, 5);
        char path[PATH_SIZE];
        PATHF(path, "%s/values.csv", linear_dir);
        table values = table_read(path);
        PATHF(path, "%s/plots/surface_%zu.csv", linear_dir, k);
        char *text = slurp(path);
        assert_non_null(text);
        size_t n = 0, blank = 0;
        for (const char *c = strstr(text, "\n\n"); c; c = strstr(c + 1, "\n\n"))
            blank++;
        assert_int_equal(blank, 5);
        char *line = strtok(text, "\n"); /* the header; strtok skips the blank lines */
        assert_string_equal(line, "row,col,estimate,truth");
        while ((line = strtok(NULL, "\n"))) {
            size_t row, col;
            double estimate, truth;
            assert_int_equal(sscanf(line, "%zu,%zu,%lf,%lf", &row, &col, &estimate, &truth), 4);
            assert_int_equal(row * 5 + col, n);
            /* Replicate 0 of configuration k is run 2k (2 seeds). */
            size_t value_row = (2 * k) * 25 + n;
            assert_close(estimate, number_at(&values, value_row, "value"), 1e-11);
            assert_close(truth, ZHAO_FIG_8_6B[n], 0.5e-4);
            n++;
        }
        assert_int_equal(n, 25);
        free(text);
        table_free(&values);
    }
}

static void test_surface_picture(void **state)
{
    (void)state;
    need_gnuplot();
    result r = RUN("plot", linear_dir);
    expect_status(&r, 0);
    /* In "all", surfaces come with weights.csv (an approximating learner). */
    assert_contains(r.out, "surface_1.png");
    result_free(&r);
    expect_picture(linear_dir, "surface_0.png", RL_PLOT_PNG);
    r = RUN("plot", vi_dir);
    expect_status(&r, 0);
    assert_true(strstr(r.out, "surface") == NULL);
    result_free(&r);
}

static void test_no_gnuplot(void **state)
{
    (void)state;
    setenv("GNUPLOT", "/nonexistent", 1);
    result r = RUN("plot", vi_dir);
    expect_status(&r, 2);
    assert_contains(r.err, "gnuplot");
    assert_contains(r.err, "/nonexistent");
    result_free(&r);
    /* A name without a slash is looked up on PATH. */
    setenv("GNUPLOT", "gnuplot-that-is-not-installed", 1);
    r = RUN("plot", vi_dir);
    expect_status(&r, 2);
    assert_contains(r.err, "gnuplot-that-is-not-installed");
    assert_contains(r.err, "PATH");
    result_free(&r);
    unsetenv("GNUPLOT");
}

static void test_no_results(void **state)
{
    (void)state;
    char empty[PATH_SIZE];
    PATHF(empty, "%s/empty", tmpdir);
    mkdir(empty, 0777);
    result r = RUN("plot", empty);
    expect_status(&r, 2);
    assert_contains(r.err, empty);
    assert_contains(r.err, "no results");
    result_free(&r);

    PATHF(empty, "%s/not-there", tmpdir);
    r = RUN("plot", empty);
    expect_status(&r, 2);
    assert_contains(r.err, empty);
    result_free(&r);
}

static void test_nothing_applies(void **state)
{
    (void)state;
    need_gnuplot();
    result r = RUN("plot", vi_dir, "--what", "curves,sweep");
    expect_status(&r, 2);
    assert_contains(r.out, "skipped learning curves");
    assert_contains(r.err, "nothing to plot");
    result_free(&r);
}

static void test_usage_errors(void **state)
{
    (void)state;
    static const struct {
        const char *args[4];
        const char *message;
    } CASES[] = {
        {{"--format", "jpg"}, "png, svg or pdf"},
        {{"--what", "pie"}, "convergence"},
        {{"--metric", "reward"}, "value_rmse"},
        {{"--smooth", "-3"}, "whole number"},
        {{"--first", "2", "--last", "2"}, "exclude each other"},
        {{"--first", "0"}, "at least 1"},
        {{"--ymin", "3", "--ymax", "1"}, "below"},
        {{"--yscale", "cubic"}, "auto, linear or log"},
        {{"--bogus"}, "unknown option"},
        {{"--format"}, "needs a value"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const char *args[8] = {"plot", vi_dir};
        size_t n = 2;
        for (size_t j = 0; j < 4 && CASES[i].args[j]; j++)
            args[n++] = CASES[i].args[j];
        args[n] = NULL;
        result r = run(args);
        expect_status(&r, 2);
        assert_contains(r.err, CASES[i].message);
        result_free(&r);
    }
    result r = RUN("plot");
    expect_status(&r, 2);
    assert_contains(r.err, "usage: gridrl plot DIR");
    result_free(&r);
}

/* ---- the scripts on their own ------------------------------------------------------------- */

/* learning_curve.gp and convergence.gp read the result files themselves. */
static void test_scripts_standalone(void **state)
{
    (void)state;
    need_gnuplot();
    const char *g = getenv("GNUPLOT");
    char command[4 * PATH_SIZE];
    PATHF(command, "%s -e \"dir='%s'; out='%s/plots/standalone.png'\" %s/plots/learning_curve.gp",
          g && g[0] ? g : "gnuplot", random_dir, random_dir, GRIDRL_SOURCE_DIR);
    assert_int_equal(system(command), 0);
    expect_picture(random_dir, "standalone.png", RL_PLOT_PNG);
    PATHF(command, "%s -e \"dir='%s'; out='%s/plots/standalone.png'\" %s/plots/convergence.gp",
          g && g[0] ? g : "gnuplot", vi_dir, vi_dir, GRIDRL_SOURCE_DIR);
    assert_int_equal(system(command), 0);
    expect_picture(vi_dir, "standalone.png", RL_PLOT_PNG);

    /* The per-step curve from its data file, with the step on the x axis and a log y axis;
     * without out, the picture is steps_value_rmse.png in the current directory. */
    rl_plot_curves_info info;
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(write_steps(steps_dir, &info, &err), RL_OK);
    char picture[PATH_SIZE];
    PATHF(picture, "%s/plots/steps_value_rmse.png", steps_dir);
    remove(picture);
    PATHF(command,
          "cd %s/plots && %s -e \"dir='%s'; metric='value_rmse'; xaxis='step'; logy=1; "
          "data='%s/plots/steps_value_rmse.csv'\" %s/plots/learning_curve.gp",
          steps_dir, g && g[0] ? g : "gnuplot", steps_dir, steps_dir, GRIDRL_SOURCE_DIR);
    assert_int_equal(system(command), 0);
    expect_picture(steps_dir, "steps_value_rmse.png", RL_PLOT_PNG);
}

int main(void)
{
    rl_gsl_init();
    if (!tmp_dir_make(tmpdir, sizeof tmpdir, "gridrl_test_plot_")) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planner_pictures),
        cmocka_unit_test(test_learner_pictures),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_log_ticks),
        cmocka_unit_test(test_plot_dir_function),
        cmocka_unit_test(test_arrows_match_policy),
        cmocka_unit_test(test_arrow_directions),
        cmocka_unit_test(test_sweep_numbers),
        cmocka_unit_test(test_sweep_partial),
        cmocka_unit_test(test_sweep_from_run),
        cmocka_unit_test(test_curves_smoothing),
        cmocka_unit_test(test_steps_numbers),
        cmocka_unit_test(test_steps_picture),
        cmocka_unit_test(test_cumulative_reward_and_choices),
        cmocka_unit_test(test_steps_fixture),
        cmocka_unit_test(test_default_range),
        cmocka_unit_test(test_iqm_curves),
        cmocka_unit_test(test_overlay_data),
        cmocka_unit_test(test_overlay_pictures),
        cmocka_unit_test(test_surface_numbers),
        cmocka_unit_test(test_surface_picture),
        cmocka_unit_test(test_crafted_config_number),
        cmocka_unit_test(test_crafted_sizes),
        cmocka_unit_test(test_thinned_sweep),
        cmocka_unit_test(test_thinned_curves),
        cmocka_unit_test(test_crafted_scores),
        cmocka_unit_test(test_updates_numbers),
        cmocka_unit_test(test_updates_picture),
        cmocka_unit_test(test_no_gnuplot),
        cmocka_unit_test(test_no_results),
        cmocka_unit_test(test_nothing_applies),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_scripts_standalone),
    };
    int failed = cmocka_run_group_tests(tests, setup, NULL);
    if (!failed)
        remove_tree(tmpdir);
    return failed;
}

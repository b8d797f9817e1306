/* Drawing a results directory with gnuplot: see plot.h.
 *
 * For each picture: derive the data it needs (plot_data.h), write the embedded script into
 * DIR/plots/, then run `gnuplot -e "variables" DIR/plots/SCRIPT.gp` as a child process with
 * stdin from /dev/null and its output captured in a temporary file, so a failure can be
 * reported with gnuplot's own message and warnings reach the log instead of the terminal.
 * Running the script from DIR/plots/ (not from memory) means the picture was drawn by exactly
 * the file a user finds there.
 */
#include "experiments/plot/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "experiments/io/output.h"
#include "experiments/plot/plot_data.h"
#include "experiments/plot/plot_surface.h"

/* Grids larger than this are not drawn: a cell would be a few pixels, and gnuplot slow. */
#define MAX_GRID_CELLS 10000

/* Room for one gnuplot -e argument: paths are at most RL_OUTPUT_PATH_MAX each. */
#define ASSIGNMENTS_MAX (4 * RL_OUTPUT_PATH_MAX)

const char *rl_plot_format_name(rl_plot_format f)
{
    return f == RL_PLOT_SVG ? "svg" : f == RL_PLOT_PDF ? "pdf" : "png";
}

static const char *terminal(rl_plot_format f)
{
    return f == RL_PLOT_SVG ? "svg" : f == RL_PLOT_PDF ? "pdfcairo" : "pngcairo";
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool has_file(const char *dir, const char *name)
{
    char path[RL_OUTPUT_PATH_MAX + 64];
    snprintf(path, sizeof path, "%.4000s/%s", dir, name);
    return is_file(path);
}

static bool is_executable(const char *path)
{
    return is_file(path) && access(path, X_OK) == 0;
}

/* The gnuplot program: o->gnuplot, else $GNUPLOT, else "gnuplot"; a name without '/' is
 * looked up on PATH as the shell would, so a missing program is found out before any work. */
static int find_gnuplot(const rl_plot_options *o, char *out, size_t size, rl_error *err)
{
    const char *env = getenv("GNUPLOT");
    const char *name = o->gnuplot ? o->gnuplot : env && env[0] ? env : "gnuplot";
    const char *origin = o->gnuplot ? "" : env && env[0] ? " (from GNUPLOT)" : "";
    if (strchr(name, '/')) {
        if (is_executable(name)) {
            snprintf(out, size, "%s", name);
            return RL_OK;
        }
        return rl_error_set(err, RL_ENOTFOUND,
                            "gnuplot not found: '%s'%s is not an executable file; install "
                            "gnuplot (Debian: apt-get install gnuplot-nox) or set GNUPLOT to "
                            "the program's path",
                            name, origin);
    }
    const char *path = getenv("PATH");
    if (!path || !path[0])
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path; *p;) {
        size_t len = strcspn(p, ":");
        if (snprintf(out, size, "%.*s/%s", (int)(len ? len : 1), len ? p : ".", name) <
                (int)size &&
            is_executable(out))
            return RL_OK;
        p += len + (p[len] == ':');
    }
    return rl_error_set(err, RL_ENOTFOUND,
                        "gnuplot not found: no '%s'%s on PATH; install gnuplot (Debian: "
                        "apt-get install gnuplot-nox) or set GNUPLOT to the program's path",
                        name, origin);
}

/* Appends name='value' (gnuplot's quoting: a quote inside is doubled) to buf. */
static void assign(char *buf, size_t size, const char *name, const char *value)
{
    size_t used = strlen(buf);
    used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s='", name);
    for (const char *c = value; *c && used + 3 < size; c++) {
        if (*c == '\'')
            buf[used++] = '\'';
        buf[used++] = *c;
    }
    if (used + 3 < size) {
        buf[used++] = '\'';
        buf[used++] = ';';
        buf[used] = '\0';
    }
}

static void assign_number(char *buf, size_t size, const char *name, double value)
{
    size_t used = strlen(buf);
    if (used < size)
        snprintf(buf + used, size - used, "%s=%.17g;", name, value);
}

/* Everything one `gridrl plot` shares between its pictures. */
typedef struct plotter {
    const char *dir;
    const rl_plot_options *o;
    char gnuplot[RL_OUTPUT_PATH_MAX];
    char plots[RL_OUTPUT_PATH_MAX];
    size_t pictures;
    char skipped[RL_ERROR_MESSAGE_MAX]; /* the reasons, for "nothing to plot" */
    const char *remark;                 /* said after the next picture's name, or NULL */
} plotter;

static void note(plotter *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One line in the log: a plot that does not apply, and why; also kept for the error. */
static void note(plotter *p, const char *fmt, ...)
{
    char line[RL_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (p->o->log)
        fprintf(p->o->log, "skipped %s\n", line);
    size_t used = strlen(p->skipped);
    snprintf(p->skipped + used, sizeof p->skipped - used, "%s%s", used ? "; " : "", line);
}

/* Writes the embedded script NAME.gp into DIR/plots/ and its path into path. */
static int write_script(plotter *p, const char *name, char *path, size_t size, rl_error *err)
{
    const rl_embedded_file *f = rl_embedded_plots;
    while (f->name && strcmp(f->name, name) != 0)
        f++;
    if (!f->name)
        return rl_error_set(err, RL_ENOTFOUND, "the built-in plot script %s.gp is missing", name);
    char file[64];
    snprintf(file, sizeof file, "%s.gp", name);
    rl_output_file o;
    int rc = rl_output_open(&o, p->plots, file, err);
    if (rc != RL_OK)
        return rc;
    fputs(f->text, o.f);
    rc = rl_output_commit(&o, err);
    if (rc == RL_OK)
        snprintf(path, size, "%s", o.path);
    return rc;
}

/* At most size - 1 bytes of what f holds, from its start, NUL-terminated. */
static size_t read_captured(FILE *f, char *buf, size_t size)
{
    rewind(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    return n;
}

/* Runs gnuplot on script with the variables in assignments, drawing picture. */
static int run_gnuplot(plotter *p, const char *script, const char *assignments,
                       const char *picture, rl_error *err)
{
    /* A relative path starting with '-' (a results directory called -persist) would be
     * read by gnuplot as an option: it goes as ./-persist/... */
    char script_arg[RL_OUTPUT_PATH_MAX + 2];
    snprintf(script_arg, sizeof script_arg, "%s%s", script[0] == '-' ? "./" : "", script);
    FILE *captured = tmpfile();
    if (!captured)
        return rl_error_set(err, RL_EIO, "cannot create a temporary file: %s", strerror(errno));
    remove(picture); /* so a picture left from before cannot pass for this one */
    int out = fileno(captured);
    pid_t pid = fork();
    if (pid < 0) {
        fclose(captured);
        return rl_error_set(err, RL_EIO, "cannot start gnuplot: %s", strerror(errno));
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, STDIN_FILENO);
        dup2(out, STDOUT_FILENO);
        dup2(out, STDERR_FILENO);
        execl(p->gnuplot, p->gnuplot, "-e", assignments, script_arg, (char *)NULL);
        /* Only async-signal-safe calls between fork and exec: the parent may have threads. */
        static const char failed[] = "cannot run gnuplot (exec failed)\n";
        if (write(STDERR_FILENO, failed, sizeof failed - 1) < 0)
            _exit(126);
        _exit(127);
    }
    int status = 0;
    pid_t waited;
    while ((waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    char messages[1024];
    size_t n = read_captured(captured, messages, sizeof messages);
    fclose(captured);
    const char *base = strrchr(script, '/') ? strrchr(script, '/') + 1 : script;
    if (waited < 0)
        return rl_error_set(err, RL_EIO, "cannot wait for gnuplot: %s", strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return rl_error_set(err, RL_EIO, "gnuplot failed on %s (%s %d): %s", base,
                            WIFEXITED(status) ? "exit status" : "signal",
                            WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                            n ? messages : "no message");
    if (n && p->o->log)
        fprintf(p->o->log, "gnuplot said, drawing %s:\n%s\n", picture, messages);
    struct stat st;
    if (stat(picture, &st) != 0 || st.st_size == 0)
        return rl_error_set(err, RL_EIO, "gnuplot wrote no picture '%s' (script %s)", picture,
                            base);
    p->pictures++;
    if (p->o->log)
        fprintf(p->o->log, "wrote %s%s%s%s\n", picture, p->remark ? " (" : "",
                p->remark ? p->remark : "", p->remark ? ")" : "");
    return RL_OK;
}

/* The variables every script takes: dir, term, out (DIR/plots/NAME.EXT). */
static void common_assignments(plotter *p, const char *name, char *assignments, char *picture)
{
    snprintf(picture, RL_OUTPUT_PATH_MAX, "%.4000s/%.60s.%s", p->plots, name,
             rl_plot_format_name(p->o->format));
    assignments[0] = '\0';
    assign(assignments, ASSIGNMENTS_MAX, "dir", p->dir);
    assign(assignments, ASSIGNMENTS_MAX, "term", terminal(p->o->format));
    assign(assignments, ASSIGNMENTS_MAX, "out", picture);
}

static void range_assignments(plotter *p, char *assignments)
{
    if (isfinite(p->o->ymin))
        assign_number(assignments, ASSIGNMENTS_MAX, "ymin", p->o->ymin);
    if (isfinite(p->o->ymax))
        assign_number(assignments, ASSIGNMENTS_MAX, "ymax", p->o->ymax);
}

/* Sets logy for a learning curve whose values are as info says: see rl_plot_yscale.
 * error_like: a value error or a loss, which auto draws on a log axis when it can. */
static void yscale_assignment(plotter *p, bool error_like, const rl_plot_curves_info *info,
                              char *assignments)
{
    bool log = p->o->yscale == RL_PLOT_YSCALE_LOG ||
               (p->o->yscale == RL_PLOT_YSCALE_AUTO && error_like && info->positive);
    assign_number(assignments, ASSIGNMENTS_MAX, "logy", log);
    p->remark = !log ? NULL
                : p->o->yscale == RL_PLOT_YSCALE_LOG ? "log y axis"
                                                     : "log y axis: every value is > 0";
}

static int plot_curves(plotter *p, char *assignments, rl_error *err)
{
    const char *metric = rl_plot_metric_name(p->o->metric);
    if (!has_file(p->dir, "summary.csv")) {
        note(p, "learning curves: no summary.csv (no learner in this experiment)");
        return RL_OK;
    }
    rl_plot_curves_info info;
    int rc = rl_plot_write_curves(p->dir, p->o->metric, p->o->smooth, &info, err);
    if (rc != RL_OK)
        return rc;
    if (info.longest <= 1) {
        note(p, "learning curves: %s", info.longest ? "one episode per run, no curve to draw"
                                                    : "summary.csv has no episodes");
        return RL_OK;
    }
    if (!info.n_defined) {
        note(p, "learning curves of %s: no values in summary.csv%s", metric,
             p->o->metric == RL_PLOT_VALUE_RMSE ? " (no ground truth for these runs)" : "");
        return RL_OK;
    }
    char script[RL_OUTPUT_PATH_MAX], picture[RL_OUTPUT_PATH_MAX], name[64],
        data[RL_OUTPUT_PATH_MAX + 64];
    if ((rc = write_script(p, "learning_curve", script, sizeof script, err)) != RL_OK)
        return rc;
    snprintf(name, sizeof name, "learning_curve_%s", metric);
    snprintf(data, sizeof data, "%.4000s/curves_%s.csv", p->plots, metric);
    common_assignments(p, name, assignments, picture);
    assign(assignments, ASSIGNMENTS_MAX, "metric", metric);
    assign(assignments, ASSIGNMENTS_MAX, "data", data);
    assign_number(assignments, ASSIGNMENTS_MAX, "smooth", (double)p->o->smooth);
    range_assignments(p, assignments);
    yscale_assignment(p, p->o->metric == RL_PLOT_VALUE_RMSE, &info, assignments);
    rc = run_gnuplot(p, script, assignments, picture, err);
    p->remark = NULL;
    return rc;
}

/* The value error per logged step: learning_curve.gp with step on the x axis. */
static int plot_steps(plotter *p, char *assignments, rl_error *err)
{
    if (!has_file(p->dir, "steps.csv")) {
        note(p, "per-step curve: no steps.csv (set [experiment] log_every_steps)");
        return RL_OK;
    }
    rl_plot_curves_info info;
    int rc = rl_plot_write_steps(p->dir, &info, err);
    if (rc != RL_OK)
        return rc;
    if (info.longest <= 1) {
        note(p, "per-step curve: %s", info.longest ? "one logged step per configuration, no "
                                                     "curve to draw"
                                                   : "steps.csv has no rows");
        return RL_OK;
    }
    if (!info.n_defined) {
        note(p, "per-step curve: no value_rmse in steps.csv (no ground truth for these runs)");
        return RL_OK;
    }
    char script[RL_OUTPUT_PATH_MAX], picture[RL_OUTPUT_PATH_MAX],
        data[RL_OUTPUT_PATH_MAX + 64];
    if ((rc = write_script(p, "learning_curve", script, sizeof script, err)) != RL_OK)
        return rc;
    snprintf(data, sizeof data, "%.4000s/steps_value_rmse.csv", p->plots);
    common_assignments(p, "steps_value_rmse", assignments, picture);
    assign(assignments, ASSIGNMENTS_MAX, "metric", "value_rmse");
    assign(assignments, ASSIGNMENTS_MAX, "data", data);
    assign(assignments, ASSIGNMENTS_MAX, "xaxis", "step");
    range_assignments(p, assignments);
    yscale_assignment(p, true, &info, assignments);
    rc = run_gnuplot(p, script, assignments, picture, err);
    p->remark = NULL;
    return rc;
}

/* The loss and the value error per logged training update (Zhao Fig 8.11(d), (e)):
 * learning_curve.gp with update on the x axis, one picture each. */
static int plot_updates(plotter *p, char *assignments, rl_error *err)
{
    if (!has_file(p->dir, "updates.csv")) {
        note(p, "update curves: no updates.csv (learners that train on stored data, e.g. dqn "
                "with updates > 0)");
        return RL_OK;
    }
    const char *const columns[] = {"loss", "value_rmse"};
    for (int k = 0; k < 2; k++) {
        rl_plot_curves_info info;
        int rc = rl_plot_write_updates(p->dir, columns[k], &info, err);
        if (rc != RL_OK)
            return rc;
        if (info.longest <= 1) {
            note(p, "update curves: %s", info.longest ? "one logged update per configuration, "
                                                        "no curve to draw"
                                                      : "updates.csv has no rows");
            return RL_OK;
        }
        if (!info.n_defined) {
            note(p, "update curve of %s: no values in updates.csv%s", columns[k],
                 k ? " (no ground truth for these runs)" : "");
            continue;
        }
        char script[RL_OUTPUT_PATH_MAX], picture[RL_OUTPUT_PATH_MAX], name[64],
            data[RL_OUTPUT_PATH_MAX + 64];
        if ((rc = write_script(p, "learning_curve", script, sizeof script, err)) != RL_OK)
            return rc;
        snprintf(name, sizeof name, "updates_%s", columns[k]);
        snprintf(data, sizeof data, "%.4000s/updates_%s.csv", p->plots, columns[k]);
        common_assignments(p, name, assignments, picture);
        assign(assignments, ASSIGNMENTS_MAX, "metric", columns[k]);
        assign(assignments, ASSIGNMENTS_MAX, "data", data);
        assign(assignments, ASSIGNMENTS_MAX, "xaxis", "update");
        range_assignments(p, assignments);
        yscale_assignment(p, true, &info, assignments);
        rc = run_gnuplot(p, script, assignments, picture, err);
        p->remark = NULL;
        if (rc != RL_OK)
            return rc;
    }
    return RL_OK;
}

static int plot_sweep(plotter *p, char *assignments, rl_error *err)
{
    const char *metric = rl_plot_metric_name(p->o->metric);
    if (!has_file(p->dir, "episodes.csv")) {
        note(p, "sweep: no episodes.csv (no learner in this experiment)");
        return RL_OK;
    }
    rl_plot_sweep_info info;
    rl_error why;
    rl_error_clear(&why);
    int rc = rl_plot_write_sweep(p->dir, p->o->metric, p->o->first, p->o->last, &info, &why);
    if (rc == RL_EUNSUPPORTED) {
        note(p, "sweep: %s", why.message);
        return RL_OK;
    }
    if (rc != RL_OK) {
        if (err)
            *err = why;
        return rc;
    }
    char script[RL_OUTPUT_PATH_MAX], picture[RL_OUTPUT_PATH_MAX], name[64],
        data[RL_OUTPUT_PATH_MAX + 64];
    if ((rc = write_script(p, "sweep", script, sizeof script, err)) != RL_OK)
        return rc;
    snprintf(name, sizeof name, "sweep_%s", metric);
    snprintf(data, sizeof data, "%.4000s/sweep_%s.csv", p->plots, metric);
    common_assignments(p, name, assignments, picture);
    assign(assignments, ASSIGNMENTS_MAX, "metric", metric);
    assign(assignments, ASSIGNMENTS_MAX, "data", data);
    range_assignments(p, assignments);
    return run_gnuplot(p, script, assignments, picture, err);
}

static int plot_grids(plotter *p, char *assignments, rl_error *err)
{
    if (!has_file(p->dir, "values.csv") || !has_file(p->dir, "policy.csv")) {
        note(p, "grids: no values.csv and policy.csv");
        return RL_OK;
    }
    size_t cells, n = rl_plot_count_configs(p->dir, &cells);
    if (cells > MAX_GRID_CELLS) {
        note(p, "grids: a map of %zu cells is too large to draw (at most %d)", cells,
             MAX_GRID_CELLS);
        return RL_OK;
    }
    int rc = rl_plot_write_arrows(p->dir, err);
    char script[RL_OUTPUT_PATH_MAX], picture[RL_OUTPUT_PATH_MAX], name[64];
    if (rc == RL_OK)
        rc = write_script(p, "grid", script, sizeof script, err);
    bool *ran = rl_plot_configs_with_runs(p->dir, n);
    for (size_t k = 0; rc == RL_OK && k < n; k++) {
        if (ran && !ran[k])
            continue; /* left out of a partial experiment (--only) */
        snprintf(name, sizeof name, "grid_%zu", k);
        common_assignments(p, name, assignments, picture);
        assign_number(assignments, ASSIGNMENTS_MAX, "config", (double)k);
        assign_number(assignments, ASSIGNMENTS_MAX, "heat", p->o->heat);
        rc = run_gnuplot(p, script, assignments, picture, err);
    }
    free(ran);
    return rc;
}

/* Surfaces of every configuration: asked for by name, for any results with values; in
 * "all", only where a learner approximates (weights.csv), since tabular values are better
 * read on the grid picture. */
static int plot_surfaces(plotter *p, char *assignments, rl_error *err)
{
    if (!has_file(p->dir, "values.csv")) {
        note(p, "surfaces: no values.csv");
        return RL_OK;
    }
    if (p->o->what == RL_PLOT_ALL && !has_file(p->dir, "weights.csv"))
        return RL_OK;
    size_t cells, n = rl_plot_count_configs(p->dir, &cells);
    if (cells > MAX_GRID_CELLS) {
        note(p, "surfaces: a map of %zu cells is too large to draw (at most %d)", cells,
             MAX_GRID_CELLS);
        return RL_OK;
    }
    char script[RL_OUTPUT_PATH_MAX], picture[RL_OUTPUT_PATH_MAX], name[64];
    int rc = write_script(p, "surface", script, sizeof script, err);
    for (size_t k = 0; rc == RL_OK && k < n; k++) {
        rl_plot_surface_info info;
        rc = rl_plot_write_surface(p->dir, k, &info, err);
        if (rc == RL_ENOTFOUND) { /* a configuration without values (the random agent) */
            rc = RL_OK;
            continue;
        }
        if (rc != RL_OK)
            break;
        if (!info.has_truth)
            note(p, "surface %zu: the estimate alone (no exact values: %s)", k, info.why);
        snprintf(name, sizeof name, "surface_%zu", k);
        common_assignments(p, name, assignments, picture);
        assign_number(assignments, ASSIGNMENTS_MAX, "config", (double)k);
        rc = run_gnuplot(p, script, assignments, picture, err);
    }
    return rc;
}

static int plot_convergence(plotter *p, char *assignments, rl_error *err)
{
    if (!has_file(p->dir, "iterations.csv")) {
        note(p, "convergence: no iterations.csv (no planner in this experiment)");
        return RL_OK;
    }
    char script[RL_OUTPUT_PATH_MAX], picture[RL_OUTPUT_PATH_MAX];
    int rc = write_script(p, "convergence", script, sizeof script, err);
    if (rc != RL_OK)
        return rc;
    common_assignments(p, "convergence", assignments, picture);
    return run_gnuplot(p, script, assignments, picture, err);
}

int rl_plot_dir(const char *dir, const rl_plot_options *o, rl_error *err)
{
    const rl_plot_options defaults = RL_PLOT_OPTIONS_DEFAULT;
    plotter p = {.dir = dir, .o = o ? o : &defaults};
    struct stat st;
    if (!dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return rl_error_set(err, RL_ENOTFOUND, "no results directory '%s'", dir ? dir : "");
    if (!has_file(dir, "configs.csv") ||
        !(has_file(dir, "values.csv") || has_file(dir, "summary.csv") ||
          has_file(dir, "iterations.csv")))
        return rl_error_set(err, RL_ENOTFOUND,
                            "'%s' holds no results (no configs.csv with values.csv, "
                            "summary.csv or iterations.csv): is it an output directory of "
                            "'gridrl run', and did the run finish?",
                            dir);
    int rc = find_gnuplot(p.o, p.gnuplot, sizeof p.gnuplot, err);
    if (rc != RL_OK)
        return rc;
    if (snprintf(p.plots, sizeof p.plots, "%s/plots", dir) >= (int)sizeof p.plots)
        return rl_error_set(err, RL_ERANGE, "the path '%s' is too long", dir);
    if ((rc = rl_output_make_dir(p.plots, err)) != RL_OK)
        return rc;

    char *assignments = malloc(ASSIGNMENTS_MAX);
    if (!assignments)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    unsigned what = p.o->what;
    if (what & RL_PLOT_CURVES)
        rc = plot_curves(&p, assignments, err);
    if (rc == RL_OK && (what & RL_PLOT_STEPS))
        rc = plot_steps(&p, assignments, err);
    if (rc == RL_OK && (what & RL_PLOT_UPDATES))
        rc = plot_updates(&p, assignments, err);
    if (rc == RL_OK && (what & RL_PLOT_SWEEP))
        rc = plot_sweep(&p, assignments, err);
    if (rc == RL_OK && (what & RL_PLOT_GRID))
        rc = plot_grids(&p, assignments, err);
    if (rc == RL_OK && (what & RL_PLOT_CONVERGENCE))
        rc = plot_convergence(&p, assignments, err);
    if (rc == RL_OK && (what & RL_PLOT_SURFACE))
        rc = plot_surfaces(&p, assignments, err);
    free(assignments);
    if (rc == RL_OK && !p.pictures)
        rc = rl_error_set(err, RL_EUNSUPPORTED, "nothing to plot in '%s': %s", dir,
                          p.skipped[0] ? p.skipped : "no plot asked for");
    return rc;
}

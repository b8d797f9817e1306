/* Drawing results directories with gnuplot: see plot.h.
 *
 * For each picture: derive the data it needs (plot_data.h) and its lines' labels and colours
 * (series.h), write the embedded script into the picture folder, then run `gnuplot -e
 * "variables" FOLDER/SCRIPT.gp` (gnuplot.h), its output captured, so a failure can be
 * reported with gnuplot's own message and warnings reach the log instead of the terminal.
 * Running the script from the folder (not from memory) means the picture was drawn by exactly
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
#include "experiments/plot/gnuplot.h"
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
    const rl_plot_options *o;
    rl_plot_experiment *e;
    size_t n;
    const char *dir; /* the first experiment's */
    char gnuplot[RL_OUTPUT_PATH_MAX];
    char plots[RL_OUTPUT_PATH_MAX];
    char title[512]; /* what the experiments are: "NAME on ENV" */
    rl_plot_series *series; /* room for every configuration of every experiment */
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

/* Writes the embedded script NAME.gp into the picture folder and its path into path. */
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

/* Runs gnuplot on script with the variables in assignments, drawing picture. */
static int run_gnuplot(plotter *p, const char *script, const char *assignments,
                       const char *picture, rl_error *err)
{
    remove(picture); /* so a picture left from before cannot pass for this one */
    char messages[1024];
    int rc = rl_gnuplot_run_script(p->gnuplot, assignments, script, messages, sizeof messages,
                                   err);
    if (rc != RL_OK)
        return rc;
    const char *base = strrchr(script, '/') ? strrchr(script, '/') + 1 : script;
    if (messages[0] && p->o->log)
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

/* The variables every script takes: dir, term, out (FOLDER/NAME.EXT), title. */
static void common_assignments(plotter *p, const char *name, char *assignments, char *picture)
{
    snprintf(picture, RL_OUTPUT_PATH_MAX, "%.4000s/%.60s.%s", p->plots, name,
             rl_plot_format_name(p->o->format));
    assignments[0] = '\0';
    assign(assignments, ASSIGNMENTS_MAX, "dir", p->dir);
    assign(assignments, ASSIGNMENTS_MAX, "term", terminal(p->o->format));
    assign(assignments, ASSIGNMENTS_MAX, "out", picture);
    assign(assignments, ASSIGNMENTS_MAX, "title", p->title);
}

/* The lines of a picture (skip: a column left out of labels) written as PLOTS/FILE and
 * named in the assignment `series`; *n their number. */
static int series_assignment(plotter *p, const char *file, const char *skip, size_t *n,
                             char *assignments, rl_error *err)
{
    rl_plot_series_make(p->e, p->n, skip, false, p->series, n);
    int rc = rl_plot_series_write(p->plots, file, p->series, *n, err);
    char path[RL_OUTPUT_PATH_MAX + 64];
    snprintf(path, sizeof path, "%.4000s/%s", p->plots, file);
    assign(assignments, ASSIGNMENTS_MAX, "series", path);
    return rc;
}

/* The y range of a panel: the user's, else (on a linear axis) the default of what is drawn. */
static void range_assignments(plotter *p, const char *metric, bool log,
                              const rl_plot_curves_info *info, char *assignments)
{
    char name[64];
    double low = isfinite(p->o->ymin) ? p->o->ymin : log || !info ? NAN : info->low;
    double high = isfinite(p->o->ymax) ? p->o->ymax : log || !info ? NAN : info->high;
    if (isfinite(low)) {
        snprintf(name, sizeof name, "ymin_%s", metric);
        assign_number(assignments, ASSIGNMENTS_MAX, name, low);
    }
    if (isfinite(high)) {
        snprintf(name, sizeof name, "ymax_%s", metric);
        assign_number(assignments, ASSIGNMENTS_MAX, name, high);
    }
}

/* Whether a learning curve whose values are as info says gets a log y axis: see
 * rl_plot_yscale. error_like: a value error or a loss, which auto draws on a log axis when
 * it can. */
static bool log_axis(plotter *p, bool error_like, const rl_plot_curves_info *info)
{
    return p->o->yscale == RL_PLOT_YSCALE_LOG ||
           (p->o->yscale == RL_PLOT_YSCALE_AUTO && error_like && info->positive);
}

/* What is said after a picture's name about its y axis. */
static const char *log_remark(plotter *p, bool log)
{
    return !log ? NULL
           : p->o->yscale == RL_PLOT_YSCALE_LOG ? "log y axis"
                                                : "log y axis: every value is > 0";
}

/* The first experiment without the file called name, or NULL when all have it. */
static const char *lacking(plotter *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (!has_file(p->e[i].dir, name))
            return p->e[i].dir;
    return NULL;
}

/* "return_length": the metrics of a picture's name. */
static void metrics_name(const rl_plot_metric *m, size_t n, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? "_" : "",
                 rl_plot_metric_name(m[i]));
}

static int plot_curves(plotter *p, char *assignments, rl_error *err)
{
    /* The mean is summary.csv's; the IQM is computed from every run's episodes. */
    const char *needed = p->o->stat == RL_PLOT_IQM ? "episodes.csv" : "summary.csv";
    const char *missing = lacking(p, needed);
    if (missing) {
        note(p, "learning curves: no %s in %s (no learner in this experiment)", needed,
             missing);
        return RL_OK;
    }
    /* One panel per metric that has values. */
    rl_plot_metric drawn[RL_PLOT_MAX_METRICS];
    rl_plot_curves_info infos[RL_PLOT_MAX_METRICS];
    size_t n_drawn = 0;
    for (size_t i = 0; i < p->o->n_metrics; i++) {
        rl_plot_metric m = p->o->metrics[i];
        rl_plot_curves_info info;
        int rc = rl_plot_write_curves(p->e, p->n, p->plots, m, p->o->stat, p->o->smooth,
                                      p->o->bands, &info, err);
        if (rc != RL_OK)
            return rc;
        if (info.longest <= 1) {
            const char *none = "no episodes to draw";
            for (size_t k = 0; k < p->n; k++)
                if (!p->e[k].log_every_episodes)
                    none = "no episodes to draw (log_every_episodes = 0 keeps none in "
                           "episodes.csv and summary.csv; scores.csv has the runs' scores)";
            note(p, "learning curves: %s",
                 info.longest ? "one episode per run, no curve to draw" : none);
            return RL_OK;
        }
        if (!info.n_defined) {
            note(p, "learning curves of %s: no values%s", rl_plot_metric_name(m),
                 m == RL_PLOT_VALUE_RMSE ? " (no ground truth for these runs)" : "");
            continue;
        }
        drawn[n_drawn] = m;
        infos[n_drawn++] = info;
    }
    if (!n_drawn)
        return RL_OK;
    char script[RL_OUTPUT_PATH_MAX], picture[RL_OUTPUT_PATH_MAX], name[96], metrics[64],
        words[64] = "", data[RL_OUTPUT_PATH_MAX + 64], variable[64];
    int rc = write_script(p, "learning_curve", script, sizeof script, err);
    if (rc != RL_OK)
        return rc;
    metrics_name(drawn, n_drawn, metrics, sizeof metrics);
    snprintf(name, sizeof name, "learning_curve_%s", metrics);
    common_assignments(p, name, assignments, picture);
    size_t n_series;
    rc = series_assignment(p, "curves_series.tsv", NULL, &n_series, assignments, err);
    if (rc != RL_OK)
        return rc;
    bool any_log = false;
    for (size_t i = 0; i < n_drawn; i++) {
        const char *m = rl_plot_metric_name(drawn[i]);
        snprintf(words + strlen(words), sizeof words - strlen(words), "%s%s", i ? " " : "", m);
        snprintf(data, sizeof data, "%.4000s/curves_%s.csv", p->plots, m);
        snprintf(variable, sizeof variable, "data_%s", m);
        assign(assignments, ASSIGNMENTS_MAX, variable, data);
        bool log = log_axis(p, drawn[i] == RL_PLOT_VALUE_RMSE, &infos[i]);
        any_log |= log;
        snprintf(variable, sizeof variable, "logy_%s", m);
        assign_number(assignments, ASSIGNMENTS_MAX, variable, log);
        range_assignments(p, m, log, &infos[i], assignments);
    }
    assign(assignments, ASSIGNMENTS_MAX, "metric", words);
    assign(assignments, ASSIGNMENTS_MAX, "stat", rl_plot_stat_name(p->o->stat));
    assign_number(assignments, ASSIGNMENTS_MAX, "bands", p->o->bands);
    assign_number(assignments, ASSIGNMENTS_MAX, "smooth", (double)p->o->smooth);
    p->remark = log_remark(p, any_log);
    rc = run_gnuplot(p, script, assignments, picture, err);
    p->remark = NULL;
    return rc;
}

/* A quantity logged by the runs and summarised across them into PLOTS/NAME.csv (by
 * rl_plot_write_steps and its kind) drawn by learning_curve.gp as curves of the selected
 * series (written as PLOTS/SERIES): metric names the data's columns, xaxis what its second
 * column counts; error_like as for log_axis. */
static int draw_logged(plotter *p, const char *name, const char *series, const char *metric,
                       const char *xaxis, bool error_like, const rl_plot_curves_info *info,
                       char *assignments, rl_error *err)
{
    char script[RL_OUTPUT_PATH_MAX], picture[RL_OUTPUT_PATH_MAX], variable[64],
        data[RL_OUTPUT_PATH_MAX + 64];
    int rc = write_script(p, "learning_curve", script, sizeof script, err);
    if (rc != RL_OK)
        return rc;
    snprintf(data, sizeof data, "%.4000s/%s.csv", p->plots, name);
    common_assignments(p, name, assignments, picture);
    size_t n_series;
    rc = series_assignment(p, series, NULL, &n_series, assignments, err);
    if (rc != RL_OK)
        return rc;
    assign(assignments, ASSIGNMENTS_MAX, "metric", metric);
    snprintf(variable, sizeof variable, "data_%s", metric);
    assign(assignments, ASSIGNMENTS_MAX, variable, data);
    assign(assignments, ASSIGNMENTS_MAX, "xaxis", xaxis);
    assign_number(assignments, ASSIGNMENTS_MAX, "bands", p->o->bands);
    bool log = log_axis(p, error_like, info);
    snprintf(variable, sizeof variable, "logy_%s", metric);
    assign_number(assignments, ASSIGNMENTS_MAX, variable, log);
    range_assignments(p, metric, log, info, assignments);
    p->remark = log_remark(p, log);
    rc = run_gnuplot(p, script, assignments, picture, err);
    p->remark = NULL;
    return rc;
}

/* The value error per logged step, and the cumulative reward where steps.csv has it
 * (log_cumulative_reward, S&B Figs 8.4 and 8.5): learning_curve.gp with step on the x
 * axis. */
static int plot_steps(plotter *p, char *assignments, rl_error *err)
{
    const char *missing = lacking(p, "steps.csv");
    if (missing) {
        note(p, "per-step curve: no steps.csv in %s (set [experiment] log_every_steps)",
             missing);
        return RL_OK;
    }
    rl_plot_curves_info info;
    int rc = rl_plot_write_steps(p->e, p->n, p->plots, p->o->bands, &info, err);
    if (rc != RL_OK)
        return rc;
    if (info.longest <= 1) {
        note(p, "per-step curve: %s", info.longest ? "one logged step per configuration, no "
                                                     "curve to draw"
                                                   : "steps.csv has no rows");
        return RL_OK;
    }
    if (!info.n_defined)
        note(p, "per-step value error: no value_rmse in steps.csv (no ground truth for these "
                "runs)");
    else if ((rc = draw_logged(p, "steps_value_rmse", "steps_series.tsv", "value_rmse", "step", true, &info,
                               assignments, err)) != RL_OK)
        return rc;
    rl_error why;
    rl_error_clear(&why);
    rc = rl_plot_write_cumulative_reward(p->e, p->n, p->plots, p->o->bands, &info, &why);
    if (rc == RL_ENOTFOUND) /* no experiment logged it */
        return RL_OK;
    if (rc == RL_EUNSUPPORTED) {
        note(p, "cumulative reward: %s", why.message);
        return RL_OK;
    }
    if (rc != RL_OK) {
        if (err)
            *err = why;
        return rc;
    }
    return draw_logged(p, "steps_cumulative_reward", "steps_series.tsv", "cumulative_reward",
                       "step", false, &info, assignments, err);
}

/* The fraction of marked choices per episode (choices.csv: an env with `count` lines, S&B
 * Fig 6.5's "% left actions from A"), drawn with the learning curves when an experiment has
 * choices.csv. */
static int plot_choices(plotter *p, char *assignments, rl_error *err)
{
    size_t with = 0;
    for (size_t i = 0; i < p->n; i++)
        with += has_file(p->e[i].dir, "choices.csv");
    if (!with) /* no env with counted choices: nothing to say */
        return RL_OK;
    const char *missing = lacking(p, "choices.csv");
    if (missing) {
        note(p, "choices: no choices.csv in %s (an env without counted choices)", missing);
        return RL_OK;
    }
    rl_plot_curves_info info;
    int rc = rl_plot_write_choices(p->e, p->n, p->plots, p->o->bands, &info, err);
    if (rc != RL_OK)
        return rc;
    if (info.longest <= 1 || !info.n_defined) {
        note(p, "choices: %s", info.longest <= 1 ? "at most one episode per run, no curve to "
                                                   "draw"
                                                 : "no episode took a counted decision");
        return RL_OK;
    }
    return draw_logged(p, "choices_fraction", "choices_series.tsv", "fraction", "episode", false,
                       &info, assignments, err);
}

/* The loss and the value error per logged training update (Zhao Fig 8.11(d), (e)):
 * learning_curve.gp with update on the x axis, one picture each. */
static int plot_updates(plotter *p, char *assignments, rl_error *err)
{
    const char *missing = lacking(p, "updates.csv");
    if (missing) {
        note(p, "update curves: no updates.csv in %s (learners that train on stored data, "
                "e.g. dqn with updates > 0)",
             missing);
        return RL_OK;
    }
    const char *const columns[] = {"loss", "value_rmse"};
    for (int k = 0; k < 2; k++) {
        rl_plot_curves_info info;
        int rc = rl_plot_write_updates(p->e, p->n, p->plots, columns[k], p->o->bands, &info,
                                       err);
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
        char name[64];
        snprintf(name, sizeof name, "updates_%s", columns[k]);
        rc = draw_logged(p, name, "updates_series.tsv", columns[k], "update", true, &info,
                         assignments, err);
        if (rc != RL_OK)
            return rc;
    }
    return RL_OK;
}

static int plot_sweep(plotter *p, char *assignments, rl_error *err)
{
    const char *missing = lacking(p, "episodes.csv");
    if (missing) {
        note(p, "sweep: no episodes.csv in %s (no learner in this experiment)", missing);
        return RL_OK;
    }
    char script[RL_OUTPUT_PATH_MAX], picture[RL_OUTPUT_PATH_MAX], name[96], metrics[64],
        words[64] = "", data[RL_OUTPUT_PATH_MAX + 64], variable[64];
    rl_plot_sweep_info info = {0};
    int rc = RL_OK;
    metrics_name(p->o->metrics, p->o->n_metrics, metrics, sizeof metrics);
    snprintf(name, sizeof name, "sweep_%s", metrics);
    common_assignments(p, name, assignments, picture);
    for (size_t i = 0; i < p->o->n_metrics; i++) {
        const char *m = rl_plot_metric_name(p->o->metrics[i]);
        rl_error why;
        rl_error_clear(&why);
        free(info.line_experiment);
        free(info.line_config);
        rc = rl_plot_write_sweep(p->e, p->n, p->plots, p->o->metrics[i], p->o->stat,
                                 p->o->first, p->o->last, &info, &why);
        if (rc == RL_EUNSUPPORTED) {
            note(p, "sweep: %s", why.message);
            return RL_OK;
        }
        if (rc != RL_OK) {
            if (err)
                *err = why;
            return rc;
        }
        snprintf(words + strlen(words), sizeof words - strlen(words), "%s%s", i ? " " : "", m);
        snprintf(data, sizeof data, "%.4000s/sweep_%s.csv", p->plots, m);
        snprintf(variable, sizeof variable, "data_%s", m);
        assign(assignments, ASSIGNMENTS_MAX, variable, data);
        range_assignments(p, m, false, NULL, assignments);
    }
    /* A line per line of the sweep file: its first configuration's label without the x
     * key; with several experiments of different windows, the window too. */
    rl_plot_series *s = p->series;
    for (size_t l = 0; l < info.n_lines; l++) {
        const rl_plot_experiment *e = &p->e[info.line_experiment[l]];
        size_t k = info.line_config[l];
        memset(&s[l], 0, sizeof s[l]);
        s[l].id = l;
        s[l].experiment = info.line_experiment[l];
        s[l].config = k;
        rl_plot_label(e, k, info.key, p->n > 1, false, s[l].label, sizeof s[l].label);
        rl_plot_group(e, k, info.key, s[l].group, sizeof s[l].group);
    }
    rl_plot_colour(s, info.n_lines);
    rc = rl_plot_series_write(p->plots, "sweep_series.tsv", s, info.n_lines, err);
    char path[RL_OUTPUT_PATH_MAX + 64];
    snprintf(path, sizeof path, "%.4000s/sweep_series.tsv", p->plots);
    assign(assignments, ASSIGNMENTS_MAX, "series", path);
    assign(assignments, ASSIGNMENTS_MAX, "metric", words);
    assign(assignments, ASSIGNMENTS_MAX, "stat", rl_plot_stat_name(p->o->stat));
    assign_number(assignments, ASSIGNMENTS_MAX, "bands", p->o->bands);
    free(info.line_experiment);
    free(info.line_config);
    if (rc == RL_OK)
        rc = write_script(p, "sweep", script, sizeof script, err);
    p->remark = !info.from_scores ? NULL
                : p->o->stat == RL_PLOT_IQM
                    ? "thinned episodes: scores from scores.csv"
                    : "thinned episodes: scores from scores.csv, whose means have no interval";
    if (rc == RL_OK)
        rc = run_gnuplot(p, script, assignments, picture, err);
    p->remark = NULL;
    return rc;
}

static int plot_grids(plotter *p, char *assignments, rl_error *err)
{
    if (p->n > 1) {
        note(p, "grids: one experiment at a time");
        return RL_OK;
    }
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
    rl_error why;
    rl_error_clear(&why);
    int rc = rl_plot_write_arrows(p->dir, p->plots, &why);
    if (rc == RL_EUNSUPPORTED) { /* actions without a direction: not a grid */
        note(p, "grids: %s", why.message);
        return RL_OK;
    }
    if (rc != RL_OK && err)
        *err = why;
    char script[RL_OUTPUT_PATH_MAX], picture[RL_OUTPUT_PATH_MAX], name[64],
        arrows[RL_OUTPUT_PATH_MAX + 64];
    snprintf(arrows, sizeof arrows, "%.4000s/arrows.csv", p->plots);
    if (rc == RL_OK)
        rc = write_script(p, "grid", script, sizeof script, err);
    bool *ran = rl_plot_configs_with_runs(p->dir, n);
    for (size_t k = 0; rc == RL_OK && k < n; k++) {
        if (k < p->e[0].n_configs && !p->e[0].selected[k])
            continue;
        if (ran && !ran[k])
            continue; /* left out of a partial experiment (--only) */
        snprintf(name, sizeof name, "grid_%zu", k);
        common_assignments(p, name, assignments, picture);
        char label[256];
        rl_plot_label(&p->e[0], k, NULL, false, false, label, sizeof label);
        assign(assignments, ASSIGNMENTS_MAX, "label", label);
        assign(assignments, ASSIGNMENTS_MAX, "arrows", arrows);
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
    if (p->n > 1) {
        if (p->o->what != RL_PLOT_ALL)
            note(p, "surfaces: one experiment at a time");
        return RL_OK;
    }
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
    char script[RL_OUTPUT_PATH_MAX], picture[RL_OUTPUT_PATH_MAX], name[64],
        data[RL_OUTPUT_PATH_MAX + 64];
    int rc = write_script(p, "surface", script, sizeof script, err);
    for (size_t k = 0; rc == RL_OK && k < n; k++) {
        if (k < p->e[0].n_configs && !p->e[0].selected[k])
            continue;
        rl_plot_surface_info info;
        rc = rl_plot_write_surface(p->dir, p->plots, k, &info, err);
        if (rc == RL_ENOTFOUND) { /* a configuration without values (the random agent) */
            rc = RL_OK;
            continue;
        }
        if (rc != RL_OK)
            break;
        if (!info.has_truth)
            note(p, "surface %zu: the estimate alone (no exact values: %s)", k, info.why);
        snprintf(name, sizeof name, "surface_%zu", k);
        snprintf(data, sizeof data, "%.4000s/surface_%zu.csv", p->plots, k);
        common_assignments(p, name, assignments, picture);
        char label[256];
        rl_plot_label(&p->e[0], k, NULL, false, false, label, sizeof label);
        assign(assignments, ASSIGNMENTS_MAX, "label", label);
        assign(assignments, ASSIGNMENTS_MAX, "data", data);
        assign_number(assignments, ASSIGNMENTS_MAX, "config", (double)k);
        rc = run_gnuplot(p, script, assignments, picture, err);
    }
    return rc;
}

static int plot_convergence(plotter *p, char *assignments, rl_error *err)
{
    size_t with_rows = 0;
    for (size_t i = 0; i < p->n; i++)
        with_rows += has_file(p->e[i].dir, "iterations.csv");
    if (!with_rows) {
        note(p, "convergence: no iterations.csv (no planner in this experiment)");
        return RL_OK;
    }
    size_t n_series;
    int rc = rl_plot_write_convergence(p->e, p->n, p->plots, &n_series, err);
    if (rc != RL_OK)
        return rc;
    if (!n_series) {
        note(p, "convergence: no sweeps of the configurations drawn");
        return RL_OK;
    }
    char script[RL_OUTPUT_PATH_MAX], picture[RL_OUTPUT_PATH_MAX],
        data[RL_OUTPUT_PATH_MAX + 64];
    rc = write_script(p, "convergence", script, sizeof script, err);
    if (rc != RL_OK)
        return rc;
    common_assignments(p, "convergence", assignments, picture);
    rc = series_assignment(p, "convergence_series.tsv", NULL, &n_series, assignments, err);
    snprintf(data, sizeof data, "%.4000s/convergence.csv", p->plots);
    assign(assignments, ASSIGNMENTS_MAX, "data", data);
    return rc == RL_OK ? run_gnuplot(p, script, assignments, picture, err) : rc;
}

/* dir holds the results of a `gridrl run`. */
static int check_results(const char *dir, rl_error *err)
{
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
    return RL_OK;
}

static int draw(plotter *p, rl_error *err)
{
    char *assignments = malloc(ASSIGNMENTS_MAX);
    if (!assignments)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    unsigned what = p->o->what;
    int rc = RL_OK;
    if (what & RL_PLOT_CURVES)
        rc = plot_curves(p, assignments, err);
    if (rc == RL_OK && (what & RL_PLOT_CURVES))
        rc = plot_choices(p, assignments, err);
    if (rc == RL_OK && (what & RL_PLOT_STEPS))
        rc = plot_steps(p, assignments, err);
    if (rc == RL_OK && (what & RL_PLOT_UPDATES))
        rc = plot_updates(p, assignments, err);
    if (rc == RL_OK && (what & RL_PLOT_SWEEP))
        rc = plot_sweep(p, assignments, err);
    if (rc == RL_OK && (what & RL_PLOT_GRID))
        rc = plot_grids(p, assignments, err);
    if (rc == RL_OK && (what & RL_PLOT_CONVERGENCE))
        rc = plot_convergence(p, assignments, err);
    if (rc == RL_OK && (what & RL_PLOT_SURFACE))
        rc = plot_surfaces(p, assignments, err);
    free(assignments);
    return rc;
}

int rl_plot_dirs(const char *const *dirs, size_t n, const rl_plot_options *o, rl_error *err)
{
    const rl_plot_options defaults = RL_PLOT_OPTIONS_DEFAULT;
    plotter p = {.o = o ? o : &defaults, .n = n, .dir = n ? dirs[0] : NULL};
    if (!n)
        return rl_error_set(err, RL_EINVAL, "no results directory");
    if (n > 1 && !p.o->out)
        return rl_error_set(err, RL_EINVAL,
                            "%zu experiments: say where their pictures go with -o DIR", n);
    for (size_t i = 0; i < n; i++) {
        int rc = check_results(dirs[i], err);
        if (rc != RL_OK)
            return rc;
    }
    int rc = rl_gnuplot_find(p.o->gnuplot, p.gnuplot, sizeof p.gnuplot, err);
    if (rc != RL_OK)
        return rc;
    if (snprintf(p.plots, sizeof p.plots, "%s%s", p.o->out ? p.o->out : dirs[0],
                 p.o->out ? "" : "/plots") >= (int)sizeof p.plots)
        return rl_error_set(err, RL_ERANGE, "the path '%s' is too long",
                            p.o->out ? p.o->out : dirs[0]);
    p.e = calloc(n, sizeof *p.e);
    if (!p.e)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    size_t read = 0, total = 0;
    for (; rc == RL_OK && read < n; read++) {
        rc = rl_plot_experiment_read(dirs[read], &p.e[read], err);
        if (rc == RL_OK) {
            p.e[read].first_id = total;
            total += p.e[read].n_configs;
        }
    }
    if (rc != RL_OK)
        read--; /* the one that failed freed itself */
    if (rc == RL_OK)
        rc = rl_plot_select(p.e, n, p.o->configs, err);
    if (rc == RL_OK && !(p.series = calloc(total ? total : 1, sizeof *p.series)))
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    if (rc == RL_OK)
        rc = rl_output_make_dir(p.plots, err);
    if (rc == RL_OK) {
        rl_plot_title(p.e, n, p.title, sizeof p.title);
        rc = draw(&p, err);
    }
    for (size_t i = 0; i < read; i++)
        rl_plot_experiment_free(&p.e[i]);
    free(p.e);
    free(p.series);
    if (rc == RL_OK && !p.pictures)
        rc = rl_error_set(err, RL_EUNSUPPORTED, "nothing to plot in '%s': %s", dirs[0],
                          p.skipped[0] ? p.skipped : "no plot asked for");
    return rc;
}

int rl_plot_dir(const char *dir, const rl_plot_options *o, rl_error *err)
{
    return rl_plot_dirs(&dir, 1, o, err);
}

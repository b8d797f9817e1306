/* The plot scripts' derived data files: see plot_data.h. Result files are streamed row by
 * row (episodes.csv of a long sweep runs to gigabytes); columns are found by their header
 * names, so a file with more columns than today's still reads.
 */
#include "experiments/plot/plot_data.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "experiments/io/csv.h"
#include "experiments/runner/plan.h"
#include "experiments/io/output.h"
#include "rl/stats.h"

const char *rl_plot_metric_name(rl_plot_metric m)
{
    return m == RL_PLOT_LENGTH ? "length" : m == RL_PLOT_VALUE_RMSE ? "value_rmse" : "return";
}

const char *rl_plot_stat_name(rl_plot_stat s)
{
    return s == RL_PLOT_IQM ? "iqm" : "mean";
}

/* Opens DIR/NAME with its header (csv.h). */
static int csv_open(rl_csv *c, const char *dir, const char *name, rl_error *err)
{
    char path[RL_OUTPUT_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return rl_csv_open(c, path, NULL, err);
}

/* A field as a number; an empty field (no value defined), or one that is not a number, is
 * NaN. */
static double csv_number(const rl_csv *c, int column)
{
    double x;
    return rl_csv_double(c, column, &x) ? x : NAN;
}

static int bad_number(const rl_csv *c, int column, rl_error *err)
{
    return rl_csv_bad_field(c, column, "a whole number", err);
}

/* A number as the result files write it; NaN as an empty field. */
static void put_number(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.12g", x + 0.0);
}

/* Opens PLOTS/NAME for writing, making the folder PLOTS when it is not there yet. */
static int open_output(rl_output_file *o, const char *plots, const char *name, rl_error *err)
{
    int rc = rl_output_make_dir(plots, err);
    return rc == RL_OK ? rl_output_open(o, plots, name, err) : rc;
}

/* ---- Learning curves ---- */

/* out[i]: the mean of the defined values among x[j] whose episode[j] is one of the window
 * episodes episode[i] - window + 1 .. episode[i] (episodes ascending). With every episode
 * present that is x[i - window + 1 .. i]; episodes thinned by log_every_episodes leave
 * fewer points in a window, never more episodes. rl_moving_average takes finite values only,
 * and a curve may lack values (value_rmse, a one-run interval). */
static void moving_average(const double *x, const size_t *episode, size_t n, size_t window,
                           double *out)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        /* (Episode numbers are read from files: no sum that could wrap around.) */
        while (start < i && (episode[start] > episode[i] || episode[i] - episode[start] >= window))
            start++;
        size_t count = 0;
        double sum = 0.0;
        for (size_t j = start; j <= i; j++)
            if (isfinite(x[j])) {
                sum += x[j];
                count++;
            }
        out[i] = count ? sum / (double)count : NAN;
    }
}

typedef struct curve {
    size_t series, n, capacity;
    size_t *episode, *runs;
    double *y[3]; /* mean, ci95 low, ci95 high */
} curve;

static void curve_free(curve *c)
{
    free(c->episode);
    free(c->runs);
    for (int i = 0; i < 3; i++)
        free(c->y[i]);
}

static int curve_push(curve *c, size_t episode, size_t runs, const double *y, rl_error *err)
{
    if (c->n == c->capacity) {
        size_t capacity = c->capacity ? 2 * c->capacity : 1024;
        size_t *e = realloc(c->episode, capacity * sizeof *e);
        if (e)
            c->episode = e;
        size_t *r = e ? realloc(c->runs, capacity * sizeof *r) : NULL;
        if (r)
            c->runs = r;
        bool ok = r != NULL;
        for (int i = 0; ok && i < 3; i++) {
            double *v = realloc(c->y[i], capacity * sizeof *v);
            if (v)
                c->y[i] = v;
            ok = v != NULL;
        }
        if (!ok)
            return rl_error_set(err, RL_ENOMEM, "out of memory");
        c->capacity = capacity;
    }
    c->episode[c->n] = episode;
    c->runs[c->n] = runs;
    for (int i = 0; i < 3; i++)
        c->y[i][c->n] = y[i];
    c->n++;
    return RL_OK;
}

/* Writes one series' curve (smoothed), adds what is drawn of it to range (bounds with
 * bands), and empties it. */
static int curve_flush(FILE *f, curve *c, size_t smooth, rl_plot_curves_info *info,
                       rl_plot_range *range, bool bands, rl_error *err)
{
    if (smooth > 1 && c->n) {
        double *tmp = malloc(c->n * sizeof *tmp);
        if (!tmp)
            return rl_error_set(err, RL_ENOMEM, "out of memory");
        for (int i = 0; i < 3; i++) {
            moving_average(c->y[i], c->episode, c->n, smooth, tmp);
            memcpy(c->y[i], tmp, c->n * sizeof *tmp);
        }
        free(tmp);
    }
    for (size_t k = 0; k < c->n; k++) {
        fprintf(f, "%zu,%zu,%zu", c->series, c->episode[k], c->runs[k]);
        for (int i = 0; i < 3; i++) {
            fputc(',', f);
            put_number(f, c->y[i][k]);
            if (i && !bands)
                continue;
            if (isfinite(c->y[i][k]) && !(c->y[i][k] > 0))
                info->positive = false;
            int rc = rl_plot_range_add(range, c->y[i][k], rl_plot_is_later(k, c->n), err);
            if (rc != RL_OK)
                return rc;
        }
        fputc('\n', f);
        info->n_defined += isfinite(c->y[0][k]);
    }
    info->longest = c->n > info->longest ? c->n : info->longest;
    c->n = 0;
    return RL_OK;
}

/* Appends experiment e's summary.csv rows of selected configurations to f, as series. */
static int curves_from_summary(const rl_plot_experiment *e, FILE *f, rl_plot_metric metric,
                               size_t smooth, bool bands, rl_plot_curves_info *info,
                               rl_plot_range *range, rl_error *err)
{
    const char *m = rl_plot_metric_name(metric);
    char names[3][64];
    snprintf(names[0], sizeof names[0], "mean_%s", m);
    snprintf(names[1], sizeof names[1], "ci95_low_%s", m);
    snprintf(names[2], sizeof names[2], "ci95_high_%s", m);
    rl_csv in;
    int rc = csv_open(&in, e->dir, "summary.csv", err);
    if (rc != RL_OK)
        return rc;
    int col_config = rl_csv_column(&in, "config", err),
        col_episode = rl_csv_column(&in, "episode", err),
        col_runs = rl_csv_column(&in, "runs", err), col[3];
    for (int i = 0; i < 3; i++)
        col[i] = rl_csv_column(&in, names[i], err);
    if (col_config < 0 || col_episode < 0 || col_runs < 0 || col[0] < 0 || col[1] < 0 ||
        col[2] < 0) {
        rl_csv_close(&in);
        return RL_EPARSE;
    }
    curve c = {0};
    while (rc == RL_OK && (rc = rl_csv_next(&in, err)) == 1) {
        rc = RL_OK;
        size_t config = 0, episode = 0, runs = 0;
        if (!rl_csv_size(&in, col_config, &config))
            rc = bad_number(&in, col_config, err);
        else if (!rl_csv_size(&in, col_episode, &episode))
            rc = bad_number(&in, col_episode, err);
        else if (!rl_csv_size(&in, col_runs, &runs))
            rc = bad_number(&in, col_runs, err);
        else if (config >= e->n_configs)
            rc = rl_csv_error(&in, col_config, err, "configuration %zu is not in configs.csv",
                              config);
        if (rc != RL_OK)
            break;
        if (!e->selected[config])
            continue;
        if (c.n && e->first_id + config != c.series)
            rc = curve_flush(f, &c, smooth, info, range, bands, err);
        c.series = e->first_id + config;
        double y[3] = {csv_number(&in, col[0]), csv_number(&in, col[1]),
                       csv_number(&in, col[2])};
        if (rc == RL_OK)
            rc = curve_push(&c, episode, runs, y, err);
    }
    if (rc == RL_OK)
        rc = curve_flush(f, &c, smooth, info, range, bands, err);
    curve_free(&c);
    rl_csv_close(&in);
    return rc;
}

static int curves_from_episodes(const rl_plot_experiment *e, FILE *f, rl_plot_metric metric,
                                size_t smooth, bool bands, rl_plot_curves_info *info,
                                rl_plot_range *range, rl_error *err);

int rl_plot_write_curves(const rl_plot_experiment *e, size_t n, const char *plots,
                         rl_plot_metric metric, rl_plot_stat stat, size_t smooth, bool bands,
                         rl_plot_curves_info *info, rl_error *err)
{
    const char *m = rl_plot_metric_name(metric), *st = rl_plot_stat_name(stat);
    char file[64];
    snprintf(file, sizeof file, "curves_%s.csv", m);
    memset(info, 0, sizeof *info);
    info->positive = true;
    info->low = info->high = NAN;
    rl_output_file o;
    int rc = open_output(&o, plots, file, err);
    if (rc != RL_OK)
        return rc;
    fprintf(o.f, "series,episode,runs,%s_%s,ci95_low_%s,ci95_high_%s\n", st, m, m, m);
    rl_plot_range range;
    rl_plot_range_init(&range);
    for (size_t i = 0; rc == RL_OK && i < n; i++)
        rc = stat == RL_PLOT_IQM
                 ? curves_from_episodes(&e[i], o.f, metric, smooth, bands, info, &range, err)
                 : curves_from_summary(&e[i], o.f, metric, smooth, bands, info, &range, err);
    if (rc == RL_OK && !rl_plot_range_get(&range, &info->low, &info->high))
        info->low = info->high = NAN;
    rl_plot_range_free(&range);
    return rl_output_close(&o, rc, err);
}

/* ---- Runs, and the policy's arrows ---- */

/* The unit displacement of an action named by words joined by '_' (up, down, left, right,
 * stay): rows grow downwards. False for any other word. */
static bool action_direction(const char *name, double *dx, double *dy)
{
    int drow = 0, dcol = 0;
    for (const char *p = name; *p;) {
        size_t len = strcspn(p, "_");
        if (len == 2 && strncmp(p, "up", 2) == 0)
            drow--;
        else if (len == 4 && strncmp(p, "down", 4) == 0)
            drow++;
        else if (len == 4 && strncmp(p, "left", 4) == 0)
            dcol--;
        else if (len == 5 && strncmp(p, "right", 5) == 0)
            dcol++;
        else if (!(len == 4 && strncmp(p, "stay", 4) == 0))
            return false;
        p += len + (p[len] == '_');
    }
    double norm = sqrt((double)(drow * drow + dcol * dcol));
    *dx = norm > 0 ? dcol / norm : 0.0;
    *dy = norm > 0 ? drow / norm : 0.0;
    return true;
}

/* run -> (config, replicate) from DIR/runs.csv, and the most episodes of a run. Every
 * number read from a result file is untrusted: a run's configuration must be one of the
 * n_configs that DIR/configs.csv lists, so that it can index per-configuration arrays. Runs
 * come in increasing order; a run a partial experiment (--only) did not run has config
 * RUN_ABSENT. */
#define RUN_ABSENT ((size_t)-1)

typedef struct run_table {
    size_t n, most_episodes;
    size_t *config, *replicate;
} run_table;

static void run_table_free(run_table *t)
{
    free(t->config);
    free(t->replicate);
}

static int run_table_read(const char *dir, size_t n_configs, run_table *t, rl_error *err)
{
    memset(t, 0, sizeof *t);
    rl_csv in;
    int rc = csv_open(&in, dir, "runs.csv", err);
    if (rc != RL_OK)
        return rc;
    int col_run = rl_csv_column(&in, "run", err), col_config = rl_csv_column(&in, "config", err),
        col_replicate = rl_csv_column(&in, "replicate", err),
        col_episodes = rl_csv_column(&in, "episodes", err);
    if (col_run < 0 || col_config < 0 || col_replicate < 0 || col_episodes < 0) {
        rl_csv_close(&in);
        return RL_EPARSE;
    }
    size_t capacity = 0;
    while ((rc = rl_csv_next(&in, err)) == 1) {
        size_t run = 0, config = 0, replicate = 0, episodes = 0;
        rc = RL_OK;
        if (!rl_csv_size(&in, col_run, &run))
            rc = bad_number(&in, col_run, err);
        else if (!rl_csv_size(&in, col_config, &config))
            rc = bad_number(&in, col_config, err);
        else if (!rl_csv_size(&in, col_replicate, &replicate))
            rc = bad_number(&in, col_replicate, err);
        else if (!rl_csv_size(&in, col_episodes, &episodes))
            rc = bad_number(&in, col_episodes, err);
        else if (run < t->n || run >= RL_PLAN_MAX_RUNS) {
            rl_error_set(err, RL_EPARSE, "run %zu where a run from %zu on was expected", run,
                         t->n);
            rc = rl_error_locate(err, RL_EPARSE, in.path, (int)in.line_no, col_run + 1, "run");
        } else if (config >= n_configs) {
            rl_error_set(err, RL_EPARSE, "configuration %zu is not in configs.csv (%zu "
                                         "configurations)",
                         config, n_configs);
            rc = rl_error_locate(err, RL_EPARSE, in.path, (int)in.line_no, col_config + 1,
                                 "config");
        }
        if (rc != RL_OK)
            break;
        if (run >= capacity) {
            while (run >= capacity)
                capacity = capacity ? 2 * capacity : 64;
            size_t *a = realloc(t->config, capacity * sizeof *a);
            if (a)
                t->config = a;
            size_t *b = a ? realloc(t->replicate, capacity * sizeof *b) : NULL;
            if (b)
                t->replicate = b;
            if (!b) {
                rc = rl_error_set(err, RL_ENOMEM, "out of memory");
                break;
            }
        }
        for (; t->n < run; t->n++) { /* runs the experiment left out */
            t->config[t->n] = RUN_ABSENT;
            t->replicate[t->n] = RUN_ABSENT;
        }
        t->config[t->n] = config;
        t->replicate[t->n] = replicate;
        t->most_episodes = episodes > t->most_episodes ? episodes : t->most_episodes;
        t->n++;
    }
    rl_csv_close(&in);
    if (rc != RL_OK)
        run_table_free(t);
    return rc;
}

/* ---- IQM curves ---- */

/* One row of episodes.csv: a run's value (NaN: empty) at an episode. */
typedef struct episode_value {
    size_t episode, run;
    double value;
} episode_value;

static int compare_episode_values(const void *a, const void *b)
{
    const episode_value *p = a, *q = b;
    if (p->episode != q->episode)
        return p->episode < q->episode ? -1 : 1;
    return p->run < q->run ? -1 : p->run > q->run;
}

/* Summarises one configuration's rows (sorted here by episode) by the IQM across runs per
 * episode, with its bootstrap interval when bands are drawn, and writes the curve. */
static int iqm_flush(FILE *f, size_t config, size_t series, episode_value *rows, size_t n,
                     size_t smooth, bool bands, curve *c, rl_plot_curves_info *info,
                     rl_plot_range *range, rl_error *err)
{
    qsort(rows, n, sizeof *rows, compare_episode_values);
    double *x = malloc((n ? n : 1) * sizeof *x), *sorted = malloc((n ? n : 1) * sizeof *sorted);
    double *work = malloc((n + RL_PLOT_BOOTSTRAP) * sizeof *work);
    int rc = x && sorted && work ? RL_OK : rl_error_set(err, RL_ENOMEM, "out of memory");
    c->series = series;
    for (size_t i = 0; rc == RL_OK && i < n;) {
        size_t j = i, count = 0;
        for (; j < n && rows[j].episode == rows[i].episode; j++)
            if (isfinite(rows[j].value))
                x[count++] = rows[j].value;
        memcpy(sorted, x, count * sizeof *x);
        double y[3] = {rl_iqm(sorted, count), NAN, NAN};
        if (bands && count >= 2)
            rl_iqm_bootstrap(x, count, RL_PLOT_BOOTSTRAP,
                             (unsigned long)config * 1000003ul + rows[i].episode, &y[1], &y[2],
                             work, NULL);
        rc = curve_push(c, rows[i].episode, j - i, y, err);
        i = j;
    }
    free(x);
    free(sorted);
    free(work);
    return rc == RL_OK ? curve_flush(f, c, smooth, info, range, bands, err) : rc;
}

static int curves_from_episodes(const rl_plot_experiment *e, FILE *f, rl_plot_metric metric,
                                size_t smooth, bool bands, rl_plot_curves_info *info,
                                rl_plot_range *range, rl_error *err)
{
    run_table runs;
    int rc = run_table_read(e->dir, e->n_configs, &runs, err);
    if (rc != RL_OK)
        return rc;
    rl_csv in;
    rc = csv_open(&in, e->dir, "episodes.csv", err);
    if (rc != RL_OK) {
        run_table_free(&runs);
        return rc;
    }
    int col_run = rl_csv_column(&in, "run", err),
        col_episode = rl_csv_column(&in, "episode", err),
        col_value = rl_csv_column(&in, rl_plot_metric_name(metric), err);
    bool *done = calloc(e->n_configs ? e->n_configs : 1, sizeof *done);
    if (col_run < 0 || col_episode < 0 || col_value < 0)
        rc = RL_EPARSE;
    else if (!done)
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    episode_value *rows = NULL;
    size_t n = 0, capacity = 0, current = 0;
    curve c = {0};
    while (rc == RL_OK && (rc = rl_csv_next(&in, err)) == 1) {
        rc = RL_OK;
        size_t run = 0, episode = 0;
        if (!rl_csv_size(&in, col_run, &run))
            rc = bad_number(&in, col_run, err);
        else if (!rl_csv_size(&in, col_episode, &episode))
            rc = bad_number(&in, col_episode, err);
        else if (run >= runs.n || runs.config[run] == RUN_ABSENT)
            rc = rl_csv_error(&in, col_run, err, "run %zu is not in runs.csv", run);
        if (rc == RL_OK && n && runs.config[run] != current) {
            done[current] = true;
            rc = iqm_flush(f, current, e->first_id + current, rows, n, smooth, bands, &c, info,
                           range, err);
            n = 0;
        }
        if (rc == RL_OK && done[runs.config[run]])
            rc = rl_csv_error(&in, col_run, err,
                              "run %zu of configuration %zu comes after other configurations' "
                              "runs (episodes.csv must be by run)",
                              run, runs.config[run]);
        if (rc != RL_OK)
            break;
        current = runs.config[run];
        if (!e->selected[current])
            continue;
        if (n == capacity) {
            capacity = capacity ? 2 * capacity : 4096;
            episode_value *grown = realloc(rows, capacity * sizeof *grown);
            if (!grown) {
                rc = rl_error_set(err, RL_ENOMEM, "out of memory");
                break;
            }
            rows = grown;
        }
        rows[n++] = (episode_value){episode, run, csv_number(&in, col_value)};
    }
    if (rc == RL_OK && n)
        rc = iqm_flush(f, current, e->first_id + current, rows, n, smooth, bands, &c, info,
                       range, err);
    free(rows);
    free(done);
    curve_free(&c);
    rl_csv_close(&in);
    run_table_free(&runs);
    return rc;
}

/* ---- The policy's arrows ---- */

int rl_plot_write_arrows(const char *dir, const char *plots, rl_error *err)
{
    rl_plot_experiment e;
    int rc = rl_plot_experiment_read(dir, &e, err);
    if (rc != RL_OK)
        return rc;
    run_table runs;
    rc = run_table_read(dir, e.n_configs, &runs, err);
    rl_plot_experiment_free(&e);
    if (rc != RL_OK)
        return rc;
    rl_csv in;
    rc = csv_open(&in, dir, "policy.csv", err);
    if (rc != RL_OK) {
        run_table_free(&runs);
        return rc;
    }
    int col_run = rl_csv_column(&in, "run", err), col_state = rl_csv_column(&in, "state", err),
        col_row = rl_csv_column(&in, "row", err), col_col = rl_csv_column(&in, "col", err),
        col_action = rl_csv_column(&in, "action", err),
        col_p = rl_csv_column(&in, "probability", err);
    rl_output_file o;
    if (col_run < 0 || col_state < 0 || col_row < 0 || col_col < 0 || col_action < 0 ||
        col_p < 0)
        rc = RL_EPARSE;
    else
        rc = open_output(&o, plots, "arrows.csv", err);
    if (rc != RL_OK) {
        rl_csv_close(&in);
        run_table_free(&runs);
        return rc;
    }
    fprintf(o.f, "config,run,state,row,col,action,probability,x,y,dx,dy,x0,y0\n");
    while ((rc = rl_csv_next(&in, err)) == 1) {
        rc = RL_OK;
        size_t run = 0, state = 0, row = 0, col = 0;
        if (!rl_csv_size(&in, col_run, &run))
            rc = bad_number(&in, col_run, err);
        else if (!rl_csv_size(&in, col_state, &state))
            rc = bad_number(&in, col_state, err);
        else if (!rl_csv_size(&in, col_row, &row))
            rc = bad_number(&in, col_row, err);
        else if (!rl_csv_size(&in, col_col, &col))
            rc = bad_number(&in, col_col, err);
        else if (run >= runs.n || runs.config[run] == RUN_ABSENT) {
            rl_error_set(err, RL_EPARSE, "run %zu is not in runs.csv", run);
            rc = rl_error_locate(err, RL_EPARSE, in.path, (int)in.line_no, col_run + 1, "run");
        }
        if (rc != RL_OK)
            break;
        if (runs.replicate[run] != 0)
            continue;
        double ux, uy, p = csv_number(&in, col_p);
        if (!action_direction(in.field[col_action], &ux, &uy)) {
            /* Not malformed: an env whose actions are not moves (an MDP file's). */
            rl_error_set(err, RL_EUNSUPPORTED, "action '%s' is not a move on a grid (words up, "
                                               "down, left, right or stay joined by '_')",
                         in.field[col_action]);
            rc = rl_error_locate(err, RL_EUNSUPPORTED, in.path, (int)in.line_no, col_action + 1,
                                 "action");
            break;
        }
        if (!isfinite(p))
            p = 0.0;
        double length = p * RL_PLOT_ARROW_SCALE;
        fprintf(o.f, "%zu,%zu,%zu,%zu,%zu,%s,", runs.config[run], run, state, row, col,
                in.field[col_action]);
        put_number(o.f, p);
        fprintf(o.f, ",%zu,%zu,", col, row);
        put_number(o.f, ux * length);
        fputc(',', o.f);
        put_number(o.f, uy * length);
        /* The tail: centred for a sure action, at the centre for one of several. */
        double shift = p >= 1.0 ? 0.5 * length : 0.0;
        fputc(',', o.f);
        put_number(o.f, (double)col - ux * shift);
        fputc(',', o.f);
        put_number(o.f, (double)row - uy * shift);
        fputc('\n', o.f);
    }
    rl_csv_close(&in);
    run_table_free(&runs);
    return rl_output_close(&o, rc, err);
}

/* ---- Per logged step, per logged update, per episode of choices.csv ---- */

/* One row of steps.csv (updates.csv): a run's value (NaN: empty) at a logged step
 * (update). */
typedef struct step_value {
    size_t step, run;
    double value;
} step_value;

static int compare_step_values(const void *a, const void *b)
{
    const step_value *p = a, *q = b;
    if (p->step != q->step)
        return p->step < q->step ? -1 : 1;
    return p->run < q->run ? -1 : p->run > q->run;
}

/* Summarises one configuration's rows (sorted here by step) into c and writes its curve.
 * x has room for n values; what names the x column in messages. */
static int steps_flush(FILE *f, size_t series, step_value *rows, size_t n, double *x, curve *c,
                       rl_plot_curves_info *info, rl_plot_range *range, bool bands,
                       const char *path, const char *what, rl_error *err)
{
    qsort(rows, n, sizeof *rows, compare_step_values);
    c->series = series;
    int rc = RL_OK;
    for (size_t i = 0; rc == RL_OK && i < n;) {
        size_t j = i, count = 0;
        for (; j < n && rows[j].step == rows[i].step; j++) {
            if (j > i && rows[j].run == rows[j - 1].run)
                return rl_error_set(err, RL_EPARSE, "'%s': run %zu logs %s %zu twice", path,
                                    rows[j].run, what, rows[j].step);
            if (isfinite(rows[j].value))
                x[count++] = rows[j].value;
        }
        rl_summary s;
        rl_summary_compute(x, count, &s);
        const double y[3] = {s.mean, s.ci95_low, s.ci95_high};
        rc = curve_push(c, rows[i].step, j - i, y, err);
        i = j;
    }
    return rc == RL_OK ? curve_flush(f, c, 0, info, range, bands, err) : rc;
}

/* What a per-run log file is: DIR/IN_NAME's column x_name counts the logged points, and
 * value_name is summarised across runs into PLOTS/OUT_NAME. */
typedef struct logged_file {
    const char *in_name, *x_name, *value_name, *out_name;
} logged_file;

/* Appends experiment e's summaries of what->in_name to f: for each selected configuration
 * and value of the column what->x_name, in order, the runs that logged it and the mean and
 * 95% t-interval of their defined what->value_name (see rl_plot_write_steps). */
static int logged_of(const rl_plot_experiment *e, const logged_file *what, FILE *f,
                     bool bands, rl_plot_curves_info *info, rl_plot_range *range,
                     rl_error *err)
{
    run_table runs;
    int rc = run_table_read(e->dir, e->n_configs, &runs, err);
    if (rc != RL_OK)
        return rc;
    rl_csv in;
    rc = csv_open(&in, e->dir, what->in_name, err);
    if (rc != RL_OK) {
        run_table_free(&runs);
        return rc;
    }
    int col_run = rl_csv_column(&in, "run", err),
        col_step = rl_csv_column(&in, what->x_name, err),
        col_value = rl_csv_column(&in, what->value_name, err);
    /* The configurations already written: their runs must not come back later. */
    bool *done = calloc(e->n_configs ? e->n_configs : 1, sizeof *done);
    if (col_run < 0 || col_step < 0 || col_value < 0)
        rc = RL_EPARSE;
    else if (!done)
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    /* The current configuration's rows, and room for its values at one step. */
    step_value *rows = NULL;
    double *x = NULL;
    size_t n = 0, capacity = 0, current = 0;
    curve c = {0};
    while (rc == RL_OK && (rc = rl_csv_next(&in, err)) == 1) {
        rc = RL_OK;
        size_t run = 0, step = 0;
        if (!rl_csv_size(&in, col_run, &run))
            rc = bad_number(&in, col_run, err);
        else if (!rl_csv_size(&in, col_step, &step))
            rc = bad_number(&in, col_step, err);
        else if (run >= runs.n || runs.config[run] == RUN_ABSENT) {
            rl_error_set(err, RL_EPARSE, "run %zu is not in runs.csv", run);
            rc = rl_error_locate(err, RL_EPARSE, in.path, (int)in.line_no, col_run + 1, "run");
        }
        if (rc == RL_OK && n && runs.config[run] != current) {
            done[current] = true;
            rc = steps_flush(f, e->first_id + current, rows, n, x, &c, info, range, bands,
                             in.path, what->x_name, err);
            n = 0;
        }
        if (rc == RL_OK && done[runs.config[run]]) {
            rl_error_set(err, RL_EPARSE, "run %zu of configuration %zu comes after other "
                                         "configurations' runs (%s must be by run)",
                         run, runs.config[run], what->in_name);
            rc = rl_error_locate(err, RL_EPARSE, in.path, (int)in.line_no, col_run + 1, "run");
        }
        if (rc != RL_OK)
            break;
        current = runs.config[run];
        if (!e->selected[current])
            continue;
        if (n == capacity) {
            capacity = capacity ? 2 * capacity : 1024;
            step_value *grown = realloc(rows, capacity * sizeof *grown);
            if (grown)
                rows = grown;
            double *more = grown ? realloc(x, capacity * sizeof *more) : NULL;
            if (more)
                x = more;
            if (!more) {
                rc = rl_error_set(err, RL_ENOMEM, "out of memory");
                break;
            }
        }
        rows[n++] = (step_value){step, run, csv_number(&in, col_value)};
    }
    if (rc == RL_OK && n)
        rc = steps_flush(f, e->first_id + current, rows, n, x, &c, info, range, bands, in.path,
                         what->x_name, err);
    free(rows);
    free(x);
    free(done);
    curve_free(&c);
    rl_csv_close(&in);
    run_table_free(&runs);
    return rc;
}

/* PLOTS/what->out_name from every experiment's what->in_name (see logged_of). */
static int write_logged(const rl_plot_experiment *e, size_t n, const char *plots,
                        const logged_file *what, bool bands, rl_plot_curves_info *info,
                        rl_error *err)
{
    memset(info, 0, sizeof *info);
    info->positive = true;
    info->low = info->high = NAN;
    rl_output_file o;
    int rc = open_output(&o, plots, what->out_name, err);
    if (rc != RL_OK)
        return rc;
    const char *v = what->value_name;
    fprintf(o.f, "series,%s,runs,mean_%s,ci95_low_%s,ci95_high_%s\n", what->x_name, v, v, v);
    rl_plot_range range;
    rl_plot_range_init(&range);
    for (size_t i = 0; rc == RL_OK && i < n; i++)
        rc = logged_of(&e[i], what, o.f, bands, info, &range, err);
    if (rc == RL_OK && !rl_plot_range_get(&range, &info->low, &info->high))
        info->low = info->high = NAN;
    rl_plot_range_free(&range);
    return rl_output_close(&o, rc, err);
}

int rl_plot_write_steps(const rl_plot_experiment *e, size_t n, const char *plots, bool bands,
                        rl_plot_curves_info *info, rl_error *err)
{
    const logged_file what = {"steps.csv", "step", "value_rmse", "steps_value_rmse.csv"};
    return write_logged(e, n, plots, &what, bands, info, err);
}

int rl_plot_write_updates(const rl_plot_experiment *e, size_t n, const char *plots,
                          const char *column, bool bands, rl_plot_curves_info *info,
                          rl_error *err)
{
    if (!column || (strcmp(column, "loss") != 0 && strcmp(column, "value_rmse") != 0)) {
        memset(info, 0, sizeof *info);
        return rl_error_set(err, RL_EINVAL, "updates.csv has no curve '%s' (loss, value_rmse)",
                            column ? column : "(null)");
    }
    char out_name[64];
    snprintf(out_name, sizeof out_name, "updates_%s.csv", column);
    const logged_file what = {"updates.csv", "update", column, out_name};
    return write_logged(e, n, plots, &what, bands, info, err);
}

/* Whether DIR/NAME has a column COLUMN (false when it cannot be read). */
static bool has_column(const char *dir, const char *name, const char *column)
{
    rl_csv in;
    if (csv_open(&in, dir, name, NULL) != RL_OK)
        return false;
    bool found = rl_csv_column(&in, column, NULL) >= 0;
    rl_csv_close(&in);
    return found;
}

int rl_plot_write_cumulative_reward(const rl_plot_experiment *e, size_t n, const char *plots,
                                    bool bands, rl_plot_curves_info *info, rl_error *err)
{
    size_t with = 0;
    const char *without = NULL;
    for (size_t i = 0; i < n; i++) {
        if (has_column(e[i].dir, "steps.csv", "cumulative_reward"))
            with++;
        else if (!without)
            without = e[i].dir;
    }
    if (without) {
        memset(info, 0, sizeof *info);
        return rl_error_set(err, with ? RL_EUNSUPPORTED : RL_ENOTFOUND,
                            "'%s/steps.csv' has no column 'cumulative_reward' (set "
                            "[experiment] log_cumulative_reward)",
                            without);
    }
    const logged_file what = {"steps.csv", "step", "cumulative_reward",
                              "steps_cumulative_reward.csv"};
    return write_logged(e, n, plots, &what, bands, info, err);
}

int rl_plot_write_choices(const rl_plot_experiment *e, size_t n, const char *plots, bool bands,
                          rl_plot_curves_info *info, rl_error *err)
{
    const logged_file what = {"choices.csv", "episode", "fraction", "choices_fraction.csv"};
    return write_logged(e, n, plots, &what, bands, info, err);
}

/* ---- Sweeps ---- */

static bool is_number(const char *text, double *x)
{
    char *end;
    *x = strtod(text, &end);
    return text[0] && !*end && isfinite(*x);
}

/* The column of configs.csv on the x axis (see rl_plot_write_sweep), or -1. */
static int sweep_column(const rl_plot_experiment *t)
{
    int chosen = -1;
    bool chosen_numeric = false;
    for (size_t j = 2; j < t->n_columns; j++) {
        bool varies = false, numeric = true;
        for (size_t i = 0; i < t->n_configs; i++) {
            double x;
            varies |= strcmp(rl_plot_experiment_cell(t, i, j), rl_plot_experiment_cell(t, 0, j)) != 0;
            numeric &= is_number(rl_plot_experiment_cell(t, i, j), &x);
        }
        if (varies && (numeric || !chosen_numeric)) {
            chosen = (int)j;
            chosen_numeric = numeric;
        }
    }
    return chosen;
}

/* Whether configurations a and b differ only in column x (and the config number). */
static bool same_line(const rl_plot_experiment *t, size_t a, size_t b, size_t x)
{
    for (size_t j = 1; j < t->n_columns; j++)
        if (j != x && strcmp(rl_plot_experiment_cell(t, a, j), rl_plot_experiment_cell(t, b, j)) != 0)
            return false;
    return true;
}

/* One run's running score: the metric's sum over its window, defined values only. */
typedef struct run_score {
    double sum;
    size_t count;
} run_score;

typedef struct sweep_row {
    size_t experiment, config, line;
    double x, mean, low, high;
    size_t runs;
} sweep_row;

static int compare_rows(const void *a, const void *b)
{
    const sweep_row *p = a, *q = b;
    if (p->line != q->line)
        return p->line < q->line ? -1 : 1;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return p->config < q->config ? -1 : p->config > q->config;
}

/* Each run's mean of the metric over its window, from episodes.csv (NaN: no value). */
static int read_run_scores(const char *dir, rl_plot_metric metric, size_t first, size_t last,
                           const run_table *runs, double *score, rl_error *err)
{
    for (size_t r = 0; r < runs->n; r++)
        score[r] = NAN;
    rl_csv in;
    int rc = csv_open(&in, dir, "episodes.csv", err);
    if (rc != RL_OK)
        return rc;
    int col_run = rl_csv_column(&in, "run", err), col_episode = rl_csv_column(&in, "episode", err),
        col_value = rl_csv_column(&in, rl_plot_metric_name(metric), err);
    if (col_run < 0 || col_episode < 0 || col_value < 0) {
        rl_csv_close(&in);
        return RL_EPARSE;
    }
    /* The last `last` values of the current run, in a ring; a window longer than every run
     * is the whole run. The ring grows with the episodes actually read (runs.csv's episode
     * counts are not trusted to size it). */
    if (last > runs->most_episodes)
        last = runs->most_episodes ? runs->most_episodes : 1;
    double *ring = NULL;
    size_t ring_size = 0;
    size_t current = (size_t)-1, seen = 0;
    run_score s = {0};
    for (;;) {
        int more = rl_csv_next(&in, err);
        size_t run = (size_t)-1, episode = 0;
        if (more < 0) {
            rc = more;
            break;
        }
        if (more) {
            if (!rl_csv_size(&in, col_run, &run))
                rc = bad_number(&in, col_run, err);
            else if (!rl_csv_size(&in, col_episode, &episode))
                rc = bad_number(&in, col_episode, err);
            else if (run >= runs->n || runs->config[run] == RUN_ABSENT ||
                     (current != (size_t)-1 && run < current)) {
                rl_error_set(err, RL_EPARSE, "run %zu is out of order or not in runs.csv", run);
                rc = rl_error_locate(err, RL_EPARSE, in.path, (int)in.line_no, col_run + 1, "run");
            }
            if (rc != RL_OK)
                break;
        }
        if (run != current && current != (size_t)-1) {
            /* The run that just ended. */
            if (last) {
                size_t n = seen < last ? seen : last;
                for (size_t i = 0; i < n; i++)
                    if (isfinite(ring[i])) {
                        s.sum += ring[i];
                        s.count++;
                    }
            }
            score[current] = s.count ? s.sum / (double)s.count : NAN;
            s = (run_score){0};
            seen = 0;
        }
        if (!more)
            break;
        current = run;
        double v = csv_number(&in, col_value);
        if (last && seen < last && seen == ring_size) {
            size_t size = ring_size ? 2 * ring_size : 1024;
            size = size < last ? size : last;
            double *grown = realloc(ring, size * sizeof *grown);
            if (!grown) {
                rc = rl_error_set(err, RL_ENOMEM, "out of memory");
                break;
            }
            ring = grown;
            ring_size = size;
        }
        if (last)
            ring[seen++ % last] = v;
        else if ((!first || episode <= first) && isfinite(v)) {
            s.sum += v;
            s.count++;
        }
    }
    free(ring);
    rl_csv_close(&in);
    return rc;
}

/* A configuration's row of scores.csv (statistics.h): its runs' mean score, their IQM and
 * its bootstrap interval. */
typedef struct config_score {
    bool seen;
    size_t runs;
    double mean, iqm, low, high;
} config_score;

/* Reads e's scores.csv into score[0 .. e->n_configs). Untrusted: each row's configuration
 * must be one configs.csv lists, once, and its run count at most runs.csv's runs of it. */
static int read_config_scores(const rl_plot_experiment *e, const run_table *runs,
                              config_score *score, rl_error *err)
{
    for (size_t k = 0; k < e->n_configs; k++)
        score[k] = (config_score){false, 0, NAN, NAN, NAN, NAN};
    rl_csv in;
    int rc = csv_open(&in, e->dir, "scores.csv", err);
    if (rc != RL_OK)
        return rc;
    const char *const names[] = {"config", "runs", "mean", "iqm", "iqm_ci95_low",
                                 "iqm_ci95_high"};
    int col[6];
    for (int i = 0; i < 6; i++)
        if ((col[i] = rl_csv_column(&in, names[i], err)) < 0)
            rc = RL_EPARSE;
    while (rc == RL_OK && (rc = rl_csv_next(&in, err)) == 1) {
        rc = RL_OK;
        size_t config = 0, n = 0, of_config = 0;
        if (!rl_csv_size(&in, col[0], &config))
            rc = bad_number(&in, col[0], err);
        else if (!rl_csv_size(&in, col[1], &n))
            rc = bad_number(&in, col[1], err);
        else if (config >= e->n_configs)
            rc = rl_csv_error(&in, col[0], err, "configuration %zu is not in configs.csv (%zu "
                                                "configurations)",
                              config, e->n_configs);
        else if (score[config].seen)
            rc = rl_csv_error(&in, col[0], err, "configuration %zu has a second row", config);
        if (rc != RL_OK)
            break;
        for (size_t r = 0; r < runs->n; r++)
            of_config += runs->config[r] == config;
        if (n > of_config) {
            rc = rl_csv_error(&in, col[1], err, "%zu runs, but runs.csv has %zu of "
                                                "configuration %zu",
                              n, of_config, config);
            break;
        }
        score[config] = (config_score){true, n, csv_number(&in, col[2]), csv_number(&in, col[3]),
                                       csv_number(&in, col[4]), csv_number(&in, col[5])};
    }
    rl_csv_close(&in);
    return rc;
}

/* "mean return over the first 100 episodes": what a run's score is. */
static void describe_window(rl_plot_metric metric, rl_plot_stat stat, size_t first,
                            size_t last, char *out, size_t size)
{
    const char *what = metric == RL_PLOT_RETURN   ? "return"
                       : metric == RL_PLOT_LENGTH ? "episode length"
                                                  : "value RMSE";
    const char *of = stat == RL_PLOT_IQM ? "IQM of the runs' mean" : "mean";
    if (first == 1 || (!first && last == 1))
        snprintf(out, size, "%s %s over the %s episode", of, what, first ? "first" : "last");
    else if (first)
        snprintf(out, size, "%s %s over the first %zu episodes", of, what, first);
    else if (last)
        snprintf(out, size, "%s %s over the last %zu episodes", of, what, last);
    else
        snprintf(out, size, "%s %s over all episodes", of, what);
}

/* Experiment e's rows: appended to rows (room for e's configurations), its lines numbered
 * from info->n_lines on. x values that are not all numbers are placed at 0, 1, ... in order
 * of first appearance; numeric says which. */
static int sweep_rows(const rl_plot_experiment *e, size_t experiment, const char *key,
                      rl_plot_metric metric, rl_plot_stat stat, size_t first, size_t last,
                      sweep_row *rows, size_t *n_rows, bool *numeric, char *summary,
                      size_t summary_size, rl_plot_sweep_info *info, rl_error *err)
{
    int x = -1;
    for (size_t j = 2; j < e->n_columns; j++)
        if (strcmp(e->columns[j], key) == 0)
            x = (int)j;
    if (x < 0)
        return rl_error_set(err, RL_EUNSUPPORTED, "%s does not sweep %s", e->name, key);
    if (!first && !last)
        last = e->score_episodes;
    /* Episodes thinned by log_every_episodes: a run's mean over a window is no longer in
     * episodes.csv, but its score (the mean return over the last score_episodes, counted
     * over every episode) is summarised in scores.csv. */
    bool thinned = e->log_every_episodes != 1;
    if (thinned && (metric != RL_PLOT_RETURN || first || last != e->score_episodes)) {
        char window[160];
        describe_window(RL_PLOT_RETURN, RL_PLOT_MEAN, 0, e->score_episodes, window,
                        sizeof window);
        char kept[64];
        if (e->log_every_episodes)
            snprintf(kept, sizeof kept, "one episode in %zu", e->log_every_episodes);
        else
            snprintf(kept, sizeof kept, "no episode");
        return rl_error_set(err, RL_EUNSUPPORTED,
                            "%s keeps %s in episodes.csv (log_every_episodes = %zu): only its "
                            "runs' score, the %s (scores.csv), can be drawn against %s",
                            e->name, kept, e->log_every_episodes, window, key);
    }
    run_table runs;
    int rc = run_table_read(e->dir, e->n_configs, &runs, err);
    if (rc != RL_OK)
        return rc;
    describe_window(metric, stat, first, last, summary, summary_size);
    config_score *scores = thinned ? malloc((e->n_configs ? e->n_configs : 1) * sizeof *scores)
                                   : NULL;
    double *score = malloc((runs.n ? runs.n : 1) * sizeof *score);
    double *values = malloc((runs.n ? runs.n : 1) * sizeof *values);
    double *work = malloc((runs.n + RL_PLOT_BOOTSTRAP) * sizeof *work);
    size_t *line_of = calloc(e->n_configs ? e->n_configs : 1, sizeof *line_of);
    double *x_of = calloc(e->n_configs ? e->n_configs : 1, sizeof *x_of);
    size_t *line_experiment = realloc(info->line_experiment,
                                      (info->n_lines + e->n_configs + 1) * sizeof(size_t));
    if (line_experiment)
        info->line_experiment = line_experiment;
    size_t *line_config = line_experiment ? realloc(info->line_config,
                                                    (info->n_lines + e->n_configs + 1) *
                                                        sizeof(size_t))
                                          : NULL;
    if (line_config)
        info->line_config = line_config;
    rc = score && values && work && line_of && x_of && line_config && (scores || !thinned)
             ? RL_OK
             : rl_error_set(err, RL_ENOMEM, "out of memory");
    if (rc == RL_OK && thinned) {
        rc = read_config_scores(e, &runs, scores, err);
        info->from_scores = true;
    } else if (rc == RL_OK) {
        rc = read_run_scores(e->dir, metric, first, last, &runs, score, err);
    }
    if (rc == RL_ENOTFOUND)
        rc = rl_error_set(err, RL_EUNSUPPORTED, "no learner in %s (no %s)", e->name,
                          thinned ? "scores.csv" : "episodes.csv");
    *numeric = true;
    for (size_t i = 0; i < e->n_configs; i++) {
        double v;
        *numeric &= is_number(rl_plot_experiment_cell(e, i, (size_t)x), &v);
    }
    size_t n_distinct = 0;
    for (size_t k = 0; rc == RL_OK && k < e->n_configs; k++) {
        double position = (double)n_distinct;
        if (*numeric) {
            is_number(rl_plot_experiment_cell(e, k, (size_t)x), &position);
        } else {
            size_t j = 0;
            while (j < k && strcmp(rl_plot_experiment_cell(e, j, (size_t)x),
                                   rl_plot_experiment_cell(e, k, (size_t)x)) != 0)
                j++;
            if (j < k)
                position = x_of[j];
            else
                n_distinct++;
        }
        x_of[k] = position;
        line_of[k] = RUN_ABSENT; /* a line once it has a value */
        if (!e->selected[k])
            continue;
        size_t n = 0;
        if (thinned)
            n = scores[k].seen && isfinite(scores[k].mean) ? scores[k].runs : 0;
        else
            for (size_t r = 0; r < runs.n; r++)
                if (runs.config[r] == k && isfinite(score[r]))
                    values[n++] = score[r];
        if (!n)
            continue; /* a planner, one a partial experiment left out, or no defined value */
        /* Lines are numbered among the configurations with a value, so every line has
         * points. */
        size_t line = info->n_lines;
        for (size_t j = 0; j < k; j++)
            if (line_of[j] != RUN_ABSENT && same_line(e, j, k, (size_t)x)) {
                line = line_of[j];
                break;
            }
        line_of[k] = line;
        if (line == info->n_lines) {
            info->line_experiment[line] = experiment;
            info->line_config[line] = k;
            info->n_lines++;
        }
        double centre, low, high;
        if (thinned) {
            /* scores.csv has no spread of the runs' scores: the mean gets no interval. */
            centre = stat == RL_PLOT_IQM ? scores[k].iqm : scores[k].mean;
            low = stat == RL_PLOT_IQM && n >= 2 ? scores[k].low : NAN;
            high = stat == RL_PLOT_IQM && n >= 2 ? scores[k].high : NAN;
        } else if (stat == RL_PLOT_IQM) {
            rl_iqm_bootstrap(values, n, RL_PLOT_BOOTSTRAP, (unsigned long)k + 1, &low, &high,
                             work, NULL);
            centre = rl_iqm(values, n);
            if (n < 2)
                low = high = NAN;
        } else {
            rl_summary s;
            rl_summary_compute(values, n, &s);
            centre = s.mean;
            low = s.ci95_low;
            high = s.ci95_high;
        }
        rows[(*n_rows)++] = (sweep_row){experiment, k, line, position, centre, low, high, n};
    }
    free(scores);
    free(score);
    free(values);
    free(work);
    free(line_of);
    free(x_of);
    run_table_free(&runs);
    return rc;
}

int rl_plot_write_sweep(const rl_plot_experiment *e, size_t n, const char *plots,
                        rl_plot_metric metric, rl_plot_stat stat, size_t first, size_t last,
                        rl_plot_sweep_info *info, rl_error *err)
{
    memset(info, 0, sizeof *info);
    int x = n ? sweep_column(&e[0]) : -1;
    if (x < 0)
        return rl_error_set(err, RL_EUNSUPPORTED, "no swept parameter besides the algorithm");
    snprintf(info->key, sizeof info->key, "%s", e[0].columns[x]);
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += e[i].n_configs;
    sweep_row *rows = calloc(total ? total : 1, sizeof *rows);
    char (*summary)[160] = calloc(n ? n : 1, sizeof *summary);
    bool *numeric = calloc(n ? n : 1, sizeof *numeric);
    int rc = rows && summary && numeric ? RL_OK : rl_error_set(err, RL_ENOMEM, "out of memory");
    size_t n_rows = 0;
    for (size_t i = 0; rc == RL_OK && i < n; i++)
        rc = sweep_rows(&e[i], i, info->key, metric, stat, first, last, rows, &n_rows,
                        &numeric[i], summary[i], sizeof summary[i], info, err);
    const char *m = rl_plot_metric_name(metric);
    if (rc == RL_OK && !n_rows)
        rc = rl_error_set(err, RL_EUNSUPPORTED, "no learner with a defined %s", m);
    if (rc == RL_OK) {
        snprintf(info->summary, sizeof info->summary, "%s", summary[0]);
        info->same_summary = true;
        for (size_t i = 1; i < n; i++)
            info->same_summary &= strcmp(summary[i], summary[0]) == 0;
    }
    rl_output_file o;
    char file[64];
    snprintf(file, sizeof file, "sweep_%s.csv", m);
    if (rc == RL_OK)
        rc = open_output(&o, plots, file, err);
    if (rc == RL_OK) {
        qsort(rows, n_rows, sizeof *rows, compare_rows);
        fprintf(o.f, "line,key,x,xtic,config,runs,%s,ci95_low,ci95_high,summary\n",
                rl_plot_stat_name(stat));
        for (size_t i = 0; i < n_rows; i++) {
            const sweep_row *r = &rows[i];
            fprintf(o.f, "%zu,%s,", r->line, info->key);
            put_number(o.f, r->x);
            const rl_plot_experiment *ex = &e[r->experiment];
            int col = -1;
            for (size_t j = 2; j < ex->n_columns; j++)
                if (strcmp(ex->columns[j], info->key) == 0)
                    col = (int)j;
            fprintf(o.f, ",%s,%zu,%zu,",
                    numeric[r->experiment] ? "" : rl_plot_experiment_cell(ex, r->config, (size_t)col),
                    r->config, r->runs);
            put_number(o.f, r->mean);
            fputc(',', o.f);
            put_number(o.f, r->low);
            fputc(',', o.f);
            put_number(o.f, r->high);
            fprintf(o.f, ",%s\n", summary[r->experiment]);
        }
        info->n_rows = n_rows;
        rc = rl_output_commit(&o, err);
    }
    free(rows);
    free(summary);
    free(numeric);
    if (rc != RL_OK) {
        free(info->line_experiment);
        free(info->line_config);
        info->line_experiment = info->line_config = NULL;
    }
    return rc;
}

/* ---- Convergence ---- */

int rl_plot_write_convergence(const rl_plot_experiment *e, size_t n, const char *plots,
                              size_t *n_series, rl_error *err)
{
    *n_series = 0;
    rl_output_file o;
    int rc = open_output(&o, plots, "convergence.csv", err);
    if (rc != RL_OK)
        return rc;
    fprintf(o.f, "series,iteration,delta,value_rmse\n");
    for (size_t i = 0; rc == RL_OK && i < n; i++) {
        run_table runs;
        rl_csv in;
        rc = run_table_read(e[i].dir, e[i].n_configs, &runs, err);
        if (rc != RL_OK)
            break;
        rc = csv_open(&in, e[i].dir, "iterations.csv", err);
        if (rc == RL_ENOTFOUND) { /* learners only */
            run_table_free(&runs);
            rc = RL_OK;
            continue;
        }
        int col_run = rc == RL_OK ? rl_csv_column(&in, "run", err) : -1,
            col_iteration = rc == RL_OK ? rl_csv_column(&in, "iteration", err) : -1,
            col_delta = rc == RL_OK ? rl_csv_column(&in, "delta", err) : -1,
            col_rmse = rc == RL_OK ? rl_csv_column(&in, "value_rmse", err) : -1;
        if (rc == RL_OK && (col_run < 0 || col_iteration < 0 || col_delta < 0 || col_rmse < 0))
            rc = RL_EPARSE;
        size_t last_run = (size_t)-1;
        while (rc == RL_OK && (rc = rl_csv_next(&in, err)) == 1) {
            rc = RL_OK;
            size_t run, iteration;
            if (!rl_csv_size(&in, col_run, &run))
                rc = bad_number(&in, col_run, err);
            else if (!rl_csv_size(&in, col_iteration, &iteration))
                rc = bad_number(&in, col_iteration, err);
            else if (run >= runs.n || runs.config[run] == RUN_ABSENT)
                rc = rl_csv_error(&in, col_run, err, "run %zu is not in runs.csv", run);
            if (rc != RL_OK)
                break;
            if (runs.replicate[run] != 0 || !e[i].selected[runs.config[run]])
                continue;
            *n_series += run != last_run;
            last_run = run;
            fprintf(o.f, "%zu,%zu,", e[i].first_id + runs.config[run], iteration);
            put_number(o.f, csv_number(&in, col_delta));
            fputc(',', o.f);
            put_number(o.f, csv_number(&in, col_rmse));
            fputc('\n', o.f);
        }
        if (in.f)
            rl_csv_close(&in);
        run_table_free(&runs);
    }
    return rl_output_close(&o, rc, err);
}

/* ---- The default y range ---- */

void rl_plot_range_init(rl_plot_range *r)
{
    memset(r, 0, sizeof *r);
    r->min = INFINITY;
    r->max = -INFINITY;
}

int rl_plot_range_add(rl_plot_range *r, double value, bool later, rl_error *err)
{
    if (!isfinite(value))
        return RL_OK;
    r->min = value < r->min ? value : r->min;
    r->max = value > r->max ? value : r->max;
    if (!later)
        return RL_OK;
    if (r->n == r->capacity) {
        size_t capacity = r->capacity ? 2 * r->capacity : 1024;
        double *grown = realloc(r->later, capacity * sizeof *grown);
        if (!grown)
            return rl_error_set(err, RL_ENOMEM, "out of memory");
        r->later = grown;
        r->capacity = capacity;
    }
    r->later[r->n++] = value;
    return RL_OK;
}

bool rl_plot_range_get(rl_plot_range *r, double *low, double *high)
{
    if (!(r->min <= r->max))
        return false;
    double lo = r->min, hi = r->max;
    if (r->n) {
        gsl_sort(r->later, 1, r->n);
        double q_lo = gsl_stats_quantile_from_sorted_data(r->later, 1, r->n, 0.01);
        double q_hi = gsl_stats_quantile_from_sorted_data(r->later, 1, r->n, 0.99);
        double pad = 0.5 * (q_hi - q_lo);
        lo = q_lo - pad > r->min ? q_lo - pad : r->min;
        hi = q_hi + pad < r->max ? q_hi + pad : r->max;
        if (!(hi > lo)) {
            lo = r->min;
            hi = r->max;
        }
    }
    if (!(hi > lo)) {
        double half = fabs(lo) * 0.1 > 1 ? fabs(lo) * 0.1 : 1;
        lo -= half;
        hi += half;
    }
    /* A margin, so that no curve runs along the frame. */
    double margin = 0.05 * (hi - lo);
    *low = lo - margin;
    *high = hi + margin;
    return true;
}

void rl_plot_range_free(rl_plot_range *r)
{
    free(r->later);
    rl_plot_range_init(r);
}

size_t rl_plot_count_configs(const char *dir, size_t *cells)
{
    rl_plot_experiment t;
    size_t n = 0;
    if (rl_plot_experiment_read(dir, &t, NULL) == RL_OK) {
        n = t.n_configs;
        rl_plot_experiment_free(&t);
    }
    if (cells) {
        *cells = 0;
        rl_csv in;
        if (csv_open(&in, dir, "values.csv", NULL) == RL_OK) {
            int col_row = rl_csv_column(&in, "row", NULL), col_col = rl_csv_column(&in, "col", NULL);
            size_t rows = 0, cols = 0, r, c;
            /* Untrusted numbers: a coordinate past any model's (rl/mdp.h: at most INT32_MAX
             * states) makes the map too large to draw, without overflow. */
            bool huge = false;
            while (col_row >= 0 && col_col >= 0 && rl_csv_next(&in, NULL) == 1)
                if (rl_csv_size(&in, col_row, &r) && rl_csv_size(&in, col_col, &c)) {
                    huge |= r >= INT32_MAX || c >= INT32_MAX;
                    rows = r + 1 > rows && !huge ? r + 1 : rows;
                    cols = c + 1 > cols && !huge ? c + 1 : cols;
                }
            *cells = huge || (cols && rows > SIZE_MAX / cols) ? SIZE_MAX : rows * cols;
            rl_csv_close(&in);
        }
    }
    return n;
}

bool *rl_plot_configs_with_runs(const char *dir, size_t n)
{
    run_table runs;
    bool *ran = calloc(n ? n : 1, sizeof *ran);
    if (!ran || run_table_read(dir, n, &runs, NULL) != RL_OK) {
        free(ran);
        return NULL;
    }
    for (size_t r = 0; r < runs.n; r++)
        if (runs.config[r] < n)
            ran[runs.config[r]] = true;
    run_table_free(&runs);
    return ran;
}

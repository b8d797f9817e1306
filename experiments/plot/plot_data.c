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

#include "experiments/io/csv.h"
#include "experiments/runner/plan.h"
#include "experiments/io/output.h"
#include "rl/stats.h"

const char *rl_plot_metric_name(rl_plot_metric m)
{
    return m == RL_PLOT_LENGTH ? "length" : m == RL_PLOT_VALUE_RMSE ? "value_rmse" : "return";
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

/* Opens DIR/plots/NAME for writing, making DIR/plots/ when it is not there yet. */
static int open_output(rl_output_file *o, const char *dir, const char *name, rl_error *err)
{
    char plots[RL_OUTPUT_PATH_MAX];
    snprintf(plots, sizeof plots, "%.4000s/plots", dir);
    int rc = rl_output_make_dir(plots, err);
    return rc == RL_OK ? rl_output_open(o, plots, name, err) : rc;
}

/* ---- Learning curves ---- */

/* out[i]: the mean of the defined values among x[i - window + 1 .. i]. rl_moving_average
 * takes finite values only, and a curve may lack values (value_rmse, a one-run interval). */
static void moving_average(const double *x, size_t n, size_t window, double *out)
{
    for (size_t i = 0; i < n; i++) {
        size_t start = i + 1 >= window ? i + 1 - window : 0, count = 0;
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
    size_t config, n, capacity;
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

/* Writes one configuration's curve (smoothed) and empties it. */
static int curve_flush(FILE *f, curve *c, size_t smooth, rl_plot_curves_info *info,
                       rl_error *err)
{
    if (smooth > 1 && c->n) {
        double *tmp = malloc(c->n * sizeof *tmp);
        if (!tmp)
            return rl_error_set(err, RL_ENOMEM, "out of memory");
        for (int i = 0; i < 3; i++) {
            moving_average(c->y[i], c->n, smooth, tmp);
            memcpy(c->y[i], tmp, c->n * sizeof *tmp);
        }
        free(tmp);
    }
    for (size_t k = 0; k < c->n; k++) {
        fprintf(f, "%zu,%zu,%zu", c->config, c->episode[k], c->runs[k]);
        for (int i = 0; i < 3; i++) {
            fputc(',', f);
            put_number(f, c->y[i][k]);
            if (isfinite(c->y[i][k]) && !(c->y[i][k] > 0))
                info->positive = false;
        }
        fputc('\n', f);
        info->n_defined += isfinite(c->y[0][k]);
    }
    info->longest = c->n > info->longest ? c->n : info->longest;
    c->n = 0;
    return RL_OK;
}

int rl_plot_write_curves(const char *dir, rl_plot_metric metric, size_t smooth,
                         rl_plot_curves_info *info, rl_error *err)
{
    const char *m = rl_plot_metric_name(metric);
    char names[3][64], file[64];
    snprintf(names[0], sizeof names[0], "mean_%s", m);
    snprintf(names[1], sizeof names[1], "ci95_low_%s", m);
    snprintf(names[2], sizeof names[2], "ci95_high_%s", m);
    snprintf(file, sizeof file, "curves_%s.csv", m);
    memset(info, 0, sizeof *info);
    info->positive = true;

    rl_csv in;
    int rc = csv_open(&in, dir, "summary.csv", err);
    if (rc != RL_OK)
        return rc;
    int col_config = rl_csv_column(&in, "config", err), col_episode = rl_csv_column(&in, "episode", err),
        col_runs = rl_csv_column(&in, "runs", err), col[3];
    for (int i = 0; i < 3; i++)
        col[i] = rl_csv_column(&in, names[i], err);
    if (col_config < 0 || col_episode < 0 || col_runs < 0 || col[0] < 0 || col[1] < 0 ||
        col[2] < 0) {
        rl_csv_close(&in);
        return RL_EPARSE;
    }
    rl_output_file o;
    rc = open_output(&o, dir, file, err);
    if (rc != RL_OK) {
        rl_csv_close(&in);
        return rc;
    }
    fprintf(o.f, "config,episode,runs,%s,%s,%s\n", names[0], names[1], names[2]);
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
        if (rc != RL_OK)
            break;
        if (c.n && config != c.config)
            rc = curve_flush(o.f, &c, smooth, info, err);
        c.config = config;
        double y[3] = {csv_number(&in, col[0]), csv_number(&in, col[1]),
                       csv_number(&in, col[2])};
        if (rc == RL_OK)
            rc = curve_push(&c, episode, runs, y, err);
    }
    if (rc == RL_OK)
        rc = curve_flush(o.f, &c, smooth, info, err);
    curve_free(&c);
    rl_csv_close(&in);
    return rl_output_close(&o, rc, err);
}

/* ---- Policy arrows ---- */

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

static size_t count_configs(const char *dir, rl_error *err, int *rc);

/* run -> (config, replicate) from DIR/runs.csv, and the most episodes of a run. Every
 * number read from a result file is untrusted: a run's configuration must be one that
 * DIR/configs.csv lists, so that it can index per-configuration arrays. Runs come in
 * increasing order; a run a partial experiment (--only) did not run has config RUN_ABSENT. */
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

static int run_table_read(const char *dir, run_table *t, rl_error *err)
{
    memset(t, 0, sizeof *t);
    int rc = RL_OK;
    size_t n_configs = count_configs(dir, err, &rc);
    if (rc != RL_OK)
        return rc;
    rl_csv in;
    rc = csv_open(&in, dir, "runs.csv", err);
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
        for (; t->n < run; t->n++) /* runs the experiment left out */
            t->config[t->n] = RUN_ABSENT;
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

int rl_plot_write_arrows(const char *dir, rl_error *err)
{
    run_table runs;
    int rc = run_table_read(dir, &runs, err);
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
        rc = open_output(&o, dir, "arrows.csv", err);
    if (rc != RL_OK) {
        rl_csv_close(&in);
        run_table_free(&runs);
        return rc;
    }
    fprintf(o.f, "config,run,state,row,col,action,probability,x,y,dx,dy\n");
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
            rl_error_set(err, RL_EPARSE, "unknown action '%s' (actions are words up, down, "
                                         "left, right or stay joined by '_')",
                         in.field[col_action]);
            rc = rl_error_locate(err, RL_EPARSE, in.path, (int)in.line_no, col_action + 1, "action");
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
        fputc('\n', o.f);
    }
    rl_csv_close(&in);
    run_table_free(&runs);
    return rl_output_close(&o, rc, err);
}

/* ---- Per logged step, per logged update ---- */

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
static int steps_flush(FILE *f, size_t config, step_value *rows, size_t n, double *x, curve *c,
                       rl_plot_curves_info *info, const char *path, const char *what,
                       rl_error *err)
{
    qsort(rows, n, sizeof *rows, compare_step_values);
    c->config = config;
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
    return rc == RL_OK ? curve_flush(f, c, 0, info, err) : rc;
}

/* DIR/plots/OUT_NAME from the per-run rows of DIR/IN_NAME: for each configuration and value
 * of the column x_name, in order, the runs that logged it and the mean and 95% t-interval
 * of their defined value_name (see rl_plot_write_steps). */
static int write_logged(const char *dir, const char *in_name, const char *x_name,
                        const char *value_name, const char *out_name,
                        rl_plot_curves_info *info, rl_error *err)
{
    memset(info, 0, sizeof *info);
    info->positive = true;
    run_table runs;
    int rc = run_table_read(dir, &runs, err);
    if (rc != RL_OK)
        return rc;
    rl_csv in;
    rc = csv_open(&in, dir, in_name, err);
    if (rc != RL_OK) {
        run_table_free(&runs);
        return rc;
    }
    int col_run = rl_csv_column(&in, "run", err), col_step = rl_csv_column(&in, x_name, err),
        col_value = rl_csv_column(&in, value_name, err);
    size_t n_configs = 0;
    for (size_t r = 0; r < runs.n; r++)
        if (runs.config[r] != RUN_ABSENT && runs.config[r] + 1 > n_configs)
            n_configs = runs.config[r] + 1;
    /* The configurations already written: their runs must not come back later. */
    bool *done = calloc(n_configs ? n_configs : 1, sizeof *done);
    rl_output_file o;
    if (col_run < 0 || col_step < 0 || col_value < 0)
        rc = RL_EPARSE;
    else if (!done)
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    else
        rc = open_output(&o, dir, out_name, err);
    if (rc != RL_OK) {
        free(done);
        rl_csv_close(&in);
        run_table_free(&runs);
        return rc;
    }
    fprintf(o.f, "config,%s,runs,mean_%s,ci95_low_%s,ci95_high_%s\n", x_name, value_name,
            value_name, value_name);
    /* The current configuration's rows, and room for its values at one step. */
    step_value *rows = NULL;
    double *x = NULL;
    size_t n = 0, capacity = 0, current = 0;
    curve c = {0};
    while ((rc = rl_csv_next(&in, err)) == 1) {
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
            rc = steps_flush(o.f, current, rows, n, x, &c, info, in.path, x_name, err);
            n = 0;
        }
        if (rc == RL_OK && done[runs.config[run]]) {
            rl_error_set(err, RL_EPARSE, "run %zu of configuration %zu comes after other "
                                         "configurations' runs (%s must be by run)",
                         run, runs.config[run], in_name);
            rc = rl_error_locate(err, RL_EPARSE, in.path, (int)in.line_no, col_run + 1, "run");
        }
        if (rc != RL_OK)
            break;
        current = runs.config[run];
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
        rc = steps_flush(o.f, current, rows, n, x, &c, info, in.path, x_name, err);
    free(rows);
    free(x);
    free(done);
    curve_free(&c);
    rl_csv_close(&in);
    run_table_free(&runs);
    return rl_output_close(&o, rc, err);
}

int rl_plot_write_steps(const char *dir, rl_plot_curves_info *info, rl_error *err)
{
    return write_logged(dir, "steps.csv", "step", "value_rmse", "steps_value_rmse.csv", info,
                        err);
}

int rl_plot_write_updates(const char *dir, const char *column, rl_plot_curves_info *info,
                          rl_error *err)
{
    if (!column || (strcmp(column, "loss") != 0 && strcmp(column, "value_rmse") != 0)) {
        memset(info, 0, sizeof *info);
        return rl_error_set(err, RL_EINVAL, "updates.csv has no curve '%s' (loss, value_rmse)",
                            column ? column : "(null)");
    }
    char out_name[64];
    snprintf(out_name, sizeof out_name, "updates_%s.csv", column);
    return write_logged(dir, "updates.csv", "update", column, out_name, info, err);
}

/* ---- Sweeps ---- */

/* configs.csv held in memory: n_rows x n_columns strings. */
typedef struct config_table {
    size_t n_rows, n_columns;
    char **names; /* n_columns */
    char **cells; /* n_rows * n_columns */
} config_table;

static void config_table_free(config_table *t)
{
    for (size_t i = 0; t->names && i < t->n_columns; i++)
        free(t->names[i]);
    for (size_t i = 0; t->cells && i < t->n_rows * t->n_columns; i++)
        free(t->cells[i]);
    free(t->names);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

static int config_table_read(const char *dir, config_table *t, rl_error *err)
{
    memset(t, 0, sizeof *t);
    rl_csv in;
    int rc = csv_open(&in, dir, "configs.csv", err);
    if (rc != RL_OK)
        return rc;
    t->n_columns = in.n_names;
    t->names = calloc(t->n_columns, sizeof *t->names);
    rc = t->names ? RL_OK : rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t i = 0; rc == RL_OK && i < t->n_columns; i++)
        if (!(t->names[i] = strdup(in.names[i])))
            rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    size_t capacity = 0;
    while (rc == RL_OK && (rc = rl_csv_next(&in, err)) == 1) {
        rc = RL_OK;
        size_t config;
        if (!rl_csv_size(&in, 0, &config) || config != t->n_rows) {
            rl_error_set(err, RL_EPARSE, "configuration %zu expected", t->n_rows);
            rc = rl_error_locate(err, RL_EPARSE, in.path, (int)in.line_no, 1, "config");
            break;
        }
        if (t->n_rows == capacity) {
            capacity = capacity ? 2 * capacity : 16;
            char **cells = realloc(t->cells, capacity * t->n_columns * sizeof *cells);
            if (!cells) {
                rc = rl_error_set(err, RL_ENOMEM, "out of memory");
                break;
            }
            t->cells = cells;
        }
        for (size_t i = 0; i < t->n_columns; i++)
            t->cells[t->n_rows * t->n_columns + i] = NULL;
        t->n_rows++;
        for (size_t i = 0; rc == RL_OK && i < t->n_columns; i++)
            if (!(t->cells[(t->n_rows - 1) * t->n_columns + i] = strdup(in.field[i])))
                rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    }
    rl_csv_close(&in);
    if (rc != RL_OK)
        config_table_free(t);
    return rc;
}

/* The number of configurations DIR/configs.csv lists (numbered 0, 1, ... in order); sets
 * *rc (and err) when it cannot be read. */
static size_t count_configs(const char *dir, rl_error *err, int *rc)
{
    config_table t;
    *rc = config_table_read(dir, &t, err);
    size_t n = *rc == RL_OK ? t.n_rows : 0;
    config_table_free(&t);
    return n;
}

static const char *cell(const config_table *t, size_t row, size_t column)
{
    return t->cells[row * t->n_columns + column];
}

static bool is_number(const char *text, double *x)
{
    char *end;
    *x = strtod(text, &end);
    return text[0] && !*end && isfinite(*x);
}

/* The column of configs.csv on the x axis (see rl_plot_write_sweep), or -1. */
static int sweep_column(const config_table *t)
{
    int chosen = -1;
    bool chosen_numeric = false;
    for (size_t j = 2; j < t->n_columns; j++) {
        bool varies = false, numeric = true;
        for (size_t i = 0; i < t->n_rows; i++) {
            double x;
            varies |= strcmp(cell(t, i, j), cell(t, 0, j)) != 0;
            numeric &= is_number(cell(t, i, j), &x);
        }
        if (varies && (numeric || !chosen_numeric)) {
            chosen = (int)j;
            chosen_numeric = numeric;
        }
    }
    return chosen;
}

/* Whether configurations a and b differ only in column x (and the config number). */
static bool same_line(const config_table *t, size_t a, size_t b, size_t x)
{
    for (size_t j = 1; j < t->n_columns; j++)
        if (j != x && strcmp(cell(t, a, j), cell(t, b, j)) != 0)
            return false;
    return true;
}

/* score_episodes from DIR/config.ini's [experiment] section; 0 when absent. */
static size_t score_episodes(const char *dir)
{
    char path[RL_OUTPUT_PATH_MAX], line[512];
    snprintf(path, sizeof path, "%.4000s/config.ini", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = 0;
    bool experiment = false;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '[')
            experiment = strncmp(line, "[experiment]", 12) == 0;
        unsigned long long v;
        if (experiment && sscanf(line, "score_episodes = %llu", &v) == 1)
            n = (size_t)v;
    }
    fclose(f);
    return n;
}

/* One run's running score: the metric's sum over its window, defined values only. */
typedef struct run_score {
    double sum;
    size_t count;
} run_score;

typedef struct sweep_row {
    size_t config, line;
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

int rl_plot_write_sweep(const char *dir, rl_plot_metric metric, size_t first, size_t last,
                        rl_plot_sweep_info *info, rl_error *err)
{
    memset(info, 0, sizeof *info);
    config_table t;
    int rc = config_table_read(dir, &t, err);
    if (rc != RL_OK)
        return rc;
    int x = sweep_column(&t);
    if (x < 0) {
        config_table_free(&t);
        return rl_error_set(err, RL_EUNSUPPORTED, "no swept parameter besides the algorithm");
    }
    run_table runs;
    rc = run_table_read(dir, &runs, err);
    if (rc != RL_OK) {
        config_table_free(&t);
        return rc;
    }
    if (!first && !last)
        last = score_episodes(dir);
    const char *m = rl_plot_metric_name(metric);
    const char *what = metric == RL_PLOT_RETURN   ? "return"
                       : metric == RL_PLOT_LENGTH ? "episode length"
                                                  : "value RMSE";
    if (first == 1 || (!first && last == 1))
        snprintf(info->summary, sizeof info->summary, "mean %s over the %s episode", what,
                 first ? "first" : "last");
    else if (first)
        snprintf(info->summary, sizeof info->summary, "mean %s over the first %zu episodes",
                 what, first);
    else if (last)
        snprintf(info->summary, sizeof info->summary, "mean %s over the last %zu episodes",
                 what, last);
    else
        snprintf(info->summary, sizeof info->summary, "mean %s over all episodes", what);
    snprintf(info->key, sizeof info->key, "%s", t.names[x]);

    double *score = malloc((runs.n ? runs.n : 1) * sizeof *score);
    double *values = malloc((runs.n ? runs.n : 1) * sizeof *values);
    sweep_row *rows = calloc(t.n_rows ? t.n_rows : 1, sizeof *rows);
    size_t *line_of = calloc(t.n_rows ? t.n_rows : 1, sizeof *line_of);
    double *x_of = calloc(t.n_rows ? t.n_rows : 1, sizeof *x_of);
    rc = score && values && rows && line_of && x_of
             ? RL_OK
             : rl_error_set(err, RL_ENOMEM, "out of memory");
    if (rc == RL_OK)
        rc = read_run_scores(dir, metric, first, last, &runs, score, err);
    if (rc == RL_ENOTFOUND)
        rc = rl_error_set(err, RL_EUNSUPPORTED, "no learner (no episodes.csv)");

    /* Lines in order of first appearance; x values that are not all numbers are placed at
     * 0, 1, ... in order of first appearance. */
    bool numeric = true;
    for (size_t i = 0; i < t.n_rows; i++) {
        double v;
        numeric &= is_number(cell(&t, i, (size_t)x), &v);
    }
    size_t n_rows = 0, n_distinct = 0;
    for (size_t k = 0; rc == RL_OK && k < t.n_rows; k++) {
        size_t n = 0;
        for (size_t r = 0; r < runs.n; r++)
            if (runs.config[r] == k && isfinite(score[r]))
                values[n++] = score[r];
        /* Lines are numbered among the configurations with a value (not a planner's, nor
         * one a partial experiment left out), so that every line has points. */
        size_t line = info->n_lines;
        for (size_t j = 0; n && j < k; j++)
            if (line_of[j] != RUN_ABSENT && same_line(&t, j, k, (size_t)x)) {
                line = line_of[j];
                break;
            }
        line_of[k] = n ? line : RUN_ABSENT;
        if (n && line == info->n_lines)
            info->n_lines++;
        double position = (double)n_distinct;
        if (numeric) {
            is_number(cell(&t, k, (size_t)x), &position);
        } else {
            size_t j = 0;
            while (j < k && strcmp(cell(&t, j, (size_t)x), cell(&t, k, (size_t)x)) != 0)
                j++;
            if (j < k)
                position = x_of[j];
            else
                n_distinct++;
        }
        x_of[k] = position;
        if (!n)
            continue; /* a planner, or no defined value */
        rl_summary s;
        rl_summary_compute(values, n, &s);
        rows[n_rows++] = (sweep_row){k, line, position, s.mean, s.ci95_low, s.ci95_high, n};
    }
    if (rc == RL_OK && !n_rows)
        rc = rl_error_set(err, RL_EUNSUPPORTED, "no learner with a defined %s", m);
    rl_output_file o;
    char file[64];
    snprintf(file, sizeof file, "sweep_%s.csv", m);
    if (rc == RL_OK)
        rc = open_output(&o, dir, file, err);
    if (rc == RL_OK) {
        qsort(rows, n_rows, sizeof *rows, compare_rows);
        fprintf(o.f, "line,key,x,xtic,config,runs,mean,ci95_low,ci95_high,summary\n");
        for (size_t i = 0; i < n_rows; i++) {
            const sweep_row *r = &rows[i];
            fprintf(o.f, "%zu,%s,", r->line, info->key);
            put_number(o.f, r->x);
            fprintf(o.f, ",%s,%zu,%zu,", numeric ? "" : cell(&t, r->config, (size_t)x),
                    r->config, r->runs);
            put_number(o.f, r->mean);
            fputc(',', o.f);
            put_number(o.f, r->low);
            fputc(',', o.f);
            put_number(o.f, r->high);
            fprintf(o.f, ",%s\n", info->summary);
        }
        info->n_rows = n_rows;
        rc = rl_output_commit(&o, err);
    }
    free(score);
    free(values);
    free(rows);
    free(line_of);
    free(x_of);
    run_table_free(&runs);
    config_table_free(&t);
    return rc;
}

size_t rl_plot_count_configs(const char *dir, size_t *cells)
{
    config_table t;
    size_t n = config_table_read(dir, &t, NULL) == RL_OK ? t.n_rows : 0;
    config_table_free(&t);
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
    if (!ran || run_table_read(dir, &runs, NULL) != RL_OK) {
        free(ran);
        return NULL;
    }
    for (size_t r = 0; r < runs.n; r++)
        if (runs.config[r] < n)
            ran[runs.config[r]] = true;
    run_table_free(&runs);
    return ran;
}

/* Surface data: see plot_surface.h. */
#include "experiments/plot/plot_surface.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "experiments/io/csv.h"
#include "experiments/io/output.h"
#include "experiments/runner/config.h"
#include "experiments/runner/plan.h"
#include "experiments/runner/run.h"

/* The exact values of configuration k from DIR/config.ini into truth (n entries). */
static int exact_values(const char *dir, size_t k, double *truth, size_t n, char *why,
                        size_t why_size)
{
    char path[RL_OUTPUT_PATH_MAX];
    snprintf(path, sizeof path, "%.4000s/config.ini", dir);
    rl_error err;
    rl_error_clear(&err);
    rl_config *c = NULL;
    rl_plan *p = NULL;
    rl_env *env = NULL;
    double *pi = NULL, *scratch = NULL;
    int rc = rl_config_load_file(path, &c, &err);
    if (rc == RL_OK)
        rc = rl_plan_build(c, &p, &err);
    if (rc == RL_OK && k >= p->n_configurations)
        rc = rl_error_set(&err, RL_ERANGE, "config.ini has %zu configurations, not %zu",
                          p->n_configurations, k + 1);
    if (rc == RL_OK)
        rc = rl_run_setup(p, k, &env, &pi, &err);
    const rl_mdp *m = rc == RL_OK ? rl_env_model(env) : NULL;
    if (rc == RL_OK && !m)
        rc = rl_error_set(&err, RL_EUNSUPPORTED, "the env has no exact model");
    if (rc == RL_OK && m->n_states != n)
        rc = rl_error_set(&err, RL_EINVAL, "the map has %zu cells, values.csv %zu",
                          m->n_states, n);
    if (rc == RL_OK && !(scratch = malloc(m->n_states * m->n_actions * sizeof *scratch)))
        rc = rl_error_set(&err, RL_ENOMEM, "out of memory");
    if (rc == RL_OK)
        rc = rl_run_ground_truth(p, k, m, pi, NULL, scratch, truth, &err);
    if (rc != RL_OK)
        rl_error_format(&err, why, why_size);
    free(scratch);
    free(pi);
    rl_env_free(env);
    rl_plan_free(p);
    rl_config_free(c);
    return rc;
}

/* Replicate 0 of configuration k: its run number, from runs.csv. */
static int first_run(const char *dir, size_t k, size_t *run, rl_error *err)
{
    char path[RL_OUTPUT_PATH_MAX];
    snprintf(path, sizeof path, "%.4000s/runs.csv", dir);
    rl_csv c;
    int rc = rl_csv_open(&c, path, NULL, err);
    if (rc != RL_OK)
        return rc;
    int col_run = rl_csv_column(&c, "run", err), col_config = rl_csv_column(&c, "config", err),
        col_rep = rl_csv_column(&c, "replicate", err);
    rc = col_run < 0 || col_config < 0 || col_rep < 0 ? RL_EPARSE : RL_OK;
    bool found = false;
    while (rc == RL_OK && !found && (rc = rl_csv_next(&c, err)) == 1) {
        rc = RL_OK;
        size_t r, config, rep;
        if (!rl_csv_size(&c, col_run, &r) || !rl_csv_size(&c, col_config, &config) ||
            !rl_csv_size(&c, col_rep, &rep))
            rc = rl_csv_bad_field(&c, col_run, "a run, config and replicate", err);
        else if (config == k && rep == 0) {
            *run = r;
            found = true;
        }
    }
    if (rc == RL_OK && !found)
        rc = rl_error_set(err, RL_ENOTFOUND, "runs.csv has no replicate 0 of configuration %zu",
                          k);
    rl_csv_close(&c);
    return rc;
}

int rl_plot_write_surface(const char *dir, const char *plots, size_t k,
                          rl_plot_surface_info *info, rl_error *err)
{
    memset(info, 0, sizeof *info);
    size_t run = 0;
    int rc = first_run(dir, k, &run, err);
    if (rc != RL_OK)
        return rc;
    char path[RL_OUTPUT_PATH_MAX];
    snprintf(path, sizeof path, "%.4000s/values.csv", dir);
    rl_csv c;
    if ((rc = rl_csv_open(&c, path, NULL, err)) != RL_OK)
        return rc;
    int col_run = rl_csv_column(&c, "run", err), col_state = rl_csv_column(&c, "state", err),
        col_row = rl_csv_column(&c, "row", err), col_col = rl_csv_column(&c, "col", err),
        col_cell = rl_csv_column(&c, "cell", err), col_value = rl_csv_column(&c, "value", err);
    if (col_run < 0 || col_state < 0 || col_row < 0 || col_col < 0 || col_cell < 0 ||
        col_value < 0) {
        rl_csv_close(&c);
        return RL_EPARSE;
    }
    /* The run's cells, in file order (row-major, as gridrl writes them). */
    size_t capacity = 0, n = 0;
    double *estimate = NULL;
    char *cell = NULL;
    while (rc == RL_OK && (rc = rl_csv_next(&c, err)) == 1) {
        rc = RL_OK;
        size_t r, state, row, col;
        double v;
        if (!rl_csv_size(&c, col_run, &r) || !rl_csv_size(&c, col_state, &state) ||
            !rl_csv_size(&c, col_row, &row) || !rl_csv_size(&c, col_col, &col)) {
            rc = rl_csv_bad_field(&c, col_run, "a run, state, row and col", err);
            break;
        }
        if (r != run)
            continue;
        /* Untrusted: the run's cells must be states 0, 1, ... in order, on a grid. */
        if (state != n || row > 1000000 || col > 1000000) {
            rc = rl_csv_error(&c, col_state, err, "state %zu where %zu was expected", state, n);
            break;
        }
        if (!rl_csv_double(&c, col_value, &v)) {
            rc = rl_csv_bad_field(&c, col_value, "a number", err);
            break;
        }
        if (n == capacity) {
            capacity = capacity ? 2 * capacity : 256;
            double *e = realloc(estimate, capacity * sizeof *e);
            char *k2 = e ? realloc(cell, capacity) : NULL;
            if (e)
                estimate = e;
            if (!k2) {
                rc = rl_error_set(err, RL_ENOMEM, "out of memory");
                break;
            }
            cell = k2;
        }
        info->rows = row + 1 > info->rows ? row + 1 : info->rows;
        info->cols = col + 1 > info->cols ? col + 1 : info->cols;
        estimate[n] = v;
        cell[n] = rl_csv_field(&c, col_cell)[0];
        n++;
    }
    rl_csv_close(&c);
    if (rc == RL_OK && (n == 0 || n != info->rows * info->cols))
        rc = rl_error_set(err, n ? RL_EPARSE : RL_ENOTFOUND,
                          "values.csv: run %zu has %zu cells, not a %zu x %zu grid", run, n,
                          info->rows, info->cols);
    double *truth = rc == RL_OK ? malloc(n * sizeof *truth) : NULL;
    if (rc == RL_OK && !truth)
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    if (rc == RL_OK)
        info->has_truth = exact_values(dir, k, truth, n, info->why, sizeof info->why) == RL_OK;
    rl_output_file o;
    if (rc == RL_OK) {
        char name[64];
        snprintf(name, sizeof name, "surface_%zu.csv", k);
        if (mkdir(plots, 0777) != 0 && errno != EEXIST)
            rc = rl_error_set(err, RL_EIO, "cannot create '%s': %s", plots, strerror(errno));
        else
            rc = rl_output_open(&o, plots, name, err);
    }
    if (rc == RL_OK) {
        fprintf(o.f, "row,col,estimate,truth\n");
        for (size_t s = 0; s < n; s++) {
            fprintf(o.f, "%zu,%zu,", s / info->cols, s % info->cols);
            if (cell[s] != '#' && isfinite(estimate[s]))
                fprintf(o.f, "%.12g", estimate[s] + 0.0);
            fputc(',', o.f);
            if (cell[s] != '#' && info->has_truth)
                fprintf(o.f, "%.12g", truth[s] + 0.0);
            fputc('\n', o.f);
            if (s % info->cols == info->cols - 1)
                fputc('\n', o.f); /* a blank line ends a row: gnuplot's scan lines */
        }
        rc = rl_output_close(&o, RL_OK, err);
    }
    free(estimate);
    free(cell);
    free(truth);
    return rc;
}

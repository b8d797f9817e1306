/* The table of `gridrl compare`: see compare.h. */
#include "experiments/compare/compare.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics.h>

#include "experiments/io/csv.h"
#include "experiments/io/output.h"
#include "rl/stats.h"

/* Opens DIR/NAME with its header. */
static int csv_open(rl_csv *c, const char *dir, const char *name, rl_error *err)
{
    char path[RL_OUTPUT_PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return rl_error_set(err, RL_EINVAL, "the path '%s/%s' is too long", dir, name);
    return rl_csv_open(c, path, NULL, err);
}

/* A growable list of rows, one per configuration of the experiment being read. */
typedef struct reading {
    rl_compare_row *rows; /* indexed by configuration number */
    size_t n;
} reading;

static void rows_free(rl_compare_row *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++) {
        free(rows[i].algorithm);
        free(rows[i].values);
        free(rows[i].scores);
        free(rows[i].status);
    }
    free(rows);
}

/* configs.csv: a row per configuration, numbered 0, 1, ... in order; the algorithm and
 * "key=value ..." of the swept columns. */
static int read_configs(const char *dir, size_t experiment, reading *r, rl_error *err)
{
    rl_csv c;
    int rc = csv_open(&c, dir, "configs.csv", err);
    if (rc != RL_OK)
        return rc;
    int col_config = rl_csv_column(&c, "config", err);
    int col_algorithm = col_config >= 0 ? rl_csv_column(&c, "algorithm", err) : -1;
    if (col_config < 0 || col_algorithm < 0) {
        rl_csv_close(&c);
        return RL_EPARSE;
    }
    size_t capacity = 0;
    while ((rc = rl_csv_next(&c, err)) == 1) {
        size_t config;
        if (!rl_csv_size(&c, col_config, &config) || config != r->n) {
            rc = rl_csv_error(&c, col_config, err, "configuration %zu was expected here", r->n);
            break;
        }
        if (r->n == capacity) {
            capacity = capacity ? 2 * capacity : 16;
            rl_compare_row *grown = realloc(r->rows, capacity * sizeof *grown);
            if (!grown) {
                rc = rl_error_set(err, RL_ENOMEM, "out of memory");
                break;
            }
            r->rows = grown;
        }
        rl_compare_row *row = &r->rows[r->n++];
        memset(row, 0, sizeof *row);
        row->experiment = experiment;
        row->config = config;
        size_t len = 1;
        for (size_t i = 0; i < c.n_names; i++)
            len += strlen(c.names[i]) + strlen(rl_csv_field(&c, (int)i)) + 2;
        row->algorithm = strdup(rl_csv_field(&c, col_algorithm));
        row->values = calloc(len, 1);
        if (!row->algorithm || !row->values) {
            rc = rl_error_set(err, RL_ENOMEM, "out of memory");
            break;
        }
        for (size_t i = 0; i < c.n_names; i++) {
            if ((int)i == col_config || (int)i == col_algorithm)
                continue;
            if (row->values[0])
                strcat(row->values, " ");
            strcat(row->values, c.names[i]);
            strcat(row->values, "=");
            strcat(row->values, rl_csv_field(&c, (int)i));
        }
    }
    rl_csv_close(&c);
    if (rc == RL_OK && !r->n)
        rc = rl_error_set(err, RL_EPARSE, "'%s/configs.csv' lists no configuration", dir);
    return rc;
}

static int add_score(rl_compare_row *row, double score, rl_error *err)
{
    /* Grown by doubling: the capacity is the next power of two from n. */
    if ((row->n & (row->n - 1)) == 0) {
        double *grown = realloc(row->scores, (row->n ? 2 * row->n : 1) * sizeof *grown);
        if (!grown)
            return rl_error_set(err, RL_ENOMEM, "out of memory");
        row->scores = grown;
    }
    row->scores[row->n++] = score;
    return RL_OK;
}

/* The statuses a run ends with (README.md, runs.csv), as the table counts them. */
static const char *const STATUSES[RL_COMPARE_STATUSES] = {"completed", "converged", "stopped",
                                                          "diverged"};

/* "18 completed, 2 diverged" from the row's counts. */
static int format_status(rl_compare_row *row, rl_error *err)
{
    char text[256] = "";
    for (size_t i = 0; i <= RL_COMPARE_STATUSES; i++) {
        if (!row->statuses[i])
            continue;
        char part[64];
        snprintf(part, sizeof part, "%s%zu %s", text[0] ? ", " : "", row->statuses[i],
                 i < RL_COMPARE_STATUSES ? STATUSES[i] : "other");
        strncat(text, part, sizeof text - strlen(text) - 1);
    }
    if (!(row->status = strdup(text)))
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    return RL_OK;
}

/* runs.csv: each run's configuration and score (an empty score is an unscored run). */
static int read_runs(const char *dir, reading *r, rl_error *err)
{
    rl_csv c;
    int rc = csv_open(&c, dir, "runs.csv", err);
    if (rc != RL_OK)
        return rc;
    int col_config = rl_csv_column(&c, "config", err);
    int col_score = col_config >= 0 ? rl_csv_column(&c, "score", NULL) : -1;
    int col_status = rl_csv_column(&c, "status", NULL);
    if (col_config < 0) {
        rl_csv_close(&c);
        return RL_EPARSE;
    }
    if (col_score < 0) {
        rl_csv_close(&c);
        return rl_error_set(err, RL_EUNSUPPORTED,
                            "'%s/runs.csv' has no score column: no learner ran (or the "
                            "results are older than gridrl compare; run them again)",
                            dir);
    }
    while ((rc = rl_csv_next(&c, err)) == 1) {
        size_t config;
        double score;
        if (!rl_csv_size(&c, col_config, &config) || config >= r->n) {
            rc = rl_csv_error(&c, col_config, err, "not a configuration of configs.csv (0 to "
                                                   "%zu)",
                              r->n - 1);
            break;
        }
        if (!rl_csv_double(&c, col_score, &score)) {
            rc = rl_csv_bad_field(&c, col_score, "a score", err);
            break;
        }
        r->rows[config].runs++;
        if (isfinite(score) && (rc = add_score(&r->rows[config], score, err)) != RL_OK)
            break;
        const char *status = col_status >= 0 ? rl_csv_field(&c, col_status) : "";
        size_t i = 0;
        while (i < RL_COMPARE_STATUSES && strcmp(status, STATUSES[i]) != 0)
            i++;
        r->rows[config].statuses[i]++;
    }
    rl_csv_close(&c);
    for (size_t k = 0; rc >= 0 && k < r->n; k++)
        rc = format_status(&r->rows[k], err);
    return rc < 0 ? rc : RL_OK;
}

/* scores.csv's definition of a run's score ("" when the file says none). */
static char *score_definition(const char *dir)
{
    rl_csv c;
    char *text = NULL;
    if (csv_open(&c, dir, "scores.csv", NULL) != RL_OK)
        return strdup("");
    int col = rl_csv_column(&c, "score", NULL);
    if (col >= 0 && rl_csv_next(&c, NULL) == 1)
        text = strdup(rl_csv_field(&c, col));
    rl_csv_close(&c);
    return text ? text : strdup("");
}

/* Mean, IQM and its interval of a row's scores. */
static int summarise(rl_compare_row *row, double *work, rl_error *err)
{
    row->mean = gsl_stats_mean(row->scores, 1, row->n);
    memcpy(work, row->scores, row->n * sizeof *work);
    row->iqm = rl_iqm(work, row->n);
    row->iqm_low = row->iqm_high = row->iqm;
    row->p = row->p_low = row->p_high = NAN;
    if (row->n < 2)
        return RL_OK;
    return rl_iqm_bootstrap(row->scores, row->n, RL_COMPARE_RESAMPLES, RL_COMPARE_SEED,
                            &row->iqm_low, &row->iqm_high, work, err);
}

/* Best first: the higher IQM, then the higher mean, then the order read. */
static int by_iqm(const void *a, const void *b)
{
    const rl_compare_row *x = a, *y = b;
    if (x->iqm != y->iqm)
        return x->iqm > y->iqm ? -1 : 1;
    if (x->mean != y->mean)
        return x->mean > y->mean ? -1 : 1;
    if (x->experiment != y->experiment)
        return x->experiment < y->experiment ? -1 : 1;
    return x->config < y->config ? -1 : x->config > y->config;
}

static int compute(rl_compare_table *t, rl_error *err)
{
    size_t most = 0;
    for (size_t i = 0; i < t->n_rows; i++)
        most = t->rows[i].n > most ? t->rows[i].n : most;
    double *work = malloc((2 * most + RL_COMPARE_RESAMPLES) * sizeof *work);
    if (!work)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    int rc = RL_OK;
    for (size_t i = 0; rc == RL_OK && i < t->n_rows; i++)
        rc = summarise(&t->rows[i], work, err);
    if (!t->n_rows) {
        free(work);
        return rc;
    }
    if (rc == RL_OK)
        qsort(t->rows, t->n_rows, sizeof *t->rows, by_iqm);
    const rl_compare_row *best = &t->rows[0];
    for (size_t i = 1; rc == RL_OK && i < t->n_rows; i++) {
        rl_compare_row *row = &t->rows[i];
        row->p = rl_probability_of_improvement(best->scores, best->n, row->scores, row->n, work);
        rc = rl_probability_of_improvement_bootstrap(best->scores, best->n, row->scores, row->n,
                                                     RL_COMPARE_RESAMPLES, RL_COMPARE_SEED,
                                                     &row->p_low, &row->p_high, work, err);
    }
    free(work);
    return rc;
}

int rl_compare_read(const char *const *dirs, size_t n, rl_compare_table **out, rl_error *err)
{
    *out = NULL;
    rl_compare_table *t = calloc(1, sizeof *t);
    if (!t || !(t->experiments = calloc(n ? n : 1, sizeof *t->experiments))) {
        free(t);
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    }
    int rc = RL_OK;
    size_t capacity = 0;
    for (size_t e = 0; rc == RL_OK && e < n; e++) {
        rl_compare_experiment *x = &t->experiments[t->n_experiments++];
        x->dir = strdup(dirs[e]);
        x->score = score_definition(dirs[e]);
        if (!x->dir || !x->score) {
            rc = rl_error_set(err, RL_ENOMEM, "out of memory");
            break;
        }
        reading r = {0};
        rc = read_configs(dirs[e], e, &r, err);
        if (rc == RL_OK)
            rc = read_runs(dirs[e], &r, err);
        /* The configurations with a scored run join the table. */
        size_t scored = 0;
        for (size_t k = 0; rc == RL_OK && k < r.n; k++) {
            if (!r.rows[k].n)
                continue;
            if (t->n_rows == capacity) {
                capacity = capacity ? 2 * capacity : 16;
                rl_compare_row *grown = realloc(t->rows, capacity * sizeof *grown);
                if (!grown) {
                    rc = rl_error_set(err, RL_ENOMEM, "out of memory");
                    break;
                }
                t->rows = grown;
            }
            t->rows[t->n_rows++] = r.rows[k];
            memset(&r.rows[k], 0, sizeof r.rows[k]); /* moved */
            scored++;
        }
        if (rc == RL_OK && !scored)
            rc = rl_error_set(err, RL_EUNSUPPORTED, "'%s' has no run with a score (no learner?)",
                              dirs[e]);
        rows_free(r.rows, r.n);
    }
    if (rc == RL_OK)
        rc = compute(t, err);
    if (rc != RL_OK) {
        rl_compare_free(t);
        return rc;
    }
    *out = t;
    return RL_OK;
}

/* A field as RFC 4180 writes it: in quotes when it holds a comma, a quote or a line break. */
static void put_text(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void put_number(FILE *f, double x)
{
    fputc(',', f);
    if (isfinite(x))
        fprintf(f, "%.12g", x + 0.0);
}

int rl_compare_write_csv(const rl_compare_table *t, const char *path, rl_error *err)
{
    char dir[RL_OUTPUT_PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if (!name[0])
        return rl_error_set(err, RL_EINVAL, "'%s' names a folder, not a file", path);
    if (snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1,
                 slash ? (slash == path ? "/" : path) : ".") >= (int)sizeof dir)
        return rl_error_set(err, RL_EINVAL, "the path '%s' is too long", path);
    rl_output_file o;
    int rc = rl_output_open(&o, dir, name, err);
    if (rc != RL_OK)
        return rc;
    fprintf(o.f, "rank,experiment,config,algorithm,values,runs,scored,mean,iqm,iqm_ci95_low,"
                 "iqm_ci95_high,p_improvement,p_ci95_low,p_ci95_high\n");
    for (size_t i = 0; i < t->n_rows; i++) {
        const rl_compare_row *r = &t->rows[i];
        fprintf(o.f, "%zu,", i + 1);
        put_text(o.f, t->experiments[r->experiment].dir);
        fprintf(o.f, ",%zu,", r->config);
        put_text(o.f, r->algorithm);
        fputc(',', o.f);
        put_text(o.f, r->values);
        fprintf(o.f, ",%zu,%zu", r->runs, r->n);
        const double v[] = {r->mean, r->iqm, r->iqm_low, r->iqm_high, r->p, r->p_low, r->p_high};
        for (size_t j = 0; j < sizeof v / sizeof *v; j++)
            put_number(o.f, v[j]);
        fputc('\n', o.f);
    }
    return rl_output_close(&o, RL_OK, err);
}

void rl_compare_free(rl_compare_table *t)
{
    if (!t)
        return;
    for (size_t e = 0; e < t->n_experiments; e++) {
        free(t->experiments[e].dir);
        free(t->experiments[e].score);
    }
    free(t->experiments);
    rows_free(t->rows, t->n_rows);
    free(t);
}

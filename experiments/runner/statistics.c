/* Statistics across runs: see statistics.h. */
#include "experiments/runner/statistics.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "experiments/io/csv.h"
#include "experiments/io/number.h"
#include "experiments/io/output.h"
#include "experiments/io/row.h"
#include "experiments/runner/run_files.h"
#include "rl/alloc.h"
#include "rl/stats.h"


/* The columns of a run's episodes.csv (rows without a header) up to its label's. */
#define EPISODE_COLUMNS "run,episode,return,discounted_return,length,outcome,value_rmse"

double rl_statistics_run_score(const rl_run_result *r, size_t score_episodes)
{
    size_t n = r->episode_rows.n;
    if (!n)
        return NAN;
    size_t from = score_episodes && score_episodes < n ? n - score_episodes : 0;
    double sum = 0.0;
    for (size_t e = from; e < n; e++)
        sum += rl_number_round12(((const rl_episode_row *)rl_rows_at(&r->episode_rows, e))->ret);
    return rl_number_round12(sum / (double)(n - from));
}

/* One run's logged episodes: returns, lengths and value errors, read back from its file. */
typedef struct series {
    double *ret, *length, *rmse;
    size_t n, capacity;
} series;

static void series_free(series *e)
{
    rl_free(e->ret);
    rl_free(e->length);
    rl_free(e->rmse);
    memset(e, 0, sizeof *e);
}

static int series_grow(series *e, rl_error *err)
{
    size_t capacity = e->capacity ? 2 * e->capacity : 256;
    double *a = rl_realloc(e->ret, capacity * sizeof *a);
    if (a)
        e->ret = a;
    double *b = a ? rl_realloc(e->length, capacity * sizeof *b) : NULL;
    if (b)
        e->length = b;
    double *c = b ? rl_realloc(e->rmse, capacity * sizeof *c) : NULL;
    if (c)
        e->rmse = c;
    if (!c)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    e->capacity = capacity;
    return RL_OK;
}

/* A section of a run's file as CSV rows with the given columns. */
static int open_section(rl_run_file *rf, const char *name, const char *columns, char **text,
                        rl_csv *c, rl_error *err)
{
    size_t size;
    int rc = rl_run_file_read(rf, name, text, &size, err);
    if (rc != RL_OK)
        return rc;
    char label[RL_CSV_PATH_MAX];
    snprintf(label, sizeof label, "%.4000s (%s)", rf->path, name);
    rc = rl_csv_open_memory(c, label, *text ? *text : "", size, columns, err);
    if (rc != RL_OK) {
        rl_free(*text);
        *text = NULL;
    }
    return rc;
}

/* Configuration k's run's episodes from its file, whose rows have the given columns; read
 * by name, and each row's config must be k. */
static int read_series(rl_run_file *rf, const char *columns, size_t k, series *e,
                       rl_error *err)
{
    char *text;
    rl_csv c;
    int rc = open_section(rf, "episodes.csv", columns, &text, &c, err);
    if (rc != RL_OK)
        return rc;
    int ret = rl_csv_column(&c, "return", err), length = rl_csv_column(&c, "length", err),
        rmse = rl_csv_column(&c, "value_rmse", err), config = rl_csv_column(&c, "config", err);
    if (ret < 0 || length < 0 || rmse < 0 || config < 0)
        rc = RL_EPARSE;
    while (rc == RL_OK && (rc = rl_csv_next(&c, err)) == 1) {
        rc = RL_OK;
        if (e->n == e->capacity && (rc = series_grow(e, err)) != RL_OK)
            break;
        size_t of;
        if (!rl_csv_size(&c, config, &of) || of != k) {
            rc = rl_csv_error(&c, config, err, "the row is not configuration %zu's", k);
            break;
        }
        if (!rl_csv_double(&c, ret, &e->ret[e->n]) ||
            !rl_csv_double(&c, length, &e->length[e->n]) ||
            !rl_csv_double(&c, rmse, &e->rmse[e->n])) {
            rc = rl_csv_error(&c, -1, err, "a return, length or value_rmse is not a number");
            break;
        }
        e->n++;
    }
    rl_csv_close(&c);
    rl_free(text);
    return rc;
}

/* A run's episode count and score from its score.csv section (an empty score reads as NaN:
 * a run whose returns stopped being finite). */
static int read_score(rl_run_file *rf, size_t *episodes, double *score, rl_error *err)
{
    char *text;
    rl_csv c;
    int rc = open_section(rf, "score.csv", "run,episodes,score", &text, &c, err);
    if (rc != RL_OK)
        return rc;
    rc = rl_csv_next(&c, err);
    if (rc == 0)
        rc = rl_error_set(err, RL_EPARSE, "'%s' has no score: is it a learner's run?", rf->path);
    else if (rc == 1 && !rl_csv_size(&c, 1, episodes))
        rc = rl_csv_bad_field(&c, 1, "a count", err);
    else if (rc == 1 && !rl_csv_double(&c, 2, score))
        rc = rl_csv_bad_field(&c, 2, "a score", err);
    else if (rc == 1)
        rc = RL_OK;
    rl_csv_close(&c);
    rl_free(text);
    return rc;
}

/* What one configuration contributes: its summary rows and its scores row. */
typedef struct chunk {
    char *summary, *scores;
    size_t summary_size, scores_size;
    bool ready;
} chunk;

typedef struct pool {
    const rl_plan *p;
    const char *dir;
    char *episode_columns; /* of a run's episodes.csv rows: EPISODE_COLUMNS, config, label */
    const double *t975; /* t975[n]: the quantile for n values (n - 1 degrees of freedom) */
    size_t log_every, score_episodes;
    pthread_mutex_t lock;
    size_t next, next_write;
    chunk *chunks;
    FILE *summary;
    int rc;
    rl_error error;
} pool;

/* Mean, sd and interval of x[0..n) as four fields. */
static void put_summary(rl_row *row, const double *x, size_t n, const double *t975)
{
    rl_summary s;
    rl_summary_compute_t(x, n, n >= 2 ? t975[n] : NAN, &s);
    const double v[4] = {s.mean, s.sd, s.ci95_low, s.ci95_high};
    for (int i = 0; i < 4; i++) {
        rl_row_comma(row);
        rl_row_number(row, v[i]);
    }
}

/* Per logged episode: mean, sd and t-interval across the runs that have it, and the
 * configuration's label. */
static void write_summary_rows(FILE *f, const pool *w, size_t k, const series *runs,
                               double *x, const char *label)
{
    size_t seeds = w->p->seeds, longest = 0;
    for (size_t i = 0; i < seeds; i++)
        longest = runs[i].n > longest ? runs[i].n : longest;
    rl_row row = RL_ROW_EMPTY;
    for (size_t e = 0; e < longest; e++) {
        size_t n = 0;
        for (size_t i = 0; i < seeds; i++)
            n += e < runs[i].n;
        rl_row_size(&row, k);
        rl_row_comma(&row);
        rl_row_size(&row, (e + 1) * w->log_every);
        rl_row_comma(&row);
        rl_row_size(&row, n);
        for (int m = 0; m < 3; m++) {
            size_t count = 0;
            for (size_t i = 0; i < seeds; i++) {
                if (e >= runs[i].n)
                    continue;
                double v = m == 0 ? runs[i].ret[e] : m == 1 ? runs[i].length[e] : runs[i].rmse[e];
                if (isfinite(v))
                    x[count++] = v;
            }
            put_summary(&row, x, count, w->t975);
        }
        rl_row_end_with(&row, label, f);
    }
}

/* The scores row: the runs' scores (runs without episodes left out), their mean and IQM
 * with a percentile-bootstrap interval from the fixed seed (rl/stats.h), so the interval is
 * a function of the scores alone, as gridrl compare's. */
static int write_scores_row(FILE *f, const pool *w, size_t k, const size_t *run_episodes,
                            const double *run_scores, double *scores, double *work,
                            const char *label, rl_error *err)
{
    const rl_plan *p = w->p;
    char definition[96];
    if (w->score_episodes)
        snprintf(definition, sizeof definition, "mean return over the last %zu episodes",
                 w->score_episodes);
    else
        snprintf(definition, sizeof definition, "mean return over all episodes");
    size_t n = 0;
    for (size_t i = 0; i < p->seeds; i++)
        if (run_episodes[i])
            scores[n++] = run_scores[i];
    rl_row row = RL_ROW_EMPTY;
    rl_row_size(&row, k);
    rl_row_comma(&row);
    rl_row_size(&row, n);
    rl_row_comma(&row);
    rl_row_text(&row, definition);
    rl_row_comma(&row);
    if (!n) {
        rl_row_text(&row, ",,,");
        rl_row_end_with(&row, label, f);
        return RL_OK;
    }
    rl_summary s;
    rl_summary_compute_t(scores, n, n >= 2 ? w->t975[n] : NAN, &s);
    double *sorted = work + n + RL_BOOTSTRAP_RESAMPLES;
    memcpy(sorted, scores, n * sizeof *sorted);
    double iqm = rl_iqm(sorted, n), low = iqm, high = iqm;
    int rc = RL_OK;
    if (n >= 2)
        rc = rl_iqm_bootstrap(scores, n, RL_BOOTSTRAP_RESAMPLES, RL_BOOTSTRAP_SEED, &low, &high,
                              work, err);
    const double v[4] = {s.mean, iqm, low, high};
    for (int i = 0; i < 4; i++) {
        if (i)
            rl_row_comma(&row);
        rl_row_number(&row, v[i]);
    }
    rl_row_end_with(&row, label, f);
    return rc;
}

/* Configuration k's chunk: reads its runs, computes, formats. */
static int compute_chunk(const pool *w, size_t k, chunk *c, rl_error *err)
{
    const rl_plan *p = w->p;
    size_t seeds = p->seeds;
    series *runs = rl_calloc(seeds, sizeof *runs);
    double *run_scores = rl_malloc(seeds * sizeof *run_scores);
    size_t *run_episodes = rl_malloc(seeds * sizeof *run_episodes);
    double *x = rl_malloc(seeds * sizeof *x);
    double *work = rl_malloc((2 * seeds + RL_BOOTSTRAP_RESAMPLES) * sizeof *work);
    char *label = rl_plan_label(p, k);
    int rc = runs && run_scores && run_episodes && x && work && label
                 ? RL_OK
                 : rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t i = 0; rc == RL_OK && i < seeds; i++) {
        rl_run_file rf;
        rc = rl_run_file_open(w->dir, k * seeds + i, &rf, err);
        if (rc == RL_OK)
            rc = read_series(&rf, w->episode_columns, k, &runs[i], err);
        if (rc == RL_OK)
            rc = read_score(&rf, &run_episodes[i], &run_scores[i], err);
        rl_run_file_close(&rf);
    }
    FILE *summary = NULL, *scores = NULL;
    if (rc == RL_OK) {
        summary = open_memstream(&c->summary, &c->summary_size);
        scores = summary ? open_memstream(&c->scores, &c->scores_size) : NULL;
        if (!scores)
            rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    }
    if (rc == RL_OK) {
        write_summary_rows(summary, w, k, runs, x, label);
        rc = write_scores_row(scores, w, k, run_episodes, run_scores, x, work, label, err);
    }
    if (summary && fclose(summary) != 0 && rc == RL_OK)
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    if (scores && fclose(scores) != 0 && rc == RL_OK)
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t i = 0; runs && i < seeds; i++)
        series_free(&runs[i]);
    rl_free(runs);
    rl_free(run_scores);
    rl_free(run_episodes);
    rl_free(x);
    rl_free(work);
    rl_free(label); /* open_memstream's buffer: plain free, as rl_free is */
    return rc;
}

/* Configuration k has statistics to compute: a learner's, and it ran. */
static bool is_learner(const rl_plan *p, size_t k)
{
    return rl_plan_selected(p, k) && p->configurations[k].agent->kind == RL_AGENT_LEARNER;
}

/* Writes every ready chunk from next_write on, in order, and frees its summary text (the
 * scores rows, a line each, wait for the end). Called with the lock held. */
static void flush_ready(pool *w)
{
    while (w->next_write < w->p->n_configurations &&
           (!is_learner(w->p, w->next_write) || w->chunks[w->next_write].ready)) {
        chunk *c = &w->chunks[w->next_write++];
        if (c->summary && w->rc == RL_OK)
            fwrite(c->summary, 1, c->summary_size, w->summary);
        rl_free(c->summary); /* open_memstream's buffer: plain free, as rl_free is */
        c->summary = NULL;
    }
}

static void *worker(void *arg)
{
    pool *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->lock);
        while (w->next < w->p->n_configurations && !is_learner(w->p, w->next))
            w->next++;
        size_t k = w->next++;
        bool stop = w->rc != RL_OK || k >= w->p->n_configurations;
        pthread_mutex_unlock(&w->lock);
        if (stop)
            return NULL;
        chunk c = {0};
        rl_error err;
        rl_error_clear(&err);
        int rc = compute_chunk(w, k, &c, &err);
        pthread_mutex_lock(&w->lock);
        if (rc != RL_OK && w->rc == RL_OK) {
            w->rc = rc;
            w->error = err;
        }
        c.ready = true;
        w->chunks[k] = c;
        flush_ready(w);
        pthread_mutex_unlock(&w->lock);
    }
}

int rl_statistics_write(const rl_plan *p, const char *dir, size_t threads, rl_error *err)
{
    pool w = {.p = p, .dir = dir};
    w.log_every = (size_t)rl_params_int(p->experiment, "log_every_episodes");
    w.score_episodes = (size_t)rl_params_int(p->experiment, "score_episodes");
    double *t975 = rl_malloc((p->seeds + 1) * sizeof *t975);
    w.chunks = rl_calloc(p->n_configurations, sizeof *w.chunks);
    char *label = rl_plan_label_header(p);
    size_t columns_size = label ? strlen(label) + sizeof EPISODE_COLUMNS + 16 : 0;
    w.episode_columns = label ? rl_malloc(columns_size) : NULL;
    if (!t975 || !w.chunks || !w.episode_columns) {
        rl_free(t975);
        rl_free(w.chunks);
        rl_free(label);
        rl_free(w.episode_columns);
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    }
    snprintf(w.episode_columns, columns_size, "%s,config,%s", EPISODE_COLUMNS, label);
    for (size_t n = 0; n <= p->seeds; n++)
        t975[n] = n >= 2 ? rl_t975(n - 1) : NAN;
    w.t975 = t975;
    rl_output_file summary;
    int rc = rl_output_open(&summary, dir, "summary.csv", err);
    if (rc == RL_OK) {
        w.summary = summary.f;
        fprintf(w.summary, "%s,%s\n", RL_SUMMARY_HEADER, label);
        pthread_mutex_init(&w.lock, NULL);
        size_t n = threads ? threads : 1;
        pthread_t *ids = rl_calloc(n, sizeof *ids);
        size_t started = 0;
        for (; ids && started < n; started++)
            if (pthread_create(&ids[started], NULL, worker, &w) != 0)
                break;
        if (!started) /* no thread to be had: this one does the work */
            worker(&w);
        for (size_t i = 0; i < started; i++)
            pthread_join(ids[i], NULL);
        rl_free(ids);
        pthread_mutex_destroy(&w.lock);
        rc = w.rc;
        if (rc != RL_OK && err)
            *err = w.error;
        rc = rl_output_close(&summary, rc, err);
    }
    rl_output_file scores;
    if (rc == RL_OK && (rc = rl_output_open(&scores, dir, "scores.csv", err)) == RL_OK) {
        fprintf(scores.f, "%s,%s\n", RL_SCORES_HEADER, label);
        for (size_t k = 0; k < p->n_configurations; k++)
            if (w.chunks[k].scores)
                fwrite(w.chunks[k].scores, 1, w.chunks[k].scores_size, scores.f);
        rc = rl_output_close(&scores, RL_OK, err);
    }
    for (size_t k = 0; k < p->n_configurations; k++) {
        rl_free(w.chunks[k].summary);
        rl_free(w.chunks[k].scores);
    }
    rl_free(w.chunks);
    rl_free(t975);
    rl_free(label);
    rl_free(w.episode_columns);
    return rc;
}

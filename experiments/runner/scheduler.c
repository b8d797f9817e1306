/* A pool of worker threads taking runs in plan order: see scheduler.h. */
#include "experiments/runner/scheduler.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "experiments/runner/run_files.h"
#include "experiments/runner/truth_cache.h"
#include "rl/alloc.h"

typedef struct pool {
    const rl_plan *p;
    const char *dir;
    const rl_schedule_options *options;
    rl_truth_cache *truths; /* the plan's ground truths, each computed once */
    pthread_mutex_t lock;
    pthread_cond_t finished; /* signalled when a worker ends */
    size_t next, completed, episodes;
    size_t active; /* workers not ended yet */
    bool failed;
    int rc;
    rl_error error;
    volatile sig_atomic_t halt; /* a run failed: start no more */
} pool;

/* The first failure wins; its message names the run. */
static void fail(pool *w, size_t run, int rc, const rl_error *err)
{
    pthread_mutex_lock(&w->lock);
    if (!w->failed) {
        w->failed = true;
        w->rc = rc;
        w->error = *err;
        snprintf(w->error.message, sizeof w->error.message, "run %zu: %.990s", run,
                 err->message);
    }
    w->halt = 1;
    pthread_mutex_unlock(&w->lock);
}

static void *worker(void *arg)
{
    pool *w = arg;
    size_t runs = rl_plan_runs(w->p), step = w->options->shard ? w->options->shard->count : 1;
    for (;;) {
        pthread_mutex_lock(&w->lock);
        while (w->next < runs && (!rl_plan_run_selected(w->p, w->next) ||
                                  rl_run_files_complete(w->dir, w->next)))
            w->next += step;
        size_t run = w->next;
        w->next += step;
        bool halted = w->halt;
        pthread_mutex_unlock(&w->lock);
        if (run >= runs || halted || (w->options->stop && *w->options->stop))
            break;
        rl_run_result result;
        rl_error err;
        rl_error_clear(&err);
        int rc = rl_run_execute_with(w->p, run, w->options->stop, w->truths, &result, &err);
        if (rc == RL_OK)
            rc = rl_run_files_write(w->dir, &result, &err);
        if (rc != RL_OK) {
            if (rc != RL_EINTERRUPTED)
                fail(w, run, rc, &err);
            rl_run_result_free(&result);
            break;
        }
        pthread_mutex_lock(&w->lock);
        w->completed++;
        w->episodes += result.episodes;
        pthread_mutex_unlock(&w->lock);
        rl_run_result *keep = w->options->keep;
        if (keep && result.replicate == 0)
            keep[result.configuration] = result; /* each slot is written by one run only */
        else
            rl_run_result_free(&result);
    }
    pthread_mutex_lock(&w->lock);
    w->active--;
    pthread_cond_signal(&w->finished);
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Tells the caller's progress display where the plan stands. */
static void report_progress(pool *w, size_t total, size_t skipped, double started, bool last)
{
    pthread_mutex_lock(&w->lock);
    rl_schedule_progress p = {total, w->completed + skipped, skipped, w->episodes,
                              now_seconds() - started, last};
    pthread_mutex_unlock(&w->lock);
    w->options->progress(&p, w->options->progress_context);
}

int rl_schedule_run(const rl_plan *p, const char *dir, const rl_schedule_options *options,
                    rl_schedule_report *report, rl_error *err)
{
    pool w = {.p = p, .dir = dir, .options = options,
              .next = options->shard ? options->shard->index : 0};
    int rc = rl_truth_cache_alloc(p, &w.truths, err);
    if (rc != RL_OK)
        return rc;
    pthread_mutex_init(&w.lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w.finished, &attr);
    pthread_condattr_destroy(&attr);
    size_t total = rl_shard_selected_runs(p, options->shard);
    size_t skipped = total - rl_shard_list(p, dir, options->shard, false, NULL, 0);
    size_t n = options->threads ? options->threads : 1;
    if (n > total - skipped)
        n = total - skipped ? total - skipped : 1;
    pthread_t *threads = rl_calloc(n, sizeof *threads);
    if (!threads) {
        pthread_cond_destroy(&w.finished);
        pthread_mutex_destroy(&w.lock);
        rl_truth_cache_free(w.truths);
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    }
    double started = now_seconds();
    size_t launched = 0;
    w.active = n;
    for (; launched < n; launched++)
        if (pthread_create(&threads[launched], NULL, worker, &w) != 0)
            break;
    pthread_mutex_lock(&w.lock);
    w.active -= n - launched;
    pthread_mutex_unlock(&w.lock);
    if (launched == 0) {
        rc = rl_error_set(err, RL_ENOMEM, "cannot start a worker thread");
    } else if (options->progress) {
        /* A report every 0.2 s, and none after the last worker ends (woken at once). */
        for (;;) {
            report_progress(&w, total, skipped, started, false);
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_nsec += 200000000;
            if (until.tv_nsec >= 1000000000) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000;
            }
            pthread_mutex_lock(&w.lock);
            while (w.active > 0 && pthread_cond_timedwait(&w.finished, &w.lock, &until) == 0)
                continue;
            bool done = w.active == 0;
            pthread_mutex_unlock(&w.lock);
            if (done)
                break;
        }
    }
    for (size_t i = 0; i < launched; i++)
        pthread_join(threads[i], NULL);
    if (options->progress && launched)
        report_progress(&w, total, skipped, started, true);
    rl_free(threads);
    pthread_cond_destroy(&w.finished);
    pthread_mutex_destroy(&w.lock);
    rl_truth_cache_free(w.truths);
    report->total = total;
    report->skipped = skipped;
    report->completed = w.completed + skipped;
    report->episodes = w.episodes;
    report->seconds = now_seconds() - started;
    if (rc != RL_OK)
        return rc;
    if (w.failed) {
        if (err)
            *err = w.error;
        return w.rc;
    }
    if (report->completed < total)
        return rl_error_set(err, RL_EINTERRUPTED, "interrupted");
    return RL_OK;
}

/* Running a plan's runs on N threads. Each run is independent (its seeds depend only on the
 * experiment's seed and its replicate, rl/rng.h) and lands in its own file (run_files.h), so
 * the thread count, the finishing order and the split into shards (shard.h) change nothing in
 * the output files.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_SCHEDULER_H
#define GRIDRL_EXPERIMENTS_RUNNER_SCHEDULER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "experiments/runner/plan.h"
#include "experiments/runner/run.h"
#include "experiments/runner/shard.h"

/* Where a plan stands, for a progress display. */
typedef struct rl_schedule_progress {
    size_t total, done, skipped; /* the shard's runs; done includes skipped (complete before
                                    this start) */
    size_t episodes;             /* episodes of the runs done in this start */
    double seconds;              /* since this start */
    bool last;                   /* the final report */
} rl_schedule_progress;

typedef struct rl_schedule_options {
    size_t threads;
    const rl_shard *shard; /* run only this shard's runs; NULL: every run */
    /* Called about five times a second from the calling thread while runs go on, and once at
     * the end; NULL: none. */
    void (*progress)(const rl_schedule_progress *progress, void *context);
    void *progress_context;
    const volatile sig_atomic_t *stop;   /* set by a signal: abandon runs in flight */
    rl_run_result *keep;                 /* if not NULL, n_configurations slots: replicate 0 of
                                            each configuration run now is kept here */
} rl_schedule_options;

typedef struct rl_schedule_report {
    size_t total, skipped, completed; /* of the shard's runs; completed includes skipped */
    size_t episodes;                  /* of the runs done in this start */
    double seconds;
} rl_schedule_report;

/* Runs every run of p's selected configurations (of options->shard) whose file under dir is
 * not complete (total counts those runs). RL_EINTERRUPTED when stopped; the first run error
 * otherwise, its message starting with "run N: " (the remaining runs are not started). */
int rl_schedule_run(const rl_plan *p, const char *dir, const rl_schedule_options *options,
                    rl_schedule_report *report, rl_error *err);

#endif

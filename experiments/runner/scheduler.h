/* Running a plan's runs on N threads. Each run is independent (its seed depends only on its
 * place in the plan) and lands in its own directory (run_files.h), so the thread count and
 * the finishing order change nothing in the output files.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_SCHEDULER_H
#define GRIDRL_EXPERIMENTS_RUNNER_SCHEDULER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "experiments/runner/plan.h"
#include "experiments/runner/run.h"

typedef struct rl_schedule_options {
    size_t threads;
    bool progress;                       /* a progress bar on stderr */
    const volatile sig_atomic_t *stop;   /* set by a signal: abandon runs in flight */
    rl_run_result *keep;                 /* if not NULL, n_configurations slots: replicate 0 of
                                            each configuration run now is kept here */
} rl_schedule_options;

typedef struct rl_schedule_report {
    size_t total, skipped, completed; /* completed includes skipped (already done) */
    double seconds;
} rl_schedule_report;

/* Runs every run of p whose directory under dir is not complete. RL_EINTERRUPTED when
 * stopped; the first run error otherwise (the remaining runs are not started). */
int rl_schedule_run(const rl_plan *p, const char *dir, const rl_schedule_options *options,
                    rl_schedule_report *report, rl_error *err);

#endif

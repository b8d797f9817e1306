/* The whole-process benchmark behind `gridrl bench run`: everything a user waits for.
 *
 * gridrl's side is the gridrl program itself, started as a child process: `gridrl run` of a
 * config (cliff_walking, q_learning, alpha 0.5, epsilon 0.1, gamma 1, S seeds of E episodes)
 * with -j T --quiet, timed from its start to its exit: the plan, the runs, every per-run
 * file, the merge into the experiment's files, summary.csv and scores.csv, and removing
 * runs/. The other side is a hand-written C program doing the same learning (hand_cliff.h:
 * the same rule, generator and seeds, so the same trajectories) and writing the same
 * per-episode rows, run,episode,return,discounted_return,length,outcome,value_rmse with
 * value_rmse against v*, with fprintf into one CSV file, as a researcher would write it.
 *
 * Both must agree: every episode of every run has the same length and return in gridrl's
 * episodes.csv as in the hand program's, the check that the timings are of a right
 * computation.
 */
#ifndef GRIDRL_EXPERIMENTS_BENCH_BENCH_PROCESS_H
#define GRIDRL_EXPERIMENTS_BENCH_BENCH_PROCESS_H

#include <stdbool.h>
#include <stddef.h>

#include "experiments/bench/bench_td.h"
#include "rl/error.h"

typedef struct rl_bench_process_options {
    size_t seeds;    /* runs, at least 1 */
    size_t episodes; /* per run, at least 1 */
    size_t repeats;  /* timed runs of each side, at least 1 */
    size_t threads;  /* gridrl run -j */
    const char *exe; /* the gridrl program to start */
} rl_bench_process_options;

#define RL_BENCH_PROCESS_DEFAULTS {10, 100000, 3, 1, NULL}

typedef struct rl_bench_process_result {
    size_t steps;            /* env steps of all runs (the same every repeat) */
    rl_bench_rate gridrl;    /* steps / wall time of the whole gridrl run process */
    rl_bench_rate hand;      /* steps / wall time of the hand-written program */
    double ratio;            /* gridrl.median / hand.median */
    double gridrl_seconds;   /* median wall time of gridrl run */
    double hand_seconds;     /* median wall time of the hand program */
    double runs_seconds;     /* median over repeats of the runs' own time (timing.csv) */
    size_t checked;          /* episodes compared */
    size_t first_difference; /* 1-based index (run * E + episode) of the first difference; 0 */
} rl_bench_process_result;

/* Runs the benchmark in a temporary folder (removed after). */
int rl_bench_process_run(const rl_bench_process_options *opt, rl_bench_process_result *res,
                         rl_error *err);

#endif

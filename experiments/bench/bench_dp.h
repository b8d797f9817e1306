/* The value-iteration benchmark behind `gridrl bench dp`.
 *
 * It builds an open size x size gridworld through the path a run takes (an rl_map, the
 * gridworld's [env] parameters, rl_gridworld_compile), times single synchronous sweeps of the
 * real value_iteration planner, and times the same sweeps done by a minimal hand-written
 * stencil on two plain arrays, the speed a researcher would get without the toolkit; the
 * same stencil written so that gcc vectorises it with the build's flags; and that one built
 * for AVX2, the best this machine does. All start from v = 0 and must end with the same
 * values, which are also checked against the closed form, so the figures are those of a
 * correct computation. The model's and the planner's heap are measured (glibc's mallinfo2),
 * for the memory per state.
 *
 * The measuring lives here and the printing in cli_bench.c, so the numbers can be reused.
 */
#ifndef GRIDRL_EXPERIMENTS_BENCH_BENCH_DP_H
#define GRIDRL_EXPERIMENTS_BENCH_BENCH_DP_H

#include <stdbool.h>
#include <stddef.h>

#include "rl/error.h"

#define RL_BENCH_DP_GAMMA 0.99
#define RL_BENCH_DP_MAX_SIZE 10000 /* 4e8 state-actions: about 14 GB of model */

typedef struct rl_bench_dp_options {
    size_t size;    /* rows = cols, at least 2 */
    size_t warmup;  /* untimed sweeps before the timed ones, each repeat */
    size_t sweeps;  /* timed sweeps per repeat, at least 1 */
    size_t repeats; /* fresh starts from v = 0, at least 1 */
} rl_bench_dp_options;

/* Milliseconds per sweep over all repeats x sweeps timed sweeps. */
typedef struct rl_bench_timing {
    double median_ms, min_ms, max_ms;
} rl_bench_timing;

typedef struct rl_bench_dp_result {
    size_t n_states, n_actions;
    double build_seconds;   /* rl_gridworld_compile of the in-memory map */
    double alloc_seconds;   /* rl_planner_alloc (buffers, model check), first repeat */
    size_t compact_bytes;   /* sure_next + sure_reward + reward table */
    size_t model_bytes;     /* everything the model holds, outcome lists included */
    size_t model_heap_bytes;   /* heap the model took, measured (glibc's mallinfo2) */
    size_t planner_heap_bytes; /* heap rl_planner_alloc of value_iteration took */
    rl_bench_timing gridrl; /* rl_planner_iterate of value_iteration */
    rl_bench_timing stencil; /* the hand-written stencil, the way one writes it */
    rl_bench_timing vector;  /* the stencil written so that gcc vectorises it (same flags) */
    rl_bench_timing best;    /* the same compiled for AVX2 (when the CPU has it) */
    bool has_best;
    double ratio;            /* gridrl.median_ms / stencil.median_ms */
    double ratio_vector;     /* gridrl.median_ms / vector.median_ms (target <= 3) */
    double ratio_best;       /* gridrl.median_ms / best.median_ms */
    double max_diff;         /* max |v_gridrl - v_stencil| after the last repeat */
    double max_closed_diff;  /* max |v - closed form| of both, after the last repeat */
} rl_bench_dp_result;

#define RL_BENCH_DP_DEFAULTS {1000, 5, 20, 3}

/* Runs the benchmark. Errors: RL_ERANGE for options out of range (the message names the
 * option), RL_ENOMEM, or whatever building the model or the planner reports. */
int rl_bench_dp_run(const rl_bench_dp_options *opt, rl_bench_dp_result *res, rl_error *err);

#endif

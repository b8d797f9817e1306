/* The TD-Linear benchmark behind `gridrl bench linear`.
 *
 * gridrl's side is a real run: td_linear with polynomial features of order 3 (10 features,
 * Zhao eq. 8.17) evaluating the uniform policy on Zhao's 5x5 grid world (baseline rewards,
 * gamma 0.9), E episodes of 500 steps from uniformly drawn cells, alpha 0.0005: Zhao's Fig
 * 8.7 setting, built into a plan and executed by rl_run_execute with the runner's
 * per-episode metrics. The other side is a minimal hand-written semi-gradient TD(0) loop on
 * the same grid: its own dynamics and feature formula, the same taus2 generators, seeds and
 * draws (a uniform start cell from the run's env stream, then one draw per action of the
 * uniform policy from its agent stream, rl/rng.h).
 *
 * The behaviour of a prediction learner does not depend on what it learns, so both sides
 * take the same trajectory; their weights must agree to rounding (the features' arithmetic
 * may differ in the last bit), which is the check that the timings are of a right
 * computation. The measuring lives here and the printing in cli/cmd_bench.c.
 */
#ifndef GRIDRL_EXPERIMENTS_BENCH_BENCH_LINEAR_H
#define GRIDRL_EXPERIMENTS_BENCH_BENCH_LINEAR_H

#include <stdbool.h>
#include <stddef.h>

#include "experiments/bench/bench_td.h"
#include "rl/error.h"

#define RL_BENCH_LINEAR_ALPHA 0.0005
#define RL_BENCH_LINEAR_GAMMA 0.9
#define RL_BENCH_LINEAR_LENGTH 500
#define RL_BENCH_LINEAR_FEATURES 10
#define RL_BENCH_LINEAR_MAX_EPISODES 1000000

typedef struct rl_bench_linear_options {
    size_t episodes; /* per run, at least 1 */
    size_t repeats;  /* timed runs of each side, at least 1 */
} rl_bench_linear_options;

#define RL_BENCH_LINEAR_DEFAULTS {500, 5}

typedef struct rl_bench_linear_result {
    unsigned long seed;
    size_t steps;          /* env steps of one run */
    rl_bench_rate gridrl;  /* steps / wall time of the whole rl_run_execute call */
    rl_bench_rate hand;    /* steps / wall time of the hand loop */
    double ratio;          /* gridrl.median / hand.median */
    double max_weight_diff; /* max_i |w_gridrl - w_hand| / (1 + |w_hand|), last repeat */
    double final_rmse;      /* gridrl's value_rmse against v_pi after the last episode */
} rl_bench_linear_result;

/* True when the two sides learned the same weights, to rounding. */
static inline bool rl_bench_linear_agrees(const rl_bench_linear_result *res)
{
    return res->max_weight_diff <= 1e-9;
}

/* Runs the benchmark. Errors: RL_ERANGE for options out of range (the key names the
 * option), RL_ENOMEM, or whatever building or executing the plan reports. */
int rl_bench_linear_run(const rl_bench_linear_options *opt, rl_bench_linear_result *res,
                        rl_error *err);

#endif

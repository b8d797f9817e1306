/* The Q-learning benchmark behind `gridrl bench td`.
 *
 * gridrl's side is a real run: a config (preset cliff_walking, q_learning, alpha 0.5,
 * epsilon 0.1, gamma 1, E episodes, one seed) built into a plan and executed by
 * rl_run_execute, with the runner's per-episode metrics (return, length, value error against
 * the ground truth v*) recorded as in any run. The other side is a minimal hand-written
 * Q-learning loop on the same 4 x 12 cliff: its own transition function, the same
 * one-draw epsilon-greedy rule, the same taus2 generator seeded as the run's agent stream
 * (rl/rng.h; the cliff's env draws nothing), plain arrays.
 *
 * Because both draw the same random numbers for the same decisions, a correct gridrl and a
 * correct hand loop take the same trajectory: every episode's length and return, and the
 * final values, must be equal. That is the check that the timings are of a right computation.
 *
 * The measuring lives here and the printing in cli_bench.c, so the numbers can be reused.
 */
#ifndef GRIDRL_EXPERIMENTS_BENCH_BENCH_TD_H
#define GRIDRL_EXPERIMENTS_BENCH_BENCH_TD_H

#include <stdbool.h>
#include <stddef.h>

#include "rl/error.h"

#define RL_BENCH_TD_ALPHA 0.5
#define RL_BENCH_TD_EPSILON 0.1
#define RL_BENCH_TD_GAMMA 1.0
#define RL_BENCH_TD_MAX_EPISODES 10000000 /* about 2e8 steps: tens of seconds */
#define RL_BENCH_TD_OPTIMAL_PATH 13       /* up, 11 moves right along the cliff, down */

typedef struct rl_bench_td_options {
    size_t episodes; /* per run, at least 1 */
    size_t repeats;  /* timed runs of each side, at least 1 */
} rl_bench_td_options;

#define RL_BENCH_TD_DEFAULTS {10000, 5}

/* Steps per second over the repeats. */
typedef struct rl_bench_rate {
    double median, min, max;
} rl_bench_rate;

typedef struct rl_bench_td_result {
    unsigned long seed; /* the run's generator seed, used by both sides */
    size_t steps;       /* env steps of one run (every repeat takes the same ones) */
    rl_bench_rate gridrl; /* steps / wall time of the whole rl_run_execute call */
    rl_bench_rate hand;   /* steps / wall time of the hand loop, allocation included */
    double ratio;         /* gridrl.median / hand.median */
    double run_seconds;   /* median wall time of rl_run_execute */
    double truth_seconds; /* median time of rl_ground_truth_optimal alone, on the same model */
    /* The agreement checks, on the last repeat. */
    size_t first_difference; /* first episode (1-based) whose length or return differs; 0 */
    double max_value_diff;   /* max_s |v_gridrl(s) - max_a q_hand(s, a)| */
    size_t path_gridrl, path_hand; /* greedy moves from the start to the goal; 0: never */
    double last_mean_gridrl, last_mean_hand; /* mean return of the last min(100, E) episodes */
    size_t last_count;
    double final_rmse; /* gridrl's value_rmse against v* after the last episode */
} rl_bench_td_result;

/* True when every check passed: same episodes, same values, same greedy path. */
static inline bool rl_bench_td_agrees(const rl_bench_td_result *res)
{
    return res->first_difference == 0 && res->max_value_diff == 0.0 &&
           res->path_gridrl == res->path_hand;
}

/* Runs the benchmark. Errors: RL_ERANGE for options out of range (the message names the
 * option), RL_ENOMEM, or whatever building or executing the plan reports. */
int rl_bench_td_run(const rl_bench_td_options *opt, rl_bench_td_result *res, rl_error *err);

#endif

/* What a run is measured against: the ground truth of a configuration of a plan (the exact
 * values its value_rmse compares with), the discount it uses and the exploration rate it is
 * measured at. The runner (run.h), the truth cache (truth_cache.h) and the plots share it.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_TRUTH_H
#define GRIDRL_EXPERIMENTS_RUNNER_TRUTH_H

#include <signal.h>
#include <stddef.h>

#include "experiments/runner/plan.h"
#include "rl/error.h"
#include "rl/mdp.h"

/* The discount of configuration cfg's agent: its gamma, or 1 when it has none. */
double rl_run_gamma(const rl_configuration *cfg);

/* The exploration rate configuration cfg is measured at: a planner's epsilon; with
 * [experiment] values = behavior, a learner's final epsilon (1 for uniform behaviour, 0 for
 * one that acts greedily); else 0 (v*). */
double rl_run_truth_epsilon(const rl_plan *p, const rl_configuration *cfg);

/* The values a run of configuration k of p on model m is measured against (value_rmse), at
 * the agent's gamma: v_pi of the evaluated policy pi (NULL: uniform, built in scratch,
 * n_states x n_actions) for a prediction agent; for a control agent v*, or the values of
 * the best epsilon-greedy policy where the run is measured as one: a planner with
 * epsilon > 0, a learner read out with [experiment] values = behavior (at its final
 * epsilon; 1 for a uniform behaviour). */
int rl_run_ground_truth(const rl_plan *p, size_t k, const rl_mdp *m, const double *pi,
                        const volatile sig_atomic_t *stop, double *scratch, double *truth,
                        rl_error *err);

#endif

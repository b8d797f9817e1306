/* One run of a plan: a configuration's env and agent built from the plan, driven to the end
 * (a planner's iterations here, a learner through the episode loop), with everything the
 * output files need kept in memory. A run depends only on its configuration's values, its
 * replicate and the experiment's seed (rl/rng.h), so runs can go in any order or process,
 * and a configuration's runs are the same in any plan that has it.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_RUN_H
#define GRIDRL_EXPERIMENTS_RUNNER_RUN_H

#include <signal.h>
#include <stddef.h>

#include "experiments/runner/episode_loop.h"
#include "experiments/runner/plan.h"
#include "experiments/runner/result.h"
#include "experiments/runner/truth.h"
#include "rl/env.h"

/* Builds configuration k's env and, for a prediction agent, the policy it evaluates
 * (*given_policy: NULL for uniform or for control agents). Errors are located in the config. */
int rl_run_setup(const rl_plan *p, size_t k, rl_env **env, double **given_policy,
                 rl_error *err);

/* Builds every configuration's env and agent once, so that every error the config can cause
 * is reported before any run starts. */
int rl_plan_check(const rl_plan *p, rl_error *err);

/* The same going through every configuration: each one's first error into errors (the
 * same error in several listed once, sorted by line); returns the first one's code. */
int rl_plan_check_all(const rl_plan *p, rl_error_list *errors);

/* Executes run number `run` of the plan into result (prepared here; free it with
 * rl_run_result_free even on failure). *stop, when it becomes nonzero (a signal), abandons
 * the run with RL_EINTERRUPTED. */
int rl_run_execute(const rl_plan *p, size_t run, const volatile sig_atomic_t *stop,
                   rl_run_result *result, rl_error *err);

/* The same, taking the ground truth from truths (truth_cache.h; NULL: computed here). */
struct rl_truth_cache;
int rl_run_execute_with(const rl_plan *p, size_t run, const volatile sig_atomic_t *stop,
                        struct rl_truth_cache *truths, rl_run_result *result, rl_error *err);

/* The time limit of configuration cfg's episodes: [experiment] max_steps if set, else the
 * preset's, else 0 (none). */
long rl_run_max_steps(const rl_plan *p, const rl_configuration *cfg);

/* The episode loop's options for configuration cfg's runs on space sp, from [experiment]
 * (truth and stop are left NULL: the caller's). */
int rl_run_loop_options(const rl_plan *p, const rl_configuration *cfg, const rl_space *sp,
                        rl_loop_options *o, rl_error *err);




#endif

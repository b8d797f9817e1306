/* One run: a configuration's env and agent built from the plan, driven to the end by the
 * runner, with everything the output files need kept in memory. A run depends only on its
 * place in the plan (configuration, replicate), so runs can go in any order or process.
 */
#ifndef GRIDRL_EXPERIMENTS_RUN_H
#define GRIDRL_EXPERIMENTS_RUN_H

#include <stddef.h>

#include "experiments/plan.h"
#include "rl/env.h"

typedef struct rl_iteration_row {
    size_t iteration;
    double delta, value_rmse;
    size_t policy_changes;
} rl_iteration_row;

typedef struct rl_run_result {
    size_t run, configuration, replicate;
    unsigned long rng_seed;
    const char *status; /* converged, stopped (iteration limit), diverged */
    double seconds;
    rl_env *env;        /* owns the model the arrays below are laid out on */
    rl_iteration_row *iterations;
    size_t n_iterations, capacity;
    double *values; /* n_states */
    double *policy; /* n_states * n_actions */
    double *truth;  /* ground truth values, n_states */
} rl_run_result;

/* Builds configuration k's env and, for a prediction agent, the policy it evaluates
 * (*given_policy: NULL for uniform or for control agents). Errors are located in the config. */
int rl_run_setup(const rl_plan *p, size_t k, rl_env **env, double **given_policy,
                 rl_error *err);

/* Builds every configuration's env and agent once, so that every error the config can cause
 * is reported before any run starts. */
int rl_plan_check(const rl_plan *p, rl_error *err);

/* Executes run number `run` of the plan into result (zeroed first). */
int rl_run_execute(const rl_plan *p, size_t run, rl_run_result *result, rl_error *err);

void rl_run_result_free(rl_run_result *result);

#endif

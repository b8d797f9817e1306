/* One run: a configuration's env and agent built from the plan, driven to the end by the
 * runner, with everything the output files need kept in memory. A run depends only on its
 * place in the plan (configuration, replicate), so runs can go in any order or process.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_RUN_H
#define GRIDRL_EXPERIMENTS_RUNNER_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "experiments/runner/plan.h"
#include "rl/env.h"

typedef struct rl_iteration_row {
    size_t iteration;
    double delta, value_rmse;
    size_t policy_changes;
} rl_iteration_row;

typedef struct rl_episode_row {
    size_t episode; /* 1-based */
    double ret, discounted_return;
    size_t length;
    const char *outcome; /* terminated, truncated (time limit) or budget (total steps) */
    double value_rmse;   /* NaN where no ground truth is defined */
} rl_episode_row;

typedef struct rl_step_row {
    size_t step;    /* total env steps so far */
    size_t episode; /* the episode it falls in, 1-based */
    double value_rmse;
} rl_step_row;

/* A growable array of rows, grown outside the per-step path (per episode or log point). */
typedef struct rl_rows {
    void *data;
    size_t n, capacity, size;
} rl_rows;

typedef struct rl_run_result {
    size_t run, configuration, replicate;
    unsigned long rng_seed;
    const char *status; /* converged, stopped, completed, diverged */
    size_t episodes, steps;
    double seconds;
    rl_env *env;        /* owns the model the arrays below are laid out on */
    rl_rows iterations; /* rl_iteration_row, planners */
    rl_rows episode_rows; /* rl_episode_row, learners */
    rl_rows step_rows;    /* rl_step_row, learners with log_every_steps */
    double *values; /* n_states; NaN for an agent without values */
    double *policy; /* n_states * n_actions */
    double *truth;  /* ground truth values, n_states */
    bool has_truth;
} rl_run_result;

/* Appends a row of rows->size bytes. */
int rl_rows_push(rl_rows *rows, const void *row, rl_error *err);

static inline const void *rl_rows_at(const rl_rows *rows, size_t i)
{
    return (const char *)rows->data + i * rows->size;
}

/* The start cells of `start = uniform` and the fixed cell of `start = row col`. */
typedef struct rl_start_rule {
    enum { RL_START_ENV, RL_START_UNIFORM, RL_START_CELL } kind;
    size_t cell;
} rl_start_rule;

/* Parses [experiment] start for the model m; errors name experiment.start. */
int rl_start_rule_parse(const char *text, const rl_mdp *m, rl_start_rule *out, rl_error *err);

/* Builds configuration k's env and, for a prediction agent, the policy it evaluates
 * (*given_policy: NULL for uniform or for control agents). Errors are located in the config. */
int rl_run_setup(const rl_plan *p, size_t k, rl_env **env, double **given_policy,
                 rl_error *err);

/* Builds every configuration's env and agent once, so that every error the config can cause
 * is reported before any run starts. */
int rl_plan_check(const rl_plan *p, rl_error *err);

/* Executes run number `run` of the plan into result (zeroed first). *stop, when it becomes
 * nonzero (a signal), abandons the run with RL_EINTERRUPTED at the next episode. */
int rl_run_execute(const rl_plan *p, size_t run, const volatile sig_atomic_t *stop,
                   rl_run_result *result, rl_error *err);

void rl_run_result_free(rl_run_result *result);

/* The time limit of configuration cfg's episodes: [experiment] max_steps if set, else the
 * preset's, else 0 (none). */
long rl_run_max_steps(const rl_plan *p, const rl_configuration *cfg);

/* Drives a learner through its episodes (episode_loop.c); result's env and arrays are set. */
int rl_run_learner(const rl_plan *p, const rl_configuration *cfg, const double *pi, gsl_rng *r,
                   const volatile sig_atomic_t *stop, rl_run_result *result, rl_error *err);

#endif

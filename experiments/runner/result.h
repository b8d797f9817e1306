/* What one run produces, kept in memory until its files are written: the rows of every
 * per-run output file (iterations, episodes, logged steps, logged updates), the final values
 * and policy, and the run's status. The episode loop (episode_loop.h) and the planner loop
 * (run.h) fill it; run_files.h writes it.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_RESULT_H
#define GRIDRL_EXPERIMENTS_RUNNER_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rl/env.h"
#include "rl/error.h"
#include "rl/space.h"

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
    /* On an env with marked choices (space->marked): the steps taken in states that have a
     * marked action, and how many of them took one (choices.csv). */
    size_t decisions, chosen;
} rl_episode_row;

typedef struct rl_step_row {
    size_t step;    /* total env steps so far */
    size_t episode; /* the episode it falls in, 1-based */
    double value_rmse;
    double cumulative_reward; /* undiscounted, every reward of the run up to this step */
} rl_step_row;

typedef struct rl_update_row {
    size_t update;  /* total updates so far, 1-based */
    size_t episode; /* the episode after which it ran, 1-based */
    double loss;    /* NaN where the learner reports none */
    double value_rmse;
} rl_update_row;

/* A growable array of rows, grown outside the per-step path (per episode or log point). */
typedef struct rl_rows {
    void *data;
    size_t n, capacity, size;
} rl_rows;

/* Appends a row of rows->size bytes. */
int rl_rows_push(rl_rows *rows, const void *row, rl_error *err);

/* Room for n rows in all, so that pushing them never reallocates. */
int rl_rows_reserve(rl_rows *rows, size_t n, rl_error *err);

static inline const void *rl_rows_at(const rl_rows *rows, size_t i)
{
    return (const char *)rows->data + i * rows->size;
}

typedef struct rl_run_result {
    size_t run, configuration, replicate;
    unsigned long rng_seed;
    const char *status; /* converged, stopped, completed, diverged */
    size_t episodes, steps, updates;
    size_t diverged_step; /* total env steps when a value first became non-finite; 0 */
    double seconds;
    rl_env *env;              /* owned: its space lays out the arrays below */
    rl_rows iterations;       /* rl_iteration_row, planners */
    rl_rows episode_rows;     /* rl_episode_row, learners */
    rl_rows step_rows;        /* rl_step_row, learners with log_every_steps */
    rl_rows update_rows;      /* rl_update_row, learners with an update hook */
    double *values; /* n_states; NaN for an agent without values */
    double *policy; /* n_states * n_actions */
    double *truth;  /* ground truth values, n_states */
    double *action_values; /* n_states * n_actions when asked for (NaN without); NULL */
    uint64_t *visits;      /* n_states * n_actions: times (s, a) was taken; NULL: none */
    bool has_truth;
    bool log_cumulative_reward; /* steps.csv has the cumulative_reward column */
    /* Learners: the run's score (statistics.h), and which episodes episodes.csv keeps: every
     * log_every_episodes-th (0: none). */
    bool has_score;
    double score;
    size_t log_every_episodes;
    char *weight_rows; /* weights.csv's rows of a learner with weights (run, index, feature,
                          weight), formatted at the end of the run; NULL: none */
    size_t weight_rows_size;
    /* The columns that end each episodes.csv row: the configuration's number, algorithm and
     * swept values ("3,sarsa,0.1", plan.h); NULL: none (a run outside a plan). */
    char *label;
} rl_run_result;

/* Zeroes result, takes ownership of env (NULL allowed: the caller sets it later) and
 * allocates the value, truth and policy arrays for space. On failure result holds nothing
 * to free but env. */
int rl_run_result_prepare(rl_run_result *result, rl_env *env, const rl_space *space,
                          rl_error *err);

/* Room in result for the action values (NaN until filled) and, with visits, their counts
 * (zero), for space. */
int rl_run_result_want_action_values(rl_run_result *result, const rl_space *space, bool visits,
                                     rl_error *err);

/* Frees what result holds, env included, and zeroes it. NULL is a no-op. */
void rl_run_result_free(rl_run_result *result);

#endif

/* Step sizes and exploration rates over a run, and the parameter entries that configure
 * them, shared by every learner (tabular, linear, neural).
 *
 * - A step size is a constant alpha, or 1/n where n counts the updates of one counter (a
 *   state, a state-action pair: the caller says which index it updates), so that a tabular
 *   estimate becomes the sample mean of its targets.
 * - An exploration rate epsilon is constant, or decays linearly to epsilon_final over
 *   epsilon_decay_episodes episodes and stays there.
 * Both read their keys from the learner's params where its table has them, so a table lists
 * only the keys that mean something for that learner.
 */
#ifndef GRIDRL_AGENTS_SCHEDULE_H
#define GRIDRL_AGENTS_SCHEDULE_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rl/error.h"
#include "rl/param.h"

/* Parameter entries many learners share; tables list them first. */
#define RL_GAMMA_PARAM {"gamma", RL_PARAM_DOUBLE, "0.9", 0, 1, 0, NULL, "discount factor"}
#define RL_ALPHA_PARAMS                                                                     \
    {"alpha", RL_PARAM_DOUBLE, "0.1", 0, 1, RL_PARAM_MIN_OPEN, NULL,                        \
     "step size (alpha_schedule = constant)"},                                              \
    {"alpha_schedule", RL_PARAM_CHOICE, "constant", 0, 0, 0, "constant|1/n",                \
     "constant alpha, or 1/n with n the visits of the state-action pair"}
#define RL_EPSILON_PARAMS                                                                   \
    {"epsilon", RL_PARAM_DOUBLE, "0.1", 0, 1, 0, NULL,                                      \
     "exploration: epsilon-greedy with Zhao's rule"},                                       \
    {"epsilon_final", RL_PARAM_DOUBLE, NULL, 0, 1, 0, NULL,                                 \
     "if set, epsilon decays linearly to this over epsilon_decay_episodes"},                \
    {"epsilon_decay_episodes", RL_PARAM_INT, "1", 1, 1e12, 0, NULL,                          \
     "episodes over which epsilon decays to epsilon_final"}
#define RL_END_PARAM {NULL, 0, NULL, 0, 0, 0, NULL, NULL}

typedef struct rl_step_size {
    double alpha;
    bool one_over_n;
    uint32_t *visits; /* per counter, only with the 1/n schedule */
} rl_step_size;

/* alpha and alpha_schedule from params (alpha 0 when the table has no alpha); n_counters
 * counters for the 1/n schedule. */
int rl_step_size_init(rl_step_size *st, const rl_params *params, size_t n_counters,
                      rl_error *err);
void rl_step_size_release(rl_step_size *st);

/* The step size for an update of counter i: alpha, or 1/n counting this update. */
static inline double rl_step_size_next(rl_step_size *st, size_t i)
{
    if (!st->one_over_n)
        return st->alpha;
    return 1.0 / (double)++st->visits[i];
}

typedef struct rl_epsilon_schedule {
    double epsilon; /* the current rate */
    double start, final;
    size_t decay_episodes, episode;
    bool decays;
} rl_epsilon_schedule;

/* epsilon, epsilon_final and epsilon_decay_episodes from params (epsilon 0 when the table
 * has no epsilon). */
void rl_epsilon_schedule_init(rl_epsilon_schedule *e, const rl_params *params);

/* Advances the schedule after an episode. */
void rl_epsilon_schedule_end_episode(rl_epsilon_schedule *e);

#endif

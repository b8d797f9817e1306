/* What the tabular learners share: the action-value table with its running maxima, the step
 * size (constant or 1/n per state-action visit, agents/schedule.h), the exploration rate
 * (constant or decayed over episodes), Zhao's epsilon-greedy rule (agents/explore.h) and the
 * read-outs.
 *
 * States with actions of their own (space->allowed): every choice, maximum, expectation and
 * read-out below is over the state's own actions, gathered into a compact row first, so the
 * draws per decision are the same as without (one), over fewer actions. The entries of
 * actions a state does not have stay at q0 and are never chosen.
 */
#ifndef GRIDRL_AGENTS_TABULAR_H
#define GRIDRL_AGENTS_TABULAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "agents/explore.h"
#include "agents/schedule.h"
#include "rl/error.h"
#include "rl/param.h"
#include "rl/space.h"

#define RL_TABULAR_Q0_PARAM                                                                 \
    {"q0", RL_PARAM_DOUBLE, "0", -HUGE_VAL, HUGE_VAL, 0, NULL, "initial action value"}

typedef struct rl_tabular {
    size_t n_states, n_actions;
    const uint8_t *kind; /* the space's state kinds: terminal states keep q = 0 */
    double *q;           /* n_states * n_actions; write it with rl_tabular_write */
    double *vmax;        /* n_states: max_a q(s, a), kept current by rl_tabular_write */
    double gamma;        /* 1 when the table has no gamma */
    rl_step_size step;   /* counters per (s, a) */
    rl_epsilon_schedule explore;
    /* NULL without per-state action sets; else per state its own actions in order,
     * own[s * n_actions + i] for i < n_own[s]. */
    uint8_t *own, *n_own;
} rl_tabular;

/* Reads the shared parameters present in params' table; q starts at q0 (0 on terminal
 * states). */
int rl_tabular_init(rl_tabular *t, const rl_space *space, const rl_params *params,
                    rl_error *err);
void rl_tabular_release(rl_tabular *t);

/* The same choices and maxima over a state's own actions (t->own set): out of line, so that
 * the inline paths below stay as small as they are without per-state action sets. */
size_t rl_tabular_select_own(const rl_tabular *t, size_t s, gsl_rng *r);
size_t rl_tabular_greedy_own(const rl_tabular *t, size_t s, gsl_rng *r);
size_t rl_tabular_uniform_own(const rl_tabular *t, size_t s, gsl_rng *r);
double rl_tabular_max_own(const rl_tabular *t, size_t s);
size_t rl_tabular_argmax_first_own(const rl_tabular *t, size_t s);
double rl_tabular_expected_own(const rl_tabular *t, size_t s);
void rl_tabular_write_own(rl_tabular *t, size_t s, size_t a, double value);

/* Epsilon-greedy action in s with one draw (rl_explore_epsilon_greedy). */
static inline size_t rl_tabular_select(const rl_tabular *t, size_t s, gsl_rng *r)
{
    if (t->own)
        return rl_tabular_select_own(t, s, r);
    return rl_explore_epsilon_greedy(t->q + s * t->n_actions, t->n_actions, t->explore.epsilon,
                                     r);
}

/* Greedy action in s, ties uniformly at random with one draw. */
static inline size_t rl_tabular_greedy(const rl_tabular *t, size_t s, gsl_rng *r)
{
    if (t->own)
        return rl_tabular_greedy_own(t, s, r);
    return rl_explore_greedy(t->q + s * t->n_actions, t->n_actions, r);
}

/* A uniformly random action of s with one draw (rl_explore_uniform). */
static inline size_t rl_tabular_uniform(const rl_tabular *t, size_t s, gsl_rng *r)
{
    if (t->own)
        return rl_tabular_uniform_own(t, s, r);
    return rl_explore_uniform(t->n_actions, r);
}

/* max_a q(s, a). */
static inline double rl_tabular_max(const rl_tabular *t, size_t s)
{
    if (t->own)
        return rl_tabular_max_own(t, s);
    return rl_explore_max(t->q + s * t->n_actions, t->n_actions);
}

/* The first action of s at the exact maximum of q(s, .) (rl_argmax_first). */
static inline size_t rl_tabular_argmax_first(const rl_tabular *t, size_t s)
{
    if (t->own)
        return rl_tabular_argmax_first_own(t, s);
    return rl_argmax_first(t->q + s * t->n_actions, t->n_actions);
}

/* Sets q(s, a) and keeps vmax[s] = max_a q(s, a) current, so that the runner's per-episode
 * read-out of the values is a copy rather than a pass over the whole table: a scan of the
 * row only when its maximum itself went down. A NaN sticks in vmax, for divergence checks. */
static inline void rl_tabular_write(rl_tabular *t, size_t s, size_t a, double value)
{
    if (t->own) {
        rl_tabular_write_own(t, s, a, value);
        return;
    }
    double *row = t->q + s * t->n_actions;
    double old = row[a];
    row[a] = value;
    if (value >= t->vmax[s] || value != value) {
        t->vmax[s] = value;
    } else if (old == t->vmax[s]) {
        t->vmax[s] = rl_explore_max(row, t->n_actions);
    }
}

/* The step size for an update of (s, a): alpha, or 1/n counting this visit. */
static inline double rl_tabular_step_size(rl_tabular *t, size_t s, size_t a)
{
    return rl_step_size_next(&t->step, s * t->n_actions + a);
}

/* Expected q(s, .) under the current epsilon-greedy policy (ties share the greedy mass). */
static inline double rl_tabular_expected(const rl_tabular *t, size_t s)
{
    if (t->own)
        return rl_tabular_expected_own(t, s);
    return rl_explore_expected(t->q + s * t->n_actions, t->n_actions, t->explore.epsilon);
}

/* Advances the exploration schedule after an episode. */
static inline void rl_tabular_end_episode(rl_tabular *t)
{
    rl_epsilon_schedule_end_episode(&t->explore);
}

/* Read-outs: v = max_a q; the greedy policy, ties by the read-out rule (rl/argmax.h). */
void rl_tabular_values(const rl_tabular *t, double *v);
void rl_tabular_action_values(const rl_tabular *t, double *q);
void rl_tabular_policy(const rl_tabular *t, double *pi);
/* Epsilon-greedy probabilities on q at rate epsilon, ties sharing the greedy mass as the
 * draws share it (the learner's current rate; 0 for greedy, 1 for uniform behaviour);
 * uniform on states without decisions. */
void rl_tabular_behavior_policy(const rl_tabular *t, double epsilon, double *pi);

#endif

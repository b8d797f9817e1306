/* The learner interface: model-free agents driven by the runner's episode loop.
 *
 * The runner owns every loop: for each episode it asks the learner (optionally) where to
 * start, calls begin_episode for the first action, then for every step gives the learner the
 * transition and receives the next action, and finally calls end_episode. Learners never call
 * the runner back. They see the env only through the model's sizes and geometry (rl_mdp:
 * n_states, n_actions, rows, cols, action names) — never its transition table, which would
 * be cheating — and draw randomness only from the run's generator r.
 *
 * A time limit is a truncation, not a termination: on a truncated last step the learner
 * bootstraps from next as if the episode went on.
 */
#ifndef GRIDRL_AGENTS_LEARNER_H
#define GRIDRL_AGENTS_LEARNER_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "rl/error.h"
#include "rl/mdp.h"
#include "rl/param.h"

typedef struct rl_transition {
    size_t state, action;
    double reward;
    size_t next;
    bool terminated; /* next is terminal: no bootstrapping */
    bool truncated;  /* the runner's time limit ended the episode here: bootstrap from next */
} rl_transition;

/* What a learner may ask of the next episode (its start hook). */
typedef struct rl_episode_start {
    bool has_state;  /* start in `state` (the env must support reset_to) */
    size_t state;
    bool has_action; /* take `action` first instead of asking begin_episode */
    size_t action;
    size_t max_length; /* cap on this episode's length; 0: the runner's own limit */
} rl_episode_start;

typedef struct rl_learner_type {
    const char *name;
    const char *doc;
    const rl_param_spec *params;
    size_t size; /* of the private state */
    /* m gives sizes and geometry only. given_policy: the policy a prediction learner
     * evaluates (copied; NULL: uniform); control learners ignore it. */
    int (*init)(void *state, const rl_mdp *m, const rl_params *params,
                const double *given_policy, rl_error *err);
    void (*release)(void *state);
    /* Optional: fills *start for the next episode (zeroed by the runner). */
    void (*episode_start)(void *state, gsl_rng *r, rl_episode_start *start);
    /* The first action in state s (not called when the start hook fixed the action). */
    size_t (*begin_episode)(void *state, size_t s, gsl_rng *r);
    /* Learns from t; returns the action to take in t->next (ignored when the episode ends). */
    size_t (*observe)(void *state, const rl_transition *t, gsl_rng *r);
    /* After the last transition: RL_CONTINUE, RL_OK when the learner has converged (which
     * ends a run that has no episode or step budget), RL_STOPPED when it hit its own
     * iteration limit without converging (ends the run), or an error. */
    int (*end_episode)(void *state, rl_error *err);
    void (*values)(const void *state, double *v);    /* n_states */
    void (*action_values)(const void *state, double *q); /* NULL if none */
    void (*policy)(const void *state, double *pi);   /* n_states * n_actions */
} rl_learner_type;

typedef struct rl_learner {
    const rl_learner_type *type;
    void *state;
} rl_learner;

rl_learner *rl_learner_alloc(const rl_learner_type *type, const rl_mdp *m,
                             const rl_params *params, const double *given_policy,
                             rl_error *err);
void rl_learner_free(rl_learner *l);

#endif

/* The learner interface: model-free agents driven by the runner's episode loop.
 *
 * The runner owns every loop: for each episode it asks the learner (optionally) where to
 * start, calls begin_episode for the first action, then for every step gives the learner the
 * transition and receives the next action, and finally calls end_episode. A learner with an
 * update hook is then asked for updates until it has none left for this episode (training on
 * stored data: offline DQN trains on one stored episode). Learners never call the runner
 * back. They see the env only through its space (rl/space.h: sizes, geometry, state kinds,
 * action names), never its transition table, and draw randomness only from the run's
 * generator r, which init also receives (for initial weights).
 *
 * A time limit is a truncation, not a termination: on a truncated last step the learner
 * bootstraps from next as if the episode went on.
 *
 * Hooks. Required: init, begin_episode, observe, end_episode, policy. Optional (NULL):
 * release, episode_start, update, diverged, values (a learner without state values),
 * action_values, behavior_policy (a control learner that can say how it acts), weights and
 * weight_label (a learner with a weight vector: linear ones).
 * Every hook is called through the dispatchers below, never as l->type->hook(...).
 * Read-outs copy into the caller's buffer.
 */
#ifndef GRIDRL_AGENTS_LEARNER_H
#define GRIDRL_AGENTS_LEARNER_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "rl/error.h"
#include "rl/param.h"
#include "rl/space.h"

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

/* What one update did, for updates.csv. */
typedef struct rl_update_report {
    double loss; /* the training loss of this update; NaN where the learner has none */
} rl_update_report;

/* The keys a prediction learner takes its policy from; the runner reads them and hands the
 * learner the policy (given_policy). */
#define RL_GIVEN_POLICY_PARAMS                                                              \
    {"policy", RL_PARAM_CHOICE, "uniform", 0, 0, 0, "uniform|greedy|file",                  \
     "the policy to evaluate: uniform, greedy w.r.t. values_file, or policy_file"},         \
    {"policy_file", RL_PARAM_STRING, NULL, 0, 0, 0, NULL,                                   \
     "policy = file: a policy.csv (row,col,action,probability) or an arrow grid (^>v<o)"},  \
    {"values_file", RL_PARAM_STRING, NULL, 0, 0, 0, NULL,                                   \
     "policy = greedy: a values.csv whose greedy policy is evaluated"}

typedef struct rl_learner_type {
    const char *name;
    const char *doc;
    const rl_param_spec *params;
    size_t size; /* of the private state */
    bool prediction; /* evaluates a given policy (ground truth v_pi), else improves one (v*) */
    bool converges;  /* may report convergence, so a run needs no episode or step budget */
    /* chooses only among each state's own actions where the space lists them (space->allowed);
     * the episode loop refuses a learner without it on such an env */
    bool state_actions;

    /* space: valid while the learner lives. given_policy: the policy a prediction learner
     * evaluates (n_states * n_actions, copied; NULL: uniform); control learners ignore it.
     * r: the run's generator, for initial weights. On failure leaves nothing to release. */
    int (*init)(void *state, const rl_space *space, const rl_params *params,
                const double *given_policy, gsl_rng *r, rl_error *err);
    void (*release)(void *state);
    /* Fills *start for the next episode (zeroed by the runner). */
    void (*episode_start)(void *state, gsl_rng *r, rl_episode_start *start);
    /* The first action in state s (not called when the start hook fixed the action). */
    size_t (*begin_episode)(void *state, size_t s, gsl_rng *r);
    /* Learns from t; returns the action to take in t->next (ignored when the episode ends). */
    size_t (*observe)(void *state, const rl_transition *t, gsl_rng *r);
    /* After the last transition: RL_CONTINUE, RL_OK when the learner has converged (which
     * ends a run that has no episode or step budget), RL_STOPPED when it hit its own
     * iteration limit without converging (ends the run), or an error. */
    int (*end_episode)(void *state, rl_error *err);
    /* One training update on stored data, after end_episode: RL_CONTINUE when it did one
     * (the runner logs it and asks again), RL_OK when it has none left for this episode
     * (and did nothing), or an error. */
    int (*update)(void *state, gsl_rng *r, rl_update_report *report, rl_error *err);
    /* 0 while the learner's estimates are finite; else the number of transitions it had
     * observed when one first stopped being finite (the run's step, as the runner counts
     * them). Without it the runner notices divergence in the values it reads out. */
    size_t (*diverged)(const void *state);
    void (*values)(const void *state, double *v);        /* n_states */
    void (*action_values)(const void *state, double *q); /* n_states * n_actions */
    void (*policy)(const void *state, double *pi);       /* n_states * n_actions */
    /* The policy the learner acts with now (epsilon-greedy at the current rate, a uniform
     * off-policy behaviour), n_states * n_actions: with action_values it gives the values
     * of the learner's own policy, sum_a b(a|s) q(s, a). */
    void (*behavior_policy)(const void *state, double *pi);
    /* The weight vector (valid until the next update) and its length, for weights.csv. */
    const double *(*weights)(const void *state, size_t *n);
    /* The name of weight i (< n), truncated to size; with weights. */
    void (*weight_label)(const void *state, size_t i, char *buf, size_t size);
} rl_learner_type;

typedef struct rl_learner {
    const rl_learner_type *type;
    void *state;
} rl_learner;

/* Allocates a learner of type on space (which must outlive it) into *out; on failure *out
 * is NULL and nothing is left allocated. */
int rl_learner_alloc(const rl_learner_type *type, const rl_space *space,
                     const rl_params *params, const double *given_policy, gsl_rng *r,
                     rl_learner **out, rl_error *err);
void rl_learner_free(rl_learner *l);

/* ---- dispatchers ---- */

static inline const char *rl_learner_name(const rl_learner *l) { return l->type->name; }

/* The type's flag: the learner may report convergence (a run needs no budget). */
static inline bool rl_learner_converges(const rl_learner *l) { return l->type->converges; }

/* The start hook's wishes, zeroed when the learner has none. */
static inline void rl_learner_episode_start(rl_learner *l, gsl_rng *r, rl_episode_start *start)
{
    *start = (rl_episode_start){0};
    if (l->type->episode_start)
        l->type->episode_start(l->state, r, start);
}

static inline size_t rl_learner_begin_episode(rl_learner *l, size_t s, gsl_rng *r)
{
    return l->type->begin_episode(l->state, s, r);
}

static inline size_t rl_learner_observe(rl_learner *l, const rl_transition *t, gsl_rng *r)
{
    return l->type->observe(l->state, t, r);
}

static inline int rl_learner_end_episode(rl_learner *l, rl_error *err)
{
    return l->type->end_episode(l->state, err);
}

static inline bool rl_learner_has_update(const rl_learner *l) { return l->type->update != NULL; }

/* RL_OK at once (no update left) for a learner without an update hook. */
int rl_learner_update(rl_learner *l, gsl_rng *r, rl_update_report *report, rl_error *err);

/* The step at which the learner's estimates stopped being finite; 0 when they have not,
 * or when the learner cannot tell. */
static inline size_t rl_learner_diverged(const rl_learner *l)
{
    return l->type->diverged ? l->type->diverged(l->state) : 0;
}

static inline bool rl_learner_has_values(const rl_learner *l) { return l->type->values != NULL; }

/* State values into v (n_states); false, and v untouched, for a learner without them. */
bool rl_learner_values(const rl_learner *l, double *v);

/* Action values into q (n_states * n_actions); false, and q untouched, without them. */
bool rl_learner_action_values(const rl_learner *l, double *q);

/* The learner's policy pi(a|s) into pi (n_states * n_actions). */
void rl_learner_policy(const rl_learner *l, double *pi);

/* The policy the learner acts with now into pi (n_states * n_actions); false, and pi
 * untouched, for a learner that cannot say. */
bool rl_learner_behavior_policy(const rl_learner *l, double *pi);

/* The learner's weights and their number (*n); NULL (and *n = 0) without a weight vector. */
const double *rl_learner_weights(const rl_learner *l, size_t *n);

/* The name of weight i; "" without a weight vector or for i out of range. */
void rl_learner_weight_label(const rl_learner *l, size_t i, char *buf, size_t size);

#endif

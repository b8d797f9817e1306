/* The environment interface: a constant type descriptor and an opaque instance.
 *
 * An env type names itself, documents its parameters in a table, and supplies the
 * step/reset functions and its space (rl/space.h: what an agent may know of it). `model`
 * returns the exact tabular MDP the env samples from, for planners and the ground truth;
 * `reset_to` puts the agent in a chosen state (exploring starts). Time limits are not the
 * env's business: the runner truncates episodes.
 *
 * Hooks. Required: init, space, reset, step. Optional (NULL): resolve, release, reset_to,
 * model.
 * Every hook is called through the dispatchers below, never as env->type->hook(...).
 */
#ifndef GRIDRL_RL_ENV_H
#define GRIDRL_RL_ENV_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "rl/error.h"
#include "rl/mdp.h"
#include "rl/param.h"
#include "rl/space.h"

typedef struct rl_step {
    size_t next;
    double reward;
    bool terminated; /* the episode ended in a terminal state */
} rl_step;

typedef struct rl_env_type {
    const char *name;
    const char *doc;
    const rl_param_spec *params;
    size_t size; /* of the private state */
    /* Completes params in place with what the type implies (a gridworld's preset settings
     * under the caller's own keys), so that what a caller records as the env's parameters
     * is what the env uses. init does the same on its own copy. */
    int (*resolve)(rl_params *params, rl_error *err);
    /* Builds the state from validated parameters; on failure leaves nothing to release. */
    int (*init)(void *state, const rl_params *params, rl_error *err);
    void (*release)(void *state);
    /* The state and action spaces, valid while the env lives. */
    const rl_space *(*space)(const void *state);
    /* A start state drawn from the env's start distribution. */
    size_t (*reset)(void *state, gsl_rng *r);
    rl_step (*step)(void *state, size_t action, gsl_rng *r);
    int (*reset_to)(void *state, size_t s, rl_error *err);
    const rl_mdp *(*model)(const void *state);
} rl_env_type;

typedef struct rl_env {
    const rl_env_type *type;
    void *state;
} rl_env;

/* Allocates an env of type from params (validated against type->params) into *out; on
 * failure *out is NULL and nothing is left allocated. */
int rl_env_alloc(const rl_env_type *type, const rl_params *params, rl_env **out,
                 rl_error *err);
void rl_env_free(rl_env *env);

/* Applies type's resolve hook to params (nothing when it has none). */
int rl_env_type_resolve(const rl_env_type *type, rl_params *params, rl_error *err);

/* ---- dispatchers ---- */

static inline const char *rl_env_name(const rl_env *env) { return env->type->name; }

static inline const rl_space *rl_env_space(const rl_env *env)
{
    return env->type->space(env->state);
}

static inline size_t rl_env_reset(rl_env *env, gsl_rng *r)
{
    return env->type->reset(env->state, r);
}

static inline rl_step rl_env_step(rl_env *env, size_t action, gsl_rng *r)
{
    return env->type->step(env->state, action, r);
}

/* RL_EUNSUPPORTED if the type has no reset_to; RL_EINVAL for a wall or terminal state. */
int rl_env_reset_to(rl_env *env, size_t s, rl_error *err);

/* The exact model, or NULL. */
const rl_mdp *rl_env_model(const rl_env *env);

#endif

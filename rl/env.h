/* The environment interface: a constant type descriptor and an opaque instance.
 *
 * An env type names itself, documents its parameters in a table, and supplies the
 * step/reset functions. `model` returns the exact tabular MDP the env samples from (NULL
 * for an env without one); `reset_to` puts the agent in a chosen state (exploring starts)
 * and may be NULL. Time limits are not the env's business: the runner truncates episodes.
 */
#ifndef GRIDRL_RL_ENV_H
#define GRIDRL_RL_ENV_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "rl/error.h"
#include "rl/mdp.h"
#include "rl/param.h"

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
    /* Builds the state from validated parameters; on failure leaves nothing to free. */
    int (*init)(void *state, const rl_params *params, rl_error *err);
    void (*release)(void *state);
    size_t (*reset)(void *state, gsl_rng *r);
    rl_step (*step)(void *state, size_t action, gsl_rng *r);
    int (*reset_to)(void *state, size_t s, rl_error *err); /* optional */
    const rl_mdp *(*model)(const void *state);               /* optional */
} rl_env_type;

typedef struct rl_env {
    const rl_env_type *type;
    void *state;
} rl_env;

rl_env *rl_env_alloc(const rl_env_type *type, const rl_params *params, rl_error *err);
void rl_env_free(rl_env *env);

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

/* Generic env dispatch: see env.h. */
#include "rl/env.h"

#include <stdlib.h>

#include "rl/alloc.h"

int rl_env_alloc(const rl_env_type *type, const rl_params *params, rl_env **out,
                 rl_error *err)
{
    *out = NULL;
    if (rl_params_table(params) != type->params)
        return rl_error_set(err, RL_EINVAL,
                            "env %s was given parameters made for another table", type->name);
    rl_env *env = rl_calloc(1, sizeof *env);
    void *state = rl_calloc(1, type->size ? type->size : 1);
    if (!env || !state) {
        rl_free(env);
        rl_free(state);
        return rl_error_set(err, RL_ENOMEM, "out of memory allocating env %s", type->name);
    }
    int rc = type->init(state, params, err);
    if (rc != RL_OK) {
        rl_free(state);
        rl_free(env);
        return rc;
    }
    env->type = type;
    env->state = state;
    *out = env;
    return RL_OK;
}

int rl_env_type_resolve(const rl_env_type *type, rl_params *params, rl_error *err)
{
    return type->resolve ? type->resolve(params, err) : RL_OK;
}

void rl_env_free(rl_env *env)
{
    if (!env)
        return;
    if (env->type->release)
        env->type->release(env->state);
    rl_free(env->state);
    rl_free(env);
}

int rl_env_reset_to(rl_env *env, size_t s, rl_error *err)
{
    if (!env->type->reset_to)
        return rl_error_set(err, RL_EUNSUPPORTED, "env %s cannot start from a chosen state",
                            env->type->name);
    return env->type->reset_to(env->state, s, err);
}

const rl_mdp *rl_env_model(const rl_env *env)
{
    return env->type->model ? env->type->model(env->state) : NULL;
}

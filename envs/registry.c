/* The env registry: see registry.h. */
#include "envs/registry.h"

#include <stdio.h>
#include <string.h>

#include "envs/gridworld.h"
#include "envs/mdp_env.h"

const rl_env_type *const rl_env_types[] = {
    &rl_gridworld_type,
    &rl_mdp_env_type,
    NULL,
};

const rl_env_type *rl_env_type_find(const char *name, rl_error *err)
{
    char names[RL_ERROR_MESSAGE_MAX - 128] = "";
    for (const rl_env_type *const *t = rl_env_types; *t; t++) {
        if (strcmp((*t)->name, name) == 0)
            return *t;
        rl_names_append(names, sizeof names, (*t)->name);
    }
    rl_error_set(err, RL_ENOTFOUND, "unknown env '%s' (valid: %s)", name, names);
    return NULL;
}

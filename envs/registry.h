/* All env types, for lookup by name and for `gridrl list`. */
#ifndef GRIDRL_ENVS_REGISTRY_H
#define GRIDRL_ENVS_REGISTRY_H

#include "rl/env.h"

/* NULL-terminated. */
extern const rl_env_type *const rl_env_types[];

/* The type named name; NULL with RL_ENOTFOUND listing the valid names otherwise. */
const rl_env_type *rl_env_type_find(const char *name, rl_error *err);

#endif

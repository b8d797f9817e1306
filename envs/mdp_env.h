/* The explicit-MDP env type, `[env] type = mdp` with `file = PATH` (an MDP file, see
 * envs/mdp_file.h and README.md, "Writing an MDP file"). Its exact model has each outcome's
 * expected reward; step() samples the reward's distribution with the run's generator.
 */
#ifndef GRIDRL_ENVS_MDP_ENV_H
#define GRIDRL_ENVS_MDP_ENV_H

#include "rl/env.h"

extern const rl_env_type rl_mdp_env_type;

/* The [env] parameter table (also rl_mdp_env_type.params). */
extern const rl_param_spec rl_mdp_env_params[];

#endif

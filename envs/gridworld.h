/* The map-driven gridworld family: one env type whose dynamics README.md describes ("Writing a map"), compiled
 * from a map and its [env] parameters into one exact rl_mdp that step() samples from.
 */
#ifndef GRIDRL_ENVS_GRIDWORLD_H
#define GRIDRL_ENVS_GRIDWORLD_H

#include "envs/map.h"
#include "rl/env.h"
#include "rl/mdp.h"
#include "rl/param.h"

extern const rl_env_type rl_gridworld_type;
extern const rl_env_type *const rl_gridworld; /* == &rl_gridworld_type */

/* The [env] parameter table (also rl_gridworld->params). */
extern const rl_param_spec rl_gridworld_params[];

/* Applies the preset named in params (if any) under the user's settings: every key the preset
 * sets that the user did not set takes the preset's value. */
int rl_gridworld_apply_preset(rl_params *params, rl_error *err);

/* Loads the map that params name: the file at `map` if set (it overrides a preset's map, like
 * any other preset parameter), else the preset's embedded map. Neither is an error naming
 * the key map. */
int rl_gridworld_load_map(const rl_params *params, rl_map **out, rl_error *err);

/* Loads the map in force after a map change: the file at `map_after` if set, else the
 * preset's second map if it has one; *out is NULL (and RL_OK) without a map change. */
int rl_gridworld_load_map_after(const rl_params *params, rl_map **out, rl_error *err);

/* Compiles map and parameters (preset already applied) into a finished model. Parameter
 * errors (wind length, jump cells) name their key. */
int rl_gridworld_compile(const rl_map *map, const rl_params *params, rl_mdp **out,
                         rl_error *err);


#endif

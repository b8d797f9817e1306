/* gridrl's public API in one include: the env interface and the gridworld family, the
 * tabular model and its exact evaluation, the agents and their registry, and the experiment
 * runner. Programs that want less include the headers they use ("rl/env.h", ...); with the
 * installed library, the include path is PREFIX/include/gridrl (see gridrl.pc).
 */
#ifndef GRIDRL_H
#define GRIDRL_H

#include "agents/learner.h"
#include "agents/planner.h"
#include "agents/registry.h"
#include "envs/gridworld.h"
#include "envs/preset.h"
#include "envs/registry.h"
#include "rl/env.h"
#include "rl/error.h"
#include "rl/evaluate.h"
#include "rl/ground_truth.h"
#include "rl/mdp.h"
#include "rl/param.h"
#include "rl/rng.h"
#include "rl/space.h"
#include "rl/stats.h"
#include "rl/version.h"

#endif

/* All agent types, for lookup by name and for `gridrl list`.
 *
 * Planners (dynamic programming on the model) and learners (model-free, driven by the runner's
 * episode loop) have separate minimal interfaces; the registry lists both.
 */
#ifndef GRIDRL_AGENTS_REGISTRY_H
#define GRIDRL_AGENTS_REGISTRY_H

#include <stdbool.h>

#include "agents/learner.h"
#include "agents/planner.h"
#include "rl/error.h"
#include "rl/param.h"

typedef enum rl_agent_kind { RL_AGENT_PLANNER, RL_AGENT_LEARNER } rl_agent_kind;

typedef struct rl_agent_info {
    const char *name;
    const char *doc;
    rl_agent_kind kind;
    const rl_param_spec *params;
    const rl_planner_type *planner; /* for RL_AGENT_PLANNER */
    bool prediction; /* evaluates a given policy (ground truth v_pi) rather than improving
                        one (ground truth v*) */
    const rl_learner_type *learner; /* for RL_AGENT_LEARNER */
    bool converges; /* a learner that reports convergence (runs need no episode budget) */
} rl_agent_info;

/* NULL-terminated, in the order `gridrl list` prints them. */
extern const rl_agent_info *const rl_agents[];

/* The agent named name; NULL with RL_ENOTFOUND listing the valid names otherwise. */
const rl_agent_info *rl_agent_find(const char *name, rl_error *err);

#endif

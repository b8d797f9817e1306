/* All agent types, for lookup by name and for `gridrl list`.
 *
 * Planners (dynamic programming on the model) and learners (model-free, driven by the
 * runner's episode loop) have separate minimal interfaces. An rl_agent names one of either
 * kind; everything else about it (name, doc, parameters, flags) is read from its type
 * through the accessors below, so nothing is written twice.
 */
#ifndef GRIDRL_AGENTS_REGISTRY_H
#define GRIDRL_AGENTS_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "agents/learner.h"
#include "agents/planner.h"
#include "rl/error.h"
#include "rl/param.h"

typedef enum rl_agent_kind { RL_AGENT_PLANNER, RL_AGENT_LEARNER } rl_agent_kind;

typedef struct rl_agent {
    rl_agent_kind kind;
    const rl_planner_type *planner; /* for RL_AGENT_PLANNER, else NULL */
    const rl_learner_type *learner; /* for RL_AGENT_LEARNER, else NULL */
} rl_agent;

/* The i-th registered agent, in the order `gridrl list` prints them; NULL past the last. */
const rl_agent *rl_agent_at(size_t i);

/* The agent named name; NULL with RL_ENOTFOUND listing the valid names otherwise. */
const rl_agent *rl_agent_find(const char *name, rl_error *err);

static inline const char *rl_agent_name(const rl_agent *a)
{
    return a->kind == RL_AGENT_PLANNER ? a->planner->name : a->learner->name;
}

static inline const char *rl_agent_doc(const rl_agent *a)
{
    return a->kind == RL_AGENT_PLANNER ? a->planner->doc : a->learner->doc;
}

static inline const rl_param_spec *rl_agent_params(const rl_agent *a)
{
    return a->kind == RL_AGENT_PLANNER ? a->planner->params : a->learner->params;
}

/* Evaluates a given policy (ground truth v_pi) rather than improving one (ground truth v*). */
static inline bool rl_agent_is_prediction(const rl_agent *a)
{
    return a->kind == RL_AGENT_PLANNER ? a->planner->prediction : a->learner->prediction;
}

/* A learner that reports convergence, so its runs need no episode or step budget. */
static inline bool rl_agent_converges(const rl_agent *a)
{
    return a->kind == RL_AGENT_LEARNER && a->learner->converges;
}

#endif

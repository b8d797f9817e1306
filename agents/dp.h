/* Dynamic-programming planners (see dp.c). */
#ifndef GRIDRL_AGENTS_DP_H
#define GRIDRL_AGENTS_DP_H

#include "agents/planner.h"

extern const rl_planner_type rl_policy_evaluation_type;
extern const rl_planner_type rl_value_iteration_type;
extern const rl_planner_type rl_policy_iteration_type;
extern const rl_planner_type rl_truncated_policy_iteration_type;

#endif

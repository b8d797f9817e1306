/* The agent registry: see registry.h. */
#include "agents/registry.h"

#include <stdio.h>
#include <string.h>

#include "agents/dp.h"
#include "agents/mc.h"
#include "agents/random.h"
#include "agents/td.h"

const rl_agent_info *const rl_agents[] = {
    &rl_policy_evaluation_info,
    &rl_value_iteration_info,
    &rl_policy_iteration_info,
    &rl_truncated_policy_iteration_info,
    &rl_mc_basic_info,
    &rl_mc_exploring_starts_info,
    &rl_mc_epsilon_greedy_info,
    &rl_td0_info,
    &rl_sarsa_info,
    &rl_expected_sarsa_info,
    &rl_n_step_sarsa_info,
    &rl_q_learning_info,
    &rl_double_q_learning_info,
    &rl_random_info,
    NULL,
};

const rl_agent_info *rl_agent_find(const char *name, rl_error *err)
{
    char names[RL_ERROR_MESSAGE_MAX / 2] = "";
    for (const rl_agent_info *const *a = rl_agents; *a; a++) {
        if (strcmp((*a)->name, name) == 0)
            return *a;
        rl_names_append(names, sizeof names, (*a)->name);
    }
    rl_error_set(err, RL_ENOTFOUND, "unknown algorithm '%s' (valid: %s)", name, names);
    return NULL;
}

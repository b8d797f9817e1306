/* The agent registry: see registry.h. A new agent type joins by one line here. */
#include "agents/registry.h"

#include <stdio.h>
#include <string.h>

#include "agents/dp.h"
#include "agents/dqn.h"
#include "agents/dyna.h"
#include "agents/linear.h"
#include "agents/mc.h"
#include "agents/random.h"
#include "agents/td.h"
#include "agents/traces.h"

#define PLANNER(type) {RL_AGENT_PLANNER, &(type), NULL}
#define LEARNER(type) {RL_AGENT_LEARNER, NULL, &(type)}

static const rl_agent agents[] = {
    PLANNER(rl_policy_evaluation_type),
    PLANNER(rl_value_iteration_type),
    PLANNER(rl_policy_iteration_type),
    PLANNER(rl_truncated_policy_iteration_type),
    LEARNER(rl_mc_basic_type),
    LEARNER(rl_mc_exploring_starts_type),
    LEARNER(rl_mc_epsilon_greedy_type),
    LEARNER(rl_mc_prediction_type),
    LEARNER(rl_td0_type),
    LEARNER(rl_n_step_td_type),
    LEARNER(rl_lambda_return_type),
    LEARNER(rl_td_lambda_type),
    LEARNER(rl_true_online_td_type),
    LEARNER(rl_sarsa_type),
    LEARNER(rl_expected_sarsa_type),
    LEARNER(rl_n_step_sarsa_type),
    LEARNER(rl_sarsa_lambda_type),
    LEARNER(rl_q_learning_type),
    LEARNER(rl_double_q_learning_type),
    LEARNER(rl_dyna_q_type),
    LEARNER(rl_dyna_q_plus_type),
    LEARNER(rl_td_linear_type),
    LEARNER(rl_sarsa_linear_type),
    LEARNER(rl_q_learning_linear_type),
    LEARNER(rl_lstd_type),
    LEARNER(rl_dqn_type),
    LEARNER(rl_random_type),
};

const rl_agent *rl_agent_at(size_t i)
{
    return i < sizeof agents / sizeof agents[0] ? &agents[i] : NULL;
}

const rl_agent *rl_agent_find(const char *name, rl_error *err)
{
    char names[RL_ERROR_MESSAGE_MAX - 128] = "";
    const rl_agent *a;
    for (size_t i = 0; (a = rl_agent_at(i)); i++) {
        if (strcmp(rl_agent_name(a), name) == 0)
            return a;
        rl_names_append(names, sizeof names, rl_agent_name(a));
    }
    rl_error_set(err, RL_ENOTFOUND, "unknown algorithm '%s' (valid: %s)", name, names);
    return NULL;
}

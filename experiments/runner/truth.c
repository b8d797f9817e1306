/* What a configuration is measured against: see truth.h. */
#include "experiments/runner/truth.h"

#include <string.h>

#include "rl/ground_truth.h"
#include "rl/policy.h"

double rl_run_gamma(const rl_configuration *cfg)
{
    const rl_param_spec *table = rl_params_table(cfg->agent_params);
    return rl_param_find(table, "gamma") ? rl_params_double(cfg->agent_params, "gamma") : 1.0;
}

double rl_run_truth_epsilon(const rl_plan *p, const rl_configuration *cfg)
{
    const rl_params *ap = cfg->agent_params;
    const rl_param_spec *table = rl_params_table(ap);
    if (cfg->agent->kind == RL_AGENT_PLANNER)
        return rl_param_find(table, "epsilon") ? rl_params_double(ap, "epsilon") : 0.0;
    if (strcmp(rl_params_string(p->experiment, "values"), "behavior") != 0)
        return 0.0;
    if (rl_param_find(table, "behavior") && strcmp(rl_params_string(ap, "behavior"), "uniform") == 0)
        return 1.0;
    if (rl_param_find(table, "epsilon_final") && rl_params_is_set(ap, "epsilon_final"))
        return rl_params_double(ap, "epsilon_final");
    return rl_param_find(table, "epsilon") ? rl_params_double(ap, "epsilon") : 0.0;
}

int rl_run_ground_truth(const rl_plan *p, size_t k, const rl_mdp *m, const double *pi,
                        const volatile sig_atomic_t *stop, double *scratch, double *truth,
                        rl_error *err)
{
    const rl_configuration *cfg = &p->configurations[k];
    double gamma = rl_run_gamma(cfg);
    double epsilon = rl_agent_is_prediction(cfg->agent) ? 0.0 : rl_run_truth_epsilon(p, cfg);
    if (!rl_agent_is_prediction(cfg->agent))
        return rl_ground_truth_epsilon_optimal_until(m, gamma, epsilon, stop, truth, err);
    /* No given policy means the uniform one, built in scratch. */
    if (!pi)
        rl_policy_uniform(m->n_states, m->n_actions, scratch);
    return rl_ground_truth_policy_until(m, pi ? pi : scratch, gamma, stop, truth, err);
}


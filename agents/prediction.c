/* Shared tabular prediction machinery: see prediction.h. */
#include "agents/prediction.h"

#include <string.h>

#include "rl/alloc.h"
#include "rl/policy.h"

int rl_prediction_init(rl_prediction *p, const rl_space *sp, const rl_params *params,
                       const double *given_policy, rl_error *err)
{
    memset(p, 0, sizeof *p);
    if (given_policy) {
        int rc = rl_policy_check(sp, given_policy, err);
        if (rc != RL_OK)
            return rc;
    }
    const rl_param_spec *table = rl_params_table(params);
    p->n_states = sp->n_states;
    p->n_actions = sp->n_actions;
    p->gamma = rl_param_find(table, "gamma") ? rl_params_double(params, "gamma") : 1.0;
    int rc = rl_step_size_init(&p->step, params, sp->n_states, err);
    if (rc != RL_OK)
        return rc;
    size_t n_sa = sp->n_states * sp->n_actions;
    p->v = rl_malloc(sp->n_states * sizeof *p->v);
    p->pi = rl_malloc(n_sa * sizeof *p->pi);
    if (!p->v || !p->pi) {
        rl_prediction_release(p);
        return rl_error_set(err, RL_ENOMEM, "out of memory for %zu states", sp->n_states);
    }
    double v0 = rl_param_find(table, "v0") ? rl_params_double(params, "v0") : 0.0;
    for (size_t s = 0; s < sp->n_states; s++)
        p->v[s] = rl_space_is_decision(sp, s) ? v0 : 0.0;
    if (given_policy)
        memcpy(p->pi, given_policy, n_sa * sizeof *p->pi);
    else
        rl_policy_uniform(sp->n_states, sp->n_actions, p->pi);
    return RL_OK;
}

void rl_prediction_release(rl_prediction *p)
{
    rl_free(p->v);
    rl_free(p->pi);
    rl_step_size_release(&p->step);
    p->v = p->pi = NULL;
}

void rl_prediction_values(const rl_prediction *p, double *v)
{
    memcpy(v, p->v, p->n_states * sizeof *v);
}

void rl_prediction_policy(const rl_prediction *p, double *pi)
{
    memcpy(pi, p->pi, p->n_states * p->n_actions * sizeof *pi);
}

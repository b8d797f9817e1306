/* Shared tabular learner machinery: see tabular.h. */
#include "agents/tabular.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rl/policy.h"

int rl_tabular_init(rl_tabular *t, const rl_mdp *m, const rl_params *params, rl_error *err)
{
    memset(t, 0, sizeof *t);
    const rl_param_spec *table = rl_params_table(params);
    t->n_states = m->n_states;
    t->n_actions = m->n_actions;
    t->kind = m->kind;
    t->gamma = rl_param_find(table, "gamma") ? rl_params_double(params, "gamma") : 1.0;
    if (rl_param_find(table, "alpha")) {
        t->alpha = rl_params_double(params, "alpha");
        t->one_over_n = strcmp(rl_params_string(params, "alpha_schedule"), "1/n") == 0;
    }
    if (rl_param_find(table, "epsilon")) {
        t->epsilon = t->epsilon_start = rl_params_double(params, "epsilon");
        t->decays = rl_params_has(params, "epsilon_final");
        t->epsilon_final = t->decays ? rl_params_double(params, "epsilon_final") : t->epsilon;
        t->decay_episodes = (size_t)rl_params_int(params, "epsilon_decay_episodes");
    }
    double q0 = rl_param_find(table, "q0") ? rl_params_double(params, "q0") : 0.0;
    size_t n = m->n_states * m->n_actions;
    t->q = malloc(n * sizeof *t->q);
    t->vmax = malloc(m->n_states * sizeof *t->vmax);
    t->visits = t->one_over_n ? calloc(n, sizeof *t->visits) : NULL;
    if (!t->q || !t->vmax || (t->one_over_n && !t->visits)) {
        rl_tabular_release(t);
        return rl_error_set(err, RL_ENOMEM, "out of memory for a %zu x %zu table", m->n_states,
                            m->n_actions);
    }
    for (size_t s = 0; s < m->n_states; s++) {
        t->vmax[s] = m->kind[s] == RL_STATE_TERMINAL ? 0.0 : q0;
        for (size_t a = 0; a < m->n_actions; a++)
            t->q[s * m->n_actions + a] = t->vmax[s];
    }
    return RL_OK;
}

void rl_tabular_release(rl_tabular *t)
{
    free(t->q);
    free(t->vmax);
    free(t->visits);
    t->q = NULL;
    t->vmax = NULL;
    t->visits = NULL;
}

size_t rl_tabular_greedy(const rl_tabular *t, size_t s, gsl_rng *r)
{
    return rl_tabular_tied_max(t->q + s * t->n_actions, t->n_actions, gsl_rng_uniform(r));
}

double rl_tabular_max(const rl_tabular *t, size_t s)
{
    const double *q = t->q + s * t->n_actions;
    double best = q[0];
    for (size_t a = 1; a < t->n_actions; a++)
        best = q[a] > best ? q[a] : best;
    return best;
}

double rl_tabular_expected(const rl_tabular *t, size_t s)
{
    const double *q = t->q + s * t->n_actions;
    size_t n = t->n_actions;
    double best = rl_tabular_max(t, s), sum = 0.0;
    for (size_t a = 0; a < n; a++)
        sum += q[a];
    /* Every action gets epsilon / n; the greedy mass 1 - epsilon goes to actions whose
     * value is the maximum, however the ties are shared. */
    return t->epsilon / (double)n * sum + (1.0 - t->epsilon) * best;
}

void rl_tabular_end_episode(rl_tabular *t)
{
    t->episode++;
    if (!t->decays)
        return;
    double f = (double)t->episode / (double)t->decay_episodes;
    t->epsilon = f >= 1.0 ? t->epsilon_final
                          : t->epsilon_start + f * (t->epsilon_final - t->epsilon_start);
}

/* Runs once per episode for the value error: a copy of the maxima rl_tabular_write keeps. */
void rl_tabular_values(const rl_tabular *t, double *v)
{
    for (size_t s = 0; s < t->n_states; s++)
        v[s] = t->kind[s] == RL_STATE_OPEN ? t->vmax[s] : 0.0;
}

void rl_tabular_action_values(const rl_tabular *t, double *q)
{
    memcpy(q, t->q, t->n_states * t->n_actions * sizeof *q);
}

void rl_tabular_policy(const rl_tabular *t, double *pi)
{
    size_t n = t->n_actions;
    for (size_t s = 0; s < t->n_states; s++) {
        if (t->kind[s] == RL_STATE_OPEN)
            rl_policy_epsilon_greedy_row(rl_argmax_first(t->q + s * n, n), n, 0.0, pi + s * n);
        else
            for (size_t a = 0; a < n; a++)
                pi[s * n + a] = 1.0 / (double)n;
    }
}

/* Greedy read-outs: see policy.h. */
#include "agents/policy.h"

#include <math.h>

size_t rl_argmax_first(const double *q, size_t n_actions)
{
    double best = q[0];
    for (size_t a = 1; a < n_actions; a++)
        if (q[a] > best)
            best = q[a];
    double slack = RL_TIE_TOLERANCE * (1.0 + fabs(best));
    for (size_t a = 0; a < n_actions; a++)
        if (q[a] >= best - slack)
            return a;
    return 0; /* only when q holds NaN */
}

void rl_policy_epsilon_greedy_row(size_t greedy, size_t n_actions, double epsilon,
                                  double *pi_row)
{
    double other = epsilon / (double)n_actions;
    for (size_t a = 0; a < n_actions; a++)
        pi_row[a] = other;
    pi_row[greedy] = 1.0 - other * (double)(n_actions - 1);
}

void rl_policy_from_actions(const rl_mdp *m, const size_t *greedy, double epsilon, double *pi)
{
    size_t n = m->n_actions;
    for (size_t s = 0; s < m->n_states; s++) {
        if (rl_mdp_is_decision(m, s))
            rl_policy_epsilon_greedy_row(greedy[s], n, epsilon, pi + s * n);
        else
            for (size_t a = 0; a < n; a++)
                pi[s * n + a] = 1.0 / (double)n;
    }
}

void rl_policy_greedy_actions(const rl_mdp *m, const double *v, double gamma, size_t *greedy)
{
    size_t n = m->n_actions;
    double q[16];
    for (size_t s = 0; s < m->n_states; s++) {
        greedy[s] = 0;
        if (!rl_mdp_is_decision(m, s))
            continue;
        for (size_t a = 0; a < n; a++)
            q[a] = rl_mdp_backup(m, s, a, v, gamma);
        greedy[s] = rl_argmax_first(q, n);
    }
}

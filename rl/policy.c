/* Greedy read-outs: see policy.h. */
#include "rl/policy.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

void rl_policy_uniform(size_t n_states, size_t n_actions, double *pi)
{
    double p = 1.0 / (double)n_actions;
    for (size_t k = 0; k < n_states * n_actions; k++)
        pi[k] = p;
}

void rl_policy_epsilon_greedy_row(size_t greedy, size_t n_actions, double epsilon,
                                  double *pi_row)
{
    double other = epsilon / (double)n_actions;
    for (size_t a = 0; a < n_actions; a++)
        pi_row[a] = other;
    pi_row[greedy] = 1.0 - other * (double)(n_actions - 1);
}

void rl_policy_from_actions(const rl_space *sp, const size_t *greedy, double epsilon,
                            double *pi)
{
    size_t n = sp->n_actions;
    for (size_t s = 0; s < sp->n_states; s++) {
        if (rl_space_is_decision(sp, s))
            rl_policy_epsilon_greedy_row(greedy[s], n, epsilon, pi + s * n);
        else
            for (size_t a = 0; a < n; a++)
                pi[s * n + a] = 1.0 / (double)n;
    }
}

/* Undiscounted, a greedy policy may circle forever between cells of equal value (FrozenLake
 * at gamma = 1: every action in a safe corner has the same value). Among the tied actions,
 * pick the first (in action order) with an outcome one step closer to a terminal state, by
 * rounds outward from the terminals; cells no round reaches keep the first tied action. */
static void choose_proper(const rl_mdp *m, const double *v, size_t *greedy, size_t *level)
{
    const size_t unset = (size_t)-1;
    double q[RL_MAX_ACTIONS];
    for (size_t s = 0; s < m->n_states; s++)
        level[s] = m->kind[s] == RL_STATE_TERMINAL ? 0 : unset;
    for (size_t round = 1, changed = 1; changed; round++) {
        changed = 0;
        /* A restart outcome leads to the start state of lowest level. */
        size_t restart_level = unset;
        for (size_t i = 0; i < m->n_start_states; i++)
            if (level[m->start_states[i]] < restart_level)
                restart_level = level[m->start_states[i]];
        for (size_t s = 0; s < m->n_states; s++) {
            if (!rl_mdp_is_decision(m, s) || level[s] != unset)
                continue;
            for (size_t a = 0; a < m->n_actions; a++)
                q[a] = rl_mdp_backup(m, s, a, v, 1.0);
            double best = q[rl_argmax_readout(q, m->n_actions)];
            for (size_t a = 0; a < m->n_actions && level[s] == unset; a++) {
                if (!rl_argmax_readout_tied(q[a], best))
                    continue;
                size_t sa = s * m->n_actions + a;
                for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++) {
                    int32_t next = m->outcomes[k].next;
                    if ((next >= 0 ? level[next] : restart_level) < round) {
                        level[s] = round;
                        greedy[s] = a;
                        changed = 1;
                        break;
                    }
                }
            }
        }
    }
}

void rl_policy_greedy_actions(const rl_mdp *m, const double *v, double gamma, size_t *greedy,
                              size_t *work)
{
    size_t n = m->n_actions;
    double q[RL_MAX_ACTIONS];
    for (size_t s = 0; s < m->n_states; s++) {
        greedy[s] = 0;
        if (!rl_mdp_is_decision(m, s))
            continue;
        for (size_t a = 0; a < n; a++)
            q[a] = rl_mdp_backup(m, s, a, v, gamma);
        greedy[s] = rl_argmax_readout(q, n);
    }
    if (gamma >= 1.0)
        choose_proper(m, v, greedy, work);
}

int rl_policy_check(const rl_space *sp, const double *pi, rl_error *err)
{
    size_t n = sp->n_actions;
    for (size_t s = 0; s < sp->n_states; s++) {
        if (!rl_space_is_decision(sp, s))
            continue;
        double sum = 0.0;
        for (size_t a = 0; a < n; a++) {
            double p = pi[s * n + a];
            if (!(p >= 0.0 && p <= 1.0))
                return rl_error_set(err, RL_EINVAL,
                                    "the policy gives state (%zu, %zu) action %zu probability "
                                    "%g, not in [0, 1]",
                                    rl_space_row(sp, s), rl_space_col(sp, s), a, p);
            sum += p;
        }
        if (!(fabs(sum - 1.0) <= 1e-9))
            return rl_error_set(err, RL_EINVAL,
                                "the policy's probabilities in state (%zu, %zu) sum to %.17g, "
                                "not 1",
                                rl_space_row(sp, s), rl_space_col(sp, s), sum);
    }
    return RL_OK;
}

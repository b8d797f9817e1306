/* Policies as probability tables pi(a|s) (n_states x n_actions, row-major), shared by
 * planners, learners and the ground truth: epsilon-greedy rows, tables from per-state
 * actions, and the greedy policy of a value function by lookahead on the model. Ties follow
 * the read-out rule of rl/argmax.h (first action within a relative tolerance).
 */
#ifndef GRIDRL_RL_POLICY_H
#define GRIDRL_RL_POLICY_H

#include <stddef.h>

#include "rl/argmax.h"
#include "rl/mdp.h"
#include "rl/space.h"

/* The uniform policy (1/n_actions everywhere). */
void rl_policy_uniform(size_t n_states, size_t n_actions, double *pi);

/* RL_EINVAL naming the state unless every decision state's row is a probability vector
 * (entries in [0, 1] summing to 1 within 1e-9): a given policy, checked before a learner
 * draws from it by inverting its sums. */
int rl_policy_check(const rl_space *sp, const double *pi, rl_error *err);

/* Zhao's epsilon-greedy probabilities around the greedy action: greedy gets
 * 1 - epsilon (n - 1) / n, every other action epsilon / n. epsilon = 0 is greedy. */
void rl_policy_epsilon_greedy_row(size_t greedy, size_t n_actions, double epsilon,
                                  double *pi_row);

/* pi for every state from per-state greedy actions; rows of walls and terminal states are
 * uniform (no decision is taken there). */
void rl_policy_from_actions(const rl_space *sp, const size_t *greedy, double epsilon,
                            double *pi);

/* Greedy actions with respect to v by one-step lookahead on the model, ties by action order.
 * With gamma = 1, among tied actions the first that leads toward a terminal state, so that
 * the policy reaches one (undiscounted, a first-in-order choice may circle forever between
 * cells of equal value). work: n_states of scratch. */
void rl_policy_greedy_actions(const rl_mdp *m, const double *v, double gamma, size_t *greedy,
                              size_t *work);

#endif

/* Greedy policies read out of action values, shared by planners and learners.
 *
 * Ties: an action counts as best when its value is within RL_TIE_TOLERANCE (relative) of the
 * maximum, and the first such action in action order wins. The tolerance keeps read-outs
 * reproducible when two equal values differ in their last bits because they were summed in a
 * different order (a goal reached along two paths of equal length).
 */
#ifndef GRIDRL_RL_POLICY_H
#define GRIDRL_RL_POLICY_H

#include <stddef.h>

#include "rl/mdp.h"

#define RL_TIE_TOLERANCE 1e-9

/* The first best action among q[0 .. n_actions). */
size_t rl_argmax_first(const double *q, size_t n_actions);

/* Zhao's epsilon-greedy probabilities around the greedy action: greedy gets
 * 1 - epsilon (n - 1) / n, every other action epsilon / n. epsilon = 0 is greedy. */
void rl_policy_epsilon_greedy_row(size_t greedy, size_t n_actions, double epsilon,
                                  double *pi_row);

/* pi for every state from per-state greedy actions; rows of walls and terminal states are
 * uniform (no decision is taken there). */
void rl_policy_from_actions(const rl_mdp *m, const size_t *greedy, double epsilon, double *pi);

/* Greedy actions with respect to v by one-step lookahead on the model, ties by action order.
 * With gamma = 1, among tied actions the first that leads toward a terminal state, so that
 * the policy reaches one (undiscounted, a first-in-order choice may circle forever between
 * cells of equal value). work: n_states of scratch. */
void rl_policy_greedy_actions(const rl_mdp *m, const double *v, double gamma, size_t *greedy,
                              size_t *work);

#endif

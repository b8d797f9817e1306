/* Temporal-difference learners (see td.c): TD(0) and n-step TD prediction, Sarsa, Expected
 * Sarsa, n-step Sarsa, Q-learning (on-policy epsilon-greedy or off-policy uniform behaviour)
 * and double Q-learning (Zhao ch.7; Sutton & Barto ch.6-7). td0 and n_step_td also do batch
 * updating (batch = true, S&B 6.3; agents/batch.h).
 *
 * Randomness, per decision (what a test replaying the generator relies on):
 * - td0, n_step_td: one uniform draw, inverted through the cumulative policy row; so with
 *   n = 1, n_step_td takes td0's very steps.
 * - sarsa, expected_sarsa, n_step_sarsa, q_learning: one draw (rl_tabular_select, or for
 *   q_learning's uniform behaviour floor(u |A(s)|), A(s) the state's own actions).
 * - double_q_learning: first one draw u choosing the table to update (u < 0.5: the first),
 *   then the decision's draw.
 * No draw is taken for a decision that will not be used: after a terminal transition, nor
 * after a truncated one, except in sarsa and n_step_sarsa which bootstrap from the action
 * the policy picks in the truncated state.
 */
#ifndef GRIDRL_AGENTS_TD_H
#define GRIDRL_AGENTS_TD_H

#include "agents/learner.h"

extern const rl_learner_type rl_td0_type;
extern const rl_learner_type rl_n_step_td_type;
extern const rl_learner_type rl_sarsa_type;
extern const rl_learner_type rl_expected_sarsa_type;
extern const rl_learner_type rl_n_step_sarsa_type;
extern const rl_learner_type rl_q_learning_type;
extern const rl_learner_type rl_double_q_learning_type;

#endif

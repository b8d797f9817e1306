/* Tabular learners with eligibility traces (see traces.c; Sutton & Barto ch. 12): TD(lambda)
 * and true online TD(lambda) prediction of a given policy, and Sarsa(lambda) control; and
 * the forward view they approximate, the offline lambda-return algorithm.
 *
 * Randomness, per decision (what a test replaying the generator relies on), the same as
 * the one-step learners they generalize (agents/td.h), so that with lambda = 0 each takes
 * its one-step twin's very steps:
 * - lambda_return, td_lambda, true_online_td: one uniform draw, inverted through the
 *   cumulative policy row (as td0); none after a terminal or truncated transition.
 * - sarsa_lambda: one draw (Zhao's epsilon-greedy rule, as sarsa), also in a truncated
 *   state, whose action the update bootstraps from; none after a terminal transition.
 */
#ifndef GRIDRL_AGENTS_TRACES_H
#define GRIDRL_AGENTS_TRACES_H

#include "agents/learner.h"

extern const rl_learner_type rl_lambda_return_type;
extern const rl_learner_type rl_td_lambda_type;
extern const rl_learner_type rl_true_online_td_type;
extern const rl_learner_type rl_sarsa_lambda_type;

#endif

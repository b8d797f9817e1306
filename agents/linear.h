/* Linear value-function approximation (see linear.c): semi-gradient TD prediction with
 * optional eligibility traces, semi-gradient Sarsa and Q-learning, and least-squares TD
 * (Zhao ch. 8, Algorithms 8.1-8.3; Sutton & Barto ch. 9-12). The features come from
 * rl/features.h; v(s) = w . phi(s) and q(s, a) = w . phi(s, a).
 *
 * Randomness, per decision (what a test replaying the generator relies on), the same as the
 * tabular counterparts (agents/td.h), so that with one-hot features each learner takes the
 * very steps of its tabular twin:
 * - td_linear, lstd: one uniform draw, inverted through the cumulative policy row.
 * - sarsa_linear, q_learning_linear: one draw (Zhao's epsilon-greedy, or for
 *   q_learning_linear's uniform behaviour floor(u |A|)).
 * No draw for a decision that will not be used (after a terminal or truncated transition,
 * except in sarsa_linear, which bootstraps from the action it picks in a truncated state).
 * At init, w0 = normal draws one Gaussian per weight, in index order; w0 = zero draws
 * nothing.
 */
#ifndef GRIDRL_AGENTS_LINEAR_H
#define GRIDRL_AGENTS_LINEAR_H

#include "agents/learner.h"

extern const rl_learner_type rl_td_linear_type;
extern const rl_learner_type rl_sarsa_linear_type;
extern const rl_learner_type rl_q_learning_linear_type;
extern const rl_learner_type rl_lstd_type;

/* Each has weights and weight_label hooks (rl_learner_weights): labels are the features'
 * ("x^2*y", "tile t3 (2 4)@up"). */

#endif

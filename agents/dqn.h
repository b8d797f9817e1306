/* Deep Q-learning (see dqn.c): action values from a multilayer perceptron (rl/nn.h) trained
 * on minibatches drawn from a replay buffer against a target network (Mnih et al. 2015;
 * Zhao sec. 8.4; Sutton & Barto sec. 16.5), with double DQN (van Hasselt et al. 2016) as an
 * option. Online (updates = 0: a training step every train_every steps while acting) or
 * offline (updates = N: the runner asks for N training iterations after each episode, as in
 * Zhao's Fig 8.11, where one episode of a uniform behaviour policy is the whole data set).
 *
 * Randomness (what a test replaying the generator relies on):
 * - init: the online network's initial parameters, one draw per parameter in rl_nn's
 *   parameter order (rl_nn_init); the target network is a copy and draws nothing.
 * - per decision: one draw (Zhao's epsilon-greedy on the online network's q(s, .), ties at
 *   random from the same draw; for behavior = uniform floor(u |A|)). No draw for a decision
 *   that will not be used (after a terminal or truncated transition).
 * - per training update: `batch` draws, the replay indices in order (agents/replay.h), and
 *   nothing else. Online, a step that trains takes its update's draws before the decision's
 *   draw.
 */
#ifndef GRIDRL_AGENTS_DQN_H
#define GRIDRL_AGENTS_DQN_H

#include <stdbool.h>
#include <stddef.h>

#include "agents/learner.h"
#include "rl/nn.h"

extern const rl_learner_type rl_dqn_type;

/* The online network (target = false) or the target network of a dqn learner, for tests and
 * diagnostics; NULL for a learner of another type. Its parameters may be changed between
 * hooks (a test sets known weights with rl_nn_set_params). */
rl_nn *rl_dqn_network(rl_learner *l, bool target);

/* Training updates done since init; 0 for a learner of another type. */
size_t rl_dqn_updates(const rl_learner *l);

#endif

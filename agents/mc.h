/* Monte Carlo learners (see mc.c): the control learners MC Basic, MC Exploring Starts and MC
 * epsilon-greedy, after Zhao ch.5 (Algorithms 5.1-5.3) and Sutton & Barto 5.3; and
 * mc_prediction, first- or every-visit prediction of a given policy (S&B 5.1, 6.1), with
 * batch updating as an option (S&B 6.3).
 *
 * Randomness: mc_prediction takes one uniform draw per decision, inverted through the
 * cumulative policy row (as td0 does), and none after the last step of an episode. */
#ifndef GRIDRL_AGENTS_MC_H
#define GRIDRL_AGENTS_MC_H

#include "agents/learner.h"

extern const rl_learner_type rl_mc_basic_type;

extern const rl_learner_type rl_mc_exploring_starts_type;

extern const rl_learner_type rl_mc_epsilon_greedy_type;

extern const rl_learner_type rl_mc_prediction_type;

#endif

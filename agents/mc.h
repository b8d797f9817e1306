/* Monte Carlo control learners (see mc.c): MC Basic, MC Exploring Starts and MC
 * epsilon-greedy, after Zhao ch.5 (Algorithms 5.1-5.3) and Sutton & Barto 5.3. */
#ifndef GRIDRL_AGENTS_MC_H
#define GRIDRL_AGENTS_MC_H

#include "agents/learner.h"

extern const rl_learner_type rl_mc_basic_type;

extern const rl_learner_type rl_mc_exploring_starts_type;

extern const rl_learner_type rl_mc_epsilon_greedy_type;

#endif

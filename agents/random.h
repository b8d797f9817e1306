/* The random agent (see random.c). */
#ifndef GRIDRL_AGENTS_RANDOM_H
#define GRIDRL_AGENTS_RANDOM_H

#include "agents/learner.h"

extern const rl_learner_type rl_random_type;

#endif

/* Dyna learners (see dyna.c): tabular Dyna-Q and Dyna-Q+ (Sutton & Barto 8.2, 8.3).
 *
 * Each real step is a Q-learning update, then the learner's own model of the env remembers
 * the transition, then `planning_steps` updates replay transitions from that model. The
 * model is learned from the transitions the learner observes, never read from the env.
 *
 * Randomness, per real step (what a test replaying the generator relies on):
 * - every planning step takes two uniform draws: u1 picks the state, the visited states in
 *   order of first visit, floor(u1 * count); u2 picks one of that state's actions in the
 *   model, in order of entry, floor(u2 * count) (S&B's "random previously observed state,
 *   random action previously taken in it");
 * - then, unless the episode ended (terminated or truncated), the next decision's one draw
 *   (rl_tabular_select: epsilon-greedy, ties at random).
 * begin_episode takes one draw. With planning_steps = 0, dyna_q is q_learning draw for draw.
 */
#ifndef GRIDRL_AGENTS_DYNA_H
#define GRIDRL_AGENTS_DYNA_H

#include "agents/learner.h"

extern const rl_learner_type rl_dyna_q_type;
extern const rl_learner_type rl_dyna_q_plus_type;

#endif

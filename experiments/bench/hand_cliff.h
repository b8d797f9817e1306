/* Sutton & Barto's cliff walking written by hand, as a researcher would without gridrl: the
 * reference the Q-learning benchmarks (bench_td.h, bench_process.h) time gridrl against.
 *
 * 4 x 12, start bottom-left, goal bottom-right, the cliff between them. Moves up, right,
 * down, left (gridrl's order, so the tables line up); off the grid the agent stays. Every
 * move costs 1; a move into the cliff costs 100 and goes back to the start. Actions are
 * chosen with gridrl's one-draw epsilon-greedy rule, so with the same generator and seed the
 * hand loop and gridrl take the same trajectory.
 */
#ifndef GRIDRL_EXPERIMENTS_BENCH_HAND_CLIFF_H
#define GRIDRL_EXPERIMENTS_BENCH_HAND_CLIFF_H

#include <gsl/gsl_rng.h>

enum {
    RL_HAND_CLIFF_ROWS = 4,
    RL_HAND_CLIFF_COLS = 12,
    RL_HAND_CLIFF_STATES = RL_HAND_CLIFF_ROWS * RL_HAND_CLIFF_COLS,
    RL_HAND_CLIFF_ACTIONS = 4,
    RL_HAND_CLIFF_START = (RL_HAND_CLIFF_ROWS - 1) * RL_HAND_CLIFF_COLS,
    RL_HAND_CLIFF_GOAL = RL_HAND_CLIFF_STATES - 1,
};

/* The next state after action a in s, and its reward. */
int rl_hand_cliff_step(int s, int a, double *reward);

/* Epsilon-greedy with one draw u: u < epsilon picks uniformly from u itself, otherwise the
 * greedy action, ties broken at random by the rest of u. */
int rl_hand_cliff_choose(const double *q, double epsilon, gsl_rng *r);

/* max_a q[a]. */
double rl_hand_cliff_max_q(const double *q);

/* True for the cells of the cliff (never occupied: entering one goes back to the start). */
int rl_hand_cliff_is_cliff(int s);

#endif

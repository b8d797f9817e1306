/* Batch updating (Sutton & Barto 6.3, Figure 6.2 right), shared by td0, n_step_td and
 * mc_prediction (key batch = true): the targets of every episode seen so far are kept, and
 * after each episode the values are moved by the sum of all their increments, computed with
 * the values held fixed, again and again until a sweep changes no value by batch_theta or
 * more. Nothing is learned during an episode.
 *
 * Every target of a state s these learners form is c + w v(j): a reward part c (a one-step
 * reward, a sum of n discounted rewards, a Monte Carlo return) plus, when it bootstraps,
 * the weight w = gamma^k on the current value of the state j it bootstraps from (none for
 * a return that ran to a terminal state). So the sum of the increments alpha (target - v(s))
 * over all the targets of s is
 *
 *     alpha (C_s + sum_j W_sj v(j) - N_s v(s)),
 *
 * with N_s the number of targets of s, C_s the sum of their reward parts and W_sj the sum of
 * their weights on j. These are what is kept: a sweep costs O(states + distinct (s, j)
 * pairs) however much data there is, and equals a pass over every stored target up to the
 * order of the additions. The sweeps converge to the solution of
 * N_s v(s) = C_s + sum_j W_sj v(j): for Monte Carlo the mean of each state's returns, for
 * TD(0) the values of the maximum-likelihood model of the data (certainty equivalence, S&B
 * Example 6.4).
 *
 * Stability: a sweep moves v(s) by about alpha N_s times its error, so alpha times the most
 * targets of any state must stay below 1 (S&B: alpha = 0.001 over 100 episodes of the
 * 5-state walk, whose middle state gets about 300 targets). Larger steps oscillate and grow
 * until the values stop being finite; the sweeps then stop and the runner marks the run
 * diverged.
 */
#ifndef GRIDRL_AGENTS_BATCH_H
#define GRIDRL_AGENTS_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rl/error.h"
#include "rl/param.h"

#define RL_BATCH_PARAMS                                                                     \
    {"batch", RL_PARAM_BOOL, "false", 0, 0, 0, NULL,                                        \
     "batch updating (S&B 6.3): after each episode, sweep all targets seen so far until "   \
     "the values converge; nothing is learned during an episode"},                          \
    {"batch_theta", RL_PARAM_DOUBLE, "1e-9", 0, HUGE_VAL, RL_PARAM_MIN_OPEN, NULL,          \
     "batch: the sweeps stop when no value changes by this much"},                          \
    {"batch_max_sweeps", RL_PARAM_INT, "1000000", 1, 1e12, 0, NULL,                         \
     "batch: sweeps after one episode before the run stops unconverged"}

/* A target's bootstrap state when it has none. */
#define RL_BATCH_NONE ((size_t)-1)

typedef struct rl_batch_link {
    uint32_t state; /* j */
    double weight;  /* W_sj */
} rl_batch_link;

typedef struct rl_batch_row {
    rl_batch_link *links;
    uint32_t n, capacity;
} rl_batch_row;

typedef struct rl_batch {
    size_t n_states;
    double *count;      /* N_s */
    double *sum;        /* C_s */
    rl_batch_row *rows; /* W_s. */
    double *increment;  /* a sweep's increments, n_states */
    double alpha, theta;
    size_t max_sweeps;
    size_t sweeps;      /* after the last episode, for tests */
    bool out_of_memory; /* a new (s, j) pair found no room: reported by rl_batch_solve */
} rl_batch;

/* alpha, batch_theta and batch_max_sweeps from params; n_states states (< 2^32). */
int rl_batch_init(rl_batch *b, size_t n_states, const rl_params *params, rl_error *err);
void rl_batch_release(rl_batch *b);

/* Records a target of state s: reward part c, plus weight times the value of state next
 * unless next is RL_BATCH_NONE. Allocates only for an (s, next) pair not seen before (the
 * links of a state grow by doubling); a failure is remembered and reported by the next
 * rl_batch_solve, since the learner's observe hook cannot return an error. */
void rl_batch_add(rl_batch *b, size_t s, double c, size_t next, double weight);

/* Sweeps v until no value changes by theta or more: RL_CONTINUE when converged or when a
 * value stopped being finite (the runner sees it and marks the run diverged), RL_STOPPED
 * after max_sweeps unconverged sweeps, RL_ENOMEM after a failed rl_batch_add. */
int rl_batch_solve(rl_batch *b, double *v, rl_error *err);

#endif

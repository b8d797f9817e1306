/* The exact values every learning curve and planner trace is measured against: v* for
 * control agents, v_pi of the evaluated policy for prediction agents, both from the model.
 */
#ifndef GRIDRL_RL_GROUND_TRUTH_H
#define GRIDRL_RL_GROUND_TRUTH_H

#include <signal.h>

#include "rl/error.h"
#include "rl/mdp.h"

/* v* by value iteration to round-off, then (models small enough for the dense solve) the
 * exact values of its greedy policy, which are v* without VI's remaining error. */
int rl_ground_truth_optimal(const rl_mdp *m, double gamma, double *v, rl_error *err);

/* The values of the best epsilon-greedy policy (Zhao's rule: the greedy action gets
 * 1 - epsilon (n - 1) / n, every other epsilon / n), the same way; epsilon 0 is v*. */
int rl_ground_truth_epsilon_optimal(const rl_mdp *m, double gamma, double epsilon, double *v,
                                    rl_error *err);

/* v_pi exactly (dense solve) or, for large models, by sweeps to round-off. */
int rl_ground_truth_policy(const rl_mdp *m, const double *pi, double gamma, double *v,
                           rl_error *err);

/* The same, abandoned with RL_EINTERRUPTED between two sweeps once *stop is nonzero (a
 * signal; stop may be NULL): on a large model the truth takes many sweeps. */
int rl_ground_truth_optimal_until(const rl_mdp *m, double gamma, const volatile sig_atomic_t *stop,
                                  double *v, rl_error *err);
int rl_ground_truth_epsilon_optimal_until(const rl_mdp *m, double gamma, double epsilon,
                                          const volatile sig_atomic_t *stop, double *v,
                                          rl_error *err);
int rl_ground_truth_policy_until(const rl_mdp *m, const double *pi, double gamma,
                                 const volatile sig_atomic_t *stop, double *v, rl_error *err);

/* Root mean squared error of v against truth over the decision states. */
double rl_value_rmse(const rl_mdp *m, const double *v, const double *truth);

#endif

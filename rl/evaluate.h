/* Exact policy evaluation and action values on the tabular model.
 *
 * A policy is a row-major n_states x n_actions array of probabilities pi(a|s); rows of walls
 * and terminal states are ignored. Values are arrays of n_states doubles; walls and terminal
 * states get 0.
 */
#ifndef GRIDRL_RL_EVALUATE_H
#define GRIDRL_RL_EVALUATE_H

#include <stdbool.h>
#include <stddef.h>

#include "rl/error.h"
#include "rl/mdp.h"

/* Largest number of decision states the dense solve accepts (its matrix is n^2 doubles). */
#define RL_EVALUATE_SOLVE_MAX_STATES 4096

/* With gamma < 1 always fine. With gamma == 1 the values are finite only if every decision
 * state reaches a terminal state with positive probability: under pi, or when pi is NULL
 * under some action (what value iteration needs). Otherwise RL_ESINGULAR naming a state
 * (row, col) that never reaches one. */
int rl_mdp_check_proper(const rl_mdp *m, const double *pi, double gamma, rl_error *err);

/* Solves (I - gamma P_pi) v = r_pi over the decision states with GSL's LU decomposition.
 * RL_ESINGULAR if the system has no unique solution, RL_ERANGE if the model has more than
 * RL_EVALUATE_SOLVE_MAX_STATES decision states (use the iterative evaluator). */
int rl_evaluate_solve(const rl_mdp *m, const double *pi, double gamma, double *v,
                      rl_error *err);

/* Iterative evaluation from the v given: sweeps v <- r_pi + gamma P_pi v, synchronous or in
 * place (Gauss-Seidel, states in index order), until the max-norm change of a sweep is below
 * theta or max_sweeps sweeps ran. *sweeps (if not NULL) receives the number run. Returns
 * RL_OK when converged, RL_CONTINUE when max_sweeps ran out first, RL_EDIVERGED on NaN/Inf.
 * work is n_states doubles of scratch (unused when in_place). */
int rl_evaluate_iterative(const rl_mdp *m, const double *pi, double gamma, double theta,
                          size_t max_sweeps, bool in_place, double *v, double *work,
                          size_t *sweeps, rl_error *err);

/* One synchronous (or in-place) evaluation sweep; returns the max-norm change. */
double rl_evaluate_sweep(const rl_mdp *m, const double *pi, double gamma, bool in_place,
                         const double *v, double *v_out);

/* q(s, a) = sum over outcomes p (r + gamma v[next]); rows of walls and terminals are 0. */
void rl_mdp_q_from_v(const rl_mdp *m, const double *v, double gamma, double *q);

#endif

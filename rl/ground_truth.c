/* Ground truth values: see ground_truth.h. */
#include "rl/ground_truth.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rl/alloc.h"
#include "rl/evaluate.h"
#include "rl/policy.h"

#define TRUTH_MAX_SWEEPS 10000000

static size_t decision_states(const rl_mdp *m)
{
    size_t n = 0;
    for (size_t s = 0; s < m->n_states; s++)
        n += rl_mdp_is_decision(m, s);
    return n;
}

int rl_ground_truth_optimal(const rl_mdp *m, double gamma, double *v, rl_error *err)
{
    return rl_ground_truth_epsilon_optimal_until(m, gamma, 0.0, NULL, v, err);
}

int rl_ground_truth_epsilon_optimal(const rl_mdp *m, double gamma, double epsilon, double *v,
                                    rl_error *err)
{
    return rl_ground_truth_epsilon_optimal_until(m, gamma, epsilon, NULL, v, err);
}

int rl_ground_truth_optimal_until(const rl_mdp *m, double gamma, const volatile sig_atomic_t *stop,
                                  double *v, rl_error *err)
{
    return rl_ground_truth_epsilon_optimal_until(m, gamma, 0.0, stop, v, err);
}

int rl_ground_truth_policy(const rl_mdp *m, const double *pi, double gamma, double *v,
                           rl_error *err)
{
    return rl_ground_truth_policy_until(m, pi, gamma, NULL, v, err);
}

/* v* (epsilon 0) or the values of the best epsilon-greedy policy, v*_epsilon: the same
 * in-place sweeps, the backup max_a q (epsilon 0) or (1 - epsilon) max_a q + epsilon / n
 * sum_a q (Zhao's epsilon-greedy rule). */
int rl_ground_truth_epsilon_optimal_until(const rl_mdp *m, double gamma, double epsilon,
                                          const volatile sig_atomic_t *stop, double *v,
                                          rl_error *err)
{
    if (!(epsilon >= 0.0 && epsilon <= 1.0))
        return rl_error_set(err, RL_ERANGE, "epsilon %g is not in [0, 1]", epsilon);
    int rc = rl_mdp_check_proper(m, NULL, gamma, err);
    if (rc != RL_OK)
        return rc;
    double *next = rl_calloc(m->n_states, sizeof *next);
    size_t *greedy = rl_calloc(2 * m->n_states, sizeof *greedy); /* actions, then scratch */
    double *pi = rl_calloc(m->n_states * m->n_actions, sizeof *pi);
    if (!next || !greedy || !pi) {
        rl_free(next);
        rl_free(greedy);
        rl_free(pi);
        return rl_error_set(err, RL_ENOMEM, "out of memory for the ground truth");
    }
    memset(v, 0, m->n_states * sizeof *v);
    rc = RL_STOPPED;
    for (size_t sweep = 0; sweep < TRUTH_MAX_SWEEPS && rc == RL_STOPPED; sweep++) {
        if (stop && *stop) {
            rc = rl_error_set(err, RL_EINTERRUPTED, "interrupted");
            break;
        }
        double delta = 0.0, scale = 0.0;
        for (size_t s = 0; s < m->n_states; s++) {
            if (!rl_mdp_is_decision(m, s))
                continue;
            double best = rl_mdp_backup(m, s, 0, v, gamma), sum = best;
            for (size_t a = 1; a < m->n_actions; a++) {
                double q = rl_mdp_backup(m, s, a, v, gamma);
                best = q > best ? q : best;
                sum += q;
            }
            if (epsilon > 0.0)
                best = (1.0 - epsilon) * best + epsilon / (double)m->n_actions * sum;
            double change = fabs(best - v[s]);
            delta = change > delta || change != change ? change : delta;
            scale = fabs(best) > scale ? fabs(best) : scale;
            v[s] = best; /* in place: converges at least as fast as synchronous */
        }
        if (!isfinite(delta))
            rc = rl_error_set(err, RL_EDIVERGED, "ground truth values diverged");
        else if (delta <= 1e-13 * (1.0 + scale))
            rc = RL_OK;
    }
    if (rc == RL_OK && decision_states(m) <= RL_EVALUATE_SOLVE_MAX_STATES) {
        rl_policy_greedy_actions(m, v, gamma, greedy, greedy + m->n_states);
        rl_space sp = rl_mdp_space(m);
        rl_policy_from_actions(&sp, greedy, epsilon, pi);
        /* With gamma = 1 a greedy policy of v* may wander forever between cells of equal
         * value (FrozenLake 8x8, where v* = 1 on a safe region): then its values are not v*
         * and value iteration's own answer stands. */
        int proper = rl_mdp_check_proper(m, pi, gamma, NULL);
        if (proper == RL_ENOMEM)
            rc = rl_error_set(err, RL_ENOMEM, "out of memory for the ground truth");
        if (proper == RL_OK) {
            int solved = rl_evaluate_solve(m, pi, gamma, next, err);
            if (solved == RL_OK)
                memcpy(v, next, m->n_states * sizeof *v);
            else if (solved == RL_ENOMEM)
                rc = solved; /* no memory is an error, not a truth we can do without */
        }
    } else if (rc == RL_STOPPED) {
        rc = rl_error_set(err, RL_EDIVERGED, "ground truth did not converge");
    }
    rl_free(next);
    rl_free(greedy);
    rl_free(pi);
    return rc;
}

/* Sweeps between two looks at the stop flag while evaluating a policy. */
#define TRUTH_SWEEPS_PER_CHECK 16

int rl_ground_truth_policy_until(const rl_mdp *m, const double *pi, double gamma,
                                 const volatile sig_atomic_t *stop, double *v, rl_error *err)
{
    if (decision_states(m) <= RL_EVALUATE_SOLVE_MAX_STATES)
        return rl_evaluate_solve(m, pi, gamma, v, err);
    int rc = rl_mdp_check_proper(m, pi, gamma, err);
    if (rc != RL_OK)
        return rc;
    memset(v, 0, m->n_states * sizeof *v);
    /* In place from the values so far, a few sweeps at a time: the same sweeps as one call. */
    rc = RL_CONTINUE;
    for (size_t done = 0; rc == RL_CONTINUE && done < TRUTH_MAX_SWEEPS;
         done += TRUTH_SWEEPS_PER_CHECK) {
        if (stop && *stop)
            return rl_error_set(err, RL_EINTERRUPTED, "interrupted");
        rc = rl_evaluate_iterative(m, pi, gamma, 1e-13, TRUTH_SWEEPS_PER_CHECK, true, v, NULL,
                                   NULL, err);
    }
    return rc == RL_CONTINUE ? rl_error_set(err, RL_EDIVERGED, "ground truth did not converge")
                             : rc;
}

double rl_value_rmse(const rl_mdp *m, const double *v, const double *truth)
{
    /* Walls and terminal states count 0 here and in n: both values are 0 there by
     * definition, so the sum needs no branch. */
    double sum = 0.0;
    size_t n = 0;
    for (size_t s = 0; s < m->n_states; s++) {
        bool decision = rl_mdp_is_decision(m, s);
        double d = decision ? v[s] - truth[s] : 0.0;
        sum += d * d;
        n += decision;
    }
    return n ? sqrt(sum / (double)n) : 0.0;
}

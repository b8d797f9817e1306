/* Choosing actions from a row of action values or of policy probabilities: the exploration
 * every learner shares, tabular or approximate (whose row is computed for the state first).
 *
 * Each function takes exactly one uniform draw from the run's generator, so learners can
 * state their draws per decision (agents/td.h) and a benchmark can replay them.
 */
#ifndef GRIDRL_AGENTS_EXPLORE_H
#define GRIDRL_AGENTS_EXPLORE_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "rl/argmax.h"

/* The largest of q[0 .. n). */
static inline double rl_explore_max(const double *q, size_t n)
{
    double best = q[0];
    for (size_t a = 1; a < n; a++)
        best = q[a] > best ? q[a] : best;
    return best;
}

/* Zhao's epsilon-greedy rule with one draw u: u < epsilon picks an action uniformly (from u
 * itself), otherwise the greedy action, ties broken uniformly at random from the rest of u.
 * So the greedy action has probability 1 - epsilon (n - 1) / n and every other epsilon / n.
 * The tie-breaking arithmetic is done only when there is a tie: this runs on every step. */
static inline size_t rl_explore_epsilon_greedy(const double *q, size_t n, double epsilon,
                                               gsl_rng *r)
{
    double u = gsl_rng_uniform(r);
    if (u < epsilon) {
        size_t a = (size_t)(u / epsilon * (double)n);
        return a < n ? a : n - 1;
    }
    size_t ties, first = rl_argmax_first_ties(q, n, &ties);
    if (ties == 1)
        return first;
    /* u is uniform on [epsilon, 1): rescaled, it breaks ties. */
    double rest = epsilon < 1.0 ? (u - epsilon) / (1.0 - epsilon) : 0.0;
    return rl_argmax_kth_tie(q, n, first, ties, rest);
}

/* The greedy action, ties uniformly at random, with one draw. */
static inline size_t rl_explore_greedy(const double *q, size_t n, gsl_rng *r)
{
    return rl_argmax_random(q, n, gsl_rng_uniform(r));
}

/* A uniformly random action floor(u n) from one draw. */
static inline size_t rl_explore_uniform(size_t n, gsl_rng *r)
{
    size_t a = (size_t)(gsl_rng_uniform(r) * (double)n);
    return a < n ? a : n - 1;
}

/* An action from the probabilities pi_row[0 .. n) with one draw: the first whose cumulative
 * probability exceeds u. Zero-probability actions are never chosen, even when rounding
 * leaves u above the sum. */
static inline size_t rl_explore_sample(const double *pi_row, size_t n, gsl_rng *r)
{
    double u = gsl_rng_uniform(r);
    size_t last = 0;
    for (size_t a = 0; a < n; a++) {
        if (pi_row[a] > 0.0) {
            last = a;
            u -= pi_row[a];
            if (u < 0.0)
                return a;
        }
    }
    return last;
}

/* The probabilities rl_explore_epsilon_greedy draws from, into pi[0 .. n): epsilon / n
 * each, and 1 - epsilon shared equally by the actions tied (exactly) for the maximum. */
static inline void rl_explore_epsilon_greedy_row(const double *q, size_t n, double epsilon,
                                                 double *pi)
{
    size_t ties, first = rl_argmax_first_ties(q, n, &ties);
    double greedy = (1.0 - epsilon) / (double)ties;
    for (size_t a = 0; a < n; a++)
        pi[a] = epsilon / (double)n + (a >= first && q[a] == q[first] ? greedy : 0.0);
}

/* The expectation of q[0 .. n) under the epsilon-greedy policy: every action gets epsilon /
 * n, and the greedy mass 1 - epsilon goes to the maximum, however ties share it. */
static inline double rl_explore_expected(const double *q, size_t n, double epsilon)
{
    double best = rl_explore_max(q, n), sum = 0.0;
    for (size_t a = 0; a < n; a++)
        sum += q[a];
    return epsilon / (double)n * sum + (1.0 - epsilon) * best;
}

#endif

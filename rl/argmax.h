/* The best action of a row of action values, under the three tie rules the toolkit uses.
 * Every argmax in gridrl is one of these; which one a caller needs is a matter of meaning:
 *
 * - exact, first (rl_argmax_first): the first action whose value is the exact maximum.
 *   For an algorithm's own internal choice, where the pick among ties must not cost a random
 *   draw (double Q-learning's evaluation, DP's greedy step inside iterations: truncated
 *   policy iteration with one sweep then equals value iteration bit for bit).
 * - exact, uniformly at random (rl_argmax_random): among the actions at the exact maximum,
 *   one chosen from a uniform number u in [0, 1). For behaviour while learning, so early
 *   ties (all q = 0) do not bias exploration towards the first action.
 * - tolerant, first (rl_argmax_readout): the first action within RL_TIE_TOLERANCE
 *   (relative) of the maximum. For read-outs (values.csv, policy.csv, printed policies):
 *   two values that are equal in exact arithmetic but summed in a different order (a goal
 *   reached along two equally long paths) differ in their last bits, and the read-out must
 *   not depend on that.
 *
 * With NaN in the row: the exact rules never pick a NaN over a number after it (comparisons
 * with NaN are false); the read-out returns 0 when the maximum itself is NaN.
 */
#ifndef GRIDRL_RL_ARGMAX_H
#define GRIDRL_RL_ARGMAX_H

#include <math.h>
#include <stddef.h>

#define RL_TIE_TOLERANCE 1e-9

/* The first index of the exact maximum of q[0 .. n). */
static inline size_t rl_argmax_first(const double *q, size_t n)
{
    size_t best = 0;
    for (size_t a = 1; a < n; a++)
        if (q[a] > q[best])
            best = a;
    return best;
}

/* The first index of the exact maximum of q[0 .. n), and how many actions share it. */
static inline size_t rl_argmax_first_ties(const double *q, size_t n, size_t *ties)
{
    double best = q[0];
    size_t first = 0, count = 1;
    for (size_t a = 1; a < n; a++) {
        if (q[a] > best) {
            best = q[a];
            first = a;
            count = 1;
        } else if (q[a] == best) {
            count++;
        }
    }
    *ties = count;
    return first;
}

/* The k-th (0-based) of the `ties` actions at the maximum q[first], k = floor(u ties) for u
 * in [0, 1). */
static inline size_t rl_argmax_kth_tie(const double *q, size_t n, size_t first, size_t ties,
                                       double u)
{
    size_t k = (size_t)(u * (double)ties);
    if (k >= ties)
        k = ties - 1;
    for (size_t a = first; a < n; a++)
        if (q[a] == q[first] && k-- == 0)
            return a;
    return first;
}

/* One of the actions at the exact maximum of q[0 .. n), uniformly from u in [0, 1). */
static inline size_t rl_argmax_random(const double *q, size_t n, double u)
{
    size_t ties, first = rl_argmax_first_ties(q, n, &ties);
    return ties == 1 ? first : rl_argmax_kth_tie(q, n, first, ties, u);
}

/* The first action within RL_TIE_TOLERANCE * (1 + |max|) of the maximum of q[0 .. n). */
static inline size_t rl_argmax_readout(const double *q, size_t n)
{
    double best = q[0];
    for (size_t a = 1; a < n; a++)
        if (q[a] > best)
            best = q[a];
    double slack = RL_TIE_TOLERANCE * (1.0 + fabs(best));
    for (size_t a = 0; a < n; a++)
        if (q[a] >= best - slack)
            return a;
    return 0; /* only when the maximum is NaN */
}

/* True if q counts as tied with best under the read-out rule. */
static inline int rl_argmax_readout_tied(double q, double best)
{
    return q >= best - RL_TIE_TOLERANCE * (1.0 + fabs(best));
}

#endif

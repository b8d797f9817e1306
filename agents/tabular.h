/* What the tabular learners share: the action-value table, the step size (constant or 1/n per
 * state-action visit), the exploration rate (constant or linearly decayed over episodes),
 * Zhao's epsilon-greedy rule, and the read-outs.
 *
 * Action selection draws one uniform number per decision: u < epsilon picks an action
 * uniformly (from u itself), otherwise the greedy action, ties broken uniformly at random
 * from the rest of u. The result is exactly Zhao's rule: the greedy action has probability
 * 1 - epsilon (|A| - 1) / |A| and every other action epsilon / |A|.
 */
#ifndef GRIDRL_AGENTS_TABULAR_H
#define GRIDRL_AGENTS_TABULAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "rl/error.h"
#include "rl/mdp.h"
#include "rl/param.h"

/* Parameter entries every tabular control learner has; tables list them first. */
#define RL_TABULAR_GAMMA_PARAM                                                              \
    {"gamma", RL_PARAM_DOUBLE, "0.9", 0, 1, 0, NULL, "discount factor"}
#define RL_TABULAR_ALPHA_PARAMS                                                             \
    {"alpha", RL_PARAM_DOUBLE, "0.1", 0, 1, RL_PARAM_MIN_OPEN, NULL,                        \
     "step size (alpha_schedule = constant)"},                                              \
    {"alpha_schedule", RL_PARAM_CHOICE, "constant", 0, 0, 0, "constant|1/n",                \
     "constant alpha, or 1/n with n the visits of the state-action pair"}
#define RL_TABULAR_EPSILON_PARAMS                                                           \
    {"epsilon", RL_PARAM_DOUBLE, "0.1", 0, 1, 0, NULL,                                      \
     "exploration: epsilon-greedy with Zhao's rule"},                                       \
    {"epsilon_final", RL_PARAM_DOUBLE, NULL, 0, 1, 0, NULL,                                 \
     "if set, epsilon decays linearly to this over epsilon_decay_episodes"},                \
    {"epsilon_decay_episodes", RL_PARAM_INT, "1", 1, 1e12, 0, NULL,                          \
     "episodes over which epsilon decays to epsilon_final"}
#define RL_TABULAR_Q0_PARAM                                                                 \
    {"q0", RL_PARAM_DOUBLE, "0", -HUGE_VAL, HUGE_VAL, 0, NULL, "initial action value"}

typedef struct rl_tabular {
    size_t n_states, n_actions;
    const uint8_t *kind; /* the model's state kinds: terminal states keep q = 0 */
    double *q;           /* n_states * n_actions; write it with rl_tabular_write */
    double *vmax;        /* n_states: max_a q(s, a), kept current by rl_tabular_write */
    uint32_t *visits;    /* per (s, a), only with the 1/n schedule */
    double gamma, alpha, epsilon;
    double epsilon_start, epsilon_final;
    size_t decay_episodes, episode;
    bool decays, one_over_n;
} rl_tabular;

/* Reads the shared parameters present in params' table; q starts at q0 (0 on terminal
 * states). */
int rl_tabular_init(rl_tabular *t, const rl_mdp *m, const rl_params *params, rl_error *err);
void rl_tabular_release(rl_tabular *t);

/* The maximum of q[0 .. n): its first action and how many actions share it. */
static inline size_t rl_tabular_first_max(const double *q, size_t n, size_t *ties)
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

/* The k-th (0-based) of the `ties` actions tied at the maximum, from first on, k from u in
 * [0, 1). */
static inline size_t rl_tabular_kth_tied(const double *q, size_t n, size_t first, size_t ties,
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

/* The k-th of the actions tied at the maximum of q[0 .. n), k from u in [0, 1). */
static inline size_t rl_tabular_tied_max(const double *q, size_t n, double u)
{
    size_t ties, first = rl_tabular_first_max(q, n, &ties);
    return ties == 1 ? first : rl_tabular_kth_tied(q, n, first, ties, u);
}

/* Epsilon-greedy action in s with one draw (see above). Inline: it runs on every step, and
 * the tie-breaking arithmetic is done only when there is a tie. */
static inline size_t rl_tabular_select(const rl_tabular *t, size_t s, gsl_rng *r)
{
    double u = gsl_rng_uniform(r);
    size_t n = t->n_actions;
    if (u < t->epsilon) {
        size_t a = (size_t)(u / t->epsilon * (double)n);
        return a < n ? a : n - 1;
    }
    const double *q = t->q + s * n;
    size_t ties, first = rl_tabular_first_max(q, n, &ties);
    if (ties == 1)
        return first;
    /* u is uniform on [epsilon, 1): rescaled, it breaks ties. */
    double rest = t->epsilon < 1.0 ? (u - t->epsilon) / (1.0 - t->epsilon) : 0.0;
    return rl_tabular_kth_tied(q, n, first, ties, rest);
}

/* Greedy action in s, ties uniformly at random with one draw. */
size_t rl_tabular_greedy(const rl_tabular *t, size_t s, gsl_rng *r);

/* Sets q(s, a) and keeps vmax[s] = max_a q(s, a) current, so that the runner's per-episode
 * read-out of the values is a copy rather than a pass over the whole table: a scan of the
 * row only when its maximum itself went down. A NaN sticks in vmax, for divergence checks. */
static inline void rl_tabular_write(rl_tabular *t, size_t s, size_t a, double value)
{
    double *row = t->q + s * t->n_actions;
    double old = row[a];
    row[a] = value;
    if (value >= t->vmax[s] || value != value) {
        t->vmax[s] = value;
    } else if (old == t->vmax[s]) {
        double best = row[0];
        for (size_t b = 1; b < t->n_actions; b++)
            best = row[b] > best ? row[b] : best;
        t->vmax[s] = best;
    }
}

/* The step size for an update of (s, a): alpha, or 1/n counting this visit. */
static inline double rl_tabular_step_size(rl_tabular *t, size_t s, size_t a)
{
    if (!t->one_over_n)
        return t->alpha;
    uint32_t n = ++t->visits[s * t->n_actions + a];
    return 1.0 / (double)n;
}

/* max_a q(s, a); 0 for terminal states. */
double rl_tabular_max(const rl_tabular *t, size_t s);

/* Expected q(s, .) under the current epsilon-greedy policy (ties share the greedy mass). */
double rl_tabular_expected(const rl_tabular *t, size_t s);

/* Advances the exploration schedule after an episode. */
void rl_tabular_end_episode(rl_tabular *t);

/* Read-outs: v = max_a q; the greedy policy, ties by action order (agents/policy.h). */
void rl_tabular_values(const rl_tabular *t, double *v);
void rl_tabular_action_values(const rl_tabular *t, double *q);
void rl_tabular_policy(const rl_tabular *t, double *pi);

#endif

/* The tabular MDP: the one model that the simulator, the planners and the ground truth read.
 *
 * States are the cells of a rows x cols grid, s = row * cols + col; walls are states that are
 * never entered. For each (s, a), sa = s * n_actions + a, the outcomes
 * outcomes[first[sa] .. first[sa + 1]) give probability, next state, reward and whether the
 * transition ends the episode. Outcomes of one (s, a) are distinct (next, reward, terminal)
 * triples whose probabilities sum to 1.
 *
 * Terminal states (kind RL_STATE_TERMINAL) end an episode on entry, and their value is 0 by
 * definition. Since v[terminal] = 0, a backup r + gamma * v[next] is right for every
 * outcome without looking at the terminal flag, which keeps sweeps branch-free.
 *
 * A restart outcome (next == RL_MDP_RESTART) sends the agent back to the start distribution:
 * to start state k with probability probability * start[k]. It stands for one outcome per
 * start state (a gridworld's cliff without an S cell would otherwise need one per open cell
 * for every move into it), so a model's size grows with its cells, not their square. Its
 * expected next value is the start distribution's, rl_mdp_start_value; it is never terminal
 * and never in the compact form.
 *
 * Compact form: where (s, a) has a single outcome (every move of a deterministic gridworld),
 * sure_next[sa] is its next state and reward_table[sure_reward[sa]] its reward; 6 bytes per
 * (s, a) instead of a 24-byte outcome, which is what makes a sweep memory-cheap. Elsewhere
 * sure_next[sa] is -1 and the outcome list is read.
 *
 * Build with rl_mdp_alloc, rl_mdp_add_outcome (and rl_mdp_add_restart) in (s, a) order,
 * rl_mdp_finish.
 */
#ifndef GRIDRL_RL_MDP_H
#define GRIDRL_RL_MDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rl/error.h"
#include "rl/space.h"

#define RL_MDP_NO_PATTERN UINT16_MAX
#define RL_MDP_MAX_PATTERNS 65535

/* outcome.next of a restart outcome: back to the start distribution. */
#define RL_MDP_RESTART (-1)

typedef struct rl_outcome {
    double probability;
    double reward;
    int32_t next;     /* the next state, or RL_MDP_RESTART */
    int32_t terminal; /* 1 if the transition ends the episode (next is terminal) */
} rl_outcome;

typedef struct rl_mdp {
    size_t n_states, n_actions;
    size_t rows, cols; /* geometry: n_states == rows * cols */

    uint32_t *first;      /* n_states * n_actions + 1 */
    rl_outcome *outcomes; /* first[n_states * n_actions] of them */

    int32_t *sure_next;    /* per (s, a): the single next state, or -1 */
    uint16_t *sure_reward; /* per (s, a): index into reward_table when sure_next >= 0 */
    double *reward_table;
    size_t n_rewards;

    /* Patterns: where every action of a decision state has one sure outcome, the state's
     * transitions as a pattern shared by every state that moves the same way (next - s and
     * the reward, per action): an open grid has a handful (inside, edges, corners, next to
     * the goal), so a sweep reads 2 bytes per state instead of 6 per state-action, and
     * finds the pattern in cache. NULL when some decision state has an outcome list or
     * there would be more than RL_MDP_MAX_PATTERNS. */
    uint16_t *pattern;         /* per state; RL_MDP_NO_PATTERN for non-decision states */
    int32_t *pattern_delta;    /* n_patterns * n_actions: next - s */
    double *pattern_reward;    /* n_patterns * n_actions */
    size_t n_patterns;

    double *start;    /* start distribution over states, sums to 1 */
    uint32_t *start_states; /* the states with start > 0, in order (made by rl_mdp_finish) */
    size_t n_start_states;
    uint8_t *kind;    /* RL_STATE_* per state */
    char *cell;       /* the map character of each state ('.', 'S', 'G', ...) */
    int *action_drow; /* displacement of each action, for features and drawing */
    int *action_dcol;
    char (*action_names)[RL_ACTION_NAME_MAX];

    size_t capacity; /* of outcomes, while building */
    size_t next_sa;  /* the (s, a) being filled, while building */
    bool finished;
} rl_mdp;

/* An empty model of rows x cols states and n_actions actions into *out; every state open,
 * no start distribution, actions unnamed. On failure *out is NULL. */
int rl_mdp_alloc(size_t rows, size_t cols, size_t n_actions, rl_mdp **out, rl_error *err);
void rl_mdp_free(rl_mdp *m);

/* Appends an outcome to (s, a); calls must come in (s, a) order, each (s, a) at least once.
 * An outcome equal in (next, reward, terminal) to one already listed for (s, a) adds its
 * probability to it. */
int rl_mdp_add_outcome(rl_mdp *m, size_t s, size_t a, double probability, size_t next,
                       double reward, bool terminal, rl_error *err);

/* Appends a restart outcome to (s, a): back to the start distribution with probability
 * probability and reward reward, never terminal (same order rules, and merging with an
 * earlier restart outcome of the same reward, as rl_mdp_add_outcome). */
int rl_mdp_add_restart(rl_mdp *m, size_t s, size_t a, double probability, double reward,
                       rl_error *err);

/* Checks that every (s, a) was filled and its probabilities sum to 1 (within 1e-12, then
 * renormalised exactly), that start sums to 1, that terminal flags agree with kind, and builds
 * the compact form. */
int rl_mdp_finish(rl_mdp *m, rl_error *err);

static inline size_t rl_mdp_row(const rl_mdp *m, size_t s) { return s / m->cols; }
static inline size_t rl_mdp_col(const rl_mdp *m, size_t s) { return s % m->cols; }
static inline size_t rl_mdp_state(const rl_mdp *m, size_t row, size_t col)
{
    return row * m->cols + col;
}

/* True for states where the agent decides (neither wall nor terminal). */
static inline bool rl_mdp_is_decision(const rl_mdp *m, size_t s)
{
    return m->kind[s] == RL_STATE_OPEN;
}

/* The expected value of v under the start distribution: sum over the start states k of
 * start[k] v[k], in state order. */
static inline double rl_mdp_start_value(const rl_mdp *m, const double *v)
{
    double sum = 0.0;
    for (size_t i = 0; i < m->n_start_states; i++)
        sum += m->start[m->start_states[i]] * v[m->start_states[i]];
    return sum;
}

/* The expected next value of outcome o: v[next], or the start distribution's for a restart. */
static inline double rl_mdp_next_value(const rl_mdp *m, const rl_outcome *o, const double *v)
{
    return o->next >= 0 ? v[o->next] : rl_mdp_start_value(m, v);
}

/* Expected r + gamma * v[next] over the outcomes of (s, a). */
static inline double rl_mdp_backup(const rl_mdp *m, size_t s, size_t a, const double *v,
                                   double gamma)
{
    size_t sa = s * m->n_actions + a;
    int32_t next = m->sure_next[sa];
    if (next >= 0)
        return m->reward_table[m->sure_reward[sa]] + gamma * v[next];
    double q = 0.0;
    for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++) {
        const rl_outcome *o = &m->outcomes[k];
        q += o->probability * (o->reward + gamma * rl_mdp_next_value(m, o, v));
    }
    return q;
}

/* Samples an outcome of (s, a) with one uniform draw u in [0, 1), and its next state into
 * *next. The draw walks the outcomes in order, subtracting each probability until u falls
 * below 0 (the last outcome takes what rounding leaves); a restart outcome walks its start
 * states the same way, each with probability * start[k], so that it selects exactly as the
 * list of one outcome per start state it stands for would. */
static inline const rl_outcome *rl_mdp_sample(const rl_mdp *m, size_t s, size_t a, double u,
                                              size_t *next)
{
    size_t sa = s * m->n_actions + a;
    uint32_t k = m->first[sa], end = m->first[sa + 1] - 1;
    for (;; k++) {
        const rl_outcome *o = &m->outcomes[k];
        if (o->next >= 0) {
            *next = (size_t)o->next;
            if (k == end || (u -= o->probability) < 0.0)
                return o;
            continue;
        }
        size_t n = m->n_start_states;
        *next = 0; /* a finished model has a start state */
        for (size_t i = 0; i < n; i++) {
            *next = m->start_states[i];
            if ((k == end && i + 1 == n) ||
                (u -= o->probability * m->start[m->start_states[i]]) < 0.0)
                return o;
        }
        if (k == end)
            return o;
    }
}

/* Index of the action named name, or -1. */
int rl_mdp_action_index(const rl_mdp *m, const char *name);

/* The model's state and action spaces, as a view into it (valid while m lives). */
rl_space rl_mdp_space(const rl_mdp *m);

#endif

/* The tabular MDP: building, validating and compacting the model (see mdp.h).
 *
 * A builder (a gridworld compiler, a test) allocates a model, fills kind, cell, start and
 * the action names, adds the outcomes of every (s, a) in order and calls rl_mdp_finish.
 * finish checks the whole model before it changes anything, so a model that fails it is
 * left as it was and can only be freed.
 *
 * Error codes: a value that is not a number, or a call out of order, is RL_EINVAL; a
 * number or index outside its allowed range is RL_ERANGE.
 */
#include "rl/mdp.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rl/alloc.h"

/* Probabilities of one (s, a), and the start distribution, must sum to 1 within this, plus
 * the rounding error of adding n terms (at most n machine epsilons): a uniform start over
 * 10^6 cells sums to 1 only within about 1e-10. */
#define SUM_TOLERANCE 1e-12

static double sum_tolerance(size_t n_terms)
{
    return SUM_TOLERANCE + (double)n_terms * DBL_EPSILON;
}

/* sure_reward is a uint16_t index; once the table holds this many rewards the remaining
 * single-outcome pairs fall back to their outcome list. */
#define REWARD_TABLE_MAX 65535

int rl_mdp_alloc(size_t rows, size_t cols, size_t n_actions, rl_mdp **out, rl_error *err)
{
    *out = NULL;
    if (rows == 0 || cols == 0 || n_actions == 0) {
        return rl_error_set(err, RL_EINVAL, "a model needs at least one row, column and action "
                                     "(got %zu x %zu with %zu actions)",
                     rows, cols, n_actions);
    }
    if (n_actions > RL_MAX_ACTIONS) {
        return rl_error_set(err, RL_ERANGE, "a model has at most %d actions (got %zu)",
                     RL_MAX_ACTIONS, n_actions);
    }
    /* States are int32 in sure_next and outcomes; outcome indices are uint32 in first, and
     * there is at least one outcome per (s, a). */
    if (cols > (size_t)INT32_MAX / rows) {
        return rl_error_set(err, RL_ERANGE, "a %zu x %zu grid has too many states (at most %ld)",
                     rows, cols, (long)INT32_MAX);
    }
    size_t n_states = rows * cols;
    if (n_states > (size_t)UINT32_MAX / n_actions) {
        return rl_error_set(err, RL_ERANGE,
                     "%zu states x %zu actions is too many state-action pairs (at most %lu)",
                     n_states, n_actions, (unsigned long)UINT32_MAX);
    }
    size_t n_sa = n_states * n_actions;

    rl_mdp *m = rl_calloc(1, sizeof *m);
    if (!m)
        goto nomem;
    m->n_states = n_states;
    m->n_actions = n_actions;
    m->rows = rows;
    m->cols = cols;
    m->first = rl_calloc(n_sa + 1, sizeof *m->first);
    /* Every (s, a) has at least one outcome, so n_sa is the least capacity that can do;
     * a deterministic model never grows past it. */
    m->capacity = n_sa;
    m->outcomes = rl_malloc(m->capacity * sizeof *m->outcomes);
    m->sure_next = rl_malloc(n_sa * sizeof *m->sure_next);
    m->sure_reward = rl_calloc(n_sa, sizeof *m->sure_reward);
    m->start = rl_calloc(n_states, sizeof *m->start);
    m->kind = rl_calloc(n_states, sizeof *m->kind);
    m->cell = rl_malloc(n_states);
    m->action_drow = rl_calloc(n_actions, sizeof *m->action_drow);
    m->action_dcol = rl_calloc(n_actions, sizeof *m->action_dcol);
    m->action_names = rl_calloc(n_actions, sizeof *m->action_names);
    if (!m->first || !m->outcomes || !m->sure_next || !m->sure_reward || !m->start ||
        !m->kind || !m->cell || !m->action_drow || !m->action_dcol || !m->action_names)
        goto nomem;
    for (size_t sa = 0; sa < n_sa; sa++)
        m->sure_next[sa] = -1;
    memset(m->cell, '.', n_states); /* kind is already RL_STATE_OPEN (0) */
    *out = m;
    return RL_OK;

nomem:
    rl_mdp_free(m);
    return rl_error_set(err, RL_ENOMEM, "out of memory allocating a model of %zu x %zu states "
                                        "and %zu actions",
                        rows, cols, n_actions);
}

void rl_mdp_free(rl_mdp *m)
{
    if (!m)
        return;
    rl_free(m->first);
    rl_free(m->outcomes);
    rl_free(m->sure_next);
    rl_free(m->sure_reward);
    rl_free(m->reward_table);
    rl_free(m->pattern);
    rl_free(m->pattern_delta);
    rl_free(m->pattern_reward);
    rl_free(m->start);
    rl_free(m->start_states);
    rl_free(m->kind);
    rl_free(m->cell);
    rl_free(m->action_drow);
    rl_free(m->action_dcol);
    rl_free(m->action_names);
    rl_free(m);
}

/* "state (row, col) action name" (or "action 3" when unnamed), for messages. */
static const char *describe_sa(const rl_mdp *m, size_t s, size_t a, char *buf, size_t size)
{
    if (m->action_names[a][0])
        snprintf(buf, size, "state (%zu, %zu) action %.*s", rl_mdp_row(m, s), rl_mdp_col(m, s),
                 RL_ACTION_NAME_MAX, m->action_names[a]);
    else
        snprintf(buf, size, "state (%zu, %zu) action %zu", rl_mdp_row(m, s), rl_mdp_col(m, s),
                 a);
    return buf;
}

#define DESCRIBE_MAX (RL_ACTION_NAME_MAX + 96)

/* add's next for a restart outcome. */
#define RESTART_NEXT SIZE_MAX

/* Appends (probability, next, reward, terminal) to (s, a), next being a state or
 * RESTART_NEXT. */
static int add(rl_mdp *m, size_t s, size_t a, double probability, size_t next, double reward,
               bool terminal, rl_error *err)
{
    char what[DESCRIBE_MAX], other[DESCRIBE_MAX];
    if (!m)
        return rl_error_set(err, RL_EINVAL, "no model to add an outcome to");
    if (m->finished)
        return rl_error_set(err, RL_EINVAL, "the model is finished; no outcome can be added");
    if (s >= m->n_states || a >= m->n_actions)
        return rl_error_set(err, RL_ERANGE,
                            "outcome for state %zu action %zu outside the model "
                            "(%zu states, %zu actions)",
                            s, a, m->n_states, m->n_actions);
    /* Messages are formatted only on failure: this runs once per outcome of a large model. */
    if (isnan(probability) || isinf(probability))
        return rl_error_set(err, RL_EINVAL, "%s: probability %g is not a finite number",
                            describe_sa(m, s, a, what, sizeof what), probability);
    if (!(probability > 0.0 && probability <= 1.0))
        return rl_error_set(err, RL_ERANGE, "%s: probability %.17g is not in (0, 1]",
                            describe_sa(m, s, a, what, sizeof what), probability);
    if (next != RESTART_NEXT && next >= m->n_states)
        return rl_error_set(err, RL_ERANGE, "%s: next state %zu outside the model (%zu states)",
                            describe_sa(m, s, a, what, sizeof what), next, m->n_states);
    if (!isfinite(reward))
        return rl_error_set(err, RL_EINVAL, "%s: reward %g is not a finite number",
                            describe_sa(m, s, a, what, sizeof what), reward);

    /* first[next_sa + 1] is the running total of outcomes; entries after it are still 0. */
    size_t sa = s * m->n_actions + a;
    size_t current = m->next_sa;
    if (sa < current) {
        describe_sa(m, current / m->n_actions, current % m->n_actions, other, sizeof other);
        return rl_error_set(err, RL_EINVAL,
                            "%s added after %s: outcomes must be added in (state, action) "
                            "order",
                            describe_sa(m, s, a, what, sizeof what), other);
    }
    if (sa > current) {
        bool current_empty = m->first[current + 1] == m->first[current];
        if (current_empty || sa > current + 1) {
            size_t empty = current_empty ? current : current + 1;
            describe_sa(m, empty / m->n_actions, empty % m->n_actions, other, sizeof other);
            return rl_error_set(err, RL_EINVAL,
                                "%s has no outcomes but %s is being added: every (state, "
                                "action) needs an outcome, added in order",
                                other, describe_sa(m, s, a, what, sizeof what));
        }
        m->next_sa = sa;
        m->first[sa + 1] = m->first[sa];
    }

    int32_t to = next == RESTART_NEXT ? RL_MDP_RESTART : (int32_t)next;
    uint32_t end = m->first[sa + 1];
    for (uint32_t k = m->first[sa]; k < end; k++) {
        rl_outcome *o = &m->outcomes[k];
        if (o->next == to && o->reward == reward && o->terminal == (int32_t)terminal) {
            o->probability += probability;
            return RL_OK;
        }
    }

    if (end == UINT32_MAX)
        return rl_error_set(err, RL_ERANGE, "%s: the model has too many outcomes (at most %lu)",
                            describe_sa(m, s, a, what, sizeof what), (unsigned long)UINT32_MAX);
    if (end == m->capacity) {
        size_t capacity = m->capacity > UINT32_MAX / 2 ? UINT32_MAX : m->capacity * 2;
        rl_outcome *grown = rl_realloc(m->outcomes, capacity * sizeof *grown);
        if (!grown)
            return rl_error_set(err, RL_ENOMEM, "%s: out of memory growing the outcome list to "
                                                "%zu outcomes",
                                describe_sa(m, s, a, what, sizeof what), capacity);
        m->outcomes = grown;
        m->capacity = capacity;
    }
    m->outcomes[end] = (rl_outcome){.probability = probability,
                                    .reward = reward,
                                    .next = to,
                                    .terminal = terminal};
    m->first[sa + 1] = end + 1;
    return RL_OK;
}

int rl_mdp_add_outcome(rl_mdp *m, size_t s, size_t a, double probability, size_t next,
                       double reward, bool terminal, rl_error *err)
{
    if (next == RESTART_NEXT) /* not a state: out of range like any other */
        next = m ? m->n_states : 0;
    return add(m, s, a, probability, next, reward, terminal, err);
}

int rl_mdp_add_restart(rl_mdp *m, size_t s, size_t a, double probability, double reward,
                       rl_error *err)
{
    return add(m, s, a, probability, RESTART_NEXT, reward, false, err);
}

static const char *kind_name(uint8_t kind)
{
    switch (kind) {
    case RL_STATE_OPEN: return "open";
    case RL_STATE_TERMINAL: return "terminal";
    case RL_STATE_WALL: return "a wall";
    default: return "of unknown kind";
    }
}

/* Checks everything finish relies on, changing nothing. */
static int check_model(const rl_mdp *m, rl_error *err)
{
    char what[DESCRIBE_MAX];
    size_t n_sa = m->n_states * m->n_actions;
    for (size_t s = 0; s < m->n_states; s++)
        if (m->kind[s] > RL_STATE_WALL)
            return rl_error_set(err, RL_EINVAL, "state (%zu, %zu) has unknown kind %d",
                                rl_mdp_row(m, s), rl_mdp_col(m, s), (int)m->kind[s]);

    size_t last = m->next_sa;
    if (last + 1 < n_sa || m->first[last + 1] == m->first[last]) {
        size_t empty = m->first[last + 1] == m->first[last] ? last : last + 1;
        describe_sa(m, empty / m->n_actions, empty % m->n_actions, what, sizeof what);
        return rl_error_set(err, RL_EINVAL, "%s has no outcomes: every (state, action) needs "
                                            "at least one",
                            what);
    }

    for (size_t sa = 0; sa < n_sa; sa++) {
        size_t s = sa / m->n_actions, a = sa % m->n_actions;
        double sum = 0.0;
        for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++) {
            const rl_outcome *o = &m->outcomes[k];
            sum += o->probability;
            if (o->next < 0) /* a restart: never terminal (add_restart), starts are open */
                continue;
            bool into_terminal = m->kind[o->next] == RL_STATE_TERMINAL;
            if ((o->terminal != 0) != into_terminal) {
                size_t next = (size_t)o->next;
                describe_sa(m, s, a, what, sizeof what);
                return rl_error_set(err, RL_EINVAL,
                                    "%s: the move to (%zu, %zu) is %s terminal, but that "
                                    "state is %s",
                                    what, rl_mdp_row(m, next), rl_mdp_col(m, next),
                                    o->terminal ? "marked" : "not marked",
                                    kind_name(m->kind[next]));
            }
        }
        double tolerance = sum_tolerance(m->first[sa + 1] - m->first[sa]);
        if (!(fabs(sum - 1.0) <= tolerance)) {
            describe_sa(m, s, a, what, sizeof what);
            return rl_error_set(err, RL_EINVAL,
                                "%s: outcome probabilities sum to %.17g, not 1 (tolerance %g)",
                                what, sum, tolerance);
        }
    }

    double total = 0.0;
    for (size_t s = 0; s < m->n_states; s++) {
        double p = m->start[s];
        if (!(p >= 0.0 && p <= 1.0))
            return rl_error_set(err, RL_EINVAL,
                                "start probability %g of state (%zu, %zu) is not in [0, 1]", p,
                                rl_mdp_row(m, s), rl_mdp_col(m, s));
        if (p > 0.0 && m->kind[s] != RL_STATE_OPEN)
            return rl_error_set(err, RL_EINVAL,
                                "state (%zu, %zu) has start probability %g but is %s; episodes "
                                "start in open states only",
                                rl_mdp_row(m, s), rl_mdp_col(m, s), p, kind_name(m->kind[s]));
        total += p;
    }
    if (!(fabs(total - 1.0) <= sum_tolerance(m->n_states)))
        return rl_error_set(err, RL_EINVAL,
                            "the start distribution sums to %.17g, not 1 (tolerance %g)", total,
                            sum_tolerance(m->n_states));
    return RL_OK;
}

/* An open-addressing set of the rewards already in the table, keyed by bit pattern (with
 * -0.0 folded into 0.0, since the table compares with ==). */
static uint64_t reward_hash(double r)
{
    uint64_t z;
    if (r == 0.0)
        r = 0.0;
    memcpy(&z, &r, sizeof z);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* A pattern's hash: FNV-1a over its deltas and rewards. */
static uint64_t pattern_hash(const int32_t *delta, const double *reward, size_t n)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t a = 0; a < n; a++) {
        uint64_t r;
        double x = reward[a] == 0.0 ? 0.0 : reward[a];
        memcpy(&r, &x, sizeof r);
        h = (h ^ (uint32_t)delta[a]) * UINT64_C(1099511628211);
        h = (h ^ r) * UINT64_C(1099511628211);
    }
    return h;
}

static void drop_patterns(rl_mdp *m)
{
    rl_free(m->pattern);
    rl_free(m->pattern_delta);
    rl_free(m->pattern_reward);
    m->pattern = NULL;
    m->pattern_delta = NULL;
    m->pattern_reward = NULL;
    m->n_patterns = 0;
}

/* The patterns of the compact form (rl_mdp.h), from sure_next and sure_reward. RL_OK, also
 * when the model has none (some decision state is not sure, too many patterns), or
 * RL_ENOMEM. */
static int build_patterns(rl_mdp *m)
{
    drop_patterns(m);
    size_t n = m->n_actions;
    for (size_t s = 0; s < m->n_states; s++)
        if (m->kind[s] == RL_STATE_OPEN)
            for (size_t a = 0; a < n; a++)
                if (m->sure_next[s * n + a] < 0)
                    return RL_OK;
    size_t cap = m->n_states < RL_MDP_MAX_PATTERNS ? m->n_states : RL_MDP_MAX_PATTERNS;
    size_t n_slots = 2;
    while (n_slots < 2 * cap)
        n_slots *= 2;
    uint32_t *slots = rl_calloc(n_slots, sizeof *slots); /* 0 empty, else pattern + 1 */
    m->pattern = rl_malloc(m->n_states * sizeof *m->pattern);
    m->pattern_delta = rl_malloc(cap * n * sizeof *m->pattern_delta);
    m->pattern_reward = rl_malloc(cap * n * sizeof *m->pattern_reward);
    if (!slots || !m->pattern || !m->pattern_delta || !m->pattern_reward) {
        rl_free(slots);
        drop_patterns(m);
        return RL_ENOMEM;
    }
    int32_t delta[RL_MAX_ACTIONS];
    double reward[RL_MAX_ACTIONS];
    for (size_t s = 0; s < m->n_states; s++) {
        m->pattern[s] = RL_MDP_NO_PATTERN;
        if (m->kind[s] != RL_STATE_OPEN)
            continue;
        for (size_t a = 0; a < n; a++) {
            delta[a] = m->sure_next[s * n + a] - (int32_t)s;
            reward[a] = m->reward_table[m->sure_reward[s * n + a]];
        }
        size_t i = (size_t)pattern_hash(delta, reward, n) & (n_slots - 1);
        for (; slots[i]; i = (i + 1) & (n_slots - 1)) {
            size_t p = slots[i] - 1;
            if (memcmp(m->pattern_delta + p * n, delta, n * sizeof *delta) == 0 &&
                memcmp(m->pattern_reward + p * n, reward, n * sizeof *reward) == 0)
                break;
        }
        if (!slots[i]) {
            if (m->n_patterns == cap) { /* too many to be worth it: none at all */
                rl_free(slots);
                drop_patterns(m);
                return RL_OK;
            }
            memcpy(m->pattern_delta + m->n_patterns * n, delta, n * sizeof *delta);
            memcpy(m->pattern_reward + m->n_patterns * n, reward, n * sizeof *reward);
            slots[i] = (uint32_t)++m->n_patterns;
        }
        m->pattern[s] = (uint16_t)(slots[i] - 1);
    }
    rl_free(slots);
    /* Keep only the patterns found; keeping the larger blocks is harmless if this fails. */
    int32_t *d = rl_realloc(m->pattern_delta, m->n_patterns * n * sizeof *d + 1);
    if (d)
        m->pattern_delta = d;
    double *r = rl_realloc(m->pattern_reward, m->n_patterns * n * sizeof *r + 1);
    if (r)
        m->pattern_reward = r;
    return RL_OK;
}

int rl_mdp_finish(rl_mdp *m, rl_error *err)
{
    if (!m)
        return rl_error_set(err, RL_EINVAL, "no model to finish");
    if (m->finished)
        return rl_error_set(err, RL_EINVAL, "the model is already finished");
    int rc = check_model(m, err);
    if (rc != RL_OK)
        return rc;

    size_t n_sa = m->n_states * m->n_actions;
    size_t n_single = 0;
    for (size_t sa = 0; sa < n_sa; sa++)
        n_single += m->first[sa + 1] - m->first[sa] == 1;
    size_t table_max = n_single < REWARD_TABLE_MAX ? n_single : REWARD_TABLE_MAX;
    size_t n_slots = 2; /* a power of two, at least twice the entries: short probes */
    while (n_slots < 2 * table_max)
        n_slots *= 2;
    double *table = rl_malloc((table_max ? table_max : 1) * sizeof *table);
    uint32_t *slots = rl_calloc(n_slots, sizeof *slots); /* 0 empty, else table index + 1 */
    uint32_t *start_states = rl_malloc(m->n_states * sizeof *start_states);
    if (!table || !slots || !start_states) {
        rl_free(table);
        rl_free(slots);
        rl_free(start_states);
        return rl_error_set(err, RL_ENOMEM, "out of memory building the compact model");
    }
    rl_free(m->start_states);
    m->start_states = start_states;

    /* Renormalise so that sums are 1 up to rounding of the division, not up to 1e-12. */
    for (size_t sa = 0; sa < n_sa; sa++) {
        double sum = 0.0;
        for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++)
            sum += m->outcomes[k].probability;
        for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++)
            m->outcomes[k].probability /= sum;
    }
    double total = 0.0;
    for (size_t s = 0; s < m->n_states; s++)
        total += m->start[s];
    for (size_t s = 0; s < m->n_states; s++)
        m->start[s] /= total;
    m->n_start_states = 0;
    for (size_t s = 0; s < m->n_states; s++)
        if (m->start[s] > 0.0)
            m->start_states[m->n_start_states++] = (uint32_t)s;

    size_t n_rewards = 0;
    for (size_t sa = 0; sa < n_sa; sa++) {
        m->sure_next[sa] = -1;
        m->sure_reward[sa] = 0;
        if (m->first[sa + 1] - m->first[sa] != 1 || m->outcomes[m->first[sa]].next < 0)
            continue; /* several outcomes, or a restart: the list is read */
        const rl_outcome *o = &m->outcomes[m->first[sa]];
        size_t i = (size_t)reward_hash(o->reward) & (n_slots - 1);
        while (slots[i] && table[slots[i] - 1] != o->reward)
            i = (i + 1) & (n_slots - 1);
        if (!slots[i]) {
            if (n_rewards == table_max)
                continue; /* table full: this pair keeps its outcome list */
            table[n_rewards] = o->reward;
            slots[i] = (uint32_t)++n_rewards;
        }
        m->sure_next[sa] = o->next;
        m->sure_reward[sa] = (uint16_t)(slots[i] - 1);
    }
    rl_free(slots);
    rl_free(m->reward_table);
    m->reward_table = table;
    m->n_rewards = n_rewards;

    if (build_patterns(m) == RL_ENOMEM)
        return rl_error_set(err, RL_ENOMEM, "out of memory building the compact model");

    /* Give back the doubling slack; keeping the larger block is harmless if this fails. */
    size_t n_outcomes = m->first[n_sa];
    rl_outcome *shrunk = rl_realloc(m->outcomes, n_outcomes * sizeof *shrunk);
    if (shrunk) {
        m->outcomes = shrunk;
        m->capacity = n_outcomes;
    }
    m->finished = true;
    return RL_OK;
}

int rl_mdp_action_index(const rl_mdp *m, const char *name)
{
    if (!m || !name || !name[0])
        return -1;
    for (size_t a = 0; a < m->n_actions; a++)
        if (strncmp(m->action_names[a], name, RL_ACTION_NAME_MAX) == 0 &&
            strlen(name) < RL_ACTION_NAME_MAX)
            return (int)a;
    return -1;
}

rl_space rl_mdp_space(const rl_mdp *m)
{
    return (rl_space){
        .n_states = m->n_states,
        .n_actions = m->n_actions,
        .rows = m->rows,
        .cols = m->cols,
        .kind = m->kind,
        .cell = m->cell,
        .action_drow = m->action_drow,
        .action_dcol = m->action_dcol,
        .action_names = (const char(*)[RL_ACTION_NAME_MAX])m->action_names,
    };
}

/* Monte Carlo: values estimated from whole episodes' returns, no bootstrapping. Control
 * learns action values (the first three below); mc_prediction evaluates a given policy.
 *
 * - mc_basic (Zhao Alg. 5.1): policy iteration whose evaluation step is sampled. It walks
 *   through every (s, a) of the decision states in index order, asking the runner (start
 *   hook) to start there with that first action and to stop after episode_length steps, then
 *   follows the deterministic policy pi_k being evaluated. q(s, a) is the mean discounted
 *   return of episodes_per_pair such episodes. When every pair has its estimate, pi_k+1 is
 *   greedy with respect to q (ties by action order), and end_episode reports convergence
 *   (RL_OK) when that leaves the policy unchanged. pi_0 is action 0 everywhere. Short
 *   episodes see only nearby rewards (Zhao Fig 5.4): with episode_length 1, q(s, a) is the
 *   immediate reward. Truncated returns are not exact q, so the policy could in principle
 *   cycle rather than settle (on zhao5x5 every length of Zhao's Fig 5.4 settles within 7
 *   iterations); an episode budget bounds such a run.
 * - mc_exploring_starts (Zhao Alg. 5.2, S&B Fig 5.3's algorithm): each episode starts from a
 *   pair drawn uniformly over decision states x actions (one draw), then follows the greedy
 *   policy, ties uniformly at random.
 * - mc_epsilon_greedy (Zhao Alg. 5.3): epsilon-greedy behaviour from the runner's start; the
 *   policy improvement is implicit (behaviour is greedy in the current q). Zhao runs it on
 *   one episode of a million steps, hence the default buffer of 1,000,000 steps.
 *
 * The last two store the episode (state-action index and reward per step, 12 bytes) in a
 * buffer of max_episode_length steps allocated at init: observe only appends (O(1), no
 * allocation) and end_episode runs one backward pass g <- gamma g + r_t+1 (O(T)), updating
 * every visit by default (Zhao) or only first visits (first_visit = true, S&B). First visits
 * are found without per-episode allocation: a pass from the back writes, for each pair, the
 * index of its occurrence into a per-(s, a) table, so afterwards it holds the first one. q is
 * the average of the returns (alpha_schedule 1/n, the default) or moves a constant alpha
 * toward each return, in backward order. Episodes are capped at max_episode_length through
 * the start hook (the runner applies the smaller of that cap and its own time limit), so the
 * buffer never overflows; a runner that ignores the cap gets RL_ERANGE from end_episode.
 * - mc_prediction (S&B 5.1 and 6.1): state values of the runner's given policy (uniform by
 *   default), one draw per decision from the policy; the same buffer and backward pass, per
 *   state: every visit or first visits, constant-alpha steps (the default: S&B's
 *   constant-alpha MC of ch. 6) or the mean of the returns (1/n), v0 the initial values.
 *   batch = true records every counted return and, after each episode, sweeps them all
 *   until the values converge (S&B 6.3, agents/batch.h): each state's value becomes the
 *   mean of its returns so far.
 *
 * Terminal vs truncated: MC does not bootstrap. A truncated episode (time limit, length cap,
 * step budget) contributes the discounted sum of the rewards it saw, exactly like Zhao's
 * finite-length episodes; a terminated one contributes the true return.
 */
#include "agents/mc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agents/batch.h"
#include "agents/episode_buffer.h"
#include "agents/prediction.h"
#include "agents/tabular.h"
#include "rl/alloc.h"
#include "rl/argmax.h"

#define MC_MAX_EPISODE_PARAM(default_text)                                                  \
    {"max_episode_length", RL_PARAM_INT, default_text, 1, 1e9, 0, NULL,                      \
     "episode buffer size (12 bytes a step, allocated once); episodes are capped there"}
#define MC_AVERAGE_PARAMS                                                                   \
    {"alpha", RL_PARAM_DOUBLE, "0.1", 0, 1, RL_PARAM_MIN_OPEN, NULL,                        \
     "step size (alpha_schedule = constant)"},                                              \
    {"alpha_schedule", RL_PARAM_CHOICE, "1/n", 0, 0, 0, "constant|1/n",                     \
     "1/n: q(s, a) is the mean of its returns; constant: q steps alpha toward each return"}, \
    {"first_visit", RL_PARAM_BOOL, "false", 0, 0, 0, NULL,                                  \
     "count only the first visit of a pair in an episode (S&B); false: every visit (Zhao)"}, \
    {"estimate", RL_PARAM_CHOICE, "cumulative", 0, 0, 0, "cumulative|episode",              \
     "q(s, a) averages the returns of every episode so far, or only those of the latest "   \
     "episode that visited (s, a) (Zhao's Alg. 5.3 as his examples run it; needs 1/n)"}

static const rl_param_spec mc_basic_params[] = {
    RL_GAMMA_PARAM,
    {"episode_length", RL_PARAM_INT, "100", 1, 1e9, 0, NULL,
     "steps of each episode that estimates a q(s, a) (returns beyond it are not seen)"},
    {"episodes_per_pair", RL_PARAM_INT, "1", 1, 1e9, 0, NULL,
     "episodes averaged per state-action pair (1 suffices in a deterministic env)"},
    RL_END_PARAM,
};

static const rl_param_spec mc_exploring_starts_params[] = {
    RL_GAMMA_PARAM,
    MC_AVERAGE_PARAMS,
    RL_TABULAR_Q0_PARAM,
    MC_MAX_EPISODE_PARAM("100000"),
    RL_END_PARAM,
};

static const rl_param_spec mc_epsilon_greedy_params[] = {
    RL_GAMMA_PARAM,
    MC_AVERAGE_PARAMS,
    RL_EPSILON_PARAMS,
    RL_TABULAR_Q0_PARAM,
    MC_MAX_EPISODE_PARAM("1000000"),
    RL_END_PARAM,
};

/* The decision states in index order, for walking or drawing starting pairs. */
static int collect_open(const rl_space *sp, const char *name, size_t **open, size_t *n_open,
                        rl_error *err)
{
    size_t n = 0;
    for (size_t s = 0; s < sp->n_states; s++)
        n += rl_space_is_decision(sp, s);
    *open = NULL;
    *n_open = 0;
    if (n == 0)
        return rl_error_set(err, RL_EINVAL, "%s needs at least one decision state", name);
    *open = rl_malloc(n * sizeof **open);
    if (!*open)
        return rl_error_set(err, RL_ENOMEM, "out of memory for %zu states", n);
    for (size_t s = 0; s < sp->n_states; s++)
        if (rl_space_is_decision(sp, s))
            (*open)[(*n_open)++] = s;
    return RL_OK;
}

/* Read-outs shared by the three types: each keeps its rl_tabular as the first member, so a
 * pointer to the state is a pointer to it. */
static void mc_values(const void *state, double *v) { rl_tabular_values(state, v); }
static void mc_action_values(const void *state, double *q)
{
    rl_tabular_action_values(state, q);
}
static void mc_policy(const void *state, double *pi) { rl_tabular_policy(state, pi); }

/* ---- MC Basic ---------------------------------------------------------------------------- */

typedef struct mc_basic {
    rl_tabular t;   /* first: see the read-outs */
    size_t *open;   /* decision states */
    size_t n_open;
    size_t *policy; /* pi_k, the deterministic policy being evaluated (per state) */
    size_t episode_length, episodes_per_pair;
    size_t pair;     /* the (s, a) being estimated: open[pair / n_actions], pair % n_actions */
    size_t done;     /* episodes already run for it */
    double pair_sum; /* the sum of their returns */
    double g, discount; /* this episode: return so far, gamma^steps */
    size_t steps, first_state, first_action;
} mc_basic;

static void mc_basic_release(void *state)
{
    mc_basic *b = state;
    rl_tabular_release(&b->t);
    rl_free(b->open);
    rl_free(b->policy);
    b->open = b->policy = NULL;
}

static int mc_basic_init(void *state, const rl_space *sp, const rl_params *params,
                         const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)given_policy;
    (void)r;
    mc_basic *b = state;
    int rc = rl_tabular_init(&b->t, sp, params, err);
    if (rc != RL_OK)
        return rc;
    b->open = b->policy = NULL;
    b->episode_length = (size_t)rl_params_int(params, "episode_length");
    b->episodes_per_pair = (size_t)rl_params_int(params, "episodes_per_pair");
    b->pair = b->done = b->steps = 0;
    b->pair_sum = b->g = 0.0;
    b->discount = 1.0;
    rc = collect_open(sp, "mc_basic", &b->open, &b->n_open, err);
    if (rc == RL_OK) {
        /* pi_0: action 0 everywhere, the greedy policy of the all-zero q by action order. */
        b->policy = rl_calloc(sp->n_states, sizeof *b->policy);
        if (!b->policy)
            rc = rl_error_set(err, RL_ENOMEM, "out of memory for %zu states", sp->n_states);
    }
    if (rc != RL_OK)
        mc_basic_release(b);
    return rc;
}

static void mc_basic_start(void *state, gsl_rng *r, rl_episode_start *start)
{
    (void)r;
    mc_basic *b = state;
    size_t n = b->t.n_actions;
    start->has_state = true;
    start->state = b->open[b->pair / n];
    start->has_action = true;
    start->action = b->pair % n;
    start->max_length = b->episode_length;
}

static size_t mc_basic_begin(void *state, size_t s, gsl_rng *r)
{
    (void)s;
    (void)r;
    /* Only reached if the runner did not fix the first action; a wrong start state is caught
     * at end_episode. */
    const mc_basic *b = state;
    return b->pair % b->t.n_actions;
}

static size_t mc_basic_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    (void)r;
    mc_basic *b = state;
    if (b->steps == 0) {
        b->first_state = t->state;
        b->first_action = t->action;
    }
    b->g += b->discount * t->reward;
    b->discount *= b->t.gamma;
    b->steps++;
    return b->policy[t->next];
}

static int mc_basic_end(void *state, rl_error *err)
{
    mc_basic *b = state;
    size_t n = b->t.n_actions;
    size_t s = b->open[b->pair / n], a = b->pair % n;
    size_t steps = b->steps;
    double g = b->g;
    b->steps = 0;
    b->g = 0.0;
    b->discount = 1.0;
    if (steps == 0) /* cut before its first step (a step budget): nothing to learn */
        return RL_CONTINUE;
    if (b->first_state != s || b->first_action != a)
        return rl_error_set(err, RL_EUNSUPPORTED,
                            "mc_basic estimates q(state %zu, action %zu) but the episode "
                            "started with state %zu, action %zu: it needs the runner to honour "
                            "its start hook (an env with reset_to)",
                            s, a, b->first_state, b->first_action);
    b->pair_sum += g;
    if (++b->done < b->episodes_per_pair)
        return RL_CONTINUE;
    rl_tabular_write(&b->t, s, a, b->pair_sum / (double)b->done);
    b->pair_sum = 0.0;
    b->done = 0;
    if (++b->pair < b->n_open * n)
        return RL_CONTINUE;
    /* Every pair estimated: policy improvement. */
    b->pair = 0;
    bool changed = false;
    for (size_t i = 0; i < b->n_open; i++) {
        size_t st = b->open[i];
        size_t best = rl_argmax_readout(b->t.q + st * n, n);
        if (best != b->policy[st]) {
            b->policy[st] = best;
            changed = true;
        }
    }
    return changed ? RL_CONTINUE : RL_OK;
}

/* pi_k, the policy whose q the episodes estimate (after their first action). */
static void mc_basic_behavior_policy(const void *state, double *pi)
{
    const mc_basic *b = state;
    size_t n = b->t.n_actions;
    for (size_t i = 0; i < b->t.n_states * n; i++)
        pi[i] = 1.0 / (double)n;
    for (size_t i = 0; i < b->n_open; i++) {
        size_t s = b->open[i];
        for (size_t a = 0; a < n; a++)
            pi[s * n + a] = a == b->policy[s] ? 1.0 : 0.0;
    }
}

const rl_learner_type rl_mc_basic_type = {
    .name = "mc_basic",
    .doc = "MC Basic (Zhao 5.1): policy iteration with q from episodes started at each (s, a)",
    .params = mc_basic_params,
    .size = sizeof(mc_basic),
    .converges = true,
    .init = mc_basic_init,
    .release = mc_basic_release,
    .episode_start = mc_basic_start,
    .begin_episode = mc_basic_begin,
    .observe = mc_basic_observe,
    .end_episode = mc_basic_end,
    .values = mc_values,
    .action_values = mc_action_values,
    .policy = mc_policy,
    .behavior_policy = mc_basic_behavior_policy,
};


/* ---- MC Exploring Starts and MC epsilon-greedy ------------------------------------------- */

typedef struct mc_agent {
    rl_tabular t;     /* first: see the read-outs */
    bool exploring;   /* exploring starts and greedy behaviour; else epsilon-greedy */
    bool first_visit;
    bool episode_only; /* estimate = episode: each episode's returns replace the old mean */
    size_t *open;     /* decision states (exploring starts only) */
    size_t n_open;
    rl_episode_buffer episode;
    uint32_t *first;  /* per (s, a): its first step in this episode (first_visit only) */
} mc_agent;

static void mc_release(void *state)
{
    mc_agent *g = state;
    rl_tabular_release(&g->t);
    rl_episode_buffer_release(&g->episode);
    rl_free(g->open);
    rl_free(g->first);
    g->open = NULL;
    g->first = NULL;
}

static int mc_init(mc_agent *g, const rl_space *sp, const rl_params *params, bool exploring,
                   const char *name, rl_error *err)
{
    memset(g, 0, sizeof *g);
    int rc = rl_tabular_init(&g->t, sp, params, err);
    if (rc != RL_OK)
        return rc;
    g->exploring = exploring;
    g->first_visit = rl_params_bool(params, "first_visit");
    g->episode_only = strcmp(rl_params_string(params, "estimate"), "episode") == 0;
    if (g->episode_only && !g->t.step.one_over_n) {
        rc = rl_error_set(err, RL_EINVAL,
                          "estimate = episode averages the episode's returns: it needs "
                          "alpha_schedule = 1/n");
        rl_error_locate(err, rc, NULL, 0, 0, "estimate");
    }
    size_t n_sa = sp->n_states * sp->n_actions;
    if (n_sa > UINT32_MAX)
        rc = rl_error_set(err, RL_ERANGE, "%s: %zu state-action pairs is too many", name, n_sa);
    if (rc == RL_OK && exploring)
        rc = collect_open(sp, name, &g->open, &g->n_open, err);
    if (rc == RL_OK)
        rc = rl_episode_buffer_init(&g->episode,
                                    (size_t)rl_params_int(params, "max_episode_length"), err);
    if (rc == RL_OK && g->first_visit) {
        g->first = rl_malloc(n_sa * sizeof *g->first);
        if (!g->first)
            rc = rl_error_set(err, RL_ENOMEM, "%s: out of memory for first-visit marks", name);
    }
    if (rc != RL_OK)
        mc_release(g);
    return rc;
}

static int mc_exploring_starts_init(void *state, const rl_space *sp, const rl_params *params,
                                    const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)given_policy;
    (void)r;
    return mc_init(state, sp, params, true, "mc_exploring_starts", err);
}

static int mc_epsilon_greedy_init(void *state, const rl_space *sp, const rl_params *params,
                                  const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)given_policy;
    (void)r;
    return mc_init(state, sp, params, false, "mc_epsilon_greedy", err);
}

static void mc_start(void *state, gsl_rng *r, rl_episode_start *start)
{
    const mc_agent *g = state;
    if (g->exploring) {
        size_t n = g->t.n_actions;
        size_t k = gsl_rng_uniform_int(r, g->n_open * n);
        start->has_state = true;
        start->state = g->open[k / n];
        start->has_action = true;
        start->action = k % n;
    }
    start->max_length = g->episode.capacity;
}

static size_t mc_act(const mc_agent *g, size_t s, gsl_rng *r)
{
    return g->exploring ? rl_tabular_greedy(&g->t, s, r) : rl_tabular_select(&g->t, s, r);
}

static size_t mc_begin(void *state, size_t s, gsl_rng *r) { return mc_act(state, s, r); }

/* As mc_act draws: greedy (exploring starts, after the first action) or epsilon-greedy. */
static void mc_behavior_policy(const void *state, double *pi)
{
    const mc_agent *g = state;
    rl_tabular_behavior_policy(&g->t, g->exploring ? 0.0 : g->t.explore.epsilon, pi);
}

static size_t mc_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    mc_agent *g = state;
    rl_episode_buffer_push(&g->episode, t->state, t->action, t->reward);
    if (t->terminated || t->truncated) /* the episode ends: the action would be ignored */
        return 0;
    return mc_act(g, t->next, r);
}

static int mc_end(void *state, rl_error *err)
{
    mc_agent *g = state;
    rl_episode_buffer *e = &g->episode;
    size_t n = g->t.n_actions;
    if (e->overflow) {
        rl_episode_buffer_clear(e);
        return rl_error_set(err, RL_ERANGE,
                            "episode longer than max_episode_length = %zu (the learner asks "
                            "the runner to cap episodes there)",
                            e->capacity);
    }
    if (g->first_visit)
        for (size_t i = e->length; i-- > 0;)
            g->first[e->state[i] * n + e->action[i]] = (uint32_t)i;
    /* A fresh mean for every pair this episode visits: its count starts again at 0. */
    if (g->episode_only)
        for (size_t i = 0; i < e->length; i++)
            g->t.step.visits[e->state[i] * n + e->action[i]] = 0;
    rl_return_cursor c = rl_episode_buffer_last(e);
    while (rl_episode_buffer_back(e, g->t.gamma, &c)) {
        size_t s = e->state[c.i], a = e->action[c.i], sa = s * n + a;
        if (g->first_visit && g->first[sa] != c.i)
            continue;
        double step = rl_tabular_step_size(&g->t, s, a);
        rl_tabular_write(&g->t, s, a, g->t.q[sa] + step * (c.g - g->t.q[sa]));
    }
    rl_episode_buffer_clear(e);
    rl_tabular_end_episode(&g->t);
    return RL_CONTINUE;
}

const rl_learner_type rl_mc_exploring_starts_type = {
    .name = "mc_exploring_starts",
    .doc = "MC Exploring Starts (Zhao 5.2, S&B 5.3): uniform (s, a) starts, greedy policy",
    .params = mc_exploring_starts_params,
    .size = sizeof(mc_agent),
    .init = mc_exploring_starts_init,
    .release = mc_release,
    .episode_start = mc_start,
    .begin_episode = mc_begin,
    .observe = mc_observe,
    .end_episode = mc_end,
    .values = mc_values,
    .action_values = mc_action_values,
    .policy = mc_policy,
    .behavior_policy = mc_behavior_policy,
};


const rl_learner_type rl_mc_epsilon_greedy_type = {
    .name = "mc_epsilon_greedy",
    .doc = "MC epsilon-greedy (Zhao 5.3): MC control with epsilon-greedy behaviour",
    .params = mc_epsilon_greedy_params,
    .size = sizeof(mc_agent),
    .init = mc_epsilon_greedy_init,
    .release = mc_release,
    .episode_start = mc_start,
    .begin_episode = mc_begin,
    .observe = mc_observe,
    .end_episode = mc_end,
    .values = mc_values,
    .action_values = mc_action_values,
    .policy = mc_policy,
    .behavior_policy = mc_behavior_policy,
};


/* ---- MC prediction ----------------------------------------------------------------------- */

typedef struct mc_pred {
    rl_prediction p; /* first: the read-outs take the state as it */
    bool first_visit, batch;
    rl_episode_buffer episode;
    uint32_t *first; /* per state: its first step in this episode (first_visit only) */
    rl_batch stats;  /* batch = true */
} mc_pred;

static const rl_param_spec mc_prediction_params[] = {
    RL_GAMMA_PARAM,
    {"alpha", RL_PARAM_DOUBLE, "0.1", 0, 1, RL_PARAM_MIN_OPEN, NULL,
     "step size (alpha_schedule = constant; batch: the sweeps' step)"},
    {"alpha_schedule", RL_PARAM_CHOICE, "constant", 0, 0, 0, "constant|1/n",
     "constant: v(s) steps alpha toward each return (S&B 6.1); 1/n: the mean of its returns "
     "(S&B 5.1; not with batch)"},
    {"first_visit", RL_PARAM_BOOL, "false", 0, 0, 0, NULL,
     "count only the first visit of a state in an episode; false: every visit"},
    RL_PREDICTION_V0_PARAM,
    MC_MAX_EPISODE_PARAM("100000"),
    RL_BATCH_PARAMS,
    RL_GIVEN_POLICY_PARAMS,
    RL_END_PARAM,
};

static void mc_prediction_release(void *state)
{
    mc_pred *m = state;
    rl_prediction_release(&m->p);
    rl_episode_buffer_release(&m->episode);
    rl_batch_release(&m->stats);
    rl_free(m->first);
    m->first = NULL;
}

static int mc_prediction_init(void *state, const rl_space *sp, const rl_params *params,
                              const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)r;
    mc_pred *m = state;
    memset(m, 0, sizeof *m);
    int rc = rl_prediction_init(&m->p, sp, params, given_policy, err);
    if (rc != RL_OK)
        return rc;
    m->first_visit = rl_params_bool(params, "first_visit");
    m->batch = rl_params_bool(params, "batch");
    if (sp->n_states > UINT32_MAX)
        rc = rl_error_set(err, RL_ERANGE, "mc_prediction: %zu states is too many", sp->n_states);
    if (rc == RL_OK && m->batch && m->p.step.one_over_n) {
        rc = rl_error_set(err, RL_EINVAL, "mc_prediction: batch updating sweeps with a "
                                          "constant alpha: set alpha_schedule = constant");
        rl_error_locate(err, rc, NULL, 0, 0, "alpha_schedule");
    }
    if (rc == RL_OK)
        rc = rl_episode_buffer_init(&m->episode,
                                    (size_t)rl_params_int(params, "max_episode_length"), err);
    if (rc == RL_OK && m->first_visit &&
        !(m->first = rl_malloc(sp->n_states * sizeof *m->first)))
        rc = rl_error_set(err, RL_ENOMEM, "mc_prediction: out of memory for first-visit marks");
    if (rc == RL_OK && m->batch)
        rc = rl_batch_init(&m->stats, sp->n_states, params, err);
    if (rc != RL_OK)
        mc_prediction_release(m);
    return rc;
}

static void mc_prediction_start(void *state, gsl_rng *r, rl_episode_start *start)
{
    (void)r;
    start->max_length = ((const mc_pred *)state)->episode.capacity;
}

static size_t mc_prediction_begin(void *state, size_t s, gsl_rng *r)
{
    return rl_prediction_draw(state, s, r);
}

static size_t mc_prediction_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    mc_pred *m = state;
    rl_episode_buffer_push(&m->episode, t->state, t->action, t->reward);
    if (t->terminated || t->truncated)
        return 0;
    return rl_prediction_draw(&m->p, t->next, r);
}

/* One backward pass: each counted visit's return G, and v(s) += step (G - v(s)) in backward
 * order (S&B Fig 5.1's loop), or with batch the return recorded and the sweeps after. */
static int mc_prediction_end(void *state, rl_error *err)
{
    mc_pred *m = state;
    rl_episode_buffer *e = &m->episode;
    if (e->overflow) {
        rl_episode_buffer_clear(e);
        return rl_error_set(err, RL_ERANGE,
                            "episode longer than max_episode_length = %zu (the learner asks "
                            "the runner to cap episodes there)",
                            e->capacity);
    }
    if (m->first_visit)
        for (size_t i = e->length; i-- > 0;)
            m->first[e->state[i]] = (uint32_t)i;
    double *v = m->p.v;
    rl_return_cursor c = rl_episode_buffer_last(e);
    while (rl_episode_buffer_back(e, m->p.gamma, &c)) {
        size_t s = e->state[c.i];
        if (m->first_visit && m->first[s] != c.i)
            continue;
        if (m->batch)
            rl_batch_add(&m->stats, s, c.g, RL_BATCH_NONE, 0.0);
        else
            v[s] += rl_step_size_next(&m->p.step, s) * (c.g - v[s]);
    }
    rl_episode_buffer_clear(e);
    return m->batch ? rl_batch_solve(&m->stats, v, err) : RL_CONTINUE;
}

static void mc_prediction_values(const void *state, double *v)
{
    rl_prediction_values(state, v);
}

static void mc_prediction_policy(const void *state, double *pi)
{
    rl_prediction_policy(state, pi);
}

const rl_learner_type rl_mc_prediction_type = {
    .name = "mc_prediction",
    .doc = "Monte Carlo prediction of a given policy's state values, first- or every-visit "
           "(S&B 5.1, 6.1)",
    .params = mc_prediction_params,
    .size = sizeof(mc_pred),
    .prediction = true,
    .init = mc_prediction_init,
    .release = mc_prediction_release,
    .episode_start = mc_prediction_start,
    .begin_episode = mc_prediction_begin,
    .observe = mc_prediction_observe,
    .end_episode = mc_prediction_end,
    .values = mc_prediction_values,
    .policy = mc_prediction_policy,
};

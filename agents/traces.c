/* Eligibility traces, tabular (Sutton & Barto ch. 12). Each learner keeps a trace z per
 * entry (a state, or a state-action pair) that marks how much the entry is credited with
 * the current TD error; traces start at 0 in every episode. The forward view they
 * implement, the lambda-return, is here too.
 *
 * - lambda_return (S&B 12.1, Fig 12.3): the offline lambda-return algorithm. Nothing is
 *   learned during an episode; at its end v(S_t) += alpha (G_t - v(S_t)) for t = 0, 1, ...,
 *   T-1 in turn (S&B eq. 12.4), G_t the lambda-return
 *   G_t = R_t+1 + gamma ((1 - lambda) v(S_t+1) + lambda G_t+1), whose last step's is R_T
 *   (after a termination) or R_T + gamma v(S_T) (after a truncation: the truncated
 *   lambda-return, S&B 12.3). Each G_t is computed when its update is made, from the values
 *   as the earlier updates of the pass left them (the k-step returns bootstrap from the
 *   latest values there are, as in S&B eq. 12.1): so lambda = 0 is TD(0) and lambda = 1
 *   every-visit constant-alpha Monte Carlo, both exactly. (Computing every G_t from the
 *   values held during the episode instead raises the lambda = 0 errors of Fig 12.3 at
 *   alpha >= 0.5 by about 0.02, measured.) The recursion for G_t runs backward from the
 *   episode's end, or from where the weight of what is left, (gamma lambda)^k, falls below
 *   2^-60 (below rounding: the rest is left out): O(T min(T, 60 ln 2 / -ln(gamma lambda)))
 *   per episode. The episode is stored in a buffer of max_episode_length steps allocated
 *   at init, and episodes are capped there through the start hook, as in agents/mc.c.
 * - td_lambda (S&B 12.2, Fig 12.6): TD(lambda) prediction of a given policy. Each step
 *   delta = R + gamma v(S') - v(S) (R - v(S) after a termination), the traces decay,
 *   z <- gamma lambda z, the visited state's grows, z(S) += 1 (trace = accumulating) or
 *   z(S) = 1 (replacing), and v += alpha delta z. lambda = 0 is TD(0) step for step.
 * - true_online_td (S&B 12.5): true online TD(lambda), the linear algorithm with one-hot
 *   features: dutch traces z <- gamma lambda z + (1 - alpha gamma lambda z(S)) e_S and
 *   v += alpha (delta + V - V_old) z - alpha (V - V_old) e_S, with V = v(S) before the
 *   update and V_old the previous step's v(S') (0 at an episode's start). It computes the
 *   online lambda-return algorithm's values exactly (S&B 12.4, 12.5; Fig 12.8). lambda = 0
 *   is TD(0) up to rounding (the V - V_old terms cancel).
 * - sarsa_lambda (S&B 12.7): Sarsa(lambda) with epsilon-greedy behaviour. The next action A'
 *   is chosen before the update, as in Sarsa; delta = R + gamma q(S', A') - q(S, A) (R - q(S,
 *   A) after a termination), z <- gamma lambda z, then z(S, A) += 1 (accumulating) or, with
 *   replacing traces, z(S, A) = 1 and the traces of S's other actions cleared to 0: the
 *   convention of S&B's first edition for control (section 7.8, eq. 7.14), so that leaving
 *   a state by another action withdraws the credit of the earlier ones; then q += alpha
 *   delta z. lambda = 0 is Sarsa step for step. Where states have their own action sets,
 *   it chooses among them (agents/tabular.h), so only their pairs ever get a trace.
 *
 * Terminal transitions bootstrap from nothing; truncated ones (the runner's time limit)
 * bootstrap as usual, the episode having been cut, not finished. The step size is a
 * constant alpha: a 1/n count per entry does not fit an update that moves every traced
 * entry at once.
 *
 * Cost: the entries with a nonzero trace are kept in a list, and a step visits only those;
 * every other trace is exactly 0, so skipping them changes no value. A trace that decays to
 * exactly 0 (lambda gamma = 0, a cleared replacing trace, underflow) leaves the list, so a
 * step costs O(recently visited entries), at most O(entries). Everything is allocated in
 * init.
 */
#include "agents/traces.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agents/episode_buffer.h"
#include "agents/prediction.h"
#include "agents/tabular.h"
#include "rl/alloc.h"

/* ---- traces with the list of their nonzero entries ---- */

typedef struct trace {
    double *z;     /* per entry; 0 for every entry not in the list */
    size_t *list;  /* the entries in the list, in no particular order */
    uint8_t *in;   /* per entry: whether it is in the list */
    size_t n;      /* entries in the list */
} trace;

static void trace_release(trace *t)
{
    rl_free(t->z);
    rl_free(t->list);
    rl_free(t->in);
    memset(t, 0, sizeof *t);
}

static int trace_init(trace *t, size_t entries, rl_error *err)
{
    memset(t, 0, sizeof *t);
    t->z = rl_calloc(entries, sizeof *t->z);
    t->list = rl_malloc(entries * sizeof *t->list);
    t->in = rl_calloc(entries, sizeof *t->in);
    if (!t->z || !t->list || !t->in) {
        trace_release(t);
        return rl_error_set(err, RL_ENOMEM, "out of memory for %zu eligibility traces", entries);
    }
    return RL_OK;
}

/* z <- decay z; entries that reach exactly 0 leave the list. */
static void trace_decay(trace *t, double decay)
{
    for (size_t k = 0; k < t->n;) {
        size_t i = t->list[k];
        t->z[i] *= decay;
        if (t->z[i] == 0.0) {
            t->z[i] = 0.0; /* not -0.0 */
            t->in[i] = 0;
            t->list[k] = t->list[--t->n];
        } else {
            k++;
        }
    }
}

static void trace_enlist(trace *t, size_t i)
{
    if (!t->in[i]) {
        t->in[i] = 1;
        t->list[t->n++] = i;
    }
}

/* All traces to 0: the start of an episode. */
static void trace_clear(trace *t)
{
    for (size_t k = 0; k < t->n; k++) {
        t->z[t->list[k]] = 0.0;
        t->in[t->list[k]] = 0;
    }
    t->n = 0;
}

#define LAMBDA_PARAM                                                                        \
    {"lambda", RL_PARAM_DOUBLE, "0.9", 0, 1, 0, NULL,                                       \
     "trace decay: 0 is the one-step method; 1 approaches Monte Carlo"}
#define TRACE_PARAM                                                                         \
    {"trace", RL_PARAM_CHOICE, "accumulating", 0, 0, 0, "accumulating|replacing",           \
     "a visit adds 1 to its trace (accumulating) or sets it to 1 (replacing)"}
#define CONSTANT_ALPHA_PARAM                                                                \
    {"alpha", RL_PARAM_DOUBLE, "0.1", 0, 1, RL_PARAM_MIN_OPEN, NULL, "constant step size"}

static bool replacing_trace(const rl_params *params)
{
    return strcmp(rl_params_string(params, "trace"), "replacing") == 0;
}

/* ---- prediction: td_lambda, true_online_td ---- */

typedef struct lambda_pred {
    rl_prediction p;     /* first: the read-outs take the state as it */
    double alpha, lambda, decay; /* decay = gamma lambda */
    bool replacing;
    trace z;             /* td_lambda, true_online_td */
    double v_old;        /* true_online_td: the previous step's v(S') */
    /* lambda_return: the episode and the state after its last step */
    rl_episode_buffer episode;
    size_t last;
    bool terminated;
} lambda_pred;

static const rl_param_spec td_lambda_params[] = {
    RL_GAMMA_PARAM,
    CONSTANT_ALPHA_PARAM,
    LAMBDA_PARAM,
    TRACE_PARAM,
    RL_PREDICTION_V0_PARAM,
    RL_GIVEN_POLICY_PARAMS,
    RL_END_PARAM,
};

static const rl_param_spec lambda_return_params[] = {
    RL_GAMMA_PARAM,
    CONSTANT_ALPHA_PARAM,
    {"lambda", RL_PARAM_DOUBLE, "0.9", 0, 1, 0, NULL,
     "weight of the longer returns: 0 is the one-step return, 1 the Monte Carlo return"},
    RL_PREDICTION_V0_PARAM,
    {"max_episode_length", RL_PARAM_INT, "100000", 1, 1e9, 0, NULL,
     "episode buffer size (13 bytes a step, allocated once); episodes are capped there"},
    RL_GIVEN_POLICY_PARAMS,
    RL_END_PARAM,
};

static const rl_param_spec true_online_td_params[] = {
    RL_GAMMA_PARAM, CONSTANT_ALPHA_PARAM, LAMBDA_PARAM, RL_PREDICTION_V0_PARAM,
    RL_GIVEN_POLICY_PARAMS, RL_END_PARAM,
};

static void lambda_pred_release(void *state)
{
    lambda_pred *d = state;
    rl_prediction_release(&d->p);
    trace_release(&d->z);
    rl_episode_buffer_release(&d->episode);
}

static int lambda_pred_init(void *state, const rl_space *sp, const rl_params *params,
                            const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)r;
    lambda_pred *d = state;
    memset(d, 0, sizeof *d);
    int rc = rl_prediction_init(&d->p, sp, params, given_policy, err);
    if (rc != RL_OK)
        return rc;
    const rl_param_spec *table = rl_params_table(params);
    d->alpha = d->p.step.alpha;
    d->lambda = rl_params_double(params, "lambda");
    d->decay = d->p.gamma * d->lambda;
    d->replacing = rl_param_find(table, "trace") && replacing_trace(params);
    if (rl_param_find(table, "max_episode_length")) {
        rc = rl_episode_buffer_init(&d->episode,
                                    (size_t)rl_params_int(params, "max_episode_length"), err);
    } else {
        rc = trace_init(&d->z, sp->n_states, err);
    }
    if (rc != RL_OK)
        lambda_pred_release(d);
    return rc;
}

/* A new episode: traces and V_old back to 0. (These learners have no start hook, so the
 * runner always asks them for the first action.) */
static size_t lambda_pred_begin(void *state, size_t s, gsl_rng *r)
{
    lambda_pred *d = state;
    trace_clear(&d->z);
    d->v_old = 0.0;
    return rl_prediction_draw(&d->p, s, r);
}

static int lambda_pred_end(void *state, rl_error *err)
{
    (void)state;
    (void)err;
    return RL_CONTINUE;
}

static size_t td_lambda_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    lambda_pred *d = state;
    double *v = d->p.v;
    double target = t->reward;
    if (!t->terminated)
        target += d->p.gamma * v[t->next];
    double delta = target - v[t->state];
    trace_decay(&d->z, d->decay);
    trace_enlist(&d->z, t->state);
    if (d->replacing)
        d->z.z[t->state] = 1.0;
    else
        d->z.z[t->state] += 1.0;
    double scale = d->alpha * delta;
    for (size_t k = 0; k < d->z.n; k++) {
        size_t i = d->z.list[k];
        v[i] += scale * d->z.z[i];
    }
    if (t->terminated || t->truncated)
        return 0;
    return rl_prediction_draw(&d->p, t->next, r);
}

static size_t true_online_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    lambda_pred *d = state;
    double *v = d->p.v;
    size_t s = t->state;
    double value = v[s];
    double next_value = t->terminated ? 0.0 : v[t->next];
    double delta = t->reward + d->p.gamma * next_value - value;
    /* Dutch trace: z <- gamma lambda z + (1 - alpha gamma lambda z(S)) e_S. */
    double z_s = d->z.z[s];
    trace_decay(&d->z, d->decay);
    trace_enlist(&d->z, s);
    d->z.z[s] += 1.0 - d->alpha * d->decay * z_s;
    double scale = d->alpha * (delta + value - d->v_old);
    for (size_t k = 0; k < d->z.n; k++) {
        size_t i = d->z.list[k];
        v[i] += scale * d->z.z[i];
    }
    v[s] -= d->alpha * (value - d->v_old);
    d->v_old = next_value;
    if (t->terminated || t->truncated)
        return 0;
    return rl_prediction_draw(&d->p, t->next, r);
}

/* ---- lambda_return ---- */

static void lambda_return_start(void *state, gsl_rng *r, rl_episode_start *start)
{
    (void)r;
    start->max_length = ((const lambda_pred *)state)->episode.capacity;
}

static size_t lambda_return_begin(void *state, size_t s, gsl_rng *r)
{
    lambda_pred *d = state;
    rl_episode_buffer_clear(&d->episode);
    return rl_prediction_draw(&d->p, s, r);
}

static size_t lambda_return_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    lambda_pred *d = state;
    rl_episode_buffer_push(&d->episode, t->state, t->action, t->reward);
    d->last = t->next;
    d->terminated = t->terminated;
    if (t->terminated || t->truncated)
        return 0;
    return rl_prediction_draw(&d->p, t->next, r);
}

static int lambda_return_end(void *state, rl_error *err)
{
    lambda_pred *d = state;
    rl_episode_buffer *e = &d->episode;
    size_t T = e->length;
    if (e->overflow) {
        rl_episode_buffer_clear(e);
        return rl_error_set(err, RL_ERANGE,
                            "episode longer than max_episode_length = %zu (the learner asks "
                            "the runner to cap episodes there)",
                            e->capacity);
    }
    if (T == 0)
        return RL_CONTINUE;
    double *v = d->p.v, gamma = d->p.gamma, lambda = d->lambda;
    /* Returns more than this many steps ahead weigh less than 2^-60: left out. */
    double decay = gamma * lambda;
    size_t horizon = T;
    if (decay < 1.0)
        horizon = decay > 0.0 ? (size_t)ceil(-60.0 * log(2.0) / log(decay)) : 1;
    /* Forward: each G_t from the values as the earlier updates left them. */
    for (size_t t = 0; t < T; t++) {
        size_t end = horizon < T - 1 - t ? t + horizon : T - 1;
        double g = 0.0;
        if (end == T - 1) {
            g = e->reward[T - 1];
            if (!d->terminated)
                g += gamma * v[d->last];
        }
        for (size_t u = end; u-- > t;)
            g = e->reward[u] + gamma * ((1.0 - lambda) * v[e->state[u + 1]] + lambda * g);
        size_t s = e->state[t];
        v[s] += d->alpha * (g - v[s]);
    }
    rl_episode_buffer_clear(e);
    return RL_CONTINUE;
}

static void lambda_pred_values(const void *state, double *v) { rl_prediction_values(state, v); }

static void lambda_pred_policy(const void *state, double *pi)
{
    rl_prediction_policy(state, pi);
}

const rl_learner_type rl_lambda_return_type = {
    .name = "lambda_return",
    .doc = "the offline lambda-return algorithm: prediction of a given policy from "
           "lambda-returns at each episode's end (S&B 12.1)",
    .params = lambda_return_params,
    .size = sizeof(lambda_pred),
    .prediction = true,
    .init = lambda_pred_init,
    .release = lambda_pred_release,
    .episode_start = lambda_return_start,
    .begin_episode = lambda_return_begin,
    .observe = lambda_return_observe,
    .end_episode = lambda_return_end,
    .values = lambda_pred_values,
    .policy = lambda_pred_policy,
};

const rl_learner_type rl_td_lambda_type = {
    .name = "td_lambda",
    .doc = "TD(lambda) prediction of a given policy, accumulating or replacing traces "
           "(S&B 12.2)",
    .params = td_lambda_params,
    .size = sizeof(lambda_pred),
    .prediction = true,
    .init = lambda_pred_init,
    .release = lambda_pred_release,
    .begin_episode = lambda_pred_begin,
    .observe = td_lambda_observe,
    .end_episode = lambda_pred_end,
    .values = lambda_pred_values,
    .policy = lambda_pred_policy,
};

const rl_learner_type rl_true_online_td_type = {
    .name = "true_online_td",
    .doc = "true online TD(lambda) prediction of a given policy, dutch traces (S&B 12.5)",
    .params = true_online_td_params,
    .size = sizeof(lambda_pred),
    .prediction = true,
    .init = lambda_pred_init,
    .release = lambda_pred_release,
    .begin_episode = lambda_pred_begin,
    .observe = true_online_observe,
    .end_episode = lambda_pred_end,
    .values = lambda_pred_values,
    .policy = lambda_pred_policy,
};


/* ---- control: sarsa_lambda ---- */

typedef struct sarsa_lambda {
    rl_tabular t; /* first: the read-outs take the state as it */
    double decay; /* gamma lambda */
    bool replacing;
    trace z;      /* per (s, a), index s * n_actions + a */
} sarsa_lambda;

static const rl_param_spec sarsa_lambda_params[] = {
    RL_GAMMA_PARAM,
    CONSTANT_ALPHA_PARAM,
    LAMBDA_PARAM,
    {"trace", RL_PARAM_CHOICE, "accumulating", 0, 0, 0, "accumulating|replacing",
     "a visit adds 1 to the pair's trace (accumulating), or sets it to 1 and clears the "
     "state's other actions' traces (replacing)"},
    RL_EPSILON_PARAMS,
    RL_TABULAR_Q0_PARAM,
    RL_END_PARAM,
};

static void sarsa_lambda_release(void *state)
{
    sarsa_lambda *c = state;
    rl_tabular_release(&c->t);
    trace_release(&c->z);
}

static int sarsa_lambda_init(void *state, const rl_space *sp, const rl_params *params,
                             const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)given_policy;
    (void)r;
    sarsa_lambda *c = state;
    memset(c, 0, sizeof *c);
    int rc = rl_tabular_init(&c->t, sp, params, err);
    if (rc != RL_OK)
        return rc;
    c->decay = c->t.gamma * rl_params_double(params, "lambda");
    c->replacing = replacing_trace(params);
    rc = trace_init(&c->z, sp->n_states * sp->n_actions, err);
    if (rc != RL_OK)
        rl_tabular_release(&c->t);
    return rc;
}

/* A new episode: every trace back to 0 (no start hook: the runner always calls this). */
static size_t sarsa_lambda_begin(void *state, size_t s, gsl_rng *r)
{
    sarsa_lambda *c = state;
    trace_clear(&c->z);
    return rl_tabular_select(&c->t, s, r);
}

static size_t sarsa_lambda_observe(void *state, const rl_transition *tr, gsl_rng *r)
{
    sarsa_lambda *c = state;
    rl_tabular *t = &c->t;
    size_t n = t->n_actions;
    double target = tr->reward;
    size_t next_action = 0;
    if (!tr->terminated) {
        next_action = rl_tabular_select(t, tr->next, r);
        target += t->gamma * t->q[tr->next * n + next_action];
    }
    size_t sa = tr->state * n + tr->action;
    double delta = target - t->q[sa];
    trace *z = &c->z;
    trace_decay(z, c->decay);
    trace_enlist(z, sa);
    if (c->replacing) {
        /* Cleared traces are 0 and leave the list at the next decay. */
        for (size_t b = tr->state * n; b < tr->state * n + n; b++)
            z->z[b] = 0.0;
        z->z[sa] = 1.0;
    } else {
        z->z[sa] += 1.0;
    }
    double scale = t->step.alpha * delta;
    for (size_t k = 0; k < z->n; k++) {
        size_t i = z->list[k];
        rl_tabular_write(t, i / n, i % n, t->q[i] + scale * z->z[i]);
    }
    return next_action;
}

static int sarsa_lambda_end(void *state, rl_error *err)
{
    (void)err;
    rl_tabular_end_episode(&((sarsa_lambda *)state)->t);
    return RL_CONTINUE;
}

static void sarsa_lambda_values(const void *state, double *v) { rl_tabular_values(state, v); }

static void sarsa_lambda_action_values(const void *state, double *q)
{
    rl_tabular_action_values(state, q);
}

static void sarsa_lambda_policy(const void *state, double *pi) { rl_tabular_policy(state, pi); }

/* Epsilon-greedy at the current rate: how it acts. */
static void sarsa_lambda_behavior_policy(const void *state, double *pi)
{
    const rl_tabular *t = state;
    rl_tabular_behavior_policy(t, t->explore.epsilon, pi);
}

const rl_learner_type rl_sarsa_lambda_type = {
    .name = "sarsa_lambda",
    .doc = "Sarsa(lambda): on-policy TD control with accumulating or replacing traces, "
           "epsilon-greedy (S&B 12.7)",
    .params = sarsa_lambda_params,
    .size = sizeof(sarsa_lambda),
    .state_actions = true, /* its choices and read-outs are rl_tabular's */
    .init = sarsa_lambda_init,
    .release = sarsa_lambda_release,
    .begin_episode = sarsa_lambda_begin,
    .observe = sarsa_lambda_observe,
    .end_episode = sarsa_lambda_end,
    .values = sarsa_lambda_values,
    .action_values = sarsa_lambda_action_values,
    .policy = sarsa_lambda_policy,
    .behavior_policy = sarsa_lambda_behavior_policy,
};

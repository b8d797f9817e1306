/* Temporal-difference learners: TD(0) and n-step TD prediction of a given policy, Sarsa,
 * Expected Sarsa, n-step Sarsa, Q-learning and double Q-learning (Zhao ch.7; Sutton & Barto
 * ch.6-7).
 *
 * Each learns from one transition at a time, in observe(). A terminal transition's target is
 * the reward alone; a truncated one (the runner's time limit) bootstraps as usual, because
 * the episode was cut, not finished. Everything is allocated in init; a step does no
 * allocation, and the powers of gamma the n-step learners need are tabled once. (Batch
 * updating, td0 and n_step_td with batch = true, records each target instead and sweeps
 * after the episode, agents/batch.h; its statistics grow when a new pair of states shows up.)
 *
 * The prediction learners share agents/prediction.h (values, the policy evaluated, step
 * sizes), the control learners agents/tabular.h: the q table, the step-size schedule, Zhao's
 * epsilon-greedy rule (one draw per decision, ties uniformly at random) and the read-outs
 * (max_a q and the greedy policy, ties by action order). td.h lists which draws each takes.
 */
#include "agents/td.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agents/batch.h"
#include "agents/prediction.h"
#include "agents/tabular.h"
#include "rl/alloc.h"


/* ---- prediction: TD(0) and n-step TD ---- */

typedef struct td_pred {
    rl_prediction p; /* first: the read-outs take the state as it */
    /* n_step_td: S_i and R_i of times i in slot i mod (n + 1), as n-step Sarsa keeps them */
    size_t n, slots;
    size_t *states;
    double *rewards;
    double *gamma_pow; /* gamma^0 .. gamma^n */
    size_t steps, tau, slot_steps, slot_tau;
    bool terminated;
    /* batch = true: the targets, solved after each episode (agents/batch.h) */
    bool batch;
    rl_batch stats;
} td_pred;

#define TD_PREDICTION_PARAMS                                                                \
    RL_GAMMA_PARAM,                                                                         \
    {"alpha", RL_PARAM_DOUBLE, "0.1", 0, 1, RL_PARAM_MIN_OPEN, NULL,                        \
     "step size (alpha_schedule = constant; batch: the sweeps' step)"},                     \
    {"alpha_schedule", RL_PARAM_CHOICE, "constant", 0, 0, 0, "constant|1/n",                \
     "constant alpha, or 1/n with n the updates of the state (not with batch)"},            \
    RL_PREDICTION_V0_PARAM

static const rl_param_spec td0_params[] = {
    TD_PREDICTION_PARAMS,
    RL_BATCH_PARAMS,
    RL_GIVEN_POLICY_PARAMS,
    RL_END_PARAM,
};

static const rl_param_spec n_step_td_params[] = {
    TD_PREDICTION_PARAMS,
    {"n", RL_PARAM_INT, "4", 1, 1e6, 0, NULL,
     "rewards before bootstrapping (1: TD(0); longer than every episode: Monte Carlo)"},
    RL_BATCH_PARAMS,
    RL_GIVEN_POLICY_PARAMS,
    RL_END_PARAM,
};

static void pred_release(void *state)
{
    td_pred *d = state;
    rl_prediction_release(&d->p);
    rl_batch_release(&d->stats);
    rl_free(d->states);
    rl_free(d->rewards);
    rl_free(d->gamma_pow);
    d->states = NULL;
    d->rewards = d->gamma_pow = NULL;
}

/* Shared by td0 and n_step_td: the values and policy, and with batch its statistics. */
static int pred_init(td_pred *d, const rl_space *sp, const rl_params *params,
                     const double *given_policy, const char *name, rl_error *err)
{
    memset(d, 0, sizeof *d);
    int rc = rl_prediction_init(&d->p, sp, params, given_policy, err);
    if (rc != RL_OK)
        return rc;
    d->batch = rl_params_bool(params, "batch");
    if (d->batch && d->p.step.one_over_n) {
        rl_prediction_release(&d->p);
        rc = rl_error_set(err, RL_EINVAL,
                          "%s: batch updating sweeps with a constant alpha: set "
                          "alpha_schedule = constant",
                          name);
        return rl_error_locate(err, rc, NULL, 0, 0, "alpha_schedule");
    }
    if (d->batch && (rc = rl_batch_init(&d->stats, sp->n_states, params, err)) != RL_OK)
        rl_prediction_release(&d->p);
    return rc;
}

static int td0_init(void *state, const rl_space *sp, const rl_params *params,
                    const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)r;
    return pred_init(state, sp, params, given_policy, "td0", err);
}

static size_t td0_begin(void *state, size_t s, gsl_rng *r)
{
    return rl_prediction_draw(state, s, r);
}

/* v(S) moves toward R + gamma v(S'); with batch the target is only recorded. */
static size_t td0_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    td_pred *d = state;
    double *v = d->p.v;
    if (d->batch) {
        rl_batch_add(&d->stats, t->state, t->reward, t->terminated ? RL_BATCH_NONE : t->next,
                     d->p.gamma);
    } else {
        double target = t->reward;
        if (!t->terminated)
            target += d->p.gamma * v[t->next];
        double step = rl_step_size_next(&d->p.step, t->state);
        v[t->state] += step * (target - v[t->state]);
    }
    if (t->terminated || t->truncated)
        return 0;
    return rl_prediction_draw(&d->p, t->next, r);
}

/* After an episode: nothing, or with batch the sweeps over everything seen so far. */
static int pred_end(void *state, rl_error *err)
{
    td_pred *d = state;
    return d->batch ? rl_batch_solve(&d->stats, d->p.v, err) : RL_CONTINUE;
}

static void pred_values(const void *state, double *v) { rl_prediction_values(state, v); }

static void pred_policy(const void *state, double *pi) { rl_prediction_policy(state, pi); }

#define TD0_DOC "TD(0) prediction of a given policy's state values (Zhao ch.7; S&B 6.1)"

const rl_learner_type rl_td0_type = {
    .name = "td0",
    .doc = TD0_DOC,
    .params = td0_params,
    .size = sizeof(td_pred),
    .prediction = true,
    .init = td0_init,
    .release = pred_release,
    .begin_episode = td0_begin,
    .observe = td0_observe,
    .end_episode = pred_end,
    .values = pred_values,
    .policy = pred_policy,
};


/* ---- n-step TD ---- */

static int n_step_td_init(void *state, const rl_space *sp, const rl_params *params,
                          const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)r;
    td_pred *d = state;
    int rc = pred_init(d, sp, params, given_policy, "n_step_td", err);
    if (rc != RL_OK)
        return rc;
    d->n = (size_t)rl_params_int(params, "n");
    d->slots = d->n + 1;
    d->states = rl_malloc(d->slots * sizeof *d->states);
    d->rewards = rl_malloc(d->slots * sizeof *d->rewards);
    d->gamma_pow = rl_malloc(d->slots * sizeof *d->gamma_pow);
    if (!d->states || !d->rewards || !d->gamma_pow) {
        pred_release(d);
        return rl_error_set(err, RL_ENOMEM, "out of memory for an n = %zu step buffer", d->n);
    }
    d->gamma_pow[0] = 1.0;
    for (size_t k = 1; k <= d->n; k++)
        d->gamma_pow[k] = d->gamma_pow[k - 1] * d->p.gamma;
    return RL_OK;
}

static inline size_t pred_next_slot(const td_pred *d, size_t slot)
{
    return slot + 1 == d->slots ? 0 : slot + 1;
}

/* Updates v(S_tau), tau the earliest pending time, toward
 * G = R_{tau+1} + ... + gamma^{count-1} R_{tau+count} [+ gamma^count v(S_{tau+count}) when
 * bootstrapping] (S&B 7.1), and moves tau on; with batch, records G's parts instead. */
static void n_step_td_update(td_pred *d, size_t count, bool bootstrap)
{
    size_t i = pred_next_slot(d, d->slot_tau);
    double g = d->rewards[i];
    for (size_t k = 1; k < count; k++) {
        i = pred_next_slot(d, i);
        g += d->gamma_pow[k] * d->rewards[i];
    }
    size_t s = d->states[d->slot_tau];
    double *v = d->p.v;
    if (d->batch) {
        rl_batch_add(&d->stats, s, g, bootstrap ? d->states[i] : RL_BATCH_NONE,
                     d->gamma_pow[count]);
    } else {
        if (bootstrap)
            g += d->gamma_pow[count] * v[d->states[i]];
        v[s] += rl_step_size_next(&d->p.step, s) * (g - v[s]);
    }
    d->tau++;
    d->slot_tau = pred_next_slot(d, d->slot_tau);
}

/* The pending updates of an ended episode: without bootstrapping after a termination, from
 * the last state after a truncation (or any other cut). */
static void n_step_td_flush(td_pred *d)
{
    while (d->tau < d->steps)
        n_step_td_update(d, d->steps - d->tau, !d->terminated);
}

static void n_step_td_restart(td_pred *d)
{
    d->steps = d->tau = 0;
    d->slot_steps = d->slot_tau = 0;
    d->terminated = false;
}

static size_t n_step_td_begin(void *state, size_t s, gsl_rng *r)
{
    td_pred *d = state;
    n_step_td_restart(d);
    return rl_prediction_draw(&d->p, s, r);
}

static size_t n_step_td_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    td_pred *d = state;
    d->states[d->slot_steps] = t->state;
    d->slot_steps = pred_next_slot(d, d->slot_steps);
    d->steps++;
    d->rewards[d->slot_steps] = t->reward;
    d->states[d->slot_steps] = t->next;
    d->terminated = t->terminated;
    if (d->steps - d->tau == d->n)
        n_step_td_update(d, d->n, !t->terminated);
    if (t->terminated || t->truncated) {
        n_step_td_flush(d);
        return 0;
    }
    return rl_prediction_draw(&d->p, t->next, r);
}

/* Flushes what observe could not (an episode cut without a flag: a total-steps budget),
 * then sweeps with batch. */
static int n_step_td_end(void *state, rl_error *err)
{
    td_pred *d = state;
    n_step_td_flush(d);
    n_step_td_restart(d);
    return pred_end(state, err);
}

#define N_STEP_TD_DOC "n-step TD prediction of a given policy's state values (S&B 7.1)"

const rl_learner_type rl_n_step_td_type = {
    .name = "n_step_td",
    .doc = N_STEP_TD_DOC,
    .params = n_step_td_params,
    .size = sizeof(td_pred),
    .prediction = true,
    .init = n_step_td_init,
    .release = pred_release,
    .begin_episode = n_step_td_begin,
    .observe = n_step_td_observe,
    .end_episode = n_step_td_end,
    .values = pred_values,
    .policy = pred_policy,
};


/* ---- control learners: shared state and read-outs ---- */

typedef struct td_control {
    rl_tabular t; /* q; the first table of double Q-learning */
    /* q_learning */
    bool uniform_behavior;
    /* double_q_learning: the second table, and q1 + q2 which the behaviour is greedy on */
    rl_tabular t2, sum;
    /* n_step_sarsa: S_i, A_i, R_i of times i in slot i mod (n + 1) */
    size_t n, slots;
    size_t *states, *actions;
    double *rewards;
    double *gamma_pow;   /* gamma^0 .. gamma^n */
    size_t steps;        /* transitions seen this episode (the time of the latest state) */
    size_t tau;          /* the earliest time whose update is pending */
    size_t slot_steps, slot_tau;
    bool terminated;
} td_control;

static const rl_param_spec sarsa_params[] = {
    RL_GAMMA_PARAM, RL_ALPHA_PARAMS, RL_EPSILON_PARAMS,
    RL_TABULAR_Q0_PARAM,    RL_END_PARAM,
};

static const rl_param_spec n_step_params[] = {
    RL_GAMMA_PARAM,
    RL_ALPHA_PARAMS,
    RL_EPSILON_PARAMS,
    RL_TABULAR_Q0_PARAM,
    {"n", RL_PARAM_INT, "3", 1, 1e6, 0, NULL,
     "steps of reward before bootstrapping (1: Sarsa; large: Monte Carlo)"},
    RL_END_PARAM,
};

static const rl_param_spec q_learning_params[] = {
    RL_GAMMA_PARAM,
    RL_ALPHA_PARAMS,
    RL_EPSILON_PARAMS,
    RL_TABULAR_Q0_PARAM,
    {"behavior", RL_PARAM_CHOICE, "epsilon_greedy", 0, 0, 0, "epsilon_greedy|uniform",
     "on-policy epsilon-greedy behaviour, or off-policy uniform behaviour (epsilon unused)"},
    RL_END_PARAM,
};

static void control_release(void *state)
{
    td_control *c = state;
    rl_tabular_release(&c->t);
    rl_tabular_release(&c->t2);
    rl_tabular_release(&c->sum);
    rl_free(c->states);
    rl_free(c->actions);
    rl_free(c->rewards);
    rl_free(c->gamma_pow);
    c->states = c->actions = NULL;
    c->rewards = c->gamma_pow = NULL;
}

static int control_init(void *state, const rl_space *sp, const rl_params *params,
                        const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)given_policy;
    (void)r;
    td_control *c = state;
    memset(c, 0, sizeof *c);
    return rl_tabular_init(&c->t, sp, params, err);
}

static size_t control_begin(void *state, size_t s, gsl_rng *r)
{
    return rl_tabular_select(&((td_control *)state)->t, s, r);
}

static int control_end(void *state, rl_error *err)
{
    (void)err;
    rl_tabular_end_episode(&((td_control *)state)->t);
    return RL_CONTINUE;
}

static void control_values(const void *state, double *v)
{
    rl_tabular_values(&((const td_control *)state)->t, v);
}

static void control_action_values(const void *state, double *q)
{
    rl_tabular_action_values(&((const td_control *)state)->t, q);
}

static void control_policy(const void *state, double *pi)
{
    rl_tabular_policy(&((const td_control *)state)->t, pi);
}

/* Acts epsilon-greedy on q, or uniformly (Q-learning's off-policy behaviour). */
static void control_behavior_policy(const void *state, double *pi)
{
    const td_control *c = state;
    rl_tabular_behavior_policy(&c->t, c->uniform_behavior ? 1.0 : c->t.explore.epsilon, pi);
}

/* q(s, a) += step (target - q(s, a)). */
static inline void update(rl_tabular *t, size_t s, size_t a, double target)
{
    double q = t->q[s * t->n_actions + a];
    rl_tabular_write(t, s, a, q + rl_tabular_step_size(t, s, a) * (target - q));
}

/* ---- Sarsa ---- */

/* The next action is chosen before the update (S&B 6.4), also on a truncated step, whose
 * target bootstraps from it. */
static size_t sarsa_observe(void *state, const rl_transition *tr, gsl_rng *r)
{
    rl_tabular *t = &((td_control *)state)->t;
    double target = tr->reward;
    size_t next_action = 0;
    if (!tr->terminated) {
        next_action = rl_tabular_select(t, tr->next, r);
        target += t->gamma * t->q[tr->next * t->n_actions + next_action];
    }
    update(t, tr->state, tr->action, target);
    return next_action;
}

#define SARSA_DOC "Sarsa: on-policy TD control, epsilon-greedy (Zhao ch.7; S&B 6.4)"

const rl_learner_type rl_sarsa_type = {
    .name = "sarsa",
    .doc = SARSA_DOC,
    .params = sarsa_params,
    .size = sizeof(td_control),
    .state_actions = true,
    .init = control_init,
    .release = control_release,
    .begin_episode = control_begin,
    .observe = sarsa_observe,
    .end_episode = control_end,
    .values = control_values,
    .action_values = control_action_values,
    .policy = control_policy,
    .behavior_policy = control_behavior_policy,
};


/* ---- Expected Sarsa and Q-learning: update, then choose ---- */

static size_t expected_sarsa_observe(void *state, const rl_transition *tr, gsl_rng *r)
{
    rl_tabular *t = &((td_control *)state)->t;
    double target = tr->reward;
    if (!tr->terminated)
        target += t->gamma * rl_tabular_expected(t, tr->next);
    update(t, tr->state, tr->action, target);
    if (tr->terminated || tr->truncated)
        return 0;
    return rl_tabular_select(t, tr->next, r);
}

#define EXPECTED_SARSA_DOC                                                                  \
    "Expected Sarsa: bootstraps from the expectation under epsilon-greedy (Zhao ch.7; S&B 6.6)"

const rl_learner_type rl_expected_sarsa_type = {
    .name = "expected_sarsa",
    .doc = EXPECTED_SARSA_DOC,
    .params = sarsa_params,
    .size = sizeof(td_control),
    .state_actions = true,
    .init = control_init,
    .release = control_release,
    .begin_episode = control_begin,
    .observe = expected_sarsa_observe,
    .end_episode = control_end,
    .values = control_values,
    .action_values = control_action_values,
    .policy = control_policy,
    .behavior_policy = control_behavior_policy,
};


static int q_learning_init(void *state, const rl_space *sp, const rl_params *params,
                           const double *given_policy, gsl_rng *r, rl_error *err)
{
    int rc = control_init(state, sp, params, given_policy, r, err);
    if (rc == RL_OK)
        ((td_control *)state)->uniform_behavior =
            strcmp(rl_params_string(params, "behavior"), "uniform") == 0;
    return rc;
}

/* The behaviour policy's action: epsilon-greedy, or uniform from one draw. */
static size_t behave(const td_control *c, size_t s, gsl_rng *r)
{
    if (!c->uniform_behavior)
        return rl_tabular_select(&c->t, s, r);
    return rl_tabular_uniform(&c->t, s, r);
}

static size_t q_learning_begin(void *state, size_t s, gsl_rng *r)
{
    return behave(state, s, r);
}

static size_t q_learning_observe(void *state, const rl_transition *tr, gsl_rng *r)
{
    td_control *c = state;
    rl_tabular *t = &c->t;
    double target = tr->reward;
    if (!tr->terminated)
        target += t->gamma * rl_tabular_max(t, tr->next);
    update(t, tr->state, tr->action, target);
    if (tr->terminated || tr->truncated)
        return 0;
    return behave(c, tr->next, r);
}

#define Q_LEARNING_DOC                                                                      \
    "Q-learning: off-policy TD control, epsilon-greedy or uniform behaviour (Zhao ch.7; S&B 6.5)"

const rl_learner_type rl_q_learning_type = {
    .name = "q_learning",
    .doc = Q_LEARNING_DOC,
    .params = q_learning_params,
    .size = sizeof(td_control),
    .state_actions = true,
    .init = q_learning_init,
    .release = control_release,
    .begin_episode = q_learning_begin,
    .observe = q_learning_observe,
    .end_episode = control_end,
    .values = control_values,
    .action_values = control_action_values,
    .policy = control_policy,
    .behavior_policy = control_behavior_policy,
};


/* ---- n-step Sarsa ---- */

static int n_step_init(void *state, const rl_space *sp, const rl_params *params,
                       const double *given_policy, gsl_rng *r, rl_error *err)
{
    td_control *c = state;
    int rc = control_init(state, sp, params, given_policy, r, err);
    if (rc != RL_OK)
        return rc;
    c->n = (size_t)rl_params_int(params, "n");
    c->slots = c->n + 1;
    c->states = rl_malloc(c->slots * sizeof *c->states);
    c->actions = rl_malloc(c->slots * sizeof *c->actions);
    c->rewards = rl_malloc(c->slots * sizeof *c->rewards);
    c->gamma_pow = rl_malloc(c->slots * sizeof *c->gamma_pow);
    if (!c->states || !c->actions || !c->rewards || !c->gamma_pow) {
        control_release(c);
        return rl_error_set(err, RL_ENOMEM, "out of memory for an n = %zu step buffer", c->n);
    }
    c->gamma_pow[0] = 1.0;
    for (size_t k = 1; k <= c->n; k++)
        c->gamma_pow[k] = c->gamma_pow[k - 1] * c->t.gamma;
    return RL_OK;
}

static inline size_t next_slot(const td_control *c, size_t slot)
{
    return slot + 1 == c->slots ? 0 : slot + 1;
}

/* Updates q(S_tau, A_tau), tau the earliest pending time, towards
 * G = R_{tau+1} + ... + gamma^{count-1} R_{tau+count} [+ gamma^count q(S_{tau+count},
 * A_{tau+count}) when bootstrapping], and moves tau on. With count = n this is S&B's
 * n-step return; at the end of an episode count shrinks to the steps left. */
static void n_step_update(td_control *c, size_t count, bool bootstrap)
{
    size_t i = next_slot(c, c->slot_tau);
    double g = c->rewards[i];
    for (size_t k = 1; k < count; k++) {
        i = next_slot(c, i);
        g += c->gamma_pow[k] * c->rewards[i];
    }
    rl_tabular *t = &c->t;
    if (bootstrap)
        g += c->gamma_pow[count] * t->q[c->states[i] * t->n_actions + c->actions[i]];
    update(t, c->states[c->slot_tau], c->actions[c->slot_tau], g);
    c->tau++;
    c->slot_tau = next_slot(c, c->slot_tau);
}

/* The pending updates of an ended episode: without bootstrapping after a termination;
 * after a truncation (or any other cut) from the last state and the action chosen there. */
static void n_step_flush(td_control *c)
{
    while (c->tau < c->steps)
        n_step_update(c, c->steps - c->tau, !c->terminated);
}

static void n_step_restart(td_control *c)
{
    c->steps = c->tau = 0;
    c->slot_steps = c->slot_tau = 0;
    c->terminated = false;
}

static size_t n_step_begin(void *state, size_t s, gsl_rng *r)
{
    td_control *c = state;
    n_step_restart(c);
    return rl_tabular_select(&c->t, s, r);
}

static size_t n_step_observe(void *state, const rl_transition *tr, gsl_rng *r)
{
    td_control *c = state;
    /* S_t, A_t come from the transition itself, so the buffer is right even for a first
     * action the learner did not choose. */
    c->states[c->slot_steps] = tr->state;
    c->actions[c->slot_steps] = tr->action;
    c->slot_steps = next_slot(c, c->slot_steps);
    c->steps++;
    c->rewards[c->slot_steps] = tr->reward;
    c->states[c->slot_steps] = tr->next;
    c->terminated = tr->terminated;
    size_t next_action = 0;
    if (!tr->terminated) {
        /* Chosen before the updates, as in Sarsa, which n = 1 reproduces exactly. */
        next_action = rl_tabular_select(&c->t, tr->next, r);
        c->actions[c->slot_steps] = next_action;
    }
    if (c->steps - c->tau == c->n)
        n_step_update(c, c->n, !tr->terminated);
    if (tr->terminated || tr->truncated)
        n_step_flush(c);
    return next_action;
}

/* Flushes what observe could not: an episode the runner cut without flagging its last
 * transition (a total-steps budget). */
static int n_step_end(void *state, rl_error *err)
{
    td_control *c = state;
    n_step_flush(c);
    n_step_restart(c);
    return control_end(state, err);
}

#define N_STEP_SARSA_DOC "n-step Sarsa: bootstraps after n rewards (Zhao ch.7; S&B 7.2)"

const rl_learner_type rl_n_step_sarsa_type = {
    .name = "n_step_sarsa",
    .doc = N_STEP_SARSA_DOC,
    .params = n_step_params,
    .size = sizeof(td_control),
    .state_actions = true,
    .init = n_step_init,
    .release = control_release,
    .begin_episode = n_step_begin,
    .observe = n_step_observe,
    .end_episode = n_step_end,
    .values = control_values,
    .action_values = control_action_values,
    .policy = control_policy,
    .behavior_policy = control_behavior_policy,
};


/* ---- double Q-learning ---- */

/* t and t2 are the two estimates, each with its own 1/n counts; sum (q1 + q2, kept up to
 * date entry by entry) carries the behaviour's epsilon and is what it is greedy on. */
static int double_q_init(void *state, const rl_space *sp, const rl_params *params,
                         const double *given_policy, gsl_rng *r, rl_error *err)
{
    td_control *c = state;
    int rc = control_init(state, sp, params, given_policy, r, err);
    if (rc == RL_OK)
        rc = rl_tabular_init(&c->t2, sp, params, err);
    if (rc == RL_OK)
        rc = rl_tabular_init(&c->sum, sp, params, err);
    if (rc != RL_OK) {
        control_release(c);
        return rc;
    }
    for (size_t i = 0; i < sp->n_states * sp->n_actions; i++)
        rl_tabular_write(&c->sum, i / sp->n_actions, i % sp->n_actions, c->t.q[i] + c->t2.q[i]);
    return RL_OK;
}

static size_t double_q_begin(void *state, size_t s, gsl_rng *r)
{
    return rl_tabular_select(&((td_control *)state)->sum, s, r);
}

/* With probability 1/2 each: q1(s, a) moves towards r + gamma q2(s', argmax q1(s', .)), or
 * the same with the tables swapped (S&B 6.7). */
static size_t double_q_observe(void *state, const rl_transition *tr, gsl_rng *r)
{
    td_control *c = state;
    bool first = gsl_rng_uniform(r) < 0.5;
    rl_tabular *learn = first ? &c->t : &c->t2, *judge = first ? &c->t2 : &c->t;
    size_t n = learn->n_actions;
    double target = tr->reward;
    if (!tr->terminated) {
        /* The exact first maximum: the update's own argmax needs no draw, and which of
         * several tied actions it picks does not bias the other table's estimate. */
        size_t best = rl_tabular_argmax_first(learn, tr->next);
        target += learn->gamma * judge->q[tr->next * n + best];
    }
    update(learn, tr->state, tr->action, target);
    size_t sa = tr->state * n + tr->action;
    rl_tabular_write(&c->sum, tr->state, tr->action, c->t.q[sa] + c->t2.q[sa]);
    if (tr->terminated || tr->truncated)
        return 0;
    return rl_tabular_select(&c->sum, tr->next, r);
}

static int double_q_end(void *state, rl_error *err)
{
    td_control *c = state;
    rl_tabular_end_episode(&c->t2);
    rl_tabular_end_episode(&c->sum);
    return control_end(state, err);
}

/* Read-outs from the mean (q1 + q2) / 2; halving is exact, so max and ties follow sum. */
static void double_q_values(const void *state, double *v)
{
    const td_control *c = state;
    rl_tabular_values(&c->sum, v);
    for (size_t s = 0; s < c->sum.n_states; s++)
        v[s] *= 0.5;
}

static void double_q_action_values(const void *state, double *q)
{
    const td_control *c = state;
    for (size_t i = 0; i < c->sum.n_states * c->sum.n_actions; i++)
        q[i] = 0.5 * c->sum.q[i];
}

static void double_q_policy(const void *state, double *pi)
{
    rl_tabular_policy(&((const td_control *)state)->sum, pi);
}

/* Epsilon-greedy on q1 + q2, as double_q_begin and double_q_observe act. */
static void double_q_behavior_policy(const void *state, double *pi)
{
    const td_control *c = state;
    rl_tabular_behavior_policy(&c->sum, c->sum.explore.epsilon, pi);
}

#define DOUBLE_Q_DOC                                                                        \
    "double Q-learning: two tables, each evaluates the other's greedy action (S&B 6.7)"

const rl_learner_type rl_double_q_learning_type = {
    .name = "double_q_learning",
    .doc = DOUBLE_Q_DOC,
    .params = sarsa_params,
    .size = sizeof(td_control),
    .state_actions = true,
    .init = double_q_init,
    .release = control_release,
    .begin_episode = double_q_begin,
    .observe = double_q_observe,
    .end_episode = double_q_end,
    .values = double_q_values,
    .action_values = double_q_action_values,
    .policy = double_q_policy,
    .behavior_policy = double_q_behavior_policy,
};


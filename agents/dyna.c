/* Tabular Dyna-Q and Dyna-Q+ (Sutton & Barto 8.2 and 8.3; dyna.h lists the draws).
 *
 * The model is the book's deterministic one: for each (s, a) tried, the last reward and next
 * state observed (and whether the transition ended the episode, so a replayed terminal
 * transition does not bootstrap). On a stochastic env it is the last outcome seen, as in the
 * book's box. Planning replays (s, a) drawn as the book's box draws them: a state uniformly
 * among those visited, then an action uniformly among those in the model for that state.
 *
 * Dyna-Q+ adds kappa sqrt(tau) to the reward of a replayed transition, tau the number of real
 * steps since (s, a) was last tried, and follows the book's footnote: when a state is first
 * visited, every action of it enters the model, the untried ones as leading back to the same
 * state with reward 0 and tried "at step 0" (the start of the run), so tau counts all steps.
 *
 * Steps are counted per real transition over the whole run (the learner lives as long as the
 * run). Everything is allocated at init: a step allocates nothing. The q table, step sizes,
 * exploration and read-outs are agents/tabular.h's, so states with their own action sets
 * (space->allowed) are honoured by choice and by planning alike.
 */
#include "agents/dyna.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agents/tabular.h"
#include "rl/alloc.h"

typedef struct dyna {
    rl_tabular t;
    size_t n_actions;
    size_t planning_steps;
    bool plus;    /* Dyna-Q+: the bonus, and untried actions of visited states in planning */
    double kappa; /* Dyna-Q+'s bonus weight */
    /* The learned model per (s, a), valid where in_model is set. */
    double *reward;
    uint32_t *next;
    uint8_t *terminated;
    uint8_t *in_model;
    uint64_t *last_tried; /* Dyna-Q+: the real step (s, a) was last tried at; 0: never */
    /* What planning draws from: visited states in order of first visit, and per state the
     * actions in the model in order of entry, entered[s * n_actions + i], i < n_entered[s]. */
    uint32_t *visited;
    size_t n_visited;
    uint8_t *entered, *n_entered;
    uint64_t time; /* real transitions observed so far */
} dyna;

static const rl_param_spec dyna_q_params[] = {
    RL_GAMMA_PARAM,
    RL_ALPHA_PARAMS,
    RL_EPSILON_PARAMS,
    RL_TABULAR_Q0_PARAM,
    {"planning_steps", RL_PARAM_INT, "5", 0, 1e6, 0, NULL,
     "model updates after each real step (S&B's n; 0: Q-learning)"},
    RL_END_PARAM,
};

static const rl_param_spec dyna_q_plus_params[] = {
    RL_GAMMA_PARAM,
    RL_ALPHA_PARAMS,
    RL_EPSILON_PARAMS,
    RL_TABULAR_Q0_PARAM,
    {"planning_steps", RL_PARAM_INT, "5", 0, 1e6, 0, NULL,
     "model updates after each real step (S&B's n)"},
    {"kappa", RL_PARAM_DOUBLE, "0.001", 0, HUGE_VAL, 0, NULL,
     "exploration bonus kappa sqrt(tau) on replayed rewards, tau: steps since last tried"},
    RL_END_PARAM,
};

static void dyna_release(void *state)
{
    dyna *d = state;
    rl_tabular_release(&d->t);
    rl_free(d->reward);
    rl_free(d->next);
    rl_free(d->terminated);
    rl_free(d->in_model);
    rl_free(d->last_tried);
    rl_free(d->visited);
    rl_free(d->entered);
    rl_free(d->n_entered);
    memset(d, 0, sizeof *d);
}

static int dyna_init_common(dyna *d, const rl_space *sp, const rl_params *params, bool plus,
                            rl_error *err)
{
    memset(d, 0, sizeof *d);
    int rc = rl_tabular_init(&d->t, sp, params, err);
    if (rc != RL_OK)
        return rc;
    size_t n_sa = sp->n_states * sp->n_actions;
    d->n_actions = sp->n_actions;
    d->plus = plus;
    d->planning_steps = (size_t)rl_params_int(params, "planning_steps");
    d->kappa = plus ? rl_params_double(params, "kappa") : 0.0;
    d->reward = rl_calloc(n_sa, sizeof *d->reward);
    d->next = rl_calloc(n_sa, sizeof *d->next);
    d->terminated = rl_calloc(n_sa, 1);
    d->in_model = rl_calloc(n_sa, 1);
    d->last_tried = plus ? rl_calloc(n_sa, sizeof *d->last_tried) : NULL;
    d->visited = rl_malloc(sp->n_states * sizeof *d->visited);
    d->entered = rl_malloc(n_sa);
    d->n_entered = rl_calloc(sp->n_states, 1);
    if (!d->reward || !d->next || !d->terminated || !d->in_model || (plus && !d->last_tried) ||
        !d->visited || !d->entered || !d->n_entered) {
        dyna_release(d);
        return rl_error_set(err, RL_ENOMEM, "out of memory for the model of %zu x %zu pairs",
                            sp->n_states, sp->n_actions);
    }
    return RL_OK;
}

static int dyna_q_init(void *state, const rl_space *sp, const rl_params *params,
                       const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)given_policy;
    (void)r;
    return dyna_init_common(state, sp, params, false, err);
}

static int dyna_q_plus_init(void *state, const rl_space *sp, const rl_params *params,
                            const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)given_policy;
    (void)r;
    return dyna_init_common(state, sp, params, true, err);
}

/* Puts (s, a) in the model with what it leads to, entering it in s's list if new. */
static void remember(dyna *d, size_t s, size_t a, double reward, size_t next, bool terminated)
{
    size_t sa = s * d->n_actions + a;
    if (!d->in_model[sa]) {
        d->in_model[sa] = 1;
        d->entered[s * d->n_actions + d->n_entered[s]++] = (uint8_t)a;
    }
    d->reward[sa] = reward;
    d->next[sa] = (uint32_t)next;
    d->terminated[sa] = terminated;
}

/* A state acted in for the first time joins the states planning draws from; for Dyna-Q+
 * every action it has enters the model, as leading back to s with reward 0 (S&B's footnote
 * to Dyna-Q+), the tried one being overwritten by the caller. */
static void visit(dyna *d, size_t s)
{
    if (d->n_entered[s])
        return;
    d->visited[d->n_visited++] = (uint32_t)s;
    if (!d->plus)
        return;
    if (d->t.own) {
        for (size_t i = 0; i < d->t.n_own[s]; i++)
            remember(d, s, d->t.own[s * d->n_actions + i], 0.0, s, false);
    } else {
        for (size_t a = 0; a < d->n_actions; a++)
            remember(d, s, a, 0.0, s, false);
    }
}

/* q(s, a) += step (target - q(s, a)), target = reward + gamma max_a' q(next, a') unless the
 * transition ended the episode. */
static void q_update(rl_tabular *t, size_t s, size_t a, double reward, size_t next,
                     bool terminated)
{
    double target = reward;
    if (!terminated)
        target += t->gamma * rl_tabular_max(t, next);
    double q = t->q[s * t->n_actions + a];
    rl_tabular_write(t, s, a, q + rl_tabular_step_size(t, s, a) * (target - q));
}

/* One planning step: a visited state and one of its actions in the model, two draws. */
static void plan_once(dyna *d, gsl_rng *r)
{
    size_t i = (size_t)(gsl_rng_uniform(r) * (double)d->n_visited);
    size_t s = d->visited[i < d->n_visited ? i : d->n_visited - 1];
    size_t k = d->n_entered[s];
    size_t j = (size_t)(gsl_rng_uniform(r) * (double)k);
    size_t a = d->entered[s * d->n_actions + (j < k ? j : k - 1)];
    size_t sa = s * d->n_actions + a;
    double reward = d->reward[sa];
    if (d->plus)
        reward += d->kappa * sqrt((double)(d->time - d->last_tried[sa]));
    q_update(&d->t, s, a, reward, d->next[sa], d->terminated[sa]);
}

static size_t dyna_begin(void *state, size_t s, gsl_rng *r)
{
    return rl_tabular_select(&((dyna *)state)->t, s, r);
}

/* S&B's box, steps (d)-(f): the direct update, the model update, n planning updates; then
 * the next action from the updated values. */
static size_t dyna_observe(void *state, const rl_transition *tr, gsl_rng *r)
{
    dyna *d = state;
    d->time++;
    q_update(&d->t, tr->state, tr->action, tr->reward, tr->next, tr->terminated);
    visit(d, tr->state);
    remember(d, tr->state, tr->action, tr->reward, tr->next, tr->terminated);
    if (d->plus)
        d->last_tried[tr->state * d->n_actions + tr->action] = d->time;
    for (size_t k = 0; k < d->planning_steps; k++)
        plan_once(d, r);
    if (tr->terminated || tr->truncated)
        return 0;
    return rl_tabular_select(&d->t, tr->next, r);
}

static int dyna_end(void *state, rl_error *err)
{
    (void)err;
    rl_tabular_end_episode(&((dyna *)state)->t);
    return RL_CONTINUE;
}

static void dyna_values(const void *state, double *v)
{
    rl_tabular_values(&((const dyna *)state)->t, v);
}

static void dyna_action_values(const void *state, double *q)
{
    rl_tabular_action_values(&((const dyna *)state)->t, q);
}

static void dyna_policy(const void *state, double *pi)
{
    rl_tabular_policy(&((const dyna *)state)->t, pi);
}

/* The real steps' epsilon-greedy policy at the current epsilon (planning does not act). */
static void dyna_behavior_policy(const void *state, double *pi)
{
    const rl_tabular *t = &((const dyna *)state)->t;
    rl_tabular_behavior_policy(t, t->explore.epsilon, pi);
}

const rl_learner_type rl_dyna_q_type = {
    .name = "dyna_q",
    .doc = "tabular Dyna-Q: Q-learning plus planning_steps replays of a learned model (S&B 8.2)",
    .params = dyna_q_params,
    .size = sizeof(dyna),
    .state_actions = true,
    .init = dyna_q_init,
    .release = dyna_release,
    .begin_episode = dyna_begin,
    .observe = dyna_observe,
    .end_episode = dyna_end,
    .values = dyna_values,
    .action_values = dyna_action_values,
    .policy = dyna_policy,
    .behavior_policy = dyna_behavior_policy,
};

const rl_learner_type rl_dyna_q_plus_type = {
    .name = "dyna_q_plus",
    .doc = "Dyna-Q+: Dyna-Q with a bonus kappa sqrt(tau) for long-untried pairs (S&B 8.3)",
    .params = dyna_q_plus_params,
    .size = sizeof(dyna),
    .state_actions = true,
    .init = dyna_q_plus_init,
    .release = dyna_release,
    .begin_episode = dyna_begin,
    .observe = dyna_observe,
    .end_episode = dyna_end,
    .values = dyna_values,
    .action_values = dyna_action_values,
    .policy = dyna_policy,
    .behavior_policy = dyna_behavior_policy,
};

/* The random agent: uniform actions, learns nothing. It exercises the episode loop and is the
 * baseline every learning curve should beat. It has no values (value_rmse stays empty).
 * Its one draw per decision is gsl_rng_uniform_int(r, n_actions). */
#include "agents/random.h"

#include <math.h>

#include "rl/policy.h"

typedef struct random_agent {
    size_t n_states, n_actions;
} random_agent;

static const rl_param_spec random_params[] = {
    {"gamma", RL_PARAM_DOUBLE, "1", 0, 1, 0, NULL,
     "discount of the reported discounted return"},
    {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
};

static int random_init(void *state, const rl_space *sp, const rl_params *params,
                       const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)params;
    (void)given_policy;
    (void)r;
    (void)err;
    random_agent *agent = state;
    agent->n_states = sp->n_states;
    agent->n_actions = sp->n_actions;
    return RL_OK;
}

static size_t random_action(void *state, gsl_rng *r)
{
    return gsl_rng_uniform_int(r, ((random_agent *)state)->n_actions);
}

static size_t random_begin(void *state, size_t s, gsl_rng *r)
{
    (void)s;
    return random_action(state, r);
}

static size_t random_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    (void)t;
    return random_action(state, r);
}

static int random_end(void *state, rl_error *err)
{
    (void)state;
    (void)err;
    return RL_CONTINUE;
}

static void random_policy(const void *state, double *pi)
{
    const random_agent *agent = state;
    rl_policy_uniform(agent->n_states, agent->n_actions, pi);
}

const rl_learner_type rl_random_type = {
    .name = "random",
    .doc = "uniformly random actions; learns nothing (a baseline)",
    .params = random_params,
    .size = sizeof(random_agent),
    .init = random_init,
    .begin_episode = random_begin,
    .observe = random_observe,
    .end_episode = random_end,
    .policy = random_policy,
};


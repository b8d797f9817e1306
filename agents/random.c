/* The random agent: uniform actions, learns nothing. It exercises the episode loop and is the
 * baseline every learning curve should beat. It has no values (value_rmse stays empty). */
#include "agents/random.h"

#include <math.h>

typedef struct random_agent {
    size_t n_states, n_actions;
} random_agent;

static const rl_param_spec random_params[] = {
    {"gamma", RL_PARAM_DOUBLE, "1", 0, 1, 0, NULL,
     "discount of the reported discounted return"},
    {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
};

static int random_init(void *state, const rl_mdp *m, const rl_params *params,
                       const double *given_policy, rl_error *err)
{
    (void)params;
    (void)given_policy;
    (void)err;
    random_agent *agent = state;
    agent->n_states = m->n_states;
    agent->n_actions = m->n_actions;
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
    for (size_t i = 0; i < agent->n_states * agent->n_actions; i++)
        pi[i] = 1.0 / (double)agent->n_actions;
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

const rl_agent_info rl_random_info = {
    .name = "random",
    .doc = "uniformly random actions; learns nothing (a baseline)",
    .kind = RL_AGENT_LEARNER,
    .params = random_params,
    .learner = &rl_random_type,
};

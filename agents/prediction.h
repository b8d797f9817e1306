/* What the tabular prediction learners share (td0 and n_step_td in td.c, mc_prediction in
 * mc.c, td_lambda and true_online_td in traces.c): the state values, the policy they
 * evaluate (the runner's given policy, checked, or uniform), the step size (constant or 1/n
 * per state where the table has alpha_schedule, agents/schedule.h), gamma, and the
 * read-outs. Control learners share agents/tabular.h instead.
 *
 * Each takes one uniform draw per decision, inverted through the cumulative policy row
 * (rl_prediction_draw), and none for a decision that will not be used.
 */
#ifndef GRIDRL_AGENTS_PREDICTION_H
#define GRIDRL_AGENTS_PREDICTION_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "agents/explore.h"
#include "agents/schedule.h"
#include "rl/error.h"
#include "rl/param.h"
#include "rl/space.h"

#define RL_PREDICTION_V0_PARAM                                                              \
    {"v0", RL_PARAM_DOUBLE, "0", -HUGE_VAL, HUGE_VAL, 0, NULL, "initial state value"}

typedef struct rl_prediction {
    size_t n_states, n_actions;
    double *v;         /* n_states; v0 on decision states, 0 on walls and terminal states */
    double *pi;        /* n_states * n_actions: the policy evaluated */
    rl_step_size step; /* counters per state */
    double gamma;      /* 1 when the table has no gamma */
} rl_prediction;

/* Reads gamma, alpha, alpha_schedule and v0 where params' table has them; given_policy
 * (n_states * n_actions, copied) or NULL for uniform. On failure leaves nothing to
 * release. */
int rl_prediction_init(rl_prediction *p, const rl_space *space, const rl_params *params,
                       const double *given_policy, rl_error *err);
void rl_prediction_release(rl_prediction *p);

/* An action from pi(.|s) with one draw. */
static inline size_t rl_prediction_draw(const rl_prediction *p, size_t s, gsl_rng *r)
{
    return rl_explore_sample(p->pi + s * p->n_actions, p->n_actions, r);
}

/* Read-outs, copies: v (n_states), pi (n_states * n_actions). */
void rl_prediction_values(const rl_prediction *p, double *v);
void rl_prediction_policy(const rl_prediction *p, double *pi);

#endif

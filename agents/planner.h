/* The planner interface: dynamic-programming agents that read the exact model.
 *
 * GSL's iterate pattern: `init` sets the planner on a model (allocating all it will need),
 * `iterate` runs one sweep and returns RL_CONTINUE until converged (then RL_OK), and the
 * caller (the runner) owns the loop. Read-outs give state values, action values and the
 * greedy policy as probabilities; ties go to the first best action in action order.
 */
#ifndef GRIDRL_AGENTS_PLANNER_H
#define GRIDRL_AGENTS_PLANNER_H

#include <stddef.h>

#include "rl/error.h"
#include "rl/mdp.h"
#include "rl/param.h"

/* What one sweep did, for iterations.csv. */
typedef struct rl_sweep_report {
    double delta;          /* max-norm change of the values in this sweep */
    size_t policy_changes; /* states whose greedy action changed (0 where not tracked) */
} rl_sweep_report;

typedef struct rl_planner_type {
    const char *name;
    const char *doc;
    const rl_param_spec *params;
    size_t size; /* of the private state */
    /* Sets the planner on model m (not owned; must outlive the planner). given_policy is the
     * policy a prediction planner evaluates (n_states * n_actions probabilities, copied;
     * NULL: uniform); control planners ignore it. */
    int (*init)(void *state, const rl_mdp *m, const rl_params *params,
                const double *given_policy, rl_error *err);
    void (*release)(void *state);
    /* One iteration: RL_CONTINUE, RL_OK when converged, RL_EDIVERGED, or another error. */
    int (*iterate)(void *state, rl_sweep_report *report, rl_error *err);
    const double *(*values)(const void *state); /* n_states */
    /* q(s, a) into q (n_states * n_actions); NULL if the planner has none. */
    void (*action_values)(const void *state, double *q);
    /* pi(a|s) into pi (n_states * n_actions). */
    void (*policy)(const void *state, double *pi);
} rl_planner_type;

typedef struct rl_planner {
    const rl_planner_type *type;
    void *state;
} rl_planner;

rl_planner *rl_planner_alloc(const rl_planner_type *type, const rl_mdp *m,
                             const rl_params *params, const double *given_policy,
                             rl_error *err);
void rl_planner_free(rl_planner *p);

static inline int rl_planner_iterate(rl_planner *p, rl_sweep_report *report, rl_error *err)
{
    return p->type->iterate(p->state, report, err);
}

static inline const double *rl_planner_values(const rl_planner *p)
{
    return p->type->values(p->state);
}

#endif

/* The planner interface: dynamic-programming agents that read the exact model.
 *
 * GSL's iterate pattern: `init` sets the planner on a model (allocating all it will need),
 * `iterate` runs one sweep and returns RL_CONTINUE until converged (then RL_OK), and the
 * caller (the runner) owns the loop. Read-outs give state values, action values and the
 * greedy policy as probabilities; ties go to the first best action in action order.
 *
 * Hooks. Required: init, iterate, values, policy. Optional (NULL): release, action_values.
 * Every hook is called through the dispatchers below, never as p->type->hook(...).
 * Read-outs copy into the caller's buffer.
 */
#ifndef GRIDRL_AGENTS_PLANNER_H
#define GRIDRL_AGENTS_PLANNER_H

#include <stdbool.h>
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
    size_t size;     /* of the private state */
    bool prediction; /* evaluates a given policy (ground truth v_pi), else finds v* */

    /* Sets the planner on model m (not owned; must outlive the planner). given_policy is the
     * policy a prediction planner evaluates (n_states * n_actions probabilities, copied;
     * NULL: uniform); control planners ignore it. On failure leaves nothing to release. */
    int (*init)(void *state, const rl_mdp *m, const rl_params *params,
                const double *given_policy, rl_error *err);
    void (*release)(void *state);
    /* One iteration: RL_CONTINUE, RL_OK when converged, RL_STOPPED at its iteration limit,
     * RL_EDIVERGED, or another error. */
    int (*iterate)(void *state, rl_sweep_report *report, rl_error *err);
    void (*values)(const void *state, double *v);        /* n_states */
    void (*action_values)(const void *state, double *q); /* n_states * n_actions */
    void (*policy)(const void *state, double *pi);       /* n_states * n_actions */
} rl_planner_type;

typedef struct rl_planner {
    const rl_planner_type *type;
    void *state;
} rl_planner;

/* Allocates a planner of type on m into *out; on failure *out is NULL and nothing is left
 * allocated. */
int rl_planner_alloc(const rl_planner_type *type, const rl_mdp *m, const rl_params *params,
                     const double *given_policy, rl_planner **out, rl_error *err);
void rl_planner_free(rl_planner *p);

/* ---- dispatchers ---- */

static inline const char *rl_planner_name(const rl_planner *p) { return p->type->name; }

static inline int rl_planner_iterate(rl_planner *p, rl_sweep_report *report, rl_error *err)
{
    return p->type->iterate(p->state, report, err);
}

static inline void rl_planner_values(const rl_planner *p, double *v)
{
    p->type->values(p->state, v);
}

/* Action values into q; false, and q untouched, for a planner without them. */
bool rl_planner_action_values(const rl_planner *p, double *q);

static inline void rl_planner_policy(const rl_planner *p, double *pi)
{
    p->type->policy(p->state, pi);
}

#endif

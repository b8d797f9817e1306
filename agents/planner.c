/* Generic planner dispatch: see planner.h. */
#include "agents/planner.h"

#include <stdlib.h>

#include "rl/alloc.h"

int rl_planner_alloc(const rl_planner_type *type, const rl_mdp *m, const rl_params *params,
                     const double *given_policy, rl_planner **out, rl_error *err)
{
    *out = NULL;
    rl_planner *p = rl_calloc(1, sizeof *p);
    void *state = rl_calloc(1, type->size ? type->size : 1);
    if (!p || !state) {
        rl_free(p);
        rl_free(state);
        return rl_error_set(err, RL_ENOMEM, "out of memory allocating %s", type->name);
    }
    int rc = type->init(state, m, params, given_policy, err);
    if (rc != RL_OK) {
        rl_free(state);
        rl_free(p);
        return rc;
    }
    p->type = type;
    p->state = state;
    *out = p;
    return RL_OK;
}

void rl_planner_free(rl_planner *p)
{
    if (!p)
        return;
    if (p->type->release)
        p->type->release(p->state);
    rl_free(p->state);
    rl_free(p);
}

bool rl_planner_action_values(const rl_planner *p, double *q)
{
    if (!p->type->action_values)
        return false;
    p->type->action_values(p->state, q);
    return true;
}

/* Generic planner dispatch: see planner.h. */
#include "agents/planner.h"

#include <stdlib.h>

rl_planner *rl_planner_alloc(const rl_planner_type *type, const rl_mdp *m,
                             const rl_params *params, const double *given_policy,
                             rl_error *err)
{
    rl_planner *p = calloc(1, sizeof *p);
    void *state = calloc(1, type->size);
    if (!p || !state) {
        free(p);
        free(state);
        rl_error_set(err, RL_ENOMEM, "out of memory allocating %s", type->name);
        return NULL;
    }
    if (type->init(state, m, params, given_policy, err) != RL_OK) {
        free(state);
        free(p);
        return NULL;
    }
    p->type = type;
    p->state = state;
    return p;
}

void rl_planner_free(rl_planner *p)
{
    if (!p)
        return;
    p->type->release(p->state);
    free(p->state);
    free(p);
}

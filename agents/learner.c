/* Generic learner dispatch: see learner.h. */
#include "agents/learner.h"

#include <stdlib.h>

rl_learner *rl_learner_alloc(const rl_learner_type *type, const rl_mdp *m,
                             const rl_params *params, const double *given_policy,
                             rl_error *err)
{
    rl_learner *l = calloc(1, sizeof *l);
    void *state = calloc(1, type->size ? type->size : 1);
    if (!l || !state) {
        free(l);
        free(state);
        rl_error_set(err, RL_ENOMEM, "out of memory allocating %s", type->name);
        return NULL;
    }
    if (type->init(state, m, params, given_policy, err) != RL_OK) {
        free(state);
        free(l);
        return NULL;
    }
    l->type = type;
    l->state = state;
    return l;
}

void rl_learner_free(rl_learner *l)
{
    if (!l)
        return;
    if (l->type->release)
        l->type->release(l->state);
    free(l->state);
    free(l);
}

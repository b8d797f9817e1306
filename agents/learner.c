/* Generic learner dispatch: see learner.h. */
#include "agents/learner.h"

#include <stdlib.h>

#include "rl/alloc.h"

int rl_learner_alloc(const rl_learner_type *type, const rl_space *space,
                     const rl_params *params, const double *given_policy, gsl_rng *r,
                     rl_learner **out, rl_error *err)
{
    *out = NULL;
    rl_learner *l = rl_calloc(1, sizeof *l);
    void *state = rl_calloc(1, type->size ? type->size : 1);
    if (!l || !state) {
        rl_free(l);
        rl_free(state);
        return rl_error_set(err, RL_ENOMEM, "out of memory allocating %s", type->name);
    }
    int rc = type->init(state, space, params, given_policy, r, err);
    if (rc != RL_OK) {
        rl_free(state);
        rl_free(l);
        return rc;
    }
    l->type = type;
    l->state = state;
    *out = l;
    return RL_OK;
}

void rl_learner_free(rl_learner *l)
{
    if (!l)
        return;
    if (l->type->release)
        l->type->release(l->state);
    rl_free(l->state);
    rl_free(l);
}

int rl_learner_update(rl_learner *l, gsl_rng *r, rl_update_report *report, rl_error *err)
{
    if (!l->type->update)
        return RL_OK;
    return l->type->update(l->state, r, report, err);
}

bool rl_learner_values(const rl_learner *l, double *v)
{
    if (!l->type->values)
        return false;
    l->type->values(l->state, v);
    return true;
}

bool rl_learner_action_values(const rl_learner *l, double *q)
{
    if (!l->type->action_values)
        return false;
    l->type->action_values(l->state, q);
    return true;
}

bool rl_learner_behavior_policy(const rl_learner *l, double *pi)
{
    if (!l->type->behavior_policy)
        return false;
    l->type->behavior_policy(l->state, pi);
    return true;
}

void rl_learner_policy(const rl_learner *l, double *pi)
{
    l->type->policy(l->state, pi);
}

const double *rl_learner_weights(const rl_learner *l, size_t *n)
{
    *n = 0;
    return l->type->weights ? l->type->weights(l->state, n) : NULL;
}

void rl_learner_weight_label(const rl_learner *l, size_t i, char *buf, size_t size)
{
    size_t n = 0;
    if (size)
        buf[0] = '\0';
    if (l->type->weights && l->type->weight_label && l->type->weights(l->state, &n) && i < n)
        l->type->weight_label(l->state, i, buf, size);
}

/* The explicit-MDP env (see mdp_env.h).
 *
 * The space is one row of the file's states (s = col, in the order of their `state` lines);
 * cells are 'S' for a start state, 'G' for a terminal one, '.' otherwise. Where states have
 * their own action sets the space lists them (space->allowed), and an action a state lacks
 * acts as its first action, as in the compiled model. `count` lines become space->marked.
 *
 * Randomness: reset takes one uniform draw when there are several start states (the first
 * whose cumulative weight exceeds it); a step takes one uniform draw when the action has
 * several outcomes (the same rule over the file's outcomes in order), then for the reward
 * one gsl_ran_gaussian call for normal(m, sd) with sd > 0 (GSL's polar Box-Muller: a
 * variable number of uniform draws), one uniform draw for uniform(lo, hi) with lo < hi, and
 * none for a constant.
 */
#include "envs/mdp_env.h"

#include <gsl/gsl_randist.h>
#include <string.h>

#include "envs/mdp_file.h"
#include "rl/alloc.h"

const rl_param_spec rl_mdp_env_params[] = {
    {"file", RL_PARAM_STRING, NULL, 0, 0, RL_PARAM_NO_SWEEP, NULL,
     "path of an MDP file, relative to the config file (README.md, \"Writing an MDP file\")"},
    {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
};

typedef struct mdp_env {
    rl_mdp_file *file;
    rl_mdp *model;
    rl_space space;
    uint8_t *allowed;  /* NULL unless states have their own action sets */
    uint8_t *own;      /* per state: its first action, for those it lacks */
    size_t *starts;
    double *start_cdf;
    size_t n_starts;
    size_t current;
} mdp_env;

static void mdp_release(void *state)
{
    mdp_env *e = state;
    rl_mdp_file_free(e->file);
    rl_mdp_free(e->model);
    rl_free(e->allowed);
    rl_free(e->own);
    rl_free(e->starts);
    rl_free(e->start_cdf);
}

static int mdp_init(void *state, const rl_params *params, rl_error *err)
{
    mdp_env *e = state;
    memset(e, 0, sizeof *e);
    if (!rl_params_has(params, "file") || !rl_params_string(params, "file")[0]) {
        rl_error_set(err, RL_EINVAL, "env type mdp needs file: the path of an MDP file");
        return rl_error_locate(err, RL_EINVAL, NULL, 0, 0, "file");
    }
    int rc = rl_mdp_file_load(rl_params_string(params, "file"), &e->file, err);
    if (rc == RL_OK)
        rc = rl_mdp_file_compile(e->file, &e->model, err);
    if (rc != RL_OK) {
        mdp_release(e);
        return rc;
    }
    const rl_mdp_file *f = e->file;
    size_t n_sa = f->n_states * f->n_actions;
    e->space = rl_mdp_space(e->model);
    e->own = rl_malloc(f->n_states);
    e->starts = rl_malloc(f->n_states * sizeof *e->starts);
    e->start_cdf = rl_malloc(f->n_states * sizeof *e->start_cdf);
    e->allowed = f->own_actions ? rl_malloc(n_sa) : NULL;
    if (!e->own || !e->starts || !e->start_cdf || (f->own_actions && !e->allowed)) {
        mdp_release(e);
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    }
    double sum = 0.0;
    for (size_t s = 0; s < f->n_states; s++) {
        e->own[s] = 0;
        while (e->own[s] + 1u < f->n_actions && !rl_mdp_file_has(f, s, e->own[s]))
            e->own[s]++;
        for (size_t a = 0; e->allowed && a < f->n_actions; a++)
            e->allowed[s * f->n_actions + a] = !f->terminal[s] && rl_mdp_file_has(f, s, a);
        if (f->start[s] > 0) {
            sum += f->start[s];
            e->starts[e->n_starts] = s;
            e->start_cdf[e->n_starts++] = sum;
        }
    }
    e->space.allowed = e->allowed;
    e->space.marked = f->n_marked ? f->marked : NULL;
    e->current = e->starts[0];
    return RL_OK;
}

static size_t mdp_reset(void *state, gsl_rng *r)
{
    mdp_env *e = state;
    size_t k = 0;
    if (e->n_starts > 1) {
        double u = gsl_rng_uniform(r) * e->start_cdf[e->n_starts - 1];
        while (k + 1 < e->n_starts && u >= e->start_cdf[k])
            k++;
    }
    e->current = e->starts[k];
    return e->current;
}

static double sample_reward(const rl_reward_dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case RL_REWARD_NORMAL: return d->b > 0 ? d->a + gsl_ran_gaussian(r, d->b) : d->a;
    case RL_REWARD_UNIFORM: return d->a < d->b ? d->a + (d->b - d->a) * gsl_rng_uniform(r) : d->a;
    default: return d->a;
    }
}

static rl_step mdp_step(void *state, size_t action, gsl_rng *r)
{
    mdp_env *e = state;
    const rl_mdp_file *f = e->file;
    size_t s = e->current;
    if (f->terminal[s]) /* never acted in: the model's self-loop */
        return (rl_step){s, 0.0, true};
    if (!rl_mdp_file_has(f, s, action))
        action = e->own[s];
    size_t sa = s * f->n_actions + action;
    uint32_t k = f->first[sa], last = f->first[sa + 1] - 1;
    if (k < last) {
        double u = gsl_rng_uniform(r);
        for (; k < last; k++) {
            u -= f->outcomes[k].probability;
            if (u < 0.0)
                break;
        }
    }
    const rl_mdp_file_outcome *o = &f->outcomes[k];
    e->current = o->next;
    return (rl_step){o->next, sample_reward(&o->reward, r), f->terminal[o->next] != 0};
}

static int mdp_reset_to(void *state, size_t s, rl_error *err)
{
    mdp_env *e = state;
    if (s >= e->file->n_states)
        return rl_error_set(err, RL_ERANGE, "state %zu is outside the model (%zu states)", s,
                            e->file->n_states);
    if (e->file->terminal[s])
        return rl_error_set(err, RL_EINVAL, "state %s is terminal: episodes start where the "
                                            "agent acts",
                            e->file->state_names[s]);
    e->current = s;
    return RL_OK;
}

static const rl_mdp *mdp_model(const void *state)
{
    return ((const mdp_env *)state)->model;
}

static const rl_space *mdp_space(const void *state)
{
    return &((const mdp_env *)state)->space;
}

const rl_env_type rl_mdp_env_type = {
    .name = "mdp",
    .doc = "an explicit MDP from a file: named states and actions, outcome probabilities, "
           "reward distributions",
    .params = rl_mdp_env_params,
    .size = sizeof(mdp_env),
    .init = mdp_init,
    .release = mdp_release,
    .space = mdp_space,
    .reset = mdp_reset,
    .step = mdp_step,
    .reset_to = mdp_reset_to,
    .model = mdp_model,
};

/* The plan's ground truths, each computed once: see truth_cache.h. */
#include "experiments/runner/truth_cache.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "experiments/runner/truth.h"
#include "rl/alloc.h"

typedef enum { EMPTY, COMPUTING, DONE } entry_state;

typedef struct entry {
    entry_state state;
    int rc;        /* of the computation */
    rl_error err;  /* its error, when rc is not RL_OK */
    double *values;
    size_t n;
} entry;

struct rl_truth_cache {
    const rl_plan *p;
    size_t *class_of; /* per configuration: the index of the first one with the same truth */
    size_t classes;
    entry *entries; /* per configuration; only a class's first is used */
    pthread_mutex_t lock;
    pthread_cond_t changed;
};

static bool same_text(const rl_params *a, const rl_params *b, const char *key)
{
    bool in_a = rl_param_find(rl_params_table(a), key) != NULL;
    bool in_b = rl_param_find(rl_params_table(b), key) != NULL;
    if (in_a != in_b)
        return false;
    return !in_a || strcmp(rl_params_text(a, key), rl_params_text(b, key)) == 0;
}

/* Whether configurations a and b are measured against the same values. */
static bool same_truth(const rl_plan *p, size_t a, size_t b)
{
    const rl_configuration *x = &p->configurations[a], *y = &p->configurations[b];
    if (rl_params_table(x->env) != rl_params_table(y->env))
        return false;
    for (const rl_param_spec *s = rl_params_table(x->env); s->name; s++)
        if (!same_text(x->env, y->env, s->name))
            return false;
    if (rl_agent_is_prediction(x->agent) != rl_agent_is_prediction(y->agent) ||
        rl_run_gamma(x) != rl_run_gamma(y) ||
        rl_run_truth_epsilon(p, x) != rl_run_truth_epsilon(p, y))
        return false;
    static const char *const POLICY_KEYS[] = {"policy", "policy_file", "values_file"};
    for (size_t i = 0; rl_agent_is_prediction(x->agent) && i < 3; i++)
        if (!same_text(x->agent_params, y->agent_params, POLICY_KEYS[i]))
            return false;
    return true;
}

int rl_truth_cache_alloc(const rl_plan *p, rl_truth_cache **out, rl_error *err)
{
    *out = NULL;
    rl_truth_cache *c = rl_calloc(1, sizeof *c);
    size_t n = p->n_configurations;
    if (c) {
        c->class_of = rl_calloc(n, sizeof *c->class_of);
        c->entries = rl_calloc(n, sizeof *c->entries);
    }
    if (!c || !c->class_of || !c->entries) {
        if (c) {
            rl_free(c->class_of);
            rl_free(c->entries);
        }
        rl_free(c);
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    }
    c->p = p;
    /* Quadratic in the configurations in the worst case, once per plan (at most 100,000,
     * and sweeps rarely hold more than a few distinct envs). */
    for (size_t k = 0; k < n; k++) {
        c->class_of[k] = k;
        for (size_t j = 0; j < k; j++)
            if (c->class_of[j] == j && same_truth(p, j, k)) {
                c->class_of[k] = j;
                break;
            }
        c->classes += c->class_of[k] == k;
    }
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->changed, NULL);
    *out = c;
    return RL_OK;
}

void rl_truth_cache_free(rl_truth_cache *c)
{
    if (!c)
        return;
    for (size_t k = 0; k < c->p->n_configurations; k++)
        rl_free(c->entries[k].values);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->changed);
    rl_free(c->class_of);
    rl_free(c->entries);
    rl_free(c);
}

size_t rl_truth_cache_classes(const rl_truth_cache *c) { return c->classes; }

int rl_truth_cache_get(rl_truth_cache *c, size_t k, const rl_mdp *m, const double *pi,
                       const volatile sig_atomic_t *stop, double *scratch, double *truth,
                       rl_error *err)
{
    entry *e = &c->entries[c->class_of[k]];
    pthread_mutex_lock(&c->lock);
    while (e->state == COMPUTING)
        pthread_cond_wait(&c->changed, &c->lock);
    if (e->state == DONE) {
        int rc = e->rc;
        if (rc == RL_OK && e->n == m->n_states)
            memcpy(truth, e->values, e->n * sizeof *truth);
        else if (rc == RL_OK)
            rc = rl_error_set(err, RL_EINVAL, "the truth was computed for another model");
        else if (err)
            *err = e->err;
        pthread_mutex_unlock(&c->lock);
        return rc;
    }
    e->state = COMPUTING;
    pthread_mutex_unlock(&c->lock);

    rl_error mine;
    rl_error_clear(&mine);
    int rc = rl_run_ground_truth(c->p, k, m, pi, stop, scratch, truth, &mine);
    double *kept = NULL;
    if (rc == RL_OK && !(kept = rl_malloc(m->n_states * sizeof *kept)))
        rc = rl_error_set(&mine, RL_ENOMEM, "out of memory for the ground truth");
    if (kept)
        memcpy(kept, truth, m->n_states * sizeof *kept);

    pthread_mutex_lock(&c->lock);
    if (rc == RL_EINTERRUPTED || rc == RL_ENOMEM) {
        e->state = EMPTY; /* not the truth's answer: whoever comes next tries again */
    } else {
        e->state = DONE;
        e->rc = rc;
        e->err = mine;
        e->values = kept;
        e->n = m->n_states;
        kept = NULL;
    }
    pthread_cond_broadcast(&c->changed);
    pthread_mutex_unlock(&c->lock);
    rl_free(kept);
    if (rc != RL_OK && err)
        *err = mine;
    return rc;
}

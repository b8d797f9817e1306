/* Shared tabular learner machinery: see tabular.h. */
#include "agents/tabular.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rl/alloc.h"
#include "rl/policy.h"

int rl_tabular_init(rl_tabular *t, const rl_space *space, const rl_params *params,
                    rl_error *err)
{
    memset(t, 0, sizeof *t);
    const rl_param_spec *table = rl_params_table(params);
    t->n_states = space->n_states;
    t->n_actions = space->n_actions;
    t->kind = space->kind;
    t->gamma = rl_param_find(table, "gamma") ? rl_params_double(params, "gamma") : 1.0;
    rl_epsilon_schedule_init(&t->explore, params);
    double q0 = rl_param_find(table, "q0") ? rl_params_double(params, "q0") : 0.0;
    size_t n = space->n_states * space->n_actions;
    int rc = rl_step_size_init(&t->step, params, n, err);
    if (rc != RL_OK)
        return rc;
    t->q = rl_malloc(n * sizeof *t->q);
    t->vmax = rl_malloc(space->n_states * sizeof *t->vmax);
    if (!t->q || !t->vmax) {
        rl_tabular_release(t);
        return rl_error_set(err, RL_ENOMEM, "out of memory for a %zu x %zu table",
                            space->n_states, space->n_actions);
    }
    if (space->allowed) {
        t->own = rl_malloc(n);
        t->n_own = rl_calloc(space->n_states, 1);
        if (!t->own || !t->n_own) {
            rl_tabular_release(t);
            return rl_error_set(err, RL_ENOMEM, "out of memory for a %zu x %zu table",
                                space->n_states, space->n_actions);
        }
        for (size_t s = 0; s < space->n_states; s++)
            for (size_t a = 0; a < space->n_actions; a++)
                if (space->allowed[s * space->n_actions + a])
                    t->own[s * space->n_actions + t->n_own[s]++] = (uint8_t)a;
        /* A state without actions (a terminal one) reads and chooses its first action, which
         * keeps every gathered row non-empty. */
        for (size_t s = 0; s < space->n_states; s++)
            if (!t->n_own[s]) {
                t->own[s * space->n_actions] = 0;
                t->n_own[s] = 1;
            }
    }
    for (size_t s = 0; s < space->n_states; s++) {
        t->vmax[s] = space->kind[s] == RL_STATE_TERMINAL ? 0.0 : q0;
        for (size_t a = 0; a < space->n_actions; a++)
            t->q[s * space->n_actions + a] = t->vmax[s];
    }
    return RL_OK;
}

void rl_tabular_release(rl_tabular *t)
{
    rl_free(t->q);
    rl_free(t->vmax);
    rl_step_size_release(&t->step);
    rl_free(t->own);
    rl_free(t->n_own);
    t->q = NULL;
    t->vmax = NULL;
    t->own = t->n_own = NULL;
}

/* ---- per-state action sets ---- */

/* The action values of s's own actions into row (room for RL_MAX_ACTIONS); their number,
 * at least 1 (rl_tabular_init gives a state without actions its first). */
static size_t gather(const rl_tabular *t, size_t s, double *row)
{
    size_t k = t->n_own[s];
    const uint8_t *own = t->own + s * t->n_actions;
    const double *q = t->q + s * t->n_actions;
    row[0] = q[own[0]];
    for (size_t i = 1; i < k; i++)
        row[i] = q[own[i]];
    return k;
}

/* The action of s at index i of its own actions. */
static size_t own_action(const rl_tabular *t, size_t s, size_t i)
{
    return t->own[s * t->n_actions + i];
}

size_t rl_tabular_select_own(const rl_tabular *t, size_t s, gsl_rng *r)
{
    double row[RL_MAX_ACTIONS];
    size_t k = gather(t, s, row);
    return own_action(t, s, rl_explore_epsilon_greedy(row, k, t->explore.epsilon, r));
}

size_t rl_tabular_greedy_own(const rl_tabular *t, size_t s, gsl_rng *r)
{
    double row[RL_MAX_ACTIONS];
    size_t k = gather(t, s, row);
    return own_action(t, s, rl_explore_greedy(row, k, r));
}

size_t rl_tabular_uniform_own(const rl_tabular *t, size_t s, gsl_rng *r)
{
    return own_action(t, s, rl_explore_uniform(t->n_own[s], r));
}

double rl_tabular_max_own(const rl_tabular *t, size_t s)
{
    double row[RL_MAX_ACTIONS];
    size_t k = gather(t, s, row);
    return rl_explore_max(row, k);
}

size_t rl_tabular_argmax_first_own(const rl_tabular *t, size_t s)
{
    double row[RL_MAX_ACTIONS];
    size_t k = gather(t, s, row);
    return own_action(t, s, rl_argmax_first(row, k));
}

double rl_tabular_expected_own(const rl_tabular *t, size_t s)
{
    double row[RL_MAX_ACTIONS];
    size_t k = gather(t, s, row);
    return rl_explore_expected(row, k, t->explore.epsilon);
}

/* A handful of own actions: rescanning them is as cheap as testing whether to. A NaN sticks
 * in vmax here too. */
void rl_tabular_write_own(rl_tabular *t, size_t s, size_t a, double value)
{
    t->q[s * t->n_actions + a] = value;
    if (value != value || t->vmax[s] == t->vmax[s])
        t->vmax[s] = value != value ? value : rl_tabular_max_own(t, s);
}

/* Runs once per episode for the value error: a copy of the maxima rl_tabular_write keeps. */
void rl_tabular_values(const rl_tabular *t, double *v)
{
    for (size_t s = 0; s < t->n_states; s++)
        v[s] = t->kind[s] == RL_STATE_OPEN ? t->vmax[s] : 0.0;
}

void rl_tabular_action_values(const rl_tabular *t, double *q)
{
    memcpy(q, t->q, t->n_states * t->n_actions * sizeof *q);
}

void rl_tabular_policy(const rl_tabular *t, double *pi)
{
    size_t n = t->n_actions;
    for (size_t s = 0; s < t->n_states; s++) {
        if (t->kind[s] == RL_STATE_OPEN && t->own) {
            double row[RL_MAX_ACTIONS];
            size_t k = gather(t, s, row);
            rl_policy_epsilon_greedy_row(own_action(t, s, rl_argmax_readout(row, k)), n, 0.0,
                                         pi + s * n);
        } else if (t->kind[s] == RL_STATE_OPEN)
            rl_policy_epsilon_greedy_row(rl_argmax_readout(t->q + s * n, n), n, 0.0,
                                         pi + s * n);
        else
            for (size_t a = 0; a < n; a++)
                pi[s * n + a] = 1.0 / (double)n;
    }
}

void rl_tabular_behavior_policy(const rl_tabular *t, double epsilon, double *pi)
{
    size_t n = t->n_actions;
    for (size_t s = 0; s < t->n_states; s++) {
        double *row = pi + s * n;
        if (t->kind[s] == RL_STATE_OPEN && t->own) {
            /* Over the state's own actions; the others are never taken. */
            double q[RL_MAX_ACTIONS], p[RL_MAX_ACTIONS];
            size_t k = gather(t, s, q);
            rl_explore_epsilon_greedy_row(q, k, epsilon, p);
            for (size_t a = 0; a < n; a++)
                row[a] = 0.0;
            for (size_t i = 0; i < k; i++)
                row[own_action(t, s, i)] = p[i];
        } else if (t->kind[s] == RL_STATE_OPEN)
            rl_explore_epsilon_greedy_row(t->q + s * n, n, epsilon, row);
        else
            for (size_t a = 0; a < n; a++)
                row[a] = 1.0 / (double)n;
    }
}

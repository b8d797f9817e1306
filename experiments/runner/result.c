/* Run results in memory: see result.h. */
#include "experiments/runner/result.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rl/alloc.h"

int rl_rows_reserve(rl_rows *rows, size_t n, rl_error *err)
{
    if (n <= rows->capacity)
        return RL_OK;
    if (n > SIZE_MAX / rows->size)
        return rl_error_set(err, RL_ENOMEM, "out of memory recording results");
    void *data = rl_realloc(rows->data, n * rows->size);
    if (!data)
        return rl_error_set(err, RL_ENOMEM, "out of memory recording results");
    rows->data = data;
    rows->capacity = n;
    return RL_OK;
}

int rl_rows_push(rl_rows *rows, const void *row, rl_error *err)
{
    if (rows->n == rows->capacity) {
        int rc = rl_rows_reserve(rows, rows->capacity ? 2 * rows->capacity : 64, err);
        if (rc != RL_OK)
            return rc;
    }
    memcpy((char *)rows->data + rows->n * rows->size, row, rows->size);
    rows->n++;
    return RL_OK;
}

int rl_run_result_prepare(rl_run_result *r, rl_env *env, const rl_space *sp, rl_error *err)
{
    memset(r, 0, sizeof *r);
    r->env = env;
    r->iterations.size = sizeof(rl_iteration_row);
    r->episode_rows.size = sizeof(rl_episode_row);
    r->step_rows.size = sizeof(rl_step_row);
    r->update_rows.size = sizeof(rl_update_row);
    r->status = "completed";
    r->log_every_episodes = 1;
    r->values = rl_calloc(sp->n_states, sizeof *r->values);
    r->truth = rl_calloc(sp->n_states, sizeof *r->truth);
    r->policy = rl_calloc(sp->n_states * sp->n_actions, sizeof *r->policy);
    if (!r->values || !r->truth || !r->policy) {
        rl_free(r->values);
        rl_free(r->truth);
        rl_free(r->policy);
        r->values = r->truth = r->policy = NULL;
        return rl_error_set(err, RL_ENOMEM, "out of memory for the results of %zu states",
                            sp->n_states);
    }
    return RL_OK;
}

int rl_run_result_want_action_values(rl_run_result *r, const rl_space *sp, bool visits,
                                     rl_error *err)
{
    size_t n = sp->n_states * sp->n_actions;
    r->action_values = rl_malloc(n * sizeof *r->action_values);
    r->visits = visits ? rl_calloc(n, sizeof *r->visits) : NULL;
    if (!r->action_values || (visits && !r->visits)) {
        rl_free(r->action_values);
        rl_free(r->visits);
        r->action_values = NULL;
        r->visits = NULL;
        return rl_error_set(err, RL_ENOMEM, "out of memory for %zu action values", n);
    }
    for (size_t i = 0; i < n; i++)
        r->action_values[i] = NAN;
    return RL_OK;
}

void rl_run_result_free(rl_run_result *r)
{
    if (!r)
        return;
    rl_env_free(r->env);
    rl_free(r->iterations.data);
    rl_free(r->episode_rows.data);
    rl_free(r->step_rows.data);
    rl_free(r->update_rows.data);
    rl_free(r->values);
    rl_free(r->policy);
    rl_free(r->truth);
    rl_free(r->action_values);
    rl_free(r->visits);
    rl_free(r->weight_rows);
    rl_free(r->label);
    memset(r, 0, sizeof *r);
}

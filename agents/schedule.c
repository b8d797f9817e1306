/* Step sizes and exploration rates: see schedule.h. */
#include "agents/schedule.h"

#include <stdlib.h>
#include <string.h>

#include "rl/alloc.h"

int rl_step_size_init(rl_step_size *st, const rl_params *params, size_t n_counters,
                      rl_error *err)
{
    memset(st, 0, sizeof *st);
    const rl_param_spec *table = rl_params_table(params);
    if (!rl_param_find(table, "alpha"))
        return RL_OK;
    st->alpha = rl_params_double(params, "alpha");
    st->one_over_n = rl_param_find(table, "alpha_schedule") &&
                     strcmp(rl_params_string(params, "alpha_schedule"), "1/n") == 0;
    if (st->one_over_n) {
        st->visits = rl_calloc(n_counters ? n_counters : 1, sizeof *st->visits);
        if (!st->visits)
            return rl_error_set(err, RL_ENOMEM, "out of memory for %zu visit counts", n_counters);
    }
    return RL_OK;
}

void rl_step_size_release(rl_step_size *st)
{
    rl_free(st->visits);
    st->visits = NULL;
}

void rl_epsilon_schedule_init(rl_epsilon_schedule *e, const rl_params *params)
{
    memset(e, 0, sizeof *e);
    const rl_param_spec *table = rl_params_table(params);
    if (!rl_param_find(table, "epsilon"))
        return;
    e->epsilon = e->start = rl_params_double(params, "epsilon");
    e->decays = rl_params_has(params, "epsilon_final");
    e->final = e->decays ? rl_params_double(params, "epsilon_final") : e->epsilon;
    e->decay_episodes = (size_t)rl_params_int(params, "epsilon_decay_episodes");
}

void rl_epsilon_schedule_end_episode(rl_epsilon_schedule *e)
{
    e->episode++;
    if (!e->decays)
        return;
    double f = (double)e->episode / (double)e->decay_episodes;
    e->epsilon = f >= 1.0 ? e->final : e->start + f * (e->final - e->start);
}

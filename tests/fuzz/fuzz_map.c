/* Fuzz target: the map parser (envs/map.h), and the gridworld compiler on what it accepts
 * (default [env] parameters, then slip and goal_terminal, so stochastic and terminal models
 * are built too), each compiled model checked for the invariants rl_mdp_finish promises.
 * Input: the map's text. */
#include <stdlib.h>
#include <string.h>

#include "envs/gridworld.h"
#include "envs/map.h"
#include "rl/param.h"
#include "tests/fuzz/fuzz.h"

/* Models past this many cells are not compiled: the parser is the target, and a compile of
 * the largest map takes a while. */
#define COMPILE_MAX_CELLS 4096

static void check_model(const rl_mdp *m)
{
    size_t n_sa = m->n_states * m->n_actions;
    for (size_t sa = 0; sa < n_sa; sa++) {
        double sum = 0.0;
        for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++) {
            const rl_outcome *o = &m->outcomes[k];
            if (!(o->probability > 0.0) || (o->next != RL_MDP_RESTART &&
                                            (o->next < 0 || (size_t)o->next >= m->n_states)))
                abort();
            sum += o->probability;
        }
        if (!(sum > 1.0 - 1e-9 && sum < 1.0 + 1e-9))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    rl_map *map = NULL;
    rl_error err;
    if (rl_map_parse(text, "fuzz.map", &map, &err) == RL_OK &&
        map->rows * map->cols <= COMPILE_MAX_CELLS) {
        static const char *const SETTINGS[][2] = {
            {NULL, NULL}, {"slip", "0.3"}, {"goal_terminal", "true"}, {"actions", "9"}};
        rl_params *params = rl_params_alloc(rl_gridworld_params);
        for (size_t i = 0; params && i < sizeof SETTINGS / sizeof SETTINGS[0]; i++) {
            if (SETTINGS[i][0] && rl_params_set(params, SETTINGS[i][0], SETTINGS[i][1], &err))
                abort();
            rl_mdp *m = NULL;
            if (rl_gridworld_compile(map, params, &m, &err) == RL_OK)
                check_model(m);
            rl_mdp_free(m);
        }
        rl_params_free(params);
    }
    rl_map_free(map);
    free(text);
    return 0;
}

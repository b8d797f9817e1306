/* A registered agent driven by the library's episode loop: Sarsa on cliff walking, as in
 * Sutton & Barto's Example 6.6, with the per-episode rows the gridrl program would write.
 *
 *   cc registered_agent.c $(pkg-config --cflags --libs gridrl) -o registered_agent
 *
 * It prints the mean return of the last 100 episodes and the learned values on the map, and
 * exits 1 unless Sarsa learned the safe path (S&B Fig 6.4: about -25 with epsilon 0.1; the
 * check allows anything better than -40, where Q-learning's risky path ends up).
 */
#include <stdio.h>

#include "experiments/runner/episode_loop.h"
#include "gridrl.h"

static int fail(const char *what, const rl_error *err)
{
    char message[1024];
    rl_error_format(err, message, sizeof message);
    fprintf(stderr, "registered_agent: %s: %s\n", what, message);
    return 1;
}

int main(void)
{
    rl_gsl_init();
    rl_error err;
    rl_error_clear(&err);

    rl_params *env_params = rl_params_alloc(rl_gridworld->params);
    rl_env *env;
    if (rl_params_set(env_params, "preset", "cliff_walking", &err) != RL_OK ||
        rl_env_alloc(rl_gridworld, env_params, &env, &err) != RL_OK)
        return fail("env", &err);
    const rl_space *sp = rl_env_space(env);

    const rl_agent *agent = rl_agent_find("sarsa", &err);
    if (!agent)
        return fail("agent", &err);
    rl_params *agent_params = rl_params_alloc(rl_agent_params(agent));
    const char *settings[][2] = {{"alpha", "0.5"}, {"epsilon", "0.1"}, {"gamma", "1"}};
    for (size_t i = 0; i < 3; i++)
        if (rl_params_set(agent_params, settings[i][0], settings[i][1], &err) != RL_OK)
            return fail(settings[i][0], &err);

    /* The generators gridrl gives replicate 0 of an experiment with seed 1: the agent's
     * stream and the env's, both from the run's seed (rl/rng.h). */
    unsigned long run_seed = rl_rng_run_seed(1, 0);
    gsl_rng *r = rl_rng_alloc(rl_rng_stream_seed(run_seed, RL_RNG_AGENT), &err);
    gsl_rng *env_r = rl_rng_alloc(rl_rng_stream_seed(run_seed, RL_RNG_ENV), &err);
    rl_learner *learner;
    if (!r || !env_r ||
        rl_learner_alloc(agent->learner, sp, agent_params, NULL, r, &learner, &err))
        return fail("learner", &err);

    rl_run_result result;
    if (rl_run_result_prepare(&result, env, sp, &err) != RL_OK) /* result now owns env */
        return fail("result", &err);
    rl_loop_options options = RL_LOOP_OPTIONS_DEFAULT;
    options.episodes = 500;
    options.env_r = env_r;
    if (rl_episode_loop(env, learner, r, &options, &result, &err) != RL_OK)
        return fail("episode loop", &err);

    double sum = 0.0;
    for (size_t i = result.episode_rows.n - 100; i < result.episode_rows.n; i++) {
        const rl_episode_row *row = rl_rows_at(&result.episode_rows, i);
        sum += row->ret;
    }
    double mean = sum / 100.0;
    printf("sarsa, %zu episodes, %zu steps: mean return of the last 100 episodes %.1f\n",
           result.episodes, result.steps, mean);
    for (size_t row = 0; row < sp->rows; row++) {
        for (size_t col = 0; col < sp->cols; col++) {
            size_t s = rl_space_state(sp, row, col);
            if (sp->cell[s] == 'C')
                printf("  cliff");
            else
                printf(" %6.1f", result.values[s]);
        }
        printf("\n");
    }

    rl_learner_free(learner);
    rl_run_result_free(&result);
    rl_rng_free(r);
    rl_rng_free(env_r);
    rl_params_free(agent_params);
    rl_params_free(env_params);
    return mean > -40.0 ? 0 : 1;
}

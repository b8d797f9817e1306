/* Q-learning written by hand against gridrl's step/reset interface: the env is the library's
 * (Sutton & Barto's cliff walking, Example 6.6), the learning loop is this file's.
 *
 *   cc q_learning_by_hand.c $(pkg-config --cflags --libs gridrl) -o q_learning_by_hand
 *
 * It prints the greedy path the table learned and exits 1 unless that path is the optimal
 * one (13 moves along the cliff edge), so a build can check the library works end to end.
 */
#include <stdio.h>
#include <stdlib.h>

#include "gridrl.h"

#define EPISODES 500
#define ALPHA 0.5
#define EPSILON 0.1

static size_t greedy(const double *q, size_t n)
{
    size_t best = 0;
    for (size_t a = 1; a < n; a++)
        if (q[a] > q[best])
            best = a;
    return best;
}

int main(void)
{
    rl_gsl_init();
    rl_error err;
    rl_params *params = rl_params_alloc(rl_gridworld->params);
    rl_env *env = NULL;
    if (!params || rl_params_set(params, "preset", "cliff_walking", &err) != RL_OK ||
        rl_env_alloc(rl_gridworld, params, &env, &err) != RL_OK) {
        char message[1024];
        rl_error_format(&err, message, sizeof message);
        fprintf(stderr, "q_learning_by_hand: %s\n", message);
        return 1;
    }
    const rl_space *sp = rl_env_space(env);
    gsl_rng *r = rl_rng_alloc(42, NULL);
    double *q = calloc(sp->n_states * sp->n_actions, sizeof *q);
    if (!r || !q)
        return 1;

    for (int episode = 0; episode < EPISODES; episode++) {
        size_t s = rl_env_reset(env, r);
        for (int t = 0; t < 10000; t++) {
            size_t a = gsl_rng_uniform(r) < EPSILON ? gsl_rng_uniform_int(r, sp->n_actions)
                                                    : greedy(q + s * sp->n_actions,
                                                             sp->n_actions);
            rl_step step = rl_env_step(env, a, r);
            double *qsa = &q[s * sp->n_actions + a];
            double next = step.terminated
                              ? 0.0
                              : q[step.next * sp->n_actions +
                                  greedy(q + step.next * sp->n_actions, sp->n_actions)];
            *qsa += ALPHA * (step.reward + next - *qsa); /* gamma = 1 */
            s = step.next;
            if (step.terminated)
                break;
        }
    }

    /* Follow the greedy policy from the start and print the path. */
    size_t s = rl_env_reset(env, r), moves = 0;
    printf("greedy path:");
    for (; moves < 100; moves++) {
        size_t a = greedy(q + s * sp->n_actions, sp->n_actions);
        printf(" %s", sp->action_names[a]);
        rl_step step = rl_env_step(env, a, r);
        s = step.next;
        if (step.terminated) {
            moves++;
            break;
        }
    }
    printf("\n%zu moves (the optimal path along the cliff takes 13)\n", moves);
    free(q);
    rl_rng_free(r);
    rl_env_free(env);
    rl_params_free(params);
    return moves == 13 ? 0 : 1;
}

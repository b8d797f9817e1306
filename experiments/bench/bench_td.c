/* The Q-learning benchmark (see bench_td.h): a real gridrl run against a hand-written loop.
 *
 * Timing: gridrl's figure is the wall time of the whole rl_run_execute call, which is what a
 * run costs its user: the env built from the preset, the ground truth v* (once per run, for
 * the value error), the learner, the episode loop with its per-episode metrics, and the
 * read-outs. The ground truth is also timed on its own, so the printout can say how much of
 * the run it is. The plan is built once, outside the timing, as a hand-written program parses
 * its arguments once. The hand loop's figure includes its own allocation (q table and the
 * per-episode arrays, fresh each run as gridrl's rows are) and seeding. Each repeat runs
 * both, in alternating order; rates are steps / seconds of each run.
 */
#include "experiments/bench/bench_td.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_rng.h>

#include "experiments/bench/hand_cliff.h"
#include "rl/policy.h"
#include "experiments/runner/config.h"
#include "rl/ground_truth.h"
#include "experiments/runner/plan.h"
#include "experiments/runner/run.h"
#include "rl/rng.h"

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- the hand-written Q-learning loop ---- */

enum {
    N_STATES = RL_HAND_CLIFF_STATES,
    N_ACTIONS = RL_HAND_CLIFF_ACTIONS,
    START = RL_HAND_CLIFF_START,
    GOAL = RL_HAND_CLIFF_GOAL,
};
/* What the hand loop keeps of a run: the q table and each episode's length and return. */
typedef struct hand_run {
    double q[N_STATES * N_ACTIONS];
    size_t *lengths;
    double *returns;
} hand_run;

static void hand_run_free(hand_run *h)
{
    if (h) {
        free(h->lengths);
        free(h->returns);
        free(h);
    }
}

/* Q-learning for `episodes` episodes from q = 0, recording each episode's length and return
 * as a researcher's program would, in arrays allocated for the run. Sets *steps to the total;
 * NULL when out of memory. */
static hand_run *hand_q_learning(size_t episodes, double alpha, double epsilon, double gamma,
                                 unsigned long seed, size_t *steps_out)
{
    hand_run *h = calloc(1, sizeof *h);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    if (h) {
        h->lengths = malloc(episodes * sizeof *h->lengths);
        h->returns = malloc(episodes * sizeof *h->returns);
    }
    if (!h || !r || !h->lengths || !h->returns) {
        hand_run_free(h);
        if (r)
            gsl_rng_free(r);
        return NULL;
    }
    gsl_rng_set(r, seed);
    double *q = h->q;
    size_t *lengths = h->lengths;
    double *returns = h->returns;
    size_t steps = 0;
    for (size_t e = 0; e < episodes; e++) {
        int s = START;
        int a = rl_hand_cliff_choose(q + s * N_ACTIONS, epsilon, r);
        size_t length = 0;
        double ret = 0.0;
        for (;;) {
            double reward;
            int next = rl_hand_cliff_step(s, a, &reward);
            length++;
            ret += reward;
            double target = reward;
            if (next != GOAL)
                target += gamma * rl_hand_cliff_max_q(q + next * N_ACTIONS);
            q[s * N_ACTIONS + a] += alpha * (target - q[s * N_ACTIONS + a]);
            if (next == GOAL)
                break;
            s = next;
            a = rl_hand_cliff_choose(q + s * N_ACTIONS, epsilon, r);
        }
        lengths[e] = length;
        returns[e] = ret;
        steps += length;
    }
    gsl_rng_free(r);
    *steps_out = steps;
    return h;
}

/* ---- checks ---- */

/* Moves from the start to the goal following action[s]; 0 if it never gets there (a loop,
 * or the cliff). */
static size_t greedy_path(const int *action)
{
    int s = START;
    for (size_t moves = 1; moves <= N_STATES; moves++) {
        double reward;
        int next = rl_hand_cliff_step(s, action[s], &reward);
        if (next == GOAL)
            return moves;
        if (reward < -1.0)
            return 0;
        s = next;
    }
    return 0;
}

static double mean_of_last(const double *x, size_t n, size_t count)
{
    double sum = 0.0;
    for (size_t i = n - count; i < n; i++)
        sum += x[i];
    return sum / (double)count;
}

/* Compares the last gridrl run with the hand loop's; fills the check fields of res. */
static void compare(const rl_run_result *run, const double *q, const size_t *lengths,
                    const double *returns, size_t episodes, rl_bench_td_result *res)
{
    const rl_mdp *m = rl_env_model(run->env);
    res->first_difference = 0;
    for (size_t e = 0; e < episodes && e < run->episode_rows.n; e++) {
        const rl_episode_row *row = rl_rows_at(&run->episode_rows, e);
        if (row->length != lengths[e] || row->ret != returns[e]) {
            res->first_difference = e + 1;
            break;
        }
    }
    if (!res->first_difference && run->episode_rows.n != episodes)
        res->first_difference = run->episode_rows.n < episodes ? run->episode_rows.n + 1
                                                               : episodes + 1;

    /* Same layout (s = row * 12 + col, the same action order) unless the preset changed. */
    if (m->rows != RL_HAND_CLIFF_ROWS || m->cols != RL_HAND_CLIFF_COLS || m->n_actions != N_ACTIONS) {
        res->max_value_diff = HUGE_VAL;
        return;
    }
    double diff = 0.0;
    int act_gridrl[N_STATES], act_hand[N_STATES];
    for (int s = 0; s < N_STATES; s++) {
        double e = fabs(run->values[s] - rl_hand_cliff_max_q(q + s * N_ACTIONS));
        if (e > diff || e != e)
            diff = e;
        /* gridrl's policy read-out puts 1 on its greedy action; the hand loop's is read out
         * by the same rule (the first action within RL_TIE_TOLERANCE of the best), since
         * values converging geometrically leave near-ties that a strict argmax would break
         * the other way. */
        const double *pi = run->policy + (size_t)s * N_ACTIONS;
        act_gridrl[s] = 0;
        for (int a = 1; a < N_ACTIONS; a++)
            if (pi[a] > pi[act_gridrl[s]])
                act_gridrl[s] = a;
        act_hand[s] = (int)rl_argmax_readout(q + s * N_ACTIONS, N_ACTIONS);
    }
    res->max_value_diff = diff;
    res->path_gridrl = greedy_path(act_gridrl);
    res->path_hand = greedy_path(act_hand);

    size_t n = run->episode_rows.n < episodes ? run->episode_rows.n : episodes;
    res->last_count = n < 100 ? n : 100;
    double sum = 0.0;
    for (size_t e = n - res->last_count; e < n; e++)
        sum += ((const rl_episode_row *)rl_rows_at(&run->episode_rows, e))->ret;
    res->last_mean_gridrl = sum / (double)res->last_count;
    res->last_mean_hand = mean_of_last(returns, episodes, res->last_count);
    res->final_rmse = n ? ((const rl_episode_row *)rl_rows_at(&run->episode_rows, n - 1))
                              ->value_rmse
                        : NAN;
}

/* ---- the benchmark ---- */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *x, size_t n)
{
    qsort(x, n, sizeof *x, compare_doubles);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

/* Median, min and max of n rates (sorted in place). */
static rl_bench_rate summarize(double *rate, size_t n)
{
    double mid = median(rate, n);
    return (rl_bench_rate){mid, rate[0], rate[n - 1]};
}

static int check_options(const rl_bench_td_options *opt, rl_error *err)
{
    if (opt->episodes < 1 || opt->episodes > RL_BENCH_TD_MAX_EPISODES) {
        rl_error_set(err, RL_ERANGE, "episodes must be in [1, %d], not %zu",
                     RL_BENCH_TD_MAX_EPISODES, opt->episodes);
        return rl_error_locate(err, RL_ERANGE, NULL, 0, 0, "episodes");
    }
    if (opt->repeats < 1 || opt->repeats > 10000) {
        rl_error_set(err, RL_ERANGE, "repeats must be in [1, 10000], not %zu", opt->repeats);
        return rl_error_locate(err, RL_ERANGE, NULL, 0, 0, "repeats");
    }
    return RL_OK;
}

/* The run's config: what `gridrl run` would read from a file. */
static void config_text(char *out, size_t size, size_t episodes)
{
    snprintf(out, size,
             "[experiment]\n"
             "name = bench_td\n"
             "episodes = %zu\n"
             "seeds = 1\n"
             "\n"
             "[env]\n"
             "preset = cliff_walking\n"
             "\n"
             "[agent]\n"
             "algorithm = q_learning\n"
             "alpha = %.17g\n"
             "epsilon = %.17g\n"
             "gamma = %.17g\n",
             episodes, RL_BENCH_TD_ALPHA, RL_BENCH_TD_EPSILON, RL_BENCH_TD_GAMMA);
}

/* One gridrl run, timed; run is freed and refilled. */
static int time_gridrl(const rl_plan *plan, rl_run_result *run, double *seconds, rl_error *err)
{
    rl_run_result_free(run);
    double t0 = now_seconds();
    int rc = rl_run_execute(plan, 0, NULL, run, err);
    *seconds = now_seconds() - t0;
    return rc;
}

/* One hand-written run, timed; *h is freed and replaced. */
static int time_hand(size_t episodes, unsigned long seed, hand_run **h, size_t *steps,
                     double *seconds, rl_error *err)
{
    hand_run_free(*h);
    double t0 = now_seconds();
    *h = hand_q_learning(episodes, RL_BENCH_TD_ALPHA, RL_BENCH_TD_EPSILON, RL_BENCH_TD_GAMMA,
                         seed, steps);
    *seconds = now_seconds() - t0;
    return *h ? RL_OK : rl_error_set(err, RL_ENOMEM, "out of memory for %zu episodes", episodes);
}

int rl_bench_td_run(const rl_bench_td_options *opt, rl_bench_td_result *res, rl_error *err)
{
    memset(res, 0, sizeof *res);
    int rc = check_options(opt, err);
    if (rc != RL_OK)
        return rc;
    const size_t E = opt->episodes, R = opt->repeats;

    rl_config *config = NULL;
    rl_plan *plan = NULL;
    rl_run_result run = {0};
    hand_run *hand = NULL;
    double *rate_gridrl = malloc(R * sizeof *rate_gridrl);
    double *rate_hand = malloc(R * sizeof *rate_hand);
    double *t_run = malloc(R * sizeof *t_run), *t_truth = malloc(R * sizeof *t_truth);
    double *truth = malloc(N_STATES * sizeof *truth);
    if (!rate_gridrl || !rate_hand || !t_run || !t_truth || !truth) {
        rc = rl_error_set(err, RL_ENOMEM, "out of memory for %zu repeats", R);
        goto done;
    }

    char text[512];
    config_text(text, sizeof text, E);
    if ((rc = rl_config_load_string(text, "(bench td)", ".", &config, err)) != RL_OK ||
        (rc = rl_plan_build(config, &plan, err)) != RL_OK ||
        (rc = rl_plan_check(plan, err)) != RL_OK)
        goto done;
    /* The seed rl_run_execute gives run 0; the hand loop draws from its agent stream (cliff
     * walking's env draws nothing: one start, no slip). */
    res->seed = rl_rng_run_seed(plan->seed, 0);
    unsigned long agent_seed = rl_rng_stream_seed(res->seed, RL_RNG_AGENT);

    for (size_t rep = 0; rep < R; rep++) {
        /* Alternating which goes first spreads any drift in the machine's speed evenly. */
        size_t steps = 0;
        double t_hand = 0.0;
        if (rep % 2 && (rc = time_hand(E, agent_seed, &hand, &steps, &t_hand, err)) != RL_OK)
            goto done;
        if ((rc = time_gridrl(plan, &run, &t_run[rep], err)) != RL_OK)
            goto done;
        if (!(rep % 2) && (rc = time_hand(E, agent_seed, &hand, &steps, &t_hand, err)) != RL_OK)
            goto done;
        if (run.rng_seed != res->seed || (rep > 0 && run.steps != res->steps)) {
            /* Same seed, same run: anything else is nondeterminism, a bug. */
            rc = rl_error_set(err, RL_EINVAL,
                              "repeat %zu took %zu steps with seed %lu, the first %zu with %lu",
                              rep + 1, run.steps, run.rng_seed, res->steps, res->seed);
            goto done;
        }
        res->steps = run.steps;
        rate_gridrl[rep] = (double)run.steps / t_run[rep];
        rate_hand[rep] = (double)steps / t_hand;

        /* The ground truth alone, on the run's own model (not part of either timing). */
        double t0 = now_seconds();
        rc = rl_ground_truth_optimal(rl_env_model(run.env), RL_BENCH_TD_GAMMA, truth, err);
        t_truth[rep] = now_seconds() - t0;
        if (rc != RL_OK)
            goto done;
    }
    compare(&run, hand->q, hand->lengths, hand->returns, E, res);
    res->gridrl = summarize(rate_gridrl, R);
    res->hand = summarize(rate_hand, R);
    res->ratio = res->gridrl.median / res->hand.median;
    res->run_seconds = median(t_run, R);
    res->truth_seconds = median(t_truth, R);

done:
    rl_run_result_free(&run);
    hand_run_free(hand);
    rl_plan_free(plan);
    rl_config_free(config);
    free(rate_gridrl);
    free(rate_hand);
    free(t_run);
    free(t_truth);
    free(truth);
    return rc;
}

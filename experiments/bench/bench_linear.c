/* The TD-Linear benchmark: see bench_linear.h. Timings as in bench_td.c: the whole
 * rl_run_execute call against the whole hand loop, repeats alternating which goes first. */
#include "experiments/bench/bench_linear.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_rng.h>

#include "experiments/runner/config.h"
#include "experiments/runner/plan.h"
#include "experiments/runner/run.h"
#include "rl/rng.h"

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- the hand-written TD(0) loop on Zhao's grid world ---- */

enum { N = 5, N_STATES = N * N, N_ACTIONS = 5, K = RL_BENCH_LINEAR_FEATURES };

/* Forbidden cells and the target, 0-based (row, col): Zhao ch. 2. */
static int cell_reward(int row, int col)
{
    static const char map[N][N + 1] = {".....", ".XX..", "..X..", ".XGX.", ".X..."};
    char c = map[row][col];
    return c == 'X' ? -1 : c == 'G' ? 1 : 0;
}

/* Up, right, down, left, stay; off the grid: stay with -1. */
static int step(int s, int a, double *reward)
{
    static const int dr[N_ACTIONS] = {-1, 0, 1, 0, 0}, dc[N_ACTIONS] = {0, 1, 0, -1, 0};
    int row = s / N + dr[a], col = s % N + dc[a];
    if (row < 0 || row >= N || col < 0 || col >= N) {
        *reward = -1.0;
        return s;
    }
    *reward = cell_reward(row, col);
    return row * N + col;
}

/* Zhao eq. (8.17): [1, x, y, x^2, y^2, xy, x^3, y^3, x^2 y, x y^2], x = column and y = row
 * scaled to [-1, 1]. */
static void features(int s, double *phi)
{
    double x = 2.0 * (s % N) / (N - 1) - 1.0, y = 2.0 * (s / N) / (N - 1) - 1.0;
    const double f[K] = {1, x, y, x * x, y * y, x * y, x * x * x, y * y * y, x * x * y, x * y * y};
    memcpy(phi, f, sizeof f);
}

/* The uniform policy's action from one draw, as the learners invert a policy row. */
static int uniform_action(gsl_rng *r)
{
    double u = gsl_rng_uniform(r);
    for (int a = 0; a < N_ACTIONS - 1; a++) {
        u -= 1.0 / N_ACTIONS;
        if (u < 0.0)
            return a;
    }
    return N_ACTIONS - 1;
}

/* E episodes of 500 steps from uniform cells; the weights into w. The start cells come from
 * the run's env stream, the actions from its agent stream, as in the runner (rl/rng.h). */
static size_t hand_td(size_t episodes, unsigned long seed, double *w)
{
    gsl_rng *r = rl_rng_alloc(rl_rng_stream_seed(seed, RL_RNG_AGENT), NULL);
    gsl_rng *env_r = rl_rng_alloc(rl_rng_stream_seed(seed, RL_RNG_ENV), NULL);
    if (!r || !env_r) {
        rl_rng_free(r);
        rl_rng_free(env_r);
        return 0;
    }
    double phi[N_STATES][K];
    for (int s = 0; s < N_STATES; s++)
        features(s, phi[s]);
    memset(w, 0, K * sizeof *w);
    size_t steps = 0;
    for (size_t e = 0; e < episodes; e++) {
        int s = (int)gsl_rng_uniform_int(env_r, N_STATES);
        int a = uniform_action(r);
        for (int t = 1; t <= RL_BENCH_LINEAR_LENGTH; t++) {
            double reward;
            int next = step(s, a, &reward);
            double v = 0.0, v_next = 0.0;
            for (int k = 0; k < K; k++) {
                v += w[k] * phi[s][k];
                v_next += w[k] * phi[next][k];
            }
            double scale = RL_BENCH_LINEAR_ALPHA * (reward + RL_BENCH_LINEAR_GAMMA * v_next - v);
            for (int k = 0; k < K; k++)
                w[k] += scale * phi[s][k];
            s = next;
            if (t < RL_BENCH_LINEAR_LENGTH)
                a = uniform_action(r);
        }
        steps += RL_BENCH_LINEAR_LENGTH;
    }
    rl_rng_free(r);
    rl_rng_free(env_r);
    return steps;
}

/* ---- the benchmark ---- */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static rl_bench_rate summarize(double *rate, size_t n)
{
    qsort(rate, n, sizeof *rate, compare_doubles);
    double mid = n % 2 ? rate[n / 2] : 0.5 * (rate[n / 2 - 1] + rate[n / 2]);
    return (rl_bench_rate){mid, rate[0], rate[n - 1]};
}

int rl_bench_linear_run(const rl_bench_linear_options *opt, rl_bench_linear_result *res,
                        rl_error *err)
{
    memset(res, 0, sizeof *res);
    if (opt->episodes < 1 || opt->episodes > RL_BENCH_LINEAR_MAX_EPISODES) {
        rl_error_set(err, RL_ERANGE, "episodes must be in [1, %d], not %zu",
                     RL_BENCH_LINEAR_MAX_EPISODES, opt->episodes);
        return rl_error_locate(err, RL_ERANGE, NULL, 0, 0, "episodes");
    }
    if (opt->repeats < 1 || opt->repeats > 10000) {
        rl_error_set(err, RL_ERANGE, "repeats must be in [1, 10000], not %zu", opt->repeats);
        return rl_error_locate(err, RL_ERANGE, NULL, 0, 0, "repeats");
    }
    const size_t E = opt->episodes, R = opt->repeats;
    char text[512];
    snprintf(text, sizeof text,
             "[experiment]\nname = bench_linear\nepisodes = %zu\nmax_steps = %d\n"
             "start = uniform\n[env]\npreset = zhao5x5\n[agent]\nalgorithm = td_linear\n"
             "features = polynomial\norder = 3\nalpha = %.17g\ngamma = %.17g\n",
             E, RL_BENCH_LINEAR_LENGTH, RL_BENCH_LINEAR_ALPHA, RL_BENCH_LINEAR_GAMMA);
    rl_config *config = NULL;
    rl_plan *plan = NULL;
    rl_run_result run = {0};
    double *rate_gridrl = malloc(R * sizeof *rate_gridrl), *rate_hand = malloc(R * sizeof *rate_hand);
    double w_hand[K];
    int rc = RL_OK;
    if (!rate_gridrl || !rate_hand) {
        rc = rl_error_set(err, RL_ENOMEM, "out of memory for %zu repeats", R);
        goto done;
    }
    if ((rc = rl_config_load_string(text, "(bench linear)", ".", &config, err)) != RL_OK ||
        (rc = rl_plan_build(config, &plan, err)) != RL_OK ||
        (rc = rl_plan_check(plan, err)) != RL_OK)
        goto done;
    res->seed = rl_rng_run_seed(plan->seed, 0);
    for (size_t rep = 0; rep < R; rep++) {
        double t0, t_hand = 0.0, t_gridrl;
        size_t steps = 0;
        if (rep % 2) {
            t0 = now_seconds();
            steps = hand_td(E, res->seed, w_hand);
            t_hand = now_seconds() - t0;
        }
        rl_run_result_free(&run);
        t0 = now_seconds();
        rc = rl_run_execute(plan, 0, NULL, &run, err);
        t_gridrl = now_seconds() - t0;
        if (rc != RL_OK)
            goto done;
        if (!(rep % 2)) {
            t0 = now_seconds();
            steps = hand_td(E, res->seed, w_hand);
            t_hand = now_seconds() - t0;
        }
        if (!steps) {
            rc = rl_error_set(err, RL_ENOMEM, "out of memory for the hand loop's generator");
            goto done;
        }
        res->steps = run.steps;
        rate_gridrl[rep] = (double)run.steps / t_gridrl;
        rate_hand[rep] = (double)steps / t_hand;
    }
    /* The run's weights are in its weights.csv rows: "run,index,feature,weight". */
    res->max_weight_diff = INFINITY;
    if (run.weight_rows) {
        double diff = 0.0;
        size_t found = 0;
        for (const char *line = run.weight_rows; *line && found < K; found++) {
            const char *end = strchr(line, '\n'), *last = NULL;
            for (const char *c = line; end && c < end; c++)
                if (*c == ',')
                    last = c;
            if (!last)
                break;
            double w = strtod(last + 1, NULL);
            double d = fabs(w - w_hand[found]) / (1.0 + fabs(w_hand[found]));
            diff = d > diff || d != d ? d : diff;
            line = end + 1;
        }
        if (found == K)
            res->max_weight_diff = diff;
    }
    size_t n = run.episode_rows.n;
    res->final_rmse =
        n ? ((const rl_episode_row *)rl_rows_at(&run.episode_rows, n - 1))->value_rmse : NAN;
    res->gridrl = summarize(rate_gridrl, R);
    res->hand = summarize(rate_hand, R);
    res->ratio = res->gridrl.median / res->hand.median;

done:
    rl_run_result_free(&run);
    rl_plan_free(plan);
    rl_config_free(config);
    free(rate_gridrl);
    free(rate_hand);
    return rc;
}

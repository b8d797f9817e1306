/* The whole-process benchmark: see bench_process.h.
 *
 * Each repeat runs both sides, alternating which goes first, into a fresh folder under one
 * temporary directory. gridrl is started with posix_spawn (no shell), its output thrown
 * away (--quiet prints nothing but errors, which are reported). The hand program's time
 * includes opening, writing and closing its file, as a program's would.
 */
#define _POSIX_C_SOURCE 200809L

#include "experiments/bench/bench_process.h"

#include <errno.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "experiments/bench/hand_cliff.h"
#include "experiments/io/csv.h"
#include "experiments/io/output.h"
#include "rl/rng.h"

extern char **environ;

#define ALPHA RL_BENCH_TD_ALPHA
#define EPSILON RL_BENCH_TD_EPSILON
#define SEED 1 /* [experiment] seed: run i's agent draws come from the agent stream of
                  rl_rng_run_seed(SEED, i) (cliff walking's env draws nothing) */

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- the hand-written program ---- */

/* v* of the cliff with gamma 1 by value iteration until nothing changes (integers: exact). */
static void hand_optimal(double *v)
{
    enum { N = RL_HAND_CLIFF_STATES, A = RL_HAND_CLIFF_ACTIONS };
    for (int s = 0; s < N; s++)
        v[s] = 0.0;
    for (int changed = 1; changed;) {
        changed = 0;
        for (int s = 0; s < N; s++) {
            if (s == RL_HAND_CLIFF_GOAL || rl_hand_cliff_is_cliff(s))
                continue;
            double best = -HUGE_VAL;
            for (int a = 0; a < A; a++) {
                double r;
                int next = rl_hand_cliff_step(s, a, &r);
                double q = r + (next == RL_HAND_CLIFF_GOAL ? 0.0 : v[next]);
                best = q > best ? q : best;
            }
            if (best != v[s]) {
                v[s] = best;
                changed = 1;
            }
        }
    }
}

/* What the check needs of the hand program: each episode's length and return. */
typedef struct hand_record {
    size_t *lengths;
    double *returns;
} hand_record;

/* S runs of E episodes of Q-learning, a row per episode into path. Returns the steps taken,
 * 0 on failure (a file that cannot be written, no memory). */
static size_t hand_program(const char *path, size_t seeds, size_t episodes, hand_record *rec)
{
    enum { N = RL_HAND_CLIFF_STATES, A = RL_HAND_CLIFF_ACTIONS };
    FILE *f = fopen(path, "w");
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    double *q = malloc(N * A * sizeof *q);
    if (!f || !r || !q) {
        if (f)
            fclose(f);
        if (r)
            gsl_rng_free(r);
        free(q);
        return 0;
    }
    double v_star[N];
    hand_optimal(v_star);
    size_t decision = 0;
    for (int s = 0; s < N; s++)
        decision += s != RL_HAND_CLIFF_GOAL && !rl_hand_cliff_is_cliff(s);
    fprintf(f, "run,episode,return,discounted_return,length,outcome,value_rmse\n");
    size_t steps = 0;
    for (size_t run = 0; run < seeds; run++) {
        gsl_rng_set(r, rl_rng_stream_seed(rl_rng_run_seed(SEED, run), RL_RNG_AGENT));
        memset(q, 0, N * A * sizeof *q);
        for (size_t e = 0; e < episodes; e++) {
            int s = RL_HAND_CLIFF_START;
            int a = rl_hand_cliff_choose(q + s * A, EPSILON, r);
            size_t length = 0;
            double ret = 0.0;
            for (;;) {
                double reward;
                int next = rl_hand_cliff_step(s, a, &reward);
                length++;
                ret += reward;
                double target = reward;
                if (next != RL_HAND_CLIFF_GOAL)
                    target += rl_hand_cliff_max_q(q + next * A);
                q[s * A + a] += ALPHA * (target - q[s * A + a]);
                if (next == RL_HAND_CLIFF_GOAL)
                    break;
                s = next;
                a = rl_hand_cliff_choose(q + s * A, EPSILON, r);
            }
            double sum = 0.0;
            for (int x = 0; x < N; x++) {
                if (x == RL_HAND_CLIFF_GOAL || rl_hand_cliff_is_cliff(x))
                    continue;
                double d = rl_hand_cliff_max_q(q + x * A) - v_star[x];
                sum += d * d;
            }
            fprintf(f, "%zu,%zu,%.12g,%.12g,%zu,%s,%.12g\n", run, e + 1, ret, ret, length,
                    "terminated", sqrt(sum / (double)decision));
            rec->lengths[run * episodes + e] = length;
            rec->returns[run * episodes + e] = ret;
            steps += length;
        }
    }
    gsl_rng_free(r);
    free(q);
    return fclose(f) == 0 ? steps : 0;
}

/* ---- gridrl run, as a child process ---- */

static int write_config(const char *path, const rl_bench_process_options *opt, rl_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return rl_error_set(err, RL_EIO, "cannot write '%s': %s", path, strerror(errno));
    fprintf(f,
            "[experiment]\nname = bench_run\nepisodes = %zu\nseeds = %zu\nseed = %d\n\n"
            "[env]\npreset = cliff_walking\n\n"
            "[agent]\nalgorithm = q_learning\nalpha = %.17g\nepsilon = %.17g\ngamma = 1\n",
            opt->episodes, opt->seeds, SEED, ALPHA, EPSILON);
    return fclose(f) == 0 ? RL_OK : rl_error_set(err, RL_EIO, "cannot write '%s'", path);
}

static int gridrl_run(const rl_bench_process_options *opt, const char *config, const char *out,
                      rl_error *err)
{
    char jobs[32];
    snprintf(jobs, sizeof jobs, "%zu", opt->threads);
    char *argv[] = {"gridrl", "run",  (char *)config, "-o", (char *)out, "-j", jobs,
                    "--quiet", "--force", NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, opt->exe, NULL, NULL, argv, environ);
    if (rc != 0)
        return rl_error_set(err, RL_EIO, "cannot start '%s': %s", opt->exe, strerror(rc));
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return rl_error_set(err, RL_EIO, "waiting for gridrl run: %s", strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return rl_error_set(err, RL_EIO, "gridrl run failed (status %d)",
                            WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return RL_OK;
}

/* Sums the seconds column of out/timing.csv. */
static int runs_seconds(const char *out, double *seconds, rl_error *err)
{
    char path[RL_OUTPUT_PATH_MAX + 32];
    snprintf(path, sizeof path, "%.4000s/timing.csv", out);
    rl_csv c;
    int rc = rl_csv_open(&c, path, NULL, err);
    if (rc != RL_OK)
        return rc;
    int col = rl_csv_column(&c, "seconds", err);
    *seconds = 0.0;
    double x;
    while (col >= 0 && (rc = rl_csv_next(&c, err)) == 1)
        if (rl_csv_double(&c, col, &x))
            *seconds += x;
    rl_csv_close(&c);
    return col < 0 ? col : rc;
}

/* Compares gridrl's episodes.csv with the hand program's record. */
static int compare(const char *out, const rl_bench_process_options *opt, const hand_record *rec,
                   rl_bench_process_result *res, rl_error *err)
{
    char path[RL_OUTPUT_PATH_MAX + 32];
    snprintf(path, sizeof path, "%.4000s/episodes.csv", out);
    rl_csv c;
    int rc = rl_csv_open(&c, path, NULL, err);
    if (rc != RL_OK)
        return rc;
    int run_col = rl_csv_column(&c, "run", err), episode_col = rl_csv_column(&c, "episode", err);
    int return_col = rl_csv_column(&c, "return", err), length_col = rl_csv_column(&c, "length", err);
    if (run_col < 0 || episode_col < 0 || return_col < 0 || length_col < 0) {
        rl_csv_close(&c);
        return RL_EPARSE;
    }
    size_t total = opt->seeds * opt->episodes, seen = 0;
    res->first_difference = 0;
    while ((rc = rl_csv_next(&c, err)) == 1) {
        size_t run = 0, episode = 0, length = 0; /* i is formed before ok is checked */
        double ret;
        bool ok = rl_csv_size(&c, run_col, &run) && rl_csv_size(&c, episode_col, &episode) &&
                  rl_csv_size(&c, length_col, &length) && rl_csv_double(&c, return_col, &ret);
        size_t i = run * opt->episodes + episode - 1;
        if (!ok || run >= opt->seeds || episode < 1 || episode > opt->episodes ||
            rec->lengths[i] != length || rec->returns[i] != ret) {
            res->first_difference = seen + 1;
            break;
        }
        seen++;
    }
    rl_csv_close(&c);
    if (rc < 0)
        return rc;
    if (!res->first_difference && seen != total)
        res->first_difference = seen + 1;
    res->checked = seen;
    return RL_OK;
}

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

static rl_bench_rate rates(double *rate, size_t n)
{
    double mid = median(rate, n);
    return (rl_bench_rate){mid, rate[0], rate[n - 1]};
}

int rl_bench_process_run(const rl_bench_process_options *opt, rl_bench_process_result *res,
                         rl_error *err)
{
    memset(res, 0, sizeof *res);
    const char *bad = !opt->seeds ? "seeds" : !opt->episodes ? "episodes"
                      : !opt->repeats ? "repeats" : !opt->threads ? "jobs" : NULL;
    if (bad) {
        rl_error_set(err, RL_ERANGE, "must be at least 1");
        return rl_error_locate(err, RL_ERANGE, NULL, 0, 0, bad);
    }
    if (opt->seeds * opt->episodes / opt->seeds != opt->episodes ||
        opt->seeds * opt->episodes > ((size_t)1 << 28)) {
        rl_error_set(err, RL_ERANGE, "at most 2^28 episodes in all");
        return rl_error_locate(err, RL_ERANGE, NULL, 0, 0, "episodes");
    }
    const size_t R = opt->repeats, total = opt->seeds * opt->episodes;
    char tmp[] = "/tmp/gridrl_bench_run.XXXXXX";
    if (!mkdtemp(tmp))
        return rl_error_set(err, RL_EIO, "cannot make a temporary folder: %s", strerror(errno));
    char config[256], out[256], hand_csv[256];
    snprintf(config, sizeof config, "%s/bench_run.ini", tmp);
    snprintf(out, sizeof out, "%s/gridrl", tmp);
    snprintf(hand_csv, sizeof hand_csv, "%s/hand_episodes.csv", tmp);
    hand_record rec = {malloc(total * sizeof *rec.lengths), malloc(total * sizeof *rec.returns)};
    double *t_gridrl = malloc(R * sizeof *t_gridrl), *t_hand = malloc(R * sizeof *t_hand);
    double *t_runs = malloc(R * sizeof *t_runs);
    double *rate_gridrl = malloc(R * sizeof *rate_gridrl), *rate_hand = malloc(R * sizeof *rate_hand);
    int rc = rec.lengths && rec.returns && t_gridrl && t_hand && t_runs && rate_gridrl && rate_hand
                 ? write_config(config, opt, err)
                 : rl_error_set(err, RL_ENOMEM, "out of memory for %zu episodes", total);
    for (size_t rep = 0; rc == RL_OK && rep < R; rep++) {
        for (int side = 0; rc == RL_OK && side < 2; side++) {
            bool hand = (side + rep) % 2; /* alternate which goes first */
            double t0 = now_seconds();
            if (hand) {
                size_t steps = hand_program(hand_csv, opt->seeds, opt->episodes, &rec);
                t_hand[rep] = now_seconds() - t0;
                if (!steps)
                    rc = rl_error_set(err, RL_EIO, "the hand program could not write '%s'",
                                      hand_csv);
                res->steps = steps;
            } else {
                rc = gridrl_run(opt, config, out, err);
                t_gridrl[rep] = now_seconds() - t0;
                if (rc == RL_OK)
                    rc = runs_seconds(out, &t_runs[rep], err);
            }
        }
        if (rc == RL_OK) {
            rate_gridrl[rep] = (double)res->steps / t_gridrl[rep];
            rate_hand[rep] = (double)res->steps / t_hand[rep];
        }
    }
    if (rc == RL_OK)
        rc = compare(out, opt, &rec, res, err);
    if (rc == RL_OK) {
        res->gridrl = rates(rate_gridrl, R);
        res->hand = rates(rate_hand, R);
        res->ratio = res->gridrl.median / res->hand.median;
        res->gridrl_seconds = median(t_gridrl, R);
        res->hand_seconds = median(t_hand, R);
        res->runs_seconds = median(t_runs, R);
    }
    rl_output_remove_tree(tmp, NULL);
    free(rec.lengths);
    free(rec.returns);
    free(t_gridrl);
    free(t_hand);
    free(t_runs);
    free(rate_gridrl);
    free(rate_hand);
    return rc;
}

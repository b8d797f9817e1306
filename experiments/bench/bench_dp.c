/* The value-iteration benchmark (see bench_dp.h): gridrl's planner against a plain stencil.
 *
 * The grid is open, with one terminal goal at the bottom-right corner, reward -1 for every
 * move (a bump included) and gamma 0.99. Each sweep is timed on its own with the monotonic
 * clock; all buffers are allocated before any timing starts. The two contenders run one
 * after the other within a repeat, each with its own warm-up, so each finds the cache as its
 * own sweeps leave it.
 */
#include "experiments/bench/bench_dp.h"

#include <math.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agents/dp.h"
#include "envs/gridworld.h"
#include "envs/map.h"
#include "rl/mdp.h"
#include "rl/param.h"

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* One synchronous value-iteration sweep over the open grid, written the way one would by
 * hand: four moves, a move off the grid stays put, every move costs 1, the goal is worth 0.
 * Returns the max-norm change, as any value iteration that wants to stop must compute. */
static double stencil_sweep(size_t rows, size_t cols, size_t goal, double gamma,
                            const double *v, double *out)
{
    double delta = 0.0;
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++) {
            size_t s = r * cols + c;
            if (s == goal) {
                out[s] = 0.0;
                continue;
            }
            size_t up = r > 0 ? s - cols : s;
            size_t right = c + 1 < cols ? s + 1 : s;
            size_t down = r + 1 < rows ? s + cols : s;
            size_t left = c > 0 ? s - 1 : s;
            double best = -1.0 + gamma * v[up];
            double q = -1.0 + gamma * v[right];
            if (q > best)
                best = q;
            q = -1.0 + gamma * v[down];
            if (q > best)
                best = q;
            q = -1.0 + gamma * v[left];
            if (q > best)
                best = q;
            double change = fabs(best - v[s]);
            if (change > delta)
                delta = change;
            out[s] = best;
        }
    }
    return delta;
}

/* The same sweep written so that gcc vectorises it with the build's own flags: the interior
 * of each row as one loop over contiguous arrays with no branch (the maximum as a select),
 * the max-norm change in a second pass over the row, still in cache (gcc vectorises no
 * floating-point max reduction without -ffast-math), the edges and the goal apart. */
static void row_best(size_t cols, double gamma, const double *restrict up,
                     const double *restrict row, const double *restrict down,
                     double *restrict out)
{
    for (size_t c = 1; c + 1 < cols; c++) {
        double a = up[c] > row[c + 1] ? up[c] : row[c + 1];
        double b = down[c] > row[c - 1] ? down[c] : row[c - 1];
        out[c] = -1.0 + gamma * (a > b ? a : b);
    }
}

/* The same loop for AVX2 (4 doubles a vector instead of SSE2's 2): the best this stencil
 * does on this machine, as -march=native would build it. */
#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_AVX2_CLONE 1
__attribute__((target("avx2,fma"))) static void
row_best_avx2(size_t cols, double gamma, const double *restrict up, const double *restrict row,
              const double *restrict down, double *restrict out)
{
    for (size_t c = 1; c + 1 < cols; c++) {
        double a = up[c] > row[c + 1] ? up[c] : row[c + 1];
        double b = down[c] > row[c - 1] ? down[c] : row[c - 1];
        out[c] = -1.0 + gamma * (a > b ? a : b);
    }
}
#else
#define HAVE_AVX2_CLONE 0
#endif

/* One edge cell: the best of four neighbours, a move off the grid staying put. */
static double edge_cell(size_t rows, size_t cols, size_t r, size_t c, double gamma,
                        const double *v)
{
    size_t s = r * cols + c;
    size_t up = r > 0 ? s - cols : s, down = r + 1 < rows ? s + cols : s;
    size_t left = c > 0 ? s - 1 : s, right = c + 1 < cols ? s + 1 : s;
    double a = v[up] > v[right] ? v[up] : v[right];
    double b = v[down] > v[left] ? v[down] : v[left];
    return -1.0 + gamma * (a > b ? a : b);
}

static double vector_sweep(size_t rows, size_t cols, size_t goal, double gamma,
                           const double *restrict v, double *restrict out, bool avx2)
{
    double delta = 0.0;
    for (size_t r = 0; r < rows; r++) {
        const double *row = v + r * cols;
        const double *up = r > 0 ? row - cols : row;
        const double *down = r + 1 < rows ? row + cols : row;
        double *o = out + r * cols;
#if HAVE_AVX2_CLONE
        if (avx2)
            row_best_avx2(cols, gamma, up, row, down, o);
        else
#endif
            row_best(cols, gamma, up, row, down, o);
        (void)avx2;
        o[0] = edge_cell(rows, cols, r, 0, gamma, v);
        if (cols > 1)
            o[cols - 1] = edge_cell(rows, cols, r, cols - 1, gamma, v);
        if (goal / cols == r)
            o[goal % cols] = 0.0;
        for (size_t c = 0; c < cols; c++) {
            double change = fabs(o[c] - row[c]);
            delta = change > delta ? change : delta;
        }
    }
    return delta;
}

static bool cpu_has_avx2(void)
{
#if HAVE_AVX2_CLONE
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}

/* The heap in use (glibc: small blocks and mmapped ones), to measure what an allocation
 * took; 0 elsewhere. */
static size_t heap_bytes(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
#else
    return 0;
#endif
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median, min and max of n samples in seconds (sorted in place), in milliseconds. */
static rl_bench_timing summarize(double *t, size_t n)
{
    qsort(t, n, sizeof *t, compare_doubles);
    double median = n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
    return (rl_bench_timing){1e3 * median, 1e3 * t[0], 1e3 * t[n - 1]};
}

/* The open size x size map with its goal in the bottom-right corner and a start cell in the
 * top-left one. The start changes nothing a sweep does; it is there because without it the
 * start distribution is uniform over ~size^2 cells, whose sum rl_mdp_finish checks against 1
 * within 1e-12, and plain summation of 1/n misses that from about 300 x 300 up. */
static rl_map *open_map(size_t size, rl_error *err)
{
    rl_map *map = malloc(sizeof *map);
    char *cells = malloc(size * size);
    if (!map || !cells) {
        free(map);
        free(cells);
        rl_error_set(err, RL_ENOMEM, "out of memory for a %zu x %zu map", size, size);
        return NULL;
    }
    memset(cells, '.', size * size);
    cells[0] = 'S';
    cells[size * size - 1] = 'G';
    *map = (rl_map){.rows = size, .cols = size, .cells = cells};
    return map;
}

static int set_all(rl_params *p, const char *const *pairs, rl_error *err)
{
    for (size_t i = 0; pairs[i]; i += 2) {
        int rc = rl_params_set(p, pairs[i], pairs[i + 1], err);
        if (rc != RL_OK)
            return rc;
    }
    return RL_OK;
}

/* The values after n synchronous sweeps from v = 0: a state d moves from the goal has
 * collected -1 per move for min(d, n) moves, -(1 - gamma^min(d, n)) / (1 - gamma). */
static double closed_form_diff(size_t size, size_t n, double gamma, const double *v)
{
    double diff = 0.0;
    for (size_t r = 0; r < size; r++) {
        for (size_t c = 0; c < size; c++) {
            size_t d = (size - 1 - r) + (size - 1 - c);
            double k = (double)(d < n ? d : n);
            double expected = -(1.0 - pow(gamma, k)) / (1.0 - gamma);
            double e = fabs(v[r * size + c] - expected);
            if (e > diff || e != e)
                diff = e;
        }
    }
    return diff;
}

static double max_abs_diff(const double *a, const double *b, size_t n)
{
    double diff = 0.0;
    for (size_t s = 0; s < n; s++) {
        double e = fabs(a[s] - b[s]);
        if (e > diff || e != e)
            diff = e;
    }
    return diff;
}

static int check_options(const rl_bench_dp_options *opt, rl_error *err)
{
    if (opt->size < 2 || opt->size > RL_BENCH_DP_MAX_SIZE) {
        rl_error_set(err, RL_ERANGE, "the grid size must be in [2, %d], not %zu",
                     RL_BENCH_DP_MAX_SIZE, opt->size);
        return rl_error_locate(err, RL_ERANGE, NULL, 0, 0, "size");
    }
    if (opt->sweeps < 1 || opt->sweeps > 1000000) {
        rl_error_set(err, RL_ERANGE, "sweeps must be in [1, 1000000], not %zu", opt->sweeps);
        return rl_error_locate(err, RL_ERANGE, NULL, 0, 0, "sweeps");
    }
    if (opt->warmup > 1000000) {
        rl_error_set(err, RL_ERANGE, "warm-up sweeps must be in [0, 1000000], not %zu",
                     opt->warmup);
        return rl_error_locate(err, RL_ERANGE, NULL, 0, 0, "warmup");
    }
    if (opt->repeats < 1 || opt->repeats > 10000) {
        rl_error_set(err, RL_ERANGE, "repeats must be in [1, 10000], not %zu", opt->repeats);
        return rl_error_locate(err, RL_ERANGE, NULL, 0, 0, "repeats");
    }
    return RL_OK;
}

int rl_bench_dp_run(const rl_bench_dp_options *opt, rl_bench_dp_result *res, rl_error *err)
{
    memset(res, 0, sizeof *res);
    int rc = check_options(opt, err);
    if (rc != RL_OK)
        return rc;
    const size_t size = opt->size, n = size * size, goal = n - 1;
    const size_t n_timed = opt->repeats * opt->sweeps, per_repeat = opt->warmup + opt->sweeps;
    const double gamma = RL_BENCH_DP_GAMMA;

    static const char *const env_keys[] = {
        "actions", "4", "reward_step", "-1", "reward_bump", "-1", "reward_goal", "-1",
        "goal_terminal", "true", NULL,
    };
    char max_iterations[32];
    snprintf(max_iterations, sizeof max_iterations, "%zu", per_repeat + 1);
    const char *const agent_keys[] = {
        "gamma", "0.99", "theta", "1e-300", "max_iterations", max_iterations, NULL,
    };

    rl_map *map = NULL;
    rl_mdp *m = NULL;
    rl_planner *planner = NULL;
    rl_params *env = rl_params_alloc(rl_gridworld_params);
    rl_params *agent = rl_params_alloc(rl_value_iteration_type.params);
    double *t_gridrl = malloc(n_timed * sizeof *t_gridrl);
    double *t_stencil = malloc(n_timed * sizeof *t_stencil);
    double *t_vector = malloc(n_timed * sizeof *t_vector);
    double *t_best = malloc(n_timed * sizeof *t_best);
    double *v_vector = calloc(n, sizeof *v_vector);
    double *v = calloc(n, sizeof *v), *v_next = calloc(n, sizeof *v_next);
    res->has_best = cpu_has_avx2();
    if (!env || !agent || !t_gridrl || !t_stencil || !t_vector || !t_best || !v || !v_next ||
        !v_vector) {
        rc = rl_error_set(err, RL_ENOMEM, "out of memory for the benchmark's buffers");
        goto done;
    }
    rc = set_all(env, env_keys, err);
    if (rc == RL_OK)
        rc = set_all(agent, agent_keys, err);
    if (rc != RL_OK)
        goto done;

    size_t heap0 = heap_bytes();
    double t0 = now_seconds();
    map = open_map(size, err);
    if (!map) {
        rc = RL_ENOMEM;
        goto done;
    }
    rc = rl_gridworld_compile(map, env, &m, err);
    if (rc != RL_OK)
        goto done;
    res->build_seconds = now_seconds() - t0;
    res->model_heap_bytes = heap_bytes() - heap0 - size * size; /* less the map's cells */
    res->n_states = m->n_states;
    res->n_actions = m->n_actions;
    size_t n_sa = m->n_states * m->n_actions;
    res->compact_bytes = n_sa * (sizeof *m->sure_next + sizeof *m->sure_reward) +
                         m->n_rewards * sizeof *m->reward_table;
    res->model_bytes = res->compact_bytes + (n_sa + 1) * sizeof *m->first +
                       m->capacity * sizeof *m->outcomes +
                       m->n_states * (sizeof *m->start + sizeof *m->kind + sizeof *m->cell) +
                       sizeof *m;

    for (size_t rep = 0; rep < opt->repeats; rep++) {
        /* gridrl: a fresh planner starts from v = 0. */
        rl_planner_free(planner);
        planner = NULL;
        heap0 = heap_bytes();
        t0 = now_seconds();
        rc = rl_planner_alloc(&rl_value_iteration_type, m, agent, NULL, &planner, err);
        if (rc != RL_OK)
            goto done;
        if (rep == 0) {
            res->alloc_seconds = now_seconds() - t0;
            res->planner_heap_bytes = heap_bytes() - heap0;
        }
        for (size_t i = 0; i < per_repeat; i++) {
            rl_sweep_report report;
            double start = now_seconds();
            rc = rl_planner_iterate(planner, &report, err);
            double elapsed = now_seconds() - start;
            if (rc < 0)
                goto done;
            if (i >= opt->warmup)
                t_gridrl[rep * opt->sweeps + i - opt->warmup] = elapsed;
        }
        rc = RL_OK;

        /* The stencil, from v = 0 as well. */
        memset(v, 0, n * sizeof *v);
        memset(v_next, 0, n * sizeof *v_next);
        for (size_t i = 0; i < per_repeat; i++) {
            double start = now_seconds();
            stencil_sweep(size, size, goal, gamma, v, v_next);
            double elapsed = now_seconds() - start;
            double *swap = v;
            v = v_next;
            v_next = swap;
            if (i >= opt->warmup)
                t_stencil[rep * opt->sweeps + i - opt->warmup] = elapsed;
        }

        /* The vectorised stencil, and its AVX2 build; v_vector ends with the values. */
        for (int best = 0; best <= (int)res->has_best; best++) {
            double *a = v_vector, *b = v_next;
            memset(a, 0, n * sizeof *a);
            memset(b, 0, n * sizeof *b);
            double *times = best ? t_best : t_vector;
            for (size_t i = 0; i < per_repeat; i++) {
                double start = now_seconds();
                vector_sweep(size, size, goal, gamma, a, b, best);
                double elapsed = now_seconds() - start;
                double *swap = a;
                a = b;
                b = swap;
                if (i >= opt->warmup)
                    times[rep * opt->sweeps + i - opt->warmup] = elapsed;
            }
            if (a != v_vector) /* an odd number of sweeps: the values are in v_next */
                memcpy(v_vector, a, n * sizeof *a);
            double d = max_abs_diff(v_vector, v, n);
            res->max_diff = d > res->max_diff || d != d ? d : res->max_diff;
        }
    }

    rl_planner_values(planner, v_next); /* the stencil's scratch array, free again */
    const double *v_gridrl = v_next;
    double d = max_abs_diff(v_gridrl, v, n);
    res->max_diff = d > res->max_diff || d != d ? d : res->max_diff;
    double c1 = closed_form_diff(size, per_repeat, gamma, v_gridrl);
    double c2 = closed_form_diff(size, per_repeat, gamma, v);
    res->max_closed_diff = c1 > c2 || c1 != c1 ? c1 : c2;
    res->gridrl = summarize(t_gridrl, n_timed);
    res->stencil = summarize(t_stencil, n_timed);
    res->ratio = res->gridrl.median_ms / res->stencil.median_ms;
    res->vector = summarize(t_vector, n_timed);
    res->ratio_vector = res->gridrl.median_ms / res->vector.median_ms;
    if (res->has_best) {
        res->best = summarize(t_best, n_timed);
        res->ratio_best = res->gridrl.median_ms / res->best.median_ms;
    }

done:
    rl_planner_free(planner);
    rl_mdp_free(m);
    rl_map_free(map);
    rl_params_free(env);
    rl_params_free(agent);
    free(t_gridrl);
    free(t_stencil);
    free(t_vector);
    free(t_best);
    free(v_vector);
    free(v);
    free(v_next);
    return rc;
}

/* Dynamic programming on the exact model: policy evaluation, value iteration, policy
 * iteration and truncated policy iteration (Zhao ch.4; Sutton & Barto ch.4).
 *
 * Each iterate() is one iteration the runner asked for; all buffers are allocated in init,
 * and sweeps read the model through rl_mdp_backup (its compact form). Inside iterations the
 * greedy action is the exact first maximum, so truncated policy iteration with one
 * evaluation sweep reproduces value iteration bit for bit; read-outs break near-ties by
 * action order (rl/argmax.h).
 *
 * Terminal states and walls keep value 0.
 */
#include "agents/dp.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_RUNS 1 /* built for AVX2 on the side, chosen at run time */
#else
#define HAVE_AVX2_RUNS 0
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rl/alloc.h"
#include "rl/evaluate.h"
#include "rl/policy.h"

enum { METHOD_SOLVE, METHOD_ITERATIVE };

/* States start .. end - 1 are decision states with one pattern. */
typedef struct pattern_run {
    size_t start, end;
    uint16_t pattern;
} pattern_run;

typedef struct dp {
    const rl_mdp *m;
    rl_space space; /* m's, for the policy tables */
    double gamma, theta, epsilon;
    size_t max_iterations, iteration, eval_sweeps;
    bool in_place;
    int method;
    double *v, *v_next; /* n_states */
    double *v_prev;     /* n_states: values before the current iteration (PI, TPI) */
    size_t *greedy;     /* n_states: the current policy of PI/TPI, greedy of VI */
    double *pi;         /* n_states * n_actions: evaluated policy */
    bool evaluating_given; /* policy_evaluation: pi is the given policy, read out as is */
    bool deterministic;    /* policy iteration: pi is one-hot on greedy */
    bool own_policy;       /* policy iteration: read out greedy, not the values' greedy */
    bool all_sure;         /* every (s, a) has one outcome: value iteration's fast sweep */
    bool avx2;             /* sweep_patterns may use its AVX2 pass (the CPU has it, and
                              GRIDRL_NO_AVX2 is not set: the SSE2 pass, same results) */
    float *greedy_runs;    /* synchronous value iteration on a model with patterns: its
                              greedy actions, as floats (sweep_patterns) */
    struct pattern_run *runs; /* the model's runs of states sharing a pattern */
    size_t n_runs;
    bool keep_ties;        /* policy iteration: an equally good action does not replace the
                              current one */
    size_t *read_out, *read_out_work; /* n_states each: scratch of the policy read-out */
} dp;

/* ---- parameters ---- */

#define GAMMA_PARAM                                                                         \
    {"gamma", RL_PARAM_DOUBLE, "0.9", 0, 1, 0, NULL,                                        \
     "discount factor; 1 needs every state to reach a terminal state"}
#define THETA_PARAM                                                                         \
    {"theta", RL_PARAM_DOUBLE, "1e-10", 0, HUGE_VAL, RL_PARAM_MIN_OPEN, NULL,               \
     "stop when a sweep changes no value by theta or more (max norm)"}
#define MAX_ITERATIONS_PARAM                                                                \
    {"max_iterations", RL_PARAM_INT, "100000", 1, 1e9, 0, NULL,                             \
     "stop after this many iterations even if not converged"}
#define EPSILON_PARAM                                                                       \
    {"epsilon", RL_PARAM_DOUBLE, "0", 0, 1, 0, NULL,                                        \
     "find the best epsilon-greedy policy (Zhao's rule, ch.5) and its values; 0: optimal"}
#define END_PARAM {NULL, 0, NULL, 0, 0, 0, NULL, NULL}

static const rl_param_spec evaluation_params[] = {
    GAMMA_PARAM,
    {"policy", RL_PARAM_CHOICE, "uniform", 0, 0, 0, "uniform|greedy|file",
     "the policy to evaluate: uniform, greedy w.r.t. values_file, or policy_file"},
    {"policy_file", RL_PARAM_STRING, NULL, 0, 0, 0, NULL,
     "policy = file: a policy.csv (row,col,action,probability) or an arrow grid (^>v<o)"},
    {"values_file", RL_PARAM_STRING, NULL, 0, 0, 0, NULL,
     "policy = greedy: a values.csv whose greedy policy is evaluated"},
    {"method", RL_PARAM_CHOICE, "solve", 0, 0, 0, "solve|iterative",
     "solve (I - gamma P) v = r exactly (LU), or iterate sweeps until theta"},
    {"in_place", RL_PARAM_BOOL, "false", 0, 0, 0, NULL,
     "iterative sweeps update values in place (Gauss-Seidel) instead of synchronously"},
    THETA_PARAM,
    MAX_ITERATIONS_PARAM,
    END_PARAM,
};

static const rl_param_spec value_iteration_params[] = {
    GAMMA_PARAM,
    THETA_PARAM,
    MAX_ITERATIONS_PARAM,
    {"in_place", RL_PARAM_BOOL, "false", 0, 0, 0, NULL,
     "update values in place (Gauss-Seidel) instead of synchronously"},
    EPSILON_PARAM,
    END_PARAM,
};

static const rl_param_spec policy_iteration_params[] = {
    GAMMA_PARAM,
    {"initial_policy", RL_PARAM_CHOICE, "uniform", 0, 0, 0, "stay|uniform|first",
     "policy of the first evaluation: stay everywhere, uniform, or the first action"},
    {"method", RL_PARAM_CHOICE, "solve", 0, 0, 0, "solve|iterative",
     "evaluate each policy exactly (LU) or by sweeps until theta (large models)"},
    {"ties", RL_PARAM_CHOICE, "keep", 0, 0, 0, "keep|first",
     "improvement among equally good actions: keep the current one, or take the first in "
     "action order"},
    THETA_PARAM,
    MAX_ITERATIONS_PARAM,
    EPSILON_PARAM,
    END_PARAM,
};

static const rl_param_spec truncated_params[] = {
    GAMMA_PARAM,
    {"eval_sweeps", RL_PARAM_INT, "5", 1, 1e9, 0, NULL,
     "evaluation sweeps per improvement (1: value iteration; large: policy iteration)"},
    THETA_PARAM,
    MAX_ITERATIONS_PARAM,
    EPSILON_PARAM,
    END_PARAM,
};

/* ---- shared pieces ---- */

static int find_runs(dp *d);

static void dp_release(void *state)
{
    dp *d = state;
    rl_free(d->v);
    rl_free(d->v_next);
    rl_free(d->v_prev);
    rl_free(d->greedy);
    rl_free(d->greedy_runs);
    rl_free(d->runs);
    rl_free(d->pi);
    rl_free(d->read_out);
    rl_free(d->read_out_work);
}

static int dp_init_common(dp *d, const rl_mdp *m, const rl_params *p, rl_error *err)
{
    memset(d, 0, sizeof *d);
    d->m = m;
    d->space = rl_mdp_space(m);
    d->gamma = rl_params_double(p, "gamma");
    d->theta = rl_params_double(p, "theta");
    d->max_iterations = (size_t)rl_params_int(p, "max_iterations");
    const rl_param_spec *table = rl_params_table(p);
    d->epsilon = rl_param_find(table, "epsilon") ? rl_params_double(p, "epsilon") : 0.0;
    d->in_place = rl_param_find(table, "in_place") && rl_params_bool(p, "in_place");
    d->method = rl_param_find(table, "method") &&
                        strcmp(rl_params_string(p, "method"), "iterative") == 0
                    ? METHOD_ITERATIVE
                    : METHOD_SOLVE;
    d->v = rl_calloc(m->n_states, sizeof *d->v);
    d->v_next = rl_calloc(m->n_states, sizeof *d->v_next);
    d->v_prev = rl_calloc(m->n_states, sizeof *d->v_prev);
    d->greedy = rl_calloc(m->n_states, sizeof *d->greedy);
    d->pi = rl_calloc(m->n_states * m->n_actions, sizeof *d->pi);
    d->read_out = rl_calloc(m->n_states, sizeof *d->read_out);
    d->read_out_work = rl_calloc(m->n_states, sizeof *d->read_out_work);
    if (!d->v || !d->v_next || !d->v_prev || !d->greedy || !d->pi || !d->read_out ||
        !d->read_out_work) {
        dp_release(d);
        return rl_error_set(err, RL_ENOMEM, "out of memory for a %zu-state model", m->n_states);
    }
    int rc = rl_mdp_check_proper(m, NULL, d->gamma, err);
    if (rc != RL_OK) {
        dp_release(d);
        rl_error_locate(err, rc, NULL, 0, 0, "gamma");
        return rc;
    }
    d->all_sure = true;
    for (size_t sa = 0; sa < m->n_states * m->n_actions && d->all_sure; sa++)
        d->all_sure = m->sure_next[sa] >= 0;
    return RL_OK;
}

/* The status after an iteration whose max-norm change was delta. */
static int dp_status(dp *d, double delta, rl_error *err)
{
    if (!isfinite(delta))
        return rl_error_set(err, RL_EDIVERGED, "values diverged at iteration %zu", d->iteration);
    if (delta < d->theta)
        return RL_OK;
    return d->iteration >= d->max_iterations ? RL_STOPPED : RL_CONTINUE;
}

/* max_a q(s, a) and its exact first argmax (rl/argmax.h's rule for an algorithm's internal
 * choice), over backups computed on the fly. */
static double best_backup(const rl_mdp *m, size_t s, const double *v, double gamma,
                          size_t *arg)
{
    double best = rl_mdp_backup(m, s, 0, v, gamma);
    size_t best_a = 0;
    for (size_t a = 1; a < m->n_actions; a++) {
        double q = rl_mdp_backup(m, s, a, v, gamma);
        if (q > best) {
            best = q;
            best_a = a;
        }
    }
    *arg = best_a;
    return best;
}

/* pi from the greedy actions: one-hot, or their epsilon-greedy version when the planner
 * looks for the best epsilon-greedy policy. */
static void fill_policy(dp *d)
{
    rl_policy_from_actions(&d->space, d->greedy, d->epsilon, d->pi);
}

/* The value of (s, a*) under the epsilon-greedy policy around the greedy action a*: every
 * action has probability epsilon / n, and a* also 1 - epsilon, so
 * v = (1 - epsilon) q(s, a*) + epsilon / n sum_a q(s, a) (Zhao's rule). With q(s, a*) the
 * maximum this is the epsilon-soft Bellman optimality backup. */
static double soft_backup(const rl_mdp *m, size_t s, const double *v, double gamma,
                          double epsilon, size_t *arg)
{
    double q[RL_MAX_ACTIONS], sum = 0.0;
    for (size_t a = 0; a < m->n_actions; a++) {
        q[a] = rl_mdp_backup(m, s, a, v, gamma);
        sum += q[a];
    }
    *arg = rl_argmax_first(q, m->n_actions);
    return (1.0 - epsilon) * q[*arg] + epsilon / (double)m->n_actions * sum;
}

static void dp_values(const void *state, double *v)
{
    const dp *d = state;
    memcpy(v, d->v, d->m->n_states * sizeof *v);
}

static void dp_action_values(const void *state, double *q)
{
    const dp *d = state;
    rl_mdp_q_from_v(d->m, d->v, d->gamma, q);
}

/* Control planners read out the greedy policy of their values (rl/argmax.h for ties);
 * policy iteration reads out its own policy, the one it evaluated exactly. */
static void dp_policy(const void *state, double *pi)
{
    const dp *d = state;
    const rl_mdp *m = d->m;
    if (d->evaluating_given) {
        memcpy(pi, d->pi, m->n_states * m->n_actions * sizeof *pi);
        return;
    }
    if (!d->own_policy)
        rl_policy_greedy_actions(m, d->v, d->gamma, d->read_out, d->read_out_work);
    rl_policy_from_actions(&d->space, d->own_policy ? d->greedy : d->read_out, d->epsilon, pi);
}

/* r + gamma v under d->pi (the epsilon-greedy policy of the greedy actions) at s. */
static double policy_backup(const dp *d, size_t s, const double *v)
{
    const rl_mdp *m = d->m;
    double value = 0.0;
    for (size_t a = 0; a < m->n_actions; a++)
        value += d->pi[s * m->n_actions + a] * rl_mdp_backup(m, s, a, v, d->gamma);
    return value;
}

/* ---- policy evaluation ---- */

static int evaluation_init(void *state, const rl_mdp *m, const rl_params *p,
                           const double *given_policy, rl_error *err)
{
    dp *d = state;
    int rc = dp_init_common(d, m, p, err);
    if (rc != RL_OK)
        return rc;
    d->evaluating_given = true;
    if (given_policy)
        memcpy(d->pi, given_policy, m->n_states * m->n_actions * sizeof *d->pi);
    else
        rl_policy_uniform(m->n_states, m->n_actions, d->pi);
    rc = rl_mdp_check_proper(m, d->pi, d->gamma, err);
    if (rc != RL_OK) {
        dp_release(d);
        rl_error_locate(err, rc, NULL, 0, 0, "gamma");
    }
    return rc;
}

static double max_change(const double *a, const double *b, size_t n)
{
    double delta = 0.0;
    for (size_t s = 0; s < n; s++) {
        double change = fabs(a[s] - b[s]);
        if (change > delta || change != change)
            delta = change;
    }
    return delta;
}

static int evaluation_iterate(void *state, rl_sweep_report *report, rl_error *err)
{
    dp *d = state;
    const rl_mdp *m = d->m;
    d->iteration++;
    double delta;
    if (d->method == METHOD_SOLVE) {
        memcpy(d->v_next, d->v, m->n_states * sizeof *d->v);
        int rc = rl_evaluate_solve(m, d->pi, d->gamma, d->v, err);
        if (rc != RL_OK)
            return rc;
        report->delta = max_change(d->v, d->v_next, m->n_states);
        report->policy_changes = 0;
        return RL_OK; /* the solve is exact: one iteration */
    }
    delta = rl_evaluate_sweep(m, d->pi, d->gamma, d->in_place, d->v, d->v_next);
    if (!d->in_place) {
        double *t = d->v;
        d->v = d->v_next;
        d->v_next = t;
    }
    report->delta = delta;
    report->policy_changes = 0;
    return dp_status(d, delta, err);
}

/* ---- value iteration ---- */

static int value_iteration_init(void *state, const rl_mdp *m, const rl_params *p,
                                 const double *given_policy, rl_error *err)
{
    (void)given_policy;
    dp *d = state;
    int rc = dp_init_common(d, m, p, err);
    /* (d->greedy holds the other sweeps' actions; greedy_runs only this one's.) */
#if HAVE_AVX2_RUNS
    d->avx2 = __builtin_cpu_supports("avx2") && !getenv("GRIDRL_NO_AVX2");
#endif
    if (rc == RL_OK && m->pattern && !d->in_place &&
        (!(d->greedy_runs = rl_calloc(m->n_states, sizeof *d->greedy_runs)) ||
         find_runs(d) != RL_OK)) {
        dp_release(d);
        rc = rl_error_set(err, RL_ENOMEM, "out of memory for a %zu-state model", m->n_states);
    }
    return rc;
}

/* What one value-iteration sweep found. */
typedef struct sweep_result {
    double delta;
    size_t changes;
    bool nan;
} sweep_result;

/* The sweep over a model whose every (s, a) has one outcome (any deterministic gridworld):
 * straight loads from the compact arrays, no branch on the outcome count, the model's
 * pointers held in locals (stores to out and greedy could otherwise alias them and force
 * reloads). Inlined with n_actions a constant, the action loop unrolls. */
static inline __attribute__((always_inline)) sweep_result
sweep_sure(const rl_mdp *m, size_t n_actions, double gamma, const double *v, double *out,
           size_t *greedy)
{
    const size_t n_states = m->n_states;
    const uint8_t *kind = m->kind;
    const int32_t *next = m->sure_next;
    const uint16_t *reward = m->sure_reward;
    const double *table = m->reward_table;
    sweep_result r = {0.0, 0, false};
    for (size_t s = 0; s < n_states; s++) {
        if (kind[s] != RL_STATE_OPEN)
            continue;
        size_t base = s * n_actions, arg = 0;
        double best = table[reward[base]] + gamma * v[next[base]];
        for (size_t a = 1; a < n_actions; a++) {
            double q = table[reward[base + a]] + gamma * v[next[base + a]];
            if (q > best) {
                best = q;
                arg = a;
            }
        }
        double change = fabs(best - v[s]);
        r.delta = change > r.delta ? change : r.delta;
        r.nan |= change != change;
        r.changes += arg != greedy[s];
        greedy[s] = arg;
        out[s] = best;
    }
    return r;
}

/* The sweep over a model with patterns (rl/mdp.h), synchronous. Consecutive states that
 * share a pattern (most of an open grid's rows) are a stencil: their action a's next states
 * sit at one offset, so the run is a loop over contiguous arrays that gcc vectorises (the
 * maxima and the first maximising action as selects). With SSE2 the run is one
 * hand-vectorised pass (pattern_run_sse2); elsewhere gcc vectorises what it can and the
 * max-norm change takes a second, scalar pass over the run, still in cache (gcc vectorises
 * no floating-point max reduction without -ffast-math). Every comparison is the scalar
 * sweep's, in the same order, so the values and actions are the same to the bit. */
/* A run's scalar pass (the vector passes' tail, and their stand-in without SSE2): inlined
 * with n_actions a constant, the action loop unrolls and gcc vectorises what it can. */
static inline __attribute__((always_inline)) double
pattern_run_scalar(size_t n_actions, double gamma, const double *const *p, const double *r,
                   double *out, float *greedy, size_t s0, size_t s1)
{
    double changes = 0.0;
    for (size_t s = s0; s < s1; s++) {
        double best = r[0] + gamma * p[0][s], arg = 0.0;
        for (size_t a = 1; a < n_actions; a++) {
            double q = r[a] + gamma * p[a][s];
            arg = q > best ? (double)a : arg;
            best = q > best ? q : best;
        }
        out[s] = best;
        changes += (float)arg != greedy[s] ? 1.0 : 0.0;
        greedy[s] = (float)arg;
    }
    return changes;
}

/* A run's operands: p[a] the values its states reach by action a (v shifted by the
 * pattern's offset), and the pattern's rewards, returned. */
static inline const double *run_operands(const dp *d, const pattern_run *run, const double *v,
                                         const double **p)
{
    const size_t n_actions = d->m->n_actions;
    const int32_t *offset = d->m->pattern_delta + (size_t)run->pattern * n_actions;
    for (size_t a = 0; a < n_actions; a++)
        p[a] = v + offset[a];
    return d->m->pattern_reward + (size_t)run->pattern * n_actions;
}

/* max |out - v| over [s0, s1) into *delta (a NaN change leaves it, and sets *nan), as the
 * scalar sweeps compute it. With SSE2, two lanes at a time: maxpd(c, m) keeps m when c is
 * NaN, as "change > delta ? change : delta" does, and the maximum of the lanes is the
 * maximum of all, whatever the order. */
static void run_max_change(const double *out, const double *v, size_t s0, size_t s1,
                           double *delta, bool *nan)
{
    size_t s = s0;
#if defined(__SSE2__)
    const __m128d abs_mask = _mm_castsi128_pd(_mm_set1_epi64x(INT64_MAX));
    __m128d m = _mm_set1_pd(*delta), unordered = _mm_setzero_pd();
    for (; s + 2 <= s1; s += 2) {
        __m128d c = _mm_and_pd(_mm_sub_pd(_mm_loadu_pd(out + s), _mm_loadu_pd(v + s)), abs_mask);
        m = _mm_max_pd(c, m);
        unordered = _mm_or_pd(unordered, _mm_cmpunord_pd(c, c));
    }
    double lanes[2], bad[2];
    _mm_storeu_pd(lanes, m);
    _mm_storeu_pd(bad, unordered);
    *delta = lanes[1] > lanes[0] ? lanes[1] : lanes[0];
    *nan |= bad[0] != 0.0 || bad[1] != 0.0 || bad[0] != bad[0] || bad[1] != bad[1];
#endif
    for (; s < s1; s++) {
        double change = fabs(out[s] - v[s]);
        *delta = change > *delta ? change : *delta;
        *nan |= change != change;
    }
}

#if defined(__SSE2__)
/* One run in one pass with SSE2, two states a step: the q's, the first maximum and its
 * action by compare-and-select (andpd/andnpd/orpd, the same strict comparisons in the same
 * order as the scalar code), the change count and the max-norm change (maxpd(c, m), which
 * keeps m for a NaN c, as the scalar code does; NaNs flagged apart). A tail state goes
 * through the scalar loop. Inlined with n_actions a constant. */
static inline __attribute__((always_inline)) double
pattern_run_sse2(size_t n_actions, double gamma, const double *const *p, const double *r,
                 const double *v, double *out, float *greedy, size_t s0, size_t s1,
                 double *delta, bool *nan)
{
    const __m128d g = _mm_set1_pd(gamma);
    const __m128d abs_mask = _mm_castsi128_pd(_mm_set1_epi64x(INT64_MAX));
    __m128d m = _mm_set1_pd(*delta), unordered = _mm_setzero_pd();
    __m128i changed = _mm_setzero_si128();
    size_t s = s0;
    for (; s + 2 <= s1; s += 2) {
        __m128d best = _mm_add_pd(_mm_set1_pd(r[0]), _mm_mul_pd(g, _mm_loadu_pd(p[0] + s)));
        __m128d arg = _mm_setzero_pd();
        for (size_t a = 1; a < n_actions; a++) {
            __m128d q = _mm_add_pd(_mm_set1_pd(r[a]), _mm_mul_pd(g, _mm_loadu_pd(p[a] + s)));
            /* maxpd(q, best) is "q > best ? q : best", NaNs included; the actions grow
             * with a, so the new one, where q is better, is also the larger. */
            arg = _mm_max_pd(arg, _mm_and_pd(_mm_cmpgt_pd(q, best), _mm_set1_pd((double)a)));
            best = _mm_max_pd(q, best);
        }
        _mm_storeu_pd(out + s, best);
        /* The actions as two floats (exact: at most 15): half the traffic of doubles. */
        __m128 now = _mm_cvtpd_ps(arg);
        __m128 old = _mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)(greedy + s)));
        /* A changed lane's mask is -1: subtracting it counts (the upper lanes are 0 = 0). */
        changed = _mm_sub_epi32(changed, _mm_castps_si128(_mm_cmpneq_ps(now, old)));
        _mm_storel_epi64((__m128i *)(greedy + s), _mm_castps_si128(now));
        __m128d c = _mm_and_pd(_mm_sub_pd(best, _mm_loadu_pd(v + s)), abs_mask);
        m = _mm_max_pd(c, m);
        /* A sum of changes >= 0 is NaN exactly when one of them is (overflow gives inf). */
        unordered = _mm_add_pd(unordered, c);
    }
    double lanes[2], sums[2];
    _mm_storeu_pd(lanes, m);
    _mm_storeu_pd(sums, unordered);
    *delta = lanes[1] > lanes[0] ? lanes[1] : lanes[0];
    *nan |= sums[0] != sums[0] || sums[1] != sums[1];
    uint32_t counts[4];
    _mm_storeu_si128((__m128i *)counts, changed);
    double total = (double)counts[0] + (double)counts[1];
    if (s < s1) {
        total += pattern_run_scalar(n_actions, gamma, p, r, out, greedy, s, s1);
        run_max_change(out, v, s, s1, delta, nan);
    }
    return total;
}
#endif

#if HAVE_AVX2_RUNS
/* The same pass four states a step for CPUs with AVX2 (most x86-64 since 2013), chosen at
 * run time. Built without FMA so that no multiply-add is fused: the same roundings, the
 * same values to the bit. */
__attribute__((target("avx2"))) static inline double
pattern_run_avx2(size_t n_actions, double gamma, const double *const *p, const double *r,
                 const double *v, double *out, float *greedy, size_t s0, size_t s1,
                 double *delta, bool *nan)
{
    const __m256d g = _mm256_set1_pd(gamma);
    const __m256d abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(INT64_MAX));
    __m256d m = _mm256_set1_pd(*delta), sums = _mm256_setzero_pd();
    __m128i changed = _mm_setzero_si128();
    size_t s = s0;
    for (; s + 4 <= s1; s += 4) {
        __m256d best = _mm256_add_pd(_mm256_set1_pd(r[0]),
                                     _mm256_mul_pd(g, _mm256_loadu_pd(p[0] + s)));
        __m256d arg = _mm256_setzero_pd();
        for (size_t a = 1; a < n_actions; a++) {
            __m256d q = _mm256_add_pd(_mm256_set1_pd(r[a]),
                                      _mm256_mul_pd(g, _mm256_loadu_pd(p[a] + s)));
            arg = _mm256_max_pd(arg, _mm256_and_pd(_mm256_cmp_pd(q, best, _CMP_GT_OQ),
                                                   _mm256_set1_pd((double)a)));
            best = _mm256_max_pd(q, best);
        }
        _mm256_storeu_pd(out + s, best);
        __m128 now = _mm256_cvtpd_ps(arg);
        __m128 old = _mm_loadu_ps(greedy + s);
        changed = _mm_sub_epi32(changed, _mm_castps_si128(_mm_cmpneq_ps(now, old)));
        _mm_storeu_ps(greedy + s, now);
        __m256d c = _mm256_and_pd(_mm256_sub_pd(best, _mm256_loadu_pd(v + s)), abs_mask);
        m = _mm256_max_pd(c, m);
        sums = _mm256_add_pd(sums, c);
    }
    double lanes[4], total_lanes[4];
    _mm256_storeu_pd(lanes, m);
    _mm256_storeu_pd(total_lanes, sums);
    for (int k = 0; k < 4; k++) {
        *delta = lanes[k] > *delta ? lanes[k] : *delta;
        *nan |= total_lanes[k] != total_lanes[k];
    }
    uint32_t counts[4];
    _mm_storeu_si128((__m128i *)counts, changed);
    double total = (double)counts[0] + (double)counts[1] + (double)counts[2] + (double)counts[3];
    if (s < s1) {
        total += pattern_run_scalar(n_actions, gamma, p, r, out, greedy, s, s1);
        run_max_change(out, v, s, s1, delta, nan);
    }
    return total;
}

/* One sweep's runs with AVX2: the loop of sweep_patterns, its own so that the pass above is
 * inlined into code built for AVX2 (a call per run costs a quarter of the sweep). */
__attribute__((target("avx2"))) static double
runs_avx2(const dp *d, const double *v, double *out, double *delta, bool *nan)
{
    const size_t n_actions = d->m->n_actions;
    double changes = 0.0;
    for (size_t i = 0; i < d->n_runs; i++) {
        const double *p[RL_MAX_ACTIONS];
        const double *r = run_operands(d, &d->runs[i], v, p);
        const size_t s0 = d->runs[i].start, s1 = d->runs[i].end;
        if (n_actions == 4)
            changes += pattern_run_avx2(4, d->gamma, p, r, v, out, d->greedy_runs, s0, s1,
                                        delta, nan);
        else if (n_actions == 5)
            changes += pattern_run_avx2(5, d->gamma, p, r, v, out, d->greedy_runs, s0, s1,
                                        delta, nan);
        else
            changes += pattern_run_avx2(n_actions, d->gamma, p, r, v, out, d->greedy_runs, s0,
                                        s1, delta, nan);
    }
    return changes;
}
#endif

static sweep_result sweep_patterns(const dp *d, const double *v, double *out)
{
    const size_t n_actions = d->m->n_actions;
    sweep_result res = {0.0, 0, false};
#if HAVE_AVX2_RUNS
    if (d->avx2) {
        res.changes = (size_t)runs_avx2(d, v, out, &res.delta, &res.nan);
        return res;
    }
#endif
    double changes = 0.0;
    for (size_t i = 0; i < d->n_runs; i++) {
        const double *p[RL_MAX_ACTIONS];
        const double *r = run_operands(d, &d->runs[i], v, p);
        const size_t s0 = d->runs[i].start, s1 = d->runs[i].end;
        float *greedy = d->greedy_runs;
#if defined(__SSE2__)
        if (n_actions == 4)
            changes += pattern_run_sse2(4, d->gamma, p, r, v, out, greedy, s0, s1, &res.delta,
                                        &res.nan);
        else if (n_actions == 5)
            changes += pattern_run_sse2(5, d->gamma, p, r, v, out, greedy, s0, s1, &res.delta,
                                        &res.nan);
        else
            changes += pattern_run_sse2(n_actions, d->gamma, p, r, v, out, greedy, s0, s1,
                                        &res.delta, &res.nan);
#else
        if (n_actions == 4)
            changes += pattern_run_scalar(4, d->gamma, p, r, out, greedy, s0, s1);
        else if (n_actions == 5)
            changes += pattern_run_scalar(5, d->gamma, p, r, out, greedy, s0, s1);
        else
            changes += pattern_run_scalar(n_actions, d->gamma, p, r, out, greedy, s0, s1);
        run_max_change(out, v, s0, s1, &res.delta, &res.nan);
#endif
    }
    res.changes = (size_t)changes;
    return res;
}

/* The runs of consecutive decision states sharing a pattern, once per planner: d->runs. */
static int find_runs(dp *d)
{
    const rl_mdp *m = d->m;
    size_t n = 0, capacity = 0;
    pattern_run *runs = NULL;
    for (size_t s0 = 0; s0 < m->n_states;) {
        if (m->kind[s0] != RL_STATE_OPEN) {
            s0++;
            continue;
        }
        size_t s1 = s0 + 1;
        while (s1 < m->n_states && m->pattern[s1] == m->pattern[s0]) /* none off decisions */
            s1++;
        if (n == capacity) {
            capacity = capacity ? 2 * capacity : 64;
            pattern_run *grown = rl_realloc(runs, capacity * sizeof *grown);
            if (!grown) {
                rl_free(runs);
                return RL_ENOMEM;
            }
            runs = grown;
        }
        runs[n++] = (pattern_run){s0, s1, m->pattern[s0]};
        s0 = s1;
    }
    d->runs = runs;
    d->n_runs = n;
    return RL_OK;
}

static sweep_result sweep_general(const rl_mdp *m, double gamma, double epsilon,
                                  const double *v, double *out, size_t *greedy)
{
    sweep_result r = {0.0, 0, false};
    for (size_t s = 0; s < m->n_states; s++) {
        if (!rl_mdp_is_decision(m, s))
            continue;
        size_t arg;
        double best = epsilon > 0.0 ? soft_backup(m, s, v, gamma, epsilon, &arg)
                                    : best_backup(m, s, v, gamma, &arg);
        double change = fabs(best - v[s]);
        r.delta = change > r.delta ? change : r.delta;
        r.nan |= change != change;
        r.changes += arg != greedy[s];
        greedy[s] = arg;
        out[s] = best;
    }
    return r;
}

static int value_iteration_iterate(void *state, rl_sweep_report *report, rl_error *err)
{
    dp *d = state;
    const rl_mdp *m = d->m;
    double *out = d->in_place ? d->v : d->v_next;
    d->iteration++;
    sweep_result r;
    bool hard = d->epsilon == 0.0;
    /* In place, a sweep reads values it wrote itself: the stencil form would not. */
    if (hard && d->greedy_runs && !d->in_place)
        r = sweep_patterns(d, d->v, out);
    else if (hard && d->all_sure && m->n_actions == 4)
        r = sweep_sure(m, 4, d->gamma, d->v, out, d->greedy);
    else if (hard && d->all_sure && m->n_actions == 5)
        r = sweep_sure(m, 5, d->gamma, d->v, out, d->greedy);
    else if (hard && d->all_sure)
        r = sweep_sure(m, m->n_actions, d->gamma, d->v, out, d->greedy);
    else
        r = sweep_general(m, d->gamma, d->epsilon, d->v, out, d->greedy);
    if (!d->in_place) {
        d->v_next = d->v;
        d->v = out;
    }
    report->delta = r.nan ? NAN : r.delta;
    report->policy_changes = d->iteration == 1 ? 0 : r.changes;
    return dp_status(d, report->delta, err);
}

/* ---- policy iteration ---- */

static int policy_iteration_init(void *state, const rl_mdp *m, const rl_params *p,
                                 const double *given_policy, rl_error *err)
{
    (void)given_policy;
    dp *d = state;
    int rc = dp_init_common(d, m, p, err);
    /* (d->greedy holds the other sweeps' actions; greedy_runs only this one's.) */
    if (rc != RL_OK)
        return rc;
    d->own_policy = true;
    d->keep_ties = strcmp(rl_params_string(p, "ties"), "keep") == 0;
    const char *initial = rl_params_string(p, "initial_policy");
    if (strcmp(initial, "uniform") == 0) {
        rl_policy_uniform(m->n_states, m->n_actions, d->pi);
        return RL_OK;
    }
    size_t a0 = 0;
    if (strcmp(initial, "stay") == 0) {
        int stay = rl_mdp_action_index(m, "stay");
        if (stay < 0) {
            dp_release(d);
            rl_error_set(err, RL_EINVAL,
                         "initial_policy = stay needs a stay action (env actions = 5 or 9)");
            return rl_error_locate(err, RL_EINVAL, NULL, 0, 0, "initial_policy");
        }
        a0 = (size_t)stay;
    }
    for (size_t s = 0; s < m->n_states; s++)
        d->greedy[s] = a0;
    d->deterministic = true;
    fill_policy(d);
    return RL_OK;
}

static int evaluate_current(dp *d, rl_error *err)
{
    if (d->method == METHOD_SOLVE)
        return rl_evaluate_solve(d->m, d->pi, d->gamma, d->v, err);
    int rc = rl_evaluate_iterative(d->m, d->pi, d->gamma, d->theta, d->max_iterations, false,
                                   d->v, d->v_next, NULL, err);
    return rc == RL_CONTINUE ? RL_OK : rc;
}

static int policy_iteration_iterate(void *state, rl_sweep_report *report, rl_error *err)
{
    dp *d = state;
    const rl_mdp *m = d->m;
    d->iteration++;
    memcpy(d->v_prev, d->v, m->n_states * sizeof *d->v);
    int rc = rl_mdp_check_proper(m, d->pi, d->gamma, err);
    if (rc == RL_OK)
        rc = evaluate_current(d, err);
    if (rc != RL_OK)
        return rc;
    report->delta = max_change(d->v, d->v_prev, m->n_states);
    size_t changes = 0;
    for (size_t s = 0; s < m->n_states; s++) {
        if (!rl_mdp_is_decision(m, s))
            continue;
        size_t arg;
        double best = best_backup(m, s, d->v, d->gamma, &arg);
        if (d->deterministic && d->keep_ties) {
            /* Keep the current action unless another is better beyond round-off. */
            double current = rl_mdp_backup(m, s, d->greedy[s], d->v, d->gamma);
            if (best <= current + RL_TIE_TOLERANCE * (1.0 + fabs(current)))
                arg = d->greedy[s];
        } else {
            /* The first action within round-off of the best, in action order: a function of
             * the values alone, so equally good policies cannot alternate. */
            double q[RL_MAX_ACTIONS];
            for (size_t a = 0; a < m->n_actions; a++)
                q[a] = rl_mdp_backup(m, s, a, d->v, d->gamma);
            arg = rl_argmax_readout(q, m->n_actions);
        }
        changes += !d->deterministic || arg != d->greedy[s];
        d->greedy[s] = arg;
    }
    d->deterministic = true;
    fill_policy(d);
    report->policy_changes = changes;
    if (changes == 0)
        return RL_OK;
    return d->iteration >= d->max_iterations ? RL_STOPPED : RL_CONTINUE;
}

/* ---- truncated policy iteration ---- */

static int truncated_init(void *state, const rl_mdp *m, const rl_params *p,
                          const double *given_policy, rl_error *err)
{
    (void)given_policy;
    dp *d = state;
    int rc = dp_init_common(d, m, p, err);
    /* (d->greedy holds the other sweeps' actions; greedy_runs only this one's.) */
    if (rc == RL_OK)
        d->eval_sweeps = (size_t)rl_params_int(p, "eval_sweeps");
    return rc;
}

/* Improvement first (greedy w.r.t. the current values), then eval_sweeps synchronous
 * sweeps of that policy from the current values: with one sweep this is value iteration. */
static int truncated_iterate(void *state, rl_sweep_report *report, rl_error *err)
{
    dp *d = state;
    const rl_mdp *m = d->m;
    d->iteration++;
    size_t changes = 0;
    for (size_t s = 0; s < m->n_states; s++) {
        if (!rl_mdp_is_decision(m, s))
            continue;
        size_t arg;
        best_backup(m, s, d->v, d->gamma, &arg);
        changes += arg != d->greedy[s];
        d->greedy[s] = arg;
    }
    if (d->epsilon > 0.0)
        fill_policy(d);
    memcpy(d->v_prev, d->v, m->n_states * sizeof *d->v);
    for (size_t sweep = 0; sweep < d->eval_sweeps; sweep++) {
        for (size_t s = 0; s < m->n_states; s++)
            d->v_next[s] = !rl_mdp_is_decision(m, s) ? 0.0
                           : d->epsilon > 0.0 ? policy_backup(d, s, d->v)
                                              : rl_mdp_backup(m, s, d->greedy[s], d->v, d->gamma);
        double *t = d->v;
        d->v = d->v_next;
        d->v_next = t;
    }
    /* The change over the whole iteration, as value iteration measures it per sweep. */
    double delta = max_change(d->v, d->v_prev, m->n_states);
    report->delta = delta;
    report->policy_changes = d->iteration == 1 ? 0 : changes;
    return dp_status(d, delta, err);
}

/* ---- types ---- */

#define DP_TYPE(var, NAME, DOC, PARAMS, INIT, ITERATE, PREDICTION)                          \
    const rl_planner_type var##_type = {                                                    \
        .name = NAME,                                                                       \
        .doc = DOC,                                                                         \
        .params = PARAMS,                                                                   \
        .size = sizeof(dp),                                                                 \
        .prediction = PREDICTION,                                                           \
        .init = INIT,                                                                       \
        .release = dp_release,                                                              \
        .iterate = ITERATE,                                                                 \
        .values = dp_values,                                                                \
        .action_values = dp_action_values,                                                  \
        .policy = dp_policy,                                                                \
    }

DP_TYPE(rl_policy_evaluation, "policy_evaluation",
        "exact values of a given policy (linear solve or iterative sweeps)", evaluation_params,
        evaluation_init, evaluation_iterate, true);
DP_TYPE(rl_value_iteration, "value_iteration",
        "value iteration, synchronous or in place, until the max-norm change < theta",
        value_iteration_params, value_iteration_init, value_iteration_iterate, false);
DP_TYPE(rl_policy_iteration, "policy_iteration",
        "policy iteration with exact evaluation, until the policy is stable",
        policy_iteration_params, policy_iteration_init, policy_iteration_iterate, false);
DP_TYPE(rl_truncated_policy_iteration, "truncated_policy_iteration",
        "truncated policy iteration: eval_sweeps sweeps per improvement (Zhao ch.4)",
        truncated_params, truncated_init, truncated_iterate, false);

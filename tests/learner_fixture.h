/* Helpers shared by the tests of the prediction and trace learners (test_prediction,
 * test_traces): a hand-built line of states to feed transitions to, learners from the
 * registry with agent keys, the test's own episode loop (recording every transition, so a
 * test can replay or re-derive what the learner saw), and K independent runs through the
 * library's episode loop for convergence checks.
 *
 * Include after tests/support.h.
 */
#ifndef GRIDRL_TESTS_LEARNER_FIXTURE_H
#define GRIDRL_TESTS_LEARNER_FIXTURE_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agents/learner.h"
#include "agents/registry.h"
#include "envs/registry.h"
#include "experiments/runner/episode_loop.h"
#include "rl/env.h"
#include "rl/mdp.h"
#include "rl/rng.h"

/* Hand-model actions. */
enum { LF_LEFT, LF_RIGHT };

static inline void lf_fail(const char *what, int rc, const rl_error *err)
{
    char buf[1024];
    rl_error_format(err, buf, sizeof buf);
    fail_msg("%s failed (%d): %s", what, rc, buf);
}

/* 1 x (n_open + 1): states 0 .. n_open - 1 open, the last terminal; actions left, right,
 * moving along the line (off the row: stay). The learners see only sizes and kinds, so the
 * rewards are 0 and the transitions only have to be valid: tests feed their own. */
static inline rl_mdp *lf_line_model(size_t n_open)
{
    rl_error err;
    size_t n = n_open + 1;
    rl_mdp *m = test_mdp_alloc(1, n, 2, &err);
    if (!m)
        lf_fail("rl_mdp_alloc", err.code, &err);
    m->kind[n - 1] = RL_STATE_TERMINAL;
    m->start[0] = 1.0;
    for (size_t s = 0; s < n; s++) {
        for (size_t a = 0; a < 2; a++) {
            size_t next = s == n - 1 ? s : a == LF_LEFT ? (s ? s - 1 : 0) : s + 1;
            int rc = rl_mdp_add_outcome(m, s, a, 1.0, next, 0.0, next == n - 1, &err);
            if (rc != RL_OK)
                lf_fail("rl_mdp_add_outcome", rc, &err);
        }
    }
    int rc = rl_mdp_finish(m, &err);
    if (rc != RL_OK)
        lf_fail("rl_mdp_finish", rc, &err);
    return m;
}

/* A learner registered as name, on space sp, with agent keys kv ("key", "value", ...,
 * NULL); NULL and err filled when it cannot be made. */
static inline rl_learner *lf_learner_try(const char *name, const rl_space *sp,
                                         const char *const *kv, gsl_rng *r, rl_error *err)
{
    rl_error_clear(err);
    const rl_agent *info = rl_agent_find(name, err);
    if (!info)
        lf_fail(name, err->code, err);
    assert_int_equal(info->kind, RL_AGENT_LEARNER);
    rl_params *p = rl_params_alloc(info->learner->params);
    assert_non_null(p);
    for (size_t i = 0; kv && kv[i]; i += 2) {
        int rc = rl_params_set(p, kv[i], kv[i + 1], err);
        if (rc != RL_OK)
            lf_fail(kv[i], rc, err);
    }
    rl_learner *l = NULL;
    rl_learner_alloc(info->learner, sp, p, NULL, r, &l, err);
    rl_params_free(p);
    return l;
}

static inline rl_learner *lf_learner(const char *name, const rl_space *sp,
                                     const char *const *kv)
{
    rl_error err;
    rl_learner *l = lf_learner_try(name, sp, kv, NULL, &err);
    if (!l)
        lf_fail(name, err.code, &err);
    return l;
}

/* Feeds one transition; returns the learner's next action. */
static inline size_t lf_observe(rl_learner *l, size_t s, size_t a, double reward, size_t next,
                                bool terminated, bool truncated, gsl_rng *r)
{
    rl_transition t = {s, a, reward, next, terminated, truncated};
    return rl_learner_observe(l, &t, r);
}

static inline void lf_end(rl_learner *l)
{
    rl_error err;
    int rc = rl_learner_end_episode(l, &err);
    if (rc != RL_CONTINUE)
        lf_fail("end_episode", rc, &err);
}

/* The learner's value of state s. */
static inline double lf_v(const rl_learner *l, size_t s)
{
    double v[64];
    assert_true(rl_learner_values(l, v));
    return v[s];
}

/* Every value v(0 .. n) equals want (to tolerance). */
static inline void lf_expect_v(const rl_learner *l, const double *want, size_t n,
                               double tolerance)
{
    double v[64];
    assert_true(n <= 64);
    assert_true(rl_learner_values(l, v));
    for (size_t s = 0; s < n; s++)
        if (!(fabs(v[s] - want[s]) <= tolerance))
            fail_msg("%s: v(%zu) = %.17g, expected %.17g", rl_learner_name(l), s, v[s], want[s]);
}

/* A gridworld preset's env, with extra [env] keys kv. */
static inline rl_env *lf_env(const char *preset, const char *const *kv)
{
    const rl_env_type *gw = rl_env_type_find("gridworld", NULL);
    assert_non_null(gw);
    rl_params *p = rl_params_alloc(gw->params);
    assert_non_null(p);
    rl_error err;
    assert_int_equal(rl_params_set(p, "preset", preset, &err), RL_OK);
    for (size_t i = 0; kv && kv[i]; i += 2)
        if (rl_params_set(p, kv[i], kv[i + 1], &err) != RL_OK)
            lf_fail(kv[i], err.code, &err);
    rl_env *env;
    int rc = rl_env_alloc(gw, p, &env, &err);
    if (rc != RL_OK)
        lf_fail(preset, rc, &err);
    rl_params_free(p);
    return env;
}

/* What the test's loop saw: every transition with the action the learner returned after
 * it, and per episode where its transitions begin. */
typedef struct lf_record {
    rl_transition *t;
    size_t *next_action;
    size_t n, capacity;
    size_t *episode_start; /* episodes + 1 entries */
    size_t episodes, terminated, truncated, longest;
} lf_record;

static inline void lf_record_free(lf_record *rec)
{
    free(rec->t);
    free(rec->next_action);
    free(rec->episode_start);
    memset(rec, 0, sizeof *rec);
}

/* Runs episodes of l on env from the env's start with generator r, each truncated after
 * cap steps (0: never), ending each with end_episode; records into rec when not NULL. */
static inline void lf_run(rl_env *env, rl_learner *l, gsl_rng *r, size_t episodes, size_t cap,
                          lf_record *rec)
{
    if (rec) {
        memset(rec, 0, sizeof *rec);
        rec->episode_start = calloc(episodes + 1, sizeof *rec->episode_start);
        assert_non_null(rec->episode_start);
    }
    for (size_t e = 0; e < episodes; e++) {
        size_t s = rl_env_reset(env, r);
        size_t a = rl_learner_begin_episode(l, s, r);
        size_t length = 0;
        for (;;) {
            rl_step st = rl_env_step(env, a, r);
            length++;
            rl_transition t = {s, a, st.reward, st.next, st.terminated,
                               !st.terminated && length == cap};
            size_t next_action = rl_learner_observe(l, &t, r);
            if (rec) {
                if (rec->n == rec->capacity) {
                    rec->capacity = rec->capacity ? 2 * rec->capacity : 1024;
                    rec->t = realloc(rec->t, rec->capacity * sizeof *rec->t);
                    rec->next_action =
                        realloc(rec->next_action, rec->capacity * sizeof *rec->next_action);
                    assert_non_null(rec->t);
                    assert_non_null(rec->next_action);
                }
                rec->t[rec->n] = t;
                rec->next_action[rec->n++] = next_action;
            }
            if (t.terminated || t.truncated) {
                if (rec) {
                    rec->terminated += t.terminated;
                    rec->truncated += t.truncated;
                }
                break;
            }
            s = st.next;
            a = next_action;
        }
        lf_end(l);
        if (rec) {
            rec->episodes++;
            rec->episode_start[e + 1] = rec->n;
            rec->longest = length > rec->longest ? length : rec->longest;
        }
    }
}

/* Runs a and b (agent keys a_kv, b_kv) on two copies of preset (extra env keys env_kv)
 * with generators of the same seed, for episodes of at most cap steps, and requires their
 * state values (and action values, where both have them) to be bitwise equal after every
 * episode when exact, else within tolerance * (1 + |value|). Returns nothing; fails with
 * the first difference. Also requires that the run was not vacuous: some value moved away
 * from its start, and (when cap > 0) episodes ended both ways. */
static inline void lf_expect_same(const char *a_name, const char *const *a_kv,
                                  const char *b_name, const char *const *b_kv,
                                  const char *preset, const char *const *env_kv,
                                  size_t episodes, size_t cap, double tolerance)
{
    rl_env *ea = lf_env(preset, env_kv), *eb = lf_env(preset, env_kv);
    const rl_space *sp = rl_env_space(ea);
    rl_learner *la = lf_learner(a_name, sp, a_kv), *lb = lf_learner(b_name, sp, b_kv);
    gsl_rng *ra = rl_rng_alloc(2024, NULL), *rb = rl_rng_alloc(2024, NULL);
    size_t n = sp->n_states * sp->n_actions;
    double *va = malloc(n * sizeof *va), *vb = malloc(n * sizeof *vb);
    double *start = malloc(n * sizeof *start);
    assert_non_null(va);
    assert_non_null(vb);
    assert_non_null(start);
    assert_true(rl_learner_values(la, start));
    size_t terminated = 0, truncated = 0;
    bool q = rl_learner_action_values(la, va) && rl_learner_action_values(lb, vb);
    for (size_t e = 0; e < episodes; e++) {
        lf_record rec_a, rec_b;
        lf_run(ea, la, ra, 1, cap, &rec_a);
        lf_run(eb, lb, rb, 1, cap, &rec_b);
        assert_int_equal(rec_a.n, rec_b.n);
        terminated += rec_a.terminated;
        truncated += rec_a.truncated;
        lf_record_free(&rec_a);
        lf_record_free(&rec_b);
        for (int pass = 0; pass < 1 + q; pass++) {
            size_t count = pass ? n : sp->n_states;
            if (pass) {
                rl_learner_action_values(la, va);
                rl_learner_action_values(lb, vb);
            } else {
                rl_learner_values(la, va);
                rl_learner_values(lb, vb);
            }
            for (size_t i = 0; i < count; i++) {
                bool same = tolerance == 0.0
                                ? memcmp(&va[i], &vb[i], sizeof va[i]) == 0
                                : fabs(va[i] - vb[i]) <= tolerance * (1.0 + fabs(va[i]));
                if (!same)
                    fail_msg("%s vs %s, episode %zu: %s[%zu] = %.17g vs %.17g", a_name, b_name,
                             e, pass ? "q" : "v", i, va[i], vb[i]);
            }
        }
    }
    rl_learner_values(la, va);
    size_t moved = 0;
    for (size_t s = 0; s < sp->n_states; s++)
        moved += va[s] != start[s];
    assert_true(moved > 0);
    assert_true(terminated > 0);
    if (cap)
        assert_true(truncated > 0);
    free(va);
    free(vb);
    free(start);
    rl_learner_free(la);
    rl_learner_free(lb);
    rl_rng_free(ra);
    rl_rng_free(rb);
    rl_env_free(ea);
    rl_env_free(eb);
}

/* K independent runs of learner name (keys kv) for E episodes on preset through the
 * library's episode loop; their final values into v (K x n_states); the preset's n_states
 * into *n. Seeds rl_rng_seed(base, 0, k). */
static inline void lf_runs(const char *name, const char *const *kv, const char *preset,
                           size_t K, size_t E, unsigned long base, double *v, size_t *n)
{
    for (size_t k = 0; k < K; k++) {
        rl_env *env = lf_env(preset, NULL);
        const rl_space *sp = rl_env_space(env);
        *n = sp->n_states;
        rl_error err;
        rl_run_result res;
        assert_int_equal(rl_run_result_prepare(&res, env, sp, &err), RL_OK);
        gsl_rng *r = rl_rng_alloc(rl_rng_seed(base, 0, k), NULL);
        rl_learner *l;
        l = lf_learner_try(name, sp, kv, r, &err);
        if (!l)
            lf_fail(name, err.code, &err);
        rl_loop_options o = RL_LOOP_OPTIONS_DEFAULT;
        o.episodes = E;
        int rc = rl_episode_loop(env, l, r, &o, &res, &err);
        if (rc != RL_OK)
            lf_fail("rl_episode_loop", rc, &err);
        assert_string_equal(res.status, "completed");
        memcpy(v + k * sp->n_states, res.values, sp->n_states * sizeof *v);
        rl_learner_free(l);
        rl_rng_free(r);
        rl_run_result_free(&res);
    }
}

/* v_pi of the 5-state random walk under the uniform policy (S&B Example 6.2): 0 at the
 * terminal ends, A-E = 1/6 .. 5/6 (gambler's ruin; tests/test_known_answers.c checks the
 * preset against it). */
static inline double lf_walk5_value(size_t s)
{
    return s == 0 || s == 6 ? 0.0 : (double)s / 6.0;
}

#define LF_MAX_RUNS 64

/* The mean over K runs of the final values (lf_runs) is within 5 standard errors of truth
 * in every decision state, plus slack for the bias a constant step size leaves (of order
 * alpha; stated by the caller). With K = 16 the mean over runs is a t statistic with 15
 * degrees of freedom: |t| > 5 has probability 1.6e-4 per state, 8e-4 over 5 states; the
 * seeds are fixed. The runs' spread itself must stay below sd_max, so that a method that
 * does not settle (whose mean might still land near the truth) fails. */
static inline void lf_expect_converges(const char *name, const char *const *kv,
                                       const char *preset, const double *truth, size_t K,
                                       size_t E, double slack, double sd_max)
{
    assert_true(K <= LF_MAX_RUNS);
    static double v[LF_MAX_RUNS * 32];
    size_t n = 0;
    lf_runs(name, kv, preset, K, E, 4242, v, &n);
    assert_true(n <= 32);
    double worst = 0.0, widest = 0.0;
    for (size_t s = 0; s < n; s++) {
        double mean = 0.0, ss = 0.0;
        for (size_t k = 0; k < K; k++)
            mean += v[k * n + s] / (double)K;
        for (size_t k = 0; k < K; k++)
            ss += (v[k * n + s] - mean) * (v[k * n + s] - mean);
        double sd = sqrt(ss / (double)(K - 1)), se = sd / sqrt((double)K);
        double error = fabs(mean - truth[s]);
        if (!(error <= 5.0 * se + slack))
            fail_msg("%s, state %zu: mean %.6f over %zu runs, truth %.6f, standard error %.2g",
                     name, s, mean, K, truth[s], se);
        if (!(sd <= sd_max))
            fail_msg("%s, state %zu: the runs' sd %.3g exceeds %.3g", name, s, sd, sd_max);
        worst = error > worst ? error : worst;
        widest = sd > widest ? sd : widest;
    }
    print_message("%s: largest |mean - truth| %.2g, largest sd %.2g\n", name, worst, widest);
}

#endif

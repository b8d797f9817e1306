/* Tests for the prediction learners of S&B ch. 5-7: mc_prediction (agents/mc.c), n_step_td
 * (agents/td.c) and batch updating (agents/batch.c) for td0, n_step_td and mc_prediction.
 *
 * Each check is against a number derived outside the code under test:
 * - single updates on a hand-built line of states, the arithmetic written out in the
 *   comment (to 1e-12: a handful of floating-point operations);
 * - identities that must hold bit for bit under one seed (n_step_td with n = 1 is td0, and
 *   with n longer than every episode of the undiscounted random walk, every-visit
 *   constant-alpha MC) or to rounding (every-visit MC with alpha = 1/n is the sample mean of
 *   the returns, which the test computes from the episodes it recorded);
 * - batch solutions on fixed data: S&B Example 6.4 by hand, and on recorded random-walk
 *   episodes the certainty-equivalence values (solved by the test from the transition
 *   counts) and each state's mean return;
 * - convergence to v_pi of the 5-state random walk, 1/6 .. 5/6 (S&B Example 6.2), with
 *   tolerances argued where they are used.
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/support.h"

#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_linalg.h>

#include "agents/batch.h"
#include "agents/mc.h"
#include "agents/td.h"
#include "tests/learner_fixture.h"

enum { LEFT = LF_LEFT, RIGHT = LF_RIGHT };

/* ---- registry ---- */

static void test_registry(void **state)
{
    (void)state;
    const char *names[] = {"mc_prediction", "n_step_td"};
    for (size_t i = 0; i < 2; i++) {
        const rl_agent *info = rl_agent_find(names[i], NULL);
        assert_non_null(info);
        assert_int_equal(info->kind, RL_AGENT_LEARNER);
        assert_true(rl_agent_is_prediction(info));
        assert_null(info->learner->action_values);
        assert_non_null(rl_param_find(info->learner->params, "batch"));
        assert_non_null(rl_param_find(info->learner->params, "policy"));
    }
    assert_non_null(rl_param_find(rl_agent_find("td0", NULL)->learner->params, "batch"));
}

/* ---- mc_prediction: single updates ---- */

#define MC_KV(...)                                                                          \
    (const char *const[])                                                                   \
    {                                                                                       \
        "gamma", "0.9", "alpha", "0.1", "v0", "0.5", __VA_ARGS__, NULL                      \
    }

/* The episode 0 --0--> 1 --0--> 0 --1--> terminal (states 0, 1 of a line, 2 terminal),
 * gamma 0.9: the returns are G_2 = 1 (state 0), G_1 = 0.9 (state 1), G_0 = 0.81 (state 0).
 * Nothing is learned before the episode ends. */
static void mc_episode(rl_learner *l, gsl_rng *r)
{
    rl_learner_begin_episode(l, 0, r);
    lf_observe(l, 0, RIGHT, 0.0, 1, false, false, r);
    lf_observe(l, 1, LEFT, 0.0, 0, false, false, r);
    lf_observe(l, 0, RIGHT, 1.0, 2, true, false, r);
    lf_expect_v(l, (const double[]){0.5, 0.5, 0.0}, 3, 0.0);
    lf_end(l);
}

/* Every visit, constant alpha 0.1, from v0 = 0.5, in backward order:
 * v(0) = 0.5 + 0.1 (1 - 0.5) = 0.55; v(1) = 0.5 + 0.1 (0.9 - 0.5) = 0.54;
 * v(0) = 0.55 + 0.1 (0.81 - 0.55) = 0.576.
 * Then a truncated episode 1 --2--> 0: MC does not bootstrap, G = 2:
 * v(1) = 0.54 + 0.1 (2 - 0.54) = 0.686. */
static void test_mc_every_visit(void **state)
{
    (void)state;
    rl_mdp *m = lf_line_model(2);
    gsl_rng *r = rl_rng_alloc(1, NULL);
    rl_learner *l =
        lf_learner("mc_prediction", test_space_of(m), MC_KV("first_visit", "false"));
    mc_episode(l, r);
    lf_expect_v(l, (const double[]){0.576, 0.54, 0.0}, 3, 1e-12);
    rl_learner_begin_episode(l, 1, r);
    lf_observe(l, 1, RIGHT, 2.0, 0, false, true, r);
    lf_end(l);
    lf_expect_v(l, (const double[]){0.576, 0.686, 0.0}, 3, 1e-12);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* First visits only: state 0 counts G_0 = 0.81 alone: v(0) = 0.5 + 0.1 (0.81 - 0.5) =
 * 0.531; v(1) = 0.54 as before. */
static void test_mc_first_visit(void **state)
{
    (void)state;
    rl_mdp *m = lf_line_model(2);
    gsl_rng *r = rl_rng_alloc(1, NULL);
    rl_learner *l =
        lf_learner("mc_prediction", test_space_of(m), MC_KV("first_visit", "true"));
    mc_episode(l, r);
    lf_expect_v(l, (const double[]){0.531, 0.54, 0.0}, 3, 1e-12);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* alpha_schedule = 1/n: the mean of the returns, v0 forgotten at the first: every visit,
 * v(0) = (1 + 0.81) / 2 = 0.905, v(1) = 0.9; first visit, v(0) = 0.81. */
static void test_mc_sample_average(void **state)
{
    (void)state;
    rl_mdp *m = lf_line_model(2);
    gsl_rng *r = rl_rng_alloc(1, NULL);
    rl_learner *l =
        lf_learner("mc_prediction", test_space_of(m), MC_KV("alpha_schedule", "1/n"));
    mc_episode(l, r);
    lf_expect_v(l, (const double[]){0.905, 0.9, 0.0}, 3, 1e-12);
    rl_learner_free(l);
    l = lf_learner("mc_prediction", test_space_of(m),
                   MC_KV("alpha_schedule", "1/n", "first_visit", "true"));
    mc_episode(l, r);
    lf_expect_v(l, (const double[]){0.81, 0.9, 0.0}, 3, 1e-12);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* The identity: every-visit MC with alpha = 1/n is the sample mean of the returns of all
 * visits. 300 episodes of the 5-state walk with gamma 0.9 (so visits of one episode have
 * different returns) and a cap of 12 steps (truncated returns count as they are); the test
 * computes every visit's discounted return from its own record and averages per state. The
 * learner's running mean and the test's sum / count round differently: 1e-12. */
static void test_mc_is_sample_mean(void **state)
{
    (void)state;
    rl_env *env = lf_env("random_walk5", NULL);
    const rl_space *sp = rl_env_space(env);
    rl_learner *l = lf_learner("mc_prediction", sp,
                               (const char *const[]){"gamma", "0.9", "alpha_schedule", "1/n",
                                                     "v0", "7", NULL});
    gsl_rng *r = rl_rng_alloc(5, NULL);
    lf_record rec;
    lf_run(env, l, r, 300, 12, &rec);
    assert_true(rec.truncated > 0 && rec.terminated > 0);
    double sum[7] = {0}, count[7] = {0};
    for (size_t e = 0; e < rec.episodes; e++) {
        double g = 0.0;
        for (size_t i = rec.episode_start[e + 1]; i-- > rec.episode_start[e];) {
            g = rec.t[i].reward + 0.9 * g;
            sum[rec.t[i].state] += g;
            count[rec.t[i].state] += 1.0;
        }
    }
    double want[7];
    for (size_t s = 0; s < 7; s++)
        want[s] = count[s] ? sum[s] / count[s] : (s == 0 || s == 6 ? 0.0 : 7.0);
    lf_expect_v(l, want, 7, 1e-12);
    lf_record_free(&rec);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_env_free(env);
}

/* ---- n_step_td: single updates ---- */

#define NSTEP_KV                                                                            \
    (const char *const[])                                                                   \
    {                                                                                       \
        "n", "2", "gamma", "0.9", "alpha", "0.1", "v0", "0.5", NULL                         \
    }

/* G_tau = R_tau+1 + gamma R_tau+2 + gamma^2 v(S_tau+2), from v0 = 0.5. Episode
 * 0 --1--> 1 --2--> 0 --(-1)--> terminal:
 * - after the first step nothing moves (one reward of two);
 * - after the second: v(0) = 0.5 + 0.1 (1 + 0.9 * 2 + 0.81 * 0.5 - 0.5) = 0.7705;
 * - after the terminal third: v(1) = 0.5 + 0.1 (2 + 0.9 (-1) - 0.5) = 0.56 (no bootstrap
 *   from the terminal state), then the flush: v(0) = 0.7705 + 0.1 (-1 - 0.7705) = 0.59345. */
static void test_n_step_td_terminal(void **state)
{
    (void)state;
    rl_mdp *m = lf_line_model(2);
    gsl_rng *r = rl_rng_alloc(1, NULL);
    rl_learner *l = lf_learner("n_step_td", test_space_of(m), NSTEP_KV);
    rl_learner_begin_episode(l, 0, r);
    lf_observe(l, 0, RIGHT, 1.0, 1, false, false, r);
    lf_expect_v(l, (const double[]){0.5, 0.5, 0.0}, 3, 0.0);
    lf_observe(l, 1, LEFT, 2.0, 0, false, false, r);
    lf_expect_v(l, (const double[]){0.7705, 0.5, 0.0}, 3, 1e-12);
    lf_observe(l, 0, RIGHT, -1.0, 2, true, false, r);
    lf_expect_v(l, (const double[]){0.59345, 0.56, 0.0}, 3, 1e-12);
    lf_end(l);
    lf_expect_v(l, (const double[]){0.59345, 0.56, 0.0}, 3, 1e-12);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* Truncation: 0 --1--> 1 --2--> 0, cut by the time limit. v(0) = 0.7705 as above; the
 * flush of tau = 1 has one reward and bootstraps from the updated v(0):
 * v(1) = 0.5 + 0.1 (2 + 0.9 * 0.7705 - 0.5) = 0.719345.
 * A cut the runner does not flag (a total-steps budget) is flushed by end_episode the same
 * way: a fresh learner, 0 --1--> 1, then end: v(0) = 0.5 + 0.1 (1 + 0.9 * 0.5 - 0.5) =
 * 0.595. */
static void test_n_step_td_truncated(void **state)
{
    (void)state;
    rl_mdp *m = lf_line_model(2);
    gsl_rng *r = rl_rng_alloc(1, NULL);
    rl_learner *l = lf_learner("n_step_td", test_space_of(m), NSTEP_KV);
    rl_learner_begin_episode(l, 0, r);
    lf_observe(l, 0, RIGHT, 1.0, 1, false, false, r);
    lf_observe(l, 1, LEFT, 2.0, 0, false, true, r);
    lf_expect_v(l, (const double[]){0.7705, 0.719345, 0.0}, 3, 1e-12);
    lf_end(l);
    lf_expect_v(l, (const double[]){0.7705, 0.719345, 0.0}, 3, 1e-12);
    rl_learner_free(l);

    l = lf_learner("n_step_td", test_space_of(m), NSTEP_KV);
    rl_learner_begin_episode(l, 0, r);
    lf_observe(l, 0, RIGHT, 1.0, 1, false, false, r);
    lf_expect_v(l, (const double[]){0.5, 0.5, 0.0}, 3, 0.0);
    lf_end(l);
    lf_expect_v(l, (const double[]){0.595, 0.5, 0.0}, 3, 1e-12);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* ---- identities ---- */

/* n_step_td with n = 1 is td0, bit for bit: the same draws (one per decision from the
 * policy) and the same arithmetic R + gamma v(S'). On Zhao's grid with a terminal target,
 * gamma 0.9, episodes cut at 40 steps, so terminations and truncations both occur; with a
 * constant step, with 1/n, and batch updating. */
static void test_n_step_one_is_td0(void **state)
{
    (void)state;
    const char *const env_kv[] = {"goal_terminal", "true", NULL};
    lf_expect_same("td0", (const char *const[]){"gamma", "0.9", "alpha", "0.3", NULL},
                   "n_step_td",
                   (const char *const[]){"gamma", "0.9", "alpha", "0.3", "n", "1", NULL},
                   "zhao5x5", env_kv, 200, 40, 0.0);
    lf_expect_same("td0", (const char *const[]){"gamma", "0.9", "alpha_schedule", "1/n", NULL},
                   "n_step_td",
                   (const char *const[]){"gamma", "0.9", "alpha_schedule", "1/n", "n", "1",
                                         NULL},
                   "zhao5x5", env_kv, 200, 40, 0.0);
    lf_expect_same("td0",
                   (const char *const[]){"gamma", "0.9", "alpha", "0.002", "batch", "true",
                                         NULL},
                   "n_step_td",
                   (const char *const[]){"gamma", "0.9", "alpha", "0.002", "batch", "true",
                                         "n", "1", NULL},
                   "zhao5x5", env_kv, 20, 40, 0.0);
}

/* n_step_td with n longer than every episode updates each visit toward its full return,
 * in time order at the episode's end; every-visit constant-alpha MC does the same in
 * backward order. On the undiscounted random walk all visits of an episode have the same
 * return (the final reward), so each state sees the same sequence of operations
 * v <- v + alpha (G - v) either way: bit for bit. No cap, and n = 10^5 exceeds every
 * episode (checked). */
static void test_n_step_long_is_mc(void **state)
{
    (void)state;
    lf_expect_same("mc_prediction",
                   (const char *const[]){"gamma", "1", "alpha", "0.1", "v0", "0.5", NULL},
                   "n_step_td",
                   (const char *const[]){"gamma", "1", "alpha", "0.1", "v0", "0.5", "n",
                                         "100000", NULL},
                   "random_walk5", NULL, 300, 0, 0.0);
}

/* ---- batch updating ---- */

/* Feeds S&B Example 6.4's eight episodes (A,0,B,0; six times B,1; B,0) to l: state 0 is A,
 * 1 is B, 2 terminal; gamma 1. */
static void feed_example_6_4(rl_learner *l, gsl_rng *r)
{
    rl_learner_begin_episode(l, 0, r);
    lf_observe(l, 0, RIGHT, 0.0, 1, false, false, r);
    lf_observe(l, 1, RIGHT, 0.0, 2, true, false, r);
    lf_end(l);
    for (int i = 0; i < 7; i++) {
        rl_learner_begin_episode(l, 1, r);
        lf_observe(l, 1, RIGHT, i < 6 ? 1.0 : 0.0, 2, true, false, r);
        lf_end(l);
    }
}

/* S&B Example 6.4 ("You are the predictor"): batch MC gives V(A) = 0 (its one return) and
 * V(B) = 6/8; batch TD gives V(B) = 6/8 and V(A) = 0 + V(B) = 3/4, the values of the
 * maximum-likelihood model (A always goes to B). n_step_td with n = 2 sees whole episodes
 * here: MC's answer. Tolerance: alpha 0.01, batch_theta 1e-13. A sweep's error shrinks at
 * least by the factor 1 - alpha * 1 = 0.99 (state A's one target is the slowest), so when a
 * sweep changes no value by 1e-13 the error is below 1e-13 / 0.01 = 1e-11; we accept 1e-10. */
static void test_batch_example_6_4(void **state)
{
    (void)state;
    rl_mdp *m = lf_line_model(2);
    gsl_rng *r = rl_rng_alloc(1, NULL);
    const struct {
        const char *name;
        const char *n;
        double a;
    } cases[] = {{"td0", NULL, 0.75}, {"mc_prediction", NULL, 0.0}, {"n_step_td", "2", 0.0},
                 {"n_step_td", "1", 0.75}};
    for (size_t i = 0; i < 4; i++) {
        const char *kv[16] = {"gamma", "1", "alpha", "0.01", "batch", "true", "batch_theta",
                              "1e-13", "v0", "0.5"};
        size_t k = 10;
        if (cases[i].n) {
            kv[k++] = "n";
            kv[k++] = cases[i].n;
        }
        kv[k] = NULL;
        rl_learner *l = lf_learner(cases[i].name, test_space_of(m), kv);
        feed_example_6_4(l, r);
        double v[3];
        rl_learner_values(l, v);
        print_message("%s: V(A) = %.12f, V(B) = %.12f\n", cases[i].name, v[0], v[1]);
        assert_close(v[0], cases[i].a, 1e-10);
        assert_close(v[1], 0.75, 1e-10);
        assert_close(v[2], 0.0, 0.0);
        rl_learner_free(l);
    }
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* Nothing is learned during an episode in batch mode: after the first episode's two steps
 * (before end_episode) the values are still v0. */
static void test_batch_waits_for_the_episode(void **state)
{
    (void)state;
    rl_mdp *m = lf_line_model(2);
    gsl_rng *r = rl_rng_alloc(1, NULL);
    const char *names[] = {"td0", "n_step_td", "mc_prediction"};
    for (size_t i = 0; i < 3; i++) {
        /* n = 1 for n_step_td: its one update per step would show at once. */
        const char *kv[] = {"alpha", "0.01", "batch", "true", "v0", "0.5",
                            i == 1 ? "n" : NULL, "1", NULL};
        rl_learner *l = lf_learner(names[i], test_space_of(m), kv);
        rl_learner_begin_episode(l, 0, r);
        lf_observe(l, 0, RIGHT, 5.0, 1, false, false, r);
        lf_observe(l, 1, RIGHT, 5.0, 2, true, false, r);
        lf_expect_v(l, (const double[]){0.5, 0.5, 0.0}, 3, 0.0);
        lf_end(l);
        assert_true(lf_v(l, 0) > 1.0);
        rl_learner_free(l);
    }
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* On recorded data: 40 episodes of the 5-state walk (uniform policy, gamma 1). Batch TD(0)
 * must reach the certainty-equivalence values: with N_s the visits of s, C_sj the observed
 * moves s -> j between non-terminal states and R_s the summed rewards, the maximum-likelihood
 * model's values solve M v = R with M = N - C (S&B Example 6.4's reasoning), which the test
 * solves with GSL's LU decomposition from its own counts. Batch MC must reach each state's
 * mean return (every visit), computed by the test. The two learners take the same draws (one
 * per decision; the walk draws nothing), so they see the same episodes, which the test
 * checks.
 * Tolerance: a sweep's change is d = alpha (R - M v) = -alpha M e for the error e = v - v*,
 * so when the sweeps stop (every |d| < theta) the error is at most ||M^-1||_inf theta /
 * alpha, and one more theta for the last sweep applied: the test inverts M for that norm
 * (for MC, M = N and ||N^-1|| <= 1). alpha = 0.001, theta = 1e-12; 1e-12 more for the
 * rounding of sums of 40 episodes. */
static void test_batch_certainty_equivalence(void **state)
{
    (void)state;
    const size_t episodes = 40;
    const double alpha = 0.001, theta = 1e-12;
    rl_env *env = lf_env("random_walk5", NULL);
    const rl_space *sp = rl_env_space(env);
    const char *const kv[] = {"gamma", "1", "alpha", "0.001", "batch", "true", "batch_theta",
                              "1e-12", NULL};
    rl_learner *td = lf_learner("td0", sp, kv), *mc = lf_learner("mc_prediction", sp, kv);
    gsl_rng *r1 = rl_rng_alloc(77, NULL), *r2 = rl_rng_alloc(77, NULL);
    lf_record a, b;
    lf_run(env, td, r1, episodes, 0, &a);
    lf_run(env, mc, r2, episodes, 0, &b);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++)
        assert_int_equal(a.t[i].next, b.t[i].next);

    double N[7] = {0}, C[7][7] = {{0}}, R[7] = {0}, G[7] = {0};
    for (size_t e = 0; e < a.episodes; e++) {
        double g = 0.0;
        for (size_t i = a.episode_start[e + 1]; i-- > a.episode_start[e];) {
            const rl_transition *t = &a.t[i];
            N[t->state] += 1.0;
            R[t->state] += t->reward;
            if (!t->terminated)
                C[t->state][t->next] += 1.0;
            g += t->reward;
            G[t->state] += g;
        }
    }
    gsl_matrix *M = gsl_matrix_calloc(5, 5), *inverse = gsl_matrix_alloc(5, 5);
    gsl_vector *rhs = gsl_vector_alloc(5), *x = gsl_vector_alloc(5);
    gsl_permutation *perm = gsl_permutation_alloc(5);
    for (size_t s = 1; s <= 5; s++) {
        assert_true(N[s] > 0); /* every state was visited: its equation is not v = v0 */
        for (size_t j = 1; j <= 5; j++)
            gsl_matrix_set(M, s - 1, j - 1, (s == j ? N[s] : 0.0) - C[s][j]);
        gsl_vector_set(rhs, s - 1, R[s]);
    }
    int signum;
    gsl_linalg_LU_decomp(M, perm, &signum);
    gsl_linalg_LU_solve(M, perm, rhs, x);
    gsl_linalg_LU_invert(M, perm, inverse);
    double norm = 0.0; /* ||M^-1||_inf: the largest absolute row sum */
    for (size_t i = 0; i < 5; i++) {
        double row = 0.0;
        for (size_t j = 0; j < 5; j++)
            row += fabs(gsl_matrix_get(inverse, i, j));
        norm = row > norm ? row : norm;
    }
    double tolerance = norm * theta / alpha + theta + 1e-12;
    double vt[7], vm[7];
    rl_learner_values(td, vt);
    rl_learner_values(mc, vm);
    print_message("batch: ||M^-1|| %.3g, tolerance %.2g; v(C): TD %.6f, MC %.6f, truth 0.5\n",
                  norm, tolerance, vt[3], vm[3]);
    assert_true(tolerance < 1e-6);
    for (size_t s = 1; s <= 5; s++) {
        assert_close(vt[s], gsl_vector_get(x, s - 1), tolerance);
        assert_close(vm[s], G[s] / N[s], theta / alpha + theta + 1e-12);
    }
    /* The two answers differ, so the comparisons tell them apart. */
    double gap = 0.0;
    for (size_t s = 1; s <= 5; s++)
        gap += fabs(vt[s] - vm[s]);
    assert_true(gap > 1e-3);
    gsl_matrix_free(M);
    gsl_matrix_free(inverse);
    gsl_vector_free(rhs);
    gsl_vector_free(x);
    gsl_permutation_free(perm);
    lf_record_free(&a);
    lf_record_free(&b);
    rl_learner_free(td);
    rl_learner_free(mc);
    rl_rng_free(r1);
    rl_rng_free(r2);
    rl_env_free(env);
}

/* Batch updating sweeps with a constant alpha: 1/n is refused, naming the key. */
static void test_batch_refuses_one_over_n(void **state)
{
    (void)state;
    rl_mdp *m = lf_line_model(2);
    const char *names[] = {"td0", "n_step_td", "mc_prediction"};
    for (size_t i = 0; i < 3; i++) {
        rl_error err;
        rl_learner *l = lf_learner_try(names[i], test_space_of(m),
                                       (const char *const[]){"batch", "true", "alpha_schedule",
                                                             "1/n", NULL},
                                       NULL, &err);
        assert_null(l);
        assert_int_equal(err.code, RL_EINVAL);
        assert_string_equal(err.key, "alpha_schedule");
    }
    rl_mdp_free(m);
}

/* The sweeps' limit: with batch_max_sweeps = 1 one transition 0 --1--> 1 cannot converge
 * (the first sweep changes v(0) by alpha (1 + 0.5 - 0.5) = 0.01), so end_episode says
 * RL_STOPPED. And a step too large
 * for the data (alpha * N_B = 0.9 * 7 > 2 on the seventh episode) makes the sweeps grow
 * until the values stop being finite: the sweeps stop there and the values say so. */
static void test_batch_limits(void **state)
{
    (void)state;
    rl_mdp *m = lf_line_model(2);
    gsl_rng *r = rl_rng_alloc(1, NULL);
    rl_learner *l = lf_learner("td0", test_space_of(m),
                               (const char *const[]){"gamma", "1", "alpha", "0.01", "batch",
                                                     "true", "batch_max_sweeps", "1", "v0",
                                                     "0.5", NULL});
    rl_learner_begin_episode(l, 0, r);
    lf_observe(l, 0, RIGHT, 1.0, 1, false, false, r);
    rl_error err;
    assert_int_equal(rl_learner_end_episode(l, &err), RL_STOPPED);
    assert_close(lf_v(l, 0), 0.51, 1e-15);
    rl_learner_free(l);

    l = lf_learner("mc_prediction", test_space_of(m),
                   (const char *const[]){"gamma", "1", "alpha", "0.9", "batch", "true", NULL});
    feed_example_6_4(l, r);
    assert_false(isfinite(lf_v(l, 1)));
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* ---- convergence to v_pi of the 5-state walk ---- */

/* Each learner, 16 independent runs through the library's episode loop on random_walk5
 * (uniform policy, gamma 1, v0 0), constant alpha = 0.01, 5000 episodes, must end with a
 * mean within 5 standard errors of 1/6 .. 5/6 plus a slack, and a run-to-run sd below a
 * bound (lf_expect_converges).
 * - Slack. What is left of the initial error (at most 5/6 per state): the expected update
 *   of TD(0) per episode is e <- (I - alpha D (I - P)) e, D the visits per episode
 *   (1, 2, 3, 2, 1 from C: 2 min(i, j) (6 - max(i, j)) / 6), whose slowest rate is at least
 *   alpha min(D) (1 - cos(pi / 6)) = 0.01 * 0.134 (D (I - P) is similar to the symmetric
 *   D^1/2 (I - P) D^1/2), so the initial error is down by exp(-0.00134 * 5000) = 1.2e-3;
 *   the MC and n-step updates contract faster. Plus the bias a constant step leaves in the
 *   online updates, of order alpha: we allow 0.01 in all (measured: under 0.006).
 * - The sd bound: at stationarity, every-visit MC's estimate of the middle state moves by
 *   alpha (G - v) on each of its K visits of an episode, all with the same 0/1 return G, so
 *   its variance is about alpha (E[K^2] / E[K]) Var(G) / 2 = 0.01 * 5 * 0.25 / 2, sd 0.08
 *   (K is geometric with mean 3: E[K^2] / E[K] = 5); TD's targets vary less (sd about 0.03)
 *   and the n-step ones between the two. We require < 0.1: an estimate that does not
 *   settle wanders further. */
static const double walk5_truth[7] = {0.0, 1.0 / 6, 2.0 / 6, 3.0 / 6, 4.0 / 6, 5.0 / 6, 0.0};

static void test_converges_on_the_walk(void **state)
{
    (void)state;
#define CONVERGES(name, ...)                                                                \
    lf_expect_converges(name,                                                               \
                        (const char *const[]){"gamma", "1", "alpha", "0.01", __VA_ARGS__,  \
                                              NULL},                                        \
                        "random_walk5", walk5_truth, 16, 5000, 0.01, 0.1)
    CONVERGES("mc_prediction", "first_visit", "false");
    CONVERGES("mc_prediction", "first_visit", "true");
    CONVERGES("n_step_td", "n", "1");
    CONVERGES("n_step_td", "n", "3");
    CONVERGES("td0", "v0", "0");
#undef CONVERGES
}

/* Batch TD and MC converge as data accumulate: after 300 episodes each run's values are
 * the certainty-equivalence and mean-return estimates of 300 episodes, with sd about
 * sqrt(Var(G) / visits) <= sqrt(0.25 / 300) = 0.03 per state (MC: at least 300 visits of
 * every state, 1 per episode on average; TD's is smaller), and a bias of order 1 / visits;
 * slack 0.005, the sd below 0.1 as above. alpha = 0.0005 keeps alpha N below 1 for the middle
 * state's ~900 visits; batch_theta 1e-7 leaves an error below ||M^-1|| theta / alpha, under
 * 1e-3 here (||M^-1|| is about 1 / (0.134 min N) for TD). */
static void test_batch_converges_on_the_walk(void **state)
{
    (void)state;
    const char *names[] = {"td0", "mc_prediction"};
    for (size_t i = 0; i < 2; i++)
        lf_expect_converges(names[i],
                            (const char *const[]){"gamma", "1", "alpha", "0.0005", "batch",
                                                  "true", "batch_theta", "1e-7", NULL},
                            "random_walk5", walk5_truth, 16, 300, 0.005, 0.1);
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_mc_every_visit),
        cmocka_unit_test(test_mc_first_visit),
        cmocka_unit_test(test_mc_sample_average),
        cmocka_unit_test(test_mc_is_sample_mean),
        cmocka_unit_test(test_n_step_td_terminal),
        cmocka_unit_test(test_n_step_td_truncated),
        cmocka_unit_test(test_n_step_one_is_td0),
        cmocka_unit_test(test_n_step_long_is_mc),
        cmocka_unit_test(test_batch_example_6_4),
        cmocka_unit_test(test_batch_waits_for_the_episode),
        cmocka_unit_test(test_batch_certainty_equivalence),
        cmocka_unit_test(test_batch_refuses_one_over_n),
        cmocka_unit_test(test_batch_limits),
        cmocka_unit_test(test_converges_on_the_walk),
        cmocka_unit_test(test_batch_converges_on_the_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

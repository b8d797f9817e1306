/* Tests for the temporal-difference learners (agents/td.c): TD(0), Sarsa, Expected Sarsa,
 * n-step Sarsa, Q-learning and double Q-learning.
 *
 * Three kinds of checks, each against a number derived outside the code under test:
 * - single updates on a hand-built 1 x 3 model, compared with the update rule written out in
 *   the comment (to 1e-12: a handful of floating-point operations);
 * - identities between algorithms that must hold bit for bit under one seed (n-step Sarsa
 *   with n = 1 is Sarsa; Expected Sarsa with epsilon = 0 is Q-learning);
 * - known answers on the book's grids: TD(0) against Zhao's Fig 8.6(b), off-policy
 *   Q-learning against Fig 3.4(a), Sarsa's greedy path on cliff walking against S&B's 13
 *   steps. Their tolerances are argued where they are used.
 *
 * The episode loop here is the test's own (reset, begin_episode, step, observe until
 * terminated or a cap, end_episode), the way agents/learner.h says the runner drives learners.
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/support.h"

#include <stdint.h>
#include <stdlib.h>

#include "agents/learner.h"
#include "agents/registry.h"
#include "agents/td.h"
#include "rl/evaluate.h"
#include "tests/gridworld_fixture.h"

/* Hand-model actions. */
enum { LEFT, RIGHT };

static void fail_error(const char *what, int rc, const rl_error *err)
{
    char buf[1024];
    rl_error_format(err, buf, sizeof buf);
    fail_msg("%s failed (%d): %s", what, rc, buf);
}

/* ---- a hand-built model: 1 x 3, actions left/right, state 2 terminal ---- */

/* 0 <-> 1 -> 2 (terminal); moves off the row stay put. Rewards do not matter to the learners
 * (they only see sizes and state kinds); the model only has to be valid. */
static rl_mdp *line_model(void)
{
    rl_error err;
    rl_mdp *m = test_mdp_alloc(1, 3, 2, &err);
    if (!m)
        fail_error("rl_mdp_alloc", err.code, &err);
    m->kind[2] = RL_STATE_TERMINAL;
    m->start[0] = 1.0;
    static const size_t next[3][2] = {{0, 1}, {0, 2}, {2, 2}};
    for (size_t s = 0; s < 3; s++)
        for (size_t a = 0; a < 2; a++) {
            int rc = rl_mdp_add_outcome(m, s, a, 1.0, next[s][a], 0.0, next[s][a] == 2, &err);
            if (rc != RL_OK)
                fail_error("rl_mdp_add_outcome", rc, &err);
        }
    int rc = rl_mdp_finish(m, &err);
    if (rc != RL_OK)
        fail_error("rl_mdp_finish", rc, &err);
    return m;
}

/* A learner registered as name, on m, with agent keys kv ("key", "value", ..., NULL). */
static rl_learner *learner_try(const char *name, const rl_mdp *m, const char *const *kv,
                               const double *given, rl_error *err)
{
    rl_error_clear(err);
    const rl_agent *info = rl_agent_find(name, err);
    if (!info)
        fail_error(name, err->code, err);
    assert_int_equal(info->kind, RL_AGENT_LEARNER);
    rl_params *p = rl_params_alloc(info->learner->params);
    assert_non_null(p);
    for (size_t i = 0; kv && kv[i]; i += 2) {
        int rc = rl_params_set(p, kv[i], kv[i + 1], err);
        if (rc != RL_OK)
            fail_error(kv[i], rc, err);
    }
    /* The TD learners draw nothing at init: no generator. */
    rl_learner *l;
    rl_learner_alloc(info->learner, test_space_of(m), p, given, NULL, &l, err);
    rl_params_free(p);
    return l;
}

static rl_learner *learner_make(const char *name, const rl_mdp *m, const char *const *kv,
                                const double *given)
{
    rl_error err;
    rl_learner *l = learner_try(name, m, kv, given, &err);
    if (!l)
        fail_error(name, err.code, &err);
    return l;
}

static size_t observe(rl_learner *l, size_t s, size_t a, double reward, size_t next,
                      bool terminated, bool truncated, gsl_rng *r)
{
    rl_transition t = {s, a, reward, next, terminated, truncated};
    size_t next_action = rl_learner_observe(l, &t, r);
    assert_true(next_action < 2);
    return next_action;
}

static void end_episode(rl_learner *l)
{
    rl_error err;
    assert_int_equal(rl_learner_end_episode(l, &err), RL_CONTINUE);
}

/* q(s, a) from the action-value read-out (6 entries on the line model). */
static double q_of(const rl_learner *l, size_t s, size_t a)
{
    double q[6];
    rl_learner_action_values(l, q);
    return q[s * 2 + a];
}

/* Every entry of q equals want[] (to 1e-12). */
static void expect_q(const rl_learner *l, const double want[6])
{
    double q[6];
    rl_learner_action_values(l, q);
    for (size_t i = 0; i < 6; i++)
        if (!(fabs(q[i] - want[i]) <= 1e-12))
            fail_msg("%s: q(%zu, %zu) = %.15g, expected %.15g", rl_learner_name(l), i / 2, i % 2,
                     q[i], want[i]);
}

/* ---- TD(0) ---- */

/* gamma 0.9, alpha 0.1, v0 0.5; v(terminal) = 0.
 * 1. (0, right, r = 1, next 1):            v(0) = 0.5 + 0.1 (1 + 0.9 * 0.5 - 0.5) = 0.595
 * 2. (1, left, r = 2, next 0, terminated): v(1) = 0.5 + 0.1 (2 - 0.5) = 0.65 — the flag, not
 *    v(next) = 0.595, decides: bootstrapping would give 0.70355.
 * 3. (1, right, r = -1, next 0, truncated): bootstraps: v(1) = 0.65 + 0.1 (-1 + 0.9 * 0.595
 *    - 0.65) = 0.53855. */
static void test_td0_single_updates(void **state)
{
    (void)state;
    rl_mdp *m = line_model();
    gsl_rng *r = rl_rng_alloc(1, NULL);
    rl_learner *l =
        learner_make("td0", m, (const char *const[]){"gamma", "0.9", "alpha", "0.1", "v0",
                                                     "0.5", NULL},
                     NULL);
    assert_false(rl_learner_action_values(l, (double[6]){0}));
    double v[3];
    rl_learner_values(l, v);
    assert_close(v[0], 0.5, 0.0);
    assert_close(v[1], 0.5, 0.0);
    assert_close(v[2], 0.0, 0.0);

    rl_learner_begin_episode(l, 0, r);
    observe(l, 0, RIGHT, 1.0, 1, false, false, r);
    rl_learner_values(l, v);
    assert_close(v[0], 0.595, 1e-12);
    assert_close(v[1], 0.5, 0.0);

    observe(l, 1, LEFT, 2.0, 0, true, false, r);
    rl_learner_values(l, v);
    assert_close(v[1], 0.65, 1e-12);
    end_episode(l);

    rl_learner_begin_episode(l, 1, r);
    observe(l, 1, RIGHT, -1.0, 0, false, true, r);
    rl_learner_values(l, v);
    assert_close(v[0], 0.595, 1e-12);
    assert_close(v[1], 0.53855, 1e-12);
    assert_close(v[2], 0.0, 0.0);
    end_episode(l);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* alpha_schedule = 1/n counts visits of the state: the first update of a state takes step 1,
 * the second 1/2. gamma 0.9, v0 0.5:
 * (0, right, 1, next 1): v(0) = 1 + 0.9 * 0.5 = 1.45 (step 1);
 * (0, right, 0, next 1): v(0) = 1.45 + (0.45 - 1.45) / 2 = 0.95;
 * (1, left, 0, next 0):  first visit of state 1: v(1) = 0.9 * 0.95 = 0.855. */
static void test_td0_one_over_n(void **state)
{
    (void)state;
    rl_mdp *m = line_model();
    gsl_rng *r = rl_rng_alloc(1, NULL);
    rl_learner *l = learner_make("td0", m,
                                 (const char *const[]){"gamma", "0.9", "alpha_schedule", "1/n",
                                                       "v0", "0.5", NULL},
                                 NULL);
    double v[3];
    rl_learner_begin_episode(l, 0, r);
    observe(l, 0, RIGHT, 1.0, 1, false, false, r);
    rl_learner_values(l, v);
    assert_close(v[0], 1.45, 1e-12);
    observe(l, 0, RIGHT, 0.0, 1, false, false, r);
    rl_learner_values(l, v);
    assert_close(v[0], 0.95, 1e-12);
    observe(l, 1, LEFT, 0.0, 0, false, false, r);
    rl_learner_values(l, v);
    assert_close(v[1], 0.855, 1e-12);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* The given policy is what td0 follows and reads out. pi(.|0) = (0.3, 0.7): over N = 10^5
 * draws the frequency of left has sd sqrt(0.21 / N) = 1.45e-3; we accept 5 sd (false alarm
 * 5.7e-7, and the seed is fixed). pi(.|1) = (0, 1) must never give left. A row that does not
 * sum to 1 is refused. */
static void test_td0_given_policy(void **state)
{
    (void)state;
    rl_mdp *m = line_model();
    gsl_rng *r = rl_rng_alloc(7, NULL);
    const double pi[6] = {0.3, 0.7, 0.0, 1.0, 0.5, 0.5};
    rl_learner *l = learner_make("td0", m, NULL, pi);
    double out[6];
    rl_learner_policy(l, out);
    for (size_t i = 0; i < 6; i++)
        assert_close(out[i], pi[i], 0.0);
    size_t n = 100000, left = 0;
    for (size_t i = 0; i < n; i++) {
        left += rl_learner_begin_episode(l, 0, r) == LEFT;
        assert_int_equal(rl_learner_begin_episode(l, 1, r), RIGHT);
    }
    assert_close((double)left / (double)n, 0.3, 5.0 * sqrt(0.21 / (double)n));
    rl_learner_free(l);

    /* The default (no given policy) is uniform. */
    l = learner_make("td0", m, NULL, NULL);
    rl_learner_policy(l, out);
    for (size_t i = 0; i < 6; i++)
        assert_close(out[i], 0.5, 0.0);
    rl_learner_free(l);

    const double bad[6] = {0.3, 0.6, 0.0, 1.0, 0.5, 0.5};
    rl_error err;
    assert_null(learner_try("td0", m, NULL, bad, &err));
    assert_int_equal(err.code, RL_EINVAL);
    assert_contains(err.message, "(0, 0)");
    rl_mdp_free(m);
    rl_rng_free(r);
}

/* ---- one-step control: Sarsa, Expected Sarsa, Q-learning ---- */

enum { BOOT_SARSA, BOOT_EXPECTED, BOOT_MAX };

/* The bootstrap value of state s under each rule, from a q row written by the test:
 * Sarsa: q(s, a') for the action a' the learner returned; Expected Sarsa: Zhao's
 * epsilon-greedy expectation, eps/|A| sum_a q(s, a) + (1 - eps) max_a q(s, a);
 * Q-learning: max_a q(s, a). */
static double bootstrap(int rule, const double *row, size_t next_action, double eps)
{
    double max = row[0] > row[1] ? row[0] : row[1];
    switch (rule) {
    case BOOT_SARSA: return row[next_action];
    case BOOT_EXPECTED: return eps / 2.0 * (row[0] + row[1]) + (1.0 - eps) * max;
    default: return max;
    }
}

/* gamma 0.9, alpha 0.1, epsilon 0.1, q0 0.5 everywhere but the terminal state 2:
 * 1. (1, left, r = 2, next 2, terminated): q(1, left) = 0.5 + 0.1 (2 - 0.5) = 0.65.
 *    Row 1 is now (0.65, 0.5): the three rules now bootstrap differently from state 1.
 * 2. (0, right, r = 1, next 1): q(0, right) = 0.5 + 0.1 (1 + 0.9 b(1) - 0.5), with
 *    b(1) = q(1, a') (Sarsa), 0.05 * 1.15 + 0.9 * 0.65 = 0.6425 (Expected), 0.65 (max).
 * 3. (1, right, r = -1, next 0, terminated): terminal by flag, into an open state whose q is
 *    not 0: q(1, right) = 0.5 + 0.1 (-1 - 0.5) = 0.35.
 * 4. (0, left, r = 0, next 1, truncated): bootstraps from row 1 = (0.65, 0.35):
 *    q(0, left) = 0.5 + 0.1 (0.9 b(1) - 0.5), b(1) = 0.05 + 0.585 = 0.635 for Expected. */
static void one_step_control(const char *name, int rule)
{
    rl_mdp *m = line_model();
    gsl_rng *r = rl_rng_alloc(3, NULL);
    rl_learner *l = learner_make(name, m,
                                 (const char *const[]){"gamma", "0.9", "alpha", "0.1",
                                                       "epsilon", "0.1", "q0", "0.5", NULL},
                                 NULL);
    double want[6] = {0.5, 0.5, 0.5, 0.5, 0.0, 0.0};
    expect_q(l, want);

    rl_learner_begin_episode(l, 1, r);
    observe(l, 1, LEFT, 2.0, 2, true, false, r);
    want[2] = 0.65;
    expect_q(l, want);
    end_episode(l);

    rl_learner_begin_episode(l, 0, r);
    size_t a = observe(l, 0, RIGHT, 1.0, 1, false, false, r);
    double row1[2] = {0.65, 0.5};
    double b = bootstrap(rule, row1, a, 0.1);
    if (rule == BOOT_EXPECTED)
        assert_close(b, 0.6425, 1e-15); /* the comment's arithmetic */
    want[1] = 0.5 + 0.1 * (1.0 + 0.9 * b - 0.5);
    expect_q(l, want);

    observe(l, 1, RIGHT, -1.0, 0, true, false, r);
    want[3] = 0.35;
    expect_q(l, want);
    end_episode(l);

    rl_learner_begin_episode(l, 0, r);
    a = observe(l, 0, LEFT, 0.0, 1, false, true, r);
    double row1b[2] = {0.65, 0.35};
    b = bootstrap(rule, row1b, a, 0.1);
    if (rule == BOOT_EXPECTED)
        assert_close(b, 0.635, 1e-15);
    want[0] = 0.5 + 0.1 * (0.9 * b - 0.5);
    expect_q(l, want);
    end_episode(l);

    /* values = max_a q; terminal 0. */
    double v[3];
    rl_learner_values(l, v);
    assert_close(v[0], want[0] > want[1] ? want[0] : want[1], 1e-12);
    assert_close(v[1], 0.65, 1e-12);
    assert_close(v[2], 0.0, 0.0);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

static void test_sarsa_single_updates(void **state)
{
    (void)state;
    one_step_control("sarsa", BOOT_SARSA);
}

static void test_expected_sarsa_single_updates(void **state)
{
    (void)state;
    one_step_control("expected_sarsa", BOOT_EXPECTED);
}

static void test_q_learning_single_updates(void **state)
{
    (void)state;
    one_step_control("q_learning", BOOT_MAX);
}

/* ---- n-step Sarsa, n = 2 ---- */

#define NSTEP_KV                                                                            \
    (const char *const[])                                                                   \
    {                                                                                       \
        "n", "2", "gamma", "0.9", "alpha", "0.1", "epsilon", "0.1", "q0", "0.5", NULL       \
    }

/* G_tau = R_{tau+1} + gamma R_{tau+2} + gamma^2 q(S_{tau+2}, A_{tau+2}); q0 = 0.5.
 * Episode S0 = 0 --right, 1--> 1 --left, 2--> 0 --a2, -1--> 2 (terminal):
 * - after the first step nothing is updated (fewer than n rewards);
 * - after the second: q(0, right) = 0.5 + 0.1 (1 + 0.9 * 2 + 0.81 * 0.5 - 0.5) = 0.7705,
 *   q(S2 = 0, a2) being 0.5 whichever a2 (row 0 was still q0);
 * - after the terminal third: q(1, left) = 0.5 + 0.1 (2 + 0.9 * (-1) - 0.5) = 0.56, then the
 *   flush: q(0, a2) moves towards -1 alone (no bootstrap) from its current value. */
static void test_n_step_sarsa_terminal(void **state)
{
    (void)state;
    rl_mdp *m = line_model();
    gsl_rng *r = rl_rng_alloc(5, NULL);
    rl_learner *l = learner_make("n_step_sarsa", m, NSTEP_KV, NULL);
    double want[6] = {0.5, 0.5, 0.5, 0.5, 0.0, 0.0};
    rl_learner_begin_episode(l, 0, r);
    observe(l, 0, RIGHT, 1.0, 1, false, false, r);
    expect_q(l, want);
    size_t a2 = observe(l, 1, LEFT, 2.0, 0, false, false, r);
    want[1] = 0.7705;
    expect_q(l, want);
    observe(l, 0, a2, -1.0, 2, true, false, r);
    want[2] = 0.56;
    want[a2] += 0.1 * (-1.0 - want[a2]);
    expect_q(l, want);
    end_episode(l); /* nothing left to flush */
    expect_q(l, want);

    /* A one-step episode ending in the terminal state: G = R_1 alone:
     * q(0, right) = 0.7705 + 0.1 (1 - 0.7705) (or from its current value). */
    rl_learner_begin_episode(l, 0, r);
    observe(l, 0, RIGHT, 1.0, 2, true, false, r);
    want[1] += 0.1 * (1.0 - want[1]);
    expect_q(l, want);
    end_episode(l);
    expect_q(l, want);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* Truncation: 0 --right, 1--> 1 --left, 2--> 0, cut by the time limit. The full update
 * bootstraps from q(0, a2) = 0.5: q(0, right) = 0.7705 as above; then the flush of tau = 1
 * uses the one reward left and bootstraps from the (now updated) q(0, a2):
 * q(1, left) = 0.5 + 0.1 (2 + 0.9 q(0, a2) - 0.5).
 * A cut without the flag (a total-steps budget) is flushed by end_episode the same way:
 * 0 --right, 1--> 1 then end: q(0, right) moves towards 1 + 0.9 q(1, a1). */
static void test_n_step_sarsa_truncated(void **state)
{
    (void)state;
    rl_mdp *m = line_model();
    gsl_rng *r = rl_rng_alloc(6, NULL);
    rl_learner *l = learner_make("n_step_sarsa", m, NSTEP_KV, NULL);
    double want[6] = {0.5, 0.5, 0.5, 0.5, 0.0, 0.0};
    rl_learner_begin_episode(l, 0, r);
    observe(l, 0, RIGHT, 1.0, 1, false, false, r);
    size_t a2 = observe(l, 1, LEFT, 2.0, 0, false, true, r);
    want[1] = 0.7705;
    want[2] = 0.5 + 0.1 * (2.0 + 0.9 * want[a2] - 0.5);
    expect_q(l, want);
    end_episode(l);
    expect_q(l, want);

    rl_learner_begin_episode(l, 0, r);
    size_t a1 = observe(l, 0, RIGHT, 1.0, 1, false, false, r);
    expect_q(l, want); /* one reward of two: nothing yet */
    double target = 1.0 + 0.9 * want[2 + a1];
    end_episode(l);
    want[1] += 0.1 * (target - want[1]);
    expect_q(l, want);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* ---- double Q-learning ---- */

#define DOUBLE_KV                                                                           \
    (const char *const[])                                                                   \
    {                                                                                       \
        "gamma", "0.9", "alpha", "0.1", "epsilon", "0.1", "q0", "1", NULL                   \
    }

/* The read-outs are the mean of the two tables, both starting at q0 = 1.
 * (0, right, r = -1, next 1): both tables have row 1 = (1, 1), so whichever learns, the
 * target is -1 + 0.9 * 1 = -0.1 and that table's entry becomes 1 + 0.1 (-0.1 - 1) = 0.89.
 * Exactly one table changed: the mean is (0.89 + 1) / 2 = 0.945 (both: 0.89), every other
 * entry is still 1. */
static void test_double_q_single_update(void **state)
{
    (void)state;
    rl_mdp *m = line_model();
    gsl_rng *r = rl_rng_alloc(11, NULL);
    rl_learner *l = learner_make("double_q_learning", m, DOUBLE_KV, NULL);
    double want[6] = {1.0, 1.0, 1.0, 1.0, 0.0, 0.0};
    expect_q(l, want);
    rl_learner_begin_episode(l, 0, r);
    observe(l, 0, RIGHT, -1.0, 1, false, false, r);
    want[1] = 0.945;
    expect_q(l, want);
    double v[3];
    rl_learner_values(l, v);
    assert_close(v[0], 1.0, 0.0);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* Seeds whose first two uniform draws fall on the same side of 1/2 (same) or not. Double
 * Q-learning's first draw of an observe chooses the table (td.h); terminal and truncated
 * transitions take no other draw. Which table is "first" does not matter below. */
static unsigned long seed_with_coins(bool same)
{
    for (unsigned long seed = 1; seed < 1000; seed++) {
        gsl_rng *r = rl_rng_alloc(seed, NULL);
        bool c1 = gsl_rng_uniform(r) < 0.5, c2 = gsl_rng_uniform(r) < 0.5;
        rl_rng_free(r);
        if ((c1 == c2) == same)
            return seed;
    }
    fail_msg("no seed found");
    return 0;
}

/* Two terminal updates of (0, right) with r = -1 (target -1, no bootstrap), q0 = 1:
 * - the same table twice: 1 -> 1 + 0.1 (-1 - 1) = 0.8 -> 0.8 + 0.1 (-1 - 0.8) = 0.62, the
 *   other stays 1: mean 0.81;
 * - one each: both 0.8, mean 0.8. */
static void test_double_q_one_table_per_step(void **state)
{
    (void)state;
    rl_mdp *m = line_model();
    for (int same = 0; same <= 1; same++) {
        gsl_rng *r = rl_rng_alloc(seed_with_coins(same), NULL);
        rl_learner *l = learner_make("double_q_learning", m, DOUBLE_KV, NULL);
        observe(l, 0, RIGHT, -1.0, 2, true, false, r);
        observe(l, 0, RIGHT, -1.0, 2, true, false, r);
        assert_close(q_of(l, 0, RIGHT), same ? 0.81 : 0.8, 1e-12);
        rl_learner_free(l);
        rl_rng_free(r);
    }
    rl_mdp_free(m);
}

/* Each table judges its own greedy action with the other's value. Same table X twice:
 * 1. (1, left, r = 5, next 2, terminated): X(1, left) = 1 + 0.1 (5 - 1) = 1.4.
 * 2. (0, right, r = 0, next 1, truncated): argmax X(1, .) = left, valued by the other table
 *    at 1: target 0.9, X(0, right) = 1 + 0.1 (0.9 - 1) = 0.99; mean (0.99 + 1) / 2 = 0.995.
 *    (Plain Q-learning on X would use 0.9 * 1.4 = 1.26 and give a mean of 1.013.) */
static void test_double_q_cross_evaluation(void **state)
{
    (void)state;
    rl_mdp *m = line_model();
    gsl_rng *r = rl_rng_alloc(seed_with_coins(true), NULL);
    rl_learner *l = learner_make("double_q_learning", m, DOUBLE_KV, NULL);
    observe(l, 1, LEFT, 5.0, 2, true, false, r);
    assert_close(q_of(l, 1, LEFT), 1.2, 1e-12);
    observe(l, 0, RIGHT, 0.0, 1, false, true, r);
    assert_close(q_of(l, 0, RIGHT), 0.995, 1e-12);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* ---- exploration ---- */

/* Counts of begin_episode's action in state 0 over 200 calls. */
static size_t count_right(rl_learner *l, gsl_rng *r)
{
    size_t right = 0;
    for (size_t i = 0; i < 200; i++)
        right += rl_learner_begin_episode(l, 0, r) == RIGHT;
    return right;
}

/* epsilon = 1 decaying to 0 over one episode: before end_episode the behaviour is uniform
 * (both actions among 200 draws: all equal has probability 2^-199), after it greedy. A
 * terminal update (0, right, r = 5) makes right the greedy action in state 0 (q0 = 0; for
 * double Q-learning one table and so the sum). q_learning's uniform behaviour stays uniform
 * whatever q says. */
static void test_epsilon_decay(void **state)
{
    (void)state;
    rl_mdp *m = line_model();
    gsl_rng *r = rl_rng_alloc(17, NULL);
    const char *names[] = {"sarsa", "expected_sarsa", "n_step_sarsa", "q_learning",
                           "double_q_learning"};
    for (size_t i = 0; i < 5; i++) {
        rl_learner *l = learner_make(names[i], m,
                                     (const char *const[]){"epsilon", "1", "epsilon_final",
                                                           "0", "epsilon_decay_episodes", "1",
                                                           NULL},
                                     NULL);
        size_t right = count_right(l, r);
        assert_true(right > 0 && right < 200);
        rl_learner_begin_episode(l, 0, r);
        observe(l, 0, RIGHT, 5.0, 2, true, false, r);
        end_episode(l);
        if (count_right(l, r) != 200)
            fail_msg("%s: not greedy after epsilon decayed to 0", names[i]);
        rl_learner_free(l);
    }
    rl_learner *l = learner_make("q_learning", m,
                                 (const char *const[]){"behavior", "uniform", "epsilon", "0",
                                                       NULL},
                                 NULL);
    observe(l, 0, RIGHT, 5.0, 2, true, false, r);
    end_episode(l);
    assert_close(q_of(l, 0, RIGHT), 0.5, 1e-12);
    size_t right = count_right(l, r);
    assert_true(right > 0 && right < 200);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* ---- episodes on the book's grids ---- */

typedef struct loop_counts {
    size_t episodes, terminated, truncated, steps;
    double return_sum; /* undiscounted, over all episodes */
} loop_counts;

/* Runs episodes of learner l on g's env, each cut (truncated) after cap steps. With
 * random_start, each episode starts in a uniformly drawn decision state (reset_to). */
static void run_episodes(gw_fixture *g, rl_learner *l, gsl_rng *r, size_t episodes,
                         size_t cap, bool random_start, loop_counts *counts)
{
    const rl_mdp *m = g->m;
    size_t open[1024], n_open = 0;
    for (size_t s = 0; s < m->n_states && n_open < 1024; s++)
        if (rl_mdp_is_decision(m, s))
            open[n_open++] = s;
    for (size_t e = 0; e < episodes; e++) {
        size_t s;
        if (random_start) {
            s = open[gsl_rng_uniform_int(r, n_open)];
            rl_error err;
            int rc = rl_env_reset_to(g->env, s, &err);
            if (rc != RL_OK)
                fail_error("reset_to", rc, &err);
        } else {
            s = rl_env_reset(g->env, r);
        }
        size_t a = rl_learner_begin_episode(l, s, r);
        for (size_t k = 1;; k++) {
            rl_step st = rl_env_step(g->env, a, r);
            rl_transition t = {s, a, st.reward, st.next, st.terminated,
                               !st.terminated && k == cap};
            a = rl_learner_observe(l, &t, r);
            assert_true(a < m->n_actions);
            s = st.next;
            if (counts) {
                counts->steps++;
                counts->return_sum += st.reward;
            }
            if (t.terminated || t.truncated) {
                if (counts) {
                    counts->terminated += t.terminated;
                    counts->truncated += t.truncated;
                }
                break;
            }
        }
        rl_error err;
        int rc = rl_learner_end_episode(l, &err);
        if (rc != RL_CONTINUE)
            fail_error("end_episode", rc, &err);
        if (counts)
            counts->episodes++;
    }
}

static void build_preset(gw_fixture *g, const char *preset, unsigned long seed)
{
    gw_build(g, NULL, (const char *const[]){"preset", preset, NULL});
    rl_rng_free(g->r);
    g->r = rl_rng_alloc(seed, NULL);
    assert_non_null(g->r);
}

/* Runs learners a and b (agent keys a_kv, b_kv) on two copies of a preset with generators of
 * the same seed, and requires their action values to be bitwise equal at the end. */
static void expect_identical(const char *a_name, const char *const *a_kv, const char *b_name,
                             const char *const *b_kv, size_t episodes, size_t cap)
{
    gw_fixture ga, gb;
    build_preset(&ga, "cliff_walking", 2024);
    build_preset(&gb, "cliff_walking", 2024);
    rl_learner *la = learner_make(a_name, ga.m, a_kv, NULL);
    rl_learner *lb = learner_make(b_name, gb.m, b_kv, NULL);
    loop_counts ca = {0}, cb = {0};
    run_episodes(&ga, la, ga.r, episodes, cap, false, &ca);
    run_episodes(&gb, lb, gb.r, episodes, cap, false, &cb);
    size_t n = ga.m->n_states * ga.m->n_actions;
    double *qa = malloc(n * sizeof *qa), *qb = malloc(n * sizeof *qb);
    assert_non_null(qa);
    assert_non_null(qb);
    rl_learner_action_values(la, qa);
    rl_learner_action_values(lb, qb);
    /* Not a vacuous equality: both learned, and both loops also ended by the time limit. */
    size_t nonzero = 0;
    for (size_t i = 0; i < n; i++)
        nonzero += qa[i] != 0.0;
    assert_true(nonzero > n / 2);
    assert_true(ca.truncated > 0);
    assert_true(ca.terminated > 0);
    assert_int_equal(ca.steps, cb.steps);
    for (size_t i = 0; i < n; i++)
        if (memcmp(&qa[i], &qb[i], sizeof qa[i]) != 0)
            fail_msg("%s vs %s: q[%zu] = %.17g vs %.17g", a_name, b_name, i, qa[i], qb[i]);
    free(qa);
    free(qb);
    rl_learner_free(la);
    rl_learner_free(lb);
    gw_free(&ga);
    gw_free(&gb);
}

/* n-step Sarsa with n = 1 is Sarsa: same draws (one per decision, the next action chosen
 * before the update) and the same arithmetic, R + gamma q(S', A'). The cap of 200 steps
 * truncates the long early episodes, so the truncation path is compared too. */
static void test_n_step_one_is_sarsa(void **state)
{
    (void)state;
    expect_identical("sarsa",
                     (const char *const[]){"gamma", "1", "alpha", "0.5", "epsilon", "0.1", NULL},
                     "n_step_sarsa",
                     (const char *const[]){"gamma", "1", "alpha", "0.5", "epsilon", "0.1", "n",
                                           "1", NULL},
                     300, 200);
}

/* Expected Sarsa's target with epsilon = 0 is R + gamma max_a q(S', a), Q-learning's. */
static void test_expected_sarsa_greedy_is_q_learning(void **state)
{
    (void)state;
    const char *const kv[] = {"gamma", "1", "alpha", "0.5", "epsilon", "0", NULL};
    expect_identical("expected_sarsa", kv, "q_learning", kv, 300, 50);
}

/* Zhao Fig 8.6(b): v of the uniform policy on the 5x5 grid, gamma 0.9, to 4 decimals. */
static const double zhao_uniform_v[25] = {
    -3.8463, -3.8138, -3.6442, -3.1209, -3.2350, -3.7936, -3.8473, -3.8004, -3.1063,
    -2.9241, -3.5724, -3.8965, -3.3817, -3.1944, -2.9444, -3.9008, -3.6159, -3.4031,
    -2.8976, -3.2393, -4.4589, -4.1608, -3.3858, -3.3634, -3.4532};

/* Zhao Fig 3.4(a): v* on the same grid. Every printed value is exact (products of 0.9 and
 * the rewards, e.g. 5.832 = 0.9 * 6.48); the test checks that they satisfy Bellman's
 * optimality equation on the model to 1e-9 before using them. */
static const double zhao_optimal_v[25] = {
    5.832, 5.58, 6.2, 6.48, 5.832, 6.48, 7.2, 8.0, 7.2, 6.48, 7.2, 8.0, 10,
    8.0,   7.2,  8.0, 10,   10,    10,  8.0, 7.2, 9.0, 10,  9.0, 8.1};

static double rmse(const double *v, const double *truth, size_t n)
{
    double sum = 0.0;
    for (size_t s = 0; s < n; s++)
        sum += (v[s] - truth[s]) * (v[s] - truth[s]);
    return sqrt(sum / (double)n);
}

/* The largest, over states, variance of the TD error r + gamma v(s') - v(s) when the action
 * is uniform and the grid deterministic: Var_a[r(s, a) + gamma v(s'(s, a))], from the model
 * and the book's v. */
static double max_td_error_variance(const rl_mdp *m, const double *v, double gamma)
{
    double worst = 0.0;
    for (size_t s = 0; s < m->n_states; s++) {
        double sum = 0.0, sum2 = 0.0, n = (double)m->n_actions;
        for (size_t a = 0; a < m->n_actions; a++) {
            double x = rl_mdp_backup(m, s, a, v, gamma);
            sum += x;
            sum2 += x * x;
        }
        double var = sum2 / n - (sum / n) * (sum / n);
        worst = var > worst ? var : worst;
    }
    return worst;
}

/* TD(0) on the uniform policy of Zhao's grid, gamma 0.9, constant alpha = 2.5e-4, 20,000
 * episodes of 500 steps, each from a uniformly drawn state: 400,000 updates per state on
 * average.
 * Bias: the initial error (v0 = 0, at most 4.5) shrinks at least like
 * exp(-alpha (1 - gamma) visits) = exp(-10): below 3e-4.
 * Noise: with a constant step an estimate keeps fluctuating. Its error feeds back through
 * the successor's estimate at most as much as in a state that returns to itself, where
 * e <- (1 - alpha (1 - gamma)) e + alpha d has stationary variance
 * alpha var(d) / (2 (1 - gamma)) to first order in alpha, d being the TD error's noise.
 * var(d) <= max_s Var_a[r + gamma v(s')] (0.86 on this grid, next to the forbidden cells;
 * computed below), so every state's error has sd at most sigma = sqrt(alpha var(d) / 0.2)
 * = 0.033. The RMSE over 25 states exceeds 3 sigma with probability at most that of one
 * normal error exceeding 3 sd (0.3%, when all errors move together), far less when they are
 * partly independent; the seed is fixed. We accept RMSE < 3 sigma + 1e-3 (bias and the
 * table's rounding, 5e-5), and check that this bound is below 0.1. */
static void test_td0_zhao_uniform(void **state)
{
    (void)state;
    gw_fixture g;
    build_preset(&g, "zhao5x5", 8);
    double alpha = 2.5e-4, gamma = 0.9;
    double var_d = max_td_error_variance(g.m, zhao_uniform_v, gamma);
    double bound = 3.0 * sqrt(alpha * var_d / (2.0 * (1.0 - gamma))) + 1e-3;
    assert_true(bound < 0.1);
    rl_learner *l = learner_make("td0", g.m,
                                 (const char *const[]){"gamma", "0.9", "alpha", "2.5e-4", NULL},
                                 NULL);
    loop_counts c = {0};
    run_episodes(&g, l, g.r, 20000, 500, true, &c);
    assert_int_equal(c.truncated, 20000); /* the target is not terminal */
    double v[25];
    rl_learner_values(l, v);
    double e = rmse(v, zhao_uniform_v, 25);
    print_message("td0 zhao5x5 uniform: RMSE %.4f (bound %.4f, var(d) %.3f)\n", e, bound,
                  var_d);
    assert_true(e < bound);
    rl_learner_free(l);
    gw_free(&g);
}

/* The book's v* must satisfy Bellman's optimality equation on the model. */
static void check_optimal_table(const rl_mdp *m)
{
    for (size_t s = 0; s < 25; s++) {
        double best = -HUGE_VAL;
        for (size_t a = 0; a < m->n_actions; a++) {
            double q = rl_mdp_backup(m, s, a, zhao_optimal_v, 0.9);
            best = q > best ? q : best;
        }
        assert_close(best, zhao_optimal_v[s], 1e-9);
    }
}

/* A control learner's values and greedy policy against v*: RMSE of max_a q below 0.01, and
 * in every state the greedy action achieves v*(s) by one-step lookahead within 1e-6. */
static void check_optimal(const rl_learner *l, const rl_mdp *m)
{
    double v[25], pi[125];
    rl_learner_values(l, v);
    double e = rmse(v, zhao_optimal_v, 25);
    print_message("%s zhao5x5 off-policy: RMSE %.2e\n", rl_learner_name(l), e);
    assert_true(e < 0.01);
    rl_learner_policy(l, pi);
    for (size_t s = 0; s < 25; s++) {
        size_t greedy = 0;
        for (size_t a = 0; a < 5; a++) {
            assert_true(pi[s * 5 + a] == 0.0 || pi[s * 5 + a] == 1.0);
            if (pi[s * 5 + a] == 1.0)
                greedy = a;
        }
        double q = rl_mdp_backup(m, s, greedy, zhao_optimal_v, 0.9);
        if (!(q >= zhao_optimal_v[s] - 1e-6))
            fail_msg("state %zu: greedy action %zu achieves %.6f < v* %.6f", s, greedy, q,
                     zhao_optimal_v[s]);
    }
}

/* Zhao ch.7's off-policy example: behaviour uniform, one episode of 100,000 steps,
 * alpha 0.1, gamma 0.9. The grid is deterministic, so each update of (s, a) moves q(s, a)
 * a tenth of the way to r + 0.9 max q(s', .) with no sampling noise: asynchronous value
 * iteration with a damped step, whose error contracts by 1 - 0.1 (1 - 0.9) = 0.99 per round
 * of updates of every pair. Each of the 125 pairs is updated about 800 times, so the error of
 * the initial 0 (at most 10) ends below about 10 * 0.99^800 = 3e-3, under the 0.01 we
 * accept (Zhao's plot of this RMSE reaches about 0). */
static void test_q_learning_off_policy_zhao(void **state)
{
    (void)state;
    gw_fixture g;
    build_preset(&g, "zhao5x5", 42);
    check_optimal_table(g.m);
    rl_learner *l = learner_make("q_learning", g.m,
                                 (const char *const[]){"gamma", "0.9", "alpha", "0.1",
                                                       "behavior", "uniform", NULL},
                                 NULL);
    loop_counts c = {0};
    run_episodes(&g, l, g.r, 1, 100000, false, &c);
    assert_int_equal(c.steps, 100000);
    check_optimal(l, g.m);
    rl_learner_free(l);
    gw_free(&g);
}

/* Double Q-learning, the same example with epsilon = 1 (Zhao's rule makes that uniform).
 * Its fixed point on a deterministic grid is q* in both tables, but each table gets half the
 * updates and, early on, one table's untried greedy action is judged by the other table's
 * poor estimate: a transient underestimation that takes longer to wash out (at 100,000 steps
 * the RMSE is still about 0.2; at 200,000 below 5e-3 for every seed we tried). We give it
 * 300,000 steps and the same 0.01 and greedy-optimality checks. */
static void test_double_q_off_policy_zhao(void **state)
{
    (void)state;
    gw_fixture g;
    build_preset(&g, "zhao5x5", 43);
    rl_learner *l = learner_make("double_q_learning", g.m,
                                 (const char *const[]){"gamma", "0.9", "alpha", "0.1",
                                                       "epsilon", "1", NULL},
                                 NULL);
    run_episodes(&g, l, g.r, 1, 300000, false, NULL);
    check_optimal(l, g.m);
    rl_learner_free(l);
    gw_free(&g);
}

/* Expected Sarsa with epsilon = 1 evaluates the uniform policy: its target
 * r + gamma mean_a q(s', a) is exact in expectation over the next action and, the grid being
 * deterministic, has no noise at all, so q converges like damped policy evaluation (the
 * same 0.99-per-round contraction as above). mean_a q(s, a) is then v of the uniform policy,
 * Zhao's Fig 8.6(b): after 100,000 steps (800 updates per pair) within 0.01 RMSE. */
static void test_expected_sarsa_uniform_zhao(void **state)
{
    (void)state;
    gw_fixture g;
    build_preset(&g, "zhao5x5", 44);
    rl_learner *l = learner_make("expected_sarsa", g.m,
                                 (const char *const[]){"gamma", "0.9", "alpha", "0.1",
                                                       "epsilon", "1", NULL},
                                 NULL);
    run_episodes(&g, l, g.r, 1, 100000, false, NULL);
    double q[125], v[25];
    rl_learner_action_values(l, q);
    for (size_t s = 0; s < 25; s++) {
        v[s] = 0.0;
        for (size_t a = 0; a < 5; a++)
            v[s] += q[s * 5 + a] / 5.0;
    }
    double e = rmse(v, zhao_uniform_v, 25);
    print_message("expected_sarsa epsilon 1 zhao5x5: RMSE %.2e\n", e);
    assert_true(e < 0.01);
    rl_learner_free(l);
    gw_free(&g);
}

/* n-step Sarsa against S&B's pseudo-code (section 7.2) run by this test on the recorded
 * episodes: for tau = 0 .. T-1 in order, G = sum_{i = tau+1}^{h} gamma^{i-tau-1} R_i with
 * h = min(tau + n, T), plus gamma^{h-tau} q(S_h, A_h) unless S_h is terminal (h = T after a
 * termination), then q(S_tau, A_tau) += alpha (G - q(S_tau, A_tau)). The learner chooses the
 * actions (including A_T of a truncated episode, which the pseudo-code bootstraps from); the
 * reference only replays them. Episodes on Zhao's grid with a terminal target are cut at 40
 * steps, so both ends (termination, truncation) and n larger than an episode all occur. q
 * must agree to 1e-9 after every episode. */
#define REF_CAP 40
static void n_step_reference(size_t n)
{
    gw_fixture g;
    gw_build(&g, NULL, (const char *const[]){"preset", "zhao5x5", "goal_terminal", "true", NULL});
    rl_rng_free(g.r);
    g.r = rl_rng_alloc(31 + n, NULL);
    const rl_mdp *m = g.m;
    char n_text[16];
    snprintf(n_text, sizeof n_text, "%zu", n);
    rl_learner *l = learner_make("n_step_sarsa", m,
                                 (const char *const[]){"n", n_text, "gamma", "0.95", "alpha",
                                                       "0.3", "epsilon", "0.2", NULL},
                                 NULL);
    size_t n_sa = m->n_states * m->n_actions;
    double *ref = calloc(n_sa, sizeof *ref), *q = malloc(n_sa * sizeof *q);
    assert_non_null(ref);
    assert_non_null(q);
    size_t S[REF_CAP + 1], A[REF_CAP + 1];
    double R[REF_CAP + 1];
    size_t terminated_episodes = 0, truncated_episodes = 0;
    for (size_t e = 0; e < 300; e++) {
        size_t T = 0;
        bool terminated = false;
        S[0] = rl_env_reset(g.env, g.r);
        A[0] = rl_learner_begin_episode(l, S[0], g.r);
        while (!terminated && T < REF_CAP) {
            rl_step st = rl_env_step(g.env, A[T], g.r);
            terminated = st.terminated;
            rl_transition t = {S[T], A[T], st.reward, st.next, terminated,
                               !terminated && T + 1 == REF_CAP};
            size_t next_action = rl_learner_observe(l, &t, g.r);
            T++;
            S[T] = st.next;
            R[T] = st.reward;
            A[T] = next_action;
        }
        end_episode(l);
        terminated_episodes += terminated;
        truncated_episodes += !terminated;
        for (size_t tau = 0; tau < T; tau++) {
            size_t h = tau + n < T ? tau + n : T;
            double G = 0.0, discount = 1.0;
            for (size_t i = tau + 1; i <= h; i++) {
                G += discount * R[i];
                discount *= 0.95;
            }
            if (!(h == T && terminated))
                G += discount * ref[S[h] * m->n_actions + A[h]];
            double *x = &ref[S[tau] * m->n_actions + A[tau]];
            *x += 0.3 * (G - *x);
        }
        rl_learner_action_values(l, q);
        for (size_t i = 0; i < n_sa; i++)
            if (!(fabs(q[i] - ref[i]) <= 1e-9))
                fail_msg("n = %zu, episode %zu: q[%zu] = %.15g, reference %.15g", n, e, i,
                         q[i], ref[i]);
    }
    assert_true(terminated_episodes > 0);
    assert_true(truncated_episodes > 0);
    free(ref);
    free(q);
    rl_learner_free(l);
    gw_free(&g);
}

static void test_n_step_sarsa_reference(void **state)
{
    (void)state;
    n_step_reference(2);
    n_step_reference(4);
    n_step_reference(25);
    n_step_reference(100); /* longer than any episode: Monte Carlo with bootstrap at cuts */
}

/* Steps the greedy policy takes from s to a terminal state on the model, or cap. */
static size_t greedy_path_length(const rl_mdp *m, const double *pi, size_t s, size_t cap)
{
    size_t n = m->n_actions;
    for (size_t k = 1; k <= cap; k++) {
        size_t a = 0;
        for (size_t b = 0; b < n; b++)
            if (pi[s * n + b] > pi[s * n + a])
                a = b;
        int32_t next = m->sure_next[s * n + a];
        assert_true(next >= 0); /* cliff walking is deterministic */
        if (m->kind[next] == RL_STATE_TERMINAL)
            return k;
        s = (size_t)next;
    }
    return cap;
}

static size_t cliff_greedy_length(const gw_fixture *g, const rl_learner *l)
{
    double pi[48 * 4];
    assert_int_equal(g->m->n_states * g->m->n_actions, 48 * 4);
    rl_learner_policy(l, pi);
    return greedy_path_length(g->m, pi, gw_state(g->m, 3, 0), 100);
}

/* S&B Example 6.6: the optimal path from the start, along the cliff edge, takes 13 steps.
 * With epsilon = 0, alpha = 1 and q0 = 0, Sarsa, Expected Sarsa and Q-learning all make the
 * same update, q(s, a) <- r + max_a' q(s', a'), on the path they act greedily along: Korf's
 * learning real-time A* (LRTA*) on action values. Every reward is negative and gamma = 1, so
 * q0 = 0 never underestimates a cost (it is admissible), and repeated trials of LRTA* in a
 * finite deterministic problem converge to an optimal path; 300 trials are ample for 48
 * states. The greedy path then has 13 steps and v(start) = max_a q(start, a) = -13 exactly.
 * (Linearly decaying epsilon to 0 instead leaves Sarsa on the safe 17-step path: the edge's
 * action values, learned while exploration still threw it off the cliff, are no longer
 * revisited.) */
static void test_cliff_greedy_optimal(void **state)
{
    (void)state;
    const char *names[] = {"sarsa", "expected_sarsa", "q_learning"};
    for (size_t i = 0; i < 3; i++) {
        gw_fixture g;
        build_preset(&g, "cliff_walking", 99 + i);
        rl_learner *l = learner_make(names[i], g.m,
                                     (const char *const[]){"gamma", "1", "alpha", "1",
                                                           "epsilon", "0", NULL},
                                     NULL);
        run_episodes(&g, l, g.r, 300, 1000, false, NULL);
        size_t length = cliff_greedy_length(&g, l);
        if (length != 13)
            fail_msg("%s: greedy path of %zu steps, expected 13", names[i], length);
        double v[48];
        rl_learner_values(l, v);
        assert_close(v[gw_state(g.m, 3, 0)], -13.0, 1e-9);
        rl_learner_free(l);
        gw_free(&g);
    }
}

/* S&B Example 6.6 and Fig 6.4, epsilon = 0.1, alpha = 0.5: Q-learning learns the optimal
 * path (its greedy path has 13 steps) but, exploring next to the cliff, falls off now and
 * then; Sarsa learns values of its epsilon-greedy behaviour, which make the edge costly (a
 * fall, -100 and back to the start, with probability 0.025 at each of 11 edge steps), and
 * takes a safer path: its online return is better (the book's plot: about -25 against
 * -50). We compare the mean return of episodes 101 to 500 (the first 100 are learning) and
 * require Sarsa's to exceed Q-learning's by 10; each mean is over 400 episodes whose returns
 * have an sd of a few tens (one fall is -100), so its own sd is about 2, and the book's gap
 * is 25. */
static void test_cliff_sarsa_safer_than_q_learning(void **state)
{
    (void)state;
    const char *const kv[] = {"gamma", "1", "alpha", "0.5", "epsilon", "0.1", NULL};
    double mean[2];
    const char *names[] = {"sarsa", "q_learning"};
    for (size_t i = 0; i < 2; i++) {
        gw_fixture g;
        build_preset(&g, "cliff_walking", 7);
        rl_learner *l = learner_make(names[i], g.m, kv, NULL);
        run_episodes(&g, l, g.r, 100, 10000, false, NULL);
        loop_counts c = {0};
        run_episodes(&g, l, g.r, 400, 10000, false, &c);
        mean[i] = c.return_sum / (double)c.episodes;
        if (i == 1) {
            size_t length = cliff_greedy_length(&g, l);
            if (length != 13)
                fail_msg("q_learning: greedy path of %zu steps, expected 13", length);
        }
        rl_learner_free(l);
        gw_free(&g);
    }
    print_message("cliff epsilon 0.1: mean return sarsa %.1f, q_learning %.1f\n", mean[0],
                  mean[1]);
    assert_true(mean[0] > mean[1] + 10.0);
}

/* Registry entries: learners, and only td0 evaluates a given policy. */
static void test_registry(void **state)
{
    (void)state;
    const char *names[] = {"td0",        "sarsa",         "expected_sarsa", "n_step_sarsa",
                           "q_learning", "double_q_learning"};
    for (size_t i = 0; i < 6; i++) {
        const rl_agent *info = rl_agent_find(names[i], NULL);
        assert_non_null(info);
        assert_int_equal(info->kind, RL_AGENT_LEARNER);
        assert_string_equal(info->learner->name, names[i]);
        assert_true(info->learner->params == rl_agent_params(info));
        assert_int_equal(rl_agent_is_prediction(info), i == 0);
        assert_true((info->learner->action_values == NULL) == (i == 0));
    }
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_td0_single_updates),
        cmocka_unit_test(test_td0_one_over_n),
        cmocka_unit_test(test_td0_given_policy),
        cmocka_unit_test(test_sarsa_single_updates),
        cmocka_unit_test(test_expected_sarsa_single_updates),
        cmocka_unit_test(test_q_learning_single_updates),
        cmocka_unit_test(test_n_step_sarsa_terminal),
        cmocka_unit_test(test_n_step_sarsa_truncated),
        cmocka_unit_test(test_double_q_single_update),
        cmocka_unit_test(test_double_q_one_table_per_step),
        cmocka_unit_test(test_double_q_cross_evaluation),
        cmocka_unit_test(test_epsilon_decay),
        cmocka_unit_test(test_n_step_one_is_sarsa),
        cmocka_unit_test(test_expected_sarsa_greedy_is_q_learning),
        cmocka_unit_test(test_td0_zhao_uniform),
        cmocka_unit_test(test_q_learning_off_policy_zhao),
        cmocka_unit_test(test_double_q_off_policy_zhao),
        cmocka_unit_test(test_expected_sarsa_uniform_zhao),
        cmocka_unit_test(test_n_step_sarsa_reference),
        cmocka_unit_test(test_cliff_greedy_optimal),
        cmocka_unit_test(test_cliff_sarsa_safer_than_q_learning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

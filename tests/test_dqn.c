/* Tests for deep Q-learning (agents/dqn.c) and its replay buffer (agents/replay.h).
 *
 * Each check compares with a number derived outside the code under test:
 * - the replay buffer: capacity and overwrite order by hand; the sampling distribution
 *   against the binomial bound below; the drawn indices against floor(u size) replayed from
 *   a copy of the generator;
 * - single updates on a 1 x 3 line with a linear network (hidden = 0, so q(s, .) = x W + b
 *   with x = (row, col / 2)) and plain SGD, worked out by hand in the comments: the TD target
 *   with and without termination and with truncation, double DQN's choice by the online net
 *   and evaluation by the target net, Zhao's one-output network on (row, col, action);
 * - the target network's refreshes: copies every target_every updates, Polyak averages;
 * - the draws the header promises, replayed from a copy of the generator;
 * - the runner drives the offline update hook `updates` times per episode once the buffer
 *   holds `warmup` transitions, and online training happens every train_every steps: counts
 *   by hand;
 * - read-outs against the network's own outputs, and the read-out tie rule;
 * - convergence: offline DQN on Zhao's grid world (Fig 8.11's data) reaches the exact v* of
 *   rl/ground_truth.h within the tolerance argued at the test, with an optimal greedy policy
 *   (checked against q* = r + gamma v*(s') from the model);
 * - divergence is reported at the step it happened;
 * - the shipped configs load and pass the plan check.
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/support.h"

#include <stdlib.h>

#include "agents/dqn.h"
#include "agents/registry.h"
#include "agents/replay.h"
#include "envs/registry.h"
#include "experiments/runner/config.h"
#include "experiments/runner/episode_loop.h"
#include "experiments/runner/plan.h"
#include "experiments/runner/run.h"
#include "rl/ground_truth.h"
#include "rl/nn.h"
#include "rl/rng.h"

static void fail_error(const char *what, int rc, const rl_error *err)
{
    char buf[1200];
    rl_error_format(err, buf, sizeof buf);
    fail_msg("%s failed (%d): %s", what, rc, buf);
}

/* A dqn learner on sp with the keys kv ("key", "value", ..., NULL). */
static rl_learner *dqn_on(const rl_space *sp, const char *const *kv, gsl_rng *r)
{
    rl_params *p = rl_params_alloc(rl_dqn_type.params);
    assert_non_null(p);
    rl_error err;
    for (size_t i = 0; kv && kv[i]; i += 2)
        if (rl_params_set(p, kv[i], kv[i + 1], &err) != RL_OK)
            fail_error(kv[i], err.code, &err);
    rl_learner *l;
    int rc = rl_learner_alloc(&rl_dqn_type, sp, p, NULL, r, &l, &err);
    if (rc != RL_OK)
        fail_error("dqn", rc, &err);
    rl_params_free(p);
    return l;
}

static rl_env *preset_env(const char *preset, const char *const *kv)
{
    const rl_env_type *gw = rl_env_type_find("gridworld", NULL);
    rl_params *p = rl_params_alloc(gw->params);
    assert_non_null(p);
    rl_error err;
    assert_int_equal(rl_params_set(p, "preset", preset, &err), RL_OK);
    for (size_t i = 0; kv && kv[i]; i += 2)
        if (rl_params_set(p, kv[i], kv[i + 1], &err) != RL_OK)
            fail_error(kv[i], err.code, &err);
    rl_env *env;
    int rc = rl_env_alloc(gw, p, &env, &err);
    if (rc != RL_OK)
        fail_error(preset, rc, &err);
    rl_params_free(p);
    return env;
}

/* ---- the replay buffer ---- */

static void test_replay_capacity_and_overwrite(void **state)
{
    (void)state;
    rl_replay b;
    rl_error err;
    assert_int_equal(rl_replay_init(&b, 0, &err), RL_ERANGE);
    assert_contains(err.message, "outside [1, 100000000]");
    assert_int_equal(rl_replay_init(&b, 0, NULL), RL_ERANGE);
    assert_int_equal(rl_replay_init(&b, RL_REPLAY_MAX_CAPACITY + 1, NULL), RL_ERANGE);
    assert_int_equal(rl_replay_init(&b, 3, &err), RL_OK);
    assert_int_equal(b.size, 0);
    /* Transition i: s = i, a = i % 4, r = 10 i, s' = i + 1, terminated for odd i. */
    for (size_t i = 0; i < 5; i++) {
        rl_replay_push(&b, i, i % 4, 10.0 * (double)i, i + 1, i % 2 == 1);
        assert_int_equal(b.size, i + 1 < 3 ? i + 1 : 3);
        assert_int_equal(b.pushed, i + 1);
    }
    /* Five pushes into three slots: 0 and 1 were overwritten by 3 and 4; held, oldest
     * first: 2, 3, 4, in slots 2, 0, 1. */
    const size_t held[3] = {2, 3, 4}, slots[3] = {2, 0, 1};
    for (size_t k = 0; k < 3; k++) {
        size_t j = rl_replay_slot(&b, k), i = held[k];
        assert_int_equal(j, slots[k]);
        assert_int_equal(b.state[j], i);
        assert_int_equal(b.action[j], i % 4);
        assert_close(b.reward[j], 10.0 * (double)i, 0.0);
        assert_int_equal(b.next[j], i + 1);
        assert_int_equal(b.terminated[j], i % 2 == 1);
    }
    rl_replay_clear(&b);
    assert_int_equal(b.size, 0);
    assert_int_equal(b.pushed, 0);
    rl_replay_push(&b, 7, 1, -1.0, 8, false);
    assert_int_equal(rl_replay_slot(&b, 0), 0);
    rl_replay_release(&b);
    rl_replay_release(&b); /* idempotent */
}

/* 70,000 indices from a buffer holding 7 transitions (capacity 10): each count is binomial
 * with n = 70,000 and p = 1/7, mean 10,000 and standard deviation sqrt(n p (1 - p)) = 92.6.
 * Each must lie within 5 standard deviations (463) of the mean: a correct sampler fails this
 * with probability below 7 x 5.7e-7 = 4e-6 for a random seed (and the seed is fixed). A
 * sampler that skipped one slot, or reached past the size, would be off by about 1,400 or
 * leave the range. The indices are also exactly floor(u 7) of a copy of the generator. */
static void test_replay_sampling(void **state)
{
    (void)state;
    rl_replay b;
    assert_int_equal(rl_replay_init(&b, 10, NULL), RL_OK);
    for (size_t i = 0; i < 7; i++)
        rl_replay_push(&b, i, 0, 0.0, i, false);
    gsl_rng *r = rl_rng_alloc(99, NULL);
    gsl_rng *copy = gsl_rng_clone(r);
    enum { N = 70000, CHUNK = 100 };
    size_t count[10] = {0}, index[CHUNK];
    for (size_t n = 0; n < N; n += CHUNK) {
        rl_replay_sample(&b, CHUNK, r, index);
        for (size_t k = 0; k < CHUNK; k++) {
            assert_true(index[k] < 7);
            count[index[k]]++;
            assert_int_equal(index[k], (size_t)(gsl_rng_uniform(copy) * 7.0));
        }
    }
    for (size_t i = 0; i < 7; i++)
        if (!(fabs((double)count[i] - 10000.0) <= 463.0))
            fail_msg("slot %zu drawn %zu times, expected 10000 +- 463", i, count[i]);
    /* Same seed, same indices; another seed, others. */
    gsl_rng *r1 = rl_rng_alloc(5, NULL), *r2 = rl_rng_alloc(5, NULL), *r3 = rl_rng_alloc(6, NULL);
    size_t a[CHUNK], c[CHUNK];
    rl_replay_sample(&b, CHUNK, r1, a);
    rl_replay_sample(&b, CHUNK, r2, index);
    rl_replay_sample(&b, CHUNK, r3, c);
    assert_memory_equal(a, index, sizeof a);
    assert_true(memcmp(a, c, sizeof a) != 0);
    /* Full and wrapped: every slot of the capacity is drawn, none beyond. */
    for (size_t i = 7; i < 25; i++)
        rl_replay_push(&b, i, 0, 0.0, i, false);
    size_t seen[10] = {0};
    for (size_t n = 0; n < 2000; n += CHUNK) {
        rl_replay_sample(&b, CHUNK, r, index);
        for (size_t k = 0; k < CHUNK; k++) {
            assert_true(index[k] < 10);
            seen[index[k]]++;
        }
    }
    for (size_t i = 0; i < 10; i++)
        assert_true(seen[i] > 0); /* 2000 draws: P(a slot unseen) = 0.9^2000 */
    rl_rng_free(r1);
    rl_rng_free(r2);
    rl_rng_free(r3);
    gsl_rng_free(copy);
    rl_rng_free(r);
    rl_replay_release(&b);
}

/* ---- single updates by hand ---- */

/* A 1 x 3 line of open cells with 2 actions: the space alone (a learner needs no model). */
typedef struct line {
    rl_mdp *m;
    const rl_space *sp;
    gsl_rng *r;
} line;

static void line_make(line *L)
{
    L->m = test_mdp_alloc(1, 3, 2, NULL);
    assert_non_null(L->m);
    L->sp = test_space_of(L->m);
    L->r = rl_rng_alloc(3, NULL);
}

static void line_free(line *L)
{
    rl_mdp_free(L->m);
    rl_rng_free(L->r);
}

/* The linear network 2 -> 2 (outputs = actions) in rl_nn's parameter order: W row by row
 * (W[i][j] from input i to output j), then b. Input x = (row, col / 2) = (0, col / 2).
 *   online:  W = [[0, 0], [0.2, 0.4]], b = [0.1, 0.3]
 *            q(1, .) = (0.5 * 0.2 + 0.1, 0.5 * 0.4 + 0.3) = (0.2, 0.5)
 *            q(2, .) = (0.2 + 0.1, 0.4 + 0.3) = (0.3, 0.7)
 *   target:  W = [[0, 0], [1, -2]], b = [0.5, 1]
 *            q(2, .) = (1 + 0.5, -2 + 1) = (1.5, -1) */
static const float ONLINE[6] = {0.0f, 0.0f, 0.2f, 0.4f, 0.1f, 0.3f};
static const float TARGET[6] = {0.0f, 0.0f, 1.0f, -2.0f, 0.5f, 1.0f};

static const char *const HAND_KEYS[] = {
    "hidden", "0", "optimizer", "sgd", "lr", "0.1", "loss", "mse", "gamma", "0.9",
    "batch", "4", "replay_size", "8", "warmup", "0", "updates", "1", "behavior", "uniform",
    NULL};

/* HAND_KEYS with extra ("key", "value", ...) appended; a key given twice takes the later
 * value (rl_params_set overwrites). */
static const char **hand_keys(const char **kv, const char *const *extra)
{
    size_t n = 0;
    for (; HAND_KEYS[n]; n++)
        kv[n] = HAND_KEYS[n];
    for (size_t i = 0; extra[i]; i++)
        kv[n++] = extra[i];
    kv[n] = NULL;
    return kv;
}

static void set_networks(rl_learner *l, const float *online, const float *target)
{
    assert_int_equal(rl_nn_set_params(rl_dqn_network(l, false), online, NULL), RL_OK);
    assert_int_equal(rl_nn_set_params(rl_dqn_network(l, true), target, NULL), RL_OK);
}

/* Stores t, ends the episode and runs the one update; returns its loss. */
static double one_update(rl_learner *l, const rl_transition *t, gsl_rng *r)
{
    rl_learner_observe(l, t, r);
    assert_int_equal(rl_learner_end_episode(l, NULL), RL_CONTINUE);
    rl_update_report rep = {NAN};
    rl_error err;
    int rc = rl_learner_update(l, r, &rep, &err);
    if (rc != RL_CONTINUE)
        fail_error("update", rc, &err);
    rl_update_report none = {NAN};
    assert_int_equal(rl_learner_update(l, r, &none, NULL), RL_OK); /* updates = 1 */
    assert_true(isnan(none.loss));
    return rep.loss;
}

static void expect_params(rl_learner *l, bool target, const float *expected, size_t n)
{
    float p[16];
    assert_int_equal(rl_nn_n_params(rl_dqn_network(l, target)), n);
    rl_nn_get_params(rl_dqn_network(l, target), p, NULL);
    for (size_t i = 0; i < n; i++)
        if (!(fabs((double)p[i] - (double)expected[i]) <= 1e-6))
            fail_msg("%s parameter %zu is %.9g, expected %.9g", target ? "target" : "online",
                     i, (double)p[i], (double)expected[i]);
}

/* One transition (s = 1, a = 1, r = 2, s' = 2) in the buffer, so every row of the batch is
 * it: the loss is d^2 with d = q(1, 1) - y = 0.5 - y, and SGD (lr 0.1) on the mean squared
 * error moves b[1] by -0.1 * 2d and W[1][1] by -0.1 * 2d * x_col = -0.1 d (x_col = 0.5);
 * nothing else moves (action 0's output has no loss term, x_row = 0).
 * - not terminated: y = 2 + 0.9 max(1.5, -1) = 3.35, d = -2.85: b1 = 0.87, W11 = 0.685,
 *   loss 8.1225;
 * - terminated: y = 2, d = -1.5: b1 = 0.6, W11 = 0.55, loss 2.25;
 * - truncated (not terminated): bootstraps, as the first. */
static void test_td_target_by_hand(void **state)
{
    (void)state;
    line L;
    line_make(&L);
    const struct {
        bool terminated, truncated;
        double b1, w11, loss;
    } cases[] = {
        {false, false, 0.87, 0.685, 8.1225},
        {true, false, 0.6, 0.55, 2.25},
        {false, true, 0.87, 0.685, 8.1225},
    };
    for (size_t k = 0; k < 3; k++) {
        rl_learner *l = dqn_on(L.sp, HAND_KEYS, L.r);
        set_networks(l, ONLINE, TARGET);
        rl_transition t = {1, 1, 2.0, 2, cases[k].terminated, cases[k].truncated};
        double loss = one_update(l, &t, L.r);
        assert_close(loss, cases[k].loss, 1e-5);
        const float expected[6] = {0.0f, 0.0f, 0.2f, (float)cases[k].w11, 0.1f,
                                   (float)cases[k].b1};
        expect_params(l, false, expected, 6);
        expect_params(l, true, TARGET, 6); /* target_every 100: not refreshed yet */
        assert_int_equal(rl_dqn_updates(l), 1);
        rl_learner_free(l);
    }
    line_free(&L);
}

/* Double DQN: the online net picks argmax q(2, .) = argmax (0.3, 0.7) = action 1, the target
 * net values it: y = 2 + 0.9 (-1) = 1.1, d = 0.5 - 1.1 = -0.6: b1 = 0.3 + 0.12 = 0.42,
 * W11 = 0.4 + 0.06 = 0.46, loss 0.36. (Plain DQN takes the target's own max, 1.5, as in
 * the test above; evaluating with the online net would give y = 2.63.) */
static void test_double_dqn_by_hand(void **state)
{
    (void)state;
    line L;
    line_make(&L);
    const char *kv[32];
    rl_learner *l = dqn_on(L.sp, hand_keys(kv, (const char *const[]){"double", "true", NULL}),
                           L.r);
    set_networks(l, ONLINE, TARGET);
    rl_transition t = {1, 1, 2.0, 2, false, false};
    assert_close(one_update(l, &t, L.r), 0.36, 1e-6);
    const float expected[6] = {0.0f, 0.0f, 0.2f, 0.46f, 0.1f, 0.42f};
    expect_params(l, false, expected, 6);
    rl_learner_free(l);
    line_free(&L);
}

/* Zhao's network: one output, input (row, col / 2, action / 1). Linear: q = w0 row +
 * w1 x + w2 z + b, parameters (w0, w1, w2, b).
 *   online (0, 0.4, 0.2, 0.3): q(1, 1) = 0.4 * 0.5 + 0.2 * 1 + 0.3 = 0.7
 *   target (0, 1, -2, 0.5):    q(2, .) = (1 + 0.5, 1 - 2 + 0.5) = (1.5, -0.5), max 1.5
 * y = 2 + 0.9 * 1.5 = 3.35, d = 0.7 - 3.35 = -2.65; SGD lr 0.1 on d^2: b += 0.53,
 * w1 += 0.1 * 2 * 2.65 * 0.5 = 0.265, w2 += 0.53; loss 7.0225. */
static void test_one_output_by_hand(void **state)
{
    (void)state;
    line L;
    line_make(&L);
    const char *kv[32];
    rl_learner *l = dqn_on(L.sp, hand_keys(kv, (const char *const[]){"outputs", "1", NULL}),
                           L.r);
    assert_int_equal(rl_nn_n_inputs(rl_dqn_network(l, false)), 3);
    assert_int_equal(rl_nn_n_outputs(rl_dqn_network(l, false)), 1);
    const float online[4] = {0.0f, 0.4f, 0.2f, 0.3f}, target[4] = {0.0f, 1.0f, -2.0f, 0.5f};
    set_networks(l, online, target);
    rl_transition t = {1, 1, 2.0, 2, false, false};
    assert_close(one_update(l, &t, L.r), 7.0225, 1e-5);
    const float expected[4] = {0.0f, 0.665f, 0.73f, 0.83f};
    expect_params(l, false, expected, 4);
    rl_learner_free(l);
    line_free(&L);
}

/* target_every = 3: after update k the target holds the online parameters of update
 * 3 floor(k / 3) (the initial ones before update 3). With tau = 0.25 and target_every = 1,
 * after each update target = 0.25 online + 0.75 target, in float as PyTorch does it. */
static void test_target_refresh(void **state)
{
    (void)state;
    line L;
    line_make(&L);
    const char *kv[32];
    rl_learner *l = dqn_on(
        L.sp, hand_keys(kv, (const char *const[]){"updates", "7", "target_every", "3", NULL}),
        L.r);
    set_networks(l, ONLINE, TARGET);
    rl_transition t = {1, 1, 2.0, 2, false, false};
    rl_learner_observe(l, &t, L.r);
    rl_learner_end_episode(l, NULL);
    float online[8][6], target[6], last_copy[6];
    memcpy(last_copy, TARGET, sizeof last_copy);
    rl_update_report rep;
    for (size_t k = 1; k <= 7; k++) {
        assert_int_equal(rl_learner_update(l, L.r, &rep, NULL), RL_CONTINUE);
        rl_nn_get_params(rl_dqn_network(l, false), online[k], NULL);
        rl_nn_get_params(rl_dqn_network(l, true), target, NULL);
        if (k % 3 == 0)
            memcpy(last_copy, online[k], sizeof last_copy);
        assert_memory_equal(target, last_copy, sizeof target);
        if (k % 3 != 0)
            assert_true(memcmp(target, online[k], sizeof target) != 0);
    }
    assert_int_equal(rl_learner_update(l, L.r, &rep, NULL), RL_OK); /* 7 per episode */
    rl_learner_free(l);

    l = dqn_on(L.sp,
               hand_keys(kv, (const char *const[]){"updates", "3", "target_every", "1", "tau",
                                                  "0.25", NULL}),
               L.r);
    set_networks(l, ONLINE, TARGET);
    rl_learner_observe(l, &t, L.r);
    rl_learner_end_episode(l, NULL);
    float expected[6];
    memcpy(expected, TARGET, sizeof expected);
    for (size_t k = 1; k <= 3; k++) {
        assert_int_equal(rl_learner_update(l, L.r, &rep, NULL), RL_CONTINUE);
        rl_nn_get_params(rl_dqn_network(l, false), online[k], NULL);
        rl_nn_get_params(rl_dqn_network(l, true), target, NULL);
        for (size_t i = 0; i < 6; i++)
            expected[i] = expected[i] * 0.75f + 0.25f * online[k][i];
        assert_memory_equal(target, expected, sizeof target);
    }
    rl_learner_free(l);
    line_free(&L);
}

/* The draws: one per decision (uniform behaviour: floor(u |A|)), none after a terminal or
 * truncated transition, `batch` per update (floor(u size)). Both networks start at zero, so
 * every q is 0 and y = r: the loss of the update is the mean of r^2 over the drawn
 * transitions, whose rewards (1, 2, 3) identify them. */
static void test_draws(void **state)
{
    (void)state;
    line L;
    line_make(&L);
    rl_learner *l = dqn_on(L.sp, HAND_KEYS, L.r);
    const float zero[6] = {0};
    set_networks(l, zero, zero);
    gsl_rng *copy = gsl_rng_clone(L.r);
    size_t a = rl_learner_begin_episode(l, 0, L.r);
    assert_int_equal(a, (size_t)(gsl_rng_uniform(copy) * 2.0));
    for (int i = 1; i <= 3; i++) {
        rl_transition t = {0, a, (double)i, 1, false, i == 3};
        a = rl_learner_observe(l, &t, L.r);
        if (i < 3) /* the truncated last transition takes no draw */
            assert_int_equal(a, (size_t)(gsl_rng_uniform(copy) * 2.0));
    }
    rl_learner_end_episode(l, NULL);
    double expected = 0.0;
    for (int k = 0; k < 4; k++) {
        double rew = 1.0 + (double)(size_t)(gsl_rng_uniform(copy) * 3.0);
        expected += rew * rew / 4.0;
    }
    rl_update_report rep;
    assert_int_equal(rl_learner_update(l, L.r, &rep, NULL), RL_CONTINUE);
    assert_close(rep.loss, expected, 1e-12);
    assert_int_equal(gsl_rng_get(L.r), gsl_rng_get(copy)); /* no other draw */
    /* A terminal transition takes no draw either. */
    rl_transition t = {0, 0, 0.0, 1, true, false};
    rl_learner_observe(l, &t, L.r);
    assert_int_equal(gsl_rng_get(L.r), gsl_rng_get(copy));
    gsl_rng_free(copy);
    rl_learner_free(l);
    line_free(&L);
}

/* Read-outs are the online network's outputs: q(s, .) = x(s) W + b by hand, v = max, the
 * greedy policy by the read-out tie rule (first of tied actions); rows of terminal states
 * are 0 (values) and uniform (policy). */
static void test_readouts(void **state)
{
    (void)state;
    line L;
    line_make(&L);
    L.m->kind[2] = RL_STATE_TERMINAL;
    rl_learner *l = dqn_on(L.sp, HAND_KEYS, L.r);
    /* W = [[0, 0], [2, -2]], b = [0, 0]: q(0, .) = (0, 0) (a tie), q(1, .) = (1, -1). */
    const float p[6] = {0.0f, 0.0f, 2.0f, -2.0f, 0.0f, 0.0f};
    set_networks(l, p, p);
    double q[6], v[3], pi[6];
    assert_true(rl_learner_action_values(l, q));
    assert_true(rl_learner_values(l, v));
    rl_learner_policy(l, pi);
    const double q_hand[6] = {0, 0, 1, -1, 0, 0}, v_hand[3] = {0, 1, 0};
    const double pi_hand[6] = {1, 0, 1, 0, 0.5, 0.5};
    for (size_t i = 0; i < 6; i++) {
        assert_close(q[i], q_hand[i], 0.0);
        assert_close(pi[i], pi_hand[i], 0.0);
    }
    for (size_t s = 0; s < 3; s++)
        assert_close(v[s], v_hand[s], 0.0);
    /* Action 1 ahead by less than the read-out tolerance (1e-9 relative) still reads out as
     * action 0. */
    const float near[6] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1e-12f};
    set_networks(l, near, near);
    rl_learner_policy(l, pi);
    assert_close(pi[0], 1.0, 0.0);
    rl_learner_free(l);
    line_free(&L);
}

/* ---- through the runner ---- */

/* Offline: 3 episodes of 10 steps on Zhao's grid (its target is not terminal, so every
 * episode is truncated at 10), updates = 4, warmup = 20: after episode 1 the buffer holds 10
 * transitions (< 20, no update), after episodes 2 and 3 it holds 20 (enough: the boundary)
 * and 30: updates 1-4
 * follow episode 2 and 5-8 episode 3. Logged every 3rd: update 3 (episode 2) and 6
 * (episode 3). */
static void test_offline_updates_through_the_loop(void **state)
{
    (void)state;
    rl_env *env = preset_env("zhao5x5", NULL);
    const rl_space *sp = rl_env_space(env);
    rl_run_result res;
    rl_error err;
    assert_int_equal(rl_run_result_prepare(&res, env, sp, &err), RL_OK);
    gsl_rng *r = rl_rng_alloc(11, NULL);
    const char *const kv[] = {"updates", "4", "warmup", "20", "batch", "8", "hidden", "16",
                              "behavior", "uniform", NULL};
    rl_learner *l = dqn_on(sp, kv, r);
    rl_loop_options o = RL_LOOP_OPTIONS_DEFAULT;
    o.episodes = 3;
    o.max_steps = 10;
    o.gamma = 0.9;
    o.log_every_updates = 3;
    int rc = rl_episode_loop(env, l, r, &o, &res, &err);
    if (rc != RL_OK)
        fail_error("loop", rc, &err);
    assert_int_equal(res.steps, 30);
    assert_int_equal(res.updates, 8);
    assert_int_equal(rl_dqn_updates(l), 8);
    assert_int_equal(res.update_rows.n, 2);
    const size_t update[2] = {3, 6}, episode[2] = {2, 3};
    for (size_t i = 0; i < 2; i++) {
        const rl_update_row *row = rl_rows_at(&res.update_rows, i);
        assert_int_equal(row->update, update[i]);
        assert_int_equal(row->episode, episode[i]);
        assert_true(isfinite(row->loss) && row->loss >= 0.0);
        assert_true(isnan(row->value_rmse)); /* no truth given */
    }
    assert_string_equal(res.status, "completed");
    rl_learner_free(l);
    rl_rng_free(r);
    rl_run_result_free(&res);
}

/* Online: train_every = 3, warmup = 6, 3 episodes of 10 steps: an update after transition t
 * (counted over the run) when t is a multiple of 3 and the buffer holds >= 6 transitions,
 * i.e. t = 6 (the boundary), 9, ..., 30: 9 updates, none through the update hook. */
static void test_online_training_count(void **state)
{
    (void)state;
    rl_env *env = preset_env("zhao5x5", NULL);
    const rl_space *sp = rl_env_space(env);
    rl_run_result res;
    assert_int_equal(rl_run_result_prepare(&res, env, sp, NULL), RL_OK);
    gsl_rng *r = rl_rng_alloc(12, NULL);
    const char *const kv[] = {"train_every", "3", "warmup", "6", "batch", "4", "hidden", "8",
                              NULL};
    rl_learner *l = dqn_on(sp, kv, r);
    rl_loop_options o = RL_LOOP_OPTIONS_DEFAULT;
    o.episodes = 3;
    o.max_steps = 10;
    assert_int_equal(rl_episode_loop(env, l, r, &o, &res, NULL), RL_OK);
    assert_int_equal(rl_dqn_updates(l), 9);
    assert_int_equal(res.updates, 0);
    assert_int_equal(res.update_rows.n, 0);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_run_result_free(&res);
}

/* A reward of 1e38 (the float maximum is 3.4e38) with SGD at lr 1: the first update's
 * gradient overflows the parameters, and the learner reports the step it had reached (its
 * 5 transitions); the runner marks the run diverged at that step after the episode's
 * updates. */
static void test_divergence(void **state)
{
    (void)state;
    line L;
    line_make(&L);
    const char *const kv[] = {"optimizer", "sgd", "lr", "1", "loss", "mse", "hidden", "4",
                              "updates", "5", "warmup", "0", NULL};
    rl_learner *l = dqn_on(L.sp, kv, L.r);
    for (int i = 0; i < 5; i++) {
        rl_transition t = {0, 0, 1e38, 1, false, false};
        rl_learner_observe(l, &t, L.r);
    }
    assert_int_equal(rl_learner_diverged(l), 0);
    rl_learner_end_episode(l, NULL);
    rl_update_report rep;
    int rc;
    size_t done = 0;
    while ((rc = rl_learner_update(l, L.r, &rep, NULL)) == RL_CONTINUE)
        done++;
    assert_int_equal(rc, RL_OK);
    assert_int_equal(rl_learner_diverged(l), 5);
    assert_true(done >= 1 && done < 5); /* it stopped training once diverged */
    rl_learner_free(l);
    line_free(&L);

    /* Through the loop: zhao5x5 with every reward 1e38 overflows after episode 1. */
    const char *const env_kv[] = {"reward_step", "1e38", "reward_bump", "1e38",
                                  "reward_forbidden", "1e38", "reward_goal", "1e38", NULL};
    rl_env *env = preset_env("zhao5x5", env_kv);
    rl_run_result res;
    assert_int_equal(rl_run_result_prepare(&res, env, rl_env_space(env), NULL), RL_OK);
    gsl_rng *r = rl_rng_alloc(4, NULL);
    l = dqn_on(rl_env_space(env), kv, r);
    rl_loop_options o = RL_LOOP_OPTIONS_DEFAULT;
    o.episodes = 3;
    o.max_steps = 7;
    assert_int_equal(rl_episode_loop(env, l, r, &o, &res, NULL), RL_OK);
    assert_string_equal(res.status, "diverged");
    assert_int_equal(res.diverged_step, 7);
    assert_int_equal(res.episodes, 1);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_run_result_free(&res);
}

/* ---- convergence against the exact model ---- */

/* Offline DQN on Fig 8.11's data (Zhao's grid, r_boundary = r_forbidden = -10, r_target =
 * 1, gamma 0.9, one uniform episode from the top-left, here 2,000 steps), with one-hot state
 * inputs and one output per action (25-100-5), Adam at lr 0.003, batch 100, the target
 * refreshed every update, 3,000 updates. The world is deterministic, so every TD target is
 * exact and q* is the fixed point; one-hot inputs can represent it, so the error can fall to
 * float round-off (values up to 10 in float: ~1e-6). Measured over 10 seeds: 1e-6 to 2e-5.
 * The tolerance 1e-3 leaves room for slower seeds while any error in the target (gamma, the
 * max, the sampled slot) leaves an error of order 1. Every seed must also have an optimal
 * greedy policy (each decision state's read-out action attains max_a q*(s, a) within 1e-9,
 * q* from the model and the v* of rl/ground_truth.h). */
static void test_converges_to_v_star(void **state)
{
    (void)state;
    const char *const env_kv[] = {"reward_bump", "-10", "reward_forbidden", "-10",
                                  "reward_goal", "1", "reward_step", "0", NULL};
    const char *const kv[] = {"input", "features", "features", "one_hot", "outputs",
                              "actions", "hidden", "100", "loss", "mse", "lr", "0.003",
                              "batch", "100", "replay_size", "2000", "warmup", "0",
                              "target_every", "1", "updates", "3000", "behavior",
                              "uniform", "gamma", "0.9", NULL};
    const unsigned long seeds[] = {1, 2, 3};
    for (size_t k = 0; k < 3; k++) {
        rl_env *env = preset_env("zhao5x5", env_kv); /* the result owns it */
        const rl_mdp *m = rl_env_model(env);
        const rl_space *sp = rl_env_space(env);
        double v_star[25];
        assert_int_equal(rl_ground_truth_optimal(m, 0.9, v_star, NULL), RL_OK);
        rl_run_result res;
        assert_int_equal(rl_run_result_prepare(&res, env, sp, NULL), RL_OK);
        gsl_rng *r = rl_rng_alloc(seeds[k], NULL);
        rl_learner *l = dqn_on(sp, kv, r);
        rl_loop_options o = RL_LOOP_OPTIONS_DEFAULT;
        o.episodes = 1;
        o.max_steps = 2000;
        o.start = (rl_start_rule){RL_START_CELL, 0};
        o.gamma = 0.9;
        o.truth = v_star;
        o.log_every_updates = 1000;
        rl_error err;
        int rc = rl_episode_loop(env, l, r, &o, &res, &err);
        if (rc != RL_OK)
            fail_error("loop", rc, &err);
        assert_int_equal(res.updates, 3000);
        const rl_update_row *last = rl_rows_at(&res.update_rows, res.update_rows.n - 1);
        double rmse = rl_value_rmse(m, res.values, v_star);
        assert_close(last->value_rmse, rmse, 1e-12);
        size_t wrong = 0;
        for (size_t s = 0; s < sp->n_states; s++) {
            if (!rl_space_is_decision(sp, s))
                continue;
            double best = -HUGE_VAL, chosen = 0.0;
            for (size_t a = 0; a < sp->n_actions; a++) {
                double q = rl_mdp_backup(m, s, a, v_star, 0.9);
                best = q > best ? q : best;
                if (res.policy[s * sp->n_actions + a] == 1.0)
                    chosen = q;
            }
            wrong += chosen < best - 1e-9;
        }
        if (!(rmse < 1e-3) || wrong)
            fail_msg("seed %lu: value RMSE %.4g (tolerance 1e-3), %zu states with a "
                     "non-optimal greedy action", seeds[k], rmse, wrong);
        rl_learner_free(l);
        rl_rng_free(r);
        rl_run_result_free(&res);
    }
}

/* ---- parameters and configs ---- */

static void test_param_errors(void **state)
{
    (void)state;
    line L;
    line_make(&L);
    const struct {
        const char *hidden;
        int code;
        const char *text;
    } bad[] = {
        {"abc", RL_EINVAL, "widths are whole numbers separated by spaces"},
        {"64 x", RL_EINVAL, "widths are whole numbers"},
        {"-3", RL_EINVAL, "widths are whole numbers"},
        {"", RL_EINVAL, "hidden is empty"},
        {"0 8", RL_ERANGE, "0 means no hidden layer and stands alone"},
        {"8 0", RL_ERANGE, "0 means no hidden layer"},
        {"70000", RL_ERANGE, "a width is at most 65536"},
        {"1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", RL_ERANGE, "at most 15 hidden layers"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        rl_params *p = rl_params_alloc(rl_dqn_type.params);
        assert_int_equal(rl_params_set(p, "hidden", bad[k].hidden, NULL), RL_OK);
        rl_learner *l;
        rl_error err;
        assert_int_equal(rl_learner_alloc(&rl_dqn_type, L.sp, p, NULL, L.r, &l, &err),
                         bad[k].code);
        assert_null(l);
        assert_contains(err.message, bad[k].text);
        assert_string_equal(err.key, "hidden");
        assert_int_equal(rl_learner_alloc(&rl_dqn_type, L.sp, p, NULL, L.r, &l, NULL),
                         bad[k].code);
        rl_params_free(p);
    }
    /* 15 hidden layers is the most: 16 weight layers. */
    const char *const ok[] = {"hidden", "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", NULL};
    rl_learner *l = dqn_on(L.sp, ok, L.r);
    assert_int_equal(rl_nn_n_layers(rl_dqn_network(l, false)), 16);
    rl_learner_free(l);
    /* Shapes: coords give 2 inputs (3 with one output); features their dimension. */
    const char *const shapes[][9] = {
        {"hidden", "64 32", NULL},
        {"outputs", "1", "hidden", "100", NULL},
        {"input", "features", "features", "one_hot", NULL},
        {"input", "features", "features", "one_hot", "outputs", "1", NULL},
        {"input", "features", "features", "fourier", "order", "2", "outputs", "1", NULL},
    };
    /* one_hot: 3 states, or 3 x 2 (state, action) pairs; fourier order 2 is (2 + 1)^2 = 9
     * features of the state, laid into each action's block (the default): 2 x 9. */
    const size_t sizes[][4] = {{2, 64, 32, 2}, {3, 100, 1, 0}, {3, 64, 2, 0}, {6, 64, 1, 0},
                               {18, 64, 1, 0}};
    for (size_t k = 0; k < 5; k++) {
        l = dqn_on(L.sp, shapes[k], L.r);
        const rl_nn *net = rl_dqn_network(l, false);
        for (size_t i = 0; i < 4 && (i == 0 || sizes[k][i]); i++)
            assert_int_equal(rl_nn_size(net, i), sizes[k][i]);
        rl_learner_free(l);
    }
    assert_null(rl_dqn_network(NULL, false));
    line_free(&L);
}

/* The shipped configs of this learner load, expand and pass the plan check (every run's
 * learner is built once). */
static void test_shipped_configs(void **state)
{
    (void)state;
    const char *const names[] = {"zhao_fig8_11_dqn", "zhao_fig8_12_dqn", "dqn_cliff_walking",
                                 "dqn_frozenlake8x8"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/experiments/configs/%s.ini", GRIDRL_SOURCE_DIR,
                 names[k]);
        rl_config *c = NULL;
        rl_plan *p = NULL;
        rl_error err;
        int rc = rl_config_load_file(path, &c, &err);
        if (rc == RL_OK)
            rc = rl_plan_build(c, &p, &err);
        if (rc == RL_OK)
            rc = rl_plan_check(p, &err);
        if (rc != RL_OK)
            fail_error(names[k], rc, &err);
        const rl_configuration *cfg = &p->configurations[0];
        assert_string_equal(rl_agent_name(cfg->agent), "dqn");
        rl_plan_free(p);
        rl_config_free(c);
    }
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_capacity_and_overwrite),
        cmocka_unit_test(test_replay_sampling),
        cmocka_unit_test(test_td_target_by_hand),
        cmocka_unit_test(test_double_dqn_by_hand),
        cmocka_unit_test(test_one_output_by_hand),
        cmocka_unit_test(test_target_refresh),
        cmocka_unit_test(test_draws),
        cmocka_unit_test(test_readouts),
        cmocka_unit_test(test_offline_updates_through_the_loop),
        cmocka_unit_test(test_online_training_count),
        cmocka_unit_test(test_divergence),
        cmocka_unit_test(test_converges_to_v_star),
        cmocka_unit_test(test_param_errors),
        cmocka_unit_test(test_shipped_configs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

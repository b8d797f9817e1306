/* Tests for the tabular model (rl/mdp.h): allocation and its limits, building in (s, a)
 * order, merging of equal outcomes, the checks rl_mdp_finish makes (sums, start
 * distribution, terminal flags) and their messages, the compact form, sampling frequencies,
 * the backup, and the geometry helpers. Every model is a tiny one built by hand here, and
 * each expected number is worked out in a comment next to its check.
 */
#include "tests/support.h"

#include <stdint.h>

#include "rl/error.h"
#include "rl/evaluate.h"
#include "rl/mdp.h"
#include "rl/rng.h"

/* Adds an outcome that must be accepted. */
static void add_ok(rl_mdp *m, size_t s, size_t a, double p, size_t next, double r, bool t)
{
    rl_error err;
    int rc = rl_mdp_add_outcome(m, s, a, p, next, r, t, &err);
    if (rc != RL_OK)
        fail_msg("add_outcome(%zu, %zu): %s", s, a, err.message);
}

static void finish_ok(rl_mdp *m)
{
    rl_error err;
    if (rl_mdp_finish(m, &err) != RL_OK)
        fail_msg("finish: %s", err.message);
    assert_true(m->finished);
}

static void test_alloc_defaults(void **state)
{
    (void)state;
    rl_error err;
    rl_mdp *m = test_mdp_alloc(2, 3, 2, &err);
    assert_non_null(m);
    assert_int_equal(m->n_states, 6); /* 2 x 3 */
    assert_int_equal(m->n_actions, 2);
    assert_int_equal(m->rows, 2);
    assert_int_equal(m->cols, 3);
    assert_false(m->finished);
    for (size_t s = 0; s < 6; s++) {
        assert_int_equal(m->kind[s], RL_STATE_OPEN);
        assert_int_equal(m->cell[s], '.');
        assert_true(m->start[s] == 0.0);
    }
    for (size_t sa = 0; sa <= 12; sa++)
        assert_int_equal(m->first[sa], 0);
    for (size_t sa = 0; sa < 12; sa++)
        assert_int_equal(m->sure_next[sa], -1);
    for (size_t a = 0; a < 2; a++) {
        assert_string_equal(m->action_names[a], "");
        assert_int_equal(m->action_drow[a], 0);
        assert_int_equal(m->action_dcol[a], 0);
    }
    rl_mdp_free(m);
    rl_mdp_free(NULL);
}

static void test_alloc_limits(void **state)
{
    (void)state;
    rl_error err;
    rl_mdp *m = (rl_mdp *)&err; /* must come back NULL */
    assert_int_equal(rl_mdp_alloc(0, 3, 2, &m, &err), RL_EINVAL);
    assert_null(m);
    assert_int_equal(err.code, RL_EINVAL);
    assert_int_equal(rl_mdp_alloc(3, 0, 2, &m, &err), RL_EINVAL);
    assert_int_equal(err.code, RL_EINVAL);
    assert_int_equal(rl_mdp_alloc(3, 3, 0, &m, &err), RL_EINVAL);
    assert_int_equal(err.code, RL_EINVAL);
    /* The code is the same without a record. */
    assert_int_equal(rl_mdp_alloc(3, 3, 0, &m, NULL), RL_EINVAL);
    assert_null(m);
    /* RL_MAX_ACTIONS = 16 is the most; 17 is one too many. */
    assert_int_equal(rl_mdp_alloc(1, 1, RL_MAX_ACTIONS + 1, &m, &err), RL_ERANGE);
    assert_int_equal(err.code, RL_ERANGE);
    /* 65536 x 65536 = 2^32 states do not fit the int32 state numbers. */
    assert_int_equal(rl_mdp_alloc(65536, 65536, 1, &m, &err), RL_ERANGE);
    assert_int_equal(err.code, RL_ERANGE);
    /* 2^16 x 2^14 = 2^30 states fit, but 2^30 x 16 = 2^34 pairs overflow uint32; refused
     * before anything is allocated. */
    assert_int_equal(rl_mdp_alloc(65536, 16384, 16, &m, &err), RL_ERANGE);
    assert_null(m);
    assert_int_equal(err.code, RL_ERANGE);
    assert_contains(err.message, "state-action pairs");
}

/* 1 x 2 grid, one action; state 1 terminal. (0, 0) gets five adds of which two repeat an
 * earlier (next, reward, terminal): expected three outcomes, in order of first appearance,
 *   (next 1, reward 1, terminal) 0.25 + 0.25 = 0.5
 *   (next 0, reward 0)           0.25 + 0.125 = 0.375
 *   (next 0, reward 2)           0.125 (same next, different reward: not merged). */
static void test_merge_duplicates(void **state)
{
    (void)state;
    rl_mdp *m = test_mdp_alloc(1, 2, 1, NULL);
    assert_non_null(m);
    m->kind[1] = RL_STATE_TERMINAL;
    m->start[0] = 1.0;
    add_ok(m, 0, 0, 0.25, 1, 1.0, true);
    add_ok(m, 0, 0, 0.25, 0, 0.0, false);
    add_ok(m, 0, 0, 0.25, 1, 1.0, true);
    add_ok(m, 0, 0, 0.125, 0, 2.0, false);
    add_ok(m, 0, 0, 0.125, 0, 0.0, false);
    add_ok(m, 1, 0, 1.0, 1, 0.0, true);
    finish_ok(m);

    assert_int_equal(m->first[0], 0);
    assert_int_equal(m->first[1], 3);
    assert_int_equal(m->first[2], 4);
    const rl_outcome *o = m->outcomes;
    assert_int_equal(o[0].next, 1);
    assert_true(o[0].reward == 1.0 && o[0].terminal);
    assert_close(o[0].probability, 0.5, 1e-15);
    assert_int_equal(o[1].next, 0);
    assert_true(o[1].reward == 0.0 && !o[1].terminal);
    assert_close(o[1].probability, 0.375, 1e-15);
    assert_int_equal(o[2].next, 0);
    assert_true(o[2].reward == 2.0 && !o[2].terminal);
    assert_close(o[2].probability, 0.125, 1e-15);
    rl_mdp_free(m);
}

/* Bad single outcomes are refused at once, with the pair named. */
static void test_add_rejects_bad_values(void **state)
{
    (void)state;
    rl_error err;
    rl_mdp *m = test_mdp_alloc(1, 2, 2, NULL);
    assert_non_null(m);
    snprintf(m->action_names[0], RL_ACTION_NAME_MAX, "left");
    snprintf(m->action_names[1], RL_ACTION_NAME_MAX, "right");

    assert_int_equal(rl_mdp_add_outcome(m, 0, 0, 1.5, 1, 0.0, false, &err), RL_ERANGE);
    assert_contains(err.message, "state (0, 0) action left");
    assert_contains(err.message, "(0, 1]");
    assert_int_equal(rl_mdp_add_outcome(m, 0, 0, 0.0, 1, 0.0, false, &err), RL_ERANGE);
    assert_int_equal(rl_mdp_add_outcome(m, 0, 0, -0.5, 1, 0.0, false, &err), RL_ERANGE);
    assert_int_equal(rl_mdp_add_outcome(m, 0, 0, NAN, 1, 0.0, false, &err), RL_EINVAL);
    assert_int_equal(rl_mdp_add_outcome(m, 0, 0, INFINITY, 1, 0.0, false, &err), RL_EINVAL);
    assert_int_equal(rl_mdp_add_outcome(m, 0, 1, 1.0, 2, 0.0, false, &err), RL_ERANGE);
    assert_contains(err.message, "state (0, 0) action right");
    assert_contains(err.message, "next state 2");
    assert_int_equal(rl_mdp_add_outcome(m, 0, 0, 1.0, 1, INFINITY, false, &err), RL_EINVAL);
    assert_int_equal(rl_mdp_add_outcome(m, 0, 0, 1.0, 1, NAN, false, NULL), RL_EINVAL);
    assert_int_equal(rl_mdp_add_outcome(m, 2, 0, 1.0, 1, 0.0, false, &err), RL_ERANGE);
    assert_int_equal(rl_mdp_add_outcome(m, 0, 2, 1.0, 1, 0.0, false, &err), RL_ERANGE);
    /* None of them was stored. */
    assert_int_equal(m->first[1], 0);
    rl_mdp_free(m);
}

/* (s, a) order: 1 x 2 grid with 2 actions, pairs sa = 0..3 = (0,0) (0,1) (1,0) (1,1). */
static void test_out_of_order(void **state)
{
    (void)state;
    rl_error err;
    rl_mdp *m = test_mdp_alloc(1, 2, 2, NULL);
    assert_non_null(m);
    m->start[0] = 1.0;
    /* Starting at pair 1 leaves pair 0 empty. Actions are unnamed: numbered in messages. */
    assert_int_equal(rl_mdp_add_outcome(m, 0, 1, 1.0, 0, 0.0, false, &err), RL_EINVAL);
    assert_contains(err.message, "state (0, 0) action 0 has no outcomes");
    add_ok(m, 0, 0, 1.0, 1, 0.0, false);
    add_ok(m, 0, 1, 1.0, 0, 0.0, false);
    /* Back to pair 0 after pair 1. */
    assert_int_equal(rl_mdp_add_outcome(m, 0, 0, 0.5, 0, 0.0, false, &err), RL_EINVAL);
    assert_contains(err.message, "state (0, 0) action 0 added after state (0, 0) action 1");
    /* Jumping to pair 3 would skip pair 2 = state (0, 1) action 0. */
    assert_int_equal(rl_mdp_add_outcome(m, 1, 1, 1.0, 0, 0.0, false, &err), RL_EINVAL);
    assert_contains(err.message, "state (0, 1) action 0 has no outcomes");
    add_ok(m, 1, 0, 1.0, 0, 0.0, false);
    /* finish with pair 3 missing. */
    assert_int_equal(rl_mdp_finish(m, &err), RL_EINVAL);
    assert_contains(err.message, "state (0, 1) action 1 has no outcomes");
    assert_false(m->finished);
    add_ok(m, 1, 1, 1.0, 1, 0.0, false);
    finish_ok(m);
    /* Nothing can be added to, or finish, a finished model. */
    assert_int_equal(rl_mdp_add_outcome(m, 1, 1, 1.0, 1, 0.0, false, &err), RL_EINVAL);
    assert_int_equal(rl_mdp_finish(m, &err), RL_EINVAL);
    rl_mdp_free(m);

    /* An empty model names its first pair. */
    m = test_mdp_alloc(1, 1, 1, NULL);
    m->start[0] = 1.0;
    assert_int_equal(rl_mdp_finish(m, &err), RL_EINVAL);
    assert_contains(err.message, "state (0, 0) action 0 has no outcomes");
    rl_mdp_free(m);
}

/* A 1 x 2 model, actions left/right, start (0, 0); (0, 0) left has the two outcomes
 * p1 -> (0, 0) and p2 -> (0, 1), every other pair one certain outcome. */
static rl_mdp *two_cells(double p1, double p2)
{
    rl_mdp *m = test_mdp_alloc(1, 2, 2, NULL);
    assert_non_null(m);
    snprintf(m->action_names[0], RL_ACTION_NAME_MAX, "left");
    snprintf(m->action_names[1], RL_ACTION_NAME_MAX, "right");
    m->start[0] = 1.0;
    add_ok(m, 0, 0, p1, 0, 0.0, false);
    add_ok(m, 0, 0, p2, 1, 0.0, false);
    add_ok(m, 0, 1, 1.0, 1, 0.0, false);
    add_ok(m, 1, 0, 1.0, 0, 0.0, false);
    add_ok(m, 1, 1, 1.0, 1, 0.0, false);
    return m;
}

static void test_probabilities_sum_to_one(void **state)
{
    (void)state;
    rl_error err;
    /* 0.25 + 0.25 = 0.5: refused, naming the pair and the sum. */
    rl_mdp *m = two_cells(0.25, 0.25);
    assert_int_equal(rl_mdp_finish(m, &err), RL_EINVAL);
    assert_contains(err.message, "state (0, 0) action left");
    assert_contains(err.message, "sum to 0.5");
    assert_false(m->finished);
    rl_mdp_free(m);

    /* 0.5 + (0.5 + 3e-12): 3e-12 off, beyond the 1e-12 tolerance. */
    m = two_cells(0.5, 0.5 + 3e-12);
    assert_int_equal(rl_mdp_finish(m, &err), RL_EINVAL);
    assert_contains(err.message, "not 1");
    rl_mdp_free(m);

    /* 0.5 + (0.5 - 5e-13) is within 1e-12: accepted and renormalised, so the two
     * probabilities become 0.5 / s and (0.5 - 5e-13) / s with s = 1 - 5e-13, and sum to 1
     * up to a few ulps of 1 (2^-52 = 2.2e-16 each). */
    m = two_cells(0.5, 0.5 - 5e-13);
    finish_ok(m);
    double s = 1.0 - 5e-13;
    assert_close(m->outcomes[0].probability, 0.5 / s, 1e-15);
    assert_close(m->outcomes[1].probability, (0.5 - 5e-13) / s, 1e-15);
    assert_close(m->outcomes[0].probability + m->outcomes[1].probability, 1.0, 4.5e-16);
    rl_mdp_free(m);
}

static void test_start_distribution(void **state)
{
    (void)state;
    rl_error err;
    /* No start mass at all. */
    rl_mdp *m = two_cells(0.5, 0.5);
    m->start[0] = 0.0;
    assert_int_equal(rl_mdp_finish(m, &err), RL_EINVAL);
    assert_contains(err.message, "start distribution sums to 0");
    rl_mdp_free(m);

    /* Mass on a wall. */
    m = two_cells(0.5, 0.5);
    m->kind[1] = RL_STATE_WALL;
    m->start[0] = 0.5;
    m->start[1] = 0.5;
    assert_int_equal(rl_mdp_finish(m, &err), RL_EINVAL);
    assert_contains(err.message, "state (0, 1) has start probability 0.5");
    assert_contains(err.message, "wall");
    rl_mdp_free(m);

    /* 0.25 + 0.75 - 4e-13 is within 1e-12 of 1: renormalised to sum to 1. */
    m = two_cells(0.5, 0.5);
    m->start[0] = 0.25;
    m->start[1] = 0.75 - 4e-13;
    finish_ok(m);
    assert_close(m->start[0], 0.25 / (1.0 - 4e-13), 1e-15);
    assert_close(m->start[0] + m->start[1], 1.0, 4.5e-16);
    rl_mdp_free(m);
}

/* 1 x 2, state 1 terminal: an outcome into it must be flagged terminal, and an outcome into
 * an open state must not be. */
static void test_terminal_flag_mismatch(void **state)
{
    (void)state;
    rl_error err;
    rl_mdp *m = test_mdp_alloc(1, 2, 1, NULL);
    m->kind[1] = RL_STATE_TERMINAL;
    m->start[0] = 1.0;
    add_ok(m, 0, 0, 1.0, 1, 1.0, false); /* wrong: (0, 1) is terminal */
    add_ok(m, 1, 0, 1.0, 1, 0.0, true);
    assert_int_equal(rl_mdp_finish(m, &err), RL_EINVAL);
    assert_contains(err.message, "state (0, 0) action 0");
    assert_contains(err.message, "(0, 1) is not marked terminal");
    rl_mdp_free(m);

    m = test_mdp_alloc(1, 2, 1, NULL);
    m->kind[1] = RL_STATE_TERMINAL;
    m->start[0] = 1.0;
    add_ok(m, 0, 0, 1.0, 0, 1.0, true); /* wrong: (0, 0) is open */
    add_ok(m, 1, 0, 1.0, 1, 0.0, true);
    assert_int_equal(rl_mdp_finish(m, &err), RL_EINVAL);
    assert_contains(err.message, "(0, 0) is marked terminal, but that state is open");
    rl_mdp_free(m);

    /* The same (next, reward) with the two flags are two outcomes, not one merged. */
    m = test_mdp_alloc(1, 2, 1, NULL);
    m->kind[1] = RL_STATE_TERMINAL;
    m->start[0] = 1.0;
    add_ok(m, 0, 0, 0.5, 1, 1.0, true);
    add_ok(m, 0, 0, 0.5, 1, 1.0, false);
    assert_int_equal(m->first[1], 2);
    add_ok(m, 1, 0, 1.0, 1, 0.0, true);
    assert_int_equal(rl_mdp_finish(m, &err), RL_EINVAL);
    rl_mdp_free(m);
}

/* 1 x 3 grid, actions up/down (names only), state 2 terminal:
 *   (0, a0): -> 1, reward -1                 deterministic
 *   (0, a1): -> 0 reward 0 / -> 2 reward 5   0.5 each: stochastic
 *   (1, a0): -> 2, reward 5, terminal        deterministic
 *   (1, a1): -> 1, reward -1                 deterministic, same reward as (0, a0)
 *   (2, a0): -> 2, reward 0; (2, a1): -> 2, reward -0.0 (== 0.0: the same table entry)
 * Distinct rewards of single-outcome pairs, in order: -1, 5, 0: three table entries. */
static rl_mdp *compact_example(void)
{
    rl_mdp *m = test_mdp_alloc(1, 3, 2, NULL);
    assert_non_null(m);
    snprintf(m->action_names[0], RL_ACTION_NAME_MAX, "up");
    snprintf(m->action_names[1], RL_ACTION_NAME_MAX, "down");
    m->kind[2] = RL_STATE_TERMINAL;
    m->cell[2] = 'G';
    m->start[0] = 1.0;
    add_ok(m, 0, 0, 1.0, 1, -1.0, false);
    add_ok(m, 0, 1, 0.5, 0, 0.0, false);
    add_ok(m, 0, 1, 0.5, 2, 5.0, true);
    add_ok(m, 1, 0, 1.0, 2, 5.0, true);
    add_ok(m, 1, 1, 1.0, 1, -1.0, false);
    add_ok(m, 2, 0, 1.0, 2, 0.0, true);
    add_ok(m, 2, 1, 1.0, 2, -0.0, true);
    finish_ok(m);
    return m;
}

static void test_compact_form(void **state)
{
    (void)state;
    rl_mdp *m = compact_example();
    assert_int_equal(m->n_rewards, 3);
    assert_int_equal(m->sure_next[0], 1);
    assert_true(m->reward_table[m->sure_reward[0]] == -1.0);
    assert_int_equal(m->sure_next[1], -1); /* two outcomes: the list is read */
    assert_int_equal(m->sure_next[2], 2);
    assert_true(m->reward_table[m->sure_reward[2]] == 5.0);
    assert_int_equal(m->sure_next[3], 1);
    assert_int_equal(m->sure_reward[3], m->sure_reward[0]);
    assert_int_equal(m->sure_next[4], 2);
    assert_int_equal(m->sure_next[5], 2);
    assert_true(m->reward_table[m->sure_reward[4]] == 0.0);
    assert_int_equal(m->sure_reward[5], m->sure_reward[4]);
    rl_mdp_free(m);
}

/* 1 x 65537 grid, one action, state s loops on itself with reward s: 65537 distinct rewards.
 * The table holds 65535 (uint16 indices); states 65535 and 65536 keep their lists, and the
 * backup is still reward + gamma v. */
static void test_reward_table_full(void **state)
{
    (void)state;
    const size_t n = 65537;
    rl_mdp *m = test_mdp_alloc(1, n, 1, NULL);
    assert_non_null(m);
    m->start[0] = 1.0;
    for (size_t s = 0; s < n; s++)
        add_ok(m, s, 0, 1.0, s, (double)s, false);
    finish_ok(m);
    assert_int_equal(m->n_rewards, 65535);
    assert_int_equal(m->sure_next[65534], 65534);
    assert_true(m->reward_table[m->sure_reward[65534]] == 65534.0);
    assert_int_equal(m->sure_next[65535], -1);
    assert_int_equal(m->sure_next[65536], -1);
    double *values = calloc(n, sizeof *values);
    assert_non_null(values);
    values[65536] = 2.0;
    values[100] = 2.0;
    /* 65536 + 0.5 * 2 = 65537 (list) and 100 + 0.5 * 2 = 101 (compact). */
    assert_close(rl_mdp_backup(m, 65536, 0, values, 0.5), 65537.0, 0.0);
    assert_close(rl_mdp_backup(m, 100, 0, values, 0.5), 101.0, 0.0);
    free(values);
    rl_mdp_free(m);
}

/* One state, one action, eight outcomes (rewards 0..7, 1/8 each): the outcome array starts
 * at one slot per pair and must double three times (1 -> 2 -> 4 -> 8). */
static void test_outcomes_grow(void **state)
{
    (void)state;
    rl_mdp *m = test_mdp_alloc(1, 1, 1, NULL);
    assert_non_null(m);
    m->start[0] = 1.0;
    for (int k = 0; k < 8; k++)
        add_ok(m, 0, 0, 0.125, 0, (double)k, false);
    assert_true(m->capacity >= 8);
    finish_ok(m);
    assert_int_equal(m->first[1], 8);
    for (int k = 0; k < 8; k++) {
        assert_true(m->outcomes[k].reward == (double)k);
        assert_close(m->outcomes[k].probability, 0.125, 0.0);
    }
    /* Expected reward 3.5 = (0 + ... + 7) / 8; with v = 0 that is the backup. */
    double v = 0.0;
    assert_close(rl_mdp_backup(m, 0, 0, &v, 0.9), 3.5, 1e-15);
    assert_int_equal(m->sure_next[0], -1);
    rl_mdp_free(m);
}

/* One state, one action, outcomes to three rewards with probabilities 0.2, 0.3, 0.5 (these
 * sum to 1 exactly in binary, so finish leaves them as given). */
static rl_mdp *three_way(void)
{
    rl_mdp *m = test_mdp_alloc(1, 1, 1, NULL);
    assert_non_null(m);
    m->start[0] = 1.0;
    add_ok(m, 0, 0, 0.2, 0, 0.0, false);
    add_ok(m, 0, 0, 0.3, 0, 1.0, false);
    add_ok(m, 0, 0, 0.5, 0, 2.0, false);
    finish_ok(m);
    return m;
}

static void test_sample_intervals(void **state)
{
    (void)state;
    rl_mdp *m = three_way();
    size_t next;
    /* Outcome k owns [0, 0.2), [0.2, 0.5), [0.5, 1). */
    assert_ptr_equal(rl_mdp_sample(m, 0, 0, 0.0, &next), &m->outcomes[0]);
    assert_ptr_equal(rl_mdp_sample(m, 0, 0, 0.1, &next), &m->outcomes[0]);
    assert_ptr_equal(rl_mdp_sample(m, 0, 0, 0.35, &next), &m->outcomes[1]);
    assert_ptr_equal(rl_mdp_sample(m, 0, 0, 0.75, &next), &m->outcomes[2]);
    assert_ptr_equal(rl_mdp_sample(m, 0, 0, 0.9999999999, &next), &m->outcomes[2]);
    rl_mdp_free(m);
}

/* 10^5 draws with gsl_rng_uniform: the count of outcome k is Binomial(N, p_k), sd
 * sqrt(N p (1 - p)) = 126.5, 144.9, 158.1 for p = 0.2, 0.3, 0.5. Each count must be within
 * 5 sd of N p (a false alarm has probability below 6e-7 per check). */
static void test_sample_frequencies(void **state)
{
    (void)state;
    rl_mdp *m = three_way();
    gsl_rng *r = rl_rng_alloc(12345, NULL);
    assert_non_null(r);
    const size_t N = 100000;
    size_t counts[3] = {0}, next;
    for (size_t i = 0; i < N; i++) {
        const rl_outcome *o = rl_mdp_sample(m, 0, 0, gsl_rng_uniform(r), &next);
        counts[o - m->outcomes]++;
    }
    const double p[3] = {0.2, 0.3, 0.5};
    for (int k = 0; k < 3; k++) {
        double sd = sqrt((double)N * p[k] * (1.0 - p[k]));
        assert_close((double)counts[k], (double)N * p[k], 5.0 * sd);
    }
    assert_int_equal(counts[0] + counts[1] + counts[2], N);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* ---- restart outcomes -------------------------------------------------------------- */

/* A 1 x 5 model, two actions. State 0 (A) decides; 1, 2, 3 (B, C, D) are the start states
 * with probabilities 0.2, 0.3, 0.5 and go to the terminal 4 (T) with rewards 2, 3, 5.
 * A, action 0: T (p 0.25, r 1), a restart (p 0.5, r -1), A itself (p 0.25, r 0).
 * A, action 1: T (p 0.5, r 0), then a restart (p 0.5, r 0), the last outcome. */
static rl_mdp *restart_example(void)
{
    rl_mdp *m = test_mdp_alloc(1, 5, 2, NULL);
    assert_non_null(m);
    m->kind[4] = RL_STATE_TERMINAL;
    m->start[1] = 0.2;
    m->start[2] = 0.3;
    m->start[3] = 0.5;
    rl_error err;
    add_ok(m, 0, 0, 0.25, 4, 1.0, true);
    assert_int_equal(rl_mdp_add_restart(m, 0, 0, 0.5, -1.0, &err), RL_OK);
    add_ok(m, 0, 0, 0.25, 0, 0.0, false);
    add_ok(m, 0, 1, 0.5, 4, 0.0, true);
    assert_int_equal(rl_mdp_add_restart(m, 0, 1, 0.25, 0.0, &err), RL_OK);
    /* A second restart of the same reward merges into the first. */
    assert_int_equal(rl_mdp_add_restart(m, 0, 1, 0.25, 0.0, &err), RL_OK);
    const double reward[4] = {0, 2, 3, 5};
    for (size_t s = 1; s < 4; s++)
        for (size_t a = 0; a < 2; a++)
            add_ok(m, s, a, 1.0, 4, reward[s], true);
    for (size_t a = 0; a < 2; a++)
        add_ok(m, 4, a, 1.0, 4, 0.0, true);
    finish_ok(m);
    return m;
}

/* The draw's intervals, by hand: action 0 gives T on [0, 0.25); the restart's 0.5 splits
 * into B [0.25, 0.35), C [0.35, 0.5), D [0.5, 0.75); A on [0.75, 1). Action 1: T on
 * [0, 0.5), then B [0.5, 0.6), C [0.6, 0.75), D [0.75, 1), D taking what rounding leaves. A
 * restart is one outcome, never in the compact form. */
static void test_restart_sample(void **state)
{
    (void)state;
    rl_mdp *m = restart_example();
    assert_int_equal(m->n_start_states, 3);
    assert_int_equal(m->first[2] - m->first[1], 2); /* merged */
    assert_int_equal(m->sure_next[0], -1);
    assert_int_equal(m->sure_next[1], -1);
    const rl_outcome *restart0 = &m->outcomes[1], *restart1 = &m->outcomes[m->first[1] + 1];
    assert_int_equal(restart0->next, RL_MDP_RESTART);
    assert_int_equal(restart1->next, RL_MDP_RESTART);
    assert_close(restart1->probability, 0.5, 0.0);
    static const struct {
        size_t a;
        double u;
        size_t next;
        int outcome; /* index within (A, a)'s list */
    } CASES[] = {
        {0, 0.0, 4, 0},  {0, 0.1, 4, 0},  {0, 0.3, 1, 1},   {0, 0.4, 2, 1},
        {0, 0.6, 3, 1},  {0, 0.8, 0, 2},  {0, 0.99999, 0, 2}, {1, 0.2, 4, 0},
        {1, 0.55, 1, 1}, {1, 0.7, 2, 1},  {1, 0.9, 3, 1},   {1, 0.9999999999, 3, 1},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        size_t next = 99;
        const rl_outcome *o = rl_mdp_sample(m, 0, CASES[i].a, CASES[i].u, &next);
        if (next != CASES[i].next || o != &m->outcomes[m->first[CASES[i].a] + CASES[i].outcome])
            fail_msg("action %zu, u = %g: next %zu (expected %zu)", CASES[i].a, CASES[i].u,
                     next, CASES[i].next);
    }
    rl_mdp_free(m);
}

/* v = (4, 1, 2, 3, 0), gamma 0.9: the start distribution's value is 0.2 + 0.6 + 1.5 = 2.3;
 * (A, 0) = 0.25 (1 + 0) + 0.5 (-1 + 0.9 * 2.3) + 0.25 (0 + 0.9 * 4) = 1.685;
 * (A, 1) = 0.5 (0 + 0) + 0.5 (0 + 0.9 * 2.3) = 1.035. At gamma 1 under the only policy,
 * v(B, C, D) = 2, 3, 5, their start average 3.8, and for A (action 0):
 * v = 0.25 + 0.5 (-1 + 3.8) + 0.25 v, so v(A) = 1.65 / 0.75 = 2.2; every state reaches T
 * (A only through the restart under action 1), so gamma = 1 is proper. */
static void test_restart_values(void **state)
{
    (void)state;
    rl_mdp *m = restart_example();
    const double v[5] = {4, 1, 2, 3, 0};
    assert_close(rl_mdp_start_value(m, v), 2.3, 1e-15);
    assert_close(rl_mdp_backup(m, 0, 0, v, 0.9), 1.685, 1e-14);
    assert_close(rl_mdp_backup(m, 0, 1, v, 0.9), 1.035, 1e-14);
    double pi[10] = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0}, out[5];
    assert_int_equal(rl_mdp_check_proper(m, pi, 1.0, NULL), RL_OK);
    rl_error err;
    assert_int_equal(rl_evaluate_solve(m, pi, 1.0, out, &err), RL_OK);
    assert_close(out[0], 2.2, 1e-12);
    assert_close(out[1], 2.0, 1e-12);
    assert_close(out[3], 5.0, 1e-12);
    /* Action 1 alone: A leaves only through T or the restart; still proper, and
     * v(A) = 0.5 * 0 + 0.5 * 3.8 = 1.9. */
    for (size_t s = 0; s < 5; s++) {
        pi[2 * s] = 0;
        pi[2 * s + 1] = 1;
    }
    assert_int_equal(rl_mdp_check_proper(m, pi, 1.0, NULL), RL_OK);
    assert_int_equal(rl_evaluate_solve(m, pi, 1.0, out, &err), RL_OK);
    assert_close(out[0], 1.9, 1e-12);
    rl_mdp_free(m);

    /* The same A whose start states never end: not proper at gamma 1, through the restart. */
    m = test_mdp_alloc(1, 3, 1, NULL);
    assert_non_null(m);
    m->kind[2] = RL_STATE_TERMINAL;
    m->start[1] = 1.0;
    assert_int_equal(rl_mdp_add_restart(m, 0, 0, 1.0, 0.0, &err), RL_OK);
    add_ok(m, 1, 0, 1.0, 1, 0.0, false);
    add_ok(m, 2, 0, 1.0, 2, 0.0, true);
    finish_ok(m);
    assert_int_equal(rl_mdp_check_proper(m, NULL, 1.0, &err), RL_ESINGULAR);
    rl_mdp_free(m);
}

/* The compact example with v = (1, 2, 0), gamma = 0.9:
 *   (0, up)   = -1 + 0.9 * 2                        = 0.8    (compact)
 *   (0, down) = 0.5 (0 + 0.9 * 1) + 0.5 (5 + 0.9 * 0) = 2.95   (list)
 *   (1, up)   = 5 + 0.9 * 0                         = 5
 *   (1, down) = -1 + 0.9 * 2                        = 0.8 */
static void test_backup(void **state)
{
    (void)state;
    rl_mdp *m = compact_example();
    const double v[3] = {1.0, 2.0, 0.0};
    assert_close(rl_mdp_backup(m, 0, 0, v, 0.9), 0.8, 1e-15);
    assert_close(rl_mdp_backup(m, 0, 1, v, 0.9), 2.95, 1e-15);
    assert_close(rl_mdp_backup(m, 1, 0, v, 0.9), 5.0, 1e-15);
    assert_close(rl_mdp_backup(m, 1, 1, v, 0.9), 0.8, 1e-15);
    rl_mdp_free(m);
}

static void test_geometry(void **state)
{
    (void)state;
    rl_mdp *m = test_mdp_alloc(3, 4, 3, NULL);
    assert_non_null(m);
    /* (2, 1) in a 4-column grid is 2 * 4 + 1 = 9; state 7 is (1, 3). */
    assert_int_equal(rl_mdp_state(m, 2, 1), 9);
    assert_int_equal(rl_mdp_row(m, 9), 2);
    assert_int_equal(rl_mdp_col(m, 9), 1);
    assert_int_equal(rl_mdp_row(m, 7), 1);
    assert_int_equal(rl_mdp_col(m, 7), 3);
    for (size_t s = 0; s < m->n_states; s++)
        assert_int_equal(rl_mdp_state(m, rl_mdp_row(m, s), rl_mdp_col(m, s)), s);

    m->kind[5] = RL_STATE_WALL;
    m->kind[11] = RL_STATE_TERMINAL;
    assert_true(rl_mdp_is_decision(m, 0));
    assert_false(rl_mdp_is_decision(m, 5));
    assert_false(rl_mdp_is_decision(m, 11));

    snprintf(m->action_names[0], RL_ACTION_NAME_MAX, "up");
    snprintf(m->action_names[1], RL_ACTION_NAME_MAX, "down");
    snprintf(m->action_names[2], RL_ACTION_NAME_MAX, "fifteen_chars_x"); /* 15 + NUL = 16 */
    assert_int_equal(rl_mdp_action_index(m, "up"), 0);
    assert_int_equal(rl_mdp_action_index(m, "down"), 1);
    assert_int_equal(rl_mdp_action_index(m, "fifteen_chars_x"), 2);
    assert_int_equal(rl_mdp_action_index(m, "fifteen_chars_xy"), -1);
    assert_int_equal(rl_mdp_action_index(m, "left"), -1);
    assert_int_equal(rl_mdp_action_index(m, "Up"), -1);
    assert_int_equal(rl_mdp_action_index(m, ""), -1);
    assert_int_equal(rl_mdp_action_index(m, NULL), -1);
    rl_mdp_free(m);
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_defaults),
        cmocka_unit_test(test_alloc_limits),
        cmocka_unit_test(test_merge_duplicates),
        cmocka_unit_test(test_add_rejects_bad_values),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_probabilities_sum_to_one),
        cmocka_unit_test(test_start_distribution),
        cmocka_unit_test(test_terminal_flag_mismatch),
        cmocka_unit_test(test_compact_form),
        cmocka_unit_test(test_reward_table_full),
        cmocka_unit_test(test_outcomes_grow),
        cmocka_unit_test(test_restart_sample),
        cmocka_unit_test(test_restart_values),
        cmocka_unit_test(test_sample_intervals),
        cmocka_unit_test(test_sample_frequencies),
        cmocka_unit_test(test_backup),
        cmocka_unit_test(test_geometry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests for policy evaluation (rl/evaluate.h) on tiny hand-built models: the exact solve
 * against closed forms and a 2 x 2 system solved by hand, the iterative evaluator (in place
 * and synchronous) against the solve, the gamma = 1 properness check and its message,
 * q_from_v, and the stopping codes (RL_CONTINUE, RL_EDIVERGED, RL_ERANGE).
 */
#include "tests/support.h"

#include <stdint.h>
#include <stdlib.h>

#include "rl/error.h"
#include "rl/evaluate.h"
#include "rl/policy.h"
#include "rl/mdp.h"
#include "rl/rng.h"

/* One outcome of a hand-written model. */
typedef struct edge {
    size_t s, a;
    double p;
    size_t next;
    double r;
} edge;

/* A rows x cols model from a cell string ('.' open, 'G' terminal, '#' wall, row-major) and
 * the outcomes of its open states; terminal states and walls get a reward-0 self-loop. The
 * episode starts in state `start`. */
static rl_mdp *build(size_t rows, size_t cols, size_t n_actions, const char *cells,
                     const edge *edges, size_t n_edges, size_t start)
{
    rl_error err;
    rl_mdp *m = test_mdp_alloc(rows, cols, n_actions, &err);
    assert_non_null(m);
    for (size_t s = 0; s < m->n_states; s++) {
        m->cell[s] = cells[s];
        m->kind[s] = cells[s] == 'G'   ? RL_STATE_TERMINAL
                     : cells[s] == '#' ? RL_STATE_WALL
                                       : RL_STATE_OPEN;
    }
    m->start[start] = 1.0;
    for (size_t s = 0; s < m->n_states; s++)
        for (size_t a = 0; a < n_actions; a++) {
            if (m->kind[s] != RL_STATE_OPEN) {
                assert_int_equal(rl_mdp_add_outcome(m, s, a, 1.0, s, 0.0,
                                                    m->kind[s] == RL_STATE_TERMINAL, &err),
                                 RL_OK);
                continue;
            }
            for (size_t k = 0; k < n_edges; k++) {
                const edge *e = &edges[k];
                if (e->s != s || e->a != a)
                    continue;
                int rc = rl_mdp_add_outcome(m, s, a, e->p, e->next, e->r,
                                            m->kind[e->next] == RL_STATE_TERMINAL, &err);
                if (rc != RL_OK)
                    fail_msg("add (%zu, %zu): %s", s, a, err.message);
            }
        }
    if (rl_mdp_finish(m, &err) != RL_OK)
        fail_msg("finish: %s", err.message);
    return m;
}

static void solve_ok(const rl_mdp *m, const double *pi, double gamma, double *v)
{
    rl_error err;
    if (rl_evaluate_solve(m, pi, gamma, v, &err) != RL_OK)
        fail_msg("solve: %s", err.message);
}

/* One state looping on itself with reward 1: v = 1 + gamma v, so v = 1 / (1 - gamma) = 10
 * for gamma = 0.9. */
static rl_mdp *self_loop(double reward)
{
    const edge e[] = {{0, 0, 1.0, 0, reward}};
    return build(1, 1, 1, ".", e, 1, 0);
}

static void test_self_loop(void **state)
{
    (void)state;
    rl_mdp *m = self_loop(1.0);
    double pi[1], v[1] = {0}, work[1];
    rl_policy_uniform(m->n_states, m->n_actions, pi);
    solve_ok(m, pi, 0.9, v);
    assert_close(v[0], 10.0, 1e-12);

    /* Iteration stops once a sweep changes v by less than theta = 1e-12; the change of
     * sweep k is 0.9^(k-1), and the error left is at most theta * 0.9 / 0.1 = 9e-12. */
    size_t sweeps = 0;
    v[0] = 0.0;
    assert_int_equal(rl_evaluate_iterative(m, pi, 0.9, 1e-12, 100000, false, v, work, &sweeps,
                                           NULL),
                     RL_OK);
    assert_close(v[0], 10.0, 1e-10);
    /* 0.9^(k-1) < 1e-12 first for k - 1 = ceil(12 / log10(1/0.9)) = 263, i.e. k = 264. */
    assert_int_equal(sweeps, 264);
    rl_mdp_free(m);
}

/* 1 x 4: (0,0) -> (0,1) reward -1, (0,1) -> (0,2) reward 10 (terminal), (0,3) a wall.
 * v(0,1) = 10, v(0,0) = -1 + gamma 10: 8 for gamma = 0.9, 9 for gamma = 1. Terminal and wall
 * get 0 whatever v held before. */
static void test_chain(void **state)
{
    (void)state;
    const edge e[] = {{0, 0, 1.0, 1, -1.0}, {1, 0, 1.0, 2, 10.0}};
    rl_mdp *m = build(1, 4, 1, "..G#", e, 2, 0);
    double pi[4], v[4] = {123, 123, 123, 123};
    rl_policy_uniform(m->n_states, m->n_actions, pi);
    solve_ok(m, pi, 0.9, v);
    assert_close(v[0], 8.0, 1e-12);
    assert_close(v[1], 10.0, 1e-12);
    assert_true(v[2] == 0.0 && v[3] == 0.0);
    solve_ok(m, pi, 1.0, v);
    assert_close(v[0], 9.0, 1e-12);
    assert_close(v[1], 10.0, 1e-12);
    rl_mdp_free(m);
}

/* 1 x 3, A = (0,0), B = (0,1), T = (0,2) terminal, two actions:
 *   A, a0: 0.5 -> A reward 1, 0.5 -> B reward 0      A, a1: 1.0 -> T reward 2
 *   B, a0: 0.75 -> A reward 0, 0.25 -> T reward 4    B, a1: 1.0 -> B reward -1
 * pi(.|A) = (0.8, 0.2), pi(.|B) = (0.6, 0.4), gamma = 0.9:
 *   r_pi(A) = 0.8 * 0.5 * 1 + 0.2 * 2 = 0.8      P(A->A) = 0.4, P(A->B) = 0.4
 *   r_pi(B) = 0.6 * 0.25 * 4 - 0.4 = 0.2         P(B->A) = 0.45, P(B->B) = 0.4
 * (I - 0.9 P) v = r:
 *    0.64  vA - 0.36 vB = 0.8
 *   -0.405 vA + 0.64 vB = 0.2
 * det = 0.64^2 - 0.36 * 0.405 = 0.2638; vA = (0.8 * 0.64 + 0.36 * 0.2) / det = 0.584 / 0.2638
 * = 2920 / 1319, vB = (0.64 * 0.2 + 0.405 * 0.8) / det = 0.452 / 0.2638 = 2260 / 1319. */
static const edge stochastic_edges[] = {
    {0, 0, 0.5, 0, 1.0},  {0, 0, 0.5, 1, 0.0}, {0, 1, 1.0, 2, 2.0},
    {1, 0, 0.75, 0, 0.0}, {1, 0, 0.25, 2, 4.0}, {1, 1, 1.0, 1, -1.0},
};
static const double stochastic_pi[6] = {0.8, 0.2, 0.6, 0.4, 0.5, 0.5};
#define STOCHASTIC_VA (2920.0 / 1319.0)
#define STOCHASTIC_VB (2260.0 / 1319.0)

static rl_mdp *stochastic(void)
{
    return build(1, 3, 2, "..G", stochastic_edges, 6, 0);
}

static void test_stochastic_solve(void **state)
{
    (void)state;
    rl_mdp *m = stochastic();
    double v[3];
    solve_ok(m, stochastic_pi, 0.9, v);
    assert_close(v[0], STOCHASTIC_VA, 1e-12);
    assert_close(v[1], STOCHASTIC_VB, 1e-12);
    assert_true(v[2] == 0.0);
    rl_mdp_free(m);
}

/* One sweep from v = 0 on the stochastic example:
 *   synchronous: v' = r_pi = (0.8, 0.2, 0), largest change 0.8;
 *   in place: vA = 0.8 first, then vB = 0.2 + 0.9 (0.45 * 0.8 + 0.4 * 0) = 0.524. */
static void test_single_sweep(void **state)
{
    (void)state;
    rl_mdp *m = stochastic();
    double v[3] = {0}, out[3] = {-1, -1, -1};
    double delta = rl_evaluate_sweep(m, stochastic_pi, 0.9, false, v, out);
    assert_close(delta, 0.8, 1e-15);
    assert_close(out[0], 0.8, 1e-15);
    assert_close(out[1], 0.2, 1e-15);
    assert_true(out[2] == 0.0);
    assert_true(v[0] == 0.0 && v[1] == 0.0); /* synchronous leaves its input alone */

    delta = rl_evaluate_sweep(m, stochastic_pi, 0.9, true, v, NULL);
    assert_close(delta, 0.8, 1e-15);
    assert_close(v[0], 0.8, 1e-15);
    assert_close(v[1], 0.524, 1e-15);
    rl_mdp_free(m);
}

/* q(s, a) = sum p (r + gamma v(next)) with v = (1, 2, 0), gamma = 0.9:
 *   q(A, a0) = 0.5 (1 + 0.9) + 0.5 (0 + 1.8) = 1.85     q(A, a1) = 2
 *   q(B, a0) = 0.75 (0.9) + 0.25 (4) = 1.675            q(B, a1) = -1 + 1.8 = 0.8
 *   q(T, .) = 0. */
static void test_q_from_v(void **state)
{
    (void)state;
    rl_mdp *m = stochastic();
    const double v[3] = {1.0, 2.0, 0.0};
    double q[6];
    memset(q, 0xff, sizeof q); /* NaN garbage: every entry must be written */
    rl_mdp_q_from_v(m, v, 0.9, q);
    assert_close(q[0], 1.85, 1e-15);
    assert_close(q[1], 2.0, 1e-15);
    assert_close(q[2], 1.675, 1e-15);
    assert_close(q[3], 0.8, 1e-15);
    assert_true(q[4] == 0.0 && q[5] == 0.0);

    /* And at the solved values, sum_a pi(a|s) q(s, a) = v(s). */
    double vs[3];
    solve_ok(m, stochastic_pi, 0.9, vs);
    rl_mdp_q_from_v(m, vs, 0.9, q);
    assert_close(0.8 * q[0] + 0.2 * q[1], STOCHASTIC_VA, 1e-12);
    assert_close(0.6 * q[2] + 0.4 * q[3], STOCHASTIC_VB, 1e-12);
    rl_mdp_free(m);
}

/* A 3 x 4 grid with a wall at (1, 1) and a terminal goal at (0, 3): four moves (up, right,
 * down, left) that go their way with probability 0.8 and slip to each perpendicular move
 * with 0.1; bumping the edge or the wall stays put. Reward -0.04 per move, +1 on reaching
 * the goal. Built here, not from envs/, so the test depends only on rl/. */
static rl_mdp *slippery_grid(void)
{
    static const char cells[] = "...G"
                                ".#.."
                                "....";
    static const int drow[4] = {-1, 0, 1, 0}, dcol[4] = {0, 1, 0, -1};
    rl_mdp *m = test_mdp_alloc(3, 4, 4, NULL);
    assert_non_null(m);
    for (size_t s = 0; s < 12; s++) {
        m->cell[s] = cells[s];
        m->kind[s] = cells[s] == 'G' ? RL_STATE_TERMINAL
                     : cells[s] == '#' ? RL_STATE_WALL
                                       : RL_STATE_OPEN;
    }
    m->start[8] = 1.0;
    for (size_t s = 0; s < 12; s++)
        for (size_t a = 0; a < 4; a++) {
            if (m->kind[s] != RL_STATE_OPEN) {
                assert_int_equal(rl_mdp_add_outcome(m, s, a, 1.0, s, 0.0,
                                                    m->kind[s] == RL_STATE_TERMINAL, NULL),
                                 RL_OK);
                continue;
            }
            const size_t dirs[3] = {a, (a + 1) % 4, (a + 3) % 4};
            const double p[3] = {0.8, 0.1, 0.1};
            for (int k = 0; k < 3; k++) {
                long r = (long)(s / 4) + drow[dirs[k]], c = (long)(s % 4) + dcol[dirs[k]];
                size_t next = s;
                if (r >= 0 && r < 3 && c >= 0 && c < 4 && cells[r * 4 + c] != '#')
                    next = (size_t)(r * 4 + c);
                bool goal = m->kind[next] == RL_STATE_TERMINAL;
                assert_int_equal(rl_mdp_add_outcome(m, s, a, p[k], next, goal ? 1.0 : -0.04,
                                                    goal, NULL),
                                 RL_OK);
            }
        }
    assert_int_equal(rl_mdp_finish(m, NULL), RL_OK);
    return m;
}

/* Sweeps stop when a sweep changes no value by theta = 1e-13 or more; the error left is
 * then at most theta gamma / (1 - gamma) = 1.9e-12 for gamma = 0.95, far inside 1e-9. */
static void test_solve_matches_iterative(void **state)
{
    (void)state;
    rl_mdp *m = slippery_grid();
    double pi[48], exact[12], v[12], work[12];
    rl_policy_uniform(m->n_states, m->n_actions, pi);
    solve_ok(m, pi, 0.95, exact);
    /* The solve is a fixed point of the Bellman equation: one sweep moves it by ~0. */
    assert_true(rl_evaluate_sweep(m, pi, 0.95, false, exact, work) < 1e-12);
    for (int in_place = 0; in_place <= 1; in_place++) {
        size_t sweeps = 0;
        memset(v, 0, sizeof v);
        assert_int_equal(rl_evaluate_iterative(m, pi, 0.95, 1e-13, 100000, in_place, v, work,
                                               &sweeps, NULL),
                         RL_OK);
        assert_true(sweeps > 1);
        for (size_t s = 0; s < 12; s++)
            assert_close(v[s], exact[s], 1e-9);
    }
    assert_true(exact[5] == 0.0 && exact[3] == 0.0); /* wall, goal */

    /* The stochastic example too, against its hand values. */
    rl_mdp *st = stochastic();
    for (int in_place = 0; in_place <= 1; in_place++) {
        double w[3], x[3] = {0};
        assert_int_equal(rl_evaluate_iterative(st, stochastic_pi, 0.9, 1e-13, 100000, in_place,
                                               x, w, NULL, NULL),
                         RL_OK);
        assert_close(x[0], STOCHASTIC_VA, 1e-9);
        assert_close(x[1], STOCHASTIC_VB, 1e-9);
    }
    rl_mdp_free(st);
    rl_mdp_free(m);
}

/* Random walk on 1 x 7 with absorbing ends (0,0) and (0,6): from k = 1..5 "left" and "right"
 * each with probability 1/2 under the uniform policy, reward -1 per step, gamma = 1. The
 * expected number of steps to absorption from k is k (n - k) with n = 6 (gambler's ruin),
 * so v = -(5, 8, 9, 8, 5). */
static void test_random_walk_gamma_one(void **state)
{
    (void)state;
    edge e[10];
    size_t n_edges = 0;
    for (size_t k = 1; k <= 5; k++) {
        e[n_edges++] = (edge){k, 0, 1.0, k - 1, -1.0};
        e[n_edges++] = (edge){k, 1, 1.0, k + 1, -1.0};
    }
    rl_mdp *m = build(1, 7, 2, "G.....G", e, n_edges, 3);
    double pi[14], v[7], work[7];
    rl_policy_uniform(m->n_states, m->n_actions, pi);
    assert_int_equal(rl_mdp_check_proper(m, pi, 1.0, NULL), RL_OK);
    solve_ok(m, pi, 1.0, v);
    for (size_t k = 1; k <= 5; k++)
        assert_close(v[k], -(double)(k * (6 - k)), 1e-12);
    assert_true(v[0] == 0.0 && v[6] == 0.0);

    /* The sweep contracts by cos(pi / 6) = 0.866 per sweep asymptotically; theta = 1e-13
     * leaves an error of about theta / (1 - 0.866) < 1e-12. */
    for (int in_place = 0; in_place <= 1; in_place++) {
        memset(v, 0, sizeof v);
        assert_int_equal(rl_evaluate_iterative(m, pi, 1.0, 1e-13, 100000, in_place, v, work,
                                               NULL, NULL),
                         RL_OK);
        for (size_t k = 1; k <= 5; k++)
            assert_close(v[k], -(double)(k * (6 - k)), 1e-9);
    }
    rl_mdp_free(m);
}

/* 2 x 2: (0,0) -> (0,1) -> (1,1) terminal, but (1,0) only loops on itself (reward -1). With
 * gamma = 1 its value would be -infinity: the system is singular and the message names the
 * cell (1, 0). With gamma = 0.9 it is fine: v(1,0) = -1 / (1 - 0.9) = -10. */
static void test_gamma_one_improper(void **state)
{
    (void)state;
    const edge e[] = {{0, 0, 1.0, 1, -1.0}, {1, 0, 1.0, 3, -1.0}, {2, 0, 1.0, 2, -1.0}};
    rl_mdp *m = build(2, 2, 1, "...G", e, 3, 0);
    double pi[4], v[4] = {7, 7, 7, 7};
    rl_policy_uniform(m->n_states, m->n_actions, pi);
    rl_error err;
    assert_int_equal(rl_mdp_check_proper(m, NULL, 1.0, &err), RL_ESINGULAR);
    assert_contains(err.message, "(1, 0)");
    assert_contains(err.message, "gamma = 1 needs every state to reach a terminal state");
    assert_int_equal(rl_evaluate_solve(m, pi, 1.0, v, &err), RL_ESINGULAR);
    assert_contains(err.message, "state (1, 0)");
    assert_true(v[0] == 7.0 && v[2] == 7.0); /* a failed solve leaves v alone */

    assert_int_equal(rl_mdp_check_proper(m, pi, 0.9, NULL), RL_OK);
    solve_ok(m, pi, 0.9, v);
    assert_close(v[2], -10.0, 1e-12);
    assert_close(v[1], -1.0, 1e-12);
    assert_close(v[0], -1.9, 1e-12); /* -1 + 0.9 (-1) */

    /* gamma outside [0, 1]. */
    assert_int_equal(rl_mdp_check_proper(m, pi, 1.5, &err), RL_ERANGE);
    assert_contains(err.message, "gamma");
    assert_int_equal(rl_mdp_check_proper(m, pi, -0.1, NULL), RL_ERANGE);
    assert_int_equal(rl_mdp_check_proper(m, pi, NAN, NULL), RL_ERANGE);
    assert_int_equal(rl_evaluate_solve(m, pi, 1.5, v, NULL), RL_ERANGE);
    rl_mdp_free(m);
}

/* Properness depends on the policy: in the stochastic example every state reaches T under
 * some action, but a policy that always picks a1 in B (B -> B forever) does not. The
 * stochastic pi itself reaches T from both states. */
static void test_proper_depends_on_policy(void **state)
{
    (void)state;
    rl_mdp *m = stochastic();
    rl_error err;
    assert_int_equal(rl_mdp_check_proper(m, NULL, 1.0, &err), RL_OK);
    assert_int_equal(rl_mdp_check_proper(m, stochastic_pi, 1.0, &err), RL_OK);
    const double stuck[6] = {0.5, 0.5, 0.0, 1.0, 0.5, 0.5};
    assert_int_equal(rl_mdp_check_proper(m, stuck, 1.0, &err), RL_ESINGULAR);
    assert_contains(err.message, "state (0, 1)");
    /* A reaches T only through a1; with pi(a1|A) = 0, A cannot either (reported first). */
    const double no_exit[6] = {1.0, 0.0, 0.0, 1.0, 0.5, 0.5};
    assert_int_equal(rl_mdp_check_proper(m, no_exit, 1.0, &err), RL_ESINGULAR);
    assert_contains(err.message, "state (0, 0)");
    /* With gamma < 1 any policy is fine. */
    assert_int_equal(rl_mdp_check_proper(m, stuck, 0.99, NULL), RL_OK);
    rl_mdp_free(m);
}

/* Self-loop with reward 1, gamma 0.9, from v = 0: after k sweeps v = (1 - 0.9^k) / 0.1, so
 * 5 sweeps give 10 (1 - 0.59049) = 4.0951, and the run has not converged. Five synchronous
 * sweeps end in the work array; the values must still come back in v. */
static void test_iterative_continue(void **state)
{
    (void)state;
    rl_mdp *m = self_loop(1.0);
    double pi[1] = {1.0};
    for (int in_place = 0; in_place <= 1; in_place++) {
        double v[1] = {0.0}, work[1];
        size_t sweeps = 99;
        assert_int_equal(rl_evaluate_iterative(m, pi, 0.9, 1e-12, 5, in_place, v, work, &sweeps,
                                               NULL),
                         RL_CONTINUE);
        assert_int_equal(sweeps, 5);
        assert_close(v[0], 4.0951, 1e-12);
        /* No sweep at all. */
        assert_int_equal(rl_evaluate_iterative(m, pi, 0.9, 1e-12, 0, in_place, v, work, &sweeps,
                                               NULL),
                         RL_CONTINUE);
        assert_int_equal(sweeps, 0);
        assert_close(v[0], 4.0951, 1e-12);
    }
    /* Bad arguments. */
    double v[1] = {0.0};
    rl_error err;
    assert_int_equal(rl_evaluate_iterative(m, pi, 0.9, -1.0, 5, true, v, NULL, NULL, &err),
                     RL_ERANGE);
    assert_int_equal(rl_evaluate_iterative(m, pi, 0.9, 1e-9, 5, false, v, NULL, NULL, &err),
                     RL_EINVAL);
    assert_int_equal(rl_evaluate_iterative(m, pi, 1.1, 1e-9, 5, true, v, NULL, NULL, &err),
                     RL_ERANGE);
    rl_mdp_free(m);
}

/* gamma = 1 self-loop with reward 1e308: v = 1e308 after one sweep, 2e308 = inf after the
 * second, which is reported as divergence at sweep 2. */
static void test_iterative_diverges(void **state)
{
    (void)state;
    rl_mdp *m = self_loop(1e308);
    double pi[1] = {1.0};
    for (int in_place = 0; in_place <= 1; in_place++) {
        double v[1] = {0.0}, work[1];
        size_t sweeps = 0;
        rl_error err;
        assert_int_equal(rl_evaluate_iterative(m, pi, 1.0, 1e-9, 100, in_place, v, work,
                                               &sweeps, &err),
                         RL_EDIVERGED);
        assert_int_equal(sweeps, 2);
        assert_contains(err.message, "diverged");
        assert_false(isfinite(rl_evaluate_sweep(m, pi, 1.0, false, v, work)));
    }
    rl_mdp_free(m);
}

/* 4097 self-looping states: one more than RL_EVALUATE_SOLVE_MAX_STATES = 4096. */
static void test_solve_too_large(void **state)
{
    (void)state;
    const size_t n = RL_EVALUATE_SOLVE_MAX_STATES + 1;
    rl_mdp *m = test_mdp_alloc(1, n, 1, NULL);
    assert_non_null(m);
    m->start[0] = 1.0;
    for (size_t s = 0; s < n; s++)
        assert_int_equal(rl_mdp_add_outcome(m, s, 0, 1.0, s, 1.0, false, NULL), RL_OK);
    assert_int_equal(rl_mdp_finish(m, NULL), RL_OK);
    double *pi = malloc(n * sizeof *pi), *v = malloc(n * sizeof *v);
    assert_non_null(pi);
    assert_non_null(v);
    rl_policy_uniform(m->n_states, m->n_actions, pi);
    rl_error err;
    assert_int_equal(rl_evaluate_solve(m, pi, 0.9, v, &err), RL_ERANGE);
    assert_contains(err.message, "4097");
    assert_contains(err.message, "use method = iterative");
    free(pi);
    free(v);
    rl_mdp_free(m);
}

static void test_unfinished_and_uniform(void **state)
{
    (void)state;
    rl_mdp *m = test_mdp_alloc(1, 1, 3, NULL);
    assert_non_null(m);
    double pi[3], v[1];
    rl_policy_uniform(m->n_states, m->n_actions, pi);
    for (int a = 0; a < 3; a++)
        assert_close(pi[a], 1.0 / 3.0, 0.0);
    rl_error err;
    assert_int_equal(rl_evaluate_solve(m, pi, 0.9, v, &err), RL_EINVAL);
    assert_contains(err.message, "not finished");
    assert_int_equal(rl_mdp_check_proper(m, pi, 0.5, NULL), RL_EINVAL);
    rl_mdp_free(m);

    /* (0,0) loops with reward 0, so v = 0 there; the terminal and the wall get 0 although v
     * held 5 before. */
    const edge loop[1] = {{0, 0, 1.0, 0, 0.0}};
    m = build(1, 3, 1, ".G#", loop, 1, 0);
    double p3[3] = {1, 1, 1}, v3[3] = {5, 5, 5};
    solve_ok(m, p3, 0.5, v3);
    assert_true(v3[0] == 0.0 && v3[1] == 0.0 && v3[2] == 0.0);
    rl_mdp_free(m);
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_self_loop),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_stochastic_solve),
        cmocka_unit_test(test_single_sweep),
        cmocka_unit_test(test_q_from_v),
        cmocka_unit_test(test_solve_matches_iterative),
        cmocka_unit_test(test_random_walk_gamma_one),
        cmocka_unit_test(test_gamma_one_improper),
        cmocka_unit_test(test_proper_depends_on_policy),
        cmocka_unit_test(test_iterative_continue),
        cmocka_unit_test(test_iterative_diverges),
        cmocka_unit_test(test_solve_too_large),
        cmocka_unit_test(test_unfinished_and_uniform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

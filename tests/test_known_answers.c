/* Known answers: values and path lengths printed in the two textbooks, and small systems
 * solved by hand, checked against the gridworld's model through exact policy evaluation.
 *
 * Each comment says where its number comes from and why the tolerance is what it is: the
 * books print rounded values, so the tolerance is half a unit of the last printed digit
 * (the true value lies within that of the print); hand-solved systems are compared to
 * 1e-12, room only for the rounding of the solve.
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/support.h"

#include "rl/evaluate.h"
#include "rl/policy.h"
#include "experiments/io/policy_io.h"
#include "tests/gridworld_fixture.h"

/* Exact values of the uniform policy at gamma for the env built from map_text/kv. */
static double *uniform_values(gw_fixture *g, double gamma)
{
    const rl_mdp *m = g->m;
    double *pi = malloc(m->n_states * m->n_actions * sizeof *pi);
    double *v = malloc(m->n_states * sizeof *v);
    assert_non_null(pi);
    assert_non_null(v);
    rl_policy_uniform(m->n_states, m->n_actions, pi);
    for (size_t i = 0; i < m->n_states * m->n_actions; i++)
        assert_close(pi[i], 1.0 / (double)m->n_actions, 1e-15);
    rl_error err;
    int rc = rl_evaluate_solve(m, pi, gamma, v, &err);
    if (rc != RL_OK)
        fail_msg("rl_evaluate_solve: %d %s", rc, err.message);
    free(pi);
    return v;
}

static void compare_table(const double *v, const double *table, size_t n, double tolerance)
{
    for (size_t s = 0; s < n; s++)
        if (!(fabs(v[s] - table[s]) <= tolerance))
            fail_msg("state %zu: value %.10g, expected %.10g within %g", s, v[s], table[s],
                     tolerance);
}

static void build_preset(gw_fixture *g, const char *preset)
{
    gw_build(g, NULL, (const char *const[]){"preset", preset, NULL});
}

/* Sutton & Barto, Example 4.1 and Fig 4.1 (k = infinity): the equiprobable random policy,
 * gamma = 1. The printed values are integers and the true ones are exactly those integers
 * (the book's Fig 4.1 shows them as the limit of iterative evaluation), so 1e-9 leaves room
 * only for the rounding of the LU solve. */
static void test_sb_figure_4_1(void **state)
{
    (void)state;
    static const double table[16] = {0,   -14, -20, -22, -14, -18, -20, -20,
                                     -20, -20, -18, -14, -22, -20, -14, 0};
    gw_fixture g;
    build_preset(&g, "sb_gridworld4x4");
    assert_int_equal(g.m->n_states, 16);
    assert_int_equal(g.m->n_actions, 4);
    double *v = uniform_values(&g, 1.0);
    compare_table(v, table, 16, 1e-9);
    free(v);
    gw_free(&g);
}

/* Zhao, Fig 8.6(b): the uniform policy (0.2 per action) on the 5x5 grid with the baseline
 * rewards, gamma = 0.9, printed to 4 decimals: true values lie within 5e-5 of the print;
 * we allow 1e-4. */
static void test_zhao_figure_8_6b(void **state)
{
    (void)state;
    static const double table[25] = {
        -3.8463, -3.8138, -3.6442, -3.1209, -3.2350, -3.7936, -3.8473, -3.8004, -3.1063,
        -2.9241, -3.5724, -3.8965, -3.3817, -3.1944, -2.9444, -3.9008, -3.6159, -3.4031,
        -2.8976, -3.2393, -4.4589, -4.1608, -3.3858, -3.3634, -3.4532};
    gw_fixture g;
    build_preset(&g, "zhao5x5");
    assert_int_equal(g.m->n_states, 25);
    assert_int_equal(g.m->n_actions, 5);
    double *v = uniform_values(&g, 0.9);
    compare_table(v, table, 25, 1e-4);
    free(v);
    gw_free(&g);
}

/* Zhao, Fig 3.4(a): the optimal values with the baseline rewards, gamma = 0.9. The printed
 * numbers are exact (10 = 1 / (1 - 0.9), 9 = 0.9 * 10, 5.832 = 0.9^3 * 8, ...), so they must
 * satisfy the Bellman optimality equation v(s) = max_a [r + 0.9 v(s')] on the model to
 * rounding, which identifies v* (the optimality operator is a contraction with one fixed
 * point); and the greedy policy they define must have exactly these values. */
static void test_zhao_figure_3_4a(void **state)
{
    (void)state;
    static const double table[25] = {5.832, 5.58, 6.2, 6.48, 5.832, 6.48, 7.2, 8.0, 7.2,
                                     6.48,  7.2,  8.0, 10,   8.0,   7.2,  8.0, 10,  10,
                                     10,    8.0,  7.2, 9.0,  10,    9.0,  8.1};
    gw_fixture g;
    build_preset(&g, "zhao5x5");
    const rl_mdp *m = g.m;
    double *pi = calloc(25 * m->n_actions, sizeof *pi);
    double *v = malloc(25 * sizeof *v);
    assert_non_null(pi);
    assert_non_null(v);
    for (size_t s = 0; s < 25; s++) {
        size_t best = 0;
        double q_best = -HUGE_VAL;
        for (size_t a = 0; a < m->n_actions; a++) {
            double q = rl_mdp_backup(m, s, a, table, 0.9);
            if (q > q_best + 1e-9) {
                q_best = q;
                best = a;
            }
        }
        assert_close(q_best, table[s], 1e-9);
        pi[s * m->n_actions + best] = 1.0;
    }
    rl_error err;
    assert_int_equal(rl_evaluate_solve(m, pi, 0.9, v, &err), RL_OK);
    compare_table(v, table, 25, 1e-9);
    free(pi);
    free(v);
    gw_free(&g);
}

/* Exact values of the shipped arrow-grid policy experiments/configs/policies/NAME on g. */
static double *shipped_policy_values(gw_fixture *g, const char *name)
{
    const rl_mdp *m = g->m;
    char path[1024];
    snprintf(path, sizeof path, "%s/experiments/configs/policies/%s", GRIDRL_SOURCE_DIR, name);
    double *pi = malloc(m->n_states * m->n_actions * sizeof *pi);
    double *v = malloc(m->n_states * sizeof *v);
    assert_non_null(pi);
    assert_non_null(v);
    rl_error err;
    if (rl_policy_read(path, m, pi, &err) != RL_OK)
        fail_msg("%s: %s", path, err.message);
    assert_int_equal(rl_evaluate_solve(m, pi, 0.9, v, &err), RL_OK);
    free(pi);
    return v;
}

/* Zhao, Fig 2.7: the two good policies of the figure, shipped for zhao_fig2_7.ini, have the
 * printed values (1 decimal: the true values lie within 0.05). The second differs from the
 * first only where the first has a tie, so both give the one printed table. */
static void test_zhao_figure_2_7_good(void **state)
{
    (void)state;
    static const double table[25] = {3.5, 3.9, 4.3,  4.8,  5.3, 3.1, 3.5, 4.8, 5.3,
                                     5.9, 2.8, 2.5,  10.0, 5.9, 6.6, 2.5, 10.0, 10.0,
                                     10.0, 7.3, 2.3, 9.0,  10.0, 9.0, 8.1};
    gw_fixture g;
    build_preset(&g, "zhao5x5");
    for (int i = 1; i <= 2; i++) {
        char name[32];
        snprintf(name, sizeof name, "zhao_good_%d.policy", i);
        double *v = shipped_policy_values(&g, name);
        compare_table(v, table, 25, 0.05 + 1e-12);
        free(v);
    }
    gw_free(&g);
}

/* Zhao, Fig 2.7's first bad policy, always right, solved by hand: a cell in column 4 bumps
 * forever, -1 / (1 - 0.9) = -10; one step west of a value x on an ordinary cell is 0.9 x
 * (-9, -8.1, -7.29, -6.561 along row 0); entering a forbidden cell adds -1. The target
 * (3, 2) moves right into forbidden (3, 3), whose value is 0.9 (-10) = -9, so
 * v(3, 2) = -1 + 0.9 (-9) = -9.1; forbidden (3, 1) moves onto the target, r = +1:
 * 1 + 0.9 (-9.1) = -7.19. */
static void test_zhao_figure_2_7_all_right(void **state)
{
    (void)state;
    gw_fixture g;
    build_preset(&g, "zhao5x5");
    double *v = shipped_policy_values(&g, "zhao_all_right.policy");
    static const double row0[5] = {-6.561, -7.29, -8.1, -9.0, -10.0};
    for (size_t c = 0; c < 5; c++)
        assert_close(v[c], row0[c], 1e-9);
    assert_close(v[3 * 5 + 2], -9.1, 1e-9);
    assert_close(v[3 * 5 + 1], -7.19, 1e-9);
    free(v);
    gw_free(&g);
}

/* A 1 x 2 map ".G", goal not terminal, four actions, uniform policy, gamma = 0.5,
 * reward_step 0, reward_bump -1, reward_goal 2.
 *   From (0,0) = s0: up, down, left bump (-1, s0); right enters G (+2, s1).
 *   From (0,1) = s1: up, down, right bump (-1, s1: a bump, not a stay on G); left (0, s0).
 *   v0 = 1/4 [-1 + 0.5 (3 v0 + v1)]  ->  5 v0 - v1 = -2
 *   v1 = 1/4 [-3 + 0.5 (3 v1 + v0)]  -> -v0 + 5 v1 = -6
 *   v1 = 5 v0 + 2; -v0 + 25 v0 + 10 = -6; v0 = -16/24 = -2/3, v1 = -4/3. */
/* Sutton & Barto, Example 6.2 and Example 7.1: the random walks under the uniform policy,
 * gamma = 1. A symmetric walk is a martingale, so a state's value is the expected terminal
 * reward, and the probability of leaving on the right from position i of a walk with
 * terminals at 0 and N + 1 is i / (N + 1) (gambler's ruin): 1/6, ..., 5/6 for A-E (the
 * book's "true values"); 2 i / 20 - 1 = -0.9, ..., 0.9 for the 19 states (reward -1 on the
 * left). Exact fractions: 1e-12 leaves room only for the solve's rounding. The terminal
 * cells keep 0, and the start is the middle cell. */
static void test_sb_random_walks(void **state)
{
    (void)state;
    const struct {
        const char *preset;
        size_t n; /* non-terminal states */
        double left; /* the left end's reward */
    } walks[] = {{"random_walk5", 5, 0.0}, {"random_walk19", 19, -1.0}};
    for (size_t w = 0; w < 2; w++) {
        gw_fixture g;
        build_preset(&g, walks[w].preset);
        size_t n = walks[w].n;
        assert_int_equal(g.m->rows, 1);
        assert_int_equal(g.m->n_states, n + 2);
        assert_int_equal(g.m->n_actions, 2);
        assert_close(g.m->start[(n + 1) / 2], 1.0, 0.0);
        double *v = uniform_values(&g, 1.0);
        double table[21] = {0.0};
        for (size_t i = 1; i <= n; i++) {
            double right = (double)i / (double)(n + 1);
            table[i] = right * 1.0 + (1.0 - right) * walks[w].left;
        }
        compare_table(v, table, n + 2, 1e-12);
        free(v);
        gw_free(&g);
    }
}

static void test_hand_1x2(void **state)
{
    (void)state;
    gw_fixture g;
    gw_build(&g, ".G",
             (const char *const[]){"actions", "4", "reward_step", "0", "reward_bump", "-1",
                                   "reward_goal", "2", "goal_terminal", "false", NULL});
    double *v = uniform_values(&g, 0.5);
    assert_close(v[0], -2.0 / 3.0, 1e-12);
    assert_close(v[1], -4.0 / 3.0, 1e-12);
    free(v);
    gw_free(&g);
}

/* A 2 x 2 map ".X" / "HG", goal terminal, four actions, uniform policy, gamma = 0.8,
 * reward_step -0.5, reward_bump -1, reward_forbidden -2, reward_hole -10, reward_goal 5.
 *   s0 = (0,0): up, left bump (-1, s0); right enters X (-2, s1); down falls in H (-10, end).
 *   s1 = (0,1): up, right bump (-1, s1); down enters G (+5, end); left to '.' (-0.5, s0).
 *   v0 = 1/4 [-14 + 0.8 (2 v0 + v1)]   ->  3 v0 - v1 = -17.5
 *   v1 = 1/4 [2.5 + 0.8 (2 v1 + v0)]   -> -v0 + 3 v1 = 3.125
 *   v1 = 3 v0 + 17.5; 8 v0 + 52.5 = 3.125; v0 = -6.171875, v1 = -1.015625.
 * Terminal states have value 0. */
static void test_hand_2x2(void **state)
{
    (void)state;
    gw_fixture g;
    gw_build(&g, ".X\nHG\n",
             (const char *const[]){"actions", "4", "goal_terminal", "true", "reward_step",
                                   "-0.5", "reward_bump", "-1", "reward_forbidden", "-2",
                                   "reward_hole", "-10", "reward_goal", "5", NULL});
    double *v = uniform_values(&g, 0.8);
    assert_close(v[0], -6.171875, 1e-12);
    assert_close(v[1], -1.015625, 1e-12);
    assert_close(v[2], 0.0, 0.0);
    assert_close(v[3], 0.0, 0.0);
    free(v);
    gw_free(&g);
}

/* Sutton & Barto, Example 3.5 and Fig 3.2 (right): the equiprobable random policy, gamma
 * 0.9. The book prints one decimal (A = (0,1): 8.8, B = (0,3): 5.3), so the true values lie
 * within 0.05 of the print. */
static void test_sb_example_3_5(void **state)
{
    (void)state;
    static const double table[25] = {3.3,  8.8,  4.4,  5.3,  1.5,  1.5,  3.0,  2.3,  1.9,
                                     0.5,  0.1,  0.7,  0.7,  0.4,  -0.4, -1.0, -0.4, -0.4,
                                     -0.6, -1.2, -1.9, -1.3, -1.2, -1.4, -2.0};
    gw_fixture g;
    build_preset(&g, "sb_gridworld5x5");
    assert_int_equal(g.m->n_actions, 4);
    double *v = uniform_values(&g, 0.9);
    assert_close(v[gw_state(g.m, 0, 1)], 8.8, 0.05);
    assert_close(v[gw_state(g.m, 0, 3)], 5.3, 0.05);
    compare_table(v, table, 25, 0.05 + 1e-12);
    free(v);
    gw_free(&g);
}

/* Zhao's grid has no terminal state, so with gamma = 1 the system (I - P_pi) v = r_pi is
 * singular (P_pi is stochastic: 1 is an eigenvalue). */
static void test_gamma_one_singular(void **state)
{
    (void)state;
    gw_fixture g;
    build_preset(&g, "zhao5x5");
    const rl_mdp *m = g.m;
    double *pi = malloc(m->n_states * m->n_actions * sizeof *pi);
    double *v = malloc(m->n_states * sizeof *v);
    assert_non_null(pi);
    assert_non_null(v);
    rl_policy_uniform(m->n_states, m->n_actions, pi);
    rl_error err;
    assert_int_equal(rl_evaluate_solve(m, pi, 1.0, v, &err), RL_ESINGULAR);
    assert_int_equal(err.code, RL_ESINGULAR);
    free(pi);
    free(v);
    gw_free(&g);
}

/* Fewest steps from the start to a terminal state, by breadth-first search over the
 * model's outcomes (the presets here are deterministic). */
static size_t shortest_path(const rl_mdp *m)
{
    size_t n = m->n_states, start = n;
    for (size_t s = 0; s < n; s++)
        if (m->start[s] > 0.0) {
            assert_true(start == n); /* a single start cell */
            start = s;
        }
    assert_true(start < n);
    size_t *dist = malloc(n * sizeof *dist), *queue = malloc(n * sizeof *queue);
    assert_non_null(dist);
    assert_non_null(queue);
    for (size_t s = 0; s < n; s++)
        dist[s] = (size_t)-1;
    size_t head = 0, tail = 0, found = (size_t)-1;
    dist[start] = 0;
    queue[tail++] = start;
    while (head < tail && found == (size_t)-1) {
        size_t s = queue[head++];
        for (size_t a = 0; a < m->n_actions && found == (size_t)-1; a++) {
            size_t sa = s * m->n_actions + a;
            for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++) {
                const rl_outcome *o = &m->outcomes[k];
                if (o->terminal) {
                    found = dist[s] + 1;
                    break;
                }
                if (dist[o->next] == (size_t)-1) {
                    dist[o->next] = dist[s] + 1;
                    queue[tail++] = (size_t)o->next;
                }
            }
        }
    }
    free(dist);
    free(queue);
    return found;
}

static void test_shortest_paths(void **state)
{
    (void)state;
    gw_fixture g;
    /* S&B Example 6.5: "The shortest path takes 15 steps" (as printed in the book). */
    build_preset(&g, "windy_gridworld");
    assert_int_equal(shortest_path(g.m), 15);
    gw_free(&g);

    /* With king's moves (Exercise 6.9): 7 steps. The goal is 7 columns right of the start,
     * so no fewer; and right, right, then down_right five times reaches it: (3,0) (3,1)
     * (3,2) (4,3) (4,4) (4,5) (4,6) and from column 6 (wind 2) 4 + 1 - 2 = row 3, col 7. */
    gw_build(&g, NULL, (const char *const[]){"preset", "windy_gridworld", "actions", "8", NULL});
    assert_int_equal(shortest_path(g.m), 7);
    gw_free(&g);

    /* S&B Example 6.6: 13 steps, up, 11 right, down (the cliff fills row 3 between). */
    build_preset(&g, "cliff_walking");
    assert_int_equal(shortest_path(g.m), 13);
    gw_free(&g);

    /* S&B Example 8.1, the Dyna maze: 14 steps (Fig 8.2 levels off there). By hand: right,
     * down, down, right, right, up, then right to (3,8) (5 steps), then up 3 to (0,8):
     * 6 + 5 + 3 = 14. No fewer: 8 moves right, and column 2 is walled in rows 1-3, so the
     * agent passes it in row 4 or below (2 down from row 2, then 4 up to row 0: 6 vertical)
     * or in row 0 (2 up, then 3 down to pass column 7's wall in rows 0-2, then 3 up: 8). */
    build_preset(&g, "dyna_maze");
    assert_int_equal(shortest_path(g.m), 14);
    gw_free(&g);
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sb_figure_4_1),
        cmocka_unit_test(test_zhao_figure_8_6b),
        cmocka_unit_test(test_zhao_figure_3_4a),
        cmocka_unit_test(test_zhao_figure_2_7_good),
        cmocka_unit_test(test_zhao_figure_2_7_all_right),
        cmocka_unit_test(test_sb_random_walks),
        cmocka_unit_test(test_hand_1x2),
        cmocka_unit_test(test_hand_2x2),
        cmocka_unit_test(test_sb_example_3_5),
        cmocka_unit_test(test_gamma_one_singular),
        cmocka_unit_test(test_shortest_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

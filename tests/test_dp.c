/* Tests for the dynamic-programming planners (agents/dp.c): value iteration, policy
 * evaluation, policy iteration and truncated policy iteration, driven the way the runner
 * drives them (alloc, iterate until not RL_CONTINUE, read out).
 *
 * Every expected number is derived outside the code under test: book tables (Zhao Fig 3.4a
 * and 8.6b, Sutton & Barto Fig 4.1, as printed in the books), closed forms worked out
 * in the comments, or this file's own Bellman backups and value iteration, which read the
 * model's outcome lists directly (never rl_mdp_backup) or, for FrozenLake, a transition rule
 * written here from Gymnasium's documentation.
 */
#include "tests/support.h"

#include <stdint.h>
#include <stdlib.h>

#include "agents/dp.h"
#include "agents/planner.h"
#include "envs/gridworld.h"
#include "envs/map.h"
#include "envs/preset.h"
#include "rl/error.h"
#include "rl/evaluate.h"
#include "rl/mdp.h"
#include "rl/param.h"
#include "rl/rng.h"

/* Iteration cap for planner loops: far above what any converging run here needs (value
 * iteration on FrozenLake 8x8 at gamma = 1 to theta = 1e-12 takes a few thousand), so hitting
 * it means the planner did not converge. */
#define RUN_CAP 1000000

/* Zhao's action order (ch. 2): up, right, down, left, stay. */
enum { UP, RIGHT, DOWN, LEFT, STAY };

/* ---- building models and planners ---- */

static void fail_error(const char *what, int rc, const rl_error *err)
{
    char buf[1024];
    rl_error_format(err, buf, sizeof buf);
    fail_msg("%s failed (%d): %s", what, rc, buf);
}

/* The gridworld model of a preset, with [env] keys kv ("key", "value", ..., NULL) set before
 * the preset is applied, so they win over it as a user's config would. */
static rl_mdp *model_build(const char *preset, const char *const *kv)
{
    rl_error err;
    rl_error_clear(&err);
    rl_params *env = rl_params_alloc(rl_gridworld_params);
    assert_non_null(env);
    int rc = rl_params_set(env, "preset", preset, &err);
    for (size_t i = 0; rc == RL_OK && kv && kv[i]; i += 2)
        rc = rl_params_set(env, kv[i], kv[i + 1], &err);
    if (rc == RL_OK)
        rc = rl_gridworld_apply_preset(env, &err);
    rl_map *map = NULL;
    if (rc == RL_OK)
        rc = rl_gridworld_load_map(env, &map, &err);
    rl_mdp *m = NULL;
    if (rc == RL_OK)
        rc = rl_gridworld_compile(map, env, &m, &err);
    rl_map_free(map);
    rl_params_free(env);
    if (rc != RL_OK)
        fail_error(preset, rc, &err);
    return m;
}

/* A planner of type on m with agent keys kv; NULL with err filled when alloc refuses. Setting
 * a key must succeed: the tests only give valid values. */
static rl_planner *planner_try(const rl_planner_type *type, const rl_mdp *m,
                               const char *const *kv, const double *given, rl_error *err)
{
    rl_error_clear(err);
    rl_params *ap = rl_params_alloc(type->params);
    assert_non_null(ap);
    for (size_t i = 0; kv && kv[i]; i += 2) {
        int rc = rl_params_set(ap, kv[i], kv[i + 1], err);
        if (rc != RL_OK)
            fail_error(kv[i], rc, err);
    }
    rl_planner *p;
    rl_planner_alloc(type, m, ap, given, &p, err);
    rl_params_free(ap);
    return p;
}

static rl_planner *planner_make(const rl_planner_type *type, const rl_mdp *m,
                                const char *const *kv, const double *given)
{
    rl_error err;
    rl_planner *p = planner_try(type, m, kv, given, &err);
    if (!p)
        fail_error(type->name, err.code, &err);
    return p;
}

/* A planner's values, read out into one of a few rotating buffers (so two can be compared
 * in one expression); valid until the fourth call after. */
static const double *values_of(const rl_planner *p, size_t n_states)
{
    static double *buffers[4];
    static size_t sizes[4], next;
    size_t i = next++ % 4;
    if (sizes[i] < n_states) {
        double *b = realloc(buffers[i], n_states * sizeof *b);
        assert_non_null(b);
        buffers[i] = b;
        sizes[i] = n_states;
    }
    rl_planner_values(p, buffers[i]);
    return buffers[i];
}

/* Iterates until the planner stops; fails the test on an error code. */
static int planner_run(rl_planner *p, size_t *iterations)
{
    rl_error err;
    rl_sweep_report report;
    size_t n = 0;
    int rc;
    do {
        rl_error_clear(&err);
        rc = rl_planner_iterate(p, &report, &err);
        n++;
        if (rc < 0)
            fail_error(rl_planner_name(p), rc, &err);
    } while (rc == RL_CONTINUE && n < RUN_CAP);
    if (iterations)
        *iterations = n;
    return rc;
}

/* A converged planner's values, copied (the caller frees). */
static double *planner_solve(const rl_planner_type *type, const rl_mdp *m,
                             const char *const *kv, const double *given, size_t *iterations)
{
    rl_planner *p = planner_make(type, m, kv, given);
    int rc = planner_run(p, iterations);
    if (rc != RL_OK)
        fail_msg("%s did not converge (status %d)", type->name, rc);
    double *v = malloc(m->n_states * sizeof *v);
    assert_non_null(v);
    memcpy(v, values_of(p, m->n_states), m->n_states * sizeof *v);
    rl_planner_free(p);
    return v;
}

static double *alloc_doubles(size_t n)
{
    double *x = calloc(n, sizeof *x);
    assert_non_null(x);
    return x;
}

/* ---- this file's own Bellman arithmetic, from the outcome lists ---- */

/* sum over outcomes p (r + gamma v(next)), v(next) taken as 0 when the transition ends the
 * episode: the definition, independent of the model's v[terminal] = 0 convention. */
static double own_q(const rl_mdp *m, size_t s, size_t a, const double *v, double gamma)
{
    size_t sa = s * m->n_actions + a;
    double q = 0.0;
    for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++) {
        const rl_outcome *o = &m->outcomes[k];
        q += o->probability * (o->reward + (o->terminal ? 0.0 : gamma * v[o->next]));
    }
    return q;
}

static double own_max_q(const rl_mdp *m, size_t s, const double *v, double gamma)
{
    double best = own_q(m, s, 0, v, gamma);
    for (size_t a = 1; a < m->n_actions; a++) {
        double q = own_q(m, s, a, v, gamma);
        if (q > best)
            best = q;
    }
    return best;
}

/* Values of pi by synchronous sweeps from 0 until no value moves by 1e-14 (relative): for
 * the proper policies evaluated here (gamma < 1, or -1 per step) this is v_pi to round-off.
 * Returns the number of sweeps, RUN_CAP when it did not settle. */
static size_t own_evaluate(const rl_mdp *m, const double *pi, double gamma, double *v)
{
    double *next = alloc_doubles(m->n_states);
    memset(v, 0, m->n_states * sizeof *v);
    size_t sweep;
    for (sweep = 1; sweep < RUN_CAP; sweep++) {
        double delta = 0.0, scale = 0.0;
        for (size_t s = 0; s < m->n_states; s++) {
            next[s] = 0.0;
            if (m->kind[s] != RL_STATE_OPEN)
                continue;
            for (size_t a = 0; a < m->n_actions; a++)
                if (pi[s * m->n_actions + a] > 0.0)
                    next[s] += pi[s * m->n_actions + a] * own_q(m, s, a, v, gamma);
            delta = fmax(delta, fabs(next[s] - v[s]));
            scale = fmax(scale, fabs(next[s]));
        }
        memcpy(v, next, m->n_states * sizeof *v);
        if (delta < 1e-14 * (1.0 + scale))
            break;
    }
    free(next);
    return sweep;
}

static size_t cell(const rl_mdp *m, size_t row, size_t col)
{
    assert_true(row < m->rows && col < m->cols);
    return rl_mdp_state(m, row, col);
}

static void compare_table(const rl_mdp *m, const double *v, const double *table,
                          double tolerance)
{
    for (size_t s = 0; s < m->n_states; s++)
        if (!(fabs(v[s] - table[s]) <= tolerance))
            fail_msg("(%zu, %zu): value %.12g, expected %.12g within %g", rl_mdp_row(m, s),
                     rl_mdp_col(m, s), v[s], table[s], tolerance);
}

static void compare_values(const rl_mdp *m, const double *v, const double *w, double tolerance,
                           const char *what)
{
    for (size_t s = 0; s < m->n_states; s++)
        if (!(fabs(v[s] - w[s]) <= tolerance))
            fail_msg("%s: (%zu, %zu): %.15g vs %.15g (tolerance %g)", what, rl_mdp_row(m, s),
                     rl_mdp_col(m, s), v[s], w[s], tolerance);
}

/* ---- 1. Zhao Fig 3.4: optimal values of the 5x5 grid world ---- */

/* Zhao Fig 3.4(a), baseline rewards, gamma = 0.9. The book prints these to at most 3
 * decimals; every one is exact (a product of powers of 0.9 and the rewards, e.g.
 * v(0,1) = 0.9 v(0,2) = 0.9 * 6.2 = 5.58), so 1e-3 is generous and the closed forms below are
 * checked to 1e-8 (value iteration stops at theta = 1e-10, within 1e-9 of v*). */
static const double zhao_fig_3_4a[25] = {
    5.832, 5.58, 6.2,  6.48, 5.832, /* row 0 */
    6.48,  7.2,  8.0,  7.2,  6.48,  /* row 1 */
    7.2,   8.0,  10,   8.0,  7.2,   /* row 2 */
    8.0,   10,   10,   10,   8.0,   /* row 3 */
    7.2,   9.0,  10,   9.0,  8.1,   /* row 4 */
};

static void test_zhao_fig_3_4a(void **state)
{
    (void)state;
    rl_mdp *m = model_build("zhao5x5", NULL);
    assert_int_equal(m->n_states, 25);
    assert_int_equal(m->n_actions, 5);
    rl_planner *p = planner_make(&rl_value_iteration_type, m,
                                 (const char *const[]){"gamma", "0.9", NULL}, NULL);
    assert_int_equal(planner_run(p, NULL), RL_OK);
    const double *v = values_of(p, m->n_states);
    compare_table(m, v, zhao_fig_3_4a, 1e-3);

    /* Closed forms: staying on the target earns 1 forever, 1 / (1 - 0.9) = 10; (4,2) enters
     * it, 1 + 0.9 * 10 = 10; (4,3) goes left to (4,2), 0 + 0.9 * 10 = 9; (4,4) left again,
     * 0.9 * 9 = 8.1; (0,0) goes down three times to (3,0), then right into the forbidden
     * (3,1) (-1) and on into the target: 0.9^3 * (-1 + 0.9 * 10) = 0.729 * 8 = 5.832. */
    assert_close(v[cell(m, 3, 2)], 10.0, 1e-8);
    assert_close(v[cell(m, 4, 2)], 10.0, 1e-8);
    assert_close(v[cell(m, 4, 3)], 9.0, 1e-8);
    assert_close(v[cell(m, 4, 4)], 8.1, 1e-8);
    assert_close(v[cell(m, 0, 0)], 0.729 * 8.0, 1e-8);

    /* Greedy arrows worked out by hand from the table (q = r + 0.9 v(next)):
     * (3,2) target: stay 1 + 9 = 10; down 0 + 9 = 9; up/right/left enter forbidden cells,
     *       -1 + 9 = 8. Stay.
     * (4,4): left 0.9 * 9 = 8.1; up 0.9 * 8 = 7.2; stay 0.9 * 8.1 = 7.29; right/down bump
     *       -1 + 7.29 = 6.29. Left.
     * (4,3): left 0.9 * 10 = 9; up into forbidden -1 + 9 = 8; stay 8.1. Left.
     * (2,2) forbidden: down into the target 1 + 9 = 10; stay -1 + 9 = 8. Down.
     * (3,0): right into forbidden (3,1) -1 + 9 = 8; up/down 0.9 * 7.2 = 6.48. Right.
     * (0,0): down 0.9 * 6.48 = 5.832; right 0.9 * 5.58 = 5.022. Down.
     * (4,1) forbidden: right 0.9 * 10 = 9; up into (3,1) -1 + 9 = 8. Right.
     * (3,4): left into (3,3) -1 + 9 = 8; down 0.9 * 8.1 = 7.29. Left.
     * (2,1): right into (2,2) and down into (3,1) both -1 + 9 = 8, a tie: the first in
     *       action order (up, right, down, left, stay) wins, so right.
     * (2,3): down into (3,3) and left into (2,2) both 8: down comes first. */
    static const struct {
        size_t row, col, action;
    } arrows[] = {
        {3, 2, STAY}, {4, 4, LEFT},  {4, 3, LEFT}, {2, 2, DOWN},  {3, 0, RIGHT},
        {0, 0, DOWN}, {4, 1, RIGHT}, {3, 4, LEFT}, {2, 1, RIGHT}, {2, 3, DOWN},
    };
    double *pi = alloc_doubles(25 * 5);
    rl_planner_policy(p, pi);
    for (size_t i = 0; i < sizeof arrows / sizeof arrows[0]; i++) {
        size_t s = cell(m, arrows[i].row, arrows[i].col);
        for (size_t a = 0; a < 5; a++)
            if (pi[s * 5 + a] != (a == arrows[i].action ? 1.0 : 0.0))
                fail_msg("(%zu, %zu): pi(%zu) = %g, expected the greedy action %zu",
                         arrows[i].row, arrows[i].col, a, pi[s * 5 + a], arrows[i].action);
    }

    /* Action values at the target, from the closed forms above: stay 10, down 9, up 8. */
    double *q = alloc_doubles(25 * 5);
    rl_planner_action_values(p, q);
    size_t t = cell(m, 3, 2);
    assert_close(q[t * 5 + STAY], 10.0, 1e-8);
    assert_close(q[t * 5 + DOWN], 9.0, 1e-8);
    assert_close(q[t * 5 + UP], 8.0, 1e-8);
    free(q);
    free(pi);
    rl_planner_free(p);
    rl_mdp_free(m);
}

/* Zhao Fig 3.4(c), gamma = 0: v(s) = max_a r(s, a), counted by hand. The target (stay: +1)
 * and its four neighbours (2,2), (3,1), (3,3), (4,2) (enter the target: +1) get 1. Every
 * other cell has a plain neighbour to move to (or can stay on a plain cell) for 0, and
 * nothing better. Value iteration sets these in its first sweep and sees no change in the
 * second: exactly 2 iterations. */
static void test_zhao_fig_3_4c_gamma_0(void **state)
{
    (void)state;
    rl_mdp *m = model_build("zhao5x5", NULL);
    static const double table[25] = {
        0, 0, 0, 0, 0, /* */
        0, 0, 0, 0, 0, /* */
        0, 0, 1, 0, 0, /* */
        0, 1, 1, 1, 0, /* */
        0, 0, 1, 0, 0,
    };
    size_t iterations;
    double *v = planner_solve(&rl_value_iteration_type, m,
                              (const char *const[]){"gamma", "0", NULL}, NULL, &iterations);
    compare_table(m, v, table, 1e-12);
    assert_int_equal(iterations, 2);
    free(v);
    rl_mdp_free(m);
}

/* Zhao Fig 3.4(b), gamma = 0.5. v(target) = 1 / (1 - 0.5) = 2; its neighbours enter it for
 * 1 + 0.5 * 2 = 2 (also the forbidden ones: leaving a forbidden cell costs nothing). Down the
 * right-hand column the path (4,3) -> (4,2) -> target has no reward before entering, so
 * (4,3) = 0.5 * 2 = 1, (4,4) = 1/2, (3,4) = 1/4, (2,4) = 1/8; the shortcut through a
 * forbidden cell is worth -1 + 0.5 * 2 = 0 at best. (4,1) moves right for 0.5 * 2 = 1. */
static void test_zhao_fig_3_4b_gamma_half(void **state)
{
    (void)state;
    rl_mdp *m = model_build("zhao5x5", NULL);
    double *v = planner_solve(&rl_value_iteration_type, m,
                              (const char *const[]){"gamma", "0.5", NULL}, NULL, NULL);
    static const struct {
        size_t row, col;
        double value;
    } want[] = {
        {3, 2, 2.0}, {2, 2, 2.0},  {3, 1, 2.0},  {3, 3, 2.0},   {4, 2, 2.0},
        {4, 3, 1.0}, {4, 4, 0.5},  {3, 4, 0.25}, {2, 4, 0.125}, {4, 1, 1.0},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_close(v[cell(m, want[i].row, want[i].col)], want[i].value, 1e-9);
    free(v);
    rl_mdp_free(m);
}

/* Zhao Fig 3.4(d), r_forbidden = -10, gamma = 0.9. Crossing a forbidden cell k moves from
 * now is worth at most 0.9^k (-10 + 0.9 * 10) < 0, so optimal paths go around, and a cell n
 * moves from entering the target along forbidden-free cells is worth 0.9^(n-1) * 10. The only
 * forbidden-free entry is from (4,2), reached via (4,3), (4,4), (3,4): (0,4) takes 7 moves
 * (down 4, left 2, up 1), (0,0) takes 11 (right 3, down 1 to (1,3), then (2,3), (2,4), down
 * 2, left 2, up 1), and (4,0), walled in by (3,1) and (4,1), first climbs to (0,1): 15. */
static void test_zhao_fig_3_4d_forbidden_10(void **state)
{
    (void)state;
    rl_mdp *m = model_build("zhao5x5", (const char *const[]){"reward_forbidden", "-10", NULL});
    double *v = planner_solve(&rl_value_iteration_type, m,
                              (const char *const[]){"gamma", "0.9", NULL}, NULL, NULL);
    assert_close(v[cell(m, 3, 2)], 10.0, 1e-8);
    assert_close(v[cell(m, 2, 2)], 10.0, 1e-8);
    assert_close(v[cell(m, 0, 4)], 10.0 * pow(0.9, 6), 1e-8);
    assert_close(v[cell(m, 0, 0)], 10.0 * pow(0.9, 10), 1e-8);
    assert_close(v[cell(m, 4, 0)], 10.0 * pow(0.9, 14), 1e-8);
    free(v);
    rl_mdp_free(m);
}

/* ---- 2. Sutton & Barto Fig 4.1: evaluating the random policy ---- */

/* Fig 4.1 (k = infinity): the equiprobable policy on the 4x4 grid, gamma = 1. The printed
 * integers are the exact values (they solve the 14 linear equations; e.g. v(0,1) = -14:
 * -1 + (v(0,0) + v(0,1) + v(1,1) + v(0,2)) / 4 = -1 + (0 - 14 - 18 - 20) / 4 = -14). */
static const double sb_fig_4_1[16] = {
    0,   -14, -20, -22, /* */
    -14, -18, -20, -20, /* */
    -20, -20, -18, -14, /* */
    -22, -20, -14, 0,
};

static void test_sb_fig_4_1(void **state)
{
    (void)state;
    rl_mdp *m = model_build("sb_gridworld4x4", NULL);
    assert_int_equal(m->n_actions, 4);

    /* The exact solve: one iteration, round-off only. */
    size_t iterations;
    double *v = planner_solve(&rl_policy_evaluation_type, m,
                              (const char *const[]){"gamma", "1", "method", "solve", NULL},
                              NULL, &iterations);
    compare_table(m, v, sb_fig_4_1, 1e-9);
    assert_int_equal(iterations, 1);
    free(v);

    /* Sweeps to theta = 1e-6. The remaining error is about theta / (1 - rho), rho the
     * per-sweep contraction of the random walk (about 0.94 for this grid, so about 2e-5
     * remains); 1e-4 bounds both versions with room. */
    size_t sync_sweeps, inplace_sweeps;
    v = planner_solve(&rl_policy_evaluation_type, m,
                      (const char *const[]){"gamma", "1", "method", "iterative", "in_place",
                                            "false", "theta", "1e-6", NULL},
                      NULL, &sync_sweeps);
    compare_table(m, v, sb_fig_4_1, 1e-4);
    free(v);
    v = planner_solve(&rl_policy_evaluation_type, m,
                      (const char *const[]){"gamma", "1", "method", "iterative", "in_place",
                                            "true", "theta", "1e-6", NULL},
                      NULL, &inplace_sweeps);
    compare_table(m, v, sb_fig_4_1, 1e-4);
    free(v);
    /* S&B Sec 4.1: the in-place version uses new values as soon as they are available and
     * usually converges faster. */
    if (!(inplace_sweeps < sync_sweeps))
        fail_msg("in place took %zu sweeps, synchronous %zu", inplace_sweeps, sync_sweeps);
    rl_mdp_free(m);
}

/* S&B Fig 4.1, k = 1 and k = 2 columns: after one synchronous sweep from 0 every
 * non-terminal value is -1; after two, -1.75 next to a terminal corner ((0,1): -1 + (0 + 3 *
 * -1) / 4; the printed -1.7) and -2 elsewhere. The in-place sweep must differ (it reads
 * already updated neighbours), so this pins the synchronous one. */
static void test_sb_fig_4_1_first_sweeps(void **state)
{
    (void)state;
    rl_mdp *m = model_build("sb_gridworld4x4", NULL);
    rl_planner *p = planner_make(&rl_policy_evaluation_type, m,
                                 (const char *const[]){"gamma", "1", "method", "iterative",
                                                       NULL},
                                 NULL);
    rl_sweep_report report;
    rl_error err;
    assert_int_equal(rl_planner_iterate(p, &report, &err), RL_CONTINUE);
    const double *v = values_of(p, m->n_states);
    for (size_t s = 1; s < 15; s++)
        assert_close(v[s], -1.0, 1e-12);
    assert_close(v[0], 0.0, 0.0);
    assert_close(v[15], 0.0, 0.0);
    assert_close(report.delta, 1.0, 1e-12);
    assert_int_equal(rl_planner_iterate(p, &report, &err), RL_CONTINUE);
    v = values_of(p, m->n_states);
    assert_close(v[cell(m, 0, 1)], -1.75, 1e-12);
    assert_close(v[cell(m, 1, 0)], -1.75, 1e-12);
    assert_close(v[cell(m, 1, 1)], -2.0, 1e-12);
    assert_close(v[cell(m, 0, 3)], -2.0, 1e-12);
    assert_close(v[cell(m, 3, 2)], -1.75, 1e-12);
    rl_planner_free(p);
    rl_mdp_free(m);
}

/* ---- 3. Every preset: Bellman optimality, VI = PI, PI's policy greedy ---- */

static bool has_terminal(const rl_mdp *m)
{
    for (size_t s = 0; s < m->n_states; s++)
        if (m->kind[s] == RL_STATE_TERMINAL)
            return true;
    return false;
}

/* The preset's suggested gamma; 0.9 where it suggests none, or suggests 1 on a model without
 * terminal states (where gamma = 1 is refused, see test_gamma_one_without_terminal). */
static double preset_gamma(const rl_preset *preset, const rl_mdp *m)
{
    if (preset->gamma < 0.0 || (preset->gamma >= 1.0 && !has_terminal(m)))
        return 0.9;
    return preset->gamma;
}

static void test_every_preset_optimality(void **state)
{
    (void)state;
    size_t n_presets = 0;
    for (const rl_preset *const *pp = rl_presets; *pp; pp++, n_presets++) {
        const rl_preset *preset = *pp;
        rl_mdp *m = model_build(preset->name, NULL);
        double gamma = preset_gamma(preset, m);
        char gamma_text[32];
        snprintf(gamma_text, sizeof gamma_text, "%.17g", gamma);
        /* theta = 1e-12: value iteration's stopping error is delta / (1 - rate), and at
         * gamma = 1 on FrozenLake the rate is close to 1 (theta = 1e-10 leaves 2e-9). */
        double *v_vi = planner_solve(&rl_value_iteration_type, m,
                                     (const char *const[]){"gamma", gamma_text, "theta",
                                                           "1e-12", NULL},
                                     NULL, NULL);
        /* Bellman optimality: after the last sweep, |T v - v| <= |v_k - v_(k-1)| < theta
         * (T does not expand the max norm), so 1e-9 has room to spare. */
        for (size_t s = 0; s < m->n_states; s++) {
            if (m->kind[s] != RL_STATE_OPEN) {
                if (v_vi[s] != 0.0)
                    fail_msg("%s: (%zu, %zu) is a wall or terminal with value %g",
                             preset->name, rl_mdp_row(m, s), rl_mdp_col(m, s), v_vi[s]);
                continue;
            }
            double backup = own_max_q(m, s, v_vi, gamma);
            if (!(fabs(backup - v_vi[s]) <= 1e-9))
                fail_msg("%s, gamma %g: (%zu, %zu): v = %.15g but max_a q = %.15g",
                         preset->name, gamma, rl_mdp_row(m, s), rl_mdp_col(m, s), v_vi[s],
                         backup);
        }

        rl_planner *p = planner_make(&rl_policy_iteration_type, m,
                                     (const char *const[]){"gamma", gamma_text, NULL}, NULL);
        size_t iterations;
        int rc = planner_run(p, &iterations);
        if (rc != RL_OK)
            fail_msg("%s: policy iteration stopped with %d after %zu iterations",
                     preset->name, rc, iterations);
        const double *v_pi = values_of(p, m->n_states);
        char what[96];
        snprintf(what, sizeof what, "%s: policy vs value iteration", preset->name);
        compare_values(m, v_pi, v_vi, 1e-8, what);

        /* The policy read out is one-hot on an action that attains max_a q(s, a) of PI's
         * own values (q computed here). */
        size_t na = m->n_actions;
        double *pi = alloc_doubles(m->n_states * na);
        rl_planner_policy(p, pi);
        for (size_t s = 0; s < m->n_states; s++) {
            if (m->kind[s] != RL_STATE_OPEN)
                continue;
            size_t chosen = na, ones = 0;
            for (size_t a = 0; a < na; a++) {
                if (pi[s * na + a] == 1.0) {
                    chosen = a;
                    ones++;
                } else if (pi[s * na + a] != 0.0) {
                    fail_msg("%s: (%zu, %zu): pi(%zu) = %g is not one-hot", preset->name,
                             rl_mdp_row(m, s), rl_mdp_col(m, s), a, pi[s * na + a]);
                }
            }
            assert_int_equal(ones, 1);
            double best = own_max_q(m, s, v_pi, gamma);
            double q = own_q(m, s, chosen, v_pi, gamma);
            if (!(q >= best - 1e-9 * (1.0 + fabs(best))))
                fail_msg("%s: (%zu, %zu): action %zu has q = %.15g < max %.15g", preset->name,
                         rl_mdp_row(m, s), rl_mdp_col(m, s), chosen, q, best);
        }
        free(pi);
        rl_planner_free(p);
        free(v_vi);
        rl_mdp_free(m);
    }
    /* The loop ran over the shipped presets (the README lists eight). */
    assert_true(n_presets >= 8);
}

/* Greedy w.r.t. v* is optimal: the policy read out of value iteration, evaluated by this
 * file's own sweeps, has the values v*. A theorem for gamma < 1; for gamma = 1 it holds for a
 * greedy policy that reaches a terminal state (its Bellman operator then has the unique fixed
 * point v*), which the read-out guarantees by its choice among tied actions: FrozenLake at
 * gamma = 1, where the first tied action in order circles forever, is the regression case. */
static void test_every_preset_greedy_is_optimal(void **state)
{
    (void)state;
    for (const rl_preset *const *pp = rl_presets; *pp; pp++) {
        const rl_preset *preset = *pp;
        rl_mdp *m = model_build(preset->name, NULL);
        double gamma = preset_gamma(preset, m);
        char gamma_text[32];
        snprintf(gamma_text, sizeof gamma_text, "%.17g", gamma);
        rl_planner *p = planner_make(&rl_value_iteration_type, m,
                                     (const char *const[]){"gamma", gamma_text, "theta",
                                                           "1e-12", NULL},
                                     NULL);
        assert_int_equal(planner_run(p, NULL), RL_OK);
        double *pi = alloc_doubles(m->n_states * m->n_actions);
        double *v = alloc_doubles(m->n_states);
        rl_planner_policy(p, pi);
        if (own_evaluate(m, pi, gamma, v) >= RUN_CAP)
            fail_msg("%s: the greedy policy's values did not settle", preset->name);
        char what[96];
        snprintf(what, sizeof what, "%s: greedy policy's values vs v*", preset->name);
        compare_values(m, v, values_of(p, m->n_states), 1e-8, what);
        free(v);
        free(pi);
        rl_planner_free(p);
        rl_mdp_free(m);
    }
}

/* ---- 4, 5. Truncated policy iteration ---- */

/* With one evaluation sweep, truncated PI is value iteration (Zhao Sec 4.3): improve to the
 * greedy action, then one sweep of that action is the max backup. Same arithmetic, so the
 * iterates are bitwise equal, with the same deltas and the same number of iterations. */
static void check_truncated_one_sweep_is_vi(const char *preset, const char *gamma)
{
    rl_mdp *m = model_build(preset, NULL);
    rl_planner *vi = planner_make(&rl_value_iteration_type, m,
                                  (const char *const[]){"gamma", gamma, NULL}, NULL);
    rl_planner *tpi = planner_make(&rl_truncated_policy_iteration_type, m,
                                   (const char *const[]){"gamma", gamma, "eval_sweeps", "1",
                                                         NULL},
                                   NULL);
    rl_error err;
    size_t iteration = 0;
    int rc_vi, rc_tpi;
    do {
        rl_sweep_report r_vi, r_tpi;
        rc_vi = rl_planner_iterate(vi, &r_vi, &err);
        rc_tpi = rl_planner_iterate(tpi, &r_tpi, &err);
        iteration++;
        if (rc_vi != rc_tpi)
            fail_msg("%s iteration %zu: value iteration %d, truncated PI %d", preset,
                     iteration, rc_vi, rc_tpi);
        if (memcmp(&r_vi.delta, &r_tpi.delta, sizeof r_vi.delta) != 0)
            fail_msg("%s iteration %zu: delta %.17g vs %.17g", preset, iteration, r_vi.delta,
                     r_tpi.delta);
        if (memcmp(values_of(vi, m->n_states), values_of(tpi, m->n_states),
                   m->n_states * sizeof(double)) != 0)
            fail_msg("%s iteration %zu: values differ", preset, iteration);
    } while (rc_vi == RL_CONTINUE && iteration < RUN_CAP);
    assert_int_equal(rc_vi, RL_OK);
    /* Both ran more than a couple of iterations, so the comparison had something to see. */
    assert_true(iteration > 10);
    rl_planner_free(tpi);
    rl_planner_free(vi);
    rl_mdp_free(m);
}

static void test_truncated_one_sweep_is_value_iteration(void **state)
{
    (void)state;
    check_truncated_one_sweep_is_vi("zhao5x5", "0.9");
    check_truncated_one_sweep_is_vi("frozenlake4x4", "1");
}

/* With many evaluation sweeps it approaches policy iteration and ends at the same v*
 * (compared with value iteration run to theta = 1e-12; both within 1e-9 of v*). */
static void check_truncated_many_sweeps(const char *preset, const char *gamma)
{
    rl_mdp *m = model_build(preset, NULL);
    size_t tpi_iterations, vi_iterations;
    double *v_vi = planner_solve(&rl_value_iteration_type, m,
                                 (const char *const[]){"gamma", gamma, "theta", "1e-12", NULL},
                                 NULL, &vi_iterations);
    double *v_tpi = planner_solve(&rl_truncated_policy_iteration_type, m,
                                  (const char *const[]){"gamma", gamma, "eval_sweeps", "200",
                                                        "theta", "1e-12", NULL},
                                  NULL, &tpi_iterations);
    char what[96];
    snprintf(what, sizeof what, "%s: truncated PI (200 sweeps) vs value iteration", preset);
    compare_values(m, v_tpi, v_vi, 1e-8, what);
    /* 200 sweeps per improvement: fewer improvements than value iteration's sweeps. */
    if (!(tpi_iterations < vi_iterations))
        fail_msg("%s: truncated PI took %zu iterations, value iteration %zu", preset,
                 tpi_iterations, vi_iterations);
    free(v_vi);
    free(v_tpi);
    rl_mdp_free(m);
}

static void test_truncated_many_sweeps(void **state)
{
    (void)state;
    check_truncated_many_sweeps("zhao5x5", "0.9");
    check_truncated_many_sweeps("frozenlake4x4", "1");
}

/* ---- 6. Policy evaluation: solve = sweeps = Zhao Fig 8.6(b) ---- */

static void test_zhao_fig_8_6b_solve_and_sweeps(void **state)
{
    (void)state;
    /* Zhao Fig 8.6(b): the uniform policy, baseline rewards, gamma = 0.9, printed to 4
     * decimals (true values within 5e-5 of the print; we allow 1e-4). */
    static const double table[25] = {
        -3.8463, -3.8138, -3.6442, -3.1209, -3.2350, /* */
        -3.7936, -3.8473, -3.8004, -3.1063, -2.9241, /* */
        -3.5724, -3.8965, -3.3817, -3.1944, -2.9444, /* */
        -3.9008, -3.6159, -3.4031, -2.8976, -3.2393, /* */
        -4.4589, -4.1608, -3.3858, -3.3634, -3.4532,
    };
    rl_mdp *m = model_build("zhao5x5", NULL);
    double *v_solve = planner_solve(&rl_policy_evaluation_type, m,
                                    (const char *const[]){"gamma", "0.9", NULL}, NULL, NULL);
    compare_table(m, v_solve, table, 1e-4);
    /* Sweeps to theta = 1e-12 stop within 0.9 / (1 - 0.9) * 1e-12 = 9e-12 of v_pi. */
    double *v_sweeps = planner_solve(&rl_policy_evaluation_type, m,
                                     (const char *const[]){"gamma", "0.9", "method",
                                                           "iterative", "theta", "1e-12",
                                                           NULL},
                                     NULL, NULL);
    compare_values(m, v_sweeps, v_solve, 1e-9, "zhao5x5 uniform: sweeps vs solve");
    /* An explicit uniform given_policy is the default one. */
    double *uniform = alloc_doubles(25 * 5);
    for (size_t i = 0; i < 25 * 5; i++)
        uniform[i] = 0.2;
    double *v_given = planner_solve(&rl_policy_evaluation_type, m,
                                    (const char *const[]){"gamma", "0.9", NULL}, uniform,
                                    NULL);
    compare_values(m, v_given, v_solve, 1e-12, "zhao5x5: given uniform vs default");
    free(v_given);
    free(uniform);
    free(v_sweeps);
    free(v_solve);
    rl_mdp_free(m);
}

/* Evaluating a given deterministic policy, and reading it back. "Stay everywhere": stay
 * earns the landing cell's reward forever, so v = r / (1 - 0.9): 10 on the target, -10 on a
 * forbidden cell, 0 elsewhere. The read-out is the given policy itself. */
static void test_evaluate_given_stay_policy(void **state)
{
    (void)state;
    rl_mdp *m = model_build("zhao5x5", NULL);
    double *stay = alloc_doubles(25 * 5);
    for (size_t s = 0; s < 25; s++)
        stay[s * 5 + STAY] = 1.0;
    rl_planner *p = planner_make(&rl_policy_evaluation_type, m,
                                 (const char *const[]){"gamma", "0.9", NULL}, stay);
    assert_int_equal(planner_run(p, NULL), RL_OK);
    const double *v = values_of(p, m->n_states);
    for (size_t s = 0; s < 25; s++) {
        double expected = m->cell[s] == 'G' ? 10.0 : m->cell[s] == 'X' ? -10.0 : 0.0;
        assert_close(v[s], expected, 1e-9);
    }
    assert_close(v[cell(m, 1, 1)], -10.0, 1e-9); /* (1,1) is forbidden (Zhao ch. 2) */
    double *pi = alloc_doubles(25 * 5);
    rl_planner_policy(p, pi);
    assert_memory_equal(pi, stay, 25 * 5 * sizeof *pi);
    free(pi);
    rl_planner_free(p);
    free(stay);
    rl_mdp_free(m);
}

/* ---- 7. Zhao Fig 4.4: policy iteration from "stay" ---- */

static void test_zhao_fig_4_4_policy_iteration(void **state)
{
    (void)state;
    rl_mdp *m = model_build("zhao5x5", (const char *const[]){"reward_forbidden", "-10", NULL});
    double *v_vi = planner_solve(&rl_value_iteration_type, m,
                                 (const char *const[]){"gamma", "0.9", "theta", "1e-12", NULL},
                                 NULL, NULL);
    rl_planner *p = planner_make(&rl_policy_iteration_type, m,
                                 (const char *const[]){"gamma", "0.9", "initial_policy",
                                                       "stay", NULL},
                                 NULL);
    /* The first evaluation is of "stay everywhere": 10 on the target, -100 on a forbidden
     * cell (-10 / (1 - 0.9)), 0 elsewhere. */
    rl_sweep_report report;
    rl_error err;
    assert_int_equal(rl_planner_iterate(p, &report, &err), RL_CONTINUE);
    const double *v = values_of(p, m->n_states);
    assert_close(v[cell(m, 3, 2)], 10.0, 1e-9);
    assert_close(v[cell(m, 1, 1)], -100.0, 1e-9);
    assert_close(v[cell(m, 0, 0)], 0.0, 1e-9);
    assert_close(report.delta, 100.0, 1e-9);
    size_t iterations;
    assert_int_equal(planner_run(p, &iterations), RL_OK);
    iterations++; /* the one above */
    /* Zhao Sec 4.2: states find their optimal actions in order of their distance from the
     * target, one more move of the optimal paths per iteration. So policy iteration needs at
     * most the longest optimal path (15 moves from (4,0), see
     * test_zhao_fig_3_4d_forbidden_10), plus the first iteration (evaluating "stay") and a
     * last one that changes nothing: 17. */
    if (iterations > 17)
        fail_msg("policy iteration took %zu iterations", iterations);
    compare_values(m, values_of(p, m->n_states), v_vi, 1e-8, "Fig 4.4: policy vs value iteration");
    rl_planner_free(p);
    free(v_vi);
    rl_mdp_free(m);
}

static void test_initial_stay_needs_stay_action(void **state)
{
    (void)state;
    rl_mdp *m = model_build("zhao5x5", (const char *const[]){"actions", "4", NULL});
    assert_int_equal(m->n_actions, 4);
    rl_error err;
    rl_planner *p = planner_try(&rl_policy_iteration_type, m,
                                (const char *const[]){"initial_policy", "stay", NULL}, NULL,
                                &err);
    assert_null(p);
    assert_int_equal(err.code, RL_EINVAL);
    assert_string_equal(err.key, "initial_policy");
    assert_contains(err.message, "stay");
    rl_mdp_free(m);
}

/* ---- 8. Refusals and the iteration limit ---- */

/* Zhao's grid has no terminal state: with gamma = 1 no value is finite. Every planner refuses
 * at alloc with RL_ESINGULAR naming gamma. */
static void test_gamma_one_without_terminal(void **state)
{
    (void)state;
    rl_mdp *m = model_build("zhao5x5", NULL);
    const rl_planner_type *types[] = {&rl_value_iteration_type, &rl_policy_evaluation_type,
                                      &rl_policy_iteration_type,
                                      &rl_truncated_policy_iteration_type};
    for (size_t i = 0; i < 4; i++) {
        rl_error err;
        rl_planner *p = planner_try(types[i], m, (const char *const[]){"gamma", "1", NULL},
                                    NULL, &err);
        if (p)
            fail_msg("%s accepted gamma = 1 without terminal states", types[i]->name);
        assert_int_equal(err.code, RL_ESINGULAR);
        assert_string_equal(err.key, "gamma");
    }
    rl_mdp_free(m);
}

/* max_iterations = 3: RL_CONTINUE twice, then RL_STOPPED. Value iteration from 0 has v_k of
 * the target = 1 + 0.9 + ... + 0.9^(k-1) (staying is best there for every k), so v_3 = 2.71
 * and the third delta is 0.81, far above theta. */
static void test_value_iteration_max_iterations(void **state)
{
    (void)state;
    rl_mdp *m = model_build("zhao5x5", NULL);
    rl_planner *p = planner_make(&rl_value_iteration_type, m,
                                 (const char *const[]){"max_iterations", "3", NULL}, NULL);
    rl_sweep_report report;
    rl_error err;
    assert_int_equal(rl_planner_iterate(p, &report, &err), RL_CONTINUE);
    assert_close(report.delta, 1.0, 1e-12);
    assert_int_equal(rl_planner_iterate(p, &report, &err), RL_CONTINUE);
    assert_close(report.delta, 0.9, 1e-12);
    assert_int_equal(rl_planner_iterate(p, &report, &err), RL_STOPPED);
    assert_close(report.delta, 0.81, 1e-12);
    assert_close(values_of(p, m->n_states)[cell(m, 3, 2)], 2.71, 1e-12);
    rl_planner_free(p);
    rl_mdp_free(m);
}

/* ---- 8b. Synchronous value iteration over patterns, to the bit ---- */

/* The gridworld model of map text with [env] keys kv. */
static rl_mdp *model_from_text(const char *text, const char *const *kv)
{
    rl_error err;
    rl_error_clear(&err);
    rl_params *env = rl_params_alloc(rl_gridworld_params);
    assert_non_null(env);
    int rc = RL_OK;
    for (size_t i = 0; kv && kv[i]; i += 2)
        if (rc == RL_OK)
            rc = rl_params_set(env, kv[i], kv[i + 1], &err);
    rl_map *map = NULL;
    if (rc == RL_OK)
        rc = rl_map_parse(text, "test.map", &map, &err);
    rl_mdp *m = NULL;
    if (rc == RL_OK)
        rc = rl_gridworld_compile(map, env, &m, &err);
    rl_map_free(map);
    rl_params_free(env);
    if (rc != RL_OK)
        fail_error("model_from_text", rc, &err);
    return m;
}

/* Synchronous sweeps of value_iteration against the Bellman optimality sweep written here
 * over the outcome lists (own_q, first maximum in action order): every value, the sweep's
 * max-norm change and its count of changed greedy actions (none for the first sweep, which
 * has no earlier policy) must be equal, not close, as the vector passes promise. */
static void check_sweeps_bitwise(const rl_mdp *m, const char *what)
{
    const size_t n = m->n_states;
    double *v = alloc_doubles(n), *w = alloc_doubles(n);
    size_t *greedy = calloc(n, sizeof *greedy);
    assert_non_null(greedy);
    rl_planner *p = planner_make(&rl_value_iteration_type, m,
                                 (const char *const[]){"gamma", "0.9", "theta", "1e-300",
                                                       "max_iterations", "60", NULL},
                                 NULL);
    for (size_t sweep = 1; sweep <= 60; sweep++) {
        double delta = 0.0;
        size_t changes = 0;
        for (size_t s = 0; s < n; s++) {
            w[s] = v[s];
            if (!rl_mdp_is_decision(m, s))
                continue;
            size_t arg = 0;
            double best = own_q(m, s, 0, v, 0.9);
            for (size_t a = 1; a < m->n_actions; a++) {
                double q = own_q(m, s, a, v, 0.9);
                if (q > best) {
                    best = q;
                    arg = a;
                }
            }
            w[s] = best;
            delta = fabs(best - v[s]) > delta ? fabs(best - v[s]) : delta;
            changes += arg != greedy[s];
            greedy[s] = arg;
        }
        memcpy(v, w, n * sizeof *v);
        if (sweep == 1)
            changes = 0;
        rl_sweep_report report;
        rl_error err;
        rl_error_clear(&err);
        int rc = rl_planner_iterate(p, &report, &err);
        if (rc < 0)
            fail_error(what, rc, &err);
        const double *got = values_of(p, n);
        for (size_t s = 0; s < n; s++)
            if (memcmp(&got[s], &v[s], sizeof v[s]) != 0)
                fail_msg("%s: sweep %zu, state %zu: %.17g, the sweep written out gives %.17g",
                         what, sweep, s, got[s], v[s]);
        if (memcmp(&report.delta, &delta, sizeof delta) != 0 || report.policy_changes != changes)
            fail_msg("%s: sweep %zu: delta %.17g and %zu changes, expected %.17g and %zu", what,
                     sweep, report.delta, report.policy_changes, delta, changes);
        if (rc != RL_CONTINUE)
            break;
    }
    rl_planner_free(p);
    free(greedy);
    free(v);
    free(w);
}

/* Maps whose rows are runs of every length mod 4 (the AVX2 pass takes 4 states a step, the
 * SSE2 pass 2, the rest goes through the scalar loop), with walls, a goal inside, bumps
 * costing more than moves, and cells of other rewards breaking the runs. */
static const char *const pattern_maps[] = {
    "S....................................\n"
    ".......#.............................\n"
    ".......#......X......................\n"
    "..............X.........G............\n"
    "....................................#\n"
    "#####.......................##.......\n",
    "S.........\n"
    "...##.....\n"
    "....G.X...\n",
    "S..\n"
    ".#.\n"
    "..G\n",
};

static void check_pattern_models(void)
{
    static const char *const actions[] = {"4", "5", "8", "9"};
    for (size_t i = 0; i < sizeof pattern_maps / sizeof *pattern_maps; i++) {
        for (size_t k = 0; k < sizeof actions / sizeof *actions; k++) {
            rl_mdp *m = model_from_text(
                pattern_maps[i],
                (const char *const[]){"actions", actions[k], "goal_terminal", "true",
                                      "reward_step", "-1", "reward_bump", "-3",
                                      "reward_forbidden", "-10", NULL});
            char what[64];
            snprintf(what, sizeof what, "map %zu, %s actions", i, actions[k]);
            assert_non_null(m->pattern); /* the models these sweeps are for */
            check_sweeps_bitwise(m, what);
            rl_mdp_free(m);
        }
    }
    /* Presets with teleports, wind and cliffs: few or short runs. */
    static const char *const presets[] = {"zhao5x5", "sb_gridworld5x5", "windy_gridworld",
                                          "cliff_walking", "dyna_maze"};
    for (size_t i = 0; i < sizeof presets / sizeof *presets; i++) {
        rl_mdp *m = model_build(presets[i], NULL);
        check_sweeps_bitwise(m, presets[i]);
        rl_mdp_free(m);
    }
}

static void test_pattern_sweeps_bitwise(void **state)
{
    (void)state;
    check_pattern_models(); /* with the AVX2 pass where the CPU has it */
    assert_int_equal(setenv("GRIDRL_NO_AVX2", "1", 1), 0);
    check_pattern_models(); /* the SSE2 pass */
    assert_int_equal(unsetenv("GRIDRL_NO_AVX2"), 0);
}

/* ---- 9. The epsilon-greedy read-out ---- */

/* Zhao p.89 with epsilon = 0.2 and 5 actions: the greedy action 1 - 0.2 * 4 / 5 = 0.84, each
 * other 0.2 / 5 = 0.04; the greedy action is the arrow of Fig 3.4(a) (see test_zhao_fig_3_4a
 * for the hand derivations). */
/* With epsilon > 0 value iteration finds the best epsilon-greedy policy (Zhao ch. 5): its
 * values are the fixed point of v(s) = (1 - eps) max_a q(s, a) + eps / n sum_a q(s, a),
 * checked here with the operator written out (residual below 1e-8, theta 1e-10 times the
 * contraction's 1 / (1 - gamma)), and they are the exact values of the epsilon-greedy policy
 * it reads out (Zhao's rule: 1 - eps (n - 1) / n = 0.84 and eps / n = 0.04 for eps = 0.2),
 * solved independently. */
static void test_epsilon_greedy_planning(void **state)
{
    (void)state;
    rl_mdp *m = model_build("zhao5x5", NULL);
    const char *const methods[] = {"value_iteration", "policy_iteration"};
    for (size_t k = 0; k < 2; k++) {
        const rl_planner_type *type =
            k == 0 ? &rl_value_iteration_type : &rl_policy_iteration_type;
        rl_planner *p = planner_make(type, m,
                                     (const char *const[]){"gamma", "0.9", "epsilon", "0.2",
                                                           NULL},
                                     NULL);
        assert_int_equal(planner_run(p, NULL), RL_OK);
        double *pi = alloc_doubles(25 * 5), v[25], exact[25];
        rl_planner_policy(p, pi);
        rl_planner_values(p, v);
        for (size_t s = 0; s < 25; s++) {
            size_t high = 0, low = 0;
            for (size_t a = 0; a < 5; a++) {
                if (fabs(pi[s * 5 + a] - 0.84) <= 1e-12)
                    high++;
                else if (fabs(pi[s * 5 + a] - 0.04) <= 1e-12)
                    low++;
            }
            if (high != 1 || low != 4)
                fail_msg("%s (%zu, %zu): not 0.84 once and 0.04 four times", methods[k],
                         rl_mdp_row(m, s), rl_mdp_col(m, s));
            double q[5], best = -1e300, sum = 0.0;
            for (size_t a = 0; a < 5; a++) {
                q[a] = rl_mdp_backup(m, s, a, v, 0.9);
                best = q[a] > best ? q[a] : best;
                sum += q[a];
            }
            assert_close(0.8 * best + 0.04 * sum, v[s], 1e-8);
        }
        assert_int_equal(rl_evaluate_solve(m, pi, 0.9, exact, NULL), RL_OK);
        for (size_t s = 0; s < 25; s++)
            assert_close(exact[s], v[s], 1e-8);
        /* The target: staying in it is still best, 0.84 on stay. */
        assert_close(pi[cell(m, 3, 2) * 5 + STAY], 0.84, 1e-12);
        free(pi);
        rl_planner_free(p);
    }
    rl_mdp_free(m);
}

/* Cliff walking, epsilon 0.1, undiscounted: the best an epsilon-greedy agent can earn per
 * episode from the start is -20.71 (to the printed two decimals: the value that explains S&B
 * Fig 6.3's Expected Sarsa asymptote), well above the optimal -13 of the greedy edge path. */
static void test_cliff_epsilon_greedy_value(void **state)
{
    (void)state;
    rl_mdp *m = model_build("cliff_walking", NULL);
    rl_planner *p = planner_make(&rl_value_iteration_type, m,
                                 (const char *const[]){"gamma", "1", "epsilon", "0.1", NULL},
                                 NULL);
    assert_int_equal(planner_run(p, NULL), RL_OK);
    double v[48];
    rl_planner_values(p, v);
    assert_close(v[cell(m, 3, 0)], -20.71, 0.005);
    rl_planner_free(p);
    rl_mdp_free(m);
}

/* ---- 10. FrozenLake 4x4: the optimal success probability ---- */

/* An independent FrozenLake from Gymnasium's FrozenLake-v1 documentation: map SFFF / FHFH /
 * FFFH / HFFG; action k moves in direction k, k - 1 or k + 1 (mod 4, Gymnasium's order left,
 * down, right, up, so the other two are perpendicular) with probability 1/3 each; off the grid
 * the agent stays; reward 1 on entering G; H and G end the episode. Value iteration with
 * gamma = 1 from 0 until nothing moves by 1e-15. */
static void own_frozenlake_values(double v[16])
{
    static const char *const rows[4] = {"SFFF", "FHFH", "FFFH", "HFFG"};
    static const int drow[4] = {0, 1, 0, -1}, dcol[4] = {-1, 0, 1, 0};
    double next[16];
    memset(v, 0, 16 * sizeof *v);
    for (size_t sweep = 0; sweep < RUN_CAP; sweep++) {
        double delta = 0.0;
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) {
                int s = r * 4 + c;
                next[s] = 0.0;
                if (rows[r][c] == 'H' || rows[r][c] == 'G')
                    continue;
                double best = -1.0;
                for (int a = 0; a < 4; a++) {
                    double q = 0.0;
                    for (int k = -1; k <= 1; k++) {
                        int d = (a + k + 4) % 4;
                        int nr = r + drow[d], nc = c + dcol[d];
                        if (nr < 0 || nr > 3 || nc < 0 || nc > 3) {
                            nr = r;
                            nc = c;
                        }
                        char to = rows[nr][nc];
                        q += (to == 'G' ? 1.0 : to == 'H' ? 0.0 : v[nr * 4 + nc]) / 3.0;
                    }
                    best = fmax(best, q);
                }
                next[s] = best;
                delta = fmax(delta, fabs(best - v[s]));
            }
        memcpy(v, next, sizeof next);
        if (delta < 1e-15)
            break;
    }
}

static void test_frozenlake_optimal_success(void **state)
{
    (void)state;
    rl_mdp *m = model_build("frozenlake4x4", NULL);
    assert_int_equal(m->n_states, 16);
    double *v = planner_solve(&rl_value_iteration_type, m,
                              (const char *const[]){"gamma", "1", "theta", "1e-13", NULL},
                              NULL, NULL);
    double own[16];
    own_frozenlake_values(own);
    compare_values(m, v, own, 1e-9, "frozenlake4x4: planner vs own value iteration");
    /* The optimal success probabilities are multiples of 1/17: 14 on the top row, the start
     * included (the 0.8235 quoted for FrozenLake-v1), (1,0) and (2,0..1); 9 at (1,2), 13 at
     * (2,2), 15 at (3,1), 16 at (3,2). This table satisfies the Bellman optimality equation
     * exactly in rational arithmetic (worked out separately), and value iteration from 0
     * rises to the least such solution, which it is. */
    static const double seventeenths[16] = {14, 14, 14, 14, 14, 0,  9,  0,
                                            14, 14, 13, 0,  0,  15, 16, 0};
    for (size_t s = 0; s < 16; s++)
        assert_close(v[s], seventeenths[s] / 17.0, 1e-9);
    assert_close(v[0], 0.8235, 5e-5);
    free(v);
    rl_mdp_free(m);
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zhao_fig_3_4a),
        cmocka_unit_test(test_zhao_fig_3_4c_gamma_0),
        cmocka_unit_test(test_zhao_fig_3_4b_gamma_half),
        cmocka_unit_test(test_zhao_fig_3_4d_forbidden_10),
        cmocka_unit_test(test_sb_fig_4_1),
        cmocka_unit_test(test_sb_fig_4_1_first_sweeps),
        cmocka_unit_test(test_every_preset_optimality),
        cmocka_unit_test(test_every_preset_greedy_is_optimal),
        cmocka_unit_test(test_truncated_one_sweep_is_value_iteration),
        cmocka_unit_test(test_truncated_many_sweeps),
        cmocka_unit_test(test_zhao_fig_8_6b_solve_and_sweeps),
        cmocka_unit_test(test_evaluate_given_stay_policy),
        cmocka_unit_test(test_zhao_fig_4_4_policy_iteration),
        cmocka_unit_test(test_initial_stay_needs_stay_action),
        cmocka_unit_test(test_gamma_one_without_terminal),
        cmocka_unit_test(test_value_iteration_max_iterations),
        cmocka_unit_test(test_pattern_sweeps_bitwise),
        cmocka_unit_test(test_epsilon_greedy_planning),
        cmocka_unit_test(test_cliff_epsilon_greedy_value),
        cmocka_unit_test(test_frozenlake_optimal_success),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests for the Dyna learners (agents/dyna.c): dyna_q and dyna_q_plus.
 *
 * - Single updates on a hand-built 1 x 3 model, each against the update rule written out in
 *   its comment: one real step and its planning steps, where the planning draws are read
 *   from a second generator with the same seed (agents/dyna.h documents the draws, and the
 *   test also checks that a real step takes exactly that many);
 * - Dyna-Q+'s bonus kappa sqrt(tau) and the book's footnote (untried actions of a visited
 *   state are planned as leading back to it with reward 0);
 * - an identity: dyna_q with planning_steps = 0 is q_learning, draw for draw and bit for bit;
 * - convergence on the Dyna maze (S&B Example 8.1) against v* of the exact model, faster
 *   with planning than without, and Fig 8.2's steps per episode; Dyna-Q+'s values within
 *   the band its bonus allows above v*;
 * - no allocation after init (the sanitizer build also checks that everything is freed).
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/support.h"

#include <stdlib.h>

#include "agents/learner.h"
#include "agents/registry.h"
#include "rl/ground_truth.h"
#include "tests/gridworld_fixture.h"

enum { LEFT, RIGHT };

static void fail_error(const char *what, int rc, const rl_error *err)
{
    char buf[1024];
    rl_error_format(err, buf, sizeof buf);
    fail_msg("%s failed (%d): %s", what, rc, buf);
}

/* 0 <-> 1 -> 2 (terminal), actions left/right; the learners only see its space. */
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
        for (size_t a = 0; a < 2; a++)
            if (rl_mdp_add_outcome(m, s, a, 1.0, next[s][a], 0.0, next[s][a] == 2, &err))
                fail_error("rl_mdp_add_outcome", err.code, &err);
    if (rl_mdp_finish(m, &err) != RL_OK)
        fail_error("rl_mdp_finish", err.code, &err);
    return m;
}

static rl_learner *learner_make(const char *name, const rl_space *sp, const char *const *kv)
{
    rl_error err;
    const rl_agent *info = rl_agent_find(name, &err);
    if (!info)
        fail_error(name, err.code, &err);
    rl_params *p = rl_params_alloc(info->learner->params);
    assert_non_null(p);
    for (size_t i = 0; kv && kv[i]; i += 2)
        if (rl_params_set(p, kv[i], kv[i + 1], &err) != RL_OK)
            fail_error(kv[i], err.code, &err);
    rl_learner *l;
    if (rl_learner_alloc(info->learner, sp, p, NULL, NULL, &l, &err) != RL_OK)
        fail_error(name, err.code, &err);
    rl_params_free(p);
    return l;
}

static double q_of(const rl_learner *l, size_t s, size_t a)
{
    double q[6];
    rl_learner_action_values(l, q);
    return q[s * 2 + a];
}

static void observe(rl_learner *l, size_t s, size_t a, double reward, size_t next,
                    bool terminated, gsl_rng *r)
{
    rl_transition t = {s, a, reward, next, terminated, false};
    assert_true(rl_learner_observe(l, &t, r) < 2);
}

/* Two generators with one seed: the learner draws from r, the test replays from replay. */
typedef struct twin {
    gsl_rng *r, *replay;
} twin;

static twin twin_alloc(unsigned long seed)
{
    twin t = {rl_rng_alloc(seed, NULL), rl_rng_alloc(seed, NULL)};
    assert_true(t.r && t.replay);
    return t;
}

static void twin_free(twin *t)
{
    rl_rng_free(t->r);
    rl_rng_free(t->replay);
}

/* Both generators at the same place: the learner took exactly the draws the test replayed. */
static void expect_in_step(twin *t)
{
    double a = gsl_rng_uniform(t->r), b = gsl_rng_uniform(t->replay);
    if (a != b)
        fail_msg("the learner took a different number of draws than agents/dyna.h says");
}

/* dyna_q, alpha 0.5, gamma 0.9, epsilon 0, n = 3.
 * begin_episode in 0: one draw (all q tie).
 * Real step (0, right, r = 1, next 1):
 *   direct: q(0, R) = 0 + 0.5 (1 + 0.9 * 0 - 0)          = 0.5
 *   the model holds only (0, R), so every planning step replays it (still two draws each):
 *   q(0, R) = 0.5 + 0.5 (1 - 0.5) = 0.75, then 0.875, then 0.9375;
 *   then the decision in 1: one draw. 1 + 3 * 2 + 1 = 8 draws in all.
 * Real step (1, left, r = 2, next 0):
 *   direct: q(1, L) = 0 + 0.5 (2 + 0.9 * max q(0, .) - 0) = 0.5 (2 + 0.9 * 0.9375) = 1.421875
 *   planning: visited states [0, 1] in order of first visit, each with one action in the
 *   model; per step u1 picks state floor(2 u1), u2 the action floor(1 u2) = its only one:
 *   state 0 replays q(0, R) += 0.5 (1 + 0.9 max q(1, .) - q(0, R)),
 *   state 1 replays q(1, L) += 0.5 (2 + 0.9 max q(0, .) - q(1, L)); the test follows the
 *   draws of the replayed generator and applies these two rules itself. */
static void test_dyna_q_single_steps(void **state)
{
    (void)state;
    rl_mdp *m = line_model();
    twin t = twin_alloc(20);
    rl_learner *l = learner_make("dyna_q", test_space_of(m),
                                 (const char *const[]){"alpha", "0.5", "gamma", "0.9", "epsilon",
                                                       "0", "planning_steps", "3", NULL});
    rl_learner_begin_episode(l, 0, t.r);
    observe(l, 0, RIGHT, 1.0, 1, false, t.r);
    assert_close(q_of(l, 0, RIGHT), 0.9375, 1e-15);
    assert_close(q_of(l, 0, LEFT), 0.0, 0.0);
    assert_close(q_of(l, 1, LEFT), 0.0, 0.0);
    for (int i = 0; i < 8; i++)
        gsl_rng_uniform(t.replay);
    expect_in_step(&t);

    observe(l, 1, LEFT, 2.0, 0, false, t.r);
    double q0r = 0.9375, q1l = 0.5 * (2.0 + 0.9 * 0.9375);
    assert_close(q1l, 1.421875, 1e-15);
    size_t picked[2] = {0, 0};
    for (int k = 0; k < 3; k++) {
        size_t s = (size_t)(gsl_rng_uniform(t.replay) * 2.0);
        gsl_rng_uniform(t.replay); /* the action: the state's only one */
        picked[s]++;
        if (s == 0)
            q0r += 0.5 * (1.0 + 0.9 * q1l - q0r); /* max q(1, .) = q(1, L) > 0 */
        else
            q1l += 0.5 * (2.0 + 0.9 * q0r - q1l);
    }
    gsl_rng_uniform(t.replay); /* the decision in 0 */
    print_message("dyna_q: planning replayed state 0 %zu times, state 1 %zu times\n",
                  picked[0], picked[1]);
    assert_true(picked[0] && picked[1]); /* seed 20: both rules are exercised */
    assert_close(q_of(l, 0, RIGHT), q0r, 1e-15);
    assert_close(q_of(l, 1, LEFT), q1l, 1e-15);
    assert_close(q_of(l, 0, LEFT), 0.0, 0.0);
    assert_close(q_of(l, 1, RIGHT), 0.0, 0.0);
    expect_in_step(&t);

    /* A terminated real step: the flag, not the next state's values, decides; the direct
     * update and its replays do not bootstrap, and no decision draw follows. q0 = 1, so
     * bootstrapping from state 0 would show: direct q(1, R) = 1 + 0.5 (5 - 1) = 3, replays
     * 3 + 0.5 (5 - 3) = 4, then 4.5 (bootstrapping: 3.45 after the direct update). */
    twin_free(&t);
    rl_learner_free(l);
    t = twin_alloc(18);
    l = learner_make("dyna_q", test_space_of(m),
                     (const char *const[]){"alpha", "0.5", "gamma", "0.9", "q0", "1",
                                           "planning_steps", "2", NULL});
    observe(l, 1, RIGHT, 5.0, 0, true, t.r);
    assert_close(q_of(l, 1, RIGHT), 4.5, 1e-15);
    for (int i = 0; i < 4; i++)
        gsl_rng_uniform(t.replay);
    expect_in_step(&t);

    /* A truncated real step (the runner's time limit) bootstraps, and takes no decision
     * draw either: n = 0, q0 = 1: q(0, R) = 1 + 0.5 (1 + 0.9 * 1 - 1) = 1.45, no draw. */
    twin_free(&t);
    rl_learner_free(l);
    t = twin_alloc(19);
    l = learner_make("dyna_q", test_space_of(m),
                     (const char *const[]){"alpha", "0.5", "gamma", "0.9", "q0", "1",
                                           "planning_steps", "0", NULL});
    rl_transition cut = {0, RIGHT, 1.0, 1, false, true};
    rl_learner_observe(l, &cut, t.r);
    assert_close(q_of(l, 0, RIGHT), 1.45, 1e-15);
    expect_in_step(&t);
    rl_learner_free(l);
    twin_free(&t);
    rl_mdp_free(m);
}

/* Dyna-Q+ with alpha 1, gamma 0, kappa 0.5, n = 1, and only state 0 visited: K real steps
 * (0, right, r = 1, next 1). With gamma 0 a replay sets q to its reward plus bonus:
 * - (0, R), tried at every step (tau = 0): q(0, R) = 1 + 0.5 sqrt(0) = 1, as the direct
 *   update does;
 * - (0, L), never tried: in the model by the footnote, "tried at step 0", so at real step t
 *   tau = t and a replay sets q(0, L) = 0 + 0.5 sqrt(t).
 * Per real step the replay draws u1 (the state: always 0) and u2 (the action: floor(2 u2),
 * left first), then one decision draw. So after K steps q(0, L) = 0.5 sqrt(t*), t* the last
 * step whose u2 picked left (0 if none). dyna_q on the same draws never plans (0, L). */
static void test_dyna_q_plus_bonus(void **state)
{
    (void)state;
    rl_mdp *m = line_model();
    const char *const kv[] = {"alpha", "1",        "gamma", "0", "epsilon", "0",
                              "kappa", "0.5",      "planning_steps", "1", NULL};
    twin t = twin_alloc(5);
    rl_learner *plus = learner_make("dyna_q_plus", test_space_of(m), kv);
    rl_learner *plain = learner_make("dyna_q", test_space_of(m), kv + 8);
    gsl_rng *r2 = rl_rng_alloc(5, NULL);
    size_t last_left = 0, lefts = 0;
    for (size_t step = 1; step <= 40; step++) {
        observe(plus, 0, RIGHT, 1.0, 1, false, t.r);
        observe(plain, 0, RIGHT, 1.0, 1, false, r2);
        gsl_rng_uniform(t.replay);
        if ((size_t)(gsl_rng_uniform(t.replay) * 2.0) == LEFT) {
            last_left = step;
            lefts++;
        }
        gsl_rng_uniform(t.replay);
        assert_close(q_of(plus, 0, LEFT), 0.5 * sqrt((double)last_left), 1e-15);
        assert_close(q_of(plus, 0, RIGHT), 1.0, 1e-15);
        assert_close(q_of(plain, 0, LEFT), 0.0, 0.0);
    }
    expect_in_step(&t);
    /* Both branches were exercised. */
    assert_true(lefts > 5 && lefts < 35);
    rl_learner_free(plus);
    rl_learner_free(plain);
    rl_rng_free(r2);
    twin_free(&t);

    /* The footnote's next state is the state itself: gamma 0.5, one real step, then the
     * replay, if it picks (0, L), targets 0 + 0.5 sqrt(1) + 0.5 max q(0, .) = 0.5 + 0.5 * 1
     * = 1.0 (a terminal next state would give 0.5, state 1 would give 0.5 + 0.5 * 0). */
    for (unsigned long seed = 1; seed < 40; seed++) {
        twin u = twin_alloc(seed);
        gsl_rng_uniform(u.replay);
        bool left = (size_t)(gsl_rng_uniform(u.replay) * 2.0) == LEFT;
        rl_learner *l = learner_make("dyna_q_plus", test_space_of(m),
                                     (const char *const[]){"alpha", "1", "gamma", "0.5",
                                                           "kappa", "0.5", "planning_steps",
                                                           "1", NULL});
        observe(l, 0, RIGHT, 1.0, 1, false, u.r);
        rl_learner_free(l);
        twin_free(&u);
        if (!left)
            continue;
        u = twin_alloc(seed);
        l = learner_make("dyna_q_plus", test_space_of(m),
                         (const char *const[]){"alpha", "1", "gamma", "0.5", "kappa", "0.5",
                                               "planning_steps", "1", NULL});
        observe(l, 0, RIGHT, 1.0, 1, false, u.r);
        assert_close(q_of(l, 0, RIGHT), 1.0, 1e-15);
        assert_close(q_of(l, 0, LEFT), 1.0, 1e-15);
        rl_learner_free(l);
        twin_free(&u);
        rl_mdp_free(m);
        return;
    }
    fail_msg("no seed below 40 replays (0, left) first");
}

/* ---- on the Dyna maze ---- */

typedef struct counts {
    size_t steps, episodes;
    size_t *lengths; /* per episode, when not NULL */
} counts;

/* Episodes of l on g's env until `episodes` end or `budget` steps are spent (0: none). */
static void run(gw_fixture *g, rl_learner *l, gsl_rng *r, size_t episodes, size_t budget,
                counts *c)
{
    while ((!episodes || c->episodes < episodes) && (!budget || c->steps < budget)) {
        size_t s = rl_env_reset(g->env, r), length = 0;
        size_t a = rl_learner_begin_episode(l, s, r);
        for (;;) {
            rl_step st = rl_env_step(g->env, a, r);
            length++;
            c->steps++;
            bool cut = !st.terminated && budget && c->steps == budget;
            rl_transition t = {s, a, st.reward, st.next, st.terminated, cut};
            a = rl_learner_observe(l, &t, r);
            s = st.next;
            if (st.terminated || cut)
                break;
        }
        rl_error err;
        if (rl_learner_end_episode(l, &err) != RL_CONTINUE)
            fail_error("end_episode", err.code, &err);
        if (c->lengths)
            c->lengths[c->episodes] = length;
        c->episodes++;
    }
}

/* RMSE over the decision states of max_a q against v*. */
static double value_error(const rl_learner *l, const rl_mdp *m, const double *truth)
{
    double v[64], sum = 0.0;
    size_t n = 0;
    assert_true(m->n_states <= 64);
    rl_learner_values(l, v);
    for (size_t s = 0; s < m->n_states; s++)
        if (rl_mdp_is_decision(m, s)) {
            sum += (v[s] - truth[s]) * (v[s] - truth[s]);
            n++;
        }
    return sqrt(sum / (double)n);
}

/* Uniform behaviour (epsilon = 1), alpha 0.5, gamma 0.95, 5,000 real steps, 10 seeds.
 * The maze is deterministic, so once a pair has been tried the model holds its exact
 * outcome, and a replay is a damped Bellman backup on the exact model: with n = 20, 100,000
 * of them spread over the 180 pairs of the open cells contract the error by
 * 1 - 0.5 (1 - 0.95) per backup of every pair, to rounding (a 5,000-step uniform walk tries
 * every pair on the optimal paths: what the measured 2e-16 shows). Without planning, the
 * same 5,000 updates are 28 per pair, spread unevenly by the walk, and far from v*
 * (measured 0.26 to 0.66). We require, seed by seed, n = 20 below 1e-12 and n = 0 above
 * 0.05, the two a hundred billion times apart. */
static void test_dyna_q_converges_to_v_star(void **state)
{
    (void)state;
    double truth[54];
    for (unsigned long seed = 1; seed <= 10; seed++) {
        double e[2];
        for (int k = 0; k < 2; k++) {
            gw_fixture g;
            gw_build(&g, NULL, (const char *const[]){"preset", "dyna_maze", NULL});
            assert_int_equal(g.m->n_states, 54);
            assert_int_equal(rl_ground_truth_optimal(g.m, 0.95, truth, NULL), RL_OK);
            gsl_rng *r = rl_rng_alloc(seed, NULL);
            rl_learner *l = learner_make("dyna_q", &g.space,
                                         (const char *const[]){"alpha", "0.5", "gamma", "0.95",
                                                               "epsilon", "1", "planning_steps",
                                                               k ? "20" : "0", NULL});
            counts c = {0};
            run(&g, l, r, 0, 5000, &c);
            e[k] = value_error(l, g.m, truth);
            rl_learner_free(l);
            rl_rng_free(r);
            gw_free(&g);
        }
        print_message("seed %lu: RMSE against v* n = 0: %.3g, n = 20: %.3g\n", seed, e[0], e[1]);
        assert_true(e[1] < 1e-12);
        assert_true(e[0] > 0.05);
    }
}

/* Dyna-Q+ in the same setting. Behaviour is uniform, so the real walk is Dyna-Q's above
 * (the same draws per step: one decision, two per planning step), which tries every pair on
 * the optimal paths. A replay is then a damped backup with the bonus kappa sqrt(tau) in
 * [0, B], B = kappa sqrt(5000) (tau counts real steps): the values converge into the band
 * v* <= v <= v* + B / (1 - gamma) (the fixed points of the backups with bonuses 0 and B).
 * With kappa = 0 that is v* itself: below 1e-12 as for Dyna-Q. With kappa = 1e-4 the band is
 * [0, 0.1414] above v*, and the bonus must show: the mean excess is positive (measured
 * 0.010-0.015 over seeds 1-10, every state 5e-4 to 0.023 above v*); the lower edge is
 * allowed 1e-12 of the contraction's residual. */
static void test_dyna_q_plus_converges(void **state)
{
    (void)state;
    double truth[54], v[54];
    const double gamma = 0.95, kappa = 1e-4, band = kappa * sqrt(5000.0) / (1.0 - gamma);
    for (unsigned long seed = 1; seed <= 10; seed++) {
        for (int k = 0; k < 2; k++) {
            gw_fixture g;
            gw_build(&g, NULL, (const char *const[]){"preset", "dyna_maze", NULL});
            assert_int_equal(rl_ground_truth_optimal(g.m, gamma, truth, NULL), RL_OK);
            gsl_rng *r = rl_rng_alloc(seed, NULL);
            rl_learner *l = learner_make("dyna_q_plus", &g.space,
                                         (const char *const[]){"alpha", "0.5", "gamma", "0.95",
                                                               "epsilon", "1", "planning_steps",
                                                               "20", "kappa", k ? "1e-4" : "0",
                                                               NULL});
            counts c = {0};
            run(&g, l, r, 0, 5000, &c);
            if (k == 0) {
                double e = value_error(l, g.m, truth);
                print_message("seed %lu: Dyna-Q+ kappa 0, RMSE against v* %.3g\n", seed, e);
                assert_true(e < 1e-12);
            } else {
                rl_learner_values(l, v);
                double low = HUGE_VAL, high = -HUGE_VAL, mean = 0.0;
                size_t n = 0;
                for (size_t s = 0; s < 54; s++) {
                    if (!rl_mdp_is_decision(g.m, s))
                        continue;
                    double d = v[s] - truth[s];
                    low = d < low ? d : low;
                    high = d > high ? d : high;
                    mean += d;
                    n++;
                }
                mean /= (double)n;
                print_message("seed %lu: kappa %g, v - v* in [%.3g, %.3g], mean %.3g (band "
                              "%.4g)\n", seed, kappa, low, high, mean, band);
                assert_true(low > -1e-12);
                assert_true(high < band);
                assert_true(mean > 0.0);
            }
            rl_learner_free(l);
            rl_rng_free(r);
            gw_free(&g);
        }
    }
}

/* S&B Fig 8.2's setting (epsilon 0.1, alpha 0.1, gamma 0.95, q0 0), 20 seeds, 10 episodes:
 * the mean steps per episode over episodes 2-10. Without planning each episode extends the
 * learned path by about one step back from the goal, so those episodes wander (measured
 * about 300 steps); with n = 50 the second episode already follows most of the path (about
 * 20). A run's mean is a noisy number (heavy tails from the first long wanderings), so we
 * test the difference of the two means against its standard error: the n = 50 mean must be
 * lower by more than 5 standard errors (a correct Dyna-Q fails this with probability below
 * 3e-7 under the normal approximation), and below 60 steps (the shortest path is 14; with
 * epsilon = 0.1 the book's curve sits near 16-20). */
static void test_dyna_q_fig8_2_planning_helps(void **state)
{
    (void)state;
    enum { SEEDS = 20, EPISODES = 10 };
    double mean[2][SEEDS];
    size_t lengths[EPISODES];
    for (int k = 0; k < 2; k++) {
        for (unsigned long seed = 0; seed < SEEDS; seed++) {
            gw_fixture g;
            gw_build(&g, NULL, (const char *const[]){"preset", "dyna_maze", NULL});
            gsl_rng *r = rl_rng_alloc(100 + seed, NULL);
            rl_learner *l = learner_make("dyna_q", &g.space,
                                         (const char *const[]){"alpha", "0.1", "gamma", "0.95",
                                                               "epsilon", "0.1",
                                                               "planning_steps",
                                                               k ? "50" : "0", NULL});
            counts c = {.lengths = lengths};
            run(&g, l, r, EPISODES, 0, &c);
            double sum = 0.0;
            for (size_t e = 1; e < EPISODES; e++)
                sum += (double)lengths[e];
            mean[k][seed] = sum / (EPISODES - 1);
            rl_learner_free(l);
            rl_rng_free(r);
            gw_free(&g);
        }
    }
    double m[2], var[2];
    for (int k = 0; k < 2; k++) {
        m[k] = var[k] = 0.0;
        for (size_t i = 0; i < SEEDS; i++)
            m[k] += mean[k][i] / SEEDS;
        for (size_t i = 0; i < SEEDS; i++)
            var[k] += (mean[k][i] - m[k]) * (mean[k][i] - m[k]) / (SEEDS - 1);
    }
    double se = sqrt(var[0] / SEEDS + var[1] / SEEDS);
    print_message("steps per episode, episodes 2-10: n = 0 %.1f, n = 50 %.1f (se %.1f)\n",
                  m[0], m[1], se);
    assert_true(m[0] - m[1] > 5.0 * se);
    assert_true(m[1] < 60.0);
}

/* dyna_q with planning_steps = 0 is q_learning: the same update and the same single decision
 * draw, so on cliff walking (ties broken at random from the first step) 100 episodes leave
 * their action values bitwise equal. */
static void test_dyna_q_without_planning_is_q_learning(void **state)
{
    (void)state;
    static const char *const q_kv[] = {"alpha", "0.5", "gamma", "1", "epsilon", "0.1", NULL};
    static const char *const dyna_kv[] = {"alpha",   "0.5", "gamma",          "1",
                                          "epsilon", "0.1", "planning_steps", "0", NULL};
    const char *names[2] = {"q_learning", "dyna_q"};
    const char *const *kvs[2] = {q_kv, dyna_kv};
    double *q[2];
    size_t steps[2];
    for (int k = 0; k < 2; k++) {
        gw_fixture g;
        gw_build(&g, NULL, (const char *const[]){"preset", "cliff_walking", NULL});
        gsl_rng *r = rl_rng_alloc(2024, NULL);
        rl_learner *l = learner_make(names[k], &g.space, kvs[k]);
        counts c = {0};
        run(&g, l, r, 100, 0, &c);
        steps[k] = c.steps;
        size_t n = g.m->n_states * g.m->n_actions;
        q[k] = malloc(n * sizeof *q[k]);
        assert_non_null(q[k]);
        rl_learner_action_values(l, q[k]);
        size_t nonzero = 0;
        for (size_t i = 0; i < n; i++)
            nonzero += q[k][i] != 0.0;
        assert_true(nonzero > n / 2); /* not a vacuous equality */
        if (k)
            assert_memory_equal(q[0], q[1], n * sizeof *q[0]);
        rl_learner_free(l);
        rl_rng_free(r);
        gw_free(&g);
    }
    assert_int_equal(steps[0], steps[1]);
    free(q[0]);
    free(q[1]);
}

/* On a space whose states have their own actions, planning and choices keep to them:
 * a 1 x 3 row where state 0 has only right and state 1 only left (of actions left, right).
 * Dyna-Q+ enters only a visited state's own actions into its model, so with uniform
 * behaviour neither learner ever returns an action a state lacks, and the q entries of
 * those actions stay at q0 = 20. Rewards 1 and gamma 0.9 make q(0, R) = 1 + 0.9 q(1, L)
 * and q(1, L) = 1 + 0.9 q(0, R): both 10, below q0, so a maximum or a read-out that looked
 * at the untouched 20s would show (3,000 updates of two pairs, each contracting the error
 * by 1 - 0.1 (1 - 0.9): within 1e-3 of 10; Dyna-Q+ with kappa = 0, its bonus would add to
 * the fixed point). */
static void test_own_actions(void **state)
{
    (void)state;
    rl_mdp *m = line_model();
    rl_space sp = rl_mdp_space(m);
    const uint8_t allowed[6] = {0, 1, 1, 0, 1, 1};
    sp.allowed = allowed;
    const char *names[2] = {"dyna_q", "dyna_q_plus"};
    for (int k = 0; k < 2; k++) {
        rl_learner *l = learner_make(names[k], &sp,
                                     (const char *const[]){"epsilon", "1", "q0", "20",
                                                           "planning_steps", "5",
                                                           k ? "kappa" : NULL, "0", NULL});
        gsl_rng *r = rl_rng_alloc(3, NULL);
        size_t s = 0, a = rl_learner_begin_episode(l, 0, r);
        for (int i = 0; i < 500; i++) {
            assert_true(allowed[s * 2 + a]);
            size_t next = s == 0 ? 1 : 0;
            rl_transition t = {s, a, 1.0, next, false, false};
            a = rl_learner_observe(l, &t, r);
            s = next;
        }
        assert_close(q_of(l, 0, LEFT), 20.0, 0.0);
        assert_close(q_of(l, 1, RIGHT), 20.0, 0.0);
        assert_close(q_of(l, 0, RIGHT), 10.0, 1e-3);
        assert_close(q_of(l, 1, LEFT), 10.0, 1e-3);
        double v[3], pi[6];
        rl_learner_values(l, v);
        rl_learner_policy(l, pi);
        assert_close(v[0], q_of(l, 0, RIGHT), 0.0); /* not the untouched 20 */
        assert_close(pi[0 * 2 + RIGHT], 1.0, 0.0);
        assert_close(pi[1 * 2 + LEFT], 1.0, 0.0);
        /* The behaviour (epsilon 1, one own action each): all on that action. */
        assert_true(rl_learner_behavior_policy(l, pi));
        assert_close(pi[0 * 2 + RIGHT], 1.0, 0.0);
        assert_close(pi[0 * 2 + LEFT], 0.0, 0.0);
        assert_close(pi[1 * 2 + LEFT], 1.0, 0.0);
        rl_learner_free(l);
        rl_rng_free(r);
    }
    rl_mdp_free(m);
}

/* The behaviour policy is the real steps' epsilon-greedy one: epsilon 0.2 over two actions
 * gives the greedy 1 - 0.2 / 2 = 0.9 and the other 0.1; ties share the greedy mass. */
static void test_behavior_policy(void **state)
{
    (void)state;
    rl_mdp *m = line_model();
    gsl_rng *r = rl_rng_alloc(1, NULL);
    rl_learner *l = learner_make("dyna_q_plus", test_space_of(m),
                                 (const char *const[]){"alpha", "1", "gamma", "0", "epsilon",
                                                       "0.2", "planning_steps", "0", NULL});
    observe(l, 0, RIGHT, 1.0, 1, false, r); /* q(0, R) = 1, q(0, L) = 0 */
    double pi[6];
    assert_true(rl_learner_behavior_policy(l, pi));
    assert_close(pi[0 * 2 + RIGHT], 0.9, 1e-15);
    assert_close(pi[0 * 2 + LEFT], 0.1, 1e-15);
    assert_close(pi[1 * 2 + LEFT], 0.5, 1e-15); /* a tie */
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

static void test_registry(void **state)
{
    (void)state;
    const char *names[2] = {"dyna_q", "dyna_q_plus"};
    for (int k = 0; k < 2; k++) {
        const rl_agent *a = rl_agent_find(names[k], NULL);
        assert_non_null(a);
        assert_int_equal(a->kind, RL_AGENT_LEARNER);
        assert_false(a->learner->prediction);
        assert_true(a->learner->state_actions);
        assert_non_null(rl_param_find(a->learner->params, "planning_steps"));
        assert_true((rl_param_find(a->learner->params, "kappa") != NULL) == (k == 1));
    }
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dyna_q_single_steps),
        cmocka_unit_test(test_dyna_q_plus_bonus),
        cmocka_unit_test(test_dyna_q_converges_to_v_star),
        cmocka_unit_test(test_dyna_q_plus_converges),
        cmocka_unit_test(test_dyna_q_fig8_2_planning_helps),
        cmocka_unit_test(test_dyna_q_without_planning_is_q_learning),
        cmocka_unit_test(test_own_actions),
        cmocka_unit_test(test_behavior_policy),
        cmocka_unit_test(test_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

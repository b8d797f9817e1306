/* Tests for the learners of S&B ch. 12 (agents/traces.c): the offline lambda-return
 * algorithm, TD(lambda) with accumulating and replacing traces, true online TD(lambda) and
 * Sarsa(lambda).
 *
 * Each check is against a number derived outside the code under test:
 * - single updates on a hand-built line of states, the arithmetic written out in the
 *   comment (to 1e-12);
 * - identities under one seed: lambda = 0 is the one-step method (td_lambda and td0,
 *   sarsa_lambda and sarsa, bit for bit; true_online_td and td0 to rounding), and the
 *   lambda-return with lambda = 1 is every-visit constant-alpha MC on the undiscounted walk;
 * - references written in the test from the book's definitions, replaying what the learner
 *   saw: dense traces (every entry decayed every step, which the learners' list of nonzero
 *   traces must match bit for bit), and the online lambda-return algorithm (S&B 12.4: at
 *   every step all the episode's updates redone from its start with the truncated
 *   lambda-returns), which true online TD(lambda) must reproduce after every step;
 * - convergence to v_pi (and, for Sarsa(lambda) with uniform behaviour, to q_pi) of the
 *   5-state random walk, with tolerances argued where they are used.
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/support.h"

#include <stdint.h>
#include <stdlib.h>

#include "agents/traces.h"
#include "rl/ground_truth.h"
#include "rl/policy.h"
#include "tests/learner_fixture.h"

enum { LEFT = LF_LEFT, RIGHT = LF_RIGHT };

/* ---- registry ---- */

static void test_registry(void **state)
{
    (void)state;
    const char *names[] = {"lambda_return", "td_lambda", "true_online_td", "sarsa_lambda"};
    for (size_t i = 0; i < 4; i++) {
        const rl_agent *info = rl_agent_find(names[i], NULL);
        assert_non_null(info);
        assert_int_equal(info->kind, RL_AGENT_LEARNER);
        bool control = i == 3;
        assert_int_equal(rl_agent_is_prediction(info), !control);
        assert_int_equal(info->learner->action_values != NULL, control);
        assert_non_null(rl_param_find(info->learner->params, "lambda"));
        assert_null(rl_param_find(info->learner->params, "alpha_schedule"));
    }
    assert_non_null(rl_param_find(rl_td_lambda_type.params, "trace"));
    assert_non_null(rl_param_find(rl_sarsa_lambda_type.params, "trace"));
}

/* ---- single updates: the prediction learners ---- */

#define PRED_KV(...)                                                                        \
    (const char *const[])                                                                   \
    {                                                                                       \
        "gamma", "0.9", "lambda", "0.5", "alpha", "0.1", "v0", "0.5", __VA_ARGS__, NULL     \
    }

/* The episode 0 --0--> 1 --0--> 0 --1--> terminal on a line (states 0, 1; 2 terminal). */
static void hand_episode(rl_learner *l, gsl_rng *r, const double *after1, const double *after2)
{
    rl_learner_begin_episode(l, 0, r);
    lf_observe(l, 0, RIGHT, 0.0, 1, false, false, r);
    lf_expect_v(l, after1, 3, 1e-12);
    lf_observe(l, 1, LEFT, 0.0, 0, false, false, r);
    lf_expect_v(l, after2, 3, 1e-12);
    lf_observe(l, 0, RIGHT, 1.0, 2, true, false, r);
}

/* The offline lambda-return algorithm, gamma 0.9, lambda 0.5, alpha 0.1, v0 0.5. Nothing
 * moves during the episode. At its end the updates t = 0, 1, 2 in turn, each lambda-return
 * from the values as the earlier updates left them:
 * t = 0: G_2 = 1 (terminal), G_1 = 0.9 (0.5 v(0) + 0.5 * 1) = 0.675, G_0 = 0.9 (0.5 v(1) +
 *        0.5 * 0.675) = 0.52875 (all v 0.5): v(0) = 0.5 + 0.1 (0.52875 - 0.5) = 0.502875;
 * t = 1: G_1 = 0.9 (0.5 * 0.502875 + 0.5 * 1) = 0.67629375 (v(0) has moved):
 *        v(1) = 0.5 + 0.1 (0.67629375 - 0.5) = 0.517629375;
 * t = 2: G_2 = 1: v(0) = 0.502875 + 0.1 (1 - 0.502875) = 0.5525875.
 * (Returns all taken from the held values would give v(1) = 0.5175.)
 * A truncated episode 1 --2--> 0 (fresh learner) bootstraps fully at the cut:
 * G_0 = 2 + 0.9 * 0.5 = 2.45, v(1) = 0.5 + 0.1 (2.45 - 0.5) = 0.695. */
static void test_lambda_return_single(void **state)
{
    (void)state;
    rl_mdp *m = lf_line_model(2);
    gsl_rng *r = rl_rng_alloc(1, NULL);
    const double v0[3] = {0.5, 0.5, 0.0};
    rl_learner *l = lf_learner("lambda_return", test_space_of(m), PRED_KV("v0", "0.5"));
    hand_episode(l, r, v0, v0);
    lf_expect_v(l, v0, 3, 0.0);
    lf_end(l);
    lf_expect_v(l, (const double[]){0.5525875, 0.517629375, 0.0}, 3, 1e-12);
    rl_learner_free(l);

    l = lf_learner("lambda_return", test_space_of(m), PRED_KV("v0", "0.5"));
    rl_learner_begin_episode(l, 1, r);
    lf_observe(l, 1, RIGHT, 2.0, 0, false, true, r);
    lf_end(l);
    lf_expect_v(l, (const double[]){0.5, 0.695, 0.0}, 3, 1e-12);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* TD(lambda), gamma 0.9, lambda 0.5 (traces decay by 0.45), alpha 0.1, v0 0.5:
 * 1. 0 -> 1, r 0: delta = 0.45 - 0.5 = -0.05; z(0) = 1: v(0) = 0.495.
 * 2. 1 -> 0, r 0: delta = 0.9 * 0.495 - 0.5 = -0.0545; z(0) = 0.45, z(1) = 1:
 *    v(0) = 0.495 - 0.00545 * 0.45 = 0.4925475, v(1) = 0.5 - 0.00545 = 0.49455.
 * 3. 0 -> terminal, r 1: delta = 1 - 0.4925475 = 0.5074525; z(1) = 0.45 and z(0) = 0.2025
 *    + 1 = 1.2025 (accumulating) or 1 (replacing):
 *    v(0) = 0.4925475 + 0.05074525 * 1.2025 = 0.553568663125, or + 0.05074525 =
 *    0.54329275; v(1) = 0.49455 + 0.05074525 * 0.45 = 0.5173853625.
 * A second episode 1 -> terminal, r 0 starts with every trace at 0: only v(1) moves,
 * v(1) = 0.5173853625 (1 - 0.1). */
static void test_td_lambda_single(void **state)
{
    (void)state;
    rl_mdp *m = lf_line_model(2);
    gsl_rng *r = rl_rng_alloc(1, NULL);
    const char *traces[] = {"accumulating", "replacing"};
    const double v0_final[] = {0.553568663125, 0.54329275};
    for (size_t i = 0; i < 2; i++) {
        rl_learner *l =
            lf_learner("td_lambda", test_space_of(m), PRED_KV("trace", traces[i]));
        hand_episode(l, r, (const double[]){0.495, 0.5, 0.0},
                     (const double[]){0.4925475, 0.49455, 0.0});
        lf_expect_v(l, (const double[]){v0_final[i], 0.5173853625, 0.0}, 3, 1e-12);
        lf_end(l);
        rl_learner_begin_episode(l, 1, r);
        lf_observe(l, 1, RIGHT, 0.0, 2, true, false, r);
        lf_expect_v(l, (const double[]){v0_final[i], 0.5173853625 * 0.9, 0.0}, 3, 1e-12);
        lf_end(l);
        rl_learner_free(l);
    }
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* True online TD(lambda), the same episode. V = v(S) before the step, V' = v(S') (0 at
 * the terminal), V_old the previous V' (0 at the start); z(S) <- 0.45 z(S) + 1 - 0.1 * 0.45
 * z(S), others 0.45 z; v += 0.1 (delta + V - V_old) z; v(S) -= 0.1 (V - V_old).
 * 1. V = 0.5, V' = 0.5, delta = -0.05, z(0) = 1: v(0) = 0.5 + 0.1 (0.45) - 0.05 = 0.495.
 * 2. V = 0.5, V' = 0.495, V_old = 0.5, delta = -0.0545; z(0) = 0.45, z(1) = 1; the scale
 *    0.1 (-0.0545 + 0) = -0.00545: v(0) = 0.4925475, v(1) = 0.49455 (the TD(lambda) step).
 * 3. V = 0.4925475, V' = 0, V_old = 0.495, delta = 0.5074525; z(1) = 0.45,
 *    z(0) = 0.2025 + 1 - 0.1 * 0.45 * 0.45 = 1.18225; scale 0.1 (0.5074525 + 0.4925475 -
 *    0.495) = 0.0505: v(0) = 0.4925475 + 0.0505 * 1.18225 - 0.1 (0.4925475 - 0.495) =
 *    0.552496375; v(1) = 0.49455 + 0.0505 * 0.45 = 0.517275. */
static void test_true_online_single(void **state)
{
    (void)state;
    rl_mdp *m = lf_line_model(2);
    gsl_rng *r = rl_rng_alloc(1, NULL);
    rl_learner *l = lf_learner("true_online_td", test_space_of(m), PRED_KV("v0", "0.5"));
    hand_episode(l, r, (const double[]){0.495, 0.5, 0.0},
                 (const double[]){0.4925475, 0.49455, 0.0});
    lf_expect_v(l, (const double[]){0.552496375, 0.517275, 0.0}, 3, 1e-12);
    lf_end(l);
    /* V_old and the traces start again at 0: 1 -> terminal, r 0 is a TD(0) step. */
    rl_learner_begin_episode(l, 1, r);
    lf_observe(l, 1, RIGHT, 0.0, 2, true, false, r);
    lf_expect_v(l, (const double[]){0.552496375, 0.517275 * 0.9, 0.0}, 3, 1e-12);
    lf_end(l);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* ---- single updates: Sarsa(lambda) ---- */

/* gamma 0.9, lambda 0.5, alpha 0.1, epsilon 0 (greedy, so the next actions are known), q0
 * 0.5. q is written q(s, L/R).
 * Episode 1:
 * 1. (0, R) -> 1, r 0: row 1 is (0.5, 0.5), so q(1, A') = 0.5 whichever A' ties give:
 *    delta = 0.45 - 0.5 = -0.05, z(0, R) = 1: q(0, R) = 0.495.
 * 2. (1, L) -> 0, r 0: greedy A' in row 0 = (0.5, 0.495) is L: delta = 0.45 - 0.5 = -0.05;
 *    z(0, R) = 0.45, z(1, L) = 1: q(0, R) = 0.495 - 0.005 * 0.45 = 0.49275, q(1, L) = 0.495.
 * 3. (0, L) -> terminal, r 1: delta = 1 - 0.5 = 0.5; z(1, L) = 0.45; z(0, L) = 1, and
 *    z(0, R) = 0.2025 (accumulating) or cleared to 0 (replacing: S's other actions):
 *    q(0, L) = 0.55, q(1, L) = 0.495 + 0.05 * 0.45 = 0.5175, q(0, R) = 0.49275 + 0.05 *
 *    0.2025 = 0.502875 (accumulating) or 0.49275 (replacing).
 * Episode 2, traces back at 0, revisiting (0, R):
 * 4. (0, R) -> 0, r 0: greedy A' in row 0 is L (0.55): delta = 0.495 - q(0, R), z(0, R) = 1:
 *    accumulating -0.007875, q(0, R) = 0.5020875; replacing 0.00225, q(0, R) = 0.492975.
 * 5. (0, R) -> terminal, r 1: delta = 1 - q(0, R); z(0, R) = 0.45 + 1 = 1.45
 *    (accumulating) or 1 (replacing): q(0, R) = 0.5020875 + 0.1 * 0.4979125 * 1.45 =
 *    0.5742848125, or 0.492975 + 0.1 * 0.507025 = 0.5436775. Nothing else moves. */
static void test_sarsa_lambda_single(void **state)
{
    (void)state;
    rl_mdp *m = lf_line_model(2);
    gsl_rng *r = rl_rng_alloc(3, NULL);
    const char *traces[] = {"accumulating", "replacing"};
    const double q0R_3[] = {0.502875, 0.49275}, q0R_4[] = {0.5020875, 0.492975},
                 q0R_5[] = {0.5742848125, 0.5436775};
    for (size_t i = 0; i < 2; i++) {
        rl_learner *l = lf_learner("sarsa_lambda", test_space_of(m),
                                   (const char *const[]){"gamma", "0.9", "lambda", "0.5",
                                                         "alpha", "0.1", "epsilon", "0", "q0",
                                                         "0.5", "trace", traces[i], NULL});
        double q[6];
#define EXPECT_Q(l0, r0, l1, r1)                                                            \
    do {                                                                                    \
        rl_learner_action_values(l, q);                                                     \
        const double want_[6] = {l0, r0, l1, r1, 0.0, 0.0};                                 \
        for (size_t k_ = 0; k_ < 6; k_++)                                                   \
            if (!(fabs(q[k_] - want_[k_]) <= 1e-12))                                        \
                fail_msg("%s: q[%zu] = %.17g, expected %.17g", traces[i], k_, q[k_],        \
                         want_[k_]);                                                        \
    } while (0)
        rl_learner_begin_episode(l, 0, r);
        lf_observe(l, 0, RIGHT, 0.0, 1, false, false, r);
        EXPECT_Q(0.5, 0.495, 0.5, 0.5);
        assert_int_equal(lf_observe(l, 1, LEFT, 0.0, 0, false, false, r), LEFT);
        EXPECT_Q(0.5, 0.49275, 0.495, 0.5);
        lf_observe(l, 0, LEFT, 1.0, 2, true, false, r);
        EXPECT_Q(0.55, q0R_3[i], 0.5175, 0.5);
        lf_end(l);
        rl_learner_begin_episode(l, 0, r);
        assert_int_equal(lf_observe(l, 0, RIGHT, 0.0, 0, false, false, r), LEFT);
        EXPECT_Q(0.55, q0R_4[i], 0.5175, 0.5);
        lf_observe(l, 0, RIGHT, 1.0, 2, true, false, r);
        EXPECT_Q(0.55, q0R_5[i], 0.5175, 0.5);
        lf_end(l);
#undef EXPECT_Q
        rl_learner_free(l);
    }
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* The behaviour policy read-out is Zhao's epsilon-greedy row around the greedy action: with
 * epsilon 0.2 and two actions, 0.9 and 0.1; a tie (untouched state 1, q0 everywhere) splits
 * the greedy mass, 0.5 each; the terminal state's row is uniform. One update
 * (0, R) -> terminal, r 1 makes R greedy in state 0. */
static void test_sarsa_lambda_behavior(void **state)
{
    (void)state;
    rl_mdp *m = lf_line_model(2);
    gsl_rng *r = rl_rng_alloc(3, NULL);
    rl_learner *l = lf_learner("sarsa_lambda", test_space_of(m),
                               (const char *const[]){"epsilon", "0.2", NULL});
    rl_learner_begin_episode(l, 0, r);
    lf_observe(l, 0, RIGHT, 1.0, 2, true, false, r);
    lf_end(l);
    double pi[6];
    assert_true(rl_learner_behavior_policy(l, pi));
    const double want[6] = {0.1, 0.9, 0.5, 0.5, 0.5, 0.5};
    for (size_t i = 0; i < 6; i++)
        assert_close(pi[i], want[i], 1e-12);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* ---- identities ---- */

static const char *const GOAL_TERMINAL[] = {"goal_terminal", "true", NULL};

/* lambda = 0 is the one-step method: the trace of the visited entry is 1 and every other
 * is 0, so v(S) (or q(S, A)) moves by alpha delta and nothing else does, with the same draws.
 * On Zhao's grid with a terminal target, gamma 0.9, episodes cut at 40 steps (both ends
 * occur): td_lambda with either trace is td0 and sarsa_lambda is sarsa, bit for bit (the
 * same operations; the other entries get v + 0 or are skipped); true_online_td is td0 up to
 * rounding: its extra terms alpha (V - V_old) z(S) - alpha (V - V_old) cancel only to the
 * last bit, and those differences feed back through later targets, so we allow 1e-12
 * relative. */
static void test_lambda_zero_is_one_step(void **state)
{
    (void)state;
    const char *const td0_kv[] = {"gamma", "0.9", "alpha", "0.3", NULL};
    lf_expect_same("td0", td0_kv, "td_lambda",
                   (const char *const[]){"gamma", "0.9", "alpha", "0.3", "lambda", "0", NULL},
                   "zhao5x5", GOAL_TERMINAL, 200, 40, 0.0);
    lf_expect_same("td0", td0_kv, "td_lambda",
                   (const char *const[]){"gamma", "0.9", "alpha", "0.3", "lambda", "0",
                                         "trace", "replacing", NULL},
                   "zhao5x5", GOAL_TERMINAL, 200, 40, 0.0);
    lf_expect_same("td0", td0_kv, "true_online_td",
                   (const char *const[]){"gamma", "0.9", "alpha", "0.3", "lambda", "0", NULL},
                   "zhao5x5", GOAL_TERMINAL, 200, 40, 1e-12);
    const char *const sarsa_kv[] = {"gamma", "1", "alpha", "0.5", "epsilon", "0.1", NULL};
    lf_expect_same("sarsa", sarsa_kv, "sarsa_lambda",
                   (const char *const[]){"gamma", "1", "alpha", "0.5", "epsilon", "0.1",
                                         "lambda", "0", NULL},
                   "cliff_walking", NULL, 200, 200, 0.0);
    lf_expect_same("sarsa", sarsa_kv, "sarsa_lambda",
                   (const char *const[]){"gamma", "1", "alpha", "0.5", "epsilon", "0.1",
                                         "lambda", "0", "trace", "replacing", NULL},
                   "cliff_walking", NULL, 200, 200, 0.0);
}

/* The lambda-return with lambda = 0 is the one-step return R + gamma v(S'), from the
 * values as the pass has left them, which are TD(0)'s at that step: lambda_return's values
 * after each episode are td0's, bit for bit (R + gamma (1 * v + 0 * G) is R + gamma v; the
 * policy is fixed, so learning at the end changes no action). Zhao's grid with a terminal
 * target, episodes cut at 40 steps. */
static void test_lambda_return_zero_is_td0(void **state)
{
    (void)state;
    lf_expect_same("td0", (const char *const[]){"gamma", "0.9", "alpha", "0.3", NULL},
                   "lambda_return",
                   (const char *const[]){"gamma", "0.9", "alpha", "0.3", "lambda", "0", NULL},
                   "zhao5x5", GOAL_TERMINAL, 200, 40, 0.0);
}

/* The lambda-return with lambda = 1 is the Monte Carlo return (R + gamma (0 * v + 1 * G)
 * is R + gamma G exactly), and on the undiscounted walk every visit of an episode has the
 * same return, so the forward sequence of updates gives each state the very operations of
 * every-visit constant-alpha MC's backward one: bit for bit. */
static void test_lambda_return_one_is_mc(void **state)
{
    (void)state;
    lf_expect_same("mc_prediction",
                   (const char *const[]){"gamma", "1", "alpha", "0.1", "v0", "0.5", NULL},
                   "lambda_return",
                   (const char *const[]){"gamma", "1", "alpha", "0.1", "v0", "0.5", "lambda",
                                         "1", NULL},
                   "random_walk5", NULL, 300, 0, 0.0);
}

/* ---- references from the definitions ---- */

/* td_lambda and sarsa_lambda against dense traces replayed by the test over what the
 * learner saw: every entry's trace decays every step (z <- gamma lambda z), the visited
 * one's grows (+1, or = 1 with the state's other actions cleared for replacing Sarsa), and
 * every entry moves by alpha delta z. The learners keep only the nonzero traces; the values
 * must agree bit for bit after every episode (the same operations on each entry; the
 * skipped ones would add alpha delta * 0). Episodes on Zhao's grid, gamma 0.9: with a
 * terminal target and cut at 40 steps (lambda 0.9, 1: traces stay large), and without one,
 * cut at 1500 steps, lambda 0.3, so that traces decay by 0.27 a step and underflow to
 * exactly 0 after about 570 steps and leave the list. */
static void dense_reference(const char *name, const char *trace, double lambda, size_t cap,
                            size_t episodes)
{
    const double gamma = 0.9, alpha = 0.2;
    char lambda_text[32];
    snprintf(lambda_text, sizeof lambda_text, "%.17g", lambda);
    bool control = strcmp(name, "sarsa_lambda") == 0, replacing = strcmp(trace, "replacing") == 0;
    rl_env *env = lf_env("zhao5x5", cap <= 40 ? GOAL_TERMINAL : NULL);
    const rl_space *sp = rl_env_space(env);
    size_t n_actions = sp->n_actions, n = control ? sp->n_states * n_actions : sp->n_states;
    rl_learner *l = lf_learner(name, sp,
                               (const char *const[]){"gamma", "0.9", "alpha", "0.2", "lambda",
                                                     lambda_text, "trace", trace,
                                                     control ? "epsilon" : NULL, "0.2", NULL});
    gsl_rng *r = rl_rng_alloc(61, NULL);
    double *ref = calloc(n, sizeof *ref), *z = calloc(n, sizeof *z);
    double *got = malloc(n * sizeof *got);
    assert_non_null(ref);
    assert_non_null(z);
    assert_non_null(got);
    for (size_t e = 0; e < episodes; e++) {
        lf_record rec;
        lf_run(env, l, r, 1, cap, &rec);
        memset(z, 0, n * sizeof *z);
        for (size_t i = 0; i < rec.n; i++) {
            const rl_transition *t = &rec.t[i];
            size_t x = control ? t->state * n_actions + t->action : t->state;
            double target = t->reward;
            if (!t->terminated)
                target += gamma * (control ? ref[t->next * n_actions + rec.next_action[i]]
                                           : ref[t->next]);
            double delta = target - ref[x];
            for (size_t k = 0; k < n; k++)
                z[k] *= gamma * lambda;
            if (replacing) {
                if (control)
                    for (size_t b = 0; b < n_actions; b++)
                        z[t->state * n_actions + b] = 0.0;
                z[x] = 1.0;
            } else {
                z[x] += 1.0;
            }
            for (size_t k = 0; k < n; k++)
                ref[k] += alpha * delta * z[k];
        }
        lf_record_free(&rec);
        if (control)
            rl_learner_action_values(l, got);
        else
            rl_learner_values(l, got);
        for (size_t k = 0; k < n; k++)
            if (memcmp(&got[k], &ref[k], sizeof got[k]) != 0)
                fail_msg("%s %s, episode %zu: entry %zu = %.17g, reference %.17g", name, trace,
                         e, k, got[k], ref[k]);
    }
    free(ref);
    free(z);
    free(got);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_env_free(env);
}

static void test_dense_reference(void **state)
{
    (void)state;
    dense_reference("td_lambda", "accumulating", 0.9, 40, 300);
    dense_reference("td_lambda", "replacing", 0.9, 40, 300);
    dense_reference("sarsa_lambda", "accumulating", 0.9, 40, 300);
    dense_reference("sarsa_lambda", "replacing", 0.9, 40, 300);
    dense_reference("sarsa_lambda", "accumulating", 1.0, 40, 300);
    dense_reference("td_lambda", "accumulating", 0.3, 1500, 3);
    dense_reference("sarsa_lambda", "replacing", 0.3, 1500, 3);
}

/* The offline lambda-return algorithm written out by the test over the episodes the learner
 * saw: at the episode's end, for t = 0 .. T-1, G_t by the full backward recursion from the
 * episode's end with the values as they are at that moment, then v(S_t) += alpha (G_t -
 * v(S_t)). The learner cuts each recursion where (gamma lambda)^k < 2^-60; on the 19-state
 * walk (episodes of about 100 steps, many longer) with lambda 0.5 (a cut after 60 steps)
 * and 0.9 (after 395), gamma 1, the values must agree to 1e-12 after every episode: the
 * cut's error is below 2^-60 times the values' range, the rest is the rounding of sums in
 * a different order. */
static void lambda_return_reference(double lambda)
{
    const double alpha = 0.2;
    char lambda_text[32];
    snprintf(lambda_text, sizeof lambda_text, "%.17g", lambda);
    rl_env *env = lf_env("random_walk19", NULL);
    const rl_space *sp = rl_env_space(env);
    size_t n = sp->n_states;
    rl_learner *l = lf_learner("lambda_return", sp,
                               (const char *const[]){"gamma", "1", "alpha", "0.2", "lambda",
                                                     lambda_text, NULL});
    gsl_rng *r = rl_rng_alloc(17, NULL);
    double ref[32] = {0}, got[32];
    assert_true(n <= 32);
    size_t longest = 0;
    for (size_t e = 0; e < 100; e++) {
        lf_record rec;
        lf_run(env, l, r, 1, 0, &rec);
        size_t T = rec.n;
        longest = T > longest ? T : longest;
        for (size_t t = 0; t < T; t++) {
            double g = rec.t[T - 1].reward; /* every episode of the walk terminates */
            for (size_t u = T - 1; u-- > t;)
                g = rec.t[u].reward + ((1.0 - lambda) * ref[rec.t[u].next] + lambda * g);
            size_t s = rec.t[t].state;
            ref[s] += alpha * (g - ref[s]);
        }
        lf_record_free(&rec);
        rl_learner_values(l, got);
        for (size_t s = 0; s < n; s++)
            if (!(fabs(got[s] - ref[s]) <= 1e-12))
                fail_msg("lambda %g, episode %zu: v(%zu) = %.17g, reference %.17g", lambda, e,
                         s, got[s], ref[s]);
    }
    assert_true(longest > 400); /* the cut was used */
    rl_learner_free(l);
    rl_rng_free(r);
    rl_env_free(env);
}

static void test_lambda_return_reference(void **state)
{
    (void)state;
    lambda_return_reference(0.5);
    lambda_return_reference(0.9);
}

/* The online lambda-return algorithm (S&B 12.4), written out from its definition: at every
 * horizon h = 1 .. T of an episode, the values are reset to those at the episode's start
 * and every update t = 0 .. h-1 is redone toward the truncated lambda-return
 *   G_t:h = (1 - lambda) sum_{k=1}^{h-t-1} lambda^(k-1) G_t:t+k + lambda^(h-t-1) G_t:h,
 * whose k-step returns bootstrap from the value of S_t+k that the algorithm had after step
 * t+k-1 (W[t+k-1] below; nothing from a terminal state). The values after the last update
 * of horizon h are the algorithm's values at time h, W[h]. True online TD(lambda) computes
 * the same values with O(1) work per entry and step (S&B 12.5): after every step of 120
 * episodes on Zhao's grid with a terminal target, cut at 30 steps (so both the terminal
 * and the truncated ends of the lambda-return are exercised), gamma 0.9, lambda 0.8, alpha
 * 0.1, the learner's values must equal W[h] to 1e-9 (the two compute in very different
 * orders: rounding). */
#define OLR_CAP 30
static void test_true_online_is_online_lambda_return(void **state)
{
    (void)state;
    const double gamma = 0.9, lambda = 0.8, alpha = 0.1;
    rl_env *env = lf_env("zhao5x5", GOAL_TERMINAL);
    const rl_space *sp = rl_env_space(env);
    size_t n = sp->n_states;
    rl_learner *l = lf_learner("true_online_td", sp,
                               (const char *const[]){"gamma", "0.9", "lambda", "0.8", "alpha",
                                                     "0.1", NULL});
    gsl_rng *r = rl_rng_alloc(91, NULL);
    double *W = calloc((OLR_CAP + 1) * n, sizeof *W), *w = malloc(n * sizeof *w);
    double *got = malloc(n * sizeof *got);
    assert_non_null(W);
    assert_non_null(w);
    assert_non_null(got);
    size_t S[OLR_CAP + 1];
    double R[OLR_CAP + 1];
    size_t terminated_episodes = 0, truncated_episodes = 0;
    for (size_t e = 0; e < 120; e++) {
        rl_learner_values(l, W); /* W[0]: the episode's start */
        S[0] = rl_env_reset(env, r);
        size_t a = rl_learner_begin_episode(l, S[0], r);
        bool terminated = false;
        size_t h = 0;
        while (!terminated && h < OLR_CAP) {
            rl_step st = rl_env_step(env, a, r);
            terminated = st.terminated;
            rl_transition t = {S[h], a, st.reward, st.next, terminated,
                               !terminated && h + 1 == OLR_CAP};
            a = rl_learner_observe(l, &t, r);
            h++;
            S[h] = st.next;
            R[h] = st.reward;
            /* Horizon h, from W[0]. */
            memcpy(w, W, n * sizeof *w);
            for (size_t t0 = 0; t0 < h; t0++) {
                double g_lambda = 0.0, weight = 1.0 - lambda;
                double g = 0.0, discount = 1.0;
                for (size_t k = 1; t0 + k <= h; k++) {
                    g += discount * R[t0 + k];
                    discount *= gamma;
                    size_t j = t0 + k;
                    bool end = terminated && j == h;
                    double g_k = g + (end ? 0.0 : discount * W[(j - 1) * n + S[j]]);
                    if (j < h) {
                        g_lambda += weight * g_k;
                        weight *= lambda;
                    } else {
                        g_lambda += weight / (1.0 - lambda) * g_k; /* lambda^(h-t0-1) */
                    }
                }
                w[S[t0]] += alpha * (g_lambda - w[S[t0]]);
            }
            memcpy(W + h * n, w, n * sizeof *w);
            rl_learner_values(l, got);
            for (size_t s = 0; s < n; s++)
                if (!(fabs(got[s] - w[s]) <= 1e-9))
                    fail_msg("episode %zu, step %zu: v(%zu) = %.15g, online lambda-return "
                             "%.15g",
                             e, h, s, got[s], w[s]);
        }
        lf_end(l);
        terminated_episodes += terminated;
        truncated_episodes += !terminated;
    }
    assert_true(terminated_episodes > 10 && truncated_episodes > 10);
    free(W);
    free(w);
    free(got);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_env_free(env);
}

/* ---- convergence on the 5-state walk ---- */

/* As in test_prediction.c: 16 runs of 5000 episodes at alpha 0.01 on random_walk5, the mean
 * within 5 standard errors of 1/6 .. 5/6 plus 0.01 (what is left of the initial error, at
 * most exp(-0.01 * 0.134 * 5000) = 1.2e-3 of it for the slowest, TD(0)-like, rate, and the
 * bias of order alpha), and the runs' sd below 0.1 (every-visit MC's, the largest, is about
 * 0.08). */
static const double walk5_truth[7] = {0.0, 1.0 / 6, 2.0 / 6, 3.0 / 6, 4.0 / 6, 5.0 / 6, 0.0};

static void test_converges_on_the_walk(void **state)
{
    (void)state;
#define CONVERGES(name, ...)                                                                \
    lf_expect_converges(name,                                                               \
                        (const char *const[]){"gamma", "1", "alpha", "0.01", __VA_ARGS__,  \
                                              NULL},                                        \
                        "random_walk5", walk5_truth, 16, 5000, 0.01, 0.1)
    CONVERGES("lambda_return", "lambda", "0.5");
    CONVERGES("td_lambda", "lambda", "0.5");
    CONVERGES("td_lambda", "lambda", "0.9", "trace", "replacing");
    CONVERGES("true_online_td", "lambda", "0.5");
    CONVERGES("true_online_td", "lambda", "1");
#undef CONVERGES
}

/* Sarsa(lambda) with epsilon = 1 behaves uniformly (Zhao's rule: every draw falls below
 * epsilon), so it evaluates the uniform policy: q(s, a) = r + v(s') on the walk, i.e.
 * q(s, left) = (s - 1) / 6 and q(s, right) = (s + 1) / 6 (1 for E's step onto the +1 end).
 * 16 runs of 8000 episodes at alpha 0.01, lambda 0.5 (a pair gets half its state's visits,
 * hence more episodes than above for the same decay); the same 5 standard errors plus
 * 0.01, and the runs' sd below 0.1. */
static void test_sarsa_lambda_evaluates_uniform(void **state)
{
    (void)state;
    enum { K = 16, E = 8000 };
    double q[K][14];
    for (size_t k = 0; k < K; k++) {
        rl_env *env = lf_env("random_walk5", NULL);
        const rl_space *sp = rl_env_space(env);
        assert_int_equal(sp->n_states * sp->n_actions, 14);
        rl_learner *l = lf_learner("sarsa_lambda", sp,
                                   (const char *const[]){"gamma", "1", "alpha", "0.01",
                                                         "lambda", "0.5", "epsilon", "1",
                                                         NULL});
        gsl_rng *r = rl_rng_alloc(rl_rng_seed(555, 0, k), NULL);
        lf_run(env, l, r, E, 0, NULL);
        rl_learner_action_values(l, q[k]);
        rl_learner_free(l);
        rl_rng_free(r);
        rl_env_free(env);
    }
    double worst = 0.0;
    for (size_t s = 1; s <= 5; s++) {
        for (size_t a = 0; a < 2; a++) {
            double truth = (double)(a == LEFT ? s - 1 : s + 1) / 6.0;
            double mean = 0.0, ss = 0.0;
            for (size_t k = 0; k < K; k++)
                mean += q[k][s * 2 + a] / K;
            for (size_t k = 0; k < K; k++)
                ss += (q[k][s * 2 + a] - mean) * (q[k][s * 2 + a] - mean);
            double sd = sqrt(ss / (K - 1));
            if (!(fabs(mean - truth) <= 5.0 * sd / sqrt((double)K) + 0.01 && sd <= 0.1))
                fail_msg("q(%zu, %zu): mean %.6f, truth %.6f, sd %.3g", s, a, mean, truth, sd);
            worst = fabs(mean - truth) > worst ? fabs(mean - truth) : worst;
        }
    }
    print_message("sarsa_lambda epsilon 1: largest |mean - q_pi| %.2g\n", worst);
}

/* ---- a diverging step through the episode loop ---- */

/* TD(lambda) with accumulating traces blows up at large steps (S&B Fig 12.6: lambda 1,
 * alpha 1): the values grow by many orders of magnitude per episode while staying finite
 * for a while. The episode loop's value error must stay a number the result files can hold
 * (they refuse "inf"): finite while the values are, computed without squaring them (beyond
 * 1e154 the squares overflow). 16 episodes take this run's values past that, still finite;
 * the last episode's error is checked against the test's own computation in long double
 * from the final values. */
static void test_diverging_values_keep_a_finite_error(void **state)
{
    (void)state;
    rl_env *env = lf_env("random_walk19", NULL);
    const rl_space *sp = rl_env_space(env);
    const rl_mdp *m = rl_env_model(env);
    size_t n = sp->n_states;
    double pi[64], truth[32];
    assert_true(n <= 32);
    rl_policy_uniform(n, sp->n_actions, pi);
    rl_error err;
    assert_int_equal(rl_ground_truth_policy(m, pi, 1.0, truth, &err), RL_OK);
    rl_run_result res;
    assert_int_equal(rl_run_result_prepare(&res, env, sp, &err), RL_OK);
    gsl_rng *r = rl_rng_alloc(3, NULL);
    rl_learner *l = lf_learner("td_lambda", sp,
                               (const char *const[]){"gamma", "1", "lambda", "1", "alpha", "1",
                                                     NULL});
    rl_loop_options o = RL_LOOP_OPTIONS_DEFAULT;
    o.episodes = 16;
    o.truth = truth;
    assert_int_equal(rl_episode_loop(env, l, r, &o, &res, &err), RL_OK);
    const rl_episode_row *rows = res.episode_rows.data;
    for (size_t i = 0; i < res.episode_rows.n; i++)
        if (isinf(rows[i].value_rmse))
            fail_msg("episode %zu: value_rmse is infinite", i + 1);
    const rl_episode_row *last = &rows[res.episode_rows.n - 1];
    long double sum = 0.0L, big = 0.0L;
    size_t open = 0;
    bool finite = true;
    for (size_t s = 0; s < n; s++) {
        if (!rl_space_is_decision(sp, s))
            continue;
        long double d = (long double)res.values[s] - truth[s];
        finite &= isfinite(res.values[s]);
        big = fabsl(d) > big ? fabsl(d) : big;
        open++;
    }
    assert_true(finite); /* 16 episodes: past 1e155, short of overflow (this seed) */
    for (size_t s = 0; s < n; s++)
        if (rl_space_is_decision(sp, s)) {
            long double d = ((long double)res.values[s] - truth[s]) / big;
            sum += d * d;
        }
    double want = (double)(big * sqrtl(sum / open));
    print_message("td_lambda alpha 1: last value_rmse %.6g\n", last->value_rmse);
    assert_true(want > 1e155);
    assert_close(last->value_rmse, want, 1e-12 * want);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_run_result_free(&res);
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_lambda_return_single),
        cmocka_unit_test(test_td_lambda_single),
        cmocka_unit_test(test_true_online_single),
        cmocka_unit_test(test_sarsa_lambda_single),
        cmocka_unit_test(test_sarsa_lambda_behavior),
        cmocka_unit_test(test_lambda_zero_is_one_step),
        cmocka_unit_test(test_lambda_return_zero_is_td0),
        cmocka_unit_test(test_lambda_return_one_is_mc),
        cmocka_unit_test(test_dense_reference),
        cmocka_unit_test(test_lambda_return_reference),
        cmocka_unit_test(test_true_online_is_online_lambda_return),
        cmocka_unit_test(test_converges_on_the_walk),
        cmocka_unit_test(test_sarsa_lambda_evaluates_uniform),
        cmocka_unit_test(test_diverging_values_keep_a_finite_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Conformance of the gridworld env over every preset and some stochastic variants: the model
 * is a proper MDP that agrees with the map (walls, terminals, start distribution), its compact
 * form agrees with its outcome lists, and step()/reset() sample from it.
 *
 * Statistical checks. A frequency f of an event of probability p over n independent draws
 * has standard deviation sqrt(p (1 - p) / n); we accept |f - p| <= 5 of those. With n = 10^5
 * every event checked here has n p >= 4000 (the smallest p is 1/25, a start cell of the 5x5
 * grid), so the normal approximation holds and a correct implementation fails one comparison
 * with probability 2 * Phi(-5) = 5.7e-7. This file makes under 2000 such comparisons (19
 * envs, each at most 25 start cells and 4 sampled (s, a) of at most 9 outcomes), so the
 * false-alarm rate of the whole program is below 1.2e-3 for a random seed; the seeds are
 * fixed, so a given build passes or fails every time.
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/support.h"

#include "envs/registry.h"
#include "tests/gridworld_fixture.h"

#define N_SAMPLES 100000
#define Z_BOUND 5.0
#define MAX_OUTCOMES 64

/* A variant: a preset and the keys that change it. */
typedef struct variant {
    const char *preset;
    const char *kv[8];
} variant;

/* The stochastic variants the README names, and combinations of slip with the other rules.
 * (FrozenLake, slippery as shipped with slip = 2/3, is covered by the loop over presets.) */
static const variant extra_variants[] = {
    {"windy_gridworld", {"wind_noise", "true", NULL}}, /* S&B Exercise 6.10 */
    {"windy_gridworld", {"wind_noise", "true", "actions", "9", NULL}},
    {"windy_gridworld", {"slip", "0.2", NULL}},
    {"zhao5x5", {"slip", "0.3", "actions", "9", NULL}},
    {"cliff_walking", {"slip", "0.1", NULL}},
    {"dyna_maze", {"slip", "0.5", NULL}},
    {"dyna_maze", {"wind", "0 1 0 2 1 0 1 1 0", "wind_noise", "true", "actions", "9", NULL}},
    {"sb_gridworld5x5", {"slip", "0.25", NULL}}, /* slip next to jump cells */
    {"random_walk5", {"slip", "0.5", NULL}},     /* two actions slipping up or down: bumps */
};

static void build_variant(gw_fixture *g, const char *preset, const char *const *extra)
{
    const char *kv[16] = {"preset", preset};
    size_t n = 2;
    for (size_t i = 0; extra && extra[i]; i++)
        kv[n++] = extra[i];
    kv[n] = NULL;
    gw_build(g, NULL, kv);
}

static void check_frequency(size_t count, size_t n, double p, const char *what, size_t s,
                            size_t a, size_t next)
{
    double f = (double)count / (double)n;
    double bound = Z_BOUND * sqrt(p * (1.0 - p) / (double)n);
    if (!(fabs(f - p) <= bound))
        fail_msg("%s (s=%zu a=%zu -> %zu): frequency %.6f, model %.6f, bound %.2g", what, s, a,
                 next, f, p, bound);
}

/* The map character of each state is the preset's map text, and kinds follow the cells:
 * walls are '#', terminal states are exactly H and, with goal_terminal, G. */
static void check_cells(const gw_fixture *g, const char *preset_name)
{
    const rl_mdp *m = g->m;
    const rl_preset *p = rl_preset_find(preset_name, NULL);
    assert_non_null(p);
    const char *text = rl_preset_map_text(p->map);
    assert_non_null(text);
    size_t s = 0;
    for (const char *c = text; *c; c++) {
        if (*c == '\n' || *c == '\r')
            continue;
        assert_true(s < m->n_states);
        assert_int_equal(m->cell[s], *c);
        s++;
    }
    assert_int_equal(s, m->n_states);
    assert_int_equal(m->rows * m->cols, m->n_states);

    bool goal_terminal = strcmp(rl_params_text(g->params, "goal_terminal"), "true") == 0;
    for (s = 0; s < m->n_states; s++) {
        char c = m->cell[s];
        int want = c == '#' ? RL_STATE_WALL
                   : (c == 'H' || (c == 'G' && goal_terminal)) ? RL_STATE_TERMINAL
                                                               : RL_STATE_OPEN;
        if (m->kind[s] != want)
            fail_msg("%s: state %zu '%c' has kind %d, expected %d", preset_name, s, c,
                     m->kind[s], want);
    }
}

/* The start distribution the README defines: uniform over the S cells, or when there are
 * none over the open cells that are not terminal, cliff or forbidden. */
static void check_start_distribution(const rl_mdp *m)
{
    size_t n_s = 0, n_open = 0;
    for (size_t s = 0; s < m->n_states; s++) {
        n_s += m->cell[s] == 'S';
        n_open += m->kind[s] == RL_STATE_OPEN && m->cell[s] != 'C' && m->cell[s] != 'X';
    }
    double total = 0.0;
    for (size_t s = 0; s < m->n_states; s++) {
        bool in = n_s ? m->cell[s] == 'S'
                      : m->kind[s] == RL_STATE_OPEN && m->cell[s] != 'C' && m->cell[s] != 'X';
        double want = in ? 1.0 / (double)(n_s ? n_s : n_open) : 0.0;
        assert_close(m->start[s], want, 1e-12);
        total += m->start[s];
    }
    assert_close(total, 1.0, 1e-12);
}

/* Every (s, a) has outcomes summing to 1; at decision states each outcome has 0 < p <= 1,
 * goes to a non-wall state, is flagged terminal exactly when its next state is terminal, and
 * no two outcomes are the same (next, reward, terminal). */
static void check_outcomes(const rl_mdp *m, const char *name)
{
    size_t n_sa = m->n_states * m->n_actions;
    assert_int_equal(m->first[0], 0);
    for (size_t sa = 0; sa < n_sa; sa++) {
        size_t s = sa / m->n_actions;
        assert_true(m->first[sa + 1] > m->first[sa]);
        double sum = 0.0;
        for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++)
            sum += m->outcomes[k].probability;
        if (!(fabs(sum - 1.0) <= 1e-12))
            fail_msg("%s: outcomes of (s=%zu, a=%zu) sum to %.17g", name, s,
                     sa % m->n_actions, sum);
        if (!rl_mdp_is_decision(m, s))
            continue;
        for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++) {
            const rl_outcome *o = &m->outcomes[k];
            assert_true(o->probability > 0.0 && o->probability <= 1.0);
            assert_true(isfinite(o->reward));
            if (o->next == RL_MDP_RESTART) {
                /* Back to the start distribution: never terminal, and there are starts. */
                assert_int_equal(o->terminal, 0);
                assert_true(m->n_start_states > 0);
            } else {
                assert_true(o->next >= 0 && (size_t)o->next < m->n_states);
                assert_int_not_equal(m->kind[o->next], RL_STATE_WALL);
                assert_int_equal(o->terminal != 0, m->kind[o->next] == RL_STATE_TERMINAL);
            }
            for (uint32_t j = m->first[sa]; j < k; j++) {
                const rl_outcome *q = &m->outcomes[j];
                if (q->next == o->next && q->reward == o->reward && q->terminal == o->terminal)
                    fail_msg("%s: (s=%zu, a=%zu) lists next %d twice", name, s,
                             sa % m->n_actions, o->next);
            }
        }
    }
}

/* The compact form: sure_next is set exactly where an (s, a) has one outcome, and then
 * names its next state and reward; rl_mdp_backup (which reads the compact form) equals the
 * expectation over the outcome list for an arbitrary v. */
static void check_compact(const rl_mdp *m, gsl_rng *r)
{
    double *v = malloc(m->n_states * sizeof *v);
    assert_non_null(v);
    for (size_t s = 0; s < m->n_states; s++)
        v[s] = m->kind[s] == RL_STATE_OPEN ? 10.0 * gsl_rng_uniform(r) - 5.0 : 0.0;
    for (size_t sa = 0; sa < m->n_states * m->n_actions; sa++) {
        size_t s = sa / m->n_actions, a = sa % m->n_actions;
        uint32_t k0 = m->first[sa], k1 = m->first[sa + 1];
        if (k1 - k0 == 1 && m->outcomes[k0].next != RL_MDP_RESTART) {
            assert_int_equal(m->sure_next[sa], m->outcomes[k0].next);
            assert_true(m->sure_reward[sa] < m->n_rewards);
            assert_close(m->reward_table[m->sure_reward[sa]], m->outcomes[k0].reward, 0.0);
        } else {
            assert_int_equal(m->sure_next[sa], -1);
        }
        /* A restart's next value: v averaged over the start distribution. */
        double v_start = 0.0;
        for (size_t t = 0; t < m->n_states; t++)
            v_start += m->start[t] * v[t];
        double q = 0.0;
        for (uint32_t k = k0; k < k1; k++) {
            const rl_outcome *o = &m->outcomes[k];
            q += o->probability * (o->reward + 0.9 * (o->next == RL_MDP_RESTART ? v_start
                                                                                : v[o->next]));
        }
        assert_close(rl_mdp_backup(m, s, a, v, 0.9), q, 1e-12);
    }
    free(v);
}

/* One step from every decision (s, a): the result is one of the listed outcomes, and
 * terminated says whether the next state is terminal. For deterministic pairs this checks
 * the simulator against the model exhaustively. */
static void check_every_step(gw_fixture *g)
{
    const rl_mdp *m = g->m;
    for (size_t s = 0; s < m->n_states; s++) {
        if (!rl_mdp_is_decision(m, s))
            continue;
        for (size_t a = 0; a < m->n_actions; a++) {
            assert_int_equal(rl_env_reset_to(g->env, s, NULL), RL_OK);
            rl_step st = rl_env_step(g->env, a, g->r);
            size_t sa = s * m->n_actions + a;
            int found = 0;
            for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++) {
                const rl_outcome *o = &m->outcomes[k];
                bool to = o->next == RL_MDP_RESTART ? m->start[st.next] > 0.0
                                                    : (size_t)o->next == st.next;
                found |= to && o->reward == st.reward && (o->terminal != 0) == st.terminated;
            }
            if (!found)
                fail_msg("step from s=%zu a=%zu gave (%zu, %g, %d), not in the model", s, a,
                         st.next, st.reward, st.terminated);
            assert_int_equal(st.terminated, m->kind[st.next] == RL_STATE_TERMINAL);
        }
    }
    /* Walls and terminal states cannot be started from. */
    for (size_t s = 0; s < m->n_states; s++)
        if (!rl_mdp_is_decision(m, s))
            assert_int_equal(rl_env_reset_to(g->env, s, NULL), RL_EINVAL);
}

/* Samples step() N_SAMPLES times from (s, a) and compares each outcome's frequency with the
 * model's probability. */
static void check_step_sampling(gw_fixture *g, size_t s, size_t a)
{
    const rl_mdp *m = g->m;
    size_t sa = s * m->n_actions + a;
    uint32_t k0 = m->first[sa], n_out = m->first[sa + 1] - k0;
    assert_true(n_out <= MAX_OUTCOMES);
    size_t count[MAX_OUTCOMES] = {0};
    for (size_t i = 0; i < N_SAMPLES; i++) {
        assert_int_equal(rl_env_reset_to(g->env, s, NULL), RL_OK);
        rl_step st = rl_env_step(g->env, a, g->r);
        uint32_t k;
        for (k = 0; k < n_out; k++) {
            const rl_outcome *o = &m->outcomes[k0 + k];
            bool to = o->next == RL_MDP_RESTART ? m->start[st.next] > 0.0
                                                : (size_t)o->next == st.next;
            if (to && o->reward == st.reward && (o->terminal != 0) == st.terminated)
                break;
        }
        if (k == n_out)
            fail_msg("step from s=%zu a=%zu gave (%zu, %g), not in the model", s, a, st.next,
                     st.reward);
        count[k]++;
    }
    for (uint32_t k = 0; k < n_out; k++)
        check_frequency(count[k], N_SAMPLES, m->outcomes[k0 + k].probability, "step", s, a,
                        (size_t)m->outcomes[k0 + k].next);
}

/* Samples reset() and compares with the start distribution; reset never returns a state
 * with start 0. */
static void check_reset_sampling(gw_fixture *g)
{
    const rl_mdp *m = g->m;
    size_t *count = calloc(m->n_states, sizeof *count);
    assert_non_null(count);
    for (size_t i = 0; i < N_SAMPLES; i++) {
        size_t s = rl_env_reset(g->env, g->r);
        assert_true(s < m->n_states);
        if (!(m->start[s] > 0.0))
            fail_msg("reset returned state %zu whose start probability is 0", s);
        count[s]++;
    }
    for (size_t s = 0; s < m->n_states; s++)
        if (m->start[s] > 0.0)
            check_frequency(count[s], N_SAMPLES, m->start[s], "reset", s, 0, s);
    free(count);
}

/* Everything above for one built env; samples up to four stochastic (s, a) pairs, spread
 * over the state space, and returns how many stochastic pairs the model has. */
static size_t check_env(gw_fixture *g, const char *preset)
{
    check_cells(g, preset);
    check_start_distribution(g->m);
    check_outcomes(g->m, preset);
    check_compact(g->m, g->r);
    check_every_step(g);
    check_reset_sampling(g);

    /* The stochastic decision pairs, in (s, a) order; sample the ones at 0, 1/4, 1/2 and
     * 3/4 of that list. */
    const rl_mdp *m = g->m;
    size_t n_sa = m->n_states * m->n_actions, n_stochastic = 0;
    size_t *stochastic = malloc(n_sa * sizeof *stochastic);
    assert_non_null(stochastic);
    for (size_t sa = 0; sa < n_sa; sa++)
        if (rl_mdp_is_decision(m, sa / m->n_actions) && m->first[sa + 1] - m->first[sa] > 1)
            stochastic[n_stochastic++] = sa;
    for (size_t pick = 0; pick < 4 && pick < n_stochastic; pick++) {
        size_t sa = stochastic[pick * n_stochastic / 4];
        check_step_sampling(g, sa / m->n_actions, sa % m->n_actions);
    }
    free(stochastic);
    return n_stochastic;
}

static void test_every_preset(void **state)
{
    (void)state;
    size_t n = 0;
    for (const rl_preset *const *p = rl_presets; *p; p++, n++) {
        /* A map change has no single model to compare with; test_gridworld checks both
         * maps of the blocking and shortcut mazes and the step at which they change. */
        if ((*p)->map_after)
            continue;
        gw_fixture g;
        build_variant(&g, (*p)->name, NULL);
        size_t n_stochastic = check_env(&g, (*p)->name);
        /* FrozenLake ships slippery; every other preset is deterministic. */
        if (strncmp((*p)->name, "frozenlake", 10) == 0)
            assert_true(n_stochastic > 0);
        else
            assert_int_equal(n_stochastic, 0);
        gw_free(&g);
    }
    assert_int_equal(n, 12); /* 8 + the two changing mazes + the two random walks */
}

static void test_stochastic_variants(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof extra_variants / sizeof extra_variants[0]; i++) {
        gw_fixture g;
        build_variant(&g, extra_variants[i].preset, extra_variants[i].kv);
        size_t n_stochastic = check_env(&g, extra_variants[i].preset);
        if (n_stochastic == 0)
            fail_msg("variant %zu (%s) has no stochastic (s, a)", i, extra_variants[i].preset);
        gw_free(&g);
    }
}

/* A map of cliffs without an S: moves into a cliff go back to the start distribution
 * (uniform over the 8 open cells that are not cliff or goal) as one restart outcome. Every
 * check above, and step()'s next state after a restart sampled against p * start[k] for
 * each start cell. */
static void test_restart_outcomes(void **state)
{
    (void)state;
    gw_fixture g;
    gw_build(&g, ".C..\n..C.\n.#.G\n", (const char *const[]){"goal_terminal", "true", "slip",
                                                             "0.2", NULL});
    const rl_mdp *m = g.m;
    check_start_distribution(m);
    check_outcomes(m, "cliffs");
    check_compact(m, g.r);
    check_every_step(&g);
    check_reset_sampling(&g);
    assert_int_equal(m->n_start_states, 8);
    /* (0,0) right: into the cliff (0,1) with 0.8, slips up (a bump, 0.1) and down to (1,0)
     * (0.1). Its restart outcome has probability 0.8. */
    size_t s = gw_state(m, 0, 0), a = gw_action(m, "right"), sa = s * m->n_actions + a;
    size_t restart = m->first[sa];
    while (restart < m->first[sa + 1] && m->outcomes[restart].next != RL_MDP_RESTART)
        restart++;
    assert_true(restart < m->first[sa + 1]);
    assert_close(m->outcomes[restart].probability, 0.8, 1e-12);
    check_step_sampling(&g, s, a);
    size_t *count = calloc(m->n_states, sizeof *count);
    assert_non_null(count);
    size_t restarts = 0;
    for (size_t i = 0; i < N_SAMPLES; i++) {
        assert_int_equal(rl_env_reset_to(g.env, s, NULL), RL_OK);
        rl_step st = rl_env_step(g.env, a, g.r);
        if (st.reward == -100.0) {
            count[st.next]++;
            restarts++;
        }
    }
    for (size_t t = 0; t < m->n_states; t++) {
        if (m->start[t] > 0.0)
            check_frequency(count[t], N_SAMPLES, 0.8 / 8.0, "restart", s, a, t);
        else
            assert_int_equal(count[t], 0);
    }
    assert_true(restarts > 0);
    free(count);
    gw_free(&g);
}

/* FrozenLake as Gymnasium ships it: slip 2/3, so a move from (2,1) goes down, left or right
 * with 1/3 each; reward 1 on reaching G, 0 else; H and G terminal; 100 / 200 steps. */
static void test_frozenlake_is_slippery(void **state)
{
    (void)state;
    gw_fixture g;
    build_variant(&g, "frozenlake4x4", NULL);
    assert_close(strtod(rl_params_text(g.params, "slip"), NULL), 2.0 / 3.0, 1e-9);
    const double third = 1.0 / 3.0;
    const gw_out down[] = {{3, 1, 0.0, 0, third}, {2, 0, 0.0, 0, third}, {2, 2, 0.0, 0, third}};
    gw_expect(&g, 2, 1, "down", down, 3);
    /* (2,2) right: intended (2,3) is a hole; slips to (1,2) and (3,2). */
    const gw_out right[] = {{2, 3, 0.0, 1, third}, {1, 2, 0.0, 0, third}, {3, 2, 0.0, 0, third}};
    gw_expect(&g, 2, 2, "right", right, 3);
    /* (3,2) right: the goal with 1/3 (reward 1, terminal); up to (2,2); down bumps and
     * stays with Gymnasium's reward 0. */
    const gw_out goal[] = {{3, 3, 1.0, 1, third}, {2, 2, 0.0, 0, third}, {3, 2, 0.0, 0, third}};
    gw_expect(&g, 3, 2, "right", goal, 3);
    assert_int_equal(g.m->n_actions, 4);
    gw_free(&g);

    const rl_preset *p4 = rl_preset_find("frozenlake4x4", NULL);
    const rl_preset *p8 = rl_preset_find("frozenlake8x8", NULL);
    assert_non_null(p4);
    assert_non_null(p8);
    assert_int_equal(p4->max_steps, 100);
    assert_int_equal(p8->max_steps, 200);
}

/* Preset and registry lookups: every preset is found by its name with an embedded map; a
 * miss lists the valid names; the gridworld is in the env registry. */
static void test_registries(void **state)
{
    (void)state;
    rl_error err;
    for (const rl_preset *const *p = rl_presets; *p; p++) {
        assert_ptr_equal(rl_preset_find((*p)->name, &err), *p);
        assert_non_null(rl_preset_map_text((*p)->map));
        assert_non_null((*p)->doc);
        assert_non_null((*p)->settings);
    }
    assert_null(rl_preset_map_text("no_such_map"));

    assert_ptr_equal(rl_env_type_find(rl_gridworld->name, &err), rl_gridworld);
    int found = 0;
    for (const rl_env_type *const *t = rl_env_types; *t; t++)
        found |= *t == rl_gridworld;
    assert_true(found);
    assert_null(rl_env_type_find("no_such_env", &err));
    assert_int_equal(err.code, RL_ENOTFOUND);
    assert_contains(err.message, rl_gridworld->name);
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_preset),
        cmocka_unit_test(test_stochastic_variants),
        cmocka_unit_test(test_restart_outcomes),
        cmocka_unit_test(test_frozenlake_is_slippery),
        cmocka_unit_test(test_registries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

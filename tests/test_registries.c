/* Conformance over the registries: every registered agent and every registered env type
 * keeps the contracts of its interface, so a type added later is checked without a test of
 * its own having to remember to.
 *
 * Agents, on two envs (Zhao's 5x5 world, whose episodes only end by truncation, and cliff
 * walking, whose goal is terminal), from their default parameters:
 * - the same seed gives the same results, bit for bit (episode rows, values, policy);
 * - policy rows of decision states are probabilities summing to 1 (within 1e-12: each row
 *   is a handful of exact fractions or ones), and values and action values are finite;
 * - a learner's first action and every action it returns are valid actions;
 * - everything is freed (the sanitizer build's leak check).
 * Envs, from a sample parameter set each (a registered type without one fails here):
 * - the space is consistent (n_states = rows x cols, known kinds, named distinct actions) and
 *   agrees with the model where there is one;
 * - reset gives a decision state, step stays in range and terminates exactly on entering a
 *   terminal state, the same seed gives the same trajectory.
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/support.h"

#include <stdbool.h>
#include <stdlib.h>

#include "agents/registry.h"
#include "envs/registry.h"
#include "experiments/runner/episode_loop.h"
#include "rl/ground_truth.h"
#include "rl/rng.h"

/* One valid parameter set per env type: "key", "value", ... NULL. */
static const struct {
    const char *type;
    const char *const kv[8];
} ENV_SAMPLES[] = {
    {"gridworld", {"preset", "cliff_walking", NULL}},
    {"mdp", {"file", GRIDRL_SOURCE_DIR "/experiments/configs/maps/maximization_bias.mdp", NULL}},
};

static const char *const *env_sample(const char *type)
{
    for (size_t i = 0; i < sizeof ENV_SAMPLES / sizeof ENV_SAMPLES[0]; i++)
        if (strcmp(ENV_SAMPLES[i].type, type) == 0)
            return ENV_SAMPLES[i].kv;
    fail_msg("env type %s has no sample parameters in test_registries.c: add one", type);
    return NULL;
}

static rl_env *make_env(const rl_env_type *type, const char *const *kv)
{
    rl_params *p = rl_params_alloc(type->params);
    assert_non_null(p);
    rl_error err;
    for (size_t i = 0; kv[i]; i += 2)
        if (rl_params_set(p, kv[i], kv[i + 1], &err) != RL_OK)
            fail_msg("%s: %s = %s: %s", type->name, kv[i], kv[i + 1], err.message);
    rl_env *env;
    if (rl_env_alloc(type, p, &env, &err) != RL_OK)
        fail_msg("%s: %s", type->name, err.message);
    rl_params_free(p);
    return env;
}

static rl_env *gridworld(const char *preset)
{
    const rl_env_type *type = rl_env_type_find("gridworld", NULL);
    assert_non_null(type);
    return make_env(type, (const char *const[]){"preset", preset, NULL});
}

/* Policy rows of decision states: probabilities summing to 1. */
static void check_policy(const char *who, const rl_space *sp, const double *pi)
{
    for (size_t s = 0; s < sp->n_states; s++) {
        if (!rl_space_is_decision(sp, s))
            continue;
        double sum = 0.0;
        for (size_t a = 0; a < sp->n_actions; a++) {
            double p = pi[s * sp->n_actions + a];
            if (!(p >= 0.0 && p <= 1.0))
                fail_msg("%s: pi(%zu | %zu) = %g is not a probability", who, a, s, p);
            sum += p;
        }
        if (!(fabs(sum - 1.0) <= 1e-12))
            fail_msg("%s: the policy row of state %zu sums to %.17g", who, s, sum);
    }
}

static void check_finite(const char *who, const char *what, const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            fail_msg("%s: %s[%zu] = %g is not finite", who, what, i, x[i]);
}

/* What one learner run leaves, for comparing two runs. */
typedef struct outcome {
    rl_run_result res;
    double *q; /* NULL without action values */
} outcome;

static void outcome_free(outcome *o)
{
    rl_run_result_free(&o->res);
    free(o->q);
}

/* A learner of type with its default parameters, 30 episodes of at most 60 steps on the
 * preset, seed 7, through the library's episode loop. */
static void run_learner(const rl_learner_type *type, const char *preset, outcome *out)
{
    rl_env *env = gridworld(preset);
    const rl_space *sp = rl_env_space(env);
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(rl_run_result_prepare(&out->res, env, sp, &err), RL_OK);
    rl_params *p = rl_params_alloc(type->params);
    assert_non_null(p);
    gsl_rng *r = rl_rng_alloc(7, NULL);
    assert_non_null(r);
    rl_learner *l;
    if (rl_learner_alloc(type, sp, p, NULL, r, &l, &err) != RL_OK)
        fail_msg("%s on %s: %s", type->name, preset, err.message);
    rl_loop_options o = RL_LOOP_OPTIONS_DEFAULT;
    o.episodes = 30;
    o.max_steps = 60;
    o.log_every_steps = 50;
    o.gamma = 0.9;
    int rc = rl_episode_loop(env, l, r, &o, &out->res, &err);
    if (rc != RL_OK)
        fail_msg("%s on %s: %s", type->name, preset, err.message);
    assert_true(out->res.episodes >= 1);
    out->q = malloc(sp->n_states * sp->n_actions * sizeof *out->q);
    assert_non_null(out->q);
    if (!rl_learner_action_values(l, out->q)) {
        free(out->q);
        out->q = NULL;
    }
    rl_learner_free(l);
    rl_rng_free(r);
    rl_params_free(p);
}

static bool same_rows(const rl_rows *a, const rl_rows *b)
{
    return a->n == b->n && a->size == b->size &&
           (a->n == 0 || memcmp(a->data, b->data, a->n * a->size) == 0);
}

static void test_learners(void **state)
{
    (void)state;
    size_t checked = 0;
    const rl_agent *agent;
    for (size_t i = 0; (agent = rl_agent_at(i)); i++) {
        if (agent->kind != RL_AGENT_LEARNER)
            continue;
        const rl_learner_type *type = agent->learner;
        assert_non_null(type->init);
        assert_non_null(type->begin_episode);
        assert_non_null(type->observe);
        assert_non_null(type->end_episode);
        assert_non_null(type->policy);
        const char *presets[] = {"zhao5x5", "cliff_walking"};
        for (size_t k = 0; k < 2; k++) {
            outcome a = {0}, b = {0};
            run_learner(type, presets[k], &a);
            run_learner(type, presets[k], &b);
            const rl_space *sp = rl_env_space(a.res.env);
            char who[96];
            snprintf(who, sizeof who, "%s on %s", type->name, presets[k]);
            /* Same seed, same results. */
            if (!same_rows(&a.res.episode_rows, &b.res.episode_rows) ||
                !same_rows(&a.res.step_rows, &b.res.step_rows) ||
                memcmp(a.res.policy, b.res.policy,
                       sp->n_states * sp->n_actions * sizeof *a.res.policy) != 0)
                fail_msg("%s: two runs with the same seed differ", who);
            if (type->values) {
                check_finite(who, "v", a.res.values, sp->n_states);
                assert_memory_equal(a.res.values, b.res.values,
                                    sp->n_states * sizeof *a.res.values);
            }
            if (a.q)
                check_finite(who, "q", a.q, sp->n_states * sp->n_actions);
            assert_true((a.q != NULL) == (type->action_values != NULL));
            check_policy(who, sp, a.res.policy);
            outcome_free(&a);
            outcome_free(&b);
            checked++;
        }
    }
    assert_true(checked >= 2 * 10); /* the registry's learners were found */
}

static void test_planners(void **state)
{
    (void)state;
    size_t checked = 0;
    const rl_agent *agent;
    for (size_t i = 0; (agent = rl_agent_at(i)); i++) {
        if (agent->kind != RL_AGENT_PLANNER)
            continue;
        const rl_planner_type *type = agent->planner;
        rl_env *env = gridworld("zhao5x5");
        const rl_mdp *m = rl_env_model(env);
        const rl_space *sp = rl_env_space(env);
        rl_params *p = rl_params_alloc(type->params);
        assert_non_null(p);
        double *v[2], *pi[2];
        for (int run = 0; run < 2; run++) {
            rl_error err;
            rl_planner *planner;
            if (rl_planner_alloc(type, m, p, NULL, &planner, &err) != RL_OK)
                fail_msg("%s: %s", type->name, err.message);
            int rc;
            size_t n = 0;
            do {
                rl_sweep_report report;
                rc = rl_planner_iterate(planner, &report, &err);
                if (rc < 0)
                    fail_msg("%s: iteration %zu: %s", type->name, n + 1, err.message);
            } while (rc == RL_CONTINUE && ++n < 100000);
            assert_int_equal(rc, RL_OK); /* every planner converges on Zhao's world */
            v[run] = malloc(sp->n_states * sizeof *v[run]);
            pi[run] = malloc(sp->n_states * sp->n_actions * sizeof *pi[run]);
            assert_true(v[run] && pi[run]);
            rl_planner_values(planner, v[run]);
            rl_planner_policy(planner, pi[run]);
            double *q = malloc(sp->n_states * sp->n_actions * sizeof *q);
            assert_non_null(q);
            if (rl_planner_action_values(planner, q))
                check_finite(type->name, "q", q, sp->n_states * sp->n_actions);
            free(q);
            rl_planner_free(planner);
        }
        check_finite(type->name, "v", v[0], sp->n_states);
        check_policy(type->name, sp, pi[0]);
        assert_memory_equal(v[0], v[1], sp->n_states * sizeof *v[0]);
        assert_memory_equal(pi[0], pi[1], sp->n_states * sp->n_actions * sizeof *pi[0]);
        /* Control planners end at v* (to their theta); prediction ones at v_pi. */
        if (!type->prediction) {
            double truth[25];
            assert_int_equal(sp->n_states, 25);
            assert_int_equal(rl_ground_truth_optimal(m, 0.9, truth, NULL), RL_OK);
            for (size_t s = 0; s < 25; s++)
                assert_close(v[0][s], truth[s], 1e-6);
        }
        for (int run = 0; run < 2; run++) {
            free(v[run]);
            free(pi[run]);
        }
        rl_params_free(p);
        rl_env_free(env);
        checked++;
    }
    assert_true(checked >= 4);
}

static void test_envs(void **state)
{
    (void)state;
    size_t checked = 0;
    for (const rl_env_type *const *t = rl_env_types; *t; t++) {
        const rl_env_type *type = *t;
        assert_non_null(type->init);
        assert_non_null(type->space);
        assert_non_null(type->reset);
        assert_non_null(type->step);
        rl_env *env[2] = {make_env(type, env_sample(type->name)),
                          make_env(type, env_sample(type->name))};
        const rl_space *sp = rl_env_space(env[0]);
        assert_true(sp->n_states >= 1 && sp->n_actions >= 1);
        assert_true(sp->n_actions <= RL_MAX_ACTIONS);
        assert_int_equal(sp->n_states, sp->rows * sp->cols);
        size_t decisions = 0;
        for (size_t s = 0; s < sp->n_states; s++) {
            assert_true(sp->kind[s] <= RL_STATE_WALL);
            decisions += rl_space_is_decision(sp, s);
        }
        assert_true(decisions >= 1);
        for (size_t a = 0; a < sp->n_actions; a++) {
            assert_true(sp->action_names[a][0] != '\0');
            assert_int_equal(rl_space_action_index(sp, sp->action_names[a]), (int)a);
        }
        const rl_mdp *m = rl_env_model(env[0]);
        if (m) {
            assert_int_equal(m->n_states, sp->n_states);
            assert_int_equal(m->n_actions, sp->n_actions);
            assert_memory_equal(m->kind, sp->kind, sp->n_states);
        }
        /* Two envs, one seed each, the same random actions: the same trajectory. */
        gsl_rng *r[2] = {rl_rng_alloc(11, NULL), rl_rng_alloc(11, NULL)};
        gsl_rng *actions = rl_rng_alloc(12, NULL);
        assert_true(r[0] && r[1] && actions);
        size_t s[2] = {rl_env_reset(env[0], r[0]), rl_env_reset(env[1], r[1])};
        assert_int_equal(s[0], s[1]);
        assert_true(rl_space_is_decision(sp, s[0]));
        for (size_t step = 0; step < 5000; step++) {
            size_t a = gsl_rng_uniform_int(actions, sp->n_actions);
            rl_step x = rl_env_step(env[0], a, r[0]), y = rl_env_step(env[1], a, r[1]);
            assert_int_equal(x.next, y.next);
            assert_memory_equal(&x.reward, &y.reward, sizeof x.reward);
            assert_int_equal(x.terminated, y.terminated);
            assert_true(x.next < sp->n_states);
            assert_true(sp->kind[x.next] != RL_STATE_WALL);
            assert_true(x.terminated == (sp->kind[x.next] == RL_STATE_TERMINAL));
            if (x.terminated) {
                s[0] = rl_env_reset(env[0], r[0]);
                s[1] = rl_env_reset(env[1], r[1]);
                assert_int_equal(s[0], s[1]);
            }
        }
        rl_rng_free(r[0]);
        rl_rng_free(r[1]);
        rl_rng_free(actions);
        rl_env_free(env[0]);
        rl_env_free(env[1]);
        checked++;
    }
    assert_true(checked >= 1);
}

/* An env without an exact model: a gridworld seen through a wrapper that hides its model.
 * The episode loop runs a learner on it as on any env; without a ground truth the value
 * errors are NaN (value_rmse empty). */
typedef struct hidden {
    rl_env *inner;
} hidden;

static int hidden_init(void *state, const rl_params *params, rl_error *err)
{
    (void)params;
    hidden *h = state;
    const rl_env_type *type = rl_env_type_find("gridworld", err);
    assert_non_null(type);
    rl_params *p = rl_params_alloc(type->params);
    assert_non_null(p);
    int rc = rl_params_set(p, "preset", "cliff_walking", err);
    if (rc == RL_OK)
        rc = rl_env_alloc(type, p, &h->inner, err);
    rl_params_free(p);
    return rc;
}

static void hidden_release(void *state) { rl_env_free(((hidden *)state)->inner); }
static const rl_space *hidden_space(const void *state)
{
    return rl_env_space(((const hidden *)state)->inner);
}
static size_t hidden_reset(void *state, gsl_rng *r)
{
    return rl_env_reset(((hidden *)state)->inner, r);
}
static rl_step hidden_step(void *state, size_t a, gsl_rng *r)
{
    return rl_env_step(((hidden *)state)->inner, a, r);
}

static const rl_param_spec hidden_params[] = {{NULL, 0, NULL, 0, 0, 0, NULL, NULL}};

static const rl_env_type hidden_type = {
    .name = "hidden",
    .doc = "cliff walking without its model",
    .params = hidden_params,
    .size = sizeof(hidden),
    .init = hidden_init,
    .release = hidden_release,
    .space = hidden_space,
    .reset = hidden_reset,
    .step = hidden_step,
};

static void test_env_without_model(void **state)
{
    (void)state;
    rl_params *p = rl_params_alloc(hidden_params);
    assert_non_null(p);
    rl_error err;
    rl_env *env;
    assert_int_equal(rl_env_alloc(&hidden_type, p, &env, &err), RL_OK);
    assert_null(rl_env_model(env));
    /* No reset_to: the env cannot start from a chosen state. */
    assert_int_equal(rl_env_reset_to(env, 0, NULL), RL_EUNSUPPORTED);
    const rl_space *sp = rl_env_space(env);
    rl_run_result res;
    assert_int_equal(rl_run_result_prepare(&res, env, sp, &err), RL_OK);
    const rl_agent *agent = rl_agent_find("q_learning", NULL);
    assert_non_null(agent);
    rl_params *ap = rl_params_alloc(agent->learner->params);
    assert_non_null(ap);
    gsl_rng *r = rl_rng_alloc(3, NULL);
    rl_learner *l;
    assert_int_equal(rl_learner_alloc(agent->learner, sp, ap, NULL, r, &l, &err), RL_OK);
    rl_loop_options o = RL_LOOP_OPTIONS_DEFAULT;
    o.episodes = 20;
    o.max_steps = 200;
    assert_int_equal(rl_episode_loop(env, l, r, &o, &res, &err), RL_OK);
    assert_int_equal(res.episode_rows.n, 20);
    for (size_t i = 0; i < res.episode_rows.n; i++) {
        const rl_episode_row *row = rl_rows_at(&res.episode_rows, i);
        assert_true(isnan(row->value_rmse));
        assert_true(row->length >= 1 && row->length <= 200);
    }
    /* A start rule needing reset_to fails cleanly with the env's code. */
    rl_run_result again;
    rl_env *env2;
    assert_int_equal(rl_env_alloc(&hidden_type, p, &env2, &err), RL_OK);
    assert_int_equal(rl_run_result_prepare(&again, env2, rl_env_space(env2), &err), RL_OK);
    o.start.kind = RL_START_UNIFORM;
    assert_int_equal(rl_episode_loop(env2, l, r, &o, &again, &err), RL_EUNSUPPORTED);
    rl_run_result_free(&again);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_params_free(ap);
    rl_params_free(p);
    rl_run_result_free(&res);
}

/* A program that only names a preset gets the preset's env, as a config file does: cliff
 * walking has 4 actions and a terminal goal (S&B Example 6.6), FrozenLake slips (each move
 * has 3 outcomes, Gymnasium's is_slippery), Zhao's world keeps its 5 actions. */
static void test_preset_through_the_api(void **state)
{
    (void)state;
    rl_env *cliff = gridworld("cliff_walking");
    const rl_space *sp = rl_env_space(cliff);
    assert_int_equal(sp->n_actions, 4);
    size_t goal = rl_space_state(sp, 3, 11);
    assert_int_equal(sp->kind[goal], RL_STATE_TERMINAL);
    rl_env_free(cliff);

    rl_env *lake = gridworld("frozenlake4x4");
    const rl_mdp *m = rl_env_model(lake);
    assert_int_equal(m->n_actions, 4);
    size_t start = rl_space_state(rl_env_space(lake), 0, 0), sa = start * 4 + 2; /* down */
    assert_int_equal(m->first[sa + 1] - m->first[sa], 3);
    rl_env_free(lake);

    rl_env *zhao = gridworld("zhao5x5");
    assert_int_equal(rl_env_space(zhao)->n_actions, 5);
    rl_env_free(zhao);
}

/* Env params made for another table are refused, not misread. */
static void test_env_params_of_another_table(void **state)
{
    (void)state;
    const rl_env_type *type = rl_env_type_find("gridworld", NULL);
    assert_non_null(type);
    static const rl_param_spec other[] = {
        {"x", RL_PARAM_INT, "1", 0, 9, 0, NULL, "a key of some other table"},
        {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
    };
    rl_params *p = rl_params_alloc(other);
    assert_non_null(p);
    rl_env *env = (rl_env *)p;
    assert_int_equal(rl_env_alloc(type, p, &env, NULL), RL_EINVAL);
    assert_null(env);
    rl_params_free(p);
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_learners),
        cmocka_unit_test(test_planners),
        cmocka_unit_test(test_envs),
        cmocka_unit_test(test_env_params_of_another_table),
        cmocka_unit_test(test_env_without_model),
        cmocka_unit_test(test_preset_through_the_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

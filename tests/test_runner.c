/* Tests of the experiment runner at library level: the episode loop (rl_run_learner) driven
 * with a recording test double, the start rules, and the statistics files results.c derives
 * from per-run episode rows.
 *
 * The double always takes one fixed action and records every transition it is shown, so the
 * expected trajectories are hand-traced on tiny maps (see each test's comment). Statistics are
 * checked against values computed by hand in the comments, with Student-t quantiles from
 * tables: t_{0.975,2} = 4.30265273, t_{0.975,3} = 3.18244631, t_{0.975,4} = 2.77644511.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include "tests/support.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agents/registry.h"
#include "experiments/io/csv.h"
#include "experiments/runner/config.h"
#include "experiments/runner/plan.h"
#include "experiments/runner/results.h"
#include "experiments/runner/run.h"
#include "experiments/runner/run_files.h"
#include "experiments/runner/truth_cache.h"
#include "envs/registry.h"
#include "rl/env.h"
#include "rl/alloc.h"
#include "rl/evaluate.h"
#include "rl/ground_truth.h"
#include "rl/policy.h"
#include "rl/rng.h"

#define T_975_2 4.30265273
#define T_975_3 3.18244631
#define T_975_4 2.77644511

static char tmpdir[] = "/tmp/gridrl_test_runner_XXXXXX";

/* ---- the recording test double ------------------------------------------------------ */

#define MAX_RECORDED 64
#define MAX_STATES 16

/* The double's learner state is private to the runner, so what it sees is kept here. */
static struct recorder {
    size_t action;             /* the action it always takes */
    bool use_hook;             /* answer the start hook with `hook` */
    rl_episode_start hook;
    rl_transition t[MAX_RECORDED];
    size_t n;                  /* transitions seen (counted past MAX_RECORDED) */
    size_t begins, ends, hooks;
    size_t first_state[MAX_STATES]; /* begin_episode's state, counted */
    size_t starts[MAX_RECORDED];    /* begin_episode's state, in order */
    size_t draws;                   /* numbers it draws from its generator at each step */
    size_t n_states, n_actions;
    bool nan_q;                /* action value (0, 0) is NaN, the state values stay 0 */
} rec;

static void recorder_reset(size_t action)
{
    memset(&rec, 0, sizeof rec);
    rec.action = action;
}

static int double_init(void *state, const rl_space *m, const rl_params *params,
                       const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)state;
    (void)params;
    (void)given_policy;
    (void)r;
    (void)err;
    rec.n_states = m->n_states;
    rec.n_actions = m->n_actions;
    return RL_OK;
}

static void double_start(void *state, gsl_rng *r, rl_episode_start *start)
{
    (void)state;
    (void)r;
    rec.hooks++;
    /* The runner promises a zeroed record. */
    assert_false(start->has_state || start->has_action || start->max_length);
    if (rec.use_hook)
        *start = rec.hook;
}

static size_t double_begin(void *state, size_t s, gsl_rng *r)
{
    (void)state;
    (void)r;
    if (rec.begins < MAX_RECORDED)
        rec.starts[rec.begins] = s;
    rec.begins++;
    if (s < MAX_STATES)
        rec.first_state[s]++;
    return rec.action;
}

static size_t double_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    (void)state;
    for (size_t i = 0; i < rec.draws; i++)
        gsl_rng_uniform(r);
    if (rec.n < MAX_RECORDED)
        rec.t[rec.n] = *t;
    rec.n++;
    return rec.action;
}

static int double_end(void *state, rl_error *err)
{
    (void)state;
    (void)err;
    rec.ends++;
    return RL_CONTINUE;
}

/* All values 0, so value_rmse is the RMS of the ground truth itself. */
static void double_values(const void *state, double *v)
{
    (void)state;
    for (size_t s = 0; s < rec.n_states; s++)
        v[s] = 0.0;
}

/* All 0, but q(0, 0) is NaN when rec.nan_q: max_a q(s, a) can stay finite while an action
 * value is not. */
static void double_action_values(const void *state, double *q)
{
    (void)state;
    for (size_t i = 0; i < rec.n_states * rec.n_actions; i++)
        q[i] = 0.0;
    if (rec.nan_q)
        q[0] = NAN;
}

static void double_policy(const void *state, double *pi)
{
    (void)state;
    for (size_t i = 0; i < rec.n_states * rec.n_actions; i++)
        pi[i] = i % rec.n_actions == rec.action ? 1.0 : 0.0;
}

static const rl_learner_type double_type = {
    .name = "recorder",
    .doc = "test double",
    .params = NULL,
    .size = 1,
    .init = double_init,
    .episode_start = double_start,
    .begin_episode = double_begin,
    .observe = double_observe,
    .end_episode = double_end,
    .values = double_values,
    .action_values = double_action_values,
    .policy = double_policy,
};

/* ---- building a plan and running the double through it ------------------------------- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        fail_msg("cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* Writes a map file into tmpdir; returns its path (in path). */
static const char *map_file(const char *name, const char *text, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", tmpdir, name);
    write_file(path, text);
    return path;
}

typedef struct fixture {
    rl_config *config;
    rl_plan *plan;
} fixture;

static int fixture_try(fixture *f, const char *text, rl_error *err)
{
    memset(f, 0, sizeof *f);
    rl_error_clear(err);
    int rc = rl_config_load_string(text, "runner_test.ini", tmpdir, &f->config, err);
    if (rc == RL_OK)
        rc = rl_plan_build(f->config, &f->plan, err);
    if (rc == RL_OK)
        rc = rl_plan_check(f->plan, err);
    return rc;
}

static void fixture_build(fixture *f, const char *text)
{
    rl_error err;
    if (fixture_try(f, text, &err) != RL_OK) {
        char buf[1024];
        rl_error_format(&err, buf, sizeof buf);
        fail_msg("config failed: %s\n%s", buf, text);
    }
}

static void fixture_free(fixture *f)
{
    rl_plan_free(f->plan);
    rl_config_free(f->config);
    memset(f, 0, sizeof *f);
}

/* Runs the double as configuration 0's agent (keeping the plan's agent parameters, so gamma
 * comes from [agent]) into res, which the caller frees: its generator seeded with seed, the
 * env's with env_seed (0: the double's, shared). */
static void run_double_seeded(const fixture *f, rl_run_result *res, unsigned long seed,
                              unsigned long env_seed)
{
    const rl_plan *p = f->plan;
    const rl_configuration *cfg = &p->configurations[0];
    rl_error err;
    rl_error_clear(&err);
    rl_env *env;
    double *pi = NULL;
    assert_int_equal(rl_run_setup(p, 0, &env, &pi, &err), RL_OK);
    assert_null(pi);
    const rl_space *sp = rl_env_space(env);
    assert_int_equal(rl_run_result_prepare(res, env, sp, &err), RL_OK);
    rl_loop_options o;
    assert_int_equal(rl_run_loop_options(p, cfg, sp, &o, &err), RL_OK);
    /* The truth the runner gives a control learner: v* at the agent's gamma. */
    res->has_truth =
        rl_ground_truth_optimal(rl_env_model(env), rl_run_gamma(cfg), res->truth, NULL) == RL_OK;
    o.truth = res->has_truth ? res->truth : NULL;
    gsl_rng *r = rl_rng_alloc(seed, NULL);
    gsl_rng *env_r = env_seed ? rl_rng_alloc(env_seed, NULL) : NULL;
    assert_non_null(r);
    o.env_r = env_r;
    rl_learner *learner;
    assert_int_equal(rl_learner_alloc(&double_type, sp, cfg->agent_params, NULL, r, &learner,
                                      &err),
                     RL_OK);
    int rc = rl_episode_loop(env, learner, r, &o, res, &err);
    rl_learner_free(learner);
    rl_rng_free(r);
    rl_rng_free(env_r);
    if (rc != RL_OK)
        fail_msg("rl_episode_loop: %d %s", rc, err.message);
}

static void run_double(const fixture *f, rl_run_result *res)
{
    run_double_seeded(f, res, 20240601, 0);
}

static const rl_episode_row *episode(const rl_run_result *res, size_t i)
{
    assert_true(i < res->episode_rows.n);
    return rl_rows_at(&res->episode_rows, i);
}

/* The 1x4 corridor "S..G", goal terminal, reward_step -1, reward_goal 1, gamma 0.9. */
static void corridor_config(char *buf, size_t size, const char *experiment)
{
    char path[512];
    map_file("corridor.map", "S..G\n", path, sizeof path);
    snprintf(buf, size,
             "[experiment]\n%s\n[env]\nmap = %s\ngoal_terminal = true\nreward_step = -1\n"
             "[agent]\nalgorithm = random\ngamma = 0.9\n",
             experiment, path);
}

/* Hand-traced "right" from S = (0,0): (0,0)->(0,1) r -1, (0,1)->(0,2) r -1, (0,2)->(0,3) G
 * r +1, terminal. Returns: 2 steps -1-1 = -2, discounted -1 - 0.9 = -1.9; 3 steps -1,
 * discounted -1 - 0.9 + 0.81 = -1.09. v* (gamma 0.9): v(2) = 1, v(1) = -1 + 0.9 = -0.1,
 * v(0) = -1 - 0.09 = -1.09 (G terminal); the double's values are 0, so value_rmse =
 * sqrt((1.09^2 + 0.1^2 + 1^2) / 3) over the three decision states. */
#define RMSE_ZERO sqrt((1.09 * 1.09 + 0.1 * 0.1 + 1.0 * 1.0) / 3.0)

static void check_transition(const rl_transition *t, size_t s, size_t a, double reward,
                             size_t next, bool terminated, bool truncated)
{
    assert_int_equal(t->state, s);
    assert_int_equal(t->action, a);
    assert_close(t->reward, reward, 1e-12);
    assert_int_equal(t->next, next);
    assert_int_equal(t->terminated, terminated);
    assert_int_equal(t->truncated, truncated);
}

/* An action value that stopped being finite in the middle of an episode that never ends
 * (the agent bumps into the corridor's left end for ever): the run ends as diverged at the
 * first check, after 65536 steps (issue item 3: estimates are checked mid-episode, the
 * action values as well as the state values, which stay finite here). Before, the run went on
 * to its budget of 300000 steps and was "completed". */
static void test_nan_action_value_mid_episode(void **state)
{
    (void)state;
    char text[1024];
    corridor_config(text, sizeof text, "episodes = 1\nsteps = 300000");
    fixture f;
    fixture_build(&f, text);
    rl_run_result res;
    recorder_reset(3); /* left: a bump at S, for ever */
    rec.nan_q = true;
    run_double(&f, &res);
    assert_string_equal(res.status, "diverged");
    assert_int_equal(res.steps, 65536);
    assert_int_equal(res.diverged_step, 65536);
    assert_int_equal(res.episodes, 0);
    rl_run_result_free(&res);
    fixture_free(&f);

    /* The same with finite action values runs to its budget. */
    fixture_build(&f, text);
    recorder_reset(3);
    run_double(&f, &res);
    assert_string_equal(res.status, "completed");
    assert_int_equal(res.steps, 300000);
    rl_run_result_free(&res);
    fixture_free(&f);
}

static void test_truncation(void **state)
{
    (void)state;
    char text[1024];
    corridor_config(text, sizeof text, "episodes = 3\nmax_steps = 2");
    fixture f;
    fixture_build(&f, text);
    rl_run_result res;
    recorder_reset(1); /* right */
    run_double(&f, &res);
    const rl_mdp *m = rl_env_model(res.env);
    assert_int_equal(rl_mdp_action_index(m, "right"), 1);

    /* Three episodes of two steps, each cut by the time limit on its second step. */
    assert_int_equal(res.episodes, 3);
    assert_int_equal(res.steps, 6);
    assert_int_equal(rec.n, 6);
    assert_int_equal(rec.begins, 3);
    assert_int_equal(rec.ends, 3);
    assert_int_equal(rec.hooks, 3);
    for (size_t e = 0; e < 3; e++) {
        check_transition(&rec.t[2 * e], 0, 1, -1, 1, false, false);
        check_transition(&rec.t[2 * e + 1], 1, 1, -1, 2, false, true);
        const rl_episode_row *row = episode(&res, e);
        assert_int_equal(row->episode, e + 1);
        assert_string_equal(row->outcome, "truncated");
        assert_int_equal(row->length, 2);
        assert_close(row->ret, -2.0, 1e-12);
        assert_close(row->discounted_return, -1.9, 1e-12);
        assert_close(row->value_rmse, RMSE_ZERO, 1e-9);
    }
    assert_string_equal(res.status, "completed");
    assert_true(res.has_truth);
    assert_close(res.truth[0], -1.09, 1e-9);
    assert_close(res.truth[1], -0.1, 1e-9);
    assert_close(res.truth[2], 1.0, 1e-9);
    /* The read-outs are the double's: values 0 and its one-hot policy on "right". */
    assert_close(res.values[1], 0.0, 0);
    assert_close(res.policy[0 * 5 + 1], 1.0, 0);
    assert_close(res.policy[0 * 5 + 0], 0.0, 0);
    rl_run_result_free(&res);
    fixture_free(&f);
}

static void test_termination(void **state)
{
    (void)state;
    /* max_steps 0 (no limit), and max_steps 3 = exactly the goal's distance: the goal step
     * is a termination, never also a truncation. */
    const char *limits[] = {"episodes = 2\nmax_steps = 0", "episodes = 2\nmax_steps = 3"};
    for (size_t i = 0; i < 2; i++) {
        char text[1024];
        corridor_config(text, sizeof text, limits[i]);
        fixture f;
        fixture_build(&f, text);
        rl_run_result res;
        recorder_reset(1);
        run_double(&f, &res);
        assert_int_equal(res.episodes, 2);
        assert_int_equal(res.steps, 6);
        assert_int_equal(rec.n, 6);
        for (size_t e = 0; e < 2; e++) {
            check_transition(&rec.t[3 * e], 0, 1, -1, 1, false, false);
            check_transition(&rec.t[3 * e + 1], 1, 1, -1, 2, false, false);
            check_transition(&rec.t[3 * e + 2], 2, 1, 1, 3, true, false);
            const rl_episode_row *row = episode(&res, e);
            assert_int_equal(row->episode, e + 1);
            assert_string_equal(row->outcome, "terminated");
            assert_int_equal(row->length, 3);
            assert_close(row->ret, -1.0, 1e-12);
            assert_close(row->discounted_return, -1.09, 1e-12);
        }
        rl_run_result_free(&res);
        fixture_free(&f);
    }
}

static void test_log_every_steps(void **state)
{
    (void)state;
    /* Two episodes of 3 steps (steps 1-3 and 4-6): a log row at total steps 2 (episode 1),
     * 4 and 6 (episode 2), each with the double's value error. */
    char text[1024];
    corridor_config(text, sizeof text, "episodes = 2\nlog_every_steps = 2");
    fixture f;
    fixture_build(&f, text);
    rl_run_result res;
    recorder_reset(1);
    run_double(&f, &res);
    assert_int_equal(res.step_rows.n, 3);
    static const size_t steps[] = {2, 4, 6}, episodes[] = {1, 2, 2};
    for (size_t i = 0; i < 3; i++) {
        const rl_step_row *row = rl_rows_at(&res.step_rows, i);
        assert_int_equal(row->step, steps[i]);
        assert_int_equal(row->episode, episodes[i]);
        assert_close(row->value_rmse, RMSE_ZERO, 1e-9);
    }
    rl_run_result_free(&res);
    fixture_free(&f);
}

static void test_budget(void **state)
{
    (void)state;
    /* steps = 5: episode 1 reaches G in 3 steps; episode 2 is cut after 2 more, reported to
     * the learner as a truncation and in the file as outcome budget; then the run ends. */
    char text[1024];
    corridor_config(text, sizeof text, "steps = 5");
    fixture f;
    fixture_build(&f, text);
    rl_run_result res;
    recorder_reset(1);
    run_double(&f, &res);
    assert_int_equal(res.steps, 5);
    assert_int_equal(res.episodes, 2);
    assert_int_equal(rec.n, 5);
    assert_int_equal(rec.ends, 2);
    check_transition(&rec.t[2], 2, 1, 1, 3, true, false);
    check_transition(&rec.t[3], 0, 1, -1, 1, false, false);
    check_transition(&rec.t[4], 1, 1, -1, 2, false, true);
    assert_string_equal(episode(&res, 0)->outcome, "terminated");
    const rl_episode_row *row = episode(&res, 1);
    assert_string_equal(row->outcome, "budget");
    assert_int_equal(row->length, 2);
    assert_close(row->ret, -2.0, 1e-12);
    assert_close(row->discounted_return, -1.9, 1e-12);
    assert_string_equal(res.status, "completed");
    rl_run_result_free(&res);
    fixture_free(&f);

    /* A budget that ends exactly where the time limit does: the limit names it (truncated),
     * and a budget of 4 with max_steps 3 cuts the second episode after 1 step (budget). */
    corridor_config(text, sizeof text, "steps = 4\nmax_steps = 2");
    fixture_build(&f, text);
    recorder_reset(1);
    run_double(&f, &res);
    assert_int_equal(res.episodes, 2);
    assert_string_equal(episode(&res, 0)->outcome, "truncated");
    assert_string_equal(episode(&res, 1)->outcome, "truncated");
    rl_run_result_free(&res);
    fixture_free(&f);

    corridor_config(text, sizeof text, "steps = 4\nmax_steps = 3");
    fixture_build(&f, text);
    recorder_reset(1);
    run_double(&f, &res);
    assert_int_equal(res.episodes, 2);
    assert_int_equal(episode(&res, 1)->length, 1);
    assert_string_equal(episode(&res, 1)->outcome, "budget");
    assert_true(rec.t[3].truncated);
    assert_false(rec.t[3].terminated);
    rl_run_result_free(&res);
    fixture_free(&f);
}

static void test_start_hook(void **state)
{
    (void)state;
    char text[1024];
    corridor_config(text, sizeof text, "episodes = 3\nmax_steps = 0");
    fixture f;
    fixture_build(&f, text);
    rl_run_result res;

    /* Start in (0,2) taking "left" (index 3) for one step: (0,2) -> (0,1), reward -1, cut
     * by the learner's own cap; begin_episode is never asked. */
    recorder_reset(1);
    rec.use_hook = true;
    rec.hook = (rl_episode_start){.has_state = true, .state = 2, .has_action = true,
                                  .action = 3, .max_length = 1};
    run_double(&f, &res);
    assert_int_equal(rec.hooks, 3);
    assert_int_equal(rec.begins, 0);
    assert_int_equal(rec.n, 3);
    for (size_t e = 0; e < 3; e++) {
        check_transition(&rec.t[e], 2, 3, -1, 1, false, true);
        assert_int_equal(episode(&res, e)->length, 1);
        assert_string_equal(episode(&res, e)->outcome, "truncated");
    }
    rl_run_result_free(&res);

    /* A state without an action: begin_episode is asked in that state; no cap given, so
     * "right" from (0,1) reaches G in 2 steps. */
    recorder_reset(1);
    rec.use_hook = true;
    rec.hook = (rl_episode_start){.has_state = true, .state = 1};
    run_double(&f, &res);
    assert_int_equal(rec.begins, 3);
    assert_int_equal(rec.first_state[1], 3);
    assert_int_equal(episode(&res, 0)->length, 2);
    assert_string_equal(episode(&res, 0)->outcome, "terminated");
    check_transition(&rec.t[0], 1, 1, -1, 2, false, false);
    rl_run_result_free(&res);
    fixture_free(&f);

    /* Cap 10 under max_steps 2: the smaller one, the time limit, wins. */
    corridor_config(text, sizeof text, "episodes = 1\nmax_steps = 2");
    fixture_build(&f, text);
    recorder_reset(1);
    rec.use_hook = true;
    rec.hook = (rl_episode_start){.max_length = 10};
    run_double(&f, &res);
    assert_int_equal(episode(&res, 0)->length, 2);
    assert_true(rec.t[1].truncated);
    rl_run_result_free(&res);

    /* Cap 1 under max_steps 2: the learner's cap wins. */
    recorder_reset(1);
    rec.use_hook = true;
    rec.hook = (rl_episode_start){.max_length = 1};
    run_double(&f, &res);
    assert_int_equal(episode(&res, 0)->length, 1);
    assert_string_equal(episode(&res, 0)->outcome, "truncated");
    check_transition(&rec.t[0], 0, 1, -1, 1, false, true);
    rl_run_result_free(&res);
    fixture_free(&f);
}

/* Map "S.#\n.HG": open non-terminal cells (0,0), (0,1), (1,0) = states 0, 1, 3; (0,2) is a
 * wall, (1,1) a hole and (1,2) the goal, both terminal. */
static void small_map_config(char *buf, size_t size, const char *experiment)
{
    char path[512];
    map_file("small.map", "S.#\n.HG\n", path, sizeof path);
    snprintf(buf, size,
             "[experiment]\n%s\n[env]\nmap = %s\ngoal_terminal = true\n"
             "[agent]\nalgorithm = random\n",
             experiment, path);
}

static void test_start_uniform(void **state)
{
    (void)state;
    char text[1024];
    small_map_config(text, sizeof text, "episodes = 3000\nmax_steps = 1\nstart = uniform");
    fixture f;
    fixture_build(&f, text);
    rl_run_result res;
    recorder_reset(4); /* stay */
    run_double(&f, &res);
    assert_int_equal(rec.begins, 3000);
    /* Each of the 3 cells: Binomial(3000, 1/3), mean 1000, sd sqrt(3000 * 1/3 * 2/3) = 25.8;
     * 5 sd = 129 (a false alarm has probability below 1e-6 per cell). */
    static const size_t open[] = {0, 1, 3}, closed[] = {2, 4, 5};
    for (size_t i = 0; i < 3; i++) {
        double count = (double)rec.first_state[open[i]];
        if (fabs(count - 1000.0) > 129.0)
            fail_msg("start = uniform: state %zu started %g times of 3000", open[i], count);
        assert_int_equal(rec.first_state[closed[i]], 0);
    }
    rl_run_result_free(&res);
    fixture_free(&f);

    /* start = "row col": always (1,0) = state 3, however the map's S says otherwise. */
    small_map_config(text, sizeof text, "episodes = 50\nmax_steps = 1\nstart = 1 0");
    fixture_build(&f, text);
    recorder_reset(4);
    run_double(&f, &res);
    assert_int_equal(rec.first_state[3], 50);
    assert_int_equal(rec.t[0].state, 3);
    rl_run_result_free(&res);
    fixture_free(&f);

    /* start = env: the map's single S. */
    small_map_config(text, sizeof text, "episodes = 20\nmax_steps = 1");
    fixture_build(&f, text);
    recorder_reset(4);
    run_double(&f, &res);
    assert_int_equal(rec.first_state[0], 20);
    rl_run_result_free(&res);
    fixture_free(&f);
}


/* The env's own generator (rl_loop_options.env_r, the runner's env stream): the env's draws
 * do not depend on the learner's. With start = uniform on a deterministic map every draw
 * of the env is an episode's start, so the 40 starts are the same whether the learner draws
 * nothing or three numbers a step, and whatever its own seed. Sharing one generator, its
 * draws move the starts: the 40 starts of 3 cells agree by chance with probability 3^-40. */
static void test_env_stream(void **state)
{
    (void)state;
    char text[1024];
    small_map_config(text, sizeof text, "episodes = 40\nmax_steps = 2\nstart = uniform");
    fixture f;
    fixture_build(&f, text);
    rl_run_result res;
    size_t quiet[40], busy[40];
    recorder_reset(4); /* stay: two steps, truncated */
    run_double_seeded(&f, &res, 11, 99);
    assert_int_equal(rec.begins, 40);
    memcpy(quiet, rec.starts, sizeof quiet);
    rl_run_result_free(&res);
    recorder_reset(4);
    rec.draws = 3;
    run_double_seeded(&f, &res, 12, 99);
    memcpy(busy, rec.starts, sizeof busy);
    rl_run_result_free(&res);
    assert_memory_equal(quiet, busy, sizeof quiet);
    /* One generator for both: the learner's draws change the starts. */
    recorder_reset(4);
    run_double_seeded(&f, &res, 99, 0);
    memcpy(quiet, rec.starts, sizeof quiet);
    rl_run_result_free(&res);
    recorder_reset(4);
    rec.draws = 3;
    run_double_seeded(&f, &res, 99, 0);
    rl_run_result_free(&res);
    assert_true(memcmp(quiet, rec.starts, sizeof quiet) != 0);
    fixture_free(&f);
}

static void test_start_errors(void **state)
{
    (void)state;
    /* A wall, a terminal cell, outside the grid, and not a start at all: each a config error
     * located at experiment.start (line 3 of the generated text). */
    const char *bad[] = {"start = 0 2", "start = 1 2", "start = 5 5", "start = -1 0",
                         "start = foo", "start = 0 1 2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[1024], experiment[128], msg[1024];
        snprintf(experiment, sizeof experiment, "episodes = 1\n%s", bad[i]);
        small_map_config(text, sizeof text, experiment);
        fixture f;
        rl_error err;
        int rc = fixture_try(&f, text, &err);
        if (rc == RL_OK)
            fail_msg("'%s' was accepted", bad[i]);
        assert_true(rc < 0);
        rl_error_format(&err, msg, sizeof msg);
        assert_string_equal(err.key, "experiment.start");
        assert_int_equal(err.line, 3);
        assert_contains(msg, "runner_test.ini");
        fixture_free(&f);
    }
}

/* ---- statistics: summary.csv and scores.csv from hand-written run files --------------- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[size] = '\0';
    fclose(f);
    return buf;
}

/* Writes DIR/runs/NNNNNN.rows by hand in the format of run_files.h: a section "== NAME SIZE"
 * per file, the episode and score rows given, a one-line stand-in for the others. */
static void write_run_dirs(const char *dir, const char *const *episode_rows,
                           const char *const *score_rows, size_t runs)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/runs", dir);
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(mkdir(path, 0777), 0);
    static const char *const files[] = {"runs.csv",  "timing.csv", "iterations.csv",
                                        "steps.csv", "values.csv", "policy.csv"};
    for (size_t run = 0; run < runs; run++) {
        char text[4096] = "", row[256];
        for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
            char rows[64];
            snprintf(rows, sizeof rows, "%zu,%s\n", run, files[i]);
            snprintf(row, sizeof row, "== %s %zu\n%s", files[i], strlen(rows), rows);
            strcat(text, row);
        }
        snprintf(row, sizeof row, "== episodes.csv %zu\n", strlen(episode_rows[run]));
        strcat(text, row);
        strcat(text, episode_rows[run]);
        snprintf(row, sizeof row, "== score.csv %zu\n", strlen(score_rows[run]));
        strcat(text, row);
        strcat(text, score_rows[run]);
        char file[1100];
        snprintf(file, sizeof file, "%s/runs/%06zu.rows", dir, run);
        write_file(file, text);
    }
}

/* The fields of the line of a CSV text that starts with prefix. */
static size_t csv_fields(const char *text, const char *prefix, char fields[][64], size_t max)
{
    size_t k = strlen(prefix);
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        if (len >= k && strncmp(p, prefix, k) == 0) {
            size_t n = 0, i = 0;
            fields[0][0] = '\0';
            for (size_t c = 0; c <= len && n < max; c++) {
                if (c == len || p[c] == ',') {
                    fields[n][i] = '\0';
                    n++;
                    i = 0;
                } else if (i < 63) {
                    fields[n][i++] = p[c];
                }
            }
            return n;
        }
        p += len + (p[len] == '\n');
    }
    fail_msg("no line starting with '%s' in:\n%s", prefix, text);
    return 0;
}

static double field_number(const char *field)
{
    char *end;
    double x = strtod(field, &end);
    if (!field[0] || *end)
        fail_msg("'%s' is not a number", field);
    return x;
}

/* Checks mean, sd and the t-interval mean -/+ t sd / sqrt(n) in fields[at..at+4). */
static void check_summary(char fields[][64], size_t at, double mean, double sd, double t,
                          size_t n)
{
    double half = t * sd / sqrt((double)n);
    assert_close(field_number(fields[at]), mean, 1e-9);
    assert_close(field_number(fields[at + 1]), sd, 1e-8);
    assert_close(field_number(fields[at + 2]), mean - half, 1e-7);
    assert_close(field_number(fields[at + 3]), mean + half, 1e-7);
}

static void test_summary_three_runs(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/stats3", tmpdir);
    /* run, episode, return, discounted_return, length, outcome, value_rmse, and the
     * configuration's label: config 0, algorithm random (no axis). */
    static const char *const rows[] = {
        "0,1,1,0.5,10,terminated,0.5,0,random\n0,2,4,2,20,truncated,,0,random\n",
        "1,1,2,1,20,terminated,0.7,0,random\n1,2,5,2.5,30,terminated,,0,random\n",
        "2,1,3,1.5,60,budget,0.3,0,random\n2,2,6,3,40,terminated,0.25,0,random\n",
    };
    /* run, episodes, score: each run's mean return over all its episodes. */
    static const char *const scores_in[] = {"0,2,2.5\n", "1,2,3.5\n", "2,2,4.5\n"};
    write_run_dirs(dir, rows, scores_in, 3);
    fixture f;
    fixture_build(&f, "[experiment]\nseeds = 3\nepisodes = 2\n[env]\npreset = frozenlake4x4\n"
                      "[agent]\nalgorithm = random\n");
    rl_error err;
    rl_error_clear(&err);
    if (rl_results_finish(f.plan, dir, "gridrl test", 2, &err) != RL_OK)
        fail_msg("rl_results_finish: %s", err.message);

    char path[1024];
    snprintf(path, sizeof path, "%s/episodes.csv", dir);
    char *episodes = slurp(path);
    assert_non_null(episodes);
    char expected[1024];
    snprintf(expected, sizeof expected,
             "run,episode,return,discounted_return,length,outcome,value_rmse,config,algorithm\n"
             "%s%s%s",
             rows[0],
             rows[1], rows[2]);
    assert_string_equal(episodes, expected);
    free(episodes);

    snprintf(path, sizeof path, "%s/summary.csv", dir);
    char *summary = slurp(path);
    assert_non_null(summary);
    assert_contains(summary, "config,episode,runs,mean_return,sd_return,ci95_low_return,"
                             "ci95_high_return,mean_length,sd_length,ci95_low_length,"
                             "ci95_high_length,mean_value_rmse,sd_value_rmse,"
                             "ci95_low_value_rmse,ci95_high_value_rmse,algorithm\n");
    char fields[16][64];
    /* Episode 1: returns 1, 2, 3: mean 2, sd 1; lengths 10, 20, 60: mean 30, sd
     * sqrt((400 + 100 + 900) / 2) = sqrt(700); value errors 0.5, 0.7, 0.3: mean 0.5,
     * sd sqrt((0 + 0.04 + 0.04) / 2) = 0.2; each interval mean -/+ 4.30265273 sd / sqrt(3). */
    assert_int_equal(csv_fields(summary, "0,1,", fields, 16), 16);
    assert_string_equal(fields[15], "random");
    assert_string_equal(fields[2], "3");
    check_summary(fields, 3, 2.0, 1.0, T_975_2, 3);
    assert_close(field_number(fields[5]), 2.0 - 2.48413771, 1e-7); /* 4.30265273 / sqrt 3 */
    check_summary(fields, 7, 30.0, sqrt(700.0), T_975_2, 3);
    check_summary(fields, 11, 0.5, 0.2, T_975_2, 3);
    /* Episode 2: returns 4, 5, 6; lengths 20, 30, 40: sd 10; one value error (0.25): its
     * mean, and empty sd and interval. */
    assert_int_equal(csv_fields(summary, "0,2,", fields, 16), 16);
    assert_string_equal(fields[2], "3");
    check_summary(fields, 3, 5.0, 1.0, T_975_2, 3);
    check_summary(fields, 7, 30.0, 10.0, T_975_2, 3);
    assert_close(field_number(fields[11]), 0.25, 1e-12);
    assert_string_equal(fields[12], "");
    assert_string_equal(fields[13], "");
    assert_string_equal(fields[14], "");
    free(summary);

    /* Scores over all episodes: (1+4)/2 = 2.5, 3.5, 4.5: mean 3.5; with n < 4 the IQM trims
     * nothing: 3.5. The bootstrap interval lies within the scores' range around the IQM. */
    snprintf(path, sizeof path, "%s/scores.csv", dir);
    char *scores = slurp(path);
    assert_non_null(scores);
    assert_contains(scores, "config,runs,score,mean,iqm,iqm_ci95_low,iqm_ci95_high,algorithm\n");
    assert_int_equal(csv_fields(scores, "0,", fields, 16), 8);
    assert_string_equal(fields[7], "random");
    assert_string_equal(fields[1], "3");
    assert_string_equal(fields[2], "mean return over all episodes");
    assert_close(field_number(fields[3]), 3.5, 1e-12);
    assert_close(field_number(fields[4]), 3.5, 1e-12);
    double low = field_number(fields[5]), high = field_number(fields[6]);
    assert_true(2.5 <= low && low <= 3.5 && 3.5 <= high && high <= 4.5);
    assert_true(low < high);
    free(scores);
    fixture_free(&f);
}

static void test_scores_iqm(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/stats5", tmpdir);
    /* Returns per run (episodes 1, 2, 3); run 4 has only two episodes. Each row ends with
     * the configuration's label (config 0, algorithm random). */
    static const char *const rows[] = {
        "0,1,0,0,5,terminated,,0,random\n0,2,0,0,5,terminated,,0,random\n"
        "0,3,10,10,5,terminated,,0,random\n",
        "1,1,1,1,5,terminated,,0,random\n1,2,1,1,5,terminated,,0,random\n"
        "1,3,0,0,5,terminated,,0,random\n",
        "2,1,2,2,5,terminated,,0,random\n2,2,2,2,5,terminated,,0,random\n"
        "2,3,2,2,5,terminated,,0,random\n",
        "3,1,3,3,5,terminated,,0,random\n3,2,3,3,5,terminated,,0,random\n"
        "3,3,4,4,5,terminated,,0,random\n",
        "4,1,4,4,5,terminated,,0,random\n4,2,100,100,5,budget,,0,random\n",
    };
    /* score_episodes = 1: each run's last return. */
    static const char *const scores_in[] = {"0,3,10\n", "1,3,0\n", "2,3,2\n", "3,3,4\n",
                                            "4,2,100\n"};
    write_run_dirs(dir, rows, scores_in, 5);
    fixture f;
    fixture_build(&f, "[experiment]\nseeds = 5\nsteps = 15\nscore_episodes = 1\n"
                      "[env]\npreset = frozenlake4x4\n[agent]\nalgorithm = random\n");
    rl_error err;
    rl_error_clear(&err);
    if (rl_results_finish(f.plan, dir, "gridrl test", 2, &err) != RL_OK)
        fail_msg("rl_results_finish: %s", err.message);

    char path[1024], fields[16][64];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    char *summary = slurp(path);
    assert_non_null(summary);
    /* Episode 1: 0..4: mean 2, sd sqrt(10 / 4); t_{0.975,4}. */
    csv_fields(summary, "0,1,", fields, 16);
    assert_string_equal(fields[2], "5");
    check_summary(fields, 3, 2.0, sqrt(2.5), T_975_4, 5);
    /* Lengths all 5: sd 0, a zero-width interval. */
    check_summary(fields, 7, 5.0, 0.0, T_975_4, 5);
    /* Episode 3, four runs have it: 10, 0, 2, 4: mean 4, sd sqrt((36+16+4+0)/3);
     * t_{0.975,3}. */
    csv_fields(summary, "0,3,", fields, 16);
    assert_string_equal(fields[2], "4");
    check_summary(fields, 3, 4.0, sqrt(56.0 / 3.0), T_975_3, 4);
    assert_null(strstr(summary, "\n0,4,"));
    free(summary);

    /* Scores: the last episode's return: 10, 0, 2, 4, 100. Mean 116/5 = 23.2; IQM drops
     * floor(5/4) = 1 value from each end of 0, 2, 4, 10, 100: (2 + 4 + 10) / 3 = 16/3. */
    snprintf(path, sizeof path, "%s/scores.csv", dir);
    char *scores = slurp(path);
    assert_non_null(scores);
    csv_fields(scores, "0,", fields, 16);
    assert_string_equal(fields[1], "5");
    assert_string_equal(fields[2], "mean return over the last 1 episodes");
    assert_close(field_number(fields[3]), 23.2, 1e-12);
    assert_close(field_number(fields[4]), 16.0 / 3.0, 1e-10); /* %.12g: 12 digits */
    double low = field_number(fields[5]), high = field_number(fields[6]);
    /* A resample's IQM is the mean of 3 of the 5 scores (with repeats): within [0, 100]. */
    assert_true(0.0 <= low && low <= 16.0 / 3.0 && 16.0 / 3.0 <= high && high <= 100.0);
    free(scores);
    fixture_free(&f);
}


/* A run's episode rows are read back by name and checked: a row that says it belongs to
 * another configuration is an error naming the run's file. */
static void test_statistics_reject_foreign_rows(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/stats_foreign", tmpdir);
    static const char *const rows[] = {"0,1,1,1,5,terminated,,0,random\n",
                                       "1,1,1,1,5,terminated,,7,random\n"};
    static const char *const scores_in[] = {"0,1,1\n", "1,1,1\n"};
    write_run_dirs(dir, rows, scores_in, 2);
    fixture f;
    fixture_build(&f, "[experiment]\nseeds = 2\nepisodes = 1\n[env]\npreset = frozenlake4x4\n"
                      "[agent]\nalgorithm = random\n");
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(rl_results_finish(f.plan, dir, "gridrl test", 1, &err), RL_EPARSE);
    assert_contains(err.message, "not configuration 0's");
    assert_contains(err.file, "000001.rows");
    fixture_free(&f);
}

/* A missing run file is an error naming the run, and no merged file appears. */
static void test_finish_needs_every_run(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/stats_missing", tmpdir);
    static const char *const rows[] = {"0,1,1,1,1,terminated,\n"};
    static const char *const scores_in[] = {"0,1,1\n"};
    write_run_dirs(dir, rows, scores_in, 1);
    fixture f;
    fixture_build(&f, "[experiment]\nseeds = 2\nepisodes = 1\n[env]\npreset = frozenlake4x4\n"
                      "[agent]\nalgorithm = random\n");
    rl_error err;
    rl_error_clear(&err);
    assert_true(rl_results_finish(f.plan, dir, "gridrl test", 2, &err) < 0);
    assert_contains(err.message, "run 1");
    char path[1024];
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    assert_int_equal(access(path, F_OK), -1);
    snprintf(path, sizeof path, "%s/.runs.csv.tmp", dir);
    assert_int_equal(access(path, F_OK), -1);
    fixture_free(&f);
}

/* A run's file is read back as untrusted: each malformed one is refused with the file named
 * and what is wrong; a well-formed one gives its sections back byte for byte. */
static void test_run_file_malformed(void **state)
{
    (void)state;
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/malformed", tmpdir);
    snprintf(path, sizeof path, "%s/runs", dir);
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/runs/000000.rows", dir);
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"garbage\n", "no section header at byte 0"},
        {"== nope.csv 3\nabc", "an unknown section at byte 0"},
        {"== runs.csv 2\nab== runs.csv 0\n", "a section given twice at byte 16"},
        {"== runs.csv 99\nab", "a section longer than the file at byte 0"},
        {"== runs.csv -1\nab", "a section longer than the file at byte 0"},
        {"== runs.csv 2\nab== episodes.csv", "no section header at byte 16"},
        {"== runs.csv 2 \nab", "no section header at byte 0"},
    };
    rl_error err;
    rl_run_file rf;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_file(path, bad[i].text);
        rl_error_clear(&err);
        assert_int_equal(rl_run_file_open(dir, 0, &rf, &err), RL_EPARSE);
        assert_contains(err.message, "000000.rows' is not a run's file");
        assert_contains(err.message, bad[i].why);
    }
    write_file(path, "== runs.csv 4\n0,a\n== episodes.csv 0\n== score.csv 6\n0,1,2\n");
    assert_int_equal(rl_run_file_open(dir, 0, &rf, &err), RL_OK);
    assert_true(rl_run_file_has(&rf, "episodes.csv"));
    assert_false(rl_run_file_has(&rf, "values.csv"));
    char *text;
    size_t size;
    assert_int_equal(rl_run_file_read(&rf, "score.csv", &text, &size, &err), RL_OK);
    assert_string_equal(text, "0,1,2\n");
    free(text);
    assert_int_equal(rl_run_file_read(&rf, "episodes.csv", &text, &size, &err), RL_OK);
    assert_null(text);
    assert_int_equal(size, 0);
    rl_run_file_close(&rf);
    assert_int_equal(rl_run_file_open(dir, 1, &rf, &err), RL_ENOTFOUND);
    assert_contains(err.message, "run 1 has no file");
}

/* ---- the update hook: a trainer double doing three updates after every episode --------- */

#define TRAINER_UPDATES_PER_EPISODE 3

typedef struct trainer {
    size_t n_states, n_actions;
    size_t updates; /* in all, so far */
    size_t left;    /* this episode */
} trainer;

static int trainer_init(void *state, const rl_space *sp, const rl_params *params,
                        const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)params, (void)given_policy, (void)r, (void)err;
    trainer *t = state;
    t->n_states = sp->n_states;
    t->n_actions = sp->n_actions;
    return RL_OK;
}

static size_t trainer_act(void *state, size_t s, gsl_rng *r)
{
    (void)state, (void)s, (void)r;
    return 0;
}

static size_t trainer_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    (void)state, (void)t, (void)r;
    return 0;
}

static int trainer_end(void *state, rl_error *err)
{
    (void)err;
    ((trainer *)state)->left = TRAINER_UPDATES_PER_EPISODE;
    return RL_CONTINUE;
}

/* Update n (counting from 1 over the run) reports loss n / 2 and sets every value to n. */
static int trainer_update(void *state, gsl_rng *r, rl_update_report *report, rl_error *err)
{
    (void)r, (void)err;
    trainer *t = state;
    if (t->left == 0)
        return RL_OK;
    t->left--;
    t->updates++;
    report->loss = 0.5 * (double)t->updates;
    return RL_CONTINUE;
}

static void trainer_values(const void *state, double *v)
{
    const trainer *t = state;
    for (size_t s = 0; s < t->n_states; s++)
        v[s] = (double)t->updates;
}

static void trainer_policy(const void *state, double *pi)
{
    const trainer *t = state;
    for (size_t i = 0; i < t->n_states * t->n_actions; i++)
        pi[i] = i % t->n_actions == 0 ? 1.0 : 0.0;
}

static const rl_learner_type trainer_type = {
    .name = "trainer",
    .doc = "test double with an update hook",
    .size = sizeof(trainer),
    .init = trainer_init,
    .begin_episode = trainer_act,
    .observe = trainer_observe,
    .end_episode = trainer_end,
    .update = trainer_update,
    .values = trainer_values,
    .policy = trainer_policy,
};

/* The runner drives the updates after each episode and logs every second one: updates
 * 2, 4, 6, 8 of 3 episodes x 3, after episodes 1, 2, 2, 3 (updates 1-3 follow episode 1,
 * 4-6 episode 2, 7-9 episode 3), loss n / 2 and, against a truth of 2 everywhere, a value
 * error |n - 2|. The rows reach the run's updates.csv. */
static void test_update_hook(void **state)
{
    (void)state;
    rl_error err;
    rl_error_clear(&err);
    const rl_env_type *gw = rl_env_type_find("gridworld", NULL);
    rl_params *ep = rl_params_alloc(gw->params);
    assert_int_equal(rl_params_set(ep, "preset", "sb_gridworld4x4", &err), RL_OK);
    rl_env *env;
    assert_int_equal(rl_env_alloc(gw, ep, &env, &err), RL_OK);
    const rl_space *sp = rl_env_space(env);
    rl_run_result res;
    assert_int_equal(rl_run_result_prepare(&res, env, sp, &err), RL_OK);
    double truth[16];
    for (size_t s = 0; s < 16; s++)
        truth[s] = 2.0;
    rl_params *ap = rl_params_alloc((const rl_param_spec[]){{NULL, 0, NULL, 0, 0, 0, NULL, NULL}});
    gsl_rng *r = rl_rng_alloc(5, NULL);
    rl_learner *l;
    assert_int_equal(rl_learner_alloc(&trainer_type, sp, ap, NULL, r, &l, &err), RL_OK);
    rl_loop_options o = RL_LOOP_OPTIONS_DEFAULT;
    o.episodes = 3;
    o.max_steps = 5;
    o.log_every_updates = 2;
    o.truth = truth;
    assert_int_equal(rl_episode_loop(env, l, r, &o, &res, &err), RL_OK);
    assert_int_equal(res.updates, 9);
    assert_int_equal(res.update_rows.n, 4);
    const size_t episode_of[4] = {1, 2, 2, 3};
    for (size_t i = 0; i < 4; i++) {
        const rl_update_row *row = rl_rows_at(&res.update_rows, i);
        size_t n = 2 * (i + 1);
        assert_int_equal(row->update, n);
        assert_int_equal(row->episode, episode_of[i]);
        assert_close(row->loss, 0.5 * (double)n, 0.0);
        assert_close(row->value_rmse, fabs((double)n - 2.0), 1e-15);
    }
    /* The episode rows read the values before the updates of their episode. */
    const rl_episode_row *first = rl_rows_at(&res.episode_rows, 0);
    assert_close(first->value_rmse, 2.0, 1e-15);

    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/updates", tmpdir);
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(rl_run_files_write(dir, &res, &err), RL_OK);
    rl_run_file rf;
    assert_int_equal(rl_run_file_open(dir, 0, &rf, &err), RL_OK);
    char *text;
    size_t size;
    assert_int_equal(rl_run_file_read(&rf, "updates.csv", &text, &size, &err), RL_OK);
    assert_non_null(text);
    assert_string_equal(text, "0,2,1,1,0\n0,4,2,2,2\n0,6,2,3,4\n0,8,3,4,6\n");
    assert_int_equal(size, strlen(text));
    free(text);
    rl_run_file_close(&rf);

    /* A run without update rows writes no updates.csv section. */
    res.update_rows.n = 0;
    res.run = 1;
    assert_int_equal(rl_run_files_write(dir, &res, &err), RL_OK);
    assert_int_equal(rl_run_file_open(dir, 1, &rf, &err), RL_OK);
    assert_false(rl_run_file_has(&rf, "updates.csv"));
    assert_true(rl_run_file_has(&rf, "episodes.csv"));
    rl_run_file_close(&rf);
    (void)path;

    rl_learner_free(l);
    rl_rng_free(r);
    rl_params_free(ap);
    rl_params_free(ep);
    rl_run_result_free(&res);
}

/* ---- a run's sections read by their columns (the live view's way) --------------------- */

/* A reader of runs in progress parses a run's sections by rl_results_run_columns. Q-learning
 * on an MDP file with a counted choice, with log_cumulative_reward: every row of every
 * section has as many fields as those columns name, steps.csv's one more than without
 * log_cumulative_reward (read so, its rows are refused), and choices.csv's fraction is its
 * chosen / decisions, with each episode deciding once in A (its one counted state). */
static void test_run_columns(void **state)
{
    (void)state;
    char path[sizeof tmpdir + 32], dir[sizeof tmpdir + 32];
    snprintf(path, sizeof path, "%s/choice.mdp", tmpdir);
    write_file(path, "state A start\nstate B\nstate end terminal\n"
                     "A left -> B\nA right -> end\ncount A left\n"
                     "B b1 -> end normal(-0.1, 1)\nB b2 -> end 1\n");
    fixture f;
    fixture_build(&f, "[experiment]\nepisodes = 30\nlog_every_steps = 4\n"
                      "log_cumulative_reward = true\nground_truth = false\n"
                      "[env]\ntype = mdp\nfile = choice.mdp\n"
                      "[agent]\nalgorithm = q_learning\nalpha = 0.1\nepsilon = 0.5\n"
                      "gamma = 1\n");
    rl_run_result res;
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(rl_run_execute(f.plan, 0, NULL, &res, &err), RL_OK);
    snprintf(dir, sizeof dir, "%s/columns", tmpdir);
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(rl_run_files_write(dir, &res, &err), RL_OK);
    rl_run_file rf;
    assert_int_equal(rl_run_file_open(dir, 0, &rf, &err), RL_OK);
    /* episodes.csv's rows end with the configuration's number and label: "q_learning". */
    char *label = rl_plan_label_header(f.plan);
    assert_non_null(label);
    assert_string_equal(label, "algorithm");
    size_t sections = 0;
    for (size_t i = 0; rl_run_file_names[i]; i++) {
        const char *name = rl_run_file_names[i];
        char *data;
        size_t size;
        assert_int_equal(rl_run_file_read(&rf, name, &data, &size, &err), RL_OK);
        if (!data)
            continue;
        char *columns = rl_results_run_columns(name, true, label);
        if (strcmp(name, "score.csv") == 0) { /* scores.csv's input, no file of its own */
            assert_null(columns);
            free(data);
            continue;
        }
        assert_non_null(columns);
        rl_csv c;
        assert_int_equal(rl_csv_open_memory(&c, rf.path, data, size, columns, &err), RL_OK);
        int col_decisions = rl_csv_column(&c, "decisions", NULL),
            col_chosen = rl_csv_column(&c, "chosen", NULL),
            col_fraction = rl_csv_column(&c, "fraction", NULL),
            col_algorithm = rl_csv_column(&c, "algorithm", NULL);
        size_t rows = 0;
        int rc;
        while ((rc = rl_csv_next(&c, &err)) == 1) {
            rows++;
            if (strcmp(name, "episodes.csv") == 0)
                assert_string_equal(rl_csv_field(&c, col_algorithm), "q_learning");
            if (strcmp(name, "choices.csv") != 0)
                continue;
            size_t decisions, chosen;
            double fraction;
            assert_true(rl_csv_size(&c, col_decisions, &decisions));
            assert_true(rl_csv_size(&c, col_chosen, &chosen));
            assert_true(rl_csv_double(&c, col_fraction, &fraction));
            assert_int_equal(decisions, 1);
            assert_true(chosen <= 1);
            assert_close(fraction, (double)chosen, 0.0);
        }
        if (rc != 0)
            fail_msg("%s's rows do not fit its columns %s: %s", name, columns, err.message);
        assert_true(rows > 0);
        if (strcmp(name, "choices.csv") == 0)
            assert_int_equal(rows, 30);
        rl_csv_close(&c);
        char *plain = rl_results_run_columns(name, false, label);
        assert_non_null(plain);
        if (strcmp(name, "steps.csv") == 0) {
            assert_non_null(strstr(columns, ",cumulative_reward"));
            assert_int_equal(rl_csv_open_memory(&c, rf.path, data, size, plain, &err), RL_OK);
            assert_true(rl_csv_next(&c, &err) < 0);
            rl_csv_close(&c);
        } else {
            assert_string_equal(columns, plain);
        }
        rl_free(plain);
        rl_free(columns);
        free(data);
        sections++;
    }
    assert_int_equal(sections, 7); /* runs, timing, episodes, steps, values, policy, choices */
    assert_null(rl_results_run_columns("nothing.csv", false, label));
    free(label);
    rl_run_file_close(&rf);
    rl_run_result_free(&res);
    fixture_free(&f);
}

/* ---- rl_run_execute with the real random agent: the rows agree with themselves --------- */

static void test_execute_random(void **state)
{
    (void)state;
    fixture f;
    fixture_build(&f, "[experiment]\nseeds = 2\nepisodes = 40\n[env]\npreset = frozenlake4x4\n"
                      "[agent]\nalgorithm = random\n");
    rl_run_result a, b;
    rl_error err;
    assert_int_equal(rl_run_execute(f.plan, 1, NULL, &a, &err), RL_OK);
    assert_int_equal(rl_run_execute(f.plan, 1, NULL, &b, &err), RL_OK);
    assert_int_equal(a.configuration, 0);
    assert_int_equal(a.replicate, 1);
    assert_int_equal(a.episodes, 40);
    assert_int_equal(a.episode_rows.n, 40);
    size_t total = 0;
    for (size_t e = 0; e < 40; e++) {
        const rl_episode_row *x = episode(&a, e), *y = episode(&b, e);
        total += x->length;
        /* FrozenLake: reward 1 only on reaching G (terminal), so the return is 1 exactly
         * when the episode terminated in G and otherwise 0; gamma 1 from the preset. */
        assert_true(x->ret == 0.0 || x->ret == 1.0);
        assert_close(x->discounted_return, x->ret, 0);
        assert_true(x->length >= 1 && x->length <= 100); /* the preset's 100-step limit */
        if (strcmp(x->outcome, "truncated") == 0)
            assert_int_equal(x->length, 100);
        else
            assert_string_equal(x->outcome, "terminated");
        assert_true(isnan(x->value_rmse)); /* random has no values */
        /* Same run, same seed: the same episodes. */
        assert_int_equal(x->length, y->length);
        assert_close(x->ret, y->ret, 0);
    }
    assert_int_equal(a.steps, total);
    rl_run_result_free(&a);
    rl_run_result_free(&b);
    fixture_free(&f);
}

static int remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return unlink(path);
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char child[2048];
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        remove_tree(child);
    }
    closedir(d);
    return rmdir(path);
}

/* values = behavior and action_values on Sarsa (epsilon 0.3) over the 5x5 grid:
 * - each value read out is sum_a pi(a|s) q(s, a), pi computed here from the recorded q by
 *   Zhao's rule (greedy 1 - epsilon (n - 1) / n, others epsilon / n; states with a tied
 *   maximum are skipped: how ties share the mass is the learner's business);
 * - the visit counts add up to the steps taken (each step takes one pair) and cover only
 *   decision states;
 * - the same seed read out greedily gives max_a q of the same table (reading out draws
 *   nothing, so both runs see the same trajectory). */
static void run_sarsa(bool behavior, rl_run_result *res)
{
    rl_error err;
    const rl_env_type *gw = rl_env_type_find("gridworld", NULL);
    rl_params *ep = rl_params_alloc(gw->params);
    assert_int_equal(rl_params_set(ep, "preset", "zhao5x5", &err), RL_OK);
    rl_env *env;
    assert_int_equal(rl_env_alloc(gw, ep, &env, &err), RL_OK);
    const rl_space *sp = rl_env_space(env);
    assert_int_equal(rl_run_result_prepare(res, env, sp, &err), RL_OK);
    const rl_agent *sarsa = rl_agent_find("sarsa", &err);
    assert_non_null(sarsa);
    rl_params *ap = rl_params_alloc(rl_agent_params(sarsa));
    assert_int_equal(rl_params_set(ap, "epsilon", "0.3", &err), RL_OK);
    gsl_rng *r = rl_rng_alloc(11, NULL);
    rl_learner *l;
    assert_int_equal(rl_learner_alloc(sarsa->learner, sp, ap, NULL, r, &l, &err), RL_OK);
    rl_loop_options o = RL_LOOP_OPTIONS_DEFAULT;
    o.episodes = 30;
    o.max_steps = 40;
    o.behavior_values = behavior;
    o.action_values = true;
    if (rl_episode_loop(env, l, r, &o, res, &err) != RL_OK)
        fail_msg("%s", err.message);
    rl_learner_free(l);
    rl_rng_free(r);
    rl_params_free(ap);
    rl_params_free(ep);
}

static void test_behavior_values_and_visits(void **state)
{
    (void)state;
    rl_run_result behavior, greedy;
    run_sarsa(true, &behavior);
    run_sarsa(false, &greedy);
    const rl_space *sp = rl_env_space(behavior.env);
    size_t n = sp->n_actions, checked = 0;
    uint64_t visits = 0;
    double epsilon = 0.3;
    for (size_t s = 0; s < sp->n_states; s++) {
        const double *q = behavior.action_values + s * n;
        size_t best = 0, ties = 1;
        for (size_t a = 1; a < n; a++) {
            if (q[a] > q[best]) {
                best = a;
                ties = 1;
            } else if (q[a] == q[best]) {
                ties++;
            }
        }
        for (size_t a = 0; a < n; a++) {
            visits += behavior.visits[s * n + a];
            assert_true(behavior.visits[s * n + a] == greedy.visits[s * n + a]);
            assert_close(greedy.action_values[s * n + a], q[a], 0.0);
        }
        assert_close(greedy.values[s], q[best], 0.0);
        if (ties > 1)
            continue;
        double v = 0.0;
        for (size_t a = 0; a < n; a++)
            v += (a == best ? 1.0 - epsilon * (double)(n - 1) / (double)n
                            : epsilon / (double)n) * q[a];
        assert_close(behavior.values[s], v, 1e-12);
        checked += fabs(v - q[best]) > 1e-6;
    }
    assert_true(checked > 10); /* the two read-outs differ where it matters */
    assert_true(visits == behavior.steps);
    assert_int_equal(behavior.steps, 30 * 40); /* the target does not end zhao5x5's episodes */
    rl_run_result_free(&behavior);
    rl_run_result_free(&greedy);
}

/* The truth a learner is measured against (rl_run_ground_truth) on cliff walking, gamma 1, at
 * the start cell (3, 0): v* = -13 (13 steps along the cliff) when read out greedily; with
 * values = behavior the best 0.1-greedy policy's value -20.71 (S&B Fig 6.3's asymptote for
 * epsilon = 0.1, to its 2 printed decimals), whether 0.1 is epsilon or epsilon_final; with
 * uniform behaviour the uniform policy's value, solved here from the model directly. */
static double cliff_truth_at_start(const char *experiment, const char *agent)
{
    char text[1024];
    snprintf(text, sizeof text,
             "[experiment]\nepisodes = 1\n%s\n[env]\npreset = cliff_walking\n"
             "[agent]\ngamma = 1\n%s\n",
             experiment, agent);
    rl_config *c;
    rl_error err;
    if (rl_config_load_string(text, "cliff.ini", "/tmp", &c, &err) != RL_OK)
        fail_msg("%s", err.message);
    rl_plan *p;
    if (rl_plan_build(c, &p, &err) != RL_OK)
        fail_msg("%s: %s", err.key, err.message);
    rl_env *env;
    double *pi;
    assert_int_equal(rl_run_setup(p, 0, &env, &pi, &err), RL_OK);
    const rl_mdp *m = rl_env_model(env);
    double *scratch = malloc(m->n_states * m->n_actions * sizeof *scratch);
    double *truth = malloc(m->n_states * sizeof *truth);
    assert_non_null(scratch);
    assert_non_null(truth);
    if (rl_run_ground_truth(p, 0, m, pi, NULL, scratch, truth, &err) != RL_OK)
        fail_msg("%s", err.message);
    double v = truth[3 * 12 + 0];
    if (strstr(agent, "uniform")) {
        /* The uniform policy's values, solved independently of the truth's solver. */
        rl_policy_uniform(m->n_states, m->n_actions, scratch);
        double *vu = malloc(m->n_states * sizeof *vu);
        assert_non_null(vu);
        assert_int_equal(rl_evaluate_solve(m, scratch, 1.0, vu, &err), RL_OK);
        assert_close(v, vu[3 * 12 + 0], 1e-6 * fabs(vu[3 * 12 + 0]));
        free(vu);
    }
    free(scratch);
    free(truth);
    rl_free(pi);
    rl_env_free(env);
    rl_plan_free(p);
    rl_config_free(c);
    return v;
}

static void test_behavior_truth(void **state)
{
    (void)state;
    assert_close(cliff_truth_at_start("", "algorithm = sarsa\nepsilon = 0.1"), -13.0, 1e-9);
    assert_close(cliff_truth_at_start("values = behavior", "algorithm = sarsa\nepsilon = 0.1"),
                 -20.71, 0.005);
    assert_close(cliff_truth_at_start("values = behavior",
                                      "algorithm = expected_sarsa\nepsilon = 0.5\n"
                                      "epsilon_final = 0.1\nepsilon_decay_episodes = 10"),
                 -20.71, 0.005);
    cliff_truth_at_start("values = behavior", "algorithm = q_learning\nbehavior = uniform");
    /* mc_exploring_starts acts greedily after its first action: measured against v*. */
    assert_close(cliff_truth_at_start("values = behavior", "algorithm = mc_exploring_starts"),
                 -13.0, 1e-9);
}

/* The truth cache groups configurations by what they are measured against, counted by
 * hand: alpha does not change the truth, slip does (2 models); with values = behavior each
 * epsilon is its own truth (2 x 2). A truth from the cache, first computed or copied, is bit
 * for bit what rl_run_ground_truth computes. */
static size_t truth_classes(const char *text)
{
    fixture f;
    fixture_build(&f, text);
    rl_truth_cache *c;
    rl_error err;
    assert_int_equal(rl_truth_cache_alloc(f.plan, &c, &err), RL_OK);
    size_t n = rl_truth_cache_classes(c);
    rl_truth_cache_free(c);
    fixture_free(&f);
    return n;
}

static void test_truth_cache(void **state)
{
    (void)state;
    static const char base[] = "[experiment]\nepisodes = 1\n%s\n[env]\npreset = cliff_walking\n"
                               "slip = 0, 0.1\n[agent]\nalgorithm = q_learning\n"
                               "alpha = 0.1, 0.5\nepsilon = 0.1, 0.2\n";
    char text[512];
    snprintf(text, sizeof text, base, "");
    assert_int_equal(truth_classes(text), 2);
    snprintf(text, sizeof text, base, "values = behavior");
    assert_int_equal(truth_classes(text), 4);

    fixture f;
    snprintf(text, sizeof text, base, "");
    fixture_build(&f, text);
    rl_truth_cache *c;
    rl_error err;
    assert_int_equal(rl_truth_cache_alloc(f.plan, &c, &err), RL_OK);
    double direct[48], cached[48], scratch[48 * 4];
    for (size_t k = 0; k < 8; k += 3) {
        rl_env *env;
        double *pi;
        assert_int_equal(rl_run_setup(f.plan, k, &env, &pi, &err), RL_OK);
        const rl_mdp *m = rl_env_model(env);
        assert_int_equal(rl_run_ground_truth(f.plan, k, m, pi, NULL, scratch, direct, &err),
                         RL_OK);
        assert_int_equal(rl_truth_cache_get(c, k, m, pi, NULL, scratch, cached, &err), RL_OK);
        assert_memory_equal(direct, cached, sizeof direct);
        rl_free(pi);
        rl_env_free(env);
    }
    rl_truth_cache_free(c);
    fixture_free(&f);
}

/* [experiment] ground_truth = false: no value error anywhere, the runs otherwise alike. */
static void test_no_ground_truth(void **state)
{
    (void)state;
    fixture f;
    fixture_build(&f, "[experiment]\nepisodes = 3\nground_truth = false\n[env]\n"
                      "preset = cliff_walking\n[agent]\nalgorithm = q_learning\n");
    rl_run_result r;
    rl_error err;
    assert_int_equal(rl_run_execute(f.plan, 0, NULL, &r, &err), RL_OK);
    assert_false(r.has_truth);
    for (size_t i = 0; i < r.episode_rows.n; i++)
        assert_true(isnan(((const rl_episode_row *)rl_rows_at(&r.episode_rows, i))->value_rmse));
    assert_int_equal(r.episodes, 3);
    rl_run_result_free(&r);
    fixture_free(&f);
}

int main(void)
{
    rl_gsl_init();
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_nan_action_value_mid_episode),
        cmocka_unit_test(test_termination),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_log_every_steps),
        cmocka_unit_test(test_start_hook),
        cmocka_unit_test(test_start_uniform),
        cmocka_unit_test(test_env_stream),
        cmocka_unit_test(test_start_errors),
        cmocka_unit_test(test_summary_three_runs),
        cmocka_unit_test(test_scores_iqm),
        cmocka_unit_test(test_statistics_reject_foreign_rows),
        cmocka_unit_test(test_finish_needs_every_run),
        cmocka_unit_test(test_run_file_malformed),
        cmocka_unit_test(test_run_columns),
        cmocka_unit_test(test_execute_random),
        cmocka_unit_test(test_update_hook),
        cmocka_unit_test(test_behavior_values_and_visits),
        cmocka_unit_test(test_behavior_truth),
        cmocka_unit_test(test_truth_cache),
        cmocka_unit_test(test_no_ground_truth),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    remove_tree(tmpdir);
    return failed;
}

/* Out of memory, everywhere: this program replaces the library's allocation funnel
 * (rl/alloc.h) with one that fails the n-th allocation, and walks n over every allocation
 * of small experiments (load a config, build and check the plan, execute every run, write
 * the run files and the experiment's files). For each n the experiment must either finish
 * (n past its last allocation) or stop with RL_ENOMEM and a message, never crash; the
 * sanitizer build's leak check then finds anything an error path forgot to free.
 *
 * The walk is exhaustive: the count of allocations of a clean pass is measured first, and
 * every n from 1 to that count is failed in turn.
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/support.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agents/registry.h"
#include "envs/registry.h"
#include "experiments/runner/config.h"
#include "experiments/runner/plan.h"
#include "experiments/runner/results.h"
#include "experiments/runner/run.h"
#include "experiments/runner/run_files.h"
#include "rl/alloc.h"
#include "rl/rng.h"

/* ---- the funnel, replaced: the linker takes these instead of rl/alloc.c ---- */

static size_t allocations; /* since the last reset */
static size_t fail_at;     /* fail this one (1-based); 0: never */
static size_t failures;

static bool should_fail(void)
{
    allocations++;
    if (fail_at && allocations == fail_at) {
        failures++;
        return true;
    }
    return false;
}

void *rl_malloc(size_t size)
{
    return should_fail() ? NULL : malloc(size);
}

void *rl_calloc(size_t count, size_t size)
{
    return should_fail() ? NULL : calloc(count, size);
}

void *rl_realloc(void *p, size_t size)
{
    return should_fail() ? NULL : realloc(p, size);
}

char *rl_strdup(const char *s)
{
    return should_fail() ? NULL : strdup(s);
}

void rl_free(void *p)
{
    free(p);
}

/* ---- one experiment, start to finish ---- */

static char tmpdir[] = "/tmp/gridrl_test_alloc_XXXXXX";

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        for (struct dirent *e; (e = readdir(d));) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char child[1024];
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            remove_tree(child);
        }
        closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* dir NULL: only what happens in memory (the files cost most of the time, and their code
 * is the same for every algorithm). */
static int experiment(const char *text, const char *dir, rl_error *err)
{
    if (dir) {
        remove_tree(dir);
        if (mkdir(dir, 0777) != 0)
            fail_msg("cannot create %s", dir);
    }
    rl_config *c = NULL;
    rl_plan *p = NULL;
    int rc = rl_config_load_string(text, "alloc_test.ini", ".", &c, err);
    if (rc == RL_OK)
        rc = rl_config_override(c, "agent.gamma=0.9", err);
    if (rc == RL_OK)
        rc = rl_plan_build(c, &p, err);
    if (rc == RL_OK)
        rc = rl_plan_check(p, err);
    if (rc == RL_OK && dir)
        rc = rl_results_begin(p, dir, err);
    for (size_t run = 0; rc == RL_OK && run < rl_plan_runs(p); run++) {
        rl_run_result r;
        rc = rl_run_execute(p, run, NULL, &r, err);
        if (rc == RL_OK && dir)
            rc = rl_run_files_write(dir, &r, err);
        rl_run_result_free(&r);
    }
    if (rc == RL_OK && dir)
        rc = rl_results_finish(p, dir, "test", 1, err);
    rl_plan_free(p);
    rl_config_free(c);
    return rc;
}

/* The experiment's files (not timing.csv or the manifest, which hold times and dates),
 * concatenated with their names, in name order. */
static char *contents(const char *dir)
{
    const char *const names[] = {"config.ini", "configs.csv", "episodes.csv", "iterations.csv",
                                 "policy.csv", "runs.csv", "scores.csv", "steps.csv",
                                 "summary.csv", "updates.csv", "values.csv", "weights.csv",
                                 "choices.csv",
                                 NULL};
    size_t size = 0;
    char *all = NULL;
    FILE *out = open_memstream(&all, &size);
    assert_non_null(out);
    for (size_t i = 0; names[i]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        fprintf(out, "== %s\n", names[i]);
        char buf[4096];
        for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;)
            fwrite(buf, 1, n, out);
        fclose(f);
    }
    fclose(out);
    return all;
}

static void walk(const char *name, const char *text, bool files)
{
    char path[512], *dir = files ? path : NULL;
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    rl_error err;
    fail_at = 0;
    allocations = 0;
    int rc = experiment(text, dir, &err);
    if (rc != RL_OK)
        fail_msg("%s: the clean pass failed: %s", name, err.message);
    size_t total = allocations;
    assert_true(total > 20); /* the funnel is in use */
    print_message("%s: %zu allocations, each failed in turn\n", name, total);
    char *clean = dir ? contents(dir) : NULL;
    size_t tolerated = 0;
    for (size_t n = 1; n <= total; n++) {
        fail_at = n;
        allocations = 0;
        failures = 0;
        rl_error_clear(&err);
        rc = experiment(text, dir, &err);
        /* Later runs may allocate less than the clean pass (a failure ends them early), so
         * the failure may not have come: then the experiment must have succeeded. */
        if (failures == 0) {
            if (rc != RL_OK)
                fail_msg("%s, n = %zu: no allocation failed, yet %d: %s", name, n, rc,
                         err.message);
            continue;
        }
        if (rc == RL_OK && dir) {
            char *got = contents(dir);
            if (strcmp(got, clean) != 0)
                fail_msg("%s: allocation %zu of %zu failed, the experiment went on, and its "
                         "files differ from a clean pass",
                         name, n, total);
            free(got);
            tolerated++;
            continue;
        }
        if (rc == RL_OK) { /* in memory only: the shrinking realloc of a model, say */
            tolerated++;
            continue;
        }
        if (rc != RL_ENOMEM)
            fail_msg("%s: failing allocation %zu of %zu gave %d (%s), not RL_ENOMEM", name, n,
                     total, rc, err.message);
        if (!err.message[0])
            fail_msg("%s: failing allocation %zu gave no message", name, n);
    }
    fail_at = 0;
    free(clean);
    /* Only the few failures made harmless on purpose may pass (shrinking reallocs). */
    assert_true(tolerated * 10 < total);
    if (dir)
        remove_tree(dir);
}

static void test_planner(void **state)
{
    (void)state;
    walk("vi", "[experiment]\n"
               "name = vi\n"
               "[env]\n"
               "preset = zhao5x5\n"
               "[agent]\n"
               "algorithm = value_iteration, policy_evaluation, policy_iteration, "
               "truncated_policy_iteration\n",
         false);
    walk("vi_files", "[experiment]\n"
                     "name = vi_files\n"
                     "[env]\n"
                     "preset = zhao5x5\n"
                     "[agent]\n"
                     "algorithm = value_iteration\n",
         true);
}

static void test_tabular_learners(void **state)
{
    (void)state;
    walk("tabular", "[experiment]\n"
                    "name = tabular\n"
                    "episodes = 2\n"
                    "log_every_steps = 20\n"
                    "[env]\n"
                    "preset = cliff_walking\n"
                    "[agent]\n"
                    "algorithm = q_learning, mc_epsilon_greedy, n_step_sarsa, double_q_learning, "
                    "expected_sarsa, mc_exploring_starts, td0, random\n"
                    "max_episode_length = 1000\n",
         false);
}

/* The prediction and trace learners of S&B ch. 5-7 and 12 on the 5-state walk: batch
 * updating (whose statistics grow as new pairs of states show up) and the traces' lists. */
static void test_prediction_learners(void **state)
{
    (void)state;
    walk("prediction", "[experiment]\n"
                       "name = prediction\n"
                       "episodes = 3\n"
                       "[env]\n"
                       "preset = random_walk5\n"
                       "[agent]\n"
                       "algorithm = mc_prediction, n_step_td, td0, lambda_return, td_lambda, "
                       "true_online_td, sarsa_lambda\n"
                       "batch = true, false\n"
                       "alpha = 0.01\n"
                       "max_episode_length = 1000\n",
         false);
}

/* The files a learner's run writes: episodes, logged steps, summary and scores. */
static void test_learner_files(void **state)
{
    (void)state;
    walk("learner_files", "[experiment]\n"
                          "name = learner_files\n"
                          "episodes = 2\n"
                          "seeds = 2\n"
                          "log_every_steps = 20\n"
                          "[env]\n"
                          "preset = cliff_walking\n"
                          "[agent]\n"
                          "algorithm = q_learning\n",
         true);
}

static void test_linear_learners(void **state)
{
    (void)state;
    walk("linear", "[experiment]\n"
                   "name = linear\n"
                   "episodes = 2\n"
                   "max_steps = 30\n"
                   "[env]\n"
                   "preset = zhao5x5\n"
                   "[agent]\n"
                   "algorithm = td_linear, sarsa_linear, q_learning_linear, lstd\n"
                   "lambda = 0.5\n"
                   "features = fourier\n"
                   "order = 2\n",
         false);
}

/* dqn offline (updates through the runner, updates.csv) and online, with feature inputs:
 * the networks, the optimiser, the buffer, the scratch and the rows of every update. */
static void test_dqn_learner(void **state)
{
    (void)state;
    walk("dqn", "[experiment]\n"
                "name = dqn\n"
                "episodes = 2\n"
                "max_steps = 20\n"
                "log_every_updates = 2\n"
                "[env]\n"
                "preset = zhao5x5\n"
                "[agent]\n"
                "algorithm = dqn\n"
                "updates = 3, 0\n"
                "input = coords, features\n"
                "features = fourier\n"
                "order = 1\n"
                "hidden = 8 4\n"
                "batch = 4\n"
                "warmup = 5\n"
                "replay_size = 30\n",
         false);
    walk("dqn_files", "[experiment]\n"
                      "name = dqn_files\n"
                      "episodes = 2\n"
                      "max_steps = 10\n"
                      "[env]\n"
                      "preset = zhao5x5\n"
                      "[agent]\n"
                      "algorithm = dqn\n"
                      "updates = 2\n"
                      "outputs = 1\n"
                      "hidden = 4\n"
                      "batch = 2\n",
         true);
}

/* Dyna-Q and Dyna-Q+ on the blocking maze with its map change, logging the cumulative
 * reward: the files of learners on a changing env. */
static void test_dyna(void **state)
{
    (void)state;
    walk("dyna", "[experiment]\n"
                 "name = dyna\n"
                 "steps = 300\n"
                 "seeds = 2\n"
                 "log_every_steps = 50\n"
                 "log_cumulative_reward = true\n"
                 "[env]\n"
                 "preset = blocking_maze\n"
                 "change_at = 100\n"
                 "[agent]\n"
                 "algorithm = dyna_q, dyna_q_plus\n"
                 "planning_steps = 3\n",
         true);
}

/* An MDP file with per-state actions and a counted choice: choices.csv. */
static void test_mdp_env(void **state)
{
    (void)state;
    walk("mdp", "[experiment]\n"
                "name = mdp\n"
                "episodes = 3\n"
                "seeds = 2\n"
                "[env]\n"
                "type = mdp\n"
                "file = " GRIDRL_SOURCE_DIR "/experiments/configs/maps/maximization_bias.mdp\n"
                "[agent]\n"
                "algorithm = q_learning, double_q_learning, dyna_q_plus\n",
         true);
}

/* The Dyna learners allocate everything at init: their steps (and the steps of the envs
 * they run on, a map change and an MDP file among them) allocate nothing. */
static void test_no_allocation_per_step(void **state)
{
    (void)state;
    static const struct {
        const char *type, *key, *value, *algorithm;
    } cases[] = {
        {"gridworld", "preset", "blocking_maze", "dyna_q"},
        {"gridworld", "preset", "shortcut_maze", "dyna_q_plus"},
        {"mdp", "file", GRIDRL_SOURCE_DIR "/experiments/configs/maps/maximization_bias.mdp",
         "dyna_q_plus"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        fail_at = 0;
        const rl_env_type *type = rl_env_type_find(cases[k].type, NULL);
        rl_params *ep = rl_params_alloc(type->params);
        rl_error err;
        assert_int_equal(rl_params_set(ep, cases[k].key, cases[k].value, &err), RL_OK);
        if (strcmp(cases[k].type, "gridworld") == 0)
            assert_int_equal(rl_params_set(ep, "change_at", "500", &err), RL_OK);
        rl_env *env;
        assert_int_equal(rl_env_alloc(type, ep, &env, &err), RL_OK);
        const rl_agent *agent = rl_agent_find(cases[k].algorithm, NULL);
        rl_params *ap = rl_params_alloc(agent->learner->params);
        assert_int_equal(rl_params_set(ap, "planning_steps", "10", &err), RL_OK);
        gsl_rng *r = rl_rng_alloc(1, NULL);
        rl_learner *l;
        assert_int_equal(rl_learner_alloc(agent->learner, rl_env_space(env), ap, NULL, r, &l,
                                          &err),
                         RL_OK);
        allocations = 0;
        size_t s = rl_env_reset(env, r), a = rl_learner_begin_episode(l, s, r);
        for (int i = 0; i < 2000; i++) {
            rl_step st = rl_env_step(env, a, r);
            rl_transition t = {s, a, st.reward, st.next, st.terminated, false};
            a = rl_learner_observe(l, &t, r);
            s = st.next;
            if (st.terminated) {
                rl_learner_end_episode(l, &err);
                s = rl_env_reset(env, r);
                a = rl_learner_begin_episode(l, s, r);
            }
        }
        if (allocations)
            fail_msg("%s on %s: %zu allocations in 2000 steps", cases[k].algorithm,
                     cases[k].value, allocations);
        rl_learner_free(l);
        rl_rng_free(r);
        rl_params_free(ap);
        rl_env_free(env);
        rl_params_free(ep);
    }
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    remove_tree(tmpdir);
    return 0;
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planner),
        cmocka_unit_test(test_tabular_learners),
        cmocka_unit_test(test_prediction_learners),
        cmocka_unit_test(test_learner_files),
        cmocka_unit_test(test_linear_learners),
        cmocka_unit_test(test_dqn_learner),
        cmocka_unit_test(test_dyna),
        cmocka_unit_test(test_mdp_env),
        cmocka_unit_test(test_no_allocation_per_step),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

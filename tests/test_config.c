/* Tests of config loading and the experiment plan (experiments/config.h, plan.h, and
 * rl_plan_check of run.h), against README.md "Running experiments".
 *
 * Every config error is provoked on purpose and its code, message, file, line and key are
 * checked; the expected line is counted by hand in the config text next to it. The good
 * configs check what the plan makes of them: continuation lines, the order of the sweep's
 * configurations (worked out by hand from the README's rule "in the order the keys appear,
 * the last varying fastest"), keys known to only one of the plan's algorithms, the presets'
 * discounts (envs/preset.h's table: cliff_walking 1, sb_gridworld5x5 0.9, dyna_maze 0.95) and
 * map paths relative to the config file.
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/support.h"

#include <dirent.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

#include "experiments/runner/config.h"
#include "experiments/runner/plan.h"
#include "experiments/runner/run.h"
#include "rl/mdp.h"
#include "rl/rng.h"

#define NAME "t.ini"   /* the name configs loaded from text are given */
#define BASE "/nonexistent-base"

/* Zhao's 5x5 world with value iteration: the smallest valid plan. */
#define ZHAO_VI "[env]\npreset = zhao5x5\n[agent]\nalgorithm = value_iteration\n"

static char tmpdir[256];

/* ---- helpers ---------------------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/test_config.XXXXXX", base && base[0] ? base : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

/* Removes what the tests wrote: tmpdir holds files and one level of subdirectories. */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) != 0)
            remove_tree(path);
    }
    closedir(d);
    rmdir(dir);
}

static int group_teardown(void **state)
{
    (void)state;
    remove_tree(tmpdir);
    return 0;
}

/* Writes text to tmpdir/name (name may hold one existing subdirectory); returns the path. */
static const char *write_file(const char *name, const char *text)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

static rl_config *load(const char *text)
{
    rl_config *c = NULL;
    rl_error err;
    rl_error_clear(&err);
    int rc = rl_config_load_string(text, NAME, BASE, &c, &err);
    if (rc != RL_OK)
        fail_msg("load failed: %s:%d: %s: %s", err.file, err.line, err.key, err.message);
    assert_non_null(c);
    return c;
}

static rl_plan *build(const rl_config *c)
{
    rl_plan *p = NULL;
    rl_error err;
    rl_error_clear(&err);
    int rc = rl_plan_build(c, &p, &err);
    if (rc != RL_OK)
        fail_msg("plan failed: %s:%d: %s: %s", err.file, err.line, err.key, err.message);
    assert_non_null(p);
    return p;
}

/* Checks every part of err; key NULL means "not checked". */
static void expect_error(const rl_error *err, int code, const char *file, int line,
                         const char *key, const char *message_part)
{
    if (err->code != code)
        fail_msg("code %d (%s), expected %d; message: %s", err->code, rl_strerror(err->code),
                 code, err->message);
    assert_string_equal(err->file, file);
    if (err->line != line)
        fail_msg("line %d, expected %d; message: %s", err->line, line, err->message);
    if (key)
        assert_string_equal(err->key, key);
    assert_contains(err->message, message_part);
}

/* Loading text fails with err (no config is returned). */
static rl_error load_error(const char *text)
{
    rl_config *c = (rl_config *)1;
    rl_error err;
    rl_error_clear(&err);
    int rc = rl_config_load_string(text, NAME, BASE, &c, &err);
    assert_true(rc < 0);
    assert_int_equal(rc, err.code);
    assert_null(c);
    return err;
}

/* text loads, and building its plan fails with err (no plan is returned). */
static rl_error plan_error(const char *text)
{
    rl_config *c = load(text);
    rl_plan *p = (rl_plan *)1;
    rl_error err;
    rl_error_clear(&err);
    int rc = rl_plan_build(c, &p, &err);
    assert_true(rc < 0);
    assert_int_equal(rc, err.code);
    assert_null(p);
    rl_config_free(c);
    return err;
}

/* The plan of config c builds, and rl_plan_check fails with err. */
static rl_error check_error_of(const rl_config *c)
{
    rl_plan *p = build(c);
    rl_error err;
    rl_error_clear(&err);
    int rc = rl_plan_check(p, &err);
    assert_true(rc < 0);
    assert_int_equal(rc, err.code);
    rl_plan_free(p);
    return err;
}

/* ---- config syntax (config.c) ------------------------------------------------------ */

static void test_unknown_section(void **state)
{
    (void)state;
    /* line 1 [experiment], 2 name, 3 [agnet], 4 algorithm: the header is where it is
     * reported. */
    rl_error err = load_error("[experiment]\nname = x\n[agnet]\nalgorithm = value_iteration\n");
    expect_error(&err, RL_ENOTFOUND, NAME, 3, "", "unknown section [agnet]");
    assert_contains(err.message, "[experiment], [env], [agent]");
}

static void test_key_outside_section(void **state)
{
    (void)state;
    /* line 1 is a comment, line 2 the stray key */
    rl_error err = load_error("; a comment\ngamma = 0.9\n[agent]\nalgorithm = value_iteration\n");
    expect_error(&err, RL_EPARSE, NAME, 2, "gamma", "'gamma' is outside a section");
}

static void test_key_twice(void **state)
{
    (void)state;
    /* lines: 1 [env] 2 preset 3 [agent] 4 algorithm 5 gamma 6 (blank) 7 gamma again */
    rl_error err = load_error(ZHAO_VI "gamma = 0.5\n\ngamma = 0.6\n");
    expect_error(&err, RL_EINVAL, NAME, 7, "agent.gamma", "key given twice (first on line 5)");
    /* the same key in another section is a different key */
    rl_config *c = load("[env]\npreset = zhao5x5\nreward_step = 0\n[agent]\nreward_step = 1\n");
    assert_int_equal(c->n_entries, 3);
    rl_config_free(c);
}

/* A line of n characters (plus its newline) in the [experiment] name. */
static char *config_with_line(size_t n)
{
    size_t size = n + 256;
    char *text = malloc(size);
    assert_non_null(text);
    int used = snprintf(text, size, "[experiment]\nname = ");
    memset(text + used, 'a', n - 7); /* "name = " is 7 characters */
    snprintf(text + used + n - 7, size - (size_t)used - n + 7, "\n%s", ZHAO_VI);
    assert_int_equal(strcspn(text + 13, "\n"), n); /* line 2 starts after "[experiment]\n" */
    return text;
}

static void test_long_line(void **state)
{
    (void)state;
    /* inih as Debian builds it reads lines into a 200-byte buffer: 199 characters and the
     * NUL. A longer line would be split silently; it is an error on its line instead. */
    char *text = config_with_line(199);
    rl_config *c = load(text);
    assert_int_equal(strlen(rl_config_find(c, "experiment", "name")->value), 199 - 7);
    rl_config_free(c);
    free(text);

    size_t lengths[] = {200, 201, 500};
    for (size_t i = 0; i < 3; i++) {
        text = config_with_line(lengths[i]);
        rl_error err = load_error(text);
        expect_error(&err, RL_EPARSE, NAME, 2, "", "line is longer than 199 characters");
        assert_contains(err.message, "indented next line");
        free(text);
    }

    /* A long comment is refused too (inih would read its tail as a line of its own). Lines:
     * 1 [env] 2 preset 3 [agent] 4 algorithm 5 the comment. */
    char comment[300];
    memset(comment, 'x', sizeof comment);
    comment[0] = ';';
    comment[250] = '\0';
    char long_comment[512];
    snprintf(long_comment, sizeof long_comment, "%s%s\n", ZHAO_VI, comment);
    rl_error err = load_error(long_comment);
    expect_error(&err, RL_EPARSE, NAME, 5, "", "line is longer than 199 characters");
}

static void test_syntax_error(void **state)
{
    (void)state;
    /* line 5 has no '=' */
    rl_error err = load_error(ZHAO_VI "gamma 0.9\n");
    expect_error(&err, RL_EPARSE, NAME, 5, "", "syntax error");
    /* an unclosed section header on line 1 */
    err = load_error("[env\npreset = zhao5x5\n");
    expect_error(&err, RL_EPARSE, NAME, 1, "", "syntax error");
}

static void test_continuation_and_comments(void **state)
{
    (void)state;
    /* An indented line continues the value above it, joined with a space; " ;" starts an
     * inline comment (inih 55 does not strip one from a continuation line). Lines: 1 [env]
     * 2 preset 3 jumps 4 its continuation 5 [agent] 6 algorithm 7 continuation 8 gamma. */
    rl_config *c = load("[env]\n"
                        "preset = sb_gridworld5x5\n"
                        "jumps = 0 1 4 1 10;\n"
                        "    0 3 2 3 5\n"
                        "[agent]\n"
                        "algorithm = value_iteration,\n"
                        "    policy_iteration\n"
                        "gamma = 0.8 ; not the preset's\n");
    assert_int_equal(c->n_entries, 4);
    const rl_config_entry *jumps = rl_config_find(c, "env", "jumps");
    assert_string_equal(jumps->value, "0 1 4 1 10; 0 3 2 3 5");
    assert_int_equal(jumps->line, 3);
    const rl_config_entry *algorithm = rl_config_find(c, "agent", "algorithm");
    assert_string_equal(algorithm->value, "value_iteration, policy_iteration");
    assert_int_equal(algorithm->line, 6);
    assert_string_equal(algorithm->source, NAME);
    const rl_config_entry *gamma = rl_config_find(c, "agent", "gamma");
    assert_string_equal(gamma->value, "0.8");
    assert_int_equal(gamma->line, 8);
    assert_null(rl_config_find(c, "agent", "epsilon"));
    assert_string_equal(c->path, NAME);
    assert_string_equal(c->base_dir, BASE);

    rl_plan *p = build(c);
    assert_int_equal(p->n_configurations, 2);
    assert_string_equal(rl_agent_name(p->configurations[0].agent), "value_iteration");
    assert_string_equal(rl_agent_name(p->configurations[1].agent), "policy_iteration");
    assert_close(rl_params_double(p->configurations[1].agent_params, "gamma"), 0.8, 0);
    assert_string_equal(rl_params_string(p->configurations[0].env, "jumps"),
                        "0 1 4 1 10; 0 3 2 3 5");
    rl_plan_free(p);
    rl_config_free(c);
}

/* ---- overrides ---------------------------------------------------------------------- */

static void test_override(void **state)
{
    (void)state;
    rl_config *c = load(ZHAO_VI "gamma = 0.9\n");
    rl_error err;
    rl_error_clear(&err);
    /* replaces the file's value; now located on the command line */
    assert_int_equal(rl_config_override(c, "agent.gamma=0.5", &err), RL_OK);
    const rl_config_entry *gamma = rl_config_find(c, "agent", "gamma");
    assert_string_equal(gamma->value, "0.5");
    assert_string_equal(gamma->source, RL_CONFIG_OVERRIDE_SOURCE);
    assert_string_equal(gamma->source, "command line");
    assert_int_equal(gamma->line, 0);
    assert_int_equal(c->n_entries, 3);
    /* adds a key the file does not have; spaces around '=' are allowed */
    assert_int_equal(rl_config_override(c, "agent.theta = 0.001", &err), RL_OK);
    assert_int_equal(c->n_entries, 4);
    assert_string_equal(rl_config_find(c, "agent", "theta")->value, "0.001");

    rl_plan *p = build(c);
    assert_close(rl_params_double(p->configurations[0].agent_params, "gamma"), 0.5, 0);
    assert_close(rl_params_double(p->configurations[0].agent_params, "theta"), 0.001, 0);
    rl_plan_free(p);

    /* the same key twice on the command line is refused, as a key given twice in a file */
    assert_int_equal(rl_config_override(c, "agent.gamma=0.6", &err), RL_EINVAL);
    expect_error(&err, RL_EINVAL, "command line", 0, "agent.gamma", "key given twice");
    assert_string_equal(rl_config_find(c, "agent", "gamma")->value, "0.5");
    rl_config_free(c);

    /* a bad value given on the command line is located there */
    c = load(ZHAO_VI "gamma = 0.9\n");
    assert_int_equal(rl_config_override(c, "agent.gamma=1.5", &err), RL_OK);
    p = (rl_plan *)1;
    assert_int_equal(rl_plan_build(c, &p, &err), RL_ERANGE);
    assert_null(p);
    expect_error(&err, RL_ERANGE, "command line", 0, "agent.gamma", "1.5 is outside [0, 1]");
    /* and an unknown key too */
    rl_config_free(c);
    c = load(ZHAO_VI "gamma = 0.9\n");
    assert_int_equal(rl_config_override(c, "agent.alpha=0.1", &err), RL_OK);
    assert_int_equal(rl_plan_build(c, &p, &err), RL_ENOTFOUND);
    expect_error(&err, RL_ENOTFOUND, "command line", 0, "agent.alpha", "unknown key 'alpha'");
    rl_config_free(c);
}

static void test_override_errors(void **state)
{
    (void)state;
    rl_config *c = load(ZHAO_VI);
    static const char *const bad_syntax[] = {"agent.gamma", "gamma=0.5", "agent", "=0.5",
                                             "agent=x.y"};
    for (size_t i = 0; i < sizeof bad_syntax / sizeof *bad_syntax; i++) {
        rl_error err;
        rl_error_clear(&err);
        assert_int_equal(rl_config_override(c, bad_syntax[i], &err), RL_EINVAL);
        expect_error(&err, RL_EINVAL, "command line", 0, "", "is not section.key=value");
        assert_contains(err.message, bad_syntax[i]);
    }
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(rl_config_override(c, "agnet.gamma=0.5", &err), RL_ENOTFOUND);
    expect_error(&err, RL_ENOTFOUND, "command line", 0, "agnet.gamma", "unknown section");
    assert_contains(err.message, "experiment, env, agent");
    assert_int_equal(rl_config_override(c, "agent.=0.5", &err), RL_ENOTFOUND);
    expect_error(&err, RL_ENOTFOUND, "command line", 0, NULL, "override has no key");
    /* none of them changed the config */
    assert_int_equal(c->n_entries, 2);
    rl_config_free(c);
}

/* ---- plan: keys and values (plan.c) ------------------------------------------------- */

static void test_unknown_experiment_key(void **state)
{
    (void)state;
    /* 1 [experiment] 2 name 3 episodez */
    rl_error err = plan_error("[experiment]\nname = x\nepisodez = 5\n" ZHAO_VI);
    expect_error(&err, RL_ENOTFOUND, NAME, 3, "experiment.episodez",
                 "unknown key 'episodez' for [experiment]");
    assert_contains(err.message, "name, out, seeds, seed");
}

static void test_unknown_env_key(void **state)
{
    (void)state;
    /* 1 [env] 2 preset 3 reward_target */
    rl_error err = plan_error("[env]\npreset = zhao5x5\nreward_target = 1\n"
                              "[agent]\nalgorithm = value_iteration\n");
    expect_error(&err, RL_ENOTFOUND, NAME, 3, "env.reward_target",
                 "unknown key 'reward_target' for [env]");
    /* the valid keys, from README.md's [env] keys (gridrl list envs) */
    assert_contains(err.message, "(valid: preset, map, actions, reward_step, reward_bump, "
                                 "reward_forbidden, reward_goal, reward_cliff, reward_hole, "
                                 "goal_terminal, slip, wind, wind_noise, jumps, bump_from_forbidden, "
                                 "map_after, change_at)");
}

static void test_unknown_agent_key(void **state)
{
    (void)state;
    /* line 5: alpha is no planner's key */
    rl_error err = plan_error(ZHAO_VI "alpha = 0.1\n");
    expect_error(&err, RL_ENOTFOUND, NAME, 5, "agent.alpha",
                 "unknown key 'alpha' for the plan's algorithms");
    assert_contains(err.message, "(valid: algorithm, gamma, theta, max_iterations, in_place, "
                                 "epsilon)");
    /* eval_sweeps belongs to truncated policy iteration only */
    err = plan_error(ZHAO_VI "eval_sweeps = 3\n");
    expect_error(&err, RL_ENOTFOUND, NAME, 5, "agent.eval_sweeps", "unknown key 'eval_sweeps'");

    /* Two algorithms: the valid keys are the union, each once. policy_iteration has
     * initial_policy, policy_evaluation has policy: "policy" must still be listed. */
    err = plan_error("[env]\npreset = zhao5x5\n[agent]\n"
                     "algorithm = policy_iteration, policy_evaluation\nalpha = 1\n");
    expect_error(&err, RL_ENOTFOUND, NAME, 5, "agent.alpha", "unknown key 'alpha'");
    assert_contains(err.message, "(valid: algorithm, gamma, initial_policy, method, ties, "
                                 "theta, max_iterations, epsilon, policy, policy_file, "
                                 "values_file, in_place)");
}

static void test_missing_algorithm(void **state)
{
    (void)state;
    rl_error err = plan_error("[env]\npreset = zhao5x5\n[agent]\ngamma = 0.9\n");
    /* no line holds the missing key */
    expect_error(&err, RL_EINVAL, NAME, 0, "agent.algorithm", "[agent] needs an algorithm");
    assert_contains(err.message, "value_iteration");
    assert_contains(err.message, "policy_iteration");
}

static void test_unknown_algorithm(void **state)
{
    (void)state;
    rl_error err = plan_error("[env]\npreset = zhao5x5\n[agent]\nalgorithm = value_iteraton\n");
    expect_error(&err, RL_ENOTFOUND, NAME, 4, "agent.algorithm",
                 "unknown algorithm 'value_iteraton'");
    const rl_agent *a;
    for (size_t i = 0; (a = rl_agent_at(i)); i++)
        assert_contains(err.message, rl_agent_name(a));
    assert_contains(err.message, "(valid: policy_evaluation, value_iteration, policy_iteration, "
                                 "truncated_policy_iteration");
    /* the second item of a list is checked as well */
    err = plan_error("[env]\npreset = zhao5x5\n[agent]\n"
                     "algorithm = value_iteration, nosuch\n");
    expect_error(&err, RL_ENOTFOUND, NAME, 4, "agent.algorithm", "unknown algorithm 'nosuch'");
}

static void test_bad_values(void **state)
{
    (void)state;
    /* gamma on line 5 of each */
    rl_error err = plan_error(ZHAO_VI "gamma = abc\n");
    expect_error(&err, RL_EINVAL, NAME, 5, "agent.gamma", "expected a number in [0, 1], got 'abc'");
    err = plan_error(ZHAO_VI "gamma = 1.5\n");
    expect_error(&err, RL_ERANGE, NAME, 5, "agent.gamma", "1.5 is outside [0, 1]");
    /* slip on line 3 */
    err = plan_error("[env]\npreset = zhao5x5\nslip = 2\n[agent]\nalgorithm = value_iteration\n");
    expect_error(&err, RL_ERANGE, NAME, 3, "env.slip", "2 is outside [0, 1]");
    /* actions on line 3 */
    err = plan_error("[env]\npreset = zhao5x5\nactions = 6\n[agent]\n"
                     "algorithm = value_iteration\n");
    expect_error(&err, RL_EINVAL, NAME, 3, "env.actions", "expected one of 2|4|5|8|9, got '6'");
    /* an integer key given a fraction: max_iterations on line 5 */
    err = plan_error(ZHAO_VI "max_iterations = 2.5\n");
    expect_error(&err, RL_EINVAL, NAME, 5, "agent.max_iterations", "2.5");
    /* a bad item of a sweep: the third of gamma's list */
    err = plan_error(ZHAO_VI "gamma = 0.5, 0.9, 2\n");
    expect_error(&err, RL_ERANGE, NAME, 5, "agent.gamma", "2 is outside [0, 1]");
    /* [experiment] seeds must be >= 1: line 2 */
    err = plan_error("[experiment]\nseeds = 0\n" ZHAO_VI);
    expect_error(&err, RL_ERANGE, NAME, 2, "experiment.seeds", "0");
}

static void test_experiment_never_sweeps(void **state)
{
    (void)state;
    rl_error err = plan_error("[experiment]\nseeds = 1,2\n" ZHAO_VI);
    expect_error(&err, RL_EINVAL, NAME, 2, "experiment.seeds",
                 "[experiment] keys do not sweep: '1,2' has a comma");
    err = plan_error("[experiment]\nname = a\nout = a,b\n" ZHAO_VI);
    expect_error(&err, RL_EINVAL, NAME, 3, "experiment.out", "do not sweep");
}

static void test_empty_list_item(void **state)
{
    (void)state;
    rl_error err = plan_error(ZHAO_VI "gamma = 0.1,,0.2\n");
    expect_error(&err, RL_EINVAL, NAME, 5, "agent.gamma", "empty item 2 in the list '0.1,,0.2'");
    err = plan_error(ZHAO_VI "gamma = 0.1, 0.2,\n");
    expect_error(&err, RL_EINVAL, NAME, 5, "agent.gamma", "empty item 3");
    err = plan_error("[env]\npreset = zhao5x5\n[agent]\nalgorithm = , value_iteration\n");
    expect_error(&err, RL_EINVAL, NAME, 4, "agent.algorithm", "empty item 1");
}

static void test_unknown_preset(void **state)
{
    (void)state;
    /* 1 [experiment] 2 name 3 [env] 4 preset */
    rl_error err = plan_error("[experiment]\nname = x\n[env]\npreset = zhao6x6\n[agent]\n"
                              "algorithm = value_iteration\n");
    expect_error(&err, RL_ENOTFOUND, NAME, 4, "env.preset", "unknown preset 'zhao6x6'");
    assert_contains(err.message, "zhao5x5");
    assert_contains(err.message, "cliff_walking");
}

/* ---- plan: expansion ---------------------------------------------------------------- */

static void test_sweep_order(void **state)
{
    (void)state;
    rl_config *c = load("[experiment]\nseeds = 3\n[env]\npreset = zhao5x5\n[agent]\n"
                        "algorithm = value_iteration, policy_iteration\n"
                        "gamma = 0.5, 0.9\n");
    rl_plan *p = build(c);
    /* 2 algorithms x 2 discounts, algorithm first in the file so it varies slowest */
    static const char *const algorithm[] = {"value_iteration", "value_iteration",
                                            "policy_iteration", "policy_iteration"};
    static const double gamma[] = {0.5, 0.9, 0.5, 0.9};
    assert_int_equal(p->n_axes, 2);
    assert_string_equal(p->axes[0].entry->key, "algorithm");
    assert_string_equal(p->axes[1].entry->key, "gamma");
    assert_int_equal(p->n_configurations, 4);
    for (size_t k = 0; k < 4; k++) {
        assert_string_equal(rl_agent_name(p->configurations[k].agent), algorithm[k]);
        assert_close(rl_params_double(p->configurations[k].agent_params, "gamma"), gamma[k], 0);
        assert_int_equal(p->configurations[k].choice[0], k / 2);
        assert_int_equal(p->configurations[k].choice[1], k % 2);
    }
    assert_int_equal(p->seeds, 3);
    assert_int_equal(rl_plan_runs(p), 12);
    assert_int_equal(p->seed, 1); /* the default base seed */
    assert_string_equal(p->name, "t"); /* the config's name without .ini */
    assert_int_equal(rl_plan_check(p, NULL), RL_OK);
    rl_plan_free(p);
    rl_config_free(c);

    /* The same axes the other way round: gamma now varies slowest. */
    c = load("[env]\npreset = zhao5x5\n[agent]\ngamma = 0.5, 0.9\n"
             "algorithm = value_iteration, policy_iteration\n");
    p = build(c);
    static const char *const algorithm2[] = {"value_iteration", "policy_iteration",
                                             "value_iteration", "policy_iteration"};
    static const double gamma2[] = {0.5, 0.5, 0.9, 0.9};
    assert_int_equal(p->n_configurations, 4);
    for (size_t k = 0; k < 4; k++) {
        assert_string_equal(rl_agent_name(p->configurations[k].agent), algorithm2[k]);
        assert_close(rl_params_double(p->configurations[k].agent_params, "gamma"), gamma2[k],
                     0);
    }
    assert_int_equal(rl_plan_runs(p), 4); /* seeds defaults to 1 */
    rl_plan_free(p);
    rl_config_free(c);

    /* An [env] axis too: 3 x 2 = 6, reward_goal slowest. */
    c = load("[env]\npreset = zhao5x5\nreward_goal = 1, 2, 3\n[agent]\n"
             "algorithm = value_iteration\ngamma = 0.5, 0.9\n");
    p = build(c);
    assert_int_equal(p->n_configurations, 6);
    assert_close(rl_params_double(p->configurations[3].env, "reward_goal"), 2, 0);
    assert_close(rl_params_double(p->configurations[3].agent_params, "gamma"), 0.9, 0);
    assert_close(rl_params_double(p->configurations[4].env, "reward_goal"), 3, 0);
    assert_close(rl_params_double(p->configurations[4].agent_params, "gamma"), 0.5, 0);
    rl_plan_free(p);
    rl_config_free(c);
}

static void test_key_of_one_algorithm(void **state)
{
    (void)state;
    /* eval_sweeps is truncated policy iteration's; value iteration ignores it */
    rl_config *c = load("[env]\npreset = zhao5x5\n[agent]\n"
                        "algorithm = truncated_policy_iteration, value_iteration\n"
                        "eval_sweeps = 7\n");
    rl_plan *p = build(c);
    assert_int_equal(p->n_configurations, 2);
    const rl_configuration *tpi = &p->configurations[0], *vi = &p->configurations[1];
    assert_string_equal(rl_agent_name(tpi->agent), "truncated_policy_iteration");
    assert_int_equal(rl_params_int(tpi->agent_params, "eval_sweeps"), 7);
    assert_string_equal(rl_agent_name(vi->agent), "value_iteration");
    assert_null(rl_param_find(rl_params_table(vi->agent_params), "eval_sweeps"));
    assert_int_equal(rl_plan_check(p, NULL), RL_OK);
    rl_plan_free(p);
    rl_config_free(c);

    /* and its value is still checked: eval_sweeps >= 1, line 5 */
    rl_error err = plan_error("[env]\npreset = zhao5x5\n[agent]\n"
                              "algorithm = truncated_policy_iteration, value_iteration\n"
                              "eval_sweeps = 0\n");
    expect_error(&err, RL_ERANGE, NAME, 5, "agent.eval_sweeps", "0");
}

static void test_preset_gamma(void **state)
{
    (void)state;
    /* cliff_walking suggests gamma = 1, unlike value iteration's default 0.9 */
    rl_config *c = load("[env]\npreset = cliff_walking\n[agent]\nalgorithm = value_iteration\n");
    rl_plan *p = build(c);
    assert_close(rl_params_double(p->configurations[0].agent_params, "gamma"), 1.0, 0);
    /* and its settings apply: -1 per step, 4 actions (S&B Example 6.6) */
    assert_close(rl_params_double(p->configurations[0].env, "reward_step"), -1.0, 0);
    assert_string_equal(rl_params_text(p->configurations[0].env, "actions"), "4");
    rl_plan_free(p);
    rl_config_free(c);

    /* sb_gridworld5x5 suggests 0.9: equal to the default, so also check it was set */
    c = load("[env]\npreset = sb_gridworld5x5\n[agent]\nalgorithm = policy_iteration\n");
    p = build(c);
    assert_close(rl_params_double(p->configurations[0].agent_params, "gamma"), 0.9, 1e-15);
    assert_true(rl_params_is_set(p->configurations[0].agent_params, "gamma"));
    rl_plan_free(p);
    rl_config_free(c);

    /* dyna_maze suggests 0.95 */
    c = load("[env]\npreset = dyna_maze\n[agent]\nalgorithm = value_iteration\n");
    p = build(c);
    assert_close(rl_params_double(p->configurations[0].agent_params, "gamma"), 0.95, 1e-15);
    rl_plan_free(p);
    rl_config_free(c);

    /* the config's own gamma wins, also over a sweep */
    c = load("[env]\npreset = cliff_walking\n[agent]\nalgorithm = value_iteration\n"
             "gamma = 0.5, 0.8\n");
    p = build(c);
    assert_close(rl_params_double(p->configurations[0].agent_params, "gamma"), 0.5, 0);
    assert_close(rl_params_double(p->configurations[1].agent_params, "gamma"), 0.8, 0);
    rl_plan_free(p);
    rl_config_free(c);
}

/* ---- rl_plan_check: errors found by building the models and planners --------------- */

static void test_gamma_one_without_terminal(void **state)
{
    (void)state;
    /* Zhao's target is not terminal, so with gamma = 1 no value is finite. Lines:
     * 1 [experiment] 2 name 3 [env] 4 preset 5 [agent] 6 algorithm 7 gamma. */
    rl_config *c = load("[experiment]\nname = x\n" ZHAO_VI "gamma = 1\n");
    rl_error err = check_error_of(c);
    expect_error(&err, RL_ESINGULAR, NAME, 7, "agent.gamma", "never reaches a terminal state");
    rl_config_free(c);

    /* given on the command line, it is located there */
    c = load(ZHAO_VI);
    assert_int_equal(rl_config_override(c, "agent.gamma=1", NULL), RL_OK);
    err = check_error_of(c);
    expect_error(&err, RL_ESINGULAR, "command line", 0, "agent.gamma", "gamma = 1");
    rl_config_free(c);

    /* The second configuration of a sweep; the first (0.9) is fine. */
    c = load(ZHAO_VI "gamma = 0.9, 1\n");
    err = check_error_of(c);
    expect_error(&err, RL_ESINGULAR, NAME, 5, "agent.gamma", "never reaches a terminal state");
    rl_config_free(c);

    /* With terminal corners (S&B Example 4.1) gamma = 1 is fine. */
    c = load("[env]\npreset = sb_gridworld4x4\n[agent]\nalgorithm = value_iteration\n"
             "gamma = 1\n");
    rl_plan *p = build(c);
    assert_int_equal(rl_plan_check(p, NULL), RL_OK);
    rl_plan_free(p);
    rl_config_free(c);
}

static void test_policy_file_missing(void **state)
{
    (void)state;
    /* 1 [env] 2 preset 3 [agent] 4 algorithm 5 policy */
    rl_config *c = load("[env]\npreset = zhao5x5\n[agent]\nalgorithm = policy_evaluation\n"
                        "policy = file\n");
    rl_error err = check_error_of(c);
    expect_error(&err, RL_EINVAL, NAME, 5, "agent.policy", "policy = file needs policy_file");
    rl_config_free(c);
    c = load("[env]\npreset = zhao5x5\n[agent]\nalgorithm = policy_evaluation\n"
             "policy = greedy\n");
    err = check_error_of(c);
    expect_error(&err, RL_EINVAL, NAME, 5, "agent.policy", "policy = greedy needs values_file");
    rl_config_free(c);
}

static void test_map_missing(void **state)
{
    (void)state;
    char dir[512], config[1024], expected[600];
    snprintf(dir, sizeof dir, "%s/missing", tmpdir);
    assert_int_equal(mkdir(dir, 0700), 0);
    /* 1 [env] 2 map 3 [agent] 4 algorithm */
    snprintf(config, sizeof config, "%s",
             write_file("missing/m.ini",
                        "[env]\nmap = nothere.map\n[agent]\nalgorithm = value_iteration\n"));
    snprintf(expected, sizeof expected, "%s/nothere.map", dir);
    rl_config *c;
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(rl_config_load_file(config, &c, &err), RL_OK);
    err = check_error_of(c);
    rl_config_free(c);
    assert_int_equal(err.code, RL_EIO);
    assert_contains(err.message, "cannot read map file");
    assert_contains(err.message, expected); /* resolved against the config's directory */
    /* The key that named the file, as for policy_file (run.c). */
    assert_string_equal(err.key, "env.map");

    /* a missing config file */
    c = (rl_config *)1;
    snprintf(config, sizeof config, "%s/nothere.ini", tmpdir);
    assert_int_equal(rl_config_load_file(config, &c, &err), RL_EIO);
    assert_null(c);
    assert_contains(err.message, "cannot read config file");
    assert_contains(err.message, config);
}

static void test_map_ragged(void **state)
{
    (void)state;
    char dir[512], config[1024], map[1024];
    snprintf(dir, sizeof dir, "%s/ragged", tmpdir);
    assert_int_equal(mkdir(dir, 0700), 0);
    /* row 2 has 2 cells where 3 were expected: line 2, column 3 of the map */
    snprintf(map, sizeof map, "%s", write_file("ragged/r.map", "...\n..\n...\n"));
    snprintf(config, sizeof config, "%s",
             write_file("ragged/r.ini",
                        "[env]\nmap = r.map\n[agent]\nalgorithm = value_iteration\n"));
    rl_config *c;
    rl_error err;
    assert_int_equal(rl_config_load_file(config, &c, &err), RL_OK);
    err = check_error_of(c);
    expect_error(&err, RL_EPARSE, map, 2, NULL,
                 "row 2 has 2 cells, expected 3 (rows must all be the same width)");
    assert_int_equal(err.column, 3);
    rl_config_free(c);
}

static void test_relative_map_path(void **state)
{
    (void)state;
    char dir[512], config[1024], map[1024];
    snprintf(dir, sizeof dir, "%s/rel", tmpdir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(dir, sizeof dir, "%s/rel/maps", tmpdir);
    assert_int_equal(mkdir(dir, 0700), 0);
    /* a 2x3 map with a terminal goal */
    snprintf(map, sizeof map, "%s", write_file("rel/maps/small.map", "S..\n..G\n"));
    snprintf(config, sizeof config, "%s",
             write_file("rel/c.ini", "[env]\nmap = maps/small.map\ngoal_terminal = true\n"
                                     "[agent]\nalgorithm = value_iteration\n"));
    rl_config *c;
    rl_error err;
    assert_int_equal(rl_config_load_file(config, &c, &err), RL_OK);
    assert_string_equal(c->path, config);
    snprintf(dir, sizeof dir, "%s/rel", tmpdir);
    assert_string_equal(c->base_dir, dir);
    rl_plan *p = build(c);
    assert_string_equal(rl_params_string(p->configurations[0].env, "map"), map);
    assert_string_equal(p->name, "c");
    /* the working directory is not the config's, yet the map is found */
    assert_int_equal(rl_plan_check(p, NULL), RL_OK);
    rl_env *env;
    double *pi;
    assert_int_equal(rl_run_setup(p, 0, &env, &pi, NULL), RL_OK);
    assert_null(pi);
    assert_int_equal(rl_env_model(env)->n_states, 6);
    rl_env_free(env);
    rl_plan_free(p);
    rl_config_free(c);

    /* From text, relative paths resolve against the base directory given; absolute paths
     * are kept. */
    c = load("[env]\nmap = a/b.map\n[agent]\nalgorithm = value_iteration\n");
    p = build(c);
    assert_string_equal(rl_params_string(p->configurations[0].env, "map"), BASE "/a/b.map");
    rl_plan_free(p);
    rl_config_free(c);
    c = load("[env]\nmap = /x/b.map\n[agent]\nalgorithm = value_iteration\n");
    p = build(c);
    assert_string_equal(rl_params_string(p->configurations[0].env, "map"), "/x/b.map");
    rl_plan_free(p);
    rl_config_free(c);
}


/* ---- every error at once ------------------------------------------------------------- */

/* The errors of a list, as "LINE key: message-part" checks in order. */
typedef struct expected_error {
    int line;
    const char *key, *part;
} expected_error;

static void expect_errors(const rl_error_list *list, const expected_error *want, size_t n)
{
    for (size_t i = 0; i < list->n; i++)
        print_message("  %s:%d: %s: %s\n", list->items[i].file, list->items[i].line,
                      list->items[i].key, list->items[i].message);
    assert_int_equal(list->n, n);
    assert_int_equal(list->more, 0);
    for (size_t i = 0; i < n; i++) {
        if (list->items[i].line != want[i].line)
            fail_msg("error %zu on line %d, expected %d: %s", i, list->items[i].line,
                     want[i].line, list->items[i].message);
        assert_string_equal(list->items[i].key, want[i].key);
        assert_contains(list->items[i].message, want[i].part);
    }
}

static void test_every_parse_error(void **state)
{
    (void)state;
    /* Lines: 1 [experiment] 2 name 3 no '=' 4 [agent2] (empty, unknown) 5 [env] 6 preset
     * 7 a 250-character line 8 [agent] 9 algorithm 10 gamma 11 gamma again 12 its
     * continuation (dropped with it) 13 [env (no ']'). */
    char long_line[300];
    memset(long_line, 'x', 250);
    long_line[0] = ';';
    long_line[250] = '\0';
    char text[1024];
    snprintf(text, sizeof text,
             "[experiment]\nname = x\nseeds 3\n[agent2]\n[env]\npreset = zhao5x5\n%s\n"
             "[agent]\nalgorithm = value_iteration\ngamma = 0.9\ngamma = 0.8\n  , 0.7\n[env\n",
             long_line);
    rl_error_list list = {0};
    rl_config *c = NULL;
    assert_int_equal(rl_config_read_string(text, NAME, BASE, &c, &list), RL_EPARSE);
    const expected_error want[] = {
        {3, "", "syntax error"},
        {4, "", "unknown section [agent2]"},
        {7, "", "longer than 199 characters"},
        {11, "agent.gamma", "key given twice (first on line 10)"},
        {13, "", "syntax error"},
    };
    expect_errors(&list, want, 5);
    /* The entries without an error are kept, for the plan to check their values. */
    assert_non_null(c);
    assert_int_equal(c->n_entries, 4);
    assert_string_equal(rl_config_find(c, "agent", "gamma")->value, "0.9");
    rl_config_free(c);
    rl_error_list_free(&list);

    /* rl_config_load_string gives the first of them, and no config. */
    c = (rl_config *)1;
    rl_error err;
    assert_int_equal(rl_config_load_string(text, NAME, BASE, &c, &err), RL_EPARSE);
    assert_null(c);
    expect_error(&err, RL_EPARSE, NAME, 3, "", "syntax error");
}

static void test_every_plan_error(void **state)
{
    (void)state;
    /* Lines: 1 [experiment] 2 episodez 3 seeds 4 [env] 5 preset 6 reward_step 7 [agent]
     * 8 algorithm 9 alpha (7 is out of range) 10 gamma 11 lambda (no such key). The
     * configurations are built too, without the entries in error, and add nothing (each of
     * those errors would otherwise come again from each of the four). */
    rl_config *c = load("[experiment]\nepisodez = 3\nseeds = 0\n"
                        "[env]\npreset = cliff_walking\nreward_step = x\n"
                        "[agent]\nalgorithm = sarsa, q_learning\nalpha = 0.5, 7\ngamma = 2\n"
                        "lambda = 0.5\n");
    rl_error_list list = {0};
    rl_plan *p = (rl_plan *)1;
    assert_int_equal(rl_plan_build_all(c, &p, &list), RL_ENOTFOUND);
    assert_null(p);
    const expected_error want[] = {
        {2, "experiment.episodez", "unknown key 'episodez'"},
        {3, "experiment.seeds", "0 is outside"},
        {6, "env.reward_step", "'x'"},
        {9, "agent.alpha", "7 is outside"},
        {10, "agent.gamma", "2 is outside"},
        {11, "agent.lambda", "unknown key 'lambda'"},
    };
    expect_errors(&list, want, 6);
    rl_error_list_free(&list);
    rl_config_free(c);

    /* A sweep axis with an error leaves the plan's shape unknown: its configurations are
     * not built, and the other entries still checked. */
    c = load("[env]\npreset = zhao5x5\n[agent]\nalgorithm = value_iteration\n"
             "gamma = 0.5,,0.9\ntheta = -1\n");
    assert_int_equal(rl_plan_build_all(c, &p, &list), RL_EINVAL);
    const expected_error want2[] = {
        {5, "agent.gamma", "empty item 2"},
        {6, "agent.theta", "-1 is not > 0"},
    };
    expect_errors(&list, want2, 2);
    rl_error_list_free(&list);
    rl_config_free(c);
}

/* Each configuration's first error, each said once: four configurations (two policy files
 * that do not exist x two gammas) make two errors, one per file. */
static void test_every_check_error(void **state)
{
    (void)state;
    rl_config *c = load("[env]\npreset = zhao5x5\n[agent]\nalgorithm = policy_evaluation\n"
                        "policy = file\npolicy_file = /nonexistent/a.policy, "
                        "/nonexistent/b.policy\ngamma = 0.5, 0.9\n");
    rl_plan *p = build(c);
    assert_int_equal(p->n_configurations, 4);
    rl_error_list list = {0};
    assert_int_equal(rl_plan_check_all(p, &list), RL_EIO);
    assert_int_equal(list.n, 2);
    assert_contains(list.items[0].message, "/nonexistent/a.policy");
    assert_contains(list.items[1].message, "/nonexistent/b.policy");
    rl_error_list_free(&list);
    rl_plan_free(p);
    rl_config_free(c);
}

/* ---- [experiment] only ---------------------------------------------------------------- */

/* The configurations only = spec selects in the plan of SELECT_PLAN, as a string of 0s and
 * 1s ("" when the plan fails; err then holds why). SELECT_PLAN has 2 algorithms x alpha
 * 0.1, 0.2, 0.5: configuration k is algorithm k / 3 (sarsa, q_learning) and alpha k % 3. */
#define SELECT_PLAN                                                                         \
    "[experiment]\nepisodes = 1\n[env]\npreset = cliff_walking\n[agent]\n"                  \
    "algorithm = sarsa, q_learning\nalpha = 0.1, 0.2, 0.5\n"

static const char *selected(const char *spec, rl_error *err)
{
    static char bits[16];
    char text[512];
    snprintf(text, sizeof text, "%sepsilon = 0.1\n", SELECT_PLAN);
    rl_config *c = load(text);
    char assignment[256];
    snprintf(assignment, sizeof assignment, "experiment.only=%s", spec);
    assert_int_equal(rl_config_override(c, assignment, err), RL_OK);
    rl_plan *p = NULL;
    bits[0] = '\0';
    if (rl_plan_build(c, &p, err) == RL_OK) {
        size_t n = 0;
        for (size_t k = 0; k < p->n_configurations; k++) {
            bits[k] = rl_plan_selected(p, k) ? '1' : '0';
            n += rl_plan_selected(p, k);
        }
        bits[p->n_configurations] = '\0';
        assert_int_equal(p->n_selected, n);
        assert_int_equal(rl_plan_selected_runs(p), n * p->seeds);
        assert_int_equal(rl_plan_runs(p), 6 * p->seeds); /* the numbering is the plan's */
    }
    rl_plan_free(p);
    rl_config_free(c);
    return bits;
}

static void test_only(void **state)
{
    (void)state;
    rl_error err;
    rl_error_clear(&err);
    /* By number: one, a list, a range, both. */
    assert_string_equal(selected("3", &err), "000100");
    assert_string_equal(selected("0,5", &err), "100001");
    assert_string_equal(selected("1-3", &err), "011100");
    assert_string_equal(selected("0,2-3", &err), "101100");
    /* By values: a swept key with or without its section, numbers compared as numbers,
     * the algorithm, and a fixed key (epsilon is 0.1 everywhere). */
    assert_string_equal(selected("agent.alpha=0.2", &err), "010010");
    assert_string_equal(selected("alpha=0.10,0.5", &err), "101101");
    assert_string_equal(selected("algorithm=q_learning", &err), "000111");
    assert_string_equal(selected("epsilon=0.1", &err), "111111");
    /* Several parts: all must match. */
    assert_string_equal(selected("algorithm=sarsa alpha=0.5", &err), "001000");
    assert_string_equal(selected("0-4 algorithm=q_learning", &err), "000110");

    /* Errors, located at the override. */
    static const struct {
        const char *spec, *message;
    } bad[] = {
        {"6", "configuration 6 is not in the plan (it has 6: 0 to 5)"},
        {"4-2", "the range 4-2 goes down"},
        {"2-9", "configuration 9 is not in the plan"},
        {"1x", "is neither configuration numbers"},
        {"alpha=0.3", "'alpha=0.3' selects no configuration (alpha takes 0.1, 0.2, 0.5)"},
        {"lambda=0.5", "'lambda' is not a key of the plan's env or algorithms"},
        {"experiment.seeds=1", "a configuration is chosen by an [env] or [agent] key"},
        {"0 algorithm=q_learning", "no configuration matches all of"},
        {" ", "names no configuration"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        rl_error_clear(&err);
        assert_string_equal(selected(bad[i].spec, &err), "");
        expect_error(&err, err.code, "command line", 0, "experiment.only", bad[i].message);
    }
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_section),
        cmocka_unit_test(test_key_outside_section),
        cmocka_unit_test(test_key_twice),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_syntax_error),
        cmocka_unit_test(test_continuation_and_comments),
        cmocka_unit_test(test_override),
        cmocka_unit_test(test_override_errors),
        cmocka_unit_test(test_unknown_experiment_key),
        cmocka_unit_test(test_unknown_env_key),
        cmocka_unit_test(test_unknown_agent_key),
        cmocka_unit_test(test_missing_algorithm),
        cmocka_unit_test(test_unknown_algorithm),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_experiment_never_sweeps),
        cmocka_unit_test(test_empty_list_item),
        cmocka_unit_test(test_unknown_preset),
        cmocka_unit_test(test_sweep_order),
        cmocka_unit_test(test_key_of_one_algorithm),
        cmocka_unit_test(test_preset_gamma),
        cmocka_unit_test(test_gamma_one_without_terminal),
        cmocka_unit_test(test_policy_file_missing),
        cmocka_unit_test(test_map_missing),
        cmocka_unit_test(test_map_ragged),
        cmocka_unit_test(test_relative_map_path),
        cmocka_unit_test(test_every_parse_error),
        cmocka_unit_test(test_every_plan_error),
        cmocka_unit_test(test_every_check_error),
        cmocka_unit_test(test_only),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

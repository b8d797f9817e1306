/* Tests that the config.ini written into a result folder reproduces its experiment
 * (README.md, "Running experiments": "gridrl run DIR/config.ini runs the same experiment").
 *
 * For every shipped config (the .ini files of experiments/configs) the resolved config.ini is loaded
 * again and its plan compared with the original's, configuration by configuration: the same
 * algorithm, the same value of every [env] and [agent] key (paths compared as absolute
 * paths), the same [experiment] keys and time limit, in the same order; and the config.ini of
 * that plan is the same text again (a fixed point). Hand-written configs provoke what the
 * shipped ones may not: sweep axes out of the sections' order, presets that bring a time
 * limit (one, and two different ones), and values longer than inih's 199-character lines.
 * One experiment goes through the program twice, from its config and from its config.ini,
 * and must write the same result files.
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/process.h"
#include "tests/support.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiments/runner/config.h"
#include "experiments/runner/plan.h"
#include "experiments/runner/results.h"
#include "experiments/runner/run.h"

static char tmpdir[PATH_SIZE];

/* snprintf into an array that fails the test instead of truncating. */
#define PATHF(buf, ...)                                                                    \
    do {                                                                                   \
        if (snprintf(buf, sizeof buf, __VA_ARGS__) >= (int)sizeof buf)                     \
            fail_msg("path too long: %s", #buf);                                           \
    } while (0)

static int group_setup(void **state)
{
    (void)state;
    return tmp_dir_make(tmpdir, sizeof tmpdir, "gridrl_test_config_ini_") ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    remove_tree(tmpdir);
    return 0;
}

static void fail_on(int rc, const rl_error *err, const char *what)
{
    if (rc != RL_OK)
        fail_msg("%s: %s:%d: %s: %s", what, err->file, err->line, err->key, err->message);
}

static rl_plan *plan_of(const rl_config *c)
{
    rl_plan *p = NULL;
    rl_error err;
    rl_error_clear(&err);
    fail_on(rl_plan_build(c, &p, &err), &err, "plan");
    return p;
}

static char *config_text(const rl_plan *p)
{
    char *text = NULL;
    rl_error err;
    rl_error_clear(&err);
    fail_on(rl_results_config_text(p, &text, &err), &err, "config.ini");
    return text;
}

/* A path as the runs resolve it, absolute: the original's are relative to the working
 * directory, config.ini's absolute. */
static void absolute(const char *path, char *out, size_t size)
{
    char cwd[PATH_SIZE];
    assert_non_null(getcwd(cwd, sizeof cwd));
    int n = path[0] == '/' ? snprintf(out, size, "%s", path)
                           : snprintf(out, size, "%s/%s", cwd,
                                      strncmp(path, "./", 2) == 0 ? path + 2 : path);
    if (n >= (int)size)
        fail_msg("path too long: %s", path);
}

/* Every key of params a and b has the same value (paths as absolute paths). */
static void same_params(const rl_params *a, const rl_params *b, const char *what, size_t k)
{
    assert_ptr_equal(rl_params_table(a), rl_params_table(b));
    for (const rl_param_spec *s = rl_params_table(a); s->name; s++) {
        if (rl_params_has(a, s->name) != rl_params_has(b, s->name))
            fail_msg("configuration %zu: %s.%s is set in one plan only ('%s', '%s')", k, what,
                     s->name, rl_params_text(a, s->name), rl_params_text(b, s->name));
        char x[PATH_SIZE], y[PATH_SIZE];
        PATHF(x, "%s", rl_params_text(a, s->name));
        PATHF(y, "%s", rl_params_text(b, s->name));
        if (rl_plan_is_path_key(s->name) && x[0]) {
            absolute(rl_params_text(a, s->name), x, sizeof x);
            absolute(rl_params_text(b, s->name), y, sizeof y);
        }
        if (strcmp(x, y) != 0)
            fail_msg("configuration %zu: %s.%s is '%s' in the original, '%s' from config.ini",
                     k, what, s->name, x, y);
    }
}

/* Plans a (from the original) and b (from its config.ini) run the same experiment. */
static void same_plan(const rl_plan *a, const rl_plan *b)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->seeds, b->seeds);
    assert_int_equal(a->seed, b->seed);
    assert_ptr_equal(a->env_type, b->env_type);
    if (a->n_configurations != b->n_configurations)
        fail_msg("%zu configurations, %zu from config.ini", a->n_configurations,
                 b->n_configurations);
    assert_int_equal(a->n_axes, b->n_axes);
    for (size_t i = 0; i < a->n_axes; i++) {
        assert_string_equal(a->axes[i].entry->section, b->axes[i].entry->section);
        assert_string_equal(a->axes[i].entry->key, b->axes[i].entry->key);
    }
    for (const rl_param_spec *s = rl_experiment_params; s->name; s++)
        if (strcmp(s->name, "max_steps") != 0 && strcmp(s->name, "name") != 0) {
            assert_int_equal(rl_params_has(a->experiment, s->name),
                             rl_params_has(b->experiment, s->name));
            assert_string_equal(rl_params_text(a->experiment, s->name),
                                rl_params_text(b->experiment, s->name));
        }
    for (size_t k = 0; k < a->n_configurations; k++) {
        const rl_configuration *x = &a->configurations[k], *y = &b->configurations[k];
        if (x->agent != y->agent)
            fail_msg("configuration %zu: %s, %s from config.ini", k, rl_agent_name(x->agent),
                     rl_agent_name(y->agent));
        same_params(x->env, y->env, "env", k);
        same_params(x->agent_params, y->agent_params, "agent", k);
        /* The time limit: [experiment] max_steps, else the preset's. */
        assert_int_equal(rl_run_max_steps(a, x), rl_run_max_steps(b, y));
    }
}

/* No line of text reaches inih's 200 characters. */
static void lines_fit(const char *text, const char *what)
{
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        if (len >= 200)
            fail_msg("%s: a line of %zu characters: %.60s...", what, len, line);
        line += len + (line[len] == '\n');
    }
}

/* Loads config c's config.ini back (as a file in tmpdir, as a run would) and checks it
 * runs the same plan and writes itself again. Returns the config.ini text (free it). */
static char *round_trip(const rl_config *c, const char *what)
{
    rl_plan *original = plan_of(c);
    char *text = config_text(original);
    lines_fit(text, what);
    char path[PATH_SIZE];
    PATHF(path, "%s/config.ini", tmpdir);
    write_file(path, text);
    rl_config *again = NULL;
    rl_error err;
    rl_error_clear(&err);
    int rc = rl_config_load_file(path, &again, &err);
    if (rc != RL_OK)
        fail_msg("%s: config.ini does not load: %s:%d: %s: %s\n%s", what, err.file, err.line,
                 err.key, err.message, text);
    rl_plan *rerun = plan_of(again);
    same_plan(original, rerun);
    char *text2 = config_text(rerun);
    if (strcmp(text, text2) != 0)
        fail_msg("%s: config.ini of the config.ini differs:\n%s\n---\n%s", what, text, text2);
    free(text2);
    rl_plan_free(rerun);
    rl_config_free(again);
    rl_plan_free(original);
    return text;
}

static char *round_trip_text(const char *ini, const char *what)
{
    rl_config *c = NULL;
    rl_error err;
    rl_error_clear(&err);
    fail_on(rl_config_load_string(ini, "t.ini", tmpdir, &c, &err), &err, what);
    char *text = round_trip(c, what);
    rl_config_free(c);
    return text;
}

/* ---- every shipped config ------------------------------------------------------------ */

static void test_shipped_configs(void **state)
{
    (void)state;
    char dir[PATH_SIZE];
    PATHF(dir, "%s/experiments/configs", GRIDRL_SOURCE_DIR);
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ini") != 0)
            continue;
        char path[PATH_SIZE];
        PATHF(path, "%s/%s", dir, e->d_name);
        rl_config *c = NULL;
        rl_error err;
        rl_error_clear(&err);
        fail_on(rl_config_load_file(path, &c, &err), &err, e->d_name);
        free(round_trip(c, e->d_name));
        rl_config_free(c);
        n++;
    }
    closedir(d);
    assert_true(n >= 40); /* the configs of README.md's list are all there */
}

/* ---- what the shipped configs may not show -------------------------------------------- */

/* The axes [agent] alpha, [env] slip, [agent] epsilon, in this order, number the
 * configurations with epsilon fastest and alpha slowest: config.ini must keep that order
 * although its sections come as [env], [agent]. Configuration 5 is alpha 0.2 (5 / 4 = 1),
 * slip 0 (5 / 2 % 2 = 0), epsilon 0.2 (5 % 2 = 1). */
static void test_axes_out_of_section_order(void **state)
{
    (void)state;
    static const char INI[] = "[experiment]\nepisodes = 1\n"
                              "[agent]\nalgorithm = sarsa\nalpha = 0.1, 0.2\n"
                              "[env]\npreset = cliff_walking\nslip = 0, 0.1\n"
                              "[agent]\nepsilon = 0.1, 0.2\n";
    char *text = round_trip_text(INI, "axes");
    assert_contains(text, "[agent]\nalgorithm = sarsa\n");
    assert_contains(text, "alpha = 0.1, 0.2\n\n[env]\nslip = 0, 0.1\n\n[agent]\n"
                          "epsilon = 0.1, 0.2\n");
    free(text);
    rl_config *c = NULL;
    assert_int_equal(rl_config_load_string(INI, "t.ini", tmpdir, &c, NULL), RL_OK);
    rl_plan *p = plan_of(c);
    assert_string_equal(rl_params_text(p->configurations[5].agent_params, "alpha"), "0.2");
    assert_string_equal(rl_params_text(p->configurations[5].env, "slip"), "0");
    assert_string_equal(rl_params_text(p->configurations[5].agent_params, "epsilon"), "0.2");
    rl_plan_free(p);
    rl_config_free(c);
}

/* The algorithm swept after alpha: the algorithm varies fastest, in config.ini too. */
static void test_algorithm_axis_after_another(void **state)
{
    (void)state;
    char *text = round_trip_text("[experiment]\nepisodes = 1\n[env]\npreset = cliff_walking\n"
                                 "[agent]\nalpha = 0.1, 0.5\n"
                                 "algorithm = sarsa, q_learning, expected_sarsa\n",
                                 "algorithm axis");
    assert_contains(text, "alpha = 0.1, 0.5\nalgorithm = sarsa, q_learning, expected_sarsa\n");
    free(text);
}

/* FrozenLake's preset brings a 100-step limit (envs/preset.h): config.ini must say 100,
 * not the key's default 0 (which would turn the limit off). */
static void test_preset_time_limit(void **state)
{
    (void)state;
    char *text = round_trip_text("[experiment]\nepisodes = 1\n[env]\npreset = frozenlake4x4\n"
                                 "[agent]\nalgorithm = q_learning\n",
                                 "time limit");
    assert_contains(text, "\nmax_steps = 100\n");
    free(text);
}

/* Two presets with different limits (100 and 200 steps): config.ini leaves the key out,
 * and each configuration gets its preset's again (same_plan compares them). */
static void test_preset_time_limits_differ(void **state)
{
    (void)state;
    char *text = round_trip_text("[experiment]\nepisodes = 1\n"
                                 "[env]\npreset = frozenlake4x4, frozenlake8x8\n"
                                 "[agent]\nalgorithm = q_learning\n",
                                 "time limits");
    assert_null(strstr(text, "\nmax_steps ="));
    assert_contains(text, "; max_steps differs between configurations");
    free(text);
}

/* Three policy files under a folder with a 120-character name: their absolute paths make a
 * value over 400 characters, and the map's path a comment over 200. config.ini continues
 * them on indented lines, which load back as the same values. */
static void test_long_values(void **state)
{
    (void)state;
    char deep[PATH_SIZE], name[130], path[PATH_SIZE];
    memset(name, 'd', 120);
    name[120] = '\0';
    PATHF(deep, "%s/%s", tmpdir, name);
    assert_int_equal(mkdir(deep, 0700), 0);
    PATHF(path, "%s/m.map", deep);
    write_file(path, "S..\n..G\n");
    char ini[2048];
    PATHF(ini,
             "[env]\nmap = %s/m.map\n[agent]\nalgorithm = policy_evaluation\npolicy = file\n"
             "policy_file = %s/a.policy,\n  %s/b.policy,\n  %s/c.policy\n",
             name, name, name, name);
    char *text = round_trip_text(ini, "long values");
    assert_contains(text, "policy_file = ");
    assert_contains(text, "/b.policy,\n    "); /* broken after the second path */
    free(text);
}

/* ---- through the program ---------------------------------------------------------------- */

/* A sweep of two algorithms (they share gamma, alpha, epsilon) and two alphas, run from its
 * config and then from the config.ini it wrote: the same result files, byte for byte. */
static void test_rerun_writes_the_same_files(void **state)
{
    (void)state;
    char config[PATH_SIZE], first[PATH_SIZE], second[PATH_SIZE], again[PATH_SIZE];
    PATHF(config, "%s/sweep.ini", tmpdir);
    PATHF(first, "%s/first", tmpdir);
    PATHF(second, "%s/second", tmpdir);
    PATHF(again, "%s/config.ini", first);
    write_file(config, "[experiment]\nepisodes = 5\nseeds = 3\n"
                       "[env]\npreset = frozenlake4x4\n"
                       "[agent]\nalgorithm = sarsa, q_learning\nalpha = 0.1, 0.5\n");
    result r = RUN("run", config, "-o", first, "-q");
    assert_int_equal(r.status, 0);
    result_free(&r);
    r = RUN("run", again, "-o", second, "-q");
    if (r.status != 0)
        fail_msg("gridrl run DIR/config.ini: status %d: %s", r.status, r.err);
    result_free(&r);
    static const char *const FILES[] = {"config.ini",   "configs.csv", "runs.csv",
                                        "episodes.csv", "values.csv",  "policy.csv",
                                        "summary.csv",  "scores.csv"};
    for (size_t i = 0; i < sizeof FILES / sizeof *FILES; i++) {
        char a[PATH_SIZE], b[PATH_SIZE];
        PATHF(a, "%s/%s", first, FILES[i]);
        PATHF(b, "%s/%s", second, FILES[i]);
        char *x = slurp(a), *y = slurp(b);
        assert_non_null(x);
        assert_non_null(y);
        if (strcmp(x, y) != 0)
            fail_msg("%s differs between the run and its re-run", FILES[i]);
        free(x);
        free(y);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_configs),
        cmocka_unit_test(test_axes_out_of_section_order),
        cmocka_unit_test(test_algorithm_axis_after_another),
        cmocka_unit_test(test_preset_time_limit),
        cmocka_unit_test(test_preset_time_limits_differ),
        cmocka_unit_test(test_long_values),
        cmocka_unit_test(test_rerun_writes_the_same_files),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/* Tests of the lines of a picture (experiments/plot/series.h): the experiment read from its
 * configs.csv and config.ini, --configs, legend labels, titles and the colours grouped by
 * algorithm. Results directories are written by hand; every expected label, colour and
 * selection is worked out here (the colour arithmetic in the comments).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "tests/process.h"
#include "tests/support.h"

#include "agents/registry.h"
#include "experiments/plot/series.h"

static char tmpdir[PATH_SIZE];

/* A results directory NAME with configs.csv and config.ini as given; its path in dir. */
static void make_dir(char *dir, size_t size, const char *name, const char *configs,
                     const char *ini)
{
    char path[PATH_SIZE + 64];
    if (snprintf(dir, size, "%s/%s", tmpdir, name) >= (int)size)
        fail_msg("path too long");
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/configs.csv", dir);
    write_file(path, configs);
    snprintf(path, sizeof path, "%s/config.ini", dir);
    write_file(path, ini);
}

static rl_plot_experiment read_experiment(const char *dir)
{
    rl_plot_experiment e;
    rl_error err;
    rl_error_clear(&err);
    if (rl_plot_experiment_read(dir, &e, &err) != RL_OK)
        fail_msg("%s: %s", dir, err.message);
    return e;
}

static const char sweep_configs[] = "config,algorithm,alpha\n"
                                    "0,sarsa,0.1\n1,sarsa,0.5\n2,sarsa,0.9\n"
                                    "3,q_learning,0.1\n4,q_learning,0.5\n5,q_learning,0.9\n";
static const char sweep_ini[] = "; a comment\n[experiment]\nname = cliff_sweep\nseeds = 2\n\n"
                                "[env]\npreset = cliff_walking\nactions = 4\n\n"
                                "[agent]\nalgorithm = sarsa, q_learning\n";

static void test_names(void **state)
{
    (void)state;
    char name[64];
    static const char *const CASES[][3] = {
        {"q_learning", "Q-learning", "Q-learning"},
        {"expected_sarsa", "Expected Sarsa", "Expected Sarsa"},
        {"value_iteration", "value iteration", "value iteration"},
        {"td0", "TD(0)", "TD(0)"},
        {"mc_epsilon_greedy", "MC ε-greedy", "MC epsilon-greedy"},
        {"td_lambda", "TD(λ)", "TD(lambda)"},
        {"sarsa_lambda", "Sarsa(λ)", "Sarsa(lambda)"},
        {"dqn", "DQN", "DQN"},
        {"dyna_q", "Dyna-Q", "Dyna-Q"},
        {"dyna_q_plus", "Dyna-Q+", "Dyna-Q+"},
        {"my_new_agent", "my new agent", "my new agent"}, /* not in the table: '_' as ' ' */
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        rl_plot_algorithm_name(CASES[i][0], false, name, sizeof name);
        assert_string_equal(name, CASES[i][1]);
        rl_plot_algorithm_name(CASES[i][0], true, name, sizeof name);
        assert_string_equal(name, CASES[i][2]);
    }
    /* Every algorithm of the registry has a name written for people, not its identifier
     * with spaces (the planners' and "random" read well as they are), and an ASCII one for
     * the terminal. */
    static const char *const AS_IS[] = {"policy_evaluation", "value_iteration",
                                        "policy_iteration", "truncated_policy_iteration",
                                        "random"};
    for (size_t k = 0; rl_agent_at(k); k++) {
        const char *algorithm = rl_agent_name(rl_agent_at(k));
        char spaced[64];
        snprintf(spaced, sizeof spaced, "%s", algorithm);
        for (char *c = spaced; *c; c++)
            *c = *c == '_' ? ' ' : *c;
        bool as_is = false;
        for (size_t i = 0; i < sizeof AS_IS / sizeof AS_IS[0]; i++)
            as_is |= strcmp(algorithm, AS_IS[i]) == 0;
        rl_plot_algorithm_name(algorithm, false, name, sizeof name);
        if (!as_is && strcmp(name, spaced) == 0)
            fail_msg("%s has no readable name in rl_plot_algorithm_name's table", algorithm);
        rl_plot_algorithm_name(algorithm, true, name, sizeof name);
        for (const char *c = name; *c; c++)
            if ((unsigned char)*c >= 0x80)
                fail_msg("%s's ASCII name '%s' is not ASCII", algorithm, name);
    }
}

static void test_experiment_and_labels(void **state)
{
    (void)state;
    char dir[PATH_SIZE];
    make_dir(dir, sizeof dir, "features", "config,algorithm,alpha,features\n"
                                          "0,td_linear,0.5,fourier\n1,td_linear,0.5,polynomial\n",
             "[experiment]\nname = fig8_7\n[env]\nmap = /some/where/rooms30.map\n");
    rl_plot_experiment e = read_experiment(dir);
    assert_int_equal(e.n_configs, 2);
    assert_string_equal(e.name, "fig8_7");
    assert_string_equal(e.env, "rooms30.map"); /* a map is named by its file */
    char label[256];
    rl_plot_label(&e, 0, NULL, false, false, label, sizeof label);
    assert_string_equal(label, "TD-Linear, α = 0.5, features = fourier");
    rl_plot_label(&e, 0, NULL, false, true, label, sizeof label);
    assert_string_equal(label, "TD-Linear, alpha = 0.5, features = fourier");
    rl_plot_label(&e, 1, "alpha", true, false, label, sizeof label);
    assert_string_equal(label, "TD-Linear, features = polynomial (fig8_7)");
    /* Groups: the algorithm and the values that are not numbers. */
    rl_plot_group(&e, 1, NULL, label, sizeof label);
    assert_string_equal(label, "td_linear|features=polynomial");
    char title[256];
    rl_plot_title(&e, 1, title, sizeof title);
    assert_string_equal(title, "fig8_7 on rooms30.map");
    assert_false(e.cumulative_reward);
    rl_plot_experiment_free(&e);

    /* An MDP file is named by its file too; log_cumulative_reward says steps.csv's rows
     * have the column. */
    make_dir(dir, sizeof dir, "mdp", "config,algorithm\n0,q_learning\n1,double_q_learning\n",
             "[experiment]\nname = fig6_5\nlog_every_steps = 1\nlog_cumulative_reward = true\n"
             "[env]\ntype = mdp\nfile = /some/where/maximization_bias.mdp\n");
    e = read_experiment(dir);
    rl_plot_title(&e, 1, title, sizeof title);
    assert_string_equal(title, "fig6_5 on maximization_bias.mdp");
    assert_true(e.cumulative_reward);
    rl_plot_label(&e, 1, NULL, false, false, label, sizeof label);
    assert_string_equal(label, "Double Q-learning");
    rl_plot_experiment_free(&e);

    /* A preset is named as it is; without config.ini, the directory's name. */
    make_dir(dir, sizeof dir, "sweep", sweep_configs, sweep_ini);
    e = read_experiment(dir);
    assert_string_equal(e.name, "cliff_sweep");
    assert_string_equal(e.env, "cliff_walking");
    rl_plot_experiment e2 = read_experiment(dir);
    rl_plot_experiment both[2] = {e, e2};
    rl_plot_title(both, 2, title, sizeof title);
    assert_string_equal(title, "cliff_sweep + cliff_sweep on cliff_walking");
    rl_plot_experiment_free(&e);
    rl_plot_experiment_free(&e2);
    char path[PATH_SIZE + 64];
    snprintf(path, sizeof path, "%s/config.ini", dir);
    remove(path);
    e = read_experiment(dir);
    assert_string_equal(e.name, "sweep");
    assert_string_equal(e.env, "");
    rl_plot_experiment_free(&e);

    /* configs.csv that is not gridrl's. */
    make_dir(dir, sizeof dir, "bad", "config,alpha\n0,0.5\n", "");
    rl_error err;
    assert_int_equal(rl_plot_experiment_read(dir, &e, &err), RL_EPARSE);
    assert_contains(err.file, "configs.csv");
    make_dir(dir, sizeof dir, "gap", "config,algorithm\n0,sarsa\n2,sarsa\n", "");
    assert_int_equal(rl_plot_experiment_read(dir, &e, &err), RL_EPARSE);
    assert_int_equal(err.line, 3);
}

/* Which configurations a --configs list selects, as a string of 0s and 1s. */
static void expect_selection(rl_plot_experiment *e, const char *spec, const char *expected)
{
    rl_error err;
    rl_error_clear(&err);
    if (rl_plot_select(e, 1, spec, &err) != RL_OK)
        fail_msg("--configs %s: %s", spec, err.message);
    char got[16] = "";
    for (size_t k = 0; k < e->n_configs; k++)
        got[k] = e->selected[k] ? '1' : '0';
    if (strcmp(got, expected) != 0)
        fail_msg("--configs %s selected %s, expected %s", spec, got, expected);
}

static void expect_select_error(rl_plot_experiment *e, const char *spec, const char *message)
{
    rl_error err;
    rl_error_clear(&err);
    assert_int_equal(rl_plot_select(e, 1, spec, &err), RL_EINVAL);
    assert_contains(err.message, message);
}

static void test_select(void **state)
{
    (void)state;
    char dir[PATH_SIZE];
    make_dir(dir, sizeof dir, "select", sweep_configs, sweep_ini);
    rl_plot_experiment e = read_experiment(dir);
    expect_selection(&e, "0,2-3", "101100");
    expect_selection(&e, "5", "000001");
    expect_selection(&e, "algorithm=sarsa", "111000");
    expect_selection(&e, "algorithm=q_learning,alpha=0.5", "000010");
    /* Values of one key are alternatives; numbers compare as numbers (0.50 is 0.5). */
    expect_selection(&e, "alpha=0.10,alpha=0.9", "101101");
    expect_selection(&e, "alpha=0.50,algorithm=sarsa,alpha=0.1", "110000");
    expect_select_error(&e, "gamma=1", "no swept key 'gamma'");
    expect_select_error(&e, "gamma=1", "algorithm, alpha"); /* the columns it has */
    expect_select_error(&e, "6", "no configuration 6");
    expect_select_error(&e, "2-x", "not a configuration number");
    expect_select_error(&e, "3-1", "not a configuration number");
    expect_select_error(&e, "0,,1", "empty term");
    expect_select_error(&e, "algorithm=sarsa,2", "not key=value");
    expect_select_error(&e, "algorithm=dqn", "no configuration matches");
    rl_plot_experiment_free(&e);
}

/* Shade i of m: from the hue mixed 45% with black, through the hue, to 55% with white. */
static void test_colours(void **state)
{
    (void)state;
    char dir[PATH_SIZE];
    make_dir(dir, sizeof dir, "colours", sweep_configs, sweep_ini);
    rl_plot_experiment e = read_experiment(dir);
    rl_plot_series s[12];
    size_t n;
    rl_plot_series_make(&e, 1, NULL, false, s, &n);
    assert_int_equal(n, 6);
    /* Sarsa: the first hue, Tableau blue #1f77b4 = (31, 119, 180). Shade 0 of 3: each channel
     * times 0.55: (17.05, 65.45, 99) -> #114163; shade 1 the hue; shade 2: c + (255 - c) 0.55:
     * (154.2, 193.8, 221.25) -> #9ac2dd. Q-learning: Tableau red #d62728 = (214, 39, 40):
     * (117.7, 21.45, 22) -> #761516, then #d62728, then (236.55, 157.8, 158.25) -> #ed9e9e. */
    static const char *const COLOURS[6] = {"#114163", "#1f77b4", "#9ac2dd",
                                           "#761516", "#d62728", "#ed9e9e"};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(s[i].id, i);
        assert_string_equal(s[i].colour, COLOURS[i]);
        assert_int_equal(s[i].dash, 1);
    }
    assert_string_equal(s[4].label, "Q-learning, α = 0.5");

    /* One group (Sarsa alone): each member its own hue of the palette instead. */
    assert_int_equal(rl_plot_select(&e, 1, "algorithm=sarsa", NULL), RL_OK);
    rl_plot_series_make(&e, 1, NULL, false, s, &n);
    assert_int_equal(n, 3);
    assert_string_equal(s[0].colour, "#1f77b4");
    assert_string_equal(s[1].colour, "#d62728");
    assert_string_equal(s[2].colour, "#2ca02c");

    /* Two experiments: ids go on from the first's configurations; the same algorithm keeps
     * its hue and changes its dash; labels name the experiment. */
    rl_plot_experiment both[2] = {e, read_experiment(dir)};
    assert_int_equal(rl_plot_select(both, 2, "alpha=0.5", NULL), RL_OK);
    both[1].first_id = both[0].n_configs;
    rl_plot_series_make(both, 2, NULL, false, s, &n);
    assert_int_equal(n, 4);
    const size_t ids[4] = {1, 4, 7, 10};
    const char *const colours[4] = {"#1f77b4", "#d62728", "#1f77b4", "#d62728"};
    const int dashes[4] = {1, 1, 2, 2};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(s[i].id, ids[i]);
        assert_string_equal(s[i].colour, colours[i]);
        assert_int_equal(s[i].dash, dashes[i]);
    }
    assert_string_equal(s[3].label, "Q-learning, α = 0.5 (cliff_sweep)");

    /* The file gnuplot reads: tab-separated, the label whole. */
    assert_int_equal(rl_plot_series_write(tmpdir, "series.tsv", s, 1, NULL), RL_OK);
    char path[PATH_SIZE + 32];
    snprintf(path, sizeof path, "%s/series.tsv", tmpdir);
    char *text = slurp(path);
    assert_string_equal(text, "series\texperiment\tconfig\tlabel\tcolour\tdash\n"
                              "1\t0\t1\tSarsa, α = 0.5 (cliff_sweep)\t#1f77b4\t1\n");
    free(text);
    rl_plot_experiment_free(&both[0]);
    rl_plot_experiment_free(&both[1]);
}

int main(void)
{
    if (!tmp_dir_make(tmpdir, sizeof tmpdir, "gridrl_test_series_")) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_experiment_and_labels),
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_colours),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (!failed)
        remove_tree(tmpdir);
    return failed;
}

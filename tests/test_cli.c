/* Tests of the gridrl command line: runs the built program (GRIDRL_BINARY) with its output
 * captured and checks what a user sees, plus the drawing and helper functions it is made of.
 *
 * Expected grids come from the books' coordinates (copied into the tests
 * below), not from the map files the program reads.
 */
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, setenv */

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "tests/process.h"
#include "tests/support.h"

#include "agents/registry.h"
#include "envs/gridworld.h"
#include "envs/preset.h"
#include "experiments/cli/cli.h"
#include "experiments/cli/grid_draw.h"
#include "rl/rng.h"

static char tmpdir[256];

/* The line of text that starts with prefix, copied into line (without its newline). */
static bool find_line(const char *text, const char *prefix, char *line, size_t size)
{
    size_t k = strlen(prefix);
    for (const char *p = text; p && *p;) {
        size_t len = strcspn(p, "\n");
        if (len >= k && strncmp(p, prefix, k) == 0) {
            snprintf(line, size, "%.*s", (int)len, p);
            return true;
        }
        p += len + (p[len] == '\n');
    }
    return false;
}

/* Splits the inside of grid row `row` (between its first and last bar) into its
 * space-separated cell tokens; returns how many. */
static size_t grid_row(const char *text, size_t row, const char *bar, char tokens[][16],
                       size_t max)
{
    char prefix[32], line[1024];
    snprintf(prefix, sizeof prefix, "%zu %s", row, bar);
    if (!find_line(text, prefix, line, sizeof line))
        fail_msg("no grid row %zu in:\n%s", row, text);
    char *inside = line + strlen(prefix);
    char *end = strstr(inside, bar);
    char *last = end;
    while (end) {
        last = end;
        end = strstr(end + 1, bar);
    }
    if (!last)
        fail_msg("grid row %zu has no closing bar: %s", row, line);
    *last = '\0';
    size_t n = 0;
    for (char *tok = strtok(inside, " "); tok && n < max; tok = strtok(NULL, " "))
        snprintf(tokens[n++], 16, "%s", tok);
    return n;
}

/* Zhao's 5x5 world (ch. 2, 0-based): forbidden (1,1),(1,2),(2,2),(3,1),(3,3),(4,1); target (3,2). */
static char zhao_cell(size_t r, size_t c)
{
    static const size_t forbidden[][2] = {{1, 1}, {1, 2}, {2, 2}, {3, 1}, {3, 3}, {4, 1}};
    for (size_t k = 0; k < 6; k++)
        if (forbidden[k][0] == r && forbidden[k][1] == c)
            return 'X';
    return r == 3 && c == 2 ? 'G' : '.';
}

static void test_list_names(void **state)
{
    (void)state;
    result r = RUN("list");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    /* Every preset and every [env] key of the README, written out independently of the
     * tables, and then every entry of the tables themselves. */
    static const char *const presets[] = {"zhao5x5",       "sb_gridworld4x4", "sb_gridworld5x5",
                                          "windy_gridworld", "cliff_walking", "frozenlake4x4",
                                          "frozenlake8x8", "dyna_maze"};
    static const char *const keys[] = {
        "preset",      "map",         "actions",      "reward_step",   "reward_bump",
        "reward_forbidden", "reward_goal", "reward_cliff", "reward_hole", "goal_terminal",
        "slip",        "wind",        "wind_noise",   "jumps"};
    for (size_t i = 0; i < sizeof presets / sizeof *presets; i++)
        assert_contains(r.out, presets[i]);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        assert_contains(r.out, keys[i]);
    for (const rl_preset *const *p = rl_presets; *p; p++)
        assert_contains(r.out, (*p)->name);
    for (const rl_param_spec *s = rl_gridworld_params; s->name; s++)
        assert_contains(r.out, s->name);
    if (!rl_agent_at(0))
        assert_contains(r.out, "(none yet)");
    const rl_agent *a;
    for (size_t i = 0; (a = rl_agent_at(i)); i++)
        assert_contains(r.out, rl_agent_name(a));

    /* The slip row: a probability whose default is 0 (README.md), in aligned columns. */
    char line[512];
    assert_true(find_line(r.out, "    slip ", line, sizeof line));
    assert_contains(line, " 0 ");
    assert_contains(line, "[0, 1]");
    /* FrozenLake's suggested time limits (Gymnasium FrozenLake-v1: 100 and 200 steps). */
    assert_contains(r.out, "max_steps = 100");
    assert_contains(r.out, "max_steps = 200");
    result_free(&r);
}

static void test_list_sections(void **state)
{
    (void)state;
    result r = RUN("list", "presets");
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "zhao5x5");
    assert_null(strstr(r.out, "ENVIRONMENTS"));
    assert_null(strstr(r.out, "AGENTS"));
    result_free(&r);

    r = RUN("list", "envs");
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "reward_forbidden");
    assert_null(strstr(r.out, "PRESETS"));
    result_free(&r);

    r = RUN("list", "agents");
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "AGENTS");
    assert_null(strstr(r.out, "zhao5x5"));
    result_free(&r);

    /* The [experiment] keys the README documents, written out by hand. */
    r = RUN("list", "experiment");
    assert_int_equal(r.status, 0);
    static const char *const EXPERIMENT_KEYS[] = {
        "name", "out", "seeds", "seed", "episodes", "steps", "max_steps", "start",
        "log_every_steps", "score_episodes", "plot", "live",
    };
    for (size_t i = 0; i < sizeof EXPERIMENT_KEYS / sizeof EXPERIMENT_KEYS[0]; i++) {
        char row[64];
        snprintf(row, sizeof row, "\n    %s ", EXPERIMENT_KEYS[i]);
        assert_contains(r.out, row);
    }
    assert_null(strstr(r.out, "zhao5x5"));
    result_free(&r);

    /* The feature kinds of the linear learners, each with its own keys (written out here). */
    r = RUN("list", "features");
    assert_int_equal(r.status, 0);
    const char *const kinds[] = {"one_hot:", "polynomial:", "fourier:", "tile:", "rbf:"};
    for (size_t i = 0; i < 5; i++)
        assert_contains(r.out, kinds[i]);
    const char *const keys[] = {"order", "tilings", "tiles", "centers", "width",
                                "action_features"};
    for (size_t i = 0; i < 6; i++)
        assert_contains(r.out, keys[i]);
    assert_null(strstr(r.out, "PRESETS"));
    result_free(&r);

    r = RUN("list", "bogus");
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    assert_contains(r.err, "bogus");
    assert_contains(r.err, "envs, presets, agents");
    result_free(&r);
}

static void test_show_zhao(void **state)
{
    (void)state;
    result r = RUN("show", "zhao5x5");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_null(strchr(r.out, '\033')); /* stdout is a file: no colour */
    assert_contains(r.out, "5x5");
    for (size_t row = 0; row < 5; row++) {
        char tokens[8][16];
        assert_int_equal(grid_row(r.out, row, "│", tokens, 8), 5);
        for (size_t col = 0; col < 5; col++) {
            char c = zhao_cell(row, col);
            const char *want = c == 'X' ? "▒" : c == 'G' ? "★" : "·";
            if (strcmp(tokens[col], want) != 0)
                fail_msg("cell (%zu, %zu) is '%s', expected '%s'", row, col, tokens[col], want);
        }
    }
    assert_contains(r.out, "▒ forbidden");
    assert_contains(r.out, "★ goal");
    /* Zhao's actions, in order (Zhao ch. 2), and the book's gamma. */
    assert_contains(r.out, "up ↑, right →, down ↓, left ←, stay ↺");
    assert_contains(r.out, "agent.gamma = 0.9");
    result_free(&r);
}

static void test_show_zhao_ascii(void **state)
{
    (void)state;
    result r = RUN("show", "zhao5x5", "--ascii");
    assert_int_equal(r.status, 0);
    for (size_t row = 0; row < 5; row++) {
        char tokens[8][16], drawn[8] = "", want[8] = "";
        assert_int_equal(grid_row(r.out, row, "|", tokens, 8), 5);
        for (size_t col = 0; col < 5; col++) {
            assert_int_equal(strlen(tokens[col]), 1);
            drawn[col] = tokens[col][0];
            want[col] = zhao_cell(row, col);
        }
        assert_string_equal(drawn, want);
    }
    result_free(&r);
}

static void test_show_color(void **state)
{
    (void)state;
    result r = RUN("show", "zhao5x5", "--color=always");
    assert_int_equal(r.status, 0);
    assert_non_null(strchr(r.out, '\033'));
    result_free(&r);
    r = RUN("show", "zhao5x5", "--color", "never");
    assert_int_equal(r.status, 0);
    assert_null(strchr(r.out, '\033'));
    result_free(&r);
}

/* Colour in auto mode follows the terminal and NO_COLOR; a pseudo-terminal stands in for one. */
static void test_use_color(void **state)
{
    (void)state;
    FILE *file = tmpfile();
    assert_non_null(file);
    assert_false(rl_cli_isatty(file));
    assert_false(rl_cli_use_color(file, RL_CLI_COLOR_AUTO));
    assert_true(rl_cli_use_color(file, RL_CLI_COLOR_ALWAYS));
    assert_false(rl_cli_use_color(file, RL_CLI_COLOR_NEVER));
    fclose(file);

    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        if (master >= 0)
            close(master);
        skip(); /* no pseudo-terminals here */
    }
    FILE *tty = fopen(ptsname(master), "w");
    assert_non_null(tty);
    assert_true(rl_cli_isatty(tty));
    char *saved_no_color = getenv("NO_COLOR") ? strdup(getenv("NO_COLOR")) : NULL;
    char *saved_term = getenv("TERM") ? strdup(getenv("TERM")) : NULL;
    setenv("TERM", "xterm", 1);
    unsetenv("NO_COLOR");
    assert_true(rl_cli_use_color(tty, RL_CLI_COLOR_AUTO));
    setenv("NO_COLOR", "1", 1);
    assert_false(rl_cli_use_color(tty, RL_CLI_COLOR_AUTO));
    assert_true(rl_cli_use_color(tty, RL_CLI_COLOR_ALWAYS));
    setenv("NO_COLOR", "", 1); /* no-color.org: only a non-empty value disables colour */
    assert_true(rl_cli_use_color(tty, RL_CLI_COLOR_AUTO));
    setenv("TERM", "dumb", 1);
    assert_false(rl_cli_use_color(tty, RL_CLI_COLOR_AUTO));
    if (saved_no_color)
        setenv("NO_COLOR", saved_no_color, 1);
    else
        unsetenv("NO_COLOR");
    if (saved_term)
        setenv("TERM", saved_term, 1);
    else
        unsetenv("TERM");
    free(saved_no_color);
    free(saved_term);
    fclose(tty);
    close(master);
}

static void test_show_nosuch(void **state)
{
    (void)state;
    result r = RUN("show", "nosuch");
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    assert_contains(r.err, "gridrl: ");
    assert_contains(r.err, "nosuch");
    for (const rl_preset *const *p = rl_presets; *p; p++)
        assert_contains(r.err, (*p)->name);
    result_free(&r);
}

static void test_show_ragged_map(void **state)
{
    (void)state;
    char path[PATH_SIZE];
    snprintf(path, sizeof path, "%s/ragged.map", tmpdir);
    write_file(path, "...\n..\n...\n"); /* line 2 is one cell short */
    result r = RUN("show", path);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    /* "PATH:2:COL:" with a column number. */
    char where[PATH_SIZE + 16];
    snprintf(where, sizeof where, "gridrl: %s:2:", path);
    assert_contains(r.err, where);
    const char *col = strstr(r.err, where) + strlen(where);
    char *end;
    long column = strtol(col, &end, 10);
    assert_true(end > col && column >= 1 && *end == ':');
    result_free(&r);
    unlink(path);

    /* A map file that does not exist is bad input too. */
    snprintf(path, sizeof path, "%s/missing.map", tmpdir);
    r = RUN("show", path);
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "missing.map");
    result_free(&r);
}

static void test_show_user_keys(void **state)
{
    (void)state;
    result r = RUN("show", "zhao5x5", "-s", "slip=0.2", "--set", "env.reward_goal=5");
    assert_int_equal(r.status, 0);
    char line[512];
    assert_true(find_line(r.out, "  slip ", line, sizeof line));
    assert_contains(line, "0.2");
    assert_contains(line, "user");
    assert_true(find_line(r.out, "  reward_goal ", line, sizeof line));
    assert_contains(line, "user (preset: 1)"); /* the preset's r_target = +1 */
    assert_true(find_line(r.out, "  reward_forbidden ", line, sizeof line));
    assert_contains(line, "preset");
    assert_true(find_line(r.out, "  wind_noise ", line, sizeof line));
    assert_contains(line, "default");
    /* With slip every up/right/down/left move of the 25 open cells has several outcomes
     * (two of them at most merge, at a corner) and stay has one: 25 * 4 = 100 of 25 * 5. */
    assert_contains(r.out, "stochastic: 100 of 125");
    result_free(&r);
}

static void test_show_bad_keys(void **state)
{
    (void)state;
    result r = RUN("show", "zhao5x5", "-s", "nosuchkey=1");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "nosuchkey");
    assert_contains(r.err, "reward_goal"); /* the valid keys are listed */
    result_free(&r);

    r = RUN("show", "zhao5x5", "-s", "slip=2");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "gridrl: slip: ");
    result_free(&r);

    r = RUN("show", "zhao5x5", "-s", "slip");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "usage: gridrl show");
    result_free(&r);

    /* 3 wind values for Zhao's 5 columns: the compiler names the key. */
    r = RUN("show", "zhao5x5", "-s", "wind=1 1 1");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "wind");
    result_free(&r);
}

static void test_show_jumps_and_wind(void **state)
{
    (void)state;
    /* Example 3.5: A = (0,1) -> A' = (4,1), B = (0,3) -> B' = (2,3). */
    result r = RUN("show", "sb_gridworld5x5", "--ascii");
    assert_int_equal(r.status, 0);
    char tokens[12][16];
    assert_int_equal(grid_row(r.out, 0, "|", tokens, 8), 5);
    assert_string_equal(tokens[1], "A");
    assert_string_equal(tokens[3], "B");
    assert_int_equal(grid_row(r.out, 4, "|", tokens, 8), 5);
    assert_string_equal(tokens[1], "a");
    assert_int_equal(grid_row(r.out, 2, "|", tokens, 8), 5);
    assert_string_equal(tokens[3], "b");
    assert_contains(r.out, "A (0, 1) -> a (4, 1), reward +10");
    assert_contains(r.out, "B (0, 3) -> b (2, 3), reward +5");
    result_free(&r);

    /* Example 6.5: start (3,0), goal (3,7), wind 0 0 0 1 1 1 2 2 1 0. */
    r = RUN("show", "windy_gridworld", "--ascii");
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "0 0 0 1 1 1 2 2 1 0");
    assert_contains(r.out, "start        (3, 0)\n");
    assert_contains(r.out, "7x10");
    assert_int_equal(grid_row(r.out, 3, "|", tokens, 12), 10);
    assert_string_equal(tokens[0], "S");
    assert_string_equal(tokens[7], "G");
    result_free(&r);
}

static void test_show_map_file(void **state)
{
    (void)state;
    char path[PATH_SIZE];
    snprintf(path, sizeof path, "%s/maze.map", tmpdir);
    write_file(path, "S##.\n.#GH\n");
    result r = RUN("show", path, "--ascii");
    assert_int_equal(r.status, 0);
    char line[256];
    /* Neighbouring walls join: "S", then "###" for the two walls and the gap between. */
    assert_true(find_line(r.out, "0 |", line, sizeof line));
    assert_string_equal(line, "0 | S ### . |");
    assert_true(find_line(r.out, "1 |", line, sizeof line));
    assert_string_equal(line, "1 | . # G H |");
    assert_contains(r.out, "2x4");
    assert_contains(r.out, "3 walls"); /* hand count: (0,1), (0,2), (1,1) */
    assert_contains(r.out, "start        (0, 0)\n");
    assert_contains(r.out, "a map file suggests no");
    result_free(&r);
    unlink(path);
}

/* Gymnasium's ids name the same environments: the maps Gymnasium documents, row by row
 * (FrozenLake's F is our plain cell '.'), and the same time limit. */
static void test_gymnasium_aliases(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        const char *rows[8];
        const char *limit;
    } CASES[] = {
        {"FrozenLake-v1", {"S...", ".H.H", "...H", "H..G"}, "experiment.max_steps = 100"},
        {"FrozenLake8x8-v1",
         {"S.......", "........", "...H....", ".....H..", "...H....", ".HH...H.", ".H..H.H.",
          "...H...G"},
         "experiment.max_steps = 200"},
        {"CliffWalking-v0", {"............", "............", "............", "SCCCCCCCCCCG"},
         "no experiment.max_steps"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        result r = RUN("show", CASES[i].id, "--ascii");
        assert_int_equal(r.status, 0);
        for (size_t row = 0; row < 8 && CASES[i].rows[row]; row++) {
            /* "0 | S . . . |": the map's characters separated by spaces. */
            char prefix[16], expected[64], line[256];
            size_t n = (size_t)snprintf(expected, sizeof expected, "%zu |", row);
            for (const char *c = CASES[i].rows[row]; *c; c++)
                n += (size_t)snprintf(expected + n, sizeof expected - n, " %c", *c);
            snprintf(expected + n, sizeof expected - n, " |");
            snprintf(prefix, sizeof prefix, "%zu |", row);
            assert_true(find_line(r.out, prefix, line, sizeof line));
            assert_string_equal(line, expected);
        }
        assert_contains(r.out, CASES[i].limit);
        result_free(&r);
    }
    /* An alias is a name a config accepts wherever a preset's is (the rest of a run is
     * checked with the preset's own name elsewhere). */
    result r = RUN("list", "presets");
    assert_contains(r.out, "FrozenLake-v1 = frozenlake4x4");
    assert_contains(r.out, "CliffWalking-v0 = cliff_walking");
    result_free(&r);
}

/* --names: one name a line, every preset and alias (counted by hand: 12 + 3), every env
 * type (gridworld and mdp), every algorithm of the registry. */
static void test_list_names_only(void **state)
{
    (void)state;
    result r = RUN("list", "--names", "presets");
    assert_int_equal(r.status, 0);
    size_t lines = 0;
    for (const char *c = r.out; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 15);
    assert_contains(r.out, "zhao5x5\n");
    assert_contains(r.out, "\nblocking_maze\n");
    assert_contains(r.out, "\nshortcut_maze\n");
    assert_contains(r.out, "\nFrozenLake8x8-v1\n");
    result_free(&r);
    r = RUN("list", "--names", "envs");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "gridworld\nmdp\n");
    result_free(&r);
    r = RUN("list", "--names", "agents");
    assert_int_equal(r.status, 0);
    lines = 0;
    for (const char *c = r.out; *c; c++)
        lines += *c == '\n';
    size_t n = 0;
    while (rl_agent_at(n))
        n++;
    assert_int_equal(lines, n);
    assert_contains(r.out, "\nq_learning\n");
    assert_null(strstr(r.out, " "));
    result_free(&r);
}

/* Every repository path a help text names (a word starting "experiments/") is a file of the
 * source tree, so its examples can be typed as they stand from the top folder. */
static void expect_named_files_exist(const char *text)
{
    for (const char *p = text; (p = strstr(p, "experiments/"));) {
        size_t len = strcspn(p, " \n\t'\"),");
        char path[PATH_SIZE];
        snprintf(path, sizeof path, "%s/%.*s", GRIDRL_SOURCE_DIR, (int)len, p);
        if (access(path, R_OK) != 0)
            fail_msg("a help text names %.*s, which is not in the source tree", (int)len, p);
        p += len;
    }
}

/* `help` lists the commands; each one's --help, -h and `help NAME` print its usage, and the
 * files its examples name exist. */
static void test_help(void **state)
{
    (void)state;
    result top = RUN("help");
    assert_int_equal(top.status, 0);
    assert_contains(top.out, "usage: gridrl");
    const char *p = strstr(top.out, "commands:\n");
    assert_non_null(p);
    p += strlen("commands:\n");
    size_t n_commands = 0;
    while (strncmp(p, "  ", 2) == 0) {
        char name[32];
        assert_int_equal(sscanf(p, " %31s", name), 1);
        char usage[64];
        snprintf(usage, sizeof usage, "usage: gridrl %s", name);
        const char *forms[][3] = {{name, "--help", NULL}, {name, "-h", NULL}, {"help", name, NULL}};
        for (size_t k = 0; k < 3; k++) {
            result r = run(forms[k]);
            if (r.status != 0 || strncmp(r.out, usage, strlen(usage)) != 0)
                fail_msg("'%s %s' gave status %d and:\n%s", forms[k][0], forms[k][1], r.status,
                         r.out);
            assert_contains(r.out, "examples:");
            if (k == 0)
                expect_named_files_exist(r.out);
            result_free(&r);
        }
        n_commands++;
        p += strcspn(p, "\n") + 1;
    }
    assert_true(n_commands >= 3); /* list, show, help at least */
    result_free(&top);

    result r = RUN("--help");
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "commands:");
    result_free(&r);
}

static void test_unknown_command(void **state)
{
    (void)state;
    result r = RUN("frobnicate");
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    assert_contains(r.err, "frobnicate");
    assert_contains(r.err, "list");
    assert_contains(r.err, "show");
    result_free(&r);

    r = RUN("--frobnicate");
    assert_int_equal(r.status, 2);
    result_free(&r);

    r = run((const char *const[]){NULL});
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "usage: gridrl");
    result_free(&r);
}

static void test_version(void **state)
{
    (void)state;
    result r = RUN("--version");
    assert_int_equal(r.status, 0);
    int major, minor, patch, used = 0;
    assert_int_equal(sscanf(r.out, "gridrl %d.%d.%d%n", &major, &minor, &patch, &used), 3);
    assert_string_equal(r.out + used, "\n");
    result_free(&r);
}

static void test_status(void **state)
{
    (void)state;
    assert_int_equal(rl_cli_status(RL_OK), 0);
    assert_int_equal(rl_cli_status(RL_EPARSE), 2);
    assert_int_equal(rl_cli_status(RL_ENOTFOUND), 2);
    assert_int_equal(rl_cli_status(RL_ERANGE), 2);
    assert_int_equal(rl_cli_status(RL_ENOMEM), 1);
    assert_int_equal(rl_cli_status(RL_ESINGULAR), 1);
}

/* The drawing a planner's caller gets: values, kind markers and arrows (see grid_draw.h). */
static void test_grid_draw_values(void **state)
{
    (void)state;
    const char *text[3] = {"-1.5", "2", NULL};
    const char *arrows[3] = {"→", "↑→", NULL};
    rl_grid_view view = {.rows = 1, .cols = 3, .cells = "X.#", .text = text,
                         .mark_kinds = true, .arrows = arrows};
    rl_grid_style style = {0};
    FILE *f = tmpfile();
    assert_non_null(f);
    rl_grid_draw(f, &view, &style);
    rl_grid_legend(f, &view, &style);
    rewind(f);
    char buf[2048] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    /* Field = marker 1 + text 4 ("-1.5") + space + arrows 2 ("↑→") = 8 columns; the frame
     * is 3 fields and 3 gaps plus the closing gap: 3 * 9 + 1 = 28 columns of ─. */
    const char *want = "           0        1        2\n"
                       "  ┌────────────────────────────┐\n"
                       "0 │ ▒-1.5 →      2 ↑→ ████████ │\n"
                       "  └────────────────────────────┘\n"
                       "legend:  ▒ forbidden  █ wall\n";
    assert_string_equal(buf, want);
    assert_int_equal(rl_grid_text_width("▒→a"), 3);
    assert_string_equal(rl_grid_arrow(-1, 1, false), "↗");
    assert_string_equal(rl_grid_arrow(0, 0, true), "o");
}

int main(void)
{
    rl_gsl_init();
    if (!tmp_dir_make(tmpdir, sizeof tmpdir, "gridrl_test_cli_")) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_names),
        cmocka_unit_test(test_list_sections),
        cmocka_unit_test(test_gymnasium_aliases),
        cmocka_unit_test(test_list_names_only),
        cmocka_unit_test(test_show_zhao),
        cmocka_unit_test(test_show_zhao_ascii),
        cmocka_unit_test(test_show_color),
        cmocka_unit_test(test_use_color),
        cmocka_unit_test(test_show_nosuch),
        cmocka_unit_test(test_show_ragged_map),
        cmocka_unit_test(test_show_user_keys),
        cmocka_unit_test(test_show_bad_keys),
        cmocka_unit_test(test_show_jumps_and_wind),
        cmocka_unit_test(test_show_map_file),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_unknown_command),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_grid_draw_values),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    remove_tree(tmpdir);
    return failed;
}

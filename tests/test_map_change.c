/* The gridworld's map change (map_after, change_at; envs/gridworld.c) and the two presets
 * built on it, S&B's blocking and shortcut mazes (Figs 8.4, 8.5):
 *
 * - the change happens at exactly the configured step: with change_at = N, steps 1..N move
 *   on the first map and step N + 1 on the second, whatever the episodes;
 * - each map's dynamics are those of its own compiled model, before and after;
 * - the space is the union of the maps; the agent caught in a cell that becomes a wall
 *   leaves it as from a plain cell; reset uses the map in force; the env has no model;
 * - the presets' layouts, cell by cell, against the book's drawings as written here;
 * - the errors of a bad change, and the runner on a preset with a change (no ground truth,
 *   planners refused, config.ini naming both maps, steps.csv's cumulative reward).
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/support.h"

#include <stdlib.h>

#include "tests/gridworld_fixture.h"
#include "tests/process.h"

static char tmpdir[PATH_SIZE];

#define PATHF(buf, ...)                                                                    \
    do {                                                                                   \
        if (snprintf(buf, sizeof buf, __VA_ARGS__) >= (int)sizeof buf)                     \
            fail_msg("path too long: %s", #buf);                                           \
    } while (0)

/* An env of the preset with kv set ("key", "value", ..., NULL); its model is NULL. */
static rl_env *env_try(const char *const *kv, rl_error *err)
{
    rl_params *p = rl_params_alloc(rl_gridworld_params);
    assert_non_null(p);
    rl_error_clear(err);
    int rc = RL_OK;
    for (size_t i = 0; rc == RL_OK && kv[i]; i += 2)
        rc = rl_params_set(p, kv[i], kv[i + 1], err);
    rl_env *env = NULL;
    if (rc == RL_OK)
        rl_env_alloc(rl_gridworld, p, &env, err);
    rl_params_free(p);
    return env;
}

static rl_env *env_make(const char *const *kv)
{
    rl_error err;
    rl_env *env = env_try(kv, &err);
    if (!env) {
        char buf[1200];
        rl_error_format(&err, buf, sizeof buf);
        fail_msg("%s", buf);
    }
    return env;
}

/* The model of one map of a preset (its own map, or its map after the change). */
static rl_mdp *preset_model(const char *preset, bool after)
{
    rl_params *p = rl_params_alloc(rl_gridworld_params);
    rl_error err;
    assert_int_equal(rl_params_set(p, "preset", preset, &err), RL_OK);
    assert_int_equal(rl_gridworld_apply_preset(p, &err), RL_OK);
    rl_map *map;
    if (after)
        assert_int_equal(rl_gridworld_load_map_after(p, &map, &err), RL_OK);
    else
        assert_int_equal(rl_gridworld_load_map(p, &map, &err), RL_OK);
    assert_non_null(map);
    rl_mdp *m;
    assert_int_equal(rl_gridworld_compile(map, p, &m, &err), RL_OK);
    rl_map_free(map);
    rl_params_free(p);
    return m;
}

static size_t cell(size_t row, size_t col) { return row * 9 + col; }

enum { UP, RIGHT, DOWN, LEFT };

/* The book's layouts as read from its Figures 8.4 and 8.5 (and as README.md states them):
 * 6x9, S at (5, 3), G at (0, 8), a wall along row 3. */
static void test_preset_layouts(void **state)
{
    (void)state;
    static const struct {
        const char *preset;
        long change_at;
        const char *before, *after; /* row 3 */
    } mazes[] = {
        {"blocking_maze", 1000, "########.", ".########"},
        {"shortcut_maze", 3000, ".########", ".#######."},
    };
    for (size_t k = 0; k < 2; k++) {
        for (int after = 0; after < 2; after++) {
            rl_mdp *m = preset_model(mazes[k].preset, after);
            assert_int_equal(m->rows, 6);
            assert_int_equal(m->cols, 9);
            const char *wall = after ? mazes[k].after : mazes[k].before;
            for (size_t r = 0; r < 6; r++)
                for (size_t c = 0; c < 9; c++) {
                    char want = r == 3 ? wall[c] : r == 5 && c == 3 ? 'S'
                                                 : r == 0 && c == 8 ? 'G'
                                                                    : '.';
                    if (m->cell[cell(r, c)] != want)
                        fail_msg("%s%s: (%zu, %zu) is '%c', expected '%c'", mazes[k].preset,
                                 after ? " after" : "", r, c, m->cell[cell(r, c)], want);
                }
            assert_int_equal(m->kind[cell(0, 8)], RL_STATE_TERMINAL);
            assert_close(m->start[cell(5, 3)], 1.0, 0.0);
            /* Dyna maze rewards: +1 into the goal, 0 else, bumps included. */
            double v[54] = {0};
            assert_close(rl_mdp_backup(m, cell(1, 8), UP, v, 0.95), 1.0, 0.0);
            assert_close(rl_mdp_backup(m, cell(5, 0), LEFT, v, 0.95), 0.0, 0.0);
            rl_mdp_free(m);
        }
        const rl_preset *p = rl_preset_find(mazes[k].preset, NULL);
        assert_non_null(p);
        assert_close(p->gamma, 0.95, 0.0);
        char setting[32];
        snprintf(setting, sizeof setting, "change_at = %ld\n", mazes[k].change_at);
        assert_contains(p->settings, setting);
    }
}

/* change_at = N: steps 1..N on the first map, N + 1 on on the second. The agent waits below
 * the blocking maze's right gap, (4, 8), bumping into the right border (a step like any
 * other), and then moves up: into the gap at step N (first map), or into the new wall at
 * step N + 1 (a bump: it stays). Episodes do not reset the count: a reset in between, and
 * another env's steps, change nothing. */
static void test_change_at_exactly(void **state)
{
    (void)state;
    for (long n = 1; n <= 6; n++) {
        for (int late = 0; late < 2; late++) {
            char change[16];
            snprintf(change, sizeof change, "%ld", n);
            rl_env *env = env_make((const char *const[]){"preset", "blocking_maze",
                                                          "change_at", change, NULL});
            rl_env *other = env_make((const char *const[]){"preset", "blocking_maze",
                                                            "change_at", change, NULL});
            assert_null(rl_env_model(env));
            gsl_rng *r = rl_rng_alloc(1, NULL);
            rl_env_reset(env, r);
            assert_int_equal(rl_env_reset_to(env, cell(4, 8), NULL), RL_OK);
            /* Steps before the up move: n - 1 (up is step n) or n (up is step n + 1). */
            long before = n - 1 + late;
            for (long i = 0; i < before; i++) {
                rl_step st = rl_env_step(env, RIGHT, r);
                assert_int_equal(st.next, cell(4, 8));
                rl_env_step(other, UP, r);
                if (i == 0) /* a new episode: the count goes on */
                    rl_env_reset(env, r), rl_env_reset_to(env, cell(4, 8), NULL);
            }
            rl_step st = rl_env_step(env, UP, r);
            if (!late)
                assert_int_equal(st.next, cell(3, 8)); /* step n: the first map's gap */
            else
                assert_int_equal(st.next, cell(4, 8)); /* step n + 1: the second map's wall */
            assert_close(st.reward, 0.0, 0.0);
            assert_false(st.terminated);
            rl_rng_free(r);
            rl_env_free(env);
            rl_env_free(other);
        }
    }
}

/* Before the change every (s, a) from a decision state of the first map steps as its model
 * says; after, as the second map's model says (both mazes are deterministic). */
static void test_each_map_in_its_time(void **state)
{
    (void)state;
    const char *presets[2] = {"blocking_maze", "shortcut_maze"};
    for (size_t k = 0; k < 2; k++) {
        rl_mdp *first = preset_model(presets[k], false), *second = preset_model(presets[k], true);
        /* A change after exactly the first map's pairs. */
        size_t pairs = 0;
        for (size_t s = 0; s < 54; s++)
            pairs += rl_mdp_is_decision(first, s) ? 4 : 0;
        char change[16];
        snprintf(change, sizeof change, "%zu", pairs);
        rl_env *env = env_make((const char *const[]){"preset", presets[k], "change_at", change,
                                                      NULL});
        const rl_mdp *models[2] = {first, second};
        for (int phase = 0; phase < 2; phase++) {
            const rl_mdp *m = models[phase];
            size_t checked = 0;
            for (size_t s = 0; s < 54; s++) {
                if (!rl_mdp_is_decision(first, s))
                    continue;
                for (size_t a = 0; a < 4; a++) {
                    assert_int_equal(rl_env_reset_to(env, s, NULL), RL_OK);
                    rl_step st = rl_env_step(env, a, NULL);
                    if (phase == 1 && !rl_mdp_is_decision(m, s))
                        continue; /* a cell walled since: see test_caught_in_a_new_wall */
                    size_t sa = s * 4 + a;
                    assert_true(m->sure_next[sa] >= 0);
                    if (st.next != (size_t)m->sure_next[sa])
                        fail_msg("%s %s: (%zu, %zu) %zu went to %zu, the model says %d",
                                 presets[k], phase ? "after" : "before", s / 9, s % 9, a,
                                 st.next, m->sure_next[sa]);
                    assert_close(st.reward, m->reward_table[m->sure_reward[sa]], 0.0);
                    checked++;
                }
            }
            assert_true(checked >= 4 * 40);
        }
        rl_env_free(env);
        rl_mdp_free(first);
        rl_mdp_free(second);
    }
}

/* The space is the union of the maps: the blocking maze's (3, 0) (a wall first) and (3, 8)
 * (a wall after) are both open, (3, 1..7) walls. In (3, 8) when it becomes a wall, the agent
 * leaves it as from a plain cell: up to (2, 8), left into (3, 7) a bump; nothing enters it:
 * up from (4, 8) bumps. reset_to accepts every open cell of the union, also (3, 0) before
 * it opens, and the agent leaves that one the same way. */
static void test_caught_in_a_new_wall(void **state)
{
    (void)state;
    rl_env *env = env_make((const char *const[]){"preset", "blocking_maze", "change_at", "2",
                                                  NULL});
    const rl_space *sp = rl_env_space(env);
    assert_int_equal(sp->kind[cell(3, 0)], RL_STATE_OPEN);
    assert_int_equal(sp->kind[cell(3, 8)], RL_STATE_OPEN);
    for (size_t c = 1; c < 8; c++)
        assert_int_equal(sp->kind[cell(3, c)], RL_STATE_WALL);
    assert_int_equal(sp->cell[cell(3, 0)], '.');
    assert_int_equal(sp->cell[cell(3, 8)], '.');
    /* Before the change, (3, 0) is a wall of the map in force, yet a state of the space. */
    assert_int_equal(rl_env_reset_to(env, cell(3, 0), NULL), RL_OK);
    rl_step st = rl_env_step(env, UP, NULL); /* step 1 */
    assert_int_equal(st.next, cell(2, 0));
    assert_int_equal(rl_env_reset_to(env, cell(3, 8), NULL), RL_OK);
    rl_env_step(env, LEFT, NULL); /* step 2: (3, 7) is a wall: bump */
    st = rl_env_step(env, LEFT, NULL); /* step 3, second map: (3, 8) is now a wall */
    assert_int_equal(st.next, cell(3, 8));
    st = rl_env_step(env, UP, NULL);
    assert_int_equal(st.next, cell(2, 8));
    assert_int_equal(rl_env_reset_to(env, cell(4, 8), NULL), RL_OK);
    st = rl_env_step(env, UP, NULL);
    assert_int_equal(st.next, cell(4, 8));
    assert_int_equal(rl_env_reset_to(env, cell(4, 0), NULL), RL_OK);
    st = rl_env_step(env, UP, NULL); /* the new gap */
    assert_int_equal(st.next, cell(3, 0));
    /* Walls of both maps are no start. */
    assert_int_equal(rl_env_reset_to(env, cell(3, 4), NULL), RL_EINVAL);
    rl_env_free(env);
}

/* reset uses the start cells of the map in force. */
static void test_reset_follows_the_map(void **state)
{
    (void)state;
    char first[PATH_SIZE], second[PATH_SIZE];
    PATHF(first, "%s/first.map", tmpdir);
    PATHF(second, "%s/second.map", tmpdir);
    write_file(first, "S..\n..G\n");
    write_file(second, "..S\n..G\n");
    rl_env *env = env_make((const char *const[]){"map", first, "map_after", second, "change_at",
                                                  "3", "goal_terminal", "true", NULL});
    gsl_rng *r = rl_rng_alloc(2, NULL);
    for (int step = 0; step < 5; step++) {
        size_t s = rl_env_reset(env, r);
        assert_int_equal(s, step < 3 ? 0 : 2);
        rl_env_step(env, 1, r);
    }
    rl_rng_free(r);
    rl_env_free(env);
}

static void expect_error(const char *const *kv, int code, const char *key, const char *text)
{
    rl_error err;
    rl_env *env = env_try(kv, &err);
    assert_null(env);
    assert_int_equal(err.code, code);
    assert_string_equal(err.key, key);
    assert_contains(err.message, text);
}

static void test_errors(void **state)
{
    (void)state;
    char small[PATH_SIZE], moved_goal[PATH_SIZE], base[PATH_SIZE];
    PATHF(small, "%s/small.map", tmpdir);
    PATHF(moved_goal, "%s/moved.map", tmpdir);
    PATHF(base, "%s/base.map", tmpdir);
    write_file(small, "S.\n.G\n");
    write_file(base, "S..\n..G\n");
    write_file(moved_goal, "S.G\n...\n");
    expect_error((const char *const[]){"preset", "dyna_maze", "change_at", "5", NULL},
                 RL_EINVAL, "map_after", "change_at needs map_after");
    expect_error((const char *const[]){"preset", "dyna_maze", "map_after", base, NULL},
                 RL_EINVAL, "change_at", "map_after needs change_at");
    expect_error((const char *const[]){"preset", "dyna_maze", "map_after", small, "change_at",
                                       "5", NULL},
                 RL_EINVAL, "map_after", "the map after the change is 2x2, the first 6x9");
    expect_error((const char *const[]){"map", base, "map_after", moved_goal, "change_at", "5",
                                       "goal_terminal", "true", NULL},
                 RL_EINVAL, "map_after", "cell (0, 2) is terminal in the second map only");
    rl_params *p = rl_params_alloc(rl_gridworld_params);
    rl_error err;
    assert_int_equal(rl_params_set(p, "change_at", "0", &err), RL_ERANGE);
    rl_params_free(p);
}

/* One run of 1500 steps with the given [agent] lines; see test_through_the_program. */
static void run_blocking(const char *agent)
{
    char ini[PATH_SIZE], out[PATH_SIZE], path[PATH_SIZE], text[512];
    PATHF(ini, "%s/blocking.ini", tmpdir);
    PATHF(out, "%s/out", tmpdir);
    snprintf(text, sizeof text,
             "[experiment]\nsteps = 1500\nlog_every_steps = 50\nlog_cumulative_reward = true\n"
             "[env]\npreset = blocking_maze\n[agent]\n%s",
             agent);
    write_file(ini, text);
    result r = RUN("run", ini, "-o", out, "--force");
    if (r.status != 0)
        fail_msg("gridrl run: %s", r.err);
    result_free(&r);
    PATHF(path, "%s/config.ini", out);
    char *config = slurp(path);
    assert_contains(config, "; map of configuration 0: preset blocking_maze, 6x9, fnv1a64 ");
    assert_contains(config, "; map of configuration 0 after 1000 steps: preset blocking_maze, "
                            "fnv1a64 ");
    free(config);
    PATHF(path, "%s/episodes.csv", out);
    char *episodes = slurp(path);
    PATHF(path, "%s/steps.csv", out);
    char *steps = slurp(path);
    assert_true(strncmp(steps, "run,step,episode,value_rmse,cumulative_reward\n", 46) == 0);
    /* Episode ends and returns from episodes.csv. */
    size_t ends[4096], n = 0, total = 0;
    double returns[4096];
    for (const char *e = strchr(episodes, '\n') + 1; *e && n < 4096; e = strchr(e, '\n') + 1) {
        size_t run, ep, length;
        double ret, disc;
        char outcome[32], rmse[32] = "";
        int got = sscanf(e, "%zu,%zu,%lf,%lf,%zu,%31[a-z],%31[^,\n]", &run, &ep, &ret, &disc,
                         &length, outcome, rmse);
        assert_true(got >= 6);
        assert_string_equal(rmse, ""); /* no ground truth with a map change */
        total += length;
        ends[n] = total;
        returns[n++] = ret;
    }
    assert_int_equal(total, 1500);
    size_t rows = 0;
    for (const char *s = strchr(steps, '\n') + 1; *s; s = strchr(s, '\n') + 1) {
        size_t run, step, ep;
        double cumulative;
        assert_int_equal(sscanf(s, "%zu,%zu,%zu,,%lf", &run, &step, &ep, &cumulative), 4);
        double want = 0.0;
        for (size_t i = 0; i < n && ends[i] <= step; i++)
            want += returns[i];
        assert_close(cumulative, want, 0.0);
        rows++;
    }
    assert_int_equal(rows, 30);
    free(episodes);
    free(steps);
}

/* The runner on the blocking maze: no ground truth (value_rmse empty), a planner and a
 * prediction learner refused (they need the model), config.ini naming the second map, and
 * steps.csv's cumulative_reward: with rewards only on reaching the goal, it is the number
 * of episodes ended so far, which episodes.csv gives independently (summing returns over
 * episodes whose cumulative length is <= the step). Dyna-Q and Sarsa(lambda), which learn
 * from the steps alone, both run. */
static void test_through_the_program(void **state)
{
    (void)state;
    static const char *const AGENTS[] = {
        "algorithm = dyna_q\nplanning_steps = 10\nalpha = 1\n",
        "algorithm = sarsa_lambda\nlambda = 0.9\nalpha = 0.5\n",
    };
    for (size_t k = 0; k < 2; k++)
        run_blocking(AGENTS[k]);
    char ini[PATH_SIZE], out[PATH_SIZE];
    PATHF(ini, "%s/blocking.ini", tmpdir);
    PATHF(out, "%s/out", tmpdir);
    write_file(ini, "[env]\npreset = blocking_maze\n[agent]\nalgorithm = value_iteration\n");
    result r = RUN("run", ini, "-o", out, "--force");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "value_iteration needs an env with an exact model");
    result_free(&r);
    write_file(ini, "[experiment]\nsteps = 100\n[env]\npreset = blocking_maze\n"
                    "[agent]\nalgorithm = td_lambda\n");
    r = RUN("run", ini, "-o", out, "--force");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "blocking.ini:6: agent.algorithm: td_lambda needs an env with an "
                           "exact model");
    result_free(&r);
}

static int setup(void **state)
{
    (void)state;
    return tmp_dir_make(tmpdir, sizeof tmpdir, "gridrl_test_map_change") ? 0 : -1;
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
        cmocka_unit_test(test_preset_layouts),
        cmocka_unit_test(test_change_at_exactly),
        cmocka_unit_test(test_each_map_in_its_time),
        cmocka_unit_test(test_caught_in_a_new_wall),
        cmocka_unit_test(test_reset_follows_the_map),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_through_the_program),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

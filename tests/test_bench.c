/* Tests of `gridrl bench`: runs the built program (GRIDRL_BINARY) on a small grid and checks
 * that the benchmark computed the right thing. No timing is asserted: these run under the
 * sanitizers and on busy machines, where any time would be arbitrary.
 *
 * The independent numbers: after n synchronous sweeps from v = 0 on an open grid with
 * reward -1 per move, gridrl's planner and the hand-written stencil must hold the same
 * values (round-off alone would leave ~1e-14; 1e-9 means a real disagreement), and the
 * program's own closed-form check -(1 - gamma^min(d, n)) / (1 - gamma) must pass too.
 *
 * `bench td`: gridrl's runner and the hand-written Q-learning loop share the seed and the
 * one-draw epsilon-greedy rule, so they must take the same trajectory ("same result: yes").
 * Independently of both, by hand count on the 4 x 12 cliff: the shortest way from the start
 * (3, 0) to the goal (3, 11) is up, 11 moves right, down = 13 moves, so every episode takes
 * at least 13 steps and returns at most -13.
 *
 * `bench dqn`: rl_nn and the plain-loop reference must compute the same training run (their
 * losses within the relative tolerance bench_nn.h derives), run small here; the parameter
 * counts are by hand (n_in H + H + H n_out + n_out), and OpenBLAS must report one thread
 * (rl_gsl_init's setting) and a kernel name.
 */
#include <stdlib.h>

#include "tests/process.h"
#include "tests/support.h"

/* The number after "= " on the line that starts with prefix; fails if there is none. */
static double number_after(const char *text, const char *prefix)
{
    const char *line = strstr(text, prefix);
    if (!line)
        fail_msg("no line '%s' in:\n%s", prefix, text);
    const char *eq = strstr(line, "= ");
    const char *eol = strchr(line, '\n');
    if (!eq || (eol && eq > eol))
        fail_msg("no '= value' on the line '%s'", prefix);
    char *end;
    double x = strtod(eq + 2, &end);
    if (end == eq + 2)
        fail_msg("no number after '%s ... = '", prefix);
    return x;
}

static void test_dp_small_grid_agrees(void **state)
{
    (void)state;
    result r = RUN("bench", "dp", "--size", "20", "--sweeps", "3", "--repeats", "1");
    if (r.status != 0)
        fail_msg("exit %d; stderr:\n%s", r.status, r.err);
    assert_contains(r.out, "20 x 20 open grid, 400 states, 4 actions");
    /* The default 5 warm-up sweeps + 3 timed: 8 sweeps. */
    assert_contains(r.out, "after 8 sweeps");
    double diff = number_after(r.out, "agreement: max |v_gridrl - v_stencil|");
    assert_true(diff >= 0.0 && diff < 1e-9);
    double closed = number_after(r.out, "closed form: max |v - ");
    assert_true(closed >= 0.0 && closed < 1e-9);
    /* Compact form: an int32 next state and a uint16 reward index per (s, a) is 6 bytes,
     * plus an 8-byte table entry per distinct reward (-1 only here; allow up to 6) spread
     * over 20 * 20 * 4 = 1600 pairs: 6 + 48 / 1600 = 6.03 at most. */
    const char *compact = strstr(r.out, "compact form ");
    assert_non_null(compact);
    double per_sa = strtod(compact + strlen("compact form "), NULL);
    assert_true(per_sa >= 6.0 && per_sa <= 6.03);
    result_free(&r);
}

/* A grid large enough that n = 40 sweeps stop short of the far corner (d = 58 > 40), so the
 * closed form's min(d, n) takes both branches. */
static void test_dp_unconverged_corner(void **state)
{
    (void)state;
    result r = RUN("bench", "dp", "--size=30", "--warmup=0", "--sweeps=40", "--repeats=2");
    if (r.status != 0)
        fail_msg("exit %d; stderr:\n%s", r.status, r.err);
    assert_contains(r.out, "2 repeats of 0 warm-up + 40 timed sweeps");
    assert_contains(r.out, "(ms per sweep, 80 timed sweeps each)");
    assert_true(number_after(r.out, "agreement: max |v_gridrl - v_stencil|") < 1e-9);
    assert_true(number_after(r.out, "closed form: max |v - ") < 1e-9);
    result_free(&r);
}

static void test_bench_lists_benchmarks(void **state)
{
    (void)state;
    result r = RUN("bench");
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "  dp ");
    result_free(&r);
    r = RUN("bench", "dp", "--help");
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "usage: gridrl bench dp [--size N]");
    result_free(&r);
}

static void test_bench_usage_errors(void **state)
{
    (void)state;
    result r = RUN("bench", "nope");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "no benchmark 'nope' (benchmarks: dp, td, run, linear, dqn");
    result_free(&r);
    r = RUN("bench", "dp", "--size", "1");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "--size:");
    result_free(&r);
    r = RUN("bench", "dp", "--sweeps", "x3");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "--sweeps takes a whole number, not 'x3'");
    result_free(&r);
    r = RUN("bench", "dp", "--repeats");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "--repeats needs a value");
    result_free(&r);
    r = RUN("bench", "dp", "--fast");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "unknown option '--fast'");
    result_free(&r);
}

/* The number after prefix (up to the next character that cannot continue a number). */
static double number_at(const char *text, const char *prefix)
{
    const char *at = strstr(text, prefix);
    if (!at)
        fail_msg("no '%s' in:\n%s", prefix, text);
    char *end;
    double x = strtod(at + strlen(prefix), &end);
    if (end == at + strlen(prefix))
        fail_msg("no number after '%s'", prefix);
    return x;
}

static void test_td_same_result(void **state)
{
    (void)state;
    result r = RUN("bench", "td", "--episodes", "50", "--repeats", "1");
    if (r.status != 0)
        fail_msg("exit %d; stderr:\n%s\nstdout:\n%s", r.status, r.err, r.out);
    assert_contains(r.out, "50 episodes per run, 1 repeat;");
    assert_contains(r.out, "same result: yes, all 50 episodes have the same length and return");
    assert_true(number_after(r.out, "same result: yes") == 0.0);
    /* At least 13 steps per episode (hand count above); epsilon-greedy from q = 0 wanders. */
    assert_true(number_at(r.out, "total steps per run: ") >= 50 * 13);
    const char *means = strstr(r.out, "mean return of the last 50 episodes: ");
    assert_non_null(means);
    assert_true(number_at(means, "episodes: gridrl ") <= -13.0);
    assert_true(number_at(means, "episodes: gridrl ") == number_at(means, ", hand-written "));
    result_free(&r);
}

/* TD-Linear: both sides take the same trajectory (same draws; a prediction learner's
 * behaviour does not depend on what it learns), so their weights agree to rounding, and
 * every episode is 500 steps: 20 episodes are 10,000 steps. */
static void test_linear_same_result(void **state)
{
    (void)state;
    result r = RUN("bench", "linear", "--episodes", "20", "--repeats", "1");
    if (r.status != 0)
        fail_msg("exit %d; stderr:\n%s\nstdout:\n%s", r.status, r.err, r.out);
    assert_contains(r.out, "20 episodes of 500 steps");
    assert_contains(r.out, "same result: yes");
    assert_true(number_at(r.out, "max relative weight difference ") <= 1e-9);
    result_free(&r);
    r = RUN("bench", "linear", "--episodes", "0");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "--episodes: episodes must be in [1, 1000000], not 0");
    result_free(&r);
}

/* 500 episodes, the length of S&B's Example 6.6 runs: by then Q-learning's greedy policy is
 * the optimal edge path, 13 moves (hand count above), in both implementations. */
static void test_td_learns_the_edge_path(void **state)
{
    (void)state;
    result r = RUN("bench", "td", "--episodes=500", "--repeats=2");
    if (r.status != 0)
        fail_msg("exit %d; stderr:\n%s", r.status, r.err);
    assert_contains(r.out, "same result: yes, all 500 episodes");
    assert_contains(r.out, "greedy path from the start: gridrl 13 moves, hand-written 13");
    assert_contains(r.out, "mean return of the last 100 episodes:");
    assert_contains(r.out, "(million steps per second, 2 runs each)");
    assert_contains(r.out, "ratio gridrl / hand-written (medians): ");
    result_free(&r);
}

static void test_td_help_and_usage(void **state)
{
    (void)state;
    result r = RUN("bench");
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "  td ");
    result_free(&r);
    r = RUN("bench", "td", "--help");
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "usage: gridrl bench td [--episodes N] [--repeats R]");
    result_free(&r);
    r = RUN("bench", "td", "--episodes", "0");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "--episodes: episodes must be in [1, 10000000], not 0");
    result_free(&r);
    r = RUN("bench", "td", "--repeats", "-1");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "--repeats takes a whole number, not '-1'");
    result_free(&r);
    r = RUN("bench", "td", "--size", "3");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "unknown option '--size'");
    result_free(&r);
}

/* bench run starts the whole gridrl program on 2 runs of 300 episodes and a hand-written
 * program drawing the same numbers: all 2 x 300 = 600 episodes must agree, and the rates
 * and ratio are printed. Bad counts are usage errors. */
static void test_run_whole_process(void **state)
{
    (void)state;
    result r = RUN("bench", "run", "--seeds", "2", "--episodes", "300", "--repeats", "1");
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "same result: yes, all 600 episodes have the same length and return");
    assert_contains(r.out, "gridrl run (process)");
    assert_contains(r.out, "ratio gridrl / hand-written (medians): ");
    result_free(&r);
    r = RUN("bench", "run", "--seeds", "0");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "--seeds: must be at least 1");
    result_free(&r);
}

static void test_dqn_agrees(void **state)
{
    (void)state;
    result r = RUN("bench", "dqn", "--updates", "20", "--repeats", "2", "--check", "40",
                   "--hidden", "16", "--seed", "3");
    if (r.status != 0)
        fail_msg("exit %d; stderr:\n%s\nstdout:\n%s", r.status, r.err, r.out);
    assert_contains(r.out, "2 repeats of 20 timed updates per network and side; seed 3");
    /* 3 * 16 + 16 + 16 * 1 + 1 = 81 and 2 * 16 + 16 + 16 * 5 + 5 = 133. */
    assert_contains(r.out, "network 3-16-1, batch 100, 81 parameters");
    assert_contains(r.out, "network 2-16-5, batch 32, 133 parameters");
    assert_contains(r.out, ", 1 thread\n");
    const char *core = strstr(r.out, "OpenBLAS core: ");
    assert_non_null(core);
    assert_true(core[strlen("OpenBLAS core: ")] != ',');
    /* Both networks agree, each within the tolerance. */
    const char *second = strstr(r.out, "network 2-16-5");
    assert_non_null(second);
    const char *const starts[2] = {r.out, second};
    for (int k = 0; k < 2; k++) {
        double diff = number_after(starts[k], "agreement: yes");
        assert_true(diff >= 0.0 && diff <= 1e-4);
    }
    /* H = 16 is not the benchmark proper: no comparison with the target. */
    assert_true(strstr(r.out, "target >=") == NULL);
    result_free(&r);
}

static void test_dqn_help_and_usage(void **state)
{
    (void)state;
    result r = RUN("bench", "dqn", "--help");
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "usage: gridrl bench dqn [--updates N] [--repeats R] [--check K]");
    result_free(&r);
    r = RUN("bench");
    assert_contains(r.out, "  dqn ");
    result_free(&r);
    const struct {
        const char *option, *value, *message;
    } bad[] = {
        {"--updates", "0", "--updates: updates must be in [1, 10000000], not 0"},
        {"--repeats", "1001", "--repeats: repeats must be in [1, 1000], not 1001"},
        {"--check", "501", "--check: check_updates must be in [1, 500], not 501"},
        {"--hidden", "0", "--hidden: hidden must be in [1, 4096], not 0"},
        {"--hidden", "x", "--hidden takes a whole number, not 'x'"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        r = RUN("bench", "dqn", bad[k].option, bad[k].value);
        assert_int_equal(r.status, 2);
        assert_contains(r.err, bad[k].message);
        result_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dp_small_grid_agrees),
        cmocka_unit_test(test_dp_unconverged_corner),
        cmocka_unit_test(test_bench_lists_benchmarks),
        cmocka_unit_test(test_bench_usage_errors),
        cmocka_unit_test(test_td_same_result),
        cmocka_unit_test(test_td_learns_the_edge_path),
        cmocka_unit_test(test_td_help_and_usage),
        cmocka_unit_test(test_linear_same_result),
        cmocka_unit_test(test_run_whole_process),
        cmocka_unit_test(test_dqn_agrees),
        cmocka_unit_test(test_dqn_help_and_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

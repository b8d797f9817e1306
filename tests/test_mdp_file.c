/* Explicit MDP files (envs/mdp_file.h) and the mdp env (envs/mdp_env.h):
 *
 * - the parser on a file using every feature, field by field against the text;
 * - every error the parser reports, each with its source:line:column and message;
 * - the compiled model: expected rewards, actions a state lacks repeating its first, v* of a
 *   small MDP solved by hand;
 * - the env against its model, statistically: outcome and start frequencies, and the sample
 *   mean of each outcome's reward against its expectation (bounds stated where used);
 * - through the program: choices.csv (S&B Example 6.7's "left from A"), learners that keep
 *   to a state's own actions, and the agents refused on such an env.
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/support.h"

#include <stdlib.h>
#include <unistd.h>

#include "agents/registry.h"
#include "envs/mdp_env.h"
#include "envs/mdp_file.h"
#include "experiments/runner/episode_loop.h"
#include "rl/ground_truth.h"
#include "rl/rng.h"
#include "tests/process.h"

#define Z_BOUND 5.0

static char tmpdir[PATH_SIZE];

/* snprintf into a path buffer, failing the test rather than truncating. */
#define PATHF(buf, ...)                                                                    \
    do {                                                                                   \
        if (snprintf(buf, sizeof buf, __VA_ARGS__) >= (int)sizeof buf)                     \
            fail_msg("path too long: %s", #buf);                                           \
    } while (0)

static rl_mdp_file *parse_ok(const char *text)
{
    rl_error err;
    rl_mdp_file *f;
    if (rl_mdp_file_parse(text, strlen(text), "t.mdp", &f, &err) != RL_OK) {
        char buf[1200];
        rl_error_format(&err, buf, sizeof buf);
        fail_msg("parse failed: %s\n%s", buf, text);
    }
    return f;
}

/* Every feature of the format. A gets weight 3 of 4; (A, go) has three outcomes, the last
 * taking the probability the others leave (0.6); B has only go (so states have their own
 * action sets); CRLF line ends, tabs and a last line without a newline are accepted. */
static const char FULL[] = "# a model with every feature\r\n"
                           "state A start 3   # weight 3\r\n"
                           "state\tB start\n"
                           "state C\n"
                           "state end terminal\n"
                           "\n"
                           "A go -> 0.25 B 1 ; 0.15 C normal(2, 0.5) ; end uniform(-1, 3)\n"
                           "A stay -> A -0.5\n"
                           "count A go\n"
                           "B go -> end\n"
                           "C go -> 0.5 A ; 0.5 end 1e1\n"
                           "C stay -> C";

static const rl_mdp_file_outcome *outcome(const rl_mdp_file *f, size_t s, size_t a, size_t k)
{
    size_t sa = s * f->n_actions + a;
    assert_true(f->first[sa] + k < f->first[sa + 1]);
    return &f->outcomes[f->first[sa] + k];
}

static void test_parse_full(void **state)
{
    (void)state;
    rl_mdp_file *f = parse_ok(FULL);
    assert_int_equal(f->n_states, 4);
    assert_string_equal(f->state_names[0], "A");
    assert_string_equal(f->state_names[1], "B");
    assert_string_equal(f->state_names[2], "C");
    assert_string_equal(f->state_names[3], "end");
    assert_int_equal(f->n_actions, 2); /* in order of first use */
    assert_string_equal(f->action_names[0], "go");
    assert_string_equal(f->action_names[1], "stay");
    assert_int_equal(f->terminal[3], 1);
    assert_int_equal(f->terminal[0] + f->terminal[1] + f->terminal[2], 0);
    assert_close(f->start[0], 0.75, 1e-15);
    assert_close(f->start[1], 0.25, 1e-15);
    assert_close(f->start[2] + f->start[3], 0.0, 0.0);
    size_t go = 0, stay = 1;
    assert_true(rl_mdp_file_has(f, 0, go) && rl_mdp_file_has(f, 0, stay));
    assert_true(rl_mdp_file_has(f, 1, go) && !rl_mdp_file_has(f, 1, stay));
    assert_true(!rl_mdp_file_has(f, 3, go) && !rl_mdp_file_has(f, 3, stay));
    assert_true(f->own_actions);
    /* (A, go): 0.25 B 1 ; 0.15 C normal(2, 0.5) ; end uniform(-1, 3) */
    const rl_mdp_file_outcome *o = outcome(f, 0, go, 0);
    assert_close(o->probability, 0.25, 1e-15);
    assert_int_equal(o->next, 1);
    assert_int_equal(o->reward.kind, RL_REWARD_CONSTANT);
    assert_close(o->reward.a, 1.0, 0.0);
    o = outcome(f, 0, go, 1);
    assert_close(o->probability, 0.15, 1e-15);
    assert_int_equal(o->next, 2);
    assert_int_equal(o->reward.kind, RL_REWARD_NORMAL);
    assert_close(o->reward.a, 2.0, 0.0);
    assert_close(o->reward.b, 0.5, 0.0);
    o = outcome(f, 0, go, 2);
    assert_close(o->probability, 0.6, 1e-15);
    assert_int_equal(o->next, 3);
    assert_int_equal(o->reward.kind, RL_REWARD_UNIFORM);
    assert_close(rl_reward_mean(&o->reward), 1.0, 0.0);
    assert_int_equal(f->first[0 * 2 + go + 1] - f->first[0 * 2 + go], 3);
    /* A stay -> A -0.5: probability 1 by default */
    o = outcome(f, 0, stay, 0);
    assert_close(o->probability, 1.0, 0.0);
    assert_close(o->reward.a, -0.5, 0.0);
    /* B go -> end: reward 0 by default */
    o = outcome(f, 1, go, 0);
    assert_int_equal(o->next, 3);
    assert_close(o->reward.a, 0.0, 0.0);
    /* C go -> 0.5 A ; 0.5 end 1e1, and the last line without a newline */
    assert_close(outcome(f, 2, go, 1)->reward.a, 10.0, 0.0);
    assert_int_equal(outcome(f, 2, stay, 0)->next, 2);
    assert_int_equal(f->n_marked, 1);
    for (size_t sa = 0; sa < 8; sa++)
        assert_int_equal(f->marked[sa], sa == 0 * 2 + go);
    rl_mdp_file_free(f);

    /* One action list for every non-terminal state: no own action sets. */
    f = parse_ok("state A start\nstate B\nA x -> B\nA y -> A\nB y -> A\nB x -> B 1\n");
    assert_false(f->own_actions);
    assert_int_equal(f->n_actions, 2);
    assert_int_equal(f->n_marked, 0);
    rl_mdp_file_free(f);
}

/* The error a text gives, formatted as the program prints it. */
static void expect_error(const char *text, size_t len, int code, const char *where,
                         const char *message)
{
    rl_error err;
    rl_error_clear(&err);
    rl_mdp_file *f = (rl_mdp_file *)&err;
    int rc = rl_mdp_file_parse(text, len, "t.mdp", &f, &err);
    assert_null(f);
    char buf[1200];
    rl_error_format(&err, buf, sizeof buf);
    if (rc != code)
        fail_msg("code %d, expected %d: %s\n%s", rc, code, buf, text);
    if (strncmp(buf, where, strlen(where)) != 0 || buf[strlen(where)] != ' ')
        fail_msg("\"%s\" does not start at \"%s\"", buf, where);
    assert_contains(buf, message);
}

#define ERR(text, code, where, message) expect_error(text, strlen(text), code, where, message)

static void test_parse_errors(void **state)
{
    (void)state;
    const char *S = "state A start\n"; /* line 1 of most cases */
    char t[8192];
#define WITH(rest) (snprintf(t, sizeof t, "%s%s", S, rest), t)
    ERR(WITH("A go -> B\n"), RL_ENOTFOUND, "t.mdp:2:9:", "unknown state 'B'");
    ERR(WITH("state A\n"), RL_EPARSE, "t.mdp:2:7:", "state A is declared twice (first on line 1)");
    ERR(WITH("A go -> 0.5 A ; 0.4 A 1\n"), RL_EINVAL, "t.mdp:2:6:",
        "probabilities sum to 0.9, not 1");
    ERR(WITH("A go -> 1 A ; 0.5 A\n"), RL_EINVAL, "t.mdp:2:6:", "sum to 1.5, not 1");
    ERR(WITH("A go -> 1.5 A\n"), RL_ERANGE, "t.mdp:2:9:", "probability 1.5 is not in (0, 1]");
    ERR(WITH("A go -> 0.6 A ; A ; A\n"), RL_EPARSE, "t.mdp:2:21:",
        "a second outcome without a probability");
    ERR(WITH("A go -> 1 A ; A\n"), RL_EINVAL, "t.mdp:2:15:", "leaving nothing for this one");
    ERR(WITH("A go -> A normal(0, -1)\n"), RL_ERANGE, "t.mdp:2:21:",
        "standard deviation -1 is negative");
    ERR(WITH("A go -> A uniform(2, 1)\n"), RL_ERANGE, "t.mdp:2:19:",
        "the low end is above the high end");
    ERR(WITH("A go -> A normal(1, 2\n"), RL_EPARSE, "t.mdp:2:22:",
        "expected ')', found the end of the line");
    ERR(WITH("A go -> A normal 1\n"), RL_EPARSE, "t.mdp:2:18:", "expected '(', found '1'");
    ERR(WITH("A go -> A bonus\n"), RL_EPARSE, "t.mdp:2:11:", "expected a reward");
    ERR(WITH("A go -> A 1 2\n"), RL_EPARSE, "t.mdp:2:13:",
        "expected ';' or the end of the line, found '2'");
    ERR(WITH("A go A\n"), RL_EPARSE, "t.mdp:2:6:", "expected '->', found 'A'");
    ERR(WITH("A go ->\n"), RL_EPARSE, "t.mdp:2:8:", "expected a state name, found the end");
    ERR(WITH("A -> A\n"), RL_EPARSE, "t.mdp:2:3:", "expected an action name, found '->'");
    ERR(WITH("A go -> A 1.2.3\n"), RL_EPARSE, "t.mdp:2:11:", "malformed number");
    ERR(WITH("A go -> A 1e\n"), RL_EPARSE, "t.mdp:2:11:", "malformed number");
    ERR(WITH("A go -> A 1e999\n"), RL_ERANGE, "t.mdp:2:11:", "too large");
    ERR(WITH("A go -> A @\n"), RL_EPARSE, "t.mdp:2:11:", "unexpected '@'");
    ERR(WITH("A go -> A\nA go -> A 1\n"), RL_EPARSE, "t.mdp:3:3:",
        "A go is defined twice (first on line 2)");
    ERR(WITH("state T terminal\nT go -> A\n"), RL_EINVAL, "t.mdp:3:1:",
        "state T is terminal: the episode ends there, it has no actions");
    ERR(WITH("state B\nA go -> B\n"), RL_EINVAL, "t.mdp:2:", "state B has no actions");
    ERR(WITH("count A nope\nA go -> A\n"), RL_EINVAL, "t.mdp:2:1:",
        "state A has no action nope to count");
    ERR(WITH("A go -> A\ncount A go\ncount A go\n"), RL_EPARSE, "t.mdp:4:1:",
        "count A go is given twice (first on line 3)");
    ERR(WITH("A go -> A\ncount A go extra\n"), RL_EPARSE, "t.mdp:3:12:",
        "expected the end of the line, found 'extra'");
    ERR(WITH("state state\n"), RL_EPARSE, "t.mdp:2:7:", "'state' is a keyword");
    ERR(WITH("state B start 0\n"), RL_ERANGE, "t.mdp:2:15:", "start weight 0 is not > 0");
    ERR(WITH("state B wet\n"), RL_EPARSE, "t.mdp:2:9:",
        "expected 'start [WEIGHT]' or 'terminal' (once each), found 'wet'");
    ERR(WITH("state\n"), RL_EPARSE, "t.mdp:2:6:", "expected a state name after 'state'");
    ERR("state A start terminal\n", RL_EINVAL, "t.mdp:1:7:", "both a start and terminal");
    ERR("state A\nA go -> A\n", RL_EINVAL, "t.mdp:", "no start state");
    ERR("# nothing\n\n", RL_EINVAL, "t.mdp:", "no states");
    ERR(WITH("state abcdefghijklmnopqrstuvwxyz0123456789\n"), RL_ERANGE, "t.mdp:2:7:",
        "longer than 31 characters");
    ERR(WITH("A abcdefghijklmnop -> A\n"), RL_ERANGE, "t.mdp:2:3:", "longer than 15 characters");
    /* The message quotes at most the name's own bytes (a fuzzer found a read past the end of
     * a text ending in a long action name). */
    ERR(WITH("A abcdefghijklmnopq -> A\n"), RL_ERANGE, "t.mdp:2:3:",
        "action name 'abcdefghijklmnopq...' is longer");
    /* 17 action names, one more than RL_MAX_ACTIONS. */
    snprintf(t, sizeof t, "%s", S);
    for (int a = 0; a < 17; a++)
        snprintf(t + strlen(t), sizeof t - strlen(t), "A a%d -> A\n", a);
    expect_error(t, strlen(t), RL_ERANGE, "t.mdp:18:3:", "more than 16 action names");
    /* A line over the limit. */
    memset(t, ' ', 5000);
    snprintf(t + 5000, sizeof t - 5000, "\n");
    expect_error(t, strlen(t), RL_ERANGE, "t.mdp:1:4097:", "longer than 4096 characters");
    /* A NUL byte inside the text. */
    static const char nul[] = "state A start\nA go\0 -> A\n";
    expect_error(nul, sizeof nul - 1, RL_EPARSE, "t.mdp:2:5:", "NUL byte");
    /* A text over the size cap is refused before it is read. */
    size_t big = (size_t)RL_MDP_FILE_MAX_BYTES + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, '#', big);
    expect_error(huge, big, RL_ERANGE, "t.mdp:", "at most 1048576 bytes");
    free(huge);
#undef WITH
}

/* Arbitrary bytes: every prefix of the full example, and the example with each byte
 * replaced by a few others, parse or fail cleanly (the sanitizer build watches memory). */
static void test_parse_any_bytes(void **state)
{
    (void)state;
    size_t n = strlen(FULL), ok = 0, failed = 0;
    static const char replacements[] = {'\0', '\n', '#', ';', '(', '-', '9', 'x', '\xff'};
    char *copy = malloc(n);
    assert_non_null(copy);
    for (size_t len = 0; len <= n; len++) {
        rl_mdp_file *f;
        if (rl_mdp_file_parse(FULL, len, "prefix", &f, NULL) == RL_OK)
            ok++, rl_mdp_file_free(f);
        else
            failed++;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof replacements; k++) {
            memcpy(copy, FULL, n);
            copy[i] = replacements[k];
            rl_mdp_file *f;
            rl_error err;
            if (rl_mdp_file_parse(copy, n, "mutant", &f, &err) == RL_OK) {
                ok++;
                rl_mdp_file_free(f);
            } else {
                failed++;
                assert_true(err.message[0] != '\0');
            }
        }
    free(copy);
    print_message("%zu texts parsed, %zu refused\n", ok, failed);
    assert_true(ok > 0 && failed > 0);
}

static rl_env *env_of(const char *path);

/* The model: expected rewards; B's missing stay repeats B's go; terminal self-loops. */
static void test_compile(void **state)
{
    (void)state;
    rl_mdp_file *f = parse_ok(FULL);
    rl_mdp *m;
    rl_error err;
    assert_int_equal(rl_mdp_file_compile(f, &m, &err), RL_OK);
    assert_int_equal(m->rows, 1);
    assert_int_equal(m->cols, 4);
    assert_int_equal(m->n_actions, 2);
    assert_string_equal(m->action_names[0], "go");
    assert_memory_equal(m->cell, "SS.G", 4);
    assert_int_equal(m->kind[3], RL_STATE_TERMINAL);
    double v[4] = {0.0, 0.0, 0.0, 0.0};
    /* With v = 0 a backup is the expected reward: (A, go) 0.25 * 1 + 0.15 * 2 + 0.6 * 1. */
    assert_close(rl_mdp_backup(m, 0, 0, v, 0.9), 1.15, 1e-15);
    assert_close(rl_mdp_backup(m, 0, 1, v, 0.9), -0.5, 1e-15);
    assert_close(rl_mdp_backup(m, 2, 0, v, 0.9), 5.0, 1e-15);
    size_t b_go = 1 * 2 + 0, b_stay = 1 * 2 + 1;
    assert_int_equal(m->sure_next[b_go], 3);
    assert_int_equal(m->sure_next[b_stay], 3);
    v[0] = 1.0;
    /* (A, stay) -> A: -0.5 + 0.9 * 1 */
    assert_close(rl_mdp_backup(m, 0, 1, v, 0.9), 0.4, 1e-15);
    rl_mdp_free(m);
    rl_mdp_file_free(f);

    /* A state whose first own action is not the first action: D lacks go, which repeats
     * D's stay (to end with 3), in the model and in the env. */
    static const char own[] = "state A start\nstate D\nstate end terminal\n"
                              "A go -> D\nA stay -> A\nD stay -> end 3\n";
    f = parse_ok(own);
    assert_int_equal(rl_mdp_file_compile(f, &m, &err), RL_OK);
    v[0] = v[1] = v[2] = 0.0;
    assert_close(rl_mdp_backup(m, 1, 0, v, 0.9), 3.0, 0.0);
    assert_int_equal(m->sure_next[1 * 2 + 0], 2);
    char path[PATH_SIZE];
    PATHF(path, "%s/own.mdp", tmpdir);
    write_file(path, own);
    rl_env *env = env_of(path);
    assert_int_equal(rl_env_reset_to(env, 1, NULL), RL_OK);
    rl_step st = rl_env_step(env, 0, NULL); /* deterministic: no draw */
    assert_int_equal(st.next, 2);
    assert_close(st.reward, 3.0, 0.0);
    rl_env_free(env);
    rl_mdp_free(m);
    rl_mdp_file_free(f);

    /* v* by hand, gamma 0.9: B: go gives 10, stay forever 0.5 / 0.1 = 5, so v(B) = 10;
     * A: go gives 0.5 (2 + 0.9 * 10) + 0.5 * 4 = 7.5, stay forever 5: v(A) = 7.5. */
    f = parse_ok("state A start\nstate B\nstate end terminal\n"
                 "A stay -> A 0.5\n"
                 "A go -> 0.5 B 2 ; 0.5 end normal(4, 3)\n"
                 "B stay -> B uniform(0, 1)\n"
                 "B go -> end 10\n");
    assert_int_equal(rl_mdp_file_compile(f, &m, &err), RL_OK);
    double truth[3];
    assert_int_equal(rl_ground_truth_optimal(m, 0.9, truth, &err), RL_OK);
    assert_close(truth[0], 7.5, 1e-9);
    assert_close(truth[1], 10.0, 1e-9);
    assert_close(truth[2], 0.0, 0.0);
    rl_mdp_free(m);
    rl_mdp_file_free(f);
}

static rl_env *env_of(const char *path)
{
    rl_params *p = rl_params_alloc(rl_mdp_env_params);
    assert_non_null(p);
    rl_error err;
    assert_int_equal(rl_params_set(p, "file", path, &err), RL_OK);
    rl_env *env;
    if (rl_env_alloc(&rl_mdp_env_type, p, &env, &err) != RL_OK) {
        char buf[1200];
        rl_error_format(&err, buf, sizeof buf);
        fail_msg("%s", buf);
    }
    rl_params_free(p);
    return env;
}

static void check_frequency(size_t count, size_t n, double p, const char *what)
{
    double f = (double)count / (double)n, bound = Z_BOUND * sqrt(p * (1.0 - p) / (double)n);
    if (!(fabs(f - p) <= bound))
        fail_msg("%s: frequency %.5f, model %.5f, bound %.2g", what, f, p, bound);
}

/* The env samples its model. N = 200,000 steps of (A, go) from reset_to(A): each outcome's
 * frequency within 5 binomial standard deviations of its probability (n p >= 30,000); each
 * outcome's mean reward within 5 standard errors of its expectation (C: normal(2, 0.5), sd
 * 0.5; end: uniform(-1, 3), sd 4 / sqrt(12); B: the constant 1 exactly). A correct env fails
 * one of these 5-sigma checks with probability below 6e-7 each; the seed is fixed. Then
 * reset's start frequencies (A 3/4, B 1/4), and B's missing action acting as its first. */
static void test_env_samples_its_model(void **state)
{
    (void)state;
    char path[PATH_SIZE];
    PATHF(path, "%s/full.mdp", tmpdir);
    write_file(path, FULL);
    rl_env *env = env_of(path);
    const rl_space *sp = rl_env_space(env);
    const rl_mdp *m = rl_env_model(env);
    assert_non_null(m);
    assert_int_equal(sp->rows, 1);
    assert_int_equal(sp->cols, 4);
    assert_non_null(sp->allowed);
    static const uint8_t allowed[8] = {1, 1, 1, 0, 1, 1, 0, 0};
    assert_memory_equal(sp->allowed, allowed, 8);
    assert_non_null(sp->marked);
    assert_int_equal(sp->marked[0], 1);
    assert_true(rl_space_allows(sp, 0, 1) && !rl_space_allows(sp, 1, 1));

    gsl_rng *r = rl_rng_alloc(99, NULL);
    enum { N = 200000 };
    size_t count[4] = {0};
    double sum[4] = {0}, sum2[4] = {0};
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(rl_env_reset_to(env, 0, NULL), RL_OK);
        rl_step st = rl_env_step(env, 0, r);
        assert_true(st.next == 1 || st.next == 2 || st.next == 3);
        assert_int_equal(st.terminated, st.next == 3);
        count[st.next]++;
        sum[st.next] += st.reward;
        sum2[st.next] += st.reward * st.reward;
    }
    check_frequency(count[1], N, 0.25, "A go -> B");
    check_frequency(count[2], N, 0.15, "A go -> C");
    check_frequency(count[3], N, 0.6, "A go -> end");
    assert_close(sum[1] / (double)count[1], 1.0, 1e-12);
    double sd_c = 0.5, sd_end = 4.0 / sqrt(12.0);
    assert_close(sum[2] / (double)count[2], 2.0, Z_BOUND * sd_c / sqrt((double)count[2]));
    assert_close(sum[3] / (double)count[3], 1.0, Z_BOUND * sd_end / sqrt((double)count[3]));
    /* The spread too, within 5% (a normal draw with the wrong sd would show). */
    double var_c = sum2[2] / (double)count[2] - pow(sum[2] / (double)count[2], 2);
    assert_close(sqrt(var_c), sd_c, 0.05 * sd_c);
    /* The model's expected reward of (A, go) is the sample mean over all outcomes. */
    double all = (sum[1] + sum[2] + sum[3]) / N;
    double zero[4] = {0};
    double expected = rl_mdp_backup(m, 0, 0, zero, 1.0);
    double sd_all = sqrt((sum2[1] + sum2[2] + sum2[3]) / N - all * all);
    assert_close(all, expected, Z_BOUND * sd_all / sqrt((double)N));

    size_t starts[4] = {0};
    for (size_t i = 0; i < N; i++)
        starts[rl_env_reset(env, r)]++;
    check_frequency(starts[0], N, 0.75, "start A");
    assert_int_equal(starts[0] + starts[1], N);
    /* B has no stay: it acts as go, to end, reward 0, as in the model. */
    assert_int_equal(rl_env_reset_to(env, 1, NULL), RL_OK);
    rl_step st = rl_env_step(env, 1, r);
    assert_int_equal(st.next, 3);
    assert_true(st.terminated);
    assert_int_equal(m->sure_next[1 * 2 + 1], 3);
    /* A terminal state is no start. */
    rl_error err;
    assert_int_equal(rl_env_reset_to(env, 3, &err), RL_EINVAL);
    assert_contains(err.message, "end is terminal");
    rl_rng_free(r);
    rl_env_free(env);
}

static void test_env_errors(void **state)
{
    (void)state;
    rl_params *p = rl_params_alloc(rl_mdp_env_params);
    rl_env *env;
    rl_error err;
    assert_int_equal(rl_env_alloc(&rl_mdp_env_type, p, &env, &err), RL_EINVAL);
    assert_string_equal(err.key, "file");
    char path[PATH_SIZE];
    PATHF(path, "%s/missing.mdp", tmpdir);
    assert_int_equal(rl_params_set(p, "file", path, &err), RL_OK);
    assert_int_equal(rl_env_alloc(&rl_mdp_env_type, p, &env, &err), RL_EIO);
    assert_contains(err.message, "cannot read MDP file");
    assert_string_equal(err.file, path);
    PATHF(path, "%s/bad.mdp", tmpdir);
    write_file(path, "state A start\nA go -> Z\n");
    assert_int_equal(rl_params_set(p, "file", path, &err), RL_OK);
    assert_int_equal(rl_env_alloc(&rl_mdp_env_type, p, &env, &err), RL_ENOTFOUND);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 9);
    rl_params_free(p);
}

/* Q-learning with uniform behaviour on S&B Example 6.7's MDP, through the library's episode
 * loop: in A it picks only left and right, in B only b1..b10, each uniformly (2,000 episodes:
 * left 1/2 within 5 sd; each b within 5 sd of 1/10 of the visits to B); choices.csv's counts
 * (one decision in A per episode, chosen = left) are those same draws. A learner that cannot
 * keep to a state's own actions is refused. */
static void test_own_actions_through_the_loop(void **state)
{
    (void)state;
    rl_env *env = env_of(GRIDRL_SOURCE_DIR "/experiments/configs/maps/maximization_bias.mdp");
    const rl_space *sp = rl_env_space(env);
    assert_int_equal(sp->n_actions, 12);
    assert_int_equal(sp->n_states, 3);
    rl_run_result res;
    rl_error err;
    assert_int_equal(rl_run_result_prepare(&res, env, sp, &err), RL_OK);
    const rl_agent *q = rl_agent_find("q_learning", NULL);
    rl_params *ap = rl_params_alloc(q->learner->params);
    assert_int_equal(rl_params_set(ap, "behavior", "uniform", &err), RL_OK);
    gsl_rng *r = rl_rng_alloc(4, NULL);
    rl_learner *l;
    assert_int_equal(rl_learner_alloc(q->learner, sp, ap, NULL, r, &l, &err), RL_OK);
    rl_loop_options o = RL_LOOP_OPTIONS_DEFAULT;
    o.episodes = 2000;
    assert_int_equal(rl_episode_loop(env, l, r, &o, &res, &err), RL_OK);
    size_t lefts = 0, steps_in_b = 0;
    for (size_t i = 0; i < res.episode_rows.n; i++) {
        const rl_episode_row *row = rl_rows_at(&res.episode_rows, i);
        assert_int_equal(row->decisions, 1);
        assert_int_equal(row->length, 1 + row->chosen); /* left: A then B; right: A */
        lefts += row->chosen;
        steps_in_b += row->length - 1;
    }
    check_frequency(lefts, 2000, 0.5, "left from A");
    assert_int_equal(steps_in_b, lefts);
    /* The policy read-out: one own action per state. */
    for (size_t a = 0; a < 12; a++) {
        if (res.policy[0 * 12 + a] > 0)
            assert_true(a < 2);
        if (res.policy[1 * 12 + a] > 0)
            assert_true(a >= 2);
    }
    rl_learner_free(l);
    rl_params_free(ap);
    rl_run_result_free(&res);

    /* mc_epsilon_greedy does not keep to own actions: the loop refuses it. */
    env = env_of(GRIDRL_SOURCE_DIR "/experiments/configs/maps/maximization_bias.mdp");
    assert_int_equal(rl_run_result_prepare(&res, env, rl_env_space(env), &err), RL_OK);
    const rl_agent *mc = rl_agent_find("mc_epsilon_greedy", NULL);
    assert_false(mc->learner->state_actions);
    ap = rl_params_alloc(mc->learner->params);
    assert_int_equal(rl_learner_alloc(mc->learner, rl_env_space(env), ap, NULL, r, &l, &err),
                     RL_OK);
    assert_int_equal(rl_episode_loop(env, l, r, &o, &res, &err), RL_EUNSUPPORTED);
    assert_contains(err.message, "mc_epsilon_greedy cannot keep to each state's own actions");
    rl_learner_free(l);
    rl_params_free(ap);
    rl_run_result_free(&res);
    rl_rng_free(r);
}

/* Double Q-learning's own argmax keeps to the next state's own actions (and Expected
 * Sarsa's expectation and Sarsa(lambda)'s next action, below): A (actions l, r)
 * and B (b1, b2) of four, alpha 1, gamma 1, q0 0. Terminal steps (B, b1, -1) and
 * (B, b2, -2), repeated until both tables hold them (the read-out, their mean, is then -1
 * and -2), then (A, l, 0, B): the table updated picks b1 (-1 > -2) and the other judges it,
 * -1, so the read-out q(A, l) is (-1 + 0) / 2 = -0.5. An argmax over all four would pick l
 * in B (0, never updated) and give 0. */
static void test_double_q_own_actions(void **state)
{
    (void)state;
    rl_error err;
    rl_mdp *m = test_mdp_alloc(1, 3, 4, &err);
    m->kind[2] = RL_STATE_TERMINAL;
    m->start[0] = 1.0;
    for (size_t s = 0; s < 3; s++)
        for (size_t a = 0; a < 4; a++)
            assert_int_equal(rl_mdp_add_outcome(m, s, a, 1.0, 2, 0.0, true, &err), RL_OK);
    assert_int_equal(rl_mdp_finish(m, &err), RL_OK);
    rl_space sp = rl_mdp_space(m);
    static const uint8_t allowed[12] = {1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0};
    sp.allowed = allowed;
    const rl_agent *dq = rl_agent_find("double_q_learning", NULL);
    rl_params *p = rl_params_alloc(dq->learner->params);
    assert_int_equal(rl_params_set(p, "alpha", "1", &err), RL_OK);
    assert_int_equal(rl_params_set(p, "gamma", "1", &err), RL_OK);
    gsl_rng *r = rl_rng_alloc(8, NULL);
    rl_learner *l;
    assert_int_equal(rl_learner_alloc(dq->learner, &sp, p, NULL, r, &l, &err), RL_OK);
    double q[12];
    for (int i = 0; i < 200; i++) {
        rl_transition b1 = {1, 2, -1.0, 2, true, false}, b2 = {1, 3, -2.0, 2, true, false};
        rl_learner_observe(l, &b1, r);
        rl_learner_observe(l, &b2, r);
        rl_learner_action_values(l, q);
        if (q[1 * 4 + 2] == -1.0 && q[1 * 4 + 3] == -2.0)
            break;
    }
    assert_close(q[1 * 4 + 2], -1.0, 0.0);
    assert_close(q[1 * 4 + 3], -2.0, 0.0);
    rl_transition left = {0, 0, 0.0, 1, false, false};
    size_t a = rl_learner_observe(l, &left, r);
    assert_true(a == 2 || a == 3); /* B's own actions */
    rl_learner_action_values(l, q);
    assert_close(q[0 * 4 + 0], -0.5, 0.0);
    rl_learner_free(l);
    rl_params_free(p);

    /* Expected Sarsa's expectation too: epsilon 0.5 over B's two own actions gives the
     * greedy b1 1 - 0.5 / 2 = 0.75 and b2 0.25, so (A, l, 0, B) targets -0.75 - 0.5 = -1.25
     * (over all four actions it would be 0.125 * (-3) = -0.375). */
    const rl_agent *es = rl_agent_find("expected_sarsa", NULL);
    p = rl_params_alloc(es->learner->params);
    assert_int_equal(rl_params_set(p, "alpha", "1", &err), RL_OK);
    assert_int_equal(rl_params_set(p, "gamma", "1", &err), RL_OK);
    assert_int_equal(rl_params_set(p, "epsilon", "0.5", &err), RL_OK);
    assert_int_equal(rl_learner_alloc(es->learner, &sp, p, NULL, r, &l, &err), RL_OK);
    rl_transition b1 = {1, 2, -1.0, 2, true, false}, b2 = {1, 3, -2.0, 2, true, false};
    rl_learner_observe(l, &b1, r);
    rl_learner_observe(l, &b2, r);
    rl_learner_observe(l, &left, r);
    rl_learner_action_values(l, q);
    assert_close(q[0 * 4 + 0], -1.25, 1e-15);
    rl_learner_free(l);
    rl_params_free(p);

    /* Sarsa(lambda)'s next action too: greedy (epsilon 0), alpha 1, gamma 1, lambda 0.5.
     * Episodes (B, b1, -1) and (B, b2, -2) leave q(B, .) = -1, -2 on B's own actions; then
     * (A, l, 0, B) picks b1, the best of B's own (over all four, the untouched 0s of l and
     * r would win), and its target -1 gives q(A, l) = 0 + 1 * (-1 - 0) * 1 = -1 (0 with
     * l or r). The greedy read-out and the behaviour keep to own actions as well. */
    const rl_agent *sl = rl_agent_find("sarsa_lambda", NULL);
    assert_true(sl->learner->state_actions);
    p = rl_params_alloc(sl->learner->params);
    static const char *const SARSA_LAMBDA[][2] = {
        {"alpha", "1"}, {"gamma", "1"}, {"lambda", "0.5"}, {"epsilon", "0"}};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(rl_params_set(p, SARSA_LAMBDA[i][0], SARSA_LAMBDA[i][1], &err), RL_OK);
    assert_int_equal(rl_learner_alloc(sl->learner, &sp, p, NULL, r, &l, &err), RL_OK);
    a = rl_learner_begin_episode(l, 1, r);
    assert_true(a == 2 || a == 3);
    rl_learner_observe(l, &b1, r);
    rl_learner_begin_episode(l, 1, r);
    rl_learner_observe(l, &b2, r);
    a = rl_learner_begin_episode(l, 0, r);
    assert_true(a == 0 || a == 1); /* A's own actions, tied at 0 */
    assert_int_equal(rl_learner_observe(l, &left, r), 2);
    rl_learner_action_values(l, q);
    assert_close(q[0 * 4 + 0], -1.0, 0.0);
    assert_close(q[1 * 4 + 2], -1.0, 0.0);
    assert_close(q[1 * 4 + 3], -2.0, 0.0);
    double pi[12];
    rl_learner_policy(l, pi);
    assert_close(pi[0 * 4 + 1], 1.0, 0.0); /* r (0) over l (-1), among A's own */
    assert_close(pi[1 * 4 + 2], 1.0, 0.0); /* b1 */
    assert_true(rl_learner_behavior_policy(l, pi));
    assert_close(pi[1 * 4 + 0] + pi[1 * 4 + 1], 0.0, 0.0);
    assert_close(pi[1 * 4 + 2], 1.0, 0.0);
    rl_learner_free(l);
    rl_params_free(p);
    rl_rng_free(r);
    rl_mdp_free(m);
}

/* The program on an MDP file: choices.csv, the config's errors. */
static void test_through_the_program(void **state)
{
    (void)state;
    char mdp[PATH_SIZE], ini[PATH_SIZE], out[PATH_SIZE], path[PATH_SIZE];
    PATHF(mdp, "%s/bias.mdp", tmpdir);
    write_file(mdp, "state A start\nstate B\nstate end terminal\n"
                    "A left -> B\nA right -> end\ncount A left\n"
                    "B b1 -> end normal(-0.1, 1)\nB b2 -> end normal(-0.1, 1)\n");
    PATHF(ini, "%s/bias.ini", tmpdir);
    PATHF(out, "%s/out", tmpdir);
    write_file(ini, "[experiment]\nepisodes = 4\nseeds = 2\n"
                    "[env]\ntype = mdp\nfile = bias.mdp\n"
                    "[agent]\nalgorithm = q_learning, dyna_q\n");
    result r = RUN("run", ini, "-o", out, "--force");
    if (r.status != 0)
        fail_msg("gridrl run: %s", r.err);
    result_free(&r);
    PATHF(path, "%s/choices.csv", out);
    char *choices = slurp(path);
    assert_non_null(choices);
    /* A header and 4 runs x 4 episodes; every episode decides once in A. */
    size_t lines = 0;
    for (const char *c = choices; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 1 + 16);
    assert_true(strncmp(choices, "run,episode,decisions,chosen,fraction\n0,1,1,", 44) == 0);
    free(choices);
    /* episodes.csv's lengths agree with the choices: 2 steps after left, 1 after right. */
    PATHF(path, "%s/episodes.csv", out);
    char *episodes = slurp(path);
    PATHF(path, "%s/choices.csv", out);
    choices = slurp(path);
    const char *e = strchr(episodes, '\n') + 1, *c = strchr(choices, '\n') + 1;
    for (int i = 0; i < 16; i++) {
        size_t run, ep, length, decisions, chosen;
        double ret, disc;
        assert_int_equal(sscanf(e, "%zu,%zu,%lf,%lf,%zu", &run, &ep, &ret, &disc, &length), 5);
        assert_int_equal(sscanf(c, "%zu,%zu,%zu,%zu", &run, &ep, &decisions, &chosen), 4);
        assert_int_equal(length, 1 + chosen);
        e = strchr(e, '\n') + 1;
        c = strchr(c, '\n') + 1;
    }
    free(episodes);
    free(choices);
    /* policy.csv lists each state's own actions only: A left/right, B b1/b2. */
    PATHF(path, "%s/policy.csv", out);
    char *policy = slurp(path);
    assert_contains(policy, "0,0,0,0,left,");
    assert_contains(policy, "0,1,0,1,b2,");
    assert_true(strstr(policy, "0,0,0,0,b1,") == NULL);
    assert_true(strstr(policy, "0,1,0,1,left,") == NULL);
    free(policy);
    /* config.ini names the file absolutely. */
    PATHF(path, "%s/config.ini", out);
    char *config = slurp(path);
    assert_contains(config, "type = mdp\n");
    assert_contains(config, "file = /");
    assert_contains(config, "; MDP file of configuration 0: ");
    assert_contains(config, "bias.mdp, 3 states, 4 actions, fnv1a64 ");
    free(config);
    /* gridrl show draws gridworlds only, and says so. */
    r = RUN("show", ini);
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "env type mdp is not a gridworld");
    result_free(&r);

    /* A planner and a learner without state_actions are refused, at agent.algorithm. */
    write_file(ini, "[experiment]\nepisodes = 4\n[env]\ntype = mdp\nfile = bias.mdp\n"
                    "[agent]\nalgorithm = value_iteration\n");
    r = RUN("run", ini, "-o", out, "--force");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "bias.ini:7: agent.algorithm: value_iteration cannot keep to each "
                           "state's own actions");
    assert_contains(r.err, "learners that can: sarsa, expected_sarsa, n_step_sarsa, "
                           "sarsa_lambda, q_learning, double_q_learning, dyna_q, dyna_q_plus");
    result_free(&r);
    /* values = behavior is refused too: its truth would spread epsilon over every action. */
    write_file(ini, "[experiment]\nepisodes = 4\nvalues = behavior\n[env]\ntype = mdp\n"
                    "file = bias.mdp\n[agent]\nalgorithm = q_learning\n");
    r = RUN("run", ini, "-o", out, "--force");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "bias.ini:3: experiment.values: values = behavior needs every state "
                           "to have every action");
    result_free(&r);
    /* A file error names the file, line and column. */
    write_file(mdp, "state A start\nA go -> nowhere\n");
    write_file(ini, "[experiment]\nepisodes = 4\n[env]\ntype = mdp\nfile = bias.mdp\n"
                    "[agent]\nalgorithm = q_learning\n");
    r = RUN("run", ini, "-o", out, "--force");
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "bias.mdp:2:9: env.file: unknown state 'nowhere'");
    result_free(&r);
}

static int setup(void **state)
{
    (void)state;
    return tmp_dir_make(tmpdir, sizeof tmpdir, "gridrl_test_mdp_file") ? 0 : -1;
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
        cmocka_unit_test(test_parse_full),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_any_bytes),
        cmocka_unit_test(test_compile),
        cmocka_unit_test(test_env_samples_its_model),
        cmocka_unit_test(test_env_errors),
        cmocka_unit_test(test_own_actions_through_the_loop),
        cmocka_unit_test(test_double_q_own_actions),
        cmocka_unit_test(test_through_the_program),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

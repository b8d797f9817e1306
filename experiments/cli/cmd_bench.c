/* `gridrl bench [NAME [OPTIONS]]`: the performance benchmarks, each checked for correctness.
 *
 * Benchmarks live in one table here (name, summary, function, help), like the commands in
 * main.c: `gridrl bench` lists it, and a new benchmark only needs its line. Each benchmark
 * prints what it measured and how it checked that the measured computation was right; a
 * failed check is an error (exit 1), since the timing of a wrong computation means nothing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/bench/bench_dp.h"
#include "experiments/bench/bench_linear.h"
#include "experiments/bench/bench_nn.h"
#include "experiments/bench/bench_process.h"
#include "experiments/bench/bench_td.h"
#include "experiments/cli/cli.h"
#include "experiments/cli/options.h"

const char rl_cli_bench_help[] =
    "usage: gridrl bench [NAME [OPTIONS]]\n"
    "\n"
    "Runs a performance benchmark; without NAME, lists them. 'gridrl bench NAME --help'\n"
    "shows a benchmark's options. Measure a Release build that is not sanitized.\n"
    "\n"
    "benchmarks:\n"
    "  dp   value-iteration sweeps on a large open grid, against a hand-written stencil\n"
    "  td   Q-learning on cliff walking through the runner, against a hand-written loop\n"
    "  dqn  DQN training updates (3-100-1 batch 100, 2-100-5 batch 32), against plain loops\n"
    "\n"
    "options:\n"
    "  -h, --help   show this help\n"
    "\n"
    "examples:\n"
    "  gridrl bench\n"
    "  gridrl bench dp\n"
    "  gridrl bench dp --size 300 --sweeps 50\n"
    "  gridrl bench td --episodes 100000\n"
    "  gridrl bench dqn\n";

static const char bench_dp_help[] =
    "usage: gridrl bench dp [--size N] [--sweeps K] [--warmup W] [--repeats R]\n"
    "\n"
    "Times synchronous value-iteration sweeps of gridrl's value_iteration planner on an open\n"
    "N x N grid (4 actions, start top-left, one terminal goal bottom-right, reward -1 per\n"
    "move, a bump included, gamma 0.99), built as a run builds it (map, [env] keys,\n"
    "rl_gridworld_compile). The same sweeps are timed on a minimal hand-written stencil over\n"
    "two plain arrays, in the same program; on that stencil written so that gcc vectorises it\n"
    "with the build's flags (the target: gridrl within 3x of it); and on that one built for\n"
    "AVX2 when the CPU has it (the best this machine does). Ratios are of median times.\n"
    "\n"
    "Each repeat starts both from v = 0 and runs W untimed then K timed sweeps, each timed on\n"
    "its own (monotonic clock); medians, minima and maxima are over the R x K timed sweeps.\n"
    "Both must end with the same values, and with the closed form\n"
    "-(1 - 0.99^min(d, n)) / 0.01 after n sweeps at d moves from the goal; otherwise the\n"
    "benchmark fails. Also printed: the model's build time, and the memory the model and the\n"
    "planner take per state (heap measured around their allocation).\n"
    "\n"
    "options:\n"
    "  --size N      grid side, 2 to 10000 (default 1000: a million states)\n"
    "  --sweeps K    timed sweeps per repeat (default 20)\n"
    "  --warmup W    untimed sweeps before them (default 5)\n"
    "  --repeats R   repeats from v = 0 (default 3)\n"
    "  -h, --help    show this help\n"
    "\n"
    "examples:\n"
    "  gridrl bench dp\n"
    "  gridrl bench dp --size 300 --sweeps 50 --repeats 5\n";

/* Values that differ by more than this are a wrong computation, not round-off. */
#define AGREEMENT_TOLERANCE 1e-9
/* The target for gridrl's median sweep time over the vectorised stencil's. */
#define TARGET_RATIO 3.0

static const char bench_td_help[] =
    "usage: gridrl bench td [--episodes N] [--repeats R]\n"
    "\n"
    "Times Q-learning on cliff walking (S&B Example 6.6: alpha 0.5, epsilon 0.1, gamma 1) as\n"
    "a real run: a config (preset cliff_walking, algorithm q_learning, N episodes, one seed)\n"
    "built into a plan and executed by the runner, per-episode metrics included (return,\n"
    "length, value error against v*). The same Q-learning is timed as a minimal hand-written\n"
    "C loop on the same 4 x 12 cliff (its own transition function, plain arrays), in the same\n"
    "program, and the ratio of the median rates (steps per second) is printed.\n"
    "\n"
    "gridrl's time is the whole rl_run_execute call: env build, the ground truth v* (computed\n"
    "once per run; also timed alone and printed), learner, episode loop, read-outs. The plan\n"
    "is built once, untimed. Each repeat runs both once; medians, minima and maxima are over\n"
    "the R repeats.\n"
    "\n"
    "Both sides draw from the same taus2 stream (the run's agent stream) with the same\n"
    "one-draw epsilon-greedy rule, so a right computation takes the same trajectory in\n"
    "both: every episode's length and return, and the final values, must be equal;\n"
    "otherwise the benchmark fails. Also printed: the greedy path from the start (13 moves\n"
    "is optimal) and the mean return of the last 100 episodes.\n"
    "\n"
    "options:\n"
    "  --episodes N  episodes per run, 1 to 10000000 (default 10000)\n"
    "  --repeats R   timed runs of each (default 5)\n"
    "  -h, --help    show this help\n"
    "\n"
    "examples:\n"
    "  gridrl bench td\n"
    "  gridrl bench td --episodes 100000 --repeats 9\n";

static const char bench_linear_help[] =
    "usage: gridrl bench linear [--episodes N] [--repeats R]\n"
    "\n"
    "Times td_linear with polynomial features of order 3 (10 features, Zhao eq. 8.17)\n"
    "evaluating the uniform policy of Zhao's 5x5 grid world, N episodes of 500 steps from\n"
    "uniform cells, alpha 0.0005 (Zhao's Fig 8.7 setting), as a real run through the runner\n"
    "with its per-episode metrics, against a minimal hand-written semi-gradient TD(0) loop on\n"
    "the same grid in the same program. Both draw the same random numbers, so they take the\n"
    "same trajectory and must end with the same weights (to rounding); otherwise the\n"
    "benchmark fails. Prints steps per second (median, min, max over R repeats) and the\n"
    "ratio of the medians.\n"
    "\n"
    "options:\n"
    "  --episodes N  episodes per run, 1 to 1000000 (default 500)\n"
    "  --repeats R   timed runs of each (default 5)\n"
    "  -h, --help    show this help\n"
    "\n"
    "examples:\n"
    "  gridrl bench linear\n"
    "  gridrl bench linear --episodes 5000 --repeats 9\n";

/* The target for gridrl's median rate over the hand-written loop's. */
#define TD_TARGET_RATIO 0.5

static const char bench_dqn_help[] =
    "usage: gridrl bench dqn [--updates N] [--repeats R] [--check K] [--hidden H] [--seed S]\n"
    "\n"
    "Times DQN training updates of rl_nn, gridrl's multilayer perceptron (every product in\n"
    "OpenBLAS's sgemm), for two networks: 3-H-1 with batch 100 (Zhao's Fig 8.11 network) and\n"
    "2-H-5 with batch 32, relu hidden units, H = 100 by default. One update: the target\n"
    "network on the batch's next states, the targets r + 0.9 (1 - done) max_a q'(s', a), the\n"
    "online network on the states, the Huber loss on the actions taken, the backward pass\n"
    "and an Adam step (lr 1e-3, PyTorch's defaults otherwise); the target network is copied\n"
    "every 100 updates. The data are synthetic transitions (64 batches cycled in order).\n"
    "The same updates are timed on a hand-written plain-C version (float triple loops, no\n"
    "BLAS) in the same program, and the ratio of the median rates is printed.\n"
    "\n"
    "Before timing, both run K updates side by side from the same weights on the same\n"
    "batches: their losses must agree to a relative 1e-4 at every update (two float sums in\n"
    "different orders drift apart by rounding, about 7e-6 by 500 updates), otherwise the\n"
    "benchmark fails. Each of the R repeats then restarts both from the initial weights and\n"
    "times N updates of each, alternating which goes first. Rates are updates per second of\n"
    "wall time, one thread: OpenBLAS is kept at one thread (runs are the parallel unit), and\n"
    "the kernel set OpenBLAS chose for this CPU (openblas_get_corename) is printed, since\n"
    "Debian's OpenBLAS falls back to older kernels on CPUs it does not know.\n"
    "\n"
    "options:\n"
    "  --updates N  timed updates per repeat, per network and side, 1 to 10000000\n"
    "               (default 2000)\n"
    "  --repeats R  timed repeats, 1 to 1000 (default 5)\n"
    "  --check K    updates compared side by side before timing, 1 to 500 (default 500)\n"
    "  --hidden H   hidden units of both networks, 1 to 4096 (default 100)\n"
    "  --seed S     the data and the initial weights (default 1)\n"
    "  -h, --help   show this help\n"
    "\n"
    "examples:\n"
    "  gridrl bench dqn\n"
    "  gridrl bench dqn --updates 10000 --repeats 9\n";

/* The scale: PyTorch 1.13 on one CPU thread, measured on this class of machine (not
 * by this program), and the target of 20 times that. */
static const double TORCH_RATES[RL_BENCH_NN_CASES] = {950.0, 1800.0};
#define DQN_TARGET_FACTOR 20.0

static const char bench_run_help[] =
    "usage: gridrl bench run [--seeds S] [--episodes E] [--repeats R] [--jobs J]\n"
    "\n"
    "Times the whole `gridrl run` process (started as a child: plan, runs, every file,\n"
    "summary.csv and scores.csv) of Q-learning on cliff walking (alpha 0.5, epsilon 0.1,\n"
    "gamma 1), S runs of E episodes with -j J, against a hand-written C program doing the same\n"
    "learning with the same random draws and writing the same per-episode rows (return,\n"
    "length, value error against v*) with fprintf into one CSV file. Rates are env steps per\n"
    "second of wall time; the ratio is of the medians (the target is gridrl >= 0.5 x the hand\n"
    "program). Every episode's length and return must agree between the two, otherwise the\n"
    "benchmark fails.\n"
    "\n"
    "options:\n"
    "  --seeds S      runs (default 10)\n"
    "  --episodes E   episodes per run (default 100000)\n"
    "  --repeats R    timed repeats of each side (default 3)\n"
    "  --jobs J       gridrl run -j J (default 1)\n"
    "  -h, --help     show this help\n"
    "\n"
    "examples:\n"
    "  gridrl bench run\n"
    "  gridrl bench run --episodes 20000 --jobs 2\n";

/* The target for the whole process against the hand-written program. */
#define RUN_TARGET_RATIO 0.5

static int bench_dp(const rl_cli_command *cmd, int argc, char **argv);
static int bench_run(const rl_cli_command *cmd, int argc, char **argv);
static int bench_td(const rl_cli_command *cmd, int argc, char **argv);
static int bench_linear(const rl_cli_command *cmd, int argc, char **argv);
static int bench_dqn(const rl_cli_command *cmd, int argc, char **argv);

static const rl_cli_command BENCHMARKS[] = {
    {"dp", "value-iteration sweeps on a large open grid, against a hand-written stencil",
     bench_dp, bench_dp_help, "bench"},
    {"td", "Q-learning on cliff walking through the runner, against a hand-written loop",
     bench_td, bench_td_help, "bench"},
    {"run", "the whole gridrl run process (Q-learning, cliff), against a hand-written program",
     bench_run, bench_run_help, "bench"},
    {"linear", "TD-Linear (polynomial order 3) through the runner, against a hand-written loop",
     bench_linear, bench_linear_help, "bench"},
    {"dqn", "DQN training updates (3-100-1 batch 100, 2-100-5 batch 32), against plain loops",
     bench_dqn, bench_dqn_help, "bench"},
    {NULL, NULL, NULL, NULL, NULL},
};

/* Parses a benchmark's "--name N" count options; RL_OPTIONS_HELP after printing its help,
 * else an exit status. */
static int parse_counts(const rl_cli_command *cmd, int argc, char **argv,
                        const char *const *names, size_t *const *targets, size_t n)
{
    rl_option options[8];
    for (size_t k = 0; k < n && k < 7; k++)
        options[k] = (rl_option){names[k], RL_OPTION_COUNT, targets[k], NULL, 0,
                                 (double)SIZE_MAX};
    options[n < 7 ? n : 7] = (rl_option){NULL, 0, NULL, NULL, 0, 0};
    return rl_options_parse(cmd, argc, argv, options, NULL);
}

static void print_timing_row(const char *name, const rl_bench_timing *t)
{
    printf("  %-18s %10.3f %10.3f %10.3f\n", name, t->median_ms, t->min_ms, t->max_ms);
}

static int bench_dp(const rl_cli_command *cmd, int argc, char **argv)
{
    rl_bench_dp_options opt = RL_BENCH_DP_DEFAULTS;
    static const char *const names[] = {"--size", "--sweeps", "--warmup", "--repeats"};
    size_t *const targets[] = {&opt.size, &opt.sweeps, &opt.warmup, &opt.repeats};
    int status = parse_counts(cmd, argc, argv, names, targets, 4);
    if (status != RL_CLI_OK)
        return status == RL_OPTIONS_HELP ? RL_CLI_OK : status;

    rl_error err;
    rl_error_clear(&err);
    rl_bench_dp_result res;
    int rc = rl_bench_dp_run(&opt, &res, &err);
    if (rc != RL_OK) {
        if (err.key[0]) {
            /* An option out of range: say which, as a usage error. */
            return rl_cli_usage_error(cmd, "--%s: %s", err.key, err.message);
        }
        return rl_cli_error(&err);
    }

    size_t n_sa = res.n_states * res.n_actions;
    size_t n_sweeps = opt.warmup + opt.sweeps;
    printf("value iteration, synchronous: %zu x %zu open grid, %zu states, %zu actions, goal "
           "at (%zu, %zu)\n",
           opt.size, opt.size, res.n_states, res.n_actions, opt.size - 1, opt.size - 1);
    printf("reward -1 per move, gamma %g; %zu repeat%s of %zu warm-up + %zu timed sweeps from "
           "v = 0\n",
           RL_BENCH_DP_GAMMA, opt.repeats, opt.repeats == 1 ? "" : "s", opt.warmup, opt.sweeps);
    printf("model build: %.3f s (rl_gridworld_compile); planner alloc: %.3f s\n",
           res.build_seconds, res.alloc_seconds);
    printf("model memory: compact form %.2f bytes per state-action (%.1f MB), whole model "
           "%.2f (%.1f MB)\n",
           (double)res.compact_bytes / (double)n_sa, (double)res.compact_bytes / 1e6,
           (double)res.model_bytes / (double)n_sa, (double)res.model_bytes / 1e6);
    printf("\n  %-18s %10s %10s %10s   (ms per sweep, %zu timed sweeps each)\n", "",
           "median", "min", "max", opt.repeats * opt.sweeps);
    print_timing_row("gridrl planner", &res.gridrl);
    print_timing_row("hand stencil", &res.stencil);
    print_timing_row("vectorised stencil", &res.vector);
    if (res.has_best)
        print_timing_row("  same, AVX2", &res.best);
    printf("\nratio gridrl / hand stencil (medians): %.2f\n", res.ratio);
    printf("ratio gridrl / vectorised stencil, same flags: %.2f (target <= %g%s)\n",
           res.ratio_vector, TARGET_RATIO, res.ratio_vector <= TARGET_RATIO ? "" : ", missed");
    if (res.has_best)
        printf("ratio gridrl / best stencil (AVX2): %.2f\n", res.ratio_best);
    if (res.model_heap_bytes || res.planner_heap_bytes)
        printf("memory per state: model %.1f bytes, value_iteration planner %.1f bytes "
               "(%.1f MB in all for %zu states)\n",
               (double)res.model_heap_bytes / (double)res.n_states,
               (double)res.planner_heap_bytes / (double)res.n_states,
               (double)(res.model_heap_bytes + res.planner_heap_bytes) / 1e6, res.n_states);
    printf("agreement: max |v_gridrl - v_stencil| = %.3g over gridrl and the vectorised stencils after "
           "%zu sweeps\n",
           res.max_diff,
           n_sweeps);
    printf("closed form: max |v - (-(1 - %g^min(d, n)) / (1 - %g))| = %.3g (n = %zu sweeps, "
           "d = moves to the goal)\n",
           RL_BENCH_DP_GAMMA, RL_BENCH_DP_GAMMA, res.max_closed_diff, n_sweeps);

    if (!(res.max_diff <= AGREEMENT_TOLERANCE) || !(res.max_closed_diff <= AGREEMENT_TOLERANCE)) {
        fprintf(stderr, "gridrl bench dp: the values disagree by more than %g: the timings "
                        "above are of a wrong computation\n",
                AGREEMENT_TOLERANCE);
        return RL_CLI_FAILURE;
    }
    return RL_CLI_OK;
}

static void print_rate_row(const char *name, const rl_bench_rate *r)
{
    printf("  %-20s %10.3f %10.3f %10.3f\n", name, r->median / 1e6, r->min / 1e6,
           r->max / 1e6);
}

static int bench_td(const rl_cli_command *cmd, int argc, char **argv)
{
    rl_bench_td_options opt = RL_BENCH_TD_DEFAULTS;
    static const char *const names[] = {"--episodes", "--repeats"};
    size_t *const targets[] = {&opt.episodes, &opt.repeats};
    int status = parse_counts(cmd, argc, argv, names, targets, 2);
    if (status != RL_CLI_OK)
        return status == RL_OPTIONS_HELP ? RL_CLI_OK : status;

    rl_error err;
    rl_error_clear(&err);
    rl_bench_td_result res;
    int rc = rl_bench_td_run(&opt, &res, &err);
    if (rc != RL_OK) {
        if (rc == RL_ERANGE && err.key[0])
            return rl_cli_usage_error(cmd, "--%s: %s", err.key, err.message);
        return rl_cli_error(&err);
    }

    printf("Q-learning, cliff walking: 4 x 12, -1 per move, -100 and back to the start on the "
           "cliff, goal terminal\n");
    printf("alpha %g, epsilon %g, gamma %g; %zu episodes per run, %zu repeat%s; seed %lu on "
           "both sides\n",
           RL_BENCH_TD_ALPHA, RL_BENCH_TD_EPSILON, RL_BENCH_TD_GAMMA, opt.episodes,
           opt.repeats, opt.repeats == 1 ? "" : "s", res.seed);
    printf("total steps per run: %zu (the same every repeat)\n", res.steps);
    printf("gridrl is timed over the whole rl_run_execute call (%.3f ms median): env build, "
           "ground truth v*,\nlearner, episode loop with per-episode metrics, read-outs. The "
           "ground truth alone takes %.3f ms\n(%.1f%% of the run), once per run.\n",
           1e3 * res.run_seconds, 1e3 * res.truth_seconds,
           100.0 * res.truth_seconds / res.run_seconds);
    printf("\n  %-20s %10s %10s %10s   (million steps per second, %zu run%s each)\n", "",
           "median", "min", "max", opt.repeats, opt.repeats == 1 ? "" : "s");
    print_rate_row("gridrl runner", &res.gridrl);
    print_rate_row("hand-written loop", &res.hand);
    printf("\nratio gridrl / hand-written (medians): %.2f (target >= %g%s)\n", res.ratio,
           TD_TARGET_RATIO, res.ratio >= TD_TARGET_RATIO ? "" : ", missed");

    bool same = rl_bench_td_agrees(&res);
    if (same)
        printf("same result: yes, all %zu episodes have the same length and return, and "
               "max |v_gridrl - v_hand| = %g\n",
               opt.episodes, res.max_value_diff);
    else if (res.first_difference)
        printf("same result: NO, episode %zu differs (length or return)\n",
               res.first_difference);
    else if (res.max_value_diff != 0.0)
        printf("same result: NO, max |v_gridrl - v_hand| = %g\n", res.max_value_diff);
    else
        printf("same result: NO, the greedy paths differ\n");
    printf("greedy path from the start: gridrl %zu moves, hand-written %zu (optimal %d; 0: "
           "does not reach the goal)\n",
           res.path_gridrl, res.path_hand, RL_BENCH_TD_OPTIMAL_PATH);
    printf("mean return of the last %zu episodes: gridrl %.2f, hand-written %.2f\n",
           res.last_count, res.last_mean_gridrl, res.last_mean_hand);
    printf("gridrl's value_rmse against v* after the last episode: %.4g\n", res.final_rmse);

    if (!same) {
        fprintf(stderr, "gridrl bench td: gridrl and the hand-written loop learned different "
                        "things: the timings above are of a wrong computation\n");
        return RL_CLI_FAILURE;
    }
    return RL_CLI_OK;
}

static int bench_linear(const rl_cli_command *cmd, int argc, char **argv)
{
    rl_bench_linear_options opt = RL_BENCH_LINEAR_DEFAULTS;
    static const char *const names[] = {"--episodes", "--repeats"};
    size_t *const targets[] = {&opt.episodes, &opt.repeats};
    int status = parse_counts(cmd, argc, argv, names, targets, 2);
    if (status != RL_CLI_OK)
        return status == RL_OPTIONS_HELP ? RL_CLI_OK : status;
    rl_error err;
    rl_error_clear(&err);
    rl_bench_linear_result res;
    int rc = rl_bench_linear_run(&opt, &res, &err);
    if (rc != RL_OK) {
        if (err.key[0])
            return rl_cli_usage_error(cmd, "--%s: %s", err.key, err.message);
        return rl_cli_error(&err);
    }
    printf("td_linear, polynomial order 3 (%d features), uniform policy on zhao5x5: %zu "
           "episodes of %d steps, alpha %g, gamma %g, seed %lu\n",
           RL_BENCH_LINEAR_FEATURES, opt.episodes, RL_BENCH_LINEAR_LENGTH,
           RL_BENCH_LINEAR_ALPHA, RL_BENCH_LINEAR_GAMMA, res.seed);
    printf("\n  %-20s %10s %10s %10s   (million steps per second, %zu run%s each)\n", "",
           "median", "min", "max", opt.repeats, opt.repeats == 1 ? "" : "s");
    print_rate_row("gridrl runner", &res.gridrl);
    print_rate_row("hand-written loop", &res.hand);
    printf("\nratio gridrl / hand-written (medians): %.2f\n", res.ratio);
    bool same = rl_bench_linear_agrees(&res);
    printf("same result: %s, max relative weight difference %.3g\n", same ? "yes" : "NO",
           res.max_weight_diff);
    printf("gridrl's value_rmse against v_pi after the last episode: %.4g\n", res.final_rmse);
    if (!same) {
        fprintf(stderr, "gridrl bench linear: gridrl and the hand-written loop learned "
                        "different weights: the timings above are of a wrong computation\n");
        return RL_CLI_FAILURE;
    }
    return RL_CLI_OK;
}

static int bench_run(const rl_cli_command *cmd, int argc, char **argv)
{
    rl_bench_process_options opt = RL_BENCH_PROCESS_DEFAULTS;
    static const char *const names[] = {"--seeds", "--episodes", "--repeats", "--jobs"};
    size_t *const targets[] = {&opt.seeds, &opt.episodes, &opt.repeats, &opt.threads};
    int status = parse_counts(cmd, argc, argv, names, targets, 4);
    if (status != RL_CLI_OK)
        return status == RL_OPTIONS_HELP ? RL_CLI_OK : status;
    opt.exe = "/proc/self/exe";
    rl_error err;
    rl_error_clear(&err);
    rl_bench_process_result res;
    int rc = rl_bench_process_run(&opt, &res, &err);
    if (rc != RL_OK) {
        if (err.key[0])
            return rl_cli_usage_error(cmd, "--%s: %s", err.key, err.message);
        return rl_cli_error(&err);
    }
    printf("gridrl run, whole process: q_learning on cliff_walking, %zu runs of %zu episodes, "
           "-j %zu; %zu env steps in all\n",
           opt.seeds, opt.episodes, opt.threads, res.steps);
    printf("\n  %-22s %10s %10s %10s   (million steps per second, %zu repeat%s)\n", "",
           "median", "min", "max", opt.repeats, opt.repeats == 1 ? "" : "s");
    print_rate_row("gridrl run (process)", &res.gridrl);
    print_rate_row("hand-written program", &res.hand);
    printf("\nwall time (medians): gridrl run %.3f s (its runs %.3f s, the rest %.3f s), "
           "hand-written %.3f s\n",
           res.gridrl_seconds, res.runs_seconds / (double)opt.threads,
           res.gridrl_seconds - res.runs_seconds / (double)opt.threads, res.hand_seconds);
    printf("ratio gridrl / hand-written (medians): %.2f (target >= %.1f, %s)\n", res.ratio,
           RUN_TARGET_RATIO, res.ratio >= RUN_TARGET_RATIO ? "met" : "missed");
    if (res.first_difference) {
        printf("same result: NO, first difference at episode row %zu\n", res.first_difference);
        fprintf(stderr, "gridrl bench run: gridrl and the hand-written program took different "
                        "episodes: the timings above are of a wrong computation\n");
        return RL_CLI_FAILURE;
    }
    printf("same result: yes, all %zu episodes have the same length and return\n", res.checked);
    return RL_CLI_OK;
}

static void print_nn_rate(const char *name, const rl_bench_nn_rate *r)
{
    printf("  %-20s %10.0f %10.0f %10.0f\n", name, r->median, r->min, r->max);
}

static int bench_dqn(const rl_cli_command *cmd, int argc, char **argv)
{
    rl_bench_nn_options opt = RL_BENCH_NN_DEFAULTS;
    size_t seed = opt.seed;
    static const char *const names[] = {"--updates", "--repeats", "--check", "--hidden",
                                        "--seed"};
    size_t *const targets[] = {&opt.updates, &opt.repeats, &opt.check_updates, &opt.hidden,
                               &seed};
    int status = parse_counts(cmd, argc, argv, names, targets, 5);
    if (status != RL_CLI_OK)
        return status == RL_OPTIONS_HELP ? RL_CLI_OK : status;
    opt.seed = (unsigned long)seed;

    rl_error err;
    rl_error_clear(&err);
    rl_bench_nn_result res;
    int rc = rl_bench_nn_run(&opt, &res, &err);
    if (rc != RL_OK) {
        if (rc == RL_ERANGE && err.key[0])
            return rl_cli_usage_error(cmd, "--%s: %s",
                                      strcmp(err.key, "check_updates") == 0 ? "check" : err.key,
                                      err.message);
        return rl_cli_error(&err);
    }

    printf("DQN training updates of rl_nn (sgemm) against plain C loops, relu hidden units\n");
    printf("update: target net on s', r + %g (1 - done) max q', online net on s, Huber loss, "
           "backward, Adam (lr %g); target copied every %d updates\n",
           RL_BENCH_NN_GAMMA, RL_BENCH_NN_LR, RL_BENCH_NN_TARGET_EVERY);
    printf("OpenBLAS core: %s, %d thread%s\n", res.corename, res.blas_threads,
           res.blas_threads == 1 ? "" : "s");
    printf("%zu repeat%s of %zu timed updates per network and side; seed %lu\n", res.repeats,
           res.repeats == 1 ? "" : "s", res.updates, opt.seed);
    for (int k = 0; k < RL_BENCH_NN_CASES; k++) {
        const rl_bench_nn_case *c = &res.cases[k];
        double target = DQN_TARGET_FACTOR * TORCH_RATES[k];
        printf("\nnetwork %zu-%zu-%zu, batch %zu, %zu parameters\n", c->n_inputs, c->hidden,
               c->n_outputs, c->batch, c->n_params);
        printf("  %-20s %10s %10s %10s   (updates per second, %zu repeat%s)\n", "", "median",
               "min", "max", res.repeats, res.repeats == 1 ? "" : "s");
        print_nn_rate("gridrl (rl_nn)", &c->gridrl);
        print_nn_rate("plain loops", &c->naive);
        printf("  ratio gridrl / plain loops (medians): %.2f\n", c->ratio);
        if (c->hidden == 100)
            printf("  target >= %.0f updates/s (%g x PyTorch 1.13's ~%.0f on one CPU thread, "
                   "measured elsewhere): %s\n",
                   target, DQN_TARGET_FACTOR, TORCH_RATES[k],
                   c->gridrl.median >= target ? "met" : "missed");
        printf("  agreement: %s, max relative loss difference = %.3g over %zu updates "
               "(tolerance %g); loss %.4g at update 1, %.4g at update %zu\n",
               c->agrees ? "yes" : "NO", c->max_loss_diff, c->checked, res.tolerance,
               c->first_loss, c->last_loss, c->checked);
        if (!c->agrees && c->first_disagreement)
            printf("  first disagreement at update %zu\n", c->first_disagreement);
    }
    if (!rl_bench_nn_agrees(&res)) {
        fprintf(stderr, "gridrl bench dqn: rl_nn and the plain loops computed different "
                        "training runs: the timings above are of a wrong computation\n");
        return RL_CLI_FAILURE;
    }
    return RL_CLI_OK;
}

static void list_benchmarks(void)
{
    printf("benchmarks (gridrl bench NAME --help for options):\n");
    for (const rl_cli_command *b = BENCHMARKS; b->name; b++)
        printf("  %-6s %s\n", b->name, b->summary);
}

int rl_cli_bench(const rl_cli_command *cmd, int argc, char **argv)
{
    if (argc < 2) {
        list_benchmarks();
        return RL_CLI_OK;
    }
    if (rl_cli_is_help(argv[1]))
        return rl_cli_print_help(cmd);
    for (const rl_cli_command *b = BENCHMARKS; b->name; b++)
        if (strcmp(b->name, argv[1]) == 0)
            return b->run(b, argc - 1, argv + 1);
    char names[256] = "";
    for (const rl_cli_command *b = BENCHMARKS; b->name; b++)
        rl_names_append(names, sizeof names, b->name);
    return rl_cli_usage_error(cmd, "no benchmark '%s' (benchmarks: %s)", argv[1], names);
}

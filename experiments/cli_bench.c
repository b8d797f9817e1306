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

#include "experiments/bench_dp.h"
#include "experiments/cli.h"

const char rl_cli_bench_help[] =
    "usage: gridrl bench [NAME [OPTIONS]]\n"
    "\n"
    "Runs a performance benchmark; without NAME, lists them. 'gridrl bench NAME --help'\n"
    "shows a benchmark's options. Measure a Release build that is not sanitized.\n"
    "\n"
    "benchmarks:\n"
    "  dp   value-iteration sweeps on a large open grid, against a hand-written stencil\n"
    "\n"
    "options:\n"
    "  -h, --help   show this help\n"
    "\n"
    "examples:\n"
    "  gridrl bench\n"
    "  gridrl bench dp\n"
    "  gridrl bench dp --size 300 --sweeps 50\n";

static const char bench_dp_help[] =
    "usage: gridrl bench dp [--size N] [--sweeps K] [--warmup W] [--repeats R]\n"
    "\n"
    "Times synchronous value-iteration sweeps of gridrl's value_iteration planner on an open\n"
    "N x N grid (4 actions, start top-left, one terminal goal bottom-right, reward -1 per\n"
    "move, a bump included, gamma 0.99), built as a run builds it (map, [env] keys,\n"
    "rl_gridworld_compile). The same sweeps are timed on a minimal hand-written stencil over\n"
    "two plain arrays, in the same program, and the ratio of the median times is printed.\n"
    "\n"
    "Each repeat starts both from v = 0 and runs W untimed then K timed sweeps, each timed on\n"
    "its own (monotonic clock); medians, minima and maxima are over the R x K timed sweeps.\n"
    "Both must end with the same values, and with the closed form\n"
    "-(1 - 0.99^min(d, n)) / 0.01 after n sweeps at d moves from the goal; otherwise the\n"
    "benchmark fails. Also printed: the model's build time and memory per state-action.\n"
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
/* The target for gridrl's median sweep time over the stencil's. */
#define TARGET_RATIO 3.0

static int bench_dp(const rl_cli_command *cmd, int argc, char **argv);

static const rl_cli_command BENCHMARKS[] = {
    {"dp", "value-iteration sweeps on a large open grid, against a hand-written stencil",
     bench_dp, bench_dp_help},
    {NULL, NULL, NULL, NULL},
};

/* "gridrl bench NAME: message", the usage line and where the help is; returns RL_CLI_USAGE.
 * (rl_cli_usage_error would point at 'gridrl help NAME', which does not know benchmarks.) */
static int bench_usage_error(const rl_cli_command *bench, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int bench_usage_error(const rl_cli_command *bench, const char *fmt, ...)
{
    fprintf(stderr, "gridrl bench %s: ", bench->name);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%.*s\nTry 'gridrl bench %s --help' for more.\n",
            (int)strcspn(bench->help, "\n"), bench->help, bench->name);
    return RL_CLI_USAGE;
}

/* Parses a count for option name; false (after printing) if text is not one. */
static bool parse_count(const rl_cli_command *bench, const char *name, const char *text,
                        size_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long value = 0;
    if (text[0] >= '0' && text[0] <= '9')
        value = strtoull(text, &end, 10);
    if (!end || *end || errno) {
        bench_usage_error(bench, "%s takes a whole number, not '%s'", name, text);
        return false;
    }
    *out = value > SIZE_MAX ? SIZE_MAX : (size_t)value;
    return true;
}

static void print_timing_row(const char *name, const rl_bench_timing *t)
{
    printf("  %-18s %10.3f %10.3f %10.3f\n", name, t->median_ms, t->min_ms, t->max_ms);
}

static int bench_dp(const rl_cli_command *cmd, int argc, char **argv)
{
    rl_bench_dp_options opt = RL_BENCH_DP_DEFAULTS;
    static const char *const names[] = {"--size", "--sweeps", "--warmup", "--repeats"};
    size_t *targets[] = {&opt.size, &opt.sweeps, &opt.warmup, &opt.repeats};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (rl_cli_is_help(a))
            return rl_cli_print_help(cmd);
        size_t k = 0;
        const char *value = NULL;
        for (; k < 4; k++) {
            size_t len = strlen(names[k]);
            if (strcmp(a, names[k]) == 0) {
                if (i + 1 >= argc)
                    return bench_usage_error(cmd, "%s needs a value", names[k]);
                value = argv[++i];
                break;
            }
            if (strncmp(a, names[k], len) == 0 && a[len] == '=') {
                value = a + len + 1;
                break;
            }
        }
        if (k == 4)
            return bench_usage_error(cmd, "unknown option '%s'", a);
        if (!parse_count(cmd, names[k], value, targets[k]))
            return RL_CLI_USAGE;
    }

    rl_error err;
    rl_error_clear(&err);
    rl_bench_dp_result res;
    int rc = rl_bench_dp_run(&opt, &res, &err);
    if (rc != RL_OK) {
        if (err.key[0]) {
            /* An option out of range: say which, as a usage error. */
            return bench_usage_error(cmd, "--%s: %s", err.key, err.message);
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
    printf("\nratio gridrl / stencil (medians): %.2f (target <= %g%s)\n", res.ratio,
           TARGET_RATIO, res.ratio <= TARGET_RATIO ? "" : ", missed");
    printf("agreement: max |v_gridrl - v_stencil| = %.3g after %zu sweeps\n", res.max_diff,
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

static void list_benchmarks(void)
{
    printf("benchmarks (gridrl bench NAME --help for options):\n");
    for (const rl_cli_command *b = BENCHMARKS; b->name; b++)
        printf("  %-4s %s\n", b->name, b->summary);
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

/* `gridrl merge DIR [-j N] [--shards N] [--keep-runs] [--quiet]`: the experiment's files of a
 * folder whose runs other processes wrote (shards of a job array, an interrupted run): checks
 * that every run of the plan in DIR/config.ini is complete, or names the missing ones and the
 * command that completes them, then writes the same files `gridrl run -j 1` writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "experiments/cli/cli.h"
#include "experiments/cli/finish.h"
#include "experiments/cli/options.h"
#include "experiments/cli/shell.h"
#include "experiments/io/output.h"
#include "experiments/runner/merge.h"
#include "experiments/runner/results.h"
#include "experiments/runner/shard.h"

const char rl_cli_merge_help[] =
    "usage: gridrl merge DIR [-j N] [--shards N] [--keep-runs] [--quiet]\n"
    "\n"
    "Writes the experiment's files in DIR (runs.csv, episodes.csv, summary.csv, scores.csv,\n"
    "...) from the runs' files in DIR/runs/, once every run of the plan in DIR/config.ini is\n"
    "complete: after `gridrl run CONFIG -o DIR` with `--shard K/N` for every K, or after an\n"
    "interrupted run. The files are byte-identical to those `gridrl run -j 1` writes for the\n"
    "same config (but for timing.csv and manifest.txt). With runs missing, it names them and\n"
    "the command that completes them, writes nothing and exits with status 2.\n"
    "\n"
    "options:\n"
    "  -j N          compute the statistics on N threads (default: the number of cores)\n"
    "  --shards N    the runs were split into N shards: with runs missing, name the shards\n"
    "                that hold them\n"
    "  --keep-runs   keep runs/ once the experiment's files are written\n"
    "  --quiet       print nothing but errors\n"
    "\n"
    "examples:\n"
    "  gridrl merge results/f63\n"
    "  gridrl merge results/f63 --shards 2 -j 8\n";

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Names the missing runs and the commands that complete them: here, or (with --shards N)
 * the shards that hold them. Returns RL_CLI_USAGE. */
static int report_missing(const rl_plan *p, const char *dir, size_t shards, size_t missing,
                          const size_t *first, size_t shown)
{
    char list[512];
    rl_cli_format_runs(list, sizeof list, first, shown, missing);
    char config[RL_OUTPUT_PATH_MAX + 32];
    snprintf(config, sizeof config, "%.4000s/config.ini", dir);
    char *q_dir = rl_shell_quote(dir), *q_config = rl_shell_quote(config);
    const char *d = q_dir ? q_dir : dir, *c = q_config ? q_config : config;
    fprintf(stderr,
            "gridrl: cannot merge '%s': %zu of its %zu runs %s missing: run%s %s\n"
            "complete them here (this runs them, then merges):\n"
            "  gridrl run %s -o %s --resume\n",
            dir, missing, rl_plan_selected_runs(p), missing == 1 ? "is" : "are", missing == 1 ? "" : "s",
            list, c, d);
    if (!shards) {
        fprintf(stderr,
                "or run again the shards that hold them (gridrl run ... --shard K/N --resume; "
                "merge --shards N names them), then\n  gridrl merge %s\n",
                d);
    } else {
        /* The shards of N with a run missing (run % N == K). */
        size_t held[16], n_held = 0;
        for (size_t k = 0; k < shards; k++) {
            rl_shard s = {k, shards};
            if (rl_shard_list(p, dir, &s, false, NULL, 0)) {
                if (n_held < 16)
                    held[n_held] = k;
                n_held++;
            }
        }
        rl_cli_format_runs(list, sizeof list, held, n_held < 16 ? n_held : 16, n_held);
        if (n_held == 1)
            fprintf(stderr, "or run again shard %zu/%zu, which holds them:\n"
                            "  gridrl run %s -o %s --shard %zu/%zu --resume\n",
                    held[0], shards, c, d, held[0], shards);
        else
            fprintf(stderr, "or run again the %zu shards of %zu that hold them (K = %s):\n"
                            "  gridrl run %s -o %s --shard K/%zu --resume\n",
                    n_held, shards, list, c, d, shards);
        fprintf(stderr, "then\n  gridrl merge %s --shards %zu\n", d, shards);
    }
    free(q_dir);
    free(q_config);
    return RL_CLI_USAGE;
}

int rl_cli_merge(const rl_cli_command *cmd, int argc, char **argv)
{
    const char *dir = NULL;
    size_t threads = 0, shards = 0;
    bool keep_runs = false, quiet = false;
    const rl_option options[] = {
        {"-j|--jobs", RL_OPTION_COUNT, &threads, NULL, 1, 1024},
        {"--shards", RL_OPTION_COUNT, &shards, NULL, 1, RL_SHARD_MAX},
        {"--keep-runs", RL_OPTION_FLAG, &keep_runs, NULL, 0, 0},
        {"-q|--quiet", RL_OPTION_FLAG, &quiet, NULL, 0, 0},
        {NULL, 0, NULL, NULL, 0, 0},
    };
    rl_positionals pos = {&dir, 1, 0, "DIR"};
    int status = rl_options_parse(cmd, argc, argv, options, &pos);
    if (status != RL_CLI_OK)
        return status == RL_OPTIONS_HELP ? RL_CLI_OK : status;
    if (!dir)
        return rl_cli_usage_error(cmd, "which folder? (DIR is missing)");
    if (rl_results_finished(dir)) {
        if (!quiet)
            printf("%s: the experiment is merged already\n", dir);
        return RL_CLI_OK;
    }
    double started = now_seconds();
    rl_error err;
    rl_error_clear(&err);
    rl_config *config;
    rl_plan *plan;
    int rc = rl_merge_load(dir, &config, &plan, &err);
    size_t first[16], missing = 0;
    if (rc == RL_OK)
        missing = rl_shard_list(plan, dir, NULL, false, first, 16);
    char *cmdline = NULL;
    if (rc != RL_OK) {
        status = rl_cli_error(&err);
    } else if (missing) {
        status = report_missing(plan, dir, shards, missing, first, missing < 16 ? missing : 16);
    } else if (!(cmdline = rl_shell_command_line(argc, argv, false))) {
        status = RL_CLI_FAILURE;
        fprintf(stderr, "gridrl: out of memory\n");
    } else {
        if (!threads) {
            long n = sysconf(_SC_NPROCESSORS_ONLN);
            threads = n > 0 ? (size_t)n : 1;
        }
        rc = rl_cli_finish(plan, dir, cmdline, threads, keep_runs, quiet, &err);
        status = rc == RL_OK ? RL_CLI_OK : rl_cli_error(&err);
        if (rc == RL_OK && !quiet)
            printf("%s: %zu run%s merged in %.2f s, results in %s/\n", plan->name,
                   rl_plan_selected_runs(plan), rl_plan_selected_runs(plan) == 1 ? "" : "s",
                   now_seconds() - started, dir);
    }
    free(cmdline);
    rl_plan_free(plan);
    rl_config_free(config);
    return status;
}

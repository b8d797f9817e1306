/* The parts of `gridrl run` that its two ways of running share: one process (cmd_run.c: the
 * whole plan, or one shard of it with --shard K/N) and the ranks of an MPI launch
 * (run_ranks.c: each rank a shard, rank 0 preparing and merging).
 */
#ifndef GRIDRL_EXPERIMENTS_CLI_RUN_COMMAND_H
#define GRIDRL_EXPERIMENTS_CLI_RUN_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

#include "experiments/cli/cli.h"
#include "experiments/cli/options.h"
#include "experiments/runner/config.h"
#include "experiments/runner/plan.h"
#include "experiments/runner/shard.h"

typedef struct run_options {
    const char *config, *out, *shard_text;
    rl_option_list overrides; /* -s, then the section.key=value arguments, then --only's */
    rl_option_list only;      /* --only: joined into one experiment.only override */
    char *only_override;
    size_t threads;
    bool force, quiet, no_progress, resume, keep_runs, has_shard, live;
    rl_shard shard; /* --shard K/N */
    int argc;       /* the command's arguments, for the resume hint and the manifest */
    char **argv;
} run_options;

/* Parses the command's arguments into o (free with rl_run_options_free, whatever it
 * returns). RL_CLI_OK; RL_OPTIONS_HELP after printing the help; RL_CLI_USAGE after printing
 * the error. */
int rl_run_options_parse(const rl_cli_command *cmd, int argc, char **argv, run_options *o);
void rl_run_options_free(run_options *o);

/* The config (file or built-in, with the -s overrides) and its plan built and checked: every
 * error of the file, of the overrides and of the plan goes into errors (sorted by line).
 * Returns the first one's code. What can be checked goes on past an error: the entries of a
 * file with a syntax error still have their keys and values checked, but only a plan
 * without errors has its envs and agents built. */
int rl_run_load_plan(const run_options *o, rl_config **config, rl_plan **plan,
                     rl_error_list *errors);

/* Prints every error of the list (stderr); returns the exit status of the first. */
int rl_run_print_errors(const rl_error_list *errors);

/* Whether a progress bar is drawn: not --quiet, not --no-progress, stderr a terminal. */
bool rl_run_shows_progress(const run_options *o);

/* After a run: each selected configuration's replicate 0 kept in keep (NULL: none) drawn on
 * its map when there are few, one line each when there are many; then the learners' scores
 * from dir's runs.csv. */
struct rl_run_result;
void rl_run_print_summary(const rl_plan *p, const struct rl_run_result *keep, const char *dir);

/* The output folder: -o, else [experiment] out, else results/NAME. */
void rl_run_output_dir(const rl_plan *p, const run_options *o, char *dir, size_t size);

/* Makes dir the output folder of a run of the whole plan: an empty or new folder, a
 * finished or unfinished experiment of the same config with --resume, any folder with
 * --force (its results removed); writes config.ini and configs.csv. What it created goes
 * again when it fails. */
int rl_run_prepare(const rl_plan *p, const run_options *o, const char *dir, rl_error *err);

/* The live view of dir (--live or [experiment] live; experiments/plot/live.h), or NULL:
 * without it the runs go on, with a note on stderr saying why. */
struct rl_live;
struct rl_live *rl_run_start_live(const rl_plan *p, const run_options *o, const char *dir);

/* Threads per process: -j, else this machine's cores shared among `processes` processes. */
size_t rl_run_threads(const run_options *o, int processes);

/* Prints (stderr) "gridrl: WHY" and how many runs are complete after an interruption or a
 * failure, and the command that finishes them. */
void rl_run_print_resume(const run_options *o, const char *why, const char *dir,
                         size_t completed, size_t total);

/* `gridrl run` under an MPI launcher (run_ranks.c). */
int rl_run_ranks(const rl_cli_command *cmd, int argc, char **argv);

/* `gridrl run` in one process. */
int rl_run_alone(const rl_cli_command *cmd, int argc, char **argv);

#endif

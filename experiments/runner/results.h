/* The output files of a finished plan (README.md, "Running experiments": output files). */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_RESULTS_H
#define GRIDRL_EXPERIMENTS_RUNNER_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

#include "experiments/runner/plan.h"
#include "experiments/runner/run.h"

/* The resolved config.ini text (malloc'd): what the run writes, and what --resume compares. */
int rl_results_config_text(const rl_plan *p, char **text, rl_error *err);

/* The configs.csv text (malloc'd), for a writer that cannot use rl_results_begin (shard.h). */
int rl_results_configs_text(const rl_plan *p, char **text, rl_error *err);

/* Whether dir/config.ini holds exactly text (rl_results_config_text): RL_OK; RL_ENOTFOUND
 * when there is no config.ini; RL_EINVAL when it differs, *line the first line that does
 * (err located there); RL_EIO when it cannot be read. */
int rl_results_compare_config(const char *dir, const char *text, int *line, rl_error *err);

/* Writes config.ini and configs.csv into dir, before any run. */
int rl_results_begin(const rl_plan *p, const char *dir, rl_error *err);

/* After every run's directory is complete: the experiment's files (runs.csv, timing.csv,
 * iterations.csv, episodes.csv, steps.csv, values.csv, policy.csv: the runs' rows in run
 * order under a header), summary.csv and scores.csv for learners (statistics.h, on up to
 * `threads` threads), and manifest.txt. */
int rl_results_finish(const rl_plan *p, const char *dir, const char *command_line,
                      size_t threads, rl_error *err);

/* True when dir holds a finished experiment: rl_results_finish wrote its manifest.txt last,
 * after every other file. Its runs/ may be gone (each row stored once). */
bool rl_results_finished(const char *dir);

/* The columns of a run's rows of the file called name (its section of DIR/runs/NNNNNN.rows
 * has no header): the header of the experiment's NAME, which is those rows concatenated,
 * malloc'd; NULL for a name that is not a run's file (or no memory). cumulative_reward: the
 * experiment sets [experiment] log_cumulative_reward, which adds steps.csv's column
 * cumulative_reward. label: the columns that end episodes.csv's rows after its config
 * column, the plan's rl_plan_label_header ("algorithm,alpha": configs.csv's header without
 * its first column). What a reader of runs in progress (the live view) parses by. */
char *rl_results_run_columns(const char *name, bool cumulative_reward, const char *label);

/* Removes every file a run writes into dir, and its runs/ (for --force), so no result of an
 * earlier experiment stays next to the new ones. Other files are left alone. */
int rl_results_clear(const char *dir, rl_error *err);

#endif

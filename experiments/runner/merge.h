/* Merging an experiment whose runs were written by other processes (shards, MPI ranks, an
 * interrupted run): the folder's config.ini gives the plan back, and the experiment's files
 * are results.h's, byte-identical to those of a run that did every run itself.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_MERGE_H
#define GRIDRL_EXPERIMENTS_RUNNER_MERGE_H

#include <stddef.h>

#include "experiments/runner/config.h"
#include "experiments/runner/plan.h"
#include "rl/error.h"

/* Loads the plan of the experiment in dir from its config.ini. RL_ENOTFOUND when there is
 * no config.ini; config errors located in config.ini; RL_EINVAL, located at the first line
 * that differs, when the plan would not write the same config.ini again (a map or policy
 * file it names has changed since the runs, or the file was edited). *config and *plan are
 * NULL or allocated, even on failure: free them (rl_plan_free, then rl_config_free). */
int rl_merge_load(const char *dir, rl_config **config, rl_plan **plan, rl_error *err);

/* Writes the experiment's files into dir from its runs' files, which must all be complete
 * (shard.h's rl_shard_list finds those that are not): configs.csv again, from the plan,
 * then rl_results_finish (statistics on up to `threads` threads, manifest.txt last). */
int rl_merge_write(const rl_plan *p, const char *dir, const char *command_line,
                   size_t threads, rl_error *err);

#endif

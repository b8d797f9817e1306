/* The end of an experiment whose runs are all complete, wherever they ran (`gridrl run`, rank
 * 0 under mpirun, `gridrl merge`): the experiment's files (merge.h), runs/ removed unless
 * --keep-runs (every row is then stored once), and the pictures when [experiment] plot =
 * true.
 */
#ifndef GRIDRL_EXPERIMENTS_CLI_FINISH_H
#define GRIDRL_EXPERIMENTS_CLI_FINISH_H

#include <stdbool.h>
#include <stddef.h>

#include "experiments/runner/plan.h"
#include "rl/error.h"

/* The statistics use up to `threads` threads. Pictures that cannot be drawn are a warning
 * on stderr, not a failure: the results stand. quiet: gnuplot's log is not shown. */
int rl_cli_finish(const rl_plan *p, const char *dir, const char *command_line, size_t threads,
                  bool keep_runs, bool quiet, rl_error *err);

#endif

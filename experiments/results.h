/* The output files of a finished plan (DESIGN.md, "Outputs"). */
#ifndef GRIDRL_EXPERIMENTS_RESULTS_H
#define GRIDRL_EXPERIMENTS_RESULTS_H

#include <stddef.h>

#include "experiments/plan.h"
#include "experiments/run.h"

/* Writes config.ini, configs.csv, runs.csv, timing.csv, iterations.csv, values.csv,
 * policy.csv and manifest.txt into dir; runs are in run order. */
int rl_results_write(const rl_plan *p, const rl_run_result *runs, size_t n, const char *dir,
                     const char *command_line, rl_error *err);

#endif

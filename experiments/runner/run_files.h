/* A run's results on disk: DIR/runs/NNNNNN/, one directory per run holding its rows of every
 * output file (no headers), written under a temporary name and renamed into place, so a run
 * directory is complete or absent. This is what makes a run an independent, resumable unit:
 * --resume skips runs whose directory exists, runs spread over processes or machines each
 * write their own, and the experiment's files are these rows concatenated in run order
 * (results.h), byte-identical however the runs were scheduled.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_RUN_FILES_H
#define GRIDRL_EXPERIMENTS_RUNNER_RUN_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "experiments/runner/result.h"

/* The per-run files: those the experiment's files merge, in their order, and score.csv
 * (run, episodes, score: what scores.csv needs of a learner's run). */
extern const char *const rl_run_file_names[];

/* True for a file a run writes only when it has rows (a merge reads a missing one as
 * empty). */
bool rl_run_file_optional(const char *name);

/* Writes DIR/runs/NNNNNN/ for result r. */
int rl_run_files_write(const char *dir, const rl_run_result *r, rl_error *err);

/* True if run's directory exists (it is then complete). */
bool rl_run_files_complete(const char *dir, size_t run);

/* The path of a run's file: DIR/runs/NNNNNN/NAME. */
void rl_run_file_path(const char *dir, size_t run, const char *name, char *out, size_t size);

/* Removes DIR/runs and everything gridrl wrote in it (for --force). */
int rl_run_files_clear(const char *dir, rl_error *err);

#endif

/* A run's results on disk: DIR/runs/NNNNNN.rows, one file per run holding its rows of every
 * output file (no headers), written under a temporary name and renamed into place, so a
 * run's file is complete or absent. This is what makes a run an independent, resumable unit:
 * --resume skips runs whose file exists, runs spread over processes or machines each write
 * their own, and the experiment's files are these rows concatenated in run order
 * (results.h), byte-identical however the runs were scheduled.
 *
 * One file rather than one per output: creating files is what a sweep of short runs spends
 * most of its time on (and what shared cluster filesystems are slowest at). The file is a
 * sequence of sections, each a line "== NAME SIZE" and then SIZE bytes of NAME's rows. It is
 * read back as untrusted: names must be known and appear once, sizes must fit the file.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_RUN_FILES_H
#define GRIDRL_EXPERIMENTS_RUNNER_RUN_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "experiments/runner/result.h"

/* The sections a run's file may hold: those the experiment's files merge, in their order,
 * and score.csv (run, episodes, score: what scores.csv needs of a learner's run). */
extern const char *const rl_run_file_names[];
#define RL_RUN_FILE_SECTIONS 12

/* True for a section a run writes only when it has rows for it (a merge reads a missing one
 * as empty). */
bool rl_run_file_optional(const char *name);

/* Writes DIR/runs/NNNNNN.rows for result r. */
int rl_run_files_write(const char *dir, const rl_run_result *r, rl_error *err);

/* True if run's file exists (it is then complete). */
bool rl_run_files_complete(const char *dir, size_t run);

/* How many runs numbered below runs have their file's name in dir/runs: one pass over the
 * folder's names rather than a look at each file (cheaper on a shared filesystem), for
 * messages; rl_run_files_complete says whether a run is complete. */
size_t rl_run_files_count(const char *dir, size_t runs);

/* Removes DIR/runs and everything gridrl wrote in it (for --force, and once finished). */
int rl_run_files_clear(const char *dir, rl_error *err);

/* A run's file opened for reading, its sections located. */
typedef struct rl_run_file {
    FILE *f;
    char path[4200];
    long offset[RL_RUN_FILE_SECTIONS]; /* where each section's bytes start; -1: absent */
    size_t size[RL_RUN_FILE_SECTIONS];
} rl_run_file;

/* Opens run's file in dir and reads its section table: RL_ENOTFOUND for a missing file (an
 * incomplete run), RL_EPARSE naming the file and byte offset for a malformed one. */
int rl_run_file_open(const char *dir, size_t run, rl_run_file *rf, rl_error *err);
void rl_run_file_close(rl_run_file *rf);

/* Whether the file has section name. */
bool rl_run_file_has(const rl_run_file *rf, const char *name);

/* Copies section name's bytes to out (nothing for an absent section). */
int rl_run_file_copy(rl_run_file *rf, const char *name, FILE *out, rl_error *err);

/* Section name's bytes into *data (malloc'd, *size bytes, NUL-terminated); NULL and 0 for an
 * absent section. */
int rl_run_file_read(rl_run_file *rf, const char *name, char **data, size_t *size,
                     rl_error *err);

#endif

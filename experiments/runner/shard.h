/* A plan's runs split among independent processes (a job array's tasks, MPI ranks): shard
 * K of N runs every run with run % N == K, into an output folder all the shards share.
 *
 * Strided rather than in blocks, so that no shard gets every run of a slow configuration
 * (runs of one configuration are consecutive). A run's file is the only thing a shard writes
 * besides the folder's config.ini and configs.csv, and each run belongs to one shard, so the
 * shards never write the same file (and if two processes do run the same run, each renames a
 * complete file of its own: output.h). Merging the runs is merge.h's, and gives the same
 * bytes however the runs were split.
 *
 * The first shard to arrive creates the folder and its config.ini; the others join only a
 * folder whose config.ini is exactly theirs. Creating is race-free on a shared filesystem
 * (NFS, Lustre): config.ini appears by link(2) from the creator's temporary file, which
 * fails for all but one of the shards that try at once, and a shard that loses compares the
 * winner's file like any other. Nothing is read or written through a link planted in the
 * folder.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_SHARD_H
#define GRIDRL_EXPERIMENTS_RUNNER_SHARD_H

#include <stdbool.h>
#include <stddef.h>

#include "experiments/runner/plan.h"
#include "rl/error.h"

typedef struct rl_shard {
    size_t index, count; /* K and N: 0 <= K < N */
} rl_shard;

/* The most shards: as many as a plan may have runs. */
#define RL_SHARD_MAX RL_PLAN_MAX_RUNS

/* Parses "K/N" (decimal, 0 <= K < N <= RL_SHARD_MAX). RL_EINVAL with a message saying what
 * is wrong ("K must be less than N"). */
int rl_shard_parse(const char *text, rl_shard *out, rl_error *err);

/* Whether run belongs to shard s; NULL is the whole plan. */
static inline bool rl_shard_has(const rl_shard *s, size_t run)
{
    return !s || run % s->count == s->index;
}

/* The number of runs of a plan of `runs` runs that belong to s (NULL: all). */
size_t rl_shard_runs(const rl_shard *s, size_t runs);

/* The runs of p's selected configurations ([experiment] only) in shard s (NULL: every
 * run): their number. */
size_t rl_shard_selected_runs(const rl_plan *p, const rl_shard *s);

/* The runs of p's selected configurations in shard s (NULL: every run) whose files in dir
 * are complete (complete true) or missing (false): their number, and the first max of them,
 * in run order, into runs (NULL when max is 0). A configuration left out by [experiment]
 * only has no runs to miss. */
size_t rl_shard_list(const rl_plan *p, const char *dir, const rl_shard *s, bool complete,
                     size_t *runs, size_t max);

/* Makes dir the output folder of plan p for a shard: creates it (and its config.ini and
 * configs.csv, *created true) when it holds no experiment yet, or joins it when its
 * config.ini is exactly p's. Refused, changing nothing: a folder made by another config
 * (RL_EINVAL, err located at the first config.ini line that differs), a folder that is not
 * empty and holds no experiment (RL_EINVAL). A folder this shard made stays when it then
 * fails: another shard may be using it already. */
int rl_shard_join(const rl_plan *p, const char *dir, bool *created, rl_error *err);

#endif

/* summary.csv and scores.csv: the statistics across a learner configuration's runs.
 *
 * summary.csv has one row per configuration and logged episode: the mean, sd and Student-t
 * 95% interval across the runs that reached it of the return, length and value error, read
 * back from the runs' episodes.csv (what the merged episodes.csv holds, so anyone can redo
 * them). scores.csv has one row per configuration: the mean and interquartile mean of its
 * runs' scores, with a bootstrap 95% interval of the IQM; a run's score (the mean return
 * over its last score_episodes episodes, all of them when episodes are thinned out of the
 * files) is computed in the run and kept in its score.csv.
 *
 * Each configuration is independent: they are computed on several threads and written in
 * configuration order, so the files are the same for any thread count.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_STATISTICS_H
#define GRIDRL_EXPERIMENTS_RUNNER_STATISTICS_H

#include <stddef.h>

#include "experiments/runner/plan.h"
#include "experiments/runner/result.h"

/* The columns of summary.csv and scores.csv; each row then ends with its configuration's
 * label: algorithm and swept values (plan.h, rl_plan_label). */
#define RL_SUMMARY_HEADER                                                                   \
    "config,episode,runs,mean_return,sd_return,ci95_low_return,ci95_high_return,"           \
    "mean_length,sd_length,ci95_low_length,ci95_high_length,mean_value_rmse,"              \
    "sd_value_rmse,ci95_low_value_rmse,ci95_high_value_rmse"
#define RL_SCORES_HEADER "config,runs,score,mean,iqm,iqm_ci95_low,iqm_ci95_high"

/* A run's score from its episode rows: the mean return over the last score_episodes of
 * them (0: all), each return as the files hold it (12 digits), so a score computed here and
 * one computed from the files agree to the bit; and the score itself as runs.csv holds it
 * (12 digits), so that scores.csv and `gridrl compare` computed from runs.csv agree to the
 * bit too. NaN for a run without episodes. */
double rl_statistics_run_score(const rl_run_result *result, size_t score_episodes);

/* Writes summary.csv and scores.csv into dir from the runs' files, computing the
 * configurations on up to `threads` threads. */
int rl_statistics_write(const rl_plan *p, const char *dir, size_t threads, rl_error *err);

#endif

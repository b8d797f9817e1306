/* `gridrl compare`: every configuration of one or more finished experiments ranked by the
 * scores of its runs, with rliable's statistics (Agarwal et al., "Deep RL at the edge of
 * the statistical precipice", 2021): the mean and the interquartile mean (IQM) of the run
 * scores with a percentile-bootstrap 95% interval, and the probability of improvement of
 * the best configuration over each other one, P(best > other), with its stratified-bootstrap
 * 95% interval (rl/stats.h).
 *
 * A run's score is the one runs.csv holds (its mean return over the experiment's last
 * score_episodes episodes); configurations are named by configs.csv. Both files are read
 * as untrusted: columns by name, every number checked, a run's configuration one that
 * configs.csv lists. Configurations without a scored run (planners, and those a partial
 * experiment left out) have no row. The best is the highest IQM (then the highest mean,
 * then the first listed). The bootstraps draw from generators with fixed seeds, so the
 * table is a function of the scores alone.
 */
#ifndef GRIDRL_EXPERIMENTS_COMPARE_COMPARE_H
#define GRIDRL_EXPERIMENTS_COMPARE_COMPARE_H

#include <stddef.h>

#include "rl/error.h"
#include "rl/stats.h"

/* The bootstraps: resamples, and their generators' seed (those of scores.csv, so that the
 * IQM intervals agree with it). */
#define RL_COMPARE_RESAMPLES RL_BOOTSTRAP_RESAMPLES
#define RL_COMPARE_SEED RL_BOOTSTRAP_SEED

/* The run statuses counted by name (runs.csv): completed, converged, stopped, diverged. */
#define RL_COMPARE_STATUSES 4

typedef struct rl_compare_row {
    size_t experiment; /* index into the table's experiments */
    size_t config;     /* the configuration's number in its experiment */
    char *algorithm;
    char *values;      /* its swept values as "key=value key=value" ("" without axes) */
    double *scores;    /* the finite scores of its runs, in runs.csv's order */
    size_t n;
    size_t runs;       /* its rows in runs.csv (n of them scored) */
    size_t statuses[RL_COMPARE_STATUSES + 1]; /* its runs by status: completed, converged,
                                                 stopped, diverged, any other */
    char *status;      /* the same as text: "18 completed, 2 diverged" */
    double mean, iqm, iqm_low, iqm_high;
    double p, p_low, p_high; /* P(best > this) and its interval; NaN for the best itself */
} rl_compare_row;

typedef struct rl_compare_experiment {
    char *dir;   /* as given */
    char *score; /* scores.csv's definition of a run's score, "" when unknown */
} rl_compare_experiment;

typedef struct rl_compare_table {
    rl_compare_experiment *experiments;
    size_t n_experiments;
    rl_compare_row *rows; /* best first, by IQM */
    size_t n_rows;
} rl_compare_table;

/* Reads the experiments in dirs[0..n) and computes the table. RL_EUNSUPPORTED when a
 * folder has no scored runs (no learner; or runs.csv without a score column, from an older
 * gridrl); file errors are located at file:line. */
int rl_compare_read(const char *const *dirs, size_t n, rl_compare_table **out, rl_error *err);

/* Writes the table as CSV to path (complete or not at all): rank, experiment, config,
 * algorithm, values, runs, scored, mean, iqm, iqm_ci95_low, iqm_ci95_high, p_improvement,
 * p_ci95_low, p_ci95_high (the best's p fields empty); numbers as the result files write
 * them (%.12g). */
int rl_compare_write_csv(const rl_compare_table *t, const char *path, rl_error *err);

void rl_compare_free(rl_compare_table *t);

#endif

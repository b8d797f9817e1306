/* The data files the plot scripts read that are not result files as they stand, derived
 * from a results directory DIR and written into DIR/plots/ (made when missing; tidy CSV
 * with a header row, each complete or absent), so that what gnuplot draws can be checked
 * number by number:
 *
 *   curves_METRIC.csv  config, episode, runs, mean_M, ci95_low_M, ci95_high_M: summary.csv's
 *                      columns for one metric, smoothed by a trailing moving average
 *   steps_value_rmse.csv  config, step, runs, mean_value_rmse, ci95_low_value_rmse,
 *                      ci95_high_value_rmse: steps.csv summarised across each
 *                      configuration's runs per logged step, as summary.csv per episode
 *   updates_M.csv      config, update, runs, mean_M, ci95_low_M, ci95_high_M for M = loss
 *                      or value_rmse: updates.csv summarised the same way per logged update
 *   arrows.csv         config, run, state, row, col, action, probability, x, y, dx, dy: the
 *                      policy of replicate 0 of each configuration as arrow vectors
 *   sweep_METRIC.csv   line, key, x, xtic, config, runs, mean, ci95_low, ci95_high, summary:
 *                      one row per configuration of learners, ordered by line then x; xtic
 *                      is the value as written when the values are not numbers (x is then
 *                      its position), else empty
 *
 * Used by plot.c; declared apart so tests can check the numbers without gnuplot.
 */
#ifndef GRIDRL_EXPERIMENTS_PLOT_PLOT_DATA_H
#define GRIDRL_EXPERIMENTS_PLOT_PLOT_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "rl/error.h"

/* The per-episode quantity of learning curves and sweeps. */
typedef enum rl_plot_metric {
    RL_PLOT_RETURN,
    RL_PLOT_LENGTH,
    RL_PLOT_VALUE_RMSE
} rl_plot_metric;

/* "return", "length", "value_rmse": summary.csv's column suffix and --metric value. */
const char *rl_plot_metric_name(rl_plot_metric m);

/* An arrow of probability 1 is this long, in cells: from the centre almost to the edge. */
#define RL_PLOT_ARROW_SCALE 0.42

/* What a curves file holds. */
typedef struct rl_plot_curves_info {
    size_t n_defined; /* points whose mean is defined (0: nothing to draw, e.g. value_rmse
                         without a ground truth) */
    size_t longest;   /* the most points of a configuration: episodes (1: a steps budget
                         spent in one episode, no curve to draw), logged steps or updates */
    bool positive;    /* every defined mean and interval bound is > 0, so a log y axis
                         shows all of it */
} rl_plot_curves_info;

/* Writes DIR/plots/curves_METRIC.csv from DIR/summary.csv. Point e of a smoothed curve is the
 * mean of the values of episodes e - smooth + 1 .. e that are defined (fewer at the start);
 * the interval's bounds are smoothed the same way. */
int rl_plot_write_curves(const char *dir, rl_plot_metric metric, size_t smooth,
                         rl_plot_curves_info *info, rl_error *err);

/* Writes DIR/plots/steps_value_rmse.csv from DIR/steps.csv and DIR/runs.csv (a run's
 * configuration). For each configuration and logged step, in order: runs is the number of
 * its runs that logged the step, and the mean and 95% t-interval (rl_summary_compute) are
 * those of their defined value_rmse (an empty field is no value); with one value the
 * interval is empty, with none all three. The runs of a configuration must be together in
 * steps.csv (as gridrl writes it: by run), else RL_EPARSE. */
int rl_plot_write_steps(const char *dir, rl_plot_curves_info *info, rl_error *err);

/* Writes DIR/plots/updates_COLUMN.csv from DIR/updates.csv and DIR/runs.csv, for COLUMN
 * "loss" or "value_rmse" (RL_EINVAL otherwise), as rl_plot_write_steps does per logged
 * step: per configuration and logged update, the runs that logged it and the mean and 95%
 * t-interval of their defined values. */
int rl_plot_write_updates(const char *dir, const char *column, rl_plot_curves_info *info,
                          rl_error *err);

/* Writes DIR/plots/arrows.csv from DIR/policy.csv and DIR/runs.csv: for every row of a
 * replicate-0 run, x = col and y = row (row 0 at the top: y grows downwards, as rows do),
 * and the displacement (dx, dy) of length probability * RL_PLOT_ARROW_SCALE in the action's
 * direction (up: dy < 0; diagonals at 45 degrees; stay: 0, 0). An action name is words
 * joined by '_', each of up, down, left, right or stay. */
int rl_plot_write_arrows(const char *dir, rl_error *err);

/* What a sweep file holds. */
typedef struct rl_plot_sweep_info {
    size_t n_rows;        /* configurations written */
    size_t n_lines;       /* curves */
    char key[96];         /* the parameter on the x axis */
    char summary[128];    /* what each row's mean is, e.g. "mean return over all episodes" */
} rl_plot_sweep_info;

/* Writes DIR/plots/sweep_METRIC.csv from configs.csv, runs.csv and episodes.csv (and
 * config.ini's score_episodes when first and last are both 0). The x axis is the last swept
 * key besides the algorithm whose values are all numbers, else the last swept key (its
 * values placed at 0, 1, ...); each combination of the other columns of configs.csv is a
 * line. A run's score is its mean metric over its first `first` or last `last` episodes
 * (defined values only); each row is the mean of its configuration's run scores with a 95%
 * t-interval. RL_EUNSUPPORTED (with the reason in err) when there is no swept parameter
 * besides the algorithm or no learner. */
int rl_plot_write_sweep(const char *dir, rl_plot_metric metric, size_t first, size_t last,
                        rl_plot_sweep_info *info, rl_error *err);

/* Which of the first n configurations have runs in DIR/runs.csv (a partial experiment,
 * --only, runs some): a malloc'd array of n, or NULL when runs.csv cannot be read. */
bool *rl_plot_configs_with_runs(const char *dir, size_t n);

/* The configurations listed in DIR/configs.csv (0 when it cannot be read), and the size of
 * the largest map in DIR/values.csv in cells (*cells may be NULL). */
size_t rl_plot_count_configs(const char *dir, size_t *cells);

#endif

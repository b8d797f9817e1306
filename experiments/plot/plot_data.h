/* The data files the plot scripts read that are not result files as they stand, derived
 * from one or more results directories and written into a picture folder PLOTS (DIR/plots/
 * for one experiment; tidy CSV with a header row, each complete or absent), so that what
 * gnuplot draws can be checked number by number. A series is a configuration of one of the
 * experiments (series.h: with one experiment, its configuration number):
 *
 *   curves_METRIC.csv  series, episode, runs, STAT_M, ci95_low_M, ci95_high_M: per episode,
 *                      the mean across runs with its t-interval (summary.csv's columns), or
 *                      the interquartile mean with a percentile-bootstrap interval (from
 *                      episodes.csv); smoothed by a trailing moving average when asked
 *   steps_value_rmse.csv  series, step, runs, mean_value_rmse, ci95_low_value_rmse,
 *                      ci95_high_value_rmse: steps.csv summarised across each
 *                      configuration's runs per logged step, as summary.csv per episode
 *   updates_M.csv      series, update, runs, mean_M, ci95_low_M, ci95_high_M for M = loss
 *                      or value_rmse: updates.csv summarised the same way per logged update
 *   steps_cumulative_reward.csv  the same for steps.csv's cumulative_reward (written with
 *                      [experiment] log_cumulative_reward)
 *   choices_fraction.csv  series, episode, runs, mean_fraction, ...: choices.csv's fraction
 *                      of marked choices per episode, summarised the same way
 *   arrows.csv         config, run, state, row, col, action, probability, x, y, dx, dy, x0,
 *                      y0: the policy of replicate 0 of each configuration as arrow vectors
 *   sweep_METRIC.csv   line, key, x, xtic, config, runs, STAT, ci95_low, ci95_high, summary:
 *                      one row per configuration of learners, ordered by line then x; xtic
 *                      is the value as written when the values are not numbers (x is then
 *                      its position), else empty
 *   convergence.csv    series, iteration, delta, value_rmse: replicate 0's sweeps of each
 *                      planner configuration (iterations.csv)
 *
 * Used by plot.c; declared apart so tests can check the numbers without gnuplot.
 */
#ifndef GRIDRL_EXPERIMENTS_PLOT_PLOT_DATA_H
#define GRIDRL_EXPERIMENTS_PLOT_PLOT_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "experiments/plot/series.h"
#include "rl/error.h"

/* The per-episode quantity of learning curves and sweeps. */
typedef enum rl_plot_metric {
    RL_PLOT_RETURN,
    RL_PLOT_LENGTH,
    RL_PLOT_VALUE_RMSE
} rl_plot_metric;

/* "return", "length", "value_rmse": summary.csv's column suffix and --metric value. */
const char *rl_plot_metric_name(rl_plot_metric m);

/* What a curve or a sweep point is across runs. */
typedef enum rl_plot_stat {
    RL_PLOT_MEAN, /* the mean, with a Student-t 95% interval */
    RL_PLOT_IQM   /* the interquartile mean (rl_iqm), with a percentile-bootstrap 95%
                     interval of RL_PLOT_BOOTSTRAP resamples */
} rl_plot_stat;

/* "mean", "iqm": the column's name and --stat value. */
const char *rl_plot_stat_name(rl_plot_stat s);

/* Resamples of the bootstrap intervals of IQM curves and sweeps (per episode, per point);
 * each is seeded from (configuration, episode), so a file is the same every time. */
#define RL_PLOT_BOOTSTRAP 1000

/* An arrow of probability 1 is this long, in cells: from the centre almost to the edge. */
#define RL_PLOT_ARROW_SCALE 0.42

/* What a curves file holds. */
typedef struct rl_plot_curves_info {
    size_t n_defined; /* points whose centre is defined (0: nothing to draw, e.g. value_rmse
                         without a ground truth) */
    size_t longest;   /* the most points of a series: episodes (1: a steps budget spent in
                         one episode, no curve to draw), logged steps or updates */
    bool positive;    /* every defined centre and interval bound is > 0, so a log y axis
                         shows all of it */
    double low, high; /* the default y range (rl_plot_range) of what is drawn: centres, and
                         bounds with bands; NaN when nothing is */
} rl_plot_curves_info;

/* Writes PLOTS/curves_METRIC.csv for the selected configurations of e[0 .. n): the mean
 * from each DIR/summary.csv, or the IQM computed from DIR/episodes.csv and DIR/runs.csv (the
 * runs of a configuration must be together in episodes.csv, as gridrl writes it, else
 * RL_EPARSE); without bands the IQM's interval is not computed (its columns are empty).
 * Point e of a smoothed curve is the mean of the values of episodes e - smooth + 1 .. e that
 * are logged and defined (fewer at the start, or with log_every_episodes); the interval's
 * bounds are smoothed the same way. */
int rl_plot_write_curves(const rl_plot_experiment *e, size_t n, const char *plots,
                         rl_plot_metric metric, rl_plot_stat stat, size_t smooth, bool bands,
                         rl_plot_curves_info *info, rl_error *err);

/* Writes PLOTS/steps_value_rmse.csv from each DIR/steps.csv and DIR/runs.csv (a run's
 * configuration). For each selected configuration and logged step, in order: runs is the
 * number of its runs that logged the step, and the mean and 95% t-interval
 * (rl_summary_compute) are those of their defined value_rmse (an empty field is no value);
 * with one value the interval is empty, with none all three. The runs of a configuration
 * must be together in steps.csv (as gridrl writes it: by run), else RL_EPARSE. */
int rl_plot_write_steps(const rl_plot_experiment *e, size_t n, const char *plots, bool bands,
                        rl_plot_curves_info *info, rl_error *err);

/* Writes PLOTS/updates_COLUMN.csv from each DIR/updates.csv and DIR/runs.csv, for COLUMN
 * "loss" or "value_rmse" (RL_EINVAL otherwise), as rl_plot_write_steps does per logged
 * step: per selected configuration and logged update, the runs that logged it and the mean
 * and 95% t-interval of their defined values. */
int rl_plot_write_updates(const rl_plot_experiment *e, size_t n, const char *plots,
                          const char *column, bool bands, rl_plot_curves_info *info,
                          rl_error *err);

/* The same for steps.csv's cumulative_reward into PLOTS/steps_cumulative_reward.csv.
 * RL_ENOTFOUND (err set) when no experiment's steps.csv has that column (none set
 * [experiment] log_cumulative_reward); RL_EUNSUPPORTED naming the first experiment without
 * it when only some have it. */
int rl_plot_write_cumulative_reward(const rl_plot_experiment *e, size_t n, const char *plots,
                                    bool bands, rl_plot_curves_info *info, rl_error *err);

/* The same for each DIR/choices.csv's fraction per episode into PLOTS/choices_fraction.csv
 * (every experiment must have choices.csv: an env with marked choices). */
int rl_plot_write_choices(const rl_plot_experiment *e, size_t n, const char *plots, bool bands,
                          rl_plot_curves_info *info, rl_error *err);

/* Writes PLOTS/arrows.csv from DIR/policy.csv and DIR/runs.csv: for every row of a
 * replicate-0 run, x = col and y = row (row 0 at the top: y grows downwards, as rows do),
 * and the displacement (dx, dy) of length probability * RL_PLOT_ARROW_SCALE in the action's
 * direction (up: dy < 0; diagonals at 45 degrees; stay: 0, 0). The arrow's tail (x0, y0):
 * an action of probability 1 is centred on its cell (x - dx/2, y - dy/2); the arrows of a
 * stochastic choice start at the centre (x, y), a star whose rays read as probabilities. An
 * action name is words joined by '_', each of up, down, left, right or stay; any other is
 * RL_EUNSUPPORTED (the actions of an MDP file need not be moves). */
int rl_plot_write_arrows(const char *dir, const char *plots, rl_error *err);

/* What a sweep file holds. */
typedef struct rl_plot_sweep_info {
    size_t n_rows;        /* configurations written */
    size_t n_lines;       /* curves */
    char key[96];         /* the parameter on the x axis */
    char summary[160];    /* what each row's value is, e.g. "mean return over all episodes";
                             with several experiments of different windows, the first's */
    bool same_summary;    /* every experiment's rows have that summary */
    bool from_scores;     /* an experiment's rows are its scores.csv's (thinned episodes) */
    size_t *line_experiment, *line_config; /* n_lines: a line's experiment and its first
                                              configuration (free both) */
} rl_plot_sweep_info;

/* Writes PLOTS/sweep_METRIC.csv from each experiment's configs.csv, runs.csv and
 * episodes.csv (and config.ini's score_episodes when first and last are both 0), for the
 * selected configurations. The x axis is the last swept key besides the algorithm whose
 * values are all numbers, else the last swept key (its values placed at 0, 1, ...), of the
 * first experiment; each combination of the other columns of an experiment's configs.csv
 * is a line, numbered across experiments. A run's score is its mean metric over its first
 * `first` or last `last` episodes (defined values only); each row is the mean of its
 * configuration's run scores with a 95% t-interval, or their IQM with a bootstrap interval.
 * An experiment whose episodes.csv is thinned (log_every_episodes other than 1) has its
 * runs' scores only as scores.csv summarises them: its rows are scores.csv's mean (without
 * an interval) or IQM and interval, for the return over the score window alone.
 * RL_EUNSUPPORTED (with the reason in err) when there is no swept parameter besides the
 * algorithm, an experiment does not sweep it, there is no learner, or a thinned experiment
 * is asked for another metric or window. */
int rl_plot_write_sweep(const rl_plot_experiment *e, size_t n, const char *plots,
                        rl_plot_metric metric, rl_plot_stat stat, size_t first, size_t last,
                        rl_plot_sweep_info *info, rl_error *err);

/* Writes PLOTS/convergence.csv from each DIR/iterations.csv and DIR/runs.csv: replicate 0's
 * rows of each selected configuration. *n_series: how many series have rows (0: no
 * planner). */
int rl_plot_write_convergence(const rl_plot_experiment *e, size_t n, const char *plots,
                              size_t *n_series, rl_error *err);

/* The default y range of learning curves on a linear axis, so that the first episodes (a
 * maze's first return of -18,000) do not squash what follows: the 1% to 99% quantiles (linear
 * interpolation between order statistics) of the later values, those past the first 10% of
 * their curve's points, widened by half their span on each side, but not beyond the smallest
 * and largest value of all. When that leaves no span, the values' range, else one unit (or
 * 10% of the value) either side; then 5% of the span more on each side, so that no curve runs
 * along the frame. Values are what is drawn: the centres and, with bands,
 * their bounds; NaN is left out. */
typedef struct rl_plot_range {
    double *later;
    size_t n, capacity;
    double min, max;
} rl_plot_range;

void rl_plot_range_init(rl_plot_range *r);
/* Adds a point's value; later says it is past its curve's first 10%. */
int rl_plot_range_add(rl_plot_range *r, double value, bool later, rl_error *err);
/* False when no value was added. Sorts the later values. */
bool rl_plot_range_get(rl_plot_range *r, double *low, double *high);
void rl_plot_range_free(rl_plot_range *r);

/* Whether point k of a curve of n points counts as later (past its first 10%). */
static inline bool rl_plot_is_later(size_t k, size_t n)
{
    return 10 * k >= n;
}

/* Which of the first n configurations have runs in DIR/runs.csv (a partial experiment,
 * --only, runs some): a malloc'd array of n, or NULL when runs.csv cannot be read. */
bool *rl_plot_configs_with_runs(const char *dir, size_t n);

/* The configurations listed in DIR/configs.csv (0 when it cannot be read), and the size of
 * the largest map in DIR/values.csv in cells (*cells may be NULL). */
size_t rl_plot_count_configs(const char *dir, size_t *cells);

#endif

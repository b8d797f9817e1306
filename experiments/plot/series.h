/* What a picture draws from one or more experiments, and how each line is named and
 * coloured: the configurations of each results directory (configs.csv), the ones picked
 * (--configs), their legend labels, and colours grouped by algorithm.
 *
 * A series is one line of a picture: a configuration of one experiment (learning curves,
 * grids), or a line of a sweep. Its id is the configuration's number offset by the
 * configurations of the experiments before it, so with one experiment the id is the
 * configuration itself (what summary.csv calls config).
 *
 * Labels: the algorithm's readable name ("Q-learning", "Expected Sarsa") and each swept value
 * ("alpha = 0.5", written with Greek letters where the picture can show them: "α = 0.5");
 * with several experiments, the experiment's name in brackets.
 *
 * Colours: series are grouped by algorithm and by any swept value that is not a number
 * (features = polynomial and features = fourier are two groups). Each group has a hue; its
 * members are shades of it, dark to light in configuration order (so a swept step size
 * reads as a gradient). A picture with a single group gives each member its own hue instead.
 * The same group in another experiment keeps its hue and changes its dash pattern.
 *
 * Written for gnuplot as a tab-separated file (labels contain commas): series, experiment,
 * config, label, colour (#rrggbb), dash (gnuplot's dash type: 1 solid, 2 dashed, ...).
 */
#ifndef GRIDRL_EXPERIMENTS_PLOT_SERIES_H
#define GRIDRL_EXPERIMENTS_PLOT_SERIES_H

#include <stdbool.h>
#include <stddef.h>

#include "rl/error.h"

/* One results directory as a picture sees it. */
typedef struct rl_plot_experiment {
    const char *dir;
    char name[128];     /* [experiment] name of config.ini, else the directory's name */
    char env[160];      /* [env] preset, or the map or MDP file's name; "" when unknown */
    size_t log_every_episodes; /* [experiment] log_every_episodes: episodes.csv and
                                  summary.csv keep every Nth episode (0: none); 1 when
                                  config.ini does not say */
    size_t score_episodes;     /* [experiment] score_episodes: scores.csv's window (0: all) */
    bool cumulative_reward;    /* [experiment] log_cumulative_reward: steps.csv (and each
                                  run's rows of it) has the column cumulative_reward */
    size_t n_configs, n_columns;
    char **columns;     /* configs.csv's header: config, algorithm, swept keys... */
    char **cells;       /* n_configs x n_columns */
    bool *selected;     /* n_configs: drawn (--configs) */
    size_t first_id;    /* the series id of its configuration 0 */
} rl_plot_experiment;

/* Reads DIR/configs.csv and DIR/config.ini (name, env, the episode keys,
 * log_cumulative_reward); every configuration selected. */
int rl_plot_experiment_read(const char *dir, rl_plot_experiment *e, rl_error *err);
void rl_plot_experiment_free(rl_plot_experiment *e);

/* configs.csv's cell of configuration k in column j. */
const char *rl_plot_experiment_cell(const rl_plot_experiment *e, size_t k, size_t j);

/* Applies --configs to every experiment: a comma list either of configuration numbers and
 * ranges ("0,2,5-7", numbers of configs.csv's config column) or of key=value terms
 * ("algorithm=sarsa,alpha=0.5,alpha=0.1": a configuration is drawn when, for each key named,
 * its value is one of those given; values compare as numbers when both are). RL_EINVAL
 * naming the option and the term for a malformed list, a number past every experiment's
 * configurations, a key that is no column of any configs.csv (the columns are listed), or a
 * selection that leaves nothing to draw. */
int rl_plot_select(rl_plot_experiment *e, size_t n, const char *spec, rl_error *err);

/* The readable name of an algorithm ("q_learning" -> "Q-learning"); unknown names with '_'
 * as spaces. ascii: no Greek letters ("MC epsilon-greedy" rather than "MC ε-greedy"). */
void rl_plot_algorithm_name(const char *algorithm, bool ascii, char *out, size_t size);

/* The legend label of configuration k of e: "Sarsa, α = 0.5". skip names a column left out
 * (the x axis of a sweep), or is NULL; with_experiment appends " (NAME)". */
void rl_plot_label(const rl_plot_experiment *e, size_t k, const char *skip,
                   bool with_experiment, bool ascii, char *out, size_t size);

/* What shares a hue with configuration k of e (see the top): the algorithm and every swept
 * value that is not a number, skip aside. */
void rl_plot_group(const rl_plot_experiment *e, size_t k, const char *skip, char *out,
                   size_t size);

/* The title line naming the experiments: "NAME on ENV", "NAME1 + NAME2 on ENV". */
void rl_plot_title(const rl_plot_experiment *e, size_t n, char *out, size_t size);

/* A line of a picture. */
typedef struct rl_plot_series {
    size_t id, experiment, config;
    char label[256];
    char group[256]; /* what shares a hue: the algorithm and the values that are not numbers */
    char colour[8];
    int dash;
} rl_plot_series;

/* Fills series[i].colour and .dash from .group and .experiment (see the top). */
void rl_plot_colour(rl_plot_series *series, size_t n);

/* Fills series[0 .. *n) with the selected configurations of every experiment, labelled
 * (skip: see rl_plot_label) and coloured. series has room for every configuration. */
void rl_plot_series_make(const rl_plot_experiment *e, size_t n_experiments, const char *skip,
                         bool ascii, rl_plot_series *series, size_t *n);

/* Writes the series as PLOTS/NAME (tab-separated, see the top). */
int rl_plot_series_write(const char *plots, const char *name, const rl_plot_series *s,
                         size_t n, rl_error *err);

#endif

/* Pictures of experiments' results: `gridrl plot DIR [DIR...]` turns results directories into
 * learning curves (per episode, per logged step, per logged training update), value/policy
 * grids, sweep curves and convergence curves with gnuplot; several experiments are overlaid
 * in one picture.
 *
 * The gnuplot scripts live in plots/NAME.gp and are compiled into the program (see
 * cmake/EmbedFiles.cmake), so a plot needs no data directory. For each picture, the data the
 * script reads that is not a result file as it stands (smoothed curves, the policy's arrow
 * vectors, the sweep summary) and the script itself are written into DIR/plots/ next to the
 * picture, so both can be checked and the picture redrawn with gnuplot alone.
 *
 * gnuplot is the program named by the GNUPLOT environment variable, else `gnuplot` on PATH;
 * it runs as a child process with its messages captured.
 */
#ifndef GRIDRL_EXPERIMENTS_PLOT_PLOT_H
#define GRIDRL_EXPERIMENTS_PLOT_PLOT_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "envs/maps_embedded.h"
#include "experiments/plot/plot_data.h"
#include "experiments/plot/series.h"
#include "rl/error.h"

/* The shipped scripts, by name without ".gp" ("grid", "learning_curve", ...); terminated by
 * an entry whose name is NULL. */
extern const rl_embedded_file rl_embedded_plots[];

typedef enum rl_plot_format { RL_PLOT_PNG, RL_PLOT_SVG, RL_PLOT_PDF } rl_plot_format;

/* What to draw: a set of these bits. */
enum {
    RL_PLOT_CURVES = 1u,      /* learning curves (learners: summary.csv), and the fraction
                                 of counted choices (choices.csv) */
    RL_PLOT_GRID = 2u,        /* policy and values on the map, one picture per configuration */
    RL_PLOT_SWEEP = 4u,       /* a summary against a swept parameter (learners) */
    RL_PLOT_CONVERGENCE = 8u, /* delta and value error per sweep (planners: iterations.csv) */
    RL_PLOT_STEPS = 16u,      /* value error, and cumulative reward where logged, per logged
                                 step (learners with log_every_steps: steps.csv) */
    RL_PLOT_UPDATES = 32u,    /* loss and value error per logged training update (learners
                                 with an update hook: updates.csv) */
    RL_PLOT_SURFACE = 64u,    /* estimated and exact values as surfaces (Zhao Fig 8.8); in
                                 "all" only for learners with weights (approximators) */
    RL_PLOT_ALL = 127u
};

/* The y axis of learning curves (per episode, per step and per update). */
typedef enum rl_plot_yscale {
    RL_PLOT_YSCALE_AUTO,   /* logarithmic for value_rmse and loss when every value drawn
                              (means and interval bounds) is > 0, else linear */
    RL_PLOT_YSCALE_LINEAR,
    RL_PLOT_YSCALE_LOG     /* values <= 0 are left out of the picture */
} rl_plot_yscale;

/* Learning curves and sweeps draw at most this many metrics, as panels of one figure. */
#define RL_PLOT_MAX_METRICS 3

typedef struct rl_plot_options {
    rl_plot_format format;
    unsigned what;         /* RL_PLOT_* bits */
    rl_plot_metric metrics[RL_PLOT_MAX_METRICS]; /* curves and sweeps: one panel each */
    size_t n_metrics;
    rl_plot_stat stat;     /* curves and sweeps: mean or IQM across runs */
    bool bands;            /* curves and sweeps: shade the 95% interval */
    const char *configs;   /* the configurations to draw (rl_plot_select); NULL: all */
    size_t smooth;         /* learning curves: trailing moving average over this many
                              episodes; 0 or 1: none */
    size_t first, last;    /* sweep: each run's mean over its first (or last) N episodes;
                              both 0: the last score_episodes of config.ini, else all */
    double ymin, ymax;     /* y range of curves and sweeps; NaN: automatic (rl_plot_range
                              for curves on a linear axis) */
    bool heat;             /* grids: colour the plain cells by their value */
    const char *gnuplot;   /* the program; NULL: $GNUPLOT, else gnuplot on PATH */
    FILE *log;             /* one line per picture written or plot skipped; NULL: silent */
    rl_plot_yscale yscale; /* learning curves' y axis (episodes, steps, updates) */
    const char *out;       /* the picture folder; NULL: DIR/plots (one experiment only) */
} rl_plot_options;

/* PNG, all plots, the mean return with its interval, every configuration, no smoothing, the
 * score window, automatic ranges, no heat map, quiet, a log y axis for value errors that are
 * all positive, pictures in DIR/plots. */
#define RL_PLOT_OPTIONS_DEFAULT                                                            \
    ((rl_plot_options){.format = RL_PLOT_PNG,                                               \
                       .what = RL_PLOT_ALL,                                                 \
                       .metrics = {RL_PLOT_RETURN},                                         \
                       .n_metrics = 1,                                                      \
                       .stat = RL_PLOT_MEAN,                                                \
                       .bands = true,                                                       \
                       .ymin = NAN,                                                         \
                       .ymax = NAN,                                                         \
                       .yscale = RL_PLOT_YSCALE_AUTO})

/* "png", "svg", "pdf": the file extension and --format value. */
const char *rl_plot_format_name(rl_plot_format f);


/* Draws what o asks for (NULL: the defaults) from the results in dirs[0 .. n) into o->out
 * (for one experiment, DIR/plots/ by default; several need o->out): learning curves, per-step
 * curves, sweeps and convergence overlay the experiments in one picture; grids and surfaces
 * are drawn for one experiment only. What does not apply to these results (no learning
 * curves for planners, no sweep without a swept parameter, no per-step curve without
 * steps.csv) is skipped with a note in o->log. Errors: RL_ENOTFOUND when a dir does not
 * exist, holds no results, or gnuplot cannot be found; RL_EINVAL for several experiments
 * without o->out or a bad o->configs; RL_EUNSUPPORTED when nothing asked for applies; RL_EIO
 * when a file cannot be read or written or gnuplot fails (its message is in err). */
int rl_plot_dirs(const char *const *dirs, size_t n, const rl_plot_options *o, rl_error *err);

/* rl_plot_dirs of one experiment. */
int rl_plot_dir(const char *dir, const rl_plot_options *o, rl_error *err);

#endif

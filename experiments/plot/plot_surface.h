/* The data of surface pictures (Zhao Fig 8.8): a configuration's estimated state values
 * (replicate 0's values.csv) beside the exact values they estimate, cell by cell.
 *
 * The exact values are not a result file: they are computed again from the experiment's
 * own config.ini (the plan rebuilt, configuration k's model and ground truth: v_pi of the
 * evaluated policy for prediction agents, v* for control agents), so a surface needs the map
 * files config.ini names to be where they were. Written into DIR/plots/surface_K.csv:
 *   row, col, estimate, truth   (walls: both empty; terminal cells: both 0)
 * a blank line after each row of the grid (gnuplot's scan lines for a surface).
 */
#ifndef GRIDRL_EXPERIMENTS_PLOT_PLOT_SURFACE_H
#define GRIDRL_EXPERIMENTS_PLOT_PLOT_SURFACE_H

#include <stdbool.h>
#include <stddef.h>

#include "rl/error.h"

typedef struct rl_plot_surface_info {
    size_t rows, cols;
    bool has_truth; /* false: the config could not be rebuilt or has no exact model; the
                       truth column is then empty */
    char why[256];  /* with has_truth false: the reason */
} rl_plot_surface_info;

/* Writes PLOTS/surface_K.csv for configuration k (PLOTS: the picture folder, DIR/plots/ by
 * default). RL_ENOTFOUND when values.csv has no row of configuration k's replicate 0. */
int rl_plot_write_surface(const char *dir, const char *plots, size_t k,
                          rl_plot_surface_info *info, rl_error *err);

#endif

/* Reading policies and values given as files (policy_evaluation's policy_file and
 * values_file): the policy.csv and values.csv that gridrl writes, or for policies an arrow
 * grid, one character per cell: ^ up, > right, v down, < left, o stay (any character on walls
 * and terminal cells). Errors name the file and line.
 */
#ifndef GRIDRL_EXPERIMENTS_IO_POLICY_IO_H
#define GRIDRL_EXPERIMENTS_IO_POLICY_IO_H

#include "rl/error.h"
#include "rl/mdp.h"

/* Fills pi (n_states * n_actions). A CSV needs columns row, col, action, probability (run
 * optional: the first run's rows are used); every decision state's row must sum to 1. */
int rl_policy_read(const char *path, const rl_mdp *m, double *pi, rl_error *err);

/* Fills v (n_states) from a CSV with columns row, col, value (empty values: 0). */
int rl_values_read(const char *path, const rl_mdp *m, double *v, rl_error *err);

#endif

/* The progress bar of `gridrl run`, on one line of stderr:
 * "[#####.....] 12/40 runs  850 episodes/s  ETA 0:12".
 */
#ifndef GRIDRL_EXPERIMENTS_CLI_PROGRESS_H
#define GRIDRL_EXPERIMENTS_CLI_PROGRESS_H

#include "experiments/runner/scheduler.h"

/* Draws p over the previous bar (context unused): a scheduler's progress callback, for a
 * terminal. */
void rl_cli_draw_progress(const rl_schedule_progress *p, void *context);

/* Prints p as a line of its own: for a log (mpirun passes rank 0's stderr through a pipe). */
void rl_cli_log_progress(const rl_schedule_progress *p);

#endif

/* The live view of `gridrl run --live`: the learning curve of what has finished so far,
 * redrawn every few seconds while the experiment runs.
 *
 * It reads only what the runs have written: each run's file DIR/runs/NNNNNN.rows appears
 * complete or not at all (run_files.h), so a file it sees is finished, and the runners never
 * wait for it (it takes no lock they take). Each finished run's episodes are read once and
 * added to its configuration's per-episode sums; a frame draws each configuration's mean
 * return per episode over its finished runs (averaged into bins when there are more episodes
 * than the picture has room for; episodes thinned by log_every_episodes are gaps the bins
 * skip), on the y range learning curves use by default.
 *
 * Frames go to a gnuplot window when a display exists (DISPLAY or WAYLAND_DISPLAY is set) and
 * gnuplot has a window terminal (qt, wxt or x11); else they are text from gnuplot's dumb
 * terminal, written to the given stream, redrawn in place when it is a terminal. The view
 * runs in a thread of its own; gnuplot runs in its own process group, so Ctrl-C reaches
 * gridrl alone, which then ends the view.
 */
#ifndef GRIDRL_EXPERIMENTS_PLOT_LIVE_H
#define GRIDRL_EXPERIMENTS_PLOT_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "rl/error.h"

typedef struct rl_live_options {
    const char *dir;      /* the results directory; its configs.csv is written */
    size_t n_runs;        /* the plan's runs */
    double interval;      /* seconds between frames */
    FILE *out;            /* text frames */
    bool redraw;          /* out is a terminal: each frame replaces the last */
    size_t width, height; /* text frames' size in characters */
    bool window;          /* try a window first (a display exists) */
    const char *gnuplot;  /* NULL: $GNUPLOT, else gnuplot on PATH */
    FILE *log;            /* notes (no window terminal, gnuplot failed); NULL: none */
} rl_live_options;

typedef struct rl_live rl_live;

/* Starts the view. RL_ENOTFOUND when gnuplot cannot be found, RL_EIO/RL_ENOMEM when the
 * thread cannot start; configs.csv errors as read. o's strings and streams must outlive it. */
int rl_live_start(const rl_live_options *o, rl_live **out, rl_error *err);

/* Stops the view and waits for its thread; with last, draws one more frame of everything
 * written (the finished experiment). Ends gnuplot and frees l; NULL is a no-op. */
void rl_live_finish(rl_live *l, bool last);

#endif

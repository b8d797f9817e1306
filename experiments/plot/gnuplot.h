/* Running gnuplot as a child process, the three ways gridrl needs it:
 *
 *   - on a script file with variables (-e "name='value'; ..."), its messages captured: the
 *     pictures of `gridrl plot`;
 *   - on a program given on its standard input, its output captured: one frame of the live
 *     view in a terminal (the dumb terminal writes the picture as text);
 *   - as a session kept open, programs sent one after another: the live view in a window.
 *
 * Paths and programs never pass through a shell: gnuplot is exec'd directly with its
 * arguments. A child that should not die with gridrl's Ctrl-C (the live view, which ends it
 * itself) runs in its own process group.
 */
#ifndef GRIDRL_EXPERIMENTS_PLOT_GNUPLOT_H
#define GRIDRL_EXPERIMENTS_PLOT_GNUPLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "rl/error.h"

/* The program: program if not NULL, else $GNUPLOT, else "gnuplot"; a name without '/' is
 * looked up on PATH as a shell would. RL_ENOTFOUND, saying how to install it, when there is
 * no such executable. */
int rl_gnuplot_find(const char *program, char *out, size_t size, rl_error *err);

/* Runs `gnuplot -e assignments script` with stdin from /dev/null; what it prints goes into
 * messages (size bytes, NUL-terminated, trailing blanks cut). RL_EIO when it cannot start or
 * does not exit with status 0 (its message in err). */
int rl_gnuplot_run_script(const char *gnuplot, const char *assignments, const char *script,
                          char *messages, size_t size, rl_error *err);

/* Runs gnuplot on the program text[0 .. len) given on its stdin, in its own process group;
 * its stdout and stderr go to output (a file, so that neither side can block the other).
 * RL_EIO when it cannot start or exits with a failure. */
int rl_gnuplot_run_text(const char *gnuplot, const char *text, size_t len, FILE *output,
                        rl_error *err);

/* A gnuplot kept running, reading programs from a pipe (its output to /dev/null). */
typedef struct rl_gnuplot_session {
    pid_t pid;
    int in; /* the pipe's write end, -1 when closed */
} rl_gnuplot_session;

int rl_gnuplot_open(const char *gnuplot, rl_gnuplot_session *s, rl_error *err);

/* Sends text; RL_EIO when gnuplot is gone (a write to a closed pipe fails with EPIPE: the
 * caller blocks SIGPIPE in the sending thread). */
int rl_gnuplot_send(rl_gnuplot_session *s, const char *text, size_t len, rl_error *err);

/* Closes the pipe (gnuplot exits at its end, closing its window) and waits for it. */
void rl_gnuplot_close(rl_gnuplot_session *s);

/* Whether gnuplot knows the terminal called name (GPVAL_TERMINALS): "qt", "wxt", "x11". */
bool rl_gnuplot_has_terminal(const char *gnuplot, const char *name);

#endif

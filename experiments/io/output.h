/* Output directories and files that appear complete or not at all: each file is written
 * under a temporary name in the same directory and renamed into place when closed.
 */
#ifndef GRIDRL_EXPERIMENTS_IO_OUTPUT_H
#define GRIDRL_EXPERIMENTS_IO_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "rl/error.h"

#define RL_OUTPUT_PATH_MAX 4096

/* Creates dir (and its parents). A directory that exists and is not empty is refused
 * unless force. */
int rl_output_prepare_dir(const char *dir, bool force, rl_error *err);

typedef struct rl_output_file {
    FILE *f;
    char tmp[RL_OUTPUT_PATH_MAX];
    char path[RL_OUTPUT_PATH_MAX];
} rl_output_file;

/* Creates the file at path for writing, exclusively (O_EXCL) and never through a symbolic
 * link (O_NOFOLLOW): whatever is already there that is not a folder (a leftover of an
 * interrupted run, or a link planted in an output directory) is unlinked first, never
 * followed. The file descriptor, or -1 (err filled, RL_EIO). */
int rl_output_create(const char *path, rl_error *err);

/* Makes the directory path, or accepts it when it is already a directory; a symbolic link
 * or anything else there is an error (RL_EIO), so nothing is written through it. */
int rl_output_make_dir(const char *path, rl_error *err);

/* Removes path and, when it is a directory, everything below it, without ever following a
 * symbolic link (a link is removed itself, its target untouched). A missing path is fine. */
int rl_output_remove_tree(const char *path, rl_error *err);

/* Opens dir/.name.tmp for writing (rl_output_create: exclusively, never through a link). */
int rl_output_open(rl_output_file *o, const char *dir, const char *name, rl_error *err);

/* Flushes and closes f: 0, or the errno of the first failure seen (EIO when a write
 * failed earlier and the reason is gone). */
int rl_output_finish_stream(FILE *f);

/* Closes and renames into dir/name; on a write error removes the temporary file and says
 * why (strerror). */
int rl_output_commit(rl_output_file *o, rl_error *err);

/* Closes and removes the temporary file. */
void rl_output_abandon(rl_output_file *o);

/* The end of every writer: commits when rc is RL_OK, else abandons and returns rc. */
int rl_output_close(rl_output_file *o, int rc, rl_error *err);

#endif

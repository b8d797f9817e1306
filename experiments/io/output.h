/* Output directories and files that appear complete or not at all: each file is written
 * under a temporary name in the same directory and renamed into place when closed.
 *
 * A temporary name is unique to the writing process among every host that shares the folder
 * (.NAME.HOST.PID.tmp): several processes, on one machine or several (shards of a sweep over
 * NFS), may write the same file at once, and each renames a complete file of its own into
 * place. With a name shared between writers, one could rename the other's half-written
 * file.
 */
#ifndef GRIDRL_EXPERIMENTS_IO_OUTPUT_H
#define GRIDRL_EXPERIMENTS_IO_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
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

/* Creates dir and its missing parents; one that exists already is fine (several processes
 * may create the same folder at once). */
int rl_output_make_dirs(const char *dir, rl_error *err);

/* Makes the directory path, or accepts it when it is already a directory; a symbolic link
 * or anything else there is an error (RL_EIO), so nothing is written through it. */
int rl_output_make_dir(const char *path, rl_error *err);

/* Removes path and, when it is a directory, everything below it, without ever following a
 * symbolic link (a link is removed itself, its target untouched). A missing path is fine. */
int rl_output_remove_tree(const char *path, rl_error *err);

/* The temporary name of dir/name for this process: dir/.name.HOST.PID.tmp (the host name's
 * characters other than letters, digits, '-' and '.' as '_'). RL_ERANGE when it does not fit
 * in size. */
int rl_output_temp_path(const char *dir, const char *name, char *out, size_t size,
                        rl_error *err);

/* Opens the temporary file of dir/name (rl_output_temp_path) for writing (rl_output_create:
 * exclusively, never through a link). */
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

/* Result folders compared in tests: the files `gridrl run` writes must be byte-identical for
 * any number of threads, shards or ranks, but for timing.csv and manifest.txt. Helpers fail
 * the current cmocka test (fail_msg) when they cannot go on.
 */
#ifndef GRIDRL_TESTS_TREE_H
#define GRIDRL_TESTS_TREE_H

#include <stdbool.h>
#include <stddef.h>

/* Every file under root (links included, not followed), as paths relative to root, sorted. */
typedef struct file_list {
    char **paths;
    size_t n, capacity;
} file_list;

file_list list_files(const char *root);
void list_free(file_list *l);

/* timing.csv (top level and per run) and manifest.txt may differ between two executions. */
bool may_differ(const char *rel);

/* A run's file (runs/NNNNNN.rows: sections "== NAME SIZE" then SIZE bytes) without its
 * timing.csv section, in place: the rest must be reproducible. */
void drop_timing(char *text);

/* Both trees hold the same files, and every one that must be reproducible is
 * byte-identical (a run's file but for its timing section); fails the test otherwise.
 * Returns the number of files compared byte for byte. */
size_t compare_trees(const char *a, const char *b);

/* Everything about the tree at root as text (malloc'd): every entry's path, mode, size,
 * inode and modification time, and every file's contents. Equal before and after something
 * ran: it changed nothing. */
char *tree_state(const char *root);

#endif

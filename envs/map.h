/* Map files: one character per cell, first line is the top row (README.md, "Writing a map").
 *
 * The parser checks the text only (rectangular, known characters, some open cell); what the
 * cells mean is the gridworld's business. Errors name the file, line and column.
 */
#ifndef GRIDRL_ENVS_MAP_H
#define GRIDRL_ENVS_MAP_H

#include <stddef.h>

#include "rl/error.h"

typedef struct rl_map {
    size_t rows, cols;
    char *cells; /* rows * cols characters, row-major, not NUL-terminated */
} rl_map;

/* The characters a map may contain, in the order README.md's map table lists them. */
#define RL_MAP_CHARS ".SGX#CH"

/* Parses text; source names it in error messages (a path, or "preset NAME"). Accepts "\n"
 * and "\r\n" line ends, an optional final newline. */
int rl_map_parse(const char *text, const char *source, rl_map **out, rl_error *err);

/* Reads and parses the file at path. */
int rl_map_load(const char *path, rl_map **out, rl_error *err);

void rl_map_free(rl_map *map);

static inline char rl_map_at(const rl_map *map, size_t row, size_t col)
{
    return map->cells[row * map->cols + col];
}

#endif

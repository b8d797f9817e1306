/* Map files (README.md, "Writing a map"): reads the text of a map into an rl_map.
 *
 * The parser checks the text only: known characters, "\n" or "\r\n" line ends, rows of one
 * width, some open cell and some possible start. What the cells mean (rewards, terminals,
 * start cells) is the gridworld's business. Every error names the source, line and column
 * so the CLI can point at the offending character.
 */
#define _POSIX_C_SOURCE 200809L /* strerror_r: strerror is not thread-safe */

#include "envs/map.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rl/alloc.h"

/* Bounds each side, so that rows * cols and the line numbers always fit and a stray huge
 * file is refused before it is held in memory. */
#define MAP_MAX_SIDE 4096
/* The largest file a map within the bounds can be: every row with a "\r\n". */
#define MAP_MAX_BYTES ((size_t)MAP_MAX_SIDE * (MAP_MAX_SIDE + 2))

static int is_map_char(char c)
{
    return c != '\0' && strchr(RL_MAP_CHARS, c) != NULL;
}

/* The allowed characters spelled out with spaces, for messages. */
static void allowed_list(char *buf, size_t size)
{
    size_t used = 0;
    for (const char *p = RL_MAP_CHARS; *p && used + 2 < size; p++) {
        if (used)
            buf[used++] = ' ';
        buf[used++] = *p;
    }
    buf[used] = '\0';
}

/* Adds the place to an error already set; returns its code. */
static int located(rl_error *err, int code, const char *source, int line, int column)
{
    rl_error_locate(err, code, source, line, column, NULL);
    return code;
}

/* Length of the line end at p (1 for "\n", 2 for "\r\n"), or 0 if p is not a line end. */
static size_t line_end(const char *p, const char *end)
{
    if (p < end && *p == '\n')
        return 1;
    if (p + 1 < end && p[0] == '\r' && p[1] == '\n')
        return 2;
    return 0;
}

/* Parses len bytes, which may contain NUL (a file is read as bytes). */
static int parse_bytes(const char *text, size_t len, const char *source, rl_map **out,
                       rl_error *err)
{
    const char *end = text + len;

    /* Only line ends, or nothing at all: say so rather than "ragged row". */
    const char *p = text;
    size_t skip;
    while ((skip = line_end(p, end)) > 0)
        p += skip;
    if (p == end) {
        rl_error_set(err, RL_EPARSE, "empty map");
        return located(err, RL_EPARSE, source, 1, 1);
    }
    /* The width every row must have is the first non-empty row's, so that a blank first
     * line reads "row 1 has 0 cells, expected N" like a blank line further down. */
    size_t cols = 0;
    while (p + cols < end && line_end(p + cols, end) == 0)
        cols++;

    /* First pass: validate and count rows. A final line end closes the last row rather
     * than opening an empty one, so the final newline is optional; any other line end
     * followed by nothing is an empty row. */
    size_t rows = 0;
    p = text;
    while (p < end) {
        int line = (int)rows + 1;
        if (rows == MAP_MAX_SIDE) {
            rl_error_set(err, RL_ERANGE, "map has more than %d rows (the limit)", MAP_MAX_SIDE);
            return located(err, RL_ERANGE, source, line, 1);
        }
        size_t width = 0;
        for (; p < end && line_end(p, end) == 0; p++, width++) {
            if (!is_map_char(*p)) {
                char shown[8], allowed[2 * sizeof RL_MAP_CHARS];
                unsigned char c = (unsigned char)*p;
                if (c >= 0x20 && c < 0x7f)
                    snprintf(shown, sizeof shown, "%c", c);
                else
                    snprintf(shown, sizeof shown, "\\x%02X", c);
                allowed_list(allowed, sizeof allowed);
                rl_error_set(err, RL_EPARSE, "unknown map character '%s' (allowed: %s)", shown,
                             allowed);
                return located(err, RL_EPARSE, source, line, (int)width + 1);
            }
            if (width == MAP_MAX_SIDE) {
                rl_error_set(err, RL_ERANGE, "row %d has more than %d cells (the limit)", line,
                             MAP_MAX_SIDE);
                return located(err, RL_ERANGE, source, line, MAP_MAX_SIDE + 1);
            }
        }
        if (width != cols) {
            /* Point at where the row ends early, or at its first cell too many. */
            size_t column = (width < cols ? width : cols) + 1;
            rl_error_set(err, RL_EPARSE,
                         "row %d has %zu cell%s, expected %zu (rows must all be the same width)",
                         line, width, width == 1 ? "" : "s", cols);
            return located(err, RL_EPARSE, source, line, (int)column);
        }
        rows++;
        p += line_end(p, end);
    }

    /* Second pass: copy the cells without the line ends. */
    rl_map *map = rl_malloc(sizeof *map);
    char *cells = rl_malloc(rows * cols);
    if (!map || !cells) {
        rl_free(map);
        rl_free(cells);
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    }
    map->rows = rows;
    map->cols = cols;
    map->cells = cells;
    size_t n = 0, open = 0, starts = 0, plain = 0;
    for (p = text; p < end;) {
        skip = line_end(p, end);
        if (skip) {
            p += skip;
            continue;
        }
        open += *p != '#';
        starts += *p == 'S';
        plain += *p == '.';
        cells[n++] = *p++;
    }

    if (open == 0) {
        rl_map_free(map);
        rl_error_set(err, RL_EPARSE, "map has no open cell");
        return located(err, RL_EPARSE, source, 0, 0);
    }
    /* Without an S the gridworld starts uniformly over the open cells that are not
     * terminal, cliff or forbidden. Whether G is terminal is a parameter (goal_terminal)
     * the parser does not see, so the rule here is: no S means at least one plain '.'
     * cell. The gridworld checks the full rule once it knows its parameters. */
    if (starts == 0 && plain == 0) {
        rl_map_free(map);
        rl_error_set(err, RL_EPARSE, "map has no start cell: add an S or a plain . cell");
        return located(err, RL_EPARSE, source, 0, 0);
    }
    *out = map;
    return RL_OK;
}

int rl_map_parse(const char *text, const char *source, rl_map **out, rl_error *err)
{
    if (out)
        *out = NULL;
    if (!text || !out)
        return rl_error_set(err, RL_EINVAL, "rl_map_parse: text and out must not be NULL");
    return parse_bytes(text, strlen(text), source, out, err);
}

static int io_error(rl_error *err, const char *path, int errnum)
{
    char reason[128];
    if (strerror_r(errnum, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "error %d", errnum);
    rl_error_set(err, RL_EIO, "cannot read map file '%s': %s", path, reason);
    return located(err, RL_EIO, path, 0, 0);
}

int rl_map_load(const char *path, rl_map **out, rl_error *err)
{
    if (out)
        *out = NULL;
    if (!path || !out)
        return rl_error_set(err, RL_EINVAL, "rl_map_load: path and out must not be NULL");
    FILE *f = fopen(path, "rb");
    if (!f)
        return io_error(err, path, errno);

    /* Read in growing chunks rather than trusting a file size, so pipes work too, and stop
     * one byte past the largest possible map so a huge file is never held whole. */
    const size_t limit = MAP_MAX_BYTES + 1;
    size_t cap = 4096, len = 0;
    char *buf = rl_malloc(cap);
    int rc = buf ? RL_OK : rl_error_set(err, RL_ENOMEM, "out of memory");
    while (rc == RL_OK && len < limit) {
        if (len == cap) {
            size_t grown_cap = cap * 2 < limit ? cap * 2 : limit;
            char *grown = rl_realloc(buf, grown_cap);
            if (!grown) {
                rc = rl_error_set(err, RL_ENOMEM, "out of memory");
                break;
            }
            buf = grown;
            cap = grown_cap;
        }
        errno = 0;
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                rc = io_error(err, path, errno ? errno : EIO);
            break;
        }
    }
    fclose(f);
    if (rc == RL_OK && len == limit) {
        rl_error_set(err, RL_ERANGE,
                     "map file '%s' is larger than %zu bytes (maps are limited to %d x %d "
                     "cells)",
                     path, MAP_MAX_BYTES, MAP_MAX_SIDE, MAP_MAX_SIDE);
        rc = located(err, RL_ERANGE, path, 0, 0);
    }
    if (rc == RL_OK)
        rc = parse_bytes(buf, len, path, out, err);
    rl_free(buf);
    return rc;
}

void rl_map_free(rl_map *map)
{
    if (!map)
        return;
    rl_free(map->cells);
    rl_free(map);
}

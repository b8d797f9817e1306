/* Reading CSV files as gridrl writes them (unquoted fields, a header row), streamed row by
 * row: episodes.csv of a long sweep runs to gigabytes. Every file read back is untrusted:
 * rows must have the header's width, a line longer than RL_CSV_LINE_MAX is an error, and the
 * number accessors reject what is not a number, so that callers can reject with file:line.
 *
 *     rl_csv c;
 *     if (rl_csv_open(&c, path, NULL, err) != RL_OK) return ...;
 *     int col = rl_csv_column(&c, "value", err);
 *     while ((rc = rl_csv_next(&c, err)) == 1) ... rl_csv_field(&c, col) ...
 *     rl_csv_close(&c);
 */
#ifndef GRIDRL_EXPERIMENTS_IO_CSV_H
#define GRIDRL_EXPERIMENTS_IO_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "rl/error.h"

#define RL_CSV_MAX_FIELDS 64
#define RL_CSV_LINE_MAX (1u << 20) /* bytes; gridrl's own rows are far shorter */
#define RL_CSV_PATH_MAX 4096

typedef struct rl_csv {
    FILE *f;
    char path[RL_CSV_PATH_MAX];
    size_t line_no;  /* of the current row, 1-based (the header is line 1) */
    char *line;
    size_t capacity;
    char *field[RL_CSV_MAX_FIELDS];
    size_t n_fields;
    char *names[RL_CSV_MAX_FIELDS]; /* the columns, in their own copy */
    char *header;
    size_t n_names;
} rl_csv;

/* Opens path and reads its header: the first line, or when names is not NULL the given
 * comma-separated names (a file without a header row, such as a run's rows). A missing file
 * is RL_ENOTFOUND, an unreadable one RL_EIO, an empty one RL_EPARSE. On failure nothing
 * is left to close. */
int rl_csv_open(rl_csv *c, const char *path, const char *names, rl_error *err);
void rl_csv_close(rl_csv *c);

/* The same over size bytes of data (which must outlive c), named name in messages (lines
 * counted from the start of data). */
int rl_csv_open_memory(rl_csv *c, const char *name, const char *data, size_t size,
                       const char *names, rl_error *err);

/* The index of the column called name, or RL_EPARSE naming the file and column. */
int rl_csv_column(const rl_csv *c, const char *name, rl_error *err);

/* Reads the next row (blank lines are skipped): 1, 0 at the end, or a negative code for a
 * row of the wrong width or a line too long, located at file:line. */
int rl_csv_next(rl_csv *c, rl_error *err);

static inline const char *rl_csv_field(const rl_csv *c, int column)
{
    return c->field[column];
}

/* The field as a finite number; an empty field is NaN (no value). False for anything
 * else. */
bool rl_csv_double(const rl_csv *c, int column, double *out);

/* The field as a whole number >= 0. */
bool rl_csv_size(const rl_csv *c, int column, size_t *out);

/* Fills err with RL_EPARSE: "'FIELD' is not WHAT", located at the file, line, column and
 * the column's name. Returns RL_EPARSE. */
int rl_csv_bad_field(const rl_csv *c, int column, const char *what, rl_error *err);

/* Fills err with RL_EPARSE and the message, located at the file and current line (and
 * column's name when column >= 0). Returns RL_EPARSE. */
int rl_csv_error(const rl_csv *c, int column, rl_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif

/* One CSV row built in memory and written with a single fwrite: the result files' writers
 * append fields with the fast number formatting of number.h instead of calling fprintf for
 * each (a learner's episodes.csv is millions of rows).
 *
 *     rl_row row = RL_ROW_EMPTY;
 *     rl_row_size(&row, run); rl_row_comma(&row); rl_row_number(&row, x); rl_row_end(&row, f);
 */
#ifndef GRIDRL_EXPERIMENTS_IO_ROW_H
#define GRIDRL_EXPERIMENTS_IO_ROW_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "experiments/io/number.h"

/* Room for the longest row gridrl writes (a dozen numbers and two names) with margin. */
#define RL_ROW_MAX 1024

typedef struct rl_row {
    size_t n;
    char text[RL_ROW_MAX];
} rl_row;

#define RL_ROW_EMPTY ((rl_row){0})

/* Whether n more bytes fit, with room for the newline: every append below checks, so an
 * over-long row is cut short rather than overrun (none of gridrl's comes close). */
static inline int rl_row_fits(const rl_row *row, size_t n)
{
    return row->n + n + 1 < RL_ROW_MAX;
}

static inline void rl_row_char(rl_row *row, char c)
{
    if (rl_row_fits(row, 1))
        row->text[row->n++] = c;
}

static inline void rl_row_comma(rl_row *row) { rl_row_char(row, ','); }

static inline void rl_row_size(rl_row *row, size_t x)
{
    if (rl_row_fits(row, RL_NUMBER_MAX))
        row->n += rl_number_size(x, row->text + row->n);
}

/* "%.12g" of x, or nothing (an empty field) for NaN and the infinities: every field reads
 * back as a number or as no value. */
static inline void rl_row_number(rl_row *row, double x)
{
    if (isfinite(x) && rl_row_fits(row, RL_NUMBER_MAX))
        row->n += rl_number_g12(x, row->text + row->n);
}

static inline void rl_row_text(rl_row *row, const char *s)
{
    size_t len = strlen(s);
    if (!rl_row_fits(row, len))
        len = RL_ROW_MAX - 1 - row->n - 1;
    memcpy(row->text + row->n, s, len);
    row->n += len;
}

/* Ends the row with a newline, writes it to f and empties it. */
static inline void rl_row_end(rl_row *row, FILE *f)
{
    row->text[row->n++] = '\n';
    fwrite(row->text, 1, row->n, f);
    row->n = 0;
}

/* Ends the row with a comma and tail, which may be longer than a row holds (a label of
 * swept paths): written after the row's text when it does not fit. */
static inline void rl_row_end_with(rl_row *row, const char *tail, FILE *f)
{
    size_t len = strlen(tail);
    rl_row_comma(row);
    if (rl_row_fits(row, len)) {
        rl_row_text(row, tail);
    } else {
        fwrite(row->text, 1, row->n, f);
        fwrite(tail, 1, len, f);
        row->n = 0;
    }
    rl_row_end(row, f);
}

#endif

/* Terminal drawing of a grid: the map of a gridworld, and (for a planner's or learner's
 * results) per-cell values and policy arrows on the same frame.
 *
 * A view names the cells (map characters) and optionally per-cell text and arrows. Every
 * cell gets a field of the same width:
 *
 *     [kind marker][text or glyph, right-aligned][' ' arrows, left-aligned]
 *
 * - Without text, a cell shows the glyph of its kind (· S ★ ▒ █ ░ ○).
 * - text[s] (a value such as "-3.85", or a label such as "A") replaces the glyph of cell s;
 *   NULL entries keep the glyph. With mark_kinds set, every field starts with its cell's
 *   glyph (a blank for plain cells), so forbidden cells, goals and holes stay visible next to
 *   their values even without colour.
 * - arrows[s] (e.g. "→", or "↑→" for a tie; rl_grid_arrow gives the glyph of a move) is
 *   written after the text; NULL entries leave the place blank.
 * Walls fill their field with █ and join their wall neighbours, so mazes read as solid.
 * Colour (ANSI) and ASCII-only output are the caller's choice (rl_grid_style); nothing here
 * looks at the terminal.
 */
#ifndef GRIDRL_EXPERIMENTS_CLI_GRID_DRAW_H
#define GRIDRL_EXPERIMENTS_CLI_GRID_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct rl_grid_style {
    bool color; /* ANSI colours */
    bool ascii; /* map characters and a +-| frame instead of Unicode glyphs */
} rl_grid_style;

typedef struct rl_grid_view {
    size_t rows, cols;
    const char *cells;          /* rows * cols map characters, row-major */
    const char *const *text;    /* optional, rows * cols entries (NULL entries allowed) */
    bool mark_kinds;            /* with text: prefix each field with its cell's glyph */
    const char *const *arrows;  /* optional, rows * cols entries (NULL entries allowed) */
    const long *wind;           /* optional, cols entries: upward wind, drawn under the grid */
} rl_grid_view;

/* Draws the frame with row and column indices, the cells, and the wind row if any. */
void rl_grid_draw(FILE *out, const rl_grid_view *view, const rl_grid_style *style);

/* One line "legend: · plain  S start ..." naming the kinds of cell present in the view. */
void rl_grid_legend(FILE *out, const rl_grid_view *view, const rl_grid_style *style);

/* The glyph of a map character ("▒" for 'X'; the character itself in ASCII); "?" if unknown. */
const char *rl_grid_glyph(char cell, bool ascii);

/* The name of a map character's kind ("forbidden"); "unknown" if unknown. */
const char *rl_grid_cell_name(char cell);

/* The ANSI colour sequence used for a map character ("" if none). */
const char *rl_grid_color(char cell);

/* The arrow of a move by (drow, dcol): "↑", "↗", ..., "↺" for staying; "^", ">", "v", "<",
 * "/", "\\", "o" in ASCII. */
const char *rl_grid_arrow(int drow, int dcol, bool ascii);

/* Display width of a UTF-8 string, one column per code point (our glyphs are all narrow). */
size_t rl_grid_text_width(const char *s);

#define RL_GRID_RESET "\033[0m"

#endif

/* Terminal drawing of a grid: see grid_draw.h for the layout of a cell's field.
 *
 * Everything is written with fputs/fputc in one pass per line; widths are computed once per
 * view, in display columns (code points), so UTF-8 glyphs and ASCII align the same way.
 */
#include "experiments/cli/grid_draw.h"

#include <string.h>

typedef struct kind_info {
    char cell;
    const char *glyph;
    const char *ascii;
    const char *name;
    const char *color;
} kind_info;

/* In RL_MAP_CHARS order, which is also the legend's order. */
static const kind_info KINDS[] = {
    {'.', "·", ".", "plain", "\033[2m"},
    {'S', "S", "S", "start", "\033[1;34m"},
    {'G', "★", "G", "goal", "\033[1;32m"},
    {'X', "▒", "X", "forbidden", "\033[33m"},
    {'#', "█", "#", "wall", "\033[37m"},
    {'C', "░", "C", "cliff", "\033[31m"},
    {'H', "○", "H", "hole", "\033[36m"},
};
#define N_KINDS (sizeof KINDS / sizeof KINDS[0])

static const kind_info *kind_of(char cell)
{
    for (size_t k = 0; k < N_KINDS; k++)
        if (KINDS[k].cell == cell)
            return &KINDS[k];
    return NULL;
}

const char *rl_grid_glyph(char cell, bool ascii)
{
    const kind_info *k = kind_of(cell);
    if (!k)
        return "?";
    return ascii ? k->ascii : k->glyph;
}

const char *rl_grid_cell_name(char cell)
{
    const kind_info *k = kind_of(cell);
    return k ? k->name : "unknown";
}

const char *rl_grid_color(char cell)
{
    const kind_info *k = kind_of(cell);
    return k ? k->color : "";
}

const char *rl_grid_arrow(int drow, int dcol, bool ascii)
{
    /* Indexed by (drow + 1) * 3 + (dcol + 1). */
    static const char *const unicode[9] = {"↖", "↑", "↗", "←", "↺", "→", "↙", "↓", "↘"};
    static const char *const plain[9] = {"\\", "^", "/", "<", "o", ">", "/", "v", "\\"};
    if (drow < -1 || drow > 1 || dcol < -1 || dcol > 1)
        return "?";
    int k = (drow + 1) * 3 + (dcol + 1);
    return ascii ? plain[k] : unicode[k];
}

size_t rl_grid_text_width(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80; /* count every byte that starts a code point */
    return n;
}

static void put_repeat(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputs(s, out);
}

static void put_padded(FILE *out, const char *s, size_t width, bool right)
{
    size_t w = rl_grid_text_width(s);
    size_t pad = w < width ? width - w : 0;
    if (right)
        put_repeat(out, " ", pad);
    fputs(s, out);
    if (!right)
        put_repeat(out, " ", pad);
}

/* Field geometry shared by every cell of a view. */
typedef struct layout {
    size_t marker; /* 1 with mark_kinds, else 0 */
    size_t core;   /* width of the text or glyph */
    size_t arrow;  /* width of the arrows, 0 without */
    size_t field;  /* marker + core + (arrow ? 1 + arrow : 0) */
    size_t label;  /* width of the row indices */
} layout;

static size_t digits(size_t n)
{
    size_t d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

static layout make_layout(const rl_grid_view *v)
{
    layout l = {0};
    size_t n = v->rows * v->cols;
    bool any_text = false;
    size_t text_width = 0;
    for (size_t s = 0; s < n; s++) {
        if (v->text && v->text[s]) {
            size_t w = rl_grid_text_width(v->text[s]);
            if (w > text_width)
                text_width = w;
            any_text = true;
        }
        if (v->arrows && v->arrows[s]) {
            size_t w = rl_grid_text_width(v->arrows[s]);
            if (w > l.arrow)
                l.arrow = w;
        }
    }
    l.marker = v->mark_kinds && any_text ? 1 : 0;
    /* Without a marker the glyph of a text-less cell needs one column. */
    l.core = l.marker || text_width > 1 ? text_width : 1;
    l.field = l.marker + l.core + (l.arrow ? 1 + l.arrow : 0);
    l.label = v->rows ? digits(v->rows - 1) : 1;
    return l;
}

static void color_on(FILE *out, const rl_grid_style *st, const char *code)
{
    if (st->color && code[0])
        fputs(code, out);
}

static void color_off(FILE *out, const rl_grid_style *st, const char *code)
{
    if (st->color && code[0])
        fputs(RL_GRID_RESET, out);
}

static void draw_field(FILE *out, const rl_grid_view *v, const rl_grid_style *st,
                       const layout *l, size_t s)
{
    char cell = v->cells[s];
    const char *glyph = rl_grid_glyph(cell, st->ascii);
    const char *text = v->text ? v->text[s] : NULL;
    const char *arrows = v->arrows ? v->arrows[s] : NULL;
    /* Plain cells keep the terminal's own colour for text; only their dot is dimmed. */
    const char *code = rl_grid_color(cell);
    const char *text_code = cell == '.' ? "" : code;

    if (cell == '#') {
        color_on(out, st, code);
        put_repeat(out, glyph, l->field);
        color_off(out, st, code);
        return;
    }
    if (l->marker) {
        const char *marker = text && cell == '.' ? " " : glyph;
        color_on(out, st, text ? text_code : code);
        fputs(marker, out);
        color_off(out, st, text ? text_code : code);
    }
    if (text) {
        color_on(out, st, text_code);
        put_padded(out, text, l->core, true);
        color_off(out, st, text_code);
    } else if (l->marker) {
        put_repeat(out, " ", l->core); /* the glyph is already in the marker */
    } else {
        put_repeat(out, " ", l->core - 1);
        color_on(out, st, code);
        fputs(glyph, out);
        color_off(out, st, code);
    }
    if (l->arrow) {
        fputc(' ', out);
        color_on(out, st, text_code);
        put_padded(out, arrows ? arrows : "", l->arrow, false);
        color_off(out, st, text_code);
    }
}

/* Column indices above the frame; several lines (one per digit) when they do not fit. */
static void draw_header(FILE *out, const rl_grid_view *v, const layout *l)
{
    size_t d = v->cols ? digits(v->cols - 1) : 1;
    size_t lines = d <= l->field ? 1 : d;
    for (size_t line = 0; line < lines; line++) {
        put_repeat(out, " ", l->label + 2);
        for (size_t c = 0; c < v->cols; c++) {
            char num[32];
            if (lines == 1) {
                snprintf(num, sizeof num, "%zu", c);
            } else {
                /* Digit `line` of c written with d digits; leading zeros blank. */
                char full[32];
                snprintf(full, sizeof full, "%*zu", (int)d, c);
                snprintf(num, sizeof num, "%c", full[line]);
            }
            fputc(' ', out);
            put_padded(out, num, l->field, true);
        }
        fputc('\n', out);
    }
}

static void draw_border(FILE *out, const rl_grid_view *v, const rl_grid_style *st,
                        const layout *l, bool top)
{
    put_repeat(out, " ", l->label + 1);
    fputs(st->ascii ? "+" : top ? "┌" : "└", out);
    put_repeat(out, st->ascii ? "-" : "─", v->cols * (l->field + 1) + 1);
    fputs(st->ascii ? "+" : top ? "┐" : "┘", out);
    fputc('\n', out);
}

static void draw_wind(FILE *out, const rl_grid_view *v, const layout *l)
{
    bool any = false;
    for (size_t c = 0; c < v->cols; c++)
        any = any || v->wind[c] != 0;
    if (!any)
        return;
    put_repeat(out, " ", l->label + 2);
    for (size_t c = 0; c < v->cols; c++) {
        char num[32];
        snprintf(num, sizeof num, "%ld", v->wind[c]);
        if (rl_grid_text_width(num) > l->field)
            snprintf(num, sizeof num, "*");
        fputc(' ', out);
        put_padded(out, v->wind[c] ? num : "", l->field, true);
    }
    fputs("   wind\n", out);
}

void rl_grid_draw(FILE *out, const rl_grid_view *v, const rl_grid_style *st)
{
    layout l = make_layout(v);
    const char *bar = st->ascii ? "|" : "│";
    draw_header(out, v, &l);
    draw_border(out, v, st, &l, true);
    for (size_t r = 0; r < v->rows; r++) {
        fprintf(out, "%*zu ", (int)l.label, r);
        fputs(bar, out);
        for (size_t c = 0; c < v->cols; c++) {
            size_t s = r * v->cols + c;
            bool join = c > 0 && v->cells[s] == '#' && v->cells[s - 1] == '#';
            if (join) {
                const char *code = rl_grid_color('#');
                color_on(out, st, code);
                fputs(rl_grid_glyph('#', st->ascii), out);
                color_off(out, st, code);
            } else {
                fputc(' ', out);
            }
            draw_field(out, v, st, &l, s);
        }
        fputc(' ', out);
        fputs(bar, out);
        fputc('\n', out);
    }
    draw_border(out, v, st, &l, false);
    if (v->wind)
        draw_wind(out, v, &l);
}

void rl_grid_legend(FILE *out, const rl_grid_view *v, const rl_grid_style *st)
{
    fputs("legend:", out);
    size_t n = v->rows * v->cols;
    for (size_t k = 0; k < N_KINDS; k++) {
        if (!memchr(v->cells, KINDS[k].cell, n))
            continue;
        /* Next to values a plain cell's marker is a blank: nothing to explain. */
        if (KINDS[k].cell == '.' && v->text && v->mark_kinds)
            continue;
        fputs("  ", out);
        color_on(out, st, KINDS[k].color);
        fputs(rl_grid_glyph(KINDS[k].cell, st->ascii), out);
        color_off(out, st, KINDS[k].color);
        fprintf(out, " %s", KINDS[k].name);
    }
    fputc('\n', out);
}

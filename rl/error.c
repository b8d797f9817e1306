/* Error records: see error.h. */
#include "rl/error.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "rl/alloc.h"

const char *rl_strerror(int code)
{
    switch (code) {
    case RL_OK: return "success";
    case RL_CONTINUE: return "not converged yet";
    case RL_STOPPED: return "stopped at the iteration limit before converging";
    case RL_EINVAL: return "invalid value";
    case RL_ENOMEM: return "out of memory";
    case RL_EIO: return "input/output error";
    case RL_EPARSE: return "parse error";
    case RL_ERANGE: return "value out of range";
    case RL_ENOTFOUND: return "not found";
    case RL_ESINGULAR: return "singular system";
    case RL_EDIVERGED: return "values diverged";
    case RL_EUNSUPPORTED: return "not supported";
    case RL_EINTERRUPTED: return "interrupted";
    default: return "unknown error";
    }
}

void rl_error_clear(rl_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

int rl_error_set(rl_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    rl_error_clear(err);
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

int rl_error_locate(rl_error *err, int code, const char *file, int line, int column,
                    const char *key)
{
    if (!err)
        return code;
    if (file)
        snprintf(err->file, sizeof err->file, "%s", file);
    if (line > 0)
        err->line = line;
    if (column > 0)
        err->column = column;
    if (key)
        snprintf(err->key, sizeof err->key, "%s", key);
    return code;
}

/* Appends to buf[used..size), keeping it terminated and used within bounds. */
static void append(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
    if (*used + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *used, size - *used, fmt, ap);
    va_end(ap);
    if (n > 0)
        *used = (size_t)n < size - *used ? *used + (size_t)n : size - 1;
}

void rl_error_format(const rl_error *err, char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    buf[0] = '\0';
    if (!err)
        return;
    size_t used = 0;
    if (err->file[0]) {
        append(buf, size, &used, "%s:", err->file);
        if (err->line > 0)
            append(buf, size, &used, "%d:", err->line);
        if (err->column > 0)
            append(buf, size, &used, "%d:", err->column);
        append(buf, size, &used, "%s", " ");
    }
    if (err->key[0])
        append(buf, size, &used, "%s: ", err->key);
    append(buf, size, &used, "%s", err->message[0] ? err->message : rl_strerror(err->code));
}

void rl_names_append(char *buf, size_t size, const char *name)
{
    size_t used = strlen(buf);
    if (used + 1 >= size)
        return;
    snprintf(buf + used, size - used, "%s%s", used ? ", " : "", name);
}

static bool same_error(const rl_error *a, const rl_error *b)
{
    return a->code == b->code && a->line == b->line && a->column == b->column &&
           strcmp(a->file, b->file) == 0 && strcmp(a->key, b->key) == 0 &&
           strcmp(a->message, b->message) == 0;
}

int rl_error_list_add(rl_error_list *list, const rl_error *e)
{
    for (size_t i = 0; i < list->n; i++)
        if (same_error(&list->items[i], e))
            return e->code;
    if (list->n == RL_ERROR_LIST_MAX) {
        list->more++;
        return e->code;
    }
    if (list->n == list->capacity) {
        size_t capacity = list->capacity ? 2 * list->capacity : 8;
        rl_error *items = rl_realloc(list->items, capacity * sizeof *items);
        if (!items) {
            list->more++;
            return e->code;
        }
        list->items = items;
        list->capacity = capacity;
    }
    list->items[list->n++] = *e;
    return e->code;
}

/* Where an error sorts: 0 for file (by line), 1 the command line, 2 anything else. */
static int rank(const rl_error *e, const char *file)
{
    if (file && strcmp(e->file, file) == 0)
        return 0;
    return strcmp(e->file, RL_ERROR_COMMAND_LINE) == 0 ? 1 : 2;
}

static bool before(const rl_error *a, const rl_error *b, const char *file)
{
    int ra = rank(a, file), rb = rank(b, file);
    return ra < rb || (ra == rb && ra == 0 && a->line < b->line);
}

void rl_error_list_sort(rl_error_list *list, const char *file)
{
    /* Insertion sort: stable, and a list holds at most RL_ERROR_LIST_MAX errors. */
    for (size_t i = 1; i < list->n; i++) {
        rl_error e = list->items[i];
        size_t j = i;
        for (; j > 0 && before(&e, &list->items[j - 1], file); j--)
            list->items[j] = list->items[j - 1];
        list->items[j] = e;
    }
}

int rl_error_list_code(const rl_error_list *list)
{
    return list->n ? list->items[0].code : list->more ? RL_ENOMEM : RL_OK;
}

void rl_error_list_free(rl_error_list *list)
{
    if (!list)
        return;
    rl_free(list->items);
    memset(list, 0, sizeof *list);
}

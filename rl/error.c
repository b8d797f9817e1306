/* Error records: see error.h. */
#include "rl/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* The CSV reader: see csv.h. */
#include "experiments/io/csv.h"

#include <errno.h>
#include <stdint.h>
#include <sys/types.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/io/number.h"
#include "rl/alloc.h"

/* Splits line in place into fields (at most RL_CSV_MAX_FIELDS kept); returns how many
 * there are. */
static size_t split(char *line, char **field)
{
    line[strcspn(line, "\r\n")] = '\0';
    size_t n = 0;
    for (char *p = line;;) {
        if (n < RL_CSV_MAX_FIELDS)
            field[n] = p;
        n++;
        char *comma = strchr(p, ',');
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

void rl_csv_close(rl_csv *c)
{
    if (c->f)
        fclose(c->f);
    rl_free(c->line);
    rl_free(c->header);
    memset(c, 0, sizeof *c);
}

/* Reads one line into c->line; 1, 0 at the end, or a negative code. */
static int read_line(rl_csv *c, rl_error *err)
{
    errno = 0;
    ssize_t n = getline(&c->line, &c->capacity, c->f);
    if (n < 0) {
        if (ferror(c->f) || errno == ENOMEM)
            return rl_error_set(err, errno == ENOMEM ? RL_ENOMEM : RL_EIO,
                                "cannot read '%s': %s", c->path, strerror(errno ? errno : EIO));
        return 0;
    }
    c->line_no++;
    if ((size_t)n > RL_CSV_LINE_MAX) {
        rl_error_set(err, RL_EPARSE, "line longer than %u bytes", RL_CSV_LINE_MAX);
        return rl_error_locate(err, RL_EPARSE, c->path, (int)c->line_no, 0, NULL);
    }
    if (memchr(c->line, '\0', (size_t)n)) {
        rl_error_set(err, RL_EPARSE, "line holds a NUL byte");
        return rl_error_locate(err, RL_EPARSE, c->path, (int)c->line_no, 0, NULL);
    }
    return 1;
}

/* Reads the header (the given names, else the first line) of a stream opened on c. */
static int open_header(rl_csv *c, const char *names, rl_error *err)
{
    int rc;
    if (names) {
        c->header = rl_strdup(names);
        rc = c->header ? RL_OK : rl_error_set(err, RL_ENOMEM, "out of memory");
    } else {
        rc = c->f ? read_line(c, err) : 0;
        if (rc == 0)
            rc = rl_error_set(err, RL_EPARSE, "'%s' is empty (no header row)", c->path);
        else if (rc == 1 && !(c->header = rl_strdup(c->line)))
            rc = rl_error_set(err, RL_ENOMEM, "out of memory");
        else if (rc == 1)
            rc = RL_OK;
    }
    if (rc != RL_OK) {
        rl_csv_close(c);
        return rc;
    }
    c->n_names = split(c->header, c->names);
    if (c->n_names > RL_CSV_MAX_FIELDS) {
        rc = rl_error_set(err, RL_EPARSE, "'%s' has more than %d columns", c->path,
                          RL_CSV_MAX_FIELDS);
        rl_csv_close(c);
        return rc;
    }
    return RL_OK;
}

int rl_csv_open(rl_csv *c, const char *path, const char *names, rl_error *err)
{
    memset(c, 0, sizeof *c);
    if (snprintf(c->path, sizeof c->path, "%s", path) >= (int)sizeof c->path)
        return rl_error_set(err, RL_ERANGE, "path too long: '%.64s...'", path);
    c->f = fopen(path, "r");
    if (!c->f)
        return rl_error_set(err, errno == ENOENT ? RL_ENOTFOUND : RL_EIO, "cannot read '%s': %s",
                            path, strerror(errno));
    return open_header(c, names, err);
}

int rl_csv_open_memory(rl_csv *c, const char *name, const char *data, size_t size,
                       const char *names, rl_error *err)
{
    memset(c, 0, sizeof *c);
    snprintf(c->path, sizeof c->path, "%s", name);
    /* An empty text has no rows: no stream at all (fmemopen refuses a size of 0). */
    if (size && !(c->f = fmemopen((void *)data, size, "r")))
        return rl_error_set(err, RL_ENOMEM, "cannot read '%s': %s", name, strerror(errno));
    return open_header(c, names, err);
}

int rl_csv_column(const rl_csv *c, const char *name, rl_error *err)
{
    for (size_t i = 0; i < c->n_names; i++)
        if (strcmp(c->names[i], name) == 0)
            return (int)i;
    return rl_error_set(err, RL_EPARSE, "'%s' has no column '%s'", c->path, name);
}

int rl_csv_next(rl_csv *c, rl_error *err)
{
    if (!c->f)
        return 0;
    for (;;) {
        int rc = read_line(c, err);
        if (rc <= 0)
            return rc;
        if (c->line[strspn(c->line, " \t\r\n")] == '\0')
            continue;
        c->n_fields = split(c->line, c->field);
        if (c->n_fields != c->n_names) {
            rl_error_set(err, RL_EPARSE, "row has %zu fields, the header %zu", c->n_fields,
                         c->n_names);
            return rl_error_locate(err, RL_EPARSE, c->path, (int)c->line_no, 0, NULL);
        }
        return 1;
    }
}

bool rl_csv_double(const rl_csv *c, int column, double *out)
{
    const char *text = c->field[column];
    if (!text[0]) {
        *out = NAN;
        return true;
    }
    double x;
    if (!rl_number_parse(text, &x) || !isfinite(x))
        return false;
    *out = x;
    return true;
}

bool rl_csv_size(const rl_csv *c, int column, size_t *out)
{
    const char *text = c->field[column];
    if (!(text[0] >= '0' && text[0] <= '9'))
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (*end || errno || v > SIZE_MAX)
        return false;
    *out = (size_t)v;
    return true;
}

int rl_csv_bad_field(const rl_csv *c, int column, const char *what, rl_error *err)
{
    rl_error_set(err, RL_EPARSE, "'%.64s' is not %s", c->field[column], what);
    return rl_error_locate(err, RL_EPARSE, c->path, (int)c->line_no, column + 1,
                           c->names[column]);
}

int rl_csv_error(const rl_csv *c, int column, rl_error *err, const char *fmt, ...)
{
    if (err) {
        char message[RL_ERROR_MESSAGE_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(message, sizeof message, fmt, ap);
        va_end(ap);
        rl_error_set(err, RL_EPARSE, "%s", message);
    }
    return rl_error_locate(err, RL_EPARSE, c->path, (int)c->line_no, column >= 0 ? column + 1 : 0,
                           column >= 0 ? c->names[column] : NULL);
}

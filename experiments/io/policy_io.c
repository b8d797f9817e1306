/* Policy and value files: see policy_io.h. */
#include "experiments/io/policy_io.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 1024
#define MAX_COLUMNS 16

static int file_error(rl_error *err, int code, const char *path, int line, const char *what)
{
    rl_error_set(err, code, "%s", what);
    return rl_error_locate(err, code, path, line, 0, NULL);
}

/* Splits a CSV line (no quoting: gridrl's files have none) in place. */
static size_t split_csv(char *line, char **fields)
{
    size_t n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < MAX_COLUMNS;) {
        fields[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

static int column(char **header, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(header[i], name) == 0)
            return (int)i;
    return -1;
}

static bool parse_index(const char *text, size_t limit, size_t *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end || errno || v < 0 || (size_t)v >= limit)
        return false;
    *out = (size_t)v;
    return true;
}

typedef struct csv_reader {
    FILE *f;
    const char *path;
    int line;
    char buf[LINE_MAX_LEN];
    char *fields[MAX_COLUMNS];
    size_t n;
} csv_reader;

static int csv_open(csv_reader *r, const char *path, char **header, size_t *n_header,
                    char *header_buf, rl_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->f = fopen(path, "r");
    if (!r->f) {
        rl_error_set(err, RL_EIO, "cannot read '%s': %s", path, strerror(errno));
        return RL_EIO;
    }
    if (!fgets(header_buf, LINE_MAX_LEN, r->f)) {
        fclose(r->f);
        return file_error(err, RL_EPARSE, path, 1, "empty file (expected a CSV header)");
    }
    r->line = 1;
    *n_header = split_csv(header_buf, header);
    return RL_OK;
}

static bool csv_next(csv_reader *r)
{
    while (fgets(r->buf, sizeof r->buf, r->f)) {
        r->line++;
        if (r->buf[strspn(r->buf, " \t\r\n")] == '\0')
            continue;
        r->n = split_csv(r->buf, r->fields);
        return true;
    }
    return false;
}

static int read_policy_csv(const char *path, const rl_mdp *m, double *pi, rl_error *err)
{
    csv_reader r;
    char header_buf[LINE_MAX_LEN], *header[MAX_COLUMNS];
    size_t n_header;
    int rc = csv_open(&r, path, header, &n_header, header_buf, err);
    if (rc != RL_OK)
        return rc;
    int c_row = column(header, n_header, "row"), c_col = column(header, n_header, "col");
    int c_action = column(header, n_header, "action");
    int c_p = column(header, n_header, "probability"), c_run = column(header, n_header, "run");
    if (c_row < 0 || c_col < 0 || c_action < 0 || c_p < 0) {
        fclose(r.f);
        return file_error(err, RL_EPARSE, path, 1,
                          "header needs the columns row, col, action, probability");
    }
    for (size_t i = 0; i < m->n_states * m->n_actions; i++)
        pi[i] = NAN;
    char first_run[32] = "";
    while (csv_next(&r)) {
        int need = c_row > c_col ? c_row : c_col;
        need = need > c_action ? need : c_action;
        need = need > c_p ? need : c_p;
        need = need > c_run ? need : c_run;
        if ((int)r.n <= need) {
            fclose(r.f);
            return file_error(err, RL_EPARSE, path, r.line, "too few fields");
        }
        if (c_run >= 0) {
            if (!first_run[0])
                snprintf(first_run, sizeof first_run, "%s", r.fields[c_run]);
            if (strcmp(first_run, r.fields[c_run]) != 0)
                continue;
        }
        size_t row, col;
        int a = rl_mdp_action_index(m, r.fields[c_action]);
        char *end;
        double p = strtod(r.fields[c_p], &end);
        if (!parse_index(r.fields[c_row], m->rows, &row) ||
            !parse_index(r.fields[c_col], m->cols, &col)) {
            fclose(r.f);
            return file_error(err, RL_ERANGE, path, r.line, "row or col outside the grid");
        }
        if (a < 0) {
            fclose(r.f);
            rl_error_set(err, RL_EINVAL, "unknown action '%s' for this env", r.fields[c_action]);
            return rl_error_locate(err, RL_EINVAL, path, r.line, 0, NULL);
        }
        if (end == r.fields[c_p] || *end || !(p >= 0 && p <= 1)) {
            fclose(r.f);
            return file_error(err, RL_ERANGE, path, r.line, "probability is not in [0, 1]");
        }
        pi[rl_mdp_state(m, row, col) * m->n_actions + (size_t)a] = p;
    }
    fclose(r.f);
    for (size_t s = 0; s < m->n_states; s++) {
        double sum = 0.0;
        double *row = pi + s * m->n_actions;
        if (!rl_mdp_is_decision(m, s)) {
            for (size_t a = 0; a < m->n_actions; a++)
                row[a] = 1.0 / (double)m->n_actions;
            continue;
        }
        for (size_t a = 0; a < m->n_actions; a++) {
            if (isnan(row[a]))
                row[a] = 0.0; /* unlisted actions have probability 0 */
            sum += row[a];
        }
        if (fabs(sum - 1.0) > 1e-9) {
            rl_error_set(err, RL_EINVAL, "the probabilities of cell (%zu, %zu) sum to %g, not 1",
                         rl_mdp_row(m, s), rl_mdp_col(m, s), sum);
            return rl_error_locate(err, RL_EINVAL, path, 0, 0, NULL);
        }
    }
    return RL_OK;
}

static int read_policy_arrows(const char *path, const rl_mdp *m, double *pi, rl_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        rl_error_set(err, RL_EIO, "cannot read '%s': %s", path, strerror(errno));
        return RL_EIO;
    }
    static const char ARROWS[] = "^>v<o";
    static const char *const NAMES[] = {"up", "right", "down", "left", "stay"};
    char line[LINE_MAX_LEN];
    size_t row = 0;
    int rc = RL_OK;
    while (rc == RL_OK && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (row >= m->rows) {
            rc = file_error(err, RL_EPARSE, path, (int)row + 1, "more rows than the map");
            break;
        }
        if (strlen(line) != m->cols) {
            rl_error_set(err, RL_EPARSE, "row has %zu cells, the map has %zu columns",
                         strlen(line), m->cols);
            rc = rl_error_locate(err, RL_EPARSE, path, (int)row + 1, 0, NULL);
            break;
        }
        for (size_t col = 0; col < m->cols; col++) {
            size_t s = rl_mdp_state(m, row, col);
            double *out = pi + s * m->n_actions;
            for (size_t a = 0; a < m->n_actions; a++)
                out[a] = rl_mdp_is_decision(m, s) ? 0.0 : 1.0 / (double)m->n_actions;
            if (!rl_mdp_is_decision(m, s))
                continue;
            const char *arrow = line[col] ? strchr(ARROWS, line[col]) : NULL;
            int a = arrow ? rl_mdp_action_index(m, NAMES[arrow - ARROWS]) : -1;
            if (a < 0) {
                rl_error_set(err, RL_EPARSE,
                             "'%c' is not an action of this env (^ > v < o: up right down "
                             "left stay)",
                             line[col]);
                rc = rl_error_locate(err, RL_EPARSE, path, (int)row + 1, (int)col + 1, NULL);
                break;
            }
            out[a] = 1.0;
        }
        row++;
    }
    fclose(f);
    if (rc == RL_OK && row != m->rows) {
        rl_error_set(err, RL_EPARSE, "%zu rows, the map has %zu", row, m->rows);
        rc = rl_error_locate(err, RL_EPARSE, path, 0, 0, NULL);
    }
    return rc;
}

int rl_policy_read(const char *path, const rl_mdp *m, double *pi, rl_error *err)
{
    size_t len = strlen(path);
    if (len > 4 && strcmp(path + len - 4, ".csv") == 0)
        return read_policy_csv(path, m, pi, err);
    return read_policy_arrows(path, m, pi, err);
}

int rl_values_read(const char *path, const rl_mdp *m, double *v, rl_error *err)
{
    csv_reader r;
    char header_buf[LINE_MAX_LEN], *header[MAX_COLUMNS];
    size_t n_header;
    int rc = csv_open(&r, path, header, &n_header, header_buf, err);
    if (rc != RL_OK)
        return rc;
    int c_row = column(header, n_header, "row"), c_col = column(header, n_header, "col");
    int c_value = column(header, n_header, "value"), c_run = column(header, n_header, "run");
    if (c_row < 0 || c_col < 0 || c_value < 0) {
        fclose(r.f);
        return file_error(err, RL_EPARSE, path, 1, "header needs the columns row, col, value");
    }
    for (size_t s = 0; s < m->n_states; s++)
        v[s] = 0.0;
    char first_run[32] = "";
    while (csv_next(&r)) {
        int need = c_row > c_col ? c_row : c_col;
        need = need > c_value ? need : c_value;
        need = need > c_run ? need : c_run;
        if ((int)r.n <= need) {
            fclose(r.f);
            return file_error(err, RL_EPARSE, path, r.line, "too few fields");
        }
        if (c_run >= 0) {
            if (!first_run[0])
                snprintf(first_run, sizeof first_run, "%s", r.fields[c_run]);
            if (strcmp(first_run, r.fields[c_run]) != 0)
                continue;
        }
        size_t row, col;
        if (!parse_index(r.fields[c_row], m->rows, &row) ||
            !parse_index(r.fields[c_col], m->cols, &col)) {
            fclose(r.f);
            return file_error(err, RL_ERANGE, path, r.line, "row or col outside the grid");
        }
        if (!r.fields[c_value][0])
            continue;
        char *end;
        double value = strtod(r.fields[c_value], &end);
        if (*end || !isfinite(value)) {
            fclose(r.f);
            return file_error(err, RL_EPARSE, path, r.line, "value is not a finite number");
        }
        size_t s = rl_mdp_state(m, row, col);
        v[s] = rl_mdp_is_decision(m, s) ? value : 0.0;
    }
    fclose(r.f);
    return RL_OK;
}

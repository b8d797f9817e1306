/* Policy and value files: see policy_io.h. */
#include "experiments/io/policy_io.h"

#include "experiments/io/csv.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 1024

static int file_error(rl_error *err, int code, const char *path, int line, const char *what)
{
    rl_error_set(err, code, "%s", what);
    return rl_error_locate(err, code, path, line, 0, NULL);
}

/* A row or column index below limit. */
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

/* The columns of a policy or values file; run is optional (-1 when absent). */
typedef struct columns {
    int row, col, key, run;
} columns;

static int find_columns(const rl_csv *c, const char *key, const char *need, columns *out,
                        rl_error *err)
{
    out->row = rl_csv_column(c, "row", NULL);
    out->col = rl_csv_column(c, "col", NULL);
    out->key = rl_csv_column(c, key, NULL);
    out->run = rl_csv_column(c, "run", NULL);
    if (out->row < 0 || out->col < 0 || out->key < 0)
        return file_error(err, RL_EPARSE, c->path, 1, need);
    return RL_OK;
}

/* Whether the current row belongs to the file's first run (files with a run column hold
 * every run of an experiment: the first one is used). */
static bool first_run(const rl_csv *c, const columns *k, char *first, size_t size)
{
    if (k->run < 0)
        return true;
    if (!first[0])
        snprintf(first, size, "%s", rl_csv_field(c, k->run));
    return strcmp(first, rl_csv_field(c, k->run)) == 0;
}

/* The cell of the current row; RL_ERANGE located at the row when it is off the grid. */
static int row_cell(const rl_csv *c, const columns *k, const rl_mdp *m, size_t *s,
                    rl_error *err)
{
    size_t row, col;
    if (!parse_index(rl_csv_field(c, k->row), m->rows, &row) ||
        !parse_index(rl_csv_field(c, k->col), m->cols, &col))
        return file_error(err, RL_ERANGE, c->path, (int)c->line_no, "row or col outside the grid");
    *s = rl_mdp_state(m, row, col);
    return RL_OK;
}

static int read_policy_csv(const char *path, const rl_mdp *m, double *pi, rl_error *err)
{
    rl_csv c;
    int rc = rl_csv_open(&c, path, NULL, err);
    if (rc != RL_OK)
        return rc;
    columns k;
    rc = find_columns(&c, "probability", "header needs the columns row, col, action, probability",
                      &k, err);
    int c_action = rl_csv_column(&c, "action", NULL);
    if (rc == RL_OK && c_action < 0)
        rc = file_error(err, RL_EPARSE, path, 1,
                        "header needs the columns row, col, action, probability");
    for (size_t i = 0; i < m->n_states * m->n_actions; i++)
        pi[i] = NAN;
    char first[32] = "";
    while (rc == RL_OK && (rc = rl_csv_next(&c, err)) == 1) {
        rc = RL_OK;
        if (!first_run(&c, &k, first, sizeof first))
            continue;
        size_t s = 0;
        double p;
        int a = rl_mdp_action_index(m, rl_csv_field(&c, c_action));
        if ((rc = row_cell(&c, &k, m, &s, err)) != RL_OK)
            break;
        if (a < 0) {
            rl_error_set(err, RL_EINVAL, "unknown action '%.32s' for this env",
                         rl_csv_field(&c, c_action));
            rc = rl_error_locate(err, RL_EINVAL, path, (int)c.line_no, 0, NULL);
        } else if (!rl_csv_double(&c, k.key, &p) || !(p >= 0 && p <= 1)) {
            rc = file_error(err, RL_ERANGE, path, (int)c.line_no, "probability is not in [0, 1]");
        } else {
            pi[s * m->n_actions + (size_t)a] = p;
        }
    }
    rl_csv_close(&c);
    if (rc != RL_OK)
        return rc;
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
    errno = 0;
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
    if (rc == RL_OK && ferror(f)) /* a folder reads as an error, not as no rows */
        rc = rl_error_set(err, RL_EIO, "cannot read '%s': %s", path,
                          strerror(errno ? errno : EIO));
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
    rl_csv c;
    int rc = rl_csv_open(&c, path, NULL, err);
    if (rc != RL_OK)
        return rc;
    columns k;
    rc = find_columns(&c, "value", "header needs the columns row, col, value", &k, err);
    for (size_t s = 0; s < m->n_states; s++)
        v[s] = 0.0;
    char first[32] = "";
    while (rc == RL_OK && (rc = rl_csv_next(&c, err)) == 1) {
        rc = RL_OK;
        if (!first_run(&c, &k, first, sizeof first))
            continue;
        size_t s = 0;
        double value;
        if ((rc = row_cell(&c, &k, m, &s, err)) != RL_OK)
            break;
        if (!rl_csv_double(&c, k.key, &value))
            rc = file_error(err, RL_EPARSE, path, (int)c.line_no, "value is not a finite number");
        else if (!isnan(value))
            v[s] = rl_mdp_is_decision(m, s) ? value : 0.0;
    }
    rl_csv_close(&c);
    return rc;
}

/* The lines of a picture, their labels and colours: see series.h. */
#include "experiments/plot/series.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/io/csv.h"
#include "experiments/io/output.h"

const char *rl_plot_experiment_cell(const rl_plot_experiment *e, size_t k, size_t j)
{
    return e->cells[k * e->n_columns + j];
}

void rl_plot_experiment_free(rl_plot_experiment *e)
{
    for (size_t i = 0; e->columns && i < e->n_columns; i++)
        free(e->columns[i]);
    for (size_t i = 0; e->cells && i < e->n_configs * e->n_columns; i++)
        free(e->cells[i]);
    free(e->columns);
    free(e->cells);
    free(e->selected);
    memset(e, 0, sizeof *e);
}

/* The value of key in section of DIR/config.ini, as gridrl writes it ("key = value"); false
 * when absent. */
static bool ini_value(const char *dir, const char *section, const char *key, char *out,
                      size_t size)
{
    char path[RL_OUTPUT_PATH_MAX + 16], line[512], header[64];
    snprintf(path, sizeof path, "%.4000s/config.ini", dir);
    snprintf(header, sizeof header, "[%s]", section);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool inside = false, found = false;
    size_t klen = strlen(key);
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '[')
            inside = strcmp(line, header) == 0;
        else if (inside && strncmp(line, key, klen) == 0 && strncmp(line + klen, " = ", 3) == 0) {
            snprintf(out, size, "%s", line + klen + 3);
            found = true;
        }
    }
    fclose(f);
    return found;
}

/* A whole number of config.ini's [experiment] section, or fallback when it is absent or not
 * a plain number (results of a version without the key). */
static size_t experiment_count(const char *dir, const char *key, size_t fallback)
{
    char text[64], *end;
    if (!ini_value(dir, "experiment", key, text, sizeof text) || !isdigit((unsigned char)text[0]))
        return fallback;
    errno = 0;
    unsigned long long n = strtoull(text, &end, 10);
    return errno || *end || n > SIZE_MAX ? fallback : (size_t)n;
}

int rl_plot_experiment_read(const char *dir, rl_plot_experiment *e, rl_error *err)
{
    memset(e, 0, sizeof *e);
    e->dir = dir;
    char path[RL_OUTPUT_PATH_MAX];
    snprintf(path, sizeof path, "%s/configs.csv", dir);
    rl_csv in;
    int rc = rl_csv_open(&in, path, NULL, err);
    if (rc != RL_OK)
        return rc;
    e->n_columns = in.n_names;
    e->columns = calloc(e->n_columns, sizeof *e->columns);
    rc = e->columns ? RL_OK : rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t i = 0; rc == RL_OK && i < e->n_columns; i++)
        if (!(e->columns[i] = strdup(in.names[i])))
            rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    if (rc == RL_OK && (e->n_columns < 2 || strcmp(e->columns[0], "config") != 0 ||
                        strcmp(e->columns[1], "algorithm") != 0))
        rc = rl_csv_error(&in, -1, err, "expected the columns config,algorithm,... of "
                                        "configs.csv");
    size_t capacity = 0;
    while (rc == RL_OK && (rc = rl_csv_next(&in, err)) == 1) {
        rc = RL_OK;
        size_t config;
        if (!rl_csv_size(&in, 0, &config) || config != e->n_configs) {
            rc = rl_csv_error(&in, 0, err, "configuration %zu expected", e->n_configs);
            break;
        }
        if (e->n_configs == capacity) {
            capacity = capacity ? 2 * capacity : 16;
            char **cells = realloc(e->cells, capacity * e->n_columns * sizeof *cells);
            if (!cells) {
                rc = rl_error_set(err, RL_ENOMEM, "out of memory");
                break;
            }
            e->cells = cells;
        }
        char **row = e->cells + e->n_configs * e->n_columns;
        for (size_t i = 0; i < e->n_columns; i++)
            row[i] = NULL;
        e->n_configs++;
        for (size_t i = 0; rc == RL_OK && i < e->n_columns; i++)
            if (!(row[i] = strdup(in.field[i])))
                rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    }
    rl_csv_close(&in);
    if (rc == RL_OK && !(e->selected = malloc((e->n_configs ? e->n_configs : 1) * sizeof(bool))))
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    if (rc != RL_OK) {
        rl_plot_experiment_free(e);
        return rc;
    }
    for (size_t k = 0; k < e->n_configs; k++)
        e->selected[k] = true;
    if (!ini_value(dir, "experiment", "name", e->name, sizeof e->name)) {
        const char *slash = strrchr(dir, '/');
        snprintf(e->name, sizeof e->name, "%s", slash && slash[1] ? slash + 1 : dir);
    }
    /* A map file or an MDP file is named by its file name. */
    char map[RL_OUTPUT_PATH_MAX];
    if ((ini_value(dir, "env", "map", map, sizeof map) && map[0]) ||
        (ini_value(dir, "env", "file", map, sizeof map) && map[0])) {
        const char *slash = strrchr(map, '/');
        snprintf(e->env, sizeof e->env, "%.150s", slash ? slash + 1 : map);
    } else {
        ini_value(dir, "env", "preset", e->env, sizeof e->env);
    }
    /* A swept env: name it by its sweep, not by one of its values. */
    if (strchr(e->env, ','))
        e->env[0] = '\0';
    e->log_every_episodes = experiment_count(dir, "log_every_episodes", 1);
    e->score_episodes = experiment_count(dir, "score_episodes", 0);
    char flag[16];
    e->cumulative_reward = ini_value(dir, "experiment", "log_cumulative_reward", flag,
                                     sizeof flag) &&
                           strcmp(flag, "true") == 0;
    return RL_OK;
}

/* ---- --configs ---- */

static bool same_value(const char *a, const char *b)
{
    char *end_a, *end_b;
    double x = strtod(a, &end_a), y = strtod(b, &end_b);
    if (a[0] && b[0] && !*end_a && !*end_b)
        return x == y;
    return strcmp(a, b) == 0;
}

/* The column called key in e, or -1. */
static int column_of(const rl_plot_experiment *e, const char *key, size_t len)
{
    for (size_t j = 1; j < e->n_columns; j++)
        if (strlen(e->columns[j]) == len && strncmp(e->columns[j], key, len) == 0)
            return (int)j;
    return -1;
}

/* Whether configuration k of e matches every key of the key=value terms of spec. */
static bool matches(const rl_plot_experiment *e, size_t k, const char *spec)
{
    /* For each distinct key: does one of its terms match? */
    for (const char *t = spec; *t;) {
        size_t len = strcspn(t, ","), klen = strcspn(t, "=");
        bool first = true; /* only the first term of each key decides for that key */
        for (const char *u = spec; u < t; u += strcspn(u, ",") + 1)
            if (strcspn(u, "=") == klen && strncmp(u, t, klen) == 0)
                first = false;
        if (first) {
            int j = column_of(e, t, klen);
            bool any = false;
            for (const char *u = t; *u; u += strcspn(u, ",") + (u[strcspn(u, ",")] == ',')) {
                size_t ulen = strcspn(u, ",");
                if (strcspn(u, "=") != klen || strncmp(u, t, klen) != 0)
                    continue;
                char value[256];
                snprintf(value, sizeof value, "%.*s", (int)(ulen - klen - 1), u + klen + 1);
                if (j >= 0 && same_value(rl_plot_experiment_cell(e, k, (size_t)j), value))
                    any = true;
            }
            if (!any)
                return false;
        }
        t += len + (t[len] == ',');
    }
    return true;
}

int rl_plot_select(rl_plot_experiment *e, size_t n, const char *spec, rl_error *err)
{
    if (!spec)
        return RL_OK;
    bool by_key = strchr(spec, '=') != NULL;
    size_t most = 0;
    for (size_t i = 0; i < n; i++) {
        most = e[i].n_configs > most ? e[i].n_configs : most;
        for (size_t k = 0; k < e[i].n_configs; k++)
            e[i].selected[k] = false;
    }
    for (const char *t = spec;;) {
        size_t len = strcspn(t, ",");
        char term[256];
        snprintf(term, sizeof term, "%.*s", (int)len, t);
        if (!len)
            return rl_error_set(err, RL_EINVAL, "--configs: an empty term in '%s'", spec);
        if (by_key) {
            const char *eq = strchr(term, '=');
            if (!eq || eq == term || !eq[1])
                return rl_error_set(err, RL_EINVAL,
                                    "--configs: '%s' is not key=value (use either numbers "
                                    "or key=value terms)",
                                    term);
            bool known = false;
            for (size_t i = 0; i < n; i++)
                known |= column_of(&e[i], term, (size_t)(eq - term)) >= 0;
            if (!known) {
                char keys[512] = "";
                for (size_t j = 1; j < e[0].n_columns; j++)
                    snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s%s",
                             j > 1 ? ", " : "", e[0].columns[j]);
                return rl_error_set(err, RL_EINVAL,
                                    "--configs: no swept key '%.*s' in %s/configs.csv "
                                    "(its columns: %s)",
                                    (int)(eq - term), term, e[0].dir, keys);
            }
        } else {
            unsigned long long a, b;
            char extra;
            int got = sscanf(term, "%llu-%llu%c", &a, &b, &extra);
            if (got == 1 && strchr(term, '-'))
                got = 0;
            if (got == 1)
                b = a;
            if ((got != 1 && got != 2) || term[0] < '0' || term[0] > '9' || b < a)
                return rl_error_set(err, RL_EINVAL,
                                    "--configs: '%s' is not a configuration number, a range "
                                    "N-M or key=value",
                                    term);
            if (b >= most)
                return rl_error_set(err, RL_EINVAL,
                                    "--configs: no configuration %llu (%s has %zu: 0-%zu)",
                                    b, e[0].dir, e[0].n_configs,
                                    e[0].n_configs ? e[0].n_configs - 1 : 0);
            for (size_t i = 0; i < n; i++)
                for (size_t k = (size_t)a; k <= (size_t)b && k < e[i].n_configs; k++)
                    e[i].selected[k] = true;
        }
        if (!t[len])
            break;
        t += len + 1;
    }
    size_t drawn = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < e[i].n_configs; k++) {
            if (by_key)
                e[i].selected[k] = matches(&e[i], k, spec);
            drawn += e[i].selected[k];
        }
    if (!drawn)
        return rl_error_set(err, RL_EINVAL, "--configs: no configuration matches '%s'", spec);
    return RL_OK;
}

/* ---- names ---- */

void rl_plot_algorithm_name(const char *algorithm, bool ascii, char *out, size_t size)
{
    static const struct {
        const char *name, *readable, *ascii;
    } NAMES[] = {
        {"policy_evaluation", "policy evaluation", NULL},
        {"value_iteration", "value iteration", NULL},
        {"policy_iteration", "policy iteration", NULL},
        {"truncated_policy_iteration", "truncated policy iteration", NULL},
        {"mc_basic", "MC Basic", NULL},
        {"mc_exploring_starts", "MC Exploring Starts", NULL},
        {"mc_epsilon_greedy", "MC ε-greedy", "MC epsilon-greedy"},
        {"mc_prediction", "MC prediction", NULL},
        {"td0", "TD(0)", NULL},
        {"n_step_td", "n-step TD", NULL},
        {"lambda_return", "λ-return", "lambda-return"},
        {"td_lambda", "TD(λ)", "TD(lambda)"},
        {"true_online_td", "true online TD(λ)", "true online TD(lambda)"},
        {"sarsa", "Sarsa", NULL},
        {"expected_sarsa", "Expected Sarsa", NULL},
        {"n_step_sarsa", "n-step Sarsa", NULL},
        {"sarsa_lambda", "Sarsa(λ)", "Sarsa(lambda)"},
        {"q_learning", "Q-learning", NULL},
        {"double_q_learning", "Double Q-learning", NULL},
        {"dyna_q", "Dyna-Q", NULL},
        {"dyna_q_plus", "Dyna-Q+", NULL},
        {"td_linear", "TD-Linear", NULL},
        {"sarsa_linear", "Sarsa (linear)", NULL},
        {"q_learning_linear", "Q-learning (linear)", NULL},
        {"lstd", "LSTD", NULL},
        {"dqn", "DQN", NULL},
        {"random", "random", NULL},
    };
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (strcmp(NAMES[i].name, algorithm) == 0) {
            snprintf(out, size, "%s", ascii && NAMES[i].ascii ? NAMES[i].ascii : NAMES[i].readable);
            return;
        }
    snprintf(out, size, "%s", algorithm);
    for (char *c = out; *c; c++)
        if (*c == '_')
            *c = ' ';
}

/* A key as a picture writes it: the Greek letter of the step size, exploration rate,
 * discount and trace decay. */
static const char *key_name(const char *key, bool ascii)
{
    static const char *const GREEK[][2] = {
        {"alpha", "α"}, {"epsilon", "ε"}, {"gamma", "γ"}, {"lambda", "λ"},
    };
    for (size_t i = 0; !ascii && i < sizeof GREEK / sizeof GREEK[0]; i++)
        if (strcmp(key, GREEK[i][0]) == 0)
            return GREEK[i][1];
    return key;
}

static void append(char *out, size_t size, const char *fmt, const char *a, const char *b)
{
    size_t used = strlen(out);
    if (used < size)
        snprintf(out + used, size - used, fmt, a, b);
}

void rl_plot_label(const rl_plot_experiment *e, size_t k, const char *skip,
                   bool with_experiment, bool ascii, char *out, size_t size)
{
    rl_plot_algorithm_name(rl_plot_experiment_cell(e, k, 1), ascii, out, size);
    for (size_t j = 2; j < e->n_columns; j++)
        if (!skip || strcmp(e->columns[j], skip) != 0)
            append(out, size, ", %s = %s", key_name(e->columns[j], ascii),
                   rl_plot_experiment_cell(e, k, j));
    if (with_experiment)
        append(out, size, " (%s)%s", e->name, "");
}

void rl_plot_group(const rl_plot_experiment *e, size_t k, const char *skip, char *out,
                   size_t size)
{
    snprintf(out, size, "%s", rl_plot_experiment_cell(e, k, 1));
    for (size_t j = 2; j < e->n_columns; j++) {
        const char *v = rl_plot_experiment_cell(e, k, j);
        char *end;
        strtod(v, &end);
        if ((!skip || strcmp(e->columns[j], skip) != 0) && (!v[0] || *end))
            append(out, size, "|%s=%s", e->columns[j], v);
    }
}

void rl_plot_title(const rl_plot_experiment *e, size_t n, char *out, size_t size)
{
    out[0] = '\0';
    bool same_env = true;
    for (size_t i = 0; i < n; i++) {
        append(out, size, "%s%s", i ? " + " : "", e[i].name);
        same_env &= strcmp(e[i].env, e[0].env) == 0;
    }
    if (n && same_env && e[0].env[0])
        append(out, size, "%s%s", " on ", e[0].env);
}

/* ---- colours ---- */

/* A qualitative palette (Tableau 10): the first two are Sutton & Barto's blue and red. */
static const unsigned PALETTE[10] = {0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd,
                                     0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

/* Colour c mixed with target: t = 0 is c, 1 is target. */
static unsigned mix(unsigned c, unsigned target, double t)
{
    unsigned out = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
        double a = (c >> shift) & 0xff, b = (target >> shift) & 0xff;
        out |= (unsigned)lround(a + (b - a) * t) << shift;
    }
    return out;
}

/* Shade i of m of a hue, dark to light: from the hue mixed 45% with black, through the hue,
 * to it mixed 55% with white. */
static unsigned shade(unsigned hue, size_t i, size_t m)
{
    if (m <= 1)
        return hue;
    double t = (double)i / (double)(m - 1);
    return t < 0.5 ? mix(hue, 0x000000, 0.45 * (1 - 2 * t)) : mix(hue, 0xffffff, 0.55 * (2 * t - 1));
}

void rl_plot_colour(rl_plot_series *s, size_t n)
{
    /* The groups in order of first appearance, and each member's place in its group among
     * the members of the same experiment. */
    size_t *group = calloc(n ? n : 1, sizeof *group), n_groups = 0;
    if (!group) {
        for (size_t i = 0; i < n; i++) {
            snprintf(s[i].colour, sizeof s[i].colour, "#%06x", PALETTE[i % 10]);
            s[i].dash = 1;
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        size_t g = n_groups;
        for (size_t j = 0; j < i; j++)
            if (strcmp(s[j].group, s[i].group) == 0) {
                g = group[j];
                break;
            }
        group[i] = g;
        n_groups += g == n_groups;
    }
    for (size_t i = 0; i < n; i++) {
        size_t place = 0, members = 0;
        for (size_t j = 0; j < n; j++)
            if (group[j] == group[i] && s[j].experiment == s[i].experiment) {
                place += j < i;
                members++;
            }
        unsigned colour = n_groups == 1 ? PALETTE[place % 10]
                                        : shade(PALETTE[group[i] % 10], place, members);
        snprintf(s[i].colour, sizeof s[i].colour, "#%06x", colour);
        s[i].dash = (int)(s[i].experiment % 5) + 1;
    }
    free(group);
}

void rl_plot_series_make(const rl_plot_experiment *e, size_t n_experiments, const char *skip,
                         bool ascii, rl_plot_series *series, size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < n_experiments; i++)
        for (size_t k = 0; k < e[i].n_configs; k++) {
            if (!e[i].selected[k])
                continue;
            rl_plot_series *s = &series[(*n)++];
            memset(s, 0, sizeof *s);
            s->id = e[i].first_id + k;
            s->experiment = i;
            s->config = k;
            rl_plot_label(&e[i], k, skip, n_experiments > 1, ascii, s->label, sizeof s->label);
            rl_plot_group(&e[i], k, skip, s->group, sizeof s->group);
        }
    rl_plot_colour(series, *n);
}

int rl_plot_series_write(const char *plots, const char *name, const rl_plot_series *s,
                         size_t n, rl_error *err)
{
    rl_output_file o;
    int rc = rl_output_open(&o, plots, name, err);
    if (rc != RL_OK)
        return rc;
    fprintf(o.f, "series\texperiment\tconfig\tlabel\tcolour\tdash\n");
    for (size_t i = 0; i < n; i++)
        fprintf(o.f, "%zu\t%zu\t%zu\t%s\t%s\t%d\n", s[i].id, s[i].experiment, s[i].config,
                s[i].label, s[i].colour, s[i].dash);
    return rl_output_commit(&o, err);
}

/* `gridrl list`: what a config can name, read from the registries themselves.
 *
 * Env types and agents print their parameter tables (the same tables that validate config
 * values, so this listing cannot drift from what is accepted); presets print the defaults
 * they replace and their suggestions for gamma and max_steps.
 */
#include <stdlib.h>
#include <string.h>

#include "agents/registry.h"
#include "envs/map.h"
#include "envs/preset.h"
#include "envs/registry.h"
#include "experiments/cli/cli.h"
#include "experiments/cli/options.h"
#include "experiments/runner/plan.h"
#include "rl/features.h"

const char rl_cli_list_help[] =
    "usage: gridrl list [--names] [envs|presets|agents|features|experiment]...\n"
    "\n"
    "Lists what a config file can name: every environment type with its [env] parameters\n"
    "(type, default, allowed range, meaning), the shipped presets with the defaults they\n"
    "replace and their suggested agent.gamma and experiment.max_steps, every algorithm\n"
    "with its [agent] parameters, and the feature kinds of the approximating learners\n"
    "with the keys each reads. With arguments, only those sections.\n"
    "\n"
    "options:\n"
    "  --names      only the names, one a line (env types, presets and their aliases,\n"
    "               algorithms, feature kinds, [experiment] keys): what shell completion\n"
    "               reads\n"
    "  -h, --help   show this help\n"
    "\n"
    "examples:\n"
    "  gridrl list\n"
    "  gridrl list presets\n"
    "  gridrl list envs agents\n"
    "  gridrl list features\n"
    "  gridrl list --names presets\n";

enum { SHOW_ENVS = 1, SHOW_PRESETS = 2, SHOW_AGENTS = 4, SHOW_FEATURES = 8, SHOW_EXPERIMENT = 16 };

static const char *kind_name(rl_param_kind kind)
{
    switch (kind) {
    case RL_PARAM_BOOL: return "bool";
    case RL_PARAM_INT: return "int";
    case RL_PARAM_DOUBLE: return "real";
    case RL_PARAM_STRING: return "text";
    case RL_PARAM_CHOICE: return "choice";
    }
    return "?";
}

/* The parameter table as aligned text: name, type, default, range, doc. */
static int print_params(const rl_param_spec *table)
{
    size_t n = table ? rl_param_count(table) : 0;
    if (n == 0) {
        printf("    (no parameters)\n");
        return RL_CLI_OK;
    }
    enum { COLS = 5, RANGE_MAX = 96 };
    const char **cells = calloc((n + 1) * COLS, sizeof *cells);
    char(*ranges)[RANGE_MAX] = calloc(n, sizeof *ranges);
    if (!cells || !ranges) {
        free(cells);
        free(ranges);
        fprintf(stderr, "gridrl: out of memory\n");
        return RL_CLI_FAILURE;
    }
    const char *header[COLS] = {"parameter", "type", "default", "range", "meaning"};
    memcpy(cells, header, sizeof header);
    for (size_t i = 0; i < n; i++) {
        const rl_param_spec *spec = &table[i];
        const char **row = cells + (i + 1) * COLS;
        rl_param_describe_range(spec, ranges[i], RANGE_MAX);
        row[0] = spec->name;
        row[1] = kind_name(spec->kind);
        /* No default: the key is optional; an empty default: "nothing" (no wind, no jumps). */
        row[2] = !spec->default_text ? "-" : spec->default_text[0] ? spec->default_text : "\"\"";
        /* Free text is checked by its owner: there is no range to state. */
        row[3] = spec->kind != RL_PARAM_STRING && ranges[i][0] ? ranges[i] : "-";
        row[4] = spec->doc ? spec->doc : "";
    }
    rl_cli_print_table(stdout, "    ", n + 1, COLS, cells);
    free(cells);
    free(ranges);
    return RL_CLI_OK;
}

static int list_envs(void)
{
    printf("ENVIRONMENTS ([env] section)\n");
    for (const rl_env_type *const *t = rl_env_types; *t; t++) {
        printf("\n  %s: %s\n", (*t)->name, (*t)->doc);
        int rc = print_params((*t)->params);
        if (rc != RL_CLI_OK)
            return rc;
    }
    return RL_CLI_OK;
}

/* Same text, or the same number written differently ("1" and "1.0"). */
static bool same_value(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return true;
    char *end_a, *end_b;
    double x = strtod(a, &end_a), y = strtod(b, &end_b);
    return end_a != a && end_b != b && !*end_a && !*end_b && x == y;
}

/* The default text of the gridworld key, or "" if it has none. */
static const char *env_default(const char *key)
{
    for (const rl_env_type *const *t = rl_env_types; *t; t++) {
        const rl_param_spec *spec = rl_param_find((*t)->params, key);
        if (spec)
            return spec->default_text ? spec->default_text : "";
    }
    return "";
}

static int print_preset(const rl_preset *p)
{
    printf("\n  %s: %s\n", p->name, p->doc);

    rl_map *map = NULL;
    const char *text = rl_preset_map_text(p->map);
    char size[64] = "?";
    if (text && rl_map_parse(text, p->name, &map, NULL) == RL_OK)
        snprintf(size, sizeof size, "%zux%zu", map->rows, map->cols);
    rl_map_free(map);
    char gamma[32] = "none", steps[32] = "none";
    if (p->gamma >= 0)
        snprintf(gamma, sizeof gamma, "%g", p->gamma);
    if (p->max_steps > 0)
        snprintf(steps, sizeof steps, "%ld", p->max_steps);
    printf("    map %s (%s); suggested agent.gamma = %s, experiment.max_steps = %s\n", p->map,
           size, gamma, steps);

    /* One row per "key = value" line of the settings. */
    size_t n = 0;
    for (const char *c = p->settings; *c; c++)
        n += *c == '\n';
    enum { COLS = 3, FIELD = 128 };
    const char **cells = calloc((n + 1) * COLS, sizeof *cells);
    char(*texts)[FIELD] = calloc((n + 1) * COLS, sizeof *texts);
    if (!cells || !texts) {
        free(cells);
        free(texts);
        fprintf(stderr, "gridrl: out of memory\n");
        return RL_CLI_FAILURE;
    }
    const char *header[COLS] = {"sets", "to", "default"};
    memcpy(cells, header, sizeof header);
    size_t rows = 1;
    for (const char *line = p->settings; *line && rows <= n;) {
        size_t len = strcspn(line, "\n");
        const char *eq = memchr(line, '=', len);
        if (eq) {
            size_t klen = (size_t)(eq - line);
            while (klen > 0 && line[klen - 1] == ' ')
                klen--;
            const char *v = eq + 1;
            while (*v == ' ')
                v++;
            char *key = texts[rows * COLS], *value = texts[rows * COLS + 1];
            char *dflt = texts[rows * COLS + 2];
            snprintf(key, FIELD, "%.*s", (int)klen, line);
            snprintf(value, FIELD, "%.*s", (int)(line + len - v), v);
            const char *d = env_default(key);
            if (same_value(value, d))
                snprintf(dflt, FIELD, "(same)");
            else
                snprintf(dflt, FIELD, "%s", d[0] ? d : "\"\"");
            for (size_t c = 0; c < COLS; c++)
                cells[rows * COLS + c] = texts[rows * COLS + c];
            rows++;
        }
        line += len + (line[len] == '\n');
    }
    rl_cli_print_table(stdout, "    ", rows, COLS, cells);
    free(cells);
    free(texts);
    return RL_CLI_OK;
}

static int list_presets(void)
{
    printf("PRESETS ([env] preset = NAME; gridrl show NAME draws one)\n");
    for (const rl_preset *const *p = rl_presets; *p; p++) {
        int rc = print_preset(*p);
        if (rc != RL_CLI_OK)
            return rc;
    }
    printf("\n  aliases (Gymnasium's ids; their action orders differ from ours, see README):\n");
    for (const rl_preset_alias *a = rl_preset_aliases; a->alias; a++)
        printf("    %s = %s\n", a->alias, a->name);
    return RL_CLI_OK;
}

/* --names: one name a line, for shell completion. */
static void print_param_names(const rl_param_spec *table)
{
    size_t n = table ? rl_param_count(table) : 0;
    for (size_t i = 0; i < n; i++)
        printf("%s\n", table[i].name);
}

static int names_envs(void)
{
    for (const rl_env_type *const *t = rl_env_types; *t; t++)
        printf("%s\n", (*t)->name);
    return RL_CLI_OK;
}

static int names_presets(void)
{
    for (const rl_preset *const *p = rl_presets; *p; p++)
        printf("%s\n", (*p)->name);
    for (const rl_preset_alias *a = rl_preset_aliases; a->alias; a++)
        printf("%s\n", a->alias);
    return RL_CLI_OK;
}

static int names_agents(void)
{
    const rl_agent *a;
    for (size_t i = 0; (a = rl_agent_at(i)); i++)
        printf("%s\n", rl_agent_name(a));
    return RL_CLI_OK;
}

static int names_features(void)
{
    for (const rl_feature_type *const *t = rl_feature_types; *t; t++)
        printf("%s\n", (*t)->name);
    return RL_CLI_OK;
}

static int names_experiment(void)
{
    print_param_names(rl_experiment_params);
    return RL_CLI_OK;
}

static int list_agents(void)
{
    printf("AGENTS ([agent] algorithm = NAME)\n");
    if (!rl_agent_at(0)) {
        printf("\n  (none yet)\n");
        return RL_CLI_OK;
    }
    const rl_agent *a;
    for (size_t i = 0; (a = rl_agent_at(i)); i++) {
        printf("\n  %s (%s): %s\n", rl_agent_name(a),
               a->kind == RL_AGENT_PLANNER ? "planner" : "learner", rl_agent_doc(a));
        int rc = print_params(rl_agent_params(a));
        if (rc != RL_CLI_OK)
            return rc;
    }
    return RL_CLI_OK;
}

static int list_features(void)
{
    printf("FEATURES ([agent] features = NAME, for td_linear, sarsa_linear, "
           "q_learning_linear, lstd)\n\n");
    printf("  the keys every kind shares (each kind reads those it needs):\n");
    int rc = print_params(rl_feature_params);
    for (const rl_feature_type *const *t = rl_feature_types; rc == RL_CLI_OK && *t; t++) {
        printf("\n  %s: %s\n", (*t)->name, (*t)->doc);
        rc = print_params((*t)->params);
    }
    return rc;
}

static int list_experiment(void)
{
    printf("EXPERIMENT ([experiment] section; these keys never sweep)\n\n");
    return print_params(rl_experiment_params);
}

static bool parse_topic(const char *arg, unsigned *topics)
{
    static const struct {
        const char *name, *singular;
        unsigned bit;
    } TOPICS[] = {
        {"envs", "env", SHOW_ENVS},
        {"presets", "preset", SHOW_PRESETS},
        {"agents", "agent", SHOW_AGENTS},
        {"features", "feature", SHOW_FEATURES},
        {"experiment", "experiments", SHOW_EXPERIMENT},
    };
    for (size_t i = 0; i < sizeof TOPICS / sizeof TOPICS[0]; i++) {
        if (strcmp(arg, TOPICS[i].name) == 0 || strcmp(arg, TOPICS[i].singular) == 0) {
            *topics |= TOPICS[i].bit;
            return true;
        }
    }
    return false;
}

int rl_cli_list(const rl_cli_command *cmd, int argc, char **argv)
{
    unsigned topics = 0;
    const char *topic_names[8];
    rl_positionals pos = {topic_names, 8, 0, "section"};
    bool names_only = false;
    const rl_option options[] = {{"--names", RL_OPTION_FLAG, &names_only, NULL, 0, 0},
                                 {NULL, 0, NULL, NULL, 0, 0}};
    int status = rl_options_parse(cmd, argc, argv, options, &pos);
    if (status != RL_CLI_OK)
        return status == RL_OPTIONS_HELP ? RL_CLI_OK : status;
    for (size_t i = 0; i < pos.n; i++)
        if (!parse_topic(topic_names[i], &topics))
            return rl_cli_usage_error(cmd, "unknown section '%s' (valid: envs, presets, agents, "
                                           "features, experiment)",
                                      topic_names[i]);
    if (topics == 0)
        topics = SHOW_ENVS | SHOW_PRESETS | SHOW_AGENTS | SHOW_FEATURES | SHOW_EXPERIMENT;

    /* Sections in a fixed order, separated by a blank line. */
    int (*const sections[])(void) = {list_envs, list_presets, list_agents, list_features,
                                     list_experiment};
    int (*const names[])(void) = {names_envs, names_presets, names_agents, names_features,
                                  names_experiment};
    const unsigned bits[] = {SHOW_ENVS, SHOW_PRESETS, SHOW_AGENTS, SHOW_FEATURES,
                             SHOW_EXPERIMENT};
    bool first = true;
    for (size_t k = 0; k < 5; k++) {
        if (!(topics & bits[k]))
            continue;
        if (!first && !names_only)
            putchar('\n');
        first = false;
        int rc = names_only ? names[k]() : sections[k]();
        if (rc != RL_CLI_OK)
            return rc;
    }
    return fflush(stdout) == 0 ? RL_CLI_OK : RL_CLI_FAILURE;
}

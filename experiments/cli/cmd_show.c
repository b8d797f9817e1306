/* `gridrl show PRESET|MAP [-s key=value]...`: draws a gridworld and lists what it is made of.
 *
 * It goes through exactly the steps a run takes for its [env] section (set the keys, apply
 * the preset under them, load the map, compile the model), so what it shows is what a run
 * with the same keys would get, and every error is the one a run would report.
 */
#define _POSIX_C_SOURCE 200809L /* access */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "envs/gridworld.h"
#include "envs/map.h"
#include "envs/preset.h"
#include "experiments/cli/cli.h"
#include "experiments/runner/config.h"
#include "experiments/runner/plan.h"
#include "experiments/cli/grid_draw.h"
#include "experiments/cli/options.h"

const char rl_cli_show_help[] =
    "usage: gridrl show PRESET|MAP|CONFIG [-s key=value]... [--ascii] [--color=WHEN]\n"
    "\n"
    "Draws a gridworld and prints what it is made of: size, start cells, actions, jumps and\n"
    "wind, every [env] parameter with its value and where that value came from (default,\n"
    "preset or user), and the preset's suggested agent.gamma and experiment.max_steps.\n"
    "\n"
    "PRESET is a shipped preset (gridrl list presets). CONFIG (a .ini file) shows the env of\n"
    "the experiment's first configuration. Any other argument is read as a map file: one\n"
    "character per cell, first line on top; . plain, S start, G goal, X forbidden, # wall,\n"
    "C cliff, H hole.\n"
    "\n"
    "options:\n"
    "  -s, --set KEY=VALUE  set an [env] key (env.KEY=VALUE works too); repeatable\n"
    "      --ascii          draw with the map characters and an ASCII frame\n"
    "      --color=WHEN     colours: auto (when stdout is a terminal and NO_COLOR is\n"
    "                       unset; the default), always or never\n"
    "  -h, --help           show this help\n"
    "\n"
    "examples:\n"
    "  gridrl show zhao5x5\n"
    "  gridrl show cliff_walking --ascii\n"
    "  gridrl show frozenlake4x4 -s slip=0.2\n"
    "  gridrl show windy_gridworld -s actions=8 -s wind_noise=true\n"
    "  gridrl show maze.map -s goal_terminal=true -s reward_step=-1\n"
    "  gridrl show experiments/configs/zhao_fig7_2_sarsa.ini\n";

typedef struct options {
    const char *target;  /* the PRESET|MAP argument */
    rl_option_list sets; /* the -s arguments, in order */
    bool ascii;
    rl_cli_color color;
} options;

/* Parses argv into opt (opt->sets has room for argc entries). */
static int parse_options(const rl_cli_command *cmd, int argc, char **argv, options *opt)
{
    const char *color = NULL;
    const rl_option table[] = {
        {"-s|--set", RL_OPTION_LIST, &opt->sets, NULL, 0, 0},
        {"--ascii", RL_OPTION_FLAG, &opt->ascii, NULL, 0, 0},
        {"--color", RL_OPTION_STRING, &color, NULL, 0, 0},
        {NULL, 0, NULL, NULL, 0, 0},
    };
    rl_positionals pos = {&opt->target, 1, 0, "PRESET or MAP"};
    int rc = rl_options_parse(cmd, argc, argv, table, &pos);
    if (rc != RL_CLI_OK)
        return rc;
    if (color && !rl_cli_parse_color(color, &opt->color))
        return rl_cli_usage_error(cmd, "--color takes auto, always or never, not '%s'", color);
    if (!opt->target)
        return rl_cli_usage_error(cmd, "which gridworld? Give a PRESET or a MAP file");
    return RL_CLI_OK;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* A config file: its [env] keys as configuration 0 of its plan resolves them (map paths
 * relative to the config, the first value of a sweep axis). */
static int set_from_config(rl_params *params, const char *path)
{
    rl_error err;
    rl_error_clear(&err);
    rl_config *c = NULL;
    rl_plan *p = NULL;
    int rc = rl_config_load_file(path, &c, &err);
    if (rc == RL_OK)
        rc = rl_plan_build(c, &p, &err);
    /* show draws gridworlds: an MDP file is text to read as it stands. */
    if (rc == RL_OK && p->env_type != rl_gridworld) {
        rc = rl_error_set(&err, RL_EUNSUPPORTED,
                          "%s: env type %s is not a gridworld; gridrl show draws gridworlds "
                          "(an MDP file is best read as it stands)",
                          path, p->env_type->name);
    }
    for (size_t i = 0; rc == RL_OK && i < c->n_entries; i++) {
        const rl_config_entry *e = &c->entries[i];
        if (strcmp(e->section, "env") == 0)
            rc = rl_params_set(params, e->key, rl_params_text(p->configurations[0].env, e->key),
                               &err);
    }
    if (rc == RL_OK && p->n_configurations > 1)
        printf("%s: configuration 0 of %zu (the first value of each sweep axis)\n", path,
               p->n_configurations);
    rl_plan_free(p);
    rl_config_free(c);
    if (rc == RL_OK)
        return RL_CLI_OK;
    rl_cli_error(&err);
    return err.code == RL_ENOMEM ? RL_CLI_FAILURE : RL_CLI_USAGE;
}

/* Sets preset or map from the argument: a preset name wins, then a config (.ini), then a map
 * file. */
static int set_target(rl_params *params, const char *target, const rl_preset **preset)
{
    rl_error err;
    rl_error_clear(&err);
    int rc;
    *preset = rl_preset_find(target, &err);
    if (*preset) {
        rc = rl_params_set(params, "preset", target, &err);
    } else if (ends_with(target, ".ini")) {
        return set_from_config(params, target);
    } else if (ends_with(target, ".map") || access(target, F_OK) == 0) {
        rc = rl_params_set(params, "map", target, &err);
    } else {
        /* err lists the valid presets. */
        char buf[RL_ERROR_MESSAGE_MAX + 64];
        rl_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "gridrl: %s; and there is no map file '%s'\n", buf, target);
        return RL_CLI_USAGE;
    }
    return rc == RL_OK ? RL_CLI_OK : rl_cli_error(&err);
}

/* Applies one -s KEY=VALUE (or env.KEY=VALUE). */
static int set_key(const rl_cli_command *cmd, rl_params *params, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return rl_cli_usage_error(cmd, "-s takes KEY=VALUE, not '%s'", arg);
    char key[RL_ERROR_KEY_MAX];
    size_t klen = (size_t)(eq - arg);
    if (klen >= sizeof key)
        return rl_cli_usage_error(cmd, "no such key: '%.*s'", (int)klen, arg);
    snprintf(key, sizeof key, "%.*s", (int)klen, arg);
    const char *k = strncmp(key, "env.", 4) == 0 ? key + 4 : key;
    if (strchr(k, '.'))
        return rl_cli_usage_error(cmd, "show takes [env] keys only, not '%s'", key);
    rl_error err;
    rl_error_clear(&err);
    if (rl_params_set(params, k, eq + 1, &err) != RL_OK)
        return rl_cli_error(&err);
    return RL_CLI_OK;
}

/* The value a preset's settings ("key = value" lines) give key, or NULL. */
static const char *preset_value(const rl_preset *p, const char *key, char *buf, size_t size)
{
    if (!p)
        return NULL;
    size_t klen = strlen(key);
    for (const char *line = p->settings; *line;) {
        size_t len = strcspn(line, "\n");
        const char *after = line + klen + strspn(line + klen, " ");
        if (len > klen && strncmp(line, key, klen) == 0 && after < line + len && *after == '=') {
            const char *v = after + 1 + strspn(after + 1, " ");
            snprintf(buf, size, "%.*s", (int)(line + len - v), v);
            return buf;
        }
        line += len + (line[len] == '\n');
    }
    return NULL;
}

/* Everything drawn besides the cells: wind per column and jump labels. */
typedef struct extras {
    long *wind;          /* cols, or NULL */
    const char **labels; /* n_states, or NULL */
    char (*names)[4];    /* storage for the labels */
} extras;

static void extras_free(extras *x)
{
    free(x->wind);
    free(x->labels);
    free(x->names);
}

/* The model was compiled, so wind and jumps are known to be well formed. */
static int make_extras(const rl_mdp *m, const rl_params *params, extras *x)
{
    memset(x, 0, sizeof *x);
    const char *wind = rl_params_string(params, "wind");
    if (wind && strspn(wind, " \t") < strlen(wind)) {
        x->wind = calloc(m->cols, sizeof *x->wind);
        if (!x->wind)
            return RL_ENOMEM;
        const char *p = wind;
        for (size_t c = 0; c < m->cols; c++) {
            char *end;
            x->wind[c] = strtol(p, &end, 10);
            p = end;
        }
    }
    const char *jumps = rl_params_string(params, "jumps");
    if (jumps && strspn(jumps, " \t;") < strlen(jumps)) {
        x->labels = calloc(m->n_states, sizeof *x->labels);
        x->names = calloc(2 * m->n_states, sizeof *x->names);
        if (!x->labels || !x->names) {
            extras_free(x);
            return RL_ENOMEM;
        }
        /* Sources first, so a cell that is both keeps its source letter. */
        for (int pass = 0; pass < 2; pass++) {
            size_t k = 0;
            for (const char *g = jumps; *g; k++) {
                long r, c, tr, tc;
                double reward;
                size_t len = strcspn(g, ";");
                if (sscanf(g, "%ld %ld %ld %ld %lf", &r, &c, &tr, &tc, &reward) == 5) {
                    size_t s = pass == 0 ? rl_mdp_state(m, (size_t)r, (size_t)c)
                                         : rl_mdp_state(m, (size_t)tr, (size_t)tc);
                    char *name = x->names[pass * m->n_states + s];
                    if (!x->labels[s]) {
                        if (k < 26)
                            snprintf(name, 4, "%c", (pass == 0 ? 'A' : 'a') + (int)k);
                        else
                            snprintf(name, 4, "%s", pass == 0 ? "*" : "+");
                        x->labels[s] = name;
                    }
                } else {
                    k--; /* an empty group, e.g. a trailing ';' */
                }
                g += len + (g[len] == ';');
            }
        }
    }
    return RL_OK;
}

static void print_jumps(const rl_mdp *m, const rl_params *params, const extras *x)
{
    const char *jumps = rl_params_string(params, "jumps");
    if (!x->labels)
        return;
    const char *sep = "";
    printf("jumps        ");
    for (const char *g = jumps; *g;) {
        long r, c, tr, tc;
        double reward;
        size_t len = strcspn(g, ";");
        if (sscanf(g, "%ld %ld %ld %ld %lf", &r, &c, &tr, &tc, &reward) == 5) {
            size_t s = rl_mdp_state(m, (size_t)r, (size_t)c);
            size_t t = rl_mdp_state(m, (size_t)tr, (size_t)tc);
            printf("%s%s (%ld, %ld) -> %s (%ld, %ld), reward %+g", sep, x->labels[s], r, c,
                   x->labels[t], tr, tc, reward);
            sep = "\n             ";
        }
        g += len + (g[len] == ';');
    }
    printf("\n             every action in a lettered cell moves to its lowercase target\n");
}

/* Prints items separated by ", " from column col on, wrapping before column width to indent. */
static void print_wrapped(const char *const *items, size_t n, size_t col, size_t indent,
                          size_t width)
{
    for (size_t i = 0; i < n; i++) {
        size_t w = strlen(items[i]) + (i + 1 < n ? 1 : 0);
        if (i > 0 && col + 1 + w > width) {
            printf("\n%*s", (int)indent, "");
            col = indent;
        } else if (i > 0) {
            putchar(' ');
            col++;
        }
        printf("%s%s", items[i], i + 1 < n ? "," : "");
        col += w;
    }
    putchar('\n');
}

static int print_starts(const rl_mdp *m)
{
    size_t n = 0;
    bool has_s = false;
    for (size_t s = 0; s < m->n_states; s++) {
        n += m->start[s] > 0;
        has_s = has_s || m->cell[s] == 'S';
    }
    char (*text)[48] = calloc(n ? n : 1, sizeof *text);
    const char **items = calloc(n ? n : 1, sizeof *items);
    if (!text || !items) {
        free(text);
        free(items);
        return RL_ENOMEM;
    }
    size_t k = 0;
    for (size_t s = 0; s < m->n_states; s++) {
        if (m->start[s] > 0) {
            snprintf(text[k], sizeof text[k], "(%zu, %zu)", rl_mdp_row(m, s), rl_mdp_col(m, s));
            items[k] = text[k];
            k++;
        }
    }
    /* The label column is 13 wide; lists wrap before column 92. */
    int col = printf("start        ");
    if (!has_s)
        printf("no S in the map: uniform over the %zu cells that are not wall, terminal,\n"
               "             cliff or forbidden:\n             ",
               n);
    else if (n > 1)
        col += printf("uniform over %zu cells: ", n);
    print_wrapped(items, n, (size_t)col, 13, 92);
    free(text);
    free(items);
    return RL_OK;
}

static void print_model(const rl_mdp *m, const rl_map *map, const rl_params *params,
                        const rl_preset *preset, bool ascii)
{
    size_t open = 0, terminal = 0, walls = 0;
    for (size_t s = 0; s < m->n_states; s++) {
        open += m->kind[s] == RL_STATE_OPEN;
        terminal += m->kind[s] == RL_STATE_TERMINAL;
        walls += m->kind[s] == RL_STATE_WALL;
    }
    printf("size         %zux%zu (rows x cols), %zu states: %zu open, %zu terminal, %zu "
           "walls\n",
           map->rows, map->cols, m->n_states, open, terminal, walls);
    if (rl_params_has(params, "map") && rl_params_string(params, "map")[0])
        printf("map          file %s\n", rl_params_string(params, "map"));
    else
        printf("map          preset %s (embedded %s.map)\n", preset->name, preset->map);

    printf("actions      %zu:", m->n_actions);
    for (size_t a = 0; a < m->n_actions; a++)
        printf(" %s %s%s", m->action_names[a],
               rl_grid_arrow(m->action_drow[a], m->action_dcol[a], ascii),
               a + 1 < m->n_actions ? "," : "\n");

    /* Stochastic pairs, counted where the agent acts. */
    size_t pairs = 0, stochastic = 0;
    for (size_t s = 0; s < m->n_states; s++) {
        if (!rl_mdp_is_decision(m, s))
            continue;
        for (size_t a = 0; a < m->n_actions; a++) {
            size_t sa = s * m->n_actions + a;
            pairs++;
            stochastic += m->first[sa + 1] - m->first[sa] > 1;
        }
    }
    if (stochastic == 0)
        printf("dynamics     deterministic\n");
    else
        printf("dynamics     stochastic: %zu of %zu (state, action) pairs have several "
               "outcomes\n",
               stochastic, pairs);
}

static void print_suggestions(const rl_preset *preset, bool map_file)
{
    if (!preset) {
        printf("suggested    none (a map file suggests no agent.gamma or "
               "experiment.max_steps)\n");
        return;
    }
    printf("suggested    ");
    if (preset->gamma >= 0)
        printf("agent.gamma = %g", preset->gamma);
    else
        printf("no agent.gamma");
    if (preset->max_steps > 0)
        printf(", experiment.max_steps = %ld", preset->max_steps);
    else
        printf(", no experiment.max_steps");
    printf(" (from preset %s%s)\n", preset->name, map_file ? "; its map is replaced" : "");
}

/* Every key with its value and its source: user (the command line), preset or default. */
static int print_params(const rl_params *params, const bool *user_set, const rl_preset *preset,
                        bool color)
{
    const rl_param_spec *table = rl_params_table(params);
    size_t n = rl_param_count(table);
    enum { COLS = 3, FIELD = 160 };
    const char **cells = calloc((n + 1) * COLS, sizeof *cells);
    char(*texts)[FIELD] = calloc(n, sizeof *texts);
    if (!cells || !texts) {
        free(cells);
        free(texts);
        return RL_ENOMEM;
    }
    const char *header[COLS] = {"key", "value", "source"};
    memcpy(cells, header, sizeof header);
    for (size_t i = 0; i < n; i++) {
        const rl_param_spec *spec = &table[i];
        const char **row = cells + (i + 1) * COLS;
        char buf[FIELD];
        const char *from_preset = preset_value(preset, spec->name, buf, sizeof buf);
        const char *value = rl_params_has(params, spec->name) ? rl_params_text(params, spec->name)
                                                             : NULL;
        row[0] = spec->name;
        row[1] = !value || !value[0] ? "(none)" : value;
        char *source = texts[i];
        if (user_set[i] && from_preset)
            snprintf(source, FIELD, "user (preset: %.*s)", FIELD - 16,
                     from_preset[0] ? from_preset : "\"\"");
        else if (user_set[i])
            snprintf(source, FIELD, "user");
        else if (from_preset)
            snprintf(source, FIELD, "preset");
        else if (spec->default_text)
            snprintf(source, FIELD, "default");
        else
            snprintf(source, FIELD, "-");
        row[2] = source;
    }
    printf("\n%sparameters%s ([env] keys; user = set on the command line)\n",
           color ? "\033[1m" : "", color ? RL_GRID_RESET : "");
    rl_cli_print_table(stdout, "  ", n + 1, COLS, cells);
    free(cells);
    free(texts);
    return RL_OK;
}

/* Draws and describes the compiled gridworld. */
static int show(const rl_mdp *m, const rl_map *map, const rl_map *after,
                const rl_params *params, const bool *user_set, const rl_preset *preset,
                const options *opt)
{
    rl_grid_style style = {.color = rl_cli_use_color(stdout, opt->color), .ascii = opt->ascii};
    extras x;
    if (make_extras(m, params, &x) != RL_OK)
        return RL_ENOMEM;
    bool map_file = rl_params_has(params, "map") && rl_params_string(params, "map")[0];
    const char *bold = style.color ? "\033[1m" : "", *reset = style.color ? RL_GRID_RESET : "";
    if (preset && !map_file)
        printf("%s%s%s: %s\n\n", bold, preset->name, reset, preset->doc);
    else if (preset)
        printf("%s%s%s with map %s\n\n", bold, preset->name, reset,
               rl_params_string(params, "map"));
    else
        printf("%s%s%s\n\n", bold, rl_params_string(params, "map"), reset);

    rl_grid_view view = {
        .rows = map->rows,
        .cols = map->cols,
        .cells = map->cells,
        .text = x.labels,
        .wind = x.wind,
    };
    rl_grid_draw(stdout, &view, &style);
    rl_grid_legend(stdout, &view, &style);
    putchar('\n');
    if (after) {
        printf("after %ld steps (change_at) the map becomes%s%s:\n\n",
               rl_params_int(params, "change_at"),
               rl_params_has(params, "map_after") ? " " : "",
               rl_params_has(params, "map_after") ? rl_params_string(params, "map_after") : "");
        rl_grid_view second = {.rows = after->rows, .cols = after->cols, .cells = after->cells};
        rl_grid_draw(stdout, &second, &style);
        putchar('\n');
    }

    print_model(m, map, params, preset, opt->ascii);
    int rc = print_starts(m);
    if (rc == RL_OK) {
        print_jumps(m, params, &x);
        if (x.wind) {
            printf("wind         ");
            for (size_t c = 0; c < m->cols; c++)
                printf("%ld%s", x.wind[c], c + 1 < m->cols ? " " : "");
            printf(" (upward push per column, drawn under the grid)%s\n",
                   rl_params_bool(params, "wind_noise") ? "; noisy: +1, 0 or -1, 1/3 each"
                                                         : "");
        }
        print_suggestions(preset, map_file);
        rc = print_params(params, user_set, preset, style.color);
    }
    extras_free(&x);
    return rc;
}

int rl_cli_show(const rl_cli_command *cmd, int argc, char **argv)
{
    options opt = {.color = RL_CLI_COLOR_AUTO};
    opt.sets.values = calloc((size_t)argc, sizeof *opt.sets.values);
    if (!opt.sets.values) {
        fprintf(stderr, "gridrl: out of memory\n");
        return RL_CLI_FAILURE;
    }
    int status = parse_options(cmd, argc, argv, &opt);
    if (status != RL_CLI_OK) {
        free(opt.sets.values);
        return status == RL_OPTIONS_HELP ? RL_CLI_OK : status;
    }

    rl_error err;
    rl_error_clear(&err);
    rl_params *params = rl_params_alloc(rl_gridworld_params);
    size_t n_keys = rl_param_count(rl_gridworld_params);
    bool *user_set = calloc(n_keys, sizeof *user_set);
    rl_map *map = NULL, *after = NULL;
    rl_mdp *m = NULL;
    rl_env *env = NULL;
    const rl_preset *preset = NULL;
    if (!params || !user_set) {
        fprintf(stderr, "gridrl: out of memory\n");
        status = RL_CLI_FAILURE;
        goto done;
    }
    if ((status = set_target(params, opt.target, &preset)) != RL_CLI_OK)
        goto done;
    for (size_t i = 0; i < opt.sets.n; i++)
        if ((status = set_key(cmd, params, opt.sets.values[i])) != RL_CLI_OK)
            goto done;
    /* Which keys the user gave, before the preset fills in its own. */
    for (size_t i = 0; i < n_keys; i++)
        user_set[i] = rl_params_is_set(params, rl_gridworld_params[i].name);
    /* -s preset=NAME may name another preset than the argument. */
    if (rl_params_has(params, "preset") && rl_params_string(params, "preset")[0])
        preset = rl_preset_find(rl_params_string(params, "preset"), NULL);

    if (rl_gridworld_apply_preset(params, &err) != RL_OK ||
        rl_gridworld_load_map(params, &map, &err) != RL_OK) {
        /* A map that cannot be read is the user's input too. */
        status = err.code == RL_ENOMEM ? rl_cli_error(&err)
                                       : (rl_cli_error(&err), RL_CLI_USAGE);
        goto done;
    }
    if (rl_gridworld_compile(map, params, &m, &err) != RL_OK) {
        status = rl_cli_error(&err);
        goto done;
    }
    /* A map change: the second map, checked against the first as a run checks it. */
    if (rl_gridworld_load_map_after(params, &after, &err) != RL_OK ||
        ((after || rl_params_has(params, "change_at")) &&
         rl_env_alloc(rl_gridworld, params, &env, &err) != RL_OK)) {
        status = err.code == RL_ENOMEM ? rl_cli_error(&err)
                                       : (rl_cli_error(&err), RL_CLI_USAGE);
        goto done;
    }
    if (show(m, map, after, params, user_set, preset, &opt) != RL_OK) {
        fprintf(stderr, "gridrl: out of memory\n");
        status = RL_CLI_FAILURE;
        goto done;
    }
    status = fflush(stdout) == 0 ? RL_CLI_OK : RL_CLI_FAILURE;
done:
    rl_env_free(env);
    rl_mdp_free(m);
    rl_map_free(map);
    rl_map_free(after);
    rl_params_free(params);
    free(user_set);
    free(opt.sets.values);
    return status;
}

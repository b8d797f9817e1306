/* The map-driven gridworld: compiles a map and its [env] parameters into one exact rl_mdp,
 * and steps by sampling that model, so the simulator and the planners cannot disagree.
 *
 * Dynamics (README.md, "Writing a map"), in this order:
 *   1. a jump cell sends every action to its target with the jump's reward;
 *   2. the action's displacement, replaced with probability slip/2 by each perpendicular
 *      move for up/right/down/left (stay and diagonals never slip);
 *   3. no wind in the departure column: off the grid or into a wall is a bump (stay,
 *      reward_bump, plus reward_forbidden from a forbidden cell with bump_from_forbidden =
 *      sum); wind: new row = row + drow - wind, new col = col + dcol, each clipped
 *      to the grid, never a bump; a wall in the way stops the agent before it;
 *   4. otherwise the agent lands and earns the landing cell's reward.
 * Cliff cells send the agent back to a start cell; holes and (with goal_terminal) goals end
 * the episode.
 *
 * A map change (map_after, change_at; S&B's blocking and shortcut mazes): the env counts its
 * steps from its creation, and from step change_at + 1 on it samples the second map's model
 * (same size, same terminal cells, same parameters). Its space is the union of the two maps
 * (a cell is a wall only where both have one), so every state the agent can be in is a
 * state of the space; the agent caught in a cell that is a wall of the map in force (or put
 * there by reset_to) leaves it as from a plain cell of that map, and nothing enters it. Such
 * an env has no single exact model: model() is NULL.
 */
#include "envs/gridworld.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envs/preset.h"
#include "rl/alloc.h"

const rl_param_spec rl_gridworld_params[] = {
    {"preset", RL_PARAM_STRING, NULL, 0, 0, 0, NULL,
     "a shipped map + parameters (gridrl list presets)"},
    {"map", RL_PARAM_STRING, NULL, 0, 0, 0, NULL,
     "path of a map file, relative to the config file; overrides the preset's map"},
    {"actions", RL_PARAM_CHOICE, "5", 0, 0, 0, "2|4|5|8|9",
     "2: left right (random walks); 4: up right down left; 5: + stay; 8: + diagonals; "
     "9: + diagonals + stay"},
    {"reward_step", RL_PARAM_DOUBLE, "0", -HUGE_VAL, HUGE_VAL, 0, NULL,
     "reward for landing on a plain or start cell"},
    {"reward_bump", RL_PARAM_DOUBLE, "-1", -HUGE_VAL, HUGE_VAL, 0, NULL,
     "reward for moving off the grid or into a wall (the agent stays)"},
    {"reward_forbidden", RL_PARAM_DOUBLE, "-1", -HUGE_VAL, HUGE_VAL, 0, NULL,
     "reward for entering or staying in a forbidden cell X"},
    {"reward_goal", RL_PARAM_DOUBLE, "1", -HUGE_VAL, HUGE_VAL, 0, NULL,
     "reward for entering or staying in a goal cell G"},
    {"reward_cliff", RL_PARAM_DOUBLE, "-100", -HUGE_VAL, HUGE_VAL, 0, NULL,
     "reward for stepping into a cliff cell C (then back to a start cell)"},
    {"reward_hole", RL_PARAM_DOUBLE, "0", -HUGE_VAL, HUGE_VAL, 0, NULL,
     "reward for falling into a hole H (terminal)"},
    {"goal_terminal", RL_PARAM_BOOL, "false", 0, 0, 0, NULL,
     "whether entering a goal cell ends the episode"},
    {"slip", RL_PARAM_DOUBLE, "0", 0, 1, 0, NULL,
     "probability that up/right/down/left moves perpendicular instead (slip/2 each side)"},
    {"wind", RL_PARAM_STRING, "", 0, 0, RL_PARAM_NO_SWEEP, NULL,
     "upward wind per column: one integer per column, separated by spaces (empty: none)"},
    {"wind_noise", RL_PARAM_BOOL, "false", 0, 0, 0, NULL,
     "in windy columns the wind is one more, one less or as given, 1/3 each"},
    {"jumps", RL_PARAM_STRING, "", 0, 0, RL_PARAM_NO_SWEEP, NULL,
     "'row col to_row to_col reward' groups separated by ';': every action jumps"},
    {"bump_from_forbidden", RL_PARAM_CHOICE, "bump", 0, 0, 0, "bump|sum",
     "a bump made from a forbidden cell X earns reward_bump (Zhao's text), or "
     "reward_bump + reward_forbidden (sum: Zhao's printed Figs 5.6-5.7)"},
    {"map_after", RL_PARAM_STRING, NULL, 0, 0, 0, NULL,
     "path of a second map of the same size that replaces the first after change_at steps"},
    {"change_at", RL_PARAM_INT, NULL, 1, 1e15, 0, NULL,
     "the env's step count (from its creation) after which map_after is in force"},
    {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
};

/* Displacements in action order: up, right, down, left, then stay or the diagonals; the
 * two-action set of a random walk is left, right. */
typedef struct action_def {
    const char *name;
    int drow, dcol;
} action_def;

static const action_def ACTIONS_2[] = {{"left", 0, -1}, {"right", 0, 1}};

static const action_def ACTIONS_5[] = {
    {"up", -1, 0}, {"right", 0, 1}, {"down", 1, 0}, {"left", 0, -1}, {"stay", 0, 0},
};
static const action_def ACTIONS_9[] = {
    {"up", -1, 0},        {"right", 0, 1},     {"down", 1, 0},
    {"left", 0, -1},      {"up_right", -1, 1}, {"down_right", 1, 1},
    {"down_left", 1, -1}, {"up_left", -1, -1}, {"stay", 0, 0},
};

static const action_def *action_set(size_t n_actions)
{
    return n_actions == 2 ? ACTIONS_2 : n_actions <= 5 ? ACTIONS_5 : ACTIONS_9;
}

typedef struct jump {
    size_t from, to;
    double reward;
} jump;

/* Everything the compiler needs, parsed and checked once. */
typedef struct layout {
    const rl_map *map;
    size_t n_actions;
    double reward_step, reward_bump, reward_forbidden, reward_goal, reward_cliff, reward_hole;
    bool bump_sum; /* a bump from a forbidden cell also earns reward_forbidden */
    bool goal_terminal, wind_noise;
    double slip;
    long *wind; /* per column */
    jump *jumps;
    size_t n_jumps;
    size_t *starts; /* start states, uniform among them */
    size_t n_starts;
} layout;

static void layout_free(layout *g)
{
    rl_free(g->wind);
    rl_free(g->jumps);
    rl_free(g->starts);
}

/* Names the [env] key an error is about; returns code. */
static int param_error(rl_error *err, int code, const char *key)
{
    rl_error_locate(err, code, NULL, 0, 0, key);
    return code;
}

static int parse_wind(layout *g, const char *text, rl_error *err)
{
    size_t cols = g->map->cols;
    g->wind = rl_calloc(cols, sizeof *g->wind);
    if (!g->wind)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    const char *p = text;
    size_t n = 0;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        char *end;
        errno = 0;
        long w = strtol(p, &end, 10);
        if (end == p || (*end && !isspace((unsigned char)*end)) || errno) {
            rl_error_set(err, RL_EINVAL,
                         "wind value %zu is not an integer: '%.*s' (expected one integer per "
                         "column, separated by spaces)",
                         n + 1, (int)strcspn(p, " \t"), p);
            return param_error(err, RL_EINVAL, "wind");
        }
        if (w < -(long)g->map->rows || w > (long)g->map->rows) {
            rl_error_set(err, RL_ERANGE, "wind value %ld is larger than the grid's %zu rows", w,
                         g->map->rows);
            return param_error(err, RL_ERANGE, "wind");
        }
        if (n < cols)
            g->wind[n] = w;
        n++;
        p = end;
    }
    if (n != 0 && n != cols) {
        rl_error_set(err, RL_EINVAL, "wind has %zu values but the map has %zu columns", n, cols);
        return param_error(err, RL_EINVAL, "wind");
    }
    return RL_OK;
}

static bool is_wall(const layout *g, long row, long col)
{
    return rl_map_at(g->map, (size_t)row, (size_t)col) == '#';
}

static bool inside(const layout *g, long row, long col)
{
    return row >= 0 && col >= 0 && row < (long)g->map->rows && col < (long)g->map->cols;
}

static int parse_jumps(layout *g, const char *text, rl_error *err)
{
    size_t groups = 1;
    for (const char *c = text; *c; c++)
        groups += *c == ';';
    g->jumps = rl_calloc(groups, sizeof *g->jumps);
    if (!g->jumps)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    const char *p = text;
    for (size_t k = 1; *p; k++) {
        size_t len = strcspn(p, ";");
        char group[256];
        snprintf(group, sizeof group, "%.*s", (int)(len < 255 ? len : 255), p);
        p += len + (p[len] == ';');
        long r, c, tr, tc;
        double reward;
        int used = 0;
        char blank[2];
        if (sscanf(group, " %c", blank) != 1)
            continue; /* an empty group, e.g. a trailing ';' */
        if (sscanf(group, " %ld %ld %ld %ld %lf %n", &r, &c, &tr, &tc, &reward, &used) != 5 ||
            group[used] != '\0' || !isfinite(reward)) {
            rl_error_set(err, RL_EINVAL,
                         "jump %zu '%s' is not 'row col to_row to_col reward' (groups are "
                         "separated by ';')",
                         k, group);
            return param_error(err, RL_EINVAL, "jumps");
        }
        if (!inside(g, r, c) || !inside(g, tr, tc)) {
            rl_error_set(err, RL_ERANGE, "jump %zu (%ld, %ld) -> (%ld, %ld) is outside the %zux%zu grid",
                         k, r, c, tr, tc, g->map->rows, g->map->cols);
            return param_error(err, RL_ERANGE, "jumps");
        }
        if (is_wall(g, r, c) || is_wall(g, tr, tc)) {
            rl_error_set(err, RL_EINVAL, "jump %zu (%ld, %ld) -> (%ld, %ld) %s a wall", k, r, c,
                         tr, tc, is_wall(g, r, c) ? "starts on" : "lands on");
            return param_error(err, RL_EINVAL, "jumps");
        }
        size_t from = (size_t)r * g->map->cols + (size_t)c;
        for (size_t j = 0; j < g->n_jumps; j++) {
            if (g->jumps[j].from == from) {
                rl_error_set(err, RL_EINVAL, "jump %zu starts at (%ld, %ld) like an earlier one",
                             k, r, c);
                return param_error(err, RL_EINVAL, "jumps");
            }
        }
        g->jumps[g->n_jumps++] = (jump){from, (size_t)tr * g->map->cols + (size_t)tc, reward};
    }
    return RL_OK;
}

static bool cell_is_terminal(const layout *g, char c)
{
    return c == 'H' || (c == 'G' && g->goal_terminal);
}

/* Start cells: the S cells; without any, the open cells that are neither terminal, cliff
 * nor forbidden. */
static int find_starts(layout *g, rl_error *err)
{
    size_t n = g->map->rows * g->map->cols;
    g->starts = rl_malloc(n * sizeof *g->starts);
    if (!g->starts)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t s = 0; s < n; s++)
        if (g->map->cells[s] == 'S')
            g->starts[g->n_starts++] = s;
    if (g->n_starts == 0) {
        for (size_t s = 0; s < n; s++) {
            char c = g->map->cells[s];
            if (c != '#' && c != 'C' && c != 'X' && !cell_is_terminal(g, c))
                g->starts[g->n_starts++] = s;
        }
    }
    if (g->n_starts == 0)
        return rl_error_set(err, RL_EINVAL,
                            "the map has no start: add an S, or a cell that is not a wall, "
                            "cliff, forbidden or terminal");
    return RL_OK;
}

static int read_layout(layout *g, const rl_map *map, const rl_params *p, rl_error *err)
{
    memset(g, 0, sizeof *g);
    g->map = map;
    g->n_actions = (size_t)atoi(rl_params_string(p, "actions"));
    g->reward_step = rl_params_double(p, "reward_step");
    g->reward_bump = rl_params_double(p, "reward_bump");
    g->reward_forbidden = rl_params_double(p, "reward_forbidden");
    g->reward_goal = rl_params_double(p, "reward_goal");
    g->reward_cliff = rl_params_double(p, "reward_cliff");
    g->reward_hole = rl_params_double(p, "reward_hole");
    g->bump_sum = strcmp(rl_params_string(p, "bump_from_forbidden"), "sum") == 0;
    g->goal_terminal = rl_params_bool(p, "goal_terminal");
    g->wind_noise = rl_params_bool(p, "wind_noise");
    g->slip = rl_params_double(p, "slip");
    int rc;
    if ((rc = parse_wind(g, rl_params_string(p, "wind"), err)) != RL_OK ||
        (rc = parse_jumps(g, rl_params_string(p, "jumps"), err)) != RL_OK ||
        (rc = find_starts(g, err)) != RL_OK) {
        layout_free(g);
        return rc;
    }
    return RL_OK;
}

static const jump *find_jump(const layout *g, size_t s)
{
    for (size_t j = 0; j < g->n_jumps; j++)
        if (g->jumps[j].from == s)
            return &g->jumps[j];
    return NULL;
}

static bool is_terminal_state(const layout *g, size_t s)
{
    return cell_is_terminal(g, g->map->cells[s]);
}

/* Adds the outcome of landing on cell `to` with probability p. */
static int add_landing(rl_mdp *m, const layout *g, size_t s, size_t a, double p, size_t to,
                       rl_error *err)
{
    double reward;
    switch (g->map->cells[to]) {
    case 'G': reward = g->reward_goal; break;
    case 'X': reward = g->reward_forbidden; break;
    case 'H': reward = g->reward_hole; break;
    case 'C':
        /* Back to a start cell, uniformly; the episode goes on. With several start cells one
         * restart outcome stands for all of them (the model's start distribution is
         * uniform over exactly these cells), so a map of many cliffs and many starts
         * compiles in time and memory linear in its cells. */
        if (g->n_starts == 1)
            return rl_mdp_add_outcome(m, s, a, p, g->starts[0], g->reward_cliff, false, err);
        return rl_mdp_add_restart(m, s, a, p, g->reward_cliff, err);
    default: reward = g->reward_step; break;
    }
    return rl_mdp_add_outcome(m, s, a, p, to, reward, is_terminal_state(g, to), err);
}

static long clamp(long x, long lo, long hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* Moves (drow, dcol) from s with wind w, each probability p. */
static int add_move(rl_mdp *m, const layout *g, size_t s, size_t a, double p, int drow,
                    int dcol, long w, bool windy, rl_error *err)
{
    long cols = (long)g->map->cols, rows = (long)g->map->rows;
    long row = (long)s / cols, col = (long)s % cols;
    if (!windy) {
        long r = row + drow, c = col + dcol;
        if (!inside(g, r, c) || is_wall(g, r, c)) {
            double reward = g->reward_bump;
            if (g->bump_sum && g->map->cells[s] == 'X')
                reward += g->reward_forbidden;
            return rl_mdp_add_outcome(m, s, a, p, s, reward, false, err);
        }
        return add_landing(m, g, s, a, p, (size_t)(r * cols + c), err);
    }
    /* Windy: the column move first, then the vertical shift a row at a time, so a wall in
     * the way stops the agent in the last open cell before it. */
    long c = clamp(col + dcol, 0, cols - 1);
    if (is_wall(g, row, c))
        c = col;
    long target = clamp(row + drow - w, 0, rows - 1), r = row;
    int step = target > row ? 1 : -1;
    while (r != target && !is_wall(g, r + step, c))
        r += step;
    return add_landing(m, g, s, a, p, (size_t)(r * cols + c), err);
}

/* The displacement outcomes of action a with wind noise applied. */
static int add_action(rl_mdp *m, const layout *g, size_t s, size_t a, rl_error *err)
{
    const action_def *acts = action_set(g->n_actions);
    const action_def *act = &acts[a];
    long col = (long)(s % g->map->cols);
    long w = g->wind[col];
    bool windy = w != 0;

    /* Up to three displacements: intended, and the two perpendicular slips. */
    struct move { int drow, dcol; double p; } moves[3] = {{act->drow, act->dcol, 1.0}};
    size_t n_moves = 1;
    bool cardinal = (act->drow == 0) != (act->dcol == 0);
    if (g->slip > 0 && cardinal) {
        moves[0].p = 1.0 - g->slip;
        moves[1] = (struct move){act->dcol, act->drow, g->slip / 2};
        moves[2] = (struct move){-act->dcol, -act->drow, g->slip / 2};
        n_moves = 3;
    }
    for (size_t k = 0; k < n_moves; k++) {
        if (moves[k].p <= 0)
            continue;
        if (windy && g->wind_noise) {
            for (long dw = -1; dw <= 1; dw++) {
                int rc = add_move(m, g, s, a, moves[k].p / 3, moves[k].drow, moves[k].dcol,
                                  w + dw, true, err);
                if (rc != RL_OK)
                    return rc;
            }
        } else {
            int rc = add_move(m, g, s, a, moves[k].p, moves[k].drow, moves[k].dcol, w, windy,
                              err);
            if (rc != RL_OK)
                return rc;
        }
    }
    return RL_OK;
}

static int build_model(const layout *g, rl_mdp *m, rl_error *err)
{
    const action_def *acts = action_set(g->n_actions);
    for (size_t a = 0; a < g->n_actions; a++) {
        snprintf(m->action_names[a], RL_ACTION_NAME_MAX, "%s", acts[a].name);
        m->action_drow[a] = acts[a].drow;
        m->action_dcol[a] = acts[a].dcol;
    }
    for (size_t s = 0; s < m->n_states; s++) {
        char c = g->map->cells[s];
        m->cell[s] = c;
        m->kind[s] = c == '#' ? RL_STATE_WALL
                     : cell_is_terminal(g, c) ? RL_STATE_TERMINAL
                                              : RL_STATE_OPEN;
    }
    for (size_t k = 0; k < g->n_starts; k++)
        m->start[g->starts[k]] = 1.0 / (double)g->n_starts;

    for (size_t s = 0; s < m->n_states; s++) {
        const jump *j = find_jump(g, s);
        for (size_t a = 0; a < g->n_actions; a++) {
            int rc;
            if (m->kind[s] != RL_STATE_OPEN)
                /* Never acted in: a self-loop keeps the table complete, value stays 0. */
                rc = rl_mdp_add_outcome(m, s, a, 1.0, s, 0.0, m->kind[s] == RL_STATE_TERMINAL,
                                        err);
            else if (j)
                rc = rl_mdp_add_outcome(m, s, a, 1.0, j->to, j->reward,
                                        is_terminal_state(g, j->to), err);
            else
                rc = add_action(m, g, s, a, err);
            if (rc != RL_OK)
                return rc;
        }
    }
    return rl_mdp_finish(m, err);
}

int rl_gridworld_compile(const rl_map *map, const rl_params *params, rl_mdp **out,
                         rl_error *err)
{
    *out = NULL;
    layout g;
    int rc = read_layout(&g, map, params, err);
    if (rc != RL_OK)
        return rc;
    rl_mdp *m;
    rc = rl_mdp_alloc(map->rows, map->cols, g.n_actions, &m, err);
    if (rc != RL_OK) {
        layout_free(&g);
        return rc;
    }
    rc = build_model(&g, m, err);
    layout_free(&g);
    if (rc != RL_OK) {
        rl_mdp_free(m);
        return rc;
    }
    *out = m;
    return RL_OK;
}

int rl_gridworld_apply_preset(rl_params *params, rl_error *err)
{
    if (!rl_params_has(params, "preset"))
        return RL_OK;
    const rl_preset *preset = rl_preset_find(rl_params_string(params, "preset"), err);
    if (!preset)
        return param_error(err, RL_ENOTFOUND, "preset");
    /* Settings are "key = value" lines; the user's own keys win. */
    for (const char *line = preset->settings; *line;) {
        size_t len = strcspn(line, "\n");
        char key[64], value[192];
        const char *eq = memchr(line, '=', len);
        size_t klen = (size_t)(eq - line);
        while (klen > 0 && line[klen - 1] == ' ')
            klen--;
        snprintf(key, sizeof key, "%.*s", (int)klen, line);
        const char *v = eq + 1;
        while (*v == ' ')
            v++;
        snprintf(value, sizeof value, "%.*s", (int)(line + len - v), v);
        if (!rl_params_is_set(params, key)) {
            int rc = rl_params_set(params, key, value, err);
            if (rc != RL_OK)
                return rc;
        }
        line += len + (line[len] == '\n');
    }
    return RL_OK;
}

int rl_gridworld_load_map(const rl_params *params, rl_map **out, rl_error *err)
{
    *out = NULL;
    if (rl_params_has(params, "map") && rl_params_string(params, "map")[0])
        return rl_map_load(rl_params_string(params, "map"), out, err);
    if (!rl_params_has(params, "preset")) {
        rl_error_set(err, RL_EINVAL, "no map: set preset (gridrl list presets) or map (a file)");
        return param_error(err, RL_EINVAL, "map");
    }
    const rl_preset *preset = rl_preset_find(rl_params_string(params, "preset"), err);
    if (!preset)
        return param_error(err, RL_ENOTFOUND, "preset");
    char source[96];
    snprintf(source, sizeof source, "preset %s", preset->name);
    return rl_map_parse(rl_preset_map_text(preset->map), source, out, err);
}

int rl_gridworld_load_map_after(const rl_params *params, rl_map **out, rl_error *err)
{
    *out = NULL;
    if (rl_params_has(params, "map_after") && rl_params_string(params, "map_after")[0])
        return rl_map_load(rl_params_string(params, "map_after"), out, err);
    if (!rl_params_has(params, "preset"))
        return RL_OK;
    const rl_preset *preset = rl_preset_find(rl_params_string(params, "preset"), err);
    if (!preset)
        return param_error(err, RL_ENOTFOUND, "preset");
    if (!preset->map_after)
        return RL_OK;
    char source[96];
    snprintf(source, sizeof source, "preset %s (after the change)", preset->name);
    return rl_map_parse(rl_preset_map_text(preset->map_after), source, out, err);
}

/* ---- the env: samples the compiled model ---- */

/* The model of one map, and for a map change, what the agent needs in cells that are walls
 * of this map but not of the other. */
typedef struct phase {
    rl_mdp *model;
    rl_mdp *escape; /* NULL, or the map with those cells plain: their rows only are read */
    size_t *starts; /* uniform among them */
    size_t n_starts;
} phase;

typedef struct gridworld {
    phase now[2]; /* the first map, and the second of a map change */
    bool changes;
    unsigned long long change_at, steps; /* a map change: the step count it happens at */
    rl_space space; /* a view of the model's; the union of the maps' with a change */
    uint8_t *kind;  /* the union's, with a change */
    char *cell;
    size_t current;
} gridworld;

static void phase_free(phase *p)
{
    rl_mdp_free(p->model);
    rl_mdp_free(p->escape);
    rl_free(p->starts);
}

static void gridworld_release(void *state)
{
    gridworld *w = state;
    phase_free(&w->now[0]);
    phase_free(&w->now[1]);
    rl_free(w->kind);
    rl_free(w->cell);
}

static int phase_starts(phase *p, rl_error *err)
{
    const rl_mdp *m = p->model;
    p->starts = rl_malloc(m->n_states * sizeof *p->starts);
    if (!p->starts)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t s = 0; s < m->n_states; s++)
        if (m->start[s] > 0)
            p->starts[p->n_starts++] = s;
    return RL_OK;
}

/* Compiles map into p; other (the map of the other phase, or NULL) decides the escape
 * cells: walls here but not there. */
static int phase_build(phase *p, const rl_map *map, const rl_map *other,
                       const rl_params *params, rl_error *err)
{
    int rc = rl_gridworld_compile(map, params, &p->model, err);
    if (rc == RL_OK)
        rc = phase_starts(p, err);
    if (rc != RL_OK || !other)
        return rc;
    size_t n = map->rows * map->cols, escapes = 0;
    for (size_t s = 0; s < n; s++)
        escapes += map->cells[s] == '#' && other->cells[s] != '#';
    if (!escapes)
        return RL_OK;
    rl_map plain = {map->rows, map->cols, rl_malloc(n)};
    if (!plain.cells)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t s = 0; s < n; s++)
        plain.cells[s] = map->cells[s] == '#' && other->cells[s] != '#' ? '.' : map->cells[s];
    rc = rl_gridworld_compile(&plain, params, &p->escape, err);
    rl_free(plain.cells);
    return rc;
}

/* A map change needs both keys (after is NULL without map_after) and maps of one size. */
static int check_change(const rl_map *map, const rl_map *after, const rl_params *params,
                        rl_error *err)
{
    if (!after && rl_params_has(params, "change_at")) {
        rl_error_set(err, RL_EINVAL, "change_at needs map_after: the map in force after it");
        return param_error(err, RL_EINVAL, "map_after");
    }
    if (!after)
        return RL_OK;
    if (!rl_params_has(params, "change_at")) {
        rl_error_set(err, RL_EINVAL, "map_after needs change_at: the step after which the "
                                     "second map is in force");
        return param_error(err, RL_EINVAL, "change_at");
    }
    if (after->rows != map->rows || after->cols != map->cols) {
        rl_error_set(err, RL_EINVAL, "the map after the change is %zux%zu, the first %zux%zu: "
                                     "they must be the same size",
                     after->rows, after->cols, map->rows, map->cols);
        return param_error(err, RL_EINVAL, "map_after");
    }
    return RL_OK;
}

/* The maps' models agree on the terminal cells (the learners' state kinds stay true). */
static int check_terminals(const rl_mdp *first, const rl_mdp *second, rl_error *err)
{
    for (size_t s = 0; s < first->n_states; s++) {
        if ((first->kind[s] == RL_STATE_TERMINAL) != (second->kind[s] == RL_STATE_TERMINAL)) {
            rl_error_set(err, RL_EINVAL, "cell (%zu, %zu) is terminal in %s map only: the "
                                         "terminal cells must stay the same",
                         rl_mdp_row(first, s), rl_mdp_col(first, s),
                         first->kind[s] == RL_STATE_TERMINAL ? "the first" : "the second");
            return param_error(err, RL_EINVAL, "map_after");
        }
    }
    return RL_OK;
}

/* The union of the two maps, for the space: a wall only where both have one; the first
 * map's character, or the second's where the first has a wall. */
static int build_union(gridworld *w, rl_error *err)
{
    const rl_mdp *a = w->now[0].model, *b = w->now[1].model;
    w->kind = rl_malloc(a->n_states);
    w->cell = rl_malloc(a->n_states);
    if (!w->kind || !w->cell)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t s = 0; s < a->n_states; s++) {
        bool first_wall = a->kind[s] == RL_STATE_WALL;
        w->kind[s] = first_wall ? b->kind[s] : a->kind[s];
        w->cell[s] = first_wall ? b->cell[s] : a->cell[s];
    }
    w->space.kind = w->kind;
    w->space.cell = w->cell;
    return RL_OK;
}

/* A preset's settings apply under the caller's own keys, whoever creates the env: a program
 * that sets only preset gets the preset's env, as a config file does. */
static int gridworld_init(void *state, const rl_params *given, rl_error *err)
{
    gridworld *w = state;
    memset(w, 0, sizeof *w);
    rl_params *params;
    int rc = rl_params_copy(given, &params, err);
    if (rc != RL_OK)
        return rc;
    rl_map *map = NULL, *after = NULL;
    if ((rc = rl_gridworld_apply_preset(params, err)) == RL_OK &&
        (rc = rl_gridworld_load_map(params, &map, err)) == RL_OK)
        rc = rl_gridworld_load_map_after(params, &after, err);
    if (rc == RL_OK)
        rc = check_change(map, after, params, err);
    if (rc == RL_OK)
        rc = phase_build(&w->now[0], map, after, params, err);
    if (rc == RL_OK && after) {
        w->changes = true;
        w->change_at = (unsigned long long)rl_params_int(params, "change_at");
        rc = phase_build(&w->now[1], after, map, params, err);
        if (rc == RL_OK)
            rc = check_terminals(w->now[0].model, w->now[1].model, err);
    }
    rl_map_free(map);
    rl_map_free(after);
    rl_params_free(params);
    if (rc == RL_OK) {
        w->space = rl_mdp_space(w->now[0].model);
        if (w->changes)
            rc = build_union(w, err);
    }
    if (rc != RL_OK) {
        gridworld_release(w);
        return rc;
    }
    w->current = w->now[0].starts[0];
    return RL_OK;
}

/* The map in force: the second after change_at steps. */
static const phase *active(const gridworld *w)
{
    return &w->now[w->changes && w->steps >= w->change_at];
}

/* Starts are uniform over their cells (the compiler builds them so), so one integer draw. */
static size_t gridworld_reset(void *state, gsl_rng *r)
{
    gridworld *w = state;
    const phase *p = active(w);
    w->current = p->n_starts == 1 ? p->starts[0] : p->starts[gsl_rng_uniform_int(r, p->n_starts)];
    return w->current;
}

/* A deterministic (s, a) is one lookup in the compact form and draws nothing; otherwise one
 * uniform draw samples the outcome list. */
static inline rl_step sample(const rl_mdp *m, size_t *current, size_t action, gsl_rng *r)
{
    size_t sa = *current * m->n_actions + action;
    int32_t next = m->sure_next[sa];
    if (next >= 0) {
        *current = (size_t)next;
        return (rl_step){(size_t)next, m->reward_table[m->sure_reward[sa]],
                         m->kind[next] == RL_STATE_TERMINAL};
    }
    size_t next_state;
    const rl_outcome *o = rl_mdp_sample(m, *current, action, gsl_rng_uniform(r), &next_state);
    *current = next_state;
    return (rl_step){next_state, o->reward, o->terminal != 0};
}

/* With a map change, the step count decides the map; in a wall of that map the agent moves
 * as from a plain cell. */
static rl_step changing_step(gridworld *w, size_t action, gsl_rng *r)
{
    const phase *p = active(w);
    w->steps++;
    const rl_mdp *m = p->model;
    if (m->kind[w->current] == RL_STATE_WALL && p->escape)
        m = p->escape;
    return sample(m, &w->current, action, r);
}

static rl_step gridworld_step(void *state, size_t action, gsl_rng *r)
{
    gridworld *w = state;
    if (w->changes)
        return changing_step(w, action, r);
    return sample(w->now[0].model, &w->current, action, r);
}

static int gridworld_reset_to(void *state, size_t s, rl_error *err)
{
    gridworld *w = state;
    if (s >= w->space.n_states)
        return rl_error_set(err, RL_ERANGE, "state %zu is outside the model (%zu states)", s,
                            w->space.n_states);
    int rc = rl_space_check_start(&w->space, (long)rl_space_row(&w->space, s),
                                  (long)rl_space_col(&w->space, s), err);
    if (rc == RL_OK)
        w->current = s;
    return rc;
}

/* None with a map change: which map's would be the exact one depends on the step. */
static const rl_mdp *gridworld_model(const void *state)
{
    const gridworld *w = state;
    return w->changes ? NULL : w->now[0].model;
}

static const rl_space *gridworld_space(const void *state)
{
    return &((const gridworld *)state)->space;
}

const rl_env_type rl_gridworld_type = {
    .name = "gridworld",
    .doc = "map-driven gridworld: walls, forbidden cells, goals, cliffs, "
           "holes, slip, wind, jumps",
    .params = rl_gridworld_params,
    .size = sizeof(gridworld),
    .resolve = rl_gridworld_apply_preset,
    .init = gridworld_init,
    .release = gridworld_release,
    .space = gridworld_space,
    .reset = gridworld_reset,
    .step = gridworld_step,
    .reset_to = gridworld_reset_to,
    .model = gridworld_model,
};

const rl_env_type *const rl_gridworld = &rl_gridworld_type;

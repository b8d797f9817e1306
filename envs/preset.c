/* The shipped presets: textbook environments as a map plus [env] settings.
 *
 * Maps live in envs/maps/NAME.map and are compiled in (cmake/EmbedMaps.cmake). Settings are
 * "key = value" lines applied under the user's own keys (see rl_gridworld_apply_preset).
 */
#include "envs/preset.h"

#include <stdio.h>
#include <string.h>

#include "envs/maps_embedded.h"

static const rl_preset zhao5x5 = {
    .name = "zhao5x5",
    .doc = "Zhao's 5x5 grid world (Mathematical Foundations of RL, ch.2-8), baseline rewards",
    .map = "zhao5x5",
    .settings = "actions = 5\n"
                "reward_step = 0\n"
                "reward_bump = -1\n"
                "reward_forbidden = -1\n"
                "reward_goal = 1\n"
                "goal_terminal = false\n",
    .gamma = 0.9,
};

static const rl_preset sb_gridworld4x4 = {
    .name = "sb_gridworld4x4",
    .doc = "Sutton & Barto Example 4.1: 4x4, terminal corners, -1 per step",
    .map = "sb_gridworld4x4",
    .settings = "actions = 4\n"
                "reward_step = -1\n"
                "reward_bump = -1\n"
                "reward_goal = -1\n"
                "goal_terminal = true\n",
    .gamma = 1.0,
};

static const rl_preset sb_gridworld5x5 = {
    .name = "sb_gridworld5x5",
    .doc = "Sutton & Barto Example 3.5: 5x5 with jumps A->A' (+10) and B->B' (+5)",
    .map = "sb_gridworld5x5",
    .settings = "actions = 4\n"
                "reward_step = 0\n"
                "reward_bump = -1\n"
                "jumps = 0 1 4 1 10; 0 3 2 3 5\n",
    .gamma = 0.9,
};

static const rl_preset windy_gridworld = {
    .name = "windy_gridworld",
    .doc = "Sutton & Barto Example 6.5: 7x10 windy gridworld, -1 per step",
    .map = "windy_gridworld",
    .settings = "actions = 4\n"
                "reward_step = -1\n"
                "reward_bump = -1\n"
                "reward_goal = -1\n"
                "goal_terminal = true\n"
                "wind = 0 0 0 1 1 1 2 2 1 0\n",
    .gamma = 1.0,
};

static const rl_preset cliff_walking = {
    .name = "cliff_walking",
    .doc = "Sutton & Barto Example 6.6: 4x12 cliff walking, -1 per step, -100 and back to start",
    .map = "cliff_walking",
    .settings = "actions = 4\n"
                "reward_step = -1\n"
                "reward_bump = -1\n"
                "reward_goal = -1\n"
                "reward_cliff = -100\n"
                "goal_terminal = true\n",
    .gamma = 1.0,
};

/* Gymnasium's slippery rule: the intended move with probability 1/3, each perpendicular
 * move 1/3, i.e. slip = 2/3. Rewards: 1 on reaching G, 0 elsewhere. With gamma = 1 a state's
 * value is its probability of reaching the goal. */
#define FROZENLAKE_SETTINGS                                                                 \
    "actions = 4\n"                                                                         \
    "reward_step = 0\n"                                                                     \
    "reward_bump = 0\n"                                                                     \
    "reward_goal = 1\n"                                                                     \
    "reward_hole = 0\n"                                                                     \
    "goal_terminal = true\n"                                                                \
    "slip = 0.66666666666666667\n"

static const rl_preset frozenlake4x4 = {
    .name = "frozenlake4x4",
    .doc = "Gymnasium FrozenLake-v1 4x4, slippery, 100-step time limit",
    .map = "frozenlake4x4",
    .settings = FROZENLAKE_SETTINGS,
    .gamma = 1.0,
    .max_steps = 100,
};

static const rl_preset frozenlake8x8 = {
    .name = "frozenlake8x8",
    .doc = "Gymnasium FrozenLake-v1 8x8, slippery, 200-step time limit",
    .map = "frozenlake8x8",
    .settings = FROZENLAKE_SETTINGS,
    .gamma = 1.0,
    .max_steps = 200,
};

static const rl_preset dyna_maze = {
    .name = "dyna_maze",
    .doc = "Sutton & Barto Example 8.1: 6x9 Dyna maze, +1 on reaching the goal",
    .map = "dyna_maze",
    .settings = "actions = 4\n"
                "reward_step = 0\n"
                "reward_bump = 0\n"
                "reward_goal = 1\n"
                "goal_terminal = true\n",
    .gamma = 0.95,
};

/* S&B Figs 8.4 and 8.5, as read from the book's drawings (and as Zhang's reproduction has
 * them): 6x9, start S at (5, 3) on the bottom row, goal G at (0, 8) in the top right corner,
 * a wall along row 3. Blocking maze: the wall covers columns 0-7 (the way round is on the
 * right) and after 1000 steps columns 1-8 (the way round moves to the left, a longer path).
 * Shortcut maze: the wall covers columns 1-8 (the way is on the left) and after 3000 steps
 * columns 1-7, opening a shorter way on the right while the left stays open. Rewards and
 * discount as the Dyna maze's (Example 8.1). */
#define CHANGING_MAZE_SETTINGS                                                              \
    "actions = 4\n"                                                                         \
    "reward_step = 0\n"                                                                     \
    "reward_bump = 0\n"                                                                     \
    "reward_goal = 1\n"                                                                     \
    "goal_terminal = true\n"

static const rl_preset blocking_maze = {
    .name = "blocking_maze",
    .doc = "Sutton & Barto Example 8.2 (Fig 8.4): 6x9, the way round the wall moves from "
           "right to left after 1000 steps",
    .map = "blocking_maze",
    .map_after = "blocking_maze_after",
    .settings = CHANGING_MAZE_SETTINGS "change_at = 1000\n",
    .gamma = 0.95,
};

static const rl_preset shortcut_maze = {
    .name = "shortcut_maze",
    .doc = "Sutton & Barto Example 8.3 (Fig 8.5): 6x9, a shorter way opens on the right "
           "after 3000 steps",
    .map = "shortcut_maze",
    .map_after = "shortcut_maze_after",
    .settings = CHANGING_MAZE_SETTINGS "change_at = 3000\n",
    .gamma = 0.95,
};

/* The random walks of S&B ch. 6, 7 and 12: one row, actions left and right, both ends
 * terminal (H on the left, G on the right), the start in the middle. Under the uniform
 * policy the values are linear in the position: 1/6, 2/6, ..., 5/6 for random_walk5 (A-E, S&B
 * Example 6.2), -0.9, -0.8, ..., 0.9 for random_walk19. */
static const rl_preset random_walk5 = {
    .name = "random_walk5",
    .doc = "Sutton & Barto Example 6.2: random walk A-E from C, +1 on the right end, else 0",
    .map = "random_walk5",
    .settings = "actions = 2\n"
                "reward_step = 0\n"
                "reward_bump = 0\n"
                "reward_goal = 1\n"
                "reward_hole = 0\n"
                "goal_terminal = true\n",
    .gamma = 1.0,
};

static const rl_preset random_walk19 = {
    .name = "random_walk19",
    .doc = "Sutton & Barto Example 7.1: 19-state random walk, -1 on the left end, +1 on the right",
    .map = "random_walk19",
    .settings = "actions = 2\n"
                "reward_step = 0\n"
                "reward_bump = 0\n"
                "reward_goal = 1\n"
                "reward_hole = -1\n"
                "goal_terminal = true\n",
    .gamma = 1.0,
};

const rl_preset *const rl_presets[] = {
    &zhao5x5,       &sb_gridworld4x4, &sb_gridworld5x5, &windy_gridworld,
    &cliff_walking, &frozenlake4x4,   &frozenlake8x8,   &dyna_maze,
    &blocking_maze, &shortcut_maze,   &random_walk5,    &random_walk19,
    NULL,
};

/* Gymnasium's ids for the same environments (same map, dynamics, rewards and time limit). */
const rl_preset_alias rl_preset_aliases[] = {
    {"FrozenLake-v1", "frozenlake4x4"},
    {"FrozenLake8x8-v1", "frozenlake8x8"},
    {"CliffWalking-v0", "cliff_walking"},
    {NULL, NULL},
};

const rl_preset *rl_preset_find(const char *name, rl_error *err)
{
    char names[RL_ERROR_MESSAGE_MAX - 128] = "";
    for (const rl_preset_alias *a = rl_preset_aliases; a->alias; a++)
        if (strcmp(a->alias, name) == 0) {
            name = a->name;
            break;
        }
    for (const rl_preset *const *p = rl_presets; *p; p++) {
        if (strcmp((*p)->name, name) == 0)
            return *p;
        rl_names_append(names, sizeof names, (*p)->name);
    }
    for (const rl_preset_alias *a = rl_preset_aliases; a->alias; a++)
        rl_names_append(names, sizeof names, a->alias);
    rl_error_set(err, RL_ENOTFOUND, "unknown preset '%s' (valid: %s)", name, names);
    return NULL;
}

const char *rl_preset_map_text(const char *name)
{
    for (const rl_embedded_file *m = rl_embedded_maps; m->name; m++)
        if (strcmp(m->name, name) == 0)
            return m->text;
    return NULL;
}

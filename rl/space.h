/* What an agent may know about an env without its dynamics: the state and action spaces.
 *
 * A space gives the numbers of states and actions, the grid geometry (a state is a cell,
 * s = row * cols + col), the kind of each state (open, terminal, wall), and the actions'
 * names and displacements. An env whose states have actions of their own (an explicit MDP
 * where state A has left and right, state B ten others) lists which actions each state has
 * in `allowed`; learners that honour it (rl_learner_type.state_actions) choose among those
 * only, and the runner refuses the others on such an env. It is a read-only view owned by the env (valid while the env
 * lives) and every env has one, also an env without an exact model. Learners receive a
 * space and never the model (rl/mdp.h), so "learners do not read the transition table" is
 * enforced by the compiler.
 */
#ifndef GRIDRL_RL_SPACE_H
#define GRIDRL_RL_SPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rl/error.h"

enum { RL_STATE_OPEN = 0, RL_STATE_TERMINAL = 1, RL_STATE_WALL = 2 };

#define RL_ACTION_NAME_MAX 16
#define RL_MAX_ACTIONS 16 /* lets read-outs keep one state's action values on the stack */

typedef struct rl_space {
    size_t n_states, n_actions;
    size_t rows, cols;     /* n_states == rows * cols */
    const uint8_t *kind;   /* RL_STATE_* per state */
    const char *cell;      /* the map character of each state, for drawing and output files */
    const int *action_drow; /* displacement of each action (row grows downwards) */
    const int *action_dcol;
    const char (*action_names)[RL_ACTION_NAME_MAX];
    /* NULL: every state has every action. Else n_states * n_actions flags, 1 where the state
     * has the action; every decision state has at least one. */
    const uint8_t *allowed;
    /* NULL, or n_states * n_actions flags: the (state, action) choices the runner counts per
     * episode (choices.csv), e.g. "left from A" of S&B Example 6.7. */
    const uint8_t *marked;
} rl_space;

static inline size_t rl_space_row(const rl_space *sp, size_t s) { return s / sp->cols; }
static inline size_t rl_space_col(const rl_space *sp, size_t s) { return s % sp->cols; }
static inline size_t rl_space_state(const rl_space *sp, size_t row, size_t col)
{
    return row * sp->cols + col;
}

/* True for states where the agent decides (neither wall nor terminal). */
static inline bool rl_space_is_decision(const rl_space *sp, size_t s)
{
    return sp->kind[s] == RL_STATE_OPEN;
}

/* True if state s has action a (always, without per-state action sets). */
static inline bool rl_space_allows(const rl_space *sp, size_t s, size_t a)
{
    return !sp->allowed || sp->allowed[s * sp->n_actions + a];
}

/* Index of the action named name, or -1. */
int rl_space_action_index(const rl_space *sp, const char *name);

/* RL_EINVAL naming the cell if (row, col) is outside the grid, a wall, or terminal: a start
 * the runner was asked for must be a cell where the agent can act. */
int rl_space_check_start(const rl_space *sp, long row, long col, rl_error *err);

#endif

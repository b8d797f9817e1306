/* Explicit MDP files: a small MDP written out state by state (README.md, "Writing an MDP
 * file"), for the books' examples that are not grids (S&B Example 6.7, maximization bias).
 *
 *     # comments run from '#' to the end of the line
 *     state A start               # start [WEIGHT]: episodes start here (weights normalised)
 *     state B
 *     state end terminal
 *     A right -> end              # probability 1, reward 0
 *     A left -> B
 *     B b1 -> end normal(-0.1, 1) # a reward distribution
 *     B b2 -> 0.5 end 1 ; A       # outcomes: [PROBABILITY] NEXT [REWARD], ';' between
 *     count A left                # choices.csv counts this choice per episode
 *
 * The parser is a pure function from text to an rl_mdp_file (no I/O, no global state): it
 * checks everything and reports the first problem as source:line:column. Sizes are capped
 * (MDP_FILE_MAX_* below), so no input can make it allocate without bound or crash.
 * rl_mdp_file_compile then builds the exact model (rl/mdp.h) with each outcome's EXPECTED
 * reward, which planners and the ground truth read; the env (envs/mdp_env.h) samples the
 * rewards from their distributions.
 */
#ifndef GRIDRL_ENVS_MDP_FILE_H
#define GRIDRL_ENVS_MDP_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rl/error.h"
#include "rl/mdp.h"

#define RL_MDP_FILE_MAX_BYTES (1u << 20)   /* a file larger than 1 MiB is refused unread */
#define RL_MDP_FILE_MAX_LINE 4096          /* characters per line, line end excluded */
#define RL_MDP_FILE_MAX_STATES 65536
#define RL_MDP_FILE_MAX_OUTCOMES 256       /* per (state, action) */
#define RL_MDP_STATE_NAME_MAX 32           /* with the terminating NUL */

typedef enum rl_reward_kind {
    RL_REWARD_CONSTANT, /* a */
    RL_REWARD_NORMAL,   /* mean a, standard deviation b */
    RL_REWARD_UNIFORM   /* on [a, b] */
} rl_reward_kind;

typedef struct rl_reward_dist {
    rl_reward_kind kind;
    double a, b;
} rl_reward_dist;

typedef struct rl_mdp_file_outcome {
    double probability;
    uint32_t next;
    rl_reward_dist reward;
} rl_mdp_file_outcome;

typedef struct rl_mdp_file {
    size_t n_states, n_actions; /* actions: every name used, in order of first use */
    char (*state_names)[RL_MDP_STATE_NAME_MAX];
    char (*action_names)[RL_ACTION_NAME_MAX];
    uint8_t *terminal;  /* per state */
    double *start;      /* per state, sums to 1 */
    /* Per (s, a), sa = s * n_actions + a: outcomes[first[sa] .. first[sa + 1]), in the
     * file's order; none where the state does not have the action. */
    uint32_t *first;
    rl_mdp_file_outcome *outcomes;
    uint8_t *marked;    /* per (s, a): a `count` line names it */
    size_t n_marked;
    bool own_actions;   /* some non-terminal states have different action sets */
    unsigned long long hash; /* FNV-1a 64 of the text, to identify the file in config.ini */
} rl_mdp_file;

/* Parses len bytes of text (NUL bytes are errors); source names it in messages. */
int rl_mdp_file_parse(const char *text, size_t len, const char *source, rl_mdp_file **out,
                      rl_error *err);

/* Reads (at most RL_MDP_FILE_MAX_BYTES) and parses the file at path. */
int rl_mdp_file_load(const char *path, rl_mdp_file **out, rl_error *err);

void rl_mdp_file_free(rl_mdp_file *f);

/* True if state s has action a. */
static inline bool rl_mdp_file_has(const rl_mdp_file *f, size_t s, size_t a)
{
    size_t sa = s * f->n_actions + a;
    return f->first[sa + 1] > f->first[sa];
}

/* The expected value of a reward distribution. */
double rl_reward_mean(const rl_reward_dist *d);

/* The exact model: one row of n_states states (s = col), the file's actions; outcomes with
 * their expected rewards; a terminal state loops on itself with reward 0; an action a state
 * does not have repeats the outcomes of the state's first action (so maxima over actions,
 * hence v*, the ground truth, are those of the state's own actions). Cells: 'S' for a
 * start state, 'G' for a terminal state, '.' otherwise. */
int rl_mdp_file_compile(const rl_mdp_file *f, rl_mdp **out, rl_error *err);

#endif

/* Where the runner starts a learner's episodes ([experiment] start): the env's own start
 * distribution, uniformly over the decision states, or one fixed cell. A learner's start
 * hook (exploring starts, MC Basic) overrides it episode by episode.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_START_H
#define GRIDRL_EXPERIMENTS_RUNNER_START_H

#include <stddef.h>

#include "rl/error.h"
#include "rl/space.h"

typedef struct rl_start_rule {
    enum { RL_START_ENV, RL_START_UNIFORM, RL_START_CELL } kind;
    size_t cell; /* RL_START_CELL */
} rl_start_rule;

/* Parses "env", "uniform" or "row col" for space; errors name the key start. */
int rl_start_rule_parse(const char *text, const rl_space *space, rl_start_rule *out,
                        rl_error *err);

#endif

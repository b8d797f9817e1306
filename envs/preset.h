/* Presets: a shipped map plus parameters that reproduce a textbook environment.
 *
 * A preset replaces some [env] defaults (settings), and may suggest defaults for the agent's
 * gamma and the runner's max_steps. Anything a preset sets can still be overridden.
 */
#ifndef GRIDRL_ENVS_PRESET_H
#define GRIDRL_ENVS_PRESET_H

#include "rl/error.h"

typedef struct rl_preset {
    const char *name;
    const char *doc;      /* one line, with the book reference */
    const char *map;      /* name of the embedded map (envs/maps/NAME.map) */
    const char *map_after; /* the embedded map after a map change (change_at), or NULL */
    const char *settings; /* [env] defaults it replaces: "key = value" lines */
    double gamma;         /* suggested agent.gamma; < 0 when none */
    long max_steps;       /* suggested experiment.max_steps; 0 when none */
} rl_preset;

/* NULL-terminated, in the order `gridrl list` prints them. */
extern const rl_preset *const rl_presets[];

/* Another name for a preset: Gymnasium's ids, so a config can say what a Gymnasium user knows
 * (their action order differs from ours: see README.md, "Presets"). */
typedef struct rl_preset_alias {
    const char *alias, *name;
} rl_preset_alias;

/* Terminated by an entry whose alias is NULL. */
extern const rl_preset_alias rl_preset_aliases[];

/* The preset named name or one of its aliases; NULL with RL_ENOTFOUND listing the valid names
 * otherwise. */
const rl_preset *rl_preset_find(const char *name, rl_error *err);

/* The text of the embedded map called name, or NULL. */
const char *rl_preset_map_text(const char *name);

#endif

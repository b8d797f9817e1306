/* Config files: INI text read with inih into (section, key, value, line) entries.
 *
 * Only [experiment], [env] and [agent] exist; a key given twice, a key outside a section and
 * a line over inih's 200-character cap are errors naming file and line. An indented line
 * continues the previous value (inih's multi-line values), joined with a space. `-s
 * section.key=value` overrides replace an entry (or add one) and are located as
 * "command line". A config file is at most RL_CONFIG_FILE_MAX bytes, and no value holds a
 * control character. What the values mean is the plan's business (plan.h).
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_CONFIG_H
#define GRIDRL_EXPERIMENTS_RUNNER_CONFIG_H

#include <stddef.h>

#include "rl/error.h"

#define RL_CONFIG_SECTION_MAX 16
#define RL_CONFIG_KEY_MAX 64
#define RL_CONFIG_OVERRIDE_SOURCE "command line"
/* The largest config file read: far more than any experiment needs (a config is a few
 * dozen lines; a line is at most 199 characters). */
#define RL_CONFIG_FILE_MAX (1 << 20)

typedef struct rl_config_entry {
    char section[RL_CONFIG_SECTION_MAX];
    char key[RL_CONFIG_KEY_MAX];
    char *value;
    const char *source; /* the config's path, or RL_CONFIG_OVERRIDE_SOURCE */
    int line;           /* 1-based in source; 0 for overrides */
} rl_config_entry;

typedef struct rl_config {
    char *path;     /* as given, for messages; "(built-in NAME)" for an embedded config */
    char *base_dir; /* relative paths in values are resolved against it */
    char *text;     /* the file's text, copied into config.ini's header */
    rl_config_entry *entries;
    size_t n_entries, capacity;
} rl_config;

int rl_config_load_file(const char *path, rl_config **out, rl_error *err);

/* Parses text as if read from a file called name whose relative paths resolve in base_dir. */
int rl_config_load_string(const char *text, const char *name, const char *base_dir,
                          rl_config **out, rl_error *err);

/* Applies "section.key=value". */
int rl_config_override(rl_config *c, const char *assignment, rl_error *err);

/* The entry, or NULL. */
const rl_config_entry *rl_config_find(const rl_config *c, const char *section,
                                      const char *key);

/* Fills err's file, line and "section.key" from entry e (the error already set with code).
 * Returns code. */
int rl_config_locate(rl_error *err, int code, const rl_config_entry *e);

void rl_config_free(rl_config *c);

#endif

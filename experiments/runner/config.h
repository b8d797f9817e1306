/* Config files: INI text read with inih into (section, key, value, line) entries.
 *
 * Only [experiment], [env] and [agent] exist (another section is an error at its header,
 * even when empty); a key given twice, a key outside a section, a line that is none of
 * [section], key = value or a comment, and a line over inih's 200-character cap are errors
 * naming file and line. An indented line continues the previous value (inih's multi-line
 * values), joined with a space. `-s section.key=value` overrides replace an entry (or add
 * one) and are located as "command line"; the same key given twice there is an error too. A
 * config file is at most RL_CONFIG_FILE_MAX bytes, and no value holds a control character.
 * What the values mean is the plan's business (plan.h).
 *
 * Every error of a file is reported, not only the first: rl_config_read_* put them all into
 * a list (rl/error.h) in line order; rl_config_load_* return the first.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_CONFIG_H
#define GRIDRL_EXPERIMENTS_RUNNER_CONFIG_H

#include <stddef.h>

#include "rl/error.h"

#define RL_CONFIG_SECTION_MAX 16
#define RL_CONFIG_KEY_MAX 64
#define RL_CONFIG_OVERRIDE_SOURCE RL_ERROR_COMMAND_LINE
/* The largest config file read: far more than any experiment needs (a config is a few
 * dozen lines; a line is at most 199 characters). */
#define RL_CONFIG_FILE_MAX (1 << 20)
/* The longest line read: inih's INI_MAX_LINE as Debian builds it (200, with the NUL). */
#define RL_CONFIG_LINE_MAX 199

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

/* The same, reporting every error of the file into errors (sorted by line) and returning the
 * first one's code. *out then holds the entries that had no error, for the plan to find the
 * errors of their values too (free it); it is NULL only when nothing could be read (a
 * missing file, no memory). */
int rl_config_read_file(const char *path, rl_config **out, rl_error_list *errors);
int rl_config_read_string(const char *text, const char *name, const char *base_dir,
                          rl_config **out, rl_error_list *errors);

/* Applies "section.key=value"; a key an earlier override set is an error (RL_EINVAL). */
int rl_config_override(rl_config *c, const char *assignment, rl_error *err);

/* The entry, or NULL. */
const rl_config_entry *rl_config_find(const rl_config *c, const char *section,
                                      const char *key);

/* Fills err's file, line and "section.key" from entry e (the error already set with code).
 * Returns code. */
int rl_config_locate(rl_error *err, int code, const rl_config_entry *e);

void rl_config_free(rl_config *c);

#endif

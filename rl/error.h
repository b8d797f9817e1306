/* Error codes and the caller-owned error record.
 *
 * Functions return 0 on success, a negative RL_E* code on failure, and a positive code only
 * to signal a state (RL_CONTINUE: "not converged yet"). On failure they fill the caller's
 * rl_error, which may be NULL when the caller does not want the details; the code returned
 * is the same either way. The record names
 * the file, line, column and key where they apply, so the CLI can print a message that
 * points at the offending input. Library code never prints, exits or aborts.
 */
#ifndef GRIDRL_RL_ERROR_H
#define GRIDRL_RL_ERROR_H

#include <stddef.h>

enum {
    RL_OK = 0,
    RL_CONTINUE = 1,     /* an iterative algorithm has not converged yet */
    RL_STOPPED = 2,      /* it stopped at its iteration limit without converging */
    RL_EINVAL = -1,      /* invalid argument or value */
    RL_ENOMEM = -2,      /* out of memory */
    RL_EIO = -3,         /* file could not be read or written */
    RL_EPARSE = -4,      /* malformed input text (map, config) */
    RL_ERANGE = -5,      /* value outside its allowed range */
    RL_ENOTFOUND = -6,   /* unknown name (env, agent, preset, key) */
    RL_ESINGULAR = -7,   /* a linear system has no unique solution */
    RL_EDIVERGED = -8,   /* values became NaN or infinite */
    RL_EUNSUPPORTED = -9, /* the operation does not apply to this object */
    RL_EINTERRUPTED = -10 /* stopped on request (a signal) before finishing */
};

#define RL_ERROR_MESSAGE_MAX 1024
#define RL_ERROR_FILE_MAX 256
#define RL_ERROR_KEY_MAX 96

typedef struct rl_error {
    int code;
    char message[RL_ERROR_MESSAGE_MAX];
    char file[RL_ERROR_FILE_MAX]; /* "" when no file is involved */
    int line;                     /* 1-based; 0 when unknown */
    int column;                   /* 1-based; 0 when unknown */
    char key[RL_ERROR_KEY_MAX];   /* "section.key" or "key"; "" when none */
} rl_error;

/* A short description of a code ("out of memory"). Never NULL. */
const char *rl_strerror(int code);

/* Clears the record. NULL is allowed. */
void rl_error_clear(rl_error *err);

/* Fills err (if not NULL) with code and a printf-style message; returns code. */
int rl_error_set(rl_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds where the error (already set with code) happened; NULL or 0 leaves that part unset.
 * Returns code, whether or not err is NULL: a code never depends on the record. */
int rl_error_locate(rl_error *err, int code, const char *file, int line, int column,
                    const char *key);

/* Formats "file:line:col: key: message" (the parts that are set) into buf. */
void rl_error_format(const rl_error *err, char *buf, size_t size);

/* Every error of one input, for inputs whose errors are all reported at once (a config
 * file: fix them all in one go). Identical errors (a map that several configurations fail
 * to read) are kept once, and at most RL_ERROR_LIST_MAX in all; the rest, and any that could
 * not be kept for want of memory, are counted in `more`. Zero-initialise; free with
 * rl_error_list_free. */
#define RL_ERROR_LIST_MAX 100

typedef struct rl_error_list {
    rl_error *items;
    size_t n, capacity;
    size_t more; /* errors not kept */
} rl_error_list;

/* Adds a copy of e (unless the list holds the same error already); returns e->code. */
int rl_error_list_add(rl_error_list *list, const rl_error *e);

/* Orders the errors as a reader goes through the input: those of `file` first, by line,
 * then those of the command line (RL_ERROR_COMMAND_LINE) by discovery, then those of other
 * files by discovery (a map a config names). Stable. */
#define RL_ERROR_COMMAND_LINE "command line"
void rl_error_list_sort(rl_error_list *list, const char *file);

/* The first error's code, or RL_OK for an empty list. */
int rl_error_list_code(const rl_error_list *list);

void rl_error_list_free(rl_error_list *list);

/* Appends name to a ", "-separated list in buf (truncating safely), for messages that
 * list the valid names after a failed lookup. */
void rl_names_append(char *buf, size_t size, const char *name);

#endif

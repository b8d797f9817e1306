/* Typed parameter tables.
 *
 * Every env and agent type describes its parameters in one constant table: name, type,
 * default, range, one-line doc. The same table validates config values (reporting the
 * offending key), fills defaults, and is what `gridrl list` prints, so the documentation
 * and the validator cannot disagree.
 */
#ifndef GRIDRL_RL_PARAM_H
#define GRIDRL_RL_PARAM_H

#include <stdbool.h>
#include <stddef.h>

#include "rl/error.h"

typedef enum rl_param_kind {
    RL_PARAM_BOOL,   /* true|false */
    RL_PARAM_INT,    /* integer within [min, max] */
    RL_PARAM_DOUBLE, /* finite real within [min, max] (or open ends, see flags) */
    RL_PARAM_STRING, /* free text, checked by its owner (a path, a wind vector) */
    RL_PARAM_CHOICE  /* one of the '|'-separated words in choices */
} rl_param_kind;

enum {
    RL_PARAM_MIN_OPEN = 1u << 0, /* min itself is excluded */
    RL_PARAM_MAX_OPEN = 1u << 1, /* max itself is excluded */
    RL_PARAM_NO_SWEEP = 1u << 2  /* a comma in the value is not a sweep axis */
};

typedef struct rl_param_spec {
    const char *name;
    rl_param_kind kind;
    const char *default_text; /* NULL: no default; the key is optional */
    double min, max;          /* INT and DOUBLE; use -HUGE_VAL/HUGE_VAL for no bound */
    unsigned flags;
    const char *choices; /* CHOICE: "a|b|c" */
    const char *doc;     /* one line */
} rl_param_spec;
/* Tables end with an entry whose name is NULL. */

typedef union rl_param_value {
    bool b;
    long i;
    double d;
    const char *s; /* STRING and CHOICE: owned by the rl_params */
} rl_param_value;

/* The spec of key in table, or NULL. */
const rl_param_spec *rl_param_find(const rl_param_spec *table, const char *key);

/* Number of entries in table. */
size_t rl_param_count(const rl_param_spec *table);

/* Parses and range-checks one value. For STRING and CHOICE, out->s points into text.
 * On failure err names the key and says what is allowed. */
int rl_param_parse(const rl_param_spec *spec, const char *text, rl_param_value *out,
                   rl_error *err);

/* Writes the allowed range or choices ("[0, 1]", "(0, 1]", ">= 1", "true|false"). */
void rl_param_describe_range(const rl_param_spec *spec, char *buf, size_t size);

/* A set of values for one table: defaults first, then whatever is set. */
typedef struct rl_params rl_params;

rl_params *rl_params_alloc(const rl_param_spec *table);
void rl_params_free(rl_params *p);
const rl_param_spec *rl_params_table(const rl_params *p);

/* Validates text for key and stores it. Unknown keys are RL_ENOTFOUND with the valid names
 * in the message. err->key is set to key on any failure. */
int rl_params_set(rl_params *p, const char *key, const char *text, rl_error *err);

/* A new set of values for the same table holding p's set values (set again, so they stay
 * "set"); defaults as in rl_params_alloc. */
int rl_params_copy(const rl_params *p, rl_params **out, rl_error *err);

/* True if key was given by rl_params_set (rather than left at its default). */
bool rl_params_is_set(const rl_params *p, const char *key);
/* True if key has a value at all (set, or a default exists). */
bool rl_params_has(const rl_params *p, const char *key);
/* The value as text ("" if none). */
const char *rl_params_text(const rl_params *p, const char *key);

/* Typed getters. The key must exist in the table with that kind (a programming error
 * otherwise, caught by an assert); a key without value yields 0 / false / NULL. */
bool rl_params_bool(const rl_params *p, const char *key);
long rl_params_int(const rl_params *p, const char *key);
double rl_params_double(const rl_params *p, const char *key);
const char *rl_params_string(const rl_params *p, const char *key);

#endif

/* Typed parameter tables: parsing, range checks and value sets (see param.h).
 *
 * One table drives validation, defaults and `gridrl list`, so every message here is written
 * for the user who typed the value: it names the key (err->key) and says what is allowed.
 * Values are trimmed before they are checked, because config files and -s overrides often
 * carry stray spaces around a value that are not part of it.
 */
#include "rl/param.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rl/alloc.h"

const rl_param_spec *rl_param_find(const rl_param_spec *table, const char *key)
{
    if (!table || !key)
        return NULL;
    for (const rl_param_spec *s = table; s->name; s++)
        if (strcmp(s->name, key) == 0)
            return s;
    return NULL;
}

size_t rl_param_count(const rl_param_spec *table)
{
    size_t n = 0;
    if (table)
        while (table[n].name)
            n++;
    return n;
}

/* The part of text between leading and trailing whitespace, as start and length. */
static const char *trim(const char *text, size_t *len)
{
    while (isspace((unsigned char)*text))
        text++;
    size_t n = strlen(text);
    while (n > 0 && isspace((unsigned char)text[n - 1]))
        n--;
    *len = n;
    return text;
}

/* %.15g keeps bounds such as 0.1 short yet never rounds a bound the user has to meet. */
static void format_number(char *buf, size_t size, double x)
{
    snprintf(buf, size, "%.15g", x);
}

void rl_param_describe_range(const rl_param_spec *spec, char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    char lo[32], hi[32];
    switch (spec->kind) {
    case RL_PARAM_BOOL:
        snprintf(buf, size, "true|false");
        return;
    case RL_PARAM_STRING:
        snprintf(buf, size, "text");
        return;
    case RL_PARAM_CHOICE:
        snprintf(buf, size, "%s", spec->choices ? spec->choices : "");
        return;
    case RL_PARAM_INT:
    case RL_PARAM_DOUBLE:
        break;
    }
    bool has_min = isfinite(spec->min), has_max = isfinite(spec->max);
    bool min_open = spec->flags & RL_PARAM_MIN_OPEN, max_open = spec->flags & RL_PARAM_MAX_OPEN;
    format_number(lo, sizeof lo, spec->min);
    format_number(hi, sizeof hi, spec->max);
    if (has_min && has_max)
        snprintf(buf, size, "%c%s, %s%c", min_open ? '(' : '[', lo, hi, max_open ? ')' : ']');
    else if (has_min)
        snprintf(buf, size, "%s %s", min_open ? ">" : ">=", lo);
    else if (has_max)
        snprintf(buf, size, "%s %s", max_open ? "<" : "<=", hi);
    else
        snprintf(buf, size, "any");
}

/* "expected <what>[ in <range>], got '<text>'", keyed to the spec (INT and DOUBLE). */
static int type_error(const rl_param_spec *spec, rl_error *err, const char *what,
                      const char *text, size_t len)
{
    char range[128];
    rl_param_describe_range(spec, range, sizeof range);
    const char *sep = range[0] == '[' || range[0] == '(' ? " in " : " ";
    if (strcmp(range, "any") == 0)
        rl_error_set(err, RL_EINVAL, "expected %s, got '%.*s'", what, (int)len, text);
    else
        rl_error_set(err, RL_EINVAL, "expected %s%s%s, got '%.*s'", what, sep, range, (int)len,
                     text);
    rl_error_locate(err, RL_EINVAL, NULL, 0, 0, spec->name);
    return RL_EINVAL;
}

/* "<text> is outside <range>" (or "is not >= 1"), keyed to the spec. With overflow set the
 * number does not fit the type at all, whatever the range says. */
static int range_error(const rl_param_spec *spec, rl_error *err, const char *text, size_t len,
                       bool overflow)
{
    char range[128];
    rl_param_describe_range(spec, range, sizeof range);
    if (overflow && strcmp(range, "any") == 0)
        rl_error_set(err, RL_ERANGE, "%.*s is too large in magnitude", (int)len, text);
    else if (overflow)
        rl_error_set(err, RL_ERANGE, "%.*s is too large in magnitude; allowed: %s", (int)len,
                     text, range);
    else if (range[0] == '[' || range[0] == '(')
        rl_error_set(err, RL_ERANGE, "%.*s is outside %s", (int)len, text, range);
    else
        rl_error_set(err, RL_ERANGE, "%.*s is not %s", (int)len, text, range);
    rl_error_locate(err, RL_ERANGE, NULL, 0, 0, spec->name);
    return RL_ERANGE;
}

static bool in_range(const rl_param_spec *spec, double x)
{
    bool min_open = spec->flags & RL_PARAM_MIN_OPEN, max_open = spec->flags & RL_PARAM_MAX_OPEN;
    if (min_open ? !(x > spec->min) : !(x >= spec->min))
        return false;
    if (max_open ? !(x < spec->max) : !(x <= spec->max))
        return false;
    return true;
}

/* Whether the word of length len is one of the '|'-separated choices. */
static bool is_choice(const char *choices, const char *word, size_t len)
{
    if (!choices)
        return false;
    for (const char *c = choices;;) {
        size_t n = strcspn(c, "|");
        if (n == len && strncmp(c, word, len) == 0)
            return true;
        if (!c[n])
            return false;
        c += n + 1;
    }
}

int rl_param_parse(const rl_param_spec *spec, const char *text, rl_param_value *out,
                   rl_error *err)
{
    if (!text) {
        rl_error_set(err, RL_EINVAL, "no value given");
        rl_error_locate(err, RL_EINVAL, NULL, 0, 0, spec->name);
        return RL_EINVAL;
    }
    size_t len;
    const char *t = trim(text, &len);
    char *end;
    switch (spec->kind) {
    case RL_PARAM_BOOL:
        if (len == 4 && strncmp(t, "true", 4) == 0)
            out->b = true;
        else if (len == 5 && strncmp(t, "false", 5) == 0)
            out->b = false;
        else {
            rl_error_set(err, RL_EINVAL, "expected true or false, got '%.*s'", (int)len, t);
            rl_error_locate(err, RL_EINVAL, NULL, 0, 0, spec->name);
            return RL_EINVAL;
        }
        return RL_OK;
    case RL_PARAM_INT: {
        /* t has no leading space, so strtol cannot skip any; the whole trimmed value must
         * be consumed, which rejects "1.5", "1e3", "0x10" and "". */
        errno = 0;
        long v = strtol(t, &end, 10);
        if (len == 0 || end != t + len)
            return type_error(spec, err, "an integer", t, len);
        if (errno == ERANGE)
            return range_error(spec, err, t, len, true);
        if (!in_range(spec, (double)v))
            return range_error(spec, err, t, len, false);
        out->i = v;
        return RL_OK;
    }
    case RL_PARAM_DOUBLE: {
        errno = 0;
        double v = strtod(t, &end);
        if (len == 0 || end != t + len)
            return type_error(spec, err, "a number", t, len);
        /* Overflow is a number too large, but "inf" and "nan" are not numbers we accept;
         * an underflow to (almost) zero is a usable value. */
        if (errno == ERANGE && isinf(v))
            return range_error(spec, err, t, len, true);
        if (!isfinite(v))
            return type_error(spec, err, "a finite number", t, len);
        if (!in_range(spec, v))
            return range_error(spec, err, t, len, false);
        out->d = v;
        return RL_OK;
    }
    case RL_PARAM_CHOICE:
        if (!is_choice(spec->choices, t, len)) {
            rl_error_set(err, RL_EINVAL, "expected one of %s, got '%.*s'",
                         spec->choices ? spec->choices : "(none)", (int)len, t);
            rl_error_locate(err, RL_EINVAL, NULL, 0, 0, spec->name);
            return RL_EINVAL;
        }
        out->s = text;
        return RL_OK;
    case RL_PARAM_STRING:
        out->s = text;
        return RL_OK;
    }
    rl_error_set(err, RL_EINVAL, "parameter has an unknown kind %d", (int)spec->kind);
    rl_error_locate(err, RL_EINVAL, NULL, 0, 0, spec->name);
    return RL_EINVAL;
}

/* One table entry's value: text is the owned, trimmed copy; value.s points into it. */
typedef struct param_slot {
    char *text; /* NULL: no value */
    rl_param_value value;
    bool is_set;
} param_slot;

struct rl_params {
    const rl_param_spec *table;
    size_t n;
    param_slot *slots;
};

/* Validates text for slot i and, on success only, replaces its value. */
static int store(rl_params *p, size_t i, const char *text, rl_error *err)
{
    const rl_param_spec *spec = &p->table[i];
    size_t len;
    const char *t = trim(text, &len);
    char *copy = rl_malloc(len + 1);
    if (!copy) {
        rl_error_set(err, RL_ENOMEM, "out of memory storing a value");
        rl_error_locate(err, RL_ENOMEM, NULL, 0, 0, spec->name);
        return RL_ENOMEM;
    }
    memcpy(copy, t, len);
    copy[len] = '\0';
    rl_param_value v;
    int rc = rl_param_parse(spec, copy, &v, err);
    if (rc != RL_OK) {
        rl_free(copy);
        return rc;
    }
    rl_free(p->slots[i].text);
    p->slots[i].text = copy;
    p->slots[i].value = v;
    return RL_OK;
}

rl_params *rl_params_alloc(const rl_param_spec *table)
{
    rl_params *p = rl_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->table = table;
    p->n = rl_param_count(table);
    p->slots = rl_calloc(p->n ? p->n : 1, sizeof *p->slots);
    if (!p->slots) {
        rl_free(p);
        return NULL;
    }
    for (size_t i = 0; i < p->n; i++) {
        if (!table[i].default_text)
            continue;
        rl_error err;
        int rc = store(p, i, table[i].default_text, &err);
        if (rc == RL_ENOMEM) {
            rl_params_free(p);
            return NULL;
        }
        /* A default that fails its own spec is a bug in the table, not user input. */
        assert(rc == RL_OK && "parameter default fails its own spec");
    }
    return p;
}

void rl_params_free(rl_params *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        rl_free(p->slots[i].text);
    rl_free(p->slots);
    rl_free(p);
}

const rl_param_spec *rl_params_table(const rl_params *p)
{
    return p->table;
}

/* Index of key in the table, or n when absent. */
static size_t slot_index(const rl_params *p, const char *key)
{
    const rl_param_spec *spec = rl_param_find(p->table, key);
    return spec ? (size_t)(spec - p->table) : p->n;
}

int rl_params_set(rl_params *p, const char *key, const char *text, rl_error *err)
{
    size_t i = slot_index(p, key);
    if (i == p->n) {
        char names[RL_ERROR_MESSAGE_MAX] = "";
        for (size_t j = 0; j < p->n; j++)
            rl_names_append(names, sizeof names, p->table[j].name);
        rl_error_set(err, RL_ENOTFOUND, "unknown key '%s'; valid keys: %s", key ? key : "",
                     p->n ? names : "(none)");
        rl_error_locate(err, RL_ENOTFOUND, NULL, 0, 0, key);
        return RL_ENOTFOUND;
    }
    if (!text) {
        rl_error_set(err, RL_EINVAL, "no value given");
        rl_error_locate(err, RL_EINVAL, NULL, 0, 0, key);
        return RL_EINVAL;
    }
    int rc = store(p, i, text, err);
    if (rc != RL_OK)
        return rc;
    p->slots[i].is_set = true;
    return RL_OK;
}

int rl_params_copy(const rl_params *p, rl_params **out, rl_error *err)
{
    *out = rl_params_alloc(p->table);
    if (!*out)
        return rl_error_set(err, RL_ENOMEM, "out of memory copying parameters");
    for (size_t i = 0; i < p->n; i++) {
        if (!p->slots[i].is_set)
            continue;
        int rc = rl_params_set(*out, p->table[i].name, p->slots[i].text, err);
        if (rc != RL_OK) {
            rl_params_free(*out);
            *out = NULL;
            return rc;
        }
    }
    return RL_OK;
}

bool rl_params_is_set(const rl_params *p, const char *key)
{
    size_t i = slot_index(p, key);
    return i < p->n && p->slots[i].is_set;
}

bool rl_params_has(const rl_params *p, const char *key)
{
    size_t i = slot_index(p, key);
    return i < p->n && p->slots[i].text;
}

const char *rl_params_text(const rl_params *p, const char *key)
{
    size_t i = slot_index(p, key);
    return i < p->n && p->slots[i].text ? p->slots[i].text : "";
}

/* The slot of key, asserting it exists with one of the kinds a getter serves; NULL when the
 * key is absent (asserts off) or has no value. */
static const param_slot *typed_slot(const rl_params *p, const char *key, rl_param_kind kind,
                                    rl_param_kind other)
{
    size_t i = slot_index(p, key);
    assert(i < p->n && "parameter key not in the table");
    if (i == p->n)
        return NULL;
    assert((p->table[i].kind == kind || p->table[i].kind == other) &&
           "parameter read with the wrong getter");
    if (p->table[i].kind != kind && p->table[i].kind != other)
        return NULL;
    return p->slots[i].text ? &p->slots[i] : NULL;
}

bool rl_params_bool(const rl_params *p, const char *key)
{
    const param_slot *s = typed_slot(p, key, RL_PARAM_BOOL, RL_PARAM_BOOL);
    return s ? s->value.b : false;
}

long rl_params_int(const rl_params *p, const char *key)
{
    const param_slot *s = typed_slot(p, key, RL_PARAM_INT, RL_PARAM_INT);
    return s ? s->value.i : 0;
}

double rl_params_double(const rl_params *p, const char *key)
{
    const param_slot *s = typed_slot(p, key, RL_PARAM_DOUBLE, RL_PARAM_DOUBLE);
    return s ? s->value.d : 0.0;
}

const char *rl_params_string(const rl_params *p, const char *key)
{
    const param_slot *s = typed_slot(p, key, RL_PARAM_STRING, RL_PARAM_CHOICE);
    return s ? s->value.s : NULL;
}

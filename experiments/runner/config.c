/* Config loading with inih: see config.h.
 *
 * Debian's inih 55 passes handlers no line number, so the text is fed through
 * ini_parse_stream with a reader that counts lines and remembers the current one (to tell a
 * continuation line from a repeated key, and to catch lines over the 200-character cap that
 * inih would otherwise split silently).
 */
#include "experiments/runner/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "rl/alloc.h"

#define INI_LINE_CAP 200 /* inih's INI_MAX_LINE as Debian builds it */

static const char *const SECTIONS[] = {"experiment", "env", "agent", NULL};

typedef struct reader {
    const char *text, *pos;
    int line;
    char current[INI_LINE_CAP + 2];
    int long_line; /* first line over the cap, 0 if none */
} reader;

typedef struct parse_state {
    rl_config *config;
    reader *in;
    rl_error *err;
    int failed;
    int code, line; /* of the first failure, kept apart from err (which may be NULL) */
} parse_state;

static char *reader_next(char *str, int num, void *stream)
{
    reader *in = stream;
    if (!*in->pos)
        return NULL;
    size_t len = strcspn(in->pos, "\n");
    size_t take = len + (in->pos[len] == '\n');
    in->line++;
    if (len >= (size_t)num && !in->long_line) /* 199 characters + NUL fit */
        in->long_line = in->line;
    size_t copy = take < (size_t)num - 1 ? take : (size_t)num - 1;
    memcpy(str, in->pos, copy);
    str[copy] = '\0';
    snprintf(in->current, sizeof in->current, "%s", str);
    in->pos += take;
    return str;
}

static int config_error(parse_state *ps, int code, const char *key, int line, const char *fmt,
                        const char *a, const char *b)
{
    if (ps->failed)
        return 0;
    ps->failed = 1;
    ps->code = code;
    ps->line = line;
    rl_error_set(ps->err, code, fmt, a, b);
    rl_error_locate(ps->err, code, ps->config->path, line, 0, key);
    return 0;
}

/* The first control character of text (a byte below 0x20 other than tab, or 0x7f), or NULL:
 * values are one line of text, written back into config.ini and manifest.txt. */
static const char *control_character(const char *text)
{
    for (const char *c = text; *c; c++)
        if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
            return c;
    return NULL;
}

static int add_entry(rl_config *c, const char *section, const char *key, const char *value,
                     const char *source, int line)
{
    if (c->n_entries == c->capacity) {
        size_t capacity = c->capacity ? 2 * c->capacity : 32;
        rl_config_entry *e = rl_realloc(c->entries, capacity * sizeof *e);
        if (!e)
            return RL_ENOMEM;
        c->entries = e;
        c->capacity = capacity;
    }
    rl_config_entry *e = &c->entries[c->n_entries];
    memset(e, 0, sizeof *e);
    snprintf(e->section, sizeof e->section, "%s", section);
    snprintf(e->key, sizeof e->key, "%s", key);
    e->value = rl_strdup(value);
    if (!e->value)
        return RL_ENOMEM;
    e->source = source;
    e->line = line;
    c->n_entries++;
    return RL_OK;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    parse_state *ps = user;
    rl_config *c = ps->config;
    int line = ps->in->line;
    char where[RL_CONFIG_SECTION_MAX + RL_CONFIG_KEY_MAX + 2];
    snprintf(where, sizeof where, "%s.%s", section, name);
    if (ps->failed)
        return 0;
    if (!section[0])
        return config_error(ps, RL_EPARSE, name, line,
                            "'%s' is outside a section (put it under [experiment], [env] or "
                            "[agent])%s",
                            name, "");
    bool known = false;
    for (const char *const *s = SECTIONS; *s; s++)
        known |= strcmp(*s, section) == 0;
    if (!known)
        return config_error(ps, RL_ENOTFOUND, NULL, line,
                            "unknown section [%s] (valid: [experiment], [env], [agent])%s",
                            section, "");
    const char *control = control_character(value);
    if (control) {
        char byte[8];
        snprintf(byte, sizeof byte, "0x%02x", (unsigned char)*control);
        return config_error(ps, RL_EINVAL, where, line,
                            "the value holds a control character (byte %s)%s", byte,
                            ": a value is one line of text");
    }
    rl_config_entry *prev = (rl_config_entry *)rl_config_find(c, section, name);
    if (prev) {
        /* An indented line continues the value inih just gave us for the same key. */
        bool continuation = isspace((unsigned char)ps->in->current[0]) &&
                            c->n_entries > 0 && prev == &c->entries[c->n_entries - 1];
        if (!continuation) {
            char first[32];
            snprintf(first, sizeof first, "%d", prev->line);
            return config_error(ps, RL_EINVAL, where, line,
                                "key given twice (first on line %s)%s", first, "");
        }
        size_t len = strlen(prev->value) + strlen(value) + 2;
        char *joined = rl_malloc(len);
        if (!joined)
            return config_error(ps, RL_ENOMEM, where, line, "out of memory%s%s", "", "");
        snprintf(joined, len, "%s %s", prev->value, value);
        rl_free(prev->value);
        prev->value = joined;
        return 1;
    }
    if (strlen(name) >= RL_CONFIG_KEY_MAX)
        return config_error(ps, RL_EINVAL, NULL, line, "key '%s' is too long%s", name, "");
    if (add_entry(c, section, name, value, c->path, line) != RL_OK)
        return config_error(ps, RL_ENOMEM, where, line, "out of memory%s%s", "", "");
    return 1;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return rl_strdup(".");
    if (slash == path)
        return rl_strdup("/");
    size_t len = (size_t)(slash - path);
    char *dir = rl_malloc(len + 1);
    if (dir) {
        memcpy(dir, path, len);
        dir[len] = '\0';
    }
    return dir;
}

int rl_config_load_string(const char *text, const char *name, const char *base_dir,
                          rl_config **out, rl_error *err)
{
    *out = NULL;
    rl_config *c = rl_calloc(1, sizeof *c);
    if (!c || !(c->path = rl_strdup(name)) || !(c->base_dir = rl_strdup(base_dir)) ||
        !(c->text = rl_strdup(text))) {
        rl_config_free(c);
        return rl_error_set(err, RL_ENOMEM, "out of memory reading %s", name);
    }
    reader in = {.text = text, .pos = text};
    parse_state ps = {.config = c, .in = &in, .err = err};
    int rc = ini_parse_stream(reader_next, &in, on_entry, &ps);
    if (in.long_line && (!ps.failed || ps.line > in.long_line)) {
        ps.failed = 0;
        char cap[16];
        snprintf(cap, sizeof cap, "%d", INI_LINE_CAP - 1);
        config_error(&ps, RL_EPARSE, NULL, in.long_line,
                     "line is longer than %s characters (inih's limit); continue a long "
                     "value on an indented next line%s",
                     cap, "");
        rc = -1;
    }
    if (ps.failed && !(rc > 0 && ps.line > rc)) { /* else inih saw an earlier error */
        rl_config_free(c);
        return ps.code;
    }
    if (rc != 0) {
        rl_error_set(err, RL_EPARSE,
                     "syntax error: expected [section], key = value, or a ; comment");
        rl_error_locate(err, RL_EPARSE, name, rc > 0 ? rc : 0, 0, NULL);
        rl_config_free(c);
        return RL_EPARSE;
    }
    *out = c;
    return RL_OK;
}

int rl_config_load_file(const char *path, rl_config **out, rl_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return rl_error_set(err, RL_EIO, "cannot read config file '%s': %s", path,
                            strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len > RL_CONFIG_FILE_MAX) {
            rl_free(text);
            fclose(f);
            rl_error_set(err, RL_ERANGE, "config file is larger than %d bytes (the limit)",
                         RL_CONFIG_FILE_MAX);
            return rl_error_locate(err, RL_ERANGE, path, 0, 0, NULL);
        }
        if (len + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 8192;
            char *t = rl_realloc(text, cap);
            if (!t) {
                rl_free(text);
                fclose(f);
                return rl_error_set(err, RL_ENOMEM, "out of memory reading '%s'", path);
            }
            text = t;
        }
        errno = 0;
        size_t n = fread(text + len, 1, 4096, f);
        len += n;
        if (n < 4096)
            break;
    }
    int failed = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (failed) {
        rl_free(text);
        return rl_error_set(err, RL_EIO, "cannot read config file '%s': %s", path,
                            strerror(failed));
    }
    text[len] = '\0';
    if (strlen(text) != len) {
        rl_free(text);
        rl_error_set(err, RL_EPARSE, "config file contains a NUL byte");
        return rl_error_locate(err, RL_EPARSE, path, 0, 0, NULL);
    }
    char *dir = dir_of(path);
    int rc = dir ? rl_config_load_string(text, path, dir, out, err)
                 : rl_error_set(err, RL_ENOMEM, "out of memory");
    rl_free(dir);
    rl_free(text);
    return rc;
}

int rl_config_override(rl_config *c, const char *assignment, rl_error *err)
{
    const char *dot = strchr(assignment, '.');
    const char *eq = strchr(assignment, '=');
    if (!dot || !eq || dot > eq) {
        rl_error_set(err, RL_EINVAL, "override '%s' is not section.key=value", assignment);
        return rl_error_locate(err, RL_EINVAL, RL_CONFIG_OVERRIDE_SOURCE, 0, 0, NULL);
    }
    char section[RL_CONFIG_SECTION_MAX], key[RL_CONFIG_KEY_MAX], where[128];
    snprintf(section, sizeof section, "%.*s", (int)(dot - assignment), assignment);
    int klen = (int)(eq - dot - 1);
    while (klen > 0 && isspace((unsigned char)dot[klen]))
        klen--;
    snprintf(key, sizeof key, "%.*s", klen, dot + 1);
    snprintf(where, sizeof where, "%s.%s", section, key);
    const char *value = eq + 1;
    while (isspace((unsigned char)*value))
        value++;
    bool known = false;
    for (const char *const *s = SECTIONS; *s; s++)
        known |= strcmp(*s, section) == 0;
    if (!known || !key[0]) {
        rl_error_set(err, RL_ENOTFOUND,
                     known ? "override has no key"
                           : "unknown section (valid: experiment, env, agent)");
        return rl_error_locate(err, RL_ENOTFOUND, RL_CONFIG_OVERRIDE_SOURCE, 0, 0, where);
    }
    const char *control = control_character(value);
    if (control) {
        rl_error_set(err, RL_EINVAL,
                     "the value holds a control character (byte 0x%02x): a value is one line "
                     "of text",
                     (unsigned char)*control);
        return rl_error_locate(err, RL_EINVAL, RL_CONFIG_OVERRIDE_SOURCE, 0, 0, where);
    }
    rl_config_entry *e = (rl_config_entry *)rl_config_find(c, section, key);
    if (e) {
        char *v = rl_strdup(value);
        if (!v)
            return rl_error_set(err, RL_ENOMEM, "out of memory");
        rl_free(e->value);
        e->value = v;
        e->source = RL_CONFIG_OVERRIDE_SOURCE;
        e->line = 0;
        return RL_OK;
    }
    if (add_entry(c, section, key, value, RL_CONFIG_OVERRIDE_SOURCE, 0) != RL_OK)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    return RL_OK;
}

const rl_config_entry *rl_config_find(const rl_config *c, const char *section, const char *key)
{
    for (size_t i = 0; i < c->n_entries; i++)
        if (strcmp(c->entries[i].section, section) == 0 && strcmp(c->entries[i].key, key) == 0)
            return &c->entries[i];
    return NULL;
}

int rl_config_locate(rl_error *err, int code, const rl_config_entry *e)
{
    if (!err)
        return code;
    char where[RL_CONFIG_SECTION_MAX + RL_CONFIG_KEY_MAX + 2];
    snprintf(where, sizeof where, "%s.%s", e->section, e->key);
    err->file[0] = '\0';
    err->line = 0;
    err->column = 0;
    return rl_error_locate(err, code, e->source, e->line, 0, where);
}

void rl_config_free(rl_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_entries; i++)
        rl_free(c->entries[i].value);
    rl_free(c->entries);
    rl_free(c->path);
    rl_free(c->base_dir);
    rl_free(c->text);
    rl_free(c);
}

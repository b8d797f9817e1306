/* Config loading with inih: see config.h.
 *
 * Debian's inih 55 passes handlers no line number, so the text is fed through
 * ini_parse_stream with a reader that counts lines and remembers the current one (to tell a
 * continuation line from a repeated key, and to catch lines over the 200-character cap that
 * inih would otherwise split silently).
 *
 * Every error of the file is reported, not only the first. inih goes on after an error but
 * names only the first line it could not read, so the reader also looks at each line once
 * inih is done with it: a line that is not blank, a comment, a [section] header or something
 * inih handed to the handler is a syntax error. Section headers are seen there too, so an
 * unknown section is reported at its header even when it holds no key.
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

#define INI_LINE_CAP (RL_CONFIG_LINE_MAX + 1) /* inih's INI_MAX_LINE, NUL included */

static const char *const SECTIONS[] = {"experiment", "env", "agent", NULL};

typedef struct reader {
    const char *text, *pos;
    int line;
    char current[INI_LINE_CAP + 2];
    bool current_long;    /* the current line is over the cap (its tail was cut) */
    bool handled;         /* inih called the handler for the current line */
    bool section_unknown; /* the last [section] header names no section of ours */
} reader;

typedef struct parse_state {
    rl_config *config;
    reader *in;
    rl_error_list *errors;
    /* The key of the last line handed to the handler, and whether it was dropped (an error):
     * an indented line after it continues it, and is dropped with it. */
    char last_section[RL_CONFIG_SECTION_MAX], last_key[RL_CONFIG_KEY_MAX];
    bool last_dropped;
    bool out_of_memory;
} parse_state;

static bool known_section(const char *section)
{
    for (const char *const *s = SECTIONS; *s; s++)
        if (strcmp(*s, section) == 0)
            return true;
    return false;
}

/* Records an error at line of the config (key may be NULL). */
static void config_error(parse_state *ps, int code, const char *key, int line,
                         const char *fmt, const char *a, const char *b)
{
    rl_error e;
    rl_error_set(&e, code, fmt, a, b);
    rl_error_locate(&e, code, ps->config->path, line, 0, key);
    rl_error_list_add(ps->errors, &e);
}

/* inih's own test for an inline comment: a ';' after whitespace ends the line's content. */
static const char *find_or_comment(const char *s, char c)
{
    bool after_space = false;
    for (; *s && *s != c; s++) {
        if (after_space && *s == ';')
            break;
        after_space = isspace((unsigned char)*s);
    }
    return s;
}

/* What inih made of the line just done with (in->current, number in->line): a syntax error
 * when it was none of blank, comment, [section] header or handled; a header sets the
 * section the next keys go to, and an unknown one is reported here, once. */
static void check_line(parse_state *ps)
{
    reader *in = ps->in;
    if (!in->line || in->current_long) /* nothing read yet; a long line is reported */
        return;
    const char *start = in->current;
    if (in->line == 1 && strncmp(start, "\xef\xbb\xbf", 3) == 0) /* inih skips a BOM */
        start += 3;
    while (isspace((unsigned char)*start))
        start++;
    if (!*start || *start == ';' || *start == '#' || in->handled)
        return;
    if (*start == '[') {
        const char *end = find_or_comment(start + 1, ']');
        if (*end == ']') {
            char section[RL_CONFIG_SECTION_MAX + 64];
            snprintf(section, sizeof section, "%.*s", (int)(end - start - 1), start + 1);
            in->section_unknown = !known_section(section);
            if (in->section_unknown)
                config_error(ps, RL_ENOTFOUND, NULL, in->line,
                             "unknown section [%s] (valid: [experiment], [env], [agent])%s",
                             section, "");
            return;
        }
    }
    config_error(ps, RL_EPARSE, NULL, in->line,
                 "syntax error: expected [section], key = value, or a ; comment%s%s", "", "");
}

static char *reader_next(char *str, int num, void *stream)
{
    parse_state *ps = stream;
    reader *in = ps->in;
    check_line(ps);
    if (!*in->pos)
        return NULL;
    size_t len = strcspn(in->pos, "\n");
    size_t take = len + (in->pos[len] == '\n');
    in->line++;
    in->handled = false;
    in->current_long = len >= (size_t)num; /* 199 characters + NUL fit */
    if (in->current_long) {
        char cap[16];
        snprintf(cap, sizeof cap, "%d", num - 1);
        config_error(ps, RL_EPARSE, NULL, in->line,
                     "line is longer than %s characters (inih's limit); continue a long "
                     "value on an indented next line%s",
                     cap, "");
    }
    size_t copy = take < (size_t)num - 1 ? take : (size_t)num - 1;
    memcpy(str, in->pos, copy);
    str[copy] = '\0';
    snprintf(in->current, sizeof in->current, "%s", str);
    in->pos += take;
    return str;
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

/* Whether this line continues the key handled last (an indented line for the same key:
 * inih's multi-line values). */
static bool continues_last(const parse_state *ps, const char *section, const char *name)
{
    return isspace((unsigned char)ps->in->current[0]) &&
           strcmp(ps->last_section, section) == 0 && strcmp(ps->last_key, name) == 0;
}

/* Handles one key = value line; returns false when the line is dropped for an error. */
static bool take_entry(parse_state *ps, const char *section, const char *name,
                       const char *value)
{
    rl_config *c = ps->config;
    int line = ps->in->line;
    char where[RL_CONFIG_SECTION_MAX + RL_CONFIG_KEY_MAX + 2];
    snprintf(where, sizeof where, "%.15s.%.63s", section, name);
    bool continuation = continues_last(ps, section, name);
    if (continuation && ps->last_dropped)
        return false; /* the rest of a value already refused */
    if (ps->in->current_long)
        return false; /* reported when read; what inih got of it is cut short */
    if (!section[0]) {
        config_error(ps, RL_EPARSE, name, line,
                     "'%s' is outside a section (put it under [experiment], [env] or "
                     "[agent])%s",
                     name, "");
        return false;
    }
    if (!known_section(section)) {
        if (!ps->in->section_unknown) /* else its header was reported */
            config_error(ps, RL_ENOTFOUND, NULL, line,
                         "unknown section [%s] (valid: [experiment], [env], [agent])%s",
                         section, "");
        return false;
    }
    const char *control = control_character(value);
    if (control) {
        char byte[8];
        snprintf(byte, sizeof byte, "0x%02x", (unsigned char)*control);
        config_error(ps, RL_EINVAL, where, line, "the value holds a control character (byte %s)%s",
                     byte, ": a value is one line of text");
        return false;
    }
    rl_config_entry *prev = (rl_config_entry *)rl_config_find(c, section, name);
    if (prev && continuation && prev == &c->entries[c->n_entries - 1]) {
        size_t len = strlen(prev->value) + strlen(value) + 2;
        char *joined = rl_malloc(len);
        if (!joined) {
            ps->out_of_memory = true;
            return false;
        }
        snprintf(joined, len, "%s %s", prev->value, value);
        rl_free(prev->value);
        prev->value = joined;
        return true;
    }
    if (prev) {
        char first[32];
        snprintf(first, sizeof first, "%d", prev->line);
        config_error(ps, RL_EINVAL, where, line, "key given twice (first on line %s)%s", first,
                     "");
        return false;
    }
    if (strlen(name) >= RL_CONFIG_KEY_MAX) {
        config_error(ps, RL_EINVAL, NULL, line, "key '%s' is too long%s", name, "");
        return false;
    }
    if (add_entry(c, section, name, value, c->path, line) != RL_OK) {
        ps->out_of_memory = true;
        return false;
    }
    return true;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    parse_state *ps = user;
    ps->in->handled = true;
    bool continuation = continues_last(ps, section, name);
    bool taken = take_entry(ps, section, name, value);
    if (!continuation) {
        snprintf(ps->last_section, sizeof ps->last_section, "%s", section);
        snprintf(ps->last_key, sizeof ps->last_key, "%s", name);
        ps->last_dropped = !taken;
    }
    return taken ? 1 : 0;
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

int rl_config_read_string(const char *text, const char *name, const char *base_dir,
                          rl_config **out, rl_error_list *errors)
{
    *out = NULL;
    rl_config *c = rl_calloc(1, sizeof *c);
    if (!c || !(c->path = rl_strdup(name)) || !(c->base_dir = rl_strdup(base_dir)) ||
        !(c->text = rl_strdup(text))) {
        rl_config_free(c);
        rl_error e;
        rl_error_set(&e, RL_ENOMEM, "out of memory reading %s", name);
        rl_error_list_add(errors, &e);
        return RL_ENOMEM;
    }
    size_t before = errors->n + errors->more;
    reader in = {.text = text, .pos = text};
    parse_state ps = {.config = c, .in = &in, .errors = errors};
    int rc = ini_parse_stream(reader_next, &ps, on_entry, &ps);
    if (ps.out_of_memory) {
        rl_error e;
        rl_error_set(&e, RL_ENOMEM, "out of memory reading %s", name);
        rl_error_list_add(errors, &e);
    }
    /* inih names the first line it could not read: reported above unless it slipped past
     * the line checks (then it is said here). */
    bool seen = false;
    for (size_t i = 0; i < errors->n; i++)
        seen |= errors->items[i].line == rc && strcmp(errors->items[i].file, name) == 0;
    if (rc != 0 && !seen) {
        rl_error e;
        rl_error_set(&e, RL_EPARSE,
                     "syntax error: expected [section], key = value, or a ; comment");
        rl_error_locate(&e, RL_EPARSE, name, rc > 0 ? rc : 0, 0, NULL);
        rl_error_list_add(errors, &e);
    }
    rl_error_list_sort(errors, name);
    *out = c;
    if (ps.out_of_memory)
        return RL_ENOMEM;
    return errors->n + errors->more > before ? rl_error_list_code(errors) : RL_OK;
}

/* The rl_config_load_* answer to a read that returned rc: on failure, no config, and the
 * first error (out of memory before anything else) in err. Frees errors. */
static int keep_first(int rc, rl_error_list *errors, rl_config **out, rl_error *err)
{
    if (rc != RL_OK) {
        if (rc == RL_ENOMEM)
            rl_error_set(err, RL_ENOMEM, "out of memory reading a config");
        else if (errors->n && err)
            *err = errors->items[0];
        else
            rl_error_set(err, rc, "%s", rl_strerror(rc));
        rl_config_free(*out);
        *out = NULL;
    }
    rl_error_list_free(errors);
    return rc;
}

int rl_config_load_string(const char *text, const char *name, const char *base_dir,
                          rl_config **out, rl_error *err)
{
    rl_error_list errors = {0};
    int rc = rl_config_read_string(text, name, base_dir, out, &errors);
    return keep_first(rc, &errors, out, err);
}

/* Records err's error in errors; returns its code. */
static int report(rl_error_list *errors, const rl_error *err)
{
    return rl_error_list_add(errors, err);
}

int rl_config_read_file(const char *path, rl_config **out, rl_error_list *errors)
{
    *out = NULL;
    rl_error err;
    FILE *f = fopen(path, "rb");
    if (!f) {
        rl_error_set(&err, RL_EIO, "cannot read config file '%s': %s", path, strerror(errno));
        return report(errors, &err);
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len > RL_CONFIG_FILE_MAX) {
            rl_free(text);
            fclose(f);
            rl_error_set(&err, RL_ERANGE, "config file is larger than %d bytes (the limit)",
                         RL_CONFIG_FILE_MAX);
            rl_error_locate(&err, RL_ERANGE, path, 0, 0, NULL);
            return report(errors, &err);
        }
        if (len + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 8192;
            char *t = rl_realloc(text, cap);
            if (!t) {
                rl_free(text);
                fclose(f);
                rl_error_set(&err, RL_ENOMEM, "out of memory reading '%s'", path);
                return report(errors, &err);
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
        rl_error_set(&err, RL_EIO, "cannot read config file '%s': %s", path, strerror(failed));
        return report(errors, &err);
    }
    text[len] = '\0';
    if (strlen(text) != len) {
        rl_free(text);
        rl_error_set(&err, RL_EPARSE, "config file contains a NUL byte");
        rl_error_locate(&err, RL_EPARSE, path, 0, 0, NULL);
        return report(errors, &err);
    }
    char *dir = dir_of(path);
    int rc;
    if (dir) {
        rc = rl_config_read_string(text, path, dir, out, errors);
    } else {
        rl_error_set(&err, RL_ENOMEM, "out of memory");
        rc = report(errors, &err);
    }
    rl_free(dir);
    rl_free(text);
    return rc;
}

int rl_config_load_file(const char *path, rl_config **out, rl_error *err)
{
    rl_error_list errors = {0};
    int rc = rl_config_read_file(path, out, &errors);
    return keep_first(rc, &errors, out, err);
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
    if (e && strcmp(e->source, RL_CONFIG_OVERRIDE_SOURCE) == 0) {
        /* As a key given twice in a file: which of the two was meant is not ours to guess. */
        rl_error_set(err, RL_EINVAL,
                     "key given twice on the command line ('%s=%s', then '%s'); give each "
                     "key once (a comma list sweeps)",
                     where, e->value, assignment);
        return rl_error_locate(err, RL_EINVAL, RL_CONFIG_OVERRIDE_SOURCE, 0, 0, where);
    }
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

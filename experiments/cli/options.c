/* The command-line parser: see options.h. */
#include "experiments/cli/options.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The spelling of names that arg starts with: its length, 0 if none. A short name ("-j")
 * matches "-j" and "-j4"; a long one ("--out") matches "--out" and "--out=DIR". */
static size_t match(const char *names, const char *arg)
{
    for (const char *n = names; *n;) {
        size_t len = strcspn(n, "|");
        bool is_long = len > 2 && n[1] == '-';
        if (strncmp(arg, n, len) == 0 &&
            (arg[len] == '\0' || (is_long ? arg[len] == '=' : len == 2)))
            return len;
        n += len + (n[len] == '|');
    }
    return 0;
}

void rl_option_first_name(const rl_option *o, char *buf, size_t size)
{
    snprintf(buf, size, "%.*s", (int)strcspn(o->names, "|"), o->names);
}

/* The index of value among choices ("a|b|c"), or -1. */
static int choice_index(const char *choices, const char *value)
{
    int i = 0;
    for (const char *c = choices; *c; i++) {
        size_t len = strcspn(c, "|");
        if (strlen(value) == len && strncmp(c, value, len) == 0)
            return i;
        c += len + (c[len] == '|');
    }
    return -1;
}

/* "png, svg or pdf" from "png|svg|pdf". */
static void describe_choices(const char *choices, char *buf, size_t size)
{
    size_t n = 1, used = 0;
    for (const char *c = choices; *c; c++)
        n += *c == '|';
    buf[0] = '\0';
    size_t i = 0;
    for (const char *c = choices; *c && used + 1 < size; i++) {
        size_t len = strcspn(c, "|");
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        int w = snprintf(buf + used, size - used, "%s%.*s", sep, (int)len, c);
        used = w < 0 ? used : used + (size_t)w < size ? used + (size_t)w : size - 1;
        c += len + (c[len] == '|');
    }
}

static int store(const rl_cli_command *cmd, const rl_option *o, const char *name,
                 const char *value)
{
    switch (o->kind) {
    case RL_OPTION_FLAG:
        *(bool *)o->target = true;
        return RL_CLI_OK;
    case RL_OPTION_STRING:
        *(const char **)o->target = value;
        return RL_CLI_OK;
    case RL_OPTION_LIST: {
        rl_option_list *list = o->target;
        list->values[list->n++] = value;
        return RL_CLI_OK;
    }
    case RL_OPTION_COUNT: {
        char *end = NULL;
        errno = 0;
        unsigned long long v = 0;
        if (value[0] >= '0' && value[0] <= '9')
            v = strtoull(value, &end, 10);
        if (!end || *end || errno)
            return rl_cli_usage_error(cmd, "%s takes a whole number, not '%s'", name, value);
        if ((double)v < o->min || (double)v > o->max) {
            if (o->max >= (double)SIZE_MAX)
                return rl_cli_usage_error(cmd, "%s takes a whole number of at least %.0f, not "
                                               "'%s'",
                                          name, o->min, value);
            return rl_cli_usage_error(cmd, "%s takes a whole number from %.0f to %.0f, not '%s'",
                                      name, o->min, o->max, value);
        }
        *(size_t *)o->target = (size_t)v;
        return RL_CLI_OK;
    }
    case RL_OPTION_NUMBER: {
        char *end;
        double x = strtod(value, &end);
        if (!value[0] || *end || !isfinite(x))
            return rl_cli_usage_error(cmd, "%s takes a number, not '%s'", name, value);
        *(double *)o->target = x;
        return RL_CLI_OK;
    }
    case RL_OPTION_CHOICE: {
        int i = choice_index(o->choices, value);
        if (i < 0) {
            char allowed[256];
            describe_choices(o->choices, allowed, sizeof allowed);
            return rl_cli_usage_error(cmd, "%s: '%s' is not %s", name, value, allowed);
        }
        *(int *)o->target = i;
        return RL_CLI_OK;
    }
    }
    return rl_cli_usage_error(cmd, "%s: unknown kind of option", name);
}

int rl_options_parse(const rl_cli_command *cmd, int argc, char **argv,
                     const rl_option *options, rl_positionals *pos)
{
    bool only_positional = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_positional || a[0] != '-' || strcmp(a, "-") == 0) {
            if (!pos || pos->max == 0)
                return rl_cli_usage_error(cmd, "unexpected argument '%s'", a);
            if (pos->n == pos->max) {
                if (pos->max == 1)
                    return rl_cli_usage_error(cmd, "one %s at a time ('%s', then '%s')",
                                              pos->what, pos->values[0], a);
                return rl_cli_usage_error(cmd, "at most %zu %s arguments", pos->max,
                                          pos->what);
            }
            pos->values[pos->n++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_positional = true;
            continue;
        }
        if (rl_cli_is_help(a)) {
            rl_cli_print_help(cmd);
            return RL_OPTIONS_HELP;
        }
        const rl_option *o = options;
        size_t len = 0;
        for (; o && o->names; o++)
            if ((len = match(o->names, a)) > 0)
                break;
        if (!o || !o->names)
            return rl_cli_usage_error(cmd, "unknown option '%.*s'", (int)strcspn(a, "="), a);
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)len, a);
        const char *value = NULL;
        if (a[len] == '=')
            value = a + len + 1;
        else if (a[len])
            value = a + len; /* "-j4" */
        if (o->kind == RL_OPTION_FLAG) {
            if (value)
                return rl_cli_usage_error(cmd, "%s takes no value", name);
        } else if (!value) {
            if (i + 1 >= argc)
                return rl_cli_usage_error(cmd, "%s needs a value", name);
            value = argv[++i];
        }
        int rc = store(cmd, o, name, value);
        if (rc != RL_CLI_OK)
            return rc;
    }
    return RL_CLI_OK;
}

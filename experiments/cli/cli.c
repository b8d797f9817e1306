/* Helpers shared by the gridrl subcommands: see cli.h. */
#define _POSIX_C_SOURCE 200809L /* isatty, fileno */

#include "experiments/cli/cli.h"

#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiments/cli/grid_draw.h"
#include "rl/version.h"

const char *rl_cli_version(void)
{
    return rl_version();
}

int rl_cli_status(int code)
{
    switch (code) {
    case RL_OK: return RL_CLI_OK;
    case RL_EINVAL:
    case RL_EPARSE:
    case RL_ERANGE:
    case RL_ENOTFOUND:
    case RL_EUNSUPPORTED: return RL_CLI_USAGE;
    default: return RL_CLI_FAILURE;
    }
}

int rl_cli_error(const rl_error *err)
{
    char buf[RL_ERROR_MESSAGE_MAX + RL_ERROR_FILE_MAX + RL_ERROR_KEY_MAX + 32];
    rl_error_format(err, buf, sizeof buf);
    fprintf(stderr, "gridrl: %s\n", buf);
    return rl_cli_status(err->code);
}

/* The first line of a help text: its usage line. */
static void print_usage_line(FILE *out, const rl_cli_command *cmd)
{
    size_t len = strcspn(cmd->help, "\n");
    fprintf(out, "%.*s\n", (int)len, cmd->help);
}

int rl_cli_usage_error(const rl_cli_command *cmd, const char *fmt, ...)
{
    const char *parent = cmd->parent ? cmd->parent : "", *space = cmd->parent ? " " : "";
    fprintf(stderr, "gridrl %s%s%s: ", parent, space, cmd->name);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    print_usage_line(stderr, cmd);
    if (cmd->parent)
        fprintf(stderr, "Try 'gridrl %s %s --help' for more.\n", cmd->parent, cmd->name);
    else
        fprintf(stderr, "Try 'gridrl help %s' for more.\n", cmd->name);
    return RL_CLI_USAGE;
}

int rl_cli_print_help(const rl_cli_command *cmd)
{
    fputs(cmd->help, stdout);
    return RL_CLI_OK;
}

bool rl_cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

void rl_cli_print_table(FILE *out, const char *indent, size_t n_rows, size_t n_cols,
                        const char *const *cells)
{
    assert(n_cols <= RL_CLI_TABLE_MAX_COLS);
    size_t width[RL_CLI_TABLE_MAX_COLS] = {0};
    for (size_t r = 0; r < n_rows; r++) {
        for (size_t c = 0; c < n_cols; c++) {
            const char *cell = cells[r * n_cols + c];
            size_t w = cell ? rl_grid_text_width(cell) : 0;
            if (w > width[c])
                width[c] = w;
        }
    }
    for (size_t r = 0; r < n_rows; r++) {
        fputs(indent, out);
        for (size_t c = 0; c < n_cols; c++) {
            const char *cell = cells[r * n_cols + c] ? cells[r * n_cols + c] : "";
            fputs(cell, out);
            if (c + 1 < n_cols)
                fprintf(out, "%*s", (int)(width[c] - rl_grid_text_width(cell) + 2), "");
        }
        fputc('\n', out);
    }
}

bool rl_cli_parse_color(const char *text, rl_cli_color *out)
{
    if (strcmp(text, "auto") == 0)
        *out = RL_CLI_COLOR_AUTO;
    else if (strcmp(text, "always") == 0)
        *out = RL_CLI_COLOR_ALWAYS;
    else if (strcmp(text, "never") == 0)
        *out = RL_CLI_COLOR_NEVER;
    else
        return false;
    return true;
}

bool rl_cli_isatty(FILE *out)
{
    return isatty(fileno(out)) == 1;
}

bool rl_cli_use_color(FILE *out, rl_cli_color when)
{
    if (when != RL_CLI_COLOR_AUTO)
        return when == RL_CLI_COLOR_ALWAYS;
    const char *no_color = getenv("NO_COLOR");
    if (no_color && no_color[0])
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return rl_cli_isatty(out);
}

void rl_cli_format_runs(char *buf, size_t size, const size_t *runs, size_t shown, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < shown && used < size;) {
        size_t j = i; /* runs[i .. j] are consecutive */
        while (j + 1 < shown && runs[j + 1] == runs[j] + 1)
            j++;
        int w = j > i + 1 ? snprintf(buf + used, size - used, "%s%zu-%zu", i ? ", " : "",
                                     runs[i], runs[j])
                          : snprintf(buf + used, size - used, "%s%zu", i ? ", " : "", runs[i]);
        used += w > 0 ? (size_t)w : 0;
        i = j > i + 1 ? j + 1 : i + 1;
    }
    if (n > shown && used < size)
        snprintf(buf + used, size - used, ", ...");
}

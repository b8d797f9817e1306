/* Shell-quoted command lines: see shell.h. */
#include "experiments/cli/shell.h"

#include <stdlib.h>
#include <string.h>

/* Appends arg to line, quoted (rl_shell_quote); line has room for 4 * strlen(arg) + 3 more. */
static void append_quoted(char *line, const char *arg)
{
    static const char PLAIN[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789_-./=:,+@%";
    char *p = line + strlen(line);
    if (arg[0] && strspn(arg, PLAIN) == strlen(arg)) {
        strcpy(p, arg);
        return;
    }
    *p++ = '\'';
    for (const char *c = arg; *c; c++) {
        if (*c == '\'') {
            memcpy(p, "'\\''", 4);
            p += 4;
        } else {
            *p++ = *c;
        }
    }
    *p++ = '\'';
    *p = '\0';
}

char *rl_shell_quote(const char *arg)
{
    char *out = malloc(4 * strlen(arg) + 3); /* a quote can become four characters */
    if (out) {
        out[0] = '\0';
        append_quoted(out, arg);
    }
    return out;
}

char *rl_shell_command_line(int argc, char **argv, bool for_resume)
{
    size_t len = strlen("gridrl --resume") + 1;
    for (int i = 0; i < argc; i++)
        len += 4 * strlen(argv[i]) + 3;
    char *line = malloc(len);
    if (!line)
        return NULL;
    strcpy(line, "gridrl");
    for (int i = 0; i < argc; i++) {
        if (for_resume && (strcmp(argv[i], "--force") == 0 || strcmp(argv[i], "--resume") == 0))
            continue;
        strcat(line, " ");
        append_quoted(line, argv[i]);
    }
    if (for_resume)
        strcat(line, " --resume");
    return line;
}

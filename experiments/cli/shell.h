/* Command lines as a shell reads them back: what gridrl prints for the user to run next (the
 * --resume command after an interrupt, the command that completes a merge) and what the
 * manifest records.
 */
#ifndef GRIDRL_EXPERIMENTS_CLI_SHELL_H
#define GRIDRL_EXPERIMENTS_CLI_SHELL_H

#include <stdbool.h>

/* arg quoted for the shell (malloc'd, NULL when out of memory): as it is when it holds only
 * characters the shell takes literally, else in single quotes (a quote inside as '\''). */
char *rl_shell_quote(const char *arg);

/* "gridrl ARGS..." (malloc'd, NULL when out of memory), each argument quoted; for_resume
 * drops --force and --resume and appends --resume: the command that finishes an interrupted
 * experiment. */
char *rl_shell_command_line(int argc, char **argv, bool for_resume);

#endif

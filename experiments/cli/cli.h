/* The gridrl command line: the subcommand table's entry type, the subcommands' entry points
 * and the small helpers they share (exit statuses, error printing, colour detection).
 *
 * main.c holds the table of commands; each command parses its own options and receives its
 * own table entry, so it can print its help (--help) and its usage line (on a usage error).
 * Library code never prints: commands turn an rl_error into a message on stderr and an exit
 * status here.
 */
#ifndef GRIDRL_EXPERIMENTS_CLI_CLI_H
#define GRIDRL_EXPERIMENTS_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "rl/error.h"

/* Exit statuses of every command. */
enum {
    RL_CLI_OK = 0,      /* success */
    RL_CLI_FAILURE = 1, /* anything that is not the user's input: memory, I/O, numerics */
    RL_CLI_USAGE = 2    /* bad input: usage, unknown names, bad values, bad map or config */
};

typedef struct rl_cli_command rl_cli_command;

/* argv[0] is the command's name; returns an exit status. */
typedef int (*rl_cli_function)(const rl_cli_command *cmd, int argc, char **argv);

struct rl_cli_command {
    const char *name;
    const char *summary;  /* one line, for `gridrl help` */
    rl_cli_function run;
    const char *help;     /* first line "usage: ...", then description, options, examples */
    const char *parent;   /* the command this one belongs to ("bench"), or NULL */
};

/* The subcommands. */
int rl_cli_list(const rl_cli_command *cmd, int argc, char **argv);
int rl_cli_show(const rl_cli_command *cmd, int argc, char **argv);
extern const char rl_cli_list_help[];
extern const char rl_cli_show_help[];
int rl_cli_run(const rl_cli_command *cmd, int argc, char **argv);
extern const char rl_cli_run_help[];
int rl_cli_bench(const rl_cli_command *cmd, int argc, char **argv);
extern const char rl_cli_bench_help[];
int rl_cli_plot(const rl_cli_command *cmd, int argc, char **argv);
extern const char rl_cli_plot_help[];
int rl_cli_compare(const rl_cli_command *cmd, int argc, char **argv);
extern const char rl_cli_compare_help[];
int rl_cli_merge(const rl_cli_command *cmd, int argc, char **argv);
extern const char rl_cli_merge_help[];

/* The program's version ("0.1.0"), from CMake's project version. */
const char *rl_cli_version(void);

/* The exit status for an RL_E* code: bad input is RL_CLI_USAGE, the rest RL_CLI_FAILURE. */
int rl_cli_status(int code);

/* Prints "gridrl: file:line:col: key: message" to stderr; returns rl_cli_status(err->code). */
int rl_cli_error(const rl_error *err);

/* Prints "gridrl CMD: message", the command's usage line and a pointer to its help to stderr;
 * returns RL_CLI_USAGE. */
int rl_cli_usage_error(const rl_cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints the command's help to stdout; returns RL_CLI_OK. */
int rl_cli_print_help(const rl_cli_command *cmd);

/* True for "-h" and "--help". */
bool rl_cli_is_help(const char *arg);

/* Prints n_rows rows of n_cols cells (row-major; NULL prints as "") with columns aligned in
 * display columns: each row starts with indent, cells are separated by two spaces, and the
 * last column is not padded. n_cols is at most RL_CLI_TABLE_MAX_COLS. */
#define RL_CLI_TABLE_MAX_COLS 8
void rl_cli_print_table(FILE *out, const char *indent, size_t n_rows, size_t n_cols,
                        const char *const *cells);

/* Run numbers for a message, "1, 4, 7-9": the first `shown` of an increasing list of n
 * runs, then ", ..." when n is more; into buf (size bytes). */
void rl_cli_format_runs(char *buf, size_t size, const size_t *runs, size_t shown, size_t n);

/* When to colour output: --color=auto|always|never. */
typedef enum rl_cli_color { RL_CLI_COLOR_AUTO, RL_CLI_COLOR_ALWAYS, RL_CLI_COLOR_NEVER } rl_cli_color;

/* Parses "auto", "always" or "never"; false for anything else. */
bool rl_cli_parse_color(const char *text, rl_cli_color *out);

/* True if out is a terminal. */
bool rl_cli_isatty(FILE *out);

/* Whether to write ANSI colours to out: always/never as asked; auto means out is a terminal,
 * NO_COLOR (https://no-color.org) is unset or empty, and TERM is not "dumb". */
bool rl_cli_use_color(FILE *out, rl_cli_color when);

#endif

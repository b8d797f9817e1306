/* One command-line parser for every gridrl command: each command describes its options in a
 * table, and the parser handles the spellings, values, ranges and messages the same way
 * everywhere.
 *
 * Spellings: "-o DIR", "-oDIR", "--out DIR", "--out=DIR"; flags take no value; "--" ends
 * the options (everything after is positional); "-" alone is positional; "-h" and "--help"
 * print the command's help. Errors are usage errors naming the option: "-j needs a value",
 * "--smooth takes a whole number, not 'x'", "--format: 'jpg' is not png, svg or pdf",
 * "unknown option '--fast'".
 */
#ifndef GRIDRL_EXPERIMENTS_CLI_OPTIONS_H
#define GRIDRL_EXPERIMENTS_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "experiments/cli/cli.h"

typedef enum rl_option_kind {
    RL_OPTION_FLAG,   /* bool *: set to true; no value */
    RL_OPTION_STRING, /* const char **: the value (the last one given wins) */
    RL_OPTION_LIST,   /* rl_option_list *: every value given, in order */
    RL_OPTION_COUNT,  /* size_t *: a whole number in [min, max] */
    RL_OPTION_NUMBER, /* double *: a finite number */
    RL_OPTION_CHOICE  /* int *: the index of the value in choices ("png|svg|pdf") */
} rl_option_kind;

typedef struct rl_option {
    const char *names; /* '|'-separated spellings: "-o|--out", "-j", "--heat" */
    rl_option_kind kind;
    void *target;
    const char *choices; /* CHOICE */
    double min, max;     /* COUNT: the allowed range */
} rl_option;
/* Tables end with an entry whose names is NULL. */

typedef struct rl_option_list {
    const char **values; /* room for argc values, owned by the caller */
    size_t n;
} rl_option_list;

/* The positional arguments a command takes. */
typedef struct rl_positionals {
    const char **values; /* room for max entries */
    size_t max, n;
    const char *what;    /* "CONFIG", for "more than one CONFIG ('a', 'b')" */
} rl_positionals;

enum { RL_OPTIONS_HELP = -1 }; /* the help was printed: the command ends with status 0 */

/* Parses argv[1 ..] (argv[0] is the command's name) against options into their targets and
 * pos (NULL: none allowed). Returns RL_CLI_OK, RL_OPTIONS_HELP after printing the help, or
 * RL_CLI_USAGE after printing the error with the command's usage line. */
int rl_options_parse(const rl_cli_command *cmd, int argc, char **argv,
                     const rl_option *options, rl_positionals *pos);

/* The first spelling of an option's names, for messages ("-o" of "-o|--out"). */
void rl_option_first_name(const rl_option *o, char *buf, size_t size);

#endif

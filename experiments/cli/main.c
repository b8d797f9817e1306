/* The gridrl program: dispatches `gridrl COMMAND [ARGS...]` through one table of commands.
 *
 * Each entry is {name, summary, function, help}; the function gets its own entry so it can
 * print its help and usage line. `gridrl help` and the error for an unknown command read the
 * same table, so a new command only needs its line here.
 *
 * Exit statuses: 0 success, 2 bad input (usage, unknown names, bad map or config), 1 any
 * other failure (see experiments/cli.h).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "experiments/cli/cli.h"
#include "rl/rng.h"

static int cmd_help(const rl_cli_command *cmd, int argc, char **argv);

static const char help_help[] =
    "usage: gridrl help [COMMAND]\n"
    "\n"
    "Shows the list of commands, or the help of one command (the same as\n"
    "'gridrl COMMAND --help').\n"
    "\n"
    "examples:\n"
    "  gridrl help\n"
    "  gridrl help show\n";

static const rl_cli_command COMMANDS[] = {
    {"list", "list env types, presets and algorithms with their parameters", rl_cli_list,
     rl_cli_list_help, NULL},
    {"show", "draw a preset or map file and print its parameters", rl_cli_show,
     rl_cli_show_help, NULL},
    {"run", "run the experiment a config file describes (default: Zhao Fig 3.4(a))",
     rl_cli_run, rl_cli_run_help, NULL},
    {"merge", "write the files of an experiment whose runs shards wrote (gridrl run --shard)",
     rl_cli_merge, rl_cli_merge_help, NULL},
    {"bench", "time the algorithms against hand-written code (gridrl bench lists them)",
     rl_cli_bench, rl_cli_bench_help, NULL},
    {"plot", "draw a results directory with gnuplot: curves, grids, sweeps, convergence, steps",
     rl_cli_plot, rl_cli_plot_help, NULL},
    {"compare", "rank the configurations of experiments by their runs' scores (IQM, P(X > Y))",
     rl_cli_compare, rl_cli_compare_help, NULL},
    {"help", "show the help of gridrl or of a command", cmd_help, help_help, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const rl_cli_command *find_command(const char *name)
{
    for (const rl_cli_command *c = COMMANDS; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

static void print_overview(FILE *out)
{
    fprintf(out, "usage: gridrl COMMAND [ARGS...]\n"
                 "       gridrl --help | --version\n"
                 "\n"
                 "gridrl: reinforcement learning on gridworlds, after Zhao's Mathematical\n"
                 "Foundations of RL and Sutton & Barto's Reinforcement Learning.\n"
                 "\n"
                 "commands:\n");
    size_t width = 0;
    for (const rl_cli_command *c = COMMANDS; c->name; c++)
        if (strlen(c->name) > width)
            width = strlen(c->name);
    for (const rl_cli_command *c = COMMANDS; c->name; c++)
        fprintf(out, "  %-*s  %s\n", (int)width, c->name, c->summary);
    fprintf(out, "\n"
                 "'gridrl help COMMAND' or 'gridrl COMMAND --help' shows a command's options.\n"
                 "Exit status: 0 success, 2 bad input (usage, unknown name, bad map or config),\n"
                 "1 any other failure.\n");
}

/* "list, show, help" for error messages. */
static void print_command_names(FILE *out)
{
    for (const rl_cli_command *c = COMMANDS; c->name; c++)
        fprintf(out, "%s%s", c == COMMANDS ? "" : ", ", c->name);
}

static int unknown_command(const char *name)
{
    fprintf(stderr, "gridrl: unknown command '%s' (commands: ", name);
    print_command_names(stderr);
    fprintf(stderr, ")\nTry 'gridrl help'.\n");
    return RL_CLI_USAGE;
}

static int cmd_help(const rl_cli_command *cmd, int argc, char **argv)
{
    if (argc == 1) {
        print_overview(stdout);
        return RL_CLI_OK;
    }
    if (argc > 2)
        return rl_cli_usage_error(cmd, "one COMMAND at a time");
    if (rl_cli_is_help(argv[1]))
        return rl_cli_print_help(cmd);
    const rl_cli_command *c = find_command(argv[1]);
    if (!c)
        return unknown_command(argv[1]);
    return rl_cli_print_help(c);
}

int main(int argc, char **argv)
{
    rl_gsl_init();
    /* Past a file size limit (ulimit -f) a write fails with EFBIG, reported and cleaned up
     * like any other I/O error, instead of the signal killing the program mid-file. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        print_overview(stderr);
        return RL_CLI_USAGE;
    }
    const char *name = argv[1];
    if (rl_cli_is_help(name)) {
        print_overview(stdout);
        return RL_CLI_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("gridrl %s\n", rl_cli_version());
        return RL_CLI_OK;
    }
    if (name[0] == '-') {
        fprintf(stderr, "gridrl: unknown option '%s'\nTry 'gridrl help'.\n", name);
        return RL_CLI_USAGE;
    }
    const rl_cli_command *cmd = find_command(name);
    if (!cmd)
        return unknown_command(name);
    return cmd->run(cmd, argc - 1, argv + 1);
}

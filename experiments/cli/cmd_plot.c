/* `gridrl plot DIR [options]`: draws a results directory with gnuplot (experiments/plot.h):
 * parses the options, then prints each picture written and each plot that does not apply.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/cli/cli.h"
#include "experiments/plot/plot.h"

const char rl_cli_plot_help[] =
    "usage: gridrl plot DIR [--what WHAT] [--format png|svg|pdf] [--metric METRIC]\n"
    "                   [--smooth N] [--first N | --last N] [--ymin Y] [--ymax Y]\n"
    "                   [--yscale auto|linear|log] [--heat]\n"
    "\n"
    "Draws the results of 'gridrl run' in DIR with gnuplot, into DIR/plots/. Next to each\n"
    "picture are the gnuplot script that drew it and the data it read that is not a result\n"
    "file as it stands (smoothed curves, steps.csv summarised, the policy's arrows, the\n"
    "sweep summary), so that\n"
    "    gnuplot -e \"dir='DIR'\" DIR/plots/grid.gp\n"
    "redraws a picture after you edit its script. What does not apply to DIR is skipped\n"
    "with a note (no learning curves for planners).\n"
    "\n"
    "pictures (--what, a comma list; default all):\n"
    "  curves       learning_curve_METRIC: the mean per episode of each configuration over\n"
    "               its runs, 95% interval shaded (learners)\n"
    "  steps        steps_value_rmse: the mean value error per logged step of each\n"
    "               configuration over its runs, 95% interval shaded (learners with\n"
    "               log_every_steps: steps.csv)\n"
    "  grid         grid_K for each configuration K: its policy (arrows as long as their\n"
    "               probability, a circle for stay) and its values, on the map (replicate 0)\n"
    "  sweep        sweep_METRIC: each configuration's mean over the runs of their mean\n"
    "               METRIC per episode, against the swept parameter, one line per\n"
    "               algorithm (learners)\n"
    "  convergence  convergence: delta and value error per sweep on a log scale (planners)\n"
    "\n"
    "options:\n"
    "  --format F    png (default), svg or pdf\n"
    "  --metric M    return (default), length or value_rmse: curves and sweep\n"
    "  --smooth N    curves: trailing moving average over N episodes\n"
    "  --first N     sweep: each run's mean over its first N episodes\n"
    "  --last N      sweep: over its last N (default: score_episodes of the experiment,\n"
    "                else all episodes)\n"
    "  --ymin Y, --ymax Y  curves, steps and sweep: the y axis range (default automatic)\n"
    "  --yscale S    curves and steps: auto (default: logarithmic for value_rmse when every\n"
    "                mean and interval bound drawn is > 0, else linear), linear or log\n"
    "                (values <= 0 are left out)\n"
    "  --heat        grid: colour the plain cells by their value\n"
    "  -h, --help    show this help\n"
    "\n"
    "gnuplot is the program named by the GNUPLOT environment variable, else gnuplot on PATH.\n"
    "\n"
    "examples:\n"
    "  gridrl plot results/zhao_fig3_4a\n"
    "  gridrl plot results/sb_example6_6_cliff --what curves --smooth 10 --ymin -100\n"
    "  gridrl plot results/sb_fig6_3_interim --what sweep --format svg\n"
    "  gridrl plot results/zhao_fig7_2_sarsa --what curves --metric length\n"
    "  gridrl plot results/zhao_fig7_4_offpolicy_q --what steps\n";

static const struct {
    const char *name;
    unsigned bits;
} WHATS[] = {
    {"curves", RL_PLOT_CURVES},   {"steps", RL_PLOT_STEPS},
    {"grid", RL_PLOT_GRID},       {"sweep", RL_PLOT_SWEEP},
    {"convergence", RL_PLOT_CONVERGENCE}, {"all", RL_PLOT_ALL},
};

/* A comma list of plot names; false (after printing) if a name is unknown. */
static bool parse_what(const rl_cli_command *cmd, const char *text, unsigned *out)
{
    *out = 0;
    for (const char *p = text;;) {
        size_t len = strcspn(p, ","), i = 0;
        size_t n = sizeof WHATS / sizeof WHATS[0];
        while (i < n && !(strlen(WHATS[i].name) == len && strncmp(WHATS[i].name, p, len) == 0))
            i++;
        if (i == n) {
            rl_cli_usage_error(cmd, "--what: no plot '%.*s' (plots: curves, steps, grid, "
                                    "sweep, convergence, all)",
                               (int)len, p);
            return false;
        }
        *out |= WHATS[i].bits;
        if (!p[len])
            return true;
        p += len + 1;
    }
}

/* A whole number of at least min; false (after printing) otherwise. */
static bool parse_count(const rl_cli_command *cmd, const char *name, const char *text,
                        size_t min, size_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = 0;
    if (text[0] >= '0' && text[0] <= '9')
        v = strtoull(text, &end, 10);
    if (!end || *end || errno || v < min) {
        rl_cli_usage_error(cmd, "%s takes a whole number%s, not '%s'", name,
                           min ? " of at least 1" : "", text);
        return false;
    }
    *out = v > SIZE_MAX ? SIZE_MAX : (size_t)v;
    return true;
}

static bool parse_number(const rl_cli_command *cmd, const char *name, const char *text,
                         double *out)
{
    char *end;
    *out = strtod(text, &end);
    if (!text[0] || *end || !isfinite(*out)) {
        rl_cli_usage_error(cmd, "%s takes a number, not '%s'", name, text);
        return false;
    }
    return true;
}

/* The value of option name at argv[*i]: "--name VALUE" or "--name=VALUE"; NULL if a[*i] is
 * not this option. Sets *missing when the value is absent. */
static const char *option_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
    const char *a = argv[*i];
    size_t len = strlen(name);
    if (strncmp(a, name, len) != 0)
        return NULL;
    if (a[len] == '=')
        return a + len + 1;
    if (a[len])
        return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

int rl_cli_plot(const rl_cli_command *cmd, int argc, char **argv)
{
    rl_plot_options o = RL_PLOT_OPTIONS_DEFAULT;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool missing = false;
        if (rl_cli_is_help(a))
            return rl_cli_print_help(cmd);
        if ((v = option_value(argc, argv, &i, "--format", &missing))) {
            if (strcmp(v, "png") == 0)
                o.format = RL_PLOT_PNG;
            else if (strcmp(v, "svg") == 0)
                o.format = RL_PLOT_SVG;
            else if (strcmp(v, "pdf") == 0)
                o.format = RL_PLOT_PDF;
            else
                return rl_cli_usage_error(cmd, "--format: '%s' is not png, svg or pdf", v);
        } else if ((v = option_value(argc, argv, &i, "--what", &missing))) {
            if (!parse_what(cmd, v, &o.what))
                return RL_CLI_USAGE;
        } else if ((v = option_value(argc, argv, &i, "--metric", &missing))) {
            if (strcmp(v, "return") == 0)
                o.metric = RL_PLOT_RETURN;
            else if (strcmp(v, "length") == 0)
                o.metric = RL_PLOT_LENGTH;
            else if (strcmp(v, "value_rmse") == 0)
                o.metric = RL_PLOT_VALUE_RMSE;
            else
                return rl_cli_usage_error(cmd, "--metric: '%s' is not return, length or "
                                               "value_rmse",
                                          v);
        } else if ((v = option_value(argc, argv, &i, "--smooth", &missing))) {
            if (!parse_count(cmd, "--smooth", v, 0, &o.smooth))
                return RL_CLI_USAGE;
        } else if ((v = option_value(argc, argv, &i, "--first", &missing))) {
            if (!parse_count(cmd, "--first", v, 1, &o.first))
                return RL_CLI_USAGE;
        } else if ((v = option_value(argc, argv, &i, "--last", &missing))) {
            if (!parse_count(cmd, "--last", v, 1, &o.last))
                return RL_CLI_USAGE;
        } else if ((v = option_value(argc, argv, &i, "--ymin", &missing))) {
            if (!parse_number(cmd, "--ymin", v, &o.ymin))
                return RL_CLI_USAGE;
        } else if ((v = option_value(argc, argv, &i, "--ymax", &missing))) {
            if (!parse_number(cmd, "--ymax", v, &o.ymax))
                return RL_CLI_USAGE;
        } else if ((v = option_value(argc, argv, &i, "--yscale", &missing))) {
            if (strcmp(v, "auto") == 0)
                o.yscale = RL_PLOT_YSCALE_AUTO;
            else if (strcmp(v, "linear") == 0)
                o.yscale = RL_PLOT_YSCALE_LINEAR;
            else if (strcmp(v, "log") == 0)
                o.yscale = RL_PLOT_YSCALE_LOG;
            else
                return rl_cli_usage_error(cmd, "--yscale: '%s' is not auto, linear or log", v);
        } else if (strcmp(a, "--heat") == 0) {
            o.heat = true;
        } else if (missing) {
            return rl_cli_usage_error(cmd, "%s needs a value", a);
        } else if (a[0] == '-' && a[1]) {
            return rl_cli_usage_error(cmd, "unknown option '%s'", a);
        } else if (dir) {
            return rl_cli_usage_error(cmd, "one DIR at a time ('%s', then '%s')", dir, a);
        } else {
            dir = a;
        }
    }
    if (!dir)
        return rl_cli_usage_error(cmd, "which results directory? (gridrl plot DIR)");
    if (o.first && o.last)
        return rl_cli_usage_error(cmd, "--first and --last exclude each other");
    if (isfinite(o.ymin) && isfinite(o.ymax) && !(o.ymin < o.ymax))
        return rl_cli_usage_error(cmd, "--ymin must be below --ymax");
    o.log = stdout;
    rl_error err;
    rl_error_clear(&err);
    int rc = rl_plot_dir(dir, &o, &err);
    fflush(stdout);
    return rc == RL_OK ? RL_CLI_OK : rl_cli_error(&err);
}

/* `gridrl plot DIR [options]`: draws a results directory with gnuplot (experiments/plot.h):
 * parses the options, then prints each picture written and each plot that does not apply.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/cli/cli.h"
#include "experiments/cli/options.h"
#include "experiments/plot/plot.h"

const char rl_cli_plot_help[] =
    "usage: gridrl plot DIR [--what WHAT] [--format png|svg|pdf] [--metric METRIC]\n"
    "                   [--smooth N] [--first N | --last N] [--ymin Y] [--ymax Y]\n"
    "                   [--yscale auto|linear|log] [--heat]\n"
    "\n"
    "Draws the results of 'gridrl run' in DIR with gnuplot, into DIR/plots/. Next to each\n"
    "picture are the gnuplot script that drew it and the data it read that is not a result\n"
    "file as it stands (smoothed curves, steps.csv and updates.csv summarised, the policy's\n"
    "arrows, the sweep summary), so that\n"
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
    "  updates      updates_loss, updates_value_rmse: the mean training loss and value error\n"
    "               per logged update of each configuration over its runs, 95% interval\n"
    "               shaded (learners that train on stored data, e.g. dqn with updates > 0:\n"
    "               updates.csv; Zhao Fig 8.11)\n"
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
    "  --ymin Y, --ymax Y  curves, steps, updates and sweep: the y axis range (default\n"
    "                automatic)\n"
    "  --yscale S    curves, steps and updates: auto (default: logarithmic for value_rmse and\n"
    "                loss when every mean and interval bound drawn is > 0, else linear),\n"
    "                linear or log (values <= 0 are left out)\n"
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
    "  gridrl plot results/zhao_fig7_4_offpolicy_q --what steps\n"
    "  gridrl plot results/zhao_fig8_11_dqn --what updates\n";

static const struct {
    const char *name;
    unsigned bits;
} WHATS[] = {
    {"curves", RL_PLOT_CURVES},   {"steps", RL_PLOT_STEPS},
    {"updates", RL_PLOT_UPDATES}, {"grid", RL_PLOT_GRID},
    {"sweep", RL_PLOT_SWEEP},     {"convergence", RL_PLOT_CONVERGENCE},
    {"surface", RL_PLOT_SURFACE},
    {"all", RL_PLOT_ALL},
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
            rl_cli_usage_error(cmd, "--what: no plot '%.*s' (plots: curves, steps, updates, "
                                    "grid, sweep, convergence, surface, all)",
                               (int)len, p);
            return false;
        }
        *out |= WHATS[i].bits;
        if (!p[len])
            return true;
        p += len + 1;
    }
}

int rl_cli_plot(const rl_cli_command *cmd, int argc, char **argv)
{
    rl_plot_options o = RL_PLOT_OPTIONS_DEFAULT;
    const char *dir = NULL, *what = NULL;
    int format = (int)o.format, metric = (int)o.metric, yscale = (int)o.yscale;
    /* The choices in the order of the enums they index. */
    const rl_option options[] = {
        {"--format", RL_OPTION_CHOICE, &format, "png|svg|pdf", 0, 0},
        {"--what", RL_OPTION_STRING, &what, NULL, 0, 0},
        {"--metric", RL_OPTION_CHOICE, &metric, "return|length|value_rmse", 0, 0},
        {"--smooth", RL_OPTION_COUNT, &o.smooth, NULL, 0, (double)SIZE_MAX},
        {"--first", RL_OPTION_COUNT, &o.first, NULL, 1, (double)SIZE_MAX},
        {"--last", RL_OPTION_COUNT, &o.last, NULL, 1, (double)SIZE_MAX},
        {"--ymin", RL_OPTION_NUMBER, &o.ymin, NULL, 0, 0},
        {"--ymax", RL_OPTION_NUMBER, &o.ymax, NULL, 0, 0},
        {"--yscale", RL_OPTION_CHOICE, &yscale, "auto|linear|log", 0, 0},
        {"--heat", RL_OPTION_FLAG, &o.heat, NULL, 0, 0},
        {NULL, 0, NULL, NULL, 0, 0},
    };
    rl_positionals pos = {&dir, 1, 0, "DIR"};
    int status = rl_options_parse(cmd, argc, argv, options, &pos);
    if (status != RL_CLI_OK)
        return status == RL_OPTIONS_HELP ? RL_CLI_OK : status;
    o.format = (rl_plot_format)format;
    o.metric = (rl_plot_metric)metric;
    o.yscale = (rl_plot_yscale)yscale;
    if (what && !parse_what(cmd, what, &o.what))
        return RL_CLI_USAGE;
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

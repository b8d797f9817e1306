/* `gridrl plot DIR [DIR...] [options]`: draws results directories with gnuplot
 * (experiments/plot/plot.h): parses the options, then prints each picture written and each
 * plot that does not apply.
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
    "usage: gridrl plot DIR [DIR...] [-o OUT] [--what WHAT] [--format png|svg|pdf]\n"
    "                   [--metric METRIC[,METRIC...]] [--stat mean|iqm] [--bands ci|none]\n"
    "                   [--configs LIST] [--smooth N] [--first N | --last N]\n"
    "                   [--ymin Y] [--ymax Y] [--yscale auto|linear|log] [--heat]\n"
    "\n"
    "Draws the results of 'gridrl run' in DIR with gnuplot, into DIR/plots/. Several DIRs\n"
    "are overlaid in one picture (learning curves, steps, updates, sweep, convergence; say\n"
    "where with -o OUT): Sutton & Barto's Fig 6.3 draws interim and asymptotic sweeps\n"
    "together. Next to each picture are the gnuplot script that drew it and the data it read\n"
    "that is not a result file as it stands (summarised curves, steps, updates and choices,\n"
    "the policy's arrows, the sweep summary, the lines' labels and colours), so that\n"
    "    gnuplot -e \"dir='DIR'\" DIR/plots/grid.gp\n"
    "redraws a picture after you edit its script. What does not apply to DIR is skipped\n"
    "with a note (no learning curves for planners).\n"
    "\n"
    "Titles name the experiment and its env; legends name the algorithm (Q-learning,\n"
    "Expected Sarsa) and the swept values; lines of one algorithm share a hue, in shades.\n"
    "\n"
    "pictures (--what, a comma list; default all):\n"
    "  curves       learning_curve_METRIC: per episode, each configuration's mean (or IQM)\n"
    "               over its runs, 95% interval shaded (learners); and choices_fraction, the\n"
    "               mean fraction of counted choices per episode (an MDP file's count\n"
    "               lines: choices.csv; S&B Fig 6.5)\n"
    "  steps        steps_value_rmse: the mean value error per logged step of each\n"
    "               configuration over its runs, 95% interval shaded (learners with\n"
    "               log_every_steps: steps.csv); steps_cumulative_reward, the same for the\n"
    "               cumulative reward (log_cumulative_reward; S&B Figs 8.4, 8.5)\n"
    "  updates      updates_loss, updates_value_rmse: the mean training loss and value error\n"
    "               per logged update of each configuration over its runs, 95% interval\n"
    "               shaded (learners that train on stored data, e.g. dqn with updates > 0:\n"
    "               updates.csv; Zhao Fig 8.11)\n"
    "  grid         grid_K for each configuration K: its policy (arrows as long as their\n"
    "               probability, a circle for stay) and its values, on the map (replicate 0)\n"
    "  sweep        sweep_METRIC: each configuration's mean (or IQM) over the runs of their\n"
    "               mean METRIC per episode, against the swept parameter, one line per\n"
    "               algorithm (learners); with episodes thinned by log_every_episodes,\n"
    "               scores.csv's return over the score window\n"
    "  convergence  convergence: delta and value error per sweep on a log scale, a panel per\n"
    "               configuration (planners)\n"
    "  surface      surface_K: estimated and exact values as surfaces (learners with weights)\n"
    "\n"
    "options:\n"
    "  -o, --out OUT  the picture folder (default DIR/plots; needed with several DIRs)\n"
    "  --format F    png (default), svg or pdf\n"
    "  --metric M    return (default), length or value_rmse; a comma list draws one panel\n"
    "                per metric in one figure (curves and sweep): --metric return,length\n"
    "  --stat S      curves and sweep: mean (default; t-interval) or iqm (interquartile mean\n"
    "                across runs, percentile-bootstrap interval; curves read episodes.csv)\n"
    "  --bands B     curves, steps, updates and sweep: ci (default: the 95% interval shaded)\n"
    "                or none\n"
    "  --configs L   the configurations to draw: numbers and ranges (0,2,5-7), or key=value\n"
    "                terms of configs.csv's columns (algorithm=sarsa,alpha=0.5: a\n"
    "                configuration matches one value of each key named)\n"
    "  --smooth N    curves: trailing moving average over N episodes\n"
    "  --first N     sweep: each run's mean over its first N episodes\n"
    "  --last N      sweep: over its last N (default: score_episodes of the experiment,\n"
    "                else all episodes)\n"
    "  --ymin Y, --ymax Y  curves, steps, updates and sweep: the y axis range (one metric\n"
    "                only). Default for curves on a linear axis: the 1% to 99% quantiles of\n"
    "                what is drawn past each curve's first 10% of points, widened by half\n"
    "                their span each side (never beyond the data), so the first episodes do\n"
    "                not squash the rest\n"
    "  --yscale S    curves, steps and updates: auto (default: logarithmic for value_rmse and\n"
    "                loss when every value drawn is > 0, else linear), linear or log (values\n"
    "                <= 0 are left out)\n"
    "  --heat        grid: colour the plain cells by their value\n"
    "  -h, --help    show this help\n"
    "\n"
    "gnuplot is the program named by the GNUPLOT environment variable, else gnuplot on PATH.\n"
    "\n"
    "examples:\n"
    "  gridrl plot results/zhao_fig3_4a\n"
    "  gridrl plot results/sb_example6_6_cliff --what curves --smooth 10 --ymin -100\n"
    "  gridrl plot results/sb_fig6_3_interim results/sb_fig6_3_asymptotic --what sweep\n"
    "              -o results/fig6_3\n"
    "  gridrl plot results/zhao_fig7_2_sarsa --what curves --metric return,length\n"
    "  gridrl plot results/sb_example6_6_cliff --what curves --stat iqm --bands none\n"
    "  gridrl plot results/sb_fig6_3_interim --what sweep --configs algorithm=sarsa\n"
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

/* A comma list of metrics, each once; false (after printing) otherwise. */
static bool parse_metrics(const rl_cli_command *cmd, const char *text, rl_plot_options *o)
{
    static const char *const NAMES[] = {"return", "length", "value_rmse"};
    o->n_metrics = 0;
    for (const char *p = text;;) {
        size_t len = strcspn(p, ","), i = 0;
        while (i < 3 && !(strlen(NAMES[i]) == len && strncmp(NAMES[i], p, len) == 0))
            i++;
        if (i == 3) {
            rl_cli_usage_error(cmd, "--metric: '%.*s' is not return, length or value_rmse",
                               (int)len, p);
            return false;
        }
        for (size_t j = 0; j < o->n_metrics; j++)
            if (o->metrics[j] == (rl_plot_metric)i) {
                rl_cli_usage_error(cmd, "--metric: %s given twice", NAMES[i]);
                return false;
            }
        o->metrics[o->n_metrics++] = (rl_plot_metric)i;
        if (!p[len])
            return true;
        p += len + 1;
    }
}

int rl_cli_plot(const rl_cli_command *cmd, int argc, char **argv)
{
    rl_plot_options o = RL_PLOT_OPTIONS_DEFAULT;
    const char *what = NULL, *metrics = NULL;
    const char **dirs = calloc((size_t)argc, sizeof *dirs);
    if (!dirs)
        return RL_CLI_FAILURE;
    int format = (int)o.format, yscale = (int)o.yscale, stat = (int)o.stat, bands = 0;
    /* The choices in the order of the enums they index. */
    const rl_option options[] = {
        {"-o|--out", RL_OPTION_STRING, &o.out, NULL, 0, 0},
        {"--format", RL_OPTION_CHOICE, &format, "png|svg|pdf", 0, 0},
        {"--what", RL_OPTION_STRING, &what, NULL, 0, 0},
        {"--metric", RL_OPTION_STRING, &metrics, NULL, 0, 0},
        {"--stat", RL_OPTION_CHOICE, &stat, "mean|iqm", 0, 0},
        {"--bands", RL_OPTION_CHOICE, &bands, "ci|none", 0, 0},
        {"--configs", RL_OPTION_STRING, &o.configs, NULL, 0, 0},
        {"--smooth", RL_OPTION_COUNT, &o.smooth, NULL, 0, (double)SIZE_MAX},
        {"--first", RL_OPTION_COUNT, &o.first, NULL, 1, (double)SIZE_MAX},
        {"--last", RL_OPTION_COUNT, &o.last, NULL, 1, (double)SIZE_MAX},
        {"--ymin", RL_OPTION_NUMBER, &o.ymin, NULL, 0, 0},
        {"--ymax", RL_OPTION_NUMBER, &o.ymax, NULL, 0, 0},
        {"--yscale", RL_OPTION_CHOICE, &yscale, "auto|linear|log", 0, 0},
        {"--heat", RL_OPTION_FLAG, &o.heat, NULL, 0, 0},
        {NULL, 0, NULL, NULL, 0, 0},
    };
    rl_positionals pos = {dirs, (size_t)argc, 0, "DIR"};
    int status = rl_options_parse(cmd, argc, argv, options, &pos);
    o.format = (rl_plot_format)format;
    o.yscale = (rl_plot_yscale)yscale;
    o.stat = (rl_plot_stat)stat;
    o.bands = bands == 0;
    if (status == RL_CLI_OK && what && !parse_what(cmd, what, &o.what))
        status = RL_CLI_USAGE;
    if (status == RL_CLI_OK && metrics && !parse_metrics(cmd, metrics, &o))
        status = RL_CLI_USAGE;
    if (status == RL_CLI_OK && !pos.n)
        status = rl_cli_usage_error(cmd, "which results directory? (gridrl plot DIR)");
    if (status == RL_CLI_OK && pos.n > 1 && !o.out)
        status = rl_cli_usage_error(cmd, "%zu experiments in one picture: say where it goes "
                                         "with -o OUT",
                                    pos.n);
    if (status == RL_CLI_OK && o.first && o.last)
        status = rl_cli_usage_error(cmd, "--first and --last exclude each other");
    if (status == RL_CLI_OK && isfinite(o.ymin) && isfinite(o.ymax) && !(o.ymin < o.ymax))
        status = rl_cli_usage_error(cmd, "--ymin must be below --ymax");
    if (status == RL_CLI_OK && o.n_metrics > 1 && (isfinite(o.ymin) || isfinite(o.ymax)))
        status = rl_cli_usage_error(cmd, "--ymin and --ymax set one y range: use them with one "
                                         "--metric");
    if (status != RL_CLI_OK) {
        free(dirs);
        return status == RL_OPTIONS_HELP ? RL_CLI_OK : status;
    }
    o.log = stdout;
    rl_error err;
    rl_error_clear(&err);
    int rc = rl_plot_dirs(dirs, pos.n, &o, &err);
    fflush(stdout);
    free(dirs);
    if (rc == RL_OK)
        return RL_CLI_OK;
    /* A bad --configs is a usage error like any other option's. */
    if (rc == RL_EINVAL && strncmp(err.message, "--configs", 9) == 0)
        return rl_cli_usage_error(cmd, "%s", err.message);
    return rl_cli_error(&err);
}

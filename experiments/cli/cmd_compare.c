/* `gridrl compare DIR [DIR...] [-o FILE]`: every configuration of one or more finished
 * experiments ranked by its runs' scores (experiments/compare/compare.h), as a table in the
 * terminal and, with -o, as CSV.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/cli/cli.h"
#include "experiments/cli/options.h"
#include "experiments/compare/compare.h"

const char rl_cli_compare_help[] =
    "usage: gridrl compare DIR [DIR...] [-o FILE]\n"
    "\n"
    "Ranks every configuration of the experiments in the DIRs (results of 'gridrl run') by\n"
    "the scores of its runs, as rliable reports them (Agarwal et al., 2021): the mean and\n"
    "the interquartile mean (IQM: the mean of the middle half) of the run scores with a\n"
    "bootstrap 95% interval, and the probability of improvement of the best (highest IQM)\n"
    "over each other configuration, P(best > other): the chance that a run of the best\n"
    "scores higher than a run of the other, ties counted half, with its bootstrap 95%\n"
    "interval. A run's score is its mean return over the experiment's last score_episodes\n"
    "episodes (runs.csv's score). The bootstraps resample 10,000 times with fixed seeds:\n"
    "the same scores give the same table.\n"
    "\n"
    "options:\n"
    "  -o, --out FILE  also write the table as CSV: rank, experiment, config, algorithm,\n"
    "                  values, runs, scored, mean, iqm, iqm_ci95_low, iqm_ci95_high,\n"
    "                  p_improvement, p_ci95_low, p_ci95_high\n"
    "  -h, --help      show this help\n"
    "\n"
    "examples:\n"
    "  gridrl compare results/sb_example6_6_cliff\n"
    "  gridrl compare results/maze_q results/maze_sarsa -o results/maze_compare.csv\n";

/* The configuration's number (with its experiment's folder when there are several). */
static void name_config(const rl_compare_table *t, const rl_compare_row *r, char *buf,
                        size_t size)
{
    if (t->n_experiments > 1)
        snprintf(buf, size, "%s:%zu", t->experiments[r->experiment].dir, r->config);
    else
        snprintf(buf, size, "%zu", r->config);
}

static void print_table(const rl_compare_table *t)
{
    const char *score = t->experiments[0].score;
    bool same = true;
    for (size_t e = 1; e < t->n_experiments; e++)
        same &= strcmp(t->experiments[e].score, score) == 0;
    printf("%zu configuration%s of %zu experiment%s, best first (by IQM). A run's score: %s\n",
           t->n_rows, t->n_rows == 1 ? "" : "s", t->n_experiments,
           t->n_experiments == 1 ? "" : "s",
           same && score[0] ? score : "as each experiment's scores.csv says (they differ)");
    size_t n_cols = 7;
    char (*text)[160] = calloc((t->n_rows + 1) * n_cols, sizeof *text);
    const char **cells = calloc((t->n_rows + 1) * n_cols, sizeof *cells);
    if (!text || !cells) {
        free(text);
        free(cells);
        return;
    }
    static const char *const HEAD[] = {"",     "config", "algorithm and values",
                                       "runs", "mean",   "IQM [95% CI]",
                                       "P(best > it) [95% CI]"};
    for (size_t c = 0; c < n_cols; c++)
        cells[c] = HEAD[c];
    for (size_t i = 0; i < t->n_rows; i++) {
        const rl_compare_row *r = &t->rows[i];
        char(*row)[160] = text + (i + 1) * n_cols;
        snprintf(row[0], sizeof row[0], "%zu", i + 1);
        name_config(t, r, row[1], sizeof row[1]);
        snprintf(row[2], sizeof row[2], "%s%s%s", r->algorithm, r->values[0] ? " " : "",
                 r->values);
        if (r->n == r->runs)
            snprintf(row[3], sizeof row[3], "%zu", r->n);
        else
            snprintf(row[3], sizeof row[3], "%zu of %zu", r->n, r->runs);
        snprintf(row[4], sizeof row[4], "%.4g", r->mean);
        snprintf(row[5], sizeof row[5], "%.4g [%.4g, %.4g]", r->iqm, r->iqm_low, r->iqm_high);
        if (isnan(r->p))
            snprintf(row[6], sizeof row[6], "best");
        else
            snprintf(row[6], sizeof row[6], "%.3f [%.3f, %.3f]", r->p, r->p_low, r->p_high);
        for (size_t c = 0; c < n_cols; c++)
            cells[(i + 1) * n_cols + c] = row[c];
    }
    rl_cli_print_table(stdout, "  ", t->n_rows + 1, n_cols, cells);
    free(text);
    free(cells);
}

int rl_cli_compare(const rl_cli_command *cmd, int argc, char **argv)
{
    const char *out = NULL;
    const char **dirs = calloc((size_t)argc, sizeof *dirs);
    if (!dirs)
        return RL_CLI_FAILURE;
    const rl_option options[] = {
        {"-o|--out", RL_OPTION_STRING, &out, NULL, 0, 0},
        {NULL, 0, NULL, NULL, 0, 0},
    };
    rl_positionals pos = {dirs, (size_t)argc, 0, "DIR"};
    int status = rl_options_parse(cmd, argc, argv, options, &pos);
    if (status == RL_CLI_OK && !pos.n)
        status = rl_cli_usage_error(cmd, "give at least one results directory");
    if (status != RL_CLI_OK) {
        free(dirs);
        return status == RL_OPTIONS_HELP ? RL_CLI_OK : status;
    }
    rl_error err;
    rl_error_clear(&err);
    rl_compare_table *t = NULL;
    int rc = rl_compare_read(dirs, pos.n, &t, &err);
    if (rc == RL_OK && out)
        rc = rl_compare_write_csv(t, out, &err);
    if (rc == RL_OK)
        print_table(t);
    status = rc == RL_OK ? RL_CLI_OK : rl_cli_error(&err);
    /* A folder that is not a finished experiment, or holds no learner, is the user's
     * input: exit 2 (cli.h), as for a missing one. */
    if (rc == RL_ENOTFOUND)
        status = RL_CLI_USAGE;
    rl_compare_free(t);
    free(dirs);
    return status;
}

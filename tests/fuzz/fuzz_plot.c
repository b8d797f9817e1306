/* Fuzz target: the readers of `gridrl plot` (experiments/plot/plot_data.h), which take every
 * number in a results folder as untrusted. Input: result files, each introduced by a line
 * "=== NAME" (configs.csv, runs.csv, steps.csv, summary.csv, episodes.csv, policy.csv,
 * values.csv, config.ini, updates.csv, iterations.csv, scores.csv or choices.csv), written
 * into a scratch folder; then every derived data file is made from them (curves for each
 * metric, statistic and smoothing, steps, cumulative reward, updates, choices, convergence,
 * arrows, sweeps, the configuration count), as the pictures would need. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiments/plot/plot_data.h"
#include "tests/fuzz/fuzz.h"

static const char *const NAMES[] = {"configs.csv",  "runs.csv",     "steps.csv",
                                    "summary.csv",  "episodes.csv", "policy.csv",
                                    "values.csv",   "config.ini",   "updates.csv",
                                    "iterations.csv", "scores.csv", "choices.csv", NULL};

static char dir[64];

/* Removes the scratch folder's files (the inputs, and plots/ with what was derived). */
static void clean_up(void)
{
    char path[256];
    DIR *d;
    snprintf(path, sizeof path, "%s/plots", dir);
    if ((d = opendir(path))) {
        for (struct dirent *e; (e = readdir(d));) {
            char file[512];
            snprintf(file, sizeof file, "%s/%s", path, e->d_name);
            if (e->d_name[0] != '.' || strlen(e->d_name) > 2)
                unlink(file);
        }
        closedir(d);
        rmdir(path);
    }
    for (const char *const *name = NAMES; *name; name++) {
        snprintf(path, sizeof path, "%s/%s", dir, *name);
        unlink(path);
    }
    rmdir(dir);
}

static void write_named(const char *name, const char *text, size_t len)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(text, 1, len, f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/gridrl_fuzz_plot_%ld", (long)getpid());
        mkdir(dir, 0777);
        atexit(clean_up);
    }
    for (const char *const *name = NAMES; *name; name++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, *name);
        unlink(path);
    }
    char *text = fuzz_text(data, size);
    for (char *p = strstr(text, "=== "); p;) {
        char *line_end = strchr(p, '\n');
        if (!line_end)
            break;
        *line_end = '\0';
        const char *name = p + 4;
        char *next = strstr(line_end + 1, "\n=== ");
        size_t len = next ? (size_t)(next + 1 - (line_end + 1)) : strlen(line_end + 1);
        for (const char *const *known = NAMES; *known; known++)
            if (strcmp(*known, name) == 0)
                write_named(name, line_end + 1, len);
        p = next ? next + 1 : NULL;
    }
    rl_error err;
    rl_plot_curves_info curves;
    rl_plot_sweep_info sweep;
    char plots[128];
    snprintf(plots, sizeof plots, "%s/plots", dir);
    rl_plot_experiment e;
    if (rl_plot_experiment_read(dir, &e, &err) == RL_OK) {
        rl_plot_select(&e, 1, e.n_configs > 1 ? "0,1" : NULL, &err);
        for (int m = RL_PLOT_RETURN; m <= RL_PLOT_VALUE_RMSE; m++) {
            rl_plot_stat stat = m == 1 ? RL_PLOT_IQM : RL_PLOT_MEAN;
            rl_plot_write_curves(&e, 1, plots, (rl_plot_metric)m, stat, (size_t)m * 3, m != 2,
                                 &curves, &err);
            if (rl_plot_write_sweep(&e, 1, plots, (rl_plot_metric)m, stat, m == 1 ? 2 : 0,
                                    m == 2 ? 3 : 0, &sweep, &err) == RL_OK) {
                free(sweep.line_experiment);
                free(sweep.line_config);
            }
        }
        rl_plot_write_steps(&e, 1, plots, true, &curves, &err);
        rl_plot_write_cumulative_reward(&e, 1, plots, false, &curves, &err);
        rl_plot_write_updates(&e, 1, plots, "loss", true, &curves, &err);
        rl_plot_write_choices(&e, 1, plots, true, &curves, &err);
        size_t n_series;
        rl_plot_write_convergence(&e, 1, plots, &n_series, &err);
        rl_plot_experiment_free(&e);
    }
    rl_plot_write_arrows(dir, plots, &err);
    size_t cells;
    rl_plot_count_configs(dir, &cells);
    free(text);
    return 0;
}

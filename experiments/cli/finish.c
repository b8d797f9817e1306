/* Finishing an experiment: see finish.h. */
#include "experiments/cli/finish.h"

#include <stdio.h>

#include "experiments/plot/plot.h"
#include "experiments/runner/merge.h"
#include "experiments/runner/run_files.h"

int rl_cli_finish(const rl_plan *p, const char *dir, const char *command_line, size_t threads,
                  bool keep_runs, bool quiet, rl_error *err)
{
    int rc = rl_merge_write(p, dir, command_line, threads, err);
    if (rc == RL_OK && !keep_runs)
        rc = rl_run_files_clear(dir, err);
    if (rc == RL_OK && rl_params_bool(p->experiment, "plot")) {
        rl_plot_options plot = RL_PLOT_OPTIONS_DEFAULT;
        plot.log = quiet ? NULL : stdout;
        rl_error plot_err;
        rl_error_clear(&plot_err);
        if (rl_plot_dir(dir, &plot, &plot_err) != RL_OK) {
            char buf[RL_ERROR_MESSAGE_MAX + RL_ERROR_FILE_MAX + 64];
            rl_error_format(&plot_err, buf, sizeof buf);
            fprintf(stderr, "gridrl: results written, but no plots: %s\n", buf);
        }
    }
    return rc;
}

/* Merging an experiment's folder: see merge.h. */
#include "experiments/runner/merge.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "experiments/io/output.h"
#include "experiments/runner/results.h"
#include "rl/alloc.h"

int rl_merge_load(const char *dir, rl_config **config, rl_plan **plan, rl_error *err)
{
    *config = NULL;
    *plan = NULL;
    char path[RL_OUTPUT_PATH_MAX + 32];
    if (snprintf(path, sizeof path, "%s/config.ini", dir) >= (int)sizeof path)
        return rl_error_set(err, RL_ERANGE, "output path is too long");
    struct stat st;
    if (lstat(path, &st) != 0)
        return rl_error_set(err, errno == ENOENT || errno == ENOTDIR ? RL_ENOTFOUND : RL_EIO,
                            "'%s' holds no experiment: cannot read '%s': %s", dir, path,
                            strerror(errno));
    if (!S_ISREG(st.st_mode))
        return rl_error_set(err, RL_EIO,
                            "'%s' is not a file (gridrl does not follow links inside an "
                            "output directory)",
                            path);
    int rc = rl_config_load_file(path, config, err);
    if (rc == RL_OK)
        rc = rl_plan_build(*config, plan, err);
    char *text = NULL;
    if (rc == RL_OK)
        rc = rl_results_config_text(*plan, &text, err);
    int line = 0;
    if (rc == RL_OK && (rc = rl_results_compare_config(dir, text, &line, err)) == RL_EINVAL) {
        rl_error_set(err, RL_EINVAL,
                     "this config.ini does not give its own plan back: line %d differs when it "
                     "is read again (a map or policy file it names changed since the runs, or "
                     "the file was edited); its runs cannot be merged",
                     line);
        rl_error_locate(err, RL_EINVAL, path, line, 0, NULL);
    }
    rl_free(text);
    return rc;
}

int rl_merge_write(const rl_plan *p, const char *dir, const char *command_line,
                   size_t threads, rl_error *err)
{
    char *configs = NULL;
    int rc = rl_results_configs_text(p, &configs, err);
    rl_output_file o;
    if (rc == RL_OK && (rc = rl_output_open(&o, dir, "configs.csv", err)) == RL_OK) {
        fputs(configs, o.f);
        rc = rl_output_commit(&o, err);
    }
    rl_free(configs);
    if (rc == RL_OK)
        rc = rl_results_finish(p, dir, command_line, threads, err);
    return rc;
}

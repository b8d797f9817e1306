/* Shards of a plan and their shared output folder: see shard.h. */
#include "experiments/runner/shard.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiments/io/output.h"
#include "experiments/runner/results.h"
#include "experiments/runner/run_files.h"
#include "rl/alloc.h"

/* A whole number of at most 8 digits (RL_SHARD_MAX has 8), no sign or spaces. */
static bool parse_count(const char *text, size_t len, size_t *out)
{
    if (len == 0 || len > 8)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        n = 10 * n + (size_t)(text[i] - '0');
    }
    *out = n;
    return true;
}

int rl_shard_parse(const char *text, rl_shard *out, rl_error *err)
{
    const char *slash = strchr(text, '/');
    size_t k, n;
    if (!slash || !parse_count(text, (size_t)(slash - text), &k) ||
        !parse_count(slash + 1, strlen(slash + 1), &n))
        return rl_error_set(err, RL_EINVAL,
                            "'%s' is not K/N (shard K of N, e.g. 0/4: whole numbers)", text);
    if (n == 0 || n > RL_SHARD_MAX)
        return rl_error_set(err, RL_EINVAL, "'%s': N must be 1 to %d", text, RL_SHARD_MAX);
    if (k >= n)
        return rl_error_set(err, RL_EINVAL,
                            "'%s': K must be less than N (the shards of N are 0/N to %zu/N)",
                            text, n - 1);
    out->index = k;
    out->count = n;
    return RL_OK;
}

size_t rl_shard_runs(const rl_shard *s, size_t runs)
{
    if (!s)
        return runs;
    return runs / s->count + (s->index < runs % s->count);
}

size_t rl_shard_selected_runs(const rl_plan *p, const rl_shard *s)
{
    if (!p->selected)
        return rl_shard_runs(s, rl_plan_runs(p));
    size_t n = 0;
    for (size_t run = s ? s->index : 0; run < rl_plan_runs(p); run += s ? s->count : 1)
        n += rl_plan_run_selected(p, run);
    return n;
}

size_t rl_shard_list(const rl_plan *p, const char *dir, const rl_shard *s, bool complete,
                     size_t *runs, size_t max)
{
    size_t n = 0;
    for (size_t run = s ? s->index : 0; run < rl_plan_runs(p); run += s ? s->count : 1)
        if (rl_plan_run_selected(p, run) && rl_run_files_complete(dir, run) == complete) {
            if (n < max)
                runs[n] = run;
            n++;
        }
    return n;
}

/* ---- the shared folder ----------------------------------------------------------------- */

/* Writes text into path through this process's temporary file (output.h: unique to the
 * process, created exclusively, never through a link); exclusive: link(2) it into place,
 * which fails with EEXIST when anything is there already (RL_CONTINUE then), else rename(2)
 * it over whatever is there. */
static int put_file(const char *dir, const char *name, const char *text, bool exclusive,
                    rl_error *err)
{
    char path[RL_OUTPUT_PATH_MAX + 32], tmp[RL_OUTPUT_PATH_MAX + 160];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return rl_error_set(err, RL_ERANGE, "output path is too long");
    int rc = rl_output_temp_path(dir, name, tmp, sizeof tmp, err);
    if (rc != RL_OK)
        return rc;
    int fd = rl_output_create(tmp, err);
    if (fd < 0)
        return RL_EIO;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int saved = errno;
        close(fd);
        unlink(tmp);
        return rl_error_set(err, RL_EIO, "cannot write '%s': %s", tmp, strerror(saved));
    }
    fputs(text, f);
    errno = 0;
    int failed = rl_output_finish_stream(f);
    if (failed)
        rc = rl_error_set(err, RL_EIO, "cannot write '%s': %s", path, strerror(failed));
    else if (exclusive && link(tmp, path) != 0)
        rc = errno == EEXIST ? RL_CONTINUE
                             : rl_error_set(err, RL_EIO, "cannot create '%s': %s", path,
                                            strerror(errno));
    else if (!exclusive && rename(tmp, path) != 0)
        rc = rl_error_set(err, RL_EIO, "cannot write '%s': %s", path, strerror(errno));
    if (rc != RL_OK || exclusive)
        unlink(tmp); /* after link(2) the file lives on under path */
    return rc;
}

/* configs.csv, when the folder lacks it (its creator stopped between config.ini and it);
 * two shards writing it at once each rename the same bytes into place. */
static int ensure_configs(const char *dir, const char *configs, rl_error *err)
{
    char path[RL_OUTPUT_PATH_MAX + 32];
    snprintf(path, sizeof path, "%.4000s/configs.csv", dir);
    struct stat st;
    if (lstat(path, &st) == 0)
        return RL_OK;
    return put_file(dir, "configs.csv", configs, false, err);
}

/* A temporary file of a writer (output.h: .NAME.HOST.PID.tmp). */
static bool is_temporary(const char *name)
{
    size_t len = strlen(name);
    return name[0] == '.' && len > 5 && strcmp(name + len - 4, ".tmp") == 0;
}

/* Whether dir holds nothing but writers' temporary files: RL_OK; RL_CONTINUE when
 * config.ini appeared meanwhile (compare it again); RL_EINVAL for anything else. */
static int check_empty(const char *dir, rl_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return rl_error_set(err, RL_EIO, "cannot open '%s': %s", dir, strerror(errno));
    int rc = RL_OK;
    for (struct dirent *e; rc == RL_OK && (e = readdir(d));) {
        const char *name = e->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || is_temporary(name))
            continue;
        if (strcmp(name, "config.ini") == 0)
            rc = RL_CONTINUE;
        else
            rc = rl_error_set(err, RL_EINVAL,
                              "output directory '%s' is not empty and holds no experiment (no "
                              "config.ini); use -o another directory",
                              dir);
    }
    closedir(d);
    return rc;
}

/* Tries to create the experiment: config.ini appears by link(2), atomically and only if
 * nothing is there yet, then configs.csv. RL_OK with *created false: another shard was
 * first. */
static int claim(const char *dir, const char *config, const char *configs, bool *created,
                 rl_error *err)
{
    int rc = put_file(dir, "config.ini", config, true, err);
    if (rc == RL_CONTINUE)
        return RL_OK;
    if (rc == RL_OK) {
        *created = true;
        rc = ensure_configs(dir, configs, err);
    }
    return rc;
}

int rl_shard_join(const rl_plan *p, const char *dir, bool *created, rl_error *err)
{
    *created = false;
    char *config = NULL, *configs = NULL;
    int rc = rl_results_config_text(p, &config, err);
    if (rc == RL_OK)
        rc = rl_results_configs_text(p, &configs, err);
    if (rc == RL_OK)
        rc = rl_output_make_dirs(dir, err);
    struct stat st;
    if (rc == RL_OK && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        rc = rl_error_set(err, RL_EINVAL, "output '%s' exists and is not a directory", dir);
    /* A shard that loses the race for config.ini compares the winner's on the next round;
     * a third round means config.ini came and went (someone removed it). */
    for (int round = 0; rc == RL_OK && !*created; round++) {
        int line;
        rc = rl_results_compare_config(dir, config, &line, err);
        if (rc == RL_OK) {
            rc = ensure_configs(dir, configs, err);
            break;
        }
        if (rc == RL_EINVAL) {
            char path[RL_OUTPUT_PATH_MAX + 32];
            snprintf(path, sizeof path, "%.4000s/config.ini", dir);
            rl_error_set(err, RL_EINVAL,
                         "cannot join the experiment in '%s': it comes from another config "
                         "(config.ini line %d differs); every shard must run the same config "
                         "with the same -s values, or use -o another directory",
                         dir, line);
            rc = rl_error_locate(err, RL_EINVAL, path, line, 0, NULL);
            break;
        }
        if (rc != RL_ENOTFOUND)
            break;
        if (round == 2) {
            rc = rl_error_set(err, RL_EIO, "'%s/config.ini' appeared and disappeared", dir);
            break;
        }
        rc = check_empty(dir, err);
        if (rc == RL_CONTINUE) {
            rc = RL_OK;
            continue;
        }
        if (rc == RL_OK)
            rc = claim(dir, config, configs, created, err);
    }
    rl_free(config);
    rl_free(configs);
    return rc;
}

/* Per-run result directories: see run_files.h. Numbers use %.12g, which is enough for the
 * books' tables and stable, so the files are byte-identical from run to run. */
#include "experiments/runner/run_files.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiments/io/output.h"

const char *const rl_run_file_names[] = {
    "runs.csv",   "timing.csv", "iterations.csv", "episodes.csv", "steps.csv",
    "values.csv", "policy.csv", "updates.csv",    "weights.csv",  "choices.csv", NULL,
};

void rl_run_file_path(const char *dir, size_t run, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/runs/%06zu/%s", dir, run, name);
}

bool rl_run_files_complete(const char *dir, size_t run)
{
    char path[RL_OUTPUT_PATH_MAX];
    snprintf(path, sizeof path, "%s/runs/%06zu", dir, run);
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A number, or an empty field for NaN (no value defined). */
static void put_number(FILE *f, double x)
{
    if (!isnan(x))
        fprintf(f, "%.12g", x + 0.0); /* + 0.0: no "-0" */
}

static void write_runs(FILE *f, const rl_run_result *r)
{
    fprintf(f, "%zu,%zu,%zu,%lu,%s,%zu,%zu,%zu,", r->run, r->configuration, r->replicate,
            r->rng_seed, r->status, r->episodes, r->steps, r->iterations.n);
    if (r->diverged_step)
        fprintf(f, "%zu", r->diverged_step);
    fputc('\n', f);
}

static void write_timing(FILE *f, const rl_run_result *r)
{
    fprintf(f, "%zu,%.6f,", r->run, r->seconds);
    if (r->steps && r->seconds > 0)
        fprintf(f, "%.6g", (double)r->steps / r->seconds);
    fprintf(f, "\n");
}

static void write_iterations(FILE *f, const rl_run_result *r)
{
    for (size_t i = 0; i < r->iterations.n; i++) {
        const rl_iteration_row *row = rl_rows_at(&r->iterations, i);
        fprintf(f, "%zu,%zu,", r->run, row->iteration);
        put_number(f, row->delta);
        fputc(',', f);
        put_number(f, row->value_rmse);
        fprintf(f, ",%zu\n", row->policy_changes);
    }
}

static void write_episodes(FILE *f, const rl_run_result *r)
{
    for (size_t i = 0; i < r->episode_rows.n; i++) {
        const rl_episode_row *row = rl_rows_at(&r->episode_rows, i);
        fprintf(f, "%zu,%zu,", r->run, row->episode);
        put_number(f, row->ret);
        fputc(',', f);
        put_number(f, row->discounted_return);
        fprintf(f, ",%zu,%s,", row->length, row->outcome);
        put_number(f, row->value_rmse);
        fputc('\n', f);
    }
}

static void write_steps(FILE *f, const rl_run_result *r)
{
    for (size_t i = 0; i < r->step_rows.n; i++) {
        const rl_step_row *row = rl_rows_at(&r->step_rows, i);
        fprintf(f, "%zu,%zu,%zu,", r->run, row->step, row->episode);
        put_number(f, row->value_rmse);
        if (r->log_cumulative_reward) {
            fputc(',', f);
            put_number(f, row->cumulative_reward);
        }
        fputc('\n', f);
    }
}

/* The cell column is the space's map character ('.' for an env that has none). */
static void write_values(FILE *f, const rl_run_result *r)
{
    const rl_space *sp = rl_env_space(r->env);
    for (size_t s = 0; s < sp->n_states; s++) {
        fprintf(f, "%zu,%zu,%zu,%zu,%c,", r->run, s, rl_space_row(sp, s), rl_space_col(sp, s),
                sp->cell ? sp->cell[s] : '.');
        if (sp->kind[s] != RL_STATE_WALL)
            put_number(f, sp->kind[s] == RL_STATE_TERMINAL ? 0.0 : r->values[s]);
        fputc('\n', f);
    }
}

/* Decision states only: no decision is taken on walls and terminal cells; and only the
 * state's own actions where states have their own action sets. */
static void write_policy(FILE *f, const rl_run_result *r)
{
    const rl_space *sp = rl_env_space(r->env);
    for (size_t s = 0; s < sp->n_states; s++) {
        if (!rl_space_is_decision(sp, s))
            continue;
        for (size_t a = 0; a < sp->n_actions; a++) {
            if (!rl_space_allows(sp, s, a))
                continue;
            fprintf(f, "%zu,%zu,%zu,%zu,%s,", r->run, s, rl_space_row(sp, s),
                    rl_space_col(sp, s), sp->action_names[a]);
            put_number(f, r->policy[s * sp->n_actions + a]);
            fputc('\n', f);
        }
    }
}

static void write_updates(FILE *f, const rl_run_result *r)
{
    for (size_t i = 0; i < r->update_rows.n; i++) {
        const rl_update_row *row = rl_rows_at(&r->update_rows, i);
        fprintf(f, "%zu,%zu,%zu,", r->run, row->update, row->episode);
        put_number(f, row->loss);
        fputc(',', f);
        put_number(f, row->value_rmse);
        fputc('\n', f);
    }
}

static void write_weights(FILE *f, const rl_run_result *r)
{
    if (r->weight_rows)
        fwrite(r->weight_rows, 1, r->weight_rows_size, f);
}

/* Per episode on an env with marked choices: the steps taken in states with a marked
 * action, how many chose one, and their ratio (empty without such a step). */
static void write_choices(FILE *f, const rl_run_result *r)
{
    for (size_t i = 0; i < r->episode_rows.n; i++) {
        const rl_episode_row *row = rl_rows_at(&r->episode_rows, i);
        fprintf(f, "%zu,%zu,%zu,%zu,", r->run, row->episode, row->decisions, row->chosen);
        if (row->decisions)
            put_number(f, (double)row->chosen / (double)row->decisions);
        fputc('\n', f);
    }
}

static void (*const WRITERS[])(FILE *, const rl_run_result *) = {
    write_runs,   write_timing, write_iterations, write_episodes, write_steps,
    write_values, write_policy, write_updates,    write_weights,  write_choices,
};

/* Files a run writes only when it has rows for them (learners with an update hook, with
 * weights, on an env with marked choices): a merge reads a missing one as empty. */
bool rl_run_file_optional(const char *name)
{
    return strcmp(name, "updates.csv") == 0 || strcmp(name, "weights.csv") == 0 ||
           strcmp(name, "choices.csv") == 0;
}

/* Whether result r has rows for the optional file name. */
static bool has_rows(const rl_run_result *r, const char *name)
{
    if (strcmp(name, "updates.csv") == 0)
        return r->update_rows.n > 0;
    if (strcmp(name, "weights.csv") == 0)
        return r->weight_rows != NULL;
    if (strcmp(name, "choices.csv") == 0)
        return r->env && rl_env_space(r->env)->marked && r->episode_rows.n > 0;
    return true;
}

static int remove_dir(const char *path, rl_error *err)
{
    DIR *d = opendir(path);
    if (!d)
        return errno == ENOENT ? RL_OK
                               : rl_error_set(err, RL_EIO, "cannot open '%s': %s", path,
                                              strerror(errno));
    int rc = RL_OK;
    for (struct dirent *e; rc == RL_OK && (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char child[RL_OUTPUT_PATH_MAX];
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
            rc = remove_dir(child, err);
        else if (unlink(child) != 0)
            rc = rl_error_set(err, RL_EIO, "cannot remove '%s': %s", child, strerror(errno));
    }
    closedir(d);
    if (rc == RL_OK && rmdir(path) != 0)
        rc = rl_error_set(err, RL_EIO, "cannot remove '%s': %s", path, strerror(errno));
    return rc;
}

int rl_run_files_write(const char *dir, const rl_run_result *r, rl_error *err)
{
    char runs[RL_OUTPUT_PATH_MAX], tmp[RL_OUTPUT_PATH_MAX], final[RL_OUTPUT_PATH_MAX];
    /* Paths are bounded so that every name below fits (gcc checks the arithmetic). */
    snprintf(runs, sizeof runs, "%.4000s/runs", dir);
    snprintf(tmp, sizeof tmp, "%.4000s/runs/.%06zu.tmp", dir, r->run);
    snprintf(final, sizeof final, "%.4000s/runs/%06zu", dir, r->run);
    if (mkdir(runs, 0777) != 0 && errno != EEXIST)
        return rl_error_set(err, RL_EIO, "cannot create '%s': %s", runs, strerror(errno));
    remove_dir(tmp, NULL); /* a leftover of an interrupted attempt */
    if (mkdir(tmp, 0777) != 0)
        return rl_error_set(err, RL_EIO, "cannot create '%s': %s", tmp, strerror(errno));
    int rc = RL_OK;
    for (size_t i = 0; rc == RL_OK && rl_run_file_names[i]; i++) {
        if (!has_rows(r, rl_run_file_names[i]))
            continue;
        char path[RL_OUTPUT_PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/%.16s", tmp, rl_run_file_names[i]);
        FILE *f = fopen(path, "w");
        if (!f) {
            rc = rl_error_set(err, RL_EIO, "cannot write '%s': %s", path, strerror(errno));
            break;
        }
        WRITERS[i](f, r);
        bool failed = ferror(f) != 0;
        failed |= fclose(f) != 0;
        if (failed)
            rc = rl_error_set(err, RL_EIO, "cannot write '%s'", path);
    }
    if (rc == RL_OK && rename(tmp, final) != 0)
        rc = rl_error_set(err, RL_EIO, "cannot rename '%s': %s", tmp, strerror(errno));
    if (rc != RL_OK)
        remove_dir(tmp, NULL);
    return rc;
}

int rl_run_files_clear(const char *dir, rl_error *err)
{
    char runs[RL_OUTPUT_PATH_MAX];
    snprintf(runs, sizeof runs, "%s/runs", dir);
    return remove_dir(runs, err);
}

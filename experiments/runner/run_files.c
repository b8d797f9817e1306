/* Per-run result directories: see run_files.h. Numbers use %.12g, which is enough for the
 * books' tables and stable, so the files are byte-identical from run to run. */
#include "experiments/runner/run_files.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiments/io/output.h"

const char *const rl_run_file_names[] = {
    "runs.csv",   "timing.csv", "iterations.csv", "episodes.csv", "steps.csv",
    "values.csv", "policy.csv", "updates.csv",    "weights.csv",  "action_values.csv", NULL,
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
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode); /* a link is not a run's folder */
}

/* A number, or an empty field for NaN (no value defined) and for an infinity (a diverged
 * run's return or delta): every field reads back as a number or as no value. */
static void put_number(FILE *f, double x)
{
    if (isfinite(x))
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

/* Decision states only: no decision is taken on walls and terminal cells. */
static void write_policy(FILE *f, const rl_run_result *r)
{
    const rl_space *sp = rl_env_space(r->env);
    for (size_t s = 0; s < sp->n_states; s++) {
        if (!rl_space_is_decision(sp, s))
            continue;
        for (size_t a = 0; a < sp->n_actions; a++) {
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

/* Decision states only, as policy.csv; visits empty for a planner (it takes no actions). */
static void write_action_values(FILE *f, const rl_run_result *r)
{
    const rl_space *sp = rl_env_space(r->env);
    for (size_t s = 0; s < sp->n_states; s++) {
        if (!rl_space_is_decision(sp, s))
            continue;
        for (size_t a = 0; a < sp->n_actions; a++) {
            size_t i = s * sp->n_actions + a;
            fprintf(f, "%zu,%zu,%zu,%zu,%s,", r->run, s, rl_space_row(sp, s),
                    rl_space_col(sp, s), sp->action_names[a]);
            put_number(f, r->action_values[i]);
            fputc(',', f);
            if (r->visits)
                fprintf(f, "%" PRIu64, r->visits[i]);
            fputc('\n', f);
        }
    }
}

static void (*const WRITERS[])(FILE *, const rl_run_result *) = {
    write_runs,   write_timing, write_iterations, write_episodes, write_steps,
    write_values, write_policy, write_updates,    write_weights,  write_action_values,
};

/* Files a run writes only when it has rows for them (learners with an update hook, with
 * weights, action values asked for): a merge reads a missing one as empty. */
bool rl_run_file_optional(const char *name)
{
    return strcmp(name, "updates.csv") == 0 || strcmp(name, "weights.csv") == 0 ||
           strcmp(name, "action_values.csv") == 0;
}

/* Whether result r has rows for the optional file name. */
static bool has_rows(const rl_run_result *r, const char *name)
{
    if (strcmp(name, "updates.csv") == 0)
        return r->update_rows.n > 0;
    if (strcmp(name, "weights.csv") == 0)
        return r->weight_rows != NULL;
    if (strcmp(name, "action_values.csv") == 0)
        return r->action_values != NULL;
    return true;
}

int rl_run_files_write(const char *dir, const rl_run_result *r, rl_error *err)
{
    char runs[RL_OUTPUT_PATH_MAX], tmp[RL_OUTPUT_PATH_MAX], final[RL_OUTPUT_PATH_MAX];
    /* Paths are bounded so that every name below fits (gcc checks the arithmetic). */
    snprintf(runs, sizeof runs, "%.4000s/runs", dir);
    snprintf(tmp, sizeof tmp, "%.4000s/runs/.%06zu.tmp", dir, r->run);
    snprintf(final, sizeof final, "%.4000s/runs/%06zu", dir, r->run);
    int rc = rl_output_make_dir(runs, err);
    if (rc != RL_OK)
        return rc;
    /* A leftover of an interrupted attempt, or a link planted there: removed, never
     * followed; mkdir then makes the name anew (it never follows a link either). */
    if ((rc = rl_output_remove_tree(tmp, err)) != RL_OK)
        return rc;
    if (mkdir(tmp, 0777) != 0)
        return rl_error_set(err, RL_EIO, "cannot create '%s': %s", tmp, strerror(errno));
    for (size_t i = 0; rc == RL_OK && rl_run_file_names[i]; i++) {
        if (!has_rows(r, rl_run_file_names[i]))
            continue;
        char path[RL_OUTPUT_PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/%.24s", tmp, rl_run_file_names[i]);
        int fd = rl_output_create(path, err);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!f) {
            if (fd >= 0) {
                rc = rl_error_set(err, RL_EIO, "cannot write '%s': %s", path, strerror(errno));
                close(fd);
            }
            rc = RL_EIO;
            break;
        }
        WRITERS[i](f, r);
        errno = 0;
        int failed = rl_output_finish_stream(f);
        if (failed)
            rc = rl_error_set(err, RL_EIO, "cannot write '%s': %s", path, strerror(failed));
    }
    if (rc == RL_OK && rename(tmp, final) != 0)
        rc = rl_error_set(err, RL_EIO, "cannot rename '%s': %s", tmp, strerror(errno));
    if (rc != RL_OK)
        rl_output_remove_tree(tmp, NULL);
    return rc;
}

int rl_run_files_clear(const char *dir, rl_error *err)
{
    char runs[RL_OUTPUT_PATH_MAX];
    snprintf(runs, sizeof runs, "%s/runs", dir);
    return rl_output_remove_tree(runs, err);
}

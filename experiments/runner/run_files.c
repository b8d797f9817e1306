/* Per-run result files: see run_files.h. Numbers use %.12g, which is enough for the books'
 * tables and stable, so the files are byte-identical from run to run. */
#include "experiments/runner/run_files.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiments/io/output.h"
#include "experiments/io/row.h"
#include "rl/alloc.h"

const char *const rl_run_file_names[] = {
    "runs.csv",   "timing.csv", "iterations.csv", "episodes.csv", "steps.csv",
    "values.csv", "policy.csv", "updates.csv",    "weights.csv",  "action_values.csv",
    "score.csv",  "choices.csv", NULL,
};
_Static_assert(sizeof rl_run_file_names / sizeof rl_run_file_names[0] == RL_RUN_FILE_SECTIONS + 1,
               "RL_RUN_FILE_SECTIONS counts rl_run_file_names");

static void run_path(const char *dir, size_t run, char *out, size_t size)
{
    snprintf(out, size, "%.4000s/runs/%06zu.rows", dir, run);
}

bool rl_run_files_complete(const char *dir, size_t run)
{
    char path[RL_OUTPUT_PATH_MAX + 64];
    run_path(dir, run, path, sizeof path);
    struct stat st;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode); /* a link is not a run's file */
}

size_t rl_run_files_count(const char *dir, size_t runs)
{
    char path[RL_OUTPUT_PATH_MAX + 8];
    snprintf(path, sizeof path, "%.4000s/runs", dir);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        /* NNNNNN.rows: six digits or more (plans of a million runs and up have more). */
        const char *name = e->d_name;
        size_t digits = strspn(name, "0123456789");
        if (digits < 6 || strcmp(name + digits, ".rows") != 0)
            continue;
        if (strtoull(name, NULL, 10) >= runs)
            continue;
        n++;
    }
    closedir(d);
    return n;
}

/* Numbers go through rl_row (experiments/io/row.h): "%.12g" without printf, and an empty
 * field for NaN (no value defined) and for an infinity (a diverged run's return or delta),
 * so every field reads back as a number or as no value. */

static void write_runs(FILE *f, const rl_run_result *r)
{
    rl_row row = RL_ROW_EMPTY;
    const size_t counts[] = {r->run, r->configuration, r->replicate, (size_t)r->rng_seed};
    for (size_t i = 0; i < 4; i++) {
        rl_row_size(&row, counts[i]);
        rl_row_comma(&row);
    }
    rl_row_text(&row, r->status);
    const size_t after[] = {r->episodes, r->steps, r->iterations.n};
    for (size_t i = 0; i < 3; i++) {
        rl_row_comma(&row);
        rl_row_size(&row, after[i]);
    }
    rl_row_comma(&row);
    if (r->diverged_step)
        rl_row_size(&row, r->diverged_step);
    rl_row_comma(&row);
    if (r->has_score) /* a learner's (statistics.h); a planner's is empty */
        rl_row_number(&row, r->score);
    rl_row_end(&row, f);
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
    rl_row row = RL_ROW_EMPTY;
    for (size_t i = 0; i < r->iterations.n; i++) {
        const rl_iteration_row *it = rl_rows_at(&r->iterations, i);
        rl_row_size(&row, r->run);
        rl_row_comma(&row);
        rl_row_size(&row, it->iteration);
        rl_row_comma(&row);
        rl_row_number(&row, it->delta);
        rl_row_comma(&row);
        rl_row_number(&row, it->value_rmse);
        rl_row_comma(&row);
        rl_row_size(&row, it->policy_changes);
        rl_row_end(&row, f);
    }
}

/* Every log_every_episodes-th episode (the N-th, 2N-th, ...; none for 0), each ending
 * with the configuration's label (result.h). */
static void write_episodes(FILE *f, const rl_run_result *r)
{
    rl_row row = RL_ROW_EMPTY;
    size_t every = r->log_every_episodes;
    for (size_t i = every ? every - 1 : r->episode_rows.n; i < r->episode_rows.n; i += every) {
        const rl_episode_row *e = rl_rows_at(&r->episode_rows, i);
        rl_row_size(&row, r->run);
        rl_row_comma(&row);
        rl_row_size(&row, e->episode);
        rl_row_comma(&row);
        rl_row_number(&row, e->ret);
        rl_row_comma(&row);
        rl_row_number(&row, e->discounted_return);
        rl_row_comma(&row);
        rl_row_size(&row, e->length);
        rl_row_comma(&row);
        rl_row_text(&row, e->outcome);
        rl_row_comma(&row);
        rl_row_number(&row, e->value_rmse);
        if (r->label)
            rl_row_end_with(&row, r->label, f);
        else
            rl_row_end(&row, f);
    }
}

static void write_steps(FILE *f, const rl_run_result *r)
{
    rl_row row = RL_ROW_EMPTY;
    for (size_t i = 0; i < r->step_rows.n; i++) {
        const rl_step_row *st = rl_rows_at(&r->step_rows, i);
        rl_row_size(&row, r->run);
        rl_row_comma(&row);
        rl_row_size(&row, st->step);
        rl_row_comma(&row);
        rl_row_size(&row, st->episode);
        rl_row_comma(&row);
        rl_row_number(&row, st->value_rmse);
        if (r->log_cumulative_reward) {
            rl_row_comma(&row);
            rl_row_number(&row, st->cumulative_reward);
        }
        rl_row_end(&row, f);
    }
}

/* run, state, row, col: the columns values.csv, policy.csv and action_values.csv start
 * with. */
static void put_cell(rl_row *row, const rl_run_result *r, const rl_space *sp, size_t s)
{
    rl_row_size(row, r->run);
    rl_row_comma(row);
    rl_row_size(row, s);
    rl_row_comma(row);
    rl_row_size(row, rl_space_row(sp, s));
    rl_row_comma(row);
    rl_row_size(row, rl_space_col(sp, s));
    rl_row_comma(row);
}

/* The cell column is the space's map character ('.' for an env that has none). */
static void write_values(FILE *f, const rl_run_result *r)
{
    const rl_space *sp = rl_env_space(r->env);
    rl_row row = RL_ROW_EMPTY;
    for (size_t s = 0; s < sp->n_states; s++) {
        put_cell(&row, r, sp, s);
        rl_row_char(&row, sp->cell ? sp->cell[s] : '.');
        rl_row_comma(&row);
        if (sp->kind[s] != RL_STATE_WALL)
            rl_row_number(&row, sp->kind[s] == RL_STATE_TERMINAL ? 0.0 : r->values[s]);
        rl_row_end(&row, f);
    }
}

/* Decision states only: no decision is taken on walls and terminal cells; and only the
 * state's own actions where states have their own action sets. */
static void write_policy(FILE *f, const rl_run_result *r)
{
    const rl_space *sp = rl_env_space(r->env);
    rl_row row = RL_ROW_EMPTY;
    for (size_t s = 0; s < sp->n_states; s++) {
        if (!rl_space_is_decision(sp, s))
            continue;
        for (size_t a = 0; a < sp->n_actions; a++) {
            if (!rl_space_allows(sp, s, a))
                continue;
            put_cell(&row, r, sp, s);
            rl_row_text(&row, sp->action_names[a]);
            rl_row_comma(&row);
            rl_row_number(&row, r->policy[s * sp->n_actions + a]);
            rl_row_end(&row, f);
        }
    }
}

static void write_updates(FILE *f, const rl_run_result *r)
{
    rl_row row = RL_ROW_EMPTY;
    for (size_t i = 0; i < r->update_rows.n; i++) {
        const rl_update_row *u = rl_rows_at(&r->update_rows, i);
        rl_row_size(&row, r->run);
        rl_row_comma(&row);
        rl_row_size(&row, u->update);
        rl_row_comma(&row);
        rl_row_size(&row, u->episode);
        rl_row_comma(&row);
        rl_row_number(&row, u->loss);
        rl_row_comma(&row);
        rl_row_number(&row, u->value_rmse);
        rl_row_end(&row, f);
    }
}

static void write_weights(FILE *f, const rl_run_result *r)
{
    if (r->weight_rows)
        fwrite(r->weight_rows, 1, r->weight_rows_size, f);
}

/* Decision states and their own actions only, as policy.csv; visits empty for a planner (it
 * takes no actions). */
static void write_action_values(FILE *f, const rl_run_result *r)
{
    const rl_space *sp = rl_env_space(r->env);
    rl_row row = RL_ROW_EMPTY;
    for (size_t s = 0; s < sp->n_states; s++) {
        if (!rl_space_is_decision(sp, s))
            continue;
        for (size_t a = 0; a < sp->n_actions; a++) {
            if (!rl_space_allows(sp, s, a))
                continue;
            size_t i = s * sp->n_actions + a;
            put_cell(&row, r, sp, s);
            rl_row_text(&row, sp->action_names[a]);
            rl_row_comma(&row);
            rl_row_number(&row, r->action_values[i]);
            rl_row_comma(&row);
            if (r->visits)
                rl_row_size(&row, (size_t)r->visits[i]);
            rl_row_end(&row, f);
        }
    }
}

/* run, episodes, score: what scores.csv needs of a learner's run, whatever episodes.csv
 * keeps. The score is written to 17 digits, which read back to the same double. */
static void write_score(FILE *f, const rl_run_result *r)
{
    fprintf(f, "%zu,%zu,", r->run, r->episode_rows.n);
    if (isfinite(r->score))
        fprintf(f, "%.17g", r->score + 0.0);
    fputc('\n', f);
}

/* Per episode on an env with marked choices, the episodes episodes.csv keeps: the steps
 * taken in states with a marked action, how many chose one, and their ratio (empty without
 * such a step). */
static void write_choices(FILE *f, const rl_run_result *r)
{
    rl_row row = RL_ROW_EMPTY;
    size_t every = r->log_every_episodes;
    for (size_t i = every ? every - 1 : r->episode_rows.n; i < r->episode_rows.n; i += every) {
        const rl_episode_row *e = rl_rows_at(&r->episode_rows, i);
        rl_row_size(&row, r->run);
        rl_row_comma(&row);
        rl_row_size(&row, e->episode);
        rl_row_comma(&row);
        rl_row_size(&row, e->decisions);
        rl_row_comma(&row);
        rl_row_size(&row, e->chosen);
        rl_row_comma(&row);
        rl_row_number(&row, e->decisions ? (double)e->chosen / (double)e->decisions : NAN);
        rl_row_end(&row, f);
    }
}

static void (*const WRITERS[])(FILE *, const rl_run_result *) = {
    write_runs,   write_timing, write_iterations, write_episodes, write_steps,
    write_values, write_policy, write_updates,    write_weights,  write_action_values,
    write_score,  write_choices,
};

/* Files a run writes only when it has rows for them (learners with an update hook, with
 * weights, action values asked for, on an env with marked choices): a merge reads a missing
 * one as empty. */
bool rl_run_file_optional(const char *name)
{
    return strcmp(name, "updates.csv") == 0 || strcmp(name, "weights.csv") == 0 ||
           strcmp(name, "action_values.csv") == 0 || strcmp(name, "score.csv") == 0 ||
           strcmp(name, "choices.csv") == 0;
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
    if (strcmp(name, "score.csv") == 0)
        return r->has_score;
    if (strcmp(name, "choices.csv") == 0)
        return r->env && rl_env_space(r->env)->marked && r->episode_rows.n > 0;
    return true;
}

/* One section: "== NAME SIZE", then the rows WRITERS[i] makes of r, built in memory first
 * for their size. */
static int write_section(FILE *f, size_t i, const rl_run_result *r, rl_error *err)
{
    char *text = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&text, &size);
    if (!m)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    WRITERS[i](m, r);
    if (fclose(m) != 0) {
        free(text);
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    }
    fprintf(f, "== %s %zu\n", rl_run_file_names[i], size);
    fwrite(text, 1, size, f);
    free(text);
    return RL_OK;
}

int rl_run_files_write(const char *dir, const rl_run_result *r, rl_error *err)
{
    char runs[RL_OUTPUT_PATH_MAX], name[32], tmp[RL_OUTPUT_PATH_MAX + 160],
        final[RL_OUTPUT_PATH_MAX + 64];
    snprintf(runs, sizeof runs, "%.4000s/runs", dir);
    snprintf(name, sizeof name, "%06zu.rows", r->run);
    run_path(dir, r->run, final, sizeof final);
    int rc = rl_output_temp_path(runs, name, tmp, sizeof tmp, err);
    if (rc == RL_OK)
        rc = rl_output_make_dir(runs, err);
    if (rc != RL_OK)
        return rc;
    /* A name of this process's own (two processes may write the same run when shards
     * overlap); a leftover there, or a link planted there, is replaced, never followed
     * (rl_output_create). */
    int fd = rl_output_create(tmp, err);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0) {
            rl_error_set(err, RL_EIO, "cannot write '%s': %s", tmp, strerror(errno));
            close(fd);
        }
        return RL_EIO;
    }
    for (size_t i = 0; rc == RL_OK && rl_run_file_names[i]; i++)
        if (has_rows(r, rl_run_file_names[i]))
            rc = write_section(f, i, r, err);
    errno = 0;
    int failed = rl_output_finish_stream(f);
    if (rc == RL_OK && failed)
        rc = rl_error_set(err, RL_EIO, "cannot write '%s': %s", tmp, strerror(failed));
    if (rc == RL_OK && rename(tmp, final) != 0)
        rc = rl_error_set(err, RL_EIO, "cannot rename '%s': %s", tmp, strerror(errno));
    if (rc != RL_OK)
        unlink(tmp);
    return rc;
}

int rl_run_files_clear(const char *dir, rl_error *err)
{
    char runs[RL_OUTPUT_PATH_MAX];
    snprintf(runs, sizeof runs, "%s/runs", dir);
    return rl_output_remove_tree(runs, err);
}

/* ---- reading a run's file back ---- */

static int section_index(const char *name)
{
    for (int i = 0; rl_run_file_names[i]; i++)
        if (strcmp(rl_run_file_names[i], name) == 0)
            return i;
    return -1;
}

static int malformed(rl_run_file *rf, long at, const char *what, rl_error *err)
{
    rl_error_set(err, RL_EPARSE, "'%s' is not a run's file: %s at byte %ld", rf->path, what, at);
    rl_run_file_close(rf);
    return RL_EPARSE;
}

int rl_run_file_open(const char *dir, size_t run, rl_run_file *rf, rl_error *err)
{
    memset(rf, 0, sizeof *rf);
    for (int i = 0; i < RL_RUN_FILE_SECTIONS; i++)
        rf->offset[i] = -1;
    run_path(dir, run, rf->path, sizeof rf->path);
    rf->f = fopen(rf->path, "r");
    if (!rf->f)
        return rl_error_set(err, errno == ENOENT ? RL_ENOTFOUND : RL_EIO,
                            "run %zu has no file '%s' (is the run complete?): %s", run,
                            rf->path, strerror(errno));
    struct stat st;
    if (fstat(fileno(rf->f), &st) != 0 || !S_ISREG(st.st_mode)) {
        rl_run_file_close(rf);
        return rl_error_set(err, RL_EIO, "'%s' is not a file", rf->path);
    }
    long at = 0;
    char line[128];
    while (fgets(line, sizeof line, rf->f)) {
        char name[32];
        unsigned long long size;
        int used = 0;
        if (sscanf(line, "== %31s %llu%n", name, &size, &used) != 2 || line[used] != '\n')
            return malformed(rf, at, "no section header", err);
        int i = section_index(name);
        if (i < 0)
            return malformed(rf, at, "an unknown section", err);
        if (rf->offset[i] >= 0)
            return malformed(rf, at, "a section given twice", err);
        long start = at + (long)strlen(line);
        if (size > (unsigned long long)(st.st_size - start))
            return malformed(rf, at, "a section longer than the file", err);
        rf->offset[i] = start;
        rf->size[i] = (size_t)size;
        at = start + (long)size;
        if (fseek(rf->f, at, SEEK_SET) != 0)
            return malformed(rf, at, "a section that cannot be skipped", err);
    }
    if (ferror(rf->f)) {
        rl_run_file_close(rf);
        return rl_error_set(err, RL_EIO, "cannot read '%s'", rf->path);
    }
    if (at != st.st_size)
        return malformed(rf, at, "a truncated section header", err);
    return RL_OK;
}

void rl_run_file_close(rl_run_file *rf)
{
    if (rf->f)
        fclose(rf->f);
    rf->f = NULL;
}

bool rl_run_file_has(const rl_run_file *rf, const char *name)
{
    int i = section_index(name);
    return i >= 0 && rf->offset[i] >= 0;
}

/* Positions rf at section name; its size, or 0 for an absent section (*present false). */
static int seek_section(rl_run_file *rf, const char *name, size_t *size, rl_error *err)
{
    int i = section_index(name);
    *size = 0;
    if (i < 0 || rf->offset[i] < 0)
        return RL_OK;
    if (fseek(rf->f, rf->offset[i], SEEK_SET) != 0)
        return rl_error_set(err, RL_EIO, "cannot read '%s': %s", rf->path, strerror(errno));
    *size = rf->size[i];
    return RL_OK;
}

int rl_run_file_copy(rl_run_file *rf, const char *name, FILE *out, rl_error *err)
{
    size_t left;
    int rc = seek_section(rf, name, &left, err);
    char buf[65536];
    while (rc == RL_OK && left) {
        size_t n = fread(buf, 1, left < sizeof buf ? left : sizeof buf, rf->f);
        if (!n)
            return rl_error_set(err, RL_EIO, "cannot read '%s': it ended early", rf->path);
        fwrite(buf, 1, n, out);
        left -= n;
    }
    return rc;
}

int rl_run_file_read(rl_run_file *rf, const char *name, char **data, size_t *size,
                     rl_error *err)
{
    *data = NULL;
    int rc = seek_section(rf, name, size, err);
    if (rc != RL_OK || !*size)
        return rc;
    char *text = rl_malloc(*size + 1);
    if (!text)
        return rl_error_set(err, RL_ENOMEM, "out of memory for '%s'", rf->path);
    if (fread(text, 1, *size, rf->f) != *size) {
        rl_free(text);
        return rl_error_set(err, RL_EIO, "cannot read '%s': it ended early", rf->path);
    }
    text[*size] = '\0';
    *data = text;
    return RL_OK;
}

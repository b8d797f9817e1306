/* `gridrl run [CONFIG] [section.key=value ...] [-o DIR] [-s section.key=value ...]
 * [--only SELECTION ...] [-j N] [--shard K/N] [--resume|--force] [--keep-runs]
 * [--no-progress] [--quiet] [--live]`: validates the whole plan (every error said at once),
 * then runs it on N threads, each run into its own file, and assembles the output files; the
 * results of each configuration are then drawn as the books draw them (values in the cells,
 * greedy arrows), and a learner sweep's scores summed up. --live draws the learning curve of the finished runs meanwhile
 * (experiments/plot/live.h), in place of the progress bar.
 *
 * With --shard K/N it runs only the runs with run % N == K, into a folder that the other
 * shards share, and leaves the merge to `gridrl merge`; under an MPI launcher every rank is a
 * shard and rank 0 merges (run_ranks.c). SIGINT and SIGTERM abandon runs in flight
 * (interrupt.h); finished runs stay on disk, and the message says how to resume.
 */
#include <errno.h>
#include <signal.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiments/cli/cli.h"
#include "experiments/cli/configs_embedded.h"
#include "experiments/cli/finish.h"
#include "experiments/cli/grid_draw.h"
#include "experiments/cli/interrupt.h"
#include "experiments/cli/progress.h"
#include "experiments/cli/ranks.h"
#include "experiments/cli/run_command.h"
#include "experiments/cli/shell.h"
#include "experiments/compare/compare.h"
#include "experiments/io/output.h"
#include "experiments/plot/live.h"
#include "experiments/runner/results.h"
#include "experiments/runner/run.h"
#include "experiments/runner/run_files.h"
#include "experiments/runner/scheduler.h"

/* `gridrl run` with no file: Zhao Fig 3.4(a), optimal values with the baseline rewards. */
#define DEFAULT_CONFIG "zhao_fig3_4a"

const char rl_cli_run_help[] =
    "usage: gridrl run [CONFIG] [section.key=value ...] [-o DIR] [-s section.key=value ...]\n"
    "                  [--only SELECTION ...] [-j N] [--shard K/N] [--resume|--force]\n"
    "                  [--keep-runs] [--no-progress] [--quiet] [--live]\n"
    "\n"
    "Runs the experiment CONFIG describes (an INI file: [experiment], [env], [agent]) and\n"
    "writes its results into DIR. Without CONFIG, runs the built-in " DEFAULT_CONFIG "\n"
    "(Zhao Fig 3.4(a): optimal values of the 5x5 grid world). Every config error is\n"
    "reported, each with file:line and key, before anything runs or is written.\n"
    "\n"
    "options:\n"
    "  -o DIR               output directory (default: [experiment] out, else results/NAME)\n"
    "  -s, --set section.key=value\n"
    "                       override a config value; a comma list makes a sweep axis; each\n"
    "                       key at most once. An argument section.key=value without -s\n"
    "                       does the same\n"
    "  -j N                 run N runs at a time (default: the number of cores, shared among\n"
    "                       the MPI ranks on a machine); the output files are the same for\n"
    "                       any N\n"
    "  --shard K/N          run only the runs with run % N == K (0 <= K < N) into DIR, which\n"
    "                       the other shards share: the first creates it, the others join it\n"
    "                       when its config.ini is theirs; no merge (gridrl merge DIR, once\n"
    "                       every shard is done)\n"
    "  --resume             finish an interrupted experiment (or shard) in DIR: runs already\n"
    "                       complete are kept, the rest are run (DIR must come from the same\n"
    "                       config)\n"
    "  --only SELECTION     run part of the plan: configurations by number (3, 0-2, 1,4)\n"
    "                       or by values (agent.alpha=0.1,0.2, algorithm=sarsa); several\n"
    "                       must all match. Their rows are the whole plan's rows for them\n"
    "                       (the same run numbers and seeds); config.ini says 'only'\n"
    "  --force              write into a non-empty output directory, replacing its results\n"
    "                       (not with --shard: a shard never removes another's runs)\n"
    "  --keep-runs          keep runs/ (each run's rows) once the experiment's files are\n"
    "                       written; by default every row is stored once, in those files\n"
    "  --no-progress        no progress bar (it is drawn only when stderr is a terminal)\n"
    "  -q, --quiet          print nothing but errors: no progress bar, no summary, no live\n"
    "                       view\n"
    "  --live               while it runs, draw the mean return per episode of the runs\n"
    "                       finished so far, every 2 s (also [experiment] live = true): in a\n"
    "                       gnuplot window when a display exists (DISPLAY or\n"
    "                       WAYLAND_DISPLAY) and gnuplot has one (qt, wxt, x11), else as\n"
    "                       text in the terminal (gnuplot's dumb terminal); it ends with the\n"
    "                       run or on Ctrl-C, and never slows the runs\n"
    "\n"
    "Under mpirun (gridrl built with MPI), rank r of N runs shard r/N on -j threads, rank 0\n"
    "prepares DIR, shows the progress and merges; see the README, \"Running on a cluster\".\n"
    "\n"
    "output files: config.ini configs.csv runs.csv timing.csv values.csv policy.csv,\n"
    "              iterations.csv (planners), episodes.csv summary.csv scores.csv\n"
    "              (learners), steps.csv (log_every_steps), manifest.txt; runs/NNNNNN.rows\n"
    "              (each run's rows, for --resume) while the experiment is unfinished\n"
    "\n"
    "examples:\n"
    "  gridrl run\n"
    "  gridrl run experiments/configs/zhao_fig4_4.ini -o results/fig4_4\n"
    "  gridrl run experiments/configs/zhao_fig3_4a.ini -s agent.gamma=0.5,0.9 --force\n"
    "  gridrl run experiments/configs/zhao_fig3_4a.ini agent.gamma=0.5 -o results/g\n"
    "  gridrl run experiments/configs/sb_example6_6_cliff.ini -j 2 --live\n"
    "  gridrl run experiments/configs/sb_example6_6_cliff.ini --resume\n"
    "  gridrl run experiments/configs/sb_fig6_3_interim.ini -o results/f63 --shard 0/4\n"
    "  mpirun -n 4 gridrl run experiments/configs/sb_fig6_3_interim.ini -o results/f63\n";

int rl_run_options_parse(const rl_cli_command *cmd, int argc, char **argv, run_options *o)
{
    *o = (run_options){.argc = argc, .argv = argv};
    /* One more than the arguments: --only's selectors become one override. */
    o->overrides.values = calloc((size_t)argc + 1, sizeof *o->overrides.values);
    o->only.values = calloc((size_t)argc, sizeof *o->only.values);
    if (!o->overrides.values || !o->only.values) {
        fprintf(stderr, "gridrl: out of memory\n");
        return RL_CLI_FAILURE;
    }
    const rl_option options[] = {
        {"-o|--out", RL_OPTION_STRING, &o->out, NULL, 0, 0},
        {"-s|--set", RL_OPTION_LIST, &o->overrides, NULL, 0, 0},
        {"--only", RL_OPTION_LIST, &o->only, NULL, 0, 0},
        {"-j|--jobs", RL_OPTION_COUNT, &o->threads, NULL, 1, 1024},
        {"--shard", RL_OPTION_STRING, &o->shard_text, NULL, 0, 0},
        {"--force", RL_OPTION_FLAG, &o->force, NULL, 0, 0},
        {"--resume", RL_OPTION_FLAG, &o->resume, NULL, 0, 0},
        {"--keep-runs", RL_OPTION_FLAG, &o->keep_runs, NULL, 0, 0},
        {"-q|--quiet", RL_OPTION_FLAG, &o->quiet, NULL, 0, 0},
        {"--no-progress", RL_OPTION_FLAG, &o->no_progress, NULL, 0, 0},
        {"--live", RL_OPTION_FLAG, &o->live, NULL, 0, 0},
        {NULL, 0, NULL, NULL, 0, 0},
    };
    const char **args = calloc((size_t)argc, sizeof *args);
    if (!args) {
        fprintf(stderr, "gridrl: out of memory\n");
        return RL_CLI_FAILURE;
    }
    rl_positionals pos = {args, (size_t)argc, 0, "CONFIG"};
    int rc = rl_options_parse(cmd, argc, argv, options, &pos);
    /* section.key=value arguments are overrides, as Hydra takes them; anything else is the
     * config (./a=b.ini names a file with '=' in its name). */
    for (size_t i = 0; rc == RL_CLI_OK && i < pos.n; i++) {
        const char *eq = strchr(args[i], '=');
        if (eq && !memchr(args[i], '/', (size_t)(eq - args[i])))
            o->overrides.values[o->overrides.n++] = args[i];
        else if (o->config)
            rc = rl_cli_usage_error(cmd, "more than one CONFIG ('%s', '%s')", o->config,
                                    args[i]);
        else
            o->config = args[i];
    }
    free(args);
    if (rc != RL_CLI_OK)
        return rc;
    if (o->only.n) {
        /* Each --only is one selector of experiment.only: all of them must match. */
        size_t len = strlen("experiment.only=") + 1;
        for (size_t i = 0; i < o->only.n; i++)
            len += strlen(o->only.values[i]) + 1;
        if (!(o->only_override = malloc(len))) {
            fprintf(stderr, "gridrl: out of memory\n");
            return RL_CLI_FAILURE;
        }
        strcpy(o->only_override, "experiment.only=");
        for (size_t i = 0; i < o->only.n; i++) {
            if (i)
                strcat(o->only_override, " ");
            strcat(o->only_override, o->only.values[i]);
        }
        o->overrides.values[o->overrides.n++] = o->only_override;
    }
    if (o->force && o->resume)
        return rl_cli_usage_error(cmd, "--resume and --force exclude each other");
    if (o->live && o->quiet)
        return rl_cli_usage_error(cmd, "--live and --quiet exclude each other");
    if (o->shard_text) {
        rl_error err;
        if (rl_shard_parse(o->shard_text, &o->shard, &err) != RL_OK)
            return rl_cli_usage_error(cmd, "--shard %s", err.message);
        o->has_shard = true;
        if (o->force)
            return rl_cli_usage_error(cmd, "--shard and --force exclude each other (a shard "
                                           "never removes the runs of the others)");
    }
    return RL_CLI_OK;
}

void rl_run_options_free(run_options *o)
{
    free(o->overrides.values);
    free(o->only.values);
    free(o->only_override);
    o->overrides.values = NULL;
    o->only.values = NULL;
    o->only_override = NULL;
}

int rl_run_load_plan(const run_options *o, rl_config **c, rl_plan **plan, rl_error_list *errors)
{
    *c = NULL;
    *plan = NULL;
    int rc;
    if (o->config) {
        rc = rl_config_read_file(o->config, c, errors);
    } else {
        const rl_embedded_file *f = rl_embedded_configs;
        while (f->name && strcmp(f->name, DEFAULT_CONFIG) != 0)
            f++;
        if (!f->name) {
            rl_error err;
            rl_error_set(&err, RL_ENOTFOUND, "the built-in config is missing");
            return rl_error_list_add(errors, &err);
        }
        rc = rl_config_read_string(f->text, DEFAULT_CONFIG ".ini", ".", c, errors);
    }
    if (!*c || rc == RL_ENOMEM)
        return rc;
    for (size_t i = 0; i < o->overrides.n; i++) {
        rl_error err;
        rl_error_clear(&err);
        if (rl_config_override(*c, o->overrides.values[i], &err) != RL_OK) {
            rl_error_list_add(errors, &err);
            if (err.code == RL_ENOMEM)
                return RL_ENOMEM;
        }
    }
    bool clean = errors->n == 0 && errors->more == 0;
    int built = rl_plan_build_all(*c, plan, errors);
    if (built == RL_OK && clean && rl_plan_check_all(*plan, errors) != RL_OK) {
        rl_plan_free(*plan);
        *plan = NULL;
    }
    rl_error_list_sort(errors, (*c)->path);
    return rl_error_list_code(errors);
}

int rl_run_print_errors(const rl_error_list *errors)
{
    int status = RL_CLI_OK;
    for (size_t i = 0; i < errors->n; i++) {
        int s = rl_cli_error(&errors->items[i]);
        if (i == 0)
            status = s;
    }
    if (errors->more)
        fprintf(stderr, "gridrl: and %zu more error%s\n", errors->more,
                errors->more == 1 ? "" : "s");
    return status;
}

void rl_run_output_dir(const rl_plan *p, const run_options *o, char *dir, size_t size)
{
    if (o->out)
        snprintf(dir, size, "%s", o->out);
    else if (rl_params_has(p->experiment, "out"))
        snprintf(dir, size, "%s", rl_params_string(p->experiment, "out"));
    else
        snprintf(dir, size, "results/%s", p->name);
}

bool rl_run_shows_progress(const run_options *o)
{
    return !o->quiet && !o->no_progress && rl_cli_isatty(stderr);
}

size_t rl_run_threads(const run_options *o, int processes)
{
    if (o->threads)
        return o->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    long per = n > 0 && processes > 0 ? n / processes : 1;
    return per > 0 ? (size_t)per : 1;
}

void rl_run_print_resume(const run_options *o, const char *why, const char *dir,
                         size_t completed, size_t total)
{
    char *resume = rl_shell_command_line(o->argc, o->argv, true);
    fprintf(stderr,
            "gridrl: %s%zu of %zu runs are complete in %s/runs/; finish them with\n  %s\n",
            why, completed, total, dir, resume ? resume : "gridrl run ... --resume");
    free(resume);
}

/* The line that says how configuration r's replicate 0 ended (a blank line before it when
 * a grid follows). */
static void print_run_line(const rl_plan *p, const rl_run_result *r, bool blank)
{
    const rl_configuration *cfg = &p->configurations[r->configuration];
    printf("%sconfiguration %zu (%s", blank ? "\n" : "", r->configuration,
           rl_agent_name(cfg->agent));
    for (size_t i = 0; i < p->n_axes; i++)
        if (strcmp(p->axes[i].entry->key, "algorithm") != 0)
            printf(", %s = %s", p->axes[i].entry->key, p->axes[i].values[cfg->choice[i]]);
    if (r->iterations.n) {
        const rl_iteration_row *last = rl_rows_at(&r->iterations, r->iterations.n - 1);
        printf("): %s after %zu iteration%s, value error %.3g\n", r->status, r->iterations.n,
               r->iterations.n == 1 ? "" : "s", last->value_rmse);
    } else {
        printf("): run 0 %s after %zu episodes, %zu steps", r->status, r->episodes, r->steps);
        if (r->episode_rows.n) {
            const rl_episode_row *last = rl_rows_at(&r->episode_rows, r->episode_rows.n - 1);
            if (isfinite(last->value_rmse))
                printf(", value error %.3g", last->value_rmse);
        }
        printf("\n");
    }
}

/* The configuration's values and greedy arrows drawn on its map (replicate 0). */
static void print_run(const rl_plan *p, const rl_run_result *r, const rl_grid_style *style)
{
    const rl_space *m = rl_env_space(r->env);
    char (*text)[16] = calloc(m->n_states, sizeof *text);
    const char **texts = calloc(m->n_states, sizeof *texts);
    char (*arrows)[32] = calloc(m->n_states, sizeof *arrows);
    const char **arrow_ptrs = calloc(m->n_states, sizeof *arrow_ptrs);
    if (!text || !texts || !arrows || !arrow_ptrs)
        goto done;
    for (size_t s = 0; s < m->n_states; s++) {
        if (m->kind[s] == RL_STATE_WALL)
            continue;
        if (!isnan(r->values[s])) {
            snprintf(text[s], sizeof text[s], "%.3g", r->values[s] + 0.0);
            texts[s] = text[s];
        }
        if (!rl_space_is_decision(m, s))
            continue;
        /* Every action of maximal probability: ties show as several arrows. */
        const double *pi = r->policy + s * m->n_actions;
        double best = 0.0;
        for (size_t a = 0; a < m->n_actions; a++)
            best = pi[a] > best ? pi[a] : best;
        for (size_t a = 0; a < m->n_actions; a++) {
            if (!(pi[a] >= best - 1e-12))
                continue;
            /* An action that is no move (an MDP file's) shows by its name. */
            bool named = m->action_drow[a] == 0 && m->action_dcol[a] == 0 &&
                         strcmp(m->action_names[a], "stay") != 0;
            if (named && arrows[s][0])
                strncat(arrows[s], ",", sizeof arrows[s] - strlen(arrows[s]) - 1);
            strncat(arrows[s],
                    named ? m->action_names[a]
                          : rl_grid_arrow(m->action_drow[a], m->action_dcol[a], style->ascii),
                    sizeof arrows[s] - strlen(arrows[s]) - 1);
        }
        arrow_ptrs[s] = arrows[s];
    }
    print_run_line(p, r, true);
    rl_grid_view view = {.rows = m->rows,
                         .cols = m->cols,
                         .cells = m->cell,
                         .text = texts,
                         .mark_kinds = true,
                         .arrows = arrow_ptrs};
    rl_grid_draw(stdout, &view, style);
    rl_grid_legend(stdout, &view, style);
done:
    free(text);
    free(texts);
    free(arrows);
    free(arrow_ptrs);
}

/* The most configurations whose grids are drawn after a run; more get one line each. */
#define GRIDS_MAX 4

/* The scores of a learner sweep, one line per configuration in plan order: its runs and how
 * they ended, the mean score and the IQM with its interval (as gridrl compare computes
 * them from runs.csv). */
static void print_scores(const rl_plan *p, const char *dir)
{
    rl_compare_table *t = NULL;
    rl_error err;
    const char *dirs[] = {dir};
    if (rl_compare_read(dirs, 1, &t, &err) != RL_OK) {
        char buf[RL_ERROR_MESSAGE_MAX + RL_ERROR_FILE_MAX + 64];
        rl_error_format(&err, buf, sizeof buf);
        printf("\nno scores to show: %s\n", buf);
        return;
    }
    size_t n_cols = 5, n_rows = 1;
    char (*text)[200] = calloc((p->n_configurations + 1) * n_cols, sizeof *text);
    const char **cells = calloc((p->n_configurations + 1) * n_cols, sizeof *cells);
    if (!text || !cells)
        goto done;
    static const char *const HEAD[] = {"config", "algorithm and values", "runs", "mean",
                                       "IQM [95% CI]"};
    for (size_t c = 0; c < n_cols; c++)
        cells[c] = HEAD[c];
    for (size_t k = 0; k < p->n_configurations; k++) {
        if (!rl_plan_selected(p, k) || p->configurations[k].agent->kind != RL_AGENT_LEARNER)
            continue;
        const rl_compare_row *r = NULL;
        for (size_t i = 0; i < t->n_rows; i++)
            if (t->rows[i].config == k)
                r = &t->rows[i];
        char(*row)[200] = text + n_rows * n_cols;
        char *label = rl_plan_label(p, k);
        snprintf(row[0], sizeof row[0], "%zu", k);
        snprintf(row[1], sizeof row[1], "%s", label ? label : "");
        for (char *c = row[1]; *c; c++)
            *c = *c == ',' ? ' ' : *c; /* "sarsa 0.1": the values in the header's order */
        free(label);
        if (r) {
            snprintf(row[2], sizeof row[2], "%s", r->status);
            snprintf(row[3], sizeof row[3], "%.4g", r->mean);
            snprintf(row[4], sizeof row[4], "%.4g [%.4g, %.4g]", r->iqm, r->iqm_low,
                     r->iqm_high);
        } else {
            snprintf(row[2], sizeof row[2], "no run with a score");
        }
        for (size_t c = 0; c < n_cols; c++)
            cells[n_rows * n_cols + c] = row[c];
        n_rows++;
    }
    char *header = rl_plan_label_header(p);
    if (header) {
        for (char *c = header; *c; c++)
            *c = *c == ',' ? ' ' : *c;
        cells[1] = header;
    }
    printf("\nscores (a run's score: %s):\n", t->experiments[0].score);
    rl_cli_print_table(stdout, "  ", n_rows, n_cols, cells);
    free(header);
done:
    free(text);
    free(cells);
    rl_compare_free(t);
}

void rl_run_print_summary(const rl_plan *p, const rl_run_result *keep, const char *dir)
{
    rl_grid_style style = {.color = rl_cli_use_color(stdout, RL_CLI_COLOR_AUTO)};
    bool grids = p->n_selected <= GRIDS_MAX;
    bool learners = rl_plan_has_kind(p, RL_AGENT_LEARNER);
    if (!grids && keep && rl_plan_has_kind(p, RL_AGENT_PLANNER))
        printf("\n");
    for (size_t k = 0; k < p->n_configurations; k++) {
        if (!keep || !keep[k].env)
            continue;
        if (grids)
            print_run(p, &keep[k], &style);
        else if (p->configurations[k].agent->kind == RL_AGENT_PLANNER)
            print_run_line(p, &keep[k], false);
    }
    if (learners)
        print_scores(p, dir);
}

/* The first component of path (path itself, or a parent of it) that does not exist, into
 * out: true, or false when path exists (or the question cannot be answered). */
static bool first_missing(const char *path, char *out, size_t size)
{
    if (!path[0] || snprintf(out, size, "%s", path) >= (int)size)
        return false;
    for (char *p = out + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        struct stat st;
        if (lstat(out, &st) != 0)
            return errno == ENOENT;
        *p = saved;
        if (!saved)
            return false;
    }
}

/* The next line of *text from *number on (keys_only: skipping comments and blank lines):
 * its start and length, *number its 1-based number; NULL at the end. */
static const char *next_line(const char **text, int *number, bool keys_only, int *len)
{
    while (**text) {
        const char *line = *text;
        *len = (int)strcspn(line, "\n");
        *text += *len + (line[*len] == '\n');
        ++*number;
        if (!keys_only || (*len > 0 && line[0] != ';'))
            return line;
    }
    return NULL;
}

/* Where texts a (the file's) and b (this run's) first differ, line by line: among the lines
 * that set something first (sections and keys), else among all of them (the header's map
 * hashes). Fills the file's line number and both lines (NULL past the end). False when they
 * are the same. */
static bool first_difference(const char *a, const char *b, int *number, const char **la,
                             int *na, const char **lb, int *nb)
{
    for (int keys_only = 1; keys_only >= 0; keys_only--) {
        const char *pa = a, *pb = b;
        int number_a = 0, number_b = 0;
        for (;;) {
            *la = next_line(&pa, &number_a, keys_only, na);
            *lb = next_line(&pb, &number_b, keys_only, nb);
            if (!*la && !*lb)
                break;
            if (!*la || !*lb || *na != *nb || memcmp(*la, *lb, (size_t)*na) != 0) {
                *number = *la ? number_a : number_a + 1;
                return true;
            }
        }
    }
    return false;
}

/* The first key whose value differs between the file's config (a) and this run's (b), as
 * "key = value" of each side ("" where a side lacks the key) and the file's line (that of
 * its [section] when it lacks the key): what a user changed, however config.ini orders the
 * keys. False when every key has the same value on both sides. */
static bool first_key_difference(const rl_config *a, const rl_config *b, int *number,
                                 char *in_a, char *in_b, size_t size)
{
    for (int side = 0; side < 2; side++) {
        const rl_config *x = side ? b : a, *y = side ? a : b;
        for (size_t i = 0; i < x->n_entries; i++) {
            const rl_config_entry *e = &x->entries[i];
            const rl_config_entry *other = rl_config_find(y, e->section, e->key);
            if (other && strcmp(other->value, e->value) == 0)
                continue;
            const rl_config_entry *mine = side ? other : e, *theirs = side ? e : other;
            snprintf(in_a, size, "%.63s%s%.200s", mine ? mine->key : "", mine ? " = " : "",
                     mine ? mine->value : "");
            snprintf(in_b, size, "%.63s%s%.200s", theirs ? theirs->key : "",
                     theirs ? " = " : "", theirs ? theirs->value : "");
            *number = mine ? mine->line : 0;
            return true;
        }
    }
    return false;
}

/* --resume: whether dir holds an experiment of the same resolved config (RL_ENOTFOUND: it
 * holds none, start afresh); when not, the key (or line) that differs, both ways. */
static int check_resume(const char *dir, const char *config_text, rl_error *err)
{
    int line;
    int rc = rl_results_compare_config(dir, config_text, &line, err);
    if (rc != RL_EINVAL)
        return rc; /* the same; RL_ENOTFOUND: nothing to resume, start afresh; unreadable */
    char path[RL_OUTPUT_PATH_MAX + 32];
    snprintf(path, sizeof path, "%.4000s/config.ini", dir);
    /* A regular file (rl_results_compare_config refuses links): read again to say what
     * differs. */
    FILE *f = fopen(path, "r");
    if (!f)
        return rl_error_set(err, RL_EIO, "cannot read '%s': %s", path, strerror(errno));
    /* Read as the config it is (at most RL_CONFIG_FILE_MAX bytes; a NUL ends it early,
     * which can only make it differ). */
    char *text = malloc(RL_CONFIG_FILE_MAX + 1);
    size_t n = text ? fread(text, 1, RL_CONFIG_FILE_MAX, f) : 0;
    bool failed = !text || ferror(f);
    fclose(f);
    if (failed) {
        free(text);
        return rl_error_set(err, RL_EIO, "cannot read '%s'", path);
    }
    text[n] = '\0';
    int number = line, na = 0, nb = 0;
    const char *la = NULL, *lb = NULL;
    bool differs = first_difference(text, config_text, &number, &la, &na, &lb, &nb);
    /* Read as configs, the two say which key changed, wherever config.ini writes it. */
    rl_config *mine = NULL, *theirs = NULL;
    rl_error_list ignored = {0};
    char in_a[320], in_b[320];
    if (differs && rl_config_read_string(text, path, dir, &mine, &ignored) == RL_OK &&
        rl_config_read_string(config_text, path, dir, &theirs, &ignored) == RL_OK &&
        first_key_difference(mine, theirs, &number, in_a, in_b, sizeof in_a)) {
        la = in_a[0] ? in_a : NULL;
        lb = in_b[0] ? in_b : NULL;
        na = (int)strlen(in_a);
        nb = (int)strlen(in_b);
    }
    rl_config_free(mine);
    rl_config_free(theirs);
    rl_error_list_free(&ignored);
    /* Both versions of the line that differs, as config.ini holds them (the texts
     * differ even when no line shows it: a NUL in the file). */
    rl_error_set(err, RL_EINVAL,
                 "cannot resume: the results in '%s' came from another config: this line "
                 "is %s%.*s%s where this run's config.ini has %s%.*s%s; use the same "
                 "config and overrides, another -o DIR, or --force",
                 dir, la ? "'" : "", la ? (na > 200 ? 200 : na) : 7, la ? la : "missing",
                 la ? "'" : "", lb ? "'" : "", lb ? (nb > 200 ? 200 : nb) : 7,
                 lb ? lb : "nothing", lb ? "'" : "");
    rc = rl_error_locate(err, RL_EINVAL, path, number, 0, NULL);
    free(text);
    return rc;
}

int rl_run_prepare(const rl_plan *p, const run_options *o, const char *dir, rl_error *err)
{
    if (!dir[0])
        return rl_error_set(err, RL_EINVAL, "the output directory's name is empty");
    char made[RL_OUTPUT_PATH_MAX];
    bool making = first_missing(dir, made, sizeof made);
    char *text = NULL;
    int rc = rl_results_config_text(p, &text, err);
    if (rc == RL_OK && o->resume) {
        rc = check_resume(dir, text, err);
        if (rc == RL_OK) {
            free(text);
            return RL_OK; /* the directory's config.ini and configs.csv stand */
        }
        if (rc == RL_ENOTFOUND)
            rc = RL_OK;
    }
    free(text);
    /* Here --resume found no experiment to resume: it may start one only where a run may
     * (a missing or empty directory), never write into a folder of other files. */
    if (rc == RL_OK) {
        rc = rl_output_prepare_dir(dir, o->force, err);
        if (rc == RL_EINVAL && o->resume)
            rl_error_set(err, RL_EINVAL,
                         "cannot resume: '%s' is not empty and holds no experiment (no "
                         "config.ini); use -o another directory",
                         dir);
    }
    if (rc == RL_OK && o->force)
        rc = rl_results_clear(dir, err);
    if (rc == RL_OK)
        rc = rl_results_begin(p, dir, err);
    /* Nothing half-made: what this run created (the directory, and any parents it made for
     * it) goes again when it cannot be set up. */
    if (rc != RL_OK && making)
        rl_output_remove_tree(made, NULL);
    return rc;
}

static bool has_display(void)
{
    const char *x = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    return (x && x[0]) || (wayland && wayland[0]);
}

rl_live *rl_run_start_live(const rl_plan *p, const run_options *o, const char *dir)
{
    if (o->quiet || !(o->live || rl_params_bool(p->experiment, "live")))
        return NULL;
    rl_live_options lo = {
        .dir = dir,
        .n_runs = p->n_configurations * p->seeds,
        .interval = 2.0,
        .out = stdout,
        .redraw = rl_cli_isatty(stdout),
        .width = 100,
        .height = 30,
        .window = has_display(),
        .log = stderr,
    };
    struct winsize ws;
    if (lo.redraw && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40 &&
        ws.ws_row >= 12) {
        lo.width = ws.ws_col - 1;
        lo.height = ws.ws_row - 1;
    }
    rl_live *view = NULL;
    rl_error err;
    rl_error_clear(&err);
    if (rl_live_start(&lo, &view, &err) != RL_OK) {
        char buf[RL_ERROR_MESSAGE_MAX + RL_ERROR_FILE_MAX + 64];
        rl_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "gridrl: no live view: %s\n", buf);
    }
    return view;
}

/* The whole plan in this process: runs, then the experiment's files, then the grids. */
static int execute(const rl_plan *p, const run_options *o, const char *dir, const char *cmdline,
                   rl_error *err)
{
    if (o->resume && rl_results_finished(dir)) {
        /* Its files are written and its runs' rows are in them: nothing is left to do. */
        size_t runs = rl_plan_selected_runs(p);
        if (!o->quiet)
            printf("%s: %zu run%s (%zu already complete): the experiment in %s/ is finished\n",
                   p->name, runs, runs == 1 ? "" : "s", runs, dir);
        return RL_OK;
    }
    rl_run_result *keep = calloc(p->n_configurations, sizeof *keep);
    if (!keep)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    rl_live *view = rl_run_start_live(p, o, dir);
    rl_schedule_options options = {
        .threads = rl_run_threads(o, 1),
        /* The live view says how many runs are done: no progress bar under it. */
        .progress = rl_run_shows_progress(o) && !view ? rl_cli_draw_progress : NULL,
        .stop = rl_interrupt_flag(),
        .keep = o->quiet ? NULL : keep,
    };
    rl_schedule_report report;
    rl_interrupt_catch(true);
    int rc = rl_schedule_run(p, dir, &options, &report, err);
    rl_interrupt_catch(false);
    /* A last frame of the finished experiment; none after Ctrl-C. */
    rl_live_finish(view, rc == RL_OK);
    if (rc == RL_EINTERRUPTED)
        rl_run_print_resume(o, "interrupted: ", dir, report.completed, report.total);
    if (rc == RL_OK)
        rc = rl_cli_finish(p, dir, cmdline, options.threads, o->keep_runs, o->quiet, err);
    if (rc == RL_OK && !o->quiet) {
        rl_run_print_summary(p, keep, dir);
        printf("\n%s: %zu run%s (%zu already complete) in %.2f s, results in %s/\n", p->name,
               report.total, report.total == 1 ? "" : "s", report.skipped, report.seconds, dir);
    }
    for (size_t k = 0; k < p->n_configurations; k++)
        rl_run_result_free(&keep[k]);
    free(keep);
    return rc;
}

/* One shard of the plan in this process: into the shared folder (shard.h), no merge. */
static int execute_shard(const rl_plan *p, const run_options *o, const char *dir,
                         bool *input_error, rl_error *err)
{
    char name[32];
    snprintf(name, sizeof name, "shard %zu/%zu", o->shard.index, o->shard.count);
    bool created;
    int rc = rl_shard_join(p, dir, &created, err);
    *input_error = rc == RL_EINVAL;
    if (rc != RL_OK)
        return rc;
    if (rl_results_finished(dir)) {
        if (o->resume) {
            if (!o->quiet)
                printf("%s: %s: the experiment in %s/ is finished (merged)\n", p->name, name,
                       dir);
            return RL_OK;
        }
        *input_error = true;
        return rl_error_set(err, RL_EINVAL,
                            "%s: the experiment in '%s' is finished (merged): nothing to run; "
                            "use -o another directory",
                            name, dir);
    }
    size_t first[16];
    size_t done = rl_shard_list(p, dir, &o->shard, true, first, 16);
    if (done && !o->resume) {
        char list[256];
        rl_cli_format_runs(list, sizeof list, first, done < 16 ? done : 16, done);
        *input_error = true;
        return rl_error_set(err, RL_EINVAL,
                            "%s: run%s %s (%zu of its %zu) %s already complete in '%s': "
                            "--resume keeps them and runs the rest, or use -o another "
                            "directory",
                            name, done == 1 ? "" : "s", list, done,
                            rl_shard_selected_runs(p, &o->shard), done == 1 ? "is" : "are",
                            dir);
    }
    /* The live view draws every run finished in the folder, whichever shard ran it. */
    rl_live *view = rl_run_start_live(p, o, dir);
    rl_schedule_options options = {
        .threads = rl_run_threads(o, 1),
        .shard = &o->shard,
        .progress = rl_run_shows_progress(o) && !view ? rl_cli_draw_progress : NULL,
        .stop = rl_interrupt_flag(),
    };
    rl_schedule_report report;
    rl_interrupt_catch(true);
    rc = rl_schedule_run(p, dir, &options, &report, err);
    rl_interrupt_catch(false);
    rl_live_finish(view, rc == RL_OK);
    if (rc == RL_EINTERRUPTED) {
        char why[64];
        snprintf(why, sizeof why, "interrupted: %s: ", name);
        rl_run_print_resume(o, why, dir, report.completed, report.total);
    }
    if (rc != RL_OK || o->quiet)
        return rc;
    size_t total = rl_plan_selected_runs(p), missing = rl_shard_list(p, dir, NULL, false, NULL, 0);
    printf("%s: %s: %zu run%s (%zu already complete) in %.2f s, into %s/runs/\n", p->name, name,
           report.total, report.total == 1 ? "" : "s", report.skipped, report.seconds, dir);
    char *quoted = rl_shell_quote(dir);
    if (missing)
        printf("%zu of the experiment's %zu runs are complete; once every shard is done:\n"
               "  gridrl merge %s\n",
               total - missing, total, quoted ? quoted : dir);
    else
        printf("all %zu runs of the experiment are complete: merge them with\n  gridrl merge %s\n",
               total, quoted ? quoted : dir);
    free(quoted);
    return RL_OK;
}

int rl_run_alone(const rl_cli_command *cmd, int argc, char **argv)
{
    run_options o;
    int status = rl_run_options_parse(cmd, argc, argv, &o);
    if (status != RL_CLI_OK) {
        rl_run_options_free(&o);
        return status == RL_OPTIONS_HELP ? RL_CLI_OK : status;
    }
    rl_error err;
    rl_error_clear(&err);
    rl_config *config = NULL;
    rl_plan *plan = NULL;
    char dir[RL_OUTPUT_PATH_MAX];
    char *cmdline = rl_shell_command_line(argc, argv, false);
    rl_error_list errors = {0};
    int rc = cmdline ? rl_run_load_plan(&o, &config, &plan, &errors)
                     : rl_error_set(&err, RL_ENOMEM, "out of memory");
    if (rc != RL_OK && rc != RL_ENOMEM) {
        /* Everything that fails up to here is about the input (the config, a file it
         * names, gamma = 1 on a model that needs gamma < 1): exit 2, every error said. */
        rl_run_print_errors(&errors);
        rl_error_list_free(&errors);
        rl_plan_free(plan);
        rl_config_free(config);
        free(cmdline);
        rl_run_options_free(&o);
        return RL_CLI_USAGE;
    }
    if (rc == RL_ENOMEM)
        rl_error_set(&err, RL_ENOMEM, "out of memory");
    rl_error_list_free(&errors);
    /* The output directory's errors say themselves what they are: one that is not empty
     * is bad input, a full disk is not. */
    bool input_error = false;
    if (rc == RL_OK)
        rl_run_output_dir(plan, &o, dir, sizeof dir);
    if (rc == RL_OK && o.has_shard) {
        rc = execute_shard(plan, &o, dir, &input_error, &err);
    } else if (rc == RL_OK) {
        rc = rl_run_prepare(plan, &o, dir, &err);
        if (rc == RL_OK)
            rc = execute(plan, &o, dir, cmdline, &err);
    }
    if (rc == RL_EINTERRUPTED) {
        /* The shell's convention: 128 + the signal (130 for SIGINT, 143 for SIGTERM). */
        int signo = rl_interrupt_signal();
        status = 128 + (signo ? signo : SIGINT);
    } else if (rc == RL_OK) {
        status = RL_CLI_OK;
    } else {
        status = rl_cli_error(&err);
        if (input_error)
            status = RL_CLI_USAGE;
    }
    rl_plan_free(plan);
    rl_config_free(config);
    free(cmdline);
    rl_run_options_free(&o);
    return status;
}

int rl_cli_run(const rl_cli_command *cmd, int argc, char **argv)
{
    if (rl_ranks_launched())
        return rl_run_ranks(cmd, argc, argv);
    return rl_run_alone(cmd, argc, argv);
}

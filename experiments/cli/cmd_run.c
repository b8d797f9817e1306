/* `gridrl run [CONFIG] [-o DIR] [-s section.key=value ...] [-j N] [--resume|--force]
 * [--quiet] [--live]`: validates the whole plan, then runs it on N threads, each run into its
 * own directory, and assembles the output files; the results of each configuration are then
 * drawn as the books draw them (values in the cells, greedy arrows). --live draws the
 * learning curve of the finished runs meanwhile (experiments/plot/live.h), in place of the
 * progress bar.
 *
 * SIGINT and SIGTERM set a flag (the one piece of process-wide state: a signal handler can
 * reach nothing else); runs in flight are abandoned at their next episode, finished runs stay
 * on disk, and the message says how to resume.
 */
#include <errno.h>
#include <signal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiments/cli/cli.h"
#include "experiments/runner/config.h"
#include "experiments/cli/configs_embedded.h"
#include "experiments/cli/grid_draw.h"
#include "experiments/cli/options.h"
#include "experiments/io/output.h"
#include "experiments/runner/plan.h"
#include "experiments/plot/live.h"
#include "experiments/plot/plot.h"
#include "experiments/runner/results.h"
#include "experiments/runner/run.h"
#include "experiments/runner/run_files.h"
#include "experiments/runner/scheduler.h"

/* `gridrl run` with no file: Zhao Fig 3.4(a), optimal values with the baseline rewards. */
#define DEFAULT_CONFIG "zhao_fig3_4a"

const char rl_cli_run_help[] =
    "usage: gridrl run [CONFIG] [-o DIR] [-s section.key=value ...] [-j N] [--resume|--force]\n"
    "                  [--keep-runs] [--quiet] [--live]\n"
    "\n"
    "Runs the experiment CONFIG describes (an INI file: [experiment], [env], [agent]) and\n"
    "writes its results into DIR. Without CONFIG, runs the built-in " DEFAULT_CONFIG "\n"
    "(Zhao Fig 3.4(a): optimal values of the 5x5 grid world). Every config error is\n"
    "reported, with file:line and key, before anything runs or is written.\n"
    "\n"
    "options:\n"
    "  -o DIR               output directory (default: [experiment] out, else results/NAME)\n"
    "  -s section.key=value override a config value; a comma list makes a sweep axis\n"
    "  -j N                 run N runs at a time (default: the number of cores); the output\n"
    "                       files are the same for any N\n"
    "  --resume             finish an interrupted experiment in DIR: runs already complete are\n"
    "                       kept, the rest are run (DIR must come from the same config)\n"
    "  --force              write into a non-empty output directory, replacing its results\n"
    "  --keep-runs          keep runs/ (each run's rows) once the experiment's files are\n"
    "                       written; by default every row is stored once, in those files\n"
    "  --quiet              print nothing but errors (no progress bar, no grids, no live\n"
    "                       view)\n"
    "  --live               while it runs, draw the mean return per episode of the runs\n"
    "                       finished so far, every 2 s (also [experiment] live = true): in a\n"
    "                       gnuplot window when a display exists (DISPLAY or\n"
    "                       WAYLAND_DISPLAY) and gnuplot has one (qt, wxt, x11), else as\n"
    "                       text in the terminal (gnuplot's dumb terminal); it ends with the\n"
    "                       run or on Ctrl-C, and never slows the runs\n"
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
    "  gridrl run experiments/configs/sb_example6_6_cliff.ini -j 2 --live\n"
    "  gridrl run experiments/configs/sb_example6_6_cliff.ini --resume\n";

typedef struct run_options {
    const char *config, *out;
    rl_option_list overrides;
    size_t threads;
    bool force, quiet, resume, keep_runs, live;
    int argc; /* the command's arguments, for the resume hint */
    char **argv;
} run_options;

static int parse_options(const rl_cli_command *cmd, int argc, char **argv, run_options *o)
{
    const rl_option options[] = {
        {"-o|--out", RL_OPTION_STRING, &o->out, NULL, 0, 0},
        {"-s|--set", RL_OPTION_LIST, &o->overrides, NULL, 0, 0},
        {"-j|--jobs", RL_OPTION_COUNT, &o->threads, NULL, 1, 1024},
        {"--force", RL_OPTION_FLAG, &o->force, NULL, 0, 0},
        {"--resume", RL_OPTION_FLAG, &o->resume, NULL, 0, 0},
        {"--keep-runs", RL_OPTION_FLAG, &o->keep_runs, NULL, 0, 0},
        {"-q|--quiet", RL_OPTION_FLAG, &o->quiet, NULL, 0, 0},
        {"--live", RL_OPTION_FLAG, &o->live, NULL, 0, 0},
        {NULL, 0, NULL, NULL, 0, 0},
    };
    rl_positionals pos = {&o->config, 1, 0, "CONFIG"};
    int rc = rl_options_parse(cmd, argc, argv, options, &pos);
    if (rc != RL_CLI_OK)
        return rc;
    if (o->force && o->resume)
        return rl_cli_usage_error(cmd, "--resume and --force exclude each other");
    if (o->live && o->quiet)
        return rl_cli_usage_error(cmd, "--live and --quiet exclude each other");
    return RL_CLI_OK;
}

static int load_config(const run_options *o, rl_config **c, rl_error *err)
{
    int rc;
    if (o->config) {
        rc = rl_config_load_file(o->config, c, err);
    } else {
        const rl_embedded_file *f = rl_embedded_configs;
        while (f->name && strcmp(f->name, DEFAULT_CONFIG) != 0)
            f++;
        if (!f->name)
            return rl_error_set(err, RL_ENOTFOUND, "the built-in config is missing");
        rc = rl_config_load_string(f->text, DEFAULT_CONFIG ".ini", ".", c, err);
    }
    for (size_t i = 0; rc == RL_OK && i < o->overrides.n; i++)
        rc = rl_config_override(*c, o->overrides.values[i], err);
    return rc;
}

static void output_dir(const rl_plan *p, const run_options *o, char *dir, size_t size)
{
    if (o->out)
        snprintf(dir, size, "%s", o->out);
    else if (rl_params_has(p->experiment, "out"))
        snprintf(dir, size, "%s", rl_params_string(p->experiment, "out"));
    else
        snprintf(dir, size, "results/%s", p->name);
}

/* Appends arg to line as the shell reads it back: as it is when it holds only characters
 * the shell takes literally, else in single quotes (a quote inside as '\''). */
static void append_quoted(char *line, const char *arg)
{
    static const char PLAIN[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789_-./=:,+@%";
    char *p = line + strlen(line);
    if (arg[0] && strspn(arg, PLAIN) == strlen(arg)) {
        strcpy(p, arg);
        return;
    }
    *p++ = '\'';
    for (const char *c = arg; *c; c++) {
        if (*c == '\'') {
            memcpy(p, "'\\''", 4);
            p += 4;
        } else {
            *p++ = *c;
        }
    }
    *p++ = '\'';
    *p = '\0';
}

/* "gridrl ARGS...", each argument quoted for the shell; for_resume drops --force and
 * --resume and appends --resume, which is the command that finishes an interrupted
 * experiment. */
static char *command_line(int argc, char **argv, bool for_resume)
{
    size_t len = strlen("gridrl --resume") + 1;
    for (int i = 0; i < argc; i++)
        len += 4 * strlen(argv[i]) + 3; /* a quote can become four characters */
    char *line = malloc(len);
    if (!line)
        return NULL;
    strcpy(line, "gridrl");
    for (int i = 0; i < argc; i++) {
        if (for_resume && (strcmp(argv[i], "--force") == 0 || strcmp(argv[i], "--resume") == 0))
            continue;
        strcat(line, " ");
        append_quoted(line, argv[i]);
    }
    if (for_resume)
        strcat(line, " --resume");
    return line;
}

/* The configuration's values and greedy arrows drawn on its map (replicate 0). */
static void print_run(const rl_plan *p, const rl_run_result *r, const rl_grid_style *style)
{
    const rl_space *m = rl_env_space(r->env);
    const rl_configuration *cfg = &p->configurations[r->configuration];
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
    printf("\nconfiguration %zu (%s", r->configuration, rl_agent_name(cfg->agent));
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

/* "[#####.....] 12/40 runs  850 episodes/s  ETA 0:12" on one line of stderr. */
static void draw_progress(const rl_schedule_progress *p, void *context)
{
    (void)context;
    char bar[31];
    size_t filled = p->total ? p->done * 30 / p->total : 30;
    for (size_t i = 0; i < 30; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r[%s] %zu/%zu runs", bar, p->done, p->total);
    if (p->episodes && p->seconds > 0)
        fprintf(stderr, "  %.0f episodes/s", (double)p->episodes / p->seconds);
    size_t fresh = p->done - p->skipped;
    if (fresh && p->done < p->total) {
        double eta = p->seconds / (double)fresh * (double)(p->total - p->done);
        fprintf(stderr, "  ETA %d:%02d", (int)(eta / 60), (int)eta % 60);
    }
    fprintf(stderr, "\033[K%s", p->last ? "\n" : "");
    fflush(stderr);
}

/* Set by SIGINT/SIGTERM; see the file comment. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int signo)
{
    if (!stop_requested)
        stop_requested = signo; /* the first signal: the exit status says which */
}

static void catch_signals(bool on)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on ? on_signal : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static size_t default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}

/* --resume: the directory must hold the same resolved config. */
static int check_resume(const char *dir, const char *config_text, rl_error *err)
{
    char path[RL_OUTPUT_PATH_MAX];
    snprintf(path, sizeof path, "%.4000s/config.ini", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return RL_ENOTFOUND; /* nothing to resume: start afresh */
        return rl_error_set(err, RL_EIO, "cannot read '%s': %s", path, strerror(errno));
    }
    char line[1024];
    const char *expected = config_text;
    int number = 0, rc = RL_OK;
    while (rc == RL_OK && fgets(line, sizeof line, f)) {
        number++;
        size_t len = strlen(line);
        if (strncmp(expected, line, len) != 0)
            rc = RL_EINVAL;
        else
            expected += len;
    }
    fclose(f);
    if (rc == RL_OK && *expected)
        rc = RL_EINVAL, number++;
    if (rc != RL_OK) {
        rl_error_set(err, RL_EINVAL,
                     "cannot resume: this config differs from the one the results in '%s' "
                     "came from (config.ini line %d); use another -o DIR or --force",
                     dir, number);
        return rl_error_locate(err, RL_EINVAL, path, number, 0, NULL);
    }
    return RL_OK;
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

static int prepare(const rl_plan *p, const run_options *o, const char *dir, rl_error *err)
{
    if (!dir[0])
        return rl_error_set(err, RL_EINVAL, "the output directory's name is empty");
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
    return rc;
}

static bool has_display(void)
{
    const char *x = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    return (x && x[0]) || (wayland && wayland[0]);
}

/* The live view (--live or [experiment] live), or NULL: without it the runs go on, with a
 * note saying why. */
static rl_live *start_live(const rl_plan *p, const run_options *o, const char *dir)
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

static int execute(const rl_plan *p, const run_options *o, const char *dir, const char *cmdline,
                   rl_error *err)
{
    rl_schedule_report report;
    if (o->resume && rl_results_finished(dir)) {
        /* Its files are written and its runs' rows are in them: nothing is left to do. */
        report = (rl_schedule_report){rl_plan_runs(p), rl_plan_runs(p), rl_plan_runs(p), 0.0};
        if (!o->quiet)
            printf("%s: %zu run%s (%zu already complete): the experiment in %s/ is finished\n",
                   p->name, report.total, report.total == 1 ? "" : "s", report.skipped, dir);
        return RL_OK;
    }
    rl_run_result *keep = calloc(p->n_configurations, sizeof *keep);
    if (!keep)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    rl_live *view = start_live(p, o, dir);
    rl_schedule_options options = {
        .threads = o->threads ? o->threads : default_threads(),
        /* The live view says how many runs are done: no progress bar under it. */
        .progress = !o->quiet && !view && rl_cli_isatty(stderr) ? draw_progress : NULL,
        .stop = &stop_requested,
        .keep = o->quiet ? NULL : keep,
    };
    int rc;
    catch_signals(true);
    rc = rl_schedule_run(p, dir, &options, &report, err);
    catch_signals(false);
    /* A last frame of the finished experiment; none after Ctrl-C. */
    rl_live_finish(view, rc == RL_OK);
    if (rc == RL_EINTERRUPTED) {
        char *resume = command_line(o->argc, o->argv, true);
        fprintf(stderr,
                "gridrl: interrupted: %zu of %zu runs are complete in %s/runs/; finish them "
                "with\n  %s\n",
                report.completed, report.total, dir, resume ? resume : "gridrl run ... --resume");
        free(resume);
    }
    if (rc == RL_OK)
        rc = rl_results_finish(p, dir, cmdline, options.threads, err);
    if (rc == RL_OK && !o->keep_runs)
        rc = rl_run_files_clear(dir, err);
    if (rc == RL_OK && rl_params_bool(p->experiment, "plot")) {
        /* The results stand even if gnuplot cannot draw them: say so, keep exit 0. */
        rl_plot_options plot = RL_PLOT_OPTIONS_DEFAULT;
        plot.log = o->quiet ? NULL : stdout;
        rl_error plot_err;
        rl_error_clear(&plot_err);
        if (rl_plot_dir(dir, &plot, &plot_err) != RL_OK) {
            char buf[RL_ERROR_MESSAGE_MAX + RL_ERROR_FILE_MAX + 64];
            rl_error_format(&plot_err, buf, sizeof buf);
            fprintf(stderr, "gridrl: results written, but no plots: %s\n", buf);
        }
    }
    if (rc == RL_OK && !o->quiet) {
        rl_grid_style style = {.color = rl_cli_use_color(stdout, RL_CLI_COLOR_AUTO)};
        for (size_t k = 0; k < p->n_configurations; k++)
            if (keep[k].env)
                print_run(p, &keep[k], &style);
        printf("\n%s: %zu run%s (%zu already complete) in %.2f s, results in %s/\n", p->name,
               report.total, report.total == 1 ? "" : "s", report.skipped, report.seconds, dir);
    }
    for (size_t k = 0; k < p->n_configurations; k++)
        rl_run_result_free(&keep[k]);
    free(keep);
    return rc;
}

int rl_cli_run(const rl_cli_command *cmd, int argc, char **argv)
{
    run_options o = {.argc = argc, .argv = argv};
    o.overrides.values = calloc((size_t)argc, sizeof *o.overrides.values);
    if (!o.overrides.values)
        return RL_CLI_FAILURE;
    int status = parse_options(cmd, argc, argv, &o);
    if (status != RL_CLI_OK) {
        free(o.overrides.values);
        return status == RL_OPTIONS_HELP ? RL_CLI_OK : status;
    }
    rl_error err;
    rl_error_clear(&err);
    rl_config *config = NULL;
    rl_plan *plan = NULL;
    char dir[RL_OUTPUT_PATH_MAX];
    char *cmdline = command_line(argc, argv, false);
    int rc = cmdline ? load_config(&o, &config, &err) : rl_error_set(&err, RL_ENOMEM, "no memory");
    if (rc == RL_OK)
        rc = rl_plan_build(config, &plan, &err);
    if (rc == RL_OK)
        rc = rl_plan_check(plan, &err);
    /* Everything that fails up to here is about the input (the config, a file it names,
     * gamma = 1 on a model that needs gamma < 1): exit 2. The output directory's errors
     * say themselves what they are: one that is not empty is bad input, a full disk is
     * not. */
    bool input_error = rc != RL_OK && rc != RL_ENOMEM;
    if (rc == RL_OK) {
        output_dir(plan, &o, dir, sizeof dir);
        char made[RL_OUTPUT_PATH_MAX];
        bool making = first_missing(dir, made, sizeof made);
        rc = prepare(plan, &o, dir, &err);
        /* Nothing half-made: what this run created (the directory, and any parents it
         * made for it) goes again when it cannot be set up. */
        if (rc != RL_OK && making)
            rl_output_remove_tree(made, NULL);
    }
    if (rc == RL_OK)
        rc = execute(plan, &o, dir, cmdline, &err);
    if (rc == RL_EINTERRUPTED) {
        /* The shell's convention: 128 + the signal (130 for SIGINT, 143 for SIGTERM). */
        status = 128 + (stop_requested ? (int)stop_requested : SIGINT);
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
    free(o.overrides.values);
    return status;
}

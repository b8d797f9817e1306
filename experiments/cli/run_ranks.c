/* `gridrl run` under an MPI launcher: rank r of N runs shard r/N of the plan (shard.h) on its
 * own threads, into the folder rank 0 prepared; rank 0 shows the progress of all, reports a
 * failure once (with its rank and run) and merges. The steps, each agreed on by every rank
 * before the next (ranks.h):
 *
 *   1. rank 0 reads the options (and prints their errors or the help), then the others;
 *   2. every rank loads the config and checks the plan (rank 0 says every error);
 *   3. rank 0 prepares the output folder as `gridrl run` does (--resume, --force);
 *   4. every other rank checks that it sees that folder (a folder on one machine's own disk
 *      would leave the runs of the others out of the merge);
 *   5. the runs: each rank reports to rank 0 as they go; a rank that fails makes rank 0 stop
 *      the others;
 *   6. rank 0 merges, or says what failed and how to finish; every rank exits with the same
 *      status.
 *
 * Nothing here is MPI itself: that is ranks_mpi.c, behind ranks.h.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "experiments/cli/finish.h"
#include "experiments/cli/interrupt.h"
#include "experiments/cli/progress.h"
#include "experiments/cli/ranks.h"
#include "experiments/cli/run_command.h"
#include "experiments/cli/shell.h"
#include "experiments/io/output.h"
#include "experiments/plot/live.h"
#include "experiments/runner/results.h"
#include "experiments/runner/scheduler.h"

/* Shared between the steps: a status every rank exits with, or GO_ON; HELP_SHOWN: rank 0
 * printed the help (exit status 0). */
#define GO_ON (-1)
#define HELP_SHOWN (-2)

/* Prints err once, on rank 0: "gridrl: rank R: ..." when another rank's, or always (with_rank:
 * a run's error, which says where it ran). */
static void print_error(int rank, const rl_error *err, bool with_rank)
{
    char buf[RL_ERROR_MESSAGE_MAX + RL_ERROR_FILE_MAX + RL_ERROR_KEY_MAX + 64];
    rl_error_format(err, buf, sizeof buf);
    if (rank > 0 || with_rank)
        fprintf(stderr, "gridrl: rank %d: %s\n", rank, buf);
    else
        fprintf(stderr, "gridrl: %s\n", buf);
}

/* The runs of step 5, as one rank sees them. */
typedef struct ranks_run {
    rl_ranks *ranks;
    int rank, size;
    rl_rank_report *reports; /* rank 0: every rank's latest report */
    double last_report;      /* rank > 0: when it last reported */
    double drawn;            /* rank 0: when it last drew the progress */
    bool draw, terminal, stopping;
} ranks_run;

static bool report_failed(const rl_rank_report *r)
{
    return r->final && r->rc != RL_OK;
}

/* Rank 0: reads the reports that arrived; answers the ranks that are done, and stops all
 * when one failed or was interrupted (or rank 0 itself is stopping). */
static void look_after(ranks_run *run)
{
    rl_ranks_collect(run->ranks, run->reports);
    for (int i = 0; i < run->size; i++)
        run->stopping |= report_failed(&run->reports[i]);
    run->stopping |= *rl_interrupt_flag() != 0;
    for (int i = 1; i < run->size; i++)
        if (run->stopping || run->reports[i].final)
            rl_ranks_answer(run->ranks, i, run->stopping);
    if (run->stopping)
        rl_interrupt_request();
}

/* The progress of every rank together: on a terminal a bar five times a second; else (a
 * pipe, as mpirun gives rank 0 for stderr, then a log) a line every ten seconds. */
static void draw_all(ranks_run *run, double seconds, bool last)
{
    if (!run->draw || (!last && seconds - run->drawn < (run->terminal ? 0.2 : 10.0)))
        return;
    if (!run->terminal && last && run->drawn == 0.0)
        return; /* a short sweep: no progress to log */
    run->drawn = seconds;
    rl_schedule_progress all = {.seconds = seconds, .last = last};
    for (int i = 0; i < run->size; i++) {
        all.total += run->reports[i].total;
        all.done += run->reports[i].done;
        all.skipped += run->reports[i].skipped;
        all.episodes += run->reports[i].episodes;
    }
    if (run->terminal)
        rl_cli_draw_progress(&all, NULL);
    else
        rl_cli_log_progress(&all);
}

/* The scheduler's progress callback, on every rank's main thread. */
static void on_progress(const rl_schedule_progress *p, void *context)
{
    ranks_run *run = context;
    rl_rank_report mine = {.total = p->total, .done = p->done, .skipped = p->skipped,
                           .episodes = p->episodes, .seconds = p->seconds};
    if (run->rank == 0) {
        run->reports[0] = mine;
        look_after(run);
        if (!p->last)
            draw_all(run, p->seconds, false);
        return;
    }
    bool stop;
    if (rl_ranks_answered(run->ranks, &stop) && stop)
        rl_interrupt_request();
    if (p->seconds - run->last_report >= 1.0) { /* once a second is enough for a bar */
        rl_ranks_report(run->ranks, &mine);
        run->last_report = p->seconds;
    }
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Step 5 on this rank; on rank 0, also waiting for every other rank's final report. */
static void run_shard(ranks_run *run, const rl_plan *p, const run_options *o, const char *dir)
{
    rl_shard shard = {(size_t)run->rank, (size_t)run->size};
    rl_schedule_options options = {
        .threads = rl_run_threads(o, rl_ranks_local(run->ranks)),
        .shard = &shard,
        .progress = on_progress,
        .progress_context = run,
        .stop = rl_interrupt_flag(),
    };
    rl_schedule_report report;
    rl_error err;
    rl_error_clear(&err);
    double started = now_seconds();
    int rc = rl_schedule_run(p, dir, &options, &report, &err);
    rl_rank_report mine = {.rc = rc, .final = 1, .signal = rl_interrupt_signal(),
                           .total = report.total, .done = report.completed,
                           .skipped = report.skipped, .episodes = report.episodes,
                           .seconds = report.seconds, .err = err};
    if (run->rank > 0) {
        rl_ranks_report(run->ranks, &mine);
        rl_ranks_await_answer(run->ranks);
        return;
    }
    run->reports[0] = mine;
    /* Looks often: a report left waiting delays the merge. */
    for (;;) {
        look_after(run);
        bool all = true;
        for (int i = 0; i < run->size; i++)
            all &= run->reports[i].final != 0;
        if (all)
            break;
        draw_all(run, now_seconds() - started, false);
        struct timespec pause = {0, 5000000};
        nanosleep(&pause, NULL);
    }
    draw_all(run, now_seconds() - started, true);
}

/* Step 6 on rank 0: the exit status, after merging or saying what went wrong. */
static int conclude(const ranks_run *run, const rl_plan *p, const run_options *o,
                    const char *dir, const char *cmdline)
{
    size_t completed = 0, total = 0, skipped = 0;
    double seconds = 0.0;
    int failed = -1, signo = 0;
    for (int i = 0; i < run->size; i++) {
        const rl_rank_report *r = &run->reports[i];
        completed += r->done;
        total += r->total;
        skipped += r->skipped;
        seconds = r->seconds > seconds ? r->seconds : seconds;
        if (failed < 0 && r->rc != RL_OK && r->rc != RL_EINTERRUPTED)
            failed = i;
        if (!signo)
            signo = r->signal;
    }
    bool interrupted = failed < 0 && completed < total;
    if (failed >= 0) {
        print_error(failed, &run->reports[failed].err, true);
        rl_run_print_resume(o, "", dir, completed, total);
        return rl_cli_status(run->reports[failed].rc);
    }
    if (interrupted) {
        rl_run_print_resume(o, "interrupted: ", dir, completed, total);
        return 128 + (signo ? signo : SIGINT);
    }
    rl_error err;
    rl_error_clear(&err);
    int rc = rl_cli_finish(p, dir, cmdline, rl_run_threads(o, 1), o->keep_runs, o->quiet, &err);
    if (rc != RL_OK)
        return rl_cli_error(&err);
    if (!o->quiet) {
        rl_run_print_summary(p, NULL, dir);
        printf("%s%s: %zu run%s (%zu already complete) on %d ranks in %.2f s, results in %s/\n",
               rl_plan_has_kind(p, RL_AGENT_LEARNER) ? "\n" : "", p->name, total,
               total == 1 ? "" : "s", skipped, run->size, seconds, dir);
    }
    return RL_CLI_OK;
}

/* Steps 1-6 with size > 1 ranks. */
static int run_ranks(rl_ranks *ranks, const rl_cli_command *cmd, int argc, char **argv)
{
    int rank = rl_ranks_rank(ranks), size = rl_ranks_size(ranks);
    run_options o;
    int status = RL_CLI_OK;
    if (rank == 0) {
        status = rl_run_options_parse(cmd, argc, argv, &o);
        if (status == RL_CLI_OK && o.has_shard)
            status = rl_cli_usage_error(cmd, "--shard is for one process: under mpirun every "
                                             "rank is a shard already");
        if (status == RL_OPTIONS_HELP)
            status = HELP_SHOWN;
        if (status != RL_CLI_OK)
            rl_run_options_free(&o);
    }
    status = rl_ranks_share(ranks, status);
    if (status != RL_CLI_OK)
        return status == HELP_SHOWN ? RL_CLI_OK : status;
    if (rank > 0 && rl_run_options_parse(cmd, argc, argv, &o) != RL_CLI_OK) {
        rl_run_options_free(&o); /* cannot happen: the same arguments as rank 0's */
        return RL_CLI_USAGE;
    }

    rl_error err, first;
    rl_error_clear(&err);
    rl_error_clear(&first);
    rl_config *config = NULL;
    rl_plan *plan = NULL;
    char dir[RL_OUTPUT_PATH_MAX] = "";
    char *cmdline = rl_shell_command_line(argc, argv, false);
    rl_error_list errors = {0};
    int rc = cmdline ? rl_run_load_plan(&o, &config, &plan, &errors)
                     : rl_error_set(&err, RL_ENOMEM, "out of memory");
    if (rc != RL_OK && errors.n)
        err = errors.items[0];
    else if (rc == RL_ENOMEM && cmdline)
        rl_error_set(&err, RL_ENOMEM, "out of memory");
    int code, failed = rl_ranks_agree(ranks, rc, &err, &code, &first);
    if (failed >= 0) {
        /* Every rank reads the same config: rank 0 says all its errors, or the first
         * rank's when only another rank failed (a file that host cannot read). */
        if (rank == 0 && failed == 0 && errors.n)
            rl_run_print_errors(&errors);
        else if (rank == 0)
            print_error(failed, &first, false);
        rl_error_list_free(&errors);
        status = code == RL_ENOMEM ? RL_CLI_FAILURE : RL_CLI_USAGE;
        goto done;
    }
    rl_error_list_free(&errors);

    rl_run_output_dir(plan, &o, dir, sizeof dir);
    status = GO_ON;
    if (rank == 0) {
        if ((rc = rl_run_prepare(plan, &o, dir, &err)) != RL_OK) {
            status = rl_cli_error(&err);
        } else if (o.resume && rl_results_finished(dir)) {
            if (!o.quiet)
                printf("%s: the experiment in %s/ is finished\n", plan->name, dir);
            status = RL_CLI_OK;
        }
    }
    status = rl_ranks_share(ranks, status);
    if (status != GO_ON)
        goto done;
    rc = RL_OK;
    if (rank > 0) {
        char *text = NULL;
        int line;
        rc = rl_results_config_text(plan, &text, &err);
        if (rc == RL_OK && (rc = rl_results_compare_config(dir, text, &line, &err)) != RL_OK)
            rl_error_set(&err, rc,
                         "on %s, '%s' does not hold the experiment rank 0 prepared (%.400s): "
                         "the output folder must be on a filesystem that every rank shares",
                         rl_ranks_host(ranks), dir, err.message);
        free(text);
    }
    if ((failed = rl_ranks_agree(ranks, rc, &err, &code, &first)) >= 0) {
        if (rank == 0)
            print_error(failed, &first, false);
        status = rl_cli_status(code);
        goto done;
    }

    rl_rank_report *reports = rank == 0 ? calloc((size_t)size, sizeof *reports) : NULL;
    status = rank == 0 && !reports ? RL_CLI_FAILURE : GO_ON;
    if (rl_ranks_share(ranks, status) != GO_ON) {
        if (rank == 0)
            fprintf(stderr, "gridrl: out of memory\n");
        status = RL_CLI_FAILURE;
        goto done;
    }
    for (int i = 0; reports && i < size; i++) /* until rank i reports: what it has to run */
        reports[i].total = rl_shard_selected_runs(plan, &(rl_shard){(size_t)i, (size_t)size});
    ranks_run run = {.ranks = ranks, .rank = rank, .size = size, .reports = reports,
                     .draw = rank == 0 && !o.quiet && !o.no_progress,
                     .terminal = rl_cli_isatty(stderr)};
    /* Rank 0's live view draws every rank's finished runs (they share the folder). */
    rl_live *view = rank == 0 ? rl_run_start_live(plan, &o, dir) : NULL;
    run.draw &= !view;
    rl_interrupt_catch(true);
    run_shard(&run, plan, &o, dir);
    rl_interrupt_catch(false);
    bool all_ok = true;
    for (int i = 0; reports && i < size; i++)
        all_ok &= reports[i].rc == RL_OK;
    rl_live_finish(view, all_ok); /* a last frame of the finished runs; none after a stop */
    if (rank == 0)
        status = conclude(&run, plan, &o, dir, cmdline);
    free(reports);
    status = rl_ranks_share(ranks, status);

done:
    rl_plan_free(plan);
    rl_config_free(config);
    free(cmdline);
    rl_run_options_free(&o);
    return status;
}

int rl_run_ranks(const rl_cli_command *cmd, int argc, char **argv)
{
    rl_ranks *ranks;
    rl_error err;
    rl_error_clear(&err);
    if (rl_ranks_init(&ranks, &err) != RL_OK)
        return rl_cli_error(&err);
    int status = rl_ranks_size(ranks) > 1 ? run_ranks(ranks, cmd, argc, argv)
                                          : rl_run_alone(cmd, argc, argv);
    rl_ranks_finalize(ranks);
    return status;
}

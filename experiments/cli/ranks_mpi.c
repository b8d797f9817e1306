/* The ranks of an MPI launch, with MPI: see ranks.h. Built only with GRIDRL_MPI (CMake); only
 * the main thread calls MPI (MPI_THREAD_FUNNELED: runs go on in worker threads meanwhile).
 *
 * Two kinds of message while runs go on, both between rank 0 and one other rank: reports
 * (TAG_REPORT, rank r to 0: where its runs stand; the final one last) and one answer per rank
 * (TAG_ANSWER, 0 to r: stop now, or carry on). Every message sent is received: rank 0 answers
 * each rank exactly once, and a rank waits for that answer after its final report.
 */
#include "experiments/cli/ranks.h"

#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { TAG_REPORT = 1, TAG_ANSWER = 2 };
enum { ANSWER_STOP = 1, ANSWER_CARRY_ON = 2 };

struct rl_ranks {
    int rank, size, local;
    char host[256];
    /* rank > 0 */
    rl_rank_report sending; /* the report in transit (MPI reads it until the send is done) */
    MPI_Request report;
    bool report_pending;
    int answer_buf;
    MPI_Request answer;
    bool answer_posted, answered;
    /* rank 0 */
    int *answers_buf;
    MPI_Request *answers;
};

/* Waits for req, sleeping between looks instead of spinning. */
static void wait_politely(MPI_Request *req)
{
    int done = 0;
    MPI_Test(req, &done, MPI_STATUS_IGNORE);
    while (!done) {
        struct timespec pause = {0, 2000000};
        nanosleep(&pause, NULL);
        MPI_Test(req, &done, MPI_STATUS_IGNORE);
    }
}

int rl_ranks_init(rl_ranks **out, rl_error *err)
{
    *out = NULL;
    rl_ranks *r = calloc(1, sizeof *r);
    if (!r)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    int provided;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        free(r);
        return rl_error_set(err, RL_EIO, "MPI_Init failed");
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &r->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &r->size);
    MPI_Comm node;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
    MPI_Comm_size(node, &r->local);
    MPI_Comm_free(&node);
    if (gethostname(r->host, sizeof r->host - 1) != 0)
        strcpy(r->host, "unknown");
    if (r->rank == 0) {
        r->answers_buf = calloc((size_t)r->size, sizeof *r->answers_buf);
        r->answers = calloc((size_t)r->size, sizeof *r->answers);
        if (!r->answers_buf || !r->answers) {
            free(r->answers_buf);
            free(r->answers);
            free(r);
            MPI_Abort(MPI_COMM_WORLD, 1);
            return rl_error_set(err, RL_ENOMEM, "out of memory");
        }
        for (int i = 0; i < r->size; i++)
            r->answers[i] = MPI_REQUEST_NULL;
    }
    r->report = r->answer = MPI_REQUEST_NULL;
    *out = r;
    return RL_OK;
}

void rl_ranks_finalize(rl_ranks *r)
{
    if (!r)
        return;
    if (r->report_pending)
        wait_politely(&r->report);
    if (r->answer_posted && !r->answered) {
        /* Left early, before the runs: no answer is coming. */
        MPI_Cancel(&r->answer);
        MPI_Wait(&r->answer, MPI_STATUS_IGNORE);
    }
    for (int i = 0; r->answers && i < r->size; i++)
        if (r->answers[i] != MPI_REQUEST_NULL)
            wait_politely(&r->answers[i]);
    free(r->answers_buf);
    free(r->answers);
    free(r);
    MPI_Finalize();
}

int rl_ranks_rank(const rl_ranks *r)
{
    return r->rank;
}

int rl_ranks_size(const rl_ranks *r)
{
    return r->size;
}

int rl_ranks_local(const rl_ranks *r)
{
    return r->local;
}

const char *rl_ranks_host(const rl_ranks *r)
{
    return r->host;
}

int rl_ranks_share(rl_ranks *r, int value)
{
    (void)r;
    MPI_Request req;
    MPI_Ibcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD, &req);
    wait_politely(&req);
    return value;
}

/* What each rank gives rl_ranks_agree. */
typedef struct outcome {
    int rc;
    rl_error err;
} outcome;

int rl_ranks_agree(rl_ranks *r, int rc, const rl_error *err, int *code, rl_error *first)
{
    outcome mine = {rc, {0}};
    if (rc != RL_OK && err)
        mine.err = *err;
    outcome *all = NULL;
    if (r->rank == 0 && !(all = calloc((size_t)r->size, sizeof *all)))
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Request req;
    MPI_Igather(&mine, (int)sizeof mine, MPI_BYTE, all, (int)sizeof mine, MPI_BYTE, 0,
                MPI_COMM_WORLD, &req);
    wait_politely(&req);
    int verdict[2] = {-1, RL_OK}; /* the lowest failing rank, its code */
    for (int i = 0; all && i < r->size && verdict[0] < 0; i++)
        if (all[i].rc != RL_OK) {
            verdict[0] = i;
            verdict[1] = all[i].rc;
            if (first)
                *first = all[i].err;
        }
    free(all);
    MPI_Ibcast(verdict, 2, MPI_INT, 0, MPI_COMM_WORLD, &req);
    wait_politely(&req);
    *code = verdict[1];
    return verdict[0];
}

void rl_ranks_report(rl_ranks *r, const rl_rank_report *report)
{
    if (r->report_pending) {
        int done = 0;
        if (report->final)
            wait_politely(&r->report), done = 1;
        else
            MPI_Test(&r->report, &done, MPI_STATUS_IGNORE);
        if (!done)
            return; /* the previous one is still on its way: this one is not needed */
        r->report_pending = false;
    }
    r->sending = *report;
    MPI_Isend(&r->sending, (int)sizeof r->sending, MPI_BYTE, 0, TAG_REPORT, MPI_COMM_WORLD,
              &r->report);
    r->report_pending = true;
    if (report->final) {
        wait_politely(&r->report);
        r->report_pending = false;
    }
}

bool rl_ranks_answered(rl_ranks *r, bool *stop)
{
    if (!r->answer_posted) {
        MPI_Irecv(&r->answer_buf, 1, MPI_INT, 0, TAG_ANSWER, MPI_COMM_WORLD, &r->answer);
        r->answer_posted = true;
    }
    if (!r->answered) {
        int done = 0;
        MPI_Test(&r->answer, &done, MPI_STATUS_IGNORE);
        r->answered = done;
    }
    *stop = r->answered && r->answer_buf == ANSWER_STOP;
    return r->answered;
}

void rl_ranks_await_answer(rl_ranks *r)
{
    bool stop;
    if (rl_ranks_answered(r, &stop))
        return;
    wait_politely(&r->answer);
    r->answered = true;
}

bool rl_ranks_collect(rl_ranks *r, rl_rank_report *reports)
{
    bool any = false;
    for (;;) {
        int waiting = 0;
        MPI_Status status;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_REPORT, MPI_COMM_WORLD, &waiting, &status);
        if (!waiting)
            return any;
        int from = status.MPI_SOURCE;
        rl_rank_report scratch;
        rl_rank_report *into = from > 0 && from < r->size ? &reports[from] : &scratch;
        MPI_Recv(into, (int)sizeof *into, MPI_BYTE, from, TAG_REPORT, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        any = true;
    }
}

void rl_ranks_answer(rl_ranks *r, int rank, bool stop)
{
    if (rank <= 0 || rank >= r->size || r->answers[rank] != MPI_REQUEST_NULL ||
        r->answers_buf[rank])
        return;
    r->answers_buf[rank] = stop ? ANSWER_STOP : ANSWER_CARRY_ON; /* nonzero: answered */
    MPI_Isend(&r->answers_buf[rank], 1, MPI_INT, rank, TAG_ANSWER, MPI_COMM_WORLD,
              &r->answers[rank]);
}

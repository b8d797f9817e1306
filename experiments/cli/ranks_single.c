/* The ranks of an MPI launch, without MPI (GRIDRL_MPI off, or no MPI found): see ranks.h.
 * Started by mpirun all the same, each copy would run the whole plan into the same folder,
 * so rl_ranks_init refuses; the rest is never called and describes one process alone. */
#include "experiments/cli/ranks.h"

int rl_ranks_init(rl_ranks **out, rl_error *err)
{
    *out = NULL;
    return rl_error_set(err, RL_EUNSUPPORTED,
                        "this gridrl was built without MPI, and an MPI launcher started several "
                        "copies of it: each would run the whole plan. Build it with MPI "
                        "(apt-get install libopenmpi-dev, then cmake again), or run shards with "
                        "--shard K/N");
}

void rl_ranks_finalize(rl_ranks *r)
{
    (void)r;
}

int rl_ranks_rank(const rl_ranks *r)
{
    (void)r;
    return 0;
}

int rl_ranks_size(const rl_ranks *r)
{
    (void)r;
    return 1;
}

int rl_ranks_local(const rl_ranks *r)
{
    (void)r;
    return 1;
}

const char *rl_ranks_host(const rl_ranks *r)
{
    (void)r;
    return "localhost";
}

int rl_ranks_share(rl_ranks *r, int value)
{
    (void)r;
    return value;
}

int rl_ranks_agree(rl_ranks *r, int rc, const rl_error *err, int *code, rl_error *first)
{
    (void)r;
    *code = rc;
    if (rc != RL_OK && err && first)
        *first = *err;
    return rc != RL_OK ? 0 : -1;
}

void rl_ranks_report(rl_ranks *r, const rl_rank_report *report)
{
    (void)r;
    (void)report;
}

bool rl_ranks_answered(rl_ranks *r, bool *stop)
{
    (void)r;
    *stop = false;
    return true;
}

void rl_ranks_await_answer(rl_ranks *r)
{
    (void)r;
}

bool rl_ranks_collect(rl_ranks *r, rl_rank_report *reports)
{
    (void)r;
    (void)reports;
    return false;
}

void rl_ranks_answer(rl_ranks *r, int rank, bool stop)
{
    (void)r;
    (void)rank;
    (void)stop;
}

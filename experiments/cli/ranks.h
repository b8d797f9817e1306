/* The processes of one `gridrl run` that an MPI launcher started (mpirun, mpiexec, srun):
 * ranks 0 .. size-1. Rank r runs shard r/size of the plan (experiments/runner/shard.h), and
 * rank 0 prepares the output folder, shows the progress of all, reports a failure once and
 * merges. This header is all the program knows of MPI: ranks_mpi.c implements it with MPI
 * (CMake option GRIDRL_MPI), ranks_single.c without (it refuses to be launched as several
 * processes). The library knows nothing of either.
 *
 * Every wait polls and sleeps rather than spinning in MPI: a waiting rank leaves its core to
 * the ranks and threads still running (MPI's blocking calls spin at full speed).
 */
#ifndef GRIDRL_EXPERIMENTS_CLI_RANKS_H
#define GRIDRL_EXPERIMENTS_CLI_RANKS_H

#include <stdbool.h>
#include <stddef.h>

#include "rl/error.h"

typedef struct rl_ranks rl_ranks;

/* Whether an MPI launcher started this process among others (its environment says so:
 * OpenMPI's OMPI_COMM_WORLD_SIZE, PMI_SIZE of MPICH and Intel MPI, or PMIX_RANK, with Slurm's
 * SLURM_STEP_NUM_TASKS, greater than 1). Launched alone (mpirun -n 1, srun of one task),
 * gridrl needs no MPI. ranks_launch.c, with or without MPI. */
bool rl_ranks_launched(void);

/* Joins the launcher's other processes (MPI_Init). */
int rl_ranks_init(rl_ranks **out, rl_error *err);

/* Leaves them (MPI_Finalize) and frees r; NULL is a no-op. */
void rl_ranks_finalize(rl_ranks *r);

int rl_ranks_rank(const rl_ranks *r);
int rl_ranks_size(const rl_ranks *r);

/* How many ranks share this rank's machine (a default for threads per rank). */
int rl_ranks_local(const rl_ranks *r);

/* This machine's name, for messages. */
const char *rl_ranks_host(const rl_ranks *r);

/* Collective: every rank gets rank 0's value. */
int rl_ranks_share(rl_ranks *r, int value);

/* Collective: every rank gives the outcome of the same step (rc, and err when rc is not
 * RL_OK). Returns the lowest failing rank, or -1 when all succeeded; rank 0 also gets that
 * rank's error in *first, and every rank gets its code in *code. */
int rl_ranks_agree(rl_ranks *r, int rc, const rl_error *err, int *code, rl_error *first);

/* ---- while the runs go on: each rank > 0 reports to rank 0, which answers once ---------- */

/* Where a rank's runs stand. */
typedef struct rl_rank_report {
    int rc;     /* how its runs ended (final reports): RL_OK, RL_EINTERRUPTED, a run error */
    int final;  /* 1: the rank's runs are over */
    int signal; /* the signal that interrupted it, 0 if none */
    size_t total, done, skipped, episodes;
    double seconds;
    rl_error err; /* when rc is an error */
} rl_rank_report;

/* Rank > 0: sends report to rank 0. A progress report (not final) is dropped while the
 * previous one is still in transit; a final one always goes, and is the last. */
void rl_ranks_report(rl_ranks *r, const rl_rank_report *report);

/* Rank > 0: whether rank 0 has answered (once per rank: stop, or carry on to the end);
 * *stop says which. Never blocks. */
bool rl_ranks_answered(rl_ranks *r, bool *stop);

/* Rank > 0, after its final report: waits for rank 0's answer. */
void rl_ranks_await_answer(rl_ranks *r);

/* Rank 0: receives the reports that have arrived into reports[rank] (size entries; rank 0's
 * own is the caller's). Returns true when one arrived. */
bool rl_ranks_collect(rl_ranks *r, rl_rank_report *reports);

/* Rank 0: answers rank `rank` (stop: stop its runs now; else carry on). Each rank is
 * answered once: later calls for it do nothing. */
void rl_ranks_answer(rl_ranks *r, int rank, bool stop);

#endif

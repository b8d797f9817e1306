/* The neural-network benchmark behind `gridrl bench dqn`: DQN training updates per second.
 *
 * One update is what a DQN agent does per learning step: a forward pass of a batch of states
 * through the online network, a forward pass of the next states through the target network,
 * the targets r + gamma (1 - done) max_a q_target(s', a), the Huber loss on the outputs of
 * the actions taken, the backward pass, and an Adam step (lr 1e-3, PyTorch's defaults
 * otherwise); every RL_BENCH_NN_TARGET_EVERY updates the target network is copied from the
 * online one. Two shapes, each with relu hidden units: 3-H-1 with batch 100 and 2-H-5 with
 * batch 32 (H = 100 in the benchmark proper).
 *
 * gridrl's side is rl_nn (rl/nn.h, products in OpenBLAS's sgemm). The reference is a plain C
 * version of the same update written here: float, triple loops, no BLAS. Both start from the
 * same initial weights and read the same pre-generated batches (a pool of synthetic
 * transitions cycled in order), and before anything is timed both run the same
 * check_updates updates side by side: their loss trajectories must agree to a relative
 * RL_BENCH_NN_LOSS_TOLERANCE, so the timings are of a correct computation.
 *
 * Each timed repeat resets both sides to the initial weights and Adam state, then times
 * `updates` updates of each (the two in alternating order, so drift in the machine's speed
 * hits both alike). Rates are updates per second of wall time. Run single-threaded: the
 * caller keeps OpenBLAS at one thread (rl_gsl_init), and the result reports what it saw.
 * The measuring lives here and the printing with the CLI, so the numbers can be reused.
 */
#ifndef GRIDRL_EXPERIMENTS_BENCH_BENCH_NN_H
#define GRIDRL_EXPERIMENTS_BENCH_BENCH_NN_H

#include <stdbool.h>
#include <stddef.h>

#include "rl/error.h"

#define RL_BENCH_NN_GAMMA 0.9
#define RL_BENCH_NN_LR 1e-3
#define RL_BENCH_NN_TARGET_EVERY 100 /* updates between copies into the target network */
#define RL_BENCH_NN_POOL 64          /* distinct batches, cycled through in order */
#define RL_BENCH_NN_CASES 2
/* The largest relative difference allowed between the two sides' losses at any checked
 * update. Two float implementations that sum in different orders drift apart by rounding,
 * and training carries the drift on: over 500 updates the largest difference measured (20
 * seeds, both shapes) is 7e-6, at 200 updates 7e-7, while a real difference in the
 * computation gives 1e-4 to O(1) (bench_nn.c lists the ones tried). Longer checks are not
 * offered: by 1000 updates the drift reaches 4e-5, by 5000 updates 2e-3. */
#define RL_BENCH_NN_LOSS_TOLERANCE 1e-4
#define RL_BENCH_NN_MAX_CHECK 500

typedef struct rl_bench_nn_options {
    size_t updates;       /* timed updates per repeat, per shape and side; [1, 1e7] */
    size_t repeats;       /* timed repeats; [1, 1000] */
    size_t check_updates; /* updates compared side by side before timing; [1, 500] */
    size_t hidden;        /* hidden width H of both shapes (100 in the benchmark); [1, 4096] */
    unsigned long seed;   /* the data and the initial weights */
} rl_bench_nn_options;

#define RL_BENCH_NN_DEFAULTS {2000, 5, 500, 100, 1}

/* Updates per second over the repeats. */
typedef struct rl_bench_nn_rate {
    double median, min, max;
} rl_bench_nn_rate;

/* One shape. */
typedef struct rl_bench_nn_case {
    size_t n_inputs, hidden, n_outputs, batch; /* the network n_inputs-hidden-n_outputs */
    size_t n_params;
    rl_bench_nn_rate gridrl; /* rl_nn */
    rl_bench_nn_rate naive;  /* the triple-loop reference */
    double ratio;            /* gridrl.median / naive.median: how many times faster */
    /* The side-by-side check over `checked` updates from the same start. */
    size_t checked;
    double first_loss, last_loss; /* rl_nn's loss at the first and the last checked update */
    double max_loss_diff;         /* max over updates of |loss - loss_naive| / |loss_naive| */
    /* max |p - p_naive| over the parameters at the end: for information, not checked. It is
     * heavy-tailed (median 2e-7, but up to 1e-4 at 500 updates): a parameter whose gradient
     * is near 0 takes Adam steps of up to lr whose sign rounding can decide. */
    double max_param_diff;
    size_t first_disagreement;    /* first update (1-based) beyond the tolerance; 0: none */
    bool agrees;                  /* first_disagreement == 0 and every loss finite */
} rl_bench_nn_case;

typedef struct rl_bench_nn_result {
    rl_bench_nn_case cases[RL_BENCH_NN_CASES]; /* 3-H-1 batch 100, then 2-H-5 batch 32 */
    size_t updates, repeats;                   /* as run */
    double tolerance;                          /* RL_BENCH_NN_LOSS_TOLERANCE */
    char corename[64];   /* openblas_get_corename(): the kernel set OpenBLAS chose */
    int blas_threads;    /* openblas_get_num_threads() during the run */
} rl_bench_nn_result;

/* True when both shapes' implementations agreed. */
static inline bool rl_bench_nn_agrees(const rl_bench_nn_result *res)
{
    for (int k = 0; k < RL_BENCH_NN_CASES; k++)
        if (!res->cases[k].agrees)
            return false;
    return true;
}

/* Runs the benchmark. Errors: RL_EINVAL for a NULL argument, RL_ERANGE for an option out of
 * range (err->key names it), RL_ENOMEM, or what rl_nn reports. A disagreement between the
 * two sides is not an error: it is in the result (agrees), with the timings. */
int rl_bench_nn_run(const rl_bench_nn_options *opt, rl_bench_nn_result *res, rl_error *err);

#endif

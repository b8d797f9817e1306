/* Per-run random generators.
 *
 * Every run owns two gsl_rngs, passed explicitly as `r`: the env's (start states, slips,
 * wind) and the agent's (exploration, ties, initial weights, replay). The run's seed comes
 * from the experiment's base seed and the run's replicate alone, and the two generators'
 * seeds from it: every configuration's run of a replicate draws the same random numbers
 * (common random numbers, so configurations are compared on the same luck), and a run is
 * the same whether its configuration runs in a sweep, alone, or in a sweep extended by more
 * values. The env's and the agent's streams are seeded apart (never equal), so the env's
 * draws are the same whatever the agent draws: two configurations that explore differently
 * still meet the same slips. Nothing depends on threads, processes or the order in which
 * runs finish.
 *
 * The generator is GSL's taus2 (Tausworthe, period 2^88): among GSL's fast generators it
 * has good statistical quality and a one-word state update, which matters because learners
 * draw once per decision.
 */
#ifndef GRIDRL_RL_RNG_H
#define GRIDRL_RL_RNG_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "rl/error.h"

/* A seed from (base_seed, a, b), mixed with SplitMix64 so that neighbouring coordinates get
 * unrelated streams: a generic mixer for programs and tests that need many seeds. Never 0
 * (taus2 maps 0 to a default seed, which would make two streams equal). Fits in 32 bits, as
 * taus2 uses 32. */
unsigned long rl_rng_seed(unsigned long base_seed, size_t a, size_t b);

/* The seed of a plan's run (runs.csv's rng_seed): base seed and replicate alone. */
unsigned long rl_rng_run_seed(unsigned long base_seed, size_t replicate);

/* The seeds of a run's two generators, from the run's seed; the env's and the agent's are
 * never equal. */
typedef enum rl_rng_stream { RL_RNG_ENV = 1, RL_RNG_AGENT = 2 } rl_rng_stream;
unsigned long rl_rng_stream_seed(unsigned long run_seed, rl_rng_stream stream);

/* A taus2 generator seeded with seed; NULL with err filled when out of memory. */
gsl_rng *rl_rng_alloc(unsigned long seed, rl_error *err);
void rl_rng_free(gsl_rng *r);

/* Turns off GSL's aborting error handler, and keeps OpenBLAS (the CBLAS under GSL's linear
 * algebra) to one thread. Both are process-wide settings, so programs and tests call this
 * once at start; every GSL status is then checked by the caller. */
void rl_gsl_init(void);

#endif

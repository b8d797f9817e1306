/* Per-run random generators.
 *
 * Every run owns one gsl_rng, passed explicitly as `r`. Its seed depends only on the run's
 * place in the plan (base seed, configuration index, replicate index), so results do not
 * depend on threads, processes or the order in which runs finish.
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

/* A seed for run (configuration, replicate) of a plan with base seed base_seed, mixed with
 * SplitMix64 so neighbouring runs get unrelated streams. Never 0 (taus2 maps 0 to a default
 * seed, which would make two runs share a stream). Fits in 32 bits, as taus2 uses 32. */
unsigned long rl_rng_seed(unsigned long base_seed, size_t configuration, size_t replicate);

/* A taus2 generator seeded with seed; NULL with err filled when out of memory. */
gsl_rng *rl_rng_alloc(unsigned long seed, rl_error *err);
void rl_rng_free(gsl_rng *r);

/* Turns off GSL's aborting error handler, and keeps OpenBLAS (the CBLAS under GSL's linear
 * algebra) to one thread. Both are process-wide settings, so programs and tests call this
 * once at start; every GSL status is then checked by the caller. */
void rl_gsl_init(void);

#endif

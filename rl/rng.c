/* Per-run random generators (see rng.h).
 *
 * A run's seed is a hash of its place in the plan, (base seed, configuration, replicate),
 * built from SplitMix64's finalizer: each coordinate is added to the running state and the
 * state is mixed, so a one-step change in any coordinate flips about half of the output
 * bits and neighbouring runs start unrelated taus2 streams.
 */
#include "rl/rng.h"

#include <stdint.h>

#include <cblas.h>
#include <gsl/gsl_errno.h>

/* The threaded OpenBLAS's own; absent (NULL) from its serial build. */
extern int blas_thread_shutdown_(void) __attribute__((weak));

/* SplitMix64's increment (2^64 / golden ratio, odd) and finalizer (Steele, Lea and Flood,
 * "Fast splittable pseudorandom number generators", 2014; constants from Vigna's
 * splitmix64.c). The finalizer is a bijection on 64 bits. */
#define SPLITMIX64_GAMMA UINT64_C(0x9e3779b97f4a7c15)

static uint64_t splitmix64_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Stands in for a zero seed; any nonzero value would do. */
#define ZERO_SEED_REPLACEMENT UINT32_C(0x6a09e667)

unsigned long rl_rng_seed(unsigned long base_seed, size_t configuration, size_t replicate)
{
    /* Each step is a bijection of the previous state for a fixed next coordinate, so for a
     * fixed base distinct configurations give distinct states before the replicate is
     * folded in; only the final reduction to 32 bits can make two runs collide. */
    uint64_t h = splitmix64_mix((uint64_t)base_seed + SPLITMIX64_GAMMA);
    h = splitmix64_mix(h + ((uint64_t)configuration + 1) * SPLITMIX64_GAMMA);
    h = splitmix64_mix(h + ((uint64_t)replicate + 1) * SPLITMIX64_GAMMA);
    /* taus2 reads only the low 32 bits of its seed; fold the high half in rather than drop
     * it. Zero would be replaced by taus2's default seed and share its stream. */
    uint32_t s = (uint32_t)(h ^ (h >> 32));
    return s ? (unsigned long)s : (unsigned long)ZERO_SEED_REPLACEMENT;
}

gsl_rng *rl_rng_alloc(unsigned long seed, rl_error *err)
{
    /* With rl_gsl_init's handler off, GSL reports an allocation failure by returning NULL. */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    if (!r) {
        rl_error_set(err, RL_ENOMEM, "out of memory allocating a random generator");
        return NULL;
    }
    gsl_rng_set(r, seed);
    return r;
}

void rl_rng_free(gsl_rng *r)
{
    if (r)
        gsl_rng_free(r);
}

void rl_gsl_init(void)
{
    gsl_set_error_handler_off();
    /* GSL's linear algebra calls OpenBLAS (our CBLAS). gridrl runs experiments in parallel
     * across runs, and its systems are small: BLAS threads would only compete with the runs
     * (and spin after each solve). */
    openblas_set_num_threads(1);
    /* The threaded OpenBLAS starts its workers when it loads, and they spin (sched_yield)
     * for about 0.1 s waiting for work: in a short sweep that is a core taken from the runs.
     * blas_thread_shutdown_ (exported by that build, used by its own fork handler) stops
     * them; with one thread they are never started again. The serial build has no such
     * function: a weak reference is NULL there. */
    if (blas_thread_shutdown_)
        blas_thread_shutdown_();
}

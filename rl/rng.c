/* Per-run random generators (see rng.h).
 *
 * Seeds are hashes of their coordinates (base seed, then one or two more), built from
 * SplitMix64's finalizer: each coordinate is added to the running state and the state is
 * mixed, so a one-step change in any coordinate flips about half of the output bits and
 * neighbouring runs start unrelated taus2 streams.
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

/* taus2 reads only the low 32 bits of its seed; the high half is folded in rather than
 * dropped. Zero would be replaced by taus2's default seed and share its stream. */
static unsigned long fold(uint64_t h)
{
    uint32_t s = (uint32_t)(h ^ (h >> 32));
    return s ? (unsigned long)s : (unsigned long)ZERO_SEED_REPLACEMENT;
}

unsigned long rl_rng_seed(unsigned long base_seed, size_t a, size_t b)
{
    /* Each step is a bijection of the previous state for a fixed next coordinate, so for a
     * fixed base distinct a give distinct states before b is folded in; only the final
     * reduction to 32 bits can make two seeds collide. */
    uint64_t h = splitmix64_mix((uint64_t)base_seed + SPLITMIX64_GAMMA);
    h = splitmix64_mix(h + ((uint64_t)a + 1) * SPLITMIX64_GAMMA);
    h = splitmix64_mix(h + ((uint64_t)b + 1) * SPLITMIX64_GAMMA);
    return fold(h);
}

/* A coordinate no other seed of the library mixes in first: the run seed's domain. */
#define RUN_DOMAIN UINT64_C(0x72756e)

unsigned long rl_rng_run_seed(unsigned long base_seed, size_t replicate)
{
    uint64_t h = splitmix64_mix((uint64_t)base_seed + SPLITMIX64_GAMMA);
    h = splitmix64_mix(h + RUN_DOMAIN * SPLITMIX64_GAMMA);
    h = splitmix64_mix(h + ((uint64_t)replicate + 1) * SPLITMIX64_GAMMA);
    return fold(h);
}

unsigned long rl_rng_stream_seed(unsigned long run_seed, rl_rng_stream stream)
{
    uint64_t h = splitmix64_mix((uint64_t)run_seed + SPLITMIX64_GAMMA);
    h = splitmix64_mix(h + (uint64_t)stream * SPLITMIX64_GAMMA);
    unsigned long s = fold(h);
    if (stream == RL_RNG_AGENT) {
        /* Should the 32-bit reduction make the two seeds equal, the agent's moves: the two
         * streams are never the same. */
        uint64_t e = splitmix64_mix((uint64_t)run_seed + SPLITMIX64_GAMMA);
        unsigned long env = fold(splitmix64_mix(e + (uint64_t)RL_RNG_ENV * SPLITMIX64_GAMMA));
        if (s == env)
            s = s == 1 ? 2 : s - 1;
    }
    return s;
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

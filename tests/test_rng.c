/* Tests for per-run generators (rl/rng.h): the seed hash is deterministic, 32-bit, never 0,
 * distinct over a grid of runs and well mixed; generators with equal seeds agree; the
 * stream has the moments of a uniform variable; a run's seed depends on its replicate alone,
 * and its env's and agent's streams are never the same and draw unrelated numbers.
 * Tolerances are derived in the comments.
 */
#include "tests/support.h"

#include <limits.h>
#include <stdlib.h>

#include "rl/rng.h"

#define GRID 100 /* configurations x replicates = 10^4 runs */

static int compare_ulong(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
    return (x > y) - (x < y);
}

static void test_seed_deterministic(void **state)
{
    (void)state;
    assert_int_equal(rl_rng_seed(1, 0, 0), rl_rng_seed(1, 0, 0));
    assert_int_equal(rl_rng_seed(12345, 7, 49), rl_rng_seed(12345, 7, 49));
    /* Each coordinate matters, and they are not interchangeable. */
    assert_int_not_equal(rl_rng_seed(1, 0, 0), rl_rng_seed(2, 0, 0));
    assert_int_not_equal(rl_rng_seed(1, 0, 0), rl_rng_seed(1, 1, 0));
    assert_int_not_equal(rl_rng_seed(1, 0, 0), rl_rng_seed(1, 0, 1));
    assert_int_not_equal(rl_rng_seed(1, 1, 0), rl_rng_seed(1, 0, 1));
    assert_int_not_equal(rl_rng_seed(0, 1, 0), rl_rng_seed(1, 0, 0));
}

/* 10^4 seeds of a grid, for several base seeds including the extremes. No two collide:
 * for a 32-bit hash behaving like a random function, the expected number of colliding pairs
 * among n = 10^4 values is n(n-1)/2 / 2^32 ~ 10^8 / 2^33 ~ 0.012, so a collision would
 * point at a structural flaw (e.g. configuration and replicate only added together). All
 * fit in 32 bits and none is 0. */
static void test_seed_grid_distinct(void **state)
{
    (void)state;
    static const unsigned long bases[] = {0, 1, 2, 20240601, ULONG_MAX};
    unsigned long *seeds = malloc(GRID * GRID * sizeof *seeds);
    assert_non_null(seeds);
    for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
        size_t n = 0;
        for (size_t c = 0; c < GRID; c++)
            for (size_t k = 0; k < GRID; k++) {
                unsigned long s = rl_rng_seed(bases[b], c, k);
                assert_true(s != 0);
                assert_true(s <= 0xffffffffUL);
                seeds[n++] = s;
            }
        qsort(seeds, n, sizeof *seeds, compare_ulong);
        for (size_t i = 1; i < n; i++)
            if (seeds[i] == seeds[i - 1])
                fail_msg("base %lu: seed %lu appears twice", bases[b], seeds[i]);
    }
    /* Large indices (a sweep far into the plan) stay valid too. */
    assert_true(rl_rng_seed(1, (size_t)-1, (size_t)-1) != 0);
    free(seeds);
}

/* Every output bit is set in about half of the 10^4 grid seeds. With independent fair bits
 * the count is Binomial(10^4, 1/2): mean 5000, sd sqrt(10^4 / 4) = 50; the tolerance is
 * 5 sd = 250 (each of the 32 bits fails with probability ~6e-7). A hash that left the high
 * bits empty or copied the replicate index into the low bits would fail. */
static void test_seed_bits_balanced(void **state)
{
    (void)state;
    long ones[32] = {0};
    for (size_t c = 0; c < GRID; c++)
        for (size_t k = 0; k < GRID; k++) {
            unsigned long s = rl_rng_seed(1, c, k);
            for (int bit = 0; bit < 32; bit++)
                ones[bit] += (s >> bit) & 1;
        }
    for (int bit = 0; bit < 32; bit++)
        assert_close((double)ones[bit], 5000.0, 250.0);
}

/* GSL's taus2 replaces seed 0 by 1, which is why rl_rng_seed never returns 0. This checks
 * the premise of the header comment, so a GSL change would show up here. */
static void test_zero_seed_premise(void **state)
{
    (void)state;
    gsl_rng *a = rl_rng_alloc(0, NULL), *b = rl_rng_alloc(1, NULL);
    assert_non_null(a);
    assert_non_null(b);
    for (int i = 0; i < 100; i++)
        assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
    rl_rng_free(a);
    rl_rng_free(b);
}

static void test_same_seed_same_stream(void **state)
{
    (void)state;
    rl_error err;
    unsigned long seed = rl_rng_seed(7, 3, 5);
    gsl_rng *a = rl_rng_alloc(seed, &err), *b = rl_rng_alloc(seed, &err);
    gsl_rng *c = rl_rng_alloc(rl_rng_seed(7, 3, 6), &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_string_equal(gsl_rng_name(a), "taus2");
    /* taus2 outputs 32-bit words. */
    assert_int_equal(gsl_rng_max(a), 0xffffffffUL);
    int same_as_c = 0;
    for (int i = 0; i < 10000; i++) {
        unsigned long x = gsl_rng_get(a);
        assert_int_equal(x, gsl_rng_get(b));
        same_as_c += x == gsl_rng_get(c);
    }
    /* Two unrelated 32-bit streams agree at a position with probability 2^-32, so over
     * 10^4 draws the expected count is ~2e-6: any agreement beyond one is a shared stream. */
    assert_true(same_as_c <= 1);
    rl_rng_free(a);
    rl_rng_free(b);
    rl_rng_free(c);
    rl_rng_free(NULL);
}

/* Mean and variance of 10^5 uniform draws. For U(0, 1): mean 1/2, variance 1/12, fourth
 * central moment 1/80. The sd of the sample mean is sqrt(1/12 / 10^5) ~ 9.13e-4 and of the
 * sample variance ~ sqrt((1/80 - 1/144) / 10^5) ~ 2.36e-4; tolerances are 5 sd. */
static void test_uniform_moments(void **state)
{
    (void)state;
    const int n = 100000;
    gsl_rng *r = rl_rng_alloc(rl_rng_seed(1, 0, 0), NULL);
    assert_non_null(r);
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; i++) {
        double u = gsl_rng_uniform(r);
        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
        sum2 += u * u;
    }
    double mean = sum / n, var = sum2 / n - mean * mean;
    assert_close(mean, 0.5, 5 * 9.13e-4);
    assert_close(var, 1.0 / 12.0, 5 * 2.36e-4);
    rl_rng_free(r);
}

/* Neighbouring runs start unrelated streams: the first uniform draw of run (1, c, k) against
 * that of run (1, c, k + 1), over 10^4 pairs. For independent uniforms the sample
 * correlation has sd ~ 1/sqrt(10^4) = 0.01; the tolerance is 5 sd = 0.05. The first draws
 * themselves average 1/2 within 5 * sqrt(1/12 / 10^4) ~ 0.0144. */
static void test_neighbour_streams_uncorrelated(void **state)
{
    (void)state;
    const int n = GRID * GRID;
    double *first = malloc((size_t)(n + GRID) * sizeof *first);
    assert_non_null(first);
    /* GRID + 1 replicates per configuration so each of the 10^4 runs has a right neighbour. */
    int m = 0;
    for (size_t c = 0; c < GRID; c++)
        for (size_t k = 0; k <= GRID; k++) {
            gsl_rng *r = rl_rng_alloc(rl_rng_seed(1, c, k), NULL);
            assert_non_null(r);
            first[m++] = gsl_rng_uniform(r);
            rl_rng_free(r);
        }
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (size_t c = 0; c < GRID; c++)
        for (size_t k = 0; k < GRID; k++) {
            double x = first[c * (GRID + 1) + k], y = first[c * (GRID + 1) + k + 1];
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
        }
    double cov = sxy / n - (sx / n) * (sy / n);
    double corr = cov / sqrt((sxx / n - (sx / n) * (sx / n)) * (syy / n - (sy / n) * (sy / n)));
    assert_close(corr, 0.0, 0.05);
    assert_close(sx / n, 0.5, 5 * sqrt(1.0 / 12.0 / n));
    free(first);
}

/* A run's seed: the base seed and the replicate, distinct over 10^4 replicates (expected
 * colliding pairs ~0.012, as in test_seed_grid_distinct). Its two streams: never equal to
 * each other, over 10^5 run seeds, and seeded apart from the generic grid seeds. */
static void test_run_and_stream_seeds(void **state)
{
    (void)state;
    assert_int_equal(rl_rng_run_seed(1, 3), rl_rng_run_seed(1, 3));
    assert_int_not_equal(rl_rng_run_seed(1, 3), rl_rng_run_seed(2, 3));
    unsigned long *seeds = malloc(GRID * GRID * sizeof *seeds);
    assert_non_null(seeds);
    for (size_t k = 0; k < GRID * GRID; k++) {
        seeds[k] = rl_rng_run_seed(20240601, k);
        assert_true(seeds[k] != 0 && seeds[k] <= 0xffffffffUL);
    }
    qsort(seeds, GRID * GRID, sizeof *seeds, compare_ulong);
    for (size_t i = 1; i < GRID * GRID; i++)
        if (seeds[i] == seeds[i - 1])
            fail_msg("run seed %lu appears twice", seeds[i]);
    free(seeds);
    for (unsigned long run = 1; run <= 100000; run++) {
        unsigned long env = rl_rng_stream_seed(run, RL_RNG_ENV);
        unsigned long agent = rl_rng_stream_seed(run, RL_RNG_AGENT);
        if (env == agent || !env || !agent || env > 0xffffffffUL || agent > 0xffffffffUL)
            fail_msg("run seed %lu: env %lu, agent %lu", run, env, agent);
    }
}

/* A run's env and agent streams are unrelated: the first draws of the two streams of 10^4
 * runs have a sample correlation within 5 sd = 0.05 of 0 (sd ~ 1/sqrt(10^4)), and their
 * first 20 draws differ (equal streams would repeat each other). */
static void test_streams_unrelated(void **state)
{
    (void)state;
    const int n = GRID * GRID;
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (int k = 0; k < n; k++) {
        unsigned long run = rl_rng_run_seed(1, (size_t)k);
        gsl_rng *e = rl_rng_alloc(rl_rng_stream_seed(run, RL_RNG_ENV), NULL);
        gsl_rng *a = rl_rng_alloc(rl_rng_stream_seed(run, RL_RNG_AGENT), NULL);
        assert_non_null(e);
        assert_non_null(a);
        double x = gsl_rng_uniform(e), y = gsl_rng_uniform(a);
        sx += x;
        sy += y;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
        if (k == 0) {
            size_t same = x == y;
            for (int i = 1; i < 20; i++)
                same += gsl_rng_get(e) == gsl_rng_get(a);
            assert_true(same < 20);
        }
        rl_rng_free(e);
        rl_rng_free(a);
    }
    double cov = sxy / n - (sx / n) * (sy / n);
    double corr = cov / sqrt((sxx / n - (sx / n) * (sx / n)) * (syy / n - (sy / n) * (sy / n)));
    assert_close(corr, 0.0, 0.05);
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_deterministic),
        cmocka_unit_test(test_seed_grid_distinct),
        cmocka_unit_test(test_seed_bits_balanced),
        cmocka_unit_test(test_zero_seed_premise),
        cmocka_unit_test(test_same_seed_same_stream),
        cmocka_unit_test(test_uniform_moments),
        cmocka_unit_test(test_neighbour_streams_uncorrelated),
        cmocka_unit_test(test_run_and_stream_seeds),
        cmocka_unit_test(test_streams_unrelated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

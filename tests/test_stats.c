/* Tests for the statistics module (rl/stats.h): summaries against hand computations and
 * t-table / closed-form quantiles, the IQM against hand-trimmed means, the IQM bootstrap on
 * samples whose bootstrap distribution is known exactly, a coverage check of the t-interval
 * with a binomial tolerance, the probability of improvement against pairs counted by hand
 * and its bootstrap on samples whose resampled values are known, and the moving average by
 * hand.
 */
#include "tests/support.h"

#include <float.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics.h>

#include "rl/rng.h"
#include "rl/stats.h"

/* x = 1..5: mean 3; squared deviations 4+1+0+1+4 = 10, sd = sqrt(10/4) = sqrt(2.5).
 * t_{0.975,4} = 2.776445105 from a t table (10 significant digits, so 1e-8 is ample for the
 * half-width t sd / sqrt(5) = t sqrt(0.5) ~ 1.963). */
static void test_summary_five(void **state)
{
    (void)state;
    const double x[] = {4, 1, 5, 2, 3};
    rl_summary s;
    rl_summary_compute(x, 5, &s);
    assert_int_equal(s.n, 5);
    assert_close(s.mean, 3.0, 1e-15);
    assert_close(s.sd, sqrt(2.5), 1e-15);
    double half = 2.776445105 * sqrt(2.5) / sqrt(5.0);
    assert_close(s.ci95_low, 3.0 - half, 1e-8);
    assert_close(s.ci95_high, 3.0 + half, 1e-8);
}

/* n = 2, x = {1, 3}: mean 2, sd = sqrt((1 + 1) / 1) = sqrt(2), half-width
 * t_{0.975,1} sqrt(2) / sqrt(2) = t_{0.975,1}. With one degree of freedom t is Cauchy:
 * t_p = tan(pi (p - 1/2)) = tan(0.475 pi) = 12.7062047... (table: 12.7062047). */
static void test_summary_two(void **state)
{
    (void)state;
    const double x[] = {3, 1};
    rl_summary s;
    rl_summary_compute(x, 2, &s);
    assert_int_equal(s.n, 2);
    assert_close(s.mean, 2.0, 1e-15);
    assert_close(s.sd, sqrt(2.0), 1e-15);
    assert_close(s.ci95_low, 2.0 - 12.7062047, 1e-7);
    assert_close(s.ci95_high, 2.0 + 12.7062047, 1e-7);
    double t1 = tan(0.475 * acos(-1.0)); /* M_PI is not in C11 */
    assert_close(s.ci95_high - 2.0, t1, 1e-9);
}

/* n = 3, x = {0, 3, 6}: mean 3, sd = sqrt((9 + 0 + 9) / 2) = 3. With two degrees of freedom
 * the t quantile has a closed form, t_p = (2p - 1) / sqrt(2 p (1 - p)), so
 * t_{0.975,2} = 0.95 / sqrt(0.04875) = 4.30265... (table: 4.303); half-width t 3 / sqrt(3). */
static void test_summary_three(void **state)
{
    (void)state;
    const double x[] = {6, 0, 3};
    rl_summary s;
    rl_summary_compute(x, 3, &s);
    assert_close(s.mean, 3.0, 1e-15);
    assert_close(s.sd, 3.0, 1e-14);
    double half = 0.95 / sqrt(2 * 0.975 * 0.025) * 3.0 / sqrt(3.0);
    assert_close(s.ci95_low, 3.0 - half, 1e-9);
    assert_close(s.ci95_high, 3.0 + half, 1e-9);
    assert_close(half, 4.303 * sqrt(3.0), 1e-3 * sqrt(3.0)); /* the table, 4 digits */
}

/* n = 1: the mean only; n = 0: nothing. NaN marks what the caller leaves empty. */
static void test_summary_small(void **state)
{
    (void)state;
    const double x[] = {4.5};
    rl_summary s;
    rl_summary_compute(x, 1, &s);
    assert_int_equal(s.n, 1);
    assert_close(s.mean, 4.5, 0.0);
    assert_true(isnan(s.sd));
    assert_true(isnan(s.ci95_low));
    assert_true(isnan(s.ci95_high));

    rl_summary_compute(x, 0, &s);
    assert_int_equal(s.n, 0);
    assert_true(isnan(s.mean));
    assert_true(isnan(s.sd));
    assert_true(isnan(s.ci95_low));
    assert_true(isnan(s.ci95_high));

    rl_summary_compute(x, 1, NULL); /* no output: nothing to do, no crash */
}

/* Equal values: sd 0 and a point interval. Values sharing a large offset: 1e9 + (1..5)
 * has the same sd as 1..5; a one-pass sum of squares (sum x^2 - n mean^2 ~ 5e18 - 5e18)
 * would lose every digit. 1e9 + k is exact in binary, so the tolerance covers only the
 * rounding of the mean (1e9 * 2^-52 ~ 2e-7) spread over the deviations. */
static void test_summary_constant_and_offset(void **state)
{
    (void)state;
    const double c[] = {-2.5, -2.5, -2.5, -2.5};
    rl_summary s;
    rl_summary_compute(c, 4, &s);
    assert_close(s.mean, -2.5, 0.0);
    assert_close(s.sd, 0.0, 0.0);
    assert_close(s.ci95_low, -2.5, 0.0);
    assert_close(s.ci95_high, -2.5, 0.0);

    const double x[] = {1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4, 1e9 + 5};
    rl_summary_compute(x, 5, &s);
    assert_close(s.mean, 1e9 + 3, 1e-6);
    assert_close(s.sd, sqrt(2.5), 1e-6);
}

/* Coverage: for normal data the t-interval covers the true mean with probability exactly
 * 0.95. Over 200 samples of size 30 (mean 5, sd 2, fixed seed) the covered count is
 * Binomial(200, 0.95): sd sqrt(200 * 0.95 * 0.05) = 3.08, so the fraction must lie within
 * 3 sd = 3 sqrt(0.95 * 0.05 / 200) = 0.0462 of 0.95. An interval built with sd / n, or
 * with z_{0.975} and sd / n, would cover far less often; the exact quantile is pinned by the
 * table tests above, which this check is too coarse to do (a 90% interval sits at its edge). */
static void test_summary_coverage(void **state)
{
    (void)state;
    enum { SAMPLES = 200, SIZE = 30 };
    const double mu = 5.0, sigma = 2.0;
    gsl_rng *r = rl_rng_alloc(20240601, NULL);
    assert_non_null(r);
    double x[SIZE];
    int covered = 0;
    for (int k = 0; k < SAMPLES; k++) {
        for (int i = 0; i < SIZE; i++)
            x[i] = mu + gsl_ran_gaussian(r, sigma);
        rl_summary s;
        rl_summary_compute(x, SIZE, &s);
        covered += s.ci95_low <= mu && mu <= s.ci95_high;
    }
    rl_rng_free(r);
    double tolerance = 3 * sqrt(0.95 * 0.05 / SAMPLES);
    assert_close((double)covered / SAMPLES, 0.95, tolerance);
}

/* IQM of 1..8 (given shuffled): drop floor(8/4) = 2 from each end, mean(3,4,5,6) = 4.5.
 * The function sorts its argument in place, as documented. */
static void test_iqm_eight(void **state)
{
    (void)state;
    double x[] = {5, 1, 8, 3, 7, 2, 6, 4};
    assert_close(rl_iqm(x, 8), 4.5, 1e-15);
    for (int i = 0; i < 8; i++)
        assert_close(x[i], i + 1.0, 0.0);
}

/* Outliers are trimmed; the counts dropped from each end are floor(n/4):
 * n = 8:  sorted -50 1 2 3 4 5 100 1000, drop 2 each end -> mean(2,3,4,5) = 3.5
 * n = 10: sorted -1000 1 3 4 5 6 7 8 9 2000, drop 2 -> (3+4+5+6+7+8)/6 = 33/6 = 5.5
 * n = 5:  sorted 10 20 30 40 1000, drop 1 -> mean(20,30,40) = 30
 * n = 4:  sorted 1 2 4 100, drop 1 -> mean(2,4) = 3
 * n = 3:  drop 0 -> mean(1,2,6) = 3;  n = 1: the value;  n = 0: NaN. */
static void test_iqm_outliers(void **state)
{
    (void)state;
    double a[] = {100, 1, 2, -50, 3, 4, 5, 1000};
    assert_close(rl_iqm(a, 8), 3.5, 1e-15);
    double b[] = {7, -1000, 3, 9, 1, 5, 2000, 4, 6, 8};
    assert_close(rl_iqm(b, 10), 5.5, 1e-14);
    double c[] = {1000, 40, 10, 30, 20};
    assert_close(rl_iqm(c, 5), 30.0, 1e-13);
    double d[] = {100, 4, 1, 2};
    assert_close(rl_iqm(d, 4), 3.0, 1e-15);
    double e[] = {6, 1, 2};
    assert_close(rl_iqm(e, 3), 3.0, 1e-15);
    double f[] = {-7.25};
    assert_close(rl_iqm(f, 1), -7.25, 0.0);
    assert_true(isnan(rl_iqm(f, 0)));
}

/* Runs the bootstrap with a work buffer of exactly n + resamples doubles, so the sanitizer
 * catches any write past it. */
static int bootstrap(const double *x, size_t n, size_t resamples, unsigned long seed,
                     double *low, double *high, rl_error *err)
{
    double *work = malloc((n + resamples) * sizeof *work);
    assert_non_null(work);
    int rc = rl_iqm_bootstrap(x, n, resamples, seed, low, high, work, err);
    free(work);
    return rc;
}

/* Every resample of a constant sample is constant, so is every IQM: the interval is
 * [c, c] up to the rounding of the quantile's interpolation (a few ulp of c). */
static void test_bootstrap_constant(void **state)
{
    (void)state;
    const double x[] = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
    double low, high;
    assert_int_equal(bootstrap(x, 7, 1000, 1, &low, &high, NULL), 0);
    assert_close(low, 0.1, 4 * DBL_EPSILON * 0.1);
    assert_close(high, 0.1, 4 * DBL_EPSILON * 0.1);
}

/* x = {0, 1}: a resample of two values has IQM = its mean (floor(2/4) = 0 dropped), which is
 * 0, 0.5 or 1 with probabilities 1/4, 1/2, 1/4. Of B = 1000 resampled IQMs, the count of
 * zeros is Binomial(1000, 1/4): mean 250, sd 13.7. The 2.5% quantile interpolates sorted
 * positions 24 and 25 (0.025 * 999 = 24.975), both 0 unless fewer than 26 zeros (16 sd
 * below the mean); symmetrically the 97.5% quantile is 1. An implementation that did not
 * resample (or resampled without replacement) would return 0.5 for both. */
static void test_bootstrap_two_points(void **state)
{
    (void)state;
    const double x[] = {0, 1};
    double low, high;
    assert_int_equal(bootstrap(x, 2, 1000, 7, &low, &high, NULL), 0);
    assert_close(low, 0.0, 0.0);
    assert_close(high, 1.0, 0.0);
}

/* A bootstrap distribution known exactly. x = {0, 1, 2, 3, 4}: a resample of 5 values has
 * IQM = (sum of its 3 middle order statistics) / 3 (floor(5/4) = 1 dropped each end).
 * Enumerating the 5^5 = 3125 equally likely resamples by hand (a script, counting sorted
 * tuples) gives the sum S of the middle three:
 *     S      0    1    2    ...   10   11   12
 *     count  21   70   150  ...   150  70   21     (symmetric)
 * so P(S = 0) = 0.672% and P(S <= 1) = 2.912%: the 2.5% quantile of the IQM is 1/3, and by
 * symmetry the 97.5% quantile is 11/3. With B = 40000 resamples the sample quantile
 * interpolates sorted positions 999 and 1000 (0.025 * 39999 = 999.975). The count of IQMs
 * <= 1/3 is Binomial(40000, 0.02912): mean 1165, sd 33.6, and must exceed 1000 (4.9 sd
 * away); the count of zeros (mean 269) must stay below 999 (45 sd away). A minimum or a
 * 5% quantile would give 0 or 2/3 instead. */
static void test_bootstrap_exact_quantiles(void **state)
{
    (void)state;
    const double x[] = {3, 0, 4, 1, 2};
    double low, high;
    assert_int_equal(bootstrap(x, 5, 40000, 11, &low, &high, NULL), 0);
    assert_close(low, 1.0 / 3, 1e-12);
    assert_close(high, 11.0 / 3, 1e-12);
}

/* Same seed, same interval (bit for bit); another seed, another interval (the sample has
 * 20 distinct irregular values, so 1000 resampled IQMs take many distinct values). x is
 * read only. For the symmetric sample 1..20 the sample IQM is mean(6..15) = 10.5 and the
 * percentile interval must contain it with room on both sides. */
static void test_bootstrap_reproducible(void **state)
{
    (void)state;
    double x[20];
    for (int i = 0; i < 20; i++)
        x[i] = (double)((i * 7919) % 23) + 0.5 * (i % 3);
    double copy[20];
    memcpy(copy, x, sizeof x);
    double l1, h1, l2, h2, l3, h3;
    assert_int_equal(bootstrap(x, 20, 1000, 42, &l1, &h1, NULL), 0);
    assert_int_equal(bootstrap(x, 20, 1000, 42, &l2, &h2, NULL), 0);
    assert_int_equal(bootstrap(x, 20, 1000, 43, &l3, &h3, NULL), 0);
    assert_memory_equal(&l1, &l2, sizeof l1);
    assert_memory_equal(&h1, &h2, sizeof h1);
    assert_true(l1 != l3 || h1 != h3);
    assert_memory_equal(x, copy, sizeof x);

    double sym[20];
    for (int i = 0; i < 20; i++)
        sym[i] = i + 1.0;
    double low, high;
    assert_int_equal(bootstrap(sym, 20, 2000, 5, &low, &high, NULL), 0);
    memcpy(copy, sym, sizeof sym);
    assert_close(rl_iqm(copy, 20), 10.5, 1e-14);
    assert_true(low < 10.5 && 10.5 < high);
}

/* Bad arguments are errors with a message, never a crash; the outputs become NaN. */
/* The bootstrap sorts each resample by counting ranks instead of sorting it: its
 * intervals must be those of the plain way, written here (gsl_ran_sample, gsl_sort, the
 * trimmed mean, the 2.5% and 97.5% quantiles of the sorted IQMs), to the bit: on values
 * with many ties, distinct values, and with a NaN or a -0.0 (where it takes the plain way). */
static void plain_bootstrap(const double *x, size_t n, size_t resamples, unsigned long seed,
                            double *low, double *high)
{
    double *sample = malloc(n * sizeof *sample), *iqms = malloc(resamples * sizeof *iqms);
    assert_true(sample && iqms);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    assert_non_null(r);
    gsl_rng_set(r, seed);
    for (size_t b = 0; b < resamples; b++) {
        gsl_ran_sample(r, sample, n, (void *)x, n, sizeof *sample);
        gsl_sort(sample, 1, n);
        iqms[b] = gsl_stats_trmean_from_sorted_data(0.25, sample, 1, n);
    }
    gsl_sort(iqms, 1, resamples);
    *low = gsl_stats_quantile_from_sorted_data(iqms, 1, resamples, 0.025);
    *high = gsl_stats_quantile_from_sorted_data(iqms, 1, resamples, 0.975);
    gsl_rng_free(r);
    free(sample);
    free(iqms);
}

static void test_bootstrap_as_plain(void **state)
{
    (void)state;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
    assert_non_null(g);
    gsl_rng_set(g, 12345);
    double x[37], work[37 + 500];
    for (int trial = 0; trial < 60; trial++) {
        size_t n = 1 + (size_t)trial % 37;
        for (size_t i = 0; i < n; i++)
            x[i] = trial % 3 == 0 ? (double)gsl_rng_uniform_int(g, 4) - 2.0
                                  : gsl_ran_gaussian(g, 10.0);
        if (trial % 7 == 5)
            x[n / 2] = NAN;
        if (trial % 11 == 4)
            x[0] = -0.0;
        double low, high, want_low, want_high;
        rl_error err;
        assert_int_equal(rl_iqm_bootstrap(x, n, 500, (unsigned long)trial + 1, &low, &high,
                                          work, &err),
                         0);
        plain_bootstrap(x, n, 500, (unsigned long)trial + 1, &want_low, &want_high);
        if (memcmp(&low, &want_low, sizeof low) != 0 || memcmp(&high, &want_high, sizeof high))
            fail_msg("trial %d (n = %zu): [%.17g, %.17g], the plain bootstrap [%.17g, %.17g]",
                     trial, n, low, high, want_low, want_high);
    }
    gsl_rng_free(g);
}

static void test_bootstrap_errors(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3};
    double work[16], low = 0, high = 0;
    rl_error err;
    assert_int_equal(rl_iqm_bootstrap(x, 0, 10, 1, &low, &high, work, &err), RL_EINVAL);
    assert_int_equal(err.code, RL_EINVAL);
    assert_contains(err.message, "n = 0");
    assert_true(isnan(low) && isnan(high));

    assert_int_equal(rl_iqm_bootstrap(x, 3, 1, 1, &low, &high, work, &err), RL_EINVAL);
    assert_contains(err.message, "resamples = 1");
    assert_int_equal(rl_iqm_bootstrap(x, 3, 0, 1, &low, &high, work, &err), RL_EINVAL);
    assert_contains(err.message, "resamples = 0");

    assert_int_equal(rl_iqm_bootstrap(x, 3, 10, 1, &low, &high, NULL, &err), RL_EINVAL);
    assert_contains(err.message, "NULL");
    assert_int_equal(rl_iqm_bootstrap(NULL, 3, 10, 1, &low, &high, work, NULL), RL_EINVAL);
    assert_int_equal(rl_iqm_bootstrap(x, 3, 10, 1, NULL, &high, work, NULL), RL_EINVAL);
    assert_true(isnan(high));
    /* The smallest valid call works: 3 + 2 doubles of work. */
    assert_int_equal(rl_iqm_bootstrap(x, 3, 2, 1, &low, &high, work, &err), 0);
    assert_true(low >= 1.0 && low <= high && high <= 3.0);
}


/* P(X > Y) counted by hand over the pairs. x = {10, 2, 0, 5, 2} (sorted 0 2 2 5 10), y = {4, 1,
 * 3, 2}: x = 0 beats nothing; each x = 2 beats y = 1 and ties y = 2: 1.5 each; x = 5 and
 * x = 10 beat all four: (0 + 3 + 4 + 4) / 20 = 0.55. The other way, y = 1 beats x = 0,
 * y = 2 beats 0 and ties the two 2s (2), y = 3 and y = 4 beat 0, 2, 2 (3 each): 9 / 20 =
 * 0.45 = 1 - 0.55. Against z = {1, 1, 1}: x = 2, 2, 5, 10 beat all three: 12 / 15 = 0.8.
 * Equal samples: every pair a tie, 0.5; x above every y: 1. */
static void test_probability_of_improvement(void **state)
{
    (void)state;
    const double x[] = {10, 2, 0, 5, 2}, y[] = {4, 1, 3, 2}, z[] = {1, 1, 1};
    const double three[] = {3, 3}, big[] = {11, 12};
    double work[16], copy[5];
    memcpy(copy, x, sizeof x);
    assert_close(rl_probability_of_improvement(x, 5, y, 4, work), 0.55, 1e-15);
    assert_close(rl_probability_of_improvement(y, 4, x, 5, work), 0.45, 1e-15);
    assert_close(rl_probability_of_improvement(x, 5, z, 3, work), 0.8, 1e-15);
    assert_close(rl_probability_of_improvement(three, 2, three, 2, work), 0.5, 0);
    assert_close(rl_probability_of_improvement(big, 2, x, 5, work), 1.0, 0);
    assert_close(rl_probability_of_improvement(x, 5, big, 2, work), 0.0, 0);
    assert_memory_equal(x, copy, sizeof x); /* read only */
    assert_true(isnan(rl_probability_of_improvement(x, 0, y, 4, work)));
    assert_true(isnan(rl_probability_of_improvement(x, 5, y, 0, work)));
    assert_true(isnan(rl_probability_of_improvement(x, 5, y, 4, NULL)));
}

/* Resampled P(X > Y) known exactly. x above every y: every resample gives 1, so [1, 1];
 * equal constants: every pair ties, [0.5, 0.5]. x = {0, 1} against y = {0.5}: y's resample
 * is always 0.5, x's has both 0s (P = 0, chance 1/4), one of each (1/2) or both 1s (1,
 * chance 1/4); of B = 1000 resamples the zeros are Binomial(1000, 1/4), mean 250, sd 13.7,
 * and the 2.5% quantile interpolates sorted positions 24 and 25 (0 unless fewer than 26
 * zeros, 16 sd away): [0, 1]. A bootstrap that did not resample x would give [0.5, 0.5]. */
static void test_improvement_bootstrap(void **state)
{
    (void)state;
    double work[2 + 1 + 1000 + 16], low, high;
    const double x[] = {11, 12, 13}, y[] = {1, 2, 3, 4};
    assert_int_equal(rl_probability_of_improvement_bootstrap(x, 3, y, 4, 500, 3, &low, &high,
                                                             work, NULL),
                     0);
    assert_close(low, 1.0, 0);
    assert_close(high, 1.0, 0);
    const double c[] = {2, 2, 2};
    assert_int_equal(rl_probability_of_improvement_bootstrap(c, 3, c, 2, 500, 3, &low, &high,
                                                             work, NULL),
                     0);
    assert_close(low, 0.5, 0);
    assert_close(high, 0.5, 0);
    const double two[] = {0, 1}, half[] = {0.5};
    assert_int_equal(rl_probability_of_improvement_bootstrap(two, 2, half, 1, 1000, 7, &low,
                                                             &high, work, NULL),
                     0);
    assert_close(low, 0.0, 0);
    assert_close(high, 1.0, 0);
    /* Errors, as the IQM's bootstrap. */
    rl_error err;
    assert_int_equal(rl_probability_of_improvement_bootstrap(two, 0, half, 1, 10, 1, &low,
                                                             &high, work, &err),
                     RL_EINVAL);
    assert_contains(err.message, "n = 0");
    assert_true(isnan(low) && isnan(high));
    assert_int_equal(rl_probability_of_improvement_bootstrap(two, 2, half, 1, 1, 1, &low,
                                                             &high, work, &err),
                     RL_EINVAL);
    assert_int_equal(rl_probability_of_improvement_bootstrap(two, 2, half, 1, 10, 1, &low,
                                                             &high, NULL, &err),
                     RL_EINVAL);
}

/* x = 1 2 3 4 5 10, window 3 (partial windows at the start):
 * 1, (1+2)/2, (1+2+3)/3, (2+3+4)/3, (3+4+5)/3, (4+5+10)/3 = 1, 1.5, 2, 3, 4, 19/3.
 * Window 1 copies x; a window longer than x gives running means 1, 1.5, 2, 2.5, 3, 25/6;
 * window 0 gives NaN. */
static void test_moving_average(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4, 5, 10};
    double out[6];
    const double w3[] = {1, 1.5, 2, 3, 4, 19.0 / 3};
    rl_moving_average(x, 6, 3, out);
    for (int i = 0; i < 6; i++)
        assert_close(out[i], w3[i], 1e-14);
    rl_moving_average(x, 6, 1, out);
    for (int i = 0; i < 6; i++)
        assert_close(out[i], x[i], 0.0);
    const double w10[] = {1, 1.5, 2, 2.5, 3, 25.0 / 6};
    rl_moving_average(x, 6, 10, out);
    for (int i = 0; i < 6; i++)
        assert_close(out[i], w10[i], 1e-14);
    rl_moving_average(x, 6, 0, out);
    for (int i = 0; i < 6; i++)
        assert_true(isnan(out[i]));
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_five),
        cmocka_unit_test(test_summary_two),
        cmocka_unit_test(test_summary_three),
        cmocka_unit_test(test_summary_small),
        cmocka_unit_test(test_summary_constant_and_offset),
        cmocka_unit_test(test_summary_coverage),
        cmocka_unit_test(test_iqm_eight),
        cmocka_unit_test(test_iqm_outliers),
        cmocka_unit_test(test_bootstrap_constant),
        cmocka_unit_test(test_bootstrap_two_points),
        cmocka_unit_test(test_bootstrap_exact_quantiles),
        cmocka_unit_test(test_bootstrap_reproducible),
        cmocka_unit_test(test_bootstrap_as_plain),
        cmocka_unit_test(test_bootstrap_errors),
        cmocka_unit_test(test_probability_of_improvement),
        cmocka_unit_test(test_improvement_bootstrap),
        cmocka_unit_test(test_moving_average),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

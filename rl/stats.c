/* Statistics across runs (see stats.h): GSL does the arithmetic; this file fixes the
 * conventions (which divisor, which quantile, what n = 0 and n = 1 mean) in one place so
 * summary.csv, scores.csv and the plots agree.
 */
#include "rl/stats.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics.h>

#include "rl/alloc.h"
#include "rl/rng.h"

/* The IQM trims a quarter from each end; GSL's trimmed mean drops floor(trim * n) values
 * from each end, exactly scipy's trim_mean(x, 0.25) (0.25 * n is exact in binary). */
#define IQM_TRIM 0.25

double rl_t975(size_t dof)
{
    return dof ? gsl_cdf_tdist_Pinv(0.975, (double)dof) : NAN;
}

void rl_summary_compute(const double *x, size_t n, rl_summary *out)
{
    rl_summary_compute_t(x, n, n >= 2 ? rl_t975(n - 1) : NAN, out);
}

void rl_summary_compute_t(const double *x, size_t n, double t975, rl_summary *out)
{
    if (!out)
        return;
    out->n = n;
    out->mean = out->sd = out->ci95_low = out->ci95_high = NAN;
    if (n == 0 || !x)
        return;
    out->mean = gsl_stats_mean(x, 1, n);
    if (n < 2)
        return;
    /* Two-pass sd about the computed mean: no cancellation when values share a large
     * offset (returns around -100 that differ in the third digit). */
    out->sd = gsl_stats_sd_m(x, 1, n, out->mean);
    double half = t975 * out->sd / sqrt((double)n);
    out->ci95_low = out->mean - half;
    out->ci95_high = out->mean + half;
}

double rl_iqm(double *x, size_t n)
{
    if (n == 0 || !x)
        return NAN;
    gsl_sort(x, 1, n);
    return gsl_stats_trmean_from_sorted_data(IQM_TRIM, x, 1, n);
}

/* A resample sorted without sorting it: x's order computed once (order[0..n): x's indices
 * in ascending order of value; order[n..2n): each index's rank; order[2n..3n): counts), the
 * resample's indices drawn as gsl_ran_sample draws them (gsl_rng_uniform_int, one per
 * value, the same draws) and counted by rank, then written out in rank order: the array
 * gsl_sort would make of gsl_ran_sample's resample, in O(n) instead of O(n log n). NULL
 * (the plain way then) when x has a NaN or a negative zero, whose place gsl_sort leaves
 * to chance, or without memory. */
static size_t *counting_sort_plan(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != x[i] || (x[i] == 0.0 && signbit(x[i])))
            return NULL;
    if (n > SIZE_MAX / (3 * sizeof(size_t)))
        return NULL;
    size_t *order = rl_malloc(3 * n * sizeof *order);
    if (!order)
        return NULL;
    gsl_sort_index(order, x, 1, n);
    for (size_t i = 0; i < n; i++)
        order[n + order[i]] = i;
    return order;
}

static void sorted_resample(const gsl_rng *r, const double *x, size_t n, size_t *order,
                            double *sample)
{
    size_t *rank = order + n, *count = order + 2 * n;
    memset(count, 0, n * sizeof *count);
    for (size_t i = 0; i < n; i++)
        count[rank[gsl_rng_uniform_int(r, n)]]++;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t c = count[i]; c > 0; c--)
            sample[k++] = x[order[i]];
}

int rl_iqm_bootstrap(const double *x, size_t n, size_t resamples, unsigned long seed,
                     double *low, double *high, double *work, rl_error *err)
{
    if (low)
        *low = NAN;
    if (high)
        *high = NAN;
    if (!x || !low || !high || !work)
        return rl_error_set(err, RL_EINVAL, "IQM bootstrap: NULL argument");
    if (n == 0)
        return rl_error_set(err, RL_EINVAL, "IQM bootstrap: no values (n = 0)");
    if (resamples < 2)
        return rl_error_set(err, RL_EINVAL,
                            "IQM bootstrap: resamples = %zu, need at least 2", resamples);
    if (resamples > SIZE_MAX / sizeof(double) - n)
        return rl_error_set(err, RL_EINVAL, "IQM bootstrap: resamples = %zu is too large",
                            resamples);

    gsl_rng *r = rl_rng_alloc(seed, err);
    if (!r)
        return RL_ENOMEM;
    double *sample = work, *iqms = work + n;
    size_t *order = counting_sort_plan(x, n);
    for (size_t b = 0; b < resamples; b++) {
        if (order) {
            sorted_resample(r, x, n, order, sample);
            iqms[b] = gsl_stats_trmean_from_sorted_data(IQM_TRIM, sample, 1, n);
            continue;
        }
        /* gsl_ran_sample only reads its source; its prototype just lacks the const. */
        gsl_ran_sample(r, sample, n, (void *)(uintptr_t)x, n, sizeof *sample);
        iqms[b] = rl_iqm(sample, n);
    }
    rl_free(order);
    rl_rng_free(r);

    gsl_sort(iqms, 1, resamples);
    *low = gsl_stats_quantile_from_sorted_data(iqms, 1, resamples, 0.025);
    *high = gsl_stats_quantile_from_sorted_data(iqms, 1, resamples, 0.975);
    return 0;
}

/* P(X > Y) of sorted a[0..n) over sorted b[0..m): one pass, each a_i against the b's below
 * it (wins) and equal to it (ties). */
static double improvement_sorted(const double *a, size_t n, const double *b, size_t m)
{
    double wins = 0.0, ties = 0.0;
    size_t below = 0, upto = 0; /* b[0..below) < a_i, b[0..upto) <= a_i */
    for (size_t i = 0; i < n; i++) {
        while (below < m && b[below] < a[i])
            below++;
        if (upto < below)
            upto = below;
        while (upto < m && b[upto] <= a[i])
            upto++;
        wins += (double)below;
        ties += (double)(upto - below);
    }
    return (wins + 0.5 * ties) / ((double)n * (double)m);
}

double rl_probability_of_improvement(const double *x, size_t n, const double *y, size_t m,
                                     double *work)
{
    if (!x || !y || !work || n == 0 || m == 0)
        return NAN;
    memcpy(work, x, n * sizeof *work);
    memcpy(work + n, y, m * sizeof *work);
    gsl_sort(work, 1, n);
    gsl_sort(work + n, 1, m);
    return improvement_sorted(work, n, work + n, m);
}

int rl_probability_of_improvement_bootstrap(const double *x, size_t n, const double *y,
                                            size_t m, size_t resamples, unsigned long seed,
                                            double *low, double *high, double *work,
                                            rl_error *err)
{
    if (low)
        *low = NAN;
    if (high)
        *high = NAN;
    if (!x || !y || !low || !high || !work)
        return rl_error_set(err, RL_EINVAL, "improvement bootstrap: NULL argument");
    if (n == 0 || m == 0)
        return rl_error_set(err, RL_EINVAL, "improvement bootstrap: no values (n = %zu, m = %zu)",
                            n, m);
    if (resamples < 2)
        return rl_error_set(err, RL_EINVAL,
                            "improvement bootstrap: resamples = %zu, need at least 2",
                            resamples);
    if (resamples > SIZE_MAX / sizeof(double) - n - m)
        return rl_error_set(err, RL_EINVAL, "improvement bootstrap: resamples = %zu is too large",
                            resamples);
    gsl_rng *r = rl_rng_alloc(seed, err);
    if (!r)
        return RL_ENOMEM;
    double *a = work, *b = work + n, *p = work + n + m;
    for (size_t i = 0; i < resamples; i++) {
        /* gsl_ran_sample only reads its source; its prototype just lacks the const. */
        gsl_ran_sample(r, a, n, (void *)(uintptr_t)x, n, sizeof *a);
        gsl_ran_sample(r, b, m, (void *)(uintptr_t)y, m, sizeof *b);
        gsl_sort(a, 1, n);
        gsl_sort(b, 1, m);
        p[i] = improvement_sorted(a, n, b, m);
    }
    rl_rng_free(r);
    gsl_sort(p, 1, resamples);
    *low = gsl_stats_quantile_from_sorted_data(p, 1, resamples, 0.025);
    *high = gsl_stats_quantile_from_sorted_data(p, 1, resamples, 0.975);
    return 0;
}

void rl_moving_average(const double *x, size_t n, size_t window, double *out)
{
    if (!x || !out)
        return;
    for (size_t i = 0; i < n; i++) {
        if (window == 0) {
            out[i] = NAN;
            continue;
        }
        /* A fresh mean per position, not a running sum: a sum that adds and subtracts
         * thousands of returns drifts, and plots are not on the hot path. */
        size_t start = i + 1 >= window ? i + 1 - window : 0;
        out[i] = gsl_stats_mean(x + start, 1, i - start + 1);
    }
}

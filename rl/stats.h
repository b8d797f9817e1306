/* Statistics across runs, for summary.csv, scores.csv and plots.
 *
 * A thin layer over GSL (gsl_statistics, gsl_cdf, gsl_sort, gsl_rng): per-episode summaries
 * (mean, sample sd, Student-t 95% interval), the interquartile mean (IQM) of run scores with
 * a percentile-bootstrap 95% interval as rliable reports it (Agarwal et al., "Deep RL at the
 * edge of the statistical precipice", 2021), and a trailing moving average for learning
 * curves.
 *
 * Inputs must be finite: the caller filters out missing values (an empty value_rmse, a run
 * that failed) before calling, so these functions never have to guess what a NaN means.
 */
#ifndef GRIDRL_RL_STATS_H
#define GRIDRL_RL_STATS_H

#include <stddef.h>

#include "rl/error.h"

typedef struct rl_summary {
    size_t n;          /* number of values summarised */
    double mean;       /* NaN when n = 0 */
    double sd;         /* sample standard deviation (divisor n - 1); NaN when n < 2 */
    double ci95_low;   /* mean -/+ t_{0.975, n-1} sd / sqrt(n); NaN when n < 2 */
    double ci95_high;
} rl_summary;

/* Summarises x[0..n) (finite values). n = 1 gives the mean and NaN for sd and the interval
 * (the caller writes empty fields); n = 0 gives NaN everywhere. */
void rl_summary_compute(const double *x, size_t n, rl_summary *out);

/* t_{0.975, dof}, the quantile the interval uses (GSL's inverse t CDF; NaN for dof 0). */
double rl_t975(size_t dof);

/* rl_summary_compute with t975 = rl_t975(n - 1) given: a file of many rows with the same n
 * computes the quantile once instead of once a row. */
void rl_summary_compute_t(const double *x, size_t n, double t975, rl_summary *out);

/* The interquartile mean of x[0..n): sorts x IN PLACE (pass a copy to keep the order),
 * drops floor(n/4) values from each end and averages the rest; the same definition as
 * scipy.stats.trim_mean(x, 0.25), which rliable uses. For n < 4 nothing is dropped. NaN
 * when n = 0. */
double rl_iqm(double *x, size_t n);

/* The bootstraps of the result files and of `gridrl compare`: resamples, and the fixed seed
 * of their generators, so an interval depends on the values alone. */
#define RL_BOOTSTRAP_RESAMPLES 10000
#define RL_BOOTSTRAP_SEED 1

/* Percentile-bootstrap 95% interval of the IQM of x[0..n): draws `resamples` samples of n
 * values with replacement, takes the IQM of each, and returns the 2.5% and 97.5% quantiles
 * (linear interpolation between order statistics, as numpy's default) in *low and *high.
 * The draws come from a private taus2 generator seeded with seed, so a file written from
 * the result is reproducible and no caller's stream is disturbed. work holds
 * n + resamples doubles (its contents are overwritten). Returns 0, RL_EINVAL for n = 0,
 * resamples < 2 or a NULL pointer, RL_ENOMEM when the generator cannot be allocated; on
 * failure *low and *high (when not NULL) are set to NaN. */
int rl_iqm_bootstrap(const double *x, size_t n, size_t resamples, unsigned long seed,
                     double *low, double *high, double *work, rl_error *err);

/* rliable's probability of improvement of X over Y: the chance that a run of X scores
 * higher than a run of Y, P(X > Y) = (#{x_i > y_j} + #{x_i = y_j} / 2) / (n m) over all n m
 * pairs (ties count half; the Mann-Whitney U statistic over n m). work holds n + m doubles
 * (overwritten); x and y are left as they are. NaN when n or m is 0 or a pointer is NULL. */
double rl_probability_of_improvement(const double *x, size_t n, const double *y, size_t m,
                                     double *work);

/* Percentile-bootstrap 95% interval of P(X > Y), as rliable makes it: each resample draws n
 * runs of X and m runs of Y with replacement, each side on its own (a stratified bootstrap),
 * and the 2.5% and 97.5% quantiles of the resamples' P(X > Y) are taken as for the IQM. The
 * draws come from a private taus2 generator seeded with seed. work holds n + m + resamples
 * doubles. Returns 0, or RL_EINVAL / RL_ENOMEM as rl_iqm_bootstrap does (*low and *high
 * NaN). */
int rl_probability_of_improvement_bootstrap(const double *x, size_t n, const double *y,
                                            size_t m, size_t resamples, unsigned long seed,
                                            double *low, double *high, double *work,
                                            rl_error *err);

/* Trailing moving average: out[i] is the mean of x[i - window + 1 .. i], or of x[0 .. i]
 * while fewer than `window` values precede i, so the curve starts at x[0] instead of being
 * empty. window >= 1; window = 0 fills out with NaN. out must not overlap x. */
void rl_moving_average(const double *x, size_t n, size_t window, double *out);

#endif

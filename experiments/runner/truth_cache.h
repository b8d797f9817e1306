/* The ground truth once per plan, not once per run: configurations whose truth is the same
 * (the same env settings, discount, measured epsilon and evaluated policy) share one
 * computation, made by the first run that needs it while the others wait for it. A sweep of
 * alphas or seeds on a large map then solves its model once.
 *
 * Thread-safe: the scheduler's workers share one cache for a plan.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_TRUTH_CACHE_H
#define GRIDRL_EXPERIMENTS_RUNNER_TRUTH_CACHE_H

#include <signal.h>
#include <stddef.h>

#include "experiments/runner/plan.h"
#include "rl/error.h"
#include "rl/mdp.h"

typedef struct rl_truth_cache rl_truth_cache;

/* A cache for p's configurations (which must outlive it). */
int rl_truth_cache_alloc(const rl_plan *p, rl_truth_cache **out, rl_error *err);
void rl_truth_cache_free(rl_truth_cache *c);

/* Configuration k's truth on model m (its run's model; pi the evaluated policy, NULL for
 * uniform) into truth: computed with rl_run_ground_truth the first time its class is asked
 * for, copied after. Returns what that computation returned, with the same error; an
 * interrupted computation is not kept (the next caller tries again). */
int rl_truth_cache_get(rl_truth_cache *c, size_t k, const rl_mdp *m, const double *pi,
                       const volatile sig_atomic_t *stop, double *scratch, double *truth,
                       rl_error *err);

/* The number of distinct truths among p's configurations (for tests and reports). */
size_t rl_truth_cache_classes(const rl_truth_cache *c);

#endif

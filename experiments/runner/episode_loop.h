/* The episode loop: the runner drives a learner through episodes of an env.
 *
 * For each episode: the learner's start hook (exploring starts, MC Basic) or the start rule
 * picks the first state, the learner its first action; then step, observe, until the env
 * terminates the episode, the time limit max_steps truncates it, or the total steps budget
 * cuts it. Truncation and budget cuts reach the learner as `truncated` (it bootstraps through
 * them); only the env terminates. After the episode a learner with an update hook is asked
 * for updates until it has none left. Metrics per episode, every log_every_steps steps and
 * every log_every_updates updates are recorded, with the learner's value error against a
 * ground truth when one is given.
 *
 * A run ends after `episodes` episodes, when the steps budget is spent, when a learner that
 * converges reports it and no budget is set, when it stops at its own limit, or when its
 * values stop being finite (status diverged: checked after every episode and update, and
 * every 65536 steps inside an episode, there in the action values as well, so a run whose
 * estimates blew up mid-episode does not wander forever).
 *
 * On an env whose states have their own action sets (space->allowed) only learners that
 * keep to them (rl_learner_type.state_actions) run: RL_EUNSUPPORTED for the others. On an
 * env with marked choices (space->marked) each episode row counts the steps taken in states
 * with a marked action and how many chose one.
 *
 * This is library code: any program can drive any learner on any env through it.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_EPISODE_LOOP_H
#define GRIDRL_EXPERIMENTS_RUNNER_EPISODE_LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "agents/learner.h"
#include "experiments/runner/result.h"
#include "experiments/runner/start.h"
#include "rl/env.h"

typedef struct rl_loop_options {
    size_t episodes;          /* episodes to run; 0: no count (steps, or convergence) */
    size_t steps;             /* total env steps budget; 0: none */
    size_t max_steps;         /* time limit per episode (a truncation); 0: none */
    size_t log_every_steps;   /* steps.csv rows; 0: never */
    size_t log_every_updates; /* updates.csv rows; 0: never */
    rl_start_rule start;      /* where episodes start unless the learner asks */
    double gamma;             /* discount of the recorded discounted return */
    const double *truth;      /* ground truth values (n_states) for value_rmse; NULL: none */
    const volatile sig_atomic_t *stop; /* nonzero (a signal): abandon with RL_EINTERRUPTED */
    /* The values read out (value_rmse, the result's values): false, the learner's own
     * (max_a q for control learners); true, those of the policy it acts with,
     * sum_a b(a|s) q(s, a), for a control learner with action values and a behavior
     * policy (a prediction learner's values already are). */
    bool behavior_values;
    /* Also keep the final action values and the times each (s, a) was taken in the
     * result (action_values, visits). */
    bool action_values;
    /* The env's generator (resets, steps, start = uniform); NULL: the loop's r, which the
     * learner draws from too. With its own, the env's draws never depend on the learner's
     * (rl/rng.h: a run's two streams). */
    gsl_rng *env_r;
} rl_loop_options;

/* Every episode from the env's own start, undiscounted, nothing logged, no truth. */
#define RL_LOOP_OPTIONS_DEFAULT                                                             \
    ((rl_loop_options){.start = {RL_START_ENV, 0}, .gamma = 1.0})

/* Drives learner on env with generator r (the learner's; the env's too unless o->env_r) as
 * o says, recording into result (prepared with
 * rl_run_result_prepare for env's space). At the end result holds the status, counts, rows,
 * and the learner's final values (NaN without values) and policy. RL_EINVAL when nothing
 * would end the run (no episodes, no steps, a learner that does not converge) and for
 * behavior_values with a learner that cannot say how it acts. */
int rl_episode_loop(rl_env *env, rl_learner *learner, gsl_rng *r, const rl_loop_options *o,
                    rl_run_result *result, rl_error *err);

#endif

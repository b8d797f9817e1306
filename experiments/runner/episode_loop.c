/* The episode loop: see episode_loop.h.
 *
 * The per-step path does no allocation and no I/O: two indirect calls (env, learner) and a
 * few additions. Rows are appended once per episode, log point or update.
 */
#include "experiments/runner/episode_loop.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rl/alloc.h"

/* Every this many steps a long episode looks at the stop flag and at the learner's values
 * (a read-out costs about one pass over the states: nothing against 65536 steps). */
#define CHECK_STEPS 65536

typedef struct loop {
    const rl_space *sp;
    rl_env *env;
    rl_learner *learner;
    gsl_rng *r;     /* the learner's draws */
    gsl_rng *env_r; /* the env's draws: resets, steps, uniform starts */
    const rl_loop_options *o;
    rl_run_result *res;
    size_t *open_cells; /* decision states: start = uniform, and the value error's sum */
    size_t n_open;
    double *values; /* scratch for read-outs, n_states */
    double *q;      /* scratch for action-value read-outs (n_states * n_actions), or NULL */
    double *pi;     /* behavior_values: the behaviour policy, n_states * n_actions; else NULL */
    uint64_t *visits; /* the result's counts of (s, a) taken; NULL: not counted */
    uint8_t *choice_state; /* per state: it has a marked action; NULL without marks */
    double cumulative;     /* the run's undiscounted reward before this episode */
} loop;

/* The value error of the values in L->values, NaN without a ground truth: the root mean
 * squared difference over the decision states, summed in index order. Finite values too
 * large to square (a diverging learner's, say TD(lambda) at a large step) are scaled by
 * the largest difference first, so that the error stays a number the result files can
 * hold; an infinite value has no error to report (NaN), and the run is marked diverged. */
static double values_rmse(const loop *L)
{
    if (!L->o->truth || !L->n_open)
        return NAN;
    const double *v = L->values, *truth = L->o->truth;
    double sum = 0.0;
    for (size_t i = 0; i < L->n_open; i++) {
        double d = v[L->open_cells[i]] - truth[L->open_cells[i]];
        sum += d * d;
    }
    double rmse = sqrt(sum / (double)L->n_open);
    if (!isinf(rmse))
        return rmse;
    double big = 0.0;
    for (size_t i = 0; i < L->n_open; i++) {
        double d = fabs(v[L->open_cells[i]] - truth[L->open_cells[i]]);
        big = d > big ? d : big;
    }
    if (!isfinite(big))
        return NAN;
    sum = 0.0;
    for (size_t i = 0; i < L->n_open; i++) {
        double d = (v[L->open_cells[i]] - truth[L->open_cells[i]]) / big;
        sum += d * d;
    }
    return big * sqrt(sum / (double)L->n_open);
}

/* The values the options ask for into v: the learner's own, or sum_a b(a|s) q(s, a) under
 * the policy it acts with. False, v untouched, for a learner without values. */
static bool read_values(loop *L, double *v)
{
    if (!L->pi)
        return rl_learner_values(L->learner, v);
    rl_learner_action_values(L->learner, L->q);
    rl_learner_behavior_policy(L->learner, L->pi);
    size_t n = L->sp->n_actions;
    for (size_t s = 0; s < L->sp->n_states; s++) {
        double sum = 0.0;
        if (rl_space_is_decision(L->sp, s))
            for (size_t a = 0; a < n; a++)
                sum += L->pi[s * n + a] * L->q[s * n + a];
        v[s] = sum;
    }
    return true;
}

/* Reads the values into L->values and returns their error (NaN without values or truth). */
static double read_rmse(loop *L)
{
    return read_values(L, L->values) ? values_rmse(L) : NAN;
}

/* Whether the values last read into L->values are finite (true without values). */
static bool values_finite(const loop *L)
{
    if (!rl_learner_has_values(L->learner))
        return true;
    for (size_t s = 0; s < L->sp->n_states; s++)
        if (!isfinite(L->values[s]))
            return false;
    return true;
}

/* Whether the learner's action values are all finite (true without them). A state value
 * max_a q(s, a) can stay finite while some q(s, a) is -inf or NaN (a move whose reward
 * overflowed, never chosen again): the agent then keeps taking the finite actions, and an
 * episode with no other way out never ends. */
static bool action_values_finite(const loop *L)
{
    if (!L->q || !rl_learner_action_values(L->learner, L->q))
        return true;
    size_t n = L->sp->n_states * L->sp->n_actions;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(L->q[i]))
            return false;
    return true;
}

/* Whether the learner's estimates stopped being finite, by its own word or in the values
 * last read into L->values (fresh: read them first), and with deep in its action values as
 * well; records the step: the learner's, else steps_now. */
static bool diverged(loop *L, size_t steps_now, bool deep)
{
    size_t at = rl_learner_diverged(L->learner);
    if (!at && values_finite(L) && (!deep || action_values_finite(L)))
        return false;
    L->res->diverged_step = at ? at : steps_now;
    return true;
}

static int first_state(loop *L, const rl_episode_start *hook, size_t *s, rl_error *err)
{
    if (hook->has_state) {
        *s = hook->state;
        return rl_env_reset_to(L->env, *s, err);
    }
    switch (L->o->start.kind) {
    case RL_START_CELL:
        *s = L->o->start.cell;
        return rl_env_reset_to(L->env, *s, err);
    case RL_START_UNIFORM:
        *s = L->open_cells[gsl_rng_uniform_int(L->env_r, L->n_open)];
        return rl_env_reset_to(L->env, *s, err);
    default:
        *s = rl_env_reset(L->env, L->env_r);
        return RL_OK;
    }
}

/* One episode; returns the learner's end_episode status, RL_EDIVERGED when its values
 * stopped being finite mid-episode, or an error. */
static int run_episode(loop *L, rl_error *err)
{
    const rl_loop_options *o = L->o;
    rl_run_result *res = L->res;
    rl_episode_start hook;
    rl_learner_episode_start(L->learner, L->r, &hook);
    size_t s;
    int rc = first_state(L, &hook, &s, err);
    if (rc != RL_OK)
        return rc;
    size_t a = hook.has_action ? hook.action : rl_learner_begin_episode(L->learner, s, L->r);

    /* The episode's cap: the time limit, the learner's own cap, the remaining budget. */
    size_t limit = o->max_steps;
    if (hook.max_length && (!limit || hook.max_length < limit))
        limit = hook.max_length;
    size_t remaining = o->steps ? o->steps - res->steps : 0;
    size_t cap = limit;
    if (remaining && (!cap || remaining < cap))
        cap = remaining;

    double ret = 0.0, discounted = 0.0, discount = 1.0;
    size_t length = 0, decisions = 0, chosen = 0;
    const uint8_t *marked = L->sp->marked;
    size_t n_actions = L->sp->n_actions;
    size_t until_log = o->log_every_steps ? o->log_every_steps - res->steps % o->log_every_steps
                                          : 0;
    size_t until_check = CHECK_STEPS;
    bool terminated = false;
    for (;;) {
        if (L->choice_state && L->choice_state[s]) {
            decisions++;
            chosen += marked[s * n_actions + a];
        }
        rl_step step = rl_env_step(L->env, a, L->env_r);
        length++;
        ret += step.reward;
        discounted += discount * step.reward;
        discount *= o->gamma;
        terminated = step.terminated;
        bool cut = !terminated && length == cap;
        rl_transition t = {s, a, step.reward, step.next, terminated, cut};
        if (L->visits)
            L->visits[s * L->sp->n_actions + a]++;
        a = rl_learner_observe(L->learner, &t, L->r);
        s = step.next;
        if (until_log && --until_log == 0) {
            until_log = o->log_every_steps;
            rl_step_row row = {res->steps + length, res->episodes + 1, read_rmse(L),
                               L->cumulative + ret};
            if ((rc = rl_rows_push(&res->step_rows, &row, err)) != RL_OK)
                return rc;
        }
        if (terminated || cut)
            break;
        if (--until_check == 0) {
            until_check = CHECK_STEPS;
            if (o->stop && *o->stop)
                return rl_error_set(err, RL_EINTERRUPTED, "interrupted");
            read_values(L, L->values);
            if (diverged(L, res->steps + length, true)) {
                res->steps += length;
                return RL_EDIVERGED;
            }
        }
    }
    res->steps += length;
    res->episodes++;
    L->cumulative += ret;
    rc = rl_learner_end_episode(L->learner, err);
    if (rc < 0)
        return rc;
    /* One read-out serves the row's value error and the caller's divergence check: on a
     * small model with short episodes, a read-out costs about as much as the episode. */
    double rmse = read_rmse(L);
    rl_episode_row row = {res->episodes, ret, discounted, length,
                          terminated                 ? "terminated"
                          : limit && length == limit ? "truncated"
                                                     : "budget",
                          rmse, decisions, chosen};
    int push = rl_rows_push(&res->episode_rows, &row, err);
    return push != RL_OK ? push : rc;
}

/* The learner's updates after an episode: RL_OK, RL_EDIVERGED, or an error. */
static int run_updates(loop *L, rl_error *err)
{
    const rl_loop_options *o = L->o;
    rl_run_result *res = L->res;
    for (;;) {
        if (o->stop && *o->stop)
            return rl_error_set(err, RL_EINTERRUPTED, "interrupted");
        rl_update_report report = {NAN};
        int rc = rl_learner_update(L->learner, L->r, &report, err);
        if (rc != RL_CONTINUE)
            return rc;
        res->updates++;
        bool logged = o->log_every_updates && res->updates % o->log_every_updates == 0;
        if (logged) {
            rl_update_row row = {res->updates, res->episodes, report.loss, read_rmse(L)};
            if ((rc = rl_rows_push(&res->update_rows, &row, err)) != RL_OK)
                return rc;
        }
        if (!logged)
            read_values(L, L->values);
        if (isinf(report.loss) || diverged(L, res->steps, false)) {
            if (!res->diverged_step)
                res->diverged_step = res->steps;
            return RL_EDIVERGED;
        }
    }
}

static int setup(loop *L, rl_error *err)
{
    const rl_loop_options *o = L->o;
    if (!o->episodes && !o->steps && !rl_learner_converges(L->learner))
        return rl_error_set(err, RL_EINVAL,
                            "%s runs until told to stop: give it episodes or steps",
                            rl_learner_name(L->learner));
    if (L->sp->allowed && !L->learner->type->state_actions)
        return rl_error_set(err, RL_EUNSUPPORTED,
                            "%s cannot keep to each state's own actions, and this env's states "
                            "have different action sets",
                            rl_learner_name(L->learner));
    const rl_learner_type *type = L->learner->type;
    bool behavior = o->behavior_values && !type->prediction;
    if (behavior && (!type->action_values || !type->behavior_policy))
        return rl_error_set(err, RL_EINVAL,
                            "%s cannot say which policy it acts with: its values can only be "
                            "its own",
                            rl_learner_name(L->learner));
    size_t n_sa = L->sp->n_states * L->sp->n_actions;
    L->values = rl_malloc(L->sp->n_states * sizeof *L->values);
    L->open_cells = rl_malloc(L->sp->n_states * sizeof *L->open_cells);
    /* Action values are read every CHECK_STEPS steps of a long episode (divergence) and,
     * for behavior_values, with every read-out. */
    if (type->action_values)
        L->q = rl_malloc(n_sa * sizeof *L->q);
    if (behavior)
        L->pi = rl_malloc(n_sa * sizeof *L->pi);
    if (L->sp->marked)
        L->choice_state = rl_calloc(L->sp->n_states, 1);
    if (!L->values || !L->open_cells || (type->action_values && !L->q) || (behavior && !L->pi) ||
        (L->sp->marked && !L->choice_state))
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t i = 0; L->sp->marked && i < n_sa; i++)
        L->choice_state[i / L->sp->n_actions] |= L->sp->marked[i];
    if (o->action_values) {
        int rc = rl_run_result_want_action_values(L->res, L->sp, true, err);
        if (rc != RL_OK)
            return rc;
        L->visits = L->res->visits;
    }
    for (size_t s = 0; s < L->sp->n_states; s++)
        if (rl_space_is_decision(L->sp, s))
            L->open_cells[L->n_open++] = s;
    if (o->start.kind == RL_START_UNIFORM && !L->n_open)
        return rl_error_set(err, RL_EINVAL, "start = uniform needs a decision state");
    /* Room for every episode's row up front, when their number is known (a failure here
     * only means the rows grow as they come). */
    if (o->episodes)
        rl_rows_reserve(&L->res->episode_rows, o->episodes, NULL);
    return RL_OK;
}

int rl_episode_loop(rl_env *env, rl_learner *learner, gsl_rng *r, const rl_loop_options *o,
                    rl_run_result *res, rl_error *err)
{
    loop L = {.sp = rl_env_space(env), .env = env, .learner = learner, .r = r,
              .env_r = o->env_r ? o->env_r : r, .o = o, .res = res};
    res->status = "completed";
    int rc = setup(&L, err);
    bool updates = rl_learner_has_update(learner);
    while (rc == RL_OK) {
        if ((o->episodes && res->episodes >= o->episodes) || (o->steps && res->steps >= o->steps))
            break;
        if (o->stop && *o->stop) {
            rc = rl_error_set(err, RL_EINTERRUPTED, "interrupted");
            break;
        }
        int status = run_episode(&L, err);
        if (status == RL_EDIVERGED || (status >= 0 && diverged(&L, res->steps, false))) {
            res->status = "diverged";
            break;
        }
        if (status < 0) {
            rc = status;
            break;
        }
        if (updates) {
            int u = run_updates(&L, err);
            if (u == RL_EDIVERGED) {
                res->status = "diverged";
                break;
            }
            if (u < 0) {
                rc = u;
                break;
            }
        }
        if (status == RL_OK) {
            res->status = "converged";
            if (!o->episodes && !o->steps)
                break;
        } else if (status == RL_STOPPED) {
            res->status = "stopped"; /* the learner's own iteration limit */
            break;
        }
    }
    if (rc == RL_OK) {
        if (!read_values(&L, res->values))
            for (size_t s = 0; s < L.sp->n_states; s++)
                res->values[s] = NAN;
        rl_learner_policy(learner, res->policy);
        if (res->action_values)
            rl_learner_action_values(learner, res->action_values);
    }
    rl_free(L.q);
    rl_free(L.pi);
    rl_free(L.values);
    rl_free(L.open_cells);
    rl_free(L.choice_state);
    return rc;
}

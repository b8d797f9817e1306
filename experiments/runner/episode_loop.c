/* The episode loop: the runner drives a learner through episodes of the env.
 *
 * For each episode: the learner's start hook (exploring starts, MC Basic) or the config's
 * start rule picks the first state, the learner its first action; then step, observe, until
 * the env terminates the episode, the time limit max_steps truncates it, or the run's total
 * steps budget cuts it. Truncation and budget cuts reach the learner as `truncated` (it
 * bootstraps through them); only the env terminates. Metrics per episode, and every
 * log_every_steps steps, are recorded with the learner's value error against the exact
 * ground truth.
 *
 * The per-step path does no allocation and no I/O: two indirect calls (env, learner) and a
 * few additions. Rows are appended once per episode or log point.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rl/ground_truth.h"
#include "experiments/runner/run.h"
#include "rl/evaluate.h"

/* Every this many steps a long episode looks at the stop flag. */
#define STOP_CHECK_STEPS 65536

typedef struct loop {
    const rl_mdp *m;
    rl_env *env;
    rl_learner *learner;
    gsl_rng *r;
    rl_run_result *res;
    rl_start_rule start;
    size_t *open_cells; /* for start = uniform */
    size_t n_open;
    size_t episodes, budget, max_steps, log_every; /* 0: none */
    double gamma;
    double *values; /* scratch for read-outs, n_states */
} loop;

/* Reads the learner's values into L->values; false for a learner without values. */
static bool read_values(loop *L)
{
    if (!L->learner->type->values)
        return false;
    L->learner->type->values(L->learner->state, L->values);
    return true;
}

/* The value error of the values in L->values, NaN without a ground truth: rl_value_rmse's
 * sum, in the same order, over the decision states listed once per run. */
static double values_rmse(const loop *L)
{
    if (!L->res->has_truth || !L->n_open)
        return NAN;
    const double *v = L->values, *truth = L->res->truth;
    double sum = 0.0;
    for (size_t i = 0; i < L->n_open; i++) {
        double d = v[L->open_cells[i]] - truth[L->open_cells[i]];
        sum += d * d;
    }
    return sqrt(sum / (double)L->n_open);
}

/* The learner's current value error, NaN without values or ground truth. */
static double current_rmse(loop *L)
{
    if (!L->res->has_truth || !read_values(L))
        return NAN;
    return values_rmse(L);
}

static int first_state(loop *L, const rl_episode_start *hook, size_t *s, rl_error *err)
{
    if (hook->has_state) {
        *s = hook->state;
        return rl_env_reset_to(L->env, *s, err);
    }
    switch (L->start.kind) {
    case RL_START_CELL:
        *s = L->start.cell;
        return rl_env_reset_to(L->env, *s, err);
    case RL_START_UNIFORM:
        *s = L->open_cells[gsl_rng_uniform_int(L->r, L->n_open)];
        return rl_env_reset_to(L->env, *s, err);
    default:
        *s = rl_env_reset(L->env, L->r);
        return RL_OK;
    }
}

/* One episode; returns the learner's end_episode status or an error. */
static int run_episode(loop *L, const volatile sig_atomic_t *stop, rl_error *err)
{
    const rl_learner_type *T = L->learner->type;
    void *agent = L->learner->state;
    rl_episode_start hook = {0};
    if (T->episode_start)
        T->episode_start(agent, L->r, &hook);
    size_t s;
    int rc = first_state(L, &hook, &s, err);
    if (rc != RL_OK)
        return rc;
    size_t a = hook.has_action ? hook.action : T->begin_episode(agent, s, L->r);

    /* The episode's cap: the time limit, the learner's own cap, the remaining budget. */
    size_t limit = L->max_steps;
    if (hook.max_length && (!limit || hook.max_length < limit))
        limit = hook.max_length;
    size_t remaining = L->budget ? L->budget - L->res->steps : 0;
    size_t cap = limit;
    if (remaining && (!cap || remaining < cap))
        cap = remaining;

    double ret = 0.0, discounted = 0.0, discount = 1.0;
    size_t length = 0, until_log = L->log_every ? L->log_every - L->res->steps % L->log_every : 0;
    size_t until_stop_check = STOP_CHECK_STEPS;
    bool terminated = false;
    for (;;) {
        rl_step step = rl_env_step(L->env, a, L->r);
        length++;
        ret += step.reward;
        discounted += discount * step.reward;
        discount *= L->gamma;
        terminated = step.terminated;
        bool cut = !terminated && length == cap;
        rl_transition t = {s, a, step.reward, step.next, terminated, cut};
        a = T->observe(agent, &t, L->r);
        s = step.next;
        if (until_log && --until_log == 0) {
            until_log = L->log_every;
            rl_step_row row = {L->res->steps + length, L->res->episodes + 1, current_rmse(L)};
            if ((rc = rl_rows_push(&L->res->step_rows, &row, err)) != RL_OK)
                return rc;
        }
        if (terminated || cut)
            break;
        if (--until_stop_check == 0) {
            until_stop_check = STOP_CHECK_STEPS;
            if (stop && *stop)
                return rl_error_set(err, RL_EINTERRUPTED, "interrupted");
        }
    }
    L->res->steps += length;
    L->res->episodes++;
    rc = T->end_episode(agent, err);
    if (rc < 0)
        return rc;
    /* One read-out serves the row's value error and the caller's divergence check: on a
     * small model with short episodes, a read-out costs about as much as the episode. */
    double rmse = read_values(L) ? values_rmse(L) : NAN;
    rl_episode_row row = {L->res->episodes, ret, discounted, length,
                          terminated                          ? "terminated"
                          : limit && length == limit           ? "truncated"
                                                               : "budget",
                          rmse};
    int push = rl_rows_push(&L->res->episode_rows, &row, err);
    return push != RL_OK ? push : rc;
}

/* After a successful run_episode: whether the values it read out at the end are finite. */
static bool values_finite(const loop *L)
{
    if (!L->learner->type->values)
        return true;
    for (size_t s = 0; s < L->m->n_states; s++)
        if (!isfinite(L->values[s]))
            return false;
    return true;
}

static int setup_loop(loop *L, const rl_plan *p, const rl_configuration *cfg, rl_error *err)
{
    const rl_params *x = p->experiment;
    L->episodes = rl_params_has(x, "episodes") ? (size_t)rl_params_int(x, "episodes") : 0;
    L->budget = rl_params_has(x, "steps") ? (size_t)rl_params_int(x, "steps") : 0;
    L->max_steps = (size_t)rl_run_max_steps(p, cfg);
    L->log_every = (size_t)rl_params_int(x, "log_every_steps");
    const rl_param_spec *table = rl_params_table(cfg->agent_params);
    L->gamma = rl_param_find(table, "gamma") ? rl_params_double(cfg->agent_params, "gamma") : 1.0;
    int rc = rl_start_rule_parse(rl_params_string(x, "start"), L->m, &L->start, err);
    if (rc != RL_OK)
        return rc;
    L->values = malloc(L->m->n_states * sizeof *L->values);
    L->open_cells = malloc(L->m->n_states * sizeof *L->open_cells);
    if (!L->values || !L->open_cells)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t s = 0; s < L->m->n_states; s++)
        if (rl_mdp_is_decision(L->m, s))
            L->open_cells[L->n_open++] = s;
    return RL_OK;
}

int rl_run_learner(const rl_plan *p, const rl_configuration *cfg, const double *pi, gsl_rng *r,
                   const volatile sig_atomic_t *stop, rl_run_result *res, rl_error *err)
{
    loop L = {.m = rl_env_model(res->env), .env = res->env, .r = r, .res = res};
    res->episode_rows.size = sizeof(rl_episode_row);
    res->step_rows.size = sizeof(rl_step_row);
    int rc = setup_loop(&L, p, cfg, err);
    if (rc == RL_OK && cfg->agent->learner->values) {
        /* The ground truth: v* for control, v_pi for prediction. Where it is undefined
         * (gamma = 1 without terminal states) value_rmse stays empty. */
        const double *eval = pi;
        if (cfg->agent->prediction && !pi) {
            rl_policy_uniform(L.m, res->policy);
            eval = res->policy;
        }
        int truth = cfg->agent->prediction
                        ? rl_ground_truth_policy(L.m, eval, L.gamma, res->truth, NULL)
                        : rl_ground_truth_optimal(L.m, L.gamma, res->truth, NULL);
        res->has_truth = truth == RL_OK;
    }
    if (rc == RL_OK) {
        L.learner = rl_learner_alloc(cfg->agent->learner, L.m, cfg->agent_params, pi, err);
        if (!L.learner)
            rc = err ? err->code : RL_ENOMEM;
    }
    /* Room for every episode's row up front, when their number is known. */
    if (rc == RL_OK && L.episodes) {
        res->episode_rows.data = malloc(L.episodes * sizeof(rl_episode_row));
        res->episode_rows.capacity = res->episode_rows.data ? L.episodes : 0;
    }
    res->status = "completed";
    while (rc == RL_OK) {
        if ((L.episodes && res->episodes >= L.episodes) || (L.budget && res->steps >= L.budget))
            break;
        if (stop && *stop) {
            rc = rl_error_set(err, RL_EINTERRUPTED, "interrupted");
            break;
        }
        int status = run_episode(&L, stop, err);
        if (status < 0) {
            rc = status;
            break;
        }
        if (!values_finite(&L)) {
            res->status = "diverged";
            break;
        }
        if (status == RL_OK) {
            res->status = "converged";
            if (!L.episodes && !L.budget)
                break;
        } else if (status == RL_STOPPED) {
            res->status = "stopped"; /* the learner's own iteration limit */
            break;
        }
    }
    if (rc == RL_OK) {
        const rl_learner_type *T = cfg->agent->learner;
        if (T->values)
            T->values(L.learner->state, res->values);
        else
            for (size_t s = 0; s < L.m->n_states; s++)
                res->values[s] = NAN;
        T->policy(L.learner->state, res->policy);
    }
    rl_learner_free(L.learner);
    free(L.values);
    free(L.open_cells);
    return rc;
}

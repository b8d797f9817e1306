/* Executing one run of a plan: see run.h. Planners iterate until they converge or stop;
 * each iteration is recorded with its distance to the ground truth. */
#include "experiments/runner/run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rl/policy.h"
#include "envs/gridworld.h"
#include "envs/preset.h"
#include "rl/ground_truth.h"
#include "experiments/io/policy_io.h"
#include "rl/evaluate.h"
#include "rl/rng.h"

/* The policy a prediction agent evaluates, from its policy / policy_file / values_file. */
static int given_policy(const rl_plan *p, size_t k, const rl_mdp *m, double **out,
                        rl_error *err)
{
    const rl_params *agent = p->configurations[k].agent_params;
    *out = NULL;
    if (!rl_param_find(rl_params_table(agent), "policy"))
        return RL_OK;
    const char *which = rl_params_string(agent, "policy");
    if (strcmp(which, "uniform") == 0)
        return RL_OK;
    const char *key = strcmp(which, "file") == 0 ? "policy_file" : "values_file";
    if (!rl_params_has(agent, key)) {
        rl_error_set(err, RL_EINVAL, "policy = %s needs %s", which, key);
        const rl_config_entry *e = rl_config_find(p->config, "agent", "policy");
        return e ? rl_config_locate(err, e) : RL_EINVAL;
    }
    double *pi = malloc(m->n_states * m->n_actions * sizeof *pi);
    double *v = malloc(m->n_states * sizeof *v);
    size_t *greedy = malloc(2 * m->n_states * sizeof *greedy); /* actions, then scratch */
    int rc = RL_OK;
    if (!pi || !v || !greedy)
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    else if (strcmp(which, "file") == 0)
        rc = rl_policy_read(rl_params_string(agent, key), m, pi, err);
    else if ((rc = rl_values_read(rl_params_string(agent, key), m, v, err)) == RL_OK) {
        rl_policy_greedy_actions(m, v, rl_params_double(agent, "gamma"), greedy,
                                 greedy + m->n_states);
        rl_policy_from_actions(m, greedy, 0.0, pi);
    }
    free(v);
    free(greedy);
    if (rc != RL_OK) {
        free(pi);
        /* File errors carry their own file:line; say which key named the file. */
        if (err && err->key[0] == '\0') {
            char where[RL_ERROR_KEY_MAX];
            snprintf(where, sizeof where, "agent.%s", key);
            snprintf(err->key, sizeof err->key, "%s", where);
        }
        return rc;
    }
    *out = pi;
    return RL_OK;
}

int rl_run_setup(const rl_plan *p, size_t k, rl_env **env, double **policy, rl_error *err)
{
    *policy = NULL;
    *env = rl_env_alloc(rl_gridworld, p->configurations[k].env, err);
    if (!*env)
        return rl_plan_locate(p, k, err);
    int rc = given_policy(p, k, rl_env_model(*env), policy, err);
    if (rc != RL_OK) {
        rl_env_free(*env);
        *env = NULL;
    }
    return rc;
}

/* A learner's run must end: an episode or step budget, or a learner that converges. */
static int check_learner(const rl_plan *p, size_t k, const rl_mdp *m, const double *pi,
                         rl_error *err)
{
    const rl_configuration *cfg = &p->configurations[k];
    rl_start_rule start;
    int rc = rl_start_rule_parse(rl_params_string(p->experiment, "start"), m, &start, err);
    if (rc != RL_OK) {
        const rl_config_entry *e = rl_config_find(p->config, "experiment", "start");
        return e ? rl_config_locate(err, e) : rc;
    }
    if (!rl_params_has(p->experiment, "episodes") && !rl_params_has(p->experiment, "steps") &&
        !cfg->agent->converges) {
        rl_error_set(err, RL_EINVAL,
                     "%s runs until told to stop: set [experiment] episodes or steps",
                     cfg->agent->name);
        return rl_error_locate(err, p->config->path, 0, 0, "experiment.episodes");
    }
    rl_learner *learner = rl_learner_alloc(cfg->agent->learner, m, cfg->agent_params, pi, err);
    if (!learner)
        return rl_plan_locate(p, k, err);
    rl_learner_free(learner);
    return RL_OK;
}

int rl_plan_check(const rl_plan *p, rl_error *err)
{
    for (size_t k = 0; k < p->n_configurations; k++) {
        rl_env *env;
        double *pi;
        int rc = rl_run_setup(p, k, &env, &pi, err);
        if (rc != RL_OK)
            return rc;
        const rl_configuration *cfg = &p->configurations[k];
        const rl_mdp *m = rl_env_model(env);
        if (cfg->agent->kind == RL_AGENT_PLANNER) {
            rl_planner *planner = rl_planner_alloc(cfg->agent->planner, m, cfg->agent_params,
                                                   pi, err);
            if (!planner)
                rc = rl_plan_locate(p, k, err);
            rl_planner_free(planner);
        } else {
            rc = check_learner(p, k, m, pi, err);
        }
        free(pi);
        rl_env_free(env);
        if (rc != RL_OK)
            return rc;
    }
    return RL_OK;
}

int rl_rows_push(rl_rows *rows, const void *row, rl_error *err)
{
    if (rows->n == rows->capacity) {
        size_t capacity = rows->capacity ? 2 * rows->capacity : 64;
        void *data = realloc(rows->data, capacity * rows->size);
        if (!data)
            return rl_error_set(err, RL_ENOMEM, "out of memory recording results");
        rows->data = data;
        rows->capacity = capacity;
    }
    memcpy((char *)rows->data + rows->n * rows->size, row, rows->size);
    rows->n++;
    return RL_OK;
}

int rl_start_rule_parse(const char *text, const rl_mdp *m, rl_start_rule *out, rl_error *err)
{
    out->kind = RL_START_ENV;
    out->cell = 0;
    if (strcmp(text, "env") == 0)
        return RL_OK;
    if (strcmp(text, "uniform") == 0) {
        out->kind = RL_START_UNIFORM;
        return RL_OK;
    }
    long row, col;
    int used = 0;
    if (sscanf(text, " %ld %ld %n", &row, &col, &used) != 2 || text[used] != '\0') {
        rl_error_set(err, RL_EINVAL, "start '%s' is not env, uniform or 'row col'", text);
        return rl_error_locate(err, NULL, 0, 0, "start");
    }
    int rc = rl_gridworld_check_start(m, row, col, err);
    if (rc != RL_OK)
        return rl_error_locate(err, NULL, 0, 0, "start");
    out->kind = RL_START_CELL;
    out->cell = rl_mdp_state(m, (size_t)row, (size_t)col);
    return RL_OK;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int run_planner(const rl_plan *p, const rl_configuration *cfg, const double *pi,
                       rl_run_result *r, rl_error *err)
{
    const rl_mdp *m = rl_env_model(r->env);
    double gamma = rl_params_double(cfg->agent_params, "gamma");
    int rc;
    if (cfg->agent->prediction) {
        /* No given policy means the uniform one; r->policy holds it until the read-out. */
        if (!pi)
            rl_policy_uniform(m, r->policy);
        rc = rl_ground_truth_policy(m, pi ? pi : r->policy, gamma, r->truth, err);
    } else {
        rc = rl_ground_truth_optimal(m, gamma, r->truth, err);
    }
    if (rc != RL_OK)
        return rl_plan_locate(p, r->configuration, err);
    rl_planner *planner = rl_planner_alloc(cfg->agent->planner, m, cfg->agent_params, pi, err);
    if (!planner)
        return rl_plan_locate(p, r->configuration, err);
    do {
        rl_sweep_report report = {0};
        rc = rl_planner_iterate(planner, &report, err);
        if (rc < 0 && rc != RL_EDIVERGED)
            break;
        rl_iteration_row row = {r->iterations.n + 1, report.delta,
                                rl_value_rmse(m, rl_planner_values(planner), r->truth),
                                report.policy_changes};
        if (rl_rows_push(&r->iterations, &row, err) != RL_OK) {
            rc = RL_ENOMEM;
            break;
        }
    } while (rc == RL_CONTINUE);
    if (rc >= 0 || rc == RL_EDIVERGED) {
        r->status = rc == RL_OK ? "converged" : rc == RL_STOPPED ? "stopped" : "diverged";
        r->has_truth = true;
        memcpy(r->values, rl_planner_values(planner), m->n_states * sizeof *r->values);
        planner->type->policy(planner->state, r->policy);
        rc = RL_OK;
    }
    rl_planner_free(planner);
    return rc;
}

long rl_run_max_steps(const rl_plan *p, const rl_configuration *cfg)
{
    if (rl_params_is_set(p->experiment, "max_steps"))
        return rl_params_int(p->experiment, "max_steps");
    if (!rl_params_has(cfg->env, "preset"))
        return 0;
    const rl_preset *preset = rl_preset_find(rl_params_string(cfg->env, "preset"), NULL);
    return preset ? preset->max_steps : 0;
}

int rl_run_execute(const rl_plan *p, size_t run, const volatile sig_atomic_t *stop,
                   rl_run_result *r, rl_error *err)
{
    memset(r, 0, sizeof *r);
    r->run = run;
    r->configuration = run / p->seeds;
    r->replicate = run % p->seeds;
    r->rng_seed = rl_rng_seed(p->seed, r->configuration, r->replicate);
    r->iterations.size = sizeof(rl_iteration_row);
    const rl_configuration *cfg = &p->configurations[r->configuration];
    double *pi;
    int rc = rl_run_setup(p, r->configuration, &r->env, &pi, err);
    if (rc != RL_OK)
        return rc;
    const rl_mdp *m = rl_env_model(r->env);
    r->values = calloc(m->n_states, sizeof *r->values);
    r->truth = calloc(m->n_states, sizeof *r->truth);
    r->policy = calloc(m->n_states * m->n_actions, sizeof *r->policy);
    gsl_rng *rng = NULL;
    double start = now_seconds();
    if (!r->values || !r->truth || !r->policy)
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    else if (cfg->agent->kind == RL_AGENT_PLANNER)
        rc = run_planner(p, cfg, pi, r, err);
    else if (!(rng = rl_rng_alloc(r->rng_seed, err)))
        rc = err ? err->code : RL_ENOMEM;
    else
        rc = rl_run_learner(p, cfg, pi, rng, stop, r, err);
    r->seconds = now_seconds() - start;
    rl_rng_free(rng);
    free(pi);
    return rc;
}

void rl_run_result_free(rl_run_result *r)
{
    if (!r)
        return;
    rl_env_free(r->env);
    free(r->iterations.data);
    free(r->episode_rows.data);
    free(r->step_rows.data);
    free(r->values);
    free(r->policy);
    free(r->truth);
    memset(r, 0, sizeof *r);
}

/* Executing one run of a plan: see run.h. Planners iterate until they converge or stop,
 * each iteration recorded with its distance to the ground truth; learners go through the
 * episode loop. */
#include "experiments/runner/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "envs/preset.h"
#include "experiments/io/policy_io.h"
#include "experiments/runner/episode_loop.h"
#include "experiments/runner/start.h"
#include "experiments/runner/statistics.h"
#include "experiments/runner/truth.h"
#include "experiments/runner/truth_cache.h"
#include "rl/alloc.h"
#include "rl/evaluate.h"
#include "rl/ground_truth.h"
#include "rl/policy.h"
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
        return e ? rl_config_locate(err, RL_EINVAL, e) : RL_EINVAL;
    }
    double *pi = rl_malloc(m->n_states * m->n_actions * sizeof *pi);
    double *v = rl_malloc(m->n_states * sizeof *v);
    size_t *greedy = rl_malloc(2 * m->n_states * sizeof *greedy); /* actions, then scratch */
    int rc = RL_OK;
    if (!pi || !v || !greedy)
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    else if (strcmp(which, "file") == 0)
        rc = rl_policy_read(rl_params_string(agent, key), m, pi, err);
    else if ((rc = rl_values_read(rl_params_string(agent, key), m, v, err)) == RL_OK) {
        rl_policy_greedy_actions(m, v, rl_params_double(agent, "gamma"), greedy,
                                 greedy + m->n_states);
        rl_space sp = rl_mdp_space(m);
        rl_policy_from_actions(&sp, greedy, 0.0, pi);
    }
    rl_free(v);
    rl_free(greedy);
    if (rc != RL_OK) {
        rl_free(pi);
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

/* An agent that cannot keep to each state's own actions, on an env whose states have their
 * own action sets: which learners can, located at [agent] algorithm. */
static int state_actions_error(const rl_plan *p, const rl_agent *agent, rl_error *err)
{
    char names[RL_ERROR_MESSAGE_MAX - 256] = "";
    const rl_agent *a;
    for (size_t i = 0; (a = rl_agent_at(i)); i++)
        if (a->kind == RL_AGENT_LEARNER && a->learner->state_actions)
            rl_names_append(names, sizeof names, rl_agent_name(a));
    int rc = rl_error_set(err, RL_EUNSUPPORTED,
                          "%s cannot keep to each state's own actions, and the states of env "
                          "%s have different action sets (learners that can: %s)",
                          rl_agent_name(agent), p->env_type->name, names);
    const rl_config_entry *e = rl_config_find(p->config, "agent", "algorithm");
    return e ? rl_config_locate(err, rc, e) : rc;
}

int rl_run_setup(const rl_plan *p, size_t k, rl_env **env, double **policy, rl_error *err)
{
    *policy = NULL;
    int rc = rl_env_alloc(p->env_type, p->configurations[k].env, env, err);
    if (rc != RL_OK)
        return rl_plan_locate(p, k, rc, err);
    const rl_mdp *m = rl_env_model(*env);
    const rl_configuration *cfg = &p->configurations[k];
    if (rl_env_space(*env)->allowed && !(cfg->agent->kind == RL_AGENT_LEARNER &&
                                         cfg->agent->learner->state_actions)) {
        rc = state_actions_error(p, cfg->agent, err);
    } else if (rl_env_space(*env)->allowed &&
               strcmp(rl_params_string(p->experiment, "values"), "behavior") == 0) {
        /* Its truth, the best epsilon-greedy values, would spread epsilon over every action
         * of the model, also those a state lacks. */
        rc = rl_error_set(err, RL_EUNSUPPORTED,
                          "values = behavior needs every state to have every action, and the "
                          "states of env %s have their own action sets",
                          p->env_type->name);
        const rl_config_entry *e = rl_config_find(p->config, "experiment", "values");
        rc = e ? rl_config_locate(err, rc, e) : rc;
    } else if (!m && (cfg->agent->kind == RL_AGENT_PLANNER ||
               rl_param_find(rl_agent_params(cfg->agent), "policy"))) {
        rc = rl_error_set(err, RL_EUNSUPPORTED,
                          "%s needs an env with an exact model, and env %s has none",
                          rl_agent_name(cfg->agent), p->env_type->name);
        const rl_config_entry *e = rl_config_find(p->config, "agent", "algorithm");
        rc = e ? rl_config_locate(err, rc, e) : rc;
    } else if (m) {
        rc = given_policy(p, k, m, policy, err);
    }
    if (rc != RL_OK) {
        rl_env_free(*env);
        *env = NULL;
    }
    return rc;
}

int rl_run_loop_options(const rl_plan *p, const rl_configuration *cfg, const rl_space *sp,
                        rl_loop_options *o, rl_error *err)
{
    const rl_params *x = p->experiment;
    *o = RL_LOOP_OPTIONS_DEFAULT;
    o->episodes = rl_params_has(x, "episodes") ? (size_t)rl_params_int(x, "episodes") : 0;
    o->steps = rl_params_has(x, "steps") ? (size_t)rl_params_int(x, "steps") : 0;
    o->max_steps = (size_t)rl_run_max_steps(p, cfg);
    o->log_every_steps = (size_t)rl_params_int(x, "log_every_steps");
    o->log_every_updates = rl_params_has(x, "log_every_updates")
                               ? (size_t)rl_params_int(x, "log_every_updates")
                               : 1;
    o->gamma = rl_run_gamma(cfg);
    o->behavior_values = strcmp(rl_params_string(x, "values"), "behavior") == 0;
    o->action_values = rl_params_bool(x, "action_values");
    int rc = rl_start_rule_parse(rl_params_string(x, "start"), sp, &o->start, err);
    if (rc != RL_OK) {
        const rl_config_entry *e = rl_config_find(p->config, "experiment", "start");
        return e ? rl_config_locate(err, rc, e) : rc;
    }
    return RL_OK;
}

/* A learner's run must end: an episode or step budget, or a learner that converges. */
static int check_learner(const rl_plan *p, size_t k, const rl_env *env, const double *pi,
                         rl_error *err)
{
    const rl_configuration *cfg = &p->configurations[k];
    rl_loop_options o;
    int rc = rl_run_loop_options(p, cfg, rl_env_space(env), &o, err);
    if (rc != RL_OK)
        return rc;
    if (!o.episodes && !o.steps && !rl_agent_converges(cfg->agent)) {
        rl_error_set(err, RL_EINVAL,
                     "%s runs until told to stop: set [experiment] episodes or steps",
                     rl_agent_name(cfg->agent));
        return rl_error_locate(err, RL_EINVAL, p->config->path, 0, 0, "experiment.episodes");
    }
    const rl_learner_type *type = cfg->agent->learner;
    if (o.behavior_values && !type->prediction &&
        (!type->action_values || !type->behavior_policy)) {
        rl_error_set(err, RL_EINVAL,
                     "values = behavior reads out the values of the policy a learner acts "
                     "with, and %s cannot say which that is",
                     rl_agent_name(cfg->agent));
        const rl_config_entry *e = rl_config_find(p->config, "experiment", "values");
        return e ? rl_config_locate(err, RL_EINVAL, e) : RL_EINVAL;
    }
    /* Initial weights are drawn at init: a generator as the run would have it. */
    gsl_rng *r = rl_rng_alloc(rl_rng_stream_seed(rl_rng_run_seed(p->seed, 0), RL_RNG_AGENT),
                              err);
    if (!r)
        return RL_ENOMEM;
    rl_learner *learner;
    rc = rl_learner_alloc(cfg->agent->learner, rl_env_space(env), cfg->agent_params, pi, r,
                          &learner, err);
    rl_learner_free(learner);
    rl_rng_free(r);
    return rc == RL_OK ? RL_OK : rl_plan_locate(p, k, rc, err);
}

/* Configuration k's env and agent built once. */
static int check_configuration(const rl_plan *p, size_t k, rl_error *err)
{
    rl_env *env;
    double *pi;
    int rc = rl_run_setup(p, k, &env, &pi, err);
    if (rc != RL_OK)
        return rc;
    const rl_configuration *cfg = &p->configurations[k];
    if (cfg->agent->kind == RL_AGENT_PLANNER) {
        rl_planner *planner;
        rc = rl_planner_alloc(cfg->agent->planner, rl_env_model(env), cfg->agent_params,
                              pi, &planner, err);
        if (rc != RL_OK)
            rc = rl_plan_locate(p, k, rc, err);
        rl_planner_free(planner);
    } else {
        rc = check_learner(p, k, env, pi, err);
    }
    rl_free(pi);
    rl_env_free(env);
    return rc;
}

int rl_plan_check(const rl_plan *p, rl_error *err)
{
    for (size_t k = 0; k < p->n_configurations; k++) {
        int rc = check_configuration(p, k, err);
        if (rc != RL_OK)
            return rc;
    }
    return RL_OK;
}

int rl_plan_check_all(const rl_plan *p, rl_error_list *errors)
{
    size_t before = errors->n + errors->more;
    for (size_t k = 0; k < p->n_configurations; k++) {
        rl_error err;
        rl_error_clear(&err);
        int rc = check_configuration(p, k, &err);
        if (rc != RL_OK)
            rl_error_list_add(errors, &err);
        if (rc == RL_ENOMEM)
            return rc;
    }
    rl_error_list_sort(errors, p->config->path);
    return errors->n + errors->more > before ? rl_error_list_code(errors) : RL_OK;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The ground truth of configuration cfg into r->truth: v* for control agents, v_pi of the
 * evaluated policy (pi, or uniform when NULL) for prediction agents. */
/* Configuration k's truth into r->truth, from the plan's cache when there is one;
 * RL_ENOTFOUND when [experiment] ground_truth is off. */
static int ground_truth(const rl_plan *p, size_t k, const rl_mdp *m, const double *pi,
                        const volatile sig_atomic_t *stop, rl_truth_cache *truths,
                        rl_run_result *r, rl_error *err)
{
    if (!rl_params_bool(p->experiment, "ground_truth"))
        return rl_error_set(err, RL_ENOTFOUND, "no ground truth asked for");
    if (truths)
        return rl_truth_cache_get(truths, k, m, pi, stop, r->policy, r->truth, err);
    return rl_run_ground_truth(p, k, m, pi, stop, r->policy, r->truth, err);
}

/* A planner iterates until it converges or stops; *stop (a signal) abandons the run between
 * two iterations, and the ground truth between two of its sweeps. */
static int run_planner(const rl_plan *p, const rl_configuration *cfg, const double *pi,
                       const volatile sig_atomic_t *stop, rl_truth_cache *truths,
                       rl_run_result *r, rl_error *err)
{
    const rl_mdp *m = rl_env_model(r->env);
    /* A truth that cannot be had is not the sweep's failure: value_rmse stays empty, and a
     * truth that diverged (rewards that overflow) marks the run diverged, as a learner's
     * values that stop being finite do. Only running out of memory ends the sweep. */
    rl_error why;
    int truth = ground_truth(p, r->configuration, m, pi, stop, truths, r, &why);
    if (truth == RL_ENOMEM || truth == RL_EINTERRUPTED)
        return rl_error_set(err, truth, "%s", why.message);
    r->has_truth = truth == RL_OK;
    /* Models that pass the plan's checks have a proper, solvable truth: a solution that is
     * not finite (RL_ESINGULAR from the exact solve) is the same overflow. */
    bool overflowed = truth == RL_EDIVERGED || truth == RL_ESINGULAR;
    rl_planner *planner;
    int rc;
    if (rl_params_bool(p->experiment, "action_values") &&
        (rc = rl_run_result_want_action_values(r, rl_env_space(r->env), false, err)) != RL_OK)
        return rc;
    rc = rl_planner_alloc(cfg->agent->planner, m, cfg->agent_params, pi, &planner, err);
    if (rc != RL_OK)
        return rl_plan_locate(p, r->configuration, rc, err);
    do {
        if (stop && *stop) {
            rc = rl_error_set(err, RL_EINTERRUPTED, "interrupted");
            break;
        }
        rl_sweep_report report = {0};
        rc = rl_planner_iterate(planner, &report, err);
        /* An exact evaluation whose solution is not finite, on a model whose truth
         * overflowed: the same overflow, not a singular system. */
        if (rc == RL_ESINGULAR && overflowed)
            rc = RL_EDIVERGED;
        if (rc < 0 && rc != RL_EDIVERGED)
            break;
        rl_planner_values(planner, r->values);
        rl_iteration_row row = {r->iterations.n + 1, report.delta,
                                r->has_truth ? rl_value_rmse(m, r->values, r->truth) : NAN,
                                report.policy_changes};
        if (rl_rows_push(&r->iterations, &row, err) != RL_OK) {
            rc = RL_ENOMEM;
            break;
        }
    } while (rc == RL_CONTINUE);
    if (rc >= 0 || rc == RL_EDIVERGED) {
        r->status = overflowed            ? "diverged"
                    : rc == RL_OK         ? "converged"
                    : rc == RL_STOPPED    ? "stopped"
                                          : "diverged";
        rl_planner_values(planner, r->values);
        rl_planner_policy(planner, r->policy);
        if (r->action_values)
            rl_planner_action_values(planner, r->action_values);
        rc = RL_OK;
    }
    rl_planner_free(planner);
    return rc;
}

/* weights.csv's rows for a learner with weights: run, index, feature, weight (%.12g, as
 * every number in the result files; a non-finite weight is an empty field). */
static int format_weights(const rl_learner *l, rl_run_result *r, rl_error *err)
{
    size_t n;
    const double *w = rl_learner_weights(l, &n);
    if (!w)
        return RL_OK;
    FILE *f = open_memstream(&r->weight_rows, &r->weight_rows_size);
    if (!f)
        return rl_error_set(err, RL_ENOMEM, "out of memory for %zu weights", n);
    char label[128];
    for (size_t i = 0; i < n; i++) {
        rl_learner_weight_label(l, i, label, sizeof label);
        fprintf(f, "%zu,%zu,%s,", r->run, i, label);
        if (isfinite(w[i]))
            fprintf(f, "%.12g", w[i] + 0.0);
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        rl_free(r->weight_rows);
        r->weight_rows = NULL;
        return rl_error_set(err, RL_ENOMEM, "out of memory for %zu weights", n);
    }
    return RL_OK;
}

/* A learner's run: its draws from rng, the env's from env_rng (rl/rng.h). */
static int run_learner(const rl_plan *p, const rl_configuration *cfg, const double *pi,
                       gsl_rng *rng, gsl_rng *env_rng, const volatile sig_atomic_t *stop,
                       rl_truth_cache *truths, rl_run_result *r, rl_error *err)
{
    const rl_space *sp = rl_env_space(r->env);
    const rl_mdp *m = rl_env_model(r->env);
    rl_loop_options o;
    int rc = rl_run_loop_options(p, cfg, sp, &o, err);
    if (rc != RL_OK)
        return rc;
    o.stop = stop;
    o.env_r = env_rng;
    r->log_cumulative_reward = rl_params_bool(p->experiment, "log_cumulative_reward");
    /* Where the truth is undefined (gamma = 1 without terminal states, an env without a
     * model, a learner without values) value_rmse stays empty. */
    if (m && cfg->agent->learner->values) {
        rl_error why;
        int truth = ground_truth(p, r->configuration, m, pi, stop, truths, r, &why);
        if (truth == RL_ENOMEM || truth == RL_EINTERRUPTED)
            return rl_error_set(err, truth, "%s", why.message);
        r->has_truth = truth == RL_OK;
    }
    o.truth = r->has_truth ? r->truth : NULL;
    rl_learner *learner;
    rc = rl_learner_alloc(cfg->agent->learner, sp, cfg->agent_params, pi, rng, &learner, err);
    if (rc == RL_OK)
        rc = rl_episode_loop(r->env, learner, rng, &o, r, err);
    if (rc == RL_OK) {
        r->has_score = true;
        r->score = rl_statistics_run_score(
            r, (size_t)rl_params_int(p->experiment, "score_episodes"));
        r->log_every_episodes = (size_t)rl_params_int(p->experiment, "log_every_episodes");
    }
    if (rc == RL_OK)
        rc = format_weights(learner, r, err);
    rl_learner_free(learner);
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
    return rl_run_execute_with(p, run, stop, NULL, r, err);
}

int rl_run_execute_with(const rl_plan *p, size_t run, const volatile sig_atomic_t *stop,
                        rl_truth_cache *truths, rl_run_result *r, rl_error *err)
{
    size_t configuration = run / p->seeds, replicate = run % p->seeds;
    const rl_configuration *cfg = &p->configurations[configuration];
    rl_env *env;
    double *pi;
    memset(r, 0, sizeof *r);
    int rc = rl_run_setup(p, configuration, &env, &pi, err);
    if (rc != RL_OK)
        return rc;
    rc = rl_run_result_prepare(r, env, rl_env_space(env), err);
    r->run = run;
    r->configuration = configuration;
    r->replicate = replicate;
    r->rng_seed = rl_rng_run_seed(p->seed, replicate);
    char *label = rc == RL_OK ? rl_plan_label(p, configuration) : NULL;
    if (label) {
        size_t size = strlen(label) + 32;
        if ((r->label = rl_malloc(size)))
            snprintf(r->label, size, "%zu,%s", configuration, label);
        rl_free(label); /* open_memstream's buffer: plain free, as rl_free is */
    }
    if (rc == RL_OK && !r->label)
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    gsl_rng *rng = NULL, *env_rng = NULL;
    double start = now_seconds();
    if (rc != RL_OK)
        ;
    else if (cfg->agent->kind == RL_AGENT_PLANNER)
        rc = run_planner(p, cfg, pi, stop, truths, r, err);
    else if (!(rng = rl_rng_alloc(rl_rng_stream_seed(r->rng_seed, RL_RNG_AGENT), err)) ||
             !(env_rng = rl_rng_alloc(rl_rng_stream_seed(r->rng_seed, RL_RNG_ENV), err)))
        rc = RL_ENOMEM;
    else
        rc = run_learner(p, cfg, pi, rng, env_rng, stop, truths, r, err);
    r->seconds = now_seconds() - start;
    rl_rng_free(rng);
    rl_rng_free(env_rng);
    rl_free(pi);
    return rc;
}

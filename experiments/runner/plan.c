/* Plan expansion and validation: see plan.h. */
#include "experiments/runner/plan.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "envs/preset.h"
#include "envs/registry.h"
#include "rl/alloc.h"

const rl_param_spec rl_experiment_params[] = {
    {"name", RL_PARAM_STRING, NULL, 0, 0, RL_PARAM_NO_SWEEP, NULL,
     "experiment name, the folder results/NAME (default: the config file's name): letters, "
     "digits, _ - . +"},
    {"out", RL_PARAM_STRING, NULL, 0, 0, RL_PARAM_NO_SWEEP, NULL,
     "output directory (default results/<name>; -o overrides)"},
    {"seeds", RL_PARAM_INT, "1", 1, 1e6, 0, NULL,
     "independent runs (replicates) of each configuration"},
    {"seed", RL_PARAM_INT, "1", 0, 4294967295.0, 0, NULL,
     "base seed: a run's two generators (env, agent) are seeded from (seed, replicate), the "
     "same for every configuration"},
    {"episodes", RL_PARAM_INT, NULL, 1, 1e12, 0, NULL,
     "learners: episodes per run (or set steps, or neither for a learner that converges)"},
    {"steps", RL_PARAM_INT, NULL, 1, 1e15, 0, NULL,
     "learners: total env steps per run; the episode it cuts ends with outcome budget"},
    {"max_steps", RL_PARAM_INT, "0", 0, 1e15, 0, NULL,
     "learners: time limit per episode (a truncation, not a termination); 0: none, unless "
     "the preset sets one"},
    {"start", RL_PARAM_STRING, "env", 0, 0, RL_PARAM_NO_SWEEP, NULL,
     "learners: where episodes start: env (the map's start cells), uniform (any open "
     "non-terminal cell) or 'row col'"},
    {"log_every_steps", RL_PARAM_INT, "0", 0, 1e15, 0, NULL,
     "learners: also record metrics every N steps into steps.csv (0: never)"},
    {"log_cumulative_reward", RL_PARAM_BOOL, NULL, 0, 0, 0, NULL,
     "learners: steps.csv also records cumulative_reward, the undiscounted sum of the run's "
     "rewards up to the logged step (S&B Figs 8.4, 8.5)"},
    {"log_every_updates", RL_PARAM_INT, NULL, 0, 1e15, 0, NULL,
     "learners with training updates: record loss and value_rmse every N updates into "
     "updates.csv (0: never; unset: every update)"},
    {"ground_truth", RL_PARAM_BOOL, "true", 0, 0, RL_PARAM_NO_SWEEP, NULL,
     "compute the exact values value_rmse measures against (once per distinct model in the "
     "plan); false: no value_rmse, for models too large to solve"},
    {"values", RL_PARAM_CHOICE, "greedy", 0, 0, RL_PARAM_NO_SWEEP, "greedy|behavior",
     "learners: values.csv and value_rmse hold max_a q (greedy), or the value of the policy "
     "the learner acts with, sum_a b(a|s) q(s, a), measured against the best "
     "epsilon-greedy values at the learner's final epsilon (behavior)"},
    {"action_values", RL_PARAM_BOOL, "false", 0, 0, RL_PARAM_NO_SWEEP, NULL,
     "also write action_values.csv: every decision state's q(s, a) and, for learners, the "
     "times the run took (s, a)"},
    {"log_every_episodes", RL_PARAM_INT, "1", 0, 1e12, 0, NULL,
     "learners: episodes.csv and summary.csv keep every Nth episode (0: none); scores.csv "
     "still counts every episode"},
    {"score_episodes", RL_PARAM_INT, "0", 0, 1e12, 0, NULL,
     "a run's score is its mean return over its last N episodes (0: all)"},
    {"plot", RL_PARAM_BOOL, "false", 0, 0, 0, NULL,
     "draw the pictures (gridrl plot DIR) when the experiment is complete"},
    {"live", RL_PARAM_BOOL, "false", 0, 0, 0, NULL,
     "draw the learning curve of the finished runs while the experiment runs (as gridrl run "
     "--live)"},
    {"only", RL_PARAM_STRING, NULL, 0, 0, RL_PARAM_NO_SWEEP, NULL,
     "run part of the plan (--only): configurations by number (3, 0-2, 1,4) or by values "
     "(agent.alpha=0.1,0.2, algorithm=sarsa), several separated by spaces, all to match; "
     "their rows are those of the whole plan's run"},
    {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
};

static char *trimmed_copy(const char *text, size_t len)
{
    while (len > 0 && isspace((unsigned char)*text)) {
        text++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    char *s = rl_malloc(len + 1);
    if (s) {
        memcpy(s, text, len);
        s[len] = '\0';
    }
    return s;
}

/* Splits a comma list into trimmed values; an empty item is an error. */
static int split_list(const rl_config_entry *e, rl_plan_axis *axis, rl_error *err)
{
    size_t n = 1;
    for (const char *c = e->value; *c; c++)
        n += *c == ',';
    axis->entry = e;
    axis->values = rl_calloc(n, sizeof *axis->values);
    if (!axis->values)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    const char *p = e->value;
    for (size_t i = 0; i < n; i++) {
        size_t len = strcspn(p, ",");
        axis->values[i] = trimmed_copy(p, len);
        axis->n_values++;
        if (!axis->values[i])
            return rl_error_set(err, RL_ENOMEM, "out of memory");
        if (!axis->values[i][0]) {
            rl_error_set(err, RL_EINVAL, "empty item %zu in the list '%s'", i + 1, e->value);
            return rl_config_locate(err, RL_EINVAL, e);
        }
        p += len + (p[len] == ',');
    }
    return RL_OK;
}

static const rl_param_spec *agent_key_spec(const rl_agent *const *algorithms, size_t n,
                                           const char *key)
{
    for (size_t i = 0; i < n; i++) {
        const rl_param_spec *spec = rl_param_find(rl_agent_params(algorithms[i]), key);
        if (spec)
            return spec;
    }
    return NULL;
}

static const rl_param_spec *entry_spec(const rl_plan *p, const rl_config_entry *e,
                                       const rl_agent *const *algorithms, size_t n)
{
    if (strcmp(e->section, "env") == 0)
        return rl_param_find(p->env_type->params, e->key);
    if (strcmp(e->section, "experiment") == 0)
        return rl_param_find(rl_experiment_params, e->key);
    return agent_key_spec(algorithms, n, e->key);
}

/* The value of entry e in configuration k: its axis value, or the entry's own. */
static const char *value_in(const rl_plan *p, size_t k, const rl_config_entry *e)
{
    for (size_t i = 0; i < p->n_axes; i++)
        if (p->axes[i].entry == e)
            return p->axes[i].values[p->configurations[k].choice[i]];
    return e->value;
}

static int unknown_key(const rl_config_entry *e, const rl_param_spec *table, const char *what,
                       rl_error *err)
{
    char names[RL_ERROR_MESSAGE_MAX - 128] = "";
    for (const rl_param_spec *s = table; s->name; s++)
        rl_names_append(names, sizeof names, s->name);
    rl_error_set(err, RL_ENOTFOUND, "unknown key '%s' for %s (valid: %s)", e->key, what, names);
    return rl_config_locate(err, RL_ENOTFOUND, e);
}

static bool is_env_type(const rl_config_entry *e)
{
    return strcmp(e->section, "env") == 0 && strcmp(e->key, "type") == 0;
}

/* The env type of [env] type (one name from the env registry), else the gridworld. */
static int read_env_type(rl_plan *p, rl_error *err)
{
    const rl_config_entry *e = rl_config_find(p->config, "env", "type");
    const char *name = e ? e->value : RL_PLAN_DEFAULT_ENV;
    p->env_type = rl_env_type_find(name, err);
    if (p->env_type)
        return RL_OK;
    return e ? rl_config_locate(err, RL_ENOTFOUND, e) : RL_ENOTFOUND;
}

/* Which algorithms the plan uses: the values of [agent] algorithm. */
static int read_algorithms(const rl_config *c, const rl_agent ***out, size_t *n,
                           rl_error *err)
{
    const rl_config_entry *e = rl_config_find(c, "agent", "algorithm");
    *out = NULL;
    *n = 0;
    if (!e) {
        char names[RL_ERROR_MESSAGE_MAX - 128] = "";
        const rl_agent *a;
        for (size_t i = 0; (a = rl_agent_at(i)); i++)
            rl_names_append(names, sizeof names, rl_agent_name(a));
        rl_error_set(err, RL_EINVAL, "[agent] needs an algorithm (valid: %s)", names);
        return rl_error_locate(err, RL_EINVAL, c->path, 0, 0, "agent.algorithm");
    }
    rl_plan_axis list = {0};
    int rc = split_list(e, &list, err);
    if (rc == RL_OK) {
        *out = rl_calloc(list.n_values, sizeof **out);
        if (!*out)
            rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; rc == RL_OK && i < list.n_values; i++) {
        (*out)[i] = rl_agent_find(list.values[i], err);
        if (!(*out)[i])
            rc = rl_config_locate(err, RL_ENOTFOUND, e);
        else
            (*n)++;
    }
    for (size_t i = 0; i < list.n_values; i++)
        rl_free(list.values[i]);
    rl_free(list.values);
    return rc;
}

/* Checks entry e's key and every value of its list, and records its axis (*axis_entry
 * true when e is a sweep axis, so that an error in it leaves the plan's shape unknown). */
static int check_entry(rl_plan *p, const rl_config_entry *e, const rl_agent *const *algorithms,
                       size_t n_alg, bool *axis_entry, rl_error *err)
{
    bool is_experiment = strcmp(e->section, "experiment") == 0;
    bool is_algorithm = strcmp(e->section, "agent") == 0 && strcmp(e->key, "algorithm") == 0;
    *axis_entry = false;
    if (is_env_type(e))
        return RL_OK; /* read by read_env_type */
    const rl_param_spec *spec = is_algorithm ? NULL : entry_spec(p, e, algorithms, n_alg);
    if (!spec && !is_algorithm) {
        if (is_experiment)
            return unknown_key(e, rl_experiment_params, "[experiment]", err);
        if (strcmp(e->section, "env") == 0)
            return unknown_key(e, p->env_type->params, "[env]", err);
        /* The valid agent keys: those of the plan's algorithms. */
        char names[RL_ERROR_MESSAGE_MAX - 128] = "algorithm";
        for (size_t a = 0; a < n_alg; a++)
            for (const rl_param_spec *s = rl_agent_params(algorithms[a]); s->name; s++)
                if (!agent_key_spec(algorithms, a, s->name)) /* not listed yet */
                    rl_names_append(names, sizeof names, s->name);
        rl_error_set(err, RL_ENOTFOUND, "unknown key '%s' for the plan's algorithms "
                     "(valid: %s)", e->key, names);
        return rl_config_locate(err, RL_ENOTFOUND, e);
    }
    bool sweeps = strchr(e->value, ',') && (is_algorithm || !(spec->flags & RL_PARAM_NO_SWEEP));
    if (is_experiment && strchr(e->value, ',') && strcmp(e->key, "only") != 0) {
        rl_error_set(err, RL_EINVAL, "[experiment] keys do not sweep: '%s' has a comma",
                     e->value);
        return rl_config_locate(err, RL_EINVAL, e);
    }
    rl_plan_axis axis = {0};
    if (sweeps) {
        *axis_entry = true;
        int rc = split_list(e, &axis, err);
        p->axes[p->n_axes++] = axis; /* freed with the plan even on error */
        if (rc != RL_OK)
            return rc;
    }
    if (is_algorithm)
        return RL_OK;
    /* Each value must parse under at least one algorithm that knows the key; the
     * configurations then check it under their own algorithm. */
    size_t n_values = sweeps ? axis.n_values : 1;
    for (size_t v = 0; v < n_values; v++) {
        rl_param_value parsed;
        const char *text = sweeps ? axis.values[v] : e->value;
        int rc = rl_param_parse(spec, text, &parsed, err);
        if (rc != RL_OK)
            return rl_config_locate(err, rc, e);
    }
    return RL_OK;
}

/* What building a plan has found wrong so far: every error goes into the list, and which
 * entries had one (bad[i] for entry i), so that the configurations are built without them
 * and report only errors of their own. */
typedef struct build_errors {
    rl_error_list *list;
    bool *bad;
    bool shapeless; /* an axis, the env type or an algorithm is wrong: no configurations */
} build_errors;

static int record(build_errors *be, int rc, const rl_error *err)
{
    rl_error_list_add(be->list, err);
    return rc;
}

/* Checks every entry's key and every value of every list, and records the axes. Entries of
 * [env] are checked only with a known env type, and of [agent] with known algorithms. */
static int read_entries(rl_plan *p, const rl_agent *const *algorithms, size_t n_alg,
                        bool env_known, bool algorithms_known, build_errors *be)
{
    const rl_config *c = p->config;
    rl_error err;
    p->axes = rl_calloc(c->n_entries ? c->n_entries : 1, sizeof *p->axes);
    if (!p->axes)
        return record(be, rl_error_set(&err, RL_ENOMEM, "out of memory"), &err);
    for (size_t i = 0; i < c->n_entries; i++) {
        const rl_config_entry *e = &c->entries[i];
        if ((strcmp(e->section, "env") == 0 && !env_known) ||
            (strcmp(e->section, "agent") == 0 && !algorithms_known)) {
            be->bad[i] = true;
            continue;
        }
        bool axis = false;
        int rc = check_entry(p, e, algorithms, n_alg, &axis, &err);
        if (rc == RL_ENOMEM)
            return record(be, rc, &err);
        if (rc != RL_OK) {
            record(be, rc, &err);
            be->bad[i] = true;
            be->shapeless |= axis;
        }
    }
    return RL_OK;
}

bool rl_plan_has_kind(const rl_plan *p, rl_agent_kind kind)
{
    for (size_t k = 0; k < p->n_configurations; k++)
        if (rl_plan_selected(p, k) && p->configurations[k].agent->kind == kind)
            return true;
    return false;
}

/* Columns of the result files a configuration's label is written beside: an axis named like
 * one of them is written as section.key. */
static const char *const RESULT_COLUMNS[] = {
    "run", "config", "replicate", "rng_seed", "status", "episodes", "steps", "iterations",
    "diverged_step", "score", "episode", "return", "discounted_return", "length", "outcome",
    "value_rmse", "runs", "mean", "iqm", "iqm_ci95_low", "iqm_ci95_high", "algorithm", NULL};

static bool is_label_axis(const rl_plan *p, size_t i)
{
    return strcmp(p->axes[i].entry->key, "algorithm") != 0;
}

/* Axis i's column name into buf. */
static void axis_column(const rl_plan *p, size_t i, char *buf, size_t size)
{
    const rl_config_entry *e = p->axes[i].entry;
    bool clash = false;
    for (const char *const *c = RESULT_COLUMNS; *c; c++)
        clash |= strcmp(*c, e->key) == 0;
    for (size_t j = 0; j < p->n_axes; j++)
        clash |= j != i && strcmp(p->axes[j].entry->key, e->key) == 0;
    snprintf(buf, size, "%s%s%s", clash ? e->section : "", clash ? "." : "", e->key);
}

/* "first" then ",item" for each label axis, item(i) into a buffer: malloc'd. */
static char *label_text(const rl_plan *p, size_t k, bool header)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return NULL;
    fputs(header ? "algorithm" : rl_agent_name(p->configurations[k].agent), f);
    for (size_t i = 0; i < p->n_axes; i++) {
        if (!is_label_axis(p, i))
            continue;
        char column[RL_CONFIG_SECTION_MAX + RL_CONFIG_KEY_MAX + 2];
        axis_column(p, i, column, sizeof column);
        fprintf(f, ",%s", header ? column : p->axes[i].values[p->configurations[k].choice[i]]);
    }
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

char *rl_plan_label_header(const rl_plan *p)
{
    return label_text(p, 0, true);
}

char *rl_plan_label(const rl_plan *p, size_t k)
{
    return label_text(p, k, false);
}

/* Resolves a path value against the config's directory (overrides: the working
 * directory). */
static int resolve_path(const rl_plan *p, const rl_config_entry *e, const char *value,
                        char *out, size_t size)
{
    if (value[0] == '/' || strcmp(e->source, RL_CONFIG_OVERRIDE_SOURCE) == 0 ||
        strcmp(p->config->base_dir, ".") == 0)
        return snprintf(out, size, "%s", value) < (int)size ? RL_OK : RL_ERANGE;
    return snprintf(out, size, "%s/%s", p->config->base_dir, value) < (int)size ? RL_OK
                                                                               : RL_ERANGE;
}

int rl_plan_absolute_path(const rl_plan *p, const rl_config_entry *e, const char *value,
                          char *out, size_t size)
{
    char relative[4096], cwd[4096];
    if (resolve_path(p, e, value, relative, sizeof relative) != RL_OK)
        return RL_ERANGE;
    if (relative[0] == '/')
        return snprintf(out, size, "%s", relative) < (int)size ? RL_OK : RL_ERANGE;
    if (!getcwd(cwd, sizeof cwd))
        return RL_EIO;
    const char *rest = strncmp(relative, "./", 2) == 0 ? relative + 2 : relative;
    return snprintf(out, size, "%s/%s", cwd, rest) < (int)size ? RL_OK : RL_ERANGE;
}

bool rl_plan_is_path_key(const char *key)
{
    return strcmp(key, "map") == 0 || strcmp(key, "policy_file") == 0 ||
           strcmp(key, "values_file") == 0 || strcmp(key, "map_after") == 0 ||
           strcmp(key, "file") == 0;
}

static bool is_path_key(const char *key)
{
    return rl_plan_is_path_key(key);
}

static int set_value(const rl_plan *p, rl_params *params, const rl_config_entry *e,
                     const char *value, rl_error *err)
{
    char path[4096];
    if (is_path_key(e->key)) {
        if (resolve_path(p, e, value, path, sizeof path) != RL_OK) {
            rl_error_set(err, RL_ERANGE, "path too long");
            return rl_config_locate(err, RL_ERANGE, e);
        }
        value = path;
    }
    int rc = rl_params_set(params, e->key, value, err);
    return rc == RL_OK ? RL_OK : rl_config_locate(err, rc, e);
}

static int build_configuration(rl_plan *p, size_t k, const bool *bad, rl_error *err)
{
    rl_configuration *cfg = &p->configurations[k];
    const rl_config *c = p->config;
    cfg->env = rl_params_alloc(p->env_type->params);
    if (!cfg->env)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    const rl_config_entry *algorithm = rl_config_find(c, "agent", "algorithm");
    cfg->agent = rl_agent_find(value_in(p, k, algorithm), err);
    if (!cfg->agent)
        return rl_config_locate(err, RL_ENOTFOUND, algorithm);
    cfg->agent_params = rl_params_alloc(rl_agent_params(cfg->agent));
    if (!cfg->agent_params)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_entries; i++) {
        const rl_config_entry *e = &c->entries[i];
        if (bad[i])
            continue; /* its error is reported */
        const char *value = value_in(p, k, e);
        int rc = RL_OK;
        if (strcmp(e->section, "env") == 0 && !is_env_type(e))
            rc = set_value(p, cfg->env, e, value, err);
        else if (strcmp(e->section, "agent") == 0 && e != algorithm &&
                 rl_param_find(rl_agent_params(cfg->agent), e->key))
            rc = set_value(p, cfg->agent_params, e, value, err);
        if (rc != RL_OK)
            return rc;
    }
    int rc = rl_env_type_resolve(p->env_type, cfg->env, err);
    if (rc != RL_OK)
        return rl_plan_locate(p, k, rc, err);
    /* A preset's suggested discount applies unless the config sets gamma. */
    if (rl_params_has(cfg->env, "preset") && rl_param_find(rl_agent_params(cfg->agent), "gamma") &&
        !rl_params_is_set(cfg->agent_params, "gamma")) {
        const rl_preset *preset = rl_preset_find(rl_params_string(cfg->env, "preset"), NULL);
        /* The shortest text that reads back as the same number ("0.9", not 0.90000...2). */
        char gamma[32];
        snprintf(gamma, sizeof gamma, "%.15g", preset->gamma);
        if (strtod(gamma, NULL) != preset->gamma)
            snprintf(gamma, sizeof gamma, "%.17g", preset->gamma);
        if (preset->gamma >= 0 &&
            (rc = rl_params_set(cfg->agent_params, "gamma", gamma, err)) != RL_OK)
            return rl_plan_locate(p, k, rc, err);
    }
    return RL_OK;
}

static char *default_name(const rl_config *c)
{
    const char *base = strrchr(c->path, '/');
    base = base ? base + 1 : c->path;
    size_t len = strcspn(base, ".");
    char *name = rl_malloc(len + 1);
    if (name) {
        memcpy(name, base, len);
        name[len] = '\0';
    }
    return name;
}

bool rl_plan_name_ok(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > RL_PLAN_NAME_MAX || name[0] == '.' || name[0] == '-')
        return false;
    for (const char *c = name; *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '_' || *c == '-' || *c == '.' || *c == '+'))
            return false;
    return true;
}

/* p->n_configurations, the product of the axes' lengths, and the number of runs, within
 * RL_PLAN_MAX_CONFIGURATIONS and RL_PLAN_MAX_RUNS (which bound the memory the plan and the
 * statistics take); else an error at the axis that goes past the limit. */
static int count_configurations(rl_plan *p, rl_error *err)
{
    if (p->n_axes > RL_PLAN_MAX_AXES) {
        rl_error_set(err, RL_ERANGE, "the sweep has %zu axes, and a plan has at most %d",
                     p->n_axes, RL_PLAN_MAX_AXES);
        return rl_config_locate(err, RL_ERANGE, p->axes[RL_PLAN_MAX_AXES].entry);
    }
    size_t n = 1;
    for (size_t i = 0; i < p->n_axes; i++) {
        size_t k = p->axes[i].n_values;
        bool over = n > RL_PLAN_MAX_CONFIGURATIONS / k;
        if (over || n * k > RL_PLAN_MAX_CONFIGURATIONS) {
            char so_far[64];
            if (over && n > SIZE_MAX / k)
                snprintf(so_far, sizeof so_far, "more than 2^64");
            else
                snprintf(so_far, sizeof so_far, "%zu", n * k);
            rl_error_set(err, RL_ERANGE,
                         "the sweep has too many configurations: with this axis's %zu values "
                         "there are %s, and a plan has at most %d",
                         k, so_far, RL_PLAN_MAX_CONFIGURATIONS);
            return rl_config_locate(err, RL_ERANGE, p->axes[i].entry);
        }
        n *= k;
    }
    p->n_configurations = n;
    if (p->seeds > RL_PLAN_MAX_RUNS / n) {
        rl_error_set(err, RL_ERANGE,
                     "the plan has too many runs: %zu configurations x %zu seeds, and a plan has "
                     "at most %d runs",
                     n, p->seeds, RL_PLAN_MAX_RUNS);
        const rl_config_entry *e = rl_config_find(p->config, "experiment", "seeds");
        return e ? rl_config_locate(err, RL_ERANGE, e)
                 : rl_error_locate(err, RL_ERANGE, p->config->path, 0, 0, "experiment.seeds");
    }
    return RL_OK;
}

/* The experiment's name becomes one path component (results/NAME): checked here. */
static int check_name(const rl_plan *p, rl_error *err)
{
    if (rl_plan_name_ok(p->name))
        return RL_OK;
    const rl_config_entry *e = rl_config_find(p->config, "experiment", "name");
    rl_error_set(err, RL_EINVAL,
                 "the experiment's name '%.80s'%s is not a folder name: use 1 to %d letters, "
                 "digits, '_', '-', '.' or '+', not starting with '.' or '-'%s",
                 p->name, e ? "" : " (from the config file's name)", RL_PLAN_NAME_MAX,
                 e ? "" : "; set [experiment] name");
    return e ? rl_config_locate(err, RL_EINVAL, e)
             : rl_error_locate(err, RL_EINVAL, p->config->path, 0, 0, "experiment.name");
}

/* ---- [experiment] only: part of the plan ---------------------------------------------- */

/* Whether a and b name the same value: the same text, or the same number ("0.10", "0.1"). */
static bool same_value(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return true;
    char *end_a, *end_b;
    double x = strtod(a, &end_a), y = strtod(b, &end_b);
    return end_a != a && end_b != b && !*end_a && !*end_b && x == y;
}

/* What a key of a selector names: the algorithm, a sweep axis, or a fixed [env] or [agent]
 * key (section "env" or "agent"). */
typedef struct selector_key {
    bool algorithm;
    const rl_plan_axis *axis;
    size_t axis_index;
    const char *section, *key;
} selector_key;

/* Configuration k's value of key, or NULL when its algorithm has no such key. */
static const char *selector_value(const rl_plan *p, size_t k, const selector_key *sk)
{
    const rl_configuration *cfg = &p->configurations[k];
    if (sk->algorithm)
        return rl_agent_name(cfg->agent);
    if (sk->axis)
        return sk->axis->values[cfg->choice[sk->axis_index]];
    const rl_params *params = strcmp(sk->section, "env") == 0 ? cfg->env : cfg->agent_params;
    if (!rl_param_find(rl_params_table(params), sk->key))
        return NULL;
    return rl_params_text(params, sk->key);
}

/* Reads "section.key" or "key" of a selector (name, len characters) into sk. */
static int selector_key_of(const rl_plan *p, const char *name, size_t len, selector_key *sk,
                           char *text, size_t size, rl_error *err)
{
    snprintf(text, size, "%.*s", (int)len, name);
    memset(sk, 0, sizeof *sk);
    char *dot = strchr(text, '.');
    const char *section = NULL, *key = text;
    if (dot) {
        *dot = '\0';
        section = text;
        key = dot + 1;
        if (strcmp(section, "env") != 0 && strcmp(section, "agent") != 0)
            return rl_error_set(err, RL_ENOTFOUND,
                                "'%s.%s': a configuration is chosen by an [env] or [agent] key",
                                section, key);
    }
    if (strcmp(key, "algorithm") == 0 && (!section || strcmp(section, "agent") == 0)) {
        sk->algorithm = true;
        sk->key = key;
        return RL_OK;
    }
    for (size_t i = 0; i < p->n_axes; i++) {
        const rl_config_entry *e = p->axes[i].entry;
        if (strcmp(e->key, key) != 0 || (section && strcmp(e->section, section) != 0))
            continue;
        if (sk->axis)
            return rl_error_set(err, RL_EINVAL,
                                "'%s' is swept in [env] and in [agent]: say env.%s or agent.%s",
                                key, key, key);
        sk->axis = &p->axes[i];
        sk->axis_index = i;
        sk->section = e->section;
        sk->key = key;
    }
    if (sk->axis)
        return RL_OK;
    sk->key = key;
    if ((!section || strcmp(section, "env") == 0) && rl_param_find(p->env_type->params, key)) {
        sk->section = "env";
        return RL_OK;
    }
    for (size_t k = 0; (!section || strcmp(section, "agent") == 0) && k < p->n_configurations;
         k++)
        if (rl_param_find(rl_agent_params(p->configurations[k].agent), key)) {
            sk->section = "agent";
            return RL_OK;
        }
    return rl_error_set(err, RL_ENOTFOUND, "'%s' is not a key of the plan's env or algorithms",
                        key);
}

/* The configurations selector `key=v1,v2` matches into match. */
static int match_values(const rl_plan *p, const char *token, size_t len, bool *match,
                        rl_error *err)
{
    const char *eq = memchr(token, '=', len);
    char key_text[RL_CONFIG_KEY_MAX + RL_CONFIG_SECTION_MAX + 2];
    selector_key sk;
    int rc = selector_key_of(p, token, (size_t)(eq - token), &sk, key_text, sizeof key_text,
                             err);
    if (rc != RL_OK)
        return rc;
    char values[512];
    snprintf(values, sizeof values, "%.*s", (int)(len - (size_t)(eq - token) - 1), eq + 1);
    size_t matched = 0;
    for (size_t k = 0; k < p->n_configurations; k++) {
        const char *have = selector_value(p, k, &sk);
        match[k] = false;
        for (char *v = values; have && *v && !match[k];) {
            size_t n = strcspn(v, ",");
            char one[256];
            snprintf(one, sizeof one, "%.*s", (int)n, v);
            match[k] = same_value(have, one);
            v += n + (v[n] == ',');
        }
        matched += match[k];
    }
    if (matched)
        return RL_OK;
    /* Say which values there are to choose from. */
    char taken[RL_ERROR_MESSAGE_MAX / 2] = "";
    for (size_t k = 0; k < p->n_configurations; k++) {
        const char *have = selector_value(p, k, &sk);
        bool listed = false;
        for (size_t j = 0; have && j < k; j++) {
            const char *before = selector_value(p, j, &sk);
            listed |= before && strcmp(before, have) == 0;
        }
        if (have && !listed)
            rl_names_append(taken, sizeof taken, have[0] ? have : "(none)");
    }
    return rl_error_set(err, RL_EINVAL, "'%.*s' selects no configuration (%s takes %s)",
                        (int)len, token, sk.key, taken[0] ? taken : "no value");
}

/* The configurations the index selector `3`, `0-2` or `1,4,6-7` names into match. */
static int match_indices(const rl_plan *p, const char *token, size_t len, bool *match,
                         rl_error *err)
{
    memset(match, 0, p->n_configurations * sizeof *match);
    for (const char *c = token; c < token + len;) {
        char *end;
        unsigned long long from = strtoull(c, &end, 10), to = from;
        if (end == c || !isdigit((unsigned char)*c))
            break;
        if (*end == '-') {
            const char *second = end + 1;
            to = strtoull(second, &end, 10);
            if (end == second || !isdigit((unsigned char)*second))
                break;
        }
        if (from > to)
            return rl_error_set(err, RL_EINVAL, "the range %llu-%llu goes down", from, to);
        if (to >= p->n_configurations)
            return rl_error_set(err, RL_ERANGE,
                                "configuration %llu is not in the plan (it has %zu: 0 to %zu)",
                                to, p->n_configurations, p->n_configurations - 1);
        for (unsigned long long k = from; k <= to; k++)
            match[k] = true;
        c = end;
        if (c < token + len && *c == ',')
            c++;
        else if (c < token + len)
            break;
        if (c == token + len)
            return RL_OK;
    }
    return rl_error_set(err, RL_EINVAL,
                        "'%.*s' is neither configuration numbers (3, 0-2, 1,4) nor key=values "
                        "(agent.alpha=0.1,0.2)",
                        (int)len, token);
}

/* [experiment] only into p->selected and p->n_selected: every configuration that all of its
 * space-separated selectors match. Without it, every configuration. */
static int select_configurations(rl_plan *p, rl_error *err)
{
    p->n_selected = p->n_configurations;
    if (!rl_params_has(p->experiment, "only"))
        return RL_OK;
    const char *spec = rl_params_string(p->experiment, "only");
    p->selected = rl_malloc(p->n_configurations * sizeof *p->selected);
    bool *match = rl_malloc(p->n_configurations * sizeof *match);
    int rc = p->selected && match ? RL_OK : rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t k = 0; rc == RL_OK && k < p->n_configurations; k++)
        p->selected[k] = true;
    size_t tokens = 0;
    for (const char *t = spec; rc == RL_OK && *t;) {
        t += strspn(t, " \t");
        size_t len = strcspn(t, " \t");
        if (!len)
            break;
        tokens++;
        rc = memchr(t, '=', len) ? match_values(p, t, len, match, err)
                                 : match_indices(p, t, len, match, err);
        for (size_t k = 0; rc == RL_OK && k < p->n_configurations; k++)
            p->selected[k] &= match[k];
        t += len;
    }
    p->n_selected = 0;
    for (size_t k = 0; rc == RL_OK && k < p->n_configurations; k++)
        p->n_selected += p->selected[k];
    if (rc == RL_OK && !tokens)
        rc = rl_error_set(err, RL_EINVAL, "'only' names no configuration");
    else if (rc == RL_OK && !p->n_selected)
        rc = rl_error_set(err, RL_EINVAL,
                          "no configuration matches all of '%s' (each part matches some)", spec);
    rl_free(match);
    if (rc != RL_OK && rc != RL_ENOMEM) {
        const rl_config_entry *e = rl_config_find(p->config, "experiment", "only");
        return e ? rl_config_locate(err, rc, e)
                 : rl_error_locate(err, rc, p->config->path, 0, 0, "experiment.only");
    }
    return rc;
}

int rl_plan_build_all(const rl_config *c, rl_plan **out, rl_error_list *errors)
{
    *out = NULL;
    size_t before = errors->n + errors->more;
    rl_error err;
    rl_error_clear(&err);
    build_errors be = {.list = errors};
    rl_plan *p = rl_calloc(1, sizeof *p);
    be.bad = rl_calloc(c->n_entries ? c->n_entries : 1, sizeof *be.bad);
    if (!p || !be.bad) {
        rl_free(p);
        rl_free(be.bad);
        return record(&be, rl_error_set(&err, RL_ENOMEM, "out of memory"), &err);
    }
    p->config = c;
    const rl_agent **algorithms = NULL;
    size_t n_alg = 0;
    int rc = RL_OK;
    bool env_known = read_env_type(p, &err) == RL_OK;
    if (!env_known)
        record(&be, err.code, &err);
    bool algorithms_known = (rc = read_algorithms(c, &algorithms, &n_alg, &err)) == RL_OK;
    if (!algorithms_known)
        rc = record(&be, rc, &err);
    be.shapeless = !env_known || !algorithms_known;
    if (rc != RL_ENOMEM)
        rc = read_entries(p, algorithms, n_alg, env_known, algorithms_known, &be);
    rl_free(algorithms);
    if (rc != RL_ENOMEM && !(p->experiment = rl_params_alloc(rl_experiment_params)))
        rc = record(&be, rl_error_set(&err, RL_ENOMEM, "out of memory"), &err);
    for (size_t i = 0; rc != RL_ENOMEM && i < c->n_entries; i++)
        if (strcmp(c->entries[i].section, "experiment") == 0 && !be.bad[i] &&
            set_value(p, p->experiment, &c->entries[i], c->entries[i].value, &err) != RL_OK)
            rc = record(&be, err.code, &err);
    if (rc != RL_ENOMEM) {
        p->seeds = (size_t)rl_params_int(p->experiment, "seeds");
        p->seed = (unsigned long)rl_params_int(p->experiment, "seed");
        p->name = rl_params_has(p->experiment, "name")
                      ? rl_strdup(rl_params_string(p->experiment, "name"))
                      : default_name(c);
        if (!p->name)
            rc = record(&be, rl_error_set(&err, RL_ENOMEM, "out of memory"), &err);
        else if (check_name(p, &err) != RL_OK)
            record(&be, err.code, &err);
    }
    /* Configurations: mixed radix over the axes, the last axis fastest. Their number is
     * checked before anything is allocated for them; without a known shape (a wrong axis,
     * env type or algorithm) there are none to build. */
    bool shaped = rc != RL_ENOMEM && !be.shapeless;
    if (shaped && count_configurations(p, &err) != RL_OK) {
        rc = record(&be, err.code, &err);
        shaped = false;
    }
    if (shaped && !(p->configurations = rl_calloc(p->n_configurations,
                                                  sizeof *p->configurations))) {
        rc = record(&be, rl_error_set(&err, RL_ENOMEM, "out of memory"), &err);
        shaped = false;
    }
    for (size_t k = 0; shaped && k < p->n_configurations; k++) {
        rl_configuration *cfg = &p->configurations[k];
        cfg->choice = rl_calloc(p->n_axes ? p->n_axes : 1, sizeof *cfg->choice);
        if (!cfg->choice) {
            rc = record(&be, rl_error_set(&err, RL_ENOMEM, "out of memory"), &err);
            break;
        }
        size_t rest = k;
        for (size_t i = p->n_axes; i-- > 0;) {
            cfg->choice[i] = rest % p->axes[i].n_values;
            rest /= p->axes[i].n_values;
        }
        /* Each configuration stops at its first error; the same error in several (a map
         * they share) is listed once. */
        if (build_configuration(p, k, be.bad, &err) != RL_OK) {
            rc = record(&be, err.code, &err);
            if (rc == RL_ENOMEM)
                break;
        }
    }
    rl_free(be.bad);
    if (shaped && rc != RL_ENOMEM && errors->n + errors->more == before &&
        select_configurations(p, &err) != RL_OK)
        rc = record(&be, err.code, &err);
    rl_error_list_sort(errors, c->path);
    if (errors->n + errors->more > before) {
        rl_plan_free(p);
        return rc == RL_ENOMEM ? RL_ENOMEM : rl_error_list_code(errors);
    }
    *out = p;
    return RL_OK;
}

int rl_plan_build(const rl_config *c, rl_plan **out, rl_error *err)
{
    rl_error_list errors = {0};
    int rc = rl_plan_build_all(c, out, &errors);
    if (rc == RL_ENOMEM)
        rl_error_set(err, RL_ENOMEM, "out of memory");
    else if (rc != RL_OK && errors.n && err)
        *err = errors.items[0];
    rl_error_list_free(&errors);
    return rc;
}

int rl_plan_locate(const rl_plan *p, size_t k, int code, rl_error *err)
{
    if (!err)
        return code;
    const rl_config *c = p->config;
    char key[RL_ERROR_KEY_MAX];
    snprintf(key, sizeof key, "%s", err->key);
    const char *bare = strchr(key, '.') ? strchr(key, '.') + 1 : key;
    const rl_configuration *cfg = &p->configurations[k];
    const rl_config_entry *e = NULL;
    if (bare[0] && cfg->agent && rl_param_find(rl_agent_params(cfg->agent), bare))
        e = rl_config_find(c, "agent", bare);
    if (!e && bare[0] && rl_param_find(p->env_type->params, bare))
        e = rl_config_find(c, "env", bare);
    if (!e)
        e = rl_config_find(c, "env", "preset");
    if (!e)
        e = rl_config_find(c, "env", "map");
    if (!e)
        e = rl_config_find(c, "env", "file");
    if (!e)
        return rl_error_locate(err, code, c->path, 0, 0, NULL);
    if (err->file[0] && strcmp(err->file, c->path) != 0 &&
        strcmp(err->file, RL_CONFIG_OVERRIDE_SOURCE) != 0) {
        /* Already located in another file (a map the config names): keep that place and
         * say which key named the file. */
        if (!err->key[0] && rl_config_find(c, "env", "map"))
            snprintf(err->key, sizeof err->key, "env.map");
        else if (!err->key[0] && rl_config_find(c, "env", "file"))
            snprintf(err->key, sizeof err->key, "env.file");
        return code;
    }
    rl_config_locate(err, code, e);
    /* Keep the library's key when the entry is only where the value came from. */
    if (strcmp(e->key, bare) != 0 && bare[0]) {
        char where[RL_ERROR_KEY_MAX];
        snprintf(where, sizeof where, "%.40s (from %.12s.%.30s)", bare, e->section, e->key);
        memcpy(err->key, where, sizeof where);
    }
    return code;
}

void rl_plan_free(rl_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_axes; i++) {
        for (size_t v = 0; v < p->axes[i].n_values; v++)
            rl_free(p->axes[i].values[v]);
        rl_free(p->axes[i].values);
    }
    rl_free(p->axes);
    for (size_t k = 0; p->configurations && k < p->n_configurations; k++) {
        rl_params_free(p->configurations[k].env);
        rl_params_free(p->configurations[k].agent_params);
        rl_free(p->configurations[k].choice);
    }
    rl_free(p->configurations);
    rl_free(p->selected);
    rl_params_free(p->experiment);
    rl_free(p->name);
    rl_free(p);
}

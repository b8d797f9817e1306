/* The experiment plan: a loaded config turned into numbered configurations and runs.
 *
 * A comma list in a scalar [env] or [agent] key is a sweep axis. Configurations are the
 * cartesian product of the axes in the order the keys appear, the last varying fastest
 * ([experiment] only runs some of them, keeping their numbers);
 * each has `seeds` replicates, run = configuration * seeds + replicate, and a run's
 * generators are seeded from (seed, replicate) alone (rl/rng.h): the same in every plan
 * that has its configuration.
 *
 * Building the plan validates every value against the env's and the algorithms' parameter
 * tables, so every config error is found before any run starts, located at file:line:key.
 */
#ifndef GRIDRL_EXPERIMENTS_RUNNER_PLAN_H
#define GRIDRL_EXPERIMENTS_RUNNER_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "agents/registry.h"
#include "experiments/runner/config.h"
#include "rl/env.h"
#include "rl/param.h"

typedef struct rl_plan_axis {
    const rl_config_entry *entry;
    char **values;
    size_t n_values;
} rl_plan_axis;

typedef struct rl_configuration {
    const rl_agent *agent;
    rl_params *env;   /* preset applied, map path resolved */
    rl_params *agent_params;
    size_t *choice;   /* the value index on each axis */
} rl_configuration;

typedef struct rl_plan {
    const rl_config *config;
    const rl_env_type *env_type; /* [env] type, from the env registry */
    rl_params *experiment;
    char *name;
    size_t seeds;
    unsigned long seed;
    rl_plan_axis *axes;
    size_t n_axes;
    rl_configuration *configurations;
    size_t n_configurations;
    /* [experiment] only: the configurations that run (NULL: all), and how many. The others
     * keep their numbers, so a run's number and rows are those of the whole plan's run. */
    bool *selected;
    size_t n_selected;
} rl_plan;

/* The env type of a config without [env] type. */
#define RL_PLAN_DEFAULT_ENV "gridworld"

/* The [experiment] parameter table. */
extern const rl_param_spec rl_experiment_params[];

/* Builds and validates the plan (models compiled and planners set once, to catch errors
 * such as gamma = 1 on a model where a state never reaches a terminal). */
int rl_plan_build(const rl_config *c, rl_plan **out, rl_error *err);

/* The same, reporting every error into errors rather than the first: each key's and each
 * value's, and each configuration's first (the same error in several listed once), sorted
 * by line. Returns the first one's code; *out is NULL on any error. */
int rl_plan_build_all(const rl_config *c, rl_plan **out, rl_error_list *errors);
void rl_plan_free(rl_plan *p);

/* The runs of the whole plan: run numbers are below this. */
static inline size_t rl_plan_runs(const rl_plan *p)
{
    return p->n_configurations * p->seeds;
}

/* Whether configuration k runs ([experiment] only). */
static inline bool rl_plan_selected(const rl_plan *p, size_t k)
{
    return !p->selected || p->selected[k];
}

/* Whether run number `run` is one of the selected configurations'. */
static inline bool rl_plan_run_selected(const rl_plan *p, size_t run)
{
    return rl_plan_selected(p, run / p->seeds);
}

/* Whether a selected configuration's algorithm is of this kind (a learner, a planner). */
bool rl_plan_has_kind(const rl_plan *p, rl_agent_kind kind);

/* The runs that run: those of the selected configurations. */
static inline size_t rl_plan_selected_runs(const rl_plan *p)
{
    return p->n_selected * p->seeds;
}

/* Locates err (whose key is a bare parameter name such as "gamma", set by the library) at
 * the config entry behind it for configuration k: the [agent] or [env] entry of that name,
 * else the env's preset entry when the value came from the preset. Returns code, the
 * error's code (err may be NULL). */
int rl_plan_locate(const rl_plan *p, size_t k, int code, rl_error *err);

/* The most configurations and runs a plan may have: each configuration keeps its parameter
 * tables (about a kilobyte), each run a few words while the statistics are made. */
#define RL_PLAN_MAX_CONFIGURATIONS 100000
#define RL_PLAN_MAX_RUNS 10000000

/* The longest experiment name. */
#define RL_PLAN_NAME_MAX 128

/* Whether name can name an experiment: one path component (results/NAME) of 1 to
 * RL_PLAN_NAME_MAX letters, digits, '_', '-', '.' and '+', not starting with '.' or '-' (so
 * never "", "." or "..", never a hidden file or something that reads as an option). */
bool rl_plan_name_ok(const char *name);

/* The columns that name a configuration in the result files (configs.csv, and the end of
 * episodes.csv, summary.csv and scores.csv rows): its algorithm, then its value on each
 * sweep axis but the algorithm, as the config writes it. rl_plan_label_header gives their
 * names ("algorithm,alpha"): each axis by its key, or section.key where the key is also
 * another axis's or a column these files have already. rl_plan_label gives configuration
 * k's ("sarsa,0.1"). Both malloc'd; NULL when out of memory. */
char *rl_plan_label_header(const rl_plan *p);
char *rl_plan_label(const rl_plan *p, size_t k);

/* The most sweep axes a plan may have: a result file's row holds them all, and a CSV row is
 * read back with at most RL_CSV_MAX_FIELDS (64) fields. */
#define RL_PLAN_MAX_AXES 48

/* Keys whose values are paths, resolved against the config file's directory. */
bool rl_plan_is_path_key(const char *key);

/* The absolute path that value of entry e names (for config.ini, which must work from any
 * directory). */
int rl_plan_absolute_path(const rl_plan *p, const rl_config_entry *e, const char *value,
                          char *out, size_t size);

#endif

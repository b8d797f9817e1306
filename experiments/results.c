/* Writing a plan's results as the tidy CSV files of DESIGN.md ("Outputs"), each complete or
 * absent. Numbers use %.12g: enough to compare against the books' tables and stable across
 * platforms with IEEE doubles, so the files are byte-identical run after run.
 */
#include "experiments/results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "envs/gridworld.h"
#include "experiments/output.h"

typedef int (*write_fn)(FILE *f, const rl_plan *p, const rl_run_result *runs, size_t n,
                        const char *command_line, rl_error *err);

static int write_file(const char *dir, const char *name, write_fn fn, const rl_plan *p,
                      const rl_run_result *runs, size_t n, const char *command_line,
                      rl_error *err)
{
    rl_output_file o;
    int rc = rl_output_open(&o, dir, name, err);
    if (rc != RL_OK)
        return rc;
    rc = fn(o.f, p, runs, n, command_line, err);
    if (rc != RL_OK) {
        rl_output_abandon(&o);
        return rc;
    }
    return rl_output_commit(&o, err);
}

/* FNV-1a, 64 bits: identifies the map a result was computed on. */
static unsigned long long map_hash(const rl_map *map)
{
    unsigned long long h = 1469598103934665603ull;
    for (size_t i = 0; i < map->rows * map->cols; i++) {
        h ^= (unsigned char)map->cells[i];
        h *= 1099511628211ull;
        if ((i + 1) % map->cols == 0) {
            h ^= '\n';
            h *= 1099511628211ull;
        }
    }
    return h;
}

/* A key's resolved value when all configurations agree; NULL when they differ. */
static const char *common_value(const rl_plan *p, bool env, const char *key)
{
    const char *value = NULL;
    for (size_t k = 0; k < p->n_configurations; k++) {
        const rl_params *params =
            env ? p->configurations[k].env : p->configurations[k].agent_params;
        if (!rl_param_find(rl_params_table(params), key))
            continue;
        const char *v = rl_params_text(params, key);
        if (!value)
            value = v;
        else if (strcmp(value, v) != 0)
            return NULL;
    }
    return value;
}

static void write_section_keys(FILE *f, const rl_plan *p, const char *section,
                               const rl_param_spec *table)
{
    bool env = strcmp(section, "env") == 0;
    for (const rl_param_spec *s = table; s->name; s++) {
        if (!env && strcmp(section, "agent") == 0) {
            /* Written once per key across the plan's algorithms. */
            bool seen = false;
            for (const rl_param_spec *t = table; t != s; t++)
                seen |= strcmp(t->name, s->name) == 0;
            if (seen)
                continue;
        }
        const rl_config_entry *e = rl_config_find(p->config, section, s->name);
        const char *value = common_value(p, env, s->name);
        if (e && strchr(e->value, ',') && !(s->flags & RL_PARAM_NO_SWEEP))
            fprintf(f, "%s = %s\n", s->name, e->value); /* a sweep axis */
        else if (value && value[0])
            fprintf(f, "%s = %s\n", s->name, value);
        else if (!value)
            fprintf(f, "; %s differs between configurations (see configs.csv)\n", s->name);
    }
}

static int write_config_ini(FILE *f, const rl_plan *p, const rl_run_result *runs, size_t n,
                            const char *command_line, rl_error *err)
{
    (void)runs;
    (void)n;
    (void)command_line;
    fprintf(f, "; gridrl %s: the fully resolved config of experiment %s\n", GRIDRL_VERSION,
            p->name);
    fprintf(f, "; from %s; every key with its value, defaults and preset values included\n",
            p->config->path);
    for (size_t k = 0; k < p->n_configurations; k++) {
        rl_map *map;
        rl_error ignored;
        if (rl_gridworld_load_map(p->configurations[k].env, &map, &ignored) != RL_OK)
            return rl_error_set(err, RL_EIO, "cannot reload the map of configuration %zu", k);
        const rl_params *env = p->configurations[k].env;
        fprintf(f, "; map of configuration %zu: %s%s, %zux%zu, fnv1a64 %016llx\n", k,
                rl_params_has(env, "map") ? "" : "preset ",
                rl_params_has(env, "map") ? rl_params_string(env, "map")
                                          : rl_params_string(env, "preset"),
                map->rows, map->cols, map_hash(map));
        rl_map_free(map);
    }
    fprintf(f, "\n[experiment]\nname = %s\n", p->name);
    for (const rl_param_spec *s = rl_experiment_params; s->name; s++)
        if (strcmp(s->name, "name") != 0 && rl_params_has(p->experiment, s->name))
            fprintf(f, "%s = %s\n", s->name, rl_params_text(p->experiment, s->name));
    fprintf(f, "\n[env]\n");
    write_section_keys(f, p, "env", rl_gridworld_params);
    fprintf(f, "\n[agent]\nalgorithm = %s\n",
            rl_config_find(p->config, "agent", "algorithm")->value);
    for (size_t k = 0; k < p->n_configurations; k++) {
        bool first = true;
        for (size_t j = 0; j < k; j++)
            first &= p->configurations[j].agent != p->configurations[k].agent;
        if (first)
            write_section_keys(f, p, "agent", p->configurations[k].agent->params);
    }
    return RL_OK;
}

static int write_configs_csv(FILE *f, const rl_plan *p, const rl_run_result *runs, size_t n,
                             const char *command_line, rl_error *err)
{
    (void)runs;
    (void)n;
    (void)command_line;
    (void)err;
    fprintf(f, "config,algorithm");
    for (size_t i = 0; i < p->n_axes; i++)
        if (strcmp(p->axes[i].entry->key, "algorithm") != 0)
            fprintf(f, ",%s", p->axes[i].entry->key);
    fprintf(f, "\n");
    for (size_t k = 0; k < p->n_configurations; k++) {
        fprintf(f, "%zu,%s", k, p->configurations[k].agent->name);
        for (size_t i = 0; i < p->n_axes; i++)
            if (strcmp(p->axes[i].entry->key, "algorithm") != 0)
                fprintf(f, ",%s", p->axes[i].values[p->configurations[k].choice[i]]);
        fprintf(f, "\n");
    }
    return RL_OK;
}

static int write_runs_csv(FILE *f, const rl_plan *p, const rl_run_result *runs, size_t n,
                          const char *command_line, rl_error *err)
{
    (void)p;
    (void)command_line;
    (void)err;
    fprintf(f, "run,config,replicate,rng_seed,status,episodes,steps,iterations\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%zu,%zu,%zu,%lu,%s,0,0,%zu\n", runs[i].run, runs[i].configuration,
                runs[i].replicate, runs[i].rng_seed, runs[i].status, runs[i].n_iterations);
    return RL_OK;
}

static int write_timing_csv(FILE *f, const rl_plan *p, const rl_run_result *runs, size_t n,
                            const char *command_line, rl_error *err)
{
    (void)p;
    (void)command_line;
    (void)err;
    /* Planners take no env steps; their speed is in iterations per second. */
    fprintf(f, "run,seconds,steps_per_second,iterations_per_second\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%zu,%.6f,,%.6g\n", runs[i].run, runs[i].seconds,
                runs[i].seconds > 0 ? (double)runs[i].n_iterations / runs[i].seconds : 0.0);
    return RL_OK;
}

static int write_iterations_csv(FILE *f, const rl_plan *p, const rl_run_result *runs, size_t n,
                                const char *command_line, rl_error *err)
{
    (void)p;
    (void)command_line;
    (void)err;
    fprintf(f, "run,iteration,delta,value_rmse,policy_changes\n");
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < runs[i].n_iterations; j++) {
            const rl_iteration_row *row = &runs[i].iterations[j];
            fprintf(f, "%zu,%zu,%.12g,%.12g,%zu\n", runs[i].run, row->iteration, row->delta,
                    row->value_rmse, row->policy_changes);
        }
    return RL_OK;
}

static int write_values_csv(FILE *f, const rl_plan *p, const rl_run_result *runs, size_t n,
                            const char *command_line, rl_error *err)
{
    (void)p;
    (void)command_line;
    (void)err;
    fprintf(f, "run,state,row,col,cell,value\n");
    for (size_t i = 0; i < n; i++) {
        const rl_mdp *m = rl_env_model(runs[i].env);
        for (size_t s = 0; s < m->n_states; s++) {
            fprintf(f, "%zu,%zu,%zu,%zu,%c,", runs[i].run, s, rl_mdp_row(m, s),
                    rl_mdp_col(m, s), m->cell[s]);
            if (m->kind[s] != RL_STATE_WALL)
                fprintf(f, "%.12g", runs[i].values[s] + 0.0); /* + 0.0: no "-0" */
            fprintf(f, "\n");
        }
    }
    return RL_OK;
}

static int write_policy_csv(FILE *f, const rl_plan *p, const rl_run_result *runs, size_t n,
                            const char *command_line, rl_error *err)
{
    (void)p;
    (void)command_line;
    (void)err;
    fprintf(f, "run,state,row,col,action,probability\n");
    for (size_t i = 0; i < n; i++) {
        const rl_mdp *m = rl_env_model(runs[i].env);
        for (size_t s = 0; s < m->n_states; s++) {
            if (!rl_mdp_is_decision(m, s))
                continue; /* no decision is taken on walls and terminal cells */
            for (size_t a = 0; a < m->n_actions; a++)
                fprintf(f, "%zu,%zu,%zu,%zu,%s,%.12g\n", runs[i].run, s, rl_mdp_row(m, s),
                        rl_mdp_col(m, s), m->action_names[a],
                        runs[i].policy[s * m->n_actions + a]);
        }
    }
    return RL_OK;
}

static int write_manifest(FILE *f, const rl_plan *p, const rl_run_result *runs, size_t n,
                          const char *command_line, rl_error *err)
{
    (void)runs;
    (void)err;
    char host[256] = "unknown", date[64] = "unknown";
    gethostname(host, sizeof host - 1);
    time_t t = time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(f, "command: %s\nversion: %s\ncommit: %s\ndate: %s\nhost: %s\n", command_line,
            GRIDRL_VERSION, GRIDRL_GIT_COMMIT, date, host);
    fprintf(f, "config: %s\nexperiment: %s\nconfigurations: %zu\nseeds: %zu\nruns: %zu\n",
            p->config->path, p->name, p->n_configurations, p->seeds, n);
    return RL_OK;
}

int rl_results_write(const rl_plan *p, const rl_run_result *runs, size_t n, const char *dir,
                     const char *command_line, rl_error *err)
{
    static const struct {
        const char *name;
        write_fn fn;
    } FILES[] = {
        {"config.ini", write_config_ini},   {"configs.csv", write_configs_csv},
        {"runs.csv", write_runs_csv},       {"timing.csv", write_timing_csv},
        {"iterations.csv", write_iterations_csv}, {"values.csv", write_values_csv},
        {"policy.csv", write_policy_csv},   {"manifest.txt", write_manifest},
    };
    for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) {
        int rc = write_file(dir, FILES[i].name, FILES[i].fn, p, runs, n, command_line, err);
        if (rc != RL_OK)
            return rc;
    }
    return RL_OK;
}

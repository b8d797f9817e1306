/* Writing a plan's results as the tidy CSV files of README.md ("Running experiments", output files), each complete or
 * absent. Numbers use %.12g: enough to compare against the books' tables and stable across
 * platforms with IEEE doubles, so the files are byte-identical run after run.
 */
#include "experiments/runner/results.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "envs/gridworld.h"
#include "experiments/io/csv.h"
#include "experiments/io/output.h"
#include "experiments/runner/run_files.h"
#include "rl/alloc.h"
#include "rl/rng.h"
#include "rl/stats.h"
#include "rl/version.h"

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

/* A path key as absolute paths (a sweep: each of its values), so config.ini runs from any
 * directory. */
static void write_paths(FILE *f, const rl_plan *p, const rl_config_entry *e)
{
    const rl_plan_axis *axis = NULL;
    for (size_t i = 0; i < p->n_axes; i++)
        if (p->axes[i].entry == e)
            axis = &p->axes[i];
    fprintf(f, "%s = ", e->key);
    size_t n = axis ? axis->n_values : 1;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        const char *value = axis ? axis->values[i] : e->value;
        if (rl_plan_absolute_path(p, e, value, path, sizeof path) != RL_OK)
            snprintf(path, sizeof path, "%s", value);
        fprintf(f, "%s%s", i ? ", " : "", path);
    }
    fputc('\n', f);
}

/* Keys already written into a section: a key the plan's algorithms share is written once,
 * so the file loads again (a key given twice is an error). */
typedef struct written_keys {
    const char *name[512];
    size_t n;
} written_keys;

static bool once(written_keys *w, const char *name)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->name[i], name) == 0)
            return false;
    if (w->n < sizeof w->name / sizeof w->name[0])
        w->name[w->n++] = name;
    return true;
}

static void write_section_keys(FILE *f, const rl_plan *p, const char *section,
                               const rl_param_spec *table, written_keys *written)
{
    bool env = strcmp(section, "env") == 0;
    for (const rl_param_spec *s = table; s->name; s++) {
        if (written && !once(written, s->name))
            continue;
        const rl_config_entry *e = rl_config_find(p->config, section, s->name);
        const char *value = common_value(p, env, s->name);
        if (e && rl_plan_is_path_key(s->name)) {
            write_paths(f, p, e);
            continue;
        }
        if (e && strchr(e->value, ',') && !(s->flags & RL_PARAM_NO_SWEEP))
            fprintf(f, "%s = %s\n", s->name, e->value); /* a sweep axis */
        else if (value && value[0])
            fprintf(f, "%s = %s\n", s->name, value);
        else if (!value)
            fprintf(f, "; %s differs between configurations (see configs.csv)\n", s->name);
    }
}

static int write_config_ini(FILE *f, const rl_plan *p, rl_error *err)
{
    fprintf(f, "; gridrl: the fully resolved config of experiment %s: every key with its\n"
               "; value, defaults and preset values included\n",
            p->name);
    for (size_t k = 0; p->env_type == &rl_gridworld_type && k < p->n_configurations; k++) {
        rl_map *map;
        rl_error why;
        int rc = rl_gridworld_load_map(p->configurations[k].env, &map, &why);
        if (rc != RL_OK)
            return rl_error_set(err, rc == RL_ENOMEM ? RL_ENOMEM : RL_EIO,
                                "cannot reload the map of configuration %zu: %s", k,
                                why.message);
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
    if (rl_config_find(p->config, "env", "type"))
        fprintf(f, "type = %s\n", p->env_type->name);
    write_section_keys(f, p, "env", p->env_type->params, NULL);
    fprintf(f, "\n[agent]\nalgorithm = %s\n",
            rl_config_find(p->config, "agent", "algorithm")->value);
    written_keys *written = rl_calloc(1, sizeof *written);
    if (!written)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t k = 0; k < p->n_configurations; k++) {
        bool first = true;
        for (size_t j = 0; j < k; j++)
            first &= p->configurations[j].agent != p->configurations[k].agent;
        if (first)
            write_section_keys(f, p, "agent", rl_agent_params(p->configurations[k].agent),
                               written);
    }
    rl_free(written);
    return RL_OK;
}

static int write_configs_csv(FILE *f, const rl_plan *p, rl_error *err)
{
    (void)err;
    fprintf(f, "config,algorithm");
    for (size_t i = 0; i < p->n_axes; i++)
        if (strcmp(p->axes[i].entry->key, "algorithm") != 0)
            fprintf(f, ",%s", p->axes[i].entry->key);
    fprintf(f, "\n");
    for (size_t k = 0; k < p->n_configurations; k++) {
        fprintf(f, "%zu,%s", k, rl_agent_name(p->configurations[k].agent));
        for (size_t i = 0; i < p->n_axes; i++)
            if (strcmp(p->axes[i].entry->key, "algorithm") != 0)
                fprintf(f, ",%s", p->axes[i].values[p->configurations[k].choice[i]]);
        fprintf(f, "\n");
    }
    return RL_OK;
}

static int write_manifest(FILE *f, const rl_plan *p, const char *command_line, size_t n,
                          rl_error *err)
{
    (void)err;
    char host[256] = "unknown", date[64] = "unknown";
    gethostname(host, sizeof host - 1);
    time_t t = time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(f, "command: %s\nversion: %s\ncommit: %s\ndate: %s\nhost: %s\n", command_line,
            rl_version(), rl_build_commit(), date, host);
    fprintf(f, "config: %s\nexperiment: %s\nconfigurations: %zu\nseeds: %zu\nruns: %zu\n",
            p->config->path, p->name, p->n_configurations, p->seeds, n);
    return RL_OK;
}

typedef int (*header_fn)(FILE *f, const rl_plan *p, rl_error *err);

static int write_whole(const char *dir, const char *name, header_fn fn, const rl_plan *p,
                       rl_error *err)
{
    rl_output_file o;
    int rc = rl_output_open(&o, dir, name, err);
    if (rc != RL_OK)
        return rc;
    rc = fn(o.f, p, err);
    return rl_output_close(&o, rc, err);
}

int rl_results_config_text(const rl_plan *p, char **text, rl_error *err)
{
    size_t size;
    FILE *f = open_memstream(text, &size);
    if (!f)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    int rc = write_config_ini(f, p, err);
    if (fclose(f) != 0 && rc == RL_OK)
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    if (rc != RL_OK) {
        rl_free(*text);
        *text = NULL;
    }
    return rc;
}

int rl_results_begin(const rl_plan *p, const char *dir, rl_error *err)
{
    int rc = write_whole(dir, "config.ini", write_config_ini, p, err);
    if (rc == RL_OK)
        rc = write_whole(dir, "configs.csv", write_configs_csv, p, err);
    return rc;
}

static bool plan_has(const rl_plan *p, rl_agent_kind kind)
{
    for (size_t k = 0; k < p->n_configurations; k++)
        if (p->configurations[k].agent->kind == kind)
            return true;
    return false;
}

#define MERGED_EPISODES_HEADER "run,episode,return,discounted_return,length,outcome,value_rmse"

static const struct {
    const char *name, *header;
} MERGED[] = {
    {"runs.csv", "run,config,replicate,rng_seed,status,episodes,steps,iterations,diverged_step"},
    {"timing.csv", "run,seconds,steps_per_second"},
    {"iterations.csv", "run,iteration,delta,value_rmse,policy_changes"},
    {"episodes.csv", MERGED_EPISODES_HEADER},
    {"steps.csv", "run,step,episode,value_rmse"},
    {"values.csv", "run,state,row,col,cell,value"},
    {"policy.csv", "run,state,row,col,action,probability"},
    {"updates.csv", "run,update,episode,loss,value_rmse"},
    {"weights.csv", "run,index,feature,weight"},
    {"action_values.csv", "run,state,row,col,action,q,visits"},
};

const char *rl_results_run_columns(const char *name)
{
    for (size_t i = 0; i < sizeof MERGED / sizeof MERGED[0]; i++)
        if (strcmp(MERGED[i].name, name) == 0)
            return MERGED[i].header;
    return NULL;
}

/* A learner of the plan has a weight vector (linear learners). */
static bool plan_has_weights(const rl_plan *p)
{
    for (size_t k = 0; k < p->n_configurations; k++) {
        const rl_agent *a = p->configurations[k].agent;
        if (a->kind == RL_AGENT_LEARNER && a->learner->weights)
            return true;
    }
    return false;
}

/* A learner of the plan has an update hook (it trains on stored data). */
static bool plan_has_updates(const rl_plan *p)
{
    for (size_t k = 0; k < p->n_configurations; k++) {
        const rl_agent *a = p->configurations[k].agent;
        if (a->kind == RL_AGENT_LEARNER && a->learner->update)
            return true;
    }
    return false;
}

static bool wanted(const rl_plan *p, const char *name)
{
    if (strcmp(name, "iterations.csv") == 0)
        return plan_has(p, RL_AGENT_PLANNER);
    if (strcmp(name, "episodes.csv") == 0)
        return plan_has(p, RL_AGENT_LEARNER);
    if (strcmp(name, "steps.csv") == 0)
        return plan_has(p, RL_AGENT_LEARNER) && rl_params_int(p->experiment, "log_every_steps");
    if (strcmp(name, "weights.csv") == 0)
        return plan_has_weights(p);
    if (strcmp(name, "action_values.csv") == 0)
        return rl_params_bool(p->experiment, "action_values");
    if (strcmp(name, "updates.csv") == 0)
        return plan_has_updates(p) && (!rl_params_has(p->experiment, "log_every_updates") ||
                                       rl_params_int(p->experiment, "log_every_updates"));
    return true;
}

/* The header, then every run's rows in run order. */
static int merge_file(const rl_plan *p, const char *dir, const char *name, const char *header,
                      rl_error *err)
{
    rl_output_file o;
    int rc = rl_output_open(&o, dir, name, err);
    if (rc != RL_OK)
        return rc;
    fprintf(o.f, "%s\n", header);
    char buf[65536];
    for (size_t run = 0; rc == RL_OK && run < rl_plan_runs(p); run++) {
        char path[RL_OUTPUT_PATH_MAX];
        rl_run_file_path(dir, run, name, path, sizeof path);
        FILE *in = fopen(path, "r");
        if (!in && rl_run_file_optional(name))
            continue;
        if (!in) {
            rc = rl_error_set(err, RL_EIO, "run %zu has no %s (is the run complete?)", run, name);
            break;
        }
        for (size_t n; (n = fread(buf, 1, sizeof buf, in)) > 0;)
            fwrite(buf, 1, n, o.f);
        fclose(in);
    }
    return rl_output_close(&o, rc, err);
}

/* One run's episodes: returns, lengths and value errors, read back from its file. */
typedef struct episode_series {
    double *ret, *length, *rmse;
    size_t n;
} episode_series;

/* Frees e's arrays and empties it, so freeing twice is harmless. */
static void series_free(episode_series *e)
{
    rl_free(e->ret);
    rl_free(e->length);
    rl_free(e->rmse);
    memset(e, 0, sizeof *e);
}

static int read_series(const char *dir, size_t run, episode_series *e, rl_error *err)
{
    char path[RL_OUTPUT_PATH_MAX];
    rl_run_file_path(dir, run, "episodes.csv", path, sizeof path);
    memset(e, 0, sizeof *e);
    rl_csv c;
    int rc = rl_csv_open(&c, path, MERGED_EPISODES_HEADER, err);
    if (rc != RL_OK)
        return rc;
    size_t capacity = 0;
    /* The columns of MERGED_EPISODES_HEADER. */
    enum { RETURN = 2, LENGTH = 4, RMSE = 6 };
    while ((rc = rl_csv_next(&c, err)) == 1) {
        rc = RL_OK;
        if (e->n == capacity) {
            capacity = capacity ? 2 * capacity : 256;
            double *a = rl_realloc(e->ret, capacity * sizeof *a);
            double *b = a ? rl_realloc(e->length, capacity * sizeof *b) : NULL;
            double *d = b ? rl_realloc(e->rmse, capacity * sizeof *d) : NULL;
            if (a)
                e->ret = a;
            if (b)
                e->length = b;
            if (d)
                e->rmse = d;
            if (!d) {
                rc = rl_error_set(err, RL_ENOMEM, "out of memory");
                break;
            }
        }
        if (!rl_csv_double(&c, RETURN, &e->ret[e->n]) ||
            !rl_csv_double(&c, LENGTH, &e->length[e->n]) ||
            !rl_csv_double(&c, RMSE, &e->rmse[e->n])) {
            rc = rl_csv_error(&c, -1, err, "a return, length or value_rmse is not a number");
            break;
        }
        e->n++;
    }
    rl_csv_close(&c);
    if (rc != RL_OK)
        series_free(e);
    return rc;
}

static void put_summary(FILE *f, const double *x, size_t n)
{
    rl_summary s;
    rl_summary_compute(x, n, &s);
    const double v[4] = {s.mean, s.sd, s.ci95_low, s.ci95_high};
    for (int i = 0; i < 4; i++) {
        fputc(',', f);
        if (isfinite(v[i]))
            fprintf(f, "%.12g", v[i] + 0.0);
    }
}

/* Per configuration and episode: mean, sd and t-interval across the runs that have it. */
static int write_summary(FILE *f, const rl_plan *p, const episode_series *series, rl_error *err)
{
    fprintf(f, "config,episode,runs");
    static const char *const METRICS[] = {"return", "length", "value_rmse"};
    for (int m = 0; m < 3; m++)
        fprintf(f, ",mean_%s,sd_%s,ci95_low_%s,ci95_high_%s", METRICS[m], METRICS[m],
                METRICS[m], METRICS[m]);
    fputc('\n', f);
    double *x = rl_malloc(p->seeds * sizeof *x);
    if (!x)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t k = 0; k < p->n_configurations; k++) {
        if (p->configurations[k].agent->kind != RL_AGENT_LEARNER)
            continue;
        const episode_series *runs = series + k * p->seeds;
        size_t longest = 0;
        for (size_t i = 0; i < p->seeds; i++)
            longest = runs[i].n > longest ? runs[i].n : longest;
        for (size_t e = 0; e < longest; e++) {
            size_t n = 0;
            for (size_t i = 0; i < p->seeds; i++)
                n += e < runs[i].n;
            fprintf(f, "%zu,%zu,%zu", k, e + 1, n);
            for (int m = 0; m < 3; m++) {
                size_t count = 0;
                for (size_t i = 0; i < p->seeds; i++) {
                    if (e >= runs[i].n)
                        continue;
                    double v = m == 0 ? runs[i].ret[e] : m == 1 ? runs[i].length[e] : runs[i].rmse[e];
                    if (isfinite(v))
                        x[count++] = v;
                }
                put_summary(f, x, count);
            }
            fputc('\n', f);
        }
    }
    rl_free(x);
    return RL_OK;
}

#define BOOTSTRAP_RESAMPLES 10000

/* Per configuration: the runs' scores (mean return over the last score_episodes episodes),
 * their mean and interquartile mean with a percentile-bootstrap 95% interval of the IQM. The
 * bootstrap is seeded from (seed, configuration) so the file is reproducible. */
static int write_scores(FILE *f, const rl_plan *p, const episode_series *series, rl_error *err)
{
    size_t last = (size_t)rl_params_int(p->experiment, "score_episodes");
    char definition[96];
    if (last)
        snprintf(definition, sizeof definition, "mean return over the last %zu episodes", last);
    else
        snprintf(definition, sizeof definition, "mean return over all episodes");
    fprintf(f, "config,runs,score,mean,iqm,iqm_ci95_low,iqm_ci95_high\n");
    double *scores = rl_malloc(p->seeds * sizeof *scores);
    double *sorted = rl_malloc(p->seeds * sizeof *sorted);
    double *work = rl_malloc((p->seeds + BOOTSTRAP_RESAMPLES) * sizeof *work);
    int rc = scores && sorted && work ? RL_OK : rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t k = 0; rc == RL_OK && k < p->n_configurations; k++) {
        if (p->configurations[k].agent->kind != RL_AGENT_LEARNER)
            continue;
        size_t n = 0;
        for (size_t i = 0; i < p->seeds; i++) {
            const episode_series *run = &series[k * p->seeds + i];
            if (!run->n)
                continue;
            size_t from = last && last < run->n ? run->n - last : 0;
            double sum = 0.0;
            for (size_t e = from; e < run->n; e++)
                sum += run->ret[e];
            scores[n++] = sum / (double)(run->n - from);
        }
        fprintf(f, "%zu,%zu,%s,", k, n, definition);
        if (!n) {
            fprintf(f, ",,,\n");
            continue;
        }
        rl_summary s;
        rl_summary_compute(scores, n, &s);
        memcpy(sorted, scores, n * sizeof *sorted);
        double iqm = rl_iqm(sorted, n), low = iqm, high = iqm;
        if (n >= 2)
            rc = rl_iqm_bootstrap(scores, n, BOOTSTRAP_RESAMPLES,
                                  rl_rng_seed(p->seed, k, p->seeds), &low, &high, work, err);
        fprintf(f, "%.12g,%.12g,%.12g,%.12g\n", s.mean + 0.0, iqm + 0.0, low + 0.0, high + 0.0);
    }
    rl_free(scores);
    rl_free(sorted);
    rl_free(work);
    return rc;
}

typedef int (*series_fn)(FILE *f, const rl_plan *p, const episode_series *series,
                         rl_error *err);

static int write_series_file(const char *dir, const char *name, series_fn fn, const rl_plan *p,
                             const episode_series *series, rl_error *err)
{
    rl_output_file o;
    int rc = rl_output_open(&o, dir, name, err);
    if (rc != RL_OK)
        return rc;
    return rl_output_close(&o, fn(o.f, p, series, err), err);
}

static int write_statistics(const rl_plan *p, const char *dir, rl_error *err)
{
    size_t n = rl_plan_runs(p);
    episode_series *series = rl_calloc(n, sizeof *series);
    if (!series)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    int rc = RL_OK;
    for (size_t run = 0; rc == RL_OK && run < n; run++)
        if (p->configurations[run / p->seeds].agent->kind == RL_AGENT_LEARNER)
            rc = read_series(dir, run, &series[run], err);
    if (rc == RL_OK)
        rc = write_series_file(dir, "summary.csv", write_summary, p, series, err);
    if (rc == RL_OK)
        rc = write_series_file(dir, "scores.csv", write_scores, p, series, err);
    for (size_t run = 0; run < n; run++)
        series_free(&series[run]);
    rl_free(series);
    return rc;
}

int rl_results_finish(const rl_plan *p, const char *dir, const char *command_line,
                      rl_error *err)
{
    int rc = RL_OK;
    for (size_t i = 0; rc == RL_OK && i < sizeof MERGED / sizeof MERGED[0]; i++)
        if (wanted(p, MERGED[i].name))
            rc = merge_file(p, dir, MERGED[i].name, MERGED[i].header, err);
    if (rc == RL_OK && plan_has(p, RL_AGENT_LEARNER))
        rc = write_statistics(p, dir, err);
    if (rc != RL_OK)
        return rc;
    rl_output_file o;
    rc = rl_output_open(&o, dir, "manifest.txt", err);
    if (rc == RL_OK) {
        write_manifest(o.f, p, command_line, rl_plan_runs(p), err);
        rc = rl_output_commit(&o, err);
    }
    return rc;
}

int rl_results_clear(const char *dir, rl_error *err)
{
    static const char *const OTHERS[] = {"config.ini", "configs.csv", "summary.csv",
                                         "scores.csv", "manifest.txt", NULL};
    char path[RL_OUTPUT_PATH_MAX + 32];
    for (size_t i = 0; i < sizeof MERGED / sizeof MERGED[0]; i++) {
        snprintf(path, sizeof path, "%.4000s/%s", dir, MERGED[i].name);
        if (remove(path) != 0 && errno != ENOENT)
            return rl_error_set(err, RL_EIO, "cannot remove '%s': %s", path, strerror(errno));
    }
    for (const char *const *name = OTHERS; *name; name++) {
        snprintf(path, sizeof path, "%.4000s/%s", dir, *name);
        if (remove(path) != 0 && errno != ENOENT)
            return rl_error_set(err, RL_EIO, "cannot remove '%s': %s", path, strerror(errno));
    }
    return rl_run_files_clear(dir, err);
}

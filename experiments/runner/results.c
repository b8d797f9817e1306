/* Writing a plan's results as the tidy CSV files of README.md ("Running experiments", output files), each complete or
 * absent. Numbers use %.12g: enough to compare against the books' tables and stable across
 * platforms with IEEE doubles, so the files are byte-identical run after run.
 */
#include "experiments/runner/results.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "envs/gridworld.h"
#include "envs/mdp_env.h"
#include "envs/mdp_file.h"
#include "experiments/io/output.h"
#include "experiments/runner/run.h"
#include "experiments/runner/run_files.h"
#include "experiments/runner/statistics.h"
#include "rl/alloc.h"
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

/* "key = value", with a value too long for one line of a config file continued on indented
 * lines, so config.ini loads again however many values a sweep has. The loader joins a
 * continuation line with one space, so a line may end before a single space (dropped) or
 * after a comma (a list's values are trimmed); written again, the joined value is cut at the
 * same places, so the file gives itself back. A value with nowhere to cut stays long. */
static void put_key(FILE *f, const char *key, const char *value)
{
    size_t used = (size_t)fprintf(f, "%s = ", key);
    const char *p = value;
    while (used + strlen(p) > RL_CONFIG_LINE_MAX) {
        /* The last place to cut that keeps this line within the cap: the line ends at
         * end, the next starts at next. */
        const char *end = NULL, *next = NULL;
        for (const char *q = p + 1; q[0] && q[1]; q++) {
            bool space = q[0] == ' ' && q[-1] != ' ' && q[1] != ' ';
            bool comma = q[0] == ',' && q[1] != ' ';
            const char *line_end = comma ? q + 1 : q;
            if (used + (size_t)(line_end - p) > RL_CONFIG_LINE_MAX)
                break;
            if (space || comma) {
                end = line_end;
                next = q + 1;
            }
        }
        if (!end)
            break;
        fprintf(f, "%.*s\n    ", (int)(end - p), p);
        used = 4;
        p = next;
    }
    fprintf(f, "%s\n", p);
}

/* "; TEXT" (printf-style), on as many comment lines as the loader's cap needs (a long path):
 * config.ini must load again. */
static void put_comment(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_comment(FILE *f, const char *fmt, ...)
{
    char text[RL_OUTPUT_PATH_MAX + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    const int width = RL_CONFIG_LINE_MAX - 2; /* after "; " */
    size_t len = strlen(text);
    for (size_t at = 0; at == 0 || at < len; at += (size_t)width)
        fprintf(f, "; %.*s\n", width, text + at);
}

/* The sweep axis of entry e, or NULL. */
static const rl_plan_axis *axis_of(const rl_plan *p, const rl_config_entry *e)
{
    for (size_t i = 0; e && i < p->n_axes; i++)
        if (p->axes[i].entry == e)
            return &p->axes[i];
    return NULL;
}

/* A key's values in config.ini: an axis's values joined by ", " (or the entry's value),
 * path keys as absolute paths, so config.ini runs from any directory. */
static int write_values(FILE *f, const rl_plan *p, const rl_config_entry *e, rl_error *err)
{
    const rl_plan_axis *axis = axis_of(p, e);
    char *text = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&text, &size);
    if (!m)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    size_t n = axis ? axis->n_values : 1;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        const char *value = axis ? axis->values[i] : e->value;
        if (rl_plan_is_path_key(e->key) &&
            rl_plan_absolute_path(p, e, value, path, sizeof path) == RL_OK)
            value = path;
        fprintf(m, "%s%s", i ? ", " : "", value);
    }
    if (fclose(m) != 0) {
        free(text);
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    }
    put_key(f, e->key, text);
    free(text);
    return RL_OK;
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

/* A section's keys in table order, each with its resolved value; the sweep axes are left
 * to write_axes, which keeps their order. */
static int write_section_keys(FILE *f, const rl_plan *p, const char *section,
                              const rl_param_spec *table, written_keys *written, rl_error *err)
{
    bool env = strcmp(section, "env") == 0;
    for (const rl_param_spec *s = table; s->name; s++) {
        const rl_config_entry *e = rl_config_find(p->config, section, s->name);
        if (axis_of(p, e) || (written && !once(written, s->name)))
            continue;
        const char *value = common_value(p, env, s->name);
        int rc = RL_OK;
        if (e && rl_plan_is_path_key(s->name))
            rc = write_values(f, p, e, err);
        else if (value && value[0])
            put_key(f, s->name, value);
        else if (!value)
            fprintf(f, "; %s differs between configurations (see configs.csv)\n", s->name);
        if (rc != RL_OK)
            return rc;
    }
    return RL_OK;
}

/* The sweep axes from *next on, in the plan's order (which numbers the configurations): while
 * they belong to section (NULL: any), each after a header when its section is not the one
 * written last (*current). */
static int write_axes(FILE *f, const rl_plan *p, const char *section, size_t *next,
                      const char **current, rl_error *err)
{
    for (; *next < p->n_axes; ++*next) {
        const rl_config_entry *e = p->axes[*next].entry;
        if (section && strcmp(e->section, section) != 0)
            break;
        if (strcmp(e->section, *current) != 0) {
            fprintf(f, "\n[%s]\n", e->section);
            *current = e->section;
        }
        int rc = write_values(f, p, e, err);
        if (rc != RL_OK)
            return rc;
    }
    return RL_OK;
}

/* [experiment] max_steps as the runs use it: unless the config sets it, each configuration's
 * preset may supply one, so the value written is the one they share; when presets differ
 * it is left out, and each configuration's preset supplies it again. */
static void write_max_steps(FILE *f, const rl_plan *p)
{
    if (rl_params_is_set(p->experiment, "max_steps") || !p->n_configurations) {
        fprintf(f, "max_steps = %s\n", rl_params_text(p->experiment, "max_steps"));
        return;
    }
    long shared = rl_run_max_steps(p, &p->configurations[0]);
    for (size_t k = 1; k < p->n_configurations; k++)
        if (rl_run_max_steps(p, &p->configurations[k]) != shared) {
            fprintf(f, "; max_steps differs between configurations (their presets' time "
                       "limits)\n");
            return;
        }
    fprintf(f, "max_steps = %ld\n", shared);
}

/* path made absolute against the working directory (as the run resolved it), so that the
 * config.ini of a re-run names the same file the same way. */
static void absolute_path(const char *path, char *out, size_t size)
{
    char cwd[4096];
    const char *rest = strncmp(path, "./", 2) == 0 ? path + 2 : path;
    if (path[0] == '/' || !getcwd(cwd, sizeof cwd) || strlen(cwd) + strlen(rest) + 2 > size) {
        snprintf(out, size, "%s", path);
        return;
    }
    strcpy(out, cwd);
    strcat(out, "/");
    strcat(out, rest);
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
        char path[4096];
        if (rl_params_has(env, "map"))
            absolute_path(rl_params_string(env, "map"), path, sizeof path);
        put_comment(f, "map of configuration %zu: %s%s, %zux%zu, fnv1a64 %016llx", k,
                    rl_params_has(env, "map") ? "" : "preset ",
                    rl_params_has(env, "map") ? path : rl_params_string(env, "preset"),
                    map->rows, map->cols, map_hash(map));
        rl_map_free(map);
        if ((rc = rl_gridworld_load_map_after(env, &map, &why)) != RL_OK)
            return rl_error_set(err, rc == RL_ENOMEM ? RL_ENOMEM : RL_EIO,
                                "cannot reload the second map of configuration %zu: %s", k,
                                why.message);
        if (map)
            put_comment(f, "map of configuration %zu after %ld steps: %s%s, fnv1a64 %016llx", k,
                        rl_params_int(env, "change_at"),
                        rl_params_has(env, "map_after") ? "" : "preset ",
                        rl_params_has(env, "map_after") ? rl_params_string(env, "map_after")
                                                        : rl_params_string(env, "preset"),
                        map_hash(map));
        rl_map_free(map);
    }
    for (size_t k = 0; p->env_type == &rl_mdp_env_type && k < p->n_configurations; k++) {
        rl_mdp_file *mdp;
        rl_error why;
        const char *path = rl_params_string(p->configurations[k].env, "file");
        int rc = rl_mdp_file_load(path, &mdp, &why);
        if (rc != RL_OK)
            return rl_error_set(err, rc == RL_ENOMEM ? RL_ENOMEM : RL_EIO,
                                "cannot reload the MDP file of configuration %zu: %s", k,
                                why.message);
        put_comment(f, "MDP file of configuration %zu: %s, %zu states, %zu actions, fnv1a64 "
                       "%016llx",
                    k, path, mdp->n_states, mdp->n_actions, mdp->hash);
        rl_mdp_file_free(mdp);
    }
    fprintf(f, "\n[experiment]\nname = %s\n", p->name);
    for (const rl_param_spec *s = rl_experiment_params; s->name; s++) {
        if (strcmp(s->name, "max_steps") == 0)
            write_max_steps(f, p);
        else if (strcmp(s->name, "name") != 0 && rl_params_has(p->experiment, s->name))
            put_key(f, s->name, rl_params_text(p->experiment, s->name));
    }
    /* The axes keep the order they had in the config, which numbers the configurations:
     * each section's axes come after its other keys, and any axis out of the sections'
     * order goes after [agent] under its section's header again. */
    size_t next_axis = 0;
    const char *current = "env";
    fprintf(f, "\n[env]\n");
    if (rl_config_find(p->config, "env", "type"))
        fprintf(f, "type = %s\n", p->env_type->name);
    int rc = write_section_keys(f, p, "env", p->env_type->params, NULL, err);
    if (rc == RL_OK)
        rc = write_axes(f, p, "env", &next_axis, &current, err);
    if (rc != RL_OK)
        return rc;
    fprintf(f, "\n[agent]\n");
    current = "agent";
    const rl_config_entry *algorithm = rl_config_find(p->config, "agent", "algorithm");
    if (!axis_of(p, algorithm))
        put_key(f, "algorithm", algorithm->value);
    written_keys *written = rl_calloc(1, sizeof *written);
    if (!written)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t k = 0; rc == RL_OK && k < p->n_configurations; k++) {
        bool first = true;
        for (size_t j = 0; j < k; j++)
            first &= p->configurations[j].agent != p->configurations[k].agent;
        if (first)
            rc = write_section_keys(f, p, "agent",
                                    rl_agent_params(p->configurations[k].agent), written, err);
    }
    rl_free(written);
    if (rc == RL_OK)
        rc = write_axes(f, p, "agent", &next_axis, &current, err);
    if (rc == RL_OK)
        rc = write_axes(f, p, NULL, &next_axis, &current, err);
    return rc;
}

static int write_configs_csv(FILE *f, const rl_plan *p, rl_error *err)
{
    char *header = rl_plan_label_header(p);
    if (!header)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    fprintf(f, "config,%s\n", header);
    rl_free(header); /* open_memstream's buffer: plain free, as rl_free is */
    for (size_t k = 0; k < p->n_configurations; k++) {
        char *label = rl_plan_label(p, k);
        if (!label)
            return rl_error_set(err, RL_ENOMEM, "out of memory");
        fprintf(f, "%zu,%s\n", k, label);
        rl_free(label);
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
            p->config->path, p->name, p->n_selected, p->seeds, n);
    if (p->selected)
        fprintf(f, "only: %s (%zu of the plan's %zu configurations)\n",
                rl_params_string(p->experiment, "only"), p->n_selected, p->n_configurations);
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

int rl_results_configs_text(const rl_plan *p, char **text, rl_error *err)
{
    size_t size;
    FILE *f = open_memstream(text, &size);
    if (!f)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    int rc = write_configs_csv(f, p, err);
    if (fclose(f) != 0 && rc == RL_OK)
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    if (rc != RL_OK) {
        free(*text);
        *text = NULL;
    }
    return rc;
}

/* Line by line, so the first line that differs can be named. */
int rl_results_compare_config(const char *dir, const char *text, int *line, rl_error *err)
{
    char path[RL_OUTPUT_PATH_MAX + 32];
    snprintf(path, sizeof path, "%.4000s/config.ini", dir);
    *line = 0;
    /* Never through a link planted in the folder: a link there is an error. */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        return rl_error_set(err, RL_EIO, "'%s' is not a file", path);
    }
    FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
    if (!f) {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        if (saved == ELOOP)
            return rl_error_set(err, RL_EIO,
                                "'%s' is a symbolic link (gridrl does not follow links inside "
                                "an output directory)",
                                path);
        return rl_error_set(err, saved == ENOENT ? RL_ENOTFOUND : RL_EIO,
                            "cannot read '%s': %s", path, strerror(saved));
    }
    char buf[1024];
    const char *expected = text;
    bool same = true, line_start = true;
    while (same && fgets(buf, sizeof buf, f)) {
        size_t len = strlen(buf);
        *line += line_start;
        line_start = len && buf[len - 1] == '\n';
        same = strncmp(expected, buf, len) == 0;
        expected += same ? len : 0;
    }
    bool failed = ferror(f) != 0;
    fclose(f);
    if (failed)
        return rl_error_set(err, RL_EIO, "cannot read '%s'", path);
    if (same && !*expected)
        return RL_OK;
    if (same)
        ++*line; /* the file ends where text goes on */
    rl_error_set(err, RL_EINVAL, "'%s' holds the results of another config", dir);
    return rl_error_locate(err, RL_EINVAL, path, *line, 0, NULL);
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
    return rl_plan_has_kind(p, kind);
}

#define MERGED_EPISODES_HEADER "run,episode,return,discounted_return,length,outcome,value_rmse"

static const struct {
    const char *name, *header;
} MERGED[] = {
    {"runs.csv",
     "run,config,replicate,rng_seed,status,episodes,steps,iterations,diverged_step,score"},
    {"timing.csv", "run,seconds,steps_per_second"},
    {"iterations.csv", "run,iteration,delta,value_rmse,policy_changes"},
    {"episodes.csv", MERGED_EPISODES_HEADER},
    {"steps.csv", "run,step,episode,value_rmse"},
    {"values.csv", "run,state,row,col,cell,value"},
    {"policy.csv", "run,state,row,col,action,probability"},
    {"updates.csv", "run,update,episode,loss,value_rmse"},
    {"weights.csv", "run,index,feature,weight"},
    {"action_values.csv", "run,state,row,col,action,q,visits"},
    {"choices.csv", "run,episode,decisions,chosen,fraction"},
};

/* steps.csv's header with log_cumulative_reward. */
#define STEPS_REWARD_HEADER "run,step,episode,value_rmse,cumulative_reward"

char *rl_results_run_columns(const char *name, bool cumulative_reward, const char *label)
{
    const char *header = NULL;
    for (size_t i = 0; i < sizeof MERGED / sizeof MERGED[0]; i++)
        if (strcmp(MERGED[i].name, name) == 0)
            header = MERGED[i].header;
    if (cumulative_reward && strcmp(name, "steps.csv") == 0)
        header = STEPS_REWARD_HEADER;
    if (!header)
        return NULL;
    /* episodes.csv's rows end with their configuration's number and label (result.h). */
    bool labelled = strcmp(name, "episodes.csv") == 0;
    size_t size = strlen(header) + (labelled ? strlen(",config,") + strlen(label ? label : "")
                                             : 0) + 1;
    char *columns = rl_malloc(size);
    if (columns)
        snprintf(columns, size, "%s%s%s%s", header, labelled ? ",config" : "",
                 labelled && label && label[0] ? "," : "", labelled && label ? label : "");
    return columns;
}

/* A learner of the plan has a weight vector (linear learners). */
static bool plan_has_weights(const rl_plan *p)
{
    for (size_t k = 0; k < p->n_configurations; k++) {
        const rl_agent *a = p->configurations[k].agent;
        if (rl_plan_selected(p, k) && a->kind == RL_AGENT_LEARNER && a->learner->weights)
            return true;
    }
    return false;
}

/* A learner of the plan has an update hook (it trains on stored data). */
static bool plan_has_updates(const rl_plan *p)
{
    for (size_t k = 0; k < p->n_configurations; k++) {
        const rl_agent *a = p->configurations[k].agent;
        if (rl_plan_selected(p, k) && a->kind == RL_AGENT_LEARNER && a->learner->update)
            return true;
    }
    return false;
}

static bool wanted(const rl_plan *p, const char *name)
{
    if (strcmp(name, "choices.csv") == 0) /* and some run wrote it: see merge_files */
        return plan_has(p, RL_AGENT_LEARNER);
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

#define N_MERGED (sizeof MERGED / sizeof MERGED[0])

/* A file that exists only when some run wrote rows for it: choices.csv, which only an env
 * with marked choices (the plan cannot tell which without loading it) writes. */
static bool only_if_written(const char *name)
{
    return strcmp(name, "choices.csv") == 0;
}

/* Opens the merged file MERGED[i] with its header: label names the configuration columns
 * that end episodes.csv's rows (rl_plan_label_header). */
static int open_merged(const rl_plan *p, const char *dir, size_t i, const char *label,
                       rl_output_file *out, rl_error *err)
{
    char *columns = rl_results_run_columns(
        MERGED[i].name, rl_params_bool(p->experiment, "log_cumulative_reward"), label);
    if (!columns)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    int rc = rl_output_open(out, dir, MERGED[i].name, err);
    if (rc == RL_OK)
        fprintf(out->f, "%s\n", columns);
    rl_free(columns);
    return rc;
}

/* Every merged file at once, in one pass over the runs' files: each file's header, then
 * every run's section of it in run order. On failure none of them is left. A file that
 * exists only if written is opened at the first run with rows for it: the runs before have
 * none, so its bytes are those of opening it first. */
static int merge_files(const rl_plan *p, const char *dir, rl_error *err)
{
    rl_output_file out[N_MERGED];
    bool open[N_MERGED] = {false}, pending[N_MERGED] = {false};
    int rc = RL_OK;
    char *label = rl_plan_label_header(p);
    if (!label)
        rc = rl_error_set(err, RL_ENOMEM, "out of memory");
    for (size_t i = 0; rc == RL_OK && i < N_MERGED; i++) {
        if (!wanted(p, MERGED[i].name))
            continue;
        if (only_if_written(MERGED[i].name)) {
            pending[i] = true;
            continue;
        }
        rc = open_merged(p, dir, i, label, &out[i], err);
        open[i] = rc == RL_OK;
    }
    for (size_t run = 0; rc == RL_OK && run < rl_plan_runs(p); run++) {
        if (!rl_plan_run_selected(p, run))
            continue;
        rl_run_file rf;
        rc = rl_run_file_open(dir, run, &rf, err);
        for (size_t i = 0; rc == RL_OK && i < N_MERGED; i++) {
            if (pending[i] && rl_run_file_has(&rf, MERGED[i].name)) {
                pending[i] = false;
                rc = open_merged(p, dir, i, label, &out[i], err);
                open[i] = rc == RL_OK;
            }
            if (!open[i])
                continue;
            if (!rl_run_file_has(&rf, MERGED[i].name) && !rl_run_file_optional(MERGED[i].name))
                rc = rl_error_set(err, RL_EPARSE, "run %zu has no %s rows in '%s'", run,
                                  MERGED[i].name, rf.path);
            else
                rc = rl_run_file_copy(&rf, MERGED[i].name, out[i].f, err);
        }
        rl_run_file_close(&rf);
    }
    for (size_t i = 0; i < N_MERGED; i++)
        if (open[i])
            rc = rl_output_close(&out[i], rc, err);
    rl_free(label); /* open_memstream's buffer: plain free, as rl_free is */
    return rc;
}

int rl_results_finish(const rl_plan *p, const char *dir, const char *command_line,
                      size_t threads, rl_error *err)
{
    int rc = merge_files(p, dir, err);
    if (rc == RL_OK && plan_has(p, RL_AGENT_LEARNER))
        rc = rl_statistics_write(p, dir, threads, err);
    if (rc != RL_OK)
        return rc;
    rl_output_file o;
    rc = rl_output_open(&o, dir, "manifest.txt", err);
    if (rc == RL_OK) {
        write_manifest(o.f, p, command_line, rl_plan_selected_runs(p), err);
        rc = rl_output_commit(&o, err);
    }
    return rc;
}

bool rl_results_finished(const char *dir)
{
    char path[RL_OUTPUT_PATH_MAX + 32];
    snprintf(path, sizeof path, "%.4000s/manifest.txt", dir);
    struct stat st;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
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

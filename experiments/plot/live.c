/* The live view: see live.h.
 *
 * The thread sleeps on a condition variable of its own (only gridrl's main thread, stopping
 * the view, ever takes its mutex), wakes every interval, reads the run files that
 * appeared since, and draws a frame when something new finished. A frame is one gnuplot
 * program: the curves as inline data blocks, then the plot command, so no file is written
 * anywhere.
 */
#define _POSIX_C_SOURCE 200809L

#include "experiments/plot/live.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "experiments/io/csv.h"
#include "experiments/io/output.h"
#include "experiments/plot/gnuplot.h"
#include "experiments/plot/plot_data.h"
#include "experiments/plot/series.h"
#include "experiments/runner/results.h"
#include "experiments/runner/run_files.h"
#include "rl/alloc.h"

/* One configuration's sums over its finished runs, per episode. */
typedef struct sums {
    double *sum;
    size_t *count;
    size_t n, capacity; /* episodes */
} sums;

/* The most episodes a run's rows may claim: an episode number is an index into the sums, and
 * the file is untrusted. */
#define MAX_EPISODES 100000000u

/* A growing text: the gnuplot program of a frame. */
typedef struct text {
    char *s;
    size_t len, capacity;
    bool failed;
} text;

struct rl_live {
    rl_live_options o;
    char gnuplot[RL_OUTPUT_PATH_MAX];
    const char *window; /* the window terminal, or NULL for text frames */
    rl_gnuplot_session session;
    rl_plot_experiment experiment;
    char *label; /* the columns that end a run's episodes.csv rows: configs.csv's but config */
    rl_plot_series *series;
    size_t n_series;
    sums *configs;
    bool *seen; /* n_runs */
    size_t finished, drawn_at; /* runs read; runs read when the last frame was drawn */
    bool broken;               /* gnuplot failed: no more frames */
    pthread_t thread;
    pthread_mutex_t mutex;
    pthread_cond_t wake;
    bool stopping;
};

static void note(rl_live *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(rl_live *l, const char *fmt, ...)
{
    if (!l->o.log)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(l->o.log, "gridrl: live view: ");
    vfprintf(l->o.log, fmt, ap);
    fputc('\n', l->o.log);
    va_end(ap);
    fflush(l->o.log);
}

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_quoted(text *t, const char *s);

static void put(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->capacity - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0 || t->failed) {
            t->failed = true;
            return;
        }
        if (t->s && t->len + (size_t)n < t->capacity) {
            t->len += (size_t)n;
            return;
        }
        size_t capacity = t->capacity ? 2 * t->capacity : 4096;
        while (capacity <= t->len + (size_t)n)
            capacity *= 2;
        char *grown = realloc(t->s, capacity);
        if (!grown) {
            t->failed = true;
            return;
        }
        t->s = grown;
        t->capacity = capacity;
    }
}

/* s as a gnuplot string in double quotes: '"' and '\\' escaped. */
static void put_quoted(text *t, const char *s)
{
    put(t, "\"");
    for (const char *c = s; *c; c++)
        put(t, "%s%c", *c == '"' || *c == '\\' ? "\\" : "", *c);
    put(t, "\"");
}

/* Adds value at episode (1-based) to s. */
static bool sums_add(sums *s, size_t episode, double value)
{
    if (episode > s->capacity) {
        size_t capacity = s->capacity ? s->capacity : 256;
        while (capacity < episode)
            capacity *= 2;
        double *sum = realloc(s->sum, capacity * sizeof *sum);
        if (!sum)
            return false;
        s->sum = sum;
        size_t *count = realloc(s->count, capacity * sizeof *count);
        if (!count)
            return false;
        s->count = count;
        for (size_t i = s->capacity; i < capacity; i++) {
            s->sum[i] = 0.0;
            s->count[i] = 0;
        }
        s->capacity = capacity;
    }
    s->sum[episode - 1] += value;
    s->count[episode - 1]++;
    s->n = episode > s->n ? episode : s->n;
    return true;
}

/* Section name of an open run file of l's experiment as CSV rows (the experiment file's
 * columns): its text in *data (free it after closing c). False when it is absent or
 * unreadable. */
static bool open_section(const rl_live *l, rl_run_file *rf, const char *name, char **data,
                         rl_csv *c)
{
    size_t size;
    *data = NULL;
    if (rl_run_file_read(rf, name, data, &size, NULL) != RL_OK || !*data)
        return false;
    char *columns = rl_results_run_columns(name, l->experiment.cumulative_reward, l->label);
    bool ok = columns && rl_csv_open_memory(c, rf->path, *data, size, columns, NULL) == RL_OK;
    rl_free(columns); /* rl_results_run_columns allocates through rl/alloc.h */
    if (!ok) {
        free(*data);
        *data = NULL;
    }
    return ok;
}

/* Reads one finished run's rows into its configuration's sums. A run that cannot be read is
 * left out of the view (the experiment's own checks report bad files). Episodes thinned by
 * log_every_episodes leave gaps, which the bins skip. */
static void read_run(rl_live *l, size_t run)
{
    rl_run_file rf;
    if (rl_run_file_open(l->o.dir, run, &rf, NULL) != RL_OK)
        return;
    rl_csv in;
    char *data;
    size_t config = (size_t)-1;
    if (open_section(l, &rf, "runs.csv", &data, &in)) {
        int col = rl_csv_column(&in, "config", NULL);
        if (col < 0 || rl_csv_next(&in, NULL) != 1 || !rl_csv_size(&in, col, &config))
            config = (size_t)-1;
        rl_csv_close(&in);
        free(data);
    }
    /* Untrusted: a configuration past configs.csv's is no series. A planner has no
     * episodes. */
    if (config < l->experiment.n_configs && open_section(l, &rf, "episodes.csv", &data, &in)) {
        int col_episode = rl_csv_column(&in, "episode", NULL);
        int col_return = rl_csv_column(&in, "return", NULL);
        while (col_episode >= 0 && col_return >= 0 && rl_csv_next(&in, NULL) == 1) {
            size_t episode;
            double value;
            if (rl_csv_size(&in, col_episode, &episode) && episode > 0 &&
                episode <= MAX_EPISODES && rl_csv_double(&in, col_return, &value) &&
                isfinite(value) && !sums_add(&l->configs[config], episode, value))
                break;
        }
        rl_csv_close(&in);
        free(data);
    }
    rl_run_file_close(&rf);
}

/* Reads every run file that appeared since the last scan. */
static void scan(rl_live *l)
{
    char path[RL_OUTPUT_PATH_MAX];
    snprintf(path, sizeof path, "%.4000s/runs", l->o.dir);
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *entry;
    while ((entry = readdir(d))) {
        /* Finished runs are NNNNNN.rows; one being written is .NNNNNN.rows.tmp. */
        const char *name = entry->d_name;
        size_t digits = strspn(name, "0123456789");
        if (digits < 6 || strcmp(name + digits, ".rows") != 0)
            continue;
        errno = 0;
        unsigned long long run = strtoull(name, NULL, 10);
        if (errno || run >= l->o.n_runs || l->seen[run])
            continue;
        l->seen[run] = true;
        l->finished++;
        read_run(l, (size_t)run);
    }
    closedir(d);
}

/* The frame's program: terminal, title, the curves as data blocks, the plot. False when
 * there is no curve yet. */
static bool frame_program(rl_live *l, text *t)
{
    size_t longest = 0;
    for (size_t i = 0; i < l->n_series; i++) {
        const sums *s = &l->configs[l->series[i].config];
        longest = s->n > longest ? s->n : longest;
    }
    if (longest < 2)
        return false;
    /* Bins of episodes, so a frame draws at most about two points per column. */
    size_t columns = l->window ? 1000 : 2 * (l->o.width ? l->o.width : 100);
    size_t bin = (longest + columns - 1) / columns;
    if (l->window)
        put(t, "set terminal %s noraise title 'gridrl live'\n", l->window);
    else
        put(t, "set terminal dumb size %zu,%zu\n", l->o.width, l->o.height);
    char title[512];
    rl_plot_title(&l->experiment, 1, title, sizeof title);
    char heading[1024];
    snprintf(heading, sizeof heading, "%s: mean return of %zu/%zu finished runs", title,
             l->finished, l->o.n_runs);
    put(t, "set encoding utf8\nset title ");
    put_quoted(t, heading);
    put(t, " noenhanced\n");
    put(t, "set xlabel 'episode%s'\nset key below noenhanced width 4\n%s",
        bin > 1 ? " (means of bins of episodes)" : "", l->window ? "set grid\n" : "");
    rl_plot_range range;
    rl_plot_range_init(&range);
    bool any = false;
    for (size_t i = 0; i < l->n_series; i++) {
        const sums *s = &l->configs[l->series[i].config];
        put(t, "$c%zu << EOD\n", i);
        size_t n_bins = (s->n + bin - 1) / bin;
        for (size_t b = 0; b < n_bins; b++) {
            double x = 0, y = 0;
            size_t points = 0;
            for (size_t e = b * bin; e < (b + 1) * bin && e < s->n; e++)
                if (s->count[e]) {
                    x += (double)(e + 1);
                    y += s->sum[e] / (double)s->count[e];
                    points++;
                }
            if (!points)
                continue;
            put(t, "%.10g %.10g\n", x / (double)points, y / (double)points);
            rl_plot_range_add(&range, y / (double)points, rl_plot_is_later(b, n_bins), NULL);
            any = true;
        }
        put(t, "EOD\n");
    }
    double low, high;
    if (rl_plot_range_get(&range, &low, &high))
        put(t, "set yrange [%.10g:%.10g]\n", low, high);
    rl_plot_range_free(&range);
    put(t, "set xrange [1:%zu]\nplot ", longest);
    for (size_t i = 0; i < l->n_series; i++) {
        const rl_plot_series *s = &l->series[i];
        put(t, "%s$c%zu using 1:2 with lines ", i ? ", " : "", i);
        if (l->window)
            put(t, "lw 1.5 lc rgb '%s' ", s->colour);
        else
            put(t, "lt %zu ", i + 1);
        put(t, "title ");
        put_quoted(t, s->label);
    }
    put(t, "\n");
    return any;
}

/* Draws a frame of what has been read. */
static void draw(rl_live *l)
{
    if (l->broken)
        return;
    text t = {0};
    bool drawable = frame_program(l, &t);
    rl_error err;
    rl_error_clear(&err);
    int rc = RL_OK;
    if (t.failed) {
        rc = rl_error_set(&err, RL_ENOMEM, "out of memory");
    } else if (!drawable) {
        if (!l->window) {
            fprintf(l->o.out, "live: %zu/%zu runs finished, no learning curve yet\n",
                    l->finished, l->o.n_runs);
            fflush(l->o.out);
        }
    } else if (l->window) {
        rc = rl_gnuplot_send(&l->session, t.s, t.len, &err);
    } else {
        FILE *frame = tmpfile();
        rc = frame ? rl_gnuplot_run_text(l->gnuplot, t.s, t.len, frame, &err)
                   : rl_error_set(&err, RL_EIO, "cannot create a temporary file");
        if (rc == RL_OK) {
            if (l->o.redraw)
                fputs("\033[H\033[2J", l->o.out); /* home, clear: the frame replaces the last */
            rewind(frame);
            char buf[4096];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, frame)) > 0)
                fwrite(buf, 1, n, l->o.out);
            fflush(l->o.out);
        }
        if (frame)
            fclose(frame);
    }
    free(t.s);
    if (rc != RL_OK) {
        char message[RL_ERROR_MESSAGE_MAX + 64];
        rl_error_format(&err, message, sizeof message);
        note(l, "stopped: %s (the runs go on)", message);
        l->broken = true;
    }
    l->drawn_at = l->finished;
}

static void *thread_main(void *arg)
{
    rl_live *l = arg;
    /* Signals are the main thread's; a write to a gnuplot that died fails with EPIPE here. */
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGINT);
    sigaddset(&blocked, SIGTERM);
    sigaddset(&blocked, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &blocked, NULL);
    pthread_mutex_lock(&l->mutex);
    while (!l->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        double whole = floor(l->o.interval);
        until.tv_sec += (time_t)whole;
        until.tv_nsec += (long)((l->o.interval - whole) * 1e9);
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!l->stopping && pthread_cond_timedwait(&l->wake, &l->mutex, &until) != ETIMEDOUT)
            ;
        if (l->stopping)
            break;
        pthread_mutex_unlock(&l->mutex);
        scan(l);
        if (l->finished > l->drawn_at || l->drawn_at == 0)
            draw(l);
        pthread_mutex_lock(&l->mutex);
    }
    pthread_mutex_unlock(&l->mutex);
    return NULL;
}

static void live_free(rl_live *l)
{
    if (l->window)
        rl_gnuplot_close(&l->session);
    for (size_t k = 0; l->configs && k < l->experiment.n_configs; k++) {
        free(l->configs[k].sum);
        free(l->configs[k].count);
    }
    free(l->configs);
    free(l->series);
    free(l->seen);
    rl_plot_experiment_free(&l->experiment);
    free(l->label);
    free(l);
}

int rl_live_start(const rl_live_options *o, rl_live **out, rl_error *err)
{
    *out = NULL;
    rl_live *l = calloc(1, sizeof *l);
    if (!l)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    l->o = *o;
    int rc = rl_gnuplot_find(o->gnuplot, l->gnuplot, sizeof l->gnuplot, err);
    if (rc == RL_OK)
        rc = rl_plot_experiment_read(o->dir, &l->experiment, err);
    if (rc != RL_OK) {
        free(l);
        return rc;
    }
    size_t n = l->experiment.n_configs, len = 1;
    for (size_t j = 1; j < l->experiment.n_columns; j++)
        len += strlen(l->experiment.columns[j]) + 1;
    if ((l->label = calloc(len, 1)))
        for (size_t j = 1; j < l->experiment.n_columns; j++) {
            strcat(l->label, j > 1 ? "," : "");
            strcat(l->label, l->experiment.columns[j]);
        }
    l->configs = calloc(n ? n : 1, sizeof *l->configs);
    l->series = calloc(n ? n : 1, sizeof *l->series);
    l->seen = calloc(o->n_runs ? o->n_runs : 1, sizeof *l->seen);
    if (!l->label || !l->configs || !l->series || !l->seen) {
        live_free(l);
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    }
    if (o->window) {
        static const char *const WINDOWS[] = {"qt", "wxt", "x11"};
        for (size_t i = 0; i < 3 && !l->window; i++)
            if (rl_gnuplot_has_terminal(l->gnuplot, WINDOWS[i]))
                l->window = WINDOWS[i];
        if (l->window && rl_gnuplot_open(l->gnuplot, &l->session, NULL) != RL_OK)
            l->window = NULL;
        if (!l->window)
            note(l, "no gnuplot window terminal (qt, wxt or x11: Debian's gnuplot-qt or "
                    "gnuplot-x11), drawing in the terminal");
    }
    rl_plot_series_make(&l->experiment, 1, NULL, l->window == NULL, l->series, &l->n_series);
    pthread_mutex_init(&l->mutex, NULL);
    pthread_cond_init(&l->wake, NULL);
    int failed = pthread_create(&l->thread, NULL, thread_main, l);
    if (failed) {
        pthread_mutex_destroy(&l->mutex);
        pthread_cond_destroy(&l->wake);
        live_free(l);
        return rl_error_set(err, RL_EIO, "cannot start the live view: %s", strerror(failed));
    }
    *out = l;
    return RL_OK;
}

void rl_live_finish(rl_live *l, bool last)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->mutex);
    l->stopping = true;
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->mutex);
    pthread_join(l->thread, NULL);
    if (last) {
        /* The thread is gone: SIGPIPE from a dead window's pipe must not end gridrl here. */
        sigset_t blocked, old;
        sigemptyset(&blocked);
        sigaddset(&blocked, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &blocked, &old);
        scan(l);
        draw(l);
        const struct timespec now = {0, 0};
        while (sigtimedwait(&blocked, NULL, &now) > 0)
            ; /* a SIGPIPE it raised, consumed before the mask is restored */
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    pthread_mutex_destroy(&l->mutex);
    pthread_cond_destroy(&l->wake);
    live_free(l);
}

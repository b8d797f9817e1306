/* The DQN update benchmark (see bench_nn.h): rl_nn against a plain C reference.
 *
 * The reference ("naive") is what a researcher would write first: float arrays in rl_nn's
 * parameter layout (so both can start from the same vector), a triple loop per matrix
 * product, the relu derivative and bias sums as separate loops, and the same Adam formula.
 * It shares nothing with rl/nn.c but the layout and the formulas.
 *
 * Agreement: the two sum in different orders (sgemm's blocking against i-j-k loops; the
 * loss residual in double against float), so their floats differ from the first update in
 * the last bits, and training carries that on. Measured (H = 100, seeds 1-20, both shapes),
 * the largest relative loss difference over the first 200 / 500 / 1000 updates was
 * 7e-7 / 7e-6 / 4e-5. Changes to rl_nn tried against the 1e-4 tolerance, over 500 updates:
 * no hidden bias gradient: 0.2 and 0.4 (from update 2); lr 1% too large: 1.6e-2 (update 3);
 * Adam's eps 1e-7 instead of 1e-8: 1.8e-4 and 1.5e-3; Huber's kink at 1.01 instead of 1:
 * 4.4e-5 and 1.5e-4 (caught on the second shape only; that is about the limit).
 */
#include "experiments/bench/bench_nn.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>
#include <gsl/gsl_rng.h>

#include "rl/nn.h"
#include "rl/rng.h"

/* OpenBLAS's own cblas.h declares these; repeated so another CBLAS header would do too. */
extern char *openblas_get_corename(void);
extern int openblas_get_num_threads(void);

enum { N_LAYERS = 2 }; /* both shapes: input -> hidden (relu) -> output */

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- the data: a pool of synthetic transitions ---- */

typedef struct dataset {
    size_t n_in, n_out, batch;
    float *s, *s_next; /* POOL x batch x n_in */
    size_t *a;         /* POOL x batch */
    float *r, *notdone; /* POOL x batch; notdone is 0 for a terminal transition, else 1 */
} dataset;

static void dataset_free(dataset *d)
{
    free(d->s);
    free(d->s_next);
    free(d->a);
    free(d->r);
    free(d->notdone);
}

/* States uniform on (-1, 1)^n_in, a small random move to the next state, uniform actions,
 * reward -|s'_0| (so the values have structure to learn), 5% terminal transitions. */
static int dataset_make(dataset *d, size_t n_in, size_t n_out, size_t batch, gsl_rng *r)
{
    const size_t rows = RL_BENCH_NN_POOL * batch;
    *d = (dataset){n_in, n_out, batch, malloc(rows * n_in * sizeof(float)),
                   malloc(rows * n_in * sizeof(float)), malloc(rows * sizeof(size_t)),
                   malloc(rows * sizeof(float)), malloc(rows * sizeof(float))};
    if (!d->s || !d->s_next || !d->a || !d->r || !d->notdone)
        return RL_ENOMEM;
    for (size_t i = 0; i < rows; i++) {
        for (size_t k = 0; k < n_in; k++) {
            float x = (float)(2.0 * gsl_rng_uniform(r) - 1.0);
            float next = x + (float)(0.2 * gsl_rng_uniform(r) - 0.1);
            d->s[i * n_in + k] = x;
            d->s_next[i * n_in + k] = next > 1.0f ? 1.0f : next < -1.0f ? -1.0f : next;
        }
        d->a[i] = (size_t)gsl_rng_uniform_int(r, n_out);
        d->r[i] = -fabsf(d->s_next[i * n_in]);
        d->notdone[i] = gsl_rng_uniform(r) < 0.05 ? 0.0f : 1.0f;
    }
    return RL_OK;
}

/* The targets r + gamma (1 - done) max_a q'(s', a) of one batch from the target network's
 * outputs q_next (batch x n_out); both sides call this, so they build them identically. */
static void build_targets(const dataset *d, size_t first_row, const float *q_next, float *y)
{
    const float gamma = (float)RL_BENCH_NN_GAMMA;
    for (size_t i = 0; i < d->batch; i++) {
        const float *q = q_next + i * d->n_out;
        float best = q[0];
        for (size_t j = 1; j < d->n_out; j++)
            best = q[j] > best ? q[j] : best;
        size_t row = first_row + i;
        y[i] = d->r[row] + (gamma * d->notdone[row]) * best;
    }
}

/* ---- gridrl's side: rl_nn ---- */

typedef struct gridrl_side {
    rl_nn *online, *target;
    rl_nn_optim *opt;
    float *y; /* batch */
} gridrl_side;

static void gridrl_free(gridrl_side *g)
{
    rl_nn_free(g->online);
    rl_nn_free(g->target);
    rl_nn_optim_free(g->opt);
    free(g->y);
}

static int gridrl_make(gridrl_side *g, const size_t *sizes, size_t batch, rl_error *err)
{
    rl_nn_optim_options adam = RL_NN_ADAM_DEFAULTS;
    adam.lr = RL_BENCH_NN_LR;
    int rc;
    if ((rc = rl_nn_alloc(sizes, N_LAYERS + 1, RL_NN_RELU, batch, &g->online, err)) ||
        (rc = rl_nn_alloc(sizes, N_LAYERS + 1, RL_NN_RELU, batch, &g->target, err)) ||
        (rc = rl_nn_optim_alloc(g->online, &adam, &g->opt, err)))
        return rc;
    if (!(g->y = malloc(batch * sizeof *g->y)))
        return rl_error_set(err, RL_ENOMEM, "out of memory for a batch of targets");
    return RL_OK;
}

/* Back to the initial parameters p0, a fresh Adam and a target equal to the online net. */
static int gridrl_reset(gridrl_side *g, const float *p0, rl_error *err)
{
    rl_nn_optim_reset(g->opt);
    int rc = rl_nn_set_params(g->online, p0, err);
    return rc ? rc : rl_nn_copy_params(g->target, g->online, err);
}

/* Update k (0-based) on batch k mod POOL. */
static int gridrl_update(gridrl_side *g, const dataset *d, size_t k, double *loss, rl_error *err)
{
    const size_t B = d->batch, first = (k % RL_BENCH_NN_POOL) * B;
    int rc = rl_nn_forward(g->target, d->s_next + first * d->n_in, B, NULL, err);
    if (rc)
        return rc;
    build_targets(d, first, rl_nn_output(g->target), g->y);
    if ((rc = rl_nn_forward(g->online, d->s + first * d->n_in, B, NULL, err)) ||
        (rc = rl_nn_backward_chosen(g->online, RL_NN_HUBER, d->a + first, g->y, loss, err)) ||
        (rc = rl_nn_optim_step(g->opt, g->online, err)))
        return rc;
    if ((k + 1) % RL_BENCH_NN_TARGET_EVERY == 0)
        rc = rl_nn_copy_params(g->target, g->online, err);
    return rc;
}

/* ---- the reference: plain loops ---- */

/* A two-layer relu network in rl_nn's layout: W0 (n_in x hidden), b0, W1 (hidden x n_out),
 * b1; its activations and deltas for one batch; Adam's state. */
typedef struct naive_net {
    size_t sizes[N_LAYERS + 1], n_params, w_off[N_LAYERS], b_off[N_LAYERS];
    float *p, *g, *m, *v;
    float *a[N_LAYERS], *d[N_LAYERS]; /* batch x sizes[l + 1] */
    const float *x;                   /* the last input */
    unsigned long t;
} naive_net;

static void naive_free(naive_net *n)
{
    free(n->p);
    free(n->g);
    free(n->m);
    free(n->v);
    for (int l = 0; l < N_LAYERS; l++) {
        free(n->a[l]);
        free(n->d[l]);
    }
}

static int naive_make(naive_net *n, const size_t *sizes, size_t batch)
{
    memset(n, 0, sizeof *n);
    size_t k = 0;
    for (int l = 0; l < N_LAYERS; l++) {
        n->w_off[l] = k;
        k += sizes[l] * sizes[l + 1];
        n->b_off[l] = k;
        k += sizes[l + 1];
    }
    memcpy(n->sizes, sizes, sizeof n->sizes);
    n->n_params = k;
    n->p = calloc(k, sizeof(float));
    n->g = calloc(k, sizeof(float));
    n->m = calloc(k, sizeof(float));
    n->v = calloc(k, sizeof(float));
    bool ok = n->p && n->g && n->m && n->v;
    for (int l = 0; l < N_LAYERS; l++) {
        n->a[l] = calloc(batch * sizes[l + 1], sizeof(float));
        n->d[l] = calloc(batch * sizes[l + 1], sizeof(float));
        ok = ok && n->a[l] && n->d[l];
    }
    return ok ? RL_OK : RL_ENOMEM;
}

static void naive_forward(naive_net *n, const float *x, size_t B)
{
    const float *in = x;
    n->x = x;
    for (int l = 0; l < N_LAYERS; l++) {
        const size_t n_in = n->sizes[l], n_out = n->sizes[l + 1];
        const float *W = n->p + n->w_off[l], *b = n->p + n->b_off[l];
        float *out = n->a[l];
        for (size_t i = 0; i < B; i++) {
            for (size_t j = 0; j < n_out; j++) {
                float z = b[j];
                for (size_t k = 0; k < n_in; k++)
                    z += in[i * n_in + k] * W[k * n_out + j];
                if (l + 1 < N_LAYERS)
                    z = z > 0.0f ? z : 0.0f;
                out[i * n_out + j] = z;
            }
        }
        in = out;
    }
}

/* Huber loss on the chosen outputs, then the gradient of every parameter into n->g. */
static double naive_backward(naive_net *n, const size_t *action, const float *y, size_t B)
{
    const size_t n_out = n->sizes[N_LAYERS];
    float *dy = n->d[N_LAYERS - 1];
    const float *q = n->a[N_LAYERS - 1];
    double loss = 0.0;
    memset(dy, 0, B * n_out * sizeof *dy);
    for (size_t i = 0; i < B; i++) {
        float r = q[i * n_out + action[i]] - y[i];
        float ar = fabsf(r);
        loss += ar < 1.0f ? 0.5 * (double)r * r : (double)ar - 0.5;
        dy[i * n_out + action[i]] = (r > 1.0f ? 1.0f : r < -1.0f ? -1.0f : r) / (float)B;
    }
    for (int l = N_LAYERS - 1; l >= 0; l--) {
        const size_t in_n = n->sizes[l], out_n = n->sizes[l + 1];
        const float *in = l ? n->a[l - 1] : n->x, *d = n->d[l];
        const float *W = n->p + n->w_off[l];
        float *gW = n->g + n->w_off[l], *gb = n->g + n->b_off[l];
        for (size_t k = 0; k < in_n; k++) {
            for (size_t j = 0; j < out_n; j++) {
                float s = 0.0f;
                for (size_t i = 0; i < B; i++)
                    s += in[i * in_n + k] * d[i * out_n + j];
                gW[k * out_n + j] = s;
            }
        }
        for (size_t j = 0; j < out_n; j++) {
            float s = 0.0f;
            for (size_t i = 0; i < B; i++)
                s += d[i * out_n + j];
            gb[j] = s;
        }
        if (l == 0)
            break;
        float *dp = n->d[l - 1];
        for (size_t i = 0; i < B; i++) {
            for (size_t k = 0; k < in_n; k++) {
                float s = 0.0f;
                for (size_t j = 0; j < out_n; j++)
                    s += d[i * out_n + j] * W[k * out_n + j];
                dp[i * in_n + k] = in[i * in_n + k] > 0.0f ? s : 0.0f;
            }
        }
    }
    return loss / (double)B;
}

/* Adam with PyTorch's defaults and rl_nn's rule for subnormal moments (flushed to 0), so
 * both sides compute the same thing. */
static void naive_adam(naive_net *n)
{
    const double beta1 = 0.9, beta2 = 0.999;
    n->t++;
    const float lr_t = (float)(RL_BENCH_NN_LR / (1.0 - pow(beta1, (double)n->t)));
    const float bc2_sqrt = (float)sqrt(1.0 - pow(beta2, (double)n->t));
    for (size_t i = 0; i < n->n_params; i++) {
        float g = n->g[i];
        float m = 0.9f * n->m[i] + 0.1f * g;
        float v = 0.999f * n->v[i] + 0.001f * g * g;
        m = fabsf(m) < FLT_MIN ? 0.0f : m;
        v = v < FLT_MIN ? 0.0f : v;
        n->m[i] = m;
        n->v[i] = v;
        n->p[i] -= lr_t * m / (sqrtf(v) / bc2_sqrt + 1e-8f);
    }
}

typedef struct naive_side {
    naive_net online, target;
    float *y;
} naive_side;

static void naive_side_free(naive_side *s)
{
    naive_free(&s->online);
    naive_free(&s->target);
    free(s->y);
}

static void naive_reset(naive_side *s, const float *p0)
{
    size_t n = s->online.n_params;
    memcpy(s->online.p, p0, n * sizeof *p0);
    memcpy(s->target.p, p0, n * sizeof *p0);
    memset(s->online.m, 0, n * sizeof(float));
    memset(s->online.v, 0, n * sizeof(float));
    s->online.t = 0;
}

static double naive_update(naive_side *s, const dataset *d, size_t k)
{
    const size_t B = d->batch, first = (k % RL_BENCH_NN_POOL) * B;
    naive_forward(&s->target, d->s_next + first * d->n_in, B);
    build_targets(d, first, s->target.a[N_LAYERS - 1], s->y);
    naive_forward(&s->online, d->s + first * d->n_in, B);
    double loss = naive_backward(&s->online, d->a + first, s->y, B);
    naive_adam(&s->online);
    if ((k + 1) % RL_BENCH_NN_TARGET_EVERY == 0)
        memcpy(s->target.p, s->online.p, s->online.n_params * sizeof(float));
    return loss;
}

/* ---- the benchmark ---- */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median, min and max of n rates (sorted in place). */
static rl_bench_nn_rate summarize(double *rate, size_t n)
{
    qsort(rate, n, sizeof *rate, compare_doubles);
    double mid = n % 2 ? rate[n / 2] : 0.5 * (rate[n / 2 - 1] + rate[n / 2]);
    return (rl_bench_nn_rate){mid, rate[0], rate[n - 1]};
}

static int range_error(rl_error *err, const char *key, size_t value, size_t lo, size_t hi)
{
    rl_error_set(err, RL_ERANGE, "%s must be in [%zu, %zu], not %zu", key, lo, hi, value);
    return rl_error_locate(err, RL_ERANGE, NULL, 0, 0, key);
}

static int check_options(const rl_bench_nn_options *opt, rl_error *err)
{
    if (opt->updates < 1 || opt->updates > 10000000)
        return range_error(err, "updates", opt->updates, 1, 10000000);
    if (opt->repeats < 1 || opt->repeats > 1000)
        return range_error(err, "repeats", opt->repeats, 1, 1000);
    if (opt->check_updates < 1 || opt->check_updates > RL_BENCH_NN_MAX_CHECK)
        return range_error(err, "check_updates", opt->check_updates, 1, RL_BENCH_NN_MAX_CHECK);
    if (opt->hidden < 1 || opt->hidden > 4096)
        return range_error(err, "hidden", opt->hidden, 1, 4096);
    return RL_OK;
}

/* Runs the side-by-side check and the timed repeats of one shape into c. */
static int run_case(const rl_bench_nn_options *opt, size_t index, const size_t *sizes,
                    size_t batch, rl_bench_nn_case *c, rl_error *err)
{
    gridrl_side g = {0};
    naive_side nv = {0};
    dataset d = {0};
    float *p0 = NULL;
    double *rate_g = malloc(opt->repeats * sizeof *rate_g);
    double *rate_n = malloc(opt->repeats * sizeof *rate_n);
    gsl_rng *r = rl_rng_alloc(rl_rng_seed(opt->seed, index, 0), err);
    int rc = RL_OK;
    if (!r) {
        rc = RL_ENOMEM;
        goto done;
    }
    if (!rate_g || !rate_n || dataset_make(&d, sizes[0], sizes[N_LAYERS], batch, r) ||
        naive_make(&nv.online, sizes, batch) || naive_make(&nv.target, sizes, batch) ||
        !(nv.y = malloc(batch * sizeof *nv.y))) {
        rc = rl_error_set(err, RL_ENOMEM, "out of memory for the %zu-%zu-%zu benchmark",
                          sizes[0], sizes[1], sizes[2]);
        goto done;
    }
    if ((rc = gridrl_make(&g, sizes, batch, err)) || (rc = rl_nn_init(g.online, r, err)))
        goto done;
    c->n_inputs = sizes[0];
    c->hidden = sizes[1];
    c->n_outputs = sizes[2];
    c->batch = batch;
    c->n_params = rl_nn_n_params(g.online);
    if (!(p0 = malloc(c->n_params * sizeof *p0))) {
        rc = rl_error_set(err, RL_ENOMEM, "out of memory for %zu parameters", c->n_params);
        goto done;
    }
    if ((rc = rl_nn_get_params(g.online, p0, err)))
        goto done;

    /* Side by side from the same start. */
    if ((rc = gridrl_reset(&g, p0, err)))
        goto done;
    naive_reset(&nv, p0);
    c->checked = opt->check_updates;
    c->max_loss_diff = 0.0;
    c->first_disagreement = 0;
    bool finite = true;
    for (size_t k = 0; k < opt->check_updates; k++) {
        double lg = 0.0;
        if ((rc = gridrl_update(&g, &d, k, &lg, err)))
            goto done;
        double ln = naive_update(&nv, &d, k);
        double diff = fabs(lg - ln) / fmax(fabs(ln), DBL_MIN);
        finite = finite && isfinite(lg) && isfinite(ln);
        if (!(diff <= c->max_loss_diff)) /* also takes a NaN */
            c->max_loss_diff = diff;
        if (!(diff <= RL_BENCH_NN_LOSS_TOLERANCE) && c->first_disagreement == 0)
            c->first_disagreement = k + 1;
        if (k == 0)
            c->first_loss = lg;
        c->last_loss = lg;
    }
    {
        float *p = malloc(c->n_params * sizeof *p);
        if (!p) {
            rc = rl_error_set(err, RL_ENOMEM, "out of memory for %zu parameters", c->n_params);
            goto done;
        }
        rl_nn_get_params(g.online, p, NULL);
        c->max_param_diff = 0.0;
        for (size_t i = 0; i < c->n_params; i++) {
            double e = fabs((double)p[i] - (double)nv.online.p[i]);
            if (!(e <= c->max_param_diff))
                c->max_param_diff = e;
        }
        free(p);
    }
    c->agrees = finite && c->first_disagreement == 0;

    /* Timed repeats, each from the same start, alternating which side goes first. */
    for (size_t rep = 0; rep < opt->repeats; rep++) {
        for (int turn = 0; turn < 2; turn++) {
            bool gridrl_turn = (turn == 0) == (rep % 2 == 0);
            double t0, t;
            if (gridrl_turn) {
                if ((rc = gridrl_reset(&g, p0, err)))
                    goto done;
                double loss;
                t0 = now_seconds();
                for (size_t k = 0; k < opt->updates; k++)
                    if ((rc = gridrl_update(&g, &d, k, &loss, err)))
                        goto done;
                t = now_seconds() - t0;
                rate_g[rep] = (double)opt->updates / t;
            } else {
                naive_reset(&nv, p0);
                volatile double sink = 0.0; /* keeps the losses computed */
                t0 = now_seconds();
                for (size_t k = 0; k < opt->updates; k++)
                    sink += naive_update(&nv, &d, k);
                t = now_seconds() - t0;
                (void)sink;
                rate_n[rep] = (double)opt->updates / t;
            }
        }
    }
    c->gridrl = summarize(rate_g, opt->repeats);
    c->naive = summarize(rate_n, opt->repeats);
    c->ratio = c->gridrl.median / c->naive.median;

done:
    gridrl_free(&g);
    naive_side_free(&nv);
    dataset_free(&d);
    rl_rng_free(r);
    free(p0);
    free(rate_g);
    free(rate_n);
    return rc;
}

int rl_bench_nn_run(const rl_bench_nn_options *opt, rl_bench_nn_result *res, rl_error *err)
{
    if (!opt || !res)
        return rl_error_set(err, RL_EINVAL, "rl_bench_nn_run: NULL %s",
                            !opt ? "options" : "result");
    memset(res, 0, sizeof *res);
    int rc = check_options(opt, err);
    if (rc != RL_OK)
        return rc;
    res->updates = opt->updates;
    res->repeats = opt->repeats;
    res->tolerance = RL_BENCH_NN_LOSS_TOLERANCE;
    const char *core = openblas_get_corename();
    snprintf(res->corename, sizeof res->corename, "%s", core ? core : "unknown");
    res->blas_threads = openblas_get_num_threads();

    const size_t shapes[RL_BENCH_NN_CASES][N_LAYERS + 1] = {{3, opt->hidden, 1},
                                                            {2, opt->hidden, 5}};
    const size_t batches[RL_BENCH_NN_CASES] = {100, 32};
    for (size_t k = 0; k < RL_BENCH_NN_CASES; k++)
        if ((rc = run_case(opt, k, shapes[k], batches[k], &res->cases[k], err)) != RL_OK)
            return rc;
    return RL_OK;
}

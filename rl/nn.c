/* The multilayer perceptron of nn.h: one allocation per network, forward and backward
 * passes built on cblas_sgemm, PyTorch-compatible losses and optimisers.
 *
 * Layout: the parameters are one float vector (W_0, b_0, W_1, b_1, ...), and the gradient a
 * second vector of the same layout, so the optimisers, copies and Polyak averaging are single
 * loops. Per layer the network keeps its output a[l] (batch x n_out: after the activation for
 * hidden layers, the network's outputs for the last) and the gradient d[l] of the loss with
 * respect to that layer's pre-activation. Both derivatives needed are functions of the
 * activation's output (relu: a > 0, tanh: 1 - a^2), so pre-activations are not kept.
 *
 * Speed notes, measured with OpenBLAS 0.3.21 (core Zen) at the benchmark's sizes:
 * - sgemm with beta = 0 first runs OpenBLAS's separate beta pass over C, which costs as much
 *   as the product itself when K is small (100 x 100 output, K = 3: 8 us with beta = 0,
 *   2-4 us with C prefilled and beta = 1). So every product here accumulates into C with
 *   beta = 1: the forward pass prefills C with the bias rows, the backward pass zeroes the
 *   gradient vector with one memset and the deltas with one memset per layer.
 * - The elementwise passes (activation, its derivative fused with the bias gradient, Adam)
 *   use SSE2 when the compiler targets it (every x86-64), since -O2 does not vectorise
 *   loops whose trip count is unknown; the scalar code is the reference and the fallback,
 *   and both perform the same float operations in the same order.
 * - What is left is mostly OpenBLAS packing its operands: a product with one dimension of 1
 *   (the 100 -> 1 output layer) costs sgemm 3.6 us where SSE2 dot products take 1.1 us.
 *   Products go through sgemm all the same, so there is one code path to trust.
 *
 * Subnormals: Adam's moments of a parameter whose gradient has become exactly 0 (a relu
 * unit that died) decay geometrically into the subnormal range and stick there (x * beta
 * rounds back to x a few ulps above 0). Measured here (AMD EPYC, Zen 2, OpenBLAS core Zen):
 * in the 2-100-5 DQN benchmark run with flushing off, after 200,000 updates 292 of the 805
 * gradients were exactly 0 and 128 first and 53 second moments subnormal; an Adam step over
 * 8192 parameters with all moments subnormal took 12.7 us against 8.7 us with normal ones
 * (1.47x here; CPUs that take a microcode assist per subnormal operation are slowed far
 * more). So moments below FLT_MIN are set to 0 as they are stored (rl_nn_optim_options
 * .flush_subnormals, on by default): a compare and a mask per vector, 3% of the step (8.9 us
 * on the same 8192 parameters), portable, and with no effect on the parameters (nn.h says
 * why). The alternative, setting FTZ/DAZ in MXCSR around the step, is x86-only and would
 * also flush subnormal gradients and parameters, which are not ours to change.
 */
#include "rl/nn.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "rl/alloc.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#define RL_NN_SSE2 1
#else
#define RL_NN_SSE2 0
#endif

/* Buffers start on cache lines, so the rows sgemm reads are aligned whenever their length
 * is a multiple of 16 floats. */
#define NN_ALIGN 64

struct rl_nn {
    size_t n_layers; /* weight layers L */
    size_t sizes[RL_NN_MAX_LAYERS + 1];
    rl_nn_activation activation;
    size_t max_batch;
    size_t batch;       /* rows of the last forward pass; 0 before any */
    bool forward_valid; /* a[] and x are of the current parameters */
    size_t n_params;
    size_t w_off[RL_NN_MAX_LAYERS], b_off[RL_NN_MAX_LAYERS];
    float *params, *grad;
    float *x;                   /* max_batch x sizes[0]: the last input */
    float *a[RL_NN_MAX_LAYERS]; /* max_batch x sizes[l + 1] */
    float *d[RL_NN_MAX_LAYERS]; /* max_batch x sizes[l + 1] */
    void *block;                /* everything above lives in this one allocation */
};

struct rl_nn_optim {
    rl_nn_optim_options opt;
    size_t n_params;
    unsigned long t;
    float *m, *v; /* Adam's moments; NULL for SGD */
    void *block;
};

/* ---- names ---- */

static const char *const activation_names[] = {"relu", "tanh"};
static const char *const loss_names[] = {"mse", "huber"};
static const char *const optimizer_names[] = {"sgd", "adam"};

/* Index of name in names[0..n), or RL_ENOTFOUND listing the valid names under `what`. */
static int parse_name(const char *name, const char *const *names, size_t n, const char *what,
                      int *out, rl_error *err)
{
    if (!name)
        return rl_error_set(err, RL_EINVAL, "no %s name (NULL)", what);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (int)i;
            return RL_OK;
        }
    }
    char valid[128] = "";
    for (size_t i = 0; i < n; i++)
        rl_names_append(valid, sizeof valid, names[i]);
    return rl_error_set(err, RL_ENOTFOUND, "unknown %s '%s' (valid: %s)", what, name, valid);
}

int rl_nn_activation_parse(const char *name, rl_nn_activation *out, rl_error *err)
{
    int i = 0;
    int rc = parse_name(name, activation_names, 2, "activation", &i, err);
    if (rc == RL_OK && out)
        *out = (rl_nn_activation)i;
    return rc;
}

int rl_nn_loss_parse(const char *name, rl_nn_loss *out, rl_error *err)
{
    int i = 0;
    int rc = parse_name(name, loss_names, 2, "loss", &i, err);
    if (rc == RL_OK && out)
        *out = (rl_nn_loss)i;
    return rc;
}

int rl_nn_optimizer_parse(const char *name, rl_nn_optimizer *out, rl_error *err)
{
    int i = 0;
    int rc = parse_name(name, optimizer_names, 2, "optimizer", &i, err);
    if (rc == RL_OK && out)
        *out = (rl_nn_optimizer)i;
    return rc;
}

const char *rl_nn_activation_name(rl_nn_activation a)
{
    return (unsigned)a < 2 ? activation_names[a] : "?";
}

const char *rl_nn_loss_name(rl_nn_loss l)
{
    return (unsigned)l < 2 ? loss_names[l] : "?";
}

const char *rl_nn_optimizer_name(rl_nn_optimizer o)
{
    return (unsigned)o < 2 ? optimizer_names[o] : "?";
}

/* ---- allocation ---- */

/* Reserves n floats at *used (in floats, rounded up to whole cache lines) and returns their
 * offset; false when the total would overflow. */
static bool reserve(size_t *used, size_t n, size_t *offset)
{
    const size_t line = NN_ALIGN / sizeof(float);
    size_t rounded = (n + line - 1) / line * line;
    if (rounded < n || *used > SIZE_MAX / sizeof(float) - rounded)
        return false;
    *offset = *used;
    *used += rounded;
    return true;
}

int rl_nn_alloc(const size_t *sizes, size_t n_sizes, rl_nn_activation activation,
                size_t max_batch, rl_nn **out, rl_error *err)
{
    if (!out)
        return rl_error_set(err, RL_EINVAL, "rl_nn_alloc: NULL out");
    *out = NULL;
    if (!sizes || n_sizes < 2)
        return rl_error_set(err, RL_EINVAL,
                            "a network needs at least 2 sizes (input and output), got %zu",
                            sizes ? n_sizes : 0);
    if (n_sizes - 1 > RL_NN_MAX_LAYERS)
        return rl_error_set(err, RL_ERANGE, "%zu layers is more than the %d allowed",
                            n_sizes - 1, RL_NN_MAX_LAYERS);
    for (size_t i = 0; i < n_sizes; i++) {
        if (sizes[i] < 1 || sizes[i] > RL_NN_MAX_WIDTH)
            return rl_error_set(err, RL_ERANGE, "size %zu is %zu, outside [1, %d]", i,
                                sizes[i], RL_NN_MAX_WIDTH);
    }
    if (max_batch < 1 || max_batch > RL_NN_MAX_BATCH)
        return rl_error_set(err, RL_ERANGE, "max_batch %zu is outside [1, %d]", max_batch,
                            RL_NN_MAX_BATCH);
    if (activation != RL_NN_RELU && activation != RL_NN_TANH)
        return rl_error_set(err, RL_ERANGE, "activation %d is not relu or tanh",
                            (int)activation);

    rl_nn *net = rl_calloc(1, sizeof *net);
    if (!net)
        return rl_error_set(err, RL_ENOMEM, "out of memory allocating a network");
    net->n_layers = n_sizes - 1;
    memcpy(net->sizes, sizes, n_sizes * sizeof *sizes);
    net->activation = activation;
    net->max_batch = max_batch;

    /* Offsets first (in floats), then one block. Sizes are at most 2^16, so no product
     * below overflows 64 bits; reserve() still checks the running total. */
    const size_t L = net->n_layers;
    size_t used = 0, params_off = 0, grad_off = 0, x_off = 0;
    size_t a_off[RL_NN_MAX_LAYERS], d_off[RL_NN_MAX_LAYERS];
    size_t n_params = 0;
    for (size_t l = 0; l < L; l++) {
        net->w_off[l] = n_params;
        n_params += sizes[l] * sizes[l + 1];
        net->b_off[l] = n_params;
        n_params += sizes[l + 1];
    }
    net->n_params = n_params;
    bool ok = reserve(&used, n_params, &params_off) && reserve(&used, n_params, &grad_off) &&
              reserve(&used, max_batch * sizes[0], &x_off);
    for (size_t l = 0; ok && l < L; l++)
        ok = reserve(&used, max_batch * sizes[l + 1], &a_off[l]) &&
             reserve(&used, max_batch * sizes[l + 1], &d_off[l]);
    float *block = ok ? aligned_alloc(NN_ALIGN, used * sizeof(float)) : NULL;
    if (!block) {
        rl_free(net);
        return rl_error_set(err, RL_ENOMEM,
                            "out of memory allocating a network of %zu parameters "
                            "for batches of %zu", n_params, max_batch);
    }
    /* Zero everything: parameters start at 0, the gradient reads as 0 before any backward
     * pass, and no buffer holds uninitialised floats. */
    memset(block, 0, used * sizeof(float));
    net->block = block;
    net->params = block + params_off;
    net->grad = block + grad_off;
    net->x = block + x_off;
    for (size_t l = 0; l < L; l++) {
        net->a[l] = block + a_off[l];
        net->d[l] = block + d_off[l];
    }
    *out = net;
    return RL_OK;
}

void rl_nn_free(rl_nn *net)
{
    if (!net)
        return;
    rl_free(net->block);
    rl_free(net);
}

int rl_nn_init(rl_nn *net, gsl_rng *r, rl_error *err)
{
    if (!net || !r)
        return rl_error_set(err, RL_EINVAL, "rl_nn_init: NULL %s", !net ? "network" : "rng");
    for (size_t l = 0; l < net->n_layers; l++) {
        /* Weights then biases of a layer are adjacent, so one loop covers both in order. */
        double bound = 1.0 / sqrt((double)net->sizes[l]);
        size_t count = net->sizes[l] * net->sizes[l + 1] + net->sizes[l + 1];
        float *p = net->params + net->w_off[l];
        for (size_t k = 0; k < count; k++)
            p[k] = (float)((2.0 * gsl_rng_uniform(r) - 1.0) * bound);
    }
    net->forward_valid = false;
    return RL_OK;
}

/* ---- shape and parameter access ---- */

size_t rl_nn_n_layers(const rl_nn *net) { return net->n_layers; }
size_t rl_nn_size(const rl_nn *net, size_t i) { return i <= net->n_layers ? net->sizes[i] : 0; }
size_t rl_nn_n_inputs(const rl_nn *net) { return net->sizes[0]; }
size_t rl_nn_n_outputs(const rl_nn *net) { return net->sizes[net->n_layers]; }
size_t rl_nn_max_batch(const rl_nn *net) { return net->max_batch; }
size_t rl_nn_n_params(const rl_nn *net) { return net->n_params; }
rl_nn_activation rl_nn_activation_of(const rl_nn *net) { return net->activation; }
size_t rl_nn_batch(const rl_nn *net) { return net->batch; }

const float *rl_nn_output(const rl_nn *net)
{
    return net->batch ? net->a[net->n_layers - 1] : NULL;
}

int rl_nn_get_params(const rl_nn *net, float *out, rl_error *err)
{
    if (!net || !out)
        return rl_error_set(err, RL_EINVAL, "rl_nn_get_params: NULL argument");
    memcpy(out, net->params, net->n_params * sizeof *out);
    return RL_OK;
}

int rl_nn_set_params(rl_nn *net, const float *in, rl_error *err)
{
    if (!net || !in)
        return rl_error_set(err, RL_EINVAL, "rl_nn_set_params: NULL argument");
    memmove(net->params, in, net->n_params * sizeof *in);
    net->forward_valid = false;
    return RL_OK;
}

int rl_nn_get_grad(const rl_nn *net, float *out, rl_error *err)
{
    if (!net || !out)
        return rl_error_set(err, RL_EINVAL, "rl_nn_get_grad: NULL argument");
    memcpy(out, net->grad, net->n_params * sizeof *out);
    return RL_OK;
}

static bool same_shape(const rl_nn *a, const rl_nn *b)
{
    if (a->n_layers != b->n_layers || a->activation != b->activation)
        return false;
    for (size_t i = 0; i <= a->n_layers; i++)
        if (a->sizes[i] != b->sizes[i])
            return false;
    return true;
}

static int shape_error(const char *what, rl_error *err)
{
    return rl_error_set(err, RL_EINVAL, "%s: the networks differ in sizes or activation",
                        what);
}

int rl_nn_copy_params(rl_nn *dst, const rl_nn *src, rl_error *err)
{
    if (!dst || !src)
        return rl_error_set(err, RL_EINVAL, "rl_nn_copy_params: NULL network");
    if (!same_shape(dst, src))
        return shape_error("rl_nn_copy_params", err);
    if (dst != src)
        memcpy(dst->params, src->params, src->n_params * sizeof(float));
    dst->forward_valid = false;
    return RL_OK;
}

int rl_nn_polyak(rl_nn *target, const rl_nn *online, double tau, rl_error *err)
{
    if (!target || !online)
        return rl_error_set(err, RL_EINVAL, "rl_nn_polyak: NULL network");
    if (!(tau >= 0.0 && tau <= 1.0))
        return rl_error_set(err, RL_ERANGE, "tau %g is outside [0, 1]", tau);
    if (!same_shape(target, online))
        return shape_error("rl_nn_polyak", err);
    const float keep = (float)(1.0 - tau), take = (float)tau;
    float *t = target->params;
    const float *o = online->params;
    for (size_t i = 0; i < target->n_params; i++)
        t[i] = t[i] * keep + take * o[i];
    target->forward_valid = false;
    return RL_OK;
}

/* ---- elementwise kernels ---- */

/* relu in place: 0 > z ? 0 : z keeps NaN (as torch.relu does) and is what maxps(0, z)
 * computes, so the SSE and scalar paths agree bit for bit. */
static void relu_inplace(float *z, size_t n)
{
    size_t i = 0;
#if RL_NN_SSE2
    const __m128 zero = _mm_setzero_ps();
    for (; i + 4 <= n; i += 4)
        _mm_storeu_ps(z + i, _mm_max_ps(zero, _mm_loadu_ps(z + i)));
#endif
    for (; i < n; i++)
        z[i] = 0.0f > z[i] ? 0.0f : z[i];
}

static void activate(rl_nn_activation act, float *z, size_t n)
{
    if (act == RL_NN_RELU) {
        relu_inplace(z, n);
    } else {
        for (size_t i = 0; i < n; i++)
            z[i] = tanhf(z[i]);
    }
}

/* d = d * act'(a) for a batch of rows x cols, where a is the activation's output, and
 * db[j] = sum over rows of the new d[., j] (the bias gradient of that layer), fused so the
 * deltas are read once. relu' is 1 where a > 0 (0 at the kink, as PyTorch); tanh' = 1 - a^2.
 * Every db[j] is summed over the rows in order, whichever loop computes it. */
static void derivative_and_bias(rl_nn_activation act, float *d, const float *a, size_t rows,
                                size_t cols, float *db)
{
    if (act == RL_NN_TANH) {
        memset(db, 0, cols * sizeof *db);
        for (size_t r = 0; r < rows; r++) {
            float *dr = d + r * cols;
            const float *ar = a + r * cols;
            for (size_t j = 0; j < cols; j++) {
                float g = dr[j] * (1.0f - ar[j] * ar[j]);
                dr[j] = g;
                db[j] += g;
            }
        }
        return;
    }
    size_t j = 0;
#if RL_NN_SSE2
    /* Column blocks of 16 down all rows, the block's sums in registers: per 4 floats two
     * loads and one store, where a row-by-row pass also loads and stores db. */
    const __m128 zero = _mm_setzero_ps();
    for (; j + 16 <= cols; j += 16) {
        __m128 s0 = zero, s1 = zero, s2 = zero, s3 = zero;
        for (size_t r = 0; r < rows; r++) {
            float *dr = d + r * cols + j;
            const float *ar = a + r * cols + j;
            __m128 g0 = _mm_and_ps(_mm_cmpgt_ps(_mm_loadu_ps(ar), zero), _mm_loadu_ps(dr));
            __m128 g1 = _mm_and_ps(_mm_cmpgt_ps(_mm_loadu_ps(ar + 4), zero), _mm_loadu_ps(dr + 4));
            __m128 g2 = _mm_and_ps(_mm_cmpgt_ps(_mm_loadu_ps(ar + 8), zero), _mm_loadu_ps(dr + 8));
            __m128 g3 =
                _mm_and_ps(_mm_cmpgt_ps(_mm_loadu_ps(ar + 12), zero), _mm_loadu_ps(dr + 12));
            _mm_storeu_ps(dr, g0);
            _mm_storeu_ps(dr + 4, g1);
            _mm_storeu_ps(dr + 8, g2);
            _mm_storeu_ps(dr + 12, g3);
            s0 = _mm_add_ps(s0, g0);
            s1 = _mm_add_ps(s1, g1);
            s2 = _mm_add_ps(s2, g2);
            s3 = _mm_add_ps(s3, g3);
        }
        _mm_storeu_ps(db + j, s0);
        _mm_storeu_ps(db + j + 4, s1);
        _mm_storeu_ps(db + j + 8, s2);
        _mm_storeu_ps(db + j + 12, s3);
    }
    for (; j + 4 <= cols; j += 4) {
        __m128 s = zero;
        for (size_t r = 0; r < rows; r++) {
            float *dr = d + r * cols + j;
            __m128 g = _mm_and_ps(_mm_cmpgt_ps(_mm_loadu_ps(a + r * cols + j), zero),
                                  _mm_loadu_ps(dr));
            _mm_storeu_ps(dr, g);
            s = _mm_add_ps(s, g);
        }
        _mm_storeu_ps(db + j, s);
    }
#endif
    for (; j < cols; j++) {
        float s = 0.0f;
        for (size_t r = 0; r < rows; r++) {
            float *dr = d + r * cols + j;
            float g = a[r * cols + j] > 0.0f ? *dr : 0.0f;
            *dr = g;
            s += g;
        }
        db[j] = s;
    }
}

/* Every row of z (rows x cols) becomes bias: one row, then copies of what is done so far,
 * doubling, so a batch of 100 takes 8 memcpy calls instead of 100. */
static void fill_rows(float *z, const float *bias, size_t rows, size_t cols)
{
    memcpy(z, bias, cols * sizeof *z);
    for (size_t done = 1; done < rows;) {
        size_t n = done < rows - done ? done : rows - done;
        memcpy(z + done * cols, z, n * cols * sizeof *z);
        done += n;
    }
}

/* ---- forward and backward ---- */

int rl_nn_forward(rl_nn *net, const float *x, size_t batch, float *y, rl_error *err)
{
    if (!net || !x)
        return rl_error_set(err, RL_EINVAL, "rl_nn_forward: NULL %s", !net ? "network" : "input");
    if (batch < 1 || batch > net->max_batch)
        return rl_error_set(err, RL_ERANGE, "batch %zu is outside [1, %zu] (the network's "
                                            "maximum batch)", batch, net->max_batch);
    const size_t L = net->n_layers;
    memmove(net->x, x, batch * net->sizes[0] * sizeof *x);
    const float *in = net->x;
    for (size_t l = 0; l < L; l++) {
        const size_t n_in = net->sizes[l], n_out = net->sizes[l + 1];
        float *z = net->a[l];
        const float *bias = net->params + net->b_off[l];
        fill_rows(z, bias, batch, n_out);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)batch, (int)n_out,
                    (int)n_in, 1.0f, in, (int)n_in, net->params + net->w_off[l], (int)n_out,
                    1.0f, z, (int)n_out);
        if (l + 1 < L)
            activate(net->activation, z, batch * n_out);
        in = z;
    }
    net->batch = batch;
    net->forward_valid = true;
    if (y)
        memmove(y, net->a[L - 1], batch * net->sizes[L] * sizeof *y);
    return RL_OK;
}

/* Propagates d[L-1] (the loss gradient at the outputs, with the output bias gradient already
 * in grad) down through the layers, filling the rest of grad. */
static void backward(rl_nn *net)
{
    const size_t L = net->n_layers, B = net->batch;
    for (size_t l = L; l-- > 0;) {
        const size_t n_in = net->sizes[l], n_out = net->sizes[l + 1];
        const float *prev = l ? net->a[l - 1] : net->x;
        const float *W = net->params + net->w_off[l];
        /* dW = prev^T d (n_in x n_out), into a zeroed gradient. */
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n_in, (int)n_out, (int)B,
                    1.0f, prev, (int)n_in, net->d[l], (int)n_out, 1.0f,
                    net->grad + net->w_off[l], (int)n_out);
        if (l == 0)
            break; /* the input needs no gradient */
        /* d_prev = (d W^T) * act'(prev) (B x n_in), and the previous layer's bias gradient. */
        float *dp = net->d[l - 1];
        memset(dp, 0, B * n_in * sizeof *dp);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)n_in, (int)n_out,
                    1.0f, net->d[l], (int)n_out, W, (int)n_out, 1.0f, dp, (int)n_in);
        derivative_and_bias(net->activation, dp, prev, B, n_in, net->grad + net->b_off[l - 1]);
    }
}

/* The loss term and its derivative for one residual r = y - t (in double). */
static double loss_term(rl_nn_loss loss, double r, double *dloss)
{
    if (loss == RL_NN_MSE) {
        *dloss = 2.0 * r;
        return r * r;
    }
    if (fabs(r) < 1.0) {
        *dloss = r;
        return 0.5 * r * r;
    }
    *dloss = r > 0 ? 1.0 : -1.0;
    return fabs(r) - 0.5;
}

/* What both loss functions check before they change anything. */
static int check_backward(const rl_nn *net, rl_nn_loss loss, const float *target,
                          const char *what, rl_error *err)
{
    if (!net || !target)
        return rl_error_set(err, RL_EINVAL, "%s: NULL %s", what, !net ? "network" : "target");
    if (loss != RL_NN_MSE && loss != RL_NN_HUBER)
        return rl_error_set(err, RL_EINVAL, "%s: loss %d is not mse or huber", what, (int)loss);
    if (!net->forward_valid)
        return rl_error_set(err, RL_EINVAL, "%s: no forward pass since the parameters last "
                                            "changed", what);
    return RL_OK;
}

int rl_nn_backward_chosen(rl_nn *net, rl_nn_loss loss, const size_t *action,
                          const float *target, double *loss_value, rl_error *err)
{
    int rc = check_backward(net, loss, target, "rl_nn_backward_chosen", err);
    if (rc != RL_OK)
        return rc;
    if (!action)
        return rl_error_set(err, RL_EINVAL, "rl_nn_backward_chosen: NULL action");
    const size_t L = net->n_layers, B = net->batch, n_out = net->sizes[L];
    for (size_t i = 0; i < B; i++)
        if (action[i] >= n_out)
            return rl_error_set(err, RL_ERANGE, "action %zu of row %zu is not below the %zu "
                                                "outputs", action[i], i, n_out);
    memset(net->grad, 0, net->n_params * sizeof(float));
    float *dy = net->d[L - 1], *db = net->grad + net->b_off[L - 1];
    const float *y = net->a[L - 1];
    memset(dy, 0, B * n_out * sizeof *dy);
    double total = 0.0, scale = 1.0 / (double)B;
    for (size_t i = 0; i < B; i++) {
        size_t k = i * n_out + action[i];
        double g;
        total += loss_term(loss, (double)y[k] - (double)target[i], &g);
        dy[k] = (float)(g * scale);
        db[action[i]] += dy[k];
    }
    backward(net);
    if (loss_value)
        *loss_value = total * scale;
    return RL_OK;
}

int rl_nn_backward_full(rl_nn *net, rl_nn_loss loss, const float *target, const bool *mask,
                        double *loss_value, rl_error *err)
{
    int rc = check_backward(net, loss, target, "rl_nn_backward_full", err);
    if (rc != RL_OK)
        return rc;
    const size_t L = net->n_layers, B = net->batch, n_out = net->sizes[L], n = B * n_out;
    size_t count = n;
    if (mask) {
        count = 0;
        for (size_t k = 0; k < n; k++)
            count += mask[k];
        if (count == 0)
            return rl_error_set(err, RL_EINVAL, "rl_nn_backward_full: the mask selects no "
                                                "output");
    }
    memset(net->grad, 0, net->n_params * sizeof(float));
    float *dy = net->d[L - 1], *db = net->grad + net->b_off[L - 1];
    const float *y = net->a[L - 1];
    double total = 0.0, scale = 1.0 / (double)count;
    for (size_t k = 0; k < n; k++) {
        if (mask && !mask[k]) {
            dy[k] = 0.0f;
            continue;
        }
        double g;
        total += loss_term(loss, (double)y[k] - (double)target[k], &g);
        dy[k] = (float)(g * scale);
        db[k % n_out] += dy[k];
    }
    backward(net);
    if (loss_value)
        *loss_value = total * scale;
    return RL_OK;
}

/* ---- optimisers ---- */

static int check_options(const rl_nn_optim_options *o, rl_error *err)
{
    const char *key = NULL;
    if (o->kind != RL_NN_SGD && o->kind != RL_NN_ADAM)
        return rl_error_set(err, RL_EINVAL, "optimizer %d is not sgd or adam", (int)o->kind);
    if (!(o->lr > 0.0 && isfinite(o->lr)))
        key = "lr";
    else if (o->kind == RL_NN_ADAM && !(o->beta1 >= 0.0 && o->beta1 < 1.0))
        key = "beta1";
    else if (o->kind == RL_NN_ADAM && !(o->beta2 >= 0.0 && o->beta2 < 1.0))
        key = "beta2";
    else if (o->kind == RL_NN_ADAM && !(o->eps > 0.0 && isfinite(o->eps)))
        key = "eps";
    if (!key)
        return RL_OK;
    double value = key[0] == 'l' ? o->lr : key[0] == 'e' ? o->eps
                                         : key[4] == '1' ? o->beta1 : o->beta2;
    const char *range = key[0] == 'b' ? "[0, 1)" : "> 0 and finite";
    rl_error_set(err, RL_ERANGE, "%s = %g must be %s", key, value, range);
    return rl_error_locate(err, RL_ERANGE, NULL, 0, 0, key);
}

int rl_nn_optim_alloc(const rl_nn *net, const rl_nn_optim_options *opt, rl_nn_optim **out,
                      rl_error *err)
{
    if (!out)
        return rl_error_set(err, RL_EINVAL, "rl_nn_optim_alloc: NULL out");
    *out = NULL;
    if (!net || !opt)
        return rl_error_set(err, RL_EINVAL, "rl_nn_optim_alloc: NULL %s",
                            !net ? "network" : "options");
    int rc = check_options(opt, err);
    if (rc != RL_OK)
        return rc;
    rl_nn_optim *o = rl_calloc(1, sizeof *o);
    if (!o)
        return rl_error_set(err, RL_ENOMEM, "out of memory allocating an optimizer");
    o->opt = *opt;
    o->n_params = net->n_params;
    if (opt->kind == RL_NN_ADAM) {
        size_t used = 0, m_off = 0, v_off = 0;
        bool ok = reserve(&used, net->n_params, &m_off) && reserve(&used, net->n_params, &v_off);
        float *block = ok ? aligned_alloc(NN_ALIGN, used * sizeof(float)) : NULL;
        if (!block) {
            rl_free(o);
            return rl_error_set(err, RL_ENOMEM,
                                "out of memory for Adam's moments of %zu parameters",
                                net->n_params);
        }
        memset(block, 0, used * sizeof(float));
        o->block = block;
        o->m = block + m_off;
        o->v = block + v_off;
    }
    *out = o;
    return RL_OK;
}

void rl_nn_optim_free(rl_nn_optim *o)
{
    if (!o)
        return;
    rl_free(o->block);
    rl_free(o);
}

void rl_nn_optim_reset(rl_nn_optim *o)
{
    if (!o)
        return;
    o->t = 0;
    if (o->m) {
        memset(o->m, 0, o->n_params * sizeof(float));
        memset(o->v, 0, o->n_params * sizeof(float));
    }
}

int rl_nn_optim_set_lr(rl_nn_optim *o, double lr, rl_error *err)
{
    if (!o)
        return rl_error_set(err, RL_EINVAL, "rl_nn_optim_set_lr: NULL optimizer");
    if (!(lr > 0.0 && isfinite(lr))) {
        rl_error_set(err, RL_ERANGE, "lr = %g must be > 0 and finite", lr);
        return rl_error_locate(err, RL_ERANGE, NULL, 0, 0, "lr");
    }
    o->opt.lr = lr;
    return RL_OK;
}

unsigned long rl_nn_optim_steps(const rl_nn_optim *o)
{
    return o ? o->t : 0;
}

int rl_nn_optim_get_moments(const rl_nn_optim *o, float *m, float *v, rl_error *err)
{
    if (!o)
        return rl_error_set(err, RL_EINVAL, "rl_nn_optim_get_moments: NULL optimizer");
    if (!o->m)
        return rl_error_set(err, RL_EUNSUPPORTED, "%s keeps no moments",
                            rl_nn_optimizer_name(o->opt.kind));
    if (m)
        memcpy(m, o->m, o->n_params * sizeof *m);
    if (v)
        memcpy(v, o->v, o->n_params * sizeof *v);
    return RL_OK;
}

/* Adam over n parameters with float constants prepared by the caller; see nn.h for the
 * formula. Operation order follows PyTorch's single-tensor Adam (1.13):
 *     m = m * b1 + omb1 * g                      (exp_avg.mul_(b1).add_(g, alpha=1-b1))
 *     v = v * b2 + (omb2 * g) * g                (exp_avg_sq.mul_(b2).addcmul_(g, g, 1-b2))
 *     p = p + (neg_step * m) / (sqrt(v) / bc2_sqrt + eps)          (param.addcdiv_)
 * Flushing compares |m| and v with FLT_MIN after they are computed and before they are
 * stored or used. SSE2 sqrt and division are correctly rounded like the scalar ones. */
typedef struct adam_consts {
    float b1, omb1, b2, omb2, neg_step, bc2_sqrt, eps;
    bool flush;
} adam_consts;

static void adam_update(float *restrict p, const float *restrict g, float *restrict m,
                        float *restrict v, size_t n, const adam_consts *c)
{
    size_t i = 0;
#if RL_NN_SSE2
    const __m128 b1 = _mm_set1_ps(c->b1), omb1 = _mm_set1_ps(c->omb1);
    const __m128 b2 = _mm_set1_ps(c->b2), omb2 = _mm_set1_ps(c->omb2);
    const __m128 neg_step = _mm_set1_ps(c->neg_step), bc2_sqrt = _mm_set1_ps(c->bc2_sqrt);
    const __m128 eps = _mm_set1_ps(c->eps), tiny = _mm_set1_ps(FLT_MIN);
    const __m128 abs_mask = _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff));
    for (; i + 4 <= n; i += 4) {
        __m128 gi = _mm_loadu_ps(g + i);
        __m128 mi = _mm_add_ps(_mm_mul_ps(_mm_loadu_ps(m + i), b1), _mm_mul_ps(omb1, gi));
        __m128 vi = _mm_add_ps(_mm_mul_ps(_mm_loadu_ps(v + i), b2),
                               _mm_mul_ps(_mm_mul_ps(omb2, gi), gi));
        if (c->flush) {
            mi = _mm_andnot_ps(_mm_cmplt_ps(_mm_and_ps(mi, abs_mask), tiny), mi);
            vi = _mm_andnot_ps(_mm_cmplt_ps(vi, tiny), vi);
        }
        _mm_storeu_ps(m + i, mi);
        _mm_storeu_ps(v + i, vi);
        __m128 denom = _mm_add_ps(_mm_div_ps(_mm_sqrt_ps(vi), bc2_sqrt), eps);
        __m128 pi = _mm_add_ps(_mm_loadu_ps(p + i), _mm_div_ps(_mm_mul_ps(neg_step, mi), denom));
        _mm_storeu_ps(p + i, pi);
    }
#endif
    for (; i < n; i++) {
        float mi = m[i] * c->b1 + c->omb1 * g[i];
        float vi = v[i] * c->b2 + (c->omb2 * g[i]) * g[i];
        if (c->flush) {
            if (fabsf(mi) < FLT_MIN)
                mi = 0.0f;
            if (vi < FLT_MIN)
                vi = 0.0f;
        }
        m[i] = mi;
        v[i] = vi;
        float denom = sqrtf(vi) / c->bc2_sqrt + c->eps;
        p[i] = p[i] + (c->neg_step * mi) / denom;
    }
}

int rl_nn_optim_step(rl_nn_optim *o, rl_nn *net, rl_error *err)
{
    if (!o || !net)
        return rl_error_set(err, RL_EINVAL, "rl_nn_optim_step: NULL %s",
                            !o ? "optimizer" : "network");
    if (net->n_params != o->n_params)
        return rl_error_set(err, RL_EINVAL, "rl_nn_optim_step: the network has %zu parameters, "
                                            "the optimizer was made for %zu", net->n_params,
                            o->n_params);
    float *p = net->params;
    const float *g = net->grad;
    const size_t n = net->n_params;
    o->t++;
    if (o->opt.kind == RL_NN_SGD) {
        const float neg_lr = (float)-o->opt.lr;
        for (size_t i = 0; i < n; i++)
            p[i] = p[i] + neg_lr * g[i];
    } else {
        /* Bias corrections in double, as PyTorch computes them in Python floats. */
        const double t = (double)o->t;
        const double bc1 = 1.0 - pow(o->opt.beta1, t), bc2 = 1.0 - pow(o->opt.beta2, t);
        adam_consts c = {
            .b1 = (float)o->opt.beta1,
            .omb1 = (float)(1.0 - o->opt.beta1),
            .b2 = (float)o->opt.beta2,
            .omb2 = (float)(1.0 - o->opt.beta2),
            .neg_step = (float)(-o->opt.lr / bc1),
            .bc2_sqrt = (float)sqrt(bc2),
            .eps = (float)o->opt.eps,
            .flush = o->opt.flush_subnormals,
        };
        adam_update(p, g, o->m, o->v, n, &c);
    }
    net->forward_valid = false;
    return RL_OK;
}

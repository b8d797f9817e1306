/* Tests for the multilayer perceptron (rl/nn.h).
 *
 * The independent numbers:
 * - Gradients: central finite differences of the loss computed by a double-precision
 *   reference network written here (its own forward pass and loss, reading the documented
 *   parameter order), evaluated at the module's float parameters.
 * - Initialisation: the uniform(-b, b) moments (mean 0, E[w^2] = b^2 / 3) with 5-sd bounds,
 *   and the documented draw order reproduced from a fresh generator.
 * - SGD and Adam: one and two steps written out by hand for a one-weight network.
 * - Learning: a linear network must reach the least-squares fit computed in closed form
 *   (normal equations); a tanh network must interpolate XOR.
 * - Copies and Polyak averaging on dyadic values whose averages are exact in float.
 * - Errors: every bad argument gives its code (the same with err NULL) and a message, and
 *   leaves the network as it was.
 */
#include "tests/support.h"

#include <float.h>
#include <stdbool.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "rl/nn.h"
#include "rl/rng.h"

/* ---- a double-precision reference network ---- */

/* Offsets of layer l's weights and biases in the documented order: per layer, the
 * n_in x n_out weights row by row, then the n_out biases. */
static size_t ref_offsets(const size_t *sizes, size_t n_sizes, size_t *w_off, size_t *b_off)
{
    size_t k = 0;
    for (size_t l = 0; l + 1 < n_sizes; l++) {
        w_off[l] = k;
        k += sizes[l] * sizes[l + 1];
        b_off[l] = k;
        k += sizes[l + 1];
    }
    return k;
}

typedef struct ref_stats {
    double min_abs_z;  /* over the hidden pre-activations of every row */
    double min_kink;   /* huber: min over the residuals used of ||r| - 1| */
    size_t n_small, n_large; /* huber: residuals with |r| < 1 and > 1 */
} ref_stats;

/* Forward pass of one row x in double; out gets the n_out outputs. */
static void ref_row(const size_t *sizes, size_t n_sizes, rl_nn_activation act,
                    const double *theta, const float *x, double *out, ref_stats *st)
{
    size_t w_off[RL_NN_MAX_LAYERS], b_off[RL_NN_MAX_LAYERS];
    ref_offsets(sizes, n_sizes, w_off, b_off);
    double h[512], z[512];
    for (size_t i = 0; i < sizes[0]; i++)
        h[i] = x[i];
    for (size_t l = 0; l + 1 < n_sizes; l++) {
        size_t n_in = sizes[l], n_out = sizes[l + 1];
        assert_true(n_out <= 512);
        for (size_t j = 0; j < n_out; j++) {
            double s = theta[b_off[l] + j];
            for (size_t i = 0; i < n_in; i++)
                s += h[i] * theta[w_off[l] + i * n_out + j];
            z[j] = s;
        }
        bool hidden = l + 2 < n_sizes;
        for (size_t j = 0; j < n_out; j++) {
            if (hidden) {
                if (st && fabs(z[j]) < st->min_abs_z)
                    st->min_abs_z = fabs(z[j]);
                h[j] = act == RL_NN_RELU ? (z[j] > 0 ? z[j] : 0.0) : tanh(z[j]);
            } else {
                out[j] = z[j];
            }
        }
    }
}

/* The loss over a batch: chosen outputs when action is not NULL, else every output
 * selected by mask (NULL: all), as documented in nn.h. */
static double ref_loss(const size_t *sizes, size_t n_sizes, rl_nn_activation act,
                       const double *theta, const float *x, size_t batch, rl_nn_loss loss,
                       const size_t *action, const float *target, const bool *mask,
                       ref_stats *st)
{
    size_t n_in = sizes[0], n_out = sizes[n_sizes - 1];
    double y[512], total = 0.0;
    size_t count = 0;
    if (st)
        *st = (ref_stats){HUGE_VAL, HUGE_VAL, 0, 0};
    for (size_t i = 0; i < batch; i++) {
        ref_row(sizes, n_sizes, act, theta, x + i * n_in, y, st);
        for (size_t j = 0; j < n_out; j++) {
            size_t k = i * n_out + j;
            double t;
            if (action) {
                if (j != action[i])
                    continue;
                t = target[i];
            } else {
                if (mask && !mask[k])
                    continue;
                t = target[k];
            }
            double r = y[j] - t;
            count++;
            if (loss == RL_NN_MSE) {
                total += r * r;
            } else {
                total += fabs(r) < 1 ? 0.5 * r * r : fabs(r) - 0.5;
                if (st) {
                    st->min_kink = fmin(st->min_kink, fabs(fabs(r) - 1.0));
                    st->n_small += fabs(r) < 1;
                    st->n_large += fabs(r) > 1;
                }
            }
        }
    }
    return total / (double)count;
}

/* ---- fixtures ---- */

static gsl_rng *rng(unsigned long seed)
{
    gsl_rng *r = rl_rng_alloc(seed, NULL);
    assert_non_null(r);
    return r;
}

static rl_nn *alloc_net(const size_t *sizes, size_t n_sizes, rl_nn_activation act,
                        size_t max_batch)
{
    rl_error err;
    rl_nn *net;
    if (rl_nn_alloc(sizes, n_sizes, act, max_batch, &net, &err) != RL_OK)
        fail_msg("rl_nn_alloc: %s", err.message);
    assert_non_null(net);
    return net;
}

/* A gradient-check problem: a net initialised from seed, inputs uniform on (-1, 1), targets
 * y + offset (offsets from -2.5 to 2.5, so huber sees both of its regimes), actions i % n_out,
 * and for the full form a mask leaving out every third output. */
typedef struct problem {
    const size_t *sizes;
    size_t n_sizes;
    rl_nn_activation act;
    rl_nn_loss loss;
    bool full;
    size_t batch;
    rl_nn *net;
    float *x, *target;
    size_t *action;
    bool *mask;
    double *theta; /* the net's float parameters, as doubles */
    size_t n_params;
} problem;

static const double offsets[] = {-2.5, -0.6, 0.45, 1.7, -1.3, 0.8, 2.2, -0.25, 1.35, -1.9, 0.15};

static void problem_make(problem *p, unsigned long seed)
{
    rl_error err;
    size_t n_in = p->sizes[0], n_out = p->sizes[p->n_sizes - 1], B = p->batch;
    p->net = alloc_net(p->sizes, p->n_sizes, p->act, B + 3); /* batch below the maximum */
    gsl_rng *r = rng(seed);
    assert_int_equal(rl_nn_init(p->net, r, &err), 0);
    p->x = malloc(B * n_in * sizeof *p->x);
    p->target = malloc(B * n_out * sizeof *p->target);
    p->action = malloc(B * sizeof *p->action);
    p->mask = malloc(B * n_out * sizeof *p->mask);
    p->n_params = rl_nn_n_params(p->net);
    p->theta = malloc(p->n_params * sizeof *p->theta);
    float *params = malloc(p->n_params * sizeof *params);
    float *y = malloc(B * n_out * sizeof *y);
    assert_true(p->x && p->target && p->action && p->mask && p->theta && params && y);
    for (size_t k = 0; k < B * n_in; k++)
        p->x[k] = (float)(2.0 * gsl_rng_uniform(r) - 1.0);
    assert_int_equal(rl_nn_forward(p->net, p->x, B, y, &err), 0);
    for (size_t i = 0; i < B; i++) {
        p->action[i] = i % n_out;
        for (size_t j = 0; j < n_out; j++) {
            size_t k = i * n_out + j;
            double off = offsets[k % (sizeof offsets / sizeof *offsets)];
            p->target[k] = (float)(y[k] + off);
            p->mask[k] = k % 3 != 1;
        }
        if (!p->full) /* one target per row, for the chosen output */
            p->target[i] = (float)(y[i * n_out + p->action[i]] + offsets[i % 11]);
    }
    assert_int_equal(rl_nn_get_params(p->net, params, &err), 0);
    for (size_t k = 0; k < p->n_params; k++)
        p->theta[k] = params[k];
    rl_rng_free(r);
    free(params);
    free(y);
}

static void problem_free(problem *p)
{
    rl_nn_free(p->net);
    free(p->x);
    free(p->target);
    free(p->action);
    free(p->mask);
    free(p->theta);
}

static double problem_loss(const problem *p, const double *theta, ref_stats *st)
{
    return ref_loss(p->sizes, p->n_sizes, p->act, theta, p->x, p->batch, p->loss,
                    p->full ? NULL : p->action, p->target, p->full ? p->mask : NULL, st);
}

/* The gradient check. h = 1e-5 in double: the central difference's truncation error is
 * h^2 |f'''| / 6 ~ 1e-11 and its rounding ~1e-16 / h ~ 1e-11, so the reference is good to
 * ~1e-10, and the comparison measures the module's float error alone. That error is the
 * float rounding of sums of n <= batch x width products (n <= 32 x 67 = 2144 here), each a
 * chain of a few roundings: typically ~sqrt(n) FLT_EPSILON <= 46 FLT_EPSILON of the
 * gradient's scale (the largest |gradient|). The tolerance is 64 FLT_EPSILON (7.6e-6) x
 * (scale + |the entry|); the errors measured are ~1e-7 x scale, and a real mistake (a missing
 * factor, a wrong index, a transposed matrix) is an O(1) relative error.
 *
 * Kinks: relu and huber have kinks, where a finite difference is meaningless. The small
 * fixtures are drawn until every hidden pre-activation is at least 1e-2 from 0 and every
 * huber residual at least 1e-2 from |r| = 1; a step of h moves them by at most ~h x 10.
 * For the large net, a parameter whose one-sided differences disagree by more than
 * curvature allows (a kink within h) is skipped, and at most 5% may be.
 *
 * subset = 0 checks every parameter; otherwise `subset` parameters drawn at random. */
static void check_gradient(problem *p, unsigned long seed, size_t subset)
{
    rl_error err;
    ref_stats st;
    /* The small fixtures take the first seed of seed, seed + 1, ... whose pre-activations
     * and residuals clear the kinks (a few tries: each of ~60 values is within 1e-2 of a
     * kink with probability ~1e-2). */
    for (int attempt = 0;; attempt++) {
        assert_true(attempt < 100);
        problem_make(p, seed + (unsigned long)attempt);
        problem_loss(p, p->theta, &st);
        if (subset || ((p->act != RL_NN_RELU || st.min_abs_z > 1e-2) &&
                       (p->loss != RL_NN_HUBER || st.min_kink > 1e-2)))
            break;
        problem_free(p);
    }
    const size_t n = p->n_params, n_out = p->sizes[p->n_sizes - 1];
    double loss_value;
    int rc = p->full ? rl_nn_backward_full(p->net, p->loss, p->target, p->mask, &loss_value, &err)
                     : rl_nn_backward_chosen(p->net, p->loss, p->action, p->target,
                                             &loss_value, &err);
    if (rc != 0)
        fail_msg("backward: %s", err.message);
    float *grad = malloc(n * sizeof *grad);
    double *fd = malloc(n * sizeof *fd);
    bool *skip = calloc(n, sizeof *skip);
    size_t *which = malloc(n * sizeof *which);
    double *theta = malloc(n * sizeof *theta);
    assert_true(grad && fd && skip && which && theta);
    assert_int_equal(rl_nn_get_grad(p->net, grad, &err), 0);

    /* Forward pass and loss against the reference (float rounding only). */
    double ref = problem_loss(p, p->theta, &st);
    assert_close(loss_value, ref, 1e-5 * (1.0 + ref));
    const float *y = rl_nn_output(p->net);
    double yref[512];
    for (size_t i = 0; i < p->batch; i++) {
        ref_row(p->sizes, p->n_sizes, p->act, p->theta, p->x + i * p->sizes[0], yref, NULL);
        for (size_t j = 0; j < n_out; j++)
            assert_close(y[i * n_out + j], yref[j], 1e-5 * (1.0 + fabs(yref[j])));
    }
    if (p->loss == RL_NN_HUBER) /* the check covers both branches of huber */
        assert_true(st.n_small > 0 && st.n_large > 0);

    size_t count = subset ? subset : n;
    gsl_rng *r = rng(seed + 1);
    for (size_t c = 0; c < count; c++)
        which[c] = subset ? gsl_rng_uniform_int(r, n) : c;
    rl_rng_free(r);

    const double h = 1e-5;
    double scale = 0.0;
    size_t skipped = 0;
    memcpy(theta, p->theta, n * sizeof *theta);
    double f0 = problem_loss(p, theta, NULL);
    for (size_t c = 0; c < count; c++) {
        size_t k = which[c];
        theta[k] = p->theta[k] + h;
        double fp = problem_loss(p, theta, NULL);
        theta[k] = p->theta[k] - h;
        double fm = problem_loss(p, theta, NULL);
        theta[k] = p->theta[k];
        fd[c] = (fp - fm) / (2 * h);
        /* One-sided slopes differ by h f'' (~1e-5) where smooth, by up to the kink's jump
         * where one lies within h. */
        if (subset && fabs((fp - f0) - (f0 - fm)) / h > 1e-3) {
            skip[c] = true;
            skipped++;
            continue;
        }
        scale = fmax(scale, fabs(fd[c]));
    }
    assert_true(skipped <= count / 20);
    assert_true(scale > 1e-2); /* the loss depends on the parameters at all */
    size_t sizeable = 0;
    for (size_t c = 0; c < count; c++) {
        if (skip[c])
            continue;
        size_t k = which[c];
        double tol = 64 * FLT_EPSILON * (scale + fabs(fd[c]));
        if (!(fabs(grad[k] - fd[c]) <= tol))
            fail_msg("parameter %zu: analytic %.9g, finite difference %.9g (tolerance %.3g)",
                     k, (double)grad[k], fd[c], tol);
        sizeable += fabs(fd[c]) > 1e-3 * scale;
    }
    /* Most gradients are far from 0, so the comparison has power (dead relu units and
     * masked outputs give exact zeros, which the comparison also checks). */
    assert_true(sizeable >= count / 2);
    free(grad);
    free(fd);
    free(skip);
    free(which);
    free(theta);
    problem_free(p);
}

static const size_t small_sizes[] = {3, 5, 4, 2};

static void test_gradient_relu_mse(void **state)
{
    (void)state;
    problem p = {.sizes = small_sizes, .n_sizes = 4, .act = RL_NN_RELU, .loss = RL_NN_MSE,
                 .full = false, .batch = 7};
    check_gradient(&p, 11, 0);
}

static void test_gradient_relu_huber(void **state)
{
    (void)state;
    problem p = {.sizes = small_sizes, .n_sizes = 4, .act = RL_NN_RELU, .loss = RL_NN_HUBER,
                 .full = false, .batch = 7};
    check_gradient(&p, 11, 0);
}

static void test_gradient_tanh_mse(void **state)
{
    (void)state;
    problem p = {.sizes = small_sizes, .n_sizes = 4, .act = RL_NN_TANH, .loss = RL_NN_MSE,
                 .full = false, .batch = 7};
    check_gradient(&p, 12, 0);
}

static void test_gradient_tanh_huber(void **state)
{
    (void)state;
    problem p = {.sizes = small_sizes, .n_sizes = 4, .act = RL_NN_TANH, .loss = RL_NN_HUBER,
                 .full = false, .batch = 7};
    check_gradient(&p, 12, 0);
}

/* The full-output form with a mask, both activations and losses. */
static void test_gradient_full_masked(void **state)
{
    (void)state;
    problem a = {.sizes = small_sizes, .n_sizes = 4, .act = RL_NN_RELU, .loss = RL_NN_MSE,
                 .full = true, .batch = 7};
    check_gradient(&a, 11, 0);
    problem b = {.sizes = small_sizes, .n_sizes = 4, .act = RL_NN_TANH, .loss = RL_NN_HUBER,
                 .full = true, .batch = 7};
    check_gradient(&b, 12, 0);
}

/* A larger net whose widths are not multiples of 4 (the vector loops' tails), one output
 * layer of 5, batch 32: 400 random parameters of 9,115. */
static void test_gradient_large_subset(void **state)
{
    (void)state;
    static const size_t sizes[] = {2, 66, 67, 5};
    problem a = {.sizes = sizes, .n_sizes = 4, .act = RL_NN_RELU, .loss = RL_NN_HUBER,
                 .full = false, .batch = 32};
    check_gradient(&a, 21, 400);
    problem b = {.sizes = sizes, .n_sizes = 4, .act = RL_NN_TANH, .loss = RL_NN_MSE,
                 .full = false, .batch = 32};
    check_gradient(&b, 22, 400);
}

/* With one output the chosen output is 0; a net with no hidden layer has no activation to
 * differentiate. Both degenerate shapes against the reference. */
static void test_gradient_degenerate_shapes(void **state)
{
    (void)state;
    static const size_t one_out[] = {3, 6, 1}, linear[] = {4, 3};
    problem a = {.sizes = one_out, .n_sizes = 3, .act = RL_NN_RELU, .loss = RL_NN_MSE,
                 .full = false, .batch = 5};
    check_gradient(&a, 31, 0);
    problem b = {.sizes = linear, .n_sizes = 2, .act = RL_NN_RELU, .loss = RL_NN_HUBER,
                 .full = false, .batch = 6};
    check_gradient(&b, 32, 0);
}

/* The chosen-output loss is the full loss with a mask selecting just the chosen outputs
 * (the same mean over B selected terms), so both must give the same loss and gradient. */
static void test_chosen_equals_masked(void **state)
{
    (void)state;
    static const size_t sizes[] = {3, 8, 4};
    const size_t B = 6, n_out = 4;
    rl_nn *net = alloc_net(sizes, 3, RL_NN_TANH, B);
    gsl_rng *r = rng(5);
    assert_int_equal(rl_nn_init(net, r, NULL), 0);
    float x[6 * 3], chosen_t[6], full_t[6 * 4] = {0};
    size_t action[6];
    bool mask[6 * 4] = {false};
    for (size_t k = 0; k < B * 3; k++)
        x[k] = (float)gsl_rng_uniform(r);
    for (size_t i = 0; i < B; i++) {
        action[i] = (i * 3) % n_out;
        chosen_t[i] = (float)(i - 2.5);
        full_t[i * n_out + action[i]] = chosen_t[i];
        mask[i * n_out + action[i]] = true;
    }
    size_t n = rl_nn_n_params(net);
    float *g1 = malloc(n * sizeof *g1), *g2 = malloc(n * sizeof *g2);
    assert_true(g1 && g2);
    for (int loss = RL_NN_MSE; loss <= RL_NN_HUBER; loss++) {
        double l1, l2;
        assert_int_equal(rl_nn_forward(net, x, B, NULL, NULL), 0);
        assert_int_equal(rl_nn_backward_chosen(net, loss, action, chosen_t, &l1, NULL), 0);
        assert_int_equal(rl_nn_get_grad(net, g1, NULL), 0);
        assert_int_equal(rl_nn_backward_full(net, loss, full_t, mask, &l2, NULL), 0);
        assert_int_equal(rl_nn_get_grad(net, g2, NULL), 0);
        assert_close(l1, l2, 0.0);
        assert_memory_equal(g1, g2, n * sizeof *g1);
    }
    free(g1);
    free(g2);
    rl_rng_free(r);
    rl_nn_free(net);
}

/* ---- initialisation ---- */

/* 64-256-8: layer 0 draws 64 x 256 + 256 = 16,640 values uniform on (-b, b), b = 1/8;
 * layer 1 draws 256 x 8 + 8 = 2,056 with b = 1/16. For N draws of U(-b, b): the mean has
 * sd b / sqrt(3N) and the mean of w^2 (expected b^2/3) has sd b^2 sqrt(4/45) / sqrt(N)
 * (Var w^2 = E w^4 - (E w^2)^2 = b^4/5 - b^4/9). Both must lie within 5 sd; a bound of
 * sqrt(3 / n_in) (Kaiming with gain 1) would put E[w^2] at 3x, hundreds of sd away. */
static void test_init_distribution(void **state)
{
    (void)state;
    static const size_t sizes[] = {64, 256, 8};
    rl_nn *net = alloc_net(sizes, 3, RL_NN_RELU, 1);
    assert_int_equal(rl_nn_n_params(net), 64 * 256 + 256 + 256 * 8 + 8);
    gsl_rng *r = rng(2024);
    assert_int_equal(rl_nn_init(net, r, NULL), 0);
    size_t n = rl_nn_n_params(net);
    float *p = malloc(n * sizeof *p);
    assert_non_null(p);
    assert_int_equal(rl_nn_get_params(net, p, NULL), 0);
    const size_t start[] = {0, 64 * 256 + 256, n};
    const double bound[] = {1.0 / 8, 1.0 / 16};
    for (int l = 0; l < 2; l++) {
        double N = (double)(start[l + 1] - start[l]), b = bound[l], sum = 0, sum2 = 0;
        for (size_t k = start[l]; k < start[l + 1]; k++) {
            assert_true(fabs(p[k]) < b);
            sum += p[k];
            sum2 += (double)p[k] * p[k];
        }
        assert_close(sum / N, 0.0, 5 * b / sqrt(3 * N));
        assert_close(sum2 / N, b * b / 3, 5 * b * b * sqrt(4.0 / 45) / sqrt(N));
    }

    /* The documented order, from a fresh generator with the same seed: W_0 row by row,
     * b_0, W_1, b_1, each (float)((2u - 1) b). */
    gsl_rng *again = rng(2024);
    for (size_t k = 0; k < n; k++) {
        double b = k < start[1] ? bound[0] : bound[1];
        float expect = (float)((2.0 * gsl_rng_uniform(again) - 1.0) * b);
        if (p[k] != expect)
            fail_msg("parameter %zu is %.9g, the documented draw gives %.9g", k, (double)p[k],
                     (double)expect);
    }
    /* Same seed, same weights; another seed, other weights. */
    rl_nn *twin = alloc_net(sizes, 3, RL_NN_RELU, 1);
    float *q = malloc(n * sizeof *q);
    assert_non_null(q);
    gsl_rng_set(again, 2024);
    assert_int_equal(rl_nn_init(twin, again, NULL), 0);
    assert_int_equal(rl_nn_get_params(twin, q, NULL), 0);
    assert_memory_equal(p, q, n * sizeof *p);
    gsl_rng_set(again, 2025);
    assert_int_equal(rl_nn_init(twin, again, NULL), 0);
    assert_int_equal(rl_nn_get_params(twin, q, NULL), 0);
    size_t same = 0;
    for (size_t k = 0; k < n; k++)
        same += p[k] == q[k];
    assert_true(same < n / 100);
    free(p);
    free(q);
    rl_rng_free(r);
    rl_rng_free(again);
    rl_nn_free(net);
    rl_nn_free(twin);
}

/* A net starts at 0 and rl_nn_alloc draws nothing: the generator's next draw is unchanged. */
static void test_alloc_zero_no_draws(void **state)
{
    (void)state;
    static const size_t sizes[] = {3, 5, 4, 2};
    rl_nn *net = alloc_net(sizes, 4, RL_NN_TANH, 7);
    assert_int_equal(rl_nn_n_params(net), 3 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2); /* 54 */
    assert_int_equal(rl_nn_n_layers(net), 3);
    assert_int_equal(rl_nn_n_inputs(net), 3);
    assert_int_equal(rl_nn_n_outputs(net), 2);
    assert_int_equal(rl_nn_size(net, 2), 4);
    assert_int_equal(rl_nn_size(net, 4), 0);
    assert_int_equal(rl_nn_max_batch(net), 7);
    assert_int_equal(rl_nn_batch(net), 0);
    assert_null(rl_nn_output(net));
    assert_int_equal(rl_nn_activation_of(net), RL_NN_TANH);
    float p[54], g[54];
    assert_int_equal(rl_nn_get_params(net, p, NULL), 0);
    assert_int_equal(rl_nn_get_grad(net, g, NULL), 0);
    for (int k = 0; k < 54; k++)
        assert_true(p[k] == 0.0f && g[k] == 0.0f);
    rl_nn_free(net);
    rl_nn_free(NULL);
}

/* ---- optimisers, by hand ---- */

/* The one-weight network y = w x + b (sizes {1, 1}). */
static rl_nn *line_net(float w, float b, size_t max_batch)
{
    static const size_t sizes[] = {1, 1};
    rl_nn *net = alloc_net(sizes, 2, RL_NN_RELU, max_batch);
    const float p[] = {w, b};
    assert_int_equal(rl_nn_set_params(net, p, NULL), 0);
    return net;
}

/* w = 0.5, b = -0.25, rows x = {2, -1}, targets {3, 0}: y = {0.75, -0.75},
 * r = y - t = {-2.25, -0.75}.
 * mse:   loss = (2.25^2 + 0.75^2) / 2 = (5.0625 + 0.5625) / 2 = 2.8125;
 *        dloss/dy_i = 2 r_i / 2 = {-2.25, -0.75}; g_w = -2.25 * 2 + -0.75 * -1 = -3.75,
 *        g_b = -3; SGD with lr 0.1: w = 0.5 + 0.375 = 0.875, b = -0.25 + 0.3 = 0.05.
 * huber: loss = ((2.25 - 0.5) + 0.5 * 0.5625) / 2 = 1.015625;
 *        dloss/dy = {-1, -0.75} / 2; g_w = -1 + 0.375 = -0.625, g_b = -0.875;
 *        w = 0.5 + 0.0625 = 0.5625, b = -0.25 + 0.0875 = -0.1625.
 * Float rounding: a few ulp of 1, so 1e-6. */
static void test_sgd_one_step(void **state)
{
    (void)state;
    const float x[] = {2, -1}, t[] = {3, 0};
    const size_t a[] = {0, 0};
    const double loss_expect[] = {2.8125, 1.015625};
    const double g_expect[][2] = {{-3.75, -3.0}, {-0.625, -0.875}};
    const double p_expect[][2] = {{0.875, 0.05}, {0.5625, -0.1625}};
    for (int loss = RL_NN_MSE; loss <= RL_NN_HUBER; loss++) {
        rl_nn *net = line_net(0.5f, -0.25f, 2);
        rl_nn_optim_options opt = RL_NN_SGD_DEFAULTS;
        opt.lr = 0.1;
        rl_nn_optim *o;
        assert_int_equal(rl_nn_optim_alloc(net, &opt, &o, NULL), RL_OK);
        assert_non_null(o);
        float y[2], g[2], p[2];
        double value;
        assert_int_equal(rl_nn_forward(net, x, 2, y, NULL), 0);
        assert_close(y[0], 0.75, 0.0);
        assert_close(y[1], -0.75, 0.0);
        assert_int_equal(rl_nn_backward_chosen(net, loss, a, t, &value, NULL), 0);
        assert_close(value, loss_expect[loss], 1e-12);
        assert_int_equal(rl_nn_get_grad(net, g, NULL), 0);
        assert_close(g[0], g_expect[loss][0], 1e-6);
        assert_close(g[1], g_expect[loss][1], 1e-6);
        assert_int_equal(rl_nn_optim_step(o, net, NULL), 0);
        assert_int_equal(rl_nn_get_params(net, p, NULL), 0);
        assert_close(p[0], p_expect[loss][0], 1e-6);
        assert_close(p[1], p_expect[loss][1], 1e-6);
        assert_int_equal(rl_nn_optim_steps(o), 1);
        assert_int_equal(rl_nn_optim_get_moments(o, NULL, NULL, NULL), RL_EUNSUPPORTED);
        rl_nn_optim_free(o);
        rl_nn_free(net);
    }
}

/* Adam's tests use a net with 10 parameters, so that both the 4-wide vector loop and its
 * scalar tail run: sizes {1, 5}, every weight w and every bias b, one input row x, the same
 * target t for each of the 5 outputs, mse over all outputs (the full form). Each output is
 * y = w x + b, and the mean over the 5 outputs gives each parameter the gradient
 * g_w = (2/5) r x, g_b = (2/5) r with r = w x + b - t. Layout: W (1 x 5), then b (5). */
static rl_nn *fan_net(float w, float b)
{
    static const size_t sizes[] = {1, 5};
    rl_nn *net = alloc_net(sizes, 2, RL_NN_RELU, 1);
    float p[10];
    for (int k = 0; k < 10; k++)
        p[k] = k < 5 ? w : b;
    assert_int_equal(rl_nn_set_params(net, p, NULL), 0);
    return net;
}

/* One forward, backward (mse over all outputs, target t everywhere) and Adam step. */
static void fan_step(rl_nn *net, rl_nn_optim *o, float x, float t)
{
    const float in[] = {x}, target[] = {t, t, t, t, t};
    assert_int_equal(rl_nn_forward(net, in, 1, NULL, NULL), 0);
    assert_int_equal(rl_nn_backward_full(net, RL_NN_MSE, target, NULL, NULL, NULL), 0);
    assert_int_equal(rl_nn_optim_step(o, net, NULL), 0);
}

/* Checks the 5 weights against w and the 5 biases against b (values from moments or
 * parameters). */
static void expect_fan(const float *v, double w, double b, double tol)
{
    for (int k = 0; k < 10; k++)
        assert_close(v[k], k < 5 ? w : b, tol);
}

/* Adam, lr 0.1, beta1 0.9, beta2 0.999, eps 1e-8; w = 0.5, b = -0.25, x = 2, t = 3.
 * Step 1: y = 0.75, r = -2.25, g_w = 0.4 * -2.25 * 2 = -1.8, g_b = -0.9.
 *   m = 0.1 g:      m_w = -0.18,  m_b = -0.09
 *   v = 0.001 g^2:  v_w = 0.00324, v_b = 0.00081
 *   bias corrections 1 - 0.9 = 0.1 and 1 - 0.999 = 0.001, so m_hat = g, v_hat = g^2, and
 *   the step is -lr g / (|g| + eps) = +0.1 (to 1e-8): w = 0.6, b = -0.15.
 * Step 2: y = 0.6 * 2 - 0.15 = 1.05, r = -1.95, g_w = -1.56, g_b = -0.78.
 *   m_w = 0.9 * -0.18 + 0.1 * -1.56 = -0.318      v_w = 0.999 * 0.00324 + 0.001 * 2.4336
 *                                                     = 0.00567036
 *   m_b = 0.9 * -0.09 + 0.1 * -0.78 = -0.159      v_b = 0.999 * 0.00081 + 0.001 * 0.6084
 *                                                     = 0.00141759
 *   bias corrections 1 - 0.81 = 0.19 and 1 - 0.998001 = 0.001999:
 *   w = 0.6 + 0.1 (0.318 / 0.19) / (sqrt(0.00567036 / 0.001999) + 1e-8)   = 0.6993744
 *   b = -0.15 + 0.1 (0.159 / 0.19) / (sqrt(0.00141759 / 0.001999) + 1e-8) = -0.0506256
 * Float rounding: a few ulp, so 4 FLT_EPSILON relative for the moments and 1e-6 for the
 * parameters (each step adds a few ulp of 1). */
static void test_adam_two_steps(void **state)
{
    (void)state;
    rl_nn *net = fan_net(0.5f, -0.25f);
    rl_nn_optim_options opt = RL_NN_ADAM_DEFAULTS;
    opt.lr = 0.1;
    rl_nn_optim *o;
    assert_int_equal(rl_nn_optim_alloc(net, &opt, &o, NULL), RL_OK);
    assert_non_null(o);
    float p[10], m[10], v[10];
    const double rel = 4 * FLT_EPSILON;

    fan_step(net, o, 2, 3);
    assert_int_equal(rl_nn_optim_get_moments(o, m, v, NULL), 0);
    for (int k = 0; k < 10; k++) {
        assert_close(m[k], k < 5 ? -0.18 : -0.09, rel * 0.18);
        assert_close(v[k], k < 5 ? 0.00324 : 0.00081, rel * 0.00324);
    }
    assert_int_equal(rl_nn_get_params(net, p, NULL), 0);
    expect_fan(p, 0.5 + 0.1 * 1.8 / (1.8 + 1e-8), -0.25 + 0.1 * 0.9 / (0.9 + 1e-8), 1e-7);

    fan_step(net, o, 2, 3);
    assert_int_equal(rl_nn_optim_get_moments(o, m, v, NULL), 0);
    for (int k = 0; k < 10; k++) {
        assert_close(m[k], k < 5 ? -0.318 : -0.159, rel * 0.318);
        assert_close(v[k], k < 5 ? 0.00567036 : 0.00141759, rel * 0.00567036);
    }
    assert_int_equal(rl_nn_get_params(net, p, NULL), 0);
    double w2 = 0.6 + 0.1 * (0.318 / 0.19) / (sqrt(0.00567036 / 0.001999) + 1e-8);
    double b2 = -0.15 + 0.1 * (0.159 / 0.19) / (sqrt(0.00141759 / 0.001999) + 1e-8);
    expect_fan(p, w2, b2, 1e-6);
    assert_close(w2, 0.6993744, 1e-7); /* the numbers, to 7 digits */
    assert_close(b2, -0.0506256, 1e-7);
    assert_int_equal(rl_nn_optim_steps(o), 2);

    /* Reset: back to step 0, so the next step is a first step again: +0.1 for each
     * parameter (the gradient is still negative, y < 3). */
    rl_nn_optim_reset(o);
    assert_int_equal(rl_nn_optim_steps(o), 0);
    float before[10];
    assert_int_equal(rl_nn_get_params(net, before, NULL), 0);
    fan_step(net, o, 2, 3);
    assert_int_equal(rl_nn_get_params(net, p, NULL), 0);
    for (int k = 0; k < 10; k++)
        assert_close(p[k] - before[k], 0.1, 1e-7);
    rl_nn_optim_free(o);
    rl_nn_free(net);
}

/* Where eps goes. w = b = 0, x = 1, t = -2.5e-8: y = 0, r = 2.5e-8, g = 0.4 r = 1e-8 for
 * every parameter. PyTorch's first step is -lr m_hat / (sqrt(v_hat) + eps)
 *   = -lr g / (|g| + eps) = -lr / 2 = -0.05 (lr 0.1).
 * eps inside the square root would give -lr g / sqrt(g^2 + eps) ~ -1e-5; eps added before
 * the bias correction of v (or TensorFlow's eps-hat form) ~ -0.003. */
static void test_adam_eps_placement(void **state)
{
    (void)state;
    rl_nn *net = fan_net(0.0f, 0.0f);
    rl_nn_optim_options opt = RL_NN_ADAM_DEFAULTS;
    opt.lr = 0.1;
    rl_nn_optim *o;
    assert_int_equal(rl_nn_optim_alloc(net, &opt, &o, NULL), RL_OK);
    assert_non_null(o);
    const float t = -2.5e-8f;
    double g = -0.4 * (double)t; /* the float target's own value: 1e-8 to 7 digits */
    fan_step(net, o, 1, t);
    float grad[10], p[10];
    assert_int_equal(rl_nn_get_grad(net, grad, NULL), 0);
    expect_fan(grad, g, g, 1e-15);
    assert_int_equal(rl_nn_get_params(net, p, NULL), 0);
    expect_fan(p, -0.1 * g / (g + 1e-8), -0.1 * g / (g + 1e-8), 1e-7);
    expect_fan(p, -0.05, -0.05, 1e-6);
    rl_nn_optim_free(o);
    rl_nn_free(net);
}

/* Subnormal moments. A first step with g = 1e-18 (w = b = 0, x = 1, t = -2.5e-18) stores
 * m = 1e-19 (a normal float) and v = 0.001 * 1e-36 = 1e-39, below FLT_MIN = 1.18e-38. Then
 * 3000 steps with g = 0 (target = output): m decays by 0.9 a step and falls below FLT_MIN
 * after ln(1e-19 / 1.18e-38) / ln(1 / 0.9) = 414 steps.
 * With flushing, v is 0 from the first step and m is 0 at the end. Without, both stay
 * subnormal: x * beta rounds back to x once x is a few subnormal ulps (4 for m, under 500 for
 * v), so they never reach 0 and every later step computes with subnormals. The parameters
 * must be identical bit for bit either way (nn.h: flushing changes none). */
static void test_adam_subnormal_flush(void **state)
{
    (void)state;
    float params[2][10];
    for (int flush = 0; flush <= 1; flush++) {
        rl_nn *net = fan_net(0.0f, 0.0f);
        rl_nn_optim_options opt = RL_NN_ADAM_DEFAULTS;
        opt.flush_subnormals = flush;
        rl_nn_optim *o;
        assert_int_equal(rl_nn_optim_alloc(net, &opt, &o, NULL), RL_OK);
        assert_non_null(o);
        float m[10], v[10];
        fan_step(net, o, 1, -2.5e-18f);
        assert_int_equal(rl_nn_optim_get_moments(o, m, v, NULL), 0);
        for (int k = 0; k < 10; k++) {
            assert_close(m[k], 1e-19, 1e-25);
            if (flush)
                assert_true(v[k] == 0.0f);
            else
                assert_true(v[k] > 0.0f && v[k] < FLT_MIN);
        }
        for (int step = 1; step < 3000; step++) {
            const float x[] = {1};
            float y[5];
            assert_int_equal(rl_nn_forward(net, x, 1, y, NULL), 0);
            /* Targets equal to the outputs: every gradient exactly 0. */
            assert_int_equal(rl_nn_backward_full(net, RL_NN_MSE, y, NULL, NULL, NULL), 0);
            assert_int_equal(rl_nn_optim_step(o, net, NULL), 0);
        }
        assert_int_equal(rl_nn_optim_get_moments(o, m, v, NULL), 0);
        for (int k = 0; k < 10; k++) {
            if (flush) {
                assert_true(m[k] == 0.0f && v[k] == 0.0f);
            } else {
                assert_true(m[k] > 0.0f && m[k] < FLT_MIN);
                assert_true(v[k] > 0.0f && v[k] < FLT_MIN);
            }
        }
        assert_int_equal(rl_nn_get_params(net, params[flush], NULL), 0);
        rl_nn_optim_free(o);
        rl_nn_free(net);
    }
    assert_memory_equal(params[0], params[1], sizeof params[0]);
    /* Where they went: sqrt(v_hat) < 1e-18 is negligible beside eps, so step t moves each
     * parameter by -lr m_hat / eps = -(lr g / eps) 0.1 0.9^(t-1) / (1 - 0.9^t), and the sum
     * over t is -1e-13 x 3.00961 (the series summed numerically; terms after m leaves the
     * normal range are below 0.9^414 of the first). Tolerance: 1e-3 relative, far above the
     * float rounding of 3000 additions, far below a missed or doubled step. */
    for (int k = 0; k < 10; k++)
        assert_close(params[1][k], -3.00961e-13, 3e-16);
}

/* ---- learning ---- */

/* A linear net (sizes {2, 1}) trained by full-batch gradient descent on mse converges to the
 * least-squares fit, computed here from the normal equations (3 x 3, Cramer's rule). Data:
 * 64 rows, x uniform on (-1, 1)^2, t = x1 - 2 x2 + 0.5 + N(0, 0.1^2). The Hessian 2 X^T X / B
 * has eigenvalues near 2/3, 2/3 and 2, so lr 0.25 contracts the error by <= 0.84 per step:
 * after 400 steps it is ~1e-30, and what is left is float rounding of the gradient near the
 * optimum (~1e-7 x lr per step), hence the tolerance 1e-5 on each coefficient. The loss must
 * equal the least-squares mean residual to 1e-6 relative. */
static double det3(const double a[3][3])
{
    return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
           a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
           a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
}

static void test_learn_least_squares(void **state)
{
    (void)state;
    enum { B = 64 };
    static const size_t sizes[] = {2, 1};
    rl_nn *net = alloc_net(sizes, 2, RL_NN_RELU, B);
    gsl_rng *r = rng(77);
    assert_int_equal(rl_nn_init(net, r, NULL), 0);
    float x[B * 2], t[B];
    size_t a[B] = {0};
    for (int i = 0; i < B; i++) {
        x[2 * i] = (float)(2 * gsl_rng_uniform(r) - 1);
        x[2 * i + 1] = (float)(2 * gsl_rng_uniform(r) - 1);
        t[i] = (float)(x[2 * i] - 2.0 * x[2 * i + 1] + 0.5 + gsl_ran_gaussian(r, 0.1));
    }
    /* Normal equations A c = rhs for c = (w1, w2, b), features (x1, x2, 1). */
    double A[3][3] = {{0}}, rhs[3] = {0};
    for (int i = 0; i < B; i++) {
        double f[3] = {x[2 * i], x[2 * i + 1], 1.0};
        for (int j = 0; j < 3; j++) {
            rhs[j] += f[j] * t[i];
            for (int k = 0; k < 3; k++)
                A[j][k] += f[j] * f[k];
        }
    }
    double c[3], d = det3(A);
    for (int j = 0; j < 3; j++) {
        double Aj[3][3];
        memcpy(Aj, A, sizeof A);
        for (int k = 0; k < 3; k++)
            Aj[k][j] = rhs[k];
        c[j] = det3(Aj) / d;
    }
    double rss = 0;
    for (int i = 0; i < B; i++) {
        double e = c[0] * x[2 * i] + c[1] * x[2 * i + 1] + c[2] - t[i];
        rss += e * e;
    }
    /* The fit is near the generating line (a sanity check on the closed form itself). */
    assert_close(c[0], 1.0, 0.1);
    assert_close(c[1], -2.0, 0.1);
    assert_close(c[2], 0.5, 0.1);

    rl_nn_optim_options opt = RL_NN_SGD_DEFAULTS;
    opt.lr = 0.25;
    rl_nn_optim *o;
    assert_int_equal(rl_nn_optim_alloc(net, &opt, &o, NULL), RL_OK);
    assert_non_null(o);
    double loss = 0;
    for (int step = 0; step < 400; step++) {
        assert_int_equal(rl_nn_forward(net, x, B, NULL, NULL), 0);
        assert_int_equal(rl_nn_backward_chosen(net, RL_NN_MSE, a, t, &loss, NULL), 0);
        assert_int_equal(rl_nn_optim_step(o, net, NULL), 0);
    }
    float p[3];
    assert_int_equal(rl_nn_get_params(net, p, NULL), 0);
    /* Layout: W is 2 x 1 (w1, w2), then b. */
    assert_close(p[0], c[0], 1e-5);
    assert_close(p[1], c[1], 1e-5);
    assert_close(p[2], c[2], 1e-5);
    assert_close(loss, rss / B, 1e-6 * rss / B);
    rl_nn_optim_free(o);
    rl_rng_free(r);
    rl_nn_free(net);
}

/* XOR through a hidden layer: a 2-8-1 tanh net with Adam (lr 0.05, full batch of the four
 * points). Exact interpolation exists (two tanh units suffice), so the loss can go to 0;
 * after 1500 steps it must be below 1e-4, i.e. every output within 0.02 of its target. */
static void test_learn_xor(void **state)
{
    (void)state;
    static const size_t sizes[] = {2, 8, 1};
    rl_nn *net = alloc_net(sizes, 3, RL_NN_TANH, 4);
    gsl_rng *r = rng(3);
    assert_int_equal(rl_nn_init(net, r, NULL), 0);
    const float x[] = {0, 0, 0, 1, 1, 0, 1, 1}, t[] = {0, 1, 1, 0};
    const size_t a[4] = {0};
    rl_nn_optim_options opt = RL_NN_ADAM_DEFAULTS;
    opt.lr = 0.05;
    rl_nn_optim *o;
    assert_int_equal(rl_nn_optim_alloc(net, &opt, &o, NULL), RL_OK);
    assert_non_null(o);
    double loss = 1;
    for (int step = 0; step < 1500; step++) {
        assert_int_equal(rl_nn_forward(net, x, 4, NULL, NULL), 0);
        assert_int_equal(rl_nn_backward_chosen(net, RL_NN_MSE, a, t, &loss, NULL), 0);
        assert_int_equal(rl_nn_optim_step(o, net, NULL), 0);
    }
    float y[4];
    assert_int_equal(rl_nn_forward(net, x, 4, y, NULL), 0);
    assert_true(loss < 1e-4);
    for (int i = 0; i < 4; i++)
        assert_close(y[i], t[i], 0.02);
    rl_nn_optim_free(o);
    rl_rng_free(r);
    rl_nn_free(net);
}

/* ---- target networks ---- */

/* Values k/8 and -k/4 (|k| < 64) have at most 9 significant bits; 0.25 o + 0.75 t then
 * needs at most ~12, so every product and sum is exact in float and the expected values
 * are exact. */
static void test_copy_and_polyak(void **state)
{
    (void)state;
    static const size_t sizes[] = {3, 5, 2};
    rl_nn *online = alloc_net(sizes, 3, RL_NN_RELU, 4);
    rl_nn *target = alloc_net(sizes, 3, RL_NN_RELU, 9); /* another max batch is fine */
    const size_t n = rl_nn_n_params(online);
    assert_int_equal(n, 3 * 5 + 5 + 5 * 2 + 2);
    float o[32], t[32], got[32];
    for (size_t k = 0; k < n; k++) {
        o[k] = (float)((double)k - 13) / 8;
        t[k] = -(float)((double)k - 5) / 4;
    }
    assert_int_equal(rl_nn_set_params(online, o, NULL), 0);
    assert_int_equal(rl_nn_set_params(target, t, NULL), 0);

    assert_int_equal(rl_nn_polyak(target, online, 0.25, NULL), 0);
    assert_int_equal(rl_nn_get_params(target, got, NULL), 0);
    for (size_t k = 0; k < n; k++)
        assert_true(got[k] == 0.25f * o[k] + 0.75f * t[k]);
    /* tau = 0 keeps the target, tau = 1 copies the online net. */
    memcpy(t, got, sizeof t);
    assert_int_equal(rl_nn_polyak(target, online, 0.0, NULL), 0);
    assert_int_equal(rl_nn_get_params(target, got, NULL), 0);
    assert_memory_equal(got, t, n * sizeof *got);
    assert_int_equal(rl_nn_polyak(target, online, 1.0, NULL), 0);
    assert_int_equal(rl_nn_get_params(target, got, NULL), 0);
    assert_memory_equal(got, o, n * sizeof *got);

    assert_int_equal(rl_nn_set_params(target, t, NULL), 0);
    assert_int_equal(rl_nn_copy_params(target, online, NULL), 0);
    assert_int_equal(rl_nn_get_params(target, got, NULL), 0);
    assert_memory_equal(got, o, n * sizeof *got);
    /* The copy computes what the original computes. */
    const float x[] = {0.5f, -1, 2, 1, 1, 1};
    float y1[4], y2[4];
    assert_int_equal(rl_nn_forward(online, x, 2, y1, NULL), 0);
    assert_int_equal(rl_nn_forward(target, x, 2, y2, NULL), 0);
    assert_memory_equal(y1, y2, sizeof y1);
    rl_nn_free(online);
    rl_nn_free(target);
}

/* ---- names and errors ---- */

static void test_names(void **state)
{
    (void)state;
    rl_nn_activation act;
    rl_nn_loss loss;
    rl_nn_optimizer opt;
    rl_error err;
    assert_int_equal(rl_nn_activation_parse("relu", &act, &err), 0);
    assert_int_equal(act, RL_NN_RELU);
    assert_int_equal(rl_nn_activation_parse("tanh", &act, &err), 0);
    assert_int_equal(act, RL_NN_TANH);
    assert_int_equal(rl_nn_loss_parse("mse", &loss, &err), 0);
    assert_int_equal(loss, RL_NN_MSE);
    assert_int_equal(rl_nn_loss_parse("huber", &loss, &err), 0);
    assert_int_equal(loss, RL_NN_HUBER);
    assert_int_equal(rl_nn_optimizer_parse("sgd", &opt, &err), 0);
    assert_int_equal(opt, RL_NN_SGD);
    assert_int_equal(rl_nn_optimizer_parse("adam", &opt, &err), 0);
    assert_int_equal(opt, RL_NN_ADAM);
    assert_string_equal(rl_nn_activation_name(RL_NN_TANH), "tanh");
    assert_string_equal(rl_nn_loss_name(RL_NN_HUBER), "huber");
    assert_string_equal(rl_nn_optimizer_name(RL_NN_ADAM), "adam");
    assert_string_equal(rl_nn_activation_name((rl_nn_activation)9), "?");

    act = RL_NN_TANH;
    assert_int_equal(rl_nn_activation_parse("sigmoid", &act, &err), RL_ENOTFOUND);
    assert_string_equal(err.message, "unknown activation 'sigmoid' (valid: relu, tanh)");
    assert_int_equal(act, RL_NN_TANH); /* untouched on failure */
    assert_int_equal(rl_nn_activation_parse("ReLU", &act, NULL), RL_ENOTFOUND);
    assert_int_equal(rl_nn_loss_parse("l2", &loss, &err), RL_ENOTFOUND);
    assert_string_equal(err.message, "unknown loss 'l2' (valid: mse, huber)");
    assert_int_equal(rl_nn_optimizer_parse("rmsprop", &opt, &err), RL_ENOTFOUND);
    assert_string_equal(err.message, "unknown optimizer 'rmsprop' (valid: sgd, adam)");
    assert_int_equal(rl_nn_optimizer_parse(NULL, &opt, &err), RL_EINVAL);
    assert_int_equal(rl_nn_loss_parse(NULL, &loss, NULL), RL_EINVAL);
}

/* Expects call to return code both with an error record (whose message must contain text)
 * and without one. */
#define EXPECT_ERROR(expected, text, call_with_err, call_without)                           \
    do {                                                                                    \
        rl_error e_;                                                                        \
        rl_error *err = &e_;                                                                \
        assert_int_equal((call_with_err), (expected));                                      \
        assert_int_equal(e_.code, (expected));                                              \
        assert_contains(e_.message, (text));                                                \
        err = NULL;                                                                         \
        assert_int_equal((call_without), (expected));                                       \
    } while (0)

/* A non-NULL pointer that a failing allocator must overwrite with NULL. */
static max_align_t sentinel;

/* rl_nn_alloc's code with the record err (whose code must agree), checked to be the same
 * code without a record; on failure *out must come back NULL both times. */
static int alloc_code(const size_t *sizes, size_t n, int act, size_t max_batch, rl_error *err)
{
    rl_nn *net = (void *)&sentinel;
    int rc = rl_nn_alloc(sizes, n, (rl_nn_activation)act, max_batch, &net, err);
    if (rc == RL_OK) {
        assert_non_null(net);
        assert_ptr_not_equal(net, (void *)&sentinel);
        rl_nn_free(net);
    } else {
        assert_null(net);
        assert_int_equal(err->code, rc);
    }
    net = (void *)&sentinel;
    assert_int_equal(rl_nn_alloc(sizes, n, (rl_nn_activation)act, max_batch, &net, NULL), rc);
    if (rc == RL_OK)
        rl_nn_free(net);
    else
        assert_null(net);
    return rc;
}

/* rl_nn_optim_alloc fails with code both with a record (which holds the code, key when not
 * NULL, and a message containing text) and without one; *out comes back NULL both times. */
static void expect_optim_error(const rl_nn *net, const rl_nn_optim_options *opt, int code,
                               const char *key, const char *text)
{
    rl_error e;
    rl_nn_optim *o = (void *)&sentinel;
    assert_int_equal(rl_nn_optim_alloc(net, opt, &o, &e), code);
    assert_null(o);
    assert_int_equal(e.code, code);
    if (key)
        assert_string_equal(e.key, key);
    assert_contains(e.message, text);
    o = (void *)&sentinel;
    assert_int_equal(rl_nn_optim_alloc(net, opt, &o, NULL), code);
    assert_null(o);
}

static void test_alloc_errors(void **state)
{
    (void)state;
    const size_t ok[] = {3, 4, 2}, zero[] = {3, 0, 2}, wide[] = {3, RL_NN_MAX_WIDTH + 1, 2};
    size_t deep[RL_NN_MAX_LAYERS + 2];
    for (size_t i = 0; i < RL_NN_MAX_LAYERS + 2; i++)
        deep[i] = 2;
    rl_error err;
    assert_int_equal(alloc_code(NULL, 3, RL_NN_RELU, 4, &err), RL_EINVAL);
    assert_contains(err.message, "at least 2 sizes");
    assert_int_equal(alloc_code(ok, 1, RL_NN_RELU, 4, &err), RL_EINVAL);
    assert_contains(err.message, "got 1");
    assert_int_equal(alloc_code(ok, 0, RL_NN_RELU, 4, &err), RL_EINVAL);
    assert_int_equal(alloc_code(deep, RL_NN_MAX_LAYERS + 2, RL_NN_RELU, 4, &err), RL_ERANGE);
    assert_contains(err.message, "17 layers is more than the 16 allowed");
    /* The maximum depth itself is fine. */
    assert_int_equal(alloc_code(deep, RL_NN_MAX_LAYERS + 1, RL_NN_RELU, 4, &err), 0);
    assert_int_equal(alloc_code(zero, 3, RL_NN_RELU, 4, &err), RL_ERANGE);
    assert_contains(err.message, "size 1 is 0, outside [1, 65536]");
    assert_int_equal(alloc_code(wide, 3, RL_NN_RELU, 4, &err), RL_ERANGE);
    assert_contains(err.message, "size 1 is 65537");
    assert_int_equal(alloc_code(ok, 3, RL_NN_RELU, 0, &err), RL_ERANGE);
    assert_contains(err.message, "max_batch 0 is outside [1, 65536]");
    assert_int_equal(alloc_code(ok, 3, RL_NN_RELU, RL_NN_MAX_BATCH + 1, &err), RL_ERANGE);
    assert_int_equal(alloc_code(ok, 3, 7, 4, &err), RL_ERANGE);
    assert_contains(err.message, "activation 7");
    /* Nowhere to put the network. */
    assert_int_equal(rl_nn_alloc(ok, 3, RL_NN_RELU, 4, NULL, &err), RL_EINVAL);
    assert_contains(err.message, "NULL out");
    assert_int_equal(rl_nn_alloc(ok, 3, RL_NN_RELU, 4, NULL, NULL), RL_EINVAL);
}

static void test_call_errors(void **state)
{
    (void)state;
    static const size_t sizes[] = {3, 4, 2};
    rl_nn *net = alloc_net(sizes, 3, RL_NN_RELU, 4);
    gsl_rng *r = rng(9);
    assert_int_equal(rl_nn_init(net, r, NULL), 0);
    const size_t n = rl_nn_n_params(net); /* 3*4 + 4 + 4*2 + 2 = 26 */
    assert_int_equal(n, 26);
    float x[5 * 3] = {0.5f, -0.25f, 1, 1, 2, -3, 0, 0, 1, -1, 1, 0.5f, 2, 2, 2};
    float t[4 * 2] = {1, 2, 3, 4, 5, 6, 7, 8}, p[26], before[26], g[26], gbefore[26];
    size_t a[4] = {0, 1, 1, 0}, bad_a[4] = {0, 1, 2, 0};
    double loss = -1;

    EXPECT_ERROR(RL_EINVAL, "NULL rng", rl_nn_init(net, NULL, err), rl_nn_init(net, NULL, err));
    EXPECT_ERROR(RL_EINVAL, "NULL network", rl_nn_init(NULL, r, err), rl_nn_init(NULL, r, err));
    /* Backward before any forward pass. */
    EXPECT_ERROR(RL_EINVAL, "no forward pass",
                 rl_nn_backward_chosen(net, RL_NN_MSE, a, t, &loss, err),
                 rl_nn_backward_chosen(net, RL_NN_MSE, a, t, &loss, err));
    EXPECT_ERROR(RL_ERANGE, "batch 0 is outside [1, 4]", rl_nn_forward(net, x, 0, NULL, err),
                 rl_nn_forward(net, x, 0, NULL, err));
    EXPECT_ERROR(RL_ERANGE, "batch 5 is outside [1, 4]", rl_nn_forward(net, x, 5, NULL, err),
                 rl_nn_forward(net, x, 5, NULL, err));
    EXPECT_ERROR(RL_EINVAL, "NULL input", rl_nn_forward(net, NULL, 2, NULL, err),
                 rl_nn_forward(net, NULL, 2, NULL, err));
    EXPECT_ERROR(RL_EINVAL, "NULL network", rl_nn_forward(NULL, x, 2, NULL, err),
                 rl_nn_forward(NULL, x, 2, NULL, err));
    assert_int_equal(rl_nn_batch(net), 0); /* the failed calls left no batch behind */

    assert_int_equal(rl_nn_forward(net, x, 4, NULL, NULL), 0);
    assert_int_equal(rl_nn_backward_chosen(net, RL_NN_HUBER, a, t, &loss, NULL), 0);
    assert_int_equal(rl_nn_get_params(net, before, NULL), 0);
    assert_int_equal(rl_nn_get_grad(net, gbefore, NULL), 0);
    double kept = loss;
    EXPECT_ERROR(RL_ERANGE, "action 2 of row 2 is not below the 2 outputs",
                 rl_nn_backward_chosen(net, RL_NN_MSE, bad_a, t, &loss, err),
                 rl_nn_backward_chosen(net, RL_NN_MSE, bad_a, t, &loss, err));
    EXPECT_ERROR(RL_EINVAL, "NULL action",
                 rl_nn_backward_chosen(net, RL_NN_MSE, NULL, t, &loss, err),
                 rl_nn_backward_chosen(net, RL_NN_MSE, NULL, t, &loss, err));
    EXPECT_ERROR(RL_EINVAL, "NULL target",
                 rl_nn_backward_chosen(net, RL_NN_MSE, a, NULL, &loss, err),
                 rl_nn_backward_chosen(net, RL_NN_MSE, a, NULL, &loss, err));
    EXPECT_ERROR(RL_EINVAL, "loss 5 is not mse or huber",
                 rl_nn_backward_chosen(net, (rl_nn_loss)5, a, t, &loss, err),
                 rl_nn_backward_chosen(net, (rl_nn_loss)5, a, t, &loss, err));
    const bool none[8] = {false};
    EXPECT_ERROR(RL_EINVAL, "the mask selects no output",
                 rl_nn_backward_full(net, RL_NN_MSE, t, none, &loss, err),
                 rl_nn_backward_full(net, RL_NN_MSE, t, none, &loss, err));
    EXPECT_ERROR(RL_EINVAL, "NULL target",
                 rl_nn_backward_full(net, RL_NN_MSE, NULL, NULL, &loss, err),
                 rl_nn_backward_full(net, RL_NN_MSE, NULL, NULL, &loss, err));
    /* Failed calls changed nothing: parameters, gradient, loss output. */
    assert_int_equal(rl_nn_get_params(net, p, NULL), 0);
    assert_memory_equal(p, before, sizeof p);
    assert_int_equal(rl_nn_get_grad(net, g, NULL), 0);
    assert_memory_equal(g, gbefore, sizeof g);
    assert_close(loss, kept, 0.0);

    /* After the parameters change, backward needs a new forward pass. */
    assert_int_equal(rl_nn_set_params(net, before, NULL), 0);
    EXPECT_ERROR(RL_EINVAL, "no forward pass since the parameters last changed",
                 rl_nn_backward_chosen(net, RL_NN_MSE, a, t, &loss, err),
                 rl_nn_backward_chosen(net, RL_NN_MSE, a, t, &loss, err));

    EXPECT_ERROR(RL_EINVAL, "NULL", rl_nn_get_params(net, NULL, err),
                 rl_nn_get_params(net, NULL, err));
    EXPECT_ERROR(RL_EINVAL, "NULL", rl_nn_set_params(NULL, p, err),
                 rl_nn_set_params(NULL, p, err));
    EXPECT_ERROR(RL_EINVAL, "NULL", rl_nn_get_grad(net, NULL, err),
                 rl_nn_get_grad(net, NULL, err));

    /* Shapes for copies: other sizes, other activation. */
    static const size_t other[] = {3, 5, 2};
    rl_nn *wrong = alloc_net(other, 3, RL_NN_RELU, 4);
    rl_nn *tanh_net = alloc_net(sizes, 3, RL_NN_TANH, 4);
    EXPECT_ERROR(RL_EINVAL, "differ in sizes or activation", rl_nn_copy_params(wrong, net, err),
                 rl_nn_copy_params(wrong, net, err));
    EXPECT_ERROR(RL_EINVAL, "differ in sizes or activation",
                 rl_nn_copy_params(tanh_net, net, err), rl_nn_copy_params(tanh_net, net, err));
    EXPECT_ERROR(RL_EINVAL, "differ in sizes or activation", rl_nn_polyak(wrong, net, 0.5, err),
                 rl_nn_polyak(wrong, net, 0.5, err));
    EXPECT_ERROR(RL_EINVAL, "NULL network", rl_nn_copy_params(NULL, net, err),
                 rl_nn_copy_params(NULL, net, err));
    EXPECT_ERROR(RL_ERANGE, "tau 1.5 is outside [0, 1]", rl_nn_polyak(net, net, 1.5, err),
                 rl_nn_polyak(net, net, 1.5, err));
    EXPECT_ERROR(RL_ERANGE, "tau -0.1", rl_nn_polyak(net, net, -0.1, err),
                 rl_nn_polyak(net, net, -0.1, err));
    EXPECT_ERROR(RL_ERANGE, "tau nan", rl_nn_polyak(net, net, NAN, err),
                 rl_nn_polyak(net, net, NAN, err));
    assert_int_equal(rl_nn_get_params(net, p, NULL), 0);
    assert_memory_equal(p, before, sizeof p);

    /* Optimiser options: each field out of range names itself. */
    rl_error e;
    const struct {
        rl_nn_optim_options opt;
        const char *key, *text;
    } bad[] = {
        {{RL_NN_ADAM, 0.0, 0.9, 0.999, 1e-8, true}, "lr", "lr = 0 must be > 0 and finite"},
        {{RL_NN_SGD, -1e-3, 0.9, 0.999, 1e-8, true}, "lr", "lr = -0.001"},
        {{RL_NN_ADAM, INFINITY, 0.9, 0.999, 1e-8, true}, "lr", "lr = inf"},
        {{RL_NN_ADAM, 1e-3, 1.0, 0.999, 1e-8, true}, "beta1", "beta1 = 1 must be [0, 1)"},
        {{RL_NN_ADAM, 1e-3, 0.9, -0.5, 1e-8, true}, "beta2", "beta2 = -0.5 must be [0, 1)"},
        {{RL_NN_ADAM, 1e-3, 0.9, 0.999, 0.0, true}, "eps", "eps = 0 must be > 0"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        expect_optim_error(net, &bad[k].opt, RL_ERANGE, bad[k].key, bad[k].text);
    /* SGD ignores Adam's fields. */
    rl_nn_optim_options sgd = {RL_NN_SGD, 0.1, 7.0, -1.0, 0.0, true};
    rl_nn_optim *o;
    assert_int_equal(rl_nn_optim_alloc(net, &sgd, &o, &e), RL_OK);
    assert_non_null(o);
    rl_nn_optim_free(o);
    rl_nn_optim_options kind = {(rl_nn_optimizer)4, 0.1, 0.9, 0.999, 1e-8, true};
    expect_optim_error(net, &kind, RL_EINVAL, NULL, "optimizer 4 is not sgd or adam");
    expect_optim_error(NULL, &kind, RL_EINVAL, NULL, "NULL network");
    expect_optim_error(net, NULL, RL_EINVAL, NULL, "NULL options");
    EXPECT_ERROR(RL_EINVAL, "NULL out", rl_nn_optim_alloc(net, &sgd, NULL, err),
                 rl_nn_optim_alloc(net, &sgd, NULL, err));

    rl_nn_optim_options adam = RL_NN_ADAM_DEFAULTS;
    assert_int_equal(rl_nn_optim_alloc(net, &adam, &o, &e), RL_OK);
    assert_non_null(o);
    EXPECT_ERROR(RL_EINVAL, "the network has 32 parameters, the optimizer was made for 26",
                 rl_nn_optim_step(o, wrong, err), rl_nn_optim_step(o, wrong, err));
    EXPECT_ERROR(RL_EINVAL, "NULL network", rl_nn_optim_step(o, NULL, err),
                 rl_nn_optim_step(o, NULL, err));
    assert_int_equal(rl_nn_optim_steps(o), 0); /* failed steps are not counted */
    EXPECT_ERROR(RL_ERANGE, "lr = 0", rl_nn_optim_set_lr(o, 0.0, err),
                 rl_nn_optim_set_lr(o, 0.0, err));
    EXPECT_ERROR(RL_ERANGE, "lr = nan", rl_nn_optim_set_lr(o, NAN, err),
                 rl_nn_optim_set_lr(o, NAN, err));
    assert_int_equal(rl_nn_optim_set_lr(o, 0.5, &e), 0);
    assert_int_equal(rl_nn_optim_get_moments(NULL, NULL, NULL, &e), RL_EINVAL);
    rl_nn_optim_free(o);
    rl_nn_optim_free(NULL);

    rl_nn_free(wrong);
    rl_nn_free(tanh_net);
    rl_rng_free(r);
    rl_nn_free(net);
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gradient_relu_mse),
        cmocka_unit_test(test_gradient_relu_huber),
        cmocka_unit_test(test_gradient_tanh_mse),
        cmocka_unit_test(test_gradient_tanh_huber),
        cmocka_unit_test(test_gradient_full_masked),
        cmocka_unit_test(test_gradient_large_subset),
        cmocka_unit_test(test_gradient_degenerate_shapes),
        cmocka_unit_test(test_chosen_equals_masked),
        cmocka_unit_test(test_init_distribution),
        cmocka_unit_test(test_alloc_zero_no_draws),
        cmocka_unit_test(test_sgd_one_step),
        cmocka_unit_test(test_adam_two_steps),
        cmocka_unit_test(test_adam_eps_placement),
        cmocka_unit_test(test_adam_subnormal_flush),
        cmocka_unit_test(test_learn_least_squares),
        cmocka_unit_test(test_learn_xor),
        cmocka_unit_test(test_copy_and_polyak),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_alloc_errors),
        cmocka_unit_test(test_call_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

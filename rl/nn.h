/* A small dense multilayer perceptron for value-function approximation (DQN and friends).
 *
 * The network maps a batch of inputs to a batch of outputs through fully connected layers:
 * sizes = {input, hidden..., output}, e.g. {3, 100, 1} or {2, 64, 64, 4}. Every layer has a
 * bias; hidden layers apply one activation (relu or tanh), the output layer none. Storage is
 * float32, row-major and batch-major (row i of a batch is sample i), and every matrix product
 * goes through cblas_sgemm (OpenBLAS). All buffers are allocated once, for a maximum batch
 * given at allocation: forward, backward and optimiser steps allocate nothing.
 *
 * The semantics follow PyTorch so that numbers can be compared with it: nn.Linear's default
 * initialisation, MSELoss and HuberLoss (delta 1) with mean reduction, torch.optim.SGD and
 * torch.optim.Adam. A training step is
 *
 *     rl_nn_forward(net, x, batch, NULL, err);                 // keeps what backward needs
 *     rl_nn_backward_chosen(net, RL_NN_HUBER, actions, targets, &loss, err);
 *     rl_nn_optim_step(opt, net, err);
 *
 * Parameter order (the flat vector of rl_nn_get_params, rl_nn_set_params, rl_nn_get_grad,
 * and the order rl_nn_init draws in): layer by layer from the input; within layer l
 * (n_in = sizes[l] inputs, n_out = sizes[l+1] outputs) first the weights, an n_in x n_out
 * row-major matrix W with W[i * n_out + j] the weight from input i to output j (row by row,
 * i.e. PyTorch's Linear.weight transposed), then the n_out biases. Layer l's output for
 * sample x is act(x W + b).
 *
 * Functions return 0 or a negative RL_E* code and fill err (which may be NULL) on failure,
 * the code being the same whether err is NULL or not; a failing call changes nothing (an
 * allocator sets *out to NULL and leaves nothing allocated). Nothing here prints, exits or
 * keeps global state; a network and an optimiser may be used from one thread at a time. The
 * caller decides how many threads OpenBLAS uses (rl_gsl_init sets one).
 */
#ifndef GRIDRL_RL_NN_H
#define GRIDRL_RL_NN_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "rl/error.h"

#define RL_NN_MAX_LAYERS 16      /* weight layers, so at most 17 sizes */
#define RL_NN_MAX_WIDTH 65536    /* units in any one layer (input and output included) */
#define RL_NN_MAX_BATCH 65536    /* rows of a batch */

typedef enum rl_nn_activation { RL_NN_RELU, RL_NN_TANH } rl_nn_activation;
typedef enum rl_nn_loss { RL_NN_MSE, RL_NN_HUBER } rl_nn_loss;
typedef enum rl_nn_optimizer { RL_NN_SGD, RL_NN_ADAM } rl_nn_optimizer;

/* Names as a config file writes them: "relu", "tanh"; "mse", "huber"; "sgd", "adam". An
 * unknown name is RL_ENOTFOUND with the valid names in the message (as for unknown envs and
 * algorithms); NULL is RL_EINVAL. The *_name functions return "?" for a value out of range. */
int rl_nn_activation_parse(const char *name, rl_nn_activation *out, rl_error *err);
int rl_nn_loss_parse(const char *name, rl_nn_loss *out, rl_error *err);
int rl_nn_optimizer_parse(const char *name, rl_nn_optimizer *out, rl_error *err);
const char *rl_nn_activation_name(rl_nn_activation a);
const char *rl_nn_loss_name(rl_nn_loss l);
const char *rl_nn_optimizer_name(rl_nn_optimizer o);

typedef struct rl_nn rl_nn;

/* A network with n_sizes - 1 layers of sizes[0] -> sizes[1] -> ... -> sizes[n_sizes - 1]
 * units, for batches of up to max_batch rows, into *out. Parameters start at 0 (call
 * rl_nn_init): a target network that is about to be copied into should not consume random
 * numbers. On failure *out is NULL, nothing is left allocated, and the code (the same
 * whether err is NULL or not) is RL_EINVAL for out NULL, sizes NULL or n_sizes < 2,
 * RL_ERANGE for more than RL_NN_MAX_LAYERS layers, a size outside [1, RL_NN_MAX_WIDTH],
 * max_batch outside [1, RL_NN_MAX_BATCH] or an activation that is not one of the enum's,
 * RL_ENOMEM. */
int rl_nn_alloc(const size_t *sizes, size_t n_sizes, rl_nn_activation activation,
                size_t max_batch, rl_nn **out, rl_error *err);
void rl_nn_free(rl_nn *net); /* NULL is a no-op */

/* PyTorch's default for nn.Linear: every weight and bias of a layer with n_in inputs is
 * uniform on (-1/sqrt(n_in), 1/sqrt(n_in)), drawn as (float)((2 u - 1) / sqrt(n_in)) with
 * u = gsl_rng_uniform(r), one draw per parameter in parameter order (see the top of this
 * file). RL_EINVAL for a NULL argument. */
int rl_nn_init(rl_nn *net, gsl_rng *r, rl_error *err);

/* Shape. */
size_t rl_nn_n_layers(const rl_nn *net); /* weight layers: n_sizes - 1 */
size_t rl_nn_size(const rl_nn *net, size_t i); /* sizes[i]; 0 when i >= n_sizes */
size_t rl_nn_n_inputs(const rl_nn *net);
size_t rl_nn_n_outputs(const rl_nn *net);
size_t rl_nn_max_batch(const rl_nn *net);
size_t rl_nn_n_params(const rl_nn *net);
rl_nn_activation rl_nn_activation_of(const rl_nn *net);

/* The flat parameter vector (rl_nn_n_params floats, in parameter order). */
int rl_nn_get_params(const rl_nn *net, float *out, rl_error *err);
int rl_nn_set_params(rl_nn *net, const float *in, rl_error *err);
/* The gradient of the last backward call, in parameter order (zeros before any). */
int rl_nn_get_grad(const rl_nn *net, float *out, rl_error *err);

/* Forward pass of batch rows x[batch][n_inputs]. The outputs, batch x n_outputs, are
 * copied to y when y is not NULL, and stay readable through rl_nn_output until the next
 * call that changes the network. What backward needs (the input, every layer's output) is
 * kept inside the network, so x may be reused at once. RL_ERANGE for batch outside
 * [1, max_batch], RL_EINVAL for a NULL x. */
int rl_nn_forward(rl_nn *net, const float *x, size_t batch, float *y, rl_error *err);
/* The outputs of the last forward pass (batch x n_outputs, row-major); NULL before any. */
const float *rl_nn_output(const rl_nn *net);
size_t rl_nn_batch(const rl_nn *net); /* rows of the last forward pass; 0 before any */

/* Loss and gradient for Q-learning: for each row i of the last forward pass, the loss
 * compares one chosen output y[i][action[i]] (the action taken; 0 for a one-output network)
 * with target[i], and the gradient of the loss with respect to every parameter replaces the
 * network's gradient. The loss, returned in *loss when loss is not NULL, is PyTorch's with
 * mean reduction over the batch B, residual d_i = y[i][action[i]] - target[i]:
 *     mse:   (1/B) sum d_i^2                      (no 1/2, as nn.MSELoss)
 *     huber: (1/B) sum (|d_i| < 1 ? d_i^2 / 2 : |d_i| - 1/2)   (nn.HuberLoss, delta 1,
 *            which equals nn.SmoothL1Loss with beta 1)
 * The loss is summed in double. Errors (nothing changes): RL_EINVAL for NULL action or
 * target, an unknown loss, or no forward pass since the parameters last changed;
 * RL_ERANGE for an action >= n_outputs (the message names the row). */
int rl_nn_backward_chosen(rl_nn *net, rl_nn_loss loss, const size_t *action,
                          const float *target, double *loss_value, rl_error *err);

/* The same with a target for every output: target[i][j] for the batch x n_outputs outputs
 * of the last forward pass. mask (batch x n_outputs, may be NULL for all) selects which
 * outputs count; the loss is the mean over the selected ones, as PyTorch's loss of
 * (y[mask], target[mask]). RL_EINVAL also when the mask selects nothing. */
int rl_nn_backward_full(rl_nn *net, rl_nn_loss loss, const float *target, const bool *mask,
                        double *loss_value, rl_error *err);

/* dst's parameters become src's (a target network). Both must have the same sizes and
 * activation (RL_EINVAL otherwise); their maximum batches may differ. */
int rl_nn_copy_params(rl_nn *dst, const rl_nn *src, rl_error *err);

/* Polyak averaging: target = tau * online + (1 - tau) * target, parameter by parameter in
 * float (target * (float)(1 - tau) + (float)tau * online, as PyTorch's
 * target.mul_(1 - tau).add_(online, alpha=tau)). tau in [0, 1] (RL_ERANGE otherwise); the
 * shapes must match as for rl_nn_copy_params. */
int rl_nn_polyak(rl_nn *target, const rl_nn *online, double tau, rl_error *err);

/* ---- Optimisers ---- */

typedef struct rl_nn_optim_options {
    rl_nn_optimizer kind;
    double lr;    /* learning rate, > 0 and finite */
    double beta1; /* Adam: first-moment decay, [0, 1) */
    double beta2; /* Adam: second-moment decay, [0, 1) */
    double eps;   /* Adam: added to the bias-corrected sqrt(v), > 0 */
    /* Adam: set moments below FLT_MIN (the smallest normal float) to 0 as they are stored.
     * Moments of parameters whose gradient stays 0 (dead relu units) decay geometrically
     * into subnormal floats, where v then sticks (v * beta2 rounds back to v) and costs a
     * slow-path operation per step on many CPUs. With beta2 = 0.999 and eps >= 1e-9 a
     * flushed v changes no denominator (sqrt of its bias-corrected value is < 3.5e-18, less
     * than half an ulp of eps), and a flushed m had moved a parameter by less than
     * lr FLT_MIN / ((1 - beta1) eps) (~1e-32 at the defaults). Off gives exact IEEE
     * behaviour, for measuring the trap. */
    bool flush_subnormals;
} rl_nn_optim_options;

/* PyTorch's torch.optim.Adam defaults, with lr 1e-3. */
#define RL_NN_ADAM_DEFAULTS {RL_NN_ADAM, 1e-3, 0.9, 0.999, 1e-8, true}
/* Plain SGD (the Adam fields are ignored). */
#define RL_NN_SGD_DEFAULTS {RL_NN_SGD, 1e-2, 0.9, 0.999, 1e-8, true}

typedef struct rl_nn_optim rl_nn_optim;

/* An optimiser for networks with net's parameter count (its state starts at step 0 with
 * zero moments), into *out. On failure *out is NULL, nothing is left allocated, and the code
 * (the same whether err is NULL or not) is RL_EINVAL for NULL arguments or an unknown kind,
 * RL_ERANGE for lr, beta1, beta2 or eps out of range (err->key names the field), RL_ENOMEM. */
int rl_nn_optim_alloc(const rl_nn *net, const rl_nn_optim_options *opt, rl_nn_optim **out,
                      rl_error *err);
void rl_nn_optim_free(rl_nn_optim *o); /* NULL is a no-op */

/* One step with the network's current gradient (from the last backward call).
 *     sgd:  p = p - lr g
 *     adam: t = t + 1; m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2;
 *           p = p - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * (PyTorch's order of float operations; eps is added after the square root of the
 * bias-corrected second moment). RL_EINVAL when net's parameter count is not the one the
 * optimiser was made for. */
int rl_nn_optim_step(rl_nn_optim *o, rl_nn *net, rl_error *err);

/* Back to step 0 with zero moments (the options stay). */
void rl_nn_optim_reset(rl_nn_optim *o);
/* Changes the learning rate (for schedules); RL_ERANGE unless lr > 0 and finite. */
int rl_nn_optim_set_lr(rl_nn_optim *o, double lr, rl_error *err);
/* Steps taken since allocation or the last reset. */
unsigned long rl_nn_optim_steps(const rl_nn_optim *o);
/* Adam's moments m and v (rl_nn_n_params floats each, in parameter order; either may be
 * NULL), for tests and diagnostics. RL_EUNSUPPORTED for SGD, which keeps none. */
int rl_nn_optim_get_moments(const rl_nn_optim *o, float *m, float *v, rl_error *err);

#endif

/* Deep Q-learning on rl/nn's multilayer perceptron.
 *
 * The network. Its input for a state s (and, with outputs = 1, an action a) is
 * - input = coords: y = row / (rows - 1) and x = col / (cols - 1) (0 on a grid one cell
 *   wide), plus z = a / (n_actions - 1) with outputs = 1: Zhao's 3-input network of Fig 8.11;
 * - input = features: the dense phi(s) (outputs = actions) or phi(s, a) (outputs = 1, laid
 *   out by action_features) of any feature kind of the linear learners (rl/features.h).
 * With outputs = actions the network has one output per action, q(s, .) = net(s); with
 * outputs = 1 it has one, q(s, a) = net(s, a), and every q(s, .) takes |A| rows. Either way
 * the outputs of n states come out as an n x |A| row-major matrix, so everything downstream
 * is written once.
 *
 * An update (Mnih et al. 2015, with van Hasselt's double DQN as an option):
 *   1. draw `batch` transitions uniformly from the replay buffer (agents/replay.h);
 *   2. target y = r for a terminated transition, else r + gamma max_b q_target(s', b), or
 *      with double = true r + gamma q_target(s', argmax_b q_online(s', b)) (the first
 *      maximum: an internal choice costs no draw). Truncated transitions were stored as not
 *      terminated: they bootstrap;
 *   3. one optimiser step on the loss (mse or huber, mean over the batch) between q_online(s,
 *      a) and y, y held fixed;
 *   4. every target_every updates the target network moves to tau online + (1 - tau) target
 *      (tau = 1, the default: a copy; tau < 1 with target_every = 1 is Polyak averaging).
 * Targets are computed in double from the float outputs and handed to rl_nn as floats.
 *
 * Online (updates = 0): every transition goes into the buffer; once it holds `warmup`
 * transitions (at least one), every train_every-th transition is followed by one update.
 * Offline (updates = N > 0): observe only stores and acts; after each episode the update
 * hook does N updates (none while the buffer holds fewer than warmup), each reported to the
 * runner with its loss, which logs it into updates.csv.
 *
 * Read-outs run the online network over every state in chunks of at most READOUT_ROWS
 * rows: action values of decision states (0 elsewhere), values max_a q, and the greedy
 * policy by the read-out tie rule. They reuse the learner's scratch buffers and the online
 * network's own (its last forward pass is not needed between hooks), so a read-out
 * allocates nothing; a learner is used from one thread at a time.
 *
 * Divergence: after every update the loss and every online parameter are checked; the first
 * non-finite one records the transitions observed so far (the runner's step count), which
 * the diverged hook reports. A diverged learner stops training.
 *
 * Memory is allocated at init (networks, optimiser, buffer, scratch); a step and an update
 * allocate nothing.
 */
#include "agents/dqn.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agents/explore.h"
#include "agents/replay.h"
#include "agents/schedule.h"
#include "rl/alloc.h"
#include "rl/argmax.h"
#include "rl/features.h"
#include "rl/policy.h"

/* Rows of one read-out forward pass: large enough that a pass amortises its overhead, small
 * enough that the activations of a wide network stay a few megabytes. */
#define READOUT_ROWS 1024
#define MAX_BATCH 4096 /* times |A| <= 16 rows: within RL_NN_MAX_BATCH */

static const rl_param_spec dqn_params[] = {
    RL_GAMMA_PARAM,
    RL_EPSILON_PARAMS,
    {"behavior", RL_PARAM_CHOICE, "epsilon_greedy", 0, 0, 0, "epsilon_greedy|uniform",
     "epsilon-greedy on the online network, or uniform (epsilon unused; Zhao Fig 8.11)"},
    {"input", RL_PARAM_CHOICE, "coords", 0, 0, 0, "coords|features",
     "network input: row and column scaled to [0, 1] (and the action, with outputs = 1), or "
     "the dense vector of `features`"},
    {"outputs", RL_PARAM_CHOICE, "actions", 0, 0, 0, "1|actions",
     "one output per action, q(s, .) = net(s); or 1, q(s, a) = net(s, a) (Zhao's network)"},
    {"hidden", RL_PARAM_STRING, "64", 0, 0, 0, NULL,
     "hidden layer widths separated by spaces: '100', '64 64' (a comma sweeps); 0: none"},
    {"activation", RL_PARAM_CHOICE, "relu", 0, 0, 0, "relu|tanh", "hidden units"},
    {"loss", RL_PARAM_CHOICE, "huber", 0, 0, 0, "mse|huber",
     "mean over the batch of the squared error, or Huber's (delta 1)"},
    {"optimizer", RL_PARAM_CHOICE, "adam", 0, 0, 0, "sgd|adam",
     "plain SGD, or Adam (beta1 0.9, beta2 0.999, eps 1e-8)"},
    {"lr", RL_PARAM_DOUBLE, "0.001", 0, 1, RL_PARAM_MIN_OPEN, NULL, "learning rate"},
    {"batch", RL_PARAM_INT, "32", 1, MAX_BATCH, 0, NULL,
     "transitions per update, drawn uniformly with replacement from the buffer"},
    {"replay_size", RL_PARAM_INT, "10000", 1, (double)RL_REPLAY_MAX_CAPACITY, 0, NULL,
     "replay buffer capacity (18 bytes a transition); the oldest is overwritten"},
    {"warmup", RL_PARAM_INT, "100", 0, 1e12, 0, NULL,
     "transitions stored before the first update"},
    {"train_every", RL_PARAM_INT, "1", 1, 1e9, 0, NULL,
     "online: one update every this many transitions"},
    {"target_every", RL_PARAM_INT, "100", 1, 1e12, 0, NULL,
     "updates between target network refreshes (1: the target is the online network)"},
    {"tau", RL_PARAM_DOUBLE, "1", 0, 1, RL_PARAM_MIN_OPEN, NULL,
     "a refresh sets target = tau online + (1 - tau) target (1: a copy)"},
    {"double", RL_PARAM_BOOL, "false", 0, 0, 0, NULL,
     "double DQN: the online network picks the next action, the target network values it"},
    {"updates", RL_PARAM_INT, "0", 0, 1e9, 0, NULL,
     "offline: training updates after each episode, through the runner (updates.csv); "
     "0: online training while acting"},
    RL_FEATURE_PARAMS,
    RL_END_PARAM,
};

typedef struct dqn {
    const rl_space *sp;
    size_t n_actions;
    /* settings */
    double gamma, tau;
    bool uniform_behavior, one_output, double_dqn;
    rl_nn_loss loss;
    size_t batch, warmup, train_every, target_every, updates_per_episode;
    rl_epsilon_schedule explore;
    /* the input */
    rl_features *f; /* input = features; NULL: coords */
    size_t n_in;
    size_t rows_per_state; /* rows of q(s, .): |A| with outputs = 1, else 1 */
    size_t readout_states; /* states per read-out pass */
    /* networks */
    rl_nn *online, *target;
    rl_nn_optim *opt;
    size_t n_params;
    rl_replay replay;
    /* scratch, allocated at init */
    float *x;       /* inputs of any forward pass: max rows x n_in */
    size_t *states; /* batch: the states whose q(s, .) a pass computes */
    size_t *index;  /* batch: replay slots */
    size_t *chosen; /* batch: the output each loss term reads */
    size_t *next_a; /* batch: double DQN's argmax */
    float *y;       /* batch: targets */
    float *params;  /* n_params: the divergence check */
    double *q_row;  /* n_actions */
    /* counters */
    size_t steps;           /* transitions observed since init */
    size_t n_updates;       /* updates since init */
    size_t episode_updates; /* offline: updates since the last episode ended */
    size_t diverged_step;   /* 0: finite so far */
} dqn;

static void dqn_release(void *state)
{
    dqn *d = state;
    rl_features_free(d->f);
    rl_nn_free(d->online);
    rl_nn_free(d->target);
    rl_nn_optim_free(d->opt);
    rl_replay_release(&d->replay);
    rl_free(d->x);
    rl_free(d->states);
    rl_free(d->index);
    rl_free(d->chosen);
    rl_free(d->next_a);
    rl_free(d->y);
    rl_free(d->params);
    rl_free(d->q_row);
    memset(d, 0, sizeof *d);
}

/* The key's value is wrong: code, message, and the key named. */
static int key_error(rl_error *err, int code, const char *key)
{
    return rl_error_locate(err, code, NULL, 0, 0, key);
}

/* hidden = "W1 W2 ..." into sizes[1 ..] (sizes[0] is the input); *n_sizes counts the input
 * and the hidden layers. "0" alone is no hidden layer (a linear network). */
static int parse_hidden(const char *text, size_t *sizes, size_t *n_sizes, rl_error *err)
{
    *n_sizes = 1;
    const char *p = text ? text : "";
    size_t words = 0;
    bool none = false; /* "0" was given */
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        errno = 0;
        char *end = NULL;
        long w = isdigit((unsigned char)*p) ? strtol(p, &end, 10) : -1;
        if (w < 0 || errno || (*end && !isspace((unsigned char)*end))) {
            rl_error_set(err, RL_EINVAL,
                         "hidden = '%s': widths are whole numbers separated by spaces, e.g. "
                         "'100' or '64 64'",
                         text);
            return key_error(err, RL_EINVAL, "hidden");
        }
        p = end;
        words++;
        none = none || w == 0;
        if (none && words > 1) {
            rl_error_set(err, RL_ERANGE, "hidden = '%s': 0 means no hidden layer and stands "
                                         "alone", text);
            return key_error(err, RL_ERANGE, "hidden");
        }
        if (none)
            continue;
        if (w > RL_NN_MAX_WIDTH) {
            rl_error_set(err, RL_ERANGE, "hidden = '%s': a width is at most %d", text,
                         RL_NN_MAX_WIDTH);
            return key_error(err, RL_ERANGE, "hidden");
        }
        if (*n_sizes >= RL_NN_MAX_LAYERS) {
            rl_error_set(err, RL_ERANGE, "hidden = '%s': at most %d hidden layers", text,
                         RL_NN_MAX_LAYERS - 1);
            return key_error(err, RL_ERANGE, "hidden");
        }
        sizes[(*n_sizes)++] = (size_t)w;
    }
    if (!words) {
        rl_error_set(err, RL_EINVAL, "hidden is empty: give the widths ('100', '64 64') or 0 "
                                     "for no hidden layer");
        return key_error(err, RL_EINVAL, "hidden");
    }
    return RL_OK;
}

/* The input row of (s, a) into out (n_in floats); a is read with outputs = 1 only. */
static void input_row(const dqn *d, size_t s, size_t a, float *out)
{
    if (d->f) {
        rl_features_dense(d->f, s, d->one_output ? a : 0, out);
        return;
    }
    const rl_space *sp = d->sp;
    out[0] = sp->rows > 1 ? (float)((double)rl_space_row(sp, s) / (double)(sp->rows - 1)) : 0.0f;
    out[1] = sp->cols > 1 ? (float)((double)rl_space_col(sp, s) / (double)(sp->cols - 1)) : 0.0f;
    if (d->one_output)
        out[2] = d->n_actions > 1 ? (float)((double)a / (double)(d->n_actions - 1)) : 0.0f;
}

/* q(s, .) of the n states states[i] (or, with states NULL, of first .. first + n - 1) by
 * net into *q: the n x |A| outputs, valid until net's next forward pass. The row counts
 * were fixed at init, so the pass cannot fail; *q is NULL if it did all the same. */
static int q_of(const dqn *d, rl_nn *net, const size_t *states, size_t first, size_t n,
                const float **q, rl_error *err)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t s = states ? states[i] : first + i;
        for (size_t a = 0; a < d->rows_per_state; a++, k++)
            input_row(d, s, a, d->x + k * d->n_in);
    }
    int rc = rl_nn_forward(net, d->x, k, NULL, err);
    *q = rc == RL_OK ? rl_nn_output(net) : NULL;
    return rc;
}

static size_t select_action(dqn *d, size_t s, gsl_rng *r)
{
    const float *q;
    if (d->uniform_behavior || q_of(d, d->online, &s, 0, 1, &q, NULL) != RL_OK)
        return rl_explore_uniform(d->n_actions, r);
    for (size_t a = 0; a < d->n_actions; a++)
        d->q_row[a] = (double)q[a];
    return rl_explore_epsilon_greedy(d->q_row, d->n_actions, d->explore.epsilon, r);
}

static bool params_finite(dqn *d)
{
    rl_nn_get_params(d->online, d->params, NULL);
    for (size_t i = 0; i < d->n_params; i++)
        if (!isfinite(d->params[i]))
            return false;
    return true;
}

/* One training update (see the top of this file); *loss gets its loss. */
static int train(dqn *d, gsl_rng *r, double *loss, rl_error *err)
{
    const size_t B = d->batch, A = d->n_actions;
    const rl_replay *rb = &d->replay;
    rl_replay_sample(rb, B, r, d->index);
    for (size_t i = 0; i < B; i++)
        d->states[i] = rb->next[d->index[i]];
    int rc;
    if (d->double_dqn) {
        const float *qo;
        if ((rc = q_of(d, d->online, d->states, 0, B, &qo, err)) != RL_OK)
            return rc;
        for (size_t i = 0; i < B; i++) {
            const float *q = qo + i * A;
            size_t best = 0;
            for (size_t a = 1; a < A; a++)
                if (q[a] > q[best])
                    best = a;
            d->next_a[i] = best;
        }
    }
    const float *qt;
    if ((rc = q_of(d, d->target, d->states, 0, B, &qt, err)) != RL_OK)
        return rc;
    for (size_t i = 0; i < B; i++) {
        size_t j = d->index[i];
        double y = rb->reward[j];
        if (!rb->terminated[j]) {
            const float *q = qt + i * A;
            double next;
            if (d->double_dqn) {
                next = (double)q[d->next_a[i]];
            } else {
                next = (double)q[0];
                for (size_t a = 1; a < A; a++)
                    next = (double)q[a] > next ? (double)q[a] : next;
            }
            y += d->gamma * next;
        }
        d->y[i] = (float)y;
    }
    /* The online network on (s, a): one row per transition. */
    for (size_t i = 0; i < B; i++) {
        size_t j = d->index[i], a = rb->action[j];
        input_row(d, rb->state[j], a, d->x + i * d->n_in);
        d->chosen[i] = d->one_output ? 0 : a;
    }
    if ((rc = rl_nn_forward(d->online, d->x, B, NULL, err)) != RL_OK ||
        (rc = rl_nn_backward_chosen(d->online, d->loss, d->chosen, d->y, loss, err)) != RL_OK ||
        (rc = rl_nn_optim_step(d->opt, d->online, err)) != RL_OK)
        return rc;
    d->n_updates++;
    if (d->n_updates % d->target_every == 0)
        rc = d->tau == 1.0 ? rl_nn_copy_params(d->target, d->online, err)
                           : rl_nn_polyak(d->target, d->online, d->tau, err);
    if (rc == RL_OK && !d->diverged_step && (!isfinite(*loss) || !params_finite(d)))
        d->diverged_step = d->steps ? d->steps : 1;
    return rc;
}

/* ---- init ---- */

static int choice_is(const rl_params *params, const char *key, const char *value)
{
    return strcmp(rl_params_string(params, key), value) == 0;
}

static int dqn_init(void *state, const rl_space *sp, const rl_params *params,
                    const double *given_policy, gsl_rng *r, rl_error *err)
{
    (void)given_policy;
    dqn *d = state;
    memset(d, 0, sizeof *d);
    d->sp = sp;
    d->n_actions = sp->n_actions;
    d->gamma = rl_params_double(params, "gamma");
    d->tau = rl_params_double(params, "tau");
    d->uniform_behavior = choice_is(params, "behavior", "uniform");
    d->one_output = choice_is(params, "outputs", "1");
    d->double_dqn = rl_params_bool(params, "double");
    d->loss = choice_is(params, "loss", "mse") ? RL_NN_MSE : RL_NN_HUBER;
    d->batch = (size_t)rl_params_int(params, "batch");
    d->warmup = (size_t)rl_params_int(params, "warmup");
    d->train_every = (size_t)rl_params_int(params, "train_every");
    d->target_every = (size_t)rl_params_int(params, "target_every");
    d->updates_per_episode = (size_t)rl_params_int(params, "updates");
    rl_epsilon_schedule_init(&d->explore, params);
    rl_nn_activation activation =
        choice_is(params, "activation", "tanh") ? RL_NN_TANH : RL_NN_RELU;
    rl_nn_optim_options opt = RL_NN_ADAM_DEFAULTS;
    if (choice_is(params, "optimizer", "sgd"))
        opt.kind = RL_NN_SGD;
    opt.lr = rl_params_double(params, "lr");

    size_t sizes[RL_NN_MAX_LAYERS + 1], n_sizes;
    int rc = parse_hidden(rl_params_string(params, "hidden"), sizes, &n_sizes, err);
    if (rc != RL_OK)
        return rc;
    if (choice_is(params, "input", "features")) {
        rc = rl_features_alloc_params(sp, d->one_output ? RL_FEATURES_PAIRS : RL_FEATURES_STATES,
                                      params, &d->f, err);
        if (rc != RL_OK)
            return rc;
        d->n_in = rl_features_dim(d->f);
        if (d->n_in > RL_NN_MAX_WIDTH) {
            rc = rl_error_set(err, RL_ERANGE, "%zu features is more than a network takes "
                                              "(%d inputs): choose fewer", d->n_in,
                              RL_NN_MAX_WIDTH);
            dqn_release(d);
            return key_error(err, rc, "features");
        }
    } else {
        d->n_in = d->one_output ? 3 : 2;
    }
    sizes[0] = d->n_in;
    sizes[n_sizes++] = d->one_output ? 1 : d->n_actions;

    d->rows_per_state = d->one_output ? d->n_actions : 1;
    d->readout_states = READOUT_ROWS / d->rows_per_state;
    if (d->readout_states > sp->n_states)
        d->readout_states = sp->n_states;
    const size_t B = d->batch, rows_next = B * d->rows_per_state;
    const size_t rows_readout = d->readout_states * d->rows_per_state;
    size_t online_rows = d->double_dqn ? rows_next : B;
    if (online_rows < rows_readout)
        online_rows = rows_readout;
    size_t x_rows = online_rows > rows_next ? online_rows : rows_next;

    if ((rc = rl_nn_alloc(sizes, n_sizes, activation, online_rows, &d->online, err)) ||
        (rc = rl_nn_alloc(sizes, n_sizes, activation, rows_next, &d->target, err)) ||
        (rc = rl_nn_optim_alloc(d->online, &opt, &d->opt, err)) ||
        (rc = rl_replay_init(&d->replay, (size_t)rl_params_int(params, "replay_size"), err))) {
        dqn_release(d);
        return rc;
    }
    d->n_params = rl_nn_n_params(d->online);
    d->x = rl_malloc(x_rows * d->n_in * sizeof *d->x);
    d->states = rl_malloc(B * sizeof *d->states);
    d->index = rl_malloc(B * sizeof *d->index);
    d->chosen = rl_malloc(B * sizeof *d->chosen);
    d->next_a = rl_malloc(B * sizeof *d->next_a);
    d->y = rl_malloc(B * sizeof *d->y);
    d->params = rl_malloc(d->n_params * sizeof *d->params);
    d->q_row = rl_malloc(d->n_actions * sizeof *d->q_row);
    if (!d->x || !d->states || !d->index || !d->chosen || !d->next_a || !d->y || !d->params ||
        !d->q_row) {
        size_t n_params = d->n_params;
        dqn_release(d);
        return rl_error_set(err, RL_ENOMEM, "out of memory for a network of %zu parameters",
                            n_params);
    }
    if ((rc = rl_nn_init(d->online, r, err)) ||
        (rc = rl_nn_copy_params(d->target, d->online, err))) {
        dqn_release(d);
        return rc;
    }
    return RL_OK;
}

/* ---- acting and learning ---- */

static size_t dqn_begin(void *state, size_t s, gsl_rng *r)
{
    return select_action(state, s, r);
}

static size_t dqn_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    dqn *d = state;
    d->steps++;
    rl_replay_push(&d->replay, t->state, t->action, t->reward, t->next, t->terminated);
    bool ready = d->replay.size >= (d->warmup ? d->warmup : 1);
    if (!d->updates_per_episode && ready && !d->diverged_step &&
        d->steps % d->train_every == 0) {
        double loss;
        /* The sizes were fixed at init: an update cannot fail. */
        if (train(d, r, &loss, NULL) != RL_OK && !d->diverged_step)
            d->diverged_step = d->steps;
    }
    if (t->terminated || t->truncated)
        return 0;
    return select_action(d, t->next, r);
}

static int dqn_end(void *state, rl_error *err)
{
    (void)err;
    dqn *d = state;
    rl_epsilon_schedule_end_episode(&d->explore);
    d->episode_updates = 0;
    return RL_CONTINUE;
}

static int dqn_update(void *state, gsl_rng *r, rl_update_report *report, rl_error *err)
{
    dqn *d = state;
    if (d->episode_updates >= d->updates_per_episode || d->diverged_step ||
        d->replay.size < (d->warmup ? d->warmup : 1))
        return RL_OK;
    double loss = NAN;
    int rc = train(d, r, &loss, err);
    if (rc != RL_OK)
        return rc;
    d->episode_updates++;
    report->loss = loss;
    return RL_CONTINUE;
}

static size_t dqn_diverged(const void *state)
{
    return ((const dqn *)state)->diverged_step;
}

/* ---- read-outs ---- */

/* q(s, .) of every state into q (n_states x |A|), 0 outside decision states. */
static void readout(const dqn *d, double *q)
{
    const rl_space *sp = d->sp;
    const size_t A = d->n_actions;
    for (size_t first = 0; first < sp->n_states; first += d->readout_states) {
        size_t n = sp->n_states - first < d->readout_states ? sp->n_states - first
                                                            : d->readout_states;
        const float *out;
        q_of(d, d->online, NULL, first, n, &out, NULL);
        for (size_t i = 0; i < n; i++) {
            size_t s = first + i;
            bool decision = rl_space_is_decision(sp, s);
            for (size_t a = 0; a < A; a++)
                q[s * A + a] = decision && out ? (double)out[i * A + a] : decision ? NAN : 0.0;
        }
    }
}

static void dqn_action_values(const void *state, double *q)
{
    readout(state, q);
}

/* max_a q(s, a) on decision states, 0 elsewhere. */
static void dqn_values(const void *state, double *v)
{
    const dqn *d = state;
    const rl_space *sp = d->sp;
    const size_t A = d->n_actions;
    for (size_t first = 0; first < sp->n_states; first += d->readout_states) {
        size_t n = sp->n_states - first < d->readout_states ? sp->n_states - first
                                                            : d->readout_states;
        const float *out;
        q_of(d, d->online, NULL, first, n, &out, NULL);
        for (size_t i = 0; i < n; i++) {
            size_t s = first + i;
            v[s] = 0.0;
            if (!rl_space_is_decision(sp, s))
                continue;
            if (!out) {
                v[s] = NAN;
                continue;
            }
            double best = (double)out[i * A];
            for (size_t a = 1; a < A; a++)
                best = (double)out[i * A + a] > best ? (double)out[i * A + a] : best;
            v[s] = best;
        }
    }
}

/* Greedy, ties by the read-out rule; rows of walls and terminal states uniform. */
static void dqn_policy(const void *state, double *pi)
{
    const dqn *d = state;
    const rl_space *sp = d->sp;
    const size_t A = d->n_actions;
    double q[RL_MAX_ACTIONS];
    for (size_t first = 0; first < sp->n_states; first += d->readout_states) {
        size_t n = sp->n_states - first < d->readout_states ? sp->n_states - first
                                                            : d->readout_states;
        const float *out;
        q_of(d, d->online, NULL, first, n, &out, NULL);
        for (size_t i = 0; i < n; i++) {
            size_t s = first + i;
            if (!rl_space_is_decision(sp, s)) {
                for (size_t a = 0; a < A; a++)
                    pi[s * A + a] = 1.0 / (double)A;
                continue;
            }
            for (size_t a = 0; a < A; a++)
                q[a] = out ? (double)out[i * A + a] : NAN;
            rl_policy_epsilon_greedy_row(rl_argmax_readout(q, A), A, 0.0, pi + s * A);
        }
    }
}

/* ---- the type ---- */

const rl_learner_type rl_dqn_type = {
    .name = "dqn",
    .doc = "deep Q-learning: an MLP with replay and a target network, online or offline "
           "(Zhao Fig 8.11)",
    .params = dqn_params,
    .size = sizeof(dqn),
    .init = dqn_init,
    .release = dqn_release,
    .begin_episode = dqn_begin,
    .observe = dqn_observe,
    .end_episode = dqn_end,
    .update = dqn_update,
    .diverged = dqn_diverged,
    .values = dqn_values,
    .action_values = dqn_action_values,
    .policy = dqn_policy,
};

rl_nn *rl_dqn_network(rl_learner *l, bool target)
{
    if (!l || l->type != &rl_dqn_type)
        return NULL;
    dqn *d = l->state;
    return target ? d->target : d->online;
}

size_t rl_dqn_updates(const rl_learner *l)
{
    if (!l || l->type != &rl_dqn_type)
        return 0;
    return ((const dqn *)l->state)->n_updates;
}

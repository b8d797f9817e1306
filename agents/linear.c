/* Linear value-function approximation: v(s) = w . phi(s), q(s, a) = w . phi(s, a), with the
 * features of rl/features.h (one_hot, polynomial, fourier, tile, rbf).
 *
 * - td_linear (Zhao Alg. 8.1; S&B 9.3, 12.2): semi-gradient TD(lambda) prediction of a given
 *   policy, w += alpha delta z with delta = r + gamma v(s') - v(s) and the accumulating trace
 *   z = gamma lambda z + phi(s); lambda = 0 is semi-gradient TD(0), w += alpha delta phi(s),
 *   and keeps no trace (O(active features) per step; a trace costs O(features)). The trace
 *   starts at 0 every episode.
 * - sarsa_linear (Zhao Alg. 8.2): w += alpha (r + gamma q(s', a') - q(s, a)) phi(s, a), a'
 *   epsilon-greedy, chosen before the update as tabular Sarsa does.
 * - q_learning_linear (Zhao Alg. 8.3): w += alpha (r + gamma max_b q(s', b) - q(s, a)) phi(s,
 *   a), behaviour epsilon-greedy (on-policy) or uniform (off-policy).
 * - lstd (S&B 9.8; Bradtke & Barto 1996): accumulates A = sum phi(s) (phi(s) - gamma
 *   phi(s'))^T and b = sum r phi(s) over transitions (phi(s') = 0 at a termination), and at
 *   the end of every episode solves (A + ridge I) w = b with GSL's LU decomposition. The
 *   small ridge makes the system solvable before every feature has been seen; on enough data
 *   w reaches the TD fixed point. O(active^2) per step and O(features^3) per episode, so
 *   the features are capped at RL_LSTD_MAX_FEATURES.
 *
 * Terminal transitions bootstrap from nothing; truncated ones (the runner's time limit)
 * bootstrap as usual. Values of terminal states and walls read out as 0.
 *
 * Divergence: after every update the learner checks the weights it changed (O(active)) and
 * keeps the first transition (counted from the start of the run, as the runner counts
 * steps) at which one became non-finite; its diverged hook tells the runner, which marks
 * the run diverged at that step (runs.csv).
 */
#include "agents/linear.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>

#include "agents/explore.h"
#include "agents/schedule.h"
#include "rl/alloc.h"
#include "rl/features.h"
#include "rl/policy.h"

#define RL_LSTD_MAX_FEATURES 2048

#define W0_PARAMS                                                                           \
    {"w0", RL_PARAM_CHOICE, "zero", 0, 0, 0, "zero|normal",                                 \
     "initial weights: all 0, or each drawn from N(0, w0_sd^2) (Zhao ch.8: N(0, 1))"},      \
    {"w0_sd", RL_PARAM_DOUBLE, "1", 0, HUGE_VAL, 0, NULL,                                   \
     "w0 = normal: the standard deviation of the initial weights"}
#define LINEAR_ALPHA_PARAM                                                                  \
    {"alpha", RL_PARAM_DOUBLE, "0.001", 0, 1, RL_PARAM_MIN_OPEN, NULL, "constant step size"}

static const rl_param_spec td_linear_params[] = {
    RL_FEATURE_PARAMS,
    RL_GAMMA_PARAM,
    LINEAR_ALPHA_PARAM,
    {"lambda", RL_PARAM_DOUBLE, "0", 0, 1, 0, NULL,
     "trace decay: 0 is TD(0); accumulating traces otherwise"},
    W0_PARAMS,
    RL_GIVEN_POLICY_PARAMS,
    RL_END_PARAM,
};

static const rl_param_spec sarsa_linear_params[] = {
    RL_FEATURE_PARAMS, RL_GAMMA_PARAM, LINEAR_ALPHA_PARAM, RL_EPSILON_PARAMS, W0_PARAMS,
    RL_END_PARAM,
};

static const rl_param_spec q_learning_linear_params[] = {
    RL_FEATURE_PARAMS,
    RL_GAMMA_PARAM,
    LINEAR_ALPHA_PARAM,
    RL_EPSILON_PARAMS,
    W0_PARAMS,
    {"behavior", RL_PARAM_CHOICE, "epsilon_greedy", 0, 0, 0, "epsilon_greedy|uniform",
     "on-policy epsilon-greedy behaviour, or off-policy uniform behaviour (epsilon unused)"},
    RL_END_PARAM,
};

static const rl_param_spec lstd_params[] = {
    RL_FEATURE_PARAMS,
    RL_GAMMA_PARAM,
    {"ridge", RL_PARAM_DOUBLE, "1e-6", 0, HUGE_VAL, 0, NULL,
     "added to A's diagonal before each solve, so (A + ridge I) w = b has a solution even "
     "for features no transition has touched yet"},
    RL_GIVEN_POLICY_PARAMS,
    RL_END_PARAM,
};

typedef enum kind { TD, SARSA, Q_LEARNING, LSTD } kind;

typedef struct linear {
    kind kind;
    const rl_space *sp;
    rl_features *f;
    size_t dim;
    double *w;
    double gamma, alpha, lambda;
    double *z;       /* td_linear with lambda > 0: the trace, dim */
    double *pi;      /* prediction: the policy evaluated, n_states * n_actions */
    double *q_row;   /* control: q(s, .) scratch, n_actions */
    rl_epsilon_schedule explore;
    bool uniform_behavior;
    size_t steps;          /* transitions observed since init */
    size_t diverged_step;  /* the first at which a weight became non-finite; 0: none */
    /* lstd */
    gsl_matrix *A, *lu;
    gsl_vector *b, *x;
    gsl_permutation *perm;
    double ridge;
} linear;

static void linear_release(void *state)
{
    linear *L = state;
    rl_features_free(L->f);
    rl_free(L->w);
    rl_free(L->z);
    rl_free(L->pi);
    rl_free(L->q_row);
    gsl_matrix_free(L->A);
    gsl_matrix_free(L->lu);
    gsl_vector_free(L->b);
    gsl_vector_free(L->x);
    gsl_permutation_free(L->perm);
    memset(L, 0, sizeof *L);
}

static int init_common(linear *L, kind k, const rl_space *sp, const rl_params *params,
                       const double *given_policy, gsl_rng *r, rl_error *err)
{
    memset(L, 0, sizeof *L);
    L->kind = k;
    L->sp = sp;
    bool control = k == SARSA || k == Q_LEARNING;
    if (!control && given_policy) {
        int rc = rl_policy_check(sp, given_policy, err);
        if (rc != RL_OK)
            return rc;
    }
    const rl_param_spec *table = rl_params_table(params);
    L->gamma = rl_params_double(params, "gamma");
    L->alpha = rl_param_find(table, "alpha") ? rl_params_double(params, "alpha") : 0.0;
    L->lambda = rl_param_find(table, "lambda") ? rl_params_double(params, "lambda") : 0.0;
    rl_epsilon_schedule_init(&L->explore, params);
    L->uniform_behavior = rl_param_find(table, "behavior") &&
                          strcmp(rl_params_string(params, "behavior"), "uniform") == 0;
    int rc = rl_features_alloc_params(sp, control ? RL_FEATURES_PAIRS : RL_FEATURES_STATES,
                                      params, &L->f, err);
    if (rc != RL_OK)
        return rc;
    L->dim = rl_features_dim(L->f);
    size_t n_sa = sp->n_states * sp->n_actions;
    L->w = rl_calloc(L->dim, sizeof *L->w);
    bool ok = L->w != NULL;
    if (L->lambda > 0.0)
        ok &= (L->z = rl_calloc(L->dim, sizeof *L->z)) != NULL;
    if (control)
        ok &= (L->q_row = rl_malloc(sp->n_actions * sizeof *L->q_row)) != NULL;
    else if ((L->pi = rl_malloc(n_sa * sizeof *L->pi)))
        given_policy ? memcpy(L->pi, given_policy, n_sa * sizeof *L->pi)
                     : rl_policy_uniform(sp->n_states, sp->n_actions, L->pi);
    else
        ok = false;
    if (!ok) {
        linear_release(L);
        return rl_error_set(err, RL_ENOMEM, "out of memory for %zu weights", L->dim);
    }
    if (rl_param_find(table, "w0") && strcmp(rl_params_string(params, "w0"), "normal") == 0) {
        double sd = rl_params_double(params, "w0_sd");
        for (size_t i = 0; i < L->dim; i++)
            L->w[i] = gsl_ran_gaussian(r, sd);
    }
    return RL_OK;
}

/* w += scale * phi(s, a), noting the step if a changed weight stopped being finite. */
static void update(linear *L, size_t s, size_t a, double scale)
{
    rl_feature_row row = rl_features_row(L->f, s, a);
    double *w = L->w + row.offset;
    bool finite = true;
    for (size_t k = 0; k < row.count; k++) {
        w[row.index[k]] += scale * row.value[k];
        finite &= isfinite(w[row.index[k]]);
    }
    if (!finite && !L->diverged_step)
        L->diverged_step = L->steps;
}

static size_t draw(const linear *L, size_t s, gsl_rng *r)
{
    return rl_explore_sample(L->pi + s * L->sp->n_actions, L->sp->n_actions, r);
}

/* q(s, .) into L->q_row. */
static const double *q_row(linear *L, size_t s)
{
    for (size_t a = 0; a < L->sp->n_actions; a++)
        L->q_row[a] = rl_features_dot(L->f, s, a, L->w);
    return L->q_row;
}

static size_t select_action(linear *L, size_t s, gsl_rng *r)
{
    size_t n = L->sp->n_actions;
    if (L->kind == Q_LEARNING && L->uniform_behavior)
        return rl_explore_uniform(n, r);
    return rl_explore_epsilon_greedy(q_row(L, s), n, L->explore.epsilon, r);
}

/* ---- td_linear ---- */

static int td_linear_init(void *state, const rl_space *sp, const rl_params *params,
                          const double *given_policy, gsl_rng *r, rl_error *err)
{
    return init_common(state, TD, sp, params, given_policy, r, err);
}

static size_t prediction_begin(void *state, size_t s, gsl_rng *r)
{
    linear *L = state;
    if (L->z)
        memset(L->z, 0, L->dim * sizeof *L->z);
    return draw(L, s, r);
}

static size_t td_linear_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    linear *L = state;
    L->steps++;
    double v = rl_features_dot(L->f, t->state, 0, L->w);
    double target = t->reward;
    if (!t->terminated)
        target += L->gamma * rl_features_dot(L->f, t->next, 0, L->w);
    double delta = target - v;
    if (!L->z) {
        update(L, t->state, 0, L->alpha * delta);
    } else {
        /* z = gamma lambda z + phi(s); w += alpha delta z. */
        double decay = L->gamma * L->lambda;
        for (size_t i = 0; i < L->dim; i++)
            L->z[i] *= decay;
        rl_features_axpy(L->f, t->state, 0, 1.0, L->z);
        double scale = L->alpha * delta;
        bool finite = true;
        for (size_t i = 0; i < L->dim; i++) {
            L->w[i] += scale * L->z[i];
            finite &= isfinite(L->w[i]);
        }
        if (!finite && !L->diverged_step)
            L->diverged_step = L->steps;
    }
    if (t->terminated || t->truncated)
        return 0;
    return draw(L, t->next, r);
}

static int continue_episode(void *state, rl_error *err)
{
    (void)state;
    (void)err;
    return RL_CONTINUE;
}

/* ---- sarsa_linear, q_learning_linear ---- */

static int sarsa_linear_init(void *state, const rl_space *sp, const rl_params *params,
                             const double *given_policy, gsl_rng *r, rl_error *err)
{
    return init_common(state, SARSA, sp, params, given_policy, r, err);
}

static int q_learning_linear_init(void *state, const rl_space *sp, const rl_params *params,
                                  const double *given_policy, gsl_rng *r, rl_error *err)
{
    return init_common(state, Q_LEARNING, sp, params, given_policy, r, err);
}

static size_t control_begin(void *state, size_t s, gsl_rng *r)
{
    return select_action(state, s, r);
}

/* The next action is chosen before the update (S&B 10.1), also on a truncated step, whose
 * target bootstraps from it. */
static size_t sarsa_linear_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    linear *L = state;
    L->steps++;
    double target = t->reward;
    size_t next_action = 0;
    if (!t->terminated) {
        next_action = select_action(L, t->next, r);
        target += L->gamma * rl_features_dot(L->f, t->next, next_action, L->w);
    }
    double q = rl_features_dot(L->f, t->state, t->action, L->w);
    update(L, t->state, t->action, L->alpha * (target - q));
    return next_action;
}

static size_t q_learning_linear_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    linear *L = state;
    L->steps++;
    double target = t->reward;
    if (!t->terminated)
        target += L->gamma * rl_explore_max(q_row(L, t->next), L->sp->n_actions);
    double q = rl_features_dot(L->f, t->state, t->action, L->w);
    update(L, t->state, t->action, L->alpha * (target - q));
    if (t->terminated || t->truncated)
        return 0;
    return select_action(L, t->next, r);
}

static int control_end(void *state, rl_error *err)
{
    (void)err;
    rl_epsilon_schedule_end_episode(&((linear *)state)->explore);
    return RL_CONTINUE;
}

/* ---- lstd ---- */

static int lstd_init(void *state, const rl_space *sp, const rl_params *params,
                     const double *given_policy, gsl_rng *r, rl_error *err)
{
    linear *L = state;
    int rc = init_common(L, LSTD, sp, params, given_policy, r, err);
    if (rc != RL_OK)
        return rc;
    if (L->dim > RL_LSTD_MAX_FEATURES) {
        rc = rl_error_set(err, RL_ERANGE,
                          "lstd solves a system of one equation per feature: %zu features is "
                          "more than %d (choose fewer)",
                          L->dim, RL_LSTD_MAX_FEATURES);
        linear_release(L);
        return rl_error_locate(err, rc, NULL, 0, 0, "features");
    }
    L->ridge = rl_params_double(params, "ridge");
    L->A = gsl_matrix_calloc(L->dim, L->dim);
    L->lu = gsl_matrix_alloc(L->dim, L->dim);
    L->b = gsl_vector_calloc(L->dim);
    L->x = gsl_vector_alloc(L->dim);
    L->perm = gsl_permutation_alloc(L->dim);
    if (!L->A || !L->lu || !L->b || !L->x || !L->perm) {
        linear_release(L);
        return rl_error_set(err, RL_ENOMEM, "out of memory for a %zu x %zu system", L->dim,
                            L->dim);
    }
    return RL_OK;
}

/* A += phi(s) (phi(s) - gamma phi(s'))^T, b += r phi(s): O(active^2). */
static size_t lstd_observe(void *state, const rl_transition *t, gsl_rng *r)
{
    linear *L = state;
    L->steps++;
    rl_feature_row u = rl_features_row(L->f, t->state, 0);
    for (size_t i = 0; i < u.count; i++) {
        size_t row = u.index[i];
        double phi = u.value[i];
        double *a_row = gsl_matrix_ptr(L->A, row, 0);
        for (size_t j = 0; j < u.count; j++)
            a_row[u.index[j]] += phi * u.value[j];
        if (!t->terminated) {
            rl_feature_row v = rl_features_row(L->f, t->next, 0);
            for (size_t j = 0; j < v.count; j++)
                a_row[v.index[j]] -= L->gamma * phi * v.value[j];
        }
        *gsl_vector_ptr(L->b, row) += t->reward * phi;
    }
    if (t->terminated || t->truncated)
        return 0;
    return draw(L, t->next, r);
}

/* Solves (A + ridge I) w = b. A singular system (ridge 0 before the features have been
 * seen) keeps the previous weights and says so only when the run ends without a solution:
 * early episodes may simply not have visited every feature yet. */
static int lstd_end(void *state, rl_error *err)
{
    (void)err;
    linear *L = state;
    gsl_matrix_memcpy(L->lu, L->A);
    for (size_t i = 0; i < L->dim; i++)
        *gsl_matrix_ptr(L->lu, i, i) += L->ridge;
    int signum;
    if (gsl_linalg_LU_decomp(L->lu, L->perm, &signum) != GSL_SUCCESS)
        return RL_CONTINUE;
    for (size_t i = 0; i < L->dim; i++)
        if (gsl_matrix_get(L->lu, i, i) == 0.0)
            return RL_CONTINUE;
    if (gsl_linalg_LU_solve(L->lu, L->perm, L->b, L->x) != GSL_SUCCESS)
        return RL_CONTINUE;
    bool finite = true;
    for (size_t i = 0; i < L->dim; i++) {
        L->w[i] = gsl_vector_get(L->x, i);
        finite &= isfinite(L->w[i]);
    }
    if (!finite && !L->diverged_step)
        L->diverged_step = L->steps;
    return RL_CONTINUE;
}

static size_t linear_diverged(const void *state)
{
    return ((const linear *)state)->diverged_step;
}

static const double *linear_weights(const void *state, size_t *n)
{
    const linear *L = state;
    *n = L->dim;
    return L->w;
}

static void linear_weight_label(const void *state, size_t i, char *buf, size_t size)
{
    rl_features_label(((const linear *)state)->f, i, buf, size);
}

/* ---- read-outs ---- */

static void prediction_values(const void *state, double *v)
{
    const linear *L = state;
    for (size_t s = 0; s < L->sp->n_states; s++)
        v[s] = rl_space_is_decision(L->sp, s) ? rl_features_dot(L->f, s, 0, L->w) : 0.0;
}

static void prediction_policy(const void *state, double *pi)
{
    const linear *L = state;
    memcpy(pi, L->pi, L->sp->n_states * L->sp->n_actions * sizeof *pi);
}

static void control_action_values(const void *state, double *q)
{
    const linear *L = state;
    size_t n = L->sp->n_actions;
    for (size_t s = 0; s < L->sp->n_states; s++)
        for (size_t a = 0; a < n; a++)
            q[s * n + a] =
                rl_space_is_decision(L->sp, s) ? rl_features_dot(L->f, s, a, L->w) : 0.0;
}

static void control_values(const void *state, double *v)
{
    const linear *L = state;
    size_t n = L->sp->n_actions;
    double q[RL_MAX_ACTIONS];
    for (size_t s = 0; s < L->sp->n_states; s++) {
        v[s] = 0.0;
        if (!rl_space_is_decision(L->sp, s))
            continue;
        for (size_t a = 0; a < n; a++)
            q[a] = rl_features_dot(L->f, s, a, L->w);
        v[s] = rl_explore_max(q, n);
    }
}

/* As select_action draws: epsilon-greedy on q(s, .), or uniform off-policy. */
static void control_behavior_policy(const void *state, double *pi)
{
    const linear *L = state;
    size_t n = L->sp->n_actions;
    double epsilon = L->kind == Q_LEARNING && L->uniform_behavior ? 1.0 : L->explore.epsilon;
    double q[RL_MAX_ACTIONS];
    for (size_t s = 0; s < L->sp->n_states; s++) {
        if (!rl_space_is_decision(L->sp, s)) {
            for (size_t a = 0; a < n; a++)
                pi[s * n + a] = 1.0 / (double)n;
            continue;
        }
        for (size_t a = 0; a < n; a++)
            q[a] = rl_features_dot(L->f, s, a, L->w);
        rl_explore_epsilon_greedy_row(q, n, epsilon, pi + s * n);
    }
}

/* Greedy, ties by the read-out rule, as the tabular learners read out. */
static void control_policy(const void *state, double *pi)
{
    const linear *L = state;
    size_t n = L->sp->n_actions;
    double q[RL_MAX_ACTIONS];
    for (size_t s = 0; s < L->sp->n_states; s++) {
        if (!rl_space_is_decision(L->sp, s)) {
            for (size_t a = 0; a < n; a++)
                pi[s * n + a] = 1.0 / (double)n;
            continue;
        }
        for (size_t a = 0; a < n; a++)
            q[a] = rl_features_dot(L->f, s, a, L->w);
        rl_policy_epsilon_greedy_row(rl_argmax_readout(q, n), n, 0.0, pi + s * n);
    }
}

/* ---- types ---- */

const rl_learner_type rl_td_linear_type = {
    .name = "td_linear",
    .doc = "semi-gradient TD(lambda) prediction with linear features (Zhao Alg. 8.1)",
    .params = td_linear_params,
    .size = sizeof(linear),
    .prediction = true,
    .init = td_linear_init,
    .release = linear_release,
    .begin_episode = prediction_begin,
    .observe = td_linear_observe,
    .end_episode = continue_episode,
    .diverged = linear_diverged,
    .values = prediction_values,
    .policy = prediction_policy,
    .weights = linear_weights,
    .weight_label = linear_weight_label,
};

const rl_learner_type rl_sarsa_linear_type = {
    .name = "sarsa_linear",
    .doc = "semi-gradient Sarsa with linear features, epsilon-greedy (Zhao Alg. 8.2)",
    .params = sarsa_linear_params,
    .size = sizeof(linear),
    .init = sarsa_linear_init,
    .release = linear_release,
    .begin_episode = control_begin,
    .observe = sarsa_linear_observe,
    .end_episode = control_end,
    .diverged = linear_diverged,
    .values = control_values,
    .action_values = control_action_values,
    .policy = control_policy,
    .behavior_policy = control_behavior_policy,
    .weights = linear_weights,
    .weight_label = linear_weight_label,
};

const rl_learner_type rl_q_learning_linear_type = {
    .name = "q_learning_linear",
    .doc = "semi-gradient Q-learning with linear features (Zhao Alg. 8.3)",
    .params = q_learning_linear_params,
    .size = sizeof(linear),
    .init = q_learning_linear_init,
    .release = linear_release,
    .begin_episode = control_begin,
    .observe = q_learning_linear_observe,
    .end_episode = control_end,
    .diverged = linear_diverged,
    .values = control_values,
    .action_values = control_action_values,
    .policy = control_policy,
    .behavior_policy = control_behavior_policy,
    .weights = linear_weights,
    .weight_label = linear_weight_label,
};

const rl_learner_type rl_lstd_type = {
    .name = "lstd",
    .doc = "least-squares TD prediction: solves for the TD fixed point after each episode",
    .params = lstd_params,
    .size = sizeof(linear),
    .prediction = true,
    .init = lstd_init,
    .release = linear_release,
    .begin_episode = prediction_begin,
    .observe = lstd_observe,
    .end_episode = lstd_end,
    .diverged = linear_diverged,
    .values = prediction_values,
    .policy = prediction_policy,
    .weights = linear_weights,
    .weight_label = linear_weight_label,
};

/* Exact and iterative policy evaluation on the tabular model (see evaluate.h).
 *
 * Both evaluators work on the decision states only: walls and terminal states have value 0
 * by definition, so they drop out of (I - gamma P_pi) v = r_pi as known zeros. The dense
 * solve is the ground truth for tests and learning curves; the sweeps are what dynamic
 * programming iterates, and they allocate nothing.
 */
#include "rl/evaluate.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_vector.h>

#include "rl/alloc.h"

static int check_model(const rl_mdp *m, rl_error *err)
{
    if (!m)
        return rl_error_set(err, RL_EINVAL, "no model to evaluate");
    if (!m->finished)
        return rl_error_set(err, RL_EINVAL, "the model is not finished (call rl_mdp_finish)");
    return RL_OK;
}

static int check_gamma(double gamma, rl_error *err)
{
    if (!(gamma >= 0.0 && gamma <= 1.0))
        return rl_error_set(err, RL_ERANGE, "gamma = %g is outside [0, 1]", gamma);
    return RL_OK;
}

/* Whether the edges of s under action a count: pi(a|s) > 0, or any action without pi. */
static bool action_used(const rl_mdp *m, const double *pi, size_t s, size_t a)
{
    return !pi || pi[s * m->n_actions + a] > 0.0;
}

int rl_mdp_check_proper(const rl_mdp *m, const double *pi, double gamma, rl_error *err)
{
    int rc = check_model(m, err);
    if (rc == RL_OK)
        rc = check_gamma(gamma, err);
    if (rc != RL_OK || gamma < 1.0)
        return rc;

    /* Backward breadth-first search from the terminal states over the reversed edges
     * s -> next of decision states: what it reaches is exactly the set of states that reach
     * a terminal state with positive probability. The reversed graph is built in
     * compressed rows: rstart[t + 1] .. rstart[t + 2] first count, then index, the edges
     * into t, so that after filling rstart[t] .. rstart[t + 1] are t's predecessors. */
    /* A restart outcome is an edge into the node n, "the start distribution", which has an
     * edge into every start state: the graph stays as large as the model. */
    size_t n = m->n_states, n_edges = m->n_start_states;
    for (size_t s = 0; s < n; s++) {
        if (!rl_mdp_is_decision(m, s))
            continue;
        for (size_t a = 0; a < m->n_actions; a++) {
            size_t sa = s * m->n_actions + a;
            if (action_used(m, pi, s, a))
                n_edges += m->first[sa + 1] - m->first[sa];
        }
    }
    uint32_t *rstart = rl_calloc(n + 3, sizeof *rstart);
    uint32_t *preds = rl_malloc((n_edges ? n_edges : 1) * sizeof *preds);
    uint32_t *queue = rl_malloc((n + 1) * sizeof *queue);
    uint8_t *reaches = rl_calloc(n + 1, sizeof *reaches);
    if (!rstart || !preds || !queue || !reaches) {
        rc = rl_error_set(err, RL_ENOMEM, "out of memory checking that every state reaches a "
                                          "terminal state");
        goto done;
    }

    for (size_t s = 0; s < n; s++) {
        if (!rl_mdp_is_decision(m, s))
            continue;
        for (size_t a = 0; a < m->n_actions; a++) {
            size_t sa = s * m->n_actions + a;
            if (!action_used(m, pi, s, a))
                continue;
            for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++)
                rstart[(m->outcomes[k].next >= 0 ? (size_t)m->outcomes[k].next : n) + 2]++;
        }
    }
    for (size_t i = 0; i < m->n_start_states; i++)
        rstart[m->start_states[i] + 2]++;
    for (size_t t = 2; t < n + 3; t++)
        rstart[t] += rstart[t - 1];
    for (size_t s = 0; s < n; s++) {
        if (!rl_mdp_is_decision(m, s))
            continue;
        for (size_t a = 0; a < m->n_actions; a++) {
            size_t sa = s * m->n_actions + a;
            if (!action_used(m, pi, s, a))
                continue;
            for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++) {
                int32_t next = m->outcomes[k].next;
                preds[rstart[(next >= 0 ? (size_t)next : n) + 1]++] = (uint32_t)s;
            }
        }
    }
    for (size_t i = 0; i < m->n_start_states; i++)
        preds[rstart[m->start_states[i] + 1]++] = (uint32_t)n;

    size_t head = 0, tail = 0;
    for (size_t t = 0; t < n; t++)
        if (m->kind[t] == RL_STATE_TERMINAL) {
            reaches[t] = 1;
            queue[tail++] = (uint32_t)t;
        }
    while (head < tail) {
        uint32_t t = queue[head++];
        for (uint32_t e = rstart[t]; e < rstart[t + 1]; e++) {
            uint32_t s = preds[e];
            if (!reaches[s]) {
                reaches[s] = 1;
                queue[tail++] = s;
            }
        }
    }

    for (size_t s = 0; s < n; s++)
        if (rl_mdp_is_decision(m, s) && !reaches[s]) {
            rc = rl_error_set(err, RL_ESINGULAR,
                              "state (%zu, %zu) never reaches a terminal state %s; gamma = 1 "
                              "needs every state to reach a terminal state (use gamma < 1)",
                              rl_mdp_row(m, s), rl_mdp_col(m, s),
                              pi ? "under the policy" : "under any actions");
            break;
        }

done:
    rl_free(rstart);
    rl_free(preds);
    rl_free(queue);
    rl_free(reaches);
    return rc;
}

int rl_evaluate_solve(const rl_mdp *m, const double *pi, double gamma, double *v,
                      rl_error *err)
{
    int rc = rl_mdp_check_proper(m, pi, gamma, err);
    if (rc != RL_OK)
        return rc;
    if (!pi || !v)
        return rl_error_set(err, RL_EINVAL, "policy evaluation needs a policy and a value array");

    size_t n_states = m->n_states, n_actions = m->n_actions, n = 0;
    for (size_t s = 0; s < n_states; s++)
        n += rl_mdp_is_decision(m, s);
    if (n > RL_EVALUATE_SOLVE_MAX_STATES)
        return rl_error_set(err, RL_ERANGE,
                            "the model has %zu decision states, more than the %d the exact "
                            "solve handles; use method = iterative",
                            n, RL_EVALUATE_SOLVE_MAX_STATES);
    if (n == 0) {
        memset(v, 0, n_states * sizeof *v);
        return RL_OK;
    }

    /* index[s]: row of decision state s in the system, -1 for walls and terminal states. */
    int32_t *index = rl_malloc(n_states * sizeof *index);
    gsl_matrix *A = gsl_matrix_calloc(n, n);
    gsl_vector *b = gsl_vector_calloc(n);
    gsl_vector *x = gsl_vector_alloc(n);
    gsl_permutation *perm = gsl_permutation_alloc(n);
    if (!index || !A || !b || !x || !perm) {
        rc = rl_error_set(err, RL_ENOMEM, "out of memory for the %zu x %zu linear system", n, n);
        goto done;
    }
    for (size_t s = 0, i = 0; s < n_states; s++)
        index[s] = rl_mdp_is_decision(m, s) ? (int32_t)i++ : -1;

    /* Row i: v(s) - gamma sum_a pi(a|s) sum p v(next) = sum_a pi(a|s) sum p r. Outcomes
     * into walls or terminal states contribute their reward only. */
    for (size_t s = 0; s < n_states; s++) {
        if (index[s] < 0)
            continue;
        size_t i = (size_t)index[s];
        double *row = gsl_matrix_ptr(A, i, 0);
        double r = 0.0;
        row[i] += 1.0;
        for (size_t a = 0; a < n_actions; a++) {
            size_t sa = s * n_actions + a;
            double w = pi[sa];
            if (w == 0.0)
                continue;
            for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++) {
                const rl_outcome *o = &m->outcomes[k];
                r += w * o->probability * o->reward;
                if (o->next < 0) { /* a restart: to each start state k, p * start[k] */
                    for (size_t i = 0; i < m->n_start_states; i++) {
                        int32_t j = index[m->start_states[i]];
                        if (j >= 0)
                            row[j] -= gamma * w * o->probability * m->start[m->start_states[i]];
                    }
                    continue;
                }
                int32_t j = index[o->next];
                if (j >= 0)
                    row[j] -= gamma * w * o->probability;
            }
        }
        gsl_vector_set(b, i, r);
    }

    int signum, status = gsl_linalg_LU_decomp(A, perm, &signum);
    if (status == GSL_SUCCESS)
        status = gsl_linalg_LU_solve(A, perm, b, x);
    if (status != GSL_SUCCESS) {
        rc = rl_error_set(err, RL_ESINGULAR,
                          "policy evaluation: the linear system (I - gamma P) v = r has no "
                          "unique solution (GSL: %s)",
                          gsl_strerror(status));
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (!isfinite(gsl_vector_get(x, i))) {
            rc = rl_error_set(err, RL_ESINGULAR,
                              "policy evaluation: the linear system (I - gamma P) v = r is "
                              "numerically singular (the solution is not finite)");
            goto done;
        }
    for (size_t s = 0; s < n_states; s++)
        v[s] = index[s] >= 0 ? gsl_vector_get(x, (size_t)index[s]) : 0.0;

done:
    rl_free(index);
    if (A)
        gsl_matrix_free(A);
    if (b)
        gsl_vector_free(b);
    if (x)
        gsl_vector_free(x);
    if (perm)
        gsl_permutation_free(perm);
    return rc;
}

double rl_evaluate_sweep(const rl_mdp *m, const double *pi, double gamma, bool in_place,
                         const double *v, double *v_out)
{
    /* In place, the sweep writes into v itself (the caller's array is not const), and later
     * states read the values just written: Gauss-Seidel in state index order. */
    double *out = in_place ? (double *)v : v_out;
    double delta = 0.0;
    bool finite = true;
    for (size_t s = 0; s < m->n_states; s++) {
        double old = v[s], value = 0.0;
        if (rl_mdp_is_decision(m, s)) {
            const double *w = pi + s * m->n_actions;
            for (size_t a = 0; a < m->n_actions; a++)
                if (w[a] != 0.0)
                    value += w[a] * rl_mdp_backup(m, s, a, v, gamma);
        }
        out[s] = value;
        finite = finite && isfinite(value);
        double change = fabs(value - old);
        if (change > delta)
            delta = change;
    }
    return finite ? delta : NAN;
}

int rl_evaluate_iterative(const rl_mdp *m, const double *pi, double gamma, double theta,
                          size_t max_sweeps, bool in_place, double *v, double *work,
                          size_t *sweeps, rl_error *err)
{
    if (sweeps)
        *sweeps = 0;
    int rc = check_model(m, err);
    if (rc == RL_OK)
        rc = check_gamma(gamma, err);
    if (rc != RL_OK)
        return rc;
    if (!(theta >= 0.0))
        return rl_error_set(err, RL_ERANGE, "theta = %g must be at least 0", theta);
    if (!pi || !v || (!in_place && (!work || work == v)))
        return rl_error_set(err, RL_EINVAL, "iterative evaluation needs a policy, a value "
                                            "array and, unless in place, a separate work array");

    /* Synchronous sweeps alternate between v and work by swapping pointers; the last
     * values are copied back into v if they ended in work. */
    double *cur = v, *nxt = work;
    size_t k = 0;
    rc = RL_CONTINUE;
    while (k < max_sweeps) {
        double delta;
        if (in_place) {
            delta = rl_evaluate_sweep(m, pi, gamma, true, v, NULL);
        } else {
            delta = rl_evaluate_sweep(m, pi, gamma, false, cur, nxt);
            double *t = cur;
            cur = nxt;
            nxt = t;
        }
        k++;
        if (!isfinite(delta)) {
            rc = rl_error_set(err, RL_EDIVERGED,
                              "policy evaluation diverged: values not finite after sweep %zu", k);
            break;
        }
        if (delta < theta) {
            rc = RL_OK;
            break;
        }
    }
    if (cur != v)
        memcpy(v, cur, m->n_states * sizeof *v);
    if (sweeps)
        *sweeps = k;
    return rc;
}

void rl_mdp_q_from_v(const rl_mdp *m, const double *v, double gamma, double *q)
{
    for (size_t s = 0; s < m->n_states; s++) {
        bool decision = rl_mdp_is_decision(m, s);
        for (size_t a = 0; a < m->n_actions; a++)
            q[s * m->n_actions + a] = decision ? rl_mdp_backup(m, s, a, v, gamma) : 0.0;
    }
}

/* Helpers shared by the gridworld tests (test_gridworld, test_conformance,
 * test_known_answers): build a gridworld env from a map text written to a temporary file or
 * from a preset, plus [env] keys, the way a config would; look outcomes up in its model; and
 * check an (s, a) against a hand-derived list of outcomes, both in the model and in step().
 *
 * Include after defining _POSIX_C_SOURCE (mkstemp, unlink) and after tests/support.h.
 */
#ifndef GRIDRL_TESTS_GRIDWORLD_FIXTURE_H
#define GRIDRL_TESTS_GRIDWORLD_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "envs/gridworld.h"
#include "envs/preset.h"
#include "rl/env.h"
#include "rl/error.h"
#include "rl/mdp.h"
#include "rl/param.h"
#include "rl/rng.h"

typedef struct gw_fixture {
    rl_params *params;
    rl_env *env;
    const rl_mdp *m;
    rl_space space; /* the env's */
    gsl_rng *r;
    char path[64]; /* temporary map file, "" when none */
} gw_fixture;

static inline void gw_free(gw_fixture *g)
{
    rl_env_free(g->env);
    rl_params_free(g->params);
    rl_rng_free(g->r);
    if (g->path[0])
        unlink(g->path);
    memset(g, 0, sizeof *g);
}

/* Writes text to a fresh file under /tmp; path receives its name. */
static inline void gw_write_map(char *path, size_t size, const char *text)
{
    snprintf(path, size, "/tmp/gridrl_test_map_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        fail_msg("mkstemp failed");
    size_t len = strlen(text);
    if (write(fd, text, len) != (ssize_t)len)
        fail_msg("could not write %s", path);
    close(fd);
}

/* Builds an env as the runner does: map (written to a temporary file, when map_text is not
 * NULL), then kv ("key", "value", ..., NULL) in order, then the preset, then the env.
 * Returns the first error code; on failure g holds nothing and err says why. */
static inline int gw_try(gw_fixture *g, const char *map_text, const char *const *kv,
                         rl_error *err)
{
    memset(g, 0, sizeof *g);
    rl_error_clear(err);
    int rc = RL_OK;
    g->params = rl_params_alloc(rl_gridworld_params);
    if (!g->params)
        fail_msg("rl_params_alloc failed");
    if (map_text) {
        gw_write_map(g->path, sizeof g->path, map_text);
        rc = rl_params_set(g->params, "map", g->path, err);
    }
    for (size_t i = 0; rc == RL_OK && kv && kv[i]; i += 2)
        rc = rl_params_set(g->params, kv[i], kv[i + 1], err);
    if (rc == RL_OK)
        rc = rl_gridworld_apply_preset(g->params, err);
    if (rc == RL_OK) {
        rc = rl_env_alloc(rl_gridworld, g->params, &g->env, err);
    }
    if (rc != RL_OK) {
        gw_free(g);
        return rc;
    }
    g->m = rl_env_model(g->env);
    if (!g->m)
        fail_msg("gridworld env has no model");
    g->space = *rl_env_space(g->env);
    g->r = rl_rng_alloc(12345, NULL);
    if (!g->r)
        fail_msg("rl_rng_alloc failed");
    return RL_OK;
}

/* gw_try that must succeed. */
static inline void gw_build(gw_fixture *g, const char *map_text, const char *const *kv)
{
    rl_error err;
    int rc = gw_try(g, map_text, kv, &err);
    if (rc != RL_OK) {
        char buf[1024];
        rl_error_format(&err, buf, sizeof buf);
        fail_msg("building the gridworld failed (%d): %s", rc, buf);
    }
}

/* The formatted error ("key: message", with file and line where set): what a user reads. */
static inline const char *gw_format(const rl_error *err, char *buf, size_t size)
{
    rl_error_format(err, buf, size);
    return buf;
}

static inline size_t gw_state(const rl_mdp *m, size_t row, size_t col)
{
    assert_true(row < m->rows && col < m->cols);
    return rl_mdp_state(m, row, col);
}

static inline size_t gw_action(const rl_mdp *m, const char *name)
{
    int a = rl_mdp_action_index(m, name);
    if (a < 0)
        fail_msg("model has no action named %s", name);
    return (size_t)a;
}

static inline size_t gw_n_outcomes(const rl_mdp *m, size_t s, size_t a)
{
    size_t sa = s * m->n_actions + a;
    return m->first[sa + 1] - m->first[sa];
}

/* One expected outcome of an (s, a), written as the test derives it by hand. */
typedef struct gw_out {
    size_t row, col;
    double reward;
    int terminal;
    double p;
} gw_out;

/* The distribution of (s, a) as (next state, reward, terminal) triples: the model's
 * outcomes with each restart outcome (back to the start distribution) spread over the start
 * states, probability p * start[k], and equal triples merged. Returns how many; out has
 * room for max. */
static inline size_t gw_distribution(const rl_mdp *m, size_t sa, gw_out *out, size_t max)
{
    size_t n = 0;
    for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++) {
        const rl_outcome *o = &m->outcomes[k];
        for (size_t t = 0; t < m->n_states; t++) {
            double p = o->next == RL_MDP_RESTART ? o->probability * m->start[t]
                       : (size_t)o->next == t    ? o->probability
                                                 : 0.0;
            if (!(p > 0.0))
                continue;
            size_t i = 0;
            while (i < n && !(out[i].row * m->cols + out[i].col == t &&
                              out[i].reward == o->reward && out[i].terminal == o->terminal))
                i++;
            if (i == n) {
                if (n == max)
                    fail_msg("more than %zu outcomes", max);
                out[n++] = (gw_out){t / m->cols, t % m->cols, o->reward, o->terminal, 0.0};
            }
            out[i].p += p;
        }
    }
    return n;
}

#define GW_MAX_OUTCOMES 64

/* Checks that (row, col, action) has exactly the outcomes want[0..n) (the model's
 * distribution, restart outcomes spread over the start states: equal counts and every
 * wanted one present mean equal distributions), with probabilities to 1e-12; for a single
 * outcome also that step() from reset_to gives it. */
static inline void gw_expect(gw_fixture *g, size_t row, size_t col, const char *action,
                             const gw_out *want, size_t n)
{
    const rl_mdp *m = g->m;
    size_t s = gw_state(m, row, col), a = gw_action(m, action);
    size_t sa = s * m->n_actions + a;
    gw_out have[GW_MAX_OUTCOMES];
    size_t n_have = gw_distribution(m, sa, have, GW_MAX_OUTCOMES);
    if (n_have != n)
        fail_msg("(%zu,%zu) %s: %zu outcomes, expected %zu", row, col, action, n_have, n);
    for (size_t i = 0; i < n; i++) {
        int found = 0;
        for (size_t k = 0; k < n_have; k++) {
            const gw_out *o = &have[k];
            if (o->row == want[i].row && o->col == want[i].col &&
                fabs(o->reward - want[i].reward) <= 1e-12 &&
                (o->terminal != 0) == (want[i].terminal != 0)) {
                found = 1;
                if (fabs(o->p - want[i].p) > 1e-12)
                    fail_msg("(%zu,%zu) %s -> (%zu,%zu) r=%g: p = %.15g, expected %.15g",
                             row, col, action, want[i].row, want[i].col, want[i].reward,
                             o->p, want[i].p);
            }
        }
        if (!found)
            fail_msg("(%zu,%zu) %s: no outcome (%zu,%zu) r=%g terminal=%d", row, col,
                     action, want[i].row, want[i].col, want[i].reward, want[i].terminal);
    }
    if (n == 1) {
        rl_error err;
        if (rl_env_reset_to(g->env, s, &err) != RL_OK)
            fail_msg("reset_to (%zu,%zu): %s", row, col, err.message);
        rl_step st = rl_env_step(g->env, a, g->r);
        assert_int_equal(st.next, gw_state(m, want[0].row, want[0].col));
        assert_close(st.reward, want[0].reward, 1e-12);
        assert_int_equal(st.terminated, want[0].terminal != 0);
    }
}

#endif

/* Gaussian radial basis functions on a lattice of centres (see features.h).
 *
 * phi_c(p) = exp(-||p - c||^2 / (2 width^2)) with p and c in the unit square (cube, with the
 * action as a third coordinate). Dense: every centre contributes, however far, so a
 * learner's step costs centers^2 multiply-adds; a cutoff would make rows sparse but would
 * change the function class, so it is left to a kind of its own if ever needed.
 */
#include "rl/features.h"

#include <math.h>
#include <stdio.h>

static const rl_param_spec rbf_params[] = {
    {"centers", RL_PARAM_INT, "5", 1, 256, 0, NULL,
     "centres per dimension, at j / (centers - 1) over the grid (one: the middle)"},
    {"width", RL_PARAM_DOUBLE, "0.25", 0, HUGE_VAL, RL_PARAM_MIN_OPEN, NULL,
     "Gaussian width (sd) in units of the grid's extent: exp(-d^2 / (2 width^2))"},
    {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
};

/* Coordinate of the j-th of n centres along a spatial axis. */
static double lattice(size_t j, size_t n)
{
    return n > 1 ? (double)j / (double)(n - 1) : 0.5;
}

/* The action axis: one centre per action, where that action's z lies. */
static double action_centre(size_t a, size_t n_actions)
{
    return n_actions > 1 ? (double)a / (double)(n_actions - 1) : 0.0;
}

static void rbf_size(const rl_feature_config *c, const rl_feature_grid *g, uint64_t *dim,
                     uint64_t *active)
{
    uint64_t m = (uint64_t)c->centers;
    *dim = m * m * (g->three_d ? (uint64_t)g->n_actions : 1);
    *active = *dim;
}

static size_t rbf_row(const rl_feature_config *c, const rl_feature_grid *g,
                      const rl_feature_point *p, uint32_t *index, double *value)
{
    size_t m = (size_t)c->centers, n = 0;
    double scale = 1.0 / (2.0 * c->width * c->width);
    for (size_t ca = 0; ca < (g->three_d ? g->n_actions : 1); ca++) {
        double dz = g->three_d ? p->z - action_centre(ca, g->n_actions) : 0.0;
        for (size_t cy = 0; cy < m; cy++) {
            double dy = p->y - lattice(cy, m);
            for (size_t cx = 0; cx < m; cx++) {
                double dx = p->x - lattice(cx, m);
                index[n] = (uint32_t)n;
                value[n] = exp(-(dx * dx + dy * dy + dz * dz) * scale);
                n++;
            }
        }
    }
    return n;
}

static void rbf_label(const rl_feature_config *c, const rl_feature_grid *g, size_t i,
                      char *buf, size_t size)
{
    size_t m = (size_t)c->centers;
    double cx = lattice(i % m, m), cy = lattice(i / m % m, m);
    if (g->three_d)
        snprintf(buf, size, "rbf (%g %g %s)", cx, cy, g->action_names[i / (m * m)]);
    else
        snprintf(buf, size, "rbf (%g %g)", cx, cy);
}

const rl_feature_type rl_feature_rbf = {
    .name = "rbf",
    .doc = "Gaussian radial basis functions on a `centers` x `centers` lattice of centres",
    .params = rbf_params,
    .size_key = "centers",
    .entries_key = "centers",
    .three_d = true,
    .size = rbf_size,
    .row = rbf_row,
    .label = rbf_label,
};

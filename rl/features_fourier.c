/* Fourier cosine features, Zhao eq. (8.18) (see features.h for the term order).
 *
 * phi = cos(pi (c1 x + c2 y [+ c3 z])) for every coefficient vector in {0 .. q}^2 (or ^3),
 * x, y, z in [0, 1]: on [0, 1] the cosines of integer multiples of pi are an orthogonal
 * basis, which is why the coordinates are not centred here as they are for polynomials.
 */
#include "rl/features.h"

#include <math.h>
#include <stdio.h>

#define FOURIER_MAX_ORDER 64

/* M_PI is not C11; this is pi to more digits than a double holds. */
static const double pi = 3.14159265358979323846264338327950288;

static const rl_param_spec fourier_params[] = {
    {"order", RL_PARAM_INT, "3", 0, FOURIER_MAX_ORDER, 0, NULL,
     "q: cos(pi (c1 x + c2 y)) for c1, c2 in 0..q, (q+1)^2 features (Zhao eq. 8.18)"},
    {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
};

static void fourier_size(const rl_feature_config *c, const rl_feature_grid *g, uint64_t *dim,
                         uint64_t *active)
{
    uint64_t m = (uint64_t)c->order + 1;
    *dim = g->three_d ? m * m * m : m * m;
    *active = *dim;
}

static size_t fourier_row(const rl_feature_config *c, const rl_feature_grid *g,
                          const rl_feature_point *p, uint32_t *index, double *value)
{
    long q = c->order;
    size_t n = 0;
    for (long c3 = 0; c3 <= (g->three_d ? q : 0); c3++)
        for (long c2 = 0; c2 <= q; c2++)
            for (long c1 = 0; c1 <= q; c1++) {
                index[n] = (uint32_t)n;
                value[n] = cos(pi * ((double)c1 * p->x + (double)c2 * p->y +
                                     (double)c3 * p->z));
                n++;
            }
    return n;
}

static void fourier_label(const rl_feature_config *c, const rl_feature_grid *g, size_t i,
                          char *buf, size_t size)
{
    size_t m = (size_t)c->order + 1;
    size_t c1 = i % m, c2 = i / m % m, c3 = i / (m * m);
    if (g->three_d)
        snprintf(buf, size, "cos(pi*(%zux+%zuy+%zuz))", c1, c2, c3);
    else
        snprintf(buf, size, "cos(pi*(%zux+%zuy))", c1, c2);
}

const rl_feature_type rl_feature_fourier = {
    .name = "fourier",
    .doc = "cosines cos(pi (c1 x + c2 y)), c1, c2 in 0..order, x, y in [0, 1], Zhao eq. (8.18)",
    .params = fourier_params,
    .size_key = "order",
    .entries_key = "order",
    .three_d = true,
    .size = fourier_size,
    .row = fourier_row,
    .label = fourier_label,
};

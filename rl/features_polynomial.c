/* Polynomial features, Zhao eqs. (8.15)-(8.17) (see features.h for the term order).
 *
 * x, y (and z) are rescaled from [0, 1] to [-1, 1]: every power then stays within [-1, 1],
 * and the monomials are far less collinear than those of [0, 1], which a linear learner's
 * step size feels directly. Terms are listed as exponent triples, generated in the book's
 * order by one function that the values and the labels share, so they cannot disagree.
 */
#include "rl/features.h"

#include <stdio.h>
#include <string.h>

#define POLY_MAX_ORDER 8
/* Terms of the 3-D order-8 polynomial: (8+1)(8+2)(8+3)/6. */
#define POLY_MAX_TERMS 165

static const rl_param_spec polynomial_params[] = {
    {"order", RL_PARAM_INT, "3", 1, POLY_MAX_ORDER, 0, NULL,
     "degree k: (k+1)(k+2)/2 features [1, x, y, x^2, y^2, xy, ...] (Zhao eqs. 8.15-8.17)"},
    {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
};

static size_t put(unsigned char (*e)[3], size_t n, int ex, int ey, int ez)
{
    e[n][0] = (unsigned char)ex;
    e[n][1] = (unsigned char)ey;
    e[n][2] = (unsigned char)ez;
    return n + 1;
}

/* Appends the 2-D terms of degree d (x^d, y^d, x^(d-1) y, ..., x y^(d-1)), each times z^ez. */
static size_t terms_2d(int d, int ez, unsigned char (*e)[3], size_t n)
{
    if (d == 0)
        return put(e, n, 0, 0, ez);
    n = put(e, n, d, 0, ez);
    n = put(e, n, 0, d, ez);
    for (int j = 1; j < d; j++)
        n = put(e, n, d - j, j, ez);
    return n;
}

/* The exponents (of x, y, z) of every term, in order; returns their number. Degree by degree;
 * in 3-D, degree d is the 2-D degree-d terms, then z times degree d-1, ..., then z^d. */
static size_t exponents(long order, bool three_d, unsigned char (*e)[3])
{
    size_t n = 0;
    for (int d = 0; d <= (int)order; d++)
        for (int ez = 0; ez <= (three_d ? d : 0); ez++)
            n = terms_2d(d - ez, ez, e, n);
    return n;
}

/* A unit coordinate rescaled to [-1, 1]; 0 on an axis of one cell (or one action), which
 * is its middle, as Zhao's x = 2 col / (cols - 1) - 1 would have it were it defined. */
static double centred(double unit, size_t n)
{
    return n > 1 ? 2.0 * unit - 1.0 : 0.0;
}

static void polynomial_size(const rl_feature_config *c, const rl_feature_grid *g,
                            uint64_t *dim, uint64_t *active)
{
    uint64_t k = (uint64_t)c->order;
    *dim = g->three_d ? (k + 1) * (k + 2) * (k + 3) / 6 : (k + 1) * (k + 2) / 2;
    *active = *dim;
}

static size_t polynomial_row(const rl_feature_config *c, const rl_feature_grid *g,
                             const rl_feature_point *p, uint32_t *index, double *value)
{
    unsigned char e[POLY_MAX_TERMS][3];
    size_t n = exponents(c->order, g->three_d, e);
    /* Powers by repeated multiplication: x^2 is x * x, as Zhao writes it. */
    double px[POLY_MAX_ORDER + 1], py[POLY_MAX_ORDER + 1], pz[POLY_MAX_ORDER + 1];
    double x = centred(p->x, g->cols), y = centred(p->y, g->rows);
    double z = g->three_d ? centred(p->z, g->n_actions) : 0.0;
    px[0] = py[0] = pz[0] = 1.0;
    for (long k = 1; k <= c->order; k++) {
        px[k] = px[k - 1] * x;
        py[k] = py[k - 1] * y;
        pz[k] = pz[k - 1] * z;
    }
    for (size_t i = 0; i < n; i++) {
        index[i] = (uint32_t)i;
        value[i] = px[e[i][0]] * py[e[i][1]] * pz[e[i][2]];
    }
    return n;
}

static void polynomial_label(const rl_feature_config *c, const rl_feature_grid *g, size_t i,
                             char *buf, size_t size)
{
    unsigned char e[POLY_MAX_TERMS][3];
    size_t n = exponents(c->order, g->three_d, e);
    if (i >= n)
        return;
    static const char var[3] = {'x', 'y', 'z'};
    char text[64] = "";
    size_t used = 0;
    for (int v = 0; v < 3; v++) {
        if (e[i][v] == 0)
            continue;
        int w = e[i][v] == 1 ? snprintf(text + used, sizeof text - used, "%s%c",
                                        used ? "*" : "", var[v])
                             : snprintf(text + used, sizeof text - used, "%s%c^%d",
                                        used ? "*" : "", var[v], e[i][v]);
        if (w > 0)
            used += (size_t)w;
    }
    snprintf(buf, size, "%s", used ? text : "1");
}

const rl_feature_type rl_feature_polynomial = {
    .name = "polynomial",
    .doc = "monomials of x, y in [-1, 1] up to degree `order`, Zhao eqs. (8.15)-(8.17)",
    .params = polynomial_params,
    .size_key = "order",
    .entries_key = "order",
    .three_d = true,
    .size = polynomial_size,
    .row = polynomial_row,
    .label = polynomial_label,
};

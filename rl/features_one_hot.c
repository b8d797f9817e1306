/* One-hot features: the tabular case as a linear architecture (see features.h).
 *
 * phi_i(s) = [i == s] with the value exactly 1.0, so that w . phi(s) = w[s] and
 * w += c phi(s) is w[s] += c: a linear learner on these features performs the tabular
 * learner's arithmetic, bit for bit.
 */
#include "rl/features.h"

#include <stdio.h>

static const rl_param_spec one_hot_params[] = {
    {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
};

static void one_hot_size(const rl_feature_config *c, const rl_feature_grid *g, uint64_t *dim,
                         uint64_t *active)
{
    (void)c;
    *dim = (uint64_t)g->rows * g->cols;
    *active = 1;
}

static size_t one_hot_row(const rl_feature_config *c, const rl_feature_grid *g,
                          const rl_feature_point *p, uint32_t *index, double *value)
{
    (void)c;
    index[0] = (uint32_t)(p->row * g->cols + p->col);
    value[0] = 1.0;
    return 1;
}

static void one_hot_label(const rl_feature_config *c, const rl_feature_grid *g, size_t i,
                          char *buf, size_t size)
{
    (void)c;
    snprintf(buf, size, "one_hot (%zu %zu)", i / g->cols, i % g->cols);
}

const rl_feature_type rl_feature_one_hot = {
    .name = "one_hot",
    .doc = "one feature per state, exactly 1.0 at the state: the tabular case",
    .params = one_hot_params,
    .size_key = "features",
    .entries_key = "features",
    .three_d = false,
    .size = one_hot_size,
    .row = one_hot_row,
    .label = one_hot_label,
};

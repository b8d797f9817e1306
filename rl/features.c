/* Feature vectors: the registry, the shared keys, and the compilation of an instance into
 * its sparse table (see features.h). The kinds live in rl/features_*.c; this file knows
 * nothing of any one kind beyond its descriptor.
 *
 * Everything that can fail happens in rl_features_alloc, before the table is filled: the
 * space is checked, the kind's settings are parsed against the kind's own table (so a value
 * in the shared range but outside the kind's is refused with the kind's range), and the
 * sizes are checked against the caps before anything large is allocated.
 */
#include "rl/features.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rl/alloc.h"

const rl_param_spec rl_feature_params[] = {
    RL_FEATURE_PARAMS,
    {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
};

const rl_feature_type *const rl_feature_types[] = {
    &rl_feature_one_hot, &rl_feature_polynomial, &rl_feature_fourier,
    &rl_feature_tile,    &rl_feature_rbf,        NULL,
};

const rl_feature_type *rl_feature_type_find(const char *name, rl_error *err)
{
    char names[RL_ERROR_MESSAGE_MAX - 128] = "";
    for (const rl_feature_type *const *t = rl_feature_types; *t; t++) {
        if (name && strcmp((*t)->name, name) == 0)
            return *t;
        rl_names_append(names, sizeof names, (*t)->name);
    }
    rl_error_set(err, RL_ENOTFOUND, "unknown feature kind '%s' (valid: %s)", name ? name : "",
                 names);
    rl_error_locate(err, RL_ENOTFOUND, NULL, 0, 0, "features");
    return NULL;
}

struct rl_features {
    rl_feature_table table; /* first: the inline step functions read it through the pointer */
    const rl_feature_type *type;
    rl_feature_config config;
    rl_feature_grid grid;
    bool blocks;        /* domain PAIRS with phi(s) in action blocks */
    size_t block_dim;   /* features of one point */
    size_t max_active;
    uint32_t *start, *index;
    double *value;
    char (*names)[RL_ACTION_NAME_MAX]; /* the space's action names, copied */
};

_Static_assert(offsetof(struct rl_features, table) == 0,
               "rl_features_table reads the table through the instance pointer");

/* The shared spec of key (for the messages of keys every kind reads). */
static const rl_param_spec *shared_spec(const char *key)
{
    const rl_param_spec *spec = rl_param_find(rl_feature_params, key);
    assert(spec && "key missing from RL_FEATURE_PARAMS");
    return spec;
}

/* The value of key in params, set or its table's default, else fallback (the kind's default):
 * a learner's table may lack a key or give it no default. */
static const char *value_text(const rl_params *params, const char *key, const char *fallback)
{
    return params && rl_params_has(params, key) ? rl_params_text(params, key) : fallback;
}

/* Parses text against spec; on failure names the kind (when given) whose range refused it,
 * since the shared range the config checked may be wider. The local record keeps the
 * message the same whether err is NULL or not. */
static int parse_for(const rl_feature_type *type, const rl_param_spec *spec, const char *text,
                     rl_param_value *out, rl_error *err)
{
    rl_error local;
    int rc = rl_param_parse(spec, text, out, &local);
    if (rc == RL_OK)
        return RL_OK;
    if (type)
        rl_error_set(err, rc, "%s (for features = %s)", local.message, type->name);
    else
        rl_error_set(err, rc, "%s", local.message);
    rl_error_locate(err, rc, NULL, 0, 0, spec->name);
    return rc;
}

static int read_config(const rl_feature_type *type, const rl_params *params,
                       rl_feature_config *c, rl_error *err)
{
    memset(c, 0, sizeof *c);
    for (const rl_param_spec *spec = type->params; spec && spec->name; spec++) {
        rl_param_value v;
        int rc = parse_for(type, spec, value_text(params, spec->name, spec->default_text), &v,
                           err);
        if (rc != RL_OK)
            return rc;
        if (strcmp(spec->name, "order") == 0)
            c->order = v.i;
        else if (strcmp(spec->name, "tilings") == 0)
            c->tilings = v.i;
        else if (strcmp(spec->name, "tiles") == 0)
            c->tiles = v.i;
        else if (strcmp(spec->name, "centers") == 0)
            c->centers = v.i;
        else if (strcmp(spec->name, "width") == 0)
            c->width = v.d;
        else
            assert(!"a kind reads a key rl_feature_config has no field for");
    }
    return RL_OK;
}

static int check_space(const rl_space *sp, rl_error *err)
{
    if (!sp)
        return rl_error_set(err, RL_EINVAL, "features need a state space");
    if (sp->rows == 0 || sp->cols == 0 || sp->rows > SIZE_MAX / sp->cols ||
        sp->rows * sp->cols != sp->n_states)
        return rl_error_set(err, RL_EINVAL,
                            "the space has %zu states, not rows x cols = %zu x %zu",
                            sp->n_states, sp->rows, sp->cols);
    if (sp->n_actions == 0 || sp->n_actions > RL_MAX_ACTIONS)
        return rl_error_set(err, RL_EINVAL, "the space has %zu actions, not 1 .. %d",
                            sp->n_actions, RL_MAX_ACTIONS);
    /* Indices are uint32 and the caps keep them far below that, but the one-hot size of a
     * grid is computed before the cap check: keep it exact. */
    if (sp->n_states > UINT32_MAX)
        return rl_error_set(err, RL_ERANGE, "the space has %zu states, too many for features",
                            sp->n_states);
    return RL_OK;
}

/* "lower KEY" names what to change; for one_hot the key is the kind itself. */
static const char *advice(const char *key)
{
    return strcmp(key, "features") == 0 ? "choose a kind with fewer features" : "lower it";
}

static int check_caps(const rl_feature_type *type, uint64_t dim, uint64_t rows,
                      uint64_t active, rl_error *err)
{
    if (dim == 0 || active == 0)
        return rl_error_set(err, RL_EINVAL, "features = %s gives no features here", type->name);
    if (dim > RL_FEATURES_MAX_DIM) {
        rl_error_set(err, RL_ERANGE,
                     "features = %s gives %" PRIu64 " features here, above the cap of %lu "
                     "(RL_FEATURES_MAX_DIM); %s",
                     type->name, dim, RL_FEATURES_MAX_DIM, advice(type->size_key));
        rl_error_locate(err, RL_ERANGE, NULL, 0, 0, type->size_key);
        return RL_ERANGE;
    }
    if (rows > RL_FEATURES_MAX_ENTRIES / active) {
        rl_error_set(err, RL_ERANGE,
                     "features = %s needs a table of %" PRIu64 " rows x %" PRIu64
                     " active features, above the cap of %lu entries "
                     "(RL_FEATURES_MAX_ENTRIES); %s",
                     type->name, rows, active, RL_FEATURES_MAX_ENTRIES,
                     advice(type->entries_key));
        rl_error_locate(err, RL_ERANGE, NULL, 0, 0, type->entries_key);
        return RL_ERANGE;
    }
    return RL_OK;
}

static double unit(size_t i, size_t n)
{
    return n > 1 ? (double)i / (double)(n - 1) : 0.0;
}

/* Fills the table: one row per state, or per (s, a) pair when the kind is 3-D. */
static void compile(rl_features *f, size_t n_rows)
{
    const rl_feature_grid *g = &f->grid;
    f->start[0] = 0;
    for (size_t r = 0; r < n_rows; r++) {
        size_t s = g->three_d ? r / g->n_actions : r;
        size_t a = g->three_d ? r % g->n_actions : 0;
        rl_feature_point p = {
            .row = s / g->cols,
            .col = s % g->cols,
            .action = a,
            .x = unit(s % g->cols, g->cols),
            .y = unit(s / g->cols, g->rows),
            .z = g->three_d ? unit(a, g->n_actions) : 0.0,
        };
        size_t n = f->type->row(&f->config, g, &p, f->index + f->start[r],
                                f->value + f->start[r]);
        assert(n <= f->max_active && "a kind wrote more features than it announced");
        f->start[r + 1] = f->start[r] + (uint32_t)n;
    }
}

int rl_features_alloc(const rl_feature_type *type, const rl_space *sp,
                      rl_feature_domain domain, const rl_params *params, rl_features **out,
                      rl_error *err)
{
    if (!out)
        return rl_error_set(err, RL_EINVAL, "rl_features_alloc: NULL out");
    *out = NULL;
    if (!type) {
        rl_error_set(err, RL_EINVAL, "no feature kind given");
        return rl_error_locate(err, RL_EINVAL, NULL, 0, 0, "features");
    }
    if (domain != RL_FEATURES_STATES && domain != RL_FEATURES_PAIRS)
        return rl_error_set(err, RL_EINVAL, "unknown feature domain %d", (int)domain);
    int rc = check_space(sp, err);
    if (rc != RL_OK)
        return rc;
    rl_feature_config config;
    rc = read_config(type, params, &config, err);
    if (rc != RL_OK)
        return rc;
    bool input = false;
    if (domain == RL_FEATURES_PAIRS) {
        const rl_param_spec *spec = shared_spec("action_features");
        rl_param_value v;
        rc = parse_for(NULL, spec, value_text(params, spec->name, spec->default_text), &v,
                       err);
        if (rc != RL_OK)
            return rc;
        input = strcmp(v.s, "input") == 0;
    }

    rl_feature_grid grid = {
        .rows = sp->rows,
        .cols = sp->cols,
        .n_actions = sp->n_actions,
        .three_d = input && type->three_d,
    };
    bool blocks = domain == RL_FEATURES_PAIRS && !grid.three_d;
    uint64_t point_dim = 0, active = 0;
    type->size(&config, &grid, &point_dim, &active);
    uint64_t dim = blocks ? point_dim * sp->n_actions : point_dim;
    uint64_t n_rows = grid.three_d ? (uint64_t)sp->n_states * sp->n_actions : sp->n_states;
    rc = check_caps(type, dim, n_rows, active, err);
    if (rc != RL_OK)
        return rc;

    rl_features *f = rl_calloc(1, sizeof *f);
    if (!f)
        return rl_error_set(err, RL_ENOMEM, "out of memory allocating features");
    f->type = type;
    f->config = config;
    f->blocks = blocks;
    f->block_dim = (size_t)point_dim;
    f->max_active = (size_t)active;
    f->start = rl_malloc(((size_t)n_rows + 1) * sizeof *f->start);
    f->index = rl_malloc((size_t)(n_rows * active) * sizeof *f->index);
    f->value = rl_malloc((size_t)(n_rows * active) * sizeof *f->value);
    f->names = rl_malloc(sp->n_actions * sizeof *f->names);
    if (!f->start || !f->index || !f->value || !f->names) {
        rl_features_free(f);
        return rl_error_set(err, RL_ENOMEM,
                            "out of memory allocating a feature table of %" PRIu64 " entries",
                            n_rows * active);
    }
    for (size_t a = 0; a < sp->n_actions; a++) {
        if (sp->action_names && sp->action_names[a][0])
            snprintf(f->names[a], sizeof f->names[a], "%s", sp->action_names[a]);
        else
            snprintf(f->names[a], sizeof f->names[a], "a%u", (unsigned)a);
    }
    grid.action_names = (const char(*)[RL_ACTION_NAME_MAX])f->names;
    f->grid = grid;
    compile(f, (size_t)n_rows);

    f->table = (rl_feature_table){
        .dim = (size_t)dim,
        .n_states = sp->n_states,
        .n_actions = sp->n_actions,
        .row_s = grid.three_d ? sp->n_actions : 1,
        .row_a = grid.three_d ? 1 : 0,
        .offset_a = blocks ? (size_t)point_dim : 0,
        .start = f->start,
        .index = f->index,
        .value = f->value,
    };
    *out = f;
    return RL_OK;
}

int rl_features_alloc_params(const rl_space *sp, rl_feature_domain domain,
                             const rl_params *params, rl_features **out, rl_error *err)
{
    if (!out)
        return rl_error_set(err, RL_EINVAL, "rl_features_alloc_params: NULL out");
    *out = NULL;
    const rl_param_spec *spec = shared_spec("features");
    const char *name = value_text(params, spec->name, spec->default_text);
    /* Looked up in the registry (whose miss lists the valid names), not parsed against the
     * choice list: params' own table already did that when the value was set. */
    const rl_feature_type *type = rl_feature_type_find(name, err);
    if (!type)
        return RL_ENOTFOUND; /* the only way the lookup fails */
    return rl_features_alloc(type, sp, domain, params, out, err);
}

void rl_features_free(rl_features *f)
{
    if (!f)
        return;
    rl_free(f->start);
    rl_free(f->index);
    rl_free(f->value);
    rl_free(f->names);
    rl_free(f);
}

const rl_feature_type *rl_features_type(const rl_features *f)
{
    return f->type;
}

size_t rl_features_block_dim(const rl_features *f)
{
    return f->block_dim;
}

size_t rl_features_max_active(const rl_features *f)
{
    return f->max_active;
}

int rl_features_label(const rl_features *f, size_t i, char *buf, size_t size)
{
    if (!buf || size == 0)
        return RL_EINVAL;
    buf[0] = '\0';
    if (!f || i >= f->table.dim)
        return RL_ERANGE;
    size_t j = f->blocks ? i % f->block_dim : i;
    f->type->label(&f->config, &f->grid, j, buf, size);
    if (f->blocks) {
        size_t used = strlen(buf);
        if (used + 1 < size)
            snprintf(buf + used, size - used, "@%s", f->names[i / f->block_dim]);
    }
    return RL_OK;
}

void rl_features_dense_double(const rl_features *f, size_t s, size_t a, double *out)
{
    memset(out, 0, f->table.dim * sizeof *out);
    rl_feature_row row = rl_features_row(f, s, a);
    for (size_t k = 0; k < row.count; k++)
        out[row.offset + row.index[k]] = row.value[k];
}

void rl_features_dense_float(const rl_features *f, size_t s, size_t a, float *out)
{
    memset(out, 0, f->table.dim * sizeof *out);
    rl_feature_row row = rl_features_row(f, s, a);
    for (size_t k = 0; k < row.count; k++)
        out[row.offset + row.index[k]] = (float)row.value[k];
}

/* Tests for feature vectors (rl/features.h): each kind's values against the books' formulas
 * written out here, counts and layouts, the step functions against dense products, labels,
 * and the errors users see.
 *
 * Where the numbers come from: polynomial terms are Zhao eqs. (8.15)-(8.17) typed in term by
 * term; Fourier values at cells whose arguments are multiples of pi/4 come from the exact
 * cosines of those angles; tile indices are worked out by hand in the comments; RBF values at
 * hand-computed distances. The random dot/axpy checks compare with dense vectors from the
 * reference implementations below, written from the definitions in features.h and not from
 * the code. Grids are 2, 3 or 5 cells wide, so that every coordinate (col / (cols - 1)) and
 * tile offset is a dyadic fraction: the references' floating-point tile arithmetic is then
 * exact and cannot disagree with the code's integer arithmetic at a boundary by rounding.
 *
 * Tolerances: terms that are products of halves are exact (1e-15 is stated, 0 would pass);
 * cosines get 5e-15 (see test_fourier_values); sums over random weights 1e-13 relative to
 * the sum of |w_i phi_i| (the same terms, each within a few ulps).
 */
#include "tests/support.h"

#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "rl/features.h"
#include "rl/rng.h"

/* ---- A hand-built space ---- */

typedef struct test_space {
    rl_space sp;
    uint8_t *kind;
    char *cell;
    int drow[RL_MAX_ACTIONS], dcol[RL_MAX_ACTIONS];
    char names[RL_MAX_ACTIONS][RL_ACTION_NAME_MAX];
} test_space;

/* rows x cols, every state open; 5 actions are Zhao's (up, right, down, left, stay), 4 the
 * first four of them, other counts are named a0, a1, ... Use in place (sp points into t). */
static void space_init(test_space *t, size_t rows, size_t cols, size_t n_actions)
{
    static const char *const zhao[] = {"up", "right", "down", "left", "stay"};
    static const int drow[] = {-1, 0, 1, 0, 0}, dcol[] = {0, 1, 0, -1, 0};
    memset(t, 0, sizeof *t);
    t->kind = calloc(rows * cols, 1);
    t->cell = malloc(rows * cols);
    assert_non_null(t->kind);
    assert_non_null(t->cell);
    memset(t->cell, '.', rows * cols);
    for (size_t a = 0; a < n_actions; a++) {
        if (n_actions <= 5) {
            snprintf(t->names[a], RL_ACTION_NAME_MAX, "%s", zhao[a]);
            t->drow[a] = drow[a];
            t->dcol[a] = dcol[a];
        } else {
            snprintf(t->names[a], RL_ACTION_NAME_MAX, "a%u", (unsigned)a);
        }
    }
    t->sp = (rl_space){
        .n_states = rows * cols,
        .n_actions = n_actions,
        .rows = rows,
        .cols = cols,
        .kind = t->kind,
        .cell = t->cell,
        .action_drow = t->drow,
        .action_dcol = t->dcol,
        .action_names = (const char(*)[RL_ACTION_NAME_MAX])t->names,
    };
}

/* Zhao's 5x5 grid world (envs/maps/zhao5x5.map): forbidden cells and the target are open
 * states (the target is not terminal in Zhao's examples), with 5 actions. */
static void zhao_space(test_space *t)
{
    static const char map[] = ".....\n.XX..\n..X..\n.XGX.\n.X...";
    space_init(t, 5, 5, 5);
    for (size_t r = 0; r < 5; r++)
        memcpy(t->cell + r * 5, map + r * 6, 5);
}

static void space_free(test_space *t)
{
    free(t->kind);
    free(t->cell);
}

/* ---- Allocation helpers ---- */

/* A value set over the shared table with kv = {"key", "value", ..., NULL}. */
static rl_params *make_params(const char *const *kv)
{
    rl_params *p = rl_params_alloc(rl_feature_params);
    assert_non_null(p);
    for (size_t i = 0; kv && kv[i]; i += 2) {
        rl_error err;
        if (rl_params_set(p, kv[i], kv[i + 1], &err) != RL_OK)
            fail_msg("setting %s = %s: %s", kv[i], kv[i + 1], err.message);
    }
    return p;
}

/* Features of kind `name` (kv as make_params) that must allocate. */
static rl_features *make(const char *name, const rl_space *sp, rl_feature_domain domain,
                         const char *const *kv)
{
    rl_params *p = make_params(kv);
    rl_error err;
    const rl_feature_type *type = rl_feature_type_find(name, &err);
    assert_non_null(type);
    rl_features *f;
    if (rl_features_alloc(type, sp, domain, p, &f, &err) != RL_OK)
        fail_msg("rl_features_alloc(%s): %s: %s", name, err.key, err.message);
    rl_params_free(p);
    return f;
}

/* The dense phi(s, a) through the row interface (the code's side of a comparison). */
static void row_dense(const rl_features *f, size_t s, size_t a, double *out)
{
    memset(out, 0, rl_features_dim(f) * sizeof *out);
    rl_feature_row row = rl_features_row(f, s, a);
    for (size_t k = 0; k < row.count; k++)
        out[row.offset + row.index[k]] = row.value[k];
}

static void expect_vector(const rl_features *f, size_t s, size_t a, const double *expected,
                          size_t n, double tolerance)
{
    assert_int_equal(rl_features_dim(f), n);
    double *got = malloc(n * sizeof *got);
    assert_non_null(got);
    row_dense(f, s, a, got);
    for (size_t i = 0; i < n; i++)
        if (!(fabs(got[i] - expected[i]) <= tolerance))
            fail_msg("state %zu action %zu feature %zu: %.17g, expected %.17g within %g", s, a,
                     i, got[i], expected[i], tolerance);
    free(got);
}

/* ---- Reference features, from the definitions in features.h ---- */

typedef enum { REF_ONE_HOT, REF_POLYNOMIAL, REF_FOURIER, REF_TILE, REF_RBF } ref_kind;

typedef struct ref_spec {
    ref_kind kind;
    long order, tilings, tiles, centers;
    double width;
} ref_spec;

static double ipow(double x, int k)
{
    double p = 1.0;
    for (int i = 0; i < k; i++)
        p *= x;
    return p;
}

/* The features of one point; three_d adds the action coordinate. Returns their number. */
static size_t ref_point(const ref_spec *k, size_t rows, size_t cols, size_t n_actions,
                        bool three_d, size_t row, size_t col, size_t a, double *out)
{
    double ux = cols > 1 ? (double)col / (double)(cols - 1) : 0.0;
    double uy = rows > 1 ? (double)row / (double)(rows - 1) : 0.0;
    double uz = three_d && n_actions > 1 ? (double)a / (double)(n_actions - 1) : 0.0;
    size_t n = 0;
    switch (k->kind) {
    case REF_ONE_HOT:
        for (size_t i = 0; i < rows * cols; i++)
            out[n++] = i == row * cols + col ? 1.0 : 0.0;
        break;
    case REF_POLYNOMIAL: {
        /* 2 u - 1 in [-1, 1], but 0 on an axis of one cell or one action. */
        double x = cols > 1 ? 2 * ux - 1 : 0.0, y = rows > 1 ? 2 * uy - 1 : 0.0;
        double z = three_d && n_actions > 1 ? 2 * uz - 1 : 0.0;
        for (int d = 0; d <= k->order; d++)
            for (int ez = 0; ez <= (three_d ? d : 0); ez++) {
                int e = d - ez; /* the 2-D degree */
                double zp = ipow(z, ez);
                if (e == 0) {
                    out[n++] = zp;
                    continue;
                }
                out[n++] = ipow(x, e) * zp;
                out[n++] = ipow(y, e) * zp;
                for (int j = 1; j < e; j++)
                    out[n++] = ipow(x, e - j) * ipow(y, j) * zp;
            }
        break;
    }
    case REF_FOURIER: {
        double pi = acos(-1.0);
        for (long c3 = 0; c3 <= (three_d ? k->order : 0); c3++)
            for (long c2 = 0; c2 <= k->order; c2++)
                for (long c1 = 0; c1 <= k->order; c1++)
                    out[n++] = cos(pi * (c1 * ux + c2 * uy + c3 * uz));
        break;
    }
    case REF_TILE: {
        /* Tile width w = 1 / tiles; tiling t shifted by ((t mod n), (3t mod n)) w / n. */
        size_t side = (size_t)k->tiles + 1, nt = (size_t)k->tilings;
        for (size_t i = 0; i < nt * side * side; i++)
            out[i] = 0.0;
        for (size_t t = 0; t < nt; t++) {
            double sx = (double)(t % nt) / (double)nt, sy = (double)(3 * t % nt) / (double)nt;
            size_t ix = (size_t)floor(ux * (double)k->tiles + sx);
            size_t iy = (size_t)floor(uy * (double)k->tiles + sy);
            out[t * side * side + iy * side + ix] = 1.0;
        }
        n = nt * side * side;
        break;
    }
    case REF_RBF: {
        size_t m = (size_t)k->centers;
        for (size_t ca = 0; ca < (three_d ? n_actions : 1); ca++)
            for (size_t cy = 0; cy < m; cy++)
                for (size_t cx = 0; cx < m; cx++) {
                    double px = m > 1 ? (double)cx / (double)(m - 1) : 0.5;
                    double py = m > 1 ? (double)cy / (double)(m - 1) : 0.5;
                    double pz = n_actions > 1 ? (double)ca / (double)(n_actions - 1) : 0.0;
                    double d2 = (ux - px) * (ux - px) + (uy - py) * (uy - py) +
                                (three_d ? (uz - pz) * (uz - pz) : 0.0);
                    out[n++] = exp(-d2 / (2 * k->width * k->width));
                }
        break;
    }
    }
    return n;
}

/* The dense phi(s, a) of a domain: STATES (a ignored), PAIRS with blocks, or PAIRS with
 * input (3-D for polynomial, fourier, rbf; blocks for the others). */
typedef enum { LAYOUT_STATES, LAYOUT_BLOCKS, LAYOUT_INPUT } ref_layout;

static size_t ref_dense(const ref_spec *k, const rl_space *sp, ref_layout layout, size_t s,
                        size_t a, double *out, size_t capacity)
{
    bool three_d = layout == LAYOUT_INPUT && (k->kind == REF_POLYNOMIAL ||
                                              k->kind == REF_FOURIER || k->kind == REF_RBF);
    bool blocks = (layout == LAYOUT_BLOCKS || layout == LAYOUT_INPUT) && !three_d;
    double point[4096];
    size_t d = ref_point(k, sp->rows, sp->cols, sp->n_actions, three_d, s / sp->cols,
                         s % sp->cols, a, point);
    size_t dim = blocks ? d * sp->n_actions : d;
    assert_true(dim <= capacity);
    for (size_t i = 0; i < dim; i++)
        out[i] = 0.0;
    for (size_t i = 0; i < d; i++)
        out[(blocks ? a * d : 0) + i] = point[i];
    return dim;
}

/* ---- Registry and parameter tables ---- */

/* The names and order the brief gives (one_hot|polynomial|fourier|tile|rbf); the shared
 * table's choices must list exactly them, and each kind's keys must be shared keys of the
 * same type whose range contains the kind's and whose default is the kind's: a learner that
 * lists RL_FEATURE_PARAMS passes the shared default, which must mean the kind's default. */
static void test_registry_and_tables(void **state)
{
    (void)state;
    static const char *const names[] = {"one_hot", "polynomial", "fourier", "tile", "rbf"};
    size_t n = 0;
    for (const rl_feature_type *const *t = rl_feature_types; *t; t++, n++) {
        assert_true(n < 5);
        assert_string_equal((*t)->name, names[n]);
        assert_ptr_equal(rl_feature_type_find(names[n], NULL), *t);
        assert_true((*t)->doc && (*t)->doc[0]);
        for (const rl_param_spec *k = (*t)->params; k->name; k++) {
            const rl_param_spec *shared = rl_param_find(rl_feature_params, k->name);
            if (!shared)
                fail_msg("%s reads '%s', which RL_FEATURE_PARAMS lacks", (*t)->name, k->name);
            assert_int_equal(shared->kind, k->kind);
            assert_true(shared->min <= k->min && shared->max >= k->max);
            assert_string_equal(shared->default_text, k->default_text);
        }
    }
    assert_int_equal(n, 5);
    const rl_param_spec *features = rl_param_find(rl_feature_params, "features");
    assert_non_null(features);
    assert_string_equal(features->choices, "one_hot|polynomial|fourier|tile|rbf");
    const rl_param_spec *action = rl_param_find(rl_feature_params, "action_features");
    assert_non_null(action);
    assert_string_equal(action->choices, "blocks|input");
    assert_string_equal(action->default_text, "blocks");
    /* The seven keys of the brief, in a learner-ready table. */
    assert_int_equal(rl_param_count(rl_feature_params), 7);
    static const char *const keys[] = {"features", "order",   "tilings",        "tiles",
                                       "centers",  "width",   "action_features"};
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(rl_feature_params[i].name, keys[i]);
}

/* ---- one_hot ---- */

/* phi_i(s) = [i == s] with exactly 1.0 (compared with ==), so a linear learner reproduces a
 * tabular one; blocks put (s, a) at a * 25 + s; input is the same as blocks. */
static void test_one_hot(void **state)
{
    (void)state;
    test_space t;
    zhao_space(&t);
    rl_features *f = make("one_hot", &t.sp, RL_FEATURES_STATES, NULL);
    assert_int_equal(rl_features_dim(f), 25);
    assert_int_equal(rl_features_max_active(f), 1);
    for (size_t s = 0; s < 25; s++) {
        rl_feature_row row = rl_features_row(f, s, 0);
        assert_int_equal(row.count, 1);
        assert_int_equal(row.offset + row.index[0], s);
        assert_true(row.value[0] == 1.0);
    }
    rl_features *q = make("one_hot", &t.sp, RL_FEATURES_PAIRS, NULL);
    rl_features *in = make("one_hot", &t.sp, RL_FEATURES_PAIRS,
                           (const char *const[]){"action_features", "input", NULL});
    assert_int_equal(rl_features_dim(q), 125);
    assert_int_equal(rl_features_dim(in), 125);
    for (size_t s = 0; s < 25; s++)
        for (size_t a = 0; a < 5; a++) {
            rl_feature_row r1 = rl_features_row(q, s, a), r2 = rl_features_row(in, s, a);
            assert_int_equal(r1.count, 1);
            assert_int_equal(r1.offset + r1.index[0], a * 25 + s);
            assert_true(r1.value[0] == 1.0);
            assert_int_equal(r2.count, 1);
            assert_int_equal(r2.offset + r2.index[0], a * 25 + s);
        }
    rl_features_free(f);
    rl_features_free(q);
    rl_features_free(in);
    space_free(&t);
}

/* ---- polynomial ---- */

/* Zhao eqs. (8.15)-(8.17) at four cells of the 5x5 grid, x = 2 col / 4 - 1, y = 2 row / 4 - 1
 * worked out by hand: (row 2, col 3) -> (0.5, 0); (0, 0) -> (-1, -1); (4, 1) -> (-0.5, 1);
 * (1, 4) -> (1, -0.5). Every term is a product of halves: exact. */
static void test_polynomial_values(void **state)
{
    (void)state;
    static const struct {
        size_t row, col;
        double x, y;
    } cells[] = {{2, 3, 0.5, 0.0}, {0, 0, -1.0, -1.0}, {4, 1, -0.5, 1.0}, {1, 4, 1.0, -0.5}};
    test_space t;
    zhao_space(&t);
    rl_features *f1 = make("polynomial", &t.sp, RL_FEATURES_STATES,
                           (const char *const[]){"order", "1", NULL});
    rl_features *f2 = make("polynomial", &t.sp, RL_FEATURES_STATES,
                           (const char *const[]){"order", "2", NULL});
    rl_features *f3 = make("polynomial", &t.sp, RL_FEATURES_STATES,
                           (const char *const[]){"order", "3", NULL});
    for (size_t i = 0; i < 4; i++) {
        double x = cells[i].x, y = cells[i].y;
        size_t s = cells[i].row * 5 + cells[i].col;
        const double o1[] = {1, x, y};                                      /* (8.15) */
        const double o2[] = {1, x, y, x * x, y * y, x * y};                 /* (8.16) */
        const double o3[] = {1,         x,         y,         x * x,     y * y, /* (8.17) */
                             x * y,     x * x * x, y * y * y, x * x * y, x * y * y};
        expect_vector(f1, s, 0, o1, 3, 1e-15);
        expect_vector(f2, s, 0, o2, 6, 1e-15);
        expect_vector(f3, s, 0, o3, 10, 1e-15);
    }
    /* Degree 4 continues the pattern: x^4, y^4, x^3 y, x^2 y^2, x y^3, at (row 4, col 1). */
    rl_features *f4 = make("polynomial", &t.sp, RL_FEATURES_STATES,
                           (const char *const[]){"order", "4", NULL});
    double v[15];
    row_dense(f4, 21, 0, v);
    double x = -0.5, y = 1.0;
    const double deg4[] = {x * x * x * x, y * y * y * y, x * x * x * y, x * x * y * y,
                           x * y * y * y};
    for (size_t i = 0; i < 5; i++)
        assert_close(v[10 + i], deg4[i], 1e-15);
    rl_features_free(f1);
    rl_features_free(f2);
    rl_features_free(f3);
    rl_features_free(f4);
    space_free(&t);
}

/* (k+1)(k+2)/2 features in 2-D, (k+1)(k+2)(k+3)/6 with the action as input, for k = 1..8. */
static void test_polynomial_counts(void **state)
{
    (void)state;
    static const size_t two_d[] = {3, 6, 10, 15, 21, 28, 36, 45};
    static const size_t three_d[] = {4, 10, 20, 35, 56, 84, 120, 165};
    test_space t;
    zhao_space(&t);
    for (int k = 1; k <= 8; k++) {
        char order[4];
        snprintf(order, sizeof order, "%d", k);
        rl_features *f = make("polynomial", &t.sp, RL_FEATURES_STATES,
                              (const char *const[]){"order", order, NULL});
        rl_features *b = make("polynomial", &t.sp, RL_FEATURES_PAIRS,
                              (const char *const[]){"order", order, NULL});
        rl_features *in = make("polynomial", &t.sp, RL_FEATURES_PAIRS,
                               (const char *const[]){"order", order, "action_features",
                                                     "input", NULL});
        assert_int_equal(rl_features_dim(f), two_d[k - 1]);
        assert_int_equal(rl_features_max_active(f), two_d[k - 1]);
        assert_int_equal(rl_features_dim(b), 5 * two_d[k - 1]);
        assert_int_equal(rl_features_block_dim(b), two_d[k - 1]);
        assert_int_equal(rl_features_dim(in), three_d[k - 1]);
        rl_features_free(f);
        rl_features_free(b);
        rl_features_free(in);
    }
    space_free(&t);
}

/* Degenerate grids: with one row y = 0 (not 0/0), with one column x = 0. Order 2 at
 * (0, 3) of a 1x5 grid: x = 0.5 -> [1, 0.5, 0, 0.25, 0, 0]; at (3, 0) of a 5x1 grid:
 * y = 0.5 -> [1, 0, 0.5, 0, 0.25, 0]; a 1x1 grid: [1, 0, 0, 0, 0, 0]. */
static void test_polynomial_degenerate(void **state)
{
    (void)state;
    test_space row, col, one;
    space_init(&row, 1, 5, 5);
    space_init(&col, 5, 1, 5);
    space_init(&one, 1, 1, 1);
    const char *const kv[] = {"order", "2", NULL};
    rl_features *fr = make("polynomial", &row.sp, RL_FEATURES_STATES, kv);
    rl_features *fc = make("polynomial", &col.sp, RL_FEATURES_STATES, kv);
    rl_features *fo = make("polynomial", &one.sp, RL_FEATURES_STATES, kv);
    expect_vector(fr, 3, 0, (const double[]){1, 0.5, 0, 0.25, 0, 0}, 6, 1e-15);
    expect_vector(fc, 3, 0, (const double[]){1, 0, 0.5, 0, 0.25, 0}, 6, 1e-15);
    expect_vector(fo, 0, 0, (const double[]){1, 0, 0, 0, 0, 0}, 6, 0.0);
    rl_features_free(fr);
    rl_features_free(fc);
    rl_features_free(fo);
    space_free(&row);
    space_free(&col);
    space_free(&one);
}

/* ---- fourier ---- */

/* cos(k pi / 4) for k mod 8, exactly (r = sqrt(1/2)). */
static double cos_quarter(long k)
{
    const double r = sqrt(0.5);
    const double table[8] = {1, r, 0, -r, -1, -r, 0, r};
    return table[((k % 8) + 8) % 8];
}

/* Zhao eq. (8.18) at (row 2, col 3) of the 5x5 grid: x = 3/4, y = 2/4, so the argument
 * pi (c1 x + c2 y) = (3 c1 + 2 c2) pi / 4 and every value is an exact cos(k pi / 4), listed
 * c2 outer, c1 inner. q = 1: [1, cos(3pi/4), cos(pi/2), cos(5pi/4)] = [1, -r, 0, -r].
 * Tolerance 5e-15: the largest argument, 3.75 pi ~ 11.8, is computed with an error of about
 * one ulp there (1.8e-15: pi's own rounding times 3.75 plus the product's), cos has slope at
 * most 1, and cos itself adds under an ulp of its result. */
static void test_fourier_values(void **state)
{
    (void)state;
    test_space t;
    zhao_space(&t);
    size_t s = 2 * 5 + 3;
    for (long q = 1; q <= 3; q++) {
        char order[4];
        snprintf(order, sizeof order, "%ld", q);
        rl_features *f = make("fourier", &t.sp, RL_FEATURES_STATES,
                              (const char *const[]){"features", "fourier", "order", order,
                                                    NULL});
        double expected[16];
        size_t n = 0;
        for (long c2 = 0; c2 <= q; c2++)
            for (long c1 = 0; c1 <= q; c1++)
                expected[n++] = cos_quarter(3 * c1 + 2 * c2);
        expect_vector(f, s, 0, expected, (size_t)((q + 1) * (q + 1)), 5e-15);
        rl_features_free(f);
    }
    /* The q = 1 vector spelled out, against the order of the book's example. */
    rl_features *f = make("fourier", &t.sp, RL_FEATURES_STATES,
                          (const char *const[]){"order", "1", NULL});
    const double r = sqrt(0.5);
    expect_vector(f, s, 0, (const double[]){1, -r, 0, -r}, 4, 5e-15);
    rl_features_free(f);
    /* (q + 1)^2 features, q = 0 .. 5. */
    for (long q = 0; q <= 5; q++) {
        char order[4];
        snprintf(order, sizeof order, "%ld", q);
        rl_features *g = make("fourier", &t.sp, RL_FEATURES_STATES,
                              (const char *const[]){"order", order, NULL});
        assert_int_equal(rl_features_dim(g), (size_t)((q + 1) * (q + 1)));
        rl_features_free(g);
    }
    /* One row: y = 0, so cos(pi (c1 x + c2 y)) = cos(pi c1 x); at col 1 of 1x5, x = 1/4:
     * q = 1 gives [1, cos(pi/4), 1, cos(pi/4)]. */
    test_space row;
    space_init(&row, 1, 5, 4);
    f = make("fourier", &row.sp, RL_FEATURES_STATES, (const char *const[]){"order", "1", NULL});
    expect_vector(f, 1, 0, (const double[]){1, r, 1, r}, 4, 5e-15);
    rl_features_free(f);
    space_free(&row);
    space_free(&t);
}

/* ---- tile ---- */

/* The active indices of s, in row order, into idx[]; returns their number. */
static size_t active(const rl_features *f, size_t s, size_t a, size_t *idx)
{
    rl_feature_row row = rl_features_row(f, s, a);
    for (size_t k = 0; k < row.count; k++) {
        idx[k] = row.offset + row.index[k];
        assert_true(row.value[k] == 1.0);
    }
    return row.count;
}

/* tiles = 1, tilings = 2 on a 3x3 grid: w = 1, 2 tiles per dimension per tiling (T = 2,
 * 4 per tiling, 8 features); tiling 1 is shifted by (1 mod 2, 3 mod 2) w / 2 = (0.5, 0.5).
 * x = col / 2 in {0, 0.5, 1}.
 *   tiling 0: ix = floor(x)       -> cols 0, 1, 2 -> 0, 0, 1    (x = 1 is the extra tile)
 *   tiling 1: ix = floor(x + 0.5) -> cols 0, 1, 2 -> 0, 1, 1
 * the same for iy by row; index t * 4 + iy * 2 + ix:
 *   tiling 0:  row 0: 0 0 1   row 1: 0 0 1   row 2: 2 2 3
 *   tiling 1:  row 0: 4 5 5   row 1: 6 7 7   row 2: 6 7 7
 * so cells (0,0), (0,1), (1,0), (1,1) share tile 0 of tiling 0, and (1,1), (1,2), (2,1),
 * (2,2) share tile 7 of tiling 1. */
static void test_tile_hand(void **state)
{
    (void)state;
    static const size_t t0[9] = {0, 0, 1, 0, 0, 1, 2, 2, 3};
    static const size_t t1[9] = {4, 5, 5, 6, 7, 7, 6, 7, 7};
    test_space t;
    space_init(&t, 3, 3, 4);
    rl_features *f = make("tile", &t.sp, RL_FEATURES_STATES,
                          (const char *const[]){"tiles", "1", "tilings", "2", NULL});
    assert_int_equal(rl_features_dim(f), 8);
    for (size_t s = 0; s < 9; s++) {
        size_t idx[2];
        assert_int_equal(active(f, s, 0, idx), 2);
        assert_int_equal(idx[0], t0[s]);
        assert_int_equal(idx[1], t1[s]);
    }
    rl_features_free(f);

    /* The brief's tiles = 2, tilings = 2 on the same grid: w = 0.5, T = 3 (9 per tiling), the
     * shift w / 2 = 0.25. Tiling 0: ix = floor(x / 0.5) = col; tiling 1: floor((x + 0.25) /
     * 0.5) = col as well (0.25, 0.75, 1.25 -> 0, 1, 2): the shift is less than the cell
     * spacing, so no two cells share a tile and index = t * 9 + row * 3 + col. */
    f = make("tile", &t.sp, RL_FEATURES_STATES,
             (const char *const[]){"tiles", "2", "tilings", "2", NULL});
    assert_int_equal(rl_features_dim(f), 18);
    for (size_t s = 0; s < 9; s++) {
        size_t idx[2];
        assert_int_equal(active(f, s, 0, idx), 2);
        assert_int_equal(idx[0], s);
        assert_int_equal(idx[1], 9 + s);
    }
    rl_features_free(f);
    space_free(&t);
}

/* S&B's asymmetric offsets: tiles = 1, tilings = 4 on a 9x9 grid, x = col / 8, y = row / 8.
 * Tiling t is shifted by (t mod 4, 3t mod 4) / 4: (0,0), (0.25,0.75), (0.5,0.5), (0.75,0.25).
 * T = 2, index t * 4 + iy * 2 + ix.
 *   (row 2, col 5): x = 0.625, y = 0.25
 *     t0: floor(0.625), floor(0.25) = 0, 0 -> 0      t1: floor(0.875), floor(1.0) = 0, 1 -> 6
 *     t2: floor(1.125), floor(0.75) = 1, 0 -> 9      t3: floor(1.375), floor(0.5) = 1, 0 -> 13
 *   (row 5, col 2): x = 0.25, y = 0.625
 *     t0: 0, 0 -> 0     t1: floor(0.5), floor(1.375) = 0, 1 -> 6
 *     t2: floor(0.75), floor(1.125) = 0, 1 -> 10      t3: floor(1.0), floor(0.875) = 1, 0 -> 13
 * A symmetric displacement (1, 1) shifts both axes alike, so these transposed cells would get
 * transposed tiles (ix, iy) <-> (iy, ix) in every tiling; with (1, 3), tilings 1 and 3 give
 * both cells the same tile, (0, 1) and (1, 0). */
static void test_tile_offsets(void **state)
{
    (void)state;
    test_space t;
    space_init(&t, 9, 9, 4);
    rl_features *f = make("tile", &t.sp, RL_FEATURES_STATES,
                          (const char *const[]){"tiles", "1", "tilings", "4", NULL});
    static const size_t a[4] = {0, 6, 9, 13}, b[4] = {0, 6, 10, 13};
    size_t idx[4];
    assert_int_equal(active(f, 2 * 9 + 5, 0, idx), 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(idx[i], a[i]);
    assert_int_equal(active(f, 5 * 9 + 2, 0, idx), 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(idx[i], b[i]);
    rl_features_free(f);
    space_free(&t);
}

/* On several grids and settings: exactly `tilings` active features per state, value 1.0, the
 * k-th in tiling k's block [k T^2, (k+1) T^2) (so they are distinct), dim = tilings T^2. */
static void test_tile_counts(void **state)
{
    (void)state;
    static const size_t shapes[][2] = {{5, 5}, {1, 5}, {5, 1}, {3, 5}, {1, 1}};
    static const char *const settings[][2] = {{"8", "2"}, {"4", "1"}, {"16", "4"}, {"1", "3"}};
    for (size_t g = 0; g < 5; g++)
        for (size_t c = 0; c < 4; c++) {
            test_space t;
            space_init(&t, shapes[g][0], shapes[g][1], 5);
            rl_features *f = make("tile", &t.sp, RL_FEATURES_STATES,
                                  (const char *const[]){"tilings", settings[c][0], "tiles",
                                                        settings[c][1], NULL});
            size_t n = (size_t)atoi(settings[c][0]), side = (size_t)atoi(settings[c][1]) + 1;
            assert_int_equal(rl_features_dim(f), n * side * side);
            for (size_t s = 0; s < t.sp.n_states; s++) {
                size_t idx[16];
                assert_int_equal(active(f, s, 0, idx), n);
                for (size_t k = 0; k < n; k++) {
                    assert_true(idx[k] >= k * side * side);
                    assert_true(idx[k] < (k + 1) * side * side);
                }
            }
            rl_features_free(f);
            space_free(&t);
        }
}

/* ---- rbf ---- */

/* 5 centres per axis at 0, 0.25, .., 1 (index cy * 5 + cx) on the 5x5 grid: cell (row 2,
 * col 3) is p = (0.75, 0.5), the centre of feature 2 * 5 + 3 = 13: exp(0) = 1 exactly. The
 * centre (0.25, 0.5), feature 11, is at distance 0.5: d^2 / (2 w^2) = 0.25 / 0.125 = 2,
 * exp(-2). With width 0.5, the centre (1, 1), feature 24, is at d^2 = 0.0625 + 0.25 = 0.3125:
 * exp(-0.3125 / 0.5) = exp(-0.625). The exponents are exact; 1e-16 is under an ulp of 0.5. */
static void test_rbf_values(void **state)
{
    (void)state;
    test_space t;
    zhao_space(&t);
    rl_features *f = make("rbf", &t.sp, RL_FEATURES_STATES, NULL);
    assert_int_equal(rl_features_dim(f), 25);
    double v[25];
    row_dense(f, 13, 0, v);
    assert_true(v[13] == 1.0);
    assert_close(v[11], exp(-2.0), 1e-16);
    rl_features_free(f);
    f = make("rbf", &t.sp, RL_FEATURES_STATES, (const char *const[]){"width", "0.5", NULL});
    row_dense(f, 13, 0, v);
    assert_close(v[24], exp(-0.625), 1e-16);
    assert_true(v[13] == 1.0);
    rl_features_free(f);
    /* centers^2 features; one centre sits at (0.5, 0.5): at cell (0, 0), d^2 = 0.5, width
     * 0.25: exp(-0.5 / 0.125) = exp(-4). */
    f = make("rbf", &t.sp, RL_FEATURES_STATES, (const char *const[]){"centers", "1", NULL});
    assert_int_equal(rl_features_dim(f), 1);
    row_dense(f, 0, 0, v);
    assert_close(v[0], exp(-4.0), 1e-16);
    rl_features_free(f);
    f = make("rbf", &t.sp, RL_FEATURES_STATES, (const char *const[]){"centers", "7", NULL});
    assert_int_equal(rl_features_dim(f), 49);
    assert_int_equal(rl_features_max_active(f), 49);
    rl_features_free(f);
    space_free(&t);
}

/* ---- State-action layouts ---- */

/* blocks: phi(s, a) is phi(s) in block a. With polynomial order 2 (d = 6) on the 5x5 grid,
 * dot(f, s, a, w) must be sum_i w[6 a + i] phi_i(s) with phi(s) from eq. (8.16) by hand, and
 * the dense vector zero outside block a. w[i] = i + 1 makes blocks distinguishable: the
 * weights are small integers and the terms products of halves, so the sums are exact. */
static void test_blocks_layout(void **state)
{
    (void)state;
    test_space t;
    zhao_space(&t);
    rl_features *f = make("polynomial", &t.sp, RL_FEATURES_PAIRS,
                          (const char *const[]){"order", "2", NULL});
    assert_int_equal(rl_features_dim(f), 30);
    double w[30], dense[30];
    for (size_t i = 0; i < 30; i++)
        w[i] = (double)(i + 1);
    for (size_t s = 0; s < 25; s++) {
        double x = 2.0 * (double)(s % 5) / 4.0 - 1.0, y = 2.0 * (double)(s / 5) / 4.0 - 1.0;
        const double phi[6] = {1, x, y, x * x, y * y, x * y};
        for (size_t a = 0; a < 5; a++) {
            double hand = 0.0;
            for (size_t i = 0; i < 6; i++)
                hand += w[6 * a + i] * phi[i];
            assert_close(rl_features_dot(f, s, a, w), hand, 1e-13);
            rl_features_dense(f, s, a, dense);
            for (size_t i = 0; i < 30; i++)
                assert_close(dense[i], i / 6 == a ? phi[i % 6] : 0.0, 1e-15);
        }
    }
    /* Tile coding with action_features = input is blocks (features.h): same indices. */
    rl_features *b = make("tile", &t.sp, RL_FEATURES_PAIRS, NULL);
    rl_features *in = make("tile", &t.sp, RL_FEATURES_PAIRS,
                           (const char *const[]){"action_features", "input", NULL});
    assert_int_equal(rl_features_dim(b), 5 * 8 * 9);
    assert_int_equal(rl_features_dim(in), 5 * 8 * 9);
    for (size_t s = 0; s < 25; s++)
        for (size_t a = 0; a < 5; a++) {
            size_t i1[8], i2[8];
            assert_int_equal(active(b, s, a, i1), 8);
            assert_int_equal(active(in, s, a, i2), 8);
            for (size_t k = 0; k < 8; k++) {
                assert_true(i1[k] >= a * 72 && i1[k] < (a + 1) * 72);
                assert_int_equal(i1[k], i2[k]);
            }
        }
    rl_features_free(b);
    rl_features_free(in);
    rl_features_free(f);
    space_free(&t);
}

/* input: the action is the third coordinate z = a / (n_actions - 1) = a / 4.
 *   fourier q = 1: feature (c1, c2, c3) = (0, 0, 1), index 4, is cos(pi a / 4).
 *   polynomial order 1: [1, x, y, 2z - 1] with 2z - 1 = a / 2 - 1 (features.h: polynomials
 *     centre every coordinate).
 *   rbf, 5 centres, width 0.25, one centre per action at z = c / 4: at cell (2, 3), action 2
 *     (z = 0.5), the centre (0.75, 0.5, 0.5), index (2 * 5 + 2) * 5 + 3 = 63, gives 1; the
 *     centre of action 1 (z = 0.25), index 38, is at distance 0.25: exp(-0.0625 / 0.125).
 * With one action, z = 0: fourier's c3 = 1 term is cos(0) = 1. */
static void test_input_layout(void **state)
{
    (void)state;
    test_space t;
    zhao_space(&t);
    const char *const input[] = {"action_features", "input", "order", "1", NULL};
    rl_features *fo = make("fourier", &t.sp, RL_FEATURES_PAIRS, input);
    rl_features *po = make("polynomial", &t.sp, RL_FEATURES_PAIRS, input);
    rl_features *rb = make("rbf", &t.sp, RL_FEATURES_PAIRS, input);
    assert_int_equal(rl_features_dim(fo), 8);
    assert_int_equal(rl_features_dim(po), 4);
    assert_int_equal(rl_features_dim(rb), 125);
    double v[125];
    for (size_t s = 0; s < 25; s++)
        for (size_t a = 0; a < 5; a++) {
            row_dense(fo, s, a, v);
            assert_close(v[4], cos_quarter((long)a), 5e-15);
            double x = 2.0 * (double)(s % 5) / 4.0 - 1.0, y = 2.0 * (double)(s / 5) / 4.0 - 1.0;
            expect_vector(po, s, a, (const double[]){1, x, y, (double)a / 2.0 - 1.0}, 4,
                          1e-15);
        }
    row_dense(rb, 13, 2, v);
    assert_true(v[63] == 1.0);
    assert_close(v[38], exp(-0.5), 1e-16);
    rl_features_free(fo);
    rl_features_free(po);
    rl_features_free(rb);

    /* Order 2 in 3-D, as listed in features.h: [1, x, y, z, x^2, y^2, xy, xz, yz, z^2], at
     * (row 4, col 1), action 3: x = -0.5, y = 1, z = 2 * 3/4 - 1 = 0.5. */
    rl_features *p2 = make("polynomial", &t.sp, RL_FEATURES_PAIRS,
                           (const char *const[]){"action_features", "input", "order", "2",
                                                 NULL});
    double x = -0.5, y = 1.0, z = 0.5;
    expect_vector(p2, 21, 3,
                  (const double[]){1, x, y, z, x * x, y * y, x * y, x * z, y * z, z * z}, 10,
                  1e-15);
    rl_features_free(p2);
    space_free(&t);

    test_space one;
    space_init(&one, 5, 5, 1);
    fo = make("fourier", &one.sp, RL_FEATURES_PAIRS, input);
    row_dense(fo, 7, 0, v);
    assert_true(v[4] == 1.0);
    rl_features_free(fo);
    /* ... and the polynomial's z is 0 (the middle), not 2 * 0 - 1: at (row 1, col 2),
     * [1, x, y, z] = [1, 0, -0.5, 0]. */
    po = make("polynomial", &one.sp, RL_FEATURES_PAIRS, input);
    expect_vector(po, 7, 0, (const double[]){1, 0, -0.5, 0}, 4, 0.0);
    rl_features_free(po);
    space_free(&one);
}

/* ---- dot and axpy against dense products ---- */

typedef struct case_spec {
    const char *name;
    ref_spec ref;
    const char *const *kv;
} case_spec;

/* For every (s, a): dot equals sum_i w_i phi_i(s, a) with phi from the reference, and axpy
 * adds scale * phi to w (every component: untouched ones exactly). The dense writers give
 * the reference vector. Weights uniform in [-1, 1) from taus2 seeded 20240607. */
static void check_case(const case_spec *c, const rl_space *sp, rl_feature_domain domain,
                       ref_layout layout, gsl_rng *r)
{
    rl_features *f = make(c->name, sp, domain, c->kv);
    size_t dim = rl_features_dim(f);
    double *w = malloc(dim * sizeof *w), *w2 = malloc(dim * sizeof *w2);
    double *ref = malloc(dim * sizeof *ref), *dense = malloc(dim * sizeof *dense);
    float *dense_f = malloc(dim * sizeof *dense_f);
    assert_true(w && w2 && ref && dense && dense_f);
    size_t n_actions = domain == RL_FEATURES_PAIRS ? sp->n_actions : 1;
    for (size_t s = 0; s < sp->n_states; s++)
        for (size_t a = 0; a < n_actions; a++) {
            assert_int_equal(ref_dense(&c->ref, sp, layout, s, a, ref, dim), dim);
            double sum = 0.0, abs_sum = 0.0;
            for (size_t i = 0; i < dim; i++) {
                w[i] = 2.0 * gsl_rng_uniform(r) - 1.0;
                sum += w[i] * ref[i];
                abs_sum += fabs(w[i] * ref[i]);
            }
            double dot = rl_features_dot(f, s, a, w);
            if (!(fabs(dot - sum) <= 1e-13 * abs_sum))
                fail_msg("%s: state %zu action %zu: dot %.17g, dense %.17g", c->name, s, a,
                         dot, sum);
            memcpy(w2, w, dim * sizeof *w);
            rl_features_axpy(f, s, a, 0.375, w2);
            for (size_t i = 0; i < dim; i++)
                if (!(fabs(w2[i] - (w[i] + 0.375 * ref[i])) <= 1e-15))
                    fail_msg("%s: state %zu action %zu: axpy component %zu", c->name, s, a, i);
            rl_features_dense(f, s, a, dense);
            rl_features_dense(f, s, a, dense_f);
            for (size_t i = 0; i < dim; i++) {
                assert_close(dense[i], ref[i], 5e-15);
                assert_true(dense_f[i] == (float)dense[i]);
            }
        }
    free(w);
    free(w2);
    free(ref);
    free(dense);
    free(dense_f);
    rl_features_free(f);
}

static void test_dot_axpy_random(void **state)
{
    (void)state;
    /* kv lists, named so the table below stays readable. */
    static const char *const order2[] = {"order", "2", NULL};
    static const char *const order3[] = {"order", "3", NULL};
    static const char *const order5[] = {"order", "5", NULL};
    static const char *const tile42[] = {"tilings", "4", "tiles", "2", NULL};
    static const char *const tile84[] = {"tilings", "8", "tiles", "4", NULL};
    static const char *const rbf3[] = {"centers", "3", "width", "0.4", NULL};
    static const char *const in[] = {"action_features", "input", NULL};
    static const char *const in_order3[] = {"order", "3", "action_features", "input", NULL};
    static const char *const in_order2[] = {"order", "2", "action_features", "input", NULL};
    static const char *const in_tile42[] = {"tilings", "4",        "tiles", "2",
                                            "action_features", "input", NULL};
    static const char *const in_rbf3[] = {"centers", "3",        "width", "0.4",
                                          "action_features", "input", NULL};
    const case_spec cases[] = {
        {"one_hot", {REF_ONE_HOT, 0, 0, 0, 0, 0}, NULL},
        {"polynomial", {REF_POLYNOMIAL, 3, 0, 0, 0, 0}, order3},
        {"polynomial", {REF_POLYNOMIAL, 5, 0, 0, 0, 0}, order5},
        {"fourier", {REF_FOURIER, 2, 0, 0, 0, 0}, order2},
        {"tile", {REF_TILE, 0, 4, 2, 0, 0}, tile42},
        {"tile", {REF_TILE, 0, 8, 4, 0, 0}, tile84},
        {"rbf", {REF_RBF, 0, 0, 0, 3, 0.4}, rbf3},
    };
    const case_spec input_cases[] = {
        {"one_hot", {REF_ONE_HOT, 0, 0, 0, 0, 0}, in},
        {"polynomial", {REF_POLYNOMIAL, 3, 0, 0, 0, 0}, in_order3},
        {"fourier", {REF_FOURIER, 2, 0, 0, 0, 0}, in_order2},
        {"tile", {REF_TILE, 0, 4, 2, 0, 0}, in_tile42},
        {"rbf", {REF_RBF, 0, 0, 0, 3, 0.4}, in_rbf3},
    };
    static const size_t shapes[][3] = {{5, 5, 5}, {3, 5, 4}, {1, 5, 2}, {5, 1, 5}, {2, 3, 1}};
    gsl_rng *r = rl_rng_alloc(20240607, NULL);
    assert_non_null(r);
    for (size_t g = 0; g < 5; g++) {
        test_space t;
        space_init(&t, shapes[g][0], shapes[g][1], shapes[g][2]);
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            check_case(&cases[c], &t.sp, RL_FEATURES_STATES, LAYOUT_STATES, r);
            check_case(&cases[c], &t.sp, RL_FEATURES_PAIRS, LAYOUT_BLOCKS, r);
        }
        for (size_t c = 0; c < sizeof input_cases / sizeof input_cases[0]; c++)
            check_case(&input_cases[c], &t.sp, RL_FEATURES_PAIRS, LAYOUT_INPUT, r);
        space_free(&t);
    }
    rl_rng_free(r);
}

/* Features come from geometry alone: walls and terminal states change nothing. */
static void test_kinds_ignored(void **state)
{
    (void)state;
    test_space open, walled;
    zhao_space(&open);
    zhao_space(&walled);
    walled.kind[7] = RL_STATE_WALL;
    walled.kind[17] = RL_STATE_TERMINAL;
    for (const rl_feature_type *const *t = rl_feature_types; *t; t++) {
        rl_features *a;
        assert_int_equal(rl_features_alloc(*t, &open.sp, RL_FEATURES_PAIRS, NULL, &a, NULL), RL_OK);
        rl_features *b;
        assert_int_equal(rl_features_alloc(*t, &walled.sp, RL_FEATURES_PAIRS, NULL,
                                           &b, NULL),
                         RL_OK);
        assert_non_null(a);
        assert_non_null(b);
        size_t dim = rl_features_dim(a);
        assert_int_equal(rl_features_dim(b), dim);
        double *va = malloc(dim * sizeof *va), *vb = malloc(dim * sizeof *vb);
        assert_true(va && vb);
        for (size_t s = 0; s < 25; s++) {
            rl_features_dense(a, s, 1, va);
            rl_features_dense(b, s, 1, vb);
            assert_memory_equal(va, vb, dim * sizeof *va);
        }
        free(va);
        free(vb);
        rl_features_free(a);
        rl_features_free(b);
    }
    space_free(&open);
    space_free(&walled);
}

/* ---- labels ---- */

static void expect_labels(const char *name, rl_feature_domain domain, const char *const *kv,
                          size_t first, const char *const *labels)
{
    test_space t;
    zhao_space(&t);
    rl_features *f = make(name, &t.sp, domain, kv);
    char buf[64];
    for (size_t i = 0; labels[i]; i++) {
        assert_int_equal(rl_features_label(f, first + i, buf, sizeof buf), RL_OK);
        assert_string_equal(buf, labels[i]);
    }
    rl_features_free(f);
    space_free(&t);
}

static void test_labels(void **state)
{
    (void)state;
    expect_labels("one_hot", RL_FEATURES_STATES, NULL, 0,
                  (const char *const[]){"one_hot (0 0)", "one_hot (0 1)", NULL});
    expect_labels("one_hot", RL_FEATURES_STATES, NULL, 5,
                  (const char *const[]){"one_hot (1 0)", NULL});
    expect_labels("polynomial", RL_FEATURES_STATES, (const char *const[]){"order", "3", NULL},
                  0,
                  (const char *const[]){"1", "x", "y", "x^2", "y^2", "x*y", "x^3", "y^3",
                                        "x^2*y", "x*y^2", NULL});
    expect_labels("fourier", RL_FEATURES_STATES, (const char *const[]){"order", "1", NULL}, 0,
                  (const char *const[]){"cos(pi*(0x+0y))", "cos(pi*(1x+0y))",
                                        "cos(pi*(0x+1y))", "cos(pi*(1x+1y))", NULL});
    /* tiles = 2: T = 3, 9 per tiling; (ix, iy) with x first. */
    expect_labels("tile", RL_FEATURES_STATES, NULL, 0,
                  (const char *const[]){"tile t0 (0 0)", "tile t0 (1 0)", "tile t0 (2 0)",
                                        "tile t0 (0 1)", NULL});
    expect_labels("tile", RL_FEATURES_STATES, NULL, 9 * 3 + 5,
                  (const char *const[]){"tile t3 (2 1)", NULL});
    expect_labels("rbf", RL_FEATURES_STATES, NULL, 0,
                  (const char *const[]){"rbf (0 0)", "rbf (0.25 0)", "rbf (0.5 0)", NULL});
    expect_labels("rbf", RL_FEATURES_STATES, NULL, 5 + 2,
                  (const char *const[]){"rbf (0.5 0.25)", NULL});
    /* blocks: order 1 has 3 features per action: 0 "1@up", 3 "1@right", 14 "y@stay". */
    expect_labels("polynomial", RL_FEATURES_PAIRS, (const char *const[]){"order", "1", NULL},
                  0, (const char *const[]){"1@up", "x@up", "y@up", "1@right", NULL});
    expect_labels("polynomial", RL_FEATURES_PAIRS, (const char *const[]){"order", "1", NULL},
                  14, (const char *const[]){"y@stay", NULL});
    expect_labels("one_hot", RL_FEATURES_PAIRS, NULL, 25 * 3 + 7,
                  (const char *const[]){"one_hot (1 2)@left", NULL});
    expect_labels("tile", RL_FEATURES_PAIRS,
                  (const char *const[]){"action_features", "input", NULL}, 72 + 9 * 3 + 5,
                  (const char *const[]){"tile t3 (2 1)@right", NULL});
    /* input: the 3-D orders of features.h. */
    expect_labels("polynomial", RL_FEATURES_PAIRS,
                  (const char *const[]){"order", "3", "action_features", "input", NULL}, 0,
                  (const char *const[]){"1", "x", "y", "z", "x^2", "y^2", "x*y", "x*z", "y*z",
                                        "z^2", "x^3", "y^3", "x^2*y", "x*y^2", "x^2*z",
                                        "y^2*z", "x*y*z", "x*z^2", "y*z^2", "z^3", NULL});
    expect_labels("fourier", RL_FEATURES_PAIRS,
                  (const char *const[]){"order", "1", "action_features", "input", NULL}, 3,
                  (const char *const[]){"cos(pi*(1x+1y+0z))", "cos(pi*(0x+0y+1z))", NULL});
    expect_labels("rbf", RL_FEATURES_PAIRS,
                  (const char *const[]){"action_features", "input", NULL}, 25,
                  (const char *const[]){"rbf (0 0 right)", "rbf (0.25 0 right)", NULL});

    /* Out of range and small buffers. */
    test_space t;
    zhao_space(&t);
    rl_features *f = make("fourier", &t.sp, RL_FEATURES_STATES, NULL);
    char buf[8] = "junk";
    assert_int_equal(rl_features_label(f, 16, buf, sizeof buf), RL_ERANGE);
    assert_string_equal(buf, "");
    assert_int_equal(rl_features_label(f, 0, NULL, 8), RL_EINVAL);
    assert_int_equal(rl_features_label(f, 1, buf, 4), RL_OK);
    assert_string_equal(buf, "cos");
    rl_features_free(f);
    f = make("polynomial", &t.sp, RL_FEATURES_PAIRS, NULL);
    assert_int_equal(rl_features_label(f, 3, buf, 4), RL_OK); /* "x^2@up" */
    assert_string_equal(buf, "x^2");
    assert_int_equal(rl_features_label(f, 50, buf, sizeof buf), RL_ERANGE);
    rl_features_free(f);
    space_free(&t);
}

/* ---- Selection by the `features` key ---- */

/* NULL params: the shared defaults, polynomial of order 3 (10 features). Through params:
 * fourier with order 2, 9 features. */
static void test_alloc_params(void **state)
{
    (void)state;
    test_space t;
    zhao_space(&t);
    rl_features *f;
    assert_int_equal(rl_features_alloc_params(&t.sp, RL_FEATURES_STATES, NULL, &f, NULL), RL_OK);
    assert_non_null(f);
    assert_ptr_equal(rl_features_type(f), &rl_feature_polynomial);
    assert_int_equal(rl_features_dim(f), 10);
    rl_features_free(f);
    rl_params *p = make_params((const char *const[]){"features", "fourier", "order", "2", NULL});
    assert_int_equal(rl_features_alloc_params(&t.sp, RL_FEATURES_STATES, p, &f, NULL), RL_OK);
    assert_non_null(f);
    assert_ptr_equal(rl_features_type(f), &rl_feature_fourier);
    assert_int_equal(rl_features_dim(f), 9);
    rl_features_free(f);
    rl_params_free(p);
    /* A learner table lacking most keys: the rest take the kind's defaults (8 tilings of
     * 3 x 3 tiles: 72 features). */
    static const rl_param_spec partial[] = {
        {"features", RL_PARAM_CHOICE, "tile", 0, 0, 0, "tile|rbf", "kind"},
        {"gamma", RL_PARAM_DOUBLE, "0.9", 0, 1, 0, NULL, "discount"},
        {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
    };
    p = rl_params_alloc(partial);
    assert_non_null(p);
    assert_int_equal(rl_features_alloc_params(&t.sp, RL_FEATURES_STATES, p, &f, NULL), RL_OK);
    assert_non_null(f);
    assert_int_equal(rl_features_dim(f), 72);
    rl_features_free(f);
    rl_params_free(p);
    rl_features_free(NULL);
    space_free(&t);
}

/* ---- Errors ---- */

/* A non-NULL pointer that a failing alloc must overwrite with NULL. */
static max_align_t sentinel;

/* Runs alloc with and without an error record: both must fail the same way, returning code
 * and leaving *out NULL. */
static void expect_alloc_error(const rl_feature_type *type, const rl_space *sp,
                               rl_feature_domain domain, const rl_params *p, int code,
                               const char *key, const char *part1, const char *part2)
{
    rl_features *f = (void *)&sentinel;
    assert_int_equal(rl_features_alloc(type, sp, domain, p, &f, NULL), code);
    assert_null(f);
    rl_error err;
    rl_error_clear(&err);
    f = (void *)&sentinel;
    assert_int_equal(rl_features_alloc(type, sp, domain, p, &f, &err), code);
    assert_null(f);
    assert_int_equal(err.code, code);
    assert_string_equal(err.key, key);
    assert_contains(err.message, part1);
    if (part2)
        assert_contains(err.message, part2);
}

static void test_errors_names_and_ranges(void **state)
{
    (void)state;
    rl_error err;
    /* Unknown kind: the message lists every valid name. */
    assert_null(rl_feature_type_find("linear", NULL));
    assert_null(rl_feature_type_find("linear", &err));
    assert_int_equal(err.code, RL_ENOTFOUND);
    assert_string_equal(err.key, "features");
    assert_contains(err.message, "'linear'");
    for (const char *const *n = (const char *const[]){"one_hot", "polynomial", "fourier",
                                                      "tile", "rbf", NULL};
         *n; n++)
        assert_contains(err.message, *n);

    test_space t;
    zhao_space(&t);
    /* The same through a learner table whose `features` is free text. */
    static const rl_param_spec text_table[] = {
        {"features", RL_PARAM_STRING, "linear", 0, 0, 0, NULL, "kind"},
        {"action_features", RL_PARAM_STRING, "both", 0, 0, 0, NULL, "layout"},
        {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
    };
    rl_params *p = rl_params_alloc(text_table);
    assert_non_null(p);
    assert_int_equal(rl_params_set(p, "features", "linear", NULL), RL_OK);
    rl_features *f = (void *)&sentinel;
    assert_int_equal(rl_features_alloc_params(&t.sp, RL_FEATURES_STATES, p, &f, NULL),
                     RL_ENOTFOUND);
    assert_null(f);
    rl_error_clear(&err);
    f = (void *)&sentinel;
    assert_int_equal(rl_features_alloc_params(&t.sp, RL_FEATURES_STATES, p, &f, &err),
                     RL_ENOTFOUND);
    assert_null(f);
    assert_int_equal(err.code, RL_ENOTFOUND);
    assert_string_equal(err.key, "features");
    assert_contains(err.message, "fourier");
    /* An action layout that is neither blocks nor input, set: refused for PAIRS only. */
    assert_int_equal(rl_params_set(p, "action_features", "both", NULL), RL_OK);
    expect_alloc_error(&rl_feature_rbf, &t.sp, RL_FEATURES_PAIRS, p, RL_EINVAL,
                       "action_features", "blocks|input", "'both'");
    rl_features *ok;
    assert_int_equal(rl_features_alloc(&rl_feature_rbf, &t.sp, RL_FEATURES_STATES, p,
                                       &ok, NULL),
                     RL_OK);
    assert_non_null(ok);
    rl_features_free(ok);
    rl_params_free(p);

    /* order: polynomial takes 1..8 and fourier 0..64, though the shared range is 0..64. */
    p = make_params((const char *const[]){"order", "9", NULL});
    expect_alloc_error(&rl_feature_polynomial, &t.sp, RL_FEATURES_STATES, p, RL_ERANGE, "order",
                       "9 is outside [1, 8]", "polynomial");
    assert_int_equal(rl_features_alloc(&rl_feature_fourier, &t.sp, RL_FEATURES_STATES, p,
                                       &ok, NULL),
                     RL_OK);
    assert_non_null(ok);
    assert_int_equal(rl_features_dim(ok), 100);
    rl_features_free(ok);
    rl_params_free(p);
    p = make_params((const char *const[]){"order", "0", NULL});
    expect_alloc_error(&rl_feature_polynomial, &t.sp, RL_FEATURES_STATES, p, RL_ERANGE, "order",
                       "0 is outside [1, 8]", NULL);
    assert_int_equal(rl_features_alloc(&rl_feature_fourier, &t.sp, RL_FEATURES_STATES, p,
                                       &ok, NULL),
                     RL_OK);
    assert_non_null(ok);
    assert_int_equal(rl_features_dim(ok), 1);
    rl_features_free(ok);
    rl_params_free(p);
    /* 65 is refused by the shared table itself, when it is set. */
    p = make_params(NULL);
    assert_int_equal(rl_params_set(p, "order", "65", &err), RL_ERANGE);
    assert_string_equal(err.key, "order");
    rl_params_free(p);

    /* A bad space. */
    test_space bad;
    space_init(&bad, 2, 3, 5);
    bad.sp.n_states = 5;
    expect_alloc_error(&rl_feature_one_hot, &bad.sp, RL_FEATURES_STATES, NULL, RL_EINVAL, "",
                       "5 states", "2 x 3");
    bad.sp.n_states = 6;
    bad.sp.n_actions = 0;
    expect_alloc_error(&rl_feature_one_hot, &bad.sp, RL_FEATURES_PAIRS, NULL, RL_EINVAL, "",
                       "0 actions", NULL);
    expect_alloc_error(NULL, &t.sp, RL_FEATURES_STATES, NULL, RL_EINVAL, "features",
                       "no feature kind given", NULL);
    expect_alloc_error(&rl_feature_one_hot, NULL, RL_FEATURES_STATES, NULL, RL_EINVAL, "",
                       "features need a state space", NULL);
    expect_alloc_error(&rl_feature_one_hot, &t.sp, (rl_feature_domain)2, NULL, RL_EINVAL, "",
                       "unknown feature domain 2", NULL);
    /* Nowhere to put the instance. */
    rl_error_clear(&err);
    assert_int_equal(rl_features_alloc(&rl_feature_one_hot, &t.sp, RL_FEATURES_STATES, NULL,
                                       NULL, &err),
                     RL_EINVAL);
    assert_contains(err.message, "NULL out");
    assert_int_equal(rl_features_alloc(&rl_feature_one_hot, &t.sp, RL_FEATURES_STATES, NULL,
                                       NULL, NULL),
                     RL_EINVAL);
    assert_int_equal(rl_features_alloc_params(&t.sp, RL_FEATURES_STATES, NULL, NULL, NULL),
                     RL_EINVAL);
    space_free(&bad);
    space_free(&t);
}

/* The caps (features.h): RL_FEATURES_MAX_DIM = 2^24 = 16777216 features and
 * RL_FEATURES_MAX_ENTRIES = 2^25 = 33554432 table entries, each refusal naming its key. */
static void test_errors_caps(void **state)
{
    (void)state;
    assert_int_equal(RL_FEATURES_MAX_DIM, 16777216);
    assert_int_equal(RL_FEATURES_MAX_ENTRIES, 33554432);
    test_space t;
    zhao_space(&t);
    /* tile: tilings (tiles + 1)^2 features. 16 x 1024^2 = 16777216 is at the cap (allowed:
     * the table is only 25 x 16 entries); 16 x 1025^2 = 16810000 is above it. */
    rl_params *p = make_params((const char *const[]){"tilings", "16", "tiles", "1023", NULL});
    rl_features *f;
    assert_int_equal(rl_features_alloc(&rl_feature_tile, &t.sp, RL_FEATURES_STATES, p,
                                       &f, NULL),
                     RL_OK);
    assert_non_null(f);
    assert_int_equal(rl_features_dim(f), 16777216);
    rl_features_free(f);
    rl_params_free(p);
    p = make_params((const char *const[]){"tilings", "16", "tiles", "1024", NULL});
    expect_alloc_error(&rl_feature_tile, &t.sp, RL_FEATURES_STATES, p, RL_ERANGE, "tiles",
                       "16810000 features", "16777216");
    rl_params_free(p);
    /* Blocks multiply by the actions: tiles = 1000 (default 8 tilings) gives 8 x 1001^2 =
     * 8016008 features for states, within the cap, and 5 x that = 40080040 for pairs. */
    p = make_params((const char *const[]){"tiles", "1000", NULL});
    assert_int_equal(rl_features_alloc(&rl_feature_tile, &t.sp, RL_FEATURES_STATES, p,
                                       &f, NULL),
                     RL_OK);
    assert_non_null(f);
    assert_int_equal(rl_features_dim(f), 8016008);
    rl_features_free(f);
    expect_alloc_error(&rl_feature_tile, &t.sp, RL_FEATURES_PAIRS, p, RL_ERANGE, "tiles",
                       "40080040 features", NULL);
    rl_params_free(p);
    space_free(&t);

    /* Table entries: fourier q = 64 on 100 x 100 cells, 10000 rows x 65^2 = 4225 active =
     * 42250000 > 2^25: refused naming order, before anything that large is allocated. */
    test_space big;
    space_init(&big, 100, 100, 4);
    p = make_params((const char *const[]){"order", "64", NULL});
    expect_alloc_error(&rl_feature_fourier, &big.sp, RL_FEATURES_STATES, p, RL_ERANGE, "order",
                       "10000 rows x 4225", "33554432");
    rl_params_free(p);
    /* rbf: 64^2 = 4096 centres x 10000 rows = 40960000 entries: names centers. */
    p = make_params((const char *const[]){"centers", "64", NULL});
    expect_alloc_error(&rl_feature_rbf, &big.sp, RL_FEATURES_STATES, p, RL_ERANGE, "centers",
                       "10000 rows x 4096", NULL);
    rl_params_free(p);
    space_free(&big);
    /* tile: 400 x 400 = 160000 rows x 256 tilings = 40960000 entries: names tilings. */
    space_init(&big, 400, 400, 4);
    p = make_params((const char *const[]){"tilings", "256", NULL});
    expect_alloc_error(&rl_feature_tile, &big.sp, RL_FEATURES_STATES, p, RL_ERANGE, "tilings",
                       "160000 rows x 256", NULL);
    rl_params_free(p);
    space_free(&big);
    /* one_hot: 2000 x 2000 = 4000000 states is fine alone; with 5 action blocks 20000000
     * features pass the cap: names features. */
    space_init(&big, 2000, 2000, 5);
    expect_alloc_error(&rl_feature_one_hot, &big.sp, RL_FEATURES_PAIRS, NULL, RL_ERANGE,
                       "features", "20000000 features", NULL);
    space_free(&big);
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_and_tables),
        cmocka_unit_test(test_one_hot),
        cmocka_unit_test(test_polynomial_values),
        cmocka_unit_test(test_polynomial_counts),
        cmocka_unit_test(test_polynomial_degenerate),
        cmocka_unit_test(test_fourier_values),
        cmocka_unit_test(test_tile_hand),
        cmocka_unit_test(test_tile_offsets),
        cmocka_unit_test(test_tile_counts),
        cmocka_unit_test(test_rbf_values),
        cmocka_unit_test(test_blocks_layout),
        cmocka_unit_test(test_input_layout),
        cmocka_unit_test(test_dot_axpy_random),
        cmocka_unit_test(test_kinds_ignored),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_alloc_params),
        cmocka_unit_test(test_errors_names_and_ranges),
        cmocka_unit_test(test_errors_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

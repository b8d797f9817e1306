/* Feature vectors for linear (and neural) value-function approximation.
 *
 * A feature kind maps a state, and for control a state-action pair, to a vector phi of
 * `dim` numbers; a linear learner's estimate is the dot product of phi with its weights w.
 * Features come from a cell's geometry (row, col) and the action index alone, never from
 * the model's dynamics, so they are computed from an rl_space. Walls and terminal states get
 * features too (it costs nothing); learners simply never ask for them.
 *
 * Since the state set is finite, every feature vector is computed once, at alloc, into a
 * compressed sparse row table (per row: count, uint32 indices, double values). A learner's
 * step then does only O(active features) work: rl_features_dot for v(s) = w . phi(s) and
 * rl_features_axpy for w += c phi(s). Nothing is allocated after alloc; an instance is
 * read-only afterwards.
 *
 * The point. A cell (row, col) of a rows x cols grid has unit coordinates
 *   x = col / (cols - 1),  y = row / (rows - 1)   (0 when cols = 1, resp. rows = 1)
 * in [0, 1]; with action_features = input the action a adds z = a / (n_actions - 1) (0 when
 * n_actions = 1), Zhao's (x, y, a) network input. Each kind scales these as it says below.
 *
 * The kinds (`features` key; rl_feature_types lists them, `gridrl list features` prints it):
 *
 * one_hot     phi_i(s) = [i == s], exactly 1.0: the tabular case, n_states features. A linear
 *             learner with these features must equal its tabular counterpart step for step.
 *             Labels "one_hot (row col)".
 * polynomial  Zhao eqs. (8.15)-(8.17) with x, y rescaled to [-1, 1]: x = 2 col / (cols - 1)
 *             - 1, 0 when cols = 1 (the middle), likewise y (centred monomials are far better
 *             conditioned than monomials of [0, 1]). Terms by degree d = 0 .. order;
 *             within degree d: x^d, y^d, then x^(d-1) y, x^(d-2) y^2, ..., x y^(d-1).
 *             Order 1: [1, x, y]; order 2 adds [x^2, y^2, xy]; order 3 adds [x^3, y^3,
 *             x^2 y, x y^2]. (order + 1)(order + 2) / 2 features; order in [1, 8].
 *             Labels "1", "x", "x^2*y".
 * fourier     Zhao eq. (8.18): cos(pi (c1 x + c2 y)) for c1, c2 in 0 .. order (Zhao's q), x,
 *             y in [0, 1]; c2 outer, c1 inner, so q = 1 gives [1, cos(pi x), cos(pi y),
 *             cos(pi (x + y))]. (q + 1)^2 features; q in [0, 64] (on the grid points,
 *             frequencies above max(rows, cols) - 1 alias lower ones: allowed but useless).
 *             Labels "cos(pi*(1x+0y))".
 * tile        Sutton & Barto sec. 9.5.4: `tilings` grids of `tiles` x `tiles` tiles of width
 *             w = 1 / tiles over the unit square, tiling t shifted by ((t * 1) mod tilings,
 *             (t * 3) mod tilings) * w / tilings in (x, y) (the book's asymmetric displacement
 *             (1, 3), reduced modulo a tile since only that matters). The tile of tiling t is
 *             ix = floor((x + shift_x) / w), likewise iy, computed in exact integer arithmetic
 *             (a cell on a tile boundary is in the upper tile, without rounding doubt). Each
 *             tiling needs tiles + 1 tiles per dimension (T = tiles + 1) so that the shifted
 *             tilings still cover the square; x = 1 lands in the extra tile even unshifted.
 *             Feature index t * T^2 + iy * T + ix: tiling t owns the block [t T^2, (t+1) T^2)
 *             and exactly one feature of it is active, with value 1.0. tilings * T^2
 *             features, exactly `tilings` active per state. Not hashed: gridworlds are small
 *             enough for the full table, and hashing would add collisions for nothing. S&B
 *             recommend tilings a power of 2 >= 4k (k = 2 dimensions), hence the default 8.
 *             Labels "tile t3 (2 4)": tiling 3, tile (ix, iy) = (2, 4), x first as in (x, y).
 * rbf         Gaussian radial basis functions exp(-||p - c||^2 / (2 width^2)), p = (x, y),
 *             centres c on a `centers` x `centers` lattice over the unit square at j /
 *             (centers - 1), j = 0 .. centers - 1 (one centre: at 0.5). Index cy * centers +
 *             cx (y outer, as fourier). Dense: centers^2 features, all active. The defaults
 *             (5 centres, width 0.25 = their spacing) put a centre on each cell of a 5 x 5
 *             grid. Labels "rbf (0.25 0.5)": the centre (x, y).
 *
 * Value or action-value. An instance is allocated for one domain:
 * RL_FEATURES_STATES: phi(s) for v(s); `a` is ignored by every function (pass 0).
 * RL_FEATURES_PAIRS: phi(s, a) for q(s, a), laid out by the `action_features` key:
 *   blocks (default): phi(s) copied into the block of action a, feature a * d + i, d * n_actions
 *     features. The table stores phi(s) once per state and the step functions add the
 *     offset a * d, so blocks cost no more memory than phi(s). Labels get "@up" (the
 *     space's action name).
 *   input: z = a / (n_actions - 1) is a third input dimension and the kind computes its
 *     features over (x, y, z):
 *     polynomial: z rescaled to [-1, 1] like x and y (2z - 1, 0 for one action); degree by
 *       degree, the degree-d terms are the 2-D degree-d terms, then z times the 2-D
 *       degree-(d-1) terms, then z^2 times degree d-2, ..., then z^d. Order 1: [1, x, y,
 *       z]; order 2 adds [x^2, y^2, xy, xz, yz, z^2]. (k+1)(k+2)(k+3)/6 features. Labels
 *       such as "x*y*z", "x*z^2".
 *     fourier: cos(pi (c1 x + c2 y + c3 z)), (q + 1)^3 features, c3 outermost, c1 innermost.
 *       Labels "cos(pi*(1x+0y+2z))".
 *     rbf: a 3-D lattice, `centers` per spatial axis and one centre per action at z = j /
 *       (n_actions - 1): index (ca * centers + cy) * centers + cx, centers^2 * n_actions
 *       features, all active. Labels "rbf (0.25 0.5 up)".
 *     tile: the action axis is tiled so that each action has its own tile in every tiling
 *       (an action index has no metric: neighbouring indices should not share tiles), which
 *       makes the 3-D tiling exactly the 2-D one per action, that is, blocks; input is
 *       therefore the same as blocks, layout and labels included.
 *     one_hot: input is the same as blocks.
 *
 * Caps. alloc refuses, with RL_ERANGE and err->key naming the key to lower (order, tiles,
 * tilings, centers; `features` for one_hot), more than RL_FEATURES_MAX_DIM features or a table
 * of more than RL_FEATURES_MAX_ENTRIES stored (index, value) entries (rows x active features
 * per row: dense kinds on large grids). Keys set in params that the kind does not read are
 * ignored, so a sweep over `features` may set the keys of every kind it visits.
 */
#ifndef GRIDRL_RL_FEATURES_H
#define GRIDRL_RL_FEATURES_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rl/error.h"
#include "rl/param.h"
#include "rl/space.h"

/* 16,777,216 features (128 MiB of double weights; 5 actions x 1000 x 1000 one-hot fits). */
#define RL_FEATURES_MAX_DIM (1ul << 24)
/* 33,554,432 stored entries, 384 MiB of table (12 bytes each). */
#define RL_FEATURES_MAX_ENTRIES (1ul << 25)

/* The parameter entries a learner with features lists first in its table, followed by its
 * own keys. `order` is shared by polynomial and fourier: its range here is their union and
 * each kind checks its own range at alloc (rl_feature_type.params). The defaults are the
 * kinds' defaults: polynomial of order 3, the last of Zhao's eqs. (8.15)-(8.17); Fourier q =
 * 3 likewise; 8 tilings (S&B: a power of 2 >= 4k) of 2 x 2 tiles, coarse enough that
 * neighbouring cells of a 5 x 5 grid share tiles; 5 x 5 RBF centres of width 0.25. */
#define RL_FEATURE_PARAMS                                                                   \
    {"features", RL_PARAM_CHOICE, "polynomial", 0, 0, 0, "one_hot|polynomial|fourier|tile|rbf", \
     "feature kind for value approximation (gridrl list features)"},                        \
    {"order", RL_PARAM_INT, "3", 0, 64, 0, NULL,                                            \
     "polynomial: degree, 1..8; fourier: Zhao's q, 0..64, (q+1)^2 features"},               \
    {"tilings", RL_PARAM_INT, "8", 1, 256, 0, NULL,                                         \
     "tile: number of offset tilings (active features per state)"},                         \
    {"tiles", RL_PARAM_INT, "2", 1, 4096, 0, NULL,                                          \
     "tile: tiles per dimension over the grid (each tiling has one more)"},                 \
    {"centers", RL_PARAM_INT, "5", 1, 256, 0, NULL,                                         \
     "rbf: centres per dimension on a lattice over the grid"},                              \
    {"width", RL_PARAM_DOUBLE, "0.25", 0, HUGE_VAL, RL_PARAM_MIN_OPEN, NULL,                \
     "rbf: Gaussian width, in units of the grid's extent (the grid is the unit square)"},   \
    {"action_features", RL_PARAM_CHOICE, "blocks", 0, 0, 0, "blocks|input",                 \
     "q(s,a): phi(s) in action a's block, or the action as an input dimension"}

/* The same entries as a table of their own (NULL-terminated): what `gridrl list features`
 * prints as the shared keys, and what rl_features_alloc_params accepts on its own. */
extern const rl_param_spec rl_feature_params[];

typedef enum rl_feature_domain {
    RL_FEATURES_STATES, /* phi(s): state values */
    RL_FEATURES_PAIRS   /* phi(s, a): action values, laid out by action_features */
} rl_feature_domain;

/* ---- The kind interface: what each rl/features_*.c supplies ---- */

/* Settings of an instance, each checked against the kind's own table. */
typedef struct rl_feature_config {
    long order, tilings, tiles, centers;
    double width;
} rl_feature_config;

/* The grid an instance covers (copied from the space at alloc). */
typedef struct rl_feature_grid {
    size_t rows, cols, n_actions;
    bool three_d; /* the kind computes over (x, y, z): domain PAIRS, action_features input */
    const char (*action_names)[RL_ACTION_NAME_MAX];
} rl_feature_grid;

/* One point at which features are computed. */
typedef struct rl_feature_point {
    size_t row, col, action; /* action is 0 unless three_d */
    double x, y, z;          /* unit coordinates, see above; z = 0 unless three_d */
} rl_feature_point;

typedef struct rl_feature_type {
    const char *name;
    const char *doc;                /* one line */
    const rl_param_spec *params;    /* the keys it reads, with its ranges and defaults */
    const char *size_key;           /* the key an over-cap size is blamed on */
    const char *entries_key;        /* the key an over-cap table is blamed on */
    bool three_d;                   /* computes over (x, y, z) for action_features = input;
                                       false: input is the same as blocks */
    /* Number of features of one point and the most active at one point. 64-bit so that
     * the cap check sees sizes that would overflow 32 bits. */
    void (*size)(const rl_feature_config *c, const rl_feature_grid *g, uint64_t *dim,
                 uint64_t *active);
    /* Writes the active features of p (indices increasing) and returns their number. */
    size_t (*row)(const rl_feature_config *c, const rl_feature_grid *g,
                  const rl_feature_point *p, uint32_t *index, double *value);
    /* The name of feature i (< dim of one point), truncated to size. */
    void (*label)(const rl_feature_config *c, const rl_feature_grid *g, size_t i, char *buf,
                  size_t size);
} rl_feature_type;

extern const rl_feature_type rl_feature_one_hot;
extern const rl_feature_type rl_feature_polynomial;
extern const rl_feature_type rl_feature_fourier;
extern const rl_feature_type rl_feature_tile;
extern const rl_feature_type rl_feature_rbf;

/* NULL-terminated, in the order `gridrl list features` prints them. */
extern const rl_feature_type *const rl_feature_types[];

/* The kind named name; NULL with RL_ENOTFOUND, err->key "features" and the valid names in
 * the message otherwise. */
const rl_feature_type *rl_feature_type_find(const char *name, rl_error *err);

/* ---- Instances ---- */

typedef struct rl_features rl_features;

/* Features of kind type over the space sp (copied: sp need not outlive the instance) for
 * domain. params: any value set whose table holds some of the RL_FEATURE_PARAMS keys (a
 * learner's); a key's value there (set, or the table's default) is used, keys it lacks or
 * has no value for take the kind's defaults; NULL: all defaults. Each value is checked
 * against the kind's own range, which may be narrower than the shared one. The instance
 * goes into *out; on failure *out is NULL, nothing is left allocated, and the code returned
 * is the same whether err is NULL or not.
 * Errors: RL_EINVAL for out NULL, no type (err->key "features"), an unknown domain or a bad
 * space, RL_ERANGE / RL_EINVAL naming the key for a value out of the kind's range or a size
 * over the caps, RL_ENOMEM. */
int rl_features_alloc(const rl_feature_type *type, const rl_space *sp,
                      rl_feature_domain domain, const rl_params *params, rl_features **out,
                      rl_error *err);
/* As rl_features_alloc, for the kind named by params' `features` key (its default when
 * params is NULL or lacks it); RL_ENOTFOUND (err->key "features") when no kind has that
 * name. */
int rl_features_alloc_params(const rl_space *sp, rl_feature_domain domain,
                             const rl_params *params, rl_features **out, rl_error *err);
void rl_features_free(rl_features *f);

const rl_feature_type *rl_features_type(const rl_features *f);
/* Features of one action block: dim / n_actions with blocks, else dim. */
size_t rl_features_block_dim(const rl_features *f);
/* The most entries any row has (scratch sizes, e.g. for traces). */
size_t rl_features_max_active(const rl_features *f);

/* The name of feature i for a weights file ("x^2*y", "tile t3 (2 4)@up"); RL_ERANGE (and
 * buf = "") for i >= dim, RL_EINVAL for a NULL or empty buf. Truncates to size. */
int rl_features_label(const rl_features *f, size_t i, char *buf, size_t size);

/* The compiled table. rl_features is opaque except that this is its first member, which the
 * inline step functions below read; treat it as read-only. */
typedef struct rl_feature_table {
    size_t dim;             /* number of features: the length of w */
    size_t n_states, n_actions;
    size_t row_s, row_a;    /* (s, a) reads row s * row_s + a * row_a */
    size_t offset_a;        /* that row's indices are relative to a * offset_a (blocks) */
    const uint32_t *start;  /* rows + 1: row r is entries start[r] .. start[r + 1] */
    const uint32_t *index;
    const double *value;
} rl_feature_table;

static inline const rl_feature_table *rl_features_table(const rl_features *f)
{
    return (const rl_feature_table *)(const void *)f;
}

static inline size_t rl_features_dim(const rl_features *f)
{
    return rl_features_table(f)->dim;
}

/* The active features of (s, a): feature offset + index[k] has value value[k], k < count. */
typedef struct rl_feature_row {
    const uint32_t *index;
    const double *value;
    size_t count;
    size_t offset;
} rl_feature_row;

/* s < n_states and a < n_actions (a ignored for RL_FEATURES_STATES) are the caller's
 * preconditions: these run on every step and do not check them. */
static inline rl_feature_row rl_features_row(const rl_features *f, size_t s, size_t a)
{
    const rl_feature_table *t = rl_features_table(f);
    size_t r = s * t->row_s + a * t->row_a;
    uint32_t begin = t->start[r];
    return (rl_feature_row){t->index + begin, t->value + begin, t->start[r + 1] - begin,
                            a * t->offset_a};
}

/* w . phi(s, a), w of length dim. */
static inline double rl_features_dot(const rl_features *f, size_t s, size_t a, const double *w)
{
    rl_feature_row row = rl_features_row(f, s, a);
    const double *wa = w + row.offset;
    double sum = 0.0;
    for (size_t k = 0; k < row.count; k++)
        sum += wa[row.index[k]] * row.value[k];
    return sum;
}

/* w += scale * phi(s, a). */
static inline void rl_features_axpy(const rl_features *f, size_t s, size_t a, double scale,
                                    double *w)
{
    rl_feature_row row = rl_features_row(f, s, a);
    double *wa = w + row.offset;
    for (size_t k = 0; k < row.count; k++)
        wa[row.index[k]] += scale * row.value[k];
}

/* Writes the dense phi(s, a) into out[0 .. dim), zeros included (a network's input). */
void rl_features_dense_double(const rl_features *f, size_t s, size_t a, double *out);
void rl_features_dense_float(const rl_features *f, size_t s, size_t a, float *out);
#define rl_features_dense(f, s, a, out)                                                     \
    _Generic((out), float *: rl_features_dense_float, default: rl_features_dense_double)(   \
        f, s, a, out)

#endif

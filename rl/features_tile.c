/* Tile coding, Sutton & Barto sec. 9.5.4 (see features.h for the layout and offsets).
 *
 * The tile of a cell is computed in integers: with q = floor(col * tiles * tilings /
 * (cols - 1)), the cell's x in units of w / tilings, tiling t's column tile is
 * (q + (t mod tilings)) / tilings, which is floor((x + shift) / w) exactly. A double
 * computation could put a cell that lies on a tile boundary (x = 1/3 + 2/3) on either side.
 *
 * Not hashed: a gridworld's tilings * (tiles + 1)^2 weights are few, and hashing would only
 * add collisions. For action values the action gets its own tile in every tiling, which is
 * the blocks layout (features.h), so this kind has no 3-D form.
 */
#include "rl/features.h"

#include <stdio.h>

static const rl_param_spec tile_params[] = {
    {"tilings", RL_PARAM_INT, "8", 1, 256, 0, NULL,
     "offset tilings, displaced by (1, 3) x tile width / tilings (S&B sec. 9.5.4)"},
    {"tiles", RL_PARAM_INT, "2", 1, 4096, 0, NULL,
     "tiles per dimension over the grid; each tiling has tiles + 1 to cover its offset"},
    {NULL, 0, NULL, 0, 0, 0, NULL, NULL},
};

static void tile_size(const rl_feature_config *c, const rl_feature_grid *g, uint64_t *dim,
                      uint64_t *active)
{
    (void)g;
    uint64_t side = (uint64_t)c->tiles + 1;
    *dim = (uint64_t)c->tilings * side * side;
    *active = (uint64_t)c->tilings;
}

/* i in units of w / n along an axis of n_cells cells: floor(i / (n_cells - 1) * tiles * n). */
static uint64_t fine_coordinate(size_t i, size_t n_cells, uint64_t tiles, uint64_t n)
{
    return n_cells > 1 ? (uint64_t)i * tiles * n / (uint64_t)(n_cells - 1) : 0;
}

static size_t tile_row(const rl_feature_config *c, const rl_feature_grid *g,
                       const rl_feature_point *p, uint32_t *index, double *value)
{
    uint64_t n = (uint64_t)c->tilings, tiles = (uint64_t)c->tiles, side = tiles + 1;
    uint64_t qx = fine_coordinate(p->col, g->cols, tiles, n);
    uint64_t qy = fine_coordinate(p->row, g->rows, tiles, n);
    for (uint64_t t = 0; t < n; t++) {
        uint64_t ix = (qx + (t * 1) % n) / n, iy = (qy + (t * 3) % n) / n;
        index[t] = (uint32_t)(t * side * side + iy * side + ix);
        value[t] = 1.0;
    }
    return (size_t)n;
}

static void tile_label(const rl_feature_config *c, const rl_feature_grid *g, size_t i,
                       char *buf, size_t size)
{
    (void)g;
    size_t side = (size_t)c->tiles + 1, rest = i % (side * side);
    snprintf(buf, size, "tile t%zu (%zu %zu)", i / (side * side), rest % side, rest / side);
}

const rl_feature_type rl_feature_tile = {
    .name = "tile",
    .doc = "tile coding: `tilings` offset grids of `tiles` x `tiles` tiles, S&B sec. 9.5.4",
    .params = tile_params,
    .size_key = "tiles",
    .entries_key = "tilings",
    .three_d = false,
    .size = tile_size,
    .row = tile_row,
    .label = tile_label,
};

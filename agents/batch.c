/* Batch updating: see batch.h. */
#include "agents/batch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rl/alloc.h"

int rl_batch_init(rl_batch *b, size_t n_states, const rl_params *params, rl_error *err)
{
    memset(b, 0, sizeof *b);
    if (n_states > UINT32_MAX)
        return rl_error_set(err, RL_ERANGE, "batch updating: %zu states is too many", n_states);
    b->n_states = n_states;
    b->alpha = rl_params_double(params, "alpha");
    b->theta = rl_params_double(params, "batch_theta");
    b->max_sweeps = (size_t)rl_params_int(params, "batch_max_sweeps");
    b->count = rl_calloc(n_states, sizeof *b->count);
    b->sum = rl_calloc(n_states, sizeof *b->sum);
    b->rows = rl_calloc(n_states, sizeof *b->rows);
    b->increment = rl_calloc(n_states, sizeof *b->increment);
    if (!b->count || !b->sum || !b->rows || !b->increment) {
        rl_batch_release(b);
        return rl_error_set(err, RL_ENOMEM, "out of memory for batch updating of %zu states",
                            n_states);
    }
    return RL_OK;
}

void rl_batch_release(rl_batch *b)
{
    for (size_t s = 0; b->rows && s < b->n_states; s++)
        rl_free(b->rows[s].links);
    rl_free(b->count);
    rl_free(b->sum);
    rl_free(b->rows);
    rl_free(b->increment);
    memset(b, 0, sizeof *b);
}

/* The link of s to next, added with weight 0 when new; NULL when there was no room. */
static rl_batch_link *link_of(rl_batch_row *row, size_t next)
{
    /* A state bootstraps from few others (its neighbours, for TD(0)): a linear search. */
    for (uint32_t k = 0; k < row->n; k++)
        if (row->links[k].state == next)
            return &row->links[k];
    if (row->n == row->capacity) {
        uint32_t capacity = row->capacity ? 2 * row->capacity : 4;
        rl_batch_link *links = rl_realloc(row->links, capacity * sizeof *links);
        if (!links)
            return NULL;
        row->links = links;
        row->capacity = capacity;
    }
    row->links[row->n] = (rl_batch_link){(uint32_t)next, 0.0};
    return &row->links[row->n++];
}

void rl_batch_add(rl_batch *b, size_t s, double c, size_t next, double weight)
{
    if (next != RL_BATCH_NONE) {
        rl_batch_link *link = link_of(&b->rows[s], next);
        if (!link) { /* the target is dropped whole, so the statistics stay consistent */
            b->out_of_memory = true;
            return;
        }
        link->weight += weight;
    }
    b->count[s] += 1.0;
    b->sum[s] += c;
}

int rl_batch_solve(rl_batch *b, double *v, rl_error *err)
{
    b->sweeps = 0;
    if (b->out_of_memory) {
        b->out_of_memory = false;
        return rl_error_set(err, RL_ENOMEM, "out of memory for batch updating's statistics");
    }
    for (;;) {
        /* Every increment from the same values, then all applied at once (S&B 6.3). */
        double change = 0.0;
        for (size_t s = 0; s < b->n_states; s++) {
            if (b->count[s] == 0.0)
                continue;
            double target = b->sum[s];
            const rl_batch_row *row = &b->rows[s];
            for (uint32_t k = 0; k < row->n; k++)
                target += row->links[k].weight * v[row->links[k].state];
            b->increment[s] = b->alpha * (target - b->count[s] * v[s]);
            double size = fabs(b->increment[s]);
            change = size > change || isnan(size) ? size : change; /* NaN sticks */
        }
        for (size_t s = 0; s < b->n_states; s++)
            if (b->count[s] != 0.0)
                v[s] += b->increment[s];
        b->sweeps++;
        if (change < b->theta || !isfinite(change))
            return RL_CONTINUE;
        if (b->sweeps >= b->max_sweeps)
            return RL_STOPPED;
    }
}

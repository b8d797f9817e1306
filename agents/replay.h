/* A replay buffer of transitions (s, a, r, s', terminated) for learners that train on
 * stored experience (DQN).
 *
 * The buffer holds `capacity` transitions allocated once (18 bytes each); push and sample
 * never allocate. Once full, a push overwrites the oldest transition (a ring): slot
 * (pushed - 1) mod capacity holds the latest. Truncated transitions are stored like any
 * other (they bootstrap); only `terminated` stops bootstrapping.
 *
 * Sampling is uniform with replacement over the transitions held, each index drawn as
 * floor(u * size) from one u = gsl_rng_uniform(r): exactly one draw per index, in order, so
 * a learner can state its draws and a test can replay them. (floor(u n) differs from exact
 * uniformity by at most n / 2^32 in any index's probability, since taus2's u has 32 bits.)
 */
#ifndef GRIDRL_AGENTS_REPLAY_H
#define GRIDRL_AGENTS_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "rl/error.h"

/* States must fit in 32 bits and actions in 8. */
#define RL_REPLAY_MAX_CAPACITY 100000000ul

typedef struct rl_replay {
    uint32_t *state, *next;
    uint8_t *action;
    uint8_t *terminated; /* 1: next is terminal, no bootstrapping */
    double *reward;
    size_t capacity;
    size_t size;   /* transitions held: min(pushed, capacity) */
    size_t pushed; /* transitions pushed since init or the last clear */
} rl_replay;

/* Room for capacity transitions, capacity in [1, RL_REPLAY_MAX_CAPACITY] (RL_ERANGE
 * otherwise); on failure b holds nothing to release. */
int rl_replay_init(rl_replay *b, size_t capacity, rl_error *err);
void rl_replay_release(rl_replay *b); /* idempotent */

static inline void rl_replay_clear(rl_replay *b)
{
    b->size = 0;
    b->pushed = 0;
}

/* Stores a transition, overwriting the oldest when full. */
static inline void rl_replay_push(rl_replay *b, size_t s, size_t a, double reward, size_t next,
                                  bool terminated)
{
    size_t i = b->pushed % b->capacity;
    b->state[i] = (uint32_t)s;
    b->action[i] = (uint8_t)a;
    b->reward[i] = reward;
    b->next[i] = (uint32_t)next;
    b->terminated[i] = terminated;
    b->pushed++;
    if (b->size < b->capacity)
        b->size++;
}

/* n slot indices uniform on [0, size) into index, one draw each (see above). The buffer
 * must hold at least one transition. */
static inline void rl_replay_sample(const rl_replay *b, size_t n, gsl_rng *r, size_t *index)
{
    for (size_t k = 0; k < n; k++) {
        size_t i = (size_t)(gsl_rng_uniform(r) * (double)b->size);
        index[k] = i < b->size ? i : b->size - 1;
    }
}

/* The slot of the k-th oldest transition held (k < size): the order of arrival. */
static inline size_t rl_replay_slot(const rl_replay *b, size_t k)
{
    return (b->pushed - b->size + k) % b->capacity;
}

#endif

/* One episode's steps (state, action, reward), stored for learners that learn from whole
 * episodes (Monte Carlo) or from stored data, with the backward pass that computes each
 * step's return G_t = R_t+1 + gamma G_t+1 in O(T).
 *
 * The buffer holds `capacity` steps allocated once (13 bytes a step); push never allocates.
 * A push past the capacity is dropped and remembered (overflow), so the learner can report
 * it instead of writing out of bounds.
 *
 *     rl_return_cursor c = rl_episode_buffer_last(b);
 *     while (rl_episode_buffer_back(b, gamma, &c))
 *         ... step c.i has return c.g ...
 */
#ifndef GRIDRL_AGENTS_EPISODE_BUFFER_H
#define GRIDRL_AGENTS_EPISODE_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rl/error.h"

typedef struct rl_episode_buffer {
    uint32_t *state;
    uint8_t *action;
    double *reward; /* the reward that followed the step's action */
    size_t capacity, length;
    bool overflow;
} rl_episode_buffer;

/* Room for capacity steps; states must fit in 32 bits and actions in 8. */
int rl_episode_buffer_init(rl_episode_buffer *b, size_t capacity, rl_error *err);
void rl_episode_buffer_release(rl_episode_buffer *b);

static inline void rl_episode_buffer_clear(rl_episode_buffer *b)
{
    b->length = 0;
    b->overflow = false;
}

static inline void rl_episode_buffer_push(rl_episode_buffer *b, size_t s, size_t a,
                                          double reward)
{
    if (b->length == b->capacity) {
        b->overflow = true;
        return;
    }
    b->state[b->length] = (uint32_t)s;
    b->action[b->length] = (uint8_t)a;
    b->reward[b->length] = reward;
    b->length++;
}

typedef struct rl_return_cursor {
    size_t i; /* the step */
    double g; /* its return */
} rl_return_cursor;

/* A cursor just after the last step, with return 0 (the episode's end). */
static inline rl_return_cursor rl_episode_buffer_last(const rl_episode_buffer *b)
{
    return (rl_return_cursor){b->length, 0.0};
}

/* Moves the cursor one step back and folds that step's reward into the return; false when
 * there is no step left. */
static inline bool rl_episode_buffer_back(const rl_episode_buffer *b, double gamma,
                                          rl_return_cursor *c)
{
    if (c->i == 0)
        return false;
    c->i--;
    c->g = gamma * c->g + b->reward[c->i];
    return true;
}

#endif

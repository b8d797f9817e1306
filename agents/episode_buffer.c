/* Episode buffers: see episode_buffer.h. */
#include "agents/episode_buffer.h"

#include <stdlib.h>
#include <string.h>

#include "rl/alloc.h"

int rl_episode_buffer_init(rl_episode_buffer *b, size_t capacity, rl_error *err)
{
    memset(b, 0, sizeof *b);
    if (capacity == 0)
        return rl_error_set(err, RL_EINVAL, "an episode buffer needs room for a step");
    b->state = rl_malloc(capacity * sizeof *b->state);
    b->action = rl_malloc(capacity * sizeof *b->action);
    b->reward = rl_malloc(capacity * sizeof *b->reward);
    if (!b->state || !b->action || !b->reward) {
        rl_episode_buffer_release(b);
        return rl_error_set(err, RL_ENOMEM, "out of memory for an episode buffer of %zu steps",
                            capacity);
    }
    b->capacity = capacity;
    return RL_OK;
}

void rl_episode_buffer_release(rl_episode_buffer *b)
{
    rl_free(b->state);
    rl_free(b->action);
    rl_free(b->reward);
    b->state = NULL;
    b->action = NULL;
    b->reward = NULL;
    b->capacity = b->length = 0;
}

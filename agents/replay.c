/* The replay buffer: see replay.h. */
#include "agents/replay.h"

#include <string.h>

#include "rl/alloc.h"

int rl_replay_init(rl_replay *b, size_t capacity, rl_error *err)
{
    memset(b, 0, sizeof *b);
    if (capacity < 1 || capacity > RL_REPLAY_MAX_CAPACITY)
        return rl_error_set(err, RL_ERANGE, "a replay buffer of %zu transitions is outside "
                                            "[1, %lu]", capacity, RL_REPLAY_MAX_CAPACITY);
    b->state = rl_malloc(capacity * sizeof *b->state);
    b->next = rl_malloc(capacity * sizeof *b->next);
    b->action = rl_malloc(capacity * sizeof *b->action);
    b->terminated = rl_malloc(capacity * sizeof *b->terminated);
    b->reward = rl_malloc(capacity * sizeof *b->reward);
    if (!b->state || !b->next || !b->action || !b->terminated || !b->reward) {
        rl_replay_release(b);
        return rl_error_set(err, RL_ENOMEM, "out of memory for a replay buffer of %zu "
                                            "transitions", capacity);
    }
    b->capacity = capacity;
    return RL_OK;
}

void rl_replay_release(rl_replay *b)
{
    rl_free(b->state);
    rl_free(b->next);
    rl_free(b->action);
    rl_free(b->terminated);
    rl_free(b->reward);
    memset(b, 0, sizeof *b);
}

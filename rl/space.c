/* State and action spaces: see space.h. */
#include "rl/space.h"

#include <string.h>

#include "rl/error.h"

int rl_space_action_index(const rl_space *sp, const char *name)
{
    if (!sp || !name || !name[0] || strlen(name) >= RL_ACTION_NAME_MAX)
        return -1;
    for (size_t a = 0; a < sp->n_actions; a++)
        if (strcmp(sp->action_names[a], name) == 0)
            return (int)a;
    return -1;
}

int rl_space_check_start(const rl_space *sp, long row, long col, rl_error *err)
{
    if (row < 0 || col < 0 || row >= (long)sp->rows || col >= (long)sp->cols)
        return rl_error_set(err, RL_EINVAL, "start (%ld, %ld) is outside the %zux%zu grid", row,
                            col, sp->rows, sp->cols);
    size_t s = rl_space_state(sp, (size_t)row, (size_t)col);
    if (sp->kind[s] == RL_STATE_WALL)
        return rl_error_set(err, RL_EINVAL, "start (%ld, %ld) is a wall", row, col);
    if (sp->kind[s] == RL_STATE_TERMINAL)
        return rl_error_set(err, RL_EINVAL, "start (%ld, %ld) is a terminal cell", row, col);
    return RL_OK;
}

/* State and action spaces: see space.h. */
#include "rl/space.h"

#include <string.h>

int rl_space_action_index(const rl_space *sp, const char *name)
{
    if (!sp || !name || !name[0] || strlen(name) >= RL_ACTION_NAME_MAX)
        return -1;
    for (size_t a = 0; a < sp->n_actions; a++)
        if (strcmp(sp->action_names[a], name) == 0)
            return (int)a;
    return -1;
}

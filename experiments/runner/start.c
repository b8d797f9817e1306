/* Start rules: see start.h. */
#include "experiments/runner/start.h"

#include <stdio.h>
#include <string.h>

int rl_start_rule_parse(const char *text, const rl_space *sp, rl_start_rule *out,
                        rl_error *err)
{
    out->kind = RL_START_ENV;
    out->cell = 0;
    if (strcmp(text, "env") == 0)
        return RL_OK;
    if (strcmp(text, "uniform") == 0) {
        out->kind = RL_START_UNIFORM;
        return RL_OK;
    }
    long row, col;
    int used = 0;
    if (sscanf(text, " %ld %ld %n", &row, &col, &used) != 2 || text[used] != '\0') {
        rl_error_set(err, RL_EINVAL, "start '%s' is not env, uniform or 'row col'", text);
        return rl_error_locate(err, RL_EINVAL, NULL, 0, 0, "start");
    }
    int rc = rl_space_check_start(sp, row, col, err);
    if (rc != RL_OK)
        return rl_error_locate(err, rc, NULL, 0, 0, "start");
    out->kind = RL_START_CELL;
    out->cell = rl_space_state(sp, (size_t)row, (size_t)col);
    return RL_OK;
}

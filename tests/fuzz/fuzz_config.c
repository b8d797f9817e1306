/* Fuzz target: the config loader, -s overrides and plan building (experiments/runner/
 * config.h, plan.h), and the plan's checks (every configuration's env and agent built) for
 * small plans. Input: the config's text; lines after a line "%%" are overrides, one
 * "section.key=value" a line, as -s gives them. Relative paths resolve in a folder that does
 * not exist, so nothing outside is read but the presets. */
#include <stdlib.h>
#include <string.h>

#include "experiments/runner/config.h"
#include "experiments/runner/plan.h"
#include "experiments/runner/results.h"
#include "experiments/runner/run.h"
#include "tests/fuzz/fuzz.h"

/* Plans up to this many configurations are checked (a check compiles every model). */
#define CHECK_MAX_CONFIGURATIONS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    char *overrides = strstr(text, "\n%%\n");
    if (overrides) {
        *overrides = '\0';
        overrides += 4;
    }
    rl_config *c = NULL;
    rl_plan *p = NULL;
    rl_error err;
    int rc = rl_config_load_string(text, "fuzz.ini", "/nonexistent-gridrl-fuzz", &c, &err);
    for (char *line = overrides; rc == RL_OK && line && *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        rc = rl_config_override(c, line, &err);
        line = end ? end + 1 : NULL;
    }
    if (rc == RL_OK)
        rc = rl_plan_build(c, &p, &err);
    if (rc == RL_OK && p->n_configurations <= CHECK_MAX_CONFIGURATIONS &&
        rl_plan_check(p, &err) == RL_OK) {
        char *ini = NULL;
        if (rl_results_config_text(p, &ini, &err) == RL_OK)
            free(ini);
    }
    rl_plan_free(p);
    rl_config_free(c);
    free(text);
    return 0;
}

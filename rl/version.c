/* Version strings: see version.h. CMake defines both macros for this file alone, so a new
 * commit recompiles one file. */
#include "rl/version.h"

#ifndef GRIDRL_VERSION
#define GRIDRL_VERSION "unknown"
#endif
#ifndef GRIDRL_GIT_COMMIT
#define GRIDRL_GIT_COMMIT "unknown"
#endif

const char *rl_version(void)
{
    return GRIDRL_VERSION;
}

const char *rl_build_commit(void)
{
    return GRIDRL_GIT_COMMIT;
}

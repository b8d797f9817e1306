/* The library's version and the commit it was built from, for manifests and --version. */
#ifndef GRIDRL_RL_VERSION_H
#define GRIDRL_RL_VERSION_H

/* "0.1.0": the CMake project version. */
const char *rl_version(void);

/* The short git commit of the source tree at configure time, or "unknown". */
const char *rl_build_commit(void);

#endif

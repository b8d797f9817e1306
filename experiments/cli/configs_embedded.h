/* The shipped configs, compiled in (see cmake/EmbedFiles.cmake): `gridrl run` without a file
 * runs the default one from here. */
#ifndef GRIDRL_EXPERIMENTS_CLI_CONFIGS_EMBEDDED_H
#define GRIDRL_EXPERIMENTS_CLI_CONFIGS_EMBEDDED_H

#include "envs/maps_embedded.h"

/* Terminated by an entry whose name is NULL. */
extern const rl_embedded_file rl_embedded_configs[];

#endif

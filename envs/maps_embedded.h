/* The shipped map files, compiled in (see cmake/EmbedFiles.cmake). */
#ifndef GRIDRL_ENVS_MAPS_EMBEDDED_H
#define GRIDRL_ENVS_MAPS_EMBEDDED_H

typedef struct rl_embedded_file {
    const char *name; /* file name without its extension */
    const char *text;
} rl_embedded_file;

/* Terminated by an entry whose name is NULL. */
extern const rl_embedded_file rl_embedded_maps[];

#endif

/* The library's one allocation funnel: every allocation of rl/, envs/, agents/ and the
 * runner goes through these (allocations inside GSL and the C library's own buffers aside).
 *
 * rl/alloc.c implements them with the C library. A test program may define all five itself
 * (link-time interposition: the linker then never takes alloc.o from the static library) to
 * make the n-th allocation fail, and so check that every error path frees what it took and
 * reports out of memory (tests/test_alloc_failure.c). No state is kept here: the library
 * has no global mutable state, the test's counter is the test's.
 */
#ifndef GRIDRL_RL_ALLOC_H
#define GRIDRL_RL_ALLOC_H

#include <stddef.h>

void *rl_malloc(size_t size);
void *rl_calloc(size_t count, size_t size);
void *rl_realloc(void *p, size_t size);
char *rl_strdup(const char *s);
void rl_free(void *p);

#endif

/* The allocation funnel: see alloc.h. Nothing but these five may live in this file, so
 * that a test defining them replaces it whole. */
#include "rl/alloc.h"

#include <stdlib.h>
#include <string.h>

void *rl_malloc(size_t size)
{
    return malloc(size);
}

void *rl_calloc(size_t count, size_t size)
{
    return calloc(count, size);
}

void *rl_realloc(void *p, size_t size)
{
    return realloc(p, size);
}

char *rl_strdup(const char *s)
{
    return strdup(s);
}

void rl_free(void *p)
{
    free(p);
}

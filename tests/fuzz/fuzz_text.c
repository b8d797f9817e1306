/* fuzz_text for the libFuzzer builds (replay.c has its own). */
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"

char *fuzz_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    return text;
}

/* The fuzz targets' entry point (libFuzzer's), shared by the targets in tests/fuzz/: each
 * fuzz_NAME.c defines it, and is linked either with libFuzzer (clang -fsanitize=fuzzer, the
 * GRIDRL_FUZZ build) or with replay.c, which runs it on the files of a corpus as an ordinary
 * test (every build: each corpus file, crashes found included, is a regression test).
 */
#ifndef GRIDRL_TESTS_FUZZ_FUZZ_H
#define GRIDRL_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data as a NUL-terminated string (bytes after a NUL in data are dropped), malloc'd. */
char *fuzz_text(const uint8_t *data, size_t size);

#endif

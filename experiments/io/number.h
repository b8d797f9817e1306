/* Numbers as the result files write them, fast: the exact bytes of printf's "%.12g" (of
 * x + 0.0, so never "-0") and "%zu", without going through printf.
 *
 * Formatting was half of a learner experiment's whole run time: a result file holds one or
 * more numbers per episode, and glibc's printf spends about 0.4 us on each "%.12g". Here the
 * twelve significant digits come from one multiplication or division by an exact power of
 * ten in 64-bit-mantissa long double arithmetic (one rounding, relative error <= 2^-64), so
 * the rounding to 12 digits is decided exactly except within 1e-6 of a half, where (and for
 * magnitudes beyond 10^+-27, and where long double has no 64-bit mantissa) snprintf decides.
 * Reading back takes the same shortcut the other way. tests/test_number.c compares both
 * with the C library on millions of values.
 */
#ifndef GRIDRL_EXPERIMENTS_IO_NUMBER_H
#define GRIDRL_EXPERIMENTS_IO_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

/* Room for any number written by the functions below, with its terminating NUL. */
#define RL_NUMBER_MAX 32

/* Writes snprintf("%.12g", x + 0.0) into buf (RL_NUMBER_MAX bytes); returns its length. */
size_t rl_number_g12(double x, char *buf);

/* The number "%.12g" writes for x reads back as: what a file of x's holds for a reader. */
double rl_number_round12(double x);

/* Writes snprintf("%zu", n) into buf (RL_NUMBER_MAX bytes); returns its length. */
size_t rl_number_size(size_t n, char *buf);

/* Reads text as strtod does and says whether all of it was the number: the same value and
 * the same answer as `x = strtod(text, &end); *end == '\0' && end != text`. Plain decimals
 * of up to 15 significant digits with exponents within 10^+-22 (every number "%.12g"
 * writes, in that range) take one exact multiplication or division, which is correctly
 * rounded as strtod's result is; anything else goes to strtod. */
bool rl_number_parse(const char *text, double *out);

#endif

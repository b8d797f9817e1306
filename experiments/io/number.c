/* Fast "%.12g" and "%zu": see number.h. */
#include "experiments/io/number.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define DIGITS 12 /* significant digits, the precision of "%.12g" */

static const char DIGIT_PAIRS[] = "00010203040506070809"
                                  "10111213141516171819"
                                  "20212223242526272829"
                                  "30313233343536373839"
                                  "40414243444546474849"
                                  "50515253545556575859"
                                  "60616263646566676869"
                                  "70717273747576777879"
                                  "80818283848586878889"
                                  "90919293949596979899";

/* The decimal digits of n, most significant first, into out (no NUL); returns their count. */
static size_t put_u64(uint64_t n, char *out)
{
    char tmp[24];
    size_t len = 0;
    while (n >= 100) {
        unsigned d = (unsigned)(n % 100);
        n /= 100;
        tmp[len++] = DIGIT_PAIRS[2 * d + 1];
        tmp[len++] = DIGIT_PAIRS[2 * d];
    }
    if (n >= 10) {
        tmp[len++] = DIGIT_PAIRS[2 * n + 1];
        tmp[len++] = DIGIT_PAIRS[2 * n];
    } else {
        tmp[len++] = (char)('0' + n);
    }
    for (size_t i = 0; i < len; i++)
        out[i] = tmp[len - 1 - i];
    return len;
}

size_t rl_number_size(size_t n, char *buf)
{
    size_t len = put_u64(n, buf);
    buf[len] = '\0';
    return len;
}

static size_t slow_g12(double x, char *buf)
{
    int len = snprintf(buf, RL_NUMBER_MAX, "%.12g", x);
    return len > 0 ? (size_t)len : 0;
}

/* "%.12g" of the positive number whose 12 significant digits are those of n (10^11 <= n <
 * 10^12) and whose decimal exponent is e, into p; returns the length. */
static size_t put_digits(uint64_t n, int e, char *p)
{
    char d[DIGITS];
    put_u64(n, d);
    size_t last = DIGITS; /* one past the last digit that is not a trailing zero */
    while (last > 1 && d[last - 1] == '0')
        last--;
    char *q = p;
    if (e < -4 || e >= DIGITS) {
        *q++ = d[0];
        if (last > 1) {
            *q++ = '.';
            for (size_t i = 1; i < last; i++)
                *q++ = d[i];
        }
        *q++ = 'e';
        *q++ = e < 0 ? '-' : '+';
        unsigned x = (unsigned)(e < 0 ? -e : e);
        if (x < 10)
            *q++ = '0';
        q += put_u64(x, q);
    } else if (e >= 0) {
        for (int i = 0; i <= e; i++)
            *q++ = d[i];
        if (last > (size_t)e + 1) {
            *q++ = '.';
            for (size_t i = (size_t)e + 1; i < last; i++)
                *q++ = d[i];
        }
    } else {
        *q++ = '0';
        *q++ = '.';
        for (int i = -1; i > e; i--)
            *q++ = '0';
        for (size_t i = 0; i < last; i++)
            *q++ = d[i];
    }
    *q = '\0';
    return (size_t)(q - p);
}

size_t rl_number_g12(double x, char *buf)
{
    x += 0.0; /* -0 becomes 0, as the files want */
    if (!isfinite(x))
        return slow_g12(x, buf);
    if (x == 0.0) {
        buf[0] = '0';
        buf[1] = '\0';
        return 1;
    }
    char *p = buf;
    double a = x;
    if (x < 0.0) {
        *p++ = '-';
        a = -x;
    }
    /* Integers below 10^12 print as themselves (returns, counts). */
    if (a < 1e12 && a == floor(a)) {
        size_t len = put_u64((uint64_t)a, p);
        p[len] = '\0';
        return (size_t)(p - buf) + len;
    }
    /* The decimal exponent, give or take one: floor(b log10 2) from the binary exponent b
     * (78913 / 2^18 = log10 2 to 6 digits); the loops below correct it. */
    int b = ilogb(a);
    int e = b >= 0 ? (b * 78913) >> 18 : -((-b * 78913 + 262143) >> 18);
    /* First in double arithmetic, where 10^k is exact (|k| <= 22): y = a 10^k rounded once.
     * Rounding is monotonic and every whole + 1/2 below 2^40 is a double, so y lies on the
     * same side of a half as the exact product, or exactly on it: only then is the rounding
     * to 12 digits undecided here. */
    static const double POW10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    for (int tries = 0; tries < 3; tries++) {
        int k = DIGITS - 1 - e;
        if (k > 22 || k < -22)
            break;
        double y = k >= 0 ? a * POW10[k] : a / POW10[-k];
        if (y >= 1e12) {
            e++;
            continue;
        }
        if (y < 1e11) {
            e--;
            continue;
        }
        uint64_t whole = (uint64_t)y;
        double frac = y - (double)whole;
        if (frac == 0.5)
            break; /* on a half: the long double path decides */
        uint64_t n = whole + (frac > 0.5);
        if (n == 1000000000000ULL) { /* rounded up to the next power of ten */
            n = 100000000000ULL;
            e++;
        }
        return (size_t)(p - buf) + put_digits(n, e, p);
    }
#if LDBL_MANT_DIG >= 64
    /* 10^k, k = 0..27, all exact with a 64-bit mantissa (5^27 < 2^63). */
    static const long double POW10L[] = {
        1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
        1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
        1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L,
    };
    const int max_k = (int)(sizeof POW10L / sizeof POW10L[0]) - 1;
    e = (int)floor(log10(a));
    for (int tries = 0; tries < 3; tries++) {
        int k = DIGITS - 1 - e;
        if (k > max_k || k < -max_k)
            break;
        /* a * 10^k in [10^11, 10^12), with one rounding: absolute error below 10^12 2^-64,
         * about 5.4e-8, far inside the 1e-6 margin around a half. */
        long double y = k >= 0 ? (long double)a * POW10L[k] : (long double)a / POW10L[-k];
        if (y >= 1e12L) {
            e++;
            continue;
        }
        if (y < 1e11L) {
            e--;
            continue;
        }
        long double whole = floorl(y), frac = y - whole;
        if (fabsl(frac - 0.5L) < 1e-6L)
            break; /* too close to a half to round without the exact value */
        uint64_t n = (uint64_t)whole + (frac > 0.5L);
        if (n == 1000000000000ULL) {
            n = 100000000000ULL;
            e++;
        }
        return (size_t)(p - buf) + put_digits(n, e, p);
    }
#endif
    return slow_g12(x, buf);
}

bool rl_number_parse(const char *text, double *out)
{
    /* 10^k, k = 0..22: exact doubles. */
    static const double POW10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = text;
    bool negative = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    uint64_t mantissa = 0;
    int digits = 0, exponent = 0; /* significant digits taken; the value is m 10^exponent */
    bool any = false;
    for (; *p >= '0' && *p <= '9'; p++) {
        any = true;
        if (mantissa || *p != '0') {
            if (++digits > 15)
                goto slow;
            mantissa = 10 * mantissa + (uint64_t)(*p - '0');
        }
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++) {
            any = true;
            if (mantissa || *p != '0') {
                if (++digits > 15)
                    goto slow;
                mantissa = 10 * mantissa + (uint64_t)(*p - '0');
            }
            exponent--;
        }
    }
    if (!any)
        goto slow;
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        bool minus = *q == '-';
        if (*q == '-' || *q == '+')
            q++;
        if (!(*q >= '0' && *q <= '9'))
            goto slow; /* strtod stops before the 'e': let it say so */
        int e = 0;
        for (; *q >= '0' && *q <= '9'; q++) {
            if (e > 10000)
                goto slow;
            e = 10 * e + (*q - '0');
        }
        exponent += minus ? -e : e;
        p = q;
    }
    if (*p)
        goto slow;
    /* Up to 15 digits is below 2^53: the mantissa is exact, and so is 10^|exponent|. */
    double x = (double)mantissa;
    if (mantissa == 0)
        x = 0.0;
    else if (exponent >= 0 && exponent <= 22)
        x *= POW10[exponent];
    else if (exponent < 0 && exponent >= -22)
        x /= POW10[-exponent];
    else
        goto slow;
    *out = negative ? -x : x;
    return true;
slow:;
    char *end;
    *out = strtod(text, &end);
    return end != text && *end == '\0';
}

double rl_number_round12(double x)
{
    char text[RL_NUMBER_MAX];
    rl_number_g12(x, text);
    double y;
    return rl_number_parse(text, &y) ? y : x;
}

/*
 * Doubles as decimal text and back, locale-independent and exact: the
 * shortest text that reads back as the same double, and a correctly
 * rounded parse.  A small C face over the double-conversion library
 * (C++, Debian's libdouble-conversion), which glibc's printf and strtod
 * lose to by a wide margin on the number arrays of the oracles.
 *
 * No allocation; nothing to free.
 */
#ifndef SC_DCONV_H
#define SC_DCONV_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Room for any text sc_dtoa writes ("-1.2345678901234567e-308" and
 * "-0.0000012345678901234567" are the longest, 25 bytes). */
#define SC_DTOA_MAX 32

/* Writes the shortest decimal text of a finite x that reads back as x,
 * in JSON's number grammar and always with a '.' or an exponent, so
 * that it reads back as a real ("1.0", "-0.0", "1e21", "5e-324",
 * "0.000001", "1.5e-7").  Writes no NUL; answers the length.  A
 * non-finite x writes nothing and answers 0. */
size_t sc_dtoa(double x, char buf[SC_DTOA_MAX]);

/* Reads the len bytes at s, which must be a number of JSON's grammar
 * (the caller has scanned it), as the nearest double.  0, or -1 when
 * the text is not a number or its magnitude overflows a double (an
 * underflow reads as 0 or a subnormal, as strtod does). */
int sc_strtod(const char *s, size_t len, double *out);

#ifdef __cplusplus
}
#endif

#endif

/*
 * The discrete Gaussian on Z beyond what sc_rng.h declares: its
 * normaliser, its window, and a table restricted to |k| <= kmax (the
 * truncated pancakes of docs/MATH.md section 1).  Internal to core and
 * its tests.
 *
 * Ownership: a table from sc_dgauss_init_trunc is released with
 * sc_dgauss_free, like one from sc_dgauss_init.
 */
#ifndef SC_DGAUSS_H
#define SC_DGAUSS_H

#include <stdint.h>

#include "sc_rng.h"

/* The gamma sc_dgauss_init accepts: (0, SC_DGAUSS_GAMMA_MAX]; the table
 * holds about 7.3 gamma entries. */
#define SC_DGAUSS_GAMMA_MAX 1e5

/* Sum of exp(-pi k^2 / gamma^2) over |k| <= kmax (all of Z when
 * kmax < 0), to a few ulps. */
double sc_dgauss_norm(double gamma, int64_t kmax);

/* The smallest W with P(|k| > W) < 1e-17 under the untruncated law. */
int64_t sc_dgauss_halfwidth(double gamma);

/* The law conditioned on |k| <= kmax (kmax >= 0), or untruncated when
 * kmax < 0.  SC_OK, SC_EINVAL (gamma out of range) or SC_ENOMEM. */
int sc_dgauss_init_trunc(sc_dgauss *g, double gamma, int64_t kmax);

#endif

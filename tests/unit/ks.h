/* Test helper: the one-sample Kolmogorov-Smirnov statistic. */
#ifndef SC_TEST_KS_H
#define SC_TEST_KS_H

#include <stddef.h>

/* sqrt(n) * sup |F_n - F| for the n values x (sorted in place) against the
 * CDF cdf(x, ctx).  Under the null it exceeds 1.95 with probability about
 * 0.001 for large n. */
double sc_test_ks(double *x, size_t n, double (*cdf)(double, const void *),
                  const void *ctx);

#endif

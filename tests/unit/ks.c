#include "ks.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double sc_test_ks(double *x, size_t n, double (*cdf)(double, const void *),
                  const void *ctx)
{
    double d = 0;
    qsort(x, n, sizeof *x, cmp_double);
    for (size_t i = 0; i < n; i++) {
        double f = cdf(x[i], ctx);
        double lo = f - (double)i / (double)n;
        double hi = (double)(i + 1) / (double)n - f;
        d = fmax(d, fmax(lo, hi));
    }
    return sqrt((double)n) * d;
}

/* Game statistics of docs/MATH.md section 5.  See sc_stats.h. */
#include "sc_stats.h"
#include "sc_assert.h"

#include <math.h>

/*
 * log C(n, k) - n log 2 for every k is built by the recurrence
 * C(n, k+1) = C(n, k) (n - k) / (k + 1), in log space so that nothing
 * overflows at n = 10^4; the tail is then summed relative to its largest
 * term.  lgamma is avoided on purpose: glibc's writes the global signgam,
 * a data race when several server threads score at once.
 */
double sc_binom_pvalue(unsigned correct, unsigned rounds)
{
    if (correct == 0)
        return 1.0;
    if (correct > rounds)
        return 0.0;
    double n = rounds, log_half_n = -n * M_LN2;
    double lc = 0; /* log C(n, k) at the current k */
    for (unsigned k = 0; k < correct; k++)
        lc += log((n - k) / (k + 1.0));
    /* Terms rise up to k = n / 2 and fall after it. */
    unsigned kmax = correct > rounds / 2 ? correct : rounds / 2;
    double lmax = lc, l = lc;
    for (unsigned k = correct; k < kmax; k++) {
        l += log((n - k) / (k + 1.0));
        lmax = l;
    }
    double sum = 0;
    l = lc;
    for (unsigned k = correct;; k++) {
        sum += exp(l - lmax);
        if (k == rounds)
            break;
        l += log((n - k) / (k + 1.0));
    }
    double p = exp(lmax + log_half_n + log(sum));
    SC_ASSERT(p >= 0.0); /* also false for NaN */
    return p < 1.0 ? p : 1.0;
}

double sc_advantage(unsigned correct, unsigned rounds)
{
    if (rounds == 0)
        return 0.0;
    return 2.0 * (double)correct / (double)rounds - 1.0;
}

static double max_abs(const double *a, size_t d)
{
    double m = 0;
    for (size_t i = 0; i < d; i++)
        m = fabs(a[i]) > m ? fabs(a[i]) : m;
    return m;
}

/* Each vector is divided by its largest entry first: |a|^2 of a finite
 * direction may overflow (entries near 1e300) or underflow (near
 * 1e-300), and the cosine does not depend on the scale. */
double sc_abs_cos(const double *a, const double *b, size_t d)
{
    double sa = max_abs(a, d), sb = max_abs(b, d);
    double ab = 0, aa = 0, bb = 0;
    if (sa == 0 || sb == 0)
        return 0.0;
    for (size_t i = 0; i < d; i++) {
        double x = a[i] / sa, y = b[i] / sb;
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    double c = fabs(ab) / (sqrt(aa) * sqrt(bb));
    return c < 1.0 ? c : 1.0;
}

double sc_score_mse(const double *est, const double *truth, size_t n,
                    size_t d)
{
    if (n == 0)
        return 0.0;
    double sum = 0;
    for (size_t i = 0; i < n * d; i++) {
        double e = est[i] - truth[i];
        sum += e * e;
    }
    return sum / (double)n;
}

double sc_score_mse_gauss(const double *x, const double *truth, size_t n,
                          size_t d)
{
    if (n == 0)
        return 0.0;
    double sum = 0;
    for (size_t i = 0; i < n * d; i++) {
        double e = -x[i] - truth[i];
        sum += e * e;
    }
    return sum / (double)n;
}

double sc_pac_fraction(const double *est, const double *truth, size_t n,
                       double eps)
{
    if (n == 0)
        return 0.0;
    size_t ok = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(est[i] - truth[i]) <= eps)
            ok++;
    return (double)ok / (double)n;
}

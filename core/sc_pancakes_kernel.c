/*
 * The 1-D sum behind the pancakes: log S(k*) and kbar - k* (see
 * sc_pancakes.h for how they make the log-density and the score).
 *
 * S(k*) = sum_k exp(-A (k - k*)^2) is evaluated one of two ways, each to
 * about 1e-18 relative:
 *  - directly, around the nearest allowed k0, as 1 + sum_j T_j with
 *    T_j = exp(-A j (j +- 2 delta)) <= 1, delta = k0 - k*; consecutive
 *    terms differ by a factor that itself steps by exp(-2 A), so a point
 *    costs two exps however wide the window, plus exact restarts every
 *    16 terms that keep the products from drifting;
 *  - through Poisson summation when beta = sqrt(pi / A) > 1:
 *    S = beta (1 + 2 sum_m exp(-pi^2 m^2 / A) cos(2 pi m k*)), at most
 *    three terms, one sin and one cos.
 * Both stay in log space: -A delta^2 and log beta are added outside the
 * log, so nothing overflows for any finite k*.
 */
#include "sc_pancakes.h"

#include <math.h>

#define SC_PI 3.14159265358979323846
#define SC_SQRT_2PI 2.50662827463100050242
/* Relative size below which dropped terms are negligible. */
#define DROP 1e-18
/* Direct terms between exact restarts of the running products. */
#define RESTART 16

/* The smallest J whose dropped terms (|j| > J, and their first moment)
 * stay below DROP relative to the anchor term. */
static int direct_window(double big_a)
{
    double j = fmax(1, floor(sqrt(35 / big_a)));
    for (;; j++) {
        double tail = 2 * (j + 2) * exp(-big_a * j * (j + 1)) /
                      -expm1(-2 * big_a * (j + 1));
        if (tail <= DROP)
            return (int)j;
    }
}

static void set_dual(sc_pk_time *tc)
{
    double beta2 = SC_PI / tc->big_a;
    tc->log_beta = 0.5 * log(beta2);
    tc->dual = beta2 > 1;
    for (int m = 1; m <= SC_PK_MAXDUAL; m++)
        tc->eps[m] = exp(-SC_PI * beta2 * (double)m * m);
    tc->mdual = SC_PK_MAXDUAL;
    for (int m = 1; m <= SC_PK_MAXDUAL; m++)
        if (m * tc->eps[m] * fmax(1, beta2) <= DROP) {
            tc->mdual = m - 1;
            break;
        }
}

void sc_pk_time_init(sc_pk_time *tc, double gamma, double sigma,
                     uint32_t components, double log_z, double t)
{
    /* q = e^{-2t} / (1 + sigma^2); v = 1 - q without cancellation. */
    double ln_q = -2 * t - log1p(sigma * sigma);
    double sq = exp(0.5 * ln_q);
    tc->v = -expm1(ln_q);
    tc->a = SC_SQRT_2PI * sq / gamma;
    tc->kappa = gamma * sq / SC_SQRT_2PI;
    tc->a_over_v = tc->a / tc->v;
    tc->big_a = SC_PI / (gamma * gamma * tc->v);
    tc->exp_m2a = exp(-2 * tc->big_a);
    tc->lo = -INFINITY;
    tc->hi = INFINITY;
    if (components > 0) {
        tc->hi = (double)((components - 1) / 2);
        tc->lo = -tc->hi;
    }
    tc->jmax = direct_window(tc->big_a);
    set_dual(tc);
    tc->log_const = -log_z - 0.5 * log(tc->v);
}

/* Adds T_j = exp(-A j (j + 2 e)) for j = 1..n to *rest and j T_j to
 * *mom, given f = T_1 = exp(-A (1 + 2 e)).  e >= -1/2, so every T_j <= 1;
 * the ratio T_j / T_{j-1} steps by exp(-2 A). */
static void sweep(const sc_pk_time *tc, double e, double f, int n,
                  double *rest, double *mom)
{
    double big_a = tc->big_a, t = 1;
    for (int j = 1; j <= n; j++) {
        double dj = j;
        if (j % RESTART == 0) {
            t = exp(-big_a * (dj - 1) * (dj - 1 + 2 * e));
            f = exp(-big_a * (2 * dj - 1 + 2 * e));
        }
        t *= f;
        f *= tc->exp_m2a;
        *rest += t;
        *mom += dj * t;
    }
}

/* fmin and fmax are library calls at the baseline ISA; these compile to
 * one instruction and need no NaN rules (none reach them). */
static double min2(double x, double y)
{
    return x < y ? x : y;
}

static double max2(double x, double y)
{
    return x > y ? x : y;
}

static void direct(const sc_pk_time *tc, double kstar, double k0,
                   double *log_s, double *dk)
{
    k0 = min2(max2(k0, tc->lo), tc->hi);
    double delta = k0 - kstar, rest = 0, mom_up = 0, mom_down = 0;
    int up = (int)min2(tc->jmax, tc->hi - k0);
    int down = (int)min2(tc->jmax, k0 - tc->lo);
    /* |delta| <= 1/2 unless k0 was clamped to an end of a truncation,
     * and then only the side with terms is used: no exp overflows. */
    if (up > 0)
        sweep(tc, delta, exp(-tc->big_a * (1 + 2 * delta)), up, &rest,
              &mom_up);
    if (down > 0)
        sweep(tc, -delta, exp(-tc->big_a * (1 - 2 * delta)), down, &rest,
              &mom_down);
    if (log_s != NULL)
        *log_s = -tc->big_a * delta * delta + log1p(rest);
    /* the two moments apart, so that mirror images cancel exactly */
    *dk = delta + (mom_up - mom_down) / (1 + rest);
}

static void dual(const sc_pk_time *tc, double frac, double *log_s,
                 double *dk)
{
    if (tc->mdual == 0) { /* S = beta to 1e-18: no phase left */
        if (log_s != NULL)
            *log_s = tc->log_beta;
        *dk = 0;
        return;
    }
    double th = 2 * SC_PI * frac, c1 = cos(th), s1 = sin(th);
    double cm = c1, sm = s1, sc = 0, ss = 0;
    for (int m = 1; m <= tc->mdual; m++) {
        sc += tc->eps[m] * cm;
        ss += m * tc->eps[m] * sm;
        double cn = cm * c1 - sm * s1;
        sm = sm * c1 + cm * s1;
        cm = cn;
    }
    if (log_s != NULL)
        *log_s = tc->log_beta + log1p(2 * sc);
    *dk = -2 * SC_PI * ss / (tc->big_a * (1 + 2 * sc));
}

/* Nearest integer, ties to even, without a libm call: adding 1.5 2^52
 * leaves no fraction bits.  Beyond 2^52 every double is an integer. */
static double round_int(double x)
{
    const double big = 0x1.8p52;
    return fabs(x) < 0x1p52 ? (x + big) - big : x;
}

void sc_pk_kernel(const sc_pk_time *tc, double kstar, double *log_s,
                  double *dk)
{
    if (!isfinite(kstar)) { /* <x, u> overflowed: no finite answer */
        if (log_s != NULL)
            *log_s = NAN;
        *dk = NAN;
        return;
    }
    double k0 = round_int(kstar);
    if (tc->dual && k0 - tc->jmax >= tc->lo && k0 + tc->jmax <= tc->hi)
        dual(tc, kstar - k0, log_s, dk);
    else
        direct(tc, kstar, k0, log_s, dk);
}

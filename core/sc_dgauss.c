/*
 * The discrete Gaussian on Z, P(k) proportional to exp(-pi k^2 / gamma^2),
 * sampled by inverse CDF with one 53-bit uniform per draw.  See sc_rng.h
 * and sc_dgauss.h.
 *
 * Accuracy: a uniform sits on a grid of step 2^-53, so no table can give
 * an atom better than that; the table is built so that it does not lose
 * more.  The left half of the CDF is summed from the far tail inwards
 * (small terms first, with Neumaier's compensation, so an entry is within
 * about an ulp of the exact sum however many terms precede it); the right
 * half is 1 - (left tail mass) by symmetry, never 1 minus a large partial
 * sum, so near 1 each entry is the double nearest the exact value.
 */
#include "sc_dgauss.h"

#include <math.h>
#include <stdlib.h>

#define SC_PI 3.14159265358979323846
/* Mass outside the window, both tails together. */
#define TAIL_MASS 1e-17

/* sum_{k >= 1} exp(-c k^2), terms added from the smallest kept one. */
static double theta_tail(double c)
{
    int m = 1;
    while (exp(-c * (double)((m + 1) * (m + 1))) > 1e-22)
        m++;
    double s = 0;
    for (; m >= 1; m--)
        s += exp(-c * (double)m * (double)m);
    return s;
}

double sc_dgauss_norm(double gamma, int64_t kmax)
{
    double g2 = gamma * gamma;
    if (kmax < 0 || kmax >= sc_dgauss_halfwidth(gamma)) {
        /* Poisson summation: the dual series converges fast for gamma
         * >= 1, the direct one for gamma < 1. */
        if (gamma >= 1)
            return gamma * (1 + 2 * theta_tail(SC_PI * g2));
        return 1 + 2 * theta_tail(SC_PI / g2);
    }
    double s = 0;
    for (int64_t k = kmax; k >= 1; k--)
        s += exp(-SC_PI * (double)k * (double)k / g2);
    return 1 + 2 * s;
}

/* An upper bound on P(|k| > w) from the ratio of consecutive terms. */
static double tail_bound(double gamma, int64_t w, double z)
{
    double g2 = gamma * gamma, k1 = (double)(w + 1);
    double first = exp(-SC_PI * k1 * k1 / g2);
    double ratio = -expm1(-SC_PI * (2 * k1 + 1) / g2);
    return 2 * first / (ratio * z);
}

int64_t sc_dgauss_halfwidth(double gamma)
{
    double z = sc_dgauss_norm(gamma, -1);
    int64_t w = (int64_t)floor(gamma * sqrt(30 / SC_PI));
    while (w > 0 && tail_bound(gamma, w - 1, z) < TAIL_MASS)
        w--;
    while (tail_bound(gamma, w, z) >= TAIL_MASS)
        w++;
    return w;
}

int sc_dgauss_init_trunc(sc_dgauss *g, double gamma, int64_t kmax)
{
    g->cdf = NULL;
    g->len = 0;
    if (!(gamma > 0 && gamma <= SC_DGAUSS_GAMMA_MAX))
        return SC_EINVAL;
    int64_t w = sc_dgauss_halfwidth(gamma);
    if (kmax >= 0 && kmax < w)
        w = kmax;
    size_t len = 2 * (size_t)w + 1;
    double *cdf = malloc(len * sizeof *cdf);
    if (cdf == NULL)
        return SC_ENOMEM;
    double z = sc_dgauss_norm(gamma, kmax), g2 = gamma * gamma;
    double acc = 0, comp = 0;
    /* cdf[i] = P(k <= i - w): the left half from the tail inwards... */
    for (int64_t k = -w; k < 0; k++) {
        double p = exp(-SC_PI * (double)k * (double)k / g2) / z;
        double sum = acc + p;
        comp += acc >= p ? (acc - sum) + p : (p - sum) + acc;
        acc = sum;
        cdf[k + w] = acc + comp;
    }
    /* ...the right half by symmetry, P(k <= j) = 1 - P(k <= -j - 1). */
    for (int64_t j = 0; j <= w; j++)
        cdf[j + w] = j < w ? 1 - cdf[w - j - 1] : 1;
    g->gamma = gamma;
    g->kmin = -w;
    g->len = len;
    g->cdf = cdf;
    return SC_OK;
}

int sc_dgauss_init(sc_dgauss *g, double gamma)
{
    return sc_dgauss_init_trunc(g, gamma, -1);
}

void sc_dgauss_free(sc_dgauss *g)
{
    free(g->cdf);
    g->cdf = NULL;
    g->len = 0;
}

int64_t sc_dgauss_draw(const sc_dgauss *g, sc_stream *s)
{
    size_t j = sc_cdf_search(g->cdf, g->len, sc_stream_uniform(s));
    return g->kmin + (int64_t)j;
}

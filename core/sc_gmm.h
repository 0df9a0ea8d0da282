/*
 * Isotropic Gaussian mixtures (docs/MATH.md section 2), the math behind
 * the `gmm` family, usable with explicit means (tests, benchmarks).
 *
 * All K components share one variance v; at OU time t component i is
 * N(e^{-t} m_i, v_t I) with v_t = e^{-2t} v + 1 - e^{-2t}.
 *
 * Ownership: sc_gmm_init copies means and weights into memory that only
 * sc_gmm_free releases.  An initialised sc_gmm is immutable: any number of
 * threads may evaluate or sample it at once.
 */
#ifndef SC_GMM_H
#define SC_GMM_H

#include <stddef.h>
#include <stdint.h>

#include "sc_core.h"

typedef struct sc_gmm {
    size_t dim, k;
    double variance;
    double *means;   /* k x dim, row-major */
    double *weights; /* k, summing to 1 */
    double *logw;    /* log weights */
    double *cdf;     /* cumulative weights, cdf[k - 1] == 1 */
    double *mnorm2;  /* |m_i|^2 */
    double mmax;     /* max_i |m_i| */
} sc_gmm;

/* weights: k positive finite values, normalised here; NULL for 1/k each.
 * SC_OK, SC_EINVAL (sizes 0, variance <= 0, a bad weight) or SC_ENOMEM. */
int sc_gmm_init(sc_gmm *g, size_t dim, size_t k, double variance,
                const double *means, const double *weights);
void sc_gmm_free(sc_gmm *g);

/* log P_t at the n rows of x (n x dim) into out (n).  SC_OK or SC_ENOMEM. */
int sc_gmm_logpdf(const sc_gmm *g, size_t n, const double *x, double t,
                  double *out);
/* grad log P_t at the n rows of x into out (n x dim; may equal x). */
int sc_gmm_score(const sc_gmm *g, size_t n, const double *x, double t,
                 double *out);
/* Points first .. first+n-1 at time t into out (n x dim).  Point i reads
 * stream (key, SC_STREAM_POINT, i): word 0 picks the component by inverse
 * CDF on the weights, words 1 .. dim are the normals. */
void sc_gmm_sample(const sc_gmm *g, const uint8_t key[SC_KEY_BYTES],
                   uint64_t first, size_t n, double t, double *out);

#endif

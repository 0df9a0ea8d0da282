/*
 * Isotropic Gaussian mixtures: batch log-density and score through
 * OpenBLAS, sampling from keyed streams.  See sc_gmm.h.
 *
 * Numerics.  With the logits
 *     a_ik = log w_k + (e^{-t} x_i.m_k - e^{-2t} |m_k|^2 / 2) / v_t
 * (one dgemm for the whole block) and r_i = softmax(a_i),
 *     log P_t(x_i) = c_t - |x_i|^2 / (2 v_t) + LSE_k a_ik,
 *     grad log P_t(x_i) = (e^{-t} sum_k r_ik m_k - x_i) / v_t
 * (a second dgemm, R M; or, when most r_ik are exactly 0, as they are for
 * well separated components, a sum over the nonzero ones).  Leaving the
 * common |x_i|^2 out of a_ik keeps the responsibilities as accurate as
 * x.m itself, even for |x| = 1e6.  The
 * log-density subtracts two large numbers when x_i lies near a mean
 * (|x - m|^2 small against |x|^2): then it is recomputed from direct
 * differences |x_i - m_k(t)|^2 over the components that matter.
 */
#include "sc_gmm.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "sc_rng.h"

#define LOG_2PI 1.83787706640934548356
/* Terms of a log-sum-exp or softmax this far below the largest are
 * dropped: together they change a sum of at least 1 by under
 * 4096 e^-50 < 1e-18.  Dropping them also keeps subnormal numbers, which
 * are slow in exp and in dgemm, out of the responsibilities. */
#define LSE_MARGIN 50.0
/* Recompute from direct differences when the difference of the two
 * large terms loses more than 3 bits to cancellation. */
#define CANCEL_RATIO 8.0
/* A block's logits take at most this many doubles (and at least 64 rows). */
#define BLOCK_DOUBLES (1 << 16)

/* The OU map at time t. */
typedef struct ou {
    double et, e2t; /* e^{-t}, e^{-2t} */
    double vt;      /* e^{-2t} v + 1 - e^{-2t} */
    double c;       /* -(d/2) log(2 pi v_t) */
} ou;

static ou ou_at(const sc_gmm *g, double t)
{
    ou o;
    o.et = exp(-t);
    o.e2t = exp(-2 * t);
    o.vt = o.e2t * g->variance - expm1(-2 * t);
    o.c = -0.5 * (double)g->dim * (LOG_2PI + log(o.vt));
    return o;
}

static void gmm_zero(sc_gmm *g)
{
    memset(g, 0, sizeof *g);
}

void sc_gmm_free(sc_gmm *g)
{
    free(g->means);
    free(g->weights);
    free(g->logw);
    free(g->cdf);
    free(g->mnorm2);
    gmm_zero(g);
}

/* Four partial sums: no single chain of dependent additions, so the
 * loop runs at the adder's throughput, not its latency. */
static double dot(const double *a, const double *b, size_t n)
{
    double s[4] = {0, 0, 0, 0};
    size_t j = 0;
    for (; j + 4 <= n; j += 4)
        for (size_t l = 0; l < 4; l++)
            s[l] += a[j + l] * b[j + l];
    for (; j < n; j++)
        s[0] += a[j] * b[j];
    return (s[0] + s[1]) + (s[2] + s[3]);
}

/* |x - e m|^2, summed as dot() does. */
static double dist2(const double *x, const double *m, double e, size_t n)
{
    double s[4] = {0, 0, 0, 0};
    size_t j = 0;
    for (; j + 4 <= n; j += 4)
        for (size_t l = 0; l < 4; l++) {
            double diff = x[j + l] - e * m[j + l];
            s[l] += diff * diff;
        }
    for (; j < n; j++) {
        double diff = x[j] - e * m[j];
        s[0] += diff * diff;
    }
    return (s[0] + s[1]) + (s[2] + s[3]);
}

/* Normalised weights, their logs and cumulative sums. */
static int set_weights(sc_gmm *g, const double *weights)
{
    double sum = 0, acc = 0;
    for (size_t i = 0; i < g->k; i++) {
        double w = weights != NULL ? weights[i] : 1.0;
        if (!(w > 0) || !isfinite(w))
            return SC_EINVAL;
        sum += w;
    }
    if (!isfinite(sum))
        return SC_EINVAL;
    for (size_t i = 0; i < g->k; i++) {
        double w = (weights != NULL ? weights[i] : 1.0) / sum;
        if (!(w > 0))
            return SC_EINVAL;
        g->weights[i] = w;
        g->logw[i] = log(w);
        acc += w;
        g->cdf[i] = acc;
    }
    g->cdf[g->k - 1] = 1.0;
    return SC_OK;
}

int sc_gmm_init(sc_gmm *g, size_t dim, size_t k, double variance,
                const double *means, const double *weights)
{
    gmm_zero(g);
    if (dim == 0 || k == 0 || !(variance > 0) || !isfinite(variance))
        return SC_EINVAL;
    g->dim = dim;
    g->k = k;
    g->variance = variance;
    g->means = malloc(k * dim * sizeof *g->means);
    g->weights = malloc(k * sizeof *g->weights);
    g->logw = malloc(k * sizeof *g->logw);
    g->cdf = malloc(k * sizeof *g->cdf);
    g->mnorm2 = malloc(k * sizeof *g->mnorm2);
    if (g->means == NULL || g->weights == NULL || g->logw == NULL ||
        g->cdf == NULL || g->mnorm2 == NULL) {
        sc_gmm_free(g);
        return SC_ENOMEM;
    }
    memcpy(g->means, means, k * dim * sizeof *g->means);
    int rc = set_weights(g, weights);
    if (rc != SC_OK) {
        sc_gmm_free(g);
        return rc;
    }
    for (size_t i = 0; i < k; i++) {
        g->mnorm2[i] = dot(g->means + i * dim, g->means + i * dim, dim);
        g->mmax = fmax(g->mmax, sqrt(g->mnorm2[i]));
    }
    return SC_OK;
}

static size_t block_rows(const sc_gmm *g, size_t n)
{
    size_t b = BLOCK_DOUBLES / g->k;
    if (b < 64)
        b = 64;
    return b < n ? b : n;
}

/* a (b x k) = the logits a_ik of the b rows of x, via one dgemm. */
static void block_logits(const sc_gmm *g, const ou *o, size_t b,
                         const double *x, double *a)
{
    size_t k = g->k;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)b, (int)k,
                (int)g->dim, o->et / o->vt, x, (int)g->dim, g->means,
                (int)g->dim, 0.0, a, (int)k);
    for (size_t i = 0; i < b; i++)
        for (size_t j = 0; j < k; j++)
            a[i * k + j] += g->logw[j] -
                            0.5 * o->e2t * g->mnorm2[j] / o->vt;
}

static double row_max(const double *a, size_t k)
{
    double m = a[0];
    for (size_t j = 1; j < k; j++)
        m = a[j] > m ? a[j] : m;
    return m;
}

/* log sum_j exp(a_j) given m = max_j a_j. */
static double row_lse(const double *a, size_t k, double m)
{
    double s = 0;
    for (size_t j = 0; j < k; j++)
        if (a[j] - m > -LSE_MARGIN)
            s += exp(a[j] - m);
    return m + log(s);
}

/* A bound on the rounding error of any a_ij in the row of x: a dot
 * product of length d errs by at most about d eps |x| |m|. */
static double logit_error(const sc_gmm *g, const ou *o, double xnorm)
{
    double scale = xnorm * o->et * g->mmax +
                   0.5 * o->e2t * g->mmax * g->mmax;
    return ((double)g->dim + 4) * DBL_EPSILON * scale / o->vt;
}

/* log sum_k w_k exp(-|x - m_k(t)|^2 / (2 v_t)) from direct differences,
 * over the components whose logit a_k can matter, in one pass (the sum is
 * rescaled whenever a larger term turns up). */
static double direct_lse(const sc_gmm *g, const ou *o, const double *x,
                         const double *a, double amax, double err)
{
    double cut = amax - LSE_MARGIN - 2 * err;
    double best = -INFINITY, s = 0;
    for (size_t j = 0; j < g->k; j++) {
        if (a[j] < cut)
            continue;
        double d2 = dist2(x, g->means + j * g->dim, o->et, g->dim);
        double b = g->logw[j] - d2 / (2 * o->vt);
        if (b > best) {
            s = s * exp(best - b) + 1.0;
            best = b;
        } else if (b - best > -LSE_MARGIN) {
            s += exp(b - best);
        }
    }
    return best + log(s);
}

/* log P_t(x) - c_t for one row, given its logits a. */
static double row_logpdf(const sc_gmm *g, const ou *o, const double *x,
                         const double *a)
{
    double amax = row_max(a, g->k);
    double lse = row_lse(a, g->k, amax);
    double xn = dot(x, x, g->dim);
    double half = xn / (2 * o->vt);
    double q = lse - half;
    if (half + fabs(lse) > CANCEL_RATIO * fabs(q))
        q = direct_lse(g, o, x, a, amax, logit_error(g, o, sqrt(xn)));
    return q;
}

int sc_gmm_logpdf(const sc_gmm *g, size_t n, const double *x, double t,
                  double *out)
{
    if (n == 0)
        return SC_OK;
    ou o = ou_at(g, t);
    size_t rows = block_rows(g, n), d = g->dim;
    double *a = malloc(rows * g->k * sizeof *a);
    if (a == NULL)
        return SC_ENOMEM;
    for (size_t i0 = 0; i0 < n; i0 += rows) {
        size_t b = n - i0 < rows ? n - i0 : rows;
        block_logits(g, &o, b, x + i0 * d, a);
        for (size_t i = 0; i < b; i++)
            out[i0 + i] = o.c + row_logpdf(g, &o, x + (i0 + i) * d,
                                           a + i * g->k);
    }
    free(a);
    return SC_OK;
}

/* The logits of a row become its responsibilities; answers how many are
 * not 0. */
static size_t row_softmax(double *a, size_t k)
{
    double m = row_max(a, k), s = 0;
    size_t nnz = 0;
    for (size_t j = 0; j < k; j++) {
        a[j] = a[j] - m > -LSE_MARGIN ? exp(a[j] - m) : 0.0;
        s += a[j];
        nnz += a[j] != 0;
    }
    double inv = 1.0 / s;
    for (size_t j = 0; j < k; j++)
        a[j] *= inv;
    return nnz;
}

/* out = (e^{-t} R M - x) / v_t for a block of b rows: the second dgemm. */
static void block_score_dense(const sc_gmm *g, const ou *o, size_t b,
                              const double *r, const double *x, double *out)
{
    size_t d = g->dim;
    if (out != x)
        memcpy(out, x, b * d * sizeof *out);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)b, (int)d,
                (int)g->k, o->et / o->vt, r, (int)g->k, g->means, (int)d,
                -1.0 / o->vt, out, (int)d);
}

/* The same when most responsibilities are exactly 0 (well separated
 * components): only the nonzero terms, one pass over each output row. */
static void block_score_sparse(const sc_gmm *g, const ou *o, size_t b,
                               const double *r, const double *x,
                               double *out)
{
    size_t d = g->dim, k = g->k;
    double minus_inv = -1.0 / o->vt, scale = o->et / o->vt;
    for (size_t i = 0; i < b; i++) {
        double *oi = out + i * d;
        for (size_t c = 0; c < d; c++)
            oi[c] = minus_inv * x[i * d + c];
        for (size_t j = 0; j < k; j++) {
            const double *m = g->means + j * d;
            double f = scale * r[i * k + j];
            if (f == 0)
                continue;
            for (size_t c = 0; c < d; c++)
                oi[c] += f * m[c];
        }
    }
}

/* A dense R M costs about as much as SPARSE_RATIO sparse row updates per
 * nonzero responsibility. */
#define SPARSE_RATIO 16

int sc_gmm_score(const sc_gmm *g, size_t n, const double *x, double t,
                 double *out)
{
    if (n == 0)
        return SC_OK;
    ou o = ou_at(g, t);
    size_t rows = block_rows(g, n), d = g->dim, k = g->k;
    double *r = malloc(rows * k * sizeof *r);
    if (r == NULL)
        return SC_ENOMEM;
    for (size_t i0 = 0; i0 < n; i0 += rows) {
        size_t b = n - i0 < rows ? n - i0 : rows, nnz = 0;
        block_logits(g, &o, b, x + i0 * d, r);
        for (size_t i = 0; i < b; i++)
            nnz += row_softmax(r + i * k, k);
        if (nnz * SPARSE_RATIO < b * k)
            block_score_sparse(g, &o, b, r, x + i0 * d, out + i0 * d);
        else
            block_score_dense(g, &o, b, r, x + i0 * d, out + i0 * d);
    }
    free(r);
    return SC_OK;
}

void sc_gmm_sample(const sc_gmm *g, const uint8_t key[SC_KEY_BYTES],
                   uint64_t first, size_t n, double t, double *out)
{
    ou o = ou_at(g, t);
    double sd = sqrt(o.vt);
    size_t d = g->dim;
    sc_stream s;
    for (size_t i = 0; i < n; i++) {
        double *xi = out + i * d;
        sc_stream_init(&s, key, SC_STREAM_POINT, first + i);
        size_t comp = sc_cdf_search(g->cdf, g->k, sc_stream_uniform(&s));
        const double *m = g->means + comp * d;
        sc_stream_normals(&s, d, xi);
        for (size_t c = 0; c < d; c++)
            xi[c] = o.et * m[c] + sd * xi[c];
    }
    if (n > 0)
        sc_stream_wipe(&s);
}

/*
 * The owf family's exact 2^n-term mixture (small n only):
 *   P_t(x) = 2^{-n} sum_s prod_i N(U_i; (2 s_i - 1) mu_t, v_t)
 *                          prod_j q_{f_j(s)}(V_j).
 * A term's log weight is a sum over the bytes of s and of f(s), so per
 * point one table of 256 partial sums per byte (built without
 * cancellation: each entry adds only the values its bits pick) makes a
 * term cost n/8 + m/8 additions.  f(s) comes from a table made at init.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sc_owf.h"
#include "sc_owf_impl.h"

int sc_owf_ftab_init(sc_owf_priv *pv, const sc_params *p)
{
    unsigned n = p->seed_bits, m = p->image_bits;
    size_t terms = (size_t)1 << n, fb = sc_owf_bytes(m);
    uint8_t seed[8];
    pv->ftab = malloc(terms * fb);
    if (pv->ftab == NULL)
        return SC_ENOMEM;
    for (size_t s = 0; s < terms; s++) {
        sc_owf_pack_seed(s, n, seed);
        sc_owf_f(p->f_key, seed, n, m, pv->ftab + s * fb);
    }
    return SC_OK;
}

/* Scratch for one call, reused across its points. */
typedef struct work {
    size_t sb, fb;  /* seed bytes, image bytes */
    double *tab;    /* (sb + fb) x 256 partial log weights */
    double *acc;    /* (sb + fb) x 256 responsibility sums */
    double *term;   /* 2^n log weights */
    double *lu, *lq, *sq; /* pairs per coordinate: b = 0, 1 */
} work;

static void work_free(work *w)
{
    free(w->tab);
    free(w->acc);
    free(w->term);
    free(w->lu);
    free(w->lq);
    free(w->sq);
}

static int work_init(work *w, const sc_params *p)
{
    size_t nt = 256 * (sc_owf_bytes(p->seed_bits) +
                       sc_owf_bytes(p->image_bits));
    memset(w, 0, sizeof *w);
    w->sb = sc_owf_bytes(p->seed_bits);
    w->fb = sc_owf_bytes(p->image_bits);
    w->tab = malloc(nt * sizeof(double));
    w->acc = malloc(nt * sizeof(double));
    w->term = malloc(((size_t)1 << p->seed_bits) * sizeof(double));
    w->lu = malloc(2 * p->seed_bits * sizeof(double));
    w->lq = malloc(2 * p->image_bits * sizeof(double));
    w->sq = malloc(2 * p->image_bits * sizeof(double));
    if (w->tab && w->acc && w->term && w->lu && w->lq && w->sq)
        return SC_OK;
    work_free(w);
    return SC_ENOMEM;
}

/* tab[v] = sum over the nb low bits k of v of l[2k + bit k]. */
static void byte_table(double *tab, const double *l, unsigned nb)
{
    tab[0] = 0;
    for (unsigned k = 0; k < nb; k++) {
        size_t half = (size_t)1 << k;
        for (size_t v = 0; v < half; v++) {
            tab[v + half] = tab[v] + l[2 * k + 1];
            tab[v] += l[2 * k];
        }
    }
}

static unsigned min8(unsigned bits, size_t byte)
{
    unsigned left = bits - 8 * (unsigned)byte;
    return left < 8 ? left : 8;
}

/* Per-coordinate values and the byte tables for point x. */
static void point_tables(const sc_params *p, const sc_owf_time *c,
                         const double *x, work *w)
{
    unsigned n = p->seed_bits, m = p->image_bits;
    for (unsigned i = 0; i < n; i++)
        sc_owf_vertex(c, x[i], w->lu + 2 * i);
    for (unsigned j = 0; j < m; j++)
        sc_owf_comb(c, x[n + j], w->lq + 2 * j, w->sq + 2 * j);
    for (size_t b = 0; b < w->sb; b++)
        byte_table(w->tab + 256 * b, w->lu + 16 * b, min8(n, b));
    for (size_t b = 0; b < w->fb; b++)
        byte_table(w->tab + 256 * (w->sb + b), w->lq + 16 * b, min8(m, b));
}

/* Fills w->term and answers the largest one. */
static double log_terms(const sc_params *p, const uint8_t *ftab, work *w)
{
    size_t nterms = (size_t)1 << p->seed_bits;
    const double *ftabs = w->tab + 256 * w->sb;
    double top = -INFINITY;
    for (size_t s = 0; s < nterms; s++) {
        const uint8_t *img = ftab + s * w->fb;
        double l = 0;
        for (size_t b = 0; b < w->sb; b++)
            l += w->tab[256 * b + ((s >> (8 * b)) & 255)];
        for (size_t b = 0; b < w->fb; b++)
            l += ftabs[256 * b + img[b]];
        w->term[s] = l;
        top = fmax(top, l);
    }
    return top;
}

static int exact_ready(const sc_dist *d, size_t npts, double t, work *w)
{
    if (!isfinite(t) || t < 0)
        return SC_EINVAL;
    if (d->params.seed_bits > SC_OWF_EXACT_MAX_SEED_BITS)
        return SC_ENOTSUP;
    return npts == 0 ? SC_OK : work_init(w, &d->params);
}

int sc_owf_exact_logpdf(const sc_dist *d, size_t npts, const double *x,
                        double t, double *out)
{
    const sc_params *p = &d->params;
    const sc_owf_priv *pv = d->priv;
    size_t nterms = (size_t)1 << p->seed_bits;
    sc_owf_time c;
    work w;
    int rc = exact_ready(d, npts, t, &w);
    if (rc != SC_OK || npts == 0)
        return rc;
    sc_owf_time_init(&c, p, pv->logz, t);
    for (size_t k = 0; k < npts; k++) {
        point_tables(p, &c, x + k * p->dim, &w);
        double top = log_terms(p, pv->ftab, &w), sum = 0;
        for (size_t s = 0; s < nterms; s++)
            sum += exp(w.term[s] - top);
        out[k] = top + log(sum) - p->seed_bits * M_LN2;
    }
    work_free(&w);
    return SC_OK;
}

/* acc[byte][value] = sum of the responsibilities of the terms whose
 * seed (then image) byte has that value. */
static void accumulate(const sc_params *p, const uint8_t *ftab, double top,
                       work *w)
{
    size_t nterms = (size_t)1 << p->seed_bits;
    double *facc = w->acc + 256 * w->sb;
    memset(w->acc, 0, 256 * (w->sb + w->fb) * sizeof(double));
    for (size_t s = 0; s < nterms; s++) {
        const uint8_t *img = ftab + s * w->fb;
        double r = exp(w->term[s] - top);
        for (size_t b = 0; b < w->sb; b++)
            w->acc[256 * b + ((s >> (8 * b)) & 255)] += r;
        for (size_t b = 0; b < w->fb; b++)
            facc[256 * b + img[b]] += r;
    }
}

/* Total responsibility of bit i clear (r[0]) and set (r[1]). */
static void bit_mass(const double *acc, unsigned i, double r[2])
{
    const double *a = acc + 256 * (i / 8);
    r[0] = r[1] = 0;
    for (unsigned v = 0; v < 256; v++)
        r[(v >> (i % 8)) & 1] += a[v];
}

static void exact_score_point(const sc_params *p, const sc_owf_time *c,
                              const double *x, const work *w, double *out)
{
    unsigned n = p->seed_bits;
    double r[2];
    for (unsigned i = 0; i < n; i++) {
        bit_mass(w->acc, i, r);
        out[i] = (c->mu * (r[1] - r[0]) / (r[0] + r[1]) - x[i]) / c->v;
    }
    for (unsigned j = 0; j < p->image_bits; j++) {
        const double *sq = w->sq + 2 * j;
        bit_mass(w->acc + 256 * w->sb, j, r);
        out[n + j] = (r[0] * sq[0] + r[1] * sq[1]) / (r[0] + r[1]);
    }
}

int sc_owf_score_exact(const sc_dist *d, size_t npts, const double *x,
                       double t, double *out)
{
    const sc_params *p = &d->params;
    const sc_owf_priv *pv = d->priv;
    sc_owf_time c;
    work w;
    int rc = exact_ready(d, npts, t, &w);
    if (rc != SC_OK || npts == 0)
        return rc;
    sc_owf_time_init(&c, p, pv->logz, t);
    for (size_t k = 0; k < npts; k++) {
        point_tables(p, &c, x + k * p->dim, &w);
        accumulate(p, pv->ftab, log_terms(p, pv->ftab, &w), &w);
        exact_score_point(p, &c, x + k * p->dim, &w, out + k * p->dim);
    }
    work_free(&w);
    return SC_OK;
}

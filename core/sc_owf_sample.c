/*
 * Sampling the owf family and the posterior game's measurement.
 *
 * One point reads its stream in a fixed order: one word for the seed
 * bits, the n seed normals, then per image coordinate one uniform for
 * its lattice point and one normal.  A measurement continues the same
 * stream with the m measurement normals, and again for every redraw.
 */
#include <math.h>
#include <stdlib.h>

#include "sc_owf.h"
#include "sc_owf_impl.h"
#include "sc_rng.h"

/* The window reaches 9 tau past the envelope's peak: exp(-81 / 2) <
 * 1e-17 of the mass lies outside it. */
#define LATTICE_REACH 9.0

static int lattice_init(sc_owf_lattice *l, const sc_params *p, double c)
{
    int64_t k = (int64_t)ceil(LATTICE_REACH * p->tau / p->delta) + 2;
    double sum = 0;
    l->kmin = -k - 1;
    l->len = (size_t)(2 * k + 2);
    l->cdf = malloc(l->len * sizeof(double));
    if (l->cdf == NULL)
        return SC_ENOMEM;
    for (size_t i = 0; i < l->len; i++) {
        double a = p->delta * ((double)(l->kmin + (int64_t)i) + c);
        sum += exp(-a * a / (2 * p->tau * p->tau));
        l->cdf[i] = sum;
    }
    for (size_t i = 0; i < l->len; i++)
        l->cdf[i] /= sum;
    l->cdf[l->len - 1] = 1;
    return SC_OK;
}

int sc_owf_lattice_init(sc_owf_priv *pv, const sc_params *p)
{
    int rc = lattice_init(&pv->lat[0], p, 0.0);
    return rc == SC_OK ? lattice_init(&pv->lat[1], p, 0.5) : rc;
}

void sc_owf_lattice_free(sc_owf_priv *pv)
{
    free(pv->lat[0].cdf);
    free(pv->lat[1].cdf);
}

/* k + b / 2 for the first cdf entry >= u: one word. */
static double lattice_draw(const sc_owf_lattice *l, double c, sc_stream *s)
{
    double u = sc_stream_uniform(s);
    size_t lo = 0, hi = l->len - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->cdf[mid] >= u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return (double)(l->kmin + (int64_t)lo) + c;
}

/* One point at OU time t from s's next words; answers its seed. */
static uint64_t draw_point(const sc_dist *d, double t, sc_stream *s,
                           double *out)
{
    const sc_params *p = &d->params;
    const sc_owf_priv *pv = d->priv;
    unsigned n = p->seed_bits;
    double e1 = exp(-t), mu = e1 * p->radius;
    double sd = sqrt(exp(-2 * t) * p->s0 * p->s0 - expm1(-2 * t));
    uint64_t w = sc_stream_u64(s);
    uint64_t x = n == 64 ? w : w & (((uint64_t)1 << n) - 1);
    uint8_t seed[8], img[SC_MAX_IMAGE_BITS / 8];
    sc_owf_pack_seed(x, n, seed);
    sc_owf_f(p->f_key, seed, n, p->image_bits, img);
    for (unsigned i = 0; i < n; i++)
        out[i] = ((x >> i) & 1 ? mu : -mu) + sd * sc_stream_normal(s);
    for (unsigned j = 0; j < p->image_bits; j++) {
        unsigned b = sc_owf_bit(img, j);
        double a = p->delta * lattice_draw(&pv->lat[b], 0.5 * b, s);
        out[n + j] = e1 * a + sd * sc_stream_normal(s);
    }
    return x;
}

int sc_owf_sample(const sc_dist *d, uint64_t first, size_t n, double t,
                  double *out)
{
    size_t dim = d->params.dim;
    sc_stream s;
    for (size_t i = 0; i < n; i++) {
        sc_stream_init(&s, d->sample_key, SC_STREAM_POINT, first + i);
        draw_point(d, t, &s, out + i * dim);
    }
    sc_stream_wipe(&s);
    return SC_OK;
}

/* The hidden sample solves its round: its orthant is its seed and
 * b_hat(y) = f(seed). */
static int solvable(const sc_dist *d, uint64_t x, const double *x_star,
                    const double *y)
{
    for (unsigned i = 0; i < d->params.seed_bits; i++)
        if ((x_star[i] > 0) != (int)((x >> i) & 1))
            return 0;
    return sc_owf_check_sample(d, y, x_star) == d->params.image_bits;
}

int sc_owf_measure(const sc_dist *d, const uint8_t key[SC_KEY_BYTES],
                   uint64_t id, double *x_star, double *y, unsigned *draws)
{
    const sc_params *p = &d->params;
    sc_stream s;
    int rc = SC_ERANGE;
    unsigned r;
    sc_stream_init(&s, key, SC_STREAM_GAME, id);
    for (r = 1; r <= SC_OWF_MAX_DRAWS && rc != SC_OK; r++) {
        uint64_t x = draw_point(d, 0.0, &s, x_star);
        for (unsigned j = 0; j < p->image_bits; j++)
            y[j] = x_star[p->seed_bits + j] + p->s_y * sc_stream_normal(&s);
        if (solvable(d, x, x_star, y))
            rc = SC_OK;
    }
    sc_stream_wipe(&s);
    if (draws != NULL)
        *draws = r - 1;
    return rc;
}

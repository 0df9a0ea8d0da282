/* The null family: N(0, I_d), unchanged by the OU process.  It has no
 * secret; challenges use it for the null rounds of distinguish. */
#include <math.h>
#include <stddef.h>

#include "sc_core.h"
#include "sc_rng.h"

#define HALF_LOG_2PI 0.91893853320467274178

static const sc_param_spec gaussian_spec[] = {
    {"dim", SC_PT_UINT, offsetof(sc_params, dim), 0, SC_PF_REQUIRED, 1,
     SC_MAX_DIM, "dimension d"},
};

static int gaussian_validate(sc_params *p, sc_error *err)
{
    if (p->dim < 1 || p->dim > SC_MAX_DIM)
        return sc_fail(err, "dim", "dim must be an integer in [1, %u]",
                       SC_MAX_DIM);
    return SC_OK;
}

static int gaussian_init(sc_dist *d, const uint8_t key[SC_KEY_BYTES])
{
    (void)d;
    (void)key;
    return SC_OK;
}

/* Point i: the first dim normals of its own stream. */
static int gaussian_sample(const sc_dist *d, uint64_t first, size_t n,
                           double t, double *out)
{
    size_t dim = d->params.dim;
    sc_stream s;
    (void)t;
    for (size_t i = 0; i < n; i++) {
        sc_stream_init(&s, d->sample_key, SC_STREAM_POINT, first + i);
        sc_stream_normals(&s, dim, out + i * dim);
    }
    sc_stream_wipe(&s);
    return SC_OK;
}

static int gaussian_logpdf(const sc_dist *d, size_t n, const double *x,
                           double t, double *out)
{
    size_t dim = d->params.dim;
    (void)t;
    for (size_t i = 0; i < n; i++) {
        const double *xi = x + i * dim;
        double q = 0;
        for (size_t j = 0; j < dim; j++)
            q += xi[j] * xi[j];
        double half = isinf(q) ? sc_half_norm2_scaled(xi, dim) : 0.5 * q;
        out[i] = -half - (double)dim * HALF_LOG_2PI;
    }
    return SC_OK;
}

static int gaussian_score(const sc_dist *d, size_t n, const double *x,
                          double t, double *out)
{
    size_t len = n * d->params.dim;
    (void)t;
    for (size_t i = 0; i < len; i++)
        out[i] = -x[i];
    return SC_OK;
}

const sc_family sc_family_gaussian = {
    .name = "gaussian",
    .spec = gaussian_spec,
    .nspec = sizeof gaussian_spec / sizeof gaussian_spec[0],
    .validate = gaussian_validate,
    .init = gaussian_init,
    .sample = gaussian_sample,
    .logpdf = gaussian_logpdf,
    .score = gaussian_score,
};

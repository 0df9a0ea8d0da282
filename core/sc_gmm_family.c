/*
 * The `gmm` family: K isotropic Gaussian components with secret means
 * m_i ~ N(0, spread^2 I_d) and public weights and variance (proto/API.md,
 * docs/MATH.md section 2).  The math lives in sc_gmm.c.
 *
 * Public parameters and defaults:
 *   dim         1 .. SC_MAX_DIM
 *   components  K, 1 .. SC_MAX_COMPONENTS, with K * dim <= 2^22
 *   spread      (0, 1e6], default 3 (absent or 0 means the default): in
 *               high dimension the means are then about 4.2 sqrt(d) apart
 *               against a component width of sqrt(d v)
 *   variance    [1e-6, 1e6], default 1 (absent or 0 means the default)
 *   weights     optional, K positive finite numbers, each at least 1e-300
 *               times the largest; validate normalises them to sum 1, so
 *               responses show the normalised weights.  Absent: 1/K each
 *               (and absent from responses).
 * Secret: the means, K x dim normals of stream (secret key,
 * SC_STREAM_SECRET, 0) in row-major order, times spread; then the weights.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "sc_core.h"
#include "sc_gmm.h"
#include "sc_rng.h"

#define GMM_MAX_CELLS (1u << 22) /* K * dim: 32 MiB of means */
#define DEFAULT_SPREAD 3.0
#define DEFAULT_VARIANCE 1.0
#define MAX_SPREAD 1e6
#define MIN_VARIANCE 1e-6
#define MAX_VARIANCE 1e6
#define MIN_WEIGHT_RATIO 1e-300

static const sc_param_spec gmm_spec[] = {
    {"dim", SC_PT_UINT, offsetof(sc_params, dim), 0, SC_PF_REQUIRED, 1,
     SC_MAX_DIM, "dimension d"},
    {"components", SC_PT_UINT, offsetof(sc_params, components), 0,
     SC_PF_REQUIRED, 1, SC_MAX_COMPONENTS,
     "number of components K (K * dim <= 4194304)"},
    {"spread", SC_PT_DOUBLE, offsetof(sc_params, spread), 0,
     SC_PF_MIN_OPEN, 0, MAX_SPREAD,
     "means ~ N(0, spread^2 I); default 3"},
    {"variance", SC_PT_DOUBLE, offsetof(sc_params, variance), 0, 0,
     MIN_VARIANCE, MAX_VARIANCE, "variance of every component; default 1"},
    {"weights", SC_PT_DVEC, offsetof(sc_params, weights),
     offsetof(sc_params, nweights), SC_PF_MIN_OPEN | SC_PF_OPTIONAL, 0,
     DBL_MAX, "K positive mixture weights, normalised to sum 1; "
              "default equal"},
};

static int validate_weights(sc_params *p, sc_error *err)
{
    double big = 0, sum = 0;
    if (p->weights == NULL && p->nweights == 0)
        return SC_OK;
    if (p->weights == NULL || p->nweights != p->components)
        return sc_fail(err, "weights",
                       "weights must list exactly components = %u numbers",
                       p->components);
    for (uint32_t i = 0; i < p->nweights; i++) {
        if (!(p->weights[i] > 0) || !isfinite(p->weights[i]))
            return sc_fail(err, "weights",
                           "weights must be finite and > 0 (weights[%u])",
                           i);
        big = fmax(big, p->weights[i]);
    }
    for (uint32_t i = 0; i < p->nweights; i++) {
        if (p->weights[i] < MIN_WEIGHT_RATIO * big)
            return sc_fail(err, "weights",
                           "every weight must be at least 1e-300 times "
                           "the largest (weights[%u])", i);
        sum += p->weights[i] / big;
    }
    for (uint32_t i = 0; i < p->nweights; i++)
        p->weights[i] = p->weights[i] / big / sum;
    return SC_OK;
}

static int gmm_validate(sc_params *p, sc_error *err)
{
    if (p->dim < 1 || p->dim > SC_MAX_DIM)
        return sc_fail(err, "dim", "dim must be an integer in [1, %u]",
                       SC_MAX_DIM);
    if (p->components < 1 || p->components > SC_MAX_COMPONENTS)
        return sc_fail(err, "components",
                       "components must be an integer in [1, %u]",
                       SC_MAX_COMPONENTS);
    if ((uint64_t)p->components * p->dim > GMM_MAX_CELLS)
        return sc_fail(err, "components",
                       "components * dim must be <= %u (here %u * %u)",
                       GMM_MAX_CELLS, p->components, p->dim);
    if (p->spread == 0)
        p->spread = DEFAULT_SPREAD;
    if (!(p->spread > 0 && p->spread <= MAX_SPREAD))
        return sc_fail(err, "spread", "spread must be in (0, 1e6]");
    if (p->variance == 0)
        p->variance = DEFAULT_VARIANCE;
    if (!(p->variance >= MIN_VARIANCE && p->variance <= MAX_VARIANCE))
        return sc_fail(err, "variance", "variance must be in [1e-6, 1e6]");
    return validate_weights(p, err);
}

static int gmm_init(sc_dist *d, const uint8_t key[SC_KEY_BYTES])
{
    const sc_params *p = &d->params;
    size_t cells = (size_t)p->components * p->dim;
    double *means = malloc(cells * sizeof *means);
    sc_gmm *g = malloc(sizeof *g);
    sc_stream s;
    int rc = SC_ENOMEM;

    if (means != NULL && g != NULL) {
        sc_stream_init(&s, key, SC_STREAM_SECRET, 0);
        sc_stream_normals(&s, cells, means);
        sc_stream_wipe(&s);
        for (size_t i = 0; i < cells; i++)
            means[i] *= p->spread;
        rc = sc_gmm_init(g, p->dim, p->components, p->variance, means,
                         p->weights);
    }
    free(means);
    if (rc != SC_OK) {
        free(g);
        return rc;
    }
    d->priv = g;
    return SC_OK;
}

static void gmm_fini(sc_dist *d)
{
    sc_gmm *g = d->priv;
    if (g != NULL) {
        sc_gmm_free(g);
        free(g);
        d->priv = NULL;
    }
}

static int gmm_sample(const sc_dist *d, uint64_t first, size_t n, double t,
                      double *out)
{
    sc_gmm_sample(d->priv, d->sample_key, first, n, t, out);
    return SC_OK;
}

static int gmm_logpdf(const sc_dist *d, size_t n, const double *x,
                      double t, double *out)
{
    return sc_gmm_logpdf(d->priv, n, x, t, out);
}

static int gmm_score(const sc_dist *d, size_t n, const double *x, double t,
                     double *out)
{
    return sc_gmm_score(d->priv, n, x, t, out);
}

static size_t gmm_secret(const sc_dist *d, sc_secret_view *v, size_t cap)
{
    const sc_gmm *g = d->priv;
    sc_secret_view all[2] = {
        {"means", g->means, g->k, g->dim, true},
        {"weights", g->weights, 1, g->k, false},
    };
    size_t n = cap < 2 ? cap : 2;
    for (size_t i = 0; i < n; i++)
        v[i] = all[i];
    return n;
}

/* The distances are one dgemm of n x dim by dim x K: about n dim K / 8
 * ns at OpenBLAS's pace here (make bench); sampling reads one mean. */
static int gmm_cost(const sc_dist *d, sc_oracle op, size_t n, double *work,
                    sc_error *err)
{
    (void)err;
    double pass = (double)n * (double)d->params.dim;
    *work = op == SC_ORACLE_SAMPLE
                ? pass
                : pass * (1.0 + (double)d->params.components / 8.0);
    return SC_OK;
}

const sc_family sc_family_gmm = {
    .name = "gmm",
    .spec = gmm_spec,
    .nspec = sizeof gmm_spec / sizeof gmm_spec[0],
    .validate = gmm_validate,
    .init = gmm_init,
    .fini = gmm_fini,
    .sample = gmm_sample,
    .logpdf = gmm_logpdf,
    .score = gmm_score,
    .secret = gmm_secret,
    .cost = gmm_cost,
};

/*
 * The `pancakes` family: Song's Gaussian pancakes (homogeneous CLWE) in
 * standard-normal units, optionally truncated to 2K+1 pancakes (the hard
 * GMM of Chewi et al.), docs/MATH.md section 1.  The 1-D numerics live
 * in sc_pancakes_kernel.c; this file holds the parameters, the secret,
 * the sampler and the batch loops.
 *
 * Batches are walked a row at a time, each row read once: a score batch
 * costs about what a copy of it does (bench/bench_pancakes.c).  The
 * projections are plain loops, not BLAS: a dgemv per block measured no
 * faster, and these sum in a fixed order on every machine.
 */
#include "sc_pancakes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sc_dgauss.h"
#include "sc_rng.h"

#define SC_HALF_LOG_2PI 0.91893853320467274178
/* Two doubles: at the baseline x86-64 ISA GCC leaves the plain loops over
 * a row scalar, and those passes set the speed. */
typedef double v2d __attribute__((vector_size(16)));

typedef struct pk_priv {
    double *u;     /* the secret unit direction, dim entries */
    double log_z;  /* log of the (truncated) normaliser of the weights */
    sc_dgauss dg;  /* k of the sampler */
} pk_priv;

static const sc_param_spec pancakes_spec[] = {
    {"dim", SC_PT_UINT, offsetof(sc_params, dim), 0, SC_PF_REQUIRED, 1,
     SC_MAX_DIM, "dimension d"},
    {"gamma", SC_PT_DOUBLE, offsetof(sc_params, gamma), 0, SC_PF_REQUIRED,
     SC_PK_GAMMA_MIN, SC_PK_GAMMA_MAX,
     "spacing parameter gamma: pancakes sqrt(2 pi)/(gamma sqrt(1+sigma^2))"
     " apart"},
    {"sigma", SC_PT_DOUBLE, offsetof(sc_params, sigma), 0, SC_PF_REQUIRED,
     SC_PK_SIGMA_MIN, SC_PK_SIGMA_MAX,
     "thickness sigma: a pancake has variance sigma^2/(1+sigma^2)"},
    {"components", SC_PT_UINT, offsetof(sc_params, components), 0, 0, 0,
     SC_MAX_COMPONENTS - 1,
     "0 = all pancakes, else an odd number 2K+1 kept (|k| <= K)"},
};

static int pancakes_validate(sc_params *p, sc_error *err)
{
    if (p->dim < 1 || p->dim > SC_MAX_DIM)
        return sc_fail(err, "dim", "dim must be an integer in [1, %u]",
                       SC_MAX_DIM);
    if (!(p->gamma >= SC_PK_GAMMA_MIN && p->gamma <= SC_PK_GAMMA_MAX))
        return sc_fail(err, "gamma",
                       "gamma must be a number in [%g, %g], the range "
                       "where scores and densities keep full accuracy",
                       SC_PK_GAMMA_MIN, SC_PK_GAMMA_MAX);
    if (!(p->sigma >= SC_PK_SIGMA_MIN && p->sigma <= SC_PK_SIGMA_MAX))
        return sc_fail(err, "sigma",
                       "sigma must be a number in [%g, %g], the range "
                       "where scores and densities keep full accuracy",
                       SC_PK_SIGMA_MIN, SC_PK_SIGMA_MAX);
    if (p->components % 2 == 0 ? p->components != 0
                               : p->components >= SC_MAX_COMPONENTS)
        return sc_fail(err, "components",
                       "components must be 0 (all pancakes) or an odd "
                       "integer in [1, %u]",
                       SC_MAX_COMPONENTS - 1);
    return SC_OK;
}

/* u: the first dim normals of the secret stream, normalised. */
static void draw_u(double *u, size_t dim, const uint8_t key[SC_KEY_BYTES])
{
    sc_stream s;
    double norm2;
    sc_stream_init(&s, key, SC_STREAM_SECRET, 0);
    do { /* an all-zero draw has probability 0; redraw if it happens */
        sc_stream_normals(&s, dim, u);
        norm2 = 0;
        for (size_t j = 0; j < dim; j++)
            norm2 += u[j] * u[j];
    } while (!(norm2 > 0));
    sc_stream_wipe(&s);
    double inv = 1 / sqrt(norm2);
    for (size_t j = 0; j < dim; j++)
        u[j] *= inv;
}

static int64_t kmax_of(const sc_params *p)
{
    return p->components == 0 ? -1 : (int64_t)(p->components - 1) / 2;
}

static void pancakes_fini(sc_dist *d)
{
    pk_priv *pk = d->priv;
    if (pk == NULL)
        return;
    sc_dgauss_free(&pk->dg);
    free(pk->u);
    free(pk);
    d->priv = NULL;
}

static int pancakes_init(sc_dist *d, const uint8_t key[SC_KEY_BYTES])
{
    const sc_params *p = &d->params;
    pk_priv *pk = calloc(1, sizeof *pk);
    if (pk == NULL)
        return SC_ENOMEM;
    d->priv = pk;
    pk->u = malloc(p->dim * sizeof *pk->u);
    int rc = pk->u == NULL ? SC_ENOMEM
                           : sc_dgauss_init_trunc(&pk->dg, p->gamma,
                                                  kmax_of(p));
    if (rc != SC_OK) {
        pancakes_fini(d);
        return rc;
    }
    draw_u(pk->u, p->dim, key);
    pk->log_z = log(sc_dgauss_norm(p->gamma, kmax_of(p)));
    return SC_OK;
}

void sc_pancakes_set_u(sc_dist *d, const double *u)
{
    pk_priv *pk = d->priv;
    memcpy(pk->u, u, d->params.dim * sizeof *u);
}

static void time_init(const sc_dist *d, double t, sc_pk_time *tc)
{
    const sc_params *p = &d->params;
    const pk_priv *pk = d->priv;
    sc_pk_time_init(tc, p->gamma, p->sigma, p->components, pk->log_z, t);
}

/* <x, u> summed in index order: samples must be the same bits on every
 * machine, which a BLAS kernel chosen at run time does not promise. */
static double dot_ordered(const double *x, const double *u, size_t dim)
{
    double s = 0;
    for (size_t j = 0; j < dim; j++)
        s += x[j] * u[j];
    return s;
}

/*
 * Point i, from its own stream: word 0 picks the pancake k, then one
 * normal g places z = a k + sqrt(v) g along u, then dim normals xi give
 * x = xi + (z - <xi, u>) u.
 */
static int pancakes_sample(const sc_dist *d, uint64_t first, size_t n,
                           double t, double *out)
{
    const pk_priv *pk = d->priv;
    size_t dim = d->params.dim;
    sc_pk_time tc;
    sc_stream s;
    time_init(d, t, &tc);
    double sd = sqrt(tc.v);
    for (size_t i = 0; i < n; i++) {
        double *xi = out + i * dim;
        sc_stream_init(&s, d->sample_key, SC_STREAM_POINT, first + i);
        double k = (double)sc_dgauss_draw(&pk->dg, &s);
        double z = tc.a * k + sd * sc_stream_normal(&s);
        sc_stream_normals(&s, dim, xi);
        double shift = z - dot_ordered(xi, pk->u, dim);
        for (size_t j = 0; j < dim; j++)
            xi[j] += shift * pk->u[j];
    }
    sc_stream_wipe(&s);
    return SC_OK;
}

/* <x, u> and |x|^2 in one pass, with two-wide partial sums (see v2d). */
static void dot_norm2(const double *restrict x, const double *restrict u,
                      size_t dim, double *dot, double *nrm2)
{
    v2d d0 = {0, 0}, d1 = {0, 0}, n0 = {0, 0}, n1 = {0, 0};
    size_t j = 0;
    for (; j + 4 <= dim; j += 4) {
        v2d x0, x1, u0, u1;
        memcpy(&x0, x + j, sizeof x0);
        memcpy(&x1, x + j + 2, sizeof x1);
        memcpy(&u0, u + j, sizeof u0);
        memcpy(&u1, u + j + 2, sizeof u1);
        d0 += x0 * u0;
        d1 += x1 * u1;
        n0 += x0 * x0;
        n1 += x1 * x1;
    }
    double sd = (d0[0] + d1[0]) + (d0[1] + d1[1]);
    double sn = (n0[0] + n1[0]) + (n0[1] + n1[1]);
    for (; j < dim; j++) {
        sd += x[j] * u[j];
        sn += x[j] * x[j];
    }
    *dot = sd;
    *nrm2 = sn;
}

static int pancakes_logpdf(const sc_dist *d, size_t n, const double *x,
                           double t, double *out)
{
    const pk_priv *pk = d->priv;
    size_t dim = d->params.dim;
    sc_pk_time tc;
    time_init(d, t, &tc);
    double base = tc.log_const - (double)dim * SC_HALF_LOG_2PI;
    for (size_t i = 0; i < n; i++) {
        double z, nrm2, log_s, dk;
        dot_norm2(x + i * dim, pk->u, dim, &z, &nrm2);
        sc_pk_kernel(&tc, tc.kappa * z, &log_s, &dk);
        double half = isinf(nrm2) ? sc_half_norm2_scaled(x + i * dim, dim)
                                  : 0.5 * nrm2;
        out[i] = base + log_s - half;
    }
    return SC_OK;
}

/* out = c u - x, answering <y, u>: the write of one row and the
 * projection of the next share one pass, so a score batch streams like a
 * copy. */
static double shift_row(double *restrict out, const double *restrict x,
                        const double *restrict y, const double *restrict u,
                        double c, size_t dim)
{
    v2d cv = {c, c}, s0 = {0, 0}, s1 = {0, 0};
    size_t j = 0;
    for (; j + 4 <= dim; j += 4) {
        v2d x0, x1, y0, y1, u0, u1;
        memcpy(&x0, x + j, sizeof x0);
        memcpy(&x1, x + j + 2, sizeof x1);
        memcpy(&y0, y + j, sizeof y0);
        memcpy(&y1, y + j + 2, sizeof y1);
        memcpy(&u0, u + j, sizeof u0);
        memcpy(&u1, u + j + 2, sizeof u1);
        s0 += y0 * u0;
        s1 += y1 * u1;
        v2d r0 = cv * u0 - x0, r1 = cv * u1 - x1;
        memcpy(out + j, &r0, sizeof r0);
        memcpy(out + j + 2, &r1, sizeof r1);
    }
    double dot = (s0[0] + s1[0]) + (s0[1] + s1[1]);
    for (; j < dim; j++) {
        dot += y[j] * u[j];
        out[j] = c * u[j] - x[j];
    }
    return dot;
}

/* grad log P_t(x) = -x + c u with c = a (kbar - k*) / v.  Row i is
 * written in the pass that projects row i + 1; the last row's pass
 * projects itself again, unused. */
static int pancakes_score(const sc_dist *d, size_t n, const double *x,
                          double t, double *out)
{
    const double *u = ((const pk_priv *)d->priv)->u;
    size_t dim = d->params.dim;
    sc_pk_time tc;
    time_init(d, t, &tc);
    if (n == 0)
        return SC_OK;
    double z, unused;
    dot_norm2(x, u, dim, &z, &unused);
    for (size_t i = 0; i < n; i++) {
        double dk;
        const double *xi = x + i * dim;
        sc_pk_kernel(&tc, tc.kappa * z, NULL, &dk);
        z = shift_row(out + i * dim, xi, i + 1 < n ? xi + dim : xi, u,
                      tc.a_over_v * dk, dim);
    }
    return SC_OK;
}

static size_t pancakes_secret(const sc_dist *d, sc_secret_view *v,
                              size_t cap)
{
    const pk_priv *pk = d->priv;
    if (cap < 1)
        return 1;
    v[0] = (sc_secret_view){.name = "u", .data = pk->u, .rows = 1,
                            .cols = d->params.dim, .matrix = false};
    return 1;
}

const sc_family sc_family_pancakes = {
    .name = "pancakes",
    .spec = pancakes_spec,
    .nspec = sizeof pancakes_spec / sizeof pancakes_spec[0],
    .validate = pancakes_validate,
    .init = pancakes_init,
    .fini = pancakes_fini,
    .sample = pancakes_sample,
    .logpdf = pancakes_logpdf,
    .score = pancakes_score,
    .secret = pancakes_secret,
};

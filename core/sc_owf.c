/* The owf family: parameters, f, the fast score and the inversion
 * predicate.  See sc_owf.h; sampling and the measurement are in
 * sc_owf_sample.c, the exact sums in sc_owf_exact.c. */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "sc_owf.h"
#include "sc_owf_impl.h"
#include "sc_rng.h"

/* The secret key -> f_key derivation, when the request gives none. */
#define OWF_CTX_FKEY "scowfkey"

#define DEF_RADIUS 4.0
#define DEF_DELTA 0.5
#define DEF_TAU 2.5
#define DEF_NOISE 0.01

#define OFF(f) offsetof(sc_params, f)

static const sc_param_spec owf_spec[] = {
    {"seed_bits", SC_PT_UINT, OFF(seed_bits), 0, SC_PF_REQUIRED, 1,
     SC_MAX_SEED_BITS, "seed bits n"},
    {"image_bits", SC_PT_UINT, OFF(image_bits), 0, SC_PF_REQUIRED, 1,
     SC_MAX_IMAGE_BITS, "image bits m"},
    {"radius", SC_PT_DOUBLE, OFF(radius), 0, SC_PF_MIN_OPEN, 0,
     SC_OWF_MAX_RADIUS, "seed vertex radius R (default 4)"},
    {"delta", SC_PT_DOUBLE, OFF(delta), 0, SC_PF_MIN_OPEN, 0,
     SC_OWF_MAX_DELTA, "lattice step (default 0.5)"},
    {"tau", SC_PT_DOUBLE, OFF(tau), 0, SC_PF_MIN_OPEN, 0, SC_OWF_MAX_TAU,
     "lattice envelope (default 2.5)"},
    {"s0", SC_PT_DOUBLE, OFF(s0), 0, SC_PF_MIN_OPEN, 0, SC_OWF_MAX_NOISE,
     "intrinsic noise (default 0.01)"},
    {"s_y", SC_PT_DOUBLE, OFF(s_y), 0, SC_PF_MIN_OPEN, 0, SC_OWF_MAX_NOISE,
     "measurement noise (default 0.01)"},
    {"f_key", SC_PT_HEX32, OFF(f_key), 0, SC_PF_OUTPUT, 0, 0,
     "public key of f (BLAKE2b)"},
};

/* 0 stands for "not given": the wire refuses an explicit 0 (MIN_OPEN). */
static int check_positive(double *x, double def, double max,
                          const char *name, sc_error *err)
{
    if (*x == 0)
        *x = def;
    if (!(*x > 0 && *x <= max))
        return sc_fail(err, name, "%s must be in (0, %g]", name, max);
    return SC_OK;
}

static int check_scalars(sc_params *p, sc_error *err)
{
    int rc = check_positive(&p->radius, DEF_RADIUS, SC_OWF_MAX_RADIUS,
                            "radius", err);
    if (rc == SC_OK)
        rc = check_positive(&p->delta, DEF_DELTA, SC_OWF_MAX_DELTA,
                            "delta", err);
    if (rc == SC_OK)
        rc = check_positive(&p->tau, DEF_TAU, SC_OWF_MAX_TAU, "tau", err);
    if (rc == SC_OK)
        rc = check_positive(&p->s0, DEF_NOISE, SC_OWF_MAX_NOISE, "s0", err);
    if (rc == SC_OK)
        rc = check_positive(&p->s_y, DEF_NOISE, SC_OWF_MAX_NOISE, "s_y",
                            err);
    if (rc == SC_OK && p->tau > SC_OWF_MAX_TAU_RATIO * p->delta)
        return sc_fail(err, "tau", "tau must be in (0, %g] for delta = %g "
                       "(at most %g delta)", SC_OWF_MAX_TAU_RATIO * p->delta,
                       p->delta, SC_OWF_MAX_TAU_RATIO);
    return rc;
}

/* The largest total phase noise sqrt(s0^2 + s_y^2) with which all m
 * phases of a measurement read right with probability >= 1/2:
 * erfc(z / sqrt 2) = 1 - 2^{-1/m} at z = delta / (4 sigma). */
static double max_phase_noise(double delta, unsigned m)
{
    double want = -expm1(-M_LN2 / m), lo = 0, hi = 40;
    for (int i = 0; i < 80; i++) {
        double mid = 0.5 * (lo + hi);
        if (erfc(mid / M_SQRT2) > want)
            lo = mid;
        else
            hi = mid;
    }
    return delta / (4 * hi);
}

static int check_phase_noise(const sc_params *p, sc_error *err)
{
    double smax = max_phase_noise(p->delta, p->image_bits);
    if (p->s0 >= smax)
        return sc_fail(err, "s0", "s0 must be in (0, %.4g) for delta = %g "
                       "and image_bits = %u, so that a measurement's phases "
                       "read right with probability >= 1/2", smax, p->delta,
                       p->image_bits);
    double symax = sqrt(smax * smax - p->s0 * p->s0);
    if (p->s_y > symax)
        return sc_fail(err, "s_y", "s_y must be in (0, %.4g] for delta = "
                       "%g, s0 = %g and image_bits = %u, so that a "
                       "measurement's phases read right with probability "
                       ">= 1/2", symax, p->delta, p->s0, p->image_bits);
    return SC_OK;
}

static int owf_validate(sc_params *p, sc_error *err)
{
    double t_switch;
    if (p->seed_bits < 1 || p->seed_bits > SC_MAX_SEED_BITS)
        return sc_fail(err, "seed_bits", "seed_bits must be an integer in "
                       "[1, %u]", SC_MAX_SEED_BITS);
    if (p->image_bits < 1 || p->image_bits > SC_MAX_IMAGE_BITS)
        return sc_fail(err, "image_bits", "image_bits must be an integer "
                       "in [1, %u]", SC_MAX_IMAGE_BITS);
    p->dim = p->seed_bits + p->image_bits;
    int rc = check_scalars(p, err);
    if (rc == SC_OK)
        rc = check_phase_noise(p, err);
    if (rc == SC_OK)
        rc = sc_owf_regimes(p, &t_switch, err);
    return rc;
}

static void owf_fini(sc_dist *d)
{
    sc_owf_priv *pv = d->priv;
    if (pv == NULL)
        return;
    sc_owf_lattice_free(pv);
    free(pv->ftab);
    free(pv);
    d->priv = NULL;
}

static int owf_init(sc_dist *d, const uint8_t key[SC_KEY_BYTES])
{
    sc_params *p = &d->params;
    sc_owf_priv *pv = calloc(1, sizeof *pv);
    if (pv == NULL)
        return SC_ENOMEM;
    d->priv = pv;
    if (!p->has_f_key) {
        sc_kdf(p->f_key, key, 0, OWF_CTX_FKEY);
        p->has_f_key = true;
    }
    sc_owf_logz(p, pv->logz);
    int rc = sc_owf_regimes(p, &pv->t_switch, NULL);
    if (rc == SC_OK)
        rc = sc_owf_lattice_init(pv, p);
    if (rc == SC_OK && p->seed_bits <= SC_OWF_EXACT_MAX_SEED_BITS)
        rc = sc_owf_ftab_init(pv, p);
    if (rc != SC_OK)
        owf_fini(d);
    return rc;
}

void sc_owf_pack_seed(uint64_t x, unsigned n, uint8_t *bytes)
{
    for (size_t b = 0; b < sc_owf_bytes(n); b++)
        bytes[b] = (uint8_t)(x >> (8 * b));
}

void sc_owf_f(const uint8_t f_key[SC_KEY_BYTES], const uint8_t *seed_bytes,
              unsigned n, unsigned m, uint8_t *bits_out)
{
    uint8_t h[64];
    crypto_generichash(h, sizeof h, seed_bytes, sc_owf_bytes(n), f_key,
                       SC_KEY_BYTES);
    memcpy(bits_out, h, sc_owf_bytes(m));
    if (m % 8 != 0)
        bits_out[m / 8] &= (uint8_t)((1u << (m % 8)) - 1);
}

double sc_owf_switch_time(const sc_dist *d)
{
    const sc_owf_priv *pv = d->priv;
    return pv->t_switch;
}

/* Below the switch: the orthant's f(x_hat) fixes each phase.  From it on:
 * the score of the phase-averaged comb (q_0 + q_1) / 2. */
static void score_point(const sc_dist *d, const sc_owf_time *c,
                        bool orthant, const double *x, double *out)
{
    const sc_params *p = &d->params;
    unsigned n = p->seed_bits;
    uint64_t xhat = 0;
    uint8_t seed[8], img[SC_MAX_IMAGE_BITS / 8];
    for (unsigned i = 0; i < n; i++) {
        out[i] = sc_owf_vertex_score(c, x[i]);
        xhat |= (uint64_t)(x[i] > 0) << i;
    }
    if (orthant) {
        sc_owf_pack_seed(xhat, n, seed);
        sc_owf_f(p->f_key, seed, n, p->image_bits, img);
    }
    for (unsigned j = 0; j < p->image_bits; j++) {
        double lq;
        if (orthant)
            sc_owf_comb_one(c, x[n + j], sc_owf_bit(img, j), &lq,
                            &out[n + j]);
        else
            out[n + j] = sc_owf_comb_blur(c, x[n + j]);
    }
}

static int owf_score(const sc_dist *d, size_t npts, const double *x,
                     double t, double *out)
{
    const sc_owf_priv *pv = d->priv;
    size_t dim = d->params.dim;
    sc_owf_time c;
    sc_owf_time_init(&c, &d->params, pv->logz, t);
    for (size_t k = 0; k < npts; k++)
        score_point(d, &c, t < pv->t_switch, x + k * dim, out + k * dim);
    return SC_OK;
}

void sc_owf_bhat(const sc_dist *d, const double *y, uint8_t *bits)
{
    unsigned m = d->params.image_bits;
    memset(bits, 0, sc_owf_bytes(m));
    for (unsigned j = 0; j < m; j++) {
        double r = nearbyint(2 * y[j] / d->params.delta);
        if (fmod(fabs(r), 2.0) == 1.0)
            bits[j / 8] |= (uint8_t)(1u << (j % 8));
    }
}

/* Image bits of f(seed) that agree with b_hat(y). */
static unsigned matched(const sc_dist *d, const double *y,
                        const uint8_t *seed)
{
    unsigned m = d->params.image_bits, same = 0;
    uint8_t want[SC_MAX_IMAGE_BITS / 8], got[SC_MAX_IMAGE_BITS / 8];
    sc_owf_bhat(d, y, want);
    sc_owf_f(d->params.f_key, seed, d->params.seed_bits, m, got);
    for (unsigned j = 0; j < m; j++)
        same += sc_owf_bit(want, j) == sc_owf_bit(got, j);
    return same;
}

unsigned sc_owf_check_sample(const sc_dist *d, const double *y,
                             const double *x)
{
    unsigned n = d->params.seed_bits;
    uint64_t s = 0;
    uint8_t seed[8];
    for (unsigned i = 0; i < n; i++)
        s |= (uint64_t)(x[i] > 0) << i;
    sc_owf_pack_seed(s, n, seed);
    return matched(d, y, seed);
}

int sc_owf_check_seed(const sc_dist *d, const double *y,
                      const uint8_t *seed, size_t seed_len)
{
    unsigned n = d->params.seed_bits;
    if (seed_len != sc_owf_bytes(n))
        return SC_EINVAL;
    if (n % 8 != 0 && (seed[n / 8] >> (n % 8)) != 0)
        return SC_EINVAL;
    return (int)matched(d, y, seed);
}

/* Measured in make bench: the fast sampler and score cost about 40 ns
 * per coordinate; the exact density about 12 ns per point and term. */
static int owf_cost(const sc_dist *d, sc_oracle op, size_t n, double *work,
                    sc_error *err)
{
    const sc_params *p = &d->params;
    *work = 40.0 * (double)n * (double)p->dim;
    if (op != SC_ORACLE_LOGPDF)
        return SC_OK;
    if (p->seed_bits > SC_OWF_EXACT_MAX_SEED_BITS) {
        sc_fail(err, "seed_bits", "logpdf of owf is the exact 2^n-term "
                "sum, served for seed_bits <= %u only",
                SC_OWF_EXACT_MAX_SEED_BITS);
        return SC_ENOTSUP;
    }
    *work += 12.0 * (double)n * ldexp(1.0, (int)p->seed_bits);
    return SC_OK;
}

const sc_family sc_family_owf = {
    .name = "owf",
    .spec = owf_spec,
    .nspec = sizeof owf_spec / sizeof owf_spec[0],
    .validate = owf_validate,
    .init = owf_init,
    .fini = owf_fini,
    .sample = sc_owf_sample,
    .logpdf = sc_owf_exact_logpdf,
    .score = owf_score,
    .cost = owf_cost,
};

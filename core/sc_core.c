/* The family-independent part of core: errors, params, dispatch with
 * argument checks.  See sc_core.h. */
#include "sc_core.h"
#include "sc_rng.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* Largest batch a single call accepts (points); keeps n * dim in size_t
 * and bounds work per request. */
#define SC_MAX_POINTS (1u << 24)

int sc_fail(sc_error *err, const char *field, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        snprintf(err->field, sizeof err->field, "%s", field);
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return SC_EINVAL;
}

double sc_half_norm2_scaled(const double *x, size_t n)
{
    double s = 0;
    for (size_t j = 0; j < n; j++) {
        double y = ldexp(x[j], -600);
        s += y * y;
    }
    return ldexp(0.5 * s, 1200);
}

void sc_params_clear(sc_params *p)
{
    free(p->weights);
    memset(p, 0, sizeof *p);
}

int sc_params_copy(sc_params *dst, const sc_params *src)
{
    *dst = *src;
    dst->weights = NULL;
    if (src->weights != NULL && src->nweights > 0) {
        size_t bytes = (size_t)src->nweights * sizeof(double);
        dst->weights = malloc(bytes);
        if (dst->weights == NULL) {
            dst->nweights = 0;
            return SC_ENOMEM;
        }
        memcpy(dst->weights, src->weights, bytes);
    }
    return SC_OK;
}

const sc_family *sc_family_find(const char *name)
{
    for (size_t i = 0; sc_families[i] != NULL; i++)
        if (strcmp(sc_families[i]->name, name) == 0)
            return sc_families[i];
    return NULL;
}

int sc_dist_new(const sc_family *fam, const sc_params *p,
                const uint8_t key[SC_KEY_BYTES], sc_dist **out,
                sc_error *err)
{
    *out = NULL;
    sc_dist *d = calloc(1, sizeof *d);
    if (d == NULL)
        return SC_ENOMEM;
    d->fam = fam;
    int rc = sc_params_copy(&d->params, p);
    if (rc == SC_OK)
        rc = fam->validate(&d->params, err);
    if (rc == SC_OK) {
        uint8_t secret_key[SC_KEY_BYTES];
        sc_kdf(secret_key, key, 0, SC_CTX_SECRET);
        sc_kdf(d->sample_key, key, 0, SC_CTX_SAMPLE);
        rc = fam->init(d, secret_key);
        sodium_memzero(secret_key, sizeof secret_key);
    }
    if (rc != SC_OK) {
        sc_params_clear(&d->params);
        free(d);
        return rc;
    }
    *out = d;
    return SC_OK;
}

void sc_dist_free(sc_dist *d)
{
    if (d == NULL)
        return;
    if (d->fam->fini != NULL)
        d->fam->fini(d);
    sodium_memzero(d->sample_key, sizeof d->sample_key);
    sc_params_clear(&d->params);
    free(d);
}

static int check_call(size_t n, double t)
{
    if (!isfinite(t) || t < 0)
        return SC_EINVAL;
    if (n > SC_MAX_POINTS)
        return SC_ERANGE;
    return SC_OK;
}

int sc_dist_sample(const sc_dist *d, uint64_t first, size_t n, double t,
                   double *out)
{
    int rc = check_call(n, t);
    return rc != SC_OK ? rc : d->fam->sample(d, first, n, t, out);
}

int sc_dist_logpdf(const sc_dist *d, size_t n, const double *x, double t,
                   double *out)
{
    int rc = check_call(n, t);
    return rc != SC_OK ? rc : d->fam->logpdf(d, n, x, t, out);
}

int sc_dist_score(const sc_dist *d, size_t n, const double *x, double t,
                  double *out)
{
    int rc = check_call(n, t);
    return rc != SC_OK ? rc : d->fam->score(d, n, x, t, out);
}

int sc_dist_cost(const sc_dist *d, sc_oracle op, size_t n, double *work,
                 sc_error *err)
{
    if (d->fam->cost != NULL)
        return d->fam->cost(d, op, n, work, err);
    *work = (double)n * (double)d->params.dim;
    return SC_OK;
}

size_t sc_dist_secret(const sc_dist *d, sc_secret_view *v, size_t cap)
{
    return d->fam->secret != NULL ? d->fam->secret(d, v, cap) : 0;
}

static void put_le64(uint8_t *b, double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(u >> (8 * i));
}

size_t sc_dist_secret_bytes(const sc_dist *d, uint8_t *buf, size_t cap)
{
    sc_secret_view v[4];
    size_t nv = sc_dist_secret(d, v, 4), need = 0;
    for (size_t i = 0; i < nv; i++) {
        size_t cnt = v[i].rows * v[i].cols;
        for (size_t j = 0; j < cnt; j++, need += 8)
            if (need + 8 <= cap)
                put_le64(buf + need, v[i].data[j]);
    }
    return need;
}

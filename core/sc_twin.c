/* Twin distributions of challenge rounds.  See sc_twin.h. */
#include "sc_twin.h"

#include <stdlib.h>
#include <string.h>

/* Doubles of scratch per chunk: small enough to stay in cache, large
 * enough that the per-chunk calls cost nothing. */
#define CHUNK_DOUBLES 65536u

typedef struct twin {
    sc_dist *side[2]; /* planted, null */
    int served;       /* index into side */
} twin;

/* Points per chunk for rows of `width` doubles. */
static size_t chunk_points(size_t width)
{
    size_t n = CHUNK_DOUBLES / (width > 0 ? width : 1);
    return n > 0 ? n : 1;
}

/* One operation on one side: rows [first, first + n) of its output. */
typedef int (*side_op)(const sc_dist *d, uint64_t first, size_t n,
                       double t, const double *x, double *out);

static int op_sample(const sc_dist *d, uint64_t first, size_t n, double t,
                     const double *x, double *out)
{
    (void)x;
    return sc_dist_sample(d, first, n, t, out);
}

static int op_logpdf(const sc_dist *d, uint64_t first, size_t n, double t,
                     const double *x, double *out)
{
    (void)first;
    return sc_dist_logpdf(d, n, x, t, out);
}

static int op_score(const sc_dist *d, uint64_t first, size_t n, double t,
                    const double *x, double *out)
{
    (void)first;
    return sc_dist_score(d, n, x, t, out);
}

/*
 * Runs op on both sides chunk by chunk: x has rows of in_w doubles (NULL
 * for sampling), out rows of out_w.  The served side writes into out,
 * the other into scratch; the planted side always runs first and its
 * error wins.
 */
static int run_both(const sc_dist *d, side_op op, uint64_t first, size_t n,
                    double t, const double *x, size_t in_w, double *out,
                    size_t out_w)
{
    const twin *tw = d->priv;
    size_t step = chunk_points(out_w);
    double *scratch = malloc(step * out_w * sizeof *scratch);
    if (scratch == NULL)
        return SC_ENOMEM;
    int rc = SC_OK;
    for (size_t i = 0; i < n && rc == SC_OK; i += step) {
        size_t cnt = n - i < step ? n - i : step;
        const double *xi = x != NULL ? x + i * in_w : NULL;
        double *dst[2];
        dst[tw->served] = out + i * out_w;
        dst[1 - tw->served] = scratch;
        rc = op(tw->side[0], first + i, cnt, t, xi, dst[0]);
        int rc_null = op(tw->side[1], first + i, cnt, t, xi, dst[1]);
        if (rc == SC_OK)
            rc = rc_null;
    }
    free(scratch);
    return rc;
}

static int twin_sample(const sc_dist *d, uint64_t first, size_t n,
                       double t, double *out)
{
    size_t dim = sc_dist_dim(d);
    return run_both(d, op_sample, first, n, t, NULL, 0, out, dim);
}

static int twin_logpdf(const sc_dist *d, size_t n, const double *x,
                       double t, double *out)
{
    return run_both(d, op_logpdf, 0, n, t, x, sc_dist_dim(d), out, 1);
}

static int twin_score(const sc_dist *d, size_t n, const double *x,
                      double t, double *out)
{
    size_t dim = sc_dist_dim(d);
    return run_both(d, op_score, 0, n, t, x, dim, out, dim);
}

static size_t twin_secret(const sc_dist *d, sc_secret_view *v, size_t cap)
{
    const twin *tw = d->priv;
    return sc_dist_secret(tw->side[tw->served], v, cap);
}

/* Both sides run, and the planted side decides what is refused, so
 * planted and null rounds refuse alike. */
static int twin_cost(const sc_dist *d, sc_oracle op, size_t n,
                     double *work, sc_error *err)
{
    const twin *tw = d->priv;
    double w[2];
    int rc = sc_dist_cost(tw->side[0], op, n, &w[0], err);
    if (rc == SC_OK)
        rc = sc_dist_cost(tw->side[1], op, n, &w[1], err);
    *work = rc == SC_OK ? w[0] + w[1] : 0;
    return rc;
}

static void twin_fini(sc_dist *d)
{
    twin *tw = d->priv;
    sc_dist_free(tw->side[0]);
    sc_dist_free(tw->side[1]);
    free(tw);
}

/* Not in sc_families: only sc_twin_new makes one. */
static const sc_family twin_family = {
    .name = "twin",
    .fini = twin_fini,
    .sample = twin_sample,
    .logpdf = twin_logpdf,
    .score = twin_score,
    .secret = twin_secret,
    .cost = twin_cost,
};

int sc_twin_new(sc_dist *planted, sc_dist *null, bool serve_null,
                sc_dist **out)
{
    *out = NULL;
    sc_dist *d = calloc(1, sizeof *d);
    twin *tw = calloc(1, sizeof *tw);
    int rc = d != NULL && tw != NULL ? SC_OK : SC_ENOMEM;
    if (rc == SC_OK && sc_dist_dim(planted) != sc_dist_dim(null))
        rc = SC_EINVAL;
    const sc_dist *served = serve_null ? null : planted;
    if (rc == SC_OK)
        rc = sc_params_copy(&d->params, &served->params);
    if (rc != SC_OK) {
        if (d != NULL)
            sc_params_clear(&d->params);
        free(d);
        free(tw);
        sc_dist_free(planted);
        sc_dist_free(null);
        return rc;
    }
    tw->side[0] = planted;
    tw->side[1] = null;
    tw->served = serve_null ? 1 : 0;
    d->fam = &twin_family;
    memcpy(d->sample_key, served->sample_key, sizeof d->sample_key);
    d->priv = tw;
    *out = d;
    return SC_OK;
}

const sc_dist *sc_twin_served(const sc_dist *d)
{
    if (d->fam != &twin_family)
        return d;
    const twin *tw = d->priv;
    return tw->side[tw->served];
}

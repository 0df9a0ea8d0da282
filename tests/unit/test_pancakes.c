/*
 * The pancakes family against independent computations: the 50-digit
 * vectors of tests/vectors/pancakes.json, long-double sums written
 * straight from docs/MATH.md section 1 (the mixture over k, not the
 * completed square the family uses), finite differences, quadrature,
 * and statistical tests of the sampler with fixed keys.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sc_core.h"
#include "core/sc_pancakes.h"
#include "core/sc_rng.h"
#include "vectors.h"

#define PI_L 3.141592653589793238462643383279502884L
#define EPS 0x1p-52

static sc_dist *make(uint32_t dim, double gamma, double sigma,
                     uint32_t components, uint8_t key_byte)
{
    sc_params p = {.dim = dim, .gamma = gamma, .sigma = sigma,
                   .components = components};
    uint8_t key[SC_KEY_BYTES] = {key_byte, 0x9a, 0x11};
    sc_dist *d = NULL;
    sc_error err;
    int rc = sc_dist_new(&sc_family_pancakes, &p, key, &d, &err);
    if (rc != SC_OK)
        fail_msg("sc_dist_new: %s: %s", err.field, err.message);
    return d;
}

static const double *secret_u(const sc_dist *d)
{
    sc_secret_view v[2];
    assert_int_equal(sc_dist_secret(d, v, 2), 1);
    assert_string_equal(v[0].name, "u");
    assert_int_equal(v[0].cols, sc_dist_dim(d));
    return v[0].data;
}

/* ---- the brute-force reference: MATH.md section 1 in long double ---- */

typedef struct bf_law {
    long double a;     /* mu_k(t) = a k */
    long double v;     /* v_t */
    long double log_z; /* log sum_{|k| <= kmax} exp(-pi k^2 / gamma^2) */
    long double g2;    /* gamma^2 */
    long double kmax;  /* truncation, or -1 */
} bf_law;

typedef struct bf_val {
    long double logp1; /* log p1_t(z) */
    long double g;     /* d/dz log p1_t */
    long double dg;    /* d^2/dz^2 log p1_t */
    long double gabs;  /* sum_k r_k |mu_k - z| / v: the size of what
                        * cancels in g, the scale of an absolute error */
} bf_val;

static void bf_init(bf_law *b, double gamma, double sigma,
                    uint32_t components, double t)
{
    long double s2 = (long double)sigma * sigma;
    b->g2 = (long double)gamma * gamma;
    b->a = expl(-(long double)t) * sqrtl(2 * PI_L) /
           ((long double)gamma * sqrtl(1 + s2));
    b->v = (s2 - expm1l(-2 * (long double)t)) / (1 + s2);
    b->kmax = components > 0 ? (long double)((components - 1) / 2) : -1;
    long double lim = b->kmax >= 0 ? b->kmax : floorl(15 * gamma) + 15;
    long double s = 0;
    for (long double k = lim; k >= 1; k--)
        s += expl(-PI_L * k * k / b->g2);
    b->log_z = logl(1 + 2 * s);
}

/* log w_k + log N(z; mu_k, v) without the constants. */
static long double bf_exponent(const bf_law *b, long double k, long double z)
{
    long double r = z - b->a * k;
    return -PI_L * k * k / b->g2 - r * r / (2 * b->v);
}

static bool bf_allowed(const bf_law *b, long double k)
{
    return b->kmax < 0 || fabsl(k) <= b->kmax;
}

/* The k of the largest term: the exponent is concave in k, and its
 * maximiser lies between the prior mode 0 and the likelihood mode z/a. */
static long double bf_argmax(const bf_law *b, long double z)
{
    long double lo = fminl(0, floorl(z / b->a)) - 2;
    long double hi = fmaxl(0, ceill(z / b->a)) + 2;
    if (b->kmax >= 0) {
        lo = fmaxl(lo, -b->kmax);
        hi = fminl(hi, b->kmax);
        if (lo > hi)
            lo = hi = z > 0 ? b->kmax : -b->kmax;
    }
    while (hi - lo > 2) {
        long double m1 = lo + floorl((hi - lo) / 3);
        long double m2 = hi - floorl((hi - lo) / 3);
        if (bf_exponent(b, m1, z) < bf_exponent(b, m2, z))
            lo = m1 + 1;
        else
            hi = m2;
    }
    long double best = lo;
    for (long double k = lo + 1; k <= hi; k++)
        if (bf_exponent(b, k, z) > bf_exponent(b, best, z))
            best = k;
    return best;
}

/* Every term within e^-80 of the largest, in both directions. */
static void bf_eval(const bf_law *b, long double z, bf_val *out)
{
    long double k0 = bf_argmax(b, z), top = bf_exponent(b, k0, z);
    long double lo = k0, hi = k0;
    while (bf_allowed(b, lo - 1) && bf_exponent(b, lo - 1, z) - top > -80)
        lo--;
    while (bf_allowed(b, hi + 1) && bf_exponent(b, hi + 1, z) - top > -80)
        hi++;
    size_t n = (size_t)(hi - lo) + 1;
    long double *w = malloc(n * sizeof *w);
    long double s = 0, m1 = 0, m2 = 0, mabs = 0;
    assert_non_null(w);
    for (size_t i = 0; i < n; i++) {
        long double k = lo + (long double)i, r = b->a * k - z;
        w[i] = expl(bf_exponent(b, k, z) - top);
        s += w[i];
        m1 += w[i] * r;
        mabs += w[i] * fabsl(r);
    }
    m1 /= s;
    for (size_t i = 0; i < n; i++) {
        long double r = b->a * (lo + (long double)i) - z - m1;
        m2 += w[i] * r * r;
    }
    free(w);
    m2 /= s;
    out->logp1 = top + logl(s) - b->log_z - 0.5L * logl(2 * PI_L * b->v);
    out->g = m1 / b->v;
    out->dg = m2 / (b->v * b->v) - 1 / b->v;
    out->gabs = mabs / s / b->v;
}

/* log P_t(x) and its score in long double, for unit-ish u as given. */
typedef struct bf_point {
    long double logp, z, dlogp_dz, ds_dz, gabs;
    long double *score;
} bf_point;

static void bf_full(const bf_law *b, const double *u, const double *x,
                    size_t dim, bf_point *r)
{
    long double z = 0, perp2 = 0;
    for (size_t j = 0; j < dim; j++)
        z += (long double)x[j] * u[j];
    for (size_t j = 0; j < dim; j++) {
        long double e = x[j] - z * u[j];
        perp2 += e * e;
    }
    bf_val v;
    bf_eval(b, z, &v);
    r->z = z;
    r->logp = -perp2 / 2 - 0.5L * (long double)(dim - 1) * logl(2 * PI_L) +
              v.logp1;
    for (size_t j = 0; j < dim; j++)
        r->score[j] = -(x[j] - z * u[j]) + v.g * u[j];
    /* sensitivity to an error in <x, u> with |x|^2 held: the family's
     * form is -|x|^2/2 + f(z) with f' = g + z */
    r->dlogp_dz = v.g + z;
    r->ds_dz = v.dg + 1;
    r->gabs = v.gabs;
}

static double norm(const double *x, size_t n)
{
    double s = 0;
    for (size_t j = 0; j < n; j++)
        s += x[j] * x[j];
    return sqrt(s);
}

/* How much looser the long-double reference makes a comparison: 1 where
 * long double arithmetic is extended, 1e4 where it is not (valgrind
 * runs x87 code at double precision, and then the reference is merely
 * as good as the family, so only gross errors show). */
static double reference_slack(void)
{
    volatile long double one = 1, tiny = 0x1p-60L;
    return one + tiny != one ? 1 : 1e4;
}

/* Compares the family at x with the reference: logpdf to 1e-12
 * relative, score to 1e-9 relative to |score| (absolute near 0: a few
 * ulps of the terms that cancel in d/dz log p1), each beyond what an
 * error ez in <x, u> (and eps in forming -x + c u) explains. */
static void check_point(const sc_dist *d, const bf_law *b, const double *x,
                        double t, const char *what)
{
    size_t dim = sc_dist_dim(d);
    const double *u = secret_u(d);
    double lp, *s = malloc(dim * sizeof *s);
    long double *sref = malloc(dim * sizeof *sref);
    assert_non_null(s);
    assert_non_null(sref);
    bf_point r = {.score = sref};
    bf_full(b, u, x, dim, &r);
    assert_int_equal(sc_dist_logpdf(d, 1, x, t, &lp), SC_OK);
    assert_int_equal(sc_dist_score(d, 1, x, t, s), SC_OK);
    double xn = norm(x, dim), ez = (double)(dim + 4) * EPS * xn;
    double slack = reference_slack();
    double tol = slack * (1e-12 * fabsl(r.logp) + ez * fabsl(r.dlogp_dz) +
                          ((double)dim / 4 + 4) * EPS * xn * xn);
    if (!(isfinite(lp) && fabsl(lp - r.logp) <= tol))
        fail_msg("%s: logpdf %.17g, reference %.17Lg (tolerance %.3g)",
                 what, lp, r.logp, tol);
    long double sn2 = 0;
    for (size_t j = 0; j < dim; j++)
        sn2 += sref[j] * sref[j];
    for (size_t j = 0; j < dim; j++) {
        double tj = slack * (1e-9 * sqrtl(sn2) +
                             (ez * fabsl(r.ds_dz) + 4 * EPS * r.gabs) *
                                 fabs(u[j]) +
                             4 * EPS * xn);
        if (!(isfinite(s[j]) && fabsl(s[j] - sref[j]) <= tj))
            fail_msg("%s: score[%zu] %.17g, reference %.17Lg "
                     "(tolerance %.3g)",
                     what, j, s[j], sref[j], tj);
    }
    free(s);
    free(sref);
}

/* ---- reference vectors ---- */

static void check_vector_case(json_t *c)
{
    json_t *ju = json_object_get(c, "u"), *jc;
    size_t dim = json_array_size(ju), i;
    double gamma = json_number_value(json_object_get(c, "gamma"));
    double sigma = json_number_value(json_object_get(c, "sigma"));
    double t = json_number_value(json_object_get(c, "t"));
    jc = json_object_get(c, "components");
    uint32_t comps = jc != NULL ? (uint32_t)json_integer_value(jc) : 0;
    sc_dist *d = make((uint32_t)dim, gamma, sigma, comps, 1);
    double u[8], x[8], s[8], lp;
    bf_law b;
    json_t *pt;
    assert_true(dim <= 8);
    for (size_t j = 0; j < dim; j++)
        u[j] = json_number_value(json_array_get(ju, j));
    sc_pancakes_set_u(d, u);
    bf_init(&b, gamma, sigma, comps, t);
    json_array_foreach(json_object_get(c, "points"), i, pt) {
        json_t *jx = json_object_get(pt, "x"),
               *js = json_object_get(pt, "score");
        long double sref[8];
        bf_point r = {.score = sref};
        for (size_t j = 0; j < dim; j++)
            x[j] = json_number_value(json_array_get(jx, j));
        bf_full(&b, u, x, dim, &r);
        assert_int_equal(sc_dist_logpdf(d, 1, x, t, &lp), SC_OK);
        assert_int_equal(sc_dist_score(d, 1, x, t, s), SC_OK);
        double want = json_number_value(json_object_get(pt, "logpdf"));
        double sw[8];
        for (size_t j = 0; j < dim; j++)
            sw[j] = json_number_value(json_array_get(js, j));
        double xn = norm(x, dim), sn = norm(sw, dim);
        /* the vectors' own rule: 1e-12 |value| + 4e-16 |derivative| |x| */
        double tol = 1e-12 * fabs(want) + 4e-16 * sn * xn;
        if (!(fabs(lp - want) <= tol))
            fail_msg("gamma %g sigma %g t %g point %zu: logpdf %.17g, "
                     "vector %.17g", gamma, sigma, t, i, lp, want);
        for (size_t j = 0; j < dim; j++) {
            double hj = 1 + fabsl(r.ds_dz) * fabs(u[j]); /* |d s_j / dx| */
            double tj = 1e-9 * sn + 4e-16 * hj * xn;
            if (!(fabs(s[j] - sw[j]) <= tj))
                fail_msg("gamma %g sigma %g t %g point %zu: score[%zu] "
                         "%.17g, vector %.17g", gamma, sigma, t, i, j,
                         s[j], sw[j]);
        }
    }
    sc_dist_free(d);
}

static void matches_reference_vectors(void **state)
{
    (void)state;
    json_t *all = sc_test_vectors("pancakes");
    const char *groups[] = {"pancakes", "truncated"};
    size_t ncases = 0;
    for (size_t g = 0; g < 2; g++) {
        json_t *arr = json_object_get(all, groups[g]), *c;
        size_t i;
        assert_true(json_array_size(arr) > 0);
        json_array_foreach(arr, i, c) {
            check_vector_case(c);
            ncases++;
        }
    }
    assert_int_equal(ncases, 41);
    json_decref(all);
}

/* ---- brute force over the accepted ranges ---- */

/* Points: the origin, random directions at several radii up to 1e6, on
 * a pancake, half-way between two, and far out along u. */
static size_t grid_points(const sc_dist *d, const bf_law *b, double *pts,
                          sc_stream *s)
{
    size_t dim = sc_dist_dim(d), n = 0;
    const double *u = secret_u(d);
    const double radii[] = {0.7, 3, 40, 1e3, 1e6};
    double *p = pts;
    memset(p, 0, dim * sizeof *p);
    p += dim, n++;
    for (size_t r = 0; r < sizeof radii / sizeof radii[0]; r++, n++) {
        sc_stream_normals(s, dim, p);
        double k = radii[r] / norm(p, dim);
        for (size_t j = 0; j < dim; j++)
            p[j] *= k;
        p += dim;
    }
    const double along[] = {(double)b->a, 1.5 * (double)b->a, 2.2,
                            -1e6, 777.25 * (double)b->a};
    for (size_t r = 0; r < sizeof along / sizeof along[0]; r++, n++) {
        sc_stream_normals(s, dim, p);
        for (size_t j = 0; j < dim; j++) /* a little off the line */
            p[j] = along[r] * u[j] + 0.3 * p[j] / sqrt((double)dim);
        p += dim;
    }
    return n;
}

static void brute_case(uint32_t dim, double gamma, double sigma,
                       uint32_t comps, double t, sc_stream *s)
{
    sc_dist *d = make(dim, gamma, sigma, comps, 2);
    bf_law b;
    double *pts = malloc(11 * (size_t)dim * sizeof *pts);
    char what[160];
    assert_non_null(pts);
    bf_init(&b, gamma, sigma, comps, t);
    size_t n = grid_points(d, &b, pts, s);
    for (size_t i = 0; i < n; i++) {
        snprintf(what, sizeof what,
                 "d %u gamma %g sigma %g components %u t %g point %zu", dim,
                 gamma, sigma, comps, t, i);
        check_point(d, &b, pts + i * dim, t, what);
    }
    free(pts);
    sc_dist_free(d);
}

static void matches_long_double_sums(void **state)
{
    (void)state;
    const double gammas[] = {0.01, 1, 2.5, 6, 30, 100, 1000};
    const double sigmas[] = {1e-6, 1e-4, 3e-3, 0.1, 1, 10, 100};
    const double times[] = {0, 1e-3, 0.2, 1.5, 20};
    sc_stream s;
    sc_stream_init(&s, (const uint8_t[SC_KEY_BYTES]){3}, SC_STREAM_EXTRA, 0);
    for (size_t g = 0; g < sizeof gammas / sizeof gammas[0]; g++)
        for (size_t k = 0; k < sizeof sigmas / sizeof sigmas[0]; k++)
            for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
                brute_case(3, gammas[g], sigmas[k], 0, times[i], &s);
                if (i == 0)
                    brute_case(1, gammas[g], sigmas[k], 0, times[i], &s);
            }
    sc_stream_wipe(&s);
}

static void matches_long_double_sums_d4096(void **state)
{
    (void)state;
    const double cases[][3] = {{1, 1e-4, 0},   {6, 0.05, 0}, {6, 0.05, 0.3},
                               {32, 0.1, 0.5}, {100, 1e-3, 0}, {2, 10, 20}};
    sc_stream s;
    sc_stream_init(&s, (const uint8_t[SC_KEY_BYTES]){4}, SC_STREAM_EXTRA, 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        brute_case(SC_MAX_DIM, cases[i][0], cases[i][1], 0, cases[i][2], &s);
    sc_stream_wipe(&s);
}

/* Truncated sums, including k* far outside the kept pancakes and wide
 * windows that cross an end of the truncation. */
static void truncated_matches_long_double_sums(void **state)
{
    (void)state;
    const uint32_t comps[] = {1, 3, 5, 41, 4095};
    const double cases[][3] = {{6, 0.05, 0},  {6, 0.05, 0.5}, {3, 0.2, 0},
                               {100, 1e-3, 0}, {30, 1, 0.1},   {1000, 0.5, 2},
                               {1, 1e-4, 20}};
    sc_stream s;
    sc_stream_init(&s, (const uint8_t[SC_KEY_BYTES]){5}, SC_STREAM_EXTRA, 0);
    for (size_t c = 0; c < sizeof comps / sizeof comps[0]; c++)
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
            brute_case(3, cases[i][0], cases[i][1], comps[c], cases[i][2],
                       &s);
    sc_stream_wipe(&s);
}

/* ---- calculus ---- */

/* <score, e> against a central difference of logpdf along random e. */
static void score_is_gradient_of_logpdf(void **state)
{
    (void)state;
    const double cases[][4] = {{6, 0.05, 0, 0},   {6, 0.05, 0.3, 0},
                               {2, 0.5, 0, 0},    {30, 0.01, 0.01, 0},
                               {6, 0.1, 0, 5},    {1, 1, 1, 0},
                               {100, 0.02, 0.1, 0}};
    sc_stream s;
    sc_stream_init(&s, (const uint8_t[SC_KEY_BYTES]){6}, SC_STREAM_EXTRA, 0);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        enum { DIM = 5, PTS = 40 };
        sc_dist *d = make(DIM, cases[c][0], cases[c][1],
                          (uint32_t)cases[c][3], 7);
        double t = cases[c][2], x[PTS * DIM], e[DIM], sc[DIM];
        sc_pk_time tc;
        sc_pk_time_init(&tc, cases[c][0], cases[c][1], 0, 0, t);
        double h = 1e-4 * sqrt(tc.v);
        assert_int_equal(sc_dist_sample(d, 0, PTS, t, x), SC_OK);
        for (size_t i = 0; i < PTS; i++) {
            double *xi = x + i * DIM, xp[DIM], xm[DIM], lp, lm;
            sc_stream_normals(&s, DIM, e);
            double en = norm(e, DIM);
            for (size_t j = 0; j < DIM; j++) {
                e[j] /= en;
                xp[j] = xi[j] + h * e[j];
                xm[j] = xi[j] - h * e[j];
            }
            sc_dist_logpdf(d, 1, xp, t, &lp);
            sc_dist_logpdf(d, 1, xm, t, &lm);
            sc_dist_score(d, 1, xi, t, sc);
            double fd = (lp - lm) / (2 * h), an = 0, sn = norm(sc, DIM);
            for (size_t j = 0; j < DIM; j++)
                an += sc[j] * e[j];
            /* truncation error h^2 |f'''| ~ 1e-8 |score|-ish, rounding
             * eps |logpdf| / h */
            double tol = 1e-6 * (sn + 1) + 1e-15 * fabs(lp) / h;
            if (!(fabs(fd - an) <= tol))
                fail_msg("case %zu point %zu: <score, e> %.12g, difference "
                         "%.12g", c, i, an, fd);
        }
        sc_dist_free(d);
    }
    sc_stream_wipe(&s);
}

/* p1(z) = P_t(z u + y) e^{|y|^2/2} (2 pi)^{(d-1)/2} for any y orthogonal
 * to u; here y = 0.  Fills p[i] = p1(z0 + i h), i < n. */
static void densities_along_u(const sc_dist *d, double t, double z0, double h,
                              size_t n, double *p)
{
    enum { CHUNK = 4096 };
    size_t dim = sc_dist_dim(d);
    const double *u = secret_u(d);
    double *x = malloc(CHUNK * dim * sizeof *x);
    assert_non_null(x);
    for (size_t i0 = 0; i0 < n; i0 += CHUNK) {
        size_t m = n - i0 < CHUNK ? n - i0 : CHUNK;
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < dim; j++)
                x[i * dim + j] = (z0 + (double)(i0 + i) * h) * u[j];
        assert_int_equal(sc_dist_logpdf(d, m, x, t, p + i0), SC_OK);
        for (size_t i = 0; i < m; i++)
            p[i0 + i] = exp(p[i0 + i] + 0.5 * (double)(dim - 1) *
                                            log(2 * M_PI));
    }
    free(x);
}

/* Trapezoid over [-12, 12] with step h (the mass beyond is below
 * 1e-30): spectrally accurate for these smooth, fast-decaying integrands
 * once h is well below a pancake. */
static double integrate_along_u(const sc_dist *d, double t, double h)
{
    size_t n = (size_t)(24 / h) + 1;
    double *p = malloc(n * sizeof *p), sum = 0;
    assert_non_null(p);
    densities_along_u(d, t, -12, h, n, p);
    for (size_t i = 0; i < n; i++)
        sum += p[i];
    free(p);
    return sum * h;
}

static void density_integrates_to_one(void **state)
{
    (void)state;
    const double cases[][4] = {{6, 0.01, 0, 0},   {6, 0.05, 0, 0},
                               {6, 0.25, 0.3, 0}, {1, 1e-3, 0, 0},
                               {100, 0.01, 0, 0}, {3, 0.2, 0, 11},
                               {6, 0.05, 0, 1},   {2, 10, 20, 0}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        sc_dist *d = make(4, cases[c][0], cases[c][1], (uint32_t)cases[c][3],
                          8);
        sc_pk_time tc;
        sc_pk_time_init(&tc, cases[c][0], cases[c][1], 0, 0, cases[c][2]);
        double h = fmin(0.01, sqrt(tc.v) / 8);
        double mass = integrate_along_u(d, cases[c][2], h);
        if (!(fabs(mass - 1) < 1e-9))
            fail_msg("case %zu: mass %.15g", c, mass);
        sc_dist_free(d);
    }
}

/* The orthogonal part is exactly N(0, I_{d-1}): moving x across u by y
 * changes log P_t by -(|x_perp + y|^2 - |x_perp|^2)/2. */
static void orthogonal_part_is_standard_normal(void **state)
{
    (void)state;
    enum { DIM = 6 };
    sc_dist *d = make(DIM, 6, 0.05, 0, 9);
    const double *u = secret_u(d);
    sc_stream s;
    sc_stream_init(&s, (const uint8_t[SC_KEY_BYTES]){10}, SC_STREAM_EXTRA, 0);
    for (int i = 0; i < 50; i++) {
        double y[DIM], x0[DIM], x1[DIM], l0, l1, z = 0.3 * i - 7, yu = 0;
        sc_stream_normals(&s, DIM, y);
        for (size_t j = 0; j < DIM; j++)
            yu += y[j] * u[j];
        for (size_t j = 0; j < DIM; j++) {
            y[j] -= yu * u[j];
            x0[j] = z * u[j];
            x1[j] = x0[j] + y[j];
        }
        sc_dist_logpdf(d, 1, x0, 0.1, &l0);
        sc_dist_logpdf(d, 1, x1, 0.1, &l1);
        double want = -0.5 * norm(y, DIM) * norm(y, DIM);
        assert_true(fabs((l1 - l0) - want) <= 1e-12 * (fabs(l0) + 10));
    }
    sc_stream_wipe(&s);
    sc_dist_free(d);
}

/* ---- the sampler ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* P(z <= y) of the mixture along u, from MATH.md in long double:
 * sum_k w_k Phi((y - a k) / sqrt(v)), with the components more than 9
 * standard deviations away (Phi = 0 or 1 to 1e-19) taken from prefix
 * sums of the weights. */
typedef struct mix_cdf {
    bf_law b;
    long lim;
    long double *prefix; /* prefix[i] = sum of w_k, k < i - lim */
} mix_cdf;

static void mix_init(mix_cdf *m, double gamma, double sigma,
                     uint32_t components, double t)
{
    bf_init(&m->b, gamma, sigma, components, t);
    m->lim = m->b.kmax >= 0 ? (long)m->b.kmax : (long)(15 * gamma) + 15;
    m->prefix = malloc((2 * (size_t)m->lim + 2) * sizeof *m->prefix);
    assert_non_null(m->prefix);
    long double acc = 0, z = expl(m->b.log_z);
    for (long k = -m->lim; k <= m->lim + 1; k++) {
        m->prefix[k + m->lim] = acc;
        acc += expl(-PI_L * (long double)k * k / m->b.g2) / z;
    }
}

static long double mix_eval(const mix_cdf *m, long double y)
{
    long double sd = sqrtl(m->b.v), reach = 9 * sd / m->b.a;
    long double lim = (long double)m->lim;
    long double klo = fminl(fmaxl(-lim, ceill(y / m->b.a - reach)), lim + 1);
    long double khi = fminl(lim, floorl(y / m->b.a + reach));
    long double sum = m->prefix[(long)klo + m->lim], z = expl(m->b.log_z);
    for (long double k = klo; k <= khi; k++)
        sum += expl(-PI_L * k * k / m->b.g2) / z * 0.5L *
               erfcl(-(y - m->b.a * k) / (sd * sqrtl(2)));
    return sum;
}

/* Kolmogorov distance at level about 1e-6. */
static double ks_crit(size_t n)
{
    return sqrt(log(2 / 1e-6) / (2 * (double)n));
}

static void project(const double *x, size_t n, size_t dim, const double *w,
                    double *z)
{
    for (size_t i = 0; i < n; i++) {
        z[i] = 0;
        for (size_t j = 0; j < dim; j++)
            z[i] += x[i * dim + j] * w[j];
    }
}

static void samples_along_u_follow_the_mixture(void **state)
{
    (void)state;
    enum { DIM = 4, N = 20000 };
    const double cases[][4] = {{6, 0.01, 0, 0},  {6, 0.05, 0.3, 0},
                               {6, 0.25, 0, 0},  {2, 0.5, 1, 0},
                               {30, 0.02, 0, 0}, {3, 0.2, 0, 11},
                               {6, 0.05, 0, 1},  {1, 1e-4, 0, 0}};
    double *x = malloc(N * DIM * sizeof *x), *z = malloc(N * sizeof *z);
    assert_non_null(x);
    assert_non_null(z);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        uint32_t comps = (uint32_t)cases[c][3];
        double t = cases[c][2];
        sc_dist *d = make(DIM, cases[c][0], cases[c][1], comps, 11);
        mix_cdf m;
        mix_init(&m, cases[c][0], cases[c][1], comps, t);
        assert_int_equal(sc_dist_sample(d, 0, N, t, x), SC_OK);
        project(x, N, DIM, secret_u(d), z);
        qsort(z, N, sizeof *z, cmp_double);
        double dmax = 0;
        for (size_t i = 0; i < N; i++) {
            double f = (double)mix_eval(&m, z[i]);
            dmax = fmax(dmax, fmax(fabs(f - (double)i / N),
                                   fabs(f - (double)(i + 1) / N)));
        }
        if (!(dmax < ks_crit(N)))
            fail_msg("case %zu: KS distance %.4g", c, dmax);
        free(m.prefix);
        sc_dist_free(d);
    }
    free(x);
    free(z);
}

static long double normal_cdf(long double y)
{
    return 0.5L * erfcl(-y / sqrtl(2));
}

/* Across u, samples are N(0, 1) in every direction. */
static void samples_across_u_are_standard_normal(void **state)
{
    (void)state;
    enum { DIM = 4, N = 20000 };
    sc_dist *d = make(DIM, 6, 0.01, 0, 12);
    const double *u = secret_u(d);
    double *x = malloc(N * DIM * sizeof *x), *z = malloc(N * sizeof *z);
    double w[DIM] = {1, -1, 0.5, 2}, wu = 0;
    assert_non_null(x);
    assert_non_null(z);
    for (size_t j = 0; j < DIM; j++)
        wu += w[j] * u[j];
    for (size_t j = 0; j < DIM; j++)
        w[j] -= wu * u[j];
    double wn = norm(w, DIM);
    for (size_t j = 0; j < DIM; j++)
        w[j] /= wn;
    assert_int_equal(sc_dist_sample(d, 0, N, 0, x), SC_OK);
    project(x, N, DIM, w, z);
    qsort(z, N, sizeof *z, cmp_double);
    double dmax = 0;
    for (size_t i = 0; i < N; i++) {
        double f = (double)normal_cdf(z[i]);
        dmax = fmax(dmax, fmax(fabs(f - (double)i / N),
                               fabs(f - (double)(i + 1) / N)));
    }
    assert_true(dmax < ks_crit(N));
    free(x);
    free(z);
    sc_dist_free(d);
}

/* Sampling at 0 and then running the OU process for t matches sampling
 * at t (two-sample KS on <x, u>, disjoint sample points). */
static void ou_noise_of_time_zero_matches_time_t(void **state)
{
    (void)state;
    enum { DIM = 3, N = 20000 };
    const double cases[][3] = {{6, 0.01, 0.05}, {6, 0.05, 0.5}, {2, 0.3, 2}};
    double *x0 = malloc(N * DIM * sizeof *x0),
           *xt = malloc(N * DIM * sizeof *xt);
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    assert_true(x0 && xt && a && b);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double t = cases[c][2], g[DIM];
        sc_dist *d = make(DIM, cases[c][0], cases[c][1], 0, 13);
        sc_stream s;
        sc_stream_init(&s, (const uint8_t[SC_KEY_BYTES]){14}, SC_STREAM_EXTRA,
                       c);
        sc_dist_sample(d, 0, N, 0, x0);
        sc_dist_sample(d, N, N, t, xt);
        double decay = exp(-t), sd = sqrt(-expm1(-2 * t));
        for (size_t i = 0; i < N; i++) {
            sc_stream_normals(&s, DIM, g);
            for (size_t j = 0; j < DIM; j++)
                x0[i * DIM + j] = decay * x0[i * DIM + j] + sd * g[j];
        }
        project(x0, N, DIM, secret_u(d), a);
        project(xt, N, DIM, secret_u(d), b);
        qsort(a, N, sizeof *a, cmp_double);
        qsort(b, N, sizeof *b, cmp_double);
        double dmax = 0;
        for (size_t i = 0, j = 0; i < N && j < N;) {
            if (a[i] <= b[j])
                i++;
            else
                j++;
            dmax = fmax(dmax, fabs((double)i - (double)j) / N);
        }
        if (!(dmax < ks_crit(N) * sqrt(2.0)))
            fail_msg("case %zu: two-sample KS distance %.4g", c, dmax);
        sc_stream_wipe(&s);
        sc_dist_free(d);
    }
    free(x0);
    free(xt);
    free(a);
    free(b);
}

/* Point i is a pure function of (key, i, t): the same alone or in a
 * batch, and another key gives other points and another u. */
static void samples_are_deterministic(void **state)
{
    (void)state;
    enum { DIM = 5 };
    sc_dist *d = make(DIM, 6, 0.05, 0, 15), *e = make(DIM, 6, 0.05, 0, 15);
    sc_dist *f = make(DIM, 6, 0.05, 0, 16);
    double batch[10 * DIM], one[DIM], other[10 * DIM];
    sc_dist_sample(d, 100, 10, 0.2, batch);
    sc_dist_sample(e, 107, 1, 0.2, one);
    assert_memory_equal(one, batch + 7 * DIM, sizeof one);
    sc_dist_sample(f, 100, 10, 0.2, other);
    assert_memory_not_equal(other, batch, sizeof other);
    assert_memory_equal(secret_u(d), secret_u(e), DIM * sizeof(double));
    assert_memory_not_equal(secret_u(d), secret_u(f), DIM * sizeof(double));
    sc_dist_free(d);
    sc_dist_free(e);
    sc_dist_free(f);
}

static void secret_is_a_unit_vector(void **state)
{
    (void)state;
    const uint32_t dims[] = {1, 2, 17, SC_MAX_DIM};
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++) {
        sc_dist *d = make(dims[i], 6, 0.05, 0, 17);
        const double *u = secret_u(d);
        long double n2 = 0;
        for (size_t j = 0; j < dims[i]; j++)
            n2 += (long double)u[j] * u[j];
        /* the rounding of |g|^2 over dim terms, then of sqrt, 1/x and
         * each product */
        assert_true(fabsl(sqrtl(n2) - 1) <= ((double)dims[i] / 2 + 3) * EPS);
        assert_int_equal(sc_dist_secret_bytes(d, NULL, 0), 8 * dims[i]);
        sc_dist_free(d);
    }
}

/* ---- MATH.md's reference table: gamma = 6, d = 2 ---- */

/* With three pancakes, far out along u only the outer one counts:
 * there d/dz log p1 = (a - z) / v, which gives a and v. */
static void pancake_geometry(double sigma, double *spacing, double *sd)
{
    sc_dist *d = make(2, 6, sigma, 3, 18);
    const double *u = secret_u(d);
    double z1 = 10, z2 = 12, g1, g2, s[2];
    double x1[2] = {z1 * u[0], z1 * u[1]}, x2[2] = {z2 * u[0], z2 * u[1]};
    sc_dist_score(d, 1, x1, 0, s);
    g1 = s[0] * u[0] + s[1] * u[1];
    sc_dist_score(d, 1, x2, 0, s);
    g2 = s[0] * u[0] + s[1] * u[1];
    double v = -(z2 - z1) / (g2 - g1);
    *spacing = z1 + v * g1;
    *sd = sqrt(v);
    sc_dist_free(d);
}

/* TV(P_u, N(0, I)) = TV of the laws along u, by the trapezoid rule. */
static double tv_to_gaussian(double sigma)
{
    sc_dist *d = make(2, 6, sigma, 0, 19);
    double h = 1e-4, sum = 0;
    size_t n = (size_t)(24 / h) + 1;
    double *p = malloc(n * sizeof *p);
    assert_non_null(p);
    densities_along_u(d, 0, -12, h, n, p);
    for (size_t i = 0; i < n; i++) {
        double z = -12 + (double)i * h;
        sum += fabs(p[i] - exp(-0.5 * z * z) / sqrt(2 * M_PI));
    }
    free(p);
    sc_dist_free(d);
    return 0.5 * sum * h;
}

static void reference_table_of_math_md(void **state)
{
    (void)state;
    const double rows[][4] = {{0.01, 0.41775, 0.01000, 0.869},
                              {0.05, 0.41725, 0.04994, 0.508},
                              {0.25, 0.40530, 0.24254, 0.0008}};
    for (size_t r = 0; r < 3; r++) {
        double spacing, sd, tv = tv_to_gaussian(rows[r][0]);
        pancake_geometry(rows[r][0], &spacing, &sd);
        if (!(fabs(spacing - rows[r][1]) < 1e-3 &&
              fabs(sd - rows[r][2]) < 1e-3 && fabs(tv - rows[r][3]) < 1e-3))
            fail_msg("sigma %g: spacing %.5f sd %.5f TV %.4f", rows[r][0],
                     spacing, sd, tv);
    }
}

/* Thin pancakes, untruncated: the density along u peaks at a k. */
static void thin_pancakes_peak_at_the_means(void **state)
{
    (void)state;
    const double sigmas[] = {0.01, 0.05};
    for (size_t i = 0; i < 2; i++) {
        sc_dist *d = make(1, 6, sigmas[i], 0, 20);
        double a = sqrt(2 * M_PI) / (6 * sqrt(1 + sigmas[i] * sigmas[i]));
        for (int k = 1; k <= 3; k++) {
            double lo = (k - 0.25) * a, hi = (k + 0.25) * a, s;
            for (int it = 0; it < 100; it++) { /* bisect the score's zero */
                double mid = 0.5 * (lo + hi), xm = mid * secret_u(d)[0];
                sc_dist_score(d, 1, &xm, 0, &s);
                if (s * secret_u(d)[0] > 0)
                    lo = mid;
                else
                    hi = mid;
            }
            assert_true(fabs(lo - k * a) < 1e-3 * a);
        }
        sc_dist_free(d);
    }
}

/* ---- truncation ---- */

/* TV(truncated, full) <= 2 exp(-pi K^2 / (2 gamma^2)) [C25 Def 10]. */
static void truncation_tv_within_bound(void **state)
{
    (void)state;
    const double gammas[] = {3, 6};
    for (size_t g = 0; g < 2; g++) {
        sc_dist *full = make(1, gammas[g], 0.05, 0, 21);
        for (uint32_t kk = 1; kk <= 7; kk += 2) {
            sc_dist *tr = make(1, gammas[g], 0.05, 2 * kk + 1, 21);
            double h = 2e-3, tv = 0;
            size_t n = (size_t)(24 / h) + 1;
            double *pt = malloc(n * sizeof *pt), *pf = malloc(n * sizeof *pf);
            assert_true(pt && pf);
            densities_along_u(tr, 0, -12, h, n, pt);
            densities_along_u(full, 0, -12, h, n, pf);
            for (size_t i = 0; i < n; i++)
                tv += fabs(pt[i] - pf[i]);
            tv *= 0.5 * h;
            free(pt);
            free(pf);
            double bound =
                2 * exp(-M_PI * kk * kk / (2 * gammas[g] * gammas[g]));
            if (!(tv <= bound))
                fail_msg("gamma %g K %u: TV %.4g above %.4g", gammas[g], kk,
                         tv, bound);
            sc_dist_free(tr);
        }
        sc_dist_free(full);
    }
}

/* ---- robustness ---- */

static void finite_everywhere_in_range(void **state)
{
    (void)state;
    const double gammas[] = {0.01, 1, 100, 1000};
    const double sigmas[] = {1e-6, 1e-4, 10, 100};
    const double times[] = {0, 1e-9, 20};
    const double scale[] = {0, 1e-300, 1, 1e6};
    enum { DIM = 2 };
    for (size_t g = 0; g < 4; g++)
        for (size_t k = 0; k < 4; k++)
            for (size_t i = 0; i < 3; i++) {
                sc_dist *d = make(DIM, gammas[g], sigmas[k], 0, 22);
                for (size_t c = 0; c < 4; c++) {
                    double x[DIM] = {scale[c], -0.3 * scale[c]}, lp, s[DIM];
                    sc_dist_logpdf(d, 1, x, times[i], &lp);
                    sc_dist_score(d, 1, x, times[i], s);
                    assert_true(isfinite(lp) && isfinite(s[0]) &&
                                isfinite(s[1]));
                    sc_dist_sample(d, c, 1, times[i], x);
                    assert_true(isfinite(x[0]) && isfinite(x[1]));
                }
                sc_dist_free(d);
            }
}

/* Beyond the promised range, where <x, u> or |x|^2 overflow, the
 * answers may stop being finite, but calls still succeed, and a density
 * never comes out positive infinity. */
static void overflowing_inputs_are_harmless(void **state)
{
    (void)state;
    const uint32_t comps[] = {0, 5};
    for (size_t c = 0; c < 2; c++) {
        sc_dist *d = make(3, 6, 0.05, comps[c], 24);
        double x[3] = {1e300, 1.7e308, -1e308}, lp, s[3];
        assert_int_equal(sc_dist_logpdf(d, 1, x, 0.5, &lp), SC_OK);
        assert_int_equal(sc_dist_score(d, 1, x, 0.5, s), SC_OK);
        assert_false(lp > 0);
        sc_dist_free(d);
    }
}

/* A batch gives what points one by one give (blocking is invisible). */
static void batch_equals_points(void **state)
{
    (void)state;
    const uint32_t dims[] = {1, 3, 300, 2049};
    for (size_t i = 0; i < 4; i++) {
        uint32_t dim = dims[i];
        size_t n = 70;
        sc_dist *d = make(dim, 6, 0.05, 0, 23);
        double *x = malloc(n * dim * sizeof *x),
               *s = malloc(n * dim * sizeof *s);
        double *lp = malloc(n * sizeof *lp), one[2049], l1;
        assert_true(x && s && lp);
        sc_dist_sample(d, 0, n, 0.1, x);
        sc_dist_score(d, n, x, 0.1, s);
        sc_dist_logpdf(d, n, x, 0.1, lp);
        for (size_t p = 0; p < n; p += 23) {
            sc_dist_score(d, 1, x + p * dim, 0.1, one);
            sc_dist_logpdf(d, 1, x + p * dim, 0.1, &l1);
            assert_memory_equal(one, s + p * dim, dim * sizeof *one);
            assert_true(l1 == lp[p]);
        }
        free(x);
        free(s);
        free(lp);
        sc_dist_free(d);
    }
}

/* ---- parameters ---- */

static void expect_refused(sc_params p, const char *field)
{
    uint8_t key[SC_KEY_BYTES] = {0};
    sc_dist *d = NULL;
    sc_error err = {{0}, {0}};
    assert_int_equal(sc_dist_new(&sc_family_pancakes, &p, key, &d, &err),
                     SC_EINVAL);
    assert_null(d);
    assert_string_equal(err.field, field);
    assert_non_null(strchr(err.message, '['));
}

static void parameter_errors_name_the_field(void **state)
{
    (void)state;
    const sc_params ok = {.dim = 3, .gamma = 6, .sigma = 0.05};
    const double bad_sigma[] = {0, -0.1, 1e-7, 101, NAN, INFINITY};
    const double bad_gamma[] = {0, -6, 0.005, 1001, NAN, INFINITY};
    const uint32_t bad_comps[] = {2, 4096, 4097, 10};
    const uint32_t bad_dims[] = {0, SC_MAX_DIM + 1};
    for (size_t i = 0; i < sizeof bad_sigma / sizeof bad_sigma[0]; i++) {
        sc_params p = ok;
        p.sigma = bad_sigma[i];
        expect_refused(p, "sigma");
    }
    for (size_t i = 0; i < sizeof bad_gamma / sizeof bad_gamma[0]; i++) {
        sc_params p = ok;
        p.gamma = bad_gamma[i];
        expect_refused(p, "gamma");
    }
    for (size_t i = 0; i < sizeof bad_comps / sizeof bad_comps[0]; i++) {
        sc_params p = ok;
        p.components = bad_comps[i];
        expect_refused(p, "components");
    }
    for (size_t i = 0; i < sizeof bad_dims / sizeof bad_dims[0]; i++) {
        sc_params p = ok;
        p.dim = bad_dims[i];
        expect_refused(p, "dim");
    }
    /* the edges of every range are accepted */
    const sc_params edges[] = {
        {.dim = 1, .gamma = SC_PK_GAMMA_MIN, .sigma = SC_PK_SIGMA_MIN},
        {.dim = SC_MAX_DIM,
         .gamma = SC_PK_GAMMA_MAX,
         .sigma = SC_PK_SIGMA_MAX},
        {.dim = 2, .gamma = 6, .sigma = 0.05, .components = 1},
        {.dim = 2,
         .gamma = 6,
         .sigma = 0.05,
         .components = SC_MAX_COMPONENTS - 1},
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        sc_dist *d;
        uint8_t key[SC_KEY_BYTES] = {0};
        assert_int_equal(sc_dist_new(&sc_family_pancakes, &edges[i], key, &d,
                                     NULL), SC_OK);
        sc_dist_free(d);
    }
}

static void registered_after_gaussian(void **state)
{
    (void)state;
    assert_ptr_equal(sc_family_find("pancakes"), &sc_family_pancakes);
    assert_ptr_equal(sc_families[0], &sc_family_gaussian);
    assert_ptr_equal(sc_families[1], &sc_family_pancakes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_reference_vectors),
        cmocka_unit_test(matches_long_double_sums),
        cmocka_unit_test(matches_long_double_sums_d4096),
        cmocka_unit_test(truncated_matches_long_double_sums),
        cmocka_unit_test(score_is_gradient_of_logpdf),
        cmocka_unit_test(density_integrates_to_one),
        cmocka_unit_test(orthogonal_part_is_standard_normal),
        cmocka_unit_test(samples_along_u_follow_the_mixture),
        cmocka_unit_test(samples_across_u_are_standard_normal),
        cmocka_unit_test(ou_noise_of_time_zero_matches_time_t),
        cmocka_unit_test(samples_are_deterministic),
        cmocka_unit_test(secret_is_a_unit_vector),
        cmocka_unit_test(reference_table_of_math_md),
        cmocka_unit_test(thin_pancakes_peak_at_the_means),
        cmocka_unit_test(truncation_tv_within_bound),
        cmocka_unit_test(finite_everywhere_in_range),
        cmocka_unit_test(overflowing_inputs_are_harmless),
        cmocka_unit_test(batch_equals_points),
        cmocka_unit_test(parameter_errors_name_the_field),
        cmocka_unit_test(registered_after_gaussian),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

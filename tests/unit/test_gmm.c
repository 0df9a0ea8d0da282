/* The gmm family: tests/vectors/gmm.json, a long-double brute-force
 * reference at edge values, calculus checks (finite differences,
 * quadrature), sampling (KS of projections, OU consistency) and every
 * parameter error. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sc_core.h"
#include "core/sc_gmm.h"
#include "core/sc_rng.h"
#include "ks.h"
#include "vectors.h"

/* Accuracy targets (issue 2): logpdf relative (absolute below 1), score
 * relative to its norm, plus what rounding x and m(t) to doubles already
 * moves the score by (64 eps (|x| + |m|) / v_t). */
#define LOGPDF_TOL 1e-12
#define SCORE_TOL 1e-9

static const uint8_t key_a[SC_KEY_BYTES] = {1, 2, 3};
static const uint8_t key_b[SC_KEY_BYTES] = {9, 8, 7};

static double vt_at(double v, double t)
{
    return exp(-2 * t) * v - expm1(-2 * t);
}

/* Brute force in long double with direct differences. */
static void reference(const sc_gmm *g, const double *x, double t,
                      long double *lp, long double *sc)
{
    size_t d = g->dim;
    long double et = expl(-(long double)t);
    long double vt = expl(-2.0L * t) * g->variance - expm1l(-2.0L * t);
    long double best = -INFINITY, s = 0;
    long double *b = malloc(g->k * sizeof *b);
    assert_non_null(b);
    for (size_t j = 0; j < g->k; j++) {
        long double d2 = 0;
        for (size_t c = 0; c < d; c++) {
            long double diff = x[c] - et * g->means[j * d + c];
            d2 += diff * diff;
        }
        b[j] = logl(g->weights[j]) - d2 / (2 * vt);
        best = b[j] > best ? b[j] : best;
    }
    for (size_t j = 0; j < g->k; j++)
        s += expl(b[j] - best);
    *lp = best + logl(s) - 0.5L * d * logl(2 * 3.14159265358979323846L * vt);
    for (size_t c = 0; c < d; c++)
        sc[c] = 0;
    for (size_t j = 0; j < g->k; j++) {
        long double r = expl(b[j] - best) / s;
        for (size_t c = 0; c < d; c++)
            sc[c] += r * (et * g->means[j * d + c] - x[c]) / vt;
    }
    free(b);
}

static double norm(const double *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i] * x[i];
    return sqrt(s);
}

static void check_logpdf(double got, long double want, const char *what)
{
    double tol = LOGPDF_TOL * fmax(1.0, fabs((double)want));
    if (!(fabs(got - (double)want) <= tol))
        fail_msg("%s: logpdf %.17g, want %.17Lg", what, got, want);
}

static void check_score(const sc_gmm *g, const double *x, double t,
                        const double *got, const long double *want,
                        const char *what)
{
    size_t d = g->dim;
    double err = 0, ref = 0;
    for (size_t c = 0; c < d; c++) {
        double e = got[c] - (double)want[c];
        err += e * e;
        ref += (double)(want[c] * want[c]);
    }
    double input = 64 * DBL_EPSILON * (norm(x, d) + exp(-t) * g->mmax) /
                   vt_at(g->variance, t);
    double tol = SCORE_TOL * sqrt(ref) + input;
    if (!(sqrt(err) <= tol))
        fail_msg("%s: score error %g > %g (|score| %g)", what, sqrt(err),
                 tol, sqrt(ref));
}

/* Evaluates n points and checks both outputs against the reference. */
static void check_points(const sc_gmm *g, size_t n, const double *x,
                         double t, const char *what)
{
    size_t d = g->dim;
    double *lp = malloc(n * sizeof *lp), *sc = malloc(n * d * sizeof *sc);
    long double *rs = malloc(d * sizeof *rs), rl;
    assert_non_null(lp);
    assert_non_null(sc);
    assert_non_null(rs);
    assert_int_equal(sc_gmm_logpdf(g, n, x, t, lp), SC_OK);
    assert_int_equal(sc_gmm_score(g, n, x, t, sc), SC_OK);
    for (size_t i = 0; i < n; i++) {
        reference(g, x + i * d, t, &rl, rs);
        assert_true(isfinite(lp[i]));
        check_logpdf(lp[i], rl, what);
        check_score(g, x + i * d, t, sc + i * d, rs, what);
    }
    free(lp);
    free(sc);
    free(rs);
}

static double *json_doubles(const json_t *a, size_t *n)
{
    *n = json_array_size(a);
    double *v = malloc(*n * sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < *n; i++)
        v[i] = json_number_value(json_array_get(a, i));
    return v;
}

static double *json_matrix(const json_t *a, size_t *rows, size_t *cols)
{
    *rows = json_array_size(a);
    *cols = json_array_size(json_array_get(a, 0));
    double *v = malloc(*rows * *cols * sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < *rows; i++)
        for (size_t j = 0; j < *cols; j++)
            v[i * *cols + j] = json_number_value(
                json_array_get(json_array_get(a, i), j));
    return v;
}

static void check_vector_point(const sc_gmm *g, const json_t *p, double t)
{
    size_t dx, ds;
    double *x = json_doubles(json_object_get(p, "x"), &dx);
    double *want = json_doubles(json_object_get(p, "score"), &ds);
    long double wl[8];
    double lp, sc[8];
    assert_int_equal(dx, g->dim);
    assert_true(ds == g->dim && ds <= 8);
    for (size_t c = 0; c < ds; c++)
        wl[c] = want[c];
    assert_int_equal(sc_gmm_logpdf(g, 1, x, t, &lp), SC_OK);
    assert_int_equal(sc_gmm_score(g, 1, x, t, sc), SC_OK);
    check_logpdf(lp, json_number_value(json_object_get(p, "logpdf")),
                 "vector");
    check_score(g, x, t, sc, wl, "vector");
    free(x);
    free(want);
}

static void matches_shared_vectors(void **state)
{
    (void)state;
    json_t *all = sc_test_vectors("gmm");
    json_t *cases = json_object_get(all, "gmm");
    size_t ncase = json_array_size(cases), npoints = 0;
    assert_true(ncase > 0);
    for (size_t i = 0; i < ncase; i++) {
        json_t *c = json_array_get(cases, i);
        size_t k, d, nw;
        double *means = json_matrix(json_object_get(c, "means"), &k, &d);
        double *w = json_doubles(json_object_get(c, "weights"), &nw);
        double t = json_number_value(json_object_get(c, "t"));
        json_t *pts = json_object_get(c, "points");
        sc_gmm g;
        assert_int_equal(nw, k);
        assert_int_equal(
            sc_gmm_init(&g, d, k,
                        json_number_value(json_object_get(c, "variance")),
                        means, w),
            SC_OK);
        for (size_t j = 0; j < json_array_size(pts); j++, npoints++)
            check_vector_point(&g, json_array_get(pts, j), t);
        sc_gmm_free(&g);
        free(means);
        free(w);
    }
    assert_true(npoints >= ncase);
    json_decref(all);
}

/* means ~ N(0, spread^2 I) and points ~ N(0, scale^2 I) from fixed keys. */
static double *normals(const uint8_t *key, uint64_t id, size_t n,
                       double scale)
{
    sc_stream s;
    double *v = malloc(n * sizeof *v);
    assert_non_null(v);
    sc_stream_init(&s, key, SC_STREAM_GAME, id);
    sc_stream_normals(&s, n, v);
    sc_stream_wipe(&s);
    for (size_t i = 0; i < n; i++)
        v[i] *= scale;
    return v;
}

static void random_model(sc_gmm *g, size_t d, size_t k, double spread,
                         double variance, uint64_t id)
{
    double *m = normals(key_a, id, k * d, spread);
    double *w = normals(key_b, id, k, 1.0);
    for (size_t i = 0; i < k; i++)
        w[i] = exp(w[i]); /* unequal positive weights */
    assert_int_equal(sc_gmm_init(g, d, k, variance, m, w), SC_OK);
    free(m);
    free(w);
}

/* Points near means (cancellation), between them, and far out. */
static double *probe_points(const sc_gmm *g, size_t n, double far)
{
    size_t d = g->dim;
    double *x = normals(key_b, 1000 + d, n * d, 1.0);
    for (size_t i = 0; i < n; i++) {
        const double *m = g->means + (i % g->k) * d;
        for (size_t c = 0; c < d; c++) {
            double *xc = &x[i * d + c];
            switch (i % 4) {
            case 0: *xc = m[c] + 1e-3 * *xc; break;
            case 1: *xc = m[c] + *xc; break;
            case 2: *xc = 0.5 * (m[c] + g->means[c]) + 0.1 * *xc; break;
            default: *xc = far * (*xc > 0 ? 1 : -1); break;
            }
        }
    }
    return x;
}

static void run_reference_case(size_t d, size_t k, double spread,
                               double variance, const double *ts, size_t nt,
                               double far, const char *what)
{
    sc_gmm g;
    size_t n = 16;
    random_model(&g, d, k, spread, variance, d * 7919 + k);
    double *x = probe_points(&g, n, far);
    for (size_t i = 0; i < nt; i++)
        check_points(&g, n, x, ts[i], what);
    free(x);
    sc_gmm_free(&g);
}

static const double times[] = {0.0, 1e-6, 0.05, 0.7, 3.0, 20.0};
#define NTIMES (sizeof times / sizeof times[0])

static void matches_reference_small(void **state)
{
    (void)state;
    run_reference_case(3, 5, 3.0, 0.3, times, NTIMES, 10, "d3 k5");
    run_reference_case(2, 2, 1.0, 1e-6, times, NTIMES, 5, "tiny variance");
    run_reference_case(4, 3, 0.01, 50, times, NTIMES, 100, "wide");
    /* Many separated components: mostly one nonzero responsibility per
     * point (sc_gmm.c's sparse sum) until t blurs them. */
    run_reference_case(16, 64, 3.0, 0.5, times, NTIMES, 30, "k64");
}

static void single_component_is_gaussian(void **state)
{
    (void)state;
    run_reference_case(6, 1, 3.0, 0.5, times, NTIMES, 1e3, "k1");
}

static void far_points_1e6(void **state)
{
    (void)state;
    run_reference_case(3, 4, 3.0, 1.0, times, NTIMES, 1e6, "far d3");
    run_reference_case(64, 8, 3.0, 1e-3, times, NTIMES, 1e6, "far d64");
    run_reference_case(16, 64, 3.0, 1e-3, times, NTIMES, 1e6, "far k64");
}

static void many_components(void **state)
{
    (void)state;
    const double ts[] = {0.0, 0.5, 20.0};
    run_reference_case(2, 4096, 3.0, 0.2, ts, 3, 1e6, "k4096");
}

static void high_dimension(void **state)
{
    (void)state;
    const double ts[] = {0.0, 0.5, 20.0};
    run_reference_case(4096, 3, 3.0, 1.0, ts, 3, 1e6, "d4096");
}

/* Central differences of logpdf agree with score. */
static void score_is_gradient_of_logpdf(void **state)
{
    (void)state;
    sc_gmm g;
    size_t d = 3, n = 12;
    random_model(&g, d, 4, 2.0, 0.5, 42);
    double *x = probe_points(&g, n, 4);
    for (size_t ti = 0; ti < 3; ti++) {
        double t = (double)ti * 0.4, sc[3];
        for (size_t i = 0; i < n; i++) {
            double *xi = x + i * d;
            assert_int_equal(sc_gmm_score(&g, 1, xi, t, sc), SC_OK);
            for (size_t c = 0; c < d; c++) {
                double h = 1e-5, keep = xi[c], up, dn;
                xi[c] = keep + h;
                assert_int_equal(sc_gmm_logpdf(&g, 1, xi, t, &up), SC_OK);
                xi[c] = keep - h;
                assert_int_equal(sc_gmm_logpdf(&g, 1, xi, t, &dn), SC_OK);
                xi[c] = keep;
                double fd = (up - dn) / (2 * h);
                assert_true(fabs(fd - sc[c]) <= 1e-5 * (1 + fabs(sc[c])));
            }
        }
    }
    free(x);
    sc_gmm_free(&g);
}

/* Trapezoid sums of exp(logpdf) over a grid reaching 12 component widths
 * past every mean: exponentially accurate for Gaussian integrands. */
static double grid_mass(const sc_gmm *g, double t, double lo, double hi,
                        size_t steps)
{
    size_t d = g->dim, cells = d == 1 ? steps + 1 : (steps + 1) * (steps + 1);
    double h = (hi - lo) / (double)steps, mass = 0;
    double *x = malloc(cells * d * sizeof *x), *lp = malloc(cells * 8);
    assert_non_null(x);
    assert_non_null(lp);
    for (size_t i = 0; i < cells; i++) {
        x[i * d] = lo + h * (double)(i % (steps + 1));
        if (d == 2)
            x[i * d + 1] = lo + h * (double)(i / (steps + 1));
    }
    assert_int_equal(sc_gmm_logpdf(g, cells, x, t, lp), SC_OK);
    for (size_t i = 0; i < cells; i++)
        mass += exp(lp[i]);
    free(x);
    free(lp);
    return mass * (d == 1 ? h : h * h);
}

static void density_integrates_to_one(void **state)
{
    (void)state;
    const double m1[] = {-2.0, 0.5, 3.0}, w1[] = {0.2, 0.5, 0.3};
    const double m2[] = {-2.0, 1.0, 0.5, -1.5, 3.0, 2.0};
    sc_gmm g1, g2;
    assert_int_equal(sc_gmm_init(&g1, 1, 3, 0.3, m1, w1), SC_OK);
    assert_int_equal(sc_gmm_init(&g2, 2, 3, 0.5, m2, w1), SC_OK);
    for (size_t i = 0; i < 3; i++) {
        double t = (double)i * 0.6;
        assert_true(fabs(grid_mass(&g1, t, -12, 12, 4800) - 1) < 1e-10);
        assert_true(fabs(grid_mass(&g2, t, -12, 12, 800) - 1) < 1e-9);
    }
    sc_gmm_free(&g1);
    sc_gmm_free(&g2);
}

/* The law of <x, u> under P_t: a 1-D mixture. */
typedef struct proj {
    const sc_gmm *g;
    const double *u;
    double t;
} proj;

static double proj_cdf(double z, const void *ctx)
{
    const proj *p = ctx;
    double et = exp(-p->t), sd = sqrt(vt_at(p->g->variance, p->t)), f = 0;
    for (size_t j = 0; j < p->g->k; j++) {
        double mu = 0;
        for (size_t c = 0; c < p->g->dim; c++)
            mu += p->u[c] * p->g->means[j * p->g->dim + c];
        f += p->g->weights[j] * 0.5 * erfc(-(z - et * mu) / (sd * M_SQRT2));
    }
    return f;
}

static double *project(const double *x, size_t n, size_t d, const double *u)
{
    double *z = malloc(n * sizeof *z);
    assert_non_null(z);
    for (size_t i = 0; i < n; i++) {
        z[i] = 0;
        for (size_t c = 0; c < d; c++)
            z[i] += u[c] * x[i * d + c];
    }
    return z;
}

static const double ks_means[] = {1, -2, 0.5, 0, 3, -1, -4, 0, 2, 2, 2, 2};
static const double ks_w[] = {0.2, 0.5, 0.3, 0.25};
static const double ks_u[] = {0.5, -0.5, 0.5, 0.5};

static void samples_match_mixture(void **state)
{
    (void)state;
    sc_gmm g;
    size_t n = 20000, d = 3;
    const double u[] = {0.6, 0.0, -0.8};
    double *x = malloc(n * d * sizeof *x);
    assert_non_null(x);
    assert_int_equal(sc_gmm_init(&g, d, 4, 0.3, ks_means, ks_w), SC_OK);
    for (size_t i = 0; i < 3; i++) {
        proj p = {&g, u, (double)i * 0.5};
        sc_gmm_sample(&g, key_a, 1000 * i, n, p.t, x);
        double *z = project(x, n, d, u);
        assert_true(sc_test_ks(z, n, proj_cdf, &p) < 1.95);
        free(z);
    }
    /* Mean of the coordinates against sum_k w_k m_k at t = 0. */
    sc_gmm_sample(&g, key_b, 0, n, 0.0, x);
    for (size_t c = 0; c < d; c++) {
        double mean = 0, want = 0, var = 0;
        for (size_t i = 0; i < n; i++)
            mean += x[i * d + c] / (double)n;
        for (size_t j = 0; j < 4; j++)
            want += g.weights[j] * ks_means[j * d + c];
        for (size_t j = 0; j < 4; j++)
            var += g.weights[j] * (0.3 + pow(ks_means[j * d + c] - want, 2));
        assert_true(fabs(mean - want) < 5 * sqrt(var / (double)n));
    }
    free(x);
    sc_gmm_free(&g);
}

/* Sampling at 0 then noising by the OU kernel matches sampling at t. */
static void ou_consistency(void **state)
{
    (void)state;
    sc_gmm g;
    size_t n = 20000, d = 4;
    double *x = malloc(n * d * sizeof *x);
    double *z = normals(key_b, 77, n * d, 1.0);
    assert_non_null(x);
    assert_int_equal(sc_gmm_init(&g, d, 3, 0.05, ks_means, NULL), SC_OK);
    for (size_t i = 1; i < 4; i++) {
        proj p = {&g, ks_u, (double)i * 0.3};
        sc_gmm_sample(&g, key_a, 0, n, 0.0, x);
        double et = exp(-p.t), s = sqrt(-expm1(-2 * p.t));
        for (size_t j = 0; j < n * d; j++)
            x[j] = et * x[j] + s * z[j];
        double *y = project(x, n, d, ks_u);
        assert_true(sc_test_ks(y, n, proj_cdf, &p) < 1.95);
        free(y);
    }
    free(z);
    free(x);
    sc_gmm_free(&g);
}

static void sampling_is_deterministic(void **state)
{
    (void)state;
    sc_gmm g;
    size_t d = 3;
    double a[30], b[30], c[30];
    assert_int_equal(sc_gmm_init(&g, d, 4, 0.3, ks_means, ks_w), SC_OK);
    sc_gmm_sample(&g, key_a, 5, 10, 0.2, a);
    sc_gmm_sample(&g, key_a, 5, 10, 0.2, b);
    assert_memory_equal(a, b, sizeof a);
    /* Point i depends on i only: a window of the same range agrees. */
    sc_gmm_sample(&g, key_a, 8, 3, 0.2, c);
    assert_memory_equal(a + 3 * d, c, 3 * d * sizeof *c);
    sc_gmm_sample(&g, key_b, 5, 10, 0.2, b);
    assert_memory_not_equal(a, b, sizeof a);
    sc_gmm_free(&g);
}

static void score_in_place(void **state)
{
    (void)state;
    sc_gmm g;
    size_t n = 300, d = 8;
    random_model(&g, d, 40, 3.0, 0.5, 5);
    double *x = probe_points(&g, n, 50), *y = malloc(n * d * sizeof *y);
    double *z = malloc(n * d * sizeof *z);
    assert_non_null(y);
    assert_non_null(z);
    /* t = 0.3: mostly one responsibility per point (the sparse sum);
     * t = 5: all components blurred together (the dense dgemm). */
    for (int i = 0; i < 2; i++) {
        double t = i == 0 ? 0.3 : 5.0;
        memcpy(z, x, n * d * sizeof *z);
        assert_int_equal(sc_gmm_score(&g, n, z, t, y), SC_OK);
        assert_int_equal(sc_gmm_score(&g, n, z, t, z), SC_OK);
        assert_memory_equal(z, y, n * d * sizeof *y);
    }
    free(z);
    free(x);
    free(y);
    sc_gmm_free(&g);
}

/* --- the family through sc_dist ---------------------------------------- */

static sc_params gmm_params(uint32_t dim, uint32_t k)
{
    sc_params p = {0};
    p.dim = dim;
    p.components = k;
    return p;
}

static void family_defaults_and_secret(void **state)
{
    (void)state;
    sc_params p = gmm_params(3, 4);
    sc_dist *d, *e;
    sc_error err;
    sc_secret_view v[4];
    assert_ptr_equal(sc_family_find("gmm"), &sc_family_gmm);
    assert_int_equal(sc_dist_new(&sc_family_gmm, &p, key_a, &d, &err),
                     SC_OK);
    assert_true(d->params.spread == 3.0 && d->params.variance == 1.0);
    assert_int_equal(sc_dist_secret(d, v, 4), 2);
    assert_string_equal(v[0].name, "means");
    assert_true(v[0].matrix && v[0].rows == 4 && v[0].cols == 3);
    assert_string_equal(v[1].name, "weights");
    assert_true(!v[1].matrix && v[1].rows == 1 && v[1].cols == 4);
    for (size_t i = 0; i < 4; i++)
        assert_true(v[1].data[i] == 0.25);
    assert_int_equal(sc_dist_secret_bytes(d, NULL, 0), 8 * (12 + 4));
    /* Means: spread times the secret stream's normals, nothing else. */
    uint8_t sk[SC_KEY_BYTES];
    double z[12];
    sc_stream s;
    sc_kdf(sk, key_a, 0, SC_CTX_SECRET);
    sc_stream_init(&s, sk, SC_STREAM_SECRET, 0);
    sc_stream_normals(&s, 12, z);
    for (size_t i = 0; i < 12; i++)
        assert_true(v[0].data[i] == 3.0 * z[i]);
    assert_int_equal(sc_dist_new(&sc_family_gmm, &p, key_b, &e, &err),
                     SC_OK);
    sc_secret_view ve[2];
    sc_dist_secret(e, ve, 2);
    assert_memory_not_equal(v[0].data, ve[0].data, 12 * sizeof(double));
    sc_dist_free(e);
    sc_dist_free(d);
}

static void family_oracles_use_the_secret(void **state)
{
    (void)state;
    sc_params p = gmm_params(4, 3);
    double w[] = {1, 2, 5};
    sc_dist *d;
    sc_error err;
    sc_secret_view v[2];
    p.spread = 2.0;
    p.variance = 0.4;
    p.weights = w;
    p.nweights = 3;
    assert_int_equal(sc_dist_new(&sc_family_gmm, &p, key_a, &d, &err),
                     SC_OK);
    assert_true(w[0] == 1); /* the caller's params are untouched */
    sc_dist_secret(d, v, 2);
    assert_true(fabs(v[1].data[0] - 0.125) < 1e-16);
    assert_true(fabs(d->params.weights[2] - 0.625) < 1e-16);
    sc_gmm g;
    assert_int_equal(sc_gmm_init(&g, 4, 3, 0.4, v[0].data, w), SC_OK);
    double x[40], lp1[10], lp2[10], s1[40], s2[40];
    assert_int_equal(sc_dist_sample(d, 0, 10, 0.1, x), SC_OK);
    double y[40];
    sc_gmm_sample(&g, d->sample_key, 0, 10, 0.1, y);
    assert_memory_equal(x, y, sizeof x);
    assert_int_equal(sc_dist_logpdf(d, 10, x, 0.1, lp1), SC_OK);
    assert_int_equal(sc_gmm_logpdf(&g, 10, x, 0.1, lp2), SC_OK);
    assert_memory_equal(lp1, lp2, sizeof lp1);
    assert_int_equal(sc_dist_score(d, 10, x, 0.1, s1), SC_OK);
    assert_int_equal(sc_gmm_score(&g, 10, x, 0.1, s2), SC_OK);
    assert_memory_equal(s1, s2, sizeof s1);
    assert_int_equal(sc_dist_logpdf(d, 1, x, -1.0, lp1), SC_EINVAL);
    sc_gmm_free(&g);
    sc_dist_free(d);
}

/* One bad parameter: refused, naming the field and the allowed range. */
static void expect_error(sc_params p, const char *field, const char *range)
{
    sc_dist *d = NULL;
    sc_error err = {{0}, {0}};
    assert_int_equal(sc_dist_new(&sc_family_gmm, &p, key_a, &d, &err),
                     SC_EINVAL);
    assert_null(d);
    assert_string_equal(err.field, field);
    if (strstr(err.message, range) == NULL)
        fail_msg("%s: message \"%s\" lacks \"%s\"", field, err.message,
                 range);
}

static void every_parameter_error(void **state)
{
    (void)state;
    sc_params p;
    double w[4] = {1, 1, 1, 1};
    expect_error(gmm_params(0, 2), "dim", "[1, 4096]");
    expect_error(gmm_params(4097, 2), "dim", "[1, 4096]");
    expect_error(gmm_params(3, 0), "components", "[1, 4096]");
    expect_error(gmm_params(3, 4097), "components", "[1, 4096]");
    expect_error(gmm_params(4096, 2048), "components", "<= 4194304");
    const double bad_spread[] = {-1, 2e6, NAN, INFINITY};
    for (size_t i = 0; i < 4; i++) {
        p = gmm_params(3, 2);
        p.spread = bad_spread[i];
        expect_error(p, "spread", "(0, 1e6]");
    }
    const double bad_var[] = {-1, 1e-7, 2e6, NAN, INFINITY};
    for (size_t i = 0; i < 5; i++) {
        p = gmm_params(3, 2);
        p.variance = bad_var[i];
        expect_error(p, "variance", "[1e-6, 1e6]");
    }
    p = gmm_params(3, 3);
    p.weights = w;
    p.nweights = 4;
    expect_error(p, "weights", "exactly components = 3");
    const double bad_w[] = {0, -1, NAN, INFINITY, 1e-301};
    for (size_t i = 0; i < 5; i++) {
        p = gmm_params(3, 4);
        w[2] = bad_w[i];
        p.weights = w;
        p.nweights = 4;
        expect_error(p, "weights", i < 4 ? "> 0" : "1e-300");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_shared_vectors),
        cmocka_unit_test(matches_reference_small),
        cmocka_unit_test(single_component_is_gaussian),
        cmocka_unit_test(far_points_1e6),
        cmocka_unit_test(many_components),
        cmocka_unit_test(high_dimension),
        cmocka_unit_test(score_is_gradient_of_logpdf),
        cmocka_unit_test(density_integrates_to_one),
        cmocka_unit_test(samples_match_mixture),
        cmocka_unit_test(ou_consistency),
        cmocka_unit_test(sampling_is_deterministic),
        cmocka_unit_test(score_in_place),
        cmocka_unit_test(family_defaults_and_secret),
        cmocka_unit_test(family_oracles_use_the_secret),
        cmocka_unit_test(every_parameter_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

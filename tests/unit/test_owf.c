/*
 * The owf family: f against tests/vectors/crypto.json, the exact
 * density against brute-force lattice sums, normalisation, score against
 * finite differences, the fast score against the exact 2^n-term score
 * on both sides of the switch, the sampler, the measurement and the
 * inversion predicate, and every parameter error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sc_commit.h"
#include "core/sc_core.h"
#include "core/sc_owf.h"
#include "core/sc_rng.h"
#include "vectors.h"

static const uint8_t key_a[SC_KEY_BYTES] = {1, 2, 3};
static const uint8_t key_b[SC_KEY_BYTES] = {9, 8, 7};

static sc_params owf_params(unsigned n, unsigned m)
{
    sc_params p;
    memset(&p, 0, sizeof p);
    p.seed_bits = n;
    p.image_bits = m;
    return p;
}

static sc_dist *owf_new(const sc_params *p)
{
    sc_dist *d = NULL;
    sc_error e;
    memset(&e, 0, sizeof e);
    int rc = sc_dist_new(&sc_family_owf, p, key_a, &d, &e);
    if (rc != SC_OK)
        fail_msg("owf refused: %s: %s", e.field, e.message);
    return d;
}

static double *sample(const sc_dist *d, uint64_t first, size_t n, double t)
{
    double *x = malloc(n * sc_dist_dim(d) * sizeof(double));
    assert_non_null(x);
    assert_int_equal(sc_dist_sample(d, first, n, t, x), SC_OK);
    return x;
}

static void pack_bits(const unsigned *bits, unsigned n, uint8_t *out)
{
    memset(out, 0, (n + 7) / 8);
    for (unsigned i = 0; i < n; i++)
        out[i / 8] |= (uint8_t)(bits[i] << (i % 8));
}

/* ---- f against the shared vectors ---- */

static void f_matches_vectors(void **state)
{
    (void)state;
    json_t *all = sc_test_vectors("crypto");
    json_t *v = json_object_get(all, "owf_f");
    json_t *cases = json_object_get(v, "cases");
    uint8_t fkey[SC_KEY_BYTES], seed[8], want_seed[8], img[64];
    char hex[17];
    assert_int_equal(sc_unhex(fkey, SC_KEY_BYTES, json_string_value(
                                  json_object_get(v, "f_key"))), SC_OK);
    assert_true(json_array_size(cases) > 0);
    for (size_t c = 0; c < json_array_size(cases); c++) {
        json_t *cs = json_array_get(cases, c);
        unsigned n = (unsigned)json_integer_value(
            json_object_get(cs, "seed_bits"));
        unsigned m = (unsigned)json_integer_value(
            json_object_get(cs, "image_bits"));
        unsigned bits[64];
        json_t *sj = json_object_get(cs, "seed"), *fj;
        for (unsigned i = 0; i < n; i++)
            bits[i] = (unsigned)json_integer_value(json_array_get(sj, i));
        pack_bits(bits, n, seed);
        sc_hex(hex, seed, sc_owf_bytes(n));
        assert_string_equal(hex, json_string_value(
                                     json_object_get(cs, "seed_hex")));
        assert_int_equal(sc_unhex(want_seed, sc_owf_bytes(n), hex), SC_OK);
        sc_owf_f(fkey, want_seed, n, m, img);
        fj = json_object_get(cs, "f");
        assert_int_equal(json_array_size(fj), m);
        for (unsigned j = 0; j < m; j++)
            assert_int_equal(sc_owf_bit(img, j),
                             json_integer_value(json_array_get(fj, j)));
        if (m % 8 != 0)
            assert_int_equal(img[m / 8] >> (m % 8), 0);
    }
    json_decref(all);
}

/* ---- brute force: the mixture summed term by term in long double ---- */

static long double lse2(long double a, long double b)
{
    long double hi = a > b ? a : b;
    if (hi == -INFINITY)
        return hi;
    return hi + logl(expl(a - hi) + expl(b - hi));
}

/* log q_b(v) and its derivative by the direct lattice sum.  In a, the
 * envelope times the component is a Gaussian centred at
 * a* = v e^{-t} tau^2 / (e^{-2t} tau^2 + var) of width at most tau: the
 * sum runs over every lattice point within 12 tau of a*. */
static void brute_comb(const sc_params *p, double t, int b, double v,
                       long double *lq, long double *sq)
{
    long double e1 = expl(-(long double)t), tau2 = p->tau * p->tau;
    long double var = e1 * e1 * p->s0 * p->s0 - expm1l(-2.0L * t);
    long double centre = v * e1 * tau2 / (e1 * e1 * tau2 + var);
    long lo = (long)floorl((centre - 12 * p->tau) / p->delta) - 1;
    long hi = (long)ceill((centre + 12 * p->tau) / p->delta) + 1;
    long zk = (long)ceill(12 * p->tau / p->delta) + 1;
    long double lz = -INFINITY, lt = -INFINITY, num = 0, top = -INFINITY;
    for (long i = -zk; i <= zk; i++) {
        long double a = p->delta * ((long double)i + 0.5L * b);
        lz = lse2(lz, -a * a / (2 * tau2));
    }
    for (int pass = 0; pass < 2; pass++)
        for (long i = lo; i <= hi; i++) {
            long double a = p->delta * ((long double)i + 0.5L * b);
            long double d = v - e1 * a;
            long double l = -a * a / (2 * tau2) - d * d / (2 * var);
            if (pass == 0) {
                top = l > top ? l : top;
                continue;
            }
            lt = lse2(lt, l);
            num += expl(l - top) * (e1 * a - v) / var;
        }
    *lq = lt - lz - 0.5L * logl(2 * M_PI * var);
    *sq = num / expl(lt - top);
}

static long double brute_logpdf(const sc_dist *d, const double *x,
                                double t)
{
    const sc_params *p = &d->params;
    unsigned n = p->seed_bits, m = p->image_bits;
    long double e1 = expl(-(long double)t), mu = e1 * p->radius;
    long double var = e1 * e1 * p->s0 * p->s0 - expm1l(-2.0L * t);
    long double total = -INFINITY;
    for (uint64_t s = 0; s < ((uint64_t)1 << n); s++) {
        uint8_t seed[8], img[64];
        long double l = -(long double)n * logl(2);
        for (unsigned i = 0; i < 8; i++)
            seed[i] = (uint8_t)(s >> (8 * i));
        sc_owf_f(p->f_key, seed, n, m, img);
        for (unsigned i = 0; i < n; i++) {
            long double c = ((s >> i) & 1) ? mu : -mu, dd = x[i] - c;
            l += -dd * dd / (2 * var) - 0.5L * logl(2 * M_PI * var);
        }
        for (unsigned j = 0; j < m; j++) {
            long double lq, sq;
            int b = (int)sc_owf_bit(img, j);
            brute_comb(p, t, b, x[n + j], &lq, &sq);
            l += lq;
        }
        total = lse2(total, l);
    }
    return total;
}

static const double probe_times[] = {0, 0.003, 0.02, 0.1, 0.142, 0.3,
                                     1.0, 4.0};
#define NPROBE_T (sizeof probe_times / sizeof probe_times[0])

/* Samples of P_t and points off the sample's support alike. */
static void logpdf_matches_brute_force(void **state)
{
    (void)state;
    sc_params p = owf_params(3, 4);
    sc_dist *d = owf_new(&p);
    size_t dim = sc_dist_dim(d);
    for (size_t k = 0; k < NPROBE_T; k++) {
        double t = probe_times[k], got[6];
        double *x = sample(d, 100 * k, 6, t);
        x[0] = 0.01;                  /* a seed coordinate near 0 */
        x[dim + dim - 1] = 0.37 * exp(-t); /* V between cosets */
        x[2 * dim + 3] = 3.3;
        assert_int_equal(sc_dist_logpdf(d, 6, x, t, got), SC_OK);
        for (size_t i = 0; i < 6; i++) {
            long double want = brute_logpdf(d, x + i * dim, t);
            assert_true(isfinite(got[i]));
            if (fabsl(got[i] - want) > 1e-12L * (1 + fabsl(want)))
                fail_msg("t=%g point %zu: logpdf %.17g, brute %.17Lg", t,
                         i, got[i], want);
        }
        free(x);
    }
    sc_dist_free(d);
}

/* ---- the density integrates to 1 (n = m = 1): Riemann sums with a step
 * of half the component width, exact to about 2 exp(-2 pi^2 4) ---- */

static double grid_mass(const sc_dist *d, double t)
{
    const sc_params *p = &d->params;
    double e1 = exp(-t), sd = sqrt(e1 * e1 * p->s0 * p->s0 - expm1(-2 * t));
    double h = sd / 2, ulim = e1 * p->radius + 14 * sd;
    double vlim = e1 * 10 * p->tau + 14 * sd;
    size_t nu = (size_t)ceil(ulim / h), nv = (size_t)ceil(vlim / h);
    size_t row = 2 * nv + 1;
    double *pts = malloc(2 * row * sizeof(double));
    double *lp = malloc(row * sizeof(double));
    long double mass = 0;
    assert_true(pts != NULL && lp != NULL);
    for (size_t i = 0; i <= 2 * nu; i++) {
        double u = ((double)i - (double)nu) * h;
        if (fabs(fabs(u) - e1 * p->radius) > 14 * sd)
            continue; /* both vertices' mass there is below e^-98 */
        for (size_t j = 0; j < row; j++) {
            pts[2 * j] = u;
            pts[2 * j + 1] = ((double)j - (double)nv) * h;
        }
        assert_int_equal(sc_dist_logpdf(d, row, pts, t, lp), SC_OK);
        for (size_t j = 0; j < row; j++)
            mass += expl(lp[j]);
    }
    free(pts);
    free(lp);
    return (double)(mass * h * h);
}

static void logpdf_integrates_to_one(void **state)
{
    (void)state;
    sc_params p = owf_params(1, 1);
    p.s0 = 0.05; /* keeps the t = 0 grid small */
    sc_dist *d = owf_new(&p);
    const double times[] = {0, 0.02, 0.3};
    for (size_t k = 0; k < 3; k++) {
        double mass = grid_mass(d, times[k]);
        if (fabs(mass - 1) > 1e-9)
            fail_msg("t=%g: mass %.15g", times[k], mass);
    }
    sc_dist_free(d);
}

/* ---- scores against finite differences of logpdf ---- */

static void check_fd(const sc_dist *d, const double *x, double t,
                     const double *score)
{
    size_t dim = sc_dist_dim(d);
    double sd = sqrt(exp(-2 * t) * d->params.s0 * d->params.s0 -
                     expm1(-2 * t));
    double h = 1e-4 * sd, y[4 * 64], lp[4];
    for (size_t j = 0; j < dim; j++) {
        const double off[4] = {-2 * h, -h, h, 2 * h};
        for (int k = 0; k < 4; k++) {
            memcpy(y + k * dim, x, dim * sizeof(double));
            y[k * dim + j] += off[k];
        }
        assert_int_equal(sc_dist_logpdf(d, 4, y, t, lp), SC_OK);
        double fd = (lp[0] - 8 * lp[1] + 8 * lp[2] - lp[3]) / (12 * h);
        double scale = fabs(score[j]) + 1 / sd;
        if (fabs(fd - score[j]) > 1e-6 * scale)
            fail_msg("t=%g coord %zu: score %.12g, fd %.12g", t, j,
                     score[j], fd);
    }
}

static void score_matches_fd_of_logpdf(void **state)
{
    (void)state;
    sc_params p = owf_params(3, 5);
    sc_dist *d = owf_new(&p);
    size_t dim = sc_dist_dim(d);
    for (size_t k = 0; k < NPROBE_T; k++) {
        double t = probe_times[k], s_exact[3 * 8], s_fast[3 * 8];
        double *x = sample(d, 7 * k, 3, t);
        x[2 * dim] = 0.2 * exp(-t); /* an ambiguous seed coordinate */
        assert_int_equal(sc_owf_score_exact(d, 3, x, t, s_exact), SC_OK);
        assert_int_equal(sc_dist_score(d, 3, x, t, s_fast), SC_OK);
        for (size_t i = 0; i < 3; i++)
            check_fd(d, x + i * dim, t, s_exact + i * dim);
        for (size_t i = 0; i < 2; i++) /* typical points only */
            check_fd(d, x + i * dim, t, s_fast + i * dim);
        free(x);
    }
    sc_dist_free(d);
}

/* ---- the fast score against the exact sum, on both sides of the
 * switch: within SC_OWF_SCORE_TOL plus the rounding of the two ---- */

static double max_fast_error(const sc_dist *d, double t, size_t npts)
{
    size_t dim = sc_dist_dim(d);
    double *x = sample(d, (uint64_t)(t * 1e6), npts, t), worst = 0;
    double *fast = malloc(npts * dim * sizeof(double));
    double *exact = malloc(npts * dim * sizeof(double));
    assert_true(fast != NULL && exact != NULL);
    assert_int_equal(sc_dist_score(d, npts, x, t, fast), SC_OK);
    assert_int_equal(sc_owf_score_exact(d, npts, x, t, exact), SC_OK);
    for (size_t i = 0; i < npts * dim; i++) {
        double err = fabs(fast[i] - exact[i]);
        if (err > SC_OWF_SCORE_TOL + 1e-12 * (1 + fabs(exact[i])))
            fail_msg("t=%g entry %zu: fast %.17g, exact %.17g", t, i,
                     fast[i], exact[i]);
        worst = fmax(worst, err);
    }
    free(x);
    free(fast);
    free(exact);
    return worst;
}

static void fast_score_matches_exact(void **state)
{
    (void)state;
    const unsigned shapes[][2] = {{1, 3}, {4, 40}, {10, 24}};
    for (size_t s = 0; s < 3; s++) {
        sc_params p = owf_params(shapes[s][0], shapes[s][1]);
        sc_dist *d = owf_new(&p);
        double ts = sc_owf_switch_time(d);
        const double times[] = {0, 0.01, 0.05, 0.1, ts * 0.999, ts,
                                ts * 1.001, 0.2, 0.5, 1, 3, 12};
        assert_true(ts > 0 && ts < 1);
        for (size_t k = 0; k < sizeof times / sizeof times[0]; k++)
            max_fast_error(d, times[k], 64);
        sc_dist_free(d);
    }
}

/* Parameters drawn at random over wide ranges: whatever validate
 * accepts, the fast score keeps its accuracy at every t. */
static double log_uniform(sc_stream *s, double lo, double hi)
{
    return lo * exp(sc_stream_uniform(s) * log(hi / lo));
}

static void fast_score_holds_for_accepted_parameters(void **state)
{
    (void)state;
    sc_stream s;
    unsigned accepted = 0;
    sc_stream_init(&s, key_b, SC_STREAM_GAME, 77);
    for (int it = 0; it < 120; it++) {
        sc_params p = owf_params(1 + (unsigned)(sc_stream_u64(&s) % 8),
                                 1 + (unsigned)(sc_stream_u64(&s) % 40));
        sc_dist *d;
        sc_error e;
        p.radius = log_uniform(&s, 0.5, 50);
        p.delta = log_uniform(&s, 0.05, 5);
        p.tau = p.delta * log_uniform(&s, 0.5, 50);
        p.s0 = log_uniform(&s, 1e-5, 0.3);
        p.s_y = log_uniform(&s, 1e-5, 0.1);
        if (sc_dist_new(&sc_family_owf, &p, key_a, &d, &e) != SC_OK)
            continue;
        double ts = sc_owf_switch_time(d);
        const double times[] = {0, 0.5 * ts, 0.99 * ts, ts, 1.01 * ts,
                                2 * ts + 0.1, 5};
        for (size_t k = 0; k < sizeof times / sizeof times[0]; k++)
            max_fast_error(d, times[k], 16);
        accepted++;
        sc_dist_free(d);
    }
    assert_true(accepted >= 20);
}

/* The switch sits where it must: just past it, the phase-averaged V
 * score (brute force) is within the tolerance of the exact one on
 * samples; at 0.8 of it, it is not. */
static double blurred_v_error(const sc_dist *d, double t, size_t npts)
{
    const sc_params *p = &d->params;
    size_t dim = sc_dist_dim(d);
    double *x = sample(d, 5000, npts, t), worst = 0;
    double *exact = malloc(npts * dim * sizeof(double));
    assert_non_null(exact);
    assert_int_equal(sc_owf_score_exact(d, npts, x, t, exact), SC_OK);
    for (size_t i = 0; i < npts; i++)
        for (unsigned j = 0; j < p->image_bits; j++) {
            long double lq[2], sq[2];
            double v = x[i * dim + p->seed_bits + j];
            brute_comb(p, t, 0, v, &lq[0], &sq[0]);
            brute_comb(p, t, 1, v, &lq[1], &sq[1]);
            long double w1 = 1 / (1 + expl(lq[0] - lq[1]));
            long double avg = sq[0] + w1 * (sq[1] - sq[0]);
            double e = fabs((double)avg - exact[i * dim + p->seed_bits + j]);
            worst = fmax(worst, e);
        }
    free(x);
    free(exact);
    return worst;
}

static void switch_time_is_where_blurring_suffices(void **state)
{
    (void)state;
    sc_params p = owf_params(4, 16);
    sc_dist *d = owf_new(&p);
    double ts = sc_owf_switch_time(d);
    assert_true(blurred_v_error(d, ts, 64) <= SC_OWF_SCORE_TOL);
    assert_true(blurred_v_error(d, 0.8 * ts, 64) > 10 * SC_OWF_SCORE_TOL);
    sc_dist_free(d);
}

/* ---- the sampler ---- */

/* E[a^2] over the coset delta (Z + b/2) under the envelope. */
static double lattice_second_moment(const sc_params *p, int b)
{
    long double z = 0, s2 = 0;
    for (long k = -400; k <= 400; k++) {
        long double a = p->delta * ((long double)k + 0.5L * b);
        long double w = expl(-a * a / (2.0L * p->tau * p->tau));
        z += w;
        s2 += w * a * a;
    }
    return (double)(s2 / z);
}

/* Mean over seeds of E[V_j^2] at time t. */
static double v_second_moment(const sc_dist *d, unsigned j, double t)
{
    const sc_params *p = &d->params;
    double m2[2] = {lattice_second_moment(p, 0),
                    lattice_second_moment(p, 1)};
    double acc = 0, var = exp(-2 * t) * p->s0 * p->s0 - expm1(-2 * t);
    size_t ns = (size_t)1 << p->seed_bits;
    for (size_t s = 0; s < ns; s++) {
        uint8_t seed[8] = {(uint8_t)s}, img[64];
        sc_owf_f(p->f_key, seed, p->seed_bits, p->image_bits, img);
        acc += m2[sc_owf_bit(img, j)];
    }
    return exp(-2 * t) * acc / (double)ns + var;
}

static void check_moments(const sc_dist *d, const double *x, size_t npts,
                          double t)
{
    const sc_params *p = &d->params;
    size_t dim = sc_dist_dim(d);
    double mu = exp(-t) * p->radius;
    double var = exp(-2 * t) * p->s0 * p->s0 - expm1(-2 * t);
    for (size_t j = 0; j < dim; j++) {
        double s1 = 0, s2 = 0, s4 = 0, pos = 0;
        for (size_t i = 0; i < npts; i++) {
            double v = x[i * dim + j];
            s1 += v;
            s2 += v * v;
            s4 += v * v * v * v;
            pos += v > 0;
        }
        double m2 = s2 / npts, se2 = sqrt((s4 / npts - m2 * m2) / npts);
        double want = j < p->seed_bits ? mu * mu + var
                                       : v_second_moment(d, (unsigned)(
                                             j - p->seed_bits), t);
        assert_true(fabs(s1 / npts) < 5 * sqrt(m2 / npts));
        assert_true(fabs(m2 - want) < 5 * se2);
        if (j < p->seed_bits)
            assert_true(fabs(pos / npts - 0.5) < 5 * 0.5 / sqrt(npts));
    }
}

/* Every orthant equally often (chi-square, 63 degrees of freedom, far
 * tail), and at t = 0 the phases of V read f of the orthant. */
static void check_orthants(const sc_dist *d, const double *x, size_t npts,
                           int phases)
{
    const sc_params *p = &d->params;
    size_t dim = sc_dist_dim(d), count[64] = {0};
    double chi2 = 0, expect = (double)npts / 64;
    for (size_t i = 0; i < npts; i++) {
        const double *xi = x + i * dim;
        unsigned s = 0;
        for (unsigned k = 0; k < 6; k++)
            s |= (unsigned)(xi[k] > 0) << k;
        count[s]++;
        if (phases) {
            uint8_t seed[1] = {(uint8_t)s}, img[2], bh[2];
            sc_owf_f(p->f_key, seed, 6, p->image_bits, img);
            sc_owf_bhat(d, xi + 6, bh);
            assert_memory_equal(img, bh, sc_owf_bytes(p->image_bits));
        }
    }
    for (size_t s = 0; s < 64; s++)
        chi2 += (count[s] - expect) * (count[s] - expect) / expect;
    assert_true(chi2 < 130); /* P(chi2_63 > 130) ~ 3e-6 */
}

static void sampler_moments_and_orthants(void **state)
{
    (void)state;
    sc_params p = owf_params(6, 10);
    sc_dist *d = owf_new(&p);
    const double times[] = {0, 0.1, 0.7};
    size_t npts = 20000;
    for (size_t k = 0; k < 3; k++) {
        double *x = sample(d, 1000000 * k, npts, times[k]);
        check_moments(d, x, npts, times[k]);
        check_orthants(d, x, npts, times[k] == 0);
        free(x);
    }
    sc_dist_free(d);
}

static void sampler_is_deterministic(void **state)
{
    (void)state;
    sc_params p = owf_params(64, 64);
    sc_dist *d = owf_new(&p), *d2 = owf_new(&p);
    size_t dim = sc_dist_dim(d);
    double *all = sample(d, 0, 10, 0.25), *one = sample(d2, 5, 1, 0.25);
    assert_memory_equal(all + 5 * dim, one, dim * sizeof(double));
    for (size_t j = 0; j < 10 * dim; j++)
        assert_true(isfinite(all[j]));
    free(all);
    free(one);
    sc_dist_free(d);
    sc_dist_free(d2);
}

/* ---- the measurement and the inversion predicate ---- */

static void check_round(const sc_dist *d, const double *xs, const double *y)
{
    const sc_params *p = &d->params;
    unsigned n = p->seed_bits, m = p->image_bits;
    uint64_t s = 0;
    uint8_t seed[8], img[64], bh[64];
    double wrong[600];
    for (unsigned i = 0; i < n; i++)
        s |= (uint64_t)(xs[i] > 0) << i;
    for (unsigned b = 0; b < 8; b++)
        seed[b] = (uint8_t)(s >> (8 * b));
    sc_owf_f(p->f_key, seed, n, m, img);
    sc_owf_bhat(d, y, bh);
    assert_memory_equal(img, bh, sc_owf_bytes(m));
    assert_int_equal(sc_owf_check_sample(d, y, xs), m);
    assert_int_equal(sc_owf_check_seed(d, y, seed, sc_owf_bytes(n)), m);
    seed[0] ^= 1; /* another seed: f differs somewhere */
    assert_true(sc_owf_check_seed(d, y, seed, sc_owf_bytes(n)) < (int)m);
    memcpy(wrong, xs, p->dim * sizeof(double));
    wrong[0] = -wrong[0];
    assert_true(sc_owf_check_sample(d, y, wrong) < m);
}

static void measurement_always_solvable(void **state)
{
    (void)state;
    sc_params p = owf_params(12, 64);
    sc_dist *d = owf_new(&p);
    double xs[76], y[64], xs2[76], y2[64];
    for (uint64_t id = 0; id < 200; id++) {
        unsigned draws;
        assert_int_equal(sc_owf_measure(d, key_b, id, xs, y, &draws),
                         SC_OK);
        assert_int_equal(draws, 1);
        check_round(d, xs, y);
    }
    assert_int_equal(sc_owf_measure(d, key_b, 7, xs, y, NULL), SC_OK);
    assert_int_equal(sc_owf_measure(d, key_b, 7, xs2, y2, NULL), SC_OK);
    assert_memory_equal(xs, xs2, sizeof xs);
    assert_memory_equal(y, y2, sizeof y);
    sc_dist_free(d);
}

/* With the measurement noise near its limit a draw often misreads a
 * phase; the loop draws again and every round still has a solution. */
static void measurement_redraws_until_solvable(void **state)
{
    (void)state;
    sc_params p = owf_params(8, 16);
    sc_error e;
    p.s_y = 1; /* refused: the message gives the largest s_y allowed */
    assert_int_equal(sc_family_owf.validate(&p, &e), SC_EINVAL);
    assert_string_equal(e.field, "s_y");
    p = owf_params(8, 16);
    p.s_y = 0.999 * strtod(strstr(e.message, "(0, ") + 4, NULL);
    sc_dist *d = owf_new(&p);
    double xs[24], y[16];
    unsigned redrawn = 0;
    for (uint64_t id = 0; id < 300; id++) {
        unsigned draws;
        assert_int_equal(sc_owf_measure(d, key_b, id, xs, y, &draws),
                         SC_OK);
        assert_true(draws >= 1 && draws <= 40);
        redrawn += draws > 1;
        check_round(d, xs, y);
    }
    assert_true(redrawn > 50); /* about 1/2 of rounds need a redraw */
    sc_dist_free(d);
}

static void check_seed_refuses_malformed(void **state)
{
    (void)state;
    sc_params p = owf_params(12, 8);
    sc_dist *d = owf_new(&p);
    double y[8] = {0};
    uint8_t seed[3] = {0x12, 0x03, 0};
    assert_true(sc_owf_check_seed(d, y, seed, 2) >= 0);
    assert_int_equal(sc_owf_check_seed(d, y, seed, 3), SC_EINVAL);
    assert_int_equal(sc_owf_check_seed(d, y, seed, 1), SC_EINVAL);
    seed[1] = 0x13; /* bit 12 set: past n */
    assert_int_equal(sc_owf_check_seed(d, y, seed, 2), SC_EINVAL);
    sc_dist_free(d);
}

/* ---- parameters ---- */

static void expect_refused(sc_params p, const char *field)
{
    sc_error e;
    memset(&e, 0, sizeof e);
    assert_int_equal(sc_family_owf.validate(&p, &e), SC_EINVAL);
    if (strcmp(e.field, field) != 0)
        fail_msg("expected field %s, got %s: %s", field, e.field,
                 e.message);
    assert_true(strlen(e.message) > 10);
}

static void parameter_errors_name_the_field(void **state)
{
    (void)state;
    sc_params p;
    expect_refused(owf_params(0, 8), "seed_bits");
    expect_refused(owf_params(65, 8), "seed_bits");
    expect_refused(owf_params(8, 0), "image_bits");
    expect_refused(owf_params(8, 513), "image_bits");
    p = owf_params(8, 8), p.radius = -1;
    expect_refused(p, "radius");
    p = owf_params(8, 8), p.delta = NAN;
    expect_refused(p, "delta");
    p = owf_params(8, 8), p.s0 = -0.01;
    expect_refused(p, "s0");
    p = owf_params(8, 8), p.s_y = -1;
    expect_refused(p, "s_y");
    p = owf_params(8, 8), p.s_y = 11;
    expect_refused(p, "s_y");
    p = owf_params(8, 8), p.tau = 600;
    expect_refused(p, "tau"); /* more than 1000 delta */
    p = owf_params(8, 8), p.s0 = 0.3;
    expect_refused(p, "s0"); /* phases unreadable */
}

/* Regimes that do not overlap: the message gives the least radius (or
 * tau) that works, and that value does work. */
static void non_overlapping_regimes_are_refused(void **state)
{
    (void)state;
    struct {
        double radius, tau;
        const char *field;
    } cases[] = {{1.0, 2.5, "radius"}, {4.0, 0.5, "tau"},
                 {2.0, 1.0, "radius"}};
    for (size_t c = 0; c < 3; c++) {
        sc_params p = owf_params(16, 64);
        sc_error e;
        p.radius = cases[c].radius;
        p.tau = cases[c].tau;
        expect_refused(p, cases[c].field);
        assert_int_equal(sc_family_owf.validate(&p, &e), SC_EINVAL);
        assert_non_null(strstr(e.message, "overlap"));
        double least = strtod(strstr(e.message, "[") + 1, NULL);
        double *f = strcmp(e.field, "radius") == 0 ? &p.radius : &p.tau;
        *f = least * 1.001;
        assert_int_equal(sc_family_owf.validate(&p, &e), SC_OK);
        *f = least * 0.99;
        assert_int_equal(sc_family_owf.validate(&p, &e), SC_EINVAL);
    }
}

static void defaults_and_f_key(void **state)
{
    (void)state;
    sc_params p = owf_params(64, 512), q;
    sc_dist *d = owf_new(&p), *d2 = owf_new(&p), *d3;
    const sc_params *dp = &d->params;
    static const uint8_t zero[SC_KEY_BYTES];
    sc_error e;
    assert_int_equal(sc_dist_dim(d), 576);
    assert_true(dp->radius == 4 && dp->delta == 0.5 && dp->tau == 2.5);
    assert_true(dp->s0 == 0.01 && dp->s_y == 0.01 && dp->has_f_key);
    assert_memory_not_equal(dp->f_key, zero, SC_KEY_BYTES);
    assert_memory_equal(dp->f_key, d2->params.f_key, SC_KEY_BYTES);
    assert_int_equal(sc_dist_new(&sc_family_owf, &p, key_b, &d3, &e), SC_OK);
    assert_memory_not_equal(dp->f_key, d3->params.f_key, SC_KEY_BYTES);
    sc_dist_free(d3);
    q = p; /* a given f_key is kept */
    memset(q.f_key, 0xab, SC_KEY_BYTES);
    q.has_f_key = true;
    assert_int_equal(sc_dist_new(&sc_family_owf, &q, key_b, &d3, &e), SC_OK);
    assert_memory_equal(d3->params.f_key, q.f_key, SC_KEY_BYTES);
    assert_int_equal(sc_dist_secret(d3, NULL, 0), 0);
    sc_dist_free(d3);
    sc_dist_free(d);
    sc_dist_free(d2);
}

/* Large n: the fast score runs, the exact sums say they cannot; far
 * times and far points stay finite. */
static void large_seed_and_extreme_inputs(void **state)
{
    (void)state;
    sc_params p = owf_params(17, 8);
    sc_dist *d = owf_new(&p);
    double x[25], out[25], lp;
    for (size_t j = 0; j < 25; j++)
        x[j] = j % 2 ? 1e6 : -3.7e5;
    assert_int_equal(sc_dist_logpdf(d, 1, x, 0.1, &lp), SC_ENOTSUP);
    assert_int_equal(sc_owf_score_exact(d, 1, x, 0.1, out), SC_ENOTSUP);
    const double times[] = {0, 0.05, 1, 50, 1e3, 1e300};
    for (size_t k = 0; k < 6; k++) {
        assert_int_equal(sc_dist_score(d, 1, x, times[k], out), SC_OK);
        for (size_t j = 0; j < 25; j++)
            assert_true(isfinite(out[j]));
    }
    assert_int_equal(sc_dist_score(d, 1, x, 1e3, out), SC_OK);
    for (size_t j = 0; j < 25; j++)
        assert_true(fabs(out[j] + x[j]) <= 1e-9 * fabs(x[j]));
    sc_dist_free(d);
    p = owf_params(2, 3);
    d = owf_new(&p);
    const double times2[] = {0, 0.05, 1, 1e3};
    for (size_t k = 0; k < 4; k++) {
        assert_int_equal(sc_dist_logpdf(d, 1, x, times2[k], &lp), SC_OK);
        assert_true(isfinite(lp));
        assert_int_equal(sc_owf_score_exact(d, 1, x, times2[k], out), SC_OK);
        for (size_t j = 0; j < 5; j++)
            assert_true(isfinite(out[j]));
    }
    sc_dist_free(d);
}

/* Beyond |V| ~ 1e154 the envelope term V^2 overflows; it is common to
 * both cosets, so the blurred score (about -V there) stays finite. */
static void blurred_score_finite_where_v_squared_overflows(void **state)
{
    (void)state;
    sc_params p = owf_params(2, 3);
    sc_dist *d = owf_new(&p);
    double x[5] = {1.0, -1.0, 1e200, -3e160, 2e300}, out[5];
    const double times[] = {1, 20, 700};
    for (size_t k = 0; k < 3; k++) {
        assert_true(times[k] >= sc_owf_switch_time(d));
        assert_int_equal(sc_dist_score(d, 1, x, times[k], out), SC_OK);
        for (size_t j = 2; j < 5; j++) {
            assert_true(isfinite(out[j]));
            assert_true(out[j] * x[j] < 0);
        }
    }
    sc_dist_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(f_matches_vectors),
        cmocka_unit_test(logpdf_matches_brute_force),
        cmocka_unit_test(logpdf_integrates_to_one),
        cmocka_unit_test(score_matches_fd_of_logpdf),
        cmocka_unit_test(fast_score_matches_exact),
        cmocka_unit_test(fast_score_holds_for_accepted_parameters),
        cmocka_unit_test(switch_time_is_where_blurring_suffices),
        cmocka_unit_test(sampler_moments_and_orthants),
        cmocka_unit_test(sampler_is_deterministic),
        cmocka_unit_test(measurement_always_solvable),
        cmocka_unit_test(measurement_redraws_until_solvable),
        cmocka_unit_test(check_seed_refuses_malformed),
        cmocka_unit_test(parameter_errors_name_the_field),
        cmocka_unit_test(non_overlapping_regimes_are_refused),
        cmocka_unit_test(defaults_and_f_key),
        cmocka_unit_test(large_seed_and_extreme_inputs),
        cmocka_unit_test(blurred_score_finite_where_v_squared_overflows),
    };
    return cmocka_run_group_tests_name("owf", tests, NULL, NULL);
}

/* The discrete Gaussian of sc_rng.h / sc_dgauss.h against probabilities
 * computed here in long double, straight from P(k) ~ exp(-pi k^2/gamma^2). */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/sc_dgauss.h"
#include "core/sc_rng.h"

#define PI_L 3.141592653589793238462643383279502884L

static const uint8_t test_key[SC_KEY_BYTES] = {0x5c, 0x01, 0x02};

/* sum over |k| <= kmax (kmax < 0: all k that matter) of exp(-pi k^2/g^2) */
static long double mass_l(double gamma, int64_t kmax)
{
    int64_t lim = kmax >= 0 ? kmax : (int64_t)(20 * gamma) + 20;
    long double s = 0, g2 = (long double)gamma * gamma;
    for (int64_t k = lim; k >= 1; k--)
        s += expl(-PI_L * (long double)k * k / g2);
    return 1 + 2 * s;
}

/* P(|k| > w), summed from the far tail inwards: no 1 - big, so it keeps
 * its digits even where long double is only double (valgrind). */
static long double outside_l(double gamma, int64_t w)
{
    int64_t lim = (int64_t)(20 * gamma) + 20;
    long double s = 0, g2 = (long double)gamma * gamma;
    for (int64_t k = lim; k > w; k--)
        s += expl(-PI_L * (long double)k * k / g2);
    return 2 * s / mass_l(gamma, -1);
}

static long double prob_l(double gamma, int64_t k, long double z)
{
    return expl(-PI_L * (long double)k * k / ((long double)gamma * gamma)) /
           z;
}

/* P(k) the table implies: differences of consecutive CDF entries. */
static double table_prob(const sc_dgauss *g, int64_t k)
{
    int64_t i = k - g->kmin;
    if (i < 0 || i >= (int64_t)g->len)
        return 0;
    return g->cdf[i] - (i > 0 ? g->cdf[i - 1] : 0);
}

static void norm_matches_long_double(void **state)
{
    (void)state;
    const double gammas[] = {0.01, 0.3, 1, 2.5, 6, 30, 100, 1000};
    for (size_t i = 0; i < sizeof gammas / sizeof gammas[0]; i++) {
        double g = gammas[i];
        long double want = mass_l(g, -1);
        assert_true(fabsl(sc_dgauss_norm(g, -1) - want) <= 4e-16L * want);
        for (int64_t k = 0; k <= 7; k++) {
            long double wk = mass_l(g, k);
            assert_true(fabsl(sc_dgauss_norm(g, k) - wk) <= 4e-16L * wk);
        }
    }
}

/* All but 1e-17 of the mass inside the window, and no wider than that. */
static void window_holds_all_but_1e17(void **state)
{
    (void)state;
    const double gammas[] = {0.01, 0.5, 1, 3, 6, 17.5, 100, 1000};
    for (size_t i = 0; i < sizeof gammas / sizeof gammas[0]; i++) {
        double g = gammas[i];
        int64_t w = sc_dgauss_halfwidth(g);
        assert_true(outside_l(g, w) < 1e-17L);
        if (w > 0) /* one narrower would lose about as much */
            assert_true(outside_l(g, w - 1) >= 1e-18L);
    }
}

/* Each atom the table implies is within two steps of the 53-bit uniform
 * (one per end of its CDF interval) of the exact probability; the CDF is
 * monotone and ends at exactly 1. */
static void table_probabilities_exact(void **state)
{
    (void)state;
    const double gammas[] = {0.01, 0.7, 1, 6, 30, 100, 1000};
    for (size_t i = 0; i < sizeof gammas / sizeof gammas[0]; i++) {
        double g = gammas[i];
        sc_dgauss dg;
        assert_int_equal(sc_dgauss_init(&dg, g), SC_OK);
        assert_true(dg.cdf[dg.len - 1] == 1.0);
        assert_int_equal(dg.kmin, -(int64_t)(dg.len / 2));
        long double z = mass_l(g, -1);
        for (int64_t k = dg.kmin; k <= -dg.kmin; k++) {
            long double p = prob_l(g, k, z);
            double got = table_prob(&dg, k);
            assert_true(got >= 0);
            assert_true(fabsl(got - p) <= 0x1p-52L + 1e-14L * p);
        }
        sc_dgauss_free(&dg);
    }
}

static void truncated_table_renormalises(void **state)
{
    (void)state;
    const struct { double gamma; int64_t kmax; } cases[] = {
        {6, 0}, {6, 2}, {3, 5}, {10, 0}, {1, 40}, {100, 2047}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sc_dgauss dg;
        double g = cases[i].gamma;
        int64_t kmax = cases[i].kmax;
        assert_int_equal(sc_dgauss_init_trunc(&dg, g, kmax), SC_OK);
        assert_true(-dg.kmin <= kmax);
        long double z = mass_l(g, kmax < sc_dgauss_halfwidth(g) ? kmax : -1);
        for (int64_t k = -kmax - 1; k <= kmax + 1; k++) {
            long double p = llabs(k) <= kmax ? prob_l(g, k, z) : 0;
            assert_true(fabsl(table_prob(&dg, k) - p) <=
                        0x1p-52L + 1e-14L * p);
        }
        sc_dgauss_free(&dg);
    }
}

/* Upper tail of the chi-square with df degrees at about 1e-6
 * (Wilson-Hilferty, z = 4.75). */
static double chi2_crit(int df)
{
    double a = 2.0 / (9.0 * df);
    double c = 1 - a + 4.75 * sqrt(a);
    return df * c * c * c;
}

/* Chi-square of counts against expectations, cells pooled left to right
 * until each expects >= 20 (a short remainder joins the last cell);
 * *df = cells - 1. */
static double pooled_chi2(const long double *expect, const long *count,
                          size_t n, int *df)
{
    long double e[512], o[512];
    size_t m = 0;
    long double pe = 0, po = 0;
    for (size_t i = 0; i < n; i++) {
        pe += expect[i];
        po += (long double)count[i];
        if (pe >= 20 && m < 512) {
            e[m] = pe;
            o[m++] = po;
            pe = po = 0;
        }
    }
    assert_true(m >= 2);
    e[m - 1] += pe;
    o[m - 1] += po;
    long double chi2 = 0;
    for (size_t i = 0; i < m; i++)
        chi2 += (o[i] - e[i]) * (o[i] - e[i]) / e[i];
    *df = (int)m - 1;
    return (double)chi2;
}

/* Empirical frequencies of draws from a fixed stream against the exact
 * law: chi-square over cells with expected count >= 20, the tails
 * pooled into the two end cells. */
static void draws_follow_the_law(void **state)
{
    (void)state;
    const double gammas[] = {0.8, 1, 6, 30};
    enum { DRAWS = 200000 };
    for (size_t i = 0; i < sizeof gammas / sizeof gammas[0]; i++) {
        double g = gammas[i];
        sc_dgauss dg;
        sc_stream s;
        assert_int_equal(sc_dgauss_init(&dg, g), SC_OK);
        int64_t lim = (int64_t)(3 * g) + 2;
        size_t ncell = 2 * (size_t)lim + 1;
        long *count = calloc(ncell, sizeof *count);
        assert_non_null(count);
        int df;
        sc_stream_init(&s, test_key, SC_STREAM_EXTRA, (uint64_t)i);
        for (long n = 0; n < DRAWS; n++) {
            int64_t k = sc_dgauss_draw(&dg, &s);
            k = k < -lim ? -lim : k > lim ? lim : k;
            count[k + lim]++;
        }
        assert_int_equal(s.word, DRAWS); /* one word per draw */
        long double z = mass_l(g, -1);
        long double *expect = calloc(ncell, sizeof *expect);
        assert_non_null(expect);
        for (int64_t k = -lim; k <= lim; k++)
            expect[k + lim] =
                DRAWS * ((k == -lim || k == lim)
                             ? 0.5L * (1 - mass_l(g, lim - 1) / z)
                             : prob_l(g, k, z));
        double chi2 = pooled_chi2(expect, count, ncell, &df);
        free(expect);
        assert_true(df >= 1);
        assert_true(chi2 < chi2_crit(df));
        free(count);
        sc_stream_wipe(&s);
        sc_dgauss_free(&dg);
    }
}

static void symmetric_law_has_zero_mean(void **state)
{
    (void)state;
    sc_dgauss dg;
    sc_stream s;
    enum { DRAWS = 100000 };
    assert_int_equal(sc_dgauss_init(&dg, 6), SC_OK);
    sc_stream_init(&s, test_key, SC_STREAM_EXTRA, 99);
    double sum = 0, sum2 = 0;
    for (int n = 0; n < DRAWS; n++) {
        double k = (double)sc_dgauss_draw(&dg, &s);
        sum += k;
        sum2 += k * k;
    }
    /* Var k = gamma^2 / (2 pi) to 1e-15 at gamma = 6 */
    double var = 36 / (2 * M_PI), mean = sum / DRAWS;
    assert_true(fabs(mean) < 5 * sqrt(var / DRAWS));
    assert_true(fabs(sum2 / DRAWS - var) < 5 * var * sqrt(2.0 / DRAWS));
    sc_stream_wipe(&s);
    sc_dgauss_free(&dg);
}

static void rejects_bad_gamma(void **state)
{
    (void)state;
    const double bad[] = {0, -1, NAN, INFINITY, 2 * SC_DGAUSS_GAMMA_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sc_dgauss dg;
        assert_int_equal(sc_dgauss_init(&dg, bad[i]), SC_EINVAL);
        assert_null(dg.cdf);
        sc_dgauss_free(&dg); /* safe after a failed init */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(norm_matches_long_double),
        cmocka_unit_test(window_holds_all_but_1e17),
        cmocka_unit_test(table_probabilities_exact),
        cmocka_unit_test(truncated_table_renormalises),
        cmocka_unit_test(draws_follow_the_law),
        cmocka_unit_test(symmetric_law_has_zero_mean),
        cmocka_unit_test(rejects_bad_gamma),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

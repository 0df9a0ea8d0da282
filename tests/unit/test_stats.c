/* Game statistics against independent computations. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/sc_stats.h"

static void assert_rel(double got, double want, double tol)
{
    double err = fabs(got - want) / fabs(want);
    if (!(err <= tol))
        fail_msg("got %.17g want %.17g (rel err %.3g > %.3g)", got, want,
                 err, tol);
}

/* Exact tail sums from Pascal's triangle in 64-bit integers: every
 * C(n, k) with n <= 62 and their tail sums (< 2^62) are exact, and
 * ldexp divides by 2^n without rounding. */
static void pvalue_matches_exact_integer_sums(void **state)
{
    (void)state;
    static uint64_t row[64];
    row[0] = 1;
    for (unsigned n = 1; n <= 62; n++) {
        for (unsigned k = n; k >= 1; k--)
            row[k] += row[k - 1];
        uint64_t tail = 0;
        for (unsigned c = n + 1; c-- > 0;) {
            tail += row[c];
            double want = ldexp((double)tail, -(int)n);
            assert_rel(sc_binom_pvalue(c, n), want, 1e-13);
        }
    }
}

static void pvalue_known_values(void **state)
{
    (void)state;
    assert_rel(sc_binom_pvalue(20, 20), ldexp(1.0, -20), 1e-14);
    assert_rel(sc_binom_pvalue(1000, 1000), ldexp(1.0, -1000), 1e-12);
    assert_rel(sc_binom_pvalue(0, 20), 1.0, 0);
    assert_rel(sc_binom_pvalue(0, 0), 1.0, 0);
    assert_true(sc_binom_pvalue(21, 20) == 0.0);
    /* P[X >= n/2] = 1/2 + P[X = n/2] / 2 for even n; the point mass by
     * lgamma, an independent route (the test is single-threaded). */
    unsigned n = 10000;
    double mass = exp(lgamma(n + 1.0) - 2 * lgamma(n / 2 + 1.0) -
                      n * M_LN2);
    assert_rel(sc_binom_pvalue(n / 2, n), 0.5 + mass / 2, 1e-11);
}

/* P[X >= k] + P[X >= n - k + 1] = 1 by the symmetry of Bin(n, 1/2). */
static void pvalue_symmetry_at_large_n(void **state)
{
    (void)state;
    const unsigned ns[] = {999, 1000, 10000};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        unsigned n = ns[i];
        for (unsigned k = 1; k <= n; k += n / 97 + 1) {
            double s = sc_binom_pvalue(k, n) + sc_binom_pvalue(n - k + 1, n);
            assert_rel(s, 1.0, 1e-11);
        }
    }
}

static void pvalue_is_monotone(void **state)
{
    (void)state;
    double prev = 1.0;
    for (unsigned k = 0; k <= 300; k++) {
        double p = sc_binom_pvalue(k, 300);
        assert_true(p <= prev);
        assert_true(p > 0);
        prev = p;
    }
}

static void advantage_values(void **state)
{
    (void)state;
    assert_true(sc_advantage(20, 20) == 1.0);
    assert_true(sc_advantage(0, 20) == -1.0);
    assert_true(sc_advantage(10, 20) == 0.0);
    assert_true(sc_advantage(15, 20) == 0.5);
    assert_true(sc_advantage(0, 0) == 0.0);
}

static void abs_cos_values(void **state)
{
    (void)state;
    const double a[] = {1, 0, 0}, b[] = {-2, 0, 0}, c[] = {0, 3, 0},
                 e[] = {1, 1, 0}, z[] = {0, 0, 0};
    assert_rel(sc_abs_cos(a, b, 3), 1.0, 1e-15);
    assert_true(sc_abs_cos(a, c, 3) == 0.0);
    assert_rel(sc_abs_cos(a, e, 3), sqrt(0.5), 1e-15);
    assert_true(sc_abs_cos(a, z, 3) == 0.0);
}

/* |cos| does not depend on the scale of a direction: every finite
 * direction counts, however large or small its entries. */
static void abs_cos_ignores_scale(void **state)
{
    (void)state;
    const double u[] = {1, 2, 3}, big[] = {1e300, -1e300, 1e300},
                 tiny[] = {1e-300, 1e-310, 0}, sub[] = {5e-324, 0, 0};
    /* |1 - 2 + 3| / (sqrt 3 sqrt 14), and |1| / sqrt 14 to first order */
    assert_rel(sc_abs_cos(big, u, 3), 2 / sqrt(42.0), 1e-15);
    assert_rel(sc_abs_cos(u, big, 3), 2 / sqrt(42.0), 1e-15);
    assert_rel(sc_abs_cos(tiny, u, 3), (1 + 2e-10) / sqrt(14.0), 1e-15);
    assert_rel(sc_abs_cos(sub, u, 3), 1 / sqrt(14.0), 1e-15);
}

static void score_errors(void **state)
{
    (void)state;
    /* Two points in d = 2. */
    const double x[] = {1, 2, -1, 0};
    const double truth[] = {-1, -2, 1, 0}; /* the Gaussian score itself */
    const double est[] = {-1, -1, 1, 2};   /* errors 1 and 4 */
    assert_true(sc_score_mse(truth, truth, 2, 2) == 0.0);
    assert_rel(sc_score_mse(est, truth, 2, 2), 2.5, 1e-15);
    assert_true(sc_score_mse_gauss(x, truth, 2, 2) == 0.0);
    const double zero[] = {0, 0, 0, 0};
    /* |-x - 0|^2 averaged: (5 + 1) / 2. */
    assert_rel(sc_score_mse_gauss(x, zero, 2, 2), 3.0, 1e-15);
}

static void pac_fraction_counts_within_eps(void **state)
{
    (void)state;
    const double truth[] = {0, 0, 0, 0};
    const double est[] = {0.05, -0.1, 0.2, -3};
    assert_rel(sc_pac_fraction(est, truth, 4, 0.1), 0.5, 1e-15);
    assert_rel(sc_pac_fraction(est, truth, 4, 5), 1.0, 1e-15);
    assert_true(sc_pac_fraction(est, truth, 4, 0.01) == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pvalue_matches_exact_integer_sums),
        cmocka_unit_test(pvalue_known_values),
        cmocka_unit_test(pvalue_symmetry_at_large_n),
        cmocka_unit_test(pvalue_is_monotone),
        cmocka_unit_test(advantage_values),
        cmocka_unit_test(abs_cos_values),
        cmocka_unit_test(abs_cos_ignores_scale),
        cmocka_unit_test(score_errors),
        cmocka_unit_test(pac_fraction_counts_within_eps),
    };
    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}

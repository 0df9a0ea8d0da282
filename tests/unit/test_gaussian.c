/* The gaussian (null) family: exact logpdf and score, its samples. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sc_core.h"
#include "core/sc_rng.h"
#include "ks.h"

static const uint8_t key[SC_KEY_BYTES] = {3, 1, 4, 1, 5};

static sc_dist *make(uint32_t dim)
{
    sc_params p = {0};
    sc_dist *d = NULL;
    sc_error err;
    p.dim = dim;
    assert_int_equal(sc_dist_new(&sc_family_gaussian, &p, key, &d, &err),
                     SC_OK);
    return d;
}

/* log N(x; 0, I) = -|x|^2 / 2 - (d/2) log(2 pi), score -x, at every t. */
static void logpdf_and_score_are_exact(void **state)
{
    (void)state;
    const double x[] = {0, 0, 0, 1, -2, 0.5, 1e6, -1e6, 3e5};
    double lp[3], sc[9];
    sc_dist *d = make(3);
    for (int ti = 0; ti < 3; ti++) {
        double t = ti * 10.0;
        assert_int_equal(sc_dist_logpdf(d, 3, x, t, lp), SC_OK);
        assert_int_equal(sc_dist_score(d, 3, x, t, sc), SC_OK);
        for (int i = 0; i < 3; i++) {
            long double q = 0;
            for (int c = 0; c < 3; c++)
                q += (long double)x[3 * i + c] * x[3 * i + c];
            long double want =
                -q / 2 - 1.5L * logl(2 * 3.14159265358979323846L);
            assert_true(fabsl(lp[i] - want) <=
                        1e-15L * fmaxl(1, fabsl(want)));
        }
        for (int j = 0; j < 9; j++)
            assert_true(sc[j] == -x[j]);
    }
    sc_dist_free(d);
}

static double phi_cdf(double x, const void *ctx)
{
    (void)ctx;
    return 0.5 * erfc(-x / M_SQRT2);
}

/* Point i is the first dim normals of its own stream: N(0, I). */
static void samples_are_standard_normal(void **state)
{
    (void)state;
    size_t n = 20000, dim = 5;
    double *x = malloc(n * dim * sizeof *x), *col = malloc(n * sizeof *col);
    sc_dist *d = make((uint32_t)dim);
    assert_non_null(x);
    assert_non_null(col);
    assert_int_equal(sc_dist_sample(d, 0, n, 0.0, x), SC_OK);
    for (size_t c = 0; c < dim; c++) {
        double m = 0, v = 0;
        for (size_t i = 0; i < n; i++) {
            col[i] = x[i * dim + c];
            m += col[i];
            v += col[i] * col[i];
        }
        m /= (double)n;
        v /= (double)n;
        assert_true(fabs(m) < 5 / sqrt((double)n));
        assert_true(fabs(v - 1) < 5 * sqrt(2.0 / (double)n));
        assert_true(sc_test_ks(col, n, phi_cdf, NULL) < 1.95);
    }
    /* Cross-coordinate correlation stays at 0. */
    double r = 0;
    for (size_t i = 0; i < n; i++)
        r += x[i * dim] * x[i * dim + 1];
    assert_true(fabs(r / (double)n) < 5 / sqrt((double)n));
    /* Point 7 is stream (sample key, POINT, 7). */
    double z[5], y[5];
    sc_stream s;
    sc_stream_init(&s, d->sample_key, SC_STREAM_POINT, 7);
    sc_stream_normals(&s, dim, z);
    sc_stream_wipe(&s);
    assert_memory_equal(x + 7 * dim, z, sizeof z);
    assert_int_equal(sc_dist_sample(d, 7, 1, 3.0, y), SC_OK);
    assert_memory_equal(y, z, sizeof z);
    free(x);
    free(col);
    sc_dist_free(d);
}

static void dim_is_validated(void **state)
{
    (void)state;
    const uint32_t bad[] = {0, SC_MAX_DIM + 1};
    for (int i = 0; i < 2; i++) {
        sc_params p = {0};
        sc_dist *d = NULL;
        sc_error err;
        p.dim = bad[i];
        assert_int_equal(sc_dist_new(&sc_family_gaussian, &p, key, &d, &err),
                         SC_EINVAL);
        assert_string_equal(err.field, "dim");
        assert_non_null(strstr(err.message, "[1, 4096]"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(logpdf_and_score_are_exact),
        cmocka_unit_test(samples_are_standard_normal),
        cmocka_unit_test(dim_is_validated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

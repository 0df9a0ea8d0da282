/* Twin distributions: the served side's answers exactly, the other side's
 * work done too, its errors shared. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sc_core.h"
#include "core/sc_twin.h"

static const uint8_t KEY[SC_KEY_BYTES] = {42, 1};
#define DIM 4

static sc_dist *pancakes(void)
{
    sc_params p = {.dim = DIM, .gamma = 2.0, .sigma = 0.1};
    sc_dist *d = NULL;
    assert_int_equal(sc_dist_new(&sc_family_pancakes, &p, KEY, &d, NULL),
                     SC_OK);
    return d;
}

static sc_dist *gaussian(uint32_t dim)
{
    sc_params p = {.dim = dim};
    sc_dist *d = NULL;
    assert_int_equal(sc_dist_new(&sc_family_gaussian, &p, KEY, &d, NULL),
                     SC_OK);
    return d;
}

/* Every answer of twin equals ref's, over more points than one chunk
 * (65536 doubles) holds. */
static void assert_same_answers(const sc_dist *twin, const sc_dist *ref)
{
    size_t n = 40000, dim = DIM;
    double *x = malloc(n * dim * sizeof *x);
    double *a = malloc(n * dim * sizeof *a);
    double *b = malloc(n * dim * sizeof *b);
    assert_non_null(x);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(sc_dist_sample(twin, 3, n, 0.2, a), SC_OK);
    assert_int_equal(sc_dist_sample(ref, 3, n, 0.2, b), SC_OK);
    assert_memory_equal(a, b, n * dim * sizeof *a);
    memcpy(x, a, n * dim * sizeof *x);
    assert_int_equal(sc_dist_score(twin, n, x, 0.1, a), SC_OK);
    assert_int_equal(sc_dist_score(ref, n, x, 0.1, b), SC_OK);
    assert_memory_equal(a, b, n * dim * sizeof *a);
    assert_int_equal(sc_dist_logpdf(twin, n, x, 0.0, a), SC_OK);
    assert_int_equal(sc_dist_logpdf(ref, n, x, 0.0, b), SC_OK);
    assert_memory_equal(a, b, n * sizeof *a);
    free(x);
    free(a);
    free(b);
}

static void serving_null_answers_exactly_the_gaussian(void **state)
{
    (void)state;
    sc_dist *twin, *ref = gaussian(DIM);
    assert_int_equal(sc_twin_new(pancakes(), gaussian(DIM), true, &twin),
                     SC_OK);
    assert_same_answers(twin, ref);
    sc_secret_view v[4];
    assert_int_equal(sc_dist_secret(twin, v, 4), 0);
    assert_int_equal(sc_dist_secret_bytes(twin, NULL, 0), 0);
    sc_dist_free(twin);
    sc_dist_free(ref);
}

static void serving_planted_answers_exactly_the_planted(void **state)
{
    (void)state;
    sc_dist *twin, *ref = pancakes();
    assert_int_equal(sc_twin_new(pancakes(), gaussian(DIM), false, &twin),
                     SC_OK);
    assert_same_answers(twin, ref);
    uint8_t a[8 * DIM], b[8 * DIM];
    assert_int_equal(sc_dist_secret_bytes(twin, a, sizeof a), sizeof a);
    assert_int_equal(sc_dist_secret_bytes(ref, b, sizeof b), sizeof b);
    assert_memory_equal(a, b, sizeof a);
    sc_dist_free(twin);
    sc_dist_free(ref);
}

static int refuse_logpdf(const sc_dist *d, size_t n, const double *x,
                         double t, double *out)
{
    (void)d, (void)n, (void)x, (void)t, (void)out;
    return SC_ENOTSUP;
}

/* A planted side that cannot answer makes both coins fail alike. */
static void planted_errors_are_shared(void **state)
{
    (void)state;
    sc_family refusing = sc_family_gaussian;
    refusing.logpdf = refuse_logpdf;
    for (int serve_null = 0; serve_null < 2; serve_null++) {
        sc_params p = {.dim = DIM};
        sc_dist *planted, *twin;
        double x[DIM] = {0}, out[1];
        assert_int_equal(sc_dist_new(&refusing, &p, KEY, &planted, NULL),
                         SC_OK);
        assert_int_equal(sc_twin_new(planted, gaussian(DIM), serve_null,
                                     &twin),
                         SC_OK);
        assert_int_equal(sc_dist_logpdf(twin, 1, x, 0.0, out), SC_ENOTSUP);
        assert_int_equal(sc_dist_score(twin, 1, x, 0.0, x), SC_OK);
        sc_dist_free(twin);
    }
}

static void served_side_is_reachable(void **state)
{
    (void)state;
    sc_dist *planted = pancakes(), *null = gaussian(DIM), *twin;
    assert_int_equal(sc_twin_new(planted, null, true, &twin), SC_OK);
    assert_ptr_equal(sc_twin_served(twin), null);
    assert_ptr_equal(sc_twin_served(planted), planted);
    sc_dist_free(twin);
    planted = pancakes();
    assert_int_equal(sc_twin_new(planted, gaussian(DIM), false, &twin),
                     SC_OK);
    assert_ptr_equal(sc_twin_served(twin), planted);
    sc_dist_free(twin);
}

static void dimensions_must_match(void **state)
{
    (void)state;
    sc_dist *twin;
    /* Both sides are taken (and freed) even on failure. */
    assert_int_equal(sc_twin_new(pancakes(), gaussian(DIM + 1), true, &twin),
                     SC_EINVAL);
    assert_null(twin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(serving_null_answers_exactly_the_gaussian),
        cmocka_unit_test(serving_planted_answers_exactly_the_planted),
        cmocka_unit_test(planted_errors_are_shared),
        cmocka_unit_test(served_side_is_reachable),
        cmocka_unit_test(dimensions_must_match),
    };
    return cmocka_run_group_tests_name("twin", tests, NULL, NULL);
}

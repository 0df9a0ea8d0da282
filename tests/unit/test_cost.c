/* sc_dist_cost: what a call costs and which calls a family refuses, the
 * numbers the server checks before it spends a budget. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/sc_core.h"
#include "core/sc_twin.h"

static const uint8_t KEY[SC_KEY_BYTES] = {7, 3};

static sc_dist *make(const sc_family *fam, sc_params p)
{
    sc_dist *d = NULL;
    sc_error err = {0};
    int rc = sc_dist_new(fam, &p, KEY, &d, &err);
    if (rc != SC_OK)
        fail_msg("%s: %s: %s", fam->name, err.field, err.message);
    return d;
}

static double cost(const sc_dist *d, sc_oracle op, size_t n)
{
    double w = -1;
    sc_error err = {0};
    assert_int_equal(sc_dist_cost(d, op, n, &w, &err), SC_OK);
    return w;
}

static void default_cost_is_one_pass(void **state)
{
    (void)state;
    sc_dist *d = make(&sc_family_pancakes,
                      (sc_params){.dim = 8, .gamma = 3, .sigma = 0.1});
    assert_true(cost(d, SC_ORACLE_SCORE, 100) == 800.0);
    assert_true(cost(d, SC_ORACLE_LOGPDF, 0) == 0.0);
    sc_dist_free(d);
}

static void gmm_cost_grows_with_components(void **state)
{
    (void)state;
    sc_dist *few = make(&sc_family_gmm, (sc_params){.dim = 8,
                                                    .components = 2});
    sc_dist *many = make(&sc_family_gmm, (sc_params){.dim = 8,
                                                     .components = 512});
    assert_true(cost(many, SC_ORACLE_SCORE, 10) >
                32 * cost(few, SC_ORACLE_SCORE, 10));
    /* Sampling reads one mean per point, whatever K is. */
    assert_true(cost(many, SC_ORACLE_SAMPLE, 10) ==
                cost(few, SC_ORACLE_SAMPLE, 10));
    sc_dist_free(few);
    sc_dist_free(many);
}

static void owf_logpdf_is_refused_beyond_the_exact_range(void **state)
{
    (void)state;
    sc_dist *d = make(&sc_family_owf,
                      (sc_params){.seed_bits = 20, .image_bits = 4});
    double w;
    sc_error err = {0};
    assert_int_equal(sc_dist_cost(d, SC_ORACLE_LOGPDF, 1, &w, &err),
                     SC_ENOTSUP);
    assert_string_equal(err.field, "seed_bits");
    assert_non_null(strstr(err.message, "16"));
    /* The fast score and the sampler are still answered. */
    assert_true(cost(d, SC_ORACLE_SCORE, 1) > 0);
    assert_true(cost(d, SC_ORACLE_SAMPLE, 1) > 0);
    sc_dist_free(d);
}

static void owf_logpdf_cost_doubles_per_seed_bit(void **state)
{
    (void)state;
    sc_dist *a = make(&sc_family_owf,
                      (sc_params){.seed_bits = 10, .image_bits = 4});
    sc_dist *b = make(&sc_family_owf,
                      (sc_params){.seed_bits = 11, .image_bits = 4});
    double ca = cost(a, SC_ORACLE_LOGPDF, 50);
    double cb = cost(b, SC_ORACLE_LOGPDF, 50);
    assert_true(cb > 1.9 * ca && cb < 2.1 * ca);
    sc_dist_free(a);
    sc_dist_free(b);
}

/* A twin refuses what its planted side refuses, whichever side it
 * serves, and costs both sides' work: the coin shows in neither. */
static void twin_refuses_and_costs_alike(void **state)
{
    (void)state;
    for (int serve_null = 0; serve_null < 2; serve_null++) {
        sc_dist *planted = make(&sc_family_owf,
                                (sc_params){.seed_bits = 20,
                                            .image_bits = 4});
        sc_dist *null = make(&sc_family_gaussian,
                             (sc_params){.dim = planted->params.dim});
        double alone = cost(planted, SC_ORACLE_SCORE, 5) +
                       cost(null, SC_ORACLE_SCORE, 5);
        sc_dist *tw = NULL;
        assert_int_equal(sc_twin_new(planted, null, serve_null, &tw), SC_OK);
        double w;
        sc_error err = {0};
        assert_int_equal(sc_dist_cost(tw, SC_ORACLE_LOGPDF, 1, &w, &err),
                         SC_ENOTSUP);
        assert_string_equal(err.field, "seed_bits");
        assert_true(cost(tw, SC_ORACLE_SCORE, 5) == alone);
        sc_dist_free(tw);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_cost_is_one_pass),
        cmocka_unit_test(gmm_cost_grows_with_components),
        cmocka_unit_test(owf_logpdf_is_refused_beyond_the_exact_range),
        cmocka_unit_test(owf_logpdf_cost_doubles_per_seed_bit),
        cmocka_unit_test(twin_refuses_and_costs_alike),
    };
    return cmocka_run_group_tests_name("cost", tests, NULL, NULL);
}

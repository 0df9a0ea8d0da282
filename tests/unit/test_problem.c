/* Problem details: slugs, titles, field errors and their JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/sc_problem.h"

static const char *member(const json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

static void set_fills_status_slug_title_detail(void **state)
{
    (void)state;
    sc_problem pb;
    assert_int_equal(sc_problem_set(&pb, 409, "conflict", "round %d is "
                                     "answered", 3), -1);
    assert_int_equal(pb.status, 409);
    assert_string_equal(pb.slug, "conflict");
    assert_string_equal(pb.title, "Conflict");
    assert_string_equal(pb.detail, "round 3 is answered");
    assert_int_equal(pb.nerrors, 0);
    assert_int_equal(pb.retry_after, 0);
}

static void every_status_has_its_default_slug(void **state)
{
    (void)state;
    static const struct { int status; const char *slug; } want[] = {
        {400, "malformed-request"}, {401, "unauthorized"},
        {403, "forbidden"}, {404, "not-found"},
        {405, "method-not-allowed"}, {409, "conflict"},
        {413, "payload-too-large"}, {415, "unsupported-media-type"},
        {422, "invalid-parameters"}, {429, "budget-exhausted"},
        {500, "internal"}, {503, "overloaded"},
    };
    sc_problem pb;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        sc_problem_set(&pb, want[i].status, NULL, "x");
        assert_string_equal(pb.slug, want[i].slug);
        assert_non_null(pb.title);
    }
}

static void rate_limited_keeps_its_own_title(void **state)
{
    (void)state;
    sc_problem pb;
    sc_problem_set(&pb, 429, "rate-limited", "slow down");
    assert_string_equal(pb.slug, "rate-limited");
    assert_string_equal(pb.title, "Rate limited");
}

static void json_has_type_title_status_detail_only(void **state)
{
    (void)state;
    sc_problem pb;
    sc_problem_set(&pb, 404, NULL, "no instance in_%s", "00");
    json_t *j = sc_problem_json(&pb);
    assert_non_null(j);
    assert_string_equal(member(j, "type"), "urn:scoracle:problem:not-found");
    assert_string_equal(member(j, "title"), "Not found");
    assert_int_equal(json_integer_value(json_object_get(j, "status")), 404);
    assert_string_equal(member(j, "detail"), "no instance in_00");
    assert_null(json_object_get(j, "errors"));
    assert_int_equal(json_object_size(j), 4);
    json_decref(j);
}

static void field_error_names_the_field(void **state)
{
    (void)state;
    sc_problem pb;
    assert_int_equal(sc_problem_field(&pb, 422, "sigma", "sigma must be "
                                      "> %d", 0), -1);
    assert_int_equal(pb.status, 422);
    assert_string_equal(pb.slug, "invalid-parameters");
    assert_string_equal(pb.detail, "sigma must be > 0");
    json_t *j = sc_problem_json(&pb);
    json_t *errs = json_object_get(j, "errors");
    assert_int_equal(json_array_size(errs), 1);
    assert_string_equal(member(json_array_get(errs, 0), "field"), "sigma");
    assert_string_equal(member(json_array_get(errs, 0), "message"),
                        "sigma must be > 0");
    json_decref(j);
}

static void field_error_replaces_an_earlier_problem(void **state)
{
    (void)state;
    sc_problem pb;
    sc_problem_set(&pb, 429, "rate-limited", "wait");
    pb.retry_after = 5;
    sc_problem_field(&pb, 422, "dim", "dim is required");
    assert_int_equal(pb.retry_after, 0);
    assert_int_equal(pb.nerrors, 1);
    assert_string_equal(pb.slug, "invalid-parameters");
}

/* A field name from a request may be any UTF-8, cut anywhere by the
 * fixed buffers: the JSON must still be built. */
static void invalid_utf8_falls_back_to_ascii(void **state)
{
    (void)state;
    sc_problem pb;
    sc_problem_field(&pb, 422, "caf\xc3", "unknown field caf\xc3");
    json_t *j = sc_problem_json(&pb);
    assert_non_null(j);
    assert_string_equal(member(j, "detail"), "unknown field caf?");
    assert_string_equal(member(json_array_get(json_object_get(j, "errors"),
                                              0), "field"), "caf?");
    json_decref(j);
}

static void valid_utf8_is_kept(void **state)
{
    (void)state;
    sc_problem pb;
    sc_problem_field(&pb, 422, "caf\xc3\xa9", "unknown field caf\xc3\xa9");
    json_t *j = sc_problem_json(&pb);
    assert_string_equal(member(j, "detail"), "unknown field caf\xc3\xa9");
    json_decref(j);
}

static void long_detail_is_truncated(void **state)
{
    (void)state;
    sc_problem pb;
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    sc_problem_set(&pb, 400, NULL, "%s", big);
    assert_int_equal(strlen(pb.detail), sizeof pb.detail - 1);
    json_t *j = sc_problem_json(&pb);
    assert_non_null(j);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(set_fills_status_slug_title_detail),
        cmocka_unit_test(every_status_has_its_default_slug),
        cmocka_unit_test(rate_limited_keeps_its_own_title),
        cmocka_unit_test(json_has_type_title_status_detail_only),
        cmocka_unit_test(field_error_names_the_field),
        cmocka_unit_test(field_error_replaces_an_earlier_problem),
        cmocka_unit_test(invalid_utf8_falls_back_to_ascii),
        cmocka_unit_test(valid_utf8_is_kept),
        cmocka_unit_test(long_detail_is_truncated),
    };
    return cmocka_run_group_tests_name("problem", tests, NULL, NULL);
}

/* Commitments against tests/vectors/crypto.json. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/sc_commit.h"
#include "core/sc_core.h"
#include "vectors.h"

static void unhex_field(const json_t *o, const char *name, uint8_t *out,
                        size_t len)
{
    assert_int_equal(
        sc_unhex(out, len, json_string_value(json_object_get(o, name))),
        SC_OK);
}

static void instance_commitment_matches_vector(void **state)
{
    (void)state;
    json_t *all = sc_test_vectors("crypto");
    json_t *v = json_object_get(all, "instance_commitment");
    json_t *u = json_object_get(json_object_get(v, "secret"), "u");
    uint8_t salt[32], want[32], got[32], bytes[64];
    size_t n = json_array_size(u);
    char hex[129];

    unhex_field(v, "salt", salt, 32);
    unhex_field(v, "commitment", want, 32);
    for (size_t i = 0; i < n; i++) {
        double x = json_real_value(json_array_get(u, i));
        memcpy(bytes + 8 * i, &x, 8); /* the test host is little-endian */
    }
    sc_hex(hex, bytes, 8 * n);
    assert_string_equal(hex, json_string_value(
                                 json_object_get(v, "secret_bytes_hex")));
    sc_commit_instance(got, salt,
                       json_string_value(json_object_get(v, "id")), bytes,
                       8 * n);
    assert_memory_equal(got, want, 32);
    json_decref(all);
}

static void challenge_commitment_matches_vector(void **state)
{
    (void)state;
    json_t *all = sc_test_vectors("crypto");
    json_t *v = json_object_get(all, "challenge_commitment");
    json_t *coins = json_object_get(v, "coins");
    json_t *rc = json_object_get(v, "round_commitments");
    size_t n = json_array_size(coins);
    uint8_t salt[32], want[32], got[32], planted[8], rounds[8][32];

    assert_true(n <= 8);
    unhex_field(v, "salt", salt, 32);
    unhex_field(v, "commitment", want, 32);
    for (size_t i = 0; i < n; i++) {
        planted[i] = (uint8_t)json_integer_value(json_array_get(coins, i));
        assert_int_equal(sc_unhex(rounds[i], 32, json_string_value(
                                                     json_array_get(rc, i))),
                         SC_OK);
    }
    sc_commit_challenge(got, salt,
                        json_string_value(json_object_get(v, "id")),
                        planted, (const uint8_t (*)[32])rounds, n);
    assert_memory_equal(got, want, 32);
    json_decref(all);
}

static void unhex_rejects_bad_input(void **state)
{
    (void)state;
    uint8_t b[2];
    assert_int_equal(sc_unhex(b, 2, "0a0b"), SC_OK);
    assert_int_equal(sc_unhex(b, 2, "0a0"), SC_EINVAL);
    assert_int_equal(sc_unhex(b, 2, "0a0b0c"), SC_EINVAL);
    assert_int_equal(sc_unhex(b, 2, "0a0g"), SC_EINVAL);
    assert_int_equal(sc_unhex(b, 2, "0a 0"), SC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(instance_commitment_matches_vector),
        cmocka_unit_test(challenge_commitment_matches_vector),
        cmocka_unit_test(unhex_rejects_bad_input),
    };
    return cmocka_run_group_tests_name("commit", tests, NULL, NULL);
}

/* Numbers on the wire: shortest round-trip printing, exact parsing (both
 * against glibc's printf and strtod), the fast JSON path against
 * jansson, and the number-array writer. */
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

#include "proto/sc_dconv.h"
#include "proto/sc_wire.h"
#include "proto/sc_wire_internal.h"

/* A fixed-seed generator (xorshift64*): reproducible cases, no secret. */
static uint64_t next_u64(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dull;
}

static uint64_t bits_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static double double_of(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* Significant digits of a decimal text: from the first non-zero digit
 * to the last one. */
static int sig_digits(const char *s)
{
    int n = 0, last = 0;
    for (; *s != '\0' && *s != 'e'; s++) {
        if (*s < '0' || *s > '9' || (n == 0 && *s == '0'))
            continue;
        n++;
        if (*s != '0')
            last = n;
    }
    return last;
}

/* x prints as text that sc_strtod and glibc's strtod both read back to
 * the same bits, in JSON's grammar with a '.' or an exponent, and no
 * shorter %g text reads back as x. */
static void check_round_trip(double x)
{
    char text[SC_DTOA_MAX + 1], g[400];
    size_t n = sc_dtoa(x, text);
    assert_true(n > 0 && n <= 25);
    text[n] = '\0';
    double back = 0, glibc = strtod(text, NULL);
    assert_int_equal(sc_strtod(text, n, &back), 0);
    if (bits_of(back) != bits_of(x) || bits_of(glibc) != bits_of(x))
        fail_msg("%a printed as %s read back as %a / %a", x, text, back,
                 glibc);
    assert_true(strpbrk(text, ".e") != NULL);
    int digits = sig_digits(text);
    if (digits > 1 && x != 0) {
        snprintf(g, sizeof g, "%.*g", digits - 1, x);
        if (strtod(g, NULL) == x)
            fail_msg("%s is not shortest for %a: %s", text, x, g);
    }
}

static void edge_doubles_round_trip(void **state)
{
    (void)state;
    const double edges[] = {
        0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, M_PI, -M_E,
        5e-324, -5e-324, 1e-323, DBL_MIN, -DBL_MIN,
        double_of(bits_of(DBL_MIN) - 1), /* the largest subnormal */
        2.2250738585072011e-308, 1e308, -1e308, DBL_MAX, -DBL_MAX,
        1e21, 1e22, 9.999999999999999e20, 1e-6, 1e-7, 1.5e-7,
        9007199254740992.0, 9007199254740994.0, 123456789012345680.0,
        1e23, 8.41e21, 5e-310, 4.9406564584124654e-324,
        2.4703282292062328e-324 * 3, 0.1 + 0.2, 100.0, 1e16, 1e17,
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        check_round_trip(edges[i]);
}

static void negative_zero_keeps_its_sign(void **state)
{
    (void)state;
    char text[SC_DTOA_MAX];
    size_t n = sc_dtoa(-0.0, text);
    assert_int_equal(n, 4);
    assert_memory_equal(text, "-0.0", 4);
    double back = 1;
    assert_int_equal(sc_strtod("-0.0", 4, &back), 0);
    assert_true(back == 0 && signbit(back));
}

static void random_doubles_round_trip(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 1000000; i++) {
        double x = double_of(next_u64(&seed));
        if (isfinite(x))
            check_round_trip(x);
    }
    /* Normal-range values of every size, not only huge and tiny ones. */
    for (int i = 0; i < 200000; i++) {
        double x = (double)(int64_t)next_u64(&seed) *
                   pow(10, (double)(next_u64(&seed) % 40) - 20);
        check_round_trip(x);
    }
}

/* Random decimal texts (up to 25 digits, exponents up to +-330): the
 * parse is glibc's correctly rounded strtod, to the bit. */
static void random_texts_parse_like_glibc(void **state)
{
    (void)state;
    uint64_t seed = 42;
    char text[64];
    for (int i = 0; i < 1000000; i++) {
        int len = 0, digits = 1 + (int)(next_u64(&seed) % 25);
        int point = (int)(next_u64(&seed) % (uint64_t)(digits + 1));
        if (next_u64(&seed) & 1)
            text[len++] = '-';
        for (int d = 0; d < digits; d++) {
            if (d == point && d > 0)
                text[len++] = '.';
            text[len++] = (char)('0' + (d == 0 ? 1 + next_u64(&seed) % 9
                                               : next_u64(&seed) % 10));
        }
        len += snprintf(text + len, sizeof text - (size_t)len, "e%d",
                        (int)(next_u64(&seed) % 661) - 330);
        double mine = 0, glibc = strtod(text, NULL);
        int rc = sc_strtod(text, (size_t)len, &mine);
        if (isinf(glibc)) {
            assert_int_equal(rc, -1);
            continue;
        }
        assert_int_equal(rc, 0);
        if (bits_of(mine) != bits_of(glibc))
            fail_msg("%s: %a, glibc %a", text, mine, glibc);
    }
}

static void parse_refuses_non_numbers_and_overflow(void **state)
{
    (void)state;
    const char *bad[] = {"1e400", "-1e309", "", "abc", "1e", "0x10",
                         "inf", "nan", " 1", "1 "};
    double d = 7;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(sc_strtod(bad[i], strlen(bad[i]), &d), -1);
    assert_int_equal(sc_strtod("1e-400", 6, &d), 0);
    assert_true(d == 0);
    assert_int_equal(sc_dtoa(INFINITY, (char[SC_DTOA_MAX]){0}), 0);
    assert_int_equal(sc_dtoa(NAN, (char[SC_DTOA_MAX]){0}), 0);
}

/* sc__json_fast answers (want 1) or declines (want 0); when it answers,
 * its tree equals jansson's. */
static void check_fast(const char *body, int want)
{
    json_t *fast = NULL;
    int rc = sc__json_fast(body, strlen(body), &fast);
    if (rc != want)
        fail_msg("fast path %s %s", rc ? "took" : "declined", body);
    if (rc == 1) {
        json_t *slow = json_loads(body, JSON_REJECT_DUPLICATES, NULL);
        assert_non_null(slow);
        if (!json_equal(fast, slow))
            fail_msg("trees differ for %s", body);
        json_decref(slow);
    }
    json_decref(fast);
}

static void fast_path_builds_janssons_tree(void **state)
{
    (void)state;
    check_fast("{\"t\": 0.1, \"points\": [[1.5, -2, 3e-5, 0.0, -0.0]]}", 1);
    check_fast(" {\"a\":{\"b\":[true,false,null,\"x y\"]},\"c\":[]}\r\n", 1);
    check_fast("{\"n\": 123456789012345678, \"m\": -0, \"e\": 1E+2}", 1);
    check_fast("{\"tiny\": 1e-400, \"big\": 1.7976931348623157e308}", 1);
    check_fast("{}", 1);
    /* Left to jansson: its errors and what the fast path skips. */
    check_fast("{\"a\": 1, \"a\": 2}", 0);
    check_fast("{\"a\": 1e400}", 0);
    check_fast("{\"a\": 1234567890123456789}", 0);
    check_fast("{\"a\": 01}", 0);
    check_fast("{\"a\": 1.}", 0);
    check_fast("{\"a\": .5}", 0);
    check_fast("{\"a\": -}", 0);
    check_fast("{\"a\": \"\\u00e9\"}", 0);
    check_fast("{\"a\": \"\xc3\xa9\"}", 0);
    check_fast("{\"a\": NaN}", 0);
    check_fast("{\"a\": [1,]}", 0);
    check_fast("{\"a\": 1,}", 0);
    check_fast("{\"a\": 1} x", 0);
    check_fast("[1, 2]", 0);
    check_fast("{\"a\": tru}", 0);
    check_fast("{\"a\" 1}", 0);
    check_fast("{\"a\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]"
               "]]]]]]]]]]]]]]]]]]]]}", 0);
}

static void parse_object_takes_the_fast_path_exactly(void **state)
{
    (void)state;
    const char *body = "{\"points\": [[0.1, 5e-324, -0.0]]}";
    json_t *o = NULL;
    sc_problem pb;
    assert_int_equal(sc_json_parse_object(body, strlen(body), &o, &pb), 0);
    json_t *row = json_array_get(json_object_get(o, "points"), 0);
    assert_true(json_real_value(json_array_get(row, 0)) == 0.1);
    assert_true(json_real_value(json_array_get(row, 1)) == 5e-324);
    assert_true(signbit(json_real_value(json_array_get(row, 2))));
    json_decref(o);
}

static void array_text_reads_back_exactly(void **state)
{
    (void)state;
    const double m[6] = {0.1, -0.0, 5e-324, DBL_MAX, INFINITY, -1e-7};
    size_t len = 0;
    char *s = sc_wire_array_text("scores", m, 2, 3, 2, &len);
    assert_non_null(s);
    assert_int_equal(strlen(s), len);
    assert_string_equal(s, "{\"scores\":[[0.1,-0.0,5e-324],"
                           "[1.7976931348623157e308,null,-1e-7]]}");
    json_t *o = json_loads(s, 0, NULL);
    json_t *rows = json_object_get(o, "scores");
    for (size_t i = 0; i < 6; i++) {
        json_t *x = json_array_get(json_array_get(rows, i / 3), i % 3);
        if (isfinite(m[i]))
            assert_int_equal(bits_of(json_real_value(x)), bits_of(m[i]));
        else
            assert_true(json_is_null(x));
    }
    json_decref(o);
    free(s);
    s = sc_wire_array_text("logpdf", m, 2, 99, 1, &len);
    assert_string_equal(s, "{\"logpdf\":[0.1,-0.0]}");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(edge_doubles_round_trip),
        cmocka_unit_test(negative_zero_keeps_its_sign),
        cmocka_unit_test(random_doubles_round_trip),
        cmocka_unit_test(random_texts_parse_like_glibc),
        cmocka_unit_test(parse_refuses_non_numbers_and_overflow),
        cmocka_unit_test(fast_path_builds_janssons_tree),
        cmocka_unit_test(parse_object_takes_the_fast_path_exactly),
        cmocka_unit_test(array_text_reads_back_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

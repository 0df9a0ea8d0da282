/* NPY: numpy's own files decode, our encoding equals numpy's bytes, and
 * every malformed header is refused with its status. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/sc_wire.h"

#define CORPUS "tests/fuzz/corpus/npy/"

/* The values tests/fuzz/corpus/npy/matrix_3x4*.npy were made from:
 * np.array([[0.5, -1.25, 3.0, 1e-300], [2.0**-1074, -0.0, 1e300, 7.0],
 *           [0.1, 0.2, 0.3, 12345.678]]) */
static const double matrix_3x4[12] = {
    0.5, -1.25, 3.0, 1e-300, 0x1p-1074, -0.0, 1e300, 7.0,
    0.1, 0.2, 0.3, 12345.678,
};
/* vector_3.npy: np.array([1.5, -2.0, 0.1]) */
static const double vector_3[3] = {1.5, -2.0, 0.1};

static uint8_t *slurp(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, CORPUS "%s", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s (run from the repository root)", path);
    uint8_t *b = malloc(1 << 16);
    *len = fread(b, 1, 1 << 16, f);
    fclose(f);
    return b;
}

/* A v1.0 file around a hand-written header dict: spaces then '\n' pad
 * it to 64 bytes, then nbytes of zero data. */
static uint8_t *make_npy(const char *dict, size_t nbytes, size_t *len)
{
    size_t dl = strlen(dict), hlen = dl + 1;
    hlen += (64 - (10 + hlen) % 64) % 64;
    uint8_t *b = calloc(1, 10 + hlen + nbytes);
    memcpy(b, "\x93NUMPY\x01\x00", 8);
    b[8] = (uint8_t)(hlen & 0xff);
    b[9] = (uint8_t)(hlen >> 8);
    memset(b + 10, ' ', hlen);
    memcpy(b + 10, dict, dl);
    b[10 + hlen - 1] = '\n';
    *len = 10 + hlen + nbytes;
    return b;
}

static void decode_refuses(const uint8_t *b, size_t len, int status,
                           const char *part)
{
    double *d = (double *)&d;
    size_t r, c;
    int nd;
    sc_problem pb;
    assert_int_equal(sc_npy_decode(b, len, &d, &r, &c, &nd, &pb), -1);
    assert_null(d);
    assert_int_equal(pb.status, status);
    assert_string_equal(pb.slug, status == 400 ? "malformed-request"
                                               : "invalid-parameters");
    if (strstr(pb.detail, part) == NULL)
        fail_msg("detail \"%s\" lacks \"%s\"", pb.detail, part);
}

static void header_refused(const char *dict, size_t nbytes, int status,
                           const char *part)
{
    size_t len;
    uint8_t *b = make_npy(dict, nbytes, &len);
    decode_refuses(b, len, status, part);
    free(b);
}

static void file_refused(const char *name, int status, const char *part)
{
    size_t len;
    uint8_t *b = slurp(name, &len);
    decode_refuses(b, len, status, part);
    free(b);
}

static void numpy_matrices_decode_in_every_version(void **state)
{
    (void)state;
    static const char *const files[] = {
        "matrix_3x4.npy", "matrix_3x4_v2.npy", "matrix_3x4_v3.npy"};
    for (size_t i = 0; i < 3; i++) {
        size_t len, r, c;
        int nd;
        double *d;
        sc_problem pb;
        uint8_t *b = slurp(files[i], &len);
        assert_int_equal(sc_npy_decode(b, len, &d, &r, &c, &nd, &pb), 0);
        assert_int_equal(nd, 2);
        assert_int_equal(r, 3);
        assert_int_equal(c, 4);
        assert_memory_equal(d, matrix_3x4, sizeof matrix_3x4);
        free(d);
        free(b);
    }
}

static void numpy_vector_decodes_as_one_column(void **state)
{
    (void)state;
    size_t len, r, c;
    int nd;
    double *d;
    sc_problem pb;
    uint8_t *b = slurp("vector_3.npy", &len);
    assert_int_equal(sc_npy_decode(b, len, &d, &r, &c, &nd, &pb), 0);
    assert_int_equal(nd, 1);
    assert_int_equal(r, 3);
    assert_int_equal(c, 1);
    assert_memory_equal(d, vector_3, sizeof vector_3);
    free(d);
    free(b);
}

static void encode_equals_numpy_bytes(const double *data, size_t rows,
                                      size_t cols, int ndim,
                                      const char *name)
{
    size_t want_len, len;
    uint8_t *want = slurp(name, &want_len), *got;
    assert_int_equal(sc_npy_encode(data, rows, cols, ndim, &got, &len), 0);
    assert_int_equal(len, want_len);
    assert_memory_equal(got, want, len);
    free(got);
    free(want);
}

static void encoding_is_byte_exact_against_numpy(void **state)
{
    (void)state;
    encode_equals_numpy_bytes(matrix_3x4, 3, 4, 2, "matrix_3x4.npy");
    encode_equals_numpy_bytes(vector_3, 3, 0, 1, "vector_3.npy");
    encode_equals_numpy_bytes(NULL, 0, 4, 2, "empty_0x4.npy");
}

/* The layout by hand: magic, version 1.0, little-endian header length,
 * a header ending in '\n' at a multiple of 64, then the data. */
static void encoding_layout_by_hand(void **state)
{
    (void)state;
    const double v[2] = {1.0, -2.0};
    const char *dict = "{'descr': '<f8', 'fortran_order': False, "
                       "'shape': (1, 2), }";
    uint8_t *b;
    size_t len;
    assert_int_equal(sc_npy_encode(v, 1, 2, 2, &b, &len), 0);
    assert_memory_equal(b, "\x93NUMPY\x01\x00", 8);
    size_t hlen = b[8] | (size_t)b[9] << 8;
    assert_int_equal((10 + hlen) % 64, 0);
    assert_memory_equal(b + 10, dict, strlen(dict));
    for (size_t i = 10 + strlen(dict); i < 9 + hlen; i++)
        assert_int_equal(b[i], ' ');
    assert_int_equal(b[9 + hlen], '\n');
    assert_int_equal(len, 10 + hlen + 16);
    /* 1.0 = 0x3ff0000000000000, -2.0 = 0xc000000000000000, little end
     * first */
    assert_memory_equal(b + 10 + hlen,
                        "\0\0\0\0\0\0\xf0\x3f\0\0\0\0\0\0\0\xc0", 16);
    free(b);
}

static void round_trip_keeps_exact_bits(void **state)
{
    (void)state;
    enum { R = 37, C = 5 };
    double m[R * C], *back;
    uint8_t *b;
    size_t len, r, c;
    int nd;
    sc_problem pb;
    /* bit patterns spread over every exponent, signs, subnormals */
    for (size_t i = 0; i < R * C; i++) {
        uint64_t u = (i * 0x9e3779b97f4a7c15u) & ~(0x7ffull << 52);
        u |= (uint64_t)(i * 11 % 0x7ff) << 52;
        memcpy(&m[i], &u, sizeof u);
    }
    assert_int_equal(sc_npy_encode(m, R, C, 2, &b, &len), 0);
    assert_int_equal(sc_npy_decode(b, len, &back, &r, &c, &nd, &pb), 0);
    assert_int_equal(r, R);
    assert_int_equal(c, C);
    assert_memory_equal(back, m, sizeof m);
    free(back);
    free(b);
}

static void encode_refuses_bad_ndim(void **state)
{
    (void)state;
    uint8_t *b;
    size_t len;
    const double x = 1;
    assert_int_equal(sc_npy_encode(&x, 1, 1, 3, &b, &len), -1);
    assert_int_equal(sc_npy_encode(&x, 1, 1, 0, &b, &len), -1);
    assert_int_equal(sc_npy_encode(&x, SIZE_MAX / 4, 4, 2, &b, &len), -1);
}

static void hand_made_headers_in_any_key_order_decode(void **state)
{
    (void)state;
    static const char *const dicts[] = {
        "{'shape': (2, 1), 'fortran_order': False, 'descr': '<f8'}",
        "{\"descr\":\"<f8\",\"fortran_order\":False,\"shape\":(2,1,),}",
        "{ 'descr' : '<f8' ,\t'fortran_order' : False , 'shape' : ( 2 , 1 ) }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
    };
    for (size_t i = 0; i < sizeof dicts / sizeof dicts[0]; i++) {
        size_t len, r, c;
        int nd;
        double *d;
        sc_problem pb;
        uint8_t *b = make_npy(dicts[i], 16, &len);
        assert_int_equal(sc_npy_decode(b, len, &d, &r, &c, &nd, &pb), 0);
        assert_int_equal(r, 2);
        assert_int_equal(c, 1);
        assert_true(d[0] == 0 && d[1] == 0);
        free(d);
        free(b);
    }
}

static void bad_magic_version_and_truncation_are_400(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = slurp("matrix_3x4.npy", &len);
    uint8_t *copy = malloc(len);

    memcpy(copy, b, len);
    copy[1] = 'n';
    decode_refuses(copy, len, 400, "magic");
    decode_refuses(b, 0, 400, "magic");
    decode_refuses(b, 9, 400, "magic");
    memcpy(copy, b, len);
    copy[6] = 4;
    decode_refuses(copy, len, 400, "version 4.0");
    copy[6] = 0;
    decode_refuses(copy, len, 400, "version 0.0");
    copy[6] = 1;
    copy[7] = 1;
    decode_refuses(copy, len, 400, "version 1.1");
    decode_refuses(b, 100, 400, "truncated");       /* inside the header */
    decode_refuses(b, len - 1, 400, "needs 96");    /* inside the data */
    memcpy(copy, b, len);
    copy[8] = 0xff;
    copy[9] = 0xff;
    decode_refuses(copy, len, 400, "truncated");
    free(copy);
    free(b);
    b = slurp("matrix_3x4_v2.npy", &len);
    decode_refuses(b, 11, 400, "truncated");
    free(b);
}

static void unserved_arrays_are_422(void **state)
{
    (void)state;
    file_refused("float32.npy", 422, "'<f4'");
    file_refused("big_endian.npy", 422, "'>f8'");
    file_refused("fortran.npy", 422, "fortran_order");
    file_refused("three_d.npy", 422, "3 dimensions");
    file_refused("empty_0x4.npy", 422, "no points");
    file_refused("with_nan.npy", 422, "not finite");
    header_refused("{'descr': '<f8', 'fortran_order': False, 'shape': ()}",
                   8, 422, "0 dimensions");
    header_refused("{'descr': '<f8', 'fortran_order': False, "
                   "'shape': (3, 0)}", 0, 422, "no points");
    header_refused("{'descr': 'float64', 'fortran_order': False, "
                   "'shape': (1,)}", 8, 422, "'float64'");
    header_refused("{'descr': '<f8                 ', 'fortran_order': "
                   "False, 'shape': (1,)}", 8, 422, "only '<f8'");
}

static void malformed_headers_are_400(void **state)
{
    (void)state;
    static const char *const dicts[] = {
        "'descr': '<f8', 'fortran_order': False, 'shape': (1,)",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': 1}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1, }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (01,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1_0,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1.5,)}",
        "{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}",
        "{'descr': '<f8', 'fortran_order': false, 'shape': (1,)}",
        "{'descr': <f8, 'fortran_order': False, 'shape': (1,)}",
        "{'descr': '<f8\\x', 'fortran_order': False, 'shape': (1,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,),,}",
        "{'descr': '<f8' 'fortran_order': False, 'shape': (1,)}",
        "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, "
        "'shape': (1,)}",
        "{'descr': '<f8', 'fortran_order': False}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), "
        "'extra': 1}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} x",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)",
    };
    for (size_t i = 0; i < sizeof dicts / sizeof dicts[0]; i++)
        header_refused(dicts[i], 8, 400, "NPY");
}

static void header_must_end_in_newline(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = make_npy("{'descr': '<f8', 'fortran_order': False, "
                          "'shape': (1,)}", 8, &len);
    size_t hlen = b[8];
    b[10 + hlen - 1] = ' ';
    decode_refuses(b, len, 400, "newline");
    b[10 + hlen - 1] = '\n';
    b[10 + hlen - 2] = '\n';
    decode_refuses(b, len, 400, "newline");
    free(b);
}

static void huge_shapes_are_400(void **state)
{
    (void)state;
    header_refused("{'descr': '<f8', 'fortran_order': False, "
                   "'shape': (99999999999999999999999, 1)}", 8, 400,
                   "too large");
    header_refused("{'descr': '<f8', 'fortran_order': False, "
                   "'shape': (4611686018427387904, 4)}", 8, 400,
                   "too large");
    header_refused("{'descr': '<f8', 'fortran_order': False, "
                   "'shape': (3037000500, 3037000500)}", 8, 400,
                   "too large");
    header_refused("{'descr': '<f8', 'fortran_order': False, "
                   "'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,"
                   " 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)}", 8,
                   400, "malformed");
}

static void wrong_data_length_is_400(void **state)
{
    (void)state;
    header_refused("{'descr': '<f8', 'fortran_order': False, "
                   "'shape': (2, 3)}", 47, 400, "holds 47 bytes");
    header_refused("{'descr': '<f8', 'fortran_order': False, "
                   "'shape': (2, 3)}", 49, 400, "needs 48");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numpy_matrices_decode_in_every_version),
        cmocka_unit_test(numpy_vector_decodes_as_one_column),
        cmocka_unit_test(encoding_is_byte_exact_against_numpy),
        cmocka_unit_test(encoding_layout_by_hand),
        cmocka_unit_test(round_trip_keeps_exact_bits),
        cmocka_unit_test(encode_refuses_bad_ndim),
        cmocka_unit_test(hand_made_headers_in_any_key_order_decode),
        cmocka_unit_test(bad_magic_version_and_truncation_are_400),
        cmocka_unit_test(unserved_arrays_are_422),
        cmocka_unit_test(malformed_headers_are_400),
        cmocka_unit_test(header_must_end_in_newline),
        cmocka_unit_test(huge_shapes_are_400),
        cmocka_unit_test(wrong_data_length_is_400),
    };
    return cmocka_run_group_tests_name("npy", tests, NULL, NULL);
}

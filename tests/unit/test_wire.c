/* The JSON wire: parsing, the field table, family parameters, matrices
 * and vectors, exact round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/sc_wire.h"

static json_t *parse(const char *s)
{
    json_t *o = NULL;
    sc_problem pb;
    assert_int_equal(sc_json_parse_object(s, strlen(s), &o, &pb), 0);
    return o;
}

/* The problem names status and slug, and the detail contains part. */
static void assert_problem(const sc_problem *pb, int status,
                           const char *slug, const char *part)
{
    assert_int_equal(pb->status, status);
    assert_string_equal(pb->slug, slug);
    if (strstr(pb->detail, part) == NULL)
        fail_msg("detail \"%s\" lacks \"%s\"", pb->detail, part);
}

static void assert_field(const sc_problem *pb, const char *field,
                         const char *part)
{
    assert_problem(pb, 422, "invalid-parameters", part);
    assert_int_equal(pb->nerrors, 1);
    assert_string_equal(pb->errors[0].field, field);
    if (strstr(pb->errors[0].message, part) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", pb->errors[0].message, part);
}

static void parse_refuses(const char *body, int status, const char *slug,
                          const char *part)
{
    json_t *o = (json_t *)&o;
    sc_problem pb;
    assert_int_equal(sc_json_parse_object(body, strlen(body), &o, &pb), -1);
    assert_null(o);
    assert_problem(&pb, status, slug, part);
}

static void parse_accepts_an_object(void **state)
{
    (void)state;
    json_t *o = parse(" {\"dim\": 4, \"t\": 0.5} \n");
    assert_int_equal(json_integer_value(json_object_get(o, "dim")), 4);
    json_decref(o);
}

static void malformed_json_is_400_with_line_and_column(void **state)
{
    (void)state;
    parse_refuses("{\n  \"dim\": 4,\n  \"t\" 0.5}", 400, "malformed-request",
                  "line 3, column");
    parse_refuses("{\"dim\": 4", 400, "malformed-request", "line 1");
    parse_refuses("{\"dim\": 4} x", 400, "malformed-request", "line 1");
    parse_refuses("{\"a\": tru}", 400, "malformed-request", "line 1");
    parse_refuses("", 400, "malformed-request", "empty");
    parse_refuses("{\"a\": \"\\u0000\"}", 400, "malformed-request", "line");
    parse_refuses("{\"a\": \"\xff\"}", 400, "malformed-request", "line");
}

static void non_objects_are_400(void **state)
{
    (void)state;
    parse_refuses("[1, 2]", 400, "malformed-request", "JSON object");
    parse_refuses("4", 400, "malformed-request", "line 1");
    parse_refuses("\"x\"", 400, "malformed-request", "line 1");
}

static void duplicate_keys_are_400(void **state)
{
    (void)state;
    parse_refuses("{\"dim\": 4, \"dim\": 5}", 400, "malformed-request",
                  "duplicate");
    parse_refuses("{\"o\": {\"a\": 1, \"a\": 1}}", 400, "malformed-request",
                  "duplicate");
}

static void nonfinite_literals_are_422(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "{\"t\": NaN}",          "{\"t\": -NaN}",
        "{\"t\": nan}",          "{\"t\": Infinity}",
        "{\"t\": -Infinity}",    "{\"t\": inf}",
        "{\"p\": [[1, NaN]]}",   "{\"p\": [1,\n -Infinity, 2]}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        parse_refuses(bodies[i], 422, "invalid-parameters", "finite");
    /* other bare words stay syntax errors */
    parse_refuses("{\"t\": Nano}", 400, "malformed-request", "line 1");
    parse_refuses("{\"t\": -x}", 400, "malformed-request", "line 1");
}

static void overflowing_numbers_are_422(void **state)
{
    (void)state;
    parse_refuses("{\"t\": 1e999}", 422, "invalid-parameters",
                  "out of range");
    parse_refuses("{\"t\": -1e999}", 422, "invalid-parameters",
                  "out of range");
    parse_refuses("{\"n\": 99999999999999999999}", 422,
                  "invalid-parameters", "out of range");
}

/* The field table, on a struct like a handler's. */
typedef struct req {
    uint32_t n;
    double t, x;
    bool flag;
    const char *name;
    json_t *obj, *arr;
    bool has_t;
} req;

static const sc_wire_field req_fields[] = {
    {"n", SC_WT_UINT, offsetof(req, n), SC_PF_REQUIRED, 1, 1000, SIZE_MAX},
    {"t", SC_WT_DOUBLE, offsetof(req, t), 0, 0, INFINITY,
     offsetof(req, has_t)},
    {"flag", SC_WT_BOOL, offsetof(req, flag), 0, 0, 0, SIZE_MAX},
    {"name", SC_WT_STRING, offsetof(req, name), 0, 0, 0, SIZE_MAX},
    {"obj", SC_WT_OBJECT, offsetof(req, obj), 0, 0, 0, SIZE_MAX},
    {"arr", SC_WT_ARRAY, offsetof(req, arr), 0, 0, 0, SIZE_MAX},
    {"x", SC_WT_DOUBLE, offsetof(req, x), 0, -INFINITY, 10, SIZE_MAX},
};
#define NREQ (sizeof req_fields / sizeof req_fields[0])

static void decode_refuses(const char *body, const char *field,
                           const char *part)
{
    json_t *o = parse(body);
    req r = {0};
    sc_problem pb;
    assert_int_equal(sc_wire_decode(o, req_fields, NREQ, &r, &pb), -1);
    assert_field(&pb, field, part);
    json_decref(o);
}

static void table_decodes_every_type(void **state)
{
    (void)state;
    json_t *o = parse("{\"n\": 7, \"t\": 2, \"flag\": true, \"name\": \"al\","
                      " \"obj\": {\"a\": 1}, \"arr\": [1]}");
    req r = {0};
    sc_problem pb;
    assert_int_equal(sc_wire_decode(o, req_fields, NREQ, &r, &pb), 0);
    assert_int_equal(r.n, 7);
    assert_true(r.t == 2.0);
    assert_true(r.has_t);
    assert_true(r.flag);
    assert_string_equal(r.name, "al");
    assert_ptr_equal(r.obj, json_object_get(o, "obj"));
    assert_ptr_equal(r.arr, json_object_get(o, "arr"));
    json_decref(o);
}

static void table_leaves_absent_and_null_fields(void **state)
{
    (void)state;
    json_t *o = parse("{\"n\": 3.0, \"t\": null}");
    req r = {.t = 0.25};
    sc_problem pb;
    assert_int_equal(sc_wire_decode(o, req_fields, NREQ, &r, &pb), 0);
    assert_int_equal(r.n, 3); /* an integral real is an integer */
    assert_true(r.t == 0.25);
    assert_false(r.has_t);
    assert_null(r.name);
    json_decref(o);
}

static void table_refuses_unknown_missing_and_wrong(void **state)
{
    (void)state;
    decode_refuses("{\"n\": 1, \"colour\": 2}", "colour", "unknown field");
    decode_refuses("{\"t\": 1}", "n", "required");
    decode_refuses("{\"n\": null}", "n", "required");
    decode_refuses("{\"n\": \"4\"}", "n", "must be an integer in [1, 1000], "
                   "not a string");
    decode_refuses("{\"n\": 3.5}", "n", "not 3.5");
    decode_refuses("{\"n\": -1}", "n", "in [1, 1000]");
    decode_refuses("{\"n\": 0}", "n", "in [1, 1000]");
    decode_refuses("{\"n\": 1001}", "n", "in [1, 1000]");
    decode_refuses("{\"n\": 1, \"t\": -0.5}", "t", "t must be a number >= 0");
    decode_refuses("{\"n\": 1, \"t\": true}", "t", "not a boolean");
    decode_refuses("{\"n\": 1, \"flag\": 1}", "flag", "must be a boolean");
    decode_refuses("{\"n\": 1, \"name\": 1}", "name", "must be a string");
    decode_refuses("{\"n\": 1, \"obj\": []}", "obj", "must be an object, "
                   "not an array");
    decode_refuses("{\"n\": 1, \"arr\": {}}", "arr", "must be an array");
    decode_refuses("{\"n\": 1, \"x\": 10.5}", "x", "x must be a number <= 10");
}

/* A family invented for the test exercises every kind of parameter. */
static int toy_validate(sc_params *p, sc_error *err)
{
    if (p->sigma == 0)
        p->sigma = 1;
    if (p->components == 0)
        p->components = 1;
    if (p->weights != NULL && p->nweights != p->components)
        return sc_fail(err, "weights", "weights must hold %u numbers",
                       p->components);
    return SC_OK;
}

static const sc_param_spec toy_spec[] = {
    {"dim", SC_PT_UINT, offsetof(sc_params, dim), 0, SC_PF_REQUIRED, 1, 16,
     "dimension d"},
    {"sigma", SC_PT_DOUBLE, offsetof(sc_params, sigma), 0, SC_PF_MIN_OPEN, 0,
     INFINITY, "width"},
    {"components", SC_PT_UINT, offsetof(sc_params, components), 0, 0, 1, 8,
     "K"},
    {"weights", SC_PT_DVEC, offsetof(sc_params, weights),
     offsetof(sc_params, nweights), SC_PF_OPTIONAL, 0, INFINITY, "w"},
    {"f_key", SC_PT_HEX32, offsetof(sc_params, f_key), 0, SC_PF_OUTPUT, 0, 0,
     "public key"},
};

static const sc_family toy = {
    .name = "toy",
    .spec = toy_spec,
    .nspec = sizeof toy_spec / sizeof toy_spec[0],
    .validate = toy_validate,
};

/* The same spec with f_key an input, for HEX32 decoding. */
static const sc_param_spec keyed_spec[] = {
    {"f_key", SC_PT_HEX32, offsetof(sc_params, f_key), 0, 0, 0, 0, "key"},
};

static int keyed_validate(sc_params *p, sc_error *err)
{
    (void)p;
    (void)err;
    return SC_OK;
}

static const sc_family keyed = {
    .name = "keyed",
    .spec = keyed_spec,
    .nspec = 1,
    .validate = keyed_validate,
};

static const char *const skip[] = {"family", "budget", "oracle", NULL};

static void params_refuse(const sc_family *fam, const char *body,
                          const char *field, const char *part)
{
    json_t *o = parse(body);
    sc_params p = {0};
    sc_problem pb;
    assert_int_equal(sc_wire_decode_params(fam, o, skip, &p, &pb), -1);
    assert_field(&pb, field, part);
    assert_null(p.weights); /* cleared on failure */
    json_decref(o);
}

static void params_decode_defaults_and_skip(void **state)
{
    (void)state;
    json_t *o = parse("{\"family\": \"toy\", \"dim\": 3, \"budget\": {}, "
                      "\"components\": 2, \"weights\": [1, 0.5]}");
    sc_params p = {0};
    sc_problem pb;
    assert_int_equal(sc_wire_decode_params(&toy, o, skip, &p, &pb), 0);
    assert_int_equal(p.dim, 3);
    assert_true(p.sigma == 1.0);
    assert_int_equal(p.nweights, 2);
    assert_true(p.weights[0] == 1.0 && p.weights[1] == 0.5);
    sc_params_clear(&p);
    json_decref(o);
}

static void params_refuse_every_error_class(void **state)
{
    (void)state;
    params_refuse(&toy, "{}", "dim", "dim is required");
    params_refuse(&toy, "{\"dim\": 3, \"gamma\": 1}", "gamma",
                  "unknown field gamma; family toy takes dim, sigma, "
                  "components, weights");
    params_refuse(&toy, "{\"dim\": 3, \"f_key\": \"00\"}", "f_key",
                  "chosen by the server");
    params_refuse(&toy, "{\"dim\": 17}", "dim", "in [1, 16]");
    params_refuse(&toy, "{\"dim\": \"3\"}", "dim", "not a string");
    params_refuse(&toy, "{\"dim\": 3, \"sigma\": 0}", "sigma",
                  "sigma must be a number > 0");
    params_refuse(&toy, "{\"dim\": 3, \"sigma\": [1]}", "sigma",
                  "not an array");
    params_refuse(&toy, "{\"dim\": 3, \"weights\": 1}", "weights",
                  "must be an array of numbers");
    params_refuse(&toy, "{\"dim\": 3, \"weights\": []}", "weights",
                  "must hold 1 to");
    params_refuse(&toy, "{\"dim\": 3, \"weights\": [1, \"x\"]}", "weights",
                  "weights[1] must be a number");
    params_refuse(&toy, "{\"dim\": 3, \"weights\": [1, -1]}", "weights",
                  "weights[1] must be a number >= 0");
    /* validate's own verdict, after every weight was read */
    params_refuse(&toy, "{\"dim\": 3, \"weights\": [1, 1]}", "weights",
                  "weights must hold 1 numbers");
    params_refuse(&keyed, "{\"f_key\": \"abc\"}", "f_key", "64 hex digits");
    params_refuse(&keyed, "{\"f_key\": 5}", "f_key", "64 hex digits");
}

static void params_refuse_a_non_object(void **state)
{
    (void)state;
    json_t *v = json_integer(3);
    sc_params p = {0};
    sc_problem pb;
    assert_int_equal(sc_wire_decode_params(&toy, v, NULL, &p, &pb), -1);
    assert_problem(&pb, 422, "invalid-parameters", "must be an object");
    json_decref(v);
}

static void params_hex_key_decodes(void **state)
{
    (void)state;
    char body[128] = "{\"f_key\": \"";
    for (int i = 0; i < 32; i++)
        strcat(body, i == 0 ? "ff" : "0a");
    strcat(body, "\"}");
    json_t *o = parse(body);
    sc_params p = {0};
    sc_problem pb;
    assert_int_equal(sc_wire_decode_params(&keyed, o, NULL, &p, &pb), 0);
    assert_int_equal(p.f_key[0], 0xff);
    assert_int_equal(p.f_key[31], 0x0a);
    json_decref(o);
}

static void params_encode_every_kind(void **state)
{
    (void)state;
    double w[2] = {0.25, 0.75};
    sc_params p = {.dim = 5, .sigma = 0.1, .components = 2, .weights = w,
                   .nweights = 2};
    p.f_key[0] = 0xab;
    json_t *o = sc_wire_encode_params(&toy, &p);
    assert_int_equal(json_object_size(o), 5);
    assert_int_equal(json_integer_value(json_object_get(o, "dim")), 5);
    assert_true(json_real_value(json_object_get(o, "sigma")) == 0.1);
    assert_true(json_real_value(json_array_get(json_object_get(o, "weights"),
                                               1)) == 0.75);
    const char *hex = json_string_value(json_object_get(o, "f_key"));
    assert_int_equal(strlen(hex), 64);
    assert_memory_equal(hex, "ab00", 4);
    json_decref(o);

    p.weights = NULL; /* an absent vector is omitted */
    o = sc_wire_encode_params(&toy, &p);
    assert_null(json_object_get(o, "weights"));
    assert_int_equal(json_object_size(o), 4);
    json_decref(o);
}

/* Minimal valid parameters of every family this build serves. */
static const struct { const char *family, *body; } minimal[] = {
    {"gaussian", "{\"dim\": 4}"},
    {"pancakes", "{\"dim\": 3, \"gamma\": 2, \"sigma\": 0.1}"},
    {"gmm", "{\"dim\": 3, \"components\": 2}"},
    {"owf", "{\"seed_bits\": 8, \"image_bits\": 16}"},
};

/* Drops the members a request may not send (SC_PF_OUTPUT). */
static void drop_outputs(const sc_family *fam, json_t *o)
{
    for (size_t i = 0; i < fam->nspec; i++)
        if (fam->spec[i].flags & SC_PF_OUTPUT)
            json_object_del(o, fam->spec[i].name);
}

/* decode -> encode (defaults filled) -> decode -> encode is a fixed
 * point, and every spec parameter appears in the encoding. */
static void every_family_round_trips(void **state)
{
    (void)state;
    size_t n = sizeof minimal / sizeof minimal[0];
    for (size_t i = 0; sc_families[i] != NULL; i++)
        assert_true(i < n && sc_family_find(minimal[i].family) != NULL);
    for (size_t i = 0; i < n; i++) {
        const sc_family *fam = sc_family_find(minimal[i].family);
        json_t *o = parse(minimal[i].body), *e1, *e2;
        sc_params p = {0}, q = {0};
        sc_problem pb;
        assert_non_null(fam);
        assert_int_equal(sc_wire_decode_params(fam, o, skip, &p, &pb), 0);
        e1 = sc_wire_encode_params(fam, &p);
        for (size_t j = 0; j < fam->nspec; j++)
            if (!(fam->spec[j].flags & SC_PF_OPTIONAL))
                assert_non_null(json_object_get(e1, fam->spec[j].name));
        drop_outputs(fam, e1);
        assert_int_equal(sc_wire_decode_params(fam, e1, skip, &q, &pb), 0);
        e2 = sc_wire_encode_params(fam, &q);
        drop_outputs(fam, e2);
        assert_true(json_equal(e1, e2));
        json_decref(e2);
        json_decref(e1);
        json_decref(o);
        sc_params_clear(&q);
        sc_params_clear(&p);
    }
}

static void gaussian_params(void **state)
{
    (void)state;
    const sc_family *g = sc_family_find("gaussian");
    json_t *o = parse("{\"family\": \"gaussian\", \"dim\": 4}");
    sc_params p = {0};
    sc_problem pb;
    assert_int_equal(sc_wire_decode_params(g, o, skip, &p, &pb), 0);
    json_t *back = sc_wire_encode_params(g, &p);
    char *s = sc_wire_dump(back, NULL);
    assert_string_equal(s, "{\"dim\":4}");
    free(s);
    json_decref(back);
    json_decref(o);
    params_refuse(g, "{\"dim\": 0}", "dim", "dim must be an integer");
    params_refuse(g, "{\"dim\": 4097}", "dim", "dim must be an integer");
    params_refuse(g, "{\"dim\": 4, \"sigma\": 1}", "sigma",
                  "unknown field");
}

static void pancakes_params(void **state)
{
    (void)state;
    const sc_family *f = sc_family_find("pancakes");
    json_t *o = parse("{\"dim\": 3, \"gamma\": 2, \"sigma\": 0.25, "
                      "\"components\": 5}");
    sc_params p = {0};
    sc_problem pb;
    assert_int_equal(sc_wire_decode_params(f, o, skip, &p, &pb), 0);
    assert_true(p.gamma == 2.0 && p.sigma == 0.25);
    assert_int_equal(p.components, 5);
    json_decref(o);
    params_refuse(f, "{\"dim\": 3, \"gamma\": 2}", "sigma", "required");
    params_refuse(f, "{\"dim\": 3, \"gamma\": 2, \"sigma\": 0}", "sigma",
                  "sigma must be a number in [");
    params_refuse(f, "{\"dim\": 3, \"gamma\": \"2\", \"sigma\": 1}",
                  "gamma", "not a string");
    /* validate's cross-check: a truncation keeps an odd count */
    params_refuse(f, "{\"dim\": 3, \"gamma\": 2, \"sigma\": 1, "
                  "\"components\": 4}", "components", "odd");
}

static void gmm_params(void **state)
{
    (void)state;
    const sc_family *f = sc_family_find("gmm");
    json_t *o = parse("{\"dim\": 2, \"components\": 2, "
                      "\"weights\": [1, 3]}");
    sc_params p = {0};
    sc_problem pb;
    assert_int_equal(sc_wire_decode_params(f, o, skip, &p, &pb), 0);
    json_t *e = sc_wire_encode_params(f, &p);
    assert_int_equal(json_array_size(json_object_get(e, "weights")), 2);
    assert_non_null(json_object_get(e, "spread"));
    assert_non_null(json_object_get(e, "variance"));
    json_decref(e);
    sc_params_clear(&p);
    json_decref(o);
    params_refuse(f, "{\"dim\": 2, \"components\": 2, \"weights\": [1]}",
                  "weights", "weights");
    params_refuse(f, "{\"dim\": 2, \"components\": 2, "
                  "\"weights\": [1, 0]}", "weights", "weights[1] must be a "
                  "number > 0");
    params_refuse(f, "{\"dim\": 2, \"components\": 0}", "components",
                  "components");
    params_refuse(f, "{\"dim\": 2, \"components\": 2, \"spread\": 0}",
                  "spread", "spread must be a number in (0, ");
}

static void owf_params(void **state)
{
    (void)state;
    const sc_family *f = sc_family_find("owf");
    static const uint8_t key[SC_KEY_BYTES] = {7};
    json_t *o = parse("{\"seed_bits\": 8, \"image_bits\": 16}");
    sc_params p = {0};
    sc_problem pb;
    sc_dist *d;
    assert_int_equal(sc_wire_decode_params(f, o, skip, &p, &pb), 0);
    assert_int_equal(sc_dist_new(f, &p, key, &d, NULL), SC_OK);
    /* the server's choice of f_key is public */
    json_t *e = sc_wire_encode_params(f, &d->params);
    const char *hex = json_string_value(json_object_get(e, "f_key"));
    assert_non_null(hex);
    assert_int_equal(strlen(hex), 64);
    assert_string_not_equal(hex, "00000000000000000000000000000000"
                                 "00000000000000000000000000000000");
    json_decref(e);
    sc_dist_free(d);
    sc_params_clear(&p);
    json_decref(o);
    params_refuse(f, "{\"seed_bits\": 8, \"image_bits\": 16, \"f_key\": "
                  "\"00\"}", "f_key", "chosen by the server");
    params_refuse(f, "{\"seed_bits\": 65, \"image_bits\": 16}",
                  "seed_bits", "in [1, 64]");
    params_refuse(f, "{\"seed_bits\": 8}", "image_bits", "required");
    params_refuse(f, "{\"seed_bits\": 8, \"image_bits\": 16, "
                  "\"dim\": 24}", "dim", "unknown field dim");
}

static void matrix_refuses(const char *body, size_t cols, size_t max_rows,
                           const char *part)
{
    json_t *o = parse(body);
    double *m = (double *)&m;
    size_t r, c;
    sc_problem pb;
    assert_int_equal(sc_wire_decode_matrix(json_object_get(o, "points"),
                                           "points", cols, max_rows, &m, &r,
                                           &c, &pb), -1);
    assert_null(m);
    assert_field(&pb, "points", part);
    json_decref(o);
}

static void matrix_decodes_rows(void **state)
{
    (void)state;
    json_t *o = parse("{\"points\": [[1, 2.5], [-3, 4e-3], [0, 1]]}");
    double *m;
    size_t r, c;
    sc_problem pb;
    assert_int_equal(sc_wire_decode_matrix(json_object_get(o, "points"),
                                           "points", 2, 10, &m, &r, &c, &pb),
                     0);
    assert_int_equal(r, 3);
    assert_int_equal(c, 2);
    assert_true(m[1] == 2.5 && m[2] == -3 && m[3] == 4e-3 && m[5] == 1);
    free(m);
    /* cols 0: from the first row */
    assert_int_equal(sc_wire_decode_matrix(json_object_get(o, "points"),
                                           "points", 0, 3, &m, &r, &c, &pb),
                     0);
    assert_int_equal(c, 2);
    free(m);
    json_decref(o);
}

static void matrix_refuses_bad_shapes(void **state)
{
    (void)state;
    matrix_refuses("{\"points\": [[1,2,3,4],[1,2,3,4],[1,2,3,4],"
                   "[1,2,3,4,5]]}", 4, 10,
                   "points[3] has 5 numbers, the instance has dim 4");
    matrix_refuses("{\"points\": [[1,2,3],[1,2]]}", 0, 10,
                   "points[1] has 2 numbers, points[0] has 3");
    matrix_refuses("{\"points\": [[1,2],[1,\"2\"]]}", 2, 10,
                   "points[1][1] must be a number, not a string");
    matrix_refuses("{\"points\": [[1,2], 3]}", 2, 10,
                   "points[1] must be an array of numbers, not an integer");
    matrix_refuses("{\"points\": []}", 2, 10, "no points");
    matrix_refuses("{\"points\": [[]]}", 0, 10, "non-empty");
    matrix_refuses("{\"points\": [[1],[2],[3]]}", 1, 2,
                   "3 rows, at most 2");
    matrix_refuses("{\"points\": {}}", 1, 2, "not an object");
    matrix_refuses("{\"x\": 1}", 1, 2, "not absent");
}

static void vector_decodes_and_checks_length(void **state)
{
    (void)state;
    json_t *o = parse("{\"d\": [1, -2.5, 3], \"e\": [1, null]}");
    double *v;
    size_t n;
    sc_problem pb;
    assert_int_equal(sc_wire_decode_vector(json_object_get(o, "d"), "d", 3,
                                           &v, &n, &pb), 0);
    assert_int_equal(n, 3);
    assert_true(v[1] == -2.5);
    free(v);
    assert_int_equal(sc_wire_decode_vector(json_object_get(o, "d"), "d", 0,
                                           &v, &n, &pb), 0);
    free(v);
    assert_int_equal(sc_wire_decode_vector(json_object_get(o, "d"), "d", 4,
                                           &v, &n, &pb), -1);
    assert_field(&pb, "d", "d has 3 numbers, 4 expected");
    assert_int_equal(sc_wire_decode_vector(json_object_get(o, "e"), "e", 0,
                                           &v, &n, &pb), -1);
    assert_field(&pb, "e", "e[1] must be a number, not null");
    assert_int_equal(sc_wire_decode_vector(json_object_get(o, "x"), "x", 0,
                                           &v, &n, &pb), -1);
    assert_field(&pb, "x", "must be an array");
    json_decref(o);
}

/* Doubles whose shortest decimal forms need all 17 digits, signed zero,
 * subnormals and the extremes travel through dump and parse bit for
 * bit. */
static void matrix_round_trips_exact_bits(void **state)
{
    (void)state;
    const double m[12] = {
        0.1, 1.0 / 3.0, -0.0, DBL_TRUE_MIN,
        DBL_MIN, DBL_MAX, -DBL_MAX, nextafter(1.0, 2.0),
        M_PI, -M_E * 1e-200, 123456789.0123456789, 1e22,
    };
    json_t *o = json_pack("{s:o}", "points", sc_wire_encode_matrix(m, 3, 4));
    size_t len, r, c;
    char *s = sc_wire_dump(o, &len);
    json_t *back;
    double *got;
    sc_problem pb;

    assert_int_equal(len, strlen(s));
    assert_null(strchr(s, ' ')); /* compact */
    assert_int_equal(sc_json_parse_object(s, len, &back, &pb), 0);
    assert_int_equal(sc_wire_decode_matrix(json_object_get(back, "points"),
                                           "points", 4, 3, &got, &r, &c, &pb),
                     0);
    assert_memory_equal(got, m, sizeof m);
    free(got);
    free(s);
    json_decref(back);
    json_decref(o);
}

static void vector_encoding_maps_nonfinite_to_null(void **state)
{
    (void)state;
    const double v[3] = {-INFINITY, 1.5, NAN};
    json_t *a = sc_wire_encode_vector(v, 3);
    char *s = sc_wire_dump(a, NULL);
    assert_string_equal(s, "[null,1.5,null]");
    free(s);
    json_decref(a);
}

static void secret_encodes_vectors_and_matrices(void **state)
{
    (void)state;
    const double means[4] = {1, 2, 3, 4}, w[2] = {0.5, 0.5};
    const sc_secret_view v[2] = {
        {"means", means, 2, 2, true},
        {"weights", w, 1, 2, false},
    };
    json_t *o = sc_wire_encode_secret(v, 2);
    char *s = sc_wire_dump(o, NULL);
    assert_string_equal(s, "{\"means\":[[1.0,2.0],[3.0,4.0]],"
                           "\"weights\":[0.5,0.5]}");
    free(s);
    json_decref(o);
    o = sc_wire_encode_secret(v, 0);
    assert_int_equal(json_object_size(o), 0);
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_accepts_an_object),
        cmocka_unit_test(malformed_json_is_400_with_line_and_column),
        cmocka_unit_test(non_objects_are_400),
        cmocka_unit_test(duplicate_keys_are_400),
        cmocka_unit_test(nonfinite_literals_are_422),
        cmocka_unit_test(overflowing_numbers_are_422),
        cmocka_unit_test(table_decodes_every_type),
        cmocka_unit_test(table_leaves_absent_and_null_fields),
        cmocka_unit_test(table_refuses_unknown_missing_and_wrong),
        cmocka_unit_test(params_decode_defaults_and_skip),
        cmocka_unit_test(params_refuse_every_error_class),
        cmocka_unit_test(params_refuse_a_non_object),
        cmocka_unit_test(params_hex_key_decodes),
        cmocka_unit_test(params_encode_every_kind),
        cmocka_unit_test(every_family_round_trips),
        cmocka_unit_test(gaussian_params),
        cmocka_unit_test(pancakes_params),
        cmocka_unit_test(gmm_params),
        cmocka_unit_test(owf_params),
        cmocka_unit_test(matrix_decodes_rows),
        cmocka_unit_test(matrix_refuses_bad_shapes),
        cmocka_unit_test(vector_decodes_and_checks_length),
        cmocka_unit_test(matrix_round_trips_exact_bits),
        cmocka_unit_test(vector_encoding_maps_nonfinite_to_null),
        cmocka_unit_test(secret_encodes_vectors_and_matrices),
    };
    return cmocka_run_group_tests_name("wire", tests, NULL, NULL);
}

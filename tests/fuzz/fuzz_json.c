/*
 * libFuzzer target for the JSON request decoders: the body parser, the
 * parameters of every served family, the field table, matrices and
 * vectors.  Invariants checked beyond "no crash, no leak": every failure
 * renders as problem JSON, and every decoded matrix survives encode ->
 * dump -> parse -> decode bit for bit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/sc_wire.h"

static void check_problem(const sc_problem *pb)
{
    json_t *j = sc_problem_json(pb);
    char *s = sc_wire_dump(j, NULL);
    if (s == NULL || pb->status < 400 || pb->status > 599)
        abort();
    free(s);
    json_decref(j);
}

static void round_trip_matrix(const double *m, size_t rows, size_t cols)
{
    json_t *o = json_object(), *back;
    double *again;
    size_t r, c, len;
    sc_problem pb;
    char *s;

    json_object_set_new(o, "points", sc_wire_encode_matrix(m, rows, cols));
    s = sc_wire_dump(o, &len);
    if (s == NULL || sc_json_parse_object(s, len, &back, &pb) != 0 ||
        sc_wire_decode_matrix(json_object_get(back, "points"), "points",
                              cols, rows, &again, &r, &c, &pb) != 0 ||
        r != rows || c != cols ||
        memcmp(again, m, rows * cols * sizeof *m) != 0)
        abort();
    free(again);
    json_decref(back);
    free(s);
    json_decref(o);
}

static void fuzz_params(const json_t *o)
{
    static const char *const skip[] = {"family", "budget", "oracle", NULL};
    for (size_t i = 0; sc_families[i] != NULL; i++) {
        sc_params p = {0};
        sc_problem pb;
        if (sc_wire_decode_params(sc_families[i], o, skip, &p, &pb) != 0) {
            check_problem(&pb);
            continue;
        }
        json_t *e = sc_wire_encode_params(sc_families[i], &p);
        char *s = sc_wire_dump(e, NULL);
        if (s == NULL)
            abort();
        free(s);
        json_decref(e);
        sc_params_clear(&p);
    }
}

/* A field table of every wire type, like a handler's. */
typedef struct table_req {
    uint32_t samples, score;
    double t;
    bool public_, has_t;
    const char *kind;
    json_t *instance, *rounds;
} table_req;

static const sc_wire_field fields[] = {
    {"samples", SC_WT_UINT, offsetof(table_req, samples), 0, 0, 1e6, SIZE_MAX},
    {"score", SC_WT_UINT, offsetof(table_req, score), SC_PF_REQUIRED, 1, 1e6,
     SIZE_MAX},
    {"t", SC_WT_DOUBLE, offsetof(table_req, t), SC_PF_MIN_OPEN, 0, 20,
     offsetof(table_req, has_t)},
    {"public", SC_WT_BOOL, offsetof(table_req, public_), 0, 0, 0, SIZE_MAX},
    {"kind", SC_WT_STRING, offsetof(table_req, kind), 0, 0, 0, SIZE_MAX},
    {"instance", SC_WT_OBJECT, offsetof(table_req, instance), 0, 0, 0,
     SIZE_MAX},
    {"rounds", SC_WT_ARRAY, offsetof(table_req, rounds), 0, 0, 0, SIZE_MAX},
};

static void fuzz_arrays(const json_t *o)
{
    double *m;
    size_t r, c;
    sc_problem pb;
    table_req b = {0};

    if (sc_wire_decode_matrix(json_object_get(o, "points"), "points", 0,
                              1u << 20, &m, &r, &c, &pb) == 0) {
        round_trip_matrix(m, r, c);
        free(m);
    } else {
        check_problem(&pb);
    }
    if (sc_wire_decode_vector(json_object_get(o, "direction"), "direction",
                              0, &m, &r, &pb) == 0) {
        round_trip_matrix(m, 1, r);
        free(m);
    } else {
        check_problem(&pb);
    }
    if (sc_wire_decode(o, fields, sizeof fields / sizeof fields[0], &b, &pb))
        check_problem(&pb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *o;
    sc_problem pb;
    if (sc_json_parse_object((const char *)data, size, &o, &pb) != 0) {
        check_problem(&pb);
        return 0;
    }
    fuzz_params(o);
    fuzz_arrays(o);
    json_decref(o);
    return 0;
}

/*
 * The wire's cost for a 4096 x 256 batch of doubles (one big score
 * request and its answer): JSON encode + dump (jansson) and the number-
 * array text answers use, JSON parse + decode by jansson alone and by
 * the fast path, NPY encode and decode, next to a memcpy of the batch.
 * Best of several runs each; prints figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/sc_wire.h"

#define N 4096
#define DIM 256
#define REPS 5

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct batch {
    double *m;
    char *json;
    size_t json_len;
    uint8_t *npy;
    size_t npy_len;
} batch;

static void json_out(batch *b)
{
    json_t *o = json_object();
    json_object_set_new(o, "scores", sc_wire_encode_matrix(b->m, N, DIM));
    free(b->json);
    b->json = sc_wire_dump(o, &b->json_len);
    json_decref(o);
}

static void json_in(batch *b)
{
    json_t *o;
    double *m;
    size_t r, c;
    sc_problem pb;
    if (sc_json_parse_object(b->json, b->json_len, &o, &pb) != 0 ||
        sc_wire_decode_matrix(json_object_get(o, "scores"), "scores", DIM, N,
                              &m, &r, &c, &pb) != 0)
        abort();
    free(m);
    json_decref(o);
}

/* What an answer costs now: the number-array writer (shortest digits
 * by double-conversion), beside jansson's dump above (17 digits through
 * printf), the anchor. */
static void json_text(batch *b)
{
    size_t len;
    char *s = sc_wire_array_text("scores", b->m, N, DIM, 2, &len);
    if (s == NULL)
        abort();
    free(s);
}

/* jansson's own parser (locale-bound strtod), the anchor of the fast
 * path sc_json_parse_object takes. */
static void json_in_jansson(batch *b)
{
    json_t *o = json_loadb(b->json, b->json_len, JSON_REJECT_DUPLICATES,
                           NULL);
    double *m;
    size_t r, c;
    sc_problem pb;
    if (o == NULL ||
        sc_wire_decode_matrix(json_object_get(o, "scores"), "scores", DIM, N,
                              &m, &r, &c, &pb) != 0)
        abort();
    free(m);
    json_decref(o);
}

static void npy_out(batch *b)
{
    free(b->npy);
    if (sc_npy_encode(b->m, N, DIM, 2, &b->npy, &b->npy_len) != 0)
        abort();
}

static void npy_in(batch *b)
{
    double *m;
    size_t r, c;
    int nd;
    sc_problem pb;
    if (sc_npy_decode(b->npy, b->npy_len, &m, &r, &c, &nd, &pb) != 0)
        abort();
    free(m);
}

static void copy(batch *b)
{
    double *m = malloc(sizeof(double) * N * DIM);
    memcpy(m, b->m, sizeof(double) * N * DIM);
    /* keep the copy from being optimised away */
    if (m[N * DIM - 1] != b->m[N * DIM - 1])
        abort();
    free(m);
}

static double report(const char *label, void (*fn)(batch *), batch *b)
{
    double best = 1e30;
    for (int r = 0; r < REPS; r++) {
        double t0 = now();
        fn(b);
        double dt = now() - t0;
        best = dt < best ? dt : best;
    }
    printf("%-22s %9.2f ms  %7.1f Mdoubles/s\n", label, best * 1e3,
           N * DIM / best / 1e6);
    return best;
}

int main(void)
{
    batch b = {0};
    b.m = malloc(sizeof(double) * N * DIM);
    /* full-precision values: the dump's worst case */
    for (size_t i = 0; i < (size_t)N * DIM; i++)
        b.m[i] = ((double)(i % 1009) - 504.5) / 7.0;
    printf("wire: %d x %d doubles\n", N, DIM);
    report("memcpy", copy, &b);
    double dump = report("json encode+dump", json_out, &b);
    double text = report("json array text", json_text, &b);
    double slow = report("json jansson parse", json_in_jansson, &b);
    double fast = report("json parse+decode", json_in, &b);
    report("npy encode", npy_out, &b);
    report("npy decode", npy_in, &b);
    printf("json body %.1f MB, npy body %.1f MB\n", b.json_len / 1e6,
           b.npy_len / 1e6);
    printf("answers: array text %.1fx faster than jansson's dump; "
           "requests: fast parse %.1fx faster than jansson's\n",
           dump / text, slow / fast);
    free(b.json);
    free(b.npy);
    free(b.m);
    return 0;
}

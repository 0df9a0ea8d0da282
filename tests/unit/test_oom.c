/*
 * Malloc-failure injection for core and proto, as SQLite tests its
 * allocations: each scenario runs once to count its allocations, then
 * once per k with the k-th allocation failing.  Every run must free all
 * it took (a live-allocation count kept by the wrappers below, and
 * LeakSanitizer in `make asan`), and a run whose allocation failed must
 * either report an error or produce exactly the reference output.
 *
 * The wrappers: this binary is linked with -Wl,--wrap=malloc,... (see the
 * Makefile), so every allocation the static core and proto libraries
 * make comes here; jansson's go through json_set_alloc_funcs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/sc_core.h"
#include "proto/sc_wire.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

static struct {
    int armed;      /* counting and failing only inside a scenario */
    long calls;     /* allocations so far in this run */
    long fail_at;   /* the allocation that fails (1-based), 0 for none */
    long live;      /* allocations not yet freed */
    int failed;     /* the injected failure happened */
} inj;

/* Whether this allocation is the one to fail. */
static int should_fail(void)
{
    if (!inj.armed)
        return 0;
    inj.calls++;
    if (inj.calls == inj.fail_at) {
        inj.failed = 1;
        return 1;
    }
    return 0;
}

void *__wrap_malloc(size_t n)
{
    void *p = should_fail() ? NULL : __real_malloc(n);

    if (p && inj.armed)
        inj.live++;
    return p;
}

void *__wrap_calloc(size_t count, size_t size)
{
    void *p = should_fail() ? NULL : __real_calloc(count, size);

    if (p && inj.armed)
        inj.live++;
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    void *q;

    if (should_fail())
        return NULL;
    q = __real_realloc(p, n);
    if (q && !p && inj.armed)
        inj.live++;
    return q;
}

void __wrap_free(void *p)
{
    if (p && inj.armed)
        inj.live--;
    __real_free(p);
}

/* A scenario: answers its output as a malloc'ed string (compared with
 * the reference run), or NULL after reporting an error. */
typedef char *(*scenario)(const char *arg);

/* Runs s with no failure, then with each allocation failing in turn. */
static void inject_each(scenario s, const char *arg)
{
    char *want, *got;
    long total;

    memset(&inj, 0, sizeof inj);
    inj.armed = 1;
    want = s(arg);
    total = inj.calls;
    inj.armed = 0;
    if (want == NULL)
        fail_msg("%s: the reference run failed", arg);
    assert_true(total > 0);
    for (long k = 1; k <= total; k++) {
        memset(&inj, 0, sizeof inj);
        inj.fail_at = k;
        inj.armed = 1;
        got = s(arg);
        inj.armed = 0;
        if (got != NULL && strcmp(got, want) != 0)
            fail_msg("%s: allocation %ld of %ld failed and the output "
                     "changed silently:\n%s", arg, k, total, got);
        free(got);
        /* The answer itself was counted live; it is freed above, after
         * disarming, so it is taken off here. */
        if (inj.live != (got != NULL))
            fail_msg("%s: allocation %ld of %ld failed and %ld "
                     "allocations leaked", arg, k, total,
                     inj.live - (got != NULL));
        assert_true(inj.failed);
    }
    free(want);
}

static const uint8_t key[SC_KEY_BYTES] = {1, 2, 3, 4, 5, 6, 7, 8};

static char *dump_and_free(json_t *v)
{
    char *s = v ? sc_wire_dump(v, NULL) : NULL;

    json_decref(v);
    return s;
}

/* The family's oracle answers on a few points, as JSON. */
static json_t *oracles(const sc_dist *d)
{
    enum { N = 4 };
    size_t dim = sc_dist_dim(d);
    double *x = malloc(N * dim * sizeof *x);
    double *sc = malloc(N * dim * sizeof *sc);
    double lp[N];
    json_t *o = NULL;
    int lrc;

    if (!x || !sc || sc_dist_sample(d, 3, N, 0.25, x) != SC_OK ||
        sc_dist_score(d, N, x, 0.25, sc) != SC_OK)
        goto done;
    lrc = sc_dist_logpdf(d, N, x, 0.25, lp);
    if (lrc != SC_OK && lrc != SC_ENOTSUP)
        goto done;
    o = json_pack("{s:o, s:o, s:o}", "x", sc_wire_encode_matrix(x, N, dim),
                  "score", sc_wire_encode_matrix(sc, N, dim), "logpdf",
                  lrc == SC_OK ? sc_wire_encode_vector(lp, N)
                               : json_null());
done:
    free(x);
    free(sc);
    return o;
}

/* Request body -> parameters -> distribution -> oracle answers and the
 * parameters echoed back, the path of POST /v1/instances and its
 * oracle calls. */
static char *family_round_trip(const char *body)
{
    static const char *const skip[] = {"family", NULL};
    sc_problem pb;
    sc_params p;
    sc_error err;
    sc_dist *d = NULL;
    json_t *req = NULL, *out = NULL;
    const sc_family *fam;
    char *s = NULL;

    memset(&p, 0, sizeof p);
    if (sc_json_parse_object(body, strlen(body), &req, &pb) != 0)
        return NULL;
    fam = sc_family_find(json_string_value(json_object_get(req,
                                                           "family")));
    if (fam && sc_wire_decode_params(fam, req, skip, &p, &pb) == 0 &&
        sc_dist_new(fam, &p, key, &d, &err) == SC_OK)
        out = json_pack("{s:o?, s:o?}", "params",
                        sc_wire_encode_params(fam, &p), "oracles",
                        oracles(d));
    if (out && (json_is_null(json_object_get(out, "params")) ||
                json_is_null(json_object_get(out, "oracles"))))
        json_decref(out), out = NULL;
    s = dump_and_free(out);
    sc_dist_free(d);
    sc_params_clear(&p);
    json_decref(req);
    return s;
}

/* A points batch as NPY and back, then as JSON and back. */
static char *npy_and_matrix(const char *unused)
{
    const double m[6] = {0.5, -1.25, 3.0, 1e-300, -0.0, 42.0};
    uint8_t *npy = NULL;
    size_t len, rows, cols, jrows, jcols;
    double *back = NULL, *jback = NULL;
    int ndim;
    sc_problem pb;
    json_t *arr = NULL;
    char *s = NULL;

    (void)unused;
    if (sc_npy_encode(m, 3, 2, 2, &npy, &len) != 0)
        return NULL;
    if (sc_npy_decode(npy, len, &back, &rows, &cols, &ndim, &pb) == 0 &&
        (arr = sc_wire_encode_matrix(back, rows, cols)) != NULL &&
        sc_wire_decode_matrix(arr, "points", 2, 16, &jback, &jrows, &jcols,
                              &pb) == 0)
        s = sc_wire_dump(arr, NULL);
    json_decref(arr);
    free(jback);
    free(back);
    free(npy);
    return s;
}

/* A problem-details body with a field error. */
static char *problem_body(const char *unused)
{
    sc_problem pb;

    (void)unused;
    memset(&pb, 0, sizeof pb);
    sc_problem_field(&pb, 422, "dim", "must be between %d and %d", 1,
                     4096);
    return dump_and_free(sc_problem_json(&pb));
}

static void gaussian(void **state)
{
    (void)state;
    inject_each(family_round_trip, "{\"family\": \"gaussian\", \"dim\": 3}");
}

static void pancakes(void **state)
{
    (void)state;
    inject_each(family_round_trip,
                "{\"family\": \"pancakes\", \"dim\": 4, \"gamma\": 4.0,"
                " \"sigma\": 0.05}");
}

static void gmm(void **state)
{
    (void)state;
    inject_each(family_round_trip,
                "{\"family\": \"gmm\", \"dim\": 3, \"components\": 3,"
                " \"weights\": [0.25, 0.25, 0.5]}");
}

static void owf(void **state)
{
    (void)state;
    inject_each(family_round_trip,
                "{\"family\": \"owf\", \"seed_bits\": 8,"
                " \"image_bits\": 8}");
}

static void npy(void **state)
{
    (void)state;
    inject_each(npy_and_matrix, "npy");
}

static void problem(void **state)
{
    (void)state;
    inject_each(problem_body, "problem");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gaussian), cmocka_unit_test(pancakes),
        cmocka_unit_test(gmm),      cmocka_unit_test(owf),
        cmocka_unit_test(npy),      cmocka_unit_test(problem),
    };

    json_set_alloc_funcs(__wrap_malloc, __wrap_free);
    return cmocka_run_group_tests_name("oom", tests, NULL, NULL);
}

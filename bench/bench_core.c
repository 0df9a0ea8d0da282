/*
 * `make bench`: core throughput, single thread.  Prints one figure per
 * line as "name value unit" (bench/core.sh reads them by name):
 *   normals         standard normals per second from one stream
 *   gmm_score       gmm score points per second, n = 4096, d = 256, K = 64
 *   gmm_logpdf      gmm logpdf points per second, same batch
 *   gmm_bound_score the two dgemm calls of a score batch alone
 *   gmm_bound_logpdf the one dgemm call of a logpdf batch alone
 *   gmm_score_blur  gmm score at t = 3, where responsibilities are dense
 *                   (the sparse shortcut of sc_gmm.c cannot apply)
 * Each is the best of several runs, timed in thread CPU time so that
 * other load on the machine disturbs the figures less.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cblas.h>

#include "core/sc_gmm.h"
#include "core/sc_rng.h"

#define RUNS 15
#define N 4096
#define D 256
#define K 64
#define T 0.5
#define T_BLUR 3.0

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void *xmalloc(size_t bytes)
{
    void *p = malloc(bytes);
    if (p == NULL) {
        fprintf(stderr, "bench_core: out of memory\n");
        exit(1);
    }
    return p;
}

static void report(const char *name, double per_run, double seconds,
                   const char *unit)
{
    printf("%-17s %.4g %s\n", name, per_run / seconds, unit);
}

static void bench_normals(void)
{
    static const uint8_t key[SC_KEY_BYTES] = {42};
    size_t n = 1u << 20;
    double *out = xmalloc(n * sizeof *out), best = 1e30;
    sc_stream s;
    sc_stream_init(&s, key, SC_STREAM_POINT, 0);
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        for (int i = 0; i < 8; i++)
            sc_stream_normals(&s, n, out);
        double dt = (now() - t0) / 8;
        best = dt < best ? dt : best;
    }
    sc_stream_wipe(&s);
    report("normals", (double)n, best, "normals/s");
    free(out);
}

typedef int (*gmm_fn)(const sc_gmm *, size_t, const double *, double,
                      double *);

static double best_time(gmm_fn f, const sc_gmm *g, const double *x,
                        double t, double *out)
{
    double best = 1e30;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        if (f(g, N, x, t, out) != 0)
            exit(1);
        double dt = now() - t0;
        best = dt < best ? dt : best;
    }
    return best;
}

/* The dgemm calls of one batch alone: X M^T (n x K), then R M (n x d). */
static double dgemm_time(const sc_gmm *g, const double *x, double *a,
                         double *out, int calls)
{
    double best = 1e30;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, K, D, 1.0,
                    x, D, g->means, D, 0.0, a, K);
        if (calls == 2)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, D, K,
                        1.0, a, K, g->means, D, -1.0, out, D);
        double dt = now() - t0;
        best = dt < best ? dt : best;
    }
    return best;
}

static void bench_gmm(void)
{
    static const uint8_t key[SC_KEY_BYTES] = {7};
    double *means = xmalloc((size_t)K * D * sizeof *means);
    double *x = xmalloc((size_t)N * D * sizeof *x);
    double *out = xmalloc((size_t)N * D * sizeof *out);
    double *a = xmalloc((size_t)N * K * sizeof *a);
    sc_stream s;
    sc_gmm g;

    sc_stream_init(&s, key, SC_STREAM_SECRET, 0);
    sc_stream_normals(&s, (size_t)K * D, means);
    sc_stream_wipe(&s);
    for (size_t i = 0; i < (size_t)K * D; i++)
        means[i] *= 3.0;
    if (sc_gmm_init(&g, D, K, 1.0, means, NULL) != 0)
        exit(1);
    sc_gmm_sample(&g, key, 0, N, T, x);

    report("gmm_score", N, best_time(sc_gmm_score, &g, x, T, out),
           "points/s");
    report("gmm_logpdf", N, best_time(sc_gmm_logpdf, &g, x, T, out),
           "points/s");
    report("gmm_bound_score", N, dgemm_time(&g, x, a, out, 2), "points/s");
    report("gmm_bound_logpdf", N, dgemm_time(&g, x, a, out, 1),
           "points/s");
    sc_gmm_sample(&g, key, 0, N, T_BLUR, x);
    report("gmm_score_blur", N, best_time(sc_gmm_score, &g, x, T_BLUR, out),
           "points/s");
    sc_gmm_free(&g);
    free(means);
    free(x);
    free(out);
    free(a);
}

int main(void)
{
    bench_normals();
    bench_gmm();
    return 0;
}

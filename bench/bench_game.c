/*
 * `make bench`: the games' core costs, single thread.  One figure per
 * line as "name value unit", each the best of several runs:
 *   pvalue_1e4        exact binomial p-values per second at 10^4 rounds
 *   score_round       score rounds scored per second (64 eval points,
 *                     pancakes d = 64: eval points drawn, truth, error)
 *   pancakes_score    pancakes score points per second, n = 4096, d = 64
 *   twin_score        the same through a twin (planted and N(0, I) both)
 *   twin_overhead     twin_score time over pancakes_score time
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/sc_core.h"
#include "core/sc_game.h"
#include "core/sc_stats.h"
#include "core/sc_twin.h"

#define RUNS 7
#define N 4096
#define D 64
#define EVAL 64

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void *xmalloc(size_t bytes)
{
    void *p = malloc(bytes);
    if (p == NULL) {
        fprintf(stderr, "bench_game: out of memory\n");
        exit(1);
    }
    return p;
}

static void check(int rc)
{
    if (rc != SC_OK) {
        fprintf(stderr, "bench_game: core call failed (%d)\n", rc);
        exit(1);
    }
}

static sc_dist *make(const sc_family *fam, const sc_params *p)
{
    static const uint8_t key[SC_KEY_BYTES] = {9, 9};
    sc_dist *d = NULL;
    check(sc_dist_new(fam, p, key, &d, NULL));
    return d;
}

static sc_dist *pancakes(void)
{
    sc_params p = {.dim = D, .gamma = 16.0, .sigma = 0.25};
    return make(&sc_family_pancakes, &p);
}

static void bench_pvalue(void)
{
    double best = 1e30, sink = 0;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        for (unsigned k = 4900; k < 5100; k++)
            sink += sc_binom_pvalue(k, 10000);
        double dt = (now() - t0) / 200;
        best = dt < best ? dt : best;
    }
    printf("%-15s %.4g p-values/s (checksum %.3f)\n", "pvalue_1e4",
           1 / best, sink / RUNS);
}

static void bench_score_round(void)
{
    sc_dist *d = pancakes();
    double *t = xmalloc(EVAL * sizeof *t);
    double *x = xmalloc((size_t)EVAL * D * sizeof *x);
    double *est = xmalloc((size_t)EVAL * D * sizeof *est);
    double best = 1e30;
    sc_round_outcome o;
    for (size_t i = 0; i < (size_t)EVAL * D; i++)
        est[i] = 0;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        check(sc_game_eval_points(d, EVAL, t, x));
        check(sc_game_score_round(d, EVAL, t, x, est, &o));
        double dt = now() - t0;
        best = dt < best ? dt : best;
    }
    printf("%-15s %.4g rounds/s\n", "score_round", 1 / best);
    free(t);
    free(x);
    free(est);
    sc_dist_free(d);
}

static double score_time(const sc_dist *d, const double *x, double *out)
{
    double best = 1e30;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        check(sc_dist_score(d, N, x, 0.1, out));
        double dt = now() - t0;
        best = dt < best ? dt : best;
    }
    return best;
}

static void bench_twin(void)
{
    sc_params g = {.dim = D};
    sc_dist *plain = pancakes(), *twin;
    check(sc_twin_new(pancakes(), make(&sc_family_gaussian, &g), true,
                      &twin));
    double *x = xmalloc((size_t)N * D * sizeof *x);
    double *out = xmalloc((size_t)N * D * sizeof *out);
    check(sc_dist_sample(plain, 0, N, 0.1, x));
    double tp = score_time(plain, x, out), tt = score_time(twin, x, out);
    printf("%-15s %.4g points/s\n", "pancakes_score", N / tp);
    printf("%-15s %.4g points/s\n", "twin_score", N / tt);
    printf("%-15s %.3g x\n", "twin_overhead", tt / tp);
    free(x);
    free(out);
    sc_dist_free(plain);
    sc_dist_free(twin);
}

int main(void)
{
    bench_pvalue();
    bench_score_round();
    bench_twin();
    return 0;
}

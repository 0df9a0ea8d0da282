/*
 * Pancakes throughput at n = 4096, d = 256, single thread: score and
 * logpdf in points per second, next to the bound memory sets for the
 * score (a memcpy of the n x d batch).  Best of several runs each.
 * Prints figures; bench/pancakes.sh compares them with numpy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/sc_core.h"
#include "core/sc_rng.h"

#define N 4096
#define DIM 256
#define REPS 15

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct setting {
    const char *label;
    double gamma, sigma, t;
} setting;

static const setting settings[] = {
    {"direct", 6.0, 0.05, 0.0},  /* beta = 0.3: direct sums */
    {"dual", 32.0, 0.1, 0.5},    /* beta = 25: Poisson-dual series */
};

static double best_copy(double *dst, const double *src)
{
    double best = 1e30;
    for (int r = 0; r < REPS; r++) {
        double t0 = now();
        memcpy(dst, src, sizeof(double) * N * DIM);
        double dt = now() - t0;
        best = dt < best ? dt : best;
    }
    return best;
}

static double best_call(const sc_dist *d, const double *x, double t,
                        double *out, int score)
{
    double best = 1e30;
    for (int r = 0; r < REPS; r++) {
        double t0 = now();
        if (score)
            sc_dist_score(d, N, x, t, out);
        else
            sc_dist_logpdf(d, N, x, t, out);
        double dt = now() - t0;
        best = dt < best ? dt : best;
    }
    return best;
}

static int run(const setting *s, double *x, double *out, double copy)
{
    sc_params p = {.dim = DIM, .gamma = s->gamma, .sigma = s->sigma};
    uint8_t key[SC_KEY_BYTES] = {7};
    sc_dist *d;
    if (sc_dist_new(&sc_family_pancakes, &p, key, &d, NULL) != SC_OK)
        return 1;
    sc_dist_sample(d, 0, N, s->t, x);
    double ts = best_call(d, x, s->t, out, 1);
    double tl = best_call(d, x, s->t, out, 0);
    printf("pancakes %s (gamma %g, sigma %g, t %g): score %.3g ms "
           "(%.3g points/s, %.2fx copy), logpdf %.3g ms (%.3g points/s)\n",
           s->label, s->gamma, s->sigma, s->t, 1e3 * ts, N / ts, ts / copy,
           1e3 * tl, N / tl);
    printf("BENCH pancakes_score_%s_ms %.6g\n", s->label, 1e3 * ts);
    printf("BENCH pancakes_logpdf_%s_ms %.6g\n", s->label, 1e3 * tl);
    sc_dist_free(d);
    return 0;
}

int main(void)
{
    double *x = malloc(sizeof(double) * N * DIM);
    double *out = malloc(sizeof(double) * N * DIM);
    int rc = 0;
    if (x == NULL || out == NULL)
        return 1;
    sc_random(x, sizeof(double) * N * DIM); /* touch every page */
    memset(out, 0, sizeof(double) * N * DIM);
    double copy = best_copy(out, x);
    printf("copy bound (memcpy of %d x %d doubles): %.3g ms\n", N, DIM,
           1e3 * copy);
    printf("BENCH copy_ms %.6g\n", 1e3 * copy);
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
        rc |= run(&settings[i], x, out, copy);
    free(x);
    free(out);
    return rc;
}

/*
 * In-process core time of the batch bench/http.sh sends over HTTP: the
 * score of 4096 points in dimension 256 for a pancakes instance
 * (gamma 8, sigma 0.05) at t = 0.01.  Prints the median of 7 runs.
 */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/sc_core.h"
#include "core/sc_rng.h"

#define N 4096
#define D 256
#define RUNS 21

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    openblas_set_num_threads(1);
    const sc_family *fam = sc_family_find("pancakes");
    if (fam == NULL) {
        puts("core 4096x256 pancakes score: family not built");
        return 0;
    }
    sc_params p = {.dim = D, .gamma = 8.0, .sigma = 0.05};
    uint8_t key[SC_KEY_BYTES];
    memset(key, 7, sizeof key);
    sc_dist *d;
    sc_error err;
    if (sc_dist_new(fam, &p, key, &d, &err) != SC_OK) {
        printf("core: %s: %s\n", err.field, err.message);
        return 1;
    }
    double *x = malloc(sizeof(double) * N * D);
    double *out = malloc(sizeof(double) * N * D);
    sc_stream s;
    sc_stream_init(&s, key, SC_STREAM_EXTRA, 1);
    sc_stream_normals(&s, (size_t)N * D, x);
    double t[RUNS];
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_ms();
        sc_dist_score(d, N, x, 0.01, out);
        t[i] = now_ms() - t0;
    }
    qsort(t, RUNS, sizeof t[0], cmp);
    printf("core 4096x256 pancakes score: %.2f ms (median of %d)\n",
           t[RUNS / 2], RUNS);
    free(x);
    free(out);
    sc_dist_free(d);
    return 0;
}

/* owf family figures: instance set-up, sampling, the fast score on each
 * side of the switch, the exact 2^n-term sums, and measurements.  Prints
 * points per second of thread CPU time (steady on a loaded machine),
 * single thread; never fails on a number. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/sc_core.h"
#include "core/sc_owf.h"

static const uint8_t bench_key[SC_KEY_BYTES] = {42};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static sc_dist *make(unsigned n, unsigned m, double *setup_ms)
{
    sc_params p;
    sc_dist *d = NULL;
    sc_error e;
    memset(&p, 0, sizeof p);
    p.seed_bits = n;
    p.image_bits = m;
    double t0 = now();
    if (sc_dist_new(&sc_family_owf, &p, bench_key, &d, &e) != SC_OK) {
        fprintf(stderr, "owf n=%u m=%u refused: %s\n", n, m, e.message);
        exit(1);
    }
    *setup_ms = 1e3 * (now() - t0);
    return d;
}

typedef int (*batch_fn)(const sc_dist *, size_t, const double *, double,
                        double *);

/* Best points per second of fn over repeated passes through npts
 * samples of P_t, for at least a quarter second. */
static double rate(const sc_dist *d, batch_fn fn, size_t npts, double t)
{
    size_t dim = sc_dist_dim(d);
    double *x = malloc(npts * dim * sizeof(double));
    double *out = malloc(npts * dim * sizeof(double));
    double best = 0, start;
    if (x == NULL || out == NULL)
        exit(1);
    sc_dist_sample(d, 0, npts, t, x);
    start = now();
    do {
        double t0 = now();
        fn(d, npts, x, t, out);
        double r = (double)npts / (now() - t0);
        best = r > best ? r : best;
    } while (now() - start < 0.25);
    free(x);
    free(out);
    return best;
}

static int sample_fn(const sc_dist *d, size_t npts, const double *x,
                     double t, double *out)
{
    (void)x;
    return sc_dist_sample(d, 0, npts, t, out);
}

static double measure_rate(const sc_dist *d, size_t rounds)
{
    size_t dim = sc_dist_dim(d);
    double *x = malloc(dim * sizeof(double));
    double *y = malloc(d->params.image_bits * sizeof(double));
    if (x == NULL || y == NULL)
        exit(1);
    double t0 = now();
    for (uint64_t id = 0; id < rounds; id++)
        sc_owf_measure(d, bench_key, id, x, y, NULL);
    double r = (double)rounds / (now() - t0);
    free(x);
    free(y);
    return r;
}

int main(void)
{
    const unsigned shapes[][2] = {{64, 512}, {16, 64}, {10, 24}};
    for (size_t s = 0; s < 3; s++) {
        unsigned n = shapes[s][0], m = shapes[s][1];
        double ms;
        sc_dist *d = make(n, m, &ms);
        double ts = sc_owf_switch_time(d);
        printf("owf n=%u m=%u: set-up %.2f ms, switch t=%.5f\n", n, m, ms,
               ts);
        printf("  sample t=0        %10.0f points/s\n",
               rate(d, sample_fn, 4096, 0));
        printf("  fast score t<sw   %10.0f points/s\n",
               rate(d, sc_dist_score, 4096, 0.5 * ts));
        printf("  fast score t>=sw  %10.0f points/s\n",
               rate(d, sc_dist_score, 4096, 2 * ts));
        if (n <= SC_OWF_EXACT_MAX_SEED_BITS) {
            size_t np = n > 12 ? 16 : 1024;
            printf("  exact logpdf      %10.0f points/s\n",
                   rate(d, sc_dist_logpdf, np, ts));
            printf("  exact score       %10.0f points/s\n",
                   rate(d, sc_owf_score_exact, np, ts));
        }
        printf("  measurement       %10.0f rounds/s\n", measure_rate(d, 256));
        sc_dist_free(d);
    }
    return 0;
}

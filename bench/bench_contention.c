/*
 * The shared state every request touches, without HTTP around it: a
 * cache hit and its release, a bearer-token lookup, the /metrics count
 * and an unlimited meter's use, in a loop on 1 to 16 threads for a fixed
 * time.  Beside it, in the same run, the same work with one global mutex
 * around it: what a serialised hot path looks like on this machine.
 * Efficiency: ops/s over (ops/s at 1 thread x min(N, cores)).  On a
 * machine with fewer cores than threads the loop is oversubscribed: a
 * lock held by a descheduled thread then stalls every other.  Waits
 * per 1000 ops (voluntary context switches: a thread that sleeps on a
 * lock or a futex) show contention where other load on the machine
 * blurs ops/s.
 * Prints figures; never fails on a number.
 */
/* RUSAGE_THREAD */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "server/auth.h"
#include "server/cache.h"
#include "server/handlers.h"
#include "server/instances.h"
#include "server/keys.h"
#include "server/metrics.h"
#include "server/store.h"
#include "server/usage.h"

#define SECONDS 0.5
#define MAX_THREADS 16

typedef struct bench {
    sc_server srv;
    sc_config cfg;
    sc_instance_row row;
    char auth[128];
    bool serialised; /* the anchor: one global mutex around the work */
    pthread_mutex_t global;
    volatile bool stop;
} bench;

typedef struct worker {
    bench *b;
    long done, waits;
    int failures;
} worker;

static long voluntary_switches(void)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return ru.ru_nvcsw;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* What the hot path of a one-point query does to shared state. */
static int one_request(bench *b)
{
    static const uint64_t points[SC_METERS] = {0, 1, 0};
    sc_problem pb = {0};
    sc_player p;
    if (sc_auth_player(&b->srv, b->auth, &p) != 0)
        return -1;
    const sc_served *s = sc_instance_served(&b->srv, &b->row, &pb);
    if (s == NULL)
        return -1;
    sc_instance_count_unlimited(&b->srv, s->row->id, SC_METER_SCORE, 1);
    sc_instance_served_release(&b->srv, s);
    sc_metrics_request(b->srv.metrics, "/v1/instances/{id}/score", "POST",
                       200, 0.05, points, -1);
    return 0;
}

static void *loop(void *arg)
{
    worker *w = arg;
    bench *b = w->b;
    long before = voluntary_switches();
    while (!b->stop) {
        if (b->serialised)
            pthread_mutex_lock(&b->global);
        w->failures += one_request(b) != 0;
        if (b->serialised)
            pthread_mutex_unlock(&b->global);
        w->done++;
    }
    w->waits = voluntary_switches() - before;
    return NULL;
}

typedef struct result {
    double ops; /* per second */
    double waits; /* per 1000 ops */
} result;

static result measure(bench *b, int threads)
{
    pthread_t th[MAX_THREADS];
    worker w[MAX_THREADS];
    long total = 0, waits = 0;
    int failures = 0;
    b->stop = false;
    double t0 = now();
    for (int i = 0; i < threads; i++) {
        w[i] = (worker){b, 0, 0, 0};
        pthread_create(&th[i], NULL, loop, &w[i]);
    }
    usleep((useconds_t)(SECONDS * 1e6));
    b->stop = true;
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        total += w[i].done;
        waits += w[i].waits;
        failures += w[i].failures;
    }
    if (failures != 0)
        fprintf(stderr, "bench_contention: %d failures\n", failures);
    double secs = now() - t0;
    return (result){(double)total / secs,
                    1000.0 * (double)waits / (double)(total ? total : 1)};
}

static int setup(bench *b, const char *dir)
{
    char err[256], token[64];
    uint8_t hash[32], raw[24];
    sc_player p;
    b->srv.cfg = &b->cfg;
    if (sc_keys_load(dir, &b->srv.keys, err, sizeof err) != 0 ||
        sc_store_open(dir, &b->srv.store, err, sizeof err) != SC_STORE_OK)
        return -1;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, sizeof token, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sc_keys_token_hash(b->srv.keys, token, hash);
    if (sc_store_player_create(b->srv.store, "bench", SC_ROLE_PLAYER, hash,
                               &p) != SC_STORE_OK)
        return -1;
    snprintf(b->auth, sizeof b->auth, "Bearer %s", token);
    b->srv.cache = sc_cache_new(16);
    b->srv.metrics = sc_metrics_new();
    if (b->srv.cache == NULL || b->srv.metrics == NULL ||
        sc_auth_start(&b->srv) != 0 || sc_usage_start(&b->srv) != 0)
        return -1;
    b->row.seq = 1;
    snprintf(b->row.id, sizeof b->row.id, "in_bench");
    snprintf(b->row.owner, sizeof b->row.owner, "%s", p.id);
    snprintf(b->row.family, sizeof b->row.family, "gaussian");
    b->row.params = "{\"dim\": 32}";
    b->row.oracle = "{\"t_min\": 0.0, \"noise\": 0.0}";
    b->row.round = -1;
    pthread_mutex_init(&b->global, NULL);
    return 0;
}

/* The store's and the keys' files, then the folder. */
static void remove_state(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf -- '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_contention: %s is left behind\n", dir);
}

int main(void)
{
    static bench b;
    const char *base = getenv("TMPDIR");
    char dir[512];
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    snprintf(dir, sizeof dir, "%s/scoracle-contention-XXXXXX",
             base && *base ? base : "/tmp");
    if (sodium_init() < 0 || mkdtemp(dir) == NULL || setup(&b, dir) != 0) {
        fprintf(stderr, "bench_contention: cannot set up in %s\n", dir);
        return 1;
    }
    printf("shared state of a one-point query (token, cache, usage, "
           "metrics), %.1fs runs, %ld cores\n", SECONDS, cores);
    printf("  %7s  %10s %5s %10s  %14s %5s %10s\n", "threads", "ops/s",
           "eff", "waits/kop", "global mutex", "eff", "waits/kop");
    result one = {0}, one_g = {0};
    for (int n = 1; n <= MAX_THREADS; n *= 2) {
        b.serialised = false;
        result r = measure(&b, n);
        b.serialised = true;
        result g = measure(&b, n);
        if (n == 1) {
            one = r;
            one_g = g;
        }
        double lin = n < cores ? n : (double)cores;
        printf("  %7d  %10.0f %4.0f%% %10.3f  %14.0f %4.0f%% %10.3f\n", n,
               r.ops, 100 * r.ops / (one.ops * lin), r.waits, g.ops,
               100 * g.ops / (one_g.ops * lin), g.waits);
    }
    sc_usage_stop(&b.srv);
    sc_auth_stop(&b.srv);
    sc_metrics_free(b.srv.metrics);
    sc_cache_free(b.srv.cache);
    sc_store_close(b.srv.store);
    sc_keys_free(b.srv.keys);
    remove_state(dir);
    return 0;
}

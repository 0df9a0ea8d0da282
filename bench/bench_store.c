/*
 * Store throughput: durable budget spends (each one a synced commit) and
 * the reads behind every request (token lookup, instance row), from 1 and
 * 8 threads, in a temporary state folder on the disk of $TMPDIR.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/sc_rng.h"
#include "server/keys.h"
#include "server/store.h"

#define SECONDS 1.0

typedef enum { OP_SPEND, OP_TOKEN, OP_GET } op_kind;

typedef struct job {
    sc_store *st;
    op_kind op;
    const char *id;
    const uint8_t *hash;
    long done;
    int failures;
} job;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int run_op(job *j)
{
    uint64_t before;
    sc_player p;
    sc_instance_row r;
    int rc;

    switch (j->op) {
    case OP_SPEND:
        return sc_store_spend(j->st, j->id, SC_METER_SCORE, 1, &before);
    case OP_TOKEN:
        return sc_store_player_by_token(j->st, j->hash, &p);
    case OP_GET:
        rc = sc_store_instance_get(j->st, j->id, &r);
        if (rc == SC_STORE_OK)
            sc_store_instance_row_free(&r);
        return rc;
    }
    return SC_STORE_IO;
}

static void *worker(void *arg)
{
    job *j = arg;
    double end = now() + SECONDS;

    while (now() < end) {
        if (run_op(j) != SC_STORE_OK)
            j->failures++;
        j->done++;
    }
    return NULL;
}

/* As many threads as the server's spend pool (server/request.h): the
 * most spends one sync can carry from the HTTP path. */
#define MAX_THREADS 64

static void measure(const char *what, job proto, int threads)
{
    pthread_t th[MAX_THREADS];
    job jobs[MAX_THREADS];
    long total = 0;
    int failures = 0;
    double t0 = now(), dt;

    for (int i = 0; i < threads; i++) {
        jobs[i] = proto;
        pthread_create(&th[i], NULL, worker, &jobs[i]);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        total += jobs[i].done;
        failures += jobs[i].failures;
    }
    dt = now() - t0;
    printf("%-28s %d thread%s %10.0f ops/s%s\n", what, threads,
           threads == 1 ? " " : "s", (double)total / dt,
           failures ? " (FAILURES)" : "");
}

static int setup(sc_store *st, sc_instance_row *row, uint8_t hash[32])
{
    sc_player p;

    sc_random(hash, 32);
    if (sc_store_player_create(st, "bench", SC_ROLE_PLAYER, hash, &p) !=
            SC_STORE_OK ||
        sc_store_next_seq(st, &row->seq) != SC_STORE_OK)
        return -1;
    sc_keys_new_id(row->id, "in_");
    snprintf(row->owner, sizeof row->owner, "%s", p.id);
    snprintf(row->family, sizeof row->family, "pancakes");
    row->params = "{\"dim\": 32, \"gamma\": 2.0, \"sigma\": 0.05}";
    row->oracle = "{\"t_min\": 0.0, \"noise\": 0.0}";
    for (int m = 0; m < SC_METERS; m++)
        row->budget[m] = SC_UNLIMITED;
    memset(row->commitment, '0', 64);
    row->round = -1;
    return sc_store_instance_insert(st, row);
}

static void remove_state(const char *dir)
{
    static const char *const files[] = {"scoracle.db", "scoracle.db-wal",
                                        "scoracle.db-shm"};
    char path[600];

    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    char dir[512], err[256];
    sc_store *st = NULL;
    sc_instance_row row = {0};
    uint8_t hash[32];

    snprintf(dir, sizeof dir, "%s/scoracle-bench-XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(dir) || sc_store_open(dir, &st, err, sizeof err) != 0 ||
        setup(st, &row, hash) != 0) {
        fprintf(stderr, "bench_store: cannot set up in %s\n", dir);
        return 1;
    }
    printf("store in %s (synchronous=FULL, WAL)\n", dir);
    for (int threads = 1; threads <= 8; threads *= 8) {
        measure("durable spend", (job){st, OP_SPEND, row.id, hash, 0, 0},
                threads);
        measure("player by token", (job){st, OP_TOKEN, row.id, hash, 0, 0},
                threads);
        measure("instance get", (job){st, OP_GET, row.id, hash, 0, 0},
                threads);
    }
    measure("durable spend", (job){st, OP_SPEND, row.id, hash, 0, 0},
            MAX_THREADS);
    sc_store_close(st);
    remove_state(dir);
    return 0;
}

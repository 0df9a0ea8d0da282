/* In-memory use of unlimited meters; see usage.h. */
#include "usage.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "instances.h"

#define NBUCKETS 1024u
#define FLUSH_SECONDS 1

typedef struct pending {
    char id[SC_ID_LEN];
    uint64_t n[SC_METERS];
    struct pending *next;
} pending;

struct sc_usage {
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pending *buckets[NBUCKETS];
    pending *flushing; /* taken out, being written */
    bool stopping;
    pthread_t thread;
};

static size_t bucket_of(const char *id)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *id != '\0'; id++)
        h = (h ^ (unsigned char)*id) * 0x100000001b3ull;
    return (size_t)(h % NBUCKETS);
}

static void add_locked(sc_usage *u, const char *id, int meter, uint64_t n)
{
    size_t b = bucket_of(id);
    pending *p = u->buckets[b];
    while (p != NULL && strcmp(p->id, id) != 0)
        p = p->next;
    if (p == NULL && (p = calloc(1, sizeof *p)) != NULL) {
        snprintf(p->id, sizeof p->id, "%s", id);
        p->next = u->buckets[b];
        u->buckets[b] = p;
    }
    if (p != NULL)
        p->n[meter] += n;
}

void sc_instance_count_unlimited(sc_server *srv, const char *id, int meter,
                                 uint64_t n)
{
    sc_usage *u = srv->usage;
    pthread_mutex_lock(&u->mu);
    add_locked(u, id, meter, n);
    pthread_mutex_unlock(&u->mu);
}

void sc_usage_pending(sc_server *srv, const char *id,
                      uint64_t used[SC_METERS])
{
    sc_usage *u = srv->usage;
    pthread_mutex_lock(&u->mu);
    for (pending *p = u->buckets[bucket_of(id)]; p != NULL; p = p->next)
        if (strcmp(p->id, id) == 0)
            for (int m = 0; m < SC_METERS; m++)
                used[m] += p->n[m];
    for (pending *p = u->flushing; p != NULL; p = p->next)
        if (strcmp(p->id, id) == 0)
            for (int m = 0; m < SC_METERS; m++)
                used[m] += p->n[m];
    pthread_mutex_unlock(&u->mu);
}

/* Takes every pending count out of the buckets into u->flushing, writes
 * them to the store without the lock (a write may wait on fsync), then
 * drops them.  Readers add u->flushing too, so a count is always seen
 * in memory or in the store.  Counts the store refused go back. */
static void flush_all(sc_server *srv)
{
    sc_usage *u = srv->usage;
    pthread_mutex_lock(&u->mu);
    for (size_t b = 0; b < NBUCKETS; b++)
        while (u->buckets[b] != NULL) {
            pending *p = u->buckets[b];
            u->buckets[b] = p->next;
            p->next = u->flushing;
            u->flushing = p;
        }
    pending *list = u->flushing;
    pthread_mutex_unlock(&u->mu);
    /* Only this thread changes the entries of list; readers read them
     * under the lock, so zeroing takes it too. */
    for (pending *p = list; p != NULL; p = p->next)
        for (int m = 0; m < SC_METERS; m++) {
            uint64_t before;
            if (p->n[m] == 0 ||
                sc_store_spend(srv->store, p->id, m, p->n[m], &before) !=
                    SC_STORE_OK)
                continue;
            pthread_mutex_lock(&u->mu);
            p->n[m] = 0;
            pthread_mutex_unlock(&u->mu);
        }
    pthread_mutex_lock(&u->mu);
    u->flushing = NULL;
    while (list != NULL) {
        pending *p = list;
        list = p->next;
        for (int m = 0; m < SC_METERS; m++)
            if (p->n[m] != 0)
                add_locked(u, p->id, m, p->n[m]);
        free(p);
    }
    pthread_mutex_unlock(&u->mu);
}

static void *flusher(void *arg)
{
    sc_server *srv = arg;
    sc_usage *u = srv->usage;
    pthread_mutex_lock(&u->mu);
    while (!u->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += FLUSH_SECONDS;
        while (!u->stopping &&
               pthread_cond_timedwait(&u->wake, &u->mu, &until) != ETIMEDOUT)
            ;
        pthread_mutex_unlock(&u->mu);
        flush_all(srv);
        pthread_mutex_lock(&u->mu);
    }
    pthread_mutex_unlock(&u->mu);
    return NULL;
}

int sc_usage_start(sc_server *srv)
{
    sc_usage *u = calloc(1, sizeof *u);
    if (u == NULL)
        return -1;
    pthread_mutex_init(&u->mu, NULL);
    pthread_cond_init(&u->wake, NULL);
    srv->usage = u;
    if (pthread_create(&u->thread, NULL, flusher, srv) != 0) {
        pthread_cond_destroy(&u->wake);
        pthread_mutex_destroy(&u->mu);
        free(u);
        srv->usage = NULL;
        return -1;
    }
    return 0;
}

void sc_usage_stop(sc_server *srv)
{
    sc_usage *u = srv->usage;
    if (u == NULL)
        return;
    pthread_mutex_lock(&u->mu);
    u->stopping = true;
    pthread_cond_signal(&u->wake);
    pthread_mutex_unlock(&u->mu);
    pthread_join(u->thread, NULL);
    flush_all(srv);
    for (size_t b = 0; b < NBUCKETS; b++)
        while (u->buckets[b] != NULL) {
            pending *p = u->buckets[b];
            u->buckets[b] = p->next;
            free(p);
        }
    pthread_cond_destroy(&u->wake);
    pthread_mutex_destroy(&u->mu);
    free(u);
    srv->usage = NULL;
}

/* In-memory use of unlimited meters; see usage.h. */
#include "usage.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "instances.h"
#include "shard.h"

#define NBUCKETS 64u /* per shard */
#define MERGE_BUCKETS 1024u /* of the flusher's merge */
#define FLUSH_SECONDS 1

typedef struct pending {
    char id[SC_ID_LEN];
    uint64_t n[SC_METERS];
    struct pending *next;
} pending;

/* One thread's counts (shard.h): a thread counts under its own shard's
 * lock, which no other counting thread takes, so counting never waits
 * but for the flusher's brief pass once a second. */
typedef struct shard {
    _Alignas(SC_CACHE_LINE) pthread_mutex_t mu;
    pending *buckets[NBUCKETS];
} shard;

/* Lock order: the shards in index order, then flush_mu. */
struct sc_usage {
    pthread_mutex_t mu; /* guards stopping; wake's mutex */
    pthread_cond_t wake;
    bool stopping;
    pthread_t thread;
    pthread_mutex_t flush_mu; /* guards the counts of flushing */
    pending *flushing; /* taken out of the shards, being written */
    shard shards[SC_SHARDS];
};

static size_t hash_of(const char *id)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *id != '\0'; id++)
        h = (h ^ (unsigned char)*id) * 0x100000001b3ull;
    return (size_t)h;
}

static pending **find(pending **buckets, size_t nbuckets, const char *id)
{
    pending **p = &buckets[hash_of(id) % nbuckets];
    while (*p != NULL && strcmp((*p)->id, id) != 0)
        p = &(*p)->next;
    return p;
}

static void add_locked(shard *sh, const char *id, int meter, uint64_t n)
{
    pending **slot = find(sh->buckets, NBUCKETS, id), *p = *slot;
    if (p == NULL && (p = calloc(1, sizeof *p)) != NULL) {
        snprintf(p->id, sizeof p->id, "%s", id);
        *slot = p;
    }
    if (p != NULL)
        p->n[meter] += n;
}

void sc_instance_count_unlimited(sc_server *srv, const char *id, int meter,
                                 uint64_t n)
{
    shard *sh = &srv->usage->shards[sc_shard()];
    pthread_mutex_lock(&sh->mu);
    add_locked(sh, id, meter, n);
    pthread_mutex_unlock(&sh->mu);
}

static void lock_shards(sc_usage *u)
{
    for (unsigned i = 0; i < SC_SHARDS; i++)
        pthread_mutex_lock(&u->shards[i].mu);
}

static void unlock_shards(sc_usage *u)
{
    for (unsigned i = SC_SHARDS; i-- > 0;)
        pthread_mutex_unlock(&u->shards[i].mu);
}

static void add_counts(const pending *p, uint64_t used[SC_METERS])
{
    for (int m = 0; p != NULL && m < SC_METERS; m++)
        used[m] += p->n[m];
}

/* Every shard and the flushing list at one instant: a count is moved
 * from a shard to the list only with every lock held, so it is seen in
 * exactly one place (or, once written, in the store). */
void sc_usage_pending(sc_server *srv, const char *id,
                      uint64_t used[SC_METERS])
{
    sc_usage *u = srv->usage;
    lock_shards(u);
    for (unsigned i = 0; i < SC_SHARDS; i++)
        add_counts(*find(u->shards[i].buckets, NBUCKETS, id), used);
    pthread_mutex_lock(&u->flush_mu);
    for (const pending *p = u->flushing; p != NULL; p = p->next)
        if (strcmp(p->id, id) == 0)
            add_counts(p, used);
    pthread_mutex_unlock(&u->flush_mu);
    unlock_shards(u);
}

/* Moves every shard's counts into one list, an instance once however
 * many threads counted it, so that it costs one store write. */
static pending *take_all(sc_usage *u)
{
    pending *merged[MERGE_BUCKETS] = {0}, *list = NULL;
    for (unsigned i = 0; i < SC_SHARDS; i++)
        for (size_t b = 0; b < NBUCKETS; b++)
            while (u->shards[i].buckets[b] != NULL) {
                pending *p = u->shards[i].buckets[b];
                u->shards[i].buckets[b] = p->next;
                pending **slot = find(merged, MERGE_BUCKETS, p->id);
                if (*slot == NULL) {
                    p->next = NULL;
                    *slot = p;
                    continue;
                }
                for (int m = 0; m < SC_METERS; m++)
                    (*slot)->n[m] += p->n[m];
                free(p);
            }
    for (size_t b = 0; b < MERGE_BUCKETS; b++)
        while (merged[b] != NULL) {
            pending *p = merged[b];
            merged[b] = p->next;
            p->next = list;
            list = p;
        }
    return list;
}

/* Takes every pending count out of the shards into u->flushing, writes
 * them to the store without the shard locks (a write may wait on
 * fsync), then drops them.  Readers add u->flushing too, so a count is
 * always seen in memory or in the store.  Counts the store refused go
 * back, into shard 0. */
static void flush_all(sc_server *srv)
{
    sc_usage *u = srv->usage;
    lock_shards(u);
    pthread_mutex_lock(&u->flush_mu);
    pending *list = u->flushing = take_all(u);
    pthread_mutex_unlock(&u->flush_mu);
    unlock_shards(u);
    /* Only this thread changes the entries of list; readers read them
     * under flush_mu, so zeroing takes it too. */
    for (pending *p = list; p != NULL; p = p->next)
        for (int m = 0; m < SC_METERS; m++) {
            uint64_t before;
            if (p->n[m] == 0 ||
                sc_store_spend(srv->store, p->id, m, p->n[m], &before) !=
                    SC_STORE_OK)
                continue;
            pthread_mutex_lock(&u->flush_mu);
            p->n[m] = 0;
            pthread_mutex_unlock(&u->flush_mu);
        }
    shard *back = &u->shards[0];
    pthread_mutex_lock(&back->mu);
    pthread_mutex_lock(&u->flush_mu);
    u->flushing = NULL;
    while (list != NULL) {
        pending *p = list;
        list = p->next;
        for (int m = 0; m < SC_METERS; m++)
            if (p->n[m] != 0)
                add_locked(back, p->id, m, p->n[m]);
        free(p);
    }
    pthread_mutex_unlock(&u->flush_mu);
    pthread_mutex_unlock(&back->mu);
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

/* Frees what the store refused even at stop, with the structure. */
static void usage_free(sc_usage *u)
{
    for (unsigned i = 0; i < SC_SHARDS; i++) {
        shard *sh = &u->shards[i];
        for (size_t b = 0; b < NBUCKETS; b++)
            while (sh->buckets[b] != NULL) {
                pending *p = sh->buckets[b];
                sh->buckets[b] = p->next;
                free(p);
            }
        pthread_mutex_destroy(&sh->mu);
    }
    pthread_mutex_destroy(&u->flush_mu);
    pthread_cond_destroy(&u->wake);
    pthread_mutex_destroy(&u->mu);
    free(u);
}

int sc_usage_start(sc_server *srv)
{
    sc_usage *u = aligned_alloc(SC_CACHE_LINE, sizeof *u);
    if (u == NULL)
        return -1;
    memset(u, 0, sizeof *u);
    pthread_mutex_init(&u->mu, NULL);
    pthread_cond_init(&u->wake, NULL);
    pthread_mutex_init(&u->flush_mu, NULL);
    for (unsigned i = 0; i < SC_SHARDS; i++)
        pthread_mutex_init(&u->shards[i].mu, NULL);
    srv->usage = u;
    if (pthread_create(&u->thread, NULL, flusher, srv) != 0) {
        usage_free(u);
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
    usage_free(u);
    srv->usage = NULL;
}

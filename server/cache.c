/* The served-distribution cache; see cache.h and instances.h. */
#include "cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "../core/sc_twin.h"
#include "instances.h"
#include "keys.h"

/*
 * Read-mostly: a hit takes the map's lock shared, so requests on
 * different threads never wait for each other to find an entry; only a
 * miss that inserts (after building a distribution, milliseconds of
 * work) takes it exclusively.  Recency is a stamp per entry instead of
 * a list a hit would have to relink: a hit writes a new stamp only when
 * the entry is not already the most recently used, so the entries a
 * load keeps hitting are not written at all; eviction scans for the
 * oldest stamp.  refs counts the cache's own reference while the entry
 * is in the map, so whoever drops the last one frees it.
 */
typedef struct entry {
    sc_served s; /* first member: a handed-out sc_served is the entry */
    sc_dist *dist;
    sc_instance_row row; /* the fixed part; used and revealed unset */
    uint64_t hash;       /* of row.id */
    atomic_uint refs;
    atomic_uint_fast64_t stamp; /* c->clock at the last use */
    struct entry *prev, *next, *hnext; /* under the lock */
} entry;

struct sc_cache {
    pthread_rwlock_t lock; /* guards the map, the list and count */
    entry **buckets;
    size_t nbuckets, count, cap;
    entry *head; /* every entry in the map, in no order that matters */
    atomic_uint_fast64_t clock;
};

sc_cache *sc_cache_new(size_t capacity)
{
    sc_cache *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->cap = capacity;
    c->nbuckets = 2 * capacity + 1;
    c->buckets = calloc(c->nbuckets, sizeof *c->buckets);
    if (c->buckets == NULL) {
        free(c);
        return NULL;
    }
    pthread_rwlock_init(&c->lock, NULL);
    atomic_init(&c->clock, 1); /* above a new entry's stamp, 0 */
    return c;
}

static void entry_free(entry *e)
{
    sc_dist_free(e->dist);
    sc_store_instance_row_free(&e->row);
    sodium_memzero(e->s.noise_key, sizeof e->s.noise_key);
    free(e);
}

static void entry_unref(entry *e)
{
    if (atomic_fetch_sub(&e->refs, 1) == 1)
        entry_free(e);
}

void sc_cache_free(sc_cache *c)
{
    if (c == NULL)
        return;
    for (entry *e = c->head, *next; e != NULL; e = next) {
        next = e->next;
        entry_unref(e);
    }
    pthread_rwlock_destroy(&c->lock);
    free(c->buckets);
    free(c);
}

/* FNV-1a of the id: ids are random, any mixing does. */
static uint64_t id_hash(const char *id)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *id != '\0'; id++)
        h = (h ^ (unsigned char)*id) * 0x100000001b3ull;
    return h;
}

static size_t bucket(const sc_cache *c, uint64_t hash)
{
    return (size_t)(hash % c->nbuckets);
}

static entry *lookup(sc_cache *c, uint64_t hash, const char *id)
{
    for (entry *e = c->buckets[bucket(c, hash)]; e != NULL; e = e->hnext)
        if (e->hash == hash && strcmp(e->row.id, id) == 0)
            return e;
    return NULL;
}

/* Marks e the most recently used, writing only when it is not already:
 * stamps are unique, so the order of uses is exact. */
static void touch(sc_cache *c, entry *e)
{
    uint_fast64_t now = atomic_load_explicit(&c->clock,
                                             memory_order_relaxed);
    if (atomic_load_explicit(&e->stamp, memory_order_relaxed) != now)
        atomic_store_explicit(&e->stamp,
                              atomic_fetch_add(&c->clock, 1) + 1,
                              memory_order_relaxed);
}

/* Takes e out of the map and the list and drops the cache's reference;
 * the entry lives on while a request holds it.  Exclusive lock held. */
static void evict(sc_cache *c, entry *e)
{
    entry **p = &c->buckets[bucket(c, e->hash)];
    while (*p != e)
        p = &(*p)->hnext;
    *p = e->hnext;
    if (e->prev != NULL)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next != NULL)
        e->next->prev = e->prev;
    c->count--;
    entry_unref(e);
}

static entry *oldest(const sc_cache *c)
{
    entry *old = c->head;
    for (entry *e = c->head; e != NULL; e = e->next)
        if (atomic_load(&e->stamp) < atomic_load(&old->stamp))
            old = e;
    return old;
}

/* Exclusive lock held; e comes with the cache's reference. */
static void insert(sc_cache *c, entry *e)
{
    size_t b = bucket(c, e->hash);
    e->hnext = c->buckets[b];
    c->buckets[b] = e;
    e->prev = NULL;
    e->next = c->head;
    if (c->head != NULL)
        c->head->prev = e;
    c->head = e;
    c->count++;
    touch(c, e);
    while (c->count > c->cap && c->head != NULL)
        evict(c, oldest(c));
}

/* The fixed part of row, with its own copies of the JSON texts. */
static int copy_fixed(sc_instance_row *dst, const sc_instance_row *src)
{
    *dst = *src;
    memset(dst->used, 0, sizeof dst->used);
    dst->revealed = false;
    dst->params = strdup(src->params);
    dst->oracle = strdup(src->oracle);
    return dst->params != NULL && dst->oracle != NULL ? 0 : -1;
}

/* The distribution of a row.  A challenge round serves through a twin
 * (core/sc_twin.h): planted and null rounds then do the same work and
 * fail alike, so timing shows no coin. */
static int new_dist(sc_server *srv, const sc_instance_row *row,
                    const sc_family *fam, const sc_params *p,
                    const uint8_t key[SC_KEY_BYTES], sc_dist **out)
{
    sc_error err;
    if (row->challenge[0] == '\0')
        return sc_dist_new(fam, p, key, out, &err);
    sc_dist *planted = NULL, *null = NULL;
    sc_params np = {.dim = p->dim};
    int rc = sc_dist_new(fam, p, key, &planted, &err);
    if (rc == SC_OK)
        rc = sc_dist_new(&sc_family_gaussian, &np, key, &null, &err);
    if (rc != SC_OK) {
        sc_dist_free(planted);
        return rc;
    }
    return sc_twin_new(planted, null, sc_instance_serves_null(srv, row),
                       out);
}

/* Builds what row serves, outside the lock. */
static entry *build(sc_server *srv, const sc_instance_row *row,
                    sc_problem *pb)
{
    const sc_family *fam;
    sc_params p;
    sc_oracle_cfg oc;
    if (sc_instance_oracle(row, &oc, pb) != 0 ||
        sc_instance_row_params(row, &fam, &p, pb) != 0)
        return NULL;
    entry *e = calloc(1, sizeof *e);
    uint8_t key[SC_KEY_BYTES];
    sc_keys_instance_key(srv->keys, row->seq, key);
    int rc = e != NULL ? new_dist(srv, row, fam, &p, key, &e->dist)
                       : SC_ENOMEM;
    if (rc == SC_OK && copy_fixed(&e->row, row) != 0)
        rc = SC_ENOMEM;
    if (rc == SC_OK) {
        sc_keys_noise_key(key, e->s.noise_key);
        e->s.dist = e->dist;
        e->s.row = &e->row;
        e->s.oracle = oc;
        e->hash = id_hash(row->id);
    }
    sodium_memzero(key, sizeof key);
    sc_params_clear(&p);
    if (rc != SC_OK) {
        if (e != NULL) {
            sc_dist_free(e->dist);
            sc_store_instance_row_free(&e->row);
        }
        free(e);
        sc_problem_set(pb, 500, "internal", "the instance's distribution "
                       "could not be built");
        return NULL;
    }
    return e;
}

/* A counted reference to the cached entry of id, or NULL. */
static entry *hit(sc_cache *c, const char *id)
{
    uint64_t h = id_hash(id);
    pthread_rwlock_rdlock(&c->lock);
    entry *e = lookup(c, h, id);
    if (e != NULL) {
        atomic_fetch_add(&e->refs, 1);
        touch(c, e);
    }
    pthread_rwlock_unlock(&c->lock);
    return e;
}

/* Keeps fresh unless another thread cached the same instance first. */
static entry *keep(sc_cache *c, entry *fresh)
{
    pthread_rwlock_wrlock(&c->lock);
    entry *e = lookup(c, fresh->hash, fresh->row.id);
    if (e == NULL) {
        e = fresh;
        atomic_init(&e->refs, 2); /* the cache's and the caller's */
        insert(c, e);
        fresh = NULL;
    } else {
        atomic_fetch_add(&e->refs, 1);
    }
    pthread_rwlock_unlock(&c->lock);
    if (fresh != NULL)
        entry_free(fresh);
    return e;
}

const sc_served *sc_instance_served(sc_server *srv,
                                    const sc_instance_row *row,
                                    sc_problem *pb)
{
    entry *e = hit(srv->cache, row->id);
    if (e == NULL) {
        entry *fresh = build(srv, row, pb);
        if (fresh == NULL)
            return NULL;
        e = keep(srv->cache, fresh);
    }
    return &e->s;
}

static bool may_use(const sc_player *caller, const sc_instance_row *row)
{
    return caller == NULL || caller->role == SC_ROLE_ADMIN ||
           strcmp(caller->id, row->owner) == 0;
}

const sc_served *sc_instance_served_id(sc_server *srv, const char *id,
                                       const sc_player *caller,
                                       sc_problem *pb)
{
    entry *e = hit(srv->cache, id);
    if (e == NULL) {
        sc_instance_row row;
        if (sc_instance_load(srv, id, caller, &row, pb) != 0)
            return NULL;
        const sc_served *s = sc_instance_served(srv, &row, pb);
        sc_store_instance_row_free(&row);
        return s;
    }
    if (!may_use(caller, &e->row)) {
        sc_instance_served_release(srv, &e->s);
        sc_problem_set(pb, 403, "forbidden",
                       "this instance belongs to another player");
        return NULL;
    }
    return &e->s;
}

void sc_instance_served_release(sc_server *srv, const sc_served *s)
{
    (void)srv;
    if (s != NULL)
        entry_unref((entry *)(void *)s);
}

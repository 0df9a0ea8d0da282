/*
 * Budget spends on PostgreSQL, coalesced per instance and meter.
 *
 * Every spend on one instance's meter updates one row, whose lock each
 * UPDATE holds until its commit is flushed: spends on a hot instance
 * would run one WAL flush each, one after the other.  So, as SQLite's
 * group commit does, the spends that arrive on one meter while a spend
 * of it is in flight wait, and the next of them to lead spends their sum
 * in one conditional UPDATE, committed before any of them answers.
 * Granted, the sum is cut into consecutive ranges in arrival order (each
 * request's *before is the start of its own); refused (the sum does not
 * fit), each request is tried alone in order, so a request that would
 * fit on its own is never refused for its neighbours.  Exactness is the
 * statement's: the database never grants more than the budget, and what
 * it grants is exactly what the requests receive.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "server/store_pg.h"

/* A spend waiting for (or in) a batch; lives on its caller's stack. */
typedef struct spend_req {
    uint64_t n;
    uint64_t before;
    int rc;
    bool done;
    struct spend_req *next;
} spend_req;

/* A meter with spends in flight; freed when nobody waits on it. */
typedef struct hot {
    char id[SC_ID_LEN];
    int meter;
    bool leading;        /* a batch of it is running */
    unsigned users;      /* requests queued or running on it */
    spend_req *pending, **tail;
    struct hot *next;
} hot;

#define NBUCKETS 256u

struct sc_pg_spends {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    hot *buckets[NBUCKETS];
};

sc_pg_spends *sc_pg_spends_new(void)
{
    sc_pg_spends *s = calloc(1, sizeof *s);

    if (!s)
        return NULL;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    return s;
}

void sc_pg_spends_free(sc_pg_spends *s)
{
    if (!s)
        return;
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

static size_t bucket_of(const char *id, int meter)
{
    uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)meter;

    for (; *id; id++)
        h = (h ^ (unsigned char)*id) * 0x100000001b3ull;
    return (size_t)(h % NBUCKETS);
}

/* The entry of (id, meter), made when missing; under s->mu. */
static hot *hot_get(sc_pg_spends *s, const char *id, int meter)
{
    hot **b = &s->buckets[bucket_of(id, meter)];
    hot *h;

    for (h = *b; h; h = h->next)
        if (h->meter == meter && strcmp(h->id, id) == 0)
            return h;
    h = calloc(1, sizeof *h);
    if (!h)
        abort(); /* the project's rule: allocation failure aborts */
    snprintf(h->id, sizeof h->id, "%s", id);
    h->meter = meter;
    h->tail = &h->pending;
    h->next = *b;
    *b = h;
    return h;
}

/* Drops one user of h, freeing it with the last; under s->mu. */
static void hot_put(sc_pg_spends *s, hot *h)
{
    hot **p = &s->buckets[bucket_of(h->id, h->meter)];

    if (--h->users > 0)
        return;
    while (*p != h)
        p = &(*p)->next;
    *p = h->next;
    free(h);
}

/* Runs a batch: the sum at once, or each alone when the sum is refused
 * or cannot be added up. */
static void run_batch(sc_store *st, const char *id, int meter,
                      spend_req *batch)
{
    uint64_t sum = 0, before = 0;
    bool fits = batch->next != NULL;
    int rc;

    for (spend_req *r = batch; r; r = r->next) {
        fits = fits && r->n <= INT64_MAX - sum;
        sum += fits ? r->n : 0;
    }
    if (fits) {
        rc = sc_pg_spend_one(st, id, meter, sum, &before);
        if (rc == SC_STORE_OK || rc == SC_STORE_NOTFOUND ||
            rc == SC_STORE_IO) {
            for (spend_req *r = batch; r; r = r->next) {
                r->rc = rc;
                r->before = before;
                before += r->n;
            }
            return;
        }
    }
    for (spend_req *r = batch; r; r = r->next)
        r->rc = sc_pg_spend_one(st, id, meter, r->n, &r->before);
}

int sc_pg_spend(sc_store *st, const char *instance_id, int meter,
                uint64_t n, uint64_t *before)
{
    sc_pg_spends *s = sc_pg_spends_of(st);
    spend_req me = {n, 0, SC_STORE_IO, false, NULL};
    spend_req *batch, *next;
    hot *h;

    pthread_mutex_lock(&s->mu);
    h = hot_get(s, instance_id, meter);
    h->users++;
    *h->tail = &me;
    h->tail = &me.next;
    while (!me.done && h->leading)
        pthread_cond_wait(&s->cv, &s->mu);
    if (!me.done) {
        h->leading = true;
        batch = h->pending;
        h->pending = NULL;
        h->tail = &h->pending;
        pthread_mutex_unlock(&s->mu);

        run_batch(st, instance_id, meter, batch);

        pthread_mutex_lock(&s->mu);
        for (spend_req *r = batch; r; r = next) {
            next = r->next; /* r belongs to its waiter once done is set */
            r->done = true;
        }
        h->leading = false;
        pthread_cond_broadcast(&s->cv);
    }
    hot_put(s, h);
    pthread_mutex_unlock(&s->mu);
    if (me.rc == SC_STORE_OK || me.rc == SC_STORE_BUDGET)
        *before = me.before;
    return me.rc;
}

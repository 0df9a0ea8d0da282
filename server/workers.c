/*
 * The compute pool: a fixed set of threads and a bounded ring of jobs.
 * A request takes a slot (sc_workers_reserve) before it spends budget,
 * so when every slot is taken it is refused with 503 and nothing
 * changes; a reserved request's job always fits in the ring.
 *
 * Two pools run this way: the compute pool (workers), and the spend pool
 * (spenders) for requests whose answer waits on a durable budget spend.
 * A spend blocks its thread until the store's group commit syncs; on the
 * spend pool the MHD thread goes on serving its other connections, and
 * as many spends as the pool has threads share one sync.
 */
#include <pthread.h>
#include <stdlib.h>

#include "request.h"
#include "server.h"

struct sc_workers {
    pthread_mutex_t mu;
    pthread_cond_t ready;
    pthread_cond_t idle; /* signalled when taken drops to 0 */
    sc_req **ring;
    size_t cap, head, count; /* jobs waiting */
    size_t slots, taken;     /* reserved slots: running + waiting + soon */
    bool stopping;
    pthread_t *threads;
    unsigned nthreads;
};

static void run_job(sc_req *r)
{
    r->on_worker = true;
    r->job(r, r->job_arg);
    if (r->job_free != NULL)
        r->job_free(r->job_arg);
    r->job_arg = NULL;
    if (r->resp == NULL)
        sc_reply_internal(r, "the handler gave no answer");
}

static void *worker_main(void *arg)
{
    sc_workers *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->count == 0 && !w->stopping)
            pthread_cond_wait(&w->ready, &w->mu);
        if (w->count == 0)
            break;
        sc_req *r = w->ring[w->head];
        w->head = (w->head + 1) % w->cap;
        w->count--;
        pthread_mutex_unlock(&w->mu);
        run_job(r);
        pthread_mutex_lock(&w->mu);
        /* The slot is free before the connection resumes: the request
         * no longer holds it when MHD completes it. */
        w->taken--;
        r->reserved = false;
        if (w->taken == 0)
            pthread_cond_broadcast(&w->idle);
        pthread_mutex_unlock(&w->mu);
        sc_http_resume(r);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void pool_stop(sc_workers **pool);

/* A pool of threads and threads + queue slots into *pool. */
static int pool_start(sc_workers **pool, unsigned threads, unsigned queue)
{
    sc_workers *w = calloc(1, sizeof *w);
    if (w == NULL)
        return -1;
    w->slots = (size_t)threads + queue;
    w->cap = w->slots;
    w->ring = calloc(w->cap, sizeof *w->ring);
    w->threads = calloc(threads, sizeof *w->threads);
    if (w->ring == NULL || w->threads == NULL) {
        free(w->ring);
        free(w->threads);
        free(w);
        return -1;
    }
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->ready, NULL);
    pthread_cond_init(&w->idle, NULL);
    for (; w->nthreads < threads; w->nthreads++)
        if (pthread_create(&w->threads[w->nthreads], NULL, worker_main,
                           w) != 0)
            break;
    *pool = w;
    if (w->nthreads < threads) {
        pool_stop(pool);
        return -1;
    }
    return 0;
}

/* Runs the jobs still queued, then joins the threads. */
static void pool_stop(sc_workers **pool)
{
    sc_workers *w = *pool;
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->mu);
    w->stopping = true;
    pthread_cond_broadcast(&w->ready);
    pthread_mutex_unlock(&w->mu);
    for (unsigned i = 0; i < w->nthreads; i++)
        pthread_join(w->threads[i], NULL);
    pthread_cond_destroy(&w->ready);
    pthread_cond_destroy(&w->idle);
    pthread_mutex_destroy(&w->mu);
    free(w->ring);
    free(w->threads);
    free(w);
    *pool = NULL;
}

int sc_workers_start(sc_server *srv, unsigned threads, unsigned queue)
{
    if (pool_start(&srv->workers, threads, queue) != 0)
        return -1;
    if (pool_start(&srv->spenders, SC_SPEND_THREADS, SC_SPEND_QUEUE) != 0) {
        pool_stop(&srv->workers);
        return -1;
    }
    return 0;
}

void sc_workers_stop(sc_server *srv)
{
    pool_stop(&srv->workers);
    pool_stop(&srv->spenders);
}

int sc_workers_reserve(sc_workers *w)
{
    pthread_mutex_lock(&w->mu);
    int rc = w->taken < w->slots && !w->stopping ? 0 : -1;
    if (rc == 0)
        w->taken++;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

void sc_workers_unreserve(sc_workers *w)
{
    pthread_mutex_lock(&w->mu);
    if (--w->taken == 0)
        pthread_cond_broadcast(&w->idle);
    pthread_mutex_unlock(&w->mu);
}

void sc_workers_wait_idle(sc_workers *w)
{
    pthread_mutex_lock(&w->mu);
    while (w->taken != 0)
        pthread_cond_wait(&w->idle, &w->mu);
    pthread_mutex_unlock(&w->mu);
}

void sc_workers_submit(sc_workers *w, sc_req *r)
{
    pthread_mutex_lock(&w->mu);
    w->ring[(w->head + w->count) % w->cap] = r;
    w->count++;
    pthread_cond_signal(&w->ready);
    pthread_mutex_unlock(&w->mu);
}

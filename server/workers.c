/* The compute pool of workers.h. */
#include "workers.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct sc_workers {
    pthread_mutex_t mu;
    pthread_cond_t ready;
    pthread_cond_t idle; /* signalled when taken and finishing reach 0 */
    void **ring;
    size_t cap, head, count; /* jobs waiting */
    size_t slots, taken;     /* reserved slots: running + waiting + soon */
    size_t finishing;        /* jobs run whose done has not returned */
    bool stopping;
    bool closed; /* no new reservations: the server is draining */
    pthread_t *threads;
    unsigned nthreads;
    sc_workers_fn run, done;
};

static void *worker_main(void *arg)
{
    sc_workers *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->count == 0 && !w->stopping)
            pthread_cond_wait(&w->ready, &w->mu);
        if (w->count == 0)
            break;
        void *job = w->ring[w->head];
        w->head = (w->head + 1) % w->cap;
        w->count--;
        pthread_mutex_unlock(&w->mu);
        w->run(job);
        pthread_mutex_lock(&w->mu);
        /* The slot is free before done: a request the job belonged to
         * no longer holds it when it completes.  The pool is not idle
         * until done has returned, though: done resumes a suspended
         * connection, and a server that stopped before that would stop
         * with the connection still suspended (libmicrohttpd aborts). */
        w->taken--;
        w->finishing++;
        pthread_mutex_unlock(&w->mu);
        w->done(job);
        pthread_mutex_lock(&w->mu);
        if (--w->finishing == 0 && w->taken == 0)
            pthread_cond_broadcast(&w->idle);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int sc_workers_start(unsigned threads, unsigned queue, sc_workers_fn run,
                     sc_workers_fn done, sc_workers **out)
{
    sc_workers *w = calloc(1, sizeof *w);
    if (w == NULL)
        return -1;
    w->run = run;
    w->done = done;
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
    if (w->nthreads < threads) {
        sc_workers_stop(w);
        return -1;
    }
    *out = w;
    return 0;
}

/* Runs the jobs still queued, then joins the threads. */
void sc_workers_stop(sc_workers *w)
{
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
}

int sc_workers_reserve(sc_workers *w)
{
    pthread_mutex_lock(&w->mu);
    int rc = w->taken < w->slots && !w->stopping && !w->closed ? 0 : -1;
    if (rc == 0)
        w->taken++;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

void sc_workers_unreserve(sc_workers *w)
{
    pthread_mutex_lock(&w->mu);
    if (--w->taken == 0 && w->finishing == 0)
        pthread_cond_broadcast(&w->idle);
    pthread_mutex_unlock(&w->mu);
}

void sc_workers_close(sc_workers *w)
{
    pthread_mutex_lock(&w->mu);
    w->closed = true;
    pthread_mutex_unlock(&w->mu);
}

void sc_workers_wait_idle(sc_workers *w)
{
    pthread_mutex_lock(&w->mu);
    while (w->taken != 0 || w->finishing != 0)
        pthread_cond_wait(&w->idle, &w->mu);
    pthread_mutex_unlock(&w->mu);
}

void sc_workers_submit(sc_workers *w, void *job)
{
    pthread_mutex_lock(&w->mu);
    w->ring[(w->head + w->count) % w->cap] = job;
    w->count++;
    pthread_cond_signal(&w->ready);
    pthread_mutex_unlock(&w->mu);
}

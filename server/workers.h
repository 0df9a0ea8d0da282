/*
 * The compute pool (workers.c): a fixed set of threads and a bounded
 * ring of jobs.  A caller takes a slot (sc_workers_reserve) before it
 * commits to anything, so when every slot is taken it can refuse and
 * change nothing; a reserved job always fits in the ring.
 *
 * The pool knows nothing of requests: a job is an opaque pointer, and
 * the two callbacks given at start run it (on a pool thread) and report
 * it done (after its slot is free).  The server runs two: the compute
 * pool, and the spend pool for requests whose answer waits on a durable
 * budget spend (blocking a pool thread until the group commit syncs, so
 * that an MHD thread serves its other connections meanwhile and as many
 * spends as the pool has threads share one sync).
 *
 * Error convention: 0 or -1.
 */
#ifndef SC_WORKERS_H
#define SC_WORKERS_H

/* Threads of the spend pool (srv->spenders): how many durable spends
 * may share one sync.  Its queue holds a job for every connection MHD
 * may have open, so a spend waits, never fails. */
#define SC_SPEND_THREADS 64u
#define SC_SPEND_QUEUE 1024u

typedef struct sc_workers sc_workers;
typedef void (*sc_workers_fn)(void *job);

/* threads running jobs, queue more waiting; run(job) does the work,
 * done(job) follows once the job's slot is given back. */
int sc_workers_start(unsigned threads, unsigned queue, sc_workers_fn run,
                     sc_workers_fn done, sc_workers **out);
/* Runs the jobs still queued, then joins the threads and frees w (NULL
 * does nothing). */
void sc_workers_stop(sc_workers *w);
/* Takes a slot; -1 when all are taken. */
int sc_workers_reserve(sc_workers *w);
/* Gives back a slot that no job used. */
void sc_workers_unreserve(sc_workers *w);
/* Refuses every later reservation (the caller answers 503), while the
 * slots already taken still run: a drain calls it before waiting, so no
 * kept-alive connection can hand the pool new work after the wait. */
void sc_workers_close(sc_workers *w);
/* Returns once no slot is taken and every finished job's done has
 * returned. */
void sc_workers_wait_idle(sc_workers *w);
/* Queues job on a slot reserved before. */
void sc_workers_submit(sc_workers *w, void *job);

#endif

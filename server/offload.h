/*
 * Heavy work off the MHD threads (offload.c): a handler reserves a slot
 * of the compute pool (workers.h) for work past the inline threshold,
 * then hands its job over; the job runs inline, or on the pool while the
 * connection is suspended.
 */
#ifndef SC_OFFLOAD_H
#define SC_OFFLOAD_H

#include <stddef.h>

typedef struct sc_req sc_req;

typedef void (*sc_work_fn)(sc_req *r, void *arg);

/* The work of creating one challenge round (its instance's
 * construction, commitment and store rows: about 2 ms), in the doubles
 * of sc_req_reserve: as much as the inline threshold, so that creating
 * challenges, and assignments' catch-up, never runs on an MHD thread. */
#define SC_ROUND_WORK (64u * 1024u)

/* cost = doubles of work (points x dim, samples x dim).  Small costs run
 * inline and need no slot.  A large cost takes a slot of the compute
 * pool; when the pool is full this answers 503 overloaded (Retry-After)
 * and returns -1: the handler then returns without changing anything. */
int sc_req_reserve(sc_req *r, size_t cost);
/* For a job that waits on a durable store write (a budget spend), when
 * no compute slot is held: a slot of the spend pool, so that the write
 * blocks a pool thread, not the MHD thread and its other connections.
 * 503 and -1 when the pool is full, as sc_req_reserve. */
int sc_req_reserve_durable(sc_req *r);
/* Runs fn(r, arg) inline, or on the slot sc_req_reserve took while the
 * connection is suspended (MHD leaves a suspended connection alone, so
 * fn may still read headers and the query).  fn must answer the
 * request.  free_arg (may be NULL) releases arg afterwards. */
void sc_req_run(sc_req *r, sc_work_fn fn, void *arg,
                void (*free_arg)(void *));

#endif

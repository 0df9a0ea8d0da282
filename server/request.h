/*
 * The request state behind sc_req, shared by the HTTP layer (http.c,
 * reply.c), the router (router.c) and the compute pool (workers.c).
 * Handlers see it only through http.h.  One sc_req lives from the first
 * access-handler call of a request to MHD's completion callback.
 */
#ifndef SC_REQUEST_H
#define SC_REQUEST_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "handlers.h"
#include "http.h"
#include "server.h"
#include "store.h"

#define SC_MAX_PATH_PARAMS 4
/* Work (doubles computed) up to which a request computes on its MHD
 * thread: a one-point query never waits for the pool. */
#define SC_INLINE_WORK (64u * 1024u)
/* Bodies larger than this are parsed and handled on the compute pool:
 * decoding a large JSON matrix is heavy work too. */
#define SC_INLINE_BODY (256u * 1024u)

typedef struct sc_path_param {
    char name[16];
    char value[64];
} sc_path_param;

struct sc_req {
    sc_server *srv;
    struct MHD_Connection *conn;
    const char *method;
    const sc_route *route;  /* NULL until matched */
    const char *route_name; /* the template, or "unmatched" for the log */
    struct timespec start;

    sc_path_param params[SC_MAX_PATH_PARAMS];
    size_t nparams;

    sc_player player;
    bool has_player;

    /* The body, accumulated up to the cap. */
    uint8_t *body;
    size_t body_len, body_cap;
    bool too_large; /* a chunked body passed the cap: answer 413 */
    bool npy;
    json_t *json;

    /* The answer, queued by http.c once complete. */
    struct MHD_Response *resp;
    int status;
    char allow[64]; /* Allow header of a 405 */

    /* Heavy work (workers.c). */
    bool reserved;  /* holds a slot of a pool */
    sc_workers *pool; /* that pool; NULL for the compute pool */
    bool on_worker; /* running on the compute pool */
    sc_work_fn job;
    void *job_arg;
    void (*job_free)(void *);

    bool recorded; /* counted in /metrics and logged */
    uint64_t points[SC_METERS];
    int refused_meter; /* -1, or the meter a budget refusal hit */
};

/* router.c: header-phase checks on the first callback (route, auth,
 * media type, Content-Length against the cap); answers or leaves
 * r->resp NULL to go on reading the body. */
void sc_router_begin(sc_req *r, const char *url);
/* The body cap of r: --max-body for NPY, the smaller JSON cap else
 * (known from the headers, before any body byte). */
size_t sc_req_body_cap(const sc_req *r);
/* router.c: the body is complete; parse it and run the handler. */
void sc_router_dispatch(sc_req *r);

/* Threads of the spend pool: how many durable spends may share one
 * sync (more than MHD threads: an HTTP thread hands its spend over and
 * serves its other connections meanwhile).  Its queue holds a job for
 * every connection MHD may have open, so a spend waits, never fails. */
#define SC_SPEND_THREADS 64u
#define SC_SPEND_QUEUE 1024u

/* workers.c: the compute pool and the spend pool. */
int sc_workers_start(sc_server *srv, unsigned threads, unsigned queue);
void sc_workers_stop(sc_server *srv);
/* Takes a slot; -1 when all are taken. */
int sc_workers_reserve(sc_workers *w);
/* Gives back a slot that no job used. */
void sc_workers_unreserve(sc_workers *w);
/* Returns once no slot is taken: every suspended request has resumed. */
void sc_workers_wait_idle(sc_workers *w);
/* Runs r's job on the slot it reserved, then sc_http_resume(r). */
void sc_workers_submit(sc_workers *w, sc_req *r);

/* The pool r's slot and job belong to. */
static inline sc_workers *sc_req_pool(const sc_req *r)
{
    return r->pool != NULL ? r->pool : r->srv->workers;
}

/* http.c: called by a worker when r->resp is ready. */
void sc_http_resume(sc_req *r);

/* reply.c: the answer used when a handler gave none. */
void sc_reply_internal(sc_req *r, const char *what);

#endif

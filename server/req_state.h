/*
 * The request state behind sc_req, shared by the HTTP layer
 * (http_server.c), the request getters (req.c), the answers (reply.c),
 * the router (router.c) and the offload of heavy work (offload.c).
 * Handlers see it only through http.h.  One sc_req lives from the first
 * access-handler call of a request to MHD's completion callback.
 */
#ifndef SC_REQ_STATE_H
#define SC_REQ_STATE_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "handlers.h"
#include "http.h"
#include "peer.h"
#include "server.h"
#include "store.h"

#define SC_MAX_PATH_PARAMS 4
/* Work (doubles computed) up to which a request computes on its MHD
 * thread: a one-point query never waits for the pool. */
#define SC_INLINE_WORK (64u * 1024u)
/* Bodies larger than this are parsed and handled on the compute pool:
 * decoding a large JSON matrix is heavy work too. */
#define SC_INLINE_BODY (256u * 1024u)
/* Body bytes read and dropped after an early answer; a longer body gets
 * the answer at once (and, if it goes on sending, a reset). */
#define SC_DRAIN_MAX (256u * 1024u * 1024u)

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

    sc_peer peer; /* the client address rate limits count against */
    sc_player player;
    bool has_player;

    /* The body, accumulated up to the cap. */
    uint8_t *body;
    size_t body_len, body_cap;
    bool too_large; /* a chunked body passed the cap: answer 413 */
    /* Answered from the headers while a body follows: the body is read
     * and dropped (up to SC_DRAIN_MAX bytes) before the answer goes
     * out, so a client that writes it all before reading sees the
     * answer, not a connection reset. */
    bool draining;
    size_t drained;
    bool npy;
    json_t *json;

    /* The answer, queued by http.c once complete. */
    struct MHD_Response *resp;
    int status;
    char allow[64]; /* Allow header of a 405 */

    /* Heavy work (offload.c, run by http_server.c on the pool). */
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

/* The pool r's slot and job belong to. */
static inline sc_workers *sc_req_pool(const sc_req *r)
{
    return r->pool != NULL ? r->pool : r->srv->workers;
}

#endif

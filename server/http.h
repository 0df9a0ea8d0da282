/*
 * The request/response API handlers are written against.
 *
 * The HTTP layer (http.c) accumulates the body, the router (router.c)
 * matches the route table (routes.c), authenticates, checks media types
 * and parses a JSON body; then a handler runs with an sc_req and answers
 * it with exactly one sc_reply_* call.  A handler that answers nothing
 * gets a 500 "internal" problem, so a forgotten reply is visible.
 *
 * Heavy work leaves the MHD threads: a handler reserves a compute slot
 * with sc_req_reserve (cheap work is never queued) and hands its job to
 * sc_req_run, which runs it inline or, for a reserved slot, on the
 * compute pool while the connection is suspended.  Reserve before
 * spending budget: a full pool answers 503 and must change nothing.
 *
 * Ownership: everything a getter returns is borrowed from the request and
 * lives until it completes.  sc_reply_json steals its body reference;
 * sc_reply_take steals its malloc'ed buffer; other replies copy.
 *
 * Error convention: functions returning int answer 0 or -1; -1 from a
 * reply function means the reply could not be built (out of memory) and
 * an internal problem was answered instead.
 */
#ifndef SC_HTTP_H
#define SC_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../proto/sc_problem.h"
#include "store.h"

typedef struct sc_server sc_server;
typedef struct sc_req sc_req;

/* --- the request ------------------------------------------------------ */

sc_server *sc_req_server(const sc_req *r);
/* A path parameter of the route template ("id" for "{id}"), or NULL. */
const char *sc_req_param(const sc_req *r, const char *name);
/* A query-string argument, or NULL. */
const char *sc_req_query(const sc_req *r, const char *name);
/* A request header (case-insensitive name), or NULL. */
const char *sc_req_header(const sc_req *r, const char *name);
/* The authenticated caller, or NULL on routes where auth is optional and
 * no token was given. */
const sc_player *sc_req_player(const sc_req *r);
/* The parsed JSON body (an object), or NULL when the body was empty or
 * NPY.  Unknown-field checks are the handler's (sc_wire_decode). */
json_t *sc_req_json(const sc_req *r);
/* True when the body is application/x-npy. */
bool sc_req_is_npy(const sc_req *r);
/* The raw body bytes (NPY), len set; never NULL (empty body: len 0). */
const uint8_t *sc_req_body(const sc_req *r, size_t *len);
/* True when Accept asks for application/x-npy over JSON. */
bool sc_req_wants_npy(const sc_req *r);
/* True when Accept names the media type (e.g. "text/csv"). */
bool sc_req_accepts(const sc_req *r, const char *media_type);

/* Oracle points served by this request, per meter (SC_METER_*), for the
 * access log and /metrics. */
void sc_req_count_points(sc_req *r, int meter, uint64_t n);
/* A budget refusal, counted in /metrics per meter. */
void sc_req_count_refusal(sc_req *r, int meter);

/* --- heavy work -------------------------------------------------------- */

typedef void (*sc_work_fn)(sc_req *r, void *arg);

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

/* --- answers ---------------------------------------------------------- */

/* JSON body (steals body; NULL body answers an internal problem). */
int sc_reply_json(sc_req *r, int status, json_t *body);
/* application/problem+json from pb (Retry-After from pb->retry_after). */
int sc_reply_problem(sc_req *r, const sc_problem *pb);
/* The same with extension members (e.g. "remaining"): steals ext, an
 * object whose members are added to the problem. */
int sc_reply_problem_ext(sc_req *r, const sc_problem *pb, json_t *ext);
/* A problem in one call: sc_reply_error(r, 404, "not-found", "..."). */
int sc_reply_error(sc_req *r, int status, const char *slug,
                   const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A rows x cols matrix (ndim 2) or a vector of rows values (ndim 1):
 * NPY when the client asked for it (sc_req_wants_npy), else JSON
 * {"<field>": [...]}.  Copies data. */
int sc_reply_array(sc_req *r, const char *field, const double *data,
                   size_t rows, size_t cols, int ndim);
/* An answer with no body (204 and the like). */
int sc_reply_empty(sc_req *r, int status);
/* Any other body with its media type (steals buf, malloc'ed). */
int sc_reply_take(sc_req *r, int status, const char *content_type,
                  void *buf, size_t len);

#endif

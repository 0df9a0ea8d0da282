/*
 * The request as a handler sees it (req.c): server, path parameters,
 * query, headers, caller, body, and the counters a request adds to the
 * access log and /metrics.
 *
 * Ownership: everything a getter returns is borrowed from the request and
 * lives until it completes.
 */
#ifndef SC_REQ_H
#define SC_REQ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef struct sc_server sc_server;
typedef struct sc_req sc_req;

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

#endif

/*
 * The router (router.c): matches a request against the route table
 * (handlers.h, routes.c) and applies the table's columns before the
 * handler runs.
 */
#ifndef SC_ROUTER_H
#define SC_ROUTER_H

#include <stddef.h>

typedef struct sc_req sc_req;

/* Header-phase checks on the first callback (route, auth, media type,
 * Content-Length against the cap); answers, or leaves the answer unset
 * to go on reading the body. */
void sc_router_begin(sc_req *r, const char *url);
/* The body cap of r: --max-body for NPY, the smaller JSON cap else
 * (known from the headers, before any body byte). */
size_t sc_router_body_cap(const sc_req *r);
/* The body is complete: parse it and run the handler, inline or, for a
 * large body, as a job for the compute pool (r->job set). */
void sc_router_dispatch(sc_req *r);

#endif

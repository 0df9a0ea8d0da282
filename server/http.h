/*
 * The request/response API handlers are written against: one include
 * for the three headers a handler uses.
 *
 * The HTTP layer (http_server.c) accumulates the body, the router
 * (router.c) matches the route table (routes.c), authenticates, checks
 * media types and parses a JSON body; then a handler runs with an
 * sc_req (req.h) and answers it with exactly one sc_reply_* call
 * (reply.h).  A handler that answers nothing gets a 500 "internal"
 * problem, so a forgotten reply is visible.
 *
 * Heavy work leaves the MHD threads through offload.h: a handler
 * reserves a compute slot (cheap work is never queued) and hands its job
 * over; it runs inline or, for a reserved slot, on the compute pool while
 * the connection is suspended.  Reserve before spending budget: a full
 * pool answers 503 and must change nothing.
 *
 * Error convention: functions returning int answer 0 or -1.
 */
#ifndef SC_HTTP_H
#define SC_HTTP_H

#include "offload.h"
#include "reply.h"
#include "req.h"

#endif

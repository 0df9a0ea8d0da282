/*
 * The libmicrohttpd daemon: start, drain, stop (http_server.c), and
 * the two callbacks it gives the compute pool (workers.h) at start.
 */
#ifndef SC_HTTP_SERVER_H
#define SC_HTTP_SERVER_H

#include "server.h"

typedef struct sc_http sc_http;

/* Starts serving srv->cfg's address; writes a sentence to err on
 * failure. */
int sc_http_start(sc_server *srv, sc_http **out, char *err, size_t errlen);
/* The port served (the one the kernel chose for --listen HOST:0). */
unsigned sc_http_port(const sc_http *h);
/* Stops accepting, waits (up to grace_ms) for requests in flight to
 * finish, then stops the daemon and frees it. */
void sc_http_drain_stop(sc_http *h, unsigned grace_ms);

/* The pool's run callback: runs a request's job on a pool thread. */
void sc_http_job_run(void *req);
/* The pool's done callback: resumes the request's connection. */
void sc_http_job_done(void *req);

#endif

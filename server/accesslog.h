/*
 * The access log: one JSON line per request with ts, method, route
 * template, status, ms, points and player id; never a token, a secret or
 * a request body.  Each line goes out in one write(2) so lines from
 * concurrent threads never interleave.
 *
 * Decision: JSON lines of route templates, not Common Log Format of raw
 * paths.  A line is read by jq or a log shipper without a parser of our
 * own; the template ("/v1/instances/{id}/score") groups requests the way
 * /metrics does, and leaves ids, which are capabilities of a kind, out
 * of the log; the player id says who, the points what it cost.
 */
#ifndef SC_ACCESSLOG_H
#define SC_ACCESSLOG_H

#include <stdint.h>

#include "store.h"

typedef struct sc_accesslog sc_accesslog;

/* path "-" is stderr; else the file is appended to (created 0640).
 * NULL on failure, with errno set. */
sc_accesslog *sc_accesslog_open(const char *path);
void sc_accesslog_close(sc_accesslog *log);
void sc_accesslog_write(sc_accesslog *log, const char *method,
                        const char *route, int status, double ms,
                        const uint64_t points[SC_METERS],
                        const char *player);

#endif

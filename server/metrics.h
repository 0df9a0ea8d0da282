/*
 * Counters for /metrics (Prometheus text format 0.0.4): requests by
 * route and status, a latency histogram per route, oracle points served
 * per meter, budget refusals per meter.  Lock-free and unshared: each
 * thread counts into its own shard (shard.h), the exposition sums them,
 * so the MHD threads neither wait on each other nor pass cache lines
 * back and forth to count.
 */
#ifndef SC_METRICS_H
#define SC_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef struct sc_metrics sc_metrics;

sc_metrics *sc_metrics_new(void);
void sc_metrics_free(sc_metrics *m);
/* One finished request: route is the route's template pointer (or any
 * other string for unmatched), status 0 when the client went away. */
void sc_metrics_request(sc_metrics *m, const char *route, const char *method,
                        int status, double ms,
                        const uint64_t points[SC_METERS], int refused_meter);
/* The exposition text, malloc'ed; *len set. */
char *sc_metrics_render(const sc_metrics *m, size_t *len);

#endif

/* Prometheus counters; see metrics.h. */
#include "metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "shard.h"

/* Latency bucket bounds in seconds. */
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                0.05,   0.1,   0.25,   0.5,   1,    2.5,
                                5,      10};
#define NBOUNDS (sizeof bounds / sizeof bounds[0])

/* Statuses counted one by one; others share the last slot. */
static const int statuses[] = {0,   200, 201, 400, 401, 403, 404, 405,
                               409, 413, 415, 422, 429, 500, 503};
#define NSTATUS (sizeof statuses / sizeof statuses[0])

static const char *const meters[SC_METERS] = {"samples", "score", "logpdf"};

typedef struct route_counters {
    atomic_uint_fast64_t by_status[NSTATUS + 1];
    atomic_uint_fast64_t buckets[NBOUNDS + 1];
    atomic_uint_fast64_t usec_sum;
} route_counters;

/* One thread's counters (shard.h): relaxed atomics, since threads past
 * SC_SHARDS share a shard; uncontended otherwise. */
typedef struct shard {
    atomic_uint_fast64_t points[SC_METERS];
    atomic_uint_fast64_t refusals[SC_METERS];
    route_counters routes[]; /* sc_nroutes + 1: the last is unmatched */
} shard;

/* The sum of the shards, read by the exposition. */
typedef struct route_totals {
    uint64_t by_status[NSTATUS + 1];
    uint64_t buckets[NBOUNDS + 1];
    uint64_t usec_sum;
} route_totals;

typedef struct totals {
    uint64_t points[SC_METERS];
    uint64_t refusals[SC_METERS];
    route_totals routes[]; /* sc_nroutes + 1 */
} totals;

struct sc_metrics {
    unsigned char *shards; /* SC_SHARDS of stride bytes, line-aligned */
    size_t stride;
};

sc_metrics *sc_metrics_new(void)
{
    sc_metrics *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    size_t bytes = sizeof(shard) + (sc_nroutes + 1) * sizeof(route_counters);
    m->stride = (bytes + SC_CACHE_LINE - 1) / SC_CACHE_LINE * SC_CACHE_LINE;
    m->shards = aligned_alloc(SC_CACHE_LINE, m->stride * SC_SHARDS);
    if (m->shards == NULL) {
        free(m);
        return NULL;
    }
    memset(m->shards, 0, m->stride * SC_SHARDS);
    return m;
}

void sc_metrics_free(sc_metrics *m)
{
    if (m == NULL)
        return;
    free(m->shards);
    free(m);
}

static shard *shard_at(const sc_metrics *m, unsigned i)
{
    return (shard *)(void *)(m->shards + (size_t)i * m->stride);
}

static void add(atomic_uint_fast64_t *c, uint64_t n)
{
    atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static uint64_t load(const atomic_uint_fast64_t *c)
{
    return atomic_load_explicit(c, memory_order_relaxed);
}

/* The route's row: templates are compared by address first (they come
 * from the table), so the common case costs no string compares. */
static size_t route_index(const char *route, const char *method)
{
    for (size_t i = 0; i < sc_nroutes; i++)
        if (sc_routes[i].path == route &&
            strcmp(sc_routes[i].method, method) == 0)
            return i;
    return sc_nroutes;
}

static size_t status_index(int status)
{
    for (size_t i = 0; i < NSTATUS; i++)
        if (statuses[i] == status)
            return i;
    return NSTATUS;
}

void sc_metrics_request(sc_metrics *m, const char *route, const char *method,
                        int status, double ms,
                        const uint64_t points[SC_METERS], int refused_meter)
{
    shard *sh = shard_at(m, sc_shard());
    route_counters *rc = &sh->routes[route_index(route, method)];
    add(&rc->by_status[status_index(status)], 1);
    size_t b = 0;
    while (b < NBOUNDS && ms / 1e3 > bounds[b])
        b++;
    add(&rc->buckets[b], 1);
    add(&rc->usec_sum, (uint64_t)(ms * 1e3));
    for (int i = 0; i < SC_METERS; i++)
        if (points[i] != 0)
            add(&sh->points[i], points[i]);
    if (refused_meter >= 0 && refused_meter < SC_METERS)
        add(&sh->refusals[refused_meter], 1);
}

static void merge_routes(route_totals *t, const route_counters *rc)
{
    for (size_t s = 0; s <= NSTATUS; s++)
        t->by_status[s] += load(&rc->by_status[s]);
    for (size_t b = 0; b <= NBOUNDS; b++)
        t->buckets[b] += load(&rc->buckets[b]);
    t->usec_sum += load(&rc->usec_sum);
}

/* Every shard summed; NULL when out of memory. */
static totals *merge(const sc_metrics *m)
{
    totals *t = calloc(1, sizeof *t +
                              (sc_nroutes + 1) * sizeof(route_totals));
    for (unsigned i = 0; t != NULL && i < SC_SHARDS; i++) {
        const shard *sh = shard_at(m, i);
        for (int k = 0; k < SC_METERS; k++) {
            t->points[k] += load(&sh->points[k]);
            t->refusals[k] += load(&sh->refusals[k]);
        }
        for (size_t r = 0; r <= sc_nroutes; r++)
            merge_routes(&t->routes[r], &sh->routes[r]);
    }
    return t;
}

/* A growing text buffer; on allocation failure it stays failed. */
typedef struct text {
    char *buf;
    size_t len, cap;
    int failed;
} text;

static void put(text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...)
{
    for (int tries = 0; tries < 2 && !t->failed; tries++) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = 1;
        } else if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        } else {
            size_t want = (t->cap + (size_t)n + 1) * 2;
            char *nb = realloc(t->buf, want);
            if (nb == NULL)
                t->failed = 1;
            else {
                t->buf = nb;
                t->cap = want;
            }
        }
    }
}

static void route_label(text *t, size_t i)
{
    if (i < sc_nroutes)
        put(t, "method=\"%s\",route=\"%s\"", sc_routes[i].method,
            sc_routes[i].path);
    else
        put(t, "method=\"\",route=\"unmatched\"");
}

static void render_requests(text *t, const totals *m)
{
    put(t, "# HELP scoracle_requests_total Requests answered, by route and "
           "status (status 0: the client went away).\n"
           "# TYPE scoracle_requests_total counter\n");
    for (size_t i = 0; i <= sc_nroutes; i++)
        for (size_t s = 0; s <= NSTATUS; s++) {
            uint64_t v = m->routes[i].by_status[s];
            if (v == 0)
                continue;
            put(t, "scoracle_requests_total{");
            route_label(t, i);
            if (s < NSTATUS)
                put(t, ",status=\"%d\"} %llu\n", statuses[s],
                    (unsigned long long)v);
            else
                put(t, ",status=\"other\"} %llu\n", (unsigned long long)v);
        }
}

static void render_latency(text *t, const totals *m)
{
    put(t, "# HELP scoracle_request_duration_seconds Time from a "
           "request's headers to its answer.\n"
           "# TYPE scoracle_request_duration_seconds histogram\n");
    for (size_t i = 0; i <= sc_nroutes; i++) {
        const route_totals *rc = &m->routes[i];
        uint64_t cum = 0;
        for (size_t b = 0; b <= NBOUNDS; b++)
            cum += rc->buckets[b];
        if (cum == 0)
            continue;
        cum = 0;
        for (size_t b = 0; b <= NBOUNDS; b++) {
            cum += rc->buckets[b];
            put(t, "scoracle_request_duration_seconds_bucket{");
            route_label(t, i);
            if (b < NBOUNDS)
                put(t, ",le=\"%g\"} %llu\n", bounds[b],
                    (unsigned long long)cum);
            else
                put(t, ",le=\"+Inf\"} %llu\n", (unsigned long long)cum);
        }
        put(t, "scoracle_request_duration_seconds_sum{");
        route_label(t, i);
        put(t, "} %.6f\n", (double)rc->usec_sum / 1e6);
        put(t, "scoracle_request_duration_seconds_count{");
        route_label(t, i);
        put(t, "} %llu\n", (unsigned long long)cum);
    }
}

static void render_meters(text *t, const totals *m)
{
    put(t, "# HELP scoracle_oracle_points_total Oracle points served, by "
           "meter.\n# TYPE scoracle_oracle_points_total counter\n");
    for (int i = 0; i < SC_METERS; i++)
        put(t, "scoracle_oracle_points_total{meter=\"%s\"} %llu\n", meters[i],
            (unsigned long long)m->points[i]);
    put(t, "# HELP scoracle_budget_refusals_total Requests refused because "
           "they would overrun a budget, by meter.\n"
           "# TYPE scoracle_budget_refusals_total counter\n");
    for (int i = 0; i < SC_METERS; i++)
        put(t, "scoracle_budget_refusals_total{meter=\"%s\"} %llu\n",
            meters[i], (unsigned long long)m->refusals[i]);
}

char *sc_metrics_render(const sc_metrics *m, size_t *len)
{
    totals *sum = merge(m);
    text t = {.buf = malloc(4096), .cap = 4096};
    if (t.buf == NULL || sum == NULL) {
        free(t.buf);
        free(sum);
        return NULL;
    }
    render_requests(&t, sum);
    render_latency(&t, sum);
    render_meters(&t, sum);
    free(sum);
    if (t.failed) {
        free(t.buf);
        return NULL;
    }
    *len = t.len;
    return t.buf;
}

/*
 * The daemon's shared context: one sc_server per process, built by
 * main.c, handed to every handler through sc_req_server().  Its members
 * are set once before serving and never reassigned, so handlers read them
 * without locks; the objects they point to are thread-safe.
 */
#ifndef SC_SERVER_H
#define SC_SERVER_H

#include <stdio.h>

#include "config.h"
#include "store.h"

typedef struct sc_server sc_server;
typedef struct sc_keys sc_keys;
typedef struct sc_cache sc_cache;
typedef struct sc_metrics sc_metrics;
typedef struct sc_workers sc_workers;
typedef struct sc_accesslog sc_accesslog;
typedef struct sc_usage sc_usage;
typedef struct sc_tokens sc_tokens;
typedef struct sc_ratelimit sc_ratelimit;
typedef struct sc_static sc_static;

struct sc_server {
    const sc_config *cfg;
    sc_store *store;
    sc_keys *keys;
    sc_cache *cache;        /* constructed distributions (instances.c) */
    sc_metrics *metrics;    /* /metrics counters (metrics.c) */
    sc_workers *workers;    /* the compute pool (workers.c) */
    sc_workers *spenders;   /* the durable-spend pool (workers.c) */
    sc_accesslog *log;      /* one JSON line per request (accesslog.c) */
    sc_usage *usage;        /* use of unlimited meters (usage.c) */
    sc_tokens *tokens;      /* players by token hash (auth.c) */
    sc_ratelimit *rates;    /* per-address rate limits (ratelimit.c) */
    char *openapi;          /* proto/openapi.yaml, NULL when not found */
    size_t openapi_len;
    sc_static *web;         /* the web arena's files (static.c) */
};

#define SC_VERSION "0.1.0"

#endif

/*
 * The route table and its handlers.  A route is one row of sc_routes
 * (routes.c): method, path template with {name} parameters, handler,
 * who may call it, and what body it takes.  The router answers 404 for
 * unknown paths, 405 (with Allow) for a known path and another method,
 * 401/403 per the auth column, 415 per the body flags, 413 past the body
 * cap, and 400 for malformed JSON, before the handler runs.
 *
 * To add an endpoint: declare its handler below, add a row to sc_routes.
 */
#ifndef SC_HANDLERS_H
#define SC_HANDLERS_H

#include <jansson.h>
#include <stddef.h>

#include "http.h"

typedef void (*sc_handler_fn)(sc_req *r);

typedef enum sc_auth {
    SC_AUTH_NONE,       /* no token looked at */
    SC_AUTH_OPTIONAL,   /* a token, when given, must be valid */
    SC_AUTH_PLAYER,     /* any valid token */
    SC_AUTH_INSTRUCTOR, /* instructor or admin */
    SC_AUTH_ADMIN,
} sc_auth;

enum {
    SC_BODY_NONE = 0,     /* no body (GET); a body is ignored */
    SC_BODY_JSON = 1u << 0, /* application/json object */
    SC_BODY_NPY = 1u << 1,  /* application/x-npy */
    SC_BODY_EMPTY_OK = 1u << 2, /* JSON route that may take no body */
};

typedef struct sc_route {
    const char *method;
    const char *path;   /* "/v1/instances/{id}/score" */
    sc_handler_fn handler;
    sc_auth auth;
    unsigned body;      /* SC_BODY_* */
} sc_route;

extern const sc_route sc_routes[];
extern const size_t sc_nroutes;

/*
 * Hooks other modules fill in (routes.c holds the one instance), so the
 * HTTP layer needs no knowledge of games.  A NULL hook does nothing.
 */
typedef struct sc_hooks {
    /* Once after the store opened, before serving; nonzero aborts
     * start-up (the hook prints why). */
    int (*init)(sc_server *srv);
    /* Adds members to /v1/info: "receipt_key", "presets". */
    void (*info)(sc_server *srv, json_t *info);
    /* May refuse an oracle call (meter SC_METER_*) or an instance reveal
     * (meter -1) on a challenge round: answers 0 to allow, or -1 with pb
     * filled.  Without the hook, round instances are never revealed
     * through /v1/instances/{id}/reveal. */
    int (*round_gate)(sc_server *srv, const sc_instance_row *row, int meter,
                      sc_problem *pb);
    /* Before exit, after the last request. */
    void (*fini)(sc_server *srv);
} sc_hooks;

extern const sc_hooks sc_hooks_table;

/* Operations (ops.c). */
void sc_h_healthz(sc_req *r);
void sc_h_readyz(sc_req *r);
void sc_h_info(sc_req *r);
void sc_h_openapi(sc_req *r);
void sc_h_metrics(sc_req *r);

/* Players (players.c). */
void sc_h_player_create(sc_req *r);
void sc_h_player_me(sc_req *r);

/* Instances and their oracles (h_instances.c, oracles.c). */
void sc_h_instance_create(sc_req *r);
void sc_h_instance_get(sc_req *r);
void sc_h_instance_samples(sc_req *r);
void sc_h_instance_score(sc_req *r);
void sc_h_instance_logpdf(sc_req *r);
void sc_h_instance_reveal(sc_req *r);
void sc_h_instance_reveal_get(sc_req *r);

#endif

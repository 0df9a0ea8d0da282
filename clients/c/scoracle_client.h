/*
 * scoracle_client: a small C client of the scoracle HTTP API, on libcurl
 * and jansson, with commitment checks on libsodium.
 *
 * Error convention: every int-returning call answers SC_CLIENT_OK (0) or a
 * negative SC_CLIENT_E* code.  After SC_CLIENT_EHTTP the server's problem
 * details (status, type, detail) are in sc_client_last_error().
 *
 * Ownership: sc_client_new() hands out a client that only
 * sc_client_free() releases.  A json_t ** out parameter receives a new
 * reference the caller json_decref()s; a double ** out parameter receives
 * a malloc'ed row-major array the caller free()s.  Arguments are borrowed.
 *
 * Threads: one client per thread.  Call sc_client_global_init() once
 * before any client exists and sc_client_global_cleanup() at the end, as
 * libcurl requires.
 */
#ifndef SCORACLE_CLIENT_H
#define SCORACLE_CLIENT_H

#include <stddef.h>

#include <jansson.h>

enum {
    SC_CLIENT_OK = 0,
    SC_CLIENT_EHTTP = -1,      /* the server answered an error status */
    SC_CLIENT_ETRANSPORT = -2, /* no answer (connection, timeout) */
    SC_CLIENT_EPROTO = -3,     /* an answer this client cannot read */
    SC_CLIENT_ENOMEM = -4,
    SC_CLIENT_EVERIFY = -5,    /* a commitment does not open */
    SC_CLIENT_EINVAL = -6,     /* a bad argument */
};

typedef struct sc_client sc_client;

/* The last failure: HTTP status (0 when there was no answer), the problem
 * type URI and detail (or a transport message). */
typedef struct sc_client_error {
    long status;
    char type[96];
    char detail[256];
} sc_client_error;

int sc_client_global_init(void);
void sc_client_global_cleanup(void);

/* base_url like "http://127.0.0.1:8080"; token may be NULL.  NULL when
 * out of memory. */
sc_client *sc_client_new(const char *base_url, const char *token);
void sc_client_free(sc_client *c);
/* Replaces the bearer token (NULL: none). */
int sc_client_set_token(sc_client *c, const char *token);
const sc_client_error *sc_client_last_error(const sc_client *c);

/* One request: method, path under the base URL, optional JSON body; the
 * decoded JSON answer in *out (may be NULL to ignore it). */
int sc_client_request(sc_client *c, const char *method, const char *path,
                      const json_t *body, json_t **out);

/* POST /v1/players; keeps the new token when the client has none. */
int sc_client_register(sc_client *c, const char *name, json_t **out);
/* POST /v1/instances with spec {"family", parameters, budget, oracle}. */
int sc_client_create_instance(sc_client *c, const json_t *spec,
                              json_t **out);
/* GET /v1/instances/{id}. */
int sc_client_instance(sc_client *c, const char *id, json_t **out);
/* POST /v1/instances/{id}/samples: n points at OU time t, n x *dim. */
int sc_client_samples(sc_client *c, const char *id, size_t n, double t,
                      double **out, size_t *dim);
/* POST /v1/instances/{id}/score: rows x dim scores at the rows x dim
 * points x. */
int sc_client_score(sc_client *c, const char *id, const double *x,
                    size_t rows, size_t dim, double t, double **out);
/* POST /v1/instances/{id}/logpdf: rows log-densities. */
int sc_client_logpdf(sc_client *c, const char *id, const double *x,
                     size_t rows, size_t dim, double t, double **out);
/* POST /v1/instances/{id}/reveal: {"secret", "salt", "commitment"}. */
int sc_client_reveal(sc_client *c, const char *id, json_t **out);

/* Checks a reveal against the commitment published before (hex):
 * BLAKE2b-256(key = salt, "scoracle-commit-v1" 0 id 0 secret bytes).
 * SC_CLIENT_OK when it opens, SC_CLIENT_EVERIFY when it does not. */
int sc_client_open_instance(const char *id, const json_t *reveal,
                            const char *commitment_hex);

#endif

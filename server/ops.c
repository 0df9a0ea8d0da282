/*
 * Operations: GET /healthz, /readyz, /v1/info, /v1/openapi.yaml,
 * /metrics.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/sc_core.h"
#include "../core/sc_game.h"
#include "handlers.h"
#include "hardness.h"
#include "limits.h"
#include "metrics.h"
#include "server.h"

void sc_h_healthz(sc_req *r)
{
    sc_reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

/* Ready: the store answers a query and the keys are loaded (they are
 * before the server listens; the store may go away later). */
void sc_h_readyz(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    if (srv->keys == NULL || sc_store_ping(srv->store) != SC_STORE_OK) {
        sc_problem pb = {0};
        sc_problem_set(&pb, 503, "unavailable",
                       "the store does not answer; retry shortly");
        pb.retry_after = 1;
        sc_reply_problem(r, &pb);
        return;
    }
    sc_reply_json(r, 200, json_pack("{s:s, s:s}", "status", "ready", "store",
                                    sc_store_backend(srv->store)));
}

static json_t *families_json(void)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && sc_families[i] != NULL; i++)
        json_array_append_new(a, json_string(sc_families[i]->name));
    return a;
}

static json_t *limits_json(const sc_config *cfg)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:f}",
                     "max_body_bytes", (json_int_t)cfg->max_body,
                     "max_json_body_bytes",
                     (json_int_t)(cfg->max_json_body < cfg->max_body
                                      ? cfg->max_json_body
                                      : cfg->max_body),
                     "max_points", (json_int_t)SC_MAX_REQUEST_DOUBLES,
                     "max_dim", (json_int_t)SC_MAX_DIM,
                     "max_samples", (json_int_t)SC_MAX_SAMPLES,
                     "max_rounds", (json_int_t)SC_GAME_MAX_ROUNDS,
                     "max_work_seconds", SC_MAX_REQUEST_WORK * 1e-9);
}

/* Per-address limits of ratelimit.h and conn_guard.h (0: no limit). */
static json_t *rate_limits_json(const sc_config *cfg)
{
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i}",
                     "register_per_minute", (int)cfg->rate_register,
                     "join_per_minute", (int)cfg->rate_join,
                     "auth_failures_per_minute", (int)cfg->rate_auth,
                     "connections_per_address", (int)cfg->per_ip_limit,
                     "connections_per_network", (int)cfg->per_net_limit,
                     "header_timeout_seconds", (int)cfg->header_timeout,
                     "body_timeout_seconds", (int)cfg->body_timeout);
}

void sc_h_info(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    json_t *info = json_pack(
        "{s:s, s:s, s:s, s:o, s:[sssss], s:[], s:s, s:o}",
        "name", "scoracle", "version", SC_VERSION, "api", "v1",
        "families", families_json(),
        "kinds", "distinguish", "recover", "score", "density", "posterior",
        "presets",
        "registration", srv->cfg->registration_open ? "open" : "closed",
        "limits", limits_json(srv->cfg));
    if (info != NULL)
        json_object_set_new(info, "rate_limits",
                            rate_limits_json(srv->cfg));
    if (info != NULL && sc_hooks_table.info != NULL)
        sc_hooks_table.info(srv, info);
    if (info != NULL)
        sc_hardness_info(info);
    sc_reply_json(r, 200, info);
}

void sc_h_openapi(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    if (srv->openapi == NULL) {
        sc_reply_error(r, 404, "not-found", "this build has no "
                       "proto/openapi.yaml next to it");
        return;
    }
    char *copy = malloc(srv->openapi_len);
    if (copy == NULL) {
        sc_reply_error(r, 503, "overloaded", "out of memory");
        return;
    }
    memcpy(copy, srv->openapi, srv->openapi_len);
    sc_reply_take(r, 200, "application/yaml", copy, srv->openapi_len);
}

/* The store's counter after the request metrics. */
static char *append_store_metrics(sc_server *srv, char *text, size_t *len)
{
    char line[320];
    int n = snprintf(line, sizeof line,
                     "# HELP scoracle_store_retries_total Store transactions "
                     "run again after a serialization failure.\n"
                     "# TYPE scoracle_store_retries_total counter\n"
                     "scoracle_store_retries_total{backend=\"%s\"} %llu\n",
                     sc_store_backend(srv->store),
                     (unsigned long long)sc_store_retries(srv->store));
    char *grown = n > 0 ? realloc(text, *len + (size_t)n + 1) : NULL;
    if (grown == NULL) {
        free(text);
        return NULL;
    }
    memcpy(grown + *len, line, (size_t)n + 1);
    *len += (size_t)n;
    return grown;
}

void sc_h_metrics(sc_req *r)
{
    size_t len;
    sc_server *srv = sc_req_server(r);
    char *text = sc_metrics_render(srv->metrics, &len);
    if (text != NULL)
        text = append_store_metrics(srv, text, &len);
    if (text == NULL) {
        sc_reply_error(r, 503, "overloaded", "out of memory");
        return;
    }
    sc_reply_take(r, 200, "text/plain; version=0.0.4; charset=utf-8", text,
                  len);
}

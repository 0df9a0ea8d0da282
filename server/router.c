/*
 * The router: matches a request against the route table, then applies
 * the table's columns (auth, body media types) before the handler runs.
 * Checks that need only headers run on the first callback, so a refused
 * request never has its body read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../proto/sc_wire.h"
#include "auth.h"
#include "query.h"
#include "ratelimit.h"
#include "reply.h"
#include "req_state.h"
#include "router.h"
#include "server.h"
#include "static.h"
#include "workers.h"

/* Matches path against a template, capturing {name} segments. */
static bool match_path(const char *tmpl, const char *path, sc_req *r)
{
    size_t np = 0;
    while (*tmpl != '\0' && *path != '\0') {
        if (*tmpl != '/' || *path != '/')
            return false;
        tmpl++;
        path++;
        size_t tl = strcspn(tmpl, "/"), pl = strcspn(path, "/");
        if (tmpl[0] == '{') {
            if (pl == 0 || np == SC_MAX_PATH_PARAMS ||
                pl >= sizeof r->params[0].value ||
                tl - 2 >= sizeof r->params[0].name)
                return false;
            snprintf(r->params[np].name, sizeof r->params[np].name, "%.*s",
                     (int)(tl - 2), tmpl + 1);
            snprintf(r->params[np].value, sizeof r->params[np].value, "%.*s",
                     (int)pl, path);
            np++;
        } else if (tl != pl || memcmp(tmpl, path, tl) != 0) {
            return false;
        }
        tmpl += tl;
        path += pl;
    }
    if (*tmpl != '\0' || *path != '\0')
        return false;
    r->nparams = np;
    return true;
}

/* Finds the route; on a path known under other methods fills r->allow. */
static const sc_route *find_route(sc_req *r, const char *url)
{
    r->allow[0] = '\0';
    for (size_t i = 0; i < sc_nroutes; i++) {
        const sc_route *rt = &sc_routes[i];
        if (!match_path(rt->path, url, r))
            continue;
        if (strcmp(rt->method, r->method) == 0)
            return rt;
        r->route_name = rt->path;
        size_t used = strlen(r->allow);
        if (strstr(r->allow, rt->method) == NULL)
            snprintf(r->allow + used, sizeof r->allow - used, "%s%s",
                     used != 0 ? ", " : "", rt->method);
    }
    r->nparams = 0;
    return NULL;
}

static bool role_allows(sc_auth need, sc_role role)
{
    switch (need) {
    case SC_AUTH_INSTRUCTOR:
        return role == SC_ROLE_INSTRUCTOR || role == SC_ROLE_ADMIN;
    case SC_AUTH_ADMIN:
        return role == SC_ROLE_ADMIN;
    default:
        return true;
    }
}

static void answer_401(sc_req *r, const char *detail)
{
    sc_reply_error(r, 401, "unauthorized", "%s", detail);
    MHD_add_response_header(r->resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                            "Bearer");
}

/* 0 when the caller may go on; otherwise the answer is set. */
static int authenticate(sc_req *r)
{
    sc_auth need = r->route->auth;
    if (need == SC_AUTH_NONE)
        return 0;
    const char *h = sc_req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    if (h == NULL) {
        if (need == SC_AUTH_OPTIONAL)
            return 0;
        answer_401(r, "this call needs an Authorization: Bearer token");
        return -1;
    }
    /* An address that failed too often is not let guess again. */
    if (sc_req_rate_check(r, SC_RATE_AUTH) != 0)
        return -1;
    int rc = sc_auth_player(r->srv, h, &r->player);
    if (rc == -2) {
        sc_reply_error(r, 500, "internal", "the store failed");
        return -1;
    }
    if (rc != 0) {
        sc_ratelimit_take(r->srv->rates, SC_RATE_AUTH, &r->peer);
        answer_401(r, "the bearer token is not valid");
        return -1;
    }
    r->has_player = true;
    if (!role_allows(need, r->player.role)) {
        sc_reply_error(r, 403, "forbidden", "this call needs the %s role",
                       need == SC_AUTH_ADMIN ? "admin" : "instructor");
        return -1;
    }
    return 0;
}

/* The media type of Content-Type without parameters, lower case. */
static void media_type(const sc_req *r, char *out, size_t cap)
{
    const char *ct = sc_req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
    out[0] = '\0';
    if (ct == NULL)
        return;
    ct += strspn(ct, " \t");
    size_t n = strcspn(ct, "; \t");
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(ct[i] >= 'A' && ct[i] <= 'Z' ? ct[i] + 32 : ct[i]);
    out[n] = '\0';
}

/* 0 when the Content-Type suits the route (or there is none yet to
 * judge); else a 415 answer. */
static int check_media(sc_req *r)
{
    unsigned body = r->route->body;
    char mt[64];
    media_type(r, mt, sizeof mt);
    if (body == SC_BODY_NONE || mt[0] == '\0')
        return 0;
    if ((body & SC_BODY_JSON) && strcmp(mt, "application/json") == 0)
        return 0;
    if ((body & SC_BODY_NPY) && strcmp(mt, "application/x-npy") == 0) {
        r->npy = true;
        return 0;
    }
    sc_reply_error(r, 415, "unsupported-media-type",
                   "this call takes %s, not %s",
                   (body & SC_BODY_NPY) ? "application/json or "
                                          "application/x-npy"
                                        : "application/json", mt);
    return -1;
}

size_t sc_router_body_cap(const sc_req *r)
{
    const sc_config *cfg = r->srv->cfg;
    if (r->npy || cfg->max_json_body > cfg->max_body)
        return cfg->max_body;
    return cfg->max_json_body;
}

static void refuse_length(sc_req *r)
{
    sc_reply_error(r, 413, "payload-too-large",
                   "the body may hold at most %zu bytes%s",
                   sc_router_body_cap(r),
                   r->npy ? "" : " of JSON (send matrices as NPY)");
}

static int check_length(sc_req *r)
{
    const char *cl = sc_req_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl == NULL)
        return 0;
    char *end;
    unsigned long long n = strtoull(cl, &end, 10);
    if (end != cl && n <= sc_router_body_cap(r))
        return 0;
    refuse_length(r);
    return -1;
}

/* 0 when the query string names only what the route reads (query.c);
 * else a 422 answer. */
static int check_query(sc_req *r)
{
    sc_problem pb = {0};
    if (sc_query_check(r, &pb) == 0)
        return 0;
    sc_reply_problem(r, &pb);
    return -1;
}

/* A CORS preflight of a known path: which methods and headers a page
 * may use.  No token is needed; the request that follows brings one. */
static void preflight(sc_req *r)
{
    if (sc_reply_empty(r, 204) != 0)
        return;
    char allow[sizeof r->allow + 16];
    snprintf(allow, sizeof allow, "%s, OPTIONS", r->allow);
    MHD_add_response_header(r->resp, MHD_HTTP_HEADER_ALLOW, allow);
    MHD_add_response_header(r->resp, "Access-Control-Allow-Methods", allow);
    MHD_add_response_header(r->resp, "Access-Control-Allow-Headers",
                            "Authorization, Content-Type, Accept");
    MHD_add_response_header(r->resp, "Access-Control-Max-Age", "86400");
}

void sc_router_begin(sc_req *r, const char *url)
{
    r->route = find_route(r, url);
    if (r->route == NULL && r->allow[0] != '\0' &&
        strcmp(r->method, "OPTIONS") == 0) {
        preflight(r);
        return;
    }
    if (r->route == NULL && r->allow[0] == '\0' &&
        sc_static_claims(r->method, url)) {
        sc_static_serve(r, url);
        return;
    }
    if (r->route == NULL) {
        if (r->allow[0] != '\0')
            sc_reply_error(r, 405, "method-not-allowed",
                           "%s is not allowed here; allowed: %s", r->method,
                           r->allow);
        else
            sc_reply_error(r, 404, "not-found", "no such path");
        return;
    }
    r->route_name = r->route->path;
    if (authenticate(r) != 0 || check_media(r) != 0 || check_query(r) != 0)
        return;
    if (r->route->body != SC_BODY_NONE)
        check_length(r);
}

/* Parses the complete body per the route's flags; 0 to run the handler. */
static int take_body(sc_req *r)
{
    unsigned body = r->route->body;
    if (body == SC_BODY_NONE)
        return 0;
    if (r->too_large) {
        refuse_length(r);
        return -1;
    }
    if (r->body_len == 0) {
        if (body & SC_BODY_EMPTY_OK)
            return 0;
        sc_reply_error(r, 400, "malformed-request",
                       "this call needs a request body");
        return -1;
    }
    if (r->npy)
        return 0;
    char mt[64];
    media_type(r, mt, sizeof mt);
    if (mt[0] == '\0') {
        sc_reply_error(r, 415, "unsupported-media-type",
                       "the body needs a Content-Type");
        return -1;
    }
    sc_problem pb = {0};
    if (sc_json_parse_object((const char *)r->body, r->body_len, &r->json,
                             &pb) != 0) {
        sc_reply_problem(r, &pb);
        return -1;
    }
    return 0;
}

static void handle(sc_req *r, void *arg)
{
    (void)arg;
    if (take_body(r) == 0)
        r->route->handler(r);
}

void sc_router_dispatch(sc_req *r)
{
    if (r->body_len <= SC_INLINE_BODY || r->too_large) {
        handle(r, NULL);
        return;
    }
    if (sc_workers_reserve(r->srv->workers) != 0) {
        sc_problem pb = {0};
        sc_problem_set(&pb, 503, "overloaded",
                       "every compute slot is busy; retry shortly");
        pb.retry_after = 1;
        sc_reply_problem(r, &pb);
        return;
    }
    r->reserved = true;
    r->job = handle;
}

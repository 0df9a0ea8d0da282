/*
 * The request getters and the answers of http.h.  An answer becomes an
 * MHD_Response kept in the request; http.c queues it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../proto/sc_wire.h"
#include "request.h"

sc_server *sc_req_server(const sc_req *r) { return r->srv; }
json_t *sc_req_json(const sc_req *r) { return r->json; }
bool sc_req_is_npy(const sc_req *r) { return r->npy; }

const sc_player *sc_req_player(const sc_req *r)
{
    return r->has_player ? &r->player : NULL;
}

const char *sc_req_param(const sc_req *r, const char *name)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (strcmp(r->params[i].name, name) == 0)
            return r->params[i].value;
    return NULL;
}

const char *sc_req_query(const sc_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *sc_req_header(const sc_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const uint8_t *sc_req_body(const sc_req *r, size_t *len)
{
    static const uint8_t empty[1];
    *len = r->body_len;
    return r->body != NULL ? r->body : empty;
}

/* True when the comma-separated Accept list names media_type, ignoring
 * parameters such as q (a client naming it wants it). */
bool sc_req_accepts(const sc_req *r, const char *media_type)
{
    const char *accept = sc_req_header(r, MHD_HTTP_HEADER_ACCEPT);
    size_t mlen = strlen(media_type);
    for (const char *p = accept; p != NULL && *p != '\0';) {
        p += strspn(p, " \t,");
        size_t tok = strcspn(p, ",;");
        while (tok > 0 && (p[tok - 1] == ' ' || p[tok - 1] == '\t'))
            tok--;
        if (tok == mlen && strncasecmp(p, media_type, mlen) == 0)
            return true;
        p = strchr(p, ',');
    }
    return false;
}

bool sc_req_wants_npy(const sc_req *r)
{
    return sc_req_accepts(r, "application/x-npy");
}

void sc_req_count_points(sc_req *r, int meter, uint64_t n)
{
    r->points[meter] += n;
}

void sc_req_count_refusal(sc_req *r, int meter)
{
    r->refused_meter = meter;
}

/* A slot of pool for r, or the 503 of a full pool. */
static int reserve_in(sc_req *r, sc_workers *pool)
{
    if (sc_workers_reserve(pool) == 0) {
        r->reserved = true;
        r->pool = pool;
        return 0;
    }
    sc_problem pb = {0};
    sc_problem_set(&pb, 503, "overloaded",
                   "every compute slot is busy; retry shortly");
    pb.retry_after = 1;
    sc_reply_problem(r, &pb);
    return -1;
}

int sc_req_reserve(sc_req *r, size_t cost)
{
    if (cost <= SC_INLINE_WORK || r->reserved || r->on_worker)
        return 0;
    return reserve_in(r, r->srv->workers);
}

int sc_req_reserve_durable(sc_req *r)
{
    if (r->reserved || r->on_worker)
        return 0;
    return reserve_in(r, r->srv->spenders);
}

void sc_req_run(sc_req *r, sc_work_fn fn, void *arg, void (*free_arg)(void *))
{
    if (!r->reserved || r->on_worker) {
        fn(r, arg);
        if (free_arg != NULL)
            free_arg(arg);
        return;
    }
    r->job = fn;
    r->job_arg = arg;
    r->job_free = free_arg;
}

/* Keeps resp as the answer; replaces nothing already answered. */
static int set_answer(sc_req *r, int status, struct MHD_Response *resp,
                      const char *content_type)
{
    if (resp == NULL) {
        sc_reply_internal(r, "out of memory building the answer");
        return -1;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    if (r->resp != NULL)
        MHD_destroy_response(r->resp);
    r->resp = resp;
    r->status = status;
    return 0;
}

int sc_reply_empty(sc_req *r, int status)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (resp == NULL) {
        sc_reply_internal(r, "out of memory building the answer");
        return -1;
    }
    if (r->resp != NULL)
        MHD_destroy_response(r->resp);
    r->resp = resp;
    r->status = status;
    return 0;
}

int sc_reply_take(sc_req *r, int status, const char *content_type,
                  void *buf, size_t len)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer_with_free_callback(len, buf, free);
    if (resp == NULL)
        free(buf);
    return set_answer(r, status, resp, content_type);
}

static int reply_dump(sc_req *r, int status, const char *content_type,
                      json_t *body)
{
    size_t len = 0;
    char *text = body != NULL ? sc_wire_dump(body, &len) : NULL;
    json_decref(body);
    if (text == NULL) {
        sc_reply_internal(r, "out of memory encoding the answer");
        return -1;
    }
    return sc_reply_take(r, status, content_type, text, len);
}

int sc_reply_json(sc_req *r, int status, json_t *body)
{
    return reply_dump(r, status, "application/json", body);
}

int sc_reply_problem_ext(sc_req *r, const sc_problem *pb, json_t *ext)
{
    json_t *body = sc_problem_json(pb);
    if (body != NULL && ext != NULL)
        json_object_update(body, ext);
    json_decref(ext);
    if (reply_dump(r, pb->status, "application/problem+json", body) != 0)
        return -1;
    if (pb->retry_after != 0) {
        char s[16];
        snprintf(s, sizeof s, "%u", pb->retry_after);
        MHD_add_response_header(r->resp, MHD_HTTP_HEADER_RETRY_AFTER, s);
    }
    if (pb->status == 405 && r->allow[0] != '\0')
        MHD_add_response_header(r->resp, MHD_HTTP_HEADER_ALLOW, r->allow);
    return 0;
}

int sc_reply_problem(sc_req *r, const sc_problem *pb)
{
    return sc_reply_problem_ext(r, pb, NULL);
}

int sc_reply_error(sc_req *r, int status, const char *slug,
                   const char *fmt, ...)
{
    sc_problem pb = {0};
    char detail[sizeof pb.detail];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    sc_problem_set(&pb, status, slug, "%s", detail);
    return sc_reply_problem(r, &pb);
}

/* Formatted by hand on purpose: this is the answer when building one
 * with jansson failed (out of memory), and what is always a fixed
 * literal with nothing to escape. */
void sc_reply_internal(sc_req *r, const char *what)
{
    static const char body[] =
        "{\"type\":\"urn:scoracle:problem:internal\",\"title\":"
        "\"Internal Server Error\",\"status\":500,\"detail\":\"%s\"}";
    char text[512];
    int n = snprintf(text, sizeof text, body, what);
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        (size_t)n, text, MHD_RESPMEM_MUST_COPY);
    if (resp == NULL)
        return;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "application/problem+json");
    if (r->resp != NULL)
        MHD_destroy_response(r->resp);
    r->resp = resp;
    r->status = 500;
}

int sc_reply_array(sc_req *r, const char *field, const double *data,
                   size_t rows, size_t cols, int ndim)
{
    if (sc_req_wants_npy(r)) {
        uint8_t *buf = NULL;
        size_t len = 0;
        if (sc_npy_encode(data, rows, cols, ndim, &buf, &len) != 0) {
            sc_reply_internal(r, "out of memory encoding NPY");
            return -1;
        }
        return sc_reply_take(r, 200, "application/x-npy", buf, len);
    }
    size_t len = 0;
    char *text = sc_wire_array_text(field, data, rows, cols, ndim, &len);
    if (text == NULL) {
        sc_reply_internal(r, "out of memory encoding the answer");
        return -1;
    }
    return sc_reply_take(r, 200, "application/json", text, len);
}

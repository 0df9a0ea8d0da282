/*
 * The answers of reply.h.  An answer becomes an MHD_Response kept in the
 * request; http_server.c queues it.
 */
#include "reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../proto/sc_wire.h"
#include "req_state.h"

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

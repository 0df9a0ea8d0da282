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

/* Numbers per jansson tree while an answer is encoded: a few MB of tree
 * at a time.  One tree of the largest answer (2^24 numbers) and its dump
 * took 1.5 GB; chunk by chunk the answer costs about its text. */
#define CHUNK_NUMBERS 65536u
/* Bytes one number may take as jansson prints it (17 significant
 * digits: "-1.2345678901234567e-308"), with the comma that follows. */
#define NUMBER_TEXT 26

/* Appends the elements of rows [i, i + cnt) as jansson writes them:
 * the chunk's array dump without its brackets. */
static int append_chunk(char **p, const char *end, const double *data,
                        size_t i, size_t cnt, size_t cols, int ndim)
{
    json_t *a = ndim == 2 ? sc_wire_encode_matrix(data + i * cols, cnt, cols)
                          : sc_wire_encode_vector(data + i, cnt);
    size_t len = 0;
    char *text = a != NULL ? sc_wire_dump(a, &len) : NULL;
    json_decref(a);
    /* The buffer is sized for NUMBER_TEXT bytes a number; never write
     * past it, whatever jansson printed. */
    if (text == NULL || len < 2 || len - 1 > (size_t)(end - *p)) {
        free(text);
        return -1;
    }
    if (i > 0)
        *(*p)++ = ',';
    memcpy(*p, text + 1, len - 2);
    *p += len - 2;
    free(text);
    return 0;
}

/* {"<field>":[...]}, encoded by jansson a chunk of rows at a time; field
 * is one of the fixed answer names. */
static char *array_text(const char *field, const double *data, size_t rows,
                        size_t cols, int ndim, size_t *len)
{
    size_t step = CHUNK_NUMBERS / cols > 0 ? CHUNK_NUMBERS / cols : 1;
    size_t cap = strlen(field) + 8 + rows * (cols * NUMBER_TEXT + 3);
    char *buf = malloc(cap), *p = buf;
    if (buf == NULL)
        return NULL;
    const char *end = buf + cap - 3; /* room for "]}" and its NUL */
    p += sprintf(p, "{\"%s\":[", field);
    for (size_t i = 0; i < rows; i += step) {
        size_t cnt = rows - i < step ? rows - i : step;
        if (append_chunk(&p, end, data, i, cnt, cols, ndim) != 0) {
            free(buf);
            return NULL;
        }
    }
    memcpy(p, "]}", 3);
    *len = (size_t)(p + 2 - buf);
    return buf;
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
    char *text = array_text(field, data, rows, ndim == 1 ? 1 : cols, ndim,
                            &len);
    if (text == NULL) {
        sc_reply_internal(r, "out of memory encoding the answer");
        return -1;
    }
    return sc_reply_take(r, 200, "application/json", text, len);
}

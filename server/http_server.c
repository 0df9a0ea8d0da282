/*
 * The HTTP layer on libmicrohttpd (http_server.h): one epoll loop per
 * thread of a pool, suspend/resume for work handed to the compute pool,
 * every limit that MHD's defaults leave open set explicitly.
 *
 * A request's life: the first access-handler call (headers only) creates
 * its sc_req and runs the router's header checks, which may decide the
 * answer at once (404, 405, 401, 415, 413: nothing of the body is kept;
 * a body that follows is read and dropped before the answer goes out,
 * so that the client reads it).  Otherwise the body arrives in pieces
 * appended to a buffer that grows geometrically up to the cap.  The last
 * call (no more data) dispatches to the handler; its answer is queued
 * there, or, for work on the compute pool, after the connection is
 * resumed.  MHD's completion callback logs, counts and frees.
 *
 * The connection guard (conn_guard.h) hears of every connection and of
 * each request's phase, and closes those past their deadlines.
 */
#include "http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "accesslog.h"
#include "conn_guard.h"
#include "metrics.h"
#include "reply.h"
#include "req_state.h"
#include "router.h"
#include "workers.h"

/* Per-connection memory MHD may use for headers and its read buffer.
 * MHD clears the pool between requests, so a larger pool costs every
 * small request (256 KiB: a quarter of the time of a one-point query)
 * to save callbacks on big bodies. */
#define SC_CONN_MEMORY (32u * 1024u)
struct sc_http {
    struct MHD_Daemon *daemon;
    MHD_socket listen_fd;
    sc_server *srv;
    sc_conn_guard *guard;
};

static atomic_int sc_inflight;

static sc_req *req_new(sc_server *srv, struct MHD_Connection *conn,
                       const char *method)
{
    sc_req *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->srv = srv;
    r->conn = conn;
    r->method = method;
    r->route_name = "unmatched";
    r->refused_meter = -1;
    sc_peer_of(srv->cfg, conn, &r->peer);
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    atomic_fetch_add(&sc_inflight, 1);
    return r;
}

static void req_free(sc_req *r)
{
    if (r->reserved)
        sc_workers_unreserve(sc_req_pool(r));
    if (r->resp != NULL)
        MHD_destroy_response(r->resp);
    json_decref(r->json);
    free(r->body);
    free(r);
    atomic_fetch_sub(&sc_inflight, 1);
}

/* Appends a piece of body, growing the buffer geometrically; past the
 * cap the rest is discarded and the request answers 413. */
static void body_append(sc_req *r, const char *data, size_t len)
{
    size_t cap = sc_router_body_cap(r);
    if (r->too_large || len > cap - r->body_len) {
        r->too_large = true;
        return;
    }
    if (r->body_len + len > r->body_cap) {
        size_t want = r->body_cap != 0 ? r->body_cap : 4096;
        while (want < r->body_len + len)
            want = want > cap / 2 ? cap : want * 2;
        uint8_t *nb = realloc(r->body, want);
        if (nb == NULL) {
            r->too_large = true;
            return;
        }
        r->body = nb;
        r->body_cap = want;
    }
    memcpy(r->body + r->body_len, data, len);
    r->body_len += len;
}

/* Sizes the buffer from Content-Length (already checked against the
 * cap by the router), so a body that says its size is never copied to
 * grow; the pages are only touched as the data arrives. */
static void body_reserve(sc_req *r)
{
    const char *cl = MHD_lookup_connection_value(
        r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl == NULL)
        return;
    unsigned long long n = strtoull(cl, NULL, 10);
    if (n == 0 || n > sc_router_body_cap(r))
        return;
    r->body = malloc((size_t)n);
    r->body_cap = r->body != NULL ? (size_t)n : 0;
}

/* True when a body of at most SC_DRAIN_MAX bytes comes after headers
 * answered early, and the client did not ask to wait for 100 Continue
 * (one that did sends no body once it sees the answer). */
static bool body_follows(const sc_req *r)
{
    const char *expect = MHD_lookup_connection_value(
        r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
    if (expect != NULL)
        return false;
    const char *te = MHD_lookup_connection_value(
        r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    if (te != NULL)
        return true;
    const char *cl = MHD_lookup_connection_value(
        r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl == NULL)
        return false;
    char *end;
    unsigned long long n = strtoull(cl, &end, 10);
    return end != cl && *end == '\0' && n > 0 && n <= SC_DRAIN_MAX;
}

/* Counts and logs a request once: when its answer is queued, so a
 * client that reads /metrics or the log after an answer finds it there;
 * or at completion with status 0 when the client left before. */
static void record(sc_req *r, int status)
{
    if (r->recorded)
        return;
    r->recorded = true;
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double ms = (double)(end.tv_sec - r->start.tv_sec) * 1e3 +
                (double)(end.tv_nsec - r->start.tv_nsec) / 1e6;
    sc_metrics_request(r->srv->metrics, r->route_name, r->method, status, ms,
                       r->points, r->refused_meter);
    sc_accesslog_write(r->srv->log, r->method, r->route_name, status, ms,
                       r->points, r->has_player ? r->player.id : NULL);
}

/* CORS: any origin may call the API from a browser.  Credentials are
 * bearer tokens the page sends itself, never cookies, so a wildcard
 * exposes nothing a page could not already read. */
static void add_cors(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
    MHD_add_response_header(resp, "Access-Control-Expose-Headers",
                            "Retry-After, Allow, WWW-Authenticate");
}

static enum MHD_Result queue_answer(sc_req *r)
{
    sc_conn_guard_phase(r->conn, SC_CONN_ANSWER);
    if (r->resp == NULL)
        sc_reply_internal(r, "the handler gave no answer");
    if (r->resp != NULL)
        add_cors(r->resp);
    record(r, r->status);
    return MHD_queue_response(r->conn, (unsigned)r->status, r->resp);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    sc_req *r = *con_cls;
    if (r == NULL) {
        r = req_new(cls, conn, method);
        if (r == NULL)
            return MHD_NO;
        *con_cls = r;
        sc_conn_guard_phase(conn, SC_CONN_BODY);
        sc_router_begin(r, url);
        if (r->resp != NULL && !body_follows(r))
            return queue_answer(r);
        r->draining = r->resp != NULL;
        if (!r->draining)
            body_reserve(r);
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        if (r->draining)
            r->drained += *upload_data_size;
        else
            body_append(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        if (r->draining && r->drained > SC_DRAIN_MAX)
            return queue_answer(r);
        return MHD_YES;
    }
    if (r->resp == NULL && r->job == NULL) {
        sc_conn_guard_phase(conn, SC_CONN_ANSWER);
        sc_router_dispatch(r);
        if (r->job != NULL) {
            MHD_suspend_connection(conn);
            sc_workers_submit(sc_req_pool(r), r);
            return MHD_YES;
        }
    }
    return queue_answer(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)toe;
    /* A kept-alive connection waits for its next request's headers. */
    sc_conn_guard_phase(conn, SC_CONN_HEADERS);
    sc_req *r = *con_cls;
    if (r == NULL)
        return;
    record(r, 0);
    req_free(r);
    *con_cls = NULL;
}

void sc_http_job_run(void *job)
{
    sc_req *r = job;
    r->on_worker = true;
    r->job(r, r->job_arg);
    if (r->job_free != NULL)
        r->job_free(r->job_arg);
    r->job_arg = NULL;
    if (r->resp == NULL)
        sc_reply_internal(r, "the handler gave no answer");
    /* The pool gives the slot back before sc_http_job_done. */
    r->reserved = false;
}

void sc_http_job_done(void *job)
{
    sc_req *r = job;
    MHD_resume_connection(r->conn);
}

static int parse_addr(const sc_config *cfg, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, cfg->host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)cfg->port);
        return AF_INET;
    }
    if (inet_pton(AF_INET6, cfg->host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)cfg->port);
        return AF_INET6;
    }
    return -1;
}

int sc_http_start(sc_server *srv, sc_http **out, char *err, size_t errlen)
{
    const sc_config *cfg = srv->cfg;
    struct sockaddr_storage ss;
    int family = parse_addr(cfg, &ss);
    if (family < 0) {
        snprintf(err, errlen, "--listen: %s is not a numeric IP address",
                 cfg->host);
        return -1;
    }
    sc_http *h = calloc(1, sizeof *h);
    if (h == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    h->srv = srv;
    if (sc_conn_guard_start(cfg, &h->guard) != 0) {
        snprintf(err, errlen, "cannot start the connection guard");
        free(h);
        return -1;
    }
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_TURBO | MHD_USE_ERROR_LOG;
    if (family == AF_INET6)
        flags |= MHD_USE_IPv6;
    h->daemon = MHD_start_daemon(
        flags, (uint16_t)cfg->port, sc_conn_guard_accept, h->guard,
        on_request, srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
        MHD_OPTION_CONNECTION_LIMIT, cfg->conn_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->conn_timeout,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, cfg->backlog,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SC_CONN_MEMORY,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_NOTIFY_CONNECTION, sc_conn_guard_notify, h->guard,
        MHD_OPTION_END);
    if (h->daemon == NULL) {
        snprintf(err, errlen, "cannot listen on %s:%u (address in use, or "
                 "not an address of this host)", cfg->host, cfg->port);
        sc_conn_guard_stop(h->guard);
        free(h);
        return -1;
    }
    h->listen_fd = MHD_INVALID_SOCKET;
    *out = h;
    return 0;
}

unsigned sc_http_port(const sc_http *h)
{
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info != NULL ? info->port : h->srv->cfg->port;
}

void sc_http_drain_stop(sc_http *h, unsigned grace_ms)
{
    h->listen_fd = MHD_quiesce_daemon(h->daemon);
    for (unsigned waited = 0;
         atomic_load(&sc_inflight) > 0 && waited < grace_ms; waited += 10)
        usleep(10 * 1000);
    /* MHD may not stop with a connection suspended: work on the pool
     * always finishes, and its connection resumes, before the stop; kept-
     * alive connections are still served meanwhile, so the pools take no
     * new work first (such a request is a 503). */
    sc_workers_close(h->srv->workers);
    sc_workers_close(h->srv->spenders);
    sc_workers_wait_idle(h->srv->workers);
    sc_workers_wait_idle(h->srv->spenders);
    MHD_stop_daemon(h->daemon);
    sc_conn_guard_stop(h->guard);
    if (h->listen_fd != MHD_INVALID_SOCKET)
        close(h->listen_fd);
    free(h);
}

/*
 * The baselines of bench/http.sh: a bare libmicrohttpd server with the
 * daemon flags scoracled uses.  By default it reads the whole request
 * body and answers a fixed 200 JSON body once the body is complete (the
 * fast way: answering on the first callback is several times slower).
 * With "echo" it answers the body itself, as a bulk server at its best
 * would: the body read into one buffer sized from Content-Length, and
 * answered from that buffer without a copy.
 * Usage: bare_mhd PORT THREADS [echo]; runs until killed.
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char answer[] = "{\"scores\":[[0.0]]}";
static struct MHD_Response *fixed;
static int echo;

typedef struct body {
    char *buf;
    size_t len, cap;
} body;

static body *body_new(struct MHD_Connection *conn)
{
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 "Content-Length");
    body *b = calloc(1, sizeof *b);
    if (b == NULL)
        return NULL;
    b->cap = cl != NULL ? strtoull(cl, NULL, 10) : 0;
    b->buf = malloc(b->cap > 0 ? b->cap : 1);
    if (b->buf == NULL) {
        free(b);
        return NULL;
    }
    return b;
}

static enum MHD_Result echo_request(struct MHD_Connection *conn,
                                    const char *data, size_t *size,
                                    void **con_cls)
{
    body *b = *con_cls;
    if (b == NULL) {
        *con_cls = body_new(conn);
        return *con_cls != NULL ? MHD_YES : MHD_NO;
    }
    if (*size != 0) {
        if (*size > b->cap - b->len)
            return MHD_NO;
        memcpy(b->buf + b->len, data, *size);
        b->len += *size;
        *size = 0;
        return MHD_YES;
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer_with_free_callback(b->len, b->buf,
                                                           free);
    b->buf = NULL;
    MHD_add_response_header(r, "Content-Type", "application/x-npy");
    enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return rc;
}

static void completed(void *cls, struct MHD_Connection *conn,
                      void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    body *b = *con_cls;
    if (echo && b != NULL) {
        free(b->buf);
        free(b);
    }
    *con_cls = NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *data,
                                  size_t *size, void **con_cls)
{
    static int first_call;
    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    if (echo)
        return echo_request(conn, data, size, con_cls);
    if (*con_cls == NULL) {
        *con_cls = &first_call;
        return MHD_YES;
    }
    if (*size != 0) {
        *size = 0;
        return MHD_YES;
    }
    return MHD_queue_response(conn, MHD_HTTP_OK, fixed);
}

int main(int argc, char **argv)
{
    if (argc != 3 && !(argc == 4 && strcmp(argv[3], "echo") == 0)) {
        fputs("usage: bare_mhd PORT THREADS [echo]\n", stderr);
        return 2;
    }
    echo = argc == 4;
    fixed = MHD_create_response_from_buffer(strlen(answer), (void *)answer,
                                            MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(fixed, "Content-Type", "application/json");
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME |
            MHD_USE_TURBO,
        (uint16_t)atoi(argv[1]), NULL, NULL, on_request, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)atoi(argv[2]),
        MHD_OPTION_CONNECTION_LIMIT, 1024u,
        MHD_OPTION_CONNECTION_TIMEOUT, 60u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32u * 1024u,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_END);
    if (d == NULL) {
        fputs("bare_mhd: cannot listen\n", stderr);
        return 1;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    int sig;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    MHD_destroy_response(fixed);
    return 0;
}

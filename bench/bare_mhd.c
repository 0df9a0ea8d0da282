/*
 * The baseline of bench/http.sh: a bare libmicrohttpd server with the
 * daemon flags scoracled uses, that reads the whole request body and
 * answers a fixed 200 JSON body once the body is complete (the fast way:
 * answering on the first callback is several times slower).
 * Usage: bare_mhd PORT THREADS; runs until killed.
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char answer[] = "{\"scores\":[[0.0]]}";
static struct MHD_Response *fixed;

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
    (void)data;
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
    if (argc != 3) {
        fputs("usage: bare_mhd PORT THREADS\n", stderr);
        return 2;
    }
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

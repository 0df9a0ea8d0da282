/*
 * scoracled: builds the server context, serves until SIGTERM or SIGINT,
 * then drains (no new connections, requests in flight finish, the store
 * closes) and exits 0.
 *
 * Signals are blocked in every thread and taken by sigwait in main, so
 * no handler runs inside MHD or SQLite.
 */
#include <cblas.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "cache.h"
#include "accesslog.h"
#include "auth.h"
#include "config.h"
#include "handlers.h"
#include "http_server.h"
#include "keys.h"
#include "metrics.h"
#include "ratelimit.h"
#include "workers.h"
#include "server.h"
#include "state_open.h"
#include "static.h"
#include "usage.h"
#include "xalloc.h"

/* Milliseconds requests in flight get to finish after SIGTERM. */
#define DRAIN_GRACE_MS 30000u

/* proto/openapi.yaml: $SCORACLE_OPENAPI, else next to the binary's
 * folder (build/scoracled -> proto/openapi.yaml), else the working
 * directory's. */
static void load_openapi(sc_server *srv)
{
    char exe[PATH_MAX], path[PATH_MAX + 32];
    const char *env = getenv("SCORACLE_OPENAPI");
    const char *candidates[3] = {env, NULL, "proto/openapi.yaml"};
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL)
            *slash = '\0';
        snprintf(path, sizeof path, "%s/../proto/openapi.yaml", exe);
        candidates[1] = path;
    }
    for (int i = 0; i < 3 && srv->openapi == NULL; i++) {
        FILE *f = candidates[i] != NULL ? fopen(candidates[i], "rb") : NULL;
        if (f == NULL)
            continue;
        char *buf = NULL;
        size_t cap = 0, len = 0, got;
        do {
            buf = sc_xrealloc(buf, cap = cap * 2 + 65536);
            got = fread(buf + len, 1, cap - len, f);
            len += got;
        } while (len == cap);
        fclose(f);
        srv->openapi = buf;
        srv->openapi_len = len;
    }
}

/* The web arena: --web, else $SCORACLE_WEB, else web/ beside the binary
 * (build/scoracled -> build/web).  A missing tree serves nothing. */
static int load_web(sc_server *srv)
{
    char exe[PATH_MAX], path[PATH_MAX + 8];
    const char *dir = srv->cfg->web_dir;
    if (dir == NULL)
        dir = getenv("SCORACLE_WEB");
    ssize_t n = dir == NULL ? readlink("/proc/self/exe", exe, sizeof exe - 1)
                            : -1;
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL)
            *slash = '\0';
        snprintf(path, sizeof path, "%s/web", exe);
        dir = path;
    }
    srv->web = sc_static_load(dir);
    return srv->web != NULL ? 0 : -1;
}

/* Creates or updates the admin player for the configured token. */
static int ensure_admin(sc_server *srv)
{
    uint8_t hash[32];
    sc_player admin;
    sc_keys_token_hash(srv->keys, sc_keys_admin_token(srv->keys), hash);
    int rc = sc_store_player_upsert(srv->store, "admin", SC_ROLE_ADMIN, hash,
                                    &admin);
    sodium_memzero(hash, sizeof hash);
    return rc == SC_STORE_OK ? 0 : -1;
}

static int open_parts(sc_server *srv)
{
    char err[512];
    const char *dir = srv->cfg->state_dir;
    const char *where = srv->cfg->store ? srv->cfg->store : dir;
    if (sc_state_open_with(dir, where, srv->cfg->master_key, &srv->keys,
                           &srv->store, err, sizeof err) != 0) {
        fprintf(stderr, "scoracled: %s\n", err);
        return -1;
    }
    if (ensure_admin(srv) != 0) {
        fputs("scoracled: cannot record the admin player\n", stderr);
        return -1;
    }
    srv->cache = sc_cache_new(srv->cfg->cache_entries);
    srv->metrics = sc_metrics_new();
    srv->log = sc_accesslog_open(srv->cfg->log_path);
    if (srv->cache == NULL || srv->metrics == NULL || srv->log == NULL ||
        sc_auth_start(srv) != 0 || sc_usage_start(srv) != 0 ||
        sc_ratelimit_new(srv->cfg, &srv->rates) != 0 ||
        sc_workers_start(srv->cfg->workers, srv->cfg->queue,
                         sc_http_job_run, sc_http_job_done,
                         &srv->workers) != 0 ||
        sc_workers_start(SC_SPEND_THREADS, SC_SPEND_QUEUE, sc_http_job_run,
                         sc_http_job_done, &srv->spenders) != 0) {
        fprintf(stderr, "scoracled: cannot set up (log %s)\n",
                srv->cfg->log_path);
        return -1;
    }
    load_openapi(srv);
    if (load_web(srv) != 0) {
        fputs("scoracled: out of memory loading the web tree\n", stderr);
        return -1;
    }
    if (sc_hooks_table.init != NULL && sc_hooks_table.init(srv) != 0)
        return -1;
    return 0;
}

static void close_parts(sc_server *srv)
{
    sc_workers_stop(srv->workers);
    srv->workers = NULL;
    sc_workers_stop(srv->spenders);
    srv->spenders = NULL;
    if (sc_hooks_table.fini != NULL)
        sc_hooks_table.fini(srv);
    sc_usage_stop(srv);
    sc_auth_stop(srv);
    sc_ratelimit_free(srv->rates);
    if (srv->store != NULL)
        sc_store_close(srv->store);
    sc_cache_free(srv->cache);
    sc_metrics_free(srv->metrics);
    sc_accesslog_close(srv->log);
    sc_keys_free(srv->keys);
    free(srv->openapi);
    sc_static_free(srv->web);
}

static void announce(const sc_server *srv, const sc_http *h)
{
    const sc_config *cfg = srv->cfg;
    bool v6 = strchr(cfg->host, ':') != NULL;
    printf("scoracled listening on http://%s%s%s:%u\n", v6 ? "[" : "",
           cfg->host, v6 ? "]" : "", sc_http_port(h));
    if (sc_keys_admin_token_created(srv->keys))
        printf("admin token: %s (saved in %s/admin.token)\n",
               sc_keys_admin_token(srv->keys), cfg->state_dir);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    sc_config cfg;
    int rc = sc_config_parse(&cfg, argc, argv);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    /* Requests run in parallel on the thread pools; BLAS must not add
     * threads of its own under each of them. */
    openblas_set_num_threads(1);
    /* Batch buffers (bodies, points, answers) up to 32 MiB, glibc's
     * largest threshold, come from the heap and go back to it, instead of
     * a fresh mmap per request whose every page faults in again: a
     * 4096 x 256 batch answers three times faster. */
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    if (sodium_init() < 0) {
        fputs("scoracled: libsodium failed to initialise\n", stderr);
        return 1;
    }
    /* The out-of-memory policy of xalloc.h, for every JSON value too. */
    json_set_alloc_funcs(sc_xmalloc, free);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    sc_server srv = {.cfg = &cfg};
    sc_http *http = NULL;
    char err[256];
    rc = open_parts(&srv);
    if (rc == 0 && sc_http_start(&srv, &http, err, sizeof err) != 0) {
        fprintf(stderr, "scoracled: %s\n", err);
        rc = -1;
    }
    if (rc == 0) {
        announce(&srv, http);
        int sig;
        sigwait(&stop, &sig);
        sc_http_drain_stop(http, DRAIN_GRACE_MS);
    }
    close_parts(&srv);
    return rc == 0 ? 0 : 1;
}

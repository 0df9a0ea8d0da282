/* Deadlines and network limits for connections; see conn_guard.h. */
#include "conn_guard.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* How often the sweep looks for late connections. */
#define SWEEP_MS 250
/* Deadlines while connections run short, in milliseconds. */
#define BUSY_HEADER_MS 2000
#define BUSY_BODY_MS 10000

/* The network an address belongs to: IPv4 /24 (also when mapped into
 * IPv6), IPv6 /64. */
typedef struct net_key {
    uint8_t bytes[8];
    uint8_t len;
} net_key;

typedef struct conn_entry {
    struct conn_entry *prev, *next;
    sc_conn_guard *guard;
    int fd;
    net_key net;
    /* Written by the connection's MHD thread without the lock (since
     * first, then phase, so a sweep that sees a new phase sees its
     * start); read by the sweep. */
    _Atomic int phase;
    _Atomic int64_t since_ms; /* when the phase began */
    bool shut;
} conn_entry;

struct sc_conn_guard {
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_t sweeper;
    bool stopping;
    conn_entry *head;
    unsigned live;
    bool busy; /* connections run short: the short deadlines apply */
    unsigned conn_limit, per_net;
    int64_t header_ms, body_ms;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool net_of(const struct sockaddr *sa, net_key *k)
{
    memset(k, 0, sizeof *k);
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)sa;
        memcpy(k->bytes, &a->sin_addr, 3);
        k->len = 3;
        return true;
    }
    if (sa->sa_family != AF_INET6)
        return false;
    const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;
    if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) {
        memcpy(k->bytes, a->sin6_addr.s6_addr + 12, 3);
        k->len = 3;
    } else {
        memcpy(k->bytes, a->sin6_addr.s6_addr, 8);
        k->len = 8;
    }
    return true;
}

static bool net_eq(const net_key *a, const net_key *b)
{
    return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

enum MHD_Result sc_conn_guard_accept(void *cls, const struct sockaddr *addr,
                                     socklen_t addrlen)
{
    sc_conn_guard *g = cls;
    net_key k;
    if (addrlen == 0 || !net_of(addr, &k))
        return MHD_YES;
    unsigned same = 0;
    pthread_mutex_lock(&g->mu);
    for (const conn_entry *e = g->head; e != NULL; e = e->next)
        same += net_eq(&e->net, &k);
    pthread_mutex_unlock(&g->mu);
    return same < g->per_net ? MHD_YES : MHD_NO;
}

static void entry_add(sc_conn_guard *g, struct MHD_Connection *conn,
                      conn_entry *e)
{
    const union MHD_ConnectionInfo *fd =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    const union MHD_ConnectionInfo *ad =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    e->guard = g;
    e->fd = fd != NULL ? fd->connect_fd : -1;
    if (ad == NULL || !net_of(ad->client_addr, &e->net))
        memset(&e->net, 0, sizeof e->net);
    atomic_init(&e->since_ms, now_ms());
    atomic_init(&e->phase, SC_CONN_HEADERS);
    pthread_mutex_lock(&g->mu);
    e->next = g->head;
    if (g->head != NULL)
        g->head->prev = e;
    g->head = e;
    g->live++;
    pthread_mutex_unlock(&g->mu);
}

/* MHD calls this before it closes the socket, so the sweep never shuts
 * an fd that a new connection reuses. */
static void entry_remove(sc_conn_guard *g, conn_entry *e)
{
    pthread_mutex_lock(&g->mu);
    if (e->prev != NULL)
        e->prev->next = e->next;
    else
        g->head = e->next;
    if (e->next != NULL)
        e->next->prev = e->prev;
    g->live--;
    pthread_mutex_unlock(&g->mu);
    free(e);
}

void sc_conn_guard_notify(void *cls, struct MHD_Connection *conn,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    sc_conn_guard *g = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        conn_entry *e = calloc(1, sizeof *e);
        if (e != NULL)
            entry_add(g, conn, e);
        *socket_context = e;
    } else if (*socket_context != NULL) {
        entry_remove(g, *socket_context);
        *socket_context = NULL;
    }
}

void sc_conn_guard_phase(struct MHD_Connection *conn, sc_conn_phase phase)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn_entry *e = info != NULL ? info->socket_context : NULL;
    if (e == NULL)
        return;
    atomic_store_explicit(&e->since_ms, now_ms(), memory_order_relaxed);
    atomic_store_explicit(&e->phase, phase, memory_order_release);
}

/* The deadline of a phase in ms, -1 for none. */
static int64_t deadline_ms(const sc_conn_guard *g, int phase, bool busy)
{
    if (phase == SC_CONN_HEADERS)
        return busy && BUSY_HEADER_MS < g->header_ms ? BUSY_HEADER_MS
                                                     : g->header_ms;
    if (phase == SC_CONN_BODY)
        return busy && BUSY_BODY_MS < g->body_ms ? BUSY_BODY_MS
                                                 : g->body_ms;
    return -1;
}

/* Closes every connection past its deadline; the caller holds mu. */
static void sweep(sc_conn_guard *g)
{
    /* Short from three quarters of the limit until below half, so a
     * flood that is cut back leaves room rather than hovering. */
    uint64_t live = g->live, cap = g->conn_limit;
    if (live * 4 >= cap * 3)
        g->busy = true;
    else if (live * 2 < cap)
        g->busy = false;
    bool busy = g->busy;
    int64_t t = now_ms();
    for (conn_entry *e = g->head; e != NULL; e = e->next) {
        int phase = atomic_load_explicit(&e->phase, memory_order_acquire);
        int64_t since =
            atomic_load_explicit(&e->since_ms, memory_order_relaxed);
        int64_t limit = deadline_ms(g, phase, busy);
        if (e->shut || e->fd < 0 || limit < 0 || t - since < limit)
            continue;
        shutdown(e->fd, SHUT_RDWR);
        e->shut = true;
    }
}

static void *sweeper_main(void *arg)
{
    sc_conn_guard *g = arg;
    pthread_mutex_lock(&g->mu);
    while (!g->stopping) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += SWEEP_MS * 1000000L;
        ts.tv_sec += ts.tv_nsec / 1000000000L;
        ts.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&g->wake, &g->mu, &ts);
        if (!g->stopping)
            sweep(g);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

int sc_conn_guard_start(const sc_config *cfg, sc_conn_guard **out)
{
    sc_conn_guard *g = calloc(1, sizeof *g);
    if (g == NULL)
        return -1;
    g->conn_limit = cfg->conn_limit;
    g->per_net = cfg->per_net_limit;
    g->header_ms = (int64_t)cfg->header_timeout * 1000;
    g->body_ms = (int64_t)cfg->body_timeout * 1000;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&g->mu, NULL);
    if (pthread_create(&g->sweeper, NULL, sweeper_main, g) != 0) {
        pthread_cond_destroy(&g->wake);
        pthread_mutex_destroy(&g->mu);
        free(g);
        return -1;
    }
    *out = g;
    return 0;
}

void sc_conn_guard_stop(sc_conn_guard *g)
{
    if (g == NULL)
        return;
    pthread_mutex_lock(&g->mu);
    g->stopping = true;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->sweeper, NULL);
    while (g->head != NULL)
        entry_remove(g, g->head);
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

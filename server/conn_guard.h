/*
 * Slow clients (conn_guard.c): what libmicrohttpd's idle timeout leaves
 * open.  MHD restarts its --timeout at every byte, so a client sending a
 * header byte every few seconds holds its connection for ever; the guard
 * gives each request a total deadline for its headers (--header-timeout,
 * counted from the connection's start or the end of the previous
 * request) and for its body (--body-timeout, from the end of the
 * headers), and closes connections past it.
 *
 * When connections run short (from three quarters of --conn-limit in
 * use until fewer than half are) the deadlines shrink to a few seconds,
 * so connections that trickle their request, and idle keep-alives, give
 * way to small queries, which send theirs at once.  Addresses of one
 * network (IPv4 /24, IPv6 /64) share --per-net-limit connections,
 * beside MHD's --per-ip-limit.
 *
 * The guard learns of connections from MHD's accept-policy and
 * notify-connection callbacks; a request moves it on with
 * sc_conn_guard_phase.  A sweep thread closes late connections with
 * shutdown(2), which MHD sees as the client leaving.
 *
 * Error convention: 0 or -1.
 */
#ifndef SC_CONN_GUARD_H
#define SC_CONN_GUARD_H

#include <microhttpd.h>

#include "config.h"

typedef struct sc_conn_guard sc_conn_guard;

typedef enum sc_conn_phase {
    SC_CONN_HEADERS, /* waiting for a request's headers */
    SC_CONN_BODY,    /* headers read, body arriving */
    SC_CONN_ANSWER,  /* the request is complete: no deadline here */
} sc_conn_phase;

int sc_conn_guard_start(const sc_config *cfg, sc_conn_guard **out);
/* Stops the sweep; call after MHD stopped (NULL does nothing). */
void sc_conn_guard_stop(sc_conn_guard *g);

/* MHD_AcceptPolicyCallback (cls = the guard). */
enum MHD_Result sc_conn_guard_accept(void *cls, const struct sockaddr *addr,
                                     socklen_t addrlen);
/* MHD_NotifyConnectionCallback (cls = the guard). */
void sc_conn_guard_notify(void *cls, struct MHD_Connection *conn,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode code);
/* The request on conn entered phase (restarts its deadline). */
void sc_conn_guard_phase(struct MHD_Connection *conn, sc_conn_phase phase);

#endif

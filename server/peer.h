/*
 * The client address a request counts against (peer.c): the socket's
 * peer, or, when that is the --trusted-proxy, the last address of the
 * X-Forwarded-For the proxy appended.  IPv6 clients count per /64 (one
 * host's usual allocation); IPv4-mapped addresses as IPv4.
 */
#ifndef SC_PEER_H
#define SC_PEER_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"

typedef struct sc_peer {
    uint8_t bytes[16]; /* the address, or its /64 */
    uint8_t len;       /* 4, 8, or 0 when unknown */
} sc_peer;

/* Fills out for conn; an unknown address gives len 0 (one shared key). */
void sc_peer_of(const sc_config *cfg, struct MHD_Connection *conn,
                sc_peer *out);
/* The key of a numeric address text; false when it is not one. */
bool sc_peer_parse(const char *text, sc_peer *out);
/* The key of the last address of an X-Forwarded-For value (the one the
 * trusted proxy appended); false when that is not a numeric address. */
bool sc_peer_forwarded(const char *xff, sc_peer *out);

#endif

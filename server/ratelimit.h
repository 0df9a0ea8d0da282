/*
 * Rate limits per client address (ratelimit.c): a token bucket per
 * address and class, holding N tokens and refilled at N a minute
 * (--rate-register, --rate-join, --rate-auth; 0 turns a class off).
 * Registration and joins take a token per attempt; failed
 * authentications take one per failure, and an address with none left
 * is refused before its token is even looked at.
 *
 * Addresses live in a fixed table (SC_RATE_SLOTS, keyed by a keyed
 * hash so no client can aim collisions); when it is full the address
 * seen longest ago gives way, which can only forget a limit, never
 * refuse a stranger.  Striped locks keep the authenticated path free of
 * a global lock.
 *
 * Error convention: 0 allowed, -1 refused (a 429 was answered).
 */
#ifndef SC_RATELIMIT_H
#define SC_RATELIMIT_H

#include "config.h"
#include "peer.h"

typedef struct sc_req sc_req;
typedef struct sc_ratelimit sc_ratelimit;

typedef enum sc_rate_class {
    SC_RATE_REGISTER,
    SC_RATE_JOIN,
    SC_RATE_AUTH,
    SC_RATE_CLASSES
} sc_rate_class;

int sc_ratelimit_new(const sc_config *cfg, sc_ratelimit **out);
void sc_ratelimit_free(sc_ratelimit *rl);

/* Takes a token of class c for who: 0 when one was there, else the
 * seconds until one will be (nothing taken). */
unsigned sc_ratelimit_take(sc_ratelimit *rl, sc_rate_class c,
                           const sc_peer *who);
/* The seconds until who has a token of c (0: now); takes nothing. */
unsigned sc_ratelimit_wait(sc_ratelimit *rl, sc_rate_class c,
                           const sc_peer *who);

/* A request's attempt of class c: 0 to go on, or -1 with 429
 * rate-limited and Retry-After answered. */
int sc_req_rate_take(sc_req *r, sc_rate_class c);
/* 0 when r's address may still try (takes nothing), else -1 with the
 * 429 answered. */
int sc_req_rate_check(sc_req *r, sc_rate_class c);

#endif

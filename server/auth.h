/*
 * Bearer tokens (decisions.md): a token is looked up by its keyed
 * BLAKE2b hash; the store compares the stored hash in constant time.
 */
#ifndef SC_AUTH_H
#define SC_AUTH_H

#include "server.h"

/* The player holding the token of an Authorization header value
 * ("Bearer <token>"); 0, or -1 when malformed or unknown. */
int sc_auth_player(sc_server *srv, const char *authorization, sc_player *out);

#endif

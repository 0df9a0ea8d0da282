/*
 * Bearer tokens (decisions.md): a token is looked up by its keyed
 * BLAKE2b hash, and the stored hash compared in constant time.
 */
#ifndef SC_AUTH_H
#define SC_AUTH_H

#include <stddef.h>

#include "server.h"

/* The player holding the token of an "Authorization: Bearer ..." value;
 * 0, or -1 when the header is malformed or the token unknown. */
int sc_auth_player(sc_server *srv, const char *authorization, sc_player *out);
/* A new token (43 characters + NUL) and its hash for the store. */
void sc_auth_new_token(sc_server *srv, char token[44], uint8_t hash[32]);

#endif

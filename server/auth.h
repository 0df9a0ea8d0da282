/*
 * Bearer tokens: a token is looked up by its keyed BLAKE2b hash; the
 * store compares the stored hash in constant time.
 * Found players are kept in a fixed table by token hash (a player's id,
 * name and role never change), so most requests authenticate without a
 * store read; a cached hash is compared in constant time too.
 *
 * Decision: random tokens, hashed with a fast keyed hash.  A token is 32
 * random bytes, so unlike a password it needs no slow hash to resist
 * guessing; keying the hash with a key derived from the master key
 * (keys.h) means a stolen database cannot even confirm a guessed token
 * offline.  Tokens are shown once and never stored.
 */
#ifndef SC_AUTH_H
#define SC_AUTH_H

#include "server.h"

int sc_auth_start(sc_server *srv);
void sc_auth_stop(sc_server *srv);

/* The player holding the token of an Authorization header value
 * ("Bearer <token>"): 0; -1 when malformed or unknown; -2 when the
 * store failed. */
int sc_auth_player(sc_server *srv, const char *authorization, sc_player *out);

#endif

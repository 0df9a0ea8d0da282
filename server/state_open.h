/*
 * The state folder at start: the store opened and checked, the master key
 * loaded only when it belongs to the store, so a lost or wrong key is
 * refused with a sentence saying what to restore instead of being
 * replaced (issue 11).
 *
 * Error convention: 0 or -1 with a sentence in err; on failure nothing
 * is left open and nothing was written to the key file.
 * Ownership: the caller frees *keys with sc_keys_free and closes *store.
 */
#ifndef SC_STATE_OPEN_H
#define SC_STATE_OPEN_H

#include <stddef.h>

#include "server/keys.h"
#include "server/store.h"

int sc_state_open(const char *dir, sc_keys **keys, sc_store **store,
                  char *err, size_t errlen);
/* The same with the store at where (sc_store_open's argument) and, when
 * master_key is not NULL, the key read from that file (which must
 * exist): how replicas share one database and one key. */
int sc_state_open_with(const char *dir, const char *where,
                       const char *master_key, sc_keys **keys,
                       sc_store **store, char *err, size_t errlen);

#endif

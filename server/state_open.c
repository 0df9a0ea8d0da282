/* Opening the state folder: store first, then a key that matches it. */
#include "server/state_open.h"

#include <stdbool.h>
#include <stdio.h>

#include <sodium.h>

/* A store that holds data never gets a new key: every secret and token
 * hash in it was derived from the old one. */
static int key_missing_ok(const char *dir, sc_store *st, char *err,
                          size_t errlen)
{
    bool data = true;

    if (sc_keys_present(dir))
        return 0;
    if (sc_store_holds_data(st, &data) != SC_STORE_OK) {
        snprintf(err, errlen, "cannot read the store (see the log above)");
        return -1;
    }
    if (!data)
        return 0; /* a fresh install: sc_keys_load makes the key */
    snprintf(err, errlen,
             "%s/master.key is missing but the store holds data: restore "
             "master.key from your backup (the 32-byte file kept with "
             "this store, deploy/README.md) and start again; a new key "
             "would orphan every secret and token, so none was made",
             dir);
    return -1;
}

static int key_matches(const char *dir, const sc_keys *k, sc_store *st,
                       char *err, size_t errlen)
{
    uint8_t fp[32];
    bool match = false;
    int rc;

    sc_keys_fingerprint(k, fp);
    rc = sc_store_key_fingerprint(st, fp, &match);
    sodium_memzero(fp, sizeof fp);
    if (rc != SC_STORE_OK) {
        snprintf(err, errlen,
                 "cannot check the key fingerprint (see the log above)");
        return -1;
    }
    if (match)
        return 0;
    snprintf(err, errlen,
             "%s/master.key is not the key this store was made with (its "
             "fingerprint differs from the one the store recorded): "
             "restore the master.key kept with this store "
             "(deploy/README.md) and start again; nothing was changed",
             dir);
    return -1;
}

int sc_state_open(const char *dir, sc_keys **keys, sc_store **store,
                  char *err, size_t errlen)
{
    sc_store *st = NULL;
    sc_keys *k = NULL;

    *keys = NULL;
    *store = NULL;
    if (sc_store_open(dir, &st, err, errlen) != SC_STORE_OK)
        return -1;
    if (key_missing_ok(dir, st, err, errlen) != 0 ||
        sc_keys_load(dir, &k, err, errlen) != 0 ||
        key_matches(dir, k, st, err, errlen) != 0) {
        sc_keys_free(k);
        sc_store_close(st);
        return -1;
    }
    *keys = k;
    *store = st;
    return 0;
}

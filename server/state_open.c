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

/* name: how the key is shown, "DIR/master.key" or --master-key's. */
static int key_matches(const char *name, const sc_keys *k, sc_store *st,
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
             "%s is not the key this store was made with (its "
             "fingerprint differs from the one the store recorded): "
             "restore the master.key kept with this store "
             "(deploy/README.md; replicas share one key) and start again; "
             "nothing was changed",
             name);
    return -1;
}

int sc_state_open(const char *dir, sc_keys **keys, sc_store **store,
                  char *err, size_t errlen)
{
    return sc_state_open_with(dir, dir, NULL, keys, store, err, errlen);
}

int sc_state_open_with(const char *dir, const char *where,
                       const char *master_key, sc_keys **keys,
                       sc_store **store, char *err, size_t errlen)
{
    sc_store *st = NULL;
    sc_keys *k = NULL;
    char name[4096];

    *keys = NULL;
    *store = NULL;
    snprintf(name, sizeof name, "%s%s", master_key ? master_key : dir,
             master_key ? "" : "/master.key");
    if (sc_store_open(where, &st, err, errlen) != SC_STORE_OK)
        return -1;
    /* A named key (--master-key) is never made: loading it fails when it
     * is missing. */
    if ((!master_key && key_missing_ok(dir, st, err, errlen) != 0) ||
        sc_keys_load_with(dir, master_key, &k, err, errlen) != 0 ||
        key_matches(name, k, st, err, errlen) != 0) {
        sc_keys_free(k);
        sc_store_close(st);
        return -1;
    }
    *keys = k;
    *store = st;
    return 0;
}

/*
 * What a start checks, on PostgreSQL (store.h, state_open.c): whether the
 * database holds data, and the master key's fingerprint, recorded by the
 * first server and compared by every later one, so a replica started
 * with another key is refused before it serves anything.
 */
#include <string.h>

#include <sodium.h>

#include "server/store_pg.h"

static const char holds_data_sql[] =
    "SELECT EXISTS (SELECT 1 FROM players)"
    " OR EXISTS (SELECT 1 FROM instances)"
    " OR EXISTS (SELECT 1 FROM store_meta)";

/* Of two replicas racing, one inserts; the other waits for its commit
 * and inserts nothing. */
static const char fp_record_sql[] =
    "INSERT INTO store_meta (name, value) VALUES ('key_fingerprint', $1)"
    " ON CONFLICT (name) DO NOTHING";

static const char fp_read_sql[] =
    "SELECT value FROM store_meta WHERE name = 'key_fingerprint'";

static int holds_data_op(sc_pg_conn *c, void *arg)
{
    PGresult *res;
    int rc = sc_pg_exec(c, holds_data_sql, NULL, &res, "looking for data");

    if (rc != SC_STORE_OK)
        return rc;
    if (PQntuples(res) == 1)
        *(bool *)arg = sc_pg_get_bool(res, 0, 0);
    else
        rc = SC_STORE_IO;
    PQclear(res);
    return rc;
}

int sc_pg_holds_data(sc_store *st, bool *yes)
{
    return sc_pg_with(st, holds_data_op, yes);
}

typedef struct fp_args {
    const uint8_t *fp;
    bool *match;
} fp_args;

static int fingerprint_op(sc_pg_conn *c, void *arg)
{
    fp_args *a = arg;
    sc_pg_params p = {0};
    uint8_t stored[32];
    PGresult *res;
    int rc;

    sc_pg_blob(&p, a->fp, 32);
    rc = sc_pg_run(c, fp_record_sql, &p, NULL,
                   "recording the key fingerprint");
    if (rc != SC_STORE_OK)
        return rc;
    rc = sc_pg_exec(c, fp_read_sql, NULL, &res,
                    "reading the key fingerprint");
    if (rc != SC_STORE_OK)
        return rc;
    *a->match = PQntuples(res) == 1 &&
                sc_pg_get_blob(res, 0, 0, stored, 32) == 0 &&
                sodium_memcmp(stored, a->fp, 32) == 0;
    PQclear(res);
    return SC_STORE_OK;
}

int sc_pg_key_fingerprint(sc_store *st, const uint8_t fp[32], bool *match)
{
    fp_args a = {fp, match};

    *match = false;
    return sc_pg_with(st, fingerprint_op, &a);
}

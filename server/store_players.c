/* Players in the SQLite store. */
#include <string.h>

#include <sodium.h>

#include "server/keys.h"
#include "server/store_sqlite.h"

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

static const char create_sql[] =
    "INSERT INTO players (id, name, role, token_hash, created_at)"
    " VALUES (?1, ?2, ?3, ?4, " NOW ") RETURNING id, created_at";

static const char upsert_sql[] =
    "INSERT INTO players (id, name, role, token_hash, created_at)"
    " VALUES (?1, ?2, ?3, ?4, " NOW ")"
    " ON CONFLICT (name, role) DO UPDATE SET token_hash = excluded.token_hash"
    " RETURNING id, created_at";

static const char by_token_sql[] =
    "SELECT id, name, role, created_at, token_hash FROM players"
    " WHERE token_hash = ?1";

static const char by_id_sql[] =
    "SELECT id, name, role, created_at, token_hash FROM players"
    " WHERE id = ?1";

typedef struct write_args {
    const char *sql; /* RETURNING id, created_at */
    const char *name;
    sc_role role;
    const uint8_t *token_hash;
    sc_player *out;
} write_args;

static int player_write_op(sc_store_conn *c, void *arg)
{
    write_args *a = arg;
    sqlite3_stmt *s = sc_store_stmt(c, a->sql);
    char id[SC_ID_LEN];
    int step;

    if (!s)
        return SC_STORE_IO;
    sc_keys_new_id(id, "pl_");
    sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, a->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, sc_role_name(a->role), -1, SQLITE_STATIC);
    sqlite3_bind_blob(s, 4, a->token_hash, 32, SQLITE_STATIC);
    step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        memset(a->out, 0, sizeof *a->out);
        sc_store_column_text(s, 0, a->out->id, sizeof a->out->id);
        sc_store_column_text(s, 1, a->out->created_at,
                             sizeof a->out->created_at);
        snprintf(a->out->name, sizeof a->out->name, "%s", a->name);
        a->out->role = a->role;
    }
    return sc_store_done(c, s, step, "writing a player");
}

static int player_write(sc_store *st, const char *sql, const char *name,
                        sc_role role, const uint8_t token_hash[32],
                        sc_player *out)
{
    write_args a = {sql, name, role, token_hash, out};

    if ((size_t)role >= SC_NROLES || strlen(name) >= sizeof out->name)
        return SC_STORE_CONFLICT;
    return sc_store_grouped(st, player_write_op, &a);
}

int sc_sqlite_player_create(sc_store *st, const char *name, sc_role role,
                            const uint8_t token_hash[32], sc_player *out)
{
    return player_write(st, create_sql, name, role, token_hash, out);
}

int sc_sqlite_player_upsert(sc_store *st, const char *name, sc_role role,
                            const uint8_t token_hash[32], sc_player *out)
{
    return player_write(st, upsert_sql, name, role, token_hash, out);
}

/* One player row by sql and its single parameter; when want_hash is
 * given the stored hash must equal it (compared in constant time). */
static int player_read(sc_store *st, const char *sql, const void *key,
                       int keylen, const uint8_t *want_hash, sc_player *out)
{
    sc_store_conn *c = sc_store_acquire(st, false);
    sqlite3_stmt *s;
    char role[16];
    int rc = SC_STORE_NOTFOUND, step;

    if (!c)
        return SC_STORE_IO;
    s = sc_store_stmt(c, sql);
    if (!s) {
        sc_store_release(st, c);
        return SC_STORE_IO;
    }
    if (keylen < 0)
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    else
        sqlite3_bind_blob(s, 1, key, keylen, SQLITE_STATIC);
    step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        const void *hash = sqlite3_column_blob(s, 4);
        memset(out, 0, sizeof *out);
        sc_store_column_text(s, 0, out->id, sizeof out->id);
        sc_store_column_text(s, 1, out->name, sizeof out->name);
        sc_store_column_text(s, 2, role, sizeof role);
        sc_store_column_text(s, 3, out->created_at, sizeof out->created_at);
        rc = sc_role_parse(role, &out->role) == 0 ? SC_STORE_OK
                                                   : SC_STORE_IO;
        if (want_hash && (sqlite3_column_bytes(s, 4) != 32 || !hash ||
                          sodium_memcmp(hash, want_hash, 32) != 0))
            rc = SC_STORE_NOTFOUND;
    } else if (step != SQLITE_DONE) {
        rc = sc_store_fail(c, "reading a player");
    }
    sc_store_release(st, c);
    return rc;
}

int sc_sqlite_player_by_token(sc_store *st, const uint8_t token_hash[32],
                              sc_player *out)
{
    return player_read(st, by_token_sql, token_hash, 32, token_hash, out);
}

int sc_sqlite_player_get(sc_store *st, const char *id, sc_player *out)
{
    return player_read(st, by_id_sql, id, -1, NULL, out);
}

/* Seasons in the SQLite store.  See store_games.h; the table is
 * migration 4 of store_schema.c. */
#include <stdlib.h>
#include <string.h>

#include "server/store_games.h"
#include "server/store_sqlite.h"

#define SEASON_COLS                                                         \
    "id, name, presets, attempt_limit, starts_at, ends_at, manifest,"       \
    " created_at"

static const char insert_season_sql[] =
    "INSERT INTO seasons (" SEASON_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
    " ?7, ?8)";

static const char get_season_sql[] =
    "SELECT " SEASON_COLS " FROM seasons WHERE id = ?1";

static const char list_seasons_sql[] =
    "SELECT " SEASON_COLS " FROM seasons ORDER BY created_at DESC, id";

static char *dup_column(sqlite3_stmt *s, int col)
{
    const unsigned char *v = sqlite3_column_text(s, col);
    return v != NULL ? strdup((const char *)v) : NULL;
}

void sc_season_row_free(sc_season_row *s)
{
    free(s->presets);
    free(s->manifest);
    s->presets = s->manifest = NULL;
}

void sc_season_list_free(sc_season_row *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sc_season_row_free(&s[i]);
    free(s);
}

static void read_season(sqlite3_stmt *s, sc_season_row *out)
{
    memset(out, 0, sizeof *out);
    sc_store_column_text(s, 0, out->id, sizeof out->id);
    sc_store_column_text(s, 1, out->name, sizeof out->name);
    out->presets = dup_column(s, 2);
    out->attempt_limit = (unsigned)sqlite3_column_int64(s, 3);
    sc_store_column_text(s, 4, out->starts_at, sizeof out->starts_at);
    sc_store_column_text(s, 5, out->ends_at, sizeof out->ends_at);
    out->manifest = dup_column(s, 6);
    sc_store_column_text(s, 7, out->created_at, sizeof out->created_at);
}

int sc_sqlite_season_insert(sc_store *st, const sc_season_row *r)
{
    sc_store_conn *c = sc_store_acquire(st, true);
    if (c == NULL)
        return SC_STORE_IO;
    sqlite3_stmt *s = sc_store_stmt(c, insert_season_sql);
    int rc = SC_STORE_IO;
    if (s != NULL) {
        sqlite3_bind_text(s, 1, r->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, r->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, r->presets, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4, r->attempt_limit);
        sqlite3_bind_text(s, 5, r->starts_at, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 6, r->ends_at, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 7, r->manifest, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 8, r->created_at, -1, SQLITE_STATIC);
        rc = sc_store_done(c, s, sqlite3_step(s), "inserting a season");
    }
    sc_store_release(st, c);
    return rc;
}

int sc_sqlite_season_get(sc_store *st, const char *id, sc_season_row *out)
{
    sc_store_conn *c = sc_store_acquire(st, false);
    if (c == NULL)
        return SC_STORE_IO;
    sqlite3_stmt *s = sc_store_stmt(c, get_season_sql);
    int rc = SC_STORE_IO;
    if (s != NULL) {
        sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
        int step = sqlite3_step(s);
        if (step == SQLITE_ROW) {
            read_season(s, out);
            rc = SC_STORE_OK;
        } else {
            rc = step == SQLITE_DONE ? SC_STORE_NOTFOUND
                                     : sc_store_fail(c, "reading a season");
        }
    }
    sc_store_release(st, c);
    return rc;
}

int sc_sqlite_season_list(sc_store *st, sc_season_row **out, size_t *n)
{
    sc_store_conn *c = sc_store_acquire(st, false);
    if (c == NULL)
        return SC_STORE_IO;
    sqlite3_stmt *s = sc_store_stmt(c, list_seasons_sql);
    size_t cap = 0, len = 0;
    sc_season_row *rows = NULL;
    int step = SQLITE_ERROR;
    while (s != NULL && (step = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            size_t ncap = cap ? 2 * cap : 8;
            sc_season_row *nr = realloc(rows, ncap * sizeof *nr);
            if (nr == NULL)
                break;
            rows = nr;
            cap = ncap;
        }
        read_season(s, &rows[len++]);
    }
    int rc = SC_STORE_OK;
    if (step != SQLITE_DONE) {
        sc_season_list_free(rows, len);
        rows = NULL;
        len = 0;
        rc = s != NULL && step != SQLITE_ROW
                 ? sc_store_fail(c, "listing seasons")
                 : SC_STORE_IO;
    }
    sc_store_release(st, c);
    *out = rows;
    *n = len;
    return rc;
}

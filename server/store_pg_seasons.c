/* Seasons in the PostgreSQL store.  See store_games.h; the table is
 * migration 4 of store_pg_schema.c. */
#include <stdlib.h>
#include <string.h>

#include "server/store_pg.h"

#define SEASON_COLS                                                         \
    "id, name, presets, attempt_limit, starts_at, ends_at, manifest,"       \
    " created_at"

static const char insert_season_sql[] =
    "INSERT INTO seasons (" SEASON_COLS ") VALUES ($1, $2, $3, $4, $5, $6,"
    " $7, $8)";

static const char get_season_sql[] =
    "SELECT " SEASON_COLS " FROM seasons WHERE id = $1";

static const char list_seasons_sql[] =
    "SELECT " SEASON_COLS " FROM seasons ORDER BY created_at DESC, id";

static void read_season(const PGresult *res, int r, void *row)
{
    sc_season_row *out = row;
    memset(out, 0, sizeof *out);
    sc_pg_get_text(res, r, 0, out->id, sizeof out->id);
    sc_pg_get_text(res, r, 1, out->name, sizeof out->name);
    out->presets = sc_pg_get_dup(res, r, 2);
    out->attempt_limit = (unsigned)sc_pg_get_i64(res, r, 3);
    sc_pg_get_text(res, r, 4, out->starts_at, sizeof out->starts_at);
    sc_pg_get_text(res, r, 5, out->ends_at, sizeof out->ends_at);
    out->manifest = sc_pg_get_dup(res, r, 6);
    sc_pg_get_text(res, r, 7, out->created_at, sizeof out->created_at);
}

typedef struct season_write {
    sc_pg_params p;
} season_write;

static int insert_op(sc_pg_conn *c, void *arg)
{
    season_write *w = arg;
    return sc_pg_run(c, insert_season_sql, &w->p, NULL,
                     "inserting a season");
}

int sc_pg_season_insert(sc_store *st, const sc_season_row *s)
{
    season_write w = {{0}};
    sc_pg_text(&w.p, s->id);
    sc_pg_text(&w.p, s->name);
    sc_pg_text(&w.p, s->presets);
    sc_pg_i64(&w.p, s->attempt_limit);
    sc_pg_text(&w.p, s->starts_at);
    sc_pg_text(&w.p, s->ends_at);
    sc_pg_text(&w.p, s->manifest);
    sc_pg_text(&w.p, s->created_at);
    return sc_pg_with(st, insert_op, &w);
}

int sc_pg_season_get(sc_store *st, const char *id, sc_season_row *out)
{
    sc_pg_reader rd = {.sql = get_season_sql, .read = read_season,
                       .one = true, .out = out};
    sc_pg_text(&rd.p, id);
    return sc_pg_read(st, &rd, NULL);
}

int sc_pg_season_list(sc_store *st, sc_season_row **out, size_t *n)
{
    sc_pg_reader rd = {.sql = list_seasons_sql, .elem = sizeof **out,
                       .read = read_season, .out = out};
    *out = NULL;
    return sc_pg_read(st, &rd, n);
}

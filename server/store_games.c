/* Challenges and their rounds in the SQLite store.  See store_games.h;
 * the tables are migration 2 of store_schema.c. */
#include <stdlib.h>
#include <string.h>

#include "server/store_games.h"
#include "server/store_sqlite.h"

#define CHALLENGE_COLS                                                      \
    "seq, id, owner, kind, preset, spec, rounds, eval, tolerance, public,"  \
    " commitment, finished, created_at, finished_at, assignment, result,"   \
    " reveal, receipt, rank1, rank2, board, season"

/* With a limit (?16 > 0), a public challenge goes in only while its
 * owner has fewer public ones on its board (and season) created at or
 * after ?17: the check and the insert are one statement. */
static const char insert_challenge_sql[] =
    "INSERT INTO challenges (" CHALLENGE_COLS ") SELECT ?1, ?2, ?3, ?4,"
    " ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0, ?12, NULL, ?13, NULL, NULL, NULL,"
    " NULL, NULL, ?14, ?15"
    " WHERE ?16 = 0 OR ?10 = 0 OR (SELECT count(*) FROM challenges"
    "  WHERE owner = ?3 AND kind = ?4 AND board = ?14 AND public = 1"
    "  AND coalesce(season, '') = coalesce(?15, '')"
    "  AND created_at >= ?17) < ?16";

static const char attempts_sql[] =
    "SELECT count(*), min(created_at) FROM challenges"
    " WHERE owner = ?1 AND kind = ?2 AND board = ?3 AND public = 1"
    " AND coalesce(season, '') = ?4 AND created_at >= ?5";

/* A board's finished public challenges in a window, by owner. */
static const char standing_sql[] =
    "SELECT " CHALLENGE_COLS " FROM challenges"
    " WHERE kind = ?1 AND board = ?2 AND finished = 1 AND public = 1"
    " AND coalesce(season, '') = ?3 AND finished_at < ?4"
    " ORDER BY owner, finished_at, seq LIMIT ?5";

static const char boards_sql[] =
    "SELECT DISTINCT board FROM challenges"
    " WHERE kind = ?1 AND finished = 1 AND public = 1"
    " AND coalesce(season, '') = ?2 AND (?3 IS NULL OR board = ?3)"
    " ORDER BY board LIMIT ?4";

static const char insert_round_sql[] =
    "INSERT INTO challenge_rounds (challenge, idx, instance, public)"
    " VALUES (?1, ?2, ?3, ?4)";

static const char get_challenge_sql[] =
    "SELECT " CHALLENGE_COLS " FROM challenges WHERE id = ?1";

static const char list_challenges_sql[] =
    "SELECT " CHALLENGE_COLS " FROM challenges WHERE owner = ?1"
    " ORDER BY created_at DESC, seq DESC";

static const char rounds_sql[] =
    "SELECT idx, instance, public, answered, value, gauss, points"
    " FROM challenge_rounds WHERE challenge = ?1 ORDER BY idx";

static const char round_sql[] =
    "SELECT idx, instance, public, answered, value, gauss, points"
    " FROM challenge_rounds WHERE challenge = ?1 AND idx = ?2";

/* Only an unanswered round of an open challenge takes an answer. */
static const char answer_sql[] =
    "UPDATE challenge_rounds SET answered = 1, value = ?3, gauss = ?4,"
    " points = ?5 WHERE challenge = ?1 AND idx = ?2 AND answered = 0"
    " AND (SELECT finished FROM challenges WHERE id = ?1) = 0";

static const char finish_sql[] =
    "UPDATE challenges SET finished = 1, finished_at = ?2, result = ?3,"
    " reveal = ?4, receipt = ?5, rank1 = ?6, rank2 = ?7"
    " WHERE id = ?1 AND finished = 0";

static const char finish_round_sql[] =
    "UPDATE challenge_rounds SET value = ?3, gauss = ?4, points = ?5"
    " WHERE challenge = ?1 AND idx = ?2 AND answered = 0";

static const char reveal_rounds_sql[] =
    "UPDATE instances SET revealed = 1 WHERE challenge = ?1";

static char *dup_column(sqlite3_stmt *s, int col)
{
    const unsigned char *v = sqlite3_column_text(s, col);
    return v != NULL ? strdup((const char *)v) : NULL;
}

void sc_challenge_row_free(sc_challenge_row *c)
{
    free(c->spec);
    free(c->result);
    free(c->reveal);
    free(c->receipt);
    c->spec = c->result = c->reveal = c->receipt = NULL;
}

void sc_challenge_list_free(sc_challenge_row *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sc_challenge_row_free(&c[i]);
    free(c);
}

void sc_round_rows_free(sc_round_row *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(r[i].public_);
    free(r);
}

/* Reads the CHALLENGE_COLS of the current row from column base on. */
static void read_challenge(sqlite3_stmt *s, int base, sc_challenge_row *c)
{
    memset(c, 0, sizeof *c);
    c->seq = sqlite3_column_int64(s, base + 0);
    sc_store_column_text(s, base + 1, c->id, sizeof c->id);
    sc_store_column_text(s, base + 2, c->owner, sizeof c->owner);
    sc_store_column_text(s, base + 3, c->kind, sizeof c->kind);
    sc_store_column_text(s, base + 4, c->preset, sizeof c->preset);
    c->spec = dup_column(s, base + 5);
    c->rounds = (unsigned)sqlite3_column_int64(s, base + 6);
    c->eval = (unsigned)sqlite3_column_int64(s, base + 7);
    c->tolerance = sqlite3_column_double(s, base + 8);
    c->public_ = sqlite3_column_int(s, base + 9) != 0;
    sc_store_column_text(s, base + 10, c->commitment, sizeof c->commitment);
    c->finished = sqlite3_column_int(s, base + 11) != 0;
    sc_store_column_text(s, base + 12, c->created_at, sizeof c->created_at);
    sc_store_column_text(s, base + 13, c->finished_at,
                         sizeof c->finished_at);
    sc_store_column_text(s, base + 14, c->assignment, sizeof c->assignment);
    c->result = dup_column(s, base + 15);
    c->reveal = dup_column(s, base + 16);
    c->receipt = dup_column(s, base + 17);
    c->rank[0] = sqlite3_column_double(s, base + 18);
    c->rank[1] = sqlite3_column_double(s, base + 19);
    sc_store_column_text(s, base + 20, c->board, sizeof c->board);
    sc_store_column_text(s, base + 21, c->season, sizeof c->season);
}

static void read_round(sqlite3_stmt *s, sc_round_row *r)
{
    memset(r, 0, sizeof *r);
    r->index = (unsigned)sqlite3_column_int64(s, 0);
    sc_store_column_text(s, 1, r->instance, sizeof r->instance);
    r->public_ = dup_column(s, 2);
    r->answered = sqlite3_column_int(s, 3) != 0;
    r->value = sqlite3_column_double(s, 4);
    r->gauss = sqlite3_column_double(s, 5);
    r->points = (uint64_t)sqlite3_column_int64(s, 6);
}

/* Runs one write statement to completion; *changes (if not NULL) gets
 * the rows it changed. */
static int run_write(sc_store_conn *c, sqlite3_stmt *s, const char *what,
                     int *changes)
{
    int rc = sc_store_done(c, s, sqlite3_step(s), what);
    if (changes != NULL)
        *changes = rc == SC_STORE_OK ? sqlite3_changes(sc_store_db(c)) : 0;
    return rc;
}

static int insert_rounds(sc_store_conn *c, const char *id,
                         const sc_round_row *rounds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *s = sc_store_stmt(c, insert_round_sql);
        if (s == NULL)
            return SC_STORE_IO;
        sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, rounds[i].index);
        sqlite3_bind_text(s, 3, rounds[i].instance, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, rounds[i].public_, -1, SQLITE_STATIC);
        int rc = run_write(c, s, "inserting a round", NULL);
        if (rc != SC_STORE_OK)
            return rc;
    }
    return SC_STORE_OK;
}

static int insert_challenge(sc_store_conn *c, const sc_challenge_row *ch)
{
    sqlite3_stmt *s = sc_store_stmt(c, insert_challenge_sql);
    if (s == NULL)
        return SC_STORE_IO;
    sqlite3_bind_int64(s, 1, ch->seq);
    sqlite3_bind_text(s, 2, ch->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, ch->owner, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, ch->kind, -1, SQLITE_STATIC);
    sc_store_bind_text_or_null(s, 5, ch->preset);
    sqlite3_bind_text(s, 6, ch->spec, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, ch->rounds);
    sqlite3_bind_int64(s, 8, ch->eval);
    sqlite3_bind_double(s, 9, ch->tolerance);
    sqlite3_bind_int(s, 10, ch->public_ ? 1 : 0);
    sqlite3_bind_text(s, 11, ch->commitment, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 12, ch->created_at, -1, SQLITE_STATIC);
    sc_store_bind_text_or_null(s, 13, ch->assignment);
    sqlite3_bind_text(s, 14, ch->board, -1, SQLITE_STATIC);
    sc_store_bind_text_or_null(s, 15, ch->season);
    sqlite3_bind_int64(s, 16, ch->attempt_limit);
    sqlite3_bind_text(s, 17, ch->attempts_since, -1, SQLITE_STATIC);
    int changes = 0;
    int rc = run_write(c, s, "inserting a challenge", &changes);
    return rc == SC_STORE_OK && changes == 0 ? SC_STORE_BUDGET : rc;
}

/* A challenge write: its own row, then its rounds, all or nothing. */
typedef struct challenge_write {
    int (*head)(sc_store_conn *c, const sc_challenge_row *ch);
    int (*body)(sc_store_conn *c, const char *id,
                const sc_round_row *rounds, size_t n);
    const sc_challenge_row *ch;
    const sc_round_row *rounds;
    size_t n;
} challenge_write;

static int run_challenge_write(sc_store_conn *c, void *arg)
{
    const challenge_write *w = arg;
    int rc = w->head(c, w->ch);
    return rc == SC_STORE_OK ? w->body(c, w->ch->id, w->rounds, w->n) : rc;
}

int sc_sqlite_challenge_insert(sc_store *st, const sc_challenge_row *ch,
                               const sc_round_row *rounds, size_t n)
{
    challenge_write w = {insert_challenge, insert_rounds, ch, rounds, n};
    return sc_store_grouped(st, run_challenge_write, &w);
}

int sc_sqlite_challenge_get(sc_store *st, const char *id,
                            sc_challenge_row *out)
{
    sc_store_conn *c = sc_store_acquire(st, false);
    if (c == NULL)
        return SC_STORE_IO;
    sqlite3_stmt *s = sc_store_stmt(c, get_challenge_sql);
    int rc = SC_STORE_IO;
    if (s != NULL) {
        sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
        int step = sqlite3_step(s);
        if (step == SQLITE_ROW) {
            read_challenge(s, 0, out);
            rc = SC_STORE_OK;
        } else {
            rc = step == SQLITE_DONE ? SC_STORE_NOTFOUND
                                     : sc_store_fail(c, "reading a challenge");
        }
    }
    sc_store_release(st, c);
    return rc;
}

/* Collects every row of a prepared SELECT of CHALLENGE_COLS. */
static int collect_challenges(sc_store_conn *c, sqlite3_stmt *s,
                              sc_challenge_row **out, size_t *n)
{
    size_t cap = 0, len = 0;
    sc_challenge_row *rows = NULL;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            sc_challenge_row *nr = realloc(rows, ncap * sizeof *nr);
            if (nr == NULL)
                break;
            rows = nr;
            cap = ncap;
        }
        read_challenge(s, 0, &rows[len++]);
    }
    if (step != SQLITE_DONE) {
        sc_challenge_list_free(rows, len);
        return step == SQLITE_ROW ? SC_STORE_IO
                                  : sc_store_fail(c, "listing challenges");
    }
    *out = rows;
    *n = len;
    return SC_STORE_OK;
}

int sc_sqlite_challenge_list(sc_store *st, const char *owner,
                             sc_challenge_row **out, size_t *n)
{
    sc_store_conn *c = sc_store_acquire(st, false);
    if (c == NULL)
        return SC_STORE_IO;
    sqlite3_stmt *s = sc_store_stmt(c, list_challenges_sql);
    int rc = SC_STORE_IO;
    if (s != NULL) {
        sqlite3_bind_text(s, 1, owner, -1, SQLITE_STATIC);
        rc = collect_challenges(c, s, out, n);
    }
    sc_store_release(st, c);
    return rc;
}

int sc_sqlite_challenge_rounds(sc_store *st, const char *id,
                               sc_round_row **out, size_t *n)
{
    sc_store_conn *c = sc_store_acquire(st, false);
    if (c == NULL)
        return SC_STORE_IO;
    sqlite3_stmt *s = sc_store_stmt(c, rounds_sql);
    size_t cap = 0, len = 0;
    sc_round_row *rows = NULL;
    int step = SQLITE_ERROR;
    if (s != NULL) {
        sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
        while ((step = sqlite3_step(s)) == SQLITE_ROW) {
            if (len == cap) {
                size_t ncap = cap ? 2 * cap : 32;
                sc_round_row *nr = realloc(rows, ncap * sizeof *nr);
                if (nr == NULL)
                    break;
                rows = nr;
                cap = ncap;
            }
            read_round(s, &rows[len++]);
        }
    }
    int rc = SC_STORE_OK;
    if (step != SQLITE_DONE) {
        sc_round_rows_free(rows, len);
        rows = NULL;
        len = 0;
        rc = s != NULL && step != SQLITE_ROW
                 ? sc_store_fail(c, "reading rounds")
                 : SC_STORE_IO;
    }
    sc_store_release(st, c);
    *out = rows;
    *n = len;
    return rc;
}

int sc_sqlite_round_get(sc_store *st, const char *id, unsigned index,
                        sc_round_row *out)
{
    sc_store_conn *c = sc_store_acquire(st, false);
    if (c == NULL)
        return SC_STORE_IO;
    sqlite3_stmt *s = sc_store_stmt(c, round_sql);
    int rc = SC_STORE_IO;
    if (s != NULL) {
        sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, index);
        int step = sqlite3_step(s);
        if (step == SQLITE_ROW) {
            read_round(s, out);
            rc = SC_STORE_OK;
        } else {
            rc = step == SQLITE_DONE ? SC_STORE_NOTFOUND
                                     : sc_store_fail(c, "reading a round");
        }
    }
    sc_store_release(st, c);
    return rc;
}

int sc_sqlite_round_answer(sc_store *st, const char *id, unsigned index,
                           double value, double gauss, uint64_t points)
{
    sc_store_conn *c = sc_store_acquire(st, true);
    if (c == NULL)
        return SC_STORE_IO;
    sqlite3_stmt *s = sc_store_stmt(c, answer_sql);
    int rc = SC_STORE_IO, changes = 0;
    if (s != NULL) {
        sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, index);
        sqlite3_bind_double(s, 3, value);
        sqlite3_bind_double(s, 4, gauss);
        sqlite3_bind_int64(s, 5, (sqlite3_int64)points);
        rc = run_write(c, s, "answering a round", &changes);
        if (rc == SC_STORE_OK && changes == 0)
            rc = SC_STORE_CONFLICT;
    }
    sc_store_release(st, c);
    return rc;
}

static int finish_challenge(sc_store_conn *c, const sc_challenge_row *ch)
{
    sqlite3_stmt *s = sc_store_stmt(c, finish_sql);
    int changes = 0;
    if (s == NULL)
        return SC_STORE_IO;
    sqlite3_bind_text(s, 1, ch->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, ch->finished_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, ch->result, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, ch->reveal, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, ch->receipt, -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 6, ch->rank[0]);
    sqlite3_bind_double(s, 7, ch->rank[1]);
    int rc = run_write(c, s, "finishing a challenge", &changes);
    return rc == SC_STORE_OK && changes == 0 ? SC_STORE_CONFLICT : rc;
}

static int finish_rounds(sc_store_conn *c, const char *id,
                         const sc_round_row *rounds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (rounds[i].answered)
            continue;
        sqlite3_stmt *s = sc_store_stmt(c, finish_round_sql);
        if (s == NULL)
            return SC_STORE_IO;
        sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, rounds[i].index);
        sqlite3_bind_double(s, 3, rounds[i].value);
        sqlite3_bind_double(s, 4, rounds[i].gauss);
        sqlite3_bind_int64(s, 5, (sqlite3_int64)rounds[i].points);
        int changes = 0;
        int rc = run_write(c, s, "closing a round", &changes);
        if (rc != SC_STORE_OK)
            return rc;
        /* An answer stored since the caller read the rounds: its result
         * would leave that answer out, so nothing is finished. */
        if (changes == 0)
            return SC_STORE_CONFLICT;
    }
    sqlite3_stmt *s = sc_store_stmt(c, reveal_rounds_sql);
    if (s == NULL)
        return SC_STORE_IO;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    return run_write(c, s, "revealing rounds", NULL);
}

int sc_sqlite_challenge_finish(sc_store *st, const sc_challenge_row *ch,
                               const sc_round_row *rounds, size_t n)
{
    challenge_write w = {finish_challenge, finish_rounds, ch, rounds, n};
    return sc_store_grouped(st, run_challenge_write, &w);
}

int sc_sqlite_attempts(sc_store *st, const char *owner, const char *kind,
                       const char *board, const char *season,
                       const char *since, unsigned *count, char oldest[32])
{
    sc_store_conn *c = sc_store_acquire(st, false);
    if (c == NULL)
        return SC_STORE_IO;
    sqlite3_stmt *s = sc_store_stmt(c, attempts_sql);
    int rc = SC_STORE_IO;
    if (s != NULL) {
        sqlite3_bind_text(s, 1, owner, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, board, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, season, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, since, -1, SQLITE_STATIC);
        int step = sqlite3_step(s);
        if (step == SQLITE_ROW) {
            *count = (unsigned)sqlite3_column_int64(s, 0);
            sc_store_column_text(s, 1, oldest, 32);
            rc = SC_STORE_OK;
        } else {
            rc = sc_store_fail(c, "counting attempts");
        }
    }
    sc_store_release(st, c);
    return rc;
}

int sc_sqlite_standing(sc_store *st, const char *kind, const char *board,
                       const char *season, const char *until, size_t limit,
                       sc_challenge_row **out, size_t *n)
{
    sc_store_conn *c = sc_store_acquire(st, false);
    if (c == NULL)
        return SC_STORE_IO;
    sqlite3_stmt *s = sc_store_stmt(c, standing_sql);
    int rc = SC_STORE_IO;
    if (s != NULL) {
        sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, board, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, season, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, until, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 5, (sqlite3_int64)limit);
        rc = collect_challenges(c, s, out, n);
    }
    sc_store_release(st, c);
    return rc;
}

int sc_sqlite_boards(sc_store *st, const char *kind, const char *season,
                     const char *board, size_t limit, sc_board_key **out,
                     size_t *n)
{
    sc_store_conn *c = sc_store_acquire(st, false);
    if (c == NULL)
        return SC_STORE_IO;
    sqlite3_stmt *s = sc_store_stmt(c, boards_sql);
    size_t len = 0;
    sc_board_key *keys = calloc(limit + 1, sizeof *keys);
    int step = SQLITE_ERROR;
    if (s != NULL && keys != NULL) {
        sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, season, -1, SQLITE_STATIC);
        sc_store_bind_text_or_null(s, 3, board);
        sqlite3_bind_int64(s, 4, (sqlite3_int64)limit);
        while (len < limit && (step = sqlite3_step(s)) == SQLITE_ROW)
            sc_store_column_text(s, 0, keys[len++].key,
                                 sizeof keys[0].key);
    }
    bool done = step == SQLITE_DONE || (step == SQLITE_ROW && len == limit);
    int rc = SC_STORE_OK;
    if (!done)
        rc = s != NULL && keys != NULL ? sc_store_fail(c, "listing boards")
                                       : SC_STORE_IO;
    sc_store_release(st, c);
    if (rc != SC_STORE_OK) {
        free(keys);
        keys = NULL;
        len = 0;
    }
    *out = keys;
    *n = len;
    return rc;
}

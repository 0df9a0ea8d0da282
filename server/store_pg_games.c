/*
 * Challenges and their rounds in the PostgreSQL store.  See
 * store_games.h; the tables are migration 2 of store_pg_schema.c.
 *
 * Answering a round and finishing a challenge read one row and write
 * another, so they run in SERIALIZABLE transactions (sc_pg_tx): of an
 * answer and a finish racing on two replicas, one commits and the other
 * runs again and sees it (answer: SC_STORE_CONFLICT; finish: the round
 * now answered, SC_STORE_CONFLICT).
 */
#include <stdlib.h>
#include <string.h>

#include "server/store_pg.h"

#define CHALLENGE_COLS                                                      \
    "seq, id, owner, kind, preset, spec, rounds, eval, tolerance, public,"  \
    " commitment, finished, created_at, finished_at, assignment, result,"   \
    " reveal, receipt, rank1, rank2, board, season"

/* With an attempt limit ($16 > 0) a public challenge goes in only while
 * its owner has fewer public ones on its board and season since $17;
 * in a SERIALIZABLE transaction, so replicas racing cannot both pass. */
static const char insert_challenge_sql[] =
    "INSERT INTO challenges (" CHALLENGE_COLS ") SELECT $1::bigint,"
    " $2::text, $3::text, $4::text, $5::text, $6::text, $7::integer,"
    " $8::integer, $9::float8, $10::boolean, $11::text, false, $12::text,"
    " NULL, $13::text, NULL, NULL, NULL, NULL, NULL, $14::text, $15::text"
    " WHERE $16::bigint = 0 OR NOT $10::boolean"
    " OR (SELECT count(*) FROM challenges"
    "  WHERE owner = $3 AND kind = $4 AND board = $14 AND public"
    "  AND coalesce(season, '') = coalesce($15::text, '')"
    "  AND created_at >= $17::text) < $16::bigint";

static const char attempts_sql[] =
    "SELECT count(*), coalesce(min(created_at), '') FROM challenges"
    " WHERE owner = $1 AND kind = $2 AND board = $3 AND public"
    " AND coalesce(season, '') = $4 AND created_at >= $5";

/* A board's finished public challenges in a window, by owner. */
static const char standing_sql[] =
    "SELECT " CHALLENGE_COLS " FROM challenges"
    " WHERE kind = $1 AND board = $2 AND finished AND public"
    " AND coalesce(season, '') = $3 AND finished_at < $4"
    " ORDER BY owner, finished_at, seq LIMIT $5";

static const char boards_sql[] =
    "SELECT DISTINCT board FROM challenges"
    " WHERE kind = $1 AND finished AND public"
    " AND coalesce(season, '') = $2 AND ($3::text IS NULL OR board = $3)"
    " ORDER BY board LIMIT $4";

static const char insert_round_sql[] =
    "INSERT INTO challenge_rounds (challenge, idx, instance, public)"
    " VALUES ($1, $2, $3, $4)";

static const char get_challenge_sql[] =
    "SELECT " CHALLENGE_COLS " FROM challenges WHERE id = $1";

static const char list_challenges_sql[] =
    "SELECT " CHALLENGE_COLS " FROM challenges WHERE owner = $1"
    " ORDER BY created_at DESC, seq DESC";

static const char rounds_sql[] =
    "SELECT idx, instance, public, answered, value, gauss, points"
    " FROM challenge_rounds WHERE challenge = $1 ORDER BY idx";

static const char round_sql[] =
    "SELECT idx, instance, public, answered, value, gauss, points"
    " FROM challenge_rounds WHERE challenge = $1 AND idx = $2";

/* Only an unanswered round of an open challenge takes an answer. */
static const char answer_sql[] =
    "UPDATE challenge_rounds SET answered = true, value = $3, gauss = $4,"
    " points = $5 WHERE challenge = $1 AND idx = $2 AND NOT answered"
    " AND NOT (SELECT finished FROM challenges WHERE id = $1)";

static const char finish_sql[] =
    "UPDATE challenges SET finished = true, finished_at = $2, result = $3,"
    " reveal = $4, receipt = $5, rank1 = $6, rank2 = $7"
    " WHERE id = $1 AND NOT finished";

static const char finish_round_sql[] =
    "UPDATE challenge_rounds SET value = $3, gauss = $4, points = $5"
    " WHERE challenge = $1 AND idx = $2 AND NOT answered";

static const char reveal_rounds_sql[] =
    "UPDATE instances SET revealed = true WHERE challenge = $1";

/* Reads the CHALLENGE_COLS of row r. */
static void read_challenge(const PGresult *res, int r, sc_challenge_row *c)
{
    memset(c, 0, sizeof *c);
    c->seq = sc_pg_get_i64(res, r, 0);
    sc_pg_get_text(res, r, 1, c->id, sizeof c->id);
    sc_pg_get_text(res, r, 2, c->owner, sizeof c->owner);
    sc_pg_get_text(res, r, 3, c->kind, sizeof c->kind);
    sc_pg_get_text(res, r, 4, c->preset, sizeof c->preset);
    c->spec = sc_pg_get_dup(res, r, 5);
    c->rounds = (unsigned)sc_pg_get_i64(res, r, 6);
    c->eval = (unsigned)sc_pg_get_i64(res, r, 7);
    c->tolerance = sc_pg_get_f64(res, r, 8);
    c->public_ = sc_pg_get_bool(res, r, 9);
    sc_pg_get_text(res, r, 10, c->commitment, sizeof c->commitment);
    c->finished = sc_pg_get_bool(res, r, 11);
    sc_pg_get_text(res, r, 12, c->created_at, sizeof c->created_at);
    sc_pg_get_text(res, r, 13, c->finished_at, sizeof c->finished_at);
    sc_pg_get_text(res, r, 14, c->assignment, sizeof c->assignment);
    c->result = sc_pg_get_dup(res, r, 15);
    c->reveal = sc_pg_get_dup(res, r, 16);
    c->receipt = sc_pg_get_dup(res, r, 17);
    c->rank[0] = sc_pg_get_f64(res, r, 18);
    c->rank[1] = sc_pg_get_f64(res, r, 19);
    sc_pg_get_text(res, r, 20, c->board, sizeof c->board);
    sc_pg_get_text(res, r, 21, c->season, sizeof c->season);
}

static void read_round(const PGresult *res, int r, sc_round_row *row)
{
    memset(row, 0, sizeof *row);
    row->index = (unsigned)sc_pg_get_i64(res, r, 0);
    sc_pg_get_text(res, r, 1, row->instance, sizeof row->instance);
    row->public_ = sc_pg_get_dup(res, r, 2);
    row->answered = sc_pg_get_bool(res, r, 3);
    row->value = sc_pg_get_f64(res, r, 4);
    row->gauss = sc_pg_get_f64(res, r, 5);
    row->points = (uint64_t)sc_pg_get_i64(res, r, 6);
}

static void read_challenge_v(const PGresult *res, int r, void *row)
{
    read_challenge(res, r, row);
}

static void read_round_v(const PGresult *res, int r, void *row)
{
    read_round(res, r, row);
}

static int insert_rounds(sc_pg_conn *c, const char *id,
                         const sc_round_row *rounds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sc_pg_params p = {0};
        sc_pg_text(&p, id);
        sc_pg_i64(&p, rounds[i].index);
        sc_pg_text(&p, rounds[i].instance);
        if (rounds[i].public_)
            sc_pg_text(&p, rounds[i].public_);
        else
            sc_pg_null(&p);
        int rc = sc_pg_run(c, insert_round_sql, &p, NULL,
                           "inserting a round");
        if (rc != SC_STORE_OK)
            return rc;
    }
    return SC_STORE_OK;
}

static int insert_challenge(sc_pg_conn *c, const sc_challenge_row *ch)
{
    sc_pg_params p = {0};

    sc_pg_i64(&p, ch->seq);
    sc_pg_text(&p, ch->id);
    sc_pg_text(&p, ch->owner);
    sc_pg_text(&p, ch->kind);
    sc_pg_text_or_null(&p, ch->preset);
    sc_pg_text(&p, ch->spec);
    sc_pg_i64(&p, ch->rounds);
    sc_pg_i64(&p, ch->eval);
    sc_pg_f64(&p, ch->tolerance);
    sc_pg_text(&p, ch->public_ ? "true" : "false");
    sc_pg_text(&p, ch->commitment);
    sc_pg_text(&p, ch->created_at);
    sc_pg_text_or_null(&p, ch->assignment);
    sc_pg_text(&p, ch->board);
    sc_pg_text_or_null(&p, ch->season);
    sc_pg_i64(&p, ch->attempt_limit);
    sc_pg_text(&p, ch->attempts_since);
    int changed = 0;
    int rc = sc_pg_run(c, insert_challenge_sql, &p, &changed,
                       "inserting a challenge");
    return rc == SC_STORE_OK && changed == 0 ? SC_STORE_BUDGET : rc;
}

/* A challenge write: its own row, then its rounds, all or nothing. */
typedef struct challenge_write {
    int (*head)(sc_pg_conn *c, const sc_challenge_row *ch);
    int (*body)(sc_pg_conn *c, const char *id, const sc_round_row *rounds,
                size_t n);
    const sc_challenge_row *ch;
    const sc_round_row *rounds;
    size_t n;
} challenge_write;

static int run_challenge_write(sc_pg_conn *c, void *arg)
{
    const challenge_write *w = arg;
    int rc = w->head(c, w->ch);
    return rc == SC_STORE_OK ? w->body(c, w->ch->id, w->rounds, w->n) : rc;
}

int sc_pg_challenge_insert(sc_store *st, const sc_challenge_row *ch,
                           const sc_round_row *rounds, size_t n)
{
    challenge_write w = {insert_challenge, insert_rounds, ch, rounds, n};
    return sc_pg_tx(st, run_challenge_write, &w);
}

int sc_pg_challenge_get(sc_store *st, const char *id, sc_challenge_row *out)
{
    sc_pg_reader rd = {.sql = get_challenge_sql, .read = read_challenge_v,
                 .one = true, .out = out};
    sc_pg_text(&rd.p, id);
    return sc_pg_read(st, &rd, NULL);
}

int sc_pg_challenge_list(sc_store *st, const char *owner,
                         sc_challenge_row **out, size_t *n)
{
    sc_pg_reader rd = {.sql = list_challenges_sql, .elem = sizeof **out,
                 .read = read_challenge_v, .out = out};
    *out = NULL;
    sc_pg_text(&rd.p, owner);
    return sc_pg_read(st, &rd, n);
}

int sc_pg_standing(sc_store *st, const char *kind, const char *board,
                   const char *season, const char *until, size_t limit,
                   sc_challenge_row **out, size_t *n)
{
    sc_pg_reader rd = {.sql = standing_sql, .elem = sizeof **out,
                       .read = read_challenge_v, .out = out};
    *out = NULL;
    sc_pg_text(&rd.p, kind);
    sc_pg_text(&rd.p, board);
    sc_pg_text(&rd.p, season);
    sc_pg_text(&rd.p, until);
    sc_pg_i64(&rd.p, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    return sc_pg_read(st, &rd, n);
}

typedef struct attempts_args {
    sc_pg_params p;
    unsigned *count;
    char *oldest;
} attempts_args;

static int attempts_op(sc_pg_conn *c, void *arg)
{
    attempts_args *a = arg;
    PGresult *res;
    int rc = sc_pg_exec(c, attempts_sql, &a->p, &res, "counting attempts");

    if (rc != SC_STORE_OK)
        return rc;
    if (PQntuples(res) == 1) {
        *a->count = (unsigned)sc_pg_get_i64(res, 0, 0);
        sc_pg_get_text(res, 0, 1, a->oldest, 32);
    } else {
        rc = SC_STORE_IO;
    }
    PQclear(res);
    return rc;
}

int sc_pg_attempts(sc_store *st, const char *owner, const char *kind,
                   const char *board, const char *season, const char *since,
                   unsigned *count, char oldest[32])
{
    attempts_args a = {.count = count, .oldest = oldest};
    sc_pg_text(&a.p, owner);
    sc_pg_text(&a.p, kind);
    sc_pg_text(&a.p, board);
    sc_pg_text(&a.p, season);
    sc_pg_text(&a.p, since);
    return sc_pg_with(st, attempts_op, &a);
}

static void read_board(const PGresult *res, int r, void *row)
{
    sc_board_key *k = row;
    sc_pg_get_text(res, r, 0, k->key, sizeof k->key);
}

int sc_pg_boards(sc_store *st, const char *kind, const char *season,
                 const char *board, size_t limit, sc_board_key **out,
                 size_t *n)
{
    sc_pg_reader rd = {.sql = boards_sql, .elem = sizeof **out,
                       .read = read_board, .out = out};
    int rc;

    *out = NULL;
    sc_pg_text(&rd.p, kind);
    sc_pg_text(&rd.p, season);
    sc_pg_text_or_null(&rd.p, board);
    sc_pg_i64(&rd.p, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    rc = sc_pg_read(st, &rd, n);
    /* Like SQLite's: an array even when empty. */
    if (rc == SC_STORE_OK && *out == NULL) {
        *out = calloc(1, sizeof **out);
        if (*out == NULL)
            rc = SC_STORE_IO;
    }
    return rc;
}

int sc_pg_challenge_rounds(sc_store *st, const char *id, sc_round_row **out,
                           size_t *n)
{
    sc_pg_reader rd = {.sql = rounds_sql, .elem = sizeof **out,
                 .read = read_round_v, .out = out};
    *out = NULL;
    sc_pg_text(&rd.p, id);
    return sc_pg_read(st, &rd, n);
}

int sc_pg_round_get(sc_store *st, const char *id, unsigned index,
                    sc_round_row *out)
{
    sc_pg_reader rd = {.sql = round_sql, .read = read_round_v, .one = true,
                 .out = out};
    sc_pg_text(&rd.p, id);
    sc_pg_i64(&rd.p, index);
    return sc_pg_read(st, &rd, NULL);
}

typedef struct answer_args {
    const char *id;
    unsigned index;
    double value, gauss;
    uint64_t points;
} answer_args;

static int answer_op(sc_pg_conn *c, void *arg)
{
    answer_args *a = arg;
    sc_pg_params p = {0};
    int changed = 0, rc;

    sc_pg_text(&p, a->id);
    sc_pg_i64(&p, a->index);
    sc_pg_f64(&p, a->value);
    sc_pg_f64(&p, a->gauss);
    sc_pg_i64(&p, (int64_t)a->points);
    rc = sc_pg_run(c, answer_sql, &p, &changed, "answering a round");
    return rc == SC_STORE_OK && changed == 0 ? SC_STORE_CONFLICT : rc;
}

int sc_pg_round_answer(sc_store *st, const char *id, unsigned index,
                       double value, double gauss, uint64_t points)
{
    answer_args a = {id, index, value, gauss, points};
    return sc_pg_tx(st, answer_op, &a);
}

static int finish_challenge(sc_pg_conn *c, const sc_challenge_row *ch)
{
    sc_pg_params p = {0};
    int changed = 0, rc;

    sc_pg_text(&p, ch->id);
    sc_pg_text(&p, ch->finished_at);
    sc_pg_text(&p, ch->result);
    sc_pg_text(&p, ch->reveal);
    sc_pg_text(&p, ch->receipt);
    sc_pg_f64(&p, ch->rank[0]);
    sc_pg_f64(&p, ch->rank[1]);
    rc = sc_pg_run(c, finish_sql, &p, &changed, "finishing a challenge");
    return rc == SC_STORE_OK && changed == 0 ? SC_STORE_CONFLICT : rc;
}

static int finish_rounds(sc_pg_conn *c, const char *id,
                         const sc_round_row *rounds, size_t n)
{
    sc_pg_params p = {0};

    for (size_t i = 0; i < n; i++) {
        if (rounds[i].answered)
            continue;
        sc_pg_params q = {0};
        sc_pg_text(&q, id);
        sc_pg_i64(&q, rounds[i].index);
        sc_pg_f64(&q, rounds[i].value);
        sc_pg_f64(&q, rounds[i].gauss);
        sc_pg_i64(&q, (int64_t)rounds[i].points);
        int changed = 0;
        int rc = sc_pg_run(c, finish_round_sql, &q, &changed,
                           "closing a round");
        if (rc != SC_STORE_OK)
            return rc;
        /* An answer stored since the caller read the rounds: its result
         * would leave that answer out, so nothing is finished. */
        if (changed == 0)
            return SC_STORE_CONFLICT;
    }
    sc_pg_text(&p, id);
    return sc_pg_run(c, reveal_rounds_sql, &p, NULL, "revealing rounds");
}

int sc_pg_challenge_finish(sc_store *st, const sc_challenge_row *ch,
                           const sc_round_row *rounds, size_t n)
{
    challenge_write w = {finish_challenge, finish_rounds, ch, rounds, n};
    return sc_pg_tx(st, run_challenge_write, &w);
}

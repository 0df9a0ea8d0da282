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
    " reveal, receipt, rank1, rank2"

static const char insert_challenge_sql[] =
    "INSERT INTO challenges (" CHALLENGE_COLS ") VALUES ($1, $2, $3, $4,"
    " $5, $6, $7, $8, $9, $10, $11, false, $12, NULL, $13, NULL, NULL,"
    " NULL, NULL, NULL)";

static const char insert_round_sql[] =
    "INSERT INTO challenge_rounds (challenge, idx, instance, public)"
    " VALUES ($1, $2, $3, $4)";

static const char get_challenge_sql[] =
    "SELECT " CHALLENGE_COLS " FROM challenges WHERE id = $1";

static const char list_challenges_sql[] =
    "SELECT " CHALLENGE_COLS " FROM challenges WHERE owner = $1"
    " ORDER BY created_at DESC, seq DESC";

static const char board_sql[] =
    "SELECT " CHALLENGE_COLS " FROM challenges"
    " WHERE kind = $1 AND finished AND public"
    " AND ($2::text IS NULL OR coalesce(preset, '') = $2::text)"
    " ORDER BY rank1 NULLS FIRST, rank2 NULLS FIRST, finished_at, seq"
    " LIMIT $3";

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
    return sc_pg_run(c, insert_challenge_sql, &p, NULL,
                     "inserting a challenge");
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

int sc_pg_leaderboard(sc_store *st, const char *kind, const char *preset,
                      size_t limit, sc_challenge_row **out, size_t *n)
{
    sc_pg_reader rd = {.sql = board_sql, .elem = sizeof **out,
                 .read = read_challenge_v, .out = out};
    *out = NULL;
    sc_pg_text(&rd.p, kind);
    if (preset)
        sc_pg_text(&rd.p, preset);
    else
        sc_pg_null(&rd.p);
    sc_pg_i64(&rd.p, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    return sc_pg_read(st, &rd, n);
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

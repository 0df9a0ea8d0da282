/* Players, instances and their budgets in the PostgreSQL store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "server/keys.h"
#include "server/store_pg.h"

#define NOW                                                                 \
    "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const char create_sql[] =
    "INSERT INTO players (id, name, role, token_hash, created_at)"
    " VALUES ($1, $2, $3, $4, " NOW ") RETURNING id, created_at";

/* ON CONFLICT updates atomically even when two servers race. */
static const char upsert_sql[] =
    "INSERT INTO players (id, name, role, token_hash, created_at)"
    " VALUES ($1, $2, $3, $4, " NOW ")"
    " ON CONFLICT (name, role) DO UPDATE SET token_hash = excluded.token_hash"
    " RETURNING id, created_at";

static const char by_token_sql[] =
    "SELECT id, name, role, created_at, token_hash FROM players"
    " WHERE token_hash = $1";

static const char by_id_sql[] =
    "SELECT id, name, role, created_at, token_hash FROM players"
    " WHERE id = $1";

static const char next_seq_sql[] = "SELECT nextval('kdf_seq')";

static const char insert_sql[] =
    "INSERT INTO instances (seq, id, owner, family, params, oracle,"
    " budget_samples, budget_score, budget_logpdf,"
    " used_samples, used_score, used_logpdf,"
    " commitment, revealed, created_at, challenge, round, coin_seq)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
    " coalesce($15, " NOW "), $16, $17, $18)";

static const char get_sql[] =
    "SELECT seq, id, owner, family, params, oracle,"
    " budget_samples, budget_score, budget_logpdf,"
    " used_samples, used_score, used_logpdf,"
    " commitment, revealed, created_at, challenge, round, coin_seq"
    " FROM instances WHERE id = $1";

/*
 * The spend of one meter, one conditional statement that commits alone:
 * it adds n only while the budget allows (a NULL budget is unlimited but
 * the sum must not overflow: $3 = INT64_MAX - n), comparing without
 * overflow (used <= budget - n).  Under READ COMMITTED a concurrent
 * spend on the same row (from any replica) makes this one wait and
 * re-check the condition on the row it committed, so the sum of what
 * was granted never passes the budget.  The second branch reads the use
 * when nothing was granted: the row answers "spent" (true) with the use
 * before, or "refused" (false) with the use now; no row: no instance.
 */
#define SPEND_SQL(m)                                                       \
    "WITH s AS (UPDATE instances SET used_" m " = used_" m " + $2"         \
    " WHERE id = $1 AND CASE WHEN budget_" m " IS NULL"                    \
    " THEN used_" m " <= $3 ELSE used_" m " <= budget_" m " - $2 END"      \
    " RETURNING used_" m " - $2 AS before)"                                \
    " SELECT true, before FROM s UNION ALL"                                \
    " SELECT false, used_" m " FROM instances"                             \
    " WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM s)"

static const char *const spend_sql[SC_METERS] = {
    [SC_METER_SAMPLES] = SPEND_SQL("samples"),
    [SC_METER_SCORE] = SPEND_SQL("score"),
    [SC_METER_LOGPDF] = SPEND_SQL("logpdf"),
};

static const char *const used_sql[SC_METERS] = {
    [SC_METER_SAMPLES] = "SELECT used_samples FROM instances WHERE id = $1",
    [SC_METER_SCORE] = "SELECT used_score FROM instances WHERE id = $1",
    [SC_METER_LOGPDF] = "SELECT used_logpdf FROM instances WHERE id = $1",
};

/* Revealed once: the row lock makes one of two racing reveals win. */
static const char reveal_sql[] =
    "WITH r AS (UPDATE instances SET revealed = true"
    " WHERE id = $1 AND NOT revealed RETURNING 1)"
    " SELECT (SELECT count(*) FROM r),"
    " (SELECT count(*) FROM instances WHERE id = $1)";

typedef struct write_args {
    const char *sql; /* RETURNING id, created_at */
    const char *name;
    sc_role role;
    const uint8_t *token_hash;
    sc_player *out;
} write_args;

static int player_write_op(sc_pg_conn *c, void *arg)
{
    write_args *a = arg;
    sc_pg_params p = {0};
    char id[SC_ID_LEN];
    PGresult *res;
    int rc;

    sc_keys_new_id(id, "pl_");
    sc_pg_text(&p, id);
    sc_pg_text(&p, a->name);
    sc_pg_text(&p, sc_role_name(a->role));
    sc_pg_blob(&p, a->token_hash, 32);
    rc = sc_pg_exec(c, a->sql, &p, &res, "writing a player");
    if (rc != SC_STORE_OK)
        return rc;
    if (PQntuples(res) == 1) {
        memset(a->out, 0, sizeof *a->out);
        sc_pg_get_text(res, 0, 0, a->out->id, sizeof a->out->id);
        sc_pg_get_text(res, 0, 1, a->out->created_at,
                       sizeof a->out->created_at);
        snprintf(a->out->name, sizeof a->out->name, "%s", a->name);
        a->out->role = a->role;
    } else {
        rc = SC_STORE_IO;
    }
    PQclear(res);
    return rc;
}

static int player_write(sc_store *st, const char *sql, const char *name,
                        sc_role role, const uint8_t token_hash[32],
                        sc_player *out)
{
    write_args a = {sql, name, role, token_hash, out};

    if ((size_t)role >= SC_NROLES || strlen(name) >= sizeof out->name)
        return SC_STORE_CONFLICT;
    return sc_pg_with(st, player_write_op, &a);
}

int sc_pg_player_create(sc_store *st, const char *name, sc_role role,
                        const uint8_t token_hash[32], sc_player *out)
{
    return player_write(st, create_sql, name, role, token_hash, out);
}

int sc_pg_player_upsert(sc_store *st, const char *name, sc_role role,
                        const uint8_t token_hash[32], sc_player *out)
{
    return player_write(st, upsert_sql, name, role, token_hash, out);
}

typedef struct read_args {
    const char *sql;
    const char *id;          /* the key when not NULL, else the hash */
    const uint8_t *hash;     /* when given the stored hash must equal it */
    sc_player *out;
} read_args;

static int player_read_op(sc_pg_conn *c, void *arg)
{
    read_args *a = arg;
    sc_pg_params p = {0};
    uint8_t stored[32];
    char role[16];
    PGresult *res;
    int rc;

    if (a->id)
        sc_pg_text(&p, a->id);
    else
        sc_pg_blob(&p, a->hash, 32);
    rc = sc_pg_exec(c, a->sql, &p, &res, "reading a player");
    if (rc != SC_STORE_OK)
        return rc;
    rc = SC_STORE_NOTFOUND;
    if (PQntuples(res) == 1) {
        memset(a->out, 0, sizeof *a->out);
        sc_pg_get_text(res, 0, 0, a->out->id, sizeof a->out->id);
        sc_pg_get_text(res, 0, 1, a->out->name, sizeof a->out->name);
        sc_pg_get_text(res, 0, 2, role, sizeof role);
        sc_pg_get_text(res, 0, 3, a->out->created_at,
                       sizeof a->out->created_at);
        rc = sc_role_parse(role, &a->out->role) == 0 ? SC_STORE_OK
                                                      : SC_STORE_IO;
        if (!a->id && (sc_pg_get_blob(res, 0, 4, stored, 32) != 0 ||
                       sodium_memcmp(stored, a->hash, 32) != 0))
            rc = SC_STORE_NOTFOUND;
    }
    PQclear(res);
    return rc;
}

int sc_pg_player_by_token(sc_store *st, const uint8_t token_hash[32],
                          sc_player *out)
{
    read_args a = {by_token_sql, NULL, token_hash, out};
    return sc_pg_with(st, player_read_op, &a);
}

int sc_pg_player_get(sc_store *st, const char *id, sc_player *out)
{
    read_args a = {by_id_sql, id, NULL, out};
    return sc_pg_with(st, player_read_op, &a);
}

static int next_seq_op(sc_pg_conn *c, void *arg)
{
    PGresult *res;
    int rc = sc_pg_exec(c, next_seq_sql, NULL, &res, "reserving a seq");

    if (rc != SC_STORE_OK)
        return rc;
    if (PQntuples(res) == 1)
        *(int64_t *)arg = sc_pg_get_i64(res, 0, 0);
    else
        rc = SC_STORE_IO;
    PQclear(res);
    return rc;
}

int sc_pg_next_seq(sc_store *st, int64_t *seq)
{
    return sc_pg_with(st, next_seq_op, seq);
}

/* A meter's budget: NULL for unlimited; -1 beyond INT64_MAX. */
static int bind_budget(sc_pg_params *p, uint64_t v)
{
    if (v == SC_UNLIMITED) {
        sc_pg_null(p);
        return 0;
    }
    sc_pg_i64(p, v > INT64_MAX ? 0 : (int64_t)v);
    return v > INT64_MAX ? -1 : 0;
}

static int bind_instance(sc_pg_params *p, const sc_instance_row *r)
{
    int bad = 0;

    sc_pg_i64(p, r->seq);
    sc_pg_text(p, r->id);
    sc_pg_text(p, r->owner);
    sc_pg_text(p, r->family);
    sc_pg_text(p, r->params ? r->params : "{}");
    sc_pg_text(p, r->oracle ? r->oracle : "{}");
    for (int m = 0; m < SC_METERS; m++)
        bad |= bind_budget(p, r->budget[m]);
    for (int m = 0; m < SC_METERS; m++) {
        bad |= r->used[m] > INT64_MAX ? -1 : 0;
        sc_pg_i64(p, r->used[m] > INT64_MAX ? 0 : (int64_t)r->used[m]);
    }
    sc_pg_text(p, r->commitment);
    sc_pg_text(p, r->revealed ? "true" : "false");
    sc_pg_text_or_null(p, r->created_at);
    sc_pg_text_or_null(p, r->challenge);
    if (r->round >= 0)
        sc_pg_i64(p, r->round);
    else
        sc_pg_null(p);
    sc_pg_i64(p, r->coin_seq);
    return bad;
}

static int insert_op(sc_pg_conn *c, void *arg)
{
    sc_pg_params p = {0};

    if (bind_instance(&p, arg) != 0) {
        fputs("scoracled: store: an instance budget beyond INT64_MAX\n",
              stderr);
        return SC_STORE_IO;
    }
    return sc_pg_run(c, insert_sql, &p, NULL, "inserting an instance");
}

int sc_pg_instance_insert(sc_store *st, const sc_instance_row *row)
{
    /* The op only reads the row. */
    return sc_pg_with(st, insert_op, (void *)row);
}

static uint64_t get_budget(const PGresult *res, int col)
{
    if (sc_pg_isnull(res, 0, col))
        return SC_UNLIMITED;
    return (uint64_t)sc_pg_get_i64(res, 0, col);
}

static void read_instance(const PGresult *res, sc_instance_row *r)
{
    memset(r, 0, sizeof *r);
    r->seq = sc_pg_get_i64(res, 0, 0);
    sc_pg_get_text(res, 0, 1, r->id, sizeof r->id);
    sc_pg_get_text(res, 0, 2, r->owner, sizeof r->owner);
    sc_pg_get_text(res, 0, 3, r->family, sizeof r->family);
    r->params = sc_pg_get_dup(res, 0, 4);
    r->oracle = sc_pg_get_dup(res, 0, 5);
    for (int m = 0; m < SC_METERS; m++) {
        r->budget[m] = get_budget(res, 6 + m);
        r->used[m] = (uint64_t)sc_pg_get_i64(res, 0, 9 + m);
    }
    sc_pg_get_text(res, 0, 12, r->commitment, sizeof r->commitment);
    r->revealed = sc_pg_get_bool(res, 0, 13);
    sc_pg_get_text(res, 0, 14, r->created_at, sizeof r->created_at);
    sc_pg_get_text(res, 0, 15, r->challenge, sizeof r->challenge);
    r->round = sc_pg_isnull(res, 0, 16) ? -1
                                        : (int)sc_pg_get_i64(res, 0, 16);
    r->coin_seq = sc_pg_get_i64(res, 0, 17);
}

typedef struct get_args {
    const char *id;
    sc_instance_row *out;
} get_args;

static int get_op(sc_pg_conn *c, void *arg)
{
    get_args *a = arg;
    sc_pg_params p = {0};
    PGresult *res;
    int rc;

    sc_pg_text(&p, a->id);
    rc = sc_pg_exec(c, get_sql, &p, &res, "reading an instance");
    if (rc != SC_STORE_OK)
        return rc;
    rc = SC_STORE_NOTFOUND;
    if (PQntuples(res) == 1) {
        read_instance(res, a->out);
        rc = SC_STORE_OK;
    }
    PQclear(res);
    return rc;
}

int sc_pg_instance_get(sc_store *st, const char *id, sc_instance_row *out)
{
    get_args a = {id, out};
    return sc_pg_with(st, get_op, &a);
}

typedef struct spend_args {
    const char *id;
    int meter;
    uint64_t n;
    uint64_t before;
} spend_args;

/* The current use after a refusal that needs no statement. */
static int current_use(sc_pg_conn *c, spend_args *a)
{
    sc_pg_params p = {0};
    PGresult *res;
    int rc;

    sc_pg_text(&p, a->id);
    rc = sc_pg_exec(c, used_sql[a->meter], &p, &res, "reading a meter");
    if (rc != SC_STORE_OK)
        return rc;
    rc = SC_STORE_NOTFOUND;
    if (PQntuples(res) == 1) {
        a->before = (uint64_t)sc_pg_get_i64(res, 0, 0);
        rc = SC_STORE_BUDGET;
    }
    PQclear(res);
    return rc;
}

static int spend_op(sc_pg_conn *c, void *arg)
{
    spend_args *a = arg;
    sc_pg_params p = {0};
    PGresult *res;
    int rc;

    /* n beyond INT64_MAX can never fit a budget nor a counter. */
    if (a->n > INT64_MAX)
        return current_use(c, a);
    sc_pg_text(&p, a->id);
    sc_pg_i64(&p, (int64_t)a->n);
    sc_pg_i64(&p, INT64_MAX - (int64_t)a->n);
    rc = sc_pg_exec(c, spend_sql[a->meter], &p, &res, "spending budget");
    if (rc != SC_STORE_OK)
        return rc;
    rc = SC_STORE_NOTFOUND;
    if (PQntuples(res) == 1) {
        a->before = (uint64_t)sc_pg_get_i64(res, 0, 1);
        rc = sc_pg_get_bool(res, 0, 0) ? SC_STORE_OK : SC_STORE_BUDGET;
    }
    PQclear(res);
    return rc;
}

int sc_pg_spend_one(sc_store *st, const char *instance_id, int meter,
                    uint64_t n, uint64_t *before)
{
    spend_args a = {instance_id, meter, n, 0};
    int rc = sc_pg_with(st, spend_op, &a);

    if (rc == SC_STORE_OK || rc == SC_STORE_BUDGET)
        *before = a.before;
    return rc;
}

static int reveal_op(sc_pg_conn *c, void *arg)
{
    sc_pg_params p = {0};
    PGresult *res;
    int rc;

    sc_pg_text(&p, arg);
    rc = sc_pg_exec(c, reveal_sql, &p, &res, "revealing an instance");
    if (rc != SC_STORE_OK)
        return rc;
    if (PQntuples(res) != 1)
        rc = SC_STORE_IO;
    else if (sc_pg_get_i64(res, 0, 0) == 1)
        rc = SC_STORE_OK;
    else
        rc = sc_pg_get_i64(res, 0, 1) == 1 ? SC_STORE_CONFLICT
                                           : SC_STORE_NOTFOUND;
    PQclear(res);
    return rc;
}

int sc_pg_instance_reveal(sc_store *st, const char *instance_id)
{
    return sc_pg_with(st, reveal_op, (void *)instance_id);
}

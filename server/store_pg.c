/*
 * The PostgreSQL store: opening, the connection pool, prepared
 * statements, transactions, migrations.  The queries live in
 * store_pg_players.c, store_pg_games.c and store_pg_classes.c.
 */
#include "server/store_pg.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

/* Connections one process opens at most: the HTTP threads (16 by
 * default), the compute pool and the usage flusher. */
#define MAX_CONNS 48
/* Runs of one transaction before giving up (SC_STORE_IO). */
#define MAX_TRIES 32
/* Any two servers that migrate take this advisory lock first. */
#define MIGRATION_LOCK "7353206131"

typedef struct prepared {
    const char *sql;
    char name[16];
} prepared;

struct sc_pg_conn {
    PGconn *db;
    prepared *stmts;
    size_t nstmts, cap;
};

typedef struct pg_store {
    sc_store base; /* first: the handle callers hold */
    char *uri;
    int version;
    _Atomic uint64_t retries;
    sc_pg_spends *spends; /* coalesced spends (store_pg_spend.c) */
    pthread_mutex_t mu; /* guards idle, nidle, nopen */
    pthread_cond_t idle_cv;
    sc_pg_conn *idle[MAX_CONNS];
    size_t nidle, nopen;
} pg_store;

static pg_store *pgs(sc_store *st)
{
    return (pg_store *)st;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);

    if (!q) {
        fputs("scoracled: store: out of memory\n", stderr);
        abort();
    }
    return q;
}

/* Logs "what" with libpq's message, on one line: never a bound value,
 * nor the connection URI (no password reaches the log). */
static void log_pg(const char *what, PGconn *db)
{
    const char *m = PQerrorMessage(db);
    int n = (int)strcspn(m, "\n");

    fprintf(stderr, "scoracled: store: %s: %.*s\n", what, n, m);
}

/* Parameters. */

static void put(sc_pg_params *p, const char *v, int len, int fmt)
{
    if (p->n >= SC_PG_MAX_PARAMS) {
        fputs("scoracled: store: too many parameters\n", stderr);
        abort();
    }
    p->v[p->n] = v;
    p->len[p->n] = len;
    p->fmt[p->n] = fmt;
    p->n++;
}

void sc_pg_text(sc_pg_params *p, const char *s)
{
    put(p, s ? s : "", 0, 0);
}

void sc_pg_text_or_null(sc_pg_params *p, const char *s)
{
    put(p, s && *s ? s : NULL, 0, 0);
}

void sc_pg_null(sc_pg_params *p)
{
    put(p, NULL, 0, 0);
}

void sc_pg_i64(sc_pg_params *p, int64_t v)
{
    char *b = p->buf[p->n < SC_PG_MAX_PARAMS ? p->n : 0];

    snprintf(b, sizeof p->buf[0], "%lld", (long long)v);
    put(p, b, 0, 0);
}

void sc_pg_f64(sc_pg_params *p, double v)
{
    char *b = p->buf[p->n < SC_PG_MAX_PARAMS ? p->n : 0];

    if (isnan(v)) {
        put(p, NULL, 0, 0);
        return;
    }
    if (isinf(v))
        snprintf(b, sizeof p->buf[0], "%s", v > 0 ? "Infinity" : "-Infinity");
    else
        snprintf(b, sizeof p->buf[0], "%.17g", v);
    put(p, b, 0, 0);
}

void sc_pg_blob(sc_pg_params *p, const void *b, int len)
{
    put(p, b, len, 1);
}

/* Results. */

bool sc_pg_isnull(const PGresult *res, int r, int col)
{
    return PQgetisnull(res, r, col) != 0;
}

int64_t sc_pg_get_i64(const PGresult *res, int r, int col)
{
    return strtoll(PQgetvalue(res, r, col), NULL, 10);
}

double sc_pg_get_f64(const PGresult *res, int r, int col)
{
    return strtod(PQgetvalue(res, r, col), NULL);
}

bool sc_pg_get_bool(const PGresult *res, int r, int col)
{
    return PQgetvalue(res, r, col)[0] == 't';
}

void sc_pg_get_text(const PGresult *res, int r, int col, char *out,
                    size_t cap)
{
    snprintf(out, cap, "%s", PQgetvalue(res, r, col));
}

char *sc_pg_get_dup(const PGresult *res, int r, int col)
{
    char *d;

    if (PQgetisnull(res, r, col))
        return NULL;
    d = strdup(PQgetvalue(res, r, col));
    if (!d) {
        fputs("scoracled: store: out of memory\n", stderr);
        abort();
    }
    return d;
}

/* bytea comes in text format as "\x" and hex digits. */
int sc_pg_get_blob(const PGresult *res, int r, int col, uint8_t *out,
                   size_t len)
{
    const char *v = PQgetvalue(res, r, col);
    size_t got = 0;

    if (strncmp(v, "\\x", 2) != 0 ||
        sodium_hex2bin(out, len, v + 2, strlen(v + 2), NULL, &got, NULL) !=
            0 ||
        got != len)
        return -1;
    return 0;
}

/* Connections. */

static void conn_close(sc_pg_conn *c)
{
    PQfinish(c->db);
    free(c->stmts);
    free(c);
}

static sc_pg_conn *conn_open(const char *uri)
{
    sc_pg_conn *c = xrealloc(NULL, sizeof *c);
    PGresult *res;

    memset(c, 0, sizeof *c);
    c->db = PQconnectdb(uri);
    if (PQstatus(c->db) != CONNECTION_OK) {
        log_pg("connecting to PostgreSQL", c->db);
        conn_close(c);
        return NULL;
    }
    /* Times in UTC; floats printed exactly (the default since 12, set
     * anyway for older servers); spends durable at commit.  What the
     * code assumes of a session is set, not inherited from a database
     * or role default: lone statements run under READ COMMITTED (a
     * serializable default would fail hot spends with 40001), and bytea
     * comes back as hex, the only form sc_pg_get_blob reads. */
    res = PQexec(c->db, "SET TIME ZONE 'UTC';"
                        " SET extra_float_digits = 3;"
                        " SET synchronous_commit = on;"
                        " SET default_transaction_isolation ="
                        " 'read committed';"
                        " SET bytea_output = 'hex';"
                        " SET client_min_messages = warning");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        log_pg("configuring a connection", c->db);
        PQclear(res);
        conn_close(c);
        return NULL;
    }
    PQclear(res);
    return c;
}

sc_pg_conn *sc_pg_acquire(sc_store *base)
{
    pg_store *st = pgs(base);
    sc_pg_conn *c = NULL;
    bool open_new = false;

    pthread_mutex_lock(&st->mu);
    while (st->nidle == 0 && st->nopen == MAX_CONNS)
        pthread_cond_wait(&st->idle_cv, &st->mu);
    if (st->nidle > 0) {
        c = st->idle[--st->nidle];
    } else {
        st->nopen++;
        open_new = true;
    }
    pthread_mutex_unlock(&st->mu);
    if (!open_new && PQstatus(c->db) != CONNECTION_OK) {
        /* The server went away (restart, failover): start afresh. */
        conn_close(c);
        open_new = true;
    }
    if (open_new) {
        c = conn_open(st->uri); /* outside the lock: it waits on the net */
        if (!c) {
            pthread_mutex_lock(&st->mu);
            st->nopen--;
            pthread_cond_signal(&st->idle_cv);
            pthread_mutex_unlock(&st->mu);
        }
    }
    return c;
}

void sc_pg_release(sc_store *base, sc_pg_conn *c)
{
    pg_store *st = pgs(base);

    if (PQtransactionStatus(c->db) != PQTRANS_IDLE) {
        /* A caller returned inside a transaction: end it, never leak it
         * to the next user. */
        PQclear(PQexec(c->db, "ROLLBACK"));
    }
    pthread_mutex_lock(&st->mu);
    st->idle[st->nidle++] = c;
    pthread_cond_signal(&st->idle_cv);
    pthread_mutex_unlock(&st->mu);
}

/* Statements. */

/* The name of sql's prepared statement on c, preparing it the first
 * time; NULL on error (logged). */
static const char *prepared_name(sc_pg_conn *c, const char *sql)
{
    PGresult *res;
    prepared *p;

    for (size_t i = 0; i < c->nstmts; i++)
        if (c->stmts[i].sql == sql)
            return c->stmts[i].name;
    if (c->nstmts == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 32;
        c->stmts = xrealloc(c->stmts, c->cap * sizeof *c->stmts);
    }
    p = &c->stmts[c->nstmts];
    snprintf(p->name, sizeof p->name, "s%zu", c->nstmts);
    res = PQprepare(c->db, p->name, sql, 0, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        log_pg("preparing a statement", c->db);
        PQclear(res);
        return NULL;
    }
    PQclear(res);
    p->sql = sql;
    c->nstmts++;
    return p->name;
}

typedef struct sqlstate_code {
    const char *state;
    int code;
} sqlstate_code;

static const sqlstate_code sqlstate_codes[] = {
    {"23505", SC_STORE_CONFLICT}, /* unique_violation */
    {"23514", SC_STORE_CONFLICT}, /* check_violation */
    {"23503", SC_STORE_NOTFOUND}, /* foreign_key_violation */
    {"40001", SC_PG_RETRY},       /* serialization_failure */
    {"40P01", SC_PG_RETRY},       /* deadlock_detected */
};
#define NSQLSTATES (sizeof sqlstate_codes / sizeof sqlstate_codes[0])

static int failure(sc_pg_conn *c, const PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
                            : NULL;

    for (size_t i = 0; state && i < NSQLSTATES; i++)
        if (strcmp(state, sqlstate_codes[i].state) == 0)
            return sqlstate_codes[i].code;
    log_pg(what, c->db);
    return SC_STORE_IO;
}

int sc_pg_exec(sc_pg_conn *c, const char *sql, const sc_pg_params *p,
               PGresult **res, const char *what)
{
    static const sc_pg_params none;
    const char *name = prepared_name(c, sql);
    ExecStatusType status;
    int rc;

    *res = NULL;
    if (!p)
        p = &none;
    if (!name)
        return SC_STORE_IO;
    *res = PQexecPrepared(c->db, name, p->n, p->v, p->len, p->fmt, 0);
    status = PQresultStatus(*res);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
        return SC_STORE_OK;
    rc = failure(c, *res, what);
    PQclear(*res);
    *res = NULL;
    return rc;
}

int sc_pg_run(sc_pg_conn *c, const char *sql, const sc_pg_params *p,
              int *changed, const char *what)
{
    PGresult *res;
    int rc = sc_pg_exec(c, sql, p, &res, what);

    if (changed)
        *changed = rc == SC_STORE_OK ? atoi(PQcmdTuples(res)) : 0;
    PQclear(res);
    return rc;
}

/* Reads. */

static int read_op(sc_pg_conn *c, void *arg)
{
    sc_pg_reader *rd = arg;
    PGresult *res;
    int rc = sc_pg_exec(c, rd->sql, &rd->p, &res, "reading");
    int rows;
    char *buf;

    if (rc != SC_STORE_OK)
        return rc;
    rows = PQntuples(res);
    if (rd->one) {
        if (rows == 1)
            rd->read(res, 0, rd->out);
        PQclear(res);
        return rows == 1 ? SC_STORE_OK : SC_STORE_NOTFOUND;
    }
    buf = rows > 0 ? calloc((size_t)rows, rd->elem) : NULL;
    if (rows > 0 && !buf) {
        PQclear(res);
        return SC_STORE_IO;
    }
    for (int r = 0; r < rows; r++)
        rd->read(res, r, buf + (size_t)r * rd->elem);
    PQclear(res);
    *(void **)rd->out = buf;
    rd->n = (size_t)rows;
    return SC_STORE_OK;
}

int sc_pg_read(sc_store *st, sc_pg_reader *rd, size_t *n)
{
    int rc = sc_pg_with(st, read_op, rd);

    if (n)
        *n = rc == SC_STORE_OK ? rd->n : 0;
    return rc;
}

/* Transactions. */

static int simple(sc_pg_conn *c, const char *sql)
{
    PGresult *res = PQexec(c->db, sql);
    ExecStatusType status = PQresultStatus(res);
    int rc = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK
                 ? SC_STORE_OK
                 : failure(c, res, sql);

    PQclear(res);
    return rc;
}

/* A random pause of up to (1 << try) hundred microseconds, at most
 * about 50 ms, so that the transactions that collided do not again. */
static void backoff(int try)
{
    uint32_t cap = 100u << (try < 9 ? try : 9);
    struct timespec ts = {0, 1000L * (long)randombytes_uniform(cap)};

    nanosleep(&ts, NULL);
}

static int tx_once(sc_pg_conn *c, sc_pg_op fn, void *arg)
{
    int rc = simple(c, "BEGIN ISOLATION LEVEL SERIALIZABLE");

    if (rc == SC_STORE_OK)
        rc = fn(c, arg);
    if (rc == SC_STORE_OK)
        return simple(c, "COMMIT");
    PQclear(PQexec(c->db, "ROLLBACK"));
    return rc;
}

int sc_pg_tx(sc_store *base, sc_pg_op fn, void *arg)
{
    pg_store *st = pgs(base);
    sc_pg_conn *c = sc_pg_acquire(base);
    int rc = SC_STORE_IO;

    if (!c)
        return SC_STORE_IO;
    for (int try = 0; try < MAX_TRIES; try++) {
        rc = tx_once(c, fn, arg);
        if (rc != SC_PG_RETRY)
            break;
        atomic_fetch_add(&st->retries, 1);
        backoff(try);
    }
    sc_pg_release(base, c);
    if (rc == SC_PG_RETRY) {
        fputs("scoracled: store: a transaction kept colliding\n", stderr);
        rc = SC_STORE_IO;
    }
    return rc;
}

int sc_pg_with(sc_store *st, sc_pg_op fn, void *arg)
{
    sc_pg_conn *c = sc_pg_acquire(st);
    int rc;

    if (!c)
        return SC_STORE_IO;
    rc = fn(c, arg);
    sc_pg_release(st, c);
    /* A lone statement is never a serialization failure under READ
     * COMMITTED; should one come, it changed nothing. */
    return rc == SC_PG_RETRY ? SC_STORE_IO : rc;
}

/* Migrations. */

static const char version_sql[] = "SELECT version FROM schema_version";

/* The version recorded in schema_version, creating the table at 0;
 * inside the caller's transaction, after the migration lock. */
static int read_version(sc_pg_conn *c, int *version)
{
    PGresult *res;
    int rc = simple(c, "CREATE TABLE IF NOT EXISTS schema_version ("
                       " version INTEGER NOT NULL);"
                       "INSERT INTO schema_version (version)"
                       " SELECT 0 WHERE NOT EXISTS"
                       " (SELECT 1 FROM schema_version)");

    if (rc != SC_STORE_OK)
        return rc;
    rc = sc_pg_exec(c, version_sql, NULL, &res, "reading the version");
    if (rc != SC_STORE_OK)
        return rc;
    if (PQntuples(res) != 1)
        rc = SC_STORE_IO;
    else
        *version = (int)sc_pg_get_i64(res, 0, 0);
    PQclear(res);
    return rc;
}

static int apply_migration(sc_pg_conn *c, int v)
{
    char sql[64];
    int rc = simple(c, sc_pg_migrations[v]);

    if (rc != SC_STORE_OK)
        return rc;
    snprintf(sql, sizeof sql, "UPDATE schema_version SET version = %d",
             v + 1);
    return simple(c, sql);
}

/* One transaction per migration, under an advisory lock, the version
 * re-read inside each: replicas starting together migrate once. */
static int migrate(sc_pg_conn *c, int *version, char *err, size_t errlen)
{
    const int target = (int)sc_pg_nmigrations;

    for (;;) {
        int v = 0;
        int rc = simple(c, "BEGIN");

        if (rc == SC_STORE_OK)
            rc = simple(c, "SELECT pg_advisory_xact_lock("
                           MIGRATION_LOCK ")");
        if (rc == SC_STORE_OK)
            rc = read_version(c, &v);
        if (rc == SC_STORE_OK && v > target) {
            snprintf(err, errlen,
                     "the database has schema version %d, newer than this "
                     "build's %d: run a newer scoracled",
                     v, target);
            PQclear(PQexec(c->db, "ROLLBACK"));
            return SC_STORE_IO;
        }
        if (rc == SC_STORE_OK && v < target)
            rc = apply_migration(c, v);
        if (rc == SC_STORE_OK)
            rc = simple(c, "COMMIT");
        if (rc != SC_STORE_OK) {
            const char *m = PQerrorMessage(c->db);
            snprintf(err, errlen, "migrating the database to version %d "
                     "failed: %.*s", v + 1, (int)strcspn(m, "\n"), m);
            PQclear(PQexec(c->db, "ROLLBACK"));
            return SC_STORE_IO;
        }
        if (v == target) {
            *version = v;
            return SC_STORE_OK;
        }
    }
}

/* Opening and the table. */

static const sc_store_ops pg_ops;

sc_pg_spends *sc_pg_spends_of(sc_store *st)
{
    return pgs(st)->spends;
}

static void pg_close(sc_store *base)
{
    pg_store *st = pgs(base);

    sc_pg_spends_free(st->spends);
    for (size_t i = 0; i < st->nidle; i++)
        conn_close(st->idle[i]);
    pthread_cond_destroy(&st->idle_cv);
    pthread_mutex_destroy(&st->mu);
    free(st->uri);
    free(st);
}

int sc_pg_open(const char *uri, sc_store **out, char *err, size_t errlen)
{
    pg_store *st = xrealloc(NULL, sizeof *st);
    sc_pg_conn *c;
    int rc;

    *out = NULL;
    memset(st, 0, sizeof *st);
    st->base.ops = &pg_ops;
    st->uri = strdup(uri);
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->idle_cv, NULL);
    atomic_init(&st->retries, 0);
    st->spends = sc_pg_spends_new();
    c = st->uri && st->spends ? sc_pg_acquire(&st->base) : NULL;
    if (!c) {
        /* The URI may hold a password: never repeat it. */
        snprintf(err, errlen, "cannot connect to PostgreSQL "
                 "(see the log above)");
        pg_close(&st->base);
        return SC_STORE_IO;
    }
    rc = migrate(c, &st->version, err, errlen);
    sc_pg_release(&st->base, c);
    if (rc != SC_STORE_OK) {
        pg_close(&st->base);
        return rc;
    }
    *out = &st->base;
    return SC_STORE_OK;
}

static int pg_schema_version(sc_store *st)
{
    return pgs(st)->version;
}

static int ping_op(sc_pg_conn *c, void *arg)
{
    (void)arg;
    return sc_pg_run(c, version_sql, NULL, NULL, "pinging");
}

static int pg_ping(sc_store *st)
{
    return sc_pg_with(st, ping_op, NULL);
}

static uint64_t pg_retries(sc_store *st)
{
    return atomic_load(&pgs(st)->retries);
}

static const sc_store_ops pg_ops = {
    .name = "postgresql",
    .close = pg_close,
    .schema_version = pg_schema_version,
    .ping = pg_ping,
    .retries = pg_retries,
    .holds_data = sc_pg_holds_data,
    .key_fingerprint = sc_pg_key_fingerprint,
    .player_create = sc_pg_player_create,
    .player_upsert = sc_pg_player_upsert,
    .player_by_token = sc_pg_player_by_token,
    .player_get = sc_pg_player_get,
    .next_seq = sc_pg_next_seq,
    .instance_insert = sc_pg_instance_insert,
    .instance_get = sc_pg_instance_get,
    .spend = sc_pg_spend,
    .instance_reveal = sc_pg_instance_reveal,
    .challenge_insert = sc_pg_challenge_insert,
    .challenge_get = sc_pg_challenge_get,
    .challenge_rounds = sc_pg_challenge_rounds,
    .round_get = sc_pg_round_get,
    .challenge_list = sc_pg_challenge_list,
    .round_answer = sc_pg_round_answer,
    .challenge_finish = sc_pg_challenge_finish,
    .attempts = sc_pg_attempts,
    .standing = sc_pg_standing,
    .boards = sc_pg_boards,
    .season_insert = sc_pg_season_insert,
    .season_get = sc_pg_season_get,
    .season_list = sc_pg_season_list,
    .classes_of = sc_pg_classes_of,
    .class_set_code = sc_pg_class_set_code,
    .assignment_get = sc_pg_assignment_get,
    .class_insert = sc_pg_class_insert,
    .class_get = sc_pg_class_get,
    .class_by_code = sc_pg_class_by_code,
    .class_enroll = sc_pg_class_enroll,
    .class_students = sc_pg_class_students,
    .assignment_insert = sc_pg_assignment_insert,
    .assignments = sc_pg_assignments,
    .class_results = sc_pg_class_results,
};

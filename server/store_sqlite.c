/*
 * The SQLite store: opening, the connection pool, prepared statements,
 * migrations.  The queries live in store_players.c and store_instances.c.
 */
#include "server/store_sqlite.h"
#include "server/store_backend.h"
#include "server/xalloc.h"
#include "core/sc_assert.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough for an MHD thread pool and a compute pool together. */
#define MAX_CONNS 64
/* How long a statement waits for another process's write lock. */
#define BUSY_TIMEOUT_MS 5000

typedef struct cached_stmt {
    const char *sql;
    sqlite3_stmt *stmt;
} cached_stmt;

struct sc_store_conn {
    sqlite3 *db;
    cached_stmt *cache;
    size_t ncache, cap;
    bool writer; /* holds the store's writer lock */
};

/* A write waiting for the group commit; lives on its caller's stack. */
typedef struct group_req {
    sc_store_op op;
    void *arg;
    int rc;
    bool done;
    struct group_req *next;
} group_req;

typedef struct sqlite_store {
    sc_store base; /* first: the handle callers hold */
    char path[PATH_MAX];
    int version;
    pthread_mutex_t mu; /* guards idle, nidle, nopen */
    pthread_cond_t idle_cv;
    sc_store_conn *idle[MAX_CONNS];
    size_t nidle, nopen;
    pthread_mutex_t writer;
    pthread_mutex_t group_mu; /* guards pending, leading, done flags */
    pthread_cond_t group_cv;
    group_req *pending, **pending_tail;
    bool leading; /* a thread is running a batch */
} sqlite_store;

static sqlite_store *lite(sc_store *st)
{
    return (sqlite_store *)st;
}

/* Explicit transactions for multi-statement writes (BEGIN IMMEDIATE:
 * the write lock is taken up front, so a reader never has to upgrade). */
static int tx_begin(sc_store_conn *c);
static int tx_commit(sc_store_conn *c);
static void tx_rollback(sc_store_conn *c);

static void log_db(sqlite3 *db, const char *what)
{
    fprintf(stderr, "scoracled: store: %s: %s (%d)\n", what,
            db ? sqlite3_errmsg(db) : "cannot allocate",
            db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM);
}

int sc_store_fail(sc_store_conn *c, const char *what)
{
    log_db(c->db, what);
    return SC_STORE_IO;
}

sqlite3 *sc_store_db(sc_store_conn *c)
{
    return c->db;
}

static void conn_close(sc_store_conn *c)
{
    for (size_t i = 0; i < c->ncache; i++)
        sqlite3_finalize(c->cache[i].stmt);
    free(c->cache);
    sqlite3_close(c->db);
    free(c);
}

/* The pragmas every connection needs: synchronous=FULL makes a commit
 * durable before it returns (WAL mode syncs the log at each commit). */
static int conn_configure(sqlite3 *db)
{
    sqlite3_stmt *s = NULL;
    bool wal = false;

    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &s, NULL) !=
        SQLITE_OK)
        return -1;
    if (sqlite3_step(s) == SQLITE_ROW) {
        const char *mode = (const char *)sqlite3_column_text(s, 0);
        wal = mode && strcmp(mode, "wal") == 0;
    }
    sqlite3_finalize(s);
    if (!wal)
        return -1;
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    return sqlite3_exec(db,
                        "PRAGMA synchronous=FULL;"
                        "PRAGMA foreign_keys=ON;"
                        "PRAGMA trusted_schema=OFF;",
                        NULL, NULL, NULL) == SQLITE_OK
               ? 0
               : -1;
}

static sc_store_conn *conn_open(const char *path)
{
    sc_store_conn *c = sc_xcalloc(1, sizeof *c);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;

    if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK ||
        sqlite3_extended_result_codes(c->db, 1) != SQLITE_OK ||
        conn_configure(c->db) != 0) {
        log_db(c->db, "opening the database");
        conn_close(c);
        return NULL;
    }
    return c;
}

sc_store_conn *sc_store_acquire(sc_store *base, bool write)
{
    sqlite_store *st = lite(base);
    sc_store_conn *c = NULL;
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
    if (open_new) {
        c = conn_open(st->path); /* outside the lock: it touches the disk */
        if (!c) {
            pthread_mutex_lock(&st->mu);
            st->nopen--;
            pthread_cond_signal(&st->idle_cv);
            pthread_mutex_unlock(&st->mu);
            return NULL;
        }
    }
    if (write)
        pthread_mutex_lock(&st->writer);
    c->writer = write;
    return c;
}

void sc_store_release(sc_store *base, sc_store_conn *c)
{
    sqlite_store *st = lite(base);

    for (size_t i = 0; i < c->ncache; i++)
        sqlite3_reset(c->cache[i].stmt);
    if (!sqlite3_get_autocommit(c->db)) {
        /* A caller returned inside a transaction: end it, never leak
         * it to the next user. */
        tx_rollback(c);
    }
    if (c->writer)
        pthread_mutex_unlock(&st->writer);
    c->writer = false;
    pthread_mutex_lock(&st->mu);
    SC_ASSERT(st->nidle < st->nopen && st->nopen <= MAX_CONNS);
    st->idle[st->nidle++] = c;
    pthread_cond_signal(&st->idle_cv);
    pthread_mutex_unlock(&st->mu);
}

sqlite3_stmt *sc_store_stmt(sc_store_conn *c, const char *sql)
{
    sqlite3_stmt *s = NULL;

    for (size_t i = 0; i < c->ncache; i++) {
        if (c->cache[i].sql == sql) {
            s = c->cache[i].stmt;
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
            return s;
        }
    }
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
                           NULL) != SQLITE_OK) {
        log_db(c->db, "preparing a statement");
        return NULL;
    }
    if (c->ncache == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->cache = sc_xrealloc(c->cache, c->cap * sizeof *c->cache);
    }
    c->cache[c->ncache++] = (cached_stmt){sql, s};
    return s;
}

static int constraint_code(int ext)
{
    switch (ext) {
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return SC_STORE_NOTFOUND;
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_CHECK:
        return SC_STORE_CONFLICT;
    default:
        return SC_STORE_IO;
    }
}

int sc_store_done(sc_store_conn *c, sqlite3_stmt *s, int rc,
                  const char *what)
{
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return SC_STORE_OK;
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        int code = constraint_code(rc);
        if (code != SC_STORE_IO)
            return code;
    }
    return sc_store_fail(c, what);
}

static int tx_begin(sc_store_conn *c)
{
    if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
        SQLITE_OK)
        return sc_store_fail(c, "beginning a transaction");
    return SC_STORE_OK;
}

static int tx_commit(sc_store_conn *c)
{
    if (sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = sc_store_fail(c, "committing");
        tx_rollback(c);
        return rc;
    }
    return SC_STORE_OK;
}

static void tx_rollback(sc_store_conn *c)
{
    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

void sc_store_bind_text_or_null(sqlite3_stmt *s, int col, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, col, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, col);
}

void sc_store_column_text(sqlite3_stmt *s, int col, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(s, col);

    snprintf(out, cap, "%s", t ? (const char *)t : "");
}

static int step_static(sc_store_conn *c, const char *sql)
{
    sqlite3_stmt *s = sc_store_stmt(c, sql);

    if (!s || sqlite3_step(s) != SQLITE_DONE)
        return sc_store_fail(c, sql);
    return SC_STORE_OK;
}

static const char savepoint_sql[] = "SAVEPOINT op";
static const char rollback_to_sql[] = "ROLLBACK TO op";
static const char release_sql[] = "RELEASE op";

/* One op of a batch, in its own savepoint. */
static int run_op(sc_store_conn *c, group_req *r)
{
    int rc = step_static(c, savepoint_sql);

    if (rc != SC_STORE_OK)
        return rc;
    rc = r->op(c, r->arg);
    if (rc != SC_STORE_OK && step_static(c, rollback_to_sql) != SC_STORE_OK)
        return SC_STORE_IO;
    if (step_static(c, release_sql) != SC_STORE_OK)
        return SC_STORE_IO;
    return rc;
}

/* Runs a batch in one transaction.  Should SQLite abandon the transaction
 * (an I/O error rolls it back whole), every op of the batch failed. */
static void run_batch(sc_store *st, group_req *batch)
{
    sc_store_conn *c = sc_store_acquire(st, true);
    bool ok = c && tx_begin(c) == SC_STORE_OK;

    for (group_req *r = batch; ok && r; r = r->next) {
        SC_ASSERT(c->writer);
        r->rc = run_op(c, r);
        ok = !sqlite3_get_autocommit(c->db);
    }
    if (ok)
        ok = tx_commit(c) == SC_STORE_OK;
    if (!ok)
        for (group_req *r = batch; r; r = r->next)
            r->rc = SC_STORE_IO;
    if (c)
        sc_store_release(st, c);
}

/*
 * The first thread to find no batch running leads: it takes every op
 * queued so far (its own included) and runs them; ops queued meanwhile
 * wait for the next leader.  A waiter whose op was run just returns.
 */
int sc_store_grouped(sc_store *base, sc_store_op op, void *arg)
{
    sqlite_store *st = lite(base);
    group_req me = {op, arg, SC_STORE_IO, false, NULL};
    group_req *batch, *next;

    pthread_mutex_lock(&st->group_mu);
    *st->pending_tail = &me;
    st->pending_tail = &me.next;
    while (!me.done && st->leading)
        pthread_cond_wait(&st->group_cv, &st->group_mu);
    if (me.done) {
        pthread_mutex_unlock(&st->group_mu);
        return me.rc;
    }
    st->leading = true;
    batch = st->pending;
    SC_ASSERT(batch != NULL); /* at least this thread's own op */
    st->pending = NULL;
    st->pending_tail = &st->pending;
    pthread_mutex_unlock(&st->group_mu);

    run_batch(base, batch);

    pthread_mutex_lock(&st->group_mu);
    for (group_req *r = batch; r; r = next) {
        next = r->next; /* r belongs to its waiter once done is set */
        r->done = true;
    }
    st->leading = false;
    pthread_cond_broadcast(&st->group_cv);
    pthread_mutex_unlock(&st->group_mu);
    return me.rc;
}

/* The version recorded in schema_version, creating the table at 0.
 * Runs inside the caller's transaction. */
static int read_version(sc_store_conn *c, int *version)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_exec(c->db,
                     "CREATE TABLE IF NOT EXISTS schema_version ("
                     " version INTEGER NOT NULL);"
                     "INSERT INTO schema_version (version)"
                     " SELECT 0 WHERE NOT EXISTS"
                     " (SELECT 1 FROM schema_version);",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db, "SELECT version FROM schema_version", -1,
                           &s, NULL) != SQLITE_OK)
        return sc_store_fail(c, "reading the schema version");
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? SC_STORE_OK
                            : sc_store_fail(c, "reading the schema version");
}

/* Applies migration v (taking the schema from version v to v + 1). */
static int apply_migration(sc_store_conn *c, int v)
{
    char sql[64];

    if (sqlite3_exec(c->db, sc_store_migrations[v], NULL, NULL, NULL) !=
        SQLITE_OK)
        return sc_store_fail(c, "applying a migration");
    snprintf(sql, sizeof sql, "UPDATE schema_version SET version = %d",
             v + 1);
    if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sc_store_fail(c, "recording a migration");
    return SC_STORE_OK;
}

/* One transaction per migration; the version is re-read inside each, so
 * servers starting together on one database migrate it once. */
static int migrate(sc_store_conn *c, int *version, char *err, size_t errlen)
{
    const int target = (int)sc_store_nmigrations;

    for (;;) {
        int v = 0;
        int rc = tx_begin(c);

        if (rc == SC_STORE_OK)
            rc = read_version(c, &v);
        if (rc == SC_STORE_OK && v > target) {
            snprintf(err, errlen,
                     "the database has schema version %d, newer than this "
                     "build's %d: run a newer scoracled",
                     v, target);
            tx_rollback(c);
            return SC_STORE_IO;
        }
        if (rc == SC_STORE_OK && v < target)
            rc = apply_migration(c, v);
        if (rc == SC_STORE_OK)
            rc = tx_commit(c);
        if (rc != SC_STORE_OK) {
            snprintf(err, errlen, "migrating the database to version %d "
                     "failed: %s", v + 1, sqlite3_errmsg(c->db));
            tx_rollback(c);
            return rc;
        }
        if (v == target) {
            *version = v;
            return SC_STORE_OK;
        }
    }
}

static const sc_store_ops sqlite_ops;

static sqlite_store *store_new(const char *path, char *err, size_t errlen)
{
    sqlite_store *st;
    int n;

    st = sc_xcalloc(1, sizeof *st);
    st->base.ops = &sqlite_ops;
    n = snprintf(st->path, sizeof st->path, "%s", path);
    if (n < 0 || (size_t)n >= sizeof st->path) {
        snprintf(err, errlen, "database path %s is too long", path);
        free(st);
        return NULL;
    }
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->idle_cv, NULL);
    pthread_mutex_init(&st->writer, NULL);
    pthread_mutex_init(&st->group_mu, NULL);
    pthread_cond_init(&st->group_cv, NULL);
    st->pending_tail = &st->pending;
    return st;
}

static void sqlite_close(sc_store *base)
{
    sqlite_store *st = lite(base);

    for (size_t i = 0; i < st->nidle; i++)
        conn_close(st->idle[i]);
    pthread_cond_destroy(&st->group_cv);
    pthread_mutex_destroy(&st->group_mu);
    pthread_mutex_destroy(&st->writer);
    pthread_cond_destroy(&st->idle_cv);
    pthread_mutex_destroy(&st->mu);
    free(st);
}

int sc_sqlite_open(const char *path, sc_store **out, char *err,
                   size_t errlen)
{
    sqlite_store *st;
    sc_store_conn *c;
    int rc;

    *out = NULL;
    if (!sqlite3_threadsafe()) {
        snprintf(err, errlen, "SQLite was built without thread support");
        return SC_STORE_IO;
    }
    st = store_new(path, err, errlen);
    if (!st)
        return SC_STORE_IO;
    if (sc_store_check(st->path, err, errlen) != SC_STORE_OK) {
        sqlite_close(&st->base);
        return SC_STORE_IO;
    }
    c = sc_store_acquire(&st->base, true);
    if (!c) {
        snprintf(err, errlen, "cannot open %s: it may be damaged or not a "
                 "database (see the log above); restore it from your "
                 "backup (deploy/README.md)", st->path);
        sqlite_close(&st->base);
        return SC_STORE_IO;
    }
    rc = migrate(c, &st->version, err, errlen);
    sc_store_release(&st->base, c);
    if (rc != SC_STORE_OK) {
        sqlite_close(&st->base);
        return rc;
    }
    *out = &st->base;
    return SC_STORE_OK;
}

static int sqlite_schema_version(sc_store *st)
{
    return lite(st)->version;
}

/* Reachable: a connection answers a trivial query. */
static int sqlite_ping(sc_store *st)
{
    sc_store_conn *c = sc_store_acquire(st, false);
    sqlite3_stmt *s;
    int rc = SC_STORE_IO;

    if (!c)
        return SC_STORE_IO;
    s = sc_store_stmt(c, "SELECT version FROM schema_version");
    if (s && sqlite3_step(s) == SQLITE_ROW)
        rc = SC_STORE_OK;
    sc_store_release(st, c);
    return rc;
}

/* One process writes at a time: nothing is ever retried. */
static uint64_t sqlite_retries(sc_store *st)
{
    (void)st;
    return 0;
}

static const sc_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .schema_version = sqlite_schema_version,
    .ping = sqlite_ping,
    .retries = sqlite_retries,
    .holds_data = sc_sqlite_holds_data,
    .key_fingerprint = sc_sqlite_key_fingerprint,
    .player_create = sc_sqlite_player_create,
    .player_upsert = sc_sqlite_player_upsert,
    .player_by_token = sc_sqlite_player_by_token,
    .player_get = sc_sqlite_player_get,
    .next_seq = sc_sqlite_next_seq,
    .instance_insert = sc_sqlite_instance_insert,
    .instance_get = sc_sqlite_instance_get,
    .spend = sc_sqlite_spend,
    .instance_reveal = sc_sqlite_instance_reveal,
    .challenge_insert = sc_sqlite_challenge_insert,
    .challenge_get = sc_sqlite_challenge_get,
    .challenge_rounds = sc_sqlite_challenge_rounds,
    .round_get = sc_sqlite_round_get,
    .challenge_list = sc_sqlite_challenge_list,
    .round_answer = sc_sqlite_round_answer,
    .challenge_finish = sc_sqlite_challenge_finish,
    .attempts = sc_sqlite_attempts,
    .standing = sc_sqlite_standing,
    .boards = sc_sqlite_boards,
    .season_insert = sc_sqlite_season_insert,
    .season_get = sc_sqlite_season_get,
    .season_list = sc_sqlite_season_list,
    .classes_of = sc_sqlite_classes_of,
    .class_set_code = sc_sqlite_class_set_code,
    .assignment_get = sc_sqlite_assignment_get,
    .class_insert = sc_sqlite_class_insert,
    .class_get = sc_sqlite_class_get,
    .class_by_code = sc_sqlite_class_by_code,
    .class_enroll = sc_sqlite_class_enroll,
    .class_students = sc_sqlite_class_students,
    .assignment_insert = sc_sqlite_assignment_insert,
    .assignments = sc_sqlite_assignments,
    .class_results = sc_sqlite_class_results,
};

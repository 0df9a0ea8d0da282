/* Instances, their budgets, and the shared sequence in the SQLite store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/store_sqlite.h"
#include "server/xalloc.h"

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

static const char next_seq_sql[] =
    "UPDATE sequences SET value = value + 1 WHERE name = 'seq'"
    " RETURNING value";

static const char insert_sql[] =
    "INSERT INTO instances (seq, id, owner, family, params, oracle,"
    " budget_samples, budget_score, budget_logpdf,"
    " used_samples, used_score, used_logpdf,"
    " commitment, revealed, created_at, challenge, round, coin_seq)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
    " coalesce(?15, " NOW "), ?16, ?17, ?18)";

static const char get_sql[] =
    "SELECT seq, id, owner, family, params, oracle,"
    " budget_samples, budget_score, budget_logpdf,"
    " used_samples, used_score, used_logpdf,"
    " commitment, revealed, created_at, challenge, round, coin_seq"
    " FROM instances WHERE id = ?1";

/*
 * The spend of one meter, in one conditional statement: it adds n only
 * when the budget allows it (a NULL budget is unlimited) and the sum
 * cannot overflow (?3 = INT64_MAX - n), and returns the use before.
 */
#define SPEND_SQL(m)                                                       \
    "UPDATE instances SET used_" m " = used_" m " + ?2"                    \
    " WHERE id = ?1 AND used_" m " <= ?3"                                  \
    " AND (budget_" m " IS NULL OR used_" m " + ?2 <= budget_" m ")"       \
    " RETURNING used_" m " - ?2"

static const char *const spend_sql[SC_METERS] = {
    [SC_METER_SAMPLES] = SPEND_SQL("samples"),
    [SC_METER_SCORE] = SPEND_SQL("score"),
    [SC_METER_LOGPDF] = SPEND_SQL("logpdf"),
};

static const char *const used_sql[SC_METERS] = {
    [SC_METER_SAMPLES] = "SELECT used_samples FROM instances WHERE id = ?1",
    [SC_METER_SCORE] = "SELECT used_score FROM instances WHERE id = ?1",
    [SC_METER_LOGPDF] = "SELECT used_logpdf FROM instances WHERE id = ?1",
};

static const char reveal_sql[] =
    "UPDATE instances SET revealed = 1 WHERE id = ?1 AND revealed = 0";

static const char exists_sql[] = "SELECT 1 FROM instances WHERE id = ?1";

/* A text column as a new string ("" for NULL). */
static char *column_dup(sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);

    return sc_xstrdup(t ? (const char *)t : "");
}

static int next_seq_op(sc_store_conn *c, void *arg)
{
    sqlite3_stmt *s = sc_store_stmt(c, next_seq_sql);
    int rc, step;

    if (!s)
        return SC_STORE_IO;
    step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        *(int64_t *)arg = sqlite3_column_int64(s, 0);
    rc = sc_store_done(c, s, step, "reserving a seq");
    if (rc == SC_STORE_OK && step != SQLITE_ROW)
        rc = sc_store_fail(c, "reserving a seq: the sequence is missing");
    return rc;
}

int sc_sqlite_next_seq(sc_store *st, int64_t *seq)
{
    return sc_store_grouped(st, next_seq_op, seq);
}

/* A meter's budget: NULL for unlimited. */
static int bind_budget(sqlite3_stmt *s, int col, uint64_t v)
{
    if (v == SC_UNLIMITED)
        return sqlite3_bind_null(s, col);
    if (v > INT64_MAX)
        return SQLITE_RANGE;
    return sqlite3_bind_int64(s, col, (int64_t)v);
}

static int bind_instance(sqlite3_stmt *s, const sc_instance_row *r)
{
    int bad = 0;

    sqlite3_bind_int64(s, 1, r->seq);
    sqlite3_bind_text(s, 2, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->owner, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->family, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, r->params ? r->params : "{}", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, r->oracle ? r->oracle : "{}", -1, SQLITE_STATIC);
    for (int m = 0; m < SC_METERS; m++) {
        bad |= bind_budget(s, 7 + m, r->budget[m]);
        if (r->used[m] > INT64_MAX)
            bad = 1;
        else
            sqlite3_bind_int64(s, 10 + m, (int64_t)r->used[m]);
    }
    sqlite3_bind_text(s, 13, r->commitment, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 14, r->revealed);
    sc_store_bind_text_or_null(s, 15, r->created_at);
    sc_store_bind_text_or_null(s, 16, r->challenge);
    if (r->round >= 0)
        sqlite3_bind_int(s, 17, r->round);
    sqlite3_bind_int64(s, 18, r->coin_seq);
    return bad;
}

static int insert_op(sc_store_conn *c, void *arg)
{
    sqlite3_stmt *s = sc_store_stmt(c, insert_sql);

    if (!s)
        return SC_STORE_IO;
    if (bind_instance(s, arg) != 0) {
        fputs("scoracled: store: an instance budget beyond INT64_MAX\n",
              stderr);
        return SC_STORE_IO;
    }
    return sc_store_done(c, s, sqlite3_step(s), "inserting an instance");
}

int sc_sqlite_instance_insert(sc_store *st, const sc_instance_row *row)
{
    /* The op only reads the row. */
    return sc_store_grouped(st, insert_op, (void *)row);
}

static uint64_t column_budget(sqlite3_stmt *s, int col)
{
    if (sqlite3_column_type(s, col) == SQLITE_NULL)
        return SC_UNLIMITED;
    return (uint64_t)sqlite3_column_int64(s, col);
}

static void read_instance(sqlite3_stmt *s, sc_instance_row *r)
{
    memset(r, 0, sizeof *r);
    r->seq = sqlite3_column_int64(s, 0);
    sc_store_column_text(s, 1, r->id, sizeof r->id);
    sc_store_column_text(s, 2, r->owner, sizeof r->owner);
    sc_store_column_text(s, 3, r->family, sizeof r->family);
    r->params = column_dup(s, 4);
    r->oracle = column_dup(s, 5);
    for (int m = 0; m < SC_METERS; m++) {
        r->budget[m] = column_budget(s, 6 + m);
        r->used[m] = (uint64_t)sqlite3_column_int64(s, 9 + m);
    }
    sc_store_column_text(s, 12, r->commitment, sizeof r->commitment);
    r->revealed = sqlite3_column_int(s, 13) != 0;
    sc_store_column_text(s, 14, r->created_at, sizeof r->created_at);
    sc_store_column_text(s, 15, r->challenge, sizeof r->challenge);
    r->round = sqlite3_column_type(s, 16) == SQLITE_NULL
                   ? -1
                   : sqlite3_column_int(s, 16);
    r->coin_seq = sqlite3_column_int64(s, 17);
}

int sc_sqlite_instance_get(sc_store *st, const char *id, sc_instance_row *out)
{
    sc_store_conn *c = sc_store_acquire(st, false);
    sqlite3_stmt *s;
    int rc = SC_STORE_NOTFOUND, step;

    if (!c)
        return SC_STORE_IO;
    s = sc_store_stmt(c, get_sql);
    if (!s) {
        sc_store_release(st, c);
        return SC_STORE_IO;
    }
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        read_instance(s, out);
        rc = SC_STORE_OK;
    } else if (step != SQLITE_DONE) {
        rc = sc_store_fail(c, "reading an instance");
    }
    sc_store_release(st, c);
    return rc;
}

void sc_store_instance_row_free(sc_instance_row *row)
{
    free(row->params);
    free(row->oracle);
    row->params = NULL;
    row->oracle = NULL;
}

/* After a refused spend: the meter's current use, or NOTFOUND. */
static int current_use(sc_store_conn *c, const char *id, int meter,
                       uint64_t *used)
{
    sqlite3_stmt *s = sc_store_stmt(c, used_sql[meter]);
    int step;

    if (!s)
        return SC_STORE_IO;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        *used = (uint64_t)sqlite3_column_int64(s, 0);
        return SC_STORE_BUDGET;
    }
    return step == SQLITE_DONE ? SC_STORE_NOTFOUND
                               : sc_store_fail(c, "reading a meter");
}

typedef struct spend_args {
    const char *id;
    int meter;
    uint64_t n;
    uint64_t before;
} spend_args;

/* The conditional update; a refusal reads the current use instead. */
static int spend_op(sc_store_conn *c, void *arg)
{
    spend_args *a = arg;
    sqlite3_stmt *s;
    bool spent = false;
    int rc, step;

    /* n beyond INT64_MAX can never fit a budget nor a counter. */
    if (a->n > INT64_MAX)
        return current_use(c, a->id, a->meter, &a->before);
    s = sc_store_stmt(c, spend_sql[a->meter]);
    if (!s)
        return SC_STORE_IO;
    sqlite3_bind_text(s, 1, a->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (int64_t)a->n);
    sqlite3_bind_int64(s, 3, INT64_MAX - (int64_t)a->n);
    step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        a->before = (uint64_t)sqlite3_column_int64(s, 0);
        spent = true;
    }
    rc = sc_store_done(c, s, step, "spending budget");
    if (rc == SC_STORE_OK && !spent)
        rc = current_use(c, a->id, a->meter, &a->before);
    return rc;
}

int sc_sqlite_spend(sc_store *st, const char *instance_id, int meter,
                    uint64_t n, uint64_t *before)
{
    spend_args a = {instance_id, meter, n, 0};
    int rc;

    if (meter < 0 || meter >= SC_METERS)
        return SC_STORE_IO;
    rc = sc_store_grouped(st, spend_op, &a);
    if (rc == SC_STORE_OK || rc == SC_STORE_BUDGET)
        *before = a.before;
    return rc;
}

static int reveal_op(sc_store_conn *c, void *arg)
{
    sqlite3_stmt *s = sc_store_stmt(c, reveal_sql);
    int rc, step;

    if (!s)
        return SC_STORE_IO;
    sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
    rc = sc_store_done(c, s, sqlite3_step(s), "revealing an instance");
    if (rc != SC_STORE_OK || sqlite3_changes(sc_store_db(c)) == 1)
        return rc;
    s = sc_store_stmt(c, exists_sql);
    if (!s)
        return SC_STORE_IO;
    sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
    step = sqlite3_step(s);
    return step == SQLITE_ROW    ? SC_STORE_CONFLICT
           : step == SQLITE_DONE ? SC_STORE_NOTFOUND
                                 : sc_store_fail(c, "revealing");
}

int sc_sqlite_instance_reveal(sc_store *st, const char *instance_id)
{
    return sc_store_grouped(st, reveal_op, (void *)instance_id);
}

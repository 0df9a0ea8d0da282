/*
 * The SQLite store checked before the server trusts it (issue 11): a
 * damaged or emptied database refuses to start with a sentence saying
 * what to restore, instead of answering 500 later or passing for a fresh
 * install; and the master key's fingerprint kept beside the data, so a
 * missing or wrong key is refused the same way.  The checks only read:
 * a refused start leaves every file as it was.
 */
#include "server/store_sqlite.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Files whose presence beside scoracle.db says a server ran here. */
static const char *const state_files[] = {"master.key", "admin.token"};
#define NSTATE_FILES (sizeof state_files / sizeof state_files[0])

static bool exists(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0;
}

/* The state beside path (its folder's key files, its WAL) that proves a
 * server has run on it, or NULL. */
static const char *other_state(const char *path, char *buf, size_t cap)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path) : 1;
    const char *dir = slash ? path : ".";

    for (size_t i = 0; i < NSTATE_FILES; i++) {
        snprintf(buf, cap, "%.*s/%s", dirlen, dir, state_files[i]);
        if (exists(buf))
            return state_files[i];
    }
    snprintf(buf, cap, "%s-wal", path);
    return exists(buf) ? "scoracle.db-wal" : NULL;
}

/* Before SQLite opens the file: *exists when it is there and not
 * empty; *expect_schema when a server has run here. */
static int check_file(const char *path, bool *present, bool *expect_schema,
                      char *err, size_t errlen)
{
    char buf[PATH_MAX + 16];
    struct stat sb;
    const char *other;

    *present = false;
    *expect_schema = false;
    if (stat(path, &sb) != 0) {
        int e = errno;
        snprintf(buf, sizeof buf, "%s-wal", path);
        if (e == ENOENT && exists(buf)) {
            snprintf(err, errlen,
                     "%s is missing but its write-ahead log %s is there: "
                     "restore scoracle.db from your backup "
                     "(deploy/README.md); nothing was changed",
                     path, buf);
            return SC_STORE_IO;
        }
        if (e == ENOENT)
            return SC_STORE_OK; /* a fresh install */
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(e));
        return SC_STORE_IO;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "%s is not a regular file", path);
        return SC_STORE_IO;
    }
    other = other_state(path, buf, sizeof buf);
    *expect_schema = other != NULL;
    if (sb.st_size == 0 && other) {
        snprintf(err, errlen,
                 "%s is empty (0 bytes) but %s lies beside it, so this is "
                 "not a fresh install: restore scoracle.db from your "
                 "backup (deploy/README.md), or move the empty file away "
                 "to start over; nothing was changed",
                 path, other);
        return SC_STORE_IO;
    }
    *present = sb.st_size > 0;
    return SC_STORE_OK;
}

static int damaged(const char *path, const char *why, char *err,
                   size_t errlen)
{
    snprintf(err, errlen,
             "%s is damaged (%s): restore it from your backup "
             "(deploy/README.md) and start again; nothing was written "
             "to it",
             path, why);
    return SC_STORE_IO;
}

/* PRAGMA quick_check: "ok", or the first of its complaints. */
static int quick_check(sqlite3 *db, const char *path, char *err,
                       size_t errlen)
{
    sqlite3_stmt *s = NULL;
    char why[200] = "SQLite quick_check: ";
    size_t at = strlen(why);
    int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &s, NULL);

    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        snprintf(why + at, sizeof why - at, "%s",
                 t ? (const char *)t : "");
    } else {
        snprintf(why + at, sizeof why - at, "%s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(s);
    for (char *p = why; (p = strchr(p, '\n')) != NULL;)
        *p = ' '; /* one line in the log */
    if (rc == SQLITE_ROW && strcmp(why + at, "ok") == 0)
        return SC_STORE_OK;
    return damaged(path, why, err, errlen);
}

static int has_schema(sqlite3 *db, bool *yes)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT count(*) FROM sqlite_master"
                                " WHERE name = 'schema_version'",
                                -1, &s, NULL);

    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *yes = sqlite3_column_int(s, 0) > 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? SC_STORE_OK : SC_STORE_IO;
}

/* The file's own checks, on a connection of their own that changes no
 * setting (journal mode included), so a refused file stays as it was. */
static int check_db(const char *path, bool expect_schema, char *err,
                    size_t errlen)
{
    sqlite3 *db = NULL;
    bool schema = false;
    int rc = sqlite3_open_v2(path, &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW,
                             NULL);

    if (rc != SQLITE_OK) {
        rc = damaged(path, db ? sqlite3_errmsg(db) : "cannot open it",
                     err, errlen);
        sqlite3_close(db);
        return rc;
    }
    sqlite3_busy_timeout(db, 5000);
    rc = quick_check(db, path, err, errlen);
    if (rc == SC_STORE_OK && has_schema(db, &schema) != SC_STORE_OK)
        rc = damaged(path, sqlite3_errmsg(db), err, errlen);
    if (rc == SC_STORE_OK && expect_schema && !schema)
        rc = damaged(path, "it holds no tables, yet a server has run on "
                           "this state folder",
                     err, errlen);
    sqlite3_close(db);
    return rc;
}

int sc_store_check(const char *path, char *err, size_t errlen)
{
    bool present, expect_schema;

    if (check_file(path, &present, &expect_schema, err, errlen) !=
        SC_STORE_OK)
        return SC_STORE_IO;
    return present ? check_db(path, expect_schema, err, errlen)
                   : SC_STORE_OK;
}

static const char holds_data_sql[] =
    "SELECT EXISTS (SELECT 1 FROM players)"
    " OR EXISTS (SELECT 1 FROM instances)"
    " OR EXISTS (SELECT 1 FROM store_meta)";

int sc_sqlite_holds_data(sc_store *st, bool *yes)
{
    sc_store_conn *c = sc_store_acquire(st, false);
    sqlite3_stmt *s;
    int rc;

    if (!c)
        return SC_STORE_IO;
    s = sc_store_stmt(c, holds_data_sql);
    rc = s ? sqlite3_step(s) : SQLITE_ERROR;
    if (rc == SQLITE_ROW)
        *yes = sqlite3_column_int(s, 0) != 0;
    rc = rc == SQLITE_ROW ? SC_STORE_OK
                          : sc_store_fail(c, "looking for data");
    sc_store_release(st, c);
    return rc;
}

static const char fp_record_sql[] =
    "INSERT INTO store_meta (name, value) VALUES ('key_fingerprint', ?1)"
    " ON CONFLICT (name) DO NOTHING";
static const char fp_read_sql[] =
    "SELECT value FROM store_meta WHERE name = 'key_fingerprint'";

typedef struct fp_args {
    const uint8_t *fp;
    bool *match;
} fp_args;

/* Records fp unless a fingerprint is there, then compares. */
static int fingerprint_op(sc_store_conn *c, void *arg)
{
    fp_args *a = arg;
    sqlite3_stmt *s = sc_store_stmt(c, fp_record_sql);
    int rc;

    if (!s)
        return SC_STORE_IO;
    sqlite3_bind_blob(s, 1, a->fp, 32, SQLITE_STATIC);
    rc = sc_store_done(c, s, sqlite3_step(s), "recording the key "
                                              "fingerprint");
    if (rc != SC_STORE_OK)
        return rc;
    s = sc_store_stmt(c, fp_read_sql);
    if (!s || sqlite3_step(s) != SQLITE_ROW)
        return sc_store_fail(c, "reading the key fingerprint");
    *a->match = sqlite3_column_bytes(s, 0) == 32 &&
                memcmp(sqlite3_column_blob(s, 0), a->fp, 32) == 0;
    sqlite3_reset(s);
    return SC_STORE_OK;
}

int sc_sqlite_key_fingerprint(sc_store *st, const uint8_t fp[32],
                              bool *match)
{
    fp_args a = {fp, match};

    *match = false;
    return sc_store_grouped(st, fingerprint_op, &a);
}

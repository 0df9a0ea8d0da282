/* Classes, enrolments and assignments in the SQLite store.  See
 * store_games.h; the tables are migration 2 of store_schema.c. */
#include <stdlib.h>
#include <string.h>

#include "server/store_games.h"
#include "server/store_sqlite.h"

static const char insert_class_sql[] =
    "INSERT INTO classes (id, owner, name, code_hash, created_at, code_gen)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static const char get_class_sql[] =
    "SELECT id, owner, name, created_at, code_gen FROM classes"
    " WHERE id = ?1";

static const char class_by_code_sql[] =
    "SELECT id, owner, name, created_at, code_gen FROM classes"
    " WHERE code_hash = ?1";

static const char classes_of_sql[] =
    "SELECT c.id, c.owner, c.name, c.created_at, c.code_gen,"
    " (SELECT count(*) FROM enrollments e WHERE e.class = c.id),"
    " (SELECT count(*) FROM assignments a WHERE a.class = c.id)"
    " FROM classes c WHERE c.owner = ?1 ORDER BY c.created_at, c.id";

static const char set_code_sql[] =
    "UPDATE classes SET code_gen = ?2, code_hash = ?3 WHERE id = ?1";

static const char enroll_sql[] =
    "INSERT INTO enrollments (class, player) VALUES (?1, ?2)";

static const char students_sql[] =
    "SELECT p.id, p.name, p.created_at FROM enrollments e"
    " JOIN players p ON p.id = e.player WHERE e.class = ?1"
    " ORDER BY p.name, p.id";

static const char insert_assignment_sql[] =
    "INSERT INTO assignments (id, class, spec, created_at, title, deadline)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static const char assignments_sql[] =
    "SELECT id, class, spec, created_at, title, deadline FROM assignments"
    " WHERE class = ?1 ORDER BY created_at, id";

static const char assignment_get_sql[] =
    "SELECT id, class, spec, created_at, title, deadline FROM assignments"
    " WHERE id = ?1";

/* The challenge columns as store_games.c reads them, prefixed. */
static const char results_sql[] =
    "SELECT a.id, p.id, p.name, c.seq, c.id, c.owner, c.kind, c.preset,"
    " c.spec, c.rounds, c.eval, c.tolerance, c.public, c.commitment,"
    " c.finished, c.created_at, c.finished_at, c.assignment, c.result,"
    " c.rank1, c.rank2,"
    " (SELECT count(*) FROM challenge_rounds r"
    "  WHERE r.challenge = c.id AND r.answered)"
    " FROM assignments a JOIN challenges c ON c.assignment = a.id"
    " JOIN players p ON p.id = c.owner WHERE a.class = ?1"
    " ORDER BY a.created_at, a.id, p.name, p.id";

/* One write statement to completion. */
static int write1(sc_store *st, const char *sql, const char *what,
                  void (*bind)(sqlite3_stmt *s, const void *arg),
                  const void *arg)
{
    sc_store_conn *c = sc_store_acquire(st, true);
    if (c == NULL)
        return SC_STORE_IO;
    sqlite3_stmt *s = sc_store_stmt(c, sql);
    int rc = SC_STORE_IO;
    if (s != NULL) {
        bind(s, arg);
        rc = sc_store_done(c, s, sqlite3_step(s), what);
    }
    sc_store_release(st, c);
    return rc;
}

typedef struct class_insert {
    const sc_class_row *c;
    const uint8_t *code_hash;
} class_insert;

static void bind_class(sqlite3_stmt *s, const void *arg)
{
    const class_insert *ci = arg;
    sqlite3_bind_text(s, 1, ci->c->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, ci->c->owner, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, ci->c->name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(s, 4, ci->code_hash, 32, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, ci->c->created_at, -1, SQLITE_STATIC);
    if (ci->c->code_gen >= 0)
        sqlite3_bind_int64(s, 6, ci->c->code_gen);
    else
        sqlite3_bind_null(s, 6);
}

int sc_sqlite_class_insert(sc_store *st, const sc_class_row *c,
                           const uint8_t code_hash[32])
{
    class_insert ci = {c, code_hash};
    return write1(st, insert_class_sql, "inserting a class", bind_class,
                  &ci);
}

typedef struct enrol {
    const char *class_id, *player_id;
} enrol;

static void bind_enrol(sqlite3_stmt *s, const void *arg)
{
    const enrol *e = arg;
    sqlite3_bind_text(s, 1, e->class_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, e->player_id, -1, SQLITE_STATIC);
}

int sc_sqlite_class_enroll(sc_store *st, const char *class_id,
                           const char *player_id)
{
    enrol e = {class_id, player_id};
    return write1(st, enroll_sql, "enrolling a player", bind_enrol, &e);
}

static void bind_assignment(sqlite3_stmt *s, const void *arg)
{
    const sc_assignment_row *a = arg;
    sqlite3_bind_text(s, 1, a->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, a->class_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, a->spec, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, a->created_at, -1, SQLITE_STATIC);
    if (a->title[0] != '\0')
        sqlite3_bind_text(s, 5, a->title, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 5);
    if (a->deadline[0] != '\0')
        sqlite3_bind_text(s, 6, a->deadline, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 6);
}

int sc_sqlite_assignment_insert(sc_store *st, const sc_assignment_row *a)
{
    return write1(st, insert_assignment_sql, "inserting an assignment",
                  bind_assignment, a);
}

static void read_class(sqlite3_stmt *s, sc_class_row *out)
{
    memset(out, 0, sizeof *out);
    sc_store_column_text(s, 0, out->id, sizeof out->id);
    sc_store_column_text(s, 1, out->owner, sizeof out->owner);
    sc_store_column_text(s, 2, out->name, sizeof out->name);
    sc_store_column_text(s, 3, out->created_at, sizeof out->created_at);
    out->code_gen = sqlite3_column_type(s, 4) == SQLITE_NULL
                        ? -1
                        : sqlite3_column_int64(s, 4);
}

/* One class row by sql and its single parameter (text or 32-byte blob). */
static int class_read(sc_store *st, const char *sql, const void *key,
                      bool blob, sc_class_row *out)
{
    sc_store_conn *c = sc_store_acquire(st, false);
    if (c == NULL)
        return SC_STORE_IO;
    sqlite3_stmt *s = sc_store_stmt(c, sql);
    int rc = SC_STORE_IO;
    if (s != NULL) {
        if (blob)
            sqlite3_bind_blob(s, 1, key, 32, SQLITE_STATIC);
        else
            sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
        int step = sqlite3_step(s);
        if (step == SQLITE_ROW) {
            read_class(s, out);
            rc = SC_STORE_OK;
        } else {
            rc = step == SQLITE_DONE ? SC_STORE_NOTFOUND
                                     : sc_store_fail(c, "reading a class");
        }
    }
    sc_store_release(st, c);
    return rc;
}

int sc_sqlite_class_get(sc_store *st, const char *id, sc_class_row *out)
{
    return class_read(st, get_class_sql, id, false, out);
}

int sc_sqlite_class_by_code(sc_store *st, const uint8_t code_hash[32],
                            sc_class_row *out)
{
    return class_read(st, class_by_code_sql, code_hash, true, out);
}

/* Steps a SELECT bound to one text parameter, growing a malloc'ed array
 * of elem-sized rows that read() fills.  On failure frees with drop. */
static int collect(sc_store *st, const char *sql, const char *param,
                   size_t elem, void (*read)(sqlite3_stmt *s, void *row),
                   void (*drop)(void *rows, size_t n), void **out,
                   size_t *n)
{
    sc_store_conn *c = sc_store_acquire(st, false);
    if (c == NULL)
        return SC_STORE_IO;
    sqlite3_stmt *s = sc_store_stmt(c, sql);
    size_t cap = 0, len = 0;
    char *rows = NULL;
    int step = SQLITE_ERROR;
    if (s != NULL) {
        sqlite3_bind_text(s, 1, param, -1, SQLITE_STATIC);
        while ((step = sqlite3_step(s)) == SQLITE_ROW) {
            if (len == cap) {
                size_t ncap = cap ? 2 * cap : 16;
                char *nr = realloc(rows, ncap * elem);
                if (nr == NULL)
                    break;
                rows = nr;
                cap = ncap;
            }
            read(s, rows + elem * len++);
        }
    }
    int rc = SC_STORE_OK;
    if (step != SQLITE_DONE) {
        drop(rows, len);
        rows = NULL;
        len = 0;
        rc = s != NULL && step != SQLITE_ROW
                 ? sc_store_fail(c, "listing a class")
                 : SC_STORE_IO;
    }
    sc_store_release(st, c);
    *out = rows;
    *n = len;
    return rc;
}

static void read_student(sqlite3_stmt *s, void *row)
{
    sc_player *p = row;
    memset(p, 0, sizeof *p);
    sc_store_column_text(s, 0, p->id, sizeof p->id);
    sc_store_column_text(s, 1, p->name, sizeof p->name);
    sc_store_column_text(s, 2, p->created_at, sizeof p->created_at);
    p->role = SC_ROLE_PLAYER;
}

static void drop_plain(void *rows, size_t n)
{
    (void)n;
    free(rows);
}

int sc_sqlite_class_students(sc_store *st, const char *class_id,
                             sc_player **out, size_t *n)
{
    void *rows = NULL;
    int rc = collect(st, students_sql, class_id, sizeof(sc_player),
                     read_student, drop_plain, &rows, n);
    *out = rows;
    return rc;
}

static void read_assignment(sqlite3_stmt *s, void *row)
{
    sc_assignment_row *a = row;
    memset(a, 0, sizeof *a);
    sc_store_column_text(s, 0, a->id, sizeof a->id);
    sc_store_column_text(s, 1, a->class_id, sizeof a->class_id);
    const unsigned char *spec = sqlite3_column_text(s, 2);
    a->spec = spec != NULL ? strdup((const char *)spec) : NULL;
    sc_store_column_text(s, 3, a->created_at, sizeof a->created_at);
    sc_store_column_text(s, 4, a->title, sizeof a->title);
    sc_store_column_text(s, 5, a->deadline, sizeof a->deadline);
}

void sc_assignment_list_free(sc_assignment_row *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(a[i].spec);
    free(a);
}

static void drop_assignments(void *rows, size_t n)
{
    sc_assignment_list_free(rows, n);
}

int sc_sqlite_assignments(sc_store *st, const char *class_id,
                          sc_assignment_row **out, size_t *n)
{
    void *rows = NULL;
    int rc = collect(st, assignments_sql, class_id,
                     sizeof(sc_assignment_row), read_assignment,
                     drop_assignments, &rows, n);
    *out = rows;
    return rc;
}

static char *dup_text(sqlite3_stmt *s, int col)
{
    const unsigned char *v = sqlite3_column_text(s, col);
    return v != NULL ? strdup((const char *)v) : NULL;
}

static void read_result(sqlite3_stmt *s, void *row)
{
    sc_class_result *r = row;
    sc_challenge_row *c = &r->challenge;
    memset(r, 0, sizeof *r);
    sc_store_column_text(s, 0, r->assignment, sizeof r->assignment);
    sc_store_column_text(s, 1, r->player, sizeof r->player);
    sc_store_column_text(s, 2, r->player_name, sizeof r->player_name);
    c->seq = sqlite3_column_int64(s, 3);
    sc_store_column_text(s, 4, c->id, sizeof c->id);
    sc_store_column_text(s, 5, c->owner, sizeof c->owner);
    sc_store_column_text(s, 6, c->kind, sizeof c->kind);
    sc_store_column_text(s, 7, c->preset, sizeof c->preset);
    c->spec = dup_text(s, 8);
    c->rounds = (unsigned)sqlite3_column_int64(s, 9);
    c->eval = (unsigned)sqlite3_column_int64(s, 10);
    c->tolerance = sqlite3_column_double(s, 11);
    c->public_ = sqlite3_column_int(s, 12) != 0;
    sc_store_column_text(s, 13, c->commitment, sizeof c->commitment);
    c->finished = sqlite3_column_int(s, 14) != 0;
    sc_store_column_text(s, 15, c->created_at, sizeof c->created_at);
    sc_store_column_text(s, 16, c->finished_at, sizeof c->finished_at);
    sc_store_column_text(s, 17, c->assignment, sizeof c->assignment);
    c->result = dup_text(s, 18);
    c->rank[0] = sqlite3_column_double(s, 19);
    c->rank[1] = sqlite3_column_double(s, 20);
    r->answered = (unsigned)sqlite3_column_int64(s, 21);
}

void sc_class_results_free(sc_class_result *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sc_challenge_row_free(&r[i].challenge);
    free(r);
}

static void drop_results(void *rows, size_t n)
{
    sc_class_results_free(rows, n);
}

int sc_sqlite_class_results(sc_store *st, const char *class_id,
                            sc_class_result **out, size_t *n)
{
    void *rows = NULL;
    int rc = collect(st, results_sql, class_id, sizeof(sc_class_result),
                     read_result, drop_results, &rows, n);
    *out = rows;
    return rc;
}

static void read_owned_class(sqlite3_stmt *s, void *row)
{
    sc_class_row *c = row;
    read_class(s, c);
    c->students = (unsigned)sqlite3_column_int64(s, 5);
    c->assignments = (unsigned)sqlite3_column_int64(s, 6);
}

int sc_sqlite_classes_of(sc_store *st, const char *owner,
                         sc_class_row **out, size_t *n)
{
    void *rows = NULL;
    int rc = collect(st, classes_of_sql, owner, sizeof(sc_class_row),
                     read_owned_class, drop_plain, &rows, n);
    *out = rows;
    return rc;
}

typedef struct code_set {
    const char *id;
    int64_t gen;
    const uint8_t *hash;
} code_set;

static void bind_code(sqlite3_stmt *s, const void *arg)
{
    const code_set *cs = arg;
    sqlite3_bind_text(s, 1, cs->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, cs->gen);
    sqlite3_bind_blob(s, 3, cs->hash, 32, SQLITE_STATIC);
}

int sc_sqlite_class_set_code(sc_store *st, const char *id, int64_t code_gen,
                             const uint8_t code_hash[32])
{
    code_set cs = {id, code_gen, code_hash};
    sc_class_row row;
    int rc = sc_store_class_get(st, id, &row);
    if (rc != SC_STORE_OK)
        return rc;
    return write1(st, set_code_sql, "replacing a join code", bind_code,
                  &cs);
}

int sc_sqlite_assignment_get(sc_store *st, const char *id,
                             sc_assignment_row *out)
{
    sc_assignment_row *rows = NULL;
    size_t n = 0;
    void *got = NULL;
    int rc = collect(st, assignment_get_sql, id, sizeof(sc_assignment_row),
                     read_assignment, drop_assignments, &got, &n);
    rows = got;
    if (rc == SC_STORE_OK && n == 0)
        rc = SC_STORE_NOTFOUND;
    if (rc == SC_STORE_OK) {
        *out = rows[0];
        rows[0].spec = NULL;
    }
    sc_assignment_list_free(rows, n);
    return rc;
}

/*
 * Classes, enrolments and assignments in the PostgreSQL store.  See
 * store_games.h; the tables are migration 2 of store_pg_schema.c.  An
 * enrolment is once per (class, player) by its primary key; it runs in
 * a SERIALIZABLE transaction with the others that keep an invariant.
 */
#include <stdlib.h>
#include <string.h>

#include "server/store_pg.h"

static const char insert_class_sql[] =
    "INSERT INTO classes (id, owner, name, code_hash, created_at, code_gen)"
    " VALUES ($1, $2, $3, $4, $5, $6)";

static const char get_class_sql[] =
    "SELECT id, owner, name, created_at, code_gen FROM classes"
    " WHERE id = $1";

static const char class_by_code_sql[] =
    "SELECT id, owner, name, created_at, code_gen FROM classes"
    " WHERE code_hash = $1";

static const char classes_of_sql[] =
    "SELECT c.id, c.owner, c.name, c.created_at, c.code_gen,"
    " (SELECT count(*) FROM enrollments e WHERE e.class = c.id),"
    " (SELECT count(*) FROM assignments a WHERE a.class = c.id)"
    " FROM classes c WHERE c.owner = $1 ORDER BY c.created_at, c.id";

static const char set_code_sql[] =
    "UPDATE classes SET code_gen = $2, code_hash = $3 WHERE id = $1";

static const char enroll_sql[] =
    "INSERT INTO enrollments (class, player) VALUES ($1, $2)";

static const char students_sql[] =
    "SELECT p.id, p.name, p.created_at FROM enrollments e"
    " JOIN players p ON p.id = e.player WHERE e.class = $1"
    " ORDER BY p.name, p.id";

static const char insert_assignment_sql[] =
    "INSERT INTO assignments (id, class, spec, created_at, title, deadline)"
    " VALUES ($1, $2, $3, $4, $5, $6)";

static const char assignments_sql[] =
    "SELECT id, class, spec, created_at, title, deadline FROM assignments"
    " WHERE class = $1 ORDER BY created_at, id";

static const char assignment_get_sql[] =
    "SELECT id, class, spec, created_at, title, deadline FROM assignments"
    " WHERE id = $1";

static const char results_sql[] =
    "SELECT a.id, p.id, p.name, c.seq, c.id, c.owner, c.kind, c.preset,"
    " c.spec, c.rounds, c.eval, c.tolerance, c.public, c.commitment,"
    " c.finished, c.created_at, c.finished_at, c.assignment, c.result,"
    " c.rank1, c.rank2,"
    " (SELECT count(*) FROM challenge_rounds r"
    "  WHERE r.challenge = c.id AND r.answered)"
    " FROM assignments a JOIN challenges c ON c.assignment = a.id"
    " JOIN players p ON p.id = c.owner WHERE a.class = $1"
    " ORDER BY a.created_at, a.id, p.name, p.id";

typedef struct write1 {
    const char *sql, *what;
    sc_pg_params p;
} write1;

static int write1_op(sc_pg_conn *c, void *arg)
{
    write1 *w = arg;
    return sc_pg_run(c, w->sql, &w->p, NULL, w->what);
}

int sc_pg_class_insert(sc_store *st, const sc_class_row *c,
                       const uint8_t code_hash[32])
{
    write1 w = {insert_class_sql, "inserting a class", {0}};
    sc_pg_text(&w.p, c->id);
    sc_pg_text(&w.p, c->owner);
    sc_pg_text(&w.p, c->name);
    sc_pg_blob(&w.p, code_hash, 32);
    sc_pg_text(&w.p, c->created_at);
    if (c->code_gen >= 0)
        sc_pg_i64(&w.p, c->code_gen);
    else
        sc_pg_null(&w.p);
    return sc_pg_with(st, write1_op, &w);
}

int sc_pg_class_enroll(sc_store *st, const char *class_id,
                       const char *player_id)
{
    write1 w = {enroll_sql, "enrolling a player", {0}};
    sc_pg_text(&w.p, class_id);
    sc_pg_text(&w.p, player_id);
    return sc_pg_tx(st, write1_op, &w);
}

int sc_pg_assignment_insert(sc_store *st, const sc_assignment_row *a)
{
    write1 w = {insert_assignment_sql, "inserting an assignment", {0}};
    sc_pg_text(&w.p, a->id);
    sc_pg_text(&w.p, a->class_id);
    sc_pg_text(&w.p, a->spec);
    sc_pg_text(&w.p, a->created_at);
    sc_pg_text_or_null(&w.p, a->title);
    sc_pg_text_or_null(&w.p, a->deadline);
    return sc_pg_with(st, write1_op, &w);
}

static void read_class(const PGresult *res, int r, void *row)
{
    sc_class_row *c = row;
    memset(c, 0, sizeof *c);
    sc_pg_get_text(res, r, 0, c->id, sizeof c->id);
    sc_pg_get_text(res, r, 1, c->owner, sizeof c->owner);
    sc_pg_get_text(res, r, 2, c->name, sizeof c->name);
    sc_pg_get_text(res, r, 3, c->created_at, sizeof c->created_at);
    c->code_gen = sc_pg_isnull(res, r, 4) ? -1 : sc_pg_get_i64(res, r, 4);
}

static void read_class_counted(const PGresult *res, int r, void *row)
{
    sc_class_row *c = row;
    read_class(res, r, row);
    c->students = (unsigned)sc_pg_get_i64(res, r, 5);
    c->assignments = (unsigned)sc_pg_get_i64(res, r, 6);
}

int sc_pg_classes_of(sc_store *st, const char *owner, sc_class_row **out,
                     size_t *n)
{
    sc_pg_reader rd = {.sql = classes_of_sql, .elem = sizeof **out,
                       .read = read_class_counted, .out = out};
    *out = NULL;
    sc_pg_text(&rd.p, owner);
    return sc_pg_read(st, &rd, n);
}

static int set_code_op(sc_pg_conn *c, void *arg)
{
    write1 *w = arg;
    int changed = 0;
    int rc = sc_pg_run(c, w->sql, &w->p, &changed, w->what);
    return rc == SC_STORE_OK && changed == 0 ? SC_STORE_NOTFOUND : rc;
}

int sc_pg_class_set_code(sc_store *st, const char *id, int64_t code_gen,
                         const uint8_t code_hash[32])
{
    write1 w = {set_code_sql, "replacing a join code", {0}};
    sc_pg_text(&w.p, id);
    sc_pg_i64(&w.p, code_gen);
    sc_pg_blob(&w.p, code_hash, 32);
    return sc_pg_with(st, set_code_op, &w);
}

int sc_pg_class_get(sc_store *st, const char *id, sc_class_row *out)
{
    sc_pg_reader rd = {.sql = get_class_sql, .read = read_class,
                       .one = true, .out = out};
    sc_pg_text(&rd.p, id);
    return sc_pg_read(st, &rd, NULL);
}

int sc_pg_class_by_code(sc_store *st, const uint8_t code_hash[32],
                        sc_class_row *out)
{
    sc_pg_reader rd = {.sql = class_by_code_sql, .read = read_class,
                       .one = true, .out = out};
    sc_pg_blob(&rd.p, code_hash, 32);
    return sc_pg_read(st, &rd, NULL);
}

static void read_student(const PGresult *res, int r, void *row)
{
    sc_player *p = row;
    memset(p, 0, sizeof *p);
    sc_pg_get_text(res, r, 0, p->id, sizeof p->id);
    sc_pg_get_text(res, r, 1, p->name, sizeof p->name);
    sc_pg_get_text(res, r, 2, p->created_at, sizeof p->created_at);
    p->role = SC_ROLE_PLAYER;
}

int sc_pg_class_students(sc_store *st, const char *class_id,
                         sc_player **out, size_t *n)
{
    sc_pg_reader rd = {.sql = students_sql, .elem = sizeof **out,
                       .read = read_student, .out = out};
    *out = NULL;
    sc_pg_text(&rd.p, class_id);
    return sc_pg_read(st, &rd, n);
}

static void read_assignment(const PGresult *res, int r, void *row)
{
    sc_assignment_row *a = row;
    memset(a, 0, sizeof *a);
    sc_pg_get_text(res, r, 0, a->id, sizeof a->id);
    sc_pg_get_text(res, r, 1, a->class_id, sizeof a->class_id);
    a->spec = sc_pg_get_dup(res, r, 2);
    sc_pg_get_text(res, r, 3, a->created_at, sizeof a->created_at);
    sc_pg_get_text(res, r, 4, a->title, sizeof a->title);
    sc_pg_get_text(res, r, 5, a->deadline, sizeof a->deadline);
}

int sc_pg_assignment_get(sc_store *st, const char *id,
                         sc_assignment_row *out)
{
    sc_pg_reader rd = {.sql = assignment_get_sql, .read = read_assignment,
                       .one = true, .out = out};
    sc_pg_text(&rd.p, id);
    return sc_pg_read(st, &rd, NULL);
}

int sc_pg_assignments(sc_store *st, const char *class_id,
                      sc_assignment_row **out, size_t *n)
{
    sc_pg_reader rd = {.sql = assignments_sql, .elem = sizeof **out,
                       .read = read_assignment, .out = out};
    *out = NULL;
    sc_pg_text(&rd.p, class_id);
    return sc_pg_read(st, &rd, n);
}

static void read_result(const PGresult *res, int r, void *row)
{
    sc_class_result *x = row;
    sc_challenge_row *c = &x->challenge;
    memset(x, 0, sizeof *x);
    sc_pg_get_text(res, r, 0, x->assignment, sizeof x->assignment);
    sc_pg_get_text(res, r, 1, x->player, sizeof x->player);
    sc_pg_get_text(res, r, 2, x->player_name, sizeof x->player_name);
    c->seq = sc_pg_get_i64(res, r, 3);
    sc_pg_get_text(res, r, 4, c->id, sizeof c->id);
    sc_pg_get_text(res, r, 5, c->owner, sizeof c->owner);
    sc_pg_get_text(res, r, 6, c->kind, sizeof c->kind);
    sc_pg_get_text(res, r, 7, c->preset, sizeof c->preset);
    c->spec = sc_pg_get_dup(res, r, 8);
    c->rounds = (unsigned)sc_pg_get_i64(res, r, 9);
    c->eval = (unsigned)sc_pg_get_i64(res, r, 10);
    c->tolerance = sc_pg_get_f64(res, r, 11);
    c->public_ = sc_pg_get_bool(res, r, 12);
    sc_pg_get_text(res, r, 13, c->commitment, sizeof c->commitment);
    c->finished = sc_pg_get_bool(res, r, 14);
    sc_pg_get_text(res, r, 15, c->created_at, sizeof c->created_at);
    sc_pg_get_text(res, r, 16, c->finished_at, sizeof c->finished_at);
    sc_pg_get_text(res, r, 17, c->assignment, sizeof c->assignment);
    c->result = sc_pg_get_dup(res, r, 18);
    c->rank[0] = sc_pg_get_f64(res, r, 19);
    c->rank[1] = sc_pg_get_f64(res, r, 20);
    x->answered = (unsigned)sc_pg_get_i64(res, r, 21);
}

int sc_pg_class_results(sc_store *st, const char *class_id,
                        sc_class_result **out, size_t *n)
{
    sc_pg_reader rd = {.sql = results_sql, .elem = sizeof **out,
                       .read = read_result, .out = out};
    *out = NULL;
    sc_pg_text(&rd.p, class_id);
    return sc_pg_read(st, &rd, n);
}

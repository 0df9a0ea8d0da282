/* Classes: an instructor's class with a join code, students who join
 * with it and get a token, assignments (a challenge template every
 * enrolled student receives with their own secrets), results as JSON or
 * CSV.  Students see only their own work: everything here but join is
 * for the class's instructor (or an admin).  See games.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../proto/sc_time.h"
#include "../proto/sc_wire.h"
#include "challenges.h"
#include "classes.h"
#include "games.h"
#include "keys.h"
#include "names.h"
#include "ratelimit.h"
#include "server.h"

static int store_problem(sc_problem *pb, int rc, const char *what)
{
    if (rc == SC_STORE_NOTFOUND)
        return sc_problem_set(pb, 404, "not-found", "no such %s", what);
    if (rc == SC_STORE_CONFLICT)
        return sc_problem_set(pb, 409, "conflict", "that %s exists already",
                              what);
    return sc_problem_set(pb, 500, "internal", "the store failed");
}

typedef struct name_wire {
    const char *name, *code;
} name_wire;

static const sc_wire_field class_fields[] = {
    {"name", SC_WT_STRING, offsetof(name_wire, name), SC_PF_REQUIRED, 0, 0,
     SIZE_MAX},
};

/* name: a new player's; absent when a player joins under their token. */
static const sc_wire_field join_fields[] = {
    {"code", SC_WT_STRING, offsetof(name_wire, code), SC_PF_REQUIRED, 0, 0,
     SIZE_MAX},
    {"name", SC_WT_STRING, offsetof(name_wire, name), 0, 0, 0, SIZE_MAX},
};

/* A name or title: 1 to cap - 1 bytes, no control characters. */
static int check_text(const char *field, const char *text, size_t cap,
                      sc_problem *pb)
{
    size_t len = strlen(text);
    if (len == 0 || len >= cap)
        return sc_problem_field(pb, 422, field, "%s must be 1 to %zu bytes",
                                field, cap - 1);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
            return sc_problem_field(pb, 422, field, "%s may not hold "
                                    "control characters", field);
    return 0;
}

static int check_name(const char *name, size_t cap, sc_problem *pb)
{
    return check_text("name", name, cap, pb);
}

static json_t *body_or_problem(sc_req *r, sc_problem *pb)
{
    json_t *body = sc_req_json(r);
    if (body == NULL)
        sc_problem_set(pb, 400, "malformed-request",
                       "the body is a JSON object");
    return body;
}

void sc_h_class_create(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    sc_problem pb = {0};
    name_wire w = {0};
    json_t *body = body_or_problem(r, &pb);
    if (body == NULL ||
        sc_wire_decode(body, class_fields, 1, &w, &pb) != 0 ||
        check_name(w.name, sizeof ((sc_class_row *)0)->name, &pb) != 0) {
        sc_reply_problem(r, &pb);
        return;
    }
    sc_class_row c = {0};
    char code[SC_CLASS_CODE_LEN + 1];
    uint8_t hash[32];
    sc_keys_new_id(c.id, "cl_");
    snprintf(c.owner, sizeof c.owner, "%s", sc_req_player(r)->id);
    snprintf(c.name, sizeof c.name, "%s", w.name);
    sc_games_now(c.created_at);
    c.code_gen = 0;
    sc_class_code(srv, c.id, c.code_gen, code);
    sc_keys_token_hash(srv->keys, code, hash);
    int st = sc_store_class_insert(srv->store, &c, hash);
    if (st != SC_STORE_OK) {
        store_problem(&pb, st, "class");
        sc_reply_problem(r, &pb);
        return;
    }
    sc_reply_json(r, 201,
                  json_pack("{s:s, s:s, s:s, s:s}", "id", c.id, "name",
                            c.name, "join_code", code, "created_at",
                            c.created_at));
}

/* Creates owner's challenge of assignment a; its id goes to id. */
static int assign_one(sc_server *srv, const sc_assignment_row *a,
                      const sc_challenge_spec *spec, const char *owner,
                      char id[SC_ID_LEN], sc_problem *pb)
{
    return sc_challenge_create(srv, owner, spec, a->id, id, pb);
}

/* Gives a student who joins late every assignment of the class.  The
 * student exists by now and their token is shown only once, so a
 * template that no longer builds (or a failing store) skips that
 * assignment instead of failing the join; the answer lists what was
 * given. */
static void catch_up(sc_server *srv, const char *class_id,
                     const char *player, json_t *list)
{
    sc_assignment_row *as = NULL;
    size_t n = 0;
    if (sc_store_assignments(srv->store, class_id, &as, &n) != SC_STORE_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        json_t *tpl = sc_games_json_load(as[i].spec);
        sc_challenge_spec spec;
        sc_problem pb = {0};
        char id[SC_ID_LEN];
        if (sc_challenge_spec_decode(tpl, false, &spec, &pb) == 0 &&
            assign_one(srv, &as[i], &spec, player, id, &pb) == 0)
            json_array_append_new(list, json_pack("{s:s, s:s}", "assignment",
                                                  as[i].id, "challenge", id));
        sc_challenge_spec_clear(&spec);
        json_decref(tpl);
    }
    sc_assignment_list_free(as, n);
}

/* The player who joins: the caller, or a new player named name (token
 * filled).  SC_STORE_* */
static int joiner(sc_req *r, const char *name, sc_player *p,
                  char token[SC_TOKEN_SIZE])
{
    sc_server *srv = sc_req_server(r);
    uint8_t hash[32];
    token[0] = '\0';
    if (sc_req_player(r) != NULL) {
        *p = *sc_req_player(r);
        return SC_STORE_OK;
    }
    sc_keys_new_token(token);
    sc_keys_token_hash(srv->keys, token, hash);
    return sc_store_player_create(srv->store, name, SC_ROLE_PLAYER, hash, p);
}

static const char *role_name(sc_role role)
{
    static const char *const names[] = {"player", "instructor", "admin"};
    return names[role];
}

static json_t *joined_json(const sc_player *p, const char *token,
                           const sc_class_row *c, json_t *assigned)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:o}", "id", p->id,
                          "name", p->name, "role", role_name(p->role),
                          "class", "id", c->id, "name", c->name,
                          "challenges", assigned);
    if (o != NULL && token[0] != '\0')
        json_object_set_new(o, "token", json_string(token));
    return o;
}

static void join_work(sc_req *r, void *arg)
{
    name_wire *w = arg;
    sc_server *srv = sc_req_server(r);
    sc_problem pb = {0};
    sc_class_row c;
    sc_player p;
    uint8_t hash[32];
    char token[SC_TOKEN_SIZE];
    sc_keys_token_hash(srv->keys, w->code, hash);
    int st = sc_store_class_by_code(srv->store, hash, &c);
    if (st == SC_STORE_NOTFOUND) {
        sc_reply_error(r, 404, "not-found", "no class has this join code");
        return;
    }
    if (st == SC_STORE_OK)
        st = joiner(r, w->name, &p, token);
    if (st == SC_STORE_OK)
        st = sc_store_class_enroll(srv->store, c.id, p.id);
    if (st == SC_STORE_CONFLICT && sc_req_player(r) != NULL) {
        sc_reply_error(r, 409, "conflict", "you are enrolled in this class "
                       "already");
    } else if (st != SC_STORE_OK) {
        store_problem(&pb, st, "player name");
        sc_reply_problem(r, &pb);
    } else {
        json_t *assigned = json_array();
        catch_up(srv, c.id, p.id, assigned);
        sc_reply_json(r, 201, joined_json(&p, token, &c, assigned));
    }
    sodium_memzero(token, sizeof token);
}

/* The code is the credential: a new player joins with no token; a player
 * who has one joins under it, with no name. */
static int check_joiner(sc_req *r, const name_wire *w, sc_problem *pb)
{
    if (sc_req_player(r) != NULL && w->name != NULL)
        return sc_problem_field(pb, 422, "name", "you join as yourself "
                                "under your token: leave name out (or "
                                "send no token to join as a new player)");
    if (sc_req_player(r) == NULL && w->name == NULL)
        return sc_problem_field(pb, 422, "name", "name is required to join "
                                "as a new player (or send your token to "
                                "join as yourself)");
    if (w->name == NULL)
        return 0;
    if (check_name(w->name, sizeof ((sc_player *)0)->name, pb) != 0)
        return -1;
    return sc_name_check_reserved(w->name, pb);
}

void sc_h_class_join(sc_req *r)
{
    if (sc_req_rate_take(r, SC_RATE_JOIN) != 0)
        return;
    sc_problem pb = {0};
    name_wire *w = calloc(1, sizeof *w);
    json_t *body = body_or_problem(r, &pb);
    if (w == NULL) {
        sc_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    if (body == NULL ||
        sc_wire_decode(body, join_fields, 2, w, &pb) != 0 ||
        check_joiner(r, w, &pb) != 0) {
        free(w);
        sc_reply_problem(r, &pb);
        return;
    }
    /* Late joiners receive every assignment: that can be real work,
     * so a join always runs on the compute pool (503 when it is full). */
    if (sc_req_reserve(r, (size_t)1 << 20) != 0) {
        free(w);
        return;
    }
    sc_req_run(r, join_work, w, free);
}

/* {"id", "title", "deadline", "template", "created_at"} */
static json_t *assignment_json(const sc_assignment_row *a)
{
    return json_pack("{s:s, s:o, s:o, s:o, s:s}", "id", a->id, "title",
                     a->title[0] ? json_string(a->title) : json_null(),
                     "deadline",
                     a->deadline[0] ? json_string(a->deadline) : json_null(),
                     "template", sc_games_json_load(a->spec), "created_at",
                     a->created_at);
}

void sc_h_class_get(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    sc_problem pb = {0};
    sc_class_row c;
    sc_player *ps = NULL;
    sc_assignment_row *as = NULL;
    size_t np = 0, na = 0;
    if (sc_class_load_own(r, &c, &pb) != 0) {
        sc_reply_problem(r, &pb);
        return;
    }
    if (sc_store_class_students(srv->store, c.id, &ps, &np) != SC_STORE_OK ||
        sc_store_assignments(srv->store, c.id, &as, &na) != SC_STORE_OK) {
        free(ps);
        sc_reply_error(r, 500, "internal", "the store failed");
        return;
    }
    json_t *students = json_array(), *assignments = json_array();
    for (size_t i = 0; i < np; i++)
        json_array_append_new(students, json_pack("{s:s, s:s}", "id",
                                                  ps[i].id, "name",
                                                  ps[i].name));
    for (size_t i = 0; i < na; i++)
        json_array_append_new(assignments, assignment_json(&as[i]));
    free(ps);
    sc_assignment_list_free(as, na);
    char code[SC_CLASS_CODE_LEN + 1];
    if (c.code_gen >= 0)
        sc_class_code(srv, c.id, c.code_gen, code);
    sc_reply_json(r, 200,
                  json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "id", c.id,
                            "name", c.name, "created_at", c.created_at,
                            "join_code", c.code_gen >= 0 ? json_string(code)
                                                         : json_null(),
                            "students", students, "assignments",
                            assignments));
}

typedef struct assign_job {
    sc_class_row c;
    sc_assignment_row a;
    sc_challenge_spec spec;
} assign_job;

static void assign_job_free(void *arg)
{
    assign_job *job = arg;
    free(job->a.spec);
    sc_challenge_spec_clear(&job->spec);
    free(job);
}

static void assign_work(sc_req *r, void *arg)
{
    assign_job *job = arg;
    sc_server *srv = sc_req_server(r);
    sc_problem pb = {0};
    sc_player *ps = NULL;
    size_t np = 0;
    if (sc_challenge_spec_vet(&job->spec, &pb) != 0) {
        sc_reply_problem(r, &pb);
        return;
    }
    int st = sc_store_class_students(srv->store, job->c.id, &ps, &np);
    if (st == SC_STORE_OK)
        st = sc_store_assignment_insert(srv->store, &job->a);
    int rc = st == SC_STORE_OK ? 0 : store_problem(&pb, st, "assignment");
    json_t *list = json_array();
    for (size_t i = 0; i < np && rc == 0; i++) {
        char id[SC_ID_LEN];
        rc = assign_one(srv, &job->a, &job->spec, ps[i].id, id, &pb);
        if (rc == 0)
            json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "player",
                                                  ps[i].id, "player_name",
                                                  ps[i].name, "challenge",
                                                  id));
    }
    free(ps);
    if (rc != 0) {
        json_decref(list);
        sc_reply_problem(r, &pb);
        return;
    }
    json_t *out = assignment_json(&job->a);
    json_object_set_new(out, "class", json_string(job->c.id));
    json_object_set_new(out, "challenges", list);
    sc_reply_json(r, 201, out);
}

/* A deadline as RFC 3339 ("2027-01-31T23:59:00Z" or with an offset,
 * "+01:00"), into UTC text of the same form as sc_games_now; it must
 * still be ahead. */
static int parse_deadline(const char *s, char out[32], sc_problem *pb)
{
    char now[32];
    if (sc_time_parse(s, out) != 0)
        return sc_problem_field(pb, 422, "deadline", "deadline must be an "
                                "RFC 3339 time such as "
                                "2027-01-31T23:59:00Z");
    sc_games_now(now);
    if (strcmp(out, now) <= 0)
        return sc_problem_field(pb, 422, "deadline", "the deadline %s has "
                                "passed already", out);
    return 0;
}

typedef struct head_wire {
    const char *title, *deadline;
} head_wire;

static const sc_wire_field head_fields[] = {
    {"title", SC_WT_STRING, offsetof(head_wire, title), 0, 0, 0, SIZE_MAX},
    {"deadline", SC_WT_STRING, offsetof(head_wire, deadline), 0, 0, 0,
     SIZE_MAX},
};

/* Takes the assignment's own members (title, deadline) out of the
 * template tpl into a. */
static int assignment_head(json_t *tpl, sc_assignment_row *a,
                           sc_problem *pb)
{
    head_wire h = {0};
    json_t *head = json_object();
    for (size_t i = 0; i < 2; i++) {
        json_t *v = json_object_get(tpl, head_fields[i].name);
        if (v != NULL)
            json_object_set(head, head_fields[i].name, v);
        json_object_del(tpl, head_fields[i].name);
    }
    int rc = sc_wire_decode(head, head_fields, 2, &h, pb);
    if (rc == 0 && h.title != NULL)
        rc = check_text("title", h.title, sizeof a->title, pb);
    if (rc == 0 && h.title != NULL)
        snprintf(a->title, sizeof a->title, "%s", h.title);
    if (rc == 0 && h.deadline != NULL)
        rc = parse_deadline(h.deadline, a->deadline, pb);
    json_decref(head);
    return rc;
}

void sc_h_assignment_create(sc_req *r)
{
    sc_problem pb = {0};
    assign_job *job = calloc(1, sizeof *job);
    json_t *body = body_or_problem(r, &pb);
    if (job == NULL) {
        sc_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    int rc = sc_class_load_own(r, &job->c, &pb);
    if (rc == 0 && body == NULL)
        rc = -1;
    json_t *tpl = rc == 0 ? json_deep_copy(body) : NULL;
    if (rc == 0)
        rc = assignment_head(tpl, &job->a, &pb);
    /* Classroom work stays off the public leaderboard unless asked. */
    if (rc == 0)
        rc = sc_challenge_spec_decode(tpl, false, &job->spec, &pb);
    if (rc != 0) {
        json_decref(tpl);
        assign_job_free(job);
        sc_reply_problem(r, &pb);
        return;
    }
    sc_keys_new_id(job->a.id, "as_");
    snprintf(job->a.class_id, sizeof job->a.class_id, "%s", job->c.id);
    sc_games_now(job->a.created_at);
    job->a.spec = json_dumps(tpl, JSON_COMPACT | JSON_SORT_KEYS |
                                      JSON_REAL_PRECISION(17));
    json_decref(tpl);
    if (job->a.spec == NULL) {
        assign_job_free(job);
        sc_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    size_t cost = (size_t)job->spec.rounds *
                  ((job->spec.eval + 1) * job->spec.inst.params.dim +
                   SC_ROUND_WORK);
    if (sc_req_reserve(r, cost) != 0) {
        assign_job_free(job);
        return;
    }
    sc_req_run(r, assign_work, job, assign_job_free);
}

/* Classes: an instructor's class with a join code, students who join
 * with it and get a token, assignments (a challenge template every
 * enrolled student receives with their own secrets), results as JSON or
 * CSV.  Students see only their own work: everything here but join is
 * for the class's instructor (or an admin).  See games.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../proto/sc_wire.h"
#include "challenges.h"
#include "games.h"
#include "keys.h"
#include "ratelimit.h"
#include "server.h"

/* A join code: 12 characters of an alphabet without look-alikes, about
 * 60 bits, stored only as a keyed hash like a token. */
#define CODE_LEN 12
static const char code_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

static void new_code(char out[CODE_LEN + 1])
{
    for (size_t i = 0; i < CODE_LEN; i++)
        out[i] = code_alphabet[randombytes_uniform(
            (uint32_t)(sizeof code_alphabet - 1))];
    out[CODE_LEN] = '\0';
}

static int store_problem(sc_problem *pb, int rc, const char *what)
{
    if (rc == SC_STORE_NOTFOUND)
        return sc_problem_set(pb, 404, "not-found", "no such %s", what);
    if (rc == SC_STORE_CONFLICT)
        return sc_problem_set(pb, 409, "conflict", "that %s exists already",
                              what);
    return sc_problem_set(pb, 500, "internal", "the store failed");
}

/* The class of the {id} parameter, if the caller teaches it. */
static int load_own_class(sc_req *r, sc_class_row *c, sc_problem *pb)
{
    const sc_player *me = sc_req_player(r);
    int st = sc_store_class_get(sc_req_server(r)->store,
                                sc_req_param(r, "id"), c);
    if (st != SC_STORE_OK)
        return store_problem(pb, st, "class");
    if (me->role != SC_ROLE_ADMIN && strcmp(me->id, c->owner) != 0)
        return sc_problem_set(pb, 403, "forbidden",
                              "this class has another instructor");
    return 0;
}

typedef struct name_wire {
    const char *name, *code;
} name_wire;

static const sc_wire_field class_fields[] = {
    {"name", SC_WT_STRING, offsetof(name_wire, name), SC_PF_REQUIRED, 0, 0,
     SIZE_MAX},
};

static const sc_wire_field join_fields[] = {
    {"code", SC_WT_STRING, offsetof(name_wire, code), SC_PF_REQUIRED, 0, 0,
     SIZE_MAX},
    {"name", SC_WT_STRING, offsetof(name_wire, name), SC_PF_REQUIRED, 0, 0,
     SIZE_MAX},
};

static int check_name(const char *name, size_t cap, sc_problem *pb)
{
    size_t len = strlen(name);
    if (len == 0 || len >= cap)
        return sc_problem_field(pb, 422, "name",
                                "name must be 1 to %zu bytes", cap - 1);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return sc_problem_field(pb, 422, "name",
                                    "name may not hold control characters");
    return 0;
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
    char code[CODE_LEN + 1];
    uint8_t hash[32];
    sc_keys_new_id(c.id, "cl_");
    snprintf(c.owner, sizeof c.owner, "%s", sc_req_player(r)->id);
    snprintf(c.name, sizeof c.name, "%s", w.name);
    sc_games_now(c.created_at);
    new_code(code);
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
    sc_keys_new_token(token);
    sc_keys_token_hash(srv->keys, token, hash);
    if (st == SC_STORE_OK)
        st = sc_store_player_create(srv->store, w->name, SC_ROLE_PLAYER, hash,
                                    &p);
    if (st == SC_STORE_OK)
        st = sc_store_class_enroll(srv->store, c.id, p.id);
    if (st != SC_STORE_OK) {
        store_problem(&pb, st, "player name");
        sc_reply_problem(r, &pb);
    } else {
        json_t *assigned = json_array();
        catch_up(srv, c.id, p.id, assigned);
        sc_reply_json(r, 201,
                      json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o}",
                                "id", p.id, "name", p.name, "role", "player",
                                "token", token, "class", "id", c.id, "name",
                                c.name, "challenges", assigned));
    }
    sodium_memzero(token, sizeof token);
}

/* The code is the credential: joining needs no token. */
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
        check_name(w->name, sizeof ((sc_player *)0)->name, &pb) != 0) {
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

void sc_h_class_get(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    sc_problem pb = {0};
    sc_class_row c;
    sc_player *ps = NULL;
    sc_assignment_row *as = NULL;
    size_t np = 0, na = 0;
    if (load_own_class(r, &c, &pb) != 0) {
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
        json_array_append_new(
            assignments,
            json_pack("{s:s, s:o, s:s}", "id", as[i].id, "template",
                      sc_games_json_load(as[i].spec), "created_at",
                      as[i].created_at));
    free(ps);
    sc_assignment_list_free(as, na);
    sc_reply_json(r, 200,
                  json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", c.id, "name",
                            c.name, "created_at", c.created_at, "students",
                            students, "assignments", assignments));
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
    sc_reply_json(r, 201,
                  json_pack("{s:s, s:s, s:o, s:s, s:o}", "id", job->a.id,
                            "class", job->c.id, "template",
                            sc_games_json_load(job->a.spec), "created_at",
                            job->a.created_at, "challenges", list));
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
    int rc = load_own_class(r, &job->c, &pb);
    if (rc == 0 && body == NULL)
        rc = -1;
    /* Classroom work stays off the public leaderboard unless asked. */
    if (rc == 0)
        rc = sc_challenge_spec_decode(body, false, &job->spec, &pb);
    if (rc != 0) {
        assign_job_free(job);
        sc_reply_problem(r, &pb);
        return;
    }
    sc_keys_new_id(job->a.id, "as_");
    snprintf(job->a.class_id, sizeof job->a.class_id, "%s", job->c.id);
    sc_games_now(job->a.created_at);
    job->a.spec = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS |
                                       JSON_REAL_PRECISION(17));
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

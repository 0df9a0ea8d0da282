/*
 * An instructor's view of their classes: GET /v1/classes (the list) and
 * POST /v1/classes/{id}/join-code (a new code), the derivation of join
 * codes, and the assignment deadline rule.
 *
 * Decision: a join code is derived, not stored.  The store keeps only
 * its keyed hash (a join code is a credential, like a token), yet an
 * instructor must be able to see it again days later.  So the code of
 * generation g is a keyed hash of "join:<class id>:<g>" under the
 * server's token key, mapped onto the code alphabet: shown again by
 * computing it again, replaced by moving to generation g + 1 (the old
 * code stops working at once).  Classes made before codes were derived
 * (code_gen NULL) show no code until one is rotated in.
 *
 * Decision: a deadline refuses answers, not finishing.  After an
 * assignment's deadline an answer is a 409 "deadline-passed" naming the
 * deadline; finishing stays open, so a student's unanswered rounds still
 * count as lost and the instructor's results are complete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "challenges.h"
#include "classes.h"
#include "games.h"
#include "keys.h"
#include "server.h"

static const char code_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

void sc_class_code(sc_server *srv, const char *class_id, int64_t gen,
                   char out[SC_CLASS_CODE_LEN + 1])
{
    char msg[96];
    uint8_t h[32];
    const size_t n = sizeof code_alphabet - 1;
    snprintf(msg, sizeof msg, "join:%s:%lld", class_id, (long long)gen);
    sc_keys_token_hash(srv->keys, msg, h);
    /* Two hash bytes per character: the bias of the modulo is < 1/2000. */
    for (size_t i = 0; i < SC_CLASS_CODE_LEN; i++)
        out[i] = code_alphabet[((unsigned)h[2 * i] << 8 | h[2 * i + 1]) % n];
    out[SC_CLASS_CODE_LEN] = '\0';
}

int sc_class_load_own(sc_req *r, sc_class_row *c, sc_problem *pb)
{
    const sc_player *me = sc_req_player(r);
    int st = sc_store_class_get(sc_req_server(r)->store,
                                sc_req_param(r, "id"), c);
    if (st == SC_STORE_NOTFOUND)
        return sc_problem_set(pb, 404, "not-found", "no such class");
    if (st != SC_STORE_OK)
        return sc_problem_set(pb, 500, "internal", "the store failed");
    if (me->role != SC_ROLE_ADMIN && strcmp(me->id, c->owner) != 0)
        return sc_problem_set(pb, 403, "forbidden",
                              "this class has another instructor");
    return 0;
}

static json_t *code_json(sc_server *srv, const sc_class_row *c)
{
    char code[SC_CLASS_CODE_LEN + 1];
    if (c->code_gen < 0)
        return json_null();
    sc_class_code(srv, c->id, c->code_gen, code);
    return json_string(code);
}

void sc_h_class_list(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    sc_class_row *cs = NULL;
    size_t n = 0;
    if (sc_store_classes_of(srv->store, sc_req_player(r)->id, &cs, &n) !=
        SC_STORE_OK) {
        sc_reply_error(r, 500, "internal", "the store failed");
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:o, s:i, s:i}", "id", cs[i].id,
                            "name", cs[i].name, "created_at",
                            cs[i].created_at, "join_code",
                            code_json(srv, &cs[i]), "students",
                            (int)cs[i].students, "assignments",
                            (int)cs[i].assignments));
    free(cs);
    sc_reply_json(r, 200, json_pack("{s:o}", "classes", list));
}

void sc_h_class_rotate_code(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    sc_problem pb = {0};
    sc_class_row c;
    json_t *in = sc_req_json(r);
    if (in != NULL && json_object_size(in) > 0) {
        sc_problem_field(&pb, 422, json_object_iter_key(json_object_iter(in)),
                         "a new join code takes no fields");
        sc_reply_problem(r, &pb);
        return;
    }
    if (sc_class_load_own(r, &c, &pb) != 0) {
        sc_reply_problem(r, &pb);
        return;
    }
    char code[SC_CLASS_CODE_LEN + 1];
    uint8_t hash[32];
    int64_t gen = c.code_gen < 0 ? 0 : c.code_gen + 1;
    sc_class_code(srv, c.id, gen, code);
    sc_keys_token_hash(srv->keys, code, hash);
    if (sc_store_class_set_code(srv->store, c.id, gen, hash) !=
        SC_STORE_OK) {
        sc_reply_error(r, 500, "internal", "the store failed");
        return;
    }
    sc_reply_json(r, 200, json_pack("{s:s, s:s}", "id", c.id, "join_code",
                                    code));
}

int sc_class_deadline_check(sc_server *srv, const sc_challenge_row *c,
                            sc_problem *pb)
{
    sc_assignment_row a;
    char now[32];
    if (c->assignment[0] == '\0')
        return 0;
    if (sc_store_assignment_get(srv->store, c->assignment, &a) !=
        SC_STORE_OK)
        return sc_problem_set(pb, 500, "internal", "the store failed");
    free(a.spec);
    sc_games_now(now);
    /* RFC 3339 UTC with seconds, all of one width: text order is time
     * order. */
    if (a.deadline[0] == '\0' || strcmp(now, a.deadline) <= 0)
        return 0;
    return sc_problem_set(pb, 409, "deadline-passed", "the deadline of "
                          "assignment %s%s%s%s passed at %s: answers are "
                          "closed (finishing still scores the rounds)",
                          a.id, a.title[0] ? " (" : "", a.title,
                          a.title[0] ? ")" : "", a.deadline);
}

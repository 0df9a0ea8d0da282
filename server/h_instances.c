/*
 * POST /v1/instances, GET /v1/instances/{id}, POST and GET .../reveal.
 * The oracles are in oracles.c.
 *
 * Decision: the owner may read a reveal again (GET .../reveal) once the
 * instance is revealed; a lost answer to the POST must not lose the
 * secret for good.  The reveal is recomputed from the instance key, so
 * reading it changes nothing.  A second POST stays a 409: revealing is
 * a state change, and it happens once.
 */
#include <string.h>

#include "handlers.h"
#include "instances.h"
#include "server.h"

void sc_h_instance_create(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    sc_instance_spec spec;
    sc_instance_row row;
    sc_problem pb = {0};
    if (sc_instance_spec_decode(sc_req_json(r), NULL, &spec, &pb) != 0 ||
        sc_instance_create(srv, sc_req_player(r)->id, &spec, NULL, -1, 0,
                           &row, &pb) != 0) {
        sc_instance_spec_clear(&spec);
        sc_reply_problem(r, &pb);
        return;
    }
    sc_instance_spec_clear(&spec);
    sc_reply_json(r, 201, sc_instance_json(&row));
    sc_store_instance_row_free(&row);
}

void sc_h_instance_get(sc_req *r)
{
    sc_instance_row row;
    sc_problem pb = {0};
    if (sc_instance_load(sc_req_server(r), sc_req_param(r, "id"),
                         sc_req_player(r), &row, &pb) != 0) {
        sc_reply_problem(r, &pb);
        return;
    }
    sc_reply_json(r, 200, sc_instance_json(&row));
    sc_store_instance_row_free(&row);
}

/* Challenge rounds are revealed by their challenge, unless the games
 * allow it here. */
static int round_may_reveal(sc_server *srv, const sc_instance_row *row,
                            sc_problem *pb)
{
    if (row->challenge[0] == '\0')
        return 0;
    if (sc_hooks_table.round_gate != NULL)
        return sc_hooks_table.round_gate(srv, row, -1, pb);
    return sc_problem_set(pb, 409, "conflict", "a challenge round is "
                          "revealed when its challenge finishes");
}

void sc_h_instance_reveal(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    sc_instance_row row;
    sc_problem pb = {0};
    json_t *in = sc_req_json(r);
    if (in != NULL && json_object_size(in) > 0) {
        sc_problem_field(&pb, 422, json_object_iter_key(json_object_iter(in)),
                         "reveal takes no fields");
        sc_reply_problem(r, &pb);
        return;
    }
    if (sc_instance_load(srv, sc_req_param(r, "id"), sc_req_player(r), &row,
                         &pb) != 0) {
        sc_reply_problem(r, &pb);
        return;
    }
    json_t *body = NULL;
    if (round_may_reveal(srv, &row, &pb) == 0)
        body = sc_instance_reveal_json(srv, &row, &pb);
    int rc = body != NULL ? sc_store_instance_reveal(srv->store, row.id) : -1;
    if (rc == SC_STORE_OK)
        sc_reply_json(r, 200, body);
    else if (rc == SC_STORE_CONFLICT)
        sc_reply_error(r, 409, "conflict", "this instance is already "
                       "revealed");
    else if (body != NULL)
        sc_reply_error(r, 500, "internal", "the store failed");
    else
        sc_reply_problem(r, &pb);
    if (rc != SC_STORE_OK)
        json_decref(body);
    sc_store_instance_row_free(&row);
}

void sc_h_instance_reveal_get(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    sc_instance_row row;
    sc_problem pb = {0};
    if (sc_instance_load(srv, sc_req_param(r, "id"), sc_req_player(r), &row,
                         &pb) != 0) {
        sc_reply_problem(r, &pb);
        return;
    }
    json_t *body = NULL;
    if (!row.revealed)
        sc_problem_set(&pb, 409, "conflict", "this instance is not revealed "
                       "yet: %s", row.challenge[0] != '\0'
                                      ? "its challenge reveals it when it "
                                        "finishes"
                                      : "POST .../reveal reveals it");
    else
        body = sc_instance_reveal_json(srv, &row, &pb);
    if (body != NULL)
        sc_reply_json(r, 200, body);
    else
        sc_reply_problem(r, &pb);
    sc_store_instance_row_free(&row);
}

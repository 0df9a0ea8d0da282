/*
 * Reads of a challenge beside its view (challenges.c):
 *   GET /v1/challenges/{id}/reveal              the finish body again
 *   GET /v1/challenges/{id}/rounds/{index}/eval a round's eval points
 *
 * Decision: the challenge view leaves the evaluation points out unless
 * asked (`?eval=inline`).  A 1000-round score challenge with its points
 * inline was 84 MB of JSON and 9 s per GET, and most reads of a view
 * (status, result, the next open round) need none of them.  The points
 * are a pure function of the round's instance (core/sc_game.h), so they
 * are drawn again on each read rather than stored, and served per round,
 * as NPY when asked: `part=points` (default) is the n x dim matrix,
 * `part=t` the vector of times.
 *
 * Decision: a reveal can be read again by its owner.  A lost answer to
 * the one POST that finishes (or reveals) must not lose the secret for
 * good; the reveal is stored with the challenge, so reading it again
 * changes nothing and costs nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "../proto/sc_wire.h"
#include "challenges.h"
#include "games.h"
#include "server.h"

/* The body POST .../finish answered. */
static json_t *finish_again(const sc_challenge_row *c)
{
    json_t *body = sc_challenge_finish_body(c);
    json_object_set_new(body, "id", json_string(c->id));
    json_object_set_new(body, "status", json_string("finished"));
    return body;
}

void sc_h_challenge_reveal(sc_req *r)
{
    sc_problem pb = {0};
    sc_challenge_row c;
    if (sc_challenge_load(sc_req_server(r), sc_req_param(r, "id"),
                          sc_req_player(r), true, &c, &pb) != 0) {
        sc_reply_problem(r, &pb);
        return;
    }
    if (!c.finished)
        sc_reply_error(r, 409, "conflict", "this challenge is still open: "
                       "its reveal comes with POST .../finish");
    else
        sc_reply_json(r, 200, finish_again(&c));
    sc_challenge_row_free(&c);
}

/* The {index} path parameter: a round of c, else 404. */
static int round_of(const char *s, const sc_challenge_row *c,
                    unsigned *out, sc_problem *pb)
{
    char *end = NULL;
    bool digits = s != NULL && s[0] >= '0' && s[0] <= '9' &&
                  (s[0] != '0' || s[1] == '\0');
    unsigned long v = digits ? strtoul(s, &end, 10) : 0;
    if (!digits || *end != '\0' || v >= c->rounds)
        return sc_problem_set(pb, 404, "not-found", "no such round");
    *out = (unsigned)v;
    return 0;
}

typedef struct eval_job {
    sc_challenge_row c;
    sc_instance_row inst;
    bool want_t;
} eval_job;

static void eval_job_free(void *arg)
{
    eval_job *j = arg;
    sc_challenge_row_free(&j->c);
    sc_store_instance_row_free(&j->inst);
    free(j);
}

static void reply_eval(sc_req *r, const eval_job *j, size_t n, size_t dim,
                       const double *t, const double *x)
{
    if (sc_req_wants_npy(r)) {
        if (j->want_t)
            sc_reply_array(r, "t", t, n, 1, 1);
        else
            sc_reply_array(r, "points", x, n, dim, 2);
        return;
    }
    json_t *body = json_pack("{s:i, s:o, s:o}", "index", j->inst.round,
                             "t", sc_wire_encode_vector(t, n), "points",
                             sc_wire_encode_matrix(x, n, dim));
    sc_reply_json(r, 200, body);
}

static void eval_work(sc_req *r, void *arg)
{
    eval_job *j = arg;
    sc_server *srv = sc_req_server(r);
    sc_problem pb = {0};
    const sc_served *s = sc_instance_served(srv, &j->inst, &pb);
    if (s == NULL) {
        sc_reply_problem(r, &pb);
        return;
    }
    size_t n = j->c.eval, dim = sc_dist_dim(s->dist);
    double *t = malloc(n * sizeof *t);
    double *x = malloc(n * dim * sizeof *x);
    if (t == NULL || x == NULL ||
        sc_game_eval_points(s->dist, n, t, x) != SC_OK)
        sc_reply_error(r, 500, "internal", "the eval points failed");
    else
        reply_eval(r, j, n, dim, t, x);
    free(t);
    free(x);
    sc_instance_served_release(srv, s);
}

/* part=points (default) or part=t. */
static int eval_part(sc_req *r, eval_job *j, sc_problem *pb)
{
    const char *part = sc_req_query(r, "part");
    if (part != NULL && strcmp(part, "t") != 0 &&
        strcmp(part, "points") != 0)
        return sc_problem_field(pb, 422, "part", "part must be points or "
                                "t");
    j->want_t = part != NULL && strcmp(part, "t") == 0;
    return 0;
}

/* The instance of round {index} of j->c into j->inst. */
static int eval_round(sc_req *r, eval_job *j, sc_problem *pb)
{
    sc_server *srv = sc_req_server(r);
    sc_round_row round;
    unsigned index = 0;
    if (round_of(sc_req_param(r, "index"), &j->c, &index, pb) != 0)
        return -1;
    if (j->c.eval == 0)
        return sc_problem_set(pb, 404, "not-found", "this challenge's "
                              "rounds have no eval points (kinds score and "
                              "density do)");
    if (sc_store_round_get(srv->store, j->c.id, index, &round) !=
        SC_STORE_OK)
        return sc_problem_set(pb, 500, "internal", "the store failed");
    int rc = sc_instance_load(srv, round.instance, NULL, &j->inst, pb);
    free(round.public_);
    return rc;
}

/* Work in doubles: eval x dim of the challenge's round template. */
static size_t eval_cost(const sc_challenge_row *c)
{
    json_t *spec = sc_games_json_load(c->spec);
    json_int_t dim = json_integer_value(json_object_get(spec, "dim"));
    json_decref(spec);
    return (size_t)c->eval * (size_t)(dim > 0 ? dim : 1);
}

void sc_h_challenge_eval(sc_req *r)
{
    sc_problem pb = {0};
    eval_job *j = calloc(1, sizeof *j);
    if (j == NULL) {
        sc_reply_error(r, 503, "overloaded", "out of memory");
        return;
    }
    if (sc_challenge_load(sc_req_server(r), sc_req_param(r, "id"),
                          sc_req_player(r), true, &j->c, &pb) != 0 ||
        eval_part(r, j, &pb) != 0 || eval_round(r, j, &pb) != 0) {
        sc_reply_problem(r, &pb);
        eval_job_free(j);
        return;
    }
    if (sc_req_reserve(r, eval_cost(&j->c)) != 0) {
        eval_job_free(j);
        return;
    }
    sc_req_run(r, eval_work, j, eval_job_free);
}

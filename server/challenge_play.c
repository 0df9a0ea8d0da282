/* Playing a challenge: answers, finish (result, reveal, receipt) and the
 * gate that closes a round's oracles.  See challenges.h and games.h.
 *
 * Nothing here depends on a round's coin before finish: what an answer
 * stores (kinds.h, score) is computed without it, and the answer, the
 * gate and their errors are the same for planted and null rounds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "challenges.h"
#include "classes.h"
#include "games.h"
#include "keys.h"
#include "kinds.h"
#include "server.h"

static int store_problem(sc_problem *pb, int rc, const char *what)
{
    if (rc == SC_STORE_NOTFOUND)
        return sc_problem_set(pb, 404, "not-found", "no such %s", what);
    if (rc == SC_STORE_CONFLICT)
        return sc_problem_set(pb, 409, "conflict",
                              "the %s is answered or finished already", what);
    return sc_problem_set(pb, 500, "internal", "the store failed");
}

/* --- answers ----------------------------------------------------------- */

/* What the answer scored against the round's distribution. */
static int score_answer(sc_server *srv, const sc_challenge_row *c,
                        const sc_kind *k, unsigned index,
                        const sc_served *s, const sc_answer *a,
                        sc_round_outcome *o, sc_problem *pb)
{
    uint8_t key[SC_KEY_BYTES];
    sc_keys_challenge_key(srv->keys, c->seq, key);
    sc_kind_round r = {.srv = srv, .key = key, .index = index,
                       .dist = s->dist, .row = s->row, .eval = c->eval,
                       .tolerance = c->tolerance};
    int rc = k->score(&r, a, o, pb);
    sodium_memzero(key, sizeof key);
    return rc;
}

/* Parses the {index} path parameter: a round of c, else 404. */
static int round_index(const char *s, const sc_challenge_row *c,
                       unsigned *out, sc_problem *pb)
{
    char *end;
    unsigned long v = s != NULL && s[0] >= '0' && s[0] <= '9'
                          ? strtoul(s, &end, 10)
                          : 0;
    if (s == NULL || s[0] < '0' || s[0] > '9' || *end != '\0' ||
        v >= c->rounds || (s[0] == '0' && s[1] != '\0'))
        return sc_problem_set(pb, 404, "not-found", "no such round");
    *out = (unsigned)v;
    return 0;
}

typedef struct answer_job {
    sc_challenge_row c;
    const sc_kind *kind;
    unsigned index;
    sc_answer a;
} answer_job;

static void answer_job_free(void *arg)
{
    answer_job *job = arg;
    sc_challenge_row_free(&job->c);
    sc_answer_clear(&job->a);
    free(job);
}

/* The body of a successful answer; the finish body when it was the
 * last round. */
static void reply_answered(sc_req *r, answer_job *job)
{
    sc_server *srv = sc_req_server(r);
    sc_problem pb = {0};
    sc_round_row *rounds = NULL;
    size_t n = 0, open = 0;
    int st = sc_store_challenge_rounds(srv->store, job->c.id, &rounds, &n);
    if (st != SC_STORE_OK) {
        store_problem(&pb, st, "challenge");
        sc_reply_problem(r, &pb);
        return;
    }
    for (size_t i = 0; i < n; i++)
        open += !rounds[i].answered;
    sc_round_rows_free(rounds, n);
    json_t *body = json_object(), *fin = NULL;
    json_object_set_new(body, "index", json_integer(job->index));
    json_object_set_new(body, "answered", json_true());
    if (open == 0) {
        int rc = sc_challenge_finish(srv, &job->c, &fin, &pb);
        if (rc != 0 && pb.status == 409) {
            /* A concurrent finish won: show what it stored. */
            sc_challenge_row now;
            if (sc_store_challenge_get(srv->store, job->c.id, &now) ==
                SC_STORE_OK) {
                fin = sc_challenge_finish_body(&now);
                sc_challenge_row_free(&now);
            }
        }
    }
    json_object_set_new(body, "status",
                        json_string(fin != NULL ? "finished" : "open"));
    if (fin != NULL)
        json_object_update(body, fin);
    json_decref(fin);
    sc_reply_json(r, 200, body);
}

static void answer_work(sc_req *r, void *arg)
{
    answer_job *job = arg;
    sc_server *srv = sc_req_server(r);
    sc_problem pb = {0};
    sc_round_row round;
    sc_instance_row row;
    int st = sc_store_round_get(srv->store, job->c.id, job->index, &round);
    if (st != SC_STORE_OK) {
        store_problem(&pb, st, "round");
        sc_reply_problem(r, &pb);
        return;
    }
    int rc = sc_instance_load(srv, round.instance, NULL, &row, &pb);
    free(round.public_);
    if (rc != 0) {
        sc_reply_problem(r, &pb);
        return;
    }
    const sc_served *s = sc_instance_served(srv, &row, &pb);
    sc_round_outcome o = {0};
    rc = s != NULL ? score_answer(srv, &job->c, job->kind, job->index, s,
                                  &job->a, &o, &pb)
                   : -1;
    if (s != NULL)
        sc_instance_served_release(srv, s);
    sc_store_instance_row_free(&row);
    if (rc == 0) {
        st = sc_store_round_answer(srv->store, job->c.id, job->index,
                                   o.value, o.gauss, o.points);
        rc = st == SC_STORE_OK ? 0 : store_problem(&pb, st, "round");
    }
    if (rc != 0)
        sc_reply_problem(r, &pb);
    else
        reply_answered(r, job);
}

/* 409 unless round index of c is open for an answer. */
static int check_open(sc_server *srv, const sc_challenge_row *c,
                      unsigned index, sc_problem *pb)
{
    sc_round_row round;
    if (c->finished)
        return sc_problem_set(pb, 409, "conflict",
                              "the challenge is finished");
    int st = sc_store_round_get(srv->store, c->id, index, &round);
    if (st != SC_STORE_OK)
        return store_problem(pb, st, "round");
    bool answered = round.answered;
    free(round.public_);
    if (answered)
        return sc_problem_set(pb, 409, "conflict",
                              "round %u is answered already", index);
    return 0;
}

/* Loads the challenge (job->c, owned by the job once loaded), checks the
 * state first, so a second answer is a 409 whatever its body, then
 * decodes the answer.  *dim is the round's dimension. */
static int prepare_answer(sc_req *r, answer_job *job, size_t *dim,
                          sc_problem *pb)
{
    sc_server *srv = sc_req_server(r);
    sc_answer_shape shape;
    if (sc_challenge_load(srv, sc_req_param(r, "id"), sc_req_player(r),
                          false, &job->c, pb) != 0)
        return -1;
    if (round_index(sc_req_param(r, "index"), &job->c, &job->index, pb) !=
            0 ||
        check_open(srv, &job->c, job->index, pb) != 0 ||
        sc_class_deadline_check(srv, &job->c, pb) != 0)
        return -1;
    job->kind = sc_kind_find(job->c.kind);
    if (job->kind == NULL || sc_challenge_shape(&job->c, &shape, pb) != 0)
        return sc_problem_set(pb, 500, "internal",
                              "a stored challenge is unreadable");
    *dim = shape.dim;
    if (sc_req_is_npy(r)) {
        size_t len;
        const uint8_t *body = sc_req_body(r, &len);
        return sc_kind_decode_npy(job->kind, body, len, &shape, &job->a,
                                  pb);
    }
    return sc_kind_decode(job->kind, sc_req_json(r), &shape, &job->a, pb);
}

void sc_h_challenge_answer(sc_req *r)
{
    sc_problem pb = {0};
    size_t dim = 0;
    answer_job *job = calloc(1, sizeof *job);
    if (job == NULL) {
        sc_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    if (prepare_answer(r, job, &dim, &pb) != 0) {
        answer_job_free(job);
        sc_reply_problem(r, &pb);
        return;
    }
    if (sc_req_reserve(r, (job->c.eval + 1) * dim) != 0) {
        answer_job_free(job);
        return;
    }
    sc_req_run(r, answer_work, job, answer_job_free);
}

/* --- finish ------------------------------------------------------------ */

typedef struct finish_job {
    sc_challenge_row c;
} finish_job;

static void finish_job_free(void *arg)
{
    finish_job *job = arg;
    sc_challenge_row_free(&job->c);
    free(job);
}

static void finish_work(sc_req *r, void *arg)
{
    finish_job *job = arg;
    sc_problem pb = {0};
    json_t *body = NULL;
    if (sc_challenge_finish(sc_req_server(r), &job->c, &body, &pb) != 0) {
        sc_reply_problem(r, &pb);
        return;
    }
    json_object_set_new(body, "id", json_string(job->c.id));
    json_object_set_new(body, "status", json_string("finished"));
    sc_reply_json(r, 200, body);
}

/* finish takes no body, or an empty object. */
void sc_h_challenge_finish(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    sc_problem pb = {0};
    const json_t *body = sc_req_json(r);
    if (body != NULL && json_object_size(body) > 0) {
        sc_reply_error(r, 422, "invalid-parameters",
                       "finish takes no parameters");
        return;
    }
    finish_job *job = calloc(1, sizeof *job);
    if (job == NULL) {
        sc_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    if (sc_challenge_load(srv, sc_req_param(r, "id"), sc_req_player(r),
                          false, &job->c, &pb) != 0) {
        free(job);
        sc_reply_problem(r, &pb);
        return;
    }
    if (job->c.finished) {
        finish_job_free(job);
        sc_reply_error(r, 409, "conflict", "the challenge is finished "
                       "already; GET it for its result and receipt");
        return;
    }
    sc_answer_shape shape;
    if (sc_challenge_shape(&job->c, &shape, &pb) != 0) {
        finish_job_free(job);
        sc_reply_problem(r, &pb);
        return;
    }
    if (sc_req_reserve(r, (size_t)job->c.rounds * (job->c.eval + 1) *
                              shape.dim) != 0) {
        finish_job_free(job);
        return;
    }
    sc_req_run(r, finish_work, job, finish_job_free);
}

/* --- the round gate ---------------------------------------------------- */

int sc_games_round_gate(sc_server *srv, const sc_instance_row *row,
                        int meter, sc_problem *pb)
{
    sc_challenge_row c;
    sc_round_row round;
    if (row->challenge[0] == '\0')
        return 0;
    int st = sc_store_challenge_get(srv->store, row->challenge, &c);
    if (st != SC_STORE_OK)
        return store_problem(pb, st, "challenge");
    bool finished = c.finished;
    sc_challenge_row_free(&c);
    if (meter < 0)
        return finished ? 0
                        : sc_problem_set(pb, 409, "conflict",
                                         "a challenge round is revealed "
                                         "when its challenge finishes");
    if (finished)
        return sc_problem_set(pb, 409, "conflict",
                              "the challenge is finished: its rounds' "
                              "oracles are closed");
    st = sc_store_round_get(srv->store, row->challenge, (unsigned)row->round,
                            &round);
    if (st != SC_STORE_OK)
        return store_problem(pb, st, "round");
    bool answered = round.answered;
    free(round.public_);
    if (answered)
        return sc_problem_set(pb, 409, "conflict",
                              "round %d is answered: its oracles are closed",
                              row->round);
    return 0;
}

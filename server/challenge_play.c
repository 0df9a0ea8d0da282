/* Playing a challenge: answers, finish (result, reveal, receipt) and the
 * gate that closes a round's oracles.  See challenges.h and games.h.
 *
 * Nothing here depends on a round's coin before finish except the
 * stored outcome of a distinguish answer, which only finish reads: the
 * answer, the gate and their errors are the same for planted and null
 * rounds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../core/sc_commit.h"
#include "../proto/sc_wire.h"
#include "challenges.h"
#include "classes.h"
#include "games.h"
#include "keys.h"
#include "posterior.h"
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

typedef struct answer_wire {
    const char *guess, *seed;
    json_t *direction, *scores, *logpdf, *sample;
} answer_wire;

static const sc_wire_field answer_fields[] = {
    {"guess", SC_WT_STRING, offsetof(answer_wire, guess), 0, 0, 0, SIZE_MAX},
    {"direction", SC_WT_ARRAY, offsetof(answer_wire, direction), 0, 0, 0,
     SIZE_MAX},
    {"scores", SC_WT_ARRAY, offsetof(answer_wire, scores), 0, 0, 0,
     SIZE_MAX},
    {"logpdf", SC_WT_ARRAY, offsetof(answer_wire, logpdf), 0, 0, 0,
     SIZE_MAX},
    {"sample", SC_WT_ARRAY, offsetof(answer_wire, sample), 0, 0, 0,
     SIZE_MAX},
    {"seed", SC_WT_STRING, offsetof(answer_wire, seed), 0, 0, 0, SIZE_MAX},
};

/* A decoded answer: what the kind takes, nothing else. */
typedef struct answer {
    bool planted_guess;
    double *vec;       /* direction, scores (eval x dim), logpdf, sample */
    size_t rows, cols;
    uint8_t *seed;
    size_t seed_len;
} answer;

static void answer_clear(answer *a)
{
    free(a->vec);
    free(a->seed);
    memset(a, 0, sizeof *a);
}

/* The one member kind k answers with; any other is refused. */
static const char *const answer_member[SC_GAME_KINDS] = {
    [SC_GAME_DISTINGUISH] = "guess",   [SC_GAME_RECOVER] = "direction",
    [SC_GAME_SCORE] = "scores",        [SC_GAME_DENSITY] = "logpdf",
    [SC_GAME_POSTERIOR] = "sample",
};

static int only_member(const json_t *obj, sc_game_kind k, sc_problem *pb)
{
    const char *key;
    const json_t *v;
    size_t n = 0;
    json_object_foreach((json_t *)obj, key, v) {
        bool ok = strcmp(key, answer_member[k]) == 0 ||
                  (k == SC_GAME_POSTERIOR && strcmp(key, "seed") == 0);
        if (!ok)
            return sc_problem_field(pb, 422, key,
                                    "a %s answer has no member %s",
                                    sc_game_kind_name(k), key);
        n++;
    }
    if (n != 1)
        return sc_problem_field(pb, 422, answer_member[k],
                                k == SC_GAME_POSTERIOR
                                    ? "give exactly one of sample and seed"
                                    : "the answer is {\"%s\": ...}",
                                answer_member[k]);
    return 0;
}

static int decode_guess(const answer_wire *w, answer *a, sc_problem *pb)
{
    if (strcmp(w->guess, "planted") != 0 && strcmp(w->guess, "null") != 0)
        return sc_problem_field(pb, 422, "guess",
                                "guess must be \"planted\" or \"null\"");
    a->planted_guess = strcmp(w->guess, "planted") == 0;
    return 0;
}

static int decode_seed(const char *hex, size_t len, answer *a,
                       sc_problem *pb)
{
    a->seed = malloc(len + 1);
    if (a->seed == NULL)
        return sc_problem_set(pb, 500, "internal", "out of memory");
    a->seed_len = len;
    if (sc_unhex(a->seed, len, hex) != SC_OK)
        return sc_problem_field(pb, 422, "seed",
                                "seed must be %zu bytes as %zu hex digits",
                                len, 2 * len);
    return 0;
}

/* Decodes a JSON answer for kind k; dim and eval size its arrays. */
static int decode_answer(const json_t *body, sc_game_kind k, size_t dim,
                         size_t eval, size_t seed_len, answer *a,
                         sc_problem *pb)
{
    answer_wire w = {0};
    size_t len;
    if (body == NULL)
        return sc_problem_set(pb, 400, "malformed-request",
                              "the answer is a JSON object");
    if (only_member(body, k, pb) != 0 ||
        sc_wire_decode(body, answer_fields,
                       sizeof answer_fields / sizeof answer_fields[0], &w,
                       pb) != 0)
        return -1;
    switch (k) {
    case SC_GAME_DISTINGUISH:
        return decode_guess(&w, a, pb);
    case SC_GAME_RECOVER:
        a->rows = 1;
        return sc_wire_decode_vector(w.direction, "direction", dim, &a->vec,
                                     &a->cols, pb);
    case SC_GAME_SCORE:
        if (sc_wire_decode_matrix(w.scores, "scores", dim, eval, &a->vec,
                                  &a->rows, &a->cols, pb) != 0)
            return -1;
        if (a->rows != eval)
            return sc_problem_field(pb, 422, "scores",
                                    "one score per eval point: %zu rows",
                                    eval);
        return 0;
    case SC_GAME_DENSITY:
        a->rows = eval;
        return sc_wire_decode_vector(w.logpdf, "logpdf", eval, &a->vec,
                                     &len, pb);
    case SC_GAME_POSTERIOR:
        if (w.seed != NULL)
            return decode_seed(w.seed, seed_len, a, pb);
        a->rows = 1;
        return sc_wire_decode_vector(w.sample, "sample", dim, &a->vec,
                                     &a->cols, pb);
    default:
        return sc_problem_set(pb, 500, "internal", "unknown kind");
    }
}

/* Score and density answers may travel as NPY (proto/API.md). */
static int decode_npy_answer(sc_req *r, sc_game_kind k, size_t dim,
                             size_t eval, answer *a, sc_problem *pb)
{
    size_t len, rows, cols;
    int ndim;
    const uint8_t *body = sc_req_body(r, &len);
    if (k != SC_GAME_SCORE && k != SC_GAME_DENSITY)
        return sc_problem_set(pb, 415, "unsupported-media-type",
                              "only score and density answers may be NPY");
    if (sc_npy_decode(body, len, &a->vec, &rows, &cols, &ndim, pb) != 0)
        return -1;
    bool ok = k == SC_GAME_SCORE ? ndim == 2 && rows == eval && cols == dim
                                 : ndim == 1 && rows == eval;
    if (!ok)
        return sc_problem_field(pb, 422, k == SC_GAME_SCORE ? "scores"
                                                            : "logpdf",
                                "the array must be %zu x %zu", eval,
                                k == SC_GAME_SCORE ? dim : (size_t)1);
    a->rows = rows;
    a->cols = cols;
    return 0;
}

/* What the answer scored against the round's distribution. */
static int score_answer(sc_server *srv, const sc_challenge_row *c,
                        sc_game_kind k, unsigned index, const sc_dist *d,
                        const answer *a, sc_round_outcome *o,
                        sc_problem *pb)
{
    uint8_t key[SC_KEY_BYTES];
    int rc = 0;
    sc_keys_challenge_key(srv->keys, c->seq, key);
    if (k == SC_GAME_DISTINGUISH) {
        *o = (sc_round_outcome){.answered = true};
        o->value = a->planted_guess == sc_game_coin(key, index);
    } else if (k == SC_GAME_RECOVER) {
        if (sc_game_recover_round(d, a->vec, o) != SC_OK)
            rc = sc_problem_set(pb, 500, "internal", "no direction");
    } else if (k == SC_GAME_POSTERIOR) {
        rc = sc_posterior_score(d, key, index, a->vec, a->seed, a->seed_len,
                                o, pb);
    } else {
        size_t n = c->eval, dim = sc_dist_dim(d);
        double *t = malloc(n * sizeof *t);
        double *x = malloc(n * dim * sizeof *x);
        int st = t != NULL && x != NULL
                     ? sc_game_eval_points(d, n, t, x)
                     : SC_ENOMEM;
        if (st == SC_OK)
            st = k == SC_GAME_SCORE
                     ? sc_game_score_round(d, n, t, x, a->vec, o)
                     : sc_game_density_round(d, n, t, x, a->vec,
                                             c->tolerance, o);
        if (st != SC_OK)
            rc = sc_problem_set(pb, 500, "internal", "scoring failed");
        free(t);
        free(x);
    }
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
    sc_game_kind kind;
    unsigned index;
    answer a;
} answer_job;

static void answer_job_free(void *arg)
{
    answer_job *job = arg;
    sc_challenge_row_free(&job->c);
    answer_clear(&job->a);
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
    rc = s != NULL ? score_answer(srv, &job->c, job->kind, job->index,
                                  s->dist, &job->a, &o, &pb)
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

/* The answer's sizes: dim of the template, the seed bytes of owf. */
static void template_sizes(const sc_challenge_row *c, size_t *dim,
                           size_t *seed_len)
{
    json_t *spec = sc_games_json_load(c->spec);
    json_int_t d = json_integer_value(json_object_get(spec, "dim"));
    json_int_t n = json_integer_value(json_object_get(spec, "seed_bits"));
    json_int_t m = json_integer_value(json_object_get(spec, "image_bits"));
    *dim = (size_t)(d > 0 ? d : n + m);
    *seed_len = (size_t)(n + 7) / 8;
    json_decref(spec);
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
    size_t seed_len;
    if (sc_challenge_load(srv, sc_req_param(r, "id"), sc_req_player(r),
                          false, &job->c, pb) != 0)
        return -1;
    if (round_index(sc_req_param(r, "index"), &job->c, &job->index, pb) !=
            0 ||
        check_open(srv, &job->c, job->index, pb) != 0 ||
        sc_class_deadline_check(srv, &job->c, pb) != 0)
        return -1;
    sc_game_kind_parse(job->c.kind, &job->kind);
    template_sizes(&job->c, dim, &seed_len);
    if (sc_req_is_npy(r))
        return decode_npy_answer(r, job->kind, *dim, job->c.eval, &job->a,
                                 pb);
    return decode_answer(sc_req_json(r), job->kind, *dim, job->c.eval,
                         seed_len, &job->a, pb);
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
    size_t dim, seed_len;
    template_sizes(&job->c, &dim, &seed_len);
    if (sc_req_reserve(r, (size_t)job->c.rounds * (job->c.eval + 1) * dim) !=
        0) {
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

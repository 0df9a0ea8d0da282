/* Challenges: creation with the commitment, loading, the public view,
 * and the create / list / get handlers.  See challenges.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "../core/sc_commit.h"
#include "../core/sc_rng.h"
#include "../proto/sc_wire.h"
#include "boards.h"
#include "challenges.h"
#include "games.h"
#include "keys.h"
#include "seasons.h"
#include "server.h"

void sc_games_now(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *sc_games_json_load(const char *text)
{
    return text != NULL ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
}

static int store_problem(sc_problem *pb, int rc, const char *what)
{
    if (rc == SC_STORE_NOTFOUND)
        return sc_problem_set(pb, 404, "not-found", "no such %s", what);
    if (rc == SC_STORE_CONFLICT)
        return sc_problem_set(pb, 409, "conflict", "the %s changed state",
                              what);
    return sc_problem_set(pb, 500, "internal", "the store failed");
}

/* Everything creation collects about the rounds before the insert. */
typedef struct round_build {
    sc_round_row *rows;
    uint8_t *planted;
    uint8_t (*commit)[SC_COMMIT_BYTES];
} round_build;

static void round_build_free(round_build *b, size_t n)
{
    if (b->rows != NULL)
        sc_round_rows_free(b->rows, n);
    free(b->planted);
    free(b->commit);
}

/* The public members a kind adds to a new round (posterior: y). */
static int round_public(sc_server *srv, const sc_kind *k,
                        const sc_instance_row *row,
                        const uint8_t key[SC_KEY_BYTES], unsigned i,
                        char **out, sc_problem *pb)
{
    const sc_served *s = sc_instance_served(srv, row, pb);
    if (s == NULL)
        return -1;
    sc_kind_round r = {.srv = srv, .key = key, .index = i,
                       .dist = s->dist, .row = row};
    int rc = k->round_public(&r, out, pb);
    sc_instance_served_release(srv, s);
    return rc;
}

/* One round: its instance (null when the kind's coin says so),
 * the eval points spent from its samples meter, the posterior target. */
static int create_round(sc_server *srv, const char *owner, const char *id,
                        int64_t seq, const sc_challenge_spec *spec,
                        const uint8_t key[SC_KEY_BYTES], unsigned i,
                        round_build *b, sc_problem *pb)
{
    const sc_kind *k = sc_kind_of(spec->kind);
    bool planted = !k->coin || sc_game_coin(key, i);
    sc_instance_row row;
    if (sc_instance_create(srv, owner, &spec->inst, id, (int)i,
                           k->coin ? seq : 0, &row, pb) != 0)
        return -1;
    int rc = 0;
    b->rows[i].index = i;
    b->planted[i] = planted;
    snprintf(b->rows[i].instance, sizeof b->rows[i].instance, "%s", row.id);
    if (sc_unhex(b->commit[i], SC_COMMIT_BYTES, row.commitment) != SC_OK)
        rc = sc_problem_set(pb, 500, "internal", "bad instance commitment");
    uint64_t before;
    if (rc == 0 && spec->eval > 0) {
        int st = sc_store_spend(srv->store, row.id, SC_METER_SAMPLES,
                                spec->eval, &before);
        if (st != SC_STORE_OK)
            rc = store_problem(pb, st, "instance");
    }
    if (rc == 0 && k->round_public != NULL)
        rc = round_public(srv, k, &row, key, i, &b->rows[i].public_, pb);
    sc_store_instance_row_free(&row);
    return rc;
}

static int create_rounds(sc_server *srv, const char *owner, const char *id,
                         int64_t seq, const sc_challenge_spec *spec,
                         const uint8_t key[SC_KEY_BYTES], round_build *b,
                         sc_problem *pb)
{
    size_t n = spec->rounds;
    b->rows = calloc(n, sizeof *b->rows);
    b->planted = calloc(n, 1);
    b->commit = calloc(n, sizeof *b->commit);
    if (b->rows == NULL || b->planted == NULL || b->commit == NULL)
        return sc_problem_set(pb, 500, "internal", "out of memory");
    for (unsigned i = 0; i < n; i++)
        if (create_round(srv, owner, id, seq, spec, key, i, b, pb) != 0)
            return -1;
    return 0;
}

/* The stored template: what every round instance is made of.  Members
 * the server picks per instance (SC_PF_OUTPUT, e.g. owf's f_key) differ
 * between rounds, so the template leaves them out. */
static char *spec_text(const sc_challenge_spec *spec)
{
    const sc_family *fam = spec->inst.fam;
    json_t *j = sc_instance_spec_json(&spec->inst);
    for (size_t i = 0; j != NULL && i < fam->nspec; i++)
        if (fam->spec[i].flags & SC_PF_OUTPUT)
            json_object_del(j, fam->spec[i].name);
    char *text = j != NULL ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS |
                                               JSON_REAL_PRECISION(17))
                           : NULL;
    json_decref(j);
    return text;
}

/* What the challenge row knows before its rounds: owner, kind, preset,
 * template, board and season; then the board's attempt rule. */
static int admit(sc_server *srv, const char *owner,
                 const sc_challenge_spec *spec, sc_challenge_row *c,
                 sc_problem *pb)
{
    sc_season_row season = {0};
    snprintf(c->owner, sizeof c->owner, "%s", owner);
    snprintf(c->kind, sizeof c->kind, "%s", sc_game_kind_name(spec->kind));
    snprintf(c->preset, sizeof c->preset, "%s",
             spec->preset != NULL ? spec->preset->name : "");
    snprintf(c->season, sizeof c->season, "%s", spec->season);
    c->rounds = spec->rounds;
    c->eval = spec->eval;
    c->tolerance = spec->tolerance;
    c->public_ = spec->public_;
    c->spec = spec_text(spec);
    if (c->spec == NULL)
        return sc_problem_set(pb, 500, "internal", "out of memory");
    sc_board_name(spec, c);
    int rc = spec->season[0] ? sc_season_admit(srv, spec, &season, pb) : 0;
    if (rc == 0)
        rc = sc_board_admit(srv, c, spec->season[0] ? &season : NULL, pb);
    sc_season_row_free(&season);
    return rc;
}

int sc_challenge_create(sc_server *srv, const char *owner,
                        const sc_challenge_spec *spec,
                        const char *assignment, char id_out[SC_ID_LEN],
                        sc_problem *pb)
{
    sc_challenge_row c = {0};
    uint8_t key[SC_KEY_BYTES], salt[SC_SALT_BYTES], commit[SC_COMMIT_BYTES];
    round_build b = {0};
    if (admit(srv, owner, spec, &c, pb) != 0) {
        free(c.spec);
        return -1;
    }
    int st = sc_store_next_seq(srv->store, &c.seq);
    if (st != SC_STORE_OK) {
        free(c.spec);
        return store_problem(pb, st, "sequence");
    }
    sc_keys_new_id(c.id, "ch_");
    sc_keys_challenge_key(srv->keys, c.seq, key);
    int rc = create_rounds(srv, owner, c.id, c.seq, spec, key, &b, pb);
    if (rc == 0) {
        sc_keys_salt(key, salt);
        sc_commit_challenge(commit, salt, c.id, b.planted,
                            (const uint8_t(*)[SC_COMMIT_BYTES])b.commit,
                            spec->rounds);
        sc_hex(c.commitment, commit, SC_COMMIT_BYTES);
        snprintf(c.assignment, sizeof c.assignment, "%s", assignment);
        sc_games_now(c.created_at);
        st = sc_store_challenge_insert(srv->store, &c, b.rows,
                                       spec->rounds);
        if (st == SC_STORE_BUDGET)
            rc = sc_board_refused(&c, pb);
        else if (st != SC_STORE_OK)
            rc = store_problem(pb, st, "challenge");
    }
    if (rc == 0)
        snprintf(id_out, SC_ID_LEN, "%s", c.id);
    sodium_memzero(key, sizeof key);
    sodium_memzero(salt, sizeof salt);
    free(c.spec);
    round_build_free(&b, spec->rounds);
    return rc;
}

int sc_challenge_load(sc_server *srv, const char *id,
                      const sc_player *caller, bool read_only,
                      sc_challenge_row *out, sc_problem *pb)
{
    int st = sc_store_challenge_get(srv->store, id, out);
    if (st != SC_STORE_OK)
        return store_problem(pb, st, "challenge");
    bool mine = strcmp(out->owner, caller->id) == 0;
    if (!mine && !(read_only && caller->role == SC_ROLE_ADMIN)) {
        sc_challenge_row_free(out);
        return sc_problem_set(pb, 403, "forbidden",
                              "this challenge belongs to another player");
    }
    return 0;
}

/* Members every view shares. */
static json_t *challenge_head(const sc_challenge_row *c)
{
    json_t *j = json_object();
    json_object_set_new(j, "id", json_string(c->id));
    json_object_set_new(j, "kind", json_string(c->kind));
    json_object_set_new(j, "preset", c->preset[0] ? json_string(c->preset)
                                                  : json_null());
    json_object_set_new(j, "status",
                        json_string(c->finished ? "finished" : "open"));
    json_object_set_new(j, "public", json_boolean(c->public_));
    json_object_set_new(j, "round_count", json_integer(c->rounds));
    json_object_set_new(j, "params", sc_games_json_load(c->spec));
    if (c->eval > 0)
        json_object_set_new(j, "eval_points", json_integer(c->eval));
    const sc_kind *k = sc_kind_find(c->kind);
    if (k != NULL && k->tolerance)
        json_object_set_new(j, "tolerance", json_real(c->tolerance));
    json_object_set_new(j, "commitment", json_string(c->commitment));
    json_object_set_new(j, "created_at", json_string(c->created_at));
    json_object_set_new(j, "finished_at", c->finished
                                              ? json_string(c->finished_at)
                                              : json_null());
    if (c->assignment[0])
        json_object_set_new(j, "assignment", json_string(c->assignment));
    if (c->board[0])
        json_object_set_new(j, "board", json_string(c->board));
    if (c->season[0])
        json_object_set_new(j, "season", json_string(c->season));
    return j;
}

static json_t *challenge_summary(const sc_challenge_row *c)
{
    json_t *j = challenge_head(c);
    if (c->finished)
        json_object_set_new(j, "result", sc_games_json_load(c->result));
    return j;
}

/* {"t": [...], "points": [[...]]} of a score or density round. */
static json_t *eval_json(sc_server *srv, const sc_instance_row *row,
                         unsigned n, sc_problem *pb)
{
    const sc_served *s = sc_instance_served(srv, row, pb);
    if (s == NULL)
        return NULL;
    size_t dim = sc_dist_dim(s->dist);
    double *t = malloc(n * sizeof *t);
    double *x = malloc((size_t)n * dim * sizeof *x);
    json_t *j = NULL;
    if (t != NULL && x != NULL &&
        sc_game_eval_points(s->dist, n, t, x) == SC_OK) {
        j = json_object();
        json_object_set_new(j, "t", sc_wire_encode_vector(t, n));
        json_object_set_new(j, "points", sc_wire_encode_matrix(x, n, dim));
    } else {
        sc_problem_set(pb, 500, "internal", "eval points failed");
    }
    free(t);
    free(x);
    sc_instance_served_release(srv, s);
    return j;
}

static json_t *round_json(sc_server *srv, const sc_challenge_row *c,
                          const sc_round_row *r, bool with_eval,
                          sc_problem *pb)
{
    sc_instance_row row;
    if (sc_instance_load(srv, r->instance, NULL, &row, pb) != 0)
        return NULL;
    json_t *j = json_object();
    json_object_set_new(j, "index", json_integer(r->index));
    json_object_set_new(j, "instance", sc_instance_json(&row));
    json_object_set_new(j, "answered", json_boolean(r->answered));
    json_t *extra = sc_games_json_load(r->public_);
    if (json_is_object(extra))
        json_object_update(j, extra);
    json_decref(extra);
    if (c->eval > 0 && with_eval) {
        json_t *ev = eval_json(srv, &row, c->eval, pb);
        if (ev == NULL) {
            json_decref(j);
            j = NULL;
        } else {
            json_object_set_new(j, "eval", ev);
        }
    }
    sc_store_instance_row_free(&row);
    return j;
}

/* The view; the eval points inline only when with_eval (see
 * challenge_reads.c). */
static json_t *challenge_view(sc_server *srv, const sc_challenge_row *c,
                              bool with_eval, sc_problem *pb)
{
    sc_round_row *rounds = NULL;
    size_t n = 0;
    int st = sc_store_challenge_rounds(srv->store, c->id, &rounds, &n);
    if (st != SC_STORE_OK) {
        store_problem(pb, st, "challenge");
        return NULL;
    }
    json_t *j = challenge_head(c), *list = json_array();
    json_object_set_new(j, "rounds", list);
    for (size_t i = 0; i < n && j != NULL; i++) {
        json_t *r = round_json(srv, c, &rounds[i], with_eval, pb);
        if (r == NULL) {
            json_decref(j);
            j = NULL;
        } else {
            json_array_append_new(list, r);
        }
    }
    if (j != NULL && c->finished) {
        json_t *fin = sc_challenge_finish_body(c);
        json_object_update(j, fin);
        json_decref(fin);
    }
    sc_round_rows_free(rounds, n);
    return j;
}

json_t *sc_challenge_finish_body(const sc_challenge_row *c)
{
    json_t *j = json_object();
    json_object_set_new(j, "result", sc_games_json_load(c->result));
    json_object_set_new(j, "reveal", sc_games_json_load(c->reveal));
    json_object_set_new(j, "receipt", sc_games_json_load(c->receipt));
    return j;
}

/* --- handlers ---------------------------------------------------------- */

typedef struct create_job {
    sc_challenge_spec spec;
} create_job;

static void create_job_free(void *arg)
{
    create_job *job = arg;
    sc_challenge_spec_clear(&job->spec);
    free(job);
}

static void reply_view(sc_req *r, int status, const char *id,
                       bool with_eval)
{
    sc_server *srv = sc_req_server(r);
    sc_problem pb = {0};
    sc_challenge_row c;
    if (sc_challenge_load(srv, id, sc_req_player(r), true, &c, &pb) != 0) {
        sc_reply_problem(r, &pb);
        return;
    }
    json_t *j = challenge_view(srv, &c, with_eval, &pb);
    sc_challenge_row_free(&c);
    if (j == NULL)
        sc_reply_problem(r, &pb);
    else
        sc_reply_json(r, status, j);
}

static void create_work(sc_req *r, void *arg)
{
    create_job *job = arg;
    sc_problem pb = {0};
    char id[SC_ID_LEN];
    if (sc_challenge_spec_vet(&job->spec, &pb) != 0 ||
        sc_challenge_create(sc_req_server(r), sc_req_player(r)->id,
                            &job->spec, "", id, &pb) != 0)
        sc_reply_problem(r, &pb);
    else
        reply_view(r, 201, id, false);
}

/* Work of creation, in doubles: every round's instance and eval points;
 * past the inline threshold for any number of rounds. */
static size_t create_cost(const sc_challenge_spec *spec)
{
    size_t per_round = (size_t)spec->inst.params.dim * (spec->eval + 1);
    return (per_round + SC_ROUND_WORK) * spec->rounds;
}

void sc_h_challenge_create(sc_req *r)
{
    sc_problem pb = {0};
    create_job *job = calloc(1, sizeof *job);
    if (job == NULL) {
        sc_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    if (sc_challenge_spec_decode(sc_req_json(r), true, &job->spec, &pb) !=
        0) {
        create_job_free(job);
        sc_reply_problem(r, &pb);
        return;
    }
    if (sc_req_reserve(r, create_cost(&job->spec)) != 0) {
        create_job_free(job);
        return;
    }
    sc_req_run(r, create_work, job, create_job_free);
}

void sc_h_challenge_list(sc_req *r)
{
    sc_challenge_row *rows = NULL;
    size_t n = 0;
    int st = sc_store_challenge_list(sc_req_server(r)->store,
                                     sc_req_player(r)->id, &rows, &n);
    if (st != SC_STORE_OK) {
        sc_reply_error(r, 500, "internal", "the store failed");
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, challenge_summary(&rows[i]));
    sc_challenge_list_free(rows, n);
    json_t *body = json_object();
    json_object_set_new(body, "challenges", list);
    sc_reply_json(r, 200, body);
}

static void get_work(sc_req *r, void *arg)
{
    reply_view(r, 200, arg, sc_req_query(r, "eval") != NULL);
}

/* The view draws every round's eval points again: rounds x eval x dim
 * doubles of work, on the compute pool when that is large. */
static size_t view_cost(const sc_challenge_row *c)
{
    sc_answer_shape s = {.dim = 1};
    sc_problem pb = {0};
    sc_challenge_shape(c, &s, &pb);
    return (size_t)c->rounds * c->eval * s.dim;
}

void sc_h_challenge_get(sc_req *r)
{
    sc_problem pb = {0};
    sc_challenge_row c;
    if (sc_challenge_load(sc_req_server(r), sc_req_param(r, "id"),
                          sc_req_player(r), true, &c, &pb) != 0) {
        sc_reply_problem(r, &pb);
        return;
    }
    const char *eval = sc_req_query(r, "eval");
    size_t cost = eval != NULL ? view_cost(&c) : 0;
    sc_challenge_row_free(&c);
    if (eval != NULL && strcmp(eval, "inline") != 0) {
        sc_problem_field(&pb, 422, "eval", "eval takes one value, inline "
                         "(the eval points in the view)");
        sc_reply_problem(r, &pb);
        return;
    }
    char *id = strdup(sc_req_param(r, "id"));
    if (id == NULL) {
        sc_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    if (sc_req_reserve(r, cost) != 0) {
        free(id);
        return;
    }
    sc_req_run(r, get_work, id, free);
}

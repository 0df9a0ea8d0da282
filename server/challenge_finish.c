/* Finishing a challenge: the outcome of every round, the statistics of
 * MATH.md section 5, the reveal that opens the commitment, the signed
 * receipt, all stored in one transaction.  See challenges.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../core/sc_commit.h"
#include "challenges.h"
#include "keys.h"
#include "kinds.h"
#include "server.h"

static const char *const meter_names[SC_METERS] = {"samples", "score",
                                                   "logpdf"};

/* A JSON number, or null where the statistic is undefined. */
static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* What finish needs of every round, gathered before anything is
 * stored. */
typedef struct finish_ctx {
    sc_server *srv;
    const sc_challenge_row *c;
    const sc_kind *kind;
    sc_answer_shape shape; /* the round template's */
    uint8_t key[SC_KEY_BYTES];
    sc_round_row *rounds;
    size_t n;
    sc_round_outcome *outcomes;
    json_t *reveals;
    uint64_t used[SC_METERS];
} finish_ctx;

/* The reveal of one round: its coin, its instance's secret and salt,
 * what it scored, and for posterior the hidden target. */
static json_t *round_reveal(finish_ctx *f, size_t i,
                            const sc_instance_row *row,
                            const sc_kind_round *kr, sc_problem *pb)
{
    sc_round_row *r = &f->rounds[i];
    bool planted = !f->kind->coin || sc_game_coin(f->key, r->index);
    json_t *inst = sc_instance_reveal_json(f->srv, row, pb);
    if (inst == NULL)
        return NULL;
    json_t *j = json_pack("{s:I, s:b, s:s, s:o, s:b, s:o}", "index",
                          (json_int_t)r->index, "planted", planted,
                          "instance_id", row->id, "instance", inst,
                          "answered", r->answered, "outcome",
                          f->kind->outcome_json(&f->outcomes[i]));
    if (j != NULL && f->kind->round_reveal != NULL)
        f->kind->round_reveal(kr, j);
    if (j == NULL)
        sc_problem_set(pb, 500, "internal", "out of memory");
    return j;
}

static int finish_round(finish_ctx *f, size_t i, sc_problem *pb)
{
    sc_round_row *r = &f->rounds[i];
    sc_instance_row row;
    if (sc_instance_load(f->srv, r->instance, NULL, &row, pb) != 0)
        return -1;
    const sc_served *s = sc_instance_served(f->srv, &row, pb);
    int rc = s != NULL ? 0 : -1;
    sc_kind_round kr = {.srv = f->srv, .key = f->key, .index = r->index,
                        .dist = s != NULL ? s->dist : NULL, .row = &row,
                        .eval = f->c->eval, .tolerance = f->c->tolerance};
    f->outcomes[i] = (sc_round_outcome){r->answered, r->value, r->gauss,
                                        r->points};
    if (rc == 0)
        rc = f->kind->settle(&kr, &f->outcomes[i], pb);
    if (rc == 0 && !r->answered) {
        r->value = f->outcomes[i].value;
        r->gauss = f->outcomes[i].gauss;
        r->points = f->outcomes[i].points;
    }
    json_t *rev = rc == 0 ? round_reveal(f, i, &row, &kr, pb) : NULL;
    if (rev != NULL)
        json_array_append_new(f->reveals, rev);
    else
        rc = -1;
    for (int m = 0; m < SC_METERS; m++)
        f->used[m] += row.used[m];
    if (s != NULL)
        sc_instance_served_release(f->srv, s);
    sc_store_instance_row_free(&row);
    return rc;
}

static json_t *result_json(const sc_kind *k, const sc_game_result *g)
{
    json_t *j = json_pack("{s:s, s:I, s:I}", "kind",
                          sc_game_kind_name(g->kind), "rounds",
                          (json_int_t)g->rounds, "answered",
                          (json_int_t)g->answered);
    if (j != NULL)
        k->result_json(g, j);
    return j;
}

static json_t *used_json(const uint64_t used[SC_METERS])
{
    json_t *j = json_object();
    for (int m = 0; m < SC_METERS; m++)
        json_object_set_new(j, meter_names[m],
                            json_integer((json_int_t)used[m]));
    return j;
}

static char *dumps(const json_t *j)
{
    return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS |
                             JSON_REAL_PRECISION(17));
}

/* The signed statement: who played what and how it ended. */
static json_t *receipt_json(const finish_ctx *f, const json_t *result,
                            const char *finished_at)
{
    const sc_challenge_row *c = f->c;
    sc_player p = {0};
    if (sc_store_player_get(f->srv->store, c->owner, &p) != SC_STORE_OK)
        snprintf(p.name, sizeof p.name, "%s", "");
    json_t *pl = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:o, s:s, s:o, "
        "s:o, s:s, s:s, s:I}",
        "server", "scoracle", "challenge", c->id, "player", c->owner,
        "player_name", p.name, "kind", c->kind, "preset",
        c->preset[0] ? json_string(c->preset) : json_null(), "params",
        sc_games_json_load(c->spec), "rounds", (json_int_t)c->rounds,
        "eval_points", (json_int_t)c->eval, "tolerance",
        num(c->tolerance), "commitment", c->commitment, "result",
        json_deep_copy(result), "used", used_json(f->used), "created_at",
        c->created_at, "finished_at", finished_at, "version",
        (json_int_t)1);
    return pl;
}

/* Result, reveal and receipt into fin (texts malloc'ed). */
static int seal(finish_ctx *f, sc_challenge_row *fin, sc_problem *pb)
{
    sc_game_result g;
    uint8_t salt[SC_SALT_BYTES];
    char salt_hex[2 * SC_SALT_BYTES + 1];
    sc_game_summarize(f->kind->kind, f->outcomes, f->n, f->c->tolerance,
                      f->shape.seed_bits, &g);
    f->kind->rank(&g, fin->rank);
    sc_games_now(fin->finished_at);
    sc_keys_salt(f->key, salt);
    sc_hex(salt_hex, salt, sizeof salt);
    json_t *result = result_json(f->kind, &g);
    json_t *reveal = json_pack("{s:s, s:s, s:O}", "salt", salt_hex,
                               "commitment", f->c->commitment, "rounds",
                               f->reveals);
    json_t *payload = receipt_json(f, result, fin->finished_at);
    char *text = payload != NULL ? dumps(payload) : NULL;
    json_t *receipt =
        text != NULL ? sc_receipt_sign(f->srv, text, strlen(text)) : NULL;
    fin->result = result != NULL ? dumps(result) : NULL;
    fin->reveal = reveal != NULL ? dumps(reveal) : NULL;
    fin->receipt = receipt != NULL ? dumps(receipt) : NULL;
    free(text);
    json_decref(result);
    json_decref(reveal);
    json_decref(payload);
    json_decref(receipt);
    if (fin->result == NULL || fin->reveal == NULL || fin->receipt == NULL)
        return sc_problem_set(pb, 500, "internal", "out of memory");
    return 0;
}

static int finish_rounds(finish_ctx *f, sc_problem *pb)
{
    f->outcomes = calloc(f->n + 1, sizeof *f->outcomes);
    f->reveals = json_array();
    if (f->outcomes == NULL || f->reveals == NULL)
        return sc_problem_set(pb, 500, "internal", "out of memory");
    for (size_t i = 0; i < f->n; i++)
        if (finish_round(f, i, pb) != 0)
            return -1;
    return 0;
}

/* One attempt at finishing c as read; *conflict when the store refused
 * it (finished meanwhile, or a round answered since it was read). */
static int finish_once(sc_server *srv, const sc_challenge_row *c,
                       json_t **out, int *conflict, sc_problem *pb)
{
    finish_ctx f = {.srv = srv, .c = c};
    sc_challenge_row fin = *c;
    fin.result = fin.reveal = fin.receipt = NULL;
    fin.spec = NULL;
    f.kind = sc_kind_find(c->kind);
    sc_keys_challenge_key(srv->keys, c->seq, f.key);
    int rc = sc_challenge_shape(c, &f.shape, pb);
    int st = rc == 0 ? sc_store_challenge_rounds(srv->store, c->id,
                                                 &f.rounds, &f.n)
                     : SC_STORE_OK;
    if (st != SC_STORE_OK)
        rc = sc_problem_set(pb, 500, "internal", "the store failed");
    if (rc == 0)
        rc = finish_rounds(&f, pb);
    if (rc == 0)
        rc = seal(&f, &fin, pb);
    if (rc == 0) {
        st = sc_store_challenge_finish(srv->store, &fin, f.rounds, f.n);
        *conflict = st == SC_STORE_CONFLICT;
        if (st == SC_STORE_CONFLICT)
            rc = sc_problem_set(pb, 409, "conflict",
                                "the challenge is finished already");
        else if (st != SC_STORE_OK)
            rc = sc_problem_set(pb, 500, "internal", "the store failed");
    }
    if (rc == 0)
        *out = sc_challenge_finish_body(&fin);
    sodium_memzero(f.key, sizeof f.key);
    sc_round_rows_free(f.rounds, f.n);
    free(f.outcomes);
    json_decref(f.reveals);
    sc_challenge_row_free(&fin);
    return rc;
}

/* An answer stored while an attempt ran makes the store refuse it; the
 * next attempt reads the rounds again and counts that answer.  Each
 * retry follows a stored answer, so the rounds bound the attempts. */
int sc_challenge_finish(sc_server *srv, const sc_challenge_row *c,
                        json_t **out, sc_problem *pb)
{
    for (unsigned attempt = 0;; attempt++) {
        int conflict = 0;
        int rc = finish_once(srv, c, out, &conflict, pb);
        if (rc == 0 || !conflict || attempt > c->rounds)
            return rc;
        sc_challenge_row now;
        if (sc_store_challenge_get(srv->store, c->id, &now) != SC_STORE_OK)
            return rc;
        bool finished = now.finished;
        sc_challenge_row_free(&now);
        if (finished)
            return rc;
        *pb = (sc_problem){0};
    }
}

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
#include "posterior.h"
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
    sc_game_kind kind;
    uint8_t key[SC_KEY_BYTES];
    sc_round_row *rounds;
    size_t n;
    sc_round_outcome *outcomes;
    json_t *reveals;
    uint64_t used[SC_METERS];
} finish_ctx;

static json_t *outcome_json(sc_game_kind k, const sc_round_outcome *o)
{
    double pts = o->points > 0 ? (double)o->points : 1.0;
    switch (k) {
    case SC_GAME_RECOVER:
        return json_pack("{s:o}", "abs_cos", num(o->value));
    case SC_GAME_SCORE:
        return json_pack("{s:o, s:o}", "error", num(o->value / pts),
                         "error_gauss", num(o->gauss / pts));
    case SC_GAME_DENSITY:
        return json_pack("{s:I, s:I}", "within", (json_int_t)o->value,
                         "points", (json_int_t)o->points);
    case SC_GAME_POSTERIOR:
        return json_pack("{s:b}", "inverted", o->value >= 0.5);
    default:
        return json_pack("{s:b}", "correct", o->value >= 0.5);
    }
}

/* An unanswered round scores as no answer: the Gaussian guess for
 * score, no point within tolerance for density, wrong otherwise. */
static int unanswered_outcome(const finish_ctx *f, const sc_dist *d,
                              sc_round_outcome *o)
{
    *o = (sc_round_outcome){.points = f->c->eval};
    if (f->kind != SC_GAME_SCORE)
        return SC_OK;
    size_t n = f->c->eval, dim = sc_dist_dim(d);
    double *t = malloc(n * sizeof *t);
    double *x = malloc(n * dim * sizeof *x);
    int rc = t != NULL && x != NULL ? sc_game_eval_points(d, n, t, x)
                                    : SC_ENOMEM;
    if (rc == SC_OK)
        rc = sc_game_score_unanswered(d, n, t, x, o);
    free(t);
    free(x);
    return rc;
}

/* The reveal of one round: its coin, its instance's secret and salt,
 * what it scored, and for posterior the hidden target. */
static json_t *round_reveal(finish_ctx *f, size_t i,
                            const sc_instance_row *row, const sc_dist *d,
                            sc_problem *pb)
{
    sc_round_row *r = &f->rounds[i];
    bool planted = f->kind != SC_GAME_DISTINGUISH ||
                   sc_game_coin(f->key, r->index);
    json_t *inst = sc_instance_reveal_json(f->srv, row, pb);
    if (inst == NULL)
        return NULL;
    json_t *j = json_pack("{s:I, s:b, s:s, s:o, s:b, s:o}", "index",
                          (json_int_t)r->index, "planted", planted,
                          "instance_id", row->id, "instance", inst,
                          "answered", r->answered, "outcome",
                          outcome_json(f->kind, &f->outcomes[i]));
    if (j != NULL && f->kind == SC_GAME_POSTERIOR)
        json_object_set_new(j, "target",
                            sc_posterior_reveal(d, f->key, r->index));
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
    if (rc == 0 && r->answered) {
        f->outcomes[i] = (sc_round_outcome){true, r->value, r->gauss,
                                            r->points};
    } else if (rc == 0) {
        if (unanswered_outcome(f, s->dist, &f->outcomes[i]) != SC_OK)
            rc = sc_problem_set(pb, 500, "internal", "scoring failed");
        r->value = f->outcomes[i].value;
        r->gauss = f->outcomes[i].gauss;
        r->points = f->outcomes[i].points;
    }
    json_t *rev = rc == 0 ? round_reveal(f, i, &row, s->dist, pb) : NULL;
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

static json_t *result_json(const sc_game_result *g)
{
    json_t *j = json_pack("{s:s, s:I, s:I}", "kind",
                          sc_game_kind_name(g->kind), "rounds",
                          (json_int_t)g->rounds, "answered",
                          (json_int_t)g->answered);
    switch (g->kind) {
    case SC_GAME_DISTINGUISH:
        json_object_set_new(j, "correct", json_integer(g->correct));
        json_object_set_new(j, "accuracy", num(g->accuracy));
        json_object_set_new(j, "advantage", num(g->advantage));
        json_object_set_new(j, "p_value", num(g->p_value));
        break;
    case SC_GAME_RECOVER:
        json_object_set_new(j, "mean_abs_cos", num(g->mean_cos));
        json_object_set_new(j, "min_abs_cos", num(g->min_cos));
        break;
    case SC_GAME_SCORE:
        json_object_set_new(j, "error", num(g->error));
        json_object_set_new(j, "error_gauss", num(g->error_gauss));
        json_object_set_new(j, "error_ratio", num(g->error_ratio));
        break;
    case SC_GAME_DENSITY:
        json_object_set_new(j, "pac_fraction", num(g->pac_fraction));
        json_object_set_new(j, "tolerance", num(g->tolerance));
        break;
    default:
        json_object_set_new(j, "solved", json_integer(g->correct));
        json_object_set_new(j, "success_rate", num(g->accuracy));
        json_object_set_new(j, "bits_inverted",
                            json_integer(g->bits_inverted));
        break;
    }
    return j;
}

/* Leaderboard order, both keys ascending (finite, so SQLite keeps them):
 * distinguish by p-value then advantage, recover by |cos|, score by
 * error ratio, density by PAC fraction, posterior by bits inverted. */
static void rank_keys(const sc_game_result *g, double rank[2])
{
    double ratio = isfinite(g->error_ratio) ? g->error_ratio : 1e300;
    switch (g->kind) {
    case SC_GAME_DISTINGUISH:
        rank[0] = g->p_value;
        rank[1] = -g->advantage;
        break;
    case SC_GAME_RECOVER:
        rank[0] = -g->mean_cos;
        rank[1] = -g->min_cos;
        break;
    case SC_GAME_SCORE:
        rank[0] = ratio;
        rank[1] = g->error;
        break;
    case SC_GAME_DENSITY:
        rank[0] = -g->pac_fraction;
        rank[1] = 0;
        break;
    default:
        rank[0] = -(double)g->bits_inverted;
        rank[1] = -(double)g->correct;
        break;
    }
}

static unsigned template_seed_bits(const sc_challenge_row *c)
{
    json_t *spec = sc_games_json_load(c->spec);
    json_int_t n = json_integer_value(json_object_get(spec, "seed_bits"));
    json_decref(spec);
    return (unsigned)n;
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
    sc_game_summarize(f->kind, f->outcomes, f->n, f->c->tolerance,
                      template_seed_bits(f->c), &g);
    rank_keys(&g, fin->rank);
    sc_games_now(fin->finished_at);
    sc_keys_salt(f->key, salt);
    sc_hex(salt_hex, salt, sizeof salt);
    json_t *result = result_json(&g);
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
    sc_game_kind_parse(c->kind, &f.kind);
    sc_keys_challenge_key(srv->keys, c->seq, f.key);
    int rc = 0, st = sc_store_challenge_rounds(srv->store, c->id, &f.rounds,
                                               &f.n);
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

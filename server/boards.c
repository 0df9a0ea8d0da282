/* Boards, attempts and standings.  See boards.h. */
/* strptime */
#define _XOPEN_SOURCE 700
#include "boards.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "../core/sc_commit.h"
#include "../core/sc_game.h"
#include "kinds.h"
#include "server.h"

long long sc_board_time(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = s != NULL ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)
                                : NULL;
    if (end == NULL || *end != '\0')
        return -1;
    return (long long)timegm(&tm);
}

static void format_time(long long t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool sc_board_preset_as_is(const sc_challenge_spec *spec)
{
    if (spec->preset == NULL)
        return false;
    unsigned eval = sc_game_kind_has_eval(spec->kind) ? SC_GAME_DEFAULT_EVAL
                                                      : 0;
    double tol = sc_kind_of(spec->kind)->tolerance ? SC_GAME_DEFAULT_TOL
                                                   : 0.0;
    return spec->eval == eval && spec->tolerance == tol;
}

void sc_board_name(const sc_challenge_spec *spec, sc_challenge_row *c)
{
    static const char domain[] = "scoracle-board-v1";
    uint8_t h[16];
    char tail[64], hex[2 * sizeof h + 1];
    if (sc_board_preset_as_is(spec)) {
        snprintf(c->board, sizeof c->board, "%s", spec->preset->name);
        return;
    }
    crypto_generichash_state st;
    int n = snprintf(tail, sizeof tail, "%u %.17g", spec->eval,
                     spec->tolerance);
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, (const uint8_t *)domain, sizeof domain);
    crypto_generichash_update(&st, (const uint8_t *)c->spec,
                              strlen(c->spec) + 1);
    crypto_generichash_update(&st, (const uint8_t *)tail, (size_t)n);
    crypto_generichash_final(&st, h, sizeof h);
    sc_hex(hex, h, sizeof h);
    snprintf(c->board, sizeof c->board, "custom-%s", hex);
}

int sc_board_refused(const sc_challenge_row *c, sc_problem *pb)
{
    sc_problem_set(pb, 429, "too-many-attempts",
                   "no attempt left on board %s: another attempt of yours "
                   "took the last one (%u public %s challenges per player); "
                   "private ones are not limited", c->board,
                   c->attempt_limit, c->kind);
    pb->retry_after = 60;
    return -1;
}

/* The window and limit of c's board: a season's over the season, else
 * SC_BOARD_ATTEMPTS over the last SC_BOARD_WINDOW_S seconds. */
static void rule(sc_challenge_row *c, const sc_season_row *season,
                 long long now, long long *reopens)
{
    if (season != NULL) {
        c->attempt_limit = season->attempt_limit;
        snprintf(c->attempts_since, sizeof c->attempts_since, "%s",
                 season->starts_at);
        *reopens = sc_board_time(season->ends_at);
        return;
    }
    c->attempt_limit = SC_BOARD_ATTEMPTS;
    format_time(now - SC_BOARD_WINDOW_S, c->attempts_since);
    *reopens = -1;
}

int sc_board_admit(sc_server *srv, sc_challenge_row *c,
                   const sc_season_row *season, sc_problem *pb)
{
    long long now = (long long)time(NULL), reopens;
    unsigned count = 0;
    char oldest[32] = "";
    if (!c->public_) {
        c->attempt_limit = 0;
        return 0;
    }
    rule(c, season, now, &reopens);
    int st = sc_store_attempts(srv->store, c->owner, c->kind, c->board,
                               c->season, c->attempts_since, &count,
                               oldest);
    if (st != SC_STORE_OK)
        return sc_problem_set(pb, 500, "internal", "the store failed");
    if (count < c->attempt_limit)
        return 0;
    /* The oldest attempt in the window leaves it first; a season's
     * attempts come back only when it has ended (never). */
    if (reopens < 0)
        reopens = sc_board_time(oldest) + SC_BOARD_WINDOW_S;
    sc_problem_set(pb, 429, "too-many-attempts",
                   "no attempt left on board %s: %u public %s challenges "
                   "per player %s", c->board, c->attempt_limit, c->kind,
                   season != NULL ? "in this season"
                                  : "per board in any day (/v1/info)");
    pb->retry_after = reopens > now ? (unsigned)(reopens - now) : 1;
    return -1;
}

/* --- standings --------------------------------------------------------- */

/* The signed payload of a stored receipt, decoded. */
static json_t *receipt_payload(const json_t *receipt)
{
    const char *b64 = json_string_value(json_object_get(receipt, "payload"));
    if (b64 == NULL)
        return NULL;
    size_t cap = strlen(b64), len = 0;
    unsigned char *bytes = malloc(cap + 1);
    json_t *j = NULL;
    if (bytes != NULL &&
        sodium_base642bin(bytes, cap, b64, cap, NULL, &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) == 0)
        j = json_loadb((const char *)bytes, len, 0, NULL);
    free(bytes);
    return j;
}

/* One player's standing while it is pooled. */
typedef struct standing {
    sc_pool pool;
    double rank[2];
    json_t *row;     /* the row being built */
    json_t *attempts;
    const char *player;
    const char *last; /* finished_at of the last attempt */
} standing;

static void used_add(json_t *sum, const json_t *used)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)used, key, v) {
        json_int_t was = json_integer_value(json_object_get(sum, key));
        json_object_set_new(sum, key,
                            json_integer(was + json_integer_value(v)));
    }
}

/* Adds attempt c (its receipt's facts) to standing s. */
static void add_attempt(const sc_kind *k, standing *s,
                        const sc_challenge_row *c)
{
    json_t *receipt = sc_games_json_load(c->receipt);
    json_t *p = receipt_payload(receipt);
    json_t *result = json_object_get(p, "result");
    sc_kind_pool_add(k, &s->pool, result, c->rounds, c->eval);
    if (s->row == NULL) {
        s->row = json_pack("{s:s, s:O?, s:O?, s:{}}", "player", c->owner,
                           "player_name", json_object_get(p, "player_name"),
                           "params", json_object_get(p, "params"), "used");
        s->attempts = json_array();
        json_object_set(s->row, "challenges", s->attempts);
    }
    used_add(json_object_get(s->row, "used"), json_object_get(p, "used"));
    json_object_set_new(s->row, "challenge", json_string(c->id));
    json_object_set_new(s->row, "finished_at", json_string(c->finished_at));
    json_object_set(s->row, "receipt", receipt);
    json_array_append_new(s->attempts,
                          json_pack("{s:s, s:O}", "challenge", c->id,
                                    "receipt", receipt));
    s->player = c->owner;
    s->last = c->finished_at;
    json_decref(p);
    json_decref(receipt);
}

/* The pooled result and its ranking keys. */
static void close_standing(const sc_kind *k, standing *s)
{
    sc_kind_pooled(k, &s->pool);
    k->rank(&s->pool.g, s->rank);
    json_t *res = json_pack("{s:s, s:I, s:I}", "kind",
                            sc_game_kind_name(k->kind), "rounds",
                            (json_int_t)s->pool.g.rounds, "answered",
                            (json_int_t)s->pool.g.answered);
    k->result_json(&s->pool.g, res);
    json_object_set_new(s->row, "result", res);
    json_object_set_new(s->row, "rounds",
                        json_integer(s->pool.g.rounds));
    json_object_set_new(s->row, "attempts",
                        json_integer((json_int_t)json_array_size(
                            s->attempts)));
    json_decref(s->attempts);
    s->attempts = NULL;
}

static int by_rank(const void *a, const void *b)
{
    const standing *x = a, *y = b;
    for (int i = 0; i < 2; i++)
        if (x->rank[i] != y->rank[i])
            return x->rank[i] < y->rank[i] ? -1 : 1;
    int t = strcmp(x->last, y->last);
    return t != 0 ? t : strcmp(x->player, y->player);
}

/* One standing per owner of rows (sorted by owner); *n standings. */
static standing *pool_rows(const sc_kind *k, const sc_challenge_row *rows,
                           size_t nrows, size_t *n)
{
    standing *s = calloc(nrows + 1, sizeof *s);
    size_t len = 0;
    for (size_t i = 0; s != NULL && i < nrows; i++) {
        if (len == 0 || strcmp(s[len - 1].player, rows[i].owner) != 0) {
            if (len > 0)
                close_standing(k, &s[len - 1]);
            len++;
        }
        add_attempt(k, &s[len - 1], &rows[i]);
    }
    if (len > 0)
        close_standing(k, &s[len - 1]);
    *n = len;
    return s;
}

json_t *sc_board_json(sc_server *srv, const char *kind, const char *board,
                      const char *season, const char *until, size_t limit,
                      sc_problem *pb)
{
    const sc_kind *k = sc_kind_find(kind);
    sc_challenge_row *rows = NULL;
    size_t nrows = 0, n = 0;
    if (k == NULL ||
        sc_store_standing(srv->store, kind, board, season,
                          until[0] ? until : "9999", SC_BOARD_MAX_ATTEMPTS,
                          &rows, &nrows) != SC_STORE_OK) {
        sc_problem_set(pb, 500, "internal", "the store failed");
        return NULL;
    }
    standing *s = pool_rows(k, rows, nrows, &n);
    json_t *list = json_array();
    if (s != NULL)
        qsort(s, n, sizeof *s, by_rank);
    for (size_t i = 0; s != NULL && i < n; i++) {
        if (i < limit) {
            json_object_set_new(s[i].row, "rank",
                                json_integer((json_int_t)i + 1));
            json_array_append(list, s[i].row);
        }
        json_decref(s[i].row);
    }
    free(s);
    sc_challenge_list_free(rows, nrows);
    const sc_game_preset *p = sc_game_preset_find(board);
    return json_pack("{s:s, s:o, s:s, s:o, s:s, s:o}", "kind", kind,
                     "preset", p != NULL ? json_string(p->name)
                                         : json_null(),
                     "board", board, "season",
                     season[0] ? json_string(season) : json_null(), "rule",
                     "pooled", "rows", list);
}

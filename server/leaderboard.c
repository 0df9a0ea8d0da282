/* GET /v1/leaderboard: the standings of every board (boards.h: one
 * pooled standing per player, every attempt with its receipt so anyone
 * can verify it); and the games' members of /v1/info.  See games.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../proto/sc_wire.h"
#include "boards.h"
#include "challenges.h"
#include "games.h"
#include "server.h"

#define BOARD_DEFAULT_LIMIT 50
#define BOARD_MAX_LIMIT 1000
#define BOARD_MAX_BOARDS 1000

static int parse_limit(const char *s, size_t *out)
{
    char *end;
    unsigned long v;
    if (s == NULL) {
        *out = BOARD_DEFAULT_LIMIT;
        return 0;
    }
    if (s[0] < '0' || s[0] > '9')
        return -1;
    v = strtoul(s, &end, 10);
    if (*end != '\0' || v < 1 || v > BOARD_MAX_LIMIT)
        return -1;
    *out = v;
    return 0;
}

/* The boards of one kind (only board when not NULL) into boards. */
static int add_boards(sc_server *srv, const char *kind, const char *board,
                      const char *season, const char *until, size_t limit,
                      json_t *boards, sc_problem *pb)
{
    sc_board_key *keys = NULL;
    size_t n = 0;
    if (sc_store_boards(srv->store, kind, season, board, BOARD_MAX_BOARDS,
                        &keys, &n) != SC_STORE_OK)
        return sc_problem_set(pb, 500, "internal", "the store failed");
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        json_t *b = sc_board_json(srv, kind, keys[i].key, season, until,
                                  limit, pb);
        rc = b != NULL ? json_array_append_new(boards, b) : -1;
    }
    free(keys);
    return rc;
}

/* The season asked for: its id and end into season and until (both ""
 * for the open boards). */
static int season_query(sc_server *srv, const char *id, char *season,
                        char *until, sc_problem *pb)
{
    sc_season_row s;
    season[0] = until[0] = '\0';
    if (id == NULL)
        return 0;
    int st = sc_store_season_get(srv->store, id, &s);
    if (st == SC_STORE_NOTFOUND)
        return sc_problem_set(pb, 404, "not-found", "no such season");
    if (st != SC_STORE_OK)
        return sc_problem_set(pb, 500, "internal", "the store failed");
    snprintf(season, SC_ID_LEN, "%s", s.id);
    snprintf(until, 32, "%s", s.ends_at);
    sc_season_row_free(&s);
    return 0;
}

void sc_h_leaderboard(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    const char *kind = sc_req_query(r, "kind");
    const char *preset = sc_req_query(r, "preset");
    const char *board = sc_req_query(r, "board");
    char season[SC_ID_LEN], until[32];
    sc_problem pb = {0};
    size_t limit;
    if (kind != NULL && sc_kind_find(kind) == NULL) {
        sc_reply_error(r, 400, "malformed-request", "kind must be %s",
                       sc_kind_names());
        return;
    }
    if (parse_limit(sc_req_query(r, "limit"), &limit) != 0) {
        sc_reply_error(r, 400, "malformed-request",
                       "limit must be an integer in [1, %d]",
                       BOARD_MAX_LIMIT);
        return;
    }
    if (preset != NULL && board != NULL && strcmp(preset, board) != 0) {
        sc_reply_error(r, 400, "malformed-request",
                       "give preset or board, not two different ones");
        return;
    }
    if (season_query(srv, sc_req_query(r, "season"), season, until, &pb) !=
        0) {
        sc_reply_problem(r, &pb);
        return;
    }
    json_t *boards = json_array();
    for (unsigned i = 0; i < SC_GAME_KINDS; i++) {
        const char *name = sc_game_kind_name((sc_game_kind)i);
        if (kind != NULL && strcmp(kind, name) != 0)
            continue;
        if (add_boards(srv, name, board != NULL ? board : preset, season,
                       until, limit, boards, &pb) != 0) {
            json_decref(boards);
            sc_reply_problem(r, &pb);
            return;
        }
    }
    json_t *body = json_pack("{s:o, s:o, s:o, s:o}", "kind",
                             kind != NULL ? json_string(kind) : json_null(),
                             "preset",
                             preset != NULL ? json_string(preset)
                                            : json_null(),
                             "season",
                             season[0] ? json_string(season) : json_null(),
                             "boards", boards);
    sc_reply_json(r, 200, body);
}

/* --- /v1/info ---------------------------------------------------------- */

/* A preset as /v1/info shows it: name, family, parameters with defaults,
 * budget per round, rounds, and the kinds it can be played as.  NULL for
 * a family this build does not serve. */
static json_t *preset_json(const sc_game_preset *p)
{
    const sc_family *fam = sc_family_find(p->family);
    sc_params q;
    if (fam == NULL || sc_params_copy(&q, &p->params) != SC_OK)
        return NULL;
    json_t *j = NULL;
    if (fam->validate(&q, NULL) == SC_OK) {
        json_t *kinds = json_array();
        for (unsigned k = 0; k < SC_GAME_KINDS; k++)
            if (sc_challenge_preset_fits(p, (sc_game_kind)k))
                json_array_append_new(
                    kinds, json_string(sc_game_kind_name((sc_game_kind)k)));
        j = json_pack("{s:s, s:s, s:s, s:o, s:{s:I, s:I, s:I}, s:I, s:o}",
                      "name", p->name, "family", p->family, "doc", p->doc,
                      "params", sc_wire_encode_params(fam, &q), "budget",
                      "samples", (json_int_t)p->budget[0], "score",
                      (json_int_t)p->budget[1], "logpdf",
                      (json_int_t)p->budget[2], "rounds",
                      (json_int_t)p->rounds, "kinds", kinds);
    }
    sc_params_clear(&q);
    return j;
}

/* The attempt limit of every open board (boards.h). */
static json_t *attempts_json(void)
{
    return json_pack("{s:I, s:I, s:s}", "limit",
                     (json_int_t)SC_BOARD_ATTEMPTS, "window_s",
                     (json_int_t)SC_BOARD_WINDOW_S, "rule", "pooled");
}

void sc_games_info(sc_server *srv, json_t *info)
{
    char key[64];
    json_t *presets = json_array();
    sc_receipt_key_base64(srv, key);
    json_object_set_new(info, "receipt_key", json_string(key));
    for (size_t i = 0; i < sc_game_npresets; i++) {
        json_t *p = preset_json(&sc_game_presets[i]);
        if (p != NULL)
            json_object_set_new(p, "attempts", attempts_json());
        if (p != NULL)
            json_array_append_new(presets, p);
    }
    json_object_set_new(info, "presets", presets);
    /* The games' own limits, from the constants that enforce them. */
    json_t *limits = json_object_get(info, "limits");
    if (json_is_object(limits)) {
        json_object_set_new(limits, "max_rounds",
                            json_integer(SC_GAME_MAX_ROUNDS));
        json_object_set_new(limits, "max_eval",
                            json_integer(SC_GAME_MAX_EVAL));
        json_object_set_new(limits, "board_attempts", attempts_json());
    }
}

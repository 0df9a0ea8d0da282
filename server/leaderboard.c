/* GET /v1/leaderboard: finished public challenges, ranked per kind and
 * preset, every row with its receipt so anyone can verify it; and the
 * games' members of /v1/info.  See games.h. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../proto/sc_wire.h"
#include "challenges.h"
#include "games.h"
#include "server.h"

#define BOARD_DEFAULT_LIMIT 50
#define BOARD_MAX_LIMIT 1000

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

/* One row: the signed facts, and the receipt that signs them. */
static json_t *board_row(const sc_challenge_row *c, size_t rank)
{
    json_t *receipt = sc_games_json_load(c->receipt);
    json_t *p = receipt_payload(receipt);
    json_t *row = json_object();
    static const char *const copied[] = {"player", "player_name", "params",
                                         "rounds", "result", "used",
                                         "finished_at"};
    json_object_set_new(row, "rank", json_integer((json_int_t)rank));
    json_object_set_new(row, "challenge", json_string(c->id));
    for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++) {
        json_t *v = json_object_get(p, copied[i]);
        json_object_set(row, copied[i], v != NULL ? v : json_null());
    }
    json_object_set_new(row, "receipt", receipt);
    json_decref(p);
    return row;
}

/* Appends rows to the board of their preset, creating boards in rank
 * order of their best row. */
static void add_rows(json_t *boards, const char *kind,
                     const sc_challenge_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_t *board = NULL, *b;
        size_t k;
        json_array_foreach(boards, k, b) {
            const char *p = json_string_value(json_object_get(b, "preset"));
            if (strcmp(json_string_value(json_object_get(b, "kind")), kind) ==
                    0 &&
                strcmp(p != NULL ? p : "", rows[i].preset) == 0)
                board = b;
        }
        if (board == NULL) {
            board = json_pack("{s:s, s:o, s:[]}", "kind", kind, "preset",
                              rows[i].preset[0] ? json_string(rows[i].preset)
                                                : json_null(),
                              "rows");
            json_array_append_new(boards, board);
        }
        json_t *list = json_object_get(board, "rows");
        json_array_append_new(list,
                              board_row(&rows[i], json_array_size(list) + 1));
    }
}

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

void sc_h_leaderboard(sc_req *r)
{
    const char *kind = sc_req_query(r, "kind");
    const char *preset = sc_req_query(r, "preset");
    sc_game_kind k;
    size_t limit;
    if (kind != NULL && sc_game_kind_parse(kind, &k) != SC_OK) {
        sc_reply_error(r, 400, "malformed-request", "kind must be "
                       "distinguish, recover, score, density or posterior");
        return;
    }
    if (parse_limit(sc_req_query(r, "limit"), &limit) != 0) {
        sc_reply_error(r, 400, "malformed-request",
                       "limit must be an integer in [1, %d]",
                       BOARD_MAX_LIMIT);
        return;
    }
    json_t *boards = json_array();
    for (unsigned i = 0; i < SC_GAME_KINDS; i++) {
        const char *name = sc_game_kind_name((sc_game_kind)i);
        if (kind != NULL && strcmp(kind, name) != 0)
            continue;
        sc_challenge_row *rows = NULL;
        size_t n = 0;
        if (sc_store_leaderboard(sc_req_server(r)->store, name, preset,
                                 limit, &rows, &n) != SC_STORE_OK) {
            json_decref(boards);
            sc_reply_error(r, 500, "internal", "the store failed");
            return;
        }
        add_rows(boards, name, rows, n);
        sc_challenge_list_free(rows, n);
    }
    json_t *body = json_pack("{s:o, s:o, s:o}", "kind",
                             kind != NULL ? json_string(kind) : json_null(),
                             "preset",
                             preset != NULL ? json_string(preset)
                                            : json_null(),
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

void sc_games_info(sc_server *srv, json_t *info)
{
    char key[64];
    json_t *presets = json_array();
    sc_receipt_key_base64(srv, key);
    json_object_set_new(info, "receipt_key", json_string(key));
    for (size_t i = 0; i < sc_game_npresets; i++) {
        json_t *p = preset_json(&sc_game_presets[i]);
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
    }
}

/* Seasons: creation with the signed manifest, admission of season
 * games, and the season views.  See seasons.h. */
#include "seasons.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../proto/sc_wire.h"
#include "boards.h"
#include "keys.h"
#include "server.h"

#define SEASON_MAX_PRESETS 32u
#define SEASON_MAX_ATTEMPTS 1000u
#define SEASON_BOARD_ROWS 50u

static char *dumps(const json_t *j)
{
    return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS |
                             JSON_REAL_PRECISION(17));
}

/* What a season fixes of a preset: {"name", "family", "params",
 * "budget", "rounds"}; NULL for a family this build does not serve. */
static json_t *preset_fixed(const sc_game_preset *p)
{
    const sc_family *fam = sc_family_find(p->family);
    sc_params q;
    json_t *j = NULL;
    if (fam == NULL || sc_params_copy(&q, &p->params) != SC_OK)
        return NULL;
    if (fam->validate(&q, NULL) == SC_OK)
        j = json_pack("{s:s, s:s, s:o, s:{s:I, s:I, s:I}, s:I}", "name",
                      p->name, "family", p->family, "params",
                      sc_wire_encode_params(fam, &q), "budget", "samples",
                      (json_int_t)p->budget[0], "score",
                      (json_int_t)p->budget[1], "logpdf",
                      (json_int_t)p->budget[2], "rounds",
                      (json_int_t)p->rounds);
    sc_params_clear(&q);
    return j;
}

static const char *status_of(const sc_season_row *s, long long now)
{
    if (now < sc_board_time(s->starts_at))
        return "upcoming";
    return now < sc_board_time(s->ends_at) ? "running" : "ended";
}

int sc_season_admit(sc_server *srv, const sc_challenge_spec *spec,
                    sc_season_row *season, sc_problem *pb)
{
    memset(season, 0, sizeof *season);
    int st = sc_store_season_get(srv->store, spec->season, season);
    if (st == SC_STORE_NOTFOUND)
        return sc_problem_field(pb, 422, "season", "no such season");
    if (st != SC_STORE_OK)
        return sc_problem_set(pb, 500, "internal", "the store failed");
    const char *status = status_of(season, (long long)time(NULL));
    if (strcmp(status, "running") != 0)
        return sc_problem_set(pb, 409, "conflict", "season %s is %s",
                              season->name, status);
    if (!sc_board_preset_as_is(spec))
        return sc_problem_set(pb, 422, "invalid-parameters",
                              "a season game plays its preset as the "
                              "season fixed it: leave eval and tolerance "
                              "out");
    json_t *fixed = sc_games_json_load(season->presets), *v;
    json_t *now = preset_fixed(spec->preset);
    size_t i;
    bool in = false, same = false;
    json_array_foreach(fixed, i, v) {
        const char *name = json_string_value(json_object_get(v, "name"));
        if (name != NULL && strcmp(name, spec->preset->name) == 0) {
            in = true;
            same = now != NULL && json_equal(v, now);
        }
    }
    json_decref(fixed);
    json_decref(now);
    if (!in)
        return sc_problem_field(pb, 422, "preset",
                                "preset %s is not one of season %s's",
                                spec->preset->name, season->name);
    if (!same)
        return sc_problem_set(pb, 409, "conflict",
                              "preset %s changed since season %s fixed "
                              "it", spec->preset->name, season->name);
    return 0;
}

/* --- creation ---------------------------------------------------------- */

typedef struct season_wire {
    const char *name, *starts_at, *ends_at;
    json_t *presets;
    uint32_t attempts;
} season_wire;

static const sc_wire_field season_fields[] = {
    {"name", SC_WT_STRING, offsetof(season_wire, name), SC_PF_REQUIRED, 0,
     0, SIZE_MAX},
    {"presets", SC_WT_ARRAY, offsetof(season_wire, presets), SC_PF_REQUIRED,
     0, 0, SIZE_MAX},
    {"attempts", SC_WT_UINT, offsetof(season_wire, attempts),
     SC_PF_REQUIRED, 1, SEASON_MAX_ATTEMPTS, SIZE_MAX},
    {"starts_at", SC_WT_STRING, offsetof(season_wire, starts_at), 0, 0, 0,
     SIZE_MAX},
    {"ends_at", SC_WT_STRING, offsetof(season_wire, ends_at),
     SC_PF_REQUIRED, 0, 0, SIZE_MAX},
};

/* The fixed presets of a request's names: each known, once. */
static json_t *fixed_presets(const json_t *names, sc_problem *pb)
{
    json_t *out = json_array(), *v;
    size_t i, n = json_array_size(names);
    if (n < 1 || n > SEASON_MAX_PRESETS) {
        json_decref(out);
        sc_problem_field(pb, 422, "presets", "1 to %u preset names",
                         SEASON_MAX_PRESETS);
        return NULL;
    }
    json_array_foreach(names, i, v) {
        const char *name = json_string_value(v);
        const sc_game_preset *p = name != NULL ? sc_game_preset_find(name)
                                               : NULL;
        json_t *f = p != NULL ? preset_fixed(p) : NULL;
        for (size_t k = 0; f != NULL && k < i; k++)
            if (json_equal(json_array_get(names, k), v)) {
                json_decref(f);
                f = NULL;
            }
        if (f == NULL) {
            json_decref(out);
            sc_problem_field(pb, 422, "presets",
                             "presets are distinct names of /v1/info's "
                             "presets");
            return NULL;
        }
        json_array_append_new(out, f);
    }
    return out;
}

static int season_times(const season_wire *w, sc_season_row *s,
                        sc_problem *pb)
{
    long long now = (long long)time(NULL);
    if (w->starts_at != NULL)
        snprintf(s->starts_at, sizeof s->starts_at, "%s", w->starts_at);
    else
        sc_games_now(s->starts_at);
    snprintf(s->ends_at, sizeof s->ends_at, "%s", w->ends_at);
    long long start = sc_board_time(s->starts_at);
    long long end = sc_board_time(s->ends_at);
    if (start < 0 || strlen(s->starts_at) != 20)
        return sc_problem_field(pb, 422, "starts_at",
                                "starts_at is YYYY-MM-DDTHH:MM:SSZ");
    if (end < 0 || strlen(s->ends_at) != 20)
        return sc_problem_field(pb, 422, "ends_at",
                                "ends_at is YYYY-MM-DDTHH:MM:SSZ");
    if (end <= now || end <= start)
        return sc_problem_field(pb, 422, "ends_at",
                                "ends_at must be after now and the start");
    return 0;
}

/* The signed statement of what the season fixes. */
static int sign_manifest(sc_server *srv, sc_season_row *s,
                         const json_t *presets, sc_problem *pb)
{
    json_t *payload = json_pack(
        "{s:s, s:I, s:s, s:s, s:O, s:I, s:s, s:s, s:s, s:s}", "server",
        "scoracle", "version", (json_int_t)1, "season", s->id, "name",
        s->name, "presets", presets, "attempts_per_board",
        (json_int_t)s->attempt_limit, "rule", "pooled", "starts_at",
        s->starts_at, "ends_at", s->ends_at, "created_at", s->created_at);
    char *text = payload != NULL ? dumps(payload) : NULL;
    json_t *m = text != NULL ? sc_receipt_sign(srv, text, strlen(text))
                             : NULL;
    s->manifest = m != NULL ? dumps(m) : NULL;
    free(text);
    json_decref(payload);
    json_decref(m);
    if (s->manifest == NULL)
        return sc_problem_set(pb, 500, "internal", "out of memory");
    return 0;
}

static json_t *season_json(const sc_season_row *s)
{
    return json_pack("{s:s, s:s, s:o, s:I, s:s, s:s, s:s, s:s, s:s, s:o}",
                     "id", s->id, "name", s->name, "presets",
                     sc_games_json_load(s->presets), "attempts_per_board",
                     (json_int_t)s->attempt_limit, "rule", "pooled",
                     "status", status_of(s, (long long)time(NULL)),
                     "starts_at", s->starts_at, "ends_at", s->ends_at,
                     "created_at", s->created_at, "manifest",
                     sc_games_json_load(s->manifest));
}

static int build_season(sc_server *srv, const json_t *body,
                        sc_season_row *s, sc_problem *pb)
{
    season_wire w = {0};
    if (sc_wire_decode(body, season_fields,
                       sizeof season_fields / sizeof season_fields[0], &w,
                       pb) != 0)
        return -1;
    size_t len = strlen(w.name);
    if (len < 1 || len >= sizeof s->name)
        return sc_problem_field(pb, 422, "name", "name must be 1 to %zu "
                                "bytes", sizeof s->name - 1);
    json_t *presets = fixed_presets(w.presets, pb);
    if (presets == NULL || season_times(&w, s, pb) != 0) {
        json_decref(presets);
        return -1;
    }
    sc_keys_new_id(s->id, "se_");
    snprintf(s->name, sizeof s->name, "%s", w.name);
    s->attempt_limit = w.attempts;
    sc_games_now(s->created_at);
    s->presets = dumps(presets);
    int rc = s->presets != NULL ? sign_manifest(srv, s, presets, pb)
                                : sc_problem_set(pb, 500, "internal",
                                                 "out of memory");
    json_decref(presets);
    return rc;
}

void sc_h_season_create(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    sc_problem pb = {0};
    sc_season_row s = {0};
    if (build_season(srv, sc_req_json(r), &s, &pb) != 0) {
        sc_season_row_free(&s);
        sc_reply_problem(r, &pb);
        return;
    }
    int st = sc_store_season_insert(srv->store, &s);
    if (st == SC_STORE_CONFLICT)
        sc_reply_error(r, 409, "conflict", "the season name %s is taken",
                       s.name);
    else if (st != SC_STORE_OK)
        sc_reply_error(r, 500, "internal", "the store failed");
    else
        sc_reply_json(r, 201, season_json(&s));
    sc_season_row_free(&s);
}

void sc_h_season_list(sc_req *r)
{
    sc_season_row *rows = NULL;
    size_t n = 0;
    if (sc_store_season_list(sc_req_server(r)->store, &rows, &n) !=
        SC_STORE_OK) {
        sc_reply_error(r, 500, "internal", "the store failed");
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, season_json(&rows[i]));
    sc_season_list_free(rows, n);
    sc_reply_json(r, 200, json_pack("{s:o}", "seasons", list));
}

/* A board per preset and kind it is offered as, frozen at the end. */
static json_t *season_boards(sc_server *srv, const sc_season_row *s,
                             sc_problem *pb)
{
    json_t *fixed = sc_games_json_load(s->presets), *v;
    json_t *boards = json_array();
    size_t i;
    json_array_foreach(fixed, i, v) {
        const char *name = json_string_value(json_object_get(v, "name"));
        const sc_game_preset *p = sc_game_preset_find(name);
        for (unsigned k = 0; p != NULL && k < SC_GAME_KINDS; k++) {
            if (!sc_challenge_preset_fits(p, (sc_game_kind)k))
                continue;
            json_t *b = sc_board_json(srv, sc_game_kind_name(k), p->name,
                                      s->id, s->ends_at, SEASON_BOARD_ROWS,
                                      pb);
            if (b == NULL) {
                json_decref(boards);
                json_decref(fixed);
                return NULL;
            }
            json_array_append_new(boards, b);
        }
    }
    json_decref(fixed);
    return boards;
}

void sc_h_season_get(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    sc_problem pb = {0};
    sc_season_row s;
    int st = sc_store_season_get(srv->store, sc_req_param(r, "id"), &s);
    if (st != SC_STORE_OK) {
        if (st == SC_STORE_NOTFOUND)
            sc_reply_error(r, 404, "not-found", "no such season");
        else
            sc_reply_error(r, 500, "internal", "the store failed");
        return;
    }
    json_t *boards = season_boards(srv, &s, &pb);
    json_t *j = boards != NULL ? season_json(&s) : NULL;
    sc_season_row_free(&s);
    if (j == NULL) {
        json_decref(boards);
        sc_reply_problem(r, &pb);
        return;
    }
    json_object_set_new(j, "boards", boards);
    sc_reply_json(r, 200, j);
}

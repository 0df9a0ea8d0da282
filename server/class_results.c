/* GET /v1/classes/{id}/results: every student's challenge of every
 * assignment, as JSON or (Accept: text/csv) as CSV with one line per
 * challenge and the statistics of every kind as columns.  See games.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "challenges.h"
#include "games.h"
#include "server.h"

/* CSV columns after the fixed ones: result members, empty where a kind
 * has none. */
static const char *const stat_cols[] = {
    "rounds",       "answered",    "correct",      "accuracy",
    "advantage",    "p_value",     "mean_abs_cos", "min_abs_cos",
    "error",        "error_gauss", "error_ratio",  "pac_fraction",
    "tolerance",    "solved",      "success_rate", "bits_inverted",
};
#define NSTAT (sizeof stat_cols / sizeof stat_cols[0])

/* The result of a finished challenge; of an open one, its progress so
 * far: rounds and answered (the CSV's columns of the same names). */
static json_t *result_of(const sc_class_result *x)
{
    const sc_challenge_row *c = &x->challenge;
    if (c->finished)
        return sc_games_json_load(c->result);
    return json_pack("{s:i, s:i}", "rounds", (int)c->rounds, "answered",
                     (int)x->answered);
}

static json_t *result_row(const sc_class_result *x)
{
    const sc_challenge_row *c = &x->challenge;
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o}",
                     "assignment", x->assignment, "player", x->player,
                     "player_name", x->player_name, "challenge", c->id,
                     "kind", c->kind, "preset",
                     c->preset[0] ? json_string(c->preset) : json_null(),
                     "status", c->finished ? "finished" : "open",
                     "finished_at",
                     c->finished ? json_string(c->finished_at) : json_null(),
                     "result",
                     c->finished ? sc_games_json_load(c->result)
                                 : json_null());
    json_object_set_new(o, "progress",
                        json_pack("{s:i, s:i}", "rounds", (int)c->rounds,
                                  "answered", (int)x->answered));
    return o;
}

/* Appends s to the growing buffer (NUL kept at the end). */
typedef struct buf {
    char *p;
    size_t len, cap;
    bool failed;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (p == NULL) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A text field, quoted (RFC 4180); a leading =, +, - or @ gets a quote
 * mark in front so that spreadsheets never read it as a formula. */
static void put_text(buf *b, const char *s)
{
    put(b, "\"", 1);
    if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')
        put(b, "'", 1);
    for (const char *q = s; *q; q++) {
        if (*q == '"')
            put(b, "\"\"", 2);
        else
            put(b, q, 1);
    }
    put(b, "\"", 1);
}

static void put_number(buf *b, const json_t *v)
{
    char num[32];
    if (json_is_integer(v))
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(num, sizeof num, "%.17g", json_real_value(v));
    else
        num[0] = '\0';
    puts_(b, num);
}

static void csv_line(buf *b, const sc_class_result *x)
{
    const sc_challenge_row *c = &x->challenge;
    const char *fixed[] = {x->assignment, x->player,  x->player_name,
                           c->id,         c->kind,    c->preset,
                           c->finished ? "finished" : "open",
                           c->finished ? c->finished_at : ""};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        if (i > 0)
            puts_(b, ",");
        put_text(b, fixed[i]);
    }
    json_t *res = result_of(x);
    for (size_t i = 0; i < NSTAT; i++) {
        puts_(b, ",");
        put_number(b, json_object_get(res, stat_cols[i]));
    }
    json_decref(res);
    puts_(b, "\r\n");
}

static void reply_csv(sc_req *r, const sc_class_result *x, size_t n)
{
    buf b = {0};
    puts_(&b, "assignment,player,player_name,challenge,kind,preset,status,"
              "finished_at");
    for (size_t i = 0; i < NSTAT; i++) {
        puts_(&b, ",");
        puts_(&b, stat_cols[i]);
    }
    puts_(&b, "\r\n");
    for (size_t i = 0; i < n; i++)
        csv_line(&b, &x[i]);
    if (b.failed) {
        free(b.p);
        sc_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    sc_reply_take(r, 200, "text/csv; charset=utf-8", b.p, b.len);
}

void sc_h_class_results(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    const sc_player *me = sc_req_player(r);
    sc_class_row c;
    sc_class_result *x = NULL;
    size_t n = 0;
    int st = sc_store_class_get(srv->store, sc_req_param(r, "id"), &c);
    if (st == SC_STORE_NOTFOUND) {
        sc_reply_error(r, 404, "not-found", "no such class");
        return;
    }
    if (st == SC_STORE_OK && me->role != SC_ROLE_ADMIN &&
        strcmp(me->id, c.owner) != 0) {
        sc_reply_error(r, 403, "forbidden",
                       "this class has another instructor");
        return;
    }
    if (st == SC_STORE_OK)
        st = sc_store_class_results(srv->store, c.id, &x, &n);
    if (st != SC_STORE_OK) {
        sc_reply_error(r, 500, "internal", "the store failed");
        return;
    }
    if (sc_req_accepts(r, "text/csv")) {
        reply_csv(r, x, n);
    } else {
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, result_row(&x[i]));
        sc_reply_json(r, 200,
                      json_pack("{s:s, s:s, s:o}", "class", c.id, "name",
                                c.name, "results", list));
    }
    sc_class_results_free(x, n);
}

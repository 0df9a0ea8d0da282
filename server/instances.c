/*
 * Instances: decoding what a client asks for, creating the row with its
 * commitment, and rendering it.  The cache of what rows serve is in
 * cache.c.  See instances.h.
 */
#include "instances.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "../core/sc_commit.h"
#include "../core/sc_game.h"
#include "../proto/sc_wire.h"
#include "keys.h"
#include "server.h"
#include "usage.h"

static const char *const meter_names[SC_METERS] = {"samples", "score",
                                                   "logpdf"};

typedef struct budget_fields {
    uint32_t v[SC_METERS];
    bool given[SC_METERS];
} budget_fields;

#define BUDGET_FIELD(i, name)                                               \
    {name, SC_WT_UINT, offsetof(budget_fields, v) + (i) * sizeof(uint32_t), \
     0, 0, UINT32_MAX, offsetof(budget_fields, given) + (i) * sizeof(bool)}

static const sc_wire_field budget_spec[] = {
    BUDGET_FIELD(SC_METER_SAMPLES, "samples"),
    BUDGET_FIELD(SC_METER_SCORE, "score"),
    BUDGET_FIELD(SC_METER_LOGPDF, "logpdf"),
};

static const sc_wire_field oracle_spec[] = {
    {"t_min", SC_WT_DOUBLE, offsetof(sc_oracle_cfg, t_min), 0, 0, 1e6,
     SIZE_MAX},
    {"noise", SC_WT_DOUBLE, offsetof(sc_oracle_cfg, noise), 0, 0, 1e6,
     SIZE_MAX},
};

static int decode_budget(const json_t *v, uint64_t budget[SC_METERS],
                         sc_problem *pb)
{
    budget_fields b = {0};
    for (int i = 0; i < SC_METERS; i++)
        budget[i] = SC_UNLIMITED;
    if (v == NULL || json_is_null(v))
        return 0;
    if (sc_wire_decode(v, budget_spec, SC_METERS, &b, pb) != 0)
        return -1;
    for (int i = 0; i < SC_METERS; i++)
        if (b.given[i])
            budget[i] = b.v[i];
    return 0;
}

static int decode_oracle(const json_t *v, sc_oracle_cfg *o, sc_problem *pb)
{
    o->t_min = 0;
    o->noise = 0;
    if (v == NULL || json_is_null(v))
        return 0;
    return sc_wire_decode(v, oracle_spec, 2, o, pb);
}

static const sc_family *decode_family(const json_t *obj, const char *given,
                                      sc_problem *pb)
{
    const json_t *f = json_object_get(obj, "family");
    const char *name = given;
    if (f != NULL && !json_is_string(f)) {
        sc_problem_field(pb, 422, "family", "family must be a string");
        return NULL;
    }
    if (f != NULL && given != NULL &&
        strcmp(json_string_value(f), given) != 0) {
        sc_problem_field(pb, 422, "family", "family must be %s here", given);
        return NULL;
    }
    if (name == NULL && f == NULL) {
        sc_problem_field(pb, 422, "family", "family is required");
        return NULL;
    }
    if (name == NULL)
        name = json_string_value(f);
    const sc_family *fam = sc_family_find(name);
    if (fam == NULL) {
        char names[128] = "";
        size_t used = 0;
        for (size_t i = 0; sc_families[i] != NULL && used < sizeof names; i++)
            used += (size_t)snprintf(names + used, sizeof names - used,
                                     "%s%s", i ? ", " : "",
                                     sc_families[i]->name);
        sc_problem_field(pb, 422, "family", "unknown family; this server "
                         "serves %s", names);
    }
    return fam;
}

int sc_instance_spec_decode(const json_t *obj, const char *family_given,
                            sc_instance_spec *spec, sc_problem *pb)
{
    static const char *const skip[] = {"family", "budget", "oracle", NULL};
    memset(spec, 0, sizeof *spec);
    if (!json_is_object(obj))
        return sc_problem_set(pb, 422, "invalid-parameters",
                              "the instance must be a JSON object");
    spec->fam = decode_family(obj, family_given, pb);
    if (spec->fam == NULL)
        return -1;
    if (sc_wire_decode_params(spec->fam, obj, skip, &spec->params, pb) != 0)
        return -1;
    if (decode_budget(json_object_get(obj, "budget"), spec->budget, pb) != 0)
        return -1;
    return decode_oracle(json_object_get(obj, "oracle"), &spec->oracle, pb);
}

void sc_instance_spec_clear(sc_instance_spec *spec)
{
    sc_params_clear(&spec->params);
}

static json_t *budget_json(const uint64_t v[SC_METERS])
{
    json_t *o = json_object();
    for (int i = 0; o != NULL && i < SC_METERS; i++)
        json_object_set_new(o, meter_names[i],
                            v[i] == SC_UNLIMITED
                                ? json_null()
                                : json_integer((json_int_t)v[i]));
    return o;
}

static json_t *oracle_json(const sc_oracle_cfg *o)
{
    return json_pack("{s:f, s:f}", "t_min", o->t_min, "noise", o->noise);
}

json_t *sc_instance_spec_json(const sc_instance_spec *spec)
{
    json_t *o = sc_wire_encode_params(spec->fam, &spec->params);
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "family", json_string(spec->fam->name));
    json_object_set_new(o, "budget", budget_json(spec->budget));
    json_object_set_new(o, "oracle", oracle_json(&spec->oracle));
    return o;
}

/* A JSON value rendered as stored text, or NULL. */
static char *dump_text(json_t *v)
{
    size_t len;
    char *s = v != NULL ? sc_wire_dump(v, &len) : NULL;
    json_decref(v);
    return s;
}

static void now_rfc3339(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int store_problem(int rc, sc_problem *pb)
{
    if (rc == SC_STORE_NOTFOUND)
        return sc_problem_set(pb, 404, "not-found", "no such instance");
    return sc_problem_set(pb, 500, "internal", "the store failed");
}

bool sc_instance_serves_null(sc_server *srv, const sc_instance_row *row)
{
    uint8_t key[SC_KEY_BYTES];
    if (row->coin_seq <= 0 || row->round < 0)
        return false;
    sc_keys_challenge_key(srv->keys, row->coin_seq, key);
    bool planted = sc_game_coin(key, (uint32_t)row->round);
    sodium_memzero(key, sizeof key);
    return !planted;
}

/* The commitment of what d serves, under the instance's salt. */
static int commit_dist(const sc_dist *d, const uint8_t key[SC_KEY_BYTES],
                       const char *id, char hex[65])
{
    size_t len = sc_dist_secret_bytes(d, NULL, 0);
    uint8_t *bytes = malloc(len > 0 ? len : 1);
    if (bytes == NULL)
        return -1;
    sc_dist_secret_bytes(d, bytes, len);
    uint8_t salt[SC_SALT_BYTES], c[SC_COMMIT_BYTES];
    sc_keys_salt(key, salt);
    sc_commit_instance(c, salt, id, bytes, len);
    sc_hex(hex, c, sizeof c);
    sodium_memzero(bytes, len);
    sodium_memzero(salt, sizeof salt);
    free(bytes);
    return 0;
}

/* Builds what a new row serves and fills params and commitment. */
static int build_row(const sc_instance_spec *spec, bool null_dist,
                     const uint8_t key[SC_KEY_BYTES], sc_instance_row *row,
                     sc_problem *pb)
{
    sc_error err = {0};
    sc_dist *planted = NULL, *null = NULL;
    int rc = sc_dist_new(spec->fam, &spec->params, key, &planted, &err);
    if (rc == SC_EINVAL)
        return sc_problem_field(pb, 422, err.field, "%s", err.message);
    if (rc != SC_OK)
        return sc_problem_set(pb, rc == SC_ENOMEM ? 503 : 422,
                              rc == SC_ENOMEM ? "overloaded"
                                              : "invalid-parameters",
                              "the distribution could not be built");
    if (null_dist) {
        sc_params np = {.dim = sc_dist_dim(planted)};
        rc = sc_dist_new(&sc_family_gaussian, &np, key, &null, &err);
    }
    row->params =
        dump_text(sc_wire_encode_params(spec->fam, &planted->params));
    if (rc == SC_OK && row->params != NULL &&
        commit_dist(null_dist ? null : planted, key, row->id,
                    row->commitment) == 0)
        rc = 0;
    else
        rc = sc_problem_set(pb, 500, "internal", "out of memory");
    sc_dist_free(planted);
    sc_dist_free(null);
    return rc;
}

int sc_instance_create(sc_server *srv, const char *owner,
                       const sc_instance_spec *spec, const char *challenge,
                       int round, int64_t coin_seq, sc_instance_row *row,
                       sc_problem *pb)
{
    memset(row, 0, sizeof *row);
    int rc = sc_store_next_seq(srv->store, &row->seq);
    if (rc != SC_STORE_OK)
        return store_problem(rc, pb);
    sc_keys_new_id(row->id, "in_");
    snprintf(row->owner, sizeof row->owner, "%s", owner);
    snprintf(row->family, sizeof row->family, "%s", spec->fam->name);
    snprintf(row->challenge, sizeof row->challenge, "%s",
             challenge != NULL ? challenge : "");
    row->round = round;
    row->coin_seq = coin_seq;
    memcpy(row->budget, spec->budget, sizeof row->budget);
    now_rfc3339(row->created_at);
    uint8_t key[SC_KEY_BYTES];
    sc_keys_instance_key(srv->keys, row->seq, key);
    rc = build_row(spec, sc_instance_serves_null(srv, row), key, row, pb);
    sodium_memzero(key, sizeof key);
    row->oracle = dump_text(oracle_json(&spec->oracle));
    if (rc == 0 && row->oracle == NULL)
        rc = sc_problem_set(pb, 500, "internal", "out of memory");
    if (rc == 0) {
        int st = sc_store_instance_insert(srv->store, row);
        rc = st == SC_STORE_OK ? 0 : store_problem(st, pb);
    }
    if (rc != 0)
        sc_store_instance_row_free(row);
    return rc;
}

int sc_instance_load(sc_server *srv, const char *id, const sc_player *caller,
                     sc_instance_row *row, sc_problem *pb)
{
    int rc = sc_store_instance_get(srv->store, id, row);
    if (rc != SC_STORE_OK)
        return store_problem(rc, pb);
    sc_usage_pending(srv, row->id, row->used);
    if (caller != NULL && caller->role != SC_ROLE_ADMIN &&
        strcmp(caller->id, row->owner) != 0) {
        sc_store_instance_row_free(row);
        return sc_problem_set(pb, 403, "forbidden",
                              "this instance belongs to another player");
    }
    return 0;
}

int sc_instance_oracle(const sc_instance_row *row, sc_oracle_cfg *out,
                       sc_problem *pb)
{
    json_t *o = json_loads(row->oracle, 0, NULL);
    int rc = o != NULL ? decode_oracle(o, out, pb) : -1;
    json_decref(o);
    if (rc != 0)
        return sc_problem_set(pb, 500, "internal", "a stored instance is "
                              "unreadable");
    return 0;
}

int sc_instance_row_params(const sc_instance_row *row,
                           const sc_family **fam, sc_params *p,
                           sc_problem *pb)
{
    /* Parameters the server chose (SC_PF_OUTPUT) are stored for display
     * and derived again from the key, so the decoder skips them. */
    const char *skip[16];
    size_t ns = 0;
    memset(p, 0, sizeof *p);
    *fam = sc_family_find(row->family);
    if (*fam == NULL)
        return sc_problem_set(pb, 500, "internal", "a stored instance has "
                              "a family this build does not serve");
    for (size_t i = 0; i < (*fam)->nspec && ns + 1 < 16; i++)
        if ((*fam)->spec[i].flags & SC_PF_OUTPUT)
            skip[ns++] = (*fam)->spec[i].name;
    skip[ns] = NULL;
    json_t *o = json_loads(row->params, 0, NULL);
    sc_error err;
    int rc = o != NULL ? sc_wire_decode_params(*fam, o, skip, p, pb) : -1;
    json_decref(o);
    if (rc == 0 && (*fam)->validate(p, &err) == SC_OK)
        return 0;
    sc_params_clear(p);
    return sc_problem_set(pb, 500, "internal", "a stored instance is "
                          "unreadable");
}

/* dim as stored, or from the validated parameters when the family
 * derives it (owf: seed_bits + image_bits). */
static json_t *row_dim(const sc_instance_row *row, const json_t *params)
{
    json_t *dim = json_object_get(params, "dim");
    if (dim != NULL)
        return json_incref(dim);
    const sc_family *fam;
    sc_params p;
    sc_problem pb = {0};
    if (sc_instance_row_params(row, &fam, &p, &pb) != 0)
        return NULL;
    dim = json_integer(p.dim);
    sc_params_clear(&p);
    return dim;
}

json_t *sc_instance_json(const sc_instance_row *row)
{
    json_t *params = json_loads(row->params, 0, NULL);
    json_t *oracle = json_loads(row->oracle, 0, NULL);
    json_t *dim = row_dim(row, params);
    json_t *o = json_object();
    if (o == NULL || params == NULL || oracle == NULL || dim == NULL) {
        json_decref(dim);
        json_decref(params);
        json_decref(oracle);
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "id", json_string(row->id));
    json_object_set_new(o, "family", json_string(row->family));
    json_object_set_new(o, "dim", dim);
    json_object_set_new(o, "params", params);
    json_object_set_new(o, "budget", budget_json(row->budget));
    json_object_set_new(o, "used", budget_json(row->used));
    json_object_set_new(o, "oracle", oracle);
    json_object_set_new(o, "commitment", json_string(row->commitment));
    json_object_set_new(o, "status",
                        json_string(row->revealed ? "revealed" : "open"));
    json_object_set_new(o, "created_at", json_string(row->created_at));
    if (row->challenge[0] != '\0') {
        json_object_set_new(o, "challenge", json_string(row->challenge));
        json_object_set_new(o, "round", json_integer(row->round));
    }
    return o;
}

json_t *sc_instance_reveal_json(sc_server *srv, const sc_instance_row *row,
                                sc_problem *pb)
{
    const sc_served *s = sc_instance_served(srv, row, pb);
    if (s == NULL)
        return NULL;
    sc_secret_view v[4];
    size_t nv = sc_dist_secret(s->dist, v, 4);
    json_t *secret = sc_wire_encode_secret(v, nv);
    sc_instance_served_release(srv, s);
    uint8_t key[SC_KEY_BYTES], salt[SC_SALT_BYTES];
    char salt_hex[2 * SC_SALT_BYTES + 1];
    sc_keys_instance_key(srv->keys, row->seq, key);
    sc_keys_salt(key, salt);
    sc_hex(salt_hex, salt, sizeof salt);
    sodium_memzero(key, sizeof key);
    json_t *o = secret != NULL
                    ? json_pack("{s:o, s:s, s:s}", "secret", secret, "salt",
                                salt_hex, "commitment", row->commitment)
                    : NULL;
    if (o == NULL)
        sc_problem_set(pb, 500, "internal", "out of memory");
    return o;
}

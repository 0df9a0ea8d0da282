/*
 * POST /v1/players and GET /v1/players/me.  Anyone may register while
 * registration is open; an admin or instructor may always create
 * players, and only they create instructors.  The token is shown once:
 * the store keeps its keyed hash.
 */
#include <stddef.h>
#include <string.h>

#include <sodium.h>

#include "../proto/sc_wire.h"
#include "handlers.h"
#include "keys.h"
#include "names.h"
#include "ratelimit.h"
#include "server.h"

#define NAME_MAX_LEN 64

typedef struct player_req {
    const char *name;
    const char *role;
} player_req;

static const sc_wire_field player_fields[] = {
    {"name", SC_WT_STRING, offsetof(player_req, name), SC_PF_REQUIRED, 0, 0,
     SIZE_MAX},
    {"role", SC_WT_STRING, offsetof(player_req, role), 0, 0, 0, SIZE_MAX},
};

static const char *role_name(sc_role role)
{
    static const char *const names[] = {"player", "instructor", "admin"};
    return names[role];
}

static json_t *player_json(const sc_player *p)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "id", p->id, "name", p->name,
                     "role", role_name(p->role), "created_at", p->created_at);
}

/* A name is 1 to 64 bytes of UTF-8 without control characters. */
static int check_name(const char *name, sc_problem *pb)
{
    size_t len = strlen(name);
    if (len == 0 || len > NAME_MAX_LEN)
        return sc_problem_field(pb, 422, "name", "name must hold 1 to %d "
                                "bytes", NAME_MAX_LEN);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return sc_problem_field(pb, 422, "name", "name may not hold "
                                    "control characters");
    return 0;
}

/* Which role the request asks for, and whether the caller may. */
static int decide_role(sc_req *r, const char *role, sc_role *out,
                       sc_problem *pb)
{
    const sc_player *caller = sc_req_player(r);
    bool elevated = caller != NULL && caller->role != SC_ROLE_PLAYER;
    if (role == NULL || strcmp(role, "player") == 0) {
        *out = SC_ROLE_PLAYER;
        if (elevated || sc_req_server(r)->cfg->registration_open)
            return 0;
        return caller == NULL
                   ? sc_problem_set(pb, 401, "unauthorized", "registration "
                                    "is closed; an instructor or admin "
                                    "creates players")
                   : sc_problem_set(pb, 403, "forbidden", "registration is "
                                    "closed; an instructor or admin creates "
                                    "players");
    }
    if (strcmp(role, "instructor") != 0)
        return sc_problem_field(pb, 422, "role", "role must be player or "
                                "instructor");
    *out = SC_ROLE_INSTRUCTOR;
    if (elevated)
        return 0;
    return sc_problem_set(pb, caller == NULL ? 401 : 403,
                          caller == NULL ? "unauthorized" : "forbidden",
                          "only an instructor or admin creates instructors");
}

void sc_h_player_create(sc_req *r)
{
    sc_server *srv = sc_req_server(r);
    player_req in = {0};
    sc_problem pb = {0};
    sc_role role = SC_ROLE_PLAYER;
    /* Accounts made under a token are the caller's business; anonymous
     * attempts count against the address, whatever their outcome. */
    if (sc_req_player(r) == NULL &&
        sc_req_rate_take(r, SC_RATE_REGISTER) != 0)
        return;
    if (sc_wire_decode(sc_req_json(r), player_fields, 2, &in, &pb) != 0 ||
        check_name(in.name, &pb) != 0 ||
        sc_name_check_reserved(in.name, &pb) != 0 ||
        decide_role(r, in.role, &role, &pb) != 0) {
        sc_reply_problem(r, &pb);
        return;
    }
    char token[SC_TOKEN_SIZE];
    uint8_t hash[32];
    sc_player p;
    sc_keys_new_token(token);
    sc_keys_token_hash(srv->keys, token, hash);
    int rc = sc_store_player_create(srv->store, in.name, role, hash, &p);
    if (rc == SC_STORE_OK) {
        json_t *o = player_json(&p);
        if (o != NULL)
            json_object_set_new(o, "token", json_string(token));
        sc_reply_json(r, 201, o);
    } else if (rc == SC_STORE_CONFLICT) {
        sc_reply_error(r, 409, "conflict", "the name %s is taken", in.name);
    } else {
        sc_reply_error(r, 500, "internal", "the store failed");
    }
    sodium_memzero(token, sizeof token);
}

void sc_h_player_me(sc_req *r)
{
    sc_reply_json(r, 200, player_json(sc_req_player(r)));
}

/* Bearer-token authentication; see auth.h. */
#include "auth.h"

#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "keys.h"

int sc_auth_player(sc_server *srv, const char *authorization, sc_player *out)
{
    static const char scheme[] = "Bearer ";
    if (strncasecmp(authorization, scheme, sizeof scheme - 1) != 0)
        return -1;
    const char *token = authorization + sizeof scheme - 1;
    token += strspn(token, " ");
    size_t len = strlen(token);
    if (len == 0 || len > SC_ADMIN_TOKEN_MAX)
        return -1;
    uint8_t hash[32];
    sc_keys_token_hash(srv->keys, token, hash);
    int rc = sc_store_player_by_token(srv->store, hash, out);
    sodium_memzero(hash, sizeof hash);
    return rc == SC_STORE_OK ? 0 : -1;
}

/* Bearer-token authentication; see auth.h. */
#include "auth.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "keys.h"

#define SLOTS 4096u
/* Read-mostly: a lookup takes its stripe's lock shared, so threads
 * checking the same token (one client's load) never wait on each other;
 * only remembering a new token writes. */
#define STRIPES 64u

typedef struct slot {
    uint8_t hash[32];
    bool used;
    sc_player player;
} slot;

struct sc_tokens {
    pthread_rwlock_t mu[STRIPES];
    slot slots[SLOTS];
};

int sc_auth_start(sc_server *srv)
{
    sc_tokens *t = calloc(1, sizeof *t);
    if (t == NULL)
        return -1;
    for (unsigned i = 0; i < STRIPES; i++)
        pthread_rwlock_init(&t->mu[i], NULL);
    srv->tokens = t;
    return 0;
}

void sc_auth_stop(sc_server *srv)
{
    sc_tokens *t = srv->tokens;
    if (t == NULL)
        return;
    for (unsigned i = 0; i < STRIPES; i++)
        pthread_rwlock_destroy(&t->mu[i]);
    sodium_memzero(t, sizeof *t);
    free(t);
    srv->tokens = NULL;
}

/* The hash is a keyed BLAKE2b: its bytes are uniform. */
static size_t slot_of(const uint8_t hash[32])
{
    return ((size_t)hash[0] | (size_t)hash[1] << 8) % SLOTS;
}

static bool cached(sc_tokens *t, const uint8_t hash[32], sc_player *out)
{
    size_t i = slot_of(hash);
    pthread_rwlock_t *mu = &t->mu[i % STRIPES];
    pthread_rwlock_rdlock(mu);
    slot *s = &t->slots[i];
    bool found = s->used && sodium_memcmp(s->hash, hash, 32) == 0;
    if (found)
        *out = s->player;
    pthread_rwlock_unlock(mu);
    return found;
}

static void remember(sc_tokens *t, const uint8_t hash[32], const sc_player *p)
{
    size_t i = slot_of(hash);
    pthread_rwlock_t *mu = &t->mu[i % STRIPES];
    pthread_rwlock_wrlock(mu);
    slot *s = &t->slots[i];
    memcpy(s->hash, hash, 32);
    s->player = *p;
    s->used = true;
    pthread_rwlock_unlock(mu);
}

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
    int rc = 0;
    /* Cache coherence: a store other replicas share may revoke a token
     * (the admin token moves at a replica's start) without this process
     * hearing of it, so with a shared store no token is cached and every
     * request reads its player (one indexed lookup); a process alone on
     * its SQLite file sees every change it makes. */
    bool use_cache = !sc_store_shared(srv->store);
    if (!use_cache || !cached(srv->tokens, hash, out)) {
        int st = sc_store_player_by_token(srv->store, hash, out);
        if (st == SC_STORE_OK && use_cache)
            remember(srv->tokens, hash, out);
        rc = st == SC_STORE_OK ? 0 : st == SC_STORE_NOTFOUND ? -1 : -2;
    }
    sodium_memzero(hash, sizeof hash);
    return rc;
}

/*
 * The store: everything that changes lives here, behind a narrow
 * interface with two backends (a table of functions chosen at open,
 * store_backend.h).  The SQLite backend keeps state/scoracle.db in WAL
 * mode with synchronous=FULL; the PostgreSQL backend (store_pg*.c)
 * commits each write before it answers, and many servers may share its
 * database.  Either way a call that answered SC_STORE_OK is durable.
 *
 * What never changes (instance parameters, derived secrets) may be cached
 * by callers; budgets, statuses and answers are always read from here.
 * The store never holds a secret: tokens are stored as keyed BLAKE2b
 * hashes, instance secrets are re-derived from the master key.
 *
 * Error convention: SC_STORE_OK (0) or a negative SC_STORE_* code.
 * Ownership: row structs are caller-owned values; their char * members
 * (params, oracle, extra JSON text) are malloc'ed by the store and freed
 * with the matching *_row_free.  The store handle is thread-safe.
 *
 * Changed from the first draft: sc_store_player_upsert (the admin player
 * follows its token at every start); the store makes player ids.
 */
#ifndef SC_STORE_H
#define SC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    SC_STORE_OK = 0,
    SC_STORE_NOTFOUND = -1,
    SC_STORE_CONFLICT = -2, /* unique name taken, wrong state */
    SC_STORE_BUDGET = -3,   /* the spend would overrun the budget */
    SC_STORE_IO = -4,       /* database error; logged by the store */
};

#define SC_ID_LEN 40 /* ids are short opaque strings, NUL-terminated:
                      * a type prefix and 24 hex digits of randomness,
                      * e.g. "in_0123456789abcdef01234567" */

typedef enum sc_role {
    SC_ROLE_PLAYER = 0,
    SC_ROLE_INSTRUCTOR = 1,
    SC_ROLE_ADMIN = 2,
} sc_role;
#define SC_NROLES 3

/* A role's name as the store keeps it ("player", "instructor",
 * "admin"); role must be below SC_NROLES. */
const char *sc_role_name(sc_role role);
/* The role named name: 0, or -1 for no role. */
int sc_role_parse(const char *name, sc_role *role);

typedef struct sc_player {
    char id[SC_ID_LEN];
    char name[128];
    sc_role role;
    char created_at[32]; /* RFC 3339 UTC */
} sc_player;

/* The three oracle meters, in this order everywhere. */
enum { SC_METER_SAMPLES = 0, SC_METER_SCORE = 1, SC_METER_LOGPDF = 2 };
#define SC_METERS 3
#define SC_UNLIMITED UINT64_MAX /* budget of a meter without a limit */

typedef struct sc_instance_row {
    int64_t seq;            /* unique integer: the KDF id of its key */
    char id[SC_ID_LEN];
    char owner[SC_ID_LEN];  /* player id */
    char family[16];        /* the family shown to clients */
    char *params;           /* public params, JSON text */
    char *oracle;           /* {"t_min", "noise"}, JSON text */
    uint64_t budget[SC_METERS];
    uint64_t used[SC_METERS];
    char commitment[65];    /* hex */
    bool revealed;
    char created_at[32];
    char challenge[SC_ID_LEN]; /* "" unless a challenge round */
    int round;                 /* round index, -1 when none */
    /* A round whose coin picks what it serves (distinguish): the seq of
     * its challenge, whose key derives the coin (sc_game_coin); 0 when
     * none.  The same for planted and null rounds: the store holds
     * nothing that tells them apart. */
    int64_t coin_seq;
} sc_instance_row;

typedef struct sc_store sc_store;

/* Opens (creating, migrating) the store where says: a libpq URI
 * ("postgresql://..." or "postgres://..."), "sqlite:PATH" (a database
 * file), or else a directory holding scoracle.db.  On failure writes a
 * sentence to err. */
int sc_store_open(const char *where, sc_store **out, char *err,
                  size_t errlen);
/* Once no call is in flight. */
void sc_store_close(sc_store *st);
/* The schema version after migrations. */
int sc_store_schema_version(sc_store *st);
/* "sqlite" or "postgresql". */
const char *sc_store_backend(const sc_store *st);
/* SC_STORE_OK when the database answers a query now (/readyz). */
int sc_store_ping(sc_store *st);
/* Transactions run again after a serialization failure, since open. */
uint64_t sc_store_retries(sc_store *st);
/* True when other processes (replicas) may change the database: then a
 * caller caches nothing that another replica could change. */
bool sc_store_shared(const sc_store *st);

/* What a start checks (store_check.c).  sc_store_holds_data: whether
 * any player, instance or key fingerprint is stored, so that a missing
 * master key is refused rather than replaced.  sc_store_key_fingerprint
 * records fp when the store has none yet (durably) and sets *match to
 * whether the recorded fingerprint is fp; a mismatch changes nothing. */
int sc_store_holds_data(sc_store *st, bool *yes);
int sc_store_key_fingerprint(sc_store *st, const uint8_t fp[32],
                             bool *match);

/* Players.  The name is unique per role (SC_STORE_CONFLICT when taken);
 * token_hash is BLAKE2b-256(key = token key, token).  The store makes the
 * id ("pl_" + 24 hex digits, as sc_keys_new_id makes) and fills out. */
int sc_store_player_create(sc_store *st, const char *name, sc_role role,
                           const uint8_t token_hash[32], sc_player *out);
/* Creates the player (name, role), or gives the existing one this token
 * hash: how the admin player follows its token at every start. */
int sc_store_player_upsert(sc_store *st, const char *name, sc_role role,
                           const uint8_t token_hash[32], sc_player *out);
int sc_store_player_by_token(sc_store *st, const uint8_t token_hash[32],
                             sc_player *out);
int sc_store_player_get(sc_store *st, const char *id, sc_player *out);

/* Instances, created in two steps: the caller reserves a unique seq (the
 * KDF id of the instance key), makes a random id, derives the key and
 * computes the commitment, then inserts the complete row.  The insert
 * stamps the current time when row->created_at is "", and answers
 * SC_STORE_NOTFOUND for an unknown owner, SC_STORE_CONFLICT for a taken
 * id or seq.  Budgets and used counts must not exceed INT64_MAX (except
 * SC_UNLIMITED): callers cap them (SC_STORE_IO otherwise). */
int sc_store_next_seq(sc_store *st, int64_t *seq);
int sc_store_instance_insert(sc_store *st, const sc_instance_row *row);
int sc_store_instance_get(sc_store *st, const char *id,
                          sc_instance_row *out);
void sc_store_instance_row_free(sc_instance_row *row);

/*
 * Spends n points of one meter atomically in one conditional statement
 * (UPDATE ... SET used = used + n WHERE used + n <= budget), durable
 * before it answers.  *before is the meter's value before the spend: the
 * index of the first sample point drawn.  SC_STORE_BUDGET when it would
 * overrun (nothing changes), *before then holds the current use.
 */
int sc_store_spend(sc_store *st, const char *instance_id, int meter,
                   uint64_t n, uint64_t *before);
/* Marks revealed; SC_STORE_CONFLICT when it already was. */
int sc_store_instance_reveal(sc_store *st, const char *instance_id);

#endif

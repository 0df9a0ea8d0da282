/*
 * Keys: the master key, the admin token, and every derivation in one
 * place.
 *
 * Decision: one master key, everything else derived.  Each secret is
 * libsodium's KDF of the master key with an eight-byte context per
 * purpose (core/sc_rng.h lists them) and the row's sequence number as
 * the subkey id: instance and challenge keys, commitment salts, the
 * token-hashing key, the receipt signing seed.  A copy of the database
 * alone reveals no secret, a restart needs nothing but the key file, and
 * servers sharing the database and the file agree on every answer.
 *
 * STATE/master.key holds 32 random bytes (mode 0600, created at first
 * start).  Every secret the server uses is derived from it, so the store
 * never holds one and several servers sharing the database and the file
 * agree on every secret.  The admin token comes from SCORACLE_ADMIN_TOKEN,
 * else from STATE/admin.token (mode 0600, generated at first start).
 *
 * Error convention: sc_keys_load answers 0 or -1 with a sentence in err.
 * Ownership: sc_keys_load allocates the keys in guarded, locked,
 * read-only memory (sodium_malloc); only sc_keys_free releases them.
 * Every other function writes into caller-owned buffers.
 * Thread safety: loaded keys are read-only; any thread may use them.
 */
#ifndef SC_KEYS_H
#define SC_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sc_core.h"
#include "server/store.h"

/* A token: 32 random bytes as unpadded base64url, 43 characters. */
#define SC_TOKEN_LEN 43
#define SC_TOKEN_SIZE (SC_TOKEN_LEN + 1)
/* An admin token given through SCORACLE_ADMIN_TOKEN must be at least
 * this long: it opens everything. */
#define SC_ADMIN_TOKEN_MIN 16
#define SC_ADMIN_TOKEN_MAX 256

typedef struct sc_keys sc_keys;

/*
 * Creates state_dir (mode 0700) when missing, then loads or creates
 * master.key and the admin token.  Refuses a master key of the wrong
 * size or one that group or others may access, and an admin token that
 * is too short or holds characters a Bearer header cannot carry.
 */
int sc_keys_load(const char *state_dir, sc_keys **out, char *err,
                 size_t errlen);
/* The same with the master key read from the file master_key (when not
 * NULL), which must exist: how replicas share one key (--master-key). */
int sc_keys_load_with(const char *state_dir, const char *master_key,
                      sc_keys **out, char *err, size_t errlen);
void sc_keys_free(sc_keys *k);
/* True when state_dir/master.key exists, whatever it holds: a start
 * asks before sc_keys_load, which would create a missing one. */
bool sc_keys_present(const char *state_dir);
/* The key's fingerprint, kept in the store and checked at every start:
 * BLAKE2b-256(key = KDF(master, 0, SC_CTX_FPRINT), message =
 * "scoracle master key fingerprint").  It tells keys apart and reveals
 * nothing of the key. */
void sc_keys_fingerprint(const sc_keys *k, uint8_t out[32]);

/* The admin token, NUL-terminated, valid until sc_keys_free. */
const char *sc_keys_admin_token(const sc_keys *k);
/* True when this start generated admin.token: the daemon prints it once. */
bool sc_keys_admin_token_created(const sc_keys *k);

/* BLAKE2b-256(key = KDF(master, 0, SC_CTX_TOKEN), message = token). */
void sc_keys_token_hash(const sc_keys *k, const char *token,
                        uint8_t out[32]);

/* KDF(master, seq, SC_CTX_INSTANCE): what sc_dist_new gets. */
void sc_keys_instance_key(const sc_keys *k, int64_t seq,
                          uint8_t out[SC_KEY_BYTES]);
/* KDF(master, seq, SC_CTX_CHALLENGE). */
void sc_keys_challenge_key(const sc_keys *k, int64_t seq,
                           uint8_t out[SC_KEY_BYTES]);
/* KDF(parent, 0, SC_CTX_SALT): the commitment salt of an instance or a
 * challenge, from its key. */
void sc_keys_salt(const uint8_t parent[SC_KEY_BYTES],
                  uint8_t out[SC_KEY_BYTES]);
/* KDF(instance key, 0, SC_CTX_NOISE): the oracle-noise key. */
void sc_keys_noise_key(const uint8_t instance_key[SC_KEY_BYTES],
                       uint8_t out[SC_KEY_BYTES]);
/* The receipt signing pair: crypto_sign_seed_keypair of
 * KDF(master, 0, SC_CTX_RECEIPT).  sk holds the seed: wipe it after use. */
void sc_keys_receipt_keypair(const sc_keys *k, uint8_t pk[32],
                             uint8_t sk[64]);

/* A new bearer token: 32 bytes of sc_random, unpadded base64url. */
void sc_keys_new_token(char out[SC_TOKEN_SIZE]);
/* A new id: prefix ("pl_", "in_", ...) and 24 lowercase hex digits of
 * sc_random.  The prefix must be shorter than SC_ID_LEN - 24. */
void sc_keys_new_id(char out[SC_ID_LEN], const char *prefix);

#endif

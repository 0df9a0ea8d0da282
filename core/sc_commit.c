/* Commitments of proto/API.md.  See sc_commit.h. */
#include "sc_commit.h"
#include "sc_assert.h"

#include <string.h>

#include <sodium.h>

#include "sc_core.h"

static const char INSTANCE_TAG[] = "scoracle-commit-v1";
static const char CHALLENGE_TAG[] = "scoracle-challenge-v1";

/* Starts tag || 0 || id || 0. */
static void begin(crypto_generichash_state *st, const uint8_t *salt,
                  const char *tag, const char *id)
{
    static const uint8_t zero = 0;
    crypto_generichash_init(st, salt, SC_SALT_BYTES, SC_COMMIT_BYTES);
    crypto_generichash_update(st, (const uint8_t *)tag, strlen(tag));
    crypto_generichash_update(st, &zero, 1);
    crypto_generichash_update(st, (const uint8_t *)id, strlen(id));
    crypto_generichash_update(st, &zero, 1);
}

void sc_commit_instance(uint8_t out[SC_COMMIT_BYTES],
                        const uint8_t salt[SC_SALT_BYTES], const char *id,
                        const uint8_t *secret, size_t secret_len)
{
    crypto_generichash_state st;
    SC_ASSERT(secret != NULL || secret_len == 0);
    begin(&st, salt, INSTANCE_TAG, id);
    if (secret_len > 0)
        crypto_generichash_update(&st, secret, secret_len);
    crypto_generichash_final(&st, out, SC_COMMIT_BYTES);
}

void sc_commit_challenge(uint8_t out[SC_COMMIT_BYTES],
                         const uint8_t salt[SC_SALT_BYTES], const char *id,
                         const uint8_t *planted,
                         const uint8_t (*round_commit)[SC_COMMIT_BYTES],
                         size_t rounds)
{
    crypto_generichash_state st;
    SC_ASSERT(rounds == 0 || (planted != NULL && round_commit != NULL));
    begin(&st, salt, CHALLENGE_TAG, id);
    for (size_t i = 0; i < rounds; i++) {
        uint8_t coin = planted[i] ? 1 : 0;
        crypto_generichash_update(&st, &coin, 1);
        crypto_generichash_update(&st, round_commit[i], SC_COMMIT_BYTES);
    }
    crypto_generichash_final(&st, out, SC_COMMIT_BYTES);
}

void sc_hex(char *out, const uint8_t *bytes, size_t len)
{
    sodium_bin2hex(out, 2 * len + 1, bytes, len);
}

int sc_unhex(uint8_t *out, size_t len, const char *hex)
{
    size_t got = 0;
    const char *end = NULL;
    if (strlen(hex) != 2 * len)
        return SC_EINVAL;
    if (sodium_hex2bin(out, len, hex, 2 * len, NULL, &got, &end) != 0 ||
        got != len || *end != '\0')
        return SC_EINVAL;
    return SC_OK;
}

/* Signed receipts: Ed25519 over exactly the payload bytes, with the key
 * pair derived from the master key (keys.h), so the public key in
 * /v1/info is stable across restarts.  See challenges.h.
 *
 * Decision: the signature covers bytes, not a JSON value.  The payload
 * travels base64-encoded, so no verifier has to reproduce a canonical
 * JSON form (number printing, key order, escapes) before checking it;
 * it decodes, verifies, and only then parses.
 *
 * A verifier base64-decodes "payload" into bytes P and "signature" into
 * 64 bytes S and checks crypto_sign_verify_detached(S, P, receipt_key);
 * P is UTF-8 JSON, compact, keys sorted. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "challenges.h"
#include "keys.h"
#include "server.h"

/* Standard padded base64 of len bytes, malloc'ed. */
static char *base64(const uint8_t *bytes, size_t len)
{
    size_t cap = sodium_base64_ENCODED_LEN(len,
                                           sodium_base64_VARIANT_ORIGINAL);
    char *out = malloc(cap);
    if (out != NULL)
        sodium_bin2base64(out, cap, bytes, len,
                          sodium_base64_VARIANT_ORIGINAL);
    return out;
}

json_t *sc_receipt_sign(sc_server *srv, const char *payload, size_t len)
{
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    uint8_t sig[crypto_sign_BYTES];
    sc_keys_receipt_keypair(srv->keys, pk, sk);
    crypto_sign_detached(sig, NULL, (const uint8_t *)payload, len, sk);
    sodium_memzero(sk, sizeof sk);
    char *p64 = base64((const uint8_t *)payload, len);
    char *s64 = base64(sig, sizeof sig);
    json_t *j = p64 != NULL && s64 != NULL
                    ? json_pack("{s:s, s:s}", "payload", p64, "signature",
                                s64)
                    : NULL;
    free(p64);
    free(s64);
    return j;
}

void sc_receipt_key_base64(sc_server *srv, char out[64])
{
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    sc_keys_receipt_keypair(srv->keys, pk, sk);
    sodium_memzero(sk, sizeof sk);
    sodium_bin2base64(out, 64, pk, sizeof pk,
                      sodium_base64_VARIANT_ORIGINAL);
}

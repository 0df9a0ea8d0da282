/*
 * Commitments of proto/API.md: BLAKE2b-256 keyed with a 32-byte salt.
 * Pure functions; callers own every buffer.
 */
#ifndef SC_COMMIT_H
#define SC_COMMIT_H

#include <stddef.h>
#include <stdint.h>

#define SC_COMMIT_BYTES 32
#define SC_SALT_BYTES 32

/* BLAKE2b-256(key = salt, "scoracle-commit-v1" || 0 || id || 0 || secret) */
void sc_commit_instance(uint8_t out[SC_COMMIT_BYTES],
                        const uint8_t salt[SC_SALT_BYTES], const char *id,
                        const uint8_t *secret, size_t secret_len);

/* BLAKE2b-256(key = salt, "scoracle-challenge-v1" || 0 || id || 0 ||
 *             R_0 || ... ), R_i = planted[i] (one byte) || round[i]. */
void sc_commit_challenge(uint8_t out[SC_COMMIT_BYTES],
                         const uint8_t salt[SC_SALT_BYTES], const char *id,
                         const uint8_t *planted,
                         const uint8_t (*round_commit)[SC_COMMIT_BYTES],
                         size_t rounds);

/* Lower-case hex of len bytes into out (2 len + 1 bytes). */
void sc_hex(char *out, const uint8_t *bytes, size_t len);
/* Parses exactly 2 len hex digits; SC_OK or SC_EINVAL. */
int sc_unhex(uint8_t *out, size_t len, const char *hex);

#endif

/* Keyed randomness from libsodium's ChaCha20-IETF.  See sc_rng.h. */
#include "sc_rng.h"

#include <math.h>
#include <string.h>

#include <sodium.h>

#define WORDS_PER_BLOCK 8 /* a ChaCha20 block is 64 bytes */
#define BUF_WORDS 32

void sc_kdf(uint8_t out[SC_KEY_BYTES], const uint8_t parent[SC_KEY_BYTES],
            uint64_t id, const char ctx[8])
{
    crypto_kdf_derive_from_key(out, SC_KEY_BYTES, id, ctx, parent);
}

void sc_random(void *buf, size_t len)
{
    randombytes_buf(buf, len);
}

static void put_le32(uint8_t *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

void sc_stream_init(sc_stream *s, const uint8_t key[SC_KEY_BYTES],
                    uint32_t purpose, uint64_t id)
{
    memcpy(s->key, key, SC_KEY_BYTES);
    put_le32(s->nonce, purpose);
    put_le64(s->nonce + 4, id);
    s->word = 0;
    s->buf_first = 0;
    s->buf_valid = 0;
}

void sc_stream_seek(sc_stream *s, uint64_t word)
{
    s->word = word;
}

void sc_stream_wipe(sc_stream *s)
{
    sodium_memzero(s, sizeof *s);
}

/* Refills buf with the 4 blocks holding word s->word. */
static void refill(sc_stream *s)
{
    uint8_t bytes[BUF_WORDS * 8];
    uint64_t first = s->word - s->word % BUF_WORDS;
    memset(bytes, 0, sizeof bytes);
    crypto_stream_chacha20_ietf_xor_ic(bytes, bytes, sizeof bytes, s->nonce,
                                       (uint32_t)(first / WORDS_PER_BLOCK),
                                       s->key);
    for (size_t i = 0; i < BUF_WORDS; i++) {
        uint64_t w = 0;
        for (int b = 7; b >= 0; b--)
            w = (w << 8) | bytes[8 * i + (size_t)b];
        s->buf[i] = w;
    }
    s->buf_first = first;
    s->buf_valid = 1;
    sodium_memzero(bytes, sizeof bytes);
}

uint64_t sc_stream_u64(sc_stream *s)
{
    if (!s->buf_valid || s->word < s->buf_first ||
        s->word >= s->buf_first + BUF_WORDS)
        refill(s);
    return s->buf[s->word++ - s->buf_first];
}

double sc_stream_uniform(sc_stream *s)
{
    /* (k + 0.5) / 2^53 for the top 53 bits k: never 0, never 1. */
    uint64_t k = sc_stream_u64(s) >> 11;
    return ((double)k + 0.5) * 0x1.0p-53;
}

/* Box-Muller, cosine branch: exactly two words per normal. */
double sc_stream_normal(sc_stream *s)
{
    double u1 = sc_stream_uniform(s);
    double u2 = sc_stream_uniform(s);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

void sc_stream_normals(sc_stream *s, size_t n, double *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = sc_stream_normal(s);
}

/*
 * Keyed randomness from libsodium's ChaCha20-IETF.  See sc_rng.h.
 *
 * Word consumption, the contract that keeps draws at fixed positions:
 * - sc_stream_u64 and sc_stream_uniform: one word each.
 * - sc_stream_normal(s): exactly one word of s, whatever happens.  The
 *   word w at position p is read as
 *       bits 0..9   layer i of a 1024-layer ziggurat (sc_ziggurat.c),
 *       bit 10      sign,
 *       bits 11..63 the 53-bit integer k, x = k * X[i] / 2^53.
 *   About 99.57% of words are accepted as they are (k below the layer's
 *   bound, decided on integers).  The rest (wedges and the tail) draw
 *   what they need from a rejection stream of the same key that depends
 *   only on (purpose, id, p):
 *       nonce = LE32(SC_STREAM_EXTRA | purpose << 4 | (p >> 20) << 8)
 *               || LE64(id),
 *   read from word (p mod 2^20) * 2^15 on, so no rejection ever moves a
 *   later normal of s.  A main purpose is below 16 and not 0, so these
 *   nonces never equal a main stream's.
 *
 * Machine independence: the tables are hexadecimal constants and the fast
 * path uses only integer compares and one correctly rounded product.  The
 * wedge and tail tests call libm's exp and log; two libms can only disagree
 * there when a uniform lies within an ulp or so of the acceptance
 * boundary, which happens with probability below 2^-50 per normal.
 */
#include "sc_rng.h"
#include "sc_assert.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "sc_ziggurat.h"

#define LAYER_MASK (SC_ZIG_LAYERS - 1)
#define SIGN_BIT (UINT64_C(1) << 10)
#define WORDS_PER_BLOCK 8 /* a ChaCha20 block is 64 bytes */
#define MAX_BLOCKS (SC_STREAM_BUF_WORDS / WORDS_PER_BLOCK)
#define COUNTER_BLOCKS (UINT64_C(1) << 32)

/* Rejection streams: 2^20 windows of 2^12 blocks (2^15 words) each.  A
 * slow normal stops after MAX_TRIES wedge attempts or MAX_TRIES tail
 * attempts, 2 words each: at most 2^14 words, inside its window.  A
 * restart from a fresh word fails with probability below 0.005 and a
 * tail attempt below 0.1, so the caps are never met in practice (below
 * 2^-13000); if they were, the last candidate would stand. */
#define EXTRA_WINDOW_SHIFT 20
#define EXTRA_WINDOW_BLOCKS (UINT64_C(1) << 12)
#define MAX_TRIES 4096

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

/* sodium_init selects the SIMD ChaCha20 (4x faster); without it there is
 * no safe randomness at all, so failure is fatal. */
static void init_sodium(void)
{
    if (sodium_init() < 0)
        abort();
}

static void ensure_sodium(void)
{
    pthread_once(&sodium_once, init_sodium);
}

void sc_kdf(uint8_t out[SC_KEY_BYTES], const uint8_t parent[SC_KEY_BYTES],
            uint64_t id, const char ctx[8])
{
    SC_ASSERT(memchr(ctx, '\0', 8) == NULL); /* contexts are 8 bytes */
    ensure_sodium();
    crypto_kdf_derive_from_key(out, SC_KEY_BYTES, id, ctx, parent);
}

void sc_random(void *buf, size_t len)
{
    ensure_sodium();
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

/* Keystream blocks first .. first+nblocks-1 (counter mod 2^32) as words. */
static void keystream(uint64_t *w, const uint8_t key[SC_KEY_BYTES],
                      const uint8_t nonce[12], uint64_t first,
                      uint64_t nblocks)
{
    size_t bytes = (size_t)nblocks * 64;
    memset(w, 0, bytes);
    crypto_stream_chacha20_ietf_xor_ic((unsigned char *)w,
                                       (const unsigned char *)w, bytes,
                                       nonce, (uint32_t)first, key);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    for (size_t i = 0; i < nblocks * WORDS_PER_BLOCK; i++)
        w[i] = __builtin_bswap64(w[i]);
#endif
}

void sc_stream_init(sc_stream *s, const uint8_t key[SC_KEY_BYTES],
                    uint32_t purpose, uint64_t id)
{
    SC_ASSERT(purpose < 16); /* sc_rng.c derives rejection streams above */
    ensure_sodium();
    memcpy(s->key, key, SC_KEY_BYTES);
    put_le32(s->nonce, purpose);
    put_le64(s->nonce + 4, id);
    s->chunk = 1;
    s->word = 0;
    s->buf_first = 0;
    s->buf_len = 0;
}

void sc_stream_seek(sc_stream *s, uint64_t word)
{
    s->word = word;
}

void sc_stream_wipe(sc_stream *s)
{
    sodium_memzero(s, sizeof *s);
}

/* Fills buf from the block holding s->word with at least `want` words
 * (capped by the buffer), or more when repeated unhinted reads have grown
 * the chunk: small reads stay cheap, long ones reach the SIMD width. */
static void refill(sc_stream *s, uint64_t want)
{
    uint64_t block = (s->word / WORDS_PER_BLOCK) % COUNTER_BLOCKS;
    uint64_t need = (s->word % WORDS_PER_BLOCK + want + WORDS_PER_BLOCK - 1) /
                    WORDS_PER_BLOCK;
    uint64_t nblocks = need > s->chunk ? need : s->chunk;
    if (nblocks > MAX_BLOCKS)
        nblocks = MAX_BLOCKS;
    if (nblocks > COUNTER_BLOCKS - block)
        nblocks = COUNTER_BLOCKS - block;
    keystream(s->buf, s->key, s->nonce, block, nblocks);
    s->buf_first = s->word - s->word % WORDS_PER_BLOCK;
    s->buf_len = nblocks * WORDS_PER_BLOCK;
    if (s->chunk < MAX_BLOCKS)
        s->chunk *= 2;
}

/* Words available in buf from s->word on (0 when it must be refilled). */
static uint64_t buffered(const sc_stream *s)
{
    uint64_t off = s->word - s->buf_first;
    return off < s->buf_len ? s->buf_len - off : 0;
}

uint64_t sc_stream_u64(sc_stream *s)
{
    if (buffered(s) == 0)
        refill(s, 1);
    return s->buf[s->word++ - s->buf_first];
}

/* (k + 0.5) / 2^53 for the top 53 bits k: never 0, never 1. */
static double word_uniform(uint64_t w)
{
    return ((double)(w >> 11) + 0.5) * 0x1.0p-53;
}

double sc_stream_uniform(sc_stream *s)
{
    return word_uniform(sc_stream_u64(s));
}

/* The rejection stream of one slow normal, read one block at a time. */
typedef struct extra {
    const uint8_t *key;
    uint8_t nonce[12];
    uint64_t block; /* next block to generate */
    uint64_t w[WORDS_PER_BLOCK];
    unsigned pos;   /* next word of w; WORDS_PER_BLOCK = empty */
} extra;

static void extra_init(extra *e, const sc_stream *s, uint64_t pos)
{
    uint32_t purpose = (uint32_t)s->nonce[0] | (uint32_t)s->nonce[1] << 8 |
                       (uint32_t)s->nonce[2] << 16 |
                       (uint32_t)s->nonce[3] << 24;
    uint64_t high = pos >> EXTRA_WINDOW_SHIFT;
    uint64_t low = pos & ((UINT64_C(1) << EXTRA_WINDOW_SHIFT) - 1);
    e->key = s->key;
    put_le32(e->nonce, (uint32_t)SC_STREAM_EXTRA | (purpose & 0xfu) << 4 |
                           (uint32_t)high << 8);
    memcpy(e->nonce + 4, s->nonce + 4, 8);
    e->block = low * EXTRA_WINDOW_BLOCKS;
    e->pos = WORDS_PER_BLOCK;
}

static uint64_t extra_u64(extra *e)
{
    if (e->pos == WORDS_PER_BLOCK) {
        keystream(e->w, e->key, e->nonce, e->block++, 1);
        e->pos = 0;
    }
    return e->w[e->pos++];
}

static double extra_uniform(extra *e)
{
    return word_uniform(extra_u64(e));
}

/* Marsaglia's tail beyond R: x = R + E1 / R, accepted when 2 E2 > (x-R)^2
 * for exponentials E1, E2. */
static double tail(extra *e)
{
    double x = 0;
    for (int tries = 0; tries < MAX_TRIES; tries++) {
        x = -log(extra_uniform(e)) / sc_zig_r;
        double y = -log(extra_uniform(e));
        if (2 * y > x * x)
            break;
    }
    return sc_zig_r + x;
}

/* Word w failed the fast test: resolve the wedge or the tail, restarting
 * from words of the rejection stream after a wedge rejection. */
static double __attribute__((noinline))
normal_slow(const sc_stream *s, uint64_t pos, uint64_t w)
{
    extra e;
    double x = 0;
    extra_init(&e, s, pos);
    for (int tries = 0; tries < MAX_TRIES; tries++) {
        unsigned i = (unsigned)(w & LAYER_MASK);
        double sign = w & SIGN_BIT ? -1.0 : 1.0;
        uint64_t k = w >> 11;
        x = (double)k * sc_zig_w[i];
        if (k < sc_zig_k[i]) {
            x *= sign;
            break;
        }
        if (i == 0) {
            x = sign * tail(&e);
            break;
        }
        double y = sc_zig_f[i] +
                   extra_uniform(&e) * (sc_zig_f[i + 1] - sc_zig_f[i]);
        x *= sign;
        if (y < exp(-0.5 * x * x))
            break;
        w = extra_u64(&e);
    }
    sodium_memzero(e.w, sizeof e.w);
    return x;
}

/* One normal from word w at position pos of s. */
static inline double normal_word(const sc_stream *s, uint64_t pos,
                                 uint64_t w)
{
    unsigned i = (unsigned)(w & LAYER_MASK);
    uint64_t k = w >> 11;
    if (k < sc_zig_k[i]) {
        /* The sign goes in by bits: a branch on it would be mispredicted
         * half the time. */
        double x = (double)(int64_t)k * sc_zig_w[i];
        uint64_t bits;
        memcpy(&bits, &x, sizeof bits);
        bits ^= (w & SIGN_BIT) << 53;
        memcpy(&x, &bits, sizeof x);
        return x;
    }
    return normal_slow(s, pos, w);
}

void sc_stream_normals(sc_stream *s, size_t n, double *out)
{
    size_t done = 0;
    while (done < n) {
        uint64_t avail = buffered(s);
        if (avail == 0) {
            refill(s, n - done);
            avail = buffered(s);
        }
        if (avail > n - done)
            avail = n - done;
        const uint64_t *w = s->buf + (s->word - s->buf_first);
        for (size_t j = 0; j < avail; j++)
            out[done + j] = normal_word(s, s->word + j, w[j]);
        s->word += avail;
        done += avail;
    }
}

double sc_stream_normal(sc_stream *s)
{
    double x;
    sc_stream_normals(s, 1, &x);
    return x;
}

/* Feeds t then x to h as little-endian float64 bytes, -0.0 read as +0.0
 * (the same point), so the noise depends on values only. */
static void hash_point(crypto_generichash_state *h, double t,
                       const double *x, size_t d)
{
    uint8_t b[8 * 256];
    size_t len = 0;
    for (size_t j = 0; j <= d; j++) {
        double v = (j == 0 ? t : x[j - 1]) + 0.0;
        uint64_t u;
        memcpy(&u, &v, sizeof u);
        put_le64(b + len, u);
        len += 8;
        if (len == sizeof b || j == d) {
            crypto_generichash_update(h, b, len);
            len = 0;
        }
    }
}

void sc_oracle_noise(const uint8_t noise_key[SC_KEY_BYTES], double t,
                     const double *x, size_t d, double rms, double *score)
{
    crypto_generichash_state h;
    uint8_t key[SC_KEY_BYTES];
    double z[256];
    sc_stream s;

    if (!(rms > 0) || d == 0)
        return;
    ensure_sodium();
    crypto_generichash_init(&h, noise_key, SC_KEY_BYTES, sizeof key);
    hash_point(&h, t, x, d);
    crypto_generichash_final(&h, key, sizeof key);

    /* Each coordinate of e has variance rms^2 / d: E|e|^2 = rms^2. */
    double scale = rms / sqrt((double)d);
    sc_stream_init(&s, key, SC_STREAM_NOISE, 0);
    for (size_t j = 0; j < d; j += 256) {
        size_t m = d - j < 256 ? d - j : 256;
        sc_stream_normals(&s, m, z);
        for (size_t i = 0; i < m; i++)
            score[j + i] += scale * z[i];
    }
    sc_stream_wipe(&s);
    sodium_memzero(key, sizeof key);
    sodium_memzero(&h, sizeof h);
}

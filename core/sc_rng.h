/*
 * Keyed randomness: libsodium only.
 *
 * Keys: one 32-byte master key; every object key is derived from its
 * parent with crypto_kdf_derive_from_key under a distinct 8-byte context
 * per purpose (SC_CTX_*), so no key is ever stored next to data.
 *
 * Streams: a ChaCha20-IETF keystream per (key, purpose, id), read as
 * little-endian 64-bit words.  Word i of a stream is a pure function of
 * (key, purpose, id, i) and seeking is O(1)
 * (crypto_stream_chacha20_ietf_xor_ic with the block counter), so the same
 * key gives the same draws on every machine.  A stream holds 2^35 words
 * (the IETF block counter is 32 bits); positions are read modulo 2^35.
 * Purposes are below 16 (sc_rng.c derives rejection streams from them).
 *
 * Ownership: sc_stream is a plain value the caller owns; it holds key
 * material and should be wiped with sc_stream_wipe when done.
 */
#ifndef SC_RNG_H
#define SC_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "sc_core.h"

/* crypto_kdf contexts, exactly 8 bytes each. */
#define SC_CTX_INSTANCE "scinstnc" /* master -> instance key (id = row id) */
#define SC_CTX_SECRET "scsecret"   /* instance -> secret key */
#define SC_CTX_SAMPLE "scsample"   /* instance -> sample-stream key */
#define SC_CTX_NOISE "scnoise_"    /* instance -> oracle-noise key */
#define SC_CTX_SALT "scsalt__"     /* instance/challenge -> commitment salt */
#define SC_CTX_CHALLENGE "scchalng" /* master -> challenge key */
#define SC_CTX_RECEIPT "screcpt_"  /* master -> receipt signing seed */
#define SC_CTX_TOKEN "sctoken_"    /* master -> token hashing key */
#define SC_CTX_FPRINT "scfprint"   /* master -> key-fingerprint hash key */

/* out = KDF(parent, id, ctx); ctx must be 8 bytes. */
void sc_kdf(uint8_t out[SC_KEY_BYTES], const uint8_t parent[SC_KEY_BYTES],
            uint64_t id, const char ctx[8]);

/* Purposes of streams under one key (the nonce's first 4 bytes). */
enum {
    SC_STREAM_SECRET = 1, /* secret derivation */
    SC_STREAM_POINT = 2,  /* one sample point; id = point index */
    SC_STREAM_NOISE = 3,  /* oracle noise; id from the query */
    SC_STREAM_EXTRA = 4,  /* rejection fallbacks, see sc_stream_normal */
    SC_STREAM_GAME = 5,   /* challenge coins, eval points, hidden samples */
};

/* Keystream is generated in chunks of up to this many words (2 KiB, a
 * multiple of the 8-block width of libsodium's AVX2 ChaCha20).  Interface
 * change from the skeleton: the buffer grew from 32 words and buf_valid
 * became buf_len plus a chunk size; the functions are unchanged. */
#define SC_STREAM_BUF_WORDS 256

typedef struct sc_stream {
    uint8_t key[SC_KEY_BYTES];
    uint8_t nonce[12];  /* purpose (LE32) || id (LE64) */
    uint32_t chunk;     /* blocks the next unhinted refill generates */
    uint64_t word;      /* index of the next 64-bit word */
    uint64_t buf_first; /* index of the word in buf[0] */
    uint64_t buf_len;   /* valid words in buf; 0 = empty */
    uint64_t buf[SC_STREAM_BUF_WORDS];
} sc_stream;

void sc_stream_init(sc_stream *s, const uint8_t key[SC_KEY_BYTES],
                    uint32_t purpose, uint64_t id);
void sc_stream_seek(sc_stream *s, uint64_t word);
void sc_stream_wipe(sc_stream *s);

/* The next keystream word. */
uint64_t sc_stream_u64(sc_stream *s);
/* Uniform on (0, 1) from the top 53 bits of one word; never 0 or 1. */
double sc_stream_uniform(sc_stream *s);
/* Standard normals.  Each normal consumes a fixed number of words of s
 * (documented in sc_rng.c), so draw j sits at a fixed position. */
double sc_stream_normal(sc_stream *s);
void sc_stream_normals(sc_stream *s, size_t n, double *out);

/* The discrete Gaussian on Z with P(k) proportional to
 * exp(-pi k^2 / gamma^2), sampled exactly by inverse CDF over a window
 * holding all but 1e-17 of the mass. */
typedef struct sc_dgauss {
    double gamma;
    int64_t kmin;      /* first k of the window */
    size_t len;        /* window length */
    double *cdf;       /* cumulative probabilities, cdf[len-1] == 1 */
} sc_dgauss;

/* Allocates the table (caller frees with sc_dgauss_free). */
int sc_dgauss_init(sc_dgauss *g, double gamma);
void sc_dgauss_free(sc_dgauss *g);
/* One draw, one word of s. */
int64_t sc_dgauss_draw(const sc_dgauss *g, sc_stream *s);

/* Inverse-CDF lookup: the first j with u < cdf[j], for a nondecreasing
 * cdf of len >= 1 entries whose last is 1 > u. */
static inline size_t sc_cdf_search(const double *cdf, size_t len, double u)
{
    size_t lo = 0, hi = len - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u < cdf[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Uniformly random bytes for keys, salts and tokens
 * (randombytes_buf). */
void sc_random(void *buf, size_t len);

/*
 * Oracle noise (proto/API.md "oracle.noise"): adds to score[0..d) a
 * vector with E|e|^2 = rms^2 that is a deterministic function of
 * (noise_key, t, x), so asking twice gains nothing.
 */
void sc_oracle_noise(const uint8_t noise_key[SC_KEY_BYTES], double t,
                     const double *x, size_t d, double rms, double *score);

#endif

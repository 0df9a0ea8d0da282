/*
 * The one-way-function family `owf` (docs/MATH.md section 4): an
 * instance of the kind of distribution [G24] builds, where scores and
 * unconditional samples are easy but posterior sampling given a
 * measurement y is as hard as inverting f.  It is not [G24]'s exact
 * construction.
 *
 * x uniform in {0,1}^n, b = f(x) in {0,1}^m, d = n + m, seed block U
 * first: U_i = R (2 x_i - 1) + s0 g_i, V_j = a_j + s0 g'_j with a_j from
 * the discrete Gaussian (envelope tau) on the coset delta (Z + b_j / 2).
 *
 * The family's vtable score is the fast two-regime score: below the
 * switch time the orthant of U gives x_hat = 1[U > 0] and f(x_hat) the
 * phases of V; from the switch time on the phases are blurred and P_t is
 * a product of two-point mixtures and phase-averaged combs.  It is within
 * SC_OWF_SCORE_TOL (absolute, every coordinate) of the exact score at
 * every point whose seed coordinates lie within SC_OWF_TYPICAL_SD
 * standard deviations of their vertex, i.e. at all but about n 1e-9 of
 * P_t's mass; parameters for which this cannot hold at every t are
 * refused by validate.  Off that set (a seed coordinate near 0 at small
 * noise) the exact score is a posterior quantity and the fast one may be
 * off by as much as two candidate seeds' scores differ: that is the
 * point of the family.
 * logpdf is the exact 2^n-term mixture and answers SC_ENOTSUP when
 * n > SC_OWF_EXACT_MAX_SEED_BITS.
 *
 * Bits: a seed and an image travel packed, bit i of a byte string B is
 * (B[i / 8] >> (i % 8)) & 1, and bits past n (or m) in the last byte are
 * zero.
 *
 * Ownership: callers own every buffer; nothing here hands out memory.
 * Every function is safe to call from many threads on one sc_dist.
 */
#ifndef SC_OWF_H
#define SC_OWF_H

#include <stddef.h>
#include <stdint.h>

#include "sc_core.h"

/* Accuracy the fast score is held to, and the typical-point margin. */
#define SC_OWF_SCORE_TOL 1e-9
#define SC_OWF_TYPICAL_SD 6.0
/* Largest seed for the exact 2^n-term sums (and the image table). */
#define SC_OWF_EXACT_MAX_SEED_BITS 16u
/* Hidden samples drawn at most per measurement (each draw fails with
 * probability <= 1/2 by validate's rule on s_y). */
#define SC_OWF_MAX_DRAWS 256u

/* Packed bytes of n seed bits and of m image bits. */
static inline size_t sc_owf_bytes(unsigned bits) { return (bits + 7) / 8; }

/* Bit i of a packed byte string. */
static inline unsigned sc_owf_bit(const uint8_t *b, unsigned i)
{
    return (b[i / 8] >> (i % 8)) & 1u;
}

/* bits_out (sc_owf_bytes(m) bytes) = the first m bits of
 * BLAKE2b-512(key = f_key, message = seed_bytes[0 .. sc_owf_bytes(n))).
 * m <= SC_MAX_IMAGE_BITS. */
void sc_owf_f(const uint8_t f_key[SC_KEY_BYTES], const uint8_t *seed_bytes,
              unsigned n, unsigned m, uint8_t *bits_out);

/* OU time from which the fast score uses the blurred-phase form. */
double sc_owf_switch_time(const sc_dist *d);

/* The exact 2^n-term score (n <= SC_OWF_EXACT_MAX_SEED_BITS, else
 * SC_ENOTSUP); same layout as sc_dist_score. */
int sc_owf_score_exact(const sc_dist *d, size_t npts, const double *x,
                       double t, double *out);

/*
 * The posterior game's measurement.  Draws the hidden sample x_star
 * (dim) at t = 0 from stream (key, SC_STREAM_GAME, id) and
 * y = V* + eta, eta ~ N(0, s_y^2 I_m) (m values), drawing again while
 * b_hat(y) != f(1[U* > 0]).  draws (may be NULL) gets the number of
 * hidden samples drawn.  SC_OK, or SC_ERANGE after SC_OWF_MAX_DRAWS.
 */
int sc_owf_measure(const sc_dist *d, const uint8_t key[SC_KEY_BYTES],
                   uint64_t id, double *x_star, double *y, unsigned *draws);

/* b_hat(y): bit j is 1 iff y_j is nearer delta Z + delta / 2 than
 * delta Z.  bits gets sc_owf_bytes(m) bytes. */
void sc_owf_bhat(const sc_dist *d, const double *y, uint8_t *bits);

/* Image bits of f(1[U' > 0]) that agree with b_hat(y), for a submitted
 * sample x (dim values); m means the sample inverts f. */
unsigned sc_owf_check_sample(const sc_dist *d, const double *y,
                             const double *x);

/* The same for a submitted packed seed: the matched bit count, or
 * SC_EINVAL when seed_len != sc_owf_bytes(n) or a bit past n is set. */
int sc_owf_check_seed(const sc_dist *d, const double *y,
                      const uint8_t *seed, size_t seed_len);

#endif

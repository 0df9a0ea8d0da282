/*
 * The ziggurat tables behind sc_stream_normal (core-internal).
 * Generated once by scripts/gen_ziggurat.py as hexadecimal constants, so
 * every machine decides the fast path with the same bits;
 * tests/unit/test_rng.c checks them against the defining equations.
 */
#ifndef SC_ZIGGURAT_H
#define SC_ZIGGURAT_H

#include <stdint.h>

#define SC_ZIG_LAYERS 1024

/* Start of the tail (X[1]) and the area of every layer. */
extern const double sc_zig_r;
extern const double sc_zig_v;
/* X[i] * 2^-53, i = 0 .. 1023 (X[0] = V / f(R) is the base's width). */
extern const double sc_zig_w[SC_ZIG_LAYERS];
/* floor(2^53 X[i+1] / X[i]): the fast-acceptance bound of layer i. */
extern const uint64_t sc_zig_k[SC_ZIG_LAYERS];
/* exp(-X[i]^2 / 2), i = 0 .. 1024. */
extern const double sc_zig_f[SC_ZIG_LAYERS + 1];

#endif

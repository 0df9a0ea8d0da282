/* Keyed streams, uniforms, ziggurat normals and oracle noise.  Reference
 * values are computed independently: keystream straight from libsodium,
 * the normal law from erfc, table equations from libm. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/sc_rng.h"
#include "core/sc_ziggurat.h"
#include "ks.h"

static const uint8_t key_a[SC_KEY_BYTES] = {1, 2, 3};
static const uint8_t key_b[SC_KEY_BYTES] = {1, 2, 4};

/* Word i of stream (key, purpose, id), straight from libsodium. */
static uint64_t direct_word(const uint8_t *key, uint32_t purpose,
                            uint64_t id, uint64_t i)
{
    uint8_t nonce[12], block[64] = {0};
    uint64_t w = 0;
    for (int b = 0; b < 4; b++)
        nonce[b] = (uint8_t)(purpose >> (8 * b));
    for (int b = 0; b < 8; b++)
        nonce[4 + b] = (uint8_t)(id >> (8 * b));
    crypto_stream_chacha20_ietf_xor_ic(block, block, sizeof block, nonce,
                                       (uint32_t)(i / 8), key);
    for (int b = 7; b >= 0; b--)
        w = w << 8 | block[8 * (i % 8) + (unsigned)b];
    return w;
}

static void words_are_the_chacha20_keystream(void **state)
{
    (void)state;
    sc_stream s;
    sc_stream_init(&s, key_a, SC_STREAM_POINT, 77);
    /* Long enough to cross several refills of growing size. */
    for (uint64_t i = 0; i < 5000; i++)
        assert_true(sc_stream_u64(&s) ==
                    direct_word(key_a, SC_STREAM_POINT, 77, i));
    sc_stream_wipe(&s);
}

static void seek_reads_the_same_word(void **state)
{
    (void)state;
    const uint64_t at[] = {0,    1,         7,           8,
                           255,  256,       257,         1000,
                           3,    (1u << 20) + 3, (UINT64_C(1) << 35) - 1,
                           (UINT64_C(1) << 34) + 5};
    sc_stream s;
    sc_stream_init(&s, key_b, SC_STREAM_GAME, 5);
    for (size_t j = 0; j < sizeof at / sizeof at[0]; j++) {
        sc_stream_seek(&s, at[j]);
        for (uint64_t i = at[j]; i < at[j] + 20; i++)
            assert_true(sc_stream_u64(&s) ==
                        direct_word(key_b, SC_STREAM_GAME, 5, i));
    }
    /* Positions wrap at 2^35 words, the end of the IETF counter. */
    sc_stream_seek(&s, UINT64_C(1) << 35);
    assert_true(sc_stream_u64(&s) == direct_word(key_b, SC_STREAM_GAME, 5, 0));
    sc_stream_wipe(&s);
}

static void keys_purposes_and_ids_differ(void **state)
{
    (void)state;
    sc_stream s;
    uint64_t w[4];
    const uint8_t *keys[] = {key_a, key_b, key_a, key_a};
    const uint32_t purposes[] = {1, 1, 2, 1};
    const uint64_t ids[] = {0, 0, 0, 1};
    for (int i = 0; i < 4; i++) {
        sc_stream_init(&s, keys[i], purposes[i], ids[i]);
        w[i] = sc_stream_u64(&s);
    }
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            assert_true(w[i] != w[j]);
    sc_stream_wipe(&s);
}

static void kdf_separates_contexts(void **state)
{
    (void)state;
    uint8_t a[SC_KEY_BYTES], b[SC_KEY_BYTES], c[SC_KEY_BYTES];
    sc_kdf(a, key_a, 0, SC_CTX_SECRET);
    sc_kdf(b, key_a, 0, SC_CTX_SAMPLE);
    sc_kdf(c, key_a, 1, SC_CTX_SECRET);
    assert_memory_not_equal(a, b, SC_KEY_BYTES);
    assert_memory_not_equal(a, c, SC_KEY_BYTES);
    sc_kdf(b, key_a, 0, SC_CTX_SECRET);
    assert_memory_equal(a, b, SC_KEY_BYTES);
}

static void uniforms_are_53_bit_and_open(void **state)
{
    (void)state;
    sc_stream s;
    size_t n = 1u << 20;
    double mean = 0;
    sc_stream_init(&s, key_a, SC_STREAM_POINT, 1);
    for (uint64_t i = 0; i < n; i++) {
        double u = sc_stream_uniform(&s);
        uint64_t w = direct_word(key_a, SC_STREAM_POINT, 1, i);
        if (i < 2000)
            assert_true(u == ((double)(w >> 11) + 0.5) * 0x1.0p-53);
        assert_true(u > 0 && u < 1);
        mean += u;
    }
    mean /= (double)n;
    assert_true(fabs(mean - 0.5) < 5 * sqrt(1.0 / 12 / (double)n));
    sc_stream_wipe(&s);
}

static double *draw_normals(const uint8_t *key, uint64_t id, size_t n)
{
    sc_stream s;
    double *z = malloc(n * sizeof *z);
    assert_non_null(z);
    sc_stream_init(&s, key, SC_STREAM_POINT, id);
    sc_stream_normals(&s, n, z);
    sc_stream_wipe(&s);
    return z;
}

/* Mean, variance, skewness and kurtosis within 5 standard errors. */
static void normal_moments(void **state)
{
    (void)state;
    size_t n = 1u << 22;
    double *z = draw_normals(key_a, 2, n);
    double m1 = 0, m2 = 0, m3 = 0, m4 = 0, dn = (double)n;
    for (size_t i = 0; i < n; i++) {
        double x = z[i], x2 = x * x;
        m1 += x;
        m2 += x2;
        m3 += x2 * x;
        m4 += x2 * x2;
    }
    assert_true(fabs(m1 / dn) < 5 * sqrt(1 / dn));
    assert_true(fabs(m2 / dn - 1) < 5 * sqrt(2 / dn));
    assert_true(fabs(m3 / dn) < 5 * sqrt(15 / dn));
    assert_true(fabs(m4 / dn - 3) < 5 * sqrt(96 / dn));
    free(z);
}

static double phi_cdf(double x, const void *ctx)
{
    (void)ctx;
    return 0.5 * erfc(-x / M_SQRT2);
}

/* Count of |z| > a against its binomial law, within 5 standard errors. */
static void check_tail(const double *z, size_t n, double a)
{
    double p = erfc(a / M_SQRT2), count = 0;
    for (size_t i = 0; i < n; i++)
        count += fabs(z[i]) > a;
    double want = p * (double)n, sd = sqrt((double)n * p * (1 - p));
    if (!(fabs(count - want) < 5 * sd))
        fail_msg("|z| > %g: %g draws, expected %g +- %g", a, count, want,
                 sd);
}

static void normals_follow_phi(void **state)
{
    (void)state;
    size_t n = 1u << 21;
    for (uint64_t id = 0; id < 3; id++) {
        double *z = draw_normals(key_b, id, n);
        check_tail(z, n, 1.0);
        check_tail(z, n, 3.0);
        check_tail(z, n, sc_zig_r); /* the tail sampler alone */
        check_tail(z, n, 4.5);
        assert_true(sc_test_ks(z, n, phi_cdf, NULL) < 1.95);
        free(z);
    }
}

/* One word per normal: bulk, one by one and after a seek agree. */
static void normals_sit_at_fixed_positions(void **state)
{
    (void)state;
    size_t n = 5000;
    double *bulk = draw_normals(key_a, 9, n);
    sc_stream s;
    sc_stream_init(&s, key_a, SC_STREAM_POINT, 9);
    for (size_t i = 0; i < n; i++)
        assert_true(sc_stream_normal(&s) == bulk[i]);
    assert_true(sc_stream_u64(&s) ==
                direct_word(key_a, SC_STREAM_POINT, 9, n));
    size_t slow = 0;
    for (size_t i = 0; i < n; i += 1 + i % 7) {
        uint64_t w = direct_word(key_a, SC_STREAM_POINT, 9, i);
        slow += (w >> 11) >= sc_zig_k[w & (SC_ZIG_LAYERS - 1)];
        sc_stream_seek(&s, i);
        assert_true(sc_stream_normal(&s) == bulk[i]);
        double two[2];
        sc_stream_seek(&s, i);
        sc_stream_normals(&s, 2, two);
        assert_true(two[0] == bulk[i]);
        assert_true(i + 1 == n || two[1] == bulk[i + 1]);
    }
    assert_true(slow > 0); /* some seeks landed on a rejection */
    sc_stream_wipe(&s);
    free(bulk);
}

/* int_a^b exp(-x^2/2) dx */
static double gauss_mass(double a, double b)
{
    return sqrt(M_PI / 2) * (erf(b / M_SQRT2) - erf(a / M_SQRT2));
}

static double zig_x(size_t i)
{
    return i < SC_ZIG_LAYERS ? sc_zig_w[i] * 0x1.0p53 : 0.0;
}

/* The law of |z| for a normal whose word failed the fast test in layer
 * i: the tail beyond R (i = 0), else the wedge under the curve with its
 * acceptance probability, and a fresh normal after a rejection. */
static double slow_cdf(size_t i, double z)
{
    if (i == 0)
        return z <= sc_zig_r
                   ? 0.0
                   : 1 - erfc(z / M_SQRT2) / erfc(sc_zig_r / M_SQRT2);
    double lo = zig_x(i + 1), hi = zig_x(i), floor_f = sc_zig_f[i];
    double wedge = gauss_mass(lo, hi) - floor_f * (hi - lo);
    double accept = wedge / ((hi - lo) * (sc_zig_f[i + 1] - floor_f));
    double c = fmin(fmax(z, lo), hi);
    double g = (gauss_mass(lo, c) - floor_f * (c - lo)) / wedge;
    return accept * g + (1 - accept) * erf(z / M_SQRT2);
}

static double uniform_cdf(double u, const void *ctx)
{
    (void)ctx;
    return u;
}

/* The rare slow path on its own: every draw whose word fails the fast
 * test, mapped through the law it should follow (probability integral
 * transform), must look uniform; tail draws also by themselves. */
static void slow_path_draws_follow_their_law(void **state)
{
    (void)state;
    size_t n = 1u << 24, nslow = 0, ntail = 0;
    double *z = draw_normals(key_b, 31, n);
    double *u = malloc(n / 64 * sizeof *u), *tail = malloc(4096 * 8);
    sc_stream s;
    assert_non_null(u);
    assert_non_null(tail);
    sc_stream_init(&s, key_b, SC_STREAM_POINT, 31);
    for (size_t p = 0; p < n; p++) {
        uint64_t w = sc_stream_u64(&s);
        size_t i = w & (SC_ZIG_LAYERS - 1);
        if ((w >> 11) < sc_zig_k[i])
            continue;
        assert_true(nslow < n / 64);
        u[nslow++] = slow_cdf(i, fabs(z[p]));
        if (i == 0 && ntail < 4096)
            tail[ntail++] = slow_cdf(0, fabs(z[p]));
    }
    assert_true(nslow > 50000 && ntail > 500);
    assert_true(sc_test_ks(u, nslow, uniform_cdf, NULL) < 1.95);
    assert_true(sc_test_ks(tail, ntail, uniform_cdf, NULL) < 1.95);
    sc_stream_wipe(&s);
    free(tail);
    free(u);
    free(z);
}

/* The tables satisfy the ziggurat's defining equations (with libm). */
static void ziggurat_tables_are_consistent(void **state)
{
    (void)state;
    const double v = sc_zig_v, r = sc_zig_r;
    double x[SC_ZIG_LAYERS + 1];
    for (size_t i = 0; i < SC_ZIG_LAYERS; i++)
        x[i] = sc_zig_w[i] * 0x1.0p53;
    x[SC_ZIG_LAYERS] = 0;
    assert_true(x[1] == r);
    double base = r * exp(-r * r / 2) + sqrt(M_PI / 2) * erfc(r / M_SQRT2);
    assert_true(fabs(base - v) < 1e-15);
    assert_true(fabs(x[0] * exp(-r * r / 2) - v) < 1e-15);
    assert_true(sc_zig_f[SC_ZIG_LAYERS] == 1.0);
    for (size_t i = 0; i < SC_ZIG_LAYERS; i++) {
        assert_true(x[i + 1] < x[i]);
        /* x[i] is rounded: exp(-x^2/2) moves by x^2 eps relative. */
        assert_true(fabs(sc_zig_f[i] - exp(-x[i] * x[i] / 2)) <=
                    (2 + x[i] * x[i]) * 0x1.0p-52 * sc_zig_f[i]);
        double k = 0x1.0p53 * x[i + 1] / x[i];
        assert_true(fabs((double)sc_zig_k[i] - k) <= 1 + 8 * 0x1.0p-52 * k);
        if (i >= 1) {
            double area = x[i] * (sc_zig_f[i + 1] - sc_zig_f[i]);
            assert_true(fabs(area - v) < 1e-12 * v);
        }
    }
}

static void oracle_noise_is_deterministic(void **state)
{
    (void)state;
    double x[5] = {0.5, -1, 2, 0, 3}, y[5], a[5] = {0}, b[5] = {0};
    uint8_t nk[SC_KEY_BYTES] = {5};
    sc_oracle_noise(nk, 0.3, x, 5, 0.1, a);
    sc_oracle_noise(nk, 0.3, x, 5, 0.1, b);
    assert_memory_equal(a, b, sizeof a);
    memcpy(y, x, sizeof y);
    y[3] = -0.0; /* the same point */
    memset(b, 0, sizeof b);
    sc_oracle_noise(nk, 0.3, y, 5, 0.1, b);
    assert_memory_equal(a, b, sizeof a);
    y[4] = nextafter(3, 4);
    memset(b, 0, sizeof b);
    sc_oracle_noise(nk, 0.3, y, 5, 0.1, b);
    assert_memory_not_equal(a, b, sizeof a);
    memset(b, 0, sizeof b);
    sc_oracle_noise(nk, 0.30000001, x, 5, 0.1, b);
    assert_memory_not_equal(a, b, sizeof a);
    nk[0] = 6;
    memset(b, 0, sizeof b);
    sc_oracle_noise(nk, 0.3, x, 5, 0.1, b);
    assert_memory_not_equal(a, b, sizeof a);
    /* It adds to the score, and rms 0 adds nothing. */
    for (int i = 0; i < 5; i++)
        b[i] = 1.0;
    nk[0] = 5;
    sc_oracle_noise(nk, 0.3, x, 5, 0.1, b);
    for (int i = 0; i < 5; i++)
        assert_true(b[i] == 1.0 + a[i]);
    sc_oracle_noise(nk, 0.3, x, 5, 0.0, b);
    for (int i = 0; i < 5; i++)
        assert_true(b[i] == 1.0 + a[i]);
}

/* E|e|^2 = rms^2: |e|^2 d / rms^2 is chi-square with d degrees. */
static void oracle_noise_has_the_rms(void **state)
{
    (void)state;
    const size_t d[] = {1, 16, 700};
    const uint8_t nk[SC_KEY_BYTES] = {11};
    double rms = 0.25;
    for (size_t c = 0; c < 3; c++) {
        size_t points = 4000;
        double *x = calloc(d[c], sizeof *x), *e = malloc(d[c] * sizeof *e);
        double sum = 0, mean0 = 0;
        assert_non_null(x);
        assert_non_null(e);
        for (size_t i = 0; i < points; i++) {
            x[0] = (double)i;
            memset(e, 0, d[c] * sizeof *e);
            sc_oracle_noise(nk, 0.1, x, d[c], rms, e);
            for (size_t j = 0; j < d[c]; j++)
                sum += e[j] * e[j];
            mean0 += e[0];
        }
        double n = (double)points;
        double se = rms * rms * sqrt(2.0 / ((double)d[c] * n));
        assert_true(fabs(sum / n - rms * rms) < 5 * se);
        assert_true(fabs(mean0 / n) <
                    5 * rms / sqrt((double)d[c] * n));
        free(x);
        free(e);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(words_are_the_chacha20_keystream),
        cmocka_unit_test(seek_reads_the_same_word),
        cmocka_unit_test(keys_purposes_and_ids_differ),
        cmocka_unit_test(kdf_separates_contexts),
        cmocka_unit_test(uniforms_are_53_bit_and_open),
        cmocka_unit_test(normal_moments),
        cmocka_unit_test(normals_follow_phi),
        cmocka_unit_test(normals_sit_at_fixed_positions),
        cmocka_unit_test(slow_path_draws_follow_their_law),
        cmocka_unit_test(ziggurat_tables_are_consistent),
        cmocka_unit_test(oracle_noise_is_deterministic),
        cmocka_unit_test(oracle_noise_has_the_rms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

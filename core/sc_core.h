/*
 * scoracle core: the distribution families behind one interface.
 *
 * Pure computation: no I/O, no JSON, no HTTP.  Arrays in, arrays out,
 * errors as codes.  Units are standard-normal units and noise is the
 * Ornstein-Uhlenbeck time t >= 0 of docs/MATH.md section 0.
 *
 * Error convention: every int-returning function answers SC_OK (0) or a
 * negative SC_E* code.  Where an sc_error is passed, a failing call fills
 * it with the offending field and a sentence naming the allowed range.
 *
 * Ownership: callers own every buffer they pass in.  sc_dist_new()
 * allocates a distribution that only sc_dist_free() releases;
 * sc_params_clear() releases what a params struct points to (weights).
 * Nothing else in core hands out memory.
 *
 * Thread safety: a constructed sc_dist is immutable; any number of
 * threads may call sample/logpdf/score on it at once.
 */
#ifndef SC_CORE_H
#define SC_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    SC_OK = 0,
    SC_EINVAL = -1,  /* invalid parameter or argument */
    SC_ENOMEM = -2,  /* allocation failed */
    SC_ERANGE = -3,  /* a size beyond the limits below */
    SC_ENOTSUP = -4, /* the family cannot do this (exact owf density,
                      * large n) */
};

#define SC_KEY_BYTES 32
#define SC_MAX_DIM 4096u
#define SC_MAX_COMPONENTS 4096u
#define SC_MAX_SEED_BITS 64u
#define SC_MAX_IMAGE_BITS 512u

/* A field-level error: which field, and what is allowed. */
typedef struct sc_error {
    char field[48];
    char message[208];
} sc_error;

/* Fills err (if not NULL) with field and a printf-formatted message and
 * returns SC_EINVAL, so validators can write `return sc_fail(...)`. */
int sc_fail(sc_error *err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* |x|^2 / 2 of the n values x when the plain sum of squares overflowed
 * (past |x| ~ 1.3e154): squares of x scaled by 2^-600 are summed and the
 * scale restored exactly, so the answer is finite up to |x| ~ 1.9e154
 * and +inf only beyond what a double holds. */
double sc_half_norm2_scaled(const double *x, size_t n);

/*
 * Public parameters of every family, in one struct; each family reads the
 * fields its spec table lists and ignores the rest.  Zero-initialise, let
 * a decoder set what the request gives, then validate() fills defaults.
 */
typedef struct sc_params {
    uint32_t dim;        /* all families; owf: seed_bits + image_bits */
    double gamma, sigma; /* pancakes */
    uint32_t components; /* pancakes: 0 = untruncated, else odd; gmm: K */
    double spread;       /* gmm: means ~ N(0, spread^2 I) */
    double variance;     /* gmm: every component's variance */
    double *weights;     /* gmm: optional, nweights == components; owned */
    uint32_t nweights;
    uint32_t seed_bits, image_bits;           /* owf */
    double radius, delta, tau, s0, s_y;       /* owf */
    uint8_t f_key[SC_KEY_BYTES];              /* owf: public key of f */
    bool has_f_key;                           /* owf: f_key was given */
} sc_params;

/* Releases weights; leaves p zeroed. */
void sc_params_clear(sc_params *p);
/* Deep copy (weights included).  SC_OK or SC_ENOMEM. */
int sc_params_copy(sc_params *dst, const sc_params *src);

typedef enum sc_param_type {
    SC_PT_UINT,   /* uint32_t */
    SC_PT_DOUBLE, /* double */
    SC_PT_DVEC,   /* double * with its length in count_offset (uint32_t) */
    SC_PT_HEX32,  /* uint8_t[32], travels as 64 hex digits */
} sc_param_type;

enum {
    SC_PF_REQUIRED = 1u << 0, /* the request must give it */
    SC_PF_MIN_OPEN = 1u << 1, /* min is exclusive */
    SC_PF_OUTPUT = 1u << 2,   /* shown in responses; requests may not set it */
    SC_PF_OPTIONAL = 1u << 3, /* may be absent from responses too (DVEC) */
};

/* One public parameter: the declarative table wire decoders walk. */
typedef struct sc_param_spec {
    const char *name;
    sc_param_type type;
    size_t offset;       /* offsetof(sc_params, field) */
    size_t count_offset; /* SC_PT_DVEC: offsetof the uint32_t length */
    unsigned flags;
    double min, max;     /* scalar range (before validate's cross-checks) */
    const char *doc;     /* one line for documentation and errors */
} sc_param_spec;

typedef struct sc_dist sc_dist;

/* The three oracles, in the order of the server's meters. */
typedef enum sc_oracle {
    SC_ORACLE_SAMPLE = 0,
    SC_ORACLE_SCORE = 1,
    SC_ORACLE_LOGPDF = 2,
} sc_oracle;

/* A view of one secret array, for reveal and commitments. */
typedef struct sc_secret_view {
    const char *name;   /* "u", "means", "weights" */
    const double *data; /* row-major */
    size_t rows, cols;  /* a vector has rows == 1 */
    bool matrix;        /* render as a list of rows */
} sc_secret_view;

/*
 * A family: the vtable every distribution implements.  Families are
 * immutable singletons (sc_family_find).
 */
typedef struct sc_family {
    const char *name;
    const sc_param_spec *spec;
    size_t nspec;
    /* Fills defaults and checks ranges and cross-field rules. */
    int (*validate)(sc_params *p, sc_error *err);
    /* Derives the secret from secret_key (KDF(instance key,
     * SC_CTX_SECRET)) and precomputes; d->params is valid. */
    int (*init)(sc_dist *d, const uint8_t key[SC_KEY_BYTES]);
    void (*fini)(sc_dist *d);
    /* Points first .. first+n-1 of the sample stream at OU time t into
     * out (n x dim, row-major).  Point i is a pure function of (key, i, t). */
    int (*sample)(const sc_dist *d, uint64_t first, size_t n, double t,
                  double *out);
    /* log P_t at n points x (n x dim) into out (n). */
    int (*logpdf)(const sc_dist *d, size_t n, const double *x, double t,
                  double *out);
    /* grad log P_t at n points into out (n x dim). */
    int (*score)(const sc_dist *d, size_t n, const double *x, double t,
                 double *out);
    /* Up to cap secret arrays, in canonical order; answers the count. */
    size_t (*secret)(const sc_dist *d, sc_secret_view *v, size_t cap);
    /* Optional (NULL: n * dim for every oracle): see sc_dist_cost. */
    int (*cost)(const sc_dist *d, sc_oracle op, size_t n, double *work,
                sc_error *err);
} sc_family;

/* The common part of every distribution; families keep their own state
 * behind priv. */
struct sc_dist {
    const sc_family *fam;
    sc_params params;
    uint8_t sample_key[SC_KEY_BYTES]; /* KDF(instance key, SC_CTX_SAMPLE) */
    void *priv;
};

/* The families this build serves, NULL-terminated. */
extern const sc_family *const sc_families[];
/* By name, or NULL. */
const sc_family *sc_family_find(const char *name);

extern const sc_family sc_family_gaussian;
extern const sc_family sc_family_pancakes;
extern const sc_family sc_family_gmm;
extern const sc_family sc_family_owf;

/*
 * Validates a copy of p (defaults filled) and answers a distribution.
 * key is the instance key (sc_rng.h); the secret key handed to init and
 * d->sample_key are derived from it, each under its own context.
 */
int sc_dist_new(const sc_family *fam, const sc_params *p,
                const uint8_t key[SC_KEY_BYTES], sc_dist **out,
                sc_error *err);
void sc_dist_free(sc_dist *d);

static inline uint32_t sc_dist_dim(const sc_dist *d) { return d->params.dim; }

/* Argument checks (t finite and >= 0, n within limits) happen here, then
 * the family's function runs. */
int sc_dist_sample(const sc_dist *d, uint64_t first, size_t n, double t,
                   double *out);
int sc_dist_logpdf(const sc_dist *d, size_t n, const double *x, double t,
                   double *out);
int sc_dist_score(const sc_dist *d, size_t n, const double *x, double t,
                  double *out);
size_t sc_dist_secret(const sc_dist *d, sc_secret_view *v, size_t cap);

/*
 * Whether d answers op at all, and the work of n points in rough
 * nanoseconds of one core (a pass over an n x dim batch is about n * dim),
 * so callers can refuse or schedule a call before running it.
 * SC_ENOTSUP, with err saying why, when the family cannot answer op for
 * these parameters (e.g. the exact owf density beyond 16 seed bits).
 */
int sc_dist_cost(const sc_dist *d, sc_oracle op, size_t n, double *work,
                 sc_error *err);

/* Canonical secret bytes (proto/API.md): every secret array as
 * little-endian float64 in order.  Answers the length needed; writes at
 * most cap bytes. */
size_t sc_dist_secret_bytes(const sc_dist *d, uint8_t *buf, size_t cap);

#endif

/*
 * NPY (NumPy's .npy, format versions 1.0, 2.0 and 3.0) for float64
 * matrices and vectors.  The header is a Python dict literal; we accept
 * exactly the grammar numpy writes (keys 'descr', 'fortran_order' and
 * 'shape' once each, in any order, an optional trailing comma, spaces
 * and tabs between tokens, spaces then one '\n' after the dict) and
 * refuse anything else.  Structural faults are 400s (the body is not an
 * NPY file), well-formed arrays we do not serve are 422s.
 */
#include "sc_wire.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAGIC_LEN 6
#define NPY_ALIGN 64
/* numpy >= 1.23 leaves room for the first axis to grow to this many
 * digits in place; we pad alike so our bytes equal numpy's. */
#define NPY_GROWTH_DIGITS 21
#define NPY_MAX_NDIM 32

typedef struct npy_cursor {
    const char *s;
    size_t n, i;
} npy_cursor;

typedef struct npy_header {
    char descr[16];
    bool descr_fits;
    bool fortran;
    size_t ndim;
    uint64_t shape[NPY_MAX_NDIM];
    bool huge; /* some dimension does not fit in 64 bits */
    unsigned seen; /* bit per key */
} npy_header;

static int bad(sc_problem *pb, const char *what)
{
    return sc_problem_set(pb, 400, "malformed-request",
                          "not a valid NPY file: %s", what);
}

static void skip_ws(npy_cursor *c)
{
    while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t'))
        c->i++;
}

static bool eat(npy_cursor *c, char ch)
{
    skip_ws(c);
    if (c->i < c->n && c->s[c->i] == ch) {
        c->i++;
        return true;
    }
    return false;
}

static bool eat_word(npy_cursor *c, const char *w)
{
    size_t len = strlen(w);
    skip_ws(c);
    if (c->n - c->i >= len && memcmp(c->s + c->i, w, len) == 0) {
        c->i += len;
        return true;
    }
    return false;
}

/* A quoted string of printable ASCII without escapes (none of numpy's
 * header strings needs one); answers its span in the header. */
static bool parse_str(npy_cursor *c, const char **str, size_t *len)
{
    char q;
    skip_ws(c);
    if (c->i >= c->n || (c->s[c->i] != '\'' && c->s[c->i] != '"'))
        return false;
    q = c->s[c->i++];
    *str = c->s + c->i;
    while (c->i < c->n && c->s[c->i] != q) {
        if (c->s[c->i] < 0x20 || c->s[c->i] > 0x7e || c->s[c->i] == '\\')
            return false;
        c->i++;
    }
    if (c->i >= c->n)
        return false;
    *len = (size_t)(c->s + c->i - *str);
    c->i++;
    return true;
}

/* A Python int literal as numpy writes it: digits, no leading zero. */
static bool parse_dim(npy_cursor *c, uint64_t *out, bool *huge)
{
    size_t start;
    uint64_t v = 0;
    skip_ws(c);
    start = c->i;
    while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9') {
        unsigned d = (unsigned)(c->s[c->i++] - '0');
        if (v > (UINT64_MAX - d) / 10)
            *huge = true;
        v = v * 10 + d;
    }
    if (c->i == start || (c->s[start] == '0' && c->i - start > 1))
        return false;
    *out = v;
    return true;
}

/* () or (n,) or (n, m, ...) with an optional trailing comma. */
static bool parse_shape(npy_cursor *c, npy_header *h)
{
    bool comma = false;
    if (!eat(c, '('))
        return false;
    if (eat(c, ')'))
        return true;
    for (;;) {
        uint64_t d;
        if (h->ndim == NPY_MAX_NDIM || !parse_dim(c, &d, &h->huge))
            return false;
        h->shape[h->ndim++] = d;
        comma = eat(c, ',');
        if (eat(c, ')'))
            break;
        if (!comma)
            return false;
    }
    /* (3) is the integer 3, not a tuple */
    return h->ndim > 1 || comma;
}

enum { KEY_DESCR = 1, KEY_FORTRAN = 2, KEY_SHAPE = 4 };

static bool parse_value(npy_cursor *c, unsigned key, npy_header *h)
{
    const char *s;
    size_t len;
    switch (key) {
    case KEY_DESCR:
        if (!parse_str(c, &s, &len))
            return false;
        h->descr_fits = len < sizeof h->descr;
        snprintf(h->descr, sizeof h->descr, "%.*s", (int)len, s);
        return true;
    case KEY_FORTRAN:
        h->fortran = eat_word(c, "True");
        return h->fortran || eat_word(c, "False");
    default:
        return parse_shape(c, h);
    }
}

static unsigned key_of(const char *s, size_t len)
{
    static const struct { const char *name; unsigned bit; } keys[] = {
        {"descr", KEY_DESCR},
        {"fortran_order", KEY_FORTRAN},
        {"shape", KEY_SHAPE},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strlen(keys[i].name) == len && memcmp(keys[i].name, s, len) == 0)
            return keys[i].bit;
    return 0;
}

static int parse_dict(npy_cursor *c, npy_header *h, sc_problem *pb)
{
    if (!eat(c, '{'))
        return bad(pb, "the header is not a dict");
    while (!eat(c, '}')) {
        const char *k;
        size_t len;
        unsigned key;
        if (!parse_str(c, &k, &len) || !eat(c, ':'))
            return bad(pb, "the header dict is malformed");
        key = key_of(k, len);
        if (key == 0 || (h->seen & key))
            return bad(pb, key == 0 ? "the header has an unknown key"
                                    : "the header repeats a key");
        h->seen |= key;
        if (!parse_value(c, key, h))
            return bad(pb, "a header value is malformed");
        if (eat(c, '}'))
            break;
        if (!eat(c, ','))
            return bad(pb, "the header dict is malformed");
    }
    if (h->seen != (KEY_DESCR | KEY_FORTRAN | KEY_SHAPE))
        return bad(pb, "the header lacks descr, fortran_order or shape");
    while (c->i < c->n && c->s[c->i] == ' ')
        c->i++;
    if (c->i + 1 != c->n || c->s[c->i] != '\n')
        return bad(pb, "the header does not end in spaces and a newline");
    return 0;
}

/* The header's length field: 2 bytes in 1.0, 4 bytes in 2.0 and 3.0. */
static int header_span(const uint8_t *buf, size_t len, size_t *off,
                       size_t *hlen, sc_problem *pb)
{
    if (len < NPY_MAGIC_LEN + 4 || memcmp(buf, NPY_MAGIC, NPY_MAGIC_LEN))
        return bad(pb, "the magic string \\x93NUMPY is missing");
    if (buf[7] != 0 || buf[6] < 1 || buf[6] > 3)
        return sc_problem_set(pb, 400, "malformed-request", "NPY format "
                              "version %u.%u is not supported (1.0, 2.0 "
                              "and 3.0 are)", buf[6], buf[7]);
    if (buf[6] == 1) {
        *off = 10;
        *hlen = (size_t)buf[8] | (size_t)buf[9] << 8;
    } else {
        if (len < 12)
            return bad(pb, "the header is truncated");
        *off = 12;
        *hlen = (size_t)buf[8] | (size_t)buf[9] << 8 |
                (size_t)buf[10] << 16 | (size_t)buf[11] << 24;
    }
    if (*hlen > len - *off)
        return bad(pb, "the header is truncated");
    return 0;
}

/* Shape limits: 1-D or 2-D, '<f8' in C order, the size agreeing with
 * the data, and at least one point of at least one coordinate. */
static int check_header(const npy_header *h, size_t data_len, size_t *rows,
                        size_t *cols, sc_problem *pb)
{
    if (!h->descr_fits || strcmp(h->descr, "<f8") != 0)
        return sc_problem_set(pb, 422, "invalid-parameters", "NPY dtype "
                              "'%s' is not served; only '<f8' "
                              "(little-endian float64) is", h->descr);
    if (h->fortran)
        return sc_problem_set(pb, 422, "invalid-parameters", "NPY "
                              "fortran_order True is not served; send C "
                              "order");
    if (h->ndim != 1 && h->ndim != 2)
        return sc_problem_set(pb, 422, "invalid-parameters", "NPY array "
                              "has %zu dimensions; 1 or 2 are served",
                              h->ndim);
    *rows = (size_t)h->shape[0];
    *cols = h->ndim == 2 ? (size_t)h->shape[1] : 1;
    if (h->huge || h->shape[0] > SIZE_MAX ||
        (h->ndim == 2 && h->shape[1] > SIZE_MAX) ||
        (*cols != 0 && *rows > SIZE_MAX / sizeof(double) / *cols))
        return bad(pb, "the shape is too large");
    if (data_len != *rows * *cols * sizeof(double))
        return sc_problem_set(pb, 400, "malformed-request", "NPY data holds "
                              "%zu bytes; its shape needs %zu", data_len,
                              *rows * *cols * sizeof(double));
    if (*rows == 0 || *cols == 0)
        return sc_problem_set(pb, 422, "invalid-parameters", "no points: "
                              "the NPY array is empty");
    return 0;
}

/* '<f8' is the host's own layout: the data is copied, not converted
 * (the NPY batch is the oracles' fast path). */
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "scoracle's NPY codec assumes a little-endian host"
#endif

/* The index of the first NaN or Inf (all exponent bits set) among the
 * n doubles at p (any alignment), or n. */
static size_t first_nonfinite_bytes(const uint8_t *p, size_t n)
{
    const uint64_t exp = 0x7ffull << 52;
    uint64_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t u;
        memcpy(&u, p + i * sizeof u, sizeof u);
        bad |= (uint64_t)((u & exp) == exp);
    }
    for (size_t i = 0; bad && i < n; i++) {
        uint64_t u;
        memcpy(&u, p + i * sizeof u, sizeof u);
        if ((u & exp) == exp)
            return i;
    }
    return n;
}

/* Checks the whole file; *at is where its r x k numbers start. */
static int parse(const uint8_t *buf, size_t len, const uint8_t **at,
                 size_t *rows, size_t *cols, int *ndim, sc_problem *pb)
{
    npy_header h;
    npy_cursor c;
    size_t off = 0, hlen = 0, r = 0, k = 0, bad_at;

    memset(&h, 0, sizeof h);
    if (header_span(buf, len, &off, &hlen, pb))
        return -1;
    c = (npy_cursor){(const char *)buf + off, hlen, 0};
    if (parse_dict(&c, &h, pb) ||
        check_header(&h, len - off - hlen, &r, &k, pb))
        return -1;
    *at = buf + off + hlen;
    bad_at = first_nonfinite_bytes(*at, r * k);
    if (bad_at < r * k)
        return sc_problem_set(pb, 422, "invalid-parameters", "NPY value "
                              "%zu (row %zu) is not finite; numbers must "
                              "be finite", bad_at, bad_at / k);
    *rows = r;
    *cols = k;
    *ndim = (int)h.ndim;
    return 0;
}

int sc_npy_decode(const uint8_t *buf, size_t len, double **data,
                  size_t *rows, size_t *cols, int *ndim, sc_problem *pb)
{
    const uint8_t *at;
    double *m;

    *data = NULL;
    if (parse(buf, len, &at, rows, cols, ndim, pb))
        return -1;
    m = malloc(*rows * *cols * sizeof *m);
    if (m == NULL)
        return sc_problem_set(pb, 500, "internal", "out of memory for "
                              "%zu x %zu numbers", *rows, *cols);
    memcpy(m, at, *rows * *cols * sizeof *m);
    *data = m;
    return 0;
}

int sc_npy_view(const uint8_t *buf, size_t len, const double **view,
                double **owned, size_t *rows, size_t *cols, int *ndim,
                sc_problem *pb)
{
    const uint8_t *at;
    size_t n;

    *view = NULL;
    *owned = NULL;
    if (parse(buf, len, &at, rows, cols, ndim, pb))
        return -1;
    if ((uintptr_t)at % _Alignof(double) == 0) {
        *view = (const double *)(const void *)at;
        return 0;
    }
    n = *rows * *cols;
    *owned = malloc(n > 0 ? n * sizeof(double) : 1);
    if (*owned == NULL)
        return sc_problem_set(pb, 500, "internal", "out of memory for "
                              "%zu x %zu numbers", *rows, *cols);
    memcpy(*owned, at, n * sizeof(double));
    *view = *owned;
    return 0;
}

int sc_npy_alloc(size_t rows, size_t cols, int ndim, uint8_t **out,
                 size_t *len, double **data)
{
    char dict[128];
    int dlen, first;
    size_t hlen, n = ndim == 1 ? rows : rows * cols;
    uint8_t *b;

    *out = NULL;
    if ((ndim != 1 && ndim != 2) ||
        (ndim == 2 && cols != 0 && rows > SIZE_MAX / sizeof(double) / cols))
        return -1;
    dlen = ndim == 1
               ? snprintf(dict, sizeof dict, "{'descr': '<f8', "
                          "'fortran_order': False, 'shape': (%zu,), }", rows)
               : snprintf(dict, sizeof dict, "{'descr': '<f8', "
                          "'fortran_order': False, 'shape': (%zu, %zu), }",
                          rows, cols);
    first = snprintf(NULL, 0, "%zu", rows);
    /* like numpy, 1 to NPY_ALIGN bytes of padding, never none */
    hlen = (size_t)dlen + (size_t)(NPY_GROWTH_DIGITS - first) + 1;
    hlen += NPY_ALIGN - (10 + hlen) % NPY_ALIGN;
    if (n > (SIZE_MAX - 10 - hlen) / sizeof(double))
        return -1;
    /* malloc's alignment and a header that ends on NPY_ALIGN put the
     * data on a double's boundary. */
    b = malloc(10 + hlen + n * sizeof(double));
    if (b == NULL)
        return -1;
    memcpy(b, NPY_MAGIC "\x01\x00", 8);
    b[8] = (uint8_t)hlen;
    b[9] = (uint8_t)(hlen >> 8);
    memset(b + 10, ' ', hlen - 1);
    memcpy(b + 10, dict, (size_t)dlen);
    b[10 + hlen - 1] = '\n';
    *out = b;
    *len = 10 + hlen + n * sizeof(double);
    *data = (double *)(void *)(b + 10 + hlen);
    return 0;
}

int sc_npy_encode(const double *data, size_t rows, size_t cols, int ndim,
                  uint8_t **out, size_t *len)
{
    double *at;
    size_t n = ndim == 1 ? rows : rows * cols;

    if (sc_npy_alloc(rows, cols, ndim, out, len, &at) != 0)
        return -1;
    if (n > 0)
        memcpy(at, data, n * sizeof *data);
    return 0;
}

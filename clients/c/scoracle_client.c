/*
 * scoracle_client: libcurl transport, jansson bodies, problem details,
 * and the instance commitment of proto/API.md on libsodium.
 */
#include "clients/c/scoracle_client.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#define MAX_URL 2048
#define MAX_TOKEN 512

struct sc_client {
    CURL *curl;
    char base[MAX_URL / 2];
    char token[MAX_TOKEN];
    sc_client_error err;
};

/* A growing response body. */
typedef struct buffer {
    char *data;
    size_t len, cap;
    int oom;
} buffer;

int sc_client_global_init(void)
{
    if (sodium_init() < 0)
        return SC_CLIENT_ENOMEM;
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK
               ? SC_CLIENT_OK
               : SC_CLIENT_ENOMEM;
}

void sc_client_global_cleanup(void)
{
    curl_global_cleanup();
}

sc_client *sc_client_new(const char *base_url, const char *token)
{
    if (base_url == NULL || strlen(base_url) >= MAX_URL / 2)
        return NULL;
    sc_client *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->curl = curl_easy_init();
    if (c->curl == NULL || sc_client_set_token(c, token) != SC_CLIENT_OK) {
        sc_client_free(c);
        return NULL;
    }
    snprintf(c->base, sizeof c->base, "%s", base_url);
    size_t n = strlen(c->base);
    while (n > 0 && c->base[n - 1] == '/')
        c->base[--n] = '\0';
    return c;
}

void sc_client_free(sc_client *c)
{
    if (c == NULL)
        return;
    if (c->curl != NULL)
        curl_easy_cleanup(c->curl);
    sodium_memzero(c->token, sizeof c->token);
    free(c);
}

int sc_client_set_token(sc_client *c, const char *token)
{
    if (token != NULL && strlen(token) >= sizeof c->token)
        return SC_CLIENT_EINVAL;
    snprintf(c->token, sizeof c->token, "%s", token ? token : "");
    return SC_CLIENT_OK;
}

const sc_client_error *sc_client_last_error(const sc_client *c)
{
    return &c->err;
}

static int fail(sc_client *c, int code, long status, const char *type,
                const char *detail)
{
    c->err.status = status;
    snprintf(c->err.type, sizeof c->err.type, "%s", type ? type : "");
    snprintf(c->err.detail, sizeof c->err.detail, "%s",
             detail ? detail : "");
    return code;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *arg)
{
    buffer *b = arg;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (p == NULL) {
            b->oom = 1;
            return 0;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

/* Turns an error answer's problem details into c->err. */
static int http_error(sc_client *c, long status, const buffer *b)
{
    json_error_t jerr;
    json_t *p = b->data ? json_loadb(b->data, b->len, 0, &jerr) : NULL;
    const char *type = p ? json_string_value(json_object_get(p, "type"))
                         : NULL;
    const char *detail =
        p ? json_string_value(json_object_get(p, "detail")) : NULL;
    fail(c, SC_CLIENT_EHTTP, status, type, detail ? detail : "error answer");
    json_decref(p);
    return SC_CLIENT_EHTTP;
}

static int perform(sc_client *c, const char *method, const char *url,
                   const char *payload, buffer *b, long *status)
{
    struct curl_slist *h = NULL, *tmp;
    char auth[MAX_TOKEN + 32];
    int rc = SC_CLIENT_OK;
    /* Without a body, "Content-Type:" stops libcurl from announcing a
     * form for a POST. */
    const char *lines[3] = {"Accept: application/json",
                            payload ? "Content-Type: application/json"
                                    : "Content-Type:",
                            NULL};
    for (size_t i = 0; lines[i] != NULL && rc == SC_CLIENT_OK; i++) {
        tmp = curl_slist_append(h, lines[i]);
        rc = tmp ? SC_CLIENT_OK : SC_CLIENT_ENOMEM;
        h = tmp ? tmp : h;
    }
    if (rc == SC_CLIENT_OK && c->token[0] != '\0') {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->token);
        tmp = curl_slist_append(h, auth);
        rc = tmp ? SC_CLIENT_OK : SC_CLIENT_ENOMEM;
        h = tmp ? tmp : h;
        sodium_memzero(auth, sizeof auth);
    }
    if (rc != SC_CLIENT_OK) {
        curl_slist_free_all(h);
        return fail(c, rc, 0, NULL, "out of memory");
    }
    CURL *k = c->curl;
    curl_easy_reset(k);
    curl_easy_setopt(k, CURLOPT_URL, url);
    curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(k, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(k, CURLOPT_WRITEDATA, b);
    curl_easy_setopt(k, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
    if (payload != NULL) {
        curl_easy_setopt(k, CURLOPT_POSTFIELDS, payload);
        curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE, (long)strlen(payload));
    } else if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(k, CURLOPT_POSTFIELDS, "");
    }
    CURLcode cc = curl_easy_perform(k);
    curl_slist_free_all(h);
    if (b->oom)
        return fail(c, SC_CLIENT_ENOMEM, 0, NULL, "out of memory");
    if (cc != CURLE_OK)
        return fail(c, SC_CLIENT_ETRANSPORT, 0, NULL,
                    curl_easy_strerror(cc));
    curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, status);
    return SC_CLIENT_OK;
}

int sc_client_request(sc_client *c, const char *method, const char *path,
                      const json_t *body, json_t **out)
{
    char url[MAX_URL];
    if (out != NULL)
        *out = NULL;
    if (snprintf(url, sizeof url, "%s%s", c->base, path) >= (int)sizeof url)
        return fail(c, SC_CLIENT_EINVAL, 0, NULL, "path too long");
    char *payload = NULL;
    if (body != NULL) {
        payload = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(17));
        if (payload == NULL)
            return fail(c, SC_CLIENT_ENOMEM, 0, NULL, "cannot encode body");
    }
    buffer b = {0};
    long status = 0;
    int rc = perform(c, method, url, payload, &b, &status);
    free(payload);
    if (rc == SC_CLIENT_OK && status >= 400)
        rc = http_error(c, status, &b);
    if (rc == SC_CLIENT_OK && out != NULL) {
        json_error_t jerr;
        *out = b.data ? json_loadb(b.data, b.len, 0, &jerr) : NULL;
        if (*out == NULL)
            rc = fail(c, SC_CLIENT_EPROTO, status, NULL,
                      "the answer is not JSON");
    }
    if (rc == SC_CLIENT_OK)
        fail(c, SC_CLIENT_OK, status, NULL, NULL);
    free(b.data);
    return rc;
}

int sc_client_register(sc_client *c, const char *name, json_t **out)
{
    json_t *body = json_pack("{s:s}", "name", name), *ans = NULL;
    if (body == NULL)
        return fail(c, SC_CLIENT_ENOMEM, 0, NULL, "out of memory");
    int rc = sc_client_request(c, "POST", "/v1/players", body, &ans);
    json_decref(body);
    const char *token = json_string_value(json_object_get(ans, "token"));
    if (rc == SC_CLIENT_OK && token == NULL)
        rc = fail(c, SC_CLIENT_EPROTO, 0, NULL, "no token in the answer");
    if (rc == SC_CLIENT_OK && c->token[0] == '\0')
        rc = sc_client_set_token(c, token);
    if (rc == SC_CLIENT_OK && out != NULL)
        *out = json_incref(ans);
    json_decref(ans);
    return rc;
}

int sc_client_create_instance(sc_client *c, const json_t *spec,
                              json_t **out)
{
    return sc_client_request(c, "POST", "/v1/instances", spec, out);
}

/* "/v1/instances/<id><suffix>", refusing ids that need escaping (the
 * server's ids are [a-z0-9_]). */
static int instance_path(sc_client *c, char *buf, size_t cap,
                         const char *id, const char *suffix)
{
    for (const char *p = id; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-'))
            return fail(c, SC_CLIENT_EINVAL, 0, NULL, "bad instance id");
    }
    if (snprintf(buf, cap, "/v1/instances/%s%s", id, suffix) >= (int)cap)
        return fail(c, SC_CLIENT_EINVAL, 0, NULL, "instance id too long");
    return SC_CLIENT_OK;
}

int sc_client_instance(sc_client *c, const char *id, json_t **out)
{
    char path[256];
    int rc = instance_path(c, path, sizeof path, id, "");
    return rc ? rc : sc_client_request(c, "GET", path, NULL, out);
}

int sc_client_reveal(sc_client *c, const char *id, json_t **out)
{
    char path[256];
    int rc = instance_path(c, path, sizeof path, id, "/reveal");
    return rc ? rc : sc_client_request(c, "POST", path, NULL, out);
}

/* A JSON matrix (array of equal rows) into a malloc'ed row-major array;
 * dim 0 means "take it from the first row". */
static int read_matrix(sc_client *c, const json_t *m, size_t rows,
                       size_t *dim, double **out)
{
    if (!json_is_array(m) || json_array_size(m) != rows || rows == 0)
        return fail(c, SC_CLIENT_EPROTO, 0, NULL, "unexpected matrix");
    size_t d = json_array_size(json_array_get(m, 0));
    if (d == 0 || (*dim != 0 && d != *dim))
        return fail(c, SC_CLIENT_EPROTO, 0, NULL, "unexpected row length");
    double *x = malloc(rows * d * sizeof *x);
    if (x == NULL)
        return fail(c, SC_CLIENT_ENOMEM, 0, NULL, "out of memory");
    for (size_t i = 0; i < rows; i++) {
        const json_t *row = json_array_get(m, i);
        if (json_array_size(row) != d) {
            free(x);
            return fail(c, SC_CLIENT_EPROTO, 0, NULL, "ragged matrix");
        }
        for (size_t j = 0; j < d; j++)
            x[i * d + j] = json_number_value(json_array_get(row, j));
    }
    *dim = d;
    *out = x;
    return SC_CLIENT_OK;
}

static json_t *matrix_json(const double *x, size_t rows, size_t dim)
{
    json_t *m = json_array();
    for (size_t i = 0; m != NULL && i < rows; i++) {
        json_t *row = json_array();
        for (size_t j = 0; row != NULL && j < dim; j++) {
            if (json_array_append_new(row, json_real(x[i * dim + j])) != 0) {
                json_decref(row);
                row = NULL;
            }
        }
        if (row == NULL || json_array_append_new(m, row) != 0) {
            json_decref(m);
            m = NULL;
        }
    }
    return m;
}

int sc_client_samples(sc_client *c, const char *id, size_t n, double t,
                      double **out, size_t *dim)
{
    char path[256];
    int rc = instance_path(c, path, sizeof path, id, "/samples");
    if (rc != SC_CLIENT_OK)
        return rc;
    json_t *body = json_pack("{s:I, s:f}", "n", (json_int_t)n, "t", t);
    json_t *ans = NULL;
    if (body == NULL)
        return fail(c, SC_CLIENT_ENOMEM, 0, NULL, "out of memory");
    rc = sc_client_request(c, "POST", path, body, &ans);
    json_decref(body);
    *dim = 0;
    if (rc == SC_CLIENT_OK)
        rc = read_matrix(c, json_object_get(ans, "samples"), n, dim, out);
    json_decref(ans);
    return rc;
}

/* score and logpdf: points in, the answer's field out. */
static int points_call(sc_client *c, const char *id, const char *op,
                       const double *x, size_t rows, size_t dim, double t,
                       json_t **ans)
{
    char path[256];
    int rc = instance_path(c, path, sizeof path, id, op);
    if (rc != SC_CLIENT_OK)
        return rc;
    json_t *pts = matrix_json(x, rows, dim);
    json_t *body = pts ? json_pack("{s:f, s:o}", "t", t, "points", pts)
                       : NULL;
    if (body == NULL)
        return fail(c, SC_CLIENT_ENOMEM, 0, NULL, "out of memory");
    rc = sc_client_request(c, "POST", path, body, ans);
    json_decref(body);
    return rc;
}

int sc_client_score(sc_client *c, const char *id, const double *x,
                    size_t rows, size_t dim, double t, double **out)
{
    json_t *ans = NULL;
    int rc = points_call(c, id, "/score", x, rows, dim, t, &ans);
    size_t d = dim;
    if (rc == SC_CLIENT_OK)
        rc = read_matrix(c, json_object_get(ans, "scores"), rows, &d, out);
    json_decref(ans);
    return rc;
}

int sc_client_logpdf(sc_client *c, const char *id, const double *x,
                     size_t rows, size_t dim, double t, double **out)
{
    json_t *ans = NULL;
    int rc = points_call(c, id, "/logpdf", x, rows, dim, t, &ans);
    const json_t *v = json_object_get(ans, "logpdf");
    if (rc == SC_CLIENT_OK && json_array_size(v) != rows)
        rc = fail(c, SC_CLIENT_EPROTO, 0, NULL, "unexpected logpdf size");
    double *lp = rc == SC_CLIENT_OK ? malloc(rows * sizeof *lp) : NULL;
    if (rc == SC_CLIENT_OK && lp == NULL)
        rc = fail(c, SC_CLIENT_ENOMEM, 0, NULL, "out of memory");
    for (size_t i = 0; rc == SC_CLIENT_OK && i < rows; i++)
        lp[i] = json_number_value(json_array_get(v, i));
    if (rc == SC_CLIENT_OK)
        *out = lp;
    json_decref(ans);
    return rc;
}

/* Feeds a secret array (vector or matrix of numbers) into the hash as
 * little-endian float64. */
static int hash_array(crypto_generichash_state *st, const json_t *a)
{
    size_t i;
    const json_t *v;
    json_array_foreach(a, i, v) {
        if (json_is_array(v)) {
            if (hash_array(st, v) != 0)
                return -1;
            continue;
        }
        if (!json_is_number(v))
            return -1;
        double d = json_number_value(v);
        uint64_t bits;
        uint8_t le[8];
        memcpy(&bits, &d, sizeof bits);
        for (int k = 0; k < 8; k++)
            le[k] = (uint8_t)(bits >> (8 * k));
        crypto_generichash_update(st, le, sizeof le);
    }
    return 0;
}

int sc_client_open_instance(const char *id, const json_t *reveal,
                            const char *commitment_hex)
{
    static const char *const order[] = {"u", "means", "weights"};
    static const char tag[] = "scoracle-commit-v1";
    uint8_t salt[32], want[32], got[32];
    size_t len = 0;
    const char *salt_hex =
        json_string_value(json_object_get(reveal, "salt"));
    const json_t *secret = json_object_get(reveal, "secret");
    if (salt_hex == NULL || commitment_hex == NULL ||
        sodium_hex2bin(salt, sizeof salt, salt_hex, strlen(salt_hex), NULL,
                       &len, NULL) != 0 || len != sizeof salt ||
        sodium_hex2bin(want, sizeof want, commitment_hex,
                       strlen(commitment_hex), NULL, &len, NULL) != 0 ||
        len != sizeof want)
        return SC_CLIENT_EINVAL;
    crypto_generichash_state st;
    crypto_generichash_init(&st, salt, sizeof salt, sizeof got);
    /* Both include their terminating NUL: the 0x00 separators. */
    crypto_generichash_update(&st, (const uint8_t *)tag, sizeof tag);
    crypto_generichash_update(&st, (const uint8_t *)id, strlen(id) + 1);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const json_t *a = json_object_get(secret, order[i]);
        if (a != NULL && (!json_is_array(a) || hash_array(&st, a) != 0))
            return SC_CLIENT_EINVAL;
    }
    crypto_generichash_final(&st, got, sizeof got);
    return sodium_memcmp(got, want, sizeof got) == 0 ? SC_CLIENT_OK
                                                     : SC_CLIENT_EVERIFY;
}

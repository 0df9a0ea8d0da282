/*
 * The fast path of sc_json_parse_object for the bodies the oracles get
 * by the thousand a second: objects, arrays, numbers, plain strings.
 * It builds the jansson tree jansson itself would build, with numbers
 * read by sc_strtod instead of jansson's locale-dependent strtod.  It
 * declines (answers 0) anything it does not handle exactly as jansson
 * does (escapes, non-ASCII, duplicate keys, overflowing numbers, deep
 * nesting, any error), and jansson then parses the body: its tree or
 * its error message is the answer.  fuzz_json_fast checks that both
 * trees agree wherever the fast path answers.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "sc_dconv.h"
#include "sc_wire_internal.h"

/* Nesting beyond this is unusual enough to leave to jansson. */
#define MAX_DEPTH 32
/* Integer digits strtoll takes without overflow whatever they are. */
#define MAX_INT_DIGITS 18

typedef struct cursor {
    const char *p, *end;
} cursor;

static json_t *value(cursor *c, int depth);

static void skip_ws(cursor *c)
{
    while (c->p < c->end &&
           (*c->p == ' ' || *c->p == '\n' || *c->p == '\r' || *c->p == '\t'))
        c->p++;
}

static bool digit(const cursor *c)
{
    return c->p < c->end && *c->p >= '0' && *c->p <= '9';
}

static size_t digits(cursor *c)
{
    const char *start = c->p;
    while (digit(c))
        c->p++;
    return (size_t)(c->p - start);
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? as jansson's lexer
 * takes it: an integer without fraction or exponent, a real else. */
static json_t *number(cursor *c)
{
    const char *start = c->p;
    bool real = false;
    if (*c->p == '-')
        c->p++;
    const char *int_start = c->p;
    size_t nint = digits(c);
    if (nint == 0 || (nint > 1 && *int_start == '0'))
        return NULL;
    if (c->p < c->end && *c->p == '.') {
        c->p++;
        real = true;
        if (digits(c) == 0)
            return NULL;
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        real = true;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
            c->p++;
        if (digits(c) == 0)
            return NULL;
    }
    size_t len = (size_t)(c->p - start);
    if (!real) {
        if (nint > MAX_INT_DIGITS)
            return NULL;
        json_int_t v = 0;
        for (const char *q = int_start; q < int_start + nint; q++)
            v = v * 10 + (*q - '0');
        return json_integer(*start == '-' ? -v : v);
    }
    double d;
    return sc_strtod(start, len, &d) == 0 ? json_real(d) : NULL;
}

/* A string of printable ASCII without escapes: its bytes and length. */
static const char *plain_string(cursor *c, size_t *len)
{
    const char *start = ++c->p;
    while (c->p < c->end && *c->p != '"') {
        if (*c->p < 0x20 || *c->p > 0x7e || *c->p == '\\')
            return NULL;
        c->p++;
    }
    if (c->p == c->end)
        return NULL;
    *len = (size_t)(c->p++ - start);
    return start;
}

static json_t *string(cursor *c)
{
    size_t len;
    const char *s = plain_string(c, &len);
    return s != NULL ? json_stringn_nocheck(s, len) : NULL;
}

static json_t *literal(cursor *c, const char *word, json_t *v)
{
    size_t n = strlen(word);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
        return NULL;
    c->p += n;
    return v;
}

/* Steps past the ',' between members or the closing bracket; 1 at the
 * end, 0 to go on, -1 on anything else. */
static int next_or_close(cursor *c, char close)
{
    skip_ws(c);
    if (c->p < c->end && *c->p == close) {
        c->p++;
        return 1;
    }
    if (c->p < c->end && *c->p == ',') {
        c->p++;
        return 0;
    }
    return -1;
}

static bool empty_close(cursor *c, char close)
{
    skip_ws(c);
    if (c->p < c->end && *c->p == close) {
        c->p++;
        return true;
    }
    return false;
}

static json_t *array(cursor *c, int depth)
{
    json_t *a = json_array();
    c->p++;
    if (a == NULL || empty_close(c, ']'))
        return a;
    for (;;) {
        json_t *v = value(c, depth + 1);
        if (v == NULL || json_array_append_new(a, v) != 0)
            break;
        int rc = next_or_close(c, ']');
        if (rc != 0) {
            if (rc == 1)
                return a;
            break;
        }
    }
    json_decref(a);
    return NULL;
}

/* One "key": value member into o; -1 on a duplicate or anything else. */
static int member(cursor *c, json_t *o, int depth)
{
    char key[256];
    size_t len;
    skip_ws(c);
    if (c->p == c->end || *c->p != '"')
        return -1;
    const char *k = plain_string(c, &len);
    if (k == NULL || len >= sizeof key)
        return -1;
    memcpy(key, k, len);
    key[len] = '\0';
    skip_ws(c);
    if (c->p == c->end || *c->p++ != ':' || json_object_get(o, key) != NULL)
        return -1;
    json_t *v = value(c, depth + 1);
    return v != NULL && json_object_set_new_nocheck(o, key, v) == 0 ? 0 : -1;
}

static json_t *object(cursor *c, int depth)
{
    json_t *o = json_object();
    c->p++;
    if (o == NULL || empty_close(c, '}'))
        return o;
    for (;;) {
        if (member(c, o, depth) != 0)
            break;
        int rc = next_or_close(c, '}');
        if (rc != 0) {
            if (rc == 1)
                return o;
            break;
        }
    }
    json_decref(o);
    return NULL;
}

static json_t *value(cursor *c, int depth)
{
    skip_ws(c);
    if (c->p == c->end || depth > MAX_DEPTH)
        return NULL;
    switch (*c->p) {
    case '{': return object(c, depth);
    case '[': return array(c, depth);
    case '"': return string(c);
    case 't': return literal(c, "true", json_true());
    case 'f': return literal(c, "false", json_false());
    case 'n': return literal(c, "null", json_null());
    default: break;
    }
    if (*c->p == '-' || digit(c))
        return number(c);
    return NULL;
}

int sc__json_fast(const char *buf, size_t len, json_t **out)
{
    cursor c = {buf, buf + len};
    skip_ws(&c);
    if (c.p == c.end || *c.p != '{')
        return 0;
    json_t *v = value(&c, 0);
    skip_ws(&c);
    if (v == NULL || c.p != c.end) {
        json_decref(v);
        return 0;
    }
    *out = v;
    return 1;
}

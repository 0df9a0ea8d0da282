/* Strict JSON in, exact JSON out: body parsing, the declarative field
 * table, matrices and vectors, the response dump.  See sc_wire.h. */
#include "sc_wire.h"
#include "sc_wire_internal.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* jansson lexes a bare word as one token and reports it as "invalid
 * token"; a word that spells a non-finite number deserves the 422 of
 * proto/API.md rather than a syntax error.  The word ends at the error
 * position, or, after a '-' (jansson stops at the sign), starts there. */
static int nonfinite_literal(const char *buf, size_t len,
                             const json_error_t *e)
{
    static const char *const words[] = {"nan", "inf", "infinity"};
    size_t end = (size_t)e->position, start;
    if (strncmp(e->text, "invalid token", 13) != 0 || end > len)
        return 0;
    start = end;
    while (start > 0 && isalpha((unsigned char)buf[start - 1]))
        start--;
    if (start == end && end > 0 && buf[end - 1] == '-')
        while (end < len && isalpha((unsigned char)buf[end]))
            end++;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (end - start == strlen(words[i]) &&
            strncasecmp(buf + start, words[i], end - start) == 0)
            return 1;
    return 0;
}

static int parse_problem(const char *buf, size_t len, const json_error_t *e,
                         sc_problem *pb)
{
    switch (json_error_code(e)) {
    case json_error_numeric_overflow:
        return sc_problem_set(pb, 422, "invalid-parameters",
                              "a number at line %d, column %d is out of "
                              "range (%s); numbers must be finite doubles",
                              e->line, e->column, e->text);
    case json_error_out_of_memory:
        return sc_problem_set(pb, 500, "internal",
                              "out of memory while parsing the body");
    default:
        break;
    }
    if (nonfinite_literal(buf, len, e))
        return sc_problem_set(pb, 422, "invalid-parameters",
                              "NaN and Infinity at line %d, column %d: "
                              "numbers must be finite",
                              e->line, e->column);
    return sc_problem_set(pb, 400, "malformed-request",
                          "malformed JSON at line %d, column %d: %s",
                          e->line, e->column, e->text);
}

int sc_json_parse_object(const char *buf, size_t len, json_t **out,
                         sc_problem *pb)
{
    json_error_t e;
    json_t *v;

    *out = NULL;
    if (len == 0)
        return sc_problem_set(pb, 400, "malformed-request",
                              "the body is empty; a JSON object is expected");
    if (sc__json_fast(buf, len, &v) == 1) {
        *out = v;
        return 0;
    }
    v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e);
    if (v == NULL)
        return parse_problem(buf, len, &e, pb);
    if (!json_is_object(v)) {
        json_decref(v);
        return sc_problem_set(pb, 400, "malformed-request",
                              "the body must be a JSON object");
    }
    *out = v;
    return 0;
}

const char *sc__wire_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

/* " in [1, 4096]", " > 0", "": the allowed range, for messages.  Spec
 * tables bound with DBL_MAX or infinity alike when there is no bound. */
static void range_text(char *buf, size_t n, unsigned flags, double min,
                       double max)
{
    bool open = (flags & SC_PF_MIN_OPEN) != 0;
    bool no_max = !(max < DBL_MAX), no_min = !(min > -DBL_MAX);
    if (no_max && no_min)
        buf[0] = '\0';
    else if (no_max)
        snprintf(buf, n, " %s %.17g", open ? ">" : ">=", min);
    else if (no_min)
        snprintf(buf, n, " <= %.17g", max);
    else
        snprintf(buf, n, " in %c%.17g, %.17g]", open ? '(' : '[', min, max);
}

static bool in_range(double x, unsigned flags, double min, double max)
{
    bool above = (flags & SC_PF_MIN_OPEN) ? x > min : x >= min;
    return above && x <= max;
}

int sc__wire_uint(const json_t *v, const char *field, unsigned flags,
                  double min, double max, uint32_t *out, sc_problem *pb)
{
    char range[80];
    double x = json_number_value(v);

    range_text(range, sizeof range, flags, min, max);
    if (!json_is_number(v))
        return sc_problem_field(pb, 422, field,
                                "%s must be an integer%s, not %s", field,
                                range, sc__wire_kind(v));
    if (x != floor(x))
        return sc_problem_field(pb, 422, field,
                                "%s must be an integer%s, not %.17g", field,
                                range, x);
    if (!in_range(x, flags, min, max) || x < 0 || x > UINT32_MAX)
        return sc_problem_field(pb, 422, field,
                                "%s must be an integer%s", field, range);
    *out = (uint32_t)x;
    return 0;
}

int sc__wire_double(const json_t *v, const char *field, unsigned flags,
                    double min, double max, double *out, sc_problem *pb)
{
    char range[80];

    range_text(range, sizeof range, flags, min, max);
    if (!json_is_number(v))
        return sc_problem_field(pb, 422, field, "%s must be a number%s, "
                                "not %s", field, range, sc__wire_kind(v));
    if (!in_range(json_number_value(v), flags, min, max))
        return sc_problem_field(pb, 422, field, "%s must be a number%s",
                                field, range);
    *out = json_number_value(v);
    return 0;
}

static const sc_wire_field *field_named(const sc_wire_field *fields,
                                        size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

static int wrong_type(const sc_wire_field *f, const json_t *v,
                      const char *want, sc_problem *pb)
{
    return sc_problem_field(pb, 422, f->name, "%s must be %s, not %s",
                            f->name, want, sc__wire_kind(v));
}

/* Stores one present, non-null member into dst. */
static int decode_one(const sc_wire_field *f, const json_t *v, char *dst,
                      sc_problem *pb)
{
    uint32_t u;
    double d;
    bool b;
    const char *s;

    switch (f->type) {
    case SC_WT_UINT:
        if (sc__wire_uint(v, f->name, f->flags, f->min, f->max, &u, pb))
            return -1;
        memcpy(dst + f->offset, &u, sizeof u);
        return 0;
    case SC_WT_DOUBLE:
        if (sc__wire_double(v, f->name, f->flags, f->min, f->max, &d, pb))
            return -1;
        memcpy(dst + f->offset, &d, sizeof d);
        return 0;
    case SC_WT_BOOL:
        if (!json_is_boolean(v))
            return wrong_type(f, v, "a boolean", pb);
        b = json_is_true(v);
        memcpy(dst + f->offset, &b, sizeof b);
        return 0;
    case SC_WT_STRING:
        if (!json_is_string(v))
            return wrong_type(f, v, "a string", pb);
        s = json_string_value(v);
        memcpy(dst + f->offset, &s, sizeof s);
        return 0;
    case SC_WT_OBJECT:
    case SC_WT_ARRAY:
        if (f->type == SC_WT_OBJECT ? !json_is_object(v) : !json_is_array(v))
            return wrong_type(f, v, f->type == SC_WT_OBJECT ? "an object"
                                                            : "an array",
                              pb);
        memcpy(dst + f->offset, &v, sizeof v);
        return 0;
    }
    return sc_problem_set(pb, 500, "internal", "bad field table entry");
}

int sc_wire_decode(const json_t *obj, const sc_wire_field *fields,
                   size_t nfields, void *dst, sc_problem *pb)
{
    const char *key;
    json_t *v;

    if (!json_is_object(obj))
        return sc_problem_set(pb, 422, "invalid-parameters",
                              "an object is expected, not %s",
                              sc__wire_kind(obj));
    /* json_object_foreach wants a mutable object; nothing is changed. */
    json_object_foreach((json_t *)obj, key, v) {
        if (field_named(fields, nfields, key) == NULL)
            return sc_problem_field(pb, 422, key, "unknown field %s", key);
    }
    for (size_t i = 0; i < nfields; i++) {
        const sc_wire_field *f = &fields[i];
        bool given = true;
        v = json_object_get(obj, f->name);
        /* null reads as absent: a budget meter without a limit is null,
         * so what a response shows can be sent back. */
        if (v == NULL || json_is_null(v)) {
            if (f->flags & SC_PF_REQUIRED)
                return sc_problem_field(pb, 422, f->name,
                                        "%s is required", f->name);
            continue;
        }
        if (decode_one(f, v, dst, pb))
            return -1;
        if (f->present_offset != SIZE_MAX)
            memcpy((char *)dst + f->present_offset, &given, sizeof given);
    }
    return 0;
}

/* One row of a matrix (or a whole vector) into out, len numbers. */
static int decode_numbers(const json_t *arr, const char *field, size_t row,
                          double *out, size_t len, sc_problem *pb)
{
    for (size_t j = 0; j < len; j++) {
        const json_t *x = json_array_get(arr, j);
        if (!json_is_number(x)) {
            if (row == SIZE_MAX)
                return sc_problem_field(pb, 422, field, "%s[%zu] must be a "
                                        "number, not %s", field, j,
                                        sc__wire_kind(x));
            return sc_problem_field(pb, 422, field, "%s[%zu][%zu] must be a "
                                    "number, not %s", field, row, j,
                                    sc__wire_kind(x));
        }
        out[j] = json_number_value(x);
    }
    return 0;
}

static double *alloc_numbers(size_t rows, size_t cols, sc_problem *pb)
{
    double *m = NULL;
    if (cols <= SIZE_MAX / sizeof(double) / rows)
        m = malloc(rows * cols * sizeof(double));
    if (m == NULL)
        sc_problem_set(pb, 500, "internal", "out of memory for %zu x %zu "
                       "numbers", rows, cols);
    return m;
}

static int check_row(const json_t *row, const char *field, size_t i,
                     size_t cols, bool dim_given, sc_problem *pb)
{
    if (!json_is_array(row))
        return sc_problem_field(pb, 422, field, "%s[%zu] must be an array "
                                "of numbers, not %s", field, i,
                                sc__wire_kind(row));
    if (json_array_size(row) == cols)
        return 0;
    if (dim_given)
        return sc_problem_field(pb, 422, field, "%s[%zu] has %zu numbers, "
                                "the instance has dim %zu", field, i,
                                json_array_size(row), cols);
    return sc_problem_field(pb, 422, field, "%s[%zu] has %zu numbers, "
                            "%s[0] has %zu", field, i, json_array_size(row),
                            field, cols);
}

int sc_wire_decode_matrix(const json_t *arr, const char *field,
                          size_t cols, size_t max_rows, double **out,
                          size_t *rows, size_t *out_cols, sc_problem *pb)
{
    size_t n = json_array_size(arr);
    bool dim_given = cols != 0;
    double *m;

    *out = NULL;
    if (!json_is_array(arr))
        return sc_problem_field(pb, 422, field, "%s must be an array of "
                                "rows of numbers, not %s", field,
                                arr != NULL ? sc__wire_kind(arr) : "absent");
    if (n == 0)
        return sc_problem_field(pb, 422, field, "%s holds no points", field);
    if (n > max_rows)
        return sc_problem_field(pb, 422, field, "%s has %zu rows, at most "
                                "%zu are allowed", field, n, max_rows);
    if (!dim_given)
        cols = json_array_size(json_array_get(arr, 0));
    if (cols == 0)
        return sc_problem_field(pb, 422, field, "%s[0] must be a non-empty "
                                "array of numbers", field);
    for (size_t i = 0; i < n; i++)
        if (check_row(json_array_get(arr, i), field, i, cols, dim_given, pb))
            return -1;
    m = alloc_numbers(n, cols, pb);
    if (m == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (decode_numbers(json_array_get(arr, i), field, i, m + i * cols,
                           cols, pb)) {
            free(m);
            return -1;
        }
    *out = m;
    *rows = n;
    *out_cols = cols;
    return 0;
}

int sc_wire_decode_vector(const json_t *arr, const char *field,
                          size_t len, double **out, size_t *out_len,
                          sc_problem *pb)
{
    size_t n = json_array_size(arr);
    double *v;

    *out = NULL;
    if (!json_is_array(arr))
        return sc_problem_field(pb, 422, field, "%s must be an array of "
                                "numbers, not %s", field,
                                arr != NULL ? sc__wire_kind(arr) : "absent");
    if (n == 0)
        return sc_problem_field(pb, 422, field, "%s holds no numbers", field);
    if (len != 0 && n != len)
        return sc_problem_field(pb, 422, field, "%s has %zu numbers, %zu "
                                "expected", field, n, len);
    v = alloc_numbers(1, n, pb);
    if (v == NULL)
        return -1;
    if (decode_numbers(arr, field, SIZE_MAX, v, n, pb)) {
        free(v);
        return -1;
    }
    *out = v;
    *out_len = n;
    return 0;
}

/* JSON has no non-finite numbers: such a result (a log-density of -inf
 * far outside a support) travels as null. */
static json_t *number_json(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

json_t *sc_wire_encode_vector(const double *v, size_t len)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < len; i++)
        if (json_array_append_new(arr, number_json(v[i]))) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

json_t *sc_wire_encode_matrix(const double *m, size_t rows, size_t cols)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < rows; i++)
        if (json_array_append_new(arr,
                                  sc_wire_encode_vector(m + i * cols, cols))) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

json_t *sc_wire_encode_secret(const sc_secret_view *v, size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; o != NULL && i < n; i++) {
        json_t *x = v[i].matrix
                        ? sc_wire_encode_matrix(v[i].data, v[i].rows,
                                                v[i].cols)
                        : sc_wire_encode_vector(v[i].data,
                                                v[i].rows * v[i].cols);
        if (json_object_set_new(o, v[i].name, x)) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

/* The growing text of a dump.  Once an append fails every later one
 * does: jansson (2.14, akheron/jansson#655) ignores the result of
 * writing an object's key, so json_dumps can answer a string with a quote
 * missing when an allocation fails; a latched failure is seen at the
 * separator that follows the key. */
typedef struct dump_buf {
    char *text;
    size_t len, cap;
    bool failed;
} dump_buf;

static int dump_append(const char *buf, size_t size, void *data)
{
    dump_buf *b = data;
    if (b->failed)
        return -1;
    if (size + 1 > b->cap - b->len) {
        size_t cap = b->cap > 0 ? b->cap : 256;
        while (size + 1 > cap - b->len)
            cap *= 2;
        char *t = realloc(b->text, cap);
        if (t == NULL) {
            b->failed = true;
            return -1;
        }
        b->text = t;
        b->cap = cap;
    }
    memcpy(b->text + b->len, buf, size);
    b->len += size;
    return 0;
}

char *sc_wire_dump(const json_t *v, size_t *len)
{
    dump_buf b = {NULL, 0, 0, false};
    if (json_dump_callback(v, dump_append, &b,
                           JSON_COMPACT | JSON_REAL_PRECISION(17)) != 0 ||
        b.failed || b.text == NULL) {
        free(b.text);
        return NULL;
    }
    b.text[b.len] = '\0';
    if (len != NULL)
        *len = b.len;
    return b.text;
}

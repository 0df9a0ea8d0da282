/*
 * The wire: strict JSON decoding into core requests and encoding of
 * results.  jansson underneath; duplicate keys, unknown fields, NaN and
 * Inf are refused.
 *
 * Ownership: functions named *_decode_* that hand out arrays allocate
 * them with malloc and the caller frees them; json_t results are new
 * references the caller decrefs; json_t arguments are borrowed.
 * Every failure fills the sc_problem and answers -1; success answers 0.
 */
#ifndef SC_WIRE_H
#define SC_WIRE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sc_core.h"
#include "sc_problem.h"

/* Parses a request body as one JSON object (400 on malformed JSON,
 * duplicate keys, or a non-object; 422 on NaN/Inf literals). */
int sc_json_parse_object(const char *buf, size_t len, json_t **out,
                         sc_problem *pb);

/* A declarative request-field table (GNU Taler style). */
typedef enum sc_wire_type {
    SC_WT_UINT,    /* uint32_t, within [min, max] */
    SC_WT_DOUBLE,  /* finite double, within [min, max] */
    SC_WT_BOOL,    /* bool */
    SC_WT_STRING,  /* const char * borrowed from the json_t */
    SC_WT_OBJECT,  /* json_t * borrowed */
    SC_WT_ARRAY,   /* json_t * borrowed */
} sc_wire_type;

typedef struct sc_wire_field {
    const char *name;
    sc_wire_type type;
    size_t offset;  /* where the value goes in the destination struct */
    unsigned flags; /* SC_PF_REQUIRED, SC_PF_MIN_OPEN */
    double min, max;
    size_t present_offset; /* bool in dst set when given; SIZE_MAX if none */
} sc_wire_field;

/* Checks every member of obj against fields (unknown -> 422 naming it),
 * stores values into dst.  Absent optional fields are left untouched;
 * a member given as null counts as absent (a budget meter without a
 * limit is null in responses, so a client may send one back). */
int sc_wire_decode(const json_t *obj, const sc_wire_field *fields,
                   size_t nfields, void *dst, sc_problem *pb);

/* Family parameters: reads the members that fam->spec lists from obj,
 * ignoring the names in skip (NULL-terminated, e.g. "family", "budget",
 * "oracle"), refuses any other member, then runs fam->validate
 * (its sc_error becomes a 422 field error).  p must start zeroed; on
 * failure it is cleared again (sc_params_clear). */
int sc_wire_decode_params(const sc_family *fam, const json_t *obj,
                          const char *const *skip, sc_params *p,
                          sc_problem *pb);
/* Every public parameter, defaults filled in; SC_PF_OUTPUT ones too; a
 * vector parameter that is NULL is omitted.  NULL when out of memory. */
json_t *sc_wire_encode_params(const sc_family *fam, const sc_params *p);

/* A JSON array of `rows` arrays of `cols` finite numbers (cols known, or
 * 0 to take it from the first row and require all rows alike).  field
 * names the member in errors.  Answers a malloc'ed rows x cols matrix;
 * an empty array (no points) or more than max_rows rows is a 422.
 * vector: len numbers, or any non-zero count when len is 0. */
int sc_wire_decode_matrix(const json_t *arr, const char *field,
                          size_t cols, size_t max_rows, double **out,
                          size_t *rows, size_t *out_cols, sc_problem *pb);
int sc_wire_decode_vector(const json_t *arr, const char *field,
                          size_t len, double **out, size_t *out_len,
                          sc_problem *pb);
/* JSON arrays of numbers; a non-finite value (JSON has none) becomes
 * null.  NULL when out of memory. */
json_t *sc_wire_encode_matrix(const double *m, size_t rows, size_t cols);
json_t *sc_wire_encode_vector(const double *v, size_t len);

/* {"<field>":[...]}: rows x cols numbers as rows of arrays (ndim 2) or
 * rows numbers as one array (ndim 1, cols ignored), each printed as the
 * shortest text that reads back exactly (sc_dconv.h), a non-finite one
 * as null; written straight from the doubles, with no jansson tree.
 * field is a plain name (written unescaped).  Malloc'ed, NUL-terminated;
 * NULL when out of memory. */
char *sc_wire_array_text(const char *field, const double *data, size_t rows,
                         size_t cols, int ndim, size_t *len);

/* {"u": [...]} or {"means": [[...]], "weights": [...]} from the views. */
json_t *sc_wire_encode_secret(const sc_secret_view *v, size_t n);

/*
 * NPY v1.0 (and v2.0/3.0 headers), '<f8', C order, 1-D or 2-D only.
 * decode: validates every header byte and copies the data into a
 * malloc'ed array (buf may be unaligned); a 1-D array answers cols = 1.
 * A malformed file is a 400, an array we do not serve (another dtype,
 * Fortran order, other ranks, no points, NaN or Inf) a 422.
 */
int sc_npy_decode(const uint8_t *buf, size_t len, double **data,
                  size_t *rows, size_t *cols, int *ndim, sc_problem *pb);
/* The same checks without the copy: *view points into buf when the data
 * lies on a double's boundary there (a malloc'ed body: the header pads
 * the data to 64 bytes), and *owned is NULL; else the data is copied as
 * sc_npy_decode does, *view == *owned, and the caller frees *owned.
 * *view lives as long as buf (or *owned). */
int sc_npy_view(const uint8_t *buf, size_t len, const double **view,
                double **owned, size_t *rows, size_t *cols, int *ndim,
                sc_problem *pb);
/* A whole NPY file for rows x cols doubles (as sc_npy_encode lays it
 * out) with the header written and the data left for the caller to fill
 * at *data (aligned for doubles): a result computed there is answered
 * without a copy.  Malloc'ed *out of *len bytes; -1 as sc_npy_encode. */
int sc_npy_alloc(size_t rows, size_t cols, int ndim, uint8_t **out,
                 size_t *len, double **data);
/* ndim 1 (cols ignored, rows = length) or 2; malloc'ed buffer laid out
 * byte for byte as numpy >= 1.23 writes it.  0 rows are allowed.  -1 on
 * a bad ndim, a size overflow or no memory. */
int sc_npy_encode(const double *data, size_t rows, size_t cols, int ndim,
                  uint8_t **out, size_t *len);

/* JSON body of a response: compact, with doubles printed so they read
 * back exactly (17 significant digits).  Malloc'ed, NUL-terminated. */
char *sc_wire_dump(const json_t *v, size_t *len);

#endif

/*
 * RFC 9457 problem details.  A request failure is described once, as an
 * sc_problem, and rendered by the server as application/problem+json.
 *
 * Ownership: an sc_problem is a caller-owned value with fixed buffers;
 * nothing to free.
 */
#ifndef SC_PROBLEM_H
#define SC_PROBLEM_H

#include <jansson.h>
#include <stddef.h>

#define SC_PROBLEM_MAX_FIELDS 8

typedef struct sc_field_error {
    char field[64];
    char message[208];
} sc_field_error;

typedef struct sc_problem {
    int status;           /* HTTP status, 0 while no problem */
    const char *slug;     /* type URI suffix: "invalid-parameters" */
    const char *title;    /* short, fixed per slug */
    char detail[256];
    sc_field_error errors[SC_PROBLEM_MAX_FIELDS];
    size_t nerrors;
    unsigned retry_after; /* seconds; 0 = no Retry-After header */
} sc_problem;

/* Sets status, slug, title (from the status) and detail; returns -1 so
 * decoders can write `return sc_problem_set(...)`. */
int sc_problem_set(sc_problem *pb, int status, const char *slug,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A 422 with one field error; the detail repeats the message. */
int sc_problem_field(sc_problem *pb, int status, const char *field,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* {"type", "title", "status", "detail", "errors"?}; new reference. */
json_t *sc_problem_json(const sc_problem *pb);

#endif

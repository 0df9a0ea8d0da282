/*
 * The answers of a request (reply.c).  An answer becomes an
 * MHD_Response kept in the request; the HTTP layer queues it.  A later
 * answer replaces an earlier one.
 *
 * Ownership: sc_reply_json steals its body reference; sc_reply_take
 * steals its malloc'ed buffer; other replies copy.
 *
 * Error convention: -1 from a reply function means the reply could not
 * be built (out of memory) and an internal problem was answered instead.
 */
#ifndef SC_REPLY_H
#define SC_REPLY_H

#include <jansson.h>
#include <stddef.h>

#include "../proto/sc_problem.h"

typedef struct sc_req sc_req;

/* JSON body (steals body; NULL body answers an internal problem). */
int sc_reply_json(sc_req *r, int status, json_t *body);
/* application/problem+json from pb (Retry-After from pb->retry_after). */
int sc_reply_problem(sc_req *r, const sc_problem *pb);
/* The same with extension members (e.g. "remaining"): steals ext, an
 * object whose members are added to the problem. */
int sc_reply_problem_ext(sc_req *r, const sc_problem *pb, json_t *ext);
/* A problem in one call: sc_reply_error(r, 404, "not-found", "..."). */
int sc_reply_error(sc_req *r, int status, const char *slug,
                   const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A rows x cols matrix (ndim 2) or a vector of rows values (ndim 1):
 * NPY when the client asked for it (sc_req_wants_npy), else JSON
 * {"<field>": [...]}.  Copies data. */
int sc_reply_array(sc_req *r, const char *field, const double *data,
                   size_t rows, size_t cols, int ndim);
/* An answer with no body (204 and the like). */
int sc_reply_empty(sc_req *r, int status);
/* Any other body with its media type (steals buf, malloc'ed). */
int sc_reply_take(sc_req *r, int status, const char *content_type,
                  void *buf, size_t len);
/* The 500 answer when no other can be built, or a handler gave none;
 * needs no allocation but MHD's own. */
void sc_reply_internal(sc_req *r, const char *what);

#endif

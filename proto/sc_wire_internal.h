/*
 * Helpers shared by the proto/ codecs, not part of the wire interface
 * (double prefix, as libuv marks its internals).  Each answers 0, or
 * fills pb and answers -1, like sc_wire.h.
 */
#ifndef SC_WIRE_INTERNAL_H
#define SC_WIRE_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "sc_problem.h"

/* An integer (an integral real too: JSON Schema counts 3.0 as one) in
 * [min, max], min exclusive under SC_PF_MIN_OPEN. */
int sc__wire_uint(const json_t *v, const char *field, unsigned flags,
                  double min, double max, uint32_t *out, sc_problem *pb);
/* Any JSON number within the same kind of range. */
int sc__wire_double(const json_t *v, const char *field, unsigned flags,
                    double min, double max, double *out, sc_problem *pb);
/* "an integer", "a string", ...: what a JSON value is, for messages. */
const char *sc__wire_kind(const json_t *v);

/* The fast path of sc_json_parse_object (sc_json_fast.c): 1 with the
 * tree jansson would build for buf, or 0 when it leaves buf to jansson
 * (anything it does not handle, any error). */
int sc__json_fast(const char *buf, size_t len, json_t **out);

#endif

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

#endif

/* Test helper: loads tests/vectors/NAME.json (under $SCORACLE_CONTRACT,
 * else the working folder).  Answers a new jansson reference; fails the
 * test when the file is missing. */
#ifndef SC_TEST_VECTORS_H
#define SC_TEST_VECTORS_H

#include <jansson.h>

json_t *sc_test_vectors(const char *name);

#endif

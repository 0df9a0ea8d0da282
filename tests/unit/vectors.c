#include "vectors.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

json_t *sc_test_vectors(const char *name)
{
    const char *dir = getenv("SCORACLE_CONTRACT");
    char path[1024];
    json_error_t e;
    snprintf(path, sizeof path, "%s/tests/vectors/%s.json",
             dir != NULL ? dir : ".", name);
    json_t *v = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
    if (v == NULL)
        fail_msg("cannot load %s: %s (line %d)", path, e.text, e.line);
    return v;
}

/* The report of a failed SC_ASSERT: the one place core writes to stderr,
 * on its way to abort(). */
#include "sc_assert.h"

#include <stdio.h>
#include <stdlib.h>

_Noreturn void sc_assert_fail(const char *cond, const char *file, int line,
                              const char *func)
{
    fprintf(stderr, "scoracle: assertion failed: %s (%s:%d, %s)\n", cond,
            file, line, func);
    fflush(stderr);
    abort();
}

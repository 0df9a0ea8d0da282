/* Preloaded into a live scoracled (LD_PRELOAD) by test_oom_policy.py:
 * malloc answers NULL for a request of exactly SCORACLE_FAIL_MALLOC
 * bytes, a size only the test's request asks for, so the test sees what
 * the daemon does when an allocation fails.  glibc builds only (it
 * forwards to __libc_malloc); never part of the daemon. */
#include <stddef.h>
#include <stdlib.h>

void *__libc_malloc(size_t n);
void *malloc(size_t n);

static size_t fail_size;

__attribute__((constructor)) static void preload(void)
{
    const char *v = getenv("SCORACLE_FAIL_MALLOC");

    fail_size = v != NULL ? (size_t)strtoull(v, NULL, 10) : 0;
}

void *malloc(size_t n)
{
    if (fail_size != 0 && n == fail_size)
        return NULL;
    return __libc_malloc(n);
}

/* Allocation that never answers NULL (xalloc.h). */
#include "server/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void sc_oom(const char *what, size_t n)
{
    fprintf(stderr, "scoracled: out of memory allocating %zu bytes (%s); "
            "aborting\n", n, what);
    fflush(stderr);
    abort();
}

void *sc_xmalloc(size_t n)
{
    void *p = malloc(n > 0 ? n : 1);

    if (p == NULL)
        sc_oom("malloc", n);
    return p;
}

void *sc_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count > 0 ? count : 1, size > 0 ? size : 1);

    if (p == NULL)
        sc_oom("calloc", count * size);
    return p;
}

void *sc_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n > 0 ? n : 1);

    if (q == NULL)
        sc_oom("realloc", n);
    return q;
}

char *sc_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(sc_xmalloc(n), s, n);
}

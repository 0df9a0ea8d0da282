/*
 * The out-of-memory policy of xalloc.h, enforced at link time: scoracled
 * alone is linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,
 * --wrap=strdup (Makefile), so every allocation the core/, proto/ and
 * server/ code in it makes comes through these wrappers and none answers
 * NULL: a failure aborts with a message, wherever the call site is.
 * Libraries the daemon links (SQLite, libmicrohttpd) keep their own
 * handling; jansson gets sc_xmalloc in main().  Tests and benchmarks
 * link without this file and see their allocations fail normally.
 */
#include <stddef.h>
#include <string.h>

#include "server/xalloc.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

void *__wrap_malloc(size_t n)
{
    void *p = __real_malloc(n);

    if (p == NULL && n > 0)
        sc_oom("malloc", n);
    return p;
}

void *__wrap_calloc(size_t count, size_t size)
{
    void *p = __real_calloc(count, size);

    if (p == NULL && count > 0 && size > 0)
        sc_oom("calloc", count * size);
    return p;
}

/* realloc(p, 0) may answer NULL having freed p: that is no failure. */
void *__wrap_realloc(void *p, size_t n)
{
    void *q = __real_realloc(p, n);

    if (q == NULL && n > 0)
        sc_oom("realloc", n);
    return q;
}

char *__wrap_strdup(const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(__wrap_malloc(n), s, n);
}

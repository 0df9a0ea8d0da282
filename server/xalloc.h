/*
 * The daemon's out-of-memory policy: abort with a message, as redis does.
 *
 * A server that has run out of memory cannot be trusted to build a
 * correct answer (a JSON builder that dropped a field, a half-made
 * reply), so in scoracled no allocation answers NULL: it prints what
 * failed and aborts, and the supervisor restarts the process (every
 * acknowledged write is already durable).  Three pieces make it so:
 *
 * - sc_xmalloc and its siblings, for code that states the guarantee at
 *   the call site (the store, main);
 * - main() hands jansson sc_xmalloc, so no json_* builder returns NULL;
 * - the daemon is linked with -Wl,--wrap=malloc,... (oom_wrap.c), so
 *   every other malloc, calloc, realloc and strdup of core/, proto/ and
 *   server/ code in it aborts the same way: the NULL branches older call
 *   sites keep are unreachable in the daemon.
 *
 * core/ and proto/ are libraries and report SC_ENOMEM or NULL, leaving
 * nothing allocated; tests/unit/test_oom.c fails their allocations one
 * by one to prove it.  SQLite and libmicrohttpd keep their own handling
 * (a failed store call answers 500).  docs/ROBUSTNESS.md says more.
 *
 * Ownership: what these answer is the caller's, released with free().
 */
#ifndef SC_XALLOC_H
#define SC_XALLOC_H

#include <stddef.h>

void *sc_xmalloc(size_t n);
void *sc_xcalloc(size_t count, size_t size);
void *sc_xrealloc(void *p, size_t n);
char *sc_xstrdup(const char *s);

/* Reports that allocating n bytes for what failed, then aborts. */
_Noreturn void sc_oom(const char *what, size_t n);

#endif

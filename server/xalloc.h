/*
 * The daemon's out-of-memory policy: abort with a message, as redis does.
 *
 * A server that has run out of memory cannot be trusted to build a
 * correct answer (a JSON builder that dropped a field, a half-made
 * reply), so the daemon's own allocations never return NULL: sc_xmalloc
 * and its siblings print what failed and abort(), and main() hands
 * jansson the same allocator, so no json_* builder returns NULL in the
 * daemon either.  core/ and proto/ are libraries and report SC_ENOMEM or
 * NULL instead, leaving nothing allocated (tests/unit/test_oom.c fails
 * their allocations one by one to prove it); the daemon treats such a
 * report the same way, through sc_oom.  SQLite reports its own failures
 * as errors (SC_STORE_IO, answered 500).  docs/ROBUSTNESS.md says more.
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

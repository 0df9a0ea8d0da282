/*
 * The cache of what instances serve (sc_served of instances.h): bounded
 * by count, least recently used first out.  Entries are immutable and
 * reference-counted, so an entry evicted while in use is freed by its
 * last user.  Only what never changes is cached: the distribution and
 * keys derived from the master key and the row's seq.  Lookups share a
 * read lock; a hit writes only the entry's reference count, and its
 * recency stamp when another entry was used since (cache.c).
 *
 * Coherence across replicas sharing a PostgreSQL store: nothing mutable
 * is cached (no LISTEN/NOTIFY needed).  Budgets, revealed flags, rounds
 * and challenge states are read from the store on every request, so a
 * reveal or a finish on one replica is seen by the next request on any
 * other; tokens are not cached with a shared store either (auth.c).
 */
#ifndef SC_CACHE_H
#define SC_CACHE_H

#include <stddef.h>

#include "server.h"

sc_cache *sc_cache_new(size_t capacity);
/* Once no reference is out. */
void sc_cache_free(sc_cache *c);

#endif

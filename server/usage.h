/*
 * Use of meters without a limit, counted in memory and written to the
 * store by a background thread about once a second (and at stop).  Such
 * use refuses nothing, so a crash may lose up to a second of it without
 * breaking any promise; it saves a durable write per oracle call.
 * Samples are never counted here: their meter is also the position in
 * the sample stream, which must not repeat.  Each thread counts into its
 * own shard (shard.h), so counting threads never wait on each other; a
 * reader and the flusher take every shard.
 *
 * The flush adds (sc_store_spend: used = used + n), never writes a
 * total, so replicas sharing a database each add their own counts and
 * the database holds the sum; a reader adds its own pending counts only
 * (another replica's last second may be missing, never counted twice).
 */
#ifndef SC_USAGE_H
#define SC_USAGE_H

#include <stdint.h>

#include "server.h"

int sc_usage_start(sc_server *srv);
/* Writes what is pending, then stops the thread. */
void sc_usage_stop(sc_server *srv);
/* Adds to used[] what is pending for the instance. */
void sc_usage_pending(sc_server *srv, const char *id,
                      uint64_t used[SC_METERS]);

#endif

/*
 * Per-thread shards of shared counters: a thread counts into its own
 * shard, so the hot path writes no cache line another thread writes,
 * and a reader merges the shards.  sc_shard() is the calling thread's
 * shard index in [0, SC_SHARDS), fixed for the thread's life; threads
 * are numbered in the order they first ask, so up to SC_SHARDS threads
 * never share one (more share, which stays correct: a shard is guarded
 * as if every thread used it).
 */
#ifndef SC_SHARD_H
#define SC_SHARD_H

#define SC_SHARDS 32u
/* Cache line size: what a shard is aligned to, so that two never share
 * a line (false sharing would undo the point). */
#define SC_CACHE_LINE 64

unsigned sc_shard(void);

#endif

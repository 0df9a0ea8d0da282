/* Per-thread shard indices; see shard.h. */
#include "shard.h"

#include <stdatomic.h>

static atomic_uint next_thread;
/* One more than the thread's index; 0 until it first asks. */
static _Thread_local unsigned thread_index;

unsigned sc_shard(void)
{
    if (thread_index == 0)
        thread_index = atomic_fetch_add(&next_thread, 1) % SC_SHARDS + 1;
    return thread_index - 1;
}

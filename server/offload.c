/*
 * Heavy work off the MHD threads (offload.h): the slot is taken here,
 * the job recorded in the request; the HTTP layer suspends the
 * connection and submits it to the pool once the handler returns.
 */
#include "offload.h"

#include "reply.h"
#include "req_state.h"
#include "workers.h"

/* A slot of pool for r, or the 503 of a full pool. */
static int reserve_in(sc_req *r, sc_workers *pool)
{
    if (sc_workers_reserve(pool) == 0) {
        r->reserved = true;
        r->pool = pool;
        return 0;
    }
    sc_problem pb = {0};
    sc_problem_set(&pb, 503, "overloaded",
                   "every compute slot is busy; retry shortly");
    pb.retry_after = 1;
    sc_reply_problem(r, &pb);
    return -1;
}

int sc_req_reserve(sc_req *r, size_t cost)
{
    if (cost <= SC_INLINE_WORK || r->reserved || r->on_worker)
        return 0;
    return reserve_in(r, r->srv->workers);
}

int sc_req_reserve_durable(sc_req *r)
{
    if (r->reserved || r->on_worker)
        return 0;
    return reserve_in(r, r->srv->spenders);
}

void sc_req_run(sc_req *r, sc_work_fn fn, void *arg, void (*free_arg)(void *))
{
    if (!r->reserved || r->on_worker) {
        fn(r, arg);
        if (free_arg != NULL)
            free_arg(arg);
        return;
    }
    r->job = fn;
    r->job_arg = arg;
    r->job_free = free_arg;
}

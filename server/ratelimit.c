/* Token buckets per client address; see ratelimit.h. */
#include "ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "reply.h"
#include "req_state.h"

#define SC_RATE_SLOTS 8192u
#define STRIPES 64u
#define PER_STRIPE (SC_RATE_SLOTS / STRIPES)
/* Slots looked at for an address before the oldest gives way. */
#define PROBE 8u

typedef struct slot {
    sc_peer who;
    bool used;
    double seen;
    double tokens[SC_RATE_CLASSES];
    double stamp[SC_RATE_CLASSES];
} slot;

struct sc_ratelimit {
    pthread_mutex_t stripe[STRIPES];
    slot slots[SC_RATE_SLOTS];
    double per_minute[SC_RATE_CLASSES];
    uint8_t key[crypto_shorthash_KEYBYTES];
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int sc_ratelimit_new(const sc_config *cfg, sc_ratelimit **out)
{
    sc_ratelimit *rl = calloc(1, sizeof *rl);
    if (rl == NULL)
        return -1;
    for (unsigned i = 0; i < STRIPES; i++)
        pthread_mutex_init(&rl->stripe[i], NULL);
    rl->per_minute[SC_RATE_REGISTER] = cfg->rate_register;
    rl->per_minute[SC_RATE_JOIN] = cfg->rate_join;
    rl->per_minute[SC_RATE_AUTH] = cfg->rate_auth;
    randombytes_buf(rl->key, sizeof rl->key);
    *out = rl;
    return 0;
}

void sc_ratelimit_free(sc_ratelimit *rl)
{
    if (rl == NULL)
        return;
    for (unsigned i = 0; i < STRIPES; i++)
        pthread_mutex_destroy(&rl->stripe[i]);
    free(rl);
}

static bool same(const sc_peer *a, const sc_peer *b)
{
    return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

/* The slot of who in its stripe (locked by the caller): found, free, or
 * the one seen longest ago, reset for who. */
static slot *find(sc_ratelimit *rl, unsigned base, unsigned start,
                  const sc_peer *who, double t)
{
    slot *oldest = NULL;
    for (unsigned i = 0; i < PROBE; i++) {
        slot *s = &rl->slots[base + (start + i) % PER_STRIPE];
        if (s->used && same(&s->who, who))
            return s;
        if (oldest == NULL || !s->used ||
            (oldest->used && s->seen < oldest->seen))
            oldest = s;
    }
    memset(oldest, 0, sizeof *oldest);
    oldest->who = *who;
    oldest->used = true;
    for (unsigned c = 0; c < SC_RATE_CLASSES; c++) {
        oldest->tokens[c] = rl->per_minute[c];
        oldest->stamp[c] = t;
    }
    return oldest;
}

/* Refills, then takes a token when take is set and one is there;
 * answers the seconds to wait (0: a token was there). */
static unsigned bucket(sc_ratelimit *rl, sc_rate_class c, const sc_peer *who,
                       bool take)
{
    double n = rl->per_minute[c];
    if (n <= 0)
        return 0;
    uint8_t h[crypto_shorthash_BYTES];
    crypto_shorthash(h, who->bytes, sizeof who->bytes, rl->key);
    uint64_t v;
    memcpy(&v, h, sizeof v);
    unsigned stripe = (unsigned)(v % STRIPES);
    unsigned start = (unsigned)((v / STRIPES) % PER_STRIPE);
    double t = now_s(), rate = n / 60.0;
    pthread_mutex_lock(&rl->stripe[stripe]);
    slot *s = find(rl, stripe * PER_STRIPE, start, who, t);
    s->seen = t;
    s->tokens[c] = fmin(n, s->tokens[c] + (t - s->stamp[c]) * rate);
    s->stamp[c] = t;
    unsigned wait = 0;
    if (s->tokens[c] >= 1.0) {
        if (take)
            s->tokens[c] -= 1.0;
    } else {
        wait = (unsigned)ceil((1.0 - s->tokens[c]) / rate);
    }
    pthread_mutex_unlock(&rl->stripe[stripe]);
    return wait;
}

unsigned sc_ratelimit_take(sc_ratelimit *rl, sc_rate_class c,
                           const sc_peer *who)
{
    return bucket(rl, c, who, true);
}

unsigned sc_ratelimit_wait(sc_ratelimit *rl, sc_rate_class c,
                           const sc_peer *who)
{
    return bucket(rl, c, who, false);
}

static int refuse(sc_req *r, unsigned wait)
{
    sc_problem pb = {0};
    sc_problem_set(&pb, 429, "rate-limited",
                   "too many attempts from this address; retry in %u s",
                   wait);
    pb.retry_after = wait;
    sc_reply_problem(r, &pb);
    return -1;
}

int sc_req_rate_take(sc_req *r, sc_rate_class c)
{
    unsigned wait = sc_ratelimit_take(r->srv->rates, c, &r->peer);
    return wait == 0 ? 0 : refuse(r, wait);
}

int sc_req_rate_check(sc_req *r, sc_rate_class c)
{
    unsigned wait = sc_ratelimit_wait(r->srv->rates, c, &r->peer);
    return wait == 0 ? 0 : refuse(r, wait);
}

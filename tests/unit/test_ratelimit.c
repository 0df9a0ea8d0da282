/* Rate limits per client address (server/ratelimit.c) and the address
 * a request counts against (server/peer.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "server/config.h"
#include "server/peer.h"
#include "server/ratelimit.h"

static sc_peer peer(const char *text)
{
    sc_peer p;
    assert_true(sc_peer_parse(text, &p));
    return p;
}

static sc_ratelimit *limits(unsigned reg, unsigned join, unsigned auth)
{
    sc_config cfg = {0};
    cfg.rate_register = reg;
    cfg.rate_join = join;
    cfg.rate_auth = auth;
    sc_ratelimit *rl = NULL;
    assert_int_equal(sc_ratelimit_new(&cfg, &rl), 0);
    return rl;
}

static void bucket_holds_n_then_waits(void **state)
{
    (void)state;
    sc_ratelimit *rl = limits(3, 60, 0);
    sc_peer a = peer("192.0.2.1");
    for (int i = 0; i < 3; i++)
        assert_int_equal(sc_ratelimit_take(rl, SC_RATE_REGISTER, &a), 0);
    /* 3 a minute: the next token comes within 20 s. */
    unsigned wait = sc_ratelimit_take(rl, SC_RATE_REGISTER, &a);
    assert_true(wait >= 1 && wait <= 20);
    assert_int_equal(sc_ratelimit_wait(rl, SC_RATE_REGISTER, &a), wait);
    /* Classes are separate buckets. */
    assert_int_equal(sc_ratelimit_take(rl, SC_RATE_JOIN, &a), 0);
    sc_ratelimit_free(rl);
}

static void addresses_are_separate(void **state)
{
    (void)state;
    sc_ratelimit *rl = limits(1, 1, 1);
    sc_peer a = peer("192.0.2.1"), b = peer("192.0.2.2");
    assert_int_equal(sc_ratelimit_take(rl, SC_RATE_AUTH, &a), 0);
    assert_true(sc_ratelimit_take(rl, SC_RATE_AUTH, &a) > 0);
    assert_int_equal(sc_ratelimit_take(rl, SC_RATE_AUTH, &b), 0);
    sc_ratelimit_free(rl);
}

static void wait_takes_nothing(void **state)
{
    (void)state;
    sc_ratelimit *rl = limits(0, 0, 2);
    sc_peer a = peer("2001:db8::1");
    for (int i = 0; i < 10; i++)
        assert_int_equal(sc_ratelimit_wait(rl, SC_RATE_AUTH, &a), 0);
    assert_int_equal(sc_ratelimit_take(rl, SC_RATE_AUTH, &a), 0);
    assert_int_equal(sc_ratelimit_take(rl, SC_RATE_AUTH, &a), 0);
    assert_true(sc_ratelimit_wait(rl, SC_RATE_AUTH, &a) > 0);
    sc_ratelimit_free(rl);
}

static void zero_is_no_limit(void **state)
{
    (void)state;
    sc_ratelimit *rl = limits(0, 0, 0);
    sc_peer a = peer("192.0.2.1");
    for (int i = 0; i < 1000; i++)
        assert_int_equal(sc_ratelimit_take(rl, SC_RATE_REGISTER, &a), 0);
    sc_ratelimit_free(rl);
}

/* More addresses than the table holds: limits may be forgotten, never
 * a stranger refused. */
static void a_full_table_refuses_no_stranger(void **state)
{
    (void)state;
    sc_ratelimit *rl = limits(1, 0, 0);
    for (unsigned i = 0; i < 20000; i++) {
        sc_peer p = {.len = 4};
        memcpy(p.bytes, &i, sizeof i);
        assert_int_equal(sc_ratelimit_take(rl, SC_RATE_REGISTER, &p), 0);
    }
    sc_ratelimit_free(rl);
}

static void ipv6_counts_per_64_and_mapped_v4_as_v4(void **state)
{
    (void)state;
    sc_peer a = peer("2001:db8:1:2::1"), b = peer("2001:db8:1:2:ffff::9");
    sc_peer c = peer("2001:db8:1:3::1");
    assert_int_equal(a.len, 8);
    assert_memory_equal(a.bytes, b.bytes, 8);
    assert_memory_not_equal(a.bytes, c.bytes, 8);
    sc_peer m = peer("::ffff:192.0.2.7"), v4 = peer("192.0.2.7");
    assert_int_equal(m.len, 4);
    assert_memory_equal(m.bytes, v4.bytes, 4);
    sc_peer bad;
    assert_false(sc_peer_parse("example.org", &bad));
}

static void forwarded_takes_the_last_address(void **state)
{
    (void)state;
    sc_peer p, want = peer("203.0.113.9");
    assert_true(sc_peer_forwarded("198.51.100.7, 203.0.113.9", &p));
    assert_memory_equal(p.bytes, want.bytes, 4);
    assert_true(sc_peer_forwarded(" 203.0.113.9 ", &p));
    assert_memory_equal(p.bytes, want.bytes, 4);
    assert_false(sc_peer_forwarded("203.0.113.9, unknown", &p));
    assert_false(sc_peer_forwarded("", &p));
    assert_false(sc_peer_forwarded("1.2.3.4,", &p));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bucket_holds_n_then_waits),
        cmocka_unit_test(addresses_are_separate),
        cmocka_unit_test(wait_takes_nothing),
        cmocka_unit_test(zero_is_no_limit),
        cmocka_unit_test(a_full_table_refuses_no_stranger),
        cmocka_unit_test(ipv6_counts_per_64_and_mapped_v4_as_v4),
        cmocka_unit_test(forwarded_takes_the_last_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

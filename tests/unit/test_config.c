/* scoracled's options (server/config.c): defaults, every option, and
 * the refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "server/config.h"

/* Parses a NULL-terminated list of arguments after the program name. */
static int parse(sc_config *cfg, const char *const *args)
{
    char *argv[64] = {"scoracled"};
    int argc = 1;
    for (; args[argc - 1] != NULL; argc++)
        argv[argc] = (char *)args[argc - 1];
    return sc_config_parse(cfg, argc, argv);
}

static void defaults_follow_decisions(void **state)
{
    (void)state;
    sc_config cfg;
    const char *args[] = {NULL};
    assert_int_equal(parse(&cfg, args), 0);
    assert_string_equal(cfg.host, "127.0.0.1");
    assert_int_equal(cfg.port, 8080);
    assert_string_equal(cfg.state_dir, "state");
    assert_int_equal(cfg.max_body, 64u * 1024 * 1024);
    assert_int_equal(cfg.max_json_body, 32u * 1024 * 1024);
    assert_string_equal(cfg.log_path, "-");
    assert_true(cfg.registration_open); /* loopback */
    assert_int_equal(cfg.queue, 4 * cfg.workers);
    assert_int_equal(cfg.header_timeout, 30);
    assert_int_equal(cfg.body_timeout, 120);
    assert_null(cfg.trusted_proxy);
    assert_int_equal(cfg.rate_register, 60);
}

static void every_option_is_read(void **state)
{
    (void)state;
    sc_config cfg;
    const char *args[] = {"--listen", "[::1]:9000", "--state", "/tmp/s",
                          "--threads", "3", "--workers", "5", "--queue",
                          "0", "--max-body", "1024", "--max-json-body", "512",
                          "--log", "x.log",
                          "--registration", "closed", "--conn-limit", "7",
                          "--per-ip-limit", "2", "--timeout", "9",
                          "--backlog", "11", "--cache", "13",
                          "--per-net-limit", "17", "--header-timeout", "19",
                          "--body-timeout", "23", "--trusted-proxy",
                          "10.0.0.1", "--rate-register", "0",
                          "--rate-join", "29", "--rate-auth", "31", NULL};
    assert_int_equal(parse(&cfg, args), 0);
    assert_string_equal(cfg.host, "::1");
    assert_int_equal(cfg.port, 9000);
    assert_string_equal(cfg.state_dir, "/tmp/s");
    assert_int_equal(cfg.threads, 3);
    assert_int_equal(cfg.workers, 5);
    assert_int_equal(cfg.queue, 0);
    assert_int_equal(cfg.max_body, 1024);
    assert_int_equal(cfg.max_json_body, 512);
    assert_string_equal(cfg.log_path, "x.log");
    assert_false(cfg.registration_open);
    assert_int_equal(cfg.conn_limit, 7);
    assert_int_equal(cfg.per_ip_limit, 2);
    assert_int_equal(cfg.conn_timeout, 9);
    assert_int_equal(cfg.backlog, 11);
    assert_int_equal(cfg.cache_entries, 13);
    assert_int_equal(cfg.per_net_limit, 17);
    assert_int_equal(cfg.header_timeout, 19);
    assert_int_equal(cfg.body_timeout, 23);
    assert_string_equal(cfg.trusted_proxy, "10.0.0.1");
    assert_int_equal(cfg.rate_register, 0);
    assert_int_equal(cfg.rate_join, 29);
    assert_int_equal(cfg.rate_auth, 31);
}

static void registration_closed_off_loopback(void **state)
{
    (void)state;
    sc_config cfg;
    const char *args[] = {"--listen", "0.0.0.0:80", NULL};
    assert_int_equal(parse(&cfg, args), 0);
    assert_false(cfg.registration_open);
    assert_true(sc_config_is_loopback("127.0.0.2"));
    assert_true(sc_config_is_loopback("::1"));
    assert_false(sc_config_is_loopback("10.0.0.1"));
}

static void bad_values_are_refused(void **state)
{
    (void)state;
    const char *const bad[][3] = {
        {"--listen", "localhost", NULL},  {"--listen", "1.2.3.4:99999", NULL},
        {"--listen", ":80", NULL},        {"--threads", "0", NULL},
        {"--threads", "-1", NULL},        {"--workers", "two", NULL},
        {"--registration", "maybe", NULL}, {"--max-body", "1k", NULL},
        {"--bogus", "1", NULL},           {"extra", NULL, NULL},
        {"--trusted-proxy", "proxy.local", NULL},
        {"--header-timeout", "0", NULL},  {"--rate-join", "-1", NULL},
    };
    /* The refusals print a line each; keep the test output readable. */
    FILE *saved = stderr;
    stderr = fopen("/dev/null", "w");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sc_config cfg;
        assert_int_equal(parse(&cfg, bad[i]), -1);
    }
    fclose(stderr);
    stderr = saved;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_follow_decisions),
        cmocka_unit_test(every_option_is_read),
        cmocka_unit_test(registration_closed_off_loopback),
        cmocka_unit_test(bad_values_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

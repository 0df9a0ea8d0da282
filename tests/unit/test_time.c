/* RFC 3339 times on the wire (proto/sc_time.h): what is taken, how it is
 * normalised to UTC, and what is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/sc_time.h"

static void utc_is_kept(void **state)
{
    (void)state;
    char out[SC_TIME_LEN + 1];
    assert_int_equal(sc_time_parse("2027-01-31T23:59:00Z", out), 0);
    assert_string_equal(out, "2027-01-31T23:59:00Z");
}

static void offsets_move_to_utc(void **state)
{
    (void)state;
    char out[SC_TIME_LEN + 1];
    assert_int_equal(sc_time_parse("2027-01-01T00:30:00+01:00", out), 0);
    assert_string_equal(out, "2026-12-31T23:30:00Z");
    assert_int_equal(sc_time_parse("2024-02-28T22:00:00-05:30", out), 0);
    assert_string_equal(out, "2024-02-29T03:30:00Z");
    assert_int_equal(sc_time_parse("2999-01-01T12:00:00+02:00", out), 0);
    assert_string_equal(out, "2999-01-01T10:00:00Z");
}

static void malformed_times_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "tomorrow",
        "2027-01-31",
        "2027-01-31T23:59:00",       /* no zone */
        "2027-01-31 23:59:00Z",      /* a space for T */
        "2027-01-31T23:59:00.5Z",    /* fractions */
        "2027-02-30T00:00:00Z",      /* no such day */
        "2027-13-01T00:00:00Z",
        "2027-01-01T24:00:00Z",
        "2027-01-01T00:60:00Z",
        "2027-01-01T00:00:60Z",
        "0000-01-01T00:00:00Z",
        "+027-01-01T00:00:00Z",
        "2027-01-01T00:00:00+1:00",
        "2027-01-01T00:00:00+24:00",
        "2027-01-01T00:00:00+01:60",
        "2027-01-01T00:00:00ZZ",
        "9999-12-31T23:00:00-02:00", /* past year 9999 in UTC */
    };
    char out[SC_TIME_LEN + 1];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (sc_time_parse(bad[i], out) != -1)
            fail_msg("took %s", bad[i]);
    assert_int_equal(sc_time_parse(NULL, out), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utc_is_kept),
        cmocka_unit_test(offsets_move_to_utc),
        cmocka_unit_test(malformed_times_are_refused),
    };
    return cmocka_run_group_tests_name("time", tests, NULL, NULL);
}

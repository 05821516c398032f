/* Unit tests of RFC 3339 parsing and formatting: offsets, fractions, leap years,
 * and refusal of what is not a complete RFC 3339 time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "game/hunt.h"

static int64_t parse(const char *s)
{
    int64_t t = -1;
    assert_int_equal(spur_time_parse(s, &t), 0);
    return t;
}

static void offsets_give_the_same_instant(void **state)
{
    (void)state;
    assert_int_equal(parse("2026-06-18T10:00:00+02:00"), 1781769600);
    assert_int_equal(parse("2026-06-18T08:00:00Z"), 1781769600);
    assert_int_equal(parse("2026-06-18t08:00:00z"), 1781769600);
    assert_int_equal(parse("2026-06-18T03:30:00-04:30"), 1781769600);
    assert_int_equal(parse("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(parse("1969-12-31T23:59:59Z"), -1);
}

static void format_round_trips_through_utc(void **state)
{
    (void)state;
    char buf[32];
    spur_time_format(parse("2026-06-28T23:59:59+02:00"), buf, sizeof(buf));
    assert_string_equal(buf, "2026-06-28T21:59:59Z");
    spur_time_format(parse("2024-02-29T00:30:00+01:00"), buf, sizeof(buf));
    assert_string_equal(buf, "2024-02-28T23:30:00Z");
    spur_time_format(parse("2000-12-31T23:59:59Z"), buf, sizeof(buf));
    assert_string_equal(buf, "2000-12-31T23:59:59Z");
    spur_time_format(0, buf, sizeof(buf));
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    for (int64_t t = -86400 * 800; t < INT64_C(4102444800); t += 86400 * 37 + 3607) {
        spur_time_format(t, buf, sizeof(buf));
        assert_int_equal(parse(buf), t);
    }
}

static void fractional_seconds_are_kept_in_milliseconds(void **state)
{
    (void)state;
    int64_t ms = 0;
    char buf[32];
    assert_int_equal(spur_time_parse_ms("2026-06-18T10:00:00.123456+02:00", &ms), 0);
    assert_int_equal(ms, INT64_C(1781769600123));
    assert_int_equal(parse("2026-06-18T08:00:00.999Z"), 1781769600);
    spur_time_format_ms(ms, buf, sizeof(buf));
    assert_string_equal(buf, "2026-06-18T08:00:00.123Z");
    assert_int_equal(spur_time_parse_ms("2026-06-18T08:00:00.5Z", &ms), 0);
    assert_int_equal(ms, INT64_C(1781769600500));
    spur_time_format_ms(-1, buf, sizeof(buf));
    assert_string_equal(buf, "1969-12-31T23:59:59.999Z");
    assert_int_equal(parse("1969-12-31T23:59:59.5Z"), -1);
}

static void malformed_times_are_refused(void **state)
{
    (void)state;
    static const char *bad[] = {
        "",
        "2026-06-18",
        "2026-06-18T10:00:00",  /* no offset */
        "2026-06-18 10:00:00Z", /* space */
        "2026-06-18T10:00Z",
        "2026-13-01T00:00:00Z",
        "2026-02-29T00:00:00Z", /* not a leap year */
        "2026-04-31T00:00:00Z",
        "2026-06-18T24:00:00Z",
        "2026-06-18T10:60:00Z",
        "2026-06-18T10:00:60Z",
        "2026-06-18T10:00:00+2:00",
        "2026-06-18T10:00:00+02:00x",
        "2026-06-18T10:00:00.Z",
        "2026-06-18T10:00:00+24:00",
        "+2026-06-18T10:00:00Z",
    };
    int64_t t;
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        if (spur_time_parse(bad[i], &t) == 0)
            fail_msg("accepted \"%s\"", bad[i]);
    assert_int_equal(spur_time_parse(NULL, &t), -1);
    assert_int_equal(spur_time_parse("2024-02-29T00:00:00Z", &t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(offsets_give_the_same_instant),
        cmocka_unit_test(format_round_trips_through_utc),
        cmocka_unit_test(fractional_seconds_are_kept_in_milliseconds),
        cmocka_unit_test(malformed_times_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

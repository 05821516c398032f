/* Unit tests of local time in a hunt's zone (server/office/tz.c): against glibc's
 * own localtime_r with TZ set (safe here: this test is one thread), across
 * daylight-saving changes, in both hemispheres, and past the files' transition
 * tables (2037 on), where the POSIX-TZ rule takes over; the German and English
 * formats; the names a hunt file may give. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "game/hunt.h"
#include "office/tz.h"

static void same_as_glibc(const char *zone)
{
    spur_tz_t tz;
    char env[96];
    int checked = 0;

    assert_int_equal(spur_tz_load(&tz, zone, NULL), 0);
    snprintf(env, sizeof(env), ":%s", zone);
    setenv("TZ", env, 1);
    tzset();
    /* from 1950 to 2099 in steps that land on every hour and weekday over time, plus
       the minutes around each change glibc reports */
    for (int64_t t = -631152000; t < INT64_C(4102444800); t += 86400 * 3 + 3600 * 5 + 1) {
        for (int d = -1; d <= 1; d++) {
            int64_t u = t + d * 1800;
            time_t tt = (time_t)u;
            struct tm want, got;
            localtime_r(&tt, &want);
            spur_tz_local(&tz, u, &got);
            if (want.tm_gmtoff != got.tm_gmtoff || want.tm_hour != got.tm_hour ||
                want.tm_mday != got.tm_mday || want.tm_isdst != got.tm_isdst)
                fail_msg("%s at %lld: glibc %04d-%02d-%02d %02d:%02d %+ld dst %d, ours "
                         "%04d-%02d-%02d %02d:%02d %+ld dst %d",
                         zone, (long long)u, want.tm_year + 1900, want.tm_mon + 1, want.tm_mday,
                         want.tm_hour, want.tm_min, want.tm_gmtoff, want.tm_isdst,
                         got.tm_year + 1900, got.tm_mon + 1, got.tm_mday, got.tm_hour, got.tm_min,
                         got.tm_gmtoff, got.tm_isdst);
            checked++;
        }
    }
    assert_true(checked > 10000);
    unsetenv("TZ");
    tzset();
    spur_tz_free(&tz);
}

static void berlin_matches_glibc(void **state)
{
    (void)state;
    same_as_glibc("Europe/Berlin");
}

static void other_zones_match_glibc(void **state)
{
    (void)state;
    same_as_glibc("America/New_York");
    same_as_glibc("Australia/Sydney"); /* summer time across the new year */
    same_as_glibc("Asia/Kolkata");     /* a half-hour offset, no summer time */
    same_as_glibc("UTC");
}

static void german_format_is_office_ready(void **state)
{
    (void)state;
    spur_tz_t tz;
    char buf[40];
    int64_t t;

    assert_int_equal(spur_tz_load(&tz, "Europe/Berlin", NULL), 0);
    assert_int_equal(spur_time_parse("2026-06-18T08:00:00Z", &t), 0);
    spur_tz_format(&tz, t, 1, buf, sizeof(buf));
    assert_string_equal(buf, "18.06.2026, 10:00 Uhr");
    spur_tz_format(&tz, t, 0, buf, sizeof(buf));
    assert_string_equal(buf, "18 Jun 2026, 10:00");
    /* winter: one hour ahead only, so 23:30 UTC on New Year's Eve is already next year */
    assert_int_equal(spur_time_parse("2026-12-31T23:30:00Z", &t), 0);
    spur_tz_format(&tz, t, 1, buf, sizeof(buf));
    assert_string_equal(buf, "01.01.2027, 00:30 Uhr");
    spur_tz_format_date(&tz, t, 1, buf, sizeof(buf));
    assert_string_equal(buf, "01.01.2027");
    spur_tz_format_date(&tz, t, 0, buf, sizeof(buf));
    assert_string_equal(buf, "2027-01-01");
    spur_tz_free(&tz);
}

static void unknown_or_odd_zones_stay_utc(void **state)
{
    (void)state;
    spur_tz_t tz;
    struct tm tm;
    static const unsigned char junk[] = "TZif2 but not really a zone file at all, no.........";

    assert_int_equal(spur_tz_load(&tz, "Europe/Atlantis", NULL), -ENOENT);
    spur_tz_local(&tz, 3600, &tm);
    assert_int_equal(tm.tm_hour, 1);
    assert_int_equal(tm.tm_gmtoff, 0);
    assert_int_equal(spur_tz_load(&tz, "../../etc/passwd", NULL), -EINVAL);
    assert_int_equal(spur_tz_load(&tz, "/etc/passwd", NULL), -EINVAL);
    assert_int_equal(spur_tz_parse(&tz, junk, sizeof(junk)), -EINVAL);
    spur_tz_local(&tz, 0, &tm);
    assert_int_equal(tm.tm_year, 70);
}

static void zone_names_are_checked_for_shape(void **state)
{
    (void)state;
    assert_true(spur_hunt_tz_name_ok("Europe/Berlin"));
    assert_true(spur_hunt_tz_name_ok("America/Argentina/Buenos_Aires"));
    assert_true(spur_hunt_tz_name_ok("Etc/GMT-2"));
    assert_true(spur_hunt_tz_name_ok("Etc/GMT+10"));
    assert_false(spur_hunt_tz_name_ok(""));
    assert_false(spur_hunt_tz_name_ok("/etc/passwd"));
    assert_false(spur_hunt_tz_name_ok("Europe/../../etc/passwd"));
    assert_false(spur_hunt_tz_name_ok("Europe/Berlin "));
    assert_false(spur_hunt_tz_name_ok("Europe\\Berlin"));
    assert_false(spur_hunt_tz_name_ok(
        "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")); /* 65 */
}

static void hunt_file_time_zone_defaults_to_berlin(void **state)
{
    (void)state;
    static const char *base =
        "{\"id\":\"z\",\"title\":\"Z\",\"starts_at\":\"2026-01-01T10:00:00Z\","
        "\"ends_at\":\"2026-02-01T10:00:00Z\",\"puzzles\":[{\"id\":\"a\","
        "\"title\":\"A\",\"points\":1,\"answer\":{\"accept\":[\"x\"]}}]%s}";
    char text[512];
    spur_diags_t d = {0};
    spur_hunt_t *h;
    cJSON *root;

    snprintf(text, sizeof(text), base, "");
    root = cJSON_Parse(text);
    h = spur_hunt_from_json(root, &d);
    assert_non_null(h);
    assert_string_equal(h->time_zone, "Europe/Berlin");
    spur_hunt_free(h);
    cJSON_Delete(root);

    snprintf(text, sizeof(text), base, ",\"time_zone\":\"America/New_York\"");
    root = cJSON_Parse(text);
    h = spur_hunt_from_json(root, &d);
    assert_non_null(h);
    assert_string_equal(h->time_zone, "America/New_York");
    spur_hunt_free(h);
    cJSON_Delete(root);

    snprintf(text, sizeof(text), base, ",\"time_zone\":\"../etc/passwd\"");
    root = cJSON_Parse(text);
    assert_null(spur_hunt_from_json(root, &d));
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.items[0].path, "time_zone");
    cJSON_Delete(root);
    spur_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(berlin_matches_glibc),
        cmocka_unit_test(other_zones_match_glibc),
        cmocka_unit_test(german_format_is_office_ready),
        cmocka_unit_test(unknown_or_odd_zones_stay_utc),
        cmocka_unit_test(zone_names_are_checked_for_shape),
        cmocka_unit_test(hunt_file_time_zone_defaults_to_berlin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of check-in geometry (game/geo.c): distances and directions on the
 * sphere, also where flat-map shortcuts fail (the poles, the date line), the rule
 * that judges a check-in, and the stored position text. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "game/geo.h"

#define M_PER_DEG (6371008.8 * M_PI / 180) /* metres per degree of latitude */

static void distances_match_known_values(void **state)
{
    (void)state;
    assert_true(spur_geo_distance_m(49.4447, 7.7690, 49.4447, 7.7690) == 0);
    /* one degree of latitude anywhere */
    assert_true(fabs(spur_geo_distance_m(10, 20, 11, 20) - M_PER_DEG) < 0.01);
    /* Kaiserslautern to Mainz, about 70 km */
    double d = spur_geo_distance_m(49.4447, 7.7690, 49.9929, 8.2473);
    assert_true(d > 69500 && d < 71000);
    /* antipodes: half the circumference, no NaN from rounding */
    d = spur_geo_distance_m(0, 0, 0, 180);
    assert_true(fabs(d - 180 * M_PER_DEG) < 1);
    d = spur_geo_distance_m(45, 10, -45, -170);
    assert_true(isfinite(d) && fabs(d - 180 * M_PER_DEG) < 1);
}

static void across_the_date_line_is_short(void **state)
{
    (void)state;
    /* 0.001 degrees either side of 180: about 111 m, not 40,000 km */
    double d = spur_geo_distance_m(0, 179.9995, 0, -179.9995);
    assert_true(fabs(d - 0.001 * M_PER_DEG) < 0.01);
    /* eastward across it: bearing 90 */
    assert_int_equal((int)round(spur_geo_bearing(0, 179.9995, 0, -179.9995)), 90);
    assert_int_equal((int)round(spur_geo_bearing(0, -179.9995, 0, 179.9995)), 270);
}

static void near_the_poles_longitude_shrinks(void **state)
{
    (void)state;
    /* two points 0.1 degrees from the north pole on opposite meridians: 0.2 degrees
       apart over the pole */
    double d = spur_geo_distance_m(89.9, 0, 89.9, 180);
    assert_true(fabs(d - 0.2 * M_PER_DEG) < 0.5);
    /* at 89.9 N a degree of longitude is about 194 m */
    d = spur_geo_distance_m(89.9, 10, 89.9, 11);
    assert_true(d > 190 && d < 200);
    /* from near the pole every way to the pole is north; from the pole, south */
    assert_int_equal((int)round(spur_geo_bearing(89.9, 123, 90, 0)) % 360, 0);
    assert_int_equal((int)round(spur_geo_bearing(90, 0, 89, 0)), 180);
    assert_true(spur_geo_distance_m(-90, 0, -90, 77) < 1e-6); /* the south pole is one point */
}

static void bearings_point_the_right_way(void **state)
{
    (void)state;
    assert_int_equal((int)round(spur_geo_bearing(49, 7, 49.001, 7)), 0);
    assert_int_equal((int)round(spur_geo_bearing(49, 7, 49, 7.001)), 90);
    assert_int_equal((int)round(spur_geo_bearing(49, 7, 48.999, 7)), 180);
    assert_int_equal((int)round(spur_geo_bearing(49, 7, 49, 6.999)), 270);
}

static spur_hunt_t *hunt_at(spur_place_t *pl, spur_puzzle_t *p, double lat, double lon)
{
    static spur_hunt_t h;
    memset(&h, 0, sizeof h);
    memset(pl, 0, sizeof *pl);
    memset(p, 0, sizeof *p);
    pl->lat = lat, pl->lon = lon, pl->has_pos = 1;
    p->kind = SPUR_KIND_CHECKIN, p->place = 0, p->radius = 30;
    h.places = pl, h.nplaces = 1, h.puzzles = p, h.npuzzles = 1, h.max_accuracy = 100;
    return &h;
}

static void the_checkin_rule(void **state)
{
    (void)state;
    spur_place_t pl;
    spur_puzzle_t p;
    spur_hunt_t *h = hunt_at(&pl, &p, 49.4447, 7.7690);
    int d, b;
    double north = 1 / M_PER_DEG; /* one metre north in degrees */

    /* 26 m away with a sharp fix: inside the radius */
    assert_int_equal(spur_checkin_judge(h, &p, 49.4447 - 26 * north, 7.7690, 3, &d, &b),
                     SPUR_CHECKIN_HERE);
    assert_int_equal(d, 30); /* rounded to 10 m */
    assert_int_equal(b, 0);
    /* 54 m away, accurate to 25 m: 54 - 25 <= 30 */
    assert_int_equal(spur_checkin_judge(h, &p, 49.4447 - 54 * north, 7.7690, 25, &d, &b),
                     SPUR_CHECKIN_HERE);
    /* 66 m away, accurate to 80 m: at most one radius of doubt, 66 - 30 > 30 */
    assert_int_equal(spur_checkin_judge(h, &p, 49.4447 + 66 * north, 7.7690, 80, &d, &b),
                     SPUR_CHECKIN_FAR);
    assert_int_equal(d, 70);
    assert_int_equal(b, 180);
    /* a fix vaguer than max_accuracy says nothing, even at the spot */
    assert_int_equal(spur_checkin_judge(h, &p, 49.4447, 7.7690, 101, &d, &b),
                     SPUR_CHECKIN_POOR_ACCURACY);
    /* a place on the date line */
    h = hunt_at(&pl, &p, -16.5, 180);
    assert_int_equal(spur_checkin_judge(h, &p, -16.5, -179.9998, 5, &d, &b), SPUR_CHECKIN_HERE);
}

static void validity_of_positions(void **state)
{
    (void)state;
    assert_true(spur_geo_valid(90, 180, 0));
    assert_true(spur_geo_valid(-90, -180, SPUR_ACCURACY_MAX));
    assert_false(spur_geo_valid(90.0001, 0, 1));
    assert_false(spur_geo_valid(0, -180.0001, 1));
    assert_false(spur_geo_valid(NAN, 0, 1));
    assert_false(spur_geo_valid(0, INFINITY, 1));
    assert_false(spur_geo_valid(0, 0, -1));
    assert_false(spur_geo_valid(0, 0, NAN));
}

static void the_stored_text_reads_back(void **state)
{
    (void)state;
    char s[SPUR_CHECKIN_TEXT_MAX];
    double lat, lon, acc;
    spur_checkin_format(s, sizeof s, -89.123456789, -179.9999994, 12.4);
    assert_string_equal(s, "@-89.123457,-179.999999~12");
    assert_int_equal(spur_checkin_parse(s, &lat, &lon, &acc), 0);
    assert_true(fabs(lat + 89.123457) < 1e-9 && fabs(lon + 179.999999) < 1e-9 && acc == 12);
    spur_checkin_format(s, sizeof s, -90, -180, SPUR_ACCURACY_MAX);
    assert_true(strlen(s) < SPUR_CHECKIN_TEXT_MAX);
    assert_int_equal(spur_checkin_parse("@1,2", &lat, &lon, &acc), -1);
    assert_int_equal(spur_checkin_parse("Barbarossa", &lat, &lon, &acc), -1);
    assert_int_equal(spur_checkin_parse("@91,2~3", &lat, &lon, &acc), -1);
    assert_int_equal(spur_checkin_parse("@nan,2~3", &lat, &lon, &acc), -1);
    assert_int_equal(spur_checkin_parse("@1,2~3x", &lat, &lon, &acc), -1);
    assert_int_equal(spur_checkin_parse(NULL, &lat, &lon, &acc), -1);
}

static void speed_between_checkins(void **state)
{
    (void)state;
    /* 1 km in 60 s is 60 km/h */
    double v = spur_checkin_speed_kmh(49, 7, 0, 49 + 1000 / M_PER_DEG, 7, 60000);
    assert_true(fabs(v - 60) < 0.01);
    /* the same moment twice: counted as 1 ms, not a division by zero */
    assert_true(isfinite(spur_checkin_speed_kmh(49, 7, 5, 49.1, 7, 5)));
    /* under a second apart counts as a second: 11.1 km in 1 s is about 40000 km/h */
    assert_true(fabs(spur_checkin_speed_kmh(49, 7, 5, 49.1, 7, 10) -
                     spur_checkin_speed_kmh(49, 7, 0, 49.1, 7, 1000)) < 1e-9);
    /* order does not matter */
    assert_true(fabs(spur_checkin_speed_kmh(49, 7, 60000, 49.01, 7, 0) -
                     spur_checkin_speed_kmh(49, 7, 0, 49.01, 7, 60000)) < 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(distances_match_known_values),
        cmocka_unit_test(across_the_date_line_is_short),
        cmocka_unit_test(near_the_poles_longitude_shrinks),
        cmocka_unit_test(bearings_point_the_right_way),
        cmocka_unit_test(the_checkin_rule),
        cmocka_unit_test(validity_of_positions),
        cmocka_unit_test(the_stored_text_reads_back),
        cmocka_unit_test(speed_between_checkins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

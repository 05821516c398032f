/* Positions on the earth for check-in puzzles ("kind": "checkin"): the great-circle
 * distance and direction between two points, the judgement of a check-in against its
 * place, and the speed between two check-ins that makes staff look twice. Pure C, no
 * I/O; any thread. */
#ifndef SPUR_GEO_H
#define SPUR_GEO_H

#include <stddef.h>
#include <stdint.h>

#include "hunt.h"

#define SPUR_CHECKIN_FLAG_KMH 50 /* faster than this between two check-ins: flagged */

/* Whether lat/lon are finite degrees in range (-90..90, -180..180) and accuracy a
 * finite radius in metres, 0..SPUR_ACCURACY_MAX. */
#define SPUR_ACCURACY_MAX 100000.0
int spur_geo_valid(double lat, double lon, double accuracy);

/* Great-circle distance in metres (haversine on a sphere of the earth's mean radius:
 * within 0.5 % of the ellipsoid, far below what a phone's GPS can tell). */
double spur_geo_distance_m(double lat1, double lon1, double lat2, double lon2);
/* Initial direction from point 1 to point 2, degrees clockwise from north, 0..360. */
double spur_geo_bearing(double lat1, double lon1, double lat2, double lon2);

typedef enum {
    SPUR_CHECKIN_HERE,         /* counts */
    SPUR_CHECKIN_FAR,          /* too far away: *distance_m says how far */
    SPUR_CHECKIN_POOR_ACCURACY /* the phone's position is too vague to tell */
} spur_checkin_t;

/* Judges a check-in at (lat, lon) with the phone's accuracy radius (metres) against
 * puzzle p's place (which has a position). It counts when
 *   distance - min(accuracy, radius) <= radius
 * (an uncertain fix gets at most one radius of benefit of the doubt); a fix vaguer
 * than max_accuracy says nothing. *distance_m: the distance to the place rounded to
 * 10 m; *bearing: from the player towards the place, whole degrees. */
spur_checkin_t spur_checkin_judge(const spur_hunt_t *h, const spur_puzzle_t *p, double lat,
                                  double lon, double accuracy, int *distance_m, int *bearing);

/* A counted check-in is stored as an answer whose text is the position:
 * "@49.444700,7.769000~12" (lat, lon with 6 decimals, about 10 cm; accuracy in whole
 * metres). format writes it into out (at least 48 bytes); parse reads it back and
 * returns 0, or -1 when s is not one. */
#define SPUR_CHECKIN_TEXT_MAX 48
void spur_checkin_format(char *out, size_t size, double lat, double lon, double accuracy);
int spur_checkin_parse(const char *s, double *lat, double *lon, double *accuracy);

/* km/h needed to get from one check-in to the next (positions in degrees, times in
 * ms); check-ins less than a second apart count as one second apart (two taps a few
 * ms apart at different places are just as impossible, and "700000 km/h" reads as a
 * bug to staff). */
double spur_checkin_speed_kmh(double lat1, double lon1, int64_t at1, double lat2, double lon2,
                              int64_t at2);

#endif

/* Check-in geometry: see geo.h. */
#include "geo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EARTH_RADIUS_M 6371008.8 /* mean radius (IUGG) */
#define DEG (M_PI / 180.0)

int spur_geo_valid(double lat, double lon, double accuracy)
{
    return isfinite(lat) && isfinite(lon) && isfinite(accuracy) && lat >= -90 && lat <= 90 &&
           lon >= -180 && lon <= 180 && accuracy >= 0 && accuracy <= SPUR_ACCURACY_MAX;
}

double spur_geo_distance_m(double lat1, double lon1, double lat2, double lon2)
{
    double dlat = (lat2 - lat1) * DEG, dlon = (lon2 - lon1) * DEG;
    double s1 = sin(dlat / 2), s2 = sin(dlon / 2);
    double a = s1 * s1 + cos(lat1 * DEG) * cos(lat2 * DEG) * s2 * s2;
    /* a can leave [0, 1] by rounding for antipodal points */
    a = a < 0 ? 0 : a > 1 ? 1 : a;
    return 2 * EARTH_RADIUS_M * asin(sqrt(a));
}

double spur_geo_bearing(double lat1, double lon1, double lat2, double lon2)
{
    double p1 = lat1 * DEG, p2 = lat2 * DEG, dl = (lon2 - lon1) * DEG;
    double y = sin(dl) * cos(p2), x = cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl);
    double b = atan2(y, x) / DEG;
    return b < 0 ? b + 360 : b >= 360 ? b - 360 : b;
}

spur_checkin_t spur_checkin_judge(const spur_hunt_t *h, const spur_puzzle_t *p, double lat,
                                  double lon, double accuracy, int *distance_m, int *bearing)
{
    const spur_place_t *pl = &h->places[p->place];
    double d = spur_geo_distance_m(lat, lon, pl->lat, pl->lon);
    double slack = accuracy < p->radius ? accuracy : p->radius;

    *distance_m = (int)(round(d / 10) * 10);
    *bearing = (int)round(spur_geo_bearing(lat, lon, pl->lat, pl->lon)) % 360;
    if (accuracy > h->max_accuracy)
        return SPUR_CHECKIN_POOR_ACCURACY;
    return d - slack <= p->radius ? SPUR_CHECKIN_HERE : SPUR_CHECKIN_FAR;
}

void spur_checkin_format(char *out, size_t size, double lat, double lon, double accuracy)
{
    snprintf(out, size, "@%.6f,%.6f~%.0f", lat, lon, accuracy);
}

int spur_checkin_parse(const char *s, double *lat, double *lon, double *accuracy)
{
    char *end;
    if (!s || s[0] != '@')
        return -1;
    *lat = strtod(s + 1, &end);
    if (*end != ',')
        return -1;
    *lon = strtod(end + 1, &end);
    if (*end != '~')
        return -1;
    *accuracy = strtod(end + 1, &end);
    return *end == 0 && spur_geo_valid(*lat, *lon, *accuracy) ? 0 : -1;
}

double spur_checkin_speed_kmh(double lat1, double lon1, int64_t at1, double lat2, double lon2,
                              int64_t at2)
{
    int64_t ms = at2 > at1 ? at2 - at1 : at1 - at2;
    if (ms < 1000)
        ms = 1000;
    return spur_geo_distance_m(lat1, lon1, lat2, lon2) / 1000.0 / ((double)ms / 3600000.0);
}

/* RFC 3339 times to and from Unix time, in UTC only: plain calendar arithmetic
 * (days from civil, proleptic Gregorian), no locale, no time zone database, no
 * global state. Any thread.
 *
 * Accepted: "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)", 'T' and 'Z' in either
 * case, years 0000-9999, seconds 00-59 (a leap second 60 is refused: Unix time
 * cannot name it). Fractional seconds are truncated towards the past. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hunt.h"

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

int spur_time_parse_ms(const char *s, int64_t *out_ms)
{
    int y, mo, d, h, mi, sec, oh = 0, om = 0, ms = 0;
    int64_t off = 0;
    size_t i = 19;

    if (!s || strlen(s) < 20)
        return -1;
    if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) ||
        s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
        return -1;
    if (s[i] == '.') {
        int n = 0;
        for (i++; s[i] >= '0' && s[i] <= '9'; i++, n++)
            if (n < 3)
                ms = ms * 10 + (s[i] - '0');
        if (n == 0)
            return -1;
        for (; n < 3; n++)
            ms *= 10;
    }
    if (s[i] == 'Z' || s[i] == 'z') {
        i++;
    } else if (s[i] == '+' || s[i] == '-') {
        if (digits(s + i + 1, 2, &oh) || s[i + 3] != ':' || digits(s + i + 4, 2, &om) || oh > 23 ||
            om > 59)
            return -1;
        off = (int64_t)(oh * 60 + om) * 60;
        if (s[i] == '-')
            off = -off;
        i += 6;
    } else {
        return -1;
    }
    if (s[i] != '\0')
        return -1;
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
    *out_ms = t * 1000 + ms;
    return 0;
}

int spur_time_parse(const char *s, int64_t *out)
{
    int64_t ms;
    if (spur_time_parse_ms(s, &ms) < 0)
        return -1;
    *out = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    return 0;
}

/* Clamped to years 0000-9999 so the arithmetic cannot overflow. */
#define TIME_MIN INT64_C(-62167219200) /* 0000-01-01T00:00:00Z */
#define TIME_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

static void format(int64_t secs, int ms, char *out, size_t out_size)
{
    if (secs < TIME_MIN)
        secs = TIME_MIN;
    if (secs > TIME_MAX)
        secs = TIME_MAX;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rem = secs - days * 86400;
    int64_t y;
    int m, d;

    civil_from_days(days, &y, &m, &d);
    if (ms >= 0)
        snprintf(out, out_size, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", (long long)y, m, d,
                 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60), ms);
    else
        snprintf(out, out_size, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d,
                 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

void spur_time_format(int64_t t, char *out, size_t out_size)
{
    format(t, -1, out, out_size);
}

void spur_time_format_ms(int64_t ms, char *out, size_t out_size)
{
    if (ms < TIME_MIN * 1000)
        ms = TIME_MIN * 1000;
    if (ms > TIME_MAX * 1000 + 999)
        ms = TIME_MAX * 1000 + 999;
    int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    format(secs, (int)(ms - secs * 1000), out, out_size);
}

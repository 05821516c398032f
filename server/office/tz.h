/* Local time in a hunt's time zone ("time_zone", an IANA name such as
 * "Europe/Berlin"), for times shown to people: the tool's output, the office
 * workbook. Read from the system's zoneinfo files (Debian's tzdata), parsed here,
 * and kept in a value of its own, so no process-wide state is touched: any thread,
 * any number of zones at once. */
#ifndef SPUR_TZ_H
#define SPUR_TZ_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* One POSIX-TZ rule date ("M3.5.0/2"): when a daylight-saving period starts or ends. */
typedef struct {
    char kind;   /* 'M' month/week/day, 'J' Julian day 1..365 without Feb 29, 'D' day 0..365 */
    int month;   /* 1..12 ('M') */
    int week;    /* 1..5, 5 = last ('M') */
    int day;     /* weekday 0 = Sunday ('M'), or the day ('J', 'D') */
    int32_t sec; /* local time of day of the change, seconds (may be < 0 or > 24 h) */
} spur_tz_date_t;

/* A zone. All zero (spur_tz_t tz = {0}) is UTC, and so is a failed load: a caller
 * that cannot load a zone can still show times, in UTC. Free with spur_tz_free. */
typedef struct {
    int64_t *at;         /* [n] transition times, Unix seconds, ascending */
    unsigned char *type; /* [n] index into off/dst of the type from at[i] on */
    size_t n;
    int32_t *off;       /* [ntypes] offset from UTC in seconds */
    unsigned char *dst; /* [ntypes] 1 = daylight-saving time */
    size_t ntypes;
    /* the rule for times after the last transition (the file's POSIX-TZ footer) */
    int has_rule;
    int32_t std_off, dst_off; /* seconds east of UTC */
    int has_dst;              /* else always std_off */
    spur_tz_date_t start, end;
} spur_tz_t;

/* The zoneinfo folder: $TZDIR when set, else /usr/share/zoneinfo. */
const char *spur_tz_dir(void);

/* Loads zone name (spur_hunt_tz_name_ok shape) from dir (NULL: spur_tz_dir()).
 * Returns 0, or a negative errno-style code (-ENOENT: no such zone, -EINVAL: a name
 * of the wrong shape or a file that is not TZif) with *tz left as UTC. Blocking
 * file I/O: the thread pool or the tool, never the loop. */
int spur_tz_load(spur_tz_t *tz, const char *name, const char *dir);
/* Parses a TZif file's bytes (RFC 8536, versions 1 to 4). Returns 0 or -EINVAL (*tz
 * is then UTC). Pure; for tests and spur_tz_load. */
int spur_tz_parse(spur_tz_t *tz, const unsigned char *data, size_t len);
void spur_tz_free(spur_tz_t *tz);

/* Unix seconds t as local broken-down time in tz: tm_year etc. as gmtime_r fills
 * them, tm_isdst and tm_gmtoff (seconds east of UTC) set. */
void spur_tz_local(const spur_tz_t *tz, int64_t t, struct tm *out);

/* t in tz for people: German "18.06.2026, 10:00 Uhr", English "18 Jun 2026, 10:00".
 * out holds at least 32 bytes. */
void spur_tz_format(const spur_tz_t *tz, int64_t t, int german, char *out, size_t size);
/* Only the date: "18.06.2026" or "2026-06-18" (at least 16 bytes). */
void spur_tz_format_date(const spur_tz_t *tz, int64_t t, int german, char *out, size_t size);

#endif

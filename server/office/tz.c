/* Local time in a named zone, read from the TZif files of the system's tzdata
 * (RFC 8536): the transition table, and past its end the POSIX-TZ rule the file
 * ends with ("CET-1CEST,M3.5.0,M10.5.0/3").
 *
 * Why not localtime_r: glibc takes the zone from the process-wide TZ variable.
 * Switching it per call (setenv + tzset under a mutex) is not safe in spurd, whose
 * other threads (the writer's SQLite, the thread pool's libraries) may read the
 * environment at the same moment, and setenv may move the environment under them.
 * A zone parsed into a value of its own needs no lock, touches no global, and lets
 * one process show two hunts in two zones side by side. The format is small and
 * stable (it changed only by additions since 2005), and Debian's tzdata keeps the
 * files current. */
#include "tz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "game/hunt.h"

#define TZ_FILE_MAX (256u << 10) /* a zone file is 2-4 KiB; refuse anything odd */
#define TZ_TIMES_MAX 65536
#define HOUR 3600

const char *spur_tz_dir(void)
{
    const char *d = getenv("TZDIR");
    return d && *d ? d : "/usr/share/zoneinfo";
}

void spur_tz_free(spur_tz_t *tz)
{
    free(tz->at);
    free(tz->type);
    free(tz->off);
    free(tz->dst);
    memset(tz, 0, sizeof(*tz));
}

/* ---- calendar ---- */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : dm[m - 1];
}

/* The day (days since 1970-01-01) a rule date falls on in year y. */
static int64_t rule_day(const spur_tz_date_t *r, int64_t y)
{
    int64_t jan1 = days_from_civil(y, 1, 1);
    if (r->kind == 'J')
        return jan1 + r->day - 1 + (leap(y) && r->day >= 60);
    if (r->kind == 'D')
        return jan1 + r->day;
    int64_t first = days_from_civil(y, r->month, 1);
    int wday_first = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    int dom = 1 + (r->day - wday_first + 7) % 7 + (r->week - 1) * 7;
    while (dom > month_days(y, r->month))
        dom -= 7;
    return first + dom - 1;
}

/* ---- the POSIX-TZ rule ---- */

/* [+-]hh[:mm[:ss]]; returns the text after it, or NULL. */
static const char *parse_hms(const char *s, int32_t *out)
{
    int sign = 1, part[3] = {0, 0, 0}, k = 0;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    if (*s < '0' || *s > '9')
        return NULL;
    for (;;) {
        int v = 0, digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 3)
            v = v * 10 + (*s++ - '0'), digits++;
        if (!digits)
            return NULL;
        part[k++] = v;
        if (k == 3 || *s != ':')
            break;
        s++;
    }
    if (part[0] > 167 || part[1] > 59 || part[2] > 59)
        return NULL;
    *out = sign * (part[0] * HOUR + part[1] * 60 + part[2]);
    return s;
}

/* A zone abbreviation: letters, or anything but '>' inside <...>. */
static const char *parse_name(const char *s)
{
    const char *p = s;
    if (*p == '<') {
        while (*p && *p != '>')
            p++;
        return *p == '>' && p - s > 1 ? p + 1 : NULL;
    }
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
        p++;
    return p - s >= 3 ? p : NULL;
}

static int in_range(int v, int lo, int hi)
{
    return v >= lo && v <= hi;
}

static const char *parse_date(const char *s, spur_tz_date_t *r)
{
    int v[3] = {0, 0, 0};
    r->sec = 2 * HOUR;
    if (*s == 'M') {
        s++;
        for (int k = 0; k < 3; k++) {
            if (k && *s++ != '.')
                return NULL;
            if (*s < '0' || *s > '9')
                return NULL;
            while (*s >= '0' && *s <= '9' && v[k] < 100)
                v[k] = v[k] * 10 + (*s++ - '0');
        }
        if (!in_range(v[0], 1, 12) || !in_range(v[1], 1, 5) || !in_range(v[2], 0, 6))
            return NULL;
        r->kind = 'M';
        r->month = v[0];
        r->week = v[1];
        r->day = v[2];
    } else {
        r->kind = *s == 'J' ? 'J' : 'D';
        if (*s == 'J')
            s++;
        if (*s < '0' || *s > '9')
            return NULL;
        while (*s >= '0' && *s <= '9' && v[0] < 1000)
            v[0] = v[0] * 10 + (*s++ - '0');
        if (r->kind == 'J' ? !in_range(v[0], 1, 365) : !in_range(v[0], 0, 365))
            return NULL;
        r->day = v[0];
    }
    if (*s == '/')
        s = parse_hms(s + 1, &r->sec);
    return s;
}

/* "CET-1CEST,M3.5.0,M10.5.0/3": POSIX offsets count west, ours east. An empty or
 * unreadable rule leaves has_rule 0 (the last transition's type then holds). */
static void parse_rule(spur_tz_t *tz, const char *s)
{
    int32_t v;
    if (!(s = parse_name(s)) || !(s = parse_hms(s, &v)))
        return;
    tz->std_off = -v;
    tz->dst_off = tz->std_off + HOUR;
    if (*s && *s != ',') {
        if (!(s = parse_name(s)))
            return;
        if (*s && *s != ',') {
            if (!(s = parse_hms(s, &v)))
                return;
            tz->dst_off = -v;
        }
        if (*s != ',' || !(s = parse_date(s + 1, &tz->start)) || *s != ',' ||
            !(s = parse_date(s + 1, &tz->end)))
            return;
        tz->has_dst = 1;
    }
    /* POSIX allows 167 hours; no zone is further than a day from UTC, and the types
       of the file are held to the same bounds */
    if (*s || tz->std_off < -25 * HOUR || tz->std_off > 26 * HOUR || tz->dst_off < -25 * HOUR ||
        tz->dst_off > 26 * HOUR)
        return;
    tz->has_rule = 1;
}

static int32_t rule_offset(const spur_tz_t *tz, int64_t t, int *isdst)
{
    *isdst = 0;
    if (!tz->has_dst)
        return tz->std_off;
    int64_t local = t + tz->std_off;
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    /* the year of that day: from days_from_civil's inverse, roughly, then exact */
    int64_t y = 1970 + days / 365;
    while (days_from_civil(y, 1, 1) > days)
        y--;
    while (days_from_civil(y + 1, 1, 1) <= days)
        y++;
    int64_t start = rule_day(&tz->start, y) * 86400 + tz->start.sec - tz->std_off;
    int64_t end = rule_day(&tz->end, y) * 86400 + tz->end.sec - tz->dst_off;
    *isdst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return *isdst ? tz->dst_off : tz->std_off;
}

/* ---- TZif ---- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct {
    uint32_t isut, isstd, leap, time, type, chars;
} counts_t;

static int read_header(const unsigned char *p, size_t len, counts_t *c, char *version)
{
    if (len < 44 || memcmp(p, "TZif", 4) != 0)
        return -1;
    *version = (char)p[4];
    c->isut = be32(p + 20);
    c->isstd = be32(p + 24);
    c->leap = be32(p + 28);
    c->time = be32(p + 32);
    c->type = be32(p + 36);
    c->chars = be32(p + 40);
    if (c->time > TZ_TIMES_MAX || c->type == 0 || c->type > 256 || c->leap > TZ_TIMES_MAX ||
        c->chars > 65536 || c->isut > 256 || c->isstd > 256)
        return -1;
    return 0;
}

static size_t block_len(const counts_t *c, size_t tsize)
{
    return c->time * tsize + c->time + c->type * 6u + c->chars + c->leap * (tsize + 4) + c->isstd +
           c->isut;
}

int spur_tz_parse(spur_tz_t *tz, const unsigned char *data, size_t len)
{
    counts_t c;
    char version;
    size_t tsize = 4, pos = 44;
    const unsigned char *p;

    memset(tz, 0, sizeof(*tz));
    if (read_header(data, len, &c, &version) < 0)
        return -EINVAL;
    if (version >= '2') {
        /* skip the 32-bit block: the 64-bit one after it covers every time */
        pos += block_len(&c, 4);
        if (pos > len || read_header(data + pos, len - pos, &c, &version) < 0)
            return -EINVAL;
        pos += 44;
        tsize = 8;
    }
    if (block_len(&c, tsize) > len - pos)
        return -EINVAL;
    p = data + pos;
    tz->n = c.time;
    tz->ntypes = c.type;
    tz->at = spur_calloc(c.time ? c.time : 1, sizeof(*tz->at));
    tz->type = spur_calloc(c.time ? c.time : 1, 1);
    tz->off = spur_calloc(c.type, sizeof(*tz->off));
    tz->dst = spur_calloc(c.type, 1);
    for (size_t i = 0; i < c.time; i++, p += tsize) {
        tz->at[i] = tsize == 8 ? be64(p) : (int32_t)be32(p);
        if (i && tz->at[i] <= tz->at[i - 1])
            goto bad;
    }
    for (size_t i = 0; i < c.time; i++, p++) {
        if (*p >= c.type)
            goto bad;
        tz->type[i] = *p;
    }
    for (size_t i = 0; i < c.type; i++, p += 6) {
        int32_t off = (int32_t)be32(p);
        if (off < -25 * HOUR || off > 26 * HOUR)
            goto bad;
        tz->off[i] = off;
        tz->dst[i] = p[4] != 0;
    }
    pos += block_len(&c, tsize);
    if (tsize == 8 && pos < len && data[pos] == '\n') {
        const char *footer = (const char *)data + pos + 1;
        const char *nl = memchr(footer, '\n', len - pos - 1);
        if (nl && nl - footer < 128) {
            char rule[128];
            memcpy(rule, footer, (size_t)(nl - footer));
            rule[nl - footer] = '\0';
            parse_rule(tz, rule);
        }
    }
    return 0;
bad:
    spur_tz_free(tz);
    return -EINVAL;
}

int spur_tz_load(spur_tz_t *tz, const char *name, const char *dir)
{
    char path[512];
    unsigned char *buf = NULL;
    size_t len = 0;
    FILE *fp;
    int rc;

    memset(tz, 0, sizeof(*tz));
    if (!spur_hunt_tz_name_ok(name))
        return -EINVAL;
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir ? dir : spur_tz_dir(), name) >=
        sizeof(path))
        return -EINVAL;
    fp = fopen(path, "rb");
    if (!fp)
        return errno == ENOENT || errno == ENOTDIR ? -ENOENT : -errno;
    buf = spur_malloc(TZ_FILE_MAX);
    len = fread(buf, 1, TZ_FILE_MAX, fp);
    rc = ferror(fp) ? -EIO : len == TZ_FILE_MAX ? -EINVAL : spur_tz_parse(tz, buf, len);
    fclose(fp);
    free(buf);
    return rc;
}

static int32_t offset_at(const spur_tz_t *tz, int64_t t, int *isdst)
{
    size_t lo = 0, hi = tz->n;
    *isdst = 0;
    if (tz->ntypes == 0)
        return 0; /* UTC */
    if (tz->n == 0 || t < tz->at[0]) {
        if (tz->n == 0 && tz->has_rule)
            return rule_offset(tz, t, isdst);
        *isdst = tz->dst[0];
        return tz->off[0];
    }
    if (t >= tz->at[tz->n - 1] && tz->has_rule)
        return rule_offset(tz, t, isdst);
    while (hi - lo > 1) { /* the last transition at or before t */
        size_t mid = lo + (hi - lo) / 2;
        if (tz->at[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    *isdst = tz->dst[tz->type[lo]];
    return tz->off[tz->type[lo]];
}

void spur_tz_local(const spur_tz_t *tz, int64_t t, struct tm *out)
{
    int isdst;
    int32_t off = offset_at(tz, t, &isdst);
    time_t local = (time_t)(t + off);

    memset(out, 0, sizeof(*out));
    gmtime_r(&local, out); /* plain calendar arithmetic: no zone, no global state */
    out->tm_isdst = isdst;
    out->tm_gmtoff = off;
    out->tm_zone = NULL;
}

void spur_tz_format(const spur_tz_t *tz, int64_t t, int german, char *out, size_t size)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    spur_tz_local(tz, t, &tm);
    if (german)
        snprintf(out, size, "%02d.%02d.%04d, %02d:%02d Uhr", tm.tm_mday, tm.tm_mon + 1,
                 tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
    else
        snprintf(out, size, "%d %s %04d, %02d:%02d", tm.tm_mday, months[tm.tm_mon],
                 tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

void spur_tz_format_date(const spur_tz_t *tz, int64_t t, int german, char *out, size_t size)
{
    struct tm tm;
    spur_tz_local(tz, t, &tm);
    if (german)
        snprintf(out, size, "%02d.%02d.%04d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
    else
        snprintf(out, size, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

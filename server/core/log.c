/* The logger: one line per call, prefixed with UTC time and level. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static spur_log_level_t min_level = SPUR_LOG_INFO; /* set once at start-up */

void spur_log_set_level(spur_log_level_t level)
{
    min_level = level;
}

void spur_log(spur_log_level_t level, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    char line[2048];
    struct timespec ts;
    struct tm tm;
    va_list ap;
    int n;

    if (level < min_level)
        return;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    n = (int)strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
    n += snprintf(line + n, sizeof(line) - (size_t)n, "%s ", names[level]);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", line);
}

void spur_log_sanitize(char *out, size_t out_size, const char *in, size_t len)
{
    size_t i, o = 0;

    if (out_size == 0)
        return;
    for (i = 0; i < len && o + 1 < out_size; i++) {
        unsigned char c = (unsigned char)in[i];
        out[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (i < len && out_size >= 4) {
        o = o > out_size - 4 ? out_size - 4 : o;
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

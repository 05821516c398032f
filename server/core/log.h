/* One logger for spurd and spur: levels, printf-checked, to stderr.
 * Thread-safe (one fprintf per line). Logged user input must go through
 * spur_log_sanitize() first so control bytes and long values cannot forge lines. */
#ifndef SPUR_LOG_H
#define SPUR_LOG_H

#include <stddef.h>

typedef enum { SPUR_LOG_DEBUG, SPUR_LOG_INFO, SPUR_LOG_WARN, SPUR_LOG_ERROR } spur_log_level_t;

/* Lines below this level are dropped. Default INFO; SPUR_LOG=debug|info|warn|error. */
void spur_log_set_level(spur_log_level_t level);
void spur_log(spur_log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Copies at most out_size-1 bytes of `in` (len bytes) into `out`, replacing control and
 * non-ASCII bytes with '?' and marking a cut with "..."; always NUL-terminates. */
void spur_log_sanitize(char *out, size_t out_size, const char *in, size_t len);

#define spur_debug(...) spur_log(SPUR_LOG_DEBUG, __VA_ARGS__)
#define spur_info(...) spur_log(SPUR_LOG_INFO, __VA_ARGS__)
#define spur_warn(...) spur_log(SPUR_LOG_WARN, __VA_ARGS__)
#define spur_error(...) spur_log(SPUR_LOG_ERROR, __VA_ARGS__)

#endif

/* Per-address token buckets: team sign-ups, and wrong codes (join codes, scanned or
 * typed place codes) so that nobody can try codes until one fits.
 *
 * Keeps true: a bucket holds at most twice its rate per minute (a burst: a school
 * class behind one address signs up at once) and refills continuously; a map never
 * holds more than BUCKETS_MAX addresses (forgetting them all only grants each a fresh
 * burst, which is what a new address gets anyway). */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define BUCKETS_MAX 10000
/* Wrong codes per address and minute (SPUR_CODE_FAILS_PER_MINUTE). A code has 40
 * random bits: at this rate one address needs millennia to hit one of a thousand. */
#define CODE_FAILS_PER_MINUTE_DEFAULT 30

typedef struct {
    double tokens;
    int64_t at;
} bucket_t;

double spur_api_env_rate(const char *name, double def)
{
    const char *e = getenv(name);
    double v = e ? atof(e) : 0;
    return v >= 1 && v <= 1e6 ? v : def;
}

int spur_api_bucket(spur_map_t *m, const char *peer, double per_minute, int64_t now_ms, int take,
                    int *wait_s)
{
    double burst = 2 * per_minute;
    bucket_t *b;

    if (m->count >= BUCKETS_MAX)
        spur_api_buckets_free(m);
    b = spur_map_get(m, peer, strlen(peer));
    if (!b) {
        b = spur_malloc(sizeof(*b));
        b->tokens = burst;
        b->at = now_ms;
        spur_map_put(m, peer, strlen(peer), b);
    }
    if (now_ms > b->at)
        b->tokens += (double)(now_ms - b->at) * per_minute / 60000.0;
    if (b->tokens > burst)
        b->tokens = burst;
    b->at = now_ms;
    if (b->tokens < 1) {
        *wait_s = (int)((1 - b->tokens) * 60 / per_minute) + 1;
        return 0;
    }
    if (take)
        b->tokens -= 1;
    return 1;
}

void spur_api_buckets_free(spur_map_t *m)
{
    for (size_t i = 0; i < m->cap; i++) /* nothing is ever deleted: no tombstones */
        if (m->keys[i])
            free(m->vals[i]);
    spur_map_free(m);
}

static double code_rate(void)
{
    static double rate; /* read once: the environment does not change while running */
    if (!rate)
        rate = spur_api_env_rate("SPUR_CODE_FAILS_PER_MINUTE", CODE_FAILS_PER_MINUTE_DEFAULT);
    return rate;
}

int spur_api_codes_allowed(spur_server_t *srv, spur_http_req_t *req)
{
    int wait_s;
    char h[48];

    if (spur_api_bucket(&srv->code_buckets, req->peer, code_rate(), spur_now_ms(), 0, &wait_s))
        return 1;
    snprintf(h, sizeof(h), "Retry-After: %d\r\n", wait_s);
    spur_api_error_msg(req, SPUR_ERATE_LIMITED, "Too many wrong codes from here; wait a moment.",
                       h);
    return 0;
}

void spur_api_code_failed(spur_server_t *srv, spur_http_req_t *req)
{
    int wait_s;
    spur_api_bucket(&srv->code_buckets, req->peer, code_rate(), spur_now_ms(), 1, &wait_s);
}

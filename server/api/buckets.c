/* Per-address token buckets: team sign-ups, and wrong codes (join codes, scanned or
 * typed place codes, staff tokens) so that nobody can try codes until one fits.
 *
 * Keeps true: a bucket holds at most twice its rate per minute (a burst: a school
 * class behind one address signs up at once) and refills continuously. A table holds
 * at most its `max` addresses (SPUR_ADDR_BUCKETS, default 100,000: about 10 MB), kept
 * in least-recently-used order. Forgetting an address whose bucket has refilled
 * loses nothing (a new one starts full), so only such an address leaves to make
 * room; while every address in the table is still limited, a newcomer shares one
 * overflow bucket instead. So a limited address stays limited however many others
 * come, and a flood of fresh addresses cannot push it out. Keys are address keys
 * (spur_http_req_t.client); the map hashes them with the process's secret key. */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define BUCKETS_MAX_DEFAULT 100000
/* Wrong codes per address and minute (SPUR_CODE_FAILS_PER_MINUTE). A code has 40
 * random bits: at this rate one address needs millennia to hit one of a thousand. */
#define CODE_FAILS_PER_MINUTE_DEFAULT 30

double spur_api_env_num(const char *name, double def)
{
    const char *e = getenv(name);
    double v = e ? atof(e) : 0;
    return v >= 1 && v <= 1e6 ? v : def;
}

void spur_api_buckets_init(spur_buckets_t *t, double per_minute)
{
    memset(t, 0, sizeof(*t));
    t->per_minute = per_minute;
    t->max = (size_t)spur_api_env_num("SPUR_ADDR_BUCKETS", BUCKETS_MAX_DEFAULT);
    t->overflow.tokens = 2 * per_minute;
    t->overflow.at = spur_now_ms();
}

static void refill(const spur_buckets_t *t, spur_bucket_t *b, int64_t now_ms)
{
    double burst = 2 * t->per_minute;
    if (now_ms > b->at)
        b->tokens += (double)(now_ms - b->at) * t->per_minute / 60000.0;
    if (b->tokens > burst)
        b->tokens = burst;
    b->at = now_ms;
}

/* The bucket of key, made when missing: NULL means the shared overflow bucket. */
static spur_bucket_t *lookup(spur_buckets_t *t, const char *key, int64_t now_ms)
{
    size_t n = strlen(key);
    spur_bucket_t *b = spur_map_get(&t->map, key, n);

    if (b) {
        spur_list_remove(&t->lru, &b->lru);
        spur_list_push_back(&t->lru, &b->lru);
        return b;
    }
    if (t->lru.n >= t->max) {
        spur_bucket_t *old = spur_list_entry(t->lru.head, spur_bucket_t, lru);
        refill(t, old, now_ms);
        if (old->tokens < 2 * t->per_minute) {
            t->overflowed++;
            return NULL; /* everyone here is still limited: keep them */
        }
        spur_list_remove(&t->lru, &old->lru);
        spur_map_del(&t->map, old->key, strlen(old->key));
        free(old->key);
        free(old);
    }
    b = spur_calloc(1, sizeof(*b));
    b->tokens = 2 * t->per_minute;
    b->at = now_ms;
    b->key = spur_strndup(key, n);
    spur_map_put(&t->map, key, n, b);
    spur_list_push_back(&t->lru, &b->lru);
    return b;
}

int spur_api_bucket(spur_buckets_t *t, const char *key, int64_t now_ms, int take, int *wait_s)
{
    spur_bucket_t *b = lookup(t, key, now_ms);
    spur_bucket_t *use = b ? b : &t->overflow;

    refill(t, use, now_ms);
    if (use->tokens < 1) {
        *wait_s = (int)((1 - use->tokens) * 60 / t->per_minute) + 1;
        return 0;
    }
    if (take)
        use->tokens -= 1;
    return 1;
}

void spur_api_buckets_free(spur_buckets_t *t)
{
    while (t->lru.head) {
        spur_bucket_t *b = spur_list_entry(t->lru.head, spur_bucket_t, lru);
        spur_list_remove(&t->lru, &b->lru);
        free(b->key);
        free(b);
    }
    spur_map_free(&t->map);
    memset(t, 0, sizeof(*t));
}

int spur_api_codes_allowed(spur_server_t *srv, spur_http_req_t *req)
{
    int wait_s;
    char h[48];

    if (spur_api_is_staff(srv, req) ||
        spur_api_bucket(&srv->code_buckets, req->client, spur_now_ms(), 0, &wait_s))
        return 1;
    snprintf(h, sizeof(h), "Retry-After: %d\r\n", wait_s);
    spur_api_error_msg(req, SPUR_ERATE_LIMITED,
                       "Zu viele falsche Codes von hier; bitte kurz warten.",
                       "Too many wrong codes from here; wait a moment.", h);
    return 0;
}

void spur_api_code_failed(spur_server_t *srv, spur_http_req_t *req)
{
    int wait_s;
    spur_api_bucket(&srv->code_buckets, req->client, spur_now_ms(), 1, &wait_s);
}

double spur_api_code_rate(void)
{
    return spur_api_env_num("SPUR_CODE_FAILS_PER_MINUTE", CODE_FAILS_PER_MINUTE_DEFAULT);
}

/* Client addresses behind a reverse proxy, and the address key every per-address
 * limit uses.
 *
 * A request's client is its TCP peer, unless that peer is a trusted proxy
 * (--trust-proxy): then it is the rightmost X-Forwarded-For entry (or, without
 * one, the rightmost `Forwarded: for=`) that is not itself trusted. Proxies append
 * the address they saw, so everything left of the first untrusted entry may be
 * forged by the client and is never looked at. Headers from untrusted peers are
 * ignored entirely.
 *
 * Keeps true: an address key is canonical (inet_ntop of the parsed address), so one
 * client cannot appear under two spellings; IPv4-mapped IPv6 is plain IPv4; an IPv6
 * client is keyed by its /64, since one phone or home network gets a whole /64 and
 * could otherwise take a fresh budget per address. Pure functions, any thread. */
#include "http/internal.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"

#define MAX_FORWARDED_HOPS 32 /* entries looked at per request, from the right */

typedef struct {
    int family; /* AF_INET or AF_INET6 */
    unsigned char a[16];
} addr_t;

/* Parses "1.2.3.4", "::1", "[::1]", "1.2.3.4:5678", "[::1]:5678" (n bytes) into *out.
 * IPv4-mapped IPv6 becomes IPv4. Returns 0 or -1. */
static int addr_parse(const char *s, size_t n, addr_t *out)
{
    char buf[INET6_ADDRSTRLEN + 8];
    const char *colon;

    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') /* Forwarded: for="[::1]:80" */
        s++, n -= 2;
    if (n && s[0] == '[') {
        const char *close = memchr(s, ']', n);
        if (!close)
            return -1;
        s++;
        n = (size_t)(close - s);
    } else if ((colon = memchr(s, ':', n)) &&
               !memchr(colon + 1, ':', n - (size_t)(colon - s) - 1)) {
        n = (size_t)(colon - s); /* one colon: IPv4 with a port */
    }
    if (n == 0 || n >= sizeof(buf))
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    memset(out, 0, sizeof(*out));
    if (inet_pton(AF_INET, buf, out->a) == 1) {
        out->family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, buf, out->a) != 1)
        return -1;
    out->family = AF_INET6;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(out->a, mapped, 12) == 0) {
        memmove(out->a, out->a + 12, 4);
        memset(out->a + 4, 0, 12);
        out->family = AF_INET;
    }
    return 0;
}

static int prefix_match(const unsigned char *a, const unsigned char *net, int bits)
{
    int whole = bits / 8, rest = bits % 8;
    if (memcmp(a, net, (size_t)whole) != 0)
        return 0;
    if (!rest)
        return 1;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (a[whole] & mask) == (net[whole] & mask);
}

static int trusted(const spur_http_config_t *cfg, const addr_t *a)
{
    for (size_t i = 0; i < cfg->ntrusted; i++) {
        const spur_http_cidr_t *c = &cfg->trusted[i];
        if (c->family == a->family && prefix_match(a->a, c->addr, c->bits))
            return 1;
    }
    return 0;
}

static void addr_key(const addr_t *a, char *out, size_t size)
{
    char text[INET6_ADDRSTRLEN];
    if (a->family == AF_INET) {
        inet_ntop(AF_INET, a->a, out, (socklen_t)size);
        return;
    }
    unsigned char net[16] = {0};
    memcpy(net, a->a, 8);
    inet_ntop(AF_INET6, net, text, sizeof(text));
    snprintf(out, size, "%s/64", text);
}

/* Parses one "ADDR" or "ADDR/BITS" (n bytes) into *c. Returns 0 or -1. */
static int cidr_parse(const char *s, size_t n, spur_http_cidr_t *c)
{
    const char *slash = memchr(s, '/', n);
    size_t alen = slash ? (size_t)(slash - s) : n;
    const char *colon = memchr(s, ':', alen);
    int max;
    long bits;
    addr_t a;

    /* no brackets, no port ("10.0.0.1:80" has one colon; IPv6 has more) */
    if (memchr(s, '[', alen) || (colon && !memchr(colon + 1, ':', alen - (size_t)(colon - s) - 1)))
        return -1;
    if (addr_parse(s, alen, &a) < 0)
        return -1;
    max = a.family == AF_INET ? 32 : 128;
    bits = max;
    if (slash) {
        char digits[8];
        size_t dn = n - alen - 1;
        char *end;
        if (dn == 0 || dn >= sizeof(digits))
            return -1;
        memcpy(digits, slash + 1, dn);
        digits[dn] = '\0';
        bits = strtol(digits, &end, 10);
        if (*end || bits < 0 || bits > max)
            return -1;
    }
    c->family = a.family;
    memcpy(c->addr, a.a, 16);
    c->bits = (int)bits;
    return 0;
}

int spur_http_cidrs_parse(const char *list, spur_http_cidr_t **out, size_t *n, char *err,
                          size_t err_size)
{
    spur_http_cidr_t *v = NULL;
    size_t count = 0;

    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ", ");
        if (len) {
            v = spur_realloc(v, (count + 1) * sizeof(*v));
            if (cidr_parse(p, len, &v[count]) < 0) {
                snprintf(err, err_size,
                         "'%.*s' ist kein Adressbereich wie 10.0.0.0/8 oder ::1 / "
                         "is not an address range such as 10.0.0.0/8 or ::1",
                         (int)(len > 60 ? 60 : len), p);
                free(v);
                return -1;
            }
            count++;
        }
        p += len;
        if (*p)
            p++;
    }
    *out = v;
    *n = count;
    return 0;
}

void spur_http_addr_key(const char *text, char *out, size_t size)
{
    addr_t a;
    if (addr_parse(text, strlen(text), &a) == 0)
        addr_key(&a, out, size);
    else
        snprintf(out, size, "%s", text);
}

int spur_http_addr_trusted(const spur_http_config_t *cfg, const char *text)
{
    addr_t a;
    return cfg->ntrusted && addr_parse(text, strlen(text), &a) == 0 && trusted(cfg, &a);
}

/* The entries of one header value, right to left: calls back with each (start, len)
 * until it returns nonzero. Forwarded entries yield their for= parameter only. */
typedef int (*entry_cb)(const char *s, size_t n, void *data);

static int each_entry_rtl(const char *v, int forwarded, entry_cb cb, void *data)
{
    size_t end = strlen(v);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && v[start - 1] != ',')
            start--;
        const char *e = v + start;
        size_t n = end - start;
        if (forwarded) { /* for=...; proto=...; by=... */
            const char *f = NULL;
            for (size_t i = 0; i + 4 <= n; i++)
                if (strncasecmp(e + i, "for=", 4) == 0 && (i == 0 || strchr(" ;\t", e[i - 1]))) {
                    f = e + i + 4;
                    break;
                }
            if (f) {
                size_t fn = (size_t)(e + n - f);
                const char *semi = memchr(f, ';', fn);
                if (semi)
                    fn = (size_t)(semi - f);
                if (cb(f, fn, data))
                    return 1;
            } else if (cb("", 0, data)) {
                return 1;
            }
        } else if (cb(e, n, data)) {
            return 1;
        }
        end = start ? start - 1 : 0;
    }
    return 0;
}

typedef struct {
    const spur_http_config_t *cfg;
    addr_t found; /* the client, once decided */
    int decided;  /* 1: found is the client; -1: an entry was not an address */
    unsigned hops;
} walk_t;

static int on_entry(const char *s, size_t n, void *data)
{
    walk_t *w = data;
    addr_t a;
    if (++w->hops > MAX_FORWARDED_HOPS || addr_parse(s, n, &a) < 0) {
        w->decided = -1; /* "unknown", an obfuscated name or garbage: stop trusting here */
        return 1;
    }
    w->found = a;
    if (trusted(w->cfg, &a))
        return 0; /* another proxy of ours: look further left */
    w->decided = 1;
    return 1;
}

/* Walks every header named name, last one first (a later header was added later). */
static void walk_headers(const spur_http_req_t *req, const char *name, int forwarded, walk_t *w)
{
    for (size_t i = req->nheaders; i-- > 0 && !w->decided;)
        if (strcasecmp(req->headers[i].name, name) == 0)
            each_entry_rtl(req->headers[i].value, forwarded, on_entry, w);
}

void spur_http_client_of(const spur_http_config_t *cfg, const spur_http_req_t *req,
                         const char *peer, char *out, size_t size)
{
    walk_t w = {.cfg = cfg};
    addr_t p;

    if (addr_parse(peer, strlen(peer), &p) < 0) {
        snprintf(out, size, "%s", peer);
        return;
    }
    w.found = p;
    if (trusted(cfg, &p)) {
        int xff = 0;
        for (size_t i = 0; i < req->nheaders && !xff; i++)
            xff = strcasecmp(req->headers[i].name, "x-forwarded-for") == 0;
        walk_headers(req, xff ? "x-forwarded-for" : "forwarded", !xff, &w);
        if (w.decided < 0)
            w.found = p; /* a proxy we trust sent garbage: the request is the proxy's own */
    }
    addr_key(&w.found, out, size);
}

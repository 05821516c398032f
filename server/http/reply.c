/* Response bytes and request accessors: status texts, the response head every answer
 * gets (Date, Content-Length, Content-Type, Connection, nosniff, Referrer-Policy), the
 * JSON error body, header/cookie/query lookup, and the configuration defaults.
 * Pure functions over memory: no sockets, no loop. */
#include "http/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <zlib.h>

const char *spur_http_status_text(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 428:
        return "Precondition Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

/* 1xx, 204 and 304 never carry a body or a Content-Length. */
static int bodyless_status(int status)
{
    return (status >= 100 && status < 200) || status == 204 || status == 304;
}

void spur_http_format_response(spur_buf_t *out, int status, const char *content_type,
                               const char *extra_headers, const void *body, size_t len,
                               int head_only, int keep_alive, int no_length)
{
    char date[64];
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    spur_buf_printf(out, "HTTP/1.1 %d %s\r\nDate: %s\r\n", status, spur_http_status_text(status),
                    date);
    if (bodyless_status(status)) {
        len = 0;
    } else if (!no_length) {
        spur_buf_printf(out, "Content-Length: %zu\r\n", len);
    }
    if (content_type && !bodyless_status(status))
        spur_buf_printf(out, "Content-Type: %s\r\n", content_type);
    spur_buf_puts(out, keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
    /* other servers (the map's tile server, a clue's link) learn the origin, never a
       path: scan links (/s/<token>) stay private, and tile servers that require a
       Referer (OpenStreetMap's) serve the map */
    spur_buf_puts(out, "X-Content-Type-Options: nosniff\r\n"
                       "Referrer-Policy: strict-origin-when-cross-origin\r\n");
    if (extra_headers)
        spur_buf_puts(out, extra_headers);
    spur_buf_puts(out, "\r\n");
    if (!head_only && len)
        spur_buf_append(out, body, len);
}

void spur_http_format_error_body(spur_buf_t *out, const char *name, const char *msg)
{
    spur_buf_puts(out, "{\"error\":");
    spur_buf_json_str(out, name ? name : "error");
    spur_buf_puts(out, ",\"message\":");
    spur_buf_json_str(out, msg ? msg : "");
    spur_buf_puts(out, "}");
}

const char *spur_http_header(const spur_http_req_t *req, const char *name)
{
    for (size_t i = 0; i < req->nheaders; i++)
        if (strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

int spur_http_cookie(const spur_http_req_t *req, const char *name, char *out, size_t out_size)
{
    size_t nlen = strlen(name);

    for (size_t h = 0; h < req->nheaders; h++) {
        const char *s;
        if (strcasecmp(req->headers[h].name, "cookie") != 0)
            continue;
        s = req->headers[h].value;
        while (*s) {
            const char *end;
            size_t vlen;
            while (*s == ' ' || *s == '\t' || *s == ';')
                s++;
            end = strchr(s, ';');
            if (!end)
                end = s + strlen(s);
            if ((size_t)(end - s) > nlen && strncmp(s, name, nlen) == 0 && s[nlen] == '=') {
                const char *v = s + nlen + 1;
                vlen = (size_t)(end - v);
                while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
                    vlen--;
                if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
                    v++;
                    vlen -= 2;
                }
                if (out_size == 0 || vlen > out_size - 1)
                    return -1;
                memcpy(out, v, vlen);
                out[vlen] = '\0';
                return (int)vlen;
            }
            s = end;
        }
    }
    return -1;
}

int spur_http_query(const spur_http_req_t *req, const char *name, const char **value)
{
    size_t nlen = strlen(name);
    const char *s = req->query;

    while (s && *s) {
        const char *end = strchr(s, '&');
        if (!end)
            end = s + strlen(s);
        if ((size_t)(end - s) >= nlen && strncmp(s, name, nlen) == 0 &&
            (s + nlen == end || s[nlen] == '=')) {
            const char *v = s + nlen == end ? end : s + nlen + 1;
            *value = v;
            return (int)(end - v);
        }
        s = *end ? end + 1 : end;
    }
    return -1;
}

void spur_http_config_defaults(spur_http_config_t *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->max_request_line = 8 * 1024;
    cfg->max_header_bytes = 16 * 1024;
    cfg->max_headers = 64;
    cfg->max_body = 64 * 1024;
    cfg->big_body_budget = 64 * 1024 * 1024;
    cfg->header_timeout_ms = 10 * 1000;
    cfg->body_timeout_ms = 30 * 1000;
    cfg->idle_timeout_ms = 60 * 1000;
    cfg->max_requests = 1000;
    cfg->max_queued_bytes = 1024 * 1024;
    cfg->max_pipelined = 16;
    cfg->max_conns_per_addr = 1024; /* a school behind one NAT address: ~2 per phone */
    cfg->max_conns = 10000;
    cfg->reserve_conns = 32;
}

static void env_positive(const char *name, uint64_t *out)
{
    const char *s = getenv(name);
    char *end;
    unsigned long long v;

    if (!s || !*s)
        return;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end || v == 0 || v > 24ULL * 3600 * 1000)
        return; /* ignored: a typo must not disable a limit */
    *out = v;
}

void spur_http_config_from_env(spur_http_config_t *cfg)
{
    env_positive("SPUR_HTTP_HEADER_TIMEOUT_MS", &cfg->header_timeout_ms);
    env_positive("SPUR_HTTP_BODY_TIMEOUT_MS", &cfg->body_timeout_ms);
    env_positive("SPUR_HTTP_IDLE_TIMEOUT_MS", &cfg->idle_timeout_ms);
    { /* counts and sizes, parsed the same way */
        uint64_t n = cfg->max_conns, per = cfg->max_conns_per_addr, q = cfg->max_queued_bytes;
        env_positive("SPUR_HTTP_MAX_CONNS", &n);
        env_positive("SPUR_HTTP_MAX_CONNS_PER_ADDR", &per);
        env_positive("SPUR_HTTP_MAX_QUEUED_BYTES", &q);
        cfg->max_conns = (unsigned)n;
        cfg->max_conns_per_addr = (unsigned)(per < n ? per : n);
        cfg->max_queued_bytes = q < 4096 ? 4096 : (size_t)q;
    }
}

int spur_http_accepts_gzip(const spur_http_req_t *req)
{
    const char *ae = spur_http_header(req, "accept-encoding");
    const char *g = ae ? strcasestr(ae, "gzip") : NULL;
    const char *q;

    if (!g)
        return 0;
    q = g + 4;
    while (*q == ' ')
        q++;
    if (*q == ';') {
        q++;
        while (*q == ' ')
            q++;
        if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=' && strtod(q + 2, NULL) <= 0.0)
            return 0;
    }
    return 1;
}

int spur_http_gzip(const void *data, size_t len, spur_buf_t *out)
{
    z_stream z;
    size_t cap;
    int ok;

    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16 /* gzip wrapper */, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    cap = deflateBound(&z, (uLong)len);
    out->len = 0;
    spur_buf_append(out, "", 0);
    out->data = spur_realloc(out->data, cap + 1);
    out->cap = cap + 1;
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out->data;
    z.avail_out = (uInt)cap;
    ok = deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out * 10 <= len * 9;
    out->len = ok ? z.total_out : 0;
    out->data[out->len] = '\0';
    deflateEnd(&z);
    return ok ? 0 : -1;
}

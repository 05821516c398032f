/* The HTTP/1.1 server layer on libuv + llhttp.
 *
 * Owns listening, connections, parsing, limits, keep-alive, pipelining (answered
 * in order), chunked request bodies, HEAD, timeouts, and writing responses. It
 * knows nothing about hunts: every complete request is handed to the server's
 * handler callback, which must answer it exactly once with spur_http_reply()
 * (now, or later from the loop thread, e.g. after a database commit) or turn it
 * into an event stream with spur_http_stream_start().
 *
 * Everything here runs on the loop thread only.
 */
#ifndef SPUR_HTTP_H
#define SPUR_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "core/mem.h"

typedef struct spur_http_server spur_http_server_t;
typedef struct spur_http_conn spur_http_conn_t;
typedef struct spur_http_req spur_http_req_t;
typedef struct spur_http_stream spur_http_stream_t;

typedef struct {
    const char *name;  /* as sent, NUL-terminated; compare case-insensitively */
    const char *value; /* leading/trailing whitespace removed, NUL-terminated */
} spur_http_header_t;

/* A complete request. The HTTP layer owns it and every pointer in it; they stay
 * valid until the request is answered (spur_http_reply) or turned into a stream. */
struct spur_http_req {
    spur_http_conn_t *conn;
    uint64_t conn_id;        /* for log lines */
    int method;              /* llhttp_method_t: HTTP_GET, HTTP_POST, ... */
    const char *method_name; /* "GET" */
    int is_head;             /* 1 for HEAD: handlers answer as for GET, the layer drops the body */
    char *target;            /* the raw request target, NUL-terminated */
    char *path;              /* the target's path, percent-decoded, NUL-terminated; a
                                request whose path decodes to NUL or invalid %xx is
                                refused with 400 before it reaches the handler */
    char *query;             /* the raw query after '?', or "" */
    spur_http_header_t *headers;
    size_t nheaders;
    char *body; /* NUL-terminated for convenience; body_len excludes it */
    size_t body_len;
    char peer[64];     /* the TCP peer's IP address as text (for logs) */
    char client[64];   /* the client's address key, for every per-address limit: the
                          peer, or behind a trusted proxy the address it forwarded
                          (spur_http_client_of); an IPv6 client as its /64 */
    uint64_t start_ns; /* uv_hrtime() when the request's first byte arrived */
    void *route_data;  /* free for the handler; the layer never touches it */
    int lang;          /* free for the handler: the language of its messages (spurd: 0
                          German, 1 English); 0 from the layer */
};

/* Called for each request, in order per connection. The handler answers later or now. */
typedef void (*spur_http_handler_cb)(spur_http_req_t *req, void *data);

/* Called when the headers are complete, before the body is read: returns the largest
 * body in bytes this method and path accept (0 = no body allowed). A longer body is
 * answered 413 and the connection closed. NULL means cfg.max_body for all. */
typedef size_t (*spur_http_body_limit_cb)(int method, const char *path, void *data);

/* Called after each response is written: for metrics and access logs. */
typedef void (*spur_http_log_cb)(const spur_http_req_t *req, int status, size_t bytes,
                                 uint64_t duration_ns, void *data);

/* An address range trusted as a reverse proxy (--trust-proxy). */
typedef struct {
    int family;             /* AF_INET or AF_INET6 */
    unsigned char addr[16]; /* network address; IPv4 in the first 4 bytes */
    int bits;               /* prefix length */
} spur_http_cidr_t;

typedef struct {
    size_t max_request_line;      /* bytes in method + target + version; default 8 KiB -> 414 */
    size_t max_header_bytes;      /* all header names and values; default 16 KiB -> 431 */
    size_t max_headers;           /* header count; default 64 -> 431 */
    size_t max_body;              /* default body limit; default 64 KiB -> 413 */
    size_t big_body_budget;       /* bytes that bodies over max_body (a route's larger limit:
                                     photos) may hold at once over all connections; default
                                     64 MiB. Such a body needs a Content-Length; past the
                                     budget it is refused with 503 before it is read */
    uint64_t header_timeout_ms;   /* whole headers must arrive within; default 10 s -> 408 */
    uint64_t body_timeout_ms;     /* whole body must arrive within; default 30 s -> 408 */
    uint64_t idle_timeout_ms;     /* keep-alive idle between requests; default 60 s */
    unsigned max_requests;        /* per connection, then Connection: close; default 1000 */
    size_t max_queued_bytes;      /* response bytes queued unsent per connection; default 1 MiB */
    unsigned max_pipelined;       /* requests parsed but unanswered per connection; default 16 */
    unsigned max_conns_per_addr;  /* by address key, trusted proxies exempt; default 1024 */
    unsigned max_conns;           /* overall; default 10000 */
    unsigned reserve_conns;       /* accepted past either cap, default 32: each may ask one of
                                     ops_paths (operators reach /healthz when full); any
                                     other request gets 503 and the connection closes */
    const char *const *ops_paths; /* NULL-terminated, borrowed; NULL = none */
    const spur_http_cidr_t *trusted; /* reverse proxies (borrowed; outlives the server) */
    size_t ntrusted;
    spur_http_handler_cb handler;
    spur_http_body_limit_cb body_limit;
    spur_http_log_cb on_log;
    void *data; /* passed to the callbacks */
} spur_http_config_t;

/* Parses a list of address ranges ("127.0.0.1/32,::1, 10.0.0.0/8"; a bare address is
 * one host) into *out (caller frees) and *n. Returns 0, or -1 with a message in err. */
int spur_http_cidrs_parse(const char *list, spur_http_cidr_t **out, size_t *n, char *err,
                          size_t err_size);
/* The address key of a client whose TCP peer is `peer` (text): the peer itself, or when
 * the peer is inside cfg->trusted, the rightmost X-Forwarded-For entry (else Forwarded
 * for=) that is not trusted. IPv4-mapped IPv6 is written as IPv4, other IPv6 as its /64
 * ("2001:db8:1:2::/64"). Writes at most size bytes to out. */
void spur_http_client_of(const spur_http_config_t *cfg, const spur_http_req_t *req,
                         const char *peer, char *out, size_t size);
/* The address key of an address given as text (as above, without proxies). */
void spur_http_addr_key(const char *text, char *out, size_t size);
/* Whether the address (text) is inside cfg->trusted. */
int spur_http_addr_trusted(const spur_http_config_t *cfg, const char *text);

/* Fills cfg with the defaults above (handlers NULL). */
void spur_http_config_defaults(spur_http_config_t *cfg);
/* Overrides limits from the environment when set to a positive number: the timeouts
 * SPUR_HTTP_HEADER_TIMEOUT_MS, SPUR_HTTP_BODY_TIMEOUT_MS, SPUR_HTTP_IDLE_TIMEOUT_MS
 * (milliseconds), SPUR_HTTP_MAX_CONNS, SPUR_HTTP_MAX_CONNS_PER_ADDR (at most
 * MAX_CONNS) and SPUR_HTTP_MAX_QUEUED_BYTES (at least 4096). Invalid values are
 * ignored: a typo must not disable a limit. */
void spur_http_config_from_env(spur_http_config_t *cfg);

/* Binds host:port (IPv4 or IPv6 literal, or "localhost") and starts listening on loop.
 * *out is owned by the caller until spur_http_server_close. Returns 0 or UV_E*. */
int spur_http_server_start(uv_loop_t *loop, const spur_http_config_t *cfg, const char *host,
                           int port, spur_http_server_t **out);
/* The port actually bound (useful with port 0). */
int spur_http_server_port(const spur_http_server_t *srv);
/* Stops accepting. Idle keep-alive connections are closed; requests in flight are
 * still answered, then their connections close. Open event streams are closed.
 * on_done runs once every connection is gone (the server memory is then freed). */
void spur_http_server_close(spur_http_server_t *srv, void (*on_done)(void *data), void *data);
/* Number of open connections (for /metrics). */
size_t spur_http_server_conns(const spur_http_server_t *srv);

/* Returns the first header with this name (case-insensitive), or NULL. */
const char *spur_http_header(const spur_http_req_t *req, const char *name);
/* Finds cookie `name` in the Cookie header and copies its value into out (NUL-terminated).
 * Returns the length, or -1 when absent or longer than out_size-1. */
int spur_http_cookie(const spur_http_req_t *req, const char *name, char *out, size_t out_size);
/* Finds query parameter `name` (raw, not decoded). Returns its value length and sets
 * *value to point into req->query, or -1 when absent. */
int spur_http_query(const spur_http_req_t *req, const char *name, const char **value);

/* Answers req. The layer copies headers and body into one write buffer, so the caller
 * keeps ownership of `body`. `extra_headers` is NULL or complete header lines, each
 * ending in "\r\n" (e.g. "ETag: \"3\"\r\nSet-Cookie: ...\r\n"). Date, Content-Length,
 * Content-Type (when content_type is non-NULL), Connection and standard security headers
 * (X-Content-Type-Options: nosniff, Referrer-Policy) are added by the layer.
 * For HEAD, the body is dropped but Content-Length kept. After this call req is gone.
 * Safe to call after the client disconnected: the request is then just freed. */
void spur_http_reply(spur_http_req_t *req, int status, const char *content_type,
                     const char *extra_headers, const void *body, size_t len);

/* Answers req with a JSON error body {"error": name, "message": message}.
 * extra_headers as above (e.g. "Retry-After: 5\r\n" for 429/503, "Allow: GET\r\n" for 405). */
void spur_http_reply_error(spur_http_req_t *req, int status, const char *name, const char *message,
                           const char *extra_headers);

/* Turns req into a Server-Sent Events stream: writes a 200 with
 * Content-Type: text/event-stream and no length; the connection stays open and reads no
 * more requests. on_close runs once, when the stream ends for any reason (client gone,
 * queue overflow, server closing); after it, the stream pointer is invalid.
 * Returns the stream (owned by the layer). */
spur_http_stream_t *spur_http_stream_start(spur_http_req_t *req, const char *extra_headers,
                                           void (*on_close)(spur_http_stream_t *s, void *data),
                                           void *data);
/* Queues bytes on the stream (copied). If more than max_queued_bytes would be waiting
 * unsent, the client is too slow: the stream is closed (on_close runs later) and
 * UV_ENOBUFS returned. Returns 0 or a negative UV_E* code. */
int spur_http_stream_send(spur_http_stream_t *s, const void *data, size_t len);
/* The same for bytes shared among many streams: the stream takes a reference on
 * shared for as long as it needs the bytes (no copy); the caller keeps its own. */
int spur_http_stream_send_shared(spur_http_stream_t *s, spur_shared_t *shared);
/* Ends the stream (idempotent); on_close runs from a later callback. */
void spur_http_stream_close(spur_http_stream_t *s);

/* Whether the request's Accept-Encoding allows gzip (present and not q=0). */
int spur_http_accepts_gzip(const spur_http_req_t *req);
/* Replaces out's contents with data gzipped (zlib's default level: it also runs on the loop, once
 * per leaderboard change). Returns 0, or -1 when it failed or would not save at least a tenth (out
 * is then empty). Any thread. */
int spur_http_gzip(const void *data, size_t len, spur_buf_t *out);

/* The reason phrase of an HTTP status ("Not Found"). */
const char *spur_http_status_text(int status);

#endif

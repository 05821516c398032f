/* Private to server/http: the request entry, the socket-free request parser, the
 * server and connection structs, and the helpers the .c files share.
 *
 * The parser (parse.c) turns bytes into complete requests or one error, without
 * sockets, so the libFuzzer target drives exactly the code the server runs.
 * Everything here runs on the loop thread only. */
#ifndef SPUR_HTTP_INTERNAL_H
#define SPUR_HTTP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <llhttp.h>

#include "core/list.h"
#include "core/map.h"
#include "core/mem.h"
#include "http/http.h"

/* One request from parse to answer. The public part is first, so a
 * spur_http_req_t * converts back with ireq_of(). */
typedef struct spur_http_ireq {
    spur_http_req_t pub;
    struct spur_http_ireq *next; /* the connection's queue, oldest first */
    char *hdrblob;               /* owns header names and values ("name\0value\0...") */
    char *resp;                  /* the complete response bytes once answered; owned */
    size_t resp_len;
    int status;               /* answered status, for the log */
    unsigned answered : 1;    /* spur_http_reply (or an error) filled resp */
    unsigned keep_alive : 1;  /* the client allows another request after this one */
    unsigned close_after : 1; /* the connection closes once this response is sent */
    unsigned is_error : 1;    /* made by the layer for a framing error or timeout */
    unsigned is_stream : 1;   /* turned into an event stream */
    unsigned dispatched : 1;  /* handed to the handler (it owes an answer) */
} spur_http_ireq_t;

static inline spur_http_ireq_t *ireq_of(spur_http_req_t *req)
{
    return (spur_http_ireq_t *)(void *)req;
}

/* Allocates an empty request (all strings ""). Freed with spur_http_ireq_free. */
spur_http_ireq_t *spur_http_ireq_new(void);
void spur_http_ireq_free(spur_http_ireq_t *ir);

/* ---- parser ---- */

enum { SPUR_HTTP_PH_IDLE, SPUR_HTTP_PH_HEADERS, SPUR_HTTP_PH_BODY };
enum { SPUR_HTTP_PARSE_MORE, SPUR_HTTP_PARSE_REQ, SPUR_HTTP_PARSE_ERR };

typedef struct {
    llhttp_t llp;
    const spur_http_config_t *cfg; /* borrowed; outlives the parser */
    int phase;                     /* SPUR_HTTP_PH_*; where the current message is */
    int scan;                      /* pre-scan state over raw header bytes (parse.c) */
    size_t line_bytes;             /* method + target + version so far */
    size_t header_bytes;           /* names + values so far */
    size_t body_limit;             /* for the current request, bytes */
    spur_buf_t target, hdrs, body; /* copies of the current message's spans */
    size_t *offs;                  /* hdrs offsets: name, value per header (2 * max_headers) */
    size_t nheaders;
    int in_value;           /* the last span was a header value */
    int value_open;         /* a value started but is not NUL-terminated yet */
    int err_status;         /* 0, or the status to answer (400, 408, 413, 414, 431) */
    const char *err_name;   /* wire name, static */
    const char *err_msg;    /* human text, static */
    uint64_t start_ns;      /* uv_hrtime() at the message's first byte */
    uint64_t headers_ns;    /* uv_hrtime() when its headers completed */
    spur_http_ireq_t *done; /* the complete request, until taken */
    int upgrade;            /* llhttp paused for an upgrade: close after the reply */
    int line_sp;            /* spaces seen in the request line */
    char prev;              /* previous request-line byte */
    int chunked;            /* the current body is chunked */
    int ck;                 /* chunked framing state (parse.c) */
    uint64_t ck_size;       /* bytes left in the current chunk, or its size so far */
    int expect_continue;    /* the client waits for "100 Continue" before its body */
    size_t *big_used;       /* the server's bytes reserved for big bodies (may be NULL) */
    size_t big_reserved;    /* of them, this parser's current message's */
} spur_http_parser_t;

/* big_used: the server's count of bytes reserved for bodies over cfg->max_body, shared
 * by its parsers (NULL: no budget). */
void spur_http_parser_init(spur_http_parser_t *p, const spur_http_config_t *cfg,
                           size_t *big_used);
void spur_http_parser_free(spur_http_parser_t *p);
/* Feeds len bytes. Returns SPUR_HTTP_PARSE_MORE (all used, need more bytes),
 * SPUR_HTTP_PARSE_REQ (one request complete: take it with spur_http_parser_take; *used
 * bytes were consumed, call again with the rest) or SPUR_HTTP_PARSE_ERR (err_status,
 * err_name, err_msg are set; the connection must answer and close: do not feed again). */
int spur_http_parser_feed(spur_http_parser_t *p, const char *data, size_t len, size_t *used);
/* Hands over the completed request (the caller owns it). */
spur_http_ireq_t *spur_http_parser_take(spur_http_parser_t *p);
/* Sets an error from outside (a timeout): 408 etc. */
void spur_http_parser_fail(spur_http_parser_t *p, int status, const char *name, const char *msg);

/* Percent-decodes target's path into out (at least strlen(target)+1 bytes) and finds the
 * query. Returns 0, or -1 for a target not starting with '/', an invalid %xx or %00. */
int spur_http_split_target(char *target, char *out, char **query);

/* ---- responses (reply.c) ---- */

/* Builds a complete response into out: status line, Date, Content-Length (unless
 * no_length or a status that has no body), Content-Type, Connection, security headers,
 * extra headers, then the body unless head_only. */
void spur_http_format_response(spur_buf_t *out, int status, const char *content_type,
                               const char *extra_headers, const void *body, size_t len,
                               int head_only, int keep_alive, int no_length);
/* The JSON error body {"error":name,"message":msg}. */
void spur_http_format_error_body(spur_buf_t *out, const char *name, const char *msg);

/* ---- server and connections (server.c, conn.c) ---- */

typedef struct spur_http_batch spur_http_batch_t;

struct spur_http_server {
    uv_loop_t *loop;
    uv_tcp_t listener;
    spur_http_config_t cfg;
    spur_map_t per_addr;     /* address key -> open connections (uintptr_t); trusted
                                proxies and reserve connections are not counted */
    spur_http_conn_t *conns; /* every connection whose memory is alive */
    size_t nconns;
    size_t nreserve;  /* of them, reserve connections (cfg.reserve_conns) */
    size_t big_body_used; /* bytes reserved by bodies over cfg.max_body (parse.c) */
    uint64_t next_id; /* connection ids, from 1 */
    int port;
    int closing; /* spur_http_server_close was called */
    int listener_closed;
    void (*on_done)(void *data);
    void *done_data;
    spur_http_batch_t *batch; /* batched writes (batch.c); NULL: each written at once */
    uv_prepare_t turn_start;  /* flushes the batch before the loop sleeps */
    uv_check_t turn_end;      /* and after each turn's callbacks */
    int batch_handles;        /* of those two, not yet closed */
    spur_list_t deferred;     /* connections with a deferred write (c->defer_link) */
    char readbuf[64 * 1024];  /* shared: read callbacks run one at a time, and the
                                 connection copies what it keeps */
};

enum { SPUR_CONN_OPEN, SPUR_CONN_DRAINING, SPUR_CONN_LINGER, SPUR_CONN_CLOSED };

struct spur_http_conn {
    uv_tcp_t tcp;
    uv_timer_t timer; /* the one deadline that applies now (see arm_timer in conn.c) */
    uv_shutdown_t shut;
    spur_http_server_t *srv;
    spur_http_conn_t *prev, *next; /* srv->conns */
    uint64_t id;
    char peer[64];     /* TCP peer address as text */
    char addr_key[64]; /* the peer's address key (spur_http_addr_key) */
    int proxy;         /* the peer is a trusted proxy: not counted per address */
    int reserve;       /* accepted past a cap: one request, ops paths only */
    int state;         /* SPUR_CONN_*: open -> draining (last response queued) ->
                          linger (FIN sent, discarding input) -> closed */
    int tcp_closed;    /* the tcp close callback ran */
    int timer_closing; /* uv_close(timer) called: its callback frees the memory */
    int shutting;      /* a uv_shutdown is pending */
    int reading;
    int stop_parsing; /* no further requests are read on this connection */
    int eof;          /* the client finished sending */
    int in_pump;
    int timer_kind;
    spur_http_parser_t parser;
    char *in; /* received bytes not parsed yet (parsing paused), owned */
    size_t in_len, in_off;
    spur_http_ireq_t *head, *tail; /* parsed, not yet written; oldest first */
    unsigned nqueued;
    unsigned served; /* requests parsed on this connection */
    unsigned pending_writes;
    size_t queued_bytes;  /* written to libuv, not yet completed */
    uint64_t idle_since;  /* uv_now() ms when the connection became idle */
    uint64_t progress_ms; /* uv_now() ms of the last completed write */
    uint64_t drain_since; /* uv_now() ms when draining or lingering began */
    spur_http_stream_t *stream;
    /* a write kept for the end of the loop turn (batch.c); not in pending_writes or
       queued_bytes: it leaves before the loop sleeps */
    int deferred;
    spur_link_t defer_link; /* srv->deferred */
    char *defer_data;       /* owned, unless defer_shared */
    spur_shared_t *defer_shared;
    size_t defer_len;
};

struct spur_http_stream {
    spur_http_conn_t *conn;
    void (*on_close)(spur_http_stream_t *s, void *data);
    void *data;
    int closed;           /* spur_http_stream_close called or the queue overflowed */
    int active;           /* its response head is written; sends go straight out */
    spur_http_ireq_t *ir; /* while not active: the entry waiting its turn */
};

/* Takes an accepted connection into service (conn.c). */
void spur_http_conn_start(spur_http_conn_t *c);
/* Server closing: close idle connections, let busy ones finish (conn.c). */
void spur_http_conn_server_closing(spur_http_conn_t *c);
/* The deferred write of c went out: res bytes of it, or -errno. Takes c off
 * srv->deferred; hands what is left to libuv. Calls no handler (conn.c). */
void spur_http_conn_sent(spur_http_conn_t *c, int res);

/* ---- batched writes (batch.c) ---- */

/* Sets up the ring and the loop handles that flush it (io_uring if the kernel allows). */
void spur_http_batch_start(spur_http_server_t *srv);
/* Sends every deferred write now. */
void spur_http_batch_flush(spur_http_server_t *srv);
/* Flushes, frees the ring and closes the two loop handles (on_closed runs for each). */
void spur_http_batch_close(spur_http_server_t *srv, uv_close_cb on_closed);

/* Every handle of c is closed and no request is outstanding: unlink and free (server.c). */
void spur_http_server_conn_gone(spur_http_server_t *srv, spur_http_conn_t *c);

#endif

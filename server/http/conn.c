/* One HTTP/1.1 connection: read, parse ahead, dispatch in order, answer in order,
 * write, time out, close; and event streams on top of it.
 *
 * Keeps true:
 * - Requests are handed to the handler in arrival order and their responses are
 *   written in that order, whatever order the handler answers in. At most
 *   cfg.max_pipelined are parsed and not yet written; at that count, or when more
 *   than cfg.max_queued_bytes wait unsent, reading stops (backpressure).
 * - Nothing is torn down inside llhttp callbacks or handler calls: closing is
 *   conn_close() (idempotent), which only calls uv_close. The memory lives on until
 *   the tcp handle's close callback ran AND no dispatched request is unanswered; then
 *   the timer is closed and its close callback frees everything. A reply to a request
 *   whose client is gone just frees the request.
 * - Each write owns its bytes (one buffer per response) and on_write_done frees them.
 * - The timer holds the one deadline that applies now: the total header or body time
 *   of the request being received (408), the idle keep-alive time, the write-stall
 *   time, or the linger time after the last response. It is not reset by reads.
 * - After a response with Connection: close, the socket is shut down for writing and
 *   input is discarded for a short while (lingering close), so the client reads the
 *   answer instead of a reset. */
#include "http/internal.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"

#define LINGER_MS 2000             /* discard input this long after the last response */
#define CLOSING_DRAIN_MS 5000      /* most time a closing server waits for a slow reader */
#define STREAM_SNDBUF (64 * 1024)  /* kernel send buffer of an event stream */
#define DEFER_JOIN_MAX (16 * 1024) /* bytes of one loop turn joined into one send */

#define CONTINUE "HTTP/1.1 100 Continue\r\n\r\n"

enum { T_NONE, T_CLOSE, T_408 };

typedef struct {
    uv_write_t req;
    spur_http_conn_t *c;
    char *data;            /* owned: freed in on_write_done, unless shared */
    spur_shared_t *shared; /* or: a reference on shared bytes, dropped there */
    size_t len;
} wreq_t;

/* Lets go of a write's bytes: its own block, or its reference on shared ones. */
static void release(char *data, spur_shared_t *shared)
{
    if (shared)
        spur_shared_unref(shared);
    else
        free(data);
}

static void conn_pump(spur_http_conn_t *c);
static void conn_flush(spur_http_conn_t *c);

static unsigned long long cid(const spur_http_conn_t *c)
{
    return (unsigned long long)c->id;
}

static void on_timer_close(uv_handle_t *h)
{
    spur_http_conn_t *c = h->data;
    spur_http_stream_t *s = c->stream;

    if (s) {
        c->stream = NULL;
        if (s->on_close)
            s->on_close(s, s->data);
        free(s);
    }
    spur_http_parser_free(&c->parser);
    free(c->in);
    spur_debug("conn %llu: freed", cid(c));
    spur_http_server_conn_gone(c->srv, c);
}

/* Frees the connection once its socket is closed and no handler owes an answer. */
static void conn_maybe_finish(spur_http_conn_t *c)
{
    if (c->state != SPUR_CONN_CLOSED || !c->tcp_closed || c->head || c->timer_closing)
        return;
    c->timer_closing = 1;
    uv_close((uv_handle_t *)&c->timer, on_timer_close);
}

static void on_tcp_close(uv_handle_t *h)
{
    spur_http_conn_t *c = h->data;
    c->tcp_closed = 1;
    conn_maybe_finish(c);
}

static void unlink_req(spur_http_conn_t *c, spur_http_ireq_t *ir)
{
    spur_http_ireq_t **pp = &c->head, *prev = NULL;
    while (*pp && *pp != ir) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (!*pp)
        return;
    *pp = ir->next;
    if (c->tail == ir)
        c->tail = prev;
    c->nqueued--;
}

/* Takes the deferred write off the batch: the caller writes or drops its bytes. */
static void take_deferred(spur_http_conn_t *c, char **data, size_t *len, spur_shared_t **shared)
{
    spur_list_remove(&c->srv->deferred, &c->defer_link);
    c->deferred = 0;
    *data = c->defer_data;
    *len = c->defer_len;
    *shared = c->defer_shared;
    c->defer_data = NULL;
    c->defer_shared = NULL;
    c->defer_len = 0;
}

/* The one way to close. Answered-but-unsent responses are dropped now; requests
 * the handler still owes stay queued until answered (spur_http_reply frees them). */
static void conn_close(spur_http_conn_t *c)
{
    spur_http_ireq_t *ir, *next;

    if (c->state == SPUR_CONN_CLOSED)
        return;
    spur_debug("conn %llu: closing", cid(c));
    c->state = SPUR_CONN_CLOSED;
    c->stop_parsing = 1;
    if (c->deferred) {
        char *data;
        size_t len;
        spur_shared_t *shared;
        take_deferred(c, &data, &len, &shared);
        release(data, shared);
    }
    uv_timer_stop(&c->timer);
    uv_close((uv_handle_t *)&c->tcp, on_tcp_close);
    for (ir = c->head; ir; ir = next) {
        next = ir->next;
        if (ir->answered) {
            if (ir->is_stream && c->stream)
                c->stream->ir = NULL;
            unlink_req(c, ir);
            spur_http_ireq_free(ir);
        }
    }
    if (c->stream)
        c->stream->closed = 1;
}

static void on_write_done(uv_write_t *req, int status);
static void check_drained(spur_http_conn_t *c);
static void update_reading(spur_http_conn_t *c);
static void arm_timer(spur_http_conn_t *c);

/* Hands len bytes at data to libuv's write queue, skipping the first `sent` (already
 * written); the write owns the whole of data. */
static int write_queued(spur_http_conn_t *c, char *data, size_t len, spur_shared_t *shared,
                        size_t sent)
{
    uv_buf_t b = uv_buf_init(data + sent, (unsigned)(len - sent));
    wreq_t *w = spur_malloc(sizeof(*w));
    int r;

    w->c = c;
    w->data = data; /* released whole, even when the front part went out already */
    w->shared = shared;
    w->len = b.len;
    r = uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_write_done);
    if (r < 0) {
        release(data, shared);
        free(w);
        spur_debug("conn %llu: write failed: %s", cid(c), uv_strerror(r));
        conn_close(c);
        return r;
    }
    if (c->pending_writes == 0)
        c->progress_ms = uv_now(c->srv->loop);
    c->pending_writes++;
    c->queued_bytes += b.len;
    return 0;
}

/* Writes now what it can, queues the rest. */
static int write_direct(spur_http_conn_t *c, char *data, size_t len, spur_shared_t *shared)
{
    size_t sent = 0;

    if (c->pending_writes == 0) {
        /* Nothing queued before it: most answers fit the socket buffer at once, and
           a write done here costs neither a write request nor libuv's re-arming of
           the socket's epoll registration when its write queue drains. */
        uv_buf_t b = uv_buf_init(data, (unsigned)len);
        int r = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
        if (r == (int)len) {
            release(data, shared);
            c->progress_ms = uv_now(c->srv->loop);
            return 0;
        }
        if (r < 0 && r != UV_EAGAIN) {
            release(data, shared);
            spur_debug("conn %llu: write failed: %s", cid(c), uv_strerror(r));
            conn_close(c);
            return r;
        }
        if (r > 0)
            sent = (size_t)r;
    }
    return write_queued(c, data, len, shared, sent);
}

void spur_http_conn_sent(spur_http_conn_t *c, int res)
{
    char *data;
    size_t len;
    spur_shared_t *shared;

    take_deferred(c, &data, &len, &shared);
    if (res >= 0 && (size_t)res == len) {
        release(data, shared);
        c->progress_ms = uv_now(c->srv->loop);
        check_drained(c); /* a shutdown may have waited for these bytes */
        return;
    }
    if (res < 0 && res != -EAGAIN && res != -EWOULDBLOCK) {
        release(data, shared);
        spur_debug("conn %llu: write failed: %s", cid(c), strerror(-res));
        conn_close(c);
        return;
    }
    if (write_queued(c, data, len, shared, res > 0 ? (size_t)res : 0) == 0) {
        update_reading(c); /* the queue grew: maybe past max_queued_bytes */
        arm_timer(c);      /* watch for a reader that stopped reading */
    }
}

/* Queues len bytes at data, which the write owns: a heap block, or (shared set) a
 * reference on shared bytes; released whatever happens. With a ring, bytes that
 * would be written at once wait for the end of the loop turn (batch.c); more bytes
 * for the same turn join them, up to DEFER_JOIN_MAX (a ping and a push, pipelined
 * answers), so that they too leave in the batch. */
static int conn_write_bytes(spur_http_conn_t *c, char *data, size_t len, spur_shared_t *shared)
{
    if (c->state == SPUR_CONN_CLOSED || c->state == SPUR_CONN_LINGER) {
        release(data, shared);
        return UV_EPIPE;
    }
    if (c->deferred && c->defer_len + len <= DEFER_JOIN_MAX) {
        char *joined = spur_malloc(c->defer_len + len);
        memcpy(joined, c->defer_data, c->defer_len);
        memcpy(joined + c->defer_len, data, len);
        release(c->defer_data, c->defer_shared);
        release(data, shared);
        c->defer_data = joined;
        c->defer_shared = NULL;
        c->defer_len += len;
        return 0;
    }
    if (c->deferred) { /* older bytes go first */
        char *d;
        size_t n;
        spur_shared_t *sh;
        take_deferred(c, &d, &n, &sh);
        write_direct(c, d, n, sh);
        if (c->state == SPUR_CONN_CLOSED) {
            release(data, shared);
            return UV_EPIPE;
        }
    }
    if (c->srv->batch && c->pending_writes == 0) {
        c->deferred = 1;
        c->defer_data = data;
        c->defer_len = len;
        c->defer_shared = shared;
        spur_list_push_back(&c->srv->deferred, &c->defer_link);
        return 0;
    }
    return write_direct(c, data, len, shared);
}

static int conn_write(spur_http_conn_t *c, char *data, size_t len)
{
    return conn_write_bytes(c, data, len, NULL);
}

static void on_timer(uv_timer_t *t);

static void arm_timer(spur_http_conn_t *c)
{
    const spur_http_config_t *cfg = &c->srv->cfg;
    uint64_t now = uv_now(c->srv->loop), due;

    c->timer_kind = T_NONE;
    switch (c->state) {
    case SPUR_CONN_CLOSED:
        uv_timer_stop(&c->timer);
        return;
    case SPUR_CONN_LINGER:
        due = c->drain_since + LINGER_MS;
        c->timer_kind = T_CLOSE;
        break;
    case SPUR_CONN_DRAINING:
        /* the client may not be reading: give up after the idle time, sooner when the
           server is shutting down */
        due = c->drain_since + (c->srv->closing && cfg->idle_timeout_ms > CLOSING_DRAIN_MS
                                    ? CLOSING_DRAIN_MS
                                    : cfg->idle_timeout_ms);
        c->timer_kind = T_CLOSE;
        break;
    default:
        if (c->parser.phase == SPUR_HTTP_PH_HEADERS && !c->stop_parsing) {
            due = c->parser.start_ns / 1000000 + cfg->header_timeout_ms;
            c->timer_kind = T_408;
        } else if (c->parser.phase == SPUR_HTTP_PH_BODY && !c->stop_parsing) {
            due = c->parser.headers_ns / 1000000 + cfg->body_timeout_ms;
            c->timer_kind = T_408;
        } else if (c->pending_writes) {
            due = c->progress_ms + cfg->idle_timeout_ms; /* the client stopped reading */
            c->timer_kind = T_CLOSE;
        } else if (c->head || c->stream) {
            uv_timer_stop(&c->timer); /* the handler owes an answer, or a stream idles */
            return;
        } else {
            due = c->idle_since + (c->served == 0 ? cfg->header_timeout_ms : cfg->idle_timeout_ms);
            c->timer_kind = T_CLOSE;
        }
        break;
    }
    uv_timer_start(&c->timer, on_timer, due > now ? due - now : 0, 0);
}

/* Read as much as the limits allow now; otherwise stop reading (backpressure). */
static void update_reading(spur_http_conn_t *c);

static void start_draining(spur_http_conn_t *c);

static void on_shutdown(uv_shutdown_t *req, int status)
{
    spur_http_conn_t *c = req->data;
    c->shutting = 0;
    if (c->state == SPUR_CONN_CLOSED)
        return;
    if (status < 0 || c->eof) {
        conn_close(c);
        return;
    }
    /* lingering close: discard what the client still sends, for a short while */
    c->state = SPUR_CONN_LINGER;
    c->drain_since = uv_now(c->srv->loop);
    update_reading(c);
    arm_timer(c);
}

static void check_drained(spur_http_conn_t *c)
{
    int r;
    if (c->state != SPUR_CONN_DRAINING || c->pending_writes || c->deferred || c->shutting)
        return;
    c->shut.data = c;
    r = uv_shutdown(&c->shut, (uv_stream_t *)&c->tcp, on_shutdown);
    if (r < 0)
        conn_close(c);
    else
        c->shutting = 1;
}

/* The last response is queued: send it, then close. */
static void start_draining(spur_http_conn_t *c)
{
    if (c->state != SPUR_CONN_OPEN)
        return;
    c->state = SPUR_CONN_DRAINING;
    c->stop_parsing = 1;
    c->drain_since = uv_now(c->srv->loop);
    update_reading(c);
    check_drained(c);
    arm_timer(c);
}

static void on_write_done(uv_write_t *req, int status)
{
    wreq_t *w = (wreq_t *)req;
    spur_http_conn_t *c = w->c;

    c->pending_writes--;
    c->queued_bytes -= w->len;
    release(w->data, w->shared);
    free(w);
    if (status < 0) {
        if (status != UV_ECANCELED)
            spur_debug("conn %llu: write failed: %s", cid(c), uv_strerror(status));
        conn_close(c);
        return;
    }
    c->progress_ms = uv_now(c->srv->loop);
    if (c->state == SPUR_CONN_DRAINING)
        check_drained(c);
    else if (c->state == SPUR_CONN_OPEN)
        conn_pump(c); /* room again: parse what waits, maybe read again */
    if (c->state != SPUR_CONN_CLOSED)
        arm_timer(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    spur_http_conn_t *c = h->data;
    (void)suggested;
    *buf = uv_buf_init(c->srv->readbuf, sizeof(c->srv->readbuf));
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    spur_http_conn_t *c = stream->data;

    if (nread == 0)
        return;
    if (nread < 0) {
        if (nread != UV_EOF)
            spur_debug("conn %llu: read: %s", cid(c), uv_strerror((int)nread));
        /* the client is done sending: answer what was asked, then close */
        c->eof = 1;
        c->stop_parsing = 1;
        if (nread != UV_EOF || c->state == SPUR_CONN_LINGER || c->stream ||
            (!c->head && !c->pending_writes && !c->deferred)) {
            conn_close(c);
            conn_maybe_finish(c);
            return;
        }
        if (!c->head)
            start_draining(c); /* answered, not all sent yet: send, then close */
        update_reading(c);
        arm_timer(c);
        return;
    }
    if (c->state != SPUR_CONN_OPEN || c->stream)
        return; /* lingering, or an event stream's client (it has nothing more to say): discard */
    if (c->in_off == c->in_len) {
        c->in_off = c->in_len = 0;
    }
    c->in = spur_realloc(c->in, c->in_len + (size_t)nread);
    memcpy(c->in + c->in_len, buf->base, (size_t)nread);
    c->in_len += (size_t)nread;
    conn_pump(c);
}

static void update_reading(spur_http_conn_t *c)
{
    const spur_http_config_t *cfg = &c->srv->cfg;
    int want;

    if (c->state == SPUR_CONN_CLOSED)
        return;
    if (c->state == SPUR_CONN_LINGER)
        want = !c->eof;
    else if (c->stream && c->state == SPUR_CONN_OPEN)
        want = !c->eof; /* only to see the client go: a phone that closed frees its place */
    else
        want = c->state == SPUR_CONN_OPEN && !c->stop_parsing && !c->eof &&
               c->nqueued < cfg->max_pipelined && c->queued_bytes <= cfg->max_queued_bytes &&
               c->in_off == c->in_len;
    if (want && !c->reading) {
        int r = uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
        if (r < 0) {
            conn_close(c);
            return;
        }
        c->reading = 1;
    } else if (!want && c->reading) {
        uv_read_stop((uv_stream_t *)&c->tcp);
        c->reading = 0;
    }
}

static void enqueue(spur_http_conn_t *c, spur_http_ireq_t *ir)
{
    ir->next = NULL;
    if (c->tail)
        c->tail->next = ir;
    else
        c->head = ir;
    c->tail = ir;
    c->nqueued++;
}

static void fill_blanks(spur_http_conn_t *c, spur_http_ireq_t *ir)
{
    spur_http_req_t *r = &ir->pub;
    r->conn = c;
    r->conn_id = c->id;
    snprintf(r->peer, sizeof(r->peer), "%s", c->peer);
    if (c->proxy)
        spur_http_client_of(&c->srv->cfg, r, c->peer, r->client, sizeof(r->client));
    else
        memcpy(r->client, c->addr_key, sizeof(r->client));
    if (!r->method_name)
        r->method_name = "-";
    if (!r->target)
        r->target = spur_strdup("");
    if (!r->path)
        r->path = spur_strdup("");
    if (!r->query)
        r->query = r->target + strlen(r->target);
    if (!r->body)
        r->body = spur_strdup("");
    if (!r->start_ns)
        r->start_ns = uv_hrtime();
}

/* Builds ir's response bytes. */
static void build_reply(spur_http_ireq_t *ir, int status, const char *content_type,
                        const char *extra_headers, const void *body, size_t len)
{
    spur_http_conn_t *c = ir->pub.conn;
    spur_buf_t out = {0};
    /* A closing server parses nothing more, so the connection closes after the last
       request queued, not after whichever is answered first: a pipelined request still
       owed behind this one (a write waiting for its commit) must get its answer too. */
    int keep = ir->keep_alive && !ir->close_after && !(c->srv->closing && !ir->next);

    if (!keep)
        ir->close_after = 1;
    spur_http_format_response(&out, status, content_type, extra_headers, body, len, ir->pub.is_head,
                              keep, 0);
    ir->resp = spur_buf_steal(&out, &ir->resp_len);
    ir->status = status;
    ir->answered = 1;
}

/* A framing error, a limit or a timeout: answer it after what came before, then close. */
static void fail_request(spur_http_conn_t *c)
{
    spur_http_parser_t *p = &c->parser;
    spur_http_ireq_t *ir = spur_http_parser_take(p);
    spur_buf_t body = {0};
    char target[128];

    if (!ir)
        ir = spur_http_ireq_new();
    fill_blanks(c, ir);
    spur_log_sanitize(target, sizeof(target), ir->pub.target, strlen(ir->pub.target));
    spur_info("conn %llu: %s: %d %s (%s)", cid(c), c->peer, p->err_status, p->err_msg, target);
    ir->is_error = 1;
    ir->close_after = 1;
    c->stop_parsing = 1;
    spur_http_format_error_body(&body, p->err_name, p->err_msg);
    enqueue(c, ir);
    build_reply(ir, p->err_status, "application/json",
                p->err_status == 503 ? "Retry-After: 5\r\n" : NULL, body.data, body.len);
    spur_buf_free(&body);
    conn_flush(c);
}

static int is_ops_path(const spur_http_config_t *cfg, const char *path)
{
    for (const char *const *p = cfg->ops_paths; p && *p; p++)
        if (strcmp(*p, path) == 0)
            return 1;
    return 0;
}

static void accept_request(spur_http_conn_t *c)
{
    spur_http_ireq_t *ir = spur_http_parser_take(&c->parser);
    const spur_http_config_t *cfg = &c->srv->cfg;

    fill_blanks(c, ir);
    c->served++;
    if (!ir->keep_alive || c->served >= cfg->max_requests || c->srv->closing || c->parser.upgrade ||
        c->reserve) {
        ir->close_after = 1;
        c->stop_parsing = 1;
    }
    enqueue(c, ir);
    if (c->reserve && !is_ops_path(cfg, ir->pub.path)) {
        spur_buf_t body = {0};
        spur_http_format_error_body(&body, "overloaded",
                                    "Der Server ist gerade voll; bitte gleich noch einmal "
                                    "versuchen. / The server is full; try again shortly.");
        build_reply(ir, 503, "application/json", "Retry-After: 5\r\n", body.data, body.len);
        spur_buf_free(&body);
        conn_flush(c);
        return;
    }
    ir->dispatched = 1;
    cfg->handler(&ir->pub, cfg->data);
}

static void log_req(spur_http_conn_t *c, spur_http_ireq_t *ir, size_t bytes)
{
    const spur_http_config_t *cfg = &c->srv->cfg;
    if (cfg->on_log)
        cfg->on_log(&ir->pub, ir->status, bytes, uv_hrtime() - ir->pub.start_ns, cfg->data);
}

/* Writes every answered response at the head of the queue, in order. */
static void conn_flush(spur_http_conn_t *c)
{
    while (c->head && c->head->answered &&
           (c->state == SPUR_CONN_OPEN || c->state == SPUR_CONN_DRAINING)) {
        spur_http_ireq_t *ir = c->head;
        size_t len = ir->resp_len;
        int close_after = ir->close_after;

        unlink_req(c, ir);
        log_req(c, ir, len);
        if (ir->is_stream && c->stream) {
            c->stream->ir = NULL;
            c->stream->active = 1;
        }
        conn_write(c, ir->resp, len);
        ir->resp = NULL;
        spur_http_ireq_free(ir);
        if (close_after || (!c->head && !c->stream && (c->srv->closing || c->eof)))
            start_draining(c);
    }
    if (!c->head && !c->stream && c->state == SPUR_CONN_OPEN)
        c->idle_since = uv_now(c->srv->loop);
}

/* The safe point: parse what was received, as far as the limits allow, dispatch,
 * write, then decide about reading and the timer. Re-entered from a handler that
 * answers at once, it returns and the outer call carries on. */
static void conn_pump(spur_http_conn_t *c)
{
    const spur_http_config_t *cfg = &c->srv->cfg;

    if (c->in_pump)
        return;
    c->in_pump = 1;
    while (c->state == SPUR_CONN_OPEN && !c->stop_parsing && c->nqueued < cfg->max_pipelined &&
           c->in_off < c->in_len) {
        size_t used = 0;
        int r = spur_http_parser_feed(&c->parser, c->in + c->in_off, c->in_len - c->in_off, &used);
        c->in_off += used;
        if (r == SPUR_HTTP_PARSE_REQ)
            accept_request(c);
        else if (r == SPUR_HTTP_PARSE_ERR)
            fail_request(c);
    }
    if (c->parser.expect_continue && c->state == SPUR_CONN_OPEN && !c->stop_parsing) {
        /* only when nothing is waiting to be answered, or it would overtake a response */
        c->parser.expect_continue = 0;
        if (!c->head)
            conn_write(c, spur_strdup(CONTINUE), sizeof(CONTINUE) - 1);
    }
    if (c->in_off == c->in_len || c->stop_parsing) {
        free(c->in);
        c->in = NULL;
        c->in_off = c->in_len = 0;
    }
    c->in_pump = 0;
    conn_flush(c);
    if (c->state == SPUR_CONN_OPEN && c->eof && !c->head && !c->stream)
        start_draining(c);
    update_reading(c);
    arm_timer(c);
}

static void on_timer(uv_timer_t *t)
{
    spur_http_conn_t *c = t->data;

    if (c->timer_kind == T_408 && c->state == SPUR_CONN_OPEN) {
        spur_http_parser_fail(
            &c->parser, 408, "timeout",
            "Die Anfrage kam zu langsam an. / The request took too long to arrive.");
        fail_request(c);
        conn_pump(c);
        return;
    }
    if (c->timer_kind != T_NONE) {
        spur_debug("conn %llu: timed out", cid(c));
        conn_close(c);
        conn_maybe_finish(c);
    }
}

void spur_http_conn_start(spur_http_conn_t *c)
{
    uv_timer_init(c->srv->loop, &c->timer);
    c->timer.data = c;
    c->tcp.data = c;
    c->state = SPUR_CONN_OPEN;
    uv_tcp_nodelay(&c->tcp, 1);
    spur_http_parser_init(&c->parser, &c->srv->cfg, &c->srv->big_body_used);
    c->idle_since = uv_now(c->srv->loop);
    spur_debug("conn %llu: open from %s", cid(c), c->peer);
    update_reading(c);
    arm_timer(c);
}

void spur_http_conn_server_closing(spur_http_conn_t *c)
{
    switch (c->state) {
    case SPUR_CONN_CLOSED:
        return;
    case SPUR_CONN_LINGER:
        conn_close(c);
        conn_maybe_finish(c);
        return;
    case SPUR_CONN_DRAINING:
        arm_timer(c); /* with the shorter deadline of a closing server */
        return;
    default:
        break;
    }
    c->stop_parsing = 1;
    if (c->stream) {
        spur_http_stream_close(c->stream);
    } else if (c->head) {
        update_reading(c); /* answer what is in flight, then close */
        arm_timer(c);
    } else if (c->pending_writes || c->deferred) {
        start_draining(c); /* the last response is still on its way */
    } else {
        conn_close(c); /* idle, or only part of a request received */
        conn_maybe_finish(c);
    }
}

/* ---- the public answer functions ---- */

/* The request's connection is gone: forget the request. */
static int drop_if_closed(spur_http_ireq_t *ir, int status)
{
    spur_http_conn_t *c = ir->pub.conn;
    if (c->state != SPUR_CONN_CLOSED)
        return 0;
    ir->status = status;
    log_req(c, ir, 0);
    unlink_req(c, ir);
    spur_http_ireq_free(ir);
    conn_maybe_finish(c);
    return 1;
}

void spur_http_reply(spur_http_req_t *req, int status, const char *content_type,
                     const char *extra_headers, const void *body, size_t len)
{
    spur_http_ireq_t *ir = ireq_of(req);
    spur_http_conn_t *c = req->conn;

    assert(ir->dispatched && !ir->answered);
    if (drop_if_closed(ir, status))
        return;
    build_reply(ir, status, content_type, extra_headers, body, len);
    conn_flush(c);
    conn_pump(c);
}

void spur_http_reply_error(spur_http_req_t *req, int status, const char *name, const char *message,
                           const char *extra_headers)
{
    spur_buf_t body = {0};
    spur_http_format_error_body(&body, name, message);
    spur_http_reply(req, status, "application/json", extra_headers, body.data, body.len);
    spur_buf_free(&body);
}

/* ---- event streams ---- */

spur_http_stream_t *spur_http_stream_start(spur_http_req_t *req, const char *extra_headers,
                                           void (*on_close)(spur_http_stream_t *s, void *data),
                                           void *data)
{
    spur_http_ireq_t *ir = ireq_of(req);
    spur_http_conn_t *c = req->conn;
    spur_http_stream_t *s = spur_calloc(1, sizeof(*s));
    spur_buf_t out = {0};

    assert(ir->dispatched && !ir->answered && !c->stream);
    s->conn = c;
    s->on_close = on_close;
    s->data = data;
    c->stream = s;
    c->stop_parsing = 1;
    if (drop_if_closed(ir, 200)) {
        s->closed = 1; /* on_close runs when the connection memory goes */
        return s;
    }
    if (!extra_headers || !strcasestr(extra_headers, "cache-control:"))
        spur_buf_puts(&out, "Cache-Control: no-cache\r\n");
    if (extra_headers)
        spur_buf_puts(&out, extra_headers);
    ir->is_stream = 1;
    ir->close_after = 0;
    s->ir = ir;
    {
        /* A stream sends a few KB a second at most; a fixed kernel send buffer keeps
         * a phone that stopped reading from holding megabytes of kernel memory (Linux
         * grows it up to 4 MiB on its own) and lets max_queued_bytes notice it soon. */
        int size = STREAM_SNDBUF;
        uv_send_buffer_size((uv_handle_t *)&c->tcp, &size);
    }
    {
        spur_buf_t head = {0};
        spur_http_format_response(&head, 200, "text/event-stream", out.data, NULL, 0,
                                  ir->pub.is_head, 0, 1);
        ir->resp = spur_buf_steal(&head, &ir->resp_len);
    }
    spur_buf_free(&out);
    ir->status = 200;
    ir->answered = 1;
    conn_flush(c);
    conn_pump(c);
    return s;
}

/* Sends len bytes at data on the stream: copied, or (shared set) referenced. */
static int stream_send(spur_http_stream_t *s, const void *data, size_t len, spur_shared_t *shared)
{
    spur_http_conn_t *c = s->conn;
    size_t max = c->srv->cfg.max_queued_bytes;

    if (s->closed || c->state != SPUR_CONN_OPEN)
        return UV_EPIPE;
    if (!s->active) { /* the head waits its turn behind earlier responses: append */
        spur_http_ireq_t *ir = s->ir;
        if (ir->resp_len + len > max) {
            s->closed = 1;
            conn_close(c);
            return UV_ENOBUFS;
        }
        ir->resp = spur_realloc(ir->resp, ir->resp_len + len + 1);
        memcpy(ir->resp + ir->resp_len, data, len);
        ir->resp_len += len;
        return 0;
    }
    if (c->queued_bytes + len > max) {
        spur_info("conn %llu: %s: event stream client too slow, dropped", cid(c), c->peer);
        s->closed = 1;
        conn_close(c);
        return UV_ENOBUFS;
    }
    int r;
    if (shared) {
        r = conn_write_bytes(c, shared->data, shared->len, spur_shared_ref(shared));
    } else {
        char *copy = spur_malloc(len ? len : 1);
        memcpy(copy, data, len);
        r = conn_write(c, copy, len);
    }
    if (r == 0 && c->pending_writes)
        arm_timer(c); /* bytes wait: watch for a reader that stopped reading */
    return r;
}

int spur_http_stream_send(spur_http_stream_t *s, const void *data, size_t len)
{
    return stream_send(s, data, len, NULL);
}

int spur_http_stream_send_shared(spur_http_stream_t *s, spur_shared_t *shared)
{
    return stream_send(s, shared->data, shared->len, shared);
}

void spur_http_stream_close(spur_http_stream_t *s)
{
    spur_http_conn_t *c = s->conn;

    if (s->closed)
        return;
    s->closed = 1;
    if (!s->active && s->ir) {
        s->ir->close_after = 1; /* written in turn, then the connection closes */
        return;
    }
    if (c->state == SPUR_CONN_OPEN)
        start_draining(c);
}

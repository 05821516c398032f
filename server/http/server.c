/* The listening side: bind, accept, connection limits (overall and per address),
 * graceful close.
 *
 * Keeps true: srv->conns lists every connection whose memory is alive, and
 * per_addr counts them by address key (an IPv6 peer by its /64), leaving out trusted
 * proxies (a proxy carries a whole town's phones) and reserve connections; both
 * change only here. Past either cap, up to cfg.reserve_conns more are accepted as
 * reserve connections: one request each, answered only for the ops paths (so an
 * operator's health check gets through a full server) and with 503 otherwise, which
 * tells a phone more than a reset would. The server memory is
 * freed once spur_http_server_close was called, the listener is closed and the last
 * connection is gone. Running out of file descriptors (EMFILE) is survived by libuv
 * itself (it keeps a reserve descriptor and drops the pending connections), so the
 * connection callback only logs it. */
#include "http/internal.h"

#include <assert.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"

static void on_conn_close_early(uv_handle_t *h)
{
    free(h->data);
}

static size_t addr_count(spur_http_server_t *srv, const char *peer)
{
    return (size_t)(uintptr_t)spur_map_get(&srv->per_addr, peer, strlen(peer));
}

static void addr_set(spur_http_server_t *srv, const char *peer, size_t n)
{
    if (n)
        spur_map_put(&srv->per_addr, peer, strlen(peer), (void *)(uintptr_t)n);
    else
        spur_map_del(&srv->per_addr, peer, strlen(peer));
}

static void peer_name(uv_tcp_t *tcp, char *out, size_t size)
{
    struct sockaddr_storage ss;
    int len = sizeof(ss);

    snprintf(out, size, "unknown");
    if (uv_tcp_getpeername(tcp, (struct sockaddr *)&ss, &len) != 0)
        return;
    if (ss.ss_family == AF_INET)
        uv_ip4_name((struct sockaddr_in *)&ss, out, size);
    else if (ss.ss_family == AF_INET6)
        uv_ip6_name((struct sockaddr_in6 *)&ss, out, size);
}

static void on_connection(uv_stream_t *server, int status)
{
    spur_http_server_t *srv = server->data;
    spur_http_conn_t *c;
    size_t per_addr;

    if (status < 0) {
        /* EMFILE/ENFILE: libuv already accepted and dropped what it could */
        spur_warn("http: accept failed: %s", uv_strerror(status));
        return;
    }
    c = spur_calloc(1, sizeof(*c));
    uv_tcp_init(srv->loop, &c->tcp);
    c->tcp.data = c;
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 || srv->closing) {
        uv_close((uv_handle_t *)&c->tcp, on_conn_close_early);
        return;
    }
    c->srv = srv;
    c->id = ++srv->next_id;
    peer_name(&c->tcp, c->peer, sizeof(c->peer));
    spur_http_addr_key(c->peer, c->addr_key, sizeof(c->addr_key));
    c->proxy = spur_http_addr_trusted(&srv->cfg, c->peer);
    per_addr = c->proxy ? 0 : addr_count(srv, c->addr_key);
    if (srv->nconns - srv->nreserve >= srv->cfg.max_conns ||
        per_addr >= srv->cfg.max_conns_per_addr) {
        const char *why = srv->nconns - srv->nreserve >= srv->cfg.max_conns
                              ? "too many connections"
                              : "too many connections from this address";
        if (srv->nreserve >= srv->cfg.reserve_conns) {
            spur_warn("conn %llu: refused %s: %s", (unsigned long long)c->id, c->peer, why);
            uv_close((uv_handle_t *)&c->tcp, on_conn_close_early);
            return;
        }
        spur_info("conn %llu: %s: %s; taken as a reserve connection", (unsigned long long)c->id,
                  c->peer, why);
        c->reserve = 1;
        srv->nreserve++;
    } else if (!c->proxy) {
        addr_set(srv, c->addr_key, per_addr + 1);
    }
    c->next = srv->conns;
    if (srv->conns)
        srv->conns->prev = c;
    srv->conns = c;
    srv->nconns++;
    spur_http_conn_start(c);
}

static void server_maybe_done(spur_http_server_t *srv)
{
    if (!srv->closing || !srv->listener_closed || srv->conns || srv->batch_handles)
        return;
    void (*on_done)(void *) = srv->on_done;
    void *data = srv->done_data;
    spur_map_free(&srv->per_addr);
    free(srv);
    if (on_done)
        on_done(data);
}

void spur_http_server_conn_gone(spur_http_server_t *srv, spur_http_conn_t *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        srv->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    srv->nconns--;
    if (c->reserve)
        srv->nreserve--;
    else if (!c->proxy)
        addr_set(srv, c->addr_key, addr_count(srv, c->addr_key) - 1);
    free(c);
    server_maybe_done(srv);
}

int spur_http_server_start(uv_loop_t *loop, const spur_http_config_t *cfg, const char *host,
                           int port, spur_http_server_t **out)
{
    struct sockaddr_storage ss;
    struct sockaddr_storage bound;
    int len = sizeof(bound);
    spur_http_server_t *srv;
    int r;

    assert(cfg->handler != NULL);
    if (strcmp(host, "localhost") == 0)
        host = "127.0.0.1";
    if (uv_ip4_addr(host, port, (struct sockaddr_in *)&ss) != 0 &&
        uv_ip6_addr(host, port, (struct sockaddr_in6 *)&ss) != 0)
        return UV_EINVAL;
    srv = spur_calloc(1, sizeof(*srv));
    srv->loop = loop;
    srv->cfg = *cfg;
    if (srv->cfg.max_pipelined == 0)
        srv->cfg.max_pipelined = 1;
    if (srv->cfg.max_requests == 0)
        srv->cfg.max_requests = 1;
    uv_tcp_init(loop, &srv->listener);
    srv->listener.data = srv;
    r = uv_tcp_bind(&srv->listener, (struct sockaddr *)&ss, 0);
    if (r == 0)
        r = uv_listen((uv_stream_t *)&srv->listener, 511, on_connection);
    if (r == 0)
        r = uv_tcp_getsockname(&srv->listener, (struct sockaddr *)&bound, &len);
    if (r != 0) {
        /* the listener's close callback frees srv */
        srv->closing = 1;
        uv_close((uv_handle_t *)&srv->listener, on_conn_close_early);
        srv->listener.data = srv;
        return r;
    }
    srv->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                  : ((struct sockaddr_in *)&bound)->sin_port);
    spur_http_batch_start(srv);
    srv->batch_handles = 2;
    *out = srv;
    return 0;
}

int spur_http_server_port(const spur_http_server_t *srv)
{
    return srv->port;
}

size_t spur_http_server_conns(const spur_http_server_t *srv)
{
    return srv->nconns;
}

static void on_batch_closed(uv_handle_t *h)
{
    spur_http_server_t *srv = h->data;
    srv->batch_handles--;
    server_maybe_done(srv);
}

static void on_listener_close(uv_handle_t *h)
{
    spur_http_server_t *srv = h->data;
    srv->listener_closed = 1;
    server_maybe_done(srv);
}

void spur_http_server_close(spur_http_server_t *srv, void (*on_done)(void *data), void *data)
{
    spur_http_conn_t *c, *next;

    if (srv->closing)
        return;
    srv->closing = 1;
    srv->on_done = on_done;
    srv->done_data = data;
    uv_close((uv_handle_t *)&srv->listener, on_listener_close);
    /* closing a connection never frees it synchronously, so iterating is safe */
    for (c = srv->conns; c; c = next) {
        next = c->next;
        spur_http_conn_server_closing(c);
    }
    /* what is still deferred goes now; later writes are made at once */
    spur_http_batch_close(srv, on_batch_closed);
}

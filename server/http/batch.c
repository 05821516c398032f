/* Batched writes: the responses and stream events of one loop turn leave together.
 *
 * On the machines spur runs on, a system call is dear (a virtual machine with page
 * table isolation: measured, see the README's Performance section), and an answer
 * costs the loop one read() and one write(). So a write to a connection on which
 * nothing else waits is not made at once: conn.c keeps it on the connection
 * (c->deferred) and lists the connection here. When the loop has run the callbacks
 * of this turn (a check handle, after polling) or before it goes to sleep (a prepare
 * handle, after timers), every listed connection's bytes go out with one
 * io_uring_enter() per BATCH sockets (IORING_OP_SEND with MSG_DONTWAIT: each send is
 * done there and then, or comes back EAGAIN). What did not go out whole is handed
 * to libuv's write queue exactly as an unbatched write would be. (A second thread
 * sending half of a big push was tried: with 10,000 streams it made no measurable
 * difference on two cores, so the loop thread stays the one that does network I/O.)
 *
 * Keeps true: a connection is on srv->deferred exactly while c->deferred; its bytes
 * are written before any later bytes of that connection (conn.c writes a deferred
 * buffer out before it writes anything else); the flush calls no handler, so nothing
 * can write to a connection between sending its bytes and noting that they went.
 * Without io_uring (a kernel or seccomp filter that refuses it, or
 * SPUR_IO_URING=0) srv->batch stays NULL and nothing is deferred. */
#include "http/internal.h"

#include <errno.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/log.h"

#define BATCH 512 /* sends per io_uring_enter(): the ring's size */

struct spur_http_batch {
    struct io_uring ring;
    spur_http_conn_t *conns[BATCH];
    int res[BATCH]; /* bytes sent, or -errno (-EAGAIN for one never submitted) */
};

static void on_turn(uv_prepare_t *h)
{
    spur_http_batch_flush(h->data);
}

static void on_turn_done(uv_check_t *h)
{
    spur_http_batch_flush(h->data);
}

void spur_http_batch_start(spur_http_server_t *srv)
{
    const char *env = getenv("SPUR_IO_URING");
    spur_http_batch_t *b;
    int r;

    uv_prepare_init(srv->loop, &srv->turn_start);
    uv_check_init(srv->loop, &srv->turn_end);
    srv->turn_start.data = srv->turn_end.data = srv;
    if (env && strcmp(env, "0") == 0) {
        spur_info("http: Schreiben ohne io_uring (SPUR_IO_URING=0) / writing without "
                  "io_uring (SPUR_IO_URING=0)");
        return;
    }
    b = spur_calloc(1, sizeof(*b));
    r = io_uring_queue_init(BATCH, &b->ring, 0);
    if (r < 0) {
        free(b);
        spur_info("http: io_uring nicht verfügbar (%s), jede Antwort einzeln geschrieben / "
                  "io_uring unavailable (%s), each response written on its own",
                  strerror(-r), strerror(-r));
        return;
    }
    srv->batch = b;
    uv_prepare_start(&srv->turn_start, on_turn);
    uv_check_start(&srv->turn_end, on_turn_done);
    /* the loop may end while they are active: they only serve the connections */
    uv_unref((uv_handle_t *)&srv->turn_start);
    uv_unref((uv_handle_t *)&srv->turn_end);
    spur_info("http: Antworten gebündelt über io_uring / responses batched through io_uring");
}

/* Sends the n writes of b->conns and notes each result in b->res. Returns 0, or the
 * -errno that made the ring unusable (what the kernel took was still completed and
 * noted; what it did not take is left at -EAGAIN). */
static int send_all(spur_http_batch_t *b, size_t n)
{
    struct io_uring_cqe *cqe;
    size_t submitted = 0, reaped = 0;
    int tries = 0, err = 0;

    for (size_t i = 0; i < n; i++) {
        spur_http_conn_t *c = b->conns[i];
        struct io_uring_sqe *sqe = io_uring_get_sqe(&b->ring); /* never NULL: n <= BATCH */
        uv_os_fd_t fd = -1;
        uv_fileno((uv_handle_t *)&c->tcp, &fd); /* open: closing takes it off the list */
        io_uring_prep_send(sqe, fd, c->defer_data, c->defer_len, MSG_DONTWAIT | MSG_NOSIGNAL);
        io_uring_sqe_set_data64(sqe, i);
        b->res[i] = -EAGAIN;
    }
    while (submitted < n) {
        int r = io_uring_submit_and_wait(&b->ring, (unsigned)(n - submitted));
        if (r >= 0) {
            submitted += (size_t)r;
        } else if ((r != -EINTR && r != -EAGAIN && r != -EBUSY) || ++tries >= 100) {
            /* what the kernel took completes; what it did not goes with the ring */
            err = r;
            submitted = n - io_uring_sq_ready(&b->ring);
            break;
        }
    }
    while (reaped < submitted) {
        int r = io_uring_wait_cqe(&b->ring, &cqe);
        if (r == -EINTR)
            continue;
        if (r < 0) /* cannot happen: each send submitted has its completion */
            return r;
        b->res[io_uring_cqe_get_data64(cqe)] = cqe->res;
        io_uring_cqe_seen(&b->ring, cqe);
        reaped++;
    }
    return err;
}

static void batch_free(spur_http_server_t *srv)
{
    io_uring_queue_exit(&srv->batch->ring);
    free(srv->batch);
    srv->batch = NULL;
}

void spur_http_batch_flush(spur_http_server_t *srv)
{
    while (srv->batch && srv->deferred.n) {
        spur_http_batch_t *b = srv->batch;
        size_t n = 0;
        int err;

        for (spur_link_t *l = srv->deferred.head; l && n < BATCH; l = l->next)
            b->conns[n++] = spur_list_entry(l, spur_http_conn_t, defer_link);
        err = send_all(b, n);
        for (size_t i = 0; i < n; i++)
            spur_http_conn_sent(b->conns[i], b->res[i]);
        if (err) { /* the ring failed in a way a retry does not mend */
            spur_error("http: io_uring: %s; von jetzt an jede Antwort einzeln geschrieben / "
                       "from now on each response is written on its own",
                       strerror(-err));
            batch_free(srv);
            uv_prepare_stop(&srv->turn_start);
            uv_check_stop(&srv->turn_end);
        }
    }
}

void spur_http_batch_close(spur_http_server_t *srv, uv_close_cb on_closed)
{
    spur_http_batch_flush(srv);
    if (srv->batch)
        batch_free(srv);
    uv_close((uv_handle_t *)&srv->turn_start, on_closed);
    uv_close((uv_handle_t *)&srv->turn_end, on_closed);
}

/* POST /api/admin/check: the web editor's check as you type. The body is a hunt file;
 * the answer lists its problems exactly as `spur check` prints them (the same shared
 * check, office/check.h, and the same German table, game/hunt_msg.h), at the same
 * lines and columns, in the request's language. A body that is not JSON is no 400 but
 * a problem at the parser's place, so the editor can show it there. Pictures are
 * checked only as the rules check them: spurd cannot read the files a hunt file names.
 *
 * The check reads the time zone from tzdata (blocking I/O) and costs a few
 * milliseconds for a big file, so it runs on libuv's thread pool. Keeps true: at most
 * MAX_IN_FLIGHT checks at once (more are 503 with Retry-After); the worker only reads
 * the request's body, which the HTTP layer keeps until the request is answered, and
 * the request is answered exactly once, from the loop. */
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "game/hunt_msg.h"
#include "office/check.h"

/* Half of libuv's default pool of 4 threads: photos and camera frames keep the rest. */
#define MAX_IN_FLIGHT 2

typedef struct {
    uv_work_t work;
    spur_server_t *srv;
    spur_http_req_t *req;
    int german;
    spur_buf_t body; /* the answer, made on the worker */
} check_job_t;

/* Problems listed at most: the first ones in file order, which are what an editor
 * shows; a file with tens of thousands (a pasted list of unknown keys) would make an
 * answer of megabytes. "total" says how many there were. */
#define PROBLEMS_MAX 500

/* {"ok","problems":[{"line","col","path","severity","message"}],"total"}; line and col
 * are null for a problem whose path names nothing in the text. */
static void answer_json(spur_buf_t *b, const spur_check_t *c, int german)
{
    spur_buf_printf(b, "{\"ok\":%s,\"total\":%zu,\"problems\":[", c->errors ? "false" : "true",
                    c->n);
    for (size_t i = 0; i < c->n && i < PROBLEMS_MAX; i++) {
        const spur_check_problem_t *p = &c->problems[i];
        char *msg = spur_hunt_msg(p->message, german);
        if (p->line)
            spur_buf_printf(b, "%s{\"line\":%d,\"col\":%d,\"path\":", i ? "," : "", p->line,
                            p->col);
        else
            spur_buf_printf(b, "%s{\"line\":null,\"col\":null,\"path\":", i ? "," : "");
        spur_buf_json_str(b, p->path);
        spur_buf_printf(b, ",\"severity\":\"%s\",\"message\":", p->warning ? "warning" : "error");
        spur_buf_json_str(b, msg);
        spur_buf_puts(b, "}");
        free(msg);
    }
    spur_buf_puts(b, "]}");
}

static void check_work(uv_work_t *w)
{
    check_job_t *j = w->data;
    spur_check_t c;

    spur_check_run(&c, j->req->body, j->req->body_len, NULL, NULL);
    answer_json(&j->body, &c, j->german);
    spur_check_free(&c);
}

static void check_done(uv_work_t *w, int status)
{
    check_job_t *j = w->data;

    j->srv->check_in_flight--;
    if (status != 0) {
        spur_error("check: %s", uv_strerror(status));
        spur_api_error(j->req, SPUR_EOVERLOADED, "Retry-After: 1\r\n");
    } else {
        spur_api_json(j->req, 200, "Cache-Control: no-store\r\n", &j->body);
    }
    spur_buf_free(&j->body);
    free(j);
}

void spur_api_admin_check(spur_server_t *srv, spur_http_req_t *req)
{
    check_job_t *j;

    if (srv->check_in_flight >= MAX_IN_FLIGHT) {
        srv->metrics.overloaded++;
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 1\r\n");
        return;
    }
    j = spur_calloc(1, sizeof(*j));
    j->work.data = j;
    j->srv = srv;
    j->req = req;
    j->german = req->lang == SPUR_LANG_DE;
    if (uv_queue_work(srv->loop, &j->work, check_work, check_done) != 0) {
        free(j);
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 1\r\n");
        return;
    }
    srv->check_in_flight++;
}

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
#include "game/answer.h"
#include "game/hunt_msg.h"
#include "office/check.h"

/* Half of libuv's default pool of 4 threads: photos and camera frames keep the rest. */
#define MAX_IN_FLIGHT 2

typedef struct {
    uv_work_t work;
    spur_server_t *srv;
    spur_http_req_t *req;
    int german;
    char *puzzle, *input; /* a preview: the puzzle's id and the answer to try (or NULL) */
    int status;           /* of the answer */
    spur_buf_t body;      /* the answer, made on the worker */
} check_job_t;

/* Problems listed at most: the first ones in file order, which are what an editor
 * shows; a file with tens of thousands (a pasted list of unknown keys) would make an
 * answer of megabytes. "total" says how many there were. */
#define PROBLEMS_MAX 500

/* "ok","total","problems":[{"line","col","path","severity","message"}]; line and col
 * are null for a problem whose path names nothing in the text. */
void spur_api_problems_json(spur_buf_t *b, const spur_check_t *c, int german)
{
    spur_buf_printf(b, "\"ok\":%s,\"total\":%zu,\"problems\":[", c->errors ? "false" : "true",
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
    spur_buf_puts(b, "]");
}

/* The preview's answer for a file that checked: {"puzzle":{…},"verdict":{…}|null}. The
 * puzzle is open, with all its hints as if taken, exactly as GET …/puzzles gives it;
 * the verdict is the judge's of the game rules (game/answer.h). */
static void preview_json(check_job_t *j, const spur_hunt_t *h)
{
    const spur_puzzle_t *p = NULL;
    spur_buf_t *b = &j->body;
    for (size_t i = 0; i < h->npuzzles && !p; i++)
        if (strcmp(h->puzzles[i].id, j->puzzle) == 0)
            p = &h->puzzles[i];
    if (!p) {
        j->status = 404;
        spur_buf_puts(b, "{\"error\":\"not_found\",\"message\":");
        spur_buf_json_str(b, j->german ? "Die Datei hat kein Rätsel mit dieser id."
                                       : "The file has no puzzle with this id.");
        spur_buf_puts(b, "}");
        return;
    }
    spur_buf_puts(b, "{\"puzzle\":");
    spur_api_puzzle_json(b, h, p, SPUR_OPEN);
    spur_buf_printf(b, ",\"hints_taken\":%zu,\"hint_count\":%zu,\"hints\":[", p->nhints,
                    p->nhints);
    for (size_t k = 0; k < p->nhints; k++) {
        spur_buf_puts(b, k ? ",{\"text\":" : "{\"text\":");
        spur_buf_json_str(b, p->hints[k].text);
        spur_buf_puts(b, ",\"text_html\":");
        spur_buf_json_str(b, p->hints[k].text_html ? p->hints[k].text_html : "");
        spur_buf_printf(b, ",\"cost\":%d}", p->hints[k].cost);
    }
    spur_buf_puts(b, "]},\"verdict\":");
    if (j->input && (p->kind == SPUR_KIND_TEXT || p->kind == SPUR_KIND_NUMBER ||
                     p->kind == SPUR_KIND_CHOICE)) {
        const char *msg = NULL;
        char *norm = NULL;
        spur_verdict_t v = spur_answer_judge(p, j->input, strlen(j->input), &msg, &norm);
        spur_buf_printf(b, "{\"result\":\"%s\",\"normalized\":",
                        v == SPUR_VERDICT_CORRECT ? "correct"
                        : v == SPUR_VERDICT_PARTIAL ? "partial"
                                                    : "wrong");
        spur_buf_json_str(b, norm ? norm : "");
        spur_buf_puts(b, ",\"message\":");
        if (msg)
            spur_buf_json_str(b, msg);
        else
            spur_buf_puts(b, "null");
        spur_buf_puts(b, "}");
        free(norm);
    } else {
        spur_buf_puts(b, "null");
    }
    spur_buf_puts(b, "}");
}

static void check_work(uv_work_t *w)
{
    check_job_t *j = w->data;
    spur_check_t c;

    spur_check_run(&c, j->req->body, j->req->body_len, NULL, NULL);
    j->status = 200;
    if (j->puzzle && c.hunt) {
        preview_json(j, c.hunt);
    } else {
        /* a preview of a file with errors: its problems, as the check gives them */
        if (j->puzzle)
            j->status = 422;
        spur_buf_puts(&j->body, "{");
        spur_api_problems_json(&j->body, &c, j->german);
        spur_buf_puts(&j->body, "}");
    }
    spur_check_free(&c);
}

static void job_free(check_job_t *j)
{
    spur_buf_free(&j->body);
    free(j->puzzle);
    free(j->input);
    free(j);
}

static void check_done(uv_work_t *w, int status)
{
    check_job_t *j = w->data;

    j->srv->check_in_flight--;
    if (status != 0) {
        spur_error("check: %s", uv_strerror(status));
        spur_api_error(j->req, SPUR_EOVERLOADED, "Retry-After: 1\r\n");
    } else {
        spur_api_json(j->req, j->status, "Cache-Control: no-store\r\n", &j->body);
    }
    job_free(j);
}

/* Queues a check (puzzle NULL) or a preview; owns puzzle and input. */
static void check_start(spur_server_t *srv, spur_http_req_t *req, char *puzzle, char *input)
{
    check_job_t *j = spur_calloc(1, sizeof(*j));

    j->work.data = j;
    j->srv = srv;
    j->req = req;
    j->german = req->lang == SPUR_LANG_DE;
    j->puzzle = puzzle;
    j->input = input;
    if (srv->check_in_flight >= MAX_IN_FLIGHT ||
        uv_queue_work(srv->loop, &j->work, check_work, check_done) != 0) {
        srv->metrics.overloaded++;
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 1\r\n");
        job_free(j);
        return;
    }
    srv->check_in_flight++;
}

void spur_api_admin_check(spur_server_t *srv, spur_http_req_t *req)
{
    check_start(srv, req, NULL, NULL);
}

void spur_api_admin_preview(spur_server_t *srv, spur_http_req_t *req)
{
    const char *v;
    int n = spur_http_query(req, "puzzle", &v);
    char *puzzle = n > 0 ? spur_api_query_decode(v, (size_t)n) : NULL, *input = NULL;

    if (!puzzle) {
        spur_api_error_msg(req, SPUR_EBAD_REQUEST, "Welches Rätsel? ?puzzle=ID fehlt.",
                           "Which puzzle? ?puzzle=ID is missing.", NULL);
        return;
    }
    n = spur_http_query(req, "input", &v);
    if (n >= 0 && (!(input = spur_api_query_decode(v, (size_t)n)) || strlen(input) > SPUR_ANSWER_MAX)) {
        spur_api_error_msg(req, SPUR_EBAD_REQUEST,
                           "Die Antwort zum Ausprobieren hat höchstens 512 Bytes gültiges UTF-8.",
                           "The answer to try has at most 512 bytes of valid UTF-8.", NULL);
        free(puzzle);
        free(input);
        return;
    }
    check_start(srv, req, puzzle, input);
}

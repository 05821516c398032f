/* Staff and operations endpoints: live progress, the results as CSV and as the
 * office workbook, and the Prometheus metrics. Read-only; CSV cells are neutralised
 * against spreadsheet formula injection (the workbook writes text as text).
 *
 * The workbook is compressed and written on libuv's thread pool from a copy of the
 * results taken on the loop (office/xlsx.h), so the loop never waits for it and a
 * change meanwhile cannot tear it. At most MAX_XLSX_IN_FLIGHT are being made at
 * once; more are 503 with Retry-After. */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "office/xlsx.h"

#define MAX_XLSX_IN_FLIGHT 2 /* each holds a copy of the results and a file in $TMPDIR */

/* The organizers' view of puzzle i (docs/api.md): how many real teams have it open,
 * solved it and how fast, and their most frequent wrong answers; all kept up to date
 * in the game state (game/insight.h), so this is a constant amount of work a puzzle. */
static void puzzle_insight(spur_buf_t *b, const spur_game_t *g, size_t i, int64_t now)
{
    const spur_insight_t *in = &g->insight[i];
    const spur_wrong_t *top[SPUR_WRONG_SHOWN];
    size_t n = spur_wrongs_top(&in->wrongs, top, SPUR_WRONG_SHOWN);
    double secs;

    spur_buf_printf(b, ",\"opened\":%d,\"solved\":%d,\"median_minutes\":",
                    spur_game_opened(g, (int)i, now), g->solves[i]);
    if (spur_median_get(&in->secs, &secs) == 0)
        spur_buf_printf(b, "%.1f", secs / 60.0);
    else
        spur_buf_puts(b, "null");
    spur_buf_puts(b, ",\"wrong_answers\":[");
    for (size_t k = 0; k < n; k++) {
        spur_buf_puts(b, k ? ",{\"text\":" : "{\"text\":");
        spur_buf_json_str(b, top[k]->text);
        spur_buf_printf(b, ",\"teams\":%u}", (unsigned)top[k]->teams);
    }
    spur_buf_puts(b, "]");
}

/* How puzzle i was solved, where the stored events tell it without a scan over them:
 * a check-in puzzle by the phone's position (an answer event) or by the place's code
 * (a scan). Every kind is named, so a new one has to say what it adds. */
static void solved_by(spur_buf_t *b, const spur_game_t *g, size_t i)
{
    int by_position = g->insight[i].by_answer;
    switch (g->hunt->puzzles[i].kind) {
    case SPUR_KIND_TEXT:
    case SPUR_KIND_NUMBER:
    case SPUR_KIND_CHOICE:
    case SPUR_KIND_SCAN:
    case SPUR_KIND_PHOTO:
        break; /* solved one way only: by answering, the place's code, or an approval */
    case SPUR_KIND_CHECKIN:
        spur_buf_printf(b, ",\"by_position\":%d,\"by_code\":%d", by_position,
                        g->solves[i] - by_position);
        break;
    }
}

void spur_api_admin_stats(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    const spur_hunt_t *h = g->hunt;
    spur_buf_t b = {0};
    int64_t now = spur_now_ms();
    size_t active = 0, total_solves = 0, tests = g->nteams - g->nranked;
    (void)srv;

    for (size_t i = 0; i < g->nranked; i++) /* test teams never count */
        active += g->rank[i]->nsolved > 0;
    for (size_t i = 0; i < h->npuzzles; i++)
        total_solves += (size_t)g->solves[i];
    spur_buf_puts(&b, "{\"hunt\":");
    spur_buf_json_str(&b, h->id);
    spur_buf_printf(&b,
                    ",\"state\":\"%s\",\"teams\":%zu,\"active_teams\":%zu,\"solves\":%zu,"
                    "\"hidden_teams\":%zu,\"test_teams\":%zu,\"puzzles\":[",
                    spur_state_name(spur_game_state(h, now / 1000)), g->nranked, active,
                    total_solves, g->nhidden, tests);
    for (size_t i = 0; i < h->npuzzles; i++) {
        spur_buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
        spur_buf_json_str(&b, h->puzzles[i].id);
        spur_buf_puts(&b, ",\"title\":");
        spur_buf_json_str(&b, h->puzzles[i].title);
        spur_buf_printf(&b, ",\"kind\":\"%s\"", spur_kind_name(h->puzzles[i].kind));
        spur_buf_printf(&b, ",\"solves\":%d,\"hints_taken\":%d", g->solves[i], g->hints_taken[i]);
        puzzle_insight(&b, g, i, now);
        solved_by(&b, g, i);
        spur_buf_puts(&b, "}");
    }
    spur_buf_puts(&b, "],\"places\":[");
    for (size_t i = 0; i < h->nplaces; i++) {
        spur_buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
        spur_buf_json_str(&b, h->places[i].id);
        spur_buf_puts(&b, ",\"name\":");
        spur_buf_json_str(&b, h->places[i].name);
        spur_buf_printf(&b, ",\"scans\":%d}", g->scans[i]);
    }
    spur_buf_puts(&b, "]}");
    spur_api_json(req, 200, "Cache-Control: no-store\r\n", &b);
    spur_buf_free(&b);
}

void spur_api_admin_export(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    spur_buf_t b = {0};
    char headers[200];
    (void)srv;

    spur_game_results_csv(g, &b);
    snprintf(headers, sizeof(headers),
             "Content-Disposition: attachment; filename=\"%s-results.csv\"\r\n"
             "Cache-Control: no-store\r\n",
             g->hunt->id);
    spur_http_reply(req, 200, "text/csv; charset=utf-8", headers, b.data, b.len);
    spur_buf_free(&b);
}

typedef struct {
    uv_work_t work;
    spur_server_t *srv;
    spur_http_req_t *req;
    spur_office_results_t results; /* the copy the workbook is made from */
    spur_buf_t body;
    int rc;
    char err[256];
} xlsx_job_t;

static void xlsx_work(uv_work_t *w)
{
    xlsx_job_t *j = w->data;
    j->rc = spur_office_xlsx(&j->results, &j->body, j->err, sizeof(j->err));
}

static void xlsx_done(uv_work_t *w, int status)
{
    xlsx_job_t *j = w->data;
    char headers[SPUR_ID_MAX + 128];

    j->srv->xlsx_in_flight--;
    if (status != 0 || j->rc < 0) {
        spur_error("export.xlsx %s: %s", j->results.hunt_id, status ? uv_strerror(status) : j->err);
        spur_api_error_msg(j->req, SPUR_EOVERLOADED,
                           "Die Arbeitsmappe konnte nicht erstellt werden; bitte gleich noch "
                           "einmal.",
                           "The workbook could not be made; try again shortly.",
                           "Retry-After: 5\r\n");
    } else {
        snprintf(headers, sizeof(headers),
                 "Content-Disposition: attachment; filename=\"%s-ergebnisse.xlsx\"\r\n"
                 "Cache-Control: no-store\r\n",
                 j->results.hunt_id);
        spur_http_reply(j->req, 200, SPUR_OFFICE_XLSX_TYPE, headers, j->body.data, j->body.len);
    }
    spur_buf_free(&j->body);
    spur_office_results_free(&j->results);
    free(j);
}

void spur_api_admin_export_xlsx(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    xlsx_job_t *j;

    if (srv->xlsx_in_flight >= MAX_XLSX_IN_FLIGHT) {
        srv->metrics.overloaded++;
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 2\r\n");
        return;
    }
    j = spur_calloc(1, sizeof(*j));
    j->work.data = j;
    j->srv = srv;
    j->req = req;
    spur_office_take(&j->results, g, srv->live.draws, srv->live.ndraws);
    if (uv_queue_work(srv->loop, &j->work, xlsx_work, xlsx_done) != 0) {
        spur_office_results_free(&j->results);
        free(j);
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 2\r\n");
        return;
    }
    srv->xlsx_in_flight++;
}

void spur_api_metrics(spur_server_t *srv, spur_http_req_t *req)
{
    static const char *routes[] = {
#define XX(name, text) text,
        SPUR_ROUTES(XX)
#undef XX
    };
    const spur_metrics_t *m = &srv->metrics;
    spur_buf_t b = {0};
    double le = 0.0005;
    uint64_t cum = 0;

    spur_buf_puts(&b, "# HELP spur_http_requests_total HTTP requests by route and status.\n"
                      "# TYPE spur_http_requests_total counter\n");
    for (int r = 0; r < SPUR_ROUTE_COUNT_; r++)
        for (int c = 0; c < 500; c++)
            if (m->requests[r][c])
                spur_buf_printf(&b, "spur_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                                routes[r], c + 100, (unsigned long long)m->requests[r][c]);
    spur_buf_printf(&b,
                    "# HELP spur_answers_total Answers by verdict.\n"
                    "# TYPE spur_answers_total counter\n"
                    "spur_answers_total{result=\"correct\"} %llu\n"
                    "spur_answers_total{result=\"wrong\"} %llu\n"
                    "spur_answers_total{result=\"partial\"} %llu\n"
                    "spur_answers_total{result=\"repeated\"} %llu\n"
                    "# HELP spur_scans_total Scans by result.\n"
                    "# TYPE spur_scans_total counter\n"
                    "spur_scans_total{result=\"ok\"} %llu\n"
                    "spur_scans_total{result=\"unknown_code\"} %llu\n"
                    "# HELP spur_checkins_total Check-ins by result.\n"
                    "# TYPE spur_checkins_total counter\n"
                    "spur_checkins_total{result=\"ok\"} %llu\n"
                    "spur_checkins_total{result=\"refused\"} %llu\n"
                    "# TYPE spur_teams_created_total counter\n"
                    "spur_teams_created_total %llu\n"
                    "# TYPE spur_team_joins_total counter\n"
                    "spur_team_joins_total %llu\n"
                    "# TYPE spur_hints_total counter\n"
                    "spur_hints_total %llu\n"
                    "# TYPE spur_commit_failures_total counter\n"
                    "spur_commit_failures_total %llu\n",
                    (unsigned long long)m->answers_correct, (unsigned long long)m->answers_wrong,
                    (unsigned long long)m->answers_partial, (unsigned long long)m->answers_repeated,
                    (unsigned long long)m->scans_ok, (unsigned long long)m->scans_unknown,
                    (unsigned long long)m->checkins, (unsigned long long)m->checkins_refused,
                    (unsigned long long)m->teams_created, (unsigned long long)m->joins,
                    (unsigned long long)m->hints, (unsigned long long)m->commit_failures);
    spur_buf_puts(&b, "# HELP spur_commit_seconds Time from BEGIN to COMMIT of a group commit, "
                      "per record.\n# TYPE spur_commit_seconds histogram\n");
    for (int i = 0; i < 12; i++, le *= 2) {
        cum += m->commit_buckets[i];
        spur_buf_printf(&b, "spur_commit_seconds_bucket{le=\"%g\"} %llu\n", le,
                        (unsigned long long)cum);
    }
    spur_buf_printf(&b,
                    "spur_commit_seconds_bucket{le=\"+Inf\"} %llu\n"
                    "spur_commit_seconds_sum %.6f\n"
                    "spur_commit_seconds_count %llu\n"
                    "# TYPE spur_connections gauge\n"
                    "spur_connections %zu\n"
                    "# TYPE spur_event_streams gauge\n"
                    "spur_event_streams %llu\n"
                    "# TYPE spur_event_streams_dropped_total counter\n"
                    "spur_event_streams_dropped_total %llu\n"
                    "# TYPE spur_writes_pending gauge\n"
                    "spur_writes_pending %zu\n"
                    "# TYPE spur_writes_refused_overloaded_total counter\n"
                    "spur_writes_refused_overloaded_total %llu\n",
                    (unsigned long long)m->commits, m->commit_seconds_sum,
                    (unsigned long long)m->commits, spur_http_server_conns(srv->http),
                    (unsigned long long)m->sse_clients, (unsigned long long)m->sse_dropped,
                    spur_writer_pending(srv->writer), (unsigned long long)m->overloaded);
    spur_buf_printf(&b,
                    "# HELP spur_decodes_total Camera frames read for QR codes, by result.\n"
                    "# TYPE spur_decodes_total counter\n"
                    "spur_decodes_total{result=\"found\"} %llu\n"
                    "spur_decodes_total{result=\"none\"} %llu\n"
                    "spur_decodes_total{result=\"foreign\"} %llu\n"
                    "spur_decodes_total{result=\"bad_image\"} %llu\n",
                    (unsigned long long)m->decodes[SPUR_DECODE_FOUND],
                    (unsigned long long)m->decodes[SPUR_DECODE_NONE],
                    (unsigned long long)m->decodes[SPUR_DECODE_FOREIGN],
                    (unsigned long long)m->decodes[SPUR_DECODE_BAD]);
    spur_buf_printf(
        &b,
        "# HELP spur_disk_free_bytes Free space for spurd on the database's file "
        "system.\n"
        "# TYPE spur_disk_free_bytes gauge\n"
        "spur_disk_free_bytes %llu\n"
        "# HELP spur_disk_low 1 while free space is below --min-free-disk (new "
        "teams and joins wait).\n"
        "# TYPE spur_disk_low gauge\n"
        "spur_disk_low %d\n"
        "# TYPE spur_disk_min_free_bytes gauge\n"
        "spur_disk_min_free_bytes %llu\n"
        "# TYPE spur_disk_refused_total counter\n"
        "spur_disk_refused_total %llu\n"
        "# HELP spur_address_buckets Client addresses tracked per limit (bounded).\n"
        "# TYPE spur_address_buckets gauge\n"
        "spur_address_buckets{limit=\"teams\"} %zu\n"
        "spur_address_buckets{limit=\"codes\"} %zu\n"
        "# HELP spur_address_buckets_overflow_total Requests from new addresses "
        "that shared one bucket while the table was full of limited ones.\n"
        "# TYPE spur_address_buckets_overflow_total counter\n"
        "spur_address_buckets_overflow_total %llu\n",
        (unsigned long long)srv->disk_free, srv->disk_low, (unsigned long long)srv->min_free_disk,
        (unsigned long long)m->disk_refused, srv->ip_buckets.lru.n, srv->code_buckets.lru.n,
        (unsigned long long)(srv->ip_buckets.overflowed + srv->code_buckets.overflowed));
    spur_buf_puts(&b, "# TYPE spur_teams gauge\n");
    for (size_t i = 0; i < srv->live.ngames; i++)
        spur_buf_printf(&b, "spur_teams{hunt=\"%s\"} %zu\n", srv->live.games[i]->hunt->id,
                        srv->live.games[i]->nteams);
    spur_buf_puts(&b, "# HELP spur_retry_results Offline results kept for retries (bounded).\n"
                      "# TYPE spur_retry_results gauge\n");
    for (size_t i = 0; i < srv->live.ngames; i++)
        spur_buf_printf(&b, "spur_retry_results{hunt=\"%s\"} %zu\n", srv->live.games[i]->hunt->id,
                        srv->live.games[i]->kept.n);
    spur_http_reply(req, 200, "text/plain; version=0.0.4; charset=utf-8",
                    "Cache-Control: no-store\r\n", b.data, b.len);
    spur_buf_free(&b);
}

void spur_api_log(const spur_http_req_t *req, int status, size_t bytes, uint64_t duration_ns,
                  void *data)
{
    spur_server_t *srv = data;
    uintptr_t route = (uintptr_t)req->route_data;
    (void)bytes;
    (void)duration_ns;
    if (route >= SPUR_ROUTE_COUNT_)
        route = SPUR_ROUTE_OTHER;
    if (status >= 100 && status <= 599)
        srv->metrics.requests[route][status - 100]++;
}

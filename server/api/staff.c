/* Staff on teams: test teams (made for a test run, deleted together), moderation
 * (the team list, renaming, hiding from the public board, excluding from draws) and
 * the staff log every staff action writes. Also the thread-pool database reads the
 * staff pages need (the log, contacts for the winners list).
 * Keeps true: a staff change reaches memory only after its row and its staff_log row
 * are committed together; the log names who (the name the console sends in
 * X-Staff-Name) and from where. */
#include "api.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/err.h"
#include "core/json.h"
#include "core/log.h"
#include "game/geo.h"

#define STAFF_NAME_MAX 40 /* bytes of X-Staff-Name kept */

#define TEAMS_PAGE_MAX 5000
#define LOG_PAGE_MAX 1000

void spur_api_staff_who(const spur_http_req_t *req, char out[SPUR_STAFF_WHO_SIZE])
{
    const char *v = spur_http_header(req, "X-Staff-Name");
    size_t n = 0;
    if (v) {
        const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)v;
        utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(v), i = 0;
        while (i < len) {
            utf8proc_int32_t c;
            utf8proc_ssize_t k = utf8proc_iterate(p + i, len - i, &c);
            if (k <= 0 || c < 0x20 || c == 0x7f || n + (size_t)k > STAFF_NAME_MAX)
                break;
            memcpy(out + n, v + i, (size_t)k);
            n += (size_t)k;
            i += k;
        }
    }
    if (!n)
        memcpy(out, "Staff", n = 5);
    out[n] = '\0';
}

int spur_api_staff_log_take(spur_server_t *srv, spur_http_req_t *req)
{
    if (srv->live.staff_log_rows >= srv->staff_log_max) {
        spur_error("staff log full (%lld rows): a staff change was refused",
                   (long long)srv->live.staff_log_rows);
        spur_api_error(req, SPUR_ELOG_FULL, NULL);
        return 0;
    }
    srv->live.staff_log_rows++; /* a failed commit over-counts by one until the next load */
    return 1;
}

spur_rec_t *spur_api_staff_rec(spur_rec_kind_t kind, const spur_http_req_t *req,
                               const spur_game_t *g, const char *action)
{
    return spur_api_staff_rec_for(kind, req, g->hunt->id, action);
}

spur_rec_t *spur_api_staff_rec_for(spur_rec_kind_t kind, const spur_http_req_t *req,
                                   const char *hunt_id, const char *action)
{
    spur_rec_t *r = spur_rec_new(kind);
    char who[SPUR_STAFF_WHO_SIZE];
    spur_api_staff_who(req, who);
    r->hunt_id = spur_strdup(hunt_id);
    r->at = spur_now_ms();
    r->action = action;
    r->who = spur_strdup(who);
    r->addr = spur_strdup(req->client);
    return r;
}

/* ---- reading the database on the thread pool ---- */

static void dbq_work(uv_work_t *w)
{
    spur_dbq_t *q = w->data;
    sqlite3 *db = NULL;
    int flags = q->write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    q->rc = -1;
    if (sqlite3_open_v2(q->srv->db_path, &db, flags, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        q->rc = q->run(db, q);
    }
    if (q->rc < 0)
        spur_error("reading the database for staff: %s", db ? sqlite3_errmsg(db) : "cannot open");
    sqlite3_close(db);
}

static void dbq_after(uv_work_t *w, int status)
{
    spur_dbq_t *q = w->data;
    if (status < 0)
        q->rc = -1;
    q->done(q);
}

void spur_api_db_query(spur_server_t *srv, spur_dbq_t *q)
{
    q->srv = srv;
    q->work.data = q;
    if (uv_queue_work(srv->loop, &q->work, dbq_work, dbq_after) < 0) {
        q->rc = -1;
        q->done(q);
    }
}

/* ---- the team list ---- */

size_t spur_api_query_num(const spur_http_req_t *req, const char *name, size_t def, size_t max)
{
    const char *v;
    int n = spur_http_query(req, name, &v);
    char buf[16];
    if (n <= 0 || n >= (int)sizeof buf)
        return def;
    memcpy(buf, v, (size_t)n);
    buf[n] = '\0';
    char *end;
    unsigned long x = strtoul(buf, &end, 10);
    return *end || x > max ? def : (size_t)x;
}

char *spur_api_query_decode(const char *v, size_t n)
{
    char *out = spur_malloc(n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '+') {
            *o++ = ' ';
        } else if (v[i] == '%') {
            int hi = i + 2 < n ? spur_hexval(v[i + 1]) : -1;
            int lo = hi >= 0 ? spur_hexval(v[i + 2]) : -1;
            if (lo < 0 || (hi == 0 && lo == 0)) {
                free(out);
                return NULL;
            }
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else {
            *o++ = v[i];
        }
    }
    *o = '\0';
    return out;
}

void spur_api_admin_teams(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    size_t offset = spur_api_query_num(req, "offset", 0, SIZE_MAX / 2);
    size_t limit = spur_api_query_num(req, "limit", 500, TEAMS_PAGE_MAX);
    char *q = NULL, *qkey = NULL;
    const char *qv;
    int qn = spur_http_query(req, "q", &qv);
    size_t total = 0, shown = 0;
    spur_buf_t b = {0};
    (void)srv;

    if (qn > 0) { /* a name search, compared case-folded like names are */
        q = spur_api_query_decode(qv, (size_t)qn);
        char *shown_name = NULL;
        if (!q || spur_team_name_check(q, strlen(q), &shown_name, &qkey) < 0) {
            free(q);
            spur_api_error_msg(req, SPUR_EBAD_REQUEST, "Die Suche ist kein gültiger Teamname.",
                               "The search is not a valid team name.", NULL);
            return;
        }
        free(shown_name);
    }
    spur_buf_puts(&b, "{\"teams\":[");
    for (size_t i = 0; i < g->nteams; i++) {
        const spur_team_t *t = g->teams[i];
        if (qkey && !strstr(t->name_key, qkey))
            continue;
        if (total++ < offset || shown >= limit)
            continue;
        if (shown++)
            spur_buf_puts(&b, ",");
        spur_team_admin_json(&b, t);
    }
    spur_buf_printf(&b, "],\"total\":%zu,\"offset\":%zu}", total, offset);
    spur_api_json(req, 200, "Cache-Control: no-store\r\n", &b);
    spur_buf_free(&b);
    free(q);
    free(qkey);
}

/* ---- editing a team ---- */

typedef struct {
    spur_server_t *srv;
    spur_game_t *game;
    spur_team_t *team;
    spur_http_req_t *req;
    int new_key; /* the rename holds a name key of its own in by_name */
} edit_ctx_t;

#define NAME_PENDING ((void *)1) /* as in team.c: a name held while its change commits */

static void on_edit_committed(spur_rec_t *r)
{
    edit_ctx_t *c = r->data;
    spur_game_t *g = c->game;
    spur_team_t *t = c->team;
    if (r->status < 0) {
        if (c->new_key)
            spur_map_del(&g->by_name, r->name_key, strlen(r->name_key));
        c->srv->metrics.commit_failures++;
        spur_api_error(c->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    } else {
        spur_buf_t b = {0};
        if (r->name_key) {
            spur_map_del(&g->by_name, t->name_key, strlen(t->name_key));
            spur_map_put(&g->by_name, r->name_key, strlen(r->name_key), t);
            free(t->name);
            free(t->name_key);
            t->name = r->name;
            t->name_key = r->name_key;
            r->name = r->name_key = NULL;
        }
        spur_game_set_hidden(g, t, r->hidden);
        t->excluded = (unsigned char)r->excluded;
        free(t->reason);
        t->reason = r->reason;
        r->reason = NULL;
        g->version++; /* names and the board changed: push and re-render */
        spur_info("staff %s edited team %" PRId64 " of %s", r->who, t->id, g->hunt->id);
        spur_team_admin_json(&b, t);
        spur_api_json(c->req, 200, "Cache-Control: no-store\r\n", &b);
        spur_buf_free(&b);
    }
    spur_api_unbusy(c->srv, t);
    free(c);
    spur_rec_free(r);
}

void spur_api_admin_team_edit(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                              const char *id)
{
    static const char *const allowed[] = {"name", "hidden", "excluded", "reason", NULL};
    cJSON *root;
    const cJSON *name, *hidden, *excluded, *reason;
    spur_team_t *t;
    char *end, *shown = NULL, *key = NULL;
    long long tid = strtoll(id, &end, 10);
    spur_buf_t detail = {0};

    t = *end || tid <= 0 ? NULL : spur_game_team_by_id(g, tid);
    if (!t) {
        spur_api_error_msg(req, SPUR_ENOT_FOUND, "Kein Team dieses Spiels hat diese Nummer.",
                           "No team of this hunt has this id.", NULL);
        return;
    }
    if (t->busy) {
        spur_api_park(srv, t, req);
        return;
    }
    if (!(root = spur_api_body(req, allowed)))
        return;
    name = cJSON_GetObjectItemCaseSensitive(root, "name");
    hidden = cJSON_GetObjectItemCaseSensitive(root, "hidden");
    excluded = cJSON_GetObjectItemCaseSensitive(root, "excluded");
    reason = cJSON_GetObjectItemCaseSensitive(root, "reason");
    if ((name && !cJSON_IsString(name)) || (hidden && !cJSON_IsBool(hidden)) ||
        (excluded && !cJSON_IsBool(excluded)) ||
        (reason && !cJSON_IsString(reason) && !cJSON_IsNull(reason)) ||
        (!name && !hidden && !excluded && !reason)) {
        spur_api_error_msg(
            req, SPUR_EBAD_JSON,
            "Erwartet: eines oder mehrere von \"name\" (Text), \"hidden\", \"excluded\" "
            "(true/false), "
            "\"reason\" (Text).",
            "Expected one or more of \"name\" (a string), \"hidden\", \"excluded\" (true/false), "
            "\"reason\" (a string).",
            NULL);
        goto out;
    }
    /* From draw_from on the draw lists (eligible_sha256) are final and public: changing
       who is excluded then would change a list people may already have checked. */
    if (excluded && cJSON_IsTrue(excluded) != t->excluded &&
        spur_game_exclusions_fixed(g->hunt, spur_api_received_ms(req))) {
        spur_api_error(req, SPUR_EDRAW_LIST_FIXED, NULL);
        goto out;
    }
    if (cJSON_IsString(reason) && strlen(reason->valuestring) > SPUR_REASON_MAX) {
        spur_api_error_msg(req, SPUR_EBAD_JSON, "Der Grund hat höchstens 200 Bytes.",
                           "The reason has at most 200 bytes.", NULL);
        goto out;
    }
    if (name) {
        if (spur_team_name_check(name->valuestring, strlen(name->valuestring), &shown, &key) < 0) {
            spur_api_error(req, SPUR_EBAD_NAME, NULL);
            goto out;
        }
        if (strcmp(key, t->name_key) == 0 && strcmp(shown, t->name) == 0) {
            free(shown), free(key);
            shown = key = NULL; /* unchanged */
        } else if (strcmp(key, t->name_key) != 0 && spur_map_get(&g->by_name, key, strlen(key))) {
            spur_api_error(req, SPUR_ENAME_TAKEN, NULL);
            goto out;
        }
    }
    if (!spur_api_staff_log_take(srv, req))
        goto out;
    {
        spur_rec_t *r = spur_api_staff_rec(SPUR_REC_STAFF, req, g, "edit_team");
        edit_ctx_t *c = spur_calloc(1, sizeof(*c));
        r->team_id = t->id;
        r->hidden = hidden ? cJSON_IsTrue(hidden) : t->hidden;
        r->excluded = excluded ? cJSON_IsTrue(excluded) : t->excluded;
        if (r->excluded && cJSON_IsString(reason))
            r->reason = spur_strdup(reason->valuestring);
        else if (r->excluded && !reason && t->reason)
            r->reason = spur_strdup(t->reason);
        spur_team_edit_detail(&detail, t, shown, r->hidden, r->excluded, r->reason);
        if (shown) {
            r->name = shown;
            r->name_key = key;
            shown = key = NULL;
            c->new_key = strcmp(r->name_key, t->name_key) != 0;
            if (c->new_key)
                spur_map_put(&g->by_name, r->name_key, strlen(r->name_key), NAME_PENDING);
        }
        r->detail = spur_strdup(detail.data);
        c->srv = srv;
        c->game = g;
        c->team = t;
        c->req = req;
        r->done = on_edit_committed;
        r->data = c;
        t->busy = 1;
        spur_writer_submit(srv->writer, r);
    }
out:
    spur_buf_free(&detail);
    free(shown);
    free(key);
    cJSON_Delete(root);
}

/* ---- deleting the test teams ---- */

typedef struct {
    spur_server_t *srv;
    spur_http_req_t *req;
} purge_ctx_t;

static void on_test_teams_deleted(spur_rec_t *r)
{
    purge_ctx_t *c = r->data;
    int ok = r->status == 0 && r->loaded;
    if (!ok)
        spur_error("deleting the test teams of %s failed; nothing changed", r->hunt_id);
    spur_api_reload(c->srv, ok ? r->loaded : NULL);
    if (ok) {
        spur_buf_t b = {0};
        spur_info("staff %s deleted %lld test team(s) of %s", r->who, (long long)r->deleted,
                  r->hunt_id);
        spur_buf_printf(&b, "{\"deleted\":%lld}", (long long)r->deleted);
        spur_api_json(c->req, 200, "Cache-Control: no-store\r\n", &b);
        spur_buf_free(&b);
    } else {
        c->srv->metrics.commit_failures++;
        spur_api_error(c->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    }
    free(c);
    spur_rec_free(r);
}

void spur_api_admin_delete_test_teams(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    /* Deleting rows from the middle of the state is what a reload does best: the
       teams, their tokens and progress go in one transaction, and the state is read
       anew (writes wait meanwhile, as during SIGHUP). Test runs are few and small. */
    spur_rec_t *r;
    purge_ctx_t *c;
    if (!spur_api_staff_log_take(srv, req))
        return;
    r = spur_api_staff_rec(SPUR_REC_RELOAD, req, g, "delete_test_teams");
    c = spur_calloc(1, sizeof(*c));
    r->purge_test = 1;
    c->srv = srv;
    c->req = req;
    r->done = on_test_teams_deleted;
    r->data = c;
    srv->reloading = 1;
    spur_writer_submit(srv->writer, r);
}

/* ---- the staff log ---- */

typedef struct {
    spur_dbq_t q;
    char *hunt_id;
    size_t limit;
} log_q_t;

static int log_run(sqlite3 *db, spur_dbq_t *q)
{
    log_q_t *lq = (log_q_t *)q;
    sqlite3_stmt *st;
    size_t n = 0;
    int rc;
    if (sqlite3_prepare_v2(db,
                           "SELECT at_ms, who, addr, action, team_id, detail FROM staff_log "
                           "WHERE hunt_id = ? ORDER BY id DESC LIMIT ?",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, lq->hunt_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)lq->limit);
    spur_buf_puts(&q->out, "{\"entries\":[");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char when[32];
        const char *detail = (const char *)sqlite3_column_text(st, 5);
        spur_time_format_ms(sqlite3_column_int64(st, 0), when, sizeof when);
        spur_buf_printf(&q->out, "%s{\"at\":\"%s\",\"who\":", n++ ? "," : "", when);
        spur_buf_json_str(&q->out, (const char *)sqlite3_column_text(st, 1));
        spur_buf_puts(&q->out, ",\"addr\":");
        spur_buf_json_str(&q->out, (const char *)sqlite3_column_text(st, 2));
        spur_buf_puts(&q->out, ",\"action\":");
        spur_buf_json_str(&q->out, (const char *)sqlite3_column_text(st, 3));
        if (sqlite3_column_type(st, 4) == SQLITE_NULL)
            spur_buf_puts(&q->out, ",\"team\":null");
        else
            spur_buf_printf(&q->out, ",\"team\":%lld", (long long)sqlite3_column_int64(st, 4));
        /* detail is JSON the server wrote itself */
        spur_buf_printf(&q->out, ",\"detail\":%s}", detail && *detail ? detail : "null");
    }
    spur_buf_puts(&q->out, "]}");
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static void log_done(spur_dbq_t *q)
{
    log_q_t *lq = (log_q_t *)q;
    if (q->rc == 0)
        spur_api_json(q->req, 200, "Cache-Control: no-store\r\n", &q->out);
    else
        spur_api_error(q->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    spur_buf_free(&q->out);
    free(lq->hunt_id);
    free(lq);
}

void spur_api_admin_log(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    log_q_t *lq = spur_calloc(1, sizeof(*lq));
    lq->hunt_id = spur_strdup(g->hunt->id);
    lq->limit = spur_api_query_num(req, "limit", 200, LOG_PAGE_MAX);
    lq->q.req = req;
    lq->q.run = log_run;
    lq->q.done = log_done;
    spur_api_db_query(srv, &lq->q);
}

/* ---- flagged check-ins ---- */

#define FLAGS_MAX 1000 /* flags listed at most (?limit=, default 200) */

typedef struct {
    spur_dbq_t q;
    char *hunt_id;
    char **checkin_ids; /* the hunt's check-in puzzles (a counted check-in is an answer) */
    size_t nids, limit;
} flags_q_t;

static int is_checkin_id(const flags_q_t *fq, const char *id)
{
    for (size_t i = 0; id && i < fq->nids; i++)
        if (strcmp(fq->checkin_ids[i], id) == 0)
            return 1;
    return 0;
}

/* Walks each team's counted check-ins in time order and lists every one that would
   have needed more than SPUR_CHECKIN_FLAG_KMH from the one before. Computed from the
   record on each request: flags are few and staff ask rarely. */
static int flags_run(sqlite3 *db, spur_dbq_t *q)
{
    flags_q_t *fq = (flags_q_t *)q;
    sqlite3_stmt *st;
    size_t n = 0;
    int rc, have_prev = 0;
    int64_t prev_team = -1, prev_at = 0;
    double plat = 0, plon = 0, pacc = 0;
    char prev_puzzle[SPUR_ID_MAX + 1] = "";

    if (sqlite3_prepare_v2(db,
                           "SELECT e.team_id, t.name, e.puzzle_id, e.input, e.at_ms FROM events e "
                           "JOIN teams t ON t.id = e.team_id WHERE e.hunt_id = ? AND "
                           "e.kind = 'answer' AND e.verdict = 'correct' AND e.input LIKE '@%' "
                           "AND t.test = 0 ORDER BY e.team_id, e.at_ms, e.id",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, fq->hunt_id, -1, SQLITE_STATIC);
    spur_buf_puts(&q->out, "{\"flags\":[");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t team = sqlite3_column_int64(st, 0), at = sqlite3_column_int64(st, 4);
        const char *puzzle = (const char *)sqlite3_column_text(st, 2);
        double lat, lon, acc;
        if (!is_checkin_id(fq, puzzle) ||
            spur_checkin_parse((const char *)sqlite3_column_text(st, 3), &lat, &lon, &acc) < 0)
            continue;
        if (team != prev_team)
            have_prev = 0;
        if (have_prev && n < fq->limit) {
            double kmh = spur_checkin_speed_kmh(plat, plon, prev_at, lat, lon, at);
            if (kmh > SPUR_CHECKIN_FLAG_KMH) {
                char when[32];
                spur_time_format_ms(at, when, sizeof when);
                spur_buf_printf(&q->out, "%s{\"team\":{\"id\":%lld,\"name\":", n++ ? "," : "",
                                (long long)team);
                spur_buf_json_str(&q->out, (const char *)sqlite3_column_text(st, 1));
                spur_buf_puts(&q->out, "},\"puzzle\":");
                spur_buf_json_str(&q->out, puzzle);
                spur_buf_puts(&q->out, ",\"previous_puzzle\":");
                spur_buf_json_str(&q->out, prev_puzzle);
                spur_buf_printf(
                    &q->out,
                    ",\"at\":\"%s\",\"kmh\":%.0f,\"distance_m\":%.0f,"
                    "\"seconds\":%lld,\"accuracy_m\":%.0f,\"previous_accuracy_m\":%.0f}",
                    when, kmh, spur_geo_distance_m(plat, plon, lat, lon),
                    (long long)((at - prev_at) / 1000), acc, pacc);
            }
        }
        prev_team = team;
        prev_at = at;
        plat = lat, plon = lon, pacc = acc;
        snprintf(prev_puzzle, sizeof prev_puzzle, "%s", puzzle);
        have_prev = 1;
    }
    spur_buf_printf(&q->out, "],\"limit_kmh\":%d}", SPUR_CHECKIN_FLAG_KMH);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static void flags_done(spur_dbq_t *q)
{
    flags_q_t *fq = (flags_q_t *)q;
    if (q->rc == 0)
        spur_api_json(q->req, 200, "Cache-Control: no-store\r\n", &q->out);
    else
        spur_api_error(q->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    spur_buf_free(&q->out);
    for (size_t i = 0; i < fq->nids; i++)
        free(fq->checkin_ids[i]);
    free(fq->checkin_ids);
    free(fq->hunt_id);
    free(fq);
}

void spur_api_admin_flags(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    flags_q_t *fq = spur_calloc(1, sizeof(*fq));
    const spur_hunt_t *h = g->hunt;
    fq->hunt_id = spur_strdup(h->id);
    fq->limit = spur_api_query_num(req, "limit", 200, FLAGS_MAX);
    fq->checkin_ids = spur_calloc(h->npuzzles + 1, sizeof(*fq->checkin_ids));
    for (size_t i = 0; i < h->npuzzles; i++)
        if (h->puzzles[i].kind == SPUR_KIND_CHECKIN)
            fq->checkin_ids[fq->nids++] = spur_strdup(h->puzzles[i].id);
    fq->q.req = req;
    fq->q.run = flags_run;
    fq->q.done = flags_done;
    spur_api_db_query(srv, &fq->q);
}

/* The web editor's hunt files: GET/PUT /api/admin/hunts/{h}/source, the versions
 * (GET …/versions[/{n}]) and a new hunt (POST /api/admin/hunts, the starter of
 * `spur new`).
 *
 * A save goes the way of `spur import` (store/store.h spur_store_put, the same code)
 * and then of SIGHUP, without the signal: the writer stores the file and its version
 * row with a staff_log row in one transaction, then reads every hunt anew, and the
 * fresh state is swapped in (spur_api_reload); writes wait meanwhile. Codes, draw seed
 * and progress stay, as with an import. Before that, on the thread pool, the file is
 * checked with the check of `spur check` (office/check.h) plus what only the server
 * can know (the id is this hunt's; every picture it names was uploaded), and compared
 * with the stored one (office/changes.h, the listing of `spur import --dry-run`).
 *
 * Keeps true: a save is refused (412) unless the stored file still has the ETag the
 * editor loaded, and the writer tests that again inside its transaction, so of two
 * editors saving from the same version exactly one wins. Nothing is stored when the
 * check finds an error (422 with the problems). */
#include "api.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "office/changes.h"
#include "office/check.h"
#include "office/starter.h"

typedef struct {
    char *id;
    int solves;
} solve_snap_t;

/* A save (or a new hunt, or a dry run) on its way from the request to the answer. */
typedef struct {
    spur_dbq_t q; /* first: q->out collects the answer's members */
    char *hunt_id;
    char *text; /* the hunt file (a copy: the writer thread reads it after the answer) */
    size_t len;
    char if_etag[SPUR_ETAG_SIZE]; /* "" for a new hunt: none may exist */
    char new_etag[SPUR_ETAG_SIZE];
    int dry, create;
    int err;              /* SPUR_E* to answer instead, or 0 */
    solve_snap_t *solves; /* the live solves per puzzle when the save began (warnings) */
    size_t nsolves;
} save_q_t;

static void save_free(save_q_t *s)
{
    for (size_t i = 0; i < s->nsolves; i++)
        free(s->solves[i].id);
    free(s->solves);
    free(s->hunt_id);
    free(s->text);
    spur_buf_free(&s->q.out);
    free(s);
}

static int snap_solves(const char *puzzle_id, void *data)
{
    const save_q_t *s = data;
    for (size_t i = 0; i < s->nsolves; i++)
        if (strcmp(s->solves[i].id, puzzle_id) == 0)
            return s->solves[i].solves;
    return 0;
}

/* ---- the check a save adds to `spur check`'s ---- */

typedef struct {
    sqlite3 *db;
    const char *hunt_id;
    spur_diags_t *d;
} extra_t;

static int image_uploaded(spur_image_t *img, const char *path, void *data)
{
    extra_t *x = data;
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (!img->file)
        return 0;
    if (sqlite3_prepare_v2(x->db, "SELECT 1 FROM media WHERE hunt_id = ?1 AND file = ?2", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, x->hunt_id, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_text(st, 2, img->file, -1, SQLITE_STATIC) == SQLITE_OK)
        found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (!found) {
        char *fpath = spur_asprintf("%s.file", path);
        spur_diags_add(x->d, 0, fpath,
                       "the picture \"%s\" is not uploaded yet: upload it in the editor (or "
                       "import the hunt with spur import)",
                       img->file);
        free(fpath);
    }
    return 0;
}

static void save_extra(spur_hunt_t *hunt, spur_diags_t *d, void *data)
{
    extra_t *x = data;
    x->d = d;
    if (strcmp(hunt->id, x->hunt_id) != 0)
        spur_diags_add(d, 0, "id", "the id cannot change here: this is the hunt \"%s\"",
                       x->hunt_id);
    else
        spur_hunt_each_image(hunt, image_uploaded, x);
}

/* ---- saving ---- */

/* On a pool thread: check, compare ETags, list the changes. */
static int save_run(sqlite3 *db, spur_dbq_t *q)
{
    save_q_t *s = (save_q_t *)q;
    int german = q->req->lang == SPUR_LANG_DE;
    extra_t x = {db, s->hunt_id, NULL};
    spur_check_t c;
    char *old = NULL, etag[SPUR_ETAG_SIZE] = "";
    size_t old_len;
    cJSON *old_root;
    spur_changes_t ch = {0};
    int failed, rc = 0;

    spur_check_run(&c, s->text, s->len, save_extra, &x);
    if (c.errors) {
        s->err = SPUR_EINVALID_HUNT;
        spur_api_problems_json(&q->out, &c, german);
        spur_check_free(&c);
        return 0;
    }
    old = spur_store_hunt_json(db, s->hunt_id, &old_len, &failed);
    if (failed) {
        rc = -1; /* answered 503 */
        goto out;
    }
    if (old)
        spur_store_etag(old, old_len, etag);
    if (strcmp(etag, s->if_etag) != 0) {
        s->err = s->create ? SPUR_EHUNT_EXISTS : SPUR_EETAG_MISMATCH;
        goto out;
    }
    spur_store_etag(s->text, s->len, s->new_etag);
    old_root = old ? cJSON_ParseWithLength(old, old_len) : NULL;
    if (old_root)
        spur_changes_diff(&ch, old_root, c.root, snap_solves, s, s->dry);
    cJSON_Delete(old_root);

    char *summary = s->create ? spur_strdup(german ? "Rallye angelegt" : "Hunt created")
                              : spur_changes_summary(&ch, german);
    spur_buf_puts(&q->out, "\"summary\":");
    spur_buf_json_str(&q->out, summary);
    free(summary);
    spur_buf_puts(&q->out, ",\"changes\":[");
    for (size_t i = 0; i < ch.n; i++) {
        const spur_change_t *v = &ch.v[i];
        char *text = spur_change_text(v, german);
        spur_buf_printf(&q->out, "%s{\"what\":\"%s\",\"change\":\"%s\",\"id\":", i ? "," : "",
                        spur_change_what_name(v->what), spur_change_how_name(v->how));
        spur_buf_json_str(&q->out, v->id);
        spur_buf_puts(&q->out, ",\"keys\":[");
        for (size_t k = 0; k < v->nkeys; k++) {
            spur_buf_puts(&q->out, k ? "," : "");
            spur_buf_json_str(&q->out, v->keys[k]);
        }
        spur_buf_puts(&q->out, "],\"text\":");
        spur_buf_json_str(&q->out, text);
        spur_buf_puts(&q->out, "}");
        free(text);
    }
    spur_buf_puts(&q->out, "],\"warnings\":[");
    for (size_t i = 0; i < ch.nw; i++) {
        spur_buf_puts(&q->out, i ? ",{\"id\":" : "{\"id\":");
        spur_buf_json_str(&q->out, ch.w[i].id);
        spur_buf_puts(&q->out, ",\"message\":");
        spur_buf_json_str(&q->out, german ? ch.w[i].de : ch.w[i].en);
        spur_buf_puts(&q->out, "}");
    }
    spur_buf_puts(&q->out, "]");
out:
    spur_changes_free(&ch);
    sqlite3_free(old);
    spur_check_free(&c);
    return rc;
}

/* {"dry_run":…,"etag":…,"version":…, <the members save_run made>} */
static void answer_saved(save_q_t *s, int status, int64_t version)
{
    spur_buf_t b = {0};
    char etag_hdr[SPUR_ETAG_SIZE + 16];
    spur_buf_printf(&b, "{\"id\":");
    spur_buf_json_str(&b, s->hunt_id);
    spur_buf_printf(&b, ",\"dry_run\":%s,", s->dry ? "true" : "false");
    if (!s->dry) {
        spur_buf_puts(&b, "\"etag\":");
        spur_buf_json_str(&b, s->new_etag);
        spur_buf_printf(&b, ",\"version\":%" PRId64 ",", version);
    }
    spur_buf_append(&b, s->q.out.data, s->q.out.len);
    spur_buf_puts(&b, "}");
    snprintf(etag_hdr, sizeof etag_hdr, "ETag: %s\r\n", s->new_etag);
    spur_api_json(s->q.req, status, s->dry ? "Cache-Control: no-store\r\n" : etag_hdr, &b);
    spur_buf_free(&b);
}

static void on_saved(spur_rec_t *r)
{
    save_q_t *s = r->data;
    spur_server_t *srv = s->q.srv;

    spur_api_reload(srv, r->status == 0 ? r->loaded : NULL); /* takes what r->loaded holds */
    if (r->status == -2) {
        spur_api_error(s->q.req, SPUR_EETAG_MISMATCH, NULL);
    } else if (r->status < 0) {
        srv->metrics.commit_failures++;
        spur_api_error(s->q.req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    } else {
        char ev[64];
        int n =
            snprintf(ev, sizeof ev, "event: hunt\ndata: {\"version\":%" PRId64 "}\n\n", r->version);
        spur_info("staff %s saved hunt %s (version %" PRId64 ")", r->who, s->hunt_id, r->version);
        /* open apps fetch the hunt and their puzzles again: a new clue shows at once */
        spur_api_push_hunt(srv, s->hunt_id, ev, (size_t)n);
        answer_saved(s, s->create ? 201 : 200, r->version);
    }
    save_free(s);
    spur_rec_free(r);
}

static void save_done(spur_dbq_t *q)
{
    save_q_t *s = (save_q_t *)q;
    spur_server_t *srv = q->srv;
    spur_http_req_t *req = q->req;
    spur_rec_t *r;

    if (q->rc < 0) {
        spur_api_error(req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    } else if (s->err == SPUR_EINVALID_HUNT) {
        spur_buf_t b = {0};
        spur_buf_puts(&b, "{\"error\":\"invalid_hunt\",\"message\":");
        spur_buf_json_str(&b, spur_err_message(SPUR_EINVALID_HUNT, req->lang == SPUR_LANG_EN));
        spur_buf_puts(&b, ",");
        spur_buf_append(&b, q->out.data, q->out.len);
        spur_buf_puts(&b, "}");
        spur_api_json(req, 422, "Cache-Control: no-store\r\n", &b);
        spur_buf_free(&b);
    } else if (s->err) {
        spur_api_error(req, s->err, NULL);
    } else if (s->dry) {
        answer_saved(s, 200, 0);
    } else if (srv->reloading || srv->closing) {
        /* another reload began meanwhile: one at a time */
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 1\r\n");
    } else if (spur_api_staff_log_take(srv, req)) {
        r = spur_api_staff_rec_for(SPUR_REC_RELOAD, req, s->hunt_id,
                                   s->create ? "create_hunt" : "save_hunt");
        r->put_json = s->text; /* the record owns the text now */
        r->put_len = s->len;
        s->text = NULL;
        r->if_etag = spur_strdup(s->if_etag);
        r->done = on_saved;
        r->data = s;
        srv->reloading = 1;
        spur_writer_submit(srv->writer, r);
        return;
    }
    save_free(s);
}

static save_q_t *save_new(spur_http_req_t *req, const char *hunt_id)
{
    save_q_t *s = spur_calloc(1, sizeof(*s));
    s->q.req = req;
    s->q.run = save_run;
    s->q.done = save_done;
    s->hunt_id = spur_strdup(hunt_id);
    return s;
}

void spur_api_admin_source_put(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    const char *m = spur_http_header(req, "If-Match");
    save_q_t *s;
    const char *v;

    if (!m) {
        spur_api_error(req, SPUR_EIF_MATCH_REQUIRED, NULL);
        return;
    }
    s = save_new(req, g->hunt->id);
    /* one longer than an ETag can be matches none (cut short it might) */
    snprintf(s->if_etag, sizeof s->if_etag, "%s", strlen(m) < SPUR_ETAG_SIZE ? m : "-");
    s->text = spur_strndup(req->body ? req->body : "", req->body_len);
    s->len = req->body_len;
    s->dry = spur_http_query(req, "dry_run", &v) == 1 && v[0] == '1';
    s->nsolves = g->hunt->npuzzles;
    s->solves = spur_calloc(s->nsolves + 1, sizeof(*s->solves));
    for (size_t i = 0; i < s->nsolves; i++)
        s->solves[i] = (solve_snap_t){spur_strdup(g->hunt->puzzles[i].id), g->solves[i]};
    spur_api_db_query(srv, &s->q);
}

void spur_api_admin_create(spur_server_t *srv, spur_http_req_t *req)
{
    static const char *const keys[] = {"id", "title", NULL};
    cJSON *body = spur_api_body(req, keys), *id, *title;
    save_q_t *s;

    if (!body)
        return;
    id = cJSON_GetObjectItemCaseSensitive(body, "id");
    title = cJSON_GetObjectItemCaseSensitive(body, "title");
    if (!cJSON_IsString(id) || (title && !cJSON_IsString(title))) {
        spur_api_error_msg(req, SPUR_EBAD_REQUEST, "Bitte \"id\" (und \"title\") als Text senden.",
                           "Send \"id\" (and \"title\") as strings.", NULL);
        cJSON_Delete(body);
        return;
    }
    s = save_new(req, id->valuestring);
    s->create = 1;
    s->text = spur_starter_text(req->lang == SPUR_LANG_DE, id->valuestring,
                                title ? title->valuestring : NULL);
    s->len = strlen(s->text);
    cJSON_Delete(body);
    spur_api_db_query(srv, &s->q);
}

/* ---- reading: the file and its versions ---- */

typedef struct {
    spur_dbq_t q;
    char *hunt_id;
    int64_t version; /* 0: the current file (hunts.json); -1: the list */
    int found;
} read_q_t;

static int read_run(sqlite3 *db, spur_dbq_t *q)
{
    read_q_t *rq = (read_q_t *)q;
    sqlite3_stmt *st = NULL;
    int rc;

    if (rq->version < 0) {
        if (sqlite3_prepare_v2(db,
                               "SELECT id, at_ms, who, length(CAST(json AS BLOB)) FROM "
                               "hunt_versions WHERE hunt_id = ?1 ORDER BY id DESC",
                               -1, &st, NULL) != SQLITE_OK)
            return -1;
        sqlite3_bind_text(st, 1, rq->hunt_id, -1, SQLITE_STATIC);
        spur_buf_puts(&q->out, "{\"versions\":[");
        for (int n = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; n++) {
            char when[32];
            spur_time_format_ms(sqlite3_column_int64(st, 1), when, sizeof when);
            spur_buf_printf(&q->out, "%s{\"version\":%lld,\"at\":\"%s\",\"who\":", n ? "," : "",
                            (long long)sqlite3_column_int64(st, 0), when);
            spur_buf_json_str(&q->out, (const char *)sqlite3_column_text(st, 2));
            spur_buf_printf(&q->out, ",\"bytes\":%lld}", (long long)sqlite3_column_int64(st, 3));
        }
        spur_buf_puts(&q->out, "]}");
        rq->found = 1;
    } else {
        if (sqlite3_prepare_v2(db,
                               rq->version ? "SELECT json FROM hunt_versions WHERE hunt_id = ?1 "
                                             "AND id = ?2"
                                           : "SELECT json FROM hunts WHERE id = ?1",
                               -1, &st, NULL) != SQLITE_OK)
            return -1;
        sqlite3_bind_text(st, 1, rq->hunt_id, -1, SQLITE_STATIC);
        if (rq->version)
            sqlite3_bind_int64(st, 2, rq->version);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            spur_buf_append(&q->out, sqlite3_column_text(st, 0),
                            (size_t)sqlite3_column_bytes(st, 0));
            rq->found = 1;
            rc = SQLITE_DONE;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static void read_done(spur_dbq_t *q)
{
    read_q_t *rq = (read_q_t *)q;
    if (q->rc < 0) {
        spur_api_error(q->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    } else if (!rq->found) {
        spur_api_error(q->req, SPUR_ENOT_FOUND, NULL);
    } else if (rq->version < 0) {
        spur_api_json(q->req, 200, "Cache-Control: no-store\r\n", &q->out);
    } else {
        char etag[SPUR_ETAG_SIZE], hdr[SPUR_ETAG_SIZE + 64];
        spur_store_etag(q->out.data ? q->out.data : "", q->out.len, etag);
        snprintf(hdr, sizeof hdr, "Cache-Control: no-store\r\nETag: %s\r\n", etag);
        spur_http_reply(q->req, 200, "application/json; charset=utf-8", hdr,
                        q->out.data ? q->out.data : "", q->out.len);
    }
    spur_buf_free(&q->out);
    free(rq->hunt_id);
    free(rq);
}

static void read_start(spur_server_t *srv, spur_http_req_t *req, const spur_game_t *g,
                       int64_t version)
{
    read_q_t *rq = spur_calloc(1, sizeof(*rq));
    rq->q.req = req;
    rq->q.run = read_run;
    rq->q.done = read_done;
    rq->hunt_id = spur_strdup(g->hunt->id);
    rq->version = version;
    spur_api_db_query(srv, &rq->q);
}

void spur_api_admin_source_get(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    read_start(srv, req, g, 0);
}

void spur_api_admin_versions(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                             const char *version)
{
    char *end;
    long long v;
    if (!version) {
        read_start(srv, req, g, -1);
        return;
    }
    v = strtoll(version, &end, 10);
    if (*end || v <= 0 || version[0] == '+') {
        spur_api_error(req, SPUR_ENOT_FOUND, NULL);
        return;
    }
    read_start(srv, req, g, v);
}

/* The editor's pictures: POST /api/admin/hunts/{h}/media?file=NAME uploads a picture
 * for the hunt file to name ("image": {"file": NAME}), GET …/media lists them.
 *
 * An upload is re-encoded by media/picture.c, exactly as `spur import` re-encodes a
 * file beside the hunt file (at most 1280 px, upright, no metadata), on the thread
 * pool, and stored in the media table as the hunt's picture NAME (replacing one of the
 * same name). The running state learns of it with the next save of the hunt file that
 * names it (a save reloads; source.c refuses a file naming a picture not stored).
 *
 * Bounds: a body of at most SPUR_MEDIA_FILE_MAX (10 MiB, and the HTTP layer's big-body
 * budget); at most UPLOADS_MAX uploads decoded at once (503 past it); per hunt at most
 * SPUR_MEDIA_ROWS_MAX pictures and SPUR_MEDIA_HUNT_MAX bytes of stored copies (409
 * media_full past it). A new `spur import` of the hunt replaces its pictures with the
 * ones its file names, as before. */
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include <llhttp.h>

#include "core/err.h"
#include "core/log.h"
#include "game/hunt_msg.h"
#include "media/picture.h"

#define UPLOADS_MAX 2 /* pictures decoded at once; photos of teams keep the other threads */

typedef struct {
    spur_dbq_t q;
    char *hunt_id, *file;
    int german;
    int err;        /* SPUR_E* to answer, or 0 */
    char why[300];  /* bad_image: the reason, in the request's language */
    spur_media_t m; /* the stored copy */
} upload_t;

/* A name the editor may give: a relative path of [A-Za-z0-9._-] parts joined by /,
 * no part empty or "." or "..", at most SPUR_IMAGE_FILE_MAX bytes. */
static int name_ok(const char *f)
{
    size_t n = strlen(f);
    if (!n || n > SPUR_IMAGE_FILE_MAX ||
        strspn(f, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                  "vwxyz0123456789._-/") != n)
        return 0;
    for (const char *p = f;;) {
        size_t k = strcspn(p, "/");
        if (k == 0 || (k == 1 && p[0] == '.') || (k == 2 && p[0] == '.' && p[1] == '.'))
            return 0;
        if (!p[k])
            return 1;
        p += k + 1;
    }
}

static int upload_run(sqlite3 *db, spur_dbq_t *q)
{
    upload_t *u = (upload_t *)q;
    spur_diags_t d = {0};
    sqlite3_stmt *st = NULL;
    int rc;

    if (spur_picture_encode(q->req->body, q->req->body_len, u->file, &u->m, &d, "") < 0) {
        char *msg = d.n ? spur_hunt_msg(d.items[0].message, u->german) : NULL;
        u->err = SPUR_EBAD_IMAGE;
        snprintf(u->why, sizeof u->why, "%s", msg ? msg : "?");
        free(msg);
        spur_diags_free(&d);
        return 0;
    }
    spur_diags_free(&d);
    /* the bounds, counting the hunt's other pictures (one of the same name is replaced) */
    rc = sqlite3_prepare_v2(db,
                            "SELECT count(*), coalesce(sum(length(data)), 0) FROM media "
                            "WHERE hunt_id = ?1 AND file <> ?2",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, u->hunt_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, u->file, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return -1;
    }
    if (sqlite3_column_int64(st, 0) >= SPUR_MEDIA_ROWS_MAX ||
        (uint64_t)sqlite3_column_int64(st, 1) + u->m.len > SPUR_MEDIA_HUNT_MAX)
        u->err = SPUR_EMEDIA_FULL;
    sqlite3_finalize(st);
    if (u->err)
        return 0;
    rc = sqlite3_prepare_v2(db,
                            "INSERT OR REPLACE INTO media(hunt_id, file, key, mime, width, height, "
                            "data) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, u->hunt_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, u->file, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, u->m.key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, u->m.mime, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, u->m.width);
        sqlite3_bind_int(st, 6, u->m.height);
        sqlite3_bind_blob64(st, 7, u->m.data, u->m.len, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

static void upload_done(spur_dbq_t *q)
{
    upload_t *u = (upload_t *)q;
    q->srv->pictures_in_flight--;
    if (q->rc < 0) {
        spur_api_error(q->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    } else if (u->err == SPUR_EBAD_IMAGE) {
        spur_api_error_msg(q->req, SPUR_EBAD_IMAGE, u->why, u->why, NULL);
    } else if (u->err) {
        spur_api_error(q->req, u->err, NULL);
    } else {
        spur_buf_t b = {0};
        spur_info("picture %s of %s stored (%dx%d, %zu bytes)", u->file, u->hunt_id, u->m.width,
                  u->m.height, u->m.len);
        spur_buf_puts(&b, "{\"file\":");
        spur_buf_json_str(&b, u->file);
        spur_buf_printf(&b, ",\"mime\":\"%s\",\"width\":%d,\"height\":%d,\"bytes\":%zu}", u->m.mime,
                        u->m.width, u->m.height, u->m.len);
        spur_api_json(q->req, 201, "Cache-Control: no-store\r\n", &b);
        spur_buf_free(&b);
    }
    free(u->m.data);
    free(u->hunt_id);
    free(u->file);
    spur_buf_free(&q->out);
    free(u);
}

static void upload(spur_server_t *srv, spur_http_req_t *req, const spur_game_t *g)
{
    const char *v;
    int n = spur_http_query(req, "file", &v);
    char *file = n > 0 ? spur_api_query_decode(v, (size_t)n) : NULL;
    upload_t *u;

    if (!file || !name_ok(file)) {
        spur_api_error_msg(req, SPUR_EBAD_REQUEST,
                           "?file= nennt das Bild: Buchstaben, Ziffern, . _ - und / zwischen "
                           "Ordnern, etwa bilder/rathaus.jpg.",
                           "?file= names the picture: letters, digits, . _ - and / between "
                           "folders, like bilder/rathaus.jpg.",
                           NULL);
        free(file);
        return;
    }
    if (srv->pictures_in_flight >= UPLOADS_MAX) {
        srv->metrics.overloaded++;
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 2\r\n");
        free(file);
        return;
    }
    u = spur_calloc(1, sizeof(*u));
    u->q.req = req;
    u->q.write = 1;
    u->q.run = upload_run;
    u->q.done = upload_done;
    u->hunt_id = spur_strdup(g->hunt->id);
    u->file = file;
    u->german = req->lang == SPUR_LANG_DE;
    srv->pictures_in_flight++;
    spur_api_db_query(srv, &u->q);
}

/* ---- the list ---- */

typedef struct {
    spur_dbq_t q;
    char *hunt_id;
} list_t;

static int list_run(sqlite3 *db, spur_dbq_t *q)
{
    list_t *l = (list_t *)q;
    sqlite3_stmt *st = NULL;
    int rc, n = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT file, mime, width, height, length(data) FROM media "
                           "WHERE hunt_id = ?1 ORDER BY file",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, l->hunt_id, -1, SQLITE_STATIC);
    spur_buf_puts(&q->out, "{\"media\":[");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        spur_buf_puts(&q->out, n++ ? ",{\"file\":" : "{\"file\":");
        spur_buf_json_str(&q->out, (const char *)sqlite3_column_text(st, 0));
        spur_buf_puts(&q->out, ",\"mime\":");
        spur_buf_json_str(&q->out, (const char *)sqlite3_column_text(st, 1));
        spur_buf_printf(&q->out, ",\"width\":%d,\"height\":%d,\"bytes\":%lld}",
                        sqlite3_column_int(st, 2), sqlite3_column_int(st, 3),
                        (long long)sqlite3_column_int64(st, 4));
    }
    spur_buf_puts(&q->out, "]}");
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static void list_done(spur_dbq_t *q)
{
    list_t *l = (list_t *)q;
    if (q->rc < 0)
        spur_api_error(q->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    else
        spur_api_json(q->req, 200, "Cache-Control: no-store\r\n", &q->out);
    spur_buf_free(&q->out);
    free(l->hunt_id);
    free(l);
}

void spur_api_admin_media(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    list_t *l;
    if (req->method == HTTP_POST) {
        upload(srv, req, g);
        return;
    }
    l = spur_calloc(1, sizeof(*l));
    l->q.req = req;
    l->q.run = list_run;
    l->q.done = list_done;
    l->hunt_id = spur_strdup(g->hunt->id);
    spur_api_db_query(srv, &l->q);
}

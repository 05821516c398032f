/* Announcements: staff reach every team of a hunt during the event ("the sign at the
 * fountain fell off; the code is now on the bench"). POST sends one, DELETE takes one
 * back, both through the writer with their staff_log row; GET lists them for apps
 * that were closed meanwhile.
 * Keeps true: an announcement is listed and pushed (SSE `announcement` to every event
 * stream of the hunt) only after its row is committed, and its deletion likewise
 * (`announcement_deleted`). A hunt holds at most SPUR_ANNOUNCE_MAX undeleted ones,
 * counting those still in the writer, so two staff sending at once cannot pass it. */
#include "api.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "game/announce.h"

/* {"id","text","at"}: what the list, the POST's reply and the pushed event carry. */
static void ann_json(spur_buf_t *b, int64_t id, const char *text, int64_t at)
{
    char when[32];
    spur_time_format_ms(at, when, sizeof when);
    spur_buf_printf(b, "{\"id\":%" PRId64 ",\"text\":", id);
    spur_buf_json_str(b, text);
    spur_buf_printf(b, ",\"at\":\"%s\"}", when);
}

void spur_api_announcements(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    const spur_gx_t *x = spur_api_gx(srv, g);
    const char *inm = spur_http_header(req, "if-none-match");
    char etag[48], headers[96];
    spur_buf_t b = {0};
    size_t shown = 0;

    /* Apps ask on every start and every reconnect of their stream: a 304 is cheap. */
    snprintf(etag, sizeof etag, "\"a%x-%llx\"", (unsigned)srv->generation,
             (unsigned long long)x->ann_version);
    snprintf(headers, sizeof headers, "ETag: %s\r\nCache-Control: no-cache\r\n", etag);
    if (inm && strstr(inm, etag)) {
        spur_http_reply(req, 304, NULL, headers, NULL, 0);
        return;
    }
    spur_buf_puts(&b, "{\"announcements\":[");
    for (size_t i = srv->live.nanns; i-- > 0;) { /* newest first */
        const spur_announcement_t *a = &srv->live.anns[i];
        if (strcmp(a->hunt_id, g->hunt->id) != 0)
            continue;
        if (shown++)
            spur_buf_puts(&b, ",");
        ann_json(&b, a->id, a->text, a->at);
    }
    spur_buf_puts(&b, "]}");
    spur_api_json(req, 200, headers, &b);
    spur_buf_free(&b);
}

typedef struct {
    spur_server_t *srv;
    spur_http_req_t *req;
} ann_ctx_t;

static void on_announce_committed(spur_rec_t *r)
{
    ann_ctx_t *c = r->data;
    spur_server_t *srv = c->srv;
    spur_game_t *g = spur_api_game(srv, r->hunt_id);
    spur_gx_t *x = g ? spur_api_gx(srv, g) : NULL;

    if (x && x->ann_pending)
        x->ann_pending--;
    if (r->status == 0) {
        spur_buf_t b = {0}, ev = {0};
        spur_loaded_add_announcement(&srv->live, r->hunt_id, r->item_id, r->input, r->at);
        if (x)
            x->ann_version++;
        spur_info("staff %s sent announcement %" PRId64 " to %s", r->who, r->item_id, r->hunt_id);
        ann_json(&b, r->item_id, r->input, r->at);
        spur_buf_puts(&ev, "event: announcement\ndata: ");
        spur_buf_append(&ev, b.data, b.len);
        spur_buf_puts(&ev, "\n\n");
        spur_api_push_hunt(srv, r->hunt_id, ev.data, ev.len);
        spur_api_json(c->req, 201, "Cache-Control: no-store\r\n", &b);
        spur_buf_free(&ev);
        spur_buf_free(&b);
    } else {
        srv->metrics.commit_failures++;
        spur_api_error(c->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    }
    free(c);
    spur_rec_free(r);
}

void spur_api_admin_announce(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    static const char *const allowed[] = {"text", NULL};
    cJSON *root = spur_api_body(req, allowed);
    const cJSON *text;
    spur_gx_t *x = spur_api_gx(srv, g);
    char *clean = NULL;

    if (!root)
        return;
    text = cJSON_GetObjectItemCaseSensitive(root, "text");
    if (!cJSON_IsString(text)) {
        spur_api_error_msg(req, SPUR_EBAD_JSON, "\"text\" (der Text der Durchsage) fehlt.",
                           "\"text\" (the announcement's text) is required.", NULL);
        goto out;
    }
    switch (spur_announce_text(text->valuestring, strlen(text->valuestring), &clean)) {
    case SPUR_ANNOUNCE_OK:
        break;
    case SPUR_ANNOUNCE_EMPTY:
        spur_api_error_msg(req, SPUR_EBAD_REQUEST, "Die Durchsage ist leer.",
                           "The announcement is empty.", NULL);
        goto out;
    case SPUR_ANNOUNCE_TOO_LONG:
        spur_api_error_msg(req, SPUR_EBAD_REQUEST, "Eine Durchsage hat höchstens 1000 Zeichen.",
                           "An announcement has at most 1000 characters.", NULL);
        goto out;
    case SPUR_ANNOUNCE_CONTROL:
        spur_api_error_msg(req, SPUR_EBAD_REQUEST,
                           "Die Durchsage enthält ein Steuerzeichen (etwa einen Tabulator); "
                           "erlaubt sind nur Zeilenumbrüche.",
                           "The announcement holds a control character (a tab, say); only line "
                           "breaks are allowed.",
                           NULL);
        goto out;
    case SPUR_ANNOUNCE_UTF8:
        spur_api_error_msg(req, SPUR_EBAD_REQUEST, "Die Durchsage ist kein gültiges UTF-8.",
                           "The announcement is not valid UTF-8.", NULL);
        goto out;
    }
    if (spur_loaded_count_announcements(&srv->live, g->hunt->id) + x->ann_pending >=
        SPUR_ANNOUNCE_MAX) {
        spur_api_error(req, SPUR_ETOO_MANY_ANNOUNCEMENTS, NULL);
        goto out;
    }
    if (!spur_api_staff_log_take(srv, req))
        goto out;
    {
        spur_rec_t *r = spur_api_staff_rec(SPUR_REC_ANNOUNCE, req, g, "announce");
        ann_ctx_t *c = spur_calloc(1, sizeof(*c));
        r->input = clean; /* the writer sets item_id and the log's detail */
        clean = NULL;
        c->srv = srv;
        c->req = req;
        r->done = on_announce_committed;
        r->data = c;
        x->ann_pending++;
        spur_writer_submit(srv->writer, r);
    }
out:
    free(clean);
    cJSON_Delete(root);
}

static void on_delete_committed(spur_rec_t *r)
{
    ann_ctx_t *c = r->data;
    spur_server_t *srv = c->srv;
    spur_game_t *g = spur_api_game(srv, r->hunt_id);

    if (r->status == 0 || r->status == -2) /* -2: deleted meanwhile by someone else */
        spur_loaded_del_announcement(&srv->live, r->hunt_id, r->item_id);
    if (r->status == 0) {
        spur_buf_t b = {0};
        char ev[96];
        int n = snprintf(ev, sizeof ev,
                         "event: announcement_deleted\ndata: {\"id\":%" PRId64 "}\n\n", r->item_id);
        if (g)
            spur_api_gx(srv, g)->ann_version++;
        spur_info("staff %s deleted announcement %" PRId64 " of %s", r->who, r->item_id,
                  r->hunt_id);
        spur_api_push_hunt(srv, r->hunt_id, ev, (size_t)n);
        spur_buf_printf(&b, "{\"deleted\":%" PRId64 "}", r->item_id);
        spur_api_json(c->req, 200, "Cache-Control: no-store\r\n", &b);
        spur_buf_free(&b);
    } else if (r->status == -2) {
        spur_api_error_msg(c->req, SPUR_ENOT_FOUND, "Diese Durchsage wurde schon gelöscht.",
                           "This announcement was already deleted.", NULL);
    } else {
        srv->metrics.commit_failures++;
        spur_api_error(c->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    }
    free(c);
    spur_rec_free(r);
}

void spur_api_admin_announcement_delete(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                                        const char *id)
{
    char *end;
    long long aid = strtoll(id, &end, 10);
    const spur_announcement_t *a =
        *end || aid <= 0 || *id < '0' || *id > '9'
            ? NULL
            : spur_loaded_announcement(&srv->live, g->hunt->id, (int64_t)aid);
    spur_buf_t detail = {0};

    if (!a) {
        spur_api_error_msg(req, SPUR_ENOT_FOUND,
                           "Dieses Spiel hat keine Durchsage mit dieser Nummer.",
                           "This hunt has no announcement with this id.", NULL);
        return;
    }
    if (!spur_api_staff_log_take(srv, req))
        return;
    {
        spur_rec_t *r = spur_api_staff_rec(SPUR_REC_ANNOUNCE, req, g, "delete_announcement");
        ann_ctx_t *c = spur_calloc(1, sizeof(*c));
        r->item_id = a->id;
        spur_buf_printf(&detail, "{\"id\":%" PRId64 ",\"text\":", a->id);
        spur_buf_json_str(&detail, a->text);
        spur_buf_puts(&detail, "}");
        r->detail = spur_buf_steal(&detail, NULL);
        c->srv = srv;
        c->req = req;
        r->done = on_delete_committed;
        r->data = c;
        spur_writer_submit(srv->writer, r);
    }
}

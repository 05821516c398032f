/* The prize draw over HTTP: the published records (public), running one
 * prize's draw after the deadline (staff; with the public beacon when the hunt
 * names one), checking a winner's claim code (staff), and each team's prizes for
 * /me (won, or reserve with its place in line).
 * Keeps true: a prize is drawn once, ever. The record is computed from the
 * final live state, committed by the writer (the draws table's primary key
 * refuses a second one, also one made by `spur draw`), and published in memory
 * and answered only after that commit. "Final" means after ends_at plus the
 * hunt's late_sync_grace: until then an offline answer may still change a score. */
#include "api.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"
#include "core/log.h"
#include "game/codes.h"
#include "game/draw.h"

void spur_api_draw(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    spur_buf_t b = {0};
    size_t shown = 0;

    spur_buf_puts(&b, "{\"hunt\":");
    spur_buf_json_str(&b, g->hunt->id);
    spur_buf_printf(&b, ",\"commitment\":\"%s\",\"draws\":[", g->commitment);
    for (size_t i = 0; i < srv->live.ndraws; i++) {
        const spur_draw_pub_t *d = &srv->live.draws[i];
        if (strcmp(d->hunt_id, g->hunt->id) != 0)
            continue;
        if (shown++)
            spur_buf_puts(&b, ",");
        spur_buf_puts(&b, d->record);
    }
    spur_buf_puts(&b, "]}");
    if (!shown)
        spur_api_error(req, SPUR_ENO_DRAW, "Cache-Control: no-cache\r\n");
    else
        spur_api_json(req, 200, "Cache-Control: no-cache\r\n", &b);
    spur_buf_free(&b);
}

typedef struct {
    spur_server_t *srv;
    spur_http_req_t *req;
} draw_ctx_t;

static void on_draw_committed(spur_rec_t *r)
{
    draw_ctx_t *c = r->data;
    spur_server_t *srv = c->srv;

    if (r->status == 0 || r->status == -2) {
        /* -2: drawn before (perhaps by `spur draw`): publish what is stored */
        if (!spur_loaded_draw(&srv->live, r->hunt_id, r->prize_id) &&
            spur_loaded_add_draw(&srv->live, r->hunt_id, r->prize_id, r->record, r->at) < 0)
            spur_error("draw %s/%s: the stored record does not parse", r->hunt_id, r->prize_id);
    }
    if (r->status == 0) {
        spur_buf_t b = {0};
        spur_info("draw %s/%s made and published", r->hunt_id, r->prize_id);
        spur_buf_puts(&b, r->record);
        spur_api_json(c->req, 200, "Cache-Control: no-store\r\n", &b);
        spur_buf_free(&b);
    } else if (r->status == -2) {
        spur_api_error(c->req, SPUR_EALREADY_DRAWN, NULL);
    } else {
        srv->metrics.commit_failures++;
        spur_api_error(c->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    }
    free(c);
    spur_rec_free(r);
}

void spur_api_admin_draw(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    static const char *const allowed[] = {"prize", "beacon", NULL};
    cJSON *root = spur_api_body(req, allowed);
    const spur_hunt_t *h = g->hunt;
    const cJSON *bv;
    const char *prize, *beacon = NULL;
    int64_t now = spur_now_ms(), from_s;
    int idx;

    if (!root)
        return;
    prize = spur_json_str(root, "prize");
    if (!prize) {
        spur_api_error_msg(req, SPUR_EBAD_JSON, "\"prize\" (eine Preis-ID) fehlt.",
                           "\"prize\" (a prize id) is required.", NULL);
        goto out;
    }
    /* The beacon: a public value that did not exist before the deadline, so nobody,
       the operator included, knew the key while teams could still be added. */
    bv = cJSON_GetObjectItemCaseSensitive(root, "beacon");
    if (bv && !cJSON_IsNull(bv) && !cJSON_IsString(bv)) {
        spur_api_error_msg(req, SPUR_EBAD_REQUEST, "\"beacon\" ist ein Text.",
                           "\"beacon\" is a string.", NULL);
        goto out;
    }
    if (cJSON_IsString(bv) && bv->valuestring[0])
        beacon = bv->valuestring;
    if (!h->draw_beacon && cJSON_IsString(bv)) {
        spur_api_error_msg(req, SPUR_EBAD_REQUEST,
                           "Diese Rallye nennt keinen draw_beacon: ihre Verlosung nimmt keinen "
                           "Zufallswert.",
                           "This hunt names no draw_beacon: its draw takes no beacon.", NULL);
        goto out;
    }
    if (beacon && !spur_draw_beacon_ok(beacon, strlen(beacon))) {
        char de[200], en[200];
        snprintf(de, sizeof de,
                 "Der Zufallswert hat 1 bis %d Bytes UTF-8 ohne Steuerzeichen; gebt ihn so ein, "
                 "wie die Quelle ihn veröffentlicht.",
                 SPUR_DRAW_BEACON_MAX);
        snprintf(en, sizeof en,
                 "The beacon is 1 to %d bytes of UTF-8 without control characters; enter it as "
                 "its source published it.",
                 SPUR_DRAW_BEACON_MAX);
        spur_api_error_msg(req, SPUR_EBAD_REQUEST, de, en, NULL);
        goto out;
    }
    idx = spur_hunt_prize_index(h, prize);
    if (idx < 0) {
        spur_api_error(req, SPUR_EUNKNOWN_PRIZE, NULL);
        goto out;
    }
    if (spur_loaded_draw(&srv->live, h->id, prize)) {
        spur_api_error(req, SPUR_EALREADY_DRAWN, NULL);
        goto out;
    }
    from_s = h->ends_at + h->late_sync_grace;
    if (now < from_s * 1000) {
        char when[32], de[200], en[200];
        spur_time_format(from_s, when, sizeof when);
        snprintf(de, sizeof de,
                 "Die Verlosung geht ab %s: nach dem Spielende und der Zeit, in der "
                 "Offline-Antworten noch ankommen dürfen.",
                 when);
        snprintf(en, sizeof en,
                 "The draw can be run from %s on: after the deadline and the time offline "
                 "answers may still arrive.",
                 when);
        spur_api_error_msg(req, SPUR_EDRAW_TOO_EARLY, de, en, NULL);
        goto out;
    }
    /* A missing beacon is refused only once the draw could run (draw_too_early says
       more before that: the beacon does not exist yet). */
    if (h->draw_beacon && !beacon) {
        spur_api_error(req, SPUR_EBEACON_REQUIRED, NULL);
        goto out;
    }
    if (!spur_api_staff_log_take(srv, req))
        goto out;
    {
        spur_rec_t *r = spur_api_staff_rec(SPUR_REC_DRAW, req, g, "draw");
        draw_ctx_t *c = spur_calloc(1, sizeof(*c));
        spur_buf_t detail = {0};
        r->prize_id = spur_strdup(h->prizes[idx].id);
        r->at = now;
        spur_buf_puts(&detail, "{\"prize\":");
        spur_buf_json_str(&detail, r->prize_id);
        spur_buf_puts(&detail, "}");
        r->detail = spur_buf_steal(&detail, NULL);
        r->record = spur_draw_record(g, (size_t)idx, now, beacon);
        c->srv = srv;
        c->req = req;
        r->done = on_draw_committed;
        r->data = c;
        spur_writer_submit(srv->writer, r);
    }
out:
    cJSON_Delete(root);
}

const spur_draw_pub_t *spur_api_find_claim(const spur_server_t *srv, const spur_game_t *g,
                                           const char canon[9], int64_t *team, size_t *reserve_rank)
{
    for (size_t i = 0; i < srv->live.ndraws; i++) {
        const spur_draw_pub_t *d = &srv->live.draws[i];
        if (strcmp(d->hunt_id, g->hunt->id) != 0)
            continue;
        for (size_t k = 0; k < d->nwinners + d->nreserves; k++) {
            int64_t id = k < d->nwinners ? d->winners[k] : d->reserves[k - d->nwinners];
            char code[SPUR_SHORT_LEN + 1], c8[9];
            spur_codes_claim_code(g->secret, g->hunt->id, d->prize_id, (long long)id, code);
            if (spur_codes_short_canon(code, c8) == 0 && memcmp(c8, canon, 8) == 0) {
                *team = id;
                *reserve_rank = k < d->nwinners ? 0 : k - d->nwinners + 1;
                return d;
            }
        }
    }
    return NULL;
}

const spur_draw_pub_t *spur_api_claim_of(const spur_server_t *srv, spur_http_req_t *req,
                                         const spur_game_t *g, const char *code, char canon[9],
                                         int64_t *team, size_t *reserve_rank)
{
    const spur_draw_pub_t *d;
    if (strlen(code) > 32 || spur_codes_short_canon(code, canon) < 0) {
        spur_api_error_msg(req, SPUR_EBAD_CODE, "Ein Gewinncode sieht so aus: ABCD-EFGH.",
                           "A claim code looks like ABCD-EFGH.", NULL);
        return NULL;
    }
    if (!(d = spur_api_find_claim(srv, g, canon, team, reserve_rank)))
        spur_api_error_msg(req, SPUR_EUNKNOWN_CODE,
                           "Mit diesem Code wurde in diesem Spiel kein Preis gewonnen.",
                           "No prize of this hunt was won with this code.", NULL);
    return d;
}

void spur_api_admin_claim(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                          const char *code)
{
    char canon[9], shown[SPUR_SHORT_LEN + 1];
    const spur_draw_pub_t *d;
    const spur_team_t *t;
    int64_t team = 0;
    size_t rank = 0;
    spur_buf_t b = {0};

    if (!(d = spur_api_claim_of(srv, req, g, code, canon, &team, &rank)))
        return;
    t = spur_game_team_by_id(g, team);
    spur_codes_short_format(canon, shown);
    spur_buf_printf(&b, "{\"code\":\"%s\",\"prize\":", shown);
    spur_buf_json_str(&b, d->prize_id);
    spur_buf_puts(&b, ",\"prize_name\":");
    spur_buf_json_str(&b, d->prize_name);
    spur_buf_printf(&b, ",\"team\":{\"id\":%" PRId64 ",\"name\":", team);
    spur_buf_json_str(&b, t ? t->name : "");
    spur_buf_printf(&b, "},\"status\":\"%s\"", rank ? "reserve" : "winner");
    if (rank)
        spur_buf_printf(&b, ",\"reserve_rank\":%zu", rank);
    spur_buf_puts(&b, "}");
    spur_api_json(req, 200, "Cache-Control: no-store\r\n", &b);
    spur_buf_free(&b);
}

void spur_api_team_prizes(const spur_server_t *srv, const spur_game_t *g, const spur_team_t *t,
                          spur_buf_t *b)
{
    size_t shown = 0;
    spur_buf_puts(b, "[");
    for (size_t i = 0; i < srv->live.ndraws; i++) {
        const spur_draw_pub_t *d = &srv->live.draws[i];
        const char *status = NULL;
        size_t rank = 0; /* 0 = won, k = k-th in line should a winner not collect */
        int pi;
        char code[SPUR_SHORT_LEN + 1];
        if (strcmp(d->hunt_id, g->hunt->id) != 0)
            continue;
        for (size_t k = 0; k < d->nwinners && !status; k++)
            if (d->winners[k] == t->id)
                status = "winner";
        for (size_t k = 0; k < d->nreserves && !status; k++)
            if (d->reserves[k] == t->id) {
                status = "reserve";
                rank = k + 1;
            }
        if (!status)
            continue;
        pi = spur_hunt_prize_index(g->hunt, d->prize_id);
        spur_codes_claim_code(g->secret, g->hunt->id, d->prize_id, (long long)t->id, code);
        spur_buf_puts(b, shown++ ? ",{\"prize\":" : "{\"prize\":");
        spur_buf_json_str(b, d->prize_id);
        spur_buf_puts(b, ",\"name\":");
        spur_buf_json_str(b, pi >= 0 ? g->hunt->prizes[pi].name : d->prize_name);
        spur_buf_printf(b, ",\"status\":\"%s\",\"reserve\":%s", status, rank ? "true" : "false");
        if (rank)
            spur_buf_printf(b, ",\"reserve_rank\":%zu", rank);
        spur_buf_printf(b, ",\"claim_code\":\"%s\"}", code);
    }
    spur_buf_puts(b, "]");
}

/* POST /api/hunts/{h}/decode: a team's phone sends one camera frame (JPEG) and
 * learns whether it shows one of this hunt's posters. The phone then records the
 * scan through /scan like any other; decoding changes no state.
 *
 * Decoding takes milliseconds of CPU, so it runs on libuv's thread pool, never on
 * the loop. Keeps true: a team has at most one frame in flight (another is 429),
 * the server at most MAX_IN_FLIGHT (more are 503), and the request is answered
 * exactly once, from the loop, when its work is done. */
#include "api.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/qrscan.h"

#define MAX_IN_FLIGHT 8

typedef struct {
    uv_work_t work;
    spur_server_t *srv;
    spur_http_req_t *req;
    char hunt_id[SPUR_ID_MAX + 1];
    char team_key[24]; /* the team id as text: key of srv->decoding */
    unsigned char *jpeg;
    size_t len;
    int found; /* spur_qrscan_jpeg's result */
    char text[512];
} decode_t;

static void decode_work(uv_work_t *w)
{
    decode_t *d = w->data;
    d->found = spur_qrscan_jpeg(d->jpeg, d->len, d->text, sizeof(d->text));
}

/* The code in a QR text: the token after the last "/s/" of a poster URL, or the
 * whole text (a short code, or a token alone). */
static const char *code_in(const char *text)
{
    const char *s = strstr(text, "/s/"), *next;
    if (!s)
        return text;
    while ((next = strstr(s + 1, "/s/")))
        s = next;
    return s + 3;
}

static void decode_done(uv_work_t *w, int status)
{
    decode_t *d = w->data;
    spur_server_t *srv = d->srv;
    spur_game_t *g = spur_api_game(srv, d->hunt_id); /* NULL if a reload removed it */
    spur_buf_t b = {0};

    srv->decoding_n--;
    spur_map_del(&srv->decoding, d->team_key, strlen(d->team_key));
    if (status != 0 || d->found < 0) {
        srv->metrics.decodes[SPUR_DECODE_BAD]++;
        spur_api_error(d->req, SPUR_EBAD_IMAGE, NULL);
    } else if (d->found == 0 || !g) {
        srv->metrics.decodes[SPUR_DECODE_NONE]++;
        spur_buf_puts(&b, "{\"code\":null}");
    } else {
        char code[sizeof(d->text)];
        snprintf(code, sizeof(code), "%s", code_in(d->text));
        code[strcspn(code, "?#")] = '\0'; /* a query or fragment is no part of a token */
        if (spur_game_place_by_code(g, code) >= 0) {
            srv->metrics.decodes[SPUR_DECODE_FOUND]++;
            spur_buf_puts(&b, "{\"code\":");
            spur_buf_json_str(&b, code);
            spur_buf_puts(&b, "}");
        } else {
            srv->metrics.decodes[SPUR_DECODE_FOREIGN]++;
            spur_buf_puts(&b, "{\"code\":null,\"foreign\":true}");
        }
    }
    if (b.len)
        spur_api_json(d->req, 200, "Cache-Control: no-store\r\n", &b);
    spur_buf_free(&b);
    free(d->jpeg);
    free(d);
}

int spur_api_is_jpeg(const spur_http_req_t *req)
{
    const char *ct = spur_http_header(req, "content-type");
    size_t n = strlen("image/jpeg");
    return ct && strncasecmp(ct, "image/jpeg", n) == 0 && (ct[n] == '\0' || ct[n] == ';');
}

void spur_api_decode(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    spur_team_t *t = spur_api_auth(g, req);
    decode_t *d;
    char key[24];

    if (!t) {
        spur_api_error(req, SPUR_EUNAUTHORIZED, NULL);
        return;
    }
    if (req->body_len == 0) {
        spur_api_error_msg(req, SPUR_EBAD_IMAGE, "Ein JPEG-Foto ist nötig.",
                           "A JPEG photo is required.", NULL);
        return;
    }
    snprintf(key, sizeof(key), "%" PRId64, t->id);
    if (spur_map_get(&srv->decoding, key, strlen(key))) {
        spur_api_error_msg(req, SPUR_ERATE_LIMITED,
                           "Das letzte Foto eures Teams wird noch gelesen; das nächste bitte "
                           "nach dessen Antwort schicken.",
                           "Your team's last photo is still being read; send the next one "
                           "after its answer.",
                           "Retry-After: 1\r\n");
        return;
    }
    if (srv->decoding_n >= MAX_IN_FLIGHT) {
        srv->metrics.overloaded++;
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 1\r\n");
        return;
    }
    d = spur_calloc(1, sizeof(*d));
    d->work.data = d;
    d->srv = srv;
    d->req = req;
    snprintf(d->hunt_id, sizeof(d->hunt_id), "%s", g->hunt->id);
    memcpy(d->team_key, key, sizeof(key));
    d->len = req->body_len;
    d->jpeg = spur_malloc(d->len);
    memcpy(d->jpeg, req->body, d->len);
    if (uv_queue_work(srv->loop, &d->work, decode_work, decode_done) != 0) {
        free(d->jpeg);
        free(d);
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 1\r\n");
        return;
    }
    spur_map_put(&srv->decoding, d->team_key, strlen(d->team_key), (void *)1);
    srv->decoding_n++;
}

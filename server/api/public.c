/* Public, read-only endpoints: the hunt list and details, the leaderboard
 * (rendered at most once per change and served with an ETag), its event
 * stream, and code lookup for scans from a phone that has no team yet.
 * Keeps true: a pushed leaderboard is the same JSON a GET returns. Streams of two kinds:
 * notice streams (?limit=0: the phones; each push under 100 bytes, and the team's own
 * standing) get a committed change at once, unless their previous push was less than
 * push_ms ago: then at the end of that window, together with whatever else changed
 * meanwhile. Streams of rows (staff screens; up to 10 KB a push) get the board at most
 * once a second (SPUR_EVENTS_ROWS_MS), on the tick: nobody reads a table faster, and a
 * slow screen would otherwise be dropped. Each push renders each distinct event once and every
 * stream sends those same bytes. */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "game/codes.h"
#include "game/draw.h"

#define LB_MAX_LIMIT 1000
#define PING_MS 20000
#define ROWS_MS_DEFAULT                                                                            \
    1000 /* streams of rows: at most one push this often (and the                                  \
            tick's period); SPUR_EVENTS_ROWS_MS, 10-1000 */
/* Pushes of changes come at most this often (SPUR_EVENTS_INTERVAL_MS, 10-60000): a
 * change reaches a board on the big screen within the window, while a burst of answers
 * in a busy minute still makes one push per window, not one per answer (a phone on
 * mobile data pays for each; it fetches the board itself at most every few seconds). */
#define PUSH_MS_DEFAULT 50

enum { NOTICES = 1, ROWS = 2 }; /* the kinds of stream, as a set */

struct spur_sub {
    spur_server_t *srv;
    spur_http_stream_t *stream;
    char hunt_id[SPUR_ID_MAX + 1];
    size_t limit;        /* rows per push (?limit=, at most the cached rows) */
    int64_t team_id;     /* the team whose token came with the request, 0 = none */
    char me_sent[160];   /* the last "me" event data sent, to send only changes */
    uint64_t lb_version; /* the board this stream was last sent (game version, state) */
    int lb_state;
    spur_sub_t *prev, *next;
};

spur_gx_t *spur_api_gx(spur_server_t *srv, const spur_game_t *g)
{
    for (size_t i = 0; i < srv->live.ngames; i++)
        if (srv->live.games[i] == g)
            return &srv->gx[i];
    return NULL;
}

static void time_field(spur_buf_t *b, const char *name, int64_t t)
{
    char s[32];
    spur_time_format(t, s, sizeof(s));
    spur_buf_printf(b, ",\"%s\":\"%s\"", name, s);
}

static void hunt_summary(spur_buf_t *b, const spur_game_t *g, int64_t now_s)
{
    const spur_hunt_t *h = g->hunt;
    spur_buf_puts(b, "{\"id\":");
    spur_buf_json_str(b, h->id);
    spur_buf_puts(b, ",\"title\":");
    spur_buf_json_str(b, h->title);
    time_field(b, "starts_at", h->starts_at);
    time_field(b, "ends_at", h->ends_at);
    spur_buf_printf(b, ",\"state\":\"%s\"", spur_state_name(spur_game_state(h, now_s)));
}

void spur_api_hunts(spur_server_t *srv, spur_http_req_t *req)
{
    spur_buf_t b = {0};
    int64_t now_s = spur_now_ms() / 1000;
    spur_buf_puts(&b, "[");
    for (size_t i = 0; i < srv->live.ngames; i++) {
        if (i)
            spur_buf_puts(&b, ",");
        hunt_summary(&b, srv->live.games[i], now_s);
        spur_buf_puts(&b, "}");
    }
    spur_buf_puts(&b, "]");
    spur_api_json(req, 200, "Cache-Control: no-cache\r\n", &b);
    spur_buf_free(&b);
}

/* Each prize's eligible teams (E and how many), as the draw will see them: computed
 * with the draw's own functions once per game version, so every GET of a big hunt
 * after the end answers from memory. Called only once the hunt is over (live
 * scores are not public while the board is frozen). */
static const spur_gx_t *eligible_cached(spur_server_t *srv, const spur_game_t *g)
{
    spur_gx_t *x = spur_api_gx(srv, g);
    const spur_hunt_t *h = g->hunt;

    if (x->elig_valid && x->elig_version == g->version)
        return x;
    if (!x->elig_hex) {
        x->elig_hex = spur_calloc(h->nprizes + 1, sizeof(*x->elig_hex));
        x->elig_n = spur_calloc(h->nprizes + 1, sizeof(*x->elig_n));
    }
    for (size_t i = 0; i < h->nprizes; i++) {
        int64_t *ids;
        size_t n;
        unsigned char e[32];
        spur_draw_eligible(g, &h->prizes[i], &ids, &n);
        spur_draw_eligible_hash(ids, n, e);
        spur_codes_hex(e, 32, x->elig_hex[i]);
        x->elig_n[i] = n;
        free(ids);
    }
    x->elig_version = g->version;
    x->elig_valid = 1;
    return x;
}

static const char *rule_name(spur_elig_t e)
{
    return e == SPUR_ELIG_ALL ? "all" : e == SPUR_ELIG_FINISHED ? "finished" : "min_score";
}

void spur_api_hunt(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    const spur_hunt_t *h = g->hunt;
    const spur_gx_t *x = NULL;
    spur_buf_t b = {0};
    int64_t now = spur_now_ms();
    char st[32];

    hunt_summary(&b, g, now / 1000);
    spur_buf_puts(&b, ",\"intro\":");
    spur_buf_json_str(&b, h->intro ? h->intro : "");
    /* The *_html fields are rendered and sanitised at load (game/markdown.c): the app
       puts them into the page as they are; the plain texts stay for older clients. */
    spur_buf_puts(&b, ",\"intro_html\":");
    spur_buf_json_str(&b, h->intro_html ? h->intro_html : "");
    spur_buf_puts(&b, ",\"outro\":");
    spur_buf_json_str(&b, h->outro ? h->outro : "");
    spur_buf_puts(&b, ",\"outro_html\":");
    spur_buf_json_str(&b, h->outro_html ? h->outro_html : "");
    spur_buf_puts(&b, ",\"language\":");
    spur_buf_json_str(&b, h->language ? h->language : "de");
    if (h->contact_ask) {
        spur_buf_puts(&b, ",\"contact\":{\"ask\":\"optional\",\"label\":");
        spur_buf_json_str(&b, h->contact_label);
        spur_buf_puts(&b, ",\"privacy\":");
        spur_buf_json_str(&b, h->contact_privacy);
        spur_buf_printf(&b, ",\"purge_after_days\":%d}", h->purge_after_days);
    }
    spur_buf_puts(&b, ",\"time_zone\":");
    spur_buf_json_str(&b, h->time_zone ? h->time_zone : SPUR_TZ_DEFAULT);
    if (h->brand_organizer || h->brand_accent || h->brand_footer ||
        (h->brand_logo && h->brand_logo->key)) {
        const char *keys[] = {"organizer", "accent", "footer"};
        const char *vals[] = {h->brand_organizer, h->brand_accent, h->brand_footer};
        int n = 0;
        spur_buf_puts(&b, ",\"branding\":{");
        for (int i = 0; i < 3; i++)
            if (vals[i]) {
                spur_buf_printf(&b, "%s\"%s\":", n++ ? "," : "", keys[i]);
                spur_buf_json_str(&b, vals[i]);
            }
        spur_api_image_json(&b, n ? ",\"logo\":" : "\"logo\":", h->id, h->brand_logo);
        spur_buf_puts(&b, "}");
    }
    spur_buf_puts(&b, ",\"map\":{\"tiles\":");
    spur_buf_json_str(&b, h->map_tiles);
    spur_buf_puts(&b, ",\"attribution\":");
    spur_buf_json_str(&b, h->map_attribution);
    spur_buf_printf(&b, "},\"max_accuracy\":%d", h->max_accuracy);
    if (h->photo_consent) {
        spur_buf_puts(&b, ",\"photo_consent\":");
        spur_buf_json_str(&b, h->photo_consent);
    }
    time_field(&b, "freeze_at", h->freeze_at);
    /* what join.svg encodes, for pages that show it as text (the big screen) */
    {
        char *join = spur_asprintf("%s/?hunt=%s", srv->base_url, h->id);
        spur_buf_puts(&b, ",\"join_url\":");
        spur_buf_json_str(&b, join); /* --base-url is the operator's text: escaped */
        free(join);
    }
    spur_time_format_ms(now, st, sizeof(st));
    spur_buf_printf(&b,
                    ",\"server_time\":\"%s\",\"draw_commitment\":\"%s\",\"puzzle_count\":%zu,"
                    "\"place_count\":%zu,\"late_sync_grace\":%lld",
                    st, g->commitment, h->npuzzles, h->nplaces, (long long)h->late_sync_grace);
    time_field(&b, "draw_from", h->ends_at + h->late_sync_grace);
    if (h->draw_beacon) {
        spur_buf_puts(&b, ",\"draw_beacon\":");
        spur_buf_json_str(&b, h->draw_beacon);
    }
    spur_buf_puts(&b, ",\"prizes\":[");
    if (spur_game_state(h, now / 1000) == SPUR_OVER)
        x = eligible_cached(srv, g);
    for (size_t i = 0; i < h->nprizes; i++) {
        const spur_prize_t *p = &h->prizes[i];
        spur_buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
        spur_buf_json_str(&b, p->id);
        spur_buf_puts(&b, ",\"name\":");
        spur_buf_json_str(&b, p->name);
        if (p->count == SPUR_PRIZE_ALL)
            spur_buf_puts(&b, ",\"count\":\"all\",\"reserves\":0");
        else
            spur_buf_printf(&b, ",\"count\":%d,\"reserves\":%d", p->count, p->reserves);
        spur_buf_printf(&b, ",\"eligible\":\"%s\"", rule_name(p->eligible));
        if (p->eligible == SPUR_ELIG_MIN_SCORE)
            spur_buf_printf(&b, ",\"min_score\":%d", p->min_score);
        if (x)
            spur_buf_printf(&b, ",\"eligible_count\":%zu,\"eligible_sha256\":\"%s\"", x->elig_n[i],
                            x->elig_hex[i]);
        spur_buf_printf(&b, ",\"drawn\":%s}",
                        spur_loaded_draw(&srv->live, h->id, p->id) ? "true" : "false");
    }
    spur_buf_puts(&b, "]}");
    spur_api_json(req, 200, "Cache-Control: no-cache\r\n", &b);
    spur_buf_free(&b);
}

spur_gx_t *spur_api_leaderboard_cached(spur_server_t *srv, spur_game_t *g, int64_t now_s)
{
    spur_gx_t *x = spur_api_gx(srv, g);
    int st = (int)spur_game_state(g->hunt, now_s);
    if (x->lb_version != g->version || x->lb_state != st || !x->lb.data) {
        x->lb.len = 0;
        x->lb_rows =
            spur_game_leaderboard_json(g, &x->lb, now_s, 0, SPUR_LB_DEFAULT_LIMIT, x->lb_ends);
        x->lb_version = g->version;
        x->lb_state = st;
        snprintf(x->lb_etag, sizeof(x->lb_etag), "\"%x-%llx-%d\"", (unsigned)srv->generation,
                 (unsigned long long)g->version, st);
    }
    return x;
}

static long query_num(const spur_http_req_t *req, const char *name, long def, long max, int *bad)
{
    const char *v;
    int n = spur_http_query(req, name, &v);
    long x = 0;
    if (n < 0)
        return def;
    if (n == 0 || n > 9) {
        *bad = 1;
        return def;
    }
    for (int i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9') {
            *bad = 1;
            return def;
        }
        x = x * 10 + (v[i] - '0');
    }
    return x > max ? max : x;
}

static int etag_matches(const spur_http_req_t *req, const char *etag)
{
    const char *inm = spur_http_header(req, "if-none-match");
    return inm && (strstr(inm, etag) != NULL || strcmp(inm, "*") == 0);
}

void spur_api_leaderboard(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    int bad = 0;
    long limit = query_num(req, "limit", SPUR_LB_DEFAULT_LIMIT, LB_MAX_LIMIT, &bad);
    long offset = query_num(req, "offset", 0, 1000000000L, &bad);
    int64_t now_s = spur_now_ms() / 1000;
    char headers[160];

    if (bad) {
        spur_api_error_msg(req, SPUR_EBAD_REQUEST, "limit und offset sind ganze Zahlen.",
                           "limit and offset are whole numbers.", NULL);
        return;
    }
    if (limit == SPUR_LB_DEFAULT_LIMIT && offset == 0) {
        spur_gx_t *x = spur_api_leaderboard_cached(srv, g, now_s);
        if (spur_http_accepts_gzip(req)) {
            /* Phones poll this: compress once per change, serve the bytes to everyone. */
            if (strcmp(x->lb_gz_of, x->lb_etag) != 0) {
                if (spur_http_gzip(x->lb.data, x->lb.len, &x->lb_gz) < 0)
                    x->lb_gz.len = 0;
                memcpy(x->lb_gz_of, x->lb_etag, sizeof(x->lb_gz_of));
            }
            if (x->lb_gz.len) {
                char etag[56];
                snprintf(etag, sizeof(etag), "%.*s-gz\"", (int)strlen(x->lb_etag) - 1, x->lb_etag);
                snprintf(headers, sizeof(headers),
                         "ETag: %s\r\nCache-Control: no-cache\r\nContent-Encoding: gzip\r\n"
                         "Vary: Accept-Encoding\r\n",
                         etag);
                if (etag_matches(req, etag))
                    spur_http_reply(req, 304, NULL, headers, NULL, 0);
                else
                    spur_api_json(req, 200, headers, &x->lb_gz);
                return;
            }
        }
        snprintf(headers, sizeof(headers),
                 "ETag: %s\r\nCache-Control: no-cache\r\nVary: Accept-Encoding\r\n", x->lb_etag);
        if (etag_matches(req, x->lb_etag))
            spur_http_reply(req, 304, NULL, headers, NULL, 0);
        else
            spur_api_json(req, 200, headers, &x->lb);
        return;
    }
    {
        char etag[64];
        spur_buf_t b = {0};
        snprintf(etag, sizeof(etag), "\"%x-%llx-%d-%ld-%ld\"", (unsigned)srv->generation,
                 (unsigned long long)g->version, (int)spur_game_state(g->hunt, now_s), limit,
                 offset);
        snprintf(headers, sizeof(headers), "ETag: %s\r\nCache-Control: no-cache\r\n", etag);
        if (etag_matches(req, etag)) {
            spur_http_reply(req, 304, NULL, headers, NULL, 0);
            return;
        }
        spur_game_leaderboard_json(g, &b, now_s, (size_t)offset, (size_t)limit, NULL);
        spur_api_json(req, 200, headers, &b);
        spur_buf_free(&b);
    }
}

/* ---- event streams ---- */

static void on_stream_close(spur_http_stream_t *s, void *data)
{
    spur_sub_t *sub = data;
    spur_server_t *srv = sub->srv;
    (void)s;
    if (sub->prev)
        sub->prev->next = sub->next;
    else
        srv->subs = sub->next;
    if (sub->next)
        sub->next->prev = sub->prev;
    srv->metrics.sse_clients--;
    free(sub);
}

/* The event for a stream that asked for `limit` rows: the cached leaderboard cut after
 * that many rows, the same JSON a GET with that limit returns. */
static spur_shared_t *leaderboard_event(const spur_gx_t *x, size_t limit)
{
    spur_buf_t ev = {0};
    spur_shared_t *sh;
    spur_buf_puts(&ev, "event: leaderboard\ndata: ");
    if (limit >= x->lb_rows) {
        spur_buf_append(&ev, x->lb.data, x->lb.len);
    } else {
        spur_buf_append(&ev, x->lb.data, x->lb_ends[limit]);
        spur_buf_puts(&ev, "]}");
    }
    spur_buf_puts(&ev, "\n\n");
    sh = spur_shared_new(ev.data, ev.len);
    spur_buf_free(&ev);
    return sh;
}

/* Sends sub its event from cache (one per distinct limit, made on first use; the
 * caller unrefs them). */
static int push_leaderboard(spur_server_t *srv, spur_sub_t *sub, const spur_gx_t *x,
                            spur_shared_t **cache)
{
    size_t limit = sub->limit < x->lb_rows ? sub->limit : x->lb_rows;
    int r;
    if (!cache[limit])
        cache[limit] = leaderboard_event(x, limit);
    sub->lb_version = x->lb_version;
    sub->lb_state = x->lb_state;
    r = spur_http_stream_send_shared(sub->stream, cache[limit]);
    if (r < 0)
        srv->metrics.sse_dropped++;
    return r;
}

static void cache_free(spur_shared_t **cache)
{
    for (size_t i = 0; i <= SPUR_LB_DEFAULT_LIMIT; i++) {
        spur_shared_unref(cache[i]);
        cache[i] = NULL;
    }
}

/* For a stream opened with a team's token (the app's cookie): the team's own score
 * and rank, as /me gives them (the frozen board's rank while frozen), whenever they
 * changed. A phone needs no /me request per change. */
static void push_me(spur_sub_t *sub, const spur_game_t *g, int64_t now_s)
{
    const spur_team_t *t = sub->team_id ? spur_game_team_by_id(g, sub->team_id) : NULL;
    spur_state_t st = spur_game_state(g->hunt, now_s);
    char data[sizeof(sub->me_sent)];
    char ev[sizeof(data) + 32];
    int n;

    if (!t)
        return;
    snprintf(data, sizeof(data),
             "{\"score\":%d,\"rank\":%zu,\"teams\":%zu,\"solved\":%d,\"changes\":%u,"
             "\"hunt_state\":\"%s\"}",
             t->score, spur_game_public_rank(g, t, st == SPUR_FROZEN), spur_game_public_teams(g),
             t->nsolved, t->changes, spur_state_name(st));
    if (strcmp(data, sub->me_sent) == 0)
        return;
    memcpy(sub->me_sent, data, sizeof(data));
    n = snprintf(ev, sizeof(ev), "event: me\ndata: %s\n\n", data);
    if (spur_http_stream_send(sub->stream, ev, (size_t)n) < 0)
        sub->srv->metrics.sse_dropped++;
}

void spur_api_push_team(spur_server_t *srv, const spur_game_t *g, const spur_team_t *t)
{
    int64_t now_s = spur_now_ms() / 1000;
    for (spur_sub_t *s = srv->subs, *next; s; s = next) {
        next = s->next;
        if (s->team_id == t->id && strcmp(s->hunt_id, g->hunt->id) == 0)
            push_me(s, g, now_s);
    }
}

void spur_api_events(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    spur_sub_t *sub;
    const spur_gx_t *x;
    int bad = 0;
    long limit = query_num(req, "limit", SPUR_LB_DEFAULT_LIMIT, SPUR_LB_DEFAULT_LIMIT, &bad);

    if (bad) {
        spur_api_error_msg(req, SPUR_EBAD_REQUEST, "limit ist eine ganze Zahl.",
                           "limit is a whole number.", NULL);
        return;
    }
    if (req->is_head) {
        spur_http_reply(req, 200, "text/event-stream", "Cache-Control: no-store\r\n", NULL, 0);
        return;
    }
    sub = spur_calloc(1, sizeof(*sub));
    sub->srv = srv;
    sub->limit = (size_t)limit;
    {
        const spur_team_t *t = spur_api_auth(g, req); /* none or a bad one: just the board */
        sub->team_id = t ? t->id : 0;
    }
    snprintf(sub->hunt_id, sizeof(sub->hunt_id), "%s", g->hunt->id);
    x = spur_api_leaderboard_cached(srv, g, spur_now_ms() / 1000);
    sub->stream = spur_http_stream_start(
        req, "Cache-Control: no-store\r\nX-Accel-Buffering: no\r\n", on_stream_close, sub);
    sub->next = srv->subs;
    if (srv->subs)
        srv->subs->prev = sub;
    srv->subs = sub;
    srv->metrics.sse_clients++;
    if (spur_http_stream_send(sub->stream, "retry: 3000\n\n", 13) == 0) {
        spur_shared_t *cache[SPUR_LB_DEFAULT_LIMIT + 1] = {0};
        if (push_leaderboard(srv, sub, x, cache) == 0)
            push_me(sub, g, spur_now_ms() / 1000);
        cache_free(cache);
    }
}

void spur_api_push_hunt(spur_server_t *srv, const char *hunt_id, const char *ev, size_t len)
{
    spur_shared_t *sh = spur_shared_new(ev, len);
    for (spur_sub_t *s = srv->subs, *next; s; s = next) {
        next = s->next; /* a send may end the stream, but on_close runs later */
        if (strcmp(s->hunt_id, hunt_id) == 0 && spur_http_stream_send_shared(s->stream, sh) < 0)
            srv->metrics.sse_dropped++;
    }
    spur_shared_unref(sh);
}

/* A draw published since the last tick (made here, or by `spur draw` and picked up
 * on SIGHUP: records are kept in the order drawn, so new ones come last) is told
 * to the hunt's streams as `event: draw` {"prize"}: phones open at the prize
 * ceremony then ask /me and show what their team won. */
static void announce_draws(spur_server_t *srv)
{
    if (srv->draws_told > srv->live.ndraws)
        srv->draws_told = srv->live.ndraws; /* a reload dropped a hunt */
    for (; srv->draws_told < srv->live.ndraws; srv->draws_told++) {
        const spur_draw_pub_t *d = &srv->live.draws[srv->draws_told];
        spur_buf_t ev = {0};
        spur_buf_puts(&ev, "event: draw\ndata: {\"prize\":");
        spur_buf_json_str(&ev, d->prize_id);
        spur_buf_puts(&ev, "}\n\n");
        spur_api_push_hunt(srv, d->hunt_id, ev.data, ev.len);
        spur_buf_free(&ev);
    }
}

/* Pushes game i's board (and each team's standing) to the streams of the kinds in
 * `kinds` that have not seen it; with force, to every such stream of the game (after a
 * reload the version counter starts again, so an equal version says nothing). */
static void push_game(spur_server_t *srv, size_t i, int64_t now_s, int kinds, int force)
{
    spur_game_t *g = srv->live.games[i];
    spur_gx_t *x = &srv->gx[i];
    int st = (int)spur_game_state(g->hunt, now_s), due = 0;
    const spur_gx_t *c;

    for (int k = 0; k < 2; k++) {
        if (!(kinds & (1 << k)))
            continue;
        if (!force && x->pushed_version[k] == g->version && x->pushed_state[k] == st)
            continue;
        x->pushed_version[k] = g->version;
        x->pushed_state[k] = st;
        due |= 1 << k;
    }
    if (!due)
        return;
    c = spur_api_leaderboard_cached(srv, g, now_s);
    spur_shared_t *cache[SPUR_LB_DEFAULT_LIMIT + 1] = {0};
    for (spur_sub_t *s = srv->subs, *next; s; s = next) {
        next = s->next; /* a send may end the stream, but on_close runs later */
        if (!(due & (s->limit ? ROWS : NOTICES)) || strcmp(s->hunt_id, g->hunt->id) != 0)
            continue;
        if (force)
            s->me_sent[0] = '\0';
        else if (s->lb_version == c->lb_version && s->lb_state == c->lb_state)
            continue; /* sent this board when it connected */
        if (push_leaderboard(srv, s, c, cache) == 0)
            push_me(s, g, now_s);
    }
    cache_free(cache);
}

static void on_push(uv_timer_t *t)
{
    spur_server_t *srv = t->data;
    int64_t now_s = spur_now_ms() / 1000;
    srv->push_armed = 0;
    srv->last_push = uv_now(srv->loop);
    for (size_t i = 0; i < srv->live.ngames; i++)
        push_game(srv, i, now_s, NOTICES, 0);
}

void spur_api_changed(void *data)
{
    spur_server_t *srv = data;
    uint64_t now, due;
    int changed = 0;

    if (srv->push_armed || srv->closing)
        return;
    for (size_t i = 0; i < srv->live.ngames && !changed; i++)
        changed = srv->gx[i].pushed_version[0] != srv->live.games[i]->version;
    if (!changed)
        return;
    now = uv_now(srv->loop);
    due = srv->last_push + srv->push_ms;
    srv->push_armed = 1;
    uv_timer_start(&srv->push_timer, on_push, due > now ? due - now : 0, 0);
}

void spur_api_push_reloaded(spur_server_t *srv)
{
    int64_t now_s = spur_now_ms() / 1000;
    for (size_t i = 0; i < srv->live.ngames; i++)
        push_game(srv, i, now_s, NOTICES | ROWS, 1);
}

static void on_tick(uv_timer_t *timer)
{
    spur_server_t *srv = timer->data;
    int64_t now_s = spur_now_ms() / 1000;
    int ping = uv_now(srv->loop) - srv->last_ping >= PING_MS;

    if (ping)
        srv->last_ping = uv_now(srv->loop);
    for (size_t i = 0; i < srv->live.ngames; i++) { /* rows; notices of a change of state */
        /* held scans whose puzzle opened count now (one comparison when none is due) */
        spur_game_open_due(srv->live.games[i], spur_now_ms());
        spur_api_purge_due(srv, i, spur_now_ms());
        push_game(srv, i, now_s, NOTICES | ROWS, 0);
    }
    announce_draws(srv);
    if (ping)
        for (spur_sub_t *s = srv->subs; s; s = s->next)
            spur_http_stream_send(s->stream, ": ping\n\n", 8);
}

void spur_api_start(spur_server_t *srv)
{
    const char *e = getenv("SPUR_EVENTS_INTERVAL_MS");
    long ms = e ? atol(e) : 0;

    srv->push_ms = ms >= 10 && ms <= 60000 ? (unsigned)ms : PUSH_MS_DEFAULT;
    e = getenv("SPUR_EVENTS_ROWS_MS");
    ms = e ? atol(e) : 0;
    if (ms < 10 || ms > ROWS_MS_DEFAULT)
        ms = ROWS_MS_DEFAULT;
    uv_timer_init(srv->loop, &srv->tick);
    uv_timer_init(srv->loop, &srv->push_timer);
    srv->tick.data = srv->push_timer.data = srv;
    srv->last_ping = uv_now(srv->loop);
    srv->draws_told = srv->live.ndraws; /* drawn before this start: nothing to tell */
    uv_timer_start(&srv->tick, on_tick, (uint64_t)ms, (uint64_t)ms);
    spur_writer_on_batch(srv->writer, spur_api_changed, srv);
}

void spur_api_stop(spur_server_t *srv)
{
    uv_timer_stop(&srv->tick);
    uv_close((uv_handle_t *)&srv->tick, NULL);
    uv_timer_stop(&srv->push_timer);
    uv_close((uv_handle_t *)&srv->push_timer, NULL);
    for (spur_sub_t *s = srv->subs; s; s = s->next)
        spur_http_stream_close(s->stream);
}

void spur_api_codes(spur_server_t *srv, spur_http_req_t *req, const char *token)
{
    if (!spur_api_codes_allowed(srv, req))
        return;
    for (size_t i = 0; i < srv->live.ngames; i++) {
        spur_game_t *g = srv->live.games[i];
        int place = spur_game_place_by_code(g, token);
        if (place >= 0) {
            spur_buf_t b = {0};
            spur_buf_puts(&b, "{\"hunt\":");
            spur_buf_json_str(&b, g->hunt->id);
            spur_buf_puts(&b, ",\"title\":");
            spur_buf_json_str(&b, g->hunt->title);
            spur_buf_puts(&b, "}");
            spur_api_json(req, 200, "Cache-Control: no-store\r\n", &b);
            spur_buf_free(&b);
            return;
        }
    }
    spur_api_code_failed(srv, req);
    spur_api_error(req, SPUR_EUNKNOWN_CODE, NULL);
}

void spur_api_image_json(spur_buf_t *b, const char *prefix, const char *hunt_id,
                         const spur_image_t *img)
{
    if (!img || !img->key)
        return;
    spur_buf_puts(b, prefix);
    /* ids and keys are [a-z0-9_-]: nothing in the URL needs escaping */
    spur_buf_printf(b, "{\"url\":\"/api/hunts/%s/media/%s.%s\",\"alt\":", hunt_id, img->key,
                    spur_media_ext(img->mime));
    spur_buf_json_str(b, img->alt);
    spur_buf_printf(b, ",\"width\":%d,\"height\":%d}", img->width, img->height);
}

void spur_api_media(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g, const char *name)
{
    char key[SPUR_MEDIA_KEY_LEN + 1], etag[SPUR_MEDIA_KEY_LEN + 3];
    const char *dot = strchr(name, '.'), *inm;
    const spur_media_t *m = NULL;

    if (dot && dot - name == SPUR_MEDIA_KEY_LEN) {
        memcpy(key, name, SPUR_MEDIA_KEY_LEN);
        key[SPUR_MEDIA_KEY_LEN] = 0;
        m = spur_loaded_media(&srv->live, g->hunt->id, key);
    }
    if (!m || strcmp(dot + 1, spur_media_ext(m->mime)) != 0) {
        spur_api_error(req, SPUR_ENOT_FOUND, NULL);
        return;
    }
    /* the address names the bytes (their hash): a browser keeps them for a year and
       never asks again; a changed picture has another address */
    static const char headers[] = "Cache-Control: public, max-age=31536000, immutable\r\n";
    char extra[sizeof headers + sizeof etag + 16];
    snprintf(etag, sizeof etag, "\"%s\"", key);
    snprintf(extra, sizeof extra, "%sETag: %s\r\n", headers, etag);
    inm = spur_http_header(req, "If-None-Match");
    if (inm && strstr(inm, etag)) {
        spur_http_reply(req, 304, NULL, extra, NULL, 0);
        return;
    }
    spur_http_reply(req, 200, m->mime, extra, m->data, m->len);
}

/* Team endpoints: create a team, join one by code, the team's own view (me,
 * join QR, puzzle list), the hunt's public join QR, and the body helpers the
 * write handlers share.
 * Keeps true: a team exists for clients only after its row is committed; a
 * name is reserved while its creation is in flight, so two phones cannot both
 * get it. */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/err.h"
#include "core/json.h"
#include "core/log.h"
#include "core/qr.h"
#include "game/codes.h"

#define NAME_PENDING ((void *)1) /* by_name value while a creation is in flight */
/* Team creations per client address and minute (a burst of twice that is allowed:
 * a school class behind one address signs up at once). SPUR_TEAMS_PER_MINUTE sets it. */
#define CREATE_PER_MINUTE_DEFAULT 60

cJSON *spur_api_body(spur_http_req_t *req, const char *const allowed[])
{
    char err[128], de[200], en[200];
    size_t off = 0;
    cJSON *root, *item;

    if (req->body_len == 0) {
        spur_api_error_msg(req, SPUR_EBAD_JSON, "Ein JSON-Objekt als Inhalt ist nötig.",
                           "A JSON object body is required.", NULL);
        return NULL;
    }
    root = spur_json_parse(req->body, req->body_len, err, sizeof(err), &off);
    if (!root) {
        snprintf(de, sizeof(de), "Ungültiges JSON bei Byte %zu: %s.", off, err);
        snprintf(en, sizeof(en), "Invalid JSON at byte %zu: %s.", off, err);
        spur_api_error_msg(req, SPUR_EBAD_JSON, de, en, NULL);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        spur_api_error_msg(req, SPUR_EBAD_JSON, "Der Inhalt muss ein JSON-Objekt sein.",
                           "The body must be a JSON object.", NULL);
        cJSON_Delete(root);
        return NULL;
    }
    cJSON_ArrayForEach(item, root)
    {
        int known = 0;
        for (size_t i = 0; allowed[i]; i++)
            known |= strcmp(item->string, allowed[i]) == 0;
        if (!known) {
            char key[48];
            spur_log_sanitize(key, sizeof(key), item->string, strlen(item->string));
            snprintf(de, sizeof(de), "Unbekanntes Feld \"%s\".", key);
            snprintf(en, sizeof(en), "Unknown field \"%s\".", key);
            spur_api_error_msg(req, SPUR_EBAD_JSON, de, en, NULL);
            cJSON_Delete(root);
            return NULL;
        }
    }
    return root;
}

int spur_api_offline(spur_http_req_t *req, const cJSON *root, char client_id[65], int64_t *made_at)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(root, "client_id");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "made_at");
    int64_t t;

    client_id[0] = '\0';
    *made_at = 0;
    if (c) {
        size_t n = cJSON_IsString(c) ? strlen(c->valuestring) : 0;
        int ok = n >= 1 && n <= 64;
        for (size_t i = 0; ok && i < n; i++) {
            char ch = c->valuestring[i];
            ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '-' || ch == '_';
        }
        if (!ok) {
            spur_api_error_msg(req, SPUR_EBAD_JSON,
                               "client_id hat 1 bis 64 Zeichen aus A-Z a-z 0-9 - _.",
                               "client_id is 1 to 64 characters of A-Z a-z 0-9 - _.", NULL);
            return -1;
        }
        memcpy(client_id, c->valuestring, n + 1);
    }
    if (m) {
        if (!cJSON_IsString(m) || spur_time_parse_ms(m->valuestring, &t) < 0) {
            spur_api_error_msg(req, SPUR_EBAD_JSON, "made_at ist eine Zeit nach RFC 3339.",
                               "made_at is an RFC 3339 time.", NULL);
            return -1;
        }
        *made_at = t;
    }
    return 0;
}

static void team_json(spur_buf_t *b, const spur_game_t *g, spur_team_t *t)
{
    spur_buf_printf(b, "{\"id\":%lld,\"name\":", (long long)t->id);
    spur_buf_json_str(b, t->name);
    spur_buf_printf(b, ",\"join_code\":\"%s\"}", spur_game_join_code(g, t));
}

/* 201/200 {"team":..., "token"} with the cookie; Secure when the public address is
 * https (behind a TLS proxy spurd itself speaks plain HTTP, so it cannot tell). */
static void reply_token(const spur_server_t *srv, spur_http_req_t *req, int status,
                        const spur_game_t *g, spur_team_t *t, const char *token)
{
    spur_buf_t b = {0};
    char headers[256];
    spur_buf_puts(&b, "{\"team\":");
    team_json(&b, g, t);
    spur_buf_printf(&b, ",\"token\":\"%s\"}", token);
    snprintf(headers, sizeof(headers),
             "Set-Cookie: spur_token=%s; Path=/; Max-Age=7776000; HttpOnly; SameSite=Lax%s\r\n"
             "Cache-Control: no-store\r\n",
             token, strncmp(srv->base_url, "https://", 8) == 0 ? "; Secure" : "");
    spur_api_json(req, status, headers, &b);
    spur_buf_free(&b);
}

double spur_api_create_rate(void)
{
    return spur_api_env_num("SPUR_TEAMS_PER_MINUTE", CREATE_PER_MINUTE_DEFAULT);
}

typedef struct {
    spur_server_t *srv;
    spur_game_t *game;
    spur_http_req_t *req;
    char token[48];
} create_ctx_t;

static void on_team_committed(spur_rec_t *r)
{
    create_ctx_t *c = r->data;
    spur_game_t *g = c->game;
    if (r->status < 0) {
        spur_map_del(&g->by_name, r->name_key, strlen(r->name_key));
        c->srv->metrics.commit_failures++;
        spur_api_error(c->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    } else {
        spur_team_t *t = spur_game_add_team(g, r->team_id, r->name, r->name_key, r->join_salt,
                                            r->join_hash, r->at);
        if (r->test)
            spur_game_set_test(g, t);
        spur_game_add_token(g, r->token_hash, t);
        c->srv->metrics.teams_created++;
        reply_token(c->srv, c->req, 201, g, t, c->token);
    }
    free(c);
    spur_rec_free(r);
}

static void new_token(spur_rec_t *r, char token[48])
{
    spur_codes_random_token(token);
    spur_codes_hash(token, strlen(token), r->token_hash);
}

void spur_api_create_team(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    static const char *const allowed[] = {"name", "test", NULL};
    cJSON *root = spur_api_body(req, allowed);
    const cJSON *name, *test;
    char *shown = NULL, *key = NULL;
    int64_t now = spur_now_ms();
    int wait_s, is_test;

    if (!root)
        return;
    test = cJSON_GetObjectItemCaseSensitive(root, "test");
    if (test && !cJSON_IsBool(test)) {
        spur_api_error_msg(req, SPUR_EBAD_JSON, "\"test\" ist true oder false.",
                           "\"test\" is true or false.", NULL);
        goto out;
    }
    /* A test team (a staff test run) needs the staff token: 401 without a token, 403
       with a team's. */
    is_test = cJSON_IsTrue(test);
    if (is_test && !spur_api_is_staff(srv, req)) {
        if (spur_http_header(req, "Authorization"))
            spur_api_error(req, SPUR_EFORBIDDEN, NULL);
        else
            spur_api_error(req, SPUR_EUNAUTHORIZED, "WWW-Authenticate: Bearer\r\n");
        goto out;
    }
    name = cJSON_GetObjectItemCaseSensitive(root, "name");
    if (!cJSON_IsString(name)) {
        spur_api_error_msg(req, SPUR_EBAD_JSON, "\"name\" (Text) fehlt.",
                           "\"name\" (a string) is required.", NULL);
        goto out;
    }
    if (spur_team_name_check(name->valuestring, strlen(name->valuestring), &shown, &key) < 0) {
        spur_api_error(req, SPUR_EBAD_NAME, NULL);
        goto out;
    }
    /* by arrival: a creation parked during a reload may be handled after ends_at */
    if (!is_test && spur_api_received_ms(req) >= g->hunt->ends_at * 1000) {
        spur_api_error(req, SPUR_EHUNT_OVER, NULL);
        goto out;
    }
    if (spur_map_get(&g->by_name, key, strlen(key))) {
        spur_api_error(req, SPUR_ENAME_TAKEN, NULL);
        goto out;
    }
    if (!spur_api_disk_ok(srv, req))
        goto out;
    if (!spur_api_is_staff(srv, req) &&
        !spur_api_bucket(&srv->ip_buckets, req->client, now, 1, &wait_s)) {
        char h[48];
        snprintf(h, sizeof(h), "Retry-After: %d\r\n", wait_s);
        spur_api_error_msg(req, SPUR_ERATE_LIMITED,
                           "Zu viele neue Teams von hier; bitte kurz warten.",
                           "Too many new teams from here; wait a moment.", h);
        goto out;
    }
    if (is_test && !spur_api_staff_log_take(srv, req))
        goto out;
    {
        spur_rec_t *r = is_test ? spur_api_staff_rec(SPUR_REC_TEAM, req, g, "create_test_team")
                                : spur_rec_new(SPUR_REC_TEAM);
        create_ctx_t *c = spur_calloc(1, sizeof(*c));
        char canon[9];

        free(r->hunt_id);
        r->hunt_id = spur_strdup(g->hunt->id);
        r->test = is_test;
        r->team_id = srv->next_team_id++;
        r->at = now;
        r->name = shown;
        r->name_key = key;
        if (is_test) {
            spur_buf_t d = {0};
            spur_buf_puts(&d, "{\"name\":");
            spur_buf_json_str(&d, shown);
            spur_buf_puts(&d, "}");
            r->detail = spur_strdup(d.data);
            spur_buf_free(&d);
        }
        shown = key = NULL;
        randombytes_buf(r->join_salt, sizeof(r->join_salt));
        {
            char code[10];
            spur_codes_join_code(g->secret, r->join_salt, code);
            spur_codes_short_canon(code, canon);
            spur_codes_hash(canon, strlen(canon), r->join_hash);
        }
        new_token(r, c->token);
        c->srv = srv;
        c->game = g;
        c->req = req;
        r->done = on_team_committed;
        r->data = c;
        spur_map_put(&g->by_name, r->name_key, strlen(r->name_key), NAME_PENDING);
        spur_writer_submit(srv->writer, r);
    }
out:
    free(shown);
    free(key);
    cJSON_Delete(root);
}

typedef struct {
    spur_server_t *srv;
    spur_game_t *game;
    spur_team_t *team;
    spur_http_req_t *req;
    char token[48];
} join_ctx_t;

static void on_join_committed(spur_rec_t *r)
{
    join_ctx_t *c = r->data;
    c->team->joining--;
    if (r->status < 0) {
        c->srv->metrics.commit_failures++;
        spur_api_error(c->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    } else {
        spur_game_add_token(c->game, r->token_hash, c->team);
        c->srv->metrics.joins++;
        reply_token(c->srv, c->req, 200, c->game, c->team, c->token);
    }
    free(c);
    spur_rec_free(r);
}

void spur_api_join(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    static const char *const allowed[] = {"join_code", NULL};
    cJSON *root = spur_api_body(req, allowed);
    const cJSON *code;
    char canon[9];
    unsigned char hash[32];
    spur_team_t *t;

    if (!root)
        return;
    code = cJSON_GetObjectItemCaseSensitive(root, "join_code");
    if (!cJSON_IsString(code) || strlen(code->valuestring) > 32 ||
        spur_codes_short_canon(code->valuestring, canon) < 0) {
        spur_api_error_msg(req, SPUR_EBAD_CODE, "Ein Beitrittscode sieht so aus: ABCD-EFGH.",
                           "A join code looks like ABCD-EFGH.", NULL);
        goto out;
    }
    if (!spur_api_codes_allowed(srv, req))
        goto out;
    spur_codes_hash(canon, strlen(canon), hash);
    t = spur_map_get(&g->by_join, (const char *)hash, 32);
    if (!t) {
        spur_api_code_failed(srv, req);
        spur_api_error(req, SPUR_EUNKNOWN_JOIN_CODE, NULL);
        goto out;
    }
    if (t->members + t->joining >= (unsigned)g->hunt->max_team_members) {
        char de[120], en[120];
        snprintf(de, sizeof(de), "Dieses Team hat schon %d Handys; mehr gehen nicht.",
                 g->hunt->max_team_members);
        snprintf(en, sizeof(en), "This team already has %d phones, the most a team may have.",
                 g->hunt->max_team_members);
        spur_api_error_msg(req, SPUR_ETEAM_FULL, de, en, NULL);
        goto out;
    }
    if (!spur_api_disk_ok(srv, req))
        goto out;
    {
        spur_rec_t *r = spur_rec_new(SPUR_REC_TOKEN);
        join_ctx_t *c = spur_calloc(1, sizeof(*c));
        r->hunt_id = spur_strdup(g->hunt->id);
        r->team_id = t->id;
        r->at = spur_now_ms();
        new_token(r, c->token);
        c->srv = srv;
        c->game = g;
        c->team = t;
        c->req = req;
        r->done = on_join_committed;
        r->data = c;
        t->joining++;
        spur_writer_submit(srv->writer, r);
    }
out:
    cJSON_Delete(root);
}

void spur_api_me(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    spur_team_t *t = spur_api_auth(g, req);
    spur_buf_t b = {0};
    spur_state_t st = spur_game_state(g->hunt, spur_now_ms() / 1000);

    if (!t) {
        spur_api_error(req, SPUR_EUNAUTHORIZED, NULL);
        return;
    }
    /* While frozen a team sees its own live score, but its rank on the public board:
       the live rank would tell what the frozen board hides. */
    spur_buf_puts(&b, "{\"team\":");
    team_json(&b, g, t);
    spur_buf_printf(&b, ",\"score\":%d,\"rank\":", t->score);
    if (t->test)
        spur_buf_puts(&b, "null");
    else
        spur_buf_printf(&b, "%zu", spur_game_public_rank(g, t, st == SPUR_FROZEN));
    spur_buf_printf(&b,
                    ",\"teams\":%zu,\"solved\":%d,\"changes\":%u,\"hunt_state\":\"%s\","
                    "\"test\":%s,\"hidden\":%s,\"contact_given\":%s,\"prizes\":",
                    spur_game_public_teams(g), t->nsolved, t->changes, spur_state_name(st),
                    t->test ? "true" : "false", t->hidden ? "true" : "false",
                    t->contact_given ? "true" : "false");
    spur_api_team_prizes(srv, g, t, &b);
    spur_buf_puts(&b, "}");
    spur_api_json(req, 200, "Cache-Control: no-store\r\n", &b);
    spur_buf_free(&b);
}

void spur_api_join_svg(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    spur_team_t *t = spur_api_auth(g, req);
    spur_buf_t b = {0};
    char *url;

    if (!t) {
        spur_api_error(req, SPUR_EUNAUTHORIZED, NULL);
        return;
    }
    url =
        spur_asprintf("%s/?hunt=%s&join=%s", srv->base_url, g->hunt->id, spur_game_join_code(g, t));
    if (spur_qr_svg(url, 'M', &b) == 0)
        spur_http_reply(req, 200, "image/svg+xml", "Cache-Control: private, max-age=3600\r\n",
                        b.data, b.len);
    else
        spur_api_error(req, SPUR_EBAD_REQUEST, NULL);
    free(url);
    spur_buf_free(&b);
}

void spur_api_hunt_join_svg(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    spur_buf_t b = {0};
    /* Hunt ids are [a-z0-9_-] (hunt_read.c): nothing to escape in the query. */
    char *url = spur_asprintf("%s/?hunt=%s", srv->base_url, g->hunt->id);

    /* The same for everyone until a restart with another --base-url: an hour in any
       cache, so a projector, a poster preview and a print run ask once. */
    if (spur_qr_svg(url, 'M', &b) == 0)
        spur_http_reply(req, 200, "image/svg+xml", "Cache-Control: public, max-age=3600\r\n",
                        b.data, b.len);
    else
        spur_api_error(req, SPUR_EBAD_REQUEST, NULL);
    free(url);
    spur_buf_free(&b);
}

static void place_json(spur_buf_t *b, const char *hunt_id, const spur_place_t *pl)
{
    spur_buf_puts(b, "{\"id\":");
    spur_buf_json_str(b, pl->id);
    spur_buf_puts(b, ",\"name\":");
    spur_buf_json_str(b, pl->name);
    if (pl->has_pos)
        spur_buf_printf(b, ",\"lat\":%.6f,\"lon\":%.6f", pl->lat, pl->lon);
    else
        spur_buf_puts(b, ",\"lat\":null,\"lon\":null");
    spur_buf_puts(b, ",\"where\":");
    if (pl->where)
        spur_buf_json_str(b, pl->where);
    else
        spur_buf_puts(b, "null");
    spur_api_image_json(b, ",\"image\":", hunt_id, pl->image);
    spur_buf_puts(b, "}");
}

void spur_api_puzzle_json(spur_buf_t *b, const spur_hunt_t *h, const spur_puzzle_t *p,
                          spur_status_t st)
{
    spur_buf_puts(b, "{\"id\":");
    spur_buf_json_str(b, p->id);
    spur_buf_puts(b, ",\"title\":");
    spur_buf_json_str(b, p->title);
    spur_buf_printf(b, ",\"kind\":\"%s\",\"points\":%d,\"status\":\"%s\",\"place\":",
                    spur_kind_name(p->kind), p->points,
                    st == SPUR_SOLVED ? "solved"
                    : st == SPUR_OPEN ? "open"
                                      : "locked");
    if (p->place >= 0)
        place_json(b, h->id, &h->places[p->place]);
    else
        spur_buf_puts(b, "null");
    if (p->opens_at) {
        char s[32];
        spur_time_format(p->opens_at, s, sizeof(s));
        spur_buf_printf(b, ",\"opens_at\":\"%s\"", s);
    }
    if (st != SPUR_LOCKED) {
        spur_buf_puts(b, ",\"clue\":");
        spur_buf_json_str(b, p->clue ? p->clue : "");
        spur_buf_puts(b, ",\"clue_html\":"); /* sanitised at load: game/markdown.c */
        spur_buf_json_str(b, p->clue_html ? p->clue_html : "");
        spur_api_image_json(b, ",\"image\":", h->id, p->image);
        if (p->kind == SPUR_KIND_CHOICE) {
            spur_buf_puts(b, ",\"choices\":[");
            for (size_t c = 0; c < p->nchoices; c++) {
                if (c)
                    spur_buf_puts(b, ",");
                spur_buf_json_str(b, p->choices[c]);
            }
            spur_buf_puts(b, "]");
        }
    }
}

void spur_api_puzzles(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    spur_team_t *t = spur_api_auth(g, req);
    const spur_hunt_t *h = g->hunt;
    int64_t now = spur_now_ms();
    spur_buf_t b = {0};
    (void)srv;

    if (!t) {
        spur_api_error(req, SPUR_EUNAUTHORIZED, NULL);
        return;
    }
    spur_game_open_due(g, now); /* a held scan whose puzzle just opened shows solved */
    spur_buf_puts(&b, "[");
    for (size_t i = 0; i < h->npuzzles; i++) {
        const spur_puzzle_t *p = &h->puzzles[i];
        spur_status_t st = spur_game_status(g, t, (int)i, now, NULL);
        /* Before the start every puzzle is locked: clues are revealed at starts_at. */
        if (now < h->starts_at * 1000 && st != SPUR_SOLVED)
            st = SPUR_LOCKED;
        spur_buf_puts(&b, i ? "," : "");
        spur_api_puzzle_json(&b, h, p, st);
        spur_buf_printf(&b, ",\"hints_taken\":%d,\"hint_count\":%zu,\"hints\":[", t->prog[i].hints,
                        p->nhints);
        for (size_t k = 0; k < t->prog[i].hints && k < p->nhints; k++) {
            spur_buf_puts(&b, k ? ",{\"text\":" : "{\"text\":");
            spur_buf_json_str(&b, p->hints[k].text);
            spur_buf_puts(&b, ",\"text_html\":");
            spur_buf_json_str(&b, p->hints[k].text_html ? p->hints[k].text_html : "");
            spur_buf_printf(&b, ",\"cost\":%d}", p->hints[k].cost);
        }
        spur_buf_puts(&b, "]");
        if (t->prog[i].hints < p->nhints)
            spur_buf_printf(&b, ",\"next_hint_cost\":%d", p->hints[t->prog[i].hints].cost);
        if (p->kind == SPUR_KIND_PHOTO)
            spur_api_photo_state_json(&b, g, t, (int)i);
        if (st == SPUR_SOLVED)
            spur_buf_printf(&b, ",\"points_earned\":%d", t->prog[i].points);
        else if (spur_game_held(g, t, (int)i))
            spur_buf_puts(&b, ",\"scanned_ahead\":true");
        spur_buf_puts(&b, "}");
    }
    spur_buf_puts(&b, "]");
    spur_api_json(req, 200, "Cache-Control: no-store\r\n", &b);
    spur_buf_free(&b);
}

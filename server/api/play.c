/* Playing: answers, hints and scans. Each is judged against committed memory,
 * written through the writer, and applied and answered only once durable.
 * Keeps true: a team has at most one write in flight (later ones are parked),
 * a retry carrying the same client_id gets the first result while it is kept (the same
 * id sent for another puzzle or a scan is 409 client_id_reused; see
 * SPUR_RESULTS_PER_TEAM for how many are kept), and a repeated identical wrong or
 * partial answer (same normalised text, whatever its client_id) gets the same reply
 * but neither counts against the guess limit nor is stored again, on disk or in
 * memory: a script repeating one answer grows nothing. */
#include "api.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "game/answer.h"
#include "game/geo.h"

/* A client's made_at (0 = none) within [the team's creation, received]: a phone's clock
 * may be wrong, and a client may lie; neither may date an item before its team
 * existed or after it arrived. */
int64_t spur_api_clamp_made_at(const spur_team_t *t, int64_t made_at, int64_t received)
{
    if (!made_at)
        return 0;
    if (made_at < t->created_at)
        made_at = t->created_at;
    return made_at > received ? received : made_at;
}

int spur_api_puzzle_open(spur_http_req_t *req, const spur_game_t *g, const spur_team_t *t, int idx,
                         int64_t at)
{
    switch (spur_game_status(g, t, idx, at, NULL)) {
    case SPUR_SOLVED:
        spur_api_error(req, SPUR_EALREADY_SOLVED, NULL);
        return 0;
    case SPUR_LOCKED:
        spur_api_error(req, SPUR_ELOCKED, NULL);
        return 0;
    case SPUR_OPEN:
        break;
    }
    return 1;
}

/* Judges when an item of team t counts. Received before the end: now. Received after it
 * but made before it and within late_sync_grace: its made_at. A staff test team plays at
 * any time (trying the hunt before the start, or after the end). Returns 0 or a SPUR_E*
 * code. */
int spur_api_when_counts(const spur_hunt_t *h, const spur_team_t *t, int64_t now, int64_t made_at,
                         int64_t *at)
{
    if (t->test) {
        *at = now;
        return 0;
    }
    if (now < h->starts_at * 1000)
        return SPUR_ENOT_STARTED;
    if (now < h->ends_at * 1000) {
        *at = now;
        return 0;
    }
    if (made_at && made_at < h->ends_at * 1000 && made_at >= h->starts_at * 1000 &&
        now < (h->ends_at + h->late_sync_grace) * 1000) {
        *at = made_at;
        return 0;
    }
    return SPUR_EHUNT_OVER;
}

typedef struct {
    spur_server_t *srv;
    spur_game_t *game;
    spur_team_t *team;
    spur_http_req_t *req;
    int idx; /* puzzle, or place for scans */
    spur_verdict_t verdict;
    char *norm;  /* normalised answer (wrong answers) */
    int *solved; /* scans: puzzles solved */
    size_t nsolved;
    int score_before; /* the team's score when the request was judged */
} play_ctx_t;

static play_ctx_t *ctx_new(spur_server_t *srv, spur_game_t *g, spur_team_t *t, spur_http_req_t *req,
                           int idx)
{
    play_ctx_t *c = spur_calloc(1, sizeof(*c));
    c->srv = srv;
    c->game = g;
    c->team = t;
    c->req = req;
    c->idx = idx;
    c->score_before = t->score;
    return c;
}

static spur_rec_t *event_rec(spur_game_t *g, spur_team_t *t, const char *kind, int64_t at,
                             int64_t made_at, const char *client_id)
{
    spur_rec_t *r = spur_rec_new(SPUR_REC_EVENT);
    r->hunt_id = spur_strdup(g->hunt->id);
    r->team_id = t->id;
    r->ev_kind = kind;
    r->at = at;
    r->made_at = made_at;
    r->client_id = client_id && client_id[0] ? spur_strdup(client_id) : NULL;
    return r;
}

void spur_api_note_commit(spur_server_t *srv, const spur_rec_t *r)
{
    /* Histogram buckets in seconds: 0.5ms .. 1s, doubling; see metrics.c. */
    double s = (double)r->commit_ns / 1e9, le = 0.0005;
    srv->metrics.commits++;
    srv->metrics.commit_seconds_sum += s;
    for (int i = 0; i < 12; i++, le *= 2)
        if (s <= le) {
            srv->metrics.commit_buckets[i]++;
            break;
        }
    if (r->status < 0)
        srv->metrics.commit_failures++;
}

/* What a result answered: "answer:<puzzle id>" or "scan" (see spur_game_result_put). */
static const char *what_of(char *out, size_t size, const char *kind, const char *puzzle_id)
{
    snprintf(out, size, strcmp(kind, "scan") == 0 ? "scan" : "answer:%s",
             puzzle_id ? puzzle_id : "");
    return out;
}

/* Answers from a stored result (offline retry), or 409 when the client_id was used
 * for something else. Returns 1 when answered. */
static int replay_result(spur_http_req_t *req, spur_game_t *g, spur_team_t *t,
                         const char *client_id, const char *what)
{
    const spur_result_t *res;
    if (!client_id[0] || !(res = spur_game_result_get(g, t, client_id)))
        return 0;
    if (strcmp(res->what, what) != 0) {
        spur_api_error(req, SPUR_ECLIENT_ID_REUSED, NULL);
        return 1;
    }
    spur_http_reply(req, res->status, "application/json; charset=utf-8",
                    "Cache-Control: no-store\r\nX-Spur-Replay: 1\r\n", res->body,
                    strlen(res->body));
    return 1;
}

static void reply_json_text(spur_http_req_t *req, const char *body)
{
    spur_http_reply(req, 200, "application/json; charset=utf-8", "Cache-Control: no-store\r\n",
                    body, strlen(body));
}

static const char *msg(const spur_game_t *g, const char *de, const char *en)
{
    return g->hunt->language && strcmp(g->hunt->language, "en") == 0 ? en : de;
}

/* ---- answers ---- */

static void on_answer_committed(spur_rec_t *r)
{
    play_ctx_t *c = r->data;
    spur_server_t *srv = c->srv;
    char what[SPUR_ID_MAX + 8];

    spur_api_note_commit(srv, r);
    if (r->status < 0) {
        spur_api_error(c->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    } else {
        /* (partial answers count against the guess limit too: "Friedrich I.",
           "Friedrich II.", ... would otherwise be free guesses) */
        spur_event_t ev = {.kind = SPUR_EV_ANSWER,
                           .at = r->at,
                           .puzzle = c->idx,
                           .verdict = c->verdict,
                           .norm = c->norm};
        spur_game_apply(c->game, c->team, &ev);
        if (c->verdict == SPUR_VERDICT_CORRECT)
            srv->metrics.answers_correct++;
        else if (c->verdict == SPUR_VERDICT_WRONG)
            srv->metrics.answers_wrong++;
        else
            srv->metrics.answers_partial++;
        if (c->verdict == SPUR_VERDICT_CORRECT && c->team->score != c->score_before + r->points) {
            /* the solve opened puzzles scanned ahead, whose points count now too: say
               the score the team has (a retry gets the stored reply; /me is exact) */
            free(r->result);
            r->result = spur_asprintf("{\"correct\":true,\"points\":%d,\"score\":%d}", r->points,
                                      c->team->score);
        }
        if (r->client_id)
            spur_game_result_put(c->game, c->team, r->client_id,
                                 what_of(what, sizeof(what), r->ev_kind, r->puzzle_id), 200,
                                 r->result);
        reply_json_text(c->req, r->result);
    }
    spur_api_unbusy(srv, c->team);
    free(c->norm);
    free(c);
    spur_rec_free(r);
}

void spur_api_answer(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g, const char *pid)
{
    static const char *const allowed[] = {"answer", "client_id", "made_at", NULL};
    spur_team_t *t = spur_api_auth(g, req);
    cJSON *root = NULL;
    const cJSON *ans;
    char client_id[65], *norm = NULL, what[SPUR_ID_MAX + 8];
    int64_t made_at, now = spur_api_received_ms(req), at;
    int idx, err, wait;
    const char *partial_msg = NULL;
    spur_verdict_t v;
    spur_buf_t body = {0};

    if (!t) {
        spur_api_error(req, SPUR_EUNAUTHORIZED, NULL);
        return;
    }
    if (!(root = spur_api_body(req, allowed)) ||
        spur_api_offline(req, root, client_id, &made_at) < 0)
        goto out;
    ans = cJSON_GetObjectItemCaseSensitive(root, "answer");
    if (!cJSON_IsString(ans) || strlen(ans->valuestring) > SPUR_ANSWER_MAX) {
        spur_api_error_msg(req, SPUR_EBAD_JSON, "\"answer\" (Text bis 512 Bytes) fehlt.",
                           "\"answer\" (a string up to 512 bytes) is required.", NULL);
        goto out;
    }
    what_of(what, sizeof(what), "answer", pid);
    if (replay_result(req, g, t, client_id, what))
        goto out;
    if (t->busy) {
        spur_api_park(srv, t, req);
        goto out;
    }
    if ((idx = spur_hunt_puzzle_index(g->hunt, pid)) < 0) {
        spur_api_error(req, SPUR_EUNKNOWN_PUZZLE, NULL);
        goto out;
    }
    made_at = spur_api_clamp_made_at(t, made_at, now);
    spur_game_open_due(g, now); /* a held puzzle that opened counts before this answer */
    if ((err = spur_api_when_counts(g->hunt, t, now, made_at, &at)) < 0) {
        spur_api_error(req, err, NULL);
        goto out;
    }
    if (!spur_api_puzzle_open(req, g, t, idx, at))
        goto out;
    if (spur_kind_by_place(g->hunt->puzzles[idx].kind)) {
        spur_api_error(req, SPUR_ENOT_ANSWERABLE, NULL);
        goto out;
    }
    if (g->hunt->puzzles[idx].kind == SPUR_KIND_PHOTO) {
        spur_api_error_msg(req, SPUR_ENOT_ANSWERABLE, "Diese Aufgabe löst man mit einem Foto.",
                           "This puzzle is solved with a photo.", NULL);
        goto out;
    }
    if ((wait = spur_game_guess_wait(g, t, now)) > 0) {
        char h[64];
        snprintf(h, sizeof(h), "Retry-After: %d\r\n", wait);
        spur_api_error_msg(req, SPUR_ERATE_LIMITED,
                           "Zu viele falsche Antworten. Bitte kurz warten.",
                           "Too many wrong answers. Please wait a moment.", h);
        goto out;
    }
    v = spur_answer_judge(&g->hunt->puzzles[idx], ans->valuestring, strlen(ans->valuestring),
                          &partial_msg, &norm);
    if (v != SPUR_VERDICT_CORRECT && norm && spur_game_wrong_seen(t, idx, norm)) {
        /* The same wrong or partial answer again: the same reply, not counted, and
           nothing kept: a retry of this client_id is judged again, the same way. */
        srv->metrics.answers_repeated++;
        if (v == SPUR_VERDICT_PARTIAL) {
            spur_buf_puts(&body, "{\"correct\":false,\"partial\":true,\"repeated\":true,"
                                 "\"message\":");
            spur_buf_json_str(&body, partial_msg ? partial_msg : "");
        } else {
            spur_buf_puts(&body, "{\"correct\":false,\"repeated\":true,\"message\":");
            spur_buf_json_str(&body,
                              msg(g, "Das wurde schon versucht.", "You already tried that."));
        }
        spur_buf_puts(&body, "}");
        reply_json_text(req, body.data);
        goto out;
    }
    if (v == SPUR_VERDICT_CORRECT) {
        int pts = spur_game_solve_points(g, t, idx);
        spur_buf_printf(&body, "{\"correct\":true,\"points\":%d,\"score\":%d}", pts,
                        t->score + pts);
    } else if (v == SPUR_VERDICT_PARTIAL) {
        spur_buf_puts(&body, "{\"correct\":false,\"partial\":true,\"message\":");
        spur_buf_json_str(&body, partial_msg ? partial_msg : "");
        spur_buf_puts(&body, "}");
    } else {
        spur_buf_puts(&body, "{\"correct\":false,\"message\":");
        spur_buf_json_str(&body, msg(g, "Leider nicht richtig.", "Sorry, that is not right."));
        spur_buf_puts(&body, "}");
    }
    {
        spur_rec_t *r = event_rec(g, t, "answer", at, made_at, client_id);
        play_ctx_t *c = ctx_new(srv, g, t, req, idx);
        r->puzzle_id = spur_strdup(pid);
        r->input = spur_strdup(ans->valuestring);
        r->result = spur_buf_steal(&body, NULL);
        r->points = v == SPUR_VERDICT_CORRECT ? spur_game_solve_points(g, t, idx) : 0;
        r->verdict = v == SPUR_VERDICT_CORRECT   ? "correct"
                     : v == SPUR_VERDICT_PARTIAL ? "partial"
                                                 : "wrong";
        c->verdict = v;
        c->norm = norm ? norm : spur_strdup("");
        norm = NULL;
        r->done = on_answer_committed;
        r->data = c;
        t->busy = 1;
        spur_writer_submit(srv->writer, r);
    }
out:
    free(norm);
    spur_buf_free(&body);
    cJSON_Delete(root);
}

/* ---- check-ins ---- */

/* A number member of root, or NAN when absent or not a number. */
static double num_member(const cJSON *root, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* "Noch etwa 120 m nach Nordosten." from the distance and the bearing. */
static void far_message(spur_buf_t *b, const spur_http_req_t *req, int distance_m, int bearing)
{
    static const char *const de[] = {"Norden", "Nordosten", "Osten",  "Südosten",
                                     "Süden",  "Südwesten", "Westen", "Nordwesten"};
    static const char *const en[] = {"north", "north-east", "east", "south-east",
                                     "south", "south-west", "west", "north-west"};
    int octant = ((bearing + 22) % 360) / 45;
    char text[160];
    if (req->lang == SPUR_LANG_EN)
        snprintf(text, sizeof text, "Still about %d m to go, to the %s.", distance_m, en[octant]);
    else
        snprintf(text, sizeof text, "Noch etwa %d m nach %s.", distance_m, de[octant]);
    spur_buf_json_str(b, text);
}

void spur_api_checkin(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g, const char *pid)
{
    static const char *const allowed[] = {"lat", "lon", "accuracy", "client_id", "made_at", NULL};
    spur_team_t *t = spur_api_auth(g, req);
    cJSON *root = NULL;
    char client_id[65], what[SPUR_ID_MAX + 8], input[SPUR_CHECKIN_TEXT_MAX];
    int64_t made_at, now = spur_api_received_ms(req), at;
    int idx, err, distance, bearing;
    double lat, lon, acc;
    const spur_puzzle_t *p;
    spur_buf_t body = {0};

    if (!t) {
        spur_api_error(req, SPUR_EUNAUTHORIZED, NULL);
        return;
    }
    if (!(root = spur_api_body(req, allowed)) ||
        spur_api_offline(req, root, client_id, &made_at) < 0)
        goto out;
    lat = num_member(root, "lat");
    lon = num_member(root, "lon");
    acc = num_member(root, "accuracy");
    if (!spur_geo_valid(lat, lon, acc)) {
        spur_api_error(req, SPUR_EBAD_POSITION, NULL);
        goto out;
    }
    /* a retry of a counted check-in gets the reply it had (it is stored as an answer) */
    what_of(what, sizeof(what), "answer", pid);
    if (replay_result(req, g, t, client_id, what))
        goto out;
    if (t->busy) {
        spur_api_park(srv, t, req);
        goto out;
    }
    if ((idx = spur_hunt_puzzle_index(g->hunt, pid)) < 0) {
        spur_api_error(req, SPUR_EUNKNOWN_PUZZLE, NULL);
        goto out;
    }
    p = &g->hunt->puzzles[idx];
    if (p->kind != SPUR_KIND_CHECKIN) {
        spur_api_error(req, SPUR_ENOT_CHECKIN, NULL);
        goto out;
    }
    made_at = spur_api_clamp_made_at(t, made_at, now);
    spur_game_open_due(g, now);
    if ((err = spur_api_when_counts(g->hunt, t, now, made_at, &at)) < 0) {
        spur_api_error(req, err, NULL);
        goto out;
    }
    if (!spur_api_puzzle_open(req, g, t, idx, at))
        goto out;
    switch (spur_checkin_judge(g->hunt, p, lat, lon, acc, &distance, &bearing)) {
    case SPUR_CHECKIN_POOR_ACCURACY:
        /* nothing is stored: a check-in that does not count changes nothing */
        spur_buf_printf(&body,
                        "{\"correct\":false,\"reason\":\"poor_accuracy\",\"accuracy_m\":%.0f,"
                        "\"max_accuracy_m\":%d,\"message\":",
                        acc, g->hunt->max_accuracy);
        spur_buf_json_str(&body,
                          spur_api_msg(req,
                                       "Der Standort ist zu ungenau. Geht ein paar Schritte ins "
                                       "Freie und versucht es noch einmal, oder tippt den Code "
                                       "vom Schild am Ort ein.",
                                       "The position is too vague. Step out into the open and try "
                                       "again, or type the code from the sign at the place."));
        spur_buf_puts(&body, "}");
        srv->metrics.checkins_refused++;
        reply_json_text(req, body.data);
        goto out;
    case SPUR_CHECKIN_FAR:
        spur_buf_printf(&body, "{\"correct\":false,\"distance_m\":%d,\"bearing\":%d,\"message\":",
                        distance, bearing);
        far_message(&body, req, distance, bearing);
        spur_buf_puts(&body, "}");
        srv->metrics.checkins_refused++;
        reply_json_text(req, body.data);
        goto out;
    case SPUR_CHECKIN_HERE:
        break;
    }
    {
        int pts = spur_game_solve_points(g, t, idx);
        spur_rec_t *r = event_rec(g, t, "answer", at, made_at, client_id);
        play_ctx_t *c = ctx_new(srv, g, t, req, idx);
        spur_buf_printf(&body, "{\"correct\":true,\"points\":%d,\"score\":%d}", pts,
                        t->score + pts);
        spur_checkin_format(input, sizeof input, lat, lon, acc);
        r->puzzle_id = spur_strdup(pid);
        r->input = spur_strdup(input);
        r->result = spur_buf_steal(&body, NULL);
        r->points = pts;
        r->verdict = "correct";
        c->verdict = SPUR_VERDICT_CORRECT;
        c->norm = spur_strdup("");
        r->done = on_answer_committed;
        r->data = c;
        t->busy = 1;
        srv->metrics.checkins++;
        spur_writer_submit(srv->writer, r);
    }
out:
    spur_buf_free(&body);
    cJSON_Delete(root);
}

/* ---- hints ---- */

static void on_hint_committed(spur_rec_t *r)
{
    play_ctx_t *c = r->data;
    spur_api_note_commit(c->srv, r);
    if (r->status < 0) {
        spur_api_error(c->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    } else {
        spur_event_t ev = {.kind = SPUR_EV_HINT, .at = r->at, .puzzle = c->idx};
        spur_game_apply(c->game, c->team, &ev);
        spur_api_push_team(c->srv, c->game, c->team);
        c->srv->metrics.hints++;
        reply_json_text(c->req, r->result);
    }
    spur_api_unbusy(c->srv, c->team);
    free(c);
    spur_rec_free(r);
}

void spur_api_hint(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g, const char *pid)
{
    spur_team_t *t = spur_api_auth(g, req);
    int64_t at;
    int idx, err;
    const spur_puzzle_t *p;
    spur_buf_t body = {0};

    if (!t) {
        spur_api_error(req, SPUR_EUNAUTHORIZED, NULL);
        return;
    }
    if (req->body_len) { /* an optional empty object */
        static const char *const allowed[] = {NULL};
        cJSON *root = spur_api_body(req, allowed);
        if (!root)
            return;
        cJSON_Delete(root);
    }
    if (t->busy) {
        spur_api_park(srv, t, req);
        return;
    }
    if ((idx = spur_hunt_puzzle_index(g->hunt, pid)) < 0) {
        spur_api_error(req, SPUR_EUNKNOWN_PUZZLE, NULL);
        return;
    }
    spur_game_open_due(g, spur_api_received_ms(req)); /* no hint on a puzzle held open */
    if ((err = spur_api_when_counts(g->hunt, t, spur_api_received_ms(req), 0, &at)) < 0) {
        spur_api_error(req, err, NULL);
        return;
    }
    if (!spur_api_puzzle_open(req, g, t, idx, at))
        return;
    p = &g->hunt->puzzles[idx];
    if (t->prog[idx].hints >= p->nhints) {
        spur_api_error(req, SPUR_ENO_MORE_HINTS, NULL);
        return;
    }
    spur_buf_printf(&body, "{\"index\":%d,\"text\":", t->prog[idx].hints);
    spur_buf_json_str(&body, p->hints[t->prog[idx].hints].text);
    spur_buf_puts(&body, ",\"text_html\":"); /* sanitised at load: game/markdown.c */
    spur_buf_json_str(&body, p->hints[t->prog[idx].hints].text_html
                                 ? p->hints[t->prog[idx].hints].text_html
                                 : "");
    spur_buf_printf(&body, ",\"cost\":%d}", p->hints[t->prog[idx].hints].cost);
    {
        spur_rec_t *r = event_rec(g, t, "hint", at, 0, NULL);
        play_ctx_t *c = ctx_new(srv, g, t, req, idx);
        r->puzzle_id = spur_strdup(pid);
        r->result = spur_buf_steal(&body, NULL);
        r->done = on_hint_committed;
        r->data = c;
        t->busy = 1;
        spur_writer_submit(srv->writer, r);
    }
}

/* ---- scans ---- */

static void id_list(spur_buf_t *b, const spur_hunt_t *h, const int *idx, size_t n)
{
    spur_buf_puts(b, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            spur_buf_puts(b, ",");
        spur_buf_json_str(b, h->puzzles[idx[i]].id);
    }
    spur_buf_puts(b, "]");
}

/* "held": the locked scan puzzles here that the scan is kept for (they count as solved
 * the moment they open), with a message saying so. */
static void scan_body(spur_buf_t *b, const spur_game_t *g, int place, const int *solved,
                      size_t nsolved, const int *unlocked, size_t nunlocked, const int *held,
                      size_t nheld)
{
    const spur_hunt_t *h = g->hunt;
    spur_buf_puts(b, "{\"place\":");
    spur_buf_json_str(b, h->places[place].id);
    spur_buf_puts(b, ",\"place_name\":");
    spur_buf_json_str(b, h->places[place].name);
    spur_buf_puts(b, ",\"solved\":");
    id_list(b, h, solved, nsolved);
    spur_buf_puts(b, ",\"unlocked\":");
    id_list(b, h, unlocked, nunlocked);
    spur_buf_puts(b, ",\"held\":");
    id_list(b, h, held, nheld);
    if (nheld) {
        spur_buf_puts(b, ",\"message\":");
        spur_buf_json_str(b, msg(g, "Gespeichert: zählt, sobald die Aufgabe freigeschaltet ist.",
                                 "Saved: counts as soon as the puzzle opens."));
    }
    spur_buf_puts(b, "}");
}

static void on_scan_committed(spur_rec_t *r)
{
    play_ctx_t *c = r->data;
    char what[SPUR_ID_MAX + 8];
    spur_api_note_commit(c->srv, r);
    if (r->status < 0) {
        spur_api_error(c->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    } else {
        spur_event_t ev = {.kind = SPUR_EV_SCAN,
                           .at = r->at,
                           .place = c->idx,
                           .solved = c->solved,
                           .nsolved = c->nsolved};
        spur_game_apply(c->game, c->team, &ev);
        if (!c->nsolved) /* a solve changes the board, and its push tells the team */
            spur_api_push_team(c->srv, c->game, c->team);
        c->srv->metrics.scans_ok++;
        if (r->client_id)
            spur_game_result_put(c->game, c->team, r->client_id,
                                 what_of(what, sizeof(what), r->ev_kind, r->puzzle_id), 200,
                                 r->result);
        reply_json_text(c->req, r->result);
    }
    spur_api_unbusy(c->srv, c->team);
    free(c->solved);
    free(c);
    spur_rec_free(r);
}

void spur_api_scan(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    static const char *const allowed[] = {"code", "client_id", "made_at", NULL};
    spur_team_t *t = spur_api_auth(g, req);
    cJSON *root = NULL;
    const cJSON *code;
    char client_id[65];
    const char *what = "scan";
    int64_t made_at, at;
    int place, err;
    int *solved = NULL, *unlocked = NULL, *held = NULL;
    size_t nsolved = 0, nunlocked = 0, nheld;
    spur_buf_t body = {0};

    if (!t) {
        spur_api_error(req, SPUR_EUNAUTHORIZED, NULL);
        return;
    }
    if (!(root = spur_api_body(req, allowed)) ||
        spur_api_offline(req, root, client_id, &made_at) < 0)
        goto out;
    code = cJSON_GetObjectItemCaseSensitive(root, "code");
    if (!cJSON_IsString(code) || strlen(code->valuestring) > 128) {
        spur_api_error_msg(req, SPUR_EBAD_JSON, "\"code\" (Text) fehlt.",
                           "\"code\" (a string) is required.", NULL);
        goto out;
    }
    if (replay_result(req, g, t, client_id, what))
        goto out;
    if (t->busy) {
        spur_api_park(srv, t, req);
        goto out;
    }
    made_at = spur_api_clamp_made_at(t, made_at, spur_api_received_ms(req));
    if ((err = spur_api_when_counts(g->hunt, t, spur_api_received_ms(req), made_at, &at)) < 0) {
        spur_api_error(req, err, NULL);
        goto out;
    }
    if (!spur_api_codes_allowed(srv, req))
        goto out;
    if ((place = spur_game_place_by_code(g, code->valuestring)) < 0) {
        srv->metrics.scans_unknown++;
        spur_api_code_failed(srv, req);
        spur_api_error(req, SPUR_EUNKNOWN_CODE, NULL);
        goto out;
    }
    solved = spur_calloc(g->hunt->npuzzles + 1, sizeof(int));
    unlocked = spur_calloc(g->hunt->npuzzles + 1, sizeof(int));
    held = spur_calloc(g->hunt->npuzzles + 1, sizeof(int));
    spur_game_open_due(g, spur_api_received_ms(req)); /* judge against what has opened */
    spur_game_scan_plan(g, t, place, at, solved, &nsolved, unlocked, &nunlocked);
    nheld = spur_game_scan_holds(g, t, place, at, held);
    scan_body(&body, g, place, solved, nsolved, unlocked, nunlocked, held, nheld);
    if (t->scanned[place] && nsolved == 0) {
        /* Scanned before and nothing new: answer without keeping anything (a retry is
           judged again, the same way). */
        reply_json_text(req, body.data);
        goto out;
    }
    {
        spur_rec_t *r = event_rec(g, t, "scan", at, made_at, client_id);
        play_ctx_t *c = ctx_new(srv, g, t, req, place);
        r->place_id = spur_strdup(g->hunt->places[place].id);
        r->input = spur_strdup(code->valuestring);
        r->result = spur_buf_steal(&body, NULL);
        if (nsolved) {
            spur_buf_t ids = {0};
            for (size_t i = 0; i < nsolved; i++) {
                r->points += spur_game_solve_points(g, t, solved[i]);
                if (i)
                    spur_buf_puts(&ids, ",");
                spur_buf_puts(&ids, g->hunt->puzzles[solved[i]].id);
            }
            r->solved = spur_buf_steal(&ids, NULL);
        }
        c->solved = solved;
        c->nsolved = nsolved;
        solved = NULL;
        r->done = on_scan_committed;
        r->data = c;
        t->busy = 1;
        spur_writer_submit(srv->writer, r);
    }
out:
    free(solved);
    free(unlocked);
    free(held);
    spur_buf_free(&body);
    cJSON_Delete(root);
}

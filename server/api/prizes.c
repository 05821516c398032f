/* Prizes reaching their winners: a team leaves a contact with consent (PUT, and
 * takes it back with DELETE /me/contact), staff see the winners list with the
 * contacts, hand a prize out (redeem) or release an unclaimed one to the next
 * reserve.
 * Keeps true: a contact is stored only with consent, is read back only for the staff
 * winners list (on the thread pool, never kept in memory) and never appears in
 * leaderboards, exports, draw records or logs; a prize is handed out once; a reserve's
 * code becomes redeemable only when as many prizes were released as its rank. */
#include "api.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llhttp.h>

#include "core/err.h"
#include "core/json.h"
#include "core/log.h"
#include "core/qr.h"
#include "game/codes.h"

#define CONTACT_MAX 254 /* bytes: the longest e-mail address */

/* ---- the team's contact ---- */

/* An e-mail address: one '@', a local part of 1..64 printable bytes without spaces or
 * quotes, a domain with a dot and no empty label. Returns 1 when it looks like one. */
static int is_email(const char *s)
{
    const char *at = strchr(s, '@');
    size_t local;
    if (!at || strchr(at + 1, '@'))
        return 0;
    local = (size_t)(at - s);
    if (local < 1 || local > 64)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f || strchr("\"(),:;<>[\\]", *p))
            return 0;
    const char *d = at + 1;
    if (!strchr(d, '.') || *d == '.' || d[strlen(d) - 1] == '.' || strstr(d, ".."))
        return 0;
    return 1;
}

/* A phone number: digits with an optional leading '+' and the separators people
 * type (space / - . ( )); 6 to 15 digits (E.164 has at most 15). */
static int is_phone(const char *s)
{
    size_t digits = 0;
    for (const char *p = s; *p; p++) {
        if (isdigit((unsigned char)*p))
            digits++;
        else if (!(*p == '+' && p == s) && !strchr(" /-.()", *p))
            return 0;
    }
    return digits >= 6 && digits <= 15;
}

/* When the hunt's contacts are deleted (ms), or 0 when only `spur purge` does it. */
static int64_t purge_at_ms(const spur_hunt_t *h)
{
    if (!h->purge_after_days)
        return 0;
    return (h->ends_at + (int64_t)h->purge_after_days * 86400) * 1000;
}

typedef struct {
    spur_server_t *srv;
    spur_team_t *team;
    spur_http_req_t *req;
} contact_ctx_t;

static void on_contact_committed(spur_rec_t *r)
{
    contact_ctx_t *c = r->data;
    if (r->status < 0) {
        c->srv->metrics.commit_failures++;
        spur_api_error(c->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    } else {
        spur_buf_t b = {0};
        c->team->contact_given = r->input != NULL;
        spur_buf_printf(&b, "{\"contact_given\":%s}", r->input ? "true" : "false");
        spur_api_json(c->req, 200, "Cache-Control: no-store\r\n", &b);
        spur_buf_free(&b);
    }
    spur_api_unbusy(c->srv, c->team);
    free(c);
    spur_rec_free(r);
}

void spur_api_contact(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    static const char *const allowed[] = {"contact", "consent", NULL};
    spur_team_t *t = spur_api_auth(g, req);
    cJSON *root = NULL;
    char *contact = NULL;

    if (!t) {
        spur_api_error(req, SPUR_EUNAUTHORIZED, NULL);
        return;
    }
    if (!g->hunt->contact_ask) {
        spur_api_error(req, SPUR_ENO_CONTACT, NULL);
        return;
    }
    if (t->busy) {
        spur_api_park(srv, t, req);
        return;
    }
    if (req->method == HTTP_PUT && purge_at_ms(g->hunt) &&
        spur_api_received_ms(req) >= purge_at_ms(g->hunt)) {
        spur_api_error_msg(req, SPUR_EHUNT_OVER,
                           "Die Kontaktdaten dieses Spiels sind schon gelöscht; neue nehmen wir "
                           "nicht mehr an.",
                           "This hunt's contact data has been deleted; no new contacts are taken.",
                           NULL);
        return;
    }
    if (req->method == HTTP_PUT) {
        const cJSON *v, *consent;
        if (!(root = spur_api_body(req, allowed)))
            return;
        v = cJSON_GetObjectItemCaseSensitive(root, "contact");
        consent = cJSON_GetObjectItemCaseSensitive(root, "consent");
        if (!cJSON_IsTrue(consent)) {
            spur_api_error(req, SPUR_ECONSENT_REQUIRED, NULL);
            goto out;
        }
        if (cJSON_IsString(v)) { /* trimmed */
            const char *s = v->valuestring;
            size_t n = strlen(s);
            while (n && isspace((unsigned char)*s))
                s++, n--;
            while (n && isspace((unsigned char)s[n - 1]))
                n--;
            contact = spur_strndup(s, n);
        }
        if (!contact || strlen(contact) > CONTACT_MAX ||
            (!is_email(contact) && !is_phone(contact))) {
            spur_api_error(req, SPUR_EBAD_CONTACT, NULL);
            goto out;
        }
    }
    {
        spur_rec_t *r = spur_rec_new(SPUR_REC_CONTACT);
        contact_ctx_t *c = spur_calloc(1, sizeof(*c));
        r->hunt_id = spur_strdup(g->hunt->id);
        r->team_id = t->id;
        r->at = spur_now_ms();
        r->input = contact; /* NULL: withdrawn */
        contact = NULL;
        c->srv = srv;
        c->team = t;
        c->req = req;
        r->done = on_contact_committed;
        r->data = c;
        t->busy = 1;
        spur_writer_submit(srv->writer, r);
    }
out:
    free(contact);
    cJSON_Delete(root);
}

/* ---- the winners list ---- */

static void time_or_null(spur_buf_t *b, const char *key, int64_t ms)
{
    char when[32];
    spur_buf_printf(b, ",\"%s\":", key);
    if (!ms) {
        spur_buf_puts(b, "null");
        return;
    }
    spur_time_format_ms(ms, when, sizeof when);
    spur_buf_printf(b, "\"%s\"", when);
}

/* Whether the k-th entry of draw d (winners first, then reserves) may be handed out:
 * a winner, or a reserve that releases moved up; and it was not released itself. */
static int entry_redeemable(const spur_server_t *srv, const spur_draw_pub_t *d, size_t k,
                            const spur_claim_t *cl)
{
    if (cl && cl->released)
        return 0;
    return k < d->nwinners ||
           k - d->nwinners < spur_loaded_released(&srv->live, d->hunt_id, d->prize_id);
}

typedef struct {
    spur_dbq_t q;
    spur_game_t *game;
    int64_t *ids; /* the teams listed, whose contacts are read */
    char **contacts;
    size_t n;
} winners_q_t;

static int winners_run(sqlite3 *db, spur_dbq_t *q)
{
    winners_q_t *w = (winners_q_t *)q;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT data FROM contacts WHERE team_id = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    for (size_t i = 0; i < w->n; i++) {
        sqlite3_bind_int64(st, 1, w->ids[i]);
        if (sqlite3_step(st) == SQLITE_ROW)
            w->contacts[i] = spur_strdup((const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return 0;
}

static void winners_done(spur_dbq_t *q)
{
    winners_q_t *w = (winners_q_t *)q;
    spur_server_t *srv = q->srv;
    spur_game_t *g = w->game;
    spur_buf_t b = {0};
    size_t at = 0, shown = 0;

    if (q->rc < 0) {
        spur_api_error(q->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
        goto out;
    }
    spur_buf_puts(&b, "{\"prizes\":[");
    for (size_t i = 0; i < srv->live.ndraws; i++) {
        const spur_draw_pub_t *d = &srv->live.draws[i];
        if (strcmp(d->hunt_id, g->hunt->id) != 0)
            continue;
        spur_buf_puts(&b, shown++ ? ",{\"prize\":" : "{\"prize\":");
        spur_buf_json_str(&b, d->prize_id);
        spur_buf_puts(&b, ",\"name\":");
        spur_buf_json_str(&b, d->prize_name);
        spur_buf_printf(&b, ",\"released\":%zu,\"entries\":[",
                        spur_loaded_released(&srv->live, d->hunt_id, d->prize_id));
        for (size_t k = 0; k < d->nwinners + d->nreserves; k++, at++) {
            int64_t id = k < d->nwinners ? d->winners[k] : d->reserves[k - d->nwinners];
            const spur_team_t *t = spur_game_team_by_id(g, id);
            const spur_claim_t *cl = spur_loaded_claim(&srv->live, d->hunt_id, d->prize_id, id);
            char code[SPUR_SHORT_LEN + 1];
            spur_codes_claim_code(g->secret, g->hunt->id, d->prize_id, (long long)id, code);
            spur_buf_printf(
                &b, "%s{\"kind\":\"%s\",\"place\":%zu,\"team\":{\"id\":%" PRId64 ",\"name\":",
                k ? "," : "", k < d->nwinners ? "winner" : "reserve",
                k < d->nwinners ? k + 1 : k - d->nwinners + 1, id);
            spur_buf_json_str(&b, t ? t->name : "");
            spur_buf_printf(&b, "},\"claim_code\":\"%s\",\"contact\":", code);
            if (w->contacts[at])
                spur_buf_json_str(&b, w->contacts[at]);
            else
                spur_buf_puts(&b, "null");
            time_or_null(&b, "redeemed_at", cl && !cl->released ? cl->at : 0);
            time_or_null(&b, "released_at", cl && cl->released ? cl->at : 0);
            spur_buf_puts(&b, ",\"by\":");
            if (cl)
                spur_buf_json_str(&b, cl->who);
            else
                spur_buf_puts(&b, "null");
            spur_buf_printf(&b, ",\"redeemable\":%s}",
                            !cl && entry_redeemable(srv, d, k, cl) ? "true" : "false");
        }
        spur_buf_puts(&b, "]}");
    }
    spur_buf_puts(&b, "]}");
    spur_api_json(q->req, 200, "Cache-Control: no-store\r\n", &b);
    spur_buf_free(&b);
out:
    for (size_t i = 0; i < w->n; i++)
        free(w->contacts[i]);
    free(w->contacts);
    free(w->ids);
    free(w);
}

void spur_api_admin_winners(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    winners_q_t *w = spur_calloc(1, sizeof(*w));
    size_t n = 0;
    for (size_t i = 0; i < srv->live.ndraws; i++)
        if (strcmp(srv->live.draws[i].hunt_id, g->hunt->id) == 0)
            n += srv->live.draws[i].nwinners + srv->live.draws[i].nreserves;
    w->ids = spur_calloc(n + 1, sizeof(*w->ids));
    w->contacts = spur_calloc(n + 1, sizeof(*w->contacts));
    for (size_t i = 0; i < srv->live.ndraws; i++) {
        const spur_draw_pub_t *d = &srv->live.draws[i];
        if (strcmp(d->hunt_id, g->hunt->id) != 0)
            continue;
        for (size_t k = 0; k < d->nwinners; k++)
            w->ids[w->n++] = d->winners[k];
        for (size_t k = 0; k < d->nreserves; k++)
            w->ids[w->n++] = d->reserves[k];
    }
    w->game = g;
    w->q.req = req;
    w->q.run = winners_run;
    w->q.done = winners_done;
    spur_api_db_query(srv, &w->q);
}

/* ---- handing out and releasing ---- */

typedef struct {
    spur_server_t *srv;
    spur_http_req_t *req;
    spur_game_t *game;
    size_t reserve_rank;
} handover_ctx_t;

static void reply_claim(spur_buf_t *b, const spur_game_t *g, const spur_rec_t *r, const char *code)
{
    const spur_team_t *t = spur_game_team_by_id(g, r->team_id);
    int pi = spur_hunt_prize_index(g->hunt, r->prize_id);
    spur_buf_printf(b, "{\"code\":\"%s\",\"prize\":", code);
    spur_buf_json_str(b, r->prize_id);
    spur_buf_puts(b, ",\"prize_name\":");
    spur_buf_json_str(b, pi >= 0 ? g->hunt->prizes[pi].name : r->prize_id);
    spur_buf_printf(b, ",\"team\":{\"id\":%" PRId64 ",\"name\":", r->team_id);
    spur_buf_json_str(b, t ? t->name : "");
    spur_buf_puts(b, "}");
}

static void on_handover_committed(spur_rec_t *r)
{
    handover_ctx_t *c = r->data;
    spur_server_t *srv = c->srv;
    spur_buf_t b = {0};
    char code[SPUR_SHORT_LEN + 1], when[32];

    spur_codes_claim_code(c->game->secret, r->hunt_id, r->prize_id, (long long)r->team_id, code);
    spur_time_format_ms(r->at, when, sizeof when);
    if (r->status == 0) {
        spur_loaded_add_claim(&srv->live, r->hunt_id, r->prize_id, r->team_id, r->claim == 2, r->at,
                              r->who);
        spur_info("staff %s %s prize %s/%s of team %" PRId64, r->who,
                  r->claim == 2 ? "released" : "handed out", r->hunt_id, r->prize_id, r->team_id);
        reply_claim(&b, c->game, r, code);
        spur_buf_printf(&b, ",\"%s\":\"%s\"}", r->claim == 2 ? "released_at" : "redeemed_at", when);
        spur_api_json(c->req, 200, "Cache-Control: no-store\r\n", &b);
    } else if (r->status == -2) { /* done before (by someone else at the next desk) */
        const spur_claim_t *cl = spur_loaded_claim(&srv->live, r->hunt_id, r->prize_id, r->team_id);
        int released = cl && cl->released;
        spur_buf_printf(
            &b, "{\"error\":\"%s\",\"message\":", released ? "not_redeemable" : "already_redeemed");
        spur_buf_json_str(
            &b, released ? spur_api_msg(c->req, "Dieser Preis wurde freigegeben.",
                                        "This prize was released.")
                         : spur_err_message(SPUR_EALREADY_REDEEMED, c->req->lang == SPUR_LANG_EN));
        spur_buf_printf(&b, ",\"%s\":\"%s\"}", released ? "released_at" : "redeemed_at", when);
        spur_api_json(c->req, 409, "Cache-Control: no-store\r\n", &b);
    } else {
        srv->metrics.commit_failures++;
        spur_api_error(c->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    }
    spur_buf_free(&b);
    free(c);
    spur_rec_free(r);
}

void spur_api_admin_handover(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                             const char *code, int release)
{
    char canon[9];
    const spur_draw_pub_t *d;
    const spur_claim_t *cl;
    int64_t team = 0;
    size_t rank = 0, k;

    if (!(d = spur_api_claim_of(srv, req, g, code, canon, &team, &rank)))
        return;
    k = rank ? d->nwinners + rank - 1 : 0;
    cl = spur_loaded_claim(&srv->live, d->hunt_id, d->prize_id, team);
    if (!cl && !entry_redeemable(srv, d, k, cl)) {
        spur_api_error(req, SPUR_ENOT_REDEEMABLE, NULL);
        return;
    }
    if (!cl && release &&
        spur_loaded_released(&srv->live, d->hunt_id, d->prize_id) >= d->nreserves) {
        spur_api_error(req, SPUR_ENO_RESERVE, NULL);
        return;
    }
    if (!spur_api_staff_log_take(srv, req))
        return;
    {
        /* Also a second hand-over goes through the writer: the claims table's primary
           key answers it (409 with the time of the first), whichever desk was first. */
        spur_rec_t *r = spur_api_staff_rec(SPUR_REC_STAFF, req, g, release ? "release" : "redeem");
        handover_ctx_t *c = spur_calloc(1, sizeof(*c));
        r->prize_id = spur_strdup(d->prize_id);
        r->team_id = team;
        r->claim = release ? 2 : 1;
        r->detail = spur_asprintf("{\"prize\":\"%s\",\"reserve_rank\":%zu}", d->prize_id, rank);
        c->srv = srv;
        c->req = req;
        c->game = g;
        c->reserve_rank = rank;
        r->done = on_handover_committed;
        r->data = c;
        spur_writer_submit(srv->writer, r);
    }
}

/* ---- the claim QR ---- */

void spur_api_claim_svg(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    spur_team_t *t = spur_api_auth(g, req);
    const char *v;
    int n = spur_http_query(req, "prize", &v);
    char prize[SPUR_ID_MAX + 1], code[SPUR_SHORT_LEN + 1], canon[9];
    const spur_draw_pub_t *d = NULL;
    int64_t team = 0;
    size_t rank;
    spur_buf_t b = {0};
    char *url;

    if (!t) {
        spur_api_error(req, SPUR_EUNAUTHORIZED, NULL);
        return;
    }
    if (n > 0 && n <= SPUR_ID_MAX) {
        memcpy(prize, v, (size_t)n);
        prize[n] = '\0';
        spur_codes_claim_code(g->secret, g->hunt->id, prize, (long long)t->id, code);
        if (spur_codes_short_canon(code, canon) == 0)
            d = spur_api_find_claim(srv, g, canon, &team, &rank);
    }
    if (!d || team != t->id || strcmp(d->prize_id, prize) != 0) {
        spur_api_error_msg(req, SPUR_EUNKNOWN_PRIZE, "Euer Team hat diesen Preis nicht gewonnen.",
                           "Your team did not win this prize.", NULL);
        return;
    }
    /* The staff member's own camera app opens the desk with the code filled in. */
    url = spur_asprintf("%s/staff/?hunt=%s#claim=%s", srv->base_url, g->hunt->id, code);
    if (spur_qr_svg(url, 'M', &b) == 0)
        spur_http_reply(req, 200, "image/svg+xml", "Cache-Control: private, max-age=3600\r\n",
                        b.data, b.len);
    else
        spur_api_error(req, SPUR_EBAD_REQUEST, NULL);
    free(url);
    spur_buf_free(&b);
}

/* ---- contacts deleted purge_after_days after the end ---- */

static void on_purged(spur_rec_t *r)
{
    spur_server_t *srv = r->data;
    spur_game_t *g = spur_api_game(srv, r->hunt_id);
    if (r->status < 0) {
        srv->metrics.commit_failures++;
        spur_error("deleting the contact data of %s failed; tried again in a minute", r->hunt_id);
    } else {
        spur_info("deleted the contact data of %lld team(s) of %s (purge_after_days)",
                  (long long)r->deleted, r->hunt_id);
    }
    /* on success every flag goes; on failure the next check (gx reset below) tries again */
    for (size_t i = 0; g && i < srv->live.ngames; i++)
        if (srv->live.games[i] == g) {
            srv->gx[i].purge = r->status < 0 ? 0 : 2;
            srv->gx[i].purge_next_ms = spur_now_ms() + 60000;
            if (r->status == 0)
                for (size_t k = 0; k < g->nteams; k++)
                    g->teams[k]->contact_given = 0;
        }
    spur_rec_free(r);
}

void spur_api_purge_due(spur_server_t *srv, size_t i, int64_t now_ms)
{
    spur_game_t *g = srv->live.games[i];
    spur_gx_t *x = &srv->gx[i];
    int64_t at = purge_at_ms(g->hunt);
    size_t k;

    if (x->purge || !at || now_ms < at || now_ms < x->purge_next_ms)
        return;
    for (k = 0; k < g->nteams && !g->teams[k]->contact_given; k++)
        ;
    if (k == g->nteams) {
        x->purge = 2; /* nothing to delete (a reload checks once more) */
        return;
    }
    {
        spur_rec_t *r = spur_rec_new(SPUR_REC_PURGE);
        r->hunt_id = spur_strdup(g->hunt->id);
        r->at = now_ms;
        r->action = "purge_contacts";
        r->who = spur_strdup("spurd (purge_after_days)");
        r->addr = spur_strdup("");
        r->done = on_purged;
        r->data = srv;
        x->purge = 1;
        spur_writer_submit(srv->writer, r);
    }
}

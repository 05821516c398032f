/* Routing: splits the decoded path into segments, checks the method (405 with
 * Allow), the media type of bodies (415) and the body limit per route, then
 * calls the handler. Also the small helpers every handler shares. */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <llhttp.h>
#include <sodium.h>

#include "core/err.h"
#include "core/log.h"
#include "game/codes.h"
#include "media/picture.h"

#define MAX_SEGS 8
/* Writes waiting for their commit beyond which new ones get 503 (about a second of
 * the slowest disk we expect; the writer commits them all in a few batches). */
#define MAX_PENDING_WRITES 20000

int64_t spur_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t spur_api_received_ms(const spur_http_req_t *req)
{
    uint64_t now_ns = uv_hrtime();
    uint64_t age_ms = now_ns > req->start_ns ? (now_ns - req->start_ns) / 1000000 : 0;
    return spur_now_ms() - (int64_t)age_ms;
}

spur_game_t *spur_api_game(spur_server_t *srv, const char *hunt_id)
{
    for (size_t i = 0; i < srv->live.ngames; i++)
        if (strcmp(srv->live.games[i]->hunt->id, hunt_id) == 0)
            return srv->live.games[i];
    return NULL;
}

void spur_api_error_msg(spur_http_req_t *req, int err, const char *de, const char *en,
                        const char *extra_headers)
{
    const char *m = req->lang == SPUR_LANG_EN ? en : de;
    spur_http_reply_error(req, spur_err_status(err), spur_err_name(err),
                          m ? m : spur_err_message(err, req->lang == SPUR_LANG_EN), extra_headers);
}

void spur_api_error(spur_http_req_t *req, int err, const char *extra_headers)
{
    spur_api_error_msg(req, err, NULL, NULL, extra_headers);
}

const char *spur_api_msg(const spur_http_req_t *req, const char *de, const char *en)
{
    return req->lang == SPUR_LANG_EN ? en : de;
}

/* The language Accept-Language prefers among German and English (the highest q, the
 * first of equals), or -1 when it names neither. */
static int accept_language(const spur_http_req_t *req)
{
    const char *v = spur_http_header(req, "Accept-Language");
    int best = -1;
    double best_q = 0;
    while (v && *v) {
        const char *end = strchr(v, ',');
        size_t n = end ? (size_t)(end - v) : strlen(v);
        const char *semi = memchr(v, ';', n);
        double q = 1;
        int lang = -1;
        while (n && (*v == ' ' || *v == '\t'))
            v++, n--;
        if (n >= 2 && strncasecmp(v, "de", 2) == 0 && (n == 2 || v[2] == '-' || v[2] == ';'))
            lang = SPUR_LANG_DE;
        else if (n >= 2 && strncasecmp(v, "en", 2) == 0 && (n == 2 || v[2] == '-' || v[2] == ';'))
            lang = SPUR_LANG_EN;
        if (semi) {
            const char *qp = strstr(semi, "q=");
            if (qp && qp < v + n)
                q = strtod(qp + 2, NULL);
        }
        if (lang >= 0 && q > best_q)
            best = lang, best_q = q;
        v = end ? end + 1 : NULL;
    }
    return best;
}

void spur_api_json(spur_http_req_t *req, int status, const char *extra_headers,
                   const spur_buf_t *body)
{
    spur_http_reply(req, status, "application/json; charset=utf-8", extra_headers,
                    body->data ? body->data : "", body->len);
}

/* Tokens are 43 base64url characters; anything else is not looked up. */
static int token_hash(const char *tok, size_t n, unsigned char out[32])
{
    if (n < 16 || n > 64)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = tok[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return -1;
    }
    spur_codes_hash(tok, n, out);
    return 0;
}

spur_team_t *spur_api_auth(spur_game_t *g, const spur_http_req_t *req)
{
    const char *auth = spur_http_header(req, "authorization");
    unsigned char hash[32];
    char cookie[80];
    int n;

    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        const char *tok = auth + 7;
        while (*tok == ' ')
            tok++;
        if (token_hash(tok, strlen(tok), hash) == 0)
            return spur_map_get(&g->by_token, (const char *)hash, 32);
        return NULL;
    }
    n = spur_http_cookie(req, "spur_token", cookie, sizeof(cookie));
    if (n > 0 && token_hash(cookie, (size_t)n, hash) == 0)
        return spur_map_get(&g->by_token, (const char *)hash, 32);
    return NULL;
}

int spur_api_is_staff(const spur_server_t *srv, const spur_http_req_t *req)
{
    const char *auth = spur_http_header(req, "authorization");
    unsigned char a[32];

    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0)
        return 0;
    /* Compare hashes in constant time, so neither length nor content leaks. */
    crypto_hash_sha256(a, (const unsigned char *)auth + 7, strlen(auth + 7));
    return sodium_memcmp(a, srv->admin_hash, 32) == 0;
}

void spur_api_park(spur_server_t *srv, spur_team_t *t, spur_http_req_t *req)
{
    spur_parked_t *p = spur_malloc(sizeof(*p));
    p->req = req;
    p->next = NULL;
    if (t && !srv->reloading) {
        spur_parked_t *tail = t->parked_tail;
        if (tail)
            tail->next = p;
        else
            t->parked_head = p;
        t->parked_tail = p;
    } else {
        if (srv->parked_tail)
            srv->parked_tail->next = p;
        else
            srv->parked_head = p;
        srv->parked_tail = p;
    }
}

void spur_api_unbusy(spur_server_t *srv, spur_team_t *t)
{
    t->busy = 0;
    /* Handle parked requests until one of them makes the team busy again. */
    while (!t->busy && t->parked_head) {
        spur_parked_t *p = t->parked_head;
        t->parked_head = p->next;
        if (!t->parked_head)
            t->parked_tail = NULL;
        spur_http_req_t *req = p->req;
        free(p);
        if (srv->reloading) {
            spur_api_park(srv, NULL, req);
            continue;
        }
        spur_api_handle(req, srv);
    }
}

/* ---- routing ---- */

typedef struct {
    spur_route_t route;
    const char *allow; /* "GET, HEAD" or "POST" */
} route_info_t;

static int split(char *path, char **segs)
{
    int n = 0;
    char *p = path;
    while (*p == '/')
        p++;
    while (*p && n < MAX_SEGS) {
        segs[n++] = p;
        char *slash = strchr(p, '/');
        if (!slash)
            break;
        *slash = '\0';
        p = slash + 1;
    }
    if (*p && n == MAX_SEGS && strchr(p, '/'))
        return -1;
    return n;
}

/* Whether req's method is in the route's Allow list ("GET, HEAD", "PUT, DELETE"). */
static int method_ok(const spur_http_req_t *req, const char *allow)
{
    size_t n = strlen(req->method_name);
    for (const char *p = allow; (p = strstr(p, req->method_name)) != NULL; p += n)
        if ((p == allow || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

/* Everything but GET and HEAD changes something. */
static int is_write(const spur_http_req_t *req)
{
    return req->method != HTTP_GET && req->method != HTTP_HEAD;
}

static int json_body_ok(const spur_http_req_t *req)
{
    const char *ct = spur_http_header(req, "content-type");
    size_t n = strlen("application/json");
    if (!ct || strncasecmp(ct, "application/json", n) != 0)
        return 0;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* Copies the path so segments can be cut in place. */
static void dispatch(spur_server_t *srv, spur_http_req_t *req)
{
    char path[1024];
    char *s[MAX_SEGS];
    int n;
    route_info_t ri = {SPUR_ROUTE_OTHER, "GET, HEAD"};
    spur_game_t *g = NULL;

    int al = accept_language(req);

    req->lang = al >= 0 ? al : SPUR_LANG_DE;
    if (strlen(req->path) >= sizeof(path)) {
        spur_api_error(req, SPUR_ENOT_FOUND, NULL);
        return;
    }
    strcpy(path, req->path);
    n = split(path, s);
    if (n < 0)
        goto not_found;

    if (n == 0 || strcmp(s[0], "api") != 0) {
        /* Operations, scan landing page and the web app's files. */
        if (n == 1 && strcmp(s[0], "healthz") == 0)
            ri.route = SPUR_ROUTE_HEALTHZ;
        else if (n == 1 && strcmp(s[0], "metrics") == 0)
            ri.route = SPUR_ROUTE_METRICS;
        else if (n == 2 && strcmp(s[0], "s") == 0)
            ri.route = SPUR_ROUTE_SCAN_PAGE;
        else
            ri.route = SPUR_ROUTE_STATIC;
        req->route_data = (void *)(uintptr_t)ri.route;
        if (!method_ok(req, ri.allow)) {
            spur_api_error(req, SPUR_EMETHOD, "Allow: GET, HEAD\r\n");
            return;
        }
        switch (ri.route) {
        case SPUR_ROUTE_HEALTHZ:
            spur_http_reply(req, 200, "text/plain; charset=utf-8", "Cache-Control: no-store\r\n",
                            "ok\n", 3);
            return;
        case SPUR_ROUTE_METRICS:
            spur_api_metrics(srv, req);
            return;
        case SPUR_ROUTE_SCAN_PAGE:
            /* The phone camera opens this: the web app records the scan. */
            if (!srv->assets || spur_static_serve(srv->assets, req, "/index.html") != 0)
                spur_api_error(req, SPUR_ENOT_FOUND, NULL);
            return;
        default:
            if (srv->assets && spur_static_serve(srv->assets, req, req->path) == 0)
                return;
            if (srv->leaflet &&
                strncmp(req->path, SPUR_LEAFLET_PATH "/", sizeof SPUR_LEAFLET_PATH) == 0 &&
                spur_static_serve(srv->leaflet, req, req->path + strlen(SPUR_LEAFLET_PATH)) == 0)
                return;
            /* The big screen's address names the hunt (/screen/{h}): one page for every
               hunt, which reads the id from its address. Its own files come first. */
            if (n == 2 && strcmp(s[0], "screen") == 0 && srv->assets &&
                spur_static_serve(srv->assets, req, "/screen/index.html") == 0)
                return;
            goto not_found;
        }
    }

    /* /api/... */
    if (n == 2 && strcmp(s[1], "hunts") == 0) {
        ri.route = SPUR_ROUTE_HUNTS;
    } else if (n == 3 && strcmp(s[1], "codes") == 0) {
        ri.route = SPUR_ROUTE_CODES;
    } else if (n >= 3 && strcmp(s[1], "hunts") == 0) {
        const char *sub = n >= 4 ? s[3] : "";
        if (n == 3)
            ri.route = SPUR_ROUTE_HUNT;
        else if (n == 4 && strcmp(sub, "teams") == 0)
            ri = (route_info_t){SPUR_ROUTE_TEAMS, "POST"};
        else if (n == 4 && strcmp(sub, "join") == 0)
            ri = (route_info_t){SPUR_ROUTE_JOIN, "POST"};
        else if (n == 4 && strcmp(sub, "me") == 0)
            ri.route = SPUR_ROUTE_ME;
        else if (n == 4 && strcmp(sub, "join.svg") == 0)
            ri.route = SPUR_ROUTE_HUNT_JOIN_SVG;
        else if (n == 5 && strcmp(sub, "media") == 0)
            ri.route = SPUR_ROUTE_MEDIA;
        else if (n == 5 && strcmp(sub, "me") == 0 && strcmp(s[4], "join.svg") == 0)
            ri.route = SPUR_ROUTE_JOIN_SVG;
        else if (n == 5 && strcmp(sub, "me") == 0 && strcmp(s[4], "claim.svg") == 0)
            ri.route = SPUR_ROUTE_CLAIM_SVG;
        else if (n == 5 && strcmp(sub, "me") == 0 && strcmp(s[4], "contact") == 0)
            ri = (route_info_t){SPUR_ROUTE_CONTACT, "PUT, DELETE"};
        else if (n == 4 && strcmp(sub, "puzzles") == 0)
            ri.route = SPUR_ROUTE_PUZZLES;
        else if (n == 6 && strcmp(sub, "puzzles") == 0 && strcmp(s[5], "answer") == 0)
            ri = (route_info_t){SPUR_ROUTE_ANSWER, "POST"};
        else if (n == 6 && strcmp(sub, "puzzles") == 0 && strcmp(s[5], "checkin") == 0)
            ri = (route_info_t){SPUR_ROUTE_CHECKIN, "POST"};
        else if (n == 6 && strcmp(sub, "puzzles") == 0 && strcmp(s[5], "photo") == 0)
            ri = (route_info_t){SPUR_ROUTE_PHOTO, "POST"};
        else if (n == 5 && strcmp(sub, "photos") == 0)
            ri.route = SPUR_ROUTE_PHOTO_FILE;
        else if (n == 4 && strcmp(sub, "photos") == 0)
            ri.route = SPUR_ROUTE_SCREEN_PHOTOS;
        else if (n == 6 && strcmp(sub, "puzzles") == 0 && strcmp(s[5], "hints") == 0)
            ri = (route_info_t){SPUR_ROUTE_HINTS, "POST"};
        else if (n == 4 && strcmp(sub, "scan") == 0)
            ri = (route_info_t){SPUR_ROUTE_SCAN, "POST"};
        else if (n == 4 && strcmp(sub, "leaderboard") == 0)
            ri.route = SPUR_ROUTE_LEADERBOARD;
        else if (n == 4 && strcmp(sub, "events") == 0)
            ri.route = SPUR_ROUTE_EVENTS;
        else if (n == 4 && strcmp(sub, "draw") == 0)
            ri.route = SPUR_ROUTE_DRAW;
        else if (n == 4 && strcmp(sub, "decode") == 0)
            ri = (route_info_t){SPUR_ROUTE_DECODE, "POST"};
        else if (n == 4 && strcmp(sub, "announcements") == 0)
            ri.route = SPUR_ROUTE_ANNOUNCEMENTS;
        else
            goto not_found;
    } else if (n == 3 && strcmp(s[1], "admin") == 0 && strcmp(s[2], "check") == 0) {
        ri = (route_info_t){SPUR_ROUTE_ADMIN_CHECK, "POST"};
    } else if (n == 3 && strcmp(s[1], "admin") == 0 && strcmp(s[2], "preview") == 0) {
        ri = (route_info_t){SPUR_ROUTE_ADMIN_PREVIEW, "POST"};
    } else if (n == 3 && strcmp(s[1], "admin") == 0 && strcmp(s[2], "hunts") == 0) {
        ri = (route_info_t){SPUR_ROUTE_ADMIN_CREATE, "POST"};
    } else if (n == 6 && strcmp(s[1], "admin") == 0 && strcmp(s[2], "hunts") == 0 &&
               strcmp(s[4], "versions") == 0) {
        ri.route = SPUR_ROUTE_ADMIN_VERSIONS;
    } else if (n == 6 && strcmp(s[1], "admin") == 0 && strcmp(s[2], "hunts") == 0 &&
               strcmp(s[4], "print") == 0) {
        ri.route = SPUR_ROUTE_ADMIN_PRINT;
    } else if (n == 6 && strcmp(s[1], "admin") == 0 && strcmp(s[2], "hunts") == 0 &&
               strcmp(s[4], "claims") == 0) {
        ri.route = SPUR_ROUTE_ADMIN_CLAIM;
    } else if (n == 7 && strcmp(s[1], "admin") == 0 && strcmp(s[2], "hunts") == 0 &&
               strcmp(s[4], "claims") == 0 && strcmp(s[6], "redeem") == 0) {
        ri = (route_info_t){SPUR_ROUTE_ADMIN_REDEEM, "POST"};
    } else if (n == 7 && strcmp(s[1], "admin") == 0 && strcmp(s[2], "hunts") == 0 &&
               strcmp(s[4], "claims") == 0 && strcmp(s[6], "release") == 0) {
        ri = (route_info_t){SPUR_ROUTE_ADMIN_RELEASE, "POST"};
    } else if (n == 7 && strcmp(s[1], "admin") == 0 && strcmp(s[2], "hunts") == 0 &&
               strcmp(s[4], "photos") == 0 && strcmp(s[6], "review") == 0) {
        ri = (route_info_t){SPUR_ROUTE_ADMIN_PHOTO_REVIEW, "POST"};
    } else if (n == 6 && strcmp(s[1], "admin") == 0 && strcmp(s[2], "hunts") == 0 &&
               strcmp(s[4], "teams") == 0) {
        ri = (route_info_t){SPUR_ROUTE_ADMIN_TEAM, "PATCH"};
    } else if (n == 6 && strcmp(s[1], "admin") == 0 && strcmp(s[2], "hunts") == 0 &&
               strcmp(s[4], "announcements") == 0) {
        ri = (route_info_t){SPUR_ROUTE_ADMIN_ANNOUNCEMENT, "DELETE"};
    } else if (n == 5 && strcmp(s[1], "admin") == 0 && strcmp(s[2], "hunts") == 0) {
        if (strcmp(s[4], "teams") == 0)
            ri.route = SPUR_ROUTE_ADMIN_TEAMS;
        else if (strcmp(s[4], "test-teams") == 0)
            ri = (route_info_t){SPUR_ROUTE_ADMIN_TEST_TEAMS, "DELETE"};
        else if (strcmp(s[4], "log") == 0)
            ri.route = SPUR_ROUTE_ADMIN_LOG;
        else if (strcmp(s[4], "source") == 0)
            ri = (route_info_t){SPUR_ROUTE_ADMIN_SOURCE, "GET, HEAD, PUT"};
        else if (strcmp(s[4], "versions") == 0)
            ri.route = SPUR_ROUTE_ADMIN_VERSIONS;
        else if (strcmp(s[4], "media") == 0)
            ri = (route_info_t){SPUR_ROUTE_ADMIN_MEDIA, "GET, HEAD, POST"};
        else if (strcmp(s[4], "flags") == 0)
            ri.route = SPUR_ROUTE_ADMIN_FLAGS;
        else if (strcmp(s[4], "photos") == 0)
            ri.route = SPUR_ROUTE_ADMIN_PHOTOS;
        else if (strcmp(s[4], "winners") == 0)
            ri.route = SPUR_ROUTE_ADMIN_WINNERS;
        else if (strcmp(s[4], "stats") == 0)
            ri.route = SPUR_ROUTE_ADMIN_STATS;
        else if (strcmp(s[4], "draw") == 0)
            ri = (route_info_t){SPUR_ROUTE_ADMIN_DRAW, "POST"};
        else if (strcmp(s[4], "export.csv") == 0)
            ri.route = SPUR_ROUTE_ADMIN_EXPORT;
        else if (strcmp(s[4], "export.xlsx") == 0)
            ri.route = SPUR_ROUTE_ADMIN_EXPORT_XLSX;
        else if (strcmp(s[4], "announcements") == 0)
            ri = (route_info_t){SPUR_ROUTE_ADMIN_ANNOUNCE, "POST"};
        else
            goto not_found;
    } else {
        goto not_found;
    }
    req->route_data = (void *)(uintptr_t)ri.route;

    if (!method_ok(req, ri.allow)) {
        char allow[64];
        snprintf(allow, sizeof(allow), "Allow: %s\r\n", ri.allow);
        spur_api_error(req, SPUR_EMETHOD, allow);
        return;
    }
    if (ri.route == SPUR_ROUTE_ADMIN_MEDIA && req->method == HTTP_POST) {
        const char *ct = spur_http_header(req, "content-type");
        if (!ct || strncasecmp(ct, "image/", 6) != 0) {
            spur_api_error_msg(req, SPUR_EMEDIA_TYPE,
                               "Das Bild bitte als image/jpeg, image/png oder image/webp senden.",
                               "Send the picture as image/jpeg, image/png or image/webp.", NULL);
            return;
        }
    } else if (ri.route == SPUR_ROUTE_DECODE || ri.route == SPUR_ROUTE_PHOTO
                   ? !spur_api_is_jpeg(req)
                   : is_write(req) && req->body_len > 0 && !json_body_ok(req)) {
        if (ri.route == SPUR_ROUTE_DECODE || ri.route == SPUR_ROUTE_PHOTO)
            spur_api_error_msg(req, SPUR_EMEDIA_TYPE, "Das Foto bitte als image/jpeg senden.",
                               "Send the photo as image/jpeg.", NULL);
        else
            spur_api_error(req, SPUR_EMEDIA_TYPE, NULL);
        return;
    }
    if (is_write(req) && ri.route != SPUR_ROUTE_DECODE && ri.route != SPUR_ROUTE_ADMIN_CHECK &&
        ri.route != SPUR_ROUTE_ADMIN_PREVIEW &&
        spur_writer_pending(srv->writer) >= MAX_PENDING_WRITES) {
        /* The disk is not keeping up: say so now rather than queue without bound. */
        srv->metrics.overloaded++;
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 1\r\n");
        return;
    }
    if (ri.route >= SPUR_ROUTE_ADMIN_STATS && !spur_api_is_staff(srv, req)) {
        /* A staff token set by hand may be short: wrong ones count as wrong codes. The
           valid one is checked first, so no address limit ever locks staff out. */
        if (spur_api_codes_allowed(srv, req)) {
            spur_api_code_failed(srv, req);
            spur_api_error_msg(req, SPUR_EUNAUTHORIZED, "Ein gültiges Staff-Token ist nötig.",
                               "A valid staff token is required.", "WWW-Authenticate: Bearer\r\n");
        }
        return;
    }
    if (ri.route == SPUR_ROUTE_ADMIN_CHECK) {
        /* a check reads no game and writes nothing: no hunt to look up, no reload to
           wait for */
        spur_api_admin_check(srv, req);
        return;
    }
    if (ri.route == SPUR_ROUTE_ADMIN_PREVIEW) {
        spur_api_admin_preview(srv, req);
        return;
    }
    if (ri.route == SPUR_ROUTE_ADMIN_CREATE) {
        /* a new hunt has no game yet; its save waits for no reload but refuses to run
           beside one (source.c) */
        spur_api_admin_create(srv, req);
        return;
    }
    if (is_write(req) && srv->reloading) {
        /* During a reload (SIGHUP) the games are about to be replaced: every write
           waits and is handled, validation and all, on the new state. */
        spur_api_park(srv, NULL, req);
        return;
    }
    if (ri.route == SPUR_ROUTE_HUNTS) {
        spur_api_hunts(srv, req);
        return;
    }
    if (ri.route == SPUR_ROUTE_CODES) {
        spur_api_codes(srv, req, s[2]);
        return;
    }
    g = spur_api_game(srv, ri.route >= SPUR_ROUTE_ADMIN_STATS ? s[3] : s[2]);
    if (!g) {
        spur_api_error(req, SPUR_EUNKNOWN_HUNT, NULL);
        return;
    }
    if (al < 0 && g->hunt->language && strcmp(g->hunt->language, "en") == 0)
        req->lang = SPUR_LANG_EN; /* no preference sent: the hunt's language */
    switch (ri.route) {
    case SPUR_ROUTE_HUNT:
        spur_api_hunt(srv, req, g);
        break;
    case SPUR_ROUTE_TEAMS:
        spur_api_create_team(srv, req, g);
        break;
    case SPUR_ROUTE_JOIN:
        spur_api_join(srv, req, g);
        break;
    case SPUR_ROUTE_ME:
        spur_api_me(srv, req, g);
        break;
    case SPUR_ROUTE_CLAIM_SVG:
        spur_api_claim_svg(srv, req, g);
        break;
    case SPUR_ROUTE_JOIN_SVG:
        spur_api_join_svg(srv, req, g);
        break;
    case SPUR_ROUTE_HUNT_JOIN_SVG:
        spur_api_hunt_join_svg(srv, req, g);
        break;
    case SPUR_ROUTE_MEDIA:
        spur_api_media(srv, req, g, s[4]);
        break;
    case SPUR_ROUTE_PUZZLES:
        spur_api_puzzles(srv, req, g);
        break;
    case SPUR_ROUTE_ANSWER:
        spur_api_answer(srv, req, g, s[4]);
        break;
    case SPUR_ROUTE_HINTS:
        spur_api_hint(srv, req, g, s[4]);
        break;
    case SPUR_ROUTE_CHECKIN:
        spur_api_checkin(srv, req, g, s[4]);
        break;
    case SPUR_ROUTE_SCAN:
        spur_api_scan(srv, req, g);
        break;
    case SPUR_ROUTE_LEADERBOARD:
        spur_api_leaderboard(srv, req, g);
        break;
    case SPUR_ROUTE_EVENTS:
        spur_api_events(srv, req, g);
        break;
    case SPUR_ROUTE_DRAW:
        spur_api_draw(srv, req, g);
        break;
    case SPUR_ROUTE_DECODE:
        spur_api_decode(srv, req, g);
        break;
    case SPUR_ROUTE_PHOTO:
        spur_api_photo_upload(srv, req, g, s[4]);
        break;
    case SPUR_ROUTE_PHOTO_FILE:
        spur_api_photo_file(srv, req, g, s[4]);
        break;
    case SPUR_ROUTE_SCREEN_PHOTOS:
        spur_api_screen_photos(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_PHOTOS:
        spur_api_admin_photos(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_PHOTO_REVIEW:
        spur_api_admin_photo_review(srv, req, g, s[5]);
        break;
    case SPUR_ROUTE_ADMIN_STATS:
        spur_api_admin_stats(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_EXPORT:
        spur_api_admin_export(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_EXPORT_XLSX:
        spur_api_admin_export_xlsx(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_DRAW:
        spur_api_admin_draw(srv, req, g);
        break;
    case SPUR_ROUTE_CONTACT:
        spur_api_contact(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_TEAMS:
        spur_api_admin_teams(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_TEAM:
        spur_api_admin_team_edit(srv, req, g, s[5]);
        break;
    case SPUR_ROUTE_ADMIN_TEST_TEAMS:
        spur_api_admin_delete_test_teams(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_LOG:
        spur_api_admin_log(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_SOURCE:
        if (req->method == HTTP_PUT)
            spur_api_admin_source_put(srv, req, g);
        else
            spur_api_admin_source_get(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_PRINT:
        spur_api_admin_print(srv, req, g, s[5]);
        break;
    case SPUR_ROUTE_ADMIN_MEDIA:
        spur_api_admin_media(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_VERSIONS:
        spur_api_admin_versions(srv, req, g, n == 6 ? s[5] : NULL);
        break;
    case SPUR_ROUTE_ADMIN_FLAGS:
        spur_api_admin_flags(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_WINNERS:
        spur_api_admin_winners(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_REDEEM:
    case SPUR_ROUTE_ADMIN_RELEASE:
        spur_api_admin_handover(srv, req, g, s[5], ri.route == SPUR_ROUTE_ADMIN_RELEASE);
        break;
    case SPUR_ROUTE_ADMIN_CLAIM:
        spur_api_admin_claim(srv, req, g, s[5]);
        break;
    case SPUR_ROUTE_ANNOUNCEMENTS:
        spur_api_announcements(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_ANNOUNCE:
        spur_api_admin_announce(srv, req, g);
        break;
    case SPUR_ROUTE_ADMIN_ANNOUNCEMENT:
        spur_api_admin_announcement_delete(srv, req, g, s[5]);
        break;
    default:
        goto not_found;
    }
    return;

not_found:
    spur_api_error(req, SPUR_ENOT_FOUND, NULL);
}

void spur_api_handle(spur_http_req_t *req, void *data)
{
    dispatch(data, req);
}

size_t spur_api_body_limit(int method, const char *path, void *data)
{
    size_t n;
    (void)data;
    if (method != HTTP_POST && method != HTTP_PUT && method != HTTP_PATCH)
        return 0;
    if (strncmp(path, "/api/", 5) != 0)
        return 0;
    n = strlen(path);
    if (n > 7 && strcmp(path + n - 7, "/decode") == 0)
        return 256 * 1024; /* a camera frame */
    if (n > 6 && strcmp(path + n - 6, "/photo") == 0)
        return SPUR_PHOTO_UPLOAD_MAX; /* a photo mission's picture (the big-body budget too) */
    if (strcmp(path, "/api/admin/check") == 0 || strcmp(path, "/api/admin/preview") == 0 ||
        (n > 7 && strcmp(path + n - 7, "/source") == 0))
        return SPUR_CHECK_BODY_MAX; /* a hunt file (counted against the big-body budget) */
    if (n > 6 && strcmp(path + n - 6, "/media") == 0)
        return SPUR_MEDIA_FILE_MAX; /* a picture for the editor (the big-body budget too) */
    if (n > 14 && strcmp(path + n - 14, "/announcements") == 0)
        return 16 * 1024; /* 1000 characters, each up to 12 bytes as JSON (\ud83d\ude00) */
    return 4096;          /* every other participant and staff body is a small JSON object */
}

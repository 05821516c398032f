/* Photo missions ("kind": "photo"): a team sends a JPEG for a puzzle, staff approve it
 * with the puzzle's points or fewer, or reject it with a message (docs/api.md,
 * "Photos").
 *
 * An upload goes: checks on the loop (team, puzzle, quota, nothing pending), then on
 * libuv's thread pool libvips decodes it, turns it upright, scales it to at most
 * SPUR_PHOTO_SIDE_MAX pixels and saves it again without any metadata (a phone's photo
 * carries the GPS position where it was taken: often the player's home), into
 * <db>-photos/<hunt>/<id>.jpg, written and fsynced before its row; then the writer
 * commits the row (and, for "review": "auto", the approval event); then the reply.
 *
 * Keeps true: the loop never decodes or touches the disk; a team has at most one
 * upload in flight (another is 429) and the server MAX_IN_FLIGHT (more are 503); a
 * photo is acknowledged only once its file and row are durable; a photo is decided
 * by one staff member at a time (another gets 409 already_reviewed) and only until
 * draw_from, when the scores for the draw are fixed. Pointers into a game are looked
 * up again after every wait: a reload (SIGHUP) may have replaced it meanwhile. */
#include "api.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <vips/vips.h>

#include "core/err.h"
#include "core/json.h"
#include "core/log.h"
#include "media/picture.h"

#define MAX_IN_FLIGHT 4     /* uploads decoded at once (each holds up to 8 MB) */
#define PIXELS_MAX 50000000 /* a decompression-bomb guard: 50 megapixels */
#define PHOTOS_PAGE_MAX 500 /* photos in one staff list */
#define PHOTO_CACHE "Cache-Control: private, max-age=31536000, immutable\r\n"

/* ---- libvips, started once from the main thread ---- */

int spur_api_photos_start(void)
{
    if (spur_picture_start() < 0)
        return -1;
    vips_concurrency_set(1); /* the thread pool is the parallelism */
    return 0;
}

/* mkdir -p for the photo folder (its parent and itself). 0 or -1 with errno. */
static int make_dirs(const char *dir)
{
    char *parent = spur_strdup(dir), *slash = strrchr(parent, '/');
    int rc = 0;
    if (slash) {
        *slash = '\0';
        if (mkdir(parent, 0750) < 0 && errno != EEXIST)
            rc = -1;
    }
    free(parent);
    if (rc == 0 && mkdir(dir, 0750) < 0 && errno != EEXIST)
        rc = -1;
    return rc;
}

/* Writes data to dir/name durably: a temporary file, fsync, rename, fsync of the
 * folder. 0 or -1 with errno. */
static int write_durably(const char *dir, const char *name, const void *data, size_t len)
{
    char *tmp = spur_asprintf("%s/%s.tmp", dir, name), *path = spur_asprintf("%s/%s", dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640), rc = -1, dfd;
    const char *p = data;
    size_t left = len;

    if (fd < 0)
        goto out;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            unlink(tmp);
            goto out;
        }
        p += n;
        left -= (size_t)n;
    }
    if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
        unlink(tmp);
        goto out;
    }
    if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        fsync(dfd);
        close(dfd);
    }
    rc = 0;
out:
    free(tmp);
    free(path);
    return rc;
}

/* ---- the state a team sees ---- */

void spur_api_photo_state_json(spur_buf_t *b, const spur_game_t *g, const spur_team_t *t, int idx)
{
    const spur_photo_slot_t *slot = spur_photos_slot(&g->photos, t->id, idx);
    const spur_photo_slot_t *all = spur_photos_slot(&g->photos, t->id, -1);
    int sent = slot ? slot->count : 0, left = SPUR_PHOTOS_PER_PUZZLE - sent;
    if (all && SPUR_PHOTOS_PER_TEAM - all->count < left)
        left = SPUR_PHOTOS_PER_TEAM - all->count;
    if (slot) {
        const spur_photo_t *p = slot->last;
        spur_buf_printf(b, ",\"photo\":{\"id\":\"%s\",\"status\":\"%s\"", p->id,
                        spur_photo_status_name(p->status));
        if (p->status == SPUR_PHOTO_APPROVED)
            spur_buf_printf(b, ",\"points\":%d", p->points);
        if (p->message) {
            spur_buf_puts(b, ",\"message\":");
            spur_buf_json_str(b, p->message);
        }
        spur_buf_printf(b, ",\"url\":\"/api/hunts/%s/photos/%s.jpg\"}", g->hunt->id, p->id);
    }
    spur_buf_printf(b, ",\"photos_left\":%d", left > 0 ? left : 0);
}

/* A photo as staff see it. */
static void photo_json(spur_buf_t *b, const spur_game_t *g, const spur_photo_t *p)
{
    const spur_team_t *t = spur_game_team_by_id(g, p->team_id);
    const spur_puzzle_t *pz = p->puzzle >= 0 ? &g->hunt->puzzles[p->puzzle] : NULL;
    char at[40];

    spur_buf_printf(
        b,
        "{\"id\":\"%s\",\"url\":\"/api/hunts/%s/photos/%s.jpg\",\"team\":{\"id\":%" PRId64
        ",\"name\":",
        p->id, g->hunt->id, p->id, p->team_id);
    spur_buf_json_str(b, t ? t->name : "");
    spur_buf_puts(b, "},\"puzzle\":");
    if (pz) {
        spur_buf_puts(b, "{\"id\":");
        spur_buf_json_str(b, pz->id);
        spur_buf_puts(b, ",\"title\":");
        spur_buf_json_str(b, pz->title);
        spur_buf_printf(b, ",\"points\":%d,\"review\":\"%s\"}", pz->points,
                        pz->review == SPUR_REVIEW_AUTO ? "auto" : "staff");
    } else {
        spur_buf_puts(b, "null");
    }
    spur_time_format_ms(p->at, at, sizeof(at));
    spur_buf_printf(b, ",\"status\":\"%s\",\"points\":%d,\"at\":\"%s\"",
                    spur_photo_status_name(p->status), p->points, at);
    if (p->reviewed_at) {
        spur_time_format_ms(p->reviewed_at, at, sizeof(at));
        spur_buf_printf(b, ",\"reviewed_at\":\"%s\"", at);
    }
    spur_buf_puts(b, ",\"message\":");
    if (p->message)
        spur_buf_json_str(b, p->message);
    else
        spur_buf_puts(b, "null");
    spur_buf_printf(b, ",\"width\":%d,\"height\":%d,\"bytes\":%" PRId64 ",\"screen\":%s}", p->width,
                    p->height, p->bytes, p->screen ? "true" : "false");
}

/* ---- upload ---- */

typedef struct {
    uv_work_t work;
    spur_server_t *srv;
    spur_http_req_t *req;
    char hunt_id[SPUR_ID_MAX + 1];
    char puzzle_id[SPUR_ID_MAX + 1];
    char team_key[24]; /* key of srv->photo_uploading */
    int64_t team_id;
    char client_id[65];
    int64_t made_at, at;
    int screen; /* the team allows it on the big screen once approved */
    unsigned char *jpeg;
    size_t len;
    char *dir;
    /* from the work */
    int rc; /* 0 stored, -1 not a readable JPEG, -2 the disk failed */
    char id[SPUR_PHOTO_ID_LEN + 1];
    int width, height;
    int64_t bytes;
} upload_t;

static void upload_work(uv_work_t *w)
{
    upload_t *u = w->data;
    const char *loader = vips_foreign_find_load_buffer(u->jpeg, u->len);
    VipsImage *head = NULL, *thumb = NULL;
    void *out = NULL;
    size_t out_len = 0;
    unsigned char rnd[SPUR_PHOTO_ID_LEN / 2];
    char name[SPUR_PHOTO_ID_LEN + 8];

    u->rc = -1;
    if (!loader || strncmp(loader, "VipsForeignLoadJpeg", 19) != 0)
        goto out;
    if (!(head = vips_image_new_from_buffer(u->jpeg, u->len, "", NULL)) ||
        (double)vips_image_get_width(head) * vips_image_get_height(head) > PIXELS_MAX)
        goto out;
    /* shrink-on-load, the EXIF orientation applied; a truncated file is refused */
    if (vips_thumbnail_buffer(u->jpeg, u->len, &thumb, SPUR_PHOTO_SIDE_MAX, "height",
                              SPUR_PHOTO_SIDE_MAX, "size", VIPS_SIZE_DOWN, "option_string",
                              "fail_on=truncated", NULL) != 0)
        goto out;
    /* "strip": no EXIF, GPS, XMP, IPTC, comment or profile survives */
    if (vips_jpegsave_buffer(thumb, &out, &out_len, "Q", 82, "strip", TRUE, "interlace", TRUE,
                             "optimize_coding", TRUE, NULL) != 0)
        goto out;
    u->width = vips_image_get_width(thumb);
    u->height = vips_image_get_height(thumb);
    u->bytes = (int64_t)out_len;
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(u->id, sizeof(u->id), rnd, sizeof(rnd));
    snprintf(name, sizeof(name), "%s.jpg", u->id);
    u->rc = make_dirs(u->dir) == 0 && write_durably(u->dir, name, out, out_len) == 0 ? 0 : -2;
    if (u->rc == -2)
        spur_error("photos: cannot write %s/%s: %s", u->dir, name, strerror(errno));
out:
    vips_error_clear();
    g_free(out);
    if (thumb)
        g_object_unref(thumb);
    if (head)
        g_object_unref(head);
}

static void upload_free(upload_t *u)
{
    free(u->jpeg);
    free(u->dir);
    free(u);
}

static void unlink_photo(const char *dir, const char *id)
{
    char *path = spur_asprintf("%s/%s.jpg", dir, id);
    unlink(path);
    free(path);
}

/* The reply to a stored photo, also to a retry: 202 {"status","id",...}. */
static void reply_photo(spur_http_req_t *req, const spur_photo_t *p, const spur_team_t *t,
                        int replay)
{
    spur_buf_t b = {0};
    spur_buf_printf(&b, "{\"status\":\"%s\",\"id\":\"%s\"", spur_photo_status_name(p->status),
                    p->id);
    if (p->status == SPUR_PHOTO_APPROVED)
        spur_buf_printf(&b, ",\"points\":%d,\"score\":%d", p->points, t->score);
    spur_buf_puts(&b, ",\"message\":");
    spur_buf_json_str(&b,
                      p->status == SPUR_PHOTO_PENDING
                          ? spur_api_msg(req,
                                         "Danke! Euer Foto wird geprüft; ihr seht hier, "
                                         "sobald es entschieden ist.",
                                         "Thanks! Your photo is being reviewed; you will see "
                                         "here once it is decided.")
                      : p->status == SPUR_PHOTO_APPROVED
                          ? spur_api_msg(req, "Danke! Das Foto zählt.", "Thanks! The photo counts.")
                          : (p->message ? p->message : ""));
    spur_buf_puts(&b, "}");
    spur_api_json(req, 202,
                  replay ? "Cache-Control: no-store\r\nX-Spur-Replay: 1\r\n"
                         : "Cache-Control: no-store\r\n",
                  &b);
    spur_buf_free(&b);
}

static void on_upload_committed(spur_rec_t *r)
{
    upload_t *u = r->data;
    spur_server_t *srv = u->srv;
    spur_game_t *g = spur_api_game(srv, u->hunt_id);
    spur_team_t *t = g ? spur_game_team_by_id(g, u->team_id) : NULL;

    spur_api_note_commit(srv, r);
    spur_map_del(&srv->photo_uploading, u->team_key, strlen(u->team_key));
    srv->photo_uploading_n--;
    if (r->status < 0 || !t) {
        unlink_photo(u->dir, u->id);
        spur_api_error(u->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    } else {
        spur_photo_t p = {.team_id = t->id,
                          .puzzle = spur_hunt_puzzle_index(g->hunt, u->puzzle_id),
                          .status = (spur_photo_status_t)r->photo_status,
                          .points = r->points,
                          .client_id = u->client_id[0] ? u->client_id : NULL,
                          .at = u->at,
                          .width = u->width,
                          .height = u->height,
                          .bytes = u->bytes,
                          .screen = u->screen};
        spur_photo_t *stored;
        memcpy(p.id, u->id, sizeof(p.id));
        stored = spur_photos_add(&g->photos, &p);
        srv->metrics.photos++;
        if (r->photo_event && p.puzzle >= 0) {
            spur_event_t ev = {.kind = SPUR_EV_PHOTO,
                               .at = u->at,
                               .puzzle = p.puzzle,
                               .verdict = SPUR_VERDICT_CORRECT,
                               .points = r->points};
            spur_game_apply(g, t, &ev);
        } else {
            t->changes++; /* the clue list shows the photo as pending */
        }
        spur_api_push_team(srv, g, t);
        reply_photo(u->req, stored, t, 0);
    }
    spur_rec_free(r);
    upload_free(u);
}

static void upload_done(uv_work_t *w, int status)
{
    upload_t *u = w->data;
    spur_server_t *srv = u->srv;
    spur_game_t *g = spur_api_game(srv, u->hunt_id);
    spur_team_t *t = g ? spur_game_team_by_id(g, u->team_id) : NULL;
    int idx = g ? spur_hunt_puzzle_index(g->hunt, u->puzzle_id) : -1;
    spur_rec_t *r;

    free(u->jpeg); /* the copy is on disk now */
    u->jpeg = NULL;
    if (status != 0 || u->rc < 0 || !t || idx < 0) {
        spur_map_del(&srv->photo_uploading, u->team_key, strlen(u->team_key));
        srv->photo_uploading_n--;
        if (status == 0 && u->rc == -1) {
            srv->metrics.photos_bad++;
            spur_api_error_msg(u->req, SPUR_EBAD_IMAGE,
                               "Das ist kein lesbares JPEG-Foto. Bitte noch einmal fotografieren.",
                               "This is not a readable JPEG photo. Please take it again.", NULL);
        } else {
            if (u->rc == 0)
                unlink_photo(u->dir, u->id);
            spur_api_error(u->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
        }
        upload_free(u);
        return;
    }
    r = spur_rec_new(SPUR_REC_PHOTO);
    r->hunt_id = spur_strdup(u->hunt_id);
    r->team_id = u->team_id;
    r->at = u->at;
    r->photo_at = u->at;
    r->made_at = u->made_at;
    r->photo_new = 1;
    r->photo_id = spur_strdup(u->id);
    r->puzzle_id = spur_strdup(u->puzzle_id);
    r->client_id = u->client_id[0] ? spur_strdup(u->client_id) : NULL;
    r->width = u->width;
    r->height = u->height;
    r->bytes = u->bytes;
    r->screen = u->screen;
    r->photo_status = SPUR_PHOTO_PENDING;
    if (g->hunt->puzzles[idx].review == SPUR_REVIEW_AUTO && !t->prog[idx].solved_at) {
        r->photo_status = SPUR_PHOTO_APPROVED;
        r->points = spur_game_solve_points(g, t, idx);
        r->photo_event = "correct";
    }
    r->done = on_upload_committed;
    r->data = u;
    spur_writer_submit(srv->writer, r);
}

/* The query's client_id (may be absent), made_at (RFC 3339, may be absent) and screen
 * ("1": the team allows the photo on the big screen once approved). 0, or -1 after
 * answering 400. */
static int upload_query(spur_http_req_t *req, char client_id[65], int64_t *made_at, int *screen)
{
    const char *v, *sv;
    int n = spur_http_query(req, "client_id", &v);
    client_id[0] = '\0';
    *made_at = 0;
    *screen = spur_http_query(req, "screen", &sv) == 1 && sv[0] == '1';
    if (n >= 0) {
        int ok = n >= 1 && n <= 64;
        for (int i = 0; ok && i < n; i++)
            ok = (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
                 (v[i] >= '0' && v[i] <= '9') || v[i] == '-' || v[i] == '_';
        if (!ok) {
            spur_api_error_msg(req, SPUR_EBAD_REQUEST,
                               "client_id hat 1 bis 64 Zeichen aus A-Z a-z 0-9 - _.",
                               "client_id is 1 to 64 characters of A-Z a-z 0-9 - _.", NULL);
            return -1;
        }
        memcpy(client_id, v, (size_t)n);
        client_id[n] = '\0';
    }
    if ((n = spur_http_query(req, "made_at", &v)) >= 0) {
        char *s = spur_api_query_decode(v, (size_t)n);
        int bad = !s || spur_time_parse_ms(s, made_at) < 0;
        free(s);
        if (bad) {
            spur_api_error_msg(req, SPUR_EBAD_REQUEST, "made_at ist eine Zeit nach RFC 3339.",
                               "made_at is an RFC 3339 time.", NULL);
            return -1;
        }
    }
    return 0;
}

void spur_api_photo_upload(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                           const char *puzzle_id)
{
    spur_team_t *t = spur_api_auth(g, req);
    int idx = spur_hunt_puzzle_index(g->hunt, puzzle_id), err;
    int64_t now = spur_api_received_ms(req), made_at, at;
    char client_id[65], key[24];
    const spur_photo_slot_t *slot;
    const spur_photo_t *seen;
    upload_t *u;
    int screen;

    if (!t) {
        spur_api_error(req, SPUR_EUNAUTHORIZED, NULL);
        return;
    }
    if (upload_query(req, client_id, &made_at, &screen) < 0)
        return;
    if (idx < 0) {
        spur_api_error(req, SPUR_EUNKNOWN_PUZZLE, NULL);
        return;
    }
    if (g->hunt->puzzles[idx].kind != SPUR_KIND_PHOTO) {
        spur_api_error(req, SPUR_ENOT_PHOTO, NULL);
        return;
    }
    if (client_id[0] && (seen = spur_photos_by_client(&g->photos, t->id, client_id))) {
        if (seen->puzzle != idx)
            spur_api_error(req, SPUR_ECLIENT_ID_REUSED, NULL);
        else
            reply_photo(req, seen, t, 1); /* a retry: as it stands now */
        return;
    }
    if (req->body_len == 0) {
        spur_api_error_msg(req, SPUR_EBAD_IMAGE, "Ein JPEG-Foto ist nötig.",
                           "A JPEG photo is required.", NULL);
        return;
    }
    made_at = spur_api_clamp_made_at(t, made_at, now);
    if ((err = spur_api_when_counts(g->hunt, t, now, made_at, &at)) < 0) {
        spur_api_error(req, err, NULL);
        return;
    }
    spur_game_open_due(g, now);
    if (!spur_api_puzzle_open(req, g, t, idx, at))
        return;
    slot = spur_photos_slot(&g->photos, t->id, idx);
    if (slot && slot->last->status == SPUR_PHOTO_PENDING) {
        spur_api_error(req, SPUR_EPHOTO_PENDING, NULL);
        return;
    }
    if (slot && slot->count >= SPUR_PHOTOS_PER_PUZZLE) {
        spur_api_error(req, SPUR_EPHOTO_LIMIT, NULL);
        return;
    }
    if ((slot = spur_photos_slot(&g->photos, t->id, -1)) && slot->count >= SPUR_PHOTOS_PER_TEAM) {
        spur_api_error_msg(req, SPUR_EPHOTO_LIMIT,
                           "Euer Team hat schon 50 Fotos geschickt; mehr gehen in dieser Rallye "
                           "nicht.",
                           "Your team has already sent 50 photos; no more can be sent in this "
                           "hunt.",
                           NULL);
        return;
    }
    snprintf(key, sizeof(key), "%" PRId64, t->id);
    if (spur_map_get(&srv->photo_uploading, key, strlen(key))) {
        spur_api_error_msg(req, SPUR_ERATE_LIMITED,
                           "Das letzte Foto eures Teams wird noch gespeichert; das nächste bitte "
                           "danach schicken.",
                           "Your team's last photo is still being saved; send the next one after "
                           "it.",
                           "Retry-After: 2\r\n");
        return;
    }
    if (srv->disk_low) {
        srv->metrics.disk_refused++;
        spur_api_error(req, SPUR_EDISK_LOW, "Retry-After: 300\r\n");
        return;
    }
    if (srv->photo_uploading_n >= MAX_IN_FLIGHT) {
        srv->metrics.overloaded++;
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 2\r\n");
        return;
    }
    u = spur_calloc(1, sizeof(*u));
    u->work.data = u;
    u->srv = srv;
    u->req = req;
    snprintf(u->hunt_id, sizeof(u->hunt_id), "%s", g->hunt->id);
    snprintf(u->puzzle_id, sizeof(u->puzzle_id), "%s", g->hunt->puzzles[idx].id);
    memcpy(u->team_key, key, sizeof(key));
    u->team_id = t->id;
    memcpy(u->client_id, client_id, sizeof(client_id));
    u->made_at = made_at;
    u->at = at;
    u->screen = screen;
    u->len = req->body_len;
    u->jpeg = spur_malloc(u->len);
    memcpy(u->jpeg, req->body, u->len);
    u->dir = spur_store_photo_dir(srv->db_path, g->hunt->id);
    if (uv_queue_work(srv->loop, &u->work, upload_work, upload_done) != 0) {
        upload_free(u);
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 2\r\n");
        return;
    }
    spur_map_put(&srv->photo_uploading, u->team_key, strlen(u->team_key), (void *)1);
    srv->photo_uploading_n++;
}

/* ---- the big screen: approved photos their teams allowed there ---- */

/* Whether p may be shown to anyone: approved, allowed by its team, and the team on the
 * public board (not hidden by staff, not a test team). */
static int on_screen(const spur_game_t *g, const spur_photo_t *p)
{
    const spur_team_t *t;
    return p->status == SPUR_PHOTO_APPROVED && p->screen && p->puzzle >= 0 &&
           (t = spur_game_team_by_id(g, p->team_id)) && !t->test && !t->hidden;
}

#define SCREEN_PHOTOS_MAX 30

void spur_api_screen_photos(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    spur_buf_t b = {0};
    size_t n = 0;
    (void)srv;
    spur_buf_puts(&b, "{\"photos\":[");
    for (size_t i = g->photos.n; i-- > 0 && n < SCREEN_PHOTOS_MAX;) { /* newest first */
        const spur_photo_t *p = g->photos.items[i];
        if (!on_screen(g, p))
            continue;
        spur_buf_printf(&b, "%s{\"url\":\"/api/hunts/%s/photos/%s.jpg\",\"team\":", n++ ? "," : "",
                        g->hunt->id, p->id);
        spur_buf_json_str(&b, spur_game_team_by_id(g, p->team_id)->name);
        spur_buf_puts(&b, ",\"puzzle\":");
        spur_buf_json_str(&b, g->hunt->puzzles[p->puzzle].title);
        spur_buf_printf(&b, ",\"width\":%d,\"height\":%d}", p->width, p->height);
    }
    spur_buf_puts(&b, "]}");
    spur_api_json(req, 200, "Cache-Control: no-cache\r\n", &b);
    spur_buf_free(&b);
}

/* ---- the photo itself: for staff, the team that sent it, and the big screen ---- */

typedef struct {
    uv_work_t work;
    spur_http_req_t *req;
    char *path;
    char *data;
    size_t len;
    int ok;
} read_t;

static void read_work(uv_work_t *w)
{
    read_t *r = w->data;
    FILE *fp = fopen(r->path, "rb");
    struct stat sb;
    if (!fp)
        return;
    if (fstat(fileno(fp), &sb) == 0 && sb.st_size > 0 &&
        sb.st_size <= (off_t)SPUR_PHOTO_UPLOAD_MAX) {
        r->data = spur_malloc((size_t)sb.st_size);
        r->len = fread(r->data, 1, (size_t)sb.st_size, fp);
        r->ok = r->len == (size_t)sb.st_size;
    }
    fclose(fp);
}

static void read_done(uv_work_t *w, int status)
{
    read_t *r = w->data;
    if (status == 0 && r->ok)
        spur_http_reply(r->req, 200, "image/jpeg", PHOTO_CACHE, r->data, r->len);
    else
        spur_api_error_msg(r->req, SPUR_ENOT_FOUND, "Die Datei dieses Fotos fehlt.",
                           "This photo's file is missing.", NULL);
    free(r->path);
    free(r->data);
    free(r);
}

void spur_api_photo_file(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g, const char *file)
{
    char id[SPUR_PHOTO_ID_LEN + 1];
    const spur_photo_t *p;
    read_t *r;
    char *dir;

    if (strlen(file) != SPUR_PHOTO_ID_LEN + 4 || strcmp(file + SPUR_PHOTO_ID_LEN, ".jpg") != 0) {
        spur_api_error(req, SPUR_EUNKNOWN_PHOTO, NULL);
        return;
    }
    memcpy(id, file, SPUR_PHOTO_ID_LEN);
    id[SPUR_PHOTO_ID_LEN] = '\0';
    p = spur_photos_get(&g->photos, id);
    /* anyone may see a photo allowed on the big screen; staff any; a team its own */
    if (!(p && on_screen(g, p)) && !spur_api_is_staff(srv, req)) {
        spur_team_t *t = spur_api_auth(g, req);
        if (!t) {
            spur_api_error(req, SPUR_EUNAUTHORIZED, NULL);
            return;
        }
        if (p && p->team_id != t->id)
            p = NULL; /* another team's photo is as unknown as one that does not exist */
    }
    if (!p) {
        spur_api_error(req, SPUR_EUNKNOWN_PHOTO, NULL);
        return;
    }
    if (spur_http_header(req, "if-none-match") || spur_http_header(req, "if-modified-since")) {
        /* a photo's bytes never change under its id */
        spur_http_reply(req, 304, NULL, PHOTO_CACHE, NULL, 0);
        return;
    }
    r = spur_calloc(1, sizeof(*r));
    r->work.data = r;
    r->req = req;
    dir = spur_store_photo_dir(srv->db_path, g->hunt->id);
    r->path = spur_asprintf("%s/%s", dir, file);
    free(dir);
    if (uv_queue_work(srv->loop, &r->work, read_work, read_done) != 0) {
        free(r->path);
        free(r);
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 1\r\n");
    }
}

/* ---- staff: the list and the review ---- */

void spur_api_admin_photos(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g)
{
    const char *v;
    int n = spur_http_query(req, "status", &v), want = -1;
    size_t offset = spur_api_query_num(req, "offset", 0, SIZE_MAX / 2);
    size_t limit = spur_api_query_num(req, "limit", 100, PHOTOS_PAGE_MAX);
    size_t total = 0, shown = 0;
    spur_buf_t b = {0};
    (void)srv;

    if (n >= 0) {
        char s[16];
        if (n < (int)sizeof(s)) {
            memcpy(s, v, (size_t)n);
            s[n] = '\0';
            want = spur_photo_status_by_name(s);
        }
        if (want < 0) {
            spur_api_error_msg(req, SPUR_EBAD_REQUEST,
                               "status ist pending, approved oder rejected.",
                               "status is pending, approved or rejected.", NULL);
            return;
        }
    }
    spur_buf_printf(&b, "{\"pending\":%zu,\"photos\":[", g->photos.pending);
    for (size_t i = 0; i < g->photos.n; i++) {
        const spur_photo_t *p = g->photos.items[i];
        const spur_team_t *t = spur_game_team_by_id(g, p->team_id);
        if ((want >= 0 && (int)p->status != want) || !t)
            continue;
        if (total++ < offset || shown >= limit)
            continue;
        if (shown++)
            spur_buf_puts(&b, ",");
        photo_json(&b, g, p);
    }
    spur_buf_printf(&b, "],\"total\":%zu}", total);
    spur_api_json(req, 200, "Cache-Control: no-store\r\n", &b);
    spur_buf_free(&b);
}

typedef struct {
    spur_server_t *srv;
    spur_http_req_t *req;
    char hunt_id[SPUR_ID_MAX + 1];
    char id[SPUR_PHOTO_ID_LEN + 1];
} review_t;

static void on_review_committed(spur_rec_t *r)
{
    review_t *v = r->data;
    spur_game_t *g = spur_api_game(v->srv, v->hunt_id);
    spur_photo_t *p = g ? spur_photos_get(&g->photos, v->id) : NULL;
    spur_team_t *t = p ? spur_game_team_by_id(g, p->team_id) : NULL;

    if (p)
        p->busy = 0;
    if (r->status == -2) {
        spur_api_error(v->req, SPUR_EALREADY_REVIEWED, NULL);
    } else if (r->status < 0 || !t) {
        spur_api_error(v->req, SPUR_ESTORAGE, "Retry-After: 2\r\n");
    } else {
        spur_buf_t b = {0};
        spur_photos_decide(&g->photos, p, (spur_photo_status_t)r->photo_status, r->points,
                           r->message, r->at);
        if (r->photo_event && p->puzzle >= 0) {
            spur_event_t ev = {.kind = SPUR_EV_PHOTO,
                               .at = p->at,
                               .puzzle = p->puzzle,
                               .verdict = r->photo_event[0] == 'c' ? SPUR_VERDICT_CORRECT
                                                                   : SPUR_VERDICT_WRONG,
                               .points = r->points};
            spur_game_apply(g, t, &ev);
        } else {
            t->changes++; /* rejected: the team's clue list says why */
        }
        spur_api_push_team(v->srv, g, t);
        spur_info("staff %s %s photo %s of team %" PRId64 " in %s", r->who,
                  spur_photo_status_name(p->status), p->id, t->id, g->hunt->id);
        photo_json(&b, g, p);
        spur_api_json(v->req, 200, "Cache-Control: no-store\r\n", &b);
        spur_buf_free(&b);
    }
    spur_rec_free(r);
    free(v);
}

void spur_api_admin_photo_review(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                                 const char *id)
{
    static const char *const allowed[] = {"approve", "points", "message", NULL};
    spur_photo_t *p = spur_photos_get(&g->photos, id);
    cJSON *root = NULL;
    const cJSON *approve, *points, *message;
    const spur_puzzle_t *pz;
    spur_team_t *t;
    int pts = 0;
    spur_buf_t detail = {0};
    spur_rec_t *r;
    review_t *v;

    if (!p || !(t = spur_game_team_by_id(g, p->team_id))) {
        spur_api_error(req, SPUR_EUNKNOWN_PHOTO, NULL);
        return;
    }
    if (!(root = spur_api_body(req, allowed)))
        return;
    approve = cJSON_GetObjectItemCaseSensitive(root, "approve");
    points = cJSON_GetObjectItemCaseSensitive(root, "points");
    message = cJSON_GetObjectItemCaseSensitive(root, "message");
    if (!cJSON_IsBool(approve) || (message && !cJSON_IsString(message) && !cJSON_IsNull(message)) ||
        (cJSON_IsString(message) && strlen(message->valuestring) > SPUR_PHOTO_MESSAGE_MAX)) {
        spur_api_error_msg(req, SPUR_EBAD_JSON,
                           "Nötig ist \"approve\" (true/false), dazu \"points\" (Zahl) oder "
                           "\"message\" (Text, höchstens 500 Bytes).",
                           "\"approve\" (true/false) is required, with \"points\" (a number) or "
                           "\"message\" (text, at most 500 bytes).",
                           NULL);
        goto out;
    }
    if (p->puzzle < 0) {
        spur_api_error(req, SPUR_EUNKNOWN_PUZZLE, NULL);
        goto out;
    }
    pz = &g->hunt->puzzles[p->puzzle];
    if (pz->kind != SPUR_KIND_PHOTO && cJSON_IsTrue(approve)) {
        spur_api_error(req, SPUR_ENOT_PHOTO, NULL); /* a re-import changed its kind */
        goto out;
    }
    if (p->busy) {
        spur_api_error(req, SPUR_EALREADY_REVIEWED, NULL);
        goto out;
    }
    if (spur_now_ms() >= (g->hunt->ends_at + g->hunt->late_sync_grace) * 1000 && !t->test) {
        spur_api_error(req, SPUR_EREVIEW_CLOSED, NULL);
        goto out;
    }
    if (cJSON_IsTrue(approve)) {
        if (p->status == SPUR_PHOTO_APPROVED) {
            spur_api_error(req, SPUR_EALREADY_REVIEWED, NULL);
            goto out;
        }
        if (t->prog[p->puzzle].solved_at) {
            spur_api_error(req, SPUR_EALREADY_SOLVED, NULL);
            goto out;
        }
        pts = spur_game_solve_points(g, t, p->puzzle);
        if (points && !cJSON_IsNull(points)) {
            if (!cJSON_IsNumber(points) ||
                points->valuedouble != (double)(int)points->valuedouble ||
                points->valuedouble < 0 || points->valuedouble > pz->points) {
                spur_api_error(req, SPUR_EBAD_POINTS, NULL);
                goto out;
            }
            pts = (int)points->valuedouble;
        }
    } else if (p->status == SPUR_PHOTO_REJECTED) {
        spur_api_error(req, SPUR_EALREADY_REVIEWED, NULL);
        goto out;
    }
    if (!spur_api_staff_log_take(srv, req))
        goto out;
    r = spur_api_staff_rec(SPUR_REC_PHOTO, req, g, "review_photo");
    r->team_id = t->id;
    r->photo_id = spur_strdup(p->id);
    r->puzzle_id = spur_strdup(pz->id);
    r->photo_old = (int)p->status;
    r->photo_at = p->at;
    if (cJSON_IsTrue(approve)) {
        r->photo_status = SPUR_PHOTO_APPROVED;
        r->points = pts;
        r->photo_event = "correct";
    } else {
        r->photo_status = SPUR_PHOTO_REJECTED;
        if (p->status == SPUR_PHOTO_APPROVED && t->prog[p->puzzle].solved_at)
            r->photo_event = "wrong"; /* revoked: its points leave the score */
        if (cJSON_IsString(message) && message->valuestring[0])
            r->message = spur_strdup(message->valuestring);
    }
    spur_buf_printf(&detail, "{\"photo\":\"%s\",\"puzzle\":", p->id);
    spur_buf_json_str(&detail, pz->id);
    spur_buf_printf(&detail, ",\"from\":\"%s\",\"to\":\"%s\",\"points\":%d,\"message\":",
                    spur_photo_status_name(p->status), spur_photo_status_name(r->photo_status),
                    r->points);
    if (r->message)
        spur_buf_json_str(&detail, r->message);
    else
        spur_buf_puts(&detail, "null");
    spur_buf_puts(&detail, "}");
    r->detail = spur_buf_steal(&detail, NULL);
    v = spur_calloc(1, sizeof(*v));
    v->srv = srv;
    v->req = req;
    snprintf(v->hunt_id, sizeof(v->hunt_id), "%s", g->hunt->id);
    memcpy(v->id, p->id, sizeof(v->id));
    r->done = on_review_committed;
    r->data = v;
    p->busy = 1;
    spur_writer_submit(srv->writer, r);
out:
    cJSON_Delete(root);
}

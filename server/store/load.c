/* Rebuilds the live state from the durable record: hunts from their stored
 * files, then teams, tokens and events in commit order, each event applied through
 * spur_game_apply, the function the live server applies it with after its commit.
 * Rankings are sorted once at the end (spur_game_begin/end_bulk), so loading is
 * O(n log n) in teams plus linear in events. An event naming a puzzle or place the
 * current hunt file no longer has stays in the history but no longer counts.
 * Published draw records are read as stored, never recomputed. */
#include "load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uv.h>

#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "game/answer.h"
#include "store/store.h"

static spur_game_t *find_game(spur_loaded_t *l, const char *id)
{
    for (size_t i = 0; i < l->ngames; i++)
        if (strcmp(l->games[i]->hunt->id, id) == 0)
            return l->games[i];
    return NULL;
}

static int load_hunts(sqlite3 *db, spur_loaded_t *l, char *err, size_t err_size)
{
    spur_store_hunt_t *hs = NULL;
    size_t n = 0;

    if (spur_store_hunts(db, &hs, &n, err, err_size) < 0)
        return -1;
    l->games = spur_calloc(n + 1, sizeof(*l->games));
    for (size_t i = 0; i < n; i++) {
        char perr[128];
        size_t off = 0;
        spur_diags_t diags = {0};
        cJSON *root = spur_json_parse(hs[i].json, hs[i].json_len, perr, sizeof(perr), &off);
        spur_hunt_t *h = root ? spur_hunt_from_json(root, &diags) : NULL;
        cJSON_Delete(root);
        if (!h) {
            spur_error("hunt %s in the database does not load (%s); skipped", hs[i].id,
                       root ? (diags.n ? diags.items[0].message : "invalid") : perr);
            spur_diags_free(&diags);
            continue;
        }
        spur_diags_free(&diags);
        l->games[l->ngames++] = spur_game_new(h, hs[i].secret, hs[i].draw_seed);
    }
    spur_store_hunts_free(hs, n);
    return 0;
}

/* The game of hunt_id; rows come grouped by hunt mostly, so the last one is tried
 * first. */
static spur_game_t *game_of(spur_loaded_t *l, const char *hunt_id, spur_game_t **last)
{
    if (*last && hunt_id && strcmp((*last)->hunt->id, hunt_id) == 0)
        return *last;
    return *last = hunt_id ? find_game(l, hunt_id) : NULL;
}

/* Sizes each game's team arrays and maps for the teams it will get. */
static int reserve_teams(sqlite3 *db, spur_loaded_t *l)
{
    sqlite3_stmt *st;
    const char *sql = "SELECT hunt_id, count(*), (SELECT count(*) FROM tokens JOIN teams t2 "
                      "ON t2.id = tokens.team_id WHERE t2.hunt_id = teams.hunt_id) "
                      "FROM teams GROUP BY hunt_id";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        spur_game_t *g = find_game(l, (const char *)sqlite3_column_text(st, 0));
        size_t n = (size_t)sqlite3_column_int64(st, 1);
        if (!g)
            continue;
        spur_game_reserve(g, n);
        spur_map_reserve(&g->by_name, n);
        spur_map_reserve(&g->by_join, n);
        spur_map_reserve(&g->by_token, (size_t)sqlite3_column_int64(st, 2));
    }
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

static int load_teams(sqlite3 *db, spur_loaded_t *l, int64_t *rows)
{
    sqlite3_stmt *st;
    spur_game_t *last = NULL;
    const char *sql = "SELECT id, hunt_id, name, name_key, join_salt, join_hash, created_at_ms, "
                      "test, hidden, excluded, reason, "
                      "EXISTS(SELECT 1 FROM contacts WHERE contacts.team_id = teams.id) "
                      "FROM teams ORDER BY id";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        spur_game_t *g = game_of(l, (const char *)sqlite3_column_text(st, 1), &last);
        spur_team_t *t;
        unsigned char salt[16] = {0};
        (*rows)++;
        if (id > l->max_team_id)
            l->max_team_id = id;
        if (!g)
            continue;
        if (sqlite3_column_bytes(st, 4) == 16)
            memcpy(salt, sqlite3_column_blob(st, 4), 16);
        t = spur_game_add_team(g, id, (const char *)sqlite3_column_text(st, 2),
                               (const char *)sqlite3_column_text(st, 3), salt,
                               sqlite3_column_bytes(st, 5) == 32 ? sqlite3_column_blob(st, 5)
                                                                 : NULL,
                               sqlite3_column_int64(st, 6));
        if (sqlite3_column_int(st, 7))
            spur_game_set_test(g, t);
        spur_game_set_hidden(g, t, sqlite3_column_int(st, 8));
        t->excluded = sqlite3_column_int(st, 9) != 0;
        if (sqlite3_column_type(st, 10) == SQLITE_TEXT)
            t->reason = spur_strdup((const char *)sqlite3_column_text(st, 10));
        t->contact_given = sqlite3_column_int(st, 11) != 0;
    }
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

static int load_tokens(sqlite3 *db, spur_loaded_t *l, int64_t *rows)
{
    sqlite3_stmt *st;
    spur_game_t *last = NULL;
    const char *sql = "SELECT tokens.hash, teams.hunt_id, teams.id FROM tokens "
                      "JOIN teams ON teams.id = tokens.team_id";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        spur_game_t *g = game_of(l, (const char *)sqlite3_column_text(st, 1), &last);
        spur_team_t *t = g ? spur_game_team_by_id(g, sqlite3_column_int64(st, 2)) : NULL;
        (*rows)++;
        if (t && sqlite3_column_bytes(st, 0) == 32)
            spur_game_add_token(g, sqlite3_column_blob(st, 0), t);
    }
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

static spur_verdict_t verdict_of(const char *v)
{
    if (v && strcmp(v, "correct") == 0)
        return SPUR_VERDICT_CORRECT;
    if (v && strcmp(v, "partial") == 0)
        return SPUR_VERDICT_PARTIAL;
    return SPUR_VERDICT_WRONG;
}

/* The puzzles a scan solved, from its "id,id" column, into out (at most max). */
static size_t solved_of(const spur_hunt_t *h, const char *ids, int *out, size_t max)
{
    size_t n = 0;
    char id[SPUR_ID_MAX + 1];
    while (ids && *ids && n < max) {
        size_t len = strcspn(ids, ",");
        if (len < sizeof(id)) {
            memcpy(id, ids, len);
            id[len] = '\0';
            out[n++] = spur_hunt_puzzle_index(h, id);
        }
        ids += len + (ids[len] == ',');
    }
    return n;
}

/* Replays every answer, hint and scan in commit order through spur_game_apply. Reads
 * columns only: an answer's verdict and a scan's solved puzzles are stored as such. */
static int load_events(sqlite3 *db, spur_loaded_t *l, int64_t *rows)
{
    sqlite3_stmt *st;
    spur_game_t *last = NULL;
    int solved[SPUR_MAX_PUZZLES];
    const char *sql = "SELECT hunt_id, team_id, kind, puzzle_id, place_id, input, verdict, "
                      "solved, at_ms, points FROM events ORDER BY id";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        spur_game_t *g = game_of(l, (const char *)sqlite3_column_text(st, 0), &last);
        spur_team_t *t = g ? spur_game_team_by_id(g, sqlite3_column_int64(st, 1)) : NULL;
        const char *kind = (const char *)sqlite3_column_text(st, 2);
        const char *puzzle = (const char *)sqlite3_column_text(st, 3);
        spur_event_t ev = {.at = sqlite3_column_int64(st, 8), .puzzle = -1, .place = -1};
        char *norm = NULL;

        (*rows)++;
        if (!t || !kind)
            continue;
        if (puzzle)
            ev.puzzle = spur_hunt_puzzle_index(g->hunt, puzzle);
        if (kind[0] == 'a') { /* answer */
            const char *input = (const char *)sqlite3_column_text(st, 5);
            ev.kind = SPUR_EV_ANSWER;
            ev.verdict = verdict_of((const char *)sqlite3_column_text(st, 6));
            /* the normalised text as the live server had it from judging: a number
               puzzle's "12 m" and "12,0" are both "12" (guess limit, stats) */
            if (ev.verdict != SPUR_VERDICT_CORRECT && input && ev.puzzle >= 0)
                spur_answer_judge(&g->hunt->puzzles[ev.puzzle], input, strlen(input), NULL, &norm);
            ev.norm = norm;
        } else if (kind[0] == 'h') {
            ev.kind = SPUR_EV_HINT;
        } else if (kind[0] == 'p') { /* photo: approved (correct) or revoked */
            ev.kind = SPUR_EV_PHOTO;
            ev.verdict = verdict_of((const char *)sqlite3_column_text(st, 6));
            ev.points = sqlite3_column_int(st, 9);
        } else {
            const char *place = (const char *)sqlite3_column_text(st, 4);
            ev.kind = SPUR_EV_SCAN;
            ev.place = place ? spur_hunt_place_index(g->hunt, place) : -1;
            ev.solved = solved;
            ev.nsolved = solved_of(g->hunt, (const char *)sqlite3_column_text(st, 7), solved,
                                   SPUR_MAX_PUZZLES);
        }
        spur_game_apply(g, t, &ev);
        free(norm);
    }
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

/* The photos teams sent (their status; the events replayed the scores). */
static int load_photos(sqlite3 *db, spur_loaded_t *l, int64_t *rows)
{
    sqlite3_stmt *st;
    spur_game_t *last = NULL;
    const char *sql = "SELECT hunt_id, id, team_id, puzzle_id, client_id, status, points, message, "
                      "width, height, bytes, at_ms, reviewed_at_ms, screen FROM photos "
                      "ORDER BY at_ms, rowid";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        spur_game_t *g = game_of(l, (const char *)sqlite3_column_text(st, 0), &last);
        const char *id = (const char *)sqlite3_column_text(st, 1);
        const char *puzzle = (const char *)sqlite3_column_text(st, 3);
        const char *status = (const char *)sqlite3_column_text(st, 5);
        spur_photo_t p = {0};
        (*rows)++;
        if (!g || !id || strlen(id) != SPUR_PHOTO_ID_LEN || !status ||
            !spur_game_team_by_id(g, sqlite3_column_int64(st, 2)))
            continue;
        memcpy(p.id, id, SPUR_PHOTO_ID_LEN + 1);
        p.team_id = sqlite3_column_int64(st, 2);
        p.puzzle = puzzle ? spur_hunt_puzzle_index(g->hunt, puzzle) : -1;
        p.client_id = (char *)sqlite3_column_text(st, 4);
        p.status = (spur_photo_status_t)spur_photo_status_by_name(status);
        p.points = sqlite3_column_int(st, 6);
        p.message = (char *)sqlite3_column_text(st, 7);
        p.width = sqlite3_column_int(st, 8);
        p.height = sqlite3_column_int(st, 9);
        p.bytes = sqlite3_column_int64(st, 10);
        p.at = sqlite3_column_int64(st, 11);
        p.reviewed_at = sqlite3_column_int64(st, 12);
        p.screen = sqlite3_column_int(st, 13);
        spur_photos_add(&g->photos, &p);
    }
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

/* The results kept for offline retries: only the newest can survive the bounds
 * (SPUR_RESULTS_PER_TEAM, SPUR_RESULTS_MAX), so they are read newest first until each
 * hunt has as many as it keeps, then put in commit order, which gives the same kept set
 * as putting every one would. */
typedef struct {
    spur_game_t *g;
    spur_team_t *t;
    char *client, *what, *result;
} kept_row_t;

static int load_results(sqlite3 *db, spur_loaded_t *l, int64_t *rows)
{
    sqlite3_stmt *st;
    spur_game_t *last = NULL;
    kept_row_t *v = NULL;
    size_t n = 0, cap = 0, full = 0;
    size_t *per_game = spur_calloc(l->ngames + 1, sizeof(*per_game));
    spur_map_t per_team = {0}; /* team id -> rows taken (uintptr_t) */
    int rc;
    const char *sql = "SELECT hunt_id, team_id, client_id, kind, puzzle_id, result FROM events "
                      "WHERE client_id IS NOT NULL AND result IS NOT NULL ORDER BY id DESC";

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        free(per_game);
        return -1;
    }
    while (full < l->ngames && sqlite3_step(st) == SQLITE_ROW) {
        spur_game_t *g = game_of(l, (const char *)sqlite3_column_text(st, 0), &last);
        int64_t team_id = sqlite3_column_int64(st, 1);
        spur_team_t *t = g ? spur_game_team_by_id(g, team_id) : NULL;
        const char *kind = (const char *)sqlite3_column_text(st, 3);
        const char *puzzle = (const char *)sqlite3_column_text(st, 4);
        size_t gi;
        uintptr_t taken;

        (*rows)++;
        if (!t || !kind)
            continue;
        for (gi = 0; l->games[gi] != g; gi++)
            ;
        taken = (uintptr_t)spur_map_get(&per_team, (const char *)&team_id, sizeof(team_id));
        if (per_game[gi] >= SPUR_RESULTS_MAX || taken >= SPUR_RESULTS_PER_TEAM)
            continue;
        spur_map_put(&per_team, (const char *)&team_id, sizeof(team_id), (void *)(taken + 1));
        if (++per_game[gi] == SPUR_RESULTS_MAX)
            full++;
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            v = spur_realloc(v, cap * sizeof(*v));
        }
        v[n].g = g;
        v[n].t = t;
        v[n].client = spur_strdup((const char *)sqlite3_column_text(st, 2));
        v[n].what =
            kind[0] == 's' ? spur_strdup("scan") : spur_asprintf("answer:%s", puzzle ? puzzle : "");
        v[n].result = spur_strdup((const char *)sqlite3_column_text(st, 5));
        n++;
    }
    rc = sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
    while (n-- > 0) {
        if (rc == 0)
            spur_game_result_put(v[n].g, v[n].t, v[n].client, v[n].what, 200, v[n].result);
        free(v[n].client);
        free(v[n].what);
        free(v[n].result);
    }
    free(v);
    free(per_game);
    spur_map_free(&per_team);
    return rc;
}

int spur_loaded_add_draw(spur_loaded_t *l, const char *hunt_id, const char *prize_id,
                         const char *record, int64_t drawn_at)
{
    spur_draw_pub_t pub;
    if (spur_draw_pub_parse(&pub, hunt_id, prize_id, record, drawn_at) < 0)
        return -1;
    if (l->ndraws == l->draws_cap) {
        l->draws_cap = l->draws_cap ? 2 * l->draws_cap : 8;
        l->draws = spur_realloc(l->draws, l->draws_cap * sizeof(*l->draws));
    }
    l->draws[l->ndraws++] = pub;
    return 0;
}

const spur_draw_pub_t *spur_loaded_draw(const spur_loaded_t *l, const char *hunt_id,
                                        const char *prize_id)
{
    for (size_t i = 0; i < l->ndraws; i++)
        if (strcmp(l->draws[i].hunt_id, hunt_id) == 0 &&
            strcmp(l->draws[i].prize_id, prize_id) == 0)
            return &l->draws[i];
    return NULL;
}

void spur_loaded_add_claim(spur_loaded_t *l, const char *hunt_id, const char *prize_id,
                           int64_t team_id, int released, int64_t at, const char *who)
{
    spur_claim_t *c;
    if (l->nclaims == l->claims_cap) {
        l->claims_cap = l->claims_cap ? 2 * l->claims_cap : 8;
        l->claims = spur_realloc(l->claims, l->claims_cap * sizeof(*l->claims));
    }
    c = &l->claims[l->nclaims++];
    c->hunt_id = spur_strdup(hunt_id);
    c->prize_id = spur_strdup(prize_id);
    c->team_id = team_id;
    c->released = released;
    c->at = at;
    c->who = spur_strdup(who ? who : "");
}

const spur_claim_t *spur_loaded_claim(const spur_loaded_t *l, const char *hunt_id,
                                      const char *prize_id, int64_t team_id)
{
    for (size_t i = 0; i < l->nclaims; i++)
        if (l->claims[i].team_id == team_id && strcmp(l->claims[i].hunt_id, hunt_id) == 0 &&
            strcmp(l->claims[i].prize_id, prize_id) == 0)
            return &l->claims[i];
    return NULL;
}

size_t spur_loaded_released(const spur_loaded_t *l, const char *hunt_id, const char *prize_id)
{
    size_t n = 0;
    for (size_t i = 0; i < l->nclaims; i++)
        n += l->claims[i].released && strcmp(l->claims[i].hunt_id, hunt_id) == 0 &&
             strcmp(l->claims[i].prize_id, prize_id) == 0;
    return n;
}

static int load_claims(sqlite3 *db, spur_loaded_t *l)
{
    sqlite3_stmt *st;
    const char *sql = "SELECT hunt_id, prize_id, team_id, state, at_ms, who FROM claims "
                      "ORDER BY at_ms, rowid";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *state = (const char *)sqlite3_column_text(st, 3);
        spur_loaded_add_claim(l, (const char *)sqlite3_column_text(st, 0),
                              (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2),
                              state && strcmp(state, "released") == 0, sqlite3_column_int64(st, 4),
                              (const char *)sqlite3_column_text(st, 5));
    }
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

void spur_loaded_add_announcement(spur_loaded_t *l, const char *hunt_id, int64_t id,
                                  const char *text, int64_t at)
{
    spur_announcement_t *a;
    if (l->nanns == l->anns_cap) {
        l->anns_cap = l->anns_cap ? 2 * l->anns_cap : 8;
        l->anns = spur_realloc(l->anns, l->anns_cap * sizeof(*l->anns));
    }
    a = &l->anns[l->nanns++];
    a->hunt_id = spur_strdup(hunt_id);
    a->id = id;
    a->text = spur_strdup(text);
    a->at = at;
}

const spur_announcement_t *spur_loaded_announcement(const spur_loaded_t *l, const char *hunt_id,
                                                    int64_t id)
{
    for (size_t i = 0; i < l->nanns; i++)
        if (l->anns[i].id == id && strcmp(l->anns[i].hunt_id, hunt_id) == 0)
            return &l->anns[i];
    return NULL;
}

int spur_loaded_del_announcement(spur_loaded_t *l, const char *hunt_id, int64_t id)
{
    const spur_announcement_t *a = spur_loaded_announcement(l, hunt_id, id);
    size_t i;
    if (!a)
        return -1;
    i = (size_t)(a - l->anns);
    free(l->anns[i].hunt_id);
    free(l->anns[i].text);
    memmove(&l->anns[i], &l->anns[i + 1], (l->nanns - i - 1) * sizeof(*l->anns));
    l->nanns--;
    return 0;
}

size_t spur_loaded_count_announcements(const spur_loaded_t *l, const char *hunt_id)
{
    size_t n = 0;
    for (size_t i = 0; i < l->nanns; i++)
        n += strcmp(l->anns[i].hunt_id, hunt_id) == 0;
    return n;
}

static int load_announcements(sqlite3 *db, spur_loaded_t *l)
{
    sqlite3_stmt *st;
    const char *sql = "SELECT hunt_id, id, text, at_ms FROM announcements "
                      "WHERE deleted_at_ms IS NULL ORDER BY id";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *hunt = (const char *)sqlite3_column_text(st, 0);
        const char *text = (const char *)sqlite3_column_text(st, 2);
        if (hunt && text)
            spur_loaded_add_announcement(l, hunt, sqlite3_column_int64(st, 1), text,
                                         sqlite3_column_int64(st, 3));
    }
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

static int count_staff_log(sqlite3 *db, spur_loaded_t *l)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM staff_log", -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        l->staff_log_rows = sqlite3_column_int64(st, 0);
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

/* Gives img the stored copy named by its file, if any (for spur_hunt_each_image). */
typedef struct {
    spur_loaded_t *l;
    const char *hunt_id;
    size_t from, to; /* the hunt's rows in l->media */
    unsigned char *used;
} media_match_t;

static int match_image(spur_image_t *img, const char *path, void *data)
{
    media_match_t *m = data;
    (void)path;
    for (size_t i = m->from; i < m->to; i++) {
        spur_media_t *md = &m->l->media[i];
        if (img->file && strcmp(md->file, img->file) == 0) {
            free(img->key);
            img->key = spur_strdup(md->key);
            img->mime = md->mime;
            img->width = md->width;
            img->height = md->height;
            m->used[i - m->from] = 1;
            return 0;
        }
    }
    spur_warn("%s: %s \"%s\" is not stored with the hunt (import it again with spur import)",
              m->hunt_id, path, img->file ? img->file : "?");
    return 0;
}

/* Reads the pictures of the hunts loaded, ordered by hunt, and hands each image its copy.
   A copy the hunt file no longer names (a hunt stored by hand) is dropped. */
static int load_media(sqlite3 *db, spur_loaded_t *l)
{
    sqlite3_stmt *st;
    size_t cap = 0;
    const char *sql = "SELECT hunt_id, file, key, mime, width, height, data FROM media "
                      "ORDER BY hunt_id, file";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *hunt = (const char *)sqlite3_column_text(st, 0);
        const char *file = (const char *)sqlite3_column_text(st, 1);
        const char *key = (const char *)sqlite3_column_text(st, 2);
        const char *mime = spur_media_mime((const char *)sqlite3_column_text(st, 3));
        const void *data = sqlite3_column_blob(st, 6);
        int len = sqlite3_column_bytes(st, 6);
        if (!hunt || !file || !key || strlen(key) != SPUR_MEDIA_KEY_LEN || !mime || !data ||
            !find_game(l, hunt))
            continue;
        if (l->nmedia == cap) {
            cap = cap ? cap * 2 : 16;
            l->media = spur_realloc(l->media, cap * sizeof(*l->media));
        }
        spur_media_t *m = &l->media[l->nmedia++];
        m->hunt_id = spur_strdup(hunt);
        m->file = spur_strdup(file);
        memcpy(m->key, key, sizeof m->key);
        m->mime = mime;
        m->width = sqlite3_column_int(st, 4);
        m->height = sqlite3_column_int(st, 5);
        m->len = (size_t)len;
        m->data = spur_malloc(m->len);
        memcpy(m->data, data, m->len);
    }
    if (sqlite3_finalize(st) != SQLITE_OK)
        return -1;
    for (size_t i = 0, end; i < l->nmedia; i = end) {
        for (end = i; end < l->nmedia && strcmp(l->media[end].hunt_id, l->media[i].hunt_id) == 0;)
            end++;
        media_match_t m = {l, l->media[i].hunt_id, i, end, spur_calloc(end - i, 1)};
        spur_hunt_each_image(find_game(l, m.hunt_id)->hunt, match_image, &m);
        for (size_t k = i; k < end; k++)
            if (m.used[k - i]) {
                char name[SPUR_ID_MAX + SPUR_MEDIA_KEY_LEN + 2];
                int n = snprintf(name, sizeof name, "%s/%s", l->media[k].hunt_id, l->media[k].key);
                spur_map_put(&l->media_by_key, name, (size_t)n, (void *)(k + 1));
            }
        free(m.used);
    }
    /* images of hunts without any stored copy are warned about too */
    for (size_t g = 0; g < l->ngames; g++) {
        media_match_t m = {l, l->games[g]->hunt->id, 0, 0, NULL};
        int any = 0;
        for (size_t i = 0; i < l->nmedia && !any; i++)
            any = strcmp(l->media[i].hunt_id, m.hunt_id) == 0;
        if (!any)
            spur_hunt_each_image(l->games[g]->hunt, match_image, &m);
    }
    return 0;
}

const spur_media_t *spur_loaded_media(const spur_loaded_t *l, const char *hunt_id, const char *key)
{
    char name[SPUR_ID_MAX + SPUR_MEDIA_KEY_LEN + 2];
    int n = snprintf(name, sizeof name, "%s/%s", hunt_id, key);
    if (n < 0 || (size_t)n >= sizeof name)
        return NULL;
    size_t i = (size_t)spur_map_get(&l->media_by_key, name, (size_t)n);
    return i ? &l->media[i - 1] : NULL;
}

static int load_draws(sqlite3 *db, spur_loaded_t *l)
{
    sqlite3_stmt *st;
    const char *sql = "SELECT hunt_id, prize_id, record, drawn_at_ms FROM draws "
                      "ORDER BY drawn_at_ms, rowid";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *hunt = (const char *)sqlite3_column_text(st, 0);
        const char *prize = (const char *)sqlite3_column_text(st, 1);
        const char *rec = (const char *)sqlite3_column_text(st, 2);
        if (!hunt || !prize || !rec ||
            spur_loaded_add_draw(l, hunt, prize, rec, sqlite3_column_int64(st, 3)) < 0)
            spur_error("the stored draw of %s/%s is damaged; not published", hunt ? hunt : "?",
                       prize ? prize : "?");
    }
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

int spur_store_load(sqlite3 *db, spur_loaded_t *out, char *err, size_t err_size)
{
    int rc = -1;
    int64_t rows = 0;
    uint64_t t0 = uv_hrtime();

    memset(out, 0, sizeof(*out));
    /* One read transaction: a `spur import` or `spur draw` committed meanwhile is seen
       either wholly or not at all, never hunts of one moment with teams of another.
       Pages are read through a memory map: a whole database is read once, and a read()
       per page would cost more than the rows. */
    sqlite3_exec(db, "PRAGMA mmap_size = 4294967296", NULL, NULL, NULL);
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "reading: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (load_hunts(db, out, err, err_size) < 0)
        goto out;
    for (size_t i = 0; i < out->ngames; i++)
        spur_game_begin_bulk(out->games[i]);
    if (reserve_teams(db, out) < 0 || load_teams(db, out, &rows) < 0 ||
        load_tokens(db, out, &rows) < 0 || load_events(db, out, &rows) < 0 ||
        load_photos(db, out, &rows) < 0 || load_results(db, out, &rows) < 0 ||
        load_draws(db, out) < 0 || load_claims(db, out) < 0 || load_announcements(db, out) < 0 ||
        count_staff_log(db, out) < 0 || load_media(db, out) < 0) {
        snprintf(err, err_size, "reading progress: %s", sqlite3_errmsg(db));
        goto out;
    }
    {
        /* Scans held for puzzles whose opens_at passed while no server ran (or since
           the last event) count now, as the tick would have counted them. */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        for (size_t i = 0; i < out->ngames; i++)
            spur_game_open_due(out->games[i], (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
    }
    for (size_t i = 0; i < out->ngames; i++)
        spur_game_end_bulk(out->games[i]);
    rc = 0;
    out->rows = rows;
    out->load_ms = (double)(uv_hrtime() - t0) / 1e6;
out:
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_exec(db, "PRAGMA mmap_size = 0", NULL, NULL, NULL);
    if (rc < 0)
        spur_loaded_free(out);
    return rc;
}

void spur_loaded_free(spur_loaded_t *l)
{
    for (size_t i = 0; i < l->ngames; i++)
        spur_game_free(l->games[i]);
    free(l->games);
    for (size_t i = 0; i < l->ndraws; i++)
        spur_draw_pub_free(&l->draws[i]);
    free(l->draws);
    for (size_t i = 0; i < l->nclaims; i++) {
        free(l->claims[i].hunt_id);
        free(l->claims[i].prize_id);
        free(l->claims[i].who);
    }
    free(l->claims);
    for (size_t i = 0; i < l->nanns; i++) {
        free(l->anns[i].hunt_id);
        free(l->anns[i].text);
    }
    free(l->anns);
    for (size_t i = 0; i < l->nmedia; i++) {
        free(l->media[i].hunt_id);
        free(l->media[i].file);
        free(l->media[i].data);
    }
    free(l->media);
    spur_map_free(&l->media_by_key);
    memset(l, 0, sizeof(*l));
}

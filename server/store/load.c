/* Rebuilds the live state from the durable record: hunts from their stored
 * files, then teams, tokens and events in commit order, applied through the
 * same game-rule functions the live server uses. An event naming a puzzle or
 * place the current hunt file no longer has stays in the history but no
 * longer counts. Published draw records are read as stored, never recomputed. */
#include "load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int load_teams(sqlite3 *db, spur_loaded_t *l)
{
    sqlite3_stmt *st;
    const char *sql = "SELECT id, hunt_id, name, name_key, join_salt, created_at_ms "
                      "FROM teams ORDER BY id";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        spur_game_t *g = find_game(l, (const char *)sqlite3_column_text(st, 1));
        unsigned char salt[16] = {0};
        if (id > l->max_team_id)
            l->max_team_id = id;
        if (!g)
            continue;
        if (sqlite3_column_bytes(st, 4) == 16)
            memcpy(salt, sqlite3_column_blob(st, 4), 16);
        spur_game_add_team(g, id, (const char *)sqlite3_column_text(st, 2),
                           (const char *)sqlite3_column_text(st, 3), salt,
                           sqlite3_column_int64(st, 5));
    }
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

static int load_tokens(sqlite3 *db, spur_loaded_t *l)
{
    sqlite3_stmt *st;
    const char *sql = "SELECT tokens.hash, teams.hunt_id, teams.id FROM tokens "
                      "JOIN teams ON teams.id = tokens.team_id";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        spur_game_t *g = find_game(l, (const char *)sqlite3_column_text(st, 1));
        spur_team_t *t = g ? spur_game_team_by_id(g, sqlite3_column_int64(st, 2)) : NULL;
        if (t && sqlite3_column_bytes(st, 0) == 32)
            spur_game_add_token(g, sqlite3_column_blob(st, 0), t);
    }
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

/* Replays one answer: the stored result says what it was judged. A wrong or partial
 * one counts against the guess limit (databases from before partial answers counted
 * may hold a partial answer several times: it counts once, as it would now). */
static void replay_answer(spur_game_t *g, spur_team_t *t, int idx, const char *input,
                          const char *result, int64_t at)
{
    cJSON *res = result ? cJSON_Parse(result) : NULL;
    cJSON *correct = cJSON_GetObjectItemCaseSensitive(res, "correct");

    if (idx >= 0 && cJSON_IsTrue(correct)) {
        spur_game_solve(g, t, idx, at);
    } else if (idx >= 0 && input) {
        char *norm = spur_answer_normalize(input, strlen(input));
        if (norm)
            spur_game_wrong_add(t, idx, norm, at);
        free(norm);
    }
    cJSON_Delete(res);
}

static void replay_scan(spur_game_t *g, spur_team_t *t, const char *place_id, const char *result,
                        int64_t at)
{
    int place = place_id ? spur_hunt_place_index(g->hunt, place_id) : -1;
    cJSON *res = result ? cJSON_Parse(result) : NULL, *id;

    if (place >= 0)
        spur_game_mark_scanned(g, t, place);
    cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(res, "solved"))
    {
        int idx = cJSON_IsString(id) ? spur_hunt_puzzle_index(g->hunt, id->valuestring) : -1;
        if (idx >= 0)
            spur_game_solve(g, t, idx, at);
    }
    cJSON_Delete(res);
}

static int load_events(sqlite3 *db, spur_loaded_t *l)
{
    sqlite3_stmt *st;
    const char *sql = "SELECT hunt_id, team_id, kind, puzzle_id, place_id, client_id, input, "
                      "result, at_ms FROM events ORDER BY id";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        spur_game_t *g = find_game(l, (const char *)sqlite3_column_text(st, 0));
        spur_team_t *t = g ? spur_game_team_by_id(g, sqlite3_column_int64(st, 1)) : NULL;
        const char *kind = (const char *)sqlite3_column_text(st, 2);
        const char *puzzle = (const char *)sqlite3_column_text(st, 3);
        const char *place = (const char *)sqlite3_column_text(st, 4);
        const char *client = (const char *)sqlite3_column_text(st, 5);
        const char *input = (const char *)sqlite3_column_text(st, 6);
        const char *result = (const char *)sqlite3_column_text(st, 7);
        int64_t at = sqlite3_column_int64(st, 8);
        int idx;

        if (!t || !kind)
            continue;
        idx = puzzle ? spur_hunt_puzzle_index(g->hunt, puzzle) : -1;
        if (strcmp(kind, "answer") == 0)
            replay_answer(g, t, idx, input, result, at);
        else if (strcmp(kind, "hint") == 0 && idx >= 0)
            spur_game_take_hint(g, t, idx);
        else if (strcmp(kind, "scan") == 0)
            replay_scan(g, t, place, result, at);
        if (client && result) {
            char what[SPUR_ID_MAX + 8];
            snprintf(what, sizeof(what), strcmp(kind, "scan") == 0 ? "scan" : "answer:%s",
                     puzzle ? puzzle : "");
            spur_game_result_put(g, t, client, what, 200, result);
        }
    }
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
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

    memset(out, 0, sizeof(*out));
    /* One read transaction: a `spur import` or `spur draw` committed meanwhile is seen
       either wholly or not at all, never hunts of one moment with teams of another. */
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "reading: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (load_hunts(db, out, err, err_size) < 0)
        goto out;
    if (load_teams(db, out) < 0 || load_tokens(db, out) < 0 || load_events(db, out) < 0 ||
        load_draws(db, out) < 0) {
        snprintf(err, err_size, "reading progress: %s", sqlite3_errmsg(db));
        goto out;
    }
    rc = 0;
out:
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
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
    memset(l, 0, sizeof(*l));
}

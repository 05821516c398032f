/* The writer thread and its group commit. Keeps true: a record's done
 * callback runs on the loop thread exactly once, after the transaction that
 * holds it committed (status 0) or was rolled back (status -1; -2 for a draw
 * whose prize was drawn before); records complete in submission order.
 *
 * Checkpoints (copying the WAL back into the database file) are not made by the
 * commit that happens to fill the WAL, as SQLite's automatic ones are: that commit,
 * and every answer waiting behind it, would wait for the copy. A checkpointer thread
 * with its own connection makes them (PASSIVE: never in a writer's way) whenever
 * the WAL has grown by CHECKPOINT_PAGES since the last one was asked for. (Asking
 * whenever the WAL was over a size, as before, made checkpoints back to back once a
 * flood of answers kept it from starting over: p99 of answers 70-130 ms instead of
 * about 45.) A PASSIVE checkpoint never catches up with a writer that keeps writing,
 * so under a long flood the WAL only grows; at wal_max_pages the writer makes one
 * itself between two transactions, which copies what is left and lets the next commit
 * start the WAL over: that bounds the WAL file (128 MiB, SPUR_WAL_MAX_MB), for a pause of the
 * writer of some 10-150 ms that only a flood of many minutes meets. */
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/log.h"
#include "core/mem.h"
#include "store/load.h"
#include "store/store.h"

#define CHECKPOINT_PAGES 4000 /* WAL pages (4 KiB) added between background checkpoints */
#define WAL_MAX_MB 128        /* default bound of the WAL file (SPUR_WAL_MAX_MB) */

/* Every statement the writer runs, prepared once at start: per-record savepoints
 * too, since parsing SQL text for each record would cost more than the insert. */
enum {
    ST_TEAM,
    ST_TOKEN,
    ST_EVENT,
    ST_DRAW,
    ST_DRAW_GET,
    ST_TEAM_EDIT,
    ST_CLAIM,
    ST_CLAIM_GET,
    ST_LOG,
    ST_CONTACT,
    ST_CONTACT_DEL,
    ST_ANNOUNCE,
    ST_ANNOUNCE_DEL,
    ST_PHOTO,
    ST_PHOTO_DECIDE,
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_SP,
    ST_SP_RELEASE,
    ST_SP_ROLLBACK,
    ST_COUNT_
};

static const char *const sql_text[ST_COUNT_] = {
    [ST_TEAM] = "INSERT INTO teams(id, hunt_id, name, name_key, join_salt, join_hash, "
                "created_at_ms, test) VALUES (?,?,?,?,?,?,?,?)",
    [ST_TOKEN] = "INSERT INTO tokens(hash, team_id, created_at_ms) VALUES (?,?,?)",
    [ST_EVENT] = "INSERT INTO events(hunt_id, team_id, kind, puzzle_id, place_id, client_id, "
                 "input, result, points, at_ms, made_at_ms, verdict, solved) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_DRAW] = "INSERT INTO draws(hunt_id, prize_id, record, drawn_at_ms) VALUES (?,?,?,?)",
    [ST_DRAW_GET] = "SELECT record, drawn_at_ms FROM draws WHERE hunt_id = ? AND prize_id = ?",
    [ST_TEAM_EDIT] = SPUR_SQL_TEAM_EDIT,
    [ST_CLAIM] = "INSERT INTO claims(hunt_id, prize_id, team_id, state, at_ms, who) "
                 "VALUES (?,?,?,?,?,?)",
    [ST_CLAIM_GET] = "SELECT at_ms FROM claims WHERE hunt_id = ? AND prize_id = ? AND team_id = ?",
    [ST_LOG] = SPUR_SQL_STAFF_LOG,
    [ST_CONTACT] = "INSERT OR REPLACE INTO contacts(team_id, data, created_at_ms) VALUES (?,?,?)",
    [ST_CONTACT_DEL] = "DELETE FROM contacts WHERE team_id = ?",
    [ST_ANNOUNCE] = "INSERT INTO announcements(hunt_id, text, at_ms, who) VALUES (?,?,?,?)",
    [ST_ANNOUNCE_DEL] = "UPDATE announcements SET deleted_at_ms = ? WHERE id = ? AND hunt_id = ? "
                        "AND deleted_at_ms IS NULL",
    [ST_PHOTO] = "INSERT INTO photos(id, hunt_id, team_id, puzzle_id, client_id, status, points, "
                 "width, height, bytes, at_ms, made_at_ms, screen) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_PHOTO_DECIDE] =
        "UPDATE photos SET status = ?, points = ?, message = ?, reviewed_at_ms = ?, "
        "reviewer = ? WHERE id = ? AND status = ?",
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SP] = "SAVEPOINT rec",
    [ST_SP_RELEASE] = "RELEASE rec",
    [ST_SP_ROLLBACK] = "ROLLBACK TO rec",
};

struct spur_writer {
    uv_loop_t *loop;
    uv_async_t async; /* wakes the loop when completions are ready */
    uv_thread_t thread;
    uv_mutex_t lock;
    uv_cond_t cond;
    spur_rec_t *todo_head, *todo_tail; /* guarded by lock */
    spur_rec_t *done_head, *done_tail; /* guarded by lock */
    int stopping;                      /* guarded by lock */
    size_t pending;                    /* loop thread only */
    sqlite3 *db;                       /* writer thread only after start */
    sqlite3_stmt *st[ST_COUNT_];       /* prepared once: see sql_text[] */
    const char *fault_file;            /* test hook: commits fail while this file exists */
    int wal_pages;                     /* writer thread: WAL size after the last commit */
    int ck_mark;                       /* writer thread: WAL size when last woken */
    int wal_max_pages;                 /* past it the writer lets the WAL start over */
    void (*on_batch)(void *data);      /* loop thread: after each delivered batch */
    void *on_batch_data;
    /* the checkpointer */
    uv_thread_t ck_thread;
    uv_cond_t ck_cond; /* with lock */
    int ck_wanted;     /* guarded by lock */
    int ck_stopping;   /* guarded by lock */
    sqlite3 *ck_db;    /* checkpointer thread only after start */
};

spur_rec_t *spur_rec_new(spur_rec_kind_t kind)
{
    spur_rec_t *r = spur_calloc(1, sizeof(*r));
    r->kind = kind;
    return r;
}

void spur_rec_free(spur_rec_t *r)
{
    if (!r)
        return;
    free(r->hunt_id);
    free(r->name);
    free(r->name_key);
    free(r->puzzle_id);
    free(r->place_id);
    free(r->client_id);
    free(r->input);
    free(r->result);
    free(r->solved);
    free(r->prize_id);
    free(r->record);
    free(r->reason);
    free(r->who);
    free(r->addr);
    free(r->detail);
    free(r->put_json);
    free(r->if_etag);
    free(r->photo_id);
    free(r->message);
    if (r->loaded) {
        spur_loaded_free(r->loaded);
        free(r->loaded);
    }
    free(r);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static int run(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Inserts a draw record. A draw is made once per prize: on a primary-key conflict
 * returns -2 and puts the record stored before into r->record. */
static int write_draw(spur_writer_t *w, spur_rec_t *r)
{
    sqlite3_stmt *st = w->st[ST_DRAW];
    int rc;
    bind_text(st, 1, r->hunt_id);
    bind_text(st, 2, r->prize_id);
    bind_text(st, 3, r->record);
    sqlite3_bind_int64(st, 4, r->at);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == SQLITE_DONE)
        return 0;
    if ((rc & 0xff) != SQLITE_CONSTRAINT)
        return -1;
    st = w->st[ST_DRAW_GET];
    bind_text(st, 1, r->hunt_id);
    bind_text(st, 2, r->prize_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        free(r->record);
        r->record = spur_strdup((const char *)sqlite3_column_text(st, 0));
        r->at = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return -2;
}

/* The staff_log row of a staff action. */
static int write_log(spur_writer_t *w, spur_rec_t *r)
{
    sqlite3_stmt *st = w->st[ST_LOG];
    bind_text(st, 1, r->hunt_id);
    sqlite3_bind_int64(st, 2, r->at);
    bind_text(st, 3, r->who ? r->who : "");
    bind_text(st, 4, r->addr ? r->addr : "");
    bind_text(st, 5, r->action);
    if (r->team_id)
        sqlite3_bind_int64(st, 6, r->team_id);
    else
        sqlite3_bind_null(st, 6);
    bind_text(st, 7, r->detail);
    return run(st);
}

/* A claim: once per (hunt, prize, team). On a primary-key conflict returns -2 with the
 * time of the earlier one in r->at. */
static int write_claim(spur_writer_t *w, spur_rec_t *r)
{
    sqlite3_stmt *st = w->st[ST_CLAIM];
    int rc;
    bind_text(st, 1, r->hunt_id);
    bind_text(st, 2, r->prize_id);
    sqlite3_bind_int64(st, 3, r->team_id);
    bind_text(st, 4, r->claim == 2 ? "released" : "redeemed");
    sqlite3_bind_int64(st, 5, r->at);
    bind_text(st, 6, r->who ? r->who : "");
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == SQLITE_DONE)
        return 0;
    if ((rc & 0xff) != SQLITE_CONSTRAINT)
        return -1;
    st = w->st[ST_CLAIM_GET];
    bind_text(st, 1, r->hunt_id);
    bind_text(st, 2, r->prize_id);
    sqlite3_bind_int64(st, 3, r->team_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        r->at = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return -2;
}

static int write_staff(spur_writer_t *w, spur_rec_t *r)
{
    sqlite3_stmt *st;
    int rc;
    if (r->claim) {
        if ((rc = write_claim(w, r)) < 0)
            return rc;
    } else if (r->team_id) {
        st = w->st[ST_TEAM_EDIT];
        bind_text(st, 1, r->name);
        bind_text(st, 2, r->name_key);
        sqlite3_bind_int(st, 3, r->hidden);
        sqlite3_bind_int(st, 4, r->excluded);
        bind_text(st, 5, r->reason);
        sqlite3_bind_int64(st, 6, r->team_id);
        return run(st);
    }
    return 0;
}

/* An announcement sent (item_id 0: inserted, then item_id and the staff_log detail
 * say which) or deleted (-2 when it was not there to delete: deleted meanwhile). */
static int write_announce(spur_writer_t *w, spur_rec_t *r)
{
    sqlite3_stmt *st;
    spur_buf_t detail = {0};
    if (r->item_id) {
        st = w->st[ST_ANNOUNCE_DEL];
        sqlite3_bind_int64(st, 1, r->at);
        sqlite3_bind_int64(st, 2, r->item_id);
        bind_text(st, 3, r->hunt_id);
        if (run(st) < 0)
            return -1;
        return sqlite3_changes(w->db) == 1 ? 0 : -2;
    }
    st = w->st[ST_ANNOUNCE];
    bind_text(st, 1, r->hunt_id);
    bind_text(st, 2, r->input);
    sqlite3_bind_int64(st, 3, r->at);
    bind_text(st, 4, r->who ? r->who : "");
    if (run(st) < 0)
        return -1;
    r->item_id = sqlite3_last_insert_rowid(w->db);
    spur_buf_printf(&detail, "{\"id\":%lld,\"text\":", (long long)r->item_id);
    spur_buf_json_str(&detail, r->input);
    spur_buf_puts(&detail, "}");
    free(r->detail);
    r->detail = spur_buf_steal(&detail, NULL);
    return 0;
}

/* A photo sent or decided, and the play event of a decision that changes a score. */
static int write_photo(spur_writer_t *w, spur_rec_t *r)
{
    sqlite3_stmt *st;
    if (r->photo_new) {
        st = w->st[ST_PHOTO];
        bind_text(st, 1, r->photo_id);
        bind_text(st, 2, r->hunt_id);
        sqlite3_bind_int64(st, 3, r->team_id);
        bind_text(st, 4, r->puzzle_id);
        bind_text(st, 5, r->client_id);
        bind_text(st, 6, spur_photo_status_name(r->photo_status));
        sqlite3_bind_int(st, 7, r->points);
        sqlite3_bind_int(st, 8, r->width);
        sqlite3_bind_int(st, 9, r->height);
        sqlite3_bind_int64(st, 10, r->bytes);
        sqlite3_bind_int64(st, 11, r->photo_at);
        if (r->made_at)
            sqlite3_bind_int64(st, 12, r->made_at);
        else
            sqlite3_bind_null(st, 12);
        sqlite3_bind_int(st, 13, r->screen);
        if (run(st) < 0)
            return -1;
    } else {
        st = w->st[ST_PHOTO_DECIDE];
        bind_text(st, 1, spur_photo_status_name(r->photo_status));
        sqlite3_bind_int(st, 2, r->points);
        bind_text(st, 3, r->message);
        sqlite3_bind_int64(st, 4, r->at);
        bind_text(st, 5, r->who);
        bind_text(st, 6, r->photo_id);
        bind_text(st, 7, spur_photo_status_name(r->photo_old));
        if (run(st) < 0)
            return -1;
        if (sqlite3_changes(w->db) != 1)
            return -2;
    }
    if (!r->photo_event)
        return 0;
    st = w->st[ST_EVENT];
    bind_text(st, 1, r->hunt_id);
    sqlite3_bind_int64(st, 2, r->team_id);
    bind_text(st, 3, "photo");
    bind_text(st, 4, r->puzzle_id);
    bind_text(st, 7, r->photo_id);
    sqlite3_bind_int(st, 9, r->points);
    sqlite3_bind_int64(st, 10, r->photo_at);
    sqlite3_bind_null(st, 11);
    bind_text(st, 12, r->photo_event);
    return run(st);
}

static int write_one(spur_writer_t *w, spur_rec_t *r)
{
    sqlite3_stmt *st;
    switch (r->kind) {
    case SPUR_REC_TEAM:
        st = w->st[ST_TEAM];
        sqlite3_bind_int64(st, 1, r->team_id);
        bind_text(st, 2, r->hunt_id);
        bind_text(st, 3, r->name);
        bind_text(st, 4, r->name_key);
        sqlite3_bind_blob(st, 5, r->join_salt, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 6, r->join_hash, 32, SQLITE_STATIC);
        sqlite3_bind_int64(st, 7, r->at);
        sqlite3_bind_int(st, 8, r->test);
        if (run(st) < 0)
            return -1;
        /* the creating phone's token follows */
        __attribute__((fallthrough));
    case SPUR_REC_TOKEN:
        st = w->st[ST_TOKEN];
        sqlite3_bind_blob(st, 1, r->token_hash, 32, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, r->team_id);
        sqlite3_bind_int64(st, 3, r->at);
        return run(st);
    case SPUR_REC_EVENT:
        st = w->st[ST_EVENT];
        bind_text(st, 1, r->hunt_id);
        sqlite3_bind_int64(st, 2, r->team_id);
        bind_text(st, 3, r->ev_kind);
        bind_text(st, 4, r->puzzle_id);
        bind_text(st, 5, r->place_id);
        bind_text(st, 6, r->client_id);
        bind_text(st, 7, r->input);
        bind_text(st, 8, r->result);
        sqlite3_bind_int(st, 9, r->points);
        sqlite3_bind_int64(st, 10, r->at);
        if (r->made_at)
            sqlite3_bind_int64(st, 11, r->made_at);
        else
            sqlite3_bind_null(st, 11);
        bind_text(st, 12, r->verdict);
        bind_text(st, 13, r->solved);
        return run(st);
    case SPUR_REC_DRAW:
        return write_draw(w, r);
    case SPUR_REC_STAFF:
        return write_staff(w, r);
    case SPUR_REC_CONTACT:
        st = w->st[r->input ? ST_CONTACT : ST_CONTACT_DEL];
        sqlite3_bind_int64(st, 1, r->team_id);
        if (r->input) {
            bind_text(st, 2, r->input);
            sqlite3_bind_int64(st, 3, r->at);
        }
        return run(st);
    case SPUR_REC_ANNOUNCE:
        return write_announce(w, r);
    case SPUR_REC_PHOTO:
        return write_photo(w, r);
    case SPUR_REC_RELOAD:
    case SPUR_REC_PURGE:
        break; /* each runs on its own (thread_main) */
    }
    return -1;
}

/* Runs one of the statements without parameters (transaction control). */
static int step(spur_writer_t *w, int which)
{
    sqlite3_stmt *st = w->st[which];
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        spur_error("writer: %s: %s", sql_text[which], sqlite3_errmsg(w->db));
        return -1;
    }
    return 0;
}

/* Commits the records from head up to (not including) stop in one transaction. */
static void checkpoint_wake(spur_writer_t *w)
{
    uv_mutex_lock(&w->lock);
    w->ck_wanted = 1;
    uv_cond_signal(&w->ck_cond);
    uv_mutex_unlock(&w->lock);
}

/* SQLite calls this after every commit with the WAL's size in pages. */
static int on_wal(void *data, sqlite3 *db, const char *name, int pages)
{
    spur_writer_t *w = data;
    (void)db;
    (void)name;
    w->wal_pages = pages;
    return SQLITE_OK;
}

/* The WAL is at its bound: copy the rest back now, so the next commit starts it over. */
static void catch_up(spur_writer_t *w)
{
    uint64_t t0 = uv_hrtime();
    int rc = sqlite3_wal_checkpoint_v2(w->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    if (rc == SQLITE_BUSY)
        return; /* the checkpointer is at it: try after the next commit */
    if (rc != SQLITE_OK)
        spur_warn("checkpoint: %s", sqlite3_errmsg(w->db));
    else
        spur_info("WAL bei %d Seiten: zurückgeschrieben in %.0f ms / WAL at %d pages: copied "
                  "back in %.0f ms",
                  w->wal_pages, (double)(uv_hrtime() - t0) / 1e6, w->wal_pages,
                  (double)(uv_hrtime() - t0) / 1e6);
}

static void checkpointer_main(void *arg)
{
    spur_writer_t *w = arg;
    for (;;) {
        uv_mutex_lock(&w->lock);
        while (!w->ck_wanted && !w->ck_stopping)
            uv_cond_wait(&w->ck_cond, &w->lock);
        int stop = w->ck_stopping;
        w->ck_wanted = 0;
        uv_mutex_unlock(&w->lock);
        if (stop)
            break;
        if (sqlite3_wal_checkpoint_v2(w->ck_db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL) !=
            SQLITE_OK)
            spur_warn("checkpoint: %s", sqlite3_errmsg(w->ck_db));
    }
}

/* Writes one record inside the open transaction. A failing statement undoes only
 * itself (SQLite's statement journal), so a one-statement record fails alone without
 * a savepoint of its own; a team is two statements and gets one. Returns 0, -1, -2. */
static int write_rec(spur_writer_t *w, spur_rec_t *r)
{
    int sp = r->kind == SPUR_REC_TEAM || r->kind == SPUR_REC_PHOTO || r->action, rc;
    if (sp && step(w, ST_SP) < 0)
        return -1;
    rc = write_one(w, r);
    if (rc == 0 && r->action) /* a staff action: who did what, with it */
        rc = write_log(w, r);
    if (sp) {
        if (rc < 0 && !sqlite3_get_autocommit(w->db))
            step(w, ST_SP_ROLLBACK);
        if (!sqlite3_get_autocommit(w->db))
            step(w, ST_SP_RELEASE);
    }
    return rc;
}

/* Commits the records from head up to (not including) stop in one transaction. */
static void commit_run(spur_writer_t *w, spur_rec_t *head, spur_rec_t *stop)
{
    uint64_t t0 = uv_hrtime();
    int ok = step(w, ST_BEGIN) == 0;
    struct stat sb;

    for (spur_rec_t *r = head; ok && r != stop; r = r->next) {
        int rc = write_rec(w, r);
        r->status = rc < 0 ? rc : 0;
        if (rc == -1)
            spur_error("writer: record for team %lld failed: %s", (long long)r->team_id,
                       sqlite3_errmsg(w->db));
        if (rc < 0 && sqlite3_get_autocommit(w->db)) {
            /* SQLite rolled the whole transaction back (disk full, I/O error): the
               records before this one are gone. Fail the whole run: each is answered
               503, none is stored. */
            ok = 0;
        }
    }
    if (ok && w->fault_file && stat(w->fault_file, &sb) == 0) {
        spur_warn("writer: failing this commit (fault file %s exists)", w->fault_file);
        ok = 0;
    }
    if (ok && step(w, ST_COMMIT) < 0)
        ok = 0;
    if (!ok) {
        if (!sqlite3_get_autocommit(w->db))
            step(w, ST_ROLLBACK);
        for (spur_rec_t *r = head; r != stop; r = r->next)
            r->status = -1;
    }
    for (spur_rec_t *r = head; r != stop; r = r->next)
        r->commit_ns = uv_hrtime() - t0;
    if (w->wal_pages < w->ck_mark)
        w->ck_mark = 0; /* the WAL started over */
    if (ok && w->wal_pages - w->ck_mark >= CHECKPOINT_PAGES) {
        w->ck_mark = w->wal_pages;
        checkpoint_wake(w);
    }
    if (ok && w->wal_pages >= w->wal_max_pages)
        catch_up(w);
}

/* Deletes the test teams of r->hunt_id with everything they did, in one transaction
 * with its staff_log row; r->deleted says how many teams. Returns 0 or -1. */
static int purge_test(spur_writer_t *w, spur_rec_t *r)
{
    static const char *const sql[] = {
        "DELETE FROM events WHERE team_id IN (SELECT id FROM teams WHERE hunt_id = ?1 AND test)",
        "DELETE FROM tokens WHERE team_id IN (SELECT id FROM teams WHERE hunt_id = ?1 AND test)",
        "DELETE FROM contacts WHERE team_id IN "
        "(SELECT id FROM teams WHERE hunt_id = ?1 AND test)",
        "DELETE FROM claims WHERE hunt_id = ?1 AND team_id IN "
        "(SELECT id FROM teams WHERE hunt_id = ?1 AND test)",
        /* their photo files stay until `spur purge --photos`; nothing names them */
        "DELETE FROM photos WHERE team_id IN (SELECT id FROM teams WHERE hunt_id = ?1 AND test)",
        "DELETE FROM teams WHERE hunt_id = ?1 AND test",
    };
    int ok = step(w, ST_BEGIN) == 0;
    for (size_t i = 0; ok && i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *st = NULL;
        ok = sqlite3_prepare_v2(w->db, sql[i], -1, &st, NULL) == SQLITE_OK;
        if (ok) {
            bind_text(st, 1, r->hunt_id);
            ok = sqlite3_step(st) == SQLITE_DONE;
        }
        sqlite3_finalize(st);
        r->deleted = sqlite3_changes(w->db); /* the last statement's: the teams */
    }
    if (ok) {
        char detail[48];
        snprintf(detail, sizeof detail, "{\"deleted\":%lld}", (long long)r->deleted);
        free(r->detail);
        r->detail = spur_strdup(detail);
        ok = write_log(w, r) == 0 && step(w, ST_COMMIT) == 0;
    }
    if (!ok) {
        spur_error("writer: deleting test teams of %s failed: %s", r->hunt_id,
                   sqlite3_errmsg(w->db));
        if (!sqlite3_get_autocommit(w->db))
            step(w, ST_ROLLBACK);
        return -1;
    }
    return 0;
}

/* The contacts of r->hunt_id are deleted for good (store.c overwrites the pages and
 * checkpoints the WAL, so it runs on its own, outside any transaction), then a
 * staff_log row says so. */
static void do_purge(spur_writer_t *w, spur_rec_t *r)
{
    char err[256];
    r->status = spur_store_contacts_purge(w->db, r->hunt_id, &r->deleted, err, sizeof err);
    if (r->status < 0) {
        spur_error("writer: %s", err);
        return;
    }
    free(r->detail);
    r->detail = spur_asprintf("{\"deleted\":%lld}", (long long)r->deleted);
    if (r->action && write_log(w, r) < 0)
        spur_error("writer: the staff log row of the contact purge of %s failed: %s", r->hunt_id,
                   sqlite3_errmsg(w->db));
}

/* The editor's save of r->put_json with its staff_log row, in one transaction. Returns
 * 0, -1, or -2 when the stored file's ETag is no longer r->if_etag. */
static int put_source(spur_writer_t *w, spur_rec_t *r)
{
    char err[256];
    spur_store_put_t p = {.id = r->hunt_id, .json = r->put_json, .len = r->put_len,
                          .keep_media = 1, .who = r->who, .if_etag = r->if_etag};
    int ok = step(w, ST_BEGIN) == 0 && spur_store_put(w->db, &p, err, sizeof err) == 0;
    if (ok) {
        r->version = p.version;
        free(r->detail);
        r->detail = spur_asprintf("{\"version\":%lld,\"bytes\":%zu}", (long long)p.version,
                                  r->put_len);
        ok = write_log(w, r) == 0 && step(w, ST_COMMIT) == 0;
        if (!ok)
            snprintf(err, sizeof err, "%s", sqlite3_errmsg(w->db));
    }
    if (!ok) {
        if (!p.conflict)
            spur_error("writer: saving hunt %s failed: %s", r->hunt_id, err);
        if (!sqlite3_get_autocommit(w->db))
            step(w, ST_ROLLBACK);
        return p.conflict ? -2 : -1;
    }
    return 0;
}

static void do_reload(spur_writer_t *w, spur_rec_t *r)
{
    char err[256];
    if (r->purge_test && purge_test(w, r) < 0) {
        r->status = -1;
        return;
    }
    if (r->put_json && (r->status = put_source(w, r)) < 0)
        return;
    r->loaded = spur_calloc(1, sizeof(*r->loaded));
    r->status = spur_store_load(w->db, r->loaded, err, sizeof(err));
    if (r->status < 0) {
        spur_error("reload failed: %s", err);
        free(r->loaded);
        r->loaded = NULL;
    }
}

static void thread_main(void *arg)
{
    spur_writer_t *w = arg;
    for (;;) {
        spur_rec_t *head, *tail;
        uv_mutex_lock(&w->lock);
        while (!w->todo_head && !w->stopping)
            uv_cond_wait(&w->cond, &w->lock);
        head = w->todo_head;
        tail = w->todo_tail;
        w->todo_head = w->todo_tail = NULL;
        int stopping = w->stopping;
        uv_mutex_unlock(&w->lock);
        if (!head && stopping)
            break;
        /* Runs of ordinary records share a transaction; a reload stands alone so it
           sees everything committed before it, and a contact purge because it
           checkpoints. */
        spur_rec_t *run_start = head;
        for (spur_rec_t *r = head;; r = r->next) {
            if (!r || r->kind == SPUR_REC_RELOAD || r->kind == SPUR_REC_PURGE) {
                if (run_start != r)
                    commit_run(w, run_start, r);
                if (!r)
                    break;
                if (r->kind == SPUR_REC_RELOAD)
                    do_reload(w, r);
                else
                    do_purge(w, r);
                run_start = r->next;
            }
        }
        uv_mutex_lock(&w->lock);
        if (w->done_tail)
            w->done_tail->next = head;
        else
            w->done_head = head;
        w->done_tail = tail;
        uv_mutex_unlock(&w->lock);
        uv_async_send(&w->async);
    }
}

static void deliver(spur_writer_t *w)
{
    spur_rec_t *r, *next;
    uv_mutex_lock(&w->lock);
    r = w->done_head;
    w->done_head = w->done_tail = NULL;
    uv_mutex_unlock(&w->lock);
    if (!r)
        return;
    for (; r; r = next) {
        next = r->next;
        r->next = NULL;
        w->pending--;
        r->done(r);
    }
    if (w->on_batch)
        w->on_batch(w->on_batch_data);
}

void spur_writer_on_batch(spur_writer_t *w, void (*cb)(void *data), void *data)
{
    w->on_batch = cb;
    w->on_batch_data = data;
}

static void on_async(uv_async_t *a)
{
    deliver(a->data);
}

static int prepare(sqlite3 *db, const char *text, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v3(db, text, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
        spur_error("writer: prepare: %s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

int spur_writer_start(uv_loop_t *loop, const char *path, spur_writer_t **out)
{
    spur_writer_t *w = spur_calloc(1, sizeof(*w));
    int rc, i = 0;
    char err[256];

    w->loop = loop;
    w->fault_file = getenv("SPUR_FAULT_FILE");
    {
        const char *e = getenv("SPUR_WAL_MAX_MB");
        long mb = e ? atol(e) : 0;
        w->wal_max_pages =
            (int)((mb >= 1 && mb <= 65536 ? mb : WAL_MAX_MB) * 256); /* 4 KiB pages */
    }
    if (spur_store_open(path, &w->db, err, sizeof(err)) < 0 ||
        spur_store_open(path, &w->ck_db, err, sizeof(err)) < 0) {
        spur_error("writer: %s", err);
        goto fail;
    }
    for (; i < ST_COUNT_; i++)
        if (prepare(w->db, sql_text[i], &w->st[i]) < 0)
            goto fail;
    sqlite3_wal_hook(w->db, on_wal, w); /* also ends SQLite's automatic checkpoints */
    if (uv_mutex_init(&w->lock) < 0 || uv_cond_init(&w->cond) < 0 ||
        uv_cond_init(&w->ck_cond) < 0 || uv_async_init(loop, &w->async, on_async) < 0) {
        spur_error("writer: cannot set up its lock or wake-up handle");
        abort(); /* at start-up only: nothing to save, and no sane way to go on */
    }
    w->async.data = w;
    if ((rc = uv_thread_create(&w->thread, thread_main, w)) < 0 ||
        (rc = uv_thread_create(&w->ck_thread, checkpointer_main, w)) < 0) {
        spur_error("writer: cannot start its threads: %s", uv_strerror(rc));
        abort();
    }
    *out = w;
    return 0;

fail:
    while (i-- > 0)
        sqlite3_finalize(w->st[i]);
    spur_store_close(w->ck_db);
    spur_store_close(w->db);
    free(w);
    return -1;
}

void spur_writer_submit(spur_writer_t *w, spur_rec_t *r)
{
    r->next = NULL;
    w->pending++;
    uv_mutex_lock(&w->lock);
    if (w->todo_tail)
        w->todo_tail->next = r;
    else
        w->todo_head = r;
    w->todo_tail = r;
    uv_cond_signal(&w->cond);
    uv_mutex_unlock(&w->lock);
}

size_t spur_writer_pending(const spur_writer_t *w)
{
    return w->pending;
}

static void on_async_closed(uv_handle_t *h)
{
    free(h->data);
}

void spur_writer_stop(spur_writer_t *w)
{
    uv_mutex_lock(&w->lock);
    w->stopping = 1;
    w->ck_stopping = 1;
    uv_cond_signal(&w->cond);
    uv_cond_signal(&w->ck_cond);
    uv_mutex_unlock(&w->lock);
    uv_thread_join(&w->thread);
    uv_thread_join(&w->ck_thread);
    spur_store_close(w->ck_db);
    deliver(w);
    for (int i = 0; i < ST_COUNT_; i++)
        sqlite3_finalize(w->st[i]);
    spur_store_close(w->db);
    uv_mutex_destroy(&w->lock);
    uv_cond_destroy(&w->cond);
    uv_cond_destroy(&w->ck_cond);
    uv_close((uv_handle_t *)&w->async, on_async_closed);
}

/* The SQLite store: opening with the durability settings spur promises (WAL,
 * synchronous=FULL, foreign keys, busy timeout), schema migrations, hunt import
 * and reading the hunts back. Migrations are a table indexed by the version they
 * produce; each runs in its own transaction together with the bump of
 * meta.schema_version, so a database is always at exactly one version. A database
 * newer than this binary is refused rather than guessed at. Also counts and purges
 * a hunt's contact data for `spur purge`. Calls block. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/mem.h"

#define BUSY_TIMEOUT_MS 5000

#define VERSIONS_KEEP_SQL "100" /* SPUR_VERSIONS_KEEP, for the SQL text */
_Static_assert(SPUR_VERSIONS_KEEP == 100, "VERSIONS_KEEP_SQL says SPUR_VERSIONS_KEEP");

/* Foreign keys are checked at COMMIT (deferred), so the writer's group commit may
 * hold a team and its token in either order.
 *
 * migrations[v - 1] takes a database from version v-1 to v. To change the schema,
 * append an entry and raise SPUR_SCHEMA_VERSION; never edit a shipped entry. */
static const char *const migrations[] = {
    /* 1: the schema documented in store.h */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE hunts("
    "  id TEXT PRIMARY KEY NOT NULL,"
    "  json TEXT NOT NULL,"
    "  secret BLOB NOT NULL CHECK(length(secret) = 32),"
    "  draw_seed BLOB NOT NULL CHECK(length(draw_seed) = 32),"
    "  imported_at INTEGER NOT NULL);"
    "CREATE TABLE teams("
    "  id INTEGER PRIMARY KEY,"
    "  hunt_id TEXT NOT NULL REFERENCES hunts(id) DEFERRABLE INITIALLY DEFERRED,"
    "  name TEXT NOT NULL,"
    "  name_key TEXT NOT NULL,"
    "  join_salt BLOB NOT NULL,"
    "  join_hash BLOB NOT NULL,"
    "  created_at_ms INTEGER NOT NULL,"
    "  UNIQUE(hunt_id, name_key));"
    "CREATE TABLE tokens("
    "  hash BLOB PRIMARY KEY,"
    "  team_id INTEGER NOT NULL REFERENCES teams(id) DEFERRABLE INITIALLY DEFERRED,"
    "  created_at_ms INTEGER NOT NULL);"
    "CREATE TABLE events("
    "  id INTEGER PRIMARY KEY,"
    "  hunt_id TEXT NOT NULL REFERENCES hunts(id) DEFERRABLE INITIALLY DEFERRED,"
    "  team_id INTEGER NOT NULL REFERENCES teams(id) DEFERRABLE INITIALLY DEFERRED,"
    "  kind TEXT NOT NULL CHECK(kind IN ('answer', 'hint', 'scan')),"
    "  puzzle_id TEXT,"
    "  place_id TEXT,"
    "  client_id TEXT,"
    "  input TEXT,"
    "  result TEXT,"
    "  points INTEGER NOT NULL DEFAULT 0,"
    "  at_ms INTEGER NOT NULL,"
    "  made_at_ms INTEGER);"
    "CREATE INDEX events_by_team ON events(team_id, id);"
    "CREATE INDEX tokens_by_team ON tokens(team_id);"
    "CREATE TABLE contacts("
    "  team_id INTEGER PRIMARY KEY REFERENCES teams(id) DEFERRABLE INITIALLY DEFERRED,"
    "  data TEXT NOT NULL,"
    "  created_at_ms INTEGER NOT NULL);"
    "CREATE TABLE draws("
    "  hunt_id TEXT NOT NULL REFERENCES hunts(id) DEFERRABLE INITIALLY DEFERRED,"
    "  prize_id TEXT NOT NULL,"
    "  record TEXT NOT NULL,"
    "  drawn_at_ms INTEGER NOT NULL,"
    "  PRIMARY KEY(hunt_id, prize_id));",
    /* 2: the events table made anew:
       - verdict and solved: what replay needs as columns, so start-up reads no JSON
         (an answer's verdict; the puzzle ids a scan solved, joined by ','; ids hold
         no comma), filled in for older rows from the result each one answered;
       - CHECKs as comparisons: an IN list made SQLite build a temporary table for
         every row inserted;
       - no index by team (nothing reads one, and it cost every answer a write to a
         random page), but one that finds the newest kept retry results (load.c). */
    "CREATE TABLE events2("
    "  id INTEGER PRIMARY KEY,"
    "  hunt_id TEXT NOT NULL REFERENCES hunts(id) DEFERRABLE INITIALLY DEFERRED,"
    "  team_id INTEGER NOT NULL REFERENCES teams(id) DEFERRABLE INITIALLY DEFERRED,"
    "  kind TEXT NOT NULL CHECK(kind = 'answer' OR kind = 'hint' OR kind = 'scan'),"
    "  puzzle_id TEXT,"
    "  place_id TEXT,"
    "  client_id TEXT,"
    "  input TEXT,"
    "  result TEXT,"
    "  points INTEGER NOT NULL DEFAULT 0,"
    "  at_ms INTEGER NOT NULL,"
    "  made_at_ms INTEGER,"
    "  verdict TEXT CHECK(verdict = 'correct' OR verdict = 'wrong' OR verdict = 'partial'),"
    "  solved TEXT);"
    "INSERT INTO events2 SELECT id, hunt_id, team_id, kind, puzzle_id, place_id, client_id,"
    "  input, result, points, at_ms, made_at_ms,"
    "  CASE WHEN kind <> 'answer' THEN NULL"
    "    WHEN json_valid(result) AND json_extract(result, '$.correct') = 1 THEN 'correct'"
    "    WHEN json_valid(result) AND json_extract(result, '$.partial') = 1 THEN 'partial'"
    "    ELSE 'wrong' END,"
    "  CASE WHEN kind = 'scan' AND json_valid(result) THEN"
    "    (SELECT group_concat(value, ',') FROM json_each(result, '$.solved')) END"
    "  FROM events ORDER BY id;"
    "DROP TABLE events;"
    "ALTER TABLE events2 RENAME TO events;"
    "CREATE INDEX events_kept ON events(id) WHERE client_id IS NOT NULL AND result IS NOT NULL;",
    /* 3: running a real event (docs/api.md, "Teams for staff", "Prizes"):
       - teams: test (a staff test team), hidden (off the public board), excluded (from
         draws) with the staff's reason;
       - staff_log: who did what when, one row per staff action;
       - claims: a prize handed out (state 'redeemed') or given up so that the next
         reserve moves up ('released'), once per (hunt, prize, team). */
    "ALTER TABLE teams ADD COLUMN test INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE teams ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE teams ADD COLUMN excluded INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE teams ADD COLUMN reason TEXT;"
    "CREATE TABLE staff_log("
    "  id INTEGER PRIMARY KEY,"
    "  hunt_id TEXT NOT NULL,"
    "  at_ms INTEGER NOT NULL,"
    "  who TEXT NOT NULL,"
    "  addr TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  team_id INTEGER,"
    "  detail TEXT);"
    "CREATE INDEX staff_log_by_hunt ON staff_log(hunt_id, id);"
    "CREATE TABLE claims("
    "  hunt_id TEXT NOT NULL,"
    "  prize_id TEXT NOT NULL,"
    "  team_id INTEGER NOT NULL,"
    "  state TEXT NOT NULL CHECK(state = 'redeemed' OR state = 'released'),"
    "  at_ms INTEGER NOT NULL,"
    "  who TEXT NOT NULL,"
    "  PRIMARY KEY(hunt_id, prize_id, team_id));",
    /* 4: announcements staff send to every team of a hunt (docs/api.md). A deleted one
       keeps its row with deleted_at_ms set: phones remember the ids they dismissed, so
       an id is never given out twice (AUTOINCREMENT, and the row stays). At most
       SPUR_ANNOUNCE_MAX undeleted rows per hunt (api/announce.c); every row also has
       a staff_log row, which SPUR_STAFF_LOG_MAX bounds. */
    "CREATE TABLE announcements("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  hunt_id TEXT NOT NULL,"
    "  text TEXT NOT NULL,"
    "  at_ms INTEGER NOT NULL,"
    "  who TEXT NOT NULL,"
    "  deleted_at_ms INTEGER);",
    /* 5: pictures (hunt file "image" and "branding.logo"), stored by `spur import` as
       re-encoded copies (tools/media.c); spurd keeps them in memory and serves them
       under their key, so a picture's URL changes exactly when its bytes do. */
    "CREATE TABLE media("
    "  hunt_id TEXT NOT NULL,"
    "  file TEXT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  mime TEXT NOT NULL CHECK(mime = 'image/jpeg' OR mime = 'image/webp'),"
    "  width INTEGER NOT NULL,"
    "  height INTEGER NOT NULL,"
    "  data BLOB NOT NULL,"
    "  PRIMARY KEY(hunt_id, file));",
    /* 6: photo missions ("kind": "photo"). photos: one row per photo a team sent, its
       bytes a file in the photo folder beside the database (<db>-photos/<hunt>/<id>.jpg),
       its status as staff decided. A decision that changes a score is also an event
       of kind 'photo' (verdict 'correct': approved for `points`, 'wrong': revoked), so
       replay sees it in commit order among answers and scans; events is made anew for
       the wider CHECK, as in 2. screen: the team allows the photo, once approved, on
       the big screen. */
    "CREATE TABLE photos("
    "  id TEXT PRIMARY KEY NOT NULL,"
    "  hunt_id TEXT NOT NULL,"
    "  team_id INTEGER NOT NULL REFERENCES teams(id) DEFERRABLE INITIALLY DEFERRED,"
    "  puzzle_id TEXT NOT NULL,"
    "  client_id TEXT,"
    "  status TEXT NOT NULL CHECK(status = 'pending' OR status = 'approved' OR "
    "    status = 'rejected'),"
    "  points INTEGER NOT NULL DEFAULT 0,"
    "  message TEXT,"
    "  width INTEGER NOT NULL,"
    "  height INTEGER NOT NULL,"
    "  bytes INTEGER NOT NULL,"
    "  at_ms INTEGER NOT NULL,"
    "  made_at_ms INTEGER,"
    "  reviewed_at_ms INTEGER,"
    "  reviewer TEXT,"
    "  screen INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX photos_by_hunt ON photos(hunt_id, at_ms);"
    "CREATE TABLE events2("
    "  id INTEGER PRIMARY KEY,"
    "  hunt_id TEXT NOT NULL REFERENCES hunts(id) DEFERRABLE INITIALLY DEFERRED,"
    "  team_id INTEGER NOT NULL REFERENCES teams(id) DEFERRABLE INITIALLY DEFERRED,"
    "  kind TEXT NOT NULL CHECK(kind = 'answer' OR kind = 'hint' OR kind = 'scan' OR "
    "    kind = 'photo'),"
    "  puzzle_id TEXT,"
    "  place_id TEXT,"
    "  client_id TEXT,"
    "  input TEXT,"
    "  result TEXT,"
    "  points INTEGER NOT NULL DEFAULT 0,"
    "  at_ms INTEGER NOT NULL,"
    "  made_at_ms INTEGER,"
    "  verdict TEXT CHECK(verdict = 'correct' OR verdict = 'wrong' OR verdict = 'partial'),"
    "  solved TEXT);"
    "INSERT INTO events2 SELECT * FROM events ORDER BY id;"
    "DROP TABLE events;"
    "ALTER TABLE events2 RENAME TO events;"
    "CREATE INDEX events_kept ON events(id) WHERE client_id IS NOT NULL AND result IS NOT NULL;",
    /* 7: every saved hunt file kept as a version (the web editor's history); the
       stored file of each hunt becomes its first version */
    "CREATE TABLE hunt_versions("
    "  id INTEGER PRIMARY KEY,"
    "  hunt_id TEXT NOT NULL REFERENCES hunts(id) DEFERRABLE INITIALLY DEFERRED,"
    "  at_ms INTEGER NOT NULL,"
    "  who TEXT NOT NULL,"
    "  json TEXT NOT NULL);"
    "CREATE INDEX hunt_versions_by_hunt ON hunt_versions(hunt_id, id);"
    "INSERT INTO hunt_versions(hunt_id, at_ms, who, json) "
    "  SELECT id, imported_at * 1000, 'spur import', json FROM hunts ORDER BY id;",
};

_Static_assert(sizeof migrations / sizeof migrations[0] == SPUR_SCHEMA_VERSION,
               "one migration per schema version");

static void set_err(char *err, size_t err_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    if (!err || !err_size)
        return;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
}

/* Runs sql (no rows expected); on failure writes "what: sqlite message" to err. */
static int exec(sqlite3 *db, const char *sql, const char *what, char *err, size_t err_size)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        set_err(err, err_size, "%s: %s", what, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Reads meta.schema_version; 0 for an empty database. */
static int schema_version(sqlite3 *db, int *version, char *err, size_t err_size)
{
    sqlite3_stmt *st = NULL;
    int rc;
    *version = 0;
    rc = sqlite3_prepare_v2(
        db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        goto fail;
    rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st,
                            NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *version = sqlite3_column_int(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return 0;
fail:
    set_err(err, err_size, "reading the schema version: %s", sqlite3_errmsg(db));
    return -1;
}

static int migrate(sqlite3 *db, char *err, size_t err_size)
{
    int version;
    if (schema_version(db, &version, err, err_size) < 0)
        return -1;
    if (version > SPUR_SCHEMA_VERSION || version < 0) {
        set_err(err, err_size,
                "the database has schema version %d; this spur knows up to version %d", version,
                SPUR_SCHEMA_VERSION);
        return -1;
    }
    for (int v = version + 1; v <= SPUR_SCHEMA_VERSION; v++) {
        char bump[128];
        snprintf(bump, sizeof bump,
                 "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '%d')", v);
        if (exec(db, "BEGIN IMMEDIATE", "migrating", err, err_size) < 0)
            return -1;
        if (exec(db, migrations[v - 1], "migrating the schema", err, err_size) < 0 ||
            exec(db, bump, "migrating the schema", err, err_size) < 0 ||
            exec(db, "COMMIT", "migrating the schema", err, err_size) < 0) {
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
}

int spur_store_open(const char *path, sqlite3 **db, char *err, size_t err_size)
{
    sqlite3 *d = NULL;
    sqlite3_stmt *st = NULL;
    int rc;

    *db = NULL;
    rc = sqlite3_open_v2(path, &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        set_err(err, err_size, "cannot open %s: %s", path,
                d ? sqlite3_errmsg(d) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_busy_timeout(d, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(d, 1);

    /* journal_mode answers with the mode in force: anything but "wal" means the
     * file system or the file refused it, and the durability promise would not hold. */
    rc = sqlite3_prepare_v2(d, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        set_err(err, err_size, "cannot open %s: %s", path, sqlite3_errmsg(d));
        goto fail;
    }
    if (strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0) {
        set_err(err, err_size, "%s: cannot switch to WAL mode (journal mode is %s)", path,
                (const char *)sqlite3_column_text(st, 0));
        goto fail;
    }
    sqlite3_finalize(st);
    st = NULL;

    if (exec(d, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", "setting up", err, err_size) <
            0 ||
        migrate(d, err, err_size) < 0)
        goto fail;
    *db = d;
    return 0;

fail:
    sqlite3_finalize(st);
    sqlite3_close(d);
    return -1;
}

void spur_store_close(sqlite3 *db)
{
    sqlite3_close(db);
}

void spur_media_key(const void *data, size_t len, char key[SPUR_MEDIA_KEY_LEN + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(key, SPUR_MEDIA_KEY_LEN + 1, h, SPUR_MEDIA_KEY_LEN / 2);
}

const char *spur_media_mime(const char *mime)
{
    if (mime && strcmp(mime, "image/jpeg") == 0)
        return "image/jpeg";
    if (mime && strcmp(mime, "image/webp") == 0)
        return "image/webp";
    return NULL;
}

const char *spur_media_ext(const char *mime)
{
    mime = spur_media_mime(mime);
    return !mime ? NULL : mime[6] == 'j' ? "jpg" : "webp";
}

/* Replaces hunt id's rows in media with media[0..n), inside the caller's transaction. */
static int put_media(sqlite3 *db, const char *id, const spur_media_t *media, size_t n)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "DELETE FROM media WHERE hunt_id = ?1", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    rc = sqlite3_prepare_v2(db,
                            "INSERT INTO media(hunt_id, file, key, mime, width, height, data) "
                            "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            -1, &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
        const spur_media_t *m = &media[i];
        sqlite3_reset(st);
        rc = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_text(st, 2, m->file, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_text(st, 3, m->key, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_text(st, 4, m->mime, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int(st, 5, m->width);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int(st, 6, m->height);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_blob64(st, 7, m->data, m->len, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

void spur_store_etag(const char *json, size_t len, char etag[SPUR_ETAG_SIZE])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)json, len);
    etag[0] = '"';
    sodium_bin2hex(etag + 1, 33, h, 16);
    etag[33] = '"';
    etag[34] = '\0';
}

/* The stored file of hunt id into *json (sqlite3_malloc'd, caller frees with
 * sqlite3_free) or NULL when there is none. Returns 0 or -1. */
static int stored_json(sqlite3 *db, const char *id, char **json, size_t *len)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT json FROM hunts WHERE id = ?1", -1, &st, NULL);
    *json = NULL;
    *len = 0;
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *len = (size_t)sqlite3_column_bytes(st, 0);
        *json = sqlite3_malloc64(*len + 1);
        if (*json) {
            memcpy(*json, sqlite3_column_text(st, 0), *len);
            (*json)[*len] = '\0';
        }
        rc = *json ? SQLITE_DONE : SQLITE_NOMEM;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Runs one statement with id bound to ?1 (and text to ?2, at_ms to ?3 when given). */
static int run_bound(sqlite3 *db, const char *sql, const char *id, const char *who,
                     const char *json, size_t len, int64_t at_ms)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && who)
        rc = sqlite3_bind_text(st, 2, who, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && json)
        rc = sqlite3_bind_text(st, 3, json, (int)len, SQLITE_STATIC);
    if (rc == SQLITE_OK && at_ms)
        rc = sqlite3_bind_int64(st, 4, at_ms);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int spur_store_put(sqlite3 *db, spur_store_put_t *p, char *err, size_t err_size)
{
    sqlite3_stmt *st = NULL;
    unsigned char secret[32], seed[32];
    char *old = NULL;
    size_t old_len;
    int rc, ret = -1;

    p->created = p->conflict = 0;
    p->version = 0;
    if (sodium_init() < 0) {
        set_err(err, err_size, "libsodium cannot be initialised");
        return -1;
    }
    if (stored_json(db, p->id, &old, &old_len) < 0)
        goto out;
    if (p->if_etag) {
        char etag[SPUR_ETAG_SIZE] = "";
        if (old)
            spur_store_etag(old, old_len, etag);
        if (strcmp(etag, p->if_etag) != 0) {
            p->conflict = 1;
            set_err(err, err_size, "the hunt was saved by someone else in between");
            sqlite3_free(old);
            return -1;
        }
    }
    if (old) {
        /* secret and draw_seed are left as they are: the same codes, progress and
         * commitment survive an update */
        rc = sqlite3_prepare_v2(db, "UPDATE hunts SET json = ?2, imported_at = ?3 WHERE id = ?1",
                                -1, &st, NULL);
    } else {
        randombytes_buf(secret, sizeof secret);
        randombytes_buf(seed, sizeof seed);
        rc = sqlite3_prepare_v2(db,
                                "INSERT INTO hunts(id, json, imported_at, secret, draw_seed) "
                                "VALUES(?1, ?2, ?3, ?4, ?5)",
                                -1, &st, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_blob(st, 4, secret, sizeof secret, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_blob(st, 5, seed, sizeof seed, SQLITE_STATIC);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 2, p->json, (int)p->len, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        goto out;
    if (!p->keep_media && put_media(db, p->id, p->media, p->nmedia) < 0)
        goto out;
    /* A version per change: saving the same text again adds none. */
    if (!old || old_len != p->len || memcmp(old, p->json, p->len) != 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        if (run_bound(db,
                      "INSERT INTO hunt_versions(hunt_id, who, json, at_ms) "
                      "VALUES(?1, ?2, ?3, ?4)",
                      p->id, p->who ? p->who : "", p->json, p->len,
                      (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000) < 0 ||
            run_bound(db,
                      "DELETE FROM hunt_versions WHERE hunt_id = ?1 AND id <= (SELECT id FROM "
                      "hunt_versions WHERE hunt_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET "
                      VERSIONS_KEEP_SQL ")",
                      p->id, NULL, NULL, 0, 0) < 0)
            goto out;
    }
    p->created = !old;
    ret = 0;
out:
    if (ret < 0)
        set_err(err, err_size, "storing the hunt: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_free(old);
    sodium_memzero(secret, sizeof secret); /* bound without a copy: only now */
    sodium_memzero(seed, sizeof seed);
    if (ret == 0) {
        rc = sqlite3_prepare_v2(db, "SELECT max(id) FROM hunt_versions WHERE hunt_id = ?1", -1,
                                &st, NULL);
        if (rc == SQLITE_OK && sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            p->version = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return ret;
}

int spur_store_put_hunt(sqlite3 *db, const char *id, const char *json, size_t len,
                        const spur_media_t *media, size_t nmedia, int *created, char *err,
                        size_t err_size)
{
    spur_store_put_t p = {.id = id, .json = json, .len = len, .media = media,
                          .nmedia = nmedia, .who = "spur import"};
    if (exec(db, "BEGIN IMMEDIATE", "importing the hunt", err, err_size) < 0)
        return -1;
    if (spur_store_put(db, &p, err, err_size) < 0 ||
        exec(db, "COMMIT", "importing the hunt", err, err_size) < 0) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    if (created)
        *created = p.created;
    return 0;
}

/* Copies a 32-byte blob column; -1 when it is not exactly 32 bytes. */
static int blob32(sqlite3_stmt *st, int col, unsigned char out[32])
{
    const void *b = sqlite3_column_blob(st, col);
    if (!b || sqlite3_column_bytes(st, col) != 32)
        return -1;
    memcpy(out, b, 32);
    return 0;
}

int spur_store_hunts(sqlite3 *db, spur_store_hunt_t **out, size_t *n, char *err, size_t err_size)
{
    sqlite3_stmt *st = NULL;
    spur_store_hunt_t *v = NULL;
    size_t count = 0, cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    rc = sqlite3_prepare_v2(db, "SELECT id, json, secret, draw_seed FROM hunts ORDER BY id", -1,
                            &st, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        spur_store_hunt_t *h;
        const char *json = (const char *)sqlite3_column_text(st, 1);
        if (count == cap) {
            cap = cap ? 2 * cap : 4;
            v = spur_realloc(v, cap * sizeof *v);
        }
        h = &v[count];
        memset(h, 0, sizeof *h);
        h->id = spur_strdup((const char *)sqlite3_column_text(st, 0));
        h->json_len = (size_t)sqlite3_column_bytes(st, 1);
        h->json = spur_strndup(json ? json : "", h->json_len);
        count++;
        if (blob32(st, 2, h->secret) < 0 || blob32(st, 3, h->draw_seed) < 0) {
            set_err(err, err_size, "hunt %s: stored secret or draw seed is damaged", h->id);
            goto fail_set;
        }
    }
    if (rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    *out = v;
    *n = count;
    return 0;

fail:
    set_err(err, err_size, "reading the hunts: %s", sqlite3_errmsg(db));
fail_set:
    sqlite3_finalize(st);
    spur_store_hunts_free(v, count);
    return -1;
}

void spur_store_hunts_free(spur_store_hunt_t *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(h[i].id);
        free(h[i].json);
        sodium_memzero(h[i].secret, sizeof h[i].secret);
        sodium_memzero(h[i].draw_seed, sizeof h[i].draw_seed);
    }
    free(h);
}

/* ---- contact data (spur purge) ---- */

#define CONTACTS_OF_HUNT "FROM contacts WHERE team_id IN (SELECT id FROM teams WHERE hunt_id = ?1)"

char *spur_store_photo_dir(const char *db_path, const char *hunt_id)
{
    return hunt_id ? spur_asprintf("%s-photos/%s", db_path, hunt_id)
                   : spur_asprintf("%s-photos", db_path);
}

int spur_store_contacts_count(sqlite3 *db, const char *hunt_id, int64_t *n, char *err,
                              size_t err_size)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db, "SELECT count(*) " CONTACTS_OF_HUNT, -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_text(st, 1, hunt_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW)
        goto out;
    *n = sqlite3_column_int64(st, 0);
    rc = 0;
out:
    if (rc < 0)
        set_err(err, err_size, "counting contact data: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

int spur_store_contacts_purge(sqlite3 *db, const char *hunt_id, int64_t *deleted, char *err,
                              size_t err_size)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    /* secure_delete overwrites the freed pages; the checkpoint then moves the
     * overwritten pages out of the WAL, so the data is gone from the files too. */
    if (exec(db, "PRAGMA secure_delete = ON", "purging contact data", err, err_size) < 0)
        return -1;
    if (sqlite3_prepare_v2(db, "DELETE " CONTACTS_OF_HUNT, -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_text(st, 1, hunt_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto out;
    *deleted = sqlite3_changes64(db);
    rc = 0;
out:
    if (rc < 0)
        set_err(err, err_size, "purging contact data: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (rc == 0)
        sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    return rc;
}

static int64_t count_rows(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* SQLite's quick_check of db (the file path, for the message): 0 when "ok". */
static int check_intact(sqlite3 *db, const char *path, char *err, size_t err_size)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL), ret = 0;
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
        set_err(err, err_size, "%s is not an intact SQLite database: %s", path,
                rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : sqlite3_errmsg(db));
        ret = -1;
    }
    sqlite3_finalize(st);
    return ret;
}

static void count_play(sqlite3 *db, int64_t *teams, int64_t *events)
{
    if (teams)
        *teams = count_rows(db, "SELECT count(*) FROM teams");
    if (events)
        *events = count_rows(db, "SELECT count(*) FROM events");
}

int spur_store_backup(sqlite3 *db, const char *dest, int64_t *teams, int64_t *events, char *err,
                      size_t err_size)
{
    sqlite3_stmt *st = NULL;
    sqlite3 *copy = NULL;
    int rc, ret = -1;

    rc = sqlite3_prepare_v2(db, "VACUUM INTO ?1", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, dest, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        set_err(err, err_size, "backup to %s: %s", dest, sqlite3_errmsg(db));
        goto out;
    }
    /* Read the copy back: it must open and pass SQLite's own check. */
    rc = sqlite3_open_v2(dest, &copy, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK || count_rows(copy, "SELECT count(*) FROM hunts") < 0) {
        set_err(err, err_size, "backup %s does not open: %s", dest,
                copy ? sqlite3_errmsg(copy) : sqlite3_errstr(rc));
        goto out;
    }
    if (check_intact(copy, dest, err, err_size) < 0)
        goto out;
    count_play(copy, teams, events);
    ret = 0;
out:
    sqlite3_finalize(st);
    sqlite3_close(copy);
    return ret;
}

int spur_store_lock(const char *path, int *busy, char *err, size_t err_size)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);

    *busy = 0;
    if (fd < 0) {
        set_err(err, err_size, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        *busy = errno == EWOULDBLOCK;
        set_err(err, err_size,
                *busy ? "%s is in use by a running spurd (or spur restore)" : "cannot lock %s: %s",
                path, strerror(errno));
        close(fd); /* before any SQLite connection of ours is open: no lock of ours lost */
        return -1;
    }
    return fd;
}

int spur_store_restore(const char *from, const char *path, int64_t *teams, int64_t *events,
                       char *err, size_t err_size)
{
    sqlite3 *src = NULL, *dst = NULL;
    sqlite3_backup *bk;
    int rc, ret = -1;
    int64_t version;

    rc = sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        set_err(err, err_size, "cannot open %s: %s", from,
                src ? sqlite3_errmsg(src) : sqlite3_errstr(rc));
        goto out;
    }
    if (check_intact(src, from, err, err_size) < 0)
        goto out;
    version = count_rows(src, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (version < 1 || count_rows(src, "SELECT count(*) FROM hunts") < 0) {
        set_err(err, err_size, "%s is not a spur database", from);
        goto out;
    }
    if (version > SPUR_SCHEMA_VERSION) {
        set_err(err, err_size, "%s has schema version %lld; this spur knows up to %d", from,
                (long long)version, SPUR_SCHEMA_VERSION);
        goto out;
    }
    rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        set_err(err, err_size, "cannot open %s: %s", path,
                dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
        goto out;
    }
    sqlite3_busy_timeout(dst, BUSY_TIMEOUT_MS);
    bk = sqlite3_backup_init(dst, "main", src, "main");
    if (!bk) {
        set_err(err, err_size, "restoring %s: %s", path, sqlite3_errmsg(dst));
        goto out;
    }
    rc = sqlite3_backup_step(bk, -1);
    sqlite3_backup_finish(bk);
    if (rc != SQLITE_DONE) {
        set_err(err, err_size, "restoring %s: %s", path, sqlite3_errstr(rc));
        goto out;
    }
    if (exec(dst, "PRAGMA journal_mode=WAL; PRAGMA wal_checkpoint(TRUNCATE)", "restoring", err,
             err_size) < 0)
        goto out;
    count_play(dst, teams, events);
    ret = 0;
out:
    sqlite3_close(src);
    sqlite3_close(dst);
    return ret;
}

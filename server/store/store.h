/* The durable record in SQLite (WAL, synchronous=FULL): schema, migrations,
 * hunt import, and loading everything at start-up. These calls block; spurd
 * makes them only before its loop starts or on the writer thread; spur makes
 * them directly.
 *
 * Schema (version 2; later versions below):
 *   meta(key PRIMARY KEY, value)                 -- 'schema_version'
 *   hunts(id PRIMARY KEY, json, secret BLOB(32), draw_seed BLOB(32),
 *         imported_at INTEGER)                    -- json: the hunt file as imported
 *   teams(id INTEGER PRIMARY KEY, hunt_id, name, name_key, join_salt BLOB(16),
 *         join_hash BLOB(32), created_at_ms, UNIQUE(hunt_id, name_key))
 *   tokens(hash BLOB(32) PRIMARY KEY, team_id, created_at_ms)
 *   events(id INTEGER PRIMARY KEY, hunt_id, team_id, kind, puzzle_id, place_id,
 *          client_id, input, result, points, at_ms, made_at_ms, verdict, solved)
 *          -- kind: 'answer' | 'hint' | 'scan'; result: the JSON body answered;
 *             points: points earned by this event (solves), else 0;
 *             verdict: an answer's 'correct' | 'wrong' | 'partial';
 *             solved: the puzzle ids a scan solved, joined by ',' (version 2)
 *   index events_kept on events(id) of rows with client_id and result (version 2,
 *   which also made events anew: see migrations[] in store.c)
 *   contacts(team_id PRIMARY KEY, data, created_at_ms)  -- optional, purgeable
 *   draws(hunt_id, prize_id, record, drawn_at_ms, PRIMARY KEY(hunt_id, prize_id))
 *
 * Version 3 (running a real event):
 *   teams gains test, hidden, excluded (0/1) and reason (why excluded, or NULL)
 *   staff_log(id, hunt_id, at_ms, who, addr, action, team_id, detail)
 *          -- one row per staff action; who: the name staff gave, addr: their address
 *   claims(hunt_id, prize_id, team_id, state, at_ms, who, PRIMARY KEY(hunt_id,
 *          prize_id, team_id))  -- state: 'redeemed' (handed out) | 'released'
 *   contacts.data: the contact (e-mail or phone) a team gave with consent;
 *   contacts.created_at_ms: when it consented
 *
 * Version 4 (announcements):
 *   announcements(id INTEGER PRIMARY KEY AUTOINCREMENT, hunt_id, text, at_ms, who,
 *          deleted_at_ms)  -- what staff sent to every team; a deleted one keeps its
 *                             row (deleted_at_ms set), so no id is given out twice
 *
 * Version 5 (pictures):
 *   media(hunt_id, file, key, mime, width, height, data, PRIMARY KEY(hunt_id, file))
 *          -- the re-encoded copy of each picture the hunt file names ("file" as
 *             written there); key: its content hash. Replaced as a whole by each
 *             import of the hunt, in the same transaction as the hunt file.
 *
 * Version 6 (photo missions): photos(...), and events.kind may be 'photo'.
 *
 * Version 7 (the web editor):
 *   hunt_versions(id INTEGER PRIMARY KEY, hunt_id, at_ms, who, json)
 *          -- every hunt file stored (import or editor save) whose text differs from
 *             the one before, with who stored it; the newest SPUR_VERSIONS_KEEP of a
 *             hunt are kept. id is the version number the API shows.
 */
#ifndef SPUR_STORE_H
#define SPUR_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#define SPUR_SCHEMA_VERSION 7

/* A staff edit of a team (spurd's writer and `spur teams` both): binds name and
 * name_key (NULL: unchanged), hidden, excluded, reason, team id. */
#define SPUR_SQL_TEAM_EDIT                                                                         \
    "UPDATE teams SET name = coalesce(?, name), name_key = coalesce(?, name_key), hidden = ?, "    \
    "excluded = ?, reason = ? WHERE id = ?"
/* Its staff_log row: binds hunt_id, at_ms, who, addr, action, team_id, detail (JSON). */
#define SPUR_SQL_STAFF_LOG                                                                         \
    "INSERT INTO staff_log(hunt_id, at_ms, who, addr, action, team_id, detail) "                   \
    "VALUES (?,?,?,?,?,?,?)"

/* Opens (creating when needed) the database at path, sets WAL, synchronous=FULL,
 * foreign keys and a busy timeout, and migrates the schema to SPUR_SCHEMA_VERSION.
 * Returns 0 or -1 with a message in err. */
int spur_store_open(const char *path, sqlite3 **db, char *err, size_t err_size);
void spur_store_close(sqlite3 *db);

/* A picture stored with a hunt: the re-encoded copy of a file its hunt file names. */
#define SPUR_MEDIA_KEY_LEN 32 /* hex digits of the content hash: the first 16 bytes of SHA-256 */
typedef struct {
    char *hunt_id;
    char *file; /* as the hunt file names it */
    char key[SPUR_MEDIA_KEY_LEN + 1];
    const char *mime; /* "image/jpeg" or "image/webp" (static) */
    int width, height;
    unsigned char *data;
    size_t len;
} spur_media_t;

/* The content hash of data as SPUR_MEDIA_KEY_LEN lower-case hex digits into key. */
void spur_media_key(const void *data, size_t len, char key[SPUR_MEDIA_KEY_LEN + 1]);
/* "image/jpeg" -> "jpg", "image/webp" -> "webp"; NULL for anything else. The static
 * string for mime, or NULL: spur_media_mime. */
const char *spur_media_ext(const char *mime);
const char *spur_media_mime(const char *mime);

/* Versions of a hunt file kept (hunt_versions): at most 100 a hunt, each at most the
 * 1 MiB a hunt file may have when saved through the API. */
#define SPUR_VERSIONS_KEEP 100

/* A hunt file's ETag: the quoted first 16 bytes of its SHA-256 in hex. */
#define SPUR_ETAG_SIZE 35
void spur_store_etag(const char *json, size_t len, char etag[SPUR_ETAG_SIZE]);

/* Storing a hunt file: what spur import and the editor's save (spurd's writer) share. */
typedef struct {
    const char *id, *json; /* the hunt's id and its file text (len bytes) */
    size_t len;
    const spur_media_t *media; /* the pictures replacing the stored ones ... */
    size_t nmedia;
    int keep_media;      /* ... unless set: the stored ones stay (the editor uploads them
                            one by one) */
    const char *who;     /* for the version row: a staff name, or "spur import" */
    const char *if_etag; /* NULL, or the ETag the stored file must still have ("": the
                            hunt must not exist yet) */
    int created;         /* out: the hunt is new */
    int conflict;        /* out: if_etag no longer matched (nothing was changed) */
    int64_t version;     /* out: the hunt's newest version (hunt_versions.id) */
} spur_store_put_t;

/* Inserts or updates the hunt inside the caller's transaction: a new hunt gets a
 * fresh 32-byte secret and draw seed from libsodium's random source, an existing one
 * keeps them (and so its progress, QR codes and commitment); a changed text adds a
 * version row and prunes the hunt's versions to SPUR_VERSIONS_KEEP. Returns 0, or -1
 * with err (p->conflict says when the ETag was the reason); the caller rolls back. */
int spur_store_put(sqlite3 *db, spur_store_put_t *p, char *err, size_t err_size);

/* Inserts or updates hunt `id` with the hunt file text and replaces its pictures with
 * media[0..nmedia) (hunt_id of each is ignored), in one transaction. A new hunt gets a
 * fresh 32-byte secret and draw seed from libsodium's random source; an existing one
 * keeps them (and so its progress, QR codes and commitment). *created says which.
 * spur_store_put in a transaction of its own, as "spur import". Returns 0 or -1 with
 * err. */
int spur_store_put_hunt(sqlite3 *db, const char *id, const char *json, size_t len,
                        const spur_media_t *media, size_t nmedia, int *created, char *err,
                        size_t err_size);

/* One stored hunt, as spur_store_hunts returns it. */
typedef struct {
    char *id;
    char *json; /* the hunt file text */
    size_t json_len;
    unsigned char secret[32];
    unsigned char draw_seed[32];
} spur_store_hunt_t;

/* Reads every hunt. *out is an array of *n (caller frees with spur_store_hunts_free). */
int spur_store_hunts(sqlite3 *db, spur_store_hunt_t **out, size_t *n, char *err, size_t err_size);
void spur_store_hunts_free(spur_store_hunt_t *h, size_t n);

/* Contact data of hunt_id's teams (table contacts, joined through teams.hunt_id):
 * count puts the number of rows in *n; purge deletes them (secure_delete, then a WAL
 * checkpoint so the bytes leave the files too) and puts the number in *deleted.
 * Return 0 or -1 with err. */
/* The folder of photos beside the database at db_path: "<db_path>-photos", and with
 * hunt_id that hunt's "<db_path>-photos/<hunt_id>" (its files are "<photo id>.jpg").
 * The caller frees. */
char *spur_store_photo_dir(const char *db_path, const char *hunt_id);
int spur_store_contacts_count(sqlite3 *db, const char *hunt_id, int64_t *n, char *err,
                              size_t err_size);
int spur_store_contacts_purge(sqlite3 *db, const char *hunt_id, int64_t *deleted, char *err,
                              size_t err_size);

/* A consistent copy of the whole database in the new file dest (which must not
 * exist), made with VACUUM INTO: one read transaction, so a running spurd goes on
 * committing meanwhile; the copy holds what was committed when it began. Then
 * counts what it holds: *teams and *events (may be NULL). Returns 0 or -1 with err. */
int spur_store_backup(sqlite3 *db, const char *dest, int64_t *teams, int64_t *events, char *err,
                      size_t err_size);

/* Replaces the database at path (created if missing) with the backup in from, with
 * SQLite's backup API (so the -wal and -shm files beside path stay consistent).
 * from must pass quick_check and hold a schema this build can serve. Nothing may
 * serve path meanwhile: take spur_store_lock first. *teams, *events as for
 * spur_store_backup. Returns 0 or -1 with err. */
int spur_store_restore(const char *from, const char *path, int64_t *teams, int64_t *events,
                       char *err, size_t err_size);

/* Takes an exclusive advisory lock (flock) on the database file at path, creating
 * an empty one if missing: spurd holds it while it serves path, `spur restore`
 * while it replaces it, so neither runs beside the other (nor two spurd on one
 * file). Returns the descriptor that holds the lock, or -1 with err (busy: *busy is
 * set). Keep the descriptor open until the process ends: closing any descriptor of
 * the file would also drop SQLite's own POSIX locks on it. */
int spur_store_lock(const char *path, int *busy, char *err, size_t err_size);

#endif

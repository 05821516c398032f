/* The writer thread: the only place spurd writes SQLite after start-up.
 *
 * The loop thread hands it records (spur_writer_submit); the thread takes
 * everything pending, commits it in one transaction (group commit, each record
 * in its own savepoint so one bad record fails alone), and then hands the batch
 * back to the loop, where each record's done callback runs with r->status set
 * (0 = durable, -1 = not stored, -2 = a draw for that prize was already stored:
 * its stored record is then in r->record; an announcement to delete was deleted
 * before). Callers apply a change to memory and answer
 * the client only in that callback, so an acknowledged write is on disk.
 */
#ifndef SPUR_WRITER_H
#define SPUR_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "game/state.h"

typedef enum {
    SPUR_REC_TEAM,    /* a new team, with its first token */
    SPUR_REC_TOKEN,   /* another phone joined a team */
    SPUR_REC_EVENT,   /* an answer, hint or scan */
    SPUR_REC_RELOAD,  /* read every hunt and its progress anew (SIGHUP) */
    SPUR_REC_DRAW,    /* a prize's draw record, made once per (hunt, prize) */
    SPUR_REC_STAFF,   /* a staff action: a team edit or a claim, and its staff_log row */
    SPUR_REC_CONTACT, /* a team's contact given with consent (input), or withdrawn (NULL) */
    SPUR_REC_PURGE,   /* every contact of hunt_id deleted (purge_after_days); deleted: how many */
    SPUR_REC_ANNOUNCE, /* a staff announcement: sent (input: its text; item_id set by the
                          writer) or deleted (item_id; status -2 when it was gone already) */
    SPUR_REC_PHOTO     /* a photo sent, or staff's decision on one (see photo_*) */
} spur_rec_kind_t;

typedef struct spur_rec spur_rec_t;
typedef void (*spur_rec_done_cb)(spur_rec_t *r);

/* One change. Strings are owned by the record (freed by spur_rec_free). */
struct spur_rec {
    spur_rec_kind_t kind;
    spur_rec_t *next;
    char *hunt_id;
    int64_t team_id;
    int64_t at; /* ms: created_at or event time */
    /* SPUR_REC_TEAM; SPUR_REC_STAFF renaming a team (else NULL) */
    char *name, *name_key;
    int test; /* SPUR_REC_TEAM: a staff test team */
    unsigned char join_salt[16];
    unsigned char join_hash[32];
    /* SPUR_REC_TEAM and SPUR_REC_TOKEN */
    unsigned char token_hash[32];
    /* SPUR_REC_EVENT */
    const char *ev_kind; /* "answer", "hint", "scan" (static strings) */
    char *puzzle_id, *place_id, *client_id, *input, *result;
    const char *verdict; /* answers: "correct", "wrong", "partial" (static strings) */
    char *solved;        /* scans: the puzzle ids solved, joined by ',' (or NULL) */
    int points;
    int64_t made_at; /* ms, 0 = not given */
    /* SPUR_REC_DRAW: the record JSON; `at` is drawn_at */
    char *prize_id, *record;
    /* SPUR_REC_PHOTO: photo_id; puzzle_id. photo_new: a photo sent (inserted with
       client_id, at, made_at, width, height, bytes, screen, and photo_status: pending, or
       approved for `points` by an "auto" puzzle). Otherwise a decision: the row moves
       from photo_old to photo_status with points and message (status -2 when it was no
       longer in photo_old). photo_event: "correct" (approved) or "wrong" (revoked)
       also writes the play event that changes the score (at: the photo's own time),
       NULL for none. Statuses are spur_photo_status_t. */
    char *photo_id, *message;
    int photo_new, photo_status, photo_old;
    const char *photo_event;
    int width, height, screen;
    int64_t bytes, photo_at;
    /* SPUR_REC_ANNOUNCE: the announcement's id. 0 on a new one, whose text is input:
       the writer sets it from the inserted row (and the staff_log detail with it). */
    int64_t item_id;
    /* A staff action (any kind of record) sets action, a static word ("edit_team",
       "redeem", "release", "create_test_team", "delete_test_teams", "draw", "announce",
       "delete_announcement"), and is
       stored with a staff_log row: who and addr say who acted, detail (JSON) what.
       SPUR_REC_STAFF: team edits set team_id and hidden, excluded, reason (the team's
       values after the edit; name and name_key when renamed); claims set prize_id,
       team_id and claim (1 redeemed, 2 released). */
    const char *action;
    int hidden, excluded, claim;
    char *reason, *who, *addr, *detail;
    /* SPUR_REC_RELOAD: the loaded state, for the done callback to take. With
       purge_test, the test teams of hunt_id and all they did are deleted first (in
       their own transaction, with a staff_log row as for SPUR_REC_STAFF) and deleted
       says how many teams went. */
    struct spur_loaded *loaded;
    int purge_test;
    int64_t deleted;
    /* SPUR_REC_RELOAD with put_json: the editor's save. The hunt file (put_len bytes) is
       stored first as hunt_id with spur_store_put (keeping the stored pictures, as
       version by who), only while the stored file still has the ETag if_etag (else
       status -2, nothing changed), in one transaction with its staff_log row; version
       is then the new version's number. */
    char *put_json, *if_etag;
    size_t put_len;
    int64_t version;
    /* outcome, set before done runs on the loop thread */
    int status;         /* 0, -1, or -2 (SPUR_REC_DRAW: already drawn; SPUR_REC_STAFF claims: the
                           team's prize was redeemed or released before, at `at`;
                           SPUR_REC_RELOAD put_json: the ETag no longer matched) */
    uint64_t commit_ns; /* duration of the commit this record was in */
    spur_rec_done_cb done;
    void *data; /* for the callback */
};

spur_rec_t *spur_rec_new(spur_rec_kind_t kind);
void spur_rec_free(spur_rec_t *r);

typedef struct spur_writer spur_writer_t;

/* Opens its own connection to path and starts the thread; completions are delivered
 * on loop. Returns 0 or -1 (logged). Loop thread only. */
int spur_writer_start(uv_loop_t *loop, const char *path, spur_writer_t **out);
/* Queues r (ownership passes until done runs; done owns it then and frees it). */
void spur_writer_submit(spur_writer_t *w, spur_rec_t *r);
/* cb(data) runs on the loop thread after the done callbacks of each committed batch:
 * the moment to tell others of what the batch changed, once for all of it. */
void spur_writer_on_batch(spur_writer_t *w, void (*cb)(void *data), void *data);
/* Records submitted but not yet completed. */
size_t spur_writer_pending(const spur_writer_t *w);
/* Finishes everything queued, delivers the completions, stops the thread, closes the
 * database and frees w. Call from the loop thread; it runs the loop until done. */
void spur_writer_stop(spur_writer_t *w);

#endif

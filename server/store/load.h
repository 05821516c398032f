/* Loading the live state from the database: every hunt parsed and validated,
 * its teams, tokens and events replayed through the game rules. Blocking:
 * spurd calls it before the loop starts and on the writer thread for SIGHUP. */
#ifndef SPUR_LOAD_H
#define SPUR_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "game/draw.h"
#include "game/state.h"
#include "store/store.h"

/* A prize handed out (redeemed) or given up so the next reserve moves up (released). */
typedef struct {
    char *hunt_id, *prize_id;
    int64_t team_id;
    int released; /* 0 = redeemed */
    int64_t at;   /* Unix ms */
    char *who;    /* the staff member's name */
} spur_claim_t;

/* An announcement staff sent to every team of a hunt (not deleted). */
typedef struct {
    char *hunt_id;
    int64_t id; /* announcements.id: never given out twice */
    char *text; /* 1..1000 characters, lines joined by "\n" */
    int64_t at; /* Unix ms, when it was sent */
} spur_announcement_t;

typedef struct spur_loaded {
    spur_game_t **games;
    size_t ngames;
    int64_t max_team_id;
    spur_draw_pub_t *draws; /* published draws of every hunt, in the order drawn */
    size_t ndraws, draws_cap;
    spur_claim_t *claims; /* the claims table, in the order made (few: one per prize won) */
    size_t nclaims, claims_cap;
    /* the announcements of every hunt not deleted, oldest first: at most
       SPUR_ANNOUNCE_MAX a hunt (api/announce.c refuses more) */
    spur_announcement_t *anns;
    size_t nanns, anns_cap;
    /* the pictures of every hunt (table media) that its hunt file still names; each
       image of a hunt has been given its copy's key, type and size */
    spur_media_t *media;
    size_t nmedia;
    spur_map_t media_by_key; /* hunt id "/" key -> index into media + 1 */
    int64_t staff_log_rows;  /* rows in staff_log (all hunts): spurd bounds it */
    int64_t rows;            /* rows read to build it */
    double load_ms;          /* how long that took */
} spur_loaded_t;

/* Builds the state (the draws too). A stored hunt that no longer validates is skipped with a log
 * line. Returns 0 (caller frees with spur_loaded_free) or -1 with err. */
int spur_store_load(sqlite3 *db, spur_loaded_t *out, char *err, size_t err_size);
void spur_loaded_free(spur_loaded_t *l);

/* Appends a published draw (copies the strings). Returns 0, or -1 when record is not a
 * draw record. */
int spur_loaded_add_draw(spur_loaded_t *l, const char *hunt_id, const char *prize_id,
                         const char *record, int64_t drawn_at);
/* Claims: add copies the strings; claim finds (hunt, prize, team)'s or NULL; released
 * counts a prize's releases (that many reserves moved up). */
void spur_loaded_add_claim(spur_loaded_t *l, const char *hunt_id, const char *prize_id,
                           int64_t team_id, int released, int64_t at, const char *who);
const spur_claim_t *spur_loaded_claim(const spur_loaded_t *l, const char *hunt_id,
                                      const char *prize_id, int64_t team_id);
size_t spur_loaded_released(const spur_loaded_t *l, const char *hunt_id, const char *prize_id);
/* Announcements: add copies the strings (ids come in increasing order); del removes
 * hunt_id's announcement id and returns 0, or -1 when there is none; count says how
 * many hunt_id has; announcement gives hunt_id's announcement id or NULL. */
void spur_loaded_add_announcement(spur_loaded_t *l, const char *hunt_id, int64_t id,
                                  const char *text, int64_t at);
int spur_loaded_del_announcement(spur_loaded_t *l, const char *hunt_id, int64_t id);
size_t spur_loaded_count_announcements(const spur_loaded_t *l, const char *hunt_id);
const spur_announcement_t *spur_loaded_announcement(const spur_loaded_t *l, const char *hunt_id,
                                                    int64_t id);
/* hunt_id's picture with key, or NULL. */
const spur_media_t *spur_loaded_media(const spur_loaded_t *l, const char *hunt_id, const char *key);
/* The published draw of prize_id in hunt_id, or NULL. */
const spur_draw_pub_t *spur_loaded_draw(const spur_loaded_t *l, const char *hunt_id,
                                        const char *prize_id);

#endif

/* Photo missions: the photos teams sent for "kind": "photo" puzzles, as the live
 * state keeps them. The bytes are files beside the database (api/photos.c); here is
 * only what the rules and the API need: who sent what for which puzzle, and what
 * staff decided. A decision that changes a score is also a play event
 * (SPUR_EV_PHOTO in state.h); this registry holds the photos' own status. Pure,
 * no I/O; loop thread (spurd) or the caller (spur). */
#ifndef SPUR_PHOTO_H
#define SPUR_PHOTO_H

#include <stddef.h>
#include <stdint.h>

#include "core/map.h"

#define SPUR_PHOTO_ID_LEN 32             /* hex characters of a photo's id (128 random bits) */
#define SPUR_PHOTOS_PER_PUZZLE 5         /* photos a team may send for one puzzle in all */
#define SPUR_PHOTOS_PER_TEAM 50          /* and for the whole hunt (about 20 MB of copies) */
#define SPUR_PHOTO_MESSAGE_MAX 500       /* bytes of staff's message with a rejection */
#define SPUR_PHOTO_UPLOAD_MAX (8u << 20) /* bytes of an upload as the phone sends it */
#define SPUR_PHOTO_SIDE_MAX 1600         /* pixels: the stored copy's longer side at most */

typedef enum { SPUR_PHOTO_PENDING, SPUR_PHOTO_APPROVED, SPUR_PHOTO_REJECTED } spur_photo_status_t;

typedef struct {
    char id[SPUR_PHOTO_ID_LEN + 1];
    int64_t team_id;
    int puzzle; /* index into the hunt's puzzles; -1 once the puzzle left the hunt */
    spur_photo_status_t status;
    int points;          /* approved: what it earned */
    char *message;       /* rejected (or revoked): staff's words to the team, or NULL */
    char *client_id;     /* the phone's id for retries, or NULL */
    int64_t at;          /* ms: when it counts (taken offline, or received) */
    int64_t reviewed_at; /* ms, 0 = not yet */
    int width, height;
    int64_t bytes; /* of the stored copy */
    int screen;    /* the team allows it on the big screen */
    int busy;      /* a review of it awaits its commit */
} spur_photo_t;

/* A team's photos for one puzzle: the newest and how many in all. */
typedef struct {
    spur_photo_t *last;
    int count;
} spur_photo_slot_t;

typedef struct {
    spur_photo_t **items; /* in the order sent */
    size_t n, cap;
    size_t pending;        /* items with status pending */
    spur_map_t by_id;      /* id -> photo */
    spur_map_t by_client;  /* "<team id>:<client id>" -> photo */
    spur_map_t per_puzzle; /* "<team id>:<puzzle idx>" -> one of slots */
    spur_photo_slot_t **slots;
    size_t nslots, slots_cap;
} spur_photos_t;

/* "pending", "approved", "rejected"; spur_photo_status_by_name returns -1 for others. */
const char *spur_photo_status_name(spur_photo_status_t s);
int spur_photo_status_by_name(const char *name);

/* Adds a copy of p (its strings copied). Returns the registry's photo. */
spur_photo_t *spur_photos_add(spur_photos_t *ps, const spur_photo_t *p);
spur_photo_t *spur_photos_get(const spur_photos_t *ps, const char *id);
spur_photo_t *spur_photos_by_client(const spur_photos_t *ps, int64_t team_id,
                                    const char *client_id);
/* The team's photos for puzzle idx (NULL when none); idx -1: all the team's photos. */
const spur_photo_slot_t *spur_photos_slot(const spur_photos_t *ps, int64_t team_id, int idx);
/* Sets p's decision (message copied, may be NULL) and keeps pending counted. */
void spur_photos_decide(spur_photos_t *ps, spur_photo_t *p, spur_photo_status_t status, int points,
                        const char *message, int64_t at);
void spur_photos_free(spur_photos_t *ps);

#endif

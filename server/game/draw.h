/* The prize draw, algorithms "spur-draw-v1" and "spur-draw-v2" (docs/draw.md):
 * eligibility from the final live scores (test and excluded teams never), the
 * canonical eligible lines and their hash E, the key K = SHA-256(S || E || prize
 * id) or, with a public beacon drawn after the deadline (v2), SHA-256(S || E ||
 * prize id || 0x00 || beacon), the HMAC-SHA256 random stream (the same in both
 * versions), unbiased picks by rejection, the published record, and its
 * verification. Pure C on libsodium and cJSON, no I/O; any thread (nothing
 * here keeps state between calls). */
#ifndef SPUR_DRAW_H
#define SPUR_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "game/state.h"

#define SPUR_DRAW_V1 "spur-draw-v1" /* K from the seed alone */
#define SPUR_DRAW_V2 "spur-draw-v2" /* K also from a public beacon */
/* The HMAC label of the random stream. v2 changed only the key, so it keeps
 * v1's label: one stream function serves both, and a v2 draw differs from a v1
 * draw of the same teams only through K. */
#define SPUR_DRAW_STREAM_LABEL "spur-draw-v1"
#define SPUR_DRAW_BEACON_MAX 256 /* bytes in a beacon value */

/* The random stream: block i = HMAC-SHA256(K, "spur-draw-v1" || i as 8 bytes
 * big-endian), read as four 64-bit big-endian numbers in order. */
typedef struct {
    unsigned char key[32];
    uint64_t block;        /* index of the next block to compute */
    unsigned char buf[32]; /* the current block */
    unsigned used;         /* numbers of buf already taken, 0..4 (4 = buf spent) */
} spur_draw_stream_t;

void spur_draw_stream_init(spur_draw_stream_t *s, const unsigned char key[32]);
uint64_t spur_draw_stream_next(spur_draw_stream_t *s);

/* A source of 64-bit numbers for spur_draw_pick (the stream, or a test's list). */
typedef uint64_t (*spur_draw_next_cb)(void *ctx);

/* One pick among n >= 1: takes numbers x from next until x < 2^64 - (2^64 mod n)
 * and returns x mod n. *taken (may be NULL) is set to the numbers consumed. */
uint64_t spur_draw_pick(uint64_t n, spur_draw_next_cb next, void *ctx, unsigned *taken);

/* The eligible teams of prize p in g by p's rule on the live scores (all: score > 0;
 * finished: every puzzle of the hunt solved; min_score: score >= N), never a staff
 * test team nor an excluded one, as team ids in ascending order. *ids is a new
 * array of *n (caller frees; NULL when n is 0). */
void spur_draw_eligible(const spur_game_t *g, const spur_prize_t *p, int64_t **ids, size_t *n);

/* The ids of g's excluded teams that are not test teams (test teams are in no draw
 * list at all), ascending; same ownership as spur_draw_eligible. */
void spur_draw_excluded(const spur_game_t *g, int64_t **ids, size_t *n);

/* Is s (len bytes) a beacon value: 1..SPUR_DRAW_BEACON_MAX bytes of valid UTF-8
 * without control characters (C0, DEL, C1)? Returns 1 or 0. */
int spur_draw_beacon_ok(const char *s, size_t len);

/* E: SHA-256 of the lines "<id>\t1\n" for ids (ascending, as given). */
void spur_draw_eligible_hash(const int64_t *ids, size_t n, unsigned char out[32]);

/* K = SHA-256(seed || E || prize_id as UTF-8) when beacon is NULL (v1), else
 * K = SHA-256(seed || E || prize_id || 0x00 || beacon as UTF-8) (v2). The zero
 * byte ends the prize id (ids never hold one), so no prize id and beacon pair
 * hashes like another. */
void spur_draw_key(const unsigned char seed[32], const unsigned char e[32], const char *prize_id,
                   const char *beacon, unsigned char out[32]);

/* Draws from ids (n tickets, one per team) with key K: min(count, n) winners, then
 * min(reserves, what remains) reserves; count < 0 (SPUR_PRIZE_ALL) makes every id a
 * winner without drawing. winners and reserve_out need room for n ids each. */
void spur_draw_run(const unsigned char key[32], const int64_t *ids, size_t n, int count,
                   int reserves, int64_t *winners, size_t *nwinners, int64_t *reserve_out,
                   size_t *nreserves);

/* Makes the draw of prize index prize in g at drawn_at (Unix ms) and returns its
 * record as compact JSON (a new heap string the caller frees), keys in the order
 * docs/draw.md lists. beacon NULL makes a spur-draw-v1 record; a beacon (checked
 * by the caller with spur_draw_beacon_ok) makes spur-draw-v2 with the hunt's
 * draw_beacon as its description. */
char *spur_draw_record(const spur_game_t *g, size_t prize, int64_t drawn_at, const char *beacon);

/* What verification found: one message per difference, German, " / ", English. */
typedef struct {
    char **msgs;
    size_t n, cap;
} spur_draw_diffs_t;

void spur_draw_diffs_free(spur_draw_diffs_t *d);

/* Recomputes the draw from record alone (v1 or v2): commitment = SHA-256(seed), the
 * eligible lines well formed and in ascending id order, eligible_sha256 from them,
 * excluded (when present: records before it lack it) ascending and off the list,
 * the beacon (v2) well formed, winners and reserve_winners from the stream, a name
 * for every winner. expect_commitment (hex, may be NULL) is the commitment
 * published before the draw; expect_beacon (may be NULL) the value the beacon's
 * public source announced. Appends one message per difference to d; returns the
 * number appended (0 = VERIFIED). */
size_t spur_draw_verify(const cJSON *record, const char *expect_commitment,
                        const char *expect_beacon, spur_draw_diffs_t *d);

/* A published draw as kept in memory: the record text and what the API looks up. */
typedef struct {
    char *hunt_id, *prize_id, *prize_name;
    char *record;     /* the record JSON as stored */
    int64_t *winners; /* [nwinners] in drawn order */
    size_t nwinners;
    int64_t *reserves; /* [nreserves] in order */
    size_t nreserves;
    int64_t drawn_at; /* Unix ms */
} spur_draw_pub_t;

/* Fills pub from a stored record's text (copied). Returns 0, or -1 when the text is
 * not a record (pub is then empty). */
int spur_draw_pub_parse(spur_draw_pub_t *pub, const char *hunt_id, const char *prize_id,
                        const char *record, int64_t drawn_at);
void spur_draw_pub_free(spur_draw_pub_t *pub);

#endif

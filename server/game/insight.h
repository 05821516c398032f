/* Insight for organizers: the per-puzzle figures behind the staff stats (how long
 * teams take, which wrong answers they give), kept up to date as committed events
 * are applied (state.c), so the stats cost the loop no scan over teams or events.
 * Pure C, no I/O; single-threaded like the game state that owns them. */
#ifndef SPUR_INSIGHT_H
#define SPUR_INSIGHT_H

#include <stddef.h>
#include <stdint.h>

/* Distinct wrong (or partial) answers counted per puzzle. When a new text arrives at a
 * full table, the least frequent one leaves (of equals, the one counted longest ago);
 * the newcomer starts at 1. So counts are exact for texts that stayed in the table and
 * a lower bound for one that left and came back. At most 200 * ~90 bytes a puzzle.
 * A team counts once per text as long as it remembers giving it (SPUR_WRONG_SEEN_MAX
 * distinct wrong answers, state.h): only a team past that could count twice. */
#define SPUR_WRONG_TOP_MAX 200
#define SPUR_WRONG_TEXT_MAX 64 /* bytes of a text kept for showing; longer ones end in "…" */
#define SPUR_WRONG_SHOWN 5     /* texts the stats show per puzzle */

typedef struct {
    uint64_t hash;    /* spur_hash of the whole normalised text: its identity */
    uint32_t teams;   /* distinct real teams that gave it while it was in the table */
    uint32_t touched; /* the table's serial at its last count (ties leave stalest first) */
    char text[SPUR_WRONG_TEXT_MAX + 4]; /* the normalised text, cut at a character */
} spur_wrong_t;

typedef struct {
    spur_wrong_t *items; /* n used of cap (grows to SPUR_WRONG_TOP_MAX at most) */
    size_t n, cap;
    uint32_t serial;  /* counts added in all (wraps; only compared for order) */
    uint64_t dropped; /* texts that left the full table */
} spur_wrongs_t;

/* Counts one more team for the normalised text norm (not empty). The caller makes sure
 * a team counts once per text (spur_game_wrong_add says whether it is new). */
void spur_wrongs_add(spur_wrongs_t *w, const char *norm);
/* The k most frequent (ties: the most recently counted first) into out[k]; returns how
 * many. Pointers into w, valid until the next add. */
size_t spur_wrongs_top(const spur_wrongs_t *w, const spur_wrong_t **out, size_t k);
void spur_wrongs_free(spur_wrongs_t *w);

/* A running median of durations in seconds: two heaps, so adding is O(log n) and
 * asking O(1). One int32 per value (a solve of a real team: bounded by teams). */
typedef struct {
    int32_t *lo; /* max-heap: the lower half (one more than hi when the count is odd) */
    int32_t *hi; /* min-heap: the upper half */
    size_t nlo, nhi, caplo, caphi;
} spur_median_t;

void spur_median_add(spur_median_t *m, int32_t v);
/* 0 and the median in *out (the mean of the middle two for an even count), or -1
 * when empty. */
int spur_median_get(const spur_median_t *m, double *out);
static inline size_t spur_median_count(const spur_median_t *m)
{
    return m->nlo + m->nhi;
}
void spur_median_free(spur_median_t *m);

/* What the stats show of one puzzle, besides its solves and hints. */
typedef struct {
    int reached;          /* real teams that solved every puzzle it requires, or it itself
                             (only kept for puzzles with requires: the others are open to
                             every team) */
    spur_median_t secs;   /* seconds from opening to solving, per solve of a real team */
    spur_wrongs_t wrongs; /* its wrong and partial answers */
    int by_answer;        /* real teams' solves through an answer event: for a check-in
                             puzzle the phone's position ("@lat,lon~acc", geo.h); its other
                             solves came by the place's code (a scan event). A puzzle a
                             re-import turned into a check-in counts its typed solves here */
} spur_insight_t;

void spur_insight_free(spur_insight_t *in);

#endif

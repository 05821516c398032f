/* The hunt model: what an organizer's hunt file describes, validated and
 * resolved (ids to indices, answers pre-normalised, times to Unix seconds).
 * Pure C, no I/O: shared by spurd and spur. A spur_hunt_t is immutable once
 * loaded; a reload builds a new one. */
#ifndef SPUR_HUNT_H
#define SPUR_HUNT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/map.h"

#define SPUR_ID_MAX 64 /* bytes in a hunt/place/puzzle/prize id: [a-z0-9][a-z0-9_-]* */
#define SPUR_MAX_PUZZLES 1000
#define SPUR_MAX_PLACES 1000
#define SPUR_MAX_HINTS 10
#define SPUR_GUESS_LIMIT_MAX 64        /* wrong answers per window a hunt may allow */
#define SPUR_LATE_SYNC_GRACE_MAX 86400 /* seconds: at most a day */
#define SPUR_TEAM_MEMBERS_MAX 1000     /* phones a hunt may allow per team */
#define SPUR_DRAW_BEACON_DESC_MAX 300  /* characters in a hunt's draw_beacon */
#define SPUR_PURGE_DAYS_MAX 3650       /* purge_after_days: at most ten years */
#define SPUR_HUNT_TEXT_MAX 20000       /* bytes in the intro and in the outro */

typedef enum {
    SPUR_KIND_TEXT,   /* "answer": {"accept": [...], "partial": {...}} */
    SPUR_KIND_NUMBER, /* "answer": {"number": 42, "tolerance": 0.5} */
    SPUR_KIND_CHOICE, /* "answer": {"choices": [...], "correct": 1} */
    SPUR_KIND_SCAN,   /* "kind": "scan", solved by scanning "place" */
    SPUR_KIND_CHECKIN, /* "kind": "checkin": the phone's position at "place" (geo.h), or
                          scanning it */
    SPUR_KIND_PHOTO    /* "kind": "photo": a photo the team sends, approved by staff
                          ("review": "staff") or at once ("auto", staff may revoke) */
} spur_kind_t;

/* Who approves a photo puzzle's photos. */
typedef enum { SPUR_REVIEW_STAFF, SPUR_REVIEW_AUTO } spur_review_t;

/* "text", "number", "choice", "scan", "checkin", "photo". */
const char *spur_kind_name(spur_kind_t k);
/* Whether a scan of the puzzle's place solves it (scan and check-in puzzles). */
static inline int spur_kind_by_place(spur_kind_t k)
{
    return k == SPUR_KIND_SCAN || k == SPUR_KIND_CHECKIN;
}

#define SPUR_CHECKIN_RADIUS 30     /* metres: a check-in puzzle's default "radius" */
#define SPUR_CHECKIN_RADIUS_MIN 10 /* GPS in a street is rarely better */
#define SPUR_CHECKIN_RADIUS_MAX 1000
#define SPUR_MAX_ACCURACY 100 /* metres: the hunt's default "max_accuracy" */
#define SPUR_PHOTO_CONSENT_MAX 4000 /* bytes of the hunt's "photo_consent" */

typedef struct {
    char *text;      /* as written (CommonMark) */
    char *text_html; /* text rendered to safe HTML (markdown.h) */
    int cost;        /* points subtracted from the solve, >= 0 */
} spur_hint_t;

typedef struct {
    char *norm;    /* normalised partial answer */
    char *message; /* keep-going message shown to the team */
} spur_partial_t;

/* A picture the hunt file names: "image": {"file": "bilder/tor.jpg", "alt": "..."} on
 * a puzzle or place, "branding": {"logo": {...}}. The file (relative to the hunt
 * file) is read only by the tool: `spur check` checks it, `spur import` stores a
 * re-encoded copy with the hunt (tools/media.c, table media). The loader
 * (store/load.c) fills in the stored copy; key stays NULL when there is none. */
#define SPUR_IMAGE_FILE_MAX 255 /* bytes in "file" */
#define SPUR_IMAGE_ALT_MAX 500  /* bytes in "alt" */
typedef struct {
    char *file;        /* as written */
    char *alt;         /* what the picture shows, for people who cannot see it */
    char *key;         /* the stored copy's content hash (32 hex digits), or NULL */
    const char *mime;  /* the stored copy's type: "image/jpeg" or "image/webp" */
    int width, height; /* the stored copy's size in pixels */
} spur_image_t;

typedef struct {
    char *id, *name;
    char *where;         /* "am Haupteingang", or NULL */
    spur_image_t *image; /* or NULL */
    double lat, lon;
    int has_pos; /* lat/lon given */
} spur_place_t;

typedef struct {
    char *id, *title, *clue;
    char *clue_html;     /* clue rendered to safe HTML (markdown.h) */
    spur_image_t *image; /* or NULL */
    spur_kind_t kind;
    int points;    /* >= 0 */
    int place;     /* index into hunt->places, or -1 */
    int radius;    /* SPUR_KIND_CHECKIN: metres around the place that count */
    spur_review_t review; /* SPUR_KIND_PHOTO */
    int *requires; /* indices into hunt->puzzles */
    size_t nrequires;
    int64_t opens_at; /* Unix seconds, 0 = no release time */
    /* SPUR_KIND_TEXT */
    char **accept; /* normalised accepted answers */
    size_t naccept;
    spur_partial_t *partial;
    size_t npartial;
    /* SPUR_KIND_NUMBER */
    double number, tolerance;
    /* SPUR_KIND_CHOICE */
    char **choices; /* as written, shown to players */
    size_t nchoices;
    int correct; /* index into choices */
    spur_hint_t *hints;
    size_t nhints;
} spur_puzzle_t;

typedef enum { SPUR_ELIG_ALL, SPUR_ELIG_FINISHED, SPUR_ELIG_MIN_SCORE } spur_elig_t;

typedef struct {
    char *id, *name;
    int count;    /* winners to draw; SPUR_PRIZE_ALL = every eligible team, no draw */
    int reserves; /* default 0 */
    spur_elig_t eligible;
    int min_score; /* for SPUR_ELIG_MIN_SCORE */
} spur_prize_t;

#define SPUR_PRIZE_ALL (-1)

typedef struct {
    char *id, *title, *intro, *language; /* language: "de" (default) or "en" */
    char *outro;                         /* shown once a team solved everything; "" = none */
    char *intro_html, *outro_html;       /* intro and outro rendered to safe HTML */
    char *time_zone; /* IANA zone name for times shown to people ("Europe/Berlin", the
                        default); only its shape is checked here (spur_hunt_tz_name_ok):
                        whether the zone exists is the tool's and server/office's job */
    int64_t starts_at, ends_at, freeze_at; /* Unix seconds; freeze_at = ends_at when absent */
    int64_t late_sync_grace;               /* seconds, default 600 */
    int guess_limit;                       /* wrong answers per team per guess_window, default 10,
                                              1..SPUR_GUESS_LIMIT_MAX */
    int guess_window;                      /* seconds, default 60 */
    int max_team_members;                  /* phones per team, default 20,
                                              1..SPUR_TEAM_MEMBERS_MAX */
    int max_accuracy;                      /* metres: a check-in with a vaguer position
                                              fix says nothing (geo.h) */
    int contact_ask;                       /* "contact" given: the app offers to leave one */
    char *contact_label, *contact_privacy; /* its field label and privacy notice, or NULL */
    int purge_after_days;                  /* contacts deleted this long after ends_at;
                                              0 = only by `spur purge` */
    spur_place_t *places;
    size_t nplaces;
    spur_puzzle_t *puzzles; /* in hunt order */
    size_t npuzzles;
    spur_prize_t *prizes;
    size_t nprizes;
    /* "branding": who runs the hunt, for posters, the flyer, the app header and the big
       screen; each NULL when absent. accent is "#rrggbb" (lower case). */
    char *brand_organizer, *brand_accent, *brand_footer;
    spur_image_t *brand_logo; /* or NULL */
    /* "map": the app's map tiles, an https URL template with {z}, {x}, {y} (and
       optionally {s}, {r}), and the attribution shown on the map (plain text) */
    char *map_tiles, *map_attribution;
    char *photo_consent; /* shown before a team's first photo upload; NULL = the app's own */
    char *draw_beacon;        /* names the public random value, drawn after the deadline, that
                                 the draw mixes in (spur-draw-v2; docs/draw.md); NULL = none.
                                 1..SPUR_DRAW_BEACON_DESC_MAX characters */
    spur_map_t puzzle_ids, place_ids; /* id -> index + 1, once the hunt is built */
} spur_hunt_t;

/* One problem found while loading, located by JSON path ("puzzles[2].answer.tolerance",
 * "" for the root). The tool turns paths into FILE:LINE:COL with spur_json_locate. */
typedef struct {
    int warning; /* 0 = error (the hunt is refused), 1 = warning */
    char *path;
    char *message; /* English; complete sentence without trailing period is fine */
} spur_diag_t;

typedef struct {
    spur_diag_t *items;
    size_t n, cap;
    size_t errors; /* number of items with warning == 0 */
} spur_diags_t;

void spur_diags_add(spur_diags_t *d, int warning, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void spur_diags_free(spur_diags_t *d);

/* Validates a parsed hunt file and builds the model. Every problem goes into diags
 * (may be NULL). Returns the hunt (caller frees with spur_hunt_free) when there was no
 * error, else NULL. Warnings do not prevent loading. */
spur_hunt_t *spur_hunt_from_json(const cJSON *root, spur_diags_t *diags);
void spur_hunt_free(spur_hunt_t *h);

/* Calls fn for every picture of h (puzzles, places, the logo), in that order, with the
 * picture and its JSON path ("puzzles[2].image"; the caller frees nothing). Stops
 * when fn returns non-zero and returns that value, else 0. */
int spur_hunt_each_image(spur_hunt_t *h, int (*fn)(spur_image_t *img, const char *path, void *data),
                         void *data);

/* The contrast of white on the colour "#rrggbb" (WCAG 2, 1 to 21): a branding accent
 * is used from 4.5 on (white text on it, and it as text on white). */
double spur_hunt_accent_contrast(const char *hex);

/* The map tiles when the hunt file names none: OpenStreetMap's (usage policy: a real
 * Referer, moderate use; fine for a town's hunt). */
#define SPUR_MAP_TILES "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
#define SPUR_MAP_ATTRIBUTION "© OpenStreetMap-Mitwirkende / contributors"
#define SPUR_MAP_TEXT_MAX 300 /* bytes of "tiles" and of "attribution" */

/* The default "time_zone" of a hunt. */
#define SPUR_TZ_DEFAULT "Europe/Berlin"
#define SPUR_TZ_NAME_MAX 64
/* Whether name has the shape of an IANA zone name that is safe to append to a
 * zoneinfo folder: 1..SPUR_TZ_NAME_MAX of [A-Za-z0-9_+-/], no "..", not starting with
 * "/". Returns 1 or 0. */
int spur_hunt_tz_name_ok(const char *name);

/* Index lookups by id; -1 when absent. */
int spur_hunt_puzzle_index(const spur_hunt_t *h, const char *id);
int spur_hunt_place_index(const spur_hunt_t *h, const char *id);
int spur_hunt_prize_index(const spur_hunt_t *h, const char *id);

/* Parses an RFC 3339 time ("2026-06-18T10:00:00+02:00", "...Z", fractional seconds
 * allowed) into Unix seconds. Returns 0 or -1. */
int spur_time_parse(const char *s, int64_t *out);
/* Formats Unix seconds as "2026-06-18T08:00:00Z" into out (at least 21 bytes). */
void spur_time_format(int64_t t, char *out, size_t out_size);
/* Same for milliseconds, "2026-06-18T08:00:00.123Z" (at least 25 bytes). */
void spur_time_format_ms(int64_t ms, char *out, size_t out_size);
/* Like spur_time_parse, in Unix milliseconds (fraction digits past 3 are dropped);
 * for client timestamps such as "made_at". Returns 0 or -1. */
int spur_time_parse_ms(const char *s, int64_t *out_ms);

#endif

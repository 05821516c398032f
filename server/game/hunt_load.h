/* Internals of the hunt loader, shared by its three files: hunt_read.c (diagnostics,
 * JSON paths, "did you mean", typed member readers), hunt_puzzle.c (puzzles, answers,
 * hints, requires, reachability) and hunt.c (the hunt, places, prizes). Not for use
 * outside server/game/hunt*.c. Pure C, no I/O; any thread. */
#ifndef SPUR_HUNT_LOAD_H
#define SPUR_HUNT_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "hunt.h"

#define SPUR_HUNT_POINTS_MAX 1000000 /* per puzzle and per hint cost, so sums fit an int */

/* One load in progress. */
typedef struct {
    spur_diags_t *d;
    spur_hunt_t *h;
    int times_ok;        /* starts_at and ends_at were both valid */
    unsigned char *dead; /* [h->npuzzles]: 1 when no team can ever open the puzzle; NULL
                            until spur_hunt_load_puzzles ran */
} spur_hunt_loader_t;

void spur_hunt_error(spur_hunt_loader_t *l, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void spur_hunt_warning(spur_hunt_loader_t *l, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* New strings: base + ".key" (or ["key"] when key is not a plain word), base + "[i]". */
char *spur_hunt_path_key(const char *base, const char *key);
char *spur_hunt_path_index(const char *base, size_t i);

/* The closest of n candidates (NULL entries skipped) to word, or NULL when none is
 * close enough to be a typo. The result points into cands. */
const char *spur_hunt_suggest(const char *word, const char *const *cands, size_t n);
/* "a string", "an object", ... for messages. */
const char *spur_hunt_type_name(const cJSON *v);

/* Reports every key of obj that is not in allowed, with a suggestion. Keys starting
 * with "_" are comments and always allowed. */
void spur_hunt_check_keys(spur_hunt_loader_t *l, const cJSON *obj, const char *path,
                          const char *const *allowed, size_t nallowed);
#define SPUR_HUNT_CHECK_KEYS(l, obj, path, list)                                                   \
    spur_hunt_check_keys(l, obj, path, list, sizeof(list) / sizeof(*list))

static inline const cJSON *spur_hunt_member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* Is key a comment ("_anything")? */
static inline int spur_hunt_is_comment(const char *key)
{
    return key && key[0] == '_';
}

void spur_hunt_missing(spur_hunt_loader_t *l, const char *path, const char *key);
void spur_hunt_wrong_type(spur_hunt_loader_t *l, const char *path, const char *key,
                          const char *want, const cJSON *v);

/* Typed members of obj at path. Each reports what is wrong (a missing required key,
 * a wrong type, a value out of range) and returns: get_str a copy or NULL; the
 * others 1 present and valid, 0 absent, -1 wrong (*out then holds the default). */
char *spur_hunt_get_str(spur_hunt_loader_t *l, const cJSON *obj, const char *path, const char *key,
                        int required);
int spur_hunt_get_int(spur_hunt_loader_t *l, const cJSON *obj, const char *path, const char *key,
                      int required, int min, int max, int def, int *out);
int spur_hunt_get_double(spur_hunt_loader_t *l, const cJSON *obj, const char *path, const char *key,
                         int required, double *out);
int spur_hunt_get_time(spur_hunt_loader_t *l, const cJSON *obj, const char *path, const char *key,
                       int required, int64_t *out);
/* The "id" member, kept even when malformed (so references resolve and only one
 * error is reported). */
char *spur_hunt_get_id(spur_hunt_loader_t *l, const cJSON *obj, const char *path);
/* The optional "time_zone" member of root: a copy, SPUR_TZ_DEFAULT when absent, and
 * the default after an error about a malformed one. */
char *spur_hunt_get_tz(spur_hunt_loader_t *l, const cJSON *root);
/* An optional array member; NULL when absent or not an array (then an error). */
const cJSON *spur_hunt_get_array(spur_hunt_loader_t *l, const cJSON *obj, const char *path,
                                 const char *key);

/* obj's optional picture member key ("image", or "logo" in branding): {"file", "alt"} at
 * path, checked; NULL when absent or not an object. */
spur_image_t *spur_hunt_get_image(spur_hunt_loader_t *l, const cJSON *obj, const char *path,
                                  const char *key);
void spur_hunt_image_free(spur_image_t *img);

/* Loads root's "puzzles" (after the places), resolves requires, reports cycles and
 * fills l->dead with the puzzles no team can ever open (warned about). */
/* The root's optional "draw_beacon", checked (hunt_read.c). */
char *spur_hunt_get_draw_beacon(spur_hunt_loader_t *l, const cJSON *root);
void spur_hunt_load_puzzles(spur_hunt_loader_t *l, const cJSON *root);

#endif

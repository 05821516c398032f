/* The check of a hunt file that `spur check` and spurd's POST /api/admin/check share,
 * so both find the same problems at the same places: the strict JSON parse, the game
 * rules (game/hunt*.c), the time zone's existence in tzdata, and every problem located
 * at its line and column and sorted by position. Messages stay English; callers
 * translate them with game/hunt_msg.h. It lives beside tz.c rather than in the pure
 * game rules because it reads the zone's file: blocking I/O, so call it from the tool
 * or the thread pool, never the loop. Any thread; no shared state. */
#ifndef SPUR_CHECK_H
#define SPUR_CHECK_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "game/hunt.h"

/* One problem, as `spur check` prints it. */
typedef struct {
    int line, col;    /* 1-based (col in characters); 0 when the path names nothing in the text */
    int warning;      /* 0 = error, 1 = warning */
    const char *path; /* JSON path such as "puzzles[2].answer", "" for the root or a
                         parse error; points into the check */
    const char *message; /* English; points into the check */
} spur_check_problem_t;

/* More checks of a hunt the rules accepted (the tool's picture files): adds to diags.
 * Runs after the rules and the time zone, before the problems are located. */
typedef void (*spur_check_extra_cb)(spur_hunt_t *hunt, spur_diags_t *diags, void *data);

/* A finished check. Everything is owned by it; free with spur_check_free. */
typedef struct spur_check {
    cJSON *root;       /* the parsed file; NULL when it is not JSON */
    spur_hunt_t *hunt; /* the hunt when there was no error (warnings allowed), else NULL */
    spur_diags_t diags;
    char parse_error[128];          /* the parser's reason when root is NULL */
    spur_check_problem_t *problems; /* [n]: by line, column, then the order found;
                                       unlocated ones last */
    size_t n;
    size_t errors; /* problems with warning == 0 */
} spur_check_t;

/* Checks text (len bytes) into *c, which is zeroed first. Not JSON: one error at the
 * parser's line and column, and no rules. Otherwise the rules, then, when they built
 * the hunt, the time zone (a "time_zone" key must name a zone in tzdata, spur_tz_dir())
 * and extra (may be NULL) with data. A hunt is kept only when no check found an error.
 * Blocking I/O (tzdata). */
void spur_check_run(spur_check_t *c, const char *text, size_t len, spur_check_extra_cb extra,
                    void *data);
void spur_check_free(spur_check_t *c);

#endif

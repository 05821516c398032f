/* The results of a hunt as an Excel workbook for the office (libxlsxwriter), the
 * same file from `spur export --format xlsx` and GET /api/admin/hunts/{h}/export.xlsx.
 *
 * Two steps, so spurd never blocks its loop: spur_office_take copies what the
 * workbook shows out of the live state (cheap, on the thread that owns the game),
 * and spur_office_xlsx* build the file from that copy alone (compression and file
 * I/O: the thread pool, or the tool). */
#ifndef SPUR_OFFICE_XLSX_H
#define SPUR_OFFICE_XLSX_H

#include <stddef.h>
#include <stdint.h>

#include "core/mem.h"
#include "game/codes.h"
#include "game/draw.h"
#include "game/state.h"

#define SPUR_OFFICE_XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

typedef struct {
    int64_t id;
    char *name;
    int score, solved, hints;
    int64_t last_solve; /* Unix ms, 0 = none */
    int hidden;         /* off the public leaderboard */
} spur_office_team_t;

typedef struct {
    int64_t team_id;
    char *team_name;                     /* "" when the team is gone */
    size_t reserve;                      /* 0 = a winner, k = the k-th reserve */
    size_t place;                        /* 1.. among the winners, or among the reserves */
    char claim_code[SPUR_SHORT_LEN + 1]; /* as /me shows it to the team */
} spur_office_pick_t;

typedef struct {
    char *prize_id, *prize_name;
    int64_t drawn_at; /* Unix ms */
    spur_office_pick_t *picks;
    size_t npicks;
} spur_office_prize_t;

/* A copy of what the workbook shows; owns every string. */
typedef struct {
    char *hunt_id, *title, *time_zone;
    spur_office_team_t *teams; /* in rank order, staff test teams left out */
    size_t nteams;
    spur_office_prize_t *prizes; /* the hunt's published draws, in the order drawn */
    size_t nprizes;
} spur_office_results_t;

/* Copies g's ranking and the draws of g's hunt among draws[0, ndraws) into r, with
 * each winner's and reserve's claim code. The thread that owns g. Free r with
 * spur_office_results_free. */
void spur_office_take(spur_office_results_t *r, const spur_game_t *g, const spur_draw_pub_t *draws,
                      size_t ndraws);
void spur_office_results_free(spur_office_results_t *r);

/* Writes the workbook to path: sheet "Rangliste" and one per drawn prize. Times are
 * shown in the hunt's time zone (UTC when the zone cannot be read). Returns 0 or -1
 * with a German/English reason in err. Blocking; any thread. */
int spur_office_xlsx_write(const spur_office_results_t *r, const char *path, char *err,
                           size_t err_size);
/* The same workbook into out (appended): libxlsxwriter 1.1.4 writes only files, so
 * through a private temporary file in $TMPDIR (else /tmp), removed before returning. */
int spur_office_xlsx(const spur_office_results_t *r, spur_buf_t *out, char *err, size_t err_size);

#endif

/* The results of a hunt as CSV, for organizers: written by `spur export` and served
 * to staff as /api/admin/hunts/{h}/export.csv, so both give the same file.
 *
 * One row per team in live rank order (after the end: the final order): rank, team
 * id, name, score, solved, last solve, hints taken, then one column per puzzle
 * holding its solve time; an empty line; then one row per puzzle (id, title, points,
 * solves, hints taken, kind: "text", "number", "choice", "scan" or "checkin"; new
 * columns go at the end, since other tools read these by position). Times are RFC 3339
 * UTC. Text cells are always quoted, and a
 * text cell starting with = + - @ TAB or CR gets a leading apostrophe so that no
 * spreadsheet runs it as a formula. Team names and ids only: no contact data. */
#include "game/state.h"

#include <inttypes.h>
#include <string.h>

static void csv_text(spur_buf_t *b, const char *s)
{
    spur_buf_puts(b, "\"");
    if (s[0] && strchr("=+-@\t\r", s[0]))
        spur_buf_puts(b, "'");
    for (; *s; s++) {
        if (*s == '"')
            spur_buf_puts(b, "\"");
        spur_buf_append(b, s, 1);
    }
    spur_buf_puts(b, "\"");
}

/* A time cell: RFC 3339 UTC, or nothing for 0. */
static void csv_time(spur_buf_t *b, int64_t ms)
{
    char when[32];
    if (!ms)
        return;
    spur_time_format(ms / 1000, when, sizeof when);
    spur_buf_puts(b, when);
}

int spur_game_team_hints(const spur_game_t *g, const spur_team_t *t)
{
    int n = 0;
    for (size_t k = 0; k < g->hunt->npuzzles; k++)
        n += t->prog[k].hints;
    return n;
}

void spur_game_results_csv(const spur_game_t *g, spur_buf_t *b)
{
    const spur_hunt_t *h = g->hunt;

    spur_buf_puts(b, "rank,team_id,name,score,solved,last_solve_at,hints_taken");
    for (size_t k = 0; k < h->npuzzles; k++) {
        spur_buf_puts(b, ",");
        csv_text(b, h->puzzles[k].id);
    }
    spur_buf_puts(b, "\r\n");
    for (size_t i = 0; i < g->nranked; i++) { /* test teams are not ranked: not here */
        const spur_team_t *t = g->rank[i];
        spur_buf_printf(b, "%zu,%" PRId64 ",", i + 1, t->id);
        csv_text(b, t->name);
        spur_buf_printf(b, ",%d,%d,", t->score, t->nsolved);
        csv_time(b, t->last_solve);
        spur_buf_printf(b, ",%d", spur_game_team_hints(g, t));
        for (size_t k = 0; k < h->npuzzles; k++) {
            spur_buf_puts(b, ",");
            csv_time(b, t->prog[k].solved_at);
        }
        spur_buf_puts(b, "\r\n");
    }
    spur_buf_puts(b, "\r\npuzzle,title,points,solves,hints_taken,kind\r\n");
    for (size_t k = 0; k < h->npuzzles; k++) {
        csv_text(b, h->puzzles[k].id);
        spur_buf_puts(b, ",");
        csv_text(b, h->puzzles[k].title);
        spur_buf_printf(b, ",%d,%d,%d,%s\r\n", h->puzzles[k].points, g->solves[k],
                        g->hints_taken[k], spur_kind_name(h->puzzles[k].kind));
    }
}

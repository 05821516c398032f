/* The live state of one hunt: teams, their progress, the rankings, and the
 * lookups the API needs (tokens, join codes, place codes, offline client ids).
 * Pure game rules, no I/O: the server applies a change here only after its
 * record was committed, and replays the stored events through the same
 * functions at start-up, so memory always equals the durable record.
 * Single-threaded: the loop thread (spurd) or the caller (spur). Times are
 * Unix milliseconds unless named _s. */
#ifndef SPUR_STATE_H
#define SPUR_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/list.h"
#include "core/map.h"
#include "core/mem.h"
#include "game/answer.h"
#include "game/hunt.h"
#include "game/insight.h"
#include "game/photo.h"

#define SPUR_NAME_MAX 32                     /* characters in a team name */
#define SPUR_GUESS_RING SPUR_GUESS_LIMIT_MAX /* wrong answers remembered for the limit */
#define SPUR_CLIENT_ID_MAX 64                /* bytes in an offline client id, [A-Za-z0-9_-] */
/* Distinct wrong or partial answers remembered per team (so a repeat is free), as
 * 8-byte keyed hashes: at most 1 KiB a team. The oldest is forgotten first; a repeat
 * of a forgotten one counts again. */
#define SPUR_WRONG_SEEN_MAX 128
/* Offline results kept for retries (spur_game_result_put): per team, and per hunt
 * (about 300 bytes each: 15 MB at most). The oldest leave first; a retry of a
 * forgotten item is judged again, which is safe: a solved puzzle answers
 * already_solved, a repeated wrong answer is free. */
#define SPUR_RESULTS_PER_TEAM 64
#define SPUR_RESULTS_MAX 50000

typedef enum { SPUR_UPCOMING, SPUR_RUNNING, SPUR_FROZEN, SPUR_OVER } spur_state_t;
typedef enum { SPUR_LOCKED, SPUR_OPEN, SPUR_SOLVED } spur_status_t;

typedef struct {
    int64_t solved_at; /* ms; 0 = not solved */
    int points;        /* earned by the solve: puzzle points minus hint costs, >= 0 */
    uint8_t hints;     /* hints taken, <= puzzle nhints */
} spur_prog_t;

typedef struct spur_team spur_team_t;
struct spur_team {
    int64_t id;     /* positive, in creation order across all hunts */
    char *name;     /* as shown: trimmed, 1..SPUR_NAME_MAX characters */
    char *name_key; /* case-folded NFKC name: unique per hunt */
    unsigned char join_salt[16];
    char join_code[10]; /* "ABCD-EFGH" from the hunt secret and salt; "" until first
                           asked for (spur_game_join_code): start-up derives none */
    int64_t created_at;
    spur_prog_t *prog;      /* [hunt->npuzzles]: progress[] below, in the same allocation */
    unsigned char *scanned; /* [hunt->nplaces]: 1 once the team scanned the place */
    /* live standing */
    int score, nsolved;
    int64_t score_at;   /* when the team reached its score (creation for 0) */
    int64_t last_solve; /* 0 = none */
    size_t rank_pos;    /* index in game->rank */
    /* public standing as of freeze_at (equal to live before freezing) */
    int fscore, fsolved;
    int64_t fscore_at, flast_solve;
    size_t frank_pos;
    /* guess limit, made at the team's first wrong answer (most teams of a big hunt
       never need it): times of the last counted wrong answers, and the hashes of
       "<puzzle idx>:<norm>" of the distinct ones, oldest overwritten first */
    struct spur_guesses {
        int64_t at[SPUR_GUESS_RING];
        uint64_t seen[SPUR_WRONG_SEEN_MAX];
    } * guesses;
    unsigned wrong_n;      /* counted in all, ring index = wrong_n % SPUR_GUESS_RING */
    unsigned wrong_seen_n; /* distinct ones added in all */
    unsigned members;      /* phones (tokens) of the team */
    unsigned changes;      /* hints, scans and solves applied: changes whenever the
                              team's clue list may look different to its phones */
    /* scans ahead of time: scan and check-in puzzles whose place the team scanned while they were
       locked, not solved yet; each is solved the moment it opens (spur_game_apply when
       its requires are solved, spur_game_open_due when its opens_at passes) */
    unsigned held;
    unsigned char held_listed; /* in game->held_teams */
    /* staff moderation (docs/api.md, "Teams for staff"), kept in the teams row */
    unsigned char test;          /* a staff test team: plays (also before the start), never on
                                    the leaderboard, in stats, exports or draws */
    unsigned char hidden;        /* off the public leaderboard; still plays, sees itself and
                                    stays eligible for draws */
    unsigned char excluded;      /* never drawn; the draw record lists its id */
    char *reason;                /* why it was excluded (staff's words), or NULL */
    unsigned char contact_given; /* a contact (with consent) is stored for the team */
    spur_list_t results;         /* its kept results (spur_result_t.in_team), oldest first */
    /* owned by the server's request handling, not by the rules */
    int busy;         /* a write for this team awaits its commit */
    unsigned joining; /* phones whose join awaits its commit */
    void *parked_head, *parked_tail;
    spur_prog_t progress[]; /* hunt->npuzzles + 1 (prog points here) */
};

/* A stored answer to an offline item, returned again for a retry. */
typedef struct spur_result {
    int status;
    char *body;
    char *what; /* what it answered: "answer:<puzzle id>" or "scan" */
    char *key;  /* its key in game->results */
    size_t klen;
    spur_team_t *team;
    spur_link_t in_hunt, in_team; /* in game->kept and team->results */
} spur_result_t;

typedef struct {
    spur_hunt_t *hunt; /* owned */
    unsigned char secret[32];
    unsigned char draw_seed[32];
    char commitment[65]; /* hex SHA-256 of draw_seed */
    spur_team_t **teams; /* by creation order */
    int64_t *team_ids;   /* their ids, same order (ascending): searched without touching
                            the teams themselves */
    size_t nteams, cap;
    spur_team_t **rank;  /* live ranking of the nranked teams that are not test teams:
                            score desc, score_at asc, id asc (hidden teams included:
                            the public board skips them) */
    spur_team_t **frank; /* the same as of freeze_at */
    size_t nranked;
    spur_team_t **hidden; /* the teams staff hid from the public board (few) */
    size_t nhidden, hidden_cap;
    spur_map_t by_name;  /* name_key -> team */
    spur_map_t by_token; /* SHA-256 of a token (32 bytes) -> team */
    spur_map_t by_join;  /* SHA-256 of the canonical join code -> team */
    spur_map_t by_code;  /* place token or canonical short code -> (place idx + 1) */
    spur_map_t results;  /* "<team id>:<client id>" -> spur_result_t* (bounded, see
                            SPUR_RESULTS_MAX) */
    spur_list_t kept;    /* every kept result (spur_result_t.in_hunt), oldest first */
    int *solves;         /* [npuzzles] solves per puzzle */
    int *scans;          /* [nplaces] teams that scanned each place */
    int *hints_taken;    /* [npuzzles] hints taken in all */
    uint64_t version;    /* bumped by every change that can alter a leaderboard */
    /* For the staff stats, real teams only (insight.h): */
    spur_insight_t *insight; /* [npuzzles] */
    int *dep_start, *deps;   /* the puzzles requiring puzzle i: deps[dep_start[i] ..
                                dep_start[i + 1]) */
    /* Teams holding a scanned puzzle that waits only for a time (its opens_at): the
       due-check walks these, not all teams, and only once held_due has come. */
    spur_team_t **held_teams;
    size_t nheld_teams, held_cap;
    int64_t held_due; /* ms: the earliest time one of them opens; 0 = none */
    int bulk;         /* replaying (spur_game_begin_bulk): rankings are sorted at the end */
    spur_photos_t photos; /* the photos teams sent (photo.h) */
} spur_game_t;

/* One committed change of a team's play: what the live server applies after the
 * commit and what start-up replays from the stored rows, through spur_game_apply
 * alone, so both build the same state. Times in ms. */
typedef enum { SPUR_EV_ANSWER, SPUR_EV_HINT, SPUR_EV_SCAN, SPUR_EV_PHOTO } spur_ev_kind_t;

typedef struct {
    spur_ev_kind_t kind;
    int64_t at;             /* when it counts */
    int puzzle;             /* answer, hint: puzzle index; -1 = no longer in the hunt */
    spur_verdict_t verdict; /* answer; photo: correct = approved (solves the puzzle with
                               `points`), wrong = revoked (the solve is taken back) */
    int points;             /* photo approved: what it earns (0..puzzle points) */
    const char *norm;       /* answer, wrong or partial: the normalised text, or NULL */
    int place;              /* scan: place index; -1 = no longer in the hunt */
    const int *solved;      /* scan: the puzzles it solved (indices; -1 entries skipped) */
    size_t nsolved;
} spur_event_t;

/* Takes ownership of hunt. Derives place codes and the commitment. */
spur_game_t *spur_game_new(spur_hunt_t *hunt, const unsigned char secret[32],
                           const unsigned char draw_seed[32]);
void spur_game_free(spur_game_t *g);

/* The hunt's state at now_s (Unix seconds). */
spur_state_t spur_game_state(const spur_hunt_t *h, int64_t now_s);
const char *spur_state_name(spur_state_t s);

/* Checks and cleans a team name: trims, 1..32 characters (code points), valid UTF-8, no
 * control, format (bidi) or unassigned characters, except the zero width joiners and
 * tags inside emoji sequences (👨‍👩‍👧, England's flag). On success *shown and *key are
 * new heap strings (caller frees). Returns 0 or SPUR_EBAD_NAME. */
int spur_team_name_check(const char *in, size_t len, char **shown, char **key);

/* Adds a team (name and key are copied). join_hash is the SHA-256 of its canonical join
 * code, as stored; NULL derives it. Returns it; the caller has checked that the key is
 * free. */
spur_team_t *spur_game_add_team(spur_game_t *g, int64_t id, const char *name, const char *key,
                                const unsigned char salt[16], const unsigned char join_hash[32],
                                int64_t created_at);
/* The team's join code ("ABCD-EFGH"), derived the first time it is asked for. */
const char *spur_game_join_code(const spur_game_t *g, spur_team_t *t);
/* Applies a committed event to t: the one way play changes the state. */
void spur_game_apply(spur_game_t *g, spur_team_t *t, const spur_event_t *ev);
/* Solves the held puzzles (see spur_team_t.held) that have opened by now (ms), each at
 * the time it opened: its opens_at, or the solve of its last requirement if later.
 * Cheap when nothing is due (one comparison): the server calls it every tick, before
 * judging a request and after start-up replay. Returns the number of puzzles solved.
 * The result does not depend on when it is called, so replay builds the same state. */
int spur_game_open_due(spur_game_t *g, int64_t now);
/* Whether puzzle idx is held for t: a scan or check-in puzzle, not solved, whose place t scanned.
 */
int spur_game_held(const spur_game_t *g, const spur_team_t *t, int idx);
/* Replaying many events: between begin and end, solves and new teams do not move
 * teams in the rankings one place at a time (quadratic for a whole hunt); end sorts
 * both rankings once. */
void spur_game_begin_bulk(spur_game_t *g);
void spur_game_end_bulk(spur_game_t *g);
spur_team_t *spur_game_team_by_id(const spur_game_t *g, int64_t id);
/* Staff moderation. set_test makes t a test team (right after adding it, or between
 * begin/end_bulk): it leaves the rankings and never counts in per-puzzle counters.
 * set_hidden hides t from (or shows it again on) the public leaderboard. */
void spur_game_set_test(spur_game_t *g, spur_team_t *t);
void spur_game_set_hidden(spur_game_t *g, spur_team_t *t, int hidden);
/* t's rank as the public board shows it (hidden teams skipped; a hidden team gets the
 * place it would have), in the live or frozen ranking; 0 for a test team. */
size_t spur_game_public_rank(const spur_game_t *g, const spur_team_t *t, int frozen);
/* Teams on the public board: neither test teams nor hidden. */
static inline size_t spur_game_public_teams(const spur_game_t *g)
{
    return g->nranked - g->nhidden;
}
/* Makes room for n teams in all (start-up knows how many it will add). */
void spur_game_reserve(spur_game_t *g, size_t n);
/* Adds a phone's token to t (counted in t->members unless already known). */
void spur_game_add_token(spur_game_t *g, const unsigned char hash[32], spur_team_t *t);

/* Status of puzzle idx for team at now (ms). `extra` may name one more puzzle to treat
 * as solved (-1 for none), for planning what a scan would unlock. */
spur_status_t spur_game_status(const spur_game_t *g, const spur_team_t *t, int idx, int64_t now,
                               const unsigned char *extra_solved);

/* Place index for a scanned or typed code (QR token or short code in any case, with or
 * without dash/space), or -1. */
int spur_game_place_by_code(const spur_game_t *g, const char *code);

/* What scanning place would do now: scan and check-in puzzles it solves (written to solved[], count
 * returned in *nsolved) and puzzles that this unlocks. Arrays hold npuzzles entries. */
void spur_game_scan_plan(const spur_game_t *g, const spur_team_t *t, int place, int64_t now,
                         int *solved, size_t *nsolved, int *unlocked, size_t *nunlocked);

/* The scan and check-in puzzles at place that a scan at `at` would hold (see spur_team_t.held):
 * unsolved, locked at `at`, and able to open before the end. Written to held[]
 * (npuzzles entries); returns how many. */
size_t spur_game_scan_holds(const spur_game_t *g, const spur_team_t *t, int place, int64_t at,
                            int *held);

/* Points a solve of idx would earn now: points minus the hints taken, at least 0. */
int spur_game_solve_points(const spur_game_t *g, const spur_team_t *t, int idx);

/* The parts of spur_game_apply (also for tests). solve: marks idx solved at `at`,
 * updates score, ranks and counters (no-op when already solved). */
void spur_game_solve(spur_game_t *g, spur_team_t *t, int idx, int64_t at);
/* Takes a solve back (a revoked photo): the points leave the score (live and, when the
 * solve was before freeze_at, frozen), the puzzle is open again; what it unlocked stays
 * reachable for what was solved since. The time the team reached its lower score is
 * not known, so its ranking time stays. No-op when idx is not solved. */
void spur_game_unsolve(spur_game_t *g, spur_team_t *t, int idx);
void spur_game_take_hint(spur_game_t *g, spur_team_t *t, int idx);
void spur_game_mark_scanned(spur_game_t *g, spur_team_t *t, int place);

/* Guess limit. spur_game_guess_wait returns 0 when the team may answer at now, else the
 * seconds to wait. wrong_seen says whether this exact wrong or partial answer was given
 * before (it then does not count again, and is not stored again); wrong_add remembers
 * and counts it (no-op when seen). */
int spur_game_guess_wait(const spur_game_t *g, const spur_team_t *t, int64_t now);
int spur_game_wrong_seen(const spur_team_t *t, int idx, const char *norm);
/* Returns 1 when it was new for the team (and so counted), 0 when seen before. */
int spur_game_wrong_add(spur_team_t *t, int idx, const char *norm, int64_t at);

/* When puzzle idx opened for t (ms): the latest of the hunt's start, the puzzle's
 * opens_at, the team's creation and the solves of what it requires; 0 while one of
 * those is unsolved. Only solve times go in, so replay computes the same. */
int64_t spur_game_opened_at(const spur_game_t *g, const spur_team_t *t, int idx);
/* Real teams for which puzzle idx is open or solved at now (ms). */
int spur_game_opened(const spur_game_t *g, int idx, int64_t now);

/* Offline retries: the first result for (team, client id), and what it answered
 * ("answer:<puzzle id>" or "scan": the same id sent for something else is a client's
 * mistake, not a retry). put copies what and body, and forgets the team's oldest
 * beyond SPUR_RESULTS_PER_TEAM and the hunt's oldest beyond SPUR_RESULTS_MAX. */
const spur_result_t *spur_game_result_get(const spur_game_t *g, const spur_team_t *t,
                                          const char *client_id);
void spur_game_result_put(spur_game_t *g, spur_team_t *t, const char *client_id, const char *what,
                          int status, const char *body);

/* Public leaderboard JSON {"state","frozen","total","teams":[...]} for the state at
 * now_s: frozen and over states use the frozen or final ranking (docs/rules.md).
 * With ends (room for limit + 1 entries; may be NULL), ends[0] is out->len after
 * `"teams":[` and ends[k] after the k-th row, so the first k rows are the prefix
 * out->data[0, ends[k]) followed by "]}". Returns the number of rows written. */
size_t spur_game_leaderboard_json(const spur_game_t *g, spur_buf_t *out, int64_t now_s,
                                  size_t offset, size_t limit, size_t *ends);

/* The hunt's results as CSV (results.c): the file `spur export` writes and staff
 * download; see there for the columns. */
void spur_game_results_csv(const spur_game_t *g, spur_buf_t *out);
#define SPUR_REASON_MAX 200 /* bytes of the reason a team is excluded from draws */

/* Moderation (moderation.c). A team as staff see it: {"id","name","score","solved",
 * "phones","created","hidden","excluded","reason","test","contact_given"}. */
void spur_team_admin_json(spur_buf_t *b, const spur_team_t *t);
/* The staff_log detail of an edit of t: {"name":[old,new] (only when renamed),
 * "hidden","excluded","reason"} with the values after it. */
void spur_team_edit_detail(spur_buf_t *b, const spur_team_t *t, const char *new_name, int hidden,
                           int excluded, const char *reason);
/* 1 from draw_from (ends_at + late_sync_grace) on: the draw lists (eligible_sha256)
 * are final then, so who is excluded can no longer change. */
int spur_game_exclusions_fixed(const spur_hunt_t *h, int64_t now_ms);

/* Hints the team took, over all puzzles. */
int spur_game_team_hints(const spur_game_t *g, const spur_team_t *t);

#endif

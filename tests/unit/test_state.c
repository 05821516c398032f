/* Unit tests of the live game rules in server/game/state.c: hunt states, ranking
 * with its tie-break (score, then the earlier time the score was reached, then team
 * id), the frozen leaderboard, unlocking by scans, hint costs, the guess limit and
 * team names. Each test builds its own hunt and game. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#include "core/err.h"
#include "core/json.h"
#include "game/codes.h"
#include "game/state.h"

/* starts 1000 s, freezes 5000 s, ends 6000 s after the epoch (times in the hunt are UTC). */
static const char HUNT[] =
    "{\"id\":\"t\",\"title\":\"T\",\"starts_at\":\"1970-01-01T00:16:40Z\","
    "\"freeze_at\":\"1970-01-01T01:23:20Z\",\"ends_at\":\"1970-01-01T01:40:00Z\","
    "\"places\":[{\"id\":\"rathaus\",\"name\":\"Rathaus\",\"lat\":1,\"lon\":2}],"
    "\"puzzles\":["
    "{\"id\":\"scan\",\"title\":\"S\",\"kind\":\"scan\",\"place\":\"rathaus\",\"clue\":\"c\","
    "\"points\":5},"
    "{\"id\":\"kaiser\",\"title\":\"K\",\"clue\":\"c\",\"points\":10,\"requires\":[\"scan\"],"
    "\"answer\":{\"accept\":[\"Barbarossa\"]},"
    "\"hints\":[{\"text\":\"a\",\"cost\":3},{\"text\":\"b\",\"cost\":9}]},"
    "{\"id\":\"stufen\",\"title\":\"N\",\"clue\":\"c\",\"points\":8,\"answer\":{\"number\":42}}"
    "]}";

#define START 1000
#define FREEZE 5000
#define END 6000

static spur_game_t *game_new(void)
{
    return fixture_game(HUNT);
}

static spur_team_t *team(spur_game_t *g, int64_t id, const char *name, int64_t at_ms)
{
    unsigned char salt[16] = {0};
    salt[0] = (unsigned char)id;
    return spur_game_add_team(g, id, name, name, salt, NULL, at_ms);
}

static void states_follow_the_clock(void **state)
{
    spur_game_t *g = game_new();
    (void)state;
    assert_int_equal(spur_game_state(g->hunt, START - 1), SPUR_UPCOMING);
    assert_int_equal(spur_game_state(g->hunt, START), SPUR_RUNNING);
    assert_int_equal(spur_game_state(g->hunt, FREEZE - 1), SPUR_RUNNING);
    assert_int_equal(spur_game_state(g->hunt, FREEZE), SPUR_FROZEN);
    assert_int_equal(spur_game_state(g->hunt, END - 1), SPUR_FROZEN);
    assert_int_equal(spur_game_state(g->hunt, END), SPUR_OVER);
    assert_string_equal(spur_state_name(SPUR_FROZEN), "frozen");
    spur_game_free(g);
}

static void equal_scores_rank_by_earlier_time_then_lower_id(void **state)
{
    spur_game_t *g = game_new();
    spur_team_t *a = team(g, 1, "a", START * 1000);
    spur_team_t *b = team(g, 2, "b", START * 1000);
    spur_team_t *c = team(g, 3, "c", START * 1000);
    (void)state;

    /* c reaches 8 first, then a; b reaches 8 at the same moment as a. */
    spur_game_solve(g, c, 2, 2000 * 1000);
    spur_game_solve(g, b, 2, 3000 * 1000);
    spur_game_solve(g, a, 2, 3000 * 1000);
    assert_ptr_equal(g->rank[0], c);
    assert_ptr_equal(g->rank[1], a); /* same score and time as b: lower id first */
    assert_ptr_equal(g->rank[2], b);
    assert_int_equal(a->rank_pos, 1);
    /* a higher score beats an earlier time */
    spur_game_solve(g, b, 0, 3500 * 1000);
    assert_ptr_equal(g->rank[0], b);
    assert_int_equal(b->score, 13);
    spur_game_free(g);
}

/* A late-synced offline solve counts at its made_at, which may be earlier than a solve
 * already applied: the time the team reached its total must not go back. */
static void a_late_solve_made_earlier_does_not_move_the_score_time_back(void **state)
{
    spur_game_t *g = game_new();
    spur_team_t *a = team(g, 1, "a", START * 1000);
    spur_team_t *b = team(g, 2, "b", START * 1000);
    (void)state;

    spur_game_solve(g, a, 2, 3000 * 1000); /* a reaches 8 first */
    spur_game_solve(g, b, 2, 3100 * 1000);
    spur_game_solve(g, b, 0, 2100 * 1000); /* both add 5, made earlier (b earlier still) */
    spur_game_solve(g, a, 0, 2200 * 1000);
    assert_int_equal(a->score, b->score);
    assert_int_equal(a->score_at, 3000 * 1000);
    assert_int_equal(a->last_solve, 3000 * 1000);
    assert_int_equal(b->score_at, 3100 * 1000);
    assert_ptr_equal(g->rank[0], a);
    assert_ptr_equal(g->rank[1], b);
    spur_game_free(g);
}

static void the_public_board_stops_at_freeze_but_teams_keep_scoring(void **state)
{
    spur_game_t *g = game_new();
    spur_team_t *a = team(g, 1, "a", START * 1000);
    spur_team_t *b = team(g, 2, "b", START * 1000);
    spur_buf_t out = {0};
    (void)state;

    spur_game_solve(g, a, 2, 2000 * 1000);          /* before freeze */
    spur_game_solve(g, b, 0, (FREEZE + 10) * 1000); /* after freeze */
    spur_game_solve(g, b, 2, (FREEZE + 20) * 1000);
    assert_ptr_equal(g->rank[0], b);  /* live */
    assert_ptr_equal(g->frank[0], a); /* public while frozen */
    assert_int_equal(b->fscore, 0);
    spur_game_leaderboard_json(g, &out, FREEZE + 30, 0, 10, NULL);
    assert_non_null(strstr(out.data, "\"state\":\"frozen\",\"frozen\":true"));
    assert_true(strstr(out.data, "\"name\":\"a\"") < strstr(out.data, "\"name\":\"b\""));
    out.len = 0;
    spur_game_leaderboard_json(g, &out, END, 0, 10, NULL); /* over: the final board */
    assert_non_null(strstr(out.data, "\"state\":\"over\",\"frozen\":false"));
    assert_true(strstr(out.data, "\"name\":\"b\"") < strstr(out.data, "\"name\":\"a\""));
    spur_buf_free(&out);
    spur_game_free(g);
}

static void photo_event(spur_game_t *g, spur_team_t *t, int approve, int points, int64_t at_s)
{
    spur_event_t ev = {.kind = SPUR_EV_PHOTO,
                       .at = at_s * 1000,
                       .puzzle = 2,
                       .verdict = approve ? SPUR_VERDICT_CORRECT : SPUR_VERDICT_WRONG,
                       .points = points,
                       .place = -1};
    spur_game_apply(g, t, &ev);
}

/* A photo approved for fewer points solves for those; a revoked one takes its points
 * out of the live and (before freeze) the frozen score, moves the team down, and
 * leaves the puzzle open; a photo approved again solves again. */
static void an_approved_photo_counts_its_points_and_a_revoked_one_is_taken_back(void **state)
{
    spur_game_t *g = game_new();
    spur_team_t *a = team(g, 1, "a", START * 1000);
    spur_team_t *b = team(g, 2, "b", START * 1000);
    spur_team_t *c = team(g, 3, "c", START * 1000);
    (void)state;

    spur_game_solve(g, b, 0, 2000 * 1000); /* b: 5 */
    spur_game_solve(g, c, 0, 2500 * 1000); /* c: 5, later */
    photo_event(g, a, 1, 6, 1500);         /* a: 6 (of 8), at the photo's time */
    assert_int_equal(a->score, 6);
    assert_int_equal(a->fscore, 6);
    assert_int_equal(a->prog[2].points, 6);
    assert_int_equal(g->solves[2], 1);
    assert_ptr_equal(g->rank[0], a);
    assert_ptr_equal(g->frank[0], a);
    photo_event(g, a, 0, 0, 1500); /* revoked */
    assert_int_equal(a->score, 0);
    assert_int_equal(a->fscore, 0);
    assert_int_equal(a->nsolved, 0);
    assert_int_equal(g->solves[2], 0);
    assert_int_equal(a->prog[2].solved_at, 0);
    assert_int_equal(spur_game_status(g, a, 2, 3000 * 1000, NULL), SPUR_OPEN);
    assert_ptr_equal(g->rank[0], b);
    assert_ptr_equal(g->rank[1], c);
    assert_ptr_equal(g->rank[2], a);
    assert_ptr_equal(g->frank[2], a);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(g->rank[i]->rank_pos, i);
    photo_event(g, a, 1, 8, 3000); /* a new photo, approved in full */
    assert_int_equal(a->score, 8);
    assert_ptr_equal(g->rank[0], a);
    spur_game_free(g);
}

/* The event stream cuts the cached board after k rows: that prefix and "]}" must be
 * exactly the board rendered with limit k, whatever the names hold. */
static void a_board_cut_after_k_rows_is_the_board_with_limit_k(void **state)
{
    spur_game_t *g = game_new();
    spur_buf_t all = {0}, cut = {0}, want = {0};
    size_t ends[4];
    (void)state;

    team(g, 1, "a \"},{\"rank\":9", START * 1000);
    team(g, 2, "b]}", START * 1000);
    team(g, 3, "c", START * 1000);
    assert_int_equal(spur_game_leaderboard_json(g, &all, 2000, 0, 10, ends), 3);
    for (size_t k = 0; k <= 3; k++) {
        cut.len = want.len = 0;
        spur_buf_append(&cut, all.data, ends[k]);
        spur_buf_puts(&cut, "]}");
        assert_int_equal(spur_game_leaderboard_json(g, &want, 2000, 0, k, NULL), k);
        assert_int_equal(cut.len, want.len);
        assert_memory_equal(cut.data, want.data, want.len);
    }
    assert_int_equal(ends[3] + 2, all.len);
    spur_buf_free(&all);
    spur_buf_free(&cut);
    spur_buf_free(&want);
    spur_game_free(g);
}

static void a_scan_solves_its_puzzle_and_unlocks_what_required_it(void **state)
{
    spur_game_t *g = game_new();
    spur_team_t *a = team(g, 1, "a", START * 1000);
    int solved[3], unlocked[3];
    size_t ns, nu;
    int64_t now = 2000 * 1000;
    (void)state;

    assert_int_equal(spur_game_status(g, a, 1, now, NULL), SPUR_LOCKED);
    spur_game_scan_plan(g, a, 0, now, solved, &ns, unlocked, &nu);
    assert_int_equal(ns, 1);
    assert_int_equal(solved[0], 0);
    assert_int_equal(nu, 1);
    assert_int_equal(unlocked[0], 1);
    spur_game_mark_scanned(g, a, 0);
    spur_game_solve(g, a, 0, now);
    assert_int_equal(spur_game_status(g, a, 1, now, NULL), SPUR_OPEN);
    /* scanning again solves nothing more */
    spur_game_scan_plan(g, a, 0, now, solved, &ns, unlocked, &nu);
    assert_int_equal(ns + nu, 0);
    assert_int_equal(g->scans[0], 1);
    spur_game_free(g);
}

static void hints_cost_points_but_never_below_zero(void **state)
{
    spur_game_t *g = game_new();
    spur_team_t *a = team(g, 1, "a", START * 1000);
    (void)state;

    assert_int_equal(spur_game_solve_points(g, a, 1), 10);
    spur_game_take_hint(g, a, 1);
    assert_int_equal(spur_game_solve_points(g, a, 1), 7);
    spur_game_take_hint(g, a, 1);
    assert_int_equal(spur_game_solve_points(g, a, 1), 0); /* 10 - 3 - 9 */
    spur_game_take_hint(g, a, 1);                         /* no third hint */
    assert_int_equal(a->prog[1].hints, 2);
    spur_game_solve(g, a, 1, 2000 * 1000);
    assert_int_equal(a->score, 0);
    assert_int_equal(a->nsolved, 1);
    spur_game_free(g);
}

static void more_than_ten_distinct_wrong_answers_a_minute_must_wait(void **state)
{
    spur_game_t *g = game_new();
    spur_team_t *a = team(g, 1, "a", START * 1000);
    int64_t t0 = 2000 * 1000;
    char norm[8];
    (void)state;

    for (int i = 0; i < 15; i++)
        spur_game_wrong_add(a, 2, "1", t0); /* the same wrong answer counts once */
    assert_int_equal(a->wrong_n, 1);
    assert_true(spur_game_wrong_seen(a, 2, "1"));
    assert_false(spur_game_wrong_seen(a, 1, "1")); /* per puzzle */
    for (int i = 2; i <= 10; i++) {
        assert_int_equal(spur_game_guess_wait(g, a, t0 + i), 0);
        snprintf(norm, sizeof(norm), "%d", i);
        spur_game_wrong_add(a, 2, norm, t0 + i);
    }
    assert_int_equal(a->wrong_n, 10);
    assert_int_equal(spur_game_guess_wait(g, a, t0 + 100), 60);
    assert_int_equal(spur_game_guess_wait(g, a, t0 + 30000), 30);
    assert_int_equal(spur_game_guess_wait(g, a, t0 + 60000), 0);
    spur_game_free(g);
}

/* guess_window is seconds up to INT_MAX: a month-long window must not overflow. */
static void a_long_guess_window_still_makes_teams_wait(void **state)
{
    spur_game_t *g = game_new();
    spur_team_t *a = team(g, 1, "a", START * 1000);
    int64_t t0 = 2000 * 1000;
    char norm[8];
    (void)state;

    g->hunt->guess_limit = 2;
    g->hunt->guess_window = 30 * 24 * 3600; /* 30 days: 2.6e12 ms, past INT_MAX */
    for (int i = 0; i < 2; i++) {
        snprintf(norm, sizeof(norm), "%d", i);
        spur_game_wrong_add(a, 2, norm, t0);
    }
    assert_int_equal(spur_game_guess_wait(g, a, t0 + 1000), 30 * 24 * 3600 - 1);
    spur_game_free(g);
}

static void team_names_are_trimmed_bounded_and_folded(void **state)
{
    char *shown = NULL, *key = NULL;
    (void)state;

    assert_int_equal(spur_team_name_check("  Die F\xc3\xbc"
                                          "chse ",
                                          13, &shown, &key),
                     0);
    assert_string_equal(shown, "Die F\xc3\xbc"
                               "chse");
    assert_string_equal(key, "die f\xc3\xbc"
                             "chse");
    free(shown);
    free(key);
    assert_int_equal(spur_team_name_check("   ", 3, &shown, &key), SPUR_EBAD_NAME);
    assert_int_equal(spur_team_name_check("a\x01", 2, &shown, &key), SPUR_EBAD_NAME);
    assert_int_equal(spur_team_name_check("a\xe2\x80\xae"
                                          "b",
                                          5, &shown, &key),
                     SPUR_EBAD_NAME);
    assert_int_equal(spur_team_name_check("\xff", 1, &shown, &key), SPUR_EBAD_NAME);
    assert_int_equal(spur_team_name_check("123456789012345678901234567890123", 33, &shown, &key),
                     SPUR_EBAD_NAME);
}

static void the_first_result_for_a_client_id_stands(void **state)
{
    spur_game_t *g = game_new();
    spur_team_t *a = team(g, 1, "a", START * 1000), *b = team(g, 2, "b", START * 1000);
    (void)state;
    spur_game_result_put(g, a, "c1", "answer:a", 200, "{\"first\":1}");
    spur_game_result_put(g, a, "c1", "scan", 200, "{\"second\":1}");
    assert_string_equal(spur_game_result_get(g, a, "c1")->body, "{\"first\":1}");
    assert_string_equal(spur_game_result_get(g, a, "c1")->what, "answer:a");
    assert_null(spur_game_result_get(g, b, "c1")); /* per team */
    spur_game_free(g);
}

static void kept_results_are_bounded_per_team_and_per_hunt_oldest_first(void **state)
{
    spur_game_t *g = game_new();
    spur_team_t *a = team(g, 1, "a", START * 1000);
    char id[32];
    (void)state;

    for (int i = 0; i < SPUR_RESULTS_PER_TEAM + 10; i++) {
        snprintf(id, sizeof(id), "a%d", i);
        spur_game_result_put(g, a, id, "scan", 200, "{}");
    }
    assert_int_equal(a->results.n, SPUR_RESULTS_PER_TEAM);
    assert_null(spur_game_result_get(g, a, "a0")); /* the oldest left */
    assert_null(spur_game_result_get(g, a, "a9"));
    assert_non_null(spur_game_result_get(g, a, "a10"));
    snprintf(id, sizeof(id), "a%d", SPUR_RESULTS_PER_TEAM + 9);
    assert_non_null(spur_game_result_get(g, a, id)); /* the newest stays */

    /* per hunt: many teams, a few results each */
    for (int k = 0; k < SPUR_RESULTS_MAX / 4 + 10; k++) {
        char name[16];
        snprintf(name, sizeof(name), "t%d", k);
        spur_team_t *t = team(g, 10 + k, name, START * 1000);
        for (int i = 0; i < 4; i++) {
            snprintf(id, sizeof(id), "c%d", i);
            spur_game_result_put(g, t, id, "scan", 200, "{}");
        }
    }
    assert_int_equal(g->kept.n, SPUR_RESULTS_MAX);
    assert_int_equal(a->results.n, 0); /* team a's were the oldest of the hunt */
    assert_null(spur_game_result_get(g, spur_game_team_by_id(g, 10), "c0"));
    assert_non_null(spur_game_result_get(g, g->teams[g->nteams - 1], "c3"));
    spur_game_free(g);
}

static void a_team_remembers_its_last_distinct_wrong_answers(void **state)
{
    spur_game_t *g = game_new();
    spur_team_t *a = team(g, 1, "a", START * 1000);
    char norm[16];
    (void)state;

    for (int i = 0; i < SPUR_WRONG_SEEN_MAX + 5; i++) {
        snprintf(norm, sizeof(norm), "w%d", i);
        spur_game_wrong_add(a, 2, norm, 1000 + i);
    }
    assert_int_equal(a->wrong_n, SPUR_WRONG_SEEN_MAX + 5);
    assert_false(spur_game_wrong_seen(a, 2, "w0")); /* forgotten: it would count again */
    assert_false(spur_game_wrong_seen(a, 2, "w4"));
    assert_true(spur_game_wrong_seen(a, 2, "w5"));
    snprintf(norm, sizeof(norm), "w%d", SPUR_WRONG_SEEN_MAX + 4);
    assert_true(spur_game_wrong_seen(a, 2, norm));
    spur_game_free(g);
}

static void place_codes_are_found_in_any_spelling(void **state)
{
    spur_game_t *g = game_new();
    char tok[SPUR_TOKEN_LEN + 1], shrt[10], lower[10];
    (void)state;
    spur_codes_place_token(g->secret, "t", "rathaus", tok);
    spur_codes_place_short(g->secret, "t", "rathaus", shrt);
    assert_int_equal(spur_game_place_by_code(g, tok), 0);
    assert_int_equal(spur_game_place_by_code(g, shrt), 0);
    for (int i = 0; i < 10; i++)
        lower[i] = (char)(shrt[i] >= 'A' && shrt[i] <= 'Z' ? shrt[i] + 32 : shrt[i]);
    assert_int_equal(spur_game_place_by_code(g, lower), 0);
    assert_int_equal(spur_game_place_by_code(g, "ABCD-EFGH"), -1);
    tok[0] = tok[0] == 'A' ? 'B' : 'A';
    assert_int_equal(spur_game_place_by_code(g, tok), -1);
    spur_game_free(g);
}

/* Scans ahead of time: three places; "req" (scan at dom) requires the text puzzle
 * "q1", "chain" (scan at rathaus) requires "req", "timed" (scan at brunnen) opens at
 * 3000 s. */
static const char HELD_HUNT[] =
    "{\"id\":\"h\",\"title\":\"H\",\"starts_at\":\"1970-01-01T00:16:40Z\","
    "\"freeze_at\":\"1970-01-01T01:23:20Z\",\"ends_at\":\"1970-01-01T01:40:00Z\","
    "\"places\":[{\"id\":\"rathaus\",\"name\":\"Rathaus\"},{\"id\":\"dom\",\"name\":\"Dom\"},"
    "{\"id\":\"brunnen\",\"name\":\"Brunnen\"}],"
    "\"puzzles\":["
    "{\"id\":\"q1\",\"title\":\"Q\",\"clue\":\"c\",\"points\":10,\"answer\":{\"accept\":[\"eins\"]}"
    ","
    "\"hints\":[{\"text\":\"a\",\"cost\":2}]},"
    "{\"id\":\"req\",\"title\":\"R\",\"kind\":\"scan\",\"place\":\"dom\",\"clue\":\"c\","
    "\"points\":7,\"requires\":[\"q1\"]},"
    "{\"id\":\"chain\",\"title\":\"C\",\"kind\":\"scan\",\"place\":\"rathaus\",\"clue\":\"c\","
    "\"points\":4,\"requires\":[\"req\"]},"
    "{\"id\":\"timed\",\"title\":\"T\",\"kind\":\"scan\",\"place\":\"brunnen\",\"clue\":\"c\","
    "\"points\":6,\"opens_at\":\"1970-01-01T00:50:00Z\"}"
    "]}";
#define OPENS 3000

static spur_game_t *held_game_new(void)
{
    return fixture_game(HELD_HUNT);
}

static void scan_at(spur_game_t *g, spur_team_t *t, int place, int64_t at_s)
{
    int solved[4], unlocked[4];
    size_t ns, nu;
    spur_event_t ev = {.kind = SPUR_EV_SCAN, .at = at_s * 1000, .place = place};
    spur_game_scan_plan(g, t, place, ev.at, solved, &ns, unlocked, &nu);
    ev.solved = solved;
    ev.nsolved = ns;
    spur_game_apply(g, t, &ev);
}

static void answer_at(spur_game_t *g, spur_team_t *t, int puzzle, int64_t at_s)
{
    spur_event_t ev = {.kind = SPUR_EV_ANSWER,
                       .at = at_s * 1000,
                       .puzzle = puzzle,
                       .verdict = SPUR_VERDICT_CORRECT};
    spur_game_apply(g, t, &ev);
}

static void hint_at(spur_game_t *g, spur_team_t *t, int puzzle, int64_t at_s)
{
    spur_event_t ev = {.kind = SPUR_EV_HINT, .at = at_s * 1000, .puzzle = puzzle};
    spur_game_apply(g, t, &ev);
}

static void a_scan_of_a_locked_puzzle_counts_when_its_requirements_are_solved(void **state)
{
    spur_game_t *g = held_game_new();
    spur_team_t *a = team(g, 1, "a", START * 1000);
    int held[4];
    (void)state;

    /* scanned while locked: held, not solved, and the scan says so */
    assert_int_equal(spur_game_scan_holds(g, a, 1, 1500 * 1000, held), 1);
    assert_int_equal(held[0], 1);
    scan_at(g, a, 1, 1500);
    scan_at(g, a, 0, 1600); /* "chain" waits for "req", which waits for "q1" */
    assert_int_equal(a->held, 2);
    assert_true(spur_game_held(g, a, 1));
    assert_int_equal(spur_game_status(g, a, 1, 1700 * 1000, NULL), SPUR_LOCKED);
    assert_int_equal(a->score, 0);
    assert_int_equal(g->held_due, 0); /* nothing waits for a time: no due-check work */
    /* solving q1 opens "req", whose solve opens "chain": both count at that moment */
    answer_at(g, a, 0, 2000);
    assert_int_equal(a->prog[1].solved_at, 2000 * 1000);
    assert_int_equal(a->prog[2].solved_at, 2000 * 1000);
    assert_int_equal(a->score, 10 + 7 + 4);
    assert_int_equal(a->nsolved, 3);
    assert_int_equal(a->held, 0);
    assert_int_equal(g->solves[2], 1);
    spur_game_free(g);
}

static void a_scan_before_opens_at_counts_at_opens_at_through_the_due_check(void **state)
{
    spur_game_t *g = held_game_new();
    spur_team_t *a = team(g, 1, "a", START * 1000);
    spur_team_t *b = team(g, 2, "b", START * 1000);
    (void)state;

    scan_at(g, a, 2, 1500);
    assert_int_equal(a->held, 1);
    assert_int_equal(g->held_due, OPENS * 1000);
    assert_int_equal(g->nheld_teams, 1);
    assert_int_equal(spur_game_open_due(g, OPENS * 1000 - 1), 0);
    assert_int_equal(a->prog[3].solved_at, 0);
    /* the tick comes a little after opens_at: the solve counts at opens_at */
    assert_int_equal(spur_game_open_due(g, OPENS * 1000 + 700), 1);
    assert_int_equal(a->prog[3].solved_at, OPENS * 1000);
    assert_int_equal(a->score, 6);
    assert_int_equal(a->score_at, OPENS * 1000);
    assert_ptr_equal(g->rank[0], a);
    assert_int_equal(g->held_due, 0);
    assert_int_equal(g->nheld_teams, 0);
    assert_int_equal(spur_game_open_due(g, OPENS * 1000 + 1700), 0);
    /* after opens_at a scan solves it at once, as always */
    assert_int_equal(spur_game_scan_holds(g, b, 2, 3100 * 1000, (int[4]){0}), 0);
    scan_at(g, b, 2, 3100);
    assert_int_equal(b->prog[3].solved_at, 3100 * 1000);
    spur_game_free(g);
}

/* The same events, once as the live server sees them (ticks in between) and once as
 * start-up replays them (in bulk, one due-check at the end): the same state. */
static void replay_with_one_due_check_at_the_end_builds_the_live_state(void **state)
{
    spur_game_t *live = held_game_new(), *re = held_game_new();
    spur_game_t *gs[2] = {live, re};
    (void)state;

    spur_game_begin_bulk(re);
    for (int k = 0; k < 2; k++) {
        spur_game_t *g = gs[k];
        spur_team_t *a = team(g, 1, "a", START * 1000);
        spur_team_t *b = team(g, 2, "b", START * 1000);
        spur_team_t *c = team(g, 3, "c", START * 1000);
        scan_at(g, a, 2, 1200);   /* a: timed, held */
        scan_at(g, a, 0, 1300);   /* a: chain, held behind req */
        scan_at(g, b, 1, 1400);   /* b: req, held behind q1 */
        hint_at(g, c, 0, 1500);   /* c: a hint on q1 */
        scan_at(g, c, 2, 1600);   /* c: timed, held */
        answer_at(g, b, 0, 2000); /* b: q1, which opens req */
        if (g == live)
            spur_game_open_due(g, 3001 * 1000); /* the tick after opens_at */
        answer_at(g, c, 0, 3500);               /* c: q1 after timed opened */
        answer_at(g, a, 0, 3600);               /* a: q1 ... */
        scan_at(g, a, 1, 3700);                 /* ... and req, which opens chain at once */
    }
    spur_game_open_due(re, 4000 * 1000); /* load.c, after the replay */
    spur_game_end_bulk(re);
    assert_int_equal(live->nteams, re->nteams);
    for (size_t i = 0; i < live->nteams; i++) {
        spur_team_t *x = live->teams[i], *y = re->teams[i];
        assert_int_equal(x->score, y->score);
        assert_int_equal(x->score_at, y->score_at);
        assert_int_equal(x->last_solve, y->last_solve);
        assert_int_equal(x->nsolved, y->nsolved);
        assert_int_equal(x->fscore, y->fscore);
        assert_int_equal(x->held, y->held);
        assert_ptr_equal(live->rank[i]->id, re->rank[i]->id);
        for (size_t p = 0; p < live->hunt->npuzzles; p++) {
            assert_int_equal(x->prog[p].solved_at, y->prog[p].solved_at);
            assert_int_equal(x->prog[p].points, y->prog[p].points);
        }
    }
    /* and what they are: a has everything, timed at opens_at, chain with req */
    assert_int_equal(live->teams[0]->prog[3].solved_at, OPENS * 1000);
    assert_int_equal(live->teams[0]->prog[2].solved_at, 3700 * 1000);
    assert_int_equal(live->teams[0]->score, 27);
    assert_int_equal(live->teams[1]->score, 17);
    assert_int_equal(live->teams[2]->score, 8 + 6);
    for (size_t p = 0; p < live->hunt->npuzzles; p++)
        assert_int_equal(live->solves[p], re->solves[p]);
    spur_game_free(live);
    spur_game_free(re);
}

static int name_ok(const char *name)
{
    char *shown = NULL, *key = NULL;
    int rc = spur_team_name_check(name, strlen(name), &shown, &key);
    if (rc == 0) {
        assert_string_equal(shown, name);
        free(shown);
        free(key);
    }
    return rc == 0;
}

#define FAMILY "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"
#define ZWJ_S "\xe2\x80\x8d"
#define FOX "\xf0\x9f\xa6\x8a"
#define ENGLAND                                                                                    \
    "\xf0\x9f\x8f\xb4\xf3\xa0\x81\xa7\xf3\xa0\x81\xa2\xf3\xa0\x81\xa5\xf3\xa0\x81\xae\xf3\xa0\x81" \
    "\xa7\xf3\xa0\x81\xbf"

/* Phone playtest: emoji joined with ZWJ (families, "woman firefighter"), keycaps and
 * tag flags are names; a joiner or tag anywhere else (hidden in plain text) is not. A
 * name has at most 32 code points, as the app counts them too. */
static void emoji_sequences_are_names_but_a_stray_joiner_is_not(void **state)
{
    (void)state;
    assert_true(name_ok("Team " FAMILY));
    assert_true(name_ok(FAMILY " & Co"));
    assert_true(
        name_ok("\xf0\x9f\x91\xa9\xf0\x9f\x8f\xbd" ZWJ_S "\xf0\x9f\x9a\x92")); /* skin tone */
    assert_true(name_ok("\xe2\x9d\xa4\xef\xb8\x8f" ZWJ_S "\xf0\x9f\x94\xa5")); /* VS16 then ZWJ */
    assert_true(name_ok("1\xef\xb8\x8f\xe2\x83\xa3 Platz"));                   /* keycap */
    assert_true(name_ok("\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa Fans"));             /* regional flag */
    assert_true(name_ok(ENGLAND " Lions"));
    assert_false(name_ok(ZWJ_S FOX));             /* first */
    assert_false(name_ok(FOX ZWJ_S));             /* last */
    assert_false(name_ok(FOX " " ZWJ_S " " FOX)); /* last after trimming */
    assert_false(name_ok(FOX ZWJ_S ZWJ_S FOX));   /* doubled */
    assert_false(name_ok("ab" ZWJ_S "cd"));       /* between letters: hides a difference */
    assert_false(name_ok(FOX ZWJ_S "cd"));
    assert_false(name_ok("a\xf3\xa0\x81\xa7\xf3\xa0\x81\xbf")); /* tags without a flag */
    assert_false(name_ok("\xf0\x9f\x8f\xb4\xf3\xa0\x81\xa7"));  /* a flag never closed */
    assert_false(name_ok("a\xe2\x80\x8e"
                         "b")); /* bidi marks stay out */
    assert_false(name_ok("\xe2\x81\xa6x\xe2\x81\xa9"));
    /* 32 code points: six families (5 each) and two more */
    assert_true(name_ok(FAMILY FAMILY FAMILY FAMILY FAMILY FAMILY "ab"));
    assert_false(name_ok(FAMILY FAMILY FAMILY FAMILY FAMILY FAMILY "abc"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(states_follow_the_clock),
        cmocka_unit_test(equal_scores_rank_by_earlier_time_then_lower_id),
        cmocka_unit_test(a_late_solve_made_earlier_does_not_move_the_score_time_back),
        cmocka_unit_test(the_public_board_stops_at_freeze_but_teams_keep_scoring),
        cmocka_unit_test(an_approved_photo_counts_its_points_and_a_revoked_one_is_taken_back),
        cmocka_unit_test(a_board_cut_after_k_rows_is_the_board_with_limit_k),
        cmocka_unit_test(a_scan_solves_its_puzzle_and_unlocks_what_required_it),
        cmocka_unit_test(hints_cost_points_but_never_below_zero),
        cmocka_unit_test(more_than_ten_distinct_wrong_answers_a_minute_must_wait),
        cmocka_unit_test(a_long_guess_window_still_makes_teams_wait),
        cmocka_unit_test(team_names_are_trimmed_bounded_and_folded),
        cmocka_unit_test(emoji_sequences_are_names_but_a_stray_joiner_is_not),
        cmocka_unit_test(the_first_result_for_a_client_id_stands),
        cmocka_unit_test(kept_results_are_bounded_per_team_and_per_hunt_oldest_first),
        cmocka_unit_test(a_team_remembers_its_last_distinct_wrong_answers),
        cmocka_unit_test(place_codes_are_found_in_any_spelling),
        cmocka_unit_test(a_scan_of_a_locked_puzzle_counts_when_its_requirements_are_solved),
        cmocka_unit_test(a_scan_before_opens_at_counts_at_opens_at_through_the_due_check),
        cmocka_unit_test(replay_with_one_due_check_at_the_end_builds_the_live_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

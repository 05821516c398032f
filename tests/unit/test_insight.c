/* Unit tests of the insight for organizers (server/game/insight.c and its use in
 * state.c): the running median, the bounded table of wrong answers, and the
 * per-puzzle figures the game state keeps as events are applied: teams a puzzle is
 * open for, minutes from opening to solving, wrong answers counted once per team,
 * staff test teams left out, and the same figures when the events are replayed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#include "core/json.h"
#include "game/insight.h"
#include "game/state.h"

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static void the_median_is_the_middle_value_or_the_mean_of_the_middle_two(void **state)
{
    spur_median_t m = {0};
    double v;
    int32_t seen[501];
    unsigned r = 12345;
    (void)state;

    assert_int_equal(spur_median_get(&m, &v), -1);
    spur_median_add(&m, 30);
    assert_int_equal(spur_median_get(&m, &v), 0);
    assert_true(v == 30);
    spur_median_add(&m, 10);
    assert_int_equal(spur_median_get(&m, &v), 0);
    assert_true(v == 20);
    spur_median_add(&m, 600);
    assert_int_equal(spur_median_get(&m, &v), 0);
    assert_true(v == 30);
    spur_median_free(&m);

    /* against sorting, for pseudo-random values in any order, with repeats */
    for (int n = 0; n < 501; n++) {
        r = r * 1103515245u + 12345u;
        seen[n] = (int32_t)((r >> 8) % 1000);
        spur_median_add(&m, seen[n]);
        int32_t sorted[501];
        memcpy(sorted, seen, (size_t)(n + 1) * sizeof(*seen));
        qsort(sorted, (size_t)n + 1, sizeof(*sorted), cmp_i32);
        double want =
            n % 2 == 0 ? sorted[n / 2] : ((double)sorted[n / 2] + (double)sorted[n / 2 + 1]) / 2;
        assert_int_equal(spur_median_get(&m, &v), 0);
        assert_true(v == want);
        assert_int_equal(spur_median_count(&m), n + 1);
    }
    spur_median_free(&m);
}

static void wrong_answers_are_listed_most_teams_first(void **state)
{
    spur_wrongs_t w = {0};
    const spur_wrong_t *top[SPUR_WRONG_SHOWN];
    (void)state;

    assert_int_equal(spur_wrongs_top(&w, top, SPUR_WRONG_SHOWN), 0);
    spur_wrongs_add(&w, "otto");
    spur_wrongs_add(&w, "karl");
    spur_wrongs_add(&w, "otto");
    spur_wrongs_add(&w, "heinrich");
    spur_wrongs_add(&w, "otto");
    spur_wrongs_add(&w, "karl");
    assert_int_equal(spur_wrongs_top(&w, top, 2), 2);
    assert_string_equal(top[0]->text, "otto");
    assert_int_equal(top[0]->teams, 3);
    assert_string_equal(top[1]->text, "karl");
    assert_int_equal(top[1]->teams, 2);
    /* equal counts: the one counted last comes first */
    spur_wrongs_add(&w, "lothar");
    assert_int_equal(spur_wrongs_top(&w, top, SPUR_WRONG_SHOWN), 4);
    assert_string_equal(top[2]->text, "lothar");
    assert_string_equal(top[3]->text, "heinrich");
    spur_wrongs_free(&w);
}

static void the_table_keeps_200_texts_and_drops_the_least_frequent(void **state)
{
    spur_wrongs_t w = {0};
    const spur_wrong_t *top[SPUR_WRONG_SHOWN];
    char text[32];
    (void)state;

    /* five answers many teams gave, then a flood of one-off typos */
    for (int k = 0; k < 5; k++)
        for (int i = 0; i <= 10 + k; i++) {
            snprintf(text, sizeof(text), "haeufig%d", k);
            spur_wrongs_add(&w, text);
        }
    for (int i = 0; i < 5000; i++) {
        snprintf(text, sizeof(text), "tippfehler%d", i);
        spur_wrongs_add(&w, text);
        assert_true(w.n <= SPUR_WRONG_TOP_MAX);
    }
    assert_int_equal(w.n, SPUR_WRONG_TOP_MAX);
    assert_int_equal(w.dropped, 5 + 5000 - SPUR_WRONG_TOP_MAX);
    assert_int_equal(spur_wrongs_top(&w, top, SPUR_WRONG_SHOWN), 5);
    for (int k = 0; k < 5; k++) {
        snprintf(text, sizeof(text), "haeufig%d", 4 - k);
        assert_string_equal(top[k]->text, text);
        assert_int_equal(top[k]->teams, 15 - k);
    }
    /* the newest typos are still there; the oldest one-offs left first */
    snprintf(text, sizeof(text), "tippfehler%d", 4999);
    spur_wrongs_add(&w, text);
    assert_int_equal(w.dropped, 5 + 5000 - SPUR_WRONG_TOP_MAX); /* found, nothing left */
    spur_wrongs_add(&w, "tippfehler0");
    assert_int_equal(w.dropped, 5 + 5000 - SPUR_WRONG_TOP_MAX + 1); /* it had left */
    /* a text that gains teams while in the table climbs past the leaders */
    for (int i = 0; i < 20; i++)
        spur_wrongs_add(&w, "tippfehler0");
    assert_int_equal(spur_wrongs_top(&w, top, 1), 1);
    assert_string_equal(top[0]->text, "tippfehler0");
    assert_int_equal(top[0]->teams, 21);
    spur_wrongs_free(&w);
}

static void a_long_text_is_cut_at_a_character_and_marked(void **state)
{
    spur_wrongs_t w = {0};
    const spur_wrong_t *top[1];
    char text[200] = "a";
    (void)state;

    for (int i = 0; i < 60; i++)
        strcat(text, "\xc3\xa9"); /* "é": two bytes, so byte 64 falls inside one */
    spur_wrongs_add(&w, text);
    text[strlen(text) - 1] = 'x'; /* differs only after the cut: a text of its own */
    spur_wrongs_add(&w, text);
    assert_int_equal(w.n, 2);
    assert_int_equal(spur_wrongs_top(&w, top, 1), 1);
    assert_int_equal(strlen(top[0]->text), 63 + 3);
    assert_memory_equal(top[0]->text + 63, "\xe2\x80\xa6", 3);
    spur_wrongs_free(&w);
}

/* starts 1000 s after the epoch, ends 10000 s; "spaet" opens at 5000 s */
static const char HUNT[] =
    "{\"id\":\"t\",\"title\":\"T\",\"starts_at\":\"1970-01-01T00:16:40Z\","
    "\"ends_at\":\"1970-01-01T02:46:40Z\","
    "\"places\":[{\"id\":\"tor\",\"name\":\"Tor\"}],"
    "\"puzzles\":["
    "{\"id\":\"tor\",\"title\":\"Tor\",\"kind\":\"scan\",\"place\":\"tor\",\"points\":1},"
    "{\"id\":\"a\",\"title\":\"A\",\"points\":1,\"answer\":{\"accept\":[\"a\"]}},"
    "{\"id\":\"b\",\"title\":\"B\",\"points\":1,\"requires\":[\"tor\",\"a\"],"
    "\"answer\":{\"accept\":[\"b\"]}},"
    "{\"id\":\"spaet\",\"title\":\"S\",\"points\":1,\"opens_at\":\"1970-01-01T01:23:20Z\","
    "\"answer\":{\"accept\":[\"s\"]}}]}";
enum { TOR, A, B, SPAET };
#define START 1000

static spur_game_t *game_new(void)
{
    return fixture_game(HUNT);
}

static spur_team_t *team(spur_game_t *g, int64_t id, int64_t at_s)
{
    unsigned char salt[16] = {(unsigned char)id};
    char name[16];
    snprintf(name, sizeof(name), "team%lld", (long long)id);
    return spur_game_add_team(g, id, name, name, salt, NULL, at_s * 1000);
}

static void solve(spur_game_t *g, spur_team_t *t, int puzzle, int64_t at_s)
{
    spur_event_t ev = {.kind = SPUR_EV_ANSWER,
                       .at = at_s * 1000,
                       .puzzle = puzzle,
                       .verdict = SPUR_VERDICT_CORRECT};
    if (puzzle == TOR) {
        int solved[] = {TOR};
        ev = (spur_event_t){
            .kind = SPUR_EV_SCAN, .at = at_s * 1000, .place = 0, .solved = solved, .nsolved = 1};
        spur_game_apply(g, t, &ev);
        return;
    }
    spur_game_apply(g, t, &ev);
}

static void wrong(spur_game_t *g, spur_team_t *t, int puzzle, const char *norm, int64_t at_s)
{
    spur_event_t ev = {.kind = SPUR_EV_ANSWER,
                       .at = at_s * 1000,
                       .puzzle = puzzle,
                       .verdict = SPUR_VERDICT_WRONG,
                       .norm = norm};
    spur_game_apply(g, t, &ev);
}

static double median_min(const spur_game_t *g, int puzzle)
{
    double v;
    if (spur_median_get(&g->insight[puzzle].secs, &v) < 0)
        return -1;
    return v / 60;
}

/* One session of three real teams and a test team, applied to g. */
static void play(spur_game_t *g)
{
    spur_team_t *x = team(g, 1, 500); /* before the start: puzzles open at the start */
    spur_team_t *y = team(g, 2, 1600);
    spur_team_t *z = team(g, 3, 1900);
    spur_team_t *probe = team(g, 4, 100);
    spur_game_set_test(g, probe);

    solve(g, probe, A, 200); /* a test team plays before the start, uncounted */
    wrong(g, probe, B, "otto", 300);
    solve(g, x, A, START + 600); /* 10 minutes after the start */
    solve(g, y, A, 1600 + 1200); /* 20 minutes after joining */
    solve(g, z, TOR, 2000);
    wrong(g, x, B, "otto", 2100); /* locked for x, but the state takes what it is given */
    wrong(g, x, A, "otto", 2100);
    wrong(g, y, A, "otto", 2150);
    wrong(g, y, A, "otto", 2160); /* the same team again: once */
    wrong(g, z, A, "karl", 2200);
    wrong(g, z, A, "", 2200); /* nothing left after normalising: not a text to show */
    solve(g, x, TOR, 2400);
    solve(g, x, B, 2400 + 300); /* B opened for x at its later requirement (the scan) */
    solve(g, z, A, 4000);       /* B opens for z now */
}

static void stats_count_open_puzzles_and_minutes_to_solve_for_real_teams(void **state)
{
    spur_game_t *g = game_new();
    const spur_wrong_t *top[SPUR_WRONG_SHOWN];
    int64_t now = 4500 * 1000;
    (void)state;

    /* before the start nothing is open, though teams joined */
    team(g, 9, 500);
    assert_int_equal(spur_game_opened(g, A, 900 * 1000), 0);
    assert_int_equal(spur_game_opened(g, A, START * 1000), 1);
    spur_game_free(g);

    g = game_new();
    play(g);
    /* no requirement: open to every real team; the test team is never counted */
    assert_int_equal(spur_game_opened(g, A, now), 3);
    assert_int_equal(spur_game_opened(g, TOR, now), 3);
    /* B needs the scan and A: x (solved it) and z (both done), not y (no scan) */
    assert_int_equal(spur_game_opened(g, B, now), 2);
    assert_int_equal(g->insight[B].reached, 2);
    /* an opens_at still to come: open to no one yet, then to all */
    assert_int_equal(spur_game_opened(g, SPAET, now), 0);
    assert_int_equal(spur_game_opened(g, SPAET, 5000 * 1000), 3);
    /* minutes: x 10 (from the start), y 20 (from joining), z 2100 s / 60 = 35 */
    assert_int_equal(spur_median_count(&g->insight[A].secs), 3);
    assert_true(median_min(g, A) == 20);
    assert_true(median_min(g, B) == 5);
    assert_true(median_min(g, SPAET) == -1);
    assert_int_equal(g->solves[A], 3);
    /* "otto": x and y (y's repeat and x's answer to another puzzle aside) */
    assert_int_equal(spur_wrongs_top(&g->insight[A].wrongs, top, SPUR_WRONG_SHOWN), 2);
    assert_string_equal(top[0]->text, "otto");
    assert_int_equal(top[0]->teams, 2);
    assert_string_equal(top[1]->text, "karl");
    assert_int_equal(top[1]->teams, 1);
    assert_int_equal(spur_wrongs_top(&g->insight[B].wrongs, top, SPUR_WRONG_SHOWN), 1);
    assert_int_equal(top[0]->teams, 1); /* x's; the test team's is not counted */
    /* solves by an answer event (a check-in's position), not by a scan; once a team */
    assert_int_equal(g->insight[A].by_answer, 3);
    assert_int_equal(g->insight[TOR].by_answer, 0);
    solve(g, spur_game_team_by_id(g, 1), A, 4600);
    assert_int_equal(g->insight[A].by_answer, 3);
    spur_game_free(g);
}

static void replaying_the_same_events_gives_the_same_figures(void **state)
{
    spur_game_t *live = game_new(), *replay = game_new();
    (void)state;

    play(live);
    spur_game_begin_bulk(replay); /* as start-up replays */
    play(replay);
    spur_game_end_bulk(replay);
    for (int i = 0; i < (int)live->hunt->npuzzles; i++) {
        const spur_wrong_t *a[SPUR_WRONG_SHOWN], *b[SPUR_WRONG_SHOWN];
        size_t na = spur_wrongs_top(&live->insight[i].wrongs, a, SPUR_WRONG_SHOWN);
        size_t nb = spur_wrongs_top(&replay->insight[i].wrongs, b, SPUR_WRONG_SHOWN);
        assert_int_equal(spur_game_opened(live, i, 4500000), spur_game_opened(replay, i, 4500000));
        assert_true(median_min(live, i) == median_min(replay, i));
        assert_int_equal(live->insight[i].by_answer, replay->insight[i].by_answer);
        assert_int_equal(na, nb);
        for (size_t k = 0; k < na; k++) {
            assert_string_equal(a[k]->text, b[k]->text);
            assert_int_equal(a[k]->teams, b[k]->teams);
        }
    }
    spur_game_free(live);
    spur_game_free(replay);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_median_is_the_middle_value_or_the_mean_of_the_middle_two),
        cmocka_unit_test(wrong_answers_are_listed_most_teams_first),
        cmocka_unit_test(the_table_keeps_200_texts_and_drops_the_least_frequent),
        cmocka_unit_test(a_long_text_is_cut_at_a_character_and_marked),
        cmocka_unit_test(stats_count_open_puzzles_and_minutes_to_solve_for_real_teams),
        cmocka_unit_test(replaying_the_same_events_gives_the_same_figures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

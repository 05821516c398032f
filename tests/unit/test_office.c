/* Unit tests of the office workbook's copy of the results (server/office/xlsx.c):
 * staff test teams are left out of the ranking and the prize sheets, hidden teams
 * are kept and marked, winners and reserves are numbered with the claim codes /me
 * shows; and the workbook is a zip file, or a clear error when it cannot be written.
 * (tests/api/test_xlsx.py reads the real file's cells.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "game/codes.h"
#include "game/draw.h"
#include "office/xlsx.h"

static const char HUNT[] =
    "{\"id\":\"kl\",\"title\":\"T\",\"starts_at\":\"2026-06-18T10:00:00Z\","
    "\"ends_at\":\"2026-06-28T10:00:00Z\",\"puzzles\":["
    "{\"id\":\"a\",\"title\":\"A\",\"clue\":\"?\",\"points\":5,\"answer\":{\"accept\":[\"x\"]}},"
    "{\"id\":\"b\",\"title\":\"B\",\"clue\":\"?\",\"points\":10,\"answer\":{\"accept\":[\"y\"]}}],"
    "\"prizes\":[{\"id\":\"paket\",\"name\":\"Paket\",\"count\":1,\"reserves\":2,"
    "\"eligible\":\"all\"}]}";

/* Teams 3 (5 points), 7 (15, a staff test team), 12 (10, hidden), 20 (0). */
static spur_game_t *game(void)
{
    cJSON *root = cJSON_Parse(HUNT);
    spur_hunt_t *h = spur_hunt_from_json(root, NULL);
    unsigned char secret[32] = {9}, seed[32] = {1}, salt[16] = {0};
    static const int64_t ids[] = {3, 7, 12, 20};
    static const char *names[] = {"Drei", "Testteam", "Zwölf", "Zwanzig"};
    spur_game_t *g;

    assert_non_null(h);
    cJSON_Delete(root);
    g = spur_game_new(h, secret, seed);
    for (int i = 0; i < 4; i++)
        spur_game_add_team(g, ids[i], names[i], names[i], salt, NULL, 1000 + i);
    spur_game_solve(g, spur_game_team_by_id(g, 3), 0, 5000);
    spur_game_solve(g, spur_game_team_by_id(g, 7), 0, 5000);
    spur_game_solve(g, spur_game_team_by_id(g, 7), 1, 6000);
    spur_game_solve(g, spur_game_team_by_id(g, 12), 1, 7000);
    spur_game_set_test(g, spur_game_team_by_id(g, 7));
    spur_game_set_hidden(g, spur_game_team_by_id(g, 12), 1);
    return g;
}

/* A published draw of "paket": winner 7 (the test team), reserves 12 and 3. */
static void draw_of(spur_draw_pub_t *d)
{
    static const char record[] = "{\"algorithm\":\"spur-draw-v1\",\"hunt\":\"kl\",\"prize\":"
                                 "\"paket\",\"prize_name\":\"Paket\",\"winners\":[7],"
                                 "\"reserve_winners\":[12,3]}";
    assert_int_equal(spur_draw_pub_parse(d, "kl", "paket", record, 1782727200000), 0);
}

static void test_teams_are_left_out_and_hidden_ones_marked(void **state)
{
    (void)state;
    spur_game_t *g = game();
    spur_draw_pub_t d;
    spur_office_results_t r;

    draw_of(&d);
    spur_office_take(&r, g, &d, 1);
    assert_string_equal(r.time_zone, "Europe/Berlin");
    assert_int_equal(r.nteams, 3);
    assert_int_equal(r.teams[0].id, 12);
    assert_int_equal(r.teams[0].hidden, 1);
    assert_int_equal(r.teams[0].score, 10);
    assert_int_equal(r.teams[0].last_solve, 7000);
    assert_int_equal(r.teams[1].id, 3);
    assert_int_equal(r.teams[1].hidden, 0);
    assert_int_equal(r.teams[2].id, 20);
    assert_int_equal(r.teams[2].last_solve, 0);

    assert_int_equal(r.nprizes, 1);
    assert_string_equal(r.prizes[0].prize_name, "Paket");
    assert_int_equal(r.prizes[0].npicks, 2); /* winner 7 is a test team */
    assert_int_equal(r.prizes[0].picks[0].team_id, 12);
    assert_int_equal(r.prizes[0].picks[0].reserve, 1);
    assert_int_equal(r.prizes[0].picks[0].place, 1);
    assert_string_equal(r.prizes[0].picks[0].team_name, "Zwölf");
    assert_int_equal(r.prizes[0].picks[1].team_id, 3);
    assert_int_equal(r.prizes[0].picks[1].place, 2);
    {
        char code[SPUR_SHORT_LEN + 1];
        spur_codes_claim_code(g->secret, "kl", "paket", 3, code);
        assert_string_equal(r.prizes[0].picks[1].claim_code, code);
    }
    spur_office_results_free(&r);
    spur_draw_pub_free(&d);
    spur_game_free(g);
}

static void draws_of_other_hunts_are_not_shown(void **state)
{
    (void)state;
    spur_game_t *g = game();
    spur_draw_pub_t d;
    spur_office_results_t r;

    draw_of(&d);
    free(d.hunt_id);
    d.hunt_id = strdup("other");
    spur_office_take(&r, g, &d, 1);
    assert_int_equal(r.nprizes, 0);
    spur_office_results_free(&r);
    spur_draw_pub_free(&d);
    spur_game_free(g);
}

static void workbook_is_a_zip_or_a_clear_error(void **state)
{
    (void)state;
    spur_game_t *g = game();
    spur_draw_pub_t d;
    spur_office_results_t r;
    spur_buf_t b = {0};
    char err[256] = "";

    draw_of(&d);
    spur_office_take(&r, g, &d, 1);
    assert_int_equal(spur_office_xlsx(&r, &b, err, sizeof(err)), 0);
    assert_true(b.len > 1000);
    assert_memory_equal(b.data, "PK\x03\x04", 4);
    assert_int_equal(spur_office_xlsx_write(&r, "/nonexistent/dir/x.xlsx", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "/nonexistent/dir/x.xlsx"));
    spur_buf_free(&b);
    spur_office_results_free(&r);
    spur_draw_pub_free(&d);
    spur_game_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_teams_are_left_out_and_hidden_ones_marked),
        cmocka_unit_test(draws_of_other_hunts_are_not_shown),
        cmocka_unit_test(workbook_is_a_zip_or_a_clear_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

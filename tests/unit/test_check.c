/* Unit tests of the hunt file check shared by `spur check` and POST /api/admin/check
 * (office/check.h): a parse error is one problem at the parser's place, problems come
 * sorted by position, the time zone must exist in tzdata, and a later check's error
 * refuses the hunt the rules accepted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "office/check.h"

#define HUNT(extra)                                                                                \
    "{\n"                                                                                          \
    "  \"id\": \"mini\",\n"                                                                        \
    "  \"title\": \"Mini\",\n"                                                                     \
    "  \"starts_at\": \"2026-01-01T10:00:00+01:00\",\n"                                            \
    "  \"ends_at\": \"2027-01-01T10:00:00+01:00\",\n" extra                                        \
    "  \"places\": [{\"id\": \"tor\", \"name\": \"Tor\"}],\n"                                      \
    "  \"puzzles\": [{\"id\": \"tor\", \"title\": \"T\", \"kind\": \"scan\", \"place\": "          \
    "\"tor\", \"points\": 5}]\n"                                                                   \
    "}\n"

static void run(spur_check_t *c, const char *text)
{
    spur_check_run(c, text, strlen(text), NULL, NULL);
}

static void not_json_is_one_error_at_the_parsers_place(void **state)
{
    (void)state;
    spur_check_t c;
    run(&c, "{\"id\": \"x\",\n \"title\": \"T\",,\n}");
    assert_null(c.root);
    assert_null(c.hunt);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.errors, 1);
    assert_int_equal(c.problems[0].line, 2);
    assert_int_equal(c.problems[0].col, 15);
    assert_string_equal(c.problems[0].path, "");
    assert_string_equal(c.problems[0].message, "expected a string key");
    spur_check_free(&c);
}

static void a_valid_hunt_has_no_problems(void **state)
{
    (void)state;
    spur_check_t c;
    run(&c, HUNT(""));
    assert_non_null(c.hunt);
    assert_int_equal(c.n, 0);
    spur_check_free(&c);
}

static void problems_are_sorted_by_position(void **state)
{
    (void)state;
    spur_check_t c;
    /* the rules find the unknown key at the top before the bad points below it, and
       report "missing title" (the root, line 1) in between */
    run(&c, "{\n  \"id\": \"mini\",\n  \"titel\": \"Mini\",\n"
            "  \"starts_at\": \"2026-01-01T10:00:00+01:00\",\n"
            "  \"ends_at\": \"2027-01-01T10:00:00+01:00\",\n"
            "  \"puzzles\": [{\"id\": \"a\", \"title\": \"A\", \"points\": -1, "
            "\"answer\": {\"number\": 1}}]\n}\n");
    assert_null(c.hunt);
    assert_true(c.n >= 3);
    for (size_t i = 1; i < c.n; i++) {
        const spur_check_problem_t *a = &c.problems[i - 1], *b = &c.problems[i];
        assert_true(a->line < b->line || (a->line == b->line && a->col <= b->col));
    }
    assert_int_equal(c.problems[0].line, 1);
    assert_string_equal(c.problems[0].message, "missing required key \"title\"");
    spur_check_free(&c);
}

static void an_unknown_time_zone_is_an_error_at_its_value(void **state)
{
    (void)state;
    spur_check_t c;
    setenv("TZDIR", "/nonexistent-zoneinfo", 1);
    run(&c, HUNT("  \"time_zone\": \"Europe/Berlin\",\n"));
    unsetenv("TZDIR");
    assert_null(c.hunt);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.problems[0].line, 6);
    assert_int_equal(c.problems[0].col, 16);
    assert_string_equal(c.problems[0].path, "time_zone");
    assert_string_equal(c.problems[0].message,
                        "unknown time zone \"Europe/Berlin\" (no "
                        "/nonexistent-zoneinfo/Europe/Berlin; is the tzdata package installed?)");
    spur_check_free(&c);
}

static void add_error(spur_hunt_t *hunt, spur_diags_t *diags, void *data)
{
    (void)hunt;
    ++*(int *)data;
    spur_diags_add(diags, 0, "puzzles[0].image", "picture file \"x.jpg\" not found");
}

static void an_error_of_a_later_check_refuses_the_hunt(void **state)
{
    (void)state;
    spur_check_t c;
    int calls = 0;
    const char *text = HUNT("");
    spur_check_run(&c, text, strlen(text), add_error, &calls);
    assert_int_equal(calls, 1);
    assert_null(c.hunt);
    assert_int_equal(c.errors, 1);
    assert_int_equal(c.problems[0].line, 7); /* puzzles[0]: it has no "image" */
    spur_check_free(&c);
    /* not called when the rules refused the hunt */
    text = "{}";
    spur_check_run(&c, text, strlen(text), add_error, &calls);
    assert_int_equal(calls, 1);
    spur_check_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(not_json_is_one_error_at_the_parsers_place),
        cmocka_unit_test(a_valid_hunt_has_no_problems),
        cmocka_unit_test(problems_are_sorted_by_position),
        cmocka_unit_test(an_unknown_time_zone_is_an_error_at_its_value),
        cmocka_unit_test(an_error_of_a_later_check_refuses_the_hunt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

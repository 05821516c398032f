/* Unit tests of the hunt file's German messages (game/hunt_msg.h), shared by
 * `spur check` and POST /api/admin/check: templates match whole messages with their
 * arguments, German may reorder them, type names are translated, the first matching
 * template wins, and an unknown message stays English. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "game/hunt_msg.h"

static void assert_translates(const char *english, const char *german)
{
    char *de = spur_hunt_msg(english, 1), *en = spur_hunt_msg(english, 0);
    assert_string_equal(de, german);
    assert_string_equal(en, english);
    free(de);
    free(en);
}

static void messages_of_the_rules_and_the_parser_are_german(void **state)
{
    (void)state;
    assert_translates("expected a string key",
                      "hier wird ein Schlüssel in Anführungszeichen erwartet");
    assert_translates("unknown place \"tore\"; did you mean \"tor\"?",
                      "unbekannter Ort \"tore\"; meinten Sie \"tor\"?");
    assert_translates("duplicate puzzle id \"frage\" (also puzzles[1])",
                      "Rätsel-id \"frage\" kommt doppelt vor (auch puzzles[1])");
    assert_translates("\"correct\" is -2 but the choices are numbered 0 to 1",
                      "\"correct\" ist -2, aber die Auswahl ist von 0 bis 1 nummeriert");
}

static void type_names_in_arguments_are_translated(void **state)
{
    (void)state;
    assert_translates("\"points\" must be an integer, not a string",
                      "\"points\" muss eine ganze Zahl sein, nicht ein Text");
}

static void a_quoted_argument_may_hold_quotes(void **state)
{
    (void)state;
    assert_translates("unknown key \"a\"b\"", "unbekannter Schlüssel \"a\"b\"");
}

static void the_specific_template_wins_over_the_general_one(void **state)
{
    (void)state;
    /* also matches "\"%s\" must be %s, not %s" further down */
    assert_translates(
        "\"time_zone\" must be a time zone name such as \"Europe/Berlin\", not \"x\"",
        "\"time_zone\" muss der Name einer Zeitzone wie \"Europe/Berlin\" sein, nicht \"x\"");
}

static void unknown_messages_stay_english(void **state)
{
    (void)state;
    assert_translates("something new", "something new");
    assert_null(spur_hunt_msg_de("something new"));
    /* a number where a template wants one only matches digits and '-' */
    assert_null(spur_hunt_msg_de("\"correct\" is two but the choices are numbered 0 to 1"));
}

static void a_callers_table_may_reorder_arguments(void **state)
{
    (void)state;
    static const spur_hunt_msg_t table[] = {
        {"%s before %d", "%2$s nach %1$s"},
        {"100%% of %s", "100 %% von %s"},
    };
    char *de = spur_hunt_msg_match(table, 2, "Otto before 42");
    assert_string_equal(de, "42 nach Otto");
    free(de);
    de = spur_hunt_msg_match(table, 2, "100% of a number");
    assert_string_equal(de, "100 % von eine Zahl");
    free(de);
    assert_null(spur_hunt_msg_match(table, 2, "Otto before x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(messages_of_the_rules_and_the_parser_are_german),
        cmocka_unit_test(type_names_in_arguments_are_translated),
        cmocka_unit_test(a_quoted_argument_may_hold_quotes),
        cmocka_unit_test(the_specific_template_wins_over_the_general_one),
        cmocka_unit_test(unknown_messages_stay_english),
        cmocka_unit_test(a_callers_table_may_reorder_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

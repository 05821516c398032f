/* Unit tests of what storing a new hunt file changes (server/office/changes.c), which
 * `spur import --dry-run` prints and the editor's save answers: items compared by id,
 * comments never count, only the order is a change of its own, settings with their
 * old and new values, the summary counted per kind, and the warnings about solved
 * puzzles that are removed or rescored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "office/changes.h"

static const char OLD[] =
    "{\"id\":\"h\",\"title\":\"Alt\",\"_c\":\"x\",\"intro\":\"Hallo\","
    "\"places\":[{\"id\":\"a\",\"name\":\"A\"},{\"id\":\"b\",\"name\":\"B\"}],"
    "\"puzzles\":[{\"id\":\"p1\",\"points\":5,\"clue\":\"c\"},{\"id\":\"p2\",\"points\":3},"
    "{\"id\":\"p3\",\"points\":1}],\"prizes\":[]}";

static int solves(const char *id, void *data)
{
    (void)data;
    return strcmp(id, "p2") == 0 ? 2 : strcmp(id, "p3") == 0 ? 1 : 0;
}

static char *texts(const spur_changes_t *c, int german)
{
    size_t len = 1;
    char *out = calloc(1, 1);
    for (size_t i = 0; i < c->n; i++) {
        char *t = spur_change_text(&c->v[i], german);
        len += strlen(t) + 1;
        out = realloc(out, len);
        strcat(out, t);
        strcat(out, "|");
        free(t);
    }
    return out;
}

static void diff(spur_changes_t *c, const char *new_text, spur_solves_cb cb, int dry)
{
    cJSON *a = cJSON_Parse(OLD), *b = cJSON_Parse(new_text);
    assert_non_null(a);
    assert_non_null(b);
    spur_changes_diff(c, a, b, cb, NULL, dry);
    cJSON_Delete(a);
    cJSON_Delete(b);
}

static void items_by_id_settings_with_values_and_comments_ignored(void **state)
{
    spur_changes_t c;
    char *t, *s;
    (void)state;
    diff(&c,
         "{\"id\":\"h\",\"title\":\"Neu\",\"_c\":\"anders\",\"language\":\"de\","
         "\"places\":[{\"id\":\"b\",\"name\":\"B\"},{\"id\":\"a\",\"name\":\"A\",\"_n\":1}],"
         "\"puzzles\":[{\"id\":\"p1\",\"points\":6,\"clue\":\"d\"},{\"id\":\"p4\",\"points\":1},"
         "{\"id\":\"p2\",\"points\":3}],\"prizes\":[]}",
         NULL, 1);
    t = texts(&c, 0);
    assert_string_equal(t, "title changed: \"Alt\" -> \"Neu\"|language added: \"de\"|"
                           "intro removed (was Hallo)|places reordered|"
                           "puzzle changed: p1 (points, clue)|"
                           "puzzle added: p4|puzzle removed: p3|");
    free(t);
    t = texts(&c, 1);
    assert_string_equal(t, "title geändert: \"Alt\" -> \"Neu\"|language hinzugefügt: \"de\"|"
                           "intro entfernt (war Hallo)|Reihenfolge der Orte geändert|"
                           "Rätsel geändert: p1 (points, clue)|"
                           "Rätsel hinzugefügt: p4|Rätsel entfernt: p3|");
    free(t);
    s = spur_changes_summary(&c, 1);
    assert_string_equal(s, "1 Einstellung hinzugefügt, 1 Einstellung entfernt, 1 Einstellung "
                           "geändert, Reihenfolge der Orte geändert, 1 Rätsel hinzugefügt, "
                           "1 Rätsel entfernt, 1 Rätsel geändert; Codes und Fortschritt "
                           "bleiben erhalten");
    free(s);
    assert_int_equal(c.nw, 0); /* no solves given: no warnings */
    spur_changes_free(&c);
}

static void the_same_file_with_other_comments_is_no_change(void **state)
{
    spur_changes_t c;
    char *s;
    (void)state;
    diff(&c,
         "{\"id\":\"h\",\"title\":\"Alt\",\"intro\":\"Hallo\",\"_neu\":[1],"
         "\"places\":[{\"id\":\"a\",\"name\":\"A\"},{\"id\":\"b\",\"name\":\"B\"}],"
         "\"puzzles\":[{\"id\":\"p1\",\"points\":5,\"clue\":\"c\",\"_x\":{}},{\"id\":\"p2\","
         "\"points\":3},{\"id\":\"p3\",\"points\":1}],\"prizes\":[]}",
         solves, 0);
    assert_int_equal(c.n, 0);
    assert_int_equal(c.nw, 0);
    s = spur_changes_summary(&c, 0);
    assert_string_equal(s, "No changes");
    free(s);
    spur_changes_free(&c);
}

static void solved_puzzles_removed_or_rescored_are_warned_about(void **state)
{
    spur_changes_t c;
    (void)state;
    diff(&c,
         "{\"id\":\"h\",\"title\":\"Alt\",\"intro\":\"Hallo\",\"places\":[],"
         "\"puzzles\":[{\"id\":\"p1\",\"points\":50},{\"id\":\"p2\",\"points\":4}],"
         "\"prizes\":[]}",
         solves, 1);
    assert_int_equal(c.nw, 2); /* p1 has no solves: its new points surprise nobody */
    assert_string_equal(c.w[0].id, "p2");
    assert_string_equal(c.w[0].en, "puzzle \"p2\": points change from 3 to 4 although 2 teams "
                                   "solved it; their scores change with it and the leaderboard "
                                   "may reorder");
    assert_string_equal(c.w[1].id, "p3");
    assert_string_equal(c.w[1].de, "Rätsel \"p3\" würde entfernt, obwohl 1 Team es gelöst hat; "
                                   "die Lösungen bleiben in der Historie, zählen aber nicht mehr");
    spur_changes_free(&c);
}

static void a_new_order_of_items_is_a_change_but_not_of_keys(void **state)
{
    spur_changes_t c;
    char *t;
    (void)state;
    /* keys in another order are no change; puzzles in another order are one (the app
       lists them in the file's order), whatever was added or removed in between */
    diff(&c,
         "{\"id\":\"h\",\"title\":\"Alt\",\"intro\":\"Hallo\","
         "\"places\":[{\"name\":\"A\",\"id\":\"a\"},{\"id\":\"b\",\"name\":\"B\"}],"
         "\"puzzles\":[{\"id\":\"p3\",\"points\":1},{\"id\":\"p9\"},{\"id\":\"p1\","
         "\"points\":5,\"clue\":\"c\"}],\"prizes\":[]}",
         NULL, 0);
    t = texts(&c, 1);
    assert_string_equal(t, "Rätsel hinzugefügt: p9|Rätsel entfernt: p2|"
                           "Reihenfolge der Rätsel geändert|");
    free(t);
    t = spur_changes_summary(&c, 0);
    assert_string_equal(t, "1 puzzle added, 1 puzzle removed, puzzles reordered; codes and "
                           "progress are kept");
    free(t);
    spur_changes_free(&c);
    diff(&c,
         "{\"id\":\"h\",\"title\":\"Alt\",\"intro\":\"Hallo\","
         "\"places\":[{\"id\":\"a\",\"name\":\"A\"},{\"id\":\"b\",\"name\":\"B\"}],"
         "\"puzzles\":[{\"id\":\"p1\",\"points\":5,\"clue\":\"c\"},{\"id\":\"p3\",\"points\":1}],"
         "\"prizes\":[]}",
         NULL, 0);
    t = texts(&c, 0);
    assert_string_equal(t, "puzzle removed: p2|"); /* the rest keep their order */
    free(t);
    spur_changes_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(items_by_id_settings_with_values_and_comments_ignored),
        cmocka_unit_test(the_same_file_with_other_comments_is_no_change),
        cmocka_unit_test(solved_puzzles_removed_or_rescored_are_warned_about),
        cmocka_unit_test(a_new_order_of_items_is_a_change_but_not_of_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

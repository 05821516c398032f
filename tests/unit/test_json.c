/* Unit tests of the strict JSON layer: what spur_json_parse refuses (and where it
 * says the problem is), and spur_json_locate's path to line:col mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/json.h"

static size_t off;
static char err[128];

/* Parses s (strlen bytes unless len given) and returns whether it was accepted. */
static int accepts_len(const char *s, size_t len)
{
    err[0] = '\0';
    off = (size_t)-1;
    cJSON *j = spur_json_parse(s, len, err, sizeof(err), &off);
    cJSON_Delete(j);
    return j != NULL;
}

static int accepts(const char *s)
{
    return accepts_len(s, strlen(s));
}

static void valid_document_parses_into_a_tree(void **state)
{
    (void)state;
    const char *s = " {\"a\": [1, -2.5e3, true, false, null], \"b\": \"Stra\xc3\x9f"
                    "e \\u00fc \\ud83d\\ude00\"}\n";
    cJSON *j = spur_json_parse(s, strlen(s), err, sizeof(err), &off);
    assert_non_null(j);
    assert_string_equal(spur_json_str(j, "b"), "Stra\xc3\x9f"
                                               "e \xc3\xbc \xf0\x9f\x98\x80");
    assert_null(spur_json_str(j, "a"));
    assert_null(spur_json_str(j, "missing"));
    cJSON_Delete(j);
}

static void trailing_bytes_are_refused_at_their_offset(void **state)
{
    (void)state;
    assert_false(accepts("{\"a\":1} x"));
    assert_int_equal(off, 8);
    assert_non_null(strstr(err, "trailing"));
    assert_false(accepts("{}{}"));
    assert_int_equal(off, 2);
    assert_true(accepts("{\"a\":1} \r\n\t "));
}

static void length_is_respected_not_the_nul(void **state)
{
    (void)state;
    /* only the first 7 bytes count */
    assert_true(accepts_len("{\"a\":1}garbage", 7));
    /* a NUL inside len is a trailing byte */
    assert_false(accepts_len("{\"a\":1}\0", 8));
    assert_false(accepts_len("", 0));
    assert_false(accepts("   "));
}

static void duplicate_keys_are_refused_at_the_second_key(void **state)
{
    (void)state;
    assert_false(accepts("{\"a\":1,\"b\":2,\"a\":3}"));
    assert_int_equal(off, 13);
    assert_non_null(strstr(err, "duplicate"));
    /* nested, and spelled differently with an escape */
    assert_false(accepts("[{\"x\":{\"k\":1,\"\\u006b\":2}}]"));
    assert_int_equal(off, 13);
    /* same key in different objects is fine */
    assert_true(accepts("{\"a\":{\"a\":1},\"b\":{\"a\":2}}"));
}

static void nul_in_strings_is_refused(void **state)
{
    (void)state;
    assert_false(accepts("[\"a\\u0000b\"]"));
    assert_int_equal(off, 3);
    assert_false(accepts_len("[\"a\0b\"]", 7));
    assert_int_equal(off, 3);
}

static void raw_control_characters_are_refused(void **state)
{
    (void)state;
    assert_false(accepts("[\"a\tb\"]"));
    assert_int_equal(off, 3);
    assert_false(accepts("[\"a\nb\"]"));
    assert_true(accepts("[\"a\\tb\\n\"]"));
}

static void invalid_utf8_is_refused(void **state)
{
    (void)state;
    assert_false(accepts("[\"\xc0\xaf\"]")); /* overlong '/' */
    assert_int_equal(off, 2);
    assert_false(accepts("[\"\xe0\x80\xaf\"]"));     /* overlong, 3 bytes */
    assert_false(accepts("[\"\xed\xa0\x80\"]"));     /* encoded surrogate U+D800 */
    assert_false(accepts("[\"\xf4\x90\x80\x80\"]")); /* U+110000 */
    assert_false(accepts("[\"\xc3\"]"));             /* truncated */
    assert_false(accepts("[\"\x80\"]"));             /* lone continuation */
    assert_false(accepts("[\"\xff\"]"));
    assert_false(accepts("\xef\xbb\xbf{}")); /* byte order mark */
    assert_true(accepts("[\"\xf4\x8f\xbf\xbf \xe2\x82\xac\"]"));
}

static void lone_surrogate_escapes_are_refused(void **state)
{
    (void)state;
    assert_false(accepts("[\"\\ud800\"]"));
    assert_false(accepts("[\"\\ud800x\"]"));
    assert_false(accepts("[\"\\udc00\"]"));
    assert_false(accepts("[\"\\ud800\\u0041\"]"));
    assert_true(accepts("[\"\\ud83d\\ude00\"]"));
}

static void nesting_deeper_than_32_is_refused(void **state)
{
    (void)state;
    char buf[128];
    memset(buf, '[', 32);
    memset(buf + 32, ']', 32);
    buf[64] = '\0';
    assert_true(accepts(buf));
    memset(buf, '[', 33);
    memset(buf + 33, ']', 33);
    buf[66] = '\0';
    assert_false(accepts(buf));
    assert_int_equal(off, 32);
    assert_non_null(strstr(err, "nesting"));
}

static void grammar_errors_are_refused(void **state)
{
    (void)state;
    assert_false(accepts("{\"a\":1,}"));
    assert_false(accepts("[1,]"));
    assert_false(accepts("[01]"));
    assert_false(accepts("[1.]"));
    assert_false(accepts("[.5]"));
    assert_false(accepts("[+1]"));
    assert_false(accepts("{a:1}"));
    assert_false(accepts("['a']"));
    assert_false(accepts("[\"\\x\"]"));
    assert_false(accepts("[NaN]"));
    assert_false(accepts("[tru]"));
    assert_false(accepts("[\"abc"));
    assert_false(accepts("[1\x0b]")); /* vertical tab is not JSON whitespace */
    assert_true(accepts("0"));
    assert_true(accepts("\"x\""));
    assert_true(accepts("[-0, 0.5, 1E+2, 1e-2]"));
}

static const char doc[] =
    "{\n"
    "  \"id\": \"x\",\n"
    "  \"puzzles\": [\n"
    "    {\"id\": \"a\", \"title\": \"\xc3\x84pfel\", \"answer\": {\"number\": 4}},\n"
    "    {\"id\": \"b\",\n"
    "     \"answer\": {\"tolerance\": -1, \"partial\": {\"Fried.rich\": \"m\"}}}\n"
    "  ]\n"
    "}\n";

static void locate_finds_nested_values_by_line_and_character_column(void **state)
{
    (void)state;
    int line = 0, col = 0;
    assert_int_equal(spur_json_locate(doc, strlen(doc), "", &line, &col), 0);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    assert_int_equal(spur_json_locate(doc, strlen(doc), "id", &line, &col), 0);
    assert_int_equal(line, 2);
    assert_int_equal(col, 9);
    /* "Äpfel" is 2 bytes for Ä but 1 column */
    assert_int_equal(spur_json_locate(doc, strlen(doc), "puzzles[0].answer.number", &line, &col),
                     0);
    assert_int_equal(line, 4);
    assert_int_equal(col, 56);
    assert_int_equal(spur_json_locate(doc, strlen(doc), "puzzles[1].answer.tolerance", &line, &col),
                     0);
    assert_int_equal(line, 6);
    assert_int_equal(col, 30);
    assert_int_equal(spur_json_locate(doc, strlen(doc), "puzzles[1]", &line, &col), 0);
    assert_int_equal(line, 5);
    assert_int_equal(col, 5);
}

static void locate_quoted_keys_with_dots(void **state)
{
    (void)state;
    int line = 0, col = 0;
    assert_int_equal(spur_json_locate(doc, strlen(doc), "puzzles[1].answer.partial[\"Fried.rich\"]",
                                      &line, &col),
                     0);
    assert_int_equal(line, 6);
    assert_int_equal(col, 60);
}

static void locate_missing_key_gives_the_enclosing_object(void **state)
{
    (void)state;
    int line = 0, col = 0;
    assert_int_equal(spur_json_locate(doc, strlen(doc), "puzzles[1].title", &line, &col), 0);
    assert_int_equal(line, 5);
    assert_int_equal(col, 5);
    assert_int_equal(spur_json_locate(doc, strlen(doc), "puzzles[7].answer", &line, &col), 0);
    assert_int_equal(line, 3);
    assert_int_equal(col, 14);
    assert_int_equal(spur_json_locate("", 0, "", &line, &col), -1);
}

static void locate_many_agrees_with_locate_path_by_path(void **state)
{
    (void)state;
    /* every kind of path: found, missing key, missing index, index into an object, key
       into an array, quoted keys, malformed rests, the same path twice, and NULL */
    static const char *const paths[] = {
        "puzzles[1].answer.partial[\"Fried.rich\"]",
        "",
        "id",
        "puzzles[0].answer.number",
        "puzzles[1].answer.tolerance",
        "puzzles[1]",
        "puzzles[1].title",
        "puzzles[7].answer",
        "puzzles.x",
        "id[0]",
        "puzzles[0][1]",
        "puzzles[",
        "puzzles[0]..answer",
        "puzzles[0].answer.number",
        "nope.deeper[3]",
        "puzzles[1].answer.partial[\"Fried\"]",
        NULL,
    };
    enum { N = sizeof paths / sizeof *paths };
    int lines[N], cols[N];

    assert_int_equal(spur_json_locate_many(doc, strlen(doc), paths, N, lines, cols), 0);
    for (size_t i = 0; i < N; i++) {
        int line = 0, col = 0;
        if (!paths[i]) {
            assert_int_equal(lines[i], 0);
            continue;
        }
        assert_int_equal(spur_json_locate(doc, strlen(doc), paths[i], &line, &col), 0);
        assert_int_equal(lines[i], line);
        assert_int_equal(cols[i], col);
    }
    assert_int_equal(spur_json_locate_many("  ", 2, paths, 1, lines, cols), -1);
    assert_int_equal(lines[0], 0);
}

/* The first of two duplicate keys, as spur_json_locate (a text the strict parser
 * refuses, but the walk must not care). */
static void locate_many_takes_the_first_of_duplicate_keys(void **state)
{
    (void)state;
    static const char dup[] = "{\"a\": {\"b\": 1},\n \"a\": {\"b\": 2, \"c\": 3}}";
    static const char *const paths[] = {"a.b", "a.c", "a"};
    int lines[3], cols[3];
    assert_int_equal(spur_json_locate_many(dup, strlen(dup), paths, 3, lines, cols), 0);
    for (size_t i = 0; i < 3; i++) {
        int line = 0, col = 0;
        assert_int_equal(spur_json_locate(dup, strlen(dup), paths[i], &line, &col), 0);
        assert_int_equal(lines[i], line);
        assert_int_equal(cols[i], col);
    }
}

static void line_col_counts_characters(void **state)
{
    (void)state;
    int line, col;
    const char *s = "\xc3\xa4\xc3\xb6x\ny";
    spur_json_line_col(s, strlen(s), 4, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 3);
    spur_json_line_col(s, strlen(s), 6, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_document_parses_into_a_tree),
        cmocka_unit_test(trailing_bytes_are_refused_at_their_offset),
        cmocka_unit_test(length_is_respected_not_the_nul),
        cmocka_unit_test(duplicate_keys_are_refused_at_the_second_key),
        cmocka_unit_test(nul_in_strings_is_refused),
        cmocka_unit_test(raw_control_characters_are_refused),
        cmocka_unit_test(invalid_utf8_is_refused),
        cmocka_unit_test(lone_surrogate_escapes_are_refused),
        cmocka_unit_test(nesting_deeper_than_32_is_refused),
        cmocka_unit_test(grammar_errors_are_refused),
        cmocka_unit_test(locate_finds_nested_values_by_line_and_character_column),
        cmocka_unit_test(locate_quoted_keys_with_dots),
        cmocka_unit_test(locate_missing_key_gives_the_enclosing_object),
        cmocka_unit_test(locate_many_agrees_with_locate_path_by_path),
        cmocka_unit_test(locate_many_takes_the_first_of_duplicate_keys),
        cmocka_unit_test(line_col_counts_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

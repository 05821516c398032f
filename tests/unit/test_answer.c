/* Unit tests of answer normalisation and judging: what a player types and whether
 * the game calls it correct, partial or wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "game/answer.h"

static void assert_norm(const char *in, const char *want)
{
    char *got = spur_answer_normalize(in, strlen(in));
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void sharp_s_and_capitals_and_punctuation_are_one_answer(void **state)
{
    (void)state;
    assert_norm("Stra\xc3\x9f"
                "e",
                "strasse");
    assert_norm("STRASSE", "strasse");
    assert_norm(" strasse! ", "strasse");
    assert_norm("STRA\xe1\xba\x9e"
                "E",
                "strasse"); /* capital sharp s */
}

static void umlauts_are_transliterated_precomposed_or_combining(void **state)
{
    (void)state;
    assert_norm("M\xc3\xbcller", "mueller");
    assert_norm("M\xc3\x9cLLER", "mueller");
    assert_norm("Mu\xcc\x88ller", "mueller"); /* u + U+0308 */
    assert_norm("MU\xcc\x88LLER", "mueller");
    assert_norm("\xc3\x84pfel", "aepfel");
    assert_norm("\xc3\x96lm\xc3\xbchle", "oelmuehle");
    assert_norm("Fu\xc3\x9fg\xc3\xa4ngerzone", "fussgaengerzone");
}

static void other_diacritics_are_stripped(void **state)
{
    (void)state;
    assert_norm("Caf\xc3\xa9", "cafe");
    assert_norm("Saint-\xc3\x89tienne", "saintetienne");
    assert_norm("Ca\xc3\xb1"
                "on",
                "canon");
    assert_norm("e\xcc\x88", "e"); /* diaeresis on a letter that is not a, o or u */
}

static void compatibility_forms_fold_to_plain_letters_and_digits(void **state)
{
    (void)state;
    assert_norm("\xef\xac\x81", "fi");             /* ﬁ ligature */
    assert_norm("\xef\xbc\x94\xef\xbc\x92", "42"); /* full-width 42 */
    assert_norm("\xef\xbc\xa1\xef\xbc\xa2", "ab"); /* full-width AB */
}

static void whitespace_punctuation_and_symbols_are_removed(void **state)
{
    (void)state;
    assert_norm("Kaiser-Wilhelm-Stra\xc3\x9f"
                "e 12",
                "kaiserwilhelmstrasse12");
    assert_norm("\xe2\x80\x9e"
                "Barbarossa\xe2\x80\x9c\xc2\xa0!?",
                "barbarossa");
    assert_norm("a+b=c \xe2\x82\xac", "abc");
    assert_norm("  \t\n", "");
    assert_norm("", "");
}

static void invalid_utf8_is_not_normalised(void **state)
{
    (void)state;
    assert_null(spur_answer_normalize("\xc3", 1));
    assert_null(spur_answer_normalize("a\xff", 2));
}

static void normalised_form_is_stable(void **state)
{
    (void)state;
    const char *in = "Fu\xc3\x9fg\xc3\xa4ngerzone \xef\xac\x81 Caf\xc3\xa9";
    char *once = spur_answer_normalize(in, strlen(in));
    char *twice = spur_answer_normalize(once, strlen(once));
    assert_string_equal(once, twice);
    free(once);
    free(twice);
}

/* ---- judging ---- */

static spur_verdict_t judge(const spur_puzzle_t *p, const char *answer, const char **msg)
{
    char *norm = NULL;
    spur_verdict_t v = spur_answer_judge(p, answer, strlen(answer), msg, &norm);
    assert_non_null(norm);
    free(norm);
    return v;
}

static void text_answer_accepts_any_listed_spelling(void **state)
{
    (void)state;
    char *accept[] = {"barbarossa", "friedrichbarbarossa"};
    spur_partial_t partial[] = {{"friedrich", "Welcher Friedrich?"}};
    spur_puzzle_t p = {.kind = SPUR_KIND_TEXT,
                       .accept = accept,
                       .naccept = 2,
                       .partial = partial,
                       .npartial = 1,
                       .place = -1};
    const char *msg = "x";

    assert_int_equal(judge(&p, "Barbarossa", &msg), SPUR_VERDICT_CORRECT);
    assert_null(msg);
    assert_int_equal(judge(&p, "  Friedrich   BARBAROSSA.", &msg), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "Rotbart", &msg), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "", &msg), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "!!!", &msg), SPUR_VERDICT_WRONG);
}

static void partial_answer_returns_the_keep_going_message(void **state)
{
    (void)state;
    char *accept[] = {"barbarossa"};
    spur_partial_t partial[] = {{"friedrich", "Welcher Friedrich?"}};
    spur_puzzle_t p = {.kind = SPUR_KIND_TEXT,
                       .accept = accept,
                       .naccept = 1,
                       .partial = partial,
                       .npartial = 1,
                       .place = -1};
    const char *msg = NULL;

    assert_int_equal(judge(&p, "friedrich!", &msg), SPUR_VERDICT_PARTIAL);
    assert_string_equal(msg, "Welcher Friedrich?");
}

static void judge_hands_back_the_normalised_answer(void **state)
{
    (void)state;
    char *accept[] = {"barbarossa"};
    spur_puzzle_t p = {.kind = SPUR_KIND_TEXT, .accept = accept, .naccept = 1, .place = -1};
    char *norm = NULL;

    assert_int_equal(spur_answer_judge(&p, "M\xc3\xbcller", 7, NULL, &norm), SPUR_VERDICT_WRONG);
    assert_string_equal(norm, "mueller");
    free(norm);
}

static void number_within_tolerance_is_correct_with_decimal_comma(void **state)
{
    (void)state;
    spur_puzzle_t p = {.kind = SPUR_KIND_NUMBER, .number = 42, .tolerance = 0.5, .place = -1};

    assert_int_equal(judge(&p, "42", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "42,4", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "42.5", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "41,5", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "42,6", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "zweiundvierzig", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, " +42. ", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "\xef\xbc\x94\xef\xbc\x92", NULL), SPUR_VERDICT_CORRECT);
}

static void number_refuses_garbage(void **state)
{
    (void)state;
    spur_puzzle_t p = {.kind = SPUR_KIND_NUMBER, .number = 42, .tolerance = 0, .place = -1};

    /* a unit is one word of letters; anything more is not a number */
    assert_int_equal(judge(&p, "42 Stufen hoch", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "42 m2", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "42m!", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "42 m..", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "42 /h", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "m 42", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "camera 42", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "ca.", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "4 2", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "42,0,0", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "-", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "4.2e1", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "0x2a", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "42.0", NULL), SPUR_VERDICT_CORRECT);
}

/* Phone playtest: players type the unit the clue asks about, or say it is an estimate. */
static void number_may_carry_a_unit_and_an_approximately(void **state)
{
    (void)state;
    spur_puzzle_t p = {.kind = SPUR_KIND_NUMBER, .number = 12.6, .tolerance = 0, .place = -1};
    spur_puzzle_t t = {.kind = SPUR_KIND_NUMBER, .number = -3, .tolerance = 0, .place = -1};
    spur_puzzle_t k = {.kind = SPUR_KIND_NUMBER, .number = 1000, .tolerance = 0, .place = -1};
    char *a = NULL, *b = NULL;

    assert_int_equal(judge(&p, "12,6 m", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "12.6m", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "12,6 Meter", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "12,6 m.", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, " 12,6  km/h ", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "ca. 12,6 Meter", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "CA 12,6", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "etwa 12,6m", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "~12.6", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "12,6 %", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p,
                           "12,6 St\xc3\xbc"
                           "ck",
                           NULL),
                     SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "12,7 m", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&t,
                           "-3 \xc2\xb0"
                           "C",
                           NULL),
                     SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&t, "-3\xe2\x84\x83", NULL), SPUR_VERDICT_CORRECT); /* U+2103 */
    /* the separator rules stay: one decimal separator, no thousands */
    assert_int_equal(judge(&k, "1.000 m", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&k, "1000 m", NULL), SPUR_VERDICT_CORRECT);
    /* with or without the unit, the same answer (a repeat is free) */
    spur_answer_judge(&p, "12,5 m", 6, NULL, &a);
    spur_answer_judge(&p, "12.5", 4, NULL, &b);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void number_with_zero_tolerance_survives_rounding(void **state)
{
    (void)state;
    spur_puzzle_t p = {.kind = SPUR_KIND_NUMBER, .number = 0.3, .tolerance = 0, .place = -1};
    assert_int_equal(judge(&p, "0,3", NULL), SPUR_VERDICT_CORRECT);
    spur_puzzle_t q = {.kind = SPUR_KIND_NUMBER, .number = -7.25, .tolerance = 0, .place = -1};
    assert_int_equal(judge(&q, "-7,25", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&q,
                           "\xe2\x88\x92"
                           "7.25",
                           NULL),
                     SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&q, "7.25", NULL), SPUR_VERDICT_WRONG);
}

static void same_wrong_number_typed_two_ways_normalises_alike(void **state)
{
    (void)state;
    spur_puzzle_t p = {.kind = SPUR_KIND_NUMBER, .number = 42, .tolerance = 0, .place = -1};
    char *a = NULL, *b = NULL;
    spur_answer_judge(&p, "41,5", 4, NULL, &a);
    spur_answer_judge(&p, " 41.50", 6, NULL, &b);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void choice_is_answered_with_the_option_text(void **state)
{
    (void)state;
    char *choices[] = {"rot", "Gr\xc3\xbcn", "blau"};
    spur_puzzle_t p = {
        .kind = SPUR_KIND_CHOICE, .choices = choices, .nchoices = 3, .correct = 1, .place = -1};

    assert_int_equal(judge(&p, "Gr\xc3\xbcn", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "gruen", NULL), SPUR_VERDICT_CORRECT);
    assert_int_equal(judge(&p, "rot", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "1", NULL), SPUR_VERDICT_WRONG);
    assert_int_equal(judge(&p, "2", NULL), SPUR_VERDICT_WRONG);
}

static void scan_puzzle_cannot_be_answered(void **state)
{
    (void)state;
    spur_puzzle_t p = {.kind = SPUR_KIND_SCAN, .place = 0};
    assert_int_equal(judge(&p, "anything", NULL), SPUR_VERDICT_WRONG);
}

static void overlong_answer_is_wrong(void **state)
{
    (void)state;
    char *accept[] = {"a"};
    spur_puzzle_t p = {.kind = SPUR_KIND_TEXT, .accept = accept, .naccept = 1, .place = -1};
    char big[SPUR_ANSWER_MAX + 2];
    memset(big, ' ', sizeof(big) - 1);
    big[0] = 'a';
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(judge(&p, big, NULL), SPUR_VERDICT_WRONG);
    big[SPUR_ANSWER_MAX] = '\0';
    assert_int_equal(judge(&p, big, NULL), SPUR_VERDICT_CORRECT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sharp_s_and_capitals_and_punctuation_are_one_answer),
        cmocka_unit_test(umlauts_are_transliterated_precomposed_or_combining),
        cmocka_unit_test(other_diacritics_are_stripped),
        cmocka_unit_test(compatibility_forms_fold_to_plain_letters_and_digits),
        cmocka_unit_test(whitespace_punctuation_and_symbols_are_removed),
        cmocka_unit_test(invalid_utf8_is_not_normalised),
        cmocka_unit_test(normalised_form_is_stable),
        cmocka_unit_test(text_answer_accepts_any_listed_spelling),
        cmocka_unit_test(partial_answer_returns_the_keep_going_message),
        cmocka_unit_test(judge_hands_back_the_normalised_answer),
        cmocka_unit_test(number_within_tolerance_is_correct_with_decimal_comma),
        cmocka_unit_test(number_refuses_garbage),
        cmocka_unit_test(number_may_carry_a_unit_and_an_approximately),
        cmocka_unit_test(number_with_zero_tolerance_survives_rounding),
        cmocka_unit_test(same_wrong_number_typed_two_ways_normalises_alike),
        cmocka_unit_test(choice_is_answered_with_the_option_text),
        cmocka_unit_test(scan_puzzle_cannot_be_answered),
        cmocka_unit_test(overlong_answer_is_wrong),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

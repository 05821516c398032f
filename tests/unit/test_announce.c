/* Unit tests of an announcement's text: what staff type is cleaned the same way from
 * any client (line breaks kept and unified, ends trimmed), counted in characters, and
 * refused with a reason when it holds control characters, broken UTF-8 or nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "game/announce.h"

static void expect_clean(const char *in, const char *want)
{
    char *out = NULL;
    assert_int_equal(spur_announce_text(in, strlen(in), &out), SPUR_ANNOUNCE_OK);
    assert_string_equal(out, want);
    free(out);
}

static void expect_refused(const char *in, size_t len, spur_announce_check_t why)
{
    char *out = (char *)1;
    assert_int_equal(spur_announce_text(in, len, &out), why);
    assert_null(out);
}

static void line_breaks_are_kept_and_ends_trimmed(void **state)
{
    (void)state;
    expect_clean("Schild fiel ab.", "Schild fiel ab.");
    expect_clean("  \n Zeile 1\r\nZeile 2\rZeile 3\n\n  ", "Zeile 1\nZeile 2\nZeile 3");
    expect_clean("\xc2\xa0\xe3\x80\x80"
                 "Bank\xc2\xa0",
                 "Bank");                     /* no-break and ideographic spaces */
    expect_clean("a  \n\n  b", "a  \n\n  b"); /* inside, as typed */
    expect_clean("Tür \xf0\x9f\x9a\xaa", "Tür \xf0\x9f\x9a\xaa");
}

static void a_thousand_characters_not_bytes(void **state)
{
    char buf[4 * 1001 + 1];
    (void)state;
    for (int i = 0; i < 1000; i++)
        memcpy(buf + 4 * i, "\xf0\x9f\x98\x80", 4); /* 4 bytes, one character */
    buf[4000] = '\0';
    char *out = NULL;
    assert_int_equal(spur_announce_text(buf, 4000, &out), SPUR_ANNOUNCE_OK);
    assert_int_equal(strlen(out), 4000);
    free(out);
    memcpy(buf + 4000, "\xf0\x9f\x98\x80", 4);
    expect_refused(buf, 4004, SPUR_ANNOUNCE_TOO_LONG);
    /* trailing white space does not count against the bound */
    memset(buf, 'x', 1000);
    memset(buf + 1000, ' ', 20);
    assert_int_equal(spur_announce_text(buf, 1020, &out), SPUR_ANNOUNCE_OK);
    assert_int_equal(strlen(out), 1000);
    free(out);
}

static void control_characters_and_bad_utf8_are_refused(void **state)
{
    (void)state;
    expect_refused("", 0, SPUR_ANNOUNCE_EMPTY);
    expect_refused(" \r\n ", 4, SPUR_ANNOUNCE_EMPTY);
    expect_refused("a\tb", 3, SPUR_ANNOUNCE_CONTROL);
    expect_refused("a\x1b[31mb", 7, SPUR_ANNOUNCE_CONTROL);
    expect_refused("a\x7f", 2, SPUR_ANNOUNCE_CONTROL);
    expect_refused("a\xc2\x85", 3, SPUR_ANNOUNCE_CONTROL); /* NEL, a C1 control */
    expect_refused("a\0b", 3, SPUR_ANNOUNCE_CONTROL);
    expect_refused("a\xc3", 2, SPUR_ANNOUNCE_UTF8);
    expect_refused("\xed\xa0\x80", 3, SPUR_ANNOUNCE_UTF8); /* a lone surrogate */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(line_breaks_are_kept_and_ends_trimmed),
        cmocka_unit_test(a_thousand_characters_not_bytes),
        cmocka_unit_test(control_characters_and_bad_utf8_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

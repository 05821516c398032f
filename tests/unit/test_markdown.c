/* Unit tests of the Markdown rendering of clues, intro, hints and outro: what the
 * app puts into the page with innerHTML must format the organizer's text and never
 * run, load or link anything the organizer (or someone who got at the hunt file)
 * slipped in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "game/markdown.h"

static char *render(const char *md)
{
    char *html = spur_markdown_html(md, strlen(md));
    assert_non_null(html);
    return html;
}

static void assert_renders(const char *md, const char *want)
{
    char *got = render(md);
    assert_string_equal(got, want);
    free(got);
}

static void assert_contains(const char *md, const char *part)
{
    char *got = render(md);
    if (!strstr(got, part))
        fail_msg("\"%s\" rendered to \"%s\", without \"%s\"", md, got, part);
    free(got);
}

static void assert_lacks(const char *md, const char *part)
{
    char *got = render(md);
    if (strstr(got, part))
        fail_msg("\"%s\" rendered to \"%s\", with \"%s\"", md, got, part);
    free(got);
}

static void emphasis_headings_and_lists_render(void **state)
{
    (void)state;
    assert_renders("Ein *kleines* und ein **großes** Wort",
                   "<p>Ein <em>kleines</em> und ein <strong>großes</strong> Wort</p>\n");
    assert_renders("- Rathaus\n- Mühle\n", "<ul>\n<li>Rathaus</li>\n<li>Mühle</li>\n</ul>\n");
    assert_renders("1. erst\n2. dann\n", "<ol>\n<li>erst</li>\n<li>dann</li>\n</ol>\n");
    assert_renders("## Der Turm", "<h2>Der Turm</h2>\n");
}

static void empty_text_is_empty_html(void **state)
{
    (void)state;
    assert_renders("", "");
}

static void umlauts_and_sharp_s_stay(void **state)
{
    (void)state;
    assert_renders("Grüße aus Köln, Straße Ä Ö Ü ß €", "<p>Grüße aus Köln, Straße Ä Ö Ü ß €</p>\n");
}

static void script_and_raw_html_are_text(void **state)
{
    (void)state;
    assert_renders("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
    assert_renders("Hallo <img src=x onerror=alert(1)> Welt",
                   "<p>Hallo &lt;img src=x onerror=alert(1)&gt; Welt</p>\n");
    assert_lacks("<div onclick=\"x()\">\n\nhi\n</div>", "<div");
    assert_lacks("a <b>fett</b>", "<b>");
    assert_contains("a <b>fett</b>", "&lt;b&gt;fett&lt;/b&gt;");
    assert_lacks("<!-- Kommentar -->", "<!--");
}

static void only_web_and_mail_links_stay_links(void **state)
{
    (void)state;
    assert_renders("[hier](javascript:alert(1))", "<p>hier</p>\n");
    assert_renders("[Bild](data:text/html;base64,PHNjcmlwdD4=)", "<p>Bild</p>\n");
    assert_renders("[x](JaVaScRiPt:alert(1))", "<p>x</p>\n");
    assert_renders("[x](jav&#x61;script:alert(1))", "<p>x</p>\n");
    assert_renders("[x](vbscript:msgbox)", "<p>x</p>\n");
    assert_renders("[Datei](/etc/passwd)", "<p>Datei</p>\n");
    assert_renders("<javascript:alert(1)>", "<p>javascript:alert(1)</p>\n");
    /* the link's text keeps its emphasis */
    assert_renders("[*so*](ftp://x)", "<p><em>so</em></p>\n");
}

static void web_links_open_in_a_new_tab(void **state)
{
    (void)state;
    assert_renders("[Stadtarchiv](https://example.org/a?b=1&c=2)",
                   "<p><a target=\"_blank\" rel=\"noopener\" "
                   "href=\"https://example.org/a?b=1&amp;c=2\">Stadtarchiv</a></p>\n");
    assert_renders("<http://example.org>",
                   "<p><a target=\"_blank\" rel=\"noopener\" "
                   "href=\"http://example.org\">http://example.org</a></p>\n");
    assert_renders("[Mail](mailto:info@example.org \"Büro\")",
                   "<p><a target=\"_blank\" rel=\"noopener\" href=\"mailto:info@example.org\" "
                   "title=\"Büro\">Mail</a></p>\n");
}

static void text_that_looks_like_a_tag_is_not_rewritten(void **state)
{
    (void)state;
    /* Only cmark's own tags get the new-tab attributes: typed text stays escaped. */
    assert_renders("`<a href=\"x\">`", "<p><code>&lt;a href=&quot;x&quot;&gt;</code></p>\n");
}

static void images_become_their_alt_text(void **state)
{
    (void)state;
    assert_renders("![Das *Tor* am Markt](https://example.org/tor.jpg)",
                   "<p>Das Tor am Markt</p>\n");
    assert_renders("![](https://tracker.example/pixel.gif)", "<p></p>\n");
    assert_lacks("![a](x.png) [![b](y.png)](https://example.org)", "<img");
    /* an image inside an image's description, and a link in it, are text too */
    assert_renders("![a ![b](y.png) [c](javascript:x)](z.png)", "<p>a b c</p>\n");
}

/* ---- plain text for print (spur_markdown_plain) ---- */

static void assert_plain(const char *md, const char *want)
{
    char *got = spur_markdown_plain(md, strlen(md));
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void plain_drops_emphasis_and_keeps_code(void **state)
{
    (void)state;
    assert_plain("Ein *kleines* und ein **großes** Wort", "Ein kleines und ein großes Wort");
    assert_plain("`**so**` bleibt, \\*\\*das\\*\\* auch", "**so** bleibt, **das** auch");
    assert_plain("## Der *Turm*", "Der Turm");
    assert_plain("Straße &amp; Brücke &ouml;", "Straße & Brücke ö");
}

static void plain_empty_text_is_empty(void **state)
{
    (void)state;
    assert_plain("", "");
    assert_plain("\n\n  \n", "");
    char *got = spur_markdown_plain(NULL, 0);
    assert_string_equal(got, "");
    free(got);
}

static void plain_breaks_and_blocks(void **state)
{
    (void)state;
    /* soft break: a space; hard break: a newline; blocks: a blank line between */
    assert_plain("eins\nzwei", "eins zwei");
    assert_plain("eins  \nzwei\\\ndrei", "eins\nzwei\ndrei");
    assert_plain("# Titel\n\nErster.\n\nZweiter.", "Titel\n\nErster.\n\nZweiter.");
    assert_plain("vor\n\n```\nx = 1\n  y\n```\n\nnach", "vor\n\nx = 1\n  y\n\nnach");
    assert_plain("a\n\n---\n\nb", "a\n\n———\n\nb");
    assert_plain("> Zitat\n\ndanach", "Zitat\n\ndanach");
}

static void plain_lists_get_bullets_and_numbers(void **state)
{
    (void)state;
    assert_plain("Mitbringen:\n\n- Stift\n- Handy\n", "Mitbringen:\n\n• Stift\n• Handy");
    assert_plain("1. erst\n2. dann\n\nfertig", "1. erst\n2. dann\n\nfertig");
    assert_plain("7. sieben\n8. acht", "7. sieben\n8. acht");
    assert_plain("1) a\n2) b", "1) a\n2) b");
    assert_plain("- a\n  - b\n  - c\n- d", "• a\n  • b\n  • c\n• d");
    /* a loose list keeps its blank lines */
    assert_plain("- a\n\n- b", "• a\n\n• b");
}

static void plain_links_show_their_address(void **state)
{
    (void)state;
    assert_plain("Mehr im [Stadtarchiv](https://example.org/a?b=1&c=2).",
                 "Mehr im Stadtarchiv (https://example.org/a?b=1&c=2).");
    /* an address that is its own text is not repeated */
    assert_plain("<https://example.org>", "https://example.org");
    assert_plain("[https://example.org](https://example.org)", "https://example.org");
    assert_plain("<info@example.org>", "info@example.org");
    assert_plain("[Schreibt uns](mailto:info@example.org)", "Schreibt uns (info@example.org)");
    assert_plain("[**fett** verlinkt](http://e.de)", "fett verlinkt (http://e.de)");
    /* only addresses the app links: the others are their text */
    assert_plain("[hier](javascript:alert(1)) [Datei](/etc/passwd)", "hier Datei");
    assert_plain("[](https://example.org)", "https://example.org");
    /* a link that shows nothing leaves nothing, not even the blank line before it */
    assert_plain("Text\n\n[](javascript:x)", "Text");
    assert_plain("Text\n\n[](https://e.org)", "Text\n\nhttps://e.org");
}

static void plain_images_are_their_description(void **state)
{
    (void)state;
    assert_plain("![Das *Tor* am Markt](https://example.org/tor.jpg)", "Das Tor am Markt");
    assert_plain("vor ![](x.png) nach", "vor  nach");
    assert_plain("![a [b](https://e.org) c](z.png)", "a b c");
}

static void plain_never_holds_html(void **state)
{
    (void)state;
    assert_plain("a <b>fett</b> b", "a fett b");
    assert_plain("<script>alert(1)</script>\n\nText", "Text");
    assert_plain("<!-- Kommentar -->\nText", "Text");
    assert_plain("1 &lt; 2", "1 < 2"); /* typed text stays what it says */
}

/* Found by fuzz_markdown: a hard break that ends a link's text left a newline at the
 * end; and a control character reached print, which has no glyph for it. */
static void plain_has_no_trailing_break_and_no_control_characters(void **state)
{
    (void)state;
    assert_plain("[Zum Turm  \n](hier)\n- ", "Zum Turm");
    assert_plain("Zeile eins  \nZeile zwei", "Zeile eins\nZeile zwei");
    assert_plain("Seite\x0c eins\x01", "Seite eins");
    assert_plain("    Code\x07\n", "Code");
    assert_plain("Tab\tbleibt", "Tab\tbleibt");
    assert_plain("Eins\n\n[][1]\x1e\n\n[1]: https://example.org", "Eins\n\nhttps://example.org");
    assert_plain("Eins\n\n\x1e\x1e", "Eins");
    assert_plain("```\nCode\n\n\x19\x19", "Code"); /* an open fence runs to the end */
    assert_plain("[Archiv](https://exampl\x03"
                 "e.org)",
                 "Archiv (https://example.org)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(emphasis_headings_and_lists_render),
        cmocka_unit_test(empty_text_is_empty_html),
        cmocka_unit_test(umlauts_and_sharp_s_stay),
        cmocka_unit_test(script_and_raw_html_are_text),
        cmocka_unit_test(only_web_and_mail_links_stay_links),
        cmocka_unit_test(web_links_open_in_a_new_tab),
        cmocka_unit_test(text_that_looks_like_a_tag_is_not_rewritten),
        cmocka_unit_test(images_become_their_alt_text),
        cmocka_unit_test(plain_drops_emphasis_and_keeps_code),
        cmocka_unit_test(plain_empty_text_is_empty),
        cmocka_unit_test(plain_breaks_and_blocks),
        cmocka_unit_test(plain_lists_get_bullets_and_numbers),
        cmocka_unit_test(plain_links_show_their_address),
        cmocka_unit_test(plain_images_are_their_description),
        cmocka_unit_test(plain_never_holds_html),
        cmocka_unit_test(plain_has_no_trailing_break_and_no_control_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

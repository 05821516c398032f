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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* libFuzzer target for the Markdown renderer (game/markdown.c): whatever the bytes,
 * the HTML the app puts into the page with innerHTML holds only the tags and
 * attributes of formatted text — no <script> anywhere, no image, no event handler,
 * no javascript: or data: link, and every link opens http, https or mailto in a new
 * tab. Text may well say "javascript:" or "onerror=", and so may a link's title or
 * the path of an https URL: cmark escapes every "<" of text and every quote of a
 * value, so only what sits between "<" and ">" is markup. That is checked against
 * allowlists: tag names, attribute names (no on* handler, no src), href schemes.
 * The plain text for print (spur_markdown_plain) of the same bytes is walked too: it is
 * valid UTF-8 (cairo draws nothing of a string that is not) and ends in no newline,
 * whatever came in. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "game/markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const tags[] = {"p",  "em",   "strong", "ul",         "ol", "li",
                                   "h1", "h2",   "h3",     "h4",         "h5", "h6",
                                   "a",  "code", "pre",    "blockquote", "hr", "br"};
static const char *const attrs[] = {"href", "title", "target", "rel", "start", "class"};

static int in_list(const char *s, size_t n, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == n && strncasecmp(s, list[i], n) == 0)
            return 1;
    return 0;
}

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* One tag, tag[0] == '<', len up to and excluding its '>'. */
static void check_tag(const char *tag, size_t len)
{
    size_t i = 1, n;
    int is_link;
    if (i < len && tag[i] == '/')
        i++;
    for (n = 0; i + n < len && name_char(tag[i + n]); n++)
        ;
    assert(in_list(tag + i, n, tags, sizeof(tags) / sizeof(*tags)));
    is_link = tag[1] != '/' && n == 1 && tag[i] == 'a';
    i += n;
    while (i < len) {
        while (i < len && (tag[i] == ' ' || tag[i] == '/'))
            i++;
        if (i == len)
            break;
        for (n = 0; i + n < len && tag[i + n] != '='; n++)
            ;
        assert(in_list(tag + i, n, attrs, sizeof(attrs) / sizeof(*attrs)));
        if (n == 4 && strncmp(tag + i, "href", 4) == 0)
            assert(strncasecmp(tag + i, "href=\"http://", 13) == 0 ||
                   strncasecmp(tag + i, "href=\"https://", 14) == 0 ||
                   strncasecmp(tag + i, "href=\"mailto:", 13) == 0);
        i += n;
        assert(i + 1 < len && tag[i] == '=' && tag[i + 1] == '"');
        i += 2;
        while (i < len && tag[i] != '"') /* values are escaped: no quote, no '<' inside */
            assert(tag[i++] != '<');
        assert(i < len);
        i++;
    }
    if (is_link)
        assert(strstr(tag, "<a target=\"_blank\" rel=\"noopener\" href=\"") == tag);
}

/* Asserts that s is well-formed UTF-8 (no overlongs, surrogates or code points past
 * U+10FFFF) up to its NUL. */
static void check_utf8(const unsigned char *s)
{
    while (*s) {
        unsigned c = *s++, n, cp;
        if (c < 0x80)
            continue;
        assert(c >= 0xc2 && c <= 0xf4);
        n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
        cp = c & (0x3f >> n);
        for (unsigned i = 0; i < n; i++, s++) {
            assert((*s & 0xc0) == 0x80);
            cp = cp << 6 | (*s & 0x3f);
        }
        assert(cp >= (n == 1 ? 0x80u : n == 2 ? 0x800u : 0x10000u));
        assert(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff));
    }
}

static void check_plain(const uint8_t *data, size_t size)
{
    size_t len;
    char *text = spur_markdown_plain((const char *)data, size);
    assert(text);
    len = strlen(text);
    check_utf8((const unsigned char *)text);
    /* nothing trails: blocks are separated, not terminated */
    assert(len == 0 || text[len - 1] != '\n');
    /* no control characters print has no glyph for */
    for (size_t i = 0; i < len; i++)
        assert((unsigned char)text[i] >= 0x20 || text[i] == '\n' || text[i] == '\t');
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_plain(data, size);

    char *html = spur_markdown_html((const char *)data, size);
    const char *s = html;

    assert(!strcasestr(html, "<script"));
    while ((s = strchr(s, '<'))) {
        const char *end = strchr(s, '>');
        assert(end);
        char *tag = strndup(s, (size_t)(end - s));
        assert(tag);
        check_tag(tag, (size_t)(end - s));
        free(tag);
        s = end + 1;
    }
    free(html);
    return 0;
}

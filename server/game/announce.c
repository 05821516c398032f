/* An announcement's text: what staff type into a textarea, cleaned the same way
 * whichever client sent it, so every phone shows the same lines. Line breaks are kept
 * (the app shows them); every other control character is refused rather than dropped,
 * so staff see at once that what they pasted is not what phones would show. */
#include "game/announce.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/mem.h"

/* White space at the ends of a text: spaces, line breaks and the Unicode
 * space separators (a no-break space pasted from a word processor). */
static int is_blank(utf8proc_int32_t c)
{
    return c == ' ' || c == '\n' || utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

spur_announce_check_t spur_announce_text(const char *in, size_t len, char **out)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)in;
    utf8proc_ssize_t i = 0, n = (utf8proc_ssize_t)len;
    char *buf = spur_malloc(len + 1);
    size_t o = 0, end = 0, chars = 0, chars_at_end = 0;
    int started = 0;
    spur_announce_check_t rc = SPUR_ANNOUNCE_OK;

    *out = NULL;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, n - i, &c);
        if (k <= 0) {
            rc = SPUR_ANNOUNCE_UTF8;
            goto fail;
        }
        if (c == '\r') { /* CR LF and a lone CR are one line break */
            c = '\n';
            if (i + 1 < n && p[i + 1] == '\n')
                k = 2;
        }
        i += k;
        if (c != '\n' && (c < 0x20 || (c >= 0x7f && c < 0xa0))) {
            rc = SPUR_ANNOUNCE_CONTROL;
            goto fail;
        }
        if (!started && is_blank(c))
            continue; /* leading white space */
        started = 1;
        if (c == '\n') {
            buf[o++] = '\n';
        } else {
            memcpy(buf + o, p + i - k, (size_t)k);
            o += (size_t)k;
        }
        chars++;
        if (!is_blank(c)) { /* the text ends after its last non-blank character */
            end = o;
            chars_at_end = chars;
        }
    }
    if (chars_at_end == 0) {
        rc = SPUR_ANNOUNCE_EMPTY;
        goto fail;
    }
    if (chars_at_end > SPUR_ANNOUNCE_TEXT_MAX) {
        rc = SPUR_ANNOUNCE_TOO_LONG;
        goto fail;
    }
    buf[end] = '\0';
    *out = buf;
    return SPUR_ANNOUNCE_OK;
fail:
    free(buf);
    return rc;
}

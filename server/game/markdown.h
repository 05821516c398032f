/* Organizers' texts (clues, intro, hints, outro) as CommonMark, rendered once when a
 * hunt is loaded into HTML the app may put into the page as it is. Pure C, no I/O;
 * any thread. */
#ifndef SPUR_MARKDOWN_H
#define SPUR_MARKDOWN_H

#include <stddef.h>

/* Renders len bytes of CommonMark into a new NUL-terminated HTML string (the caller
 * frees it). Safe to insert into a page: raw HTML shows as text; only http, https and
 * mailto links stay links (others become their text), each opening in a new tab with
 * rel="noopener"; an image becomes its alt text, so nothing is loaded from elsewhere.
 * Invalid UTF-8 is replaced by U+FFFD. Empty input gives "". */
char *spur_markdown_html(const char *text, size_t len);

#endif

/* Organizers' texts (clues, intro, hints, outro) as CommonMark, rendered once when a
 * hunt is loaded into HTML the app may put into the page as it is, and into plain text
 * for print (`spur posters --flyer`, `spur sheet`). Pure C, no I/O; any thread. */
#ifndef SPUR_MARKDOWN_H
#define SPUR_MARKDOWN_H

#include <stddef.h>

/* Renders len bytes of CommonMark into a new NUL-terminated HTML string (the caller
 * frees it). Safe to insert into a page: raw HTML shows as text; only http, https and
 * mailto links stay links (others become their text), each opening in a new tab with
 * rel="noopener"; an image becomes its alt text, so nothing is loaded from elsewhere.
 * Invalid UTF-8 is replaced by U+FFFD. Empty input gives "". */
char *spur_markdown_html(const char *text, size_t len);

/* Renders len bytes of CommonMark into a new NUL-terminated plain text for paper (the
 * caller frees it): the words without the Markdown syntax. Text and code as they are;
 * a soft break becomes a space, a hard break a newline; paragraphs, headings, code
 * blocks and list items are separated by a blank line ("\n\n"; list items of a tight
 * list by a single "\n"); a list item starts with "• " or its number ("1. "), nested
 * ones indented by two spaces a level; a link is its text followed by " (URL)" for
 * http, https and mailto links (the address without "mailto:") whose address is not
 * its text already; an image is its description; a thematic break a line of dashes.
 * Raw HTML is left out, so the result never holds markup. Invalid UTF-8 is replaced
 * by U+FFFD. Empty input gives "". */
char *spur_markdown_plain(const char *text, size_t len);

#endif

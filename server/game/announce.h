/* Announcements staff send to every team of a hunt while it runs ("the sign at the
 * fountain fell off"): what a valid text is. Pure: no I/O, shared by spurd's API. */
#ifndef SPUR_ANNOUNCE_H
#define SPUR_ANNOUNCE_H

#include <stddef.h>

#define SPUR_ANNOUNCE_TEXT_MAX 1000 /* characters (code points) of an announcement */
#define SPUR_ANNOUNCE_MAX                                                                          \
    100 /* announcements a hunt holds at once (deleted ones                                        \
           do not count): past it POST is 409 */

typedef enum {
    SPUR_ANNOUNCE_OK = 0,
    SPUR_ANNOUNCE_EMPTY = -1,    /* nothing but white space */
    SPUR_ANNOUNCE_TOO_LONG = -2, /* over SPUR_ANNOUNCE_TEXT_MAX characters */
    SPUR_ANNOUNCE_CONTROL = -3,  /* a control character other than a line break */
    SPUR_ANNOUNCE_UTF8 = -4      /* not valid UTF-8 */
} spur_announce_check_t;

/* Checks and cleans an announcement's text (len bytes at in): line breaks (CR LF, CR)
 * become "\n", white space at both ends goes, then it must have 1..SPUR_ANNOUNCE_TEXT_MAX
 * characters and no control characters besides "\n". On SPUR_ANNOUNCE_OK *out is a new
 * heap string (caller frees); else *out is NULL and the code says why. */
spur_announce_check_t spur_announce_text(const char *in, size_t len, char **out);

#endif

/* Answer checking: normalisation (utf8proc) and judging an answer against a
 * puzzle. Pure C, no I/O. */
#ifndef SPUR_ANSWER_H
#define SPUR_ANSWER_H

#include <stddef.h>

#include "hunt.h"

#define SPUR_ANSWER_MAX 512 /* bytes of raw answer accepted */

/* Normalises s (len bytes of UTF-8): NFKC, case fold, ä->ae ö->oe ü->ue ß->ss,
 * other diacritics stripped, whitespace and punctuation removed.
 * Returns a new heap string (caller frees), or NULL when s is not valid UTF-8. */
char *spur_answer_normalize(const char *s, size_t len);

typedef enum {
    SPUR_VERDICT_WRONG,
    SPUR_VERDICT_CORRECT,
    SPUR_VERDICT_PARTIAL /* not counted as wrong; *message set to the keep-going text */
} spur_verdict_t;

/* Judges `answer` (raw UTF-8, len bytes) for a text, number or choice puzzle.
 * *message is set for PARTIAL (points into the puzzle, not owned). *norm_out, when not
 * NULL, receives the normalised answer (caller frees) so repeated identical wrong
 * answers can be recognised. Numbers accept a decimal comma ("3,5"). A choice is
 * answered with the option's text (compared normalised). */
spur_verdict_t spur_answer_judge(const spur_puzzle_t *p, const char *answer, size_t len,
                                 const char **message, char **norm_out);

#endif

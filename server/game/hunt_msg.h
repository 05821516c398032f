/* The hunt file's diagnostics in German. The rules, the strict JSON parser and the
 * checks around them write English only; this module translates a finished English
 * message by matching it against a table of printf-style templates and filling the
 * German template with the same arguments. One table for `spur check` (by the
 * locale) and spurd's POST /api/admin/check (by the request's language), so both say
 * the same. Pure, no state: any thread. */
#ifndef SPUR_HUNT_MSG_H
#define SPUR_HUNT_MSG_H

#include <stddef.h>

/* A template pair. Conversions: %s, %d, %u, %zu, %ld, %lld, %%; en matches each
 * conversion against one or more characters (numeric ones: digits and '-'); de may
 * reorder the arguments with %1$s, %2$s ... */
typedef struct {
    const char *en, *de;
} spur_hunt_msg_t;

/* The German text of english from the first of table[0, n) whose English template
 * matches it whole; NULL when none does. Arguments that are type names ("a string",
 * "an object" ...) are translated too. A new string the caller frees. */
char *spur_hunt_msg_match(const spur_hunt_msg_t *table, size_t n, const char *english);

/* spur_hunt_msg_match against the hunt file's table: the messages of the strict JSON
 * parser (core/json.c), the rules (game/hunt*.c), the time zone check (office/check.c)
 * and the tool's picture files (tools/media.c). NULL when none matches. */
char *spur_hunt_msg_de(const char *english);

/* english in German when german is set and a template matches, else a copy of
 * english: a new or rare message is never lost, only untranslated. A new string the
 * caller frees. */
char *spur_hunt_msg(const char *english, int german);

#endif

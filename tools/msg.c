/* The tool's language: German when the locale says so (LC_ALL, else LC_MESSAGES,
 * else LANG starting with "de"), English otherwise. The stores and the rules write
 * English only; a finished English message is translated by template (the matcher
 * and the hunt file's table are shared with spurd: server/game/hunt_msg.c), and the
 * store's messages, which only the tool shows, are in the table here. A message that
 * matches no template stays English, so a new or rare message is never lost, only
 * untranslated. Single-threaded. */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "game/hunt_msg.h"

/* Tried after the hunt file's table. Keep each English template byte for byte as in
 * the source. */
static const spur_hunt_msg_t messages[] = {
    /* the store (server/store/), as the tool passes its errors on */
    {"the database has schema version %d; this spur knows up to version %d",
     "die Datenbank hat Schema-Version %d; dieses spur kennt nur Versionen bis %d"},
    {"%s has schema version %lld; this spur knows up to %d",
     "%s hat Schema-Version %lld; dieses spur kennt nur Versionen bis %d"},
    {"%s is in use by a running spurd (or spur restore)",
     "%s wird von einem laufenden spurd (oder spur restore) benutzt"},
    {"%s is not an intact SQLite database: %s", "%s ist keine intakte SQLite-Datenbank: %s"},
    {"%s is not a spur database", "%s ist keine spur-Datenbank"},
    {"%s: cannot switch to WAL mode (journal mode is %s)",
     "%s: kann nicht in den WAL-Modus wechseln (Journal-Modus ist %s)"},
    {"hunt %s: stored secret or draw seed is damaged",
     "Rallye %s: das gespeicherte Geheimnis oder der Los-Startwert ist beschädigt"},
    {"cannot open %s: %s", "kann %s nicht öffnen: %s"},
    {"cannot lock %s: %s", "kann %s nicht sperren: %s"},
    {"backup %s does not open: %s", "die Sicherung %s lässt sich nicht öffnen: %s"},
    {"backup to %s: %s", "Sicherung nach %s: %s"},
    {"restoring %s: %s", "Wiederherstellen von %s: %s"},
    {"importing the hunt: %s", "Import der Rallye: %s"},
    {"reading the hunts: %s", "Lesen der Rallyes: %s"},
    {"reading the schema version: %s", "Lesen der Schema-Version: %s"},
    {"reading progress: %s", "Lesen des Spielstands: %s"},
    {"reading: %s", "Lesen: %s"},
    {"counting contact data: %s", "Zählen der Kontaktdaten: %s"},
    {"purging contact data: %s", "Löschen der Kontaktdaten: %s"},
    {"libsodium cannot be initialised", "libsodium lässt sich nicht starten"},
};

int spur_tool_german(void)
{
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strncmp(v, "de", 2) == 0;
    }
    return 0;
}

char *spur_tool_msg(const char *english)
{
    char *de;

    if (!spur_tool_german())
        return spur_strdup(english);
    de = spur_hunt_msg_de(english);
    if (!de)
        de = spur_hunt_msg_match(messages, sizeof messages / sizeof *messages, english);
    return de ? de : spur_strdup(english);
}

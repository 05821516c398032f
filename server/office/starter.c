/* The starter hunt that `spur new` writes and the editor's "new hunt" (POST
 * /api/admin/hunts) stores: one place, a puzzle of each common kind, a hint and a
 * prize, explained by "_" comment keys (which the loader ignores everywhere). The
 * dates are next week's, in the process's local time zone, so the file passes the
 * check as written. */
#include "starter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mem.h"

/* %1$s starts_at, %2$s ends_at, %3$s freeze_at, %4$s id and %5$s title (JSON strings) */
static const char starter_de[] =
    "{\n"
    "  \"_comment\": \"Eine Rallye zum Anpassen. Schlüssel, die mit _ beginnen, sind "
    "Kommentare: spur liest sie nicht. Prüfen mit: spur check DATEI. Alles zum Format: "
    "puzzles/README.md\",\n"
    "  \"id\": %4$s,\n"
    "  \"_id\": \"Kurzname für Adressen: nur a-z, 0-9, - und _ (keine Umlaute).\",\n"
    "  \"title\": %5$s,\n"
    "  \"intro\": \"Willkommen! Findet die Spuren in der Stadt.\",\n"
    "  \"language\": \"de\",\n"
    "  \"_times\": \"Zeiten mit Zeitzone: +02:00 im Sommer, +01:00 im Winter.\",\n"
    "  \"starts_at\": \"%1$s\",\n"
    "  \"ends_at\": \"%2$s\",\n"
    "  \"freeze_at\": \"%3$s\",\n"
    "  \"_freeze_at\": \"Ab dann ändert sich die öffentliche Rangliste nicht mehr.\",\n"
    "  \"places\": [\n"
    "    {\"_comment\": \"Ein Ort, an dem ein QR-Code hängt (spur posters druckt ihn).\",\n"
    "     \"id\": \"rathaus\", \"name\": \"Rathaus\", \"where\": \"neben der Eingangstür\",\n"
    "     \"lat\": 49.4447, \"lon\": 7.769}\n"
    "  ],\n"
    "  \"puzzles\": [\n"
    "    {\"_comment\": \"Gelöst durch Scannen des Codes am Ort.\",\n"
    "     \"id\": \"start\", \"title\": \"Das Rathaus\", \"kind\": \"scan\", \"place\": "
    "\"rathaus\",\n"
    "     \"clue\": \"Wo regiert die Stadt? Scannt dort den Code.\", \"points\": 5},\n"
    "    {\"_comment\": \"Eine Textantwort; öffnet erst, wenn \\\"start\\\" gelöst ist.\",\n"
    "     \"id\": \"baecker\", \"title\": \"Die Gasse\", \"points\": 10, \"requires\": "
    "[\"start\"],\n"
    "     \"clue\": \"Hier buken früher die Bäcker. Wie heißt die Straße?\",\n"
    "     \"answer\": {\"accept\": [\"Bäckerstraße\", \"Bäckerstr.\"],\n"
    "                \"partial\": {\"Bäcker\": \"Fast! Bäcker… und dann?\"}},\n"
    "     \"hints\": [{\"text\": \"Bäcker + Straße\", \"cost\": 3}]},\n"
    "    {\"_comment\": \"Eine Zahl; tolerance ist die erlaubte Abweichung.\",\n"
    "     \"id\": \"stufen\", \"title\": \"Stufen\", \"points\": 8,\n"
    "     \"clue\": \"Wie viele Stufen hat die Rathaustreppe?\",\n"
    "     \"answer\": {\"number\": 42, \"tolerance\": 1}},\n"
    "    {\"_comment\": \"Auswahl; correct zählt ab 0, hier also \\\"grün\\\".\",\n"
    "     \"id\": \"farbe\", \"title\": \"Farbe\", \"points\": 4,\n"
    "     \"clue\": \"Welche Farbe hat das Tor?\",\n"
    "     \"answer\": {\"choices\": [\"rot\", \"grün\", \"blau\"], \"correct\": 1}}\n"
    "  ],\n"
    "  \"prizes\": [\n"
    "    {\"_comment\": \"Nach dem Ende verlost: spur draw.\",\n"
    "     \"id\": \"hauptpreis\", \"name\": \"Picknickkorb\", \"count\": 1, \"reserves\": 2, "
    "\"eligible\": \"all\"}\n"
    "  ]\n"
    "}\n";

static const char starter_en[] =
    "{\n"
    "  \"_comment\": \"A hunt to adapt. Keys starting with _ are comments: spur does not read "
    "them. Check with: spur check FILE. The whole format: puzzles/README.md\",\n"
    "  \"id\": %4$s,\n"
    "  \"_id\": \"Short name used in addresses: only a-z, 0-9, - and _.\",\n"
    "  \"title\": %5$s,\n"
    "  \"intro\": \"Welcome! Find the clues around town.\",\n"
    "  \"language\": \"en\",\n"
    "  \"_times\": \"Times with their offset from UTC, e.g. +02:00 or Z.\",\n"
    "  \"starts_at\": \"%1$s\",\n"
    "  \"ends_at\": \"%2$s\",\n"
    "  \"freeze_at\": \"%3$s\",\n"
    "  \"_freeze_at\": \"From then on the public leaderboard stops changing.\",\n"
    "  \"places\": [\n"
    "    {\"_comment\": \"A place where a QR code hangs (spur posters prints it).\",\n"
    "     \"id\": \"town-hall\", \"name\": \"Town hall\", \"where\": \"beside the main door\",\n"
    "     \"lat\": 51.5072, \"lon\": -0.1276}\n"
    "  ],\n"
    "  \"puzzles\": [\n"
    "    {\"_comment\": \"Solved by scanning the code at the place.\",\n"
    "     \"id\": \"start\", \"title\": \"The town hall\", \"kind\": \"scan\", \"place\": "
    "\"town-hall\",\n"
    "     \"clue\": \"Where is the town governed? Scan the code there.\", \"points\": 5},\n"
    "    {\"_comment\": \"A text answer; opens once \\\"start\\\" is solved.\",\n"
    "     \"id\": \"bakers\", \"title\": \"The lane\", \"points\": 10, \"requires\": "
    "[\"start\"],\n"
    "     \"clue\": \"Bakers used to work here. What is the street called?\",\n"
    "     \"answer\": {\"accept\": [\"Baker Street\", \"Baker St\"],\n"
    "                \"partial\": {\"Baker\": \"Close! Baker… what?\"}},\n"
    "     \"hints\": [{\"text\": \"Baker + Street\", \"cost\": 3}]},\n"
    "    {\"_comment\": \"A number; tolerance is how far off an answer may be.\",\n"
    "     \"id\": \"steps\", \"title\": \"Steps\", \"points\": 8,\n"
    "     \"clue\": \"How many steps lead up to the town hall?\",\n"
    "     \"answer\": {\"number\": 42, \"tolerance\": 1}},\n"
    "    {\"_comment\": \"A choice; correct counts from 0, so this is \\\"green\\\".\",\n"
    "     \"id\": \"colour\", \"title\": \"Colour\", \"points\": 4,\n"
    "     \"clue\": \"What colour is the gate?\",\n"
    "     \"answer\": {\"choices\": [\"red\", \"green\", \"blue\"], \"correct\": 1}}\n"
    "  ],\n"
    "  \"prizes\": [\n"
    "    {\"_comment\": \"Drawn after the end: spur draw.\",\n"
    "     \"id\": \"main-prize\", \"name\": \"Picnic basket\", \"count\": 1, \"reserves\": 2, "
    "\"eligible\": \"all\"}\n"
    "  ]\n"
    "}\n";

/* RFC 3339 local time of day `days` from today at hour:minute, with the zone offset. */
static void local_time(int days, int hour, int minute, char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    char off[8];

    localtime_r(&now, &tm);
    tm.tm_mday += days;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = 0;
    tm.tm_isdst = -1;
    now = mktime(&tm); /* normalises the date and finds the offset of that day */
    localtime_r(&now, &tm);
    if (tm.tm_gmtoff == 0) {
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return;
    }
    strftime(off, sizeof off, "%z", &tm); /* "+0200" */
    snprintf(out + strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm), 12, "%.3s:%.2s", off, off + 3);
}

char *spur_starter_text(int german, const char *id, const char *title)
{
    char starts[32], ends[32], freeze[32];
    spur_buf_t jid = {0}, jtitle = {0};
    char *text;

    local_time(7, 10, 0, starts);
    local_time(21, 18, 0, ends);
    local_time(21, 17, 0, freeze);
    spur_buf_json_str(&jid, id ? id : german ? "meine-rallye" : "my-hunt");
    spur_buf_json_str(&jtitle, title ? title : german ? "Unsere Stadtrallye" : "Our city hunt");
    text = spur_asprintf(german ? starter_de : starter_en, starts, ends, freeze, jid.data,
                         jtitle.data);
    spur_buf_free(&jid);
    spur_buf_free(&jtitle);
    return text;
}

/* German for the hunt file's English diagnostics (hunt_msg.h): the template table and
 * the matcher. Keep each English template byte for byte as in its source (json.c,
 * hunt*.c, office/check.c, tools/media.c); a specific template goes before a general
 * one it would also match, since the first match wins. */
#include "hunt_msg.h"

#include <string.h>

#include "core/mem.h"

#define MAX_ARGS 4

/* The frequent ones. */
static const spur_hunt_msg_t messages[] = {
    /* strict JSON */
    {"expected a string key", "hier wird ein Schlüssel in Anführungszeichen erwartet"},
    {"duplicate key in object", "doppelter Schlüssel im Objekt"},
    {"unexpected end of input", "unerwartetes Dateiende (fehlt eine Klammer?)"},
    {"trailing bytes after the JSON value", "Text nach dem Ende des JSON-Werts"},
    {"expected ',' or '}'", "hier wird ',' oder '}' erwartet"},
    {"expected ',' or ']'", "hier wird ',' oder ']' erwartet"},
    {"expected ':'", "hier wird ':' erwartet"},
    {"unterminated string", "Text ohne schließendes Anführungszeichen"},
    {"raw control character in string (escape it)",
     "Steuerzeichen im Text (mit \\ maskieren; steht ein Anführungszeichen zu wenig da?)"},
    {"empty input (no JSON value)", "leere Datei (kein JSON)"},
    {"invalid number", "ungültige Zahl"},
    {"unexpected character", "unerwartetes Zeichen"},
    {"byte order mark is not allowed", "Byte-Order-Mark am Dateianfang ist nicht erlaubt"},
    /* contact and branding */
    {"\"ask\" must be \"optional\", not \"%s\"", "\"ask\" muss \"optional\" sein, nicht \"%s\""},
    {"\"label\" has at most %d bytes", "\"label\" hat höchstens %d Bytes"},
    {"\"privacy\" has at most %d bytes", "\"privacy\" hat höchstens %d Bytes"},
    {"\"organizer\" has at most %d bytes", "\"organizer\" hat höchstens %d Bytes"},
    {"\"footer\" has at most %d bytes", "\"footer\" hat höchstens %d Bytes"},
    {"\"intro\" has at most %d bytes", "\"intro\" hat höchstens %d Bytes"},
    {"\"outro\" has at most %d bytes", "\"outro\" hat höchstens %d Bytes"},
    {"\"accent\" %s is too light for white text on it (%s:1, 4.5:1 is needed); the app keeps "
     "its own colour",
     "\"accent\" %s ist zu hell für weiße Schrift darauf (%s:1, nötig sind 4,5:1); die App "
     "behält ihre eigene Farbe"},
    {"\"accent\" is a colour like \"#1f6f43\", not \"%s\"",
     "\"accent\" ist eine Farbe wie \"#1f6f43\", nicht \"%s\""},
    /* pictures (server/game/hunt_read.c, tools/media.c) */
    {"a picture needs \"alt\": a short description of what it shows, read out to people who "
     "cannot see it",
     "ein Bild braucht \"alt\": eine kurze Beschreibung, was es zeigt; sie wird Menschen "
     "vorgelesen, die es nicht sehen können"},
    {"\"alt\" has at most %d bytes", "\"alt\" hat höchstens %d Bytes"},
    {"\"tiles\" is an https address with {z}, {x} and {y}, like \"%s\"",
     "\"tiles\" ist eine https-Adresse mit {z}, {x} und {y}, etwa \"%s\""},
    {"\"attribution\" has at most %d bytes", "\"attribution\" hat höchstens %d Bytes"},
    {"tiles without \"attribution\": most tile servers require their credit line on the map",
     "\"tiles\" ohne \"attribution\": die meisten Kartenserver verlangen ihren Hinweis auf der "
     "Karte"},
    {"\"file\" names the picture in 1 to %d bytes",
     "\"file\" nennt die Bilddatei mit 1 bis %d Bytes"},
    {"\"file\" is a path relative to the hunt file with / between folders, like "
     "\"bilder/rathaus.jpg\"",
     "\"file\" ist ein Pfad relativ zur Rallye-Datei, mit / zwischen Ordnern, etwa "
     "\"bilder/rathaus.jpg\""},
    {"the picture \"%s\" is not uploaded yet: upload it in the editor (or import the hunt "
     "with spur import)",
     "das Bild \"%s\" ist noch nicht hochgeladen: bitte im Editor hochladen (oder die Rallye "
     "mit spur import einlesen)"},
    /* the editor's save (server/api/source.c) */
    {"the id cannot change here: this is the hunt \"%s\"",
     "die id lässt sich hier nicht ändern: das ist die Rallye \"%s\""},
    {"picture file \"%s\" not found (looked for %s)",
     "Bilddatei \"%s\" nicht gefunden (gesucht: %s)"},
    {"the picture \"%s\" has %s MB; at most %u MB (make it smaller, for example 2000 pixels "
     "wide)",
     "das Bild \"%s\" hat %s MB; höchstens %u MB (bitte verkleinern, etwa auf 2000 Pixel "
     "Breite)"},
    {"\"%s\" is not a picture (JPEG, PNG, WebP, GIF, TIFF or HEIC)",
     "\"%s\" ist kein Bild (JPEG, PNG, WebP, GIF, TIFF oder HEIC)"},
    {"\"%s\" has %d x %d pixels; at most %d million are read",
     "\"%s\" hat %d x %d Pixel; gelesen werden höchstens %d Millionen"},
    {"\"%s\" cannot be read as a picture (damaged?): %s",
     "\"%s\" lässt sich nicht als Bild lesen (beschädigt?): %s"},
    {"libvips cannot start, so \"%s\" cannot be read",
     "libvips startet nicht, daher kann \"%s\" nicht gelesen werden"},
    {"the pictures together take %s MB after scaling; at most %u MB (use fewer pictures)",
     "die Bilder brauchen zusammen %s MB nach dem Verkleinern; höchstens %u MB (weniger Bilder "
     "verwenden)"},
    /* keys and types (a specific template before the general one it would also match) */
    {"\"time_zone\" must be a time zone name such as \"Europe/Berlin\", not \"%s\"",
     "\"time_zone\" muss der Name einer Zeitzone wie \"Europe/Berlin\" sein, nicht \"%s\""},
    {"missing required key \"%s\"", "Pflichtangabe \"%s\" fehlt"},
    {"unknown key \"%s\"; did you mean \"%s\"?",
     "unbekannter Schlüssel \"%s\"; meinten Sie \"%s\"?"},
    {"unknown key \"%s\"", "unbekannter Schlüssel \"%s\""},
    {"\"%s\" must be %s, not %s", "\"%s\" muss %s sein, nicht %s"},
    {"\"%s\" must not be empty", "\"%s\" darf nicht leer sein"},
    {"\"%s\" must be between %d and %d", "\"%s\" muss zwischen %d und %d liegen"},
    {"\"%s\" must be at least %d", "\"%s\" muss mindestens %d sein"},
    {"\"%s\" is not an RFC 3339 time such as \"2026-06-18T10:00:00+02:00\"",
     "\"%s\" ist keine Zeitangabe wie \"2026-06-18T10:00:00+02:00\" (RFC 3339)"},
    {"\"id\" must be 1 to %d characters of a-z, 0-9, \"_\" and \"-\", starting with a letter "
     "or digit",
     "\"id\" muss aus 1 bis %d Zeichen a-z, 0-9, \"_\" und \"-\" bestehen und mit einem "
     "Buchstaben oder einer Ziffer beginnen (keine Großbuchstaben, keine Umlaute)"},
    {"\"language\" must be \"de\" or \"en\", not \"%s\"",
     "\"language\" muss \"de\" oder \"en\" sein, nicht \"%s\""},
    /* times */
    {"\"ends_at\" must be after \"starts_at\"", "\"ends_at\" muss nach \"starts_at\" liegen"},
    {"\"freeze_at\" must be between \"starts_at\" and \"ends_at\"",
     "\"freeze_at\" muss zwischen \"starts_at\" und \"ends_at\" liegen"},
    {"\"opens_at\" is after \"ends_at\": the puzzle never opens",
     "\"opens_at\" liegt nach \"ends_at\": das Rätsel öffnet nie"},
    /* ids and references */
    {"duplicate puzzle id \"%s\" (also puzzles[%zu])",
     "Rätsel-id \"%s\" kommt doppelt vor (auch puzzles[%zu])"},
    {"duplicate place id \"%s\" (also places[%zu])",
     "Orts-id \"%s\" kommt doppelt vor (auch places[%zu])"},
    {"duplicate prize id \"%s\" (also prizes[%zu])",
     "Preis-id \"%s\" kommt doppelt vor (auch prizes[%zu])"},
    {"unknown place \"%s\"; did you mean \"%s\"?", "unbekannter Ort \"%s\"; meinten Sie \"%s\"?"},
    {"unknown place \"%s\"", "unbekannter Ort \"%s\""},
    {"requires unknown puzzle \"%s\"; did you mean \"%s\"?",
     "setzt das unbekannte Rätsel \"%s\" voraus; meinten Sie \"%s\"?"},
    {"requires unknown puzzle \"%s\"", "setzt das unbekannte Rätsel \"%s\" voraus"},
    {"\"requires\" forms a cycle: %s", "\"requires\" bildet einen Kreis: %s"},
    {"puzzle \"%s\" requires itself", "Rätsel \"%s\" setzt sich selbst voraus"},
    {"requires \"%s\", which never opens: no team can reach puzzle \"%s\"",
     "setzt \"%s\" voraus, das nie öffnet: kein Team kann Rätsel \"%s\" erreichen"},
    {"place \"%s\" is not used by any puzzle", "Ort \"%s\" wird von keinem Rätsel benutzt"},
    {"the hunt has no puzzles", "die Rallye hat keine Rätsel"},
    /* puzzles and answers */
    {"a scan puzzle needs a \"place\"", "ein Scan-Rätsel braucht einen Ort (\"place\")"},
    {"a scan puzzle is solved by scanning its place; it has no \"answer\"",
     "ein Scan-Rätsel wird durch Scannen an seinem Ort gelöst; es hat keine \"answer\""},
    {"missing required key \"answer\" (only \"scan\", \"checkin\" and \"photo\" puzzles have "
     "none)",
     "Pflichtangabe \"answer\" fehlt (nur \"scan\"-, \"checkin\"- und \"photo\"-Rätsel haben "
     "keine)"},
    {"unknown kind \"%s\" (use \"scan\", \"checkin\", \"photo\", or \"text\", \"number\", "
     "\"choice\" to match the answer)",
     "unbekannte Art \"%s\" (\"scan\", \"checkin\", \"photo\" oder passend zur Antwort "
     "\"text\", \"number\", \"choice\")"},
    {"a photo puzzle is solved by a photo; it has no \"answer\"",
     "ein Foto-Rätsel wird durch ein Foto gelöst; es hat keine \"answer\""},
    {"only a photo puzzle (\"kind\": \"photo\") has a \"review\"",
     "nur ein Foto-Rätsel (\"kind\": \"photo\") hat ein \"review\""},
    {"\"review\" is \"staff\" or \"auto\", not \"%s\"",
     "\"review\" ist \"staff\" oder \"auto\", nicht \"%s\""},
    {"\"photo_consent\" has at most %d bytes", "\"photo_consent\" hat höchstens %d Bytes"},
    {"photo puzzles without \"photo_consent\": the app shows its own short notice before the "
     "first upload",
     "Foto-Rätsel ohne \"photo_consent\": die App zeigt vor dem ersten Foto ihren eigenen kurzen "
     "Hinweis"},
    {"staff review photos until \"ends_at\" plus \"late_sync_grace\" (%d s here): a longer "
     "\"late_sync_grace\" (e.g. 3600) leaves time to review the last ones",
     "Fotos werden bis \"ends_at\" plus \"late_sync_grace\" geprüft (hier %d s): ein längeres "
     "\"late_sync_grace\" (etwa 3600) lässt Zeit für die letzten"},
    {"a check-in puzzle needs a \"place\"", "ein Check-in-Rätsel braucht einen Ort (\"place\")"},
    {"a check-in puzzle's place needs \"lat\" and \"lon\": place \"%s\" has none",
     "der Ort eines Check-in-Rätsels braucht \"lat\" und \"lon\": Ort \"%s\" hat keine"},
    {"a check-in puzzle is solved at its place (position, code or scan); it has no \"answer\"",
     "ein Check-in-Rätsel wird an seinem Ort gelöst (Standort, Code oder Scan); es hat keine "
     "\"answer\""},
    {"only a check-in puzzle (\"kind\": \"checkin\") has a \"radius\"",
     "nur ein Check-in-Rätsel (\"kind\": \"checkin\") hat einen \"radius\""},
    {"\"answer\" needs \"accept\", \"number\" or \"choices\"",
     "\"answer\" braucht \"accept\", \"number\" oder \"choices\""},
    {"\"answer\" mixes kinds: \"accept\"/\"partial\" are for text, \"number\"/\"tolerance\" for "
     "numbers, \"choices\"/\"correct\" for choices",
     "\"answer\" mischt Arten: \"accept\"/\"partial\" sind für Text, \"number\"/\"tolerance\" "
     "für Zahlen, \"choices\"/\"correct\" für Auswahl"},
    {"\"kind\" is \"%s\" but the answer is of kind \"%s\"",
     "\"kind\" ist \"%s\", aber die Antwort ist von der Art \"%s\""},
    {"a text answer needs \"accept\" with at least one answer",
     "eine Textantwort braucht \"accept\" mit mindestens einer Antwort"},
    {"\"accept\" needs at least one answer", "\"accept\" braucht mindestens eine Antwort"},
    {"answer \"%s\" is empty after normalisation (only letters and digits count)",
     "Antwort \"%s\" ist nach dem Vereinheitlichen leer (nur Buchstaben und Ziffern zählen)"},
    {"puzzle \"%s\": the answers \"%s\" and \"%s\" are the same after normalisation",
     "Rätsel \"%s\": die Antworten \"%s\" und \"%s\" sind nach dem Vereinheitlichen gleich"},
    {"\"tolerance\" must not be negative", "\"tolerance\" darf nicht negativ sein"},
    {"\"choices\" needs at least one choice", "\"choices\" braucht mindestens eine Auswahl"},
    {"choice \"%s\" is the same answer as choices[%zu]",
     "Auswahl \"%s\" ist dieselbe Antwort wie choices[%zu]"},
    {"\"correct\" is %d but the choices are numbered 0 to %zu",
     "\"correct\" ist %d, aber die Auswahl ist von 0 bis %zu nummeriert"},
    {"the hints cost %ld points, more than the puzzle's %d",
     "die Tipps kosten %ld Punkte, mehr als das Rätsel bringt (%d)"},
    /* prizes */
    {"\"min_score\" %d is above the highest possible score (%ld)",
     "\"min_score\" %d liegt über der höchstmöglichen Punktzahl (%ld)"},
    {"no team can finish a hunt without puzzles",
     "ohne Rätsel kann kein Team die Rallye vollständig lösen"},
    {"no team can finish: puzzle \"%s\" never opens",
     "kein Team kann alles lösen: Rätsel \"%s\" öffnet nie"},
    {"no team can score a point in this hunt, so no team can win this prize (\"eligible\" "
     "\"all\" means every team that scored)",
     "in dieser Rallye kann kein Team Punkte machen, also kann niemand diesen Preis gewinnen "
     "(\"eligible\" \"all\" heißt: jedes Team mit Punkten)"},
    {"\"reserves\" has no effect when \"count\" is \"all\"",
     "\"reserves\" wirkt nicht, wenn \"count\" \"all\" ist"},
    {"\"count\" must be a number of winners or \"all\"",
     "\"count\" muss eine Zahl von Gewinnern oder \"all\" sein"},
    {"a place gives both \"lat\" and \"lon\" or neither",
     "ein Ort hat entweder \"lat\" und \"lon\" oder keins von beiden"},
    {"a hunt file must be a JSON object", "eine Rallye-Datei muss ein JSON-Objekt {...} sein"},
    /* the time zone (hunt_read.c, office/check.c) */
    {"unknown time zone \"%s\" (no %s/%s; is the tzdata package installed?)",
     "unbekannte Zeitzone \"%s\" (es gibt kein %s/%s; ist das Paket tzdata installiert?)"},
    {"time zone \"%s\" cannot be read from %s/%s: %s",
     "Zeitzone \"%s\" ist in %s/%s nicht lesbar: %s"},
};

/* Type names and other words that arrive as arguments. */
static const spur_hunt_msg_t words[] = {
    {"a string", "ein Text"},
    {"a number", "eine Zahl"},
    {"an integer", "eine ganze Zahl"},
    {"a boolean", "ein Wahrheitswert"},
    {"an array", "eine Liste [...]"},
    {"an object", "ein Objekt {...}"},
    {"an RFC 3339 time string", "eine Zeitangabe als Text"},
};

/* Length of the conversion at t (t[0] == '%'): "%s", "%d", "%zu", "%ld", "%%". */
static size_t spec_len(const char *t)
{
    size_t n = 1;
    while (t[n] == 'z' || t[n] == 'l')
        n++;
    return t[n] ? n + 1 : n;
}

/* Does text match template t? Each conversion matches one or more characters
 * (numbers: digits and '-'); the spans go into args. Backtracks, so a quoted %s
 * may itself hold quotes. */
static int match(const char *t, const char *text, const char **args, size_t *lens, size_t nargs)
{
    while (*t && !(t[0] == '%' && t[1] != '%')) {
        if (t[0] == '%') /* "%%" */
            t++;
        if (*t != *text)
            return 0;
        t++, text++;
    }
    if (!*t)
        return !*text;
    if (nargs == MAX_ARGS)
        return 0;
    size_t sl = spec_len(t);
    int numeric = t[sl - 1] != 's';
    for (size_t n = 1; text[n - 1]; n++) {
        if (numeric && !((text[n - 1] >= '0' && text[n - 1] <= '9') || text[n - 1] == '-'))
            break;
        args[nargs] = text;
        lens[nargs] = n;
        if (match(t + sl, text + n, args, lens, nargs + 1))
            return 1;
    }
    return 0;
}

static size_t count_specs(const char *t)
{
    size_t n = 0;
    for (; *t; t++)
        if (t[0] == '%') {
            if (t[1] == '%')
                t++;
            else
                n++;
        }
    return n;
}

static void put_arg(spur_buf_t *b, const char *arg, size_t len)
{
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strlen(words[i].en) == len && memcmp(words[i].en, arg, len) == 0) {
            spur_buf_puts(b, words[i].de);
            return;
        }
    spur_buf_append(b, arg, len);
}

/* Writes template de with the arguments, in order or as %N$. */
static char *fill(const char *de, const char **args, const size_t *lens, size_t nargs)
{
    spur_buf_t b = {0};
    size_t next = 0;
    for (const char *t = de; *t;) {
        if (t[0] != '%') {
            spur_buf_append(&b, t++, 1);
            continue;
        }
        if (t[1] == '%') {
            spur_buf_append(&b, "%", 1);
            t += 2;
            continue;
        }
        size_t idx = next++;
        if (t[1] >= '1' && t[1] <= '9' && t[2] == '$') {
            idx = (size_t)(t[1] - '1');
            t += 2;
        }
        if (idx < nargs)
            put_arg(&b, args[idx], lens[idx]);
        t += spec_len(t);
    }
    spur_buf_append(&b, "", 0);
    return spur_buf_steal(&b, NULL);
}

char *spur_hunt_msg_match(const spur_hunt_msg_t *table, size_t n, const char *english)
{
    const char *args[MAX_ARGS];
    size_t lens[MAX_ARGS];

    for (size_t i = 0; i < n; i++) {
        const spur_hunt_msg_t *m = &table[i];
        size_t nargs = count_specs(m->en);
        if (nargs <= MAX_ARGS && nargs == count_specs(m->de) &&
            match(m->en, english, args, lens, 0))
            return fill(m->de, args, lens, nargs);
    }
    return NULL;
}

char *spur_hunt_msg_de(const char *english)
{
    return spur_hunt_msg_match(messages, sizeof messages / sizeof *messages, english);
}

char *spur_hunt_msg(const char *english, int german)
{
    char *de = german ? spur_hunt_msg_de(english) : NULL;
    return de ? de : spur_strdup(english);
}

/* `spur`: the organizers' and staff's command-line tool. One binary with git-style
 * subcommands; this file holds the command table, the help texts and the dispatch.
 * Every command answers --help; commands not built yet still have their help and
 * exit 2 when run. Exit codes: 0 ok, 1 the hunt file has errors, 2 usage or runtime
 * error. Errors go to stderr as "spur: ...". Help and messages are German or English
 * by the locale (spur_tool_german), like every message of the tool. */
#include <assert.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

static const spur_tool_cmd_t commands[] = {
    {"check", "spur check FILE", "validate a hunt file",
     "Reads FILE, checks that it is strict JSON and a valid hunt, and prints every\n"
     "problem at once, sorted by position, as FILE:LINE:COL: error: message (or\n"
     "warning:), pointing at the offending value, then a summary such as\n"
     "\"2 errors, 1 warning\". A problem that cannot be placed in the file is printed\n"
     "as FILE: error: at PATH: message. Errors make the hunt unusable; warnings\n"
     "(a place no puzzle uses, a puzzle no team can reach) do not.\n"
     "A \"time_zone\" must exist in the system's time zones (package tzdata).\n"
     "Every picture (\"image\", \"branding\".\"logo\") is read from its file, relative\n"
     "to FILE's folder: a missing, damaged or too big file (over 10 MB) is an error.\n"
     "Prints \"FILE: ok (N puzzles, M places)\" when there is no error.\n"
     "Messages are German when LC_ALL, LC_MESSAGES or LANG starts with \"de\".\n"
     "Keys starting with \"_\" are comments and ignored.\n"
     "Exit status: 0 valid (warnings allowed), 1 errors found, 2 file unreadable.",
     spur_cmd_check, 0, "eine Rallye-Datei prüfen",
     "Liest DATEI, prüft, dass sie striktes JSON und eine gültige Rallye ist, und nennt\n"
     "alle Probleme auf einmal, nach Stelle sortiert, als DATEI:ZEILE:SPALTE: Fehler:\n"
     "Meldung (oder Warnung:), mit Zeiger auf den betroffenen Wert, danach eine\n"
     "Zusammenfassung wie \"2 Fehler, 1 Warnung\". Ein Problem ohne Stelle in der Datei\n"
     "erscheint als DATEI: Fehler: bei PFAD: Meldung. Fehler machen die Rallye unbrauchbar,\n"
     "Warnungen (ein Ort ohne Rätsel, ein Rätsel, das kein Team erreicht) nicht.\n"
     "Eine \"time_zone\" muss es in den Zeitzonen des Systems (Paket tzdata) geben.\n"
     "Jedes Bild (\"image\", \"branding\".\"logo\") wird aus seiner Datei gelesen, relativ\n"
     "zum Ordner von DATEI: fehlt sie, ist sie beschädigt oder größer als 10 MB, ist das\n"
     "ein Fehler.\n"
     "Ohne Fehler: \"DATEI: in Ordnung (N Rätsel, M Orte)\".\n"
     "Meldungen auf Deutsch, wenn LC_ALL, LC_MESSAGES oder LANG mit \"de\" beginnt.\n"
     "Schlüssel, die mit \"_\" beginnen, sind Kommentare und werden nicht gelesen.\n"
     "Rückgabewert: 0 gültig (Warnungen erlaubt), 1 Fehler gefunden, 2 Datei nicht lesbar."},
    {"new", "spur new [FILE]", "write a starter hunt file to edit",
     "Writes a small, valid hunt to FILE (or to standard output): one place, a\n"
     "puzzle of each kind, a hint and a prize, with \"_comment\" keys explaining\n"
     "them and dates next week. German when the locale is German, else English.\n"
     "An existing FILE is never overwritten.\n"
     "Exit status: 0 written, 2 FILE exists or cannot be written.",
     spur_cmd_new, 0, "eine Rallye-Vorlage zum Anpassen schreiben",
     "Schreibt eine kleine, gültige Rallye nach DATEI (oder auf die Standardausgabe):\n"
     "einen Ort, ein Rätsel jeder Art, einen Tipp und einen Preis, mit \"_comment\"-\n"
     "Schlüsseln, die alles erklären, und Terminen in der nächsten Woche. Deutsch bei\n"
     "deutscher Spracheinstellung, sonst Englisch. Eine vorhandene DATEI wird nie\n"
     "überschrieben.\n"
     "Rückgabewert: 0 geschrieben, 2 DATEI gibt es schon oder ist nicht schreibbar."},
    {"import", "spur import FILE --db PATH [--dry-run]", "validate and load or update a hunt",
     "Validates FILE like `spur check` and stores it in the database PATH (created\n"
     "when missing), then prints the hunt id. Importing a hunt with an id that is\n"
     "already stored updates it: its secret (so its QR and short codes), its draw\n"
     "seed and the teams' progress are kept. A puzzle that is removed keeps its\n"
     "solves in the history but no longer counts in scores. A running spurd picks\n"
     "up the change on SIGHUP (kill -HUP PID) or when restarted.\n"
     "Pictures are stored with the hunt as copies for phones: at most 1280 pixels,\n"
     "upright, JPEG (WebP with transparency), without EXIF, GPS or other metadata.\n"
     "  --db PATH    the database file (required)\n"
     "  --dry-run    change nothing; list what differs from the stored version:\n"
     "               title and time changes, puzzles, places and prizes added,\n"
     "               removed or changed (with the keys that changed), and a\n"
     "               warning for each removed puzzle that teams have solved\n"
     "Exit status: 0 imported, 1 the file has errors, 2 usage or database error.",
     spur_cmd_import, 0, "eine Rallye prüfen und laden oder aktualisieren",
     "Prüft DATEI wie `spur check` und speichert sie in der Datenbank PFAD (wird bei\n"
     "Bedarf angelegt), dann gibt es die id der Rallye aus. Eine Rallye mit einer schon\n"
     "gespeicherten id wird aktualisiert: ihr Geheimnis (also ihre QR- und Kurzcodes),\n"
     "ihr Los-Startwert und der Spielstand der Teams bleiben. Ein entferntes Rätsel\n"
     "behält seine Lösungen in der Historie, zählt aber nicht mehr. Ein laufender spurd\n"
     "übernimmt die Änderung bei SIGHUP (kill -HUP PID) oder beim Neustart.\n"
     "Bilder werden als Kopien fürs Handy mit gespeichert: höchstens 1280 Pixel,\n"
     "aufrecht, JPEG (WebP bei Transparenz), ohne EXIF, GPS und andere Metadaten.\n"
     "  --db PFAD    die Datenbankdatei (Pflicht)\n"
     "  --dry-run    nichts ändern; zeigen, was sich gegenüber der gespeicherten Fassung\n"
     "               ändert: Titel und Zeiten, hinzugefügte, entfernte und geänderte\n"
     "               Rätsel, Orte und Preise (mit den geänderten Schlüsseln), und eine\n"
     "               Warnung für jedes entfernte Rätsel, das Teams gelöst haben\n"
     "Rückgabewert: 0 importiert, 1 die Datei hat Fehler, 2 Aufruf- oder Datenbankfehler."},
    {"qr",
     "spur qr --db PATH --hunt ID [--place ID] [--format text|svg|png] [--out DIR] "
     "[--ec L|M|Q|H] [--size PX] [--base-url URL] [--terminal]",
     "print or write the QR codes and short codes of a hunt's places",
     "For every place of hunt ID (or only --place ID):\n"
     "  --format text  (the default) one tab-separated line: place id, scan URL\n"
     "                 <base>/s/<token>, and the printed short code ABCD-EFGH;\n"
     "                 --terminal also draws each QR code with Unicode blocks\n"
     "  --format svg   writes DIR/<place>.svg, and DIR/join.svg with the link that\n"
     "  --format png   opens the hunt (<base>/?hunt=ID); prints each file's path\n"
     "  --out DIR      where files go (created when missing; default: the current directory)\n"
     "  --ec L|M|Q|H   error correction level of files (default M; Q or H survive\n"
     "                 dirt and scratches better but make denser codes)\n"
     "  --size PX      PNG width in pixels (default 600, whole pixels per module);\n"
     "                 for SVG the printed width (default: scales freely)\n"
     "  --base-url URL the server's public address (default http://127.0.0.1:8080)\n"
     "Every place is listed, also those with only check-in puzzles (that `spur posters`\n"
     "leaves out by default): their code solves them on phones without GPS.\n"
     "Files have a quiet zone of 4 modules. For printed posters use `spur posters`.\n"
     "  spur qr --url URL [--terminal | --format svg|png]   any URL (file: qr.svg)",
     spur_cmd_qr, 0, "QR-Codes und Kurzcodes der Orte einer Rallye ausgeben oder schreiben",
     "Für jeden Ort der Rallye ID (oder nur --place ID):\n"
     "  --format text  (Vorgabe) eine Zeile mit Tabulatoren: Orts-id, Scan-Adresse\n"
     "                 <basis>/s/<token> und der gedruckte Kurzcode ABCD-EFGH;\n"
     "                 --terminal zeichnet jeden QR-Code zusätzlich mit Unicode-Blöcken\n"
     "  --format svg   schreibt VERZ/<ort>.svg, dazu VERZ/join.svg mit dem Link, der die\n"
     "  --format png   Rallye öffnet (<basis>/?hunt=ID); gibt den Pfad jeder Datei aus\n"
     "  --out VERZ     wohin die Dateien kommen (wird angelegt; Vorgabe: aktuelles Verzeichnis)\n"
     "  --ec L|M|Q|H   Fehlerkorrektur der Dateien (Vorgabe M; Q oder H überstehen Schmutz\n"
     "                 und Kratzer besser, ergeben aber dichtere Codes)\n"
     "  --size PX      PNG-Breite in Pixeln (Vorgabe 600, ganze Pixel je Modul);\n"
     "                 bei SVG die gedruckte Breite (Vorgabe: frei skalierbar)\n"
     "  --base-url URL die öffentliche Adresse des Servers (Vorgabe http://127.0.0.1:8080)\n"
     "Jeder Ort steht da, auch die nur mit Check-in-Aufgaben (die `spur posters`\n"
     "sonst auslässt): ihr Code löst sie auf Handys ohne GPS.\n"
     "Dateien haben eine Ruhezone von 4 Modulen. Für Aushänge: `spur posters`.\n"
     "  spur qr --url URL [--terminal | --format svg|png]   beliebige Adresse (Datei: qr.svg)"},
    {"posters",
     "spur posters --db PATH --hunt ID -o FILE.pdf [--place ID]... [--checkin-places] "
     "[--flyer] [--base-url URL] [--ec M|Q|H]",
     "write a printable PDF with one poster per place, or the flyer",
     "Writes FILE.pdf (A4) with one page per place of hunt ID: the hunt title (and its\n"
     "organizer) in a band of the branding colour, the place's name and where, a QR\n"
     "code 13 cm wide encoding <base>/s/<token>, the short code in large letters, in\n"
     "the hunt's language that a phone camera is enough (no app), the address to type\n"
     "the code at, the end date and time in its time zone, and the branding footer.\n"
     "A place whose puzzles are all check-ins (solved by the phone's position) gets no\n"
     "poster unless asked for; stderr says how many were left out.\n"
     "  --place ID     only this place's poster (repeatable), check-in places too\n"
     "  --checkin-places  also the places with only check-in puzzles (their code is the\n"
     "                 fallback for phones without GPS)\n"
     "  --flyer        instead: an A4 flyer (title, dates, intro, three steps to play, a\n"
     "                 QR code that opens the hunt) and a page of four A6 cards to cut\n"
     "  --base-url URL the server's public address (default http://127.0.0.1:8080);\n"
     "                 use the real one, the codes cannot be changed once printed\n"
     "  --ec M|Q|H     error correction (default Q: a poster survives some dirt)\n"
     "Exit status: 0 written, 2 usage, database or write error.",
     spur_cmd_posters, 0,
     "ein druckfertiges PDF mit einem Aushang je Ort schreiben, oder den Flyer",
     "Schreibt DATEI.pdf (A4) mit einer Seite je Ort der Rallye ID: Titel der Rallye\n"
     "(und Veranstalter) in einem Band in der Farbe des Brandings, Name und Lage des\n"
     "Orts, ein 13 cm breiter QR-Code mit <basis>/s/<token>, der Kurzcode in großen\n"
     "Buchstaben, in der Sprache der Rallye, dass die Handykamera genügt (keine App),\n"
     "die Adresse zum Eintippen des Codes, Ende mit Datum und Uhrzeit in ihrer Zeitzone\n"
     "und die Fußzeile des Brandings.\n"
     "Ein Ort, dessen Rätsel alle Check-ins sind (gelöst durch den Standort des Handys),\n"
     "bekommt nur auf Wunsch einen Aushang; stderr sagt, wie viele ausgelassen wurden.\n"
     "  --place ID     nur der Aushang dieses Orts (mehrfach möglich), auch bei\n"
     "                 Check-in-Orten\n"
     "  --checkin-places  auch die Orte nur mit Check-in-Aufgaben (ihr Code hilft Handys\n"
     "                 ohne GPS)\n"
     "  --flyer        stattdessen: ein A4-Flyer (Titel, Termine, Einleitung, drei\n"
     "                 Schritte zum Mitspielen, ein QR-Code, der die Rallye öffnet) und\n"
     "                 eine Seite mit vier A6-Karten zum Ausschneiden\n"
     "  --base-url URL die öffentliche Adresse des Servers (Vorgabe http://127.0.0.1:8080);\n"
     "                 die echte nehmen: gedruckte Codes lassen sich nicht mehr ändern\n"
     "  --ec M|Q|H     Fehlerkorrektur (Vorgabe Q: ein Aushang übersteht etwas Schmutz)\n"
     "Rückgabewert: 0 geschrieben, 2 Aufruf-, Datenbank- oder Schreibfehler."},
    {"sheet", "spur sheet --db PATH --hunt ID -o FILE.pdf",
     "print the organizers' confidential answer sheet",
     "Writes FILE.pdf (A4), marked confidential on every page: each puzzle of hunt ID\n"
     "in order with its clue, the accepted answers as written (or the number and its\n"
     "tolerance, or the choices with the right one marked), partial answers with their\n"
     "messages, hints and their costs, what it requires and when it opens, and its\n"
     "place with the place's short code: to help a team on the phone.\n"
     "Exit status: 0 written, 2 usage, database or write error.",
     spur_cmd_sheet, 0, "das vertrauliche Lösungsblatt für das Orga-Team drucken",
     "Schreibt DATEI.pdf (A4), auf jeder Seite als vertraulich markiert: jedes Rätsel\n"
     "der Rallye ID der Reihe nach mit Aufgabentext, den richtigen Antworten wie in der\n"
     "Datei (oder Zahl und Toleranz, oder die Auswahl mit der richtigen markiert),\n"
     "teilweise richtigen Antworten mit ihren Meldungen, Tipps mit ihren Kosten, was es\n"
     "voraussetzt und wann es öffnet, und seinem Ort mit dessen Kurzcode: um einem Team\n"
     "am Telefon zu helfen.\n"
     "Rückgabewert: 0 geschrieben, 2 Aufruf-, Datenbank- oder Schreibfehler."},
    {"export", "spur export --db PATH --hunt ID [--format csv|json|xlsx] [-o FILE] | --photos DIR",
     "export results",
     "Writes the results of hunt ID to FILE (or standard output) as CSV (the\n"
     "default), JSON or an Excel workbook (xlsx), ranked as the server ranks them.\n"
     "CSV and JSON per team: rank, id, name, score, puzzles solved, last solve time,\n"
     "hints taken and the time of each solve; per puzzle: how many teams solved it,\n"
     "hints taken and its kind (text, number, choice, scan, checkin). Times are UTC\n"
     "(RFC 3339).\n"
     "CSV: a team table, an empty line, a puzzle table; text cells are quoted and\n"
     "protected against spreadsheet formulas (a leading ' before = + - @).\n"
     "xlsx (for the office, German headers): sheet \"Rangliste\" (rank, team, points,\n"
     "solved, hints, last solve as an Excel date-time in the hunt's time zone, team\n"
     "id, hidden) and a sheet per drawn prize (place, team id, team, claim code, an\n"
     "empty \"ausgegeben\" column); needs -o FILE.xlsx when the output is a terminal.\n"
     "Staff test teams are left out of every export. Contact data is never exported.\n"
     "  --photos DIR   instead: the approved photos of photo missions, as\n"
     "                 PUZZLE_TEAM_ID.jpg in DIR (made if missing), listed in DIR/index.csv\n"
     "                 (file, team, puzzle, points, taken_at), for the town's website.",
     spur_cmd_export, 0, "Ergebnisse exportieren",
     "Schreibt die Ergebnisse der Rallye ID nach DATEI (oder auf die Standardausgabe),\n"
     "als CSV (Vorgabe), JSON oder Excel-Arbeitsmappe (xlsx), in der Reihenfolge der\n"
     "Rangliste des Servers. CSV und JSON je Team: Rang, id, Name, Punkte, gelöste\n"
     "Rätsel, letzte Lösung, genommene Tipps und die Zeit jeder Lösung; je Rätsel: wie\n"
     "viele Teams es lösten, genommene Tipps und seine Art (text, number, choice, scan,\n"
     "checkin). Zeiten in UTC (RFC 3339).\n"
     "CSV: eine Team-Tabelle, eine Leerzeile, eine Rätsel-Tabelle; Textzellen stehen in\n"
     "Anführungszeichen und sind gegen Tabellen-Formeln geschützt (ein ' vor = + - @).\n"
     "xlsx (für das Büro): Blatt \"Rangliste\" (Rang, Team, Punkte, Gelöst, Tipps, letzte\n"
     "Lösung als Excel-Datum in der Zeitzone der Rallye, Team-ID, verborgen) und ein\n"
     "Blatt je gezogenem Preis (Platz, Team-ID, Team, Abholcode, ausgegeben); braucht\n"
     "-o DATEI.xlsx, wenn die Ausgabe ein Terminal ist.\n"
     "Test-Teams der Veranstalter stehen in keinem Export. Kontaktdaten werden nie\n"
     "exportiert.\n"
     "  --photos DIR   stattdessen: die freigegebenen Fotos der Foto-Aufgaben als\n"
     "                 RÄTSEL_TEAM_ID.jpg in DIR (wird angelegt), aufgelistet in\n"
     "                 DIR/index.csv (Datei, Team, Rätsel, Punkte, Zeit), für die Webseite."},
    {"draw", "spur draw --db PATH --hunt ID --prize ID [--beacon VALUE]",
     "run a prize draw after the deadline",
     "Draws the winners (and reserves) of prize ID among the eligible teams by the\n"
     "final scores, with the algorithm spur-draw-v1 (the same as the staff console),\n"
     "or spur-draw-v2 when the hunt names a draw_beacon: then --beacon VALUE is the\n"
     "public random value its source published after the deadline, and is required.\n"
     "stores the draw record and prints it as JSON. It runs only after the hunt's\n"
     "deadline plus its late_sync_grace (offline answers may arrive until then).\n"
     "A prize is drawn once, ever: when it was drawn before, by this command or by\n"
     "spurd, the stored record is printed and nothing changes. A running spurd\n"
     "publishes a record stored here after `kill -HUP`. Anyone can check the record\n"
     "with `spur verify-draw`.\n"
     "Exit status: 0 drawn, 1 refused (too early, or drawn before), 2 usage or\n"
     "database error.",
     spur_cmd_draw, 0, "eine Preisverlosung nach Ende der Rallye ziehen",
     "Zieht die Gewinner (und Nachrücker) des Preises ID unter den berechtigten Teams\n"
     "nach den Endständen, mit dem Verfahren spur-draw-v1 (wie die Staff-Konsole),\n"
     "oder spur-draw-v2, wenn die Rallye einen draw_beacon nennt: dann ist --beacon WERT\n"
     "der öffentliche Zufallswert, den seine Quelle nach dem Ende veröffentlicht hat,\n"
     "und Pflicht.\n"
     "speichert das Protokoll der Ziehung und gibt es als JSON aus. Erst nach Ende der\n"
     "Rallye plus ihrer late_sync_grace (bis dahin können Offline-Antworten eintreffen).\n"
     "Ein Preis wird genau einmal gezogen: wurde er schon gezogen, von diesem Befehl oder\n"
     "von spurd, wird das gespeicherte Protokoll ausgegeben und nichts geändert. Ein\n"
     "laufender spurd veröffentlicht ein hier gespeichertes Protokoll nach `kill -HUP`.\n"
     "Jede und jeder kann es mit `spur verify-draw` nachprüfen.\n"
     "Rückgabewert: 0 gezogen, 1 abgelehnt (zu früh, oder schon gezogen), 2 Aufruf- oder\n"
     "Datenbankfehler."},
    {"verify-draw", "spur verify-draw RECORD.json [--commitment HEX] [--beacon VALUE]",
     "check a published draw record",
     "Recomputes the draw from RECORD.json alone: the commitment is SHA-256 of the\n"
     "seed, the eligible lines are well formed and in team id order, eligible_sha256\n"
     "is their hash, and the winners and reserves follow from the seed, the lines\n"
     "and the prize id. Prints VERIFIED, or each difference. RECORD.json is one\n"
     "record or the whole document GET /api/hunts/ID/draw returns (every record is\n"
     "checked, also against the document's commitment). --commitment HEX also checks\n"
     "the seed against the draw_commitment published at the start\n"
     "(GET /api/hunts/ID). A spur-draw-v2 record also mixes in its beacon;\n"
     "--beacon VALUE checks that beacon against the value its public source\n"
     "published. Use - to read standard input.\n"
     "Exit status: 0 when every record is VERIFIED, 1 otherwise, 2 unreadable.",
     spur_cmd_verify_draw, 0, "ein veröffentlichtes Protokoll einer Ziehung prüfen",
     "Rechnet die Ziehung allein aus PROTOKOLL.json nach: die Festlegung ist SHA-256 des\n"
     "Startwerts, die Zeilen der berechtigten Teams sind wohlgeformt und nach Team-id\n"
     "sortiert, eligible_sha256 ist ihr Hash, und Gewinner und Nachrücker folgen aus\n"
     "Startwert, Zeilen und Preis-id. Gibt VERIFIED aus oder jede Abweichung.\n"
     "PROTOKOLL.json ist ein Protokoll oder das ganze Dokument von GET /api/hunts/ID/draw\n"
     "(jedes Protokoll wird geprüft, auch gegen die Festlegung des Dokuments).\n"
     "--commitment HEX prüft den Startwert zusätzlich gegen die zu Beginn veröffentlichte\n"
     "draw_commitment (GET /api/hunts/ID). Ein Protokoll spur-draw-v2 mischt auch seinen\n"
     "Zufallswert ein; --beacon WERT prüft ihn gegen den Wert, den seine öffentliche\n"
     "Quelle veröffentlicht hat. - liest von der Standardeingabe.\n"
     "Rückgabewert: 0 wenn jedes Protokoll VERIFIED ist, 1 sonst, 2 nicht lesbar."},
    {"claim", "spur claim --db PATH --hunt ID CODE", "check a prize claim code",
     "Says which team won which prize (or is which reserve) with the claim code\n"
     "CODE (ABCD-EFGH, any case) that the winning team sees in the web app.\n"
     "Exit status: 0 a prize was won with CODE, 1 no prize, 2 usage or database\n"
     "error.",
     spur_cmd_claim, 0, "einen Abholcode für einen Preis prüfen",
     "Sagt, welches Team welchen Preis gewonnen hat (oder welcher Nachrücker es ist),\n"
     "zu dem Abholcode CODE (ABCD-EFGH, Groß- oder Kleinschreibung egal), den das\n"
     "Gewinnerteam in der Web-App sieht.\n"
     "Rückgabewert: 0 mit CODE wurde ein Preis gewonnen, 1 kein Preis, 2 Aufruf- oder\n"
     "Datenbankfehler."},
    {"teams",
     "spur teams --db PATH --hunt ID [--search TEXT] [--json] | --team ID [--name NAME]\n"
     "           [--hide|--show] [--exclude REASON|--include] [--by WHO]",
     "list teams; rename, hide or exclude one",
     "Without --team: lists the hunt's teams (id, name, score, phones, when they\n"
     "joined in the hunt's time zone, and test team / hidden / excluded: reason);\n"
     "--search TEXT only those whose name contains it, --json the staff API's shape.\n"
     "With --team ID: changes that team as the staff console does, and logs it with\n"
     "who (--by, else $USER) in the staff log:\n"
     "  --name NAME        rename (the team name rules; the name must be free)\n"
     "  --hide, --show     off or back on the public leaderboard (it still plays)\n"
     "  --exclude REASON   out of every prize draw, with the reason kept\n"
     "  --include          back into the draws\n"
     "Exclusions are fixed from draw_from (ends_at + late_sync_grace) on. A running\n"
     "spurd shows a change after `kill -HUP`. Contact data is never shown.\n"
     "Exit status: 0 listed or changed, 1 refused (no such team, a name taken or\n"
     "invalid, exclusions fixed), 2 usage or database error.",
     spur_cmd_teams, 0, "Teams auflisten; eines umbenennen, verbergen oder ausschließen",
     "Ohne --team: listet die Teams der Rallye (ID, Name, Punkte, Handys, wann sie\n"
     "beigetreten sind, in der Zeitzone der Rallye, und Testteam / verborgen /\n"
     "ausgeschlossen: Grund); --search TEXT nur die, deren Name TEXT enthält, --json in\n"
     "der Form der Staff-API.\n"
     "Mit --team ID: ändert dieses Team wie die Staff-Konsole und trägt es mit dem\n"
     "Namen (--by, sonst $USER) ins Staff-Protokoll ein:\n"
     "  --name NAME        umbenennen (die Regeln für Teamnamen; der Name muss frei sein)\n"
     "  --hide, --show     von der öffentlichen Rangliste nehmen oder zurück (es spielt weiter)\n"
     "  --exclude GRUND    von allen Verlosungen ausschließen, der Grund wird gespeichert\n"
     "  --include          wieder an den Verlosungen teilnehmen lassen\n"
     "Ab draw_from (ends_at + late_sync_grace) stehen die Ausschlüsse fest. Ein laufender\n"
     "spurd zeigt eine Änderung nach `kill -HUP`. Kontaktdaten werden nie gezeigt.\n"
     "Rückgabewert: 0 gelistet oder geändert, 1 abgelehnt (kein solches Team, Name\n"
     "vergeben oder ungültig, Ausschlüsse stehen fest), 2 Aufruf- oder Datenbankfehler."},
    {"purge", "spur purge --db PATH --hunt ID [--photos] [--yes]",
     "delete the contact data (or the photos) of a hunt",
     "Deletes every team's optional contact data for hunt ID (overwritten on disk,\n"
     "not only unlinked). Teams, scores and draw records stay. Asks first:\n"
     "\"Delete contact data of N teams of hunt ID? [y/N]\". Without a terminal it\n"
     "refuses unless --yes is given.\n"
     "  --photos    instead delete the photos teams sent for photo missions (the files\n"
     "              beside the database; scores stay); then `kill -HUP` spurd\n"
     "  --yes, -y   delete without asking\n"
     "Exit status: 0 deleted (or nothing to delete), 2 refused, declined or error.",
     spur_cmd_purge, 0, "die Kontaktdaten einer Rallye löschen",
     "Löscht die freiwilligen Kontaktdaten aller Teams der Rallye ID (auf der Platte\n"
     "überschrieben, nicht nur ausgetragen). Teams, Punkte und Protokolle der Ziehungen\n"
     "bleiben. Fragt vorher: \"Kontaktdaten von N Teams der Rallye ID löschen? [j/N]\".\n"
     "Ohne Terminal lehnt es ab, außer mit --yes.\n"
     "  --photos    stattdessen die Fotos der Foto-Aufgaben löschen (die Dateien neben\n"
     "              der Datenbank; die Punkte bleiben); danach spurd `kill -HUP`\n"
     "  --yes, -y   ohne Rückfrage löschen\n"
     "Rückgabewert: 0 gelöscht (oder nichts zu löschen), 2 abgelehnt, verneint oder Fehler."},
    {"backup", "spur backup --db PATH -o FILE", "copy the database while spurd runs",
     "Writes a consistent copy of the whole database to FILE while spurd keeps\n"
     "running: everything committed when the backup began. FILE is replaced only\n"
     "once the new copy is complete and checked. The copy holds the hunts' secrets\n"
     "(the keys behind the QR codes, the draw seeds): keep it private.\n"
     "The photos of photo missions (folder PATH-photos) go to FILE-photos.\n"
     "To restore it: stop spurd, `spur restore --db PATH FILE`, start spurd.\n"
     "  -o, --out FILE   where the backup goes\n"
     "Exit status: 0 written, 2 usage, database or file error.",
     spur_cmd_backup, 0, "die Datenbank sichern, während spurd läuft",
     "Schreibt eine stimmige Kopie der ganzen Datenbank nach DATEI, während spurd\n"
     "weiterläuft: alles, was bei Beginn der Sicherung gespeichert war. DATEI wird erst\n"
     "ersetzt, wenn die neue Kopie vollständig und geprüft ist. Die Kopie enthält die\n"
     "Geheimnisse der Rallyes (die Schlüssel hinter den QR-Codes, die Los-Startwerte):\n"
     "vertraulich aufbewahren.\n"
     "Die Fotos der Foto-Aufgaben (Ordner PFAD-photos) kommen nach DATEI-photos.\n"
     "Zurückspielen: spurd anhalten, `spur restore --db PFAD DATEI`, spurd starten.\n"
     "  -o, --out DATEI   wohin die Sicherung kommt\n"
     "Rückgabewert: 0 geschrieben, 2 Aufruf-, Datenbank- oder Dateifehler."},
    {"restore", "spur restore --db PATH FILE", "put a backup in place (spurd stopped)",
     "Replaces the database PATH (created if missing) with the backup FILE made by\n"
     "`spur backup`, after checking that FILE is an intact spur database. Refuses\n"
     "while a spurd serves PATH: stop it first (kill -TERM), restore, start it\n"
     "again. Everything recorded after the backup was made is gone afterwards.\n"
     "Photos in FILE-photos are copied back to PATH-photos.\n"
     "Exit status: 0 restored, 2 usage, refused, or database or file error.",
     spur_cmd_restore, 0, "eine Sicherung zurückspielen (spurd angehalten)",
     "Ersetzt die Datenbank PFAD (wird bei Bedarf angelegt) durch die mit `spur backup`\n"
     "gemachte Sicherung DATEI, nachdem geprüft ist, dass DATEI eine intakte spur-\n"
     "Datenbank ist. Lehnt ab, solange ein spurd PFAD bedient: erst anhalten\n"
     "(kill -TERM), zurückspielen, wieder starten. Alles, was nach der Sicherung\n"
     "gespeichert wurde, ist danach weg. Fotos aus DATEI-photos kommen nach PFAD-photos.\n"
     "Rückgabewert: 0 zurückgespielt, 2 Aufruffehler, abgelehnt, Datenbank- oder Dateifehler."},
    {"help", "spur help [COMMAND]", "show help for spur or one command", NULL, NULL, 0,
     "Hilfe zu spur oder einem Befehl zeigen", NULL},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

const spur_tool_cmd_t *spur_tool_find_cmd(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_overview(FILE *out)
{
    int de = spur_tool_german();
    fputs(de ? "Aufruf: spur BEFEHL [ARGUMENTE]\n\n"
               "spur bereitet Stadtrallyes vor, die spurd ausrichtet, und begleitet sie.\n\n"
               "Befehle:\n"
             : "usage: spur COMMAND [ARGS]\n\n"
               "spur prepares and runs city scavenger hunts served by spurd.\n\n"
               "commands:\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!commands[i].hidden)
            fprintf(out, "  %-12s %s\n", commands[i].name,
                    de && commands[i].summary_de ? commands[i].summary_de : commands[i].summary);
    fputs(de ? "\n`spur help BEFEHL` oder `spur BEFEHL --help` beschreibt einen Befehl.\n"
               "Rückgabewert: 0 in Ordnung, 1 die Rallye-Datei hat Fehler (draw, claim,\n"
               "verify-draw: eine Ablehnung oder Abweichung; siehe ihre Hilfe), 2 Aufruf- oder\n"
               "Laufzeitfehler.\n"
               "Meldungen auf Deutsch, wenn LC_ALL, LC_MESSAGES oder LANG mit \"de\" beginnt.\n"
             : "\n`spur help COMMAND` or `spur COMMAND --help` describes one command.\n"
               "Exit status: 0 ok, 1 the hunt file has errors (draw, claim, verify-draw: a\n"
               "refusal or mismatch; see their help), 2 usage or runtime error.\n"
               "Messages are German when LC_ALL, LC_MESSAGES or LANG starts with \"de\".\n",
          out);
}

static void print_command_help(const spur_tool_cmd_t *c)
{
    int de = spur_tool_german() && c->summary_de;
    printf(de ? "Aufruf: %s\n\n%s.\n" : "usage: %s\n\n%s.\n", c->synopsis,
           de ? c->summary_de : c->summary);
    if (de ? c->details_de != NULL : c->details != NULL)
        printf("\n%s\n", de ? c->details_de : c->details);
}

static int on_help(int argc, char **argv)
{
    const spur_tool_cmd_t *c;
    if (argc < 2) {
        print_overview(stdout);
        return SPUR_EXIT_OK;
    }
    if (argc > 2)
        return spur_tool_usage_error(
            "help", SPUR_TR("help nimmt einen Befehlsnamen", "help takes one command name"));
    c = spur_tool_find_cmd(argv[1]);
    if (!c) {
        spur_tool_err(SPUR_TR("unbekannter Befehl '%s'; `spur --help` zeigt alle",
                              "unknown command '%s'; `spur --help` lists them"),
                      argv[1]);
        return SPUR_EXIT_USAGE;
    }
    print_command_help(c);
    return SPUR_EXIT_OK;
}

/* Does argv ask for help? Only arguments before a "--" count. */
static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const spur_tool_cmd_t *c;

    /* only the messages of the C library (strerror) follow the locale; numbers and
       everything machine-readable stay as they are */
    setlocale(LC_MESSAGES, "");
    if (argc < 2) {
        print_overview(stderr);
        return SPUR_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_overview(stdout);
        return SPUR_EXIT_OK;
    }
    c = spur_tool_find_cmd(argv[1]);
    if (!c) {
        spur_tool_err(SPUR_TR("unbekannter Befehl '%s'; `spur --help` zeigt alle",
                              "unknown command '%s'; `spur --help` lists them"),
                      argv[1]);
        return SPUR_EXIT_USAGE;
    }
    if (strcmp(c->name, "help") == 0)
        return on_help(argc - 1, argv + 1);
    if (wants_help(argc - 1, argv + 1)) {
        print_command_help(c);
        return SPUR_EXIT_OK;
    }
    assert(c->run); /* every command but help (handled above) has one */
    return c->run(argc - 1, argv + 1);
}

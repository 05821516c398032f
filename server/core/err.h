/* spur's domain errors: one X-macro list gives each its enum value (negative,
 * below libuv's UV_E* range), its wire name (the "error" field of an API error
 * body), its HTTP status and its default English message. Functions return 0 or
 * a negative code: libuv's UV_E* for I/O, SPUR_E* for domain errors. */
#ifndef SPUR_ERR_H
#define SPUR_ERR_H

/* XX(NAME, wire name, HTTP status, German message, English message) */
#define SPUR_ERRNO_MAP(XX)                                                                         \
    XX(BAD_REQUEST, "bad_request", 400, "Die Anfrage ist fehlerhaft.",                             \
       "The request is malformed.")                                                                \
    XX(BAD_JSON, "bad_json", 400, "Der Inhalt ist kein gültiges JSON der erwarteten Form.",        \
       "The body is not valid JSON of the expected shape.")                                        \
    XX(BAD_NAME, "bad_name", 400, "Ein Teamname hat 1 bis 32 Zeichen und keine Steuerzeichen.",    \
       "A team name has 1 to 32 characters, no control characters.")                               \
    XX(BAD_CODE, "bad_code", 400, "Dieser Code hat nicht das erwartete Format.",                   \
       "That code is not in the expected format.")                                                 \
    XX(BAD_IMAGE, "bad_image", 400, "Das ist kein JPEG-Foto mit höchstens 1600 Pixeln je Seite.",  \
       "This is not a JPEG photo of at most 1600 pixels a side.")                                  \
    XX(BAD_POSITION, "bad_position", 400,                                                          \
       "Nötig sind lat und lon (Grad, -90 bis 90 und -180 bis 180) und accuracy (Meter) als "     \
       "Zahlen.",                                                                                  \
       "lat and lon (degrees, -90 to 90 and -180 to 180) and accuracy (metres) are required as "   \
       "numbers.")                                                                                 \
    XX(BAD_POINTS, "bad_points", 400,                                                              \
       "points ist eine ganze Zahl von 0 bis zu den Punkten der Aufgabe.",                         \
       "points is a whole number from 0 to the puzzle's points.")                                  \
    XX(BAD_CONTACT, "bad_contact", 400,                                                            \
       "Bitte eine E-Mail-Adresse oder eine Telefonnummer angeben.",                               \
       "Give an e-mail address or a phone number.")                                                \
    XX(CONSENT_REQUIRED, "consent_required", 400,                                                  \
       "Ohne Einwilligung (\"consent\": true) speichern wir keinen Kontakt.",                      \
       "Without consent (\"consent\": true) no contact is stored.")                                \
    XX(BEACON_REQUIRED, "beacon_required", 400,                                                    \
       "Diese Verlosung braucht den öffentlichen Zufallswert (\"beacon\"), den die Rallye als "   \
       "draw_beacon nennt.",                                                                       \
       "This draw needs the public random value (\"beacon\") that the hunt names as draw_beacon.") \
    XX(UNAUTHORIZED, "unauthorized", 401, "Ein gültiges Token ist nötig.",                         \
       "A valid token is required.")                                                               \
    XX(FORBIDDEN, "forbidden", 403, "Das dürfen nur Staff (mit dem Staff-Token).",                 \
       "Only staff (with the staff token) may do this.")                                           \
    XX(NOT_STARTED, "not_started", 403, "Das Spiel hat noch nicht begonnen.",                      \
       "The hunt has not started yet.")                                                            \
    XX(HUNT_OVER, "hunt_over", 403, "Das Spiel ist vorbei.", "The hunt is over.")                  \
    XX(LOCKED, "locked", 403, "Diese Aufgabe ist noch gesperrt.", "This puzzle is still locked.")  \
    XX(NOT_FOUND, "not_found", 404, "Nicht gefunden.", "Not found.")                               \
    XX(UNKNOWN_HUNT, "unknown_hunt", 404, "Dieses Spiel gibt es nicht.", "There is no such hunt.") \
    XX(UNKNOWN_PUZZLE, "unknown_puzzle", 404, "Diese Aufgabe gibt es nicht.",                      \
       "There is no such puzzle.")                                                                 \
    XX(UNKNOWN_PHOTO, "unknown_photo", 404, "Dieses Foto gibt es nicht.",                         \
       "There is no such photo.")                                                                  \
    XX(UNKNOWN_PRIZE, "unknown_prize", 404, "Diesen Preis gibt es in diesem Spiel nicht.",         \
       "There is no such prize in this hunt.")                                                     \
    XX(UNKNOWN_CODE, "unknown_code", 404, "Dieser Code gehört nicht zu diesem Spiel.",             \
       "This code does not belong to this hunt.")                                                  \
    XX(UNKNOWN_JOIN_CODE, "unknown_join_code", 404, "Kein Team hat diesen Beitrittscode.",         \
       "No team has this join code.")                                                              \
    XX(NO_MORE_HINTS, "no_more_hints", 404, "Für diese Aufgabe gibt es keine weiteren Tipps.",     \
       "There are no more hints for this puzzle.")                                                 \
    XX(NO_DRAW, "no_draw", 404, "Es wurde noch kein Preis verlost.",                               \
       "No prize has been drawn yet.")                                                             \
    XX(NO_CONTACT, "no_contact", 404, "Dieses Spiel fragt nach keinem Kontakt.",                   \
       "This hunt does not ask for a contact.")                                                    \
    XX(METHOD, "method_not_allowed", 405, "Diese Methode ist hier nicht erlaubt.",                 \
       "This method is not allowed here.")                                                         \
    XX(NAME_TAKEN, "name_taken", 409, "Ein Team mit diesem Namen gibt es schon.",                  \
       "A team with this name already exists.")                                                    \
    XX(ALREADY_SOLVED, "already_solved", 409, "Diese Aufgabe ist schon gelöst.",                   \
       "This puzzle is already solved.")                                                           \
    XX(CLIENT_ID_REUSED, "client_id_reused", 409,                                                  \
       "Diese client_id wurde schon für eine andere Antwort oder einen anderen Scan benutzt.",     \
       "This client_id was already used for a different answer or scan.")                          \
    XX(NOT_ANSWERABLE, "not_answerable", 409,                                                      \
       "Diese Aufgabe löst man am Ort: Code scannen oder dort einchecken.",                        \
       "This puzzle is solved at its place: scan its code or check in there.")                     \
    XX(NOT_CHECKIN, "not_checkin", 409, "Diese Aufgabe ist keine Check-in-Aufgabe.",               \
       "This puzzle is not a check-in puzzle.")                                                    \
    XX(NOT_PHOTO, "not_photo", 409, "Diese Aufgabe ist keine Foto-Aufgabe.",                       \
       "This puzzle is not a photo puzzle.")                                                       \
    XX(PHOTO_PENDING, "photo_pending", 409,                                                        \
       "Euer Foto für diese Aufgabe wird noch geprüft; ein neues geht erst nach der Antwort.",    \
       "Your photo for this puzzle is still being reviewed; send another after the answer.")       \
    XX(PHOTO_LIMIT, "photo_limit", 409,                                                            \
       "Für diese Aufgabe hat euer Team schon 5 Fotos geschickt; mehr gehen nicht.",               \
       "Your team has already sent 5 photos for this puzzle; no more can be sent.")                \
    XX(ALREADY_REVIEWED, "already_reviewed", 409,                                                  \
       "Über dieses Foto wurde schon entschieden (oder jemand entscheidet gerade).",                \
       "This photo was already decided on (or someone is deciding right now).")                     \
    XX(REVIEW_CLOSED, "review_closed", 409,                                                        \
       "Seit draw_from steht die Wertung für die Verlosung fest; Fotos lassen sich nicht mehr "  \
       "entscheiden.",                                                                             \
       "Since draw_from the scores for the draw are fixed; photos can no longer be decided.")      \
    XX(DRAW_TOO_EARLY, "draw_too_early", 409, "Die Verlosung geht erst nach dem Spielende.",       \
       "The draw can only be run after the deadline.")                                             \
    XX(ALREADY_DRAWN, "already_drawn", 409, "Dieser Preis wurde schon verlost.",                   \
       "This prize has already been drawn.")                                                       \
    XX(DRAW_LIST_FIXED, "draw_list_fixed", 409,                                                    \
       "Seit draw_from steht fest, wer an der Verlosung teilnimmt (eligible_sha256); "             \
       "Ausschlüsse lassen sich nicht mehr ändern.",                                               \
       "Since draw_from it is fixed who takes part in the draw (eligible_sha256); exclusions "     \
       "can no longer change.")                                                                    \
    XX(ALREADY_REDEEMED, "already_redeemed", 409, "Dieser Preis wurde schon ausgegeben.",          \
       "This prize was already handed out.")                                                       \
    XX(NOT_REDEEMABLE, "not_redeemable", 409,                                                      \
       "Dieser Code ist (noch) nicht einlösbar: Nachrücker erst, wenn ein Preis frei wird.",       \
       "This code cannot be redeemed (yet): a reserve only once a prize is released to it.")       \
    XX(NO_RESERVE, "no_reserve", 409, "Es gibt keinen Nachrücker mehr für diesen Preis.",          \
       "There is no reserve left for this prize.")                                                 \
    XX(TOO_MANY_ANNOUNCEMENTS, "too_many_announcements", 409,                                      \
       "Diese Rallye hat schon 100 Durchsagen; bitte zuerst alte löschen.",                        \
       "This hunt already has 100 announcements; delete old ones first.")                          \
    XX(TEAM_FULL, "team_full", 409, "Dieses Team hat schon so viele Handys, wie erlaubt sind.",    \
       "This team already has as many phones as a team may have.")                                 \
    XX(MEDIA_FULL, "media_full", 409,                                                              \
       "Diese Rallye hat schon 200 Bilder oder 64 MB an Bildern; bitte erst welche entfernen "     \
       "(spur import mit der Rallye-Datei behält nur die genannten).",                            \
       "This hunt already has 200 pictures or 64 MB of them; remove some first (spur import "      \
       "of the hunt file keeps only those it names).")                                             \
    XX(HUNT_EXISTS, "hunt_exists", 409, "Eine Rallye mit dieser id gibt es schon.",               \
       "A hunt with this id exists already.")                                                      \
    XX(ETAG_MISMATCH, "etag_mismatch", 412,                                                        \
       "Jemand hat die Rallye inzwischen gespeichert; nichts wurde geändert. Bitte neu laden "     \
       "und die eigenen Änderungen erneut anwenden.",                                              \
       "Someone saved the hunt in between; nothing was changed. Reload it and apply your "         \
       "changes again.")                                                                           \
    XX(INVALID_HUNT, "invalid_hunt", 422,                                                          \
       "Die Rallye-Datei hat Fehler (siehe problems); nichts wurde gespeichert.",                  \
       "The hunt file has errors (see problems); nothing was saved.")                              \
    XX(IF_MATCH_REQUIRED, "if_match_required", 428,                                                \
       "Speichern braucht If-Match mit dem ETag der geladenen Fassung (GET …/source).",            \
       "Saving needs If-Match with the ETag of the version loaded (GET …/source).")                \
    XX(TOO_LARGE, "too_large", 413, "Der Inhalt der Anfrage ist zu groß.",                         \
       "The request body is too large.")                                                           \
    XX(MEDIA_TYPE, "unsupported_media_type", 415,                                                  \
       "Der Inhalt muss Content-Type: application/json sein.",                                     \
       "The body must be Content-Type: application/json.")                                         \
    XX(RATE_LIMITED, "rate_limited", 429, "Zu viele Versuche; bitte kurz warten.",                 \
       "Too many attempts; wait a moment.")                                                        \
    XX(HEADERS_TOO_LARGE, "headers_too_large", 431, "Die Kopfzeilen der Anfrage sind zu groß.",    \
       "The request headers are too large.")                                                       \
    XX(OVERLOADED, "overloaded", 503, "Der Server ist ausgelastet; gleich noch einmal versuchen.", \
       "The server is busy; try again shortly.")                                                   \
    XX(PRINT_FAILED, "print_failed", 503,                                                          \
       "Das PDF ließ sich nicht erstellen; der Server hat den Grund protokolliert. Auf dem "        \
       "Server geht es auch mit spur posters / spur sheet.",                                       \
       "The PDF could not be made; the server logged why. On the server, spur posters / "          \
       "spur sheet make it too.")                                                                  \
    XX(STORAGE, "storage_failed", 503,                                                             \
       "Speichern ging schief; nichts wurde gespeichert. Bitte noch einmal versuchen.",            \
       "Saving failed; nothing was recorded. Try again.")                                          \
    XX(LOG_FULL, "log_full", 503,                                                                  \
       "Das Staff-Protokoll ist voll; Staff-Änderungen gehen erst wieder, wenn der Betreiber "    \
       "SPUR_STAFF_LOG_MAX erhöht.",                                                               \
       "The staff log is full; staff changes resume once the operator raises "                     \
       "SPUR_STAFF_LOG_MAX.")                                                                      \
    XX(DISK_LOW, "disk_low", 503,                                                                  \
       "Der Server hat kaum noch Speicherplatz: neue Teams und Beitritte gehen gerade nicht; "     \
       "bestehende Teams spielen weiter.",                                                         \
       "The server is low on disk space: new teams and joins must wait; existing teams play on.")

typedef enum {
    SPUR_E_FIRST_ = -5000,
#define XX(name, wire, status, de, en) SPUR_E##name,
    SPUR_ERRNO_MAP(XX)
#undef XX
        SPUR_E_LAST_
} spur_errno_t;

/* For a SPUR_E* code: its wire name, HTTP status and message in German (en = 0) or
 * English (en = 1); "internal"/500 otherwise. */
const char *spur_err_name(int err);
int spur_err_status(int err);
const char *spur_err_message(int err, int en);

#endif

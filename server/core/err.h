/* spur's domain errors: one X-macro list gives each its enum value (negative,
 * below libuv's UV_E* range), its wire name (the "error" field of an API error
 * body), its HTTP status and its default English message. Functions return 0 or
 * a negative code: libuv's UV_E* for I/O, SPUR_E* for domain errors. */
#ifndef SPUR_ERR_H
#define SPUR_ERR_H

/* XX(NAME, wire name, HTTP status, message) */
#define SPUR_ERRNO_MAP(XX)                                                                         \
    XX(BAD_REQUEST, "bad_request", 400, "The request is malformed.")                               \
    XX(BAD_JSON, "bad_json", 400, "The body is not valid JSON of the expected shape.")             \
    XX(BAD_NAME, "bad_name", 400, "A team name has 1 to 32 characters, no control characters.")    \
    XX(BAD_CODE, "bad_code", 400, "That code is not in the expected format.")                      \
    XX(BAD_IMAGE, "bad_image", 400, "This is not a JPEG photo of at most 1600 pixels a side.")     \
    XX(BEACON_REQUIRED, "beacon_required", 400,                                                    \
       "Diese Verlosung braucht den öffentlichen Zufallswert (\"beacon\"), den die Rallye als "   \
       "draw_beacon nennt. / This draw needs the public random value (\"beacon\") that the "       \
       "hunt names as draw_beacon.")                                                               \
    XX(UNAUTHORIZED, "unauthorized", 401, "A valid token is required.")                            \
    XX(NOT_STARTED, "not_started", 403, "The hunt has not started yet.")                           \
    XX(HUNT_OVER, "hunt_over", 403, "The hunt is over.")                                           \
    XX(LOCKED, "locked", 403, "This puzzle is still locked.")                                      \
    XX(NOT_FOUND, "not_found", 404, "Not found.")                                                  \
    XX(UNKNOWN_HUNT, "unknown_hunt", 404, "There is no such hunt.")                                \
    XX(UNKNOWN_PUZZLE, "unknown_puzzle", 404, "There is no such puzzle.")                          \
    XX(UNKNOWN_PRIZE, "unknown_prize", 404, "There is no such prize in this hunt.")                \
    XX(UNKNOWN_CODE, "unknown_code", 404, "This code does not belong to this hunt.")               \
    XX(UNKNOWN_JOIN_CODE, "unknown_join_code", 404, "No team has this join code.")                 \
    XX(NO_MORE_HINTS, "no_more_hints", 404, "There are no more hints for this puzzle.")            \
    XX(NO_DRAW, "no_draw", 404, "No prize has been drawn yet.")                                    \
    XX(METHOD, "method_not_allowed", 405, "This method is not allowed here.")                      \
    XX(NAME_TAKEN, "name_taken", 409, "A team with this name already exists.")                     \
    XX(ALREADY_SOLVED, "already_solved", 409, "This puzzle is already solved.")                    \
    XX(CLIENT_ID_REUSED, "client_id_reused", 409,                                                  \
       "This client_id was already used for a different answer or scan.")                          \
    XX(NOT_ANSWERABLE, "not_answerable", 409,                                                      \
       "This puzzle is solved by scanning its place's code.")                                      \
    XX(DRAW_TOO_EARLY, "draw_too_early", 409, "The draw can only be run after the deadline.")      \
    XX(ALREADY_DRAWN, "already_drawn", 409, "This prize has already been drawn.")                  \
    XX(TEAM_FULL, "team_full", 409, "This team already has as many phones as a team may have.")    \
    XX(TOO_LARGE, "too_large", 413, "The request body is too large.")                              \
    XX(MEDIA_TYPE, "unsupported_media_type", 415,                                                  \
       "The body must be Content-Type: application/json.")                                         \
    XX(RATE_LIMITED, "rate_limited", 429, "Too many attempts; wait a moment.")                     \
    XX(HEADERS_TOO_LARGE, "headers_too_large", 431, "The request headers are too large.")          \
    XX(OVERLOADED, "overloaded", 503, "The server is busy; try again shortly.")                    \
    XX(STORAGE, "storage_failed", 503, "Saving failed; nothing was recorded. Try again.")          \
    XX(DISK_LOW, "disk_low", 503,                                                                  \
       "Der Server hat kaum noch Speicherplatz: neue Teams und Beitritte gehen gerade nicht; "     \
       "bestehende Teams spielen weiter. / The server is low on disk space: new teams and "        \
       "joins must wait; existing teams play on.")

typedef enum {
    SPUR_E_FIRST_ = -5000,
#define XX(name, wire, status, msg) SPUR_E##name,
    SPUR_ERRNO_MAP(XX)
#undef XX
        SPUR_E_LAST_
} spur_errno_t;

/* For a SPUR_E* code: its wire name, HTTP status and message; NULL/500 otherwise. */
const char *spur_err_name(int err);
int spur_err_status(int err);
const char *spur_err_message(int err);

#endif

/* The API: routes HTTP requests to handlers, and the server context they share.
 *
 * spur_server_t is the one context struct of spurd (all process state in one place): the loop,
 * the HTTP server, the writer, the live games, metrics and event streams. All of
 * it is owned and touched by the loop thread only.
 *
 * Write requests (create/join team, answer, hint, scan) follow one path: check
 * against memory, build a record, hand it to the writer, and in the record's
 * done callback apply it to memory and answer. While a team has a write in
 * flight its further writes wait (parked) so each is judged on committed state;
 * during a reload every write waits.
 */
#ifndef SPUR_API_H
#define SPUR_API_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "core/list.h"
#include "core/map.h"
#include "core/mem.h"
#include "game/state.h"
#include "http/http.h"
#include "http/static.h"
#include "store/load.h"
#include "store/writer.h"

/* The routes, for dispatch and metrics. Every route from ADMIN_STATS on needs the staff
 * token and names its hunt in the fourth path segment (router.c), except ADMIN_CHECK,
 * ADMIN_PREVIEW and ADMIN_CREATE, which name none and are dispatched before the hunt
 * lookup: keep staff routes after ADMIN_STATS and public ones before. */
/* Where Debian's libjs-leaflet puts Leaflet (SPUR_LEAFLET_DIR overrides it). */
#define SPUR_LEAFLET_DIR "/usr/share/javascript/leaflet"
#define SPUR_LEAFLET_PATH "/vendor/leaflet" /* served there */

typedef enum {
#define SPUR_ROUTES(XX)                                                                            \
    XX(OTHER, "other")                                                                             \
    XX(STATIC, "static")                                                                           \
    XX(HEALTHZ, "healthz")                                                                         \
    XX(METRICS, "metrics")                                                                         \
    XX(HUNTS, "hunts")                                                                             \
    XX(HUNT, "hunt")                                                                               \
    XX(TEAMS, "teams")                                                                             \
    XX(JOIN, "join")                                                                               \
    XX(ME, "me")                                                                                   \
    XX(JOIN_SVG, "join_svg")                                                                       \
    XX(CLAIM_SVG, "claim_svg")                                                                     \
    XX(HUNT_JOIN_SVG, "hunt_join_svg")                                                             \
    XX(CHECKIN, "checkin")                                                                         \
    XX(MEDIA, "media")                                                                             \
    XX(PUZZLES, "puzzles")                                                                         \
    XX(ANSWER, "answer")                                                                           \
    XX(HINTS, "hints")                                                                             \
    XX(SCAN, "scan")                                                                               \
    XX(SCAN_PAGE, "scan_page")                                                                     \
    XX(CODES, "codes")                                                                             \
    XX(LEADERBOARD, "leaderboard")                                                                 \
    XX(EVENTS, "events")                                                                           \
    XX(DRAW, "draw")                                                                               \
    XX(DECODE, "decode")                                                                           \
    XX(PHOTO, "photo")                                                                             \
    XX(PHOTO_FILE, "photo_file")                                                                   \
    XX(SCREEN_PHOTOS, "screen_photos")                                                             \
    XX(CONTACT, "contact")                                                                         \
    XX(ANNOUNCEMENTS, "announcements")                                                             \
    XX(ADMIN_STATS, "admin_stats")                                                                 \
    XX(ADMIN_DRAW, "admin_draw")                                                                   \
    XX(ADMIN_EXPORT, "admin_export")                                                               \
    XX(ADMIN_EXPORT_XLSX, "admin_export_xlsx")                                                     \
    XX(ADMIN_CLAIM, "admin_claim")                                                                 \
    XX(ADMIN_TEAMS, "admin_teams")                                                                 \
    XX(ADMIN_TEAM, "admin_team")                                                                   \
    XX(ADMIN_TEST_TEAMS, "admin_test_teams")                                                       \
    XX(ADMIN_LOG, "admin_log")                                                                     \
    XX(ADMIN_WINNERS, "admin_winners")                                                             \
    XX(ADMIN_REDEEM, "admin_redeem")                                                               \
    XX(ADMIN_RELEASE, "admin_release")                                                             \
    XX(ADMIN_ANNOUNCE, "admin_announce")                                                           \
    XX(ADMIN_ANNOUNCEMENT, "admin_announcement")                                                   \
    XX(ADMIN_FLAGS, "admin_flags")                                                                 \
    XX(ADMIN_PHOTOS, "admin_photos")                                                               \
    XX(ADMIN_PHOTO_REVIEW, "admin_photo_review")                                                   \
    XX(ADMIN_SOURCE, "admin_source")                                                               \
    XX(ADMIN_VERSIONS, "admin_versions")                                                           \
    XX(ADMIN_MEDIA, "admin_media")                                                                 \
    XX(ADMIN_PRINT, "admin_print")                                                                 \
    XX(ADMIN_CHECK, "admin_check")                                                                 \
    XX(ADMIN_PREVIEW, "admin_preview")                                                             \
    XX(ADMIN_CREATE, "admin_create")
#define XX(name, text) SPUR_ROUTE_##name,
    SPUR_ROUTES(XX)
#undef XX
        SPUR_ROUTE_COUNT_
} spur_route_t;

typedef struct {
    uint64_t requests[SPUR_ROUTE_COUNT_][500]; /* by status code - 100 (100..599) */
    uint64_t answers_correct, answers_wrong, answers_partial, answers_repeated;
    uint64_t scans_ok, scans_unknown;
    uint64_t checkins, checkins_refused; /* counted; too far or too vague */
    uint64_t teams_created, joins, hints;
    uint64_t commits, commit_failures;
    uint64_t commit_buckets[12]; /* commit latency histogram, see metrics.c */
    double commit_seconds_sum;
    uint64_t sse_clients, sse_dropped;
    uint64_t overloaded;         /* writes refused with 503 because too many awaited commit */
    uint64_t decodes[4];         /* camera frames read, by spur_decode_result_t */
    uint64_t disk_refused;       /* new teams and joins refused below the free-disk floor */
    uint64_t photos, photos_bad; /* photos stored; uploads that were no readable JPEG */
} spur_metrics_t;

typedef enum {
    SPUR_DECODE_FOUND,
    SPUR_DECODE_NONE,
    SPUR_DECODE_FOREIGN,
    SPUR_DECODE_BAD
} spur_decode_result_t;

typedef struct spur_sub spur_sub_t; /* an event-stream subscriber */

#define SPUR_LB_DEFAULT_LIMIT 100 /* rows in the cached leaderboard and event pushes */

/* What the API keeps per game beside the rules' state. */
typedef struct spur_gx {
    spur_buf_t lb;                             /* cached default leaderboard body */
    size_t lb_rows;                            /* rows in lb */
    size_t lb_ends[SPUR_LB_DEFAULT_LIMIT + 1]; /* where its rows end, see leaderboard_json */
    uint64_t lb_version; /* game version it was rendered at; UINT64_MAX = none */
    int lb_state;        /* hunt state it was rendered in */
    char lb_etag[48];
    spur_buf_t lb_gz;  /* lb gzipped, made when a client first asks; len 0 = not worth it */
    char lb_gz_of[48]; /* the lb_etag lb_gz was made from ("" = none yet) */
    uint64_t pushed_version[2]; /* last version pushed, to notice streams [0] (?limit=0)
                                   and to streams of rows [1] (see public.c) */
    int pushed_state[2];
    /* each prize's eligible teams once the hunt is over (public.c): E as hex and the
       count, [hunt->nprizes] each, computed once per game version: a big hunt's GET
       /api/hunts/{h} must not sort 100k teams per request */
    char (*elig_hex)[65];
    size_t *elig_n;
    uint64_t elig_version; /* game version they were computed at */
    int elig_valid;        /* 0 = not computed yet */
    /* the automatic contact purge (prizes.c): 0 = not yet due or to try again, 1 = in
       the writer, 2 = done; tried at most once a minute */
    int purge;
    int64_t purge_next_ms;
    /* announcements (announce.c): sends awaiting their commit (they count against the
       bound too), and a counter of changes for the list's ETag */
    unsigned ann_pending;
    uint64_t ann_version;
} spur_gx_t;

/* Per-address token buckets (buckets.c): a bounded table, least recently used out
 * first, of buckets that refill per_minute tokens a minute up to twice that. */
typedef struct spur_bucket {
    double tokens;
    int64_t at;      /* ms of the last refill */
    spur_link_t lru; /* in the table's lru list */
    char *key;       /* address key (owned; NULL for the overflow bucket) */
} spur_bucket_t;

typedef struct {
    spur_map_t map;  /* address key -> spur_bucket_t (owned) */
    spur_list_t lru; /* the same buckets, least recently used first */
    size_t max;      /* addresses kept (SPUR_ADDR_BUCKETS, default 100,000) */
    double per_minute;
    spur_bucket_t overflow; /* shared by newcomers while the table is full of limited ones */
    uint64_t overflowed;    /* requests that had to use it */
} spur_buckets_t;

typedef struct spur_parked {
    spur_http_req_t *req;
    struct spur_parked *next;
} spur_parked_t;

typedef struct {
    uv_loop_t *loop;
    spur_http_server_t *http;
    spur_static_t *assets;
    spur_static_t *leaflet; /* Debian's libjs-leaflet at /vendor/leaflet/, or NULL */
    spur_writer_t *writer;
    spur_loaded_t live;   /* the games */
    int64_t next_team_id; /* ids are global across hunts */
    char *admin_token;
    char *base_url; /* "http://127.0.0.1:8080", no trailing slash */
    char *db_path;
    char *assets_dir;
    /* reload (SIGHUP): writes wait in this queue until the new state is in */
    int reloading;
    void (*after_reload)(void *data); /* runs after every reload (main.c: a SIGHUP that
                                         came meanwhile starts the next one) */
    void *after_reload_data;
    spur_parked_t *parked_head, *parked_tail;
    /* event streams */
    spur_sub_t *subs;
    uv_timer_t tick;       /* 1 s: streams of rows, state changes by the clock, pings, draws */
    uv_timer_t push_timer; /* a push of committed changes, due at most push_ms after
                              the previous one (coalescing a burst of commits) */
    int push_armed;
    uint64_t last_push; /* uv_now of the last push of changes */
    unsigned push_ms;   /* SPUR_EVENTS_INTERVAL_MS: shortest time between pushes */
    struct spur_gx *gx; /* per game (same index as live.games): caches, pushes */
    uint64_t last_ping; /* uv_now of the last heartbeat */
    size_t draws_told;  /* live.draws[0, draws_told) were announced to event streams */
    /* per client address (buckets.c): team sign-ups, wrong codes */
    spur_buckets_t ip_buckets;
    spur_buckets_t code_buckets;
    unsigned char admin_hash[32]; /* SHA-256 of the staff token */
    uint32_t generation;          /* changes at every start and reload: part of ETags */
    int64_t staff_log_max;        /* staff_log rows (live.staff_log_rows) before staff writes 503 */
    /* free disk (disk.c): below min_free_disk new teams and joins wait */
    uint64_t min_free_disk; /* bytes (--min-free-disk) */
    uint64_t disk_free;     /* bytes free for spurd on the database's file system, last seen */
    int disk_low;           /* disk_free < min_free_disk */
    uv_timer_t disk_timer;
    uv_fs_t disk_req;
    int disk_busy; /* a statfs is in flight */
    /* camera frames being read on the thread pool (decode.c): by team id, and count */
    spur_map_t decoding;
    unsigned decoding_n;
    /* photos being decoded and saved on the thread pool (photos.c): by team id, count */
    spur_map_t photo_uploading;
    unsigned photo_uploading_n;
    unsigned xlsx_in_flight;  /* office workbooks being made on the thread pool (admin.c) */
    unsigned check_in_flight; /* hunt files being checked on the thread pool (editor.c) */
    unsigned pictures_in_flight; /* the editor's pictures being re-encoded (pictures.c) */
    unsigned print_in_flight;    /* print products being made by the tool (print.c) */
    spur_metrics_t metrics;
    int closing;
} spur_server_t;

/* Per-address token buckets (buckets.c). init sets up an empty table for per_minute
 * tokens a minute (bursts of twice that). spur_api_bucket refills key's bucket and
 * returns 1 when it holds a token, taking it when take is set; else 0 with the seconds
 * to wait. */
void spur_api_buckets_init(spur_buckets_t *t, double per_minute);
int spur_api_bucket(spur_buckets_t *t, const char *key, int64_t now_ms, int take, int *wait_s);
void spur_api_buckets_free(spur_buckets_t *t);
/* A number from the environment variable name when it is within 1..1e6, else def. */
double spur_api_env_num(const char *name, double def);
/* Team sign-ups allowed per address and minute (SPUR_TEAMS_PER_MINUTE, default 60). */
double spur_api_create_rate(void);
/* Wrong codes allowed per address and minute (SPUR_CODE_FAILS_PER_MINUTE, default 30). */
double spur_api_code_rate(void);
/* Whether req carries the valid staff token (checked before any address limit: staff
 * are never refused by one). */
int spur_api_is_staff(const spur_server_t *srv, const spur_http_req_t *req);
/* Wrong codes (join codes, place codes) per address and minute: before a code is
 * looked up, spur_api_codes_allowed answers 429 and returns 0 when the address has
 * used them up; spur_api_code_failed counts a wrong one. */
int spur_api_codes_allowed(spur_server_t *srv, spur_http_req_t *req);
void spur_api_code_failed(spur_server_t *srv, spur_http_req_t *req);

/* The HTTP handler and body limit for spur_http_config_t (data = the server). */
void spur_api_handle(spur_http_req_t *req, void *data);
size_t spur_api_body_limit(int method, const char *path, void *data);
void spur_api_log(const spur_http_req_t *req, int status, size_t bytes, uint64_t duration_ns,
                  void *data);

/* Starts the tick timer and the free-disk watch. */
void spur_api_start(spur_server_t *srv);
/* Free disk (disk.c): reads it now (blocking, at start-up), then every few seconds on
 * the thread pool; stop closes the timer. */
void spur_api_disk_start(spur_server_t *srv);
void spur_api_disk_stop(spur_server_t *srv);
/* When the disk is below the floor: answers 503 disk_low and returns 0; else 1. */
int spur_api_disk_ok(spur_server_t *srv, spur_http_req_t *req);
/* After each committed batch: pushes what changed to the event streams now, or when
 * the coalescing window since the last push ends. */
void spur_api_changed(void *srv);
/* Sends ev (len bytes: whole SSE events) to every event stream of hunt_id at once. */
void spur_api_push_hunt(spur_server_t *srv, const char *hunt_id, const char *ev, size_t len);
/* After a reload: sends every event stream the reloaded board (and team standing). */
void spur_api_push_reloaded(spur_server_t *srv);
/* Ends every event stream and stops the timer (on shutdown). */
void spur_api_stop(spur_server_t *srv);
/* Sets up the per-game API data for the loaded games (call once before start). */
void spur_api_init(spur_server_t *srv);
/* Swaps in freshly loaded state (SIGHUP; takes *fresh's contents; NULL when the reload
 * failed and the old state stays) and lets the writes parked meanwhile go on. */
void spur_api_reload(spur_server_t *srv, spur_loaded_t *fresh);
void spur_api_free(spur_server_t *srv);

/* ---- shared by the handler files (api_*.c) ---- */

/* Wall clock in Unix milliseconds. */
int64_t spur_now_ms(void);
/* Wall clock in Unix milliseconds when req's first byte arrived. Writes are judged by
 * this time, not by when they are handled: a write parked behind the team's commit or a
 * reload may be handled after a deadline it arrived before. Loop thread only. */
int64_t spur_api_received_ms(const spur_http_req_t *req);
spur_game_t *spur_api_game(spur_server_t *srv, const char *hunt_id);
/* Messages follow req->lang: what Accept-Language prefers among German and English,
 * else the hunt's language, else German (set by the router). */
#define SPUR_LANG_DE 0
#define SPUR_LANG_EN 1
/* Answers an error by SPUR_E* code with its message in req's language; extra_headers as
 * for spur_http_reply. _msg gives the message in both languages (NULL: the code's). */
void spur_api_error(spur_http_req_t *req, int err, const char *extra_headers);
void spur_api_error_msg(spur_http_req_t *req, int err, const char *de, const char *en,
                        const char *extra_headers);
/* de or en, in req's language. */
const char *spur_api_msg(const spur_http_req_t *req, const char *de, const char *en);
void spur_api_json(spur_http_req_t *req, int status, const char *extra_headers,
                   const spur_buf_t *body);
/* A puzzle as teams get it from GET …/puzzles, in status st (team.c): the members a
 * team's progress does not change, and the object left open for those it does. */
void spur_api_puzzle_json(spur_buf_t *b, const spur_hunt_t *h, const spur_puzzle_t *p,
                          spur_status_t st);
/* The team a request's token (Bearer or cookie) belongs to in game g, or NULL. */
spur_team_t *spur_api_auth(spur_game_t *g, const spur_http_req_t *req);
/* Puts req in the team's (or the reload) queue; it is handled again later. */
void spur_api_park(spur_server_t *srv, spur_team_t *t, spur_http_req_t *req);
/* Releases the team and handles its parked requests. */
void spur_api_unbusy(spur_server_t *srv, spur_team_t *t);
/* The per-game API data for g. */
spur_gx_t *spur_api_gx(spur_server_t *srv, const spur_game_t *g);
/* The default leaderboard (offset 0, limit 100) for g, rendered at most once per change. */
spur_gx_t *spur_api_leaderboard_cached(spur_server_t *srv, spur_game_t *g, int64_t now_s);

/* Handlers (req->path split into segments by the router). */
void spur_api_hunts(spur_server_t *srv, spur_http_req_t *req);
void spur_api_hunt(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_leaderboard(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_events(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_codes(spur_server_t *srv, spur_http_req_t *req, const char *token);
void spur_api_create_team(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_join(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_me(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_join_svg(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
/* POST /api/hunts/{h}/puzzles/{p}/checkin (play.c). */
void spur_api_checkin(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g, const char *pid);
/* GET /api/admin/hunts/{h}/flags (staff.c). */
void spur_api_admin_flags(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
/* GET /api/hunts/{h}/media/{key}.{ext}: a picture stored with the hunt (public.c). */
void spur_api_media(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g, const char *name);
/* Appends prefix (",\"image\":") and {"url","alt","width","height"} when img is not NULL
 * and has a stored copy, else nothing (public.c). */
void spur_api_image_json(spur_buf_t *b, const char *prefix, const char *hunt_id,
                         const spur_image_t *img);
/* GET /api/hunts/{h}/join.svg: the public QR code of the hunt's join address
 * <base-url>/?hunt={h}, for the big screen and anything printed. */
void spur_api_hunt_join_svg(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_puzzles(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_answer(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g, const char *pid);
void spur_api_hint(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g, const char *pid);
void spur_api_scan(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_decode(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
/* Whether the body is declared as image/jpeg (the one non-JSON body: decode). */
int spur_api_is_jpeg(const spur_http_req_t *req);
void spur_api_admin_stats(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_admin_export(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
/* GET /api/admin/hunts/{h}/export.xlsx: the office workbook, made on the thread pool. */
void spur_api_admin_export_xlsx(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
/* POST /api/admin/check: a hunt file's problems as `spur check` finds them, checked on
 * the thread pool (editor.c). Bodies up to SPUR_CHECK_BODY_MAX. */
#define SPUR_CHECK_BODY_MAX (1u << 20)
void spur_api_admin_check(spur_server_t *srv, spur_http_req_t *req);
/* POST /api/admin/preview?puzzle=ID[&input=TEXT]: a puzzle of a hunt file as a team
 * sees it, and how an answer would be judged (editor.c). */
void spur_api_admin_preview(spur_server_t *srv, spur_http_req_t *req);
/* The members "ok","total","problems" of a check's answer (no braces), as
 * POST /api/admin/check gives them: the first 500 problems, in German or English. */
struct spur_check;
void spur_api_problems_json(spur_buf_t *b, const struct spur_check *c, int german);
/* The editor's hunt files (source.c): GET and PUT …/source, GET …/versions[/{n}]
 * (version NULL: the list) and POST /api/admin/hunts (a new hunt from the starter). */
void spur_api_admin_source_get(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_admin_source_put(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_admin_versions(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                             const char *version);
void spur_api_admin_create(spur_server_t *srv, spur_http_req_t *req);
/* GET …/media lists the hunt's stored pictures, POST …/media?file=NAME uploads one
 * (pictures.c). */
void spur_api_admin_media(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
/* GET …/print/{posters,flyer,sheet}.pdf: the print product, made by the spur tool
 * (print.c). */
void spur_api_admin_print(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                          const char *file);
void spur_api_metrics(spur_server_t *srv, spur_http_req_t *req);
/* The draw (draw.c): published records, running one prize's draw, checking a claim
 * code, and a team's prizes as the "prizes" list of /me (appended to b). */
void spur_api_draw(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_admin_draw(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_admin_claim(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                          const char *code);
void spur_api_team_prizes(const spur_server_t *srv, const spur_game_t *g, const spur_team_t *t,
                          spur_buf_t *b);

/* Staff (staff.c). who: the staff member's name from X-Staff-Name (printable UTF-8,
 * at most 40 bytes), else "Staff". staff_rec: a record of a staff action in g by req
 * (who, address, time, action set). */
#define SPUR_STAFF_WHO_SIZE 41
void spur_api_staff_who(const spur_http_req_t *req, char out[SPUR_STAFF_WHO_SIZE]);
/* Sends the team's own `me` event to its phones' streams now: after a hint or a scan
 * that solved nothing (no board change, so no push), teammates still see it at once. */
void spur_api_push_team(spur_server_t *srv, const spur_game_t *g, const spur_team_t *t);
/* On the 1 s tick: once purge_after_days have passed since the end of game i, its
 * contacts are deleted through the writer (and the teams' contact_given cleared). */
void spur_api_purge_due(spur_server_t *srv, size_t i, int64_t now_ms);
/* Room for one more staff_log row: takes it and returns 1, or answers 503 log_full
 * and returns 0. Every staff write asks before it makes its record. */
int spur_api_staff_log_take(spur_server_t *srv, spur_http_req_t *req);
spur_rec_t *spur_api_staff_rec(spur_rec_kind_t kind, const spur_http_req_t *req,
                               const spur_game_t *g, const char *action);
/* The same for hunt_id (a hunt that may not be loaded yet). */
spur_rec_t *spur_api_staff_rec_for(spur_rec_kind_t kind, const spur_http_req_t *req,
                                   const char *hunt_id, const char *action);
/* Query parameters (staff.c): a number within [0, max], else def; a value
 * percent-decoded ('+' is a space), NULL when malformed or holding NUL (caller frees). */
size_t spur_api_query_num(const spur_http_req_t *req, const char *name, size_t def, size_t max);
char *spur_api_query_decode(const char *v, size_t n);
/* Play (play.c): a client's made_at clamped to [team's creation, received]; when an
 * item made then counts (0, or SPUR_ENOT_STARTED / SPUR_EHUNT_OVER); a commit's
 * metrics. */
int64_t spur_api_clamp_made_at(const spur_team_t *t, int64_t made_at, int64_t received);
int spur_api_when_counts(const spur_hunt_t *h, const spur_team_t *t, int64_t now, int64_t made_at,
                         int64_t *at);
void spur_api_note_commit(spur_server_t *srv, const spur_rec_t *r);
/* 1 when puzzle idx is open for t at `at`; else answers 409 already_solved or 403
 * locked and returns 0. */
int spur_api_puzzle_open(spur_http_req_t *req, const spur_game_t *g, const spur_team_t *t, int idx,
                         int64_t at);
/* Photo missions (photos.c). */
void spur_api_photo_upload(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                           const char *puzzle_id);
void spur_api_photo_file(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                         const char *file);
void spur_api_admin_photos(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
/* GET /api/hunts/{h}/photos: the newest approved photos their teams allowed on the big
 * screen (no token needed). */
void spur_api_screen_photos(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_admin_photo_review(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                                 const char *id);
/* ,"photo":{"id","status","message"} of t's newest photo for puzzle idx (nothing when
 * none), and ,"photos_left":N. */
void spur_api_photo_state_json(spur_buf_t *b, const spur_game_t *g, const spur_team_t *t, int idx);
/* libvips for photos and the editor's pictures: started once from the main thread
 * before the loop runs (0 or -1); media/picture.c stops it at exit. */
int spur_api_photos_start(void);
void spur_api_admin_teams(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_admin_team_edit(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                              const char *id);
void spur_api_admin_delete_test_teams(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_admin_log(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
/* Prizes reaching their winners (prizes.c): a team's contact (PUT/DELETE), the staff
 * winners list, handing a prize out (redeem) or releasing it to the next reserve. */
void spur_api_contact(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
/* GET /me/claim.svg?prize=ID: the QR code a winner (or reserve) shows at the prize
 * desk; it opens the staff console's desk with the team's claim code. */
void spur_api_claim_svg(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_admin_winners(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
/* Announcements (announce.c): the public list (GET /api/hunts/{h}/announcements), and
 * staff sending one to every team's app (POST) or deleting it (DELETE .../{id}). */
void spur_api_announcements(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_admin_announce(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g);
void spur_api_admin_announcement_delete(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                                        const char *id);
void spur_api_admin_handover(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                             const char *code, int release);
/* Finds who won what with a canonical claim code (draw.c): the draw, *team and
 * *reserve_rank (0 = winner, k = k-th reserve), or NULL. */
const spur_draw_pub_t *spur_api_find_claim(const spur_server_t *srv, const spur_game_t *g,
                                           const char canon[9], int64_t *team,
                                           size_t *reserve_rank);

/* The claim with code (any case, dash optional): as spur_api_find_claim, with canon
 * filled; or NULL after answering 400 bad_code or 404 unknown_code. */
const spur_draw_pub_t *spur_api_claim_of(const spur_server_t *srv, spur_http_req_t *req,
                                         const spur_game_t *g, const char *code, char canon[9],
                                         int64_t *team, size_t *reserve_rank);

/* A database read (or small write) on the thread pool, never on the loop: run(db, q)
 * on a pool thread with a connection of its own, then done(q) on the loop with q->rc
 * (0, or -1 when opening or run failed); done frees q (embed spur_dbq_t first in a
 * larger struct for more fields). */
typedef struct spur_dbq spur_dbq_t;
struct spur_dbq {
    uv_work_t work;
    spur_server_t *srv;
    spur_http_req_t *req;
    int write; /* open read-write */
    int (*run)(sqlite3 *db, spur_dbq_t *q);
    void (*done)(spur_dbq_t *q);
    int rc;
    spur_buf_t out;
};
void spur_api_db_query(spur_server_t *srv, spur_dbq_t *q);

/* Parses req's body as a strict JSON object whose keys are all in `allowed`
 * (NULL-terminated). On any problem answers 400 and returns NULL. The caller
 * frees the tree with cJSON_Delete. */
#include <cjson/cJSON.h>
cJSON *spur_api_body(spur_http_req_t *req, const char *const allowed[]);
/* Reads the optional offline fields client_id ([A-Za-z0-9_-]{1,64}, copied into
 * client_id, "" when absent) and made_at (RFC 3339, *made_at in ms, 0 when absent).
 * On a bad value answers 400 and returns -1. */
int spur_api_offline(spur_http_req_t *req, const cJSON *root, char client_id[65], int64_t *made_at);
#endif

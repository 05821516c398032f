/* The hunt loader: validates a parsed hunt file (format: puzzles/README.md) and
 * builds the immutable spur_hunt_t, resolving ids to indices, pre-normalising
 * accepted and partial answers and turning times into Unix seconds.
 *
 * Keeps true: every problem is reported (the loader never stops at the first),
 * each located by the JSON path of the offending value, or of the enclosing
 * object when a key is missing; a hunt is returned only when no error was found,
 * and then every index in it is in range and the requires graph is acyclic.
 * Paths use ".key" and "[N]"; a key that is not a plain word is written
 * ["key"] in JSON string syntax, which spur_json_locate understands. Keys
 * starting with "_" are comments, allowed in every object and ignored.
 *
 * This file loads the hunt itself, its places and prizes and runs the whole-hunt
 * checks; hunt_puzzle.c loads the puzzles and the requires graph; hunt_read.c holds
 * the diagnostics and typed readers they share (hunt_load.h).
 * Pure C, no I/O, no globals; any thread. */
#include "hunt_load.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "markdown.h"

#define COUNT_MAX 100000 /* prize winners and reserves */

/* ---- places ---- */

static const char *const place_keys[] = {"id", "name", "lat", "lon", "where", "image"};

static void load_places(spur_hunt_loader_t *l, const cJSON *root)
{
    spur_hunt_t *h = l->h;
    const cJSON *arr = spur_hunt_get_array(l, root, "", "places");
    size_t n = arr ? (size_t)cJSON_GetArraySize(arr) : 0;

    if (n > SPUR_MAX_PLACES) {
        spur_hunt_error(l, "places", "too many places (%zu; at most %d)", n, SPUR_MAX_PLACES);
        return;
    }
    h->places = spur_calloc(n, sizeof(*h->places));
    h->nplaces = n;
    size_t i = 0;
    for (const cJSON *it = arr ? arr->child : NULL; it; it = it->next, i++) {
        spur_place_t *pl = &h->places[i];
        char *path = spur_hunt_path_index("places", i);
        if (!cJSON_IsObject(it)) {
            spur_hunt_error(l, path, "a place must be an object, not %s", spur_hunt_type_name(it));
            free(path);
            continue;
        }
        SPUR_HUNT_CHECK_KEYS(l, it, path, place_keys);
        pl->id = spur_hunt_get_id(l, it, path);
        pl->name = spur_hunt_get_str(l, it, path, "name", 1);
        pl->where = spur_hunt_get_str(l, it, path, "where", 0);
        pl->image = spur_hunt_get_image(l, it, path, "image");
        int has_lat = spur_hunt_get_double(l, it, path, "lat", 0, &pl->lat);
        int has_lon = spur_hunt_get_double(l, it, path, "lon", 0, &pl->lon);
        if (has_lat == 1 && (pl->lat < -90 || pl->lat > 90)) {
            char *p = spur_hunt_path_key(path, "lat");
            spur_hunt_error(l, p, "\"lat\" must be between -90 and 90");
            free(p);
        }
        if (has_lon == 1 && (pl->lon < -180 || pl->lon > 180)) {
            char *p = spur_hunt_path_key(path, "lon");
            spur_hunt_error(l, p, "\"lon\" must be between -180 and 180");
            free(p);
        }
        if ((has_lat == 1) != (has_lon == 1) && has_lat >= 0 && has_lon >= 0)
            spur_hunt_error(l, path, "a place gives both \"lat\" and \"lon\" or neither");
        pl->has_pos = has_lat == 1 && has_lon == 1;
        for (size_t j = 0; pl->id && j < i; j++)
            if (h->places[j].id && strcmp(h->places[j].id, pl->id) == 0) {
                char *p = spur_hunt_path_key(path, "id");
                spur_hunt_error(l, p, "duplicate place id \"%s\" (also places[%zu])", pl->id, j);
                free(p);
                break;
            }
        free(path);
    }
}

/* ---- prizes ---- */

static const char *const prize_keys[] = {"id", "name", "count", "reserves", "eligible"};
static const char *const elig_keys[] = {"min_score"};

/* A "finished" prize needs every puzzle to be solvable. */
static void check_finishable(spur_hunt_loader_t *l, const char *ep)
{
    const spur_hunt_t *h = l->h;
    if (h->npuzzles == 0) {
        spur_hunt_error(l, ep, "no team can finish a hunt without puzzles");
        return;
    }
    for (size_t i = 0; l->dead && i < h->npuzzles; i++)
        if (l->dead[i]) {
            spur_hunt_error(l, ep, "no team can finish: puzzle \"%s\" never opens",
                            h->puzzles[i].id ? h->puzzles[i].id : "?");
            return;
        }
}

static void load_prize(spur_hunt_loader_t *l, spur_prize_t *pz, const cJSON *it, const char *path,
                       long max_score)
{
    const cJSON *count = spur_hunt_member(it, "count");
    const cJSON *elig = spur_hunt_member(it, "eligible");

    SPUR_HUNT_CHECK_KEYS(l, it, path, prize_keys);
    pz->id = spur_hunt_get_id(l, it, path);
    pz->name = spur_hunt_get_str(l, it, path, "name", 1);
    if (cJSON_IsString(count)) {
        if (strcmp(count->valuestring, "all") == 0) {
            pz->count = SPUR_PRIZE_ALL;
        } else {
            char *cp = spur_hunt_path_key(path, "count");
            spur_hunt_error(l, cp, "\"count\" must be a number of winners or \"all\"");
            free(cp);
        }
    } else if (count && !cJSON_IsNumber(count)) {
        spur_hunt_wrong_type(l, path, "count", "an integer or \"all\"", count);
    } else {
        spur_hunt_get_int(l, it, path, "count", 1, 1, COUNT_MAX, 1, &pz->count);
    }
    if (spur_hunt_get_int(l, it, path, "reserves", 0, 0, COUNT_MAX, 0, &pz->reserves) == 1 &&
        pz->count == SPUR_PRIZE_ALL && pz->reserves > 0) {
        char *rp = spur_hunt_path_key(path, "reserves");
        spur_hunt_warning(l, rp, "\"reserves\" has no effect when \"count\" is \"all\"");
        free(rp);
    }
    char *ep = spur_hunt_path_key(path, "eligible");
    pz->eligible = SPUR_ELIG_ALL;
    if (!elig || (cJSON_IsString(elig) && strcmp(elig->valuestring, "all") == 0)) {
        /* every team that scored: needs a point to be possible at all */
        if (max_score == 0)
            spur_hunt_error(l, elig ? ep : path,
                            "no team can score a point in this hunt, so no team can win "
                            "this prize (\"eligible\" \"all\" means every team that scored)");
    } else if (cJSON_IsString(elig)) {
        if (strcmp(elig->valuestring, "finished") == 0) {
            pz->eligible = SPUR_ELIG_FINISHED;
            check_finishable(l, ep);
        } else
            spur_hunt_error(l, ep,
                            "\"eligible\" must be \"all\", \"finished\" or {\"min_score\": N}, not "
                            "\"%s\"",
                            elig->valuestring);
    } else if (cJSON_IsObject(elig)) {
        SPUR_HUNT_CHECK_KEYS(l, elig, ep, elig_keys);
        pz->eligible = SPUR_ELIG_MIN_SCORE;
        if (spur_hunt_get_int(l, elig, ep, "min_score", 1, 0, INT_MAX, 0, &pz->min_score) == 1 &&
            pz->min_score > max_score) {
            char *mp = spur_hunt_path_key(ep, "min_score");
            spur_hunt_error(l, mp, "\"min_score\" %d is above the highest possible score (%ld)",
                            pz->min_score, max_score);
            free(mp);
        }
    } else {
        spur_hunt_wrong_type(l, path, "eligible", "\"all\", \"finished\" or {\"min_score\": N}",
                             elig);
    }
    free(ep);
}

static void load_prizes(spur_hunt_loader_t *l, const cJSON *root)
{
    spur_hunt_t *h = l->h;
    const cJSON *arr = spur_hunt_get_array(l, root, "", "prizes");
    size_t n = arr ? (size_t)cJSON_GetArraySize(arr) : 0, i = 0;
    long max_score = 0;

    for (size_t k = 0; k < h->npuzzles; k++) /* what a team can still reach */
        if (!l->dead || !l->dead[k])
            max_score += h->puzzles[k].points;
    h->prizes = spur_calloc(n, sizeof(*h->prizes));
    h->nprizes = n;
    for (const cJSON *it = arr ? arr->child : NULL; it; it = it->next, i++) {
        char *path = spur_hunt_path_index("prizes", i);
        spur_prize_t *pz = &h->prizes[i];
        if (!cJSON_IsObject(it)) {
            spur_hunt_error(l, path, "a prize must be an object, not %s", spur_hunt_type_name(it));
        } else {
            load_prize(l, pz, it, path, max_score);
            for (size_t j = 0; pz->id && j < i; j++)
                if (h->prizes[j].id && strcmp(h->prizes[j].id, pz->id) == 0) {
                    char *ip = spur_hunt_path_key(path, "id");
                    spur_hunt_error(l, ip, "duplicate prize id \"%s\" (also prizes[%zu])", pz->id,
                                    j);
                    free(ip);
                    break;
                }
        }
        free(path);
    }
}

/* ---- the hunt ---- */

static const char *const hunt_keys[] = {"id",
                                        "title",
                                        "intro",
                                        "language",
                                        "starts_at",
                                        "ends_at",
                                        "freeze_at",
                                        "late_sync_grace",
                                        "guess_limit",
                                        "guess_window",
                                        "max_team_members",
                                        "max_accuracy",
                                        "places",
                                        "puzzles",
                                        "prizes",
                                        "contact",
                                        "purge_after_days",
                                        "draw_beacon",
                                        "time_zone",
                                        "branding",
                                        "map",
                                        "outro",
                                        "photo_consent"};
static const char *const branding_keys[] = {"organizer", "accent", "footer", "logo"};

#define BRAND_ORGANIZER_MAX 100 /* bytes */
#define BRAND_FOOTER_MAX 300    /* bytes: an Impressum / Datenschutz line */

/* The contrast of white on colour "#rrggbb" (WCAG 2): the app uses the accent only
 * from 4.5:1 on, as background of white text and as text on white. */
double spur_hunt_accent_contrast(const char *hex)
{
    double lum = 0;
    static const double weight[3] = {0.2126, 0.7152, 0.0722};
    for (int i = 0; i < 3; i++) {
        unsigned v;
        double c;
        sscanf(hex + 1 + 2 * i, "%2x", &v);
        c = v / 255.0;
        c = c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
        lum += weight[i] * c;
    }
    return 1.05 / (lum + 0.05);
}

/* "branding": {"organizer", "accent": "#rrggbb", "footer", "logo": {"file", "alt"}}, all
 * optional. */
static void load_branding(spur_hunt_loader_t *l, const cJSON *root)
{
    spur_hunt_t *h = l->h;
    const cJSON *b = spur_hunt_member(root, "branding");
    char *a;
    if (!b)
        return;
    if (!cJSON_IsObject(b)) {
        spur_hunt_wrong_type(l, "", "branding", "an object", b);
        return;
    }
    SPUR_HUNT_CHECK_KEYS(l, b, "branding", branding_keys);
    h->brand_organizer = spur_hunt_get_str(l, b, "branding", "organizer", 0);
    h->brand_footer = spur_hunt_get_str(l, b, "branding", "footer", 0);
    h->brand_logo = spur_hunt_get_image(l, b, "branding", "logo");
    if (h->brand_organizer && strlen(h->brand_organizer) > BRAND_ORGANIZER_MAX)
        spur_hunt_error(l, "branding.organizer", "\"organizer\" has at most %d bytes",
                        BRAND_ORGANIZER_MAX);
    if (h->brand_footer && strlen(h->brand_footer) > BRAND_FOOTER_MAX)
        spur_hunt_error(l, "branding.footer", "\"footer\" has at most %d bytes", BRAND_FOOTER_MAX);
    if ((a = spur_hunt_get_str(l, b, "branding", "accent", 0))) {
        int ok = strlen(a) == 7 && a[0] == '#';
        for (int i = 1; ok && i < 7; i++) {
            ok = (a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f') ||
                 (a[i] >= 'A' && a[i] <= 'F');
            a[i] = (char)(a[i] >= 'A' && a[i] <= 'F' ? a[i] - 'A' + 'a' : a[i]);
        }
        if (ok) {
            h->brand_accent = a;
            if (spur_hunt_accent_contrast(a) < 4.5) {
                char ratio[16];
                snprintf(ratio, sizeof ratio, "%.1f", spur_hunt_accent_contrast(a));
                spur_hunt_warning(l, "branding.accent",
                                  "\"accent\" %s is too light for white text on it (%s:1, "
                                  "4.5:1 is needed); the app keeps its own colour",
                                  a, ratio);
            }
        } else {
            spur_hunt_error(l, "branding.accent",
                            "\"accent\" is a colour like \"#1f6f43\", not \"%s\"", a);
            free(a);
        }
    }
}
static const char *const contact_keys[] = {"ask", "label", "privacy"};

#define CONTACT_LABEL_MAX 200    /* bytes of the contact field's label */
#define CONTACT_PRIVACY_MAX 4000 /* bytes of the privacy notice */

/* "contact": {"ask": "optional", "label", "privacy"}: the app offers to leave a contact
 * (for prize winners); the privacy notice is what a player consents to. */
static void load_contact(spur_hunt_loader_t *l, const cJSON *root)
{
    spur_hunt_t *h = l->h;
    const cJSON *c = spur_hunt_member(root, "contact");
    char *ask;
    if (!c)
        return;
    if (!cJSON_IsObject(c)) {
        spur_hunt_wrong_type(l, "", "contact", "an object", c);
        return;
    }
    SPUR_HUNT_CHECK_KEYS(l, c, "contact", contact_keys);
    ask = spur_hunt_get_str(l, c, "contact", "ask", 1);
    if (ask && strcmp(ask, "optional") != 0)
        spur_hunt_error(l, "contact.ask", "\"ask\" must be \"optional\", not \"%s\"", ask);
    free(ask);
    h->contact_label = spur_hunt_get_str(l, c, "contact", "label", 1);
    h->contact_privacy = spur_hunt_get_str(l, c, "contact", "privacy", 1);
    if (h->contact_label && strlen(h->contact_label) > CONTACT_LABEL_MAX)
        spur_hunt_error(l, "contact.label", "\"label\" has at most %d bytes", CONTACT_LABEL_MAX);
    if (h->contact_privacy && strlen(h->contact_privacy) > CONTACT_PRIVACY_MAX)
        spur_hunt_error(l, "contact.privacy", "\"privacy\" has at most %d bytes",
                        CONTACT_PRIVACY_MAX);
    h->contact_ask = h->contact_label && h->contact_privacy;
}

static const char *const map_keys[] = {"tiles", "attribution"};

/* Whether t is an https URL template with {z}, {x} and {y} and no other braces than
   those and {s}, {r}: what Leaflet fills in. */
static int tiles_ok(const char *t)
{
    if (strncmp(t, "https://", 8) != 0 || !strstr(t, "{z}") || !strstr(t, "{x}") ||
        !strstr(t, "{y}"))
        return 0;
    for (const char *p = t; *p; p++) {
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '\\' || *p == '<' || *p == '>')
            return 0;
        if (*p == '{') {
            if (!(p[1] && strchr("zxysr", p[1]) && p[2] == '}'))
                return 0;
            p += 2;
        } else if (*p == '}') {
            return 0;
        }
    }
    return 1;
}

/* "map": {"tiles", "attribution"}, both optional; OpenStreetMap's when absent. */
static void load_map(spur_hunt_loader_t *l, const cJSON *root)
{
    spur_hunt_t *h = l->h;
    const cJSON *m = spur_hunt_member(root, "map");
    if (m && !cJSON_IsObject(m)) {
        spur_hunt_wrong_type(l, "", "map", "an object", m);
        m = NULL;
    }
    if (m) {
        SPUR_HUNT_CHECK_KEYS(l, m, "map", map_keys);
        h->map_tiles = spur_hunt_get_str(l, m, "map", "tiles", 0);
        h->map_attribution = spur_hunt_get_str(l, m, "map", "attribution", 0);
        if (h->map_tiles && (strlen(h->map_tiles) > SPUR_MAP_TEXT_MAX || !tiles_ok(h->map_tiles)))
            spur_hunt_error(l, "map.tiles",
                            "\"tiles\" is an https address with {z}, {x} and {y}, like \"%s\"",
                            SPUR_MAP_TILES);
        if (h->map_attribution && strlen(h->map_attribution) > SPUR_MAP_TEXT_MAX)
            spur_hunt_error(l, "map.attribution", "\"attribution\" has at most %d bytes",
                            SPUR_MAP_TEXT_MAX);
        if (h->map_tiles && !h->map_attribution)
            spur_hunt_warning(l, "map",
                              "tiles without \"attribution\": most tile servers require "
                              "their credit line on the map");
    }
    if (!h->map_tiles)
        h->map_tiles = spur_strdup(SPUR_MAP_TILES);
    if (!h->map_attribution)
        h->map_attribution =
            spur_strdup(strcmp(h->map_tiles, SPUR_MAP_TILES) == 0 ? SPUR_MAP_ATTRIBUTION : "");
}

static void load_header(spur_hunt_loader_t *l, const cJSON *root)
{
    spur_hunt_t *h = l->h;
    int grace;

    SPUR_HUNT_CHECK_KEYS(l, root, "", hunt_keys);
    h->id = spur_hunt_get_id(l, root, "");
    h->title = spur_hunt_get_str(l, root, "", "title", 1);
    h->intro = spur_hunt_get_str(l, root, "", "intro", 0);
    if (!h->intro)
        h->intro = spur_strdup("");
    h->outro = spur_hunt_get_str(l, root, "", "outro", 0);
    if (!h->outro)
        h->outro = spur_strdup("");
    /* Both are read on a phone; a longer text is a mistake (a pasted file). */
    if (strlen(h->intro) > SPUR_HUNT_TEXT_MAX)
        spur_hunt_error(l, "intro", "\"intro\" has at most %d bytes", SPUR_HUNT_TEXT_MAX);
    if (strlen(h->outro) > SPUR_HUNT_TEXT_MAX)
        spur_hunt_error(l, "outro", "\"outro\" has at most %d bytes", SPUR_HUNT_TEXT_MAX);
    h->photo_consent = spur_hunt_get_str(l, root, "", "photo_consent", 0);
    if (h->photo_consent && strlen(h->photo_consent) > SPUR_PHOTO_CONSENT_MAX)
        spur_hunt_error(l, "photo_consent", "\"photo_consent\" has at most %d bytes",
                        SPUR_PHOTO_CONSENT_MAX);
    h->intro_html = spur_markdown_html(h->intro, strlen(h->intro));
    h->outro_html = spur_markdown_html(h->outro, strlen(h->outro));
    h->language = spur_hunt_get_str(l, root, "", "language", 0);
    if (h->language && strcmp(h->language, "de") != 0 && strcmp(h->language, "en") != 0)
        spur_hunt_error(l, "language", "\"language\" must be \"de\" or \"en\", not \"%s\"",
                        h->language);
    if (!h->language) {
        h->language = spur_strdup("de");
    }
    h->time_zone = spur_hunt_get_tz(l, root);
    int s = spur_hunt_get_time(l, root, "", "starts_at", 1, &h->starts_at);
    int e = spur_hunt_get_time(l, root, "", "ends_at", 1, &h->ends_at);
    l->times_ok = s == 1 && e == 1;
    if (l->times_ok && h->ends_at <= h->starts_at)
        spur_hunt_error(l, "ends_at", "\"ends_at\" must be after \"starts_at\"");
    if (spur_hunt_get_time(l, root, "", "freeze_at", 0, &h->freeze_at) == 1) {
        if (l->times_ok && (h->freeze_at < h->starts_at || h->freeze_at > h->ends_at))
            spur_hunt_error(l, "freeze_at",
                            "\"freeze_at\" must be between \"starts_at\" and \"ends_at\"");
    } else {
        h->freeze_at = h->ends_at;
    }
    /* Offline items made before the end may arrive this long after it; a day covers
       a phone that was off overnight, more would keep the results open for weeks. */
    spur_hunt_get_int(l, root, "", "late_sync_grace", 0, 0, SPUR_LATE_SYNC_GRACE_MAX, 600, &grace);
    h->late_sync_grace = grace;
    spur_hunt_get_int(l, root, "", "guess_limit", 0, 1, SPUR_GUESS_LIMIT_MAX, 10, &h->guess_limit);
    spur_hunt_get_int(l, root, "", "guess_window", 0, 1, INT_MAX, 60, &h->guess_window);
    spur_hunt_get_int(l, root, "", "max_team_members", 0, 1, SPUR_TEAM_MEMBERS_MAX, 20,
                      &h->max_team_members);
    spur_hunt_get_int(l, root, "", "max_accuracy", 0, SPUR_CHECKIN_RADIUS_MIN,
                      SPUR_CHECKIN_RADIUS_MAX, SPUR_MAX_ACCURACY, &h->max_accuracy);
    h->draw_beacon = spur_hunt_get_draw_beacon(l, root);
    load_contact(l, root);
    load_branding(l, root);
    load_map(l, root);
    /* contacts are deleted this many days after the end (0: only by `spur purge`) */
    spur_hunt_get_int(l, root, "", "purge_after_days", 0, 1, SPUR_PURGE_DAYS_MAX, 0,
                      &h->purge_after_days);
}

/* A hunt with photo puzzles: the consent the app shows before the first upload, and
 * time after the end for staff to review (reviews close at draw_from, when the draw
 * lists are fixed). */
static void photo_warnings(spur_hunt_loader_t *l)
{
    const spur_hunt_t *h = l->h;
    int any = 0, staff = 0;
    for (size_t i = 0; i < h->npuzzles; i++)
        if (h->puzzles[i].kind == SPUR_KIND_PHOTO) {
            any = 1;
            staff |= h->puzzles[i].review == SPUR_REVIEW_STAFF;
        }
    if (any && !h->photo_consent)
        spur_hunt_warning(l, "",
                          "photo puzzles without \"photo_consent\": the app shows its own "
                          "short notice before the first upload");
    if (staff && h->late_sync_grace < 1800)
        spur_hunt_warning(l, "late_sync_grace",
                          "staff review photos until \"ends_at\" plus \"late_sync_grace\" (%d s "
                          "here): a longer \"late_sync_grace\" (e.g. 3600) leaves time to review "
                          "the last ones",
                          (int)h->late_sync_grace);
}

spur_hunt_t *spur_hunt_from_json(const cJSON *root, spur_diags_t *diags)
{
    spur_diags_t local = {0};
    spur_hunt_loader_t l = {.d = diags ? diags : &local};
    size_t errors_before = l.d->errors;

    if (!cJSON_IsObject(root)) {
        spur_diags_add(l.d, 0, "", "a hunt file must be a JSON object");
        spur_diags_free(&local);
        return NULL;
    }
    l.h = spur_calloc(1, sizeof(*l.h));
    load_header(&l, root);
    load_places(&l, root);
    spur_hunt_load_puzzles(&l, root);
    load_prizes(&l, root);

    for (size_t i = 0; i < l.h->nplaces; i++) {
        size_t k;
        for (k = 0; k < l.h->npuzzles; k++)
            if (l.h->puzzles[k].place == (int)i)
                break;
        if (k == l.h->npuzzles && l.h->places[i].id) {
            char *path = spur_hunt_path_index("places", i);
            spur_hunt_warning(&l, path, "place \"%s\" is not used by any puzzle",
                              l.h->places[i].id);
            free(path);
        }
    }

    photo_warnings(&l);

    spur_hunt_t *h = l.h;
    if (l.d->errors != errors_before) {
        spur_hunt_free(h);
        h = NULL;
    } else {
        /* ids are unique now: index them for lookups by id (requests, replay) */
        for (size_t i = 0; i < h->npuzzles; i++)
            spur_map_put(&h->puzzle_ids, h->puzzles[i].id, strlen(h->puzzles[i].id),
                         (void *)(i + 1));
        for (size_t i = 0; i < h->nplaces; i++)
            spur_map_put(&h->place_ids, h->places[i].id, strlen(h->places[i].id), (void *)(i + 1));
    }
    free(l.dead);
    spur_diags_free(&local);
    return h;
}

void spur_hunt_free(spur_hunt_t *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->nplaces; i++) {
        free(h->places[i].id);
        free(h->places[i].name);
        free(h->places[i].where);
        spur_hunt_image_free(h->places[i].image);
    }
    free(h->places);
    for (size_t i = 0; i < h->npuzzles; i++) {
        spur_puzzle_t *p = &h->puzzles[i];
        free(p->id);
        free(p->title);
        free(p->clue);
        free(p->clue_html);
        spur_hunt_image_free(p->image);
        free(p->requires);
        for (size_t k = 0; k < p->naccept; k++)
            free(p->accept[k]);
        free(p->accept);
        for (size_t k = 0; k < p->npartial; k++) {
            free(p->partial[k].norm);
            free(p->partial[k].message);
        }
        free(p->partial);
        for (size_t k = 0; k < p->nchoices; k++)
            free(p->choices[k]);
        free(p->choices);
        for (size_t k = 0; k < p->nhints; k++) {
            free(p->hints[k].text);
            free(p->hints[k].text_html);
        }
        free(p->hints);
    }
    free(h->puzzles);
    for (size_t i = 0; i < h->nprizes; i++) {
        free(h->prizes[i].id);
        free(h->prizes[i].name);
    }
    free(h->prizes);
    spur_map_free(&h->puzzle_ids);
    spur_map_free(&h->place_ids);
    free(h->id);
    free(h->title);
    free(h->intro);
    free(h->intro_html);
    free(h->outro);
    free(h->photo_consent);
    free(h->outro_html);
    free(h->language);
    free(h->draw_beacon);
    free(h->contact_label);
    free(h->contact_privacy);
    free(h->time_zone);
    free(h->brand_organizer);
    free(h->brand_accent);
    free(h->brand_footer);
    spur_hunt_image_free(h->brand_logo);
    free(h->map_tiles);
    free(h->map_attribution);
    free(h);
}

/* By the index once the hunt is built; while it is being loaded (requires, places),
 * by a scan. */
int spur_hunt_puzzle_index(const spur_hunt_t *h, const char *id)
{
    if (!h || !id)
        return -1;
    if (h->puzzle_ids.count) {
        void *v = spur_map_get(&h->puzzle_ids, id, strlen(id));
        return v ? (int)((uintptr_t)v - 1) : -1;
    }
    for (size_t i = 0; i < h->npuzzles; i++)
        if (h->puzzles[i].id && strcmp(h->puzzles[i].id, id) == 0)
            return (int)i;
    return -1;
}

int spur_hunt_place_index(const spur_hunt_t *h, const char *id)
{
    if (!h || !id)
        return -1;
    if (h->place_ids.count) {
        void *v = spur_map_get(&h->place_ids, id, strlen(id));
        return v ? (int)((uintptr_t)v - 1) : -1;
    }
    for (size_t i = 0; i < h->nplaces; i++)
        if (h->places[i].id && strcmp(h->places[i].id, id) == 0)
            return (int)i;
    return -1;
}

int spur_hunt_prize_index(const spur_hunt_t *h, const char *id)
{
    for (size_t i = 0; h && id && i < h->nprizes; i++)
        if (h->prizes[i].id && strcmp(h->prizes[i].id, id) == 0)
            return (int)i;
    return -1;
}

int spur_hunt_each_image(spur_hunt_t *h, int (*fn)(spur_image_t *img, const char *path, void *data),
                         void *data)
{
    int rc = 0;
    char path[64];
    for (size_t i = 0; !rc && i < h->npuzzles; i++)
        if (h->puzzles[i].image) {
            snprintf(path, sizeof path, "puzzles[%zu].image", i);
            rc = fn(h->puzzles[i].image, path, data);
        }
    for (size_t i = 0; !rc && i < h->nplaces; i++)
        if (h->places[i].image) {
            snprintf(path, sizeof path, "places[%zu].image", i);
            rc = fn(h->places[i].image, path, data);
        }
    if (!rc && h->brand_logo)
        rc = fn(h->brand_logo, "branding.logo", data);
    return rc;
}

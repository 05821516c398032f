/* The loader's reading helpers (hunt_load.h): diagnostics, JSON paths in the
 * syntax spur_json_locate understands (".key", "[N]", ["odd key"]), "did you mean"
 * suggestions, and typed member readers that report what is wrong with a value at
 * its path. Keys starting with "_" are comments: allowed everywhere, never read.
 * Pure C, no I/O, no globals; any thread. */
#include "hunt_load.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

/* ---- diagnostics ---- */

static void diags_vadd(spur_diags_t *d, int warning, const char *path, const char *fmt, va_list ap)
{
    if (!d)
        return;
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = spur_realloc(d->items, d->cap * sizeof(*d->items));
    }
    spur_diag_t *it = &d->items[d->n++];
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    it->message = spur_malloc((size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(it->message, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
    it->path = spur_strdup(path ? path : "");
    it->warning = warning ? 1 : 0;
    if (!warning)
        d->errors++;
}

void spur_diags_add(spur_diags_t *d, int warning, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_vadd(d, warning, path, fmt, ap);
    va_end(ap);
}

void spur_diags_free(spur_diags_t *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].path);
        free(d->items[i].message);
    }
    free(d->items);
    memset(d, 0, sizeof(*d));
}

void spur_hunt_error(spur_hunt_loader_t *l, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_vadd(l->d, 0, path, fmt, ap);
    va_end(ap);
}

void spur_hunt_warning(spur_hunt_loader_t *l, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_vadd(l->d, 1, path, fmt, ap);
    va_end(ap);
}

/* ---- paths ---- */

static int plain_key(const char *k)
{
    if (!*k)
        return 0;
    for (; *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
              *k == '_' || *k == '-'))
            return 0;
    return 1;
}

/* base + key, as a new string */
char *spur_hunt_path_key(const char *base, const char *key)
{
    spur_buf_t b = {0};
    spur_buf_puts(&b, base);
    if (plain_key(key)) {
        if (*base)
            spur_buf_puts(&b, ".");
        spur_buf_puts(&b, key);
    } else {
        spur_buf_puts(&b, "[");
        spur_buf_json_str(&b, key);
        spur_buf_puts(&b, "]");
    }
    return spur_buf_steal(&b, NULL);
}

char *spur_hunt_path_index(const char *base, size_t i)
{
    return spur_asprintf("%s[%zu]", base, i);
}

/* ---- "did you mean" ---- */

/* Optimal string alignment distance (Levenshtein plus adjacent transposition),
 * capped: only short keys and ids are compared. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    enum { N = 65 };
    size_t d[3][N];

    if (la >= N || lb >= N)
        return SIZE_MAX;
    size_t *prev2 = d[0], *prev = d[1], *cur = d[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v)
                v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

/* The closest of n candidates to word, or NULL when none is close. */
const char *spur_hunt_suggest(const char *word, const char *const *cands, size_t n)
{
    size_t best = SIZE_MAX, len = strlen(word);
    size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    const char *found = NULL;

    for (size_t i = 0; i < n; i++) {
        if (!cands[i])
            continue;
        size_t dist = edit_distance(word, cands[i]);
        if (dist <= limit && dist < best) {
            best = dist;
            found = cands[i];
        }
    }
    return found;
}

/* ---- typed members ---- */

const char *spur_hunt_type_name(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    return "invalid";
}

void spur_hunt_check_keys(spur_hunt_loader_t *l, const cJSON *obj, const char *path,
                          const char *const *allowed, size_t nallowed)
{
    for (const cJSON *c = obj->child; c; c = c->next) {
        const char *k = c->string ? c->string : "";
        size_t i;
        for (i = 0; i < nallowed; i++)
            if (strcmp(k, allowed[i]) == 0)
                break;
        if (i < nallowed || spur_hunt_is_comment(k))
            continue;
        char *p = spur_hunt_path_key(path, k);
        const char *s = spur_hunt_suggest(k, allowed, nallowed);
        if (s)
            spur_hunt_error(l, p, "unknown key \"%s\"; did you mean \"%s\"?", k, s);
        else
            spur_hunt_error(l, p, "unknown key \"%s\"", k);
        free(p);
    }
}

void spur_hunt_missing(spur_hunt_loader_t *l, const char *path, const char *key)
{
    spur_hunt_error(l, path, "missing required key \"%s\"", key);
}

void spur_hunt_wrong_type(spur_hunt_loader_t *l, const char *path, const char *key,
                          const char *want, const cJSON *v)
{
    char *p = spur_hunt_path_key(path, key);
    spur_hunt_error(l, p, "\"%s\" must be %s, not %s", key, want, spur_hunt_type_name(v));
    free(p);
}

/* A string member, copied; NULL when absent or wrong (then an error was added, or,
 * for an absent optional key, nothing). */
char *spur_hunt_get_str(spur_hunt_loader_t *l, const cJSON *obj, const char *path, const char *key,
                        int required)
{
    const cJSON *v = spur_hunt_member(obj, key);
    if (!v) {
        if (required)
            spur_hunt_missing(l, path, key);
        return NULL;
    }
    if (!cJSON_IsString(v)) {
        spur_hunt_wrong_type(l, path, key, "a string", v);
        return NULL;
    }
    if (required && !v->valuestring[0]) {
        char *p = spur_hunt_path_key(path, key);
        spur_hunt_error(l, p, "\"%s\" must not be empty", key);
        free(p);
        return NULL;
    }
    return spur_strdup(v->valuestring);
}

/* An integer member in [min, max]. *out = def unless a valid value was found.
 * Returns 1 when present and valid, 0 when absent, -1 when wrong. */
int spur_hunt_get_int(spur_hunt_loader_t *l, const cJSON *obj, const char *path, const char *key,
                      int required, int min, int max, int def, int *out)
{
    const cJSON *v = spur_hunt_member(obj, key);
    *out = def;
    if (!v) {
        if (required)
            spur_hunt_missing(l, path, key);
        return required ? -1 : 0;
    }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
        floor(v->valuedouble) != v->valuedouble) {
        spur_hunt_wrong_type(l, path, key, "an integer", v);
        return -1;
    }
    if (v->valuedouble < min || v->valuedouble > max) {
        char *p = spur_hunt_path_key(path, key);
        if (max == INT_MAX)
            spur_hunt_error(l, p, "\"%s\" must be at least %d", key, min);
        else
            spur_hunt_error(l, p, "\"%s\" must be between %d and %d", key, min, max);
        free(p);
        return -1;
    }
    *out = (int)v->valuedouble;
    return 1;
}

int spur_hunt_get_double(spur_hunt_loader_t *l, const cJSON *obj, const char *path, const char *key,
                         int required, double *out)
{
    const cJSON *v = spur_hunt_member(obj, key);
    if (!v) {
        if (required)
            spur_hunt_missing(l, path, key);
        return required ? -1 : 0;
    }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
        spur_hunt_wrong_type(l, path, key, "a number", v);
        return -1;
    }
    *out = v->valuedouble;
    return 1;
}

int spur_hunt_get_time(spur_hunt_loader_t *l, const cJSON *obj, const char *path, const char *key,
                       int required, int64_t *out)
{
    const cJSON *v = spur_hunt_member(obj, key);
    if (!v) {
        if (required)
            spur_hunt_missing(l, path, key);
        return required ? -1 : 0;
    }
    if (!cJSON_IsString(v)) {
        spur_hunt_wrong_type(l, path, key, "an RFC 3339 time string", v);
        return -1;
    }
    if (spur_time_parse(v->valuestring, out) < 0) {
        char *p = spur_hunt_path_key(path, key);
        spur_hunt_error(
            l, p, "\"%s\" is not an RFC 3339 time such as \"2026-06-18T10:00:00+02:00\"", key);
        free(p);
        return -1;
    }
    return 1;
}

static int valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SPUR_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok =
            (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '_' || c == '-'));
        if (!ok)
            return 0;
    }
    return 1;
}

/* The "id" member: kept even when malformed (so references to it resolve and
 * only one error is reported), but a malformed one is an error. */
char *spur_hunt_get_id(spur_hunt_loader_t *l, const cJSON *obj, const char *path)
{
    char *id = spur_hunt_get_str(l, obj, path, "id", 1);
    if (id && !valid_id(id)) {
        char *p = spur_hunt_path_key(path, "id");
        spur_hunt_error(l, p,
                        "\"id\" must be 1 to %d characters of a-z, 0-9, \"_\" and \"-\", starting "
                        "with a letter or digit",
                        SPUR_ID_MAX);
        free(p);
    }
    return id;
}

/* The optional "draw_beacon": a description of a public random value (a lottery
 * drawing, say) that exists only after the deadline. It is shown to everyone from
 * the start, so it must read as one line: 1..SPUR_DRAW_BEACON_DESC_MAX characters,
 * no control characters. Returns a copy, or NULL when absent or wrong (reported). */
char *spur_hunt_get_draw_beacon(spur_hunt_loader_t *l, const cJSON *root)
{
    char *s = spur_hunt_get_str(l, root, "", "draw_beacon", 0);
    size_t chars = 0;
    int control = 0;

    if (!s)
        return NULL;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c < 0x20 || *c == 0x7f || (c[0] == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f))
            control = 1;
        chars += (*c & 0xc0) != 0x80;
    }
    if (chars == 0 || chars > SPUR_DRAW_BEACON_DESC_MAX || control) {
        spur_hunt_error(l, "draw_beacon",
                        "\"draw_beacon\" nennt in 1 bis %d Zeichen ohne Steuerzeichen die "
                        "öffentliche Zufallsquelle, die erst nach dem Ende feststeht (etwa eine "
                        "Lottoziehung) / \"draw_beacon\" names in 1 to %d characters without "
                        "control characters the public random value that exists only after the "
                        "end (a lottery drawing, say)",
                        SPUR_DRAW_BEACON_DESC_MAX, SPUR_DRAW_BEACON_DESC_MAX);
        free(s);
        return NULL;
    }
    return s;
}

int spur_hunt_tz_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > SPUR_TZ_NAME_MAX || name[0] == '/' || strstr(name, ".."))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '+' || c == '-' || c == '/'))
            return 0;
    }
    return 1;
}

/* The name is appended to a zoneinfo folder by the tool and the server (office/tz.c):
   the shape check keeps it inside that folder, so a hunt file cannot make them read
   another file. */
char *spur_hunt_get_tz(spur_hunt_loader_t *l, const cJSON *root)
{
    char *tz = spur_hunt_get_str(l, root, "", "time_zone", 0);
    if (tz && !spur_hunt_tz_name_ok(tz)) {
        spur_hunt_error(l, "time_zone",
                        "\"time_zone\" must be a time zone name such as \"Europe/Berlin\", not "
                        "\"%s\"",
                        tz);
        free(tz);
        tz = NULL;
    }
    return tz ? tz : spur_strdup(SPUR_TZ_DEFAULT);
}

/* An optional array member; NULL when absent or not an array (then an error). */
const cJSON *spur_hunt_get_array(spur_hunt_loader_t *l, const cJSON *obj, const char *path,
                                 const char *key)
{
    const cJSON *v = spur_hunt_member(obj, key);
    if (v && !cJSON_IsArray(v)) {
        spur_hunt_wrong_type(l, path, key, "an array", v);
        return NULL;
    }
    return v;
}

static const char *const image_keys[] = {"file", "alt"};

/* Whether s holds something besides spaces. */
static int has_text(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 1;
    return 0;
}

spur_image_t *spur_hunt_get_image(spur_hunt_loader_t *l, const cJSON *obj, const char *path,
                                  const char *key)
{
    const cJSON *v = spur_hunt_member(obj, key);
    spur_image_t *img;
    char *ip;

    if (!v)
        return NULL;
    if (!cJSON_IsObject(v)) {
        spur_hunt_wrong_type(l, path, key, "an object", v);
        return NULL;
    }
    ip = spur_hunt_path_key(path, key);
    SPUR_HUNT_CHECK_KEYS(l, v, ip, image_keys);
    img = spur_calloc(1, sizeof(*img));
    img->file = spur_hunt_get_str(l, v, ip, "file", 1);
    img->alt = spur_hunt_get_str(l, v, ip, "alt", 0);
    if (img->file) {
        char *fp = spur_hunt_path_key(ip, "file");
        if (!img->file[0] || strlen(img->file) > SPUR_IMAGE_FILE_MAX)
            spur_hunt_error(l, fp, "\"file\" names the picture in 1 to %d bytes",
                            SPUR_IMAGE_FILE_MAX);
        else if (img->file[0] == '/' || strchr(img->file, '\\'))
            spur_hunt_error(l, fp,
                            "\"file\" is a path relative to the hunt file with / between "
                            "folders, like \"bilder/rathaus.jpg\"");
        free(fp);
    }
    if (!img->alt || !has_text(img->alt)) {
        char *ap = spur_hunt_path_key(ip, "alt");
        spur_hunt_error(l, img->alt ? ap : ip,
                        "a picture needs \"alt\": a short description of what it shows, read "
                        "out to people who cannot see it");
        free(ap);
    } else if (strlen(img->alt) > SPUR_IMAGE_ALT_MAX) {
        char *ap = spur_hunt_path_key(ip, "alt");
        spur_hunt_error(l, ap, "\"alt\" has at most %d bytes", SPUR_IMAGE_ALT_MAX);
        free(ap);
    }
    free(ip);
    return img;
}

void spur_hunt_image_free(spur_image_t *img)
{
    if (!img)
        return;
    free(img->file);
    free(img->alt);
    free(img->key);
    free(img);
}

/* The hunt loader: validates a parsed hunt file (DESIGN.md "The hunt file") and
 * builds the immutable spur_hunt_t, resolving ids to indices, pre-normalising
 * accepted and partial answers and turning times into Unix seconds.
 *
 * Keeps true: every problem is reported (the loader never stops at the first),
 * each located by the JSON path of the offending value, or of the enclosing
 * object when a key is missing; a hunt is returned only when no error was found,
 * and then every index in it is in range and the requires graph is acyclic.
 * Paths use ".key" and "[N]"; a key that is not a plain word is written
 * ["key"] in JSON string syntax, which spur_json_locate understands.
 * Pure C, no I/O, no globals; any thread. */
#include "hunt.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "core/mem.h"

#define POINTS_MAX 1000000 /* per puzzle and per hint cost, so sums fit an int */
#define COUNT_MAX 100000   /* prize winners and reserves */
#define CYCLE_NAMES_MAX 12 /* puzzle ids spelled out in a cycle message */

typedef struct {
    spur_diags_t *d;
    spur_hunt_t *h;
    int times_ok; /* starts_at and ends_at were both valid */
} loader_t;

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

static void error_at(loader_t *l, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warning_at(loader_t *l, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void error_at(loader_t *l, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_vadd(l->d, 0, path, fmt, ap);
    va_end(ap);
}

static void warning_at(loader_t *l, const char *path, const char *fmt, ...)
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
static char *path_key(const char *base, const char *key)
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

static char *path_index(const char *base, size_t i)
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
static const char *suggest(const char *word, const char *const *cands, size_t n)
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

static const char *type_name(const cJSON *v)
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

static void check_keys(loader_t *l, const cJSON *obj, const char *path, const char *const *allowed,
                       size_t nallowed)
{
    for (const cJSON *c = obj->child; c; c = c->next) {
        const char *k = c->string ? c->string : "";
        size_t i;
        for (i = 0; i < nallowed; i++)
            if (strcmp(k, allowed[i]) == 0)
                break;
        if (i < nallowed)
            continue;
        char *p = path_key(path, k);
        const char *s = suggest(k, allowed, nallowed);
        if (s)
            error_at(l, p, "unknown key \"%s\"; did you mean \"%s\"?", k, s);
        else
            error_at(l, p, "unknown key \"%s\"", k);
        free(p);
    }
}

#define CHECK_KEYS(l, obj, path, list) check_keys(l, obj, path, list, sizeof(list) / sizeof(*list))

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static void missing(loader_t *l, const char *path, const char *key)
{
    error_at(l, path, "missing required key \"%s\"", key);
}

static void wrong_type(loader_t *l, const char *path, const char *key, const char *want,
                       const cJSON *v)
{
    char *p = path_key(path, key);
    error_at(l, p, "\"%s\" must be %s, not %s", key, want, type_name(v));
    free(p);
}

/* A string member, copied; NULL when absent or wrong (then an error was added, or,
 * for an absent optional key, nothing). */
static char *get_str(loader_t *l, const cJSON *obj, const char *path, const char *key, int required)
{
    const cJSON *v = member(obj, key);
    if (!v) {
        if (required)
            missing(l, path, key);
        return NULL;
    }
    if (!cJSON_IsString(v)) {
        wrong_type(l, path, key, "a string", v);
        return NULL;
    }
    if (required && !v->valuestring[0]) {
        char *p = path_key(path, key);
        error_at(l, p, "\"%s\" must not be empty", key);
        free(p);
        return NULL;
    }
    return spur_strdup(v->valuestring);
}

/* An integer member in [min, max]. *out = def unless a valid value was found.
 * Returns 1 when present and valid, 0 when absent, -1 when wrong. */
static int get_int(loader_t *l, const cJSON *obj, const char *path, const char *key, int required,
                   int min, int max, int def, int *out)
{
    const cJSON *v = member(obj, key);
    *out = def;
    if (!v) {
        if (required)
            missing(l, path, key);
        return required ? -1 : 0;
    }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
        floor(v->valuedouble) != v->valuedouble) {
        wrong_type(l, path, key, "an integer", v);
        return -1;
    }
    if (v->valuedouble < min || v->valuedouble > max) {
        char *p = path_key(path, key);
        if (max == INT_MAX)
            error_at(l, p, "\"%s\" must be at least %d", key, min);
        else
            error_at(l, p, "\"%s\" must be between %d and %d", key, min, max);
        free(p);
        return -1;
    }
    *out = (int)v->valuedouble;
    return 1;
}

static int get_double(loader_t *l, const cJSON *obj, const char *path, const char *key,
                      int required, double *out)
{
    const cJSON *v = member(obj, key);
    if (!v) {
        if (required)
            missing(l, path, key);
        return required ? -1 : 0;
    }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
        wrong_type(l, path, key, "a number", v);
        return -1;
    }
    *out = v->valuedouble;
    return 1;
}

static int get_time(loader_t *l, const cJSON *obj, const char *path, const char *key, int required,
                    int64_t *out)
{
    const cJSON *v = member(obj, key);
    if (!v) {
        if (required)
            missing(l, path, key);
        return required ? -1 : 0;
    }
    if (!cJSON_IsString(v)) {
        wrong_type(l, path, key, "an RFC 3339 time string", v);
        return -1;
    }
    if (spur_time_parse(v->valuestring, out) < 0) {
        char *p = path_key(path, key);
        error_at(l, p, "\"%s\" is not an RFC 3339 time such as \"2026-06-18T10:00:00+02:00\"", key);
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
static char *get_id(loader_t *l, const cJSON *obj, const char *path)
{
    char *id = get_str(l, obj, path, "id", 1);
    if (id && !valid_id(id)) {
        char *p = path_key(path, "id");
        error_at(l, p,
                 "\"id\" must be 1 to %d characters of a-z, 0-9, \"_\" and \"-\", starting "
                 "with a letter or digit",
                 SPUR_ID_MAX);
        free(p);
    }
    return id;
}

/* An optional array member; NULL when absent or not an array (then an error). */
static const cJSON *get_array(loader_t *l, const cJSON *obj, const char *path, const char *key)
{
    const cJSON *v = member(obj, key);
    if (v && !cJSON_IsArray(v)) {
        wrong_type(l, path, key, "an array", v);
        return NULL;
    }
    return v;
}

static char *normalized(loader_t *l, const char *path, const char *text)
{
    char *n = spur_answer_normalize(text, strlen(text));
    if (!n) {
        error_at(l, path, "answer is not valid UTF-8");
        return NULL;
    }
    if (!*n) {
        error_at(l, path,
                 "answer \"%s\" is empty after normalisation (only letters and digits count)",
                 text);
        free(n);
        return NULL;
    }
    return n;
}

/* ---- places ---- */

static const char *const place_keys[] = {"id", "name", "lat", "lon", "where"};

static void load_places(loader_t *l, const cJSON *root)
{
    spur_hunt_t *h = l->h;
    const cJSON *arr = get_array(l, root, "", "places");
    size_t n = arr ? (size_t)cJSON_GetArraySize(arr) : 0;

    if (n > SPUR_MAX_PLACES) {
        error_at(l, "places", "too many places (%zu; at most %d)", n, SPUR_MAX_PLACES);
        return;
    }
    h->places = spur_calloc(n, sizeof(*h->places));
    h->nplaces = n;
    size_t i = 0;
    for (const cJSON *it = arr ? arr->child : NULL; it; it = it->next, i++) {
        spur_place_t *pl = &h->places[i];
        char *path = path_index("places", i);
        if (!cJSON_IsObject(it)) {
            error_at(l, path, "a place must be an object, not %s", type_name(it));
            free(path);
            continue;
        }
        CHECK_KEYS(l, it, path, place_keys);
        pl->id = get_id(l, it, path);
        pl->name = get_str(l, it, path, "name", 1);
        pl->where = get_str(l, it, path, "where", 0);
        int has_lat = get_double(l, it, path, "lat", 0, &pl->lat);
        int has_lon = get_double(l, it, path, "lon", 0, &pl->lon);
        if (has_lat == 1 && (pl->lat < -90 || pl->lat > 90)) {
            char *p = path_key(path, "lat");
            error_at(l, p, "\"lat\" must be between -90 and 90");
            free(p);
        }
        if (has_lon == 1 && (pl->lon < -180 || pl->lon > 180)) {
            char *p = path_key(path, "lon");
            error_at(l, p, "\"lon\" must be between -180 and 180");
            free(p);
        }
        if ((has_lat == 1) != (has_lon == 1) && has_lat >= 0 && has_lon >= 0)
            error_at(l, path, "a place gives both \"lat\" and \"lon\" or neither");
        pl->has_pos = has_lat == 1 && has_lon == 1;
        for (size_t j = 0; pl->id && j < i; j++)
            if (h->places[j].id && strcmp(h->places[j].id, pl->id) == 0) {
                char *p = path_key(path, "id");
                error_at(l, p, "duplicate place id \"%s\" (also places[%zu])", pl->id, j);
                free(p);
                break;
            }
        free(path);
    }
}

/* ---- puzzles ---- */

static const char *const puzzle_keys[] = {"id",     "title",    "kind",     "place",  "clue",
                                          "points", "requires", "opens_at", "answer", "hints"};
static const char *const answer_keys[] = {"accept",    "partial", "number",
                                          "tolerance", "choices", "correct"};
static const char *const hint_keys[] = {"text", "cost"};
static const char *const kind_names[] = {"text", "number", "choice", "scan"};

static void load_text_answer(loader_t *l, spur_puzzle_t *p, const cJSON *ans, const char *path)
{
    const cJSON *acc = get_array(l, ans, path, "accept");
    const cJSON *par = member(ans, "partial");
    char *apath = path_key(path, "accept");

    if (!member(ans, "accept"))
        error_at(l, path, "a text answer needs \"accept\" with at least one answer");
    else if (acc && !acc->child)
        error_at(l, apath, "\"accept\" needs at least one answer");
    if (acc) {
        size_t n = (size_t)cJSON_GetArraySize(acc), i = 0;
        p->accept = spur_calloc(n, sizeof(*p->accept));
        for (const cJSON *a = acc->child; a; a = a->next, i++) {
            char *ip = path_index(apath, i);
            if (!cJSON_IsString(a))
                error_at(l, ip, "an accepted answer must be a string, not %s", type_name(a));
            else if ((p->accept[p->naccept] = normalized(l, ip, a->valuestring)))
                p->naccept++;
            free(ip);
        }
    }
    if (par && !cJSON_IsObject(par)) {
        wrong_type(l, path, "partial", "an object of answer: message", par);
    } else if (par) {
        char *ppath = path_key(path, "partial");
        size_t n = (size_t)cJSON_GetArraySize(par);
        p->partial = spur_calloc(n, sizeof(*p->partial));
        for (const cJSON *a = par->child; a; a = a->next) {
            char *ip = path_key(ppath, a->string ? a->string : "");
            if (!cJSON_IsString(a) || !a->valuestring[0]) {
                error_at(l, ip, "a partial answer's message must be a non-empty string");
            } else {
                char *norm = normalized(l, ip, a->string ? a->string : "");
                for (size_t k = 0; norm && k < p->naccept; k++)
                    if (strcmp(norm, p->accept[k]) == 0) {
                        error_at(l, ip, "partial answer \"%s\" is also an accepted answer",
                                 a->string);
                        free(norm);
                        norm = NULL;
                    }
                if (norm) {
                    p->partial[p->npartial].norm = norm;
                    p->partial[p->npartial].message = spur_strdup(a->valuestring);
                    p->npartial++;
                }
            }
            free(ip);
        }
        free(ppath);
    }
    free(apath);
}

static void load_number_answer(loader_t *l, spur_puzzle_t *p, const cJSON *ans, const char *path)
{
    get_double(l, ans, path, "number", 1, &p->number);
    if (get_double(l, ans, path, "tolerance", 0, &p->tolerance) == 1 && p->tolerance < 0) {
        char *tp = path_key(path, "tolerance");
        error_at(l, tp, "\"tolerance\" must not be negative");
        free(tp);
        p->tolerance = 0;
    }
}

static void load_choice_answer(loader_t *l, spur_puzzle_t *p, const cJSON *ans, const char *path)
{
    const cJSON *ch = get_array(l, ans, path, "choices");
    char *cpath = path_key(path, "choices");
    char **norms = NULL;

    if (!member(ans, "choices"))
        missing(l, path, "choices");
    else if (ch && !ch->child)
        error_at(l, cpath, "\"choices\" needs at least one choice");
    if (ch) {
        size_t n = (size_t)cJSON_GetArraySize(ch), i = 0;
        p->choices = spur_calloc(n, sizeof(*p->choices));
        norms = spur_calloc(n, sizeof(*norms));
        for (const cJSON *c = ch->child; c; c = c->next, i++) {
            char *ip = path_index(cpath, i);
            if (!cJSON_IsString(c)) {
                error_at(l, ip, "a choice must be a string, not %s", type_name(c));
                p->choices[i] = spur_strdup("");
            } else {
                p->choices[i] = spur_strdup(c->valuestring);
                norms[i] = normalized(l, ip, c->valuestring);
                for (size_t j = 0; norms[i] && j < i; j++)
                    if (norms[j] && strcmp(norms[i], norms[j]) == 0) {
                        error_at(l, ip, "choice \"%s\" is the same answer as choices[%zu]",
                                 c->valuestring, j);
                        break;
                    }
            }
            free(ip);
        }
        p->nchoices = n;
        for (i = 0; i < n; i++)
            free(norms[i]);
        free(norms);
    }
    if (get_int(l, ans, path, "correct", 1, 0, INT_MAX, 0, &p->correct) == 1 && ch &&
        (size_t)p->correct >= p->nchoices) {
        char *kp = path_key(path, "correct");
        error_at(l, kp, "\"correct\" is %d but the choices are numbered 0 to %zu", p->correct,
                 p->nchoices ? p->nchoices - 1 : 0);
        free(kp);
    }
    free(cpath);
}

/* kind: the explicit "kind" or -1. Sets p->kind from the answer. */
static void load_answer(loader_t *l, spur_puzzle_t *p, const cJSON *ans, const char *ppath,
                        int kind)
{
    char *path = path_key(ppath, "answer");
    int text = member(ans, "accept") || member(ans, "partial");
    int num = member(ans, "number") || member(ans, "tolerance");
    int choice = member(ans, "choices") || member(ans, "correct");

    if (!cJSON_IsObject(ans)) {
        error_at(l, path, "\"answer\" must be an object, not %s", type_name(ans));
        goto out;
    }
    CHECK_KEYS(l, ans, path, answer_keys);
    if (text + num + choice > 1) {
        error_at(l, path,
                 "\"answer\" mixes kinds: \"accept\"/\"partial\" are for text, "
                 "\"number\"/\"tolerance\" for numbers, \"choices\"/\"correct\" for choices");
        goto out;
    }
    if (text + num + choice == 0) {
        error_at(l, path, "\"answer\" needs \"accept\", \"number\" or \"choices\"");
        goto out;
    }
    p->kind = text ? SPUR_KIND_TEXT : num ? SPUR_KIND_NUMBER : SPUR_KIND_CHOICE;
    if (kind >= 0 && (spur_kind_t)kind != p->kind) {
        char *kp = path_key(ppath, "kind");
        error_at(l, kp, "\"kind\" is \"%s\" but the answer is of kind \"%s\"", kind_names[kind],
                 kind_names[p->kind]);
        free(kp);
    }
    if (p->kind == SPUR_KIND_TEXT)
        load_text_answer(l, p, ans, path);
    else if (p->kind == SPUR_KIND_NUMBER)
        load_number_answer(l, p, ans, path);
    else
        load_choice_answer(l, p, ans, path);
out:
    free(path);
}

static void load_hints(loader_t *l, spur_puzzle_t *p, const cJSON *obj, const char *ppath)
{
    const cJSON *arr = get_array(l, obj, ppath, "hints");
    char *path = path_key(ppath, "hints");
    size_t n = arr ? (size_t)cJSON_GetArraySize(arr) : 0, i = 0;
    long total = 0;

    if (n > SPUR_MAX_HINTS) {
        error_at(l, path, "too many hints (%zu; at most %d)", n, SPUR_MAX_HINTS);
        goto out;
    }
    p->hints = spur_calloc(n, sizeof(*p->hints));
    for (const cJSON *it = arr ? arr->child : NULL; it; it = it->next, i++) {
        char *ip = path_index(path, i);
        if (!cJSON_IsObject(it)) {
            error_at(l, ip, "a hint must be an object, not %s", type_name(it));
        } else {
            spur_hint_t *hn = &p->hints[p->nhints++];
            CHECK_KEYS(l, it, ip, hint_keys);
            hn->text = get_str(l, it, ip, "text", 1);
            get_int(l, it, ip, "cost", 0, 0, POINTS_MAX, 0, &hn->cost);
            total += hn->cost;
        }
        free(ip);
    }
    if (total > p->points)
        warning_at(l, path, "the hints cost %ld points, more than the puzzle's %d", total,
                   p->points);
out:
    free(path);
}

static void load_puzzle(loader_t *l, size_t i, const cJSON *it, const char *path)
{
    spur_hunt_t *h = l->h;
    spur_puzzle_t *p = &h->puzzles[i];
    const cJSON *ans = member(it, "answer");
    int kind = -1;

    CHECK_KEYS(l, it, path, puzzle_keys);
    p->id = get_id(l, it, path);
    p->title = get_str(l, it, path, "title", 1);
    p->clue = get_str(l, it, path, "clue", 0);
    if (!p->clue)
        p->clue = spur_strdup("");
    get_int(l, it, path, "points", 1, 0, POINTS_MAX, 0, &p->points);
    for (size_t j = 0; p->id && j < i; j++)
        if (h->puzzles[j].id && strcmp(h->puzzles[j].id, p->id) == 0) {
            char *ip = path_key(path, "id");
            error_at(l, ip, "duplicate puzzle id \"%s\" (also puzzles[%zu])", p->id, j);
            free(ip);
            break;
        }

    char *kindstr = get_str(l, it, path, "kind", 0);
    if (kindstr) {
        for (int k = 0; k < 4; k++)
            if (strcmp(kindstr, kind_names[k]) == 0)
                kind = k;
        if (kind < 0) {
            char *kp = path_key(path, "kind");
            error_at(l, kp,
                     "unknown kind \"%s\" (use \"scan\", or \"text\", \"number\", \"choice\" "
                     "to match the answer)",
                     kindstr);
            free(kp);
        }
        free(kindstr);
    }

    p->place = -1;
    char *place = get_str(l, it, path, "place", 0);
    if (place) {
        p->place = spur_hunt_place_index(h, place);
        if (p->place < 0) {
            const char **ids = spur_calloc(h->nplaces, sizeof(*ids));
            for (size_t j = 0; j < h->nplaces; j++)
                ids[j] = h->places[j].id;
            const char *s = suggest(place, ids, h->nplaces);
            char *pp = path_key(path, "place");
            if (s)
                error_at(l, pp, "unknown place \"%s\"; did you mean \"%s\"?", place, s);
            else
                error_at(l, pp, "unknown place \"%s\"", place);
            free(pp);
            free(ids);
        }
        free(place);
    }

    if (kind == SPUR_KIND_SCAN) {
        p->kind = SPUR_KIND_SCAN;
        if (!member(it, "place"))
            error_at(l, path, "a scan puzzle needs a \"place\"");
        if (ans) {
            char *ap = path_key(path, "answer");
            error_at(l, ap, "a scan puzzle is solved by scanning its place; it has no \"answer\"");
            free(ap);
        }
    } else if (!ans) {
        error_at(l, path, "missing required key \"answer\" (only a \"scan\" puzzle has none)");
    } else {
        load_answer(l, p, ans, path, kind);
    }

    if (get_time(l, it, path, "opens_at", 0, &p->opens_at) == 1 && l->times_ok &&
        p->opens_at > h->ends_at) {
        char *op = path_key(path, "opens_at");
        warning_at(l, op, "\"opens_at\" is after \"ends_at\": the puzzle never opens");
        free(op);
    }
    get_array(l, it, path, "requires"); /* type only; resolved once all ids are known */
    load_hints(l, p, it, path);
}

static void resolve_requires(loader_t *l, size_t i, const cJSON *it, const char *path)
{
    spur_hunt_t *h = l->h;
    spur_puzzle_t *p = &h->puzzles[i];
    const cJSON *arr = member(it, "requires");
    char *rpath;
    size_t k = 0;

    if (!cJSON_IsArray(arr))
        return;
    rpath = path_key(path, "requires");
    p->requires = spur_calloc((size_t)cJSON_GetArraySize(arr), sizeof(*p->requires));
    for (const cJSON *r = arr->child; r; r = r->next, k++) {
        char *ip = path_index(rpath, k);
        int idx = cJSON_IsString(r) ? spur_hunt_puzzle_index(h, r->valuestring) : -1;
        if (!cJSON_IsString(r)) {
            error_at(l, ip, "a required puzzle is named by its id string, not %s", type_name(r));
        } else if (idx < 0) {
            const char **ids = spur_calloc(h->npuzzles, sizeof(*ids));
            for (size_t j = 0; j < h->npuzzles; j++)
                ids[j] = h->puzzles[j].id;
            const char *s = suggest(r->valuestring, ids, h->npuzzles);
            if (s)
                error_at(l, ip, "requires unknown puzzle \"%s\"; did you mean \"%s\"?",
                         r->valuestring, s);
            else
                error_at(l, ip, "requires unknown puzzle \"%s\"", r->valuestring);
            free(ids);
        } else {
            size_t j;
            for (j = 0; j < p->nrequires; j++)
                if (p->requires[j] == idx)
                    break;
            if (j == p->nrequires)
            p->requires[p->nrequires++] = idx;
        }
        free(ip);
    }
    free(rpath);
}

/* Depth-first search over requires; colour 0 = unseen, 1 = on the stack, 2 = done.
 * Reports each back edge as a cycle at the requires of the puzzle it starts from. */
static void find_cycles(loader_t *l, int v, char *colour, int *stack, size_t depth)
{
    const spur_hunt_t *h = l->h;

    colour[v] = 1;
    stack[depth] = v;
    for (size_t k = 0; k < h->puzzles[v].nrequires; k++) {
        int w = h->puzzles[v].requires[k];
        if (colour[w] == 0) {
            find_cycles(l, w, colour, stack, depth + 1);
        } else if (colour[w] == 1) {
            size_t start = depth;
            while (stack[start] != w)
                start--;
            spur_buf_t b = {0};
            for (size_t s = start, shown = 0; s <= depth; s++, shown++) {
                if (shown == CYCLE_NAMES_MAX) {
                    spur_buf_puts(&b, "... -> ");
                    break;
                }
                spur_buf_printf(&b, "%s -> ", h->puzzles[stack[s]].id);
            }
            spur_buf_puts(&b, h->puzzles[w].id);
            char *path = spur_asprintf("puzzles[%d].requires", v);
            if (w == v)
                error_at(l, path, "puzzle \"%s\" requires itself", h->puzzles[v].id);
            else
                error_at(l, path, "\"requires\" forms a cycle: %s", b.data);
            free(path);
            spur_buf_free(&b);
        }
    }
    colour[v] = 2;
}

static void load_puzzles(loader_t *l, const cJSON *root)
{
    spur_hunt_t *h = l->h;
    const cJSON *arr = get_array(l, root, "", "puzzles");
    size_t n = arr ? (size_t)cJSON_GetArraySize(arr) : 0, i;
    const cJSON *it;

    if (!member(root, "puzzles"))
        missing(l, "", "puzzles");
    else if (arr && n == 0)
        warning_at(l, "puzzles", "the hunt has no puzzles");
    if (n > SPUR_MAX_PUZZLES) {
        error_at(l, "puzzles", "too many puzzles (%zu; at most %d)", n, SPUR_MAX_PUZZLES);
        return;
    }
    h->puzzles = spur_calloc(n, sizeof(*h->puzzles));
    h->npuzzles = n;
    for (i = 0, it = arr ? arr->child : NULL; it; it = it->next, i++) {
        h->puzzles[i].place = -1;
        char *path = path_index("puzzles", i);
        if (!cJSON_IsObject(it))
            error_at(l, path, "a puzzle must be an object, not %s", type_name(it));
        else
            load_puzzle(l, i, it, path);
        free(path);
    }
    for (i = 0, it = arr ? arr->child : NULL; it; it = it->next, i++) {
        char *path = path_index("puzzles", i);
        if (cJSON_IsObject(it))
            resolve_requires(l, i, it, path);
        free(path);
    }
    if (n) {
        char *colour = spur_calloc(n, 1);
        int *stack = spur_calloc(n, sizeof(*stack));
        for (i = 0; i < n; i++)
            if (!colour[i])
                find_cycles(l, (int)i, colour, stack, 0);
        free(colour);
        free(stack);
    }
}

/* ---- prizes ---- */

static const char *const prize_keys[] = {"id", "name", "count", "reserves", "eligible"};
static const char *const elig_keys[] = {"min_score"};

static void load_prize(loader_t *l, spur_prize_t *pz, const cJSON *it, const char *path,
                       long max_score)
{
    const cJSON *count = member(it, "count");
    const cJSON *elig = member(it, "eligible");

    CHECK_KEYS(l, it, path, prize_keys);
    pz->id = get_id(l, it, path);
    pz->name = get_str(l, it, path, "name", 1);
    if (cJSON_IsString(count)) {
        if (strcmp(count->valuestring, "all") == 0) {
            pz->count = SPUR_PRIZE_ALL;
        } else {
            char *cp = path_key(path, "count");
            error_at(l, cp, "\"count\" must be a number of winners or \"all\"");
            free(cp);
        }
    } else if (count && !cJSON_IsNumber(count)) {
        wrong_type(l, path, "count", "an integer or \"all\"", count);
    } else {
        get_int(l, it, path, "count", 1, 1, COUNT_MAX, 1, &pz->count);
    }
    if (get_int(l, it, path, "reserves", 0, 0, COUNT_MAX, 0, &pz->reserves) == 1 &&
        pz->count == SPUR_PRIZE_ALL && pz->reserves > 0) {
        char *rp = path_key(path, "reserves");
        warning_at(l, rp, "\"reserves\" has no effect when \"count\" is \"all\"");
        free(rp);
    }
    char *ep = path_key(path, "eligible");
    pz->eligible = SPUR_ELIG_ALL;
    if (!elig) {
        /* default: every team that scored */
    } else if (cJSON_IsString(elig)) {
        if (strcmp(elig->valuestring, "finished") == 0)
            pz->eligible = SPUR_ELIG_FINISHED;
        else if (strcmp(elig->valuestring, "all") != 0)
            error_at(l, ep,
                     "\"eligible\" must be \"all\", \"finished\" or {\"min_score\": N}, not "
                     "\"%s\"",
                     elig->valuestring);
    } else if (cJSON_IsObject(elig)) {
        CHECK_KEYS(l, elig, ep, elig_keys);
        pz->eligible = SPUR_ELIG_MIN_SCORE;
        if (get_int(l, elig, ep, "min_score", 1, 0, INT_MAX, 0, &pz->min_score) == 1 &&
            pz->min_score > max_score) {
            char *mp = path_key(ep, "min_score");
            error_at(l, mp, "\"min_score\" %d is above the highest possible score (%ld)",
                     pz->min_score, max_score);
            free(mp);
        }
    } else {
        wrong_type(l, path, "eligible", "\"all\", \"finished\" or {\"min_score\": N}", elig);
    }
    free(ep);
}

static void load_prizes(loader_t *l, const cJSON *root)
{
    spur_hunt_t *h = l->h;
    const cJSON *arr = get_array(l, root, "", "prizes");
    size_t n = arr ? (size_t)cJSON_GetArraySize(arr) : 0, i = 0;
    long max_score = 0;

    for (size_t k = 0; k < h->npuzzles; k++)
        max_score += h->puzzles[k].points;
    h->prizes = spur_calloc(n, sizeof(*h->prizes));
    h->nprizes = n;
    for (const cJSON *it = arr ? arr->child : NULL; it; it = it->next, i++) {
        char *path = path_index("prizes", i);
        spur_prize_t *pz = &h->prizes[i];
        if (!cJSON_IsObject(it)) {
            error_at(l, path, "a prize must be an object, not %s", type_name(it));
        } else {
            load_prize(l, pz, it, path, max_score);
            for (size_t j = 0; pz->id && j < i; j++)
                if (h->prizes[j].id && strcmp(h->prizes[j].id, pz->id) == 0) {
                    char *ip = path_key(path, "id");
                    error_at(l, ip, "duplicate prize id \"%s\" (also prizes[%zu])", pz->id, j);
                    free(ip);
                    break;
                }
        }
        free(path);
    }
}

/* ---- the hunt ---- */

static const char *const hunt_keys[] = {
    "id",      "title",     "intro",           "language",    "starts_at",
    "ends_at", "freeze_at", "late_sync_grace", "guess_limit", "guess_window",
    "places",  "puzzles",   "prizes"};

static void load_header(loader_t *l, const cJSON *root)
{
    spur_hunt_t *h = l->h;
    int grace;

    CHECK_KEYS(l, root, "", hunt_keys);
    h->id = get_id(l, root, "");
    h->title = get_str(l, root, "", "title", 1);
    h->intro = get_str(l, root, "", "intro", 0);
    if (!h->intro)
        h->intro = spur_strdup("");
    h->language = get_str(l, root, "", "language", 0);
    if (h->language && strcmp(h->language, "de") != 0 && strcmp(h->language, "en") != 0)
        error_at(l, "language", "\"language\" must be \"de\" or \"en\", not \"%s\"", h->language);
    if (!h->language) {
        h->language = spur_strdup("de");
    }
    int s = get_time(l, root, "", "starts_at", 1, &h->starts_at);
    int e = get_time(l, root, "", "ends_at", 1, &h->ends_at);
    l->times_ok = s == 1 && e == 1;
    if (l->times_ok && h->ends_at <= h->starts_at)
        error_at(l, "ends_at", "\"ends_at\" must be after \"starts_at\"");
    if (get_time(l, root, "", "freeze_at", 0, &h->freeze_at) == 1) {
        if (l->times_ok && (h->freeze_at < h->starts_at || h->freeze_at > h->ends_at))
            error_at(l, "freeze_at", "\"freeze_at\" must be between \"starts_at\" and \"ends_at\"");
    } else {
        h->freeze_at = h->ends_at;
    }
    get_int(l, root, "", "late_sync_grace", 0, 0, INT_MAX, 600, &grace);
    h->late_sync_grace = grace;
    get_int(l, root, "", "guess_limit", 0, 1, INT_MAX, 10, &h->guess_limit);
    get_int(l, root, "", "guess_window", 0, 1, INT_MAX, 60, &h->guess_window);
}

spur_hunt_t *spur_hunt_from_json(const cJSON *root, spur_diags_t *diags)
{
    spur_diags_t local = {0};
    loader_t l = {.d = diags ? diags : &local};
    size_t errors_before = l.d->errors;

    if (!cJSON_IsObject(root)) {
        spur_diags_add(l.d, 0, "", "a hunt file must be a JSON object");
        spur_diags_free(&local);
        return NULL;
    }
    l.h = spur_calloc(1, sizeof(*l.h));
    load_header(&l, root);
    load_places(&l, root);
    load_puzzles(&l, root);
    load_prizes(&l, root);

    for (size_t i = 0; i < l.h->nplaces; i++) {
        size_t k;
        for (k = 0; k < l.h->npuzzles; k++)
            if (l.h->puzzles[k].place == (int)i)
                break;
        if (k == l.h->npuzzles && l.h->places[i].id) {
            char *path = path_index("places", i);
            warning_at(&l, path, "place \"%s\" is not used by any puzzle", l.h->places[i].id);
            free(path);
        }
    }

    spur_hunt_t *h = l.h;
    if (l.d->errors != errors_before) {
        spur_hunt_free(h);
        h = NULL;
    }
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
    }
    free(h->places);
    for (size_t i = 0; i < h->npuzzles; i++) {
        spur_puzzle_t *p = &h->puzzles[i];
        free(p->id);
        free(p->title);
        free(p->clue);
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
        for (size_t k = 0; k < p->nhints; k++)
            free(p->hints[k].text);
        free(p->hints);
    }
    free(h->puzzles);
    for (size_t i = 0; i < h->nprizes; i++) {
        free(h->prizes[i].id);
        free(h->prizes[i].name);
    }
    free(h->prizes);
    free(h->id);
    free(h->title);
    free(h->intro);
    free(h->language);
    free(h);
}

int spur_hunt_puzzle_index(const spur_hunt_t *h, const char *id)
{
    for (size_t i = 0; h && id && i < h->npuzzles; i++)
        if (h->puzzles[i].id && strcmp(h->puzzles[i].id, id) == 0)
            return (int)i;
    return -1;
}

int spur_hunt_place_index(const spur_hunt_t *h, const char *id)
{
    for (size_t i = 0; h && id && i < h->nplaces; i++)
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

/* The loader's puzzles (hunt_load.h): each puzzle's kind, place, answer and hints,
 * then the requires graph: unknown ids, cycles, and puzzles that no team can ever
 * open because they, or a puzzle they require, open only after the end.
 * Pure C, no I/O, no globals; any thread. */
#include "hunt_load.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "core/mem.h"
#include "markdown.h"

#define CYCLE_NAMES_MAX 12 /* puzzle ids spelled out in a cycle message */

static char *normalized(spur_hunt_loader_t *l, const char *path, const char *text)
{
    char *n = spur_answer_normalize(text, strlen(text));
    if (!n) {
        spur_hunt_error(l, path, "answer is not valid UTF-8");
        return NULL;
    }
    if (!*n) {
        spur_hunt_error(
            l, path, "answer \"%s\" is empty after normalisation (only letters and digits count)",
            text);
        free(n);
        return NULL;
    }
    return n;
}

/* ---- puzzles ---- */

static const char *const puzzle_keys[] = {"id",     "title",    "kind",     "place",  "clue",
                                          "points", "requires", "opens_at", "answer", "hints",
                                          "image",  "radius",   "review"};
static const char *const answer_keys[] = {"accept",    "partial", "number",
                                          "tolerance", "choices", "correct"};
static const char *const hint_keys[] = {"text", "cost"};
static const char *const kind_names[] = {"text", "number", "choice", "scan", "checkin", "photo"};

const char *spur_kind_name(spur_kind_t k)
{
    return (size_t)k < sizeof kind_names / sizeof *kind_names ? kind_names[k] : "?";
}

/* Two answers of one puzzle that normalise alike: the second can never be told apart
 * from the first (an accepted one is judged before a partial one), which is a typo
 * more often than not, so the organizer hears of it; harmless otherwise, so a warning
 * and the second is left out. */
static void same_answer(spur_hunt_loader_t *l, const spur_puzzle_t *p, const char *path,
                        const char *first, const char *second)
{
    spur_hunt_warning(
        l, path, "puzzle \"%s\": the answers \"%s\" and \"%s\" are the same after normalisation",
        p->id ? p->id : "?", first, second);
}

static void load_text_answer(spur_hunt_loader_t *l, spur_puzzle_t *p, const cJSON *ans,
                             const char *path)
{
    const cJSON *acc = spur_hunt_get_array(l, ans, path, "accept");
    const cJSON *par = spur_hunt_member(ans, "partial");
    char *apath = spur_hunt_path_key(path, "accept");
    const char **given = NULL; /* what the file says for each of p->accept */

    if (!spur_hunt_member(ans, "accept"))
        spur_hunt_error(l, path, "a text answer needs \"accept\" with at least one answer");
    else if (acc && !acc->child)
        spur_hunt_error(l, apath, "\"accept\" needs at least one answer");
    if (acc) {
        size_t n = (size_t)cJSON_GetArraySize(acc), i = 0;
        p->accept = spur_calloc(n, sizeof(*p->accept));
        given = spur_calloc(n + 1, sizeof(*given));
        for (const cJSON *a = acc->child; a; a = a->next, i++) {
            char *ip = spur_hunt_path_index(apath, i), *norm = NULL;
            size_t k = 0;
            if (!cJSON_IsString(a))
                spur_hunt_error(l, ip, "an accepted answer must be a string, not %s",
                                spur_hunt_type_name(a));
            else
                norm = normalized(l, ip, a->valuestring);
            while (norm && k < p->naccept && strcmp(norm, p->accept[k]) != 0)
                k++;
            if (norm && k < p->naccept) {
                same_answer(l, p, ip, given[k], a->valuestring);
                free(norm);
            } else if (norm) {
                given[p->naccept] = a->valuestring;
                p->accept[p->naccept++] = norm;
            }
            free(ip);
        }
    }
    if (par && !cJSON_IsObject(par)) {
        spur_hunt_wrong_type(l, path, "partial", "an object of answer: message", par);
    } else if (par) {
        char *ppath = spur_hunt_path_key(path, "partial");
        size_t n = (size_t)cJSON_GetArraySize(par);
        const char **pgiven = spur_calloc(n + 1, sizeof(*pgiven));
        p->partial = spur_calloc(n, sizeof(*p->partial));
        for (const cJSON *a = par->child; a; a = a->next) {
            if (spur_hunt_is_comment(a->string))
                continue; /* "_...": a comment here too, like everywhere */
            char *ip = spur_hunt_path_key(ppath, a->string ? a->string : "");
            if (!cJSON_IsString(a) || !a->valuestring[0]) {
                spur_hunt_error(l, ip, "a partial answer's message must be a non-empty string");
            } else {
                char *norm = normalized(l, ip, a->string ? a->string : "");
                for (size_t k = 0; norm && k < p->naccept; k++)
                    if (strcmp(norm, p->accept[k]) == 0) {
                        same_answer(l, p, ip, given[k], a->string);
                        free(norm);
                        norm = NULL;
                    }
                for (size_t k = 0; norm && k < p->npartial; k++)
                    if (strcmp(norm, p->partial[k].norm) == 0) {
                        same_answer(l, p, ip, pgiven[k], a->string);
                        free(norm);
                        norm = NULL;
                    }
                if (norm) {
                    pgiven[p->npartial] = a->string;
                    p->partial[p->npartial].norm = norm;
                    p->partial[p->npartial].message = spur_strdup(a->valuestring);
                    p->npartial++;
                }
            }
            free(ip);
        }
        free(pgiven);
        free(ppath);
    }
    free(given);
    free(apath);
}

static void load_number_answer(spur_hunt_loader_t *l, spur_puzzle_t *p, const cJSON *ans,
                               const char *path)
{
    spur_hunt_get_double(l, ans, path, "number", 1, &p->number);
    if (spur_hunt_get_double(l, ans, path, "tolerance", 0, &p->tolerance) == 1 &&
        p->tolerance < 0) {
        char *tp = spur_hunt_path_key(path, "tolerance");
        spur_hunt_error(l, tp, "\"tolerance\" must not be negative");
        free(tp);
        p->tolerance = 0;
    }
}

static void load_choice_answer(spur_hunt_loader_t *l, spur_puzzle_t *p, const cJSON *ans,
                               const char *path)
{
    const cJSON *ch = spur_hunt_get_array(l, ans, path, "choices");
    char *cpath = spur_hunt_path_key(path, "choices");
    char **norms = NULL;

    if (!spur_hunt_member(ans, "choices"))
        spur_hunt_missing(l, path, "choices");
    else if (ch && !ch->child)
        spur_hunt_error(l, cpath, "\"choices\" needs at least one choice");
    if (ch) {
        size_t n = (size_t)cJSON_GetArraySize(ch), i = 0;
        p->choices = spur_calloc(n, sizeof(*p->choices));
        norms = spur_calloc(n, sizeof(*norms));
        for (const cJSON *c = ch->child; c; c = c->next, i++) {
            char *ip = spur_hunt_path_index(cpath, i);
            if (!cJSON_IsString(c)) {
                spur_hunt_error(l, ip, "a choice must be a string, not %s", spur_hunt_type_name(c));
                p->choices[i] = spur_strdup("");
            } else {
                p->choices[i] = spur_strdup(c->valuestring);
                norms[i] = normalized(l, ip, c->valuestring);
                for (size_t j = 0; norms[i] && j < i; j++)
                    if (norms[j] && strcmp(norms[i], norms[j]) == 0) {
                        spur_hunt_error(l, ip, "choice \"%s\" is the same answer as choices[%zu]",
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
    if (spur_hunt_get_int(l, ans, path, "correct", 1, 0, INT_MAX, 0, &p->correct) == 1 && ch &&
        (size_t)p->correct >= p->nchoices) {
        char *kp = spur_hunt_path_key(path, "correct");
        spur_hunt_error(l, kp, "\"correct\" is %d but the choices are numbered 0 to %zu",
                        p->correct, p->nchoices ? p->nchoices - 1 : 0);
        free(kp);
    }
    free(cpath);
}

/* kind: the explicit "kind" or -1. Sets p->kind from the answer. */
static void load_answer(spur_hunt_loader_t *l, spur_puzzle_t *p, const cJSON *ans,
                        const char *ppath, int kind)
{
    char *path = spur_hunt_path_key(ppath, "answer");
    int text = spur_hunt_member(ans, "accept") || spur_hunt_member(ans, "partial");
    int num = spur_hunt_member(ans, "number") || spur_hunt_member(ans, "tolerance");
    int choice = spur_hunt_member(ans, "choices") || spur_hunt_member(ans, "correct");

    if (!cJSON_IsObject(ans)) {
        spur_hunt_error(l, path, "\"answer\" must be an object, not %s", spur_hunt_type_name(ans));
        goto out;
    }
    SPUR_HUNT_CHECK_KEYS(l, ans, path, answer_keys);
    if (text + num + choice > 1) {
        spur_hunt_error(
            l, path,
            "\"answer\" mixes kinds: \"accept\"/\"partial\" are for text, "
            "\"number\"/\"tolerance\" for numbers, \"choices\"/\"correct\" for choices");
        goto out;
    }
    if (text + num + choice == 0) {
        spur_hunt_error(l, path, "\"answer\" needs \"accept\", \"number\" or \"choices\"");
        goto out;
    }
    p->kind = text ? SPUR_KIND_TEXT : num ? SPUR_KIND_NUMBER : SPUR_KIND_CHOICE;
    if (kind >= 0 && (spur_kind_t)kind != p->kind) {
        char *kp = spur_hunt_path_key(ppath, "kind");
        spur_hunt_error(l, kp, "\"kind\" is \"%s\" but the answer is of kind \"%s\"",
                        kind_names[kind], kind_names[p->kind]);
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

static void load_hints(spur_hunt_loader_t *l, spur_puzzle_t *p, const cJSON *obj, const char *ppath)
{
    const cJSON *arr = spur_hunt_get_array(l, obj, ppath, "hints");
    char *path = spur_hunt_path_key(ppath, "hints");
    size_t n = arr ? (size_t)cJSON_GetArraySize(arr) : 0, i = 0;
    long total = 0;

    if (n > SPUR_MAX_HINTS) {
        spur_hunt_error(l, path, "too many hints (%zu; at most %d)", n, SPUR_MAX_HINTS);
        goto out;
    }
    p->hints = spur_calloc(n, sizeof(*p->hints));
    for (const cJSON *it = arr ? arr->child : NULL; it; it = it->next, i++) {
        char *ip = spur_hunt_path_index(path, i);
        if (!cJSON_IsObject(it)) {
            spur_hunt_error(l, ip, "a hint must be an object, not %s", spur_hunt_type_name(it));
        } else {
            spur_hint_t *hn = &p->hints[p->nhints++];
            SPUR_HUNT_CHECK_KEYS(l, it, ip, hint_keys);
            hn->text = spur_hunt_get_str(l, it, ip, "text", 1);
            if (hn->text)
                hn->text_html = spur_markdown_html(hn->text, strlen(hn->text));
            spur_hunt_get_int(l, it, ip, "cost", 0, 0, SPUR_HUNT_POINTS_MAX, 0, &hn->cost);
            total += hn->cost;
        }
        free(ip);
    }
    if (total > p->points)
        spur_hunt_warning(l, path, "the hints cost %ld points, more than the puzzle's %d", total,
                          p->points);
out:
    free(path);
}

static void load_puzzle(spur_hunt_loader_t *l, size_t i, const cJSON *it, const char *path)
{
    spur_hunt_t *h = l->h;
    spur_puzzle_t *p = &h->puzzles[i];
    const cJSON *ans = spur_hunt_member(it, "answer");
    int kind = -1;

    SPUR_HUNT_CHECK_KEYS(l, it, path, puzzle_keys);
    p->id = spur_hunt_get_id(l, it, path);
    p->title = spur_hunt_get_str(l, it, path, "title", 1);
    p->clue = spur_hunt_get_str(l, it, path, "clue", 0);
    if (!p->clue)
        p->clue = spur_strdup("");
    p->clue_html = spur_markdown_html(p->clue, strlen(p->clue));
    p->image = spur_hunt_get_image(l, it, path, "image");
    spur_hunt_get_int(l, it, path, "points", 1, 0, SPUR_HUNT_POINTS_MAX, 0, &p->points);
    for (size_t j = 0; p->id && j < i; j++)
        if (h->puzzles[j].id && strcmp(h->puzzles[j].id, p->id) == 0) {
            char *ip = spur_hunt_path_key(path, "id");
            spur_hunt_error(l, ip, "duplicate puzzle id \"%s\" (also puzzles[%zu])", p->id, j);
            free(ip);
            break;
        }

    char *kindstr = spur_hunt_get_str(l, it, path, "kind", 0);
    if (kindstr) {
        for (int k = 0; k < (int)(sizeof kind_names / sizeof *kind_names); k++)
            if (strcmp(kindstr, kind_names[k]) == 0)
                kind = k;
        if (kind < 0) {
            char *kp = spur_hunt_path_key(path, "kind");
            spur_hunt_error(l, kp,
                            "unknown kind \"%s\" (use \"scan\", \"checkin\", \"photo\", or "
                            "\"text\", \"number\", "
                            "\"choice\" to match the answer)",
                            kindstr);
            free(kp);
        }
        free(kindstr);
    }

    p->place = -1;
    char *place = spur_hunt_get_str(l, it, path, "place", 0);
    if (place) {
        p->place = spur_hunt_place_index(h, place);
        if (p->place < 0) {
            const char **ids = spur_calloc(h->nplaces, sizeof(*ids));
            for (size_t j = 0; j < h->nplaces; j++)
                ids[j] = h->places[j].id;
            const char *s = spur_hunt_suggest(place, ids, h->nplaces);
            char *pp = spur_hunt_path_key(path, "place");
            if (s)
                spur_hunt_error(l, pp, "unknown place \"%s\"; did you mean \"%s\"?", place, s);
            else
                spur_hunt_error(l, pp, "unknown place \"%s\"", place);
            free(pp);
            free(ids);
        }
        free(place);
    }

    p->radius = SPUR_CHECKIN_RADIUS;
    if (kind != SPUR_KIND_CHECKIN && spur_hunt_member(it, "radius")) {
        char *rp = spur_hunt_path_key(path, "radius");
        spur_hunt_error(l, rp, "only a check-in puzzle (\"kind\": \"checkin\") has a \"radius\"");
        free(rp);
    }
    if (kind == SPUR_KIND_CHECKIN) {
        p->kind = SPUR_KIND_CHECKIN;
        spur_hunt_get_int(l, it, path, "radius", 0, SPUR_CHECKIN_RADIUS_MIN,
                          SPUR_CHECKIN_RADIUS_MAX, SPUR_CHECKIN_RADIUS, &p->radius);
        if (!spur_hunt_member(it, "place"))
            spur_hunt_error(l, path, "a check-in puzzle needs a \"place\"");
        else if (p->place >= 0 && !h->places[p->place].has_pos) {
            char *pp = spur_hunt_path_key(path, "place");
            spur_hunt_error(l, pp,
                            "a check-in puzzle's place needs \"lat\" and \"lon\": place \"%s\" "
                            "has none",
                            h->places[p->place].id);
            free(pp);
        }
        if (ans) {
            char *ap = spur_hunt_path_key(path, "answer");
            spur_hunt_error(l, ap,
                            "a check-in puzzle is solved at its place (position, code or scan); "
                            "it has no \"answer\"");
            free(ap);
        }
    } else if (kind == SPUR_KIND_PHOTO) {
        p->kind = SPUR_KIND_PHOTO;
        if (ans) {
            char *ap = spur_hunt_path_key(path, "answer");
            spur_hunt_error(l, ap, "a photo puzzle is solved by a photo; it has no \"answer\"");
            free(ap);
        }
    } else if (kind == SPUR_KIND_SCAN) {
        p->kind = SPUR_KIND_SCAN;
        if (!spur_hunt_member(it, "place"))
            spur_hunt_error(l, path, "a scan puzzle needs a \"place\"");
        if (ans) {
            char *ap = spur_hunt_path_key(path, "answer");
            spur_hunt_error(l, ap,
                            "a scan puzzle is solved by scanning its place; it has no \"answer\"");
            free(ap);
        }
    } else if (!ans) {
        spur_hunt_error(l, path,
                        "missing required key \"answer\" (only \"scan\", \"checkin\" and \"photo\" "
                        "puzzles have none)");
    } else {
        load_answer(l, p, ans, path, kind);
    }

    p->review = SPUR_REVIEW_STAFF;
    {
        char *review = spur_hunt_get_str(l, it, path, "review", 0);
        char *rp = spur_hunt_path_key(path, "review");
        if (review && kind != SPUR_KIND_PHOTO)
            spur_hunt_error(l, rp, "only a photo puzzle (\"kind\": \"photo\") has a \"review\"");
        else if (review && strcmp(review, "auto") == 0)
            p->review = SPUR_REVIEW_AUTO;
        else if (review && strcmp(review, "staff") != 0)
            spur_hunt_error(l, rp, "\"review\" is \"staff\" or \"auto\", not \"%s\"", review);
        free(review);
        free(rp);
    }
    if (spur_hunt_get_time(l, it, path, "opens_at", 0, &p->opens_at) == 1 && l->times_ok &&
        p->opens_at > h->ends_at) {
        char *op = spur_hunt_path_key(path, "opens_at");
        spur_hunt_warning(l, op, "\"opens_at\" is after \"ends_at\": the puzzle never opens");
        free(op);
    }
    spur_hunt_get_array(l, it, path, "requires"); /* type only; resolved once all ids are known */
    load_hints(l, p, it, path);
}

static void resolve_requires(spur_hunt_loader_t *l, size_t i, const cJSON *it, const char *path)
{
    spur_hunt_t *h = l->h;
    spur_puzzle_t *p = &h->puzzles[i];
    const cJSON *arr = spur_hunt_member(it, "requires");
    char *rpath;
    size_t k = 0;

    if (!cJSON_IsArray(arr))
        return;
    rpath = spur_hunt_path_key(path, "requires");
    p->requires = spur_calloc((size_t)cJSON_GetArraySize(arr), sizeof(*p->requires));
    for (const cJSON *r = arr->child; r; r = r->next, k++) {
        char *ip = spur_hunt_path_index(rpath, k);
        int idx = cJSON_IsString(r) ? spur_hunt_puzzle_index(h, r->valuestring) : -1;
        if (!cJSON_IsString(r)) {
            spur_hunt_error(l, ip, "a required puzzle is named by its id string, not %s",
                            spur_hunt_type_name(r));
        } else if (idx < 0) {
            const char **ids = spur_calloc(h->npuzzles, sizeof(*ids));
            for (size_t j = 0; j < h->npuzzles; j++)
                ids[j] = h->puzzles[j].id;
            const char *s = spur_hunt_suggest(r->valuestring, ids, h->npuzzles);
            if (s)
                spur_hunt_error(l, ip, "requires unknown puzzle \"%s\"; did you mean \"%s\"?",
                                r->valuestring, s);
            else
                spur_hunt_error(l, ip, "requires unknown puzzle \"%s\"", r->valuestring);
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
static void find_cycles(spur_hunt_loader_t *l, int v, char *colour, int *stack, size_t depth)
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
                spur_hunt_error(l, path, "puzzle \"%s\" requires itself", h->puzzles[v].id);
            else
                spur_hunt_error(l, path, "\"requires\" forms a cycle: %s", b.data);
            free(path);
            spur_buf_free(&b);
        }
    }
    colour[v] = 2;
}

/* Fills l->dead: a puzzle that opens after the end never opens, and neither does one
 * that requires a dead puzzle. Each puzzle dead only through requires gets one warning,
 * at the first required puzzle that is dead (its own opens_at was warned about in
 * load_puzzle). Iterates to a fixed point, so chains of any length and order work. */
static void find_dead(spur_hunt_loader_t *l, const cJSON *arr)
{
    spur_hunt_t *h = l->h;
    size_t n = h->npuzzles, i;
    int changed = 1;
    unsigned char *why_req; /* 1: dead because of requires (to warn about) */
    const cJSON *it;

    l->dead = spur_calloc(n ? n : 1, 1);
    why_req = spur_calloc(n ? n : 1, 1);
    for (i = 0; i < n; i++)
        l->dead[i] = l->times_ok && h->puzzles[i].opens_at > h->ends_at;
    while (changed) {
        changed = 0;
        for (i = 0; i < n; i++)
            for (size_t k = 0; !l->dead[i] && k < h->puzzles[i].nrequires; k++)
                if (l->dead[h->puzzles[i].requires[k]])
                    l->dead[i] = why_req[i] = 1, changed = 1;
    }
    for (i = 0, it = arr ? arr->child : NULL; it; it = it->next, i++) {
        const cJSON *reqs = cJSON_IsObject(it) ? spur_hunt_member(it, "requires") : NULL;
        const cJSON *r;
        size_t k = 0;
        if (i >= n || !why_req[i] || !cJSON_IsArray(reqs))
            continue;
        for (r = reqs->child; r; r = r->next, k++) {
            int idx = cJSON_IsString(r) ? spur_hunt_puzzle_index(h, r->valuestring) : -1;
            if (idx >= 0 && l->dead[idx]) {
                char *base = spur_asprintf("puzzles[%zu].requires", i);
                char *rp = spur_hunt_path_index(base, k);
                spur_hunt_warning(l, rp,
                                  "requires \"%s\", which never opens: no team can reach "
                                  "puzzle \"%s\"",
                                  r->valuestring, h->puzzles[i].id ? h->puzzles[i].id : "?");
                free(rp);
                free(base);
                break;
            }
        }
    }
    free(why_req);
}

void spur_hunt_load_puzzles(spur_hunt_loader_t *l, const cJSON *root)
{
    spur_hunt_t *h = l->h;
    const cJSON *arr = spur_hunt_get_array(l, root, "", "puzzles");
    size_t n = arr ? (size_t)cJSON_GetArraySize(arr) : 0, i;
    const cJSON *it;

    if (!spur_hunt_member(root, "puzzles"))
        spur_hunt_missing(l, "", "puzzles");
    else if (arr && n == 0)
        spur_hunt_warning(l, "puzzles", "the hunt has no puzzles");
    if (n > SPUR_MAX_PUZZLES) {
        spur_hunt_error(l, "puzzles", "too many puzzles (%zu; at most %d)", n, SPUR_MAX_PUZZLES);
        return;
    }
    h->puzzles = spur_calloc(n, sizeof(*h->puzzles));
    h->npuzzles = n;
    for (i = 0, it = arr ? arr->child : NULL; it; it = it->next, i++) {
        h->puzzles[i].place = -1;
        char *path = spur_hunt_path_index("puzzles", i);
        if (!cJSON_IsObject(it))
            spur_hunt_error(l, path, "a puzzle must be an object, not %s", spur_hunt_type_name(it));
        else
            load_puzzle(l, i, it, path);
        free(path);
    }
    for (i = 0, it = arr ? arr->child : NULL; it; it = it->next, i++) {
        char *path = spur_hunt_path_index("puzzles", i);
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
    find_dead(l, arr);
}

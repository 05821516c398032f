/* Live hunt state: teams, progress, rankings. Everything here is a pure
 * function of the hunt and the committed events applied in order; the
 * rankings are kept sorted incrementally (a score only grows, so a team only
 * moves up, one neighbour at a time). */
#include "state.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <utf8proc.h>

#include "core/err.h"
#include "game/codes.h"

spur_state_t spur_game_state(const spur_hunt_t *h, int64_t now_s)
{
    if (now_s < h->starts_at)
        return SPUR_UPCOMING;
    if (now_s >= h->ends_at)
        return SPUR_OVER;
    if (now_s >= h->freeze_at)
        return SPUR_FROZEN;
    return SPUR_RUNNING;
}

const char *spur_state_name(spur_state_t s)
{
    static const char *names[] = {"upcoming", "running", "frozen", "over"};
    return names[s];
}

spur_game_t *spur_game_new(spur_hunt_t *hunt, const unsigned char secret[32],
                           const unsigned char draw_seed[32])
{
    spur_game_t *g = spur_calloc(1, sizeof(*g));
    g->hunt = hunt;
    memcpy(g->secret, secret, 32);
    memcpy(g->draw_seed, draw_seed, 32);
    spur_codes_commitment(draw_seed, g->commitment);
    g->solves = spur_calloc(hunt->npuzzles + 1, sizeof(int));
    g->hints_taken = spur_calloc(hunt->npuzzles + 1, sizeof(int));
    g->scans = spur_calloc(hunt->nplaces + 1, sizeof(int));
    g->insight = spur_calloc(hunt->npuzzles + 1, sizeof(*g->insight));
    /* who requires whom, reversed: a solve then looks only at the puzzles it may open */
    g->dep_start = spur_calloc(hunt->npuzzles + 2, sizeof(int));
    for (size_t i = 0; i < hunt->npuzzles; i++)
        for (size_t k = 0; k < hunt->puzzles[i].nrequires; k++)
            g->dep_start[hunt->puzzles[i].requires[k] + 1]++;
    for (size_t i = 0; i < hunt->npuzzles; i++)
        g->dep_start[i + 1] += g->dep_start[i];
    g->deps = spur_calloc((size_t)g->dep_start[hunt->npuzzles] + 1, sizeof(int));
    {
        int *fill = spur_calloc(hunt->npuzzles + 1, sizeof(int));
        for (size_t i = 0; i < hunt->npuzzles; i++)
            for (size_t k = 0; k < hunt->puzzles[i].nrequires; k++) {
                int r = hunt->puzzles[i].requires[k]; /* (the loader drops repeats) */
                g->deps[g->dep_start[r] + fill[r]++] = (int)i;
            }
        free(fill);
    }
    for (size_t i = 0; i < hunt->nplaces; i++) {
        char tok[SPUR_TOKEN_LEN + 1], shrt[10], canon[9];
        spur_codes_place_token(secret, hunt->id, hunt->places[i].id, tok);
        spur_codes_place_short(secret, hunt->id, hunt->places[i].id, shrt);
        spur_map_put(&g->by_code, tok, strlen(tok), (void *)(i + 1));
        if (spur_codes_short_canon(shrt, canon) == 0)
            spur_map_put(&g->by_code, canon, strlen(canon), (void *)(i + 1));
    }
    return g;
}

static void team_free(spur_team_t *t)
{
    free(t->name);
    free(t->name_key);
    free(t->reason);
    free(t->scanned);
    free(t->guesses);
    free(t);
}

static void result_free(spur_result_t *r)
{
    free(r->body);
    free(r->what);
    free(r->key);
    free(r);
}

void spur_game_free(spur_game_t *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nteams; i++)
        team_free(g->teams[i]);
    while (g->kept.head) {
        spur_result_t *r = spur_list_entry(g->kept.head, spur_result_t, in_hunt);
        spur_list_remove(&g->kept, &r->in_hunt);
        result_free(r);
    }
    free(g->teams);
    free(g->team_ids);
    free(g->rank);
    free(g->frank);
    free(g->hidden);
    spur_map_free(&g->by_name);
    spur_map_free(&g->by_token);
    spur_map_free(&g->by_join);
    spur_map_free(&g->by_code);
    spur_map_free(&g->results);
    spur_photos_free(&g->photos);
    free(g->solves);
    free(g->scans);
    free(g->hints_taken);
    for (size_t i = 0; i < g->hunt->npuzzles; i++)
        spur_insight_free(&g->insight[i]);
    free(g->insight);
    free(g->dep_start);
    free(g->deps);
    free(g->held_teams);
    spur_hunt_free(g->hunt);
    free(g);
}

#define ZWJ 0x200D         /* zero width joiner: 👨‍👩‍👧 is man ZWJ woman ZWJ girl */
#define BLACK_FLAG 0x1F3F4 /* the base of the flags made with tag characters */
#define CANCEL_TAG 0xE007F

static int is_tag(utf8proc_int32_t c)
{
    return c >= 0xE0020 && c <= CANCEL_TAG;
}

/* Refuses control (Cc), format (Cf: bidi overrides, zero-width joiners), line and
 * paragraph separators, private use, surrogates and unassigned code points. The two
 * format characters emoji are made of, the zero width joiner and the tag characters
 * of flags such as England's, pass here; name_emoji_ok checks where they stand. */
static int name_char_ok(utf8proc_int32_t c)
{
    if (c == ZWJ || is_tag(c))
        return 1;
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CN:
        return 0;
    default:
        return 1;
    }
}

/* The end of an emoji before a joiner: a pictograph (So), a skin tone (Sk, U+1F3FB..F),
 * the emoji variation selector U+FE0F, or the keycap mark U+20E3. */
static int emoji_end(utf8proc_int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return k == UTF8PROC_CATEGORY_SO || (c >= 0x1F3FB && c <= 0x1F3FF) || c == 0xFE0F ||
           c == 0x20E3;
}

/* Joiners and tags only inside an emoji: a ZWJ between an emoji and a pictograph
 * (never first, last or doubled, so it cannot hide in or around plain text), tags only
 * after a black flag and closed by a cancel tag. c[0, n) are the trimmed name's code
 * points. */
static int name_emoji_ok(const utf8proc_int32_t *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (c[i] == ZWJ) {
            if (i == 0 || i + 1 == n || !emoji_end(c[i - 1]) ||
                utf8proc_category(c[i + 1]) != UTF8PROC_CATEGORY_SO)
                return 0;
        } else if (is_tag(c[i])) {
            if (i == 0 || (c[i - 1] != BLACK_FLAG && !(is_tag(c[i - 1]) && c[i - 1] != CANCEL_TAG)))
                return 0;
            if (c[i] != CANCEL_TAG && (i + 1 == n || !is_tag(c[i + 1])))
                return 0;
            if (c[i] == CANCEL_TAG && !is_tag(c[i - 1]))
                return 0;
        }
    }
    return 1;
}

int spur_team_name_check(const char *in, size_t len, char **shown, char **key)
{
    utf8proc_int32_t cps[SPUR_NAME_MAX];
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)in;
    utf8proc_ssize_t off = 0, n;
    utf8proc_int32_t c;
    size_t start = len, end = 0, chars = 0;
    utf8proc_uint8_t *folded = NULL;

    /* Find the trimmed range and check every character. */
    while ((size_t)off < len) {
        n = utf8proc_iterate(p + off, (utf8proc_ssize_t)len - off, &c);
        if (n <= 0 || !name_char_ok(c))
            return SPUR_EBAD_NAME;
        if (!(utf8proc_category(c) == UTF8PROC_CATEGORY_ZS)) {
            if (start == len)
                start = (size_t)off;
            end = (size_t)(off + n);
        }
        off += n;
    }
    if (start == len)
        return SPUR_EBAD_NAME;
    off = (utf8proc_ssize_t)start;
    while ((size_t)off < end) {
        n = utf8proc_iterate(p + off, (utf8proc_ssize_t)end - off, &c);
        off += n;
        if (chars == SPUR_NAME_MAX)
            return SPUR_EBAD_NAME;
        cps[chars++] = c;
    }
    if (!name_emoji_ok(cps, chars))
        return SPUR_EBAD_NAME;
    if (utf8proc_map(p + start, (utf8proc_ssize_t)(end - start), &folded,
                     UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD) < 0)
        return SPUR_EBAD_NAME;
    *shown = spur_strndup(in + start, end - start);
    *key = spur_strdup((const char *)folded);
    free(folded);
    return 0;
}

/* Ranking order: higher score, then earlier time reaching it, then lower id. */
static int better(int sa, int64_t ta, int64_t ia, int sb, int64_t tb, int64_t ib)
{
    if (sa != sb)
        return sa > sb;
    if (ta != tb)
        return ta < tb;
    return ia < ib;
}

static void move_up_live(spur_team_t **rank, spur_team_t *t)
{
    size_t i = t->rank_pos;
    while (i > 0) {
        spur_team_t *o = rank[i - 1];
        if (!better(t->score, t->score_at, t->id, o->score, o->score_at, o->id))
            break;
        rank[i] = o;
        o->rank_pos = i;
        i--;
    }
    rank[i] = t;
    t->rank_pos = i;
}

static void move_down_live(spur_team_t **rank, size_t n, spur_team_t *t)
{
    size_t i = t->rank_pos;
    while (i + 1 < n) {
        spur_team_t *o = rank[i + 1];
        if (!better(o->score, o->score_at, o->id, t->score, t->score_at, t->id))
            break;
        rank[i] = o;
        o->rank_pos = i;
        i++;
    }
    rank[i] = t;
    t->rank_pos = i;
}

static void move_down_frozen(spur_team_t **rank, size_t n, spur_team_t *t)
{
    size_t i = t->frank_pos;
    while (i + 1 < n) {
        spur_team_t *o = rank[i + 1];
        if (!better(o->fscore, o->fscore_at, o->id, t->fscore, t->fscore_at, t->id))
            break;
        rank[i] = o;
        o->frank_pos = i;
        i++;
    }
    rank[i] = t;
    t->frank_pos = i;
}

static void move_up_frozen(spur_team_t **rank, spur_team_t *t)
{
    size_t i = t->frank_pos;
    while (i > 0) {
        spur_team_t *o = rank[i - 1];
        if (!better(t->fscore, t->fscore_at, t->id, o->fscore, o->fscore_at, o->id))
            break;
        rank[i] = o;
        o->frank_pos = i;
        i--;
    }
    rank[i] = t;
    t->frank_pos = i;
}

spur_team_t *spur_game_add_team(spur_game_t *g, int64_t id, const char *name, const char *key,
                                const unsigned char salt[16], const unsigned char join_hash[32],
                                int64_t created_at)
{
    const spur_hunt_t *h = g->hunt;
    /* the team and its progress in one block: replay touches both for every solve */
    spur_team_t *t = spur_calloc(1, sizeof(*t) + (h->npuzzles + 1) * sizeof(spur_prog_t));
    unsigned char hash[32];

    t->id = id;
    t->name = spur_strdup(name);
    t->name_key = spur_strdup(key);
    memcpy(t->join_salt, salt, 16);
    t->created_at = t->score_at = t->fscore_at = created_at;
    t->prog = t->progress;
    t->scanned = spur_calloc(h->nplaces + 1, 1);
    assert(g->nteams == 0 || g->team_ids[g->nteams - 1] < id); /* ids only grow */
    if (g->nteams == g->cap)
        spur_game_reserve(g, g->cap ? g->cap * 2 : 64);
    g->teams[g->nteams] = t;
    g->team_ids[g->nteams] = id;
    g->rank[g->nranked] = t;
    g->frank[g->nranked] = t;
    t->rank_pos = t->frank_pos = g->nranked;
    g->nteams++;
    g->nranked++;
    /* A new team has 0 points reached now: it may still rank above older teams with 0
       only when the older ones joined later, which cannot happen; ids break ties. */
    if (!g->bulk) {
        move_up_live(g->rank, t);
        move_up_frozen(g->frank, t);
    }
    spur_map_put(&g->by_name, key, strlen(key), t);
    if (!join_hash) {
        char canon[9];
        if (spur_codes_short_canon(spur_game_join_code(g, t), canon) < 0)
            abort(); /* the code is made in the canonical alphabet */
        spur_codes_hash(canon, strlen(canon), hash);
        join_hash = hash;
    }
    spur_map_put(&g->by_join, (const char *)join_hash, 32, t);
    g->version++;
    return t;
}

const char *spur_game_join_code(const spur_game_t *g, spur_team_t *t)
{
    if (!t->join_code[0])
        spur_codes_join_code(g->secret, t->join_salt, t->join_code);
    return t->join_code;
}

/* qsort orders: the same as better() */
static int cmp_live(const void *a, const void *b)
{
    const spur_team_t *x = *(spur_team_t *const *)a, *y = *(spur_team_t *const *)b;
    return better(x->score, x->score_at, x->id, y->score, y->score_at, y->id) ? -1 : 1;
}

static int cmp_frozen(const void *a, const void *b)
{
    const spur_team_t *x = *(spur_team_t *const *)a, *y = *(spur_team_t *const *)b;
    return better(x->fscore, x->fscore_at, x->id, y->fscore, y->fscore_at, y->id) ? -1 : 1;
}

void spur_game_begin_bulk(spur_game_t *g)
{
    g->bulk = 1;
}

void spur_game_end_bulk(spur_game_t *g)
{
    size_t n = 0;
    g->bulk = 0;
    for (size_t i = 0; i < g->nteams; i++) /* test teams marked meanwhile leave the ranks */
        if (!g->teams[i]->test)
            g->rank[n] = g->frank[n] = g->teams[i], n++;
    g->nranked = n;
    if (!n)
        return; /* (qsort wants an array, even of nothing) */
    qsort(g->rank, n, sizeof(*g->rank), cmp_live);
    qsort(g->frank, n, sizeof(*g->frank), cmp_frozen);
    for (size_t i = 0; i < n; i++) {
        g->rank[i]->rank_pos = i;
        g->frank[i]->frank_pos = i;
    }
}

/* Takes t out of one ranking array (pos: its index there), fixing the others' pos. */
static void rank_remove(spur_team_t **rank, size_t n, size_t pos, int frozen)
{
    for (size_t i = pos; i + 1 < n; i++) {
        rank[i] = rank[i + 1];
        if (frozen)
            rank[i]->frank_pos = i;
        else
            rank[i]->rank_pos = i;
    }
}

void spur_game_set_test(spur_game_t *g, spur_team_t *t)
{
    if (t->test)
        return;
    t->test = 1;
    if (g->bulk)
        return; /* end_bulk leaves it out */
    rank_remove(g->rank, g->nranked, t->rank_pos, 0);
    rank_remove(g->frank, g->nranked, t->frank_pos, 1);
    g->nranked--;
    t->rank_pos = t->frank_pos = SIZE_MAX;
    g->version++;
}

void spur_game_set_hidden(spur_game_t *g, spur_team_t *t, int hidden)
{
    hidden = !!hidden;
    if (t->hidden == hidden)
        return;
    t->hidden = (unsigned char)hidden;
    if (t->test)
        return; /* not ranked anyway */
    if (hidden) {
        if (g->nhidden == g->hidden_cap) {
            g->hidden_cap = g->hidden_cap ? g->hidden_cap * 2 : 8;
            g->hidden = spur_realloc(g->hidden, g->hidden_cap * sizeof(*g->hidden));
        }
        g->hidden[g->nhidden++] = t;
    } else {
        for (size_t i = 0; i < g->nhidden; i++)
            if (g->hidden[i] == t) {
                g->hidden[i] = g->hidden[--g->nhidden];
                break;
            }
    }
    g->version++;
}

size_t spur_game_public_rank(const spur_game_t *g, const spur_team_t *t, int frozen)
{
    size_t pos, above = 0;
    if (t->test)
        return 0;
    pos = frozen ? t->frank_pos : t->rank_pos;
    for (size_t i = 0; i < g->nhidden; i++) /* few: teams staff hid */
        if (g->hidden[i] != t && (frozen ? g->hidden[i]->frank_pos : g->hidden[i]->rank_pos) < pos)
            above++;
    return pos - above + 1;
}

void spur_game_reserve(spur_game_t *g, size_t n)
{
    if (n <= g->cap)
        return;
    g->cap = n;
    g->teams = spur_realloc(g->teams, n * sizeof(*g->teams));
    g->team_ids = spur_realloc(g->team_ids, n * sizeof(*g->team_ids));
    g->rank = spur_realloc(g->rank, n * sizeof(*g->rank));
    g->frank = spur_realloc(g->frank, n * sizeof(*g->frank));
}

spur_team_t *spur_game_team_by_id(const spur_game_t *g, int64_t id)
{
    size_t lo = 0, hi = g->nteams;
    while (lo < hi) { /* teams are in id order */
        size_t mid = (lo + hi) / 2;
        if (g->team_ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->nteams && g->team_ids[lo] == id ? g->teams[lo] : NULL;
}

void spur_game_add_token(spur_game_t *g, const unsigned char hash[32], spur_team_t *t)
{
    if (!spur_map_put(&g->by_token, (const char *)hash, 32, t))
        t->members++;
}

spur_status_t spur_game_status(const spur_game_t *g, const spur_team_t *t, int idx, int64_t now,
                               const unsigned char *extra_solved)
{
    const spur_puzzle_t *p = &g->hunt->puzzles[idx];
    if (t->prog[idx].solved_at)
        return SPUR_SOLVED;
    if (p->opens_at && now < p->opens_at * 1000)
        return SPUR_LOCKED;
    for (size_t i = 0; i < p->nrequires; i++) {
        int r = p->requires[i];
        if (!t->prog[r].solved_at && !(extra_solved && extra_solved[r]))
            return SPUR_LOCKED;
    }
    return SPUR_OPEN;
}

int spur_game_place_by_code(const spur_game_t *g, const char *code)
{
    char canon[9];
    size_t n = strlen(code);
    void *v = spur_map_get(&g->by_code, code, n);
    if (!v && n < 32 && spur_codes_short_canon(code, canon) == 0)
        v = spur_map_get(&g->by_code, canon, strlen(canon));
    return v ? (int)((size_t)v - 1) : -1;
}

void spur_game_scan_plan(const spur_game_t *g, const spur_team_t *t, int place, int64_t now,
                         int *solved, size_t *nsolved, int *unlocked, size_t *nunlocked)
{
    const spur_hunt_t *h = g->hunt;
    unsigned char *extra = spur_calloc(h->npuzzles + 1, 1);

    *nsolved = *nunlocked = 0;
    for (size_t i = 0; i < h->npuzzles; i++) {
        const spur_puzzle_t *p = &h->puzzles[i];
        if (spur_kind_by_place(p->kind) && p->place == place &&
            spur_game_status(g, t, (int)i, now, NULL) == SPUR_OPEN) {
            solved[(*nsolved)++] = (int)i;
            extra[i] = 1;
        }
    }
    for (size_t i = 0; i < h->npuzzles; i++) {
        if (extra[i] || spur_game_status(g, t, (int)i, now, NULL) != SPUR_LOCKED)
            continue;
        if (spur_game_status(g, t, (int)i, now, extra) == SPUR_OPEN)
            unlocked[(*nunlocked)++] = (int)i;
    }
    free(extra);
}

size_t spur_game_scan_holds(const spur_game_t *g, const spur_team_t *t, int place, int64_t at,
                            int *held)
{
    const spur_hunt_t *h = g->hunt;
    size_t n = 0;
    for (size_t i = 0; i < h->npuzzles; i++) {
        const spur_puzzle_t *p = &h->puzzles[i];
        if (spur_kind_by_place(p->kind) && p->place == place && p->opens_at < h->ends_at &&
            spur_game_status(g, t, (int)i, at, NULL) == SPUR_LOCKED)
            held[n++] = (int)i;
    }
    return n;
}

int spur_game_solve_points(const spur_game_t *g, const spur_team_t *t, int idx)
{
    const spur_puzzle_t *p = &g->hunt->puzzles[idx];
    int pts = p->points;
    for (size_t i = 0; i < t->prog[idx].hints && i < p->nhints; i++)
        pts -= p->hints[i].cost;
    return pts < 0 ? 0 : pts;
}

int64_t spur_game_opened_at(const spur_game_t *g, const spur_team_t *t, int idx)
{
    const spur_puzzle_t *p = &g->hunt->puzzles[idx];
    int64_t at = g->hunt->starts_at * 1000;
    if (p->opens_at * 1000 > at)
        at = p->opens_at * 1000;
    if (t->created_at > at)
        at = t->created_at;
    for (size_t i = 0; i < p->nrequires; i++) {
        int64_t r = t->prog[p->requires[i]].solved_at;
        if (!r)
            return 0;
        if (r > at)
            at = r;
    }
    return at;
}

int spur_game_opened(const spur_game_t *g, int idx, int64_t now)
{
    const spur_puzzle_t *p = &g->hunt->puzzles[idx];
    /* Before the start or its opens_at a puzzle is open to no one; a solve then (a
       scan held until it opened) counts as its own opening. */
    if (now < g->hunt->starts_at * 1000 || now < p->opens_at * 1000)
        return g->solves[idx];
    return p->nrequires ? g->insight[idx].reached : (int)g->nranked;
}

/* A real team's solve of idx at `at`, before it is marked: how long the puzzle was
 * open, and which puzzles it opens for the team (their `reached` grows). */
static void insight_solve(spur_game_t *g, const spur_team_t *t, int idx, int64_t at)
{
    const spur_hunt_t *h = g->hunt;
    const spur_puzzle_t *p = &h->puzzles[idx];
    int64_t open = spur_game_opened_at(g, t, idx);

    if (open) {
        int64_t secs = (at - open) / 1000;
        spur_median_add(&g->insight[idx].secs,
                        secs < 0 ? 0 : (secs > INT32_MAX ? INT32_MAX : (int32_t)secs));
    }
    if (p->nrequires && !open)
        g->insight[idx].reached++; /* solved though a requirement is not (a changed hunt) */
    for (int k = g->dep_start[idx]; k < g->dep_start[idx + 1]; k++) {
        const spur_puzzle_t *d = &h->puzzles[g->deps[k]];
        size_t i;
        if (t->prog[g->deps[k]].solved_at)
            continue; /* reached when it was solved */
        for (i = 0; i < d->nrequires; i++)
            if (d->requires[i] != idx && !t->prog[d->requires[i]].solved_at)
                break;
        if (i == d->nrequires)
            g->insight[g->deps[k]].reached++;
    }
}

/* Solves idx at `at` for `points`. */
static void solve_for(spur_game_t *g, spur_team_t *t, int idx, int64_t at, int points)
{
    spur_prog_t *pr = &t->prog[idx];
    if (pr->solved_at)
        return;
    if (!t->test)
        insight_solve(g, t, idx, at);
    pr->solved_at = at > 0 ? at : 1;
    pr->points = points;
    if (!t->test)
        g->solves[idx]++;
    t->nsolved++;
    /* A late-synced offline item counts at its made_at, which can be earlier than a
       solve already applied: the team reached its new total only at the later of the
       two times, so neither the ranking time nor the last solve time goes back. */
    if (at > t->last_solve)
        t->last_solve = at;
    if (pr->points > 0) {
        t->score += pr->points;
        if (at > t->score_at)
            t->score_at = at;
    }
    if (!g->bulk && !t->test)
        move_up_live(g->rank, t);
    if (at < g->hunt->freeze_at * 1000) {
        t->fsolved++;
        if (at > t->flast_solve)
            t->flast_solve = at;
        if (pr->points > 0) {
            t->fscore += pr->points;
            if (at > t->fscore_at)
                t->fscore_at = at;
        }
        if (!g->bulk && !t->test)
            move_up_frozen(g->frank, t);
    }
    g->version++;
}

void spur_game_solve(spur_game_t *g, spur_team_t *t, int idx, int64_t at)
{
    solve_for(g, t, idx, at, spur_game_solve_points(g, t, idx));
}

void spur_game_unsolve(spur_game_t *g, spur_team_t *t, int idx)
{
    spur_prog_t *pr = &t->prog[idx];
    if (!pr->solved_at)
        return;
    if (!t->test)
        g->solves[idx]--;
    t->nsolved--;
    t->score -= pr->points;
    if (!g->bulk && !t->test)
        move_down_live(g->rank, g->nranked, t);
    if (pr->solved_at < g->hunt->freeze_at * 1000) {
        t->fsolved--;
        t->fscore -= pr->points;
        if (!g->bulk && !t->test)
            move_down_frozen(g->frank, g->nranked, t);
    }
    pr->solved_at = 0;
    pr->points = 0;
    g->version++;
}

int spur_game_held(const spur_game_t *g, const spur_team_t *t, int idx)
{
    const spur_puzzle_t *p = &g->hunt->puzzles[idx];
    return spur_kind_by_place(p->kind) && p->place >= 0 && t->scanned[p->place] &&
           !t->prog[idx].solved_at;
}

/* When held puzzle idx opens for t (ms): the later of its opens_at and the solves of
 * its requirements; 0 while a requirement is unsolved. Only solve times, never the
 * time of asking, go in: replay and the live server agree whenever they ask. */
static int64_t open_time(const spur_game_t *g, const spur_team_t *t, int idx)
{
    const spur_puzzle_t *p = &g->hunt->puzzles[idx];
    int64_t at = p->opens_at * 1000;
    for (size_t i = 0; i < p->nrequires; i++) {
        int64_t r = t->prog[p->requires[i]].solved_at;
        if (!r)
            return 0;
        if (r > at)
            at = r;
    }
    return at;
}

/* Solves t's held puzzles that have opened by now, repeating while a solve opens
 * another (a chain of scanned puzzles), and counts those still held. *due gets the
 * earliest later time one of them opens (0 = none: they wait for requirements, which
 * an apply will bring). A puzzle that would open at or after the end never counts.
 * Returns the number solved. */
static int settle(spur_game_t *g, spur_team_t *t, int64_t now, int64_t *due)
{
    const spur_hunt_t *h = g->hunt;
    int solved = 0, again = 1;

    while (again) {
        again = 0;
        *due = 0;
        t->held = 0;
        for (size_t i = 0; i < h->npuzzles; i++) {
            int64_t at;
            if (!spur_game_held(g, t, (int)i))
                continue;
            at = open_time(g, t, (int)i);
            if (at && at >= h->ends_at * 1000)
                continue; /* never opens while the hunt runs */
            t->held++;
            if (!at)
                continue;
            if (at <= now) {
                spur_game_solve(g, t, (int)i, at);
                t->held--;
                solved++;
                again = 1;
            } else if (!*due || at < *due) {
                *due = at;
            }
        }
    }
    return solved;
}

/* Keeps t in held_teams while it waits for a time, and held_due the earliest. */
static void note_due(spur_game_t *g, spur_team_t *t, int64_t due)
{
    if (!due)
        return;
    if (!g->held_due || due < g->held_due)
        g->held_due = due;
    if (t->held_listed)
        return;
    if (g->nheld_teams == g->held_cap) {
        g->held_cap = g->held_cap ? g->held_cap * 2 : 16;
        g->held_teams = spur_realloc(g->held_teams, g->held_cap * sizeof(*g->held_teams));
    }
    g->held_teams[g->nheld_teams++] = t;
    t->held_listed = 1;
}

int spur_game_open_due(spur_game_t *g, int64_t now)
{
    int solved = 0;
    size_t i = 0;

    if (!g->held_due || now < g->held_due)
        return 0;
    g->held_due = 0;
    while (i < g->nheld_teams) {
        spur_team_t *t = g->held_teams[i];
        int64_t due;
        solved += settle(g, t, now, &due);
        if (due) {
            if (!g->held_due || due < g->held_due)
                g->held_due = due;
            i++;
        } else { /* nothing left that waits for a time: out, order does not matter */
            t->held_listed = 0;
            g->held_teams[i] = g->held_teams[--g->nheld_teams];
        }
    }
    return solved;
}

void spur_game_apply(spur_game_t *g, spur_team_t *t, const spur_event_t *ev)
{
    int64_t due;

    if (ev->kind != SPUR_EV_ANSWER || ev->verdict == SPUR_VERDICT_CORRECT)
        t->changes++;
    switch (ev->kind) {
    case SPUR_EV_ANSWER:
        if (ev->puzzle < 0)
            break;
        if (ev->verdict == SPUR_VERDICT_CORRECT) {
            if (!t->test && !t->prog[ev->puzzle].solved_at)
                g->insight[ev->puzzle].by_answer++;
            spur_game_solve(g, t, ev->puzzle, ev->at);
        } else if (ev->norm && spur_game_wrong_add(t, ev->puzzle, ev->norm, ev->at) && !t->test &&
                   ev->norm[0])
            /* wrong and partial answers both count for the guess limit; and for the
               stats, the first time a team gives one (see SPUR_WRONG_TOP_MAX) */
            spur_wrongs_add(&g->insight[ev->puzzle].wrongs, ev->norm);
        break;
    case SPUR_EV_HINT:
        if (ev->puzzle >= 0)
            spur_game_take_hint(g, t, ev->puzzle);
        break;
    case SPUR_EV_PHOTO:
        if (ev->puzzle < 0)
            break;
        if (ev->verdict == SPUR_VERDICT_CORRECT)
            solve_for(g, t, ev->puzzle, ev->at, ev->points);
        else
            spur_game_unsolve(g, t, ev->puzzle);
        break;
    case SPUR_EV_SCAN:
        if (ev->place >= 0)
            spur_game_mark_scanned(g, t, ev->place);
        for (size_t i = 0; i < ev->nsolved; i++)
            if (ev->solved[i] >= 0)
                spur_game_solve(g, t, ev->solved[i], ev->at);
        break;
    }
    /* A scan may hold a locked puzzle; a solve may open one held before. Asked at the
       event's own time, so replay (where the ticks in between are not there) opens
       what the live server opened by then. */
    if (ev->kind == SPUR_EV_SCAN || t->held) {
        settle(g, t, ev->at, &due);
        note_due(g, t, due);
    }
}

void spur_game_take_hint(spur_game_t *g, spur_team_t *t, int idx)
{
    if (t->prog[idx].hints < g->hunt->puzzles[idx].nhints) {
        t->prog[idx].hints++;
        g->hints_taken[idx] += !t->test;
    }
}

void spur_game_mark_scanned(spur_game_t *g, spur_team_t *t, int place)
{
    if (!t->scanned[place]) {
        t->scanned[place] = 1;
        g->scans[place] += !t->test;
    }
}

int spur_game_guess_wait(const spur_game_t *g, const spur_team_t *t, int64_t now)
{
    unsigned limit = (unsigned)g->hunt->guess_limit;
    /* guess_window may be up to INT_MAX seconds: widen before scaling, or the int
       product overflows (a 25-day window or longer) and the limit never applies. */
    int64_t window = (int64_t)g->hunt->guess_window * 1000, oldest;

    assert(limit >= 1 && limit <= SPUR_GUESS_RING); /* the loader checks the range */
    if (t->wrong_n < limit)
        return 0;
    /* The limit-th most recent wrong answer: while it is inside the window, wait. */
    oldest = t->guesses->at[(t->wrong_n - limit) % SPUR_GUESS_RING];
    if (now - oldest >= window)
        return 0;
    return (int)((oldest + window - now + 999) / 1000);
}

static uint64_t wrong_hash(int idx, const char *norm)
{
    char key[600];
    int n = snprintf(key, sizeof(key), "%d:%s", idx, norm);
    size_t len = n < 0 ? 0 : ((size_t)n >= sizeof(key) ? sizeof(key) - 1 : (size_t)n);
    return spur_hash(key, len);
}

int spur_game_wrong_seen(const spur_team_t *t, int idx, const char *norm)
{
    uint64_t h = wrong_hash(idx, norm);
    unsigned n = t->wrong_seen_n < SPUR_WRONG_SEEN_MAX ? t->wrong_seen_n : SPUR_WRONG_SEEN_MAX;
    for (unsigned i = 0; i < n; i++)
        if (t->guesses->seen[i] == h)
            return 1;
    return 0;
}

int spur_game_wrong_add(spur_team_t *t, int idx, const char *norm, int64_t at)
{
    if (spur_game_wrong_seen(t, idx, norm))
        return 0;
    if (!t->guesses)
        t->guesses = spur_calloc(1, sizeof(*t->guesses));
    t->guesses->seen[t->wrong_seen_n++ % SPUR_WRONG_SEEN_MAX] = wrong_hash(idx, norm);
    t->guesses->at[t->wrong_n % SPUR_GUESS_RING] = at;
    t->wrong_n++;
    return 1;
}

static size_t result_key(char *out, size_t size, int64_t team_id, const char *client_id)
{
    int n = snprintf(out, size, "%lld:%s", (long long)team_id, client_id);
    return n < 0 ? 0 : ((size_t)n >= size ? size - 1 : (size_t)n);
}

const spur_result_t *spur_game_result_get(const spur_game_t *g, const spur_team_t *t,
                                          const char *client_id)
{
    char key[128];
    size_t n = result_key(key, sizeof(key), t->id, client_id);
    return spur_map_get(&g->results, key, n);
}

static void result_forget(spur_game_t *g, spur_result_t *r)
{
    spur_list_remove(&g->kept, &r->in_hunt);
    spur_list_remove(&r->team->results, &r->in_team);
    spur_map_del(&g->results, r->key, r->klen);
    result_free(r);
}

void spur_game_result_put(spur_game_t *g, spur_team_t *t, const char *client_id, const char *what,
                          int status, const char *body)
{
    char key[128];
    size_t n = result_key(key, sizeof(key), t->id, client_id);
    spur_result_t *r;

    if (spur_map_get(&g->results, key, n))
        return; /* the first result stands */
    r = spur_calloc(1, sizeof(*r));
    r->status = status;
    r->body = spur_strdup(body);
    r->what = spur_strdup(what);
    r->key = spur_strndup(key, n);
    r->klen = n;
    r->team = t;
    spur_list_push_back(&g->kept, &r->in_hunt);
    spur_list_push_back(&t->results, &r->in_team);
    spur_map_put(&g->results, key, n, r);
    if (t->results.n > SPUR_RESULTS_PER_TEAM)
        result_forget(g, spur_list_entry(t->results.head, spur_result_t, in_team));
    if (g->kept.n > SPUR_RESULTS_MAX)
        result_forget(g, spur_list_entry(g->kept.head, spur_result_t, in_hunt));
}

size_t spur_game_leaderboard_json(const spur_game_t *g, spur_buf_t *out, int64_t now_s,
                                  size_t offset, size_t limit, size_t *ends)
{
    spur_state_t st = spur_game_state(g->hunt, now_s);
    int frozen = st == SPUR_FROZEN;
    spur_team_t **rank = frozen ? g->frank : g->rank;
    size_t n = 0;

    size_t i = offset, shown = offset; /* index in rank; public rank - 1 */

    spur_buf_printf(out, "{\"state\":\"%s\",\"frozen\":%s,\"total\":%zu,\"teams\":[",
                    spur_state_name(st), frozen ? "true" : "false", spur_game_public_teams(g));
    if (ends)
        ends[0] = out->len;
    if (g->nhidden) /* rows skip hidden teams: find where row `offset` starts */
        for (i = 0, shown = 0; i < g->nranked && shown < offset; i++)
            shown += !rank[i]->hidden;
    for (; i < g->nranked && n < limit; i++) {
        const spur_team_t *t = rank[i];
        int64_t last = frozen ? t->flast_solve : t->last_solve;
        char when[32];
        if (t->hidden)
            continue;
        if (n)
            spur_buf_append(out, ",", 1);
        spur_buf_printf(out, "{\"rank\":%zu,\"id\":%lld,\"name\":", ++shown, (long long)t->id);
        spur_buf_json_str(out, t->name);
        spur_buf_printf(out, ",\"score\":%d,\"solved\":%d,\"last_solve_at\":",
                        frozen ? t->fscore : t->score, frozen ? t->fsolved : t->nsolved);
        if (last) {
            spur_time_format_ms(last, when, sizeof(when));
            spur_buf_printf(out, "\"%s\"}", when);
        } else {
            spur_buf_puts(out, "null}");
        }
        if (ends)
            ends[n + 1] = out->len;
        n++;
    }
    spur_buf_puts(out, "]}");
    return n;
}

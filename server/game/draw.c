/* The prize draw "spur-draw-v1" / "spur-draw-v2" and its verification (see draw.h
 * and docs/draw.md). Keeps true: the record is a pure function of the draw seed,
 * the eligible team ids, the prize, the beacon (v2) and drawn_at, and
 * spur_draw_verify recomputes every part of it that can be recomputed from the
 * record alone, so a record from spurd, from `spur draw` and from an independent
 * implementation all verify the same way. Records stored before a field existed
 * (v1 without "excluded") verify as they did. */
#include "draw.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/mem.h"
#include "game/codes.h"

#define ID_DIGITS_MAX 19 /* decimal digits of the largest int64 */

void spur_draw_stream_init(spur_draw_stream_t *s, const unsigned char key[32])
{
    memcpy(s->key, key, 32);
    s->block = 0;
    s->used = 4;
}

static void put_be64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)(v & 0xff);
}

static uint64_t get_be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

uint64_t spur_draw_stream_next(spur_draw_stream_t *s)
{
    if (s->used == 4) {
        static const char label[] = SPUR_DRAW_STREAM_LABEL;
        unsigned char msg[sizeof label - 1 + 8];
        memcpy(msg, label, sizeof label - 1);
        put_be64(msg + sizeof label - 1, s->block++);
        crypto_auth_hmacsha256(s->buf, msg, sizeof msg, s->key);
        s->used = 0;
    }
    return get_be64(s->buf + 8 * s->used++);
}

uint64_t spur_draw_pick(uint64_t n, spur_draw_next_cb next, void *ctx, unsigned *taken)
{
    /* 2^64 mod n, computed in 64 bits as (2^64 - n) mod n. When it is 0 every x is
     * accepted; otherwise the bound 2^64 - rem is UINT64_MAX - rem + 1. */
    uint64_t rem = (0 - n) % n;
    uint64_t x;
    unsigned k = 0;
    do {
        x = next(ctx);
        k++;
    } while (rem != 0 && x >= UINT64_MAX - rem + 1);
    if (taken)
        *taken = k;
    return x % n;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int is_eligible(const spur_game_t *g, const spur_prize_t *p, const spur_team_t *t)
{
    if (t->test || t->excluded)
        return 0;
    switch (p->eligible) {
    case SPUR_ELIG_ALL:
        return t->score > 0;
    case SPUR_ELIG_FINISHED:
        return g->hunt->npuzzles > 0 && (size_t)t->nsolved >= g->hunt->npuzzles;
    case SPUR_ELIG_MIN_SCORE:
        return t->score >= p->min_score;
    }
    return 0;
}

void spur_draw_eligible(const spur_game_t *g, const spur_prize_t *p, int64_t **ids, size_t *n)
{
    int64_t *v = NULL;
    size_t k = 0;
    if (g->nteams)
        v = spur_malloc(g->nteams * sizeof(*v));
    for (size_t i = 0; i < g->nteams; i++)
        if (is_eligible(g, p, g->teams[i]))
            v[k++] = g->teams[i]->id;
    if (k)
        qsort(v, k, sizeof(*v), cmp_id);
    else {
        free(v);
        v = NULL;
    }
    *ids = v;
    *n = k;
}

void spur_draw_excluded(const spur_game_t *g, int64_t **ids, size_t *n)
{
    int64_t *v = NULL;
    size_t k = 0;
    for (size_t i = 0; i < g->nteams; i++) {
        const spur_team_t *t = g->teams[i];
        if (!t->excluded || t->test)
            continue;
        if (!v)
            v = spur_malloc(g->nteams * sizeof(*v));
        v[k++] = t->id;
    }
    if (k)
        qsort(v, k, sizeof(*v), cmp_id);
    *ids = v;
    *n = k;
}

int spur_draw_beacon_ok(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    if (len == 0 || len > SPUR_DRAW_BEACON_MAX)
        return 0;
    while (i < len) {
        unsigned c = p[i], need, cp;
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)
                return 0;
            i++;
            continue;
        }
        /* strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF */
        if (c >= 0xc2 && c <= 0xdf)
            need = 1, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            need = 2, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            need = 3, cp = c & 0x07;
        else
            return 0;
        if (i + need >= len) /* the sequence is cut short */
            return 0;
        for (unsigned k = 1; k <= need; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
            return 0;
        i += need + 1;
    }
    return 1;
}

void spur_draw_eligible_hash(const int64_t *ids, size_t n, unsigned char out[32])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    for (size_t i = 0; i < n; i++) {
        char line[32];
        int len = snprintf(line, sizeof line, "%" PRId64 "\t1\n", ids[i]);
        crypto_hash_sha256_update(&st, (const unsigned char *)line, (size_t)len);
    }
    crypto_hash_sha256_final(&st, out);
}

void spur_draw_key(const unsigned char seed[32], const unsigned char e[32], const char *prize_id,
                   const char *beacon, unsigned char out[32])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, seed, 32);
    crypto_hash_sha256_update(&st, e, 32);
    crypto_hash_sha256_update(&st, (const unsigned char *)prize_id, strlen(prize_id));
    if (beacon) {
        crypto_hash_sha256_update(&st, (const unsigned char *)"", 1); /* the 0x00 byte */
        crypto_hash_sha256_update(&st, (const unsigned char *)beacon, strlen(beacon));
    }
    crypto_hash_sha256_final(&st, out);
    sodium_memzero(&st, sizeof st);
}

static uint64_t next_from_stream(void *ctx)
{
    return spur_draw_stream_next(ctx);
}

void spur_draw_run(const unsigned char key[32], const int64_t *ids, size_t n, int count,
                   int reserves, int64_t *winners, size_t *nwinners, int64_t *reserve_out,
                   size_t *nreserves)
{
    spur_draw_stream_t s;
    int64_t *left;
    size_t nleft = n, want;

    *nwinners = *nreserves = 0;
    if (count < 0) {
        if (n)
            memcpy(winners, ids, n * sizeof(*ids));
        *nwinners = n;
        return;
    }
    if (!n)
        return;
    left = spur_malloc(n * sizeof(*left));
    memcpy(left, ids, n * sizeof(*ids));
    spur_draw_stream_init(&s, key);
    want = (size_t)count + (size_t)(reserves > 0 ? reserves : 0);
    for (size_t k = 0; k < want && nleft > 0; k++) {
        size_t i = (size_t)spur_draw_pick(nleft, next_from_stream, &s, NULL);
        int64_t id = left[i];
        /* remove the winner's ticket, keeping the others in order */
        memmove(left + i, left + i + 1, (nleft - i - 1) * sizeof(*left));
        nleft--;
        if (k < (size_t)count)
            winners[(*nwinners)++] = id;
        else
            reserve_out[(*nreserves)++] = id;
    }
    free(left);
    sodium_memzero(&s, sizeof s);
}

static const char *rule_name(spur_elig_t e)
{
    return e == SPUR_ELIG_ALL ? "all" : e == SPUR_ELIG_FINISHED ? "finished" : "min_score";
}

/* [1,2] in records (sep ","), [1, 2] in messages (sep ", "). */
static void id_list(spur_buf_t *b, const int64_t *ids, size_t n, const char *sep)
{
    spur_buf_puts(b, "[");
    for (size_t i = 0; i < n; i++)
        spur_buf_printf(b, "%s%" PRId64, i ? sep : "", ids[i]);
    spur_buf_puts(b, "]");
}

char *spur_draw_record(const spur_game_t *g, size_t prize, int64_t drawn_at, const char *beacon)
{
    const spur_prize_t *p = &g->hunt->prizes[prize];
    int64_t *ids, *win, *res, *out;
    size_t n, nw, nr, nout;
    unsigned char e[32], k[32], commit[32];
    char hex[65], when[32];
    spur_buf_t b = {0};

    spur_draw_eligible(g, p, &ids, &n);
    spur_draw_eligible_hash(ids, n, e);
    spur_draw_excluded(g, &out, &nout);
    spur_draw_key(g->draw_seed, e, p->id, beacon, k);
    win = spur_malloc((n + 1) * sizeof(*win));
    res = spur_malloc((n + 1) * sizeof(*res));
    spur_draw_run(k, ids, n, p->count, p->reserves, win, &nw, res, &nr);
    sodium_memzero(k, sizeof k);

    spur_buf_printf(&b, "{\"algorithm\":\"%s\",\"hunt\":", beacon ? SPUR_DRAW_V2 : SPUR_DRAW_V1);
    spur_buf_json_str(&b, g->hunt->id);
    spur_buf_puts(&b, ",\"prize\":");
    spur_buf_json_str(&b, p->id);
    spur_buf_puts(&b, ",\"prize_name\":");
    spur_buf_json_str(&b, p->name);
    spur_buf_printf(&b, ",\"rule\":\"%s\"", rule_name(p->eligible));
    if (p->eligible == SPUR_ELIG_MIN_SCORE)
        spur_buf_printf(&b, ",\"min_score\":%d", p->min_score);
    if (p->count == SPUR_PRIZE_ALL)
        spur_buf_puts(&b, ",\"count\":\"all\",\"reserves\":0");
    else
        spur_buf_printf(&b, ",\"count\":%d,\"reserves\":%d", p->count, p->reserves);
    spur_buf_puts(&b, ",\"eligible\":[");
    for (size_t i = 0; i < n; i++)
        spur_buf_printf(&b, i ? ",\"%" PRId64 "\\t1\"" : "\"%" PRId64 "\\t1\"", ids[i]);
    spur_codes_hex(e, 32, hex);
    spur_buf_printf(&b, "],\"eligible_sha256\":\"%s\",\"excluded\":", hex);
    id_list(&b, out, nout, ",");
    spur_codes_hex(g->draw_seed, 32, hex);
    spur_buf_printf(&b, ",\"seed\":\"%s\"", hex);
    crypto_hash_sha256(commit, g->draw_seed, 32);
    spur_codes_hex(commit, 32, hex);
    spur_buf_printf(&b, ",\"commitment\":\"%s\"", hex);
    if (beacon) {
        spur_buf_puts(&b, ",\"beacon\":");
        spur_buf_json_str(&b, beacon);
        spur_buf_puts(&b, ",\"beacon_description\":");
        spur_buf_json_str(&b, g->hunt->draw_beacon ? g->hunt->draw_beacon : "");
    }
    spur_buf_puts(&b, ",\"winners\":");
    id_list(&b, win, nw, ",");
    spur_buf_puts(&b, ",\"reserve_winners\":");
    id_list(&b, res, nr, ",");
    spur_buf_puts(&b, ",\"names\":{");
    for (size_t i = 0; i < n; i++) {
        const spur_team_t *t = spur_game_team_by_id(g, ids[i]);
        spur_buf_printf(&b, i ? ",\"%" PRId64 "\":" : "\"%" PRId64 "\":", ids[i]);
        spur_buf_json_str(&b, t ? t->name : "");
    }
    spur_time_format(drawn_at / 1000, when, sizeof when);
    spur_buf_printf(&b, "},\"drawn_at\":\"%s\"}", when);
    free(ids);
    free(out);
    free(win);
    free(res);
    return spur_buf_steal(&b, NULL);
}

/* ---- verification ---- */

static void diff(spur_draw_diffs_t *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void diff(spur_draw_diffs_t *d, const char *fmt, ...)
{
    va_list ap;
    char buf[2048]; /* German and English, each with up to two shortened lists */
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 8;
        d->msgs = spur_realloc(d->msgs, d->cap * sizeof(*d->msgs));
    }
    d->msgs[d->n++] = spur_strdup(buf);
}

void spur_draw_diffs_free(spur_draw_diffs_t *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->msgs[i]);
    free(d->msgs);
    memset(d, 0, sizeof(*d));
}

static const char *str_member(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A line "<id>\t1": id positive decimal without leading zeros. Returns 0 or -1. */
static int parse_line(const char *s, int64_t *id)
{
    size_t digits = 0;
    int64_t v = 0;
    if (s[0] < '1' || s[0] > '9')
        return -1;
    while (s[digits] >= '0' && s[digits] <= '9') {
        if (digits == ID_DIGITS_MAX - 1 && v > (INT64_MAX - (s[digits] - '0')) / 10)
            return -1;
        if (digits >= ID_DIGITS_MAX)
            return -1;
        v = v * 10 + (s[digits] - '0');
        digits++;
    }
    if (strcmp(s + digits, "\t1") != 0)
        return -1;
    *id = v;
    return 0;
}

/* A short, printable rendering of a record's value for a message. */
static void shown(const cJSON *v, char *out, size_t size)
{
    char *s = v ? cJSON_PrintUnformatted(v) : NULL;
    if (!s) {
        snprintf(out, size, "nothing");
        return;
    }
    if (strlen(s) >= size && size > 4)
        snprintf(out, size, "%.*s...", (int)(size - 4), s);
    else
        snprintf(out, size, "%s", s);
    cJSON_free(s);
}

/* Does the record's array v hold exactly ids? Writes the record's side to says. */
static int same_ids(const cJSON *v, const int64_t *ids, size_t n, char *says, size_t says_size)
{
    spur_buf_t b = {0};
    const cJSON *it;
    size_t i = 0;
    int same = cJSON_IsArray(v) && (size_t)cJSON_GetArraySize(v) == n;

    if (!cJSON_IsArray(v)) {
        shown(v, says, says_size);
        return 0;
    }
    spur_buf_puts(&b, "[");
    cJSON_ArrayForEach(it, v)
    {
        if (i)
            spur_buf_puts(&b, ", ");
        if (cJSON_IsNumber(it) && it->valuedouble == (double)(int64_t)it->valuedouble) {
            spur_buf_printf(&b, "%" PRId64, (int64_t)it->valuedouble);
            if (same && (int64_t)it->valuedouble != ids[i])
                same = 0;
        } else {
            char one[64];
            shown(it, one, sizeof one);
            spur_buf_puts(&b, one);
            same = 0;
        }
        i++;
    }
    spur_buf_puts(&b, "]");
    snprintf(says, says_size, "%s", b.data);
    if (b.len >= says_size && says_size > 4)
        memcpy(says + says_size - 4, "...", 4);
    spur_buf_free(&b);
    return same;
}

static void ids_text(const int64_t *ids, size_t n, char *out, size_t size)
{
    spur_buf_t b = {0};
    id_list(&b, ids, n, ", ");
    snprintf(out, size, "%s", b.data);
    if (b.len >= size && size > 4)
        memcpy(out + size - 4, "...", 4);
    spur_buf_free(&b);
}

/* count ("all" or an integer >= 0) and reserves (integer >= 0, default 0). */
static int read_counts(const cJSON *rec, spur_draw_diffs_t *d, int *count, int *reserves)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(rec, "count");
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(rec, "reserves");
    int ok = 1;
    *reserves = 0;
    if (cJSON_IsString(c) && strcmp(c->valuestring, "all") == 0)
        *count = -1;
    else if (cJSON_IsNumber(c) && c->valuedouble >= 0 && c->valuedouble <= 1e6 &&
             c->valuedouble == (int)c->valuedouble)
        *count = (int)c->valuedouble;
    else {
        diff(d, "count ist weder eine Zahl von Gewinnern noch \"all\" / count is not a number of "
                "winners or \"all\"");
        ok = 0;
    }
    if (r && !(cJSON_IsNumber(r) && r->valuedouble >= 0 && r->valuedouble <= 1e6 &&
               r->valuedouble == (int)r->valuedouble)) {
        diff(d, "reserves ist keine Zahl von Nachrückern / reserves is not a number of reserves");
        ok = 0;
    } else if (r) {
        *reserves = (int)r->valuedouble;
    }
    return ok;
}

/* The optional "excluded" list (records made before it existed lack it): team ids
 * ascending, none of them also on the eligible list ids[n]. */
static void check_excluded(const cJSON *rec, const int64_t *ids, size_t n, spur_draw_diffs_t *d)
{
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(rec, "excluded"), *it;
    int64_t prev = 0;

    if (!ex)
        return;
    if (!cJSON_IsArray(ex)) {
        diff(d, "excluded ist keine Liste von Team-Nummern / excluded is not a list of team ids");
        return;
    }
    cJSON_ArrayForEach(it, ex)
    {
        int64_t id;
        if (!cJSON_IsNumber(it) || it->valuedouble < 1 || it->valuedouble > 9007199254740992.0 ||
            it->valuedouble != (double)(int64_t)it->valuedouble) {
            diff(d,
                 "excluded ist keine Liste von Team-Nummern / excluded is not a list of team ids");
            return;
        }
        id = (int64_t)it->valuedouble;
        if (id <= prev) {
            diff(d,
                 "excluded ist nicht nach Team-Nummer aufsteigend: %" PRId64 " folgt auf %" PRId64
                 " / excluded is not in ascending team id order: %" PRId64 " follows %" PRId64,
                 id, prev, id, prev);
            return;
        }
        prev = id;
        if (ids && bsearch(&id, ids, n, sizeof(*ids), cmp_id))
            diff(d,
                 "Team %" PRId64 " steht in excluded und in eligible / team %" PRId64
                 " is both excluded and eligible",
                 id, id);
    }
}

/* The beacon part of a record: v2 needs a well-formed beacon and its description, v1
 * has neither. *beacon is the record's beacon (v2), or NULL. Returns 0, or -1 when the
 * draw cannot be recomputed. */
static int check_beacon(const cJSON *rec, int v2, const char *expect_beacon, spur_draw_diffs_t *d,
                        const char **beacon)
{
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(rec, "beacon");
    char shown_b[96];

    *beacon = NULL;
    if (!v2) {
        if (b)
            diff(d, "ein spur-draw-v1-Protokoll hat keinen beacon; mit beacon wäre es "
                    "spur-draw-v2 / a spur-draw-v1 record has no beacon; with one it would be "
                    "spur-draw-v2");
        if (expect_beacon)
            diff(d,
                 "das Protokoll hat keinen Zufallswert (spur-draw-v1), erwartet war \"%s\" / the "
                 "record has no beacon (spur-draw-v1), expected \"%s\"",
                 expect_beacon, expect_beacon);
        return 0;
    }
    if (!str_member(rec, "beacon_description"))
        diff(d, "beacon_description fehlt oder ist kein Text / beacon_description is missing or "
                "not a string");
    if (!cJSON_IsString(b) || !spur_draw_beacon_ok(b->valuestring, strlen(b->valuestring))) {
        diff(d,
             "beacon fehlt oder ist kein Zufallswert (1 bis %d Bytes UTF-8 ohne "
             "Steuerzeichen); die Ziehung lässt sich nicht nachrechnen / beacon is missing or "
             "not a beacon value (1 to %d bytes of UTF-8 without control characters); the "
             "draw cannot be recomputed",
             SPUR_DRAW_BEACON_MAX, SPUR_DRAW_BEACON_MAX);
        return -1;
    }
    *beacon = b->valuestring;
    if (expect_beacon && strcmp(expect_beacon, b->valuestring) != 0) {
        shown(b, shown_b, sizeof shown_b);
        diff(d,
             "Zufallswert weicht ab: Protokoll sagt %s, die öffentliche Quelle nannte \"%s\" / "
             "beacon differs: record says %s, the public source gave \"%s\"",
             shown_b, expect_beacon, shown_b, expect_beacon);
    }
    return 0;
}

size_t spur_draw_verify(const cJSON *rec, const char *expect_commitment, const char *expect_beacon,
                        spur_draw_diffs_t *d)
{
    size_t before = d->n, n = 0, nw = 0, nr = 0;
    const char *alg, *prize, *seed_hex, *commit, *esha, *beacon = NULL;
    const cJSON *elig, *line, *names;
    unsigned char seed[32], h[32], e[32], k[32];
    char hex[65], says[256], got[256];
    crypto_hash_sha256_state st;
    int64_t *ids = NULL, *win = NULL, *res = NULL;
    int lines_ok = 1, count = 0, reserves = 0, v2, beacon_ok;
    int64_t t;

    if (!cJSON_IsObject(rec)) {
        diff(d, "Das Protokoll ist kein JSON-Objekt / the record is not a JSON object");
        return d->n - before;
    }
    alg = str_member(rec, "algorithm");
    if (!alg || (strcmp(alg, SPUR_DRAW_V1) != 0 && strcmp(alg, SPUR_DRAW_V2) != 0)) {
        diff(d,
             "algorithm ist %s, nicht \"" SPUR_DRAW_V1 "\" oder \"" SPUR_DRAW_V2
             "\" / algorithm is %s, not \"" SPUR_DRAW_V1 "\" or \"" SPUR_DRAW_V2 "\"",
             alg ? alg : "nicht angegeben", alg ? alg : "missing");
        return d->n - before;
    }
    v2 = strcmp(alg, SPUR_DRAW_V2) == 0;
    if (!str_member(rec, "hunt"))
        diff(d, "hunt fehlt oder ist kein Text / hunt is missing or not a string");
    if (!str_member(rec, "prize_name"))
        diff(d, "prize_name fehlt oder ist kein Text / prize_name is missing or not a string");
    if (!str_member(rec, "drawn_at") || spur_time_parse(str_member(rec, "drawn_at"), &t) < 0)
        diff(d, "drawn_at ist keine Zeit nach RFC 3339 / drawn_at is not an RFC 3339 time");
    prize = str_member(rec, "prize");
    if (!prize)
        diff(d, "prize fehlt oder ist kein Text; die Ziehung lässt sich nicht nachrechnen / "
                "prize is missing or not a string; the draw cannot be recomputed");
    seed_hex = str_member(rec, "seed");
    if (!seed_hex || strlen(seed_hex) != 64 ||
        sodium_hex2bin(seed, 32, seed_hex, 64, NULL, NULL, NULL) != 0) {
        diff(d, "seed sind nicht 64 Hex-Ziffern; die Ziehung lässt sich nicht nachrechnen / "
                "seed is not 64 hex digits; the draw cannot be recomputed");
        seed_hex = NULL;
    }
    if (seed_hex) {
        crypto_hash_sha256(h, seed, 32);
        spur_codes_hex(h, 32, hex);
        commit = str_member(rec, "commitment");
        if (!commit || strcasecmp(commit, hex) != 0)
            diff(d,
                 "Zusage weicht ab: Protokoll sagt %s, SHA-256 des Startwerts ist %s / "
                 "commitment differs: record says %s, SHA-256 of the seed is %s",
                 commit ? commit : "nichts", hex, commit ? commit : "nothing", hex);
        if (expect_commitment && strcasecmp(expect_commitment, hex) != 0)
            diff(d,
                 "der Startwert passt nicht zur vor der Ziehung veröffentlichten Zusage: "
                 "veröffentlicht %s, SHA-256 des Startwerts ist %s / "
                 "the seed does not match the commitment published before the draw: "
                 "published %s, SHA-256 of the seed is %s",
                 expect_commitment, hex, expect_commitment, hex);
    }
    beacon_ok = check_beacon(rec, v2, expect_beacon, d, &beacon) == 0;

    /* the eligible lines: well formed, ascending, hashed exactly as given */
    elig = cJSON_GetObjectItemCaseSensitive(rec, "eligible");
    crypto_hash_sha256_init(&st);
    if (!cJSON_IsArray(elig)) {
        diff(d, "eligible fehlt oder ist keine Liste von Zeilen / eligible is missing or not a "
                "list of lines");
        lines_ok = 0;
    } else {
        size_t i = 0;
        ids = spur_malloc(((size_t)cJSON_GetArraySize(elig) + 1) * sizeof(*ids));
        cJSON_ArrayForEach(line, elig)
        {
            if (!cJSON_IsString(line) || parse_line(line->valuestring, &ids[n]) < 0) {
                shown(line, says, 64);
                diff(d,
                     "eligible[%zu] ist keine Zeile \"<Team-Nummer>\\t1\": %s / eligible[%zu] is "
                     "not a line \"<team id>\\t1\": %s",
                     i, says, i, says);
                lines_ok = 0;
            } else {
                if (n > 0 && ids[n] <= ids[n - 1]) {
                    diff(d,
                         "eligible ist nicht nach Team-Nummer aufsteigend: %" PRId64
                         " folgt auf %" PRId64 " bei eligible[%zu] / eligible is not in "
                         "ascending team id order: %" PRId64 " follows %" PRId64
                         " at eligible[%zu]",
                         ids[n], ids[n - 1], i, ids[n], ids[n - 1], i);
                    lines_ok = lines_ok > 0 ? -1 : lines_ok; /* still drawn, not searched */
                }
                n++;
            }
            if (cJSON_IsString(line)) {
                crypto_hash_sha256_update(&st, (const unsigned char *)line->valuestring,
                                          strlen(line->valuestring));
                crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
            }
            i++;
        }
    }
    crypto_hash_sha256_final(&st, e);
    spur_codes_hex(e, 32, hex);
    esha = str_member(rec, "eligible_sha256");
    if (cJSON_IsArray(elig) && (!esha || strcasecmp(esha, hex) != 0))
        diff(d,
             "eligible_sha256 weicht ab: Protokoll sagt %s, neu berechnet %s / eligible_sha256 "
             "differs: record says %s, recomputed %s",
             esha ? esha : "nichts", hex, esha ? esha : "nothing", hex);
    check_excluded(rec, lines_ok == 1 ? ids : NULL, n, d);

    if (!read_counts(rec, d, &count, &reserves) || !lines_ok || !prize || !seed_hex || !beacon_ok)
        goto out;

    /* the winners and reserves, drawn again */
    spur_draw_key(seed, e, prize, beacon, k);
    win = spur_malloc((n + 1) * sizeof(*win));
    res = spur_malloc((n + 1) * sizeof(*res));
    spur_draw_run(k, ids, n, count, reserves, win, &nw, res, &nr);
    if (!same_ids(cJSON_GetObjectItemCaseSensitive(rec, "winners"), win, nw, says, sizeof says)) {
        ids_text(win, nw, got, sizeof got);
        diff(d,
             "Gewinner weichen ab: Protokoll sagt %s, neu berechnet %s / winners differ: record "
             "says %s, recomputed %s",
             says, got, says, got);
    }
    if (!same_ids(cJSON_GetObjectItemCaseSensitive(rec, "reserve_winners"), res, nr, says,
                  sizeof says)) {
        ids_text(res, nr, got, sizeof got);
        diff(d,
             "Nachrücker weichen ab: Protokoll sagt %s, neu berechnet %s / reserve_winners "
             "differ: record says %s, recomputed %s",
             says, got, says, got);
    }
    names = cJSON_GetObjectItemCaseSensitive(rec, "names");
    if (!cJSON_IsObject(names)) {
        diff(d, "names fehlt oder ist kein Objekt / names is missing or not an object");
    } else {
        for (size_t i = 0; i < nw + nr; i++) {
            int64_t id = i < nw ? win[i] : res[i - nw];
            char key[24];
            snprintf(key, sizeof key, "%" PRId64, id);
            if (!str_member(names, key))
                diff(d, "names hat keinen Namen für Team %s / names has no name for team %s", key,
                     key);
        }
    }
out:
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(k, sizeof k);
    free(ids);
    free(win);
    free(res);
    return d->n - before;
}

/* ---- published draws in memory ---- */

static int64_t *read_ids(const cJSON *arr, size_t *n)
{
    const cJSON *it;
    int64_t *v = spur_malloc(((size_t)cJSON_GetArraySize(arr) + 1) * sizeof(*v));
    *n = 0;
    cJSON_ArrayForEach(it, arr)
    {
        if (cJSON_IsNumber(it))
            v[(*n)++] = (int64_t)it->valuedouble;
    }
    return v;
}

int spur_draw_pub_parse(spur_draw_pub_t *pub, const char *hunt_id, const char *prize_id,
                        const char *record, int64_t drawn_at)
{
    cJSON *root = cJSON_Parse(record);
    const char *name = str_member(root, "prize_name");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "winners");
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(root, "reserve_winners");

    memset(pub, 0, sizeof(*pub));
    if (!cJSON_IsObject(root) || !cJSON_IsArray(w) || !cJSON_IsArray(r)) {
        cJSON_Delete(root);
        return -1;
    }
    pub->hunt_id = spur_strdup(hunt_id);
    pub->prize_id = spur_strdup(prize_id);
    pub->prize_name = spur_strdup(name ? name : prize_id);
    pub->record = spur_strdup(record);
    pub->winners = read_ids(w, &pub->nwinners);
    pub->reserves = read_ids(r, &pub->nreserves);
    pub->drawn_at = drawn_at;
    cJSON_Delete(root);
    return 0;
}

void spur_draw_pub_free(spur_draw_pub_t *pub)
{
    free(pub->hunt_id);
    free(pub->prize_id);
    free(pub->prize_name);
    free(pub->record);
    free(pub->winners);
    free(pub->reserves);
    memset(pub, 0, sizeof(*pub));
}

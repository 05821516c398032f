/* mkdb: builds a benchmark database through spur's own store code, the way the live
 * server fills it, so that `make bench` measures spurd on data it could really meet
 * (same rows, same columns, same JSON) rather than on hand-written SQL.
 *
 *   mkdb --hunt FILE --out DB --teams N --solves M [--open PUZZLE]... [--tokens FILE]
 *        [--chunk N] [--seed S] [--verify] [--plain-malloc]
 *
 * The hunt file is stored with spur_store_put_hunt (as `spur import` does). Then the
 * writer thread (spur_writer_start, group commit, WAL + synchronous=FULL) takes the
 * records exactly as the handlers build them: SPUR_REC_TEAM as team.c (name and key
 * from spur_team_name_check, a random join salt, the hash of the canonical join code,
 * the hash of a fresh token), and SPUR_REC_EVENT solves as play.c: an answer with its
 * input, verdict "correct" and the body answered ({"correct":true,"points":P,
 * "score":S}), or, for a scan puzzle, a scan of its place with the place's short code
 * as input, the scan body answered and the solved puzzle ids. Every event carries a
 * client_id and made_at as the web app's outbox sends them.
 *
 * Teams are created first (over the first fifth of the time since starts_at), then the
 * solves follow in rounds, every team its next puzzle in turn, as a running hunt
 * interleaves them. Each team solves about M/N distinct puzzles (some more, some
 * fewer, M in all); puzzles named with --open (the bench answers them live), puzzles
 * with "requires" and puzzles released in the future are never solved here. Records
 * are submitted in chunks (default 50,000) and the loop runs until each chunk's done
 * callbacks ran, so memory stays bounded.
 *
 * --tokens writes "team_id<TAB>bearer token" per team, for the load generators.
 * Unless --plain-malloc, glibc's trim threshold is raised to 256 MiB: the writer's
 * event INSERT builds two ephemeral b-trees per row (the CHECK ... IN lists of
 * events.kind and events.verdict), and with the default threshold every row then
 * shrinks the writer thread's malloc arena (madvise) and faults the pages back in,
 * which made a 1,000,000-row build take minutes instead of seconds. The rows written
 * are the same either way; spurd runs with glibc's defaults.
 * --verify afterwards loads the database with spur_store_load (spurd's start-up
 * replay) and checks teams, solves and every team's score against what was built.
 * Prints how long building took. Exit status 0, or 1 on any failure. */
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>
#include <uv.h>

#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "game/codes.h"
#include "game/hunt.h"
#include "game/state.h"
#include "store/load.h"
#include "store/store.h"
#include "store/writer.h"

#define MAX_OPEN 16

static const char *const name_words[] = {"Füchse", "Eulen",     "Dachse", "Spürnasen",
                                         "Igel",   "Schnecken", "Luchse", "Rallye-Team"};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
    /* xorshift64*: the plan (who solves what, in which order) is reproducible per seed;
       salts and tokens come from libsodium as in the server */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static size_t rng_below(size_t n)
{
    return (size_t)(rng() % n);
}

static size_t failures;

static void on_done(spur_rec_t *r)
{
    if (r->status != 0)
        failures++;
    spur_rec_free(r);
}

/* Runs the loop until every submitted record's done callback ran. */
static void drain(uv_loop_t *loop, spur_writer_t *w)
{
    while (spur_writer_pending(w) > 0)
        uv_run(loop, UV_RUN_ONCE);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    spur_buf_t b = {0};
    char chunk[65536];
    size_t n;

    if (!f)
        return NULL;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        spur_buf_append(&b, chunk, n);
    fclose(f);
    if (!b.data)
        spur_buf_puts(&b, "");
    return spur_buf_steal(&b, len);
}

/* What a player types to solve puzzle p (the first accepted form). */
static char *correct_input(const spur_puzzle_t *p)
{
    switch (p->kind) {
    case SPUR_KIND_TEXT:
        return spur_strdup(p->naccept ? p->accept[0] : "");
    case SPUR_KIND_NUMBER:
        return spur_asprintf("%.15g", p->number);
    case SPUR_KIND_CHOICE:
        return spur_strdup(p->choices[p->correct]);
    case SPUR_KIND_SCAN:
    case SPUR_KIND_CHECKIN:
    case SPUR_KIND_PHOTO:
        break;
    }
    return NULL;
}

static void client_id(char out[37])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof(b));
    b[6] = (b[6] & 0x0f) | 0x40; /* like crypto.randomUUID(): version 4 */
    b[8] = (b[8] & 0x3f) | 0x80;
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

static double secs(uint64_t ns)
{
    return (double)ns / 1e9;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: mkdb --hunt FILE --out DB --teams N --solves M [--open PUZZLE]...\n"
               "            [--tokens FILE] [--chunk N] [--seed S] [--verify] [--plain-malloc]\n");
}

/* Loads db as spurd does at start-up and compares with what was built. */
static int verify(const char *path, const char *hunt_id, size_t nteams, size_t nsolves,
                  const int *score)
{
    sqlite3 *db;
    spur_loaded_t l;
    char err[256];
    size_t solves = 0, bad = 0;
    spur_game_t *g = NULL;
    uint64_t t0 = uv_hrtime();

    if (spur_store_open(path, &db, err, sizeof(err)) < 0 ||
        spur_store_load(db, &l, err, sizeof(err)) < 0) {
        fprintf(stderr, "mkdb: verify: %s\n", err);
        return -1;
    }
    spur_store_close(db);
    for (size_t i = 0; i < l.ngames; i++)
        if (strcmp(l.games[i]->hunt->id, hunt_id) == 0)
            g = l.games[i];
    if (!g || g->nteams != nteams) {
        fprintf(stderr, "mkdb: verify: %zu teams loaded, %zu built\n", g ? g->nteams : 0, nteams);
        spur_loaded_free(&l);
        return -1;
    }
    for (size_t i = 0; i < g->nteams; i++) {
        const spur_team_t *t = g->teams[i];
        solves += (size_t)t->nsolved;
        if (t->id < 1 || (size_t)t->id > nteams || t->score != score[t->id - 1])
            bad++;
    }
    spur_loaded_free(&l);
    if (solves != nsolves || bad) {
        fprintf(stderr, "mkdb: verify: %zu solves loaded (%zu built), %zu scores differ\n", solves,
                nsolves, bad);
        return -1;
    }
    printf("mkdb: verified: spur_store_load replays %zu teams and %zu solves with the scores "
           "built (%.2f s)\n",
           nteams, nsolves, secs(uv_hrtime() - t0));
    return 0;
}

int main(int argc, char **argv)
{
    const char *hunt_path = NULL, *out = NULL, *tokens_path = NULL;
    const char *open_ids[MAX_OPEN];
    size_t nopen = 0, nteams = 0, nsolves = 0, chunk = 50000;
    int do_verify = 0, plain_malloc = 0;
    char err[256], perr[128];
    size_t off = 0, text_len = 0;
    char *text;
    cJSON *root;
    spur_diags_t diags = {0};
    spur_hunt_t *h;
    struct stat sb;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--verify") == 0) {
            do_verify = 1;
            continue;
        }
        if (strcmp(a, "--plain-malloc") == 0) {
            plain_malloc = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (!v) {
            usage(stderr);
            return 1;
        }
        i++;
        if (strcmp(a, "--hunt") == 0)
            hunt_path = v;
        else if (strcmp(a, "--out") == 0)
            out = v;
        else if (strcmp(a, "--tokens") == 0)
            tokens_path = v;
        else if (strcmp(a, "--teams") == 0)
            nteams = strtoull(v, NULL, 10);
        else if (strcmp(a, "--solves") == 0)
            nsolves = strtoull(v, NULL, 10);
        else if (strcmp(a, "--chunk") == 0)
            chunk = strtoull(v, NULL, 10);
        else if (strcmp(a, "--seed") == 0)
            rng_state ^= strtoull(v, NULL, 10) * 0x9e3779b97f4a7c15ULL;
        else if (strcmp(a, "--open") == 0 && nopen < MAX_OPEN)
            open_ids[nopen++] = v;
        else {
            usage(stderr);
            return 1;
        }
    }
    if (!hunt_path || !out || nteams < 1 || chunk < 1 || !rng_state) {
        usage(stderr);
        return 1;
    }
    if (stat(out, &sb) == 0) {
        fprintf(stderr, "mkdb: %s exists; it builds a new database only\n", out);
        return 1;
    }
    spur_log_set_level(SPUR_LOG_WARN);
    if (!plain_malloc)
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
    if (sodium_init() < 0) {
        fprintf(stderr, "mkdb: libsodium failed to initialise\n");
        return 1;
    }

    /* the hunt, validated as spurd will load it */
    if (!(text = read_file(hunt_path, &text_len))) {
        fprintf(stderr, "mkdb: %s: %s\n", hunt_path, strerror(errno));
        return 1;
    }
    root = spur_json_parse(text, text_len, perr, sizeof(perr), &off);
    h = root ? spur_hunt_from_json(root, &diags) : NULL;
    if (!h) {
        fprintf(stderr, "mkdb: %s: %s\n", hunt_path,
                root ? (diags.n ? diags.items[0].message : "invalid hunt") : perr);
        return 1;
    }
    cJSON_Delete(root);
    spur_diags_free(&diags);

    /* which puzzles the built teams solve */
    int *solvable = spur_calloc(h->npuzzles + 1, sizeof(int));
    size_t nsolvable = 0;
    int64_t now_ms = (int64_t)time(NULL) * 1000;
    for (size_t i = 0; i < h->npuzzles; i++) {
        const spur_puzzle_t *p = &h->puzzles[i];
        int skip = p->nrequires > 0 || (p->opens_at && p->opens_at * 1000 > now_ms) ||
                   (p->kind == SPUR_KIND_SCAN && p->place < 0);
        for (size_t k = 0; k < nopen; k++)
            skip |= strcmp(p->id, open_ids[k]) == 0;
        /* a scan here solves exactly its own puzzle: one scan puzzle per place */
        for (size_t k = 0; !skip && p->kind == SPUR_KIND_SCAN && k < i; k++)
            if (h->puzzles[k].kind == SPUR_KIND_SCAN && h->puzzles[k].place == p->place) {
                fprintf(stderr, "mkdb: place %s has several scan puzzles; one each, please\n",
                        h->places[p->place].id);
                return 1;
            }
        if (!skip)
            solvable[nsolvable++] = (int)i;
    }
    if (nsolves > nteams * nsolvable) {
        fprintf(stderr, "mkdb: %zu teams can solve at most %zu puzzles here (%zu each)\n", nteams,
                nteams * nsolvable, nsolvable);
        return 1;
    }
    int64_t t_start = h->starts_at * 1000, t_end = now_ms - 60000;
    if (h->ends_at * 1000 < t_end)
        t_end = h->ends_at * 1000;
    if (t_end - t_start < 60000) {
        fprintf(stderr, "mkdb: the hunt must have run for a minute already (starts_at)\n");
        return 1;
    }

    /* how many each team solves: about the mean, M in all */
    uint16_t *count = spur_calloc(nteams, sizeof(uint16_t));
    size_t maxc = 0;
    for (size_t i = 0; i < nteams; i++)
        count[i] = (uint16_t)(nsolves / nteams + (i < nsolves % nteams));
    for (size_t k = 0; nsolves && k < nteams; k++) {
        size_t a = rng_below(nteams), b = rng_below(nteams);
        if (count[a] > 0 && count[b] < nsolvable) {
            count[a]--;
            count[b]++;
        }
    }
    for (size_t i = 0; i < nteams; i++)
        if (count[i] > maxc)
            maxc = count[i];
    /* and which, in which order: the first count[i] of a shuffle */
    uint16_t *order = spur_calloc(nteams * (maxc ? maxc : 1), sizeof(uint16_t));
    {
        uint16_t *perm = spur_calloc(nsolvable + 1, sizeof(uint16_t));
        for (size_t i = 0; i < nteams; i++) {
            for (size_t k = 0; k < nsolvable; k++)
                perm[k] = (uint16_t)k;
            for (size_t k = 0; k < count[i]; k++) {
                size_t j = k + rng_below(nsolvable - k);
                uint16_t tmp = perm[k];
                perm[k] = perm[j];
                perm[j] = tmp;
                order[i * maxc + k] = (uint16_t)solvable[perm[k]];
            }
        }
        free(perm);
    }

    /* the database and the hunt, as `spur import` stores it */
    uint64_t t0 = uv_hrtime();
    sqlite3 *db;
    int created;
    unsigned char secret[32];
    {
        spur_store_hunt_t *hs = NULL;
        size_t n = 0;
        int found = 0;
        if (spur_store_open(out, &db, err, sizeof(err)) < 0 ||
            spur_store_put_hunt(db, h->id, text, text_len, NULL, 0, &created, err, sizeof(err)) <
                0 ||
            spur_store_hunts(db, &hs, &n, err, sizeof(err)) < 0) {
            fprintf(stderr, "mkdb: %s: %s\n", out, err);
            return 1;
        }
        for (size_t i = 0; i < n; i++)
            if (strcmp(hs[i].id, h->id) == 0) {
                memcpy(secret, hs[i].secret, 32);
                found = 1;
            }
        spur_store_hunts_free(hs, n);
        spur_store_close(db);
        if (!found) {
            fprintf(stderr, "mkdb: the hunt was not stored\n");
            return 1;
        }
    }

    FILE *tokens = NULL;
    if (tokens_path && !(tokens = fopen(tokens_path, "w"))) {
        fprintf(stderr, "mkdb: %s: %s\n", tokens_path, strerror(errno));
        return 1;
    }

    uv_loop_t loop;
    spur_writer_t *w;
    uv_loop_init(&loop);
    if (spur_writer_start(&loop, out, &w) < 0)
        return 1;

    /* teams, created over the first fifth of the time */
    int64_t *created_at = spur_calloc(nteams, sizeof(int64_t));
    int *score = spur_calloc(nteams, sizeof(int));
    int64_t span = t_end - t_start;
    for (size_t i = 0; i < nteams; i++) {
        spur_rec_t *r = spur_rec_new(SPUR_REC_TEAM);
        char name[64], code[SPUR_SHORT_LEN + 1], canon[9], token[48];

        snprintf(name, sizeof(name), "%s %zu",
                 name_words[i % (sizeof(name_words) / sizeof(name_words[0]))], i + 1);
        if (spur_team_name_check(name, strlen(name), &r->name, &r->name_key) != 0) {
            fprintf(stderr, "mkdb: team name \"%s\" refused\n", name);
            return 1;
        }
        r->hunt_id = spur_strdup(h->id);
        r->team_id = (int64_t)i + 1;
        r->at = created_at[i] = t_start + (int64_t)((double)span * 0.2 * (double)i / nteams);
        randombytes_buf(r->join_salt, sizeof(r->join_salt));
        spur_codes_join_code(secret, r->join_salt, code);
        spur_codes_short_canon(code, canon);
        spur_codes_hash(canon, strlen(canon), r->join_hash);
        spur_codes_random_token(token);
        spur_codes_hash(token, strlen(token), r->token_hash);
        if (tokens)
            fprintf(tokens, "%zu\t%s\n", i + 1, token);
        r->done = on_done;
        spur_writer_submit(w, r);
        if ((i + 1) % chunk == 0)
            drain(&loop, w);
    }
    drain(&loop, w);
    if (tokens && fclose(tokens) != 0) {
        fprintf(stderr, "mkdb: %s: %s\n", tokens_path, strerror(errno));
        return 1;
    }
    uint64_t t_teams = uv_hrtime() - t0;

    /* solves in rounds over the remaining four fifths */
    char **inputs = spur_calloc(h->npuzzles + 1, sizeof(char *));
    char **place_codes = spur_calloc(h->nplaces + 1, sizeof(char *));
    for (size_t i = 0; i < h->npuzzles; i++)
        inputs[i] = correct_input(&h->puzzles[i]);
    for (size_t i = 0; i < h->nplaces; i++) {
        char c[SPUR_SHORT_LEN + 1];
        spur_codes_place_short(secret, h->id, h->places[i].id, c);
        place_codes[i] = spur_strdup(c);
    }
    size_t done = 0, nscans = 0, submitted = 0;
    for (size_t round = 0; round < maxc; round++) {
        for (size_t i = 0; i < nteams; i++) {
            if (count[i] <= round)
                continue;
            int idx = order[i * maxc + round];
            const spur_puzzle_t *p = &h->puzzles[idx];
            spur_rec_t *r = spur_rec_new(SPUR_REC_EVENT);
            spur_buf_t body = {0};
            char cid[37];

            r->hunt_id = spur_strdup(h->id);
            r->team_id = (int64_t)i + 1;
            r->at = t_start + span / 5 +
                    (int64_t)((double)span * 0.8 * (double)done / (double)(nsolves + 1));
            if (r->at <= created_at[i])
                r->at = created_at[i] + 1;
            r->made_at = r->at / 1000 * 1000; /* the app's made_at has whole seconds */
            if (r->made_at < created_at[i])
                r->made_at = created_at[i];
            client_id(cid);
            r->client_id = spur_strdup(cid);
            r->points = p->points; /* no hints taken: the puzzle's points */
            score[i] += r->points;
            if (p->kind == SPUR_KIND_SCAN) {
                const spur_place_t *pl = &h->places[p->place];
                r->ev_kind = "scan";
                r->place_id = spur_strdup(pl->id);
                r->input = spur_strdup(place_codes[p->place]);
                spur_buf_puts(&body, "{\"place\":");
                spur_buf_json_str(&body, pl->id);
                spur_buf_puts(&body, ",\"place_name\":");
                spur_buf_json_str(&body, pl->name);
                spur_buf_puts(&body, ",\"solved\":[");
                spur_buf_json_str(&body, p->id);
                spur_buf_puts(&body, "],\"unlocked\":[]}");
                r->solved = spur_strdup(p->id);
                nscans++;
            } else {
                r->ev_kind = "answer";
                r->puzzle_id = spur_strdup(p->id);
                r->input = spur_strdup(inputs[idx]);
                r->verdict = "correct";
                spur_buf_printf(&body, "{\"correct\":true,\"points\":%d,\"score\":%d}", r->points,
                                score[i]);
            }
            r->result = spur_buf_steal(&body, NULL);
            r->done = on_done;
            spur_writer_submit(w, r);
            done++;
            if (++submitted % chunk == 0)
                drain(&loop, w);
        }
    }
    drain(&loop, w);
    spur_writer_stop(w);
    uv_run(&loop, UV_RUN_DEFAULT); /* closes the writer's handle */
    uv_loop_close(&loop);
    uint64_t t_all = uv_hrtime() - t0;

    if (failures) {
        fprintf(stderr, "mkdb: %zu records were not stored\n", failures);
        return 1;
    }
    {
        double mb = 0;
        char wal[4096];
        if (stat(out, &sb) == 0)
            mb += (double)sb.st_size;
        snprintf(wal, sizeof(wal), "%s-wal", out);
        if (stat(wal, &sb) == 0)
            mb += (double)sb.st_size;
        printf("mkdb: %s: %zu teams, %zu solves (%zu answers, %zu scans) through the writer "
               "in %.2f s (teams %.2f s, events %.2f s; %.0f records/s), %.1f MB\n",
               out, nteams, done, done - nscans, nscans, secs(t_all), secs(t_teams),
               secs(t_all - t_teams), (double)(nteams + done) / secs(t_all), mb / 1e6);
    }
    if (do_verify && verify(out, h->id, nteams, done, score) < 0)
        return 1;

    for (size_t i = 0; i < h->npuzzles; i++)
        free(inputs[i]);
    for (size_t i = 0; i < h->nplaces; i++)
        free(place_codes[i]);
    free(inputs);
    free(place_codes);
    free(created_at);
    free(score);
    free(order);
    free(count);
    free(solvable);
    free(text);
    spur_hunt_free(h);
    return 0;
}

/* Unit tests of the prize draw (server/game/draw.c): the stream, key and picks
 * equal the golden vectors of the independent Python implementation
 * (tests/draw_vectors.py), the rejection step is exact at its bound, winners are
 * uniform, eligibility follows each rule and skips test and excluded teams, a
 * game's record (v1, and v2 with a beacon) verifies, and every kind of tampering
 * is caught with its own message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "game/draw.h"
#include "game/hunt.h"
#include "game/state.h"

/* ---- golden vectors: output of `python3 tests/draw_vectors.py` ---- */

static const char SEED_A_HEX[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char SEED_B_HEX[] = "db3fe3f05116a46c2696818539c12e2de7c5758ca98af3ee1fd8a0d7ddf28c23";
static const char DESIGN_K_HEX[] =
    "57322cb5f095edf1f34a6464fc375543966716c3d0212e9dca1cf25c5118a689";
static const uint64_t DESIGN_FIRST[] = {0x3c29b15beb23c30du, 0x2f91946a6b237afdu,
                                        0x15cc75427e07b0a6u, 0xb67c1dd37d1043b0u,
                                        0xecd4023ae2a73e00u};

/* spur-draw-v2: the design example with tests/draw_vectors.py's BEACON */
static const char BEACON[] = "Lotto 6aus49, Ziehung vom 2026-07-01: 3 11 19 27 35 49, Superzahl 7";
static const char DESIGN_V2_K_HEX[] =
    "46432985f81e030a961b07ce9dcf9f273d2917a8b066ba43bdaf9d1eb1319e89";
static const char TEN_V2_K_HEX[] =
    "4e17f6d4cc1bc89245147d8433411fd0e8bc92e9f8ad5d35b6cc383fcdaf4a5e";

typedef struct {
    const char *name, *seed_hex;
    int64_t ids[8];
    size_t n;
    const char *prize;
    int count, reserves;
    const char *e_hex;
    int64_t winners[4];
    size_t nwinners;
    int64_t reserve[4];
    size_t nreserves;
} golden_t;

static const golden_t GOLDEN[] = {
    {"design_example",
     SEED_A_HEX,
     {3, 7, 12},
     3,
     "paket",
     1,
     2,
     "41442533a07e822e53f55c5b42211bcfaa2e581ad7c29e305bf33bf9434cf38d",
     {7},
     1,
     {12, 3},
     2},
    {"ten_teams",
     SEED_B_HEX,
     {1, 2, 3, 4, 5, 6, 7, 8},
     0,
     "sachpreis",
     3,
     3,
     "a4a1977be4f6e00c6337a631427919dea482c61299b83cd16a0295918255031a",
     {3, 4, 5},
     3,
     {8, 9, 7},
     3},
    {"fewer_than_count",
     SEED_A_HEX,
     {5, 40},
     2,
     "urkunde",
     3,
     1,
     "f69cc0d1f5bc89c7e08c5997aff3b08f01e1592b9ac8a74c1c2cf3e50fcfe8ab",
     {40, 5},
     2,
     {0},
     0},
    {"big_ids",
     SEED_B_HEX,
     {8, 9, 42, 77, 100, 1000000007},
     6,
     "\xc3\xa9"
     "clair",
     2,
     1,
     "e815083749617e64fc6f3f14be7a04a1292951d8a792c0a31759473be89c4194",
     {1000000007, 77},
     2,
     {9},
     1},
};

static void unhex(const char *hex, unsigned char *out, size_t n)
{
    assert_int_equal(sodium_hex2bin(out, n, hex, strlen(hex), NULL, NULL, NULL), 0);
}

static void hex(const unsigned char *b, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, b, n);
}

/* ten_teams has ids 1..10, more than the struct holds: fill them here. */
static size_t golden_ids(const golden_t *g, int64_t *ids)
{
    if (g->n == 0) {
        for (int i = 0; i < 10; i++)
            ids[i] = i + 1;
        return 10;
    }
    memcpy(ids, g->ids, g->n * sizeof(*ids));
    return g->n;
}

static void stream_gives_the_independent_implementations_numbers(void **state)
{
    (void)state;
    unsigned char seed[32], e[32], k[32];
    char khex[65];
    int64_t ids[] = {3, 7, 12};
    spur_draw_stream_t s;

    unhex(SEED_A_HEX, seed, 32);
    spur_draw_eligible_hash(ids, 3, e);
    spur_draw_key(seed, e, "paket", NULL, k);
    hex(k, 32, khex);
    assert_string_equal(khex, DESIGN_K_HEX);
    spur_draw_stream_init(&s, k);
    for (size_t i = 0; i < 5; i++)
        assert_true(spur_draw_stream_next(&s) == DESIGN_FIRST[i]);
}

static void draws_equal_the_golden_vectors(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof GOLDEN / sizeof GOLDEN[0]; c++) {
        const golden_t *g = &GOLDEN[c];
        unsigned char seed[32], e[32], k[32];
        char ehex[65];
        int64_t ids[16], win[16], res[16];
        size_t n = golden_ids(g, ids), nw, nr;

        unhex(g->seed_hex, seed, 32);
        spur_draw_eligible_hash(ids, n, e);
        hex(e, 32, ehex);
        assert_string_equal(ehex, g->e_hex);
        spur_draw_key(seed, e, g->prize, NULL, k);
        spur_draw_run(k, ids, n, g->count, g->reserves, win, &nw, res, &nr);
        assert_int_equal(nw, g->nwinners);
        assert_int_equal(nr, g->nreserves);
        for (size_t i = 0; i < nw; i++)
            assert_int_equal(win[i], g->winners[i]);
        for (size_t i = 0; i < nr; i++)
            assert_int_equal(res[i], g->reserve[i]);
    }
}

/* v2: K = SHA-256(S || E || prize || 0x00 || beacon); the stream is v1's, so only the
 * key differs, and the design example's reserves come out in the other order. */
static void v2_key_and_draw_equal_the_golden_vectors(void **state)
{
    (void)state;
    unsigned char seed[32], e[32], k[32];
    char khex[65];
    int64_t ids[16], win[16], res[16];
    size_t n, nw, nr;

    unhex(SEED_A_HEX, seed, 32);
    n = golden_ids(&GOLDEN[0], ids);
    spur_draw_eligible_hash(ids, n, e);
    spur_draw_key(seed, e, "paket", BEACON, k);
    hex(k, 32, khex);
    assert_string_equal(khex, DESIGN_V2_K_HEX);
    spur_draw_run(k, ids, n, 1, 2, win, &nw, res, &nr);
    assert_int_equal(nw, 1);
    assert_int_equal(win[0], 7);
    assert_int_equal(nr, 2);
    assert_int_equal(res[0], 3);
    assert_int_equal(res[1], 12);

    unhex(SEED_B_HEX, seed, 32);
    n = golden_ids(&GOLDEN[1], ids);
    spur_draw_eligible_hash(ids, n, e);
    spur_draw_key(seed, e, "sachpreis", "\xc3\xbc", k); /* "ü" */
    hex(k, 32, khex);
    assert_string_equal(khex, TEN_V2_K_HEX);
    spur_draw_run(k, ids, n, 3, 3, win, &nw, res, &nr);
    assert_int_equal(nw, 3);
    assert_int_equal(win[0], 6);
    assert_int_equal(win[1], 9);
    assert_int_equal(win[2], 4);
    assert_int_equal(res[0], 7);
    assert_int_equal(res[1], 8);
    assert_int_equal(res[2], 10);

    /* the empty beacon is a beacon too (the 0x00 byte): not the v1 key */
    spur_draw_key(seed, e, "sachpreis", "", k);
    hex(k, 32, khex);
    assert_string_not_equal(khex, TEN_V2_K_HEX);
}

static void beacon_values_are_utf8_without_control_characters(void **state)
{
    (void)state;
    char big[SPUR_DRAW_BEACON_MAX + 2];
    assert_true(spur_draw_beacon_ok(BEACON, strlen(BEACON)));
    static const char utf8[] = "Gl\xc3\xbc"
                               "ck \xe2\x82\xac \xf0\x9f\x8e\xb2"; /* "Glück € 🎲" */
    assert_true(spur_draw_beacon_ok(utf8, strlen(utf8)));
    assert_false(spur_draw_beacon_ok("", 0));
    assert_false(spur_draw_beacon_ok("a\tb", 3));
    assert_false(spur_draw_beacon_ok("a\nb", 3));
    assert_false(spur_draw_beacon_ok("a\x7f", 2));
    assert_false(spur_draw_beacon_ok("a\xc2\x85", 3));        /* C1: NEL */
    assert_false(spur_draw_beacon_ok("\xc3", 1));             /* cut short */
    assert_false(spur_draw_beacon_ok("\xc0\xaf", 2));         /* overlong "/" */
    assert_false(spur_draw_beacon_ok("\xed\xa0\x80", 3));     /* a surrogate */
    assert_false(spur_draw_beacon_ok("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
    memset(big, 'x', sizeof big);
    assert_true(spur_draw_beacon_ok(big, SPUR_DRAW_BEACON_MAX));
    assert_false(spur_draw_beacon_ok(big, SPUR_DRAW_BEACON_MAX + 1));
}

/* ---- the pick, fed crafted numbers ---- */

typedef struct {
    const uint64_t *xs;
    size_t n, at;
} list_t;

static uint64_t next_from_list(void *ctx)
{
    list_t *l = ctx;
    assert_true(l->at < l->n); /* the pick must not ask for more than the test gives */
    return l->xs[l->at++];
}

static uint64_t pick(uint64_t n, const uint64_t *xs, size_t nx, unsigned *taken)
{
    list_t l = {xs, nx, 0};
    return spur_draw_pick(n, next_from_list, &l, taken);
}

static void pick_rejects_numbers_at_or_above_the_bound(void **state)
{
    (void)state;
    unsigned taken;
    /* n = 3: 2^64 mod 3 = 1, bound 2^64 - 1: only UINT64_MAX is rejected */
    static const uint64_t a[] = {UINT64_MAX, 5};
    assert_true(pick(3, a, 2, &taken) == 2);
    assert_int_equal(taken, 2);
    /* n = 5: UINT64_MAX - 1 is just below the bound and accepted */
    static const uint64_t b[] = {UINT64_MAX - 1, UINT64_MAX, 7};
    assert_true(pick(5, b, 3, &taken) == 4);
    assert_int_equal(taken, 1);
    /* n = 2^63 + 1: bound 2^63 + 1; the bound itself and above are rejected */
    static const uint64_t c[] = {(UINT64_C(1) << 63) + 1, UINT64_MAX, UINT64_C(1) << 63};
    assert_true(pick((UINT64_C(1) << 63) + 1, c, 3, &taken) == UINT64_C(1) << 63);
    assert_int_equal(taken, 3);
    /* a power of two divides 2^64: nothing is ever rejected */
    static const uint64_t d[] = {UINT64_MAX};
    assert_true(pick(4, d, 1, &taken) == 3);
    assert_int_equal(taken, 1);
    /* n = 1 always picks 0 */
    assert_true(pick(1, d, 1, &taken) == 0);
}

/* 5 teams, 20000 draws with different seeds: each team wins about 4000 times. The
 * chi-square statistic with 4 degrees of freedom stays below 18.467 (p = 0.001). The
 * same for the first reserve. */
static void winners_are_uniform_over_many_seeds(void **state)
{
    (void)state;
    enum { TEAMS = 5, DRAWS = 20000 };
    int64_t ids[TEAMS] = {2, 3, 5, 8, 13}, win[TEAMS], res[TEAMS];
    unsigned hits[TEAMS] = {0}, rhits[TEAMS] = {0};
    unsigned char seed[32] = {0}, e[32], k[32];
    double chi = 0, rchi = 0, expect = (double)DRAWS / TEAMS;
    size_t nw, nr;

    spur_draw_eligible_hash(ids, TEAMS, e);
    for (uint32_t i = 0; i < DRAWS; i++) {
        memcpy(seed, &i, sizeof i);
        spur_draw_key(seed, e, "paket", NULL, k);
        spur_draw_run(k, ids, TEAMS, 1, 1, win, &nw, res, &nr);
        assert_int_equal(nw, 1);
        assert_int_equal(nr, 1);
        assert_true(win[0] != res[0]);
        for (int t = 0; t < TEAMS; t++) {
            hits[t] += win[0] == ids[t];
            rhits[t] += res[0] == ids[t];
        }
    }
    for (int t = 0; t < TEAMS; t++) {
        chi += (hits[t] - expect) * (hits[t] - expect) / expect;
        rchi += (rhits[t] - expect) * (rhits[t] - expect) / expect;
    }
    assert_true(chi < 18.467);
    assert_true(rchi < 18.467);
}

/* ---- a game ---- */

static const char HUNT[] =
    "{\"id\":\"kl-rallye\",\"title\":\"T\",\"starts_at\":\"2026-06-18T10:00:00Z\","
    "\"ends_at\":\"2026-06-28T10:00:00Z\",\"puzzles\":["
    "{\"id\":\"a\",\"title\":\"A\",\"clue\":\"?\",\"points\":5,\"answer\":{\"accept\":[\"x\"]}},"
    "{\"id\":\"b\",\"title\":\"B\",\"clue\":\"?\",\"points\":10,\"answer\":{\"accept\":[\"y\"]}}],"
    "\"prizes\":[{\"id\":\"paket\",\"name\":\"Kaiserslautern-Paket\",\"count\":1,\"reserves\":2,"
    "\"eligible\":\"all\"},"
    "{\"id\":\"sachpreis\",\"name\":\"Kleiner Sachpreis\",\"count\":\"all\",\"eligible\":"
    "\"finished\"},"
    "{\"id\":\"bonus\",\"name\":\"Bonus\",\"count\":1,\"eligible\":{\"min_score\":10}}]}";

/* Teams 3, 7, 12 scored (3: puzzle a = 5; 7: both = 15; 12: b = 10); team 5 did not. */
static spur_game_t *game(void)
{
    cJSON *root = cJSON_Parse(HUNT);
    spur_hunt_t *h = spur_hunt_from_json(root, NULL);
    unsigned char secret[32] = {9}, seed[32], salt[16] = {0};
    spur_game_t *g;
    static const int64_t ids[] = {3, 5, 7, 12};
    static const char *names[] = {"Die F\xc3\xbc"
                                  "chse",
                                  "Nullen", "Sieben \"Zwerge\"", "Zw\xc3\xb6lf"};

    assert_non_null(h);
    cJSON_Delete(root);
    unhex(SEED_A_HEX, seed, 32);
    g = spur_game_new(h, secret, seed);
    for (int i = 0; i < 4; i++)
        spur_game_add_team(g, ids[i], names[i], names[i], salt, NULL, 1000 + i);
    spur_game_solve(g, spur_game_team_by_id(g, 3), 0, 5000);
    spur_game_solve(g, spur_game_team_by_id(g, 7), 0, 5000);
    spur_game_solve(g, spur_game_team_by_id(g, 7), 1, 6000);
    spur_game_solve(g, spur_game_team_by_id(g, 12), 1, 7000);
    return g;
}

static void eligibility_follows_each_rule(void **state)
{
    (void)state;
    spur_game_t *g = game();
    int64_t *ids;
    size_t n;

    spur_draw_eligible(g, &g->hunt->prizes[0], &ids, &n); /* all: score > 0 */
    assert_int_equal(n, 3);
    assert_int_equal(ids[0], 3);
    assert_int_equal(ids[1], 7);
    assert_int_equal(ids[2], 12);
    free(ids);
    spur_draw_eligible(g, &g->hunt->prizes[1], &ids, &n); /* finished: both puzzles */
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 7);
    free(ids);
    spur_draw_eligible(g, &g->hunt->prizes[2], &ids, &n); /* min_score 10 */
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], 7);
    assert_int_equal(ids[1], 12);
    free(ids);
    spur_game_free(g);
}

/* A test team plays but is in no draw list; an excluded team is not eligible and is
 * named (by id only) in the record's "excluded". */
static void test_and_excluded_teams_are_never_eligible(void **state)
{
    (void)state;
    spur_game_t *g = game();
    unsigned char salt[16] = {0};
    spur_team_t *tester = spur_game_add_team(g, 20, "Technik", "technik", salt, NULL, 2000);
    int64_t *ids, *ex;
    size_t n, nex;
    char *text;
    cJSON *rec, *excluded;
    spur_draw_diffs_t d = {0};

    spur_game_solve(g, tester, 0, 8000);
    spur_game_solve(g, tester, 1, 8001);
    tester->test = 1;
    spur_game_team_by_id(g, 7)->excluded = 1;
    spur_game_team_by_id(g, 7)->reason = spur_strdup("zwei Handys, ein Team");

    spur_draw_eligible(g, &g->hunt->prizes[0], &ids, &n); /* all: 3, 12 (not 7, not 20) */
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], 3);
    assert_int_equal(ids[1], 12);
    free(ids);
    spur_draw_eligible(g, &g->hunt->prizes[1], &ids, &n); /* finished: only 7 and 20 did */
    assert_int_equal(n, 0);
    assert_null(ids);
    spur_draw_excluded(g, &ex, &nex);
    assert_int_equal(nex, 1);
    assert_int_equal(ex[0], 7);
    free(ex);
    /* a test team that is also excluded stays out of every list */
    tester->excluded = 1;
    spur_draw_excluded(g, &ex, &nex);
    assert_int_equal(nex, 1);
    free(ex);

    text = spur_draw_record(g, 0, 0, NULL);
    rec = cJSON_Parse(text);
    excluded = cJSON_GetObjectItem(rec, "excluded");
    assert_int_equal(cJSON_GetArraySize(excluded), 1);
    assert_int_equal((int64_t)cJSON_GetArrayItem(excluded, 0)->valuedouble, 7);
    assert_null(strstr(text, "zwei Handys")); /* never the reason */
    assert_null(strstr(text, "Zwerge"));      /* nor the excluded team's name */
    assert_null(strstr(text, "Technik"));
    assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(rec, "names"), "7"));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(rec, "winners")), 1);
    assert_int_not_equal(
        (int64_t)cJSON_GetArrayItem(cJSON_GetObjectItem(rec, "winners"), 0)->valuedouble, 7);
    assert_int_equal(spur_draw_verify(rec, NULL, NULL, &d), 0);
    spur_draw_diffs_free(&d);
    cJSON_Delete(rec);
    free(text);
    spur_game_free(g);
}

static int64_t int_at(const cJSON *arr, int i)
{
    return (int64_t)cJSON_GetArrayItem(arr, i)->valuedouble;
}

static void record_of_a_game_is_the_design_example_and_verifies(void **state)
{
    (void)state;
    spur_game_t *g = game();
    char *text = spur_draw_record(g, 0, INT64_C(1782727200000), NULL); /* 2026-06-29T10:00:00Z */
    cJSON *rec = cJSON_Parse(text), *elig, *names;
    spur_draw_diffs_t d = {0};

    assert_non_null(rec);
    assert_string_equal(cJSON_GetObjectItem(rec, "algorithm")->valuestring, "spur-draw-v1");
    assert_string_equal(cJSON_GetObjectItem(rec, "hunt")->valuestring, "kl-rallye");
    assert_string_equal(cJSON_GetObjectItem(rec, "prize")->valuestring, "paket");
    assert_string_equal(cJSON_GetObjectItem(rec, "prize_name")->valuestring,
                        "Kaiserslautern-Paket");
    assert_string_equal(cJSON_GetObjectItem(rec, "rule")->valuestring, "all");
    assert_int_equal(cJSON_GetObjectItem(rec, "count")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(rec, "reserves")->valueint, 2);
    elig = cJSON_GetObjectItem(rec, "eligible");
    assert_int_equal(cJSON_GetArraySize(elig), 3);
    assert_string_equal(cJSON_GetArrayItem(elig, 0)->valuestring, "3\t1");
    assert_string_equal(cJSON_GetArrayItem(elig, 2)->valuestring, "12\t1");
    assert_string_equal(cJSON_GetObjectItem(rec, "eligible_sha256")->valuestring, GOLDEN[0].e_hex);
    assert_string_equal(cJSON_GetObjectItem(rec, "seed")->valuestring, SEED_A_HEX);
    assert_string_equal(cJSON_GetObjectItem(rec, "commitment")->valuestring, g->commitment);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(rec, "winners")), 1);
    assert_int_equal(int_at(cJSON_GetObjectItem(rec, "winners"), 0), 7);
    assert_int_equal(int_at(cJSON_GetObjectItem(rec, "reserve_winners"), 0), 12);
    assert_int_equal(int_at(cJSON_GetObjectItem(rec, "reserve_winners"), 1), 3);
    names = cJSON_GetObjectItem(rec, "names");
    assert_int_equal(cJSON_GetArraySize(names), 3);
    assert_string_equal(cJSON_GetObjectItem(names, "7")->valuestring, "Sieben \"Zwerge\"");
    assert_null(cJSON_GetObjectItem(names, "5")); /* not eligible, not named */
    assert_string_equal(cJSON_GetObjectItem(rec, "drawn_at")->valuestring, "2026-06-29T10:00:00Z");
    assert_null(strstr(text, "\n"));

    assert_int_equal(spur_draw_verify(rec, g->commitment, NULL, &d), 0);
    spur_draw_diffs_free(&d);
    cJSON_Delete(rec);
    free(text);
    spur_game_free(g);
}

static void count_all_makes_every_eligible_team_a_winner(void **state)
{
    (void)state;
    spur_game_t *g = game();
    char *text = spur_draw_record(g, 1, 0, NULL);
    cJSON *rec = cJSON_Parse(text);
    spur_draw_diffs_t d = {0};

    assert_string_equal(cJSON_GetObjectItem(rec, "count")->valuestring, "all");
    assert_string_equal(cJSON_GetObjectItem(rec, "rule")->valuestring, "finished");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(rec, "winners")), 1);
    assert_int_equal(int_at(cJSON_GetObjectItem(rec, "winners"), 0), 7);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(rec, "reserve_winners")), 0);
    assert_int_equal(spur_draw_verify(rec, NULL, NULL, &d), 0);
    spur_draw_diffs_free(&d);
    cJSON_Delete(rec);
    free(text);

    text = spur_draw_record(g, 2, 0, NULL); /* min_score names its threshold */
    rec = cJSON_Parse(text);
    assert_string_equal(cJSON_GetObjectItem(rec, "rule")->valuestring, "min_score");
    assert_int_equal(cJSON_GetObjectItem(rec, "min_score")->valueint, 10);
    assert_int_equal(spur_draw_verify(rec, NULL, NULL, &d), 0);
    spur_draw_diffs_free(&d);
    cJSON_Delete(rec);
    free(text);
    spur_game_free(g);
}

/* ---- tampering ---- */

static cJSON *good_record(void)
{
    spur_game_t *g = game();
    char *text = spur_draw_record(g, 0, INT64_C(1782727200000), NULL);
    cJSON *rec = cJSON_Parse(text);
    free(text);
    spur_game_free(g);
    return rec;
}

/* Verifies rec and expects exactly one message containing want. */
static void expect_only(cJSON *rec, const char *commitment, const char *want)
{
    spur_draw_diffs_t d = {0};
    size_t n = spur_draw_verify(rec, commitment, NULL, &d);
    for (size_t i = 0; i < d.n; i++)
        print_message("  difference: %s\n", d.msgs[i]);
    assert_int_equal(n, 1);
    assert_non_null(strstr(d.msgs[0], want));
    spur_draw_diffs_free(&d);
    cJSON_Delete(rec);
}

/* Verifies rec against the beacon its source gave and expects one message with want. */
static void expect_only_beacon(cJSON *rec, const char *beacon, const char *want)
{
    spur_draw_diffs_t d = {0};
    size_t n = spur_draw_verify(rec, NULL, beacon, &d);
    for (size_t i = 0; i < d.n; i++)
        print_message("  difference: %s\n", d.msgs[i]);
    assert_int_equal(n, 1);
    assert_non_null(strstr(d.msgs[0], want));
    assert_non_null(strstr(d.msgs[0], "Zufallswert weicht ab")); /* German first */
    spur_draw_diffs_free(&d);
    cJSON_Delete(rec);
}

/* Verifies rec and expects a message containing each of want (NULL-terminated). */
static void expect_all(cJSON *rec, const char *const want[])
{
    spur_draw_diffs_t d = {0};
    spur_draw_verify(rec, NULL, NULL, &d);
    for (size_t w = 0; want[w]; w++) {
        int found = 0;
        for (size_t i = 0; i < d.n; i++)
            found |= strstr(d.msgs[i], want[w]) != NULL;
        if (!found)
            print_message("  missing: %s\n", want[w]);
        assert_true(found);
    }
    spur_draw_diffs_free(&d);
    cJSON_Delete(rec);
}

static void a_changed_winner_is_reported(void **state)
{
    (void)state;
    cJSON *rec = good_record();
    cJSON_ReplaceItemInObject(rec, "winners", cJSON_Parse("[12]"));
    expect_only(rec, NULL, "winners differ: record says [12], recomputed [7]");
    rec = good_record();
    cJSON_ReplaceItemInObject(rec, "reserve_winners", cJSON_Parse("[3, 12]"));
    expect_only(rec, NULL, "reserve_winners differ: record says [3, 12], recomputed [12, 3]");
}

static void a_changed_seed_breaks_the_commitment(void **state)
{
    (void)state;
    cJSON *rec = good_record();
    static const char *const want[] = {"commitment differs: record says ", NULL};
    cJSON_ReplaceItemInObject(rec, "seed", cJSON_CreateString(SEED_B_HEX));
    expect_all(rec, want);
    /* the record is consistent with itself, but not with what was published before */
    rec = good_record();
    expect_only(rec,
                "00"
                "11223344556677889900112233445566778899001122334455667788990011",
                "does not match the commitment published before the draw");
}

static void a_changed_eligible_list_is_reported(void **state)
{
    (void)state;
    cJSON *rec = good_record();
    static const char *const dropped[] = {"eligible_sha256 differs: record says ", NULL};
    static const char *const unordered[] = {"not in ascending team id order", NULL};
    static const char *const malformed[] = {"eligible[1] is not a line", NULL};

    cJSON_DeleteItemFromArray(cJSON_GetObjectItem(rec, "eligible"), 1); /* drop team 7 */
    expect_all(rec, dropped);
    rec = good_record();
    cJSON_ReplaceItemInArray(cJSON_GetObjectItem(rec, "eligible"), 0, cJSON_CreateString("13\t1"));
    expect_all(rec, unordered);
    rec = good_record();
    cJSON_ReplaceItemInArray(cJSON_GetObjectItem(rec, "eligible"), 1, cJSON_CreateString("07\t1"));
    expect_all(rec, malformed);
    rec = good_record();
    cJSON_ReplaceItemInArray(cJSON_GetObjectItem(rec, "eligible"), 1, cJSON_CreateString("7\t2"));
    expect_all(rec, malformed);
}

static void a_changed_hash_is_reported(void **state)
{
    (void)state;
    cJSON *rec = good_record();
    cJSON_ReplaceItemInObject(rec, "eligible_sha256", cJSON_CreateString(GOLDEN[1].e_hex));
    expect_only(rec, NULL, "eligible_sha256 differs: record says a4a1977b");
    rec = good_record();
    cJSON_ReplaceItemInObject(rec, "commitment", cJSON_CreateString(GOLDEN[1].e_hex));
    expect_only(rec, NULL, "commitment differs: record says a4a1977b");
}

static void a_changed_prize_or_count_changes_the_draw(void **state)
{
    (void)state;
    cJSON *rec = good_record();
    static const char *const prize[] = {"differ: record says", NULL};
    static const char *const algo[] = {"algorithm is spur-draw-v0", NULL};
    static const char *const name[] = {"names has no name for team 7", NULL};
    cJSON_ReplaceItemInObject(rec, "prize", cJSON_CreateString("sachpreis"));
    expect_all(rec, prize);
    rec = good_record();
    cJSON_ReplaceItemInObject(rec, "count", cJSON_CreateNumber(2));
    expect_all(rec, prize);
    rec = good_record();
    cJSON_ReplaceItemInObject(rec, "algorithm", cJSON_CreateString("spur-draw-v0"));
    expect_all(rec, algo);
    rec = good_record();
    cJSON_DeleteItemFromObject(cJSON_GetObjectItem(rec, "names"), "7");
    expect_all(rec, name);
}

/* The design example drawn with a beacon: spur-draw-v2, the beacon and the hunt's
 * description in the record, the v2 golden result, and it verifies. */
static char *v2_record_text(void)
{
    spur_game_t *g = game();
    char *text;
    g->hunt->draw_beacon = spur_strdup("Lotto 6aus49 am 1. Juli 2026, alle Zahlen");
    text = spur_draw_record(g, 0, INT64_C(1782727200000), BEACON);
    spur_game_free(g);
    return text;
}

static void record_with_a_beacon_is_v2_and_verifies(void **state)
{
    (void)state;
    char *text = v2_record_text();
    cJSON *rec = cJSON_Parse(text);
    spur_draw_diffs_t d = {0};

    assert_non_null(rec);
    assert_string_equal(cJSON_GetObjectItem(rec, "algorithm")->valuestring, "spur-draw-v2");
    assert_string_equal(cJSON_GetObjectItem(rec, "beacon")->valuestring, BEACON);
    assert_string_equal(cJSON_GetObjectItem(rec, "beacon_description")->valuestring,
                        "Lotto 6aus49 am 1. Juli 2026, alle Zahlen");
    assert_string_equal(cJSON_GetObjectItem(rec, "eligible_sha256")->valuestring, GOLDEN[0].e_hex);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(rec, "excluded")), 0);
    assert_int_equal(int_at(cJSON_GetObjectItem(rec, "winners"), 0), 7);
    assert_int_equal(int_at(cJSON_GetObjectItem(rec, "reserve_winners"), 0), 3);
    assert_int_equal(int_at(cJSON_GetObjectItem(rec, "reserve_winners"), 1), 12);
    assert_int_equal(spur_draw_verify(rec, NULL, BEACON, &d), 0);
    spur_draw_diffs_free(&d);
    cJSON_Delete(rec);
    free(text);
}

static void a_wrong_beacon_is_reported(void **state)
{
    (void)state;
    char *text = v2_record_text();
    static const char *const changed[] = {"reserve_winners differ: record says [3, 12], recomputed",
                                          NULL};
    static const char *const malformed[] = {"beacon is missing or not a beacon value", NULL};
    static const char *const v1[] = {"a spur-draw-v1 record has no beacon", NULL};
    cJSON *rec = cJSON_Parse(text);

    /* the record's beacon is not what the public source announced */
    expect_only_beacon(rec, "Lotto 6aus49, Ziehung vom 2026-07-01: 1 2 3 4 5 6, Superzahl 0",
                       "beacon differs: record says \"Lotto");
    /* a beacon changed in the record changes the key and so the draw */
    rec = cJSON_Parse(text);
    cJSON_ReplaceItemInObject(rec, "beacon", cJSON_CreateString("Lotto 6aus49: 1 2 3 4 5 6"));
    expect_all(rec, changed);
    rec = cJSON_Parse(text);
    cJSON_ReplaceItemInObject(rec, "beacon", cJSON_CreateString("zwei\nZeilen"));
    expect_all(rec, malformed);
    rec = cJSON_Parse(text);
    cJSON_ReplaceItemInObject(rec, "algorithm", cJSON_CreateString("spur-draw-v1"));
    expect_all(rec, v1);
    free(text);
}

/* Records made before "excluded" existed verify; a malformed or overlapping one does not. */
static void excluded_is_optional_and_checked(void **state)
{
    (void)state;
    static const char *const order[] = {"excluded is not in ascending team id order", NULL};
    static const char *const both[] = {"team 7 is both excluded and eligible", NULL};
    static const char *const kind[] = {"excluded is not a list of team ids", NULL};
    cJSON *rec = good_record();
    spur_draw_diffs_t d = {0};

    cJSON_DeleteItemFromObject(rec, "excluded");
    assert_int_equal(spur_draw_verify(rec, NULL, NULL, &d), 0);
    spur_draw_diffs_free(&d);
    cJSON_Delete(rec);
    rec = good_record();
    cJSON_ReplaceItemInObject(rec, "excluded", cJSON_Parse("[9, 4]"));
    expect_all(rec, order);
    rec = good_record();
    cJSON_ReplaceItemInObject(rec, "excluded", cJSON_Parse("[5, 7]"));
    expect_all(rec, both);
    rec = good_record();
    cJSON_ReplaceItemInObject(rec, "excluded", cJSON_Parse("[\"5\"]"));
    expect_all(rec, kind);
}

static void published_record_is_parsed_for_lookups(void **state)
{
    (void)state;
    spur_game_t *g = game();
    char *text = spur_draw_record(g, 0, 0, NULL);
    spur_draw_pub_t pub;
    assert_int_equal(spur_draw_pub_parse(&pub, "kl-rallye", "paket", text, 42), 0);
    assert_string_equal(pub.prize_name, "Kaiserslautern-Paket");
    assert_int_equal(pub.nwinners, 1);
    assert_int_equal(pub.winners[0], 7);
    assert_int_equal(pub.nreserves, 2);
    assert_int_equal(pub.reserves[1], 3);
    spur_draw_pub_free(&pub);
    assert_int_equal(spur_draw_pub_parse(&pub, "h", "p", "[1]", 0), -1);
    free(text);
    spur_game_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stream_gives_the_independent_implementations_numbers),
        cmocka_unit_test(draws_equal_the_golden_vectors),
        cmocka_unit_test(pick_rejects_numbers_at_or_above_the_bound),
        cmocka_unit_test(winners_are_uniform_over_many_seeds),
        cmocka_unit_test(eligibility_follows_each_rule),
        cmocka_unit_test(record_of_a_game_is_the_design_example_and_verifies),
        cmocka_unit_test(count_all_makes_every_eligible_team_a_winner),
        cmocka_unit_test(a_changed_winner_is_reported),
        cmocka_unit_test(a_changed_seed_breaks_the_commitment),
        cmocka_unit_test(a_changed_eligible_list_is_reported),
        cmocka_unit_test(a_changed_hash_is_reported),
        cmocka_unit_test(a_changed_prize_or_count_changes_the_draw),
        cmocka_unit_test(published_record_is_parsed_for_lookups),
        cmocka_unit_test(v2_key_and_draw_equal_the_golden_vectors),
        cmocka_unit_test(beacon_values_are_utf8_without_control_characters),
        cmocka_unit_test(test_and_excluded_teams_are_never_eligible),
        cmocka_unit_test(record_with_a_beacon_is_v2_and_verifies),
        cmocka_unit_test(a_wrong_beacon_is_reported),
        cmocka_unit_test(excluded_is_optional_and_checked),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}

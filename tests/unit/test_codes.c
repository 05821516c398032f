/* Unit tests of server/game/codes.c: place tokens and short codes are stable per
 * (secret, hunt, place) and differ otherwise; typed short codes are canonicalised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "game/codes.h"

static const unsigned char secret_a[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
static const unsigned char secret_b[32] = {42};

static int is_base32(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '2' && s[i] <= '7')))
            return 0;
    return 1;
}

static void place_token_is_24_uppercase_base32_chars(void **state)
{
    (void)state;
    char t[SPUR_TOKEN_LEN + 1];
    spur_codes_place_token(secret_a, "demo", "rathaus", t);
    assert_int_equal(strlen(t), 24);
    assert_true(is_base32(t, 24));
}

static void place_token_is_deterministic(void **state)
{
    (void)state;
    char t1[SPUR_TOKEN_LEN + 1], t2[SPUR_TOKEN_LEN + 1];
    spur_codes_place_token(secret_a, "demo", "rathaus", t1);
    spur_codes_place_token(secret_a, "demo", "rathaus", t2);
    assert_string_equal(t1, t2);
}

static void place_token_differs_by_hunt_place_and_secret(void **state)
{
    (void)state;
    char base[SPUR_TOKEN_LEN + 1], t[SPUR_TOKEN_LEN + 1];
    spur_codes_place_token(secret_a, "demo", "rathaus", base);
    spur_codes_place_token(secret_a, "other", "rathaus", t);
    assert_string_not_equal(base, t);
    spur_codes_place_token(secret_a, "demo", "brunnen", t);
    assert_string_not_equal(base, t);
    spur_codes_place_token(secret_b, "demo", "rathaus", t);
    assert_string_not_equal(base, t);
    /* the separator keeps ("ab", "c") apart from ("a", "bc") */
    spur_codes_place_token(secret_a, "ab", "c", base);
    spur_codes_place_token(secret_a, "a", "bc", t);
    assert_string_not_equal(base, t);
}

static void place_short_is_formatted_and_differs_from_token(void **state)
{
    (void)state;
    char s1[SPUR_SHORT_LEN + 1], s2[SPUR_SHORT_LEN + 1], t[SPUR_TOKEN_LEN + 1];
    spur_codes_place_short(secret_a, "demo", "rathaus", s1);
    spur_codes_place_short(secret_a, "demo", "rathaus", s2);
    assert_string_equal(s1, s2);
    assert_int_equal(strlen(s1), 9);
    assert_int_equal(s1[4], '-');
    assert_true(is_base32(s1, 4) && is_base32(s1 + 5, 4));
    spur_codes_place_token(secret_a, "demo", "rathaus", t);
    assert_memory_not_equal(s1, t, 4); /* different label, different bytes */
    spur_codes_place_short(secret_a, "other", "rathaus", s2);
    assert_string_not_equal(s1, s2);
}

static void known_vector_is_stable(void **state)
{
    (void)state;
    /* Pinned (computed independently with Python's hmac and base64.b32encode) so a
     * change of derivation, which would invalidate printed posters, cannot slip in. */
    static const unsigned char zero[32] = {0};
    char t[SPUR_TOKEN_LEN + 1], s[SPUR_SHORT_LEN + 1];
    spur_codes_place_token(zero, "demo", "rathaus", t);
    spur_codes_place_short(zero, "demo", "rathaus", s);
    assert_string_equal(t, "JF7EC4HX6LFMDN7VHW7TWRJP");
    assert_string_equal(s, "RNBK-FVDL");
}

static void short_canon_accepts_case_spaces_and_dash(void **state)
{
    (void)state;
    char out[9];
    assert_int_equal(spur_codes_short_canon("abcd efgh", out), 0);
    assert_string_equal(out, "ABCDEFGH");
    assert_int_equal(spur_codes_short_canon("ABCD-EFGH", out), 0);
    assert_string_equal(out, "ABCDEFGH");
    assert_int_equal(spur_codes_short_canon("abcdefgh", out), 0);
    assert_string_equal(out, "ABCDEFGH");
    assert_int_equal(spur_codes_short_canon(" AbCd-eFgH ", out), 0);
    assert_string_equal(out, "ABCDEFGH");
}

static void short_canon_maps_look_alikes(void **state)
{
    (void)state;
    char out[9];
    assert_int_equal(spur_codes_short_canon("0189-2345", out), -1); /* 9 is not base32 */
    assert_int_equal(spur_codes_short_canon("0187-2345", out), 0);
    assert_string_equal(out, "OIB72345");
}

static void short_canon_rejects_wrong_length_and_alphabet(void **state)
{
    (void)state;
    char out[9];
    assert_int_equal(spur_codes_short_canon("abcdefg", out), -1);
    assert_int_equal(spur_codes_short_canon("ABCD-EFG", out), -1);
    assert_int_equal(spur_codes_short_canon("abcdefghi", out), -1);
    assert_int_equal(spur_codes_short_canon("ABCD-EFGHI", out), -1);
    assert_int_equal(spur_codes_short_canon("", out), -1);
    assert_int_equal(spur_codes_short_canon("ABCD_EFGH", out), -1);
    assert_int_equal(spur_codes_short_canon("ÄBCDEFGH", out), -1);
}

static void place_short_round_trips_through_canon(void **state)
{
    (void)state;
    char s[SPUR_SHORT_LEN + 1], canon[9], again[SPUR_SHORT_LEN + 1];
    spur_codes_place_short(secret_b, "demo", "markt", s);
    assert_int_equal(spur_codes_short_canon(s, canon), 0);
    spur_codes_short_format(canon, again);
    assert_string_equal(s, again);
}

static void join_code_depends_on_salt(void **state)
{
    (void)state;
    unsigned char salt1[16] = {1}, salt2[16] = {2};
    char j1[SPUR_SHORT_LEN + 1], j2[SPUR_SHORT_LEN + 1], canon[9];
    spur_codes_join_code(secret_a, salt1, j1);
    spur_codes_join_code(secret_a, salt1, j2);
    assert_string_equal(j1, j2);
    spur_codes_join_code(secret_a, salt2, j2);
    assert_string_not_equal(j1, j2);
    assert_int_equal(spur_codes_short_canon(j1, canon), 0);
}

static void random_token_is_43_base64url_chars_and_fresh(void **state)
{
    (void)state;
    char a[SPUR_RANDOM_TOKEN_LEN + 1], b[SPUR_RANDOM_TOKEN_LEN + 1];
    spur_codes_random_token(a);
    spur_codes_random_token(b);
    assert_int_equal(strlen(a), 43);
    assert_string_not_equal(a, b);
    for (size_t i = 0; i < 43; i++)
        assert_true(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                           a[i]) != NULL);
}

static void hash_hex_and_commitment_match_sha256(void **state)
{
    (void)state;
    unsigned char h[32];
    char hex[65];
    spur_codes_hash("abc", 3, h);
    spur_codes_hex(h, 32, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    unsigned char seed[32] = {0};
    spur_codes_commitment(seed, hex);
    /* SHA-256 of 32 zero bytes */
    assert_string_equal(hex, "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(place_token_is_24_uppercase_base32_chars),
        cmocka_unit_test(place_token_is_deterministic),
        cmocka_unit_test(place_token_differs_by_hunt_place_and_secret),
        cmocka_unit_test(place_short_is_formatted_and_differs_from_token),
        cmocka_unit_test(known_vector_is_stable),
        cmocka_unit_test(short_canon_accepts_case_spaces_and_dash),
        cmocka_unit_test(short_canon_maps_look_alikes),
        cmocka_unit_test(short_canon_rejects_wrong_length_and_alphabet),
        cmocka_unit_test(place_short_round_trips_through_canon),
        cmocka_unit_test(join_code_depends_on_salt),
        cmocka_unit_test(random_token_is_43_base64url_chars_and_fresh),
        cmocka_unit_test(hash_hex_and_commitment_match_sha256),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Place tokens, short codes, join codes, prize claim codes, bearer tokens and the
 * draw commitment (see codes.h). Everything derived is an HMAC-SHA256 under a per-hunt secret with
 * a distinct label per use, so one kind of code never reveals or equals another.
 * Base32 is RFC 4648 (A-Z2-7), uppercase, no padding. No I/O, no state. */
#include "codes.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* prize id (at most 64 bytes), newline, team id in decimal, NUL */
#define CLAIM_TAIL_MAX 96

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* Encodes n bytes (n a multiple of 5) into 8n/5 base32 chars; no NUL written. */
static void base32(const unsigned char *in, size_t n, char *out)
{
    assert(n % 5 == 0);
    for (size_t i = 0; i < n; i += 5) {
        uint64_t v = 0;
        for (size_t j = 0; j < 5; j++)
            v = (v << 8) | in[i + j];
        for (int k = 7; k >= 0; k--)
            *out++ = b32_alphabet[(v >> (5 * k)) & 31];
    }
}

/* HMAC-SHA256(secret, label part1 "\n" part2); part2 may be NULL (then label part1). */
static void mac(const unsigned char secret[32], const char *label, const unsigned char *p1,
                size_t p1_len, const char *p2, unsigned char out[32])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, secret, 32);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)label, strlen(label));
    crypto_auth_hmacsha256_update(&st, p1, p1_len);
    if (p2) {
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)"\n", 1);
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)p2, strlen(p2));
    }
    crypto_auth_hmacsha256_final(&st, out);
    sodium_memzero(&st, sizeof st);
}

void spur_codes_place_token(const unsigned char secret[32], const char *hunt_id,
                            const char *place_id, char out[SPUR_TOKEN_LEN + 1])
{
    unsigned char h[32];
    static_assert(SPUR_TOKEN_LEN == 15 * 8 / 5, "token is 15 bytes of base32");
    mac(secret, "spur-place-token\n", (const unsigned char *)hunt_id, strlen(hunt_id), place_id, h);
    base32(h, 15, out);
    out[SPUR_TOKEN_LEN] = '\0';
}

void spur_codes_short_format(const char canon[8], char out[SPUR_SHORT_LEN + 1])
{
    memcpy(out, canon, 4);
    out[4] = '-';
    memcpy(out + 5, canon + 4, 4);
    out[9] = '\0';
}

void spur_codes_place_short(const unsigned char secret[32], const char *hunt_id,
                            const char *place_id, char out[SPUR_SHORT_LEN + 1])
{
    unsigned char h[32];
    char c[8];
    mac(secret, "spur-place-short\n", (const unsigned char *)hunt_id, strlen(hunt_id), place_id, h);
    base32(h, 5, c);
    spur_codes_short_format(c, out);
}

int spur_codes_short_canon(const char *in, char out[9])
{
    size_t n = 0;
    for (const char *s = in; *s; s++) {
        char c = *s;
        if (c == '-' || c == ' ' || c == '\t')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (c == '0')
            c = 'O';
        else if (c == '1')
            c = 'I';
        else if (c == '8')
            c = 'B';
        if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')))
            return -1;
        if (n == 8)
            return -1; /* too long; also bounds the work on long input */
        out[n++] = c;
    }
    if (n != 8)
        return -1;
    out[8] = '\0';
    return 0;
}

void spur_codes_random_token(char out[SPUR_RANDOM_TOKEN_LEN + 1])
{
    unsigned char b[32];
    static_assert(sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ==
                      SPUR_RANDOM_TOKEN_LEN + 1,
                  "43 base64url chars");
    if (sodium_init() < 0)
        abort(); /* no secure random source: nothing sensible to hand out */
    randombytes_buf(b, sizeof b);
    sodium_bin2base64(out, SPUR_RANDOM_TOKEN_LEN + 1, b, sizeof b,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(b, sizeof b);
}

void spur_codes_hash(const char *s, size_t len, unsigned char out[32])
{
    crypto_hash_sha256(out, (const unsigned char *)s, len);
}

void spur_codes_join_code(const unsigned char secret[32], const unsigned char salt[16],
                          char out[SPUR_SHORT_LEN + 1])
{
    unsigned char h[32];
    char c[8];
    mac(secret, "spur-join\n", salt, 16, NULL, h);
    base32(h, 5, c);
    spur_codes_short_format(c, out);
}

void spur_codes_claim_code(const unsigned char secret[32], const char *hunt_id,
                           const char *prize_id, long long team_id, char out[SPUR_SHORT_LEN + 1])
{
    unsigned char h[32];
    char tail[CLAIM_TAIL_MAX], c[8];
    snprintf(tail, sizeof tail, "%s\n%lld", prize_id, team_id);
    mac(secret, "spur-claim\n", (const unsigned char *)hunt_id, strlen(hunt_id), tail, h);
    base32(h, 5, c);
    spur_codes_short_format(c, out);
}

void spur_codes_hex(const unsigned char *b, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, b, n);
}

void spur_codes_commitment(const unsigned char seed[32], char out[65])
{
    unsigned char h[32];
    crypto_hash_sha256(h, seed, 32);
    spur_codes_hex(h, 32, out);
}

/* Codes a hunt hands out: the QR token and printed short code of each place,
 * team join codes, prize claim codes and bearer tokens, and the draw commitment.
 * Place codes are HMAC-SHA256 under the hunt's 32-byte secret, so they are stable across
 * re-imports (same secret) and cannot be guessed or carried to another hunt.
 * Pure C on libsodium, no I/O; every function may be called from any thread
 * (spur_codes_random_token calls sodium_init itself). */
#ifndef SPUR_CODES_H
#define SPUR_CODES_H

#include <stddef.h>

#define SPUR_TOKEN_LEN 24        /* base32 chars of a place token (15 HMAC bytes) */
#define SPUR_SHORT_LEN 9         /* "ABCD-EFGH": 8 base32 chars and a dash */
#define SPUR_RANDOM_TOKEN_LEN 43 /* base64url chars of 32 random bytes, no padding */

/* The QR token of place_id in hunt_id: base32 (RFC 4648, A-Z2-7, no padding) of the
 * first 15 bytes of HMAC-SHA256(secret, "spur-place-token\n" hunt_id "\n" place_id).
 * Writes SPUR_TOKEN_LEN uppercase chars and a NUL into out. */
void spur_codes_place_token(const unsigned char secret[32], const char *hunt_id,
                            const char *place_id, char out[SPUR_TOKEN_LEN + 1]);

/* The printed short code of a place, "ABCD-EFGH": the first 5 bytes of
 * HMAC-SHA256(secret, "spur-place-short\n" hunt_id "\n" place_id) in base32.
 * Writes SPUR_SHORT_LEN chars and a NUL. */
void spur_codes_place_short(const unsigned char secret[32], const char *hunt_id,
                            const char *place_id, char out[SPUR_SHORT_LEN + 1]);

/* Canonicalises a typed short code (place or join code): any case, spaces and
 * dashes ignored, and the look-alikes 0->O, 1->I, 8->B mapped. Writes the 8 base32
 * chars (no dash) and a NUL into out. Returns 0, or -1 (out unspecified) when what
 * remains is not exactly 8 base32 characters. */
int spur_codes_short_canon(const char *in, char out[9]);

/* Formats 8 canonical chars (as spur_codes_short_canon writes) as "ABCD-EFGH". */
void spur_codes_short_format(const char canon[8], char out[SPUR_SHORT_LEN + 1]);

/* A fresh bearer token: 32 bytes from libsodium's CSPRNG as base64url without
 * padding (SPUR_RANDOM_TOKEN_LEN chars and a NUL). Aborts when libsodium cannot
 * be initialised. */
void spur_codes_random_token(char out[SPUR_RANDOM_TOKEN_LEN + 1]);

/* SHA-256 of len bytes at s (the server stores hashes of tokens and join codes). */
void spur_codes_hash(const char *s, size_t len, unsigned char out[32]);

/* A team's join code "ABCD-EFGH": 8 base32 chars of HMAC-SHA256(secret,
 * "spur-join\n" salt) where salt is the team's 16 random bytes. Store the salt and
 * spur_codes_hash of the canonical code (without dash) to show it again and check it. */
void spur_codes_join_code(const unsigned char secret[32], const unsigned char salt[16],
                          char out[SPUR_SHORT_LEN + 1]);

/* A prize claim code "ABCD-EFGH" for team_id's win of prize_id in hunt_id: 8 base32
 * chars of HMAC-SHA256(secret, "spur-claim\n" hunt_id "\n" prize_id "\n" team id in
 * decimal). Shown to the team in /me and checked by staff; writes SPUR_SHORT_LEN chars
 * and a NUL. */
void spur_codes_claim_code(const unsigned char secret[32], const char *hunt_id,
                           const char *prize_id, long long team_id, char out[SPUR_SHORT_LEN + 1]);

/* Lowercase hex of n bytes; out must hold 2n+1 bytes. */
void spur_codes_hex(const unsigned char *b, size_t n, char *out);

/* The public draw commitment: lowercase hex SHA-256 of the 32-byte draw seed. */
void spur_codes_commitment(const unsigned char seed[32], char out[65]);

#endif

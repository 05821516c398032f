/* Answer checking: normalisation with utf8proc, and judging a raw answer
 * against a text, number or choice puzzle. Pure C, no I/O, any thread.
 *
 * Normalisation (spur_answer_normalize), in this order:
 *   1. NFKC and Unicode case folding: "ﬁ" -> "fi", full-width digits -> ASCII,
 *      "ß" and "ẞ" -> "ss", capitals -> small letters;
 *   2. canonical decomposition, then German umlauts are transliterated before any
 *      other diacritic goes: a/o/u followed (among its combining marks) by U+0308
 *      become "ae"/"oe"/"ue", so "Müller" typed precomposed or with a combining
 *      diaeresis both give "mueller";
 *   3. everything that is not a letter (L*) or a number (N*) is dropped: combining
 *      marks (M*, so "é" -> "e"), whitespace (Z*), punctuation (P*), symbols (S*)
 *      and controls (C*). Symbols go too, so "Rock'n'Roll" = "rock n roll" and
 *      "C++" = "c"; organizers should not rely on symbols to tell answers apart;
 *   4. NFC of what is left (it only matters for scripts such as Hangul).
 * Letters without a decomposition (ø, æ, ł) are kept as they are.
 *
 * Keeps true: the normalised form is a fixed point (normalising it again gives the
 * same string), and it contains only letters and digits. */
#include "answer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/mem.h"

static int keep(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

static int is_mark(utf8proc_int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

static void put_cp(spur_buf_t *b, utf8proc_int32_t cp)
{
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, tmp);
    spur_buf_append(b, tmp, (size_t)n);
}

char *spur_answer_normalize(const char *s, size_t len)
{
    utf8proc_uint8_t *folded = NULL, *nfd = NULL, *nfc = NULL;
    utf8proc_ssize_t nf, nd;
    spur_buf_t out = {0};
    char *res = NULL;

    if (!s)
        return NULL;
    if (len == 0)
        return spur_strdup("");
    nf = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &folded,
                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
    if (nf < 0)
        goto out; /* invalid UTF-8 (or out of memory inside utf8proc) */
    nd = utf8proc_map(folded, nf, &nfd, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE);
    if (nd < 0)
        goto out;

    utf8proc_ssize_t i = 0;
    while (i < nd) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(nfd + i, nd - i, &cp);
        if (n <= 0)
            goto out;
        i += n;
        if (!keep(cp))
            continue;
        put_cp(&out, cp);
        /* the combining marks that follow this base character */
        int umlaut = 0;
        while (i < nd) {
            utf8proc_int32_t m;
            utf8proc_ssize_t k = utf8proc_iterate(nfd + i, nd - i, &m);
            if (k <= 0 || !is_mark(m))
                break;
            if (m == 0x0308)
                umlaut = 1;
            i += k;
        }
        if (umlaut && (cp == 'a' || cp == 'o' || cp == 'u'))
            put_cp(&out, 'e');
    }
    if (!out.len) {
        res = spur_strdup("");
        goto out;
    }
    nfc = utf8proc_NFC((const utf8proc_uint8_t *)out.data);
    if (!nfc)
        goto out;
    res = spur_strdup((const char *)nfc);
out:
    free(folded);
    free(nfd);
    free(nfc);
    spur_buf_free(&out);
    return res;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Words players put before an estimate ("ca. 12", "about 12"), compared without case. */
static const char *const approx_words[] = {"ca",     "circa", "etwa",        "about",
                                           "approx", "~",     "\xe2\x89\x88" /* U+2248 */};

/* Length of a leading "ca." or the like (with its dot and the spaces after it), or 0. */
static size_t approx_len(const char *s, size_t len)
{
    for (size_t k = 0; k < sizeof(approx_words) / sizeof(approx_words[0]); k++) {
        size_t n = strlen(approx_words[k]), i;
        int letters = approx_words[k][0] >= 'a' && approx_words[k][0] <= 'z';
        if (len <= n)
            continue;
        for (i = 0; i < n; i++) {
            char c = s[i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c + 32);
            if (c != approx_words[k][i])
                break;
        }
        if (i < n)
            continue;
        if (s[i] == '.')
            i++;
        else if (letters && !is_space(s[i]) && !(s[i] >= '0' && s[i] <= '9'))
            continue; /* "camera": a word that only starts like one */
        while (i < len && is_space(s[i]))
            i++;
        return i;
    }
    return 0;
}

/* Whether s[0, len) is a unit after a number: spaces, then a word of letters, "%",
 * or "°" with letters or not ("°C"), words joined by "/" ("km/h"), and one final "."
 * ("12 m."). No digits ("12e3", "12 5" stay no number) and no second word. */
static int is_unit(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t off = 0, n;
    utf8proc_int32_t c;
    int prev = 0; /* 0 = nothing yet, 1 = a letter or sign, 2 = "/" */
    int dot = 0;

    while ((size_t)off < len && is_space(s[off]))
        off++;
    while ((size_t)off < len) {
        n = utf8proc_iterate(p + off, (utf8proc_ssize_t)len - off, &c);
        if (n <= 0 || dot)
            return 0;
        off += n;
        if (c == '/' && prev == 1) {
            prev = 2;
        } else if (c == '.' && prev == 1) {
            dot = 1;
        } else if (c == '%' || c == 0x00B0 || c == 0x2030 /* ‰ */ ||
                   (utf8proc_category(c) >= UTF8PROC_CATEGORY_LU &&
                    utf8proc_category(c) <= UTF8PROC_CATEGORY_LO)) {
            prev = 1;
        } else {
            return 0;
        }
    }
    return prev == 1;
}

/* Parses a number as players type it: optional whitespace, an optional "ca."-like
 * word, an optional sign ("+", "-" or U+2212), digits with at most one decimal
 * separator ("." or ","), digits optional after it ("42." is 42), then optionally a
 * unit ("12,6 m", "12.6m", "20 °C"; see is_unit); no exponent, no thousands
 * separators ("1.000" is one). Input has already been through NFKC, so full-width
 * digits are ASCII. */
static int parse_number(const char *s, size_t len, double *out)
{
    size_t i = 0, end = len, digits = 0;
    int neg = 0, sep = 0;
    double v = 0, scale = 1;

    while (i < end && is_space(s[i]))
        i++;
    while (end > i && is_space(s[end - 1]))
        end--;
    i += approx_len(s + i, end - i);
    if (i < end && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        i++;
    } else if (end - i >= 3 && memcmp(s + i, "\xe2\x88\x92", 3) == 0) {
        neg = 1;
        i += 3;
    }
    for (; i < end; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (++digits > 40)
                return -1;
            if (sep) {
                scale /= 10;
                v += (c - '0') * scale;
            } else {
                v = v * 10 + (c - '0');
            }
        } else if ((c == '.' || c == ',') && !sep) {
            sep = 1;
        } else {
            break;
        }
    }
    if (!digits || (i < end && !is_unit(s + i, end - i)))
        return -1;
    *out = neg ? -v : v;
    return 0;
}

static spur_verdict_t judge_number(const spur_puzzle_t *p, const char *answer, size_t len,
                                   char **norm_out)
{
    utf8proc_uint8_t *nfkc = NULL;
    utf8proc_ssize_t n;
    spur_verdict_t v = SPUR_VERDICT_WRONG;
    double x;

    n = utf8proc_map((const utf8proc_uint8_t *)answer, (utf8proc_ssize_t)len, &nfkc,
                     UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
    if (n >= 0 && parse_number((const char *)nfkc, (size_t)n, &x) == 0) {
        double eps = 1e-9 * fmax(1.0, fabs(p->number));
        if (fabs(x - p->number) <= p->tolerance + eps)
            v = SPUR_VERDICT_CORRECT;
        if (norm_out)
            *norm_out = spur_asprintf("%.15g", x);
    } else if (norm_out) {
        *norm_out = spur_answer_normalize(answer, len);
    }
    free(nfkc);
    return v;
}

spur_verdict_t spur_answer_judge(const spur_puzzle_t *p, const char *answer, size_t len,
                                 const char **message, char **norm_out)
{
    spur_verdict_t v = SPUR_VERDICT_WRONG;
    char *norm = NULL;

    if (message)
        *message = NULL;
    if (norm_out)
        *norm_out = NULL;
    if (!p || !answer || len > SPUR_ANSWER_MAX)
        goto out;
    if (p->kind == SPUR_KIND_NUMBER) {
        v = judge_number(p, answer, len, norm_out);
        goto out;
    }
    norm = spur_answer_normalize(answer, len);
    if (!norm || !*norm)
        goto out;
    if (p->kind == SPUR_KIND_TEXT) {
        for (size_t i = 0; i < p->naccept; i++)
            if (strcmp(norm, p->accept[i]) == 0) {
                v = SPUR_VERDICT_CORRECT;
                goto out;
            }
        for (size_t i = 0; i < p->npartial; i++)
            if (strcmp(norm, p->partial[i].norm) == 0) {
                v = SPUR_VERDICT_PARTIAL;
                if (message)
                    *message = p->partial[i].message;
                goto out;
            }
    } else if (p->kind == SPUR_KIND_CHOICE && p->correct >= 0 && (size_t)p->correct < p->nchoices) {
        const char *c = p->choices[p->correct];
        char *want = spur_answer_normalize(c, strlen(c));
        if (want && strcmp(norm, want) == 0)
            v = SPUR_VERDICT_CORRECT;
        free(want);
    }
out:
    if (norm_out && !*norm_out)
        *norm_out = norm ? norm : spur_strdup("");
    else
        free(norm);
    return v;
}

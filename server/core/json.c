/* Strict JSON: a small validating scanner over the raw bytes decides whether a
 * text is acceptable (RFC 8259 grammar, UTF-8 per RFC 3629, no NUL or lone
 * surrogates, depth <= SPUR_JSON_MAX_DEPTH) and where it is not; cJSON then
 * builds the tree, and a walk over it refuses duplicate keys. The same scanner
 * serves spur_json_locate, which maps a JSON path to a byte offset.
 *
 * Keeps true: spur_json_parse returns a tree only for text the scanner accepted
 * in full; every error carries a byte offset inside [0, len]. Work and stack are
 * bounded by len and SPUR_JSON_MAX_DEPTH. No globals; any thread. */
#include "json.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "mem.h"

/* cJSON copies a number into a 64-byte buffer before strtod; longer ones fail. */
#define NUMBER_MAX 63

typedef struct {
    const unsigned char *p;
    size_t len, pos;
    const char *reason; /* first error, static string */
    size_t err_pos;
    /* byte offsets of object keys in document order, when collecting */
    size_t *keys;
    size_t nkeys, capkeys;
    int collect_keys;
} scanner_t;

static int fail(scanner_t *s, size_t at, const char *reason)
{
    if (!s->reason) {
        s->reason = reason;
        s->err_pos = at;
    }
    return -1;
}

static void skip_ws(scanner_t *s)
{
    while (s->pos < s->len) {
        unsigned char c = s->p[s->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        s->pos++;
    }
}

/* Reads the 4 hex digits of \uXXXX starting at s->pos; -1 when malformed. */
static long read_hex4(scanner_t *s)
{
    long v = 0;
    if (s->len - s->pos < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        int h = spur_hexval((unsigned char)s->p[s->pos + (size_t)i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    s->pos += 4;
    return v;
}

/* Validates one UTF-8 sequence at s->pos (lead byte >= 0x80) and steps over it. */
static int scan_utf8(scanner_t *s)
{
    const unsigned char *p = s->p + s->pos;
    size_t left = s->len - s->pos;
    unsigned char c = p[0];
    size_t n;
    uint32_t cp, min;

    if (c >= 0xc2 && c <= 0xdf)
        n = 2, cp = c & 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, cp = c & 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, cp = c & 0x07, min = 0x10000;
    else
        return fail(s, s->pos, "invalid UTF-8");
    if (left < n)
        return fail(s, s->pos, "invalid UTF-8 (truncated sequence)");
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return fail(s, s->pos, "invalid UTF-8");
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min)
        return fail(s, s->pos, "invalid UTF-8 (overlong encoding)");
    if (cp >= 0xd800 && cp <= 0xdfff)
        return fail(s, s->pos, "invalid UTF-8 (encoded surrogate)");
    if (cp > 0x10ffff)
        return fail(s, s->pos, "invalid UTF-8 (beyond U+10FFFF)");
    s->pos += n;
    return 0;
}

/* s->pos at the opening quote. Validates and steps past the closing quote. When
 * out is not NULL, the decoded bytes are appended to it. */
static int scan_string(scanner_t *s, spur_buf_t *out)
{
    size_t start = s->pos;

    s->pos++;
    for (;;) {
        if (s->pos >= s->len)
            return fail(s, start, "unterminated string");
        unsigned char c = s->p[s->pos];
        if (c == '"') {
            s->pos++;
            return 0;
        }
        if (c < 0x20)
            return fail(s, s->pos,
                        c ? "raw control character in string (escape it)" : "NUL byte in string");
        if (c >= 0x80) {
            size_t at = s->pos;
            if (scan_utf8(s) < 0)
                return -1;
            if (out)
                spur_buf_append(out, s->p + at, s->pos - at);
            continue;
        }
        if (c != '\\') {
            if (out)
                spur_buf_append(out, &c, 1);
            s->pos++;
            continue;
        }
        size_t esc = s->pos;
        if (++s->pos >= s->len)
            return fail(s, esc, "unterminated string");
        c = s->p[s->pos++];
        const char *simple = NULL;
        switch (c) {
        case '"':
            simple = "\"";
            break;
        case '\\':
            simple = "\\";
            break;
        case '/':
            simple = "/";
            break;
        case 'b':
            simple = "\b";
            break;
        case 'f':
            simple = "\f";
            break;
        case 'n':
            simple = "\n";
            break;
        case 'r':
            simple = "\r";
            break;
        case 't':
            simple = "\t";
            break;
        case 'u':
            break;
        default:
            return fail(s, esc, "invalid escape in string");
        }
        if (simple) {
            if (out)
                spur_buf_append(out, simple, 1);
            continue;
        }
        long u = read_hex4(s);
        if (u < 0)
            return fail(s, esc, "invalid \\u escape");
        if (u == 0)
            return fail(s, esc, "\\u0000 is not allowed");
        if (u >= 0xdc00 && u <= 0xdfff)
            return fail(s, esc, "lone low surrogate escape");
        if (u >= 0xd800 && u <= 0xdbff) {
            long lo;
            if (s->len - s->pos < 6 || s->p[s->pos] != '\\' || s->p[s->pos + 1] != 'u')
                return fail(s, esc, "lone high surrogate escape");
            s->pos += 2;
            lo = read_hex4(s);
            if (lo < 0xdc00 || lo > 0xdfff)
                return fail(s, esc, "lone high surrogate escape");
            u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
        }
        if (out) {
            unsigned char b[4];
            size_t n;
            if (u < 0x80)
                b[0] = (unsigned char)u, n = 1;
            else if (u < 0x800)
                b[0] = (unsigned char)(0xc0 | (u >> 6)), b[1] = (unsigned char)(0x80 | (u & 0x3f)),
                n = 2;
            else if (u < 0x10000)
                b[0] = (unsigned char)(0xe0 | (u >> 12)),
                b[1] = (unsigned char)(0x80 | ((u >> 6) & 0x3f)),
                b[2] = (unsigned char)(0x80 | (u & 0x3f)), n = 3;
            else
                b[0] = (unsigned char)(0xf0 | (u >> 18)),
                b[1] = (unsigned char)(0x80 | ((u >> 12) & 0x3f)),
                b[2] = (unsigned char)(0x80 | ((u >> 6) & 0x3f)),
                b[3] = (unsigned char)(0x80 | (u & 0x3f)), n = 4;
            spur_buf_append(out, b, n);
        }
    }
}

static int is_digit(scanner_t *s)
{
    return s->pos < s->len && s->p[s->pos] >= '0' && s->p[s->pos] <= '9';
}

static int scan_number(scanner_t *s)
{
    size_t start = s->pos;

    if (s->p[s->pos] == '-')
        s->pos++;
    if (!is_digit(s))
        return fail(s, start, "invalid number");
    if (s->p[s->pos] == '0') {
        s->pos++;
        if (is_digit(s))
            return fail(s, start, "number with a leading zero");
    } else {
        while (is_digit(s))
            s->pos++;
    }
    if (s->pos < s->len && s->p[s->pos] == '.') {
        s->pos++;
        if (!is_digit(s))
            return fail(s, start, "invalid number");
        while (is_digit(s))
            s->pos++;
    }
    if (s->pos < s->len && (s->p[s->pos] == 'e' || s->p[s->pos] == 'E')) {
        s->pos++;
        if (s->pos < s->len && (s->p[s->pos] == '+' || s->p[s->pos] == '-'))
            s->pos++;
        if (!is_digit(s))
            return fail(s, start, "invalid number");
        while (is_digit(s))
            s->pos++;
    }
    if (s->pos - start > NUMBER_MAX)
        return fail(s, start, "number too long");
    return 0;
}

static int scan_literal(scanner_t *s, const char *word)
{
    size_t n = strlen(word);
    if (s->len - s->pos < n || memcmp(s->p + s->pos, word, n) != 0)
        return fail(s, s->pos, "unexpected character");
    s->pos += n;
    return 0;
}

static void push_key(scanner_t *s, size_t at)
{
    if (!s->collect_keys)
        return;
    if (s->nkeys == s->capkeys) {
        s->capkeys = s->capkeys ? s->capkeys * 2 : 32;
        s->keys = spur_realloc(s->keys, s->capkeys * sizeof(*s->keys));
    }
    s->keys[s->nkeys++] = at;
}

/* s->pos at the first byte of a value (whitespace already skipped); depth is the
 * number of containers around it. */
static int scan_value(scanner_t *s, int depth)
{
    if (s->pos >= s->len)
        return fail(s, s->pos, "unexpected end of input");
    unsigned char c = s->p[s->pos];
    switch (c) {
    case '"':
        return scan_string(s, NULL);
    case 't':
        return scan_literal(s, "true");
    case 'f':
        return scan_literal(s, "false");
    case 'n':
        return scan_literal(s, "null");
    case '[':
    case '{':
        break;
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return scan_number(s);
        if (c >= 0x80 || c < 0x20)
            return fail(s, s->pos, "unexpected byte");
        return fail(s, s->pos, "unexpected character");
    }
    if (depth + 1 > SPUR_JSON_MAX_DEPTH)
        return fail(s, s->pos, "nesting deeper than 32 levels");
    unsigned char close = c == '[' ? ']' : '}';
    s->pos++;
    skip_ws(s);
    if (s->pos < s->len && s->p[s->pos] == close) {
        s->pos++;
        return 0;
    }
    for (;;) {
        if (close == '}') {
            if (s->pos >= s->len || s->p[s->pos] != '"')
                return fail(s, s->pos,
                            s->pos >= s->len ? "unexpected end of input" : "expected a string key");
            push_key(s, s->pos);
            if (scan_string(s, NULL) < 0)
                return -1;
            skip_ws(s);
            if (s->pos >= s->len || s->p[s->pos] != ':')
                return fail(s, s->pos, "expected ':'");
            s->pos++;
            skip_ws(s);
        }
        if (scan_value(s, depth + 1) < 0)
            return -1;
        skip_ws(s);
        if (s->pos >= s->len)
            return fail(s, s->pos, "unexpected end of input");
        if (s->p[s->pos] == close) {
            s->pos++;
            return 0;
        }
        if (s->p[s->pos] != ',')
            return fail(s, s->pos, close == ']' ? "expected ',' or ']'" : "expected ',' or '}'");
        s->pos++;
        skip_ws(s);
    }
}

/* ---- duplicate keys: walk the tree in document order alongside s->keys ---- */

typedef struct {
    const char *name;
    size_t order; /* index into the document's key list */
} member_t;

static int cmp_member(const void *a, const void *b)
{
    const member_t *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Finds the earliest (in document order) key that repeats an earlier key of the
 * same object; *next is the running key counter. Returns its key index or SIZE_MAX. */
static size_t find_duplicate(const cJSON *node, size_t *next)
{
    size_t best = SIZE_MAX;

    if (cJSON_IsObject(node)) {
        size_t n = 0, i = 0;
        const cJSON *c;
        for (c = node->child; c; c = c->next)
            n++;
        member_t *m = n ? spur_malloc(n * sizeof(*m)) : NULL;
        for (c = node->child; c; c = c->next) {
            m[i].name = c->string ? c->string : "";
            m[i].order = (*next)++;
            i++;
            size_t d = find_duplicate(c, next);
            if (d < best)
                best = d;
        }
        if (n > 1) {
            qsort(m, n, sizeof(*m), cmp_member);
            for (i = 1; i < n; i++)
                if (strcmp(m[i - 1].name, m[i].name) == 0 && m[i].order < best)
                    best = m[i].order;
        }
        free(m);
    } else if (cJSON_IsArray(node)) {
        for (const cJSON *c = node->child; c; c = c->next) {
            size_t d = find_duplicate(c, next);
            if (d < best)
                best = d;
        }
    }
    return best;
}

static void set_err(char *err, size_t err_size, size_t *err_offset, size_t off, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));

static void set_err(char *err, size_t err_size, size_t *err_offset, size_t off, const char *fmt,
                    ...)
{
    va_list ap;
    if (err && err_size) {
        va_start(ap, fmt);
        vsnprintf(err, err_size, fmt, ap);
        va_end(ap);
    }
    if (err_offset)
        *err_offset = off;
}

cJSON *spur_json_parse(const char *text, size_t len, char *err, size_t err_size, size_t *err_offset)
{
    scanner_t s = {.p = (const unsigned char *)text, .len = len, .collect_keys = 1};
    cJSON *root = NULL;
    const char *end = NULL;

    if (!text)
        len = 0, s.p = (const unsigned char *)"";
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        set_err(err, err_size, err_offset, 0, "byte order mark is not allowed");
        goto out;
    }
    skip_ws(&s);
    if (s.pos >= s.len) {
        set_err(err, err_size, err_offset, s.pos, "empty input (no JSON value)");
        goto out;
    }
    if (scan_value(&s, 0) == 0) {
        skip_ws(&s);
        if (s.pos < s.len)
            fail(&s, s.pos, "trailing bytes after the JSON value");
    }
    if (s.reason) {
        set_err(err, err_size, err_offset, s.err_pos, "%s", s.reason);
        goto out;
    }
    root = cJSON_ParseWithLengthOpts((const char *)s.p, len, &end, 0);
    if (!root) {
        /* The scanner accepted it, so this is cJSON running out of memory or a
         * limit of its own; report it rather than guess. */
        size_t at = end && end >= (const char *)s.p ? (size_t)(end - (const char *)s.p) : 0;
        set_err(err, err_size, err_offset, at > len ? len : at, "JSON could not be parsed");
        goto out;
    }
    size_t next = 0;
    size_t dup = find_duplicate(root, &next);
    if (dup != SIZE_MAX) {
        size_t at = dup < s.nkeys ? s.keys[dup] : 0;
        set_err(err, err_size, err_offset, at, "duplicate key in object");
        cJSON_Delete(root);
        root = NULL;
    }
out:
    free(s.keys);
    return root;
}

void spur_json_line_col(const char *text, size_t len, size_t offset, int *line, int *col)
{
    int l = 1, c = 1;

    if (offset > len)
        offset = len;
    for (size_t i = 0; i < offset; i++) {
        unsigned char b = (unsigned char)text[i];
        if (b == '\n') {
            l++;
            c = 1;
        } else if ((b & 0xc0) != 0x80) {
            c++;
        }
    }
    if (line)
        *line = l;
    if (col)
        *col = c;
}

/* ---- locate ---- */

/* Reads the next path segment at *pp: ".key", "key" (at the start), "[N]" or
 * ["quoted key"] (JSON string syntax). Returns 1 with a key in key / an index in
 * *index (key->len == 0 and *is_index), 0 at the end, -1 when malformed. */
static int next_segment(const char **pp, spur_buf_t *key, long *index, int *is_index)
{
    const char *p = *pp;

    key->len = 0;
    if (key->data)
        key->data[0] = '\0';
    *is_index = 0;
    if (!*p)
        return 0;
    if (*p == '.')
        p++;
    if (*p == '[') {
        p++;
        if (*p == '"') {
            scanner_t s = {.p = (const unsigned char *)p, .len = strlen(p)};
            if (scan_string(&s, key) < 0)
                return -1;
            p += s.pos;
        } else {
            long v = 0;
            if (*p < '0' || *p > '9')
                return -1;
            while (*p >= '0' && *p <= '9') {
                if (v > 100000000)
                    return -1;
                v = v * 10 + (*p++ - '0');
            }
            *index = v;
            *is_index = 1;
        }
        if (*p != ']')
            return -1;
        *pp = p + 1;
        return 1;
    }
    const char *start = p;
    while (*p && *p != '.' && *p != '[')
        p++;
    if (p == start)
        return -1;
    spur_buf_append(key, start, (size_t)(p - start));
    *pp = p;
    return 1;
}

int spur_json_locate(const char *text, size_t len, const char *path, int *line, int *col)
{
    scanner_t s = {.p = (const unsigned char *)text, .len = len};
    spur_buf_t want = {0}, got = {0};
    size_t found;
    int depth = 0, rc = -1;

    if (!text || !path)
        return -1;
    skip_ws(&s);
    if (s.pos >= s.len)
        goto out;
    found = s.pos; /* the root exists (or at least starts here) */
    rc = 0;
    for (;;) {
        long index = 0;
        int is_index, r = next_segment(&path, &want, &index, &is_index);
        if (r <= 0)
            break; /* end of path, or a malformed rest: stop at what was found */
        unsigned char open = s.p[s.pos];
        if (depth >= SPUR_JSON_MAX_DEPTH || (is_index ? open != '[' : open != '{'))
            break;
        depth++;
        s.pos++;
        skip_ws(&s);
        int hit = 0;
        if (s.pos < s.len && s.p[s.pos] == (is_index ? ']' : '}'))
            break;
        for (long i = 0;; i++) {
            if (!is_index) {
                if (s.pos >= s.len || s.p[s.pos] != '"')
                    goto done;
                got.len = 0;
                if (scan_string(&s, &got) < 0)
                    goto done;
                skip_ws(&s);
                if (s.pos >= s.len || s.p[s.pos] != ':')
                    goto done;
                s.pos++;
                skip_ws(&s);
                hit = got.len == want.len &&
                      (got.len == 0 || memcmp(got.data, want.data, got.len) == 0);
            } else {
                hit = i == index;
            }
            if (hit)
                break;
            if (scan_value(&s, depth) < 0)
                goto done;
            skip_ws(&s);
            if (s.pos >= s.len || s.p[s.pos] != ',')
                goto done;
            s.pos++;
            skip_ws(&s);
        }
        if (s.pos >= s.len)
            break;
        found = s.pos;
    }
done:
    spur_json_line_col(text, len, found, line, col);
out:
    spur_buf_free(&want);
    spur_buf_free(&got);
    return rc;
}

/* ---- locating many paths in one pass ----
 *
 * spur_json_locate walks the text from its start for each path, which for a big file
 * with thousands of problems is quadratic. Here the paths become a trie first, and one
 * walk through the text visits each value once, noting where every trie node's value
 * starts; a path then ends at its deepest node that was found. */

typedef struct {
    size_t parent; /* (size_t)-1 for the root */
    size_t found;  /* where its value starts; SIZE_MAX while not found */
    size_t kids;   /* number of children */
} tnode_t;

typedef struct {
    tnode_t *v;
    size_t n, cap;
    spur_map_t kids; /* node id, 'k' + key bytes or 'i' + index -> child id + 1 */
    spur_buf_t key;  /* scratch for map keys */
} trie_t;

/* The map key of child seg (a key, or an index when is_index) of node. */
static void kid_key(trie_t *t, size_t node, int is_index, long index, const spur_buf_t *seg)
{
    char tag = is_index ? 'i' : 'k';
    t->key.len = 0;
    spur_buf_append(&t->key, &node, sizeof node);
    spur_buf_append(&t->key, &tag, 1);
    if (is_index)
        spur_buf_append(&t->key, &index, sizeof index);
    else if (seg->len)
        spur_buf_append(&t->key, seg->data, seg->len);
}

static size_t kid_get(trie_t *t, size_t node, int is_index, long index, const spur_buf_t *seg)
{
    kid_key(t, node, is_index, index, seg);
    return (size_t)(uintptr_t)spur_map_get(&t->kids, t->key.data, t->key.len);
}

/* The node of the path, made as needed; a malformed rest ends it where it was. */
static size_t trie_add(trie_t *t, const char *path)
{
    spur_buf_t seg = {0};
    size_t node = 0;
    long index = 0;
    int is_index;

    while (next_segment(&path, &seg, &index, &is_index) > 0) {
        size_t kid = kid_get(t, node, is_index, index, &seg);
        if (!kid) {
            if (t->n == t->cap) {
                t->cap = t->cap * 2;
                t->v = spur_realloc(t->v, t->cap * sizeof *t->v);
            }
            t->v[t->n] = (tnode_t){node, SIZE_MAX, 0};
            t->v[node].kids++;
            kid = ++t->n;
            spur_map_put(&t->kids, t->key.data, t->key.len, (void *)(uintptr_t)kid);
        }
        node = kid - 1;
    }
    spur_buf_free(&seg);
    return node;
}

/* s->pos at the value of node, inside `around` containers: notes where it starts and
 * walks it, descending into the members the trie names (the first of duplicate keys,
 * as spur_json_locate). -1 when the text breaks off or is malformed. */
static int trie_walk(trie_t *t, scanner_t *s, size_t node, int around)
{
    spur_buf_t key = {0};
    unsigned char close;
    int rc = -1;

    t->v[node].found = s->pos;
    if (!t->v[node].kids || around >= SPUR_JSON_MAX_DEPTH || s->pos >= s->len ||
        (s->p[s->pos] != '{' && s->p[s->pos] != '['))
        return scan_value(s, around);
    close = s->p[s->pos] == '{' ? '}' : ']';
    s->pos++;
    skip_ws(s);
    if (s->pos < s->len && s->p[s->pos] == close) {
        s->pos++;
        return 0;
    }
    for (long i = 0;; i++) {
        size_t kid;
        if (close == '}') {
            if (s->pos >= s->len || s->p[s->pos] != '"')
                goto out;
            key.len = 0;
            if (scan_string(s, &key) < 0)
                goto out;
            skip_ws(s);
            if (s->pos >= s->len || s->p[s->pos] != ':')
                goto out;
            s->pos++;
            skip_ws(s);
        }
        kid = kid_get(t, node, close == ']', i, &key);
        if ((kid && t->v[kid - 1].found == SIZE_MAX) ? trie_walk(t, s, kid - 1, around + 1) < 0
                                                     : scan_value(s, around + 1) < 0)
            goto out;
        skip_ws(s);
        if (s->pos >= s->len)
            goto out;
        if (s->p[s->pos] == close) {
            s->pos++;
            rc = 0;
            goto out;
        }
        if (s->p[s->pos] != ',')
            goto out;
        s->pos++;
        skip_ws(s);
    }
out:
    spur_buf_free(&key);
    return rc;
}

typedef struct {
    size_t offset, i;
} spot_t;

static int by_offset(const void *a, const void *b)
{
    const spot_t *x = a, *y = b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

int spur_json_locate_many(const char *text, size_t len, const char *const *paths, size_t n,
                          int *lines, int *cols)
{
    scanner_t s = {.p = (const unsigned char *)text, .len = len};
    trie_t t = {0};
    size_t *term = spur_calloc(n ? n : 1, sizeof *term);
    spot_t *spots = spur_calloc(n ? n : 1, sizeof *spots);
    size_t nspots = 0, at = 0;
    int l = 1, c = 1, rc = -1;

    for (size_t i = 0; i < n; i++)
        lines[i] = cols[i] = 0;
    skip_ws(&s);
    if (!text || s.pos >= s.len)
        goto out;
    t.cap = 64;
    t.v = spur_malloc(t.cap * sizeof *t.v);
    t.v[t.n++] = (tnode_t){(size_t)-1, SIZE_MAX, 0};
    for (size_t i = 0; i < n; i++)
        term[i] = paths[i] ? trie_add(&t, paths[i]) : SIZE_MAX;
    trie_walk(&t, &s, 0, 0); /* a malformed text: the walk found what it found */
    for (size_t i = 0; i < n; i++) {
        size_t node = term[i];
        if (node == SIZE_MAX)
            continue;
        while (t.v[node].found == SIZE_MAX)
            node = t.v[node].parent; /* the root was found */
        spots[nspots++] = (spot_t){t.v[node].found, i};
    }
    qsort(spots, nspots, sizeof *spots, by_offset);
    /* line and column as spur_json_line_col counts them, in one pass */
    for (size_t k = 0; k < nspots; k++) {
        size_t to = spots[k].offset > len ? len : spots[k].offset;
        for (; at < to; at++) {
            unsigned char b = (unsigned char)text[at];
            if (b == '\n') {
                l++;
                c = 1;
            } else if ((b & 0xc0) != 0x80) {
                c++;
            }
        }
        lines[spots[k].i] = l;
        cols[spots[k].i] = c;
    }
    rc = 0;
out:
    free(t.v);
    spur_map_free(&t.kids);
    spur_buf_free(&t.key);
    free(term);
    free(spots);
    return rc;
}

const char *spur_json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Allocation wrappers that abort on failure, and the growable buffer. */
#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static void die_oom(size_t n)
{
    spur_error("out of memory allocating %zu bytes", n);
    abort();
}

void *spur_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die_oom(n);
    return p;
}

void *spur_calloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        die_oom(count * size);
    return p;
}

void *spur_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die_oom(n);
    return q;
}

char *spur_strdup(const char *s)
{
    return spur_strndup(s, strlen(s));
}

char *spur_strndup(const char *s, size_t n)
{
    char *p = spur_malloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *spur_asprintf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    p = spur_malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

static void reserve(spur_buf_t *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    b->data = spur_realloc(b->data, cap);
    b->cap = cap;
}

void spur_buf_append(spur_buf_t *b, const void *data, size_t len)
{
    reserve(b, len);
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void spur_buf_puts(spur_buf_t *b, const char *s)
{
    spur_buf_append(b, s, strlen(s));
}

void spur_buf_printf(spur_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void spur_buf_json_str(spur_buf_t *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)(s ? s : "");

    reserve(b, strlen((const char *)p) + 2);
    spur_buf_append(b, "\"", 1);
    for (; *p; p++) {
        char esc[7];
        switch (*p) {
        case '"':
            spur_buf_append(b, "\\\"", 2);
            break;
        case '\\':
            spur_buf_append(b, "\\\\", 2);
            break;
        case '\n':
            spur_buf_append(b, "\\n", 2);
            break;
        case '\r':
            spur_buf_append(b, "\\r", 2);
            break;
        case '\t':
            spur_buf_append(b, "\\t", 2);
            break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                memcpy(esc, "\\u00", 4);
                esc[4] = hex[*p >> 4];
                esc[5] = hex[*p & 15];
                spur_buf_append(b, esc, 6);
            } else {
                spur_buf_append(b, p, 1);
            }
        }
    }
    spur_buf_append(b, "\"", 1);
}

void spur_buf_free(spur_buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *spur_buf_steal(spur_buf_t *b, size_t *len)
{
    char *p;
    if (!b->data)
        reserve(b, 0), b->data[0] = '\0';
    p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

int spur_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

spur_shared_t *spur_shared_new(const void *data, size_t len)
{
    spur_shared_t *s = spur_malloc(sizeof(*s) + len + 1);
    s->refs = 1;
    s->len = len;
    memcpy(s->data, data, len);
    s->data[len] = '\0';
    return s;
}

spur_shared_t *spur_shared_ref(spur_shared_t *s)
{
    s->refs++;
    return s;
}

void spur_shared_unref(spur_shared_t *s)
{
    if (s && --s->refs == 0)
        free(s);
}

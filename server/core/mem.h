/* Allocation "or die": out of memory is logged and aborts, so callers never
 * check for NULL. Callable from any thread. */
#ifndef SPUR_MEM_H
#define SPUR_MEM_H

#include <stddef.h>

void *spur_malloc(size_t n);
void *spur_calloc(size_t count, size_t size);
void *spur_realloc(void *p, size_t n);
char *spur_strdup(const char *s);
char *spur_strndup(const char *s, size_t n);
/* printf into a new heap string; the caller frees it. */
char *spur_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer. Always NUL-terminated past len (so data is a C string
 * when no NULs were appended). Zero-initialise, then append; free with spur_buf_free. */
typedef struct {
    char *data;
    size_t len; /* bytes used, excluding the terminating NUL */
    size_t cap; /* bytes allocated */
} spur_buf_t;

void spur_buf_append(spur_buf_t *b, const void *data, size_t len);
void spur_buf_puts(spur_buf_t *b, const char *s);
void spur_buf_printf(spur_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal with quotes, escaping as RFC 8259 requires. */
void spur_buf_json_str(spur_buf_t *b, const char *s);
void spur_buf_free(spur_buf_t *b);
/* Hands the data to the caller (who frees it) and resets the buffer. */
char *spur_buf_steal(spur_buf_t *b, size_t *len);

/* Bytes shared by many writers (one rendered event for thousands of streams): freed
 * when the last reference is dropped. Not thread-safe: one owner thread. */
typedef struct {
    size_t refs;
    size_t len;
    char data[];
} spur_shared_t;

/* A copy of len bytes with one reference (the caller's). */
spur_shared_t *spur_shared_new(const void *data, size_t len);
spur_shared_t *spur_shared_ref(spur_shared_t *s);
void spur_shared_unref(spur_shared_t *s);

/* The value of one hex digit (either case), or -1. */
int spur_hexval(int c);

#endif

/* A string-keyed hash map (open addressing, linear probing). Keys are copied
 * and owned by the map; values are borrowed pointers the caller manages.
 * Not thread-safe: one owner thread. */
#ifndef SPUR_MAP_H
#define SPUR_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char **keys; /* NULL = empty slot, TOMB = deleted */
    void **vals;
    size_t cap;   /* power of two, 0 before first insert */
    size_t count; /* live entries */
    size_t used;  /* live + deleted slots */
} spur_map_t;

/* SipHash-2-4 of n bytes under this process's secret random key: stable within one
 * process, unpredictable from outside it. Any thread. */
uint64_t spur_hash(const void *k, size_t n);

/* Makes room for n entries in all, so that n puts need no rehash. */
void spur_map_reserve(spur_map_t *m, size_t n);
/* Inserts or replaces key (klen bytes; may contain NUL). Returns the old value or NULL. */
void *spur_map_put(spur_map_t *m, const char *key, size_t klen, void *val);
void *spur_map_get(const spur_map_t *m, const char *key, size_t klen);
/* Removes key; returns its value or NULL. */
void *spur_map_del(spur_map_t *m, const char *key, size_t klen);
/* Frees the map's own memory (not the values). */
void spur_map_free(spur_map_t *m);

#endif

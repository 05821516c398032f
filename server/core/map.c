/* String-keyed hash map. Keys are stored length-prefixed so binary keys
 * (hashes) work; the table doubles when more than half full, counting
 * tombstones, so probing always terminates.
 *
 * Keys are often chosen by clients (addresses, client ids, answers), so they are
 * hashed with SipHash (libsodium's crypto_shorthash) under a key drawn from the random
 * source once per process: nobody outside can make keys collide on purpose and turn
 * lookups into long probe runs. The process key is the one true singleton here. */
#include "map.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mem.h"

static char tomb_slot;
#define TOMB (&tomb_slot)

static unsigned char hash_key[crypto_shorthash_KEYBYTES];
static pthread_once_t hash_key_once = PTHREAD_ONCE_INIT;

static void hash_key_init(void)
{
    if (sodium_init() < 0)
        abort(); /* no random source: nothing here can be trusted */
    randombytes_buf(hash_key, sizeof(hash_key));
}

uint64_t spur_hash(const void *k, size_t n)
{
    unsigned char out[crypto_shorthash_BYTES];
    uint64_t h;
    pthread_once(&hash_key_once, hash_key_init);
    crypto_shorthash(out, k, n, hash_key);
    memcpy(&h, out, sizeof(h));
    return h;
}

static uint64_t hash(const char *k, size_t n)
{
    return spur_hash(k, n);
}

static int key_eq(const char *stored, const char *k, size_t n)
{
    size_t sn;
    memcpy(&sn, stored, sizeof(sn));
    return sn == n && memcmp(stored + sizeof(sn), k, n) == 0;
}

static char *key_new(const char *k, size_t n)
{
    char *s = spur_malloc(sizeof(n) + n);
    memcpy(s, &n, sizeof(n));
    memcpy(s + sizeof(n), k, n);
    return s;
}

static size_t find(const spur_map_t *m, const char *k, size_t n, int *found)
{
    size_t mask = m->cap - 1, i = hash(k, n) & mask, first_tomb = SIZE_MAX;
    for (;;) {
        char *s = m->keys[i];
        if (!s) {
            *found = 0;
            return first_tomb != SIZE_MAX ? first_tomb : i;
        }
        if (s == TOMB) {
            if (first_tomb == SIZE_MAX)
                first_tomb = i;
        } else if (key_eq(s, k, n)) {
            *found = 1;
            return i;
        }
        i = (i + 1) & mask;
    }
}

static void grow(spur_map_t *m)
{
    spur_map_t n = {0};
    n.cap = m->cap ? m->cap * 2 : 16;
    if (m->count * 4 < m->cap)
        n.cap = m->cap; /* mostly tombstones: rehash at the same size */
    n.keys = spur_calloc(n.cap, sizeof(char *));
    n.vals = spur_calloc(n.cap, sizeof(void *));
    for (size_t i = 0; i < m->cap; i++) {
        char *s = m->keys[i];
        int found;
        size_t kn;
        if (!s || s == TOMB)
            continue;
        memcpy(&kn, s, sizeof(kn));
        size_t j = find(&n, s + sizeof(kn), kn, &found);
        n.keys[j] = s;
        n.vals[j] = m->vals[i];
        n.count++;
        n.used++;
    }
    free(m->keys);
    free(m->vals);
    *m = n;
}

void spur_map_reserve(spur_map_t *m, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * (n + 1))
        cap *= 2;
    if (!m->cap) { /* empty: allocate the final size at once */
        m->cap = cap;
        m->keys = spur_calloc(cap, sizeof(char *));
        m->vals = spur_calloc(cap, sizeof(void *));
        return;
    }
    while (m->cap < cap)
        grow(m);
}

void *spur_map_put(spur_map_t *m, const char *key, size_t klen, void *val)
{
    int found;
    size_t i;
    if ((m->used + 1) * 2 > m->cap)
        grow(m);
    i = find(m, key, klen, &found);
    if (found) {
        void *old = m->vals[i];
        m->vals[i] = val;
        return old;
    }
    if (!m->keys[i])
        m->used++;
    m->keys[i] = key_new(key, klen);
    m->vals[i] = val;
    m->count++;
    return NULL;
}

void *spur_map_get(const spur_map_t *m, const char *key, size_t klen)
{
    int found;
    size_t i;
    if (!m->cap)
        return NULL;
    i = find(m, key, klen, &found);
    return found ? m->vals[i] : NULL;
}

void *spur_map_del(spur_map_t *m, const char *key, size_t klen)
{
    int found;
    size_t i;
    void *old;
    if (!m->cap)
        return NULL;
    i = find(m, key, klen, &found);
    if (!found)
        return NULL;
    old = m->vals[i];
    free(m->keys[i]);
    m->keys[i] = TOMB;
    m->vals[i] = NULL;
    m->count--;
    return old;
}

void spur_map_free(spur_map_t *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i] && m->keys[i] != TOMB)
            free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

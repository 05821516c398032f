/* An intrusive doubly linked list: the element embeds a spur_link_t and the list
 * keeps its ends, so taking an element out of the middle is O(1) (LRU tables,
 * oldest-first eviction). The list never allocates or frees; the owner of the
 * elements does. Not thread-safe: one owner thread. */
#ifndef SPUR_LIST_H
#define SPUR_LIST_H

#include <stddef.h>

typedef struct spur_link {
    struct spur_link *prev, *next;
} spur_link_t;

typedef struct {
    spur_link_t *head, *tail; /* oldest (or least recent) first; NULL when empty */
    size_t n;
} spur_list_t;

/* The struct of `type` whose field `member` is the link at ptr. */
#define spur_list_entry(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

static inline void spur_list_push_back(spur_list_t *l, spur_link_t *e)
{
    e->next = NULL;
    e->prev = l->tail;
    if (l->tail)
        l->tail->next = e;
    else
        l->head = e;
    l->tail = e;
    l->n++;
}

static inline void spur_list_remove(spur_list_t *l, spur_link_t *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        l->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        l->tail = e->prev;
    e->prev = e->next = NULL;
    l->n--;
}

#endif

/* Per-puzzle insight (insight.h): a bounded table of wrong answers counted by team,
 * and a running median. Both are fed only from spur_game_apply's path (state.c), the
 * one the live server and start-up replay share, so a restart rebuilds the same
 * figures.
 *
 * Why in memory and not a query of the events table when staff ask: the stats are
 * polled every few seconds by every open console, and counting a big hunt's answers
 * there would either block the loop or cost a thread-pool scan of the whole table per
 * poll; the table here costs each counted wrong answer a look at no more than
 * 2 * SPUR_WRONG_TOP_MAX entries (find it; when full, find the one to drop), and a
 * poll one pass over them a puzzle. */
#include "insight.h"

#include <stdlib.h>
#include <string.h>

#include "core/map.h"
#include "core/mem.h"

static void set_text(spur_wrong_t *e, const char *norm)
{
    size_t len = strlen(norm);
    if (len > SPUR_WRONG_TEXT_MAX) {
        len = SPUR_WRONG_TEXT_MAX;
        while (len > 0 && ((unsigned char)norm[len] & 0xC0) == 0x80)
            len--; /* not inside a character */
        memcpy(e->text, norm, len);
        memcpy(e->text + len, "\xe2\x80\xa6", 4); /* "…" and the NUL */
    } else {
        memcpy(e->text, norm, len + 1);
    }
}

/* Is a less frequent than b, or as frequent and counted longer ago? (serials wrap,
   so compared by their difference) */
static int weaker(const spur_wrong_t *a, const spur_wrong_t *b)
{
    if (a->teams != b->teams)
        return a->teams < b->teams;
    return (int32_t)(a->touched - b->touched) < 0;
}

void spur_wrongs_add(spur_wrongs_t *w, const char *norm)
{
    uint64_t h = spur_hash(norm, strlen(norm));
    spur_wrong_t *e = NULL;

    for (size_t i = 0; i < w->n; i++)
        if (w->items[i].hash == h) {
            e = &w->items[i];
            break;
        }
    if (!e) {
        if (w->n < SPUR_WRONG_TOP_MAX) {
            if (w->n == w->cap) {
                w->cap = w->cap ? w->cap * 2 : 8;
                if (w->cap > SPUR_WRONG_TOP_MAX)
                    w->cap = SPUR_WRONG_TOP_MAX;
                w->items = spur_realloc(w->items, w->cap * sizeof(*w->items));
            }
            e = &w->items[w->n++];
        } else { /* full: the weakest leaves */
            e = &w->items[0];
            for (size_t i = 1; i < w->n; i++)
                if (weaker(&w->items[i], e))
                    e = &w->items[i];
            w->dropped++;
        }
        e->hash = h;
        e->teams = 0;
        set_text(e, norm);
    }
    e->teams++;
    e->touched = ++w->serial;
}

size_t spur_wrongs_top(const spur_wrongs_t *w, const spur_wrong_t **out, size_t k)
{
    size_t n = 0;
    /* a partial selection: k is small (SPUR_WRONG_SHOWN), the table at most 200 */
    for (size_t i = 0; i < w->n; i++) {
        const spur_wrong_t *e = &w->items[i];
        size_t j;
        if (n == k && !weaker(out[n - 1], e))
            continue;
        if (n < k)
            n++;
        for (j = n - 1; j > 0 && weaker(out[j - 1], e); j--)
            out[j] = out[j - 1];
        out[j] = e;
    }
    return n;
}

void spur_wrongs_free(spur_wrongs_t *w)
{
    free(w->items);
    memset(w, 0, sizeof(*w));
}

static void push(int32_t **heap, size_t *n, size_t *cap, int32_t v, int max)
{
    int32_t *a;
    size_t i;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *heap = spur_realloc(*heap, *cap * sizeof(**heap));
    }
    a = *heap;
    i = (*n)++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (max ? a[parent] >= v : a[parent] <= v)
            break;
        a[i] = a[parent];
        i = parent;
    }
    a[i] = v;
}

/* Removes and returns the top of a non-empty heap. */
static int32_t pop(int32_t *a, size_t *n, int max)
{
    int32_t top = a[0], v = a[--(*n)];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && (max ? a[c + 1] > a[c] : a[c + 1] < a[c]))
            c++;
        if (max ? a[c] <= v : a[c] >= v)
            break;
        a[i] = a[c];
        i = c;
    }
    if (*n)
        a[i] = v;
    return top;
}

void spur_median_add(spur_median_t *m, int32_t v)
{
    if (m->nlo == 0 || v <= m->lo[0])
        push(&m->lo, &m->nlo, &m->caplo, v, 1);
    else
        push(&m->hi, &m->nhi, &m->caphi, v, 0);
    /* rebalance: lo holds as many as hi, or one more */
    if (m->nlo > m->nhi + 1)
        push(&m->hi, &m->nhi, &m->caphi, pop(m->lo, &m->nlo, 1), 0);
    else if (m->nhi > m->nlo)
        push(&m->lo, &m->nlo, &m->caplo, pop(m->hi, &m->nhi, 0), 1);
}

int spur_median_get(const spur_median_t *m, double *out)
{
    if (!m->nlo)
        return -1;
    *out = m->nlo > m->nhi ? (double)m->lo[0] : ((double)m->lo[0] + (double)m->hi[0]) / 2;
    return 0;
}

void spur_median_free(spur_median_t *m)
{
    free(m->lo);
    free(m->hi);
    memset(m, 0, sizeof(*m));
}

void spur_insight_free(spur_insight_t *in)
{
    spur_median_free(&in->secs);
    spur_wrongs_free(&in->wrongs);
}

/* The photo registry (photo.h). */
#include "game/photo.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

static const char *const status_names[] = {"pending", "approved", "rejected"};

const char *spur_photo_status_name(spur_photo_status_t s)
{
    return (size_t)s < sizeof status_names / sizeof *status_names ? status_names[s] : "?";
}

int spur_photo_status_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof status_names / sizeof *status_names; i++)
        if (strcmp(name, status_names[i]) == 0)
            return (int)i;
    return -1;
}

static size_t client_key(char *out, size_t size, int64_t team_id, const char *client_id)
{
    return (size_t)snprintf(out, size, "%" PRId64 ":%s", team_id, client_id);
}

static size_t slot_key(char *out, size_t size, int64_t team_id, int idx)
{
    return (size_t)snprintf(out, size, "%" PRId64 ":%d", team_id, idx);
}

/* Counts c in its team's slot for puzzle idx (-1: the team's in all). */
static void count_in(spur_photos_t *ps, spur_photo_t *c, int idx)
{
    char key[48];
    size_t klen = slot_key(key, sizeof(key), c->team_id, idx);
    spur_photo_slot_t *slot = spur_map_get(&ps->per_puzzle, key, klen);
    if (!slot) {
        slot = spur_calloc(1, sizeof(*slot));
        spur_map_put(&ps->per_puzzle, key, klen, slot);
        if (ps->nslots == ps->slots_cap) {
            ps->slots_cap = ps->slots_cap ? ps->slots_cap * 2 : 16;
            ps->slots = spur_realloc(ps->slots, ps->slots_cap * sizeof(*ps->slots));
        }
        ps->slots[ps->nslots++] = slot;
    }
    slot->last = c;
    slot->count++;
}

spur_photo_t *spur_photos_add(spur_photos_t *ps, const spur_photo_t *p)
{
    spur_photo_t *c = spur_malloc(sizeof(*c));
    char key[96];
    size_t klen;

    *c = *p;
    c->message = p->message ? spur_strdup(p->message) : NULL;
    c->client_id = p->client_id ? spur_strdup(p->client_id) : NULL;
    c->busy = 0;
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 16;
        ps->items = spur_realloc(ps->items, ps->cap * sizeof(*ps->items));
    }
    ps->items[ps->n++] = c;
    if (c->status == SPUR_PHOTO_PENDING)
        ps->pending++;
    spur_map_put(&ps->by_id, c->id, strlen(c->id), c);
    if (c->client_id) {
        klen = client_key(key, sizeof(key), c->team_id, c->client_id);
        spur_map_put(&ps->by_client, key, klen, c);
    }
    count_in(ps, c, -1); /* all the team's photos */
    if (c->puzzle >= 0)
        count_in(ps, c, c->puzzle);
    return c;
}

spur_photo_t *spur_photos_get(const spur_photos_t *ps, const char *id)
{
    return spur_map_get(&ps->by_id, id, strlen(id));
}

spur_photo_t *spur_photos_by_client(const spur_photos_t *ps, int64_t team_id, const char *client_id)
{
    char key[96];
    size_t klen = client_key(key, sizeof(key), team_id, client_id);
    return klen < sizeof(key) ? spur_map_get(&ps->by_client, key, klen) : NULL;
}

const spur_photo_slot_t *spur_photos_slot(const spur_photos_t *ps, int64_t team_id, int idx)
{
    char key[48];
    size_t klen = slot_key(key, sizeof(key), team_id, idx);
    return spur_map_get(&ps->per_puzzle, key, klen);
}

void spur_photos_decide(spur_photos_t *ps, spur_photo_t *p, spur_photo_status_t status, int points,
                        const char *message, int64_t at)
{
    if (p->status == SPUR_PHOTO_PENDING)
        ps->pending--;
    if (status == SPUR_PHOTO_PENDING)
        ps->pending++;
    p->status = status;
    p->points = status == SPUR_PHOTO_APPROVED ? points : 0;
    free(p->message);
    p->message = message ? spur_strdup(message) : NULL;
    p->reviewed_at = at;
}

void spur_photos_free(spur_photos_t *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->items[i]->message);
        free(ps->items[i]->client_id);
        free(ps->items[i]);
    }
    free(ps->items);
    for (size_t i = 0; i < ps->nslots; i++)
        free(ps->slots[i]);
    free(ps->slots);
    spur_map_free(&ps->by_id);
    spur_map_free(&ps->by_client);
    spur_map_free(&ps->per_puzzle);
    memset(ps, 0, sizeof(*ps));
}

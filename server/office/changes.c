/* The changes between a stored hunt file and a new one (changes.h). */
#include "changes.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

/* A copy of v without comment keys ("_..."), at any depth: comments never count
 * as changes. */
static cJSON *strip_comments(const cJSON *v)
{
    cJSON *c = cJSON_Duplicate(v, 1), *it, *next;
    if (!c)
        return NULL;
    for (it = c->child; it; it = next) {
        next = it->next;
        if (cJSON_IsObject(c) && it->string && it->string[0] == '_') {
            cJSON_Delete(cJSON_DetachItemViaPointer(c, it));
        } else if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
            cJSON *s = strip_comments(it);
            if (s)
                cJSON_ReplaceItemViaPointer(c, it, s);
        }
    }
    return c;
}

static const char *id_of(const cJSON *item)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
    return cJSON_IsString(id) ? id->valuestring : NULL;
}

/* The nth (from 0) item of array `arr` whose "id" member is the string id, or NULL. */
static const cJSON *by_id_nth(const cJSON *arr, const char *id, size_t nth)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        const char *iid = id_of(it);
        if (iid && strcmp(iid, id) == 0 && nth-- == 0)
            return it;
    }
    return NULL;
}

static const cJSON *by_id(const cJSON *arr, const char *id)
{
    return by_id_nth(arr, id, 0);
}

/* The item of `other` that stands for `item` of `arr`: the one with its id, and of
 * several with that id (a file the check refuses, but listed all the same) the one
 * at the same count. */
static const cJSON *counterpart(const cJSON *arr, const cJSON *item, const cJSON *other)
{
    const char *id = id_of(item);
    size_t nth = 0;
    for (const cJSON *it = arr->child; it && it != item; it = it->next)
        nth += id_of(it) && strcmp(id_of(it), id) == 0;
    return by_id_nth(other, id, nth);
}

static spur_change_t *add(spur_changes_t *c, spur_ch_what_t what, spur_ch_how_t how, const char *id)
{
    spur_change_t *ch;
    c->v = spur_realloc(c->v, (c->n + 1) * sizeof(*c->v));
    ch = &c->v[c->n++];
    memset(ch, 0, sizeof(*ch));
    ch->what = what;
    ch->how = how;
    ch->id = spur_strdup(id);
    return ch;
}

static void add_key(spur_change_t *ch, const char *key)
{
    ch->keys = spur_realloc(ch->keys, (ch->nkeys + 1) * sizeof(*ch->keys));
    ch->keys[ch->nkeys++] = spur_strdup(key);
}

/* ch gets the keys whose values differ between objects a and b. */
static void changed_keys(spur_change_t *ch, const cJSON *a, const cJSON *b)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, b)
    {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(a, it->string);
        if (!o || !cJSON_Compare(o, it, 1))
            add_key(ch, it->string);
    }
    cJSON_ArrayForEach(it, a)
    {
        if (!cJSON_GetObjectItemCaseSensitive(b, it->string))
            add_key(ch, it->string);
    }
}

static void diff_list(spur_changes_t *c, const cJSON *old_root, const cJSON *new_root,
                      const char *key, spur_ch_what_t what)
{
    const cJSON *olds = cJSON_GetObjectItemCaseSensitive(old_root, key);
    const cJSON *news = cJSON_GetObjectItemCaseSensitive(new_root, key);
    const cJSON *it;

    cJSON_ArrayForEach(it, news)
    {
        const char *id = id_of(it);
        const cJSON *old = id ? counterpart(news, it, olds) : NULL;
        if (!id)
            continue;
        if (!old)
            add(c, what, SPUR_CH_ADDED, id);
        else if (!cJSON_Compare(old, it, 1))
            changed_keys(add(c, what, SPUR_CH_CHANGED, id), old, it);
    }
    cJSON_ArrayForEach(it, olds)
    {
        const char *id = id_of(it);
        if (id && !counterpart(olds, it, news))
            add(c, what, SPUR_CH_REMOVED, id);
    }
    /* The items both have, walked in step: the first that differ mean a new order. */
    const cJSON *o = olds ? olds->child : NULL, *n = news ? news->child : NULL;
    for (;;) {
        while (o && (!id_of(o) || !by_id(news, id_of(o))))
            o = o->next;
        while (n && (!id_of(n) || !by_id(olds, id_of(n))))
            n = n->next;
        if (!o || !n)
            break;
        if (strcmp(id_of(o), id_of(n)) != 0) {
            add(c, what, SPUR_CH_REORDERED, "");
            break;
        }
        o = o->next;
        n = n->next;
    }
}

static int is_list_key(const char *k)
{
    return strcmp(k, "puzzles") == 0 || strcmp(k, "places") == 0 || strcmp(k, "prizes") == 0;
}

/* A setting's value for a change line: its JSON, cut short. */
static char *value_text(const cJSON *v)
{
    char *s = cJSON_PrintUnformatted(v), *out;
    if (!s)
        return spur_strdup("?");
    out = strlen(s) > 60 ? spur_asprintf("%.57s...", s) : spur_strdup(s);
    free(s);
    return out;
}

static void diff_settings(spur_changes_t *c, const cJSON *old_root, const cJSON *new_root)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, new_root)
    {
        const cJSON *old = cJSON_GetObjectItemCaseSensitive(old_root, it->string);
        spur_change_t *ch;
        if (is_list_key(it->string) || (old && cJSON_Compare(old, it, 1)))
            continue;
        ch = add(c, SPUR_CH_SETTING, old ? SPUR_CH_CHANGED : SPUR_CH_ADDED, it->string);
        if (old)
            ch->old_value = value_text(old);
        ch->new_value = value_text(it);
    }
    cJSON_ArrayForEach(it, old_root)
    {
        if (!is_list_key(it->string) && !cJSON_GetObjectItemCaseSensitive(new_root, it->string)) {
            spur_change_t *ch = add(c, SPUR_CH_SETTING, SPUR_CH_REMOVED, it->string);
            ch->old_value = spur_strdup(cJSON_IsString(it) ? it->valuestring : "");
            ch->old_is_string = cJSON_IsString(it);
        }
    }
}

static void warn(spur_changes_t *c, const char *id, char *de, char *en)
{
    c->w = spur_realloc(c->w, (c->nw + 1) * sizeof(*c->w));
    c->w[c->nw++] = (spur_change_warning_t){spur_strdup(id), de, en};
}

static int points_of(const cJSON *puzzle)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(puzzle, "points");
    return cJSON_IsNumber(p) ? p->valueint : 0;
}

/* The warnings about solved puzzles that the new file removes or rescores. */
static void warn_solved(spur_changes_t *c, const cJSON *old_root, const cJSON *new_root,
                        spur_solves_cb solves, void *data, int dry)
{
    const cJSON *olds = cJSON_GetObjectItemCaseSensitive(old_root, "puzzles");
    const cJSON *news = cJSON_GetObjectItemCaseSensitive(new_root, "puzzles");
    const cJSON *it;
    cJSON_ArrayForEach(it, olds)
    {
        const char *id = id_of(it);
        const cJSON *now;
        int n = id ? solves(id, data) : 0, one = n == 1;
        if (n <= 0)
            continue;
        now = counterpart(olds, it, news);
        if (!now) {
            warn(c, id,
                 spur_asprintf("Rätsel \"%s\" %s entfernt, obwohl %d %s es gelöst %s; die "
                               "Lösungen bleiben in der Historie, zählen aber nicht mehr",
                               id, dry ? "würde" : "wird", n, one ? "Team" : "Teams",
                               one ? "hat" : "haben"),
                 spur_asprintf("puzzle \"%s\" %s removed although %d team%s solved it; the "
                               "solves stay in the history but no longer count",
                               id, dry ? "would be" : "is", n, one ? "" : "s"));
        } else if (points_of(now) != points_of(it)) {
            warn(c, id,
                 spur_asprintf("Rätsel \"%s\": die Punkte ändern sich von %d auf %d, obwohl %d "
                               "%s es gelöst %s; deren Punktestand ändert sich mit, die "
                               "Rangliste kann sich umstellen",
                               id, points_of(it), points_of(now), n, one ? "Team" : "Teams",
                               one ? "hat" : "haben"),
                 spur_asprintf("puzzle \"%s\": points change from %d to %d although %d team%s "
                               "solved it; their scores change with it and the leaderboard "
                               "may reorder",
                               id, points_of(it), points_of(now), n, one ? "" : "s"));
        }
    }
}

void spur_changes_diff(spur_changes_t *c, const cJSON *old_root, const cJSON *new_root,
                       spur_solves_cb solves, void *data, int dry)
{
    cJSON *old = strip_comments(old_root), *cur = strip_comments(new_root);
    memset(c, 0, sizeof(*c));
    diff_settings(c, old, cur);
    diff_list(c, old, cur, "places", SPUR_CH_PLACE);
    diff_list(c, old, cur, "puzzles", SPUR_CH_PUZZLE);
    diff_list(c, old, cur, "prizes", SPUR_CH_PRIZE);
    if (solves)
        warn_solved(c, old, cur, solves, data, dry);
    cJSON_Delete(old);
    cJSON_Delete(cur);
}

void spur_changes_free(spur_changes_t *c)
{
    for (size_t i = 0; i < c->n; i++) {
        for (size_t k = 0; k < c->v[i].nkeys; k++)
            free(c->v[i].keys[k]);
        free(c->v[i].id);
        free(c->v[i].keys);
        free(c->v[i].old_value);
        free(c->v[i].new_value);
    }
    for (size_t i = 0; i < c->nw; i++) {
        free(c->w[i].id);
        free(c->w[i].de);
        free(c->w[i].en);
    }
    free(c->v);
    free(c->w);
    memset(c, 0, sizeof(*c));
}

static const char *noun(spur_ch_what_t w, int german, int plural)
{
    static const char *const de[][2] = {{"Einstellung", "Einstellungen"},
                                        {"Ort", "Orte"},
                                        {"Rätsel", "Rätsel"},
                                        {"Preis", "Preise"}};
    static const char *const en[][2] = {
        {"setting", "settings"}, {"place", "places"}, {"puzzle", "puzzles"}, {"prize", "prizes"}};
    return german ? de[w][plural] : en[w][plural];
}

static const char *verb(spur_ch_how_t h, int german)
{
    static const char *const de[] = {"hinzugefügt", "entfernt", "geändert", "umsortiert"};
    static const char *const en[] = {"added", "removed", "changed", "reordered"};
    return german ? de[h] : en[h];
}

char *spur_change_text(const spur_change_t *ch, int german)
{
    if (ch->what == SPUR_CH_SETTING) {
        if (ch->how == SPUR_CH_REMOVED)
            return spur_asprintf(german ? "%s entfernt (war %s)" : "%s removed (was %s)", ch->id,
                                 ch->old_is_string ? ch->old_value
                                 : german          ? "gesetzt"
                                                   : "set");
        if (ch->how == SPUR_CH_CHANGED)
            return spur_asprintf("%s %s: %s -> %s", ch->id, verb(ch->how, german), ch->old_value,
                                 ch->new_value);
        return spur_asprintf("%s %s: %s", ch->id, verb(ch->how, german), ch->new_value);
    }
    if (ch->how == SPUR_CH_REORDERED)
        return spur_asprintf(german ? "Reihenfolge der %s geändert" : "%s reordered",
                             noun(ch->what, german, 1));
    if (ch->how == SPUR_CH_CHANGED) {
        spur_buf_t b = {0};
        spur_buf_printf(&b, "%s %s: %s (", noun(ch->what, german, 0), verb(ch->how, german),
                        ch->id);
        for (size_t k = 0; k < ch->nkeys; k++)
            spur_buf_printf(&b, "%s%s", k ? ", " : "", ch->keys[k]);
        spur_buf_puts(&b, ")");
        return spur_buf_steal(&b, NULL);
    }
    return spur_asprintf("%s %s: %s", noun(ch->what, german, 0), verb(ch->how, german), ch->id);
}

char *spur_changes_summary(const spur_changes_t *c, int german)
{
    spur_buf_t b = {0};
    if (!c->n)
        return spur_strdup(german ? "Keine Änderungen" : "No changes");
    /* "2 Rätsel geändert, 1 Ort hinzugefügt": per kind of item, per kind of change */
    for (int w = SPUR_CH_SETTING; w <= SPUR_CH_PRIZE; w++)
        for (int h = SPUR_CH_ADDED; h <= SPUR_CH_REORDERED; h++) {
            size_t n = 0, last = 0;
            for (size_t i = 0; i < c->n; i++)
                if (c->v[i].what == (spur_ch_what_t)w && c->v[i].how == (spur_ch_how_t)h)
                    n++, last = i;
            if (n && h == SPUR_CH_REORDERED) {
                char *t = spur_change_text(&c->v[last], german);
                spur_buf_printf(&b, "%s%s", b.len ? ", " : "", t);
                free(t);
            } else if (n) {
                spur_buf_printf(&b, "%s%zu %s %s", b.len ? ", " : "", n,
                                noun((spur_ch_what_t)w, german, n != 1),
                                verb((spur_ch_how_t)h, german));
            }
        }
    spur_buf_puts(&b, german ? "; Codes und Fortschritt bleiben erhalten"
                             : "; codes and progress are kept");
    return spur_buf_steal(&b, NULL);
}

const char *spur_change_what_name(spur_ch_what_t w)
{
    return noun(w, 0, 0);
}

const char *spur_change_how_name(spur_ch_how_t h)
{
    return verb(h, 0);
}

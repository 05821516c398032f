/* What storing a new hunt file would change, compared with the stored one: `spur import
 * --dry-run` prints it, and the editor's save (PUT …/source) answers it. The two files'
 * JSON is compared object by object, list items by their "id", with comments ("_"
 * keys) left out at any depth. Warnings name what would surprise players of a hunt
 * with progress: a solved puzzle removed, or its points changed (a replay scores every
 * solve with the file's current points). Pure: no I/O; any thread. */
#ifndef SPUR_CHANGES_H
#define SPUR_CHANGES_H

#include <stddef.h>

#include <cjson/cJSON.h>

typedef enum { SPUR_CH_SETTING, SPUR_CH_PLACE, SPUR_CH_PUZZLE, SPUR_CH_PRIZE } spur_ch_what_t;
/* REORDERED: the items both files have stand in another order (id is "") */
typedef enum { SPUR_CH_ADDED, SPUR_CH_REMOVED, SPUR_CH_CHANGED, SPUR_CH_REORDERED } spur_ch_how_t;

typedef struct {
    spur_ch_what_t what;
    spur_ch_how_t how;
    char *id;    /* the item's id, or the setting's key */
    char **keys; /* CHANGED list items: the keys that differ, in the new file's order
                    and then the removed ones */
    size_t nkeys;
    char *old_value, *new_value; /* settings: the JSON values, cut to 60 bytes (NULL
                                    when absent) */
    int old_is_string;           /* settings: the old value was a JSON string */
} spur_change_t;

/* A warning: the puzzle it is about and its message in both languages. */
typedef struct {
    char *id;
    char *de, *en;
} spur_change_warning_t;

typedef struct {
    spur_change_t *v; /* settings, places, puzzles, prizes; in each list the added and
                         changed items in the new file's order, then the removed ones,
                         then whether the list was reordered */
    size_t n;
    spur_change_warning_t *w;
    size_t nw;
} spur_changes_t;

/* Solves so far of puzzle id (for the warnings), or 0. */
typedef int (*spur_solves_cb)(const char *puzzle_id, void *data);

/* Compares the stored file old_root with new_root into *c (zeroed first). solves may
 * be NULL (no warnings); dry: the warnings say "would" instead of "is". */
void spur_changes_diff(spur_changes_t *c, const cJSON *old_root, const cJSON *new_root,
                       spur_solves_cb solves, void *data, int dry);
void spur_changes_free(spur_changes_t *c);

/* One change as a line of text without indent or newline, such as "puzzle changed:
 * wappen (points)" or "Rätsel geändert: wappen (points)". The caller frees. */
char *spur_change_text(const spur_change_t *ch, int german);
/* "3 Rätsel geändert, 1 Ort hinzugefügt; Fortschritt bleibt erhalten" or "Keine
 * Änderungen". The caller frees. */
char *spur_changes_summary(const spur_changes_t *c, int german);
/* "setting", "place", "puzzle", "prize"; "added", "removed", "changed", "reordered". */
const char *spur_change_what_name(spur_ch_what_t w);
const char *spur_change_how_name(spur_ch_how_t h);

#endif

/* `spur import FILE --db PATH [--dry-run]`: validates a hunt file and stores it.
 * The store keeps an existing hunt's secret and draw seed, so re-importing the same
 * id updates the content without changing codes or progress. --dry-run opens the
 * database only to read the stored version and lists what an import would change,
 * by comparing the two files' JSON object by object (by id), comments ("_" keys)
 * left out. Both warn when a removed puzzle had solves: they stay in the events
 * table, and the loader skips events for ids the hunt no longer has. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "office/tz.h"
#include "store/load.h"
#include "tool.h"

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

/* The item of array `arr` whose "id" member is the string id, or NULL. */
static const cJSON *by_id(const cJSON *arr, const char *id)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        const cJSON *iid = cJSON_GetObjectItemCaseSensitive(it, "id");
        if (cJSON_IsString(iid) && strcmp(iid->valuestring, id) == 0)
            return it;
    }
    return NULL;
}

static const char *id_of(const cJSON *item)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
    return cJSON_IsString(id) ? id->valuestring : NULL;
}

/* Appends the keys whose values differ between objects a and b ("points, clue"). */
static void changed_keys(spur_buf_t *b, const cJSON *a, const cJSON *bb)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, bb)
    {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(a, it->string);
        if (!o || !cJSON_Compare(o, it, 1))
            spur_buf_printf(b, "%s%s", b->len ? ", " : "", it->string);
    }
    cJSON_ArrayForEach(it, a)
    {
        if (!cJSON_GetObjectItemCaseSensitive(bb, it->string))
            spur_buf_printf(b, "%s%s", b->len ? ", " : "", it->string);
    }
}

/* Prints (unless out is NULL) the added, removed and changed items of one id-keyed
 * list; returns how many. */
static int diff_list(FILE *out, const cJSON *old_root, const cJSON *new_root, const char *key,
                     const char *noun)
{
    const cJSON *olds = cJSON_GetObjectItemCaseSensitive(old_root, key);
    const cJSON *news = cJSON_GetObjectItemCaseSensitive(new_root, key);
    const cJSON *it;
    int n = 0;

    cJSON_ArrayForEach(it, news)
    {
        const char *id = id_of(it);
        const cJSON *old = id ? by_id(olds, id) : NULL;
        if (!id)
            continue;
        if (!old) {
            if (out)
                fprintf(out, SPUR_TR("  %s hinzugefügt: %s\n", "  %s added: %s\n"), noun, id);
            n++;
        } else if (!cJSON_Compare(old, it, 1)) {
            if (out) {
                spur_buf_t b = {0};
                changed_keys(&b, old, it);
                fprintf(out, SPUR_TR("  %s geändert: %s (%s)\n", "  %s changed: %s (%s)\n"), noun,
                        id, b.data ? b.data : SPUR_TR("Reihenfolge", "order"));
                spur_buf_free(&b);
            }
            n++;
        }
    }
    cJSON_ArrayForEach(it, olds)
    {
        const char *id = id_of(it);
        if (id && !by_id(news, id)) {
            if (out)
                fprintf(out, SPUR_TR("  %s entfernt: %s\n", "  %s removed: %s\n"), noun, id);
            n++;
        }
    }
    return n;
}

static int is_list_key(const char *k)
{
    return strcmp(k, "puzzles") == 0 || strcmp(k, "places") == 0 || strcmp(k, "prizes") == 0;
}

/* A setting's value for a change line: its JSON, cut short. */
static void print_value(FILE *out, const cJSON *v)
{
    char *s = cJSON_PrintUnformatted(v);
    if (s && strlen(s) > 60)
        fprintf(out, "%.57s...", s);
    else
        fputs(s ? s : "?", out);
    free(s);
}

/* Prints (unless out is NULL) the top-level settings (title, times, ...) that differ,
 * with old and new values; returns how many. */
static int diff_settings(FILE *out, const cJSON *old_root, const cJSON *new_root)
{
    const cJSON *it;
    int n = 0;
    cJSON_ArrayForEach(it, new_root)
    {
        const cJSON *old = cJSON_GetObjectItemCaseSensitive(old_root, it->string);
        if (is_list_key(it->string) || (old && cJSON_Compare(old, it, 1)))
            continue;
        if (out) {
            fprintf(out, "  %s %s: ", it->string,
                    old ? SPUR_TR("geändert", "changed") : SPUR_TR("hinzugefügt", "added"));
            if (old) {
                print_value(out, old);
                fputs(" -> ", out);
            }
            print_value(out, it);
            fputc('\n', out);
        }
        n++;
    }
    cJSON_ArrayForEach(it, old_root)
    {
        if (!is_list_key(it->string) && !cJSON_GetObjectItemCaseSensitive(new_root, it->string)) {
            if (out)
                fprintf(out, SPUR_TR("  %s entfernt (war %s)\n", "  %s removed (was %s)\n"),
                        it->string,
                        cJSON_IsString(it) ? it->valuestring : SPUR_TR("gesetzt", "set"));
            n++;
        }
    }
    return n;
}

/* Warns on stderr about each puzzle of the stored hunt that the new file drops
 * although teams solved it: their points for it leave their scores. Reads the
 * progress the way spurd does (spur_store_load). */
static void warn_removed_solves(sqlite3 *db, const char *hunt_id, const cJSON *new_root, int dry)
{
    spur_loaded_t loaded;
    char err[512];
    const cJSON *news = cJSON_GetObjectItemCaseSensitive(new_root, "puzzles");

    if (spur_store_load(db, &loaded, err, sizeof err) < 0)
        return; /* the import itself reports database trouble */
    for (size_t i = 0; i < loaded.ngames; i++) {
        const spur_game_t *g = loaded.games[i];
        if (strcmp(g->hunt->id, hunt_id) != 0)
            continue;
        for (size_t k = 0; k < g->hunt->npuzzles; k++) {
            if (g->solves[k] == 0 || by_id(news, g->hunt->puzzles[k].id))
                continue;
            if (spur_tool_german())
                fprintf(stderr,
                        "spur: Warnung: Rätsel \"%s\" %s entfernt, obwohl %d %s es gelöst "
                        "%s; die Lösungen bleiben in der Historie, zählen aber nicht mehr\n",
                        g->hunt->puzzles[k].id, dry ? "würde" : "wird", g->solves[k],
                        g->solves[k] == 1 ? "Team" : "Teams", g->solves[k] == 1 ? "hat" : "haben");
            else
                fprintf(stderr,
                        "spur: warning: puzzle \"%s\" %s removed although %d team%s solved "
                        "it; the solves stay in the history but no longer count\n",
                        g->hunt->puzzles[k].id, dry ? "would be" : "is", g->solves[k],
                        g->solves[k] == 1 ? "" : "s");
        }
    }
    spur_loaded_free(&loaded);
}

/* "altstadt: would create the hunt (4 puzzles, 1 place, 2 prizes)" */
static void print_would_create(const spur_hunt_t *h)
{
    if (spur_tool_german())
        printf("%s: würde die Rallye anlegen (%zu Rätsel, %zu %s, %zu %s)\n", h->id, h->npuzzles,
               h->nplaces, h->nplaces == 1 ? "Ort" : "Orte", h->nprizes,
               h->nprizes == 1 ? "Preis" : "Preise");
    else
        printf("%s: would create the hunt (%zu puzzle%s, %zu place%s, %zu prize%s)\n", h->id,
               h->npuzzles, h->npuzzles == 1 ? "" : "s", h->nplaces, h->nplaces == 1 ? "" : "s",
               h->nprizes, h->nprizes == 1 ? "" : "s");
}

/* "spur: kl-rallye läuft vom 18.06.2026, 10:00 Uhr bis 28.06.2026, 23:59 Uhr
 * (Europe/Berlin)" on stderr: the times as the organizer meant them, in the hunt's
 * zone, so a wrong offset in the file shows at once. stdout keeps only the id. */
static void print_dates(const spur_hunt_t *h)
{
    spur_tz_t tz;
    char from[40], to[40];
    int de = spur_tool_german(), ok = spur_tz_load(&tz, h->time_zone, NULL) == 0;
    spur_tz_format(&tz, h->starts_at, de, from, sizeof from);
    spur_tz_format(&tz, h->ends_at, de, to, sizeof to);
    fprintf(stderr,
            SPUR_TR("spur: %s läuft vom %s bis %s (%s)\n", "spur: %s runs from %s to %s (%s)\n"),
            h->id, from, to, ok ? h->time_zone : "UTC");
    spur_tz_free(&tz);
}

static int dry_run(const char *db_path, const spur_tool_hunt_file_t *f)
{
    sqlite3 *db = NULL;
    spur_store_hunt_t *all = NULL, *h;
    size_t n = 0;
    cJSON *parsed = NULL, *old = NULL, *cur = NULL;
    int rc = SPUR_EXIT_USAGE, changes;
    FILE *probe = fopen(db_path, "rb");

    if (!probe) {
        /* no database yet: do not create one just to say so */
        print_would_create(f->hunt);
        return SPUR_EXIT_OK;
    }
    fclose(probe);
    if (spur_tool_open_db(db_path, &db) < 0)
        goto out;
    if (spur_tool_stored_hunt(db, f->hunt->id, &all, &n, &h) < 0)
        goto out;
    if (!h) {
        print_would_create(f->hunt);
        rc = SPUR_EXIT_OK;
        goto out;
    }
    parsed = spur_json_parse(h->json, h->json_len, NULL, 0, NULL);
    if (!parsed) {
        spur_tool_err(SPUR_TR("die gespeicherte Fassung von %s ist kein gültiges JSON",
                              "the stored version of %s is not valid JSON"),
                      h->id);
        goto out;
    }
    old = strip_comments(parsed);
    cur = strip_comments(f->root);
    /* a quiet pass to count, then the listing under its headline */
    for (FILE *out = NULL;; out = stdout) {
        changes = diff_settings(out, old, cur);
        changes += diff_list(out, old, cur, "places", SPUR_TR("Ort", "place"));
        changes += diff_list(out, old, cur, "puzzles", SPUR_TR("Rätsel", "puzzle"));
        changes += diff_list(out, old, cur, "prizes", SPUR_TR("Preis", "prize"));
        if (out || !changes)
            break;
        printf(SPUR_TR("%s: würde die gespeicherte Rallye aktualisieren; Codes, Los-Startwert "
                       "und Spielstand bleiben:\n",
                       "%s: would update the stored hunt, keeping its codes, draw seed and "
                       "progress:\n"),
               f->hunt->id);
    }
    if (!changes)
        printf(SPUR_TR("%s: keine Änderungen gegenüber der gespeicherten Fassung\n",
                       "%s: no changes from the stored version\n"),
               f->hunt->id);
    fflush(stdout);
    warn_removed_solves(db, f->hunt->id, f->root, 1);
    rc = SPUR_EXIT_OK;
out:
    cJSON_Delete(cur);
    cJSON_Delete(old);
    cJSON_Delete(parsed);
    spur_store_hunts_free(all, n);
    spur_store_close(db);
    return rc;
}

int spur_cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"dry-run", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL;
    int dry = 0, c, rc, created = 0;
    spur_tool_hunt_file_t f;
    sqlite3 *db = NULL;
    char err[512];

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db_path = optarg;
            break;
        case 'n':
            dry = 1;
            break;
        default:
            return spur_tool_bad_option("import", c, argv);
        }
    }
    if (argc - optind != 1)
        return spur_tool_usage_error(
            "import", SPUR_TR("import braucht genau eine DATEI", "import needs exactly one FILE"));
    if (!db_path)
        return spur_tool_usage_error("import",
                                     SPUR_TR("import braucht --db PFAD", "import needs --db PATH"));

    rc = spur_tool_load_hunt_file(argv[optind], &f);
    if (rc != SPUR_EXIT_OK)
        goto out;
    if (dry) {
        rc = dry_run(db_path, &f);
        goto out;
    }
    rc = SPUR_EXIT_USAGE;
    if (spur_tool_open_db(db_path, &db) < 0)
        goto out;
    warn_removed_solves(db, f.hunt->id, f.root, 0);
    if (spur_store_put_hunt(db, f.hunt->id, f.text, f.len, f.media, f.nmedia, &created, err,
                            sizeof err) < 0) {
        spur_tool_err("%s", err);
        goto out;
    }
    printf("%s\n", f.hunt->id);
    print_dates(f.hunt);
    if (!created)
        fprintf(stderr,
                SPUR_TR("spur: Rallye %s aktualisiert; ein laufender spurd übernimmt sie bei "
                        "SIGHUP (kill -HUP <pid>) oder beim Neustart\n",
                        "spur: updated hunt %s; a running spurd applies it on SIGHUP "
                        "(kill -HUP <pid>) or restart\n"),
                f.hunt->id);
    rc = SPUR_EXIT_OK;
out:
    spur_store_close(db);
    spur_tool_hunt_file_free(&f);
    return rc;
}

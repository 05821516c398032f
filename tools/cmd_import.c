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
#include "office/changes.h"
#include "office/tz.h"
#include "store/load.h"
#include "tool.h"

static int solves_of(const char *puzzle_id, void *data)
{
    const spur_game_t *g = data;
    for (size_t k = 0; k < g->hunt->npuzzles; k++)
        if (strcmp(g->hunt->puzzles[k].id, puzzle_id) == 0)
            return g->solves[k];
    return 0;
}

/* Warns on stderr about each puzzle of the stored hunt that the new file drops or
 * rescores although teams solved it (office/changes.h). Reads the progress the way
 * spurd does (spur_store_load). */
static void warn_solved(sqlite3 *db, const char *hunt_id, const cJSON *old_root,
                        const cJSON *new_root, int dry)
{
    spur_loaded_t loaded;
    char err[512];

    if (spur_store_load(db, &loaded, err, sizeof err) < 0)
        return; /* the import itself reports database trouble */
    for (size_t i = 0; i < loaded.ngames; i++) {
        spur_changes_t c;
        if (strcmp(loaded.games[i]->hunt->id, hunt_id) != 0)
            continue;
        spur_changes_diff(&c, old_root, new_root, solves_of, loaded.games[i], dry);
        for (size_t k = 0; k < c.nw; k++)
            fprintf(stderr, SPUR_TR("spur: Warnung: %s\n", "spur: warning: %s\n"),
                    spur_tool_german() ? c.w[k].de : c.w[k].en);
        spur_changes_free(&c);
    }
    spur_loaded_free(&loaded);
}

/* The stored file of the hunt the new file names, parsed, or NULL (none stored yet, or
 * it is not JSON: then said on stderr and *bad set). */
static cJSON *stored_root(sqlite3 *db, const char *id, int *bad)
{
    spur_store_hunt_t *all = NULL, *h;
    size_t n = 0;
    cJSON *root = NULL;
    *bad = 0;
    if (spur_tool_stored_hunt(db, id, &all, &n, &h) < 0) {
        *bad = 1;
        return NULL;
    }
    if (h && !(root = spur_json_parse(h->json, h->json_len, NULL, 0, NULL))) {
        spur_tool_err(SPUR_TR("die gespeicherte Fassung von %s ist kein gültiges JSON",
                              "the stored version of %s is not valid JSON"),
                      id);
        *bad = 1;
    }
    spur_store_hunts_free(all, n);
    return root;
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
    cJSON *old = NULL;
    spur_changes_t c = {0};
    int rc = SPUR_EXIT_USAGE, bad, german = spur_tool_german();
    FILE *probe = fopen(db_path, "rb");

    if (!probe) {
        /* no database yet: do not create one just to say so */
        print_would_create(f->hunt);
        return SPUR_EXIT_OK;
    }
    fclose(probe);
    if (spur_tool_open_db(db_path, &db) < 0)
        goto out;
    old = stored_root(db, f->hunt->id, &bad);
    if (bad)
        goto out;
    if (!old) {
        print_would_create(f->hunt);
        rc = SPUR_EXIT_OK;
        goto out;
    }
    spur_changes_diff(&c, old, f->root, NULL, NULL, 1);
    if (c.n)
        printf(SPUR_TR("%s: würde die gespeicherte Rallye aktualisieren; Codes, Los-Startwert "
                       "und Spielstand bleiben:\n",
                       "%s: would update the stored hunt, keeping its codes, draw seed and "
                       "progress:\n"),
               f->hunt->id);
    else
        printf(SPUR_TR("%s: keine Änderungen gegenüber der gespeicherten Fassung\n",
                       "%s: no changes from the stored version\n"),
               f->hunt->id);
    for (size_t i = 0; i < c.n; i++) {
        char *line = spur_change_text(&c.v[i], german);
        printf("  %s\n", line);
        free(line);
    }
    fflush(stdout);
    warn_solved(db, f->hunt->id, old, f->root, 1);
    rc = SPUR_EXIT_OK;
out:
    spur_changes_free(&c);
    cJSON_Delete(old);
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
    {
        int bad;
        cJSON *old = stored_root(db, f.hunt->id, &bad);
        if (old)
            warn_solved(db, f.hunt->id, old, f.root, 0);
        cJSON_Delete(old);
    }
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

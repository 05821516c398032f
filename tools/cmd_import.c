/* `spur import FILE --db PATH [--dry-run]`: validates a hunt file and stores it.
 * The store keeps an existing hunt's secret and draw seed, so re-importing the same
 * id updates the content without changing codes or progress. --dry-run opens the
 * database only to read the stored version and lists what an import would change,
 * by comparing the two files' JSON object by object (by id). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "tool.h"

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
                fprintf(out, "  %s added: %s\n", noun, id);
            n++;
        } else if (!cJSON_Compare(old, it, 1)) {
            if (out)
                fprintf(out, "  %s changed: %s\n", noun, id);
            n++;
        }
    }
    cJSON_ArrayForEach(it, olds)
    {
        const char *id = id_of(it);
        if (id && !by_id(news, id)) {
            if (out)
                fprintf(out, "  %s removed: %s\n", noun, id);
            n++;
        }
    }
    return n;
}

static int is_list_key(const char *k)
{
    return strcmp(k, "puzzles") == 0 || strcmp(k, "places") == 0 || strcmp(k, "prizes") == 0;
}

/* Prints (unless out is NULL) the top-level settings (title, times, ...) that differ;
 * returns how many. */
static int diff_settings(FILE *out, const cJSON *old_root, const cJSON *new_root)
{
    const cJSON *it;
    int n = 0;
    cJSON_ArrayForEach(it, new_root)
    {
        const cJSON *old = cJSON_GetObjectItemCaseSensitive(old_root, it->string);
        if (is_list_key(it->string) || (old && cJSON_Compare(old, it, 1)))
            continue;
        if (out)
            fprintf(out, "  setting %s: %s\n", old ? "changed" : "added", it->string);
        n++;
    }
    cJSON_ArrayForEach(it, old_root)
    {
        if (!is_list_key(it->string) && !cJSON_GetObjectItemCaseSensitive(new_root, it->string)) {
            if (out)
                fprintf(out, "  setting removed: %s\n", it->string);
            n++;
        }
    }
    return n;
}

static int dry_run(const char *db_path, const spur_tool_hunt_file_t *f)
{
    sqlite3 *db = NULL;
    spur_store_hunt_t *all = NULL, *h;
    size_t n = 0;
    cJSON *old = NULL;
    int rc = SPUR_EXIT_USAGE, changes;
    FILE *probe = fopen(db_path, "rb");

    if (!probe) {
        /* no database yet: do not create one just to say so */
        printf("%s: would create the hunt (%zu puzzles, %zu places, %zu prizes)\n", f->hunt->id,
               f->hunt->npuzzles, f->hunt->nplaces, f->hunt->nprizes);
        return SPUR_EXIT_OK;
    }
    fclose(probe);
    if (spur_tool_open_db(db_path, &db) < 0)
        goto out;
    if (spur_tool_stored_hunt(db, f->hunt->id, &all, &n, &h) < 0)
        goto out;
    if (!h) {
        printf("%s: would create the hunt (%zu puzzles, %zu places, %zu prizes)\n", f->hunt->id,
               f->hunt->npuzzles, f->hunt->nplaces, f->hunt->nprizes);
        rc = SPUR_EXIT_OK;
        goto out;
    }
    old = spur_json_parse(h->json, h->json_len, NULL, 0, NULL);
    if (!old) {
        spur_tool_err("the stored version of %s is not valid JSON", h->id);
        goto out;
    }
    /* a quiet pass to count, then the listing under its headline */
    for (FILE *out = NULL;; out = stdout) {
        changes = diff_settings(out, old, f->root);
        changes += diff_list(out, old, f->root, "places", "place");
        changes += diff_list(out, old, f->root, "puzzles", "puzzle");
        changes += diff_list(out, old, f->root, "prizes", "prize");
        if (out || !changes)
            break;
        printf("%s: would update the stored hunt, keeping its codes, draw seed and "
               "progress:\n",
               f->hunt->id);
    }
    if (!changes)
        printf("%s: no changes from the stored version\n", f->hunt->id);
    rc = SPUR_EXIT_OK;
out:
    cJSON_Delete(old);
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
        return spur_tool_usage_error("import", "import needs exactly one FILE");
    if (!db_path)
        return spur_tool_usage_error("import", "import needs --db PATH");

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
    if (spur_store_put_hunt(db, f.hunt->id, f.text, f.len, &created, err, sizeof err) < 0) {
        spur_tool_err("%s", err);
        goto out;
    }
    printf("%s\n", f.hunt->id);
    rc = SPUR_EXIT_OK;
out:
    spur_store_close(db);
    spur_tool_hunt_file_free(&f);
    return rc;
}

/* `spur export --db PATH --hunt ID [--format csv|json|xlsx] [-o FILE]`: the results of a
 * hunt for the organizers. The state is rebuilt with spur_store_load, the same code
 * spurd starts from, so ranks, scores and solve times are exactly what the server
 * shows (its live ranking, which after the end is the final one). Team names and
 * ids, scores and solves only: contact data is never read.
 *
 * CSV: spur_game_results_csv (server/game/results.c), the same file staff download
 * from spurd; xlsx: the office workbook of server/office/xlsx.c, the same as
 * /api/admin/hunts/{h}/export.xlsx. The JSON leaves staff test teams out.
 *
 * `spur export --db PATH --hunt ID --photos DIR`: instead the approved photos of the
 * photo missions, saved in DIR with readable names and an index.csv (tools/photos.c),
 * for the town's website. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/mem.h"
#include "office/xlsx.h"
#include "store/load.h"
#include "photos.h"
#include "tool.h"

static void json_time(spur_buf_t *b, int64_t ms)
{
    char when[32];
    if (!ms) {
        spur_buf_puts(b, "null");
        return;
    }
    spur_time_format(ms / 1000, when, sizeof when);
    spur_buf_printf(b, "\"%s\"", when);
}

static void write_json(const spur_game_t *g, spur_buf_t *b)
{
    const spur_hunt_t *h = g->hunt;
    char t1[32], t2[32];

    spur_time_format(h->starts_at, t1, sizeof t1);
    spur_time_format(h->ends_at, t2, sizeof t2);
    spur_buf_puts(b, "{\"hunt\":{\"id\":");
    spur_buf_json_str(b, h->id);
    spur_buf_puts(b, ",\"title\":");
    spur_buf_json_str(b, h->title);
    spur_buf_printf(b, ",\"starts_at\":\"%s\",\"ends_at\":\"%s\"},\n\"teams\":[", t1, t2);
    for (size_t i = 0; i < g->nranked; i++) { /* test teams are not ranked: not here */
        const spur_team_t *t = g->rank[i];
        int first = 1;
        spur_buf_printf(b, "%s\n{\"rank\":%zu,\"id\":%" PRId64 ",\"name\":", i ? "," : "", i + 1,
                        t->id);
        spur_buf_json_str(b, t->name);
        spur_buf_printf(b, ",\"score\":%d,\"solved\":%d,\"last_solve_at\":", t->score, t->nsolved);
        json_time(b, t->last_solve);
        spur_buf_printf(b, ",\"hints_taken\":%d,\"solves\":[", spur_game_team_hints(g, t));
        for (size_t k = 0; k < h->npuzzles; k++) {
            if (!t->prog[k].solved_at)
                continue;
            spur_buf_puts(b, first ? "{\"puzzle\":" : ",{\"puzzle\":");
            first = 0;
            spur_buf_json_str(b, h->puzzles[k].id);
            spur_buf_puts(b, ",\"at\":");
            json_time(b, t->prog[k].solved_at);
            spur_buf_printf(b, ",\"points\":%d,\"hints\":%d}", t->prog[k].points, t->prog[k].hints);
        }
        spur_buf_puts(b, "]}");
    }
    spur_buf_puts(b, "],\n\"puzzles\":[");
    for (size_t k = 0; k < h->npuzzles; k++) {
        spur_buf_puts(b, k ? ",\n{\"id\":" : "\n{\"id\":");
        spur_buf_json_str(b, h->puzzles[k].id);
        spur_buf_puts(b, ",\"title\":");
        spur_buf_json_str(b, h->puzzles[k].title);
        spur_buf_printf(b, ",\"points\":%d,\"solves\":%d,\"hints_taken\":%d,\"kind\":\"%s\"}",
                        h->puzzles[k].points, g->solves[k], g->hints_taken[k],
                        spur_kind_name(h->puzzles[k].kind));
    }
    spur_buf_puts(b, "]}\n");
}

/* Writes len bytes to path (or stdout for NULL). Returns 0 or -1 after saying why. */
static int write_out(const char *path, const char *data, size_t len)
{
    FILE *fp = path ? fopen(path, "wb") : stdout;
    int ok;
    if (!fp) {
        spur_tool_err(SPUR_TR("kann %s nicht schreiben: %m", "cannot write %s: %m"), path);
        return -1;
    }
    ok = fwrite(data, 1, len, fp) == len;
    ok = (path ? fclose(fp) : fflush(fp)) == 0 && ok;
    if (!ok) {
        spur_tool_err(SPUR_TR("kann %s nicht schreiben: %m", "cannot write %s: %m"),
                      path ? path : "stdout");
        return -1;
    }
    return 0;
}

int spur_cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"hunt", required_argument, NULL, 'H'},
        {"format", required_argument, NULL, 'f'}, {"out", required_argument, NULL, 'o'},
        {"photos", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL, *hunt_id = NULL, *format = "csv", *out_path = NULL;
    const char *photos = NULL;
    int c, rc = SPUR_EXIT_USAGE, xlsx;
    sqlite3 *db = NULL;
    spur_loaded_t loaded = {0};
    const spur_game_t *g = NULL;
    spur_buf_t b = {0};
    char err[512];

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db_path = optarg;
            break;
        case 'H':
            hunt_id = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'o':
            out_path = optarg;
            break;
        case 'p':
            photos = optarg;
            break;
        default:
            return spur_tool_bad_option("export", c, argv);
        }
    }
    if (optind != argc)
        return spur_tool_usage_error(
            "export",
            SPUR_TR("export: unerwartetes Argument '%s'", "export: unexpected argument '%s'"),
            argv[optind]);
    if (!db_path || !hunt_id)
        return spur_tool_usage_error("export", SPUR_TR("export braucht --db PFAD und --hunt ID",
                                                       "export needs --db PATH and --hunt ID"));
    xlsx = strcmp(format, "xlsx") == 0;
    if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0 && !xlsx)
        return spur_tool_usage_error(
            "export",
            SPUR_TR("export: unbekanntes Format '%s' (csv, json oder xlsx)",
                    "export: unknown format '%s' (csv, json or xlsx)"),
            format);
    if (xlsx && !out_path && isatty(STDOUT_FILENO))
        return spur_tool_usage_error("export",
                                     SPUR_TR("export: eine Arbeitsmappe gehört in eine Datei: "
                                             "-o DATEI.xlsx",
                                             "export: a workbook belongs in a file: -o FILE.xlsx"));

    if (!(g = spur_tool_load_game(db_path, hunt_id, &db, &loaded)))
        goto out;
    if (photos) {
        char *dir = spur_store_photo_dir(db_path, hunt_id);
        int64_t saved, missing;
        if (spur_tool_photos_export(g, dir, photos, &saved, &missing) == 0) {
            printf(SPUR_TR("%s: %" PRId64 " freigegebene Fotos gespeichert, Liste in index.csv\n",
                           "%s: saved %" PRId64 " approved photos, listed in index.csv\n"),
                   photos, saved);
            if (missing)
                spur_tool_err(SPUR_TR("%" PRId64
                                      " Fotos fehlen (mit spur purge --photos gelöscht?)",
                                      "%" PRId64 " photos are missing (deleted with spur purge "
                                      "--photos?)"),
                              missing);
            rc = SPUR_EXIT_OK;
        }
        free(dir);
        goto out;
    }
    if (xlsx) {
        spur_office_results_t r;
        int w;
        spur_office_take(&r, g, loaded.draws, loaded.ndraws);
        /* a file is written in place; standard output gets the bytes of a temporary one */
        w = out_path ? spur_office_xlsx_write(&r, out_path, err, sizeof err)
                     : spur_office_xlsx(&r, &b, err, sizeof err);
        spur_office_results_free(&r);
        if (w < 0) {
            spur_tool_err("%s", err);
            goto out;
        }
        if (out_path || write_out(NULL, b.data, b.len) == 0)
            rc = SPUR_EXIT_OK;
        goto out;
    }
    if (strcmp(format, "csv") == 0)
        spur_game_results_csv(g, &b);
    else
        write_json(g, &b);
    if (write_out(out_path, b.data, b.len) == 0)
        rc = SPUR_EXIT_OK;
out:
    spur_buf_free(&b);
    spur_loaded_free(&loaded);
    spur_store_close(db);
    return rc;
}

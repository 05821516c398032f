/* `spur purge --db PATH --hunt ID [--photos] [--yes]`: deletes the optional contact
 * data of a hunt's teams (teams, scores, events and draw records stay); with --photos
 * instead the photo files teams sent for photo missions (scores and the photos'
 * decisions stay; a running spurd then answers 404 for them). Asks first on a
 * terminal; without a terminal it needs --yes, so a script never deletes by
 * accident and never hangs on a question. A running spurd never holds contact data
 * in memory, only whether a team gave one (`contact_given` in /me), which it reads
 * anew at `kill -HUP`. spurd itself deletes them when the hunt file sets
 * purge_after_days (api/prizes.c). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "photos.h"
#include "tool.h"

/* Asks on the terminal; 1 for an answer starting with y/j. */
static int confirm(int64_t n, const char *hunt, int photos)
{
    char line[64];
    int de = spur_tool_german();
    if (photos)
        fprintf(stderr,
                de ? "%" PRId64 " Fotos der Rallye %s löschen? [j/N] "
                   : "Delete %" PRId64 " photos of hunt %s? [y/N] ",
                n, hunt);
    else
        fprintf(stderr,
                de ? "Kontaktdaten von %" PRId64 " Teams der Rallye %s löschen? [j/N] "
                   : "Delete contact data of %" PRId64 " teams of hunt %s? [y/N] ",
                n, hunt);
    fflush(stderr);
    if (!fgets(line, sizeof line, stdin))
        return 0;
    return line[0] == 'y' || line[0] == 'Y' || line[0] == 'j' || line[0] == 'J';
}

int spur_cmd_purge(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"hunt", required_argument, NULL, 'H'},
        {"yes", no_argument, NULL, 'y'},
        {"photos", no_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL, *hunt_id = NULL;
    int yes = 0, photos = 0, c, rc = SPUR_EXIT_USAGE;
    char *dir = NULL;
    sqlite3 *db = NULL;
    spur_store_hunt_t *all = NULL, *h;
    size_t nh = 0;
    int64_t n = 0, deleted = 0;
    char err[512];

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":y", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db_path = optarg;
            break;
        case 'H':
            hunt_id = optarg;
            break;
        case 'y':
            yes = 1;
            break;
        case 'p':
            photos = 1;
            break;
        default:
            return spur_tool_bad_option("purge", c, argv);
        }
    }
    if (optind != argc)
        return spur_tool_usage_error(
            "purge",
            SPUR_TR("purge: unerwartetes Argument '%s'", "purge: unexpected argument '%s'"),
            argv[optind]);
    if (!db_path || !hunt_id)
        return spur_tool_usage_error("purge", SPUR_TR("purge braucht --db PFAD und --hunt ID",
                                                      "purge needs --db PATH and --hunt ID"));
    if (!yes && !isatty(STDIN_FILENO))
        return spur_tool_usage_error("purge", SPUR_TR("purge: ohne Terminal wird nicht gefragt; "
                                                      "mit --yes wird ohne Rückfrage gelöscht",
                                                      "purge: not asking without a terminal; "
                                                      "add --yes to delete without asking"));

    if (spur_tool_open_db(db_path, &db) < 0 ||
        spur_tool_stored_hunt(db, hunt_id, &all, &nh, &h) < 0)
        goto out;
    if (!h) {
        spur_tool_err(SPUR_TR("%s hat keine Rallye '%s'", "%s has no hunt '%s'"), db_path, hunt_id);
        goto out;
    }
    if (photos) {
        dir = spur_store_photo_dir(db_path, hunt_id);
        if (spur_tool_photos_count(dir, &n) < 0)
            goto out;
        if (n == 0) {
            printf(SPUR_TR("%s: keine Fotos gespeichert\n", "%s: no photos stored\n"), hunt_id);
            rc = SPUR_EXIT_OK;
            goto out;
        }
        if (!yes && !confirm(n, hunt_id, 1)) {
            fputs(SPUR_TR("nichts gelöscht\n", "nothing deleted\n"), stderr);
            goto out;
        }
        if (spur_tool_photos_delete(dir, &deleted) < 0)
            goto out;
        printf(SPUR_TR("%s: %" PRId64 " Fotos gelöscht (spurd: kill -HUP, damit es sie nicht "
                       "mehr anbietet)\n",
                       "%s: deleted %" PRId64 " photos (spurd: kill -HUP so it no longer offers "
                       "them)\n"),
               hunt_id, deleted);
        rc = SPUR_EXIT_OK;
        goto out;
    }
    if (spur_store_contacts_count(db, hunt_id, &n, err, sizeof err) < 0) {
        spur_tool_err("%s", err);
        goto out;
    }
    if (n == 0) {
        printf(SPUR_TR("%s: keine Kontaktdaten gespeichert\n", "%s: no contact data stored\n"),
               hunt_id);
        rc = SPUR_EXIT_OK;
        goto out;
    }
    if (!yes && !confirm(n, hunt_id, 0)) {
        fputs(SPUR_TR("nichts gelöscht\n", "nothing deleted\n"), stderr);
        rc = SPUR_EXIT_USAGE;
        goto out;
    }
    if (spur_store_contacts_purge(db, hunt_id, &deleted, err, sizeof err) < 0) {
        spur_tool_err("%s", err);
        goto out;
    }
    printf(SPUR_TR("%s: Kontaktdaten von %" PRId64 " Teams gelöscht\n",
                   "%s: deleted the contact data of %" PRId64 " teams\n"),
           hunt_id, deleted);
    rc = SPUR_EXIT_OK;
out:
    free(dir);
    spur_store_hunts_free(all, nh);
    spur_store_close(db);
    return rc;
}

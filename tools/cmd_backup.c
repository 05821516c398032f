/* `spur backup --db PATH -o FILE`: a consistent copy of the whole database while
 * spurd keeps running (SQLite's VACUUM INTO, one read transaction: what was
 * committed when the backup began). Written to FILE.part, checked, flushed to disk,
 * then renamed over FILE, so FILE is always either the old or the new complete
 * backup. The copy holds the hunts' secrets (the keys of the QR codes, the draw
 * seeds) and any contact data: keep it as private as the database. The photos of
 * photo missions ("<db>-photos/") are copied after the database to "<FILE>-photos/":
 * every photo the copy names was on disk before its row was committed.
 *
 * `spur restore --db PATH FILE`: puts such a backup in place with SQLite's backup
 * API (the -wal and -shm files stay consistent), only while no spurd serves PATH
 * (the lock spurd holds says so), and copies "<FILE>-photos/" back beside it. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"
#include "photos.h"
#include "tool.h"

/* fsync of path (a file, or with dir set the folder holding it). */
static int sync_path(const char *path, int dir)
{
    char *copy = spur_strdup(path);
    const char *p = dir ? dirname(copy) : copy;
    int fd = open(p, O_RDONLY | (dir ? O_DIRECTORY : 0));
    int r = fd < 0 ? -1 : fsync(fd);
    if (fd >= 0)
        close(fd);
    free(copy);
    return r;
}

int spur_cmd_backup(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"out", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL, *out = NULL;
    char *part = NULL;
    int c, rc = SPUR_EXIT_USAGE;
    int64_t teams = 0, events = 0, photos = 0;
    sqlite3 *db = NULL;
    struct stat sb;
    char err[512], *from_photos = NULL, *to_photos = NULL;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db_path = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        default:
            return spur_tool_bad_option("backup", c, argv);
        }
    }
    if (optind != argc)
        return spur_tool_usage_error(
            "backup",
            SPUR_TR("backup: unerwartetes Argument '%s'", "backup: unexpected argument '%s'"),
            argv[optind]);
    if (!db_path || !out)
        return spur_tool_usage_error("backup", SPUR_TR("backup braucht --db PFAD und -o DATEI",
                                                       "backup needs --db PATH and -o FILE"));
    if (stat(db_path, &sb) != 0) {
        spur_tool_err("%s: %s", db_path, strerror(errno));
        return SPUR_EXIT_USAGE;
    }
    part = spur_asprintf("%s.part", out);
    if (unlink(part) != 0 && errno != ENOENT) {
        spur_tool_err("%s: %s", part, strerror(errno));
        goto out;
    }
    if (spur_tool_open_db(db_path, &db) < 0)
        goto out;
    if (spur_store_backup(db, part, &teams, &events, err, sizeof err) < 0) {
        spur_tool_err("%s", err);
        goto out;
    }
    if (sync_path(part, 0) != 0 || rename(part, out) != 0 || sync_path(out, 1) != 0) {
        spur_tool_err("%s: %s", out, strerror(errno));
        goto out;
    }
    from_photos = spur_store_photo_dir(db_path, NULL);
    to_photos = spur_store_photo_dir(out, NULL);
    if (spur_tool_photos_copy(from_photos, to_photos, &photos) < 0)
        goto out;
    if (stat(out, &sb) != 0)
        sb.st_size = 0;
    printf(SPUR_TR("%s: Sicherung von %s mit %" PRId64 " Teams und %" PRId64
                   " Ereignissen (%lld KB)\n",
                   "%s: backup of %s with %" PRId64 " teams and %" PRId64 " events (%lld KB)\n"),
           out, db_path, teams, events, (long long)(sb.st_size + 1023) / 1024);
    if (photos)
        printf(SPUR_TR("%s: %" PRId64 " neue Fotos\n", "%s: %" PRId64 " new photos\n"), to_photos,
               photos);
    rc = SPUR_EXIT_OK;
out:
    if (rc != SPUR_EXIT_OK && part)
        unlink(part);
    free(part);
    free(from_photos);
    free(to_photos);
    spur_store_close(db);
    return rc;
}

int spur_cmd_restore(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL, *from;
    int c, busy, lock, rc;
    int64_t teams = 0, events = 0, photos = 0;
    char err[512], *from_photos, *to_photos;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c != 'd')
            return spur_tool_bad_option("restore", c, argv);
        db_path = optarg;
    }
    if (!db_path || optind != argc - 1)
        return spur_tool_usage_error("restore",
                                     SPUR_TR("restore braucht --db PFAD und eine Sicherungsdatei",
                                             "restore needs --db PATH and one backup FILE"));
    from = argv[optind];
    if (access(from, R_OK) != 0) {
        spur_tool_err("%s: %s", from, strerror(errno));
        return SPUR_EXIT_USAGE;
    }
    lock = spur_store_lock(db_path, &busy, err, sizeof err);
    if (lock < 0) {
        char *why = spur_tool_msg(err);
        if (busy)
            spur_tool_err(SPUR_TR("%s: erst anhalten (kill -TERM), dann zurückspielen",
                                  "%s: stop it first (kill -TERM), then restore"),
                          why);
        else
            spur_tool_err("%s", why);
        free(why);
        return SPUR_EXIT_USAGE;
    }
    if (spur_store_restore(from, db_path, &teams, &events, err, sizeof err) < 0) {
        spur_tool_err("%s", err);
        return SPUR_EXIT_USAGE; /* the lock goes with the process */
    }
    from_photos = spur_store_photo_dir(from, NULL);
    to_photos = spur_store_photo_dir(db_path, NULL);
    rc = spur_tool_photos_copy(from_photos, to_photos, &photos);
    free(from_photos);
    free(to_photos);
    if (rc < 0)
        return SPUR_EXIT_USAGE;
    printf(SPUR_TR("%s: aus %s zurückgespielt, mit %" PRId64 " Teams und %" PRId64
                   " Ereignissen; jetzt spurd wieder starten\n",
                   "%s: restored from %s with %" PRId64 " teams and %" PRId64
                   " events; start spurd again\n"),
           db_path, from, teams, events);
    if (photos)
        printf(SPUR_TR("%" PRId64 " Fotos zurückgespielt\n", "%" PRId64 " photos restored\n"),
               photos);
    return SPUR_EXIT_OK;
}

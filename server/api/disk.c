/* The free-disk floor: every new team and every joined phone adds rows that stay
 * for the whole hunt, so when the database's file system runs low, spurd stops
 * taking new ones (503 disk_low with Retry-After) while the teams already playing
 * go on: their answers are what the hunt is about, and each is a small row.
 *
 * Keeps true: the loop never waits for the disk. The free space is read with
 * uv_fs_statfs on the thread pool every DISK_CHECK_MS (once synchronously at start,
 * before the loop runs); a change across the floor is logged once, and /metrics
 * shows the figures. Loop thread only. */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "core/err.h"
#include "core/log.h"

#define DISK_CHECK_MS 5000
#define DISK_RETRY_AFTER_S 300

/* The directory holding the database (its file system is the one that fills). */
static char *db_dir(const char *db_path)
{
    const char *slash = strrchr(db_path, '/');
    if (!slash)
        return spur_strdup(".");
    if (slash == db_path)
        return spur_strdup("/");
    return spur_strndup(db_path, (size_t)(slash - db_path));
}

static void note_free(spur_server_t *srv, uint64_t free_bytes)
{
    int low = free_bytes < srv->min_free_disk;
    srv->disk_free = free_bytes;
    if (low && !srv->disk_low)
        spur_warn("disk: only %llu MiB free for %s, below the floor of %llu MiB "
                  "(--min-free-disk): new teams and joins get 503 until there is room",
                  (unsigned long long)(free_bytes >> 20), srv->db_path,
                  (unsigned long long)(srv->min_free_disk >> 20));
    else if (!low && srv->disk_low)
        spur_info("disk: %llu MiB free again; new teams and joins are taken",
                  (unsigned long long)(free_bytes >> 20));
    srv->disk_low = low;
}

static void on_statfs(uv_fs_t *req)
{
    spur_server_t *srv = req->data;
    if (req->result == 0 && req->ptr) {
        const uv_statfs_t *s = req->ptr;
        note_free(srv, s->f_bavail * s->f_bsize);
    } else {
        spur_warn("disk: cannot read the free space of %s: %s", srv->db_path,
                  uv_strerror((int)req->result));
    }
    uv_fs_req_cleanup(req);
    srv->disk_busy = 0;
}

static void on_disk_timer(uv_timer_t *t)
{
    spur_server_t *srv = t->data;
    char *dir;
    if (srv->disk_busy)
        return;
    dir = db_dir(srv->db_path);
    srv->disk_req.data = srv;
    if (uv_fs_statfs(srv->loop, &srv->disk_req, dir, on_statfs) == 0)
        srv->disk_busy = 1;
    free(dir);
}

void spur_api_disk_start(spur_server_t *srv)
{
    struct statvfs st;
    char *dir = db_dir(srv->db_path);

    if (statvfs(dir, &st) == 0)
        note_free(srv, (uint64_t)st.f_bavail * st.f_frsize);
    free(dir);
    uv_timer_init(srv->loop, &srv->disk_timer);
    srv->disk_timer.data = srv;
    uv_timer_start(&srv->disk_timer, on_disk_timer, DISK_CHECK_MS, DISK_CHECK_MS);
}

void spur_api_disk_stop(spur_server_t *srv)
{
    uv_timer_stop(&srv->disk_timer);
    uv_close((uv_handle_t *)&srv->disk_timer, NULL);
}

int spur_api_disk_ok(spur_server_t *srv, spur_http_req_t *req)
{
    char h[32];
    if (!srv->disk_low)
        return 1;
    srv->metrics.disk_refused++;
    snprintf(h, sizeof(h), "Retry-After: %d\r\n", DISK_RETRY_AFTER_S);
    spur_api_error(req, SPUR_EDISK_LOW, h);
    return 0;
}

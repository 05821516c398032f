/* Photo files for the tool (photos.h). */
#include "photos.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"
#include "tool.h"

static int ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), m = strlen(end);
    return n > m && strcmp(s + n - m, end) == 0;
}

/* Copies the file from to path to (via to.part, fsynced). 0 or -1 with errno. */
static int copy_file(const char *from, const char *to)
{
    char buf[65536], *part = spur_asprintf("%s.part", to);
    int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
    ssize_t n;

    if (in < 0)
        goto done;
    if ((out = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) < 0)
        goto done;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            goto done;
    if (n < 0 || fsync(out) < 0)
        goto done;
    rc = close(out);
    out = -1;
    if (rc == 0)
        rc = rename(part, to);
done:
    if (out >= 0)
        close(out);
    if (in >= 0)
        close(in);
    if (rc < 0) {
        int e = errno;
        unlink(part);
        errno = e;
    }
    free(part);
    return rc;
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    fsync(fd);
    return close(fd);
}

int spur_tool_photos_copy(const char *from, const char *to, int64_t *copied)
{
    DIR *top = opendir(from);
    struct dirent *h;
    int rc = 0;

    *copied = 0;
    if (!top)
        return errno == ENOENT ? 0 : (spur_tool_err("%s: %m", from), -1);
    if (mkdir(to, 0750) < 0 && errno != EEXIST) {
        spur_tool_err("%s: %m", to);
        closedir(top);
        return -1;
    }
    while (rc == 0 && (h = readdir(top))) {
        char *src, *dst;
        DIR *d;
        struct dirent *f;
        if (h->d_name[0] == '.')
            continue;
        src = spur_asprintf("%s/%s", from, h->d_name);
        dst = spur_asprintf("%s/%s", to, h->d_name);
        if (!(d = opendir(src))) {
            free(src);
            free(dst);
            continue; /* not a hunt's folder */
        }
        if (mkdir(dst, 0750) < 0 && errno != EEXIST) {
            spur_tool_err("%s: %m", dst);
            rc = -1;
        }
        while (rc == 0 && (f = readdir(d))) {
            char *a, *b;
            struct stat sb;
            if (!ends_with(f->d_name, ".jpg"))
                continue;
            a = spur_asprintf("%s/%s", src, f->d_name);
            b = spur_asprintf("%s/%s", dst, f->d_name);
            /* a hard link where both are on one file system (the hourly backups
               beside the database): a photo never changes, so 48 backups cost its
               bytes once */
            if (stat(b, &sb) != 0) {
                if (link(a, b) != 0 && copy_file(a, b) < 0) {
                    spur_tool_err("%s: %m", b);
                    rc = -1;
                } else {
                    (*copied)++;
                }
            }
            free(a);
            free(b);
        }
        closedir(d);
        if (rc == 0)
            sync_dir(dst);
        free(src);
        free(dst);
    }
    closedir(top);
    if (rc == 0)
        sync_dir(to);
    return rc;
}

/* Walks dir's photo files: counts them, and deletes them when del. */
static int walk(const char *dir, int del, int64_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *f;
    *n = 0;
    if (!d)
        return errno == ENOENT ? 0 : (spur_tool_err("%s: %m", dir), -1);
    while ((f = readdir(d))) {
        char *path;
        if (!ends_with(f->d_name, ".jpg") && !ends_with(f->d_name, ".tmp"))
            continue;
        path = spur_asprintf("%s/%s", dir, f->d_name);
        if (!del || unlink(path) == 0)
            *n += ends_with(f->d_name, ".jpg");
        free(path);
    }
    closedir(d);
    if (del && rmdir(dir) < 0 && errno != ENOENT) {
        spur_tool_err("%s: %m", dir);
        return -1;
    }
    return 0;
}

int spur_tool_photos_count(const char *dir, int64_t *n)
{
    return walk(dir, 0, n);
}

int spur_tool_photos_delete(const char *dir, int64_t *deleted)
{
    return walk(dir, 1, deleted);
}

/* A file-name part from s: ASCII letters and digits and any UTF-8 (umlauts) kept,
 * other bytes a single '-', cut at a character boundary after 40 bytes, never empty. */
static void name_part(spur_buf_t *b, const char *s)
{
    size_t start = b->len;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (b->len - start >= 40 && (*p & 0xc0) != 0x80)
            break;
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p >= 0x80)
            spur_buf_append(b, p, 1);
        else if (b->len > start && b->data[b->len - 1] != '-')
            spur_buf_puts(b, "-");
    }
    while (b->len > start && b->data[b->len - 1] == '-')
        b->len--;
    if (b->len == start)
        spur_buf_puts(b, "x");
    b->data[b->len] = '\0';
}

/* A CSV field, quoted. */
static void csv(spur_buf_t *b, const char *s)
{
    spur_buf_puts(b, "\"");
    for (; *s; s++)
        spur_buf_puts(b, *s == '"' ? "\"\"" : (char[]){*s, 0});
    spur_buf_puts(b, "\"");
}

int spur_tool_photos_export(const spur_game_t *g, const char *dir, const char *out, int64_t *saved,
                            int64_t *missing)
{
    spur_buf_t index = {0};
    int rc = 0;
    FILE *fp;
    char *path;

    *saved = *missing = 0;
    if (mkdir(out, 0750) < 0 && errno != EEXIST) {
        spur_tool_err("%s: %m", out);
        return -1;
    }
    spur_buf_puts(&index, "file,team,puzzle,points,taken_at\n");
    for (size_t i = 0; rc == 0 && i < g->photos.n; i++) {
        const spur_photo_t *p = g->photos.items[i];
        const spur_team_t *t = spur_game_team_by_id(g, p->team_id);
        spur_buf_t name = {0};
        char *from, *to, when[40];
        if (p->status != SPUR_PHOTO_APPROVED || !t || t->test || p->puzzle < 0)
            continue;
        name_part(&name, g->hunt->puzzles[p->puzzle].id);
        spur_buf_puts(&name, "_");
        name_part(&name, t->name);
        spur_buf_printf(&name, "_%.8s.jpg", p->id);
        from = spur_asprintf("%s/%s.jpg", dir, p->id);
        to = spur_asprintf("%s/%s", out, name.data);
        if (access(from, R_OK) != 0) {
            (*missing)++;
        } else if (copy_file(from, to) < 0) {
            spur_tool_err("%s: %m", to);
            rc = -1;
        } else {
            (*saved)++;
            spur_time_format_ms(p->at, when, sizeof when);
            csv(&index, name.data);
            spur_buf_puts(&index, ",");
            csv(&index, t->name);
            spur_buf_puts(&index, ",");
            csv(&index, g->hunt->puzzles[p->puzzle].id);
            spur_buf_printf(&index, ",%d,%s\n", p->points, when);
        }
        free(from);
        free(to);
        spur_buf_free(&name);
    }
    path = spur_asprintf("%s/index.csv", out);
    if (rc == 0 && (!(fp = fopen(path, "wb")) ||
                    fwrite(index.data, 1, index.len, fp) != index.len || fclose(fp) != 0)) {
        spur_tool_err("%s: %m", path);
        rc = -1;
    }
    free(path);
    spur_buf_free(&index);
    return rc;
}
